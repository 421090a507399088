//! The blob pass of a history scan: every pack traversed in bulk (gix resolves each delta
//! base once, on all cores), each unique blob matched in place on the traversal's threads
//! (only where it differs from its base when it is stored as a delta), loose objects after.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

use gix::ObjectId;

use super::super::{delta, should_scan, GitOptions};
use super::graph::{Builder, PackBases, TreeScratch};
use super::objects::ObjectTable;
use crate::engine::{Engine, Stats};
use crate::finding::{Finding, SourceKind};
use crate::matcher::decode::{self, DecodedMatch};
use crate::matcher::{Candidate, Matcher, RawMatch};

/// Findings of one blob, before we know where it lives.
pub(super) struct BlobHits {
    pub(super) id: ObjectId,
    pub(super) findings: Vec<Finding>,
}

/// Shared state of the blob pass.
pub(super) struct BlobPass<'e> {
    pub(super) engine: &'e Engine,
    pub(super) opts: &'e GitOptions,
    pub(super) stats: &'e Stats,
    pub(super) seen: Mutex<gix::hashtable::HashSet<ObjectId>>,
    pub(super) hits: Mutex<Vec<BlobHits>>,
    /// Blobs searched only where their delta changed them.
    pub(super) delta_blobs: AtomicU64,
    /// Bytes the keyword automaton read (all of a whole blob, the dirty lines of a delta).
    pub(super) bytes_searched: AtomicU64,
    /// The tree graph for provenance, recorded as the trees go by (None: provenance
    /// reads the trees again).
    pub(super) graph: Option<&'e Builder>,
    /// The commits the traversal inflates, for provenance's commit graph.
    pub(super) commits: Option<&'e CommitTable>,
}

impl<'e> BlobPass<'e> {
    /// A pass that has seen nothing yet; `graph` and `commits` record what provenance
    /// needs as the pack traversal goes by (None for a pass that reads listed blobs).
    pub(super) fn new(
        engine: &'e Engine,
        opts: &'e GitOptions,
        stats: &'e Stats,
        graph: Option<&'e Builder>,
        commits: Option<&'e CommitTable>,
    ) -> Self {
        BlobPass {
            engine,
            opts,
            stats,
            seen: Mutex::new(Default::default()),
            hits: Mutex::new(Vec::new()),
            delta_blobs: AtomicU64::new(0),
            bytes_searched: AtomicU64::new(0),
            graph,
            commits,
        }
    }
}

/// A walked commit.
#[derive(Clone)]
pub(super) struct CommitNode {
    pub(super) id: ObjectId,
    pub(super) tree: ObjectId,
    pub(super) parents: Vec<ObjectId>,
    pub(super) time: i64,
}

/// The commits the blob pass's pack traversal inflated anyway, decoded there on all cores,
/// so step 1 walks them in memory instead of reading and decoding every commit again on
/// one thread (2.4 s of git/git's 18 s history scan).
#[derive(Default)]
pub(super) struct CommitTable(Mutex<Commits>);

/// The commits as flat records (56 bytes each, their parents in one shared list): a map of
/// `CommitNode`s cost about 150 bytes a commit, 30 MB of git/git's 203,352 commits, held
/// at the blob pass's memory peak.
#[derive(Default)]
struct Commits {
    /// In the order the traversal met them; sorted by id for the lookups.
    records: Vec<CommitRecord>,
    parents: Vec<ObjectId>,
}

struct CommitRecord {
    id: ObjectId,
    tree: ObjectId,
    time: i64,
    /// Where its parents start in `Commits::parents`, and how many there are.
    first_parent: u32,
    parent_count: u32,
}

impl CommitTable {
    /// Records one commit object; one that does not decode is left out (step 1 then reads
    /// the commits the usual way and names the error).
    pub(super) fn record(&self, id: &gix::oid, data: &[u8], hash: gix::hash::Kind) {
        let Ok(commit) = gix::objs::CommitRef::from_bytes(data, hash) else {
            return;
        };
        let Ok(committer) = commit.committer() else {
            return;
        };
        let mut table = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let Ok(first_parent) = u32::try_from(table.parents.len()) else {
            return;
        };
        table.parents.extend(commit.parents());
        let parent_count = table.parents.len() as u64 - u64::from(first_parent);
        let Ok(parent_count) = u32::try_from(parent_count) else {
            return;
        };
        table.records.push(CommitRecord {
            id: id.to_owned(),
            tree: commit.tree(),
            time: committer.seconds(),
            first_parent,
            parent_count,
        });
    }

    /// Every commit `tips` reach, or None as soon as one is not in the table (a loose or
    /// unreadable commit, a shallow boundary): the caller then walks the repository.
    /// The table is read once: it is emptied, so its memory is not held beside the nodes
    /// through provenance's later steps (a second call finds nothing).
    pub(super) fn reachable(&self, tips: &[ObjectId]) -> Option<Vec<CommitNode>> {
        let mut table = std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()));
        table.records.sort_unstable_by_key(|r| r.id);
        let mut seen: gix::hashtable::HashSet<ObjectId> = Default::default();
        let mut stack: Vec<ObjectId> = tips.to_vec();
        let mut nodes = Vec::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            let at = table.records.binary_search_by_key(&id, |r| r.id).ok()?;
            let record = &table.records[at];
            let first = record.first_parent as usize;
            let parents = table
                .parents
                .get(first..first + record.parent_count as usize)?
                .to_vec();
            stack.extend(parents.iter().copied());
            nodes.push(CommitNode {
                id,
                tree: record.tree,
                parents,
                time: record.time,
            });
        }
        Some(nodes)
    }
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
    trees: TreeScratch,
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
            trees: TreeScratch::default(),
        }
    }
}

/// What the blobs stored as deltas of a blob need to know of it, by pack offset, kept
/// only while some of its deltas are still to come (absent when it was not searched as
/// text: binary, too large, a repeat; its deltas are then searched whole). Keeping every
/// searched blob's state to the end of the pack cost about 30 MB on git/git.
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

/// A base's state and how many of its deltas have not been searched yet.
type StateShard = HashMap<u64, (u32, BaseState)>;

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

    /// Keeps the state of the blob at `offset` for its `deltas` delta children.
    fn insert(&self, offset: u64, deltas: u32, state: BaseState) {
        if deltas > 0 {
            self.shard(offset).insert(offset, (deltas, state));
        }
    }

    /// One delta of the blob at `offset` is done with it: forgotten after the last.
    fn release(&self, offset: u64) {
        let mut shard = self.shard(offset);
        if let Some((left, _)) = shard.get_mut(&offset) {
            *left = left.saturating_sub(1);
            if *left == 0 {
                shard.remove(&offset);
            }
        }
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
        let (_, state) = shard.get(&offset)?;
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
    /// How many entries of the pack are deltas of this one.
    deltas: u32,
}

impl InPack<'_> {
    /// The pack offset of this entry's delta base, if it is a delta.
    fn base_offset(&self) -> Option<u64> {
        use gix::odb::pack::data::entry::Header;
        let entry = self.pack.entry(self.offset).ok()?;
        match &entry.header {
            Header::OfsDelta { base_distance } => entry.checked_base_pack_offset(*base_distance),
            Header::RefDelta { base_id } => {
                Some(self.index.pack_offset_at_index(self.index.lookup(base_id)?))
            }
            _ => None,
        }
    }
}

impl BlobPass<'_> {
    /// Scans one blob unless it was seen already.
    fn blob(&self, s: &mut Scratch<'_>, id: &gix::oid, data: &[u8], in_pack: Option<InPack<'_>>) {
        let in_pack = in_pack.filter(|_| self.opts.delta_aware);
        let base = in_pack.as_ref().and_then(InPack::base_offset);
        self.search_blob(s, id, data, in_pack.as_ref(), base);
        // Whether or not this delta read its base's state, it will not again.
        if let (Some(p), Some(base)) = (&in_pack, base) {
            p.states.release(base);
        }
    }

    /// Scans one blob unless it was seen already; `in_pack` is given for the delta-aware
    /// search, with `base`, the offset of its delta base when it is a delta.
    fn search_blob(
        &self,
        s: &mut Scratch<'_>,
        id: &gix::oid,
        data: &[u8],
        in_pack: Option<&InPack<'_>>,
        base: Option<u64>,
    ) {
        let first = self
            .seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id.to_owned());
        if !first || !should_scan(data, self.opts, self.stats) || crate::progress::interrupted() {
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
        let searched = match in_pack {
            Some(p) => match base.and_then(|base| self.search_delta(s, data, p, base)) {
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
        if let Some(p) = in_pack {
            p.states.insert(
                p.offset,
                p.deltas,
                BaseState {
                    len: data.len(),
                    candidates: std::mem::take(&mut s.record).into(),
                    decoded: s.decoded.clone().into(),
                },
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

    /// Searches a blob stored as a delta of the already searched base at `base_offset`
    /// only where it differs from it. Returns the bytes searched, or None when it must be
    /// searched whole (its base not searched as text, an unreadable delta).
    fn search_delta(
        &self,
        s: &mut Scratch<'_>,
        data: &[u8],
        p: &InPack<'_>,
        base_offset: u64,
    ) -> Option<usize> {
        let entry = p.pack.entry(p.offset).ok()?;
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

/// Traverses every pack of the repository's object database.
pub(super) fn scan_packs(
    repo: &gix::Repository,
    pass: &BlobPass<'_>,
    threads: usize,
) -> anyhow::Result<()> {
    let hash = repo.object_hash();
    let idx_files = pack_indices(repo);
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
        let bases = pass
            .graph
            .map(|_| PackBases::new(&bundle.pack, &bundle.index));
        let processor = {
            let mut scratch = Scratch::new(pass.engine);
            let (pack, index, states, bases) = (&bundle.pack, &bundle.index, &states, &bases);
            move |kind: gix::object::Kind, data: &[u8], id: &gix::oid, offset: u64, deltas: u32| {
                if kind == gix::object::Kind::Tree {
                    if let (Some(graph), Some(bases)) = (pass.graph, bases) {
                        graph.packed_tree(&mut scratch.trees, bases, (offset, deltas), id, data);
                    }
                } else if kind == gix::object::Kind::Commit {
                    if let Some(commits) = pass.commits {
                        commits.record(id, data, hash);
                    }
                } else if kind == gix::object::Kind::Blob {
                    let in_pack = InPack {
                        pack,
                        index,
                        states,
                        offset,
                        deltas,
                    };
                    pass.blob(&mut scratch, id, data, Some(in_pack));
                }
            }
        };
        let traversed = traverse(&bundle, threads, interrupt, processor);
        if traversed.is_err() && crate::progress::interrupted() {
            break;
        }
        if let Err(e) = traversed {
            // One bad entry aborts a bulk traversal: read the rest of this pack one object
            // at a time so every readable blob is still scanned and each bad one is named.
            if let Some(graph) = pass.graph {
                graph.give_up(format!("pack {} was read object by object", idx.display()));
            }
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

/// Hands every object of one pack, inflated, to `process` (kind, data, id, pack offset,
/// how many entries are deltas of it) on `threads` threads, each delta base resolved once.
///
/// This is gix's delta-tree traversal (`Algorithm::DeltaTreeLookup`) with a smaller
/// record per pack entry: gix's own keeps the whole index entry and traversal statistics
/// for each object (112 bytes an item), where the tree needs only the entry's position in
/// the index and its number of deltas (48 bytes), so a pack of 849,014 objects costs about
/// 40 MB instead of 95.
/// Its memory then depends on the number of objects, not on how they are packed.
fn traverse<P>(
    bundle: &gix::odb::pack::Bundle,
    threads: usize,
    interrupt: &AtomicBool,
    mut process: P,
) -> gix::Result<()>
where
    P: FnMut(gix::object::Kind, &[u8], &gix::oid, u64, u32) + Send + Clone,
{
    use gix::odb::pack::cache::delta::{traverse, Tree};
    use gix::odb::pack::data::entry::Header;
    let (pack, index) = (&bundle.pack, &bundle.index);
    // The entries in pack order, as the tree is built from the pack's headers in one
    // sequential read: (offset, position in the index), 16 bytes each.
    let mut sorted: Vec<(u64, u32)> = (0..index.num_objects())
        .map(|i| (index.pack_offset_at_index(i), i))
        .collect();
    sorted.sort_unstable();
    // Each entry's delta children, by index position, from the headers (a fraction of a
    // second on git/git), so a blob's state is dropped once its last delta was searched.
    let mut deltas = vec![0u32; sorted.len()];
    for &(offset, _) in &sorted {
        let Ok(entry) = pack.entry(offset) else {
            continue;
        };
        let base = match &entry.header {
            Header::OfsDelta { base_distance } => entry
                .checked_base_pack_offset(*base_distance)
                .and_then(|b| sorted.binary_search_by_key(&b, |&(o, _)| o).ok())
                .map(|k| sorted[k].1),
            Header::RefDelta { base_id } => index.lookup(base_id),
            _ => None,
        };
        if let Some(n) = base.and_then(|b| deltas.get_mut(b as usize)) {
            *n = n.saturating_add(1);
        }
    }
    let tree = Tree::from_offsets_in_pack(
        pack.path(),
        sorted
            .into_iter()
            .map(|(_, i)| (i, deltas.get(i as usize).copied().unwrap_or(0))),
        &|&(i, _)| index.pack_offset_at_index(i),
        &|id| Ok(index.lookup(id).map(|i| index.pack_offset_at_index(i))),
        &mut gix::progress::Discard,
        interrupt,
        index.object_hash(),
    )?;
    drop(deltas);
    tree.traverse(
        |slice, pack: &gix::odb::pack::data::File| pack.entry_slice(slice),
        pack,
        pack.pack_end() as u64,
        move |&mut (i, deltas): &mut (u32, u32),
              _: &dyn gix::progress::Progress,
              cx: traverse::Context<'_>| {
            // A resolved entry has its base's kind in place of a delta header (which also
            // makes its header size, so `cx.entry.pack_offset()`, unreliable: the index says).
            if let Some(kind) = cx.entry.header.as_kind() {
                let offset = index.pack_offset_at_index(i);
                process(kind, cx.decompressed, index.oid_at_index(i), offset, deltas);
            }
            Ok(())
        },
        traverse::Options {
            object_progress: Box::new(gix::progress::Discard),
            size_progress: &mut gix::progress::Discard,
            thread_limit: Some(threads),
            should_interrupt: interrupt,
            object_hash: index.object_hash(),
            alloc_limit_bytes: None,
        },
    )?;
    Ok(())
}

/// Scans loose objects (recent commits not yet packed).
pub(super) fn scan_loose(repo: &gix::Repository, pass: &BlobPass<'_>) {
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
            Ok(Some(d)) if d.kind == gix::object::Kind::Tree => {
                if let Some(graph) = pass.graph {
                    graph.loose_tree(&mut scratch.trees, &id, d.data);
                }
            }
            Ok(Some(d)) if d.kind == gix::object::Kind::Commit => {
                if let Some(commits) = pass.commits {
                    commits.record(&id, d.data, repo.object_hash());
                }
            }
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

/// Scans the listed blobs whole, object by object: an incremental run's new blobs (see
/// `state`), too few to be worth a pack traversal. A blob that cannot be read is an error
/// naming it.
pub(super) fn scan_listed(repo: &gix::Repository, pass: &BlobPass<'_>, ids: &[ObjectId]) {
    let mut scratch = Scratch::new(pass.engine);
    let mut buf = Vec::new();
    for id in ids {
        if crate::progress::interrupted() {
            break;
        }
        match gix::objs::Find::try_find(&repo.objects, id, &mut buf) {
            Ok(Some(d)) if d.kind == gix::object::Kind::Blob => {
                let data = d.data.to_vec();
                pass.blob(&mut scratch, id, &data, None);
            }
            Ok(Some(d)) => pass
                .stats
                .error(format!("object {id} is a {}, not a blob", d.kind)),
            Ok(None) => pass.stats.error(format!(
                "blob {id} is missing (corrupt repository, or a partial or shallow clone)"
            )),
            Err(e) => pass.stats.error(format!("blob {id} cannot be read: {e}")),
        }
    }
}

/// Every object of the packs and loose objects the blob pass reads, numbered for the tree
/// graph (None when they cannot be: an index that does not open, more than 4 billion).
pub(super) fn object_table(repo: &gix::Repository) -> Option<ObjectTable> {
    let mut indices = Vec::new();
    for idx in pack_indices(repo) {
        indices.push(gix::odb::pack::index::File::at(&idx, repo.object_hash()).ok()?);
    }
    let loose = gix::odb::loose::Store::at(repo.objects.store_ref().path(), repo.object_hash());
    ObjectTable::new(indices, loose.iter().filter_map(Result::ok).collect())
}

/// The pack index files of the object database, in name order.
fn pack_indices(repo: &gix::Repository) -> Vec<std::path::PathBuf> {
    let pack_dir = repo.objects.store_ref().path().join("pack");
    let mut idx_files: Vec<_> = match std::fs::read_dir(&pack_dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "idx"))
            .collect(),
        Err(_) => Vec::new(),
    };
    idx_files.sort();
    idx_files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> ObjectId {
        ObjectId::from_bytes_or_panic(&[n; 20])
    }

    fn commit(tree: u8, parents: &[u8], time: i64) -> Vec<u8> {
        let mut text = format!("tree {}\n", id(tree));
        for &p in parents {
            text.push_str(&format!("parent {}\n", id(p)));
        }
        text.push_str(&format!(
            "author A <a@example.com> {time} +0000\ncommitter C <c@example.com> {time} +0000\n\nm\n"
        ));
        text.into_bytes()
    }

    #[test]
    fn commit_table_walks_the_recorded_commits_from_the_tips() {
        let table = CommitTable::default();
        let hash = gix::hash::Kind::Sha1;
        // Recorded out of order, as the traversal's threads meet them: a merge (4) of two
        // lines (2, 3) from a root (1), and an unrelated commit (9).
        table.record(&id(4), &commit(40, &[2, 3], 400), hash);
        table.record(&id(1), &commit(10, &[], 100), hash);
        table.record(&id(9), &commit(90, &[], 900), hash);
        table.record(&id(3), &commit(30, &[1], 300), hash);
        table.record(&id(2), &commit(20, &[1], 200), hash);
        table.record(&id(7), b"not a commit", hash);
        let mut nodes = table.reachable(&[id(4)]).expect("all recorded");
        nodes.sort_by_key(|n| n.id);
        let got: Vec<_> = nodes
            .iter()
            .map(|n| (n.id, n.tree, n.parents.clone(), n.time))
            .collect();
        assert_eq!(
            got,
            vec![
                (id(1), id(10), vec![], 100),
                (id(2), id(20), vec![id(1)], 200),
                (id(3), id(30), vec![id(1)], 300),
                (id(4), id(40), vec![id(2), id(3)], 400),
            ]
        );
        // The table is read once.
        assert!(table.reachable(&[id(4)]).is_none());
        // Recorded again: a commit that did not decode is not in the table, and the
        // caller walks instead.
        table.record(&id(6), &commit(60, &[7], 600), hash);
        table.record(&id(5), &commit(50, &[4, 9], 500), hash);
        assert!(table.reachable(&[id(6)]).is_none());
    }

    #[test]
    fn a_base_state_lives_until_its_last_delta_is_done() {
        let states = PackStates::new();
        let state = || BaseState {
            len: 3,
            candidates: Box::new([]),
            decoded: Box::new([]),
        };
        let (mut c, mut d) = (Vec::new(), Vec::new());
        states.insert(10, 0, state());
        assert_eq!(states.get(10, &mut c, &mut d), None, "no deltas: not kept");
        states.insert(20, 2, state());
        assert_eq!(states.get(20, &mut c, &mut d), Some(3));
        states.release(20);
        assert_eq!(states.get(20, &mut c, &mut d), Some(3), "one delta to come");
        states.release(20);
        assert_eq!(
            states.get(20, &mut c, &mut d),
            None,
            "the last delta is done"
        );
        states.release(30);
    }
}
