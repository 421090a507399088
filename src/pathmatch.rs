//! `PathMatcher`: the one path-pattern language of keytrace, gitignore's, used by the
//! config's `[allow] paths`, the ignore file's `paths`, rules' `allow.paths`, the
//! manifest's `match.paths` and CODEOWNERS. Built on the `ignore` crate's gitignore
//! matcher, so the semantics are git's rather than a translation of ours:
//!
//! - `*`, `?` and `[...]` stay within one path segment; `**` crosses directories
//!   (`a/**/b`, `**/x`, `dir/**`);
//! - a pattern without a slash (other than a trailing one) matches a name at any depth
//!   (`*.pem`, `fixtures`); a pattern with one is anchored at the repository root
//!   (`config/*.env`, `/build`);
//! - a trailing slash matches directories only (`secrets/`);
//! - a matching directory covers everything below it (`docs`, `docs/*`);
//! - the last matching pattern decides, and `!` negates (`!docs/keep.md`).
//!
//! Paths are `/`-separated and relative to the repository root; a leading `./` is ignored
//! on both sides, and a leading `/` on a pattern anchors it. Beyond git, `{a,b}` is an
//! alternation (globset's), and an unclosed `[` is an error rather than a literal (in a
//! policy file it is a typo far more often than a file name).

use std::fmt;
use std::path::Path;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

/// A list of gitignore-style patterns, compiled.
#[derive(Clone)]
pub struct PathMatcher {
    matcher: Gitignore,
    written: Vec<String>,
}

impl fmt::Debug for PathMatcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PathMatcher").field(&self.written).finish()
    }
}

impl Default for PathMatcher {
    fn default() -> PathMatcher {
        PathMatcher {
            matcher: Gitignore::empty(),
            written: Vec::new(),
        }
    }
}

impl PathMatcher {
    /// Compiles `patterns` in order; an error names the bad pattern.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<PathMatcher, String> {
        let mut b = builder();
        for p in patterns {
            add(&mut b, p.as_ref())?;
        }
        let matcher = b.build().map_err(|e| e.to_string())?;
        Ok(PathMatcher {
            matcher,
            written: patterns.iter().map(|p| p.as_ref().to_owned()).collect(),
        })
    }

    /// Whether no pattern is set.
    pub fn is_empty(&self) -> bool {
        self.written.is_empty()
    }

    /// The patterns as written.
    pub fn written(&self) -> &[String] {
        &self.written
    }

    /// Whether `path` (a file) is selected: the path itself or one of its directories
    /// matches, and the deciding pattern is not a `!` one.
    pub fn is_match(&self, path: &str) -> bool {
        if self.written.is_empty() {
            return false;
        }
        // The parents are walked here rather than with `matched_path_or_any_parents`,
        // which asserts on an absolute path; a path from outside the root is just
        // matched as given.
        let mut p = Path::new(normalize_path(path));
        let mut is_dir = false;
        loop {
            match self.matcher.matched(p, is_dir) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => {}
            }
            match p.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => {
                    p = parent;
                    is_dir = true;
                }
                _ => return false,
            }
        }
    }
}

/// Checks one pattern alone (for errors that point at the pattern's own line).
pub fn check(pattern: &str) -> Result<(), String> {
    add(&mut builder(), pattern)
}

fn builder() -> GitignoreBuilder {
    let mut b = GitignoreBuilder::new("");
    b.allow_unclosed_class(false);
    b
}

fn add(b: &mut GitignoreBuilder, pattern: &str) -> Result<(), String> {
    let (negated, body) = match pattern.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, pattern),
    };
    let body = normalize_path(body.trim());
    if body.is_empty() || body == "/" {
        return Err(format!("bad pattern `{pattern}`: empty pattern"));
    }
    // In a list each entry is a pattern: a leading `#` is a name, not a comment.
    let escaped = if body.starts_with('#') {
        format!("\\{body}")
    } else {
        body.to_owned()
    };
    let line = if negated {
        format!("!{escaped}")
    } else {
        escaped
    };
    b.add_line(None, &line)
        .map(|_| ())
        .map_err(|e| format!("bad pattern `{pattern}`: {e}"))
}

/// Strips a leading `./` (any number) so worktree paths and patterns compare alike.
pub fn normalize_path(path: &str) -> &str {
    let mut p = path;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(patterns: &[&str]) -> PathMatcher {
        PathMatcher::new(patterns).unwrap()
    }

    #[test]
    fn star_stays_within_a_directory_and_double_star_crosses() {
        let star = m(&["config/*.env"]);
        assert!(star.is_match("config/prod.env"));
        assert!(!star.is_match("config/prod/db.env"));
        let double = m(&["config/**/*.env"]);
        assert!(double.is_match("config/prod.env"));
        assert!(double.is_match("config/prod/eu/db.env"));
        assert!(m(&["**/fixtures/**"]).is_match("a/b/fixtures/c/d.txt"));
        assert!(!m(&["a?c"]).is_match("a/c"));
    }

    #[test]
    fn names_match_at_any_depth_and_slashes_anchor() {
        assert!(m(&["*.pem"]).is_match("deep/down/key.pem"));
        assert!(m(&["fixtures"]).is_match("src/fixtures/a.txt"));
        assert!(m(&["/build"]).is_match("build/out.txt"));
        assert!(!m(&["/build"]).is_match("src/build/out.txt"));
        assert!(!m(&["src/*.rs"]).is_match("lib/src/main.rs"));
        assert!(m(&["./src/*.rs", "/x"]).is_match("./src/main.rs"));
    }

    #[test]
    fn directories_cover_their_contents() {
        assert!(m(&["secrets/"]).is_match("secrets/a/b.txt"));
        assert!(!m(&["secrets/"]).is_match("secrets"));
        assert!(m(&["docs/*"]).is_match("docs/a/b.md"));
        assert!(m(&["docs"]).is_match("docs"));
    }

    #[test]
    fn last_match_decides_and_bang_negates() {
        let p = m(&["secrets/", "!secrets/keep.txt"]);
        assert!(p.is_match("secrets/a.txt"));
        assert!(!p.is_match("secrets/keep.txt"));
        assert!(!m(&["*.env", "!prod.env"]).is_match("x/prod.env"));
        assert!(m(&["!prod.env", "*.env"]).is_match("x/prod.env"));
    }

    #[test]
    fn odd_inputs() {
        assert!(m(&["#notes"]).is_match("#notes"));
        assert!(PathMatcher::new(&[""]).is_err());
        // Unlike git, an unclosed class is an error (a typo, not a file name).
        assert!(check("a/[").is_err());
        assert!(check("{a,b").is_err());
        assert!(!PathMatcher::default().is_match("a"));
        // An absolute path (outside the root) does not panic.
        assert!(!m(&["a/b"]).is_match("/abs/file"));
        assert!(m(&["*.pem"]).is_match("/abs/key.pem"));
    }
}
