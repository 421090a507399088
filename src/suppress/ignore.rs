//! The ignore file, `.keytrace/ignore.toml`: accepted findings, each with a reason, an
//! optional expiry date and an optional approver.
//!
//! ```toml
//! [[ignore]]
//! fingerprint = "kt1:0123456789abcdef0123456789abcdef"   # this secret, anywhere
//! reason = "public test key from the provider's docs"
//! approved_by = "@alice"
//! expires = 2027-03-31                                   # stops applying after this day
//!
//! [[ignore]]
//! rule = "generic.password"                               # an id or a prefix ("generic.")
//! paths = ["tests/fixtures/**"]                           # gitignore patterns (`crate::pathmatch`)
//! reason = "fixture passwords for the local test database"
//! ```
//!
//! An entry needs a `fingerprint`, or a `rule` with `paths`; when several are given all
//! must match. A malformed file is an error naming the file, line and field.

use std::path::Path;

use crate::pathmatch::PathMatcher;
use anyhow::{bail, Context as _};
use serde::Deserialize;
use toml::Spanned;

use crate::date::Date;
use crate::finding::Finding;
use crate::rules::{fmt_line, id_selects, line_of};

/// The default location under the scan root.
pub const DEFAULT_IGNORE_FILE: &str = ".keytrace/ignore.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    #[serde(default)]
    version: Option<u32>,
    #[serde(default)]
    ignore: Vec<Spanned<EntryToml>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryToml {
    fingerprint: Option<String>,
    rule: Option<String>,
    paths: Option<Vec<String>>,
    reason: Option<String>,
    expires: Option<toml::Value>,
    approved_by: Option<String>,
}

/// One entry, validated.
#[derive(Debug)]
pub struct Entry {
    /// 1-based line of the entry's `[[ignore]]` header.
    pub line: usize,
    fingerprint: Option<String>,
    rule: Option<String>,
    paths: Option<PathMatcher>,
    /// Why the finding is accepted.
    pub reason: String,
    /// The last day the entry applies.
    pub expires: Option<Date>,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// Whether `expires` is before today: the entry no longer applies.
    pub expired: bool,
}

impl Entry {
    /// Whether the entry (if live) matches the finding.
    pub fn matches(&self, f: &Finding) -> bool {
        !self.expired
            && self
                .fingerprint
                .as_ref()
                .is_none_or(|fp| *fp == f.fingerprint)
            && self.rule.as_ref().is_none_or(|r| id_selects(r, &f.rule_id))
            && self.paths.as_ref().is_none_or(|g| g.is_match(&f.path))
    }

    /// What the entry selects, for messages: `fingerprint kt1:…` or `rule x in a/**, b`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(fp) = &self.fingerprint {
            parts.push(format!("fingerprint {fp}"));
        }
        if let Some(r) = &self.rule {
            parts.push(format!("rule {r}"));
        }
        if self.paths.is_some() {
            parts.push("paths".to_owned());
        }
        parts.join(", ")
    }
}

/// A loaded ignore file.
#[derive(Debug, Default)]
pub struct IgnoreFile {
    /// The file, for messages.
    pub file: String,
    /// The entries in file order.
    pub entries: Vec<Entry>,
}

/// Reads and validates an ignore file against `today`.
pub fn load(path: &Path, today: Date) -> anyhow::Result<IgnoreFile> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("failed to read ignore file {file}"))?;
    parse(&file, &text, today)
}

/// Parses ignore-file text (see [`load`]); errors name the file, line and field.
pub fn parse(file: &str, text: &str, today: Date) -> anyhow::Result<IgnoreFile> {
    let parsed: FileToml = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        anyhow::anyhow!(
            "invalid ignore file {file}{}: {}",
            fmt_line(line),
            e.message()
        )
    })?;
    if let Some(v) = parsed.version.filter(|&v| v != 1) {
        bail!("invalid ignore file {file}: field `version`: {v} is not supported (1 is)");
    }
    let mut entries = Vec::with_capacity(parsed.ignore.len());
    for spanned in parsed.ignore {
        let line = line_of(text, spanned.span().start);
        let e = spanned.into_inner();
        let at = |field: &str, msg: String| {
            anyhow::anyhow!("invalid ignore file {file}, line {line}: field `{field}`: {msg}")
        };
        let reason = e.reason.as_deref().map(str::trim).unwrap_or_default();
        if reason.is_empty() {
            return Err(at(
                "reason",
                "required: say why this finding is accepted".to_owned(),
            ));
        }
        if let Some(fp) = &e.fingerprint {
            if !super::is_fingerprint(fp) {
                return Err(at(
                    "fingerprint",
                    format!(
                        "`{}` is not a keytrace fingerprint (kt1: and 32 hex digits, as printed in \
                         findings); gitleaks fingerprints go in .gitleaksignore",
                        crate::escape::sanitize(fp)
                    ),
                ));
            }
        }
        if e.fingerprint.is_none() {
            match (&e.rule, &e.paths) {
                (None, _) => {
                    return Err(at(
                        "fingerprint",
                        "an entry needs a `fingerprint`, or a `rule` with `paths`".to_owned(),
                    ))
                }
                (Some(_), None) => {
                    return Err(at(
                        "paths",
                        "a `rule` entry needs `paths` (to turn a rule off everywhere, use \
                         [rules] disable in .keytrace/config.toml)"
                            .to_owned(),
                    ))
                }
                _ => {}
            }
        }
        if let Some(r) = &e.rule {
            if r.trim().is_empty() {
                return Err(at("rule", "empty".to_owned()));
            }
        }
        let paths = match &e.paths {
            Some(p) if p.is_empty() => return Err(at("paths", "empty list".to_owned())),
            Some(p) => Some(PathMatcher::new(p).map_err(|err| at("paths", err))?),
            None => None,
        };
        let expires =
            match &e.expires {
                None => None,
                Some(v) => Some(parse_date(v).ok_or_else(|| {
                    at("expires", "expected a date such as 2027-01-31".to_owned())
                })?),
            };
        entries.push(Entry {
            line,
            fingerprint: e.fingerprint,
            rule: e.rule,
            paths,
            reason: reason.to_owned(),
            expired: expires.is_some_and(|d| d < today),
            expires,
            approved_by: e.approved_by,
        });
    }
    Ok(IgnoreFile {
        file: file.to_owned(),
        entries,
    })
}

/// A TOML date (`2027-01-31`) or a string holding one.
fn parse_date(v: &toml::Value) -> Option<Date> {
    match v {
        toml::Value::Datetime(dt) if dt.time.is_none() => {
            let d = dt.date?;
            Date::new(i32::from(d.year), d.month, d.day)
        }
        toml::Value::String(s) => Date::parse(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 6, 1).unwrap()
    }

    #[test]
    fn entries_and_expiry() {
        let fp = crate::finding::fingerprint(b"x");
        let text = format!(
            "[[ignore]]\nfingerprint = \"{fp}\"\nreason = \"ok\"\nexpires = 2026-01-01\n\n[[ignore]]\nrule = \"generic.\"\npaths = [\"tests/**\"]\nreason = \"fixtures\"\nexpires = \"2027-01-01\"\napproved_by = \"@a\"\n"
        );
        let f = parse("i.toml", &text, today()).unwrap();
        assert_eq!(f.entries.len(), 2);
        assert!(f.entries[0].expired);
        assert_eq!(f.entries[0].line, 1);
        assert!(!f.entries[1].expired);
        assert_eq!(f.entries[1].line, 6);
    }

    /// Issue 11: `paths` are gitignore patterns: `*` stays within a directory, `**` crosses.
    #[test]
    fn paths_star_stays_in_a_directory_double_star_crosses() {
        let text = "[[ignore]]\nrule = \"generic.\"\npaths = [\"tests/*.env\"]\nreason = \"r\"\n\n[[ignore]]\nrule = \"aws.\"\npaths = [\"fixtures/**/*.env\"]\nreason = \"r\"\n";
        let file = parse("i.toml", text, today()).unwrap();
        let pack = crate::rules::RulePack::builtin();
        let data = b"token = 0123456789abcdef0123456789abcdef\n";
        let idx = crate::finding::LineIndex::new(data);
        let finding = |rule: &str, path: &str| {
            let mut f = Finding::new(
                &pack.rules()[0],
                data,
                &idx,
                8,
                40,
                path.to_owned(),
                crate::finding::SourceKind::Worktree,
            );
            f.rule_id = rule.to_owned();
            f
        };
        let hidden =
            |rule: &str, path: &str| file.entries.iter().any(|e| e.matches(&finding(rule, path)));
        assert!(hidden("generic.password", "tests/a.env"));
        assert!(!hidden("generic.password", "tests/unit/a.env"));
        assert!(hidden("aws.secret-access-key", "fixtures/a.env"));
        assert!(hidden("aws.secret-access-key", "fixtures/x/y/a.env"));
        assert!(!hidden("aws.secret-access-key", "src/fixtures/a.env"));
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let cases = [
            (
                "[[ignore]]\nrule = \"a\"\npaths = [\"x\"]\n",
                "line 1",
                "reason",
            ),
            (
                "[[ignore]]\nreason = \"r\"\nfingerprint = \"abc\"\n",
                "line 1",
                "fingerprint",
            ),
            (
                "[[ignore]]\nreason = \"r\"\nrule = \"a\"\n",
                "line 1",
                "paths",
            ),
            (
                "\n[[ignore]]\nreason = \"r\"\nrule = \"a\"\npaths = [\"x\"]\nexpires = \"soon\"\n",
                "line 2",
                "expires",
            ),
            (
                "[[ignore]]\nreason = \"r\"\nrules = \"a\"\n",
                "line 3",
                "rules",
            ),
        ];
        for (text, line, field) in cases {
            let err = parse("i.toml", text, today()).unwrap_err().to_string();
            assert!(
                err.contains("i.toml") && err.contains(line) && err.contains(field),
                "{text:?}: {err}"
            );
        }
    }
}
