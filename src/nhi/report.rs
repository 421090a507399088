//! `keytrace nhi check` and `keytrace nhi report`: what is due in the manifest, and the
//! inventory a security team hands an auditor (identities, owners, exposures, unowned
//! credentials, and figures each tied to the control it serves).
//!
//! Everything printed goes through [`crate::escape::sanitize`] (manifest text and paths
//! are user input); secrets appear only in their redacted form.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::manifest::{gitignore_globs, Manifest, ManifestErrors};
use super::NhiFormat;
use crate::date::Date;
use crate::escape::{markdown, markdown_code, sanitize};
use crate::finding::Finding;

/// Placeholder values `nhi init` writes; an identity still carrying one has no real owner.
pub const PLACEHOLDER: &str = "TODO";

/// Something due in the manifest.
#[derive(Debug, Clone, Serialize)]
pub struct Due {
    /// `review-stale`, `rotation-overdue`, `expired`, `no-owner`, `rotation-unknown`.
    pub kind: &'static str,
    /// The identity.
    pub identity: String,
    /// The credential, for rotation items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    /// When it fell (or falls) due.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    /// What to do.
    pub message: String,
    /// The control it serves.
    pub control: &'static str,
    /// Manifest file and line.
    pub file: String,
    /// Line of the identity or credential.
    pub line: usize,
    /// Whether it fails `nhi check` (notes do not).
    pub counts: bool,
}

/// Whether an owner or purpose is missing or still the `nhi init` placeholder.
pub fn is_placeholder(s: &str) -> bool {
    let t = s.trim();
    t.is_empty() || t.eq_ignore_ascii_case(PLACEHOLDER)
}

/// Everything due in `m` on `today`, in manifest order.
pub fn due_items(m: &Manifest, today: Date) -> Vec<Due> {
    let mut out = Vec::new();
    for i in &m.identities {
        let base =
            |kind, credential: Option<&str>, due, message: String, control, line, counts| Due {
                kind,
                identity: i.id.clone(),
                credential: credential.map(str::to_owned),
                due,
                message,
                control,
                file: i.file.clone(),
                line,
                counts,
            };
        if is_placeholder(&i.owner) || is_placeholder(&i.purpose) {
            out.push(base(
                "no-owner",
                None,
                None,
                "owner or purpose is still TODO: name the owning team and what the identity is for"
                    .to_owned(),
                "CIS 5.5",
                i.line,
                true,
            ));
        }
        if i.review_stale(today) {
            out.push(base(
                "review-stale",
                None,
                Some(i.review_due()),
                format!(
                    "review overdue: last reviewed {}, due {} ({} days late)",
                    i.review.last_reviewed,
                    i.review_due(),
                    i.review_due().days_until(today)
                ),
                "CIS 5.5, NIST PR.AA-01",
                i.line,
                true,
            ));
        }
        if let Some(e) = i.expires.filter(|_| i.expired(today)) {
            out.push(base(
                "expired",
                None,
                Some(e),
                format!("identity expired on {e}: retire it and revoke its credentials"),
                "OWASP NHI1",
                i.line,
                true,
            ));
        }
        for c in &i.credentials {
            match c.rotation_due() {
                Some(d) if d < today => out.push(base(
                    "rotation-overdue",
                    Some(&c.name),
                    Some(d),
                    format!(
                        "rotation overdue: `{}` last rotated {}, due {} ({} days late)",
                        c.name,
                        c.rotation
                            .last_rotated
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                        d,
                        d.days_until(today)
                    ),
                    "PCI DSS 8.6.3, OWASP NHI7",
                    c.line,
                    true,
                )),
                Some(_) => {}
                None if i.status != "retired" => out.push(base(
                    "rotation-unknown",
                    Some(&c.name),
                    None,
                    format!(
                        "`{}` has no rotation.last_rotated: record when it was last rotated",
                        c.name
                    ),
                    "PCI DSS 8.6.3",
                    c.line,
                    false,
                )),
                None => {}
            }
            if let Some(e) = c.expires.filter(|_| c.expired(today)) {
                out.push(base(
                    "expired",
                    Some(&c.name),
                    Some(e),
                    format!("credential `{}` expired on {e}: revoke it", c.name),
                    "OWASP NHI7",
                    c.line,
                    true,
                ));
            }
        }
    }
    out
}

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
                "{} problem{} in the NHI manifest",
                errors.0.len(),
                if errors.0.len() == 1 { "" } else { "s" }
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
                "checked {} identit{} in {}: {failing} due",
                m.identities.len(),
                if m.identities.len() == 1 { "y" } else { "ies" },
                sanitize(&m.files.join(", "))
            )
        }
    }
}

/// A commit, briefly.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Seen {
    /// Commit id.
    pub commit: String,
    /// Author name and email.
    pub author: String,
    /// Commit date (RFC 3339).
    pub date: String,
}

/// The exposures of one identity (or one unowned secret).
#[derive(Debug, Clone, Serialize, Default)]
pub struct Exposure {
    /// Findings.
    pub count: usize,
    /// Distinct secrets.
    pub secrets: usize,
    /// Paths, sorted.
    pub paths: Vec<String>,
    /// Whether any is in the current tree (HEAD or the working tree).
    pub in_head: bool,
    /// Whether all of them exist only in history.
    pub history_only: bool,
    /// How many are in the current tree.
    pub in_head_count: usize,
    /// How many exist only in history.
    pub history_only_count: usize,
    /// The earliest commit that carried one (git sources).
    pub first_seen: Option<Seen>,
    /// Union of the findings' flags.
    pub flags: Vec<String>,
    /// Rules that found them.
    pub rules: Vec<String>,
}

fn exposure<'a>(findings: impl Iterator<Item = &'a Finding>) -> Exposure {
    let mut e = Exposure::default();
    let mut paths = BTreeSet::new();
    let mut fps = BTreeSet::new();
    let mut fl = BTreeSet::new();
    let mut rules = BTreeSet::new();
    let mut all_history = true;
    let mut first: Option<(String, Seen)> = None;
    for f in findings {
        e.count += 1;
        paths.insert(f.path.clone());
        fps.insert(f.fingerprint.clone());
        rules.insert(f.rule_id.clone());
        fl.extend(f.flags.iter().cloned());
        // Worktree and stdin findings are current; history findings say so themselves.
        let current = f.in_head.unwrap_or(true);
        e.in_head |= current;
        if current {
            e.in_head_count += 1;
        } else {
            e.history_only_count += 1;
        }
        all_history &= !current;
        if let Some(c) = f.first_commit.as_ref().or(f.commit.as_ref()) {
            let key = c.date.clone();
            if first.as_ref().is_none_or(|(d, _)| key < *d) {
                first = Some((
                    key,
                    Seen {
                        commit: c.id.clone(),
                        author: format!("{} <{}>", c.author, c.email),
                        date: c.date.clone(),
                    },
                ));
            }
        }
    }
    e.secrets = fps.len();
    e.paths = paths.into_iter().collect();
    e.flags = fl.into_iter().collect();
    e.rules = rules.into_iter().collect();
    e.history_only = e.count > 0 && all_history;
    e.first_seen = first.map(|(_, s)| s);
    e
}

/// One credential of an identity, with its dates.
#[derive(Debug, Clone, Serialize)]
pub struct CredentialEntry {
    /// Its name.
    pub name: String,
    /// Rotation period.
    pub period_days: u32,
    /// Last rotation.
    pub last_rotated: Option<Date>,
    /// Next rotation due.
    pub rotation_due: Option<Date>,
    /// Whether that is past.
    pub overdue: bool,
    /// The owner's runbook.
    pub runbook: Option<String>,
}

/// One identity in the inventory.
#[derive(Debug, Clone, Serialize)]
pub struct IdentityEntry {
    /// Id.
    pub id: String,
    /// Owner.
    pub owner: String,
    /// Kind.
    pub kind: String,
    /// Status.
    pub status: String,
    /// Purpose.
    pub purpose: String,
    /// Provider.
    pub provider: Option<String>,
    /// Principal.
    pub principal: Option<String>,
    /// Contacts.
    pub contacts: Vec<String>,
    /// Last review.
    pub last_reviewed: Date,
    /// Next review.
    pub review_due: Date,
    /// Whether the review is overdue.
    pub review_stale: bool,
    /// Expiry.
    pub expires: Option<Date>,
    /// Credentials.
    pub credentials: Vec<CredentialEntry>,
    /// What is due, in words.
    pub due: Vec<String>,
    /// Where its credentials were found.
    pub exposures: Exposure,
}

/// An unowned credential (one secret, wherever it appeared).
#[derive(Debug, Clone, Serialize)]
pub struct UnownedEntry {
    /// Fingerprint.
    pub fingerprint: String,
    /// Redacted value.
    pub redacted: String,
    /// Provider.
    pub provider: String,
    /// Where and when.
    pub exposures: Exposure,
    /// Who probably owns it.
    pub suggested_owner: Option<String>,
    /// `CODEOWNERS` or `commit author`.
    pub suggested_from: Option<String>,
}

/// One headline figure.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// Machine name.
    pub name: &'static str,
    /// What it counts.
    pub label: &'static str,
    /// The value (a count, or a percentage for rates).
    pub value: String,
    /// The control it serves.
    pub control: &'static str,
}

/// The inventory.
#[derive(Debug, Clone, Serialize)]
pub struct Inventory {
    /// The day it describes.
    pub date: Date,
    /// Manifest files.
    pub manifests: Vec<String>,
    /// Headline figures.
    pub figures: Vec<Figure>,
    /// Identities.
    pub identities: Vec<IdentityEntry>,
    /// Unowned credentials, grouped by fingerprint.
    pub unowned: Vec<UnownedEntry>,
}

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
        let path = super::manifest::normalize_path(path);
        let (_, owners) = self
            .rules
            .iter()
            .rev()
            .find(|(g, _)| g.iter().any(|m| m.is_match(path)))?;
        (!owners.is_empty()).then(|| owners.join(" "))
    }
}

/// The suggested owner of an unowned secret: CODEOWNERS for its first path, else the
/// author of the commit that introduced it.
pub fn suggest_owner(
    codeowners: &CodeOwners,
    findings: &[&Finding],
) -> Option<(String, &'static str)> {
    for f in findings {
        if let Some(o) = codeowners.owners(&f.path) {
            return Some((o, "CODEOWNERS"));
        }
    }
    let first = findings
        .iter()
        .filter_map(|f| f.first_commit.as_ref().or(f.commit.as_ref()))
        .min_by(|a, b| a.date.cmp(&b.date))?;
    Some((
        format!("{} <{}>", first.author, first.email),
        "commit author",
    ))
}

/// Builds the inventory from the manifest and a correlated scan.
pub fn inventory(
    manifest: Option<&Manifest>,
    findings: &[Finding],
    today: Date,
    root: &Path,
) -> Inventory {
    let empty = Manifest::default();
    let m = manifest.unwrap_or(&empty);
    let due = due_items(m, today);
    let mut by_identity: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    let mut unowned: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        match &f.identity {
            Some(i) => by_identity.entry(i.id.as_str()).or_default().push(f),
            None => unowned.entry(f.fingerprint.as_str()).or_default().push(f),
        }
    }
    let identities: Vec<IdentityEntry> = m
        .identities
        .iter()
        .map(|i| IdentityEntry {
            id: i.id.clone(),
            owner: i.owner.clone(),
            kind: i.kind.clone(),
            status: i.status.clone(),
            purpose: i.purpose.clone(),
            provider: i.provider.clone(),
            principal: i.principal.clone(),
            contacts: i.contacts.clone(),
            last_reviewed: i.review.last_reviewed,
            review_due: i.review_due(),
            review_stale: i.review_stale(today),
            expires: i.expires,
            credentials: i
                .credentials
                .iter()
                .map(|c| CredentialEntry {
                    name: c.name.clone(),
                    period_days: c.rotation.period_days,
                    last_rotated: c.rotation.last_rotated,
                    rotation_due: c.rotation_due(),
                    overdue: c.rotation_overdue(today),
                    runbook: c.rotation.runbook.clone().or_else(|| i.runbook.clone()),
                })
                .collect(),
            due: due
                .iter()
                .filter(|d| d.identity == i.id && d.counts)
                .map(|d| d.message.clone())
                .collect(),
            exposures: exposure(
                by_identity
                    .get(i.id.as_str())
                    .into_iter()
                    .flatten()
                    .copied(),
            ),
        })
        .collect();
    let codeowners = CodeOwners::load(root);
    let unowned: Vec<UnownedEntry> = unowned
        .into_iter()
        .map(|(fp, fs)| {
            let suggestion = suggest_owner(&codeowners, &fs);
            UnownedEntry {
                fingerprint: fp.to_owned(),
                redacted: fs[0].redacted.clone(),
                provider: fs[0].provider.clone(),
                exposures: exposure(fs.iter().copied()),
                suggested_owner: suggestion.as_ref().map(|s| s.0.clone()),
                suggested_from: suggestion.map(|s| s.1.to_owned()),
            }
        })
        .collect();
    let creds: Vec<_> = m.identities.iter().flat_map(|i| &i.credentials).collect();
    let compliant = creds
        .iter()
        .filter(|c| c.rotation.last_rotated.is_some() && !c.rotation_overdue(today))
        .count();
    let rate = if creds.is_empty() {
        "n/a".to_owned()
    } else {
        format!("{:.0}%", 100.0 * compliant as f64 / creds.len() as f64)
    };
    let count = |n: usize| n.to_string();
    let figures = vec![
        Figure {
            name: "identities",
            label: "identities in the inventory",
            value: count(m.identities.len()),
            control: "CIS 5.5, NIST PR.AA-01",
        },
        Figure {
            name: "identities_without_owner",
            label: "identities without an owner or purpose",
            value: count(
                m.identities
                    .iter()
                    .filter(|i| is_placeholder(&i.owner) || is_placeholder(&i.purpose))
                    .count(),
            ),
            control: "CIS 5.5",
        },
        Figure {
            name: "stale_reviews",
            label: "identities whose review is overdue",
            value: count(
                m.identities
                    .iter()
                    .filter(|i| i.review_stale(today))
                    .count(),
            ),
            control: "CIS 5.5, NIST PR.AA-01",
        },
        Figure {
            name: "overdue_rotations",
            label: "credentials whose rotation is overdue",
            value: count(creds.iter().filter(|c| c.rotation_overdue(today)).count()),
            control: "PCI DSS 8.6.3, OWASP NHI7",
        },
        Figure {
            name: "rotation_compliance",
            label: "credentials rotated within their period",
            value: rate,
            control: "PCI DSS 8.6.3, OWASP NHI7",
        },
        Figure {
            name: "retired_with_live_exposures",
            label: "retired identities with credentials still in the code",
            value: count(
                identities
                    .iter()
                    .filter(|i| i.status == "retired" && i.exposures.in_head)
                    .count(),
            ),
            control: "OWASP NHI1",
        },
        Figure {
            name: "exposed_owned_credentials",
            label: "owned credentials hard-coded in the repository",
            value: count(identities.iter().map(|i| i.exposures.secrets).sum()),
            control: "PCI DSS 8.6.2, OWASP NHI2",
        },
        Figure {
            name: "unowned_credentials",
            label: "credentials no identity owns",
            value: count(unowned.len()),
            control: "CIS 5.5, PCI DSS 8.6.2, OWASP NHI2",
        },
    ];
    Inventory {
        date: today,
        manifests: m.files.clone(),
        figures,
        identities,
        unowned,
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
        "{} finding{} ({place}) in {}",
        e.count,
        if e.count == 1 { "" } else { "s" },
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
        s.push_str(&format!("; flags: {}", e.flags.join(", ")));
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

fn write_text(w: &mut dyn Write, inv: &Inventory) -> io::Result<()> {
    writeln!(w, "NHI inventory, {}", inv.date)?;
    if !inv.manifests.is_empty() {
        writeln!(w, "manifests: {}", sanitize(&inv.manifests.join(", ")))?;
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
        writeln!(
            w,
            "    review: last {}, due {}{}",
            i.last_reviewed,
            i.review_due,
            if i.review_stale { " (OVERDUE)" } else { "" }
        )?;
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
        if let (Some(o), Some(from)) = (&u.suggested_owner, &u.suggested_from) {
            writeln!(w, "    suggested owner: {} (from {from})", sanitize(o))?;
        }
    }
    Ok(())
}

fn write_markdown(w: &mut dyn Write, inv: &Inventory) -> io::Result<()> {
    writeln!(w, "# NHI inventory ({})\n", inv.date)?;
    if !inv.manifests.is_empty() {
        writeln!(w, "Manifests: {}\n", markdown(&inv.manifests.join(", ")))?;
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
                i.last_reviewed,
                i.review_due,
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codeowners_last_match_wins() {
        let c = CodeOwners::parse(
            "# comment\n* @acme/all\n/deploy/ @acme/platform\n*.env @acme/sec # inline\ndocs/** \n",
        );
        assert_eq!(c.owners("src/a.rs").as_deref(), Some("@acme/all"));
        assert_eq!(c.owners("deploy/x.yml").as_deref(), Some("@acme/platform"));
        assert_eq!(c.owners("deploy/prod.env").as_deref(), Some("@acme/sec"));
        assert_eq!(c.owners("docs/readme.md"), None);
    }

    #[test]
    fn placeholders_are_not_owners() {
        assert!(is_placeholder("TODO"));
        assert!(is_placeholder(" "));
        assert!(!is_placeholder("group:payments"));
    }
}
