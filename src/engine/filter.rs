//! Match filters an imported gitleaks config asks for (a rule's `path` regex, its
//! allowlists and the global ones), as plain data the engine is given: the config layer
//! (`config::gitleaks`) builds them, the engine checks them where the matched bytes and
//! their line are at hand, and `suppress` finishes the commit-dependent ones.

use std::collections::HashMap;

use regex::bytes::Regex;

use crate::finding::Finding;
use crate::matcher::RawMatch;

/// What `regexTarget` an allowlist's regexes are checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RegexTarget {
    Secret,
    Match,
    Line,
}

/// One compiled gitleaks allowlist.
#[derive(Debug, Clone)]
pub struct Allowlist {
    /// `condition = "AND"`: every given criterion must hold (default OR: any).
    pub(crate) and: bool,
    pub(crate) target: RegexTarget,
    pub(crate) regexes: Vec<Regex>,
    pub(crate) paths: Vec<Regex>,
    /// Lowercased; matched case-insensitively inside the secret.
    pub(crate) stopwords: Vec<Vec<u8>>,
    /// Lowercased commit ids (a prefix of at least 7 digits also matches).
    pub(crate) commits: Vec<String>,
    /// Rule ids this (global) allowlist is limited to; empty: all rules.
    pub(crate) target_rules: Vec<String>,
}

/// What an allowlist sees of one match.
pub(crate) struct Seen<'a> {
    pub(crate) path: &'a str,
    pub(crate) secret: &'a [u8],
    pub(crate) matched: &'a [u8],
    pub(crate) line: &'a [u8],
    pub(crate) commit: Option<&'a str>,
}

impl Allowlist {
    pub(crate) fn applies_to(&self, rule_id: &str) -> bool {
        self.target_rules.is_empty() || self.target_rules.iter().any(|r| r == rule_id)
    }

    pub(crate) fn regex_allows(&self, s: &Seen<'_>) -> bool {
        let hay = match self.target {
            RegexTarget::Secret => s.secret,
            RegexTarget::Match => s.matched,
            RegexTarget::Line => s.line,
        };
        self.regexes.iter().any(|r| r.is_match(hay))
    }

    pub(crate) fn path_allows(&self, path: &str) -> bool {
        self.paths.iter().any(|r| r.is_match(path.as_bytes()))
    }

    pub(crate) fn stopword_allows(&self, secret: &[u8]) -> bool {
        if self.stopwords.is_empty() {
            return false;
        }
        let lower = secret.to_ascii_lowercase();
        self.stopwords
            .iter()
            .any(|w| memchr::memmem::find(&lower, w).is_some())
    }

    pub(crate) fn commit_allows(&self, commit: Option<&str>) -> bool {
        let Some(c) = commit else { return false };
        let c = c.to_ascii_lowercase();
        self.commits
            .iter()
            .any(|a| *a == c || (a.len() >= 7 && c.starts_with(a.as_str())))
    }

    /// Whether this allowlist allows what is seen; `commit_known` false means the commit
    /// is not known yet (scan time), so an allowlist that needs it cannot decide.
    pub(crate) fn allows(&self, s: &Seen<'_>, commit_known: bool) -> bool {
        if self.and {
            let commit_ok =
                self.commits.is_empty() || (commit_known && self.commit_allows(s.commit));
            if !commit_ok {
                return false;
            }
            (self.paths.is_empty() || self.path_allows(s.path))
                && (self.regexes.is_empty() || self.regex_allows(s))
                && (self.stopwords.is_empty() || self.stopword_allows(s.secret))
        } else {
            (commit_known && self.commit_allows(s.commit))
                || self.path_allows(s.path)
                || (!self.regexes.is_empty() && self.regex_allows(s))
                || self.stopword_allows(s.secret)
        }
    }
}

/// Per-rule conditions of imported rules.
#[derive(Debug, Default)]
pub(crate) struct RuleConds {
    /// gitleaks' rule `path`: the rule reports only in matching files.
    pub(crate) path: Option<Regex>,
    pub(crate) allowlists: Vec<Allowlist>,
}

/// gitleaks conditions checked at match time, where the scanned bytes are at hand.
#[derive(Debug, Default)]
pub struct MatchFilter {
    pub(crate) rules: HashMap<String, RuleConds>,
    pub(crate) global: Vec<Allowlist>,
}

impl MatchFilter {
    /// Whether a confirmed match must be dropped: its rule's `path` regex does not match the
    /// file, or an allowlist (global or the rule's own) allows it.
    pub fn drops(&self, rule_id: &str, path: &str, data: &[u8], m: &RawMatch) -> bool {
        let conds = self.rules.get(rule_id);
        if let Some(re) = conds.and_then(|c| c.path.as_ref()) {
            if !re.is_match(path.as_bytes()) {
                return true;
            }
        }
        let line_start = memchr::memrchr(b'\n', &data[..m.start]).map_or(0, |i| i + 1);
        let line_end = memchr::memchr(b'\n', &data[m.end..]).map_or(data.len(), |i| m.end + i);
        let seen = Seen {
            path,
            secret: &data[m.secret_start..m.secret_end],
            matched: &data[m.start..m.end],
            line: &data[line_start..line_end],
            commit: None,
        };
        let own = conds.map(|c| c.allowlists.as_slice()).unwrap_or_default();
        self.global
            .iter()
            .filter(|a| a.applies_to(rule_id))
            .chain(own)
            .any(|a| a.allows(&seen, false))
    }

    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        self.global.is_empty()
            && self
                .rules
                .values()
                .all(|c| c.path.is_none() && c.allowlists.is_empty())
    }
}

/// An allowlist with `commits`, finished on findings once their commit is known.
#[derive(Debug, Clone)]
pub struct PostAllowlist {
    /// The rule it belongs to (a rule's own allowlist), or None for a global one.
    pub(crate) rule: Option<String>,
    pub(crate) list: Allowlist,
}

impl PostAllowlist {
    /// Whether the allowlist allows the finding (its commit: `commit`, else `first_commit`).
    /// For AND lists the regexes see the secret (the matched line is gone by now).
    pub fn allows(&self, f: &Finding) -> bool {
        if self.rule.as_deref().is_some_and(|r| r != f.rule_id) || !self.list.applies_to(&f.rule_id)
        {
            return false;
        }
        let commit = f
            .commit
            .as_ref()
            .or(f.first_commit.as_ref())
            .map(|c| c.id.as_str());
        let seen = Seen {
            path: &f.path,
            secret: f.secret_bytes.expose(),
            matched: f.secret_bytes.expose(),
            line: f.secret_bytes.expose(),
            commit,
        };
        if self.list.and {
            self.list.allows(&seen, true)
        } else {
            // The other criteria of an OR list were already checked at match time.
            self.list.commit_allows(commit)
        }
    }
}
