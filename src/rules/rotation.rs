//! Rotation guidance per provider: how to generate a new credential, replace it
//! everywhere, and revoke the old one, in our own words, with the provider's official
//! documentation. The guides are data beside the rules, `patterns/rotation/*.toml`
//! (embedded at build time, which checks their fields):
//!
//! ```toml
//! providers = ["hashicorp"]          # the rules' `provider` slugs this guide serves
//! rules = ["hashicorp.vault."]       # optional: only these rule ids or prefixes
//! what = "Vault token"               # what the credential is called, for the sentences
//! generate = "issue a new token ..." # how to make the new one
//! revoke = "revoke the old token ..."
//! docs = ["https://developer.hashicorp.com/vault/docs/concepts/tokens"]
//! ```
//!
//! A finding gets the guide whose `rules` select its rule id (the longest selector wins),
//! else its provider's guide without `rules`, else the generic guidance. A provider
//! without a guide file needs nothing: its rules get the generic guidance. `rules check`
//! checks that every guide's selectors name rules and every link is https.
//!
//! The steps are deliberately short: they tell a developer where to click or what to call,
//! and the link carries the detail. The owner's runbook from the manifest, when there is
//! one, is put in front of these steps by `nhi::correlate`.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// How to rotate the credential.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct Rotation {
    /// One sentence.
    pub summary: String,
    /// Generate, replace, revoke.
    pub steps: Vec<String>,
    /// Official documentation links.
    pub docs: Vec<String>,
    /// The owner's runbook from the manifest.
    pub runbook: Option<String>,
}

const REPLACE: &str =
    "Replace: store the new value in your secret manager or CI secrets (never in \
     the repository) and redeploy every service, job and laptop that used the old one.";
const AUDIT: &str = "Audit: check the provider's access or audit logs for use of the old \
     credential since it was first committed.";
const HISTORY: &str = "Deleting the line or rewriting git history does not revoke anything: \
     clones, forks, CI caches and mirrors keep the old value.";

const GENERIC_DOCS: &[&str] =
    &["https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html"];

/// One guide, as written in `patterns/rotation/<name>.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guide {
    /// Provider slugs from the rule pack.
    pub providers: Vec<String>,
    /// Rule ids or prefixes this guide is limited to (empty: every rule of the providers).
    #[serde(default)]
    pub rules: Vec<String>,
    /// What the credential is called, for the sentences.
    pub what: String,
    /// How to make the new one.
    pub generate: String,
    /// How to kill the old one.
    pub revoke: String,
    /// Official documentation (https).
    pub docs: Vec<String>,
    /// The file it came from.
    #[serde(skip)]
    pub file: String,
}

include!(concat!(env!("OUT_DIR"), "/rotation_guides.rs"));

/// Every built-in guide, parsed once. build.rs has checked each file's fields, so a file
/// that does not parse here cannot occur; it would only lose its guide (the generic one
/// applies), never fail a scan.
pub fn guides() -> &'static [Guide] {
    static GUIDES: OnceLock<Vec<Guide>> = OnceLock::new();
    GUIDES.get_or_init(|| {
        GUIDE_FILES
            .iter()
            .filter_map(|(file, text)| {
                let mut g: Guide = toml::from_str(text).ok()?;
                g.file = (*file).to_owned();
                Some(g)
            })
            .collect()
    })
}

/// The guide for `rule_id` of `provider`: one whose `rules` select the rule (the longest
/// selector wins), else the provider's own guide without `rules`.
pub fn guide_for(rule_id: &str, provider: &str) -> Option<&'static Guide> {
    let by_rule = guides()
        .iter()
        .filter_map(|g| {
            g.rules
                .iter()
                .filter(|sel| super::id_selects(sel, rule_id))
                .map(String::len)
                .max()
                .map(|len| (len, g))
        })
        .max_by_key(|&(len, _)| len)
        .map(|(_, g)| g);
    by_rule.or_else(|| provider_guide(provider))
}

/// The provider's own guide (one without `rules`).
fn provider_guide(provider: &str) -> Option<&'static Guide> {
    guides()
        .iter()
        .find(|g| g.rules.is_empty() && g.providers.iter().any(|p| p == provider))
}

fn steps(g: &Guide) -> Vec<String> {
    vec![
        format!("Generate: {}", g.generate),
        REPLACE.to_owned(),
        format!("Revoke: {}", g.revoke),
        AUDIT.to_owned(),
        HISTORY.to_owned(),
    ]
}

/// Rotation guidance for a provider slug (as in `patterns/*.toml`): its own guide, else
/// the generic guidance.
pub fn guidance(provider: &str) -> Rotation {
    provider_guide(provider).map_or_else(generic, from_guide)
}

/// Rotation guidance for a finding of rule `rule_id` from `provider` (see [`guide_for`]).
pub fn guidance_for(rule_id: &str, provider: &str) -> Rotation {
    guide_for(rule_id, provider).map_or_else(generic, from_guide)
}

fn from_guide(g: &Guide) -> Rotation {
    Rotation {
        summary: format!(
            "Rotate this {}: generate a new one, replace it everywhere, then revoke the old one.",
            g.what
        ),
        steps: steps(g),
        docs: g.docs.clone(),
        runbook: None,
    }
}

/// The guidance for a credential keytrace knows nothing specific about.
pub fn generic() -> Rotation {
    Rotation {
        summary:
            "Rotate this credential: issue a new one, replace it everywhere, revoke the old one; \
                  removing it from the code is not enough."
                .to_owned(),
        steps: vec![
            "Generate: issue a new credential at the service that accepts it (find it from the \
             variable name, host or URL next to the secret)."
                .to_owned(),
            REPLACE.to_owned(),
            "Revoke: disable or delete the old credential at the service; if it cannot be \
             revoked, change the password or key it derives from."
                .to_owned(),
            AUDIT.to_owned(),
            HISTORY.to_owned(),
        ],
        docs: GENERIC_DOCS.iter().map(|d| (*d).to_owned()).collect(),
        runbook: None,
    }
}

/// Whether a provider has its own guidance (not the generic one).
pub fn has_guidance(provider: &str) -> bool {
    guides()
        .iter()
        .any(|g| g.providers.iter().any(|p| p == provider))
}

/// The provider slugs with their own guidance.
pub fn providers() -> Vec<&'static str> {
    let mut v: Vec<&str> = guides()
        .iter()
        .filter(|g| g.rules.is_empty())
        .flat_map(|g| g.providers.iter().map(String::as_str))
        .collect();
    v.sort_unstable();
    v
}

/// Whether `s` is an absolute `https://host/...` URI with only characters a URI may hold
/// (GitHub rejects a `helpUri` that is not a valid absolute URI).
pub fn is_https_uri(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RulePack;

    #[test]
    fn forty_providers_with_their_own_guidance() {
        let specific = guides()
            .iter()
            .filter(|g| g.providers.len() == 1 && g.rules.is_empty())
            .count();
        assert!(
            specific >= 40,
            "only {specific} providers have their own guide"
        );
        let mut all = providers();
        let n = all.len();
        all.dedup();
        assert_eq!(n, all.len(), "a slug appears in two provider guides");
        assert_eq!(
            guides().len(),
            GUIDE_FILES.len(),
            "a guide file did not parse"
        );
    }

    #[test]
    fn every_guide_is_complete_and_links_https() {
        for g in guides() {
            assert!(!g.docs.is_empty(), "{}", g.file);
            for d in &g.docs {
                assert!(d.starts_with("https://"), "{d}");
            }
            let r = from_guide(g);
            assert_eq!(r.steps.len(), 5);
            assert!(r.steps[0].starts_with("Generate:"));
            assert!(r.steps[2].starts_with("Revoke:"));
        }
    }

    /// Every rule resolves to a guide: its own, its provider's, or the generic one (so a
    /// new provider file without a guide needs no edit here).
    #[test]
    fn every_rule_gets_guidance() {
        let pack = RulePack::builtin();
        for r in pack.rules() {
            let g = guidance_for(&r.spec.id, &r.spec.provider);
            assert_eq!(g.steps.len(), 5, "{}", r.spec.id);
            assert!(!g.docs.is_empty(), "{}", r.spec.id);
        }
        assert!(guidance("no-such-provider").summary.contains("not enough"));
        assert!(!guidance("aws").docs.is_empty());
    }

    /// Issue 12 item 17: a guide's link fits its credential.
    #[test]
    fn product_guides_beat_the_provider_guide() {
        let vault = guidance_for("hashicorp.vault.service-token", "hashicorp");
        assert!(vault.docs[0].contains("/vault/"), "{:?}", vault.docs);
        let tf = guidance_for("hashicorp.terraform.api-token", "hashicorp");
        assert!(tf.docs[0].contains("/terraform/"), "{:?}", tf.docs);
        let pem = guidance_for("privatekey.pem.pkcs8", "privatekey");
        assert!(pem.docs[0].contains("openssl"), "{:?}", pem.docs);
        let ssh = guidance_for("privatekey.openssh", "privatekey");
        assert!(ssh.docs[0].contains("ssh-keygen"), "{:?}", ssh.docs);
        // Without a rule guide, the provider's own.
        assert_eq!(guidance_for("aws.access-key-id", "aws"), guidance("aws"));
    }
}
