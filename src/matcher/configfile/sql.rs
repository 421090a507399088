//! SQL statements that set an account's password, read in any file: scripts, migrations,
//! Dockerfiles, CI files, test code and READMEs quote them as often as `.sql` files do.
//! The shapes are the databases' own: MySQL and Oracle `CREATE|ALTER USER ... IDENTIFIED
//! BY 'pw'` (also `IDENTIFIED WITH plugin BY 'pw'`, and Oracle's unquoted `IDENTIFIED BY
//! pw`), PostgreSQL `CREATE|ALTER ROLE|USER ... [WITH] [ENCRYPTED] PASSWORD 'pw'`, SQL
//! Server `CREATE|ALTER LOGIN ... WITH PASSWORD = 'pw'`, and MySQL `SET PASSWORD [FOR u] =
//! 'pw'`. A `PASSWORD` with no account statement on its line is a column, not a password,
//! and a stored hash (`IDENTIFIED ... AS '*94BD...'`) is left to the hash rules.

use super::formats::Kind;
use super::judge::keep;
use super::wordlines::{WordLine, IDENTIFIED, PASS, PASSWORD};

/// The password of each account statement of `data`, whose lines holding a reader's word
/// are `lines` (see `wordlines`): (start, end). Only lines holding `identified` or
/// `password` (in any case) are read.
pub(super) fn statements(data: &[u8], lines: &[WordLine]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    // `PASS` too: a `password` cut at a block edge of the word search is flagged `pass`.
    for l in lines {
        if l.flags & (PASS | PASSWORD | IDENTIFIED) != 0 && l.end - l.start <= 4096 {
            line(&data[l.start..l.end], l.start, &mut out);
        }
    }
    out
}

/// The statements of one line at offset `at`.
fn line(line: &[u8], at: usize, out: &mut Vec<(usize, usize)>) {
    let lower = line.to_ascii_lowercase();
    let has = |w: &[u8]| memchr::memmem::find(&lower, w).is_some();
    if !has(b"identified") && !has(b"password") {
        return;
    }
    // Prose says "identified by" too: the line must hold the statement's verb.
    if !account_statement(&lower) && !has(b"grant ") {
        return;
    }
    for i in memchr::memmem::find_iter(&lower, b"identified") {
        if !word_at(&lower, i, 10) {
            continue;
        }
        let mut k = skip_blanks(&lower, i + 10);
        // `IDENTIFIED WITH mysql_native_password BY 'pw'`: the plugin, then `BY`.
        if lower[k..].starts_with(b"with") {
            k = skip_blanks(&lower, k + 4);
            k = skip_word(&lower, k);
            k = skip_blanks(&lower, k);
        }
        if !lower[k..].starts_with(b"by") || !word_at(&lower, k, 2) {
            continue;
        }
        k = skip_blanks(&lower, k + 2);
        // `IDENTIFIED BY PASSWORD '*hash'` (MySQL 5) gives a hash.
        if lower[k..].starts_with(b"password") && word_at(&lower, k, 8) {
            continue;
        }
        push_value(line, k, at, out);
    }
    if !account_statement(&lower) {
        return;
    }
    for i in memchr::memmem::find_iter(&lower, b"password") {
        if !word_at(&lower, i, 8) {
            continue;
        }
        let mut k = skip_blanks(&lower, i + 8);
        // `PASSWORD = 'pw'`, `PASSWORD('pw')` (MySQL before 5.7), `PASSWORD 'pw'`.
        if matches!(lower.get(k), Some(b'=') | Some(b'(')) {
            k = skip_blanks(&lower, k + 1);
            if lower[k..].starts_with(b"password(") {
                k += 9;
            }
        }
        push_value(line, k, at, out);
    }
}

/// A statement about an account on this (lowercased) line: `CREATE|ALTER USER|ROLE|LOGIN`
/// or `SET PASSWORD`.
fn account_statement(lower: &[u8]) -> bool {
    let words: Vec<&[u8]> = lower
        .split(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .filter(|w| !w.is_empty())
        .collect();
    // `UPDATE users SET password = ...` writes a column.
    let update = words.contains(&&b"update"[..]);
    words.windows(2).any(|w| {
        (matches!(w[0], b"create" | b"alter") && matches!(w[1], b"user" | b"role" | b"login"))
            || (w[0] == b"set" && w[1] == b"password" && !update)
    })
}

/// Whether the word of `len` bytes at `i` stands alone (not inside an identifier).
fn word_at(lower: &[u8], i: usize, len: usize) -> bool {
    let ident = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    let before = i > 0 && ident(&lower[i - 1]);
    let after = lower.get(i + len).is_some_and(ident);
    !before && !after
}

fn skip_blanks(s: &[u8], mut k: usize) -> usize {
    while k < s.len() && (s[k] == b' ' || s[k] == b'\t') {
        k += 1;
    }
    k
}

/// Past a word, quoted or not (a plugin name: `mysql_native_password`, `'caching_sha2'`).
fn skip_word(s: &[u8], k: usize) -> usize {
    match s.get(k) {
        Some(&q) if q == b'\'' || q == b'"' || q == b'`' => {
            memchr::memchr(q, &s[k + 1..]).map_or(s.len(), |e| k + e + 2)
        }
        _ => {
            let mut e = k;
            while e < s.len() && (s[e].is_ascii_alphanumeric() || s[e] == b'_') {
                e += 1;
            }
            e
        }
    }
}

/// The password value starting at `line[k]`: a quoted string's content, or (Oracle,
/// PostgreSQL without quotes) a bare word that is typed: a digit, a capital or a symbol,
/// and not all capitals (`PASSWORD EXPIRE`, `IDENTIFIED BY VALUES`).
fn push_value(line: &[u8], k: usize, at: usize, out: &mut Vec<(usize, usize)>) {
    let Some(&q) = line.get(k) else {
        return;
    };
    let (s, e, quoted) = if q == b'\'' || q == b'"' {
        let Some(e) = memchr::memchr(q, &line[k + 1..]) else {
            return;
        };
        (k + 1, k + 1 + e, true)
    } else {
        let mut e = k;
        while e < line.len()
            && (line[e].is_ascii_alphanumeric()
                || matches!(line[e], b'_' | b'#' | b'$' | b'!' | b'@'))
        {
            e += 1;
        }
        (k, e, false)
    };
    let v = &line[s..e];
    // A blank or a backtick inside the quotes is code around a variable
    // (`IDENTIFIED BY '` + pw + `'`), or prose.
    if v.iter().any(|b| b.is_ascii_whitespace() || *b == b'`') {
        return;
    }
    if v.is_empty() || v.starts_with(b"*") || v.starts_with(b"$") || v.starts_with(b":") {
        return;
    }
    if !quoted {
        let typed = v
            .iter()
            .any(|b| b.is_ascii_digit() || !b.is_ascii_alphanumeric())
            || (v.iter().any(u8::is_ascii_uppercase) && v.iter().any(u8::is_ascii_lowercase));
        if !typed || v.iter().all(|b| b.is_ascii_uppercase() || *b == b'_') {
            return;
        }
    }
    // A statement in a format string (`IDENTIFIED BY '%s'`, `'{pw}'`, `'?'`) is a template.
    if v.contains(&b'%') && v.len() <= 3 || v == b"?" {
        return;
    }
    if keep(Kind::Password, v, b"password") && !out.contains(&(at + s, at + e)) {
        out.push((at + s, at + e));
    }
}

#[cfg(test)]
mod tests {
    use super::super::wordlines::{lines, mixed_documents};

    fn found(text: &str) -> Vec<&str> {
        let mut words = Vec::new();
        lines(text.as_bytes(), &mut words);
        super::statements(text.as_bytes(), &words)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn account_statements_of_each_database() {
        for (t, want) in [
            ("CREATE USER 'app'@'%' IDENTIFIED BY 'Kestrel-71';", "Kestrel-71"),
            ("ALTER USER 'root'@'localhost' IDENTIFIED WITH mysql_native_password BY 'Pw9-root';", "Pw9-root"),
            ("CREATE USER scott IDENTIFIED BY Tiger42;", "Tiger42"),
            ("  - mysql -e \"CREATE USER ci IDENTIFIED BY 'Ci-pw-2020'\"", "Ci-pw-2020"),
            ("CREATE ROLE app WITH LOGIN PASSWORD 'Larch88';", "Larch88"),
            ("create role report login encrypted password 'rp-4491';", "rp-4491"),
            ("CREATE USER app WITH PASSWORD Hemlock5;", "Hemlock5"),
            ("ALTER LOGIN sa WITH PASSWORD = 'Sa-Strong#1';", "Sa-Strong#1"),
            ("SET PASSWORD FOR 'bob'@'%' = PASSWORD('Bob-pw77');", "Bob-pw77"),
            ("exec(\"CREATE USER t ACCOUNT UNLOCK IDENTIFIED BY Tst0pw\");", "Tst0pw"),
        ] {
            assert_eq!(found(t), [want], "{t}");
        }
    }

    #[test]
    fn columns_hashes_and_templates_are_not() {
        for t in [
            "CREATE TABLE users (id int, password varchar(64));",
            "UPDATE users SET password = 'x9-Hash' WHERE id = 1;",
            "ALTER USER 'u'@'%' IDENTIFIED WITH mysql_native_password AS '*94BDCEBE19083CE2A1F959FD02F964C7AF4CFC29';",
            "GRANT ALL ON db.* TO 'u'@'%' IDENTIFIED BY PASSWORD '*94BDCEBE19083CE2A1F959FD02F964C7AF4CFC29';",
            "CREATE USER app IDENTIFIED BY '%s'",
            "CREATE USER app IDENTIFIED BY '${DB_PASSWORD}';",
            "CREATE ROLE app LOGIN PASSWORD :'pw';",
            "ALTER USER app PASSWORD EXPIRE;",
            "CREATE USER app IDENTIFIED BY 'password';",
            "CREATE USER app IDENTIFIED EXTERNALLY;",
            "The user is identified by a password hash.",
            "Problems identified by Coverity in the reftable code",
            "db.Exec(`ALTER USER ` + user + ` IDENTIFIED BY '` + newpw + `'`)",
            "db.Exec(`ALTER ROLE ` + user + ` WITH PASSWORD = '` + newpw + `'`)",
        ] {
            assert!(found(t).is_empty(), "{t}: {:?}", found(t));
        }
    }

    #[test]
    fn the_word_lines_give_what_a_case_insensitive_search_of_the_whole_file_gives() {
        // The search before the word lines: every line holding `identified` or `password`.
        let ac = aho_corasick::AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(["identified", "password"])
            .expect("two plain words build");
        let mut words = Vec::new();
        let mut total = 0;
        for doc in mixed_documents() {
            let mut want = Vec::new();
            let mut next_line = 0;
            for m in ac.find_iter(&doc) {
                if m.start() < next_line {
                    continue;
                }
                let s = memchr::memrchr(b'\n', &doc[..m.start()]).map_or(0, |i| i + 1);
                let e = memchr::memchr(b'\n', &doc[m.end()..]).map_or(doc.len(), |i| m.end() + i);
                next_line = e + 1;
                if e - s <= 4096 {
                    super::line(&doc[s..e], s, &mut want);
                }
            }
            lines(&doc, &mut words);
            assert_eq!(super::statements(&doc, &words), want);
            total += want.len();
        }
        assert!(total > 100, "the documents hold statements: {total}");
    }
}
