//! A CODEOWNERS file, read to suggest an owner for an unowned credential by its path (the
//! last matching line wins, as on GitHub).

use std::path::Path;

use crate::pathmatch::PathMatcher;

/// `CODEOWNERS` rules (last matching wins; a pattern with no owners clears ownership).
#[derive(Debug, Default)]
pub struct CodeOwners {
    rules: Vec<(PathMatcher, Vec<String>)>,
}

impl CodeOwners {
    /// Reads the first of `.github/CODEOWNERS`, `CODEOWNERS`, `docs/CODEOWNERS` under
    /// `root` (GitHub's order); unreadable or invalid lines are skipped, as GitHub does.
    pub fn load(root: &Path) -> CodeOwners {
        for rel in [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"] {
            if let Ok(text) = std::fs::read_to_string(root.join(rel)) {
                return CodeOwners::parse(&text);
            }
        }
        CodeOwners::default()
    }

    /// Parses CODEOWNERS text.
    pub fn parse(text: &str) -> CodeOwners {
        let mut rules = Vec::new();
        for line in text.lines() {
            let line = line.split(" #").next().unwrap_or("").trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let Some(pattern) = parts.next() else {
                continue;
            };
            // GitHub has no `!` negation in CODEOWNERS: such a line is invalid, skipped.
            if pattern.starts_with('!') {
                continue;
            }
            if let Ok(m) = PathMatcher::new(&[pattern]) {
                rules.push((m, parts.map(str::to_owned).collect()));
            }
        }
        CodeOwners { rules }
    }

    /// The owners of `path`, if any.
    pub fn owners(&self, path: &str) -> Option<String> {
        let (_, owners) = self.rules.iter().rev().find(|(m, _)| m.is_match(path))?;
        (!owners.is_empty()).then(|| owners.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_matching_line_wins() {
        let c = CodeOwners::parse("# owners\n* @all\n/docs/ @docs\n*.pem @security # keys\n");
        assert_eq!(c.owners("src/main.rs").as_deref(), Some("@all"));
        assert_eq!(c.owners("docs/a/b.md").as_deref(), Some("@docs"));
        assert_eq!(c.owners("docs/key.pem").as_deref(), Some("@security"));
    }

    /// Issue 11: `*` stays within a directory, `**` crosses; `!` lines are invalid on
    /// GitHub, so skipped.
    #[test]
    fn star_stays_in_a_directory_double_star_crosses() {
        let c = CodeOwners::parse(
            "deploy/*.env @ops\nconfig/**/*.yml @platform\n!deploy/x.env @nobody\nlegacy/ \n",
        );
        assert_eq!(c.owners("deploy/prod.env").as_deref(), Some("@ops"));
        assert_eq!(c.owners("deploy/eu/prod.env"), None);
        assert_eq!(c.owners("config/a.yml").as_deref(), Some("@platform"));
        assert_eq!(
            c.owners("config/eu/west/a.yml").as_deref(),
            Some("@platform")
        );
        assert_eq!(c.owners("deploy/x.env").as_deref(), Some("@ops"));
        assert_eq!(
            c.owners("legacy/a.txt"),
            None,
            "a line without owners clears"
        );
    }
}
