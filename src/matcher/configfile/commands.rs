//! Passwords given to a command on its command line, and HTTP Basic credentials written as
//! a header value, in any file (scripts, Dockerfiles, CI files, READMEs, test code): the
//! shapes the tools themselves document. `--password VALUE` / `--db-password=VALUE`
//! (long options ending in `pass`, `passwd`, `password`), OpenSSL's `-passin pass:VALUE`,
//! the MySQL client's `-pVALUE`, `sshpass -p VALUE`, gpg's `--passphrase VALUE`, curl's
//! `-u user:VALUE`, PowerShell's `-Password VALUE` and `ConvertTo-SecureString "VALUE"`,
//! libcurl's `CURLOPT_PASSWORD`/`CURLOPT_USERPWD` options in code, and `Basic <base64 of
//! user:password>`.
//! The value is judged like a config field's: placeholders and variables are dropped; a
//! bare word on a command line must also carry a digit, a capital or a symbol (`--password
//! flag` in prose is not one).

use base64::Engine as _;

use super::formats::Kind;
use super::judge::{example_password, keep};
use super::wordlines::WordLine;

/// What a command-line reader found: a password given as an option's value, or the
/// base64 of a Basic credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Found {
    Option,
    Basic,
}

/// The words (in the cases written) on a line that the option reader reads: password
/// options and the clients that take them.
const OPTION_WORDS: [&[u8]; 6] = [b"pass", b"Pass", b"PASS", b"mysql", b"mariadb", b"curl"];

/// Each command-line password and Basic credential of `data`, whose lines holding a
/// reader's word are `lines` (see `wordlines`): (what, start, end).
pub(super) fn scan(data: &[u8], lines: &[WordLine]) -> Vec<(Found, usize, usize)> {
    let mut out = Vec::new();
    let has = |line: &[u8], word: &[u8]| memchr::memmem::find(line, word).is_some();
    // The words are matched in any case to find the lines; each reader takes only the
    // cases it was written for.
    for l in lines {
        let (at, line) = (l.start, &data[l.start..l.end]);
        if OPTION_WORDS.iter().any(|w| has(line, w)) {
            options(line, at, &mut out);
        }
        if has(line, b"CURLOPT_") {
            curl_options(line, at, &mut out);
        }
        if has(line, b"-SecureString") {
            secure_string(line, at, &mut out);
        }
        if has(line, b"Basic ") {
            basic(line, at, &mut out);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The value starting at `line[i]`: a quoted string's content or a bare word, with its
/// start and whether it was quoted.
fn value_at(line: &[u8], i: usize) -> Option<(usize, usize, bool)> {
    let q = *line.get(i)?;
    if q == b'"' || q == b'\'' {
        let e = i + 1 + memchr::memchr(q, &line[i + 1..])?;
        return Some((i + 1, e, true));
    }
    let e = line[i..]
        .iter()
        .position(|b| b.is_ascii_whitespace() || matches!(b, b';' | b'|' | b'&' | b')' | b'`'))
        .map_or(line.len(), |p| i + p);
    // A value closing the string that holds the command (`"... --password s3cr"`).
    let e = if e > i && matches!(line[e - 1], b'"' | b'\'' | b',') {
        e - 1
    } else {
        e
    };
    Some((i, e, false))
}

/// Whether `v` (quoted or not) is kept as a command-line password.
fn keep_value(v: &[u8], quoted: bool) -> bool {
    if v.first()
        .is_none_or(|b| matches!(b, b'-' | b'$' | b'%' | b'(' | b'@'))
    {
        return false;
    }
    // The string holding the option closes at `=` and code joins a value to it:
    // `'--password='.$conn['password']` (PHP), `"--password=" + pw` (JS, Java).
    let joined = v.trim_ascii_start();
    if matches!(joined.first(), Some(b'.' | b'+'))
        && v.iter().any(|b| matches!(b, b'$' | b'(' | b'[' | b' '))
    {
        return false;
    }
    let typed = v
        .iter()
        .any(|b| b.is_ascii_digit() || b.is_ascii_uppercase() || !b.is_ascii_alphanumeric());
    keep(Kind::Password, v, b"password") && (quoted || typed)
}

/// `--password VALUE`, `--db-pass=VALUE`, `-passin pass:VALUE`, `mysql ... -pVALUE`,
/// `sshpass -p VALUE` on one line at offset `at`.
fn options(line: &[u8], at: usize, out: &mut Vec<(Found, usize, usize)>) {
    let mut push = |s: usize, e: usize, quoted: bool| {
        if e > s && keep_value(&line[s..e], quoted) {
            out.push((Found::Option, at + s, at + e));
        }
    };
    for i in memchr::memmem::find_iter(line, b"-") {
        if i > 0 && !matches!(line[i - 1], b' ' | b'\t' | b'"' | b'\'' | b'(' | b'[') {
            continue;
        }
        let long = line.get(i + 1) == Some(&b'-');
        let ns = i + 1 + usize::from(long);
        let ne = line[ns..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'))
            .map_or(line.len(), |p| ns + p);
        let name = line[ns..ne].to_ascii_lowercase();
        let sep = line.get(ne).copied();
        if long
            && (name.ends_with(b"password")
                || name.ends_with(b"passwd")
                || name.ends_with(b"pass")
                || name.ends_with(b"passphrase"))
            && matches!(sep, Some(b'=') | Some(b' '))
        {
            if let Some((s, e, q)) = value_at(line, ne + 1) {
                push(s, e, q);
            }
        } else if !long && name.starts_with(b"pass") && sep == Some(b' ') {
            // OpenSSL: `-passin pass:VALUE`, `-passout pass:VALUE`, `-password pass:VALUE`;
            // PowerShell parameters: `-Password 'VALUE'`, `-Passphrase VALUE`.
            let v = ne + 1;
            if line[v..].starts_with(b"pass:") {
                if let Some((s, e, q)) = value_at(line, v + 5) {
                    push(s, e, q);
                }
            } else if matches!(name.as_slice(), b"password" | b"passwd" | b"passphrase") {
                if let Some((s, e, q)) = value_at(line, v) {
                    push(s, e, q);
                }
            }
        } else if (long && name == b"user" || !long && name == b"u")
            && sep == Some(b' ')
            && memchr::memmem::find(&line[..i], b"curl").is_some()
        {
            // curl's `-u user:password` / `--user user:password` (without the colon curl
            // prompts for the password).
            if let Some((s, e, q)) = value_at(line, ne + 1) {
                // `admin:password123` in a README is the stock example, not a password.
                match memchr::memchr(b':', &line[s..e]) {
                    Some(c) if c > 0 && !example_password(&line[s + c + 1..e]) => {
                        push(s + c + 1, e, q)
                    }
                    _ => {}
                }
            }
        } else if !long && line.get(ns) == Some(&b'p') {
            let before = &line[..i];
            let mysql = memchr::memmem::find(before, b"mysql").is_some()
                || memchr::memmem::find(before, b"mariadb").is_some();
            let sshpass = before.trim_ascii_end().ends_with(b"sshpass");
            if mysql && ne > ns + 1 && line[ns + 1] != b'-' {
                // `-pVALUE`: the password joined to the option (a blank would prompt).
                if let Some((s, e, q)) = value_at(line, ns + 1) {
                    push(s, e, q);
                }
            } else if sshpass && ne == ns + 1 {
                if let Some((s, e, q)) = value_at(line, ne + 1) {
                    push(s, e, q);
                }
            }
        }
    }
}

/// libcurl's password options (`curl_easy_setopt(h, CURLOPT_PASSWORD, "VALUE")`, PHP's
/// `curl_setopt($ch, CURLOPT_USERPWD, "user:VALUE")`): the string literal after the
/// option, the part after the colon for the `user:password` ones.
fn curl_options(line: &[u8], at: usize, out: &mut Vec<(Found, usize, usize)>) {
    const OPTIONS: &[(&[u8], bool)] = &[
        (b"CURLOPT_PASSWORD", false),
        (b"CURLOPT_PROXYPASSWORD", false),
        (b"CURLOPT_KEYPASSWD", false),
        (b"CURLOPT_TLSAUTH_PASSWORD", false),
        (b"CURLOPT_PROXY_TLSAUTH_PASSWORD", false),
        (b"CURLOPT_USERPWD", true),
        (b"CURLOPT_PROXYUSERPWD", true),
    ];
    for i in memchr::memmem::find_iter(line, b"CURLOPT_") {
        let ne = line[i..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
            .map_or(line.len(), |p| i + p);
        let Some(&(_, pair)) = OPTIONS.iter().find(|(n, _)| *n == &line[i..ne]) else {
            continue;
        };
        let rest = &line[ne..];
        let lead = rest.len() - rest.trim_ascii_start().len();
        if rest.get(lead) != Some(&b',') {
            continue;
        }
        let v = ne + lead + 1;
        let v = v + (line.len() - v - line[v..].trim_ascii_start().len());
        if !matches!(line.get(v), Some(b'"') | Some(b'\'')) {
            continue;
        }
        let Some((mut s, e, _)) = value_at(line, v) else {
            continue;
        };
        if pair {
            match memchr::memchr(b':', &line[s..e]) {
                Some(c) if c > 0 => s += c + 1,
                _ => continue,
            }
        }
        if e > s && keep_value(&line[s..e], true) {
            out.push((Found::Option, at + s, at + e));
        }
    }
}

/// PowerShell's `ConvertTo-SecureString "VALUE" -AsPlainText -Force` (or `-String VALUE`):
/// a password written in the script.
fn secure_string(line: &[u8], at: usize, out: &mut Vec<(Found, usize, usize)>) {
    let lower = line.to_ascii_lowercase();
    let Some(i) = memchr::memmem::find(&lower, b"convertto-securestring") else {
        return;
    };
    let mut k = i + 22;
    loop {
        while k < line.len() && line[k].is_ascii_whitespace() {
            k += 1;
        }
        if k >= line.len() || matches!(line[k], b'|' | b')' | b';') {
            return;
        }
        if line[k] == b'-' {
            // A parameter: `-String` takes the value next; a switch (`-AsPlainText`,
            // `-Force`) takes none.
            let e = line[k..]
                .iter()
                .position(u8::is_ascii_whitespace)
                .map_or(line.len(), |p| k + p);
            k = e;
            continue;
        }
        let Some((s, e, q)) = value_at(line, k) else {
            return;
        };
        if e > s && keep_value(&line[s..e], q) {
            out.push((Found::Option, at + s, at + e));
        }
        return;
    }
}

/// `Basic <base64>` whose base64 decodes to printable `user:password`.
fn basic(line: &[u8], at: usize, out: &mut Vec<(Found, usize, usize)>) {
    for i in memchr::memmem::find_iter(line, b"Basic ") {
        if i > 0 && line[i - 1].is_ascii_alphanumeric() {
            continue;
        }
        let s = i + 6;
        let mut e = s;
        while e < line.len() && (line[e].is_ascii_alphanumeric() || matches!(line[e], b'+' | b'/'))
        {
            e += 1;
        }
        let mut pad = 0;
        while e < line.len() && pad < 2 && line[e] == b'=' {
            e += 1;
            pad += 1;
        }
        if e - s < 8 {
            continue;
        }
        let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(&line[s..e]) else {
            continue;
        };
        if !raw.iter().all(|b| (0x20..0x7f).contains(b)) {
            continue;
        }
        let Some(c) = memchr::memchr(b':', &raw) else {
            continue;
        };
        // A password with a blank in it is a phrase from an example (`open sesame`).
        let pw = &raw[c + 1..];
        if c > 0 && !pw.contains(&b' ') && keep(Kind::Password, pw, b"password") {
            out.push((Found::Basic, at + s, at + e));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let mut lines = Vec::new();
        super::super::wordlines::lines(text.as_bytes(), &mut lines);
        scan(text.as_bytes(), &lines)
            .into_iter()
            .map(|(_, s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn command_line_passwords() {
        assert_eq!(
            found("nats server report --user admin --password s3cr3t!"),
            ["s3cr3t!"]
        );
        assert_eq!(
            found("  --user ogg --password oggadmin-A1 \\"),
            ["oggadmin-A1"]
        );
        assert_eq!(found("tool --db-password='Birch 42' run"), ["Birch 42"]);
        assert_eq!(
            found("RUN openssl genrsa -aes256 -passout pass:Tern7 -out k.pem"),
            ["Tern7"]
        );
        assert_eq!(
            found("mysql -u root -pQuail-88 app < dump.sql"),
            ["Quail-88"]
        );
        assert_eq!(found("sshpass -p 'Lark2021' ssh deploy@host"), ["Lark2021"]);
        assert_eq!(
            found("gpg --batch --passphrase N1DdkUD3E73 --decrypt f.gpg"),
            ["N1DdkUD3E73"]
        );
        assert_eq!(
            found("New-LocalUser -Name svc -Password 'Sjdn43ss@!'"),
            ["Sjdn43ss@!"]
        );
        assert_eq!(
            found("curl -u deploy:Wp-8812x https://ci.corp.lan/api"),
            ["Wp-8812x"]
        );
        assert_eq!(
            found("curl --user 'ci:Tern#42' -X POST https://h.lan"),
            ["Tern#42"]
        );
        assert_eq!(
            found("curl_easy_setopt(curl, CURLOPT_PASSWORD, \"KiASRCRiGFLP\");"),
            ["KiASRCRiGFLP"]
        );
        assert_eq!(
            found("curl_setopt($ch, CURLOPT_USERPWD, 'root:dkb82VddSD');"),
            ["dkb82VddSD"]
        );
        assert_eq!(
            found("$pw = ConvertTo-SecureString \"4yd21JKH~GE8dkd\" -AsPlainText -Force"),
            ["4yd21JKH~GE8dkd"]
        );
        assert_eq!(
            found("ConvertTo-SecureString -String 'dsjUE#gds8s' -AsPlainText -Force"),
            ["dsjUE#gds8s"]
        );
        // `bWU6S2l0ZTg4` is base64 of `me:Kite88`, written for this test.
        assert_eq!(
            found("if auth != \"Basic bWU6S2l0ZTg4\" {"),
            ["bWU6S2l0ZTg4"]
        );
    }

    #[test]
    fn prompts_variables_and_prose_are_not() {
        for t in [
            "use the --password flag to set it",
            "app --password $DB_PASS",
            "app --password=${DB_PASS}",
            "app --password <password>",
            "app --password \"$(cat /run/secrets/pw)\"",
            "'password' => '--password='.$connection['password'],",
            "args.add(\"--password=\" + config.getPassword());",
            "app --password-file /run/secrets/pw",
            "mysql -u root -p app",
            "mysql -u root -p",
            "openssl req -passin env:PASS",
            "--password PASSWORD",
            // base64 of `user:pass` and of a value with no colon
            "Authorization: Basic dXNlcjpwYXNz",
            "Basic SGVsbG8gd29ybGQ=",
            "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
            "curl -u deploy https://ci.corp.lan/api",
            "curl -u \"$USER:$PASS\" https://h.lan",
            "curl -u user:password https://h.lan",
            "curl -u \"admin:password123\" http://localhost:8080/",
            "Add-Cert -Password (ConvertTo-SecureString $pw -AsPlainText -Force)",
            "mysql -u root:Wp-8812x db",
            "curl_easy_setopt(curl, CURLOPT_PASSWORD, pw);",
            "curl_easy_setopt(curl, CURLOPT_USERPWD, \"user\");",
            "$s = Read-Host -AsSecureString | ConvertTo-SecureString",
            "ConvertTo-SecureString $env:PW -AsPlainText -Force",
            "New-LocalUser -Name svc -Password $secure",
            "Use -Password to pass the password.",
            "See Basic authentication in RFC 7617.",
            "app --password=\"0123456789abcdefghij0123456789abcdefghijxx\"",
        ] {
            assert!(found(t).is_empty(), "{t}: {:?}", found(t));
        }
    }

    #[test]
    fn the_word_lines_give_what_a_search_of_each_word_over_the_whole_file_gives() {
        // The search before the word lines: each word's lines, word by word.
        fn lines_with<'a>(data: &'a [u8], needle: &'a [u8]) -> Vec<(usize, &'a [u8])> {
            let mut out = Vec::new();
            let mut from = 0;
            while let Some(i) = memchr::memmem::find(&data[from..], needle).map(|i| from + i) {
                let s = memchr::memrchr(b'\n', &data[..i]).map_or(0, |p| p + 1);
                let e = memchr::memchr(b'\n', &data[i..]).map_or(data.len(), |p| i + p);
                from = (e + 1).min(data.len());
                out.push((s, &data[s..e]));
            }
            out
        }
        let mut words = Vec::new();
        let mut total = 0;
        for doc in super::super::wordlines::mixed_documents() {
            let mut want = Vec::new();
            for needle in OPTION_WORDS {
                for (at, line) in lines_with(&doc, needle) {
                    options(line, at, &mut want);
                }
            }
            for (at, line) in lines_with(&doc, b"CURLOPT_") {
                curl_options(line, at, &mut want);
            }
            for (at, line) in lines_with(&doc, b"-SecureString") {
                secure_string(line, at, &mut want);
            }
            for (at, line) in lines_with(&doc, b"Basic ") {
                basic(line, at, &mut want);
            }
            want.sort_unstable();
            want.dedup();
            super::super::wordlines::lines(&doc, &mut words);
            assert_eq!(scan(&doc, &words), want);
            total += want.len();
        }
        assert!(total > 100, "the documents hold command lines: {total}");
    }
}
