//! Rotation guidance per provider: how to generate a new credential, replace it
//! everywhere, and revoke the old one, in our own words, with the provider's official
//! documentation. Providers are keyed by the `provider` slug of the rule pack
//! (`patterns/*.toml`); anything else gets the generic guidance.
//!
//! The steps are deliberately short: they tell a developer where to click or what to call,
//! and the link carries the detail. The owner's runbook from the manifest, when there is
//! one, is put in front of these steps by `nhi::correlate`.

use crate::finding::Rotation;

/// Guidance for one provider (or a family of slugs sharing it).
struct Guide {
    /// Provider slugs from the rule pack.
    slugs: &'static [&'static str],
    /// What the credential is called, for the sentences.
    what: &'static str,
    /// How to make the new one.
    generate: &'static str,
    /// How to kill the old one.
    revoke: &'static str,
    /// Official documentation.
    docs: &'static [&'static str],
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

const DATABASE_REVOKE: &str = "change or expire the old password on the server (for a \
     shared account, create a new user, move clients to it, then drop the old user) and \
     close sessions opened with it.";

static GUIDES: &[Guide] = &[
    Guide {
        slugs: &["aws"],
        what: "AWS access key",
        generate: "create a second access key for the same IAM user (IAM > Users > Security credentials; a user may hold two), or better, move the workload to an IAM role with temporary credentials.",
        revoke: "mark the old key Inactive, watch for failures, then delete it; if it belonged to a role session, revoke active sessions on the role.",
        docs: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html"],
    },
    Guide {
        slugs: &["google", "firebase"],
        what: "Google Cloud credential",
        generate: "for a service account key, create a new key for the same service account (IAM > Service accounts > Keys), or switch to workload identity federation; for an API key, create a new key with the same API and application restrictions.",
        revoke: "delete the old service account key (or disable it first), or delete / regenerate the API key.",
        docs: &[
            "https://cloud.google.com/iam/docs/keys-create-delete",
            "https://cloud.google.com/docs/authentication/api-keys",
        ],
    },
    Guide {
        slugs: &["azure"],
        what: "Azure credential",
        generate: "for a storage or service key, regenerate the secondary key and switch clients to it; for an app registration, add a new client secret or certificate; prefer managed identities where the workload runs in Azure.",
        revoke: "regenerate the old primary key, or delete the old client secret from the app registration; for a SAS token, rotate the key that signed it.",
        docs: &[
            "https://learn.microsoft.com/en-us/azure/storage/common/storage-account-keys-manage",
            "https://learn.microsoft.com/en-us/entra/identity-platform/how-to-add-credentials",
        ],
    },
    Guide {
        slugs: &["github"],
        what: "GitHub token",
        generate: "create a fine-grained personal access token (or a GitHub App installation token) with only the repositories and permissions needed, and an expiry.",
        revoke: "delete the old token under Settings > Developer settings > Personal access tokens (or revoke the OAuth/App authorization); an organization owner can also revoke it from the organization's settings.",
        docs: &["https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/managing-your-personal-access-tokens"],
    },
    Guide {
        slugs: &["gitlab"],
        what: "GitLab token",
        generate: "create a new personal, project or group access token with the narrowest scopes and an expiry date, or use the token's Rotate action, which issues a new value.",
        revoke: "revoke the old token under Access tokens (rotating revokes it for you); for a runner or deploy token, reset it in the project's CI/CD settings.",
        docs: &["https://docs.gitlab.com/ee/user/profile/personal_access_tokens.html"],
    },
    Guide {
        slugs: &["bitbucket"],
        what: "Bitbucket credential",
        generate: "create a new API token or repository/workspace access token with the needed scopes.",
        revoke: "revoke the old app password or access token in the Bitbucket settings.",
        docs: &["https://support.atlassian.com/bitbucket-cloud/docs/api-tokens/"],
    },
    Guide {
        slugs: &["atlassian"],
        what: "Atlassian API token",
        generate: "create a new API token from the Atlassian account security page, with an expiry.",
        revoke: "revoke the old token on the same page (an organization admin can revoke users' tokens too).",
        docs: &["https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/"],
    },
    Guide {
        slugs: &["slack"],
        what: "Slack token or webhook",
        generate: "for an app token, reinstall the app or use token rotation to get a new one; for an incoming webhook, add a new webhook URL to the app; for a signing secret, regenerate it in the app's Basic Information.",
        revoke: "revoke the old token with auth.revoke (or by removing the app from the workspace), and delete the old webhook URL from the app's Incoming Webhooks.",
        docs: &[
            "https://api.slack.com/authentication/rotation",
            "https://api.slack.com/authentication/token-types",
        ],
    },
    Guide {
        slugs: &["microsoft-teams"],
        what: "Microsoft Teams webhook",
        generate: "create a new incoming webhook (or Workflows webhook) for the channel.",
        revoke: "remove the old webhook connector or workflow from the channel so its URL stops accepting posts.",
        docs: &["https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook"],
    },
    Guide {
        slugs: &["discord"],
        what: "Discord token or webhook",
        generate: "reset the bot token in the Developer Portal (Bot > Reset Token), or create a new webhook for the channel.",
        revoke: "the reset invalidates the old bot token; delete the old webhook in the channel's Integrations settings.",
        docs: &["https://discord.com/developers/docs/topics/oauth2"],
    },
    Guide {
        slugs: &["telegram"],
        what: "Telegram bot token",
        generate: "ask @BotFather for /revoke on the bot, which issues a new token.",
        revoke: "the /revoke command invalidates the old token at once.",
        docs: &["https://core.telegram.org/bots/features#botfather"],
    },
    Guide {
        slugs: &["stripe"],
        what: "Stripe API key",
        generate: "roll the key in the Dashboard (Developers > API keys > Roll key); Stripe can keep the old key valid for a grace period you choose; prefer restricted keys.",
        revoke: "set the old key to expire now (or at the end of the shortest workable grace period).",
        docs: &["https://docs.stripe.com/keys"],
    },
    Guide {
        slugs: &["square"],
        what: "Square access token",
        generate: "replace the personal access token in the Developer Dashboard, or issue new OAuth tokens for the application.",
        revoke: "replacing the token invalidates the old one; revoke OAuth tokens with the RevokeToken endpoint.",
        docs: &["https://developer.squareup.com/docs/build-basics/access-tokens"],
    },
    Guide {
        slugs: &["paypal"],
        what: "PayPal client secret",
        generate: "generate a new secret for the REST app in the Developer Dashboard (apps can hold two secrets during a changeover).",
        revoke: "disable, then delete the old secret in the app's settings.",
        docs: &["https://developer.paypal.com/api/rest/"],
    },
    Guide {
        slugs: &["shopify"],
        what: "Shopify access token",
        generate: "for a custom app, rotate the Admin API access token (or uninstall and reinstall the app); for a public app, rotate the client secret in the Partner Dashboard.",
        revoke: "the old custom-app token stops working once rotated or the app is uninstalled; delete the old client secret after the rotation.",
        docs: &["https://shopify.dev/docs/apps/build/authentication-authorization"],
    },
    Guide {
        slugs: &["openai"],
        what: "OpenAI API key",
        generate: "create a new project API key (or a service account key for the project) at platform.openai.com/api-keys.",
        revoke: "delete the old key on the same page; review the project's usage for spend you do not recognise.",
        docs: &[
            "https://platform.openai.com/api-keys",
            "https://help.openai.com/en/articles/5112595-best-practices-for-api-key-safety",
        ],
    },
    Guide {
        slugs: &["anthropic"],
        what: "Anthropic API key",
        generate: "create a new key in the Console (Settings > API keys), in the right workspace.",
        revoke: "disable, then delete the old key in the Console; check usage for unknown spend.",
        docs: &["https://docs.anthropic.com/en/api/getting-started"],
    },
    Guide {
        slugs: &["huggingface"],
        what: "Hugging Face token",
        generate: "create a new fine-grained access token in Settings > Access Tokens, scoped to the repositories it needs.",
        revoke: "invalidate or delete the old token on the same page.",
        docs: &["https://huggingface.co/docs/hub/security-tokens"],
    },
    Guide {
        slugs: &["cohere", "mistral", "groq", "deepseek", "xai", "perplexity", "replicate"],
        what: "AI API key",
        generate: "create a new API key in the provider's console (API keys page), one per application.",
        revoke: "delete the old key in the console and check usage and billing for calls you did not make.",
        docs: &[
            "https://docs.cohere.com/docs/rate-limits",
            "https://docs.mistral.ai/getting-started/quickstart/",
            "https://console.groq.com/docs/quickstart",
            "https://replicate.com/docs/topics/security/api-tokens",
        ],
    },
    Guide {
        slugs: &["twilio"],
        what: "Twilio credential",
        generate: "create a new API key (SID and secret) in the Console; for the account auth token, create a secondary token.",
        revoke: "delete the old API key; for the auth token, promote the secondary token, which retires the old primary.",
        docs: &["https://www.twilio.com/docs/iam/api-keys"],
    },
    Guide {
        slugs: &["sendgrid"],
        what: "SendGrid API key",
        generate: "create a new API key with restricted access (Settings > API Keys).",
        revoke: "delete the old key on the same page; check the activity feed for mail you did not send.",
        docs: &["https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys"],
    },
    Guide {
        slugs: &["mailgun"],
        what: "Mailgun key",
        generate: "create a new API key (or sending key for one domain) in the Mailgun control panel.",
        revoke: "delete the old key; reset SMTP passwords that were exposed with it.",
        docs: &["https://documentation.mailgun.com/docs/mailgun/api-reference/authentication/"],
    },
    Guide {
        slugs: &["mailchimp"],
        what: "Mailchimp API key",
        generate: "create a new API key under Profile > Extras > API keys.",
        revoke: "disable, then delete the old key on the same page.",
        docs: &["https://mailchimp.com/help/about-api-keys/"],
    },
    Guide {
        slugs: &["postmark"],
        what: "Postmark token",
        generate: "regenerate the server or account API token in the Postmark settings.",
        revoke: "regenerating the token replaces (and so revokes) the old value.",
        docs: &["https://postmarkapp.com/support/article/1008-what-are-the-account-and-server-api-tokens"],
    },
    Guide {
        slugs: &["sparkpost", "brevo", "mailjet", "resend"],
        what: "email API key",
        generate: "create a new API key with only the sending permission it needs in the provider's dashboard.",
        revoke: "delete the old key and check the sending log for messages you did not send.",
        docs: &[
            "https://support.sparkpost.com/docs/getting-started/create-api-keys",
            "https://resend.com/docs/dashboard/api-keys/introduction",
        ],
    },
    Guide {
        slugs: &["npm", "npmrc"],
        what: "npm access token",
        generate: "create a new granular access token limited to the packages and organizations it publishes, with an expiry; prefer trusted publishing from CI.",
        revoke: "revoke the old token with `npm token revoke` or on npmjs.com under Access Tokens; check recent publishes of your packages.",
        docs: &["https://docs.npmjs.com/revoking-access-tokens"],
    },
    Guide {
        slugs: &["pypi", "pypirc"],
        what: "PyPI API token",
        generate: "create a new token scoped to one project, or switch to trusted publishing from CI.",
        revoke: "remove the old token in Account settings > API tokens; check the project's release history.",
        docs: &["https://pypi.org/help/#apitoken"],
    },
    Guide {
        slugs: &["rubygems"],
        what: "RubyGems API key",
        generate: "create a new API key with only the scopes needed (push for one gem), with MFA required.",
        revoke: "delete the old key in your RubyGems.org profile and check recent pushes.",
        docs: &["https://guides.rubygems.org/api-key-scopes/"],
    },
    Guide {
        slugs: &["nuget"],
        what: "NuGet API key",
        generate: "create or regenerate a scoped API key on nuget.org with a glob for the packages it pushes and an expiry.",
        revoke: "delete the old key (regenerating also invalidates it).",
        docs: &["https://learn.microsoft.com/en-us/nuget/nuget-org/scoped-api-keys"],
    },
    Guide {
        slugs: &["cratesio"],
        what: "crates.io token",
        generate: "create a new API token at crates.io/settings/tokens with scopes and an expiry, or use trusted publishing.",
        revoke: "revoke the old token on the same page and check the crates' recent versions.",
        docs: &["https://doc.rust-lang.org/cargo/reference/publishing.html"],
    },
    Guide {
        slugs: &["docker", "dockerconfig"],
        what: "Docker registry credential",
        generate: "create a new personal or organization access token on Docker Hub (or the registry's equivalent) with read-only scope where possible.",
        revoke: "delete the old access token, or change the account password if a password was in the config; check pushed image tags.",
        docs: &["https://docs.docker.com/security/for-developers/access-tokens/"],
    },
    Guide {
        slugs: &["jfrog"],
        what: "JFrog access token",
        generate: "create a new scoped access token (or identity token) in the JFrog Platform.",
        revoke: "revoke the old token under Administration > Identity and Access > Access Tokens.",
        docs: &["https://jfrog.com/help/r/jfrog-platform-administration-documentation/access-tokens"],
    },
    Guide {
        slugs: &["digitalocean"],
        what: "DigitalOcean token",
        generate: "create a new personal access token with custom scopes and an expiry (API > Tokens).",
        revoke: "delete the old token; for Spaces keys, delete the old access key.",
        docs: &["https://docs.digitalocean.com/reference/api/create-personal-access-token/"],
    },
    Guide {
        slugs: &["heroku"],
        what: "Heroku API key",
        generate: "create a new authorization (`heroku authorizations:create`) for the workload instead of using an account API key.",
        revoke: "regenerate the account API key in Account settings, or revoke the authorization (`heroku authorizations:revoke`).",
        docs: &["https://devcenter.heroku.com/articles/authentication"],
    },
    Guide {
        slugs: &["cloudflare"],
        what: "Cloudflare API token",
        generate: "create a new API token from a template with only the zones and permissions needed (or roll the existing token's secret).",
        revoke: "delete the old token; rotate the Global API Key if that was exposed.",
        docs: &["https://developers.cloudflare.com/fundamentals/api/get-started/create-token/"],
    },
    Guide {
        slugs: &["vercel"],
        what: "Vercel token",
        generate: "create a new access token scoped to the team, with an expiry, in Account settings > Tokens.",
        revoke: "delete the old token on the same page.",
        docs: &["https://vercel.com/docs/rest-api#creating-an-access-token"],
    },
    Guide {
        slugs: &["netlify"],
        what: "Netlify token",
        generate: "create a new personal access token with an expiry in User settings > Applications.",
        revoke: "delete the old token on the same page.",
        docs: &["https://docs.netlify.com/api/get-started/#authentication"],
    },
    Guide {
        slugs: &["flyio"],
        what: "Fly.io token",
        generate: "create a new deploy or org token scoped to one app (`fly tokens create deploy`), with an expiry.",
        revoke: "revoke the old token with `fly tokens revoke`.",
        docs: &["https://fly.io/docs/security/tokens/"],
    },
    Guide {
        slugs: &["render", "hetzner", "linode", "scaleway"],
        what: "cloud API token",
        generate: "create a new API token (or access key) in the provider's console, limited to the project and permissions needed.",
        revoke: "delete the old token in the console and review the project's recent activity.",
        docs: &[
            "https://www.linode.com/docs/products/tools/api/guides/manage-api-tokens/",
            "https://www.scaleway.com/en/docs/iam/how-to/create-api-keys/",
        ],
    },
    Guide {
        slugs: &["alibaba"],
        what: "Alibaba Cloud AccessKey",
        generate: "create a second AccessKey pair for the RAM user (not the root account), or use an STS role.",
        revoke: "disable the old AccessKey pair, watch for errors, then delete it.",
        docs: &["https://www.alibabacloud.com/help/en/ram/user-guide/create-an-accesskey-pair"],
    },
    Guide {
        slugs: &["ibm"],
        what: "IBM Cloud API key",
        generate: "create a new API key for the service ID (IAM > Service IDs > API keys).",
        revoke: "lock, then delete the old API key.",
        docs: &["https://cloud.ibm.com/docs/account?topic=account-serviceidapikeys"],
    },
    Guide {
        slugs: &["oracle"],
        what: "Oracle Cloud credential",
        generate: "add a new API signing key or auth token for the user (a user may hold up to three).",
        revoke: "delete the old API key or auth token from the user's details.",
        docs: &["https://docs.oracle.com/en-us/iaas/Content/Identity/access/managing-user-credentials.htm"],
    },
    Guide {
        slugs: &["hashicorp"],
        what: "HashiCorp token",
        generate: "create a new team or organization API token in HCP Terraform, or a new Vault token with a short TTL from an auth method (AppRole, OIDC) rather than a static token.",
        revoke: "delete the old API token; for Vault, `vault token revoke` (with -mode=path for a whole lease tree).",
        docs: &[
            "https://developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/api-tokens",
            "https://developer.hashicorp.com/vault/docs/concepts/tokens",
        ],
    },
    Guide {
        slugs: &["doppler"],
        what: "Doppler token",
        generate: "create a new service token for the one config it reads, or a service account token.",
        revoke: "revoke the old token in the project's Access settings.",
        docs: &["https://docs.doppler.com/docs/service-tokens"],
    },
    Guide {
        slugs: &["1password"],
        what: "1Password service account token",
        generate: "create a new service account (or rotate its token) with access to only the vaults it needs.",
        revoke: "revoke the old token in the service account's settings.",
        docs: &["https://developer.1password.com/docs/service-accounts/manage-service-accounts/"],
    },
    Guide {
        slugs: &["pulumi"],
        what: "Pulumi access token",
        generate: "create a new organization or team access token in Pulumi Cloud.",
        revoke: "delete the old token on the Access Tokens page.",
        docs: &["https://www.pulumi.com/docs/pulumi-cloud/access-management/access-tokens/"],
    },
    Guide {
        slugs: &["circleci"],
        what: "CircleCI token",
        generate: "create a new personal or project API token; move secrets into contexts with restricted groups.",
        revoke: "delete the old token in User settings > Personal API Tokens or Project settings > API Permissions.",
        docs: &["https://circleci.com/docs/managing-api-tokens/"],
    },
    Guide {
        slugs: &["travis", "buildkite", "codecov"],
        what: "CI service token",
        generate: "create a new token in the CI service's settings, scoped to the organization or repository it serves.",
        revoke: "delete or regenerate the old token in the same settings page.",
        docs: &["https://buildkite.com/docs/apis/managing-api-tokens"],
    },
    Guide {
        slugs: &["datadog"],
        what: "Datadog key",
        generate: "create a new API key (or application key, scoped) under Organization Settings.",
        revoke: "revoke the old key on the same page once agents and jobs use the new one.",
        docs: &["https://docs.datadoghq.com/account_management/api-app-keys/"],
    },
    Guide {
        slugs: &["newrelic"],
        what: "New Relic key",
        generate: "create a new user or license (ingest) key in the API keys UI.",
        revoke: "delete the old key there; for license keys, move agents first.",
        docs: &["https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/"],
    },
    Guide {
        slugs: &["sentry"],
        what: "Sentry token",
        generate: "create a new organization or internal-integration auth token; a DSN can be replaced by creating a new client key.",
        revoke: "revoke the old auth token, or disable and delete the old client key (DSN).",
        docs: &["https://docs.sentry.io/account/auth-tokens/"],
    },
    Guide {
        slugs: &["grafana"],
        what: "Grafana token",
        generate: "create a new service account token (Grafana) or access policy token (Grafana Cloud) with an expiry.",
        revoke: "delete the old token from the service account or access policy.",
        docs: &["https://grafana.com/docs/grafana/latest/administration/service-accounts/"],
    },
    Guide {
        slugs: &["pagerduty", "opsgenie"],
        what: "incident tool API key",
        generate: "create a new API key (read-only if it only reads) or integration key.",
        revoke: "delete the old key in the API access settings.",
        docs: &["https://support.pagerduty.com/main/docs/api-access-keys"],
    },
    Guide {
        slugs: &["honeycomb", "logzio", "splunk", "dynatrace", "elastic", "influxdb"],
        what: "observability token",
        generate: "create a new ingest or API key with only the permissions needed in the product's settings.",
        revoke: "delete or disable the old key after collectors use the new one.",
        docs: &[
            "https://docs.honeycomb.io/configure/environments/manage-api-keys/",
            "https://docs.splunk.com/Documentation/Splunk/latest/Security/CreateAuthTokens",
        ],
    },
    Guide {
        slugs: &["okta"],
        what: "Okta API token",
        generate: "create a new API token from a dedicated service user, or better, an OAuth 2.0 service app with scoped access.",
        revoke: "revoke the old token in Security > API > Tokens.",
        docs: &["https://developer.okta.com/docs/guides/create-an-api-token/main/"],
    },
    Guide {
        slugs: &["auth0"],
        what: "Auth0 client secret",
        generate: "rotate the application's client secret in the dashboard or with the Management API.",
        revoke: "rotation invalidates the old secret; update every application using it at once.",
        docs: &["https://auth0.com/docs/get-started/applications/rotate-client-secret"],
    },
    Guide {
        slugs: &["databricks"],
        what: "Databricks token",
        generate: "create a new token for a service principal (OAuth machine-to-machine preferred) with a lifetime.",
        revoke: "revoke the old personal access token in User settings or with the Token API.",
        docs: &["https://docs.databricks.com/en/dev-tools/auth/pat.html"],
    },
    Guide {
        slugs: &["snowflake"],
        what: "Snowflake credential",
        generate: "for key-pair authentication, set RSA_PUBLIC_KEY_2 to the new public key; for a password, set a new one on the service user.",
        revoke: "unset the old public key (RSA_PUBLIC_KEY) or change the password; end open sessions.",
        docs: &["https://docs.snowflake.com/en/user-guide/key-pair-auth"],
    },
    Guide {
        slugs: &["mongodbatlas"],
        what: "MongoDB Atlas API key",
        generate: "create a new service account or API key for the organization or project with the least role.",
        revoke: "delete the old API key and its access list entries.",
        docs: &["https://www.mongodb.com/docs/atlas/configure-api-access/"],
    },
    Guide {
        slugs: &["supabase"],
        what: "Supabase key",
        generate: "create a new secret API key in Project settings > API Keys (or rotate the JWT secret for legacy keys).",
        revoke: "delete the old secret key; rotating the legacy JWT secret invalidates all keys signed with it.",
        docs: &["https://supabase.com/docs/guides/api/api-keys"],
    },
    Guide {
        slugs: &["planetscale", "neon", "cockroachdb", "clickhouse", "redislabs"],
        what: "managed database credential",
        generate: "create a new password or service token for the database role in the provider's console.",
        revoke: "delete the old password or token, and review connections made with it.",
        docs: &["https://neon.tech/docs/manage/roles"],
    },
    Guide {
        slugs: &["postgres", "mysql", "mssql", "mongodb", "redis", "jdbc", "amqp"],
        what: "database password",
        generate: "set a new strong password for the account (or create a new per-service user), ideally issued by a secrets engine with a TTL.",
        revoke: DATABASE_REVOKE,
        docs: &[
            "https://www.postgresql.org/docs/current/sql-alterrole.html",
            "https://dev.mysql.com/doc/refman/8.0/en/alter-user.html",
            "https://learn.microsoft.com/en-us/sql/t-sql/statements/alter-login-transact-sql",
            "https://www.mongodb.com/docs/manual/reference/method/db.changeUserPassword/",
        ],
    },
    Guide {
        slugs: &["privatekey", "pkcs12", "age"],
        what: "private key",
        generate: "generate a new key pair (ssh-keygen, openssl or age-keygen) and deploy the new public key or certificate where the old one was trusted.",
        revoke: "remove the old public key from every authorized_keys, deploy key and trust store; for a certificate, ask the CA to revoke it; re-encrypt data encrypted to an exposed age or PGP key.",
        docs: &["https://man.openbsd.org/ssh-keygen.1"],
    },
    Guide {
        slugs: &["kubernetes"],
        what: "Kubernetes credential",
        generate: "issue short-lived service account tokens (TokenRequest / projected volumes) instead of long-lived Secret tokens; rotate the kubeconfig's client certificate or token.",
        revoke: "delete the old service account token Secret (or the service account), and rotate the cluster credentials if a cluster-admin kubeconfig leaked.",
        docs: &["https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/"],
    },
    Guide {
        slugs: &["jwt"],
        what: "JWT or its signing key",
        generate: "for a leaked signing key, generate a new key with a new key id and publish it in the JWKS; for a leaked long-lived token, issue a short-lived one.",
        revoke: "remove the old key from the JWKS and invalidate tokens it signed (or add the token's id to the deny list until it expires).",
        docs: &["https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html"],
    },
    Guide {
        slugs: &["twitter"],
        what: "X (Twitter) API credential",
        generate: "regenerate the API key and secret or bearer token in the developer portal's Keys and tokens tab.",
        revoke: "regenerating invalidates the old values.",
        docs: &["https://developer.x.com/en/docs/authentication/oauth-1-0a/api-key-and-secret"],
    },
    Guide {
        slugs: &["facebook"],
        what: "Meta app secret or token",
        generate: "reset the app secret in App settings > Basic, and issue new access tokens.",
        revoke: "resetting the secret invalidates tokens derived from it; revoke page or user tokens in the Access Token Tool.",
        docs: &["https://developers.facebook.com/docs/facebook-login/guides/access-tokens/"],
    },
    Guide {
        slugs: &["dropbox"],
        what: "Dropbox credential",
        generate: "generate a new access token or app secret in the App Console.",
        revoke: "revoke the old token with /2/auth/token/revoke, or reset the app secret.",
        docs: &["https://developers.dropbox.com/oauth-guide"],
    },
    Guide {
        slugs: &["notion"],
        what: "Notion integration secret",
        generate: "refresh the internal integration secret in the integration's settings.",
        revoke: "refreshing invalidates the old secret.",
        docs: &["https://developers.notion.com/docs/authorization"],
    },
    Guide {
        slugs: &["airtable"],
        what: "Airtable token",
        generate: "create a new personal access token with only the scopes and bases needed.",
        revoke: "delete the old token in the developer hub.",
        docs: &["https://airtable.com/developers/web/guides/personal-access-tokens"],
    },
    Guide {
        slugs: &["linear", "asana", "clickup", "figma", "typeform", "intercom", "zendesk", "hubspot", "contentful", "segment", "mixpanel", "launchdarkly", "postman", "readme", "frameio"],
        what: "SaaS API token",
        generate: "create a new API token or private-app token in the product's developer or API settings, with the narrowest scopes offered.",
        revoke: "delete or revoke the old token in the same settings, and check the product's audit log.",
        docs: &[
            "https://developers.hubspot.com/docs/api/private-apps",
            "https://learning.postman.com/docs/developer/postman-api/authentication/",
        ],
    },
    Guide {
        slugs: &["algolia"],
        what: "Algolia API key",
        generate: "create a new API key with only the ACLs and indices needed; never ship the Admin API key to clients.",
        revoke: "delete the old key (for the Admin key, regenerate it).",
        docs: &["https://www.algolia.com/doc/guides/security/api-keys/"],
    },
    Guide {
        slugs: &["mapbox"],
        what: "Mapbox token",
        generate: "create a new token with URL restrictions for public use, or only the secret scopes needed.",
        revoke: "delete the old token on the account's Tokens page.",
        docs: &["https://docs.mapbox.com/accounts/guides/tokens/"],
    },
    Guide {
        slugs: &["plaid", "razorpay", "adyen", "coinbase", "flutterwave", "shippo", "easypost", "lob", "duffel"],
        what: "payments or commerce API key",
        generate: "create or roll a new secret key in the provider's dashboard (most allow two keys during a changeover).",
        revoke: "delete or roll the old key and review recent transactions for activity you did not initiate.",
        docs: &["https://plaid.com/docs/account/security/"],
    },
    Guide {
        slugs: &["tailscale"],
        what: "Tailscale key",
        generate: "create a new auth key (ephemeral and pre-approved for machines) or API access token, with an expiry; prefer OAuth clients.",
        revoke: "revoke the old key in the admin console's Keys page; remove devices it enrolled that you do not recognise.",
        docs: &["https://tailscale.com/kb/1085/auth-keys"],
    },
    Guide {
        slugs: &["ngrok"],
        what: "ngrok authtoken",
        generate: "create a new authtoken (or API key) for the agent in the dashboard.",
        revoke: "delete the old credential in the dashboard's Authtokens page.",
        docs: &["https://ngrok.com/docs/agent/#authtokens"],
    },
    Guide {
        slugs: &["confluent"],
        what: "Confluent Cloud API key",
        generate: "create a new API key for the service account and resource (cluster or Cloud).",
        revoke: "delete the old API key once clients use the new one.",
        docs: &["https://docs.confluent.io/cloud/current/security/authenticate/workload-identities/service-accounts/api-keys/overview.html"],
    },
    Guide {
        slugs: &["snyk", "sonarqube", "sourcegraph"],
        what: "developer tool token",
        generate: "create a new token (a service account token for CI) in the tool's account or admin settings.",
        revoke: "revoke the old token on the same page.",
        docs: &["https://docs.snyk.io/snyk-api/authentication-for-api"],
    },
    Guide {
        slugs: &["zoom", "twitch"],
        what: "app client secret",
        generate: "regenerate the app's client secret in the developer portal and issue new tokens.",
        revoke: "regenerating invalidates the old secret; revoke outstanding OAuth tokens.",
        docs: &["https://developers.zoom.us/docs/internal-apps/s2s-oauth/"],
    },
    Guide {
        slugs: &["gitcredentials", "netrc", "htpasswd", "basicauth"],
        what: "stored password",
        generate: "set a new password or token for the account on the service it logs in to (the host named next to it).",
        revoke: "change or revoke the old password or token on that service and end its sessions.",
        docs: GENERIC_DOCS,
    },
    Guide {
        slugs: &["config"],
        what: "password or token in a configuration file",
        generate: "set a new password or issue a new token for the account or service the file configures (the section, host or key name next to it says which).",
        revoke: "change the old password or revoke the old token on that service, and end sessions opened with it; then load the new value from the environment or a secret manager instead of the file.",
        docs: &["https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html"],
    },
];

fn steps(g: &Guide) -> Vec<String> {
    vec![
        format!("Generate: {}", g.generate),
        REPLACE.to_owned(),
        format!("Revoke: {}", g.revoke),
        AUDIT.to_owned(),
        HISTORY.to_owned(),
    ]
}

/// Rotation guidance for a provider slug (as in `patterns/*.toml`); the generic guidance
/// for providers without their own.
pub fn guidance(provider: &str) -> Rotation {
    match GUIDES.iter().find(|g| g.slugs.contains(&provider)) {
        Some(g) => Rotation {
            summary: format!(
                "Rotate this {}: generate a new one, replace it everywhere, then revoke the old one.",
                g.what
            ),
            steps: steps(g),
            docs: g.docs.iter().map(|d| (*d).to_owned()).collect(),
            runbook: None,
        },
        None => generic(),
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
    GUIDES.iter().any(|g| g.slugs.contains(&provider))
}

/// The provider slugs with their own guidance.
pub fn providers() -> Vec<&'static str> {
    let mut v: Vec<&str> = GUIDES
        .iter()
        .flat_map(|g| g.slugs.iter().copied())
        .collect();
    v.sort_unstable();
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RulePack;

    #[test]
    fn forty_providers_with_their_own_guidance() {
        let specific = GUIDES.iter().filter(|g| g.slugs.len() == 1).count();
        assert!(
            specific >= 40,
            "only {specific} providers have their own guide"
        );
        let mut all = providers();
        let n = all.len();
        all.dedup();
        assert_eq!(n, all.len(), "a slug appears in two guides");
    }

    #[test]
    fn every_guide_is_complete_and_links_https() {
        for g in GUIDES {
            assert!(!g.docs.is_empty(), "{:?}", g.slugs);
            for d in g.docs {
                assert!(d.starts_with("https://"), "{d}");
            }
            let r = guidance(g.slugs[0]);
            assert_eq!(r.steps.len(), 5);
            assert!(r.steps[0].starts_with("Generate:"));
            assert!(r.steps[2].starts_with("Revoke:"));
        }
    }

    #[test]
    fn every_rule_provider_gets_guidance_and_most_their_own() {
        let pack = RulePack::builtin();
        let mut providers: Vec<&str> = pack
            .rules()
            .iter()
            .map(|r| r.spec.provider.as_str())
            .collect();
        providers.sort_unstable();
        providers.dedup();
        let without: Vec<&&str> = providers
            .iter()
            .filter(|p| {
                !has_guidance(p) && **p != "generic" && **p != "terraform" && **p != "ansible"
            })
            .collect();
        assert!(
            without.len() <= 5,
            "providers without guidance: {without:?}"
        );
        assert!(guidance("no-such-provider").summary.contains("not enough"));
        assert!(!guidance("aws").docs.is_empty());
    }
}
