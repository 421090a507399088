//! The tree graph's object table: every object id of the packs and loose objects to a
//! number, without a copy of the ids. The ids stay in the pack indexes (memory-mapped, so
//! page cache rather than heap); the table is an open-addressing hash table of object
//! numbers alone, 4 bytes a slot, the id of a number read back from its index to confirm
//! a match. A map of `ObjectId` to number cost 25 bytes a slot (27 bytes an object on
//! git/git, 23 MB held through the whole blob pass); this costs 8-16 bytes an object.

use gix::odb::pack::index;
use gix::ObjectId;

/// An empty slot.
const EMPTY: u32 = u32::MAX;

/// Object ids to numbers: the objects of pack index `k` are numbered from `first[k]` in the
/// index's (sorted) order, then the ids not in a pack (loose objects). An id in two places
/// keeps its first number; the other is never returned.
pub(super) struct ObjectTable {
    indices: Vec<index::File>,
    /// The first number of each index, then of `others`.
    first: Vec<u32>,
    /// Ids not in a pack index, numbered after them.
    others: Vec<ObjectId>,
    /// Object numbers by hash of their id, EMPTY where none; a power of two long.
    slots: Vec<u32>,
    /// How many distinct ids the table holds.
    len: usize,
}

impl ObjectTable {
    /// The objects of a repository's pack indexes (given in name order) and loose objects.
    /// None when they are more than numbers can count (4 billion).
    pub(super) fn new(indices: Vec<index::File>, others: Vec<ObjectId>) -> Option<Self> {
        let mut first = Vec::with_capacity(indices.len() + 1);
        let mut total: u64 = 0;
        for idx in &indices {
            first.push(u32::try_from(total).ok()?);
            total += u64::from(idx.num_objects());
        }
        first.push(u32::try_from(total).ok()?);
        total += others.len() as u64;
        if total >= u64::from(EMPTY) {
            return None;
        }
        // At most half full: a lookup then probes about 1.5 slots, each a read of an id
        // from an index (a miss and a hit cost about the same).
        let size = (total as usize * 2).next_power_of_two().max(16);
        let mut table = ObjectTable {
            indices,
            first,
            others,
            slots: vec![EMPTY; size],
            len: 0,
        };
        for n in 0..total as u32 {
            table.insert(n);
        }
        Some(table)
    }

    /// A table of these ids alone, numbered in order (tests, fuzzing).
    pub(super) fn from_ids(ids: Vec<ObjectId>) -> Self {
        ObjectTable::new(Vec::new(), ids).expect("fewer than 4 billion ids")
    }

    /// How many distinct ids the table holds.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// How many object numbers there are (distinct or not): the size of per-object tables.
    pub(super) fn numbers(&self) -> usize {
        self.first.last().map_or(0, |&f| f as usize) + self.others.len()
    }

    /// The table's own bytes (the ids are in the indexes and `others`).
    pub(super) fn heap_bytes(&self) -> usize {
        self.slots.capacity() * 4
            + self.others.capacity() * std::mem::size_of::<ObjectId>()
            + self.first.capacity() * 4
    }

    /// The number of `id`, if the table holds it.
    pub(super) fn get(&self, id: &gix::oid) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let mut i = slot_of(id) & mask;
        loop {
            let n = *self.slots.get(i)?;
            if n == EMPTY {
                return None;
            }
            if self.id(n)? == id {
                return Some(n);
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds number `n` unless its id is there already (under its first number).
    fn insert(&mut self, n: u32) {
        let Some(id) = self.id(n) else { return };
        let mask = self.slots.len() - 1;
        let mut i = slot_of(id) & mask;
        loop {
            let m = self.slots[i];
            if m == EMPTY {
                break;
            }
            if self.id(m) == Some(id) {
                return;
            }
            i = (i + 1) & mask;
        }
        self.slots[i] = n;
        self.len += 1;
    }

    /// The id numbered `n`.
    fn id(&self, n: u32) -> Option<&gix::oid> {
        // The index holding `n`: the last whose first number is at most `n`.
        let k = self.first.partition_point(|&f| f <= n).checked_sub(1)?;
        let at = n - self.first[k];
        match self.indices.get(k) {
            Some(idx) => (at < idx.num_objects()).then(|| idx.oid_at_index(at)),
            None => self.others.get(at as usize).map(|id| &**id),
        }
    }
}

/// Where an id's probe starts. Object ids are hashes, so their first bytes are already
/// spread evenly (the same reasoning as gix's own hash tables); the multiply mixes them
/// into the bits the mask keeps.
fn slot_of(id: &gix::oid) -> usize {
    let mut word = [0u8; 8];
    let bytes = id.as_bytes();
    let n = bytes.len().min(8);
    word[..n].copy_from_slice(&bytes[..n]);
    (u64::from_le_bytes(word).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u32) -> ObjectId {
        let mut b = [0u8; 20];
        // Ids that share their first bytes, so probes collide and run on.
        b[16..].copy_from_slice(&n.to_be_bytes());
        ObjectId::from_bytes_or_panic(&b)
    }

    #[test]
    fn numbers_ids_in_order_and_keeps_the_first_of_a_repeated_id() {
        let ids: Vec<ObjectId> = (0..1000).map(id).chain([id(5), id(999)]).collect();
        let table = ObjectTable::from_ids(ids);
        assert_eq!(table.len(), 1000);
        assert_eq!(table.numbers(), 1002);
        for n in 0..1000 {
            assert_eq!(table.get(&id(n)), Some(n));
        }
        assert_eq!(table.get(&id(1000)), None);
        let empty = ObjectTable::from_ids(Vec::new());
        assert_eq!(empty.get(&id(1)), None);
        assert_eq!(empty.numbers(), 0);
    }

    #[test]
    fn numbers_a_repository_s_pack_objects_by_their_index_position() {
        let dir = tempfile::tempdir().expect("temp dir");
        let git = |args: &[&str]| {
            let out = std::process::Command::new("git")
                .args(args)
                .current_dir(dir.path())
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .output()
                .expect("git runs");
            assert!(out.status.success(), "git {args:?}");
            out.stdout
        };
        git(&["init", "-q", "--bare", "."]);
        // Runs git with `input` on its standard input.
        let git_fed = |args: &[&str], input: &str| {
            use std::io::Write;
            let mut child = std::process::Command::new("git")
                .args(args)
                .current_dir(dir.path())
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("git runs");
            let mut stdin = child.stdin.take().expect("stdin");
            stdin.write_all(input.as_bytes()).expect("written");
            drop(stdin);
            assert!(child.wait().expect("git ends").success(), "git {args:?}");
        };
        for text in ["one\n", "two\n", "three\n"] {
            git_fed(&["hash-object", "-w", "--stdin"], text);
        }
        let listed = String::from_utf8(git(&[
            "cat-file",
            "--batch-all-objects",
            "--batch-check=%(objectname)",
        ]))
        .expect("hex");
        let ids: Vec<ObjectId> = listed
            .lines()
            .map(|l| ObjectId::from_hex(l.as_bytes()).expect("id"))
            .collect();
        // Pack them: the pack's index holds all three, and one more id stays "loose".
        git_fed(&["pack-objects", "-q", "objects/pack/pack"], &listed);
        let idx_path = std::fs::read_dir(dir.path().join("objects/pack"))
            .expect("pack dir")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "idx"))
            .expect("an index");
        let index = index::File::at(&idx_path, gix::hash::Kind::Sha1).expect("index opens");
        let extra = id(7);
        let table = ObjectTable::new(vec![index], vec![extra, ids[0]]).expect("table");
        assert_eq!(table.len(), 4, "an id in the pack and loose counts once");
        assert_eq!(table.numbers(), 5);
        let mut sorted = ids.clone();
        sorted.sort();
        for (n, id) in sorted.iter().enumerate() {
            assert_eq!(table.get(id), Some(n as u32), "index order");
        }
        assert_eq!(table.get(&extra), Some(3));
    }
}
