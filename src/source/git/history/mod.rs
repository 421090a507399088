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
mod provenance;
mod records;
pub mod state;
mod treediff;

use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Instant;

use anyhow::{anyhow, bail};
use gix::bstr::{BString, ByteSlice};
use gix::objs::tree::EntryKind;
use gix::ObjectId;

use super::{open, GitOptions};
use crate::engine::{Engine, ScanOutput, Stats};
use crate::progress::Phase;
use blobs::{object_ids, scan_loose, scan_packs, BlobPass};
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
        .then(|| graph::Builder::new(object_ids(&repo), repo.object_hash()));
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
    if is_partial_clone(&repo) && !crate::progress::interrupted() {
        report_missing_blobs(&repo, opts, &seen, &stats);
    }
    let mut snapshot = scanned_tips.map(|t| state::Snapshot::new(t, seen, &hits));
    clock.lap("blob pass");

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

/// In a partial clone, walks every tree the scanned refs reach and counts the blobs that
/// are not in the object database: they were not scanned, which the exit code must say.
/// keytrace never fetches them (no network).
fn report_missing_blobs(
    repo: &gix::Repository,
    opts: &GitOptions,
    seen: &gix::hashtable::HashSet<ObjectId>,
    stats: &Stats,
) {
    let mut missing: gix::hashtable::HashSet<ObjectId> = Default::default();
    let mut example: Option<String> = None;
    let mut trees_missing = 0u64;
    let mut visited: gix::hashtable::HashSet<ObjectId> = Default::default();
    let mut buf = Vec::new();
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
    for info in walk {
        let Ok(info) = info else { break };
        let Ok(commit) = repo.find_commit(info.id) else {
            continue;
        };
        let Ok(tree) = commit.tree_id() else { continue };
        let mut stack: Vec<(ObjectId, BString)> = vec![(tree.detach(), BString::default())];
        while let Some((tree, prefix)) = stack.pop() {
            if !visited.insert(tree) {
                continue;
            }
            let Ok(Some(data)) = gix::objs::Find::try_find(&repo.objects, &tree, &mut buf) else {
                trees_missing += 1;
                continue;
            };
            // A path is built only for a subtree still to visit and for the example: the
            // walk reads every entry of every tree (git/git: issue 16, allocating a path
            // per entry was a tenth of the blob pass's CPU).
            let join = |name: &[u8]| {
                let mut path = BString::from(Vec::with_capacity(prefix.len() + 1 + name.len()));
                if !prefix.is_empty() {
                    path.extend_from_slice(&prefix);
                    path.push(b'/');
                }
                path.extend_from_slice(name);
                path
            };
            for e in gix::objs::TreeRefIter::from_bytes(data.data, repo.object_hash()).flatten() {
                match e.mode.kind() {
                    EntryKind::Tree if !visited.contains(e.oid) => {
                        stack.push((e.oid.to_owned(), join(e.filename)))
                    }
                    EntryKind::Blob | EntryKind::BlobExecutable
                        if !seen.contains(e.oid)
                            && !repo.has_object(e.oid)
                            && missing.insert(e.oid.to_owned())
                            && example.is_none() =>
                    {
                        example = Some(format!(
                            "{} in commit {}",
                            join(e.filename).to_str_lossy().escape_debug(),
                            info.id
                        ));
                    }
                    _ => {}
                }
            }
        }
    }
    if !missing.is_empty() || trees_missing > 0 {
        stats.error(format!(
            "partial clone: {} blobs and {trees_missing} trees that the history references are not in this repository and were not scanned (first: {}); fetch them (git fetch --refetch without --filter) or scan a full clone",
            missing.len(),
            example.as_deref().unwrap_or("a tree")
        ));
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
