//! The `source` format of the config-file pass: string literals in program source read for
//! passwords. A literal counts when a name that unambiguously means a password receives
//! it: an assignment or keyword argument (`db.Password = "..."`, `password="..."`), a
//! comparison (`if pw == "..."`), a setter call (`.setPassword("...")`,
//! `WithPassword("...")`), or the second argument of a login call (`login(user, "...")`,
//! `auth=("user", "...")`). Any literal is also read for URL userinfo and connection-string
//! passwords. Short human passwords count (entropy is the wrong gate); placeholders,
//! template variables and prose (a literal with a blank in it) do not.

use super::formats::{Format, Kind};
use super::judge::{classify, keep};
use super::parse::{assigned_name, code_line_with, nested};

/// Reads a source line at offset `at`: each string literal not in an expression.
pub(super) fn line(f: &Format, line: &[u8], at: usize, out: &mut Vec<(Kind, usize, usize)>) {
    code_line_with(f, line, at, out, literal);
}

/// Reads the literal `line[q]..=line[close]` (its quotes) of a source line at offset `at`.
fn literal(
    f: &Format,
    line: &[u8],
    q: usize,
    close: usize,
    at: usize,
    out: &mut Vec<(Kind, usize, usize)>,
) {
    let value = &line[q + 1..close];
    let name = assigned_name(line, q)
        .or_else(|| compared_name(line, q))
        .filter(|n| classify(f, n) == Some(Kind::Password));
    let named = name.is_some() || setter_argument(line, q) || login_argument(line, q);
    if named
        && keep(
            Kind::Password,
            value,
            name.as_deref().unwrap_or(b"password"),
        )
        && !prose(value)
    {
        out.push((Kind::Password, at + q + 1, at + close));
        return;
    }
    nested(value, at + q + 1, out);
}

/// A literal with a blank, a trailing colon or a format directive is a message or a
/// prompt (`"Enter your password"`, `"Password:"`), not a password.
fn prose(v: &[u8]) -> bool {
    v.iter().any(u8::is_ascii_whitespace)
        || v.ends_with(b":")
        || v.len() > 64
        || v.contains(&b'\\') && v.ends_with(b"n")
}

/// The index before `k` with blanks skipped.
fn skip_back(line: &[u8], mut k: usize) -> usize {
    while k > 0 && line[k - 1].is_ascii_whitespace() {
        k -= 1;
    }
    k
}

/// The identifier (with `.`, `$`, `_`) ending at `end`, or a quoted bracket key
/// (`cfg['password']`).
fn name_ending_at(line: &[u8], end: usize) -> Option<Vec<u8>> {
    let mut end = end;
    if end > 0 && line[end - 1] == b']' {
        end -= 1;
        if end > 0 && matches!(line[end - 1], b'"' | b'\'') {
            let qc = line[end - 1];
            let open = memchr::memrchr(qc, &line[..end - 1])?;
            return Some(line[open + 1..end - 1].to_vec());
        }
    }
    let mut s = end;
    while s > 0
        && (line[s - 1].is_ascii_alphanumeric() || matches!(line[s - 1], b'_' | b'.' | b'$'))
    {
        s -= 1;
    }
    (s < end).then(|| line[s..end].to_vec())
}

/// `name == "..."` / `name === "..."`: the name compared with the literal at `q`.
fn compared_name(line: &[u8], q: usize) -> Option<Vec<u8>> {
    let k = skip_back(line, q);
    let k = if line[..k].ends_with(b"===") {
        k - 3
    } else if line[..k].ends_with(b"==") {
        k - 2
    } else {
        return None;
    };
    name_ending_at(line, skip_back(line, k))
}

/// The name of the call whose argument list opens at `open` (`line[open] == '('`), with a
/// keyword argument's name when the parenthesis is a tuple (`auth=(`).
fn call_name(line: &[u8], open: usize) -> Option<Vec<u8>> {
    let k = skip_back(line, open);
    let k = match line[..k].last() {
        Some(b'=') | Some(b':') => skip_back(line, k - 1),
        _ => k,
    };
    let name = name_ending_at(line, k)?;
    // The method, not its receiver: `client.setPassword` -> `setPassword`.
    let last = name.rsplit(|&b| b == b'.').next().unwrap_or(&name);
    Some(
        last.iter()
            .filter(|b| b.is_ascii_alphanumeric())
            .map(u8::to_ascii_lowercase)
            .collect(),
    )
}

/// `setPassword("...")`, `WithPassword("...")`, `password("...")`: the first argument of
/// a setter of a password.
fn setter_argument(line: &[u8], q: usize) -> bool {
    let k = skip_back(line, q);
    if k == 0 || line[k - 1] != b'(' {
        return false;
    }
    let Some(name) = call_name(line, k - 1) else {
        return false;
    };
    let stem = ["set", "with", "use", "put"]
        .iter()
        .find_map(|p| name.strip_prefix(p.as_bytes()))
        .unwrap_or(&name);
    matches!(
        stem,
        b"password" | b"passwd" | b"passphrase" | b"pwd" | b"userpassword" | b"dbpassword"
    )
}

/// `login(user, "...")`, `auth=("user", "...")`, `basic_auth("u", "...")`: the second of
/// exactly two arguments of a call that logs in.
fn login_argument(line: &[u8], q: usize) -> bool {
    let k = skip_back(line, q);
    if k == 0 || line[k - 1] != b',' {
        return false;
    }
    // The first argument: a simple name or literal, no nesting.
    let open = match line[..k - 1]
        .iter()
        .rposition(|b| matches!(b, b'(' | b')' | b',' | b';' | b'{' | b'}' | b'[' | b']'))
    {
        Some(p) if line[p] == b'(' => p,
        _ => return false,
    };
    if line[open + 1..k - 1].trim_ascii().is_empty() {
        return false;
    }
    // Exactly two arguments: the literal closes the call.
    let rest = &line[q + 1..];
    let Some(close) = memchr::memchr(line[q], rest) else {
        return false;
    };
    if rest[close + 1..].trim_ascii_start().first() != Some(&b')') {
        return false;
    }
    let Some(name) = call_name(line, open) else {
        return false;
    };
    const LOGIN_CALLS: &[&[u8]] = &[
        b"login",
        b"signin",
        b"logon",
        b"authenticate",
        b"auth",
        b"basicauth",
        b"httpbasicauth",
        b"setbasicauth",
        b"withbasicauth",
        b"usebasicauth",
        b"credentials",
        b"setcredentials",
        b"networkcredential",
        b"usernamepasswordcredentials",
        b"passwordauthentication",
    ];
    LOGIN_CALLS.contains(&name.as_slice())
}

#[cfg(test)]
mod tests {
    use super::super::formats::FORMATS;

    fn found(line: &str) -> Vec<String> {
        let f = FORMATS.iter().find(|f| f.slug == "source").unwrap();
        let mut out = Vec::new();
        super::line(f, line.as_bytes(), 0, &mut out);
        out.iter().map(|&(_, s, e)| line[s..e].to_owned()).collect()
    }

    #[test]
    fn names_calls_and_comparisons() {
        assert_eq!(found("o.Password = \"client7\""), ["client7"]);
        assert_eq!(found("  Password:    \"porkchop\","), ["porkchop"]);
        assert_eq!(found("cfg['password'] == 'izayoi'"), ["izayoi"]);
        assert_eq!(
            found("const string testPassword = \"letmein123\";"),
            ["letmein123"]
        );
        assert_eq!(found("db.setPassword(\"Heron-77\");"), ["Heron-77"]);
        assert_eq!(found("opts := WithPassword(\"tk9-Lm\")"), ["tk9-Lm"]);
        assert_eq!(found("client.login(\"bob\", \"Rook2020\")"), ["Rook2020"]);
        assert_eq!(
            found("r = get(u, auth=(\"bob\", \"Wren-44\"))"),
            ["Wren-44"]
        );
        assert_eq!(
            found("fmt.Sprintf(\"nats://svc:Kite88@%s:%d\", h, p)"),
            ["Kite88"]
        );
    }

    #[test]
    fn prompts_getters_and_templates_are_not() {
        for l in [
            "password = input(\"Password: \")",
            "msg := \"Enter your password\"",
            "pw := cfg.getPassword(\"db.password\")",
            "if password == \"\" {",
            "setPassword(\"${PW}\")",
            "login(user, pw)",
            "login(user, \"Rook2020\", extra)",
            "password = \"password\"",
            "passwordField = \"Sesame12\"",
            "flag.String(\"password\", \"\", \"the password\")",
            "os.Getenv(\"DB_PASSWORD\")",
            "AUTH_NATIVE_PASSWORD = \"mysql_native_password\"",
            "\"RedisPassword\": \"session.redis.password\",",
            "ER_PASSWORD_NOT_ALLOWED: \"42000\",",
            "pw := \"some-password\"",
            "const val EXTRA_PASSWORD = \"com.acme.extra.PASSWORD\"",
            "(\"DSN=mydsn;UID=ed;PWD=pass%2Bword\",),",
            "u := \"https://bob:Kite88@api.example.com/v1\"",
            "log.Printf(\"bad password %s\\n\", u)",
        ] {
            assert!(found(l).is_empty(), "{l}: {:?}", found(l));
        }
    }
}
