//! Checksums and structure that providers build into their tokens, checked after the regex
//! so that a look-alike with the right shape but a wrong checksum is not reported. A rule
//! opts in with `validate = "<name>"` ([`Validator`]); each check follows the provider's
//! published construction and never rejects a form it does not know (a longer or newer
//! token passes unchecked rather than disappearing).
//!
//! - `github-crc32`: GitHub ("Behind GitHub's new authentication token formats", 2021:
//!   "a 32 bit checksum in the last 6 digits of each token ... CRC32 ... encoded with a
//!   Base62 implementation, using leading zeros for padding") and npm ("Announcing npm's
//!   new access token format", 2021: the same format). The CRC covers the 30 characters
//!   between the prefix and the checksum, not the prefix; the digits are `0-9A-Z a-z`.
//! - `grafana-crc32`: Grafana's service-account tokens (`pkg/components/satokengen`):
//!   CRC32 of `glsa_<secret>`, its 4 bytes little-endian in lowercase hex.
//! - `pypi-macaroon`: PyPI API tokens are `pypi-` + unpadded base64url of a version 2
//!   binary macaroon (libmacaroons' format, as pymacaroons serializes it): version byte 2,
//!   a header section (location `pypi.org` or `test.pypi.org`, a non-empty identifier),
//!   caveat sections, an end marker and a 32-byte signature field, and nothing after it.
//! - `jwt`: RFC 7519 / RFC 7515 compact JWS: `header.payload.signature`, the header
//!   base64url (unpadded) of a JSON object naming its `alg` (RFC 7515 4.1.1: "This Header
//!   Parameter MUST be present"). The payload is not checked: the external benchmark's
//!   sources label tokens with an edited payload as real as often as look-alikes
//!   (2026-12-07: 8 positives against 3 look-alikes), so only a broken header, which no
//!   issuer produces, rejects. An HMAC token whose signature verifies under a secret that
//!   JWT documentation publishes (jwt.io's debugger default) is that documentation's
//!   example, minted by anyone who reads it, and is rejected too.
//! - `basic-auth`: RFC 7617 section 2: the user-id and password joined by one colon, the
//!   user-id holding no colon, base64-encoded (standard alphabet, as Docker's
//!   `config.json` `auth` stores it). A value that does not decode to printable
//!   `user:password`, or whose password is a placeholder word, is not a credential.
//! - documented shapes after a prefix (`failed_lookalike` only, no `validate` name): GitLab
//!   OAuth application secrets (`gloas-` + `SecureRandom.hex(32)`), OpenAI admin keys (the
//!   `T3BlbkFJ` signature between two halves), Pinecone keys (`pcsk_`, id, secret),
//!   Cloudflare scannable tokens (40 characters and a checksum), JFrog reference tokens
//!   (base64 of `reftkn:01:...`, 64 characters).
//! - `atlassian-dc-pat`: the personal access tokens of Jira and Confluence Data Center and
//!   the HTTP access tokens of Bitbucket Data Center (there after a `BBDC-` prefix) are
//!   base64 of a 12-digit token id, a colon and 20 random bytes: 44 characters that decode
//!   to 33 bytes. A look-alike of the same length fails on the id or the colon.

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;

use crate::rules::Validator;

/// Whether `secret` passes `validator`.
pub fn validate(validator: Validator, secret: &[u8]) -> bool {
    match validator {
        Validator::GithubCrc32 => github_crc32(secret),
        Validator::GrafanaCrc32 => grafana_crc32(secret),
        Validator::PypiMacaroon => pypi_macaroon(secret),
        Validator::Jwt => jwt(secret),
        Validator::BasicAuth => basic_auth(secret),
        Validator::AtlassianDcPat => atlassian_dc_pat(secret),
    }
}

/// Whether `value` has the exact shape of a checksummed provider token but fails its
/// check: rules without a checksum of their own (the generic detector, `.npmrc` and
/// `.pypirc` values) leave such values alone, so a look-alike the provider's rule
/// rejected does not come back under another rule. A documented prefix followed by a
/// shape its issuer does not issue ([`DOCUMENTED_SHAPES`]) is such a look-alike too.
pub fn failed_lookalike(value: &[u8]) -> bool {
    if broken_documented_shape(value) {
        return true;
    }
    let alnum = |s: &[u8]| s.iter().all(u8::is_ascii_alphanumeric);
    let validator = match value {
        [b'g', b'h', b'p' | b'o' | b'u' | b's' | b'r', b'_', rest @ ..]
            if rest.len() == 36 && alnum(rest) =>
        {
            Validator::GithubCrc32
        }
        [b'n', b'p', b'm', b'_', rest @ ..] if rest.len() == 36 && alnum(rest) => {
            Validator::GithubCrc32
        }
        [b'g', b'l', b's', b'a', b'_', rest @ ..]
            if rest.len() == 41 && rest[32] == b'_' && alnum(&rest[..32]) =>
        {
            Validator::GrafanaCrc32
        }
        _ if value.starts_with(b"pypi-AgEIcHlwaS5vcmc")
            || value.starts_with(b"pypi-AgENdGVzdC5weXBpLm9yZw") =>
        {
            Validator::PypiMacaroon
        }
        _ if atlassian_dc_id(value) => Validator::AtlassianDcPat,
        _ => return false,
    };
    !validate(validator, value)
}

/// A documented prefix and the check of what follows it.
type DocumentedShape = (&'static [u8], fn(&[u8]) -> bool);

/// Prefixes whose issuer documents the whole token, and that shape after the prefix:
/// GitLab OAuth application secrets are `gloas-` and `SecureRandom.hex(32)` (64 hex
/// digits, `unique_application_token.rb`); OpenAI admin keys carry the `T3BlbkFJ`
/// signature between two random halves as every current OpenAI key does; Pinecone keys
/// are `pcsk_`, a key id and the secret; Cloudflare's scannable credentials are 40
/// characters and a checksum; JFrog reference tokens are 64 characters. The provider
/// rules match exactly these shapes, so a value that opens with the prefix but breaks
/// the shape was cut short, extended or typed by hand: no detector reports it
/// ([`failed_lookalike`]). Only exact documented formats are listed: a prefix whose rule
/// is narrower than its issuer's tokens would lose real ones (measured 2026-12-07 with
/// `bkua_`, `glsa_`, `phx_`).
const DOCUMENTED_SHAPES: &[DocumentedShape] = &[
    (b"gloas-", |r| r.len() == 64 && r.iter().all(is_lower_hex)),
    (b"sk-admin-", openai_signed),
    (b"pcsk_", pinecone_key),
    (b"cfut_", cloudflare_scannable),
    (b"cfat_", cloudflare_scannable),
    (b"cfk_", cloudflare_scannable),
    (b"cmVmdGtuOjAxOj", jfrog_reference),
];

fn is_lower_hex(b: &u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(b)
}

fn token_chars(s: &[u8]) -> bool {
    s.iter()
        .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
}

/// 20 or more token characters, `T3BlbkFJ`, 20 or more token characters.
fn openai_signed(rest: &[u8]) -> bool {
    memchr::memmem::find_iter(rest, b"T3BlbkFJ").any(|i| i >= 20 && rest.len() - i - 8 >= 20)
        && token_chars(rest)
}

/// A key id of 5 or 6 letters and digits, `_`, 63 letters and digits.
fn pinecone_key(rest: &[u8]) -> bool {
    let Some(us) = rest.iter().position(|&b| b == b'_') else {
        return false;
    };
    let (id, secret) = (&rest[..us], &rest[us + 1..]);
    (5..=6).contains(&id.len())
        && secret.len() == 63
        && id.iter().chain(secret).all(u8::is_ascii_alphanumeric)
}

/// 40 letters and digits, then a checksum of 4 to 16 token characters (the checksum's
/// length is not documented; `cloudflare.*` accepts this range).
fn cloudflare_scannable(rest: &[u8]) -> bool {
    rest.len() >= 44
        && rest.len() <= 56
        && rest[..40].iter().all(u8::is_ascii_alphanumeric)
        && token_chars(&rest[40..])
}

/// JFrog reference tokens are base64 of `reftkn:01:`, an expiry and random bytes, 64
/// characters in all by JFrog's access-token documentation; `jfrog.reference-token`
/// accepts 40 to 60 letters and digits after the prefix, and so does this.
fn jfrog_reference(rest: &[u8]) -> bool {
    (40..=60).contains(&rest.len()) && rest.iter().all(u8::is_ascii_alphanumeric)
}

/// Whether `s` opens with a prefix of [`DOCUMENTED_SHAPES`] and breaks the shape its
/// issuer documents after it: `gloas-` and 32 hex digits, an `sk-admin-` key without its
/// signature, `pcsk_abcd_...`, a `cfut_` token cut to 20 characters. Part of
/// [`failed_lookalike`].
fn broken_documented_shape(s: &[u8]) -> bool {
    DOCUMENTED_SHAPES
        .iter()
        .any(|(prefix, shape)| s.strip_prefix(*prefix).is_some_and(|rest| !shape(rest)))
}

/// The CRC-32 (IEEE 802.3, reflected, as zlib and Go's `crc32.ChecksumIEEE`) of `data`.
pub fn crc32(data: &[u8]) -> u32 {
    crc32fast::hash(data)
}

/// GitHub / npm: `<prefix>_` + 30 base62 characters + 6 base62 digits of their CRC32.
/// Bodies of another length (GitHub's longer refresh tokens, its JWT-shaped installation
/// tokens) have no published construction and pass unchecked.
fn github_crc32(secret: &[u8]) -> bool {
    let Some(us) = secret.iter().position(|&b| b == b'_') else {
        return true;
    };
    let body = &secret[us + 1..];
    if body.len() != 36 {
        return true;
    }
    let (entropy, check) = body.split_at(30);
    check == github_checksum(entropy)
}

/// The 6 base62 digits GitHub and npm append to a token body: its CRC32 in `0-9A-Za-z`,
/// most significant first, zero-padded (62^6 > 2^32, so 6 always suffice).
pub fn github_checksum(body: &[u8]) -> [u8; 6] {
    const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut v = crc32(body);
    let mut out = [b'0'; 6];
    for d in out.iter_mut().rev() {
        *d = DIGITS[(v % 62) as usize];
        v /= 62;
    }
    out
}

/// Grafana: `gl<service>_<secret>_<8 hex>`, the hex being the CRC32 of the part before
/// the last `_`, little-endian.
fn grafana_crc32(secret: &[u8]) -> bool {
    let Some(us) = secret.iter().rposition(|&b| b == b'_') else {
        return true;
    };
    let (key, check) = (&secret[..us], &secret[us + 1..]);
    if check.len() != 8 {
        return true;
    }
    let expected = crc32(key).to_le_bytes();
    let mut got = [0u8; 4];
    for (i, pair) in check.chunks(2).enumerate() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (hex(pair[0]), hex(pair[1])) {
            (Some(h), Some(l)) => got[i] = (h * 16 + l) as u8,
            _ => return false,
        }
    }
    got == expected
}

/// A compact JWS whose header decodes to a JSON object with an `alg`.
fn jwt(secret: &[u8]) -> bool {
    const B64URL: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let header = secret.split(|&b| b == b'.').next().unwrap_or_default();
    let Ok(bytes) = B64URL.decode(header) else {
        return false;
    };
    let Ok(serde_json::Value::Object(h)) = serde_json::from_slice::<serde_json::Value>(&bytes)
    else {
        return false;
    };
    let Some(alg) = h.get("alg") else {
        return false;
    };
    let signature = secret.rsplit(|&b| b == b'.').next().unwrap_or_default();
    match (alg.as_str(), B64URL.decode(signature)) {
        (Some(alg), Ok(sig)) => !signed_with_documented_secret(alg, secret, &sig),
        _ => true,
    }
}

/// The HMAC secrets that JWT documentation signs its examples with: jwt.io's debugger
/// (<https://jwt.io/>) prefills `a-string-secret-at-least-256-bits-long`, and earlier
/// `your-256-bit-secret` (`-384-`, `-512-` for HS384 and HS512). Anyone can mint a token
/// with a published secret, so one that verifies under it is a copied example, not an
/// issued credential.
const DOCUMENTED_JWT_SECRETS: [&[u8]; 4] = [
    b"a-string-secret-at-least-256-bits-long",
    b"your-256-bit-secret",
    b"your-384-bit-secret",
    b"your-512-bit-secret",
];

/// Whether the compact JWS `token` (`header.payload.signature`) with `alg` (HS256, HS384,
/// HS512) has the signature `sig` under one of [`DOCUMENTED_JWT_SECRETS`] (RFC 7515 5.1:
/// the signing input is `header.payload` as written).
fn signed_with_documented_secret(alg: &str, token: &[u8], sig: &[u8]) -> bool {
    use sha2::{Sha256, Sha384, Sha512};
    let Some(dot) = token.iter().rposition(|&b| b == b'.') else {
        return false;
    };
    let input = &token[..dot];
    DOCUMENTED_JWT_SECRETS.iter().any(|key| match alg {
        "HS256" => verifies::<hmac::Hmac<Sha256>>(key, input, sig),
        "HS384" => verifies::<hmac::Hmac<Sha384>>(key, input, sig),
        "HS512" => verifies::<hmac::Hmac<Sha512>>(key, input, sig),
        _ => false,
    })
}

/// Whether `sig` is the MAC `M` of `message` under `key`.
fn verifies<M: hmac::Mac + hmac::digest::KeyInit>(key: &[u8], message: &[u8], sig: &[u8]) -> bool {
    let Ok(mut mac) = <M as hmac::digest::KeyInit>::new_from_slice(key) else {
        return false;
    };
    mac.update(message);
    mac.verify_slice(sig).is_ok()
}

/// Base64 of printable `user:password`, both parts non-empty, the password not a
/// placeholder word (documentation writes `username:password`, `user:pass`).
fn basic_auth(secret: &[u8]) -> bool {
    const B64: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let Ok(bytes) = B64.decode(secret) else {
        return false;
    };
    if !bytes.iter().all(|b| b.is_ascii_graphic() || *b == b' ') {
        return false;
    }
    let Some(colon) = bytes.iter().position(|&b| b == b':') else {
        return false;
    };
    let (user, password) = (&bytes[..colon], &bytes[colon + 1..]);
    const PLACEHOLDERS: [&[u8]; 7] = [
        b"password",
        b"pass",
        b"passwd",
        b"secret",
        b"changeme",
        b"token",
        b"xxxxxxxx",
    ];
    !user.is_empty()
        && !password.is_empty()
        && !PLACEHOLDERS
            .iter()
            .any(|p| password.eq_ignore_ascii_case(p))
}

/// Base64 of `<12 digits>:<20 bytes>`, after an optional `BBDC-`.
fn atlassian_dc_pat(secret: &[u8]) -> bool {
    let body = secret.strip_prefix(b"BBDC-").unwrap_or(secret);
    if body.len() != 44 {
        return false;
    }
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(body) else {
        return false;
    };
    bytes.len() == 33 && bytes[..12].iter().all(u8::is_ascii_digit) && bytes[12] == b':'
}

/// Whether `value` opens as an Atlassian Data Center token does: its first 20 characters
/// (after Bitbucket's `BBDC-`) are base64 of a 12-digit token id, the colon after it and
/// two more bytes. Such a value is judged by [`atlassian_dc_pat`] wherever it is found,
/// so one of the wrong length is a look-alike for every rule. (Base64 of a longer run of
/// digits, as Discord's bot tokens open with, has a digit where the colon would be.)
fn atlassian_dc_id(value: &[u8]) -> bool {
    let body = value.strip_prefix(b"BBDC-").unwrap_or(value);
    let Some(head) = body.get(..20) else {
        return false;
    };
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(head) else {
        return false;
    };
    bytes.len() == 15 && bytes[..12].iter().all(u8::is_ascii_digit) && bytes[12] == b':'
}

/// Reads a base-128 varint (at most 4 bytes: no field of a token is that long).
fn uvarint(data: &[u8], pos: &mut usize) -> Option<usize> {
    let mut n = 0usize;
    for shift in 0..4 {
        let b = *data.get(*pos)?;
        *pos += 1;
        n |= usize::from(b & 0x7F) << (7 * shift);
        if b < 0x80 {
            return Some(n);
        }
    }
    None
}

/// One section of a v2 macaroon: fields in increasing type order up to an end marker
/// (type 0). Returns (type, value) pairs.
fn section<'a>(data: &'a [u8], pos: &mut usize) -> Option<Vec<(usize, &'a [u8])>> {
    let mut fields = Vec::new();
    let mut prev = 0;
    loop {
        let ty = uvarint(data, pos)?;
        if ty == 0 {
            return Some(fields);
        }
        if ty <= prev {
            return None;
        }
        let len = uvarint(data, pos)?;
        let end = pos.checked_add(len).filter(|&e| e <= data.len())?;
        fields.push((ty, &data[*pos..end]));
        *pos = end;
        prev = ty;
    }
}

/// Field types of the v2 binary format.
const LOCATION: usize = 1;
const IDENTIFIER: usize = 2;
const SIGNATURE: usize = 6;

/// PyPI: the body decodes to a whole v2 macaroon located at PyPI or TestPyPI.
fn pypi_macaroon(secret: &[u8]) -> bool {
    let Some(body) = secret.strip_prefix(b"pypi-") else {
        return false;
    };
    // Unpadded base64url, as pymacaroons writes it; tolerate padding and stray low bits.
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let Ok(data) = LENIENT.decode(body) else {
        return false;
    };
    if data.first() != Some(&2) {
        return false;
    }
    let mut pos = 1;
    let Some(header) = section(&data, &mut pos) else {
        return false;
    };
    let located = header.iter().any(|&(ty, v)| {
        ty == LOCATION && (v == b"pypi.org".as_slice() || v == b"test.pypi.org".as_slice())
    });
    let identified = header
        .iter()
        .any(|&(ty, v)| ty == IDENTIFIER && !v.is_empty());
    if !located || !identified {
        return false;
    }
    // Caveats, each a section with an identifier, until an empty section.
    loop {
        match section(&data, &mut pos) {
            None => return false,
            Some(c) if c.is_empty() => break,
            Some(c) => {
                if !c.iter().any(|&(ty, _)| ty == IDENTIFIER) {
                    return false;
                }
            }
        }
    }
    let (Some(ty), Some(len)) = (uvarint(&data, &mut pos), uvarint(&data, &mut pos)) else {
        return false;
    };
    ty == SIGNATURE && len == 32 && pos + len == data.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    #[test]
    fn basic_auth_needs_printable_user_colon_password() {
        let enc = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        assert!(basic_auth(enc("ci-deployer:Qw8v2LmRt5").as_bytes()));
        assert!(basic_auth(enc("sfx.builder:k9").as_bytes()));
        assert!(!basic_auth(enc("username:password").as_bytes()));
        assert!(!basic_auth(enc("user:PASS").as_bytes()));
        assert!(!basic_auth(enc("no-colon-here").as_bytes()));
        assert!(!basic_auth(enc(":Qw8v2LmRt5").as_bytes()));
        assert!(!basic_auth(enc("ci-deployer:").as_bytes()));
        assert!(!basic_auth(b"c3ZjLWJ1aWxkOmhvY0dBckV\x00"));
        assert!(!basic_auth(&[0x81, 0x00, 0xff, 0x10]));
    }

    #[test]
    fn atlassian_dc_pat_is_id_colon_random() {
        use base64::engine::general_purpose::STANDARD;
        let mut raw = b"402913577260:".to_vec();
        raw.extend_from_slice(&[0x9c, 0x11, 0xfe, 0x03, 0x7a, 0x42, 0xd8, 0x65, 0x1b, 0xc0]);
        raw.extend_from_slice(&[0x5e, 0x77, 0x2a, 0x91, 0x0f, 0xb3, 0x48, 0xe6, 0x3d, 0x84]);
        let good = STANDARD.encode(&raw);
        assert_eq!(good.len(), 44);
        assert!(atlassian_dc_pat(good.as_bytes()));
        assert!(atlassian_dc_pat(format!("BBDC-{good}").as_bytes()));
        let mut no_colon = raw.clone();
        no_colon[12] = b';';
        assert!(!atlassian_dc_pat(STANDARD.encode(&no_colon).as_bytes()));
        let mut letter_id = raw.clone();
        letter_id[3] = b'x';
        assert!(!atlassian_dc_pat(STANDARD.encode(&letter_id).as_bytes()));
        assert!(!atlassian_dc_pat(
            b"Qk9nVXNWYWx1ZVRoYXRJc05vdEFUb2tlbkF0QWxsISE="
        ));
    }

    #[test]
    fn atlassian_dc_look_alikes_fail_everywhere() {
        use base64::engine::general_purpose::STANDARD;
        let mut raw = b"582041736190:".to_vec();
        raw.extend_from_slice(&[0x41, 0xe2, 0x07, 0x9d, 0x5a, 0xc3, 0x18, 0x6f, 0xb4, 0x20]);
        raw.extend_from_slice(&[0x73, 0x0e, 0x95, 0xd1, 0x2c, 0x68, 0xfa, 0x37, 0x8b, 0x06]);
        let good = STANDARD.encode(&raw);
        assert!(atlassian_dc_id(good.as_bytes()));
        assert!(!failed_lookalike(good.as_bytes()));
        // Cut short, extended or re-padded: the id says Atlassian, the length says edited.
        for bad in [
            good[..40].to_owned(),
            format!("{good}AAAA"),
            format!("{}=", &good[..44]),
        ] {
            assert!(failed_lookalike(bad.as_bytes()), "{bad}");
        }
        // Not an id: letters in the first 12 bytes, no colon after them, or a longer
        // number (a Discord bot token opens with base64 of an 18-digit user id).
        assert!(!failed_lookalike(
            b"NDEyOTI4MjY1NTI0ODExNzE4.Zk3pQw.Rt8vXb2LmN9qHc4sYw7KdJ1fGe"
        ));
        assert!(!failed_lookalike(
            b"Qk9nVXNWYWx1ZVRoYXRJc05vdEFUb2tlbkF0QWxsIQ"
        ));
        let mut no_colon = raw.clone();
        no_colon[12] = b'-';
        let no_colon = STANDARD.encode(&no_colon);
        assert!(!failed_lookalike(&no_colon.as_bytes()[..40]));
    }

    #[test]
    fn documented_prefixes_with_a_broken_shape_are_look_alikes() {
        let hex64 = "7c0f3a9e51d24b8a96e03f7d2c5b18a4e9f6071d3b2c8a5e4f9d6b0a1c7e3f25";
        let admin_half = "Vn3qLp8RwT2xKz7bHf4mJd9sQe6yUa1cGo5iNr0tWk3vBh8jXl2pCu7zMy4";
        let cf40 = "Qm7vLx2RpT9wKz4bHf8nJd3sYe6gUa1cXo5iNr0t";
        for v in [
            format!("gloas-{}", &hex64[..32]),
            format!("gloas-{}", hex64.to_uppercase()),
            format!("sk-admin-{admin_half}{admin_half}"),
            format!("sk-admin-short4T3BlbkFJ{admin_half}"),
            format!("sk-admin-{admin_half}T3BlbkFJcut"),
            format!("pcsk_ab12_{}", &admin_half[..59].replace('-', "x")),
            "cfut_Qm7vLx2RpT9wKz4bHf8n".to_string(),
            format!("cfk_{cf40}3e1f9a2c0d5b7e4f6a8c1d3e5f7b9a2c4d6e8f"),
            // base64 of `reftkn:01:` and a run of zeros, then a word: cut short.
            "cmVmdGtuOjAxOjAwMDAwMDAwMDA6Q1VU".to_string(),
        ] {
            assert!(failed_lookalike(v.as_bytes()), "{v}");
        }
        let pinecone = format!(
            "pcsk_Tq4Wm9_{}",
            "Kx7bN2vLp9QrT4wZm8Hs3JdF6yUe1cGa5oXi0kRnVt2Bh7jPl4qMz9CuWs6Ye3f"
        );
        for v in [
            format!("gloas-{hex64}"),
            format!("sk-admin-{admin_half}T3BlbkFJ{admin_half}"),
            pinecone,
            format!("cfut_{cf40}9b4e2d7f"),
            format!("cfat_{cf40}a1B2-c3D4"),
            format!("cmVmdGtuOjAxOj{}", &cf40[..36].repeat(2)[..50]),
            // Other prefixes, and the bare word, are not judged here.
            "sk-Zq8rT2mK9vX4pL7wN3bH6jF1".to_string(),
            "gloas".to_string(),
        ] {
            assert!(!failed_lookalike(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn crc32_known_values() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(
            crc32(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
    }

    // Synthetic values made for these tests with the published construction; none was
    // ever issued by a provider.
    const GH_GOOD: &str = "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"; // keytrace:allow
    const NPM_GOOD: &str = "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"; // keytrace:allow

    #[test]
    fn github_and_npm_checksums() {
        assert!(validate(Validator::GithubCrc32, GH_GOOD.as_bytes()));
        assert!(validate(Validator::GithubCrc32, NPM_GOOD.as_bytes()));
        // The same body with another checksum, a case flip, or a swapped character.
        let bad = GH_GOOD.replace("UyzA6", "UyzA7");
        assert!(!validate(Validator::GithubCrc32, bad.as_bytes()));
        let flipped = GH_GOOD.replace("Kq3", "kq3");
        assert!(!validate(Validator::GithubCrc32, flipped.as_bytes()));
        let shape = "ghp_AyEETyi94C2M8PPeGHwRlka5RLE7GxtZcTgS"; // keytrace:allow
        assert!(!validate(Validator::GithubCrc32, shape.as_bytes()));
        // A body of another length has no published construction: not rejected.
        let long = format!("ghr_{}", "a".repeat(76));
        assert!(validate(Validator::GithubCrc32, long.as_bytes()));
    }

    #[test]
    fn github_checksum_keeps_leading_zero_digits() {
        // Find a body whose CRC32 is small enough that its base62 form starts with `0`.
        let alphabet = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        let mut body = *b"abcdefghijklmnopqrstuvwxyz0000";
        let mut n = 0u64;
        loop {
            let mut x = n;
            for slot in body[20..].iter_mut() {
                *slot = alphabet[(x % 62) as usize];
                x /= 62;
            }
            let crc = crc32(&body);
            if crc < 62u32.pow(5) {
                let mut digits = [b'0'; 6];
                let mut v = u64::from(crc);
                for d in digits.iter_mut().rev() {
                    *d = alphabet[(v % 62) as usize];
                    v /= 62;
                }
                assert_eq!(digits[0], b'0');
                let token = [b"ghp_".as_slice(), &body, &digits].concat();
                assert!(validate(Validator::GithubCrc32, &token));
                break;
            }
            n += 1;
        }
    }

    #[test]
    fn grafana_checksum() {
        let key = "glsa_Hn4Rw8Kt2Lq6Vz0Xc3Bm7Pj1Sd5Fg9Ya";
        let good = format!("{key}_{}", hex_le(crc32(key.as_bytes())));
        assert!(validate(Validator::GrafanaCrc32, good.as_bytes()));
        let bad = format!("{key}_{}", hex_le(crc32(key.as_bytes()) ^ 1));
        assert!(!validate(Validator::GrafanaCrc32, bad.as_bytes()));
        assert!(!validate(
            Validator::GrafanaCrc32,
            b"glsa_PFg7SxZjqUXZoZT6kb2rXj7TIQRPBtma_9148167z"
        ));
    }

    fn hex_le(v: u32) -> String {
        v.to_le_bytes().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// A v2 macaroon serialized the way pymacaroons does, with a zero signature.
    fn macaroon(location: &[u8], identifier: &[u8], caveats: &[&[u8]]) -> String {
        let mut d = vec![2u8];
        let field = |d: &mut Vec<u8>, ty: u8, v: &[u8]| {
            d.push(ty);
            d.push(v.len() as u8);
            d.extend_from_slice(v);
        };
        field(&mut d, 1, location);
        field(&mut d, 2, identifier);
        d.push(0);
        for c in caveats {
            field(&mut d, 2, c);
            d.push(0);
        }
        d.push(0);
        field(&mut d, 6, &[7u8; 32]);
        format!("pypi-{}", URL_SAFE_NO_PAD.encode(d))
    }

    #[test]
    fn jwt_structure() {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD as U;
        let tok = |h: &str, p: &str| {
            format!(
                "{}.{}.c2lnbmF0dXJlLWJ5dGVzLWhlcmU",
                U.encode(h),
                U.encode(p)
            )
        };
        let good = tok(
            r#"{"alg":"HS256","typ":"JWT"}"#,
            r#"{"sub":"svc-7","iat":1718688215}"#,
        );
        assert!(validate(Validator::Jwt, good.as_bytes()));
        // The payload is not judged (see the module docs).
        let odd_payload = format!(
            "{}.eyJzdWIiOiJzdmMtNyIsImlhdCI6MTcxOD.c2ln",
            U.encode(r#"{"alg":"HS256"}"#)
        );
        assert!(validate(Validator::Jwt, odd_payload.as_bytes()));
        for bad in [
            tok(r#"{"typ":"JWT"}"#, r#"{"sub":"svc-7"}"#),
            tok(r#"{"alg":"HS256","typ"JWT"}"#, r#"{"sub":"svc-7"}"#),
            tok(r#"["HS256"]"#, r#"{"sub":"svc-7"}"#),
        ] {
            assert!(!validate(Validator::Jwt, bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn jwt_signed_with_a_documented_secret_is_an_example() {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD as U;
        use sha2::{Sha256, Sha512};
        let signed = |alg: &str, key: &[u8], sign: fn(&[u8], &[u8]) -> Vec<u8>| {
            let input = format!(
                "{}.{}",
                U.encode(format!(r#"{{"alg":"{alg}"}}"#)),
                U.encode(r#"{"sub":"deploy-bot","iat":1733500000}"#)
            );
            let sig = sign(key, input.as_bytes());
            format!("{input}.{}", U.encode(sig))
        };
        let hs256: fn(&[u8], &[u8]) -> Vec<u8> = |k, m| mac::<hmac::Hmac<Sha256>>(k, m);
        let hs512: fn(&[u8], &[u8]) -> Vec<u8> = |k, m| mac::<hmac::Hmac<Sha512>>(k, m);
        for (alg, key, sign) in [
            (
                "HS256",
                &b"a-string-secret-at-least-256-bits-long"[..],
                hs256,
            ),
            ("HS256", b"your-256-bit-secret", hs256),
            ("HS512", b"your-512-bit-secret", hs512),
        ] {
            let t = signed(alg, key, sign);
            assert!(!validate(Validator::Jwt, t.as_bytes()), "{t}");
        }
        // Signed with a secret of its own, or under another algorithm's name.
        let own = signed("HS256", b"Zq8v2LrT0pXw5mNk3sHd7YfBc1GjUe4A", hs256);
        assert!(validate(Validator::Jwt, own.as_bytes()));
        let other = signed("HS512", b"your-256-bit-secret", hs256);
        assert!(validate(Validator::Jwt, other.as_bytes()));
    }

    fn mac<M: hmac::Mac + hmac::digest::KeyInit>(key: &[u8], message: &[u8]) -> Vec<u8> {
        let mut mac = <M as hmac::digest::KeyInit>::new_from_slice(key).unwrap();
        mac.update(message);
        mac.finalize().into_bytes().to_vec()
    }

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        use sha2::Sha256;
        let mac: Vec<u8> = (0..32)
            .map(|i| {
                u8::from_str_radix(
                    &"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
                        [2 * i..2 * i + 2],
                    16,
                )
                .unwrap()
            })
            .collect();
        let message = b"what do ya want for nothing?";
        assert!(verifies::<hmac::Hmac<Sha256>>(b"Jefe", message, &mac));
        assert!(!verifies::<hmac::Hmac<Sha256>>(b"Jeff", message, &mac));
        assert!(!verifies::<hmac::Hmac<Sha256>>(
            b"Jefe",
            message,
            &mac[..31]
        ));
    }

    #[test]
    fn pypi_macaroon_structure() {
        let id = b"5b0f3c1e-2a4d-4e6f-8a9b-0c1d2e3f4a5b";
        let caveat = br#"{"version": 1, "permissions": "user"}"#;
        let good = macaroon(b"pypi.org", id, &[caveat]);
        assert!(validate(Validator::PypiMacaroon, good.as_bytes()), "{good}");
        let test = macaroon(b"test.pypi.org", id, &[]);
        assert!(validate(Validator::PypiMacaroon, test.as_bytes()));
        // Another location, no identifier, a truncated or extended body, random bytes.
        let other = macaroon(b"example.com", id, &[caveat]);
        assert!(!validate(Validator::PypiMacaroon, other.as_bytes()));
        let anon = macaroon(b"pypi.org", b"", &[caveat]);
        assert!(!validate(Validator::PypiMacaroon, anon.as_bytes()));
        assert!(!validate(
            Validator::PypiMacaroon,
            &good.as_bytes()[..good.len() - 6]
        ));
        let longer = format!("{good}AAAA");
        assert!(!validate(Validator::PypiMacaroon, longer.as_bytes()));
        let shape = "pypi-AgEIcHlwaS5vcmcCJDBzSXvrM2kF2J2w3G2BvBIgQZm5pYxS9TGKkB8WcBLJlsh1KVIFKQUXaAXYWMQYze6EMkTii2Pc9HdUwpznZ75XaImtXgn2Tlfv000xlveEaC6sbF-AjtoU61Xx8Pr2QF4IZEolRy9-44"; // keytrace:allow
        assert!(!validate(Validator::PypiMacaroon, shape.as_bytes()));
        assert!(!validate(Validator::PypiMacaroon, b"pypi-%%%%"));
    }
}
