//! `markdown`: a summary for `$GITHUB_STEP_SUMMARY` or a pull request comment: counts by
//! severity and by owner, then one table row per finding (rule, file:line, owner or
//! "unowned", first commit, what to do), most severe first.
//!
//! GitHub refuses a step summary over 1 MiB, so rows stop before [`MAX_BYTES`] and a last
//! line says how many were left out. Every cell is escaped (a file name can hold `|`,
//! backticks or HTML); no secret value appears, not even masked.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::describe::{is_https_uri, mode_name, rotation_of};
use crate::engine::ScanOutput;
use crate::escape::markdown as escape;
use crate::finding::{join_flags, CommitInfo, Finding, Flag, SourceKind};
use crate::rules::Severity;

/// GitHub's limit on a step summary.
pub const MAX_BYTES: usize = 1 << 20;

/// Room kept for the closing line once rows stop.
const TRAILER_ROOM: usize = 1024;

/// A link when `url` is a plain https URI, else the escaped text.
fn link(label: &str, url: &str) -> String {
    if is_https_uri(url) && !url.contains(['(', ')']) {
        format!("[{label}]({url})")
    } else {
        format!("{label}: {}", escape(url))
    }
}

fn owner_of(f: &Finding) -> String {
    match &f.identity {
        Some(id) => escape(&id.owner),
        None if f.is_unowned() => "unowned".to_owned(),
        // No manifest: no owner on record (issue 12, item 9), not "unowned".
        None => "\u{2014}".to_owned(),
    }
}

fn commit_cell(c: &CommitInfo) -> String {
    let short: String = c.id.chars().take(12).collect();
    let day: String = c.date.chars().take(10).collect();
    format!("{} {}", escape(&short), escape(&day))
}

fn row(f: &Finding) -> String {
    let mut rule = format!("{} ({})", escape(&f.rule_name), escape(&f.rule_id));
    if !f.facts.is_empty() {
        // What the credential says about itself, one line: never the secret.
        rule.push_str(&format!("<br>{}", escape(&f.facts.summary())));
    }
    let location = format!("{}:{}", escape(&f.path), f.line);
    let mut owner = owner_of(f);
    if let Some(id) = &f.identity {
        owner.push_str(&format!(" ({})", escape(&id.id)));
    }
    let flags = join_flags(f.flags.iter().filter(|fl| **fl != Flag::Unowned));
    if !flags.is_empty() {
        owner.push_str(&format!("<br>{}", escape(&flags)));
    }
    let commit = f
        .first_commit
        .as_ref()
        .or(f.commit.as_ref())
        .map_or_else(|| "\u{2014}".to_owned(), commit_cell);
    let rotation = rotation_of(f);
    let mut todo = escape(&rotation.summary);
    if let Some(r) = &rotation.runbook {
        todo.push_str(&format!(" {}", link("runbook", r)));
    }
    if let Some(d) = rotation.docs.first() {
        todo.push_str(&format!(" {}", link("docs", d)));
    }
    format!(
        "| {} | {rule} | {location} | {owner} | {commit} | {todo} |\n",
        f.severity.as_str()
    )
}

/// The whole summary, at most [`MAX_BYTES`] bytes.
pub fn render(out: &ScanOutput, findings: &[Finding], mode: SourceKind) -> String {
    let mut s = String::new();
    let n = findings.len();
    let noun = |n: usize| if n == 1 { "finding" } else { "findings" };
    let files = if out.scanned == 1 { "file" } else { "files" };
    if n == 0 {
        s.push_str("## keytrace: no credentials found\n\n");
        s.push_str(&format!(
            "Scanned {} {files} ({}).\n",
            out.scanned,
            mode_name(mode)
        ));
    } else {
        // With a manifest every finding is owned or unowned; with none, neither.
        let manifest = findings
            .iter()
            .any(|f| f.identity.is_some() || f.is_unowned());
        let unowned = findings.iter().filter(|f| f.is_unowned()).count();
        s.push_str(&format!("## keytrace: {n} {}\n\n", noun(n)));
        s.push_str(&format!(
            "{n} {} in {} {files} scanned ({}){}.\n\n",
            noun(n),
            out.scanned,
            mode_name(mode),
            if manifest {
                format!("; {unowned} unowned")
            } else {
                "; no NHI manifest (`.keytrace/identities.toml`) names owners".to_owned()
            }
        ));

        let mut by_sev: BTreeMap<Severity, usize> = BTreeMap::new();
        let mut by_owner: BTreeMap<String, usize> = BTreeMap::new();
        for f in findings {
            *by_sev.entry(f.severity).or_insert(0) += 1;
            *by_owner.entry(owner_of(f)).or_insert(0) += 1;
        }
        s.push_str("| severity | findings |\n|:--|--:|\n");
        for (sev, count) in by_sev.iter().rev() {
            s.push_str(&format!("| {} | {count} |\n", sev.as_str()));
        }
        // Without a manifest every row would be "\u{2014}": no owner table.
        if manifest {
            s.push_str("\n| owner | findings |\n|:--|--:|\n");
            let mut owners: Vec<(&String, &usize)> = by_owner.iter().collect();
            // Most findings first; "unowned" is just another row.
            owners.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            for (owner_rows, (owner, count)) in owners.into_iter().enumerate() {
                let line = format!("| {owner} | {count} |\n");
                // Thousands of owners would crowd out the findings: stop at a quarter.
                if s.len() + line.len() > MAX_BYTES / 4 {
                    s.push_str(&format!(
                        "| \u{2026} {} more owners | |\n",
                        by_owner.len() - owner_rows
                    ));
                    break;
                }
                s.push_str(&line);
            }
        }

        s.push_str(
            "\n### Findings\n\n| severity | rule | location | owner | first commit | what to do |\n\
             |---|---|---|---|---|---|\n",
        );
        let mut order: Vec<&Finding> = findings.iter().collect();
        // Most severe first; within a severity, unowned before owned (nobody else will
        // rotate those), then the report's (path, line, rule) order.
        order.sort_by(|a, b| crate::finding::rank_cmp(a, b));
        let mut shown = 0;
        for f in &order {
            let line = row(f);
            if s.len() + line.len() + TRAILER_ROOM > MAX_BYTES {
                break;
            }
            s.push_str(&line);
            shown += 1;
        }
        if shown < n {
            s.push_str(&format!(
                "\n{} more {} not shown, to keep this summary under 1 MiB; the SARIF or \
                 `--format json` report lists them all.\n",
                n - shown,
                noun(n - shown)
            ));
        }
    }
    if !out.errors.is_empty() {
        s.push_str(&format!(
            "\n{} could not be read; the run fails (exit 2).\n",
            crate::plural::count(out.errors.len(), "input", "inputs")
        ));
    }
    s
}

/// Writes the summary.
pub fn write(
    w: &mut dyn Write,
    out: &ScanOutput,
    findings: &[Finding],
    mode: SourceKind,
) -> io::Result<()> {
    w.write_all(render(out, findings, mode).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_support::finding;

    #[test]
    fn cells_are_escaped() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("<img src=x>"), "&lt;img src=x&gt;");
        assert_eq!(escape("`x`*_"), "\\`x\\`\\*\\_");
        assert_eq!(escape("a\nb"), "a\\\\nb");
        let r = row(&finding("a|b<script>.env", Severity::High));
        assert!(r.contains("a\\|b&lt;script&gt;.env:1"), "{r}");
        assert_eq!(r.matches(" | ").count(), 5, "{r}");
    }

    #[test]
    fn counts_and_no_secret() {
        let fs = vec![
            finding("a.env", Severity::High),
            finding("b.env", Severity::Low),
            finding("c.env", Severity::High),
        ];
        let out = ScanOutput {
            scanned: 3,
            ..Default::default()
        };
        let md = render(&out, &fs, SourceKind::Worktree);
        assert!(md.starts_with("## keytrace: 3 findings\n"), "{md}");
        assert!(
            md.contains("| high | 2 |") && md.contains("| low | 1 |"),
            "{md}"
        );
        // No manifest: no owner table and nobody called unowned (issue 12, item 9).
        assert!(
            !md.contains("unowned") && !md.contains("| owner | findings |"),
            "{md}"
        );
        let owned: Vec<Finding> = fs
            .iter()
            .cloned()
            .map(|mut f| {
                f.flags.push(Flag::Unowned);
                f
            })
            .collect();
        let md = render(&out, &owned, SourceKind::Worktree);
        assert!(
            md.contains("| unowned | 3 |") && md.contains("3 unowned"),
            "{md}"
        );
        assert!(!md.contains("0123456789abcdef") && !md.contains("cdef |"));
        // Most severe first.
        let high = md.find("| high | GitHub").or(md.find("| high |")).unwrap();
        assert!(md.rfind("| low |").unwrap() > high);
        let clean = render(&out, &[], SourceKind::Range);
        assert!(
            clean.starts_with("## keytrace: no credentials found"),
            "{clean}"
        );
    }

    #[test]
    fn stays_under_one_mib() {
        let fs: Vec<Finding> = (0..20_000)
            .map(|i| {
                finding(
                    &format!("dir/{i:06}/{}.env", "x".repeat(40)),
                    Severity::Medium,
                )
            })
            .collect();
        let md = render(&ScanOutput::default(), &fs, SourceKind::History);
        assert!(md.len() < MAX_BYTES, "{}", md.len());
        assert!(
            md.contains("more findings not shown"),
            "{}",
            &md[md.len() - 300..]
        );
        let shown = md.matches("\n| medium | ").count();
        assert!(shown > 1000 && shown < 20_000, "{shown}");
    }
}
