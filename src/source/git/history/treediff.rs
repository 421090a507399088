//! Tree bytes for the tree graph: parsing the entries of a tree (`mode SP name NUL id`),
//! and the entries a tree adds to and drops from its delta base.
//!
//! The diff is the hot loop of recording the graph (git/git inflates 5.8 GB of trees), so
//! it never walks a tree from its start: the common prefix and suffix of the two byte
//! strings are compared with `memcmp`, the last entry boundary inside the prefix is found by
//! binary search in the base's entry starts (kept with the base), only the entries between
//! prefix and suffix are parsed, and the new tree's entry starts are the base's, shifted,
//! around the parsed middle (so its own delta children can do the same).

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
    let sp = memchr::memchr(b' ', rest.get(..8.min(rest.len()))?)?;
    let mut mode: u32 = 0;
    if sp == 0 {
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

/// All entries of a tree, and where each starts; None when it is malformed (or longer
/// than 4 GiB, which no git writes).
pub(super) fn parse(
    data: &[u8],
    hash_len: usize,
    out: &mut Vec<RawEntry>,
    starts: &mut Vec<u32>,
) -> Option<()> {
    out.clear();
    starts.clear();
    u32::try_from(data.len()).ok()?;
    let mut pos = 0;
    while pos < data.len() {
        let (e, end) = entry_at(data, pos, hash_len)?;
        out.push(e);
        starts.push(pos as u32);
        pos = end;
    }
    Some(())
}

/// A tree as a delta base: its bytes and where each of its entries starts.
#[derive(Debug, Clone, Copy)]
pub(super) struct Base<'a> {
    pub(super) data: &'a [u8],
    pub(super) starts: &'a [u32],
}

/// The entries of `new` that are not in `base` (`added`) and those of `base` not in `new`
/// (`removed`), by (name, id) and kind, and where each entry of `new` starts (`starts`).
/// Only the part between the longest common prefix and suffix is parsed. None when `new`
/// is malformed (`base` parsed when it was recorded; its starts must be its own).
pub(super) fn diff(
    new: &[u8],
    base: Base<'_>,
    hash_len: usize,
    added: &mut Vec<RawEntry>,
    removed: &mut Vec<RawEntry>,
    starts: &mut Vec<u32>,
) -> Option<()> {
    added.clear();
    removed.clear();
    starts.clear();
    u32::try_from(new.len()).ok()?;
    let (old, old_starts) = (base.data, base.starts);
    let prefix = common_prefix(new, old);
    // The last entry boundary inside the common prefix is a boundary of both trees: the
    // bytes before it are the same, so they parse to the same entries.
    let p = if prefix == old.len() {
        old.len()
    } else {
        let k = old_starts.partition_point(|&o| o as usize <= prefix);
        if k == 0 {
            0
        } else {
            old_starts[k - 1] as usize
        }
    };
    let before = old_starts.partition_point(|&o| (o as usize) < p);
    starts.extend_from_slice(&old_starts[..before]);
    let suffix = common_suffix(&new[p..], &old[p..]);
    // Parse both from `p` until each stands on a boundary with the same number of bytes
    // left, all inside the common suffix: from there the two are the same entries.
    let (mut qn, mut qb) = (p, p);
    loop {
        let (left_n, left_b) = (new.len() - qn, old.len() - qb);
        if left_n == left_b && left_n <= suffix {
            break;
        }
        if left_n > suffix || (left_b <= suffix && left_n > left_b) {
            let (e, end) = entry_at(new, qn, hash_len)?;
            added.push(e);
            starts.push(qn as u32);
            qn = end;
        } else {
            let (e, end) = entry_at(old, qb, hash_len)?;
            removed.push(e);
            qb = end;
        }
    }
    // `qb` is a boundary of the base (parsed from `p`): its entries from there, moved.
    let after = old_starts.partition_point(|&o| (o as usize) < qb);
    starts.extend(
        old_starts[after..]
            .iter()
            .map(|&o| (o as usize - qb + qn) as u32),
    );
    // The middle parts, as sets: drop what both have. A base far from its delta (git
    // picks bases by name and size) makes both middles whole trees, so this is sorted and
    // merged in place rather than hashed.
    if !added.is_empty() && !removed.is_empty() {
        drop_common(new, added, old, removed);
    }
    Some(())
}

/// Entries compared as the diff sees them: name, then object id, then kind (a blob that
/// becomes a symlink with the same id is a change: the walk follows only blobs).
fn order(a: &[u8], x: &RawEntry, b: &[u8], y: &RawEntry) -> std::cmp::Ordering {
    fn key<'d>(d: &'d [u8], e: &RawEntry) -> (&'d [u8], &'d [u8], u8) {
        let kind = match e.kind {
            Kind::Tree => 0u8,
            Kind::Blob => 1,
            Kind::Other => 2,
        };
        (&d[e.name.0..e.name.1], &d[e.oid.0..e.oid.1], kind)
    }
    key(a, x).cmp(&key(b, y))
}

/// Removes from `added` (entries of `new`) and `removed` (entries of `old`) every entry
/// that both hold (all copies: a hostile tree may repeat one), leaving each sorted.
fn drop_common(new: &[u8], added: &mut Vec<RawEntry>, old: &[u8], removed: &mut Vec<RawEntry>) {
    use std::cmp::Ordering::{Equal, Greater, Less};
    added.sort_unstable_by(|x, y| order(new, x, new, y));
    removed.sort_unstable_by(|x, y| order(old, x, old, y));
    let (mut i, mut j, mut keep_a, mut keep_r) = (0, 0, 0, 0);
    while i < added.len() && j < removed.len() {
        match order(new, &added[i], old, &removed[j]) {
            Less => {
                added[keep_a] = added[i];
                keep_a += 1;
                i += 1;
            }
            Greater => {
                removed[keep_r] = removed[j];
                keep_r += 1;
                j += 1;
            }
            Equal => {
                let (a, r) = (added[i], removed[j]);
                while i < added.len() && order(new, &added[i], new, &a) == Equal {
                    i += 1;
                }
                while j < removed.len() && order(old, &removed[j], old, &r) == Equal {
                    j += 1;
                }
            }
        }
    }
    while i < added.len() {
        added[keep_a] = added[i];
        keep_a += 1;
        i += 1;
    }
    while j < removed.len() {
        removed[keep_r] = removed[j];
        keep_r += 1;
        j += 1;
    }
    added.truncate(keep_a);
    removed.truncate(keep_r);
}

/// How many bytes `a` and `b` share at their start: 64-byte blocks compared as slices
/// (`memcmp`), then bytes; trees are compared whole, so this runs over gigabytes.
pub(super) fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BIG: usize = 1024;
    const BLOCK: usize = 64;
    let n = a.len().min(b.len());
    let mut i = 0;
    // Large blocks first: one `memcmp` call per kilobyte of the (mostly equal) trees.
    while i + BIG <= n && a[i..i + BIG] == b[i..i + BIG] {
        i += BIG;
    }
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
pub(super) fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let n = a.len().min(b.len());
    const BIG: usize = 1024;
    let (ea, eb) = (a.len(), b.len());
    let mut i = 0;
    while i + BIG <= n && a[ea - i - BIG..ea - i] == b[eb - i - BIG..eb - i] {
        i += BIG;
    }
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A tree's bytes from (mode, name, id byte) entries.
    pub(crate) fn tree(entries: &[(&str, &str, u8)]) -> Vec<u8> {
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

    /// `diff` of `new` against `base`, checking the starts it gives for `new` against a
    /// full parse of `new`.
    fn run(new: &[u8], base: &[u8]) -> Option<(Vec<String>, Vec<String>)> {
        let (mut entries, mut base_starts) = (Vec::new(), Vec::new());
        parse(base, 20, &mut entries, &mut base_starts).unwrap();
        let (mut added, mut removed, mut starts) = (Vec::new(), Vec::new(), Vec::new());
        let base_ref = Base {
            data: base,
            starts: &base_starts,
        };
        diff(new, base_ref, 20, &mut added, &mut removed, &mut starts)?;
        let mut want = Vec::new();
        parse(new, 20, &mut entries, &mut want).unwrap();
        assert_eq!(starts, want, "entry starts of the new tree");
        Some((names(new, &added), names(base, &removed)))
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
        assert_eq!(
            run(&new, &base).unwrap(),
            (vec!["b".into(), "c".into()], vec!["b".into()])
        );
        // The same tree: nothing; an empty base: everything; a prefix of the other.
        assert_eq!(run(&new, &new).unwrap(), (vec![], vec![]));
        assert_eq!(run(&new, &[]).unwrap().0.len(), 5);
        assert_eq!(run(&[], &new).unwrap().1.len(), 5);
        let head = tree(&[("100644", "a", 1), ("100644", "b", 2)]);
        assert_eq!(
            run(&base, &head).unwrap(),
            (vec!["d".into(), "z".into()], vec![])
        );
        assert_eq!(
            run(&head, &base).unwrap(),
            (vec![], vec!["d".into(), "z".into()])
        );
    }

    #[test]
    fn diff_aligns_when_the_suffix_reaches_into_a_changed_entry() {
        // "xb" -> "yb" with the same id: the common suffix starts inside the entry.
        let base = tree(&[("100644", "a", 1), ("100644", "xb", 2), ("100644", "c", 3)]);
        let new = tree(&[("100644", "a", 1), ("100644", "yb", 2), ("100644", "c", 3)]);
        assert_eq!(
            run(&new, &base).unwrap(),
            (vec!["yb".into()], vec!["xb".into()])
        );
        // A longer name shifts the rest: still one entry each way.
        let new = tree(&[("100644", "a", 1), ("100644", "xxb", 2), ("100644", "c", 3)]);
        assert_eq!(
            run(&new, &base).unwrap(),
            (vec!["xxb".into()], vec!["xb".into()])
        );
        // The prefix ends inside an entry's id (ids that share their first bytes).
        let base = tree(&[("100644", "a", 1), ("100644", "b", 2), ("100644", "c", 3)]);
        let mut new = base.clone();
        let id_end = 2 * 29 - 1;
        new[id_end] = 7;
        assert_eq!(
            run(&new, &base).unwrap(),
            (vec!["b".into()], vec!["b".into()])
        );
    }

    #[test]
    fn diff_starts_agree_with_a_full_parse_on_random_edits() {
        let mut x: u64 = 0x7472_6565_6469_6666;
        let mut next = |n: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % n
        };
        for _ in 0..2000 {
            let mut entries: Vec<(String, u8)> = (0..next(12))
                .map(|i| {
                    (
                        format!("n{i:02}{}", "x".repeat(next(3) as usize)),
                        next(4) as u8,
                    )
                })
                .collect();
            let as_tree = |v: &[(String, u8)]| {
                let e: Vec<(&str, &str, u8)> = v
                    .iter()
                    .map(|(n, id)| ("100644", n.as_str(), *id))
                    .collect();
                tree(&e)
            };
            let base = as_tree(&entries);
            for _ in 0..=next(3) {
                let at = next(entries.len() as u64 + 1) as usize;
                match next(3) {
                    0 => entries.insert(at, (format!("m{}", next(99)), next(4) as u8)),
                    1 if at < entries.len() => {
                        entries.remove(at);
                    }
                    _ if at < entries.len() => entries[at].1 = next(4) as u8,
                    _ => {}
                }
            }
            run(&as_tree(&entries), &base).unwrap();
        }
    }

    #[test]
    fn diff_sees_a_kind_change_and_drops_common_entries_in_any_order() {
        // The same name and id, a blob turned symlink: a change both ways.
        let base = tree(&[("100644", "a", 1), ("100644", "k", 2), ("100644", "z", 3)]);
        let new = tree(&[("100644", "a", 1), ("120000", "k", 2), ("100644", "z", 3)]);
        assert_eq!(
            run(&new, &base).unwrap(),
            (vec!["k".into()], vec!["k".into()])
        );
        // A dissimilar base (whole middles): only what differs, whatever the order.
        let base = tree(&[("100644", "c", 3), ("100644", "b", 2), ("100644", "a", 1)]);
        let new = tree(&[("100644", "a", 1), ("100644", "d", 4), ("100644", "c", 3)]);
        assert_eq!(
            run(&new, &base).unwrap(),
            (vec!["d".into()], vec!["b".into()])
        );
        // Repeated entries in both middles go together (a tree git writes has no repeats;
        // the graph is exact only for those, which `fsck` accepts).
        let base = tree(&[("100644", "b", 2), ("100644", "b", 2), ("100644", "y", 7)]);
        let new = tree(&[("100644", "a", 9), ("100644", "b", 2), ("100644", "b", 2)]);
        assert_eq!(
            run(&new, &base).unwrap(),
            (vec!["a".into()], vec!["y".into()])
        );
    }

    #[test]
    fn common_prefix_and_suffix_cross_blocks() {
        let a: Vec<u8> = (0..3000u32).map(|i| (i % 251) as u8).collect();
        for cut in [0, 1, 63, 64, 65, 128, 299, 1023, 1024, 1025, 2100, 2999] {
            let mut b = a.clone();
            b[cut] ^= 1;
            assert_eq!(common_prefix(&a, &b), cut);
            assert_eq!(common_suffix(&a, &b), 2999 - cut);
        }
        assert_eq!(common_prefix(&a, &a[..100]), 100);
        assert_eq!(common_suffix(&a, &a[200..]), 2800);
        assert_eq!(common_prefix(&[], &a), 0);
    }

    #[test]
    fn malformed_trees_do_not_parse() {
        let good = tree(&[("100644", "a", 1)]);
        let (mut out, mut starts) = (Vec::new(), Vec::new());
        assert!(parse(&good, 20, &mut out, &mut starts).is_some());
        for bad in [
            &good[..good.len() - 1],
            b"100644 a".as_slice(),
            b" a\0".as_slice(),
            b"1x0644 a\0aaaaaaaaaaaaaaaaaaaa".as_slice(),
            b"100644 \0aaaaaaaaaaaaaaaaaaaa".as_slice(),
            b"10064400 a\0aaaaaaaaaaaaaaaaaaaa".as_slice(),
        ] {
            assert!(parse(bad, 20, &mut out, &mut starts).is_none(), "{bad:?}");
        }
        assert!(run(&good[..good.len() - 3], &good).is_none());
    }
}
