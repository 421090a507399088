//! The NHI manifest (`.keytrace/identities.toml`): parsing, validation and merging.
//!
//! Every problem is reported with the file, the line and the field, and all problems of a
//! file are collected (not only the first) so `keytrace nhi check` can list them at once.
//! The manifest must never hold a secret: its text runs through the rule pack, and a match
//! is an error. Public key ids (`key_ids`, such as an AWS access key id) and fingerprints
//! are identifiers, not secrets, and are exempt, but a `key_ids` value that looks like a
//! real secret (a token with a known prefix) is still rejected.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

use globset::{Glob, GlobBuilder, GlobMatcher};
use serde::Deserialize;
use toml::Spanned;

use crate::date::Date;
use crate::finding::Finding;
use crate::rules::{id_selects, RulePack};

/// The kinds of non-human identity a manifest may name.
pub const KINDS: &[&str] = &[
    "service-account",
    "api-key",
    "bot",
    "ci-identity",
    "ai-agent",
    "workload",
    "oauth-app",
    "deploy-key",
    "database-user",
];

/// Identity statuses.
pub const STATUSES: &[&str] = &["active", "deprecated", "retired"];

/// Review interval when neither the identity nor `[defaults]` sets one (CIS 5.5 asks for
/// at least quarterly reviews).
pub const DEFAULT_REVIEW_INTERVAL_DAYS: u32 = 90;
/// Rotation period when neither the credential nor `[defaults]` sets one.
pub const DEFAULT_ROTATION_PERIOD_DAYS: u32 = 90;

/// One problem in a manifest, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError {
    /// The manifest file.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The field, as a dotted path (`identity.review.last_reviewed`), when known.
    pub field: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ", line {l}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// All problems of a set of manifests.
#[derive(Debug, Clone)]
pub struct ManifestErrors(pub Vec<ManifestError>);

impl fmt::Display for ManifestErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid NHI manifest: ")?;
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                write!(f, "; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ManifestErrors {}

/// `[defaults]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Defaults {
    /// Days between reviews.
    pub review_interval_days: u32,
    /// Days between rotations.
    pub rotation_period_days: u32,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            review_interval_days: DEFAULT_REVIEW_INTERVAL_DAYS,
            rotation_period_days: DEFAULT_ROTATION_PERIOD_DAYS,
        }
    }
}

/// `review = { ... }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// When the identity was last reviewed (required).
    pub last_reviewed: Date,
    /// Who reviewed it.
    pub reviewed_by: Option<String>,
    /// Days between reviews (the identity's own, else `[defaults]`).
    pub interval_days: u32,
}

/// Gitignore-style path patterns: the last matching pattern decides, `!` negates.
#[derive(Debug, Clone, Default)]
pub struct PathPatterns {
    /// (pattern as written, matcher, negated).
    patterns: Vec<(String, Vec<GlobMatcher>, bool)>,
}

impl PathPatterns {
    /// Compiles patterns; an error names the pattern.
    pub fn new(patterns: &[String]) -> Result<PathPatterns, String> {
        let mut out = Vec::new();
        for p in patterns {
            let (negated, body) = match p.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, p.as_str()),
            };
            out.push((p.clone(), gitignore_globs(body)?, negated));
        }
        Ok(PathPatterns { patterns: out })
    }

    /// Whether no pattern is set.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether `path` (`/`-separated, relative to the repository root) is selected.
    pub fn matches(&self, path: &str) -> bool {
        let path = normalize_path(path);
        self.patterns
            .iter()
            .rev()
            .find(|(_, globs, _)| globs.iter().any(|g| g.is_match(path)))
            .is_some_and(|(_, _, negated)| !negated)
    }

    /// The patterns as written.
    pub fn written(&self) -> Vec<&str> {
        self.patterns.iter().map(|(p, _, _)| p.as_str()).collect()
    }
}

/// Strips `./` so worktree paths and manifest patterns compare alike.
pub fn normalize_path(path: &str) -> &str {
    let mut p = path;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p
}

/// Compiles one gitignore-style pattern (without its `!`): a pattern with no slash but a
/// trailing one matches at any depth; a leading slash anchors; `*` stays within one path
/// segment; a pattern also covers everything below a matching directory.
pub fn gitignore_globs(pattern: &str) -> Result<Vec<GlobMatcher>, String> {
    let p = pattern.trim();
    let p = p.strip_prefix("./").unwrap_or(p);
    if p.is_empty() || p == "/" {
        return Err("empty pattern".to_owned());
    }
    let dir_only = p.ends_with('/');
    let body = p.trim_end_matches('/');
    let anchored = body.starts_with('/') || body.contains('/');
    let body = body.trim_start_matches('/');
    let full = if anchored {
        body.to_owned()
    } else {
        format!("**/{body}")
    };
    let build = |g: &str| -> Result<GlobMatcher, String> {
        GlobBuilder::new(g)
            .literal_separator(true)
            .build()
            .map(|g: Glob| g.compile_matcher())
            .map_err(|e| format!("bad pattern `{pattern}`: {e}"))
    };
    let mut out = Vec::new();
    if !dir_only {
        out.push(build(&full)?);
    }
    out.push(build(&format!("{full}/**"))?);
    Ok(out)
}

/// `match = { ... }`: what makes a finding this credential.
#[derive(Debug, Clone, Default)]
pub struct Selector {
    /// Rule ids or prefixes (`aws.`).
    pub rules: Vec<String>,
    /// Path patterns.
    pub paths: PathPatterns,
    /// Public key ids or key suffixes.
    pub key_ids: Vec<String>,
    /// Secret fingerprints (`kt1:...`).
    pub fingerprints: Vec<String>,
}

/// `rotation = { ... }`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RotationPolicy {
    /// Days between rotations (the credential's own, else `[defaults]`).
    pub period_days: u32,
    /// When it was last rotated.
    pub last_rotated: Option<Date>,
    /// The owner's runbook.
    pub runbook: Option<String>,
}

/// One `[[identity.credential]]`.
#[derive(Debug, Clone)]
pub struct Credential {
    /// Its name, unique within the identity (defaults to its position).
    pub name: String,
    /// What it matches.
    pub selector: Selector,
    /// Rotation policy.
    pub rotation: RotationPolicy,
    /// When the credential expires.
    pub expires: Option<Date>,
    /// Line of its table.
    pub line: usize,
}

/// One `[[identity]]`.
#[derive(Debug, Clone)]
pub struct Identity {
    /// Unique slug.
    pub id: String,
    /// One of [`KINDS`].
    pub kind: String,
    /// The owner (CIS 5.5).
    pub owner: String,
    /// Why it exists (CIS 5.5).
    pub purpose: String,
    /// Who to call.
    pub contacts: Vec<String>,
    /// The provider slug (`aws`), as in the rule pack.
    pub provider: Option<String>,
    /// The provider-side principal (an ARN, a service account email).
    pub principal: Option<String>,
    /// Environments it serves.
    pub environments: Vec<String>,
    /// One of [`STATUSES`].
    pub status: String,
    /// Review dates.
    pub review: Review,
    /// When the identity itself expires.
    pub expires: Option<Date>,
    /// The owner's runbook for the whole identity.
    pub runbook: Option<String>,
    /// Its credentials.
    pub credentials: Vec<Credential>,
    /// The manifest file it comes from.
    pub file: String,
    /// Line of its `[[identity]]` table.
    pub line: usize,
}

impl Identity {
    /// The date the review falls due.
    pub fn review_due(&self) -> Date {
        self.review
            .last_reviewed
            .plus_days(i64::from(self.review.interval_days))
    }

    /// Whether the review is overdue on `today`.
    pub fn review_stale(&self, today: Date) -> bool {
        self.review_due() < today
    }

    /// Whether the identity has expired on `today`.
    pub fn expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|e| e < today)
    }
}

impl Credential {
    /// When the next rotation is due, if the last one is known.
    pub fn rotation_due(&self) -> Option<Date> {
        self.rotation
            .last_rotated
            .map(|d| d.plus_days(i64::from(self.rotation.period_days)))
    }

    /// Whether the rotation is overdue on `today`.
    pub fn rotation_overdue(&self, today: Date) -> bool {
        self.rotation_due().is_some_and(|d| d < today)
    }

    /// Whether the credential has expired on `today`.
    pub fn expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|e| e < today)
    }
}

/// The merged manifests.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    /// Identities in precedence order (later entries win ties).
    pub identities: Vec<Identity>,
    /// The files read, in order.
    pub files: Vec<String>,
}

impl Manifest {
    /// The identity with `id`.
    pub fn get(&self, id: &str) -> Option<&Identity> {
        self.identities.iter().find(|i| i.id == id)
    }
}

// ---- raw serde shapes (spans kept for messages) ----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: Option<Spanned<i64>>,
    defaults: Option<RawDefaults>,
    #[serde(default)]
    identity: Vec<Spanned<RawIdentity>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    review_interval_days: Option<Spanned<i64>>,
    rotation_period_days: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIdentity {
    id: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
    owner: Option<Spanned<String>>,
    purpose: Option<Spanned<String>>,
    #[serde(default)]
    contacts: Vec<String>,
    provider: Option<String>,
    principal: Option<String>,
    #[serde(default)]
    environments: Vec<String>,
    status: Option<Spanned<String>>,
    review: Option<Spanned<RawReview>>,
    expires: Option<Spanned<toml::Value>>,
    runbook: Option<String>,
    #[serde(default)]
    credential: Vec<Spanned<RawCredential>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReview {
    last_reviewed: Option<Spanned<toml::Value>>,
    reviewed_by: Option<String>,
    interval_days: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCredential {
    name: Option<String>,
    #[serde(rename = "match")]
    selector: Option<Spanned<RawMatch>>,
    rotation: Option<Spanned<RawRotation>>,
    expires: Option<Spanned<toml::Value>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatch {
    #[serde(default)]
    rules: Vec<Spanned<String>>,
    #[serde(default)]
    paths: Vec<Spanned<String>>,
    #[serde(default)]
    key_ids: Vec<Spanned<String>>,
    #[serde(default)]
    fingerprints: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRotation {
    period_days: Option<Spanned<i64>>,
    last_rotated: Option<Spanned<toml::Value>>,
    runbook: Option<String>,
}

/// A parsed, validated manifest file (before merging).
#[derive(Debug, Clone)]
pub struct ManifestFile {
    /// Its identities, in file order.
    pub identities: Vec<Identity>,
    /// `[defaults]` fields it sets.
    pub defaults: (Option<u32>, Option<u32>),
}

/// Collects problems for one file.
struct Lint<'a> {
    file: &'a str,
    text: &'a str,
    /// Line starts of `text`, indexed once: a manifest of 10,000 identities asks for
    /// tens of thousands of line numbers (counting newlines each time was quadratic).
    lines: crate::finding::LineIndex<'a>,
    errors: Vec<ManifestError>,
}

impl Lint<'_> {
    fn err(&mut self, at: Option<usize>, field: &str, message: impl Into<String>) {
        self.errors.push(ManifestError {
            file: self.file.to_owned(),
            line: at.map(|a| self.lines.line(a)),
            field: (!field.is_empty()).then(|| field.to_owned()),
            message: message.into(),
        });
    }

    fn date(&mut self, v: &Spanned<toml::Value>, field: &str) -> Option<Date> {
        let at = Some(v.span().start);
        let parsed = match v.get_ref() {
            toml::Value::Datetime(dt) => match (dt.date, dt.time) {
                (Some(d), None) => Date::new(i32::from(d.year), d.month, d.day),
                _ => None,
            },
            toml::Value::String(s) => Date::parse(s).filter(|_| s.trim().len() == 10),
            _ => None,
        };
        if parsed.is_none() {
            self.err(
                at,
                field,
                "expected a date such as 2026-10-01 (a TOML date or a \"YYYY-MM-DD\" string)",
            );
        }
        parsed
    }

    fn days(&mut self, v: &Spanned<i64>, field: &str) -> Option<u32> {
        match u32::try_from(*v.get_ref()) {
            Ok(d) if (1..=36_600).contains(&d) => Some(d),
            _ => {
                self.err(
                    Some(v.span().start),
                    field,
                    "expected a number of days between 1 and 36600",
                );
                None
            }
        }
    }

    fn required(
        &mut self,
        v: &Option<Spanned<String>>,
        table_at: usize,
        field: &str,
        why: &str,
    ) -> String {
        match v {
            Some(s) if !s.get_ref().trim().is_empty() => s.get_ref().trim().to_owned(),
            Some(s) => {
                self.err(Some(s.span().start), field, format!("is empty ({why})"));
                String::new()
            }
            None => {
                self.err(
                    Some(table_at),
                    field,
                    format!("missing required field ({why})"),
                );
                String::new()
            }
        }
    }
}

fn is_slug(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b"-_.".contains(c))
}

fn is_fingerprint(s: &str) -> bool {
    s.strip_prefix("kt1:").is_some_and(|h| {
        h.len() == 32
            && h.bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
    })
}

/// Whether a rule finds public identifiers (an access key id), which a manifest may name.
pub fn is_public_id_rule(rule_id: &str) -> bool {
    rule_id.contains("key-id") || rule_id.contains("access-id")
}

/// What the manifest linter needs of a scanner, handed in by the caller (the configuration
/// wraps the scan engine): the manifest parser checks with the scan's own rules, but never
/// depends on the scanner.
pub trait Scanner {
    /// The rules in effect: a `match.rules` selector must name one of them.
    fn pack(&self) -> &RulePack;
    /// What the rules find in `data` (a manifest's text, or one key id), as from `path`.
    fn findings(&self, data: &[u8], path: &str) -> Vec<Finding>;
}

/// Parses and validates one manifest's text. `scanner` (the scan's rules) checks that the
/// manifest holds no secret and that rule selectors name real rules; without it those
/// checks are skipped.
pub fn parse_manifest(
    file: &str,
    text: &str,
    scanner: Option<&dyn Scanner>,
) -> Result<ManifestFile, Vec<ManifestError>> {
    let mut lint = Lint {
        file,
        text,
        lines: crate::finding::LineIndex::new(text.as_bytes()),
        errors: Vec::new(),
    };
    let raw: RawFile = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let at = e.span().map(|s| s.start);
            let msg = e.message().trim().to_owned();
            let field = unknown_field(&msg);
            lint.err(at, field.as_deref().unwrap_or(""), msg);
            return Err(lint.errors);
        }
    };
    if let Some(v) = &raw.version {
        if *v.get_ref() != 1 {
            lint.err(
                Some(v.span().start),
                "version",
                "unsupported version (this keytrace reads version = 1)",
            );
        }
    }
    let mut defaults = (None, None);
    if let Some(d) = &raw.defaults {
        if let Some(v) = &d.review_interval_days {
            defaults.0 = lint.days(v, "defaults.review_interval_days");
        }
        if let Some(v) = &d.rotation_period_days {
            defaults.1 = lint.days(v, "defaults.rotation_period_days");
        }
    }
    let mut identities = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for ident in &raw.identity {
        let at = ident.span().start;
        let line = lint.lines.line(at);
        let r = ident.get_ref();
        let id = lint.required(&r.id, at, "identity.id", "a unique slug");
        if let Some(s) = &r.id {
            if !id.is_empty() && !is_slug(&id) {
                lint.err(
                    Some(s.span().start),
                    "identity.id",
                    format!("`{id}` is not a slug (lowercase letters, digits, `-`, `_`, `.`)"),
                );
            }
            if let Some(prev) = seen.get(&id) {
                lint.err(
                    Some(s.span().start),
                    "identity.id",
                    format!("duplicate id `{id}` (first defined on line {prev})"),
                );
            } else if !id.is_empty() {
                seen.insert(id.clone(), lint.lines.line(s.span().start));
            }
        }
        let field = |f: &str| format!("identity.{f}");
        let kind = lint.required(&r.kind, at, &field("kind"), "the kind of identity");
        if let Some(s) = &r.kind {
            if !kind.is_empty() && !KINDS.contains(&kind.as_str()) {
                lint.err(
                    Some(s.span().start),
                    &field("kind"),
                    format!("unknown kind `{kind}` (one of: {})", KINDS.join(", ")),
                );
            }
        }
        let owner = lint.required(
            &r.owner,
            at,
            &field("owner"),
            "CIS 5.5: every service account has an owner",
        );
        let purpose = lint.required(
            &r.purpose,
            at,
            &field("purpose"),
            "CIS 5.5: every service account has a stated purpose",
        );
        let status = match &r.status {
            Some(s) => {
                let v = s.get_ref().trim().to_owned();
                if !STATUSES.contains(&v.as_str()) {
                    lint.err(
                        Some(s.span().start),
                        &field("status"),
                        format!("unknown status `{v}` (one of: {})", STATUSES.join(", ")),
                    );
                }
                v
            }
            None => "active".to_owned(),
        };
        let review = match &r.review {
            None => {
                lint.err(
                    Some(at),
                    &field("review.last_reviewed"),
                    "missing required field (CIS 5.5: review = { last_reviewed = 2026-10-01 })",
                );
                None
            }
            Some(rv) => {
                let rr = rv.get_ref();
                let interval = rr
                    .interval_days
                    .as_ref()
                    .and_then(|v| lint.days(v, &field("review.interval_days")));
                let last = match &rr.last_reviewed {
                    Some(v) => lint.date(v, &field("review.last_reviewed")),
                    None => {
                        lint.err(
                            Some(rv.span().start),
                            &field("review.last_reviewed"),
                            "missing required field (CIS 5.5: when the identity was last reviewed)",
                        );
                        None
                    }
                };
                last.map(|last_reviewed| Review {
                    last_reviewed,
                    reviewed_by: rr.reviewed_by.clone(),
                    // 0 marks "not set": filled from [defaults] when merging.
                    interval_days: interval.unwrap_or(0),
                })
            }
        };
        let expires = r
            .expires
            .as_ref()
            .and_then(|v| lint.date(v, &field("expires")));
        let mut credentials = Vec::new();
        for (ci, cred) in r.credential.iter().enumerate() {
            if let Some(c) = parse_credential(&mut lint, cred, ci, scanner) {
                credentials.push(c);
            }
        }
        if let Some(review) = review {
            identities.push(Identity {
                id,
                kind,
                owner,
                purpose,
                contacts: r.contacts.clone(),
                provider: r.provider.clone(),
                principal: r.principal.clone(),
                environments: r.environments.clone(),
                status,
                review,
                expires,
                runbook: r.runbook.clone(),
                credentials,
                file: file.to_owned(),
                line,
            });
        }
    }
    if let Some(scanner) = scanner {
        check_no_secrets(&mut lint, &raw, scanner);
    }
    if lint.errors.is_empty() {
        Ok(ManifestFile {
            identities,
            defaults,
        })
    } else {
        lint.errors.sort_by_key(|e| e.line);
        Err(lint.errors)
    }
}

/// The field named by a serde "unknown field `x`" or "missing field `x`" message.
fn unknown_field(msg: &str) -> Option<String> {
    let rest = msg
        .strip_prefix("unknown field `")
        .or_else(|| msg.strip_prefix("missing field `"))?;
    Some(rest.split('`').next()?.to_owned())
}

fn parse_credential(
    lint: &mut Lint<'_>,
    cred: &Spanned<RawCredential>,
    index: usize,
    scanner: Option<&dyn Scanner>,
) -> Option<Credential> {
    let at = cred.span().start;
    let c = cred.get_ref();
    let f = |x: &str| format!("identity.credential.{x}");
    let mut ok = true;
    let mut selector = Selector::default();
    match &c.selector {
        None => {
            lint.err(
                Some(at),
                &f("match"),
                "missing required field (rules, paths, key_ids or fingerprints)",
            );
            ok = false;
        }
        Some(m) => {
            let mr = m.get_ref();
            if mr.rules.is_empty()
                && mr.paths.is_empty()
                && mr.key_ids.is_empty()
                && mr.fingerprints.is_empty()
            {
                lint.err(
                    Some(m.span().start),
                    &f("match"),
                    "selects nothing: give rules, paths, key_ids or fingerprints",
                );
                ok = false;
            }
            for r in &mr.rules {
                let sel = r.get_ref().trim();
                let known = scanner.is_none_or(|e| selects_any(e.pack(), sel));
                if sel.is_empty() || !known {
                    lint.err(
                        Some(r.span().start),
                        &f("match.rules"),
                        format!("`{sel}` is no rule id or prefix (see `keytrace rules list`)"),
                    );
                    ok = false;
                }
                selector.rules.push(sel.to_owned());
            }
            let mut pats = Vec::new();
            for p in &mr.paths {
                if let Err(e) = gitignore_globs(p.get_ref().trim_start_matches('!')) {
                    lint.err(Some(p.span().start), &f("match.paths"), e);
                    ok = false;
                }
                pats.push(p.get_ref().clone());
            }
            if ok {
                selector.paths = PathPatterns::new(&pats).unwrap_or_default();
            }
            for k in &mr.key_ids {
                let v = k.get_ref().trim();
                if v.len() < 4 || !v.bytes().all(|b| b.is_ascii_graphic()) {
                    lint.err(
                        Some(k.span().start),
                        &f("match.key_ids"),
                        "a key id is a public identifier or suffix of at least 4 printable characters",
                    );
                    ok = false;
                }
                selector.key_ids.push(v.to_owned());
            }
            for fp in &mr.fingerprints {
                let v = fp.get_ref().trim();
                if !is_fingerprint(v) {
                    lint.err(
                        Some(fp.span().start),
                        &f("match.fingerprints"),
                        "expected `kt1:` and 32 lowercase hex digits (see `keytrace fingerprint`)",
                    );
                    ok = false;
                }
                selector.fingerprints.push(v.to_owned());
            }
        }
    }
    let mut rotation = RotationPolicy::default();
    let mut expires = None;
    if let Some(rot) = &c.rotation {
        let rr = rot.get_ref();
        if let Some(p) = &rr.period_days {
            rotation.period_days = lint.days(p, &f("rotation.period_days")).unwrap_or(0);
        }
        if let Some(d) = &rr.last_rotated {
            rotation.last_rotated = lint.date(d, &f("rotation.last_rotated"));
            ok &= rotation.last_rotated.is_some();
        }
        rotation.runbook = rr.runbook.clone();
    }
    if let Some(e) = &c.expires {
        expires = lint.date(e, &f("expires"));
        ok &= expires.is_some();
    }
    ok.then(|| Credential {
        name: c
            .name
            .clone()
            .unwrap_or_else(|| format!("credential-{}", index + 1)),
        selector,
        rotation,
        expires,
        line: lint.lines.line(at),
    })
}

fn selects_any(pack: &RulePack, selector: &str) -> bool {
    pack.rules()
        .iter()
        .any(|r| id_selects(selector, &r.spec.id))
}

/// Rejects any value the rule pack would report, except `key_ids` values that are public
/// identifiers and fingerprints.
fn check_no_secrets(lint: &mut Lint<'_>, raw: &RawFile, scanner: &dyn Scanner) {
    // Blank the exempt values (same length, so lines and columns stay put), scan the rest.
    let mut bytes = lint.text.as_bytes().to_vec();
    let mut key_ids = Vec::new();
    for ident in &raw.identity {
        for cred in &ident.get_ref().credential {
            let Some(m) = &cred.get_ref().selector else {
                continue;
            };
            for v in m.get_ref().key_ids.iter().chain(&m.get_ref().fingerprints) {
                let span = v.span();
                for b in &mut bytes[span.start + 1..span.end.saturating_sub(1).max(span.start + 1)]
                {
                    if !b.is_ascii_whitespace() {
                        *b = b'x';
                    }
                }
            }
            key_ids.extend(m.get_ref().key_ids.iter());
        }
    }
    let found = scanner.findings(&bytes, lint.file);
    for f in &found {
        lint.errors.push(ManifestError {
            file: lint.file.to_owned(),
            line: Some(f.line),
            field: None,
            message: format!(
                "this looks like a secret ({}, {}): a manifest holds no secret values; \
                 select the credential by its fingerprint (`keytrace fingerprint`), rule or path",
                f.rule_id, f.redacted
            ),
        });
    }
    // A key id must itself be public: scanned alone, only key-id rules may match it.
    for k in key_ids {
        let v = k.get_ref().trim().as_bytes();
        let found = scanner.findings(v, lint.file);
        if let Some(f) = found.iter().find(|f| !is_public_id_rule(&f.rule_id)) {
            lint.err(
                Some(k.span().start),
                "identity.credential.match.key_ids",
                format!(
                    "this looks like a secret ({}, {}), not a public key id: \
                     use its fingerprint (`keytrace fingerprint`) instead",
                    f.rule_id, f.redacted
                ),
            );
        }
    }
}

/// Reads, validates and merges manifest files in order: a later file's identity replaces
/// an earlier one with the same id (and takes the later position, so it wins ties);
/// `[defaults]` fields of later files override earlier ones.
pub fn load_manifests(
    paths: &[PathBuf],
    scanner: Option<&dyn Scanner>,
) -> Result<Manifest, ManifestErrors> {
    let mut errors = Vec::new();
    let mut files = Vec::new();
    for path in paths {
        let file = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => match parse_manifest(&file, &text, scanner) {
                Ok(m) => files.push((file, m)),
                Err(e) => errors.extend(e),
            },
            Err(e) => errors.push(ManifestError {
                file: file.clone(),
                line: None,
                field: None,
                message: format!("failed to read manifest: {e}"),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(ManifestErrors(errors));
    }
    Ok(merge(files))
}

/// Merges parsed files (see [`load_manifests`]).
pub fn merge(files: Vec<(String, ManifestFile)>) -> Manifest {
    let mut defaults = Defaults::default();
    for (_, f) in &files {
        if let Some(d) = f.defaults.0 {
            defaults.review_interval_days = d;
        }
        if let Some(d) = f.defaults.1 {
            defaults.rotation_period_days = d;
        }
    }
    let mut out = Manifest::default();
    for (name, f) in files {
        out.files.push(name);
        for mut ident in f.identities {
            if ident.review.interval_days == 0 {
                ident.review.interval_days = defaults.review_interval_days;
            }
            for c in &mut ident.credentials {
                if c.rotation.period_days == 0 {
                    c.rotation.period_days = defaults.rotation_period_days;
                }
            }
            out.identities.retain(|i| i.id != ident.id);
            out.identities.push(ident);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ManifestScanner;
    use crate::engine::Engine;
    use crate::matcher::MatchOptions;

    fn engine() -> Engine {
        Engine::new(
            RulePack::builtin(),
            MatchOptions::default(),
            None,
            Vec::new(),
        )
        .unwrap()
    }

    const GOOD: &str = r#"version = 1
[defaults]
review_interval_days = 30

[[identity]]
id = "payments-ci"
kind = "ci-identity"
owner = "group:payments"
purpose = "Deploys payments-api"
review = { last_reviewed = 2026-10-01, reviewed_by = "@alice" }
  [[identity.credential]]
  name = "deploy"
  match = { rules = ["aws."], paths = ["deploy/**", "!deploy/test/**"], key_ids = ["AKIAIOSFODNN7EXAMPL3"] }  # keytrace:allow
  rotation = { period_days = 60, last_rotated = "2026-09-01", runbook = "https://wiki.example/rotate" }
"#;

    fn errors(text: &str) -> Vec<String> {
        parse_manifest("m.toml", text, Some(&ManifestScanner(&engine())))
            .unwrap_err()
            .iter()
            .map(|e| e.to_string())
            .collect()
    }

    #[test]
    fn parses_a_good_manifest() {
        let m = parse_manifest("m.toml", GOOD, Some(&ManifestScanner(&engine()))).unwrap();
        let merged = merge(vec![("m.toml".into(), m)]);
        let i = &merged.identities[0];
        assert_eq!(i.id, "payments-ci");
        assert_eq!(i.line, 5);
        assert_eq!(i.status, "active");
        assert_eq!(i.review.interval_days, 30);
        assert_eq!(i.review_due().to_string(), "2026-10-31");
        let c = &i.credentials[0];
        assert_eq!(c.rotation.period_days, 60);
        assert_eq!(c.rotation_due().unwrap().to_string(), "2026-10-31");
        assert!(c.selector.paths.matches("deploy/prod/a.env"));
        assert!(c.selector.paths.matches("./deploy/a.env"));
        assert!(!c.selector.paths.matches("deploy/test/a.env"));
        assert!(!c.selector.paths.matches("src/deploy.rs"));
    }

    #[test]
    fn gitignore_patterns() {
        let p =
            PathPatterns::new(&["*.env".into(), "/config/*".into(), "secrets/".into()]).unwrap();
        assert!(p.matches("a/b/prod.env"));
        assert!(p.matches("config/x.yml"));
        assert!(!p.matches("a/config/x.yml"));
        assert!(p.matches("config/sub/x.yml")); // below a matching directory
        assert!(p.matches("x/secrets/y"));
        assert!(!p.matches("secrets"));
    }

    #[test]
    fn each_error_names_file_line_and_field() {
        let text = "[[identity]]\nid = \"a\"\nkind = \"robot\"\nowner = \"x\"\npurpose = \"y\"\nreview = { last_reviewed = 2026-01-01 }\n[[identity]]\nid = \"a\"\nkind = \"bot\"\npurpose = \"y\"\nreview = { last_reviewed = \"01/02/2026\" }\n  [[identity.credential]]\n  match = { paths = [\"a/[\"] }\n";
        let e = errors(text);
        let all = e.join("\n");
        assert!(
            all.contains("m.toml, line 3: field `identity.kind`: unknown kind `robot`"),
            "{all}"
        );
        assert!(
            all.contains("line 8: field `identity.id`: duplicate id `a` (first defined on line 2)"),
            "{all}"
        );
        assert!(all.contains("field `identity.owner`: missing"), "{all}");
        assert!(
            all.contains("line 11: field `identity.review.last_reviewed`: expected a date"),
            "{all}"
        );
        assert!(
            all.contains("line 13: field `identity.credential.match.paths`: bad pattern"),
            "{all}"
        );
    }

    #[test]
    fn unknown_fields_and_bad_toml_dates() {
        let e = errors("[[identity]]\nid = \"a\"\nonwer = \"x\"\n").join("\n");
        assert!(e.contains("line 3") && e.contains("onwer"), "{e}");
        let e = errors("[[identity]]\nid = \"a\"\nexpires = 2026-13-01\n").join("\n");
        assert!(e.contains("line 3"), "{e}");
        let e = errors("[defaults]\nreview_interval_days = -1\n").join("\n");
        assert!(
            e.contains("line 2") && e.contains("review_interval_days"),
            "{e}"
        );
    }

    #[test]
    fn unknown_rule_selector() {
        let text = GOOD.replace("rules = [\"aws.\"]", "rules = [\"awz.\"]");
        let e = errors(&text).join("\n");
        assert!(
            e.contains("line 13") && e.contains("`awz.` is no rule"),
            "{e}"
        );
    }

    #[test]
    fn a_secret_in_the_manifest_is_rejected_but_key_ids_are_not() {
        let pat = format!("ghp_{}", "Zq8rT2mK9vX4pL7wN3bH6jF1cD5sA02Lr0ng");
        let text = GOOD.replace("Deploys payments-api", &format!("token {pat}"));
        let e = errors(&text).join("\n");
        assert!(
            e.contains("line 9") && e.contains("looks like a secret"),
            "{e}"
        );
        assert!(
            !e.contains(&pat),
            "the error must not print the secret: {e}"
        );
        let text = GOOD.replace("AKIAIOSFODNN7EXAMPL3", &pat); // keytrace:allow
        let e = errors(&text).join("\n");
        assert!(
            e.contains("line 13") && e.contains("key_ids") && !e.contains(&pat),
            "{e}"
        );
    }

    #[test]
    fn later_files_override_by_id() {
        let a = parse_manifest("a.toml", GOOD, None).unwrap();
        let b_text = GOOD
            .replace("group:payments", "group:platform")
            .replace("[defaults]\nreview_interval_days = 30\n", "");
        let b = parse_manifest("b.toml", &b_text, None).unwrap();
        let m = merge(vec![("a.toml".into(), a), ("b.toml".into(), b)]);
        assert_eq!(m.identities.len(), 1);
        assert_eq!(m.identities[0].owner, "group:platform");
        assert_eq!(m.identities[0].file, "b.toml");
        // b sets no defaults, so a's still apply
        assert_eq!(m.identities[0].review.interval_days, 30);
    }
}
