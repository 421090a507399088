//! A CODEOWNERS file, read to suggest an owner for an unowned credential by its path (the
//! last matching line wins, as on GitHub).

use std::path::Path;

use crate::nhi::manifest::{gitignore_globs, normalize_path};

/// `CODEOWNERS` rules (last matching wins; a pattern with no owners clears ownership).
#[derive(Debug, Default)]
pub struct CodeOwners {
    rules: Vec<(Vec<globset::GlobMatcher>, Vec<String>)>,
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
            if let Ok(globs) = gitignore_globs(pattern) {
                rules.push((globs, parts.map(str::to_owned).collect()));
            }
        }
        CodeOwners { rules }
    }

    /// The owners of `path`, if any.
    pub fn owners(&self, path: &str) -> Option<String> {
        let path = normalize_path(path);
        let (_, owners) = self
            .rules
            .iter()
            .rev()
            .find(|(g, _)| g.iter().any(|m| m.is_match(path)))?;
        (!owners.is_empty()).then(|| owners.join(" "))
    }
}
