//! Suppression after the scan: the ignore file (`.keytrace/ignore.toml`), the baseline
//! (`--baseline FILE`), `.gitleaksignore`, and the gitleaks allowlists that need a commit.
//! Inline `keytrace:allow` comments are the matcher's business (it has the line).
//!
//! Every finding is checked against every source, so `--report-unused-ignores` sees each
//! entry that matched something even when another source hid the finding first; a hidden
//! finding is counted once, under the first source that hid it, in this order: gitleaks
//! allowlist, ignore file, `.gitleaksignore`, baseline.

pub mod baseline;
pub mod gitleaksignore;
pub mod ignore;

use std::path::{Path, PathBuf};

use crate::engine::filter::PostAllowlist;
use crate::finding::Finding;

pub use crate::engine::SuppressCounts;

/// Whether `s` is a keytrace fingerprint: `kt1:` and 32 lowercase hex digits.
pub fn is_fingerprint(s: &str) -> bool {
    s.strip_prefix("kt1:").is_some_and(|h| {
        h.len() == 32
            && h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Everything that can hide a finding after the scan.
#[derive(Debug, Default)]
pub struct Suppressor {
    /// `.keytrace/ignore.toml`.
    pub ignore: Option<ignore::IgnoreFile>,
    /// `.gitleaksignore`.
    pub gitleaksignore: Option<gitleaksignore::GitleaksIgnore>,
    /// `--baseline`.
    pub baseline: Option<baseline::Baseline>,
    /// gitleaks allowlists that need the commit.
    pub post_allowlists: Vec<PostAllowlist>,
    /// Warnings from loading (expired entries, unreadable `.gitleaksignore` lines), printed
    /// on stderr before the scan; they do not change the exit code.
    pub warnings: Vec<String>,
}

/// What [`Suppressor::apply`] did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Hidden findings per source.
    pub counts: SuppressCounts,
    /// Ignore-file and `.gitleaksignore` entries that matched nothing, described.
    pub unused: Vec<String>,
}

/// Where the scan looks for `.keytrace/ignore.toml` and `.gitleaksignore`: the scan root
/// when it is a directory, else the current directory.
pub fn root_dir(root: Option<&Path>) -> PathBuf {
    match root {
        Some(r) if r.is_dir() => r.to_owned(),
        _ => PathBuf::from("."),
    }
}

impl Suppressor {
    /// Loads the ignore file and `.gitleaksignore` from `root` (when present) and the
    /// baseline (when given). A malformed ignore file or baseline is an error naming the
    /// file, line and field.
    pub fn load(root: Option<&Path>, baseline_file: Option<&Path>) -> anyhow::Result<Suppressor> {
        let dir = root_dir(root);
        // `.keytrace/ignore.toml` rather than `./.keytrace/ignore.toml` in messages.
        let under = |rel: &str| {
            if dir == Path::new(".") {
                PathBuf::from(rel)
            } else {
                dir.join(rel)
            }
        };
        let mut s = Suppressor::default();
        let ignore_path = under(ignore::DEFAULT_IGNORE_FILE);
        if ignore_path.is_file() {
            let today = crate::date::today()?;
            let file = ignore::load(&ignore_path, today)?;
            for e in file.entries.iter().filter(|e| e.expired) {
                s.warnings.push(format!(
                    "{}, line {}: ignore entry ({}) expired on {}; it no longer applies \
                     (reason was: {})",
                    file.file,
                    e.line,
                    e.describe(),
                    e.expires.map(|d| d.to_string()).unwrap_or_default(),
                    e.reason
                ));
            }
            s.ignore = Some(file);
        }
        let gl_path = under(gitleaksignore::FILE_NAME);
        if gl_path.is_file() {
            let (g, warns) = gitleaksignore::load(&gl_path)?;
            s.warnings.extend(warns);
            s.gitleaksignore = Some(g);
        }
        if let Some(b) = baseline_file {
            s.baseline = Some(baseline::load(b)?);
        } else {
            // Read by default like the ignore file (issue 12, item 7): the installed hook
            // runs a bare `keytrace scan --staged` and must honour the accepted findings.
            let default = under(baseline::DEFAULT_BASELINE_FILE);
            if default.is_file() {
                s.baseline = Some(baseline::load(&default)?);
            }
        }
        Ok(s)
    }

    /// Whether nothing can be hidden.
    pub fn is_empty(&self) -> bool {
        self.ignore.is_none()
            && self.gitleaksignore.is_none()
            && self.baseline.is_none()
            && self.post_allowlists.is_empty()
    }

    /// Removes hidden findings, counting them per source and noting unused entries.
    pub fn apply(&self, findings: &mut Vec<Finding>) -> Outcome {
        let mut out = Outcome::default();
        let ignore_entries = self.ignore.as_ref().map_or(&[][..], |f| &f.entries[..]);
        let gl_entries = self
            .gitleaksignore
            .as_ref()
            .map_or(&[][..], |g| &g.entries[..]);
        let mut ignore_used = vec![false; ignore_entries.len()];
        let mut gl_used = vec![false; gl_entries.len()];
        findings.retain(|f| {
            let allowlisted = self.post_allowlists.iter().any(|a| a.allows(f));
            let mut by_ignore = false;
            for (i, e) in ignore_entries.iter().enumerate() {
                if e.matches(f) {
                    ignore_used[i] = true;
                    by_ignore = true;
                }
            }
            let mut by_gl = false;
            for (i, e) in gl_entries.iter().enumerate() {
                if e.matches(f) {
                    gl_used[i] = true;
                    by_gl = true;
                }
            }
            let by_baseline = self.baseline.as_ref().is_some_and(|b| b.contains(f));
            let counter = if allowlisted {
                &mut out.counts.gitleaks_allowlist
            } else if by_ignore {
                &mut out.counts.ignore_file
            } else if by_gl {
                &mut out.counts.gitleaksignore
            } else if by_baseline {
                &mut out.counts.baseline
            } else {
                return true;
            };
            *counter += 1;
            false
        });
        if let Some(file) = &self.ignore {
            for (e, used) in file.entries.iter().zip(&ignore_used) {
                if !used && !e.expired {
                    out.unused.push(format!(
                        "{}, line {}: ignore entry ({}) matched no finding (reason: {})",
                        file.file,
                        e.line,
                        e.describe(),
                        e.reason
                    ));
                }
            }
        }
        if let Some(g) = &self.gitleaksignore {
            for (e, used) in g.entries.iter().zip(&gl_used) {
                if !used {
                    out.unused.push(format!(
                        "{}, line {}: `{}` matched no finding",
                        g.file, e.line_no, e.text
                    ));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_shape() {
        assert!(is_fingerprint(&crate::finding::fingerprint(b"abc")));
        assert!(!is_fingerprint("kt1:ABC"));
        assert!(!is_fingerprint("kt2:0123456789abcdef0123456789abcdef"));
    }

    #[test]
    fn counts_describe() {
        let c = SuppressCounts {
            baseline: 2,
            ignore_file: 1,
            ..Default::default()
        };
        assert_eq!(c.total(), 3);
        assert_eq!(c.describe(), "2 baseline, 1 ignore file");
    }
}
