//! The config-file pass's readers: each format's fields found by its own structure (netrc
//! tokens, pgpass fields, INI/env/YAML/properties lines and their one-line flow mappings,
//! code literals, XML, SQL), and the
//! judgement of a field's name and value (which names hold credentials, which values are
//! placeholders).

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use super::formats::*;
use super::judge::*;

/// Finds the credentials of `data` read as `f`: (kind, start, end) of each value.
pub(super) fn extract(f: &Format, data: &[u8], out: &mut Vec<(Kind, usize, usize)>) {
    match f.syntax {
        Syntax::Netrc => netrc(data, out),
        Syntax::Pgpass => each_line(data, |l, at| pgpass(l, at, out)),
        Syntax::Userlist => each_line(data, |l, at| userlist(l, at, out)),
        Syntax::Htpasswd => each_line(data, |l, at| htpasswd(l, at, out)),
        Syntax::UrlLines => each_line(data, |l, at| userinfo(l, at, out)),
        Syntax::WholeFile => whole_file(data, out),
        Syntax::Sql => sql(data, out),
        Syntax::Lines | Syntax::SpaceLines => {
            let space = f.syntax == Syntax::SpaceLines;
            each_line(data, |l, at| lines_line(f, l, at, space, out))
        }
        Syntax::Code => each_line(data, |l, at| code_line(f, l, at, out)),
        Syntax::Text => each_line(data, |l, at| super::notes::line(f, l, at, out)),
    }
}

/// Calls `f` with each line (without its `\r\n`) and its offset.
pub(super) fn each_line(data: &[u8], mut f: impl FnMut(&[u8], usize)) {
    let mut at = 0;
    for line in data.split(|&b| b == b'\n') {
        let l = line.strip_suffix(b"\r").unwrap_or(line);
        f(l, at);
        at += line.len() + 1;
    }
}

pub(super) fn netrc(data: &[u8], out: &mut Vec<(Kind, usize, usize)>) {
    // Tokens with their offsets; `macdef` bodies run to the next blank line.
    let mut i = 0;
    let mut expect_password = false;
    while i < data.len() {
        while i < data.len() && data[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= data.len() {
            break;
        }
        if data[i] == b'#' {
            while i < data.len() && data[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        let (s, e, next) = if data[i] == b'"' {
            let s = i + 1;
            let mut j = s;
            while j < data.len() && data[j] != b'"' && data[j] != b'\n' {
                if data[j] == b'\\' {
                    j += 1;
                }
                j += 1;
            }
            let j = j.min(data.len());
            (s, j, (j + 1).min(data.len()))
        } else {
            let s = i;
            let mut j = i;
            while j < data.len() && !data[j].is_ascii_whitespace() {
                j += 1;
            }
            (s, j, j)
        };
        let tok = &data[s..e];
        if expect_password {
            expect_password = false;
            if keep(Kind::Password, tok, b"password") {
                out.push((Kind::Password, s, e));
            }
        } else if tok.eq_ignore_ascii_case(b"password") || tok.eq_ignore_ascii_case(b"passwd") {
            expect_password = true;
        } else if tok == b"macdef" {
            // Skip to the blank line that ends the macro.
            let mut j = next;
            while j < data.len() {
                if data[j] == b'\n' && data.get(j + 1) == Some(&b'\n') {
                    break;
                }
                j += 1;
            }
            i = j;
            continue;
        }
        i = next;
    }
}

pub(super) fn pgpass(line: &[u8], at: usize, out: &mut Vec<(Kind, usize, usize)>) {
    let t = line.trim_ascii_start();
    if t.is_empty() || t[0] == b'#' {
        return;
    }
    let mut fields = 0;
    let mut i = 0;
    while i < line.len() {
        match line[i] {
            b'\\' => i += 1,
            b':' => {
                fields += 1;
                if fields == 4 {
                    let s = i + 1;
                    let v = line[s..].trim_ascii_end();
                    if keep(Kind::Password, v, b"password") {
                        out.push((Kind::Password, at + s, at + s + v.len()));
                    }
                    return;
                }
            }
            _ => {}
        }
        i += 1;
    }
}

pub(super) fn userlist(line: &[u8], at: usize, out: &mut Vec<(Kind, usize, usize)>) {
    let t = line.trim_ascii_start();
    if t.first() != Some(&b'"') {
        return;
    }
    // Second quoted string.
    let mut quotes = line
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'"')
        .map(|(i, _)| i);
    let (Some(_), Some(_), Some(s), Some(e)) =
        (quotes.next(), quotes.next(), quotes.next(), quotes.next())
    else {
        return;
    };
    let v = &line[s + 1..e];
    if keep(Kind::Password, v, b"password") {
        out.push((Kind::Password, at + s + 1, at + e));
    }
}

pub(super) fn htpasswd(line: &[u8], at: usize, out: &mut Vec<(Kind, usize, usize)>) {
    let t = line.trim_ascii();
    if t.is_empty() || t[0] == b'#' {
        return;
    }
    let Some(c) = memchr::memchr(b':', line) else {
        return;
    };
    let v = line[c + 1..].trim_ascii_end();
    // Hashes ($apr1$, $2y$, {SHA}, crypt) are the htpasswd rules' job; 13-byte DES crypt
    // strings are indistinguishable from a password and are left to them too.
    let des = v.len() == 13
        && v.iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'.' || *b == b'/');
    if v.first() == Some(&b'$') || v.starts_with(b"{") || des || v.contains(&b':') {
        return;
    }
    if keep(Kind::Password, v, b"password") {
        out.push((Kind::Password, at + c + 1, at + c + 1 + v.len()));
    }
}

pub(super) fn whole_file(data: &[u8], out: &mut Vec<(Kind, usize, usize)>) {
    let start = data.len() - data.trim_ascii_start().len();
    let v = data.trim_ascii();
    if v.len() >= 16
        && v.len() <= 512
        && !v.iter().any(|b| b.is_ascii_whitespace())
        && keep(Kind::Token, v, b"key")
    {
        out.push((Kind::Token, start, start + v.len()));
    }
}

/// `scheme://user:password@host` anywhere in `s`: the password's span.
pub(super) fn userinfo(s: &[u8], at: usize, out: &mut Vec<(Kind, usize, usize)>) {
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&s[from..], b"://") {
        let auth_start = from + i + 3;
        from = auth_start;
        let end = s[auth_start..]
            .iter()
            .position(|&b| {
                matches!(
                    b,
                    b'/' | b'?' | b'#' | b' ' | b'"' | b'\'' | b'<' | b'>' | b'\t' | b','
                )
            })
            .map_or(s.len(), |p| auth_start + p);
        let auth = &s[auth_start..end];
        let Some(atsign) = memchr::memrchr(b'@', auth) else {
            continue;
        };
        let Some(colon) = memchr::memchr(b':', &auth[..atsign]) else {
            continue;
        };
        let v = &auth[colon + 1..atsign];
        if keep(Kind::Password, v, b"password") && !example_host(&auth[atsign + 1..]) {
            let vs = at + auth_start + colon + 1;
            out.push((Kind::Password, vs, vs + v.len()));
        }
    }
}

/// A documentation host (RFC 2606: `example.com`, `*.example.org`, `host.example`):
/// credentials in a URL to it are an example.
fn example_host(host: &[u8]) -> bool {
    let host = host.to_ascii_lowercase();
    let host = match memchr::memrchr(b':', &host) {
        Some(c) if host[c + 1..].iter().all(u8::is_ascii_digit) => &host[..c],
        _ => &host[..],
    };
    ["example.com", "example.org", "example.net"]
        .iter()
        .any(|d| host == d.as_bytes() || host.ends_with(format!(".{d}").as_bytes()))
        || host.ends_with(b".example")
}

/// `Password=...;` / `Pwd=...` inside a connection string value.
pub(super) fn connection_string(s: &[u8], at: usize, out: &mut Vec<(Kind, usize, usize)>) {
    for part_start in std::iter::once(0).chain(memchr::memchr_iter(b';', s).map(|i| i + 1)) {
        let rest = &s[part_start..];
        let end = memchr::memchr(b';', rest).unwrap_or(rest.len());
        let part = &rest[..end];
        let Some(eq) = memchr::memchr(b'=', part) else {
            continue;
        };
        let key = part[..eq].trim_ascii().to_ascii_lowercase();
        if key == b"password" || key == b"pwd" {
            let raw = &part[eq + 1..];
            let lead = raw.len() - raw.trim_ascii_start().len();
            let mut v = raw.trim_ascii();
            let mut off = part_start + eq + 1 + lead;
            if v.len() >= 2 && (v[0] == b'\'' || v[0] == b'{') {
                v = &v[1..v.len() - 1];
                off += 1;
            }
            if keep(Kind::Password, v, b"password") {
                out.push((Kind::Password, at + off, at + off + v.len()));
            }
        }
    }
}

/// Looks inside a value for connection-string passwords, URL userinfo, and shell
/// assignments (`ENV="ORACLE_SID=db1 ORACLE_PWD=..."`: a value that is a list of them).
pub(super) fn nested(f: &Format, v: &[u8], at: usize, out: &mut Vec<(Kind, usize, usize)>) {
    // Only where values are shell-like: a string literal in code (`"id=a secret={X}"`) is
    // a format string or a query as often as a list of assignments.
    let shell = matches!(f.syntax, Syntax::Lines | Syntax::SpaceLines);
    let pairs = if shell { assignments(v) } else { Vec::new() };
    if pairs.len() > 1 {
        for (n, (s, e)) in pairs {
            if let Some(kind) = classify(f, n) {
                if keep(kind, &v[s..e], n) {
                    out.push((kind, at + s, at + e));
                }
            }
        }
    }
    if memchr::memmem::find(v, b"://").is_some() {
        userinfo(v, at, out);
    }
    if memchr::memchr(b'=', v).is_some() && memchr::memchr(b';', v).is_some() {
        let lower = v.to_ascii_lowercase();
        if memchr::memmem::find(&lower, b"password=").is_some()
            || memchr::memmem::find(&lower, b"pwd=").is_some()
        {
            connection_string(v, at, out);
        }
    }
}

/// A `Lines` line: `name = value`, `name: value`, `export NAME=value`, `- NAME=value`,
/// (and `name value` with `space`).
pub(super) fn lines_line(
    f: &Format,
    line: &[u8],
    at: usize,
    space: bool,
    out: &mut Vec<(Kind, usize, usize)>,
) {
    let lead = line.len() - line.trim_ascii_start().len();
    let mut t = &line[lead..];
    let mut off = at + lead;
    // `//host/:_authToken=` is an .npmrc key, `// text` a comment.
    if t.is_empty() || matches!(t[0], b'#' | b';' | b'!' | b'[') || t.starts_with(b"// ") {
        return;
    }
    for prefix in [
        &b"export "[..],
        b"set ",
        b"setenv ",
        b"- ",
        b"declare -x ",
        b"-e ",
        b"--env ",
        b"ENV ",
        b"env ",
    ] {
        if t.starts_with(prefix) {
            let skip = prefix.len()
                + (t.len() - prefix.len() - t[prefix.len()..].trim_ascii_start().len());
            t = &t[skip..];
            off += skip;
        }
    }
    // The name: up to the separator.
    let mut i = 0;
    let quoted_name = matches!(t.first(), Some(b'"') | Some(b'\''));
    if quoted_name {
        let q = t[0];
        match memchr::memchr(q, &t[1..]) {
            Some(e) => i = e + 2,
            None => return,
        }
    } else {
        // A colon inside a name (`//host:8080/:_auth`) is not a YAML separator: that one
        // is followed by a blank, a quote or the end of the line.
        while i < t.len()
            && !matches!(t[i], b'=' | b' ' | b'\t')
            && !(t[i] == b':'
                && t.get(i + 1)
                    .is_none_or(|b| b.is_ascii_whitespace() || *b == b'"' || *b == b'\''))
        {
            i += 1;
        }
    }
    let name = &t[..i];
    let mut j = i;
    while j < t.len() && (t[j] == b' ' || t[j] == b'\t') {
        j += 1;
    }
    let sep = t.get(j).copied();
    let spaced = j > i;
    let vstart = match sep {
        Some(b'=') if t.get(j + 1) != Some(&b'=') => j + 1,
        Some(b':')
            if t.get(j + 1)
                .is_none_or(|b| b.is_ascii_whitespace() || *b == b'"' || *b == b'\'') =>
        {
            j + 1
        }
        Some(b'=') | Some(b':') => return,
        // csh `setenv NAME value`, redis `requirepass value`.
        Some(_) if spaced && (space || line.trim_ascii_start().starts_with(b"setenv ")) => j,
        _ => return,
    };
    // `setenv` and space formats.
    let rest = &t[vstart..];
    let vlead = rest.len() - rest.trim_ascii_start().len();
    let v = &rest[vlead..];
    let voff = off + vstart + vlead;
    if matches!(v.first(), Some(b'{') | Some(b'[')) {
        flow_pairs(f, v, voff, out);
        return;
    }
    let (value, vs) = line_value(v, voff);
    if value.is_empty() {
        return;
    }
    // Shell assignments share a line (`export A=1 B=secret`, `- DB_USER=app DB_PASS=x`):
    // the shell splits words at blanks, so each `NAME=value` word is its own setting.
    if sep == Some(b'=') && !spaced && !quoted_name {
        let pairs = assignments(t);
        if pairs.len() > 1 {
            for (n, (s, e)) in pairs {
                judge_field(f, n, &t[s..e], off + s, out);
            }
            return;
        }
    }
    let name = strip_quotes(name);
    // Prose and code in documentation: a setting's name is one identifier
    // (`user:password@tcp(host:5555)/db?tls=...` is a DSN, not `name=value`).
    if f.slug == "docs"
        && !name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    {
        return;
    }
    judge_field(f, name, value, vs, out);
}

/// Appends `value` (at offset `vs`) if its `name` holds a credential and the value is
/// one, else what its value nests (URL userinfo, connection strings, assignments).
fn judge_field(
    f: &Format,
    name: &[u8],
    value: &[u8],
    vs: usize,
    out: &mut Vec<(Kind, usize, usize)>,
) {
    match classify(f, name) {
        Some(kind) if keep(kind, value, name) => out.push((kind, vs, vs + value.len())),
        _ => nested(f, value, vs, out),
    }
}

/// The leading shell assignments of `t` (`A=1 B="x y" C=z cmd`): each `NAME=value` word
/// as (name, value range in `t`), up to the first word that is not one. A value runs to
/// the next blank outside quotes; a quoted value's range is its content.
pub(super) fn assignments(t: &[u8]) -> Vec<(&[u8], (usize, usize))> {
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while t.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
            i += 1;
        }
        let n = t[i..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
            .map_or(t.len(), |p| i + p);
        let ident = n > i && !t[i].is_ascii_digit();
        if !ident || t.get(n) != Some(&b'=') || t.get(n + 1) == Some(&b'=') {
            return out;
        }
        let vs = n + 1;
        let (range, next) = match t.get(vs) {
            Some(&q) if q == b'"' || q == b'\'' => match memchr::memchr(q, &t[vs + 1..]) {
                Some(c) => ((vs + 1, vs + 1 + c), vs + 2 + c),
                None => return out,
            },
            _ => {
                let e = t[vs..]
                    .iter()
                    .position(|b| *b == b' ' || *b == b'\t')
                    .map_or(t.len(), |p| vs + p);
                ((vs, e), e)
            }
        };
        out.push((&t[i..n], range));
        // A word must end at a blank or the line's end (`A="x"y` is one word).
        if next < t.len() && !matches!(t[next], b' ' | b'\t') {
            return out;
        }
        i = next;
        if i >= t.len() {
            return out;
        }
    }
}

/// A YAML flow mapping (or a NATS/HOCON-style one) on one line: `{user: app, password:
/// Quill-88}`, `[ {user: a, password: "x"} ]`: each `key: value` / `key = value` pair
/// between `{` and `}`, judged like a line of its own.
fn flow_pairs(f: &Format, v: &[u8], off: usize, out: &mut Vec<(Kind, usize, usize)>) {
    let mut i = 0;
    while let Some(open) = memchr::memchr(b'{', &v[i..]).map(|p| i + p) {
        let Some(close) = memchr::memchr(b'}', &v[open..]).map(|p| open + p) else {
            return;
        };
        let mut ps = open + 1;
        for part in v[open + 1..close].split(|&b| b == b',') {
            let pe = ps + part.len();
            let sep = part.iter().enumerate().position(|(k, &b)| {
                b == b'=' || (b == b':' && part.get(k + 1).is_none_or(|c| *c == b' '))
            });
            if let Some(c) = sep {
                let name = strip_quotes(&part[..c]);
                let raw = &part[c + 1..];
                let lead = raw.len() - raw.trim_ascii_start().len();
                let mut val = raw.trim_ascii();
                let mut vs = ps + c + 1 + lead;
                if val.len() >= 2 && matches!(val[0], b'"' | b'\'') && val[val.len() - 1] == val[0]
                {
                    val = &val[1..val.len() - 1];
                    vs += 1;
                }
                if let Some(kind) = classify(f, name) {
                    if !val.is_empty() && keep(kind, val, name) {
                        out.push((kind, off + vs, off + vs + val.len()));
                    }
                }
            }
            ps = pe + 1;
        }
        i = close + 1;
    }
}

/// The value of a line-valued assignment: a quoted string's content, or the rest of the
/// line without a trailing comment.
pub(super) fn line_value(v: &[u8], off: usize) -> (&[u8], usize) {
    match v.first() {
        Some(&q) if q == b'"' || q == b'\'' => match memchr::memchr(q, &v[1..]) {
            Some(e) => (&v[1..e + 1], off + 1),
            None => (&v[..0], off),
        },
        // YAML block scalars and flow collections: not a scalar on this line.
        // ...and a comment where the value should be (`KEY=  # generate with ...`).
        Some(b'|') | Some(b'>') | Some(b'{') | Some(b'[') | Some(b'&') | Some(b'*')
        | Some(b'#') => (&v[..0], off),
        _ => {
            let mut end = v.len();
            for (k, w) in v.windows(2).enumerate() {
                if (w[0] == b' ' || w[0] == b'\t') && (w[1] == b'#' || w[1] == b';') {
                    end = k;
                    break;
                }
            }
            // A shell line continuation (`-e PW=x \`) ends the value.
            let v = v[..end].trim_ascii_end();
            let v = v.strip_suffix(b" \\").unwrap_or(v).trim_ascii_end();
            (v, off)
        }
    }
}

pub(super) fn strip_quotes(name: &[u8]) -> &[u8] {
    let n = name.trim_ascii();
    if n.len() >= 2 && (n[0] == b'"' || n[0] == b'\'') && n[n.len() - 1] == n[0] {
        &n[1..n.len() - 1]
    } else {
        n
    }
}

/// A `Code` line: each quoted string assigned to a name (`name = "v"`, `"name": "v"`,
/// `'name' => 'v'`, `['name'] = 'v'`, `define('NAME', 'v')`, XML `name="v"`,
/// `<add key="NAME" value="v"/>`) and each XML element `<name>v</name>`.
pub(super) fn code_line(f: &Format, line: &[u8], at: usize, out: &mut Vec<(Kind, usize, usize)>) {
    code_line_with(f, line, at, out, named_literal);
}

/// What reads one string literal: (format, line, opening quote, closing quote, the
/// line's offset, findings).
pub(super) type LiteralReader =
    fn(&Format, &[u8], usize, usize, usize, &mut Vec<(Kind, usize, usize)>);

/// [`code_line`] with the literals read by `read`.
pub(super) fn code_line_with(
    f: &Format,
    line: &[u8],
    at: usize,
    out: &mut Vec<(Kind, usize, usize)>,
    read: LiteralReader,
) {
    let t = line.trim_ascii_start();
    if t.starts_with(b"//")
        || t.starts_with(b"#")
        || t.starts_with(b"<!--")
        || t.starts_with(b"*")
        || t.starts_with(b"/*")
    {
        return;
    }
    let mut i = 0;
    while i < line.len() {
        let q = line[i];
        if q == b'<' {
            if let Some(next) = xml_element(f, line, i, at, out) {
                i = next;
                continue;
            }
            i += 1;
            continue;
        }
        if q != b'"' && q != b'\'' {
            i += 1;
            continue;
        }
        // A string literal from i.
        let s = i + 1;
        let mut j = s;
        while j < line.len() && line[j] != q {
            if line[j] == b'\\' {
                j += 1;
            }
            j += 1;
        }
        if j >= line.len() {
            return;
        }
        let after = line[j + 1..].trim_ascii_start();
        // `'x' % y`, `"a" + b`, `'x'.format()`: an expression, not a literal.
        let expression = matches!(after.first(), Some(b'%') | Some(b'+') | Some(b'.'));
        if !expression {
            read(f, line, i, j, at, out);
            if memchr::memmem::find(&line[s..j], b"\\\"").is_some() {
                let parent = assigned_name(line, i);
                super::escaped::members(f, parent.as_deref(), &line[s..j], at + s, out);
            }
        }
        i = j + 1;
    }
}

/// A literal assigned to a name that means a credential, or holding a URL or connection
/// string with one.
fn named_literal(
    f: &Format,
    line: &[u8],
    i: usize,
    j: usize,
    at: usize,
    out: &mut Vec<(Kind, usize, usize)>,
) {
    let (s, value) = (i + 1, &line[i + 1..j]);
    if let Some(name) = assigned_name(line, i) {
        judge_field(f, &name, value, at + s, out);
    }
}

/// Reads a line of a JSON data file at offset `at`: the documents kept in its strings.
pub(super) fn json_line(f: &Format, line: &[u8], at: usize, out: &mut Vec<(Kind, usize, usize)>) {
    if memchr::memmem::find(line, b"\\\"").is_none() {
        return;
    }
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'"', &line[i..]) {
        let q = i + p;
        let mut j = q + 1;
        while j < line.len() && line[j] != b'"' {
            if line[j] == b'\\' {
                j += 1;
            }
            j += 1;
        }
        if j >= line.len() {
            return;
        }
        let v = &line[q + 1..j];
        if memchr::memmem::find(v, b"\\\"").is_some() {
            let parent = assigned_name(line, q);
            super::escaped::members(f, parent.as_deref(), v, at + q + 1, out);
        }
        i = j + 1;
    }
}

/// The name a string literal starting at `q` (its opening quote) is assigned to.
pub(super) fn assigned_name(line: &[u8], q: usize) -> Option<Vec<u8>> {
    let mut k = q;
    while k > 0 && line[k - 1].is_ascii_whitespace() {
        k -= 1;
    }
    // The separator.
    let sep_end = k;
    let define = if k >= 1 && line[k - 1] == b',' {
        k -= 1;
        true
    } else if k >= 2 && (&line[k - 2..k] == b"=>" || &line[k - 2..k] == b":=") {
        k -= 2;
        false
    } else if k >= 1 && (line[k - 1] == b'=' || line[k - 1] == b':') {
        if k >= 2 && matches!(line[k - 2], b'=' | b'!' | b'<' | b'>') {
            return None; // a comparison
        }
        k -= 1;
        false
    } else {
        return None;
    };
    let _ = sep_end;
    while k > 0 && line[k - 1].is_ascii_whitespace() {
        k -= 1;
    }
    if k == 0 {
        return None;
    }
    // The name: a quoted string, a bracketed quoted key, or an identifier.
    let mut end = k;
    if line[end - 1] == b']' {
        end -= 1;
    }
    let name_end;
    let name_start;
    let c = line[end - 1];
    if c == b'"' || c == b'\'' {
        name_end = end - 1;
        let open = memchr::memrchr(c, &line[..name_end])?;
        name_start = open + 1;
        if define {
            let before = line[..open].trim_ascii_end();
            let before = before.strip_suffix(b"(")?.trim_ascii_end();
            if !before.to_ascii_lowercase().ends_with(b"define") {
                return None;
            }
        }
    } else {
        if define {
            return None;
        }
        name_end = end;
        let mut s = end;
        while s > 0
            && (line[s - 1].is_ascii_alphanumeric()
                || matches!(line[s - 1], b'_' | b'-' | b'.' | b'$' | b':'))
        {
            s -= 1;
        }
        name_start = s;
    }
    if name_start >= name_end {
        return None;
    }
    let name = &line[name_start..name_end];
    // `<add key="X" value="v"/>` / `<property name="X" value="v"/>`: the key names it.
    if name.eq_ignore_ascii_case(b"value") {
        let tag_start = memchr::memrchr(b'<', &line[..name_start])?;
        let tag = &line[tag_start..name_start];
        for attr in [&b"key="[..], b"name="] {
            if let Some(p) = find_ci(tag, attr) {
                let rest = &tag[p + attr.len()..];
                let qc = *rest.first()?;
                if qc == b'"' || qc == b'\'' {
                    let e = memchr::memchr(qc, &rest[1..])?;
                    return Some(rest[1..e + 1].to_vec());
                }
            }
        }
        return None;
    }
    Some(name.to_vec())
}

pub(super) fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// An XML element `<name ...>text</name>` at `lt` (or `<property name="x">text</...>`):
/// reports the text when the name means a credential. Returns where to continue.
pub(super) fn xml_element(
    f: &Format,
    line: &[u8],
    lt: usize,
    at: usize,
    out: &mut Vec<(Kind, usize, usize)>,
) -> Option<usize> {
    let mut k = lt + 1;
    while k < line.len()
        && (line[k].is_ascii_alphanumeric() || matches!(line[k], b'_' | b'-' | b'.' | b':'))
    {
        k += 1;
    }
    if k == lt + 1 {
        return None;
    }
    let tag = &line[lt + 1..k];
    let gt = k + memchr::memchr(b'>', &line[k..])?;
    if line[gt - 1] == b'/' {
        return None; // self-closing: its attributes are read as assignments
    }
    let attrs = &line[k..gt];
    let text_start = gt + 1;
    let close = text_start + memchr::memchr(b'<', &line[text_start..])?;
    if line.get(close + 1) != Some(&b'/') {
        return None;
    }
    let mut name = tag.to_vec();
    if matches!(
        tag.to_ascii_lowercase().as_slice(),
        b"property"
            | b"entry"
            | b"add"
            | b"param"
            | b"parameter"
            | b"setting"
            | b"env"
            | b"environment"
    ) {
        for attr in [&b"name="[..], b"key="] {
            if let Some(p) = find_ci(attrs, attr) {
                let rest = &attrs[p + attr.len()..];
                if let Some(&qc) = rest.first() {
                    if let Some(e) = memchr::memchr(qc, &rest[1..]) {
                        name = rest[1..e + 1].to_vec();
                        break;
                    }
                }
            }
        }
    }
    let value = line[text_start..close].trim_ascii();
    let vs = text_start
        + (line[text_start..close].len() - line[text_start..close].trim_ascii_start().len());
    if !value.is_empty() {
        match classify(f, &name) {
            Some(kind) if keep(kind, value, &name) => {
                out.push((kind, at + vs, at + vs + value.len()))
            }
            _ => nested(f, value, at + vs, out),
        }
    }
    // Attributes of the opening tag are assignments too: continue inside it.
    Some(k)
}

pub(super) fn sql(data: &[u8], out: &mut Vec<(Kind, usize, usize)>) {
    static AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    let Some(ac) = AC
        .get_or_init(|| {
            aho_corasick::AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .build(["identified by", "password"])
                .ok()
        })
        .as_ref()
    else {
        return;
    };
    for m in ac.find_iter(data) {
        let line_start = memchr::memrchr(b'\n', &data[..m.start()]).map_or(0, |i| i + 1);
        let line_end = memchr::memchr(b'\n', &data[m.end()..]).map_or(data.len(), |i| m.end() + i);
        let line = data[line_start..line_end].to_ascii_lowercase();
        if m.pattern().as_usize() == 1 {
            // `password` needs a statement about an account on its line.
            let ok = [&b"user"[..], b"role", b"login", b"set password"]
                .iter()
                .any(|w| memchr::memmem::find(&line, w).is_some());
            if !ok {
                continue;
            }
            // Not a column name: `password` as a word.
            if m.start() > 0
                && (data[m.start() - 1].is_ascii_alphanumeric() || data[m.start() - 1] == b'_')
            {
                continue;
            }
        }
        let mut k = m.end();
        let skip_ws = |k: &mut usize| {
            while *k < line_end && data[*k].is_ascii_whitespace() {
                *k += 1;
            }
        };
        skip_ws(&mut k);
        if m.pattern().as_usize() == 1 {
            if data.get(k) == Some(&b'=') || data.get(k) == Some(&b'(') {
                k += 1;
                skip_ws(&mut k);
            }
        } else if data[k..line_end].len() >= 8 && data[k..k + 8].eq_ignore_ascii_case(b"password") {
            // `IDENTIFIED BY PASSWORD '*hash'`
            k += 8;
            skip_ws(&mut k);
        }
        let Some(&qc) = data.get(k) else {
            continue;
        };
        let (s, e) = if qc == b'\'' || qc == b'"' {
            let s = k + 1;
            let Some(e) = memchr::memchr(qc, &data[s..line_end]) else {
                continue;
            };
            (s, s + e)
        } else if m.pattern().as_usize() == 0 && (qc.is_ascii_alphanumeric()) {
            // Oracle: `IDENTIFIED BY secret` without quotes.
            let s = k;
            let mut e = k;
            while e < line_end
                && (data[e].is_ascii_alphanumeric() || matches!(data[e], b'_' | b'#' | b'$'))
            {
                e += 1;
            }
            (s, e)
        } else {
            continue;
        };
        if keep(Kind::Password, &data[s..e], b"password") && !out.iter().any(|o| o.1 == s) {
            out.push((Kind::Password, s, e));
        }
    }
}

#[cfg(test)]
mod flow_tests {
    use super::super::formats::FORMATS;

    fn found(text: &str) -> Vec<&str> {
        let f = FORMATS.iter().find(|f| f.slug == "generic").unwrap();
        let mut out = Vec::new();
        super::extract(f, text.as_bytes(), &mut out);
        out.iter().map(|&(_, s, e)| &text[s..e]).collect()
    }

    #[test]
    fn flow_mappings_on_one_line() {
        assert_eq!(found("db: {user: app, password: Quill-88}"), ["Quill-88"]);
        assert_eq!(
            found("users: [ {user: svc, password: \"Tarn#4410\"} ]"),
            ["Tarn#4410"]
        );
        assert_eq!(
            found("auth: {user: app, password: pass}"),
            Vec::<&str>::new()
        );
        assert_eq!(
            found("db: {user: app, password: ${DB_PASSWORD}}"),
            Vec::<&str>::new()
        );
        assert_eq!(
            found("limits: {password_min_length: 12}"),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn shell_assignments_share_a_line() {
        assert_eq!(
            found("export DB_USER=app DB_PASSWORD=Quill-88 DB_HOST=db"),
            ["Quill-88"]
        );
        assert_eq!(
            found("  - DB_USER=root DB_PASSWORD=\"Tarn 4410\" DB_PORT=3306"),
            ["Tarn 4410"]
        );
        assert_eq!(
            found("env API_TOKEN=f3Kq9ZmT27xLpR4v SMTP_PASS=Quill-88 make test"),
            ["f3Kq9ZmT27xLpR4v", "Quill-88"]
        );
        // A value that is a list of assignments (Docker's `ENV="A=x B=y"`).
        assert_eq!(
            found("ENV=\"ORACLE_SID=orcl ORACLE_PWD=Quill-88\""),
            ["Quill-88"]
        );
        // One assignment whose unquoted value has a blank stays one value.
        assert_eq!(found("DB_PASSWORD=Quill 88"), ["Quill 88"]);
        // `name = value` with blanks is INI, not shell: the value runs to the end.
        assert_eq!(
            found("password = Quill-88 DB_HOST=db"),
            ["Quill-88 DB_HOST=db"]
        );
    }
}
