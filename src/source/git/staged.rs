//! `scan --staged`: what the next commit adds. Compares the index with HEAD's tree, reads
//! changed blobs from the object database (a file edited after `git add` cannot fool the
//! hook) and keeps only findings on added lines. Only the HEAD trees on the paths of
//! changed entries are decoded: the index's cache-tree extension proves whole directories
//! unchanged without reading them.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use anyhow::Context as _;
use gix::bstr::{BStr, BString, ByteSlice};
use gix::objs::tree::EntryKind;
use gix::ObjectId;

use super::{added_lines, is_file_entry, open, read_blob, should_scan, GitOptions};
use crate::engine::{Engine, ScanError, ScanOutput, Stats};
use crate::finding::SourceKind;

type DirEntries = HashMap<BString, (EntryKind, ObjectId)>;

/// HEAD's tree, decoded lazily one directory at a time.
struct HeadTree<'r> {
    repo: &'r gix::Repository,
    root: ObjectId,
    dirs: HashMap<BString, Option<DirEntries>>,
}

fn split_parent(path: &BStr) -> (&BStr, &BStr) {
    match path.rfind_byte(b'/') {
        Some(p) => (path[..p].as_bstr(), path[p + 1..].as_bstr()),
        None => (b"".as_bstr(), path),
    }
}

impl HeadTree<'_> {
    /// The entries of directory `dir` ("" is the root), or None if HEAD has no such tree.
    fn dir(&mut self, dir: &BStr) -> anyhow::Result<Option<&DirEntries>> {
        if !self.dirs.contains_key(dir) {
            let tree_id = if dir.is_empty() {
                Some(self.root)
            } else {
                self.entry(dir)?
                    .filter(|(k, _)| *k == EntryKind::Tree)
                    .map(|(_, id)| id)
            };
            let map = match tree_id {
                Some(id) => {
                    let tree = self.repo.find_tree(id)?;
                    let mut m = DirEntries::new();
                    for e in gix::objs::TreeRefIter::from_bytes(&tree.data, self.repo.object_hash())
                    {
                        let e = e?;
                        m.insert(e.filename.to_owned(), (e.mode.kind(), e.oid.to_owned()));
                    }
                    Some(m)
                }
                None => None,
            };
            self.dirs.insert(dir.to_owned(), map);
        }
        Ok(self.dirs.get(dir).and_then(Option::as_ref))
    }

    /// HEAD's entry at `path`.
    fn entry(&mut self, path: &BStr) -> anyhow::Result<Option<(EntryKind, ObjectId)>> {
        let (parent, name) = split_parent(path);
        Ok(self.dir(parent)?.and_then(|m| m.get(name)).copied())
    }
}

/// A staged file: its path, new blob and the blob HEAD has at that path.
struct Change {
    path: BString,
    new: ObjectId,
    old: Option<ObjectId>,
}

/// Scans what the index adds relative to HEAD.
pub fn scan(engine: &Engine, repo_path: &Path, opts: &GitOptions) -> anyhow::Result<ScanOutput> {
    let start = Instant::now();
    let repo = open(repo_path)?.to_thread_local();
    // A bare repository has no index: "nothing staged" would pass having scanned nothing
    // (issue 12, item 13).
    if repo.is_bare() {
        anyhow::bail!(
            "{} is a bare repository: it has no index, so nothing can be staged there. Run \
             `scan --staged` in a clone with a working tree, or scan commits with --range or \
             --history.",
            repo_path.display()
        );
    }
    let stats = Stats::default();
    let changes = changed_entries(&repo)?;
    let mut worker = engine.worker();
    for change in changes {
        let path = change.path.to_str_lossy().into_owned();
        if engine.path_excluded(&path) {
            continue;
        }
        let data = match read_blob(&repo, change.new) {
            Ok(d) => d,
            Err(e) => {
                stats.error(ScanError::new(path, format!("{e:#}")));
                continue;
            }
        };
        if !should_scan(&data, opts, &stats) {
            continue;
        }
        let old = match change.old.map(|id| read_blob(&repo, id)).transpose() {
            Ok(o) => o.unwrap_or_default(),
            Err(e) => {
                // Named (the commit is blocked), and the staged version is still scanned
                // with every line counted as added, so nothing it holds goes unseen.
                stats.error(ScanError::new(
                    path.as_str(),
                    format!("HEAD's version cannot be read, every staged line is checked: {e:#}"),
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
        worker.scan(&data, &path, SourceKind::Staged, Some(&added));
        // A name that is not UTF-8 keeps its bytes (issue 12, item 10).
        let raw = crate::finding::raw_path(change.path.as_slice());
        for f in &mut worker.out[before..] {
            f.raw_path = raw.clone();
        }
    }
    let findings = worker.finish(&stats);
    Ok(ScanOutput::from_stats(stats, findings, start.elapsed()))
}

/// The repository-relative paths (`/`-separated) of the index entries that differ from
/// HEAD: what the next commit changes. Used to tell a commit's file list from a run over
/// files (`pre-commit run --all-files`), which names files that are not staged.
pub fn staged_paths(repo_path: &Path) -> anyhow::Result<Vec<String>> {
    let repo = open(repo_path)?.to_thread_local();
    Ok(changed_entries(&repo)?
        .into_iter()
        .map(|c| c.path.to_str_lossy().into_owned())
        .collect())
}

/// Index entries whose blob differs from HEAD's (every entry when HEAD is unborn).
fn changed_entries(repo: &gix::Repository) -> anyhow::Result<Vec<Change>> {
    // `git commit -a` and `git commit <paths>` hand the hook a temporary index through
    // GIT_INDEX_FILE (relative to the hook's working directory, the work tree's top); the
    // isolated open ignores the environment, so honour it here or those commits slip by.
    let from_env;
    let shared;
    let index: &gix::index::File = match std::env::var_os("GIT_INDEX_FILE") {
        Some(path) if !path.is_empty() => {
            let path = std::path::PathBuf::from(path);
            from_env = gix::index::File::at(&path, repo.object_hash(), false, Default::default())
                .map_err(|e| anyhow::anyhow!("{e}"))
                .with_context(|| {
                    format!(
                        "cannot read the index named by GIT_INDEX_FILE ({})",
                        path.display()
                    )
                })?;
            &from_env
        }
        _ => {
            // Fail closed with a message that says which file is broken (gix's own error
            // names only the defect).
            shared = repo.index_or_empty().with_context(|| {
                format!(
                    "cannot read the index {} (corrupt?); the commit is not checked",
                    repo.index_path().display()
                )
            })?;
            &shared
        }
    };
    let mut head = repo.head()?;
    let head_tree_id = if head.is_unborn() {
        None
    } else {
        Some(head.peel_to_commit()?.tree_id()?.detach())
    };

    // Directories the cache-tree vouches for: path -> tree id of the staged directory.
    let mut valid_dirs: HashMap<BString, ObjectId> = HashMap::new();
    if let (Some(ct), Some(root)) = (index.tree(), head_tree_id) {
        if ct.num_entries.is_some() && ct.id == root {
            return Ok(Vec::new()); // the index is HEAD's tree: nothing staged
        }
        fn collect(
            t: &gix::index::extension::Tree,
            prefix: &BStr,
            out: &mut HashMap<BString, ObjectId>,
        ) {
            for c in &t.children {
                let mut p: BString = prefix.to_owned();
                if !p.is_empty() {
                    p.push(b'/');
                }
                p.extend_from_slice(&c.name);
                if c.num_entries.is_some() {
                    out.insert(p.clone(), c.id);
                }
                collect(c, p.as_ref(), out);
            }
        }
        collect(ct, b"".as_bstr(), &mut valid_dirs);
    }

    let mut head_tree = head_tree_id.map(|root| HeadTree {
        repo,
        root,
        dirs: HashMap::new(),
    });
    let mut out = Vec::new();
    for entry in index.entries() {
        if entry.stage_raw() != 0
            || entry
                .flags
                .contains(gix::index::entry::Flags::INTENT_TO_ADD)
        {
            continue; // conflicts and `git add -N` placeholders hold no staged content
        }
        let Some(mode) = entry.mode.to_tree_entry_mode() else {
            continue;
        };
        if !is_file_entry(mode.kind()) {
            continue;
        }
        let path = entry.path(index);
        let Some(head_tree) = head_tree.as_mut() else {
            out.push(Change {
                path: path.to_owned(),
                new: entry.id,
                old: None,
            });
            continue;
        };
        if unchanged_by_cache_tree(path, &valid_dirs, head_tree)? {
            continue;
        }
        let old = head_tree
            .entry(path)?
            .filter(|(k, _)| is_file_entry(*k))
            .map(|(_, id)| id);
        if old != Some(entry.id) {
            out.push(Change {
                path: path.to_owned(),
                new: entry.id,
                old,
            });
        }
    }
    Ok(out)
}

/// Whether the outermost valid cache-tree directory holding `path` equals HEAD's tree there.
fn unchanged_by_cache_tree(
    path: &BStr,
    valid_dirs: &HashMap<BString, ObjectId>,
    head: &mut HeadTree<'_>,
) -> anyhow::Result<bool> {
    if valid_dirs.is_empty() {
        return Ok(false);
    }
    let mut end = 0;
    while let Some(pos) = path[end..].find_byte(b'/') {
        end += pos;
        let dir = path[..end].as_bstr();
        if let Some(staged_id) = valid_dirs.get(dir) {
            let head_id = head
                .entry(dir)?
                .filter(|(k, _)| *k == EntryKind::Tree)
                .map(|(_, id)| id);
            return Ok(head_id == Some(*staged_id));
        }
        end += 1;
    }
    Ok(false)
}
