//! Plain-text notes (`.txt` files and files without an extension): credentials written as
//! pairs anywhere on a line, the way people jot them down (`ID:admin PW:...`,
//! `user=ops, pass=...`, `host (pw:...)`), not one setting per line at its start.
//!
//! Free text is prose as often as it is a list of pairs, so a pair is read only where the
//! line says pairs: its value ends the line, or is followed by punctuation, a comment or
//! another pair (`password: keep it empty` is a sentence). And a password in prose is
//! typed, not a word: it mixes at least two of lowercase, uppercase, digits and symbols
//! (`password: required` is a word), and not a stock example (`secret123`). Tokens in
//! notes are left to the provider rules and the generic detector, whose look-alike
//! filters know token shapes; this reader knows people's passwords.

use super::formats::{Format, Kind};
use super::judge::{classify, example_password, keep};

/// Appends the passwords of one line of notes: each `name:value`, `name=value`,
/// `name:=value` pair whose name holds a password.
pub(super) fn line(f: &Format, line: &[u8], at: usize, out: &mut Vec<(Kind, usize, usize)>) {
    for sep in memchr::memchr2_iter(b':', b'=', line) {
        // `:=` is one separator, read at its colon; `==`, `=>`, `::` are operators.
        if line[sep] == b'=' && sep > 0 && line[sep - 1] == b':' {
            continue;
        }
        let mut vs = sep + 1;
        if line[sep] == b':' && line.get(vs) == Some(&b'=') {
            vs += 1;
        }
        if matches!(line.get(vs), Some(b'=') | Some(b'>') | Some(b':'))
            || (sep > 0 && matches!(line[sep - 1], b'=' | b'!' | b'<' | b'>' | b':'))
        {
            continue;
        }
        let Some(name) = name_before(line, sep) else {
            continue;
        };
        while line.get(vs).is_some_and(|b| *b == b' ' || *b == b'\t') {
            vs += 1;
        }
        let Some((value_start, value_end, end)) = value_at(line, vs) else {
            continue;
        };
        if !ends_pair(&line[end..]) {
            continue;
        }
        if classify(f, name) != Some(Kind::Password) {
            continue;
        }
        let value = &line[value_start..value_end];
        if typed(value) && !example_password(value) && keep(Kind::Password, value, name) {
            out.push((Kind::Password, at + value_start, at + value_end));
        }
    }
}

/// Whether `b` may be part of a name written in notes (`ANY_PW`, `db.password`, `-pw`).
fn name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// The name written just before the separator at `sep`: a run of name bytes (a leading
/// `-` of an option dropped), or a quoted name (`"password": ...`). A name starts a
/// word: the line's start, a blank, or punctuation that opens or separates comes before
/// it (`M]PW:` in encoded bytes is no name).
fn name_before(line: &[u8], sep: usize) -> Option<&[u8]> {
    let before = &line[..sep];
    if let Some(&q) = before.last().filter(|q| **q == b'"' || **q == b'\'') {
        let open = memchr::memrchr(q, &before[..before.len() - 1])?;
        let name = &before[open + 1..before.len() - 1];
        return (!name.is_empty() && name.iter().all(|b| name_byte(*b))).then_some(name);
    }
    let start = before
        .iter()
        .rposition(|b| !name_byte(*b))
        .map_or(0, |p| p + 1);
    if start > 0
        && !matches!(
            before[start - 1],
            b' ' | b'\t' | b'(' | b',' | b';' | b'/' | b'|' | b'{' | b'['
        )
    {
        return None;
    }
    let name = &before[start..];
    let name = &name[name.iter().take_while(|b| **b == b'-').count()..];
    (!name.is_empty()).then_some(name)
}

/// The longest password read in notes. Each separator's value is looked for only this
/// far, so a long line of separators (`a=a=a=...`, encoded data) costs linear time.
const MAX_VALUE: usize = 256;

/// The value starting at `vs`: (start, end, end of the pair). A quoted value is the
/// quote's content; a bare one runs to a blank or punctuation that ends a pair. A value
/// that starts like a reference or an expression (`$X`, `${x}`, `<x>`, `(x)`, `{1}`), or
/// runs longer than [`MAX_VALUE`], is none.
fn value_at(line: &[u8], vs: usize) -> Option<(usize, usize, usize)> {
    let first = *line.get(vs)?;
    let window = &line[vs..line.len().min(vs + 1 + MAX_VALUE)];
    if first == b'"' || first == b'\'' {
        let close = memchr::memchr(first, &window[1..])? + vs + 1;
        return Some((vs + 1, close, close + 1));
    }
    if matches!(first, b'$' | b'{' | b'(' | b'<' | b'[' | b'%' | b'`') {
        return None;
    }
    let end = match window.iter().position(|b| {
        b.is_ascii_whitespace()
            || matches!(
                b,
                b',' | b';' | b')' | b']' | b'}' | b'"' | b'\'' | b'<' | b'>' | b'&'
            )
    }) {
        Some(p) => vs + p,
        None if vs + window.len() == line.len() => line.len(),
        None => return None,
    };
    (end > vs).then_some((vs, end, end))
}

/// Whether what follows a value (`rest`) shows the value was a pair's: the end of the
/// line, punctuation, a comment, or another `name:`/`name=` pair.
fn ends_pair(rest: &[u8]) -> bool {
    let Some(&first) = rest.first() else {
        return true;
    };
    if matches!(
        first,
        b',' | b';' | b')' | b']' | b'}' | b'"' | b'\'' | b'<'
    ) {
        return true;
    }
    let t = rest.trim_ascii_start();
    if t.is_empty() || t[0] == b'#' || t.starts_with(b"//") {
        return true;
    }
    let word = t.iter().position(|b| !name_byte(*b)).unwrap_or(t.len());
    word > 0 && matches!(t.get(word), Some(b':') | Some(b'='))
}

/// Whether a password value is typed rather than a word: two character classes at least
/// (lowercase, uppercase, digits, symbols).
fn typed(v: &[u8]) -> bool {
    let classes = [
        v.iter().any(u8::is_ascii_lowercase),
        v.iter().any(u8::is_ascii_uppercase),
        v.iter().any(u8::is_ascii_digit),
        v.iter().any(|b| !b.is_ascii_alphanumeric()),
    ];
    classes.iter().filter(|c| **c).count() >= 2
}

#[cfg(test)]
mod tests {
    use super::super::formats::FORMATS;
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let f = FORMATS
            .iter()
            .find(|f| f.slug == "notes")
            .expect("notes format");
        let mut out = Vec::new();
        line(f, text.as_bytes(), 0, &mut out);
        out.iter().map(|&(_, s, e)| &text[s..e]).collect()
    }

    #[test]
    fn pairs_anywhere_on_a_line() {
        assert_eq!(found("ID:deploy PW:Kv8!rTq2"), ["Kv8!rTq2"]);
        assert_eq!(found("login: deploy  pass: Kv8!rTq2"), ["Kv8!rTq2"]);
        assert_eq!(found("user=ops,pass=Lm3#pw9Z"), ["Lm3#pw9Z"]);
        assert_eq!(found("PW:Lm3#pw9Z ID:deploy"), ["Lm3#pw9Z"]);
        assert_eq!(found("10.1.2.3 (pw:Ra7$vQ1m)"), ["Ra7$vQ1m"]);
        assert_eq!(found("bastion ID:ops/PW:Ra7$vQ1m"), ["Ra7$vQ1m"]);
        assert_eq!(found("-id:ops -pw:Ra7$vQ1m"), ["Ra7$vQ1m"]);
        assert_eq!(found("SMTP_PASS=Ra7vQ1mZ  # rotated monthly"), ["Ra7vQ1mZ"]);
        assert_eq!(found("vpn: \"password\": \"Ra7vQ1mZ\""), ["Ra7vQ1mZ"]);
    }

    #[test]
    fn prose_and_words_are_not_pairs() {
        // Followed by more words: a sentence.
        assert!(found("password: keep it empty").is_empty());
        assert!(found("Set pw:Ra7vQ1mZ in the form and save").is_empty());
        // One character class: a word or a number.
        assert!(found("password: required").is_empty());
        assert!(found("pin=123456").is_empty());
        // References and expressions.
        assert!(found("password=$(cat /run/pw)").is_empty());
        assert!(found("password: <your password>").is_empty());
        assert!(found("if (password == \"Ra7vQ1mZ\")").is_empty());
        // Names that say nothing about a credential.
        assert!(found("host:db01 port:5432 user:ops").is_empty());
        assert!(found("see https://example.org/a:b").is_empty());
        assert!(found("root ALL=(ALL:ALL) NOPASSWD: ALL").is_empty());
        // Stock examples, and names inside encoded bytes.
        assert!(found("password=secret123").is_empty());
        assert!(found("M[@%]PW:2Z.Q?2M^S;`4G?E0C").is_empty());
        // A line of separators or one too long value: nothing, in linear time.
        assert!(found(&"pw=a".repeat(100_000)).is_empty());
        assert!(found(&format!("pw={}", "Ab1".repeat(200))).is_empty());
        // Tokens are the provider rules' and the generic detector's.
        assert!(found("api_token: f3Kq9ZmT27xLpR4v").is_empty());
    }
}
