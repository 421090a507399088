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
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use anyhow::{anyhow, bail, Context as _};
use gix::bstr::{BString, ByteSlice};
use gix::objs::tree::EntryKind;
use gix::ObjectId;

use super::{commit_info, delta, open, should_scan, GitOptions};
use crate::engine::{Engine, ScanOutput, Stats};
use crate::finding::{Finding, SourceKind};
use crate::matcher::decode::{self, DecodedMatch};
use crate::matcher::{Candidate, Matcher, RawMatch};

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
    /// Blobs searched only where their delta changed them.
    delta_blobs: AtomicU64,
    /// Bytes the keyword automaton read (all of a whole blob, the dirty lines of a delta).
    bytes_searched: AtomicU64,
}

/// One thread's scratch for the blob pass.
struct Scratch<'e> {
    matcher: Matcher<'e>,
    raw: Vec<RawMatch>,
    decoded: Vec<DecodedMatch>,
    record: Vec<Candidate>,
    base: Vec<Candidate>,
    base_decoded: Vec<DecodedMatch>,
    inherited: Vec<Candidate>,
    ops: Vec<delta::Op>,
    dirty: Vec<(usize, usize)>,
    delta: Vec<u8>,
    inflate: gix::zlib::Inflate,
}

/// The traversal clones its processor once per thread: each gets fresh buffers.
impl Clone for Scratch<'_> {
    fn clone(&self) -> Self {
        Scratch::with_matcher(self.matcher.clone())
    }
}

impl<'e> Scratch<'e> {
    fn new(engine: &'e Engine) -> Self {
        Scratch::with_matcher(engine.matcher())
    }

    fn with_matcher(matcher: Matcher<'e>) -> Self {
        Scratch {
            matcher,
            raw: Vec::new(),
            decoded: Vec::new(),
            record: Vec::new(),
            base: Vec::new(),
            base_decoded: Vec::new(),
            inherited: Vec::new(),
            ops: Vec::new(),
            dirty: Vec::new(),
            delta: Vec::new(),
            inflate: Default::default(),
        }
    }
}

/// What the blobs stored as deltas of a blob need to know of it, by pack offset (None
/// when it was not searched as text: binary, too large, a repeat; its deltas are then
/// searched whole).
struct PackStates {
    shards: Vec<Mutex<StateShard>>,
}

/// A searched blob, as its deltas see it.
struct BaseState {
    len: usize,
    /// Single-line candidates.
    candidates: Box<[Candidate]>,
    /// Secrets inside encoded text (before settling with the plain matches).
    decoded: Box<[DecodedMatch]>,
}

type StateShard = HashMap<u64, Option<BaseState>>;

impl PackStates {
    fn new() -> Self {
        PackStates {
            shards: (0..16).map(|_| Mutex::new(HashMap::new())).collect(),
        }
    }

    fn shard(&self, offset: u64) -> std::sync::MutexGuard<'_, StateShard> {
        // Entry offsets are spread evenly enough for a cheap mix.
        let i = ((offset ^ (offset >> 7)) % self.shards.len() as u64) as usize;
        self.shards[i].lock().unwrap_or_else(|p| p.into_inner())
    }

    fn insert(&self, offset: u64, state: Option<BaseState>) {
        self.shard(offset).insert(offset, state);
    }

    /// The base's size, with its candidates and decoded secrets copied out, if it was
    /// searched.
    fn get(
        &self,
        offset: u64,
        candidates: &mut Vec<Candidate>,
        decoded: &mut Vec<DecodedMatch>,
    ) -> Option<usize> {
        let shard = self.shard(offset);
        let state = shard.get(&offset)?.as_ref()?;
        candidates.clear();
        candidates.extend_from_slice(&state.candidates);
        decoded.clear();
        decoded.extend_from_slice(&state.decoded);
        Some(state.len)
    }
}

/// Where a blob sits in a pack, for the delta-aware search.
struct InPack<'a> {
    pack: &'a gix::odb::pack::data::File,
    index: &'a gix::odb::pack::index::File,
    states: &'a PackStates,
    offset: u64,
}

impl BlobPass<'_> {
    /// Scans one blob unless it was seen already.
    fn blob(&self, s: &mut Scratch<'_>, id: &gix::oid, data: &[u8], in_pack: Option<InPack<'_>>) {
        let delta_aware = self.opts.delta_aware && in_pack.is_some();
        let first = self
            .seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id.to_owned());
        if !first || !should_scan(data, self.opts, self.stats) || crate::progress::interrupted() {
            if let (true, Some(p)) = (delta_aware, &in_pack) {
                p.states.insert(p.offset, None);
            }
            return;
        }
        Stats::bump(&self.stats.scanned);
        self.stats
            .bytes
            .fetch_add(data.len() as u64, Ordering::Relaxed);
        crate::progress::record(data.len());
        let before = s.matcher.stats.inline_suppressed;
        s.raw.clear();
        s.decoded.clear();
        s.record.clear();
        let depth = self.engine.decode_depth;
        let inline = self.engine.options.inline_ignores;
        let searched = match in_pack.as_ref().filter(|_| delta_aware) {
            Some(p) => match self.search_delta(s, data, p) {
                Some(n) => {
                    self.delta_blobs.fetch_add(1, Ordering::Relaxed);
                    n
                }
                None => {
                    s.matcher
                        .scan_recording(data, "", &mut s.raw, &mut s.record);
                    decode::scan(&mut s.matcher, data, "", depth, inline, &mut s.decoded);
                    data.len()
                }
            },
            None => {
                s.matcher.scan(data, "", &mut s.raw);
                decode::scan(&mut s.matcher, data, "", depth, inline, &mut s.decoded);
                data.len()
            }
        };
        self.bytes_searched
            .fetch_add(searched as u64, Ordering::Relaxed);
        // Config-file pass (issue 13): by content only, a blob has no path here.
        self.engine
            .config_matches(&mut s.matcher, data, "", &mut s.raw);
        if let (true, Some(p)) = (delta_aware, &in_pack) {
            p.states.insert(
                p.offset,
                Some(BaseState {
                    len: data.len(),
                    candidates: std::mem::take(&mut s.record).into(),
                    decoded: s.decoded.clone().into(),
                }),
            );
        }
        let suppressed = s.matcher.stats.inline_suppressed - before;
        if suppressed > 0 {
            self.stats
                .inline_suppressed
                .fetch_add(suppressed, Ordering::Relaxed);
        }
        let mut findings = Vec::new();
        self.engine
            .settle(data, "", None, &mut s.raw, &mut s.decoded);
        self.engine.push_findings(
            data,
            "",
            SourceKind::History,
            &s.raw,
            &s.decoded,
            &mut findings,
        );
        if !findings.is_empty() {
            self.hits
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(BlobHits {
                    id: id.to_owned(),
                    findings,
                });
        }
    }

    /// Searches a blob stored as a delta of an already searched base only where it
    /// differs from it. Returns the bytes searched, or None when it must be searched
    /// whole (not a delta, its base not searched as text, an unreadable delta).
    fn search_delta(&self, s: &mut Scratch<'_>, data: &[u8], p: &InPack<'_>) -> Option<usize> {
        use gix::odb::pack::data::entry::Header;
        let entry = p.pack.entry(p.offset).ok()?;
        let base_offset = match &entry.header {
            Header::OfsDelta { base_distance } => entry.checked_base_pack_offset(*base_distance)?,
            Header::RefDelta { base_id } => p.index.pack_offset_at_index(p.index.lookup(base_id)?),
            _ => return None,
        };
        // The Kubernetes Secret pass of decoding reads the whole blob: search it whole.
        if self.engine.decode_depth > 0 && memchr::memmem::find(data, b"kind: Secret").is_some() {
            return None;
        }
        let base_len = p
            .states
            .get(base_offset, &mut s.base, &mut s.base_decoded)?;
        let size = usize::try_from(entry.decompressed_size).ok()?;
        s.delta.clear();
        s.delta.resize(size, 0);
        p.pack
            .decompress_entry(&entry, &mut s.inflate, &mut s.delta)
            .ok()?;
        delta::parse(&s.delta, base_len, data.len(), &mut s.ops).ok()?;
        delta::dirty_lines(data, &s.ops, &mut s.dirty);
        delta::inherit(&s.base, &s.ops, &s.dirty, &mut s.inherited);
        s.matcher.scan_delta(
            data,
            "",
            &s.dirty,
            &s.inherited,
            &mut s.raw,
            Some(&mut s.record),
        );
        decode::scan_ranges(
            &mut s.matcher,
            data,
            &s.dirty,
            "",
            self.engine.decode_depth,
            self.engine.options.inline_ignores,
            &mut s.decoded,
        );
        delta::inherit_decoded(&s.base_decoded, &s.ops, &s.dirty, &mut s.decoded);
        s.decoded.sort_by(|a, b| {
            (a.start, a.end, &a.secret, a.rule).cmp(&(b.start, b.end, &b.secret, b.rule))
        });
        Some(s.dirty.iter().map(|&(a, b)| b - a).sum())
    }
}

/// Scans the history of the repository at `repo_path`.
pub fn scan(engine: &Engine, repo_path: &Path, opts: &GitOptions) -> anyhow::Result<ScanOutput> {
    let start = Instant::now();
    let ts = open(repo_path)?;
    let repo = ts.to_thread_local();
    if let Some(out) = no_commits(&repo, opts, start)? {
        return Ok(out);
    }
    let stats = Stats::default();
    let pass = BlobPass {
        engine,
        opts,
        stats: &stats,
        seen: Mutex::new(Default::default()),
        hits: Mutex::new(Vec::new()),
        delta_blobs: AtomicU64::new(0),
        bytes_searched: AtomicU64::new(0),
    };
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
    drop(seen);

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
        findings = attribute(&repo, hits, opts, &stats)?;
    }
    let mut out = ScanOutput::from_stats(stats, findings, start.elapsed());
    out.notes = notes;
    Ok(out)
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
            for e in gix::objs::TreeRefIter::from_bytes(data.data, repo.object_hash()).flatten() {
                let mut path = prefix.clone();
                if !path.is_empty() {
                    path.push(b'/');
                }
                path.extend_from_slice(e.filename);
                match e.mode.kind() {
                    EntryKind::Tree => stack.push((e.oid.to_owned(), path)),
                    EntryKind::Blob | EntryKind::BlobExecutable
                        if !seen.contains(e.oid)
                            && !repo.has_object(e.oid)
                            && missing.insert(e.oid.to_owned())
                            && example.is_none() =>
                    {
                        example = Some(format!(
                            "{} in commit {}",
                            path.to_str_lossy().escape_debug(),
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
        let states = PackStates::new();
        let processor = {
            let mut scratch = Scratch::new(pass.engine);
            let (pack, index, states) = (&bundle.pack, &bundle.index, &states);
            move |kind: gix::object::Kind,
                  data: &[u8],
                  entry: &gix::odb::pack::index::Entry,
                  _: &dyn gix::progress::Progress|
                  -> gix::Result {
                if kind == gix::object::Kind::Blob {
                    let in_pack = InPack {
                        pack,
                        index,
                        states,
                        offset: entry.pack_offset,
                    };
                    pass.blob(&mut scratch, &entry.oid, data, Some(in_pack));
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
            let mut scratch = Scratch::new(pass.engine);
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
                        pass.blob(&mut scratch, &entry.oid, &o.data, None);
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
    let mut scratch = Scratch::new(pass.engine);
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
                pass.blob(&mut scratch, &id, &data, None);
            }
            Ok(_) => {}
            Err(e) => pass
                .stats
                .error(format!("loose object {id} cannot be read: {e}")),
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

/// The delta-base cache for provenance's tree reads, across all its threads (the value
/// `open` gives `core.deltaBaseCacheLimit`).
const PROVENANCE_CACHE_BYTES: usize = 96 * 1024 * 1024;

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

    // Where each target blob lives, commit by commit. Decoding every unique tree is most
    // of this phase's work, so the commits are split into contiguous runs of the order,
    // one per thread, each with its own tree memo (a subtree unchanged across a boundary
    // is decoded twice, a small price), and the per-run results are merged.
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
    let run_len = order.len().div_ceil(threads.max(1)).max(1);
    let shared = repo.clone().into_sync();
    let runs: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = order
            .chunks(run_len)
            .enumerate()
            .map(|(run, chunk)| {
                let (shared, targets, nodes) = (&shared, &targets, &nodes);
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
                    let mut tree_index = TreeIndex {
                        repo: &repo,
                        targets: targets.clone(),
                        memo: Default::default(),
                        lists: vec![Vec::new()],
                        buf: Vec::new(),
                    };
                    let mut prov: HashMap<(u32, BString), PathProvenance> = HashMap::new();
                    let mut broken = std::collections::BTreeSet::new();
                    for (i, &ni) in chunk.iter().enumerate() {
                        let pos = run * run_len + i;
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
                    (prov, broken)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a provenance thread panicked"))
            .collect()
    });
    let mut prov: HashMap<(u32, BString), PathProvenance> = HashMap::new();
    for (run_prov, run_broken) in runs {
        broken.extend(run_broken);
        for (key, p) in run_prov {
            match prov.get_mut(&key) {
                Some(q) => {
                    q.first = q.first.min(p.first);
                    q.last = q.last.max(p.last);
                    q.commits += p.commits;
                }
                None => {
                    prov.insert(key, p);
                }
            }
        }
    }
    let mut tree_index = TreeIndex {
        repo,
        targets,
        memo: Default::default(),
        lists: vec![Vec::new()],
        buf: Vec::new(),
    };
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
                    f.flags.push(crate::finding::Flag::Unattributed);
                    unreachable.push(f);
                }
            } else if opts.include_unreachable {
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
        for (path, p) in &by_target[ti] {
            // A name that is not UTF-8 keeps its bytes (issue 12, item 10).
            let raw = crate::finding::raw_path(path.as_slice());
            let path = path.to_str_lossy().into_owned();
            let with_raw = |f: &crate::finding::Finding| {
                let mut f = f.clone();
                f.raw_path = raw.clone();
                f
            };
            for f in &hit.findings {
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
                    }
                    None => {
                        merged.insert(
                            key,
                            Merged {
                                finding: with_raw(f),
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
