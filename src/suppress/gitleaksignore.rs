//! `.gitleaksignore` in the scan root, for teams coming from gitleaks: one gitleaks
//! fingerprint per line, `commit:path:rule:line` (git scans) or `path:rule:line` (directory
//! scans); `#` comments and blank lines are skipped.
//!
//! An entry matches a finding with the same path, rule id and start line, and, when the
//! entry names a commit, the same commit (the finding's `commit`, else its `first_commit`;
//! a prefix of 7 or more digits is enough). Rules imported from a gitleaks config keep
//! their gitleaks ids, so entries written by gitleaks match them; keytrace's built-in rules
//! have their own ids (see `keytrace rules list`).

use std::path::Path;

use anyhow::Context as _;

use crate::finding::Finding;

/// The file name, in the scan root.
pub const FILE_NAME: &str = ".gitleaksignore";

/// One entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1-based line in the file.
    pub line_no: usize,
    /// Lowercased commit id, when given.
    pub commit: Option<String>,
    /// Path as written.
    pub path: String,
    /// Rule id.
    pub rule: String,
    /// 1-based line of the finding.
    pub line: usize,
    /// The entry as written, for messages.
    pub text: String,
}

impl Entry {
    /// Whether the entry matches the finding.
    pub fn matches(&self, f: &Finding) -> bool {
        if f.line != self.line || f.rule_id != self.rule || normalize(&f.path) != self.path {
            return false;
        }
        match &self.commit {
            None => true,
            Some(c) => f
                .commit
                .as_ref()
                .or(f.first_commit.as_ref())
                .is_some_and(|fc| fc.id.to_ascii_lowercase().starts_with(c.as_str())),
        }
    }
}

/// A loaded `.gitleaksignore`.
#[derive(Debug, Default)]
pub struct GitleaksIgnore {
    /// The file, for messages.
    pub file: String,
    /// The entries.
    pub entries: Vec<Entry>,
}

fn normalize(path: &str) -> String {
    path.trim_start_matches("./").replace('\\', "/")
}

/// Reads the file; lines that are not fingerprints come back as warnings (gitleaks skips
/// them too), so a stray line never blocks a scan.
pub fn load(path: &Path) -> anyhow::Result<(GitleaksIgnore, Vec<String>)> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).with_context(|| format!("failed to read {file}"))?;
    Ok(parse(&file, &text))
}

/// Parses the text (see [`load`]).
pub fn parse(file: &str, text: &str) -> (GitleaksIgnore, Vec<String>) {
    let mut entries = Vec::new();
    let mut warnings = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let t = raw.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        match parse_entry(t) {
            Some((commit, path, rule, line)) => entries.push(Entry {
                line_no,
                commit,
                path: normalize(&path),
                rule,
                line,
                text: t.to_owned(),
            }),
            None => warnings.push(format!(
                "{file}, line {line_no}: `{}` is not a gitleaks fingerprint \
                 (commit:path:rule:line or path:rule:line); skipped",
                crate::escape::sanitize(t)
            )),
        }
    }
    (
        GitleaksIgnore {
            file: file.to_owned(),
            entries,
        },
        warnings,
    )
}

type Parsed = (Option<String>, String, String, usize);

fn parse_entry(t: &str) -> Option<Parsed> {
    // From the right: the line, the rule id, then the path (which may hold colons).
    let mut it = t.rsplitn(3, ':');
    let line: usize = it.next()?.parse().ok().filter(|&l| l > 0)?;
    let rule = it.next()?.to_owned();
    let rest = it.next()?;
    if rule.is_empty() || rest.is_empty() {
        return None;
    }
    let (commit, path) = match rest.split_once(':') {
        Some((c, p))
            if (7..=64).contains(&c.len())
                && c.bytes().all(|b| b.is_ascii_hexdigit())
                && !p.is_empty() =>
        {
            (Some(c.to_ascii_lowercase()), p.to_owned())
        }
        _ => (None, rest.to_owned()),
    };
    Some((commit, path, rule, line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_and_bad_lines() {
        let text = "# comment\n\n0123456789abcdef0123456789abcdef01234567:src/a.py:my-rule:12\nconfig/b.env:generic-api-key:3\nnot a fingerprint\n";
        let (g, w) = parse(".gitleaksignore", text);
        assert_eq!(g.entries.len(), 2);
        assert_eq!(
            g.entries[0].commit.as_deref(),
            Some("0123456789abcdef0123456789abcdef01234567")
        );
        assert_eq!(g.entries[0].path, "src/a.py");
        assert_eq!(g.entries[0].rule, "my-rule");
        assert_eq!(g.entries[0].line, 12);
        assert_eq!(g.entries[1].commit, None);
        assert_eq!(g.entries[1].path, "config/b.env");
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("line 5"), "{w:?}");
    }
}
