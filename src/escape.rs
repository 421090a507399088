//! Escaping for everything keytrace prints: control characters for terminals and logs,
//! Markdown for pull-request summaries and reports. One module so every output agrees on
//! the rules (a file name or a line can hold terminal escapes or Markdown).

/// Escapes control characters (and nothing else) so printed text cannot drive a terminal:
/// `\n`, `\t`, `\r` and `\x1b` become visible escapes.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for Markdown prose and table cells: control characters as in
/// [`sanitize`], HTML's `&`, `<`, `>` as entities (GitHub renders inline HTML), and
/// backslash-escapes for every character that starts Markdown syntax, so a file name or a
/// purpose cannot open a link, a table column or an image.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in sanitize(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Escapes text placed inside a Markdown code span (`` `...` ``) in a table cell. Backslash
/// escapes do not work inside code spans, so a backtick (which would close the span)
/// becomes `'`; `|` keeps its escape, which GitHub's tables honour even in code.
pub fn markdown_code(s: &str) -> String {
    sanitize(s).replace('|', "\\|").replace('`', "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_escapes_controls() {
        assert_eq!(sanitize("a\x1b[31mb\nc"), "a\\u{1b}[31mb\\nc");
        assert_eq!(sanitize("café"), "café");
    }

    #[test]
    fn markdown_escapes_syntax_and_html() {
        assert_eq!(markdown("a_b|c"), "a\\_b\\|c");
        assert_eq!(markdown("<img src=x>"), "&lt;img src=x&gt;");
        assert_eq!(markdown("[x](http://e)"), "\\[x\\](http://e)");
        assert_eq!(markdown("ok\n"), "ok\\\\n");
    }

    #[test]
    fn code_span_keeps_text_but_cannot_close() {
        assert_eq!(markdown_code("a_b"), "a_b");
        assert_eq!(markdown_code("a`b|c"), "a'b\\|c");
    }
}
