//! The human format: one block per finding, redacted, colour only on a terminal.

use std::io::{self, Write};

use crate::escape::sanitize;
use crate::finding::{join_flags, Finding, Flag};
use crate::rules::Severity;

/// Writes findings for a person.
pub fn write(w: &mut dyn Write, findings: &[Finding], color: bool) -> io::Result<()> {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    };
    for f in findings {
        let sev = match f.severity {
            Severity::Critical => paint("1;31", "CRITICAL"),
            Severity::High => paint("31", "HIGH"),
            Severity::Medium => paint("33", "MEDIUM"),
            Severity::Low => paint("36", "LOW"),
        };
        writeln!(
            w,
            "{}:{}:{}: {} {}",
            paint("1", &sanitize(&f.path)),
            f.line,
            f.column,
            sev,
            f.rule_id
        )?;
        let shown = match &f.secret {
            Some(s) => sanitize(&s.expose_lossy()),
            None => sanitize(&f.redacted),
        };
        writeln!(
            w,
            "    {}: {}  ({})",
            sanitize(&f.rule_name),
            shown,
            f.fingerprint
        )?;
        if !f.facts.is_empty() {
            writeln!(w, "    facts: {}", sanitize(&f.facts.summary()))?;
        }
        if !f.decoded.is_empty() {
            writeln!(
                w,
                "    decoded from: {} (location of the encoded text)",
                sanitize(&f.decoded.join(" > "))
            )?;
        }
        if let Some(c) = f.commit.as_ref().or(f.first_commit.as_ref()) {
            let short = c.id.get(..12).unwrap_or(&c.id);
            writeln!(
                w,
                "    commit {} by {} <{}> on {}: {}",
                short,
                sanitize(&c.author),
                sanitize(&c.email),
                c.date,
                sanitize(&c.message_summary)
            )?;
        }
        if let Some(in_head) = f.in_head {
            let n = f.commits.unwrap_or(0);
            writeln!(
                w,
                "    {} ; carried by {}",
                if in_head {
                    "still in HEAD"
                } else {
                    "no longer in HEAD (history only)"
                },
                crate::plural::count(n, "commit", "commits")
            )?;
        }
        match &f.identity {
            Some(id) => writeln!(
                w,
                "    owner: {} (identity {}, {})",
                sanitize(&id.owner),
                sanitize(&id.id),
                id.status
            )?,
            None if f.is_unowned() => writeln!(w, "    owner: unowned")?,
            None => {}
        }
        let shown_flags = join_flags(f.flags.iter().filter(|x| **x != Flag::Unowned));
        if !shown_flags.is_empty() {
            writeln!(w, "    flags: {}", sanitize(&shown_flags))?;
        }
        if let Some(r) = &f.rotation {
            writeln!(w, "    rotate: {}", sanitize(&r.summary))?;
        }
        writeln!(w)?;
    }
    Ok(())
}
