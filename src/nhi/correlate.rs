//! Correlation: ties each finding to the identity whose credential selector matches it,
//! sets the NHI flags, and fills the rotation guidance.
//!
//! Precedence: the most specific selector wins (fingerprint > public key > key id >
//! principal > account/host > rule + path > path > rule); among equally specific matches
//! the last entry wins, as in CODEOWNERS. The public key, principal, account and host
//! selectors compare the facts read from the credential itself (`crate::facts`).
//! A key id selector matches a finding whose secret is that id or ends with that suffix,
//! and also the findings next to it (same file and commit, within a few lines), so an AWS
//! secret access key is tied to the identity that names its access key id.

use std::collections::{BTreeSet, HashMap};

use super::manifest::{Credential, Identity, Manifest};
use crate::date::Date;
use crate::finding::{Finding, Flag, IdentityRef, Rotation};
use crate::rules::rotation;
use crate::rules::{id_selects, Severity};

/// Lines around a key id finding within which a paired secret belongs to the same key.
pub const PAIR_DISTANCE: usize = 5;

/// How specific a selector match is; higher wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Specificity {
    /// A rule selector alone.
    Rule = 1,
    /// A path selector alone.
    Path = 2,
    /// Rules and paths together.
    RuleAndPath = 3,
    /// The account or host the credential names (its facts).
    AccountOrHost = 4,
    /// The principal the credential names (its facts).
    Principal = 5,
    /// A public key id or suffix.
    KeyId = 6,
    /// The fingerprint of the private key's public half (its facts).
    PublicKey = 7,
    /// The secret's fingerprint.
    Fingerprint = 8,
}

/// The identity and credential a finding belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    /// Index into `Manifest::identities`.
    pub identity: usize,
    /// Index into that identity's credentials.
    pub credential: usize,
    /// How it matched.
    pub specificity: Specificity,
}

fn key_id_matches(secret: &[u8], key: &str) -> bool {
    secret.ends_with(key.as_bytes())
}

fn rules_match(c: &Credential, rule_id: &str) -> bool {
    c.selector.rules.iter().any(|s| id_selects(s, rule_id))
}

/// How `c` matches finding `f` (with `paired` the secrets of findings next to it).
fn specificity(c: &Credential, f: &Finding, paired: &[&[u8]]) -> Option<Specificity> {
    let sel = &c.selector;
    if sel.fingerprints.contains(&f.fingerprint) {
        return Some(Specificity::Fingerprint);
    }
    let rule_ok = sel.rules.is_empty() || rules_match(c, &f.rule_id);
    let path_ok = sel.paths.is_empty() || sel.paths.matches(&f.path);
    if !(rule_ok && path_ok) {
        return None;
    }
    let facts = &f.facts;
    let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    if let Some(k) = &facts.key_fingerprint {
        // `SHA256:` base64 is case-sensitive; PGP hex is not.
        if sel
            .public_keys
            .iter()
            .any(|p| p == k || (!k.starts_with("SHA256:") && eq(p, k)))
        {
            return Some(Specificity::PublicKey);
        }
    }
    if sel.key_ids.iter().any(|k| {
        key_id_matches(f.secret_bytes.expose(), k)
            || paired.iter().any(|s| key_id_matches(s, k))
            || facts.key_id.as_deref().is_some_and(|id| eq(id, k))
    }) {
        return Some(Specificity::KeyId);
    }
    let principals = facts.principals();
    if sel
        .principals
        .iter()
        .any(|p| principals.iter().any(|q| eq(p, q)))
    {
        return Some(Specificity::Principal);
    }
    let account_hit = sel.accounts.iter().any(|a| {
        facts.account.as_deref().is_some_and(|x| eq(a, x))
            || facts.project.as_deref().is_some_and(|x| eq(a, x))
    });
    let host_hit = facts.host.as_deref().is_some_and(|h| {
        sel.hosts.iter().any(|p| match p.strip_prefix("*.") {
            Some(suffix) => {
                h.len() > suffix.len()
                    && h.to_ascii_lowercase()
                        .ends_with(&format!(".{}", suffix.to_ascii_lowercase()))
            }
            None => eq(p, h),
        })
    });
    if account_hit || host_hit {
        return Some(Specificity::AccountOrHost);
    }
    match (sel.rules.is_empty(), sel.paths.is_empty()) {
        (false, false) => Some(Specificity::RuleAndPath),
        (true, false) => Some(Specificity::Path),
        (false, true) => Some(Specificity::Rule),
        _ => None,
    }
}

/// The owner of `f`: the most specific match, the last one among equals.
pub fn owner_of(manifest: &Manifest, f: &Finding, paired: &[&[u8]]) -> Option<Owner> {
    let mut best: Option<Owner> = None;
    for (ii, ident) in manifest.identities.iter().enumerate() {
        for (ci, c) in ident.credentials.iter().enumerate() {
            if let Some(s) = specificity(c, f, paired) {
                if best.is_none_or(|b| s >= b.specificity) {
                    best = Some(Owner {
                        identity: ii,
                        credential: ci,
                        specificity: s,
                    });
                }
            }
        }
    }
    best
}

/// For each finding, the secrets of the findings next to it (same path and commit, within
/// [`PAIR_DISTANCE`] lines), for key id pairing.
fn neighbours(findings: &[Finding]) -> Vec<Vec<usize>> {
    let mut groups: HashMap<(&str, Option<&str>), Vec<usize>> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        let commit = f
            .commit
            .as_ref()
            .or(f.first_commit.as_ref())
            .map(|c| c.id.as_str());
        groups.entry((&f.path, commit)).or_default().push(i);
    }
    let mut out = vec![Vec::new(); findings.len()];
    for members in groups.values_mut() {
        // Sorted by line, each finding looks only at the window after it: a file with
        // thousands of findings stays linear, not quadratic.
        members.sort_by_key(|&i| findings[i].line);
        for (k, &a) in members.iter().enumerate() {
            for &b in &members[k + 1..] {
                if findings[b].line - findings[a].line > PAIR_DISTANCE {
                    break;
                }
                out[a].push(b);
                out[b].push(a);
            }
        }
    }
    out
}

/// The date a finding was first committed (git sources).
pub fn first_seen(f: &Finding) -> Option<Date> {
    f.first_commit
        .as_ref()
        .or(f.commit.as_ref())
        .and_then(|c| Date::parse(&c.date))
}

/// Rotation guidance for finding `f` owned by `ident` through `cred`: the owner's runbook
/// and contacts first, then the steps of the rule's (or provider's) guide.
pub fn rotation_for(f: &Finding, owner: Option<(&Identity, &Credential)>) -> Rotation {
    let mut r = rotation::guidance_for(&f.rule_id, &f.provider);
    let Some((ident, cred)) = owner else {
        return r;
    };
    let runbook = cred
        .rotation
        .runbook
        .clone()
        .or_else(|| ident.runbook.clone());
    let mut first = Vec::new();
    if !ident.contacts.is_empty() {
        first.push(format!(
            "Tell the owner ({}) first: {}.",
            ident.owner,
            ident.contacts.join(", ")
        ));
    }
    if let Some(rb) = &runbook {
        first.push(format!("Follow the owner's runbook: {rb}"));
        r.summary = format!(
            "Follow the runbook {rb} (owner {}). {}",
            ident.owner, r.summary
        );
    }
    if ident.status == "retired" {
        r.summary = format!(
            "Identity `{}` is retired, so this credential should be dead: revoke it now. {}",
            ident.id, r.summary
        );
    }
    first.append(&mut r.steps);
    r.steps = first;
    r.runbook = runbook;
    r
}

/// Correlates `findings` with `manifest` (when there is one) as of `today`, and fills
/// every finding's rotation guidance. Retired identities escalate to critical.
pub fn apply(manifest: Option<&Manifest>, findings: &mut [Finding], today: Date) {
    let Some(m) = manifest else {
        for f in findings.iter_mut() {
            f.rotation = Some(rotation::guidance_for(&f.rule_id, &f.provider));
            flag_credential_expiry(f, today);
        }
        return;
    };
    let near = neighbours(findings);
    let owners: Vec<Option<Owner>> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let paired: Vec<&[u8]> = near[i]
                .iter()
                .map(|&j| findings[j].secret_bytes.expose())
                .collect();
            owner_of(m, f, &paired)
        })
        .collect();
    // One secret, several identities: by assignment or by explicit fingerprint selectors.
    let mut by_fp: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for (f, o) in findings.iter().zip(&owners) {
        let set = by_fp.entry(f.fingerprint.as_str()).or_default();
        if let Some(o) = o {
            set.insert(m.identities[o.identity].id.as_str());
        }
    }
    for ident in &m.identities {
        for c in &ident.credentials {
            for fp in &c.selector.fingerprints {
                if let Some(set) = by_fp.get_mut(fp.as_str()) {
                    set.insert(ident.id.as_str());
                }
            }
        }
    }
    let reused: BTreeSet<String> = by_fp
        .into_iter()
        .filter(|(_, ids)| ids.len() > 1)
        .map(|(fp, _)| fp.to_owned())
        .collect();
    for (f, o) in findings.iter_mut().zip(owners) {
        let mut fl: Vec<Flag> = Vec::new();
        match o {
            None => {
                fl.push(Flag::Unowned);
                f.identity = None;
                f.rotation = Some(rotation_for(f, None));
            }
            Some(o) => {
                let ident = &m.identities[o.identity];
                let cred = &ident.credentials[o.credential];
                f.identity = Some(IdentityRef {
                    id: ident.id.clone(),
                    owner: ident.owner.clone(),
                    kind: ident.kind.clone(),
                    status: ident.status.clone(),
                });
                if ident.status == "retired" {
                    fl.push(Flag::RetiredIdentity);
                    f.severity = Severity::Critical;
                }
                if cred.rotation_overdue(today) {
                    fl.push(Flag::RotationOverdue);
                }
                if ident.never_reviewed() {
                    fl.push(Flag::NeverReviewed);
                } else if ident.review_stale(today) {
                    fl.push(Flag::ReviewStale);
                }
                if ident.expired(today) || cred.expired(today) {
                    fl.push(Flag::Expired);
                }
                if let (Some(seen), Some(rotated)) = (first_seen(f), cred.rotation.last_rotated) {
                    // Committed on the rotation day counts as after: it may be the new key.
                    fl.push(if seen >= rotated {
                        Flag::ExposedAfterRotation
                    } else {
                        Flag::PredatesRotation
                    });
                }
                f.rotation = Some(rotation_for(f, Some((ident, cred))));
            }
        }
        if reused.contains(&f.fingerprint) {
            fl.push(Flag::Reused);
        }
        for x in fl {
            if !f.flags.contains(&x) {
                f.flags.push(x);
            }
        }
        flag_credential_expiry(f, today);
    }
}

/// Flags `credential-expired` when the credential's own expiry (its facts) is before
/// `today`, with or without a manifest.
fn flag_credential_expiry(f: &mut Finding, today: Date) {
    if f.facts.expired(today) && !f.credential_expired() {
        f.flags.push(Flag::CredentialExpired);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{fingerprint, CommitInfo, SourceKind};
    use crate::nhi::manifest::{merge, parse_manifest};
    use crate::rules::CredentialKind;

    fn finding(rule: &str, provider: &str, path: &str, line: usize, secret: &str) -> Finding {
        Finding {
            rule_id: rule.into(),
            rule_name: rule.into(),
            provider: provider.into(),
            credential: CredentialKind::ApiToken,
            severity: Severity::High,
            fingerprint: fingerprint(secret.as_bytes()),
            path: path.into(),
            raw_path: None,
            line,
            column: 1,
            end_line: line,
            end_column: 2,
            redacted: "****".into(),
            secret: None,
            source: SourceKind::Worktree,
            commit: None,
            first_commit: None,
            last_commit: None,
            in_head: None,
            commits: None,
            identity: None,
            flags: Vec::new(),
            rotation: None,
            decoded: Vec::new(),
            facts: Default::default(),
            secret_bytes: crate::secret::Secret::new(secret),
            line_hash: None,
            repository: None,
        }
    }

    fn manifest(text: &str) -> Manifest {
        merge(vec![(
            "m.toml".into(),
            parse_manifest("m.toml", text, None).unwrap(),
        )])
    }

    fn ident(id: &str, status: &str, selector: &str, rotation: &str) -> String {
        format!(
            "[[identity]]\nid = \"{id}\"\nkind = \"bot\"\nowner = \"o-{id}\"\npurpose = \"p\"\nstatus = \"{status}\"\ncontacts = [\"@c\"]\nreview = {{ last_reviewed = 2026-10-01 }}\n  [[identity.credential]]\n  match = {{ {selector} }}\n  {rotation}\n"
        )
    }

    fn today() -> Date {
        Date::parse("2026-11-01").unwrap()
    }

    fn id_of(f: &Finding) -> Option<&str> {
        f.identity.as_ref().map(|i| i.id.as_str())
    }

    #[test]
    fn precedence_fingerprint_over_key_over_rule_path_over_rule() {
        let fp = fingerprint(b"secret-one");
        let text = [
            ident("by-fp", "active", &format!("fingerprints = [\"{fp}\"]"), ""),
            ident("by-key", "active", "key_ids = [\"-one\"]", ""),
            ident(
                "by-rule-path",
                "active",
                "rules = [\"github.\"], paths = [\"ci/**\"]",
                "",
            ),
            ident("by-rule", "active", "rules = [\"github.\"]", ""),
        ]
        .concat();
        let m = manifest(&text);
        let mut fs = vec![
            finding("github.pat", "github", "ci/a.yml", 1, "secret-one"),
            finding("github.pat", "github", "ci/b.yml", 1, "secret-two"),
            finding("github.pat", "github", "src/c.rs", 1, "secret-three"),
            finding("slack.bot", "slack", "src/c.rs", 20, "secret-four"),
        ];
        apply(Some(&m), &mut fs, today());
        assert_eq!(id_of(&fs[0]), Some("by-fp"));
        assert_eq!(id_of(&fs[1]), Some("by-rule-path"));
        assert_eq!(id_of(&fs[2]), Some("by-rule"));
        assert_eq!(id_of(&fs[3]), None);
        assert_eq!(fs[3].flags, vec!["unowned"]);
        assert!(fs[0].flags.is_empty(), "{:?}", fs[0].flags);
        // the owner's contacts come first in the steps
        let r = fs[0].rotation.as_ref().unwrap();
        assert!(r.steps[0].contains("@c"), "{:?}", r.steps);
    }

    #[test]
    fn last_entry_wins_ties() {
        let text = [
            ident("first", "active", "rules = [\"github.\"]", ""),
            ident("second", "active", "rules = [\"github.pat\"]", ""),
        ]
        .concat();
        let mut fs = vec![finding("github.pat", "github", "a", 1, "s1")];
        apply(Some(&manifest(&text)), &mut fs, today());
        assert_eq!(id_of(&fs[0]), Some("second"));
    }

    #[test]
    fn key_id_pairs_with_the_secret_next_to_it() {
        let key_id = format!("AKIA{}", "Q3ZXK7WJ5N2P4R6T");
        let text = ident(
            "aws-deployer",
            "active",
            &format!("key_ids = [\"{key_id}\"]"),
            "",
        );
        let mut fs = vec![
            finding("aws.access-key-id", "aws", "d/a.env", 3, &key_id),
            finding(
                "aws.secret-access-key",
                "aws",
                "d/a.env",
                4,
                "wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY1",
            ),
            finding(
                "aws.secret-access-key",
                "aws",
                "d/b.env",
                4,
                "zJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY2",
            ),
        ];
        apply(Some(&manifest(&text)), &mut fs, today());
        assert_eq!(id_of(&fs[0]), Some("aws-deployer"));
        assert_eq!(id_of(&fs[1]), Some("aws-deployer"));
        assert_eq!(id_of(&fs[2]), None);
    }

    #[test]
    fn flags_retired_overdue_stale_and_rotation_dates() {
        let text = [
            ident(
                "old",
                "retired",
                "paths = [\"old/**\"]",
                "rotation = { period_days = 30, last_rotated = 2026-06-01 }",
            ),
            ident(
                "rot",
                "active",
                "paths = [\"rot/**\"]",
                "rotation = { last_rotated = 2026-09-01, runbook = \"https://rb\" }",
            ),
        ]
        .concat()
        .replace(
            "[[identity]]\nid = \"rot\"",
            "[defaults]\nreview_interval_days = 7\n[[identity]]\nid = \"rot\"",
        );
        let m = manifest(&text);
        let commit = |date: &str| CommitInfo {
            id: "c".repeat(40),
            author: "a".into(),
            email: "a@x".into(),
            date: date.into(),
            message_summary: "m".into(),
        };
        let mut a = finding("x.y", "github", "old/k", 1, "s1");
        a.first_commit = Some(commit("2026-05-01T10:00:00Z"));
        let mut b = finding("x.y", "github", "rot/k", 1, "s2");
        b.commit = Some(commit("2026-09-02T10:00:00+02:00"));
        let mut c = finding("x.y", "github", "rot/j", 1, "s3");
        c.first_commit = Some(commit("2026-08-31T23:00:00Z"));
        let mut fs = vec![a, b, c];
        apply(Some(&m), &mut fs, today());
        assert_eq!(fs[0].severity, Severity::Critical);
        assert_eq!(
            fs[0].flags,
            vec![
                "retired-identity",
                "rotation-overdue",
                "review-stale",
                "predates-rotation"
            ]
        );
        assert!(fs[0].rotation.as_ref().unwrap().summary.contains("retired"));
        // 2026-09-01 + 90 = 2026-11-30: not overdue; review 2026-10-01 + 7 is stale
        assert_eq!(fs[1].flags, vec!["review-stale", "exposed-after-rotation"]);
        assert_eq!(
            fs[1].rotation.as_ref().unwrap().runbook.as_deref(),
            Some("https://rb")
        );
        assert_eq!(fs[2].flags, vec!["review-stale", "predates-rotation"]);
    }

    #[test]
    fn reuse_across_identities() {
        let text = [
            ident("a", "active", "paths = [\"a/**\"]", ""),
            ident("b", "active", "paths = [\"b/**\"]", ""),
        ]
        .concat();
        let mut fs = vec![
            finding("x.y", "github", "a/1", 1, "same"),
            finding("x.y", "github", "b/1", 1, "same"),
            finding("x.y", "github", "b/2", 1, "other"),
        ];
        apply(Some(&manifest(&text)), &mut fs, today());
        assert!(fs[0].flags.contains(&Flag::Reused));
        assert!(fs[1].flags.contains(&Flag::Reused));
        assert!(!fs[2].flags.contains(&Flag::Reused));
    }

    #[test]
    fn no_manifest_still_gives_rotation_and_no_flags() {
        let mut fs = vec![finding("github.pat", "github", "a", 1, "s")];
        apply(None, &mut fs, today());
        assert!(fs[0].flags.is_empty());
        assert!(fs[0].rotation.as_ref().unwrap().docs[0].starts_with("https://"));
    }

    #[test]
    fn ranking_puts_unowned_first_within_a_severity() {
        let mut a = finding("x", "p", "a", 1, "s");
        a.identity = Some(IdentityRef {
            id: "i".into(),
            owner: "o".into(),
            kind: "bot".into(),
            status: "active".into(),
        });
        let mut b = finding("x", "p", "b", 1, "s");
        b.flags.push(Flag::Unowned);
        let mut c = finding("x", "p", "c", 1, "s");
        c.severity = Severity::Critical;
        let mut v = vec![a, b, c];
        crate::finding::rank_findings(&mut v);
        let order: Vec<&str> = v.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(order, vec!["c", "b", "a"]);
    }
}
