//! The text, Markdown and JSON renderings of `nhi check` and `nhi report`. Everything
//! printed goes through `escape` (manifest text and paths are user input).

use std::io::{self, Write};

use super::due::Due;
use super::inventory::{Exposure, Inventory};
use crate::date::Date;
use crate::escape::{markdown, markdown_code, sanitize};
use crate::finding::join_flags;
use crate::nhi::manifest::{Manifest, ManifestErrors};
use crate::nhi::NhiFormat;
use crate::plural::count;

/// Prints manifest errors (exit 2 follows).
pub fn write_manifest_errors(
    w: &mut dyn Write,
    errors: &ManifestErrors,
    format: NhiFormat,
) -> io::Result<()> {
    match format {
        NhiFormat::Json => {
            let list: Vec<_> = errors
                .0
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "file": e.file, "line": e.line, "field": e.field, "message": e.message
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *w, &serde_json::json!({ "errors": list }))?;
            writeln!(w)
        }
        _ => {
            for e in &errors.0 {
                writeln!(w, "error: {}", sanitize(&e.to_string()))?;
            }
            writeln!(
                w,
                "{} in the NHI manifest",
                count(errors.0.len(), "problem", "problems")
            )
        }
    }
}

/// Prints the result of `nhi check`.
pub fn write_check(
    w: &mut dyn Write,
    m: &Manifest,
    due: &[Due],
    today: Date,
    format: NhiFormat,
) -> io::Result<()> {
    let failing = due.iter().filter(|d| d.counts).count();
    match format {
        NhiFormat::Json => {
            serde_json::to_writer_pretty(
                &mut *w,
                &serde_json::json!({
                    "today": today,
                    "manifests": m.files,
                    "identities": m.identities.len(),
                    "due": due,
                }),
            )?;
            writeln!(w)
        }
        NhiFormat::Markdown => {
            writeln!(w, "## NHI manifest check ({today})\n")?;
            if due.is_empty() {
                writeln!(w, "{} identities, nothing due.", m.identities.len())?;
                return Ok(());
            }
            writeln!(w, "| identity | item | due | control | where |")?;
            writeln!(w, "|---|---|---|---|---|")?;
            for d in due {
                writeln!(
                    w,
                    "| `{}` | {} | {} | {} | {}:{} |",
                    markdown_code(&d.identity),
                    markdown(&d.message),
                    d.due.map(|d| d.to_string()).unwrap_or_default(),
                    d.control,
                    markdown(&d.file),
                    d.line
                )?;
            }
            writeln!(w, "\n{} identities, {failing} due.", m.identities.len())
        }
        NhiFormat::Text => {
            for d in due {
                writeln!(
                    w,
                    "{}, line {}: {} `{}`: {} [{}]",
                    sanitize(&d.file),
                    d.line,
                    if d.counts { "due:" } else { "note:" },
                    sanitize(&d.identity),
                    sanitize(&d.message),
                    d.control
                )?;
            }
            writeln!(
                w,
                "checked {} in {}: {failing} due",
                count(m.identities.len(), "identity", "identities"),
                sanitize(&m.files.join(", "))
            )
        }
    }
}

/// Escapes text for a Markdown table cell.
fn where_found(e: &Exposure) -> String {
    if e.count == 0 {
        return "not found".to_owned();
    }
    let place = match (e.in_head_count, e.history_only_count) {
        (_, 0) => "in HEAD".to_owned(),
        (0, _) => "history only".to_owned(),
        (h, o) => format!("{h} in HEAD, {o} in history only"),
    };
    let mut s = format!(
        "{} ({place}) in {}",
        count(e.count, "finding", "findings"),
        e.paths.join(", ")
    );
    if let Some(f) = &e.first_seen {
        s.push_str(&format!(
            "; first seen {} on {}",
            f.commit.get(..12).unwrap_or(&f.commit),
            f.date
        ));
    }
    if !e.flags.is_empty() {
        s.push_str(&format!("; flags: {}", join_flags(&e.flags)));
    }
    s
}

/// Prints the inventory.
pub fn write_report(w: &mut dyn Write, inv: &Inventory, format: NhiFormat) -> io::Result<()> {
    match format {
        NhiFormat::Json => {
            serde_json::to_writer_pretty(&mut *w, inv)?;
            writeln!(w)
        }
        NhiFormat::Markdown => write_markdown(w, inv),
        NhiFormat::Text => write_text(w, inv),
    }
}

/// What the scan covered, in words: `history of refs/heads/main at 1a2b3c4d5e6f (repo)`.
fn scanned_phrase(s: &super::inventory::Scanned) -> String {
    let mut out = format!("{} of {}", s.source, s.path);
    if !s.refs.is_empty() {
        out.push_str(&format!(", refs {}", s.refs.join(", ")));
    }
    if let Some(c) = &s.commit {
        out.push_str(&format!(", HEAD at {c}"));
    }
    out
}

fn write_text(w: &mut dyn Write, inv: &Inventory) -> io::Result<()> {
    writeln!(w, "NHI inventory, {}", inv.date)?;
    if !inv.manifests.is_empty() {
        writeln!(w, "manifests: {}", sanitize(&inv.manifests.join(", ")))?;
    }
    if let Some(s) = &inv.scanned {
        writeln!(w, "scanned: {}", sanitize(&scanned_phrase(s)))?;
    }
    writeln!(w)?;
    writeln!(w, "Figures")?;
    for f in &inv.figures {
        writeln!(w, "  {:>5}  {}  [{}]", f.value, f.label, f.control)?;
    }
    writeln!(w)?;
    writeln!(w, "Identities")?;
    if inv.identities.is_empty() {
        writeln!(
            w,
            "  none (no manifest: draft one with `keytrace nhi init --write`)"
        )?;
    }
    for i in &inv.identities {
        writeln!(
            w,
            "  {} ({}, {}), owner {}",
            sanitize(&i.id),
            sanitize(&i.kind),
            sanitize(&i.status),
            sanitize(&i.owner)
        )?;
        writeln!(w, "    purpose: {}", sanitize(&i.purpose))?;
        match (i.last_reviewed, i.review_due) {
            (Some(last), Some(due)) => writeln!(
                w,
                "    review: last {last}, due {due}{}",
                if i.review_stale { " (OVERDUE)" } else { "" }
            )?,
            _ => writeln!(w, "    review: never reviewed (DUE)")?,
        }
        for c in &i.credentials {
            writeln!(
                w,
                "    credential {}: last rotated {}, due {}{}",
                sanitize(&c.name),
                c.last_rotated
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "unknown".into()),
                c.rotation_due
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "unknown".into()),
                if c.overdue { " (OVERDUE)" } else { "" }
            )?;
        }
        for d in &i.due {
            writeln!(w, "    due: {}", sanitize(d))?;
        }
        writeln!(w, "    exposures: {}", sanitize(&where_found(&i.exposures)))?;
    }
    writeln!(w)?;
    writeln!(w, "Unowned credentials")?;
    if inv.unowned.is_empty() {
        writeln!(w, "  none")?;
    }
    for u in &inv.unowned {
        writeln!(
            w,
            "  {} {} ({})",
            u.fingerprint,
            sanitize(&u.redacted),
            sanitize(&u.provider)
        )?;
        writeln!(w, "    {}", sanitize(&where_found(&u.exposures)))?;
        if !u.facts.is_empty() {
            writeln!(w, "    facts: {}", sanitize(&u.facts.summary()))?;
        }
        if let (Some(o), Some(from)) = (&u.suggested_owner, &u.suggested_from) {
            writeln!(w, "    suggested owner: {} (from {from})", sanitize(o))?;
        }
    }
    if !inv.groups.is_empty() {
        writeln!(w)?;
        writeln!(w, "By principal and account (rotate each as one)")?;
        for g in &inv.groups {
            writeln!(w, "  {}", sanitize(&group_line(g)))?;
            writeln!(w, "    {}", sanitize(&where_found(&g.exposures)))?;
        }
    }
    Ok(())
}

/// One line for a principal or account group.
fn group_line(g: &super::inventory::GroupEntry) -> String {
    let n = g.exposures.secrets;
    let mut s = format!(
        "{} {} {} ({}): {}, {} unowned",
        g.provider,
        g.by,
        g.value,
        g.severity,
        count(n, "secret", "secrets"),
        g.unowned_secrets
    );
    if g.expired_secrets > 0 {
        s.push_str(&format!(
            ", {} expired by their own date",
            g.expired_secrets
        ));
    }
    if !g.identities.is_empty() {
        s.push_str(&format!("; identities {}", g.identities.join(", ")));
    }
    s
}

fn write_markdown(w: &mut dyn Write, inv: &Inventory) -> io::Result<()> {
    writeln!(w, "# NHI inventory ({})\n", inv.date)?;
    if !inv.manifests.is_empty() {
        writeln!(w, "Manifests: {}\n", markdown(&inv.manifests.join(", ")))?;
    }
    if let Some(s) = &inv.scanned {
        writeln!(w, "Scanned: {}\n", markdown(&scanned_phrase(s)))?;
    }
    writeln!(w, "## Figures\n")?;
    writeln!(w, "| figure | value | control |")?;
    writeln!(w, "|---|---:|---|")?;
    for f in &inv.figures {
        writeln!(w, "| {} | {} | {} |", f.label, f.value, f.control)?;
    }
    writeln!(w, "\n## Identities\n")?;
    if inv.identities.is_empty() {
        writeln!(
            w,
            "None: draft a manifest with `keytrace nhi init --write`."
        )?;
    } else {
        writeln!(
            w,
            "| identity | kind | status | owner | purpose | last review | review due | rotation due | exposures | due |"
        )?;
        writeln!(w, "|---|---|---|---|---|---|---|---|---|---|")?;
        for i in &inv.identities {
            let rot: Vec<String> = i
                .credentials
                .iter()
                .map(|c| {
                    format!(
                        "{}: {}{}",
                        c.name,
                        c.rotation_due
                            .map(|d| d.to_string())
                            .unwrap_or_else(|| "unknown".into()),
                        if c.overdue { " **overdue**" } else { "" }
                    )
                })
                .collect();
            writeln!(
                w,
                "| `{}` | {} | {} | {} | {} | {} | {}{} | {} | {} | {} |",
                markdown_code(&i.id),
                markdown(&i.kind),
                markdown(&i.status),
                markdown(&i.owner),
                markdown(&i.purpose),
                i.last_reviewed
                    .map_or_else(|| "never".to_owned(), |d| d.to_string()),
                i.review_due
                    .map_or_else(|| "now".to_owned(), |d| d.to_string()),
                if i.review_stale { " **overdue**" } else { "" },
                markdown(&rot.join("; ")),
                markdown(&where_found(&i.exposures)),
                markdown(&i.due.join("; "))
            )?;
        }
    }
    writeln!(w, "\n## Unowned credentials\n")?;
    if inv.unowned.is_empty() {
        writeln!(w, "None.")?;
    } else {
        writeln!(
            w,
            "| fingerprint | secret | provider | where | suggested owner |"
        )?;
        writeln!(w, "|---|---|---|---|---|")?;
        for u in &inv.unowned {
            let owner = match (&u.suggested_owner, &u.suggested_from) {
                (Some(o), Some(f)) => format!("{o} ({f})"),
                _ => String::new(),
            };
            writeln!(
                w,
                "| `{}` | `{}` | {} | {} | {} |",
                u.fingerprint,
                markdown_code(&u.redacted),
                markdown(&u.provider),
                markdown(&where_found(&u.exposures)),
                markdown(&owner)
            )?;
        }
    }
    if !inv.groups.is_empty() {
        writeln!(w, "\n## By principal and account\n")?;
        writeln!(
            w,
            "Each line is one principal or account: rotate its credentials together.\n"
        )?;
        writeln!(w, "| group | where |")?;
        writeln!(w, "|---|---|")?;
        for g in &inv.groups {
            writeln!(
                w,
                "| {} | {} |",
                markdown(&group_line(g)),
                markdown(&where_found(&g.exposures))
            )?;
        }
    }
    Ok(())
}
