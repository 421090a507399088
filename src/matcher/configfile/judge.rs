//! The config-file pass's judgement of a field: which names hold a password or a token
//! (split into words, with the words that say a setting is about credentials rather than
//! one), and which values are placeholders, templates or references instead of secrets.

use super::formats::*;
use crate::matcher::filters::shannon_entropy;

/// Splits a field name into lowercase words: `ossrhPassword` -> `ossrh password`,
/// `DB_PASSWORD` -> `db password`, `spring.datasource.password` -> `spring datasource password`.
pub(super) fn words(name: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for &b in name {
        if b.is_ascii_alphanumeric() {
            if b.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = b.is_ascii_lowercase() || b.is_ascii_digit();
            cur.push(b.to_ascii_lowercase() as char);
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Words that make a name about a password or token rather than the credential itself.
pub(super) const NOT_SECRET_WORDS: &[&str] = &[
    // sudoers' tag for commands run without a password (`ALL=(ALL) NOPASSWD: ALL`).
    "nopasswd",
    "file",
    "files",
    "path",
    "dir",
    "directory",
    "url",
    "uri",
    "endpoint",
    "length",
    "len",
    "min",
    "max",
    "minimum",
    "maximum",
    "policy",
    "policies",
    "regex",
    "pattern",
    "prompt",
    "field",
    "label",
    "placeholder",
    "reset",
    "expire",
    "expires",
    "expiry",
    "expiration",
    "age",
    "timeout",
    "ttl",
    "lifetime",
    "change",
    "changed",
    "required",
    "require",
    "enabled",
    "enable",
    "disable",
    "disabled",
    "type",
    "mode",
    "strength",
    "rule",
    "rules",
    "hint",
    "encoder",
    "algorithm",
    "algo",
    "hasher",
    "hashers",
    "hash",
    "hashed",
    "digest",
    "count",
    "attempts",
    "retries",
    "validator",
    "validators",
    "validation",
    "history",
    "complexity",
    "command",
    "cmd",
    "script",
    "helper",
    "manager",
    "provider",
    "providers",
    "ref",
    "arn",
    "name",
    "version",
    "id",
    "ids",
    "format",
    "header",
    "prefix",
    "suffix",
    "param",
    "parameter",
    "env",
    "var",
    "variable",
    "public",
    "publishable",
    "method",
    "scheme",
    "limit",
    "size",
    "bits",
    "location",
    "source",
    "secrets",
    "tokens",
    "usage",
    "generator",
    "verify",
    "verification",
    "confirm",
    "confirmation",
    "forgot",
    "label",
    "input",
    "column",
    "secured",
    "lookup",
    "class",
    "handler",
    "callback",
    "template",
    "example",
    "sample",
    "mock",
    "fake",
    "dummy",
    "keys",
    "passwords",
    "entropy",
    "encoding",
    "csrf",
    "xsrf",
    "issuer",
    "audience",
    "flow",
    "grant",
    "kind",
    "checksum",
    "fingerprint",
    "sha1",
    "sha256",
    "md5",
    "alg",
    "rotation",
    "schedule",
    "alias",
    "alphabet",
    "charset",
    "characters",
    "generated",
    "backend",
    "backends",
    "docs",
    "interval",
    "existing",
    "error",
    "errors",
    "err",
    "msg",
    "message",
    "invalid",
    "wrong",
    "incorrect",
    "bad",
    "allowed",
    "match",
    "mismatch",
    "anonymous",
];

/// The kind of credential a field `name` holds in format `f`, if any.
pub(super) fn classify(f: &Format, name: &[u8]) -> Option<Kind> {
    let name = name.strip_prefix(b"$").unwrap_or(name);
    // `//registry/:_authToken` and `section.key`: the last segment names the field.
    let last = name
        .rsplit(|&b| b == b':' || b == b'/')
        .next()
        .unwrap_or(name);
    let norm: String = last
        .iter()
        .map(|&b| match b {
            b'-' | b'.' | b' ' => '_',
            b => b.to_ascii_lowercase() as char,
        })
        .collect();
    if f.passwords.contains(&norm.as_str()) {
        return Some(Kind::Password);
    }
    if f.tokens.contains(&norm.as_str()) {
        return Some(Kind::Token);
    }
    if !f.general {
        return None;
    }
    let w = words(name);
    if w.is_empty() || w.len() > 8 {
        return None;
    }
    if w.iter().any(|x| NOT_SECRET_WORDS.contains(&x.as_str())) {
        return None;
    }
    let has = |s: &str| w.iter().any(|x| x == s);
    let last_word = w.last().map(String::as_str).unwrap_or("");
    let password_word = w.iter().any(|x| {
        matches!(
            x.as_str(),
            "password"
                | "passwd"
                | "passphrase"
                | "pwd"
                | "passwort"
                | "passw"
                | "pword"
                | "requirepass"
                | "masterauth"
                | "controlpass"
        ) || (x.ends_with("password") && x.len() <= 24)
            || (x.ends_with("passwd") && x.len() <= 20)
    }) || last_word == "pass"
        || last_word == "pw";
    if password_word {
        return Some(Kind::Password);
    }
    let token = has("token")
        || w.iter().any(|x| {
            (x.ends_with("token") && x.len() <= 20 && x != "tokenizer")
                || x == "apikey"
                || x == "secretkey"
                || x == "authtoken"
        })
        || has("secret")
        || (has("key")
            && w.iter().any(|x| {
                matches!(
                    x.as_str(),
                    "api"
                        | "app"
                        | "auth"
                        | "access"
                        | "secret"
                        | "private"
                        | "master"
                        | "encryption"
                        | "signing"
                        | "account"
                        | "client"
                        | "license"
                )
            }));
    if token && !has("csrf") {
        return Some(Kind::Token);
    }
    None
}

/// Exact values (lowercased) that are placeholders, not credentials.
pub(super) const PLACEHOLDERS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "xxx",
    "xxxx",
    "none",
    "null",
    "nil",
    "undefined",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "example",
    "sample",
    "dummy",
    "placeholder",
    "redacted",
    "hidden",
    "masked",
    "test",
    "todo",
    "tbd",
    "fixme",
    "required",
    "optional",
    "string",
    "str",
    "value",
    "empty",
    "default",
    "token",
    "api_key",
    "apikey",
    "secret_key",
    "username",
    "user",
    "mypassword",
    "yourpassword",
    "your_password",
    "password_here",
    "put your unique phrase here",
    "foobared",
    "foobar",
    "notasecret",
    "not-a-secret",
    "insecure",
    "unset",
    "env",
    "auto",
    "0",
    "1",
    "off",
    "blank",
    "secretkey",
    "mysecret",
    "your-secret",
    "keytrace:allow",
];

/// Template syntax and references to something else: a value holding one is not a
/// credential.
const MARKERS: &[&str] = &[
    "${",
    "{{",
    "}}",
    "%(",
    "<%",
    "#{",
    "$(",
    "{%",
    "%s",
    "{}",
    "{0}",
    "env(",
    "env[",
    "environ",
    "getenv",
    "process.env",
    "settings.",
    "config(",
    "!vault",
    "!secret",
    "!env",
    "vault:",
    "ref+",
    "enc(",
    "{cipher}",
    "secretkeyref",
    "valuefrom",
    "lookup(",
    "example",
    "changeme",
    "placeholder",
    "xxxx",
    "****",
    "your_",
    "your-",
    "your ",
    "<your",
    "_here",
    "-here",
    " here",
    "dummy",
    "redacted",
    "replace",
    "insert",
    "fixme",
    "todo",
    "must-be-changed",
    "&lt;",
    "...",
    "\u{2026}",
    "changeit",
    "enc[",
];

/// Whether `v`, found under `name`, is kept as a credential of `kind`. A percent-encoded
/// value (in a URL or an encoded connection string) is judged decoded: `pass%2Bword` is
/// the placeholder `pass+word`.
pub(super) fn keep(kind: Kind, v: &[u8], name: &[u8]) -> bool {
    let encoded = v
        .windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit());
    keep_as_is(kind, v, name)
        && (!encoded
            || keep_as_is(
                kind,
                &percent_encoding::percent_decode(v).collect::<Vec<u8>>(),
                name,
            ))
}

/// [`keep`] of the value as written.
fn keep_as_is(kind: Kind, v: &[u8], name: &[u8]) -> bool {
    let v = v.trim_ascii();
    let min = match kind {
        Kind::Password => 4,
        Kind::Token => 8,
    };
    if v.len() < min || v.len() > 1024 {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    let ls = String::from_utf8_lossy(&lower);
    if PLACEHOLDERS.iter().any(|p| *p == ls) {
        return false;
    }
    if MARKERS.iter().any(|m| ls.contains(m)) {
        return false;
    }
    let first = v[0];
    let last = v[v.len() - 1];
    // YAML tags (`!Ref`, `!Sub`, `!vault`, `!secret`): a reference, not a value.
    if first == b'!' && v.get(1).is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    if (first == b'<' && last == b'>')
        || (first == b'[' && last == b']')
        || (first == b'(' && last == b')')
    {
        return false;
    }
    if code_expression(v) {
        return false;
    }
    if (first == b'%' && last == b'%')
        || (first == b'@' && last == b'@')
        || (v.starts_with(b"__") && v.ends_with(b"__"))
    {
        return false;
    }
    // `$VAR`, `$var` in shell-like contexts.
    if first == b'$'
        && v[1..].iter().all(|b| {
            b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_' || *b == b'{' || *b == b'}'
        })
    {
        return false;
    }
    // File paths and other references.
    for p in [
        &b"/"[..],
        b"./",
        b"../",
        b"~/",
        b"file:",
        b"classpath:",
        b"arn:",
        b"http://",
        b"https://",
        b"env:",
        b"vault:",
    ] {
        if lower.starts_with(p) {
            return false;
        }
    }
    if v.iter().all(|&b| b == first) {
        return false;
    }
    // `0123456789abcdef...`, `abcd1234`: a value that counts is a placeholder.
    if v.len() >= 8 && crate::matcher::filters::is_sequential(v) {
        return false;
    }
    // A provider token with a wrong checksum is a look-alike here as everywhere.
    if crate::matcher::checksum::failed_lookalike(v) {
        return false;
    }
    // The value repeats its name (`password: password`, `DB_PASSWORD=DB_PASSWORD`).
    let squash = |s: &[u8]| -> Vec<u8> {
        s.iter()
            .filter(|b| b.is_ascii_alphanumeric())
            .map(|b| b.to_ascii_lowercase())
            .collect()
    };
    let sv = squash(v);
    if !sv.is_empty() && sv == squash(name) {
        return false;
    }
    if sv.is_empty() {
        return false;
    }
    match kind {
        Kind::Password => !names_something(v),
        Kind::Token => machine_made(v),
    }
}

/// Whether `v` is a code expression that computes a value rather than a literal: an
/// identifier path called or indexed, up to the end (`request.form['password']`,
/// `getpass()`, `os.environ["DB_PASSWORD"]`, `config.get("db", "pw")`, and with the `,` or
/// `;` that ends an argument or statement). The path has three
/// or more characters with a lowercase letter, as names in code do; a typed password that
/// merely holds brackets (`Xy(12)`) does not read as one.
fn code_expression(v: &[u8]) -> bool {
    // An argument or list item keeps its separator (`user_dict["password"],`).
    let v = v
        .strip_suffix(b",")
        .or_else(|| v.strip_suffix(b";"))
        .unwrap_or(v);
    let Some(open) = v.iter().position(|&b| b == b'(' || b == b'[') else {
        return false;
    };
    let path = &v[..open];
    let closes = matches!(v.last(), Some(b')' | b']'));
    let identifiers = path.split(|&b| b == b'.').all(|seg| {
        seg.first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
            && seg.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
    });
    closes && path.len() >= 3 && identifiers && path.iter().any(u8::is_ascii_lowercase)
}

/// A lowercase value that names something rather than being a password: a dotted key
/// (`session.redis.password`, a reference to another setting) or an identifier that
/// joins `pass` to other words (`mysql_native_password`, `some-password`,
/// `test_password`: a constant's name or an obvious example). A value with an uppercase
/// letter is typed, not a name.
fn names_something(lower: &[u8]) -> bool {
    let wordy = |b: &u8| b.is_ascii_lowercase() || matches!(b, b'_' | b'-' | b'.');
    // `session.redis.password`, `com.acme.extra.PASSWORD`: a key or a package path.
    let dotted = lower.contains(&b'.')
        && lower
            .split(|&b| b == b'.')
            .all(|seg| seg.len() >= 2 && seg.iter().all(|b| b.is_ascii_alphabetic() || *b == b'_'));
    // `mysql_native_password`, `some-password`, `new_pass`: the word joined to others by
    // separators, as in a name. `rootpassword`, `gpg-pass-1x`, `Secret_Pass` are typed;
    // digits only inside a name that ends with the word (`caching_sha2_password`).
    let joined = [&b"_pass"[..], b"-pass", b"pass_", b"pass-"]
        .iter()
        .any(|w| memchr::memmem::find(lower, w).is_some())
        && lower.iter().all(|b| wordy(b) || b.is_ascii_digit())
        && (lower.iter().all(wordy)
            || [&b"password"[..], b"passwd", b"pass"]
                .iter()
                .any(|w| lower.ends_with(w)));
    dotted || joined
}

/// A stock example password of documentation: a well-known weak one, or a role word
/// with a short number (`test1`, `admin123`, `mypass`), also in leetspeak (`secr3t`,
/// `p4ssw0rd`, as git's own manual pages write them).
pub(super) fn example_password(v: &[u8]) -> bool {
    let lower = crate::matcher::filters::standin::unleet(&v.to_ascii_lowercase());
    let stem_end = lower
        .iter()
        .rposition(|b| !b.is_ascii_digit())
        .map_or(0, |i| i + 1);
    let (stem, digits) = lower.split_at(stem_end);
    let stock = [
        &b""[..],
        b"test",
        b"admin",
        b"user",
        b"demo",
        b"pass",
        b"mypass",
        b"newpass",
        b"oldpass",
        b"root",
        b"guest",
        b"abc",
        b"qwerty",
        b"letmein",
        b"secret",
        b"mysecret",
        b"my_secret",
        b"password",
        b"passwd",
        b"welcome",
        b"changeit",
    ];
    digits.len() <= 8 && stock.contains(&stem)
}

/// A token is machine-made: no whitespace, not a fragment of a list or a longer string,
/// more than one character class, and enough entropy.
fn machine_made(v: &[u8]) -> bool {
    if v.iter().any(u8::is_ascii_whitespace) || cut_by_separators(v) {
        return false;
    }
    let alnum_classes = [
        v.iter().any(u8::is_ascii_lowercase),
        v.iter().any(u8::is_ascii_uppercase),
        v.iter().any(u8::is_ascii_digit),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    if alnum_classes < 2 {
        return false; // a resource name (`api-basic-auth-users`), not a key
    }
    let classes = [
        v.iter().any(u8::is_ascii_lowercase),
        v.iter().any(u8::is_ascii_uppercase),
        v.iter().any(u8::is_ascii_digit),
        v.iter().any(|b| !b.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    classes >= 2 && shannon_entropy(v) >= 2.8
}

/// A value that a character separating values (`,` `;` brackets, braces, quotes, `|`, `<`,
/// `>`, `\`) cuts into pieces, with at most three such marks in it: an edited or listed
/// token (`mQ1y...wq,6TNc...`, `...U[qy]...`), not a key. Generated keys that draw on all
/// of punctuation (WordPress salts) hold many marks, and the `!@#$%^&*(-_=+)` of Django's
/// secret keys are not separators, so both stay tokens.
fn cut_by_separators(v: &[u8]) -> bool {
    let separator = |b: &u8| b",;[]{}\"'`|<>\\".contains(b);
    let marks = v
        .iter()
        .filter(|b| !b.is_ascii_alphanumeric() && !b"-_.+/=~".contains(b))
        .count();
    // Inside the value: a wrapper around all of it (Jenkins' `{AQAAABAAAA...}`) is the
    // format's own, not a cut.
    let inside = v.get(1..v.len().saturating_sub(1)).unwrap_or_default();
    inside.iter().any(separator) && marks <= 3
}

#[cfg(test)]
mod example_password_tests {
    use super::example_password;

    #[test]
    fn stock_passwords_in_leetspeak_are_examples() {
        for v in [
            "secr3t",
            "p4ssw0rd",
            "P@ssw0rd",
            "passw0rd1",
            "test1",
            "admin123",
        ] {
            assert!(example_password(v.as_bytes()), "{v}");
        }
        for v in ["Tr0ub4dor&3", "k7Qz9pLm2x", "s3cr3tAgent"] {
            assert!(!example_password(v.as_bytes()), "{v}");
        }
    }
}

#[cfg(test)]
mod code_expression_tests {
    use super::code_expression;

    #[test]
    fn code_expressions_are_not_literals() {
        for v in [
            "request.form['password']",
            "getpass()",
            "os.environ[\"DB_PASSWORD\"]",
            "config.get(\"db\", \"pw\")",
            "self._secrets[key]",
            "user_dict[\"password\"],",
            "crypto.get_random_string(length=32),",
        ] {
            assert!(code_expression(v.as_bytes()), "{v}");
        }
        for v in [
            "Xy(12)",
            "Tr0ub4dor&3",
            "pa[ss]word1",
            "(secret)",
            "s3cr3t.value(x",
        ] {
            assert!(!code_expression(v.as_bytes()), "{v}");
        }
    }
}

#[cfg(test)]
mod machine_made_tests {
    use super::machine_made;

    #[test]
    fn separators_mean_a_fragment_not_a_token() {
        for v in [
            "mQ1yoFjk5JLlxbzRUzKTA6vsfR8wq,6TNc83rtNKlkD092Sj1c9CbPVBXlHksy",
            "yUeIqnFwILOIlEPyBt+=JOAdwfQ7sD2uHOAdwf2U[qy]UeIqnFwILOIlEPyBtJ^",
            "k7Qz9pLm2xR4;t8Vb3Nw",
        ] {
            assert!(!machine_made(v.as_bytes()), "{v}");
        }
        // Django's generated SECRET_KEY alphabet, base64 and base64url stay tokens.
        for v in [
            "x9#k2!m@p$w^7&z*(q-_=+)r4t8vb3nw",
            "dGhpcyBpcyBhIHRva2VuIHZhbHVl+/9=",
            "ghx_8Kd-3mPq_Zr7tYw2",
            "T~0{v5s-%pq]|3;Rr9LmKj8@x!Q>e,W",
            "{AQAAABAAAAAgPT7JbBVgyWiivobt0CJEduLyP0lB3uyTj+D5WBvVk6jy}",
        ] {
            assert!(machine_made(v.as_bytes()), "{v}");
        }
    }
}
