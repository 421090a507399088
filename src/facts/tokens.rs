//! Token prefixes that say what a token is: whose it acts as (a person, a bot, an app
//! installation), how far it reaches (classic vs fine-grained, full vs restricted, live
//! vs test) and, where the format or its neighbourhood carries one, the account.
//!
//! Sources: GitHub, "Behind GitHub's new authentication token formats" (2021: `ghp_`
//! personal, `gho_` OAuth, `ghu_` user-to-server, `ghs_` server-to-server, `ghr_`
//! refresh) and "Managing your personal access tokens" (`github_pat_` fine-grained);
//! GitLab, "GitLab token overview", token prefixes (`glpat-`, `gldt-`, `glptt-`,
//! `glrt-`, `glcbt-`, `glft-`, `glimt-`, `gloas-`, `glsoat-`, `glagent-`); Slack, "Token
//! types" (`xoxb-` bot, `xoxp-` user, `xapp-` app-level, `xoxe.` rotating configuration)
//! and "Sending messages using incoming webhooks" (`hooks.slack.com/services/T.../B...`,
//! the `T` id is the workspace); Stripe, "API keys" (`sk_live_`, `sk_test_`, `rk_` restricted,
//! `pk_` publishable) and "Webhooks" (`whsec_`); Twilio, "Auth tokens and how to change
//! them" (the Account SID `AC` + 32 hex beside its auth token); OpenAI, "API keys"
//! (`sk-proj-` project, `sk-svcacct-` service account, `sk-admin-` admin); Anthropic,
//! "Admin API" (`sk-ant-admin01-` admin keys, `sk-ant-api03-` API keys).

use std::sync::OnceLock;

use regex::Regex;

use super::{Context, Facts, Privilege};

/// (prefix, kind, privilege), longest prefixes first where they share a start.
const PREFIXES: &[(&str, &str, Option<Privilege>)] = &[
    (
        "github_pat_",
        "github-fine-grained-pat",
        Some(Privilege::Narrow),
    ),
    ("ghp_", "github-classic-pat", Some(Privilege::Broad)),
    ("gho_", "github-oauth-user-token", Some(Privilege::User)),
    ("ghu_", "github-app-user-token", Some(Privilege::User)),
    (
        "ghs_",
        "github-app-installation-token",
        Some(Privilege::Bot),
    ),
    ("ghr_", "github-refresh-token", Some(Privilege::User)),
    (
        "glpat-",
        "gitlab-personal-access-token",
        Some(Privilege::User),
    ),
    ("gldt-", "gitlab-deploy-token", Some(Privilege::Narrow)),
    (
        "glptt-",
        "gitlab-pipeline-trigger-token",
        Some(Privilege::Narrow),
    ),
    ("glrt-", "gitlab-runner-token", Some(Privilege::Narrow)),
    (
        "GR1348941",
        "gitlab-runner-registration-token",
        Some(Privilege::Narrow),
    ),
    ("glcbt-", "gitlab-ci-job-token", Some(Privilege::Narrow)),
    ("glft-", "gitlab-feed-token", Some(Privilege::Narrow)),
    (
        "glimt-",
        "gitlab-incoming-mail-token",
        Some(Privilege::Narrow),
    ),
    ("gloas-", "gitlab-oauth-application-secret", None),
    ("glsoat-", "gitlab-scim-oauth-token", Some(Privilege::Broad)),
    ("glagent-", "gitlab-agent-token", Some(Privilege::Narrow)),
    ("xoxb-", "slack-bot-token", Some(Privilege::Bot)),
    ("xoxp-", "slack-user-token", Some(Privilege::User)),
    ("xoxa-", "slack-workspace-app-token", Some(Privilege::Bot)),
    ("xoxr-", "slack-refresh-token", Some(Privilege::User)),
    ("xoxe.", "slack-configuration-token", Some(Privilege::Broad)),
    ("xoxe-", "slack-refresh-token", Some(Privilege::User)),
    ("xapp-", "slack-app-level-token", Some(Privilege::Bot)),
    ("sk_live_", "stripe-live-secret-key", Some(Privilege::Broad)),
    (
        "sk_test_",
        "stripe-test-secret-key",
        Some(Privilege::Narrow),
    ),
    (
        "rk_live_",
        "stripe-live-restricted-key",
        Some(Privilege::Narrow),
    ),
    (
        "rk_test_",
        "stripe-test-restricted-key",
        Some(Privilege::Narrow),
    ),
    (
        "pk_live_",
        "stripe-live-publishable-key",
        Some(Privilege::Narrow),
    ),
    (
        "pk_test_",
        "stripe-test-publishable-key",
        Some(Privilege::Narrow),
    ),
    ("whsec_", "webhook-signing-secret", Some(Privilege::Narrow)),
    (
        "sk-ant-admin01-",
        "anthropic-admin-key",
        Some(Privilege::Broad),
    ),
    ("sk-ant-api03-", "anthropic-api-key", None),
    ("sk-admin-", "openai-admin-key", Some(Privilege::Broad)),
    (
        "sk-svcacct-",
        "openai-service-account-key",
        Some(Privilege::Bot),
    ),
    ("sk-proj-", "openai-project-key", Some(Privilege::Narrow)),
];

fn slack_webhook_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"hooks\.slack(?:-gov)?\.com/(services|workflows|triggers)/(T[A-Z0-9]{6,12})/")
            .expect("static regex")
    })
}

fn twilio_sid_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\bAC[0-9a-f]{32}\b").expect("static regex"))
}

/// The kind, reach and account a token's format gives.
pub fn extract(secret: &str, provider: &str, cx: &Context<'_>) -> Option<Facts> {
    if let Some((_, kind, privilege)) = PREFIXES.iter().find(|(p, _, _)| secret.starts_with(p)) {
        let mut f = Facts {
            kind: Some((*kind).to_owned()),
            privilege: *privilege,
            ..Facts::default()
        };
        if kind.starts_with("slack") {
            // `xoxb-`/`xoxp-` tokens: the first numeric field is the workspace's (team's)
            // number, the second the bot or user's; both are identifiers, not secret.
            let mut fields = secret.split('-').skip(1);
            if let (Some(team), Some(_)) = (fields.next(), fields.next()) {
                if !team.is_empty() && team.bytes().all(|b| b.is_ascii_digit()) {
                    f.account = Some(team.to_owned());
                }
            }
        }
        return Some(f);
    }
    let line = cx.line();
    if let Some(c) = slack_webhook_re().captures(line) {
        return Some(Facts {
            kind: Some(format!("slack-{}-webhook", c[1].trim_end_matches('s'))),
            account: Some(c[2].to_owned()),
            privilege: Some(Privilege::Narrow),
            ..Facts::default()
        });
    }
    if provider == "twilio" {
        let (text, at) = cx.around(5);
        let sid = twilio_sid_re()
            .find_iter(text)
            .filter(|m| m.as_str() != secret)
            .min_by_key(|m| m.start().abs_diff(at))?;
        return Some(Facts {
            kind: Some("twilio-auth-token".to_owned()),
            account: Some(sid.as_str().to_owned()),
            privilege: Some(Privilege::Broad),
            ..Facts::default()
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(text: &str, secret: &str, provider: &str) -> Option<Facts> {
        let at = text.find(secret).unwrap();
        extract(
            secret,
            provider,
            &Context::new(text.as_bytes(), at, at + secret.len()),
        )
    }

    #[test]
    fn prefixes_give_kind_and_reach() {
        let t = format!("ghp_{}", "A1b2".repeat(9));
        let f = facts(&t, &t, "github").unwrap();
        assert_eq!(f.kind.as_deref(), Some("github-classic-pat"));
        assert_eq!(f.privilege, Some(Privilege::Broad));
        let t = format!("github_pat_{}", "A1b2".repeat(20));
        assert_eq!(
            facts(&t, &t, "github").unwrap().privilege,
            Some(Privilege::Narrow)
        );
        let t = format!("ghs_{}", "A1b2".repeat(9));
        assert_eq!(
            facts(&t, &t, "github").unwrap().privilege,
            Some(Privilege::Bot)
        );
        let t = format!("rk_live_{}", "A1b2".repeat(6));
        assert_eq!(
            facts(&t, &t, "stripe").unwrap().kind.as_deref(),
            Some("stripe-live-restricted-key")
        );
        let t = format!("gldt-{}", "A1b2".repeat(5));
        assert_eq!(
            facts(&t, &t, "gitlab").unwrap().kind.as_deref(),
            Some("gitlab-deploy-token")
        );
    }

    #[test]
    fn slack_tokens_and_webhooks_name_the_workspace() {
        let t = "xoxb-123456789012-987654321098-AbCdEfGhIjKlMnOpQrStUvWx"; // keytrace:allow
        let f = facts(t, t, "slack").unwrap();
        assert_eq!(f.kind.as_deref(), Some("slack-bot-token"));
        assert_eq!(f.account.as_deref(), Some("123456789012"));
        let url = "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/AbCdEfGhIjKlMnOpQrStUvWx"; // keytrace:allow
        let f = facts(url, "AbCdEfGhIjKlMnOpQrStUvWx", "slack").unwrap();
        assert_eq!(f.account.as_deref(), Some("T0123ABCD"));
        assert_eq!(f.kind.as_deref(), Some("slack-service-webhook"));
    }

    #[test]
    fn twilio_auth_token_takes_its_account_sid() {
        let text = "TWILIO_ACCOUNT_SID=AC0123456789abcdef0123456789abcdef\nTWILIO_AUTH_TOKEN=fedcba9876543210fedcba9876543210\n"; // keytrace:allow
        let f = facts(text, "fedcba9876543210fedcba9876543210", "twilio").unwrap();
        assert_eq!(
            f.account.as_deref(),
            Some("AC0123456789abcdef0123456789abcdef")
        );
    }
}
