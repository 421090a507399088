//! `scan --history [--all]`: every committed blob, each scanned exactly once, then
//! provenance for the blobs that had findings.
//!
//! Blobs are read by traversing each pack in bulk (gix resolves every delta base once, on
//! all cores) and matched in place on the traversal's threads; loose objects follow. Only
//! afterwards, and only if something was found, one walk over the commit graph decodes
//! each unique tree once and tells, for every (blob, path) with findings, the first and
//! last commit that carried it, how many commits did, and whether HEAD still does. A blob
//! no scanned ref reaches is dropped unless `--include-unreachable` asks for it.

use std::collections::{BinaryHeap, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use anyhow::{anyhow, bail, Context as _};
use gix::bstr::{BString, ByteSlice};
use gix::objs::tree::EntryKind;
use gix::ObjectId;

use super::{commit_info, open, should_scan, GitOptions};
use crate::finding::{Finding, SourceKind};
use crate::matcher::Matcher;
use crate::scan::{Engine, ScanOutput, Stats};

/// Findings of one blob, before we know where it lives.
struct BlobHits {
    id: ObjectId,
    findings: Vec<Finding>,
}

/// Shared state of the blob pass.
struct BlobPass<'e> {
    engine: &'e Engine,
    opts: &'e GitOptions,
    stats: &'e Stats,
    seen: Mutex<gix::hashtable::HashSet<ObjectId>>,
    hits: Mutex<Vec<BlobHits>>,
}

impl BlobPass<'_> {
    /// Scans one blob unless it was seen already. Returns false for a repeat.
    fn blob(
        &self,
        matcher: &mut Matcher<'_>,
        raw: &mut Vec<crate::matcher::RawMatch>,
        id: &gix::oid,
        data: &[u8],
    ) -> bool {
        let first = self
            .seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id.to_owned());
        if !first {
            return false;
        }
        if !should_scan(data, self.opts, self.stats) {
            return true;
        }
        Stats::bump(&self.stats.scanned);
        self.stats
            .bytes
            .fetch_add(data.len() as u64, Ordering::Relaxed);
        let before = matcher.stats.inline_suppressed;
        let mut findings = Vec::new();
        self.engine.scan_blob(
            matcher,
            data,
            "",
            SourceKind::History,
            None,
            raw,
            &mut findings,
        );
        let suppressed = matcher.stats.inline_suppressed - before;
        if suppressed > 0 {
            self.stats
                .inline_suppressed
                .fetch_add(suppressed, Ordering::Relaxed);
        }
        if !findings.is_empty() {
            self.hits
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(BlobHits {
                    id: id.to_owned(),
                    findings,
                });
        }
        true
    }
}

/// Scans the history of the repository at `repo_path`.
pub fn scan(engine: &Engine, repo_path: &Path, opts: &GitOptions) -> anyhow::Result<ScanOutput> {
    let start = Instant::now();
    let ts = open(repo_path)?;
    let repo = ts.to_thread_local();
    let stats = Stats::default();
    let pass = BlobPass {
        engine,
        opts,
        stats: &stats,
        seen: Mutex::new(Default::default()),
        hits: Mutex::new(Vec::new()),
    };
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.threads
    };
    scan_packs(&repo, &pass, threads)?;
    scan_loose(&repo, &pass);
    let hits = pass.hits.into_inner().unwrap_or_else(|p| p.into_inner());

    let mut findings = Vec::new();
    let mut notes = Vec::new();
    if repo.is_shallow().unwrap_or(false) {
        notes.push("this is a shallow clone: only the fetched history was scanned, and first commits may be older than shown".to_owned());
    }
    if !hits.is_empty() {
        findings = attribute(&repo, hits, opts, &stats)?;
    }
    let mut out = ScanOutput::from_stats(stats, findings, start.elapsed());
    out.notes = notes;
    Ok(out)
}

/// Traverses every pack of the repository's object database.
fn scan_packs(repo: &gix::Repository, pass: &BlobPass<'_>, threads: usize) -> anyhow::Result<()> {
    let hash = repo.object_hash();
    let pack_dir = repo.objects.store_ref().path().join("pack");
    let mut idx_files: Vec<_> = match std::fs::read_dir(&pack_dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "idx"))
            .collect(),
        Err(_) => Vec::new(),
    };
    idx_files.sort();
    // Ctrl-C stops the traversal; the run reports what was found so far (exit 130).
    let interrupt: &AtomicBool = crate::progress::interrupt_flag();
    for idx in &idx_files {
        if crate::progress::interrupted() {
            break;
        }
        let bundle = match gix::odb::pack::Bundle::at(idx, hash) {
            Ok(b) => b,
            Err(e) => {
                pass.stats
                    .error(format!("cannot open pack {}: {e}", idx.display()));
                continue;
            }
        };
        let processor = {
            let mut matcher = pass.engine.matcher();
            let mut raw = Vec::new();
            move |kind: gix::object::Kind,
                  data: &[u8],
                  entry: &gix::odb::pack::index::Entry,
                  _: &dyn gix::progress::Progress|
                  -> gix::Result {
                if kind == gix::object::Kind::Blob {
                    pass.blob(&mut matcher, &mut raw, &entry.oid, data);
                }
                Ok(())
            }
        };
        let traversed = bundle.index.traverse(
            &bundle.pack,
            &mut gix::progress::Discard,
            interrupt,
            processor,
            gix::odb::pack::index::traverse::Options {
                traversal: gix::odb::pack::index::traverse::Algorithm::DeltaTreeLookup,
                thread_limit: Some(threads),
                check: gix::odb::pack::index::traverse::SafetyCheck::SkipFileAndObjectChecksumVerification,
                alloc_limit_bytes: None,
                make_pack_lookup_cache: || gix::odb::pack::cache::Never,
            },
        );
        if traversed.is_err() && crate::progress::interrupted() {
            break;
        }
        if let Err(e) = traversed {
            // One bad entry aborts a bulk traversal: read the rest of this pack one object
            // at a time so every readable blob is still scanned and each bad one is named.
            pass.stats.error(format!(
                "pack {} could not be traversed in bulk ({e:#}); reading it object by object",
                idx.display()
            ));
            let mut matcher = pass.engine.matcher();
            let mut raw = Vec::new();
            for entry in bundle.index.iter() {
                if pass
                    .seen
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .contains(&entry.oid)
                {
                    continue;
                }
                match repo.try_find_object(entry.oid) {
                    Ok(Some(o)) if o.kind == gix::object::Kind::Blob => {
                        pass.blob(&mut matcher, &mut raw, &entry.oid, &o.data);
                    }
                    Ok(Some(_)) => {}
                    Ok(None) => pass.stats.error(format!("object {} is missing", entry.oid)),
                    Err(e) => pass
                        .stats
                        .error(format!("object {} cannot be read: {e:#}", entry.oid)),
                }
            }
        }
    }
    Ok(())
}

/// Scans loose objects (recent commits not yet packed).
fn scan_loose(repo: &gix::Repository, pass: &BlobPass<'_>) {
    let loose = gix::odb::loose::Store::at(repo.objects.store_ref().path(), repo.object_hash());
    let mut matcher = pass.engine.matcher();
    let mut raw = Vec::new();
    let mut buf = Vec::new();
    for id in loose.iter() {
        if crate::progress::interrupted() {
            break;
        }
        let id = match id {
            Ok(id) => id,
            Err(e) => {
                pass.stats.error(format!("cannot list loose objects: {e}"));
                continue;
            }
        };
        match loose.try_find(&id, &mut buf) {
            Ok(Some(d)) if d.kind == gix::object::Kind::Blob => {
                let data = d.data.to_vec();
                pass.blob(&mut matcher, &mut raw, &id, &data);
            }
            Ok(_) => {}
            Err(e) => pass
                .stats
                .error(format!("loose object {id} cannot be read: {e}")),
        }
    }
}

/// The commits a scan walks from: HEAD, or every ref (tags peeled).
fn tips(repo: &gix::Repository, all_refs: bool) -> anyhow::Result<Vec<ObjectId>> {
    let mut commits = Vec::new();
    if all_refs {
        for r in repo.references()?.all()? {
            let r = r.map_err(|e| anyhow!("cannot read a reference: {e}"))?;
            let Some(id) = r.try_id() else { continue };
            let Some(obj) = repo.try_find_object(id.detach())? else {
                bail!(
                    "reference {} points to missing object {id}",
                    r.name().as_bstr()
                );
            };
            let obj = obj.peel_tags_to_end()?;
            if obj.kind == gix::object::Kind::Commit {
                commits.push(obj.id);
            }
        }
    } else {
        let mut head = repo.head()?;
        if !head.is_unborn() {
            commits.push(head.peel_to_commit()?.id);
        }
    }
    commits.sort();
    commits.dedup();
    Ok(commits)
}

/// Where a (blob, path) pair appears in the walked history.
#[derive(Debug, Clone, Copy)]
struct PathProvenance {
    /// Topological position of the first commit carrying it.
    first: usize,
    /// Topological position of the last commit carrying it.
    last: usize,
    /// How many commits carried it.
    commits: u64,
    /// Whether HEAD's tree has it.
    in_head: bool,
}

struct CommitNode {
    id: ObjectId,
    tree: ObjectId,
    parents: Vec<ObjectId>,
    time: i64,
}

/// Lists, per tree, the (target blob, path below the tree) pairs it holds; each unique
/// tree is decoded once.
struct TreeIndex<'r> {
    repo: &'r gix::Repository,
    targets: gix::hashtable::HashMap<ObjectId, u32>,
    memo: gix::hashtable::HashMap<ObjectId, u32>,
    lists: Vec<Vec<(u32, BString)>>,
    buf: Vec<u8>,
}

impl TreeIndex<'_> {
    fn list(&mut self, tree: ObjectId) -> anyhow::Result<u32> {
        if let Some(&i) = self.memo.get(&tree) {
            return Ok(i);
        }
        let hash = self.repo.object_hash();
        let data = gix::objs::Find::try_find(&self.repo.objects, &tree, &mut self.buf)
            .map_err(|e| anyhow!("cannot read tree {tree}: {e}"))?
            .ok_or_else(|| {
                anyhow!(
                    "tree {tree} is missing (corrupt repository, or a partial or shallow clone)"
                )
            })?;
        let mut mine: Vec<(u32, BString)> = Vec::new();
        let mut subtrees: Vec<(ObjectId, BString)> = Vec::new();
        for e in gix::objs::TreeRefIter::from_bytes(data.data, hash) {
            let e = e.with_context(|| format!("cannot decode tree {tree}"))?;
            match e.mode.kind() {
                EntryKind::Tree => subtrees.push((e.oid.to_owned(), e.filename.to_owned())),
                EntryKind::Blob | EntryKind::BlobExecutable => {
                    if let Some(&ti) = self.targets.get(e.oid) {
                        mine.push((ti, e.filename.to_owned()));
                    }
                }
                EntryKind::Link | EntryKind::Commit => {}
            }
        }
        for (sub, name) in subtrees {
            let li = self.list(sub)? as usize;
            for (ti, p) in &self.lists[li] {
                let mut full = name.clone();
                full.push(b'/');
                full.extend_from_slice(p);
                mine.push((*ti, full));
            }
        }
        let idx = if mine.is_empty() {
            0
        } else {
            self.lists.push(mine);
            (self.lists.len() - 1) as u32
        };
        self.memo.insert(tree, idx);
        Ok(idx)
    }
}

/// Turns per-blob findings into findings per (secret, path) with first-commit provenance.
fn attribute(
    repo: &gix::Repository,
    hits: Vec<BlobHits>,
    opts: &GitOptions,
    stats: &Stats,
) -> anyhow::Result<Vec<Finding>> {
    // A commit or tree that cannot be read (a truncated pack) is named and skipped, so the
    // findings the blob pass made are still placed where possible and never dropped.
    let mut broken = std::collections::BTreeSet::new();
    let mut tree_index = TreeIndex {
        repo,
        targets: hits
            .iter()
            .enumerate()
            .map(|(i, h)| (h.id, i as u32))
            .collect(),
        memo: Default::default(),
        lists: vec![Vec::new()],
        buf: Vec::new(),
    };

    // The commit graph, in topological order (parents first, ties by commit time).
    let mut nodes: Vec<CommitNode> = Vec::new();
    let tips = tips(repo, opts.all_refs)?;
    if !tips.is_empty() {
        for info in repo.rev_walk(tips).all()? {
            let node = (|| -> anyhow::Result<CommitNode> {
                let info = info.context("cannot walk the commit graph")?;
                let commit = repo
                    .find_commit(info.id)
                    .with_context(|| format!("cannot read commit {}", info.id))?;
                let decoded = commit
                    .decode()
                    .with_context(|| format!("cannot decode commit {}", info.id))?;
                Ok(CommitNode {
                    id: info.id,
                    tree: decoded.tree(),
                    parents: decoded.parents().collect(),
                    time: decoded.committer()?.seconds(),
                })
            })();
            match node {
                Ok(n) => nodes.push(n),
                Err(e) => {
                    broken.insert(format!("{e:#}"));
                    break;
                }
            }
        }
    }
    let order = topological(&nodes);

    let mut prov: HashMap<(u32, BString), PathProvenance> = HashMap::new();
    for (pos, &ni) in order.iter().enumerate() {
        let li = match tree_index.list(nodes[ni].tree) {
            Ok(li) => li as usize,
            Err(e) => {
                broken.insert(format!("{e:#}"));
                continue;
            }
        };
        for (ti, path) in &tree_index.lists[li] {
            match prov.get_mut(&(*ti, path.clone())) {
                Some(p) => {
                    p.last = pos;
                    p.commits += 1;
                }
                None => {
                    prov.insert(
                        (*ti, path.clone()),
                        PathProvenance {
                            first: pos,
                            last: pos,
                            commits: 1,
                            in_head: false,
                        },
                    );
                }
            }
        }
    }
    let mut head = repo.head()?;
    if !head.is_unborn() {
        let tree = head.peel_to_commit()?.tree_id()?.detach();
        let li = tree_index.list(tree).unwrap_or_else(|e| {
            broken.insert(format!("{e:#}"));
            0
        }) as usize;
        for (ti, path) in &tree_index.lists[li] {
            if let Some(p) = prov.get_mut(&(*ti, path.clone())) {
                p.in_head = true;
            }
        }
    }

    // Merge per (fingerprint, rule, path) across the blobs that carried it.
    struct Merged {
        finding: Finding,
        first: usize,
        last: usize,
        commits: u64,
        in_head: bool,
    }
    let mut merged: HashMap<(String, String, String), Merged> = HashMap::new();
    let mut unreachable = Vec::new();
    let mut by_target: Vec<Vec<(&BString, PathProvenance)>> = vec![Vec::new(); hits.len()];
    for ((ti, path), p) in &prov {
        by_target[*ti as usize].push((path, *p));
    }
    for (ti, hit) in hits.into_iter().enumerate() {
        if by_target[ti].is_empty() {
            if !broken.is_empty() {
                // Perhaps reachable through what could not be read: report, unplaced.
                for mut f in hit.findings {
                    f.path = format!("unattributed:{}", hit.id);
                    f.flags.push("unattributed".to_owned());
                    unreachable.push(f);
                }
            } else if opts.include_unreachable {
                for mut f in hit.findings {
                    f.path = format!("unreachable:{}", hit.id);
                    f.flags.push("unreachable".to_owned());
                    f.in_head = Some(false);
                    f.commits = Some(0);
                    unreachable.push(f);
                }
            }
            continue;
        }
        for (path, p) in &by_target[ti] {
            let path = path.to_str_lossy().into_owned();
            for f in &hit.findings {
                let key = (f.fingerprint.clone(), f.rule_id.clone(), path.clone());
                match merged.get_mut(&key) {
                    Some(m) => {
                        if p.first < m.first {
                            m.first = p.first;
                            m.finding = f.clone();
                        }
                        m.last = m.last.max(p.last);
                        m.commits += p.commits;
                        m.in_head |= p.in_head;
                    }
                    None => {
                        merged.insert(
                            key,
                            Merged {
                                finding: f.clone(),
                                first: p.first,
                                last: p.last,
                                commits: p.commits,
                                in_head: p.in_head,
                            },
                        );
                    }
                }
            }
        }
    }

    let mut infos: HashMap<usize, crate::finding::CommitInfo> = HashMap::new();
    let mut info_at = |pos: usize| -> anyhow::Result<crate::finding::CommitInfo> {
        if let Some(i) = infos.get(&pos) {
            return Ok(i.clone());
        }
        let commit = repo.find_commit(nodes[order[pos]].id)?;
        let info = commit_info(&commit)?;
        infos.insert(pos, info.clone());
        Ok(info)
    };
    let mut out = Vec::with_capacity(merged.len() + unreachable.len());
    for ((_, _, path), m) in merged {
        let mut f = m.finding;
        f.path = path;
        let first = info_at(m.first)?;
        f.commit = Some(first.clone());
        f.first_commit = Some(first);
        f.last_commit = Some(info_at(m.last)?);
        f.in_head = Some(m.in_head);
        f.commits = Some(m.commits as usize);
        out.push(f);
    }
    out.extend(unreachable);
    for e in broken {
        stats.error(format!(
            "history: {e}; findings it hides are listed as unattributed"
        ));
    }
    Ok(out)
}

/// Kahn's algorithm over the walked commits: parents before children, older first.
fn topological(nodes: &[CommitNode]) -> Vec<usize> {
    let pos: gix::hashtable::HashMap<ObjectId, usize> =
        nodes.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let mut pending: Vec<usize> = nodes
        .iter()
        .map(|c| c.parents.iter().filter(|p| pos.contains_key(*p)).count())
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for (i, c) in nodes.iter().enumerate() {
        for p in &c.parents {
            if let Some(&pi) = pos.get(p) {
                children[pi].push(i);
            }
        }
    }
    let mut ready: BinaryHeap<std::cmp::Reverse<(i64, usize)>> = nodes
        .iter()
        .enumerate()
        .filter(|(i, _)| pending[*i] == 0)
        .map(|(i, c)| std::cmp::Reverse((c.time, i)))
        .collect();
    let mut order = Vec::with_capacity(nodes.len());
    while let Some(std::cmp::Reverse((_, i))) = ready.pop() {
        order.push(i);
        for &ch in &children[i] {
            pending[ch] -= 1;
            if pending[ch] == 0 {
                ready.push(std::cmp::Reverse((nodes[ch].time, ch)));
            }
        }
    }
    order
}
