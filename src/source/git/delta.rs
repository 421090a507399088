//! Git's pack delta format, read for history's delta-aware mode: which lines of a blob
//! are a copy of its base's lines, and which are not.
//!
//! A delta rebuilds a target from its base with two instructions: copy a span of the base,
//! or insert literal bytes. A target line that lies inside one copy instruction, with its
//! newline before and after copied too, is a whole line of the base, byte for byte; the
//! matcher already knows what the base's lines hold. Every other line (inserted bytes, a
//! line stitched from two instructions, the first and last line) is "dirty" and is
//! searched again.

use crate::matcher::decode::DecodedMatch;
use crate::matcher::Candidate;

/// One delta instruction, positioned in the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `target[t..t + len]` is `base[b..b + len]`.
    Copy { t: usize, b: usize, len: usize },
    /// `target[t..t + len]` is literal.
    Insert { t: usize, len: usize },
}

/// Reads a delta's instructions. `delta` is the whole decompressed entry (sizes header
/// included). Errors on anything malformed or inconsistent with the sizes given, so a
/// caller can fall back to scanning the whole blob.
pub fn parse(
    delta: &[u8],
    base_len: usize,
    target_len: usize,
    ops: &mut Vec<Op>,
) -> Result<(), &'static str> {
    ops.clear();
    let mut pos = 0;
    let declared_base = varint(delta, &mut pos)?;
    let declared_target = varint(delta, &mut pos)?;
    if declared_base != base_len as u64 || declared_target != target_len as u64 {
        return Err("delta sizes do not match the objects");
    }
    let mut t = 0usize;
    while pos < delta.len() {
        let cmd = delta[pos];
        pos += 1;
        if cmd & 0x80 != 0 {
            let mut offset = 0usize;
            for i in 0..4 {
                if cmd & (1 << i) != 0 {
                    offset |= usize::from(*delta.get(pos).ok_or("truncated copy")?) << (8 * i);
                    pos += 1;
                }
            }
            let mut size = 0usize;
            for i in 0..3 {
                if cmd & (0x10 << i) != 0 {
                    size |= usize::from(*delta.get(pos).ok_or("truncated copy")?) << (8 * i);
                    pos += 1;
                }
            }
            if size == 0 {
                size = 0x10000;
            }
            if offset.checked_add(size).is_none_or(|e| e > base_len) {
                return Err("copy outside the base");
            }
            // git splits long copies at 64 KiB: join contiguous ones back.
            match ops.last_mut() {
                Some(Op::Copy { b, len, .. }) if *b + *len == offset => *len += size,
                _ => ops.push(Op::Copy {
                    t,
                    b: offset,
                    len: size,
                }),
            }
            t += size;
        } else if cmd != 0 {
            let size = usize::from(cmd);
            if pos + size > delta.len() {
                return Err("truncated insert");
            }
            pos += size;
            match ops.last_mut() {
                Some(Op::Insert { len, .. }) => *len += size,
                _ => ops.push(Op::Insert { t, len: size }),
            }
            t += size;
        } else {
            return Err("reserved delta instruction 0");
        }
        if t > target_len {
            return Err("delta writes past the target");
        }
    }
    if t != target_len {
        return Err("delta does not fill the target");
    }
    Ok(())
}

fn varint(d: &[u8], pos: &mut usize) -> Result<u64, &'static str> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let b = *d.get(*pos).ok_or("truncated delta header")?;
        *pos += 1;
        if shift > 63 {
            return Err("delta size overflows");
        }
        v |= u64::from(b & 0x7f) << shift;
        shift += 7;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
}

/// The dirty byte ranges of `target` (whole lines, newline included, sorted, disjoint):
/// every line holding inserted bytes and every line that does not lie, with the newline
/// before it, inside one copy. Linear in the target's size however many instructions
/// there are.
pub fn dirty_lines(target: &[u8], ops: &[Op], out: &mut Vec<(usize, usize)>) {
    out.clear();
    let n = target.len();
    for op in ops {
        match *op {
            Op::Insert { t, len } => mark_lines(target, t, t + len, out),
            Op::Copy { t, len, .. } => {
                // The line the copy starts in begins before it (or at a newline the copy
                // does not hold); the line it ends in, unless the copy ends with its
                // newline, goes on in something else.
                mark_lines(target, t, t + 1, out);
                if target[t + len - 1] != b'\n' {
                    mark_lines(target, t + len - 1, t + len, out);
                }
            }
        }
    }
    debug_assert!(out.last().is_none_or(|&(_, e)| e <= n));
}

/// Marks the lines holding `target[a..b]` dirty, merging with the last range; never
/// re-reads bytes already covered, so many edits on one long line stay linear.
fn mark_lines(target: &[u8], a: usize, b: usize, out: &mut Vec<(usize, usize)>) {
    let covered = out.last().map_or(0, |&(_, e)| e);
    if b <= covered {
        return;
    }
    let s = if a < covered {
        covered
    } else {
        match memchr::memrchr(b'\n', &target[covered..a]) {
            Some(i) => covered + i + 1,
            None => covered,
        }
    };
    let from = (b - 1).max(s);
    let e = match memchr::memchr(b'\n', &target[from..]) {
        Some(i) => from + i + 1,
        None => target.len(),
    };
    match out.last_mut() {
        Some(last) if last.1 >= s => last.1 = last.1.max(e),
        _ => out.push((s, e)),
    }
}

/// Moves the base's candidates that lie in copied, clean lines of the target to their
/// place there (a span copied twice yields two). `dirty` as from [`dirty_lines`].
pub fn inherit(base: &[Candidate], ops: &[Op], dirty: &[(usize, usize)], out: &mut Vec<Candidate>) {
    out.clear();
    each_clean_copy(
        ops,
        dirty,
        base,
        |c| (c.m.start, c.m.end),
        |c, shift| {
            let mut moved = c.clone();
            moved.m.start = shift(c.m.start);
            moved.m.end = shift(c.m.end);
            moved.m.secret_start = shift(c.m.secret_start);
            moved.m.secret_end = shift(c.m.secret_end);
            out.push(moved);
        },
    );
    out.sort_unstable_by_key(|c| (c.m.start, c.m.rule));
}

/// The same for secrets the base held inside encoded text (an encoded run lies within
/// one line).
pub fn inherit_decoded(
    base: &[DecodedMatch],
    ops: &[Op],
    dirty: &[(usize, usize)],
    out: &mut Vec<DecodedMatch>,
) {
    each_clean_copy(
        ops,
        dirty,
        base,
        |d| (d.start, d.end),
        |d, shift| {
            let mut moved = d.clone();
            moved.start = shift(d.start);
            moved.end = shift(d.end);
            out.push(moved);
        },
    );
}

/// Calls `found` for each copy of an item's span (from `span`) that lands in clean lines
/// of the target, with the base-to-target offset map.
fn each_clean_copy<T>(
    ops: &[Op],
    dirty: &[(usize, usize)],
    base: &[T],
    span: impl Fn(&T) -> (usize, usize),
    mut found: impl FnMut(&T, &dyn Fn(usize) -> usize),
) {
    if base.is_empty() {
        return;
    }
    for op in ops {
        let Op::Copy { t, b, len } = *op else {
            continue;
        };
        for item in base {
            let (start, end) = span(item);
            if start < b || end > b + len {
                continue;
            }
            let shift = move |x: usize| x - b + t;
            let (s, e) = (shift(start), shift(end));
            let i = dirty.partition_point(|&(_, de)| de <= s);
            if dirty.get(i).is_some_and(|&(ds, _)| ds < e.max(s + 1)) {
                continue; // its line changed: the target's own search decides it
            }
            found(item, &shift);
        }
    }
}

/// The promises the fuzz target (`fuzz/fuzz_targets/delta.rs`) and the in-tree harness
/// check, for one input: a delta that parses describes the target exactly (instructions in
/// order, covering it once, copies inside the base), and the dirty-line and inheritance
/// passes accept it. A delta that does not parse is fine (Ok); Err names the broken promise.
pub fn check_invariants(
    delta: &[u8],
    base_len: usize,
    target_len: usize,
) -> Result<(), &'static str> {
    let mut ops = Vec::new();
    if parse(delta, base_len, target_len, &mut ops).is_err() {
        return Ok(());
    }
    let mut at = 0;
    for op in &ops {
        match *op {
            Op::Copy { t, b, len } => {
                if t != at {
                    return Err("instructions out of order");
                }
                if b + len > base_len {
                    return Err("copy outside the base");
                }
                at += len;
            }
            Op::Insert { t, len } => {
                if t != at {
                    return Err("instructions out of order");
                }
                at += len;
            }
        }
    }
    if at != target_len {
        return Err("the instructions do not build the target");
    }
    // A target with a line break every few bytes, so lines are dirty and clean.
    let target: Vec<u8> = (0..target_len)
        .map(|i| if i % 7 == 6 { b'\n' } else { b'x' })
        .collect();
    let mut dirty = Vec::new();
    dirty_lines(&target, &ops, &mut dirty);
    if dirty.iter().any(|&(a, b)| a > b || b > target_len) {
        return Err("dirty range outside the target");
    }
    inherit(&[], &ops, &dirty, &mut Vec::new());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::RawMatch;

    /// A delta from `base` to `target` made of the given instructions.
    fn encode(base_len: usize, ops: &[(bool, usize, usize, &[u8])]) -> (Vec<u8>, usize) {
        let mut d = Vec::new();
        let put_varint = |d: &mut Vec<u8>, mut v: usize| loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                d.push(b);
                break;
            }
            d.push(b | 0x80);
        };
        let target_len: usize = ops
            .iter()
            .map(|&(copy, _, len, lit)| if copy { len } else { lit.len() })
            .sum();
        put_varint(&mut d, base_len);
        put_varint(&mut d, target_len);
        for &(copy, off, len, lit) in ops {
            if copy {
                let mut cmd = 0x80u8;
                let mut args = Vec::new();
                for i in 0..4 {
                    let byte = (off >> (8 * i)) as u8;
                    if byte != 0 {
                        cmd |= 1 << i;
                        args.push(byte);
                    }
                }
                for i in 0..3 {
                    let byte = (len >> (8 * i)) as u8;
                    if byte != 0 {
                        cmd |= 0x10 << i;
                        args.push(byte);
                    }
                }
                d.push(cmd);
                d.extend(args);
            } else {
                d.push(lit.len() as u8);
                d.extend_from_slice(lit);
            }
        }
        (d, target_len)
    }

    #[test]
    fn parses_copies_and_inserts() {
        let (d, n) = encode(
            100,
            &[
                (true, 10, 20, b""),
                (false, 0, 0, b"abc"),
                (true, 0, 5, b""),
            ],
        );
        let mut ops = Vec::new();
        parse(&d, 100, n, &mut ops).unwrap();
        assert_eq!(
            ops,
            vec![
                Op::Copy {
                    t: 0,
                    b: 10,
                    len: 20
                },
                Op::Insert { t: 20, len: 3 },
                Op::Copy {
                    t: 23,
                    b: 0,
                    len: 5
                }
            ]
        );
        assert!(parse(&d, 99, n, &mut ops).is_err());
        assert!(parse(&d[..d.len() - 1], 100, n, &mut ops).is_err());
        assert!(parse(&[100, 1, 0], 100, 1, &mut ops).is_err());
    }

    #[test]
    fn joins_contiguous_copies() {
        let (d, n) = encode(100, &[(true, 0, 40, b""), (true, 40, 60, b"")]);
        let mut ops = Vec::new();
        parse(&d, 100, n, &mut ops).unwrap();
        assert_eq!(
            ops,
            vec![Op::Copy {
                t: 0,
                b: 0,
                len: 100
            }]
        );
    }

    #[test]
    fn dirty_lines_cover_edits_and_ends() {
        let base = b"l1\nl2\nl3\nl4\nl5\nl6\n";
        // target: l1..l3 copied, "new\n" inserted, l4..l6 copied.
        let target = b"l1\nl2\nl3\nnew\nl4\nl5\nl6\n";
        let ops = [
            Op::Copy { t: 0, b: 0, len: 9 },
            Op::Insert { t: 9, len: 4 },
            Op::Copy {
                t: 13,
                b: 9,
                len: 9,
            },
        ];
        assert_eq!(&target[13..], &base[9..]);
        let mut dirty = Vec::new();
        dirty_lines(target, &ops, &mut dirty);
        // l1 (starts the first copy), new, l4 (starts the second); l2, l3, l5, l6 are
        // whole lines of the base.
        assert_eq!(dirty, vec![(0, 3), (9, 16)]);
        // A copy that ends inside a line leaves that line dirty.
        let ops = [Op::Copy { t: 0, b: 0, len: 5 }, Op::Insert { t: 5, len: 4 }];
        dirty_lines(b"l1\nl2xxx\n", &ops, &mut dirty);
        assert_eq!(dirty, vec![(0, 9)]);
    }

    #[test]
    fn dirty_lines_on_one_long_line_stay_linear() {
        let target = vec![b'a'; 1 << 20];
        let ops: Vec<Op> = (0..(1 << 20) / 16)
            .map(|i| Op::Insert { t: i * 16, len: 16 })
            .collect();
        let mut dirty = Vec::new();
        dirty_lines(&target, &ops, &mut dirty);
        assert_eq!(dirty, vec![(0, 1 << 20)]);
    }

    #[test]
    fn inherits_only_clean_lines() {
        let cand = |start, end| Candidate {
            m: RawMatch {
                rule: 0,
                start,
                end,
                secret_start: start + 1,
                secret_end: end,
            },
            context_ok: true,
        };
        let base = [cand(3, 5), cand(12, 14)];
        let ops = [
            Op::Copy { t: 0, b: 0, len: 9 },
            Op::Insert { t: 9, len: 4 },
            Op::Copy {
                t: 13,
                b: 9,
                len: 9,
            },
        ];
        let dirty = [(0, 3), (6, 16), (19, 22)];
        let mut out = Vec::new();
        inherit(&base, &ops, &dirty, &mut out);
        // base 3..5 -> target 3..5 (l2, clean); base 12..14 -> target 16..18 (l5, clean).
        assert_eq!(
            out,
            vec![cand(3, 5), {
                let mut c = cand(16, 18);
                c.m.secret_start = 17;
                c
            }]
        );
        let dirty = [(0, 6)];
        inherit(&base, &ops, &dirty, &mut out);
        assert_eq!(out.len(), 1);
    }

    fn fuzz_one(delta: &[u8], base_len: usize, target_len: usize) {
        if let Err(broken) = check_invariants(delta, base_len, target_len) {
            panic!("{broken}");
        }
    }

    #[test]
    fn random_and_mutated_deltas_keep_the_fuzz_target_invariants() {
        // The fuzz target's checks on generated deltas, then on the same bytes truncated,
        // flipped, spliced and with lying sizes (libFuzzer explores further; this runs
        // everywhere). KEYTRACE_FUZZ_ITERS runs longer.
        let iters: usize = std::env::var("KEYTRACE_FUZZ_ITERS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(20_000);
        let mut x: u64 = 0x6465_6c74_6166_757a;
        let mut next = |n: usize| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((x >> 33) as usize) % n.max(1)
        };
        let lit = [b'a'; 127];
        for _ in 0..iters {
            let base_len = next(300);
            let mut ops = Vec::new();
            for _ in 0..next(6) {
                if base_len > 0 && next(2) == 0 {
                    let off = next(base_len);
                    ops.push((true, off, 1 + next(base_len - off), &lit[..0]));
                } else {
                    ops.push((false, 0, 0, &lit[..1 + next(126)]));
                }
            }
            let (mut d, mut target_len) = encode(base_len, &ops);
            fuzz_one(&d, base_len, target_len);
            for _ in 0..1 + next(3) {
                match next(6) {
                    0 if !d.is_empty() => d.truncate(next(d.len())),
                    1 if !d.is_empty() => {
                        let i = next(d.len());
                        d[i] ^= 1 << next(8);
                    }
                    2 => {
                        let i = next(d.len() + 1);
                        d.insert(i, next(256) as u8);
                    }
                    3 => target_len = next(600),
                    4 if !d.is_empty() => {
                        // A copy opcode with every argument byte, at a random place.
                        let i = next(d.len());
                        d.splice(i..i, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x01]);
                    }
                    _ => d.push(0),
                }
                fuzz_one(&d, base_len, target_len);
                fuzz_one(&d, next(300), target_len);
            }
        }
    }
}
