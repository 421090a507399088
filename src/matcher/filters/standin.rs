//! Plain stand-ins and password hashes, judged the same way by every detector (provider
//! rules, context rules, the generic detector and the config-file pass):
//! - a value spelled only from the vocabulary of stand-ins (`your_api_key_here`,
//!   `my_token_123456`, `P@ssw0rd`, `Password123!`, `put your unique phrase here`): words a
//!   tutorial or template uses, in any case, joined by any separator, written in leetspeak
//!   or followed by a hand-typed number;
//! - a description of the value instead of the value (`"Basic authentication password"`,
//!   `"The password for API user ID"`): words only, one of them naming a credential;
//! - a password in a URL whose host is a documentation domain (`example.com`, `.test`)
//!   when it is spelled from stand-in words ([`documentation_url_password`]);
//! - a template variable or reference (`$(...)`, `%(name)s`, `<%= ... %>`,
//!   `process.env.X`, `os.environ[...]`), a mask (`********`, `xxxx.xxxx`) or nothing;
//! - for password fields only ([`crypt_hash`]): a hash in crypt or LDAP form (`$2a$10$...`,
//!   `$6$rounds=...`, `$argon2id$...`, `{SSHA}...`, Django's `pbkdf2_sha256$...`). A hash is
//!   what a login is checked against; it logs no one in, so it is not a password.
//!
//! Random key material never consists only of dictionary words and counted numbers, so no
//! issued credential is lost to these (the positive corpus and the external benchmark are
//! run before and after every change here).

/// Words that templates, tutorials and test fixtures spell stand-in values from. A value
/// must consist only of these (and counted numbers) to be a stand-in, so common words are
/// safe here: `admin2019` is a stand-in, `admin-7fQk2` is not.
const WORDS: &[&str] = &[
    // Services a template names its credential after (`your-mysql-password`).
    "backup",
    "ftp",
    "ldap",
    "mongo",
    "mongodb",
    "mysql",
    "postgres",
    "postgresql",
    "redis",
    "ssh",
    "a",
    "an",
    "abc",
    "access",
    "account",
    "add",
    "admin",
    "any",
    "api",
    "app",
    "application",
    "auth",
    "aws",
    "bar",
    "baz",
    "bearer",
    "blank",
    "cat",
    "change",
    "changeit",
    "client",
    "code",
    "db",
    "database",
    "default",
    "demo",
    "dev",
    "dummy",
    "email",
    "empty",
    "enter",
    "example",
    "fake",
    "false",
    "fill",
    "fixme",
    "foo",
    "generate",
    "github",
    "goes",
    "hello",
    "here",
    "hidden",
    "id",
    "in",
    "insert",
    "it",
    "jwt",
    "key",
    "keyboard",
    "keys",
    "letmein",
    "local",
    "localhost",
    "login",
    "mail",
    "masked",
    "me",
    "mock",
    "my",
    "new",
    "nil",
    "none",
    "not",
    "null",
    "oauth",
    // RFC 7617's example credentials, `Aladdin:open sesame`.
    "open",
    "of",
    "or",
    "our",
    "pass",
    "passwd",
    "password",
    "passwords",
    "paste",
    "phrase",
    "placeholder",
    "private",
    "prod",
    "production",
    "put",
    "pw",
    "pwd",
    "qux",
    "qwerty",
    "random",
    "redacted",
    "removed",
    "replace",
    "root",
    "sample",
    "secret",
    "secrets",
    "service",
    "sesame",
    "session",
    "set",
    "signing",
    "smtp",
    "some",
    "staging",
    "string",
    "strong",
    "super",
    "tbd",
    "test",
    "testing",
    "the",
    "this",
    "to",
    "todo",
    "token",
    "tokens",
    "true",
    "undefined",
    "unique",
    "unset",
    "update",
    "use",
    "user",
    "username",
    "value",
    "values",
    "webhook",
    "with",
    "world",
    "xyz",
    "your",
];

/// The words of [`WORDS`] that say a value is a stand-in rather than a weak choice:
/// `your_api_key_here`, `insert-token`, `sample-key-1234`. A value of the other words only
/// (`admin`, `Passw0rd`, `test123456`) is a weak password that logs in somewhere (a
/// development database's default): it is a stand-in only where a token is expected
/// ([`spelled_from_words`] with `markers_needed` false).
const MARKERS: &[&str] = &[
    "any",
    "bar",
    "baz",
    "blank",
    "change",
    "changeit",
    "demo",
    "dummy",
    "empty",
    "enter",
    "example",
    "fake",
    "fill",
    "fixme",
    "foo",
    "generate",
    "goes",
    "here",
    "hidden",
    "insert",
    "keyboard",
    "masked",
    "mock",
    "nil",
    "none",
    "null",
    "paste",
    "phrase",
    "placeholder",
    "put",
    "qux",
    "random",
    "redacted",
    "removed",
    "replace",
    "sample",
    "set",
    "some",
    "string",
    "tbd",
    "todo",
    "undefined",
    "unique",
    "unset",
    "update",
    "value",
    "values",
    "xyz",
    "your",
];

/// Markers of a template variable or a reference to a value kept elsewhere, which no
/// issued token contains (`$(cat ...)`, Python's `%(name)s`, ERB's `<%= %>`).
const REFERENCES: &[&[u8]] = &[
    b"$(",
    b"%(",
    b"<%",
    b"{{",
    b"${",
    b"process.env.",
    b"os.environ",
    b"os.getenv(",
    b"getenv(",
    b"system.getenv(",
    b"env[",
    b"env.fetch(",
];

/// Whether `v` is a plain stand-in: nothing, a mask, a reference, or only stand-in words
/// and counted numbers (see the module documentation).
pub fn plain_placeholder(v: &[u8]) -> bool {
    let v = v.trim_ascii();
    let v = strip_quotes(v);
    if v.is_empty() || is_mask(v) {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if REFERENCES
        .iter()
        .any(|r| memchr::memmem::find(&lower, r).is_some())
    {
        return true;
    }
    format_field(v) || spelled_from_words(&lower, true) || description(v)
}

/// Whether `v` is one replacement field of a format string and nothing else:
/// `{ENCODED_PASSWORD}` in a Python f-string or `str.format`, `{password}` in C#'s
/// interpolation or Rust's `format!`. The value is filled in at run time.
fn format_field(v: &[u8]) -> bool {
    let Some(inner) = v.strip_prefix(b"{").and_then(|v| v.strip_suffix(b"}")) else {
        return false;
    };
    inner
        .first()
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        && inner
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.'))
}

/// Documentation domains (RFC 2606 and RFC 6761): `example.com`, `.org`, `.net` and the
/// `.example`, `.test` and `.invalid` top-level names, which no one can own.
pub fn documentation_host(host: &[u8]) -> bool {
    let host = host.to_ascii_lowercase();
    let host = host.strip_suffix(b".").unwrap_or(&host);
    [&b"example.com"[..], b"example.org", b"example.net"]
        .iter()
        .any(|d| {
            host == *d
                || (host.len() > d.len()
                    && host.ends_with(d)
                    && host[host.len() - d.len() - 1] == b'.')
        })
        || [&b".example"[..], b".test", b".invalid"]
            .iter()
            .any(|t| host.ends_with(t))
}

/// Whether the password of a URL's user information, at `start..end` of `data`, is a
/// stand-in written for documentation: the host after its `@` is a documentation domain
/// ([`documentation_host`]) and the password, percent-decoded, is spelled from stand-in
/// words and counted numbers (`password%20123`, `OpenSesame`). A random-looking password
/// at `example.com` is kept: someone may have pasted a real one into an example.
pub fn documentation_url_password(data: &[u8], start: usize, end: usize) -> bool {
    let Some(rest) = data.get(end..).and_then(|r| r.strip_prefix(b"@")) else {
        return false;
    };
    let host_end = rest
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'.' || b == b'-'))
        .unwrap_or(rest.len());
    if !documentation_host(&rest[..host_end]) {
        return false;
    }
    let password = super::percent_decode(&data[start..end]);
    plain_placeholder(&password) || word_token(&password)
}

/// Nouns that, in a value of words only, say it describes a credential (`API password`,
/// `Private key password`) rather than being one.
const DESCRIBED_NOUNS: &[&[u8]] = &[
    b"password",
    b"passphrase",
    b"passwort",
    b"key",
    b"token",
    b"secret",
    b"credential",
    b"credentials",
    b"login",
    b"username",
    b"user",
    b"authentication",
    b"auth",
];

/// Whether `v` is prose describing a value: two or more words separated by spaces, each
/// only letters (a word may hold `.`, `'` or `-` inside, as `Joker.com`, and end in `:` or
/// `,`), one of them a noun of [`DESCRIBED_NOUNS`]. A configuration template's
/// documentation (`PASSWORD = "API password"`) writes these. Words alone that name no
/// credential (`kitten lesser pooch karate`) may be a chosen passphrase and stay.
pub fn description(v: &[u8]) -> bool {
    let words: Vec<&[u8]> = v.split(|&b| b == b' ').filter(|w| !w.is_empty()).collect();
    if words.len() < 2 {
        return false;
    }
    let clean = |w: &[u8]| -> Option<Vec<u8>> {
        let w = w
            .strip_suffix(b":")
            .or_else(|| w.strip_suffix(b","))
            .unwrap_or(w);
        let letters = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphabetic);
        (letters(w.first())
            && letters(w.last())
            && w.iter()
                .all(|&b| b.is_ascii_alphabetic() || matches!(b, b'.' | b'\'' | b'-')))
        .then(|| w.to_ascii_lowercase())
    };
    let Some(words) = words.into_iter().map(clean).collect::<Option<Vec<_>>>() else {
        return false;
    };
    words
        .iter()
        .any(|w| DESCRIBED_NOUNS.contains(&w.as_slice()))
}

fn strip_quotes(v: &[u8]) -> &[u8] {
    match (v.first(), v.last()) {
        (Some(a), Some(b)) if v.len() >= 2 && a == b && matches!(a, b'"' | b'\'' | b'`') => {
            &v[1..v.len() - 1]
        }
        _ => v,
    }
}

/// A value of mask characters only (`********`, `xxxx-xxxx`, `XXX.XXX`, `####`), three or
/// more of them.
fn is_mask(v: &[u8]) -> bool {
    let masked = v
        .iter()
        .filter(|b| matches!(b, b'*' | b'x' | b'X' | b'#' | b'?'))
        .count();
    masked >= 3
        && v.iter()
            .all(|b| matches!(b, b'*' | b'x' | b'X' | b'#' | b'?' | b'-' | b'_' | b'.'))
}

/// Leetspeak letters written as digits or symbols between two letters (`p@ssw0rd`,
/// `s3cr3t`): read as the letter they stand for.
pub fn unleet(s: &[u8]) -> Vec<u8> {
    let sub = |b: u8| match b {
        b'@' | b'4' => Some(b'a'),
        b'$' | b'5' => Some(b's'),
        b'0' => Some(b'o'),
        b'1' => Some(b'i'),
        b'3' => Some(b'e'),
        b'7' => Some(b't'),
        _ => None,
    };
    let mut out = s.to_vec();
    let mut i = 0;
    while i < s.len() {
        if sub(s[i]).is_some() && i > 0 && s[i - 1].is_ascii_alphabetic() {
            // A run of substitutes bounded by letters on both sides.
            let mut j = i;
            while j < s.len() && sub(s[j]).is_some() {
                j += 1;
            }
            if j < s.len() && s[j].is_ascii_alphabetic() {
                for k in i..j {
                    out[k] = sub(s[k]).unwrap_or(s[k]);
                }
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// Whether the lowercase value `lower` is only stand-in words ([`WORDS`], run together or
/// separated by anything) and counted numbers ([`counted_number`]), with at least one word
/// (and, when `markers_needed`, one of [`MARKERS`] or a repeated letter such as `xxx`),
/// or a count of digits alone.
fn spelled_from_words(lower: &[u8], markers_needed: bool) -> bool {
    if lower.len() > 64 {
        return false;
    }
    let s = unleet(lower);
    let (mut words, mut marked) = (0, false);
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        let j = (i..s.len())
            .find(|&k| {
                let c = s[k];
                !(c.is_ascii_alphabetic() == b.is_ascii_alphabetic()
                    && c.is_ascii_digit() == b.is_ascii_digit())
            })
            .unwrap_or(s.len());
        let run = &s[i..j];
        if b.is_ascii_alphabetic() {
            match breaks_into_words(run) {
                None => return false,
                Some(m) => marked |= m,
            }
            words += 1;
        } else if b.is_ascii_digit() {
            if !counted_number(run) {
                return false;
            }
        } else if !b.is_ascii_punctuation() && b != b' ' {
            // Only ASCII separators: other bytes are not a template's spelling.
            return false;
        }
        i = j;
    }
    // Digits alone: only a count or one digit repeated (`1234567890`, `000000`).
    (words > 0 && (marked || !markers_needed))
        || (s.len() >= 4 && s.iter().all(u8::is_ascii_digit) && counted_number(&s))
}

/// Whether the letters `run` split into words of [`WORDS`] (`Some`, with whether one of
/// them is a marker of [`MARKERS`]), or are one letter repeated (`xxx`, the mask inside
/// `sk_test_xxx`, a marker).
fn breaks_into_words(run: &[u8]) -> Option<bool> {
    if run.len() >= 3 && run.iter().all(|&b| b == run[0]) {
        return Some(true);
    }
    // split[i]: run[..i] splits into words, and whether one of them is a marker.
    let mut split: Vec<Option<bool>> = vec![None; run.len() + 1];
    split[0] = Some(false);
    for end in 1..=run.len() {
        for w in WORDS {
            let wb = w.as_bytes();
            if wb.len() > end || &run[end - wb.len()..end] != wb {
                continue;
            }
            if let Some(m) = split[end - wb.len()] {
                let m = m || MARKERS.contains(w);
                split[end] = Some(split[end].unwrap_or(false) || m);
            }
        }
    }
    split[run.len()]
}

/// A number a person types into a stand-in: four digits or fewer (`123`, `2024`), one digit
/// repeated (`000000`), or a count up or down (`123456`, `1234567890`, `987654`).
fn counted_number(run: &[u8]) -> bool {
    if run.len() <= 4 || run.iter().all(|&b| b == run[0]) {
        return true;
    }
    let step = |a: u8, b: u8| (a + 1 - b'0') % 10 + b'0' == b;
    run.windows(2).all(|w| step(w[0], w[1])) || run.windows(2).all(|w| step(w[1], w[0]))
}

/// Whether `v` is a password hash in crypt, LDAP or Django form rather than a password:
/// `$<id>$...` with a known scheme and at least three `$`, `{SSHA}...` and the other LDAP
/// and Spring scheme prefixes (not `{noop}`, `{plain}` or `{cleartext}`, which hold the
/// password itself), or `<algorithm>$<iterations or salt>$...$<hash>`.
pub fn crypt_hash(v: &[u8]) -> bool {
    let v = strip_quotes(v.trim_ascii());
    let lower = v.to_ascii_lowercase();
    const CRYPT: &[&[u8]] = &[
        b"1",
        b"2",
        b"2a",
        b"2b",
        b"2x",
        b"2y",
        b"5",
        b"6",
        b"7",
        b"y",
        b"gy",
        b"apr1",
        b"md5",
        b"sha1",
        b"argon2i",
        b"argon2d",
        b"argon2id",
        b"scrypt",
        b"pbkdf2",
        b"pbkdf2-sha256",
        b"pbkdf2-sha512",
        b"bcrypt",
        b"bcrypt-sha256",
    ];
    const BRACED: &[&[u8]] = &[
        b"{ssha}",
        b"{sha}",
        b"{ssha256}",
        b"{ssha512}",
        b"{sha256}",
        b"{sha512}",
        b"{crypt}",
        b"{md5}",
        b"{smd5}",
        b"{pbkdf2}",
        b"{argon2}",
        b"{bcrypt}",
        b"{scrypt}",
        b"{blf-crypt}",
        b"{sha256-crypt}",
        b"{sha512-crypt}",
        b"{md5-crypt}",
        b"{ssha384}",
    ];
    const DJANGO: &[&[u8]] = &[
        b"pbkdf2_sha256$",
        b"pbkdf2_sha1$",
        b"argon2$",
        b"bcrypt_sha256$",
        b"bcrypt$",
        b"scrypt$",
        b"sha1$",
        b"md5$",
    ];
    let dollars = v.iter().filter(|&&b| b == b'$').count();
    if let Some(rest) = lower.strip_prefix(b"$") {
        let id_end = rest.iter().position(|&b| b == b'$').unwrap_or(rest.len());
        return dollars >= 3 && CRYPT.contains(&&rest[..id_end]);
    }
    if BRACED.iter().any(|p| lower.starts_with(p)) {
        return v.len() >= 16;
    }
    DJANGO.iter().any(|p| lower.starts_with(p)) && dollars >= 2
}

/// Whether a value of a named field (the config-file pass, the generic detector) is a
/// stand-in or a hash: [`plain_placeholder`], [`crypt_hash`], or a value that is two
/// interleaved counts from end to end ([`counted_pairs`]). Where a
/// token or key is expected (`token`), a value spelled from stand-in words alone
/// (`my_token_123456`, `api-key-123`, `secret123`) is one too: no issuer makes a token of
/// words, while a person may well choose `Passw0rd` as a password.
pub fn field_rejects(token: bool, v: &[u8]) -> bool {
    plain_placeholder(v) || crypt_hash(v) || counted_pairs(v) || (token && word_token(v))
}

/// Whether the letters and digits of `v` (eight or more) are, read in two lanes (even and
/// odd positions), two counts from end to end: `1a2b3c4d5e6f7g8h9i0j`, `a1-b2-c3-d4`.
/// Digits may wrap from 9 to 0; letters count up or down. Stricter than the generic
/// detector's [`super::lookalike::interleaved_walk`], which accepts a walk within a
/// longer value: a config field has a name that says credential, so only a value that
/// is nothing but counting is dropped.
pub fn counted_pairs(v: &[u8]) -> bool {
    let alnum: Vec<u8> = v
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(u8::to_ascii_lowercase)
        .collect();
    let counts = |off: usize| -> bool {
        let lane: Vec<u8> = alnum.iter().skip(off).step_by(2).copied().collect();
        let digits = lane.iter().all(u8::is_ascii_digit);
        let letters = lane.iter().all(u8::is_ascii_lowercase);
        (digits && counted_number(&lane))
            || (letters
                && (lane.windows(2).all(|w| w[0] + 1 == w[1])
                    || lane.windows(2).all(|w| w[1] + 1 == w[0])))
    };
    alnum.len() >= 8 && counts(0) && counts(1)
}

/// Whether a value where a token or key is expected is spelled from stand-in words and
/// counted numbers alone (`my_jwt_secret_123456`, `api-key-123`, `Password123!`): no
/// issuer makes a token of words.
pub fn word_token(v: &[u8]) -> bool {
    spelled_from_words(&strip_quotes(v.trim_ascii()).to_ascii_lowercase(), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stand_in_passwords_at_documentation_hosts() {
        let at = |url: &str, password: &str| {
            let start = url.find(password).expect("password in url");
            documentation_url_password(url.as_bytes(), start, start + password.len())
        };
        assert!(at(
            "http://john%20doe:password%20123@example.com",
            "password%20123"
        ));
        assert!(at(
            "https://Aladdin:OpenSesame@www.example.com/i",
            "OpenSesame"
        ));
        assert!(at("https://u:changeme@db.test:5432/x", "changeme"));
        // A random password, or a stand-in at a real host, is left to the rule.
        let random = "https://u:Vh7pQ2zLr9xKw@example.com/"; // keytrace:allow
        assert!(!at(random, "Vh7pQ2zLr9xKw"));
        let real_host = "https://u:password123@db.corp.lan/"; // keytrace:allow
        assert!(!at(real_host, "password123"));
        assert!(!at("https://u:password123@notexample.com/", "password123")); // keytrace:allow
        assert!(documentation_host(b"api.example.org"));
        assert!(!documentation_host(b"example.company.com"));
    }

    #[test]
    fn descriptions_are_not_values() {
        for v in [
            "Basic authentication password",
            "API password",
            "The password for API user ID",
            "Joker.com password",
            "Private key password",
            "password challenge",
            "the user's secret, kept here",
            "Password needs to be generated and IP allowed",
        ] {
            assert!(description(v.as_bytes()), "{v}");
            assert!(plain_placeholder(v.as_bytes()), "{v}");
        }
        for v in [
            "Vh7#pQ2zLr9xKw",
            "hunter two",
            "Xk9 vR2mQ7",
            "passphrase",
            "blue sky 42",
            "correct-horse",
            "kitten lesser pooch karate buffoon indoors",
        ] {
            assert!(!description(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn stand_ins_are_placeholders() {
        for v in [
            "your_api_key_here",
            "<YOUR_TOKEN>",
            "${SECRET}",
            "{{ .Values.password }}",
            "%(password)s",
            "{ENCODED_PASSWORD}",
            "{db.password}",
            "changeme",
            "CHANGE_ME",
            "xxxxxxxx",
            "********",
            "REDACTED",
            "TODO",
            "replace-me",
            "insert-key-here",
            "sample-key-1234",
            "YourStrong!Passw0rd",
            "put your unique phrase here",
            "$(cat /run/secrets/db)",
            "process.env.API_KEY",
            "os.environ['API_KEY']",
            "1234567890",
            "\"\"",
            "",
        ] {
            assert!(plain_placeholder(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn credentials_are_not_placeholders() {
        for v in [
            "k9x7q2m4Rt",
            "hK3m9QzR2wLp8vXn",
            "ghp_4F7kQ2mZ9xR1vT8nB3cW6yH0jL5sD2aE7gU9",
            "admin-7fQk2",
            "Tr0ub4dor&3",
            "correct horse battery staple",
            "secret-839201",
            "sk_live_51HqLx2eZvKYlo2C",
            "{k9x7q2m4Rt",
            "{Tr0ub4dor&3}",
        ] {
            assert!(!plain_placeholder(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn word_tokens_are_stand_ins_but_weak_passwords_stay() {
        for v in [
            "my_token_123456",
            "api-key-123",
            "secret123",
            "abc123",
            "P@ssw0rd",
            "Password123!",
            "1a2b3c4d5e6f7g8h9i0j",
        ] {
            assert!(field_rejects(true, v.as_bytes()), "{v}");
        }
        // Weak passwords log in somewhere (a development database's default): kept.
        for v in [
            "P@ssw0rd",
            "Password123!",
            "admin",
            "passw0rd",
            "test123456",
        ] {
            assert!(!field_rejects(false, v.as_bytes()), "{v}");
        }
        assert!(field_rejects(
            false,
            b"$2b$12$abcdefghijklmnopqrstuv0123456789ABCDEFGHIJKLMNOPQRS"
        ));
    }

    #[test]
    fn password_hashes_are_recognised() {
        for v in [
            "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
            "$6$rounds=5000$saltsalt$Qm9vZ2x1ZWQgaGFzaCB2YWx1ZQ",
            "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
            "{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=",
            "pbkdf2_sha256$600000$salt$aGFzaA==",
        ] {
            assert!(crypt_hash(v.as_bytes()), "{v}");
        }
        for v in [
            "{noop}s3cretValue9",
            "$ecretPa$$w0rd",
            "hunter2$abc",
            "$HOME$PATH",
        ] {
            assert!(!crypt_hash(v.as_bytes()), "{v}");
        }
    }
}
