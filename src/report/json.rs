//! `json` (one document with findings and a summary) and `jsonl` (one finding per line),
//! and reading a `json` document back ([`Report`]) so that every other format can be
//! rendered from one saved scan (`keytrace render`, `keytrace merge`).
//!
//! The document carries what the other formats need beyond the findings: the scan `mode`
//! (SARIF category, Markdown wording), the `rules` the findings reference (SARIF rule
//! descriptors, also for rules a later build no longer has), each finding's `line_hash`
//! and the summary's counters, errors and notes.

use std::io::{self, Write};
use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::engine::{ScanError, ScanOutput, SuppressCounts};
use crate::finding::{Finding, SourceKind};
use crate::rules::{CredentialKind, Origin, Rule, RulePack, RuleSpec, Severity};

/// The summary object of the `json` format.
#[derive(Debug, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Summary {
    /// Files or blobs scanned.
    pub scanned: u64,
    /// Bytes scanned.
    pub bytes: u64,
    /// Findings reported.
    pub findings: usize,
    /// Skipped as binary.
    pub skipped_binary: u64,
    /// Skipped as too large.
    pub skipped_large: u64,
    /// Skipped for other reasons.
    pub skipped_other: u64,
    /// Allowed inline.
    pub inline_suppressed: u64,
    /// Findings hidden by the baseline, the ignore file, `.gitleaksignore`, in all.
    pub suppressed: u64,
    /// The same, per source.
    pub suppressed_by: SuppressCounts,
    /// Inputs that could not be read.
    pub errors: Vec<String>,
    /// Notes (a shallow clone, an empty range).
    pub notes: Vec<String>,
    /// Wall time.
    pub elapsed_ms: u128,
}

impl Summary {
    fn of(out: &ScanOutput, findings: usize) -> Summary {
        Summary {
            scanned: out.scanned,
            bytes: out.bytes,
            findings,
            skipped_binary: out.skipped_binary,
            skipped_large: out.skipped_large,
            skipped_other: out.skipped_other,
            inline_suppressed: out.inline_suppressed,
            suppressed: out.suppressed.total(),
            suppressed_by: out.suppressed,
            errors: out.errors.iter().map(ToString::to_string).collect(),
            notes: out.notes.clone(),
            elapsed_ms: out.elapsed.as_millis(),
        }
    }
}

/// What SARIF says of a rule: enough to describe it without the rule pack.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RuleInfo {
    /// Rule id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Provider slug (keys the rotation guidance).
    pub provider: String,
    /// Kind of credential.
    pub credential: CredentialKind,
    /// Severity.
    pub severity: Severity,
    /// Format references.
    #[serde(default)]
    pub references: Vec<String>,
}

impl RuleInfo {
    fn of(spec: &RuleSpec) -> RuleInfo {
        RuleInfo {
            id: spec.id.clone(),
            name: spec.name.clone(),
            provider: spec.provider.clone(),
            credential: spec.credential,
            severity: spec.severity,
            references: spec.references.clone(),
        }
    }

    /// A rule spec with these fields and nothing to match (it describes, never runs).
    pub fn spec(&self) -> RuleSpec {
        RuleSpec {
            references: self.references.clone(),
            ..RuleSpec::new(
                self.id.as_str(),
                self.name.as_str(),
                self.provider.as_str(),
                self.credential,
                self.severity,
            )
        }
    }
}

/// A repository scanned by `scan --repos` (or merged in by `keytrace merge`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Repository {
    /// The name findings carry in their `repository` field.
    pub name: String,
    /// Where it was read (the path or `file://` URL of the list).
    #[serde(default)]
    pub location: String,
    /// A URI for it (SARIF `versionControlProvenance`): its name when that is a URL, else
    /// a `file://` URL of where it was read.
    #[serde(default)]
    pub uri: String,
    /// The commit HEAD pointed at, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// Why it could not be scanned, if it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The `json` document, as read back.
#[derive(Debug, Serialize, Deserialize)]
pub struct Report {
    /// keytrace's version that wrote it.
    #[serde(default)]
    pub version: String,
    /// What was scanned (`worktree`, `history`, ...).
    #[serde(default = "default_mode")]
    pub mode: SourceKind,
    /// The findings.
    pub findings: Vec<Finding>,
    /// The rules the findings reference, by id.
    #[serde(default)]
    pub rules: Vec<RuleInfo>,
    /// Repositories of a multi-repository scan or a merge; empty for one repository.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repositories: Vec<Repository>,
    /// Counters, errors and notes.
    #[serde(default)]
    pub summary: Summary,
}

/// Reports written before the field existed were working-tree scans by default.
fn default_mode() -> SourceKind {
    SourceKind::Worktree
}

impl Report {
    /// Reads a `json` report; errors name the file and, for bad JSON, line and column.
    pub fn read(path: &Path) -> anyhow::Result<Report> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("failed to read report {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a keytrace JSON report (`keytrace scan --format json`)",
                path.display()
            )
        })
    }

    /// The scan output this report describes (findings moved out of the report).
    pub fn take_output(&mut self) -> ScanOutput {
        let s = &self.summary;
        ScanOutput {
            findings: std::mem::take(&mut self.findings),
            // Already printed text (sanitized when written); printing is idempotent.
            errors: s.errors.iter().cloned().map(ScanError::general).collect(),
            scanned: s.scanned,
            bytes: s.bytes,
            skipped_binary: s.skipped_binary,
            skipped_large: s.skipped_large,
            skipped_other: s.skipped_other,
            inline_suppressed: s.inline_suppressed,
            suppressed: s.suppressed_by,
            elapsed: Duration::from_millis(u64::try_from(s.elapsed_ms).unwrap_or(u64::MAX)),
            notes: s.notes.clone(),
        }
    }

    /// A rule pack that describes (never runs) the report's rules, for SARIF.
    pub fn pack(&self) -> anyhow::Result<RulePack> {
        let mut rules = Vec::with_capacity(self.rules.len());
        for r in &self.rules {
            let origin = Origin {
                file: "report".to_owned(),
                builtin: false,
            };
            rules.push(Rule::new(r.spec(), origin)?);
        }
        Ok(RulePack::from_rules(rules))
    }
}

/// The rules `findings` reference, described from `pack` (else from the finding), by id.
fn rules_of(findings: &[Finding], pack: &RulePack) -> Vec<RuleInfo> {
    let mut ids: std::collections::BTreeMap<&str, &Finding> = Default::default();
    for f in findings {
        ids.entry(f.rule_id.as_str()).or_insert(f);
    }
    ids.into_iter()
        .map(
            |(id, f)| match pack.rules().iter().find(|r| r.spec.id == id) {
                Some(r) => RuleInfo::of(&r.spec),
                None => RuleInfo {
                    id: f.rule_id.clone(),
                    name: f.rule_name.clone(),
                    provider: f.provider.clone(),
                    credential: f.credential,
                    severity: f.severity,
                    references: Vec::new(),
                },
            },
        )
        .collect()
}

#[derive(Debug, Serialize)]
struct Document<'a> {
    version: &'static str,
    findings: &'a [Finding],
    summary: Summary,
    mode: SourceKind,
    rules: Vec<RuleInfo>,
    #[serde(skip_serializing_if = "<[Repository]>::is_empty")]
    repositories: &'a [Repository],
}

/// Writes one JSON document.
pub fn write(
    w: &mut dyn Write,
    out: &ScanOutput,
    findings: &[Finding],
    pack: &RulePack,
    mode: SourceKind,
    repositories: &[Repository],
) -> io::Result<()> {
    let doc = Document {
        version: env!("CARGO_PKG_VERSION"),
        findings,
        summary: Summary::of(out, findings.len()),
        mode,
        rules: rules_of(findings, pack),
        repositories,
    };
    serde_json::to_writer_pretty(&mut *w, &doc)?;
    writeln!(w)
}

/// Writes one finding per line.
pub fn write_lines(w: &mut dyn Write, findings: &[Finding]) -> io::Result<()> {
    for f in findings {
        serde_json::to_writer(&mut *w, f)?;
        writeln!(w)?;
    }
    Ok(())
}
