//! `scan --range BASE..HEAD`: the commits reachable from HEAD and not from BASE; for each,
//! the blobs it changes relative to its first parent, and findings on the lines it adds,
//! with the commit's id, author and date. Merge commits are skipped, as `git log -p`
//! does: their first-parent diff repeats the merged branch's own commits, which the walk
//! already visits.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context as _};
use gix::bstr::ByteSlice;

use super::{
    added_lines, commit_info, is_file_entry, open, read_blob, resolve_commit, should_scan,
    GitOptions,
};
use crate::engine::{Engine, ScanError, ScanOutput, Stats};
use crate::finding::SourceKind;

/// Splits `BASE..HEAD` (HEAD defaults to `HEAD`).
pub fn parse_range(spec: &str) -> anyhow::Result<(String, String)> {
    let Some((base, head)) = spec.split_once("..") else {
        bail!("--range expects BASE..HEAD, got `{spec}`");
    };
    let head = head.trim_start_matches('.');
    if base.is_empty() {
        bail!("--range `{spec}`: BASE is empty");
    }
    Ok((
        base.to_owned(),
        if head.is_empty() {
            "HEAD".to_owned()
        } else {
            head.to_owned()
        },
    ))
}

/// Scans the commits of `base..head`.
pub fn scan(
    engine: &Engine,
    repo_path: &Path,
    base: &str,
    head: &str,
    opts: &GitOptions,
) -> anyhow::Result<ScanOutput> {
    let start = Instant::now();
    let repo = open(repo_path)?.to_thread_local();
    let base_id = resolve_commit(&repo, base, "base")?;
    let head_id = resolve_commit(&repo, head, "head")?;
    scan_walk(
        engine,
        &repo,
        vec![head_id],
        vec![base_id],
        &format!("{base}..{head}"),
        opts,
        start,
    )
}

/// The all-zero id git uses for "no such ref" in pre-push input.
fn is_null(hex: &str) -> bool {
    !hex.is_empty() && hex.bytes().all(|b| b == b'0')
}

/// Scans what a `git push` sends: git gives a pre-push hook one line per ref on stdin,
/// `<local ref> <local sha> <remote ref> <remote sha>`. Each pushed tip is walked, hiding the
/// remote's old tip; a new branch (remote sha all zeros) hides every remote-tracking ref, so
/// only commits no remote has yet are scanned. Deletions push nothing.
///
/// `remote` is the remote pushed to (the hook's first argument): a new branch hides the
/// remote-tracking refs of that remote only (of every remote when `None`).
pub fn scan_pushed(
    engine: &Engine,
    repo_path: &Path,
    input: &str,
    remote: Option<&str>,
    opts: &GitOptions,
) -> anyhow::Result<ScanOutput> {
    let start = Instant::now();
    let repo = open(repo_path)?.to_thread_local();
    let mut heads = Vec::new();
    let mut hidden = Vec::new();
    let mut hide_remotes = false;
    for (i, line) in input.lines().enumerate() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        let [_, local, _, remote] = fields[..] else {
            bail!("pre-push input line {}: expected `<local ref> <local sha> <remote ref> <remote sha>`", i + 1);
        };
        if is_null(local) {
            continue;
        }
        heads.push(resolve_commit(&repo, local, "pushed")?);
        if is_null(remote) {
            hide_remotes = true;
        } else {
            match resolve_commit(&repo, remote, "remote") {
                Ok(id) => hidden.push(id),
                // The remote moved to a commit we never fetched: fall back to what we know it has.
                Err(_) => hide_remotes = true,
            }
        }
    }
    if hide_remotes {
        hidden.extend(remote_tracking_tips(&repo, remote)?);
    }
    scan_walk(
        engine,
        &repo,
        heads,
        hidden,
        "the pushed commits",
        opts,
        start,
    )
}

/// The tips of the remote-tracking refs of `remote` (`refs/remotes/<remote>/*`), or of
/// every remote when `None`: the commits the remote is known to have. A remote given as a
/// URL (a push to no named remote) has no remote-tracking refs, so nothing is hidden and
/// every commit of the pushed branch is scanned: more than needed, never less.
fn remote_tracking_tips(
    repo: &gix::Repository,
    remote: Option<&str>,
) -> anyhow::Result<Vec<gix::ObjectId>> {
    let refs = repo.references()?;
    let iter = match remote.filter(|r| !r.is_empty()) {
        None => refs.remote_branches()?,
        Some(name) => {
            let prefix = format!("refs/remotes/{name}/");
            match refs.prefixed(prefix.as_str()) {
                Ok(iter) => iter,
                // Not a valid ref prefix (a URL): no remote-tracking refs exist for it.
                Err(_) => return Ok(Vec::new()),
            }
        }
    };
    let mut tips = Vec::new();
    for r in iter {
        let Ok(mut r) = r else { continue };
        if let Ok(id) = r.peel_to_id() {
            tips.push(id.detach());
        }
    }
    Ok(tips)
}

/// Scans what pre-commit's pre-push stage pushes: the commits reachable from `tip` and from
/// none of `hidden` (pre-commit's `PRE_COMMIT_FROM_REF`, when it sets one) nor of the
/// remote-tracking refs of `remote` (of every remote when `None`). Unlike a range, this
/// needs no base: on a first push (pre-commit sets no from-ref) the commits no remote has
/// are still exactly what is sent.
pub fn scan_unpushed(
    engine: &Engine,
    repo_path: &Path,
    tip: &str,
    hidden: &[String],
    remote: Option<&str>,
    opts: &GitOptions,
) -> anyhow::Result<ScanOutput> {
    let start = Instant::now();
    let repo = open(repo_path)?.to_thread_local();
    let head = resolve_commit(&repo, tip, "pushed")?;
    let mut hide = Vec::new();
    for h in hidden {
        hide.push(resolve_commit(&repo, h, "remote")?);
    }
    hide.extend(remote_tracking_tips(&repo, remote)?);
    scan_walk(
        engine,
        &repo,
        vec![head],
        hide,
        "the pushed commits",
        opts,
        start,
    )
}

/// The tree of a commit's first parent (`parent`), empty for a root commit. A missing
/// parent is an error that says whether the commit is on a shallow clone's `boundary`.
fn parent_tree(
    repo: &gix::Repository,
    id: gix::ObjectId,
    parent: Option<&gix::ObjectId>,
    boundary: bool,
    label: &str,
) -> anyhow::Result<Vec<u8>> {
    let Some(pid) = parent else {
        return Ok(Vec::new()); // a root commit adds everything
    };
    match repo.try_find_object(*pid)? {
        Some(o) => Ok(o.try_into_commit()?.tree()?.data.clone()),
        None if boundary => bail!(
            "commit {id} lies on the shallow-clone boundary: its parent {pid} was not fetched, so {label} \
             cannot be diffed. Fetch more history (`git fetch --deepen=N`, `git fetch --unshallow`, or \
             `fetch-depth: 0` in actions/checkout)."
        ),
        None => bail!("parent {pid} of commit {id} is missing from the object database"),
    }
}

/// An entry a commit adds or changes: (mode, blob, path, the previous blob if it was a file).
type AddedEntry = (
    gix::objs::tree::EntryMode,
    gix::ObjectId,
    gix::bstr::BString,
    Option<gix::ObjectId>,
);

/// The entries a commit's tree diff adds or modifies. A file moved unchanged adds no
/// content: additions of blobs the same commit deletes are left out.
fn added_entries(records: Vec<gix::diff::tree::recorder::Change>) -> Vec<AddedEntry> {
    use gix::diff::tree::recorder::Change;
    let deleted: Vec<gix::ObjectId> = records
        .iter()
        .filter_map(|c| match c {
            Change::Deletion { oid, .. } => Some(*oid),
            _ => None,
        })
        .collect();
    records
        .into_iter()
        .filter_map(|change| match change {
            Change::Addition { oid, .. } if deleted.contains(&oid) => None,
            Change::Addition {
                entry_mode,
                oid,
                path,
                ..
            } => Some((entry_mode, oid, path, None)),
            Change::Modification {
                previous_entry_mode,
                previous_oid,
                entry_mode,
                oid,
                path,
            } => Some((
                entry_mode,
                oid,
                path,
                is_file_entry(previous_entry_mode.kind()).then_some(previous_oid),
            )),
            Change::Deletion { .. } => None,
        })
        .collect()
}

/// Scans the commits reachable from `heads` and not from `hidden`.
fn scan_walk(
    engine: &Engine,
    repo: &gix::Repository,
    heads: Vec<gix::ObjectId>,
    hidden: Vec<gix::ObjectId>,
    label: &str,
    opts: &GitOptions,
    start: Instant,
) -> anyhow::Result<ScanOutput> {
    let stats = Stats::default();
    let mut worker = engine.worker();
    let mut state = gix::diff::tree::State::default();
    let hash = repo.object_hash();
    let shallow = repo.shallow_commits()?;
    let mut commits = 0usize;
    let walk = repo
        .rev_walk(heads.clone())
        .with_hidden(hidden)
        .all()
        .context("cannot walk the commit range")?;
    for info in walk {
        let info = info.context("cannot walk the commit range")?;
        if info.parent_ids.len() > 1 {
            continue;
        }
        commits += 1;
        let commit = info
            .object()
            .with_context(|| format!("cannot read commit {}", info.id))?;
        let tree = commit
            .tree()
            .with_context(|| format!("cannot read the tree of commit {}", info.id))?;
        let boundary = shallow.as_ref().is_some_and(|s| s.contains(&info.id));
        let parent_tree = parent_tree(repo, info.id, info.parent_ids.first(), boundary, label)?;
        let ci = Arc::new(commit_info(&commit)?);
        let mut rec = gix::diff::tree::Recorder::default();
        gix::diff::tree(
            gix::objs::TreeRefIter::from_bytes(&parent_tree, hash),
            gix::objs::TreeRefIter::from_bytes(&tree.data, hash),
            &mut state,
            &repo.objects,
            &mut rec,
        )
        .with_context(|| format!("cannot diff commit {}", info.id))?;
        for (mode, oid, path, prev) in added_entries(rec.records) {
            if !is_file_entry(mode.kind()) {
                if matches!(mode.kind(), gix::objs::tree::EntryKind::Commit) {
                    Stats::bump(&stats.skipped_other); // submodule
                }
                continue;
            }
            let path_bytes = path.clone();
            let path = path.to_str_lossy().into_owned();
            if engine.path_excluded(&path) {
                continue;
            }
            let data = match read_blob(repo, oid) {
                Ok(d) => d,
                Err(e) => {
                    stats.error(ScanError::new(
                        format!("{path} in commit {}", info.id),
                        format!("{e:#}"),
                    ));
                    continue;
                }
            };
            if !should_scan(&data, opts, &stats) {
                continue;
            }
            // Without the previous version the added lines are unknown: the error is
            // counted (exit 2) and every line is scanned as added, so nothing is missed.
            let old = match prev.map(|p| read_blob(repo, p)).transpose() {
                Ok(old) => old.unwrap_or_default(),
                Err(e) => {
                    stats.error(ScanError::new(
                        format!("{path} in commit {}", info.id),
                        format!(
                            "cannot read the previous version to diff against, so every line \
                             was scanned as added: {e:#}"
                        ),
                    ));
                    Vec::new()
                }
            };
            let added = added_lines(&old, &data);
            Stats::bump(&stats.scanned);
            stats
                .bytes
                .fetch_add(data.len() as u64, std::sync::atomic::Ordering::Relaxed);
            let before = worker.out.len();
            worker.scan(&data, &path, SourceKind::Range, Some(&added));
            let raw = crate::finding::raw_path(path_bytes.as_slice());
            for f in &mut worker.out[before..] {
                f.commit = Some((*ci).clone());
                // A name that is not UTF-8 keeps its bytes (issue 12, item 10).
                f.raw_path = raw.clone();
            }
        }
    }
    let findings = worker.finish(&stats);
    let mut out = ScanOutput::from_stats(stats, findings, start.elapsed());
    if commits == 0 {
        out.notes.push(format!("{label}: no commits to scan"));
    }
    if repo.is_shallow().unwrap_or(false) {
        out.notes
            .push("this is a shallow clone: only the fetched history was scanned".to_owned());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse() {
        assert_eq!(
            parse_range("main..HEAD").unwrap(),
            ("main".into(), "HEAD".into())
        );
        assert_eq!(parse_range("a...b").unwrap(), ("a".into(), "b".into()));
        assert_eq!(parse_range("abc..").unwrap(), ("abc".into(), "HEAD".into()));
        assert!(parse_range("main").is_err());
    }
}
