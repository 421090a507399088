//! JSON Web Keys (RFC 7517) in data and source files: the private members of a key are
//! its secret (RFC 7518, section 6: `d` of an EC or RSA key, the RSA factors and CRT
//! values `p`, `q`, `dp`, `dq`, `qi`, and `k` of a symmetric `oct` key). They are
//! base64url strings under one- and two-letter names no credential vocabulary knows, so
//! they are read only in a document that names a key type (`"kty"`), and only as
//! machine-made base64url values: the public members (`n`, `e`, `x`, `y`) are not secret.

use super::formats::Kind;
use super::judge::keep;

/// The private members of RSA, EC and symmetric keys (RFC 7518, sections 6.2.2, 6.3.2
/// and 6.4.1).
const PRIVATE: &[&[u8]] = &[b"d", b"p", b"q", b"dp", b"dq", b"qi", b"k"];
/// The shortest private value kept: a 96-bit key in base64url.
const MIN_LEN: usize = 16;

/// Appends the private members' values of the JSON Web Keys in `data`.
pub(super) fn private_members(data: &[u8], out: &mut Vec<(Kind, usize, usize)>) {
    if memchr::memmem::find(data, b"\"kty\"").is_none() {
        return;
    }
    for q in memchr::memchr_iter(b'"', data) {
        let rest = &data[q + 1..];
        let Some(name) = PRIVATE
            .iter()
            .find(|m| rest.starts_with(m) && rest.get(m.len()) == Some(&b'"'))
        else {
            continue;
        };
        let mut k = q + name.len() + 2;
        k += blanks(&data[k..]);
        if data.get(k) != Some(&b':') {
            continue;
        }
        k += 1;
        k += blanks(&data[k..]);
        if data.get(k) != Some(&b'"') {
            continue;
        }
        let s = k + 1;
        let Some(len) = data[s..].iter().position(|&b| b == b'"' || b == b'\n') else {
            continue;
        };
        let v = &data[s..s + len];
        let base64url = v
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_');
        if data[s + len] == b'"'
            && v.len() >= MIN_LEN
            && base64url
            && keep(Kind::Token, v, b"private_key")
        {
            out.push((Kind::Token, s, s + len));
        }
    }
}

fn blanks(v: &[u8]) -> usize {
    v.iter().take_while(|b| matches!(b, b' ' | b'\t')).count()
}

#[cfg(test)]
mod tests {
    fn found(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        super::private_members(text.as_bytes(), &mut out);
        out.iter().map(|&(_, s, e)| &text[s..e]).collect()
    }

    #[test]
    fn private_members_of_rsa_ec_and_oct_keys() {
        let ec = r#"{
  "kty": "EC",
  "crv": "P-256",
  "x": "gGUCRbV65VRdyXSjNQPMFNDvUDfG9AyV",
  "d": "QbywrdNmVBkcPvu20pXkbtQCtTTobjnCYGlidcNxVhs"
}"#;
        assert_eq!(found(ec), ["QbywrdNmVBkcPvu20pXkbtQCtTTobjnCYGlidcNxVhs"]);
        let rsa = r#"{"kty":"RSA","e":"AQAB","n":"2ix3KgUg9qYrZDkDprzOqVP_BLZ_Mk2PWstHAfDNo84","p":"2ix3KgUg9qYrZDkDprzOqVP_BLZ_Mk2PWstHAfDNo84","qi": "QbywrdNmVBkcPvu20pXkbtQCtTTobjnCYGlidcNxVhs"}"#;
        assert_eq!(
            found(rsa),
            [
                "2ix3KgUg9qYrZDkDprzOqVP_BLZ_Mk2PWstHAfDNo84",
                "QbywrdNmVBkcPvu20pXkbtQCtTTobjnCYGlidcNxVhs"
            ]
        );
        let oct = "{ \"kty\": \"oct\", \"k\": \"_vNqiwE4kYmuRu8_f14zuA\" }";
        assert_eq!(found(oct), ["_vNqiwE4kYmuRu8_f14zuA"]);
    }

    #[test]
    fn public_keys_and_other_documents_hold_none() {
        // A public key: `x`, `y`, `n`, `e` are not secret.
        let public = r#"{"kty":"EC","crv":"P-256","x":"gGUCRbV65VRdyXSjNQPMFNDvUDfG9AyV","y":"2ix3KgUg9qYrZDkDprzOqVP_BLZ_Mk2PWstHAfDNo84"}"#;
        assert!(found(public).is_empty());
        // Without a key type, `d` is any field.
        assert!(found(r#"{"d": "QbywrdNmVBkcPvu20pXkbtQCtTTobjnCYGlidcNxVhs"}"#).is_empty());
        // Placeholders and short or non-base64url values are not keys.
        let stand_in = r#"{"kty":"oct","k":"your-key-here","d":"<private exponent>","p":"AAAAAAAAAAAAAAAAAAAA"}"#;
        assert!(found(stand_in).is_empty());
    }
}
