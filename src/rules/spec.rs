//! The rule file format: plain serde data, 1:1 with the `[[rule]]` tables of
//! `patterns/*.toml` and user rule files.
//!
//! This file is also compiled into `build.rs` (through `#[path]`), which parses the
//! built-in pack at build time and emits Rust code constructing these structs, so the
//! binary starts without parsing TOML. Keep it free of crate-internal imports.

use serde::{Deserialize, Serialize};

/// A rule file: any number of `[[rule]]` tables.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// The rules, in file order.
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleSpec>,
}

/// One detection rule as written in a rule file.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Stable identifier (`provider.kind[.sub]`); baselines and SARIF depend on it.
    pub id: String,
    /// Human-readable name of the credential.
    pub name: String,
    /// Provider slug; keys the rotation guidance.
    pub provider: String,
    /// What kind of credential this is.
    pub credential: CredentialKind,
    /// How bad a leak is.
    pub severity: Severity,
    /// Literal, ASCII case-insensitive keywords; the rule runs only where one occurs.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The confirming regex; the `secret` group, else group 1, is the secret. Empty for a
    /// context rule, whose pattern is built from `keywords` and `value`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pattern: String,
    /// A context rule's value class (`hex32`, `alnum32-40`, `token40`, `base64-44`, `uuid`):
    /// the rule matches such a value assigned near one of its keywords (provider words) on
    /// one line, in any common syntax, instead of a hand-written `pattern`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Minimum Shannon entropy (bits per byte) of the secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_entropy: Option<f64>,
    /// Whether a match may span lines (private keys): widens the confirm window.
    #[serde(default, skip_serializing_if = "is_false")]
    pub multiline: bool,
    /// For a multi-line rule whose pattern spans a bounded number of lines: the most lines
    /// after the keyword's line a match can reach. The confirm window stops there instead
    /// of 64 KiB on, which matters for common keywords (`repository`, `data:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_lines: Option<u32>,
    /// A regex that must also match within `context_lines` lines of the match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// How many lines above and below the match `context` may be found (default 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_lines: Option<u32>,
    /// Texts that must produce a finding.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Texts that must not produce a finding.
    #[serde(default)]
    pub negative_examples: Vec<String>,
    /// The provider's documentation of the format.
    #[serde(default)]
    pub references: Vec<String>,
    /// Values and paths this rule never reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow: Option<RuleAllow>,
    /// A structural check the secret must pass (a documented checksum), so look-alikes
    /// with the right shape but a wrong checksum are not reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validate: Option<Validator>,
    /// The rule's matches are reported only when a context rule's provider word is near
    /// them (earlier on the line, on the line above, or naming a section that holds them:
    /// a YAML or JSON parent key, an INI section, an XML parent element) and the value fits
    /// that rule; they then carry that rule's id. For assignments under a weak name
    /// (`key = ...`) that alone says nothing about whose value it is.
    #[serde(default, skip_serializing_if = "is_false")]
    pub attributed: bool,
}

impl RuleSpec {
    /// A rule with its identity and nothing else: no keywords, pattern, examples, allow
    /// list or checks. Rules built in code (imported, synthesized, reconstructed) start
    /// here and set the rest with struct update syntax
    /// (`RuleSpec { keywords, pattern, ..RuleSpec::new(...) }`), so a new field needs
    /// its default in one place.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        provider: impl Into<String>,
        credential: CredentialKind,
        severity: Severity,
    ) -> RuleSpec {
        RuleSpec {
            id: id.into(),
            name: name.into(),
            provider: provider.into(),
            credential,
            severity,
            keywords: Vec::new(),
            pattern: String::new(),
            value: None,
            min_entropy: None,
            multiline: false,
            max_lines: None,
            context: None,
            context_lines: None,
            examples: Vec::new(),
            negative_examples: Vec::new(),
            references: Vec::new(),
            allow: None,
            validate: None,
            attributed: false,
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A rule's own allow list.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RuleAllow {
    /// Exact secret values that are never reported (documented samples).
    #[serde(default)]
    pub values: Vec<String>,
    /// Glob patterns of paths where this rule never reports.
    #[serde(default)]
    pub paths: Vec<String>,
}

/// A provider-documented check of a secret's own structure, run after the regex.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Validator {
    /// GitHub's token format (also npm's): `<prefix>_` + 30 base62 characters + the CRC32
    /// of those 30 characters in 6 base62 digits (`0-9A-Za-z`, zero-padded).
    GithubCrc32,
    /// Grafana's prefixed keys: `gl<service>_<secret>_` + 8 hex digits of the CRC32 of
    /// everything before the last `_`, little-endian.
    GrafanaCrc32,
    /// PyPI API tokens: `pypi-` + unpadded base64url of a version 2 binary macaroon whose
    /// location is `pypi.org` or `test.pypi.org`.
    PypiMacaroon,
    /// JSON Web Tokens (RFC 7519, JWS compact form): header and payload are base64url of
    /// JSON objects, the header naming an `alg`.
    Jwt,
    /// HTTP Basic credentials (RFC 7617) as stored base64-encoded, e.g. Docker's
    /// `config.json` `auth`: base64 of printable `user-id:password`, neither part empty.
    BasicAuth,
    /// Atlassian Data Center personal and HTTP access tokens (Jira, Confluence, Bitbucket):
    /// 44 characters of base64 of a 12-digit token id, `:`, and 20 random bytes, with
    /// Bitbucket's optional `BBDC-` prefix.
    AtlassianDcPat,
}

impl Validator {
    /// The name used in rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            Validator::GithubCrc32 => "github-crc32",
            Validator::GrafanaCrc32 => "grafana-crc32",
            Validator::PypiMacaroon => "pypi-macaroon",
            Validator::Jwt => "jwt",
            Validator::BasicAuth => "basic-auth",
            Validator::AtlassianDcPat => "atlassian-dc-pat",
        }
    }
}

/// The kind of credential a rule finds.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum CredentialKind {
    ApiToken,
    ApiKeyPair,
    PrivateKey,
    Password,
    ConnectionString,
    Webhook,
    OauthClientSecret,
    JwtSigningKey,
    Generic,
}

impl CredentialKind {
    /// The name used in rule files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialKind::ApiToken => "api-token",
            CredentialKind::ApiKeyPair => "api-key-pair",
            CredentialKind::PrivateKey => "private-key",
            CredentialKind::Password => "password",
            CredentialKind::ConnectionString => "connection-string",
            CredentialKind::Webhook => "webhook",
            CredentialKind::OauthClientSecret => "oauth-client-secret",
            CredentialKind::JwtSigningKey => "jwt-signing-key",
            CredentialKind::Generic => "generic",
        }
    }
}

/// How bad a leak is, lowest first so that `Ord` sorts by severity.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// The name used in rule files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}
