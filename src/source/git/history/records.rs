//! The tree graph's records: each tree's dropped and added entries as one record of LEB128
//! varints (children sorted and delta-coded, then name numbers), appended to chunks that are
//! allocated once and never moved, and read back without allocating.

/// Size of the record arena's chunks. Records are appended to chunks allocated once at this
/// size and never moved: a growing `Vec` of records would, at the moment it doubles, hold
/// the old and the new copy and leave up to half of the new one unused, and it grows during
/// the blob pass, where the memory peak was.
pub(super) const CHUNK: usize = 1 << 20;

/// Appends `n` as a LEB128 varint: seven bits a byte, low bits first, the high bit set on
/// every byte but the last. Object and name numbers are mostly small once delta-coded.
pub(super) fn put_varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads a varint at `*pos` and moves past it; stops at the end of `bytes` (the records are
/// ours and well formed, but a wrong offset must not panic).
pub(super) fn get_varint(bytes: &[u8], pos: &mut usize) -> u32 {
    let mut n: u32 = 0;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*pos) {
        *pos += 1;
        if shift < 32 {
            n |= u32::from(b & 0x7F) << shift;
        }
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    n
}

/// The position after `count` varints from `pos` (each ends with a byte below 0x80).
pub(super) fn skip_varints(bytes: &[u8], pos: usize, count: usize) -> usize {
    if count == 0 {
        return pos;
    }
    let rest = bytes.get(pos..).unwrap_or(&[]);
    let mut left = count;
    for (i, &b) in rest.iter().enumerate() {
        if b < 0x80 {
            left -= 1;
            if left == 0 {
                return pos + i + 1;
            }
        }
    }
    bytes.len()
}

/// Appends one tree's record: `tree, dropped count, added count`, then the dropped and the
/// added `(child, name)` entries, each list sorted and deduplicated by the caller, a child
/// written as its gap to the previous child of the same list (object numbers follow object
/// id order, so a tree's children are spread over the whole range; sorted, their gaps are
/// about `objects / entries`, two or three bytes), then the name number.
pub(super) fn encode_record(
    out: &mut Vec<u8>,
    tree: u32,
    dropped: &[(u32, u32)],
    added: &[(u32, u32)],
) {
    put_varint(out, tree);
    // Counts beyond u32 are impossible: a tree's entries come from one tree of at most 4 GiB
    // (the parser refuses longer), each at least 22 bytes.
    put_varint(out, dropped.len() as u32);
    put_varint(out, added.len() as u32);
    for list in [dropped, added] {
        let mut previous = 0;
        for &(child, name) in list {
            put_varint(out, child.wrapping_sub(previous));
            put_varint(out, name);
            previous = child;
        }
    }
}

/// A record's header, and where its entries start.
pub(super) struct RecordHeader {
    pub(super) tree: u32,
    pub(super) dropped: u32,
    pub(super) added: u32,
    pub(super) body: usize,
}

pub(super) fn record_header(bytes: &[u8], mut pos: usize) -> RecordHeader {
    let tree = get_varint(bytes, &mut pos);
    let dropped = get_varint(bytes, &mut pos);
    let added = get_varint(bytes, &mut pos);
    RecordHeader {
        tree,
        dropped,
        added,
        body: pos,
    }
}

/// The `(child, name)` entries of one list of a record, decoded in order.
pub(super) struct Entries<'a> {
    bytes: &'a [u8],
    pub(super) pos: usize,
    left: u32,
    child: u32,
}

impl<'a> Entries<'a> {
    pub(super) fn new(bytes: &'a [u8], pos: usize, count: u32) -> Self {
        Entries {
            bytes,
            pos,
            left: count,
            child: 0,
        }
    }
}

impl Iterator for Entries<'_> {
    type Item = (u32, u32);

    fn next(&mut self) -> Option<(u32, u32)> {
        if self.left == 0 || self.pos >= self.bytes.len() {
            return None;
        }
        self.left -= 1;
        self.child = self
            .child
            .wrapping_add(get_varint(self.bytes, &mut self.pos));
        let name = get_varint(self.bytes, &mut self.pos);
        Some((self.child, name))
    }
}

/// A record's list of `(child, name)` entries, decoded.
#[cfg(test)]
pub(super) type EntryList = Vec<(u32, u32)>;

/// Decodes the record at `pos`: (tree, dropped entries, added entries, end of the record).
#[cfg(test)]
pub(super) fn decode_record(bytes: &[u8], pos: usize) -> (u32, EntryList, EntryList, usize) {
    let h = record_header(bytes, pos);
    let mut dropped = Entries::new(bytes, h.body, h.dropped);
    let d: Vec<_> = dropped.by_ref().collect();
    let mut added = Entries::new(bytes, dropped.pos, h.added);
    let a: Vec<_> = added.by_ref().collect();
    (h.tree, d, a, added.pos)
}

/// The records, in chunks of [`CHUNK`] bytes (a record longer than that gets a chunk of its
/// own, a whole number of chunk sizes long), and where each tree's record is.
pub(super) struct Arena {
    pub(super) chunks: Vec<Vec<u8>>,
    /// The first slot of each chunk: a location is `slot * CHUNK + offset`, so one u32
    /// addresses 4 GiB of records.
    pub(super) slots: Vec<u32>,
    /// The slot after the last chunk, and the room left in the last chunk.
    pub(super) next_slot: u32,
    pub(super) room: usize,
    /// The location of each object's record (NONE: not a recorded tree).
    pub(super) at: Vec<u32>,
    pub(super) added: u64,
    pub(super) dropped: u64,
}

impl Arena {
    /// Appends the record of `tree`; Err when the records pass 4 GiB.
    pub(super) fn push(&mut self, tree: u32, record: &[u8]) -> Result<(), String> {
        if self.room < record.len() || self.chunks.is_empty() {
            let span = record.len().div_ceil(CHUNK).max(1);
            let end = u64::from(self.next_slot) + span as u64;
            if end * CHUNK as u64 >= u64::from(u32::MAX) {
                return Err("the tree graph's records pass 4 GiB".to_owned());
            }
            self.chunks.push(Vec::with_capacity(span * CHUNK));
            self.slots.push(self.next_slot);
            self.next_slot = end as u32;
            self.room = span * CHUNK;
        }
        let (Some(chunk), Some(&slot), Some(at)) = (
            self.chunks.last_mut(),
            self.slots.last(),
            self.at.get_mut(tree as usize),
        ) else {
            return Err(format!("object {tree} is not in the object table"));
        };
        // Below 4 GiB: checked when the chunk was added.
        *at = (slot as usize * CHUNK + chunk.len()) as u32;
        chunk.extend_from_slice(record);
        self.room -= record.len();
        Ok(())
    }
}
