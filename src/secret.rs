//! `Secret`: the raw bytes of a credential, held so that neither `Debug` nor `Display`
//! can print them. A finding, a decoded match or anything else that derives `Debug` holds
//! its secret in this type, so a `{:?}` in a log line, a panic message or a test failure
//! shows the masked form; the bytes are reached only through [`Secret::expose`], and
//! written out only through [`shown`] (the `--show-secrets` field).

use std::fmt;

/// The raw bytes of a secret; `Debug` and `Display` print the masked form.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// Holds `bytes` as a secret.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Secret {
        Secret(bytes.into())
    }

    /// The raw bytes. Named so that every place that reads them is easy to find.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// The raw bytes as text (invalid UTF-8 becomes U+FFFD), for `--show-secrets`.
    pub fn expose_lossy(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({:?})", redact(&self.0))
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.0))
    }
}

/// Masks a secret: long ones keep 4 characters at each end, medium ones 2 at the start,
/// short ones nothing. Control characters never survive.
pub fn redact(secret: &[u8]) -> String {
    let s = String::from_utf8_lossy(secret);
    let chars: Vec<char> = s.chars().filter(|c| !c.is_control()).collect();
    let n = chars.len();
    let (head, tail) = if n >= 24 {
        (4, 4)
    } else if n >= 12 {
        (2, 0)
    } else {
        (0, 0)
    };
    let mut out: String = chars[..head].iter().collect();
    out.push_str("****");
    out.extend(&chars[n - tail..]);
    out
}

/// Serde for the one field that writes a secret out (`Finding::secret`, filled only with
/// `--show-secrets`): the text of the secret, or nothing. `Secret` itself implements no
/// `Serialize`, so no other field can write one by accident.
pub mod shown {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::secret::Secret;

    /// Writes the secret's text (lossy UTF-8), or `null`.
    pub fn serialize<S: Serializer>(v: &Option<Secret>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(secret) => s.serialize_some(&secret.expose_lossy()),
            None => s.serialize_none(),
        }
    }

    /// Reads the secret's text back (a report being merged).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.map(Secret::new))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_mask_the_secret() {
        let token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"; // keytrace:allow
        let s = Secret::new(token);
        assert_eq!(format!("{s}"), "ghp_****6789");
        assert_eq!(format!("{s:?}"), r#"Secret("ghp_****6789")"#);
        assert!(!format!("{:?}", Some(vec![s.clone()])).contains("abcdefgh"));
        assert_eq!(s.expose(), token.as_bytes());
    }

    #[test]
    fn redaction_hides_the_middle() {
        let token = b"ghp_abcdefghijklmnopqrstuvwxyz0123456789"; // keytrace:allow
        assert_eq!(redact(token), "ghp_****6789");
        assert_eq!(redact(b"s3cretpassw0rd"), "s3****");
        assert_eq!(redact(b"short"), "****");
    }
}
