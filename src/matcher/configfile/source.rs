//! The `source` format of the config-file pass: string literals in program source read for
//! passwords. A literal counts when a name that unambiguously means a password receives
//! it: an assignment or keyword argument (`db.Password = "..."`, `password="..."`), a
//! typed declaration (`val password: String = "..."`, `var pwd string = "..."`), a
//! comparison (`if pw == "..."`, `!=`), a setter call (`.setPassword("...")`,
//! `WithPassword("...")`), a keyed store or lookup (`props.setProperty("password", "...")`,
//! `os.getenv("DB_PASSWORD", "...")`), an environment fallback (`os.getenv("DB_PASSWORD")
//! or "..."`), a macro (`#define DB_PASSWORD "..."`, RPM `%define`), or the second argument
//! of a login call (`login(user, "...")`, `auth=("user", "...")`). Any literal is also read for URL userinfo and connection-string
//! passwords. Short human passwords count (entropy is the wrong gate); placeholders,
//! template variables and prose (a literal with a blank in it) do not. A literal assigned
//! to a token or secret-key name (`consumer_secret: '...'`) is a token when it is
//! machine-made and carries a digit, and does not repeat its name or hold a printf
//! directive.

use super::formats::{Format, Kind};
use super::judge::{classify, keep};
use super::parse::{assigned_name, code_line_with, nested};

/// Reads a source line at offset `at`: each string literal not in an expression.
pub(super) fn line(f: &Format, line: &[u8], at: usize, out: &mut Vec<(Kind, usize, usize)>) {
    if macro_definition(f, line, at, out) {
        return;
    }
    code_line_with(f, line, at, out, literal);
}

/// A C preprocessor or RPM spec macro (`#define DB_PASSWORD "v"`, `%define password v`,
/// `%global password v`) whose name means a password: the value is its replacement text,
/// quoted (C) or a bare word (RPM, where it must also be typed: a digit, a capital or a
/// symbol). Returns whether the line was a macro definition.
fn macro_definition(
    f: &Format,
    line: &[u8],
    at: usize,
    out: &mut Vec<(Kind, usize, usize)>,
) -> bool {
    let lead = line.len() - line.trim_ascii_start().len();
    let t = &line[lead..];
    let Some(kw) = [&b"#define"[..], b"%define", b"%global"]
        .into_iter()
        .find(|k| t.starts_with(k) && t.get(k.len()).is_some_and(u8::is_ascii_whitespace))
    else {
        return false;
    };
    let ns = lead + kw.len() + (t.len() - kw.len() - t[kw.len()..].trim_ascii_start().len());
    let ne = line[ns..]
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .map_or(line.len(), |p| ns + p);
    if ne == ns || classify(f, &line[ns..ne]) != Some(Kind::Password) {
        return true;
    }
    let vs = ne + (line.len() - ne - line[ne..].trim_ascii_start().len());
    let (s, e, quoted) = match line.get(vs) {
        Some(b'"') => match memchr::memchr(b'"', &line[vs + 1..]) {
            Some(p) => (vs + 1, vs + 1 + p, true),
            None => return true,
        },
        Some(_) if kw[0] == b'%' => {
            let e = line[vs..]
                .iter()
                .position(u8::is_ascii_whitespace)
                .map_or(line.len(), |p| vs + p);
            (vs, e, false)
        }
        _ => return true,
    };
    let v = &line[s..e];
    let typed = v
        .iter()
        .any(|b| b.is_ascii_digit() || b.is_ascii_uppercase() || !b.is_ascii_alphanumeric());
    if (quoted || typed) && keep(Kind::Password, v, &line[ns..ne]) && !prose(v) {
        out.push((Kind::Password, at + s, at + e));
    }
    true
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
    // A token or secret key assigned to a name that says so (`consumer_secret: '...'`,
    // `HMACSecret = "..."`): judged as machine-made, unlike a password.
    // Minified bundles are one long line of identifiers: no tokens are read there. A
    // word without a digit (`AcmeAPIKey`) is a name, not an issued token.
    let token_like = line.len() <= 400 && value.iter().any(u8::is_ascii_digit) && value.len() >= 10;
    if let Some(name) = typed_name(line, q)
        .or_else(|| assigned_name(line, q))
        .filter(|_| token_like)
    {
        if classify(f, &name) == Some(Kind::Token)
            && keep(Kind::Token, value, &name)
            && !label_or_format(value, &name)
        {
            out.push((Kind::Token, at + q + 1, at + close));
            return;
        }
    }
    let name = typed_name(line, q)
        .or_else(|| assigned_name(line, q))
        .or_else(|| compared_name(line, q))
        .or_else(|| keyed_argument(line, q))
        .or_else(|| fallback_of(line, q))
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
    nested(f, value, at + q + 1, out);
}

/// A token-named literal that repeats its name (a CSS module class `tokenList__Fjgh3`, a
/// keychain key `com.acme.app.accessToken`) or holds a printf directive
/// (`sess-%.6d-Vn3k`, `trace%v...`) is a label or a format, not a token.
fn label_or_format(v: &[u8], name: &[u8]) -> bool {
    let squash = |s: &[u8]| -> Vec<u8> {
        s.iter()
            .filter(|b| b.is_ascii_alphanumeric())
            .map(u8::to_ascii_lowercase)
            .collect()
    };
    let last = name.rsplit(|&b| b == b'.').next().unwrap_or(name);
    let (sv, sn) = (squash(v), squash(last));
    let repeats = sn.len() >= 4 && memchr::memmem::find(&sv, &sn).is_some();
    let directive = v.windows(2).enumerate().any(|(i, w)| {
        w[0] == b'%' && {
            let rest = &v[i + 1..];
            let k = rest
                .iter()
                .position(|b| !(b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+')))
                .unwrap_or(rest.len());
            rest.get(k).is_some_and(u8::is_ascii_alphabetic)
        }
    });
    repeats || directive
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

/// `name == "..."` / `name === "..."` / `name != "..."`: the name compared with the
/// literal at `q`.
fn compared_name(line: &[u8], q: usize) -> Option<Vec<u8>> {
    let k = skip_back(line, q);
    let k = if line[..k].ends_with(b"===") || line[..k].ends_with(b"!==") {
        k - 3
    } else if line[..k].ends_with(b"==") || line[..k].ends_with(b"!=") {
        k - 2
    } else {
        return None;
    };
    name_ending_at(line, skip_back(line, k))
}

/// Type names a declaration puts between a variable and its string value.
const STRING_TYPES: &[&[u8]] = &[
    b"string",
    b"str",
    b"char",
    b"nsstring",
    b"text",
    b"securestring",
    b"charsequence",
];

/// A typed declaration: `val password: String = "..."` (Scala, Kotlin, TypeScript, Rust
/// `&str`, Python annotations and default arguments), `var pwd string = "..."` (Go),
/// `char db_pass[] = "..."` (C): the variable's name, not its type's.
fn typed_name(line: &[u8], q: usize) -> Option<Vec<u8>> {
    let k = skip_back(line, q);
    if k < 2 || line[k - 1] != b'=' || matches!(line[k - 2], b'=' | b'!' | b'<' | b'>' | b':') {
        return None;
    }
    let mut k = skip_back(line, k - 1);
    if line[..k].ends_with(b"[]") {
        // `char db_pass[] = "..."`: the name is right before the brackets.
        return name_ending_at(line, k - 2);
    }
    let ty = name_ending_at(line, k)?;
    if !STRING_TYPES.contains(&ty.to_ascii_lowercase().as_slice()) {
        return None;
    }
    k = skip_back(line, k - ty.len());
    while k > 0 && matches!(line[k - 1], b'&' | b'*') {
        k = skip_back(line, k - 1);
    }
    if k > 0 && line[k - 1] == b':' {
        k = skip_back(line, k - 1);
    }
    name_ending_at(line, k)
}

/// Calls that store or look up a value under a key given as their first argument.
const KEYED_CALLS: &[&[u8]] = &[
    b"set",
    b"put",
    b"setproperty",
    b"setdefault",
    b"add",
    b"insert",
    b"store",
    b"setenv",
    b"putenv",
    b"setitem",
    b"getenv",
    b"get",
    b"fetch",
    b"getproperty",
    b"getordefault",
    b"env",
];

/// `props.setProperty("password", "...")`, `map.put("db_password", "...")`,
/// `os.getenv("DB_PASSWORD", "...")`, `ENV.fetch("PASSWORD", "...")`: the key of a
/// two-argument call that stores a value under it or falls back to it.
fn keyed_argument(line: &[u8], q: usize) -> Option<Vec<u8>> {
    let k = skip_back(line, q);
    if k == 0 || line[k - 1] != b',' {
        return None;
    }
    let kq = skip_back(line, k - 1);
    let qc = *line[..kq].last()?;
    if qc != b'"' && qc != b'\'' {
        return None;
    }
    let open_q = memchr::memrchr(qc, &line[..kq - 1])?;
    let open = skip_back(line, open_q);
    if open == 0 || line[open - 1] != b'(' {
        return None;
    }
    // The literal closes the call: exactly two arguments.
    let close = memchr::memchr(line[q], &line[q + 1..])?;
    if line[q + 1 + close + 1..].trim_ascii_start().first() != Some(&b')') {
        return None;
    }
    let call = call_name(line, open - 1)?;
    KEYED_CALLS
        .contains(&call.as_slice())
        .then(|| line[open_q + 1..kq - 1].to_vec())
}

/// `os.getenv("DB_PASSWORD") or "..."`, `process.env.DB_PASSWORD || "..."`,
/// `env["PASSWORD"] ?? "..."`: the name of the setting a literal is the fallback of.
fn fallback_of(line: &[u8], q: usize) -> Option<Vec<u8>> {
    let k = skip_back(line, q);
    // `||`, `??` and Python's `or` (after a blank) are all two bytes to step back over.
    let k = if line[..k].ends_with(b"||")
        || line[..k].ends_with(b"??")
        || line[..k].ends_with(b" or")
    {
        k - 2
    } else {
        return None;
    };
    let k = skip_back(line, k);
    if k >= 2 && line[k - 1] == b')' && matches!(line[k - 2], b'"' | b'\'') {
        let qc = line[k - 2];
        let open = memchr::memrchr(qc, &line[..k - 2])?;
        return Some(line[open + 1..k - 2].to_vec());
    }
    let name = name_ending_at(line, k)?;
    // `process.env.DB_PASSWORD`: the last segment names the setting.
    let last = name.rsplit(|&b| b == b'.').next().unwrap_or(&name);
    Some(last.to_vec())
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
    fn declarations_lookups_fallbacks_and_macros() {
        for (l, want) in [
            ("val password: String = \"Spruce-41\",", "Spruce-41"),
            ("def connect(passwd: str = \"cq2Tr1a\"):", "cq2Tr1a"),
            ("var dbPwd string = \"Alder-19\"", "Alder-19"),
            ("let password: &str = \"Rowan77\";", "Rowan77"),
            ("static char db_pass[] = \"Elm-pw-3\";", "Elm-pw-3"),
            ("if (password !== \"PaS5w0rD2#\") {", "PaS5w0rD2#"),
            (
                "props.setProperty(\"mail.smtp.password\", \"Yew-pw-8\");",
                "Yew-pw-8",
            ),
            ("cfg.put(\"db_password\", \"Cedar-55\")", "Cedar-55"),
            ("pw = os.getenv(\"DB_PASSWORD\", \"Hazel#12\")", "Hazel#12"),
            (
                "PASSWORD = os.environ.get(\"PASSWORD\") or \"at5G6zi!m\"",
                "at5G6zi!m",
            ),
            (
                "const pw = process.env.DB_PASSWORD || 'Linden-6';",
                "Linden-6",
            ),
            ("#define DB_PASSWORD \"Maple-Key9\"", "Maple-Key9"),
            ("#define\tpassword\t\"n84ASM54y4\"", "n84ASM54y4"),
            ("%define PASSWORD n84ASM54y4", "n84ASM54y4"),
        ] {
            assert_eq!(found(l), [want], "{l}");
        }
    }

    #[test]
    fn types_keys_and_other_calls_are_not() {
        for l in [
            "val passwordLabel: String = \"Kite-pw-3\"",
            "var name string = \"Alder-19\"",
            "props.setProperty(\"mail.smtp.host\", \"Yew-pw-8\");",
            "cfg.put(\"db_password\", \"Cedar-55\", ttl)",
            "t.Errorf(\"password\", \"Cedar-55\")",
            "pw = os.getenv(\"DB_PASSWORD\", \"\")",
            "user = os.environ.get(\"DB_USER\") or \"Hazel#12\"",
            "#define PASSWORD_MAX_LEN 64",
            "#define PASSWORD_PROMPT \"Password: \"",
            "#define DB_PASSWORD getenv(\"DB_PASSWORD\")",
            "%define password secret",
            "if (password != \"\") {",
        ] {
            assert!(found(l).is_empty(), "{l}: {:?}", found(l));
        }
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
