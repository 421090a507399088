//! The tree graph: what every tree holds, recorded while the blob pass inflates it, so
//! provenance never reads a tree again.
//!
//! Storing every entry of every tree would not fit the memory bound (git/git's 382,000
//! trees hold about 150 million entries), but a pack stores most trees as deltas of a
//! similar tree, and the traversal hands us each base before its deltas. So a tree is kept
//! as its delta base plus the entries it adds to it and the entries it drops from it; a
//! tree without a usable base (a chain's root, a loose tree) adds all its entries. Each
//! tree's entries are one record of varints (children sorted and delta-coded, then name
//! numbers; see [`encode_record`]) appended to fixed-size chunks, about five bytes an entry
//! with nothing allocated beyond them; beside the records: a name table, the delta base of
//! each object, the location of its record (4 bytes each) and one table from object id to
//! object number (all objects of the packs and loose objects, see [`ObjectTable`]).
//!
//! The diff of a tree against its base is cheap: the common prefix and suffix of the two
//! byte strings are compared with `memcmp`, and only the entries between them are parsed.
//!
//! Then the reverse question (which trees hold this object, and under which name) is
//! answered from the records: the trees that add it, and their delta descendants down to
//! the ones that drop it. The records are kept by tree, not indexed by child (an index
//! would cost four more bytes an entry), so the trees above the blobs with findings are
//! found level by level, one pass over all records per level (a handful of levels; paths
//! are cut at [`MAX_PATH`], which bounds them). Walking that upward from a blob to the
//! commits' root trees gives every (root tree, path) that carries it. The input is attacker-controlled: a tree that
//! does not parse, a pack that does not traverse, or an object the table does not know
//! makes the graph [`TreeGraph::complete`] false, and provenance then reads the trees as
//! before; a cycle (possible only with lying object ids) is cut at a path depth limit and
//! named.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use gix::bstr::BString;
use gix::ObjectId;

use super::objects::ObjectTable;
use super::records::{encode_record, record_header, skip_varints, Arena, Entries, CHUNK};
use super::treediff::{diff, parse, Base, Kind, RawEntry};

/// No object, no base.
pub(super) const NONE: u32 = u32::MAX;

/// The longest path the upward walk builds; beyond it the tree graph has a cycle.
const MAX_PATH: usize = 4096;

/// The most levels above a blob whose containers are looked up: a tree `k` levels above it
/// holds it under a path of `k` names (the tree parser refuses empty ones) joined by `/`,
/// at least `2k - 1` bytes, which the walk cuts beyond [`MAX_PATH`].
const MAX_DEPTH: usize = MAX_PATH / 2;

/// The most (tree, path) pairs one blob's upward walk visits. A hostile history can make
/// the paths to a blob grow exponentially with depth (each level holding the one below
/// under two names); the walk stops there and says so, instead of running out of memory.
const MAX_PAIRS: usize = 1 << 24;

/// Hashes object, name and path numbers (the upward walk hashes millions of them; std's
/// SipHash, built against chosen keys, would be most of its time). The numbers are ours,
/// given in index order, not bytes an attacker picks.
#[derive(Default, Clone, Copy)]
pub(super) struct NumberHasher(u64);

impl std::hash::Hasher for NumberHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        // FxHash's step: the multiply spreads the number into the high bits the table uses.
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

/// Hash maps and sets keyed by numbers.
pub(super) type Numbers = std::hash::BuildHasherDefault<NumberHasher>;
pub(super) type NumberMap<K, V> = HashMap<K, V, Numbers>;
pub(super) type NumberSet<K> = HashSet<K, Numbers>;

/// A tree kept for its delta children: its object number, bytes and entry starts.
struct Kept {
    number: u32,
    data: Box<[u8]>,
    starts: Box<[u32]>,
}

/// The bases of one pack that deltas still need: the trees kept for their delta children,
/// by pack offset, each with how many of them have not been recorded yet.
///
/// The traversal hands a base to us before any of its deltas (gix resolves a base, calls
/// us, then schedules its children), with its count of delta children, so an entry is made
/// only when a tree with deltas is recorded and dropped with its last delta: what is held
/// is the trees whose deltas are in flight, not a count for every base of the pack (13 MB
/// on git/git when every base of every kind was counted up front).
pub(super) struct PackBases<'p> {
    pack: &'p gix::odb::pack::data::File,
    index: &'p gix::odb::pack::index::File,
    shards: Vec<Mutex<KeptShard>>,
}

/// Kept trees by pack offset, with how many of their deltas are still to come.
type KeptShard = HashMap<u64, (u32, Arc<Kept>)>;

impl<'p> PackBases<'p> {
    /// No tree kept yet.
    pub(super) fn new(
        pack: &'p gix::odb::pack::data::File,
        index: &'p gix::odb::pack::index::File,
    ) -> Self {
        PackBases {
            pack,
            index,
            shards: (0..64).map(|_| Mutex::new(HashMap::new())).collect(),
        }
    }

    fn shard(&self, offset: u64) -> std::sync::MutexGuard<'_, KeptShard> {
        let i = ((offset ^ (offset >> 7)) % self.shards.len() as u64) as usize;
        self.shards[i].lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keeps a tree for its `deltas` delta children.
    fn keep(&self, offset: u64, deltas: u32, tree: Kept) {
        if deltas > 0 {
            self.shard(offset).insert(offset, (deltas, Arc::new(tree)));
        }
    }

    /// The base tree a delta needs; forgotten once its last delta took it.
    fn take(&self, offset: u64) -> Option<Arc<Kept>> {
        let mut shard = self.shard(offset);
        let (left, tree) = shard.get_mut(&offset)?;
        *left = left.saturating_sub(1);
        let tree = Arc::clone(tree);
        if *left == 0 {
            shard.remove(&offset);
        }
        Some(tree)
    }
}

/// The pack offset of the delta base of the entry at `offset`, if it is a delta.
fn base_offset(
    pack: &gix::odb::pack::data::File,
    index: &gix::odb::pack::index::File,
    offset: u64,
) -> Option<u64> {
    use gix::odb::pack::data::entry::Header;
    let entry = pack.entry(offset).ok()?;
    match &entry.header {
        Header::OfsDelta { base_distance } => entry.checked_base_pack_offset(*base_distance),
        Header::RefDelta { base_id } => Some(index.pack_offset_at_index(index.lookup(base_id)?)),
        _ => None,
    }
}

/// The entry names, numbered in the order they are first seen.
#[derive(Default)]
struct Names {
    numbers: HashMap<BString, u32>,
    list: Vec<BString>,
}

impl Names {
    fn number(&mut self, name: &[u8]) -> u32 {
        if let Some(&i) = self.numbers.get(name) {
            return i;
        }
        let i = self.list.len() as u32;
        self.list.push(name.into());
        self.numbers.insert(name.into(), i);
        i
    }
}

/// Gathers the tree graph during the blob pass.
pub(super) struct Builder {
    objects: ObjectTable,
    hash_len: usize,
    /// Delta base of each recorded tree (NONE: stored whole, or not a recorded tree).
    base_of: Vec<AtomicU32>,
    /// Whether each object was recorded as a tree (the first record of a tree stands).
    recorded: Vec<AtomicBool>,
    /// Whether some tree names each object in a blob entry. An object recorded as a tree
    /// too (lying ids: git gives an id one type) would let the upward walk pass through a
    /// blob entry, giving paths no downward walk gives, so the graph then gives up.
    named_as_blob: Vec<AtomicBool>,
    /// Two locks, each taken once per tree: one to number the names, one to append the
    /// record (encoded in between, without either).
    names: Mutex<Names>,
    arena: Mutex<Arena>,
    incomplete: Mutex<Option<String>>,
}

/// One thread's scratch for recording trees.
#[derive(Default)]
pub(super) struct TreeScratch {
    added: Vec<RawEntry>,
    removed: Vec<RawEntry>,
    starts: Vec<u32>,
    /// (child, name start, name end, from the base, added) of the entries to record.
    edges: Vec<(u32, usize, usize, bool, bool)>,
    /// The (child, name number) entries the tree adds and drops.
    adds: Vec<(u32, u32)>,
    drops: Vec<(u32, u32)>,
    record: Vec<u8>,
}

/// Locks a mutex; a panic elsewhere while it was held leaves data that is still whole
/// (every update is one push or one store).
pub(super) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Builder {
    /// A builder numbering `objects` in order (tests, fuzzing).
    pub(super) fn new(objects: Vec<ObjectId>, hash: gix::hash::Kind) -> Self {
        Builder::with_table(ObjectTable::from_ids(objects), hash)
    }

    /// A builder for the objects of `table` (every object of the repository).
    pub(super) fn with_table(table: ObjectTable, hash: gix::hash::Kind) -> Self {
        let n = table.numbers();
        Builder {
            objects: table,
            hash_len: hash.len_in_bytes(),
            base_of: (0..n).map(|_| AtomicU32::new(NONE)).collect(),
            recorded: (0..n).map(|_| AtomicBool::new(false)).collect(),
            named_as_blob: (0..n).map(|_| AtomicBool::new(false)).collect(),
            names: Mutex::new(Names::default()),
            arena: Mutex::new(Arena {
                chunks: Vec::new(),
                slots: Vec::new(),
                next_slot: 0,
                room: 0,
                at: vec![NONE; n],
                added: 0,
                dropped: 0,
            }),
            incomplete: Mutex::new(None),
        }
    }

    /// The graph cannot be trusted (a tree it never saw, one that does not parse).
    pub(super) fn give_up(&self, why: String) {
        lock(&self.incomplete).get_or_insert(why);
    }

    /// Records a tree that a pack stores at `offset`, with `deltas` delta children to follow.
    pub(super) fn packed_tree(
        &self,
        s: &mut TreeScratch,
        bases: &PackBases<'_>,
        (offset, deltas): (u64, u32),
        id: &gix::oid,
        data: &[u8],
    ) {
        let Some(number) = self.objects.get(id) else {
            self.give_up(format!("tree {id} is not in the object table"));
            return;
        };
        let base = base_offset(bases.pack, bases.index, offset).and_then(|b| bases.take(b));
        let base = base.as_ref().map(|k| {
            (
                k.number,
                Base {
                    data: &k.data,
                    starts: &k.starts,
                },
            )
        });
        if self.tree(s, number, data, base) && deltas > 0 {
            bases.keep(
                offset,
                deltas,
                Kept {
                    number,
                    data: data.into(),
                    starts: s.starts.as_slice().into(),
                },
            );
        }
    }

    /// Records a loose tree (all its entries).
    pub(super) fn loose_tree(&self, s: &mut TreeScratch, id: &gix::oid, data: &[u8]) {
        match self.objects.get(id) {
            Some(number) => {
                self.tree(s, number, data, None);
            }
            None => self.give_up(format!("tree {id} is not in the object table")),
        }
    }

    /// Records the tree numbered `number` as what it adds to and drops from `base` (all its
    /// entries without one); its entry starts are left in `s.starts`. False when it does
    /// not parse (the graph is then given up).
    fn tree(
        &self,
        s: &mut TreeScratch,
        number: u32,
        data: &[u8],
        base: Option<(u32, Base<'_>)>,
    ) -> bool {
        let (base_number, ok) = match base {
            Some((b, base_tree)) => (
                b,
                diff(
                    data,
                    base_tree,
                    self.hash_len,
                    &mut s.added,
                    &mut s.removed,
                    &mut s.starts,
                ),
            ),
            None => {
                s.removed.clear();
                (
                    NONE,
                    parse(data, self.hash_len, &mut s.added, &mut s.starts),
                )
            }
        };
        if ok.is_none() {
            self.give_up(format!("a tree (object {number}) does not parse"));
            return false;
        }
        let n = number as usize;
        if self.recorded[n].swap(true, Ordering::AcqRel) {
            // The same tree in two packs: the first record stands.
            return true;
        }
        self.base_of[n].store(base_number, Ordering::Release);
        // Object numbers outside the locks.
        let base_data = base.map_or(data, |b| b.1.data);
        s.edges.clear();
        let mut missing_tree = false;
        for (list, bytes, is_added) in [(&s.added, data, true), (&s.removed, base_data, false)] {
            for e in list.iter().filter(|e| e.kind != Kind::Other) {
                match self
                    .objects
                    .get(gix::oid::from_bytes_unchecked(&bytes[e.oid.0..e.oid.1]))
                {
                    Some(child) => {
                        if is_added && e.kind == Kind::Blob {
                            self.named_as_blob[child as usize].store(true, Ordering::Relaxed);
                        }
                        s.edges
                            .push((child, e.name.0, e.name.1, !is_added, is_added))
                    }
                    // A blob the repository lacks (partial clone) is no target.
                    None => missing_tree |= e.kind == Kind::Tree,
                }
            }
        }
        if missing_tree {
            self.give_up(format!("a subtree of object {number} is missing"));
        }
        s.adds.clear();
        s.drops.clear();
        {
            let mut names = lock(&self.names);
            for &(child, a, b, from_base, is_added) in &s.edges {
                let name = if from_base {
                    names.number(&base_data[a..b])
                } else {
                    names.number(&data[a..b])
                };
                if is_added {
                    s.adds.push((child, name));
                } else {
                    s.drops.push((child, name));
                }
            }
        }
        // Sorted and deduplicated per tree, as the whole lists once were (a name twice
        // in one tree, which git never writes, is one entry).
        s.adds.sort_unstable();
        s.adds.dedup();
        s.drops.sort_unstable();
        s.drops.dedup();
        s.record.clear();
        encode_record(&mut s.record, number, &s.drops, &s.adds);
        let pushed = {
            let mut arena = lock(&self.arena);
            arena.added += s.adds.len() as u64;
            arena.dropped += s.drops.len() as u64;
            arena.push(number, &s.record)
        };
        if let Err(why) = pushed {
            self.give_up(why);
        }
        true
    }

    /// The graph, indexed for the upward walk.
    pub(super) fn finish(self) -> TreeGraph {
        let names = self.names.into_inner().unwrap_or_else(|p| p.into_inner());
        let mut arena = self.arena.into_inner().unwrap_or_else(|p| p.into_inner());
        let mut incomplete = self
            .incomplete
            .into_inner()
            .unwrap_or_else(|p| p.into_inner());
        if incomplete.is_none() {
            incomplete = (0..self.recorded.len())
                .find(|&n| {
                    self.recorded[n].load(Ordering::Acquire)
                        && self.named_as_blob[n].load(Ordering::Acquire)
                })
                .map(|n| format!("object {n} is a tree that a blob entry names"));
        }
        if let Some(last) = arena.chunks.last_mut() {
            last.shrink_to_fit();
        }
        let base_of: Vec<u32> = self
            .base_of
            .into_iter()
            .map(AtomicU32::into_inner)
            .collect();
        // Delta children of each tree, as offsets into one list.
        let mut starts = vec![0u32; base_of.len() + 1];
        for &b in &base_of {
            if b != NONE {
                starts[b as usize + 1] += 1;
            }
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut fill = starts.clone();
        let mut children = vec![0u32; starts[base_of.len()] as usize];
        for (t, &b) in base_of.iter().enumerate() {
            if b != NONE {
                children[fill[b as usize] as usize] = t as u32;
                fill[b as usize] += 1;
            }
        }
        TreeGraph {
            objects: self.objects,
            names: names.list,
            chunks: arena.chunks,
            slots: arena.slots,
            at: arena.at,
            added: arena.added,
            dropped: arena.dropped,
            starts,
            children,
            incomplete,
        }
    }
}

/// The recorded tree graph (see the module documentation).
pub(super) struct TreeGraph {
    objects: ObjectTable,
    names: Vec<BString>,
    /// One record per recorded tree (see [`encode_record`]), in chunks.
    chunks: Vec<Vec<u8>>,
    /// The first slot of each chunk (see [`Arena`]).
    slots: Vec<u32>,
    /// The location of each object's record; NONE: not a recorded tree.
    at: Vec<u32>,
    /// How many entries the records add and drop (for [`TreeGraph::size`]).
    added: u64,
    dropped: u64,
    /// Delta children of object `i`: `children[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    children: Vec<u32>,
    incomplete: Option<String>,
}

/// (tree, name) pairs: where an object sits.
pub(super) type Containers = Vec<(u32, u32)>;

impl TreeGraph {
    /// Why the graph cannot answer for the whole history, if it cannot.
    pub(super) fn complete(&self) -> Result<(), &str> {
        match &self.incomplete {
            Some(why) => Err(why),
            None => Ok(()),
        }
    }

    /// What the graph holds and costs, for the bench notes (issue 16: bytes per object).
    pub(super) fn size(&self) -> String {
        let name_bytes: usize = self.names.iter().map(|n| n.len()).sum();
        let objects = self.objects.len();
        let table = self.objects.heap_bytes();
        // Record location and delta-children index (4 bytes each), the children list.
        let per_object = (self.at.len() + self.starts.len() + self.children.len()) * 4;
        let records: usize = self.chunks.iter().map(Vec::capacity).sum();
        let entries = self.added + self.dropped;
        let bytes = table
            + per_object
            + records
            + name_bytes
            + self.names.capacity() * std::mem::size_of::<BString>();
        format!(
            "{objects} objects, {} added and {} dropped entries in {} MB of records ({:.2} bytes per entry), {} names ({name_bytes} bytes); about {} MB ({:.0} bytes per object: object table {:.0}, indexes {:.0}, records {:.0})",
            self.added,
            self.dropped,
            records >> 20,
            records as f64 / entries.max(1) as f64,
            self.names.len(),
            bytes >> 20,
            bytes as f64 / objects.max(1) as f64,
            table as f64 / objects.max(1) as f64,
            per_object as f64 / objects.max(1) as f64,
            records as f64 / objects.max(1) as f64,
        )
    }

    /// The object number of a recorded tree.
    pub(super) fn tree_number(&self, id: &gix::oid) -> Option<u32> {
        let n = self.objects.get(id)?;
        (self.at.get(n as usize).copied().unwrap_or(NONE) != NONE).then_some(n)
    }

    /// The object number of any object.
    pub(super) fn number(&self, id: &gix::oid) -> Option<u32> {
        self.objects.get(id)
    }

    /// The name numbered `n`.
    pub(super) fn name(&self, n: u32) -> &BString {
        &self.names[n as usize]
    }

    /// The bytes of the chunk holding the record of `tree`, and where the record starts.
    fn record(&self, tree: u32) -> Option<(&[u8], usize)> {
        let at = *self.at.get(tree as usize)?;
        if at == NONE {
            return None;
        }
        let slot = (at as usize / CHUNK) as u32;
        let i = self.slots.partition_point(|&s| s <= slot).checked_sub(1)?;
        let first = *self.slots.get(i)? as usize * CHUNK;
        Some((self.chunks.get(i)?, at as usize - first))
    }

    /// Whether delta tree `tree` drops the entry (child, name) of its base.
    fn drops(&self, tree: u32, child: u32, name: u32) -> bool {
        let Some((bytes, pos)) = self.record(tree) else {
            return false;
        };
        let h = record_header(bytes, pos);
        // A delta tree drops a few entries; a tree stored whole drops none.
        Entries::new(bytes, h.body, h.dropped)
            .take_while(|&e| e <= (child, name))
            .any(|e| e == (child, name))
    }

    /// The trees that add each object of `wanted` (a bit per object), as sorted
    /// (child, tree, name) triples: one pass over the records, its chunks shared out over
    /// `threads`.
    fn adders(&self, wanted: &[u64], threads: usize) -> Vec<(u32, u32, u32)> {
        let is_wanted = |n: u32| {
            wanted
                .get(n as usize / 64)
                .is_some_and(|w| w >> (n % 64) & 1 == 1)
        };
        let scan = |chunks: &[Vec<u8>]| {
            let mut out = Vec::new();
            for bytes in chunks {
                let mut pos = 0;
                while pos < bytes.len() {
                    let h = record_header(bytes, pos);
                    let body = skip_varints(bytes, h.body, 2 * h.dropped as usize);
                    let mut added = Entries::new(bytes, body, h.added);
                    for (child, name) in added.by_ref() {
                        if is_wanted(child) {
                            out.push((child, h.tree, name));
                        }
                    }
                    // A record always moves the position (its header is at least 3 bytes).
                    pos = added.pos.max(pos + 1);
                }
            }
            out
        };
        let per = self.chunks.len().div_ceil(threads.max(1)).max(1);
        let mut found: Vec<(u32, u32, u32)> = if threads <= 1 || self.chunks.len() <= 1 {
            scan(&self.chunks)
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = self
                    .chunks
                    .chunks(per)
                    .map(|part| scope.spawn(move || scan(part)))
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().expect("a tree graph scan thread panicked"))
                    .collect()
            })
        };
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Every (tree, name) that holds each object of `objects`: the trees that add it, and
    /// their delta descendants down to the ones that drop it.
    fn containers(&self, objects: &[u32], threads: usize) -> NumberMap<u32, Containers> {
        let mut wanted = vec![0u64; self.at.len().div_ceil(64)];
        for &n in objects {
            if let Some(w) = wanted.get_mut(n as usize / 64) {
                *w |= 1 << (n % 64);
            }
        }
        let adders = self.adders(&wanted, threads);
        let mut out: NumberMap<u32, Containers> = NumberMap::default();
        for &n in objects {
            out.entry(n).or_default();
        }
        let mut seen: NumberSet<(u32, u32)> = NumberSet::default();
        let mut stack = Vec::new();
        for group in adders.chunk_by(|a, b| a.0 == b.0) {
            let child = group[0].0;
            let list = out.entry(child).or_default();
            seen.clear();
            for &(_, tree, name) in group {
                stack.push(tree);
                while let Some(t) = stack.pop() {
                    if !seen.insert((t, name)) {
                        continue;
                    }
                    list.push((t, name));
                    let (a, b) = (
                        self.starts.get(t as usize).copied().unwrap_or(0) as usize,
                        self.starts.get(t as usize + 1).copied().unwrap_or(0) as usize,
                    );
                    for &d in self.children.get(a..b).unwrap_or(&[]) {
                        if !self.drops(d, child, name) {
                            stack.push(d);
                        }
                    }
                }
            }
        }
        out
    }

    /// The containers of `targets` and of every tree above them, level by level (one pass
    /// over the records per level: the records are kept by tree, not by child, which is
    /// what makes them small). Levels stop at [`MAX_DEPTH`]: the upward walk cuts every
    /// path longer than that.
    fn ancestors(&self, targets: &[u32], threads: usize) -> NumberMap<u32, Containers> {
        let mut memo: NumberMap<u32, Containers> = NumberMap::default();
        let mut level: Vec<u32> = targets.to_vec();
        level.sort_unstable();
        level.dedup();
        for _ in 0..=MAX_DEPTH {
            if level.is_empty() {
                break;
            }
            let found = self.containers(&level, threads);
            let mut next: Vec<u32> = found
                .values()
                .flatten()
                .map(|&(t, _)| t)
                .filter(|t| !memo.contains_key(t) && !found.contains_key(t))
                .collect();
            next.sort_unstable();
            next.dedup();
            memo.extend(found);
            level = next;
        }
        memo
    }
}

/// What the upward walk found: per root tree, the (target index, path) pairs it holds, as
/// indices into `pairs` (so each commit of a root tree costs integer updates, not paths).
#[derive(Default)]
pub(super) struct Located {
    pub(super) pairs: Vec<(u32, BString)>,
    pub(super) roots: NumberMap<u32, Vec<u32>>,
    /// A cycle or a path explosion was cut.
    pub(super) cycle: bool,
}

impl Located {
    /// The (target index, path) pairs the root tree `tree` holds.
    pub(super) fn at(&self, tree: u32) -> impl Iterator<Item = &(u32, BString)> {
        self.roots
            .get(&tree)
            .into_iter()
            .flatten()
            .map(|&i| &self.pairs[i as usize])
    }
}

/// Walks upward from each target object and lists, per tree in `roots`, the (target, path)
/// pairs it holds, the targets shared out over `threads`.
pub(super) fn locate(
    graph: &TreeGraph,
    targets: &[u32],
    roots: &NumberSet<u32>,
    threads: usize,
    progress: &crate::progress::Counters,
) -> Located {
    let memo = graph.ancestors(targets, threads);
    let memo = &memo;
    let per = targets.len().div_ceil(threads.max(1)).max(1);
    let parts: Vec<Located> = std::thread::scope(|scope| {
        let handles: Vec<_> = targets
            .chunks(per)
            .enumerate()
            .map(|(k, chunk)| {
                scope.spawn(move || {
                    locate_run(graph, memo, chunk, k * per, roots, MAX_PAIRS, progress)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a provenance thread panicked"))
            .collect()
    });
    let mut out = Located::default();
    for part in parts {
        let base = out.pairs.len() as u32;
        out.cycle |= part.cycle;
        out.pairs.extend(part.pairs);
        for (tree, ids) in part.roots {
            let list = out.roots.entry(tree).or_default();
            list.extend(ids.into_iter().map(|i| i + base));
        }
    }
    out
}

/// One target's paths, interned: path `i` is name `parts[i].0`, then (below it) path
/// `parts[i].1` unless that is NONE; `parts[i].2` is its length in bytes.
#[derive(Default)]
struct Paths {
    ids: NumberMap<(u32, u32), u32>,
    parts: Vec<(u32, u32, usize)>,
}

impl Paths {
    fn id(&mut self, name: u32, below: u32, len: usize) -> u32 {
        let parts = &mut self.parts;
        *self.ids.entry((name, below)).or_insert_with(|| {
            parts.push((name, below, len));
            (parts.len() - 1) as u32
        })
    }

    fn len(&self, id: u32) -> usize {
        self.parts[id as usize].2
    }

    fn path(&self, graph: &TreeGraph, mut id: u32) -> BString {
        let mut path = BString::default();
        loop {
            let (name, below, _) = self.parts[id as usize];
            path.extend_from_slice(graph.name(name));
            if below == NONE {
                return path;
            }
            path.push(b'/');
            id = below;
        }
    }
}

/// [`locate`] for the targets `targets`, numbered from `first`, the containers of every
/// object above them in `memo` (from [`TreeGraph::ancestors`]).
fn locate_run(
    graph: &TreeGraph,
    memo: &NumberMap<u32, Containers>,
    targets: &[u32],
    first: usize,
    roots: &NumberSet<u32>,
    max_pairs: usize,
    progress: &crate::progress::Counters,
) -> Located {
    let mut out = Located::default();
    for (k, &target) in targets.iter().enumerate() {
        let ti = (first + k) as u32;
        progress.step();
        let mut paths = Paths::default();
        // (tree, path id) pairs: the tree holds the target at that path.
        let mut seen: NumberSet<(u32, u32)> = NumberSet::default();
        let mut queue: Vec<(u32, u32)> = Vec::new();
        let mut node = (target, NONE);
        'walk: loop {
            let (at, below) = node;
            // Every object within MAX_DEPTH levels is in the memo; one beyond is cut below.
            let cs = memo.get(&at).map_or(&[][..], Vec::as_slice);
            for &(tree, name) in cs {
                let mut len = graph.name(name).len();
                if below != NONE {
                    len += 1 + paths.len(below);
                    if len > MAX_PATH {
                        out.cycle = true;
                        continue;
                    }
                }
                if seen.len() >= max_pairs {
                    out.cycle = true;
                    break 'walk;
                }
                let id = paths.id(name, below, len);
                if seen.insert((tree, id)) {
                    queue.push((tree, id));
                }
            }
            match queue.pop() {
                Some(next) => node = next,
                None => break,
            }
        }
        let mut made: NumberMap<u32, u32> = NumberMap::default();
        for &(tree, id) in &seen {
            if !roots.contains(&tree) {
                continue;
            }
            let pairs = &mut out.pairs;
            let pi = *made.entry(id).or_insert_with(|| {
                pairs.push((ti, paths.path(graph, id)));
                (pairs.len() - 1) as u32
            });
            out.roots.entry(tree).or_default().push(pi);
        }
    }
    out
}

/// Fuzzing entry: builds a tree graph from `data` and checks the upward walk against a
/// plain downward walk of every tree's full entry list. Byte layout, per tree: a header
/// byte (low 4 bits: the tree's object number; bit 4: it is a delta of the tree recorded
/// just before it; bit 5: the following bytes are the tree's raw data, 0xFF-terminated),
/// then either raw bytes or entries of three bytes (kind, name, child object number), up
/// to a 0xFF byte. Objects are numbered 0 to 15 with ids `[n; 20]`.
pub fn fuzz(data: &[u8]) {
    let ids: Vec<ObjectId> = (0..16u8)
        .map(|n| ObjectId::from_bytes_or_panic(&[n; 20]))
        .collect();
    let builder = Builder::new(ids, gix::hash::Kind::Sha1);
    let mut s = TreeScratch::default();
    let mut trees: HashMap<u32, Vec<u8>> = HashMap::new();
    let mut previous: Option<(u32, Vec<u8>, Vec<u32>)> = None;
    let mut well_formed = true;
    for chunk in data.split(|&b| b == 0xFF) {
        let Some((&head, rest)) = chunk.split_first() else {
            continue;
        };
        let number = u32::from(head & 0x0F);
        if trees.contains_key(&number) {
            // One id, one content: a second tree under the same number is a collision.
            continue;
        }
        let bytes = if head & 0x20 != 0 {
            rest.to_vec()
        } else {
            let mut out = Vec::new();
            let mut names = HashSet::new();
            for e in rest.chunks_exact(3) {
                let mode: &[u8] = match e[0] % 3 {
                    0 => b"40000",
                    1 => b"100644",
                    _ => b"120000",
                };
                // Names unique and in order, as git writes them.
                if !names.insert(e[1]) || names.iter().any(|&n| n > e[1]) {
                    continue;
                }
                out.extend_from_slice(mode);
                out.push(b' ');
                out.extend_from_slice(format!("n{}", e[1]).as_bytes());
                out.push(0);
                out.extend_from_slice(&[e[2] & 0x0F; 20]);
            }
            out
        };
        let base = (head & 0x10 != 0).then_some(previous.as_ref()).flatten();
        let base = base.map(|(n, d, starts)| (*n, Base { data: d, starts }));
        let recorded = builder.tree(&mut s, number, &bytes, base);
        let (mut entries, mut starts) = (Vec::new(), Vec::new());
        if parse(&bytes, 20, &mut entries, &mut starts).is_none() {
            well_formed = false;
        }
        // git writes each name once; the graph's diff assumes it.
        let names: HashSet<&[u8]> = entries.iter().map(|e| &bytes[e.name.0..e.name.1]).collect();
        well_formed &= names.len() == entries.len();
        trees.entry(number).or_insert_with(|| bytes.clone());
        // A tree that does not parse is no delta base (the pack traversal keeps only
        // recorded trees for their deltas).
        previous = recorded.then(|| (number, bytes, s.starts.clone()));
    }
    let graph = builder.finish();
    let roots: NumberSet<u32> = trees.keys().copied().collect();
    let targets: Vec<u32> = (0..16).collect();
    let memo = graph.ancestors(&targets, 1);
    let located = locate_run(
        &graph,
        &memo,
        &targets,
        0,
        &roots,
        10_000,
        &Default::default(),
    );
    if !well_formed || located.cycle || graph.complete().is_err() {
        return;
    }
    // Downward: every (target, path) under each tree, from the full entry lists.
    fn down(
        trees: &HashMap<u32, Vec<u8>>,
        tree: u32,
        prefix: &[u8],
        depth: usize,
        out: &mut HashSet<(u32, BString)>,
    ) {
        let Some(bytes) = trees.get(&tree) else {
            return;
        };
        let mut entries = Vec::new();
        if depth > 64 || parse(bytes, 20, &mut entries, &mut Vec::new()).is_none() {
            return;
        }
        for e in entries {
            let mut path = prefix.to_vec();
            if !path.is_empty() {
                path.push(b'/');
            }
            path.extend_from_slice(&bytes[e.name.0..e.name.1]);
            let oid = &bytes[e.oid.0..e.oid.1];
            if oid[0] >= 16 || oid.iter().any(|&b| b != oid[0]) {
                continue;
            }
            let child = u32::from(oid[0]);
            match e.kind {
                Kind::Tree => {
                    out.insert((child, path.clone().into()));
                    down(trees, child, &path, depth + 1, out);
                }
                Kind::Blob => {
                    out.insert((child, path.into()));
                }
                Kind::Other => {}
            }
        }
    }
    for &root in &roots {
        let mut want = HashSet::new();
        down(&trees, root, b"", 0, &mut want);
        let got: HashSet<(u32, BString)> = located.at(root).cloned().collect();
        assert_eq!(got, want, "tree {root}");
    }
}

#[cfg(test)]
mod tests;
