//! The manifest file as TOML says it: serde structs that keep every value's span, so the
//! linter can name the line of each problem. Nothing here is validated yet.

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    pub(super) version: Option<Spanned<i64>>,
    pub(super) defaults: Option<RawDefaults>,
    #[serde(default)]
    pub(super) identity: Vec<Spanned<RawIdentity>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDefaults {
    pub(super) review_interval_days: Option<Spanned<i64>>,
    pub(super) rotation_period_days: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIdentity {
    pub(super) id: Option<Spanned<String>>,
    pub(super) kind: Option<Spanned<String>>,
    pub(super) owner: Option<Spanned<String>>,
    pub(super) purpose: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) contacts: Vec<String>,
    pub(super) provider: Option<String>,
    pub(super) principal: Option<String>,
    #[serde(default)]
    pub(super) environments: Vec<String>,
    pub(super) status: Option<Spanned<String>>,
    pub(super) review: Option<Spanned<RawReview>>,
    pub(super) expires: Option<Spanned<toml::Value>>,
    pub(super) runbook: Option<String>,
    #[serde(default)]
    pub(super) credential: Vec<Spanned<RawCredential>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReview {
    pub(super) last_reviewed: Option<Spanned<toml::Value>>,
    pub(super) reviewed_by: Option<String>,
    pub(super) interval_days: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCredential {
    pub(super) name: Option<String>,
    #[serde(rename = "match")]
    pub(super) selector: Option<Spanned<RawMatch>>,
    pub(super) rotation: Option<Spanned<RawRotation>>,
    pub(super) expires: Option<Spanned<toml::Value>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMatch {
    #[serde(default)]
    pub(super) rules: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) paths: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) key_ids: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) fingerprints: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) accounts: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) principals: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) hosts: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) public_keys: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRotation {
    pub(super) period_days: Option<Spanned<i64>>,
    pub(super) last_rotated: Option<Spanned<toml::Value>>,
    pub(super) runbook: Option<String>,
}
