//! Provenance: where the blobs with findings live in the commit graph. For every (blob,
//! path) pair it tells the first and last commit that carried it (topological order,
//! parents first), how many commits did, and whether HEAD still does; then it merges the
//! blobs' findings per (secret, rule, path).
//!
//! The steps, each a function: [`commit_graph`] reads the commits the scanned refs reach,
//! [`topological`] orders them, [`walk_trees`] lists per commit the (blob, path) pairs its
//! tree holds and folds them into [`Prov`] ([`record`], [`merge_runs`]), [`mark_head`] marks
//! what HEAD holds, [`merge_findings`] joins findings per (secret, rule, path), and
//! [`finish`] attaches the commits' authors and dates.

use std::collections::{BTreeSet, BinaryHeap, HashMap};

use anyhow::{anyhow, Context as _};
use gix::bstr::{BString, ByteSlice};
use gix::objs::tree::EntryKind;
use gix::ObjectId;

use super::super::{commit_info, GitOptions};
use super::blobs::BlobHits;
pub(super) use super::blobs::{CommitNode, CommitTable};
use super::graph::{self, TreeGraph};
use super::tips;
use crate::engine::Stats;
use crate::finding::Finding;
use crate::progress::{Counters, Phase};

/// Where a (blob, path) pair appears in the walked history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct PathProvenance {
    /// Topological position of the first commit carrying it.
    pub(super) first: usize,
    /// Topological position of the last commit carrying it.
    pub(super) last: usize,
    /// How many commits carried it.
    pub(super) commits: u64,
    /// Whether HEAD's tree has it.
    pub(super) in_head: bool,
}

/// Provenance per (target blob, path).
pub(super) type Prov = HashMap<(u32, BString), PathProvenance>;

/// Lists, per tree, the (target blob, path below the tree) pairs it holds; each unique
/// tree is decoded once. Paths are interned: a list holds (target, path id) pairs of eight
/// bytes, not a copy of each path. Every unique tree above a target keeps the whole list of
/// what lies below it, so on a history where many trees hold many targets (the trufflehog
/// repository's test data, 1,361 findings) copied paths took 950 MB of anonymous memory.
pub(super) struct TreeIndex<'r> {
    repo: &'r gix::Repository,
    targets: gix::hashtable::HashMap<ObjectId, u32>,
    memo: gix::hashtable::HashMap<ObjectId, u32>,
    lists: Vec<Vec<(u32, u32)>>,
    paths: PathTable,
    buf: Vec<u8>,
}

/// Interned paths, and the joins `name/path` already made, so a subtree seen under the same
/// name again costs a lookup, not an allocation.
#[derive(Default)]
struct PathTable {
    paths: Vec<BString>,
    ids: HashMap<BString, u32>,
    joined: HashMap<(u32, u32), u32>,
}

impl PathTable {
    fn intern(&mut self, path: &[u8]) -> u32 {
        if let Some(&id) = self.ids.get(path.as_bstr()) {
            return id;
        }
        let id = self.paths.len() as u32;
        self.paths.push(path.into());
        self.ids.insert(path.into(), id);
        id
    }

    /// The id of `dir/path`, from the ids of `dir` and `path`.
    fn join(&mut self, dir: u32, path: u32) -> u32 {
        if let Some(&id) = self.joined.get(&(dir, path)) {
            return id;
        }
        let mut full = self.paths[dir as usize].clone();
        full.push(b'/');
        full.extend_from_slice(&self.paths[path as usize]);
        let id = self.intern(&full);
        self.joined.insert((dir, path), id);
        id
    }

    fn get(&self, id: u32) -> &BString {
        &self.paths[id as usize]
    }
}

impl<'r> TreeIndex<'r> {
    pub(super) fn new(
        repo: &'r gix::Repository,
        targets: gix::hashtable::HashMap<ObjectId, u32>,
    ) -> Self {
        TreeIndex {
            repo,
            targets,
            memo: Default::default(),
            lists: vec![Vec::new()],
            paths: PathTable::default(),
            buf: Vec::new(),
        }
    }

    pub(super) fn list(&mut self, tree: ObjectId) -> anyhow::Result<u32> {
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
        let mut mine: Vec<(u32, u32)> = Vec::new();
        let mut subtrees: Vec<(ObjectId, u32)> = Vec::new();
        for e in gix::objs::TreeRefIter::from_bytes(data.data, hash) {
            let e = e.with_context(|| format!("cannot decode tree {tree}"))?;
            match e.mode.kind() {
                EntryKind::Tree => subtrees.push((e.oid.to_owned(), self.paths.intern(e.filename))),
                EntryKind::Blob | EntryKind::BlobExecutable => {
                    if let Some(&ti) = self.targets.get(e.oid) {
                        mine.push((ti, self.paths.intern(e.filename)));
                    }
                }
                EntryKind::Link | EntryKind::Commit => {}
            }
        }
        for (sub, name) in subtrees {
            let li = self.list(sub)? as usize;
            for k in 0..self.lists[li].len() {
                let (ti, p) = self.lists[li][k];
                mine.push((ti, self.paths.join(name, p)));
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

    /// List `li` with its paths spelled out.
    pub(super) fn resolved(&self, li: u32) -> Vec<(u32, BString)> {
        self.lists[li as usize]
            .iter()
            .map(|&(ti, p)| (ti, self.paths.get(p).clone()))
            .collect()
    }
}

/// The delta-base cache for provenance's tree reads, across all its threads (the value
/// `open` gives `core.deltaBaseCacheLimit`).
const PROVENANCE_CACHE_BYTES: usize = 96 * 1024 * 1024;

/// What [`attribute`] found: the findings, a note when the tree graph could not answer
/// and the trees were read, and the commit graph and provenance it placed them with (an
/// incremental run records them).
pub(super) struct Attributed {
    pub(super) findings: Vec<Finding>,
    pub(super) note: Option<String>,
    pub(super) nodes: Vec<CommitNode>,
    pub(super) order: Vec<usize>,
    pub(super) prov: Prov,
}

/// Turns per-blob findings into findings per (secret, path) with first-commit provenance.
pub(super) fn attribute(
    repo: &gix::Repository,
    hits: Vec<BlobHits>,
    // What the blob pass recorded: the tree graph and the commits (None: read them).
    (graph, commits): (Option<TreeGraph>, Option<&CommitTable>),
    opts: &GitOptions,
    stats: &Stats,
    progress: &Counters,
    clock: &mut super::Clock,
) -> anyhow::Result<Attributed> {
    // A commit or tree that cannot be read (a truncated pack) is named and skipped, so the
    // findings the blob pass made are still placed where possible and never dropped.
    let mut broken = BTreeSet::new();
    progress.phase(Phase::ReadingCommits, 0);
    let nodes = commit_graph(repo, opts, commits, &mut broken, progress)?;
    let order = topological(&nodes);
    clock.lap("reading commits");
    let targets: gix::hashtable::HashMap<ObjectId, u32> = hits
        .iter()
        .enumerate()
        .map(|(i, h)| (h.id, i as u32))
        .collect();
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.threads
    };
    let mut head = repo.head()?;
    let head_tree = if head.is_unborn() {
        None
    } else {
        Some(head.peel_to_commit()?.tree_id()?.detach())
    };
    let placed = graph.as_ref().and_then(|g| {
        walk_graph(
            g,
            &hits,
            (&nodes, &order),
            head_tree,
            threads,
            &mut broken,
            progress,
        )
    });
    let mut note = None;
    let prov = match placed {
        Some(prov) => prov,
        None => {
            if let Some(g) = &graph {
                note = Some(format!(
                    "provenance read every commit's trees again: {}",
                    match g.complete() {
                        Err(why) => why,
                        Ok(()) => "a commit's tree was not in the scanned packs",
                    }
                ));
            }
            progress.phase(Phase::LocatingCommits, order.len() as u64);
            let mut prov = walk_trees(
                repo,
                &nodes,
                &order,
                &targets,
                threads,
                &mut broken,
                progress,
            );
            if let Some(tree) = head_tree {
                let mut tree_index = TreeIndex::new(repo, targets);
                let li = tree_index.list(tree).unwrap_or_else(|e| {
                    broken.insert(format!("{e:#}"));
                    0
                });
                mark_head(&mut prov, &tree_index.resolved(li));
            }
            prov
        }
    };
    clock.lap("locating commits");
    let findings = place(repo, hits, (&nodes, &order), &prov, broken, opts, stats)?;
    clock.lap("merging findings");
    Ok(Attributed {
        findings,
        note,
        nodes,
        order,
        prov,
    })
}

/// Steps 5 and 6 once the provenance is known: the findings per (secret, rule, path),
/// with their commits; what could not be read is reported.
pub(super) fn place(
    repo: &gix::Repository,
    hits: Vec<BlobHits>,
    (nodes, order): (&[CommitNode], &[usize]),
    prov: &Prov,
    broken: BTreeSet<String>,
    opts: &GitOptions,
    stats: &Stats,
) -> anyhow::Result<Vec<Finding>> {
    let (merged, unreachable) =
        merge_findings(hits, prov, !broken.is_empty(), opts.include_unreachable);
    let out = finish(repo, nodes, order, merged, unreachable)?;
    for e in broken {
        stats.error(format!(
            "history: {e}; findings it hides are listed as unattributed"
        ));
    }
    Ok(out)
}

/// Step 1: the commits the scanned refs reach. A commit that cannot be read ends the
/// walk there and is named in `broken`.
pub(super) fn commit_graph(
    repo: &gix::Repository,
    opts: &GitOptions,
    known: Option<&CommitTable>,
    broken: &mut BTreeSet<String>,
    progress: &Counters,
) -> anyhow::Result<Vec<CommitNode>> {
    let mut nodes: Vec<CommitNode> = Vec::new();
    let tips = tips(repo, opts.all_refs)?;
    if tips.is_empty() {
        return Ok(nodes);
    }
    // Replacement refs change what a commit id reads as; the packs' raw commits do not
    // know them.
    let replaced = repo
        .references()
        .ok()
        .and_then(|r| {
            r.prefixed("refs/replace/")
                .ok()
                .map(|mut i| i.next().is_some())
        })
        .unwrap_or(true);
    if let Some(found) = known.filter(|_| !replaced).and_then(|k| k.reachable(&tips)) {
        for _ in &found {
            progress.step();
        }
        return Ok(found);
    }
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
            Ok(n) => {
                nodes.push(n);
                progress.step();
            }
            Err(e) => {
                broken.insert(format!("{e:#}"));
                break;
            }
        }
    }
    Ok(nodes)
}

/// Step 2: Kahn's algorithm over the walked commits: parents before children, older first,
/// equal times by commit id. The id (not the walk's index) breaks ties so the order of a
/// set of commits does not change when commits that are not their ancestors join it: an
/// incremental run (`state`) relies on it to keep the first and last commits it recorded.
pub(super) fn topological(nodes: &[CommitNode]) -> Vec<usize> {
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
    let mut ready: BinaryHeap<std::cmp::Reverse<(i64, ObjectId, usize)>> = nodes
        .iter()
        .enumerate()
        .filter(|(i, _)| pending[*i] == 0)
        .map(|(i, c)| std::cmp::Reverse((c.time, c.id, i)))
        .collect();
    let mut order = Vec::with_capacity(nodes.len());
    while let Some(std::cmp::Reverse((_, _, i))) = ready.pop() {
        order.push(i);
        for &ch in &children[i] {
            pending[ch] -= 1;
            if pending[ch] == 0 {
                ready.push(std::cmp::Reverse((nodes[ch].time, nodes[ch].id, ch)));
            }
        }
    }
    order
}

/// Step 3: where each target blob lives, commit by commit. Decoding every unique tree is
/// most of this step's work, so the commits are split into contiguous runs of the order,
/// one per thread, each with its own tree memo (a subtree unchanged across a boundary is
/// decoded twice, a small price), and the per-run results are merged.
fn walk_trees(
    repo: &gix::Repository,
    nodes: &[CommitNode],
    order: &[usize],
    targets: &gix::hashtable::HashMap<ObjectId, u32>,
    threads: usize,
    broken: &mut BTreeSet<String>,
    progress: &Counters,
) -> Prov {
    let run_len = order.len().div_ceil(threads.max(1)).max(1);
    let shared = repo.clone().into_sync();
    let runs: Vec<(Prov, BTreeSet<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = order
            .chunks(run_len)
            .enumerate()
            .map(|(run, chunk)| {
                let shared = &shared;
                scope.spawn(move || {
                    let mut repo = shared.to_thread_local();
                    // The delta-base cache that makes tree reads fast, shared out so the
                    // threads together stay within the one-thread budget (anonymous memory
                    // is bounded whatever the core count).
                    let cache_bytes = PROVENANCE_CACHE_BYTES / threads.max(1);
                    repo.objects.set_pack_cache(move || {
                        Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
                            cache_bytes,
                        ))
                    });
                    let mut tree_index = TreeIndex::new(&repo, targets.clone());
                    let mut by_id = HashMap::new();
                    let mut broken = BTreeSet::new();
                    for (i, &ni) in chunk.iter().enumerate() {
                        progress.step();
                        match tree_index.list(nodes[ni].tree) {
                            Ok(li) => record_ids(
                                &mut by_id,
                                run * run_len + i,
                                &tree_index.lists[li as usize],
                            ),
                            Err(e) => {
                                broken.insert(format!("{e:#}"));
                            }
                        }
                    }
                    let prov: Prov = by_id
                        .into_iter()
                        .map(|((ti, p), pp)| ((ti, tree_index.paths.get(p).clone()), pp))
                        .collect();
                    (prov, broken)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a provenance thread panicked"))
            .collect()
    });
    let mut provs = Vec::with_capacity(runs.len());
    for (run_prov, run_broken) in runs {
        broken.extend(run_broken);
        provs.push(run_prov);
    }
    merge_runs(provs)
}

/// Step 3 and 4 from the tree graph the blob pass recorded: upward from each blob with
/// findings to the commits' root trees. None when the graph cannot answer for every
/// commit (a tree it never saw, a pack read object by object): the trees are then read.
fn walk_graph(
    graph: &TreeGraph,
    hits: &[BlobHits],
    (nodes, order): (&[CommitNode], &[usize]),
    head_tree: Option<ObjectId>,
    threads: usize,
    broken: &mut BTreeSet<String>,
    progress: &Counters,
) -> Option<Prov> {
    graph.complete().ok()?;
    let targets: Vec<u32> = hits
        .iter()
        .map(|h| graph.number(&h.id))
        .collect::<Option<_>>()?;
    let roots: Vec<u32> = nodes
        .iter()
        .map(|n| graph.tree_number(&n.tree))
        .collect::<Option<_>>()?;
    let head = match head_tree {
        Some(t) => Some(graph.tree_number(&t)?),
        None => None,
    };
    let wanted: graph::NumberSet<u32> = roots.iter().copied().chain(head).collect();
    progress.phase(Phase::LocatingCommits, targets.len() as u64);
    let located = graph::locate(graph, &targets, &wanted, threads, progress);
    if located.cycle {
        broken.insert(
            "the tree graph has a cycle (the pack's object ids do not match its objects); paths were cut"
                .to_owned(),
        );
    }
    // Per (target, path) pair by its index: each commit costs integer updates only.
    let mut per_pair: Vec<Option<PathProvenance>> = vec![None; located.pairs.len()];
    for (pos, &ni) in order.iter().enumerate() {
        for &i in located.roots.get(&roots[ni]).into_iter().flatten() {
            let p = per_pair[i as usize].get_or_insert(PathProvenance {
                first: pos,
                last: pos,
                commits: 0,
                in_head: false,
            });
            p.first = p.first.min(pos);
            p.last = p.last.max(pos);
            p.commits += 1;
        }
    }
    for &i in head
        .and_then(|h| located.roots.get(&h))
        .into_iter()
        .flatten()
    {
        if let Some(p) = per_pair[i as usize].as_mut() {
            p.in_head = true;
        }
    }
    let mut prov = Prov::new();
    for (key, p) in located.pairs.into_iter().zip(per_pair) {
        if let Some(p) = p {
            merge_into(&mut prov, key, p);
        }
    }
    Some(prov)
}

/// Counts the commit at topological position `pos` for each (target, path) its tree holds.
pub(super) fn record(prov: &mut Prov, pos: usize, list: &[(u32, BString)]) {
    for (ti, path) in list {
        match prov.get_mut(&(*ti, path.clone())) {
            Some(p) => {
                p.first = p.first.min(pos);
                p.last = p.last.max(pos);
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

/// Counts the commit at `pos` per interned (target, path): the walk's inner loop, run for
/// every (target, path) pair of every commit, so it must not allocate.
fn record_ids(prov: &mut HashMap<(u32, u32), PathProvenance>, pos: usize, list: &[(u32, u32)]) {
    for &key in list {
        prov.entry(key)
            .and_modify(|p| {
                p.first = p.first.min(pos);
                p.last = p.last.max(pos);
                p.commits += 1;
            })
            .or_insert(PathProvenance {
                first: pos,
                last: pos,
                commits: 1,
                in_head: false,
            });
    }
}

/// Joins the provenance of disjoint runs of commits.
fn merge_runs(runs: Vec<Prov>) -> Prov {
    let mut prov = Prov::new();
    for run in runs {
        for (key, p) in run {
            merge_into(&mut prov, key, p);
        }
    }
    prov
}

/// Adds the provenance `p` of disjoint commits to that of `key`.
fn merge_into(prov: &mut Prov, key: (u32, BString), p: PathProvenance) {
    match prov.get_mut(&key) {
        Some(q) => {
            q.first = q.first.min(p.first);
            q.last = q.last.max(p.last);
            q.commits += p.commits;
            q.in_head |= p.in_head;
        }
        None => {
            prov.insert(key, p);
        }
    }
}

/// Step 4: marks the (target, path) pairs HEAD's tree holds.
pub(super) fn mark_head(prov: &mut Prov, head: &[(u32, BString)]) {
    for (ti, path) in head {
        if let Some(p) = prov.get_mut(&(*ti, path.clone())) {
            p.in_head = true;
        }
    }
}

/// One finding per (fingerprint, rule, path), with the provenance joined over the blobs
/// that carried it.
#[derive(Debug)]
pub(super) struct Merged {
    pub(super) finding: Finding,
    pub(super) path: String,
    pub(super) first: usize,
    pub(super) last: usize,
    pub(super) commits: u64,
    pub(super) in_head: bool,
    /// The finding in the blob HEAD holds at this path, if HEAD holds the secret there.
    pub(super) head: Option<Finding>,
}

/// Step 5: joins the blobs' findings per (fingerprint, rule, path): the finding of the
/// blob in HEAD is kept when HEAD still holds the secret at that path (so it points at
/// HEAD's line, issue 12 item 5), else the finding of the blob that came first. A blob found nowhere is reported unplaced when part of
/// the history could not be read (`broken`), as unreachable when asked for, else dropped.
fn merge_findings(
    hits: Vec<BlobHits>,
    prov: &Prov,
    broken: bool,
    include_unreachable: bool,
) -> (Vec<Merged>, Vec<Finding>) {
    let mut merged: HashMap<(String, String, String), Merged> = HashMap::new();
    let mut unreachable = Vec::new();
    let mut by_target: Vec<Vec<(&BString, PathProvenance)>> = vec![Vec::new(); hits.len()];
    for ((ti, path), p) in prov {
        if let Some(v) = by_target.get_mut(*ti as usize) {
            v.push((path, *p));
        }
    }
    for (ti, hit) in hits.into_iter().enumerate() {
        if by_target[ti].is_empty() {
            if broken {
                // Perhaps reachable through what could not be read: report, unplaced.
                for mut f in hit.findings {
                    f.path = format!("unattributed:{}", hit.id);
                    f.flags.push(crate::finding::Flag::Unattributed);
                    unreachable.push(f);
                }
            } else if include_unreachable {
                for mut f in hit.findings {
                    f.path = format!("unreachable:{}", hit.id);
                    f.flags.push(crate::finding::Flag::Unreachable);
                    f.in_head = Some(false);
                    f.commits = Some(0);
                    unreachable.push(f);
                }
            }
            continue;
        }
        // A secret twice in one blob is one finding per path, at its first occurrence,
        // and its commits are counted once (issue 12, item 8: they were counted per
        // occurrence).
        let mut firsts: Vec<&Finding> = hit.findings.iter().collect();
        firsts.sort_by_key(|f| (f.line, f.column));
        let mut seen = std::collections::HashSet::new();
        firsts.retain(|f| seen.insert((&f.fingerprint, &f.rule_id)));
        for (path, p) in &by_target[ti] {
            // A name that is not UTF-8 keeps its bytes (issue 12, item 10).
            let raw = crate::finding::raw_path(path.as_slice());
            let path = path.to_str_lossy().into_owned();
            let with_raw = |f: &crate::finding::Finding| {
                let mut f = f.clone();
                f.raw_path = raw.clone();
                f
            };
            for &f in &firsts {
                let key = (f.fingerprint.clone(), f.rule_id.clone(), path.clone());
                match merged.get_mut(&key) {
                    Some(m) => {
                        if p.first < m.first {
                            m.first = p.first;
                            m.finding = with_raw(f);
                        }
                        m.last = m.last.max(p.last);
                        m.commits += p.commits;
                        m.in_head |= p.in_head;
                        if p.in_head {
                            m.head = Some(with_raw(f));
                        }
                    }
                    None => {
                        merged.insert(
                            key,
                            Merged {
                                finding: with_raw(f),
                                path: path.clone(),
                                first: p.first,
                                last: p.last,
                                commits: p.commits,
                                in_head: p.in_head,
                                head: p.in_head.then(|| with_raw(f)),
                            },
                        );
                    }
                }
            }
        }
    }
    (merged.into_values().collect(), unreachable)
}

/// Step 6: the final findings, with the first and last commits' authors and dates.
fn finish(
    repo: &gix::Repository,
    nodes: &[CommitNode],
    order: &[usize],
    merged: Vec<Merged>,
    unreachable: Vec<Finding>,
) -> anyhow::Result<Vec<Finding>> {
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
    for m in merged {
        // Located where HEAD has it; the commit fields still say where it entered.
        let mut f = match m.head {
            Some(head) if m.in_head => head,
            _ => m.finding,
        };
        f.path = m.path;
        let first = info_at(m.first)?;
        f.commit = Some(first.clone());
        f.first_commit = Some(first);
        f.last_commit = Some(info_at(m.last)?);
        f.in_head = Some(m.in_head);
        f.commits = Some(m.commits as usize);
        out.push(f);
    }
    out.extend(unreachable);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{LineIndex, SourceKind};
    use crate::rules::RulePack;

    fn id(n: u8) -> ObjectId {
        ObjectId::from_bytes_or_panic(&[n; 20])
    }

    fn node(n: u8, parents: &[u8], time: i64) -> CommitNode {
        CommitNode {
            id: id(n),
            tree: id(200),
            parents: parents.iter().map(|&p| id(p)).collect(),
            time,
        }
    }

    #[test]
    fn topological_puts_parents_first_and_older_first() {
        // 1 <- 2 <- 4 (merge of 2 and 3), 1 <- 3; 3 is older than 2. The walk order is
        // children first, as a rev walk gives it; a parent outside the walk is ignored.
        let nodes = vec![
            node(4, &[2, 3], 40),
            node(2, &[1], 30),
            node(3, &[1, 99], 20),
            node(1, &[], 10),
        ];
        let order: Vec<u8> = topological(&nodes)
            .into_iter()
            .map(|i| nodes[i].id.as_bytes()[0])
            .collect();
        assert_eq!(order, vec![1, 3, 2, 4]);
        // A child older than its parent (clock skew) still comes after it.
        let skew = vec![node(2, &[1], 5), node(1, &[], 10)];
        assert_eq!(topological(&skew), vec![1, 0]);
    }

    fn list(pairs: &[(u32, &str)]) -> Vec<(u32, BString)> {
        pairs.iter().map(|&(t, p)| (t, BString::from(p))).collect()
    }

    #[test]
    fn runs_merge_to_what_one_run_gives() {
        let commits = [
            list(&[(0, "a"), (1, "b")]),
            list(&[(0, "a")]),
            list(&[]),
            list(&[(0, "a"), (0, "c")]),
            list(&[(1, "b")]),
        ];
        let mut whole = Prov::new();
        for (pos, l) in commits.iter().enumerate() {
            record(&mut whole, pos, l);
        }
        let mut left = Prov::new();
        let mut right = Prov::new();
        for (pos, l) in commits.iter().enumerate() {
            record(if pos < 2 { &mut left } else { &mut right }, pos, l);
        }
        assert_eq!(merge_runs(vec![right, left]), whole);
        let a = whole[&(0, BString::from("a"))];
        assert_eq!((a.first, a.last, a.commits), (0, 3, 3));
        let b = whole[&(1, BString::from("b"))];
        assert_eq!((b.first, b.last, b.commits), (0, 4, 2));
        mark_head(&mut whole, &list(&[(1, "b"), (7, "nowhere")]));
        assert!(whole[&(1, BString::from("b"))].in_head);
        assert!(!whole[&(0, BString::from("a"))].in_head);
        assert_eq!(whole.len(), 3);
    }

    fn finding_at(line: usize) -> Finding {
        let pack = RulePack::builtin();
        let mut data = "\n".repeat(line - 1);
        data.push_str("token = 0123456789abcdef0123456789abcdef\n");
        let start = data.len() - 33;
        let idx = LineIndex::new(data.as_bytes());
        Finding::new(
            &pack.rules()[0],
            data.as_bytes(),
            &idx,
            start,
            start + 32,
            String::new(),
            SourceKind::History,
        )
    }

    fn prov(first: usize, last: usize, commits: u64, in_head: bool) -> PathProvenance {
        PathProvenance {
            first,
            last,
            commits,
            in_head,
        }
    }

    #[test]
    fn findings_merge_per_secret_and_path_keeping_the_first_blob() {
        // Blob 0 (secret on line 3) at "a" in commits 5..9; blob 1 (same secret, line 1)
        // at "a" in commits 2..4 and in HEAD at "b"; blob 2 is nowhere.
        let hits = vec![
            BlobHits {
                id: id(1),
                findings: vec![finding_at(3)],
            },
            BlobHits {
                id: id(2),
                findings: vec![finding_at(1)],
            },
            BlobHits {
                id: id(3),
                findings: vec![finding_at(2)],
            },
        ];
        let mut p = Prov::new();
        p.insert((0, "a".into()), prov(5, 9, 5, false));
        p.insert((1, "a".into()), prov(2, 4, 3, false));
        p.insert((1, "b".into()), prov(4, 4, 1, true));
        let (mut merged, unreachable) = merge_findings(hits, &p, false, false);
        merged.sort_by(|x, y| x.path.cmp(&y.path));
        assert!(unreachable.is_empty(), "a blob found nowhere is dropped");
        assert_eq!(merged.len(), 2);
        let a = &merged[0];
        assert_eq!(a.path, "a");
        assert_eq!((a.first, a.last, a.commits, a.in_head), (2, 9, 8, false));
        assert_eq!(a.finding.line, 1, "the earliest blob's finding is kept");
        assert!(a.head.is_none());
        assert_eq!((merged[1].first, merged[1].in_head), (4, true));
        assert_eq!(merged[1].head.as_ref().map(|f| f.line), Some(1));

        let hits = vec![BlobHits {
            id: id(3),
            findings: vec![finding_at(2)],
        }];
        let (_, unreachable) = merge_findings(hits, &Prov::new(), false, true);
        assert_eq!(
            unreachable[0].flags,
            vec![crate::finding::Flag::Unreachable]
        );
        assert_eq!(unreachable[0].commits, Some(0));
        let hits = vec![BlobHits {
            id: id(3),
            findings: vec![finding_at(2)],
        }];
        let (_, unattributed) = merge_findings(hits, &Prov::new(), true, false);
        assert!(unattributed[0].path.starts_with("unattributed:"));
    }
}
