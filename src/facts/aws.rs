//! AWS access key ids: the account they belong to and whether they are long-lived.
//!
//! Sources: the four-character prefixes are AWS's own (IAM User Guide, "IAM identifiers",
//! unique id prefixes: `AKIA` an access key, `ASIA` a temporary STS access key). The
//! account id inside a key id was found by Aidan Steele ("AWS Access Key ID formats",
//! awsteele.com, 2020) and corrected by Tal Be'ery ("A short note on AWS KEY ID", 2020):
//! base32-decode the 16 characters after the prefix, read the first 6 bytes as a
//! big-endian integer, mask `0x7FFFFFFFFF80` and shift right by 7. WithSecure Labs ("A
//! bitwise analysis of AWS access key identifiers", 2023) showed the bit just after the
//! prefix marks the key's generation: only new-generation ids (that bit set, so the fifth
//! character is `Q`-`Z` or `2`-`7`) carry the account; older ids give none here.
//!
//! A secret access key carries nothing itself, so it takes the facts of the access key id
//! written within a few lines of it (the pair AWS hands out together).

use std::sync::OnceLock;

use regex::Regex;

use super::{Context, Facts, Privilege};

/// Lines around a secret access key searched for its key id.
const PAIR_LINES: usize = 5;

/// The RFC 4648 base32 value of one character, if it is one.
fn b32(c: u8) -> Option<u64> {
    match c {
        b'A'..=b'Z' => Some(u64::from(c - b'A')),
        b'2'..=b'7' => Some(u64::from(c - b'2') + 26),
        _ => None,
    }
}

/// The account id encoded in a new-generation key id, or `None` (old generation, bad
/// characters, wrong length).
pub fn account_id(key_id: &str) -> Option<String> {
    let b = key_id.as_bytes();
    if b.len() != 20 {
        return None;
    }
    // The first 6 bytes are the first 48 bits: the first 10 characters give 50 bits.
    let mut bits: u64 = 0;
    for &c in &b[4..14] {
        bits = (bits << 5) | b32(c)?;
    }
    let first6 = bits >> 2;
    if first6 & 0x8000_0000_0000 == 0 {
        return None;
    }
    let account = (first6 & 0x7FFF_FFFF_FF80) >> 7;
    Some(format!("{account:012}"))
}

/// What a prefix says: (kind, lifetime).
fn prefix_kind(prefix: &str) -> Option<(&'static str, &'static str)> {
    Some(match prefix {
        "AKIA" => ("access-key", "long-lived"),
        "ASIA" => ("temporary-access-key", "temporary"),
        "ABIA" => ("sts-service-bearer-token", "temporary"),
        "ACCA" => ("context-specific-credential", "temporary"),
        _ => return None,
    })
}

/// Facts of a key id (`AKIA...`, `ASIA...`).
pub fn key_id_facts(key_id: &str) -> Option<Facts> {
    let (kind, lifetime) = prefix_kind(key_id.get(..4)?)?;
    if key_id.len() != 20 || !key_id.bytes().skip(4).all(|c| b32(c).is_some()) {
        return None;
    }
    Some(Facts {
        kind: Some(kind.to_owned()),
        lifetime: Some(lifetime.to_owned()),
        account: account_id(key_id),
        key_id: Some(key_id.to_owned()),
        // An access key acts with all of its user's or role's permissions.
        privilege: Some(Privilege::User).filter(|_| lifetime == "long-lived"),
        ..Facts::default()
    })
}

fn key_id_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b").expect("static regex"))
}

/// The facts of an AWS key id, or of the key id next to a secret access key.
pub fn extract(secret: &str, provider: &str, cx: &Context<'_>) -> Option<Facts> {
    if let Some(f) = key_id_facts(secret) {
        return Some(f);
    }
    if provider != "aws" || secret.len() != 40 {
        return None;
    }
    // The nearest key id to the secret, by distance in the text.
    let (text, at) = cx.around(PAIR_LINES);
    let id = key_id_re()
        .find_iter(text)
        .min_by_key(|m| m.start().abs_diff(at))?;
    let mut f = key_id_facts(id.as_str())?;
    f.kind = Some(match f.lifetime.as_deref() {
        Some("temporary") => "temporary-secret-access-key".to_owned(),
        _ => "secret-access-key".to_owned(),
    });
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked examples of Aidan Steele's and Tal Be'ery's posts.
    #[test]
    fn account_ids_of_the_published_examples() {
        let published = "ASIAY34FZKBOKMUTVV7A"; // keytrace:allow
        assert_eq!(account_id(published).as_deref(), Some("609629065308"));
        let f = key_id_facts(published).unwrap();
        assert_eq!(f.lifetime.as_deref(), Some("temporary"));
        assert_eq!(f.kind.as_deref(), Some("temporary-access-key"));
        // Old-generation ids (AWS's documentation example) carry no account.
        assert_eq!(account_id("AKIAIOSFODNN7EXAMPLE"), None);
        let f = key_id_facts("AKIAIOSFODNN7EXAMPLE").unwrap();
        assert_eq!(f.lifetime.as_deref(), Some("long-lived"));
        assert_eq!(f.account, None);
        assert_eq!(key_id_facts("AKIA1OSFODNN7EXAMPLE"), None);
    }

    #[test]
    fn a_secret_key_takes_its_key_ids_facts() {
        let key_id = "ASIAY34FZKBOKMUTVV7A"; // keytrace:allow
        let secret = "PstQB2Qfrh5LnqS5iBl1pYG2g+EijFtF+U826p5R"; // keytrace:allow
        let data =
            format!("[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n");
        let at = data.find(secret).unwrap();
        let cx = Context::new(data.as_bytes(), at, at + 40);
        let f = extract(secret, "aws", &cx).unwrap();
        assert_eq!(f.account.as_deref(), Some("609629065308"));
        assert_eq!(f.kind.as_deref(), Some("temporary-secret-access-key"));
        assert_eq!(f.key_id.as_deref(), Some(key_id));
        // Not for other providers' 40-character secrets.
        assert_eq!(extract(secret, "github", &cx), None);
    }
}
