//! Shared descriptions of findings and rules that every output format words the same way:
//! the headline naming the credential and its owner, where it came from in git, its
//! rotation guidance, the names of scan modes and credential kinds.

use crate::escape::sanitize;
use crate::finding::{CommitInfo, Finding, Rotation, SourceKind};
use crate::rules::CredentialKind;

/// The name of a scan mode in categories and messages.
pub fn mode_name(mode: SourceKind) -> &'static str {
    match mode {
        SourceKind::Worktree => "worktree",
        SourceKind::Staged => "staged",
        SourceKind::Range => "range",
        SourceKind::History => "history",
        SourceKind::Stdin => "stdin",
    }
}

pub use crate::rules::rotation::is_https_uri;

/// What a kind of credential is, for sentences.
pub fn credential_phrase(kind: CredentialKind) -> &'static str {
    match kind {
        CredentialKind::ApiToken => "an API token",
        CredentialKind::ApiKeyPair => "an API key pair (a key id and its secret)",
        CredentialKind::PrivateKey => "a private key",
        CredentialKind::Password => "a password",
        CredentialKind::ConnectionString => "a connection string with an embedded password",
        CredentialKind::Webhook => "a webhook URL whose secret grants access",
        CredentialKind::OauthClientSecret => "an OAuth client secret",
        CredentialKind::JwtSigningKey => "a JWT signing key",
        CredentialKind::Generic => "a secret assigned in code or configuration",
    }
}

/// The first sentence of every message: the credential and its owner.
pub fn headline(f: &Finding) -> String {
    match &f.identity {
        Some(id) => format!(
            "{} owned by {} (identity {}).",
            sanitize(&f.rule_name),
            sanitize(&id.owner),
            sanitize(&id.id)
        ),
        None if f.is_unowned() => format!(
            "{}, unowned: no identity in the manifest claims it.",
            sanitize(&f.rule_name)
        ),
        // No manifest: nothing is on record, which is not the same as unowned (issue 12,
        // item 9).
        None => format!(
            "{}, owner unknown: no NHI manifest (.keytrace/identities.toml) names owners.",
            sanitize(&f.rule_name)
        ),
    }
}

/// Short commit id and date, for messages.
pub fn commit_phrase(c: &CommitInfo) -> String {
    let short: String = c.id.chars().take(12).collect();
    let day: String = c.date.chars().take(10).collect();
    format!("{} ({})", sanitize(&short), sanitize(&day))
}

/// Where the finding came from in git, as a sentence, if anywhere.
pub fn provenance(f: &Finding) -> Option<String> {
    if let Some(first) = &f.first_commit {
        let mut s = format!("First committed in {}", commit_phrase(first));
        if let Some(n) = f.commits {
            s.push_str(&format!(", present in {n} commits"));
        }
        match f.in_head {
            Some(true) => s.push_str(", still in HEAD"),
            Some(false) => s.push_str(", no longer in HEAD (history only)"),
            None => {}
        }
        s.push('.');
        return Some(s);
    }
    f.commit
        .as_ref()
        .map(|c| format!("Added in commit {}.", commit_phrase(c)))
}

/// The rotation guidance a finding carries, or its provider's.
pub fn rotation_of(f: &Finding) -> Rotation {
    f.rotation
        .clone()
        .unwrap_or_else(|| crate::rules::rotation::guidance_for(&f.rule_id, &f.provider))
}
