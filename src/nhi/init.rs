//! `keytrace nhi init`: drafts manifest entries for the unowned findings of a scan, one
//! identity per principal, account or key the credentials name (their facts), else one
//! per secret (grouped by fingerprint). A draft holds no secret value: facts (an account
//! id, a service account, a public key fingerprint), fingerprints, rules and paths select
//! the credentials. The owner is the suggested
//! one (CODEOWNERS, else the commit author) and the purpose is `TODO`, which `nhi check`
//! reports until someone fills it in.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::Context as _;

use super::manifest::{parse_manifest, Manifest, Scanner};
use super::report::{suggest_owner, CodeOwners, PLACEHOLDER};
use crate::date::Date;
use crate::finding::Finding;
use crate::rules::CredentialKind;

/// One drafted identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// A unique id (provider and a fingerprint prefix).
    pub id: String,
    /// Guessed kind.
    pub kind: &'static str,
    /// Suggested owner, or `TODO`.
    pub owner: String,
    /// Where the owner suggestion comes from.
    pub owner_from: Option<&'static str>,
    /// Provider slug.
    pub provider: String,
    /// Rule ids that found it.
    pub rules: Vec<String>,
    /// Paths where it was found.
    pub paths: Vec<String>,
    /// What the credentials name, when they name something: (`accounts`, `principals`
    /// or `public_keys`, the value). The draft then selects by it, wherever the
    /// credentials turn up.
    pub by: Option<(&'static str, String)>,
    /// The fingerprints of its secrets.
    pub fingerprints: Vec<String>,
    /// The day of the draft (the inventory's first review).
    pub today: Date,
}

/// Guesses the kind of identity behind a credential.
pub fn guess_kind(f: &Finding) -> &'static str {
    let p = f.provider.as_str();
    let ci = [
        "circleci",
        "travis",
        "buildkite",
        "codecov",
        "jfrog",
        "npm",
        "pypi",
        "rubygems",
        "nuget",
        "cratesio",
        "docker",
    ];
    let db = [
        "postgres",
        "mysql",
        "mssql",
        "mongodb",
        "redis",
        "jdbc",
        "snowflake",
        "planetscale",
        "neon",
        "cockroachdb",
        "clickhouse",
        "redislabs",
        "databricks",
    ];
    let ai = [
        "openai",
        "anthropic",
        "cohere",
        "mistral",
        "groq",
        "deepseek",
        "xai",
        "perplexity",
        "replicate",
        "huggingface",
    ];
    if ci.contains(&p) {
        return "ci-identity";
    }
    if db.contains(&p) {
        return "database-user";
    }
    if ai.contains(&p) {
        return "ai-agent";
    }
    match f.credential {
        CredentialKind::PrivateKey => "deploy-key",
        CredentialKind::OauthClientSecret => "oauth-app",
        CredentialKind::Webhook => "bot",
        CredentialKind::Password | CredentialKind::ConnectionString => "database-user",
        CredentialKind::ApiKeyPair => "service-account",
        _ if ["slack", "discord", "telegram", "microsoft-teams"].contains(&p) => "bot",
        _ => "api-key",
    }
}

/// Drafts one identity per unowned secret in `findings`, with ids unique against the
/// manifest and each other.
pub fn drafts(
    manifest: Option<&Manifest>,
    findings: &[Finding],
    today: Date,
    root: &Path,
) -> Vec<Draft> {
    let mut groups: BTreeMap<(Option<By>, String), Vec<&Finding>> = BTreeMap::new();
    for f in findings.iter().filter(|f| f.identity.is_none()) {
        let by = group_of(f);
        let key = match &by {
            // An account id means something only within its provider.
            Some(("accounts", _)) => f.provider.clone(),
            Some(_) => String::new(),
            None => f.fingerprint.clone(),
        };
        groups.entry((by, key)).or_default().push(f);
    }
    let mut taken: BTreeSet<String> = manifest
        .map(|m| m.identities.iter().map(|i| i.id.clone()).collect())
        .unwrap_or_default();
    let codeowners = CodeOwners::load(root);
    let mut out = Vec::new();
    for ((by, _), fs) in groups {
        let first = fs[0];
        let fingerprints: BTreeSet<String> = fs.iter().map(|f| f.fingerprint.clone()).collect();
        let fp = fingerprints.iter().next().cloned().unwrap_or_default();
        let hex = fp.trim_start_matches("kt1:");
        let base = match &by {
            // `aws-123456789012`, `gcp-deployer-payments-prod-iam-...`: the name it has.
            Some((_, v)) => format!("{}-{}", slug(&first.provider), slug(v)),
            None => format!("{}-{}", slug(&first.provider), &hex[..8.min(hex.len())]),
        };
        let base: String = base.chars().take(60).collect();
        let base = base.trim_end_matches('-').to_owned();
        let mut id = base.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        taken.insert(id.clone());
        let suggestion = suggest_owner(&codeowners, &fs);
        let rules: BTreeSet<String> = fs.iter().map(|f| f.rule_id.clone()).collect();
        let paths: BTreeSet<String> = fs
            .iter()
            .map(|f| super::manifest::normalize_path(&f.path).to_owned())
            .collect();
        out.push(Draft {
            id,
            kind: guess_kind(first),
            owner: suggestion
                .as_ref()
                .map_or_else(|| PLACEHOLDER.to_owned(), |s| s.0.clone()),
            owner_from: suggestion.map(|s| s.1),
            provider: first.provider.clone(),
            rules: rules.into_iter().collect(),
            paths: paths.into_iter().collect(),
            by,
            fingerprints: fingerprints.into_iter().collect(),
            today,
        });
    }
    out
}

/// What a draft selects by: (`accounts`, `principals` or `public_keys`, the value).
type By = (&'static str, String);

/// A lowercase slug: runs of anything but ASCII letters and digits become one `-`.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// What groups a credential with others: the principal it names, else its account
/// (with the provider: one AWS account's keys are one identity's), else its public key.
fn group_of(f: &Finding) -> Option<(&'static str, String)> {
    let facts = &f.facts;
    if let Some(p) = &facts.principal {
        return Some(("principals", p.clone()));
    }
    if let Some(a) = facts.account.as_ref().or(facts.project.as_ref()) {
        return Some(("accounts", a.clone()));
    }
    facts
        .key_fingerprint
        .as_ref()
        .map(|k| ("public_keys", k.clone()))
}

/// A TOML string literal.
fn q(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// A path as an anchored gitignore pattern matching exactly that file.
fn path_pattern(path: &str) -> String {
    let mut out = String::from("/");
    for c in path.chars() {
        match c {
            '*' | '?' | '[' | ']' | '{' | '}' => {
                out.push('[');
                out.push(c);
                out.push(']');
            }
            '\\' | '!' if out.len() == 1 => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Renders drafts as manifest TOML.
pub fn render(drafts: &[Draft]) -> String {
    let mut s = String::new();
    for d in drafts {
        s.push_str(&format!(
            "\n# Drafted by `keytrace nhi init` on {}: confirm the owner, fill in the purpose.\n",
            d.today
        ));
        s.push_str("[[identity]]\n");
        s.push_str(&format!("id = {}\n", q(&d.id)));
        s.push_str(&format!("kind = {}\n", q(d.kind)));
        match d.owner_from {
            Some(from) => s.push_str(&format!("owner = {}  # suggested by {from}\n", q(&d.owner))),
            None => s.push_str(&format!("owner = {}\n", q(&d.owner))),
        }
        s.push_str(&format!("purpose = {}\n", q(PLACEHOLDER)));
        s.push_str(&format!("provider = {}\n", q(&d.provider)));
        // No review happened: `nhi check` lists it as never reviewed until one does
        // (issue 12, item 21).
        s.push_str(
            "# review = { last_reviewed = YYYY-MM-DD, reviewed_by = \"@you\" }  # after a review\n",
        );
        s.push_str("  [[identity.credential]]\n");
        s.push_str(&format!("  name = {}\n", q(&d.rules[0])));
        let list = |v: Vec<String>| v.join(", ");
        let fps = list(d.fingerprints.iter().map(|f| q(f)).collect());
        match &d.by {
            // Selected by what the credentials name, wherever they appear; the
            // fingerprints pin the ones seen today. Paths and rules stay comments: as
            // selectors they would also claim unrelated secrets in those files.
            Some((field, value)) => {
                s.push_str(&format!(
                    "  # found by {} in {}\n",
                    list(d.rules.clone()),
                    list(d.paths.iter().map(|p| path_pattern(p)).collect())
                ));
                s.push_str(&format!(
                    "  match = {{ {field} = [{}], fingerprints = [{fps}] }}\n",
                    q(value)
                ));
            }
            None => s.push_str(&format!(
                "  match = {{ fingerprints = [{fps}], rules = [{}], paths = [{}] }}\n",
                list(d.rules.iter().map(|r| q(r)).collect()),
                list(d.paths.iter().map(|p| q(&path_pattern(p))).collect()),
            )),
        }
    }
    s
}

/// Appends drafted `text` to the manifest at `path` (created with `version = 1` when it
/// does not exist), leaving existing entries untouched. The result is validated first, so
/// a failed append never leaves a broken manifest.
pub fn append(path: &Path, text: &str, scanner: &dyn Scanner) -> anyhow::Result<()> {
    let existing = match std::fs::read_to_string(path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(e).with_context(|| format!("failed to read manifest {}", path.display()))
        }
    };
    let mut out = match &existing {
        Some(t) => t.clone(),
        None => "# Non-human identities: see `keytrace nhi check` and `keytrace nhi report`.\nversion = 1\n".to_owned(),
    };
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(text);
    let file = path.display().to_string();
    if let Err(errors) = parse_manifest(&file, &out, Some(scanner)) {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        anyhow::bail!(
            "not writing {file}: the result would be invalid: {}",
            list.join("; ")
        );
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("failed to create {}", dir.display()))?;
    }
    std::fs::write(path, out).with_context(|| format!("failed to write manifest {file}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_drafts_parse_and_select_by_fingerprint() {
        let d = Draft {
            id: "github-0123abcd".into(),
            kind: "api-key",
            owner: "@acme/platform".into(),
            owner_from: Some("CODEOWNERS"),
            provider: "github".into(),
            rules: vec!["github.pat.classic".into()],
            paths: vec!["ci/deploy[1].yml".into(), "top.env".into()],
            by: None,
            fingerprints: vec![format!("kt1:{}", "0123abcd".repeat(4))],
            today: Date::parse("2026-11-01").unwrap(),
        };
        let text = format!("version = 1\n{}", render(&[d]));
        let m = parse_manifest("m.toml", &text, None).unwrap();
        let c = &m.identities[0].credentials[0];
        assert!(c.selector.paths.matches("ci/deploy[1].yml"));
        assert!(c.selector.paths.matches("top.env"));
        assert!(!c.selector.paths.matches("sub/top.env"));
        assert_eq!(m.identities[0].purpose, "TODO");
    }

    #[test]
    fn drafts_by_facts_select_by_them() {
        let d = Draft {
            id: "aws-609629065308".into(),
            kind: "service-account",
            owner: "TODO".into(),
            owner_from: None,
            provider: "aws".into(),
            rules: vec!["aws.access-key-id".into()],
            paths: vec!["a.env".into()],
            by: Some(("accounts", "609629065308".into())),
            fingerprints: vec![format!("kt1:{}", "0123abcd".repeat(4))],
            today: Date::parse("2026-11-01").unwrap(),
        };
        let text = format!("version = 1\n{}", render(&[d]));
        let m = parse_manifest("m.toml", &text, None).unwrap();
        let c = &m.identities[0].credentials[0];
        assert_eq!(c.selector.accounts, vec!["609629065308".to_owned()]);
        assert!(c.selector.paths.is_empty());
        assert_eq!(
            slug("deployer@proj.iam.gserviceaccount.com"),
            "deployer-proj-iam-gserviceaccount-com"
        );
    }
}
