//! `github`: GitHub Actions workflow commands that annotate the lines of a pull request
//! (`::error file=...,line=...::message`).
//!
//! GitHub keeps at most 10 annotations of each level per step, so the most severe findings
//! are annotated first, at most `--max-annotations` per level, and a last plain line says
//! how many were not. Properties and messages are escaped as the Actions toolkit escapes
//! them (`%`, CR and LF everywhere, `:` and `,` in properties too), so a file name or an
//! owner cannot end a command early or inject another one. No secret value is printed, not
//! even masked: the fingerprint identifies the secret.

use std::collections::HashMap;
use std::io::{self, Write};

use super::describe::{headline, provenance, rotation_of};
use crate::escape::sanitize;
use crate::finding::{join_flags, Finding};
use crate::rules::Severity;

/// GitHub's default: 10 annotations per level per step.
pub const DEFAULT_MAX_ANNOTATIONS: usize = 10;

/// The workflow command level of a severity.
pub fn command_level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "notice",
    }
}

/// Escapes a command's message (`escapeData` in `@actions/core`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property (`escapeProperty` in `@actions/core`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One annotation line (without the newline).
pub fn annotation(f: &Finding) -> String {
    let mut props = vec![
        format!("file={}", escape_property(&sanitize(&f.path))),
        format!("line={}", f.line.max(1)),
        format!("endLine={}", f.end_line.max(f.line).max(1)),
    ];
    // GitHub uses columns only for a single-line annotation.
    if f.end_line <= f.line {
        props.push(format!("col={}", f.column.max(1)));
        props.push(format!("endColumn={}", f.end_column.max(f.column).max(1)));
    }
    props.push(format!(
        "title={}",
        escape_property(&format!(
            "keytrace: {} ({})",
            sanitize(&f.rule_name),
            f.severity.as_str()
        ))
    ));
    let rotation = rotation_of(f);
    let mut lines = vec![headline(f)];
    if !f.flags.is_empty() {
        lines.push(format!("Flags: {}.", sanitize(&join_flags(&f.flags))));
    }
    if let Some(p) = provenance(f) {
        lines.push(p);
    }
    lines.push(sanitize(&rotation.summary));
    if let Some(runbook) = &rotation.runbook {
        lines.push(format!("Owner's runbook: {}", sanitize(runbook)));
    }
    if let Some(doc) = rotation.docs.first() {
        lines.push(format!("Docs: {}", sanitize(doc)));
    }
    lines.push(format!(
        "Fingerprint: {} (rule {})",
        f.fingerprint,
        sanitize(&f.rule_id)
    ));
    format!(
        "::{} {}::{}",
        command_level(f.severity),
        props.join(","),
        escape_data(&lines.join("\n"))
    )
}

/// Writes annotations for the most severe findings, at most `max_per_level` per level,
/// then one line with the count of findings left unannotated.
pub fn write(w: &mut dyn Write, findings: &[Finding], max_per_level: usize) -> io::Result<()> {
    let mut order: Vec<&Finding> = findings.iter().collect();
    // Most severe first; within a severity, unowned before owned (nobody else will
    // rotate those), then the report's (path, line, rule) order.
    order.sort_by(|a, b| crate::finding::rank_cmp(a, b));
    let mut per_level: HashMap<&str, usize> = HashMap::new();
    let mut annotated = 0;
    for f in &order {
        let n = per_level.entry(command_level(f.severity)).or_insert(0);
        if *n >= max_per_level {
            continue;
        }
        *n += 1;
        annotated += 1;
        writeln!(w, "{}", annotation(f))?;
    }
    let left = findings.len() - annotated;
    if findings.is_empty() {
        writeln!(w, "keytrace: no findings.")
    } else {
        writeln!(
            w,
            "keytrace: {}, {annotated} annotated, {left} not annotated (at most {max_per_level} \
             annotations per level); the step summary and the SARIF report list them all.",
            crate::plural::count(findings.len(), "finding", "findings"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Flag, IdentityRef};
    use crate::report::test_support::finding;

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(escape_data("100% done\r\nnext"), "100%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
        // A path cannot smuggle a property or end the command.
        let f = finding("dir,x=1/a:b::c\n::error::pwned%0A.env", Severity::High);
        let line = annotation(&f);
        assert!(
            line.starts_with(
                "::error file=dir%2Cx=1/a%3Ab%3A%3Ac\\n%3A%3Aerror%3A%3Apwned%250A.env,line=1,"
            ),
            "{line}"
        );
        assert_eq!(line.matches("::").count(), 2, "{line}");
        assert!(!line.contains('\n') && !line.contains('\r'));
        assert!(
            line.contains(",col=9,endColumn=41,title=keytrace%3A "),
            "{line}"
        );
    }

    #[test]
    fn owner_or_unowned_first_and_no_secret() {
        let mut f = finding("a.env", Severity::Medium);
        let secret = String::from_utf8(f.secret_bytes.expose().to_vec()).unwrap();
        // No manifest: owner unknown, never "unowned" (issue 12, item 9).
        assert!(
            annotation(&f).contains(", owner unknown"),
            "{}",
            annotation(&f)
        );
        f.flags.push(Flag::Unowned);
        assert!(annotation(&f).contains(", unowned"));
        f.flags.clear();
        f.identity = Some(IdentityRef {
            id: "ci-bot".into(),
            owner: "group:payments".into(),
            kind: "bot".into(),
            status: "active".into(),
        });
        let line = annotation(&f);
        assert!(line.starts_with("::warning "), "{line}");
        assert!(
            line.contains("owned by group:payments (identity ci-bot)"),
            "{line}"
        );
        assert!(!line.contains(&secret) && !line.contains(&secret[secret.len() - 4..]));
    }

    #[test]
    fn caps_per_level_most_severe_first() {
        let mut fs = Vec::new();
        for i in 0..12 {
            fs.push(finding(&format!("low{i:02}"), Severity::Low));
        }
        for i in 0..3 {
            fs.push(finding(&format!("crit{i}"), Severity::Critical));
            fs.push(finding(&format!("high{i}"), Severity::High));
        }
        let mut out = Vec::new();
        write(&mut out, &fs, 4).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 9, "{text}");
        assert!(
            lines[..3]
                .iter()
                .all(|l| l.starts_with("::error file=crit")),
            "{text}"
        );
        assert!(lines[3].starts_with("::error file=high0"));
        assert!(lines[4..8]
            .iter()
            .all(|l| l.starts_with("::notice file=low")));
        assert!(
            lines[8].contains("18 findings, 8 annotated, 10 not annotated"),
            "{}",
            lines[8]
        );

        let mut out = Vec::new();
        write(&mut out, &[], 10).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "keytrace: no findings.\n");
    }
}
