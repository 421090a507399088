//! `keytrace merge`: several JSON reports (shards of one organisation scan, one report per
//! repository, yesterday's and today's runs) joined into one report.
//!
//! A finding is the same finding when its repository, fingerprint, rule, path, line and
//! column are the same: that one is kept once (from the last report that has it, the
//! newest when reports are given oldest first). The same secret at two places stays two
//! findings: they are two exposures (`nhi report --from` then counts one credential).
//! Counters add up, errors and notes are kept (each once), rules and repositories are
//! joined by id and name.

use std::collections::BTreeMap;

use super::json::{Report, Summary};
use crate::finding::Finding;

/// The identity of a finding across reports.
type Key = (Option<String>, String, String, String, usize, usize);

fn key(f: &Finding) -> Key {
    (
        f.repository.clone(),
        f.fingerprint.clone(),
        f.rule_id.clone(),
        f.path.clone(),
        f.line,
        f.column,
    )
}

/// Joins `reports` into one. One report comes back as it is, so rendering one saved
/// report equals the scan's own output.
pub fn merge(mut reports: Vec<Report>) -> Report {
    if reports.len() == 1 {
        if let Some(r) = reports.pop() {
            return r;
        }
    }
    let mut findings: BTreeMap<Key, Finding> = BTreeMap::new();
    let mut rules = BTreeMap::new();
    let mut repositories = BTreeMap::new();
    let mut summary = Summary::default();
    let mut modes = Vec::new();
    let mut version = String::new();
    for r in reports {
        if !modes.contains(&r.mode) {
            modes.push(r.mode);
        }
        if version.is_empty() {
            version = r.version;
        }
        for f in r.findings {
            findings.insert(key(&f), f);
        }
        for rule in r.rules {
            rules.insert(rule.id.clone(), rule);
        }
        for repo in r.repositories {
            repositories.insert(repo.name.clone(), repo);
        }
        add(&mut summary, r.summary);
    }
    let mut findings: Vec<Finding> = findings.into_values().collect();
    findings.sort_by(|a, b| {
        (a.repository.as_deref(), a.sort_key()).cmp(&(b.repository.as_deref(), b.sort_key()))
    });
    if modes.len() > 1 {
        let names: Vec<&str> = modes
            .iter()
            .map(|m| super::describe::mode_name(*m))
            .collect();
        summary.notes.push(format!(
            "merged reports of different scan modes ({}); the report is labelled {}",
            names.join(", "),
            names[0]
        ));
    }
    summary.findings = findings.len();
    Report {
        version,
        mode: modes
            .first()
            .copied()
            .unwrap_or(crate::finding::SourceKind::Worktree),
        findings,
        rules: rules.into_values().collect(),
        repositories: repositories.into_values().collect(),
        summary,
    }
}

/// Adds one report's counters to the total; errors and notes are kept once each.
fn add(total: &mut Summary, s: Summary) {
    total.scanned += s.scanned;
    total.bytes += s.bytes;
    total.skipped_binary += s.skipped_binary;
    total.skipped_large += s.skipped_large;
    total.skipped_other += s.skipped_other;
    total.inline_suppressed += s.inline_suppressed;
    total.suppressed += s.suppressed;
    total.suppressed_by.add(s.suppressed_by);
    total.elapsed_ms += s.elapsed_ms;
    for e in s.errors {
        if !total.errors.contains(&e) {
            total.errors.push(e);
        }
    }
    for n in s.notes {
        if !total.notes.contains(&n) {
            total.notes.push(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support::finding;
    use crate::rules::Severity;

    fn report(findings: Vec<Finding>, scanned: u64) -> Report {
        Report {
            version: "0".into(),
            mode: crate::finding::SourceKind::History,
            findings,
            rules: Vec::new(),
            repositories: Vec::new(),
            summary: Summary {
                scanned,
                errors: vec!["a: unreadable".into()],
                ..Summary::default()
            },
        }
    }

    #[test]
    fn same_finding_is_kept_once_and_repositories_keep_theirs_apart() {
        let a = finding("a.env", Severity::High);
        let mut in_other_repo = a.clone();
        in_other_repo.repository = Some("other".into());
        let mut newer = a.clone();
        newer.flags = vec![crate::finding::Flag::Unowned];
        let merged = merge(vec![
            report(vec![a.clone(), finding("b.env", Severity::Low)], 3),
            report(vec![newer, in_other_repo], 4),
        ]);
        assert_eq!(merged.findings.len(), 3);
        // The later report's copy wins; no repository sorts before a named one.
        assert_eq!(merged.findings[0].path, "a.env");
        assert_eq!(
            merged.findings[0].flags,
            vec![crate::finding::Flag::Unowned]
        );
        assert_eq!(merged.findings[1].path, "b.env");
        assert_eq!(merged.findings[2].repository.as_deref(), Some("other"));
        assert_eq!(merged.summary.scanned, 7);
        assert_eq!(merged.summary.findings, 3);
        assert_eq!(merged.summary.errors, vec!["a: unreadable".to_owned()]);
    }
}
