//! Output formats. Every format escapes control characters in what it prints (a file
//! name or a line can hold terminal escapes) and prints no secret unless the finding
//! carries one (`--show-secrets`).

pub mod describe;
pub mod github;
pub mod json;
pub mod markdown;
pub mod merge;
pub mod sarif;
pub mod text;

use std::io::{self, Write};
use std::path::PathBuf;

use crate::engine::ScanOutput;
use crate::finding::{Finding, SourceKind};
use crate::rules::RulePack;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable, redacted, coloured on a terminal.
    Text,
    /// One JSON document: `{ "findings": [...], "summary": {...} }`.
    Json,
    /// One finding per line.
    Jsonl,
    /// SARIF 2.1.0 for GitHub code scanning (history-only findings go to a second file).
    Sarif,
    /// GitHub Actions workflow commands: annotations on the findings' lines.
    Github,
    /// A Markdown summary for `$GITHUB_STEP_SUMMARY`.
    Markdown,
}

/// How to render.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// The format.
    pub format: Format,
    /// Use ANSI colours (text only).
    pub color: bool,
    /// What was scanned: names the SARIF category and the summary's mode.
    pub mode: SourceKind,
    /// `--category`: the SARIF `automationDetails.id` instead of `keytrace/<mode>/`.
    pub category: Option<String>,
    /// `--sarif-history`: where history-only findings go (named in the main SARIF file).
    pub sarif_history: Option<PathBuf>,
    /// `--max-annotations`: annotations per level (github format).
    pub max_annotations: usize,
    /// The repositories of a multi-repository scan or a merge (JSON `repositories`,
    /// SARIF `versionControlProvenance`); empty for one repository.
    pub repositories: Vec<json::Repository>,
}

impl RenderOptions {
    /// Options for `format` with every other setting at its default.
    pub fn new(format: Format) -> RenderOptions {
        RenderOptions {
            format,
            color: false,
            mode: SourceKind::Worktree,
            category: None,
            sarif_history: None,
            max_annotations: github::DEFAULT_MAX_ANNOTATIONS,
            repositories: Vec::new(),
        }
    }
}

/// Writes the findings of `out` in the chosen format. `pack` describes the rules in SARIF.
pub fn write(
    w: &mut dyn Write,
    out: &ScanOutput,
    findings: &[Finding],
    pack: &RulePack,
    opts: &RenderOptions,
) -> io::Result<()> {
    match opts.format {
        Format::Text => text::write(w, findings, opts.color),
        Format::Json => json::write(w, out, findings, pack, opts.mode, &opts.repositories),
        Format::Jsonl => json::write_lines(w, findings),
        Format::Sarif => sarif::write(w, out, findings, pack, opts, sarif::Part::Current),
        Format::Github => github::write(w, findings, opts.max_annotations),
        Format::Markdown => markdown::write(w, out, findings, opts.mode),
    }
}

/// The one-line summary printed on stderr after a scan.
pub fn summary_line(out: &ScanOutput, reported: usize) -> String {
    let secs = out.elapsed.as_secs_f64();
    let mb = out.bytes as f64 / 1e6;
    let rate = if secs > 0.0 { mb / secs } else { 0.0 };
    let mut s = format!(
        "keytrace: scanned {} ({:.1} MB) in {:.2}s ({:.0} MB/s): {}",
        crate::plural::count(out.scanned, "file", "files"),
        mb,
        secs,
        rate,
        crate::plural::count(reported, "finding", "findings"),
    );
    let mut skipped = Vec::new();
    if out.skipped_binary > 0 {
        skipped.push(format!("{} binary", out.skipped_binary));
    }
    if out.skipped_large > 0 {
        skipped.push(format!("{} over the size limit", out.skipped_large));
    }
    if out.skipped_other > 0 {
        skipped.push(format!("{} other", out.skipped_other));
    }
    if !skipped.is_empty() {
        s.push_str(&format!("; skipped {}", skipped.join(", ")));
    }
    if out.inline_suppressed > 0 {
        s.push_str(&format!("; {} allowed inline", out.inline_suppressed));
    }
    if out.suppressed.total() > 0 {
        s.push_str(&format!(
            "; {} suppressed ({})",
            out.suppressed.total(),
            out.suppressed.describe()
        ));
    }
    if !out.errors.is_empty() {
        s.push_str(&format!("; {} unreadable", out.errors.len()));
    }
    s
}

/// Helpers shared by the format modules' unit tests.
#[cfg(test)]
pub(crate) mod test_support {
    use crate::finding::{Finding, LineIndex, SourceKind};
    use crate::rules::{RulePack, Severity};

    /// A worktree finding of the first built-in rule at `path`, with severity `sev`: the
    /// 32 hex digits of `token = ...` on line 1, columns 9 to 41.
    pub fn finding(path: &str, sev: Severity) -> Finding {
        static PACK: std::sync::OnceLock<RulePack> = std::sync::OnceLock::new();
        let pack = PACK.get_or_init(RulePack::builtin);
        let data = b"token = 0123456789abcdef0123456789abcdef\n";
        let idx = LineIndex::new(data);
        let mut f = Finding::new(
            &pack.rules()[0],
            data,
            &idx,
            8,
            40,
            path.into(),
            SourceKind::Worktree,
        );
        f.severity = sev;
        f
    }
}
