//! The tree graph: what every tree holds, recorded while the blob pass inflates it, so
//! provenance never reads a tree again.
//!
//! Storing every entry of every tree would not fit the memory bound (git/git's 382,000
//! trees hold about 150 million entries), but a pack stores most trees as deltas of a
//! similar tree, and the traversal hands us each base before its deltas. So a tree is kept
//! as its delta base plus the entries it adds to it and the entries it drops from it; a
//! tree without a usable base (a chain's root, a loose tree) adds all its entries. git/git
//! then needs about six million entry records of 12 bytes (object number of the child,
//! object number of the tree, name number), a name table, the delta base of each object
//! (4 bytes) and one table from object id to object number (all objects of the packs and
//! loose objects).
//!
//! The diff of a tree against its base is cheap: the common prefix and suffix of the two
//! byte strings are compared with `memcmp`, and only the entries between them are parsed.
//!
//! Then the reverse question (which trees hold this object, and under which name) is
//! answered from the records: the trees that add it, and their delta descendants down to
//! the ones that drop it. Walking that upward from a blob to the commits' root trees gives
//! every (root tree, path) that carries it. The input is attacker-controlled: a tree that
//! does not parse, a pack that does not traverse, or an object the table does not know
//! makes the graph [`TreeGraph::complete`] false, and provenance then reads the trees as
//! before; a cycle (possible only with lying object ids) is cut at a path depth limit and
//! named.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use gix::bstr::BString;
use gix::ObjectId;

/// No object, no base.
pub(super) const NONE: u32 = u32::MAX;

/// The longest path the upward walk builds; beyond it the tree graph has a cycle.
const MAX_PATH: usize = 4096;

/// The most (tree, path) pairs one blob's upward walk visits. A hostile history can make
/// the paths to a blob grow exponentially with depth (each level holding the one below
/// under two names); the walk stops there and says so, instead of running out of memory.
const MAX_PAIRS: usize = 1 << 24;

/// One entry of a tree: `tree` holds `child` under the name numbered `name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct Edge {
    pub(super) child: u32,
    pub(super) tree: u32,
    pub(super) name: u32,
}

/// What kind of object a tree entry names (its mode); only trees and blobs are edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Tree,
    Blob,
    Other,
}

/// One parsed entry: byte ranges of its name and object id in the tree's data.
#[derive(Debug, Clone, Copy)]
pub(super) struct RawEntry {
    pub(super) kind: Kind,
    pub(super) name: (usize, usize),
    pub(super) oid: (usize, usize),
}

/// Parses the entry at `pos` (`mode SP name NUL id`); None when it is malformed.
pub(super) fn entry_at(data: &[u8], pos: usize, hash_len: usize) -> Option<(RawEntry, usize)> {
    let rest = data.get(pos..)?;
    let sp = memchr::memchr(b' ', rest)?;
    let mut mode: u32 = 0;
    if sp == 0 || sp > 7 {
        return None;
    }
    for &d in &rest[..sp] {
        if !(b'0'..=b'7').contains(&d) {
            return None;
        }
        mode = mode * 8 + u32::from(d - b'0');
    }
    let nul = sp + 1 + memchr::memchr(0, &rest[sp + 1..])?;
    let end = nul + 1 + hash_len;
    if end > rest.len() || nul == sp + 1 {
        return None;
    }
    // The classes gix's `EntryMode::kind` gives (and the tree walk follows).
    let kind = match mode & 0o170000 {
        0o040000 => Kind::Tree,
        0o100000 => Kind::Blob,
        _ => Kind::Other,
    };
    Some((
        RawEntry {
            kind,
            name: (pos + sp + 1, pos + nul),
            oid: (pos + nul + 1, pos + end),
        },
        pos + end,
    ))
}

/// All entries of a tree; None when it is malformed.
pub(super) fn parse(data: &[u8], hash_len: usize, out: &mut Vec<RawEntry>) -> Option<()> {
    out.clear();
    let mut pos = 0;
    while pos < data.len() {
        let (e, end) = entry_at(data, pos, hash_len)?;
        out.push(e);
        pos = end;
    }
    Some(())
}

/// The entries of `new` that are not in `base` (`added`) and those of `base` not in `new`
/// (`removed`), by (name, id) and kind. Only the part between the longest common prefix
/// and suffix is parsed. None when either tree is malformed.
pub(super) fn diff(
    new: &[u8],
    base: &[u8],
    hash_len: usize,
    added: &mut Vec<RawEntry>,
    removed: &mut Vec<RawEntry>,
) -> Option<()> {
    added.clear();
    removed.clear();
    let prefix = common_prefix(new, base);
    // The last entry boundary inside the common prefix is a boundary of both.
    let mut p = 0;
    while let Some((_, end)) = entry_at(new, p, hash_len).filter(|&(_, end)| end <= prefix) {
        p = end;
    }
    let suffix = common_suffix(&new[p..], &base[p..]);
    // Parse both from `p` until each stands on a boundary with the same number of bytes
    // left, all inside the common suffix: from there the two are the same entries.
    let (mut qn, mut qb) = (p, p);
    loop {
        let (left_n, left_b) = (new.len() - qn, base.len() - qb);
        if left_n == left_b && left_n <= suffix {
            break;
        }
        if left_n > suffix || (left_b <= suffix && left_n > left_b) {
            let (e, end) = entry_at(new, qn, hash_len)?;
            added.push(e);
            qn = end;
        } else {
            let (e, end) = entry_at(base, qb, hash_len)?;
            removed.push(e);
            qb = end;
        }
    }
    // The middle parts, as sets: drop what both have.
    let key = |data: &[u8], e: &RawEntry| -> (Vec<u8>, bool) {
        let mut k = data[e.name.0..e.name.1].to_vec();
        k.push(0);
        k.extend_from_slice(&data[e.oid.0..e.oid.1]);
        (k, e.kind == Kind::Tree)
    };
    if !added.is_empty() && !removed.is_empty() {
        let in_new: HashSet<(Vec<u8>, bool)> = added.iter().map(|e| key(new, e)).collect();
        let in_base: HashSet<(Vec<u8>, bool)> = removed.iter().map(|e| key(base, e)).collect();
        added.retain(|e| !in_base.contains(&key(new, e)));
        removed.retain(|e| !in_new.contains(&key(base, e)));
    }
    Some(())
}

/// How many bytes `a` and `b` share at their start: 64-byte blocks compared as slices
/// (`memcmp`), then bytes; trees are compared whole, so this runs over gigabytes.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    i + a[i..n]
        .iter()
        .zip(&b[i..n])
        .take_while(|(x, y)| x == y)
        .count()
}

/// How many bytes `a` and `b` share at their end.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let n = a.len().min(b.len());
    let (ea, eb) = (a.len(), b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[ea - i - BLOCK..ea - i] == b[eb - i - BLOCK..eb - i] {
        i += BLOCK;
    }
    i + a[..ea - i]
        .iter()
        .rev()
        .zip(b[..eb - i].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// A tree whose delta children are still to come, by pack offset.
struct Pending {
    /// Delta children not yet recorded.
    left: u32,
    /// The tree's object number and data, once it was recorded.
    tree: Option<(u32, Arc<[u8]>)>,
}

/// The bases of one pack that deltas still need.
pub(super) struct PackBases<'p> {
    pack: &'p gix::odb::pack::data::File,
    index: &'p gix::odb::pack::index::File,
    shards: Vec<Mutex<HashMap<u64, Pending>>>,
}

impl<'p> PackBases<'p> {
    /// Counts each entry's delta children (from the entries' headers).
    pub(super) fn new(
        pack: &'p gix::odb::pack::data::File,
        index: &'p gix::odb::pack::index::File,
    ) -> Self {
        let bases = PackBases {
            pack,
            index,
            shards: (0..16).map(|_| Mutex::new(HashMap::new())).collect(),
        };
        for e in index.iter() {
            if let Some(base) = base_offset(pack, index, e.pack_offset) {
                bases
                    .shard(base)
                    .entry(base)
                    .or_insert(Pending {
                        left: 0,
                        tree: None,
                    })
                    .left += 1;
            }
        }
        bases
    }

    fn shard(&self, offset: u64) -> std::sync::MutexGuard<'_, HashMap<u64, Pending>> {
        let i = ((offset ^ (offset >> 7)) % self.shards.len() as u64) as usize;
        self.shards[i].lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keeps a tree's data if deltas will need it.
    fn keep(&self, offset: u64, number: u32, data: &[u8]) {
        if let Some(p) = self.shard(offset).get_mut(&offset) {
            if p.left > 0 {
                p.tree = Some((number, data.into()));
            }
        }
    }

    /// The base tree a delta needs; forgotten once its last delta took it.
    fn take(&self, offset: u64) -> Option<(u32, Arc<[u8]>)> {
        let mut shard = self.shard(offset);
        let p = shard.get_mut(&offset)?;
        p.left = p.left.saturating_sub(1);
        let tree = p.tree.clone();
        if p.left == 0 {
            shard.remove(&offset);
        }
        tree
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

/// The records as they are gathered, behind one lock (taken once per tree).
struct Parts {
    names: HashMap<BString, u32>,
    name_list: Vec<BString>,
    added: Vec<Edge>,
    removed: Vec<Edge>,
    base_of: Vec<u32>,
    recorded: Vec<bool>,
    incomplete: Option<String>,
}

/// Gathers the tree graph during the blob pass.
pub(super) struct Builder {
    objects: gix::hashtable::HashMap<ObjectId, u32>,
    hash_len: usize,
    parts: Mutex<Parts>,
}

/// One thread's scratch for recording trees.
#[derive(Default)]
pub(super) struct TreeScratch {
    added: Vec<RawEntry>,
    removed: Vec<RawEntry>,
}

impl Builder {
    /// A builder numbering `objects` (every object of the repository) in order.
    pub(super) fn new(objects: Vec<ObjectId>, hash: gix::hash::Kind) -> Self {
        let mut table = gix::hashtable::HashMap::default();
        for id in objects {
            let n = table.len() as u32;
            table.entry(id).or_insert(n);
        }
        let n = table.len();
        Builder {
            objects: table,
            hash_len: hash.len_in_bytes(),
            parts: Mutex::new(Parts {
                names: HashMap::new(),
                name_list: Vec::new(),
                added: Vec::new(),
                removed: Vec::new(),
                base_of: vec![NONE; n],
                recorded: vec![false; n],
                incomplete: None,
            }),
        }
    }

    fn parts(&self) -> std::sync::MutexGuard<'_, Parts> {
        self.parts.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The graph cannot be trusted (a tree it never saw, one that does not parse).
    pub(super) fn give_up(&self, why: String) {
        self.parts().incomplete.get_or_insert(why);
    }

    /// Records a tree that a pack stores at `offset` (deltas of it may follow).
    pub(super) fn packed_tree(
        &self,
        s: &mut TreeScratch,
        bases: &PackBases<'_>,
        offset: u64,
        id: &gix::oid,
        data: &[u8],
    ) {
        let Some(&number) = self.objects.get(id) else {
            self.give_up(format!("tree {id} is not in the object table"));
            return;
        };
        bases.keep(offset, number, data);
        let base = base_offset(bases.pack, bases.index, offset).and_then(|b| bases.take(b));
        self.tree(s, number, data, base.as_ref().map(|(n, d)| (*n, &d[..])));
    }

    /// Records a loose tree (all its entries).
    pub(super) fn loose_tree(&self, s: &mut TreeScratch, id: &gix::oid, data: &[u8]) {
        match self.objects.get(id) {
            Some(&number) => self.tree(s, number, data, None),
            None => self.give_up(format!("tree {id} is not in the object table")),
        }
    }

    fn tree(&self, s: &mut TreeScratch, number: u32, data: &[u8], base: Option<(u32, &[u8])>) {
        let (base_number, ok) = match base {
            Some((b, base_data)) => (
                b,
                diff(data, base_data, self.hash_len, &mut s.added, &mut s.removed),
            ),
            None => {
                s.removed.clear();
                (NONE, parse(data, self.hash_len, &mut s.added))
            }
        };
        if ok.is_none() {
            self.give_up(format!("a tree (object {number}) does not parse"));
            return;
        }
        let mut parts = self.parts();
        let parts = &mut *parts;
        let n = number as usize;
        if parts.recorded[n] {
            // The same tree in two packs: the first record stands.
            return;
        }
        parts.recorded[n] = true;
        parts.base_of[n] = base_number;
        let lists = [
            (&s.added, data, true),
            (&s.removed, base.map_or(data, |b| b.1), false),
        ];
        for (list, bytes, is_added) in lists {
            for e in list.iter() {
                if e.kind == Kind::Other {
                    continue;
                }
                let Some(&child) = self
                    .objects
                    .get(gix::oid::from_bytes_unchecked(&bytes[e.oid.0..e.oid.1]))
                else {
                    if e.kind == Kind::Tree {
                        parts.incomplete.get_or_insert_with(|| {
                            format!("a subtree of object {number} is missing")
                        });
                    }
                    // A blob the repository lacks (partial clone) is no target.
                    continue;
                };
                let name = &bytes[e.name.0..e.name.1];
                let name = match parts.names.get(name) {
                    Some(&i) => i,
                    None => {
                        let i = parts.name_list.len() as u32;
                        parts.name_list.push(name.into());
                        parts.names.insert(name.into(), i);
                        i
                    }
                };
                let edge = Edge {
                    child,
                    tree: number,
                    name,
                };
                if is_added {
                    parts.added.push(edge);
                } else {
                    parts.removed.push(edge);
                }
            }
        }
    }

    /// The graph, indexed for the upward walk.
    pub(super) fn finish(self) -> TreeGraph {
        let parts = self.parts.into_inner().unwrap_or_else(|p| p.into_inner());
        let Parts {
            name_list,
            mut added,
            mut removed,
            base_of,
            recorded,
            incomplete,
            ..
        } = parts;
        added.sort_unstable();
        added.dedup();
        removed.sort_unstable_by_key(|e| (e.tree, e.child, e.name));
        removed.dedup();
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
            names: name_list,
            added,
            removed,
            starts,
            children,
            recorded,
            incomplete,
        }
    }
}

/// The recorded tree graph (see the module documentation).
pub(super) struct TreeGraph {
    objects: gix::hashtable::HashMap<ObjectId, u32>,
    names: Vec<BString>,
    /// Sorted by (child, tree, name).
    added: Vec<Edge>,
    /// Sorted by (tree, child, name).
    removed: Vec<Edge>,
    /// Delta children of object `i`: `children[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    children: Vec<u32>,
    recorded: Vec<bool>,
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

    /// The object number of a recorded tree.
    pub(super) fn tree_number(&self, id: &gix::oid) -> Option<u32> {
        let n = *self.objects.get(id)?;
        self.recorded
            .get(n as usize)
            .copied()
            .unwrap_or(false)
            .then_some(n)
    }

    /// The object number of any object.
    pub(super) fn number(&self, id: &gix::oid) -> Option<u32> {
        self.objects.get(id).copied()
    }

    /// The name numbered `n`.
    pub(super) fn name(&self, n: u32) -> &BString {
        &self.names[n as usize]
    }

    /// Every (tree, name) that holds object `child`.
    pub(super) fn containers(&self, child: u32) -> Containers {
        let lo = self.added.partition_point(|e| e.child < child);
        let hi = self.added.partition_point(|e| e.child <= child);
        let mut out = Vec::new();
        let mut seen: HashSet<(u32, u32)> = HashSet::new();
        let mut stack = Vec::new();
        for e in &self.added[lo..hi] {
            stack.push(e.tree);
            while let Some(t) = stack.pop() {
                if !seen.insert((t, e.name)) {
                    continue;
                }
                out.push((t, e.name));
                let (a, b) = (
                    self.starts.get(t as usize).copied().unwrap_or(0) as usize,
                    self.starts.get(t as usize + 1).copied().unwrap_or(0) as usize,
                );
                for &d in self.children.get(a..b).unwrap_or(&[]) {
                    if !self.drops(d, child, e.name) {
                        stack.push(d);
                    }
                }
            }
        }
        out
    }

    fn drops(&self, tree: u32, child: u32, name: u32) -> bool {
        self.removed
            .binary_search_by_key(&(tree, child, name), |e| (e.tree, e.child, e.name))
            .is_ok()
    }
}

/// (target index, path) pairs per root tree.
pub(super) type RootLists = HashMap<u32, Vec<(u32, BString)>>;

/// Walks upward from each target object and lists, per tree in `roots`, the (target, path)
/// pairs it holds, the targets shared out over `threads`. Returns the lists and whether a
/// cycle was cut.
pub(super) fn locate(
    graph: &TreeGraph,
    targets: &[u32],
    roots: &HashSet<u32>,
    threads: usize,
    progress: &crate::progress::Counters,
) -> (RootLists, bool) {
    let per = targets.len().div_ceil(threads.max(1)).max(1);
    let parts: Vec<(RootLists, bool)> = std::thread::scope(|scope| {
        let handles: Vec<_> = targets
            .chunks(per)
            .enumerate()
            .map(|(k, chunk)| {
                scope.spawn(move || locate_run(graph, chunk, k * per, roots, MAX_PAIRS, progress))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a provenance thread panicked"))
            .collect()
    });
    let mut lists = RootLists::new();
    let mut cycle = false;
    for (part, c) in parts {
        cycle |= c;
        for (tree, list) in part {
            lists.entry(tree).or_default().extend(list);
        }
    }
    (lists, cycle)
}

/// [`locate`] for the targets `targets`, numbered from `first`.
fn locate_run(
    graph: &TreeGraph,
    targets: &[u32],
    first: usize,
    roots: &HashSet<u32>,
    max_pairs: usize,
    progress: &crate::progress::Counters,
) -> (RootLists, bool) {
    let mut memo: HashMap<u32, Containers> = HashMap::new();
    let mut lists: HashMap<u32, Vec<(u32, BString)>> = HashMap::new();
    let mut cycle = false;
    for (k, &target) in targets.iter().enumerate() {
        let ti = first + k;
        progress.step();
        let mut paths: HashMap<u32, HashSet<BString>> = HashMap::new();
        let mut queue: Vec<(u32, BString)> = Vec::new();
        let mut pairs = 0usize;
        let mut up = |node: u32, below: Option<&BString>, queue: &mut Vec<(u32, BString)>| {
            let cs = memo.entry(node).or_insert_with(|| graph.containers(node));
            for &(tree, name) in cs.iter() {
                let mut path = graph.name(name).clone();
                if let Some(below) = below {
                    if path.len() + 1 + below.len() > MAX_PATH {
                        cycle = true;
                        continue;
                    }
                    path.push(b'/');
                    path.extend_from_slice(below);
                }
                if pairs >= max_pairs {
                    cycle = true;
                    return;
                }
                if paths.entry(tree).or_default().insert(path.clone()) {
                    pairs += 1;
                    queue.push((tree, path));
                }
            }
        };
        up(target, None, &mut queue);
        while let Some((node, path)) = queue.pop() {
            up(node, Some(&path), &mut queue);
        }
        for (tree, ps) in paths {
            if roots.contains(&tree) {
                let list = lists.entry(tree).or_default();
                list.extend(ps.into_iter().map(|p| (ti as u32, p)));
            }
        }
    }
    (lists, cycle)
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
    let mut previous: Option<(u32, Vec<u8>)> = None;
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
        builder.tree(&mut s, number, &bytes, base.map(|(n, d)| (*n, &d[..])));
        let mut entries = Vec::new();
        if parse(&bytes, 20, &mut entries).is_none() {
            well_formed = false;
        }
        // git writes each name once; the graph's diff assumes it.
        let names: HashSet<&[u8]> = entries.iter().map(|e| &bytes[e.name.0..e.name.1]).collect();
        well_formed &= names.len() == entries.len();
        trees.entry(number).or_insert_with(|| bytes.clone());
        previous = Some((number, bytes));
    }
    let graph = builder.finish();
    let roots: HashSet<u32> = trees.keys().copied().collect();
    let targets: Vec<u32> = (0..16).collect();
    let (lists, cut) = locate_run(&graph, &targets, 0, &roots, 10_000, &Default::default());
    if !well_formed || cut || graph.complete().is_err() {
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
        if depth > 64 || parse(bytes, 20, &mut entries).is_none() {
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
        let got: HashSet<(u32, BString)> = lists
            .get(&root)
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .collect();
        assert_eq!(got, want, "tree {root}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tree's bytes from (mode, name, id byte) entries.
    fn tree(entries: &[(&str, &str, u8)]) -> Vec<u8> {
        let mut out = Vec::new();
        for &(mode, name, id) in entries {
            out.extend_from_slice(mode.as_bytes());
            out.push(b' ');
            out.extend_from_slice(name.as_bytes());
            out.push(0);
            out.extend_from_slice(&[id; 20]);
        }
        out
    }

    fn names(data: &[u8], list: &[RawEntry]) -> Vec<String> {
        list.iter()
            .map(|e| String::from_utf8_lossy(&data[e.name.0..e.name.1]).into_owned())
            .collect()
    }

    #[test]
    fn diff_finds_what_changed_between_common_prefix_and_suffix() {
        let base = tree(&[
            ("100644", "a", 1),
            ("100644", "b", 2),
            ("40000", "d", 3),
            ("100644", "z", 4),
        ]);
        let new = tree(&[
            ("100644", "a", 1),
            ("100644", "b", 9),
            ("100644", "c", 5),
            ("40000", "d", 3),
            ("100644", "z", 4),
        ]);
        let (mut added, mut removed) = (Vec::new(), Vec::new());
        diff(&new, &base, 20, &mut added, &mut removed).unwrap();
        assert_eq!(names(&new, &added), ["b", "c"]);
        assert_eq!(names(&base, &removed), ["b"]);
        // The same tree: nothing; an empty base: everything.
        diff(&new, &new, 20, &mut added, &mut removed).unwrap();
        assert!(added.is_empty() && removed.is_empty());
        diff(&new, &[], 20, &mut added, &mut removed).unwrap();
        assert_eq!(added.len(), 5);
        diff(&[], &new, 20, &mut added, &mut removed).unwrap();
        assert_eq!(removed.len(), 5);
    }

    #[test]
    fn diff_aligns_when_the_suffix_reaches_into_a_changed_entry() {
        // "xb" -> "yb" with the same id: the common suffix starts inside the entry.
        let base = tree(&[("100644", "a", 1), ("100644", "xb", 2), ("100644", "c", 3)]);
        let new = tree(&[("100644", "a", 1), ("100644", "yb", 2), ("100644", "c", 3)]);
        let (mut added, mut removed) = (Vec::new(), Vec::new());
        diff(&new, &base, 20, &mut added, &mut removed).unwrap();
        assert_eq!(names(&new, &added), ["yb"]);
        assert_eq!(names(&base, &removed), ["xb"]);
        // A longer name shifts the rest: still one entry each way.
        let new = tree(&[("100644", "a", 1), ("100644", "xxb", 2), ("100644", "c", 3)]);
        diff(&new, &base, 20, &mut added, &mut removed).unwrap();
        assert_eq!(names(&new, &added), ["xxb"]);
        assert_eq!(names(&base, &removed), ["xb"]);
    }

    #[test]
    fn common_prefix_and_suffix_cross_blocks() {
        let a: Vec<u8> = (0..300u32).map(|i| (i % 251) as u8).collect();
        for cut in [0, 1, 63, 64, 65, 128, 299] {
            let mut b = a.clone();
            b[cut] ^= 1;
            assert_eq!(common_prefix(&a, &b), cut);
            assert_eq!(common_suffix(&a, &b), 299 - cut);
        }
        assert_eq!(common_prefix(&a, &a[..100]), 100);
        assert_eq!(common_suffix(&a, &a[200..]), 100);
        assert_eq!(common_prefix(&[], &a), 0);
    }

    #[test]
    fn malformed_trees_do_not_parse() {
        let good = tree(&[("100644", "a", 1)]);
        let mut out = Vec::new();
        assert!(parse(&good, 20, &mut out).is_some());
        for bad in [
            &good[..good.len() - 1],
            b"100644 a".as_slice(),
            b" a\0".as_slice(),
            b"1x0644 a\0aaaaaaaaaaaaaaaaaaaa".as_slice(),
            b"100644 \0aaaaaaaaaaaaaaaaaaaa".as_slice(),
        ] {
            assert!(parse(bad, 20, &mut out).is_none(), "{bad:?}");
        }
        let (mut a, mut r) = (Vec::new(), Vec::new());
        assert!(diff(&good[..good.len() - 3], &good, 20, &mut a, &mut r).is_none());
    }

    fn id(n: u8) -> ObjectId {
        ObjectId::from_bytes_or_panic(&[n; 20])
    }

    #[test]
    fn upward_walk_follows_deltas_and_stops_where_an_entry_is_dropped() {
        // Objects: 1 = blob; 10 = root tree with "x" -> 1 and "sub" -> 11; 11 = tree
        // with "y" -> 1; 12 = delta of 10 that drops "x"; 13 = delta of 12 that adds
        // "x" again; 14 = delta of 12 that keeps "sub" only.
        let objects: Vec<ObjectId> = [1, 10, 11, 12, 13, 14].iter().map(|&n| id(n)).collect();
        let b = Builder::new(objects, gix::hash::Kind::Sha1);
        let mut s = TreeScratch::default();
        let t10 = tree(&[("40000", "sub", 11), ("100644", "x", 1)]);
        let t11 = tree(&[("100644", "y", 1)]);
        let t12 = tree(&[("40000", "sub", 11)]);
        let t13 = tree(&[("40000", "sub", 11), ("100644", "x", 1)]);
        let n = |i: u8| b.objects[&id(i)];
        b.tree(&mut s, n(10), &t10, None);
        b.tree(&mut s, n(11), &t11, None);
        b.tree(&mut s, n(12), &t12, Some((n(10), &t10)));
        b.tree(&mut s, n(13), &t13, Some((n(12), &t12)));
        b.tree(&mut s, n(14), &t12, Some((n(12), &t12)));
        let (blob, r10, r12, r13, r14) = (n(1), n(10), n(12), n(13), n(14));
        let g = b.finish();
        assert!(g.complete().is_ok());
        let roots: HashSet<u32> = [r10, r12, r13, r14].into();
        let (lists, cycle) = locate(&g, &[blob], &roots, 2, &Default::default());
        assert!(!cycle);
        let sorted = |t: u32| {
            let mut v: Vec<String> = lists
                .get(&t)
                .map(|l| l.iter().map(|(_, p)| p.to_string()).collect())
                .unwrap_or_default();
            v.sort();
            v
        };
        assert_eq!(sorted(r10), ["sub/y", "x"]);
        assert_eq!(sorted(r12), ["sub/y"]);
        assert_eq!(sorted(r13), ["sub/y", "x"]);
        assert_eq!(sorted(r14), ["sub/y"]);
    }

    #[test]
    fn fuzz_entry_agrees_with_the_downward_walk_on_random_histories() {
        // What the fuzz target runs, on a deterministic stream of inputs (cargo-fuzz is
        // not needed for this much): trees as deltas of trees, raw and malformed bytes.
        let mut x: u64 = 0x6772_6170_6866_757a;
        for _ in 0..3000 {
            let mut data = Vec::new();
            for _ in 0..(x % 9) {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let head = ((x >> 33) as u8) & 0x3F;
                data.push(if x % 11 == 0 { head } else { head & 0x1F });
                for _ in 0..(x >> 40) % 7 {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    data.extend_from_slice(&[
                        (x >> 33) as u8 % 3,
                        (x >> 41) as u8 % 8,
                        (x >> 49) as u8 % 16,
                    ]);
                }
                data.push(0xFF);
            }
            fuzz(&data);
        }
        // A tree holding itself and a blob, and a tree chain that doubles its paths.
        fuzz(&[0x01, 0, 1, 1, 1, 2, 2, 0xFF]);
        let mut doubling = Vec::new();
        for level in 1..15u8 {
            doubling.extend_from_slice(&[level, 0, 1, level - 1, 0, 2, level - 1, 0xFF]);
        }
        fuzz(&doubling);
    }

    #[test]
    fn a_cycle_in_the_tree_graph_is_cut() {
        // Tree 10 holds itself (possible only when object ids lie).
        let b = Builder::new(vec![id(1), id(10)], gix::hash::Kind::Sha1);
        let mut s = TreeScratch::default();
        let t = tree(&[("40000", "loop", 10), ("100644", "k", 1)]);
        let ten = b.objects[&id(10)];
        let one = b.objects[&id(1)];
        b.tree(&mut s, ten, &t, None);
        let g = b.finish();
        let (lists, cycle) = locate(&g, &[one], &[ten].into(), 1, &Default::default());
        assert!(cycle);
        assert!(lists[&ten].iter().any(|(_, p)| p == "k"));
        assert!(lists[&ten].iter().any(|(_, p)| p == "loop/k"));
    }
}
