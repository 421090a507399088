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
    /// History: provenance from the tree graph recorded during the blob pass (the default)
    /// instead of re-reading every tree of every commit (`--provenance-walk`, kept for the
    /// differential tests).
    pub provenance_graph: bool,
}

/// Opens the repository containing `path`, isolated from user and system config.
pub fn open(path: &Path) -> anyhow::Result<gix::ThreadSafeRepository> {
    // `isolated()` also ignores core.deltaBaseCacheLimit; a moderate delta-base cache makes
    // random access to trees (provenance) about twice as fast.
    let opts = gix::open::Options::isolated().config_overrides(["core.deltaBaseCacheLimit=96m"]);
    let repo =
        gix::discover_opts(path, Default::default(), opts).map_err(|e| open_error(path, &e))?;
    Ok(repo.into_sync())
}

/// A plain sentence for a repository that could not be opened (issue 12, item 11): gix's
/// own messages nest debug dumps, so the cause is classified and worded here.
fn open_error(path: &Path, e: &(dyn std::error::Error + 'static)) -> anyhow::Error {
    let shown = path.display();
    let causes = plain_causes(e);
    if std::fs::metadata(path).is_err() {
        return anyhow!("cannot scan {shown}: no such file or directory");
    }
    if let Some(parse) = causes.iter().find(|c| c.contains(" on line ")) {
        return anyhow!(
            "cannot open the git repository at {shown}: its configuration file (.git/config) \
             has a syntax error: {parse}. Fix that line (`git config --list` reports the same \
             error) and run keytrace again."
        );
    }
    if causes
        .iter()
        .any(|c| c.starts_with("Could not find a git repository"))
    {
        return anyhow!(
            "{shown} is not inside a git repository. --staged, --range, --pre-push and \
             --history read git: run keytrace inside a repository, or drop those flags to \
             scan the files of a folder."
        );
    }
    anyhow!(
        "cannot open the git repository at {shown}: {}. Check that it is a readable git \
         repository (`git status` there).",
        causes.join(": ")
    )
}

/// The readable messages of an error and its sources, each on one line: gix's
/// classification markers (`Validation`, `NotFound`) and debug dumps are left out, and a
/// message's own "Caused by" tail (repeated by its sources) is cut.
pub fn plain_causes(e: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut next = Some(e);
    while let Some(err) = next {
        let text = err.to_string();
        let first = text.lines().next().unwrap_or("").trim();
        // A quoted excerpt after the message (`...: '[core`) is raw input, not a sentence.
        let first = first
            .split(": '")
            .next()
            .unwrap_or(first)
            .trim_end_matches(':');
        let marker = !first.contains(' ');
        let dump = first.contains(" { ") || first.contains("Message {");
        if !first.is_empty() && !marker && !dump && !out.iter().any(|o| o == first) {
            out.push(first.to_owned());
        }
        next = err.source();
    }
    out
}

/// What a scan of the repository at `path` reads from: HEAD's commit id, and the refs
/// (HEAD's branch, or every ref with `all_refs`). None outside a repository or before
/// the first commit. `nhi report` records it so an audit names what it covered.
pub fn scanned_refs(path: &Path, all_refs: bool) -> Option<(String, Vec<String>)> {
    let repo = open(path).ok()?.to_thread_local();
    let head = repo.head_id().ok()?.detach().to_string();
    let mut refs = Vec::new();
    if all_refs {
        for r in repo.references().ok()?.all().ok()?.flatten() {
            refs.push(r.name().as_bstr().to_string());
        }
    } else {
        refs.push(match repo.head_name().ok().flatten() {
            Some(name) => name.as_bstr().to_string(),
            None => "HEAD".to_owned(),
        });
    }
    refs.sort();
    Some((head, refs))
}

/// The commit HEAD points at in the repository at `path` (hex), if it has one; for
/// reports of many repositories (`scan --repos`), which name the revision scanned.
pub fn head_commit(path: &Path) -> Option<String> {
    let repo = open(path).ok()?.to_thread_local();
    let id = repo.head_id().ok()?;
    Some(id.detach().to_string())
}

/// For a bare repository (a `git clone --mirror`, which has no files on disk): the bytes
/// of `file` in HEAD's tree, if there is one. `None` for a repository with a working tree
/// (its files are read from disk as usual), an unborn HEAD, or no such file.
pub fn bare_head_file(path: &Path, file: &str) -> anyhow::Result<Option<Vec<u8>>> {
    let repo = open(path)?;
    if repo.work_dir().is_some() {
        return Ok(None);
    }
    let repo = repo.to_thread_local();
    let Ok(commit) = repo.head_commit() else {
        return Ok(None);
    };
    let tree = commit
        .tree()
        .with_context(|| format!("{}: cannot read HEAD's tree", path.display()))?;
    let Some(entry) = tree
        .lookup_entry_by_path(file)
        .with_context(|| format!("{}: cannot read {file} in HEAD", path.display()))?
    else {
        return Ok(None);
    };
    if !entry.mode().is_blob() {
        return Ok(None);
    }
    let object = entry
        .object()
        .with_context(|| format!("{}: cannot read {file} in HEAD", path.display()))?;
    Ok(Some(object.data.clone()))
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
    let parsed = match repo.rev_parse_single(spec) {
        Err(e) => Err(plain_causes(&e)),
        Ok(id) => id.object().map_err(|e| plain_causes(&e)).and_then(|obj| {
            match obj.peel_to_kind(gix::object::Kind::Commit) {
                Ok(c) => Ok(c.id),
                Err(_) => Err(vec![format!("`{spec}` is not a commit")]),
            }
        }),
    };
    let causes = match parsed {
        Ok(id) => return Ok(id),
        Err(causes) => causes,
    };
    // Issue 12, item 11: one or two sentences naming the input and what to do.
    if repo.is_shallow().unwrap_or(false) {
        bail!(
            "{what} commit `{spec}` is not available: this is a shallow clone. Fetch more history \
             (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout)."
        );
    }
    if let Some(range) = causes.iter().find(|c| c.contains("out of range")) {
        let commits = repo
            .head_id()
            .ok()
            .and_then(|h| h.ancestors().all().ok().map(|w| w.count()));
        let count = commits.map_or(String::new(), |n| {
            format!(
                " (HEAD has {})",
                crate::plural::count(n, "commit", "commits")
            )
        });
        bail!(
            "{what} commit `{spec}` does not exist{count}: {}. Name a commit that exists \
             (`git log --oneline` lists them), or scan every commit with --history.",
            lower_first(range)
        );
    }
    if let Some(not_commit) = causes.iter().find(|c| c.ends_with("is not a commit")) {
        bail!("{what} `{spec}` cannot be used: {not_commit}. Name a commit, branch or tag.");
    }
    bail!(
        "{what} commit `{spec}` not found: no branch, tag or commit in this repository has that \
         name. Check it with `git rev-parse --verify {spec}`; if it exists upstream, fetch it \
         first (`git fetch`)."
    )
}

/// `Commit abc has ...` as `commit abc has ...`, to continue a sentence.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}
