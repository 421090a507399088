//! The working-tree source: a parallel walk (`ignore`) that respects `.gitignore`, scans
//! hidden files (a `.env` is exactly where secrets live) but never `.git`, does not follow
//! symlinks, skips binaries and files over the size limit with a count, and reports
//! unreadable files by path without stopping. Files are read in chunks
//! ([`super::chunked`]), so a file of any size costs at most one chunk of memory.

use std::path::Path;
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

use super::chunked::{self, Outcome};
use super::ReadLimits;
use crate::engine::{Engine, ScanError, ScanOutput, Stats, Worker};
use crate::finding::SourceKind;

/// Options for a working-tree scan.
#[derive(Debug, Clone)]
pub struct WorktreeOptions {
    /// Size limit, chunk size, binaries.
    pub limits: ReadLimits,
    /// Worker threads (resolved by the configuration: at least 1).
    pub threads: usize,
    /// The scanned path relative to the repository root (`deploy`, or `deploy/app.env`
    /// for a file), so findings are named from the root whatever folder is scanned; None
    /// for the root itself or outside a repository.
    pub base: Option<String>,
}

/// Scans every file under `root`.
pub fn scan(engine: &Engine, root: &Path, opts: &WorktreeOptions) -> ScanOutput {
    let stats = Stats::default();
    let findings = Mutex::new(Vec::new());
    let root_is_file = root.is_file();
    let walker = WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .ignore(false)
        .parents(true)
        .follow_links(false)
        // One file: a second walker thread would only sleep-poll for work that never
        // comes (milliseconds of a hook's or an editor's latency).
        .threads(if root_is_file { 1 } else { opts.threads })
        .filter_entry(|e| e.file_name() != ".git")
        .build_parallel();
    walker.run(|| {
        let mut worker = engine.worker();
        let mut scratch = chunked::Scratch::default();
        let stats = &stats;
        let findings = &findings;
        let chunking = opts.limits;
        Box::new(move |entry| {
            // Ctrl-C: stop walking; what was found so far is reported (exit 130).
            if crate::progress::interrupted() {
                return WalkState::Quit;
            }
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    stats.error(walk_error(root, root_is_file, opts.base.as_deref(), &err));
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
            let path = display_path(root, entry.path(), root_is_file, opts.base.as_deref());
            if engine.path_excluded(&path) {
                return WalkState::Continue;
            }
            let scanned = scan_file(&mut worker, entry.path(), &path, &chunking, &mut scratch);
            scratch.shrink();
            match scanned {
                Ok(outcome) => outcome.count(stats),
                // What was found before the error is kept; the error names the file.
                Err(err) => stats.error(ScanError::new(path.as_str(), err)),
            }
            worker.add_counts(stats);
            if let Some(raw) = raw_display(root, entry.path(), root_is_file, opts.base.as_deref()) {
                // A name that is not UTF-8 keeps its bytes (issue 12, item 10).
                for f in &mut worker.out {
                    f.set_path_bytes(&raw);
                }
            }
            if !worker.out.is_empty() {
                findings
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .append(&mut worker.out);
            }
            WalkState::Continue
        })
    });
    let findings = findings.into_inner().unwrap_or_else(|p| p.into_inner());
    stats.finish(findings)
}

/// Scans the file at `path` (shown as `shown`) unless it is larger than the limit.
fn scan_file(
    worker: &mut Worker<'_>,
    path: &Path,
    shown: &str,
    opts: &ReadLimits,
    scratch: &mut chunked::Scratch,
) -> std::io::Result<Outcome> {
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > opts.max_file_size {
        return Ok(Outcome::TooLarge);
    }
    chunked::scan(
        worker,
        &mut file,
        Some(len),
        shown,
        SourceKind::Worktree,
        opts,
        scratch,
    )
}

/// A walk error (a folder that cannot be listed, a symlink loop given as the root) as
/// `path: reason`, the path shown as a file's would be.
fn walk_error(
    root: &Path,
    root_is_file: bool,
    base: Option<&str>,
    err: &ignore::Error,
) -> ScanError {
    match err {
        ignore::Error::WithDepth { err, .. } => walk_error(root, root_is_file, base, err),
        ignore::Error::WithPath { path, err } => {
            let shown = display_path(root, path, root_is_file, base);
            if shown.is_empty() {
                ScanError::new(path.to_string_lossy(), err)
            } else {
                ScanError::new(shown, err)
            }
        }
        other => ScanError::general(format!("cannot read: {other}")),
    }
}

/// The path shown for a file: relative to the repository root when the scan has a `base`
/// (its path from there), else relative to the scan root, `/`-separated, or as given when
/// the root is the file itself.
fn display_path(root: &Path, path: &Path, root_is_file: bool, base: Option<&str>) -> String {
    let shown = display_from_scan_root(root, path, root_is_file);
    match base {
        Some(b) if root_is_file => b.to_owned(),
        Some(b) if !shown.is_empty() => format!("{b}/{shown}"),
        Some(b) => b.to_owned(),
        None => shown,
    }
}

/// The exact bytes of the display path of a file whose name is not UTF-8 (None when it
/// is UTF-8, or off Unix, where names are not bytes).
fn raw_display(
    root: &Path,
    path: &Path,
    root_is_file: bool,
    base: Option<&str>,
) -> Option<Vec<u8>> {
    if path.to_str().is_some() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let rel = if root_is_file {
            path
        } else {
            path.strip_prefix(root).unwrap_or(path)
        };
        let mut bytes = rel.as_os_str().as_bytes();
        while let Some(rest) = bytes.strip_prefix(b"./") {
            bytes = rest;
        }
        let mut out = Vec::new();
        match base {
            Some(b) if !root_is_file => {
                out.extend_from_slice(b.as_bytes());
                out.push(b'/');
            }
            _ => {}
        }
        out.extend_from_slice(bytes);
        Some(out)
    }
    #[cfg(not(unix))]
    {
        let _ = (root, root_is_file, base);
        None
    }
}

fn display_from_scan_root(root: &Path, path: &Path, root_is_file: bool) -> String {
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
