//! Git sources through gix: the index against HEAD (`staged`), the commits of a range
//! (`range`), and every committed blob (`history`). Repositories are opened isolated from
//! the user's and system's git config; blobs are read from the object database, never
//! from the working tree.

pub mod delta;
pub mod history;
pub mod range;
pub mod staged;

use std::ops::Range;
use std::path::Path;

use anyhow::{anyhow, bail, Context as _};
use gix::objs::tree::EntryKind;
use gix::ObjectId;

use super::ReadLimits;
use crate::engine::{looks_binary, AddedLines, Stats};
use crate::finding::CommitInfo;

/// Options shared by the git sources.
#[derive(Debug, Clone)]
pub struct GitOptions {
    /// Size limit and binaries (the chunk size does not apply: blobs are read whole).
    pub limits: ReadLimits,
    /// Worker threads for history (resolved by the configuration: at least 1).
    pub threads: usize,
    /// History: report findings in blobs no scanned ref reaches (flagged `unreachable`).
    pub include_unreachable: bool,
    /// History: all refs instead of HEAD only.
    pub all_refs: bool,
    /// History: search a blob stored as a delta only where it differs from its base.
    pub delta_aware: bool,
}

/// Opens the repository containing `path`, isolated from user and system config.
pub fn open(path: &Path) -> anyhow::Result<gix::ThreadSafeRepository> {
    // `isolated()` also ignores core.deltaBaseCacheLimit; a moderate delta-base cache makes
    // random access to trees (provenance) about twice as fast.
    let opts = gix::open::Options::isolated().config_overrides(["core.deltaBaseCacheLimit=96m"]);
    let repo = gix::discover_opts(path, Default::default(), opts)
        .map_err(|e| anyhow!("{e}"))
        .with_context(|| format!("{} is not in a git repository", path.display()))?;
    Ok(repo.into_sync())
}

/// Lines of `new` added relative to `old` (histogram diff with git's slider heuristics).
pub fn added_lines(old: &[u8], new: &[u8]) -> AddedLines {
    use gix::diff::blob::{Algorithm, Diff, InternedInput};
    if new.is_empty() {
        return AddedLines::default();
    }
    if old.is_empty() {
        let n = gix::diff::blob::sources::byte_lines(new).count();
        return AddedLines(vec![(1, n.max(1))]);
    }
    let input = InternedInput::new(old, new);
    let mut diff = Diff::compute(Algorithm::Histogram, &input);
    diff.postprocess_lines(&input);
    let mut out: Vec<(usize, usize)> = Vec::new();
    for h in diff.hunks() {
        let r: Range<u32> = h.after;
        if r.is_empty() {
            continue;
        }
        let (s, e) = (r.start as usize + 1, r.end as usize);
        match out.last_mut() {
            Some(last) if last.1 + 1 >= s => last.1 = e.max(last.1),
            _ => out.push((s, e)),
        }
    }
    AddedLines(out)
}

/// Regular and executable files only: symlinks hold paths, gitlinks are submodules.
pub fn is_file_entry(kind: EntryKind) -> bool {
    matches!(kind, EntryKind::Blob | EntryKind::BlobExecutable)
}

/// Reads a blob from the object database; a missing object is an error naming it.
pub fn read_blob(repo: &gix::Repository, id: ObjectId) -> anyhow::Result<Vec<u8>> {
    let obj = repo
        .try_find_object(id)
        .with_context(|| format!("cannot read object {id}"))?
        .ok_or_else(|| anyhow!("object {id} is missing from the object database (corrupt repository, or a partial clone)"))?;
    if obj.kind != gix::object::Kind::Blob {
        bail!("object {id} is a {}, expected a blob", obj.kind);
    }
    Ok(obj.detach().data)
}

/// The first line of a Git LFS pointer file.
const LFS_POINTER: &[u8] = b"version https://git-lfs.github.com/spec/";

/// Decides whether a blob is scanned, counting the reason when it is not.
pub fn should_scan(data: &[u8], opts: &GitOptions, stats: &Stats) -> bool {
    if data.len() as u64 > opts.limits.max_file_size {
        Stats::bump(&stats.skipped_large);
        return false;
    }
    if data.len() < 200 && data.starts_with(LFS_POINTER) {
        Stats::bump(&stats.skipped_other);
        return false;
    }
    if !opts.limits.scan_binaries && looks_binary(data) {
        Stats::bump(&stats.skipped_binary);
        return false;
    }
    true
}

/// Author, date and summary of a commit.
pub fn commit_info(commit: &gix::Commit<'_>) -> anyhow::Result<CommitInfo> {
    let author = commit
        .author()
        .with_context(|| format!("cannot decode the author of commit {}", commit.id))?;
    let date = author
        .time()
        .ok()
        .and_then(|t| t.format(gix::date::time::format::ISO8601_STRICT).ok())
        .unwrap_or_else(|| author.time.to_string());
    Ok(CommitInfo {
        id: commit.id.to_string(),
        author: author.name.to_string(),
        email: author.email.to_string(),
        date,
        message_summary: commit
            .message()
            .map(|m| m.summary().to_string())
            .unwrap_or_default(),
    })
}

/// Resolves a revision (`main`, `HEAD~3`, a hex id) to a commit; a missing one in a
/// shallow clone says to fetch more history.
pub fn resolve_commit(repo: &gix::Repository, spec: &str, what: &str) -> anyhow::Result<ObjectId> {
    let parsed = repo
        .rev_parse_single(spec)
        .map_err(|e| anyhow!("{e:#}"))
        .and_then(|id| {
            let obj = id.object().map_err(|e| anyhow!("{e:#}"))?;
            Ok(obj
                .peel_to_kind(gix::object::Kind::Commit)
                .map_err(|e| anyhow!("{e:#}"))?
                .id)
        });
    match parsed {
        Ok(id) => Ok(id),
        Err(err) if repo.is_shallow().unwrap_or(false) => bail!(
            "{what} commit `{spec}` is not available: this is a shallow clone. Fetch more history \
             (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout). ({err})"
        ),
        Err(err) => {
            bail!("{what} commit `{spec}` not found: {err}. If it exists upstream, fetch it first.")
        }
    }
}
