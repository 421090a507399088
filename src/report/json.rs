//! `json` (one document with findings and a summary) and `jsonl` (one finding per line).

use std::io::{self, Write};

use serde::Serialize;

use crate::engine::ScanOutput;
use crate::finding::Finding;

/// The summary object of the `json` format.
#[derive(Debug, Serialize)]
struct Summary<'a> {
    scanned: u64,
    bytes: u64,
    findings: usize,
    skipped_binary: u64,
    skipped_large: u64,
    skipped_other: u64,
    inline_suppressed: u64,
    /// Findings hidden by the baseline, the ignore file, `.gitleaksignore`, in all.
    suppressed: u64,
    /// The same, per source.
    suppressed_by: crate::suppress::SuppressCounts,
    errors: &'a [crate::engine::ScanError],
    notes: &'a [String],
    elapsed_ms: u128,
}

#[derive(Debug, Serialize)]
struct Document<'a> {
    version: &'static str,
    findings: &'a [Finding],
    summary: Summary<'a>,
}

/// Writes one JSON document.
pub fn write(w: &mut dyn Write, out: &ScanOutput, findings: &[Finding]) -> io::Result<()> {
    let doc = Document {
        version: env!("CARGO_PKG_VERSION"),
        findings,
        summary: Summary {
            scanned: out.scanned,
            bytes: out.bytes,
            findings: findings.len(),
            skipped_binary: out.skipped_binary,
            skipped_large: out.skipped_large,
            skipped_other: out.skipped_other,
            inline_suppressed: out.inline_suppressed,
            suppressed: out.suppressed.total(),
            suppressed_by: out.suppressed,
            errors: &out.errors,
            notes: &out.notes,
            elapsed_ms: out.elapsed.as_millis(),
        },
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
