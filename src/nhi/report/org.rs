//! The organisation's inventory (`nhi report --from REPORTS...`): findings of many
//! repositories, each already tied to an identity by its own repository's manifest when
//! it was scanned, grouped by secret. The same secret in several repositories is one
//! credential with many exposures: it is rotated once, by each owner named.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use serde::Serialize;

use super::inventory::{Figure, Seen};
use crate::date::Date;
use crate::escape::{markdown, sanitize};
use crate::finding::Finding;
use crate::nhi::NhiFormat;
use crate::plural::count;

/// A repository the reports cover.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RepoLine {
    /// Its name (as findings carry it).
    pub name: String,
    /// Findings in it.
    pub findings: usize,
    /// Distinct secrets in it.
    pub credentials: usize,
    /// Of those, how many no identity owns.
    pub unowned: usize,
    /// Why it could not be scanned, if it could not.
    pub error: Option<String>,
}

/// Who owns a credential in one repository (per that repository's manifest).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Owner {
    /// The repository.
    pub repository: String,
    /// The identity id, or None when unowned there.
    pub identity: Option<String>,
    /// The owner, or "unowned".
    pub owner: String,
    /// The identity's status.
    pub status: Option<String>,
}

/// One place a credential was found.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Place {
    /// The repository.
    pub repository: String,
    /// Path and line.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// Whether it is in the current tree (false: history only).
    pub in_head: bool,
    /// The commit that introduced it (git sources).
    pub first_seen: Option<Seen>,
}

/// One credential (one secret) across the organisation.
#[derive(Debug, Clone, Serialize)]
pub struct OrgCredential {
    /// Fingerprint.
    pub fingerprint: String,
    /// Redacted value.
    pub redacted: String,
    /// Provider.
    pub provider: String,
    /// Highest severity of its findings.
    pub severity: String,
    /// Rules that found it.
    pub rules: Vec<String>,
    /// The repositories it appears in.
    pub repositories: Vec<String>,
    /// Its owner in each repository.
    pub owners: Vec<Owner>,
    /// Union of its findings' flags.
    pub flags: Vec<String>,
    /// Whether any place is in the current tree.
    pub in_head: bool,
    /// The earliest commit that carried it.
    pub first_seen: Option<Seen>,
    /// Every place.
    pub exposures: Vec<Place>,
}

/// The organisation's inventory.
#[derive(Debug, Clone, Serialize)]
pub struct OrgInventory {
    /// The day it describes.
    pub date: Date,
    /// The reports it was built from.
    pub reports: Vec<String>,
    /// Headline figures.
    pub figures: Vec<Figure>,
    /// Repositories, by name.
    pub repositories: Vec<RepoLine>,
    /// Credentials: in most repositories first, then most severe, then unowned first.
    pub credentials: Vec<OrgCredential>,
}

/// The name of a finding's repository ("" for a single-repository report).
fn repo_of(f: &Finding) -> &str {
    f.repository.as_deref().unwrap_or("")
}

/// Builds the inventory. `repositories` names every repository scanned, with its error
/// when it failed (a repository without findings still counts); `reports` names the files.
pub fn org_inventory(
    findings: &[Finding],
    repositories: &[(String, Option<String>)],
    reports: Vec<String>,
    today: Date,
) -> OrgInventory {
    let mut by_fp: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by_fp.entry(f.fingerprint.as_str()).or_default().push(f);
    }
    let mut credentials: Vec<OrgCredential> = by_fp.into_values().map(credential).collect();
    let unowned_anywhere = |c: &OrgCredential| c.owners.iter().any(|o| o.identity.is_none());
    credentials.sort_by(|a, b| {
        b.repositories
            .len()
            .cmp(&a.repositories.len())
            .then_with(|| severity_rank(&b.severity).cmp(&severity_rank(&a.severity)))
            .then_with(|| unowned_anywhere(b).cmp(&unowned_anywhere(a)))
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });

    let mut repos: BTreeMap<String, RepoLine> = BTreeMap::new();
    for (name, error) in repositories {
        repos.insert(
            name.clone(),
            RepoLine {
                name: name.clone(),
                findings: 0,
                credentials: 0,
                unowned: 0,
                error: error.clone(),
            },
        );
    }
    let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
    for f in findings {
        let line = repos
            .entry(repo_of(f).to_owned())
            .or_insert_with(|| RepoLine {
                name: repo_of(f).to_owned(),
                findings: 0,
                credentials: 0,
                unowned: 0,
                error: None,
            });
        line.findings += 1;
        if seen.insert((repo_of(f), f.fingerprint.as_str())) {
            line.credentials += 1;
            if f.identity.is_none() {
                line.unowned += 1;
            }
        }
    }
    let repositories: Vec<RepoLine> = repos.into_values().collect();

    let shared = credentials
        .iter()
        .filter(|c| c.repositories.len() > 1)
        .count();
    let unowned = credentials.iter().filter(|c| unowned_anywhere(c)).count();
    let live = credentials.iter().filter(|c| c.in_head).count();
    let failed = repositories.iter().filter(|r| r.error.is_some()).count();
    let figure = |name, label, value: usize, control| Figure {
        name,
        label,
        value: value.to_string(),
        control,
    };
    let figures = vec![
        figure(
            "repositories",
            "repositories covered",
            repositories.len(),
            "CIS 1.1",
        ),
        figure(
            "repositories_failed",
            "repositories that could not be scanned",
            failed,
            "CIS 1.1",
        ),
        figure(
            "credentials",
            "distinct credentials exposed",
            credentials.len(),
            "CIS 5.5",
        ),
        figure(
            "exposures",
            "exposures (findings)",
            findings.len(),
            "CIS 5.5",
        ),
        figure(
            "shared_credentials",
            "credentials in more than one repository (rotate once, everywhere)",
            shared,
            "OWASP NHI2",
        ),
        figure(
            "unowned_credentials",
            "credentials unowned in at least one repository",
            unowned,
            "CIS 5.5 / PCI DSS 8.6",
        ),
        figure(
            "in_head",
            "credentials still in a current tree",
            live,
            "OWASP NHI2",
        ),
    ];
    OrgInventory {
        date: today,
        reports,
        figures,
        repositories,
        credentials,
    }
}

fn severity_rank(s: &str) -> u8 {
    match s {
        "critical" => 3,
        "high" => 2,
        "medium" => 1,
        _ => 0,
    }
}

fn seen_of(f: &Finding) -> Option<Seen> {
    f.first_commit.as_ref().or(f.commit.as_ref()).map(|c| Seen {
        commit: c.id.clone(),
        author: format!("{} <{}>", c.author, c.email),
        date: c.date.clone(),
    })
}

fn credential(fs: Vec<&Finding>) -> OrgCredential {
    let first = fs[0];
    let mut rules = BTreeSet::new();
    let mut repos = BTreeSet::new();
    let mut owners = BTreeSet::new();
    let mut flags = BTreeSet::new();
    let mut exposures = Vec::new();
    let mut severity = first.severity;
    let mut first_seen: Option<Seen> = None;
    for f in &fs {
        rules.insert(f.rule_id.clone());
        repos.insert(repo_of(f).to_owned());
        flags.extend(f.flags.iter().map(|fl| fl.as_str().to_owned()));
        severity = severity.max(f.severity);
        owners.insert(Owner {
            repository: repo_of(f).to_owned(),
            identity: f.identity.as_ref().map(|i| i.id.clone()),
            owner: f
                .identity
                .as_ref()
                .map_or_else(|| "unowned".to_owned(), |i| i.owner.clone()),
            status: f.identity.as_ref().map(|i| i.status.clone()),
        });
        let seen = seen_of(f);
        if let Some(s) = &seen {
            if first_seen.as_ref().is_none_or(|x| s.date < x.date) {
                first_seen = Some(s.clone());
            }
        }
        exposures.push(Place {
            repository: repo_of(f).to_owned(),
            path: f.path.clone(),
            line: f.line,
            in_head: f.in_head.unwrap_or(true),
            first_seen: seen,
        });
    }
    OrgCredential {
        fingerprint: first.fingerprint.clone(),
        redacted: first.redacted.clone(),
        provider: first.provider.clone(),
        severity: severity.as_str().to_owned(),
        rules: rules.into_iter().collect(),
        in_head: exposures.iter().any(|p| p.in_head),
        repositories: repos.into_iter().collect(),
        owners: owners.into_iter().collect(),
        flags: flags.into_iter().collect(),
        first_seen,
        exposures,
    }
}

/// Prints the organisation's inventory.
pub fn write_org_report(
    w: &mut dyn Write,
    inv: &OrgInventory,
    format: NhiFormat,
) -> io::Result<()> {
    match format {
        NhiFormat::Json => {
            serde_json::to_writer_pretty(&mut *w, inv)?;
            writeln!(w)
        }
        NhiFormat::Markdown => write_markdown(w, inv),
        NhiFormat::Text => write_text(w, inv),
    }
}

fn owner_text(o: &Owner) -> String {
    match &o.identity {
        Some(id) => format!("{} ({id})", o.owner),
        None => "unowned".to_owned(),
    }
}

fn repo_label(name: &str) -> &str {
    if name.is_empty() {
        "(this repository)"
    } else {
        name
    }
}

fn write_text(w: &mut dyn Write, inv: &OrgInventory) -> io::Result<()> {
    writeln!(
        w,
        "NHI inventory across {} repositories, {}",
        inv.repositories.len(),
        inv.date
    )?;
    writeln!(w)?;
    writeln!(w, "Figures")?;
    for f in &inv.figures {
        writeln!(w, "  {:>5}  {}  [{}]", f.value, f.label, f.control)?;
    }
    writeln!(w)?;
    writeln!(w, "Repositories")?;
    for r in &inv.repositories {
        match &r.error {
            Some(e) => writeln!(
                w,
                "  {}: NOT SCANNED: {}",
                sanitize(repo_label(&r.name)),
                sanitize(e)
            )?,
            None => writeln!(
                w,
                "  {}: {} credentials ({} unowned), {} findings",
                sanitize(repo_label(&r.name)),
                r.credentials,
                r.unowned,
                r.findings
            )?,
        }
    }
    writeln!(w)?;
    writeln!(w, "Credentials")?;
    if inv.credentials.is_empty() {
        writeln!(w, "  none")?;
    }
    for c in &inv.credentials {
        writeln!(
            w,
            "  {} {} ({}, {}) in {}, {}{}",
            c.fingerprint,
            sanitize(&c.redacted),
            sanitize(&c.provider),
            c.severity,
            count(c.repositories.len(), "repository", "repositories"),
            count(c.exposures.len(), "exposure", "exposures"),
            if c.repositories.len() > 1 {
                ": one secret, rotate once and replace it everywhere"
            } else {
                ""
            }
        )?;
        for o in &c.owners {
            writeln!(
                w,
                "    owner in {}: {}",
                sanitize(repo_label(&o.repository)),
                sanitize(&owner_text(o))
            )?;
        }
        if !c.flags.is_empty() {
            writeln!(w, "    flags: {}", sanitize(&c.flags.join(", ")))?;
        }
        for p in &c.exposures {
            writeln!(
                w,
                "    - {} {}:{} ({}){}",
                sanitize(repo_label(&p.repository)),
                sanitize(&p.path),
                p.line,
                if p.in_head { "in HEAD" } else { "history only" },
                p.first_seen
                    .as_ref()
                    .map(|s| format!(
                        ", first seen {} on {}",
                        s.commit.get(..12).unwrap_or(&s.commit),
                        sanitize(&s.date)
                    ))
                    .unwrap_or_default()
            )?;
        }
    }
    Ok(())
}

fn write_markdown(w: &mut dyn Write, inv: &OrgInventory) -> io::Result<()> {
    writeln!(
        w,
        "## NHI inventory across {} repositories ({})\n",
        inv.repositories.len(),
        inv.date
    )?;
    writeln!(w, "| figure | value | control |\n|:--|--:|:--|")?;
    for f in &inv.figures {
        writeln!(w, "| {} | {} | {} |", f.label, f.value, f.control)?;
    }
    writeln!(w, "\n### Repositories\n")?;
    writeln!(
        w,
        "| repository | credentials | unowned | findings | status |\n|:--|--:|--:|--:|:--|"
    )?;
    for r in &inv.repositories {
        writeln!(
            w,
            "| {} | {} | {} | {} | {} |",
            markdown(repo_label(&r.name)),
            r.credentials,
            r.unowned,
            r.findings,
            r.error.as_deref().map_or_else(
                || "scanned".to_owned(),
                |e| format!("not scanned: {}", markdown(e))
            )
        )?;
    }
    writeln!(w, "\n### Credentials\n")?;
    writeln!(
        w,
        "| fingerprint | provider | severity | repositories | owners | flags | exposures |\n\
         |:--|:--|:--|:--|:--|:--|--:|"
    )?;
    for c in &inv.credentials {
        let owners: Vec<String> = c
            .owners
            .iter()
            .map(|o| {
                format!(
                    "{}: {}",
                    markdown(repo_label(&o.repository)),
                    markdown(&owner_text(o))
                )
            })
            .collect();
        let repos: Vec<String> = c
            .repositories
            .iter()
            .map(|r| markdown(repo_label(r)))
            .collect();
        writeln!(
            w,
            "| `{}` | {} | {} | {} | {} | {} | {} |",
            c.fingerprint,
            markdown(&c.provider),
            c.severity,
            repos.join("<br>"),
            owners.join("<br>"),
            markdown(&c.flags.join(", ")),
            c.exposures.len()
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::IdentityRef;
    use crate::report::test_support::finding;
    use crate::rules::Severity;

    #[test]
    fn one_secret_in_two_repositories_is_one_credential_with_two_owners() {
        let mut a = finding("deploy/ci.env", Severity::High);
        a.repository = Some("acme/api".into());
        a.identity = Some(IdentityRef {
            id: "deployer".into(),
            owner: "group:payments".into(),
            kind: "ci-identity".into(),
            status: "active".into(),
        });
        let mut b = a.clone();
        b.repository = Some("acme/web".into());
        b.identity = None;
        b.flags = vec![crate::finding::Flag::Unowned];
        b.in_head = Some(false);
        let mut other = finding("x.env", Severity::Low);
        other.fingerprint = "kt1:other".into();
        other.repository = Some("acme/web".into());
        let today = Date::parse("2026-12-01").unwrap();
        let inv = org_inventory(
            &[a, b, other],
            &[
                ("acme/empty".into(), None),
                ("acme/broken".into(), Some("no repo".into())),
            ],
            vec!["r.json".into()],
            today,
        );
        assert_eq!(inv.credentials.len(), 2);
        let shared = &inv.credentials[0];
        assert_eq!(shared.repositories, vec!["acme/api", "acme/web"]);
        assert_eq!(shared.exposures.len(), 2);
        assert_eq!(shared.owners.len(), 2);
        assert_eq!(shared.owners[0].owner, "group:payments");
        assert_eq!(shared.owners[1].owner, "unowned");
        assert!(shared.in_head);
        assert_eq!(inv.repositories.len(), 4);
        let fig = |n: &str| {
            inv.figures
                .iter()
                .find(|f| f.name == n)
                .unwrap()
                .value
                .clone()
        };
        assert_eq!(fig("shared_credentials"), "1");
        assert_eq!(fig("repositories_failed"), "1");
        assert_eq!(fig("credentials"), "2");
        let mut text = Vec::new();
        write_org_report(&mut text, &inv, NhiFormat::Text).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert!(text.contains("rotate once"), "{text}");
        assert!(text.contains("NOT SCANNED"), "{text}");
    }
}
