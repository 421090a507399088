//! The inventory model (`nhi report`): identities with their exposures, unowned
//! credentials with a suggested owner, and the figures an auditor asks for.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use super::codeowners::CodeOwners;
use super::due::{due_items, is_placeholder, Due};
use crate::date::Date;
use crate::facts::Facts;
use crate::finding::{rank_cmp, Finding, Flag};
use crate::nhi::manifest::{Identity, Manifest};

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

/// What the report's scan covered (issue 12, item 21): an audit names its evidence.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Scanned {
    /// `worktree` or `history`.
    pub source: String,
    /// The folder or repository scanned.
    pub path: String,
    /// HEAD's commit id (None outside a repository or before the first commit).
    pub commit: Option<String>,
    /// The refs whose history was read (`--history`: HEAD's branch; `--all`: every ref);
    /// for a working tree, HEAD's branch.
    pub refs: Vec<String>,
}

/// The exposures of one identity (or one unowned secret).
#[derive(Debug, Clone, Serialize, Default)]
pub struct Exposure {
    /// Findings.
    pub count: usize,
    /// Distinct secrets.
    pub secrets: usize,
    /// Distinct credentials: an AWS key id and the secret next to it are one.
    pub credentials: usize,
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
    pub flags: Vec<Flag>,
    /// Rules that found them.
    pub rules: Vec<String>,
}

/// How many credentials `findings` hold: findings of one secret are one credential, and a
/// public key id (an AWS access key id) found within a few lines of a secret of the same
/// provider, in the same file and commit, is the same credential as that secret.
pub fn credential_count(findings: &[&Finding]) -> usize {
    use crate::nhi::correlate::PAIR_DISTANCE;
    use crate::nhi::manifest::is_public_id_rule;
    // Union-find over findings; small inputs (one identity's or the unowned findings).
    let mut parent: Vec<usize> = (0..findings.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let commit = |f: &Finding| {
        f.commit
            .as_ref()
            .or(f.first_commit.as_ref())
            .map(|c| c.id.clone())
    };
    let mut by_fp: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, f) in findings.iter().enumerate() {
        if let Some(&j) = by_fp.get(f.fingerprint.as_str()) {
            let (a, b) = (find(&mut parent, i), find(&mut parent, j));
            parent[a] = b;
        } else {
            by_fp.insert(&f.fingerprint, i);
        }
    }
    for (i, id) in findings.iter().enumerate() {
        if !is_public_id_rule(&id.rule_id) {
            continue;
        }
        for (j, secret) in findings.iter().enumerate() {
            if i != j
                && !is_public_id_rule(&secret.rule_id)
                && secret.provider == id.provider
                && secret.path == id.path
                && secret.line.abs_diff(id.line) <= PAIR_DISTANCE
                && commit(secret) == commit(id)
            {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    (0..findings.len())
        .filter(|&i| find(&mut parent, i) == i)
        .count()
}

fn exposure<'a>(findings: impl Iterator<Item = &'a Finding>) -> Exposure {
    let mut e = Exposure::default();
    let mut paths = BTreeSet::new();
    let mut fps = BTreeSet::new();
    let mut fl = BTreeSet::new();
    let mut rules = BTreeSet::new();
    let mut all_history = true;
    let mut first: Option<(String, Seen)> = None;
    let all: Vec<&Finding> = findings.collect();
    for &f in &all {
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
    e.credentials = credential_count(&all);
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
    /// Last review (null: never reviewed).
    pub last_reviewed: Option<Date>,
    /// Next review (null: never reviewed, due now).
    pub review_due: Option<Date>,
    /// Whether a review is due: overdue, or never done.
    pub review_stale: bool,
    /// Whether the identity was never reviewed.
    pub never_reviewed: bool,
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
    /// What the credential says about itself (never the secret); omitted when nothing.
    #[serde(skip_serializing_if = "Facts::is_empty")]
    pub facts: Facts,
}

/// The exposures of every credential that names one principal or account, owned or not:
/// "these four leaked keys are all one AWS account's" is one line and one rotation.
#[derive(Debug, Clone, Serialize)]
pub struct GroupEntry {
    /// `principal` or `account`.
    pub by: &'static str,
    /// The principal or account.
    pub value: String,
    /// Provider of its credentials (the first, by rank).
    pub provider: String,
    /// Identities that own some of them.
    pub identities: Vec<String>,
    /// Distinct secrets no identity owns.
    pub unowned_secrets: usize,
    /// Secrets whose own expiry has passed.
    pub expired_secrets: usize,
    /// The highest effective severity among them.
    pub severity: String,
    /// Where and when.
    pub exposures: Exposure,
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
    /// Unowned credentials, grouped by fingerprint, in rotation order (most severe, live
    /// and broad first).
    pub unowned: Vec<UnownedEntry>,
    /// What the scan behind the report covered (set by the command that ran it).
    pub scanned: Option<Scanned>,
    /// Exposures grouped by principal and account, in rotation order.
    pub groups: Vec<GroupEntry>,
}

/// Groups findings by the principal, else the account, their facts name, in rotation
/// order: the most urgent finding of each group decides (`rank_cmp`).
fn groups(findings: &[Finding]) -> Vec<GroupEntry> {
    let mut by: BTreeMap<(&'static str, String), Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        let key = if let Some(p) = &f.facts.principal {
            ("principal", p.clone())
        } else if let Some(a) = f.facts.account.as_ref().or(f.facts.project.as_ref()) {
            ("account", format!("{} {a}", f.provider))
        } else {
            continue;
        };
        by.entry(key).or_default().push(f);
    }
    let mut out: Vec<(&Finding, GroupEntry)> = by
        .into_iter()
        .map(|((kind, value), mut fs)| {
            fs.sort_by(|a, b| rank_cmp(a, b));
            let top = fs[0];
            let identities: BTreeSet<String> = fs
                .iter()
                .filter_map(|f| f.identity.as_ref().map(|i| i.id.clone()))
                .collect();
            let unowned: BTreeSet<&str> = fs
                .iter()
                .filter(|f| f.identity.is_none())
                .map(|f| f.fingerprint.as_str())
                .collect();
            let expired: BTreeSet<&str> = fs
                .iter()
                .filter(|f| f.credential_expired())
                .map(|f| f.fingerprint.as_str())
                .collect();
            let value = match kind {
                // The provider was prefixed for grouping (`aws 1234...`): show it apart.
                "account" => value
                    .split_once(' ')
                    .map_or(value.clone(), |(_, a)| a.to_owned()),
                _ => value,
            };
            (
                top,
                GroupEntry {
                    by: kind,
                    value,
                    provider: top.provider.clone(),
                    identities: identities.into_iter().collect(),
                    unowned_secrets: unowned.len(),
                    expired_secrets: expired.len(),
                    severity: top.effective_severity().as_str().to_owned(),
                    exposures: exposure(fs.iter().copied()),
                },
            )
        })
        .collect();
    out.sort_by(|a, b| {
        rank_cmp(a.0, b.0)
            .then_with(|| b.1.exposures.secrets.cmp(&a.1.exposures.secrets))
            .then_with(|| a.1.value.cmp(&b.1.value))
    });
    out.into_iter().map(|(_, g)| g).collect()
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
        .map(|i| {
            let found = by_identity
                .get(i.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            identity_entry(i, today, &due, found)
        })
        .collect();
    let codeowners = CodeOwners::load(root);
    let unowned_findings: Vec<&Finding> = unowned.values().flatten().copied().collect();
    let unowned_credentials = credential_count(&unowned_findings);
    // The rotation queue: each secret ranked by its most urgent finding (effective
    // severity, then reach), then by fingerprint for a stable order.
    let mut unowned: Vec<(&Finding, UnownedEntry)> = unowned
        .into_iter()
        .map(|(fp, mut fs)| {
            fs.sort_by(|a, b| rank_cmp(a, b));
            let suggestion = suggest_owner(&codeowners, &fs);
            (
                fs[0],
                UnownedEntry {
                    fingerprint: fp.to_owned(),
                    redacted: fs[0].redacted.clone(),
                    provider: fs[0].provider.clone(),
                    exposures: exposure(fs.iter().copied()),
                    suggested_owner: suggestion.as_ref().map(|s| s.0.clone()),
                    suggested_from: suggestion.map(|s| s.1.to_owned()),
                    facts: fs[0].facts.clone(),
                },
            )
        })
        .collect();
    unowned.sort_by(|a, b| {
        a.0.effective_severity()
            .cmp(&b.0.effective_severity())
            .reverse()
            .then_with(|| b.0.reach().cmp(&a.0.reach()))
            .then_with(|| a.1.fingerprint.cmp(&b.1.fingerprint))
    });
    let unowned: Vec<UnownedEntry> = unowned.into_iter().map(|(_, u)| u).collect();
    let figures = figures(m, today, &identities, unowned_credentials);
    Inventory {
        date: today,
        manifests: m.files.clone(),
        figures,
        identities,
        unowned,
        scanned: None,
        groups: groups(findings),
    }
}

/// One identity's entry: its manifest fields, review and rotation state, what is due,
/// and the exposures of `findings` (the findings it owns).
fn identity_entry(i: &Identity, today: Date, due: &[Due], findings: &[&Finding]) -> IdentityEntry {
    IdentityEntry {
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
        never_reviewed: i.never_reviewed(),
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
        exposures: exposure(findings.iter().copied()),
    }
}

/// The auditor's figures, each with the control it answers.
fn figures(m: &Manifest, today: Date, identities: &[IdentityEntry], unowned: usize) -> Vec<Figure> {
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
    vec![
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
            label: "identities whose review is overdue or was never done",
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
            value: count(identities.iter().map(|i| i.exposures.credentials).sum()),
            control: "PCI DSS 8.6.2, OWASP NHI2",
        },
        Figure {
            name: "unowned_credentials",
            label: "credentials no identity owns",
            value: count(unowned),
            control: "CIS 5.5, PCI DSS 8.6.2, OWASP NHI2",
        },
    ]
}
