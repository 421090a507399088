//! Standard input as one stream, reported under the path `-` (or a name given with
//! `--stdin-name`).

use std::io::Read;
use std::time::Instant;

use crate::finding::SourceKind;
use crate::scan::{Engine, ScanOutput, Stats};

/// Reads all of `input` (up to `max` bytes) and scans it.
pub fn scan(engine: &Engine, mut input: impl Read, name: &str, max: u64) -> ScanOutput {
    let start = Instant::now();
    let stats = Stats::default();
    let mut buf = Vec::new();
    let mut findings = Vec::new();
    match (&mut input).take(max + 1).read_to_end(&mut buf) {
        Err(e) => stats.error(format!("standard input: {e}")),
        Ok(_) if buf.len() as u64 > max => Stats::bump(&stats.skipped_large),
        Ok(_) => {
            let mut matcher = engine.matcher();
            let mut raw = Vec::new();
            Stats::bump(&stats.scanned);
            stats
                .bytes
                .fetch_add(buf.len() as u64, std::sync::atomic::Ordering::Relaxed);
            engine.scan_blob(
                &mut matcher,
                &buf,
                name,
                SourceKind::Stdin,
                None,
                &mut raw,
                &mut findings,
            );
            stats.inline_suppressed.fetch_add(
                matcher.stats.inline_suppressed,
                std::sync::atomic::Ordering::Relaxed,
            );
        }
    }
    ScanOutput::from_stats(stats, findings, start.elapsed())
}
