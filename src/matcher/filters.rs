//! Filters applied to a confirmed secret: entropy, placeholders, and the stricter checks
//! of the generic detector (identifiers, references, hashes, UUIDs, sequences).

/// Shannon entropy of `bytes` in bits per byte.
pub fn shannon_entropy(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let n = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// Words that mark a value as a stand-in, for every rule.
const PLACEHOLDER_WORDS: &[&[u8]] = &[
    b"example",
    b"xxxxx",
    b"placeholder",
    b"changeme",
    b"dummy",
    b"redacted",
    b"${",
    b"{{",
    b"<",
    b">",
];

/// Whether a secret is a placeholder by the rules every rule follows.
pub fn is_placeholder(secret: &[u8]) -> bool {
    contains_any_ci(secret, PLACEHOLDER_WORDS) || longest_run(secret) >= 8
}

/// More stand-in markers, only for the generic detector (a real prefixed token may
/// legitimately contain these letters; a `password = "..."` value that says so is not).
const GENERIC_PLACEHOLDER_WORDS: &[&[u8]] = &[
    b"your",
    b"sample",
    b"fake",
    b"test",
    b"secret",
    b"password",
    b"passwd",
    b"token",
    b"change",
    b"replace",
    b"insert",
    b"enter",
    b"todo",
    b"fixme",
    b"****",
    b"...",
    b"%(",
    b"%s",
    b"$(",
    b"#{",
    b"{%",
    b"env.",
    b"environ",
    b"getenv",
    b"process.",
    b"settings.",
    b"config.",
    b"vault:",
    b"secretkeyref",
    b"lookup(",
    b"none",
    b"null",
    b"undefined",
    b"true",
    b"false",
    b"abc123",
    b"qwerty",
    b"letmein",
    b"hunter2",
    b"admin",
    b"default",
];

/// Whether a value found by a `generic.*` rule should be dropped.
pub fn generic_rejects(secret: &[u8]) -> bool {
    // Trailing `!`/`?` end calls and macros (`System.fetch_env!`, `value?`).
    let trimmed = secret
        .strip_suffix(b"!")
        .or_else(|| secret.strip_suffix(b"?"))
        .unwrap_or(secret);
    if trimmed.len() != secret.len() && generic_rejects(trimmed) {
        return true;
    }
    // Base64 of a stand-in (`Y2hhbmdlbWU=` is "changeme"): judge the decoded text.
    if let Some(decoded) = decode_printable_base64(secret) {
        if decoded.len() >= 4 && (generic_rejects(&decoded) || shannon_entropy(&decoded) < 3.0) {
            return true;
        }
    }
    // Words in any script (`Passwortbestätigung`): UI text, not a credential.
    if let Ok(text) = std::str::from_utf8(secret) {
        if !text.is_ascii()
            && text
                .chars()
                .all(|c| c.is_alphabetic() || c == '-' || c == '_' || c == ' ')
        {
            return true;
        }
    }
    // Datadog browser (RUM) client tokens, `pub` + 32 hex, are public by design.
    if secret.len() == 35
        && secret.starts_with(b"pub")
        && secret[3..].iter().all(u8::is_ascii_hexdigit)
    {
        return true;
    }
    if secret.len() < 8
        || is_placeholder(secret)
        || contains_any_ci(secret, GENERIC_PLACEHOLDER_WORDS)
    {
        return true;
    }
    // Expressions: negation, address-of, dereference, then a name.
    if matches!(
        secret[0],
        b'!' | b'&' | b'*' | b'@' | b'#' | b'%' | b'+' | b'=' | b'|' | b'?'
    ) {
        return true;
    }
    // Dotted references to code or config: `SecureRandom.urlsafe_base64`, `cfg.db.pass1`.
    if secret.contains(&b'.') && secret.split(|&b| b == b'.').all(is_identifier) {
        return true;
    }
    let letters = secret.iter().filter(|b| b.is_ascii_alphabetic()).count();
    let digits = secret.iter().filter(|b| b.is_ascii_digit()).count();
    // Identifiers and dotted references: `get_password`, `self.api_key`, `os.path`.
    if secret
        .iter()
        .all(|&b| b.is_ascii_alphabetic() || matches!(b, b'_' | b'.' | b'-' | b'/' | b':'))
    {
        return true;
    }
    // Calls, indexing, interpolation: code, not a literal.
    if secret
        .iter()
        .any(|&b| matches!(b, b'(' | b')' | b'[' | b']' | b'{' | b'}' | b'$' | b'\\'))
    {
        return true;
    }
    // Paths and URLs without credentials are not secrets.
    if secret.starts_with(b"/")
        || secret.starts_with(b"./")
        || secret.starts_with(b"~/")
        || memchr::memmem::find(secret, b"://").is_some()
    {
        return true;
    }
    if letters == 0 || (digits == 0 && secret.len() < 16) {
        return true;
    }
    if is_uuid(secret) || is_hex_digest(secret) || is_sequential(secret) {
        return true;
    }
    // Words joined by separators (`my-service-name`, `Some_Setting_Value`) read as names.
    if looks_like_words(secret) {
        return true;
    }
    false
}

fn contains_any_ci(hay: &[u8], needles: &[&[u8]]) -> bool {
    needles
        .iter()
        .any(|n| hay.len() >= n.len() && hay.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n)))
}

/// Length of the longest run of one repeated byte.
pub fn longest_run(s: &[u8]) -> usize {
    let mut best = 0;
    let mut run = 0;
    let mut prev = None;
    for &b in s {
        if Some(b) == prev {
            run += 1;
        } else {
            run = 1;
            prev = Some(b);
        }
        best = best.max(run);
    }
    best
}

/// `8-4-4-4-12` hex.
pub fn is_uuid(s: &[u8]) -> bool {
    s.len() == 36
        && s.iter().enumerate().all(|(i, &b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// A bare hex digest of a common hash length (md5, sha1, sha256, sha512): in a generic
/// assignment these are checksums and commit ids far more often than keys.
pub fn is_hex_digest(s: &[u8]) -> bool {
    matches!(s.len(), 32 | 40 | 64 | 128) && s.iter().all(u8::is_ascii_hexdigit)
}

/// Ascending or descending runs (`123456789`, `abcdefgh`) over most of the value.
pub fn is_sequential(s: &[u8]) -> bool {
    if s.len() < 6 {
        return false;
    }
    let steps = s.windows(2).filter(|w| {
        let d = i16::from(w[1]) - i16::from(w[0]);
        d == 1 || d == -1
    });
    steps.count() * 10 >= (s.len() - 1) * 6
}

fn looks_like_words(s: &[u8]) -> bool {
    let parts: Vec<&[u8]> = s
        .split(|&b| matches!(b, b'-' | b'_' | b'.' | b' ' | b':'))
        .filter(|p| !p.is_empty())
        .collect();
    parts.len() >= 2 && parts.iter().all(|p| is_word(p))
}

/// A word, a short number, or a word with a short numeric suffix (`utf8`, `base64`, `v2`).
fn is_word(p: &[u8]) -> bool {
    let digits = p.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    let (head, tail) = p.split_at(p.len() - digits);
    (head.iter().all(u8::is_ascii_alphabetic) && tail.len() <= 3)
        || (head.is_empty() && tail.len() <= 4)
}

/// A programming-language identifier.
fn is_identifier(p: &[u8]) -> bool {
    p.first()
        .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_')
        && p.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Standard-alphabet base64 (padded, length a multiple of 4) that decodes to printable
/// ASCII: the decoded text.
fn decode_printable_base64(s: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine as _;
    if s.len() < 8
        || s.len() % 4 != 0
        || !s
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(s).ok()?;
    decoded
        .iter()
        .all(|&b| (0x20..0x7f).contains(&b))
        .then_some(decoded)
}

/// Words that, just above a generic match, say the value is ciphertext or signature
/// material meant to be committed (SealedSecrets `encryptedData`, SOPS, Renovate's
/// `encrypted`, webhook `signature` blocks).
const CIPHERTEXT_CONTEXT: &[&[u8]] = &[b"encrypted", b"sealedsecret", b"sops:", b"signature"];

/// Whether a generic match sits under ciphertext: the two lines above it, or its nearest
/// less-indented parent line (a YAML or JSON block such as `encryptedData:`), name
/// encryption or a signature.
pub fn generic_context_rejects(data: &[u8], match_start: usize) -> bool {
    let line_start = memchr::memrchr(b'\n', &data[..match_start]).map_or(0, |i| i + 1);
    let indent = |line: &[u8]| {
        line.iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count()
    };
    let own_indent = indent(&data[line_start..match_start]);
    if contains_any_ci(&data[line_start..match_start], CIPHERTEXT_CONTEXT) {
        return true;
    }
    let mut end = line_start;
    for seen in 0..40 {
        if end == 0 {
            break;
        }
        let start = memchr::memrchr(b'\n', &data[..end - 1]).map_or(0, |i| i + 1);
        let line = &data[start..end - 1];
        end = start;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let parent = indent(line) < own_indent;
        if (seen < 2 || parent) && contains_any_ci(line, CIPHERTEXT_CONTEXT) {
            return true;
        }
        if parent {
            break;
        }
    }
    false
}

/// Parts of an assigned-to name that say the value is about a secret, not the secret:
/// `token_fingerprint`, `password_hash`, `secret_name`, `api_key_id`.
const NON_SECRET_NAME_PARTS: &[&[u8]] = &[
    b"fingerprint",
    b"hash",
    b"digest",
    b"checksum",
    b"sha",
    b"md5",
    b"name",
    b"type",
    b"kind",
    b"path",
    b"file",
    b"dir",
    b"url",
    b"uri",
    b"endpoint",
    b"header",
    b"field",
    b"format",
    b"length",
    b"size",
    b"count",
    b"max",
    b"min",
    b"expiry",
    b"expires",
    b"expiration",
    b"ttl",
    b"timeout",
    b"version",
    b"prefix",
    b"policy",
    b"rotation",
    b"ref",
    b"arn",
    b"label",
    b"hint",
    b"regex",
    b"pattern",
    b"validator",
    b"manager",
    b"provider",
    b"helper",
    b"interceptor",
    b"reducer",
    b"selector",
    b"handler",
    b"callback",
    b"generator",
    b"factory",
    b"kid",
    b"uuid",
    b"id",
    b"ids",
    b"index",
    b"enabled",
    b"required",
    b"mode",
    b"strategy",
];

/// Whether the name a generic rule captured says its value is not a secret. Names are
/// split on `_`, `-`, `.` and camelCase humps.
pub fn generic_name_rejects(name: &[u8]) -> bool {
    let mut parts: Vec<Vec<u8>> = Vec::new();
    let mut cur: Vec<u8> = Vec::new();
    let mut prev_lower = false;
    for &b in name {
        if matches!(b, b'_' | b'-' | b'.' | b'"' | b'\'' | b'[' | b']') {
            if !cur.is_empty() {
                parts.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if b.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            parts.push(std::mem::take(&mut cur));
        }
        prev_lower = b.is_ascii_lowercase() || b.is_ascii_digit();
        cur.push(b.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    parts
        .iter()
        .any(|p| NON_SECRET_NAME_PARTS.contains(&p.as_slice()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_of_uniform_and_random() {
        assert_eq!(shannon_entropy(b"aaaa"), 0.0);
        assert!((shannon_entropy(b"abcd") - 2.0).abs() < 1e-9);
        assert!(shannon_entropy(b"Zq8rT2mK9vX4pL7wN3bH6jF1") > 4.0);
    }

    #[test]
    fn placeholders() {
        assert!(is_placeholder(b"ghp_xxxxxxxxxxxxxxxxxxxxxxxx"));
        assert!(is_placeholder(b"AKIAIOSFODNN7EXAMPLE"));
        assert!(is_placeholder(b"${GITHUB_TOKEN}"));
        assert!(is_placeholder(b"aaaaaaaaaaaa"));
        assert!(!is_placeholder(b"ghp_Zq8rT2mK9vX4pL7wN3bH6jF1"));
    }

    #[test]
    fn generic_filters() {
        for v in [
            "changeme123",
            "your_api_key",
            "get_password_hash",
            "self.api_key",
            "os.environ",
            "process.env.API_KEY",
            "123e4567-e89b-12d3-a456-426614174000",
            "da39a3ee5e6b4b0d3255bfef95601890afd80709",
            "12345678",
            "abcdefghij",
            "my-service-name",
            "/etc/secrets/key",
            "CredentialKind::ApiToken",
        ] {
            assert!(generic_rejects(v.as_bytes()), "{v}");
        }
        for v in ["Zq8rT2mK9vX4pL7w", "s3cR3t-Pa55w0rd!x9", "uV7#kP2@qL9zR4m"] {
            assert!(!generic_rejects(v.as_bytes()), "{v}");
        }
        assert!(generic_rejects(b"SecureRandom.urlsafe_base64"));
        assert!(generic_rejects(b"utf8_to_utf16_dup"));
        assert!(generic_rejects(b"!!string_list_lookup"));
        assert!(generic_rejects(b"System.fetch_env!"));
        assert!(generic_rejects(b"Y2hhbmdlbWU="));
        assert!(generic_rejects("Passwortbestätigung".as_bytes()));
        assert!(generic_rejects(b"x:1500:deploy"));
        assert!(
            !generic_rejects(b"WjhxVnozTG1UMHhXcDdSaw=="),
            "base64 of a random value stays"
        );
        let yaml = b"spec:\n  encryptedData:\n    a: Ag1\n    b: Ag2\n    c: Ag3\n    d: Ag4\n";
        let at = memchr::memmem::find(yaml, b"Ag4").unwrap();
        assert!(generic_context_rejects(yaml, at));
        let plain = b"spec:\n  data:\n    a: x\n    b: x\n    c: x\n    d: Ag4\n";
        assert!(!generic_context_rejects(
            plain,
            memchr::memmem::find(plain, b"Ag4").unwrap()
        ));
    }

    #[test]
    fn generic_names() {
        for n in [
            "token_fingerprint",
            "passwordHash",
            "SECRET_NAME",
            "api_key_id",
            "authKeyCredentialInterceptor",
        ] {
            assert!(generic_name_rejects(n.as_bytes()), "{n}");
        }
        for n in [
            "DB_PASSWORD",
            "client_secret",
            "apiKey",
            "\"password",
            "SECRET_KEY",
        ] {
            assert!(!generic_name_rejects(n.as_bytes()), "{n}");
        }
    }
}
