//! `scan --history [--all]`: every committed blob, each scanned exactly once, then
//! provenance for the blobs that had findings.
//!
//! Blobs are read by traversing each pack in bulk (gix resolves every delta base once, on
//! all cores) and matched in place on the traversal's threads; loose objects follow. The
//! same traversal records each tree it inflates in the tree graph (`graph`: what a tree
//! adds to and drops from its delta base). Only afterwards, and only if something was
//! found, provenance walks that graph upward from the blobs with findings to the commits'
//! root trees and tells, for every (blob, path) with findings, the first and last commit
//! that carried it, how many commits did, and whether HEAD still does. When the graph
//! cannot answer (a pack read object by object, a tree that does not parse) or
//! `--provenance-walk` asks, every commit's trees are decoded again instead. A blob no
//! scanned ref reaches is dropped unless `--include-unreachable` asks for it.
//!
//! `blobs` is the blob pass; `graph` and `treediff` record the tree graph; `provenance`
//! places the findings in the commit graph.

mod blobs;
mod graph;
mod objects;
mod provenance;
mod records;
pub mod state;
mod treediff;

use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Mutex;
use std::time::Instant;

use anyhow::{anyhow, bail};
use gix::bstr::{BString, ByteSlice};
use gix::objs::tree::EntryKind;
use gix::ObjectId;

use super::{open, GitOptions};
use crate::engine::{Engine, ScanOutput, Stats};
use crate::progress::Phase;
use blobs::{object_table, scan_loose, scan_packs, BlobPass};
use graph::lock;
use provenance::attribute;

/// Fuzzing entry (not an API): builds a tree graph from `data` and checks its upward walk
/// against a downward walk of the same trees.
#[doc(hidden)]
pub fn fuzz_tree_graph(data: &[u8]) {
    graph::fuzz(data);
}

/// Wall and CPU time per phase of a history scan, printed on stderr when the environment
/// sets `KEYTRACE_PHASE_TIMES` (for benches/RESULTS.md: which phase keeps the cores busy).
pub(super) struct Clock {
    on: bool,
    wall: Instant,
    cpu: f64,
}

impl Clock {
    fn new() -> Self {
        Clock {
            on: std::env::var_os("KEYTRACE_PHASE_TIMES").is_some(),
            wall: Instant::now(),
            cpu: process_cpu_seconds(),
        }
    }

    /// Ends the phase `name`: prints its wall time, CPU time and cores used.
    pub(super) fn lap(&mut self, name: &str) {
        if !self.on {
            return;
        }
        let (wall, cpu) = (self.wall.elapsed().as_secs_f64(), process_cpu_seconds());
        let used = cpu - self.cpu;
        eprintln!(
            "phase {name}: wall {wall:.2} s, cpu {used:.2} s ({:.2} cores)",
            used / wall.max(1e-9)
        );
        self.wall = Instant::now();
        self.cpu = cpu;
    }
}

/// User + system CPU time of the whole process so far, from `/proc/self/stat` (0 where
/// there is no procfs); clock ticks of 1/100 s, Linux's value on every common platform.
fn process_cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // The command name (field 2) may hold spaces: count fields after its closing paren.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// Scans the history of the repository at `repo_path`.
pub fn scan(engine: &Engine, repo_path: &Path, opts: &GitOptions) -> anyhow::Result<ScanOutput> {
    Ok(full(engine, repo_path, opts, false)?.0)
}

/// The full scan; with `keep`, also what an incremental run needs of it (see `state`),
/// None when there is nothing to record (no commits).
fn full(
    engine: &Engine,
    repo_path: &Path,
    opts: &GitOptions,
    keep: bool,
) -> anyhow::Result<(ScanOutput, Option<state::Snapshot>)> {
    let start = Instant::now();
    let mut clock = Clock::new();
    let ts = open(repo_path)?;
    let repo = ts.to_thread_local();
    if let Some(out) = no_commits(&repo, opts, start)? {
        return Ok((out, None));
    }
    // Taken before the blob pass, so every blob these tips reach was in the packs read.
    let scanned_tips = if keep {
        Some(tips(&repo, opts.all_refs)?)
    } else {
        None
    };
    let stats = Stats::default();
    let progress = crate::progress::counters();
    progress.phase(Phase::ReadingPacks, 0);
    let builder = opts
        .provenance_graph
        .then(|| object_table(&repo))
        .flatten()
        .map(|table| graph::Builder::with_table(table, repo.object_hash()));
    clock.lap("listing objects");
    progress.phase(Phase::Matching, 0);
    let commits = provenance::CommitTable::default();
    let pass = BlobPass::new(engine, opts, &stats, builder.as_ref(), Some(&commits));
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.threads
    };
    scan_packs(&repo, &pass, threads)?;
    scan_loose(&repo, &pass);
    let hits = pass.hits.into_inner().unwrap_or_else(|p| p.into_inner());
    let seen = pass.seen.into_inner().unwrap_or_else(|p| p.into_inner());
    clock.lap("blob pass");
    if is_partial_clone(&repo) && !crate::progress::interrupted() {
        report_missing_blobs(&repo, opts, &seen, &stats, threads);
        clock.lap("checking for missing blobs");
    }
    let mut snapshot = scanned_tips.map(|t| state::Snapshot::new(t, seen, &hits));

    let mut findings = Vec::new();
    let mut notes = Vec::new();
    let delta_blobs = pass.delta_blobs.into_inner();
    if delta_blobs > 0 {
        notes.push(format!(
            "delta-aware: {delta_blobs} blobs stored as deltas were searched only where they differ from their base; the keyword search read {} of {} bytes (--no-delta reads every blob whole)",
            pass.bytes_searched.into_inner(),
            stats.bytes.load(Ordering::Relaxed)
        ));
    }
    if repo.is_shallow().unwrap_or(false) {
        notes.push("this is a shallow clone: only the fetched history was scanned, and first commits may be older than shown".to_owned());
    }
    if !hits.is_empty() {
        let graph = builder.map(graph::Builder::finish);
        clock.lap("indexing the tree graph");
        if let Some(g) = graph.as_ref().filter(|_| clock.on) {
            eprintln!("tree graph: {}", g.size());
        }
        let placed = attribute(
            &repo,
            hits,
            (graph, Some(&commits)),
            opts,
            &stats,
            progress,
            &mut clock,
        )?;
        if let Some(s) = &mut snapshot {
            s.record_places(&placed.nodes, &placed.order, &placed.prov);
        }
        findings = placed.findings;
        notes.extend(placed.note);
    }
    let mut out = ScanOutput::from_stats(stats, findings, start.elapsed());
    out.notes = notes;
    Ok((out, snapshot))
}

/// Whether the repository was cloned or fetched with a filter (`--filter=blob:none`):
/// its history references blobs it does not hold.
fn is_partial_clone(repo: &gix::Repository) -> bool {
    let config = repo.config_snapshot();
    if config.string("extensions.partialClone").is_some() {
        return true;
    }
    // git marks packs fetched from a promisor remote with a `.promisor` file.
    let pack_dir = repo.objects.store_ref().path().join("pack");
    std::fs::read_dir(pack_dir).is_ok_and(|rd| {
        rd.filter_map(Result::ok)
            .any(|e| e.path().extension().is_some_and(|x| x == "promisor"))
    })
}

/// The delta-base cache of the missing-blob walk, shared out among its threads. It reads
/// each tree once, a commit's new trees right after its parent's, so the bases it needs
/// are recent ones: a third of the 96 MB that provenance's random tree reads get.
const MISSING_WALK_CACHE_BYTES: usize = 32 * 1024 * 1024;

/// The trees the missing-blob walk has visited, split by the first byte of the id so its
/// threads rarely wait on one another's lock.
struct VisitedTrees(Vec<Mutex<gix::hashtable::HashSet<ObjectId>>>);

impl VisitedTrees {
    fn new() -> Self {
        VisitedTrees((0..64).map(|_| Mutex::default()).collect())
    }

    fn shard(&self, id: &gix::oid) -> &Mutex<gix::hashtable::HashSet<ObjectId>> {
        &self.0[(id.as_bytes()[0] & 63) as usize]
    }

    /// Whether `id` was not visited yet (and is now).
    fn insert(&self, id: &gix::oid) -> bool {
        lock(self.shard(id)).insert(id.to_owned())
    }

    fn contains(&self, id: &gix::oid) -> bool {
        lock(self.shard(id)).contains(id)
    }
}

/// What one thread of the missing-blob walk found.
#[derive(Default)]
struct MissingFound {
    blobs: gix::hashtable::HashSet<ObjectId>,
    trees: u64,
    /// The first missing blob this thread met: (index of the root tree, description).
    example: Option<(usize, String)>,
}

/// In a partial clone, walks every tree the scanned refs reach and counts the blobs that
/// are not in the object database: they were not scanned, which the exit code must say.
/// keytrace never fetches them (no network). The commits are listed first; their trees are
/// then walked on every thread (git/git: 382,000 trees, 150 million entries; on one thread
/// this was longer than the blob pass), each tree once whichever thread meets it first.
fn report_missing_blobs(
    repo: &gix::Repository,
    opts: &GitOptions,
    seen: &gix::hashtable::HashSet<ObjectId>,
    stats: &Stats,
    threads: usize,
) {
    let tips = match tips(repo, opts.all_refs) {
        Ok(t) => t,
        Err(e) => {
            stats.error(format!(
                "partial clone: cannot list the refs to check for missing blobs: {e:#}"
            ));
            return;
        }
    };
    let walk = match repo.rev_walk(tips).all() {
        Ok(w) => w,
        Err(e) => {
            stats.error(format!(
                "partial clone: cannot walk the history to check for missing blobs: {e}"
            ));
            return;
        }
    };
    let mut roots: Vec<(ObjectId, ObjectId)> = Vec::new();
    for info in walk {
        let Ok(info) = info else { break };
        let Ok(commit) = repo.find_commit(info.id) else {
            continue;
        };
        let Ok(tree) = commit.tree_id() else { continue };
        roots.push((tree.detach(), info.id));
    }
    let visited = VisitedTrees::new();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let shared = repo.clone().into_sync();
    let threads = threads.max(1);
    let found: Vec<MissingFound> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (shared, visited, next, roots) = (&shared, &visited, &next, &roots);
                scope.spawn(move || {
                    // A handle of its own, with a delta-base cache of its own, freed when
                    // the walk ends: in the repository's handle, the cache this walk filled
                    // stayed to the end of the run, through provenance, where the memory
                    // peak was (and glibc keeps freed small blocks).
                    let mut repo = shared.to_thread_local();
                    let cache_bytes = MISSING_WALK_CACHE_BYTES / threads;
                    repo.objects.set_pack_cache(move || {
                        Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
                            cache_bytes,
                        ))
                    });
                    let mut out = MissingFound::default();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&(tree, commit)) = roots.get(i) else {
                            break;
                        };
                        walk_tree(&repo, tree, (i, commit), seen, visited, &mut out);
                    }
                    out
                })
            })
            .collect();
        // A thread that panicked would take its missing blobs with it: pass the panic on.
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut missing: gix::hashtable::HashSet<ObjectId> = Default::default();
    let mut trees_missing = 0u64;
    let mut example: Option<(usize, String)> = None;
    for f in found {
        missing.extend(f.blobs);
        trees_missing += f.trees;
        if let Some(e) = f.example {
            if example.as_ref().is_none_or(|x| e.0 < x.0) {
                example = Some(e);
            }
        }
    }
    if !missing.is_empty() || trees_missing > 0 {
        stats.error(format!(
            "partial clone: {} blobs and {trees_missing} trees that the history references are not in this repository and were not scanned (first: {}); fetch them (git fetch --refetch without --filter) or scan a full clone",
            missing.len(),
            example.as_ref().map_or("a tree", |e| e.1.as_str())
        ));
    }
}

/// The missing-blob walk below one commit's root tree: every tree not visited yet by any
/// thread, every blob entry checked against the scanned set, then the object database.
fn walk_tree(
    repo: &gix::Repository,
    root: ObjectId,
    (root_index, commit): (usize, ObjectId),
    seen: &gix::hashtable::HashSet<ObjectId>,
    visited: &VisitedTrees,
    out: &mut MissingFound,
) {
    let mut buf = Vec::new();
    let mut stack: Vec<(ObjectId, BString)> = vec![(root, BString::default())];
    while let Some((tree, prefix)) = stack.pop() {
        if !visited.insert(&tree) {
            continue;
        }
        let Ok(Some(data)) = gix::objs::Find::try_find(&repo.objects, &tree, &mut buf) else {
            out.trees += 1;
            continue;
        };
        // Paths are joined only for the subtrees still to visit and the first missing
        // blob, not for every entry (git/git's commits share nearly all subtrees).
        let join = |name: &[u8]| {
            let mut path = prefix.clone();
            if !path.is_empty() {
                path.push(b'/');
            }
            path.extend_from_slice(name);
            path
        };
        for e in gix::objs::TreeRefIter::from_bytes(data.data, repo.object_hash()).flatten() {
            match e.mode.kind() {
                EntryKind::Tree if !visited.contains(e.oid) => {
                    stack.push((e.oid.to_owned(), join(e.filename)));
                }
                EntryKind::Blob | EntryKind::BlobExecutable
                    if !seen.contains(e.oid)
                        && !repo.has_object(e.oid)
                        && out.blobs.insert(e.oid.to_owned())
                        && out.example.as_ref().is_none_or(|x| root_index < x.0) =>
                {
                    out.example = Some((
                        root_index,
                        format!(
                            "{} in commit {commit}",
                            join(e.filename).to_str_lossy().escape_debug()
                        ),
                    ));
                }
                _ => {}
            }
        }
    }
}

/// An empty result with a note when no ref leads to a commit (a repository where nothing
/// was committed yet): the history is empty, and the loose blobs `git add` wrote are not
/// history (issue 12, item 14: the summary said `scanned 1 file`).
fn no_commits(
    repo: &gix::Repository,
    opts: &GitOptions,
    start: Instant,
) -> anyhow::Result<Option<ScanOutput>> {
    // A broken ref is reported by the scan itself, as before; unreachable blobs were asked for.
    if opts.include_unreachable || tips(repo, opts.all_refs).map_or(true, |t| !t.is_empty()) {
        return Ok(None);
    }
    let mut out = ScanOutput::from_stats(Stats::default(), Vec::new(), start.elapsed());
    out.notes.push(if opts.all_refs {
        "no commits: no ref points to a commit, so there is no history to scan".to_owned()
    } else {
        "no commits: HEAD has no commit yet, so there is no history to scan \
         (`keytrace scan --staged` scans what is staged)"
            .to_owned()
    });
    Ok(Some(out))
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
