//! The validated manifest: identities, their credentials and selectors, review and
//! rotation policies, errors with file, line and field. What correlation and the reports
//! read.

use std::fmt;

pub use crate::pathmatch::normalize_path;
use crate::pathmatch::PathMatcher;

use crate::date::Date;

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

/// `review = { ... }` (optional: without it, or without `last_reviewed`, the identity was
/// never reviewed, which is due now).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Review {
    /// When the identity was last reviewed (None: never, issue 12 item 21).
    pub last_reviewed: Option<Date>,
    /// Who reviewed it.
    pub reviewed_by: Option<String>,
    /// Days between reviews (the identity's own, else `[defaults]`).
    pub interval_days: u32,
}

/// The manifest's `match.paths`: gitignore-style patterns (see [`crate::pathmatch`]);
/// the last matching pattern decides, `!` negates.
#[derive(Debug, Clone, Default)]
pub struct PathPatterns {
    matcher: PathMatcher,
}

impl PathPatterns {
    /// Compiles patterns; an error names the pattern.
    pub fn new(patterns: &[String]) -> Result<PathPatterns, String> {
        Ok(PathPatterns {
            matcher: PathMatcher::new(patterns)?,
        })
    }

    /// Whether no pattern is set.
    pub fn is_empty(&self) -> bool {
        self.matcher.is_empty()
    }

    /// Whether `path` (`/`-separated, relative to the repository root) is selected.
    pub fn matches(&self, path: &str) -> bool {
        self.matcher.is_match(path)
    }

    /// The patterns as written.
    pub fn written(&self) -> Vec<&str> {
        self.matcher.written().iter().map(String::as_str).collect()
    }
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
    /// Accounts read from the credential (`facts.account` or `facts.project`): an AWS
    /// account id, an Azure storage account, a Google Cloud project.
    pub accounts: Vec<String>,
    /// Principals read from the credential (`facts.principal`, `facts.user`, a key's
    /// comment or PGP user id): a service account email, a JWT subject, a database user.
    pub principals: Vec<String>,
    /// Hosts read from a connection string or URL (`*.example.com` matches subdomains).
    pub hosts: Vec<String>,
    /// Public key fingerprints (`SHA256:...` as `ssh-keygen -lf` prints it, or a PGP
    /// fingerprint in hex).
    pub public_keys: Vec<String>,
}

impl Selector {
    /// Whether any selector that reads the credential's facts is set.
    pub fn has_facts(&self) -> bool {
        !(self.accounts.is_empty()
            && self.principals.is_empty()
            && self.hosts.is_empty()
            && self.public_keys.is_empty())
    }
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
    pub fn review_due(&self) -> Option<Date> {
        self.review
            .last_reviewed
            .map(|d| d.plus_days(i64::from(self.review.interval_days)))
    }

    /// Whether the identity has never been reviewed (no `review.last_reviewed`).
    pub fn never_reviewed(&self) -> bool {
        self.review.last_reviewed.is_none()
    }

    /// Whether a review is due on `today`: overdue, or never done.
    pub fn review_stale(&self, today: Date) -> bool {
        self.review_due().is_none_or(|due| due < today)
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

/// A parsed, validated manifest file (before merging).
#[derive(Debug, Clone)]
pub struct ManifestFile {
    /// Its identities, in file order.
    pub identities: Vec<Identity>,
    /// `[defaults]` fields it sets.
    pub defaults: (Option<u32>, Option<u32>),
}
