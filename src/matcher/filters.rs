//! Filters applied to a confirmed secret: entropy, placeholders, and the stricter checks
//! of the generic detector (identifiers, references, hashes, UUIDs, sequences).
//! Hand-typed and edited look-alikes are judged in [`lookalike`], plain stand-ins and
//! password hashes in [`standin`].

pub mod identifier;
pub mod lookalike;
pub mod standin;

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
    // The stock example passwords of tutorials and test suites.
    b"letmein",
    b"hunter2",
    b"${",
    b"{{",
    b"<",
    b">",
];

/// The body of a private key block: its base64 lines, without the armor lines
/// (`-----BEGIN ...`), header lines (`Comment: ...`, `Proc-Type: ...`, PuTTY's
/// `Encryption: none`) and comment lines a file may put inside the block. Lines may be
/// separated by newlines or by the escaped `\n` of a JSON string. When nothing is left
/// (an unusual layout), the whole secret is the body.
pub fn key_body(secret: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let mut body = Vec::with_capacity(secret.len());
    let mut rest = secret;
    while !rest.is_empty() {
        let nl = memchr::memchr(b'\n', rest);
        let esc = memchr::memmem::find(rest, b"\\n");
        let (line, next) = match (nl, esc) {
            (Some(a), Some(b)) if b < a => (&rest[..b], &rest[b + 2..]),
            (Some(a), _) => (&rest[..a], &rest[a + 1..]),
            (None, Some(b)) => (&rest[..b], &rest[b + 2..]),
            (None, None) => (rest, &rest[rest.len()..]),
        };
        rest = next;
        let line = line.trim_ascii();
        let line = line.strip_suffix(b"\\r").unwrap_or(line).trim_ascii();
        let base64_line = !line.is_empty()
            && line
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'\\'));
        if base64_line {
            // Lines stay apart, so runs of one character never join across a line break.
            if !body.is_empty() {
                body.push(b'\n');
            }
            body.extend_from_slice(line);
        }
    }
    if body.is_empty() {
        std::borrow::Cow::Borrowed(secret)
    } else {
        std::borrow::Cow::Owned(body)
    }
}

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
    b"admin",
    // The name itself in the value (`apikeyvaluehere`, `credentialService.save`).
    b"apikey",
    b"credential",
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
    // Stand-in words spelled through punctuation or percent-encoding: `pass%2Bword`
    // ("pass+word" in a URL-encoding example), `Pass.word`, `ex-ample`.
    let decoded = percent_decode(secret);
    if contains_any_ci(&alphanumeric_only(&decoded), SPELLED_STAND_INS) {
        return true;
    }
    // Percent-encoded test data (`pass%5B%7F`, a URL parser's case) is judged by what it
    // decodes to: too short, or control bytes, is not a credential.
    if decoded.len() != secret.len()
        && (decoded.len() < 8 || decoded.iter().any(|b| b.is_ascii_control()))
    {
        return true;
    }
    // A printf-style template (`key-%s-prod`, `tok_%.4d`, Go's `%v`, `%c`): a format
    // string that a value is put into, not the value. A `%` before two hex digits is
    // percent-encoding and stays.
    if has_format_verb(secret) {
        return true;
    }
    // Hand-typed stand-ins: an alphabet or digit walk (`12345`, `abcde`) or one short
    // unit repeated (`ab12ab12ab12`). Random values almost never hold either (a
    // five-step walk has odds near 1 in 15 million per position in base62).
    if longest_walk(secret) >= 5 || is_periodic(secret) {
        return true;
    }
    // Expressions: negation, address-of, dereference, then a name; a leading `:` is the
    // second half of a `::` scope operator (`credentials::helper::Action`).
    if matches!(
        secret[0],
        b'!' | b'&' | b'*' | b'@' | b'#' | b'%' | b'+' | b'=' | b'|' | b'?' | b':'
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
    // Digest-shaped values (hex digests, UUIDs, base64 of a digest's length) are judged
    // with the name they are assigned to, in `generic_rejects_named`.
    if is_sequential(secret) {
        return true;
    }
    // Words joined by separators (`my-service-name`, `Some_Setting_Value`) read as names.
    if looks_like_words(secret) {
        return true;
    }
    false
}

/// Long stand-in words, checked again once punctuation is gone (short ones such as
/// `test` would turn up by chance in random values).
const SPELLED_STAND_INS: &[&[u8]] = &[
    b"password",
    b"passwd",
    b"secret",
    b"example",
    b"changeme",
    b"placeholder",
    b"redacted",
    b"dummy",
];

/// `%XX` escapes decoded (repeatedly, for double encoding like `%252B`), other bytes kept.
pub(crate) fn percent_decode(s: &[u8]) -> Vec<u8> {
    let mut cur = s.to_vec();
    for _ in 0..2 {
        if !cur.contains(&b'%') {
            break;
        }
        let mut out = Vec::with_capacity(cur.len());
        let mut i = 0;
        while i < cur.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            match (
                cur.get(i + 1).copied().and_then(hex),
                cur.get(i + 2).copied().and_then(hex),
            ) {
                (Some(h), Some(l)) if cur[i] == b'%' => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                }
                _ => {
                    out.push(cur[i]);
                    i += 1;
                }
            }
        }
        cur = out;
    }
    cur
}

/// The ASCII letters and digits of `s`, in order.
fn alphanumeric_only(s: &[u8]) -> Vec<u8> {
    s.iter()
        .copied()
        .filter(u8::is_ascii_alphanumeric)
        .collect()
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

/// Whether `s` holds a printf conversion (`%s`, `%d`, `%v`, `%q`, `%x`, `%c`, `%T`, with
/// optional flags, width and precision such as `%-5s` or `%.4d`) that is not a
/// percent-encoded byte (`%` and two hex digits, which wins: `%08d` reads as the byte 08).
pub fn has_format_verb(s: &[u8]) -> bool {
    s.iter().enumerate().any(|(i, &c)| {
        if c != b'%' {
            return false;
        }
        let rest = &s[i + 1..];
        if rest.len() >= 2 && rest[0].is_ascii_hexdigit() && rest[1].is_ascii_hexdigit() {
            return false;
        }
        let mut j = 0;
        if rest
            .first()
            .is_some_and(|b| matches!(b, b'-' | b'+' | b'#' | b' ' | b'0'))
        {
            j += 1;
        }
        while rest
            .get(j)
            .is_some_and(|b| b.is_ascii_digit() || *b == b'.')
        {
            j += 1;
        }
        rest.get(j)
            .is_some_and(|b| matches!(b, b's' | b'd' | b'v' | b'q' | b'x' | b'c' | b'T'))
    })
}

/// Length of the longest run of letters or digits ascending or descending by one
/// (`3456`, `cdef`, `FEDC`).
pub fn longest_walk(s: &[u8]) -> usize {
    let mut best = 1.min(s.len());
    let (mut run, mut dir) = (1, 0i16);
    for w in s.windows(2) {
        let same_class = (w[0].is_ascii_digit() && w[1].is_ascii_digit())
            || (w[0].is_ascii_lowercase() && w[1].is_ascii_lowercase())
            || (w[0].is_ascii_uppercase() && w[1].is_ascii_uppercase());
        let d = i16::from(w[1]) - i16::from(w[0]);
        if same_class && (d == 1 || d == -1) {
            run = if d == dir { run + 1 } else { 2 };
            dir = d;
        } else {
            run = 1;
            dir = 0;
        }
        best = best.max(run);
    }
    best
}

/// Whether `s` (12+ bytes) is one unit of at most a third of its length repeated
/// (`ab12ab12ab12`, `XyZ9XyZ9XyZ9X`).
pub fn is_periodic(s: &[u8]) -> bool {
    s.len() >= 12 && (1..=s.len() / 3).any(|p| s[p..].iter().zip(s).all(|(a, b)| a == b))
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
    // `PublicKeyToken=b77a5c561934e089`: .NET's strong-name token, a hash of a public key.
    b"public",
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
    // Segments before a `/` (`checksum/secret`, a Kubernetes annotation) only say
    // "digest"; elsewhere a slash joins alternatives (`ID/Password`), whose `id` says
    // nothing about the password.
    let (head, tail) = match memchr::memrchr(b'/', name) {
        Some(i) => (&name[..i], &name[i + 1..]),
        None => (&b""[..], name),
    };
    name_parts(head).iter().any(|p| {
        DIGEST_NAME_PARTS.contains(&p.as_slice()) || SLASH_DIGEST_PARTS.contains(&p.as_slice())
    }) || name_parts(tail).iter().any(|p| {
        NON_SECRET_NAME_PARTS.contains(&p.as_slice()) || DIGEST_NAME_PARTS.contains(&p.as_slice())
    })
}

/// Digest words of [`NON_SECRET_NAME_PARTS`], for the segments before a `/`.
const SLASH_DIGEST_PARTS: &[&[u8]] = &[
    b"checksum",
    b"hash",
    b"digest",
    b"sha",
    b"md5",
    b"fingerprint",
];

/// The lowercased parts of an assigned-to name, split on `_`, `-`, `.`, quotes, brackets
/// and camelCase humps (`clientSecret` is `client`, `secret`; `APIKEY` stays one part).
fn name_parts(name: &[u8]) -> Vec<Vec<u8>> {
    let mut parts: Vec<Vec<u8>> = Vec::new();
    let mut cur: Vec<u8> = Vec::new();
    let mut prev_lower = false;
    for &b in name {
        if matches!(b, b'_' | b'-' | b'.' | b'/' | b'"' | b'\'' | b'[' | b']') {
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
}

/// Name parts that say the value is a digest or a version pin (`integrity`, `commit`,
/// `etag`, `revision`): a 40-hex value there is a commit id, not a key.
const DIGEST_NAME_PARTS: &[&[u8]] = &[
    b"sha1",
    b"sha256",
    b"sha384",
    b"sha512",
    b"hashes",
    b"hashed",
    b"checksums",
    b"integrity",
    b"commit",
    b"etag",
    b"revision",
    b"rev",
    b"oid",
    b"crc",
    b"crc32",
];

/// Qualifiers that make a `token` a protocol value rather than a credential: an anti-CSRF
/// token, a pagination cursor, a lock or idempotency token, a nonce.
const NON_CREDENTIAL_TOKEN_QUALIFIERS: &[&[u8]] = &[
    b"csrf",
    b"xsrf",
    b"page",
    b"next",
    b"continuation",
    b"sync",
    b"lock",
    b"cancel",
    b"cancellation",
    b"idempotency",
    b"state",
    b"cache",
    b"resume",
    b"cursor",
    b"change",
    b"pagination",
    b"request",
];

/// Verbs that open a name for an operation on a credential rather than the credential.
const ACTION_VERBS: &[&[u8]] = &[
    b"create",
    b"revoke",
    b"rotate",
    b"list",
    b"reset",
    b"change",
    b"update",
    b"delete",
    b"verify",
    b"get",
    b"set",
    b"fetch",
    b"generate",
    b"regenerate",
    b"validate",
    b"check",
    b"remove",
    b"add",
    b"forgot",
    b"send",
    b"issue",
    b"invalidate",
    b"expire",
    b"load",
    b"save",
    b"store",
    b"read",
    b"write",
    b"find",
    b"lookup",
    b"parse",
    b"encode",
    b"decode",
    b"encrypt",
    b"decrypt",
    b"sign",
    b"handle",
    b"on",
    b"is",
    b"has",
    b"show",
    b"edit",
    b"view",
    b"copy",
];

/// Whether a generic match is dropped, judging the value and the name together. A value
/// shaped like a digest (hex of a hash's length, a UUID, padded base64 of a hash's
/// length) is a checksum or commit id under an ambiguous name, but a secret under a name
/// that unambiguously means one (`api_key`, `client_secret`, `access_token`,
/// `password`): the name outweighs the shape.
pub fn generic_rejects_named(name: &[u8], secret: &[u8]) -> bool {
    if generic_name_rejects(name) || generic_rejects(secret) || generic_lookalike(name, secret) {
        return true;
    }
    is_digest_shaped(secret) && !names_a_credential(name)
}

/// The generic detector's look-alike shapes ([`lookalike`]): two interleaved walks, a
/// token with one character no issuer uses (unless the name says password), a host
/// name, PEM armor, a number literal, foreign-script prose, a query string, hex
/// with a stray letter (unless the name says password), a publishable key, a
/// JWT-shaped value (`eyJ` and two dots) whose header is not a JWS header, which
/// `jwt.token` has already turned down.
fn generic_lookalike(name: &[u8], secret: &[u8]) -> bool {
    let password = name_parts(name).iter().any(|p| {
        [&b"password"[..], b"passwd", b"pwd", b"passphrase", b"pass"]
            .iter()
            .any(|w| p.ends_with(w))
    });
    lookalike::interleaved_walk(secret)
        || lookalike::edited_token(password, secret)
        || lookalike::host_name(secret)
        || lookalike::pem_armor(secret)
        || lookalike::number_literal(secret)
        || lookalike::foreign_prose(secret)
        || lookalike::query_string(secret)
        || (!password && lookalike::hex_with_stray_letters(secret))
        || lookalike::publishable_key(secret)
        || jwt_lookalike(secret)
}

/// A JWT-shaped value (`eyJ` and two dots) whose header is not a JWS header: `jwt.token`
/// turned it down, so the detectors without a format of their own (the generic detector,
/// the config pass's rules such as a recorded `Bearer` value) leave it alone too.
pub fn jwt_lookalike(secret: &[u8]) -> bool {
    secret.starts_with(b"eyJ")
        && secret.iter().filter(|&&b| b == b'.').count() == 2
        && !super::checksum::validate(crate::rules::Validator::Jwt, secret)
}

/// Whether a name unambiguously means a credential: a password or secret word, a
/// qualified key (`api_key`, `secret_key`), or a token not qualified as a protocol value
/// (`csrf_token`, `next_page_token`).
pub fn names_a_credential(name: &[u8]) -> bool {
    let parts = name_parts(name);
    // `CreateApiKey`, `reset_password`, `ListTokens`: an operation on a credential (a
    // persisted-query id, a route, a handler), not one.
    if parts
        .first()
        .is_some_and(|p| ACTION_VERBS.contains(&p.as_slice()))
    {
        return false;
    }
    parts.iter().enumerate().any(|(i, p)| {
        let prev = i.checked_sub(1).map(|j| parts[j].as_slice());
        match p.as_slice() {
            b"password" | b"passwd" | b"pwd" | b"passphrase" | b"pass" | b"secret" | b"secrets"
            | b"apikey" | b"privatekey" | b"accesskey" | b"secretkey" | b"authkey"
            | b"clientsecret" | b"apitoken" | b"accesstoken" | b"authtoken" | b"credential"
            | b"credentials" => true,
            b"key" => matches!(
                prev,
                Some(
                    b"api" | b"access" | b"private" | b"auth" | b"secret" | b"signing" | b"master"
                )
            ),
            b"token" | b"tokens" => {
                !prev.is_some_and(|q| NON_CREDENTIAL_TOKEN_QUALIFIERS.contains(&q))
            }
            other => other.ends_with(b"password") || other.ends_with(b"secret"),
        }
    })
}

/// A value shaped like a digest: hex of a common hash length (md5, sha1, sha256, sha512),
/// a UUID, or standard base64 of a hash's length with its padding (md5 24, sha1 28,
/// sha256 44, sha384 64, sha512 88 characters).
pub fn is_digest_shaped(s: &[u8]) -> bool {
    if is_hex_digest(s) || is_uuid(s) {
        return true;
    }
    let b64 = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/');
    let body = s
        .strip_suffix(b"==")
        .or_else(|| s.strip_suffix(b"="))
        .unwrap_or(s);
    let pad = s.len() - body.len();
    body.iter().all(b64)
        && matches!(
            (s.len(), pad),
            (24, 2) | (28, 1) | (44, 1) | (64, 0) | (88, 2)
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_verbs_are_templates_percent_encoding_is_not() {
        for t in [
            "key-%s-prod",
            "tok_%.4s_live",
            "Qh6D%vP6Zf7v",
            "abc%c^def",
            "x%-5sy",
        ] {
            assert!(has_format_verb(t.as_bytes()), "{t}");
        }
        for t in ["pass%2Bword", "a%3Db%5Fc", "Xk9vR2mQ7tL4", "100%"] {
            assert!(!has_format_verb(t.as_bytes()), "{t}");
        }
    }

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
    fn secret_names_outweigh_digest_shapes() {
        let sha1 = b"da39a3ee5e6b4b0d3255bfef95601890afd80709";
        let md5 = b"d41d8cd98f00b204e9800998ecf8427e";
        let uuid = b"123e4567-e89b-12d3-a456-426614174000";
        let b64_sha256 = b"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
        for v in [&sha1[..], md5, uuid, b64_sha256] {
            assert!(is_digest_shaped(v));
        }
        assert!(!is_digest_shaped(b"Zq8rT2mK9vX4pL7wN3bH6jF1"));
        for n in [
            "api_key",
            "SECRET_KEY",
            "client_secret",
            "accessToken",
            "AUTH_TOKEN",
            "DB_PASSWORD",
            "private_key",
            "x-api-key",
            "GITHUB_TOKEN",
        ] {
            assert!(!generic_rejects_named(n.as_bytes(), sha1), "{n}");
            assert!(!generic_rejects_named(n.as_bytes(), md5), "{n}");
        }
        for n in [
            "checksum_token",
            "secret_sha256",
            "token_commit",
            "secrets_revision",
            "credentials_etag",
            "secret_integrity",
            "csrf_token",
            "next_page_token",
            "tokenizer",
        ] {
            assert!(generic_rejects_named(n.as_bytes(), sha1), "{n}");
        }
        assert!(generic_rejects_named(b"csrfToken", uuid));
        assert!(generic_rejects_named(b"hashed_secret", sha1));
        assert!(generic_rejects_named(b"checksum/secret", sha1));
        assert!(!generic_rejects_named(b"ID/Password", b"Kq7#mZ2!pLx9vR4"));
        assert!(generic_rejects_named(b"CreateApiKey", sha1));
        assert!(generic_rejects_named(
            b"PublicKeyToken",
            b"b77a5c561934e089"
        ));
        assert!(generic_rejects_named(b"reset_password", md5));
        assert!(!generic_rejects_named(b"refresh_token", sha1));
        assert!(generic_rejects(b"pass%2Bword"));
        assert!(generic_rejects(b"pass%252Bword"));
        assert!(generic_rejects(b":helper::Action|"));
        assert!(generic_rejects(b"pass%5B%7F"));
        assert!(generic_rejects(b"Xk9abcdeQ7pLmR2t"));
        assert!(generic_rejects(b"Q7pL12345mR2tXk9"));
        assert!(generic_rejects(b"ab12Xyab12Xyab12Xy"));
        assert_eq!(longest_walk(b"a1b2c3"), 1);
        assert_eq!(longest_walk(b"x98765y"), 5);
        assert!(!is_periodic(b"Zq8rT2mK9vX4pL7w"));
        assert!(!generic_rejects_named(b"apiKey", uuid));
    }

    #[test]
    fn generic_lookalikes() {
        // A header that is not JSON (`{"alg":"HS256","typ"JWT"}`), then a real one.
        let broken =
            b"eyJhbGciOiJIUzI1NiIsInR5cCJKV1QifQ.eyJzdWIiOiJzdmMtNyJ9.c2lnbmF0dXJlLWJ5dGVz";
        let good = b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzdmMtNyJ9.c2lnbmF0dXJlLWJ5dGVz";
        assert!(generic_rejects_named(b"auth_token", broken));
        assert!(!generic_lookalike(b"auth_token", good));
        assert!(generic_rejects_named(b"api_key", b"Kp7vQ2mZ8xR4?tL9wN3b"));
        assert!(!generic_rejects_named(
            b"db_password",
            b"Kp7vQ2mZ8xR4?tL9wN3b"
        ));
        assert!(generic_rejects_named(
            b"api_secret",
            b"7c3e9a.billing-gateway.net"
        ));
    }

    #[test]
    fn key_body_skips_headers_and_comments() {
        let pgp = b"-----BEGIN PGP PRIVATE KEY BLOCK-----\nComment: example key\n\nlFgEaxXPLxYJKwYBBAHaRw8BAQdAIsJBGrPic34L\n=Ab1x\n-----END PGP PRIVATE KEY BLOCK-----";
        let body = key_body(pgp);
        assert!(!is_placeholder(&body));
        assert!(is_placeholder(pgp));
        assert_eq!(
            &body[..],
            b"lFgEaxXPLxYJKwYBBAHaRw8BAQdAIsJBGrPic34L\n=Ab1x"
        );
        let escaped = b"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkq\\nhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----";
        assert_eq!(
            &key_body(escaped)[..],
            b"MIIEvQIBADANBgkq\nhkiG9w0BAQEFAASC"
        );
        let fake = b"-----BEGIN RSA PRIVATE KEY-----\nComment: x\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n-----END RSA PRIVATE KEY-----";
        assert!(is_placeholder(&key_body(fake)));
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
