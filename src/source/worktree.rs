//! The working-tree source: a parallel walk (`ignore`) that respects `.gitignore`, scans
//! hidden files (a `.env` is exactly where secrets live) but never `.git`, does not follow
//! symlinks, skips binaries and files over the size limit with a count, and reports
//! unreadable files by path without stopping.

use std::io::Read;
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use ignore::{WalkBuilder, WalkState};

use crate::finding::SourceKind;
use crate::scan::{looks_binary, Engine, ScanOutput, Stats};

/// Options for a working-tree scan.
#[derive(Debug, Clone)]
pub struct WorktreeOptions {
    /// Files larger than this are skipped and counted.
    pub max_file_size: u64,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Scan files that look binary instead of skipping them.
    pub scan_binaries: bool,
}

/// Scans every file under `root`.
pub fn scan(engine: &Engine, root: &Path, opts: &WorktreeOptions) -> ScanOutput {
    let start = Instant::now();
    let stats = Stats::default();
    let findings = Mutex::new(Vec::new());
    let walker = WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .ignore(false)
        .parents(true)
        .follow_links(false)
        .threads(opts.threads)
        .filter_entry(|e| e.file_name() != ".git")
        .build_parallel();
    let root_is_file = root.is_file();
    walker.run(|| {
        let mut matcher = engine.matcher();
        let mut buf = Vec::new();
        let mut raw = Vec::new();
        let mut local = Vec::new();
        let stats = &stats;
        let findings = &findings;
        Box::new(move |entry| {
            // Ctrl-C: stop walking; what was found so far is reported (exit 130).
            if crate::progress::interrupted() {
                return WalkState::Quit;
            }
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    stats.error(format!(
                        "cannot read: {}",
                        crate::report::sanitize(&err.to_string())
                    ));
                    return WalkState::Continue;
                }
            };
            let Some(ft) = entry.file_type() else {
                return WalkState::Continue;
            };
            if !ft.is_file() {
                if !ft.is_dir() && !ft.is_symlink() {
                    Stats::bump(&stats.skipped_other); // FIFOs, sockets, devices
                }
                return WalkState::Continue;
            }
            let path = display_path(root, entry.path(), root_is_file);
            if engine.path_excluded(&path) {
                return WalkState::Continue;
            }
            match read_file(entry.path(), opts.max_file_size, &mut buf) {
                Ok(true) => {}
                Ok(false) => {
                    Stats::bump(&stats.skipped_large);
                    return WalkState::Continue;
                }
                Err(err) => {
                    stats.error(format!("{}: {}", crate::report::sanitize(&path), err));
                    return WalkState::Continue;
                }
            }
            if !opts.scan_binaries && looks_binary(&buf) {
                Stats::bump(&stats.skipped_binary);
                return WalkState::Continue;
            }
            Stats::bump(&stats.scanned);
            stats
                .bytes
                .fetch_add(buf.len() as u64, std::sync::atomic::Ordering::Relaxed);
            let before = matcher.stats.inline_suppressed;
            engine.scan_blob(
                &mut matcher,
                &buf,
                &path,
                SourceKind::Worktree,
                None,
                &mut raw,
                &mut local,
            );
            let suppressed = matcher.stats.inline_suppressed - before;
            if suppressed > 0 {
                stats
                    .inline_suppressed
                    .fetch_add(suppressed, std::sync::atomic::Ordering::Relaxed);
            }
            if !local.is_empty() {
                findings
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .append(&mut local);
            }
            WalkState::Continue
        })
    });
    let findings = findings.into_inner().unwrap_or_else(|p| p.into_inner());
    ScanOutput::from_stats(stats, findings, start.elapsed())
}

/// Reads `path` into `buf` unless it is larger than `max`; `Ok(false)` means too large.
fn read_file(path: &Path, max: u64, buf: &mut Vec<u8>) -> std::io::Result<bool> {
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > max {
        return Ok(false);
    }
    buf.clear();
    buf.reserve(len as usize);
    // `take` guards against a file that grows while it is read.
    (&mut file).take(max + 1).read_to_end(buf)?;
    Ok(buf.len() as u64 <= max)
}

/// The path shown for a file: relative to the scan root, `/`-separated, or as given when
/// the root is the file itself.
fn display_path(root: &Path, path: &Path, root_is_file: bool) -> String {
    let rel = if root_is_file {
        path
    } else {
        path.strip_prefix(root).unwrap_or(path)
    };
    let s = rel.to_string_lossy();
    let s = s.strip_prefix("./").unwrap_or(&s);
    if std::path::MAIN_SEPARATOR == '\\' {
        s.replace('\\', "/")
    } else {
        s.to_owned()
    }
}
