use super::super::records::{decode_record, EntryList};
use super::super::treediff::tests::tree;
use super::*;

/// Records a tree as the pack traversal does, its base's entry starts from a parse.
fn record(b: &Builder, s: &mut TreeScratch, n: u32, data: &[u8], base: Option<(u32, &[u8])>) {
    let mut starts = Vec::new();
    if let Some((_, d)) = base {
        parse(d, 20, &mut Vec::new(), &mut starts).unwrap();
    }
    let base = base.map(|(bn, d)| {
        (
            bn,
            Base {
                data: d,
                starts: &starts,
            },
        )
    });
    assert!(b.tree(s, n, data, base));
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
    let n = |i: u8| b.objects.get(&id(i)).expect("numbered");
    record(&b, &mut s, n(10), &t10, None);
    record(&b, &mut s, n(11), &t11, None);
    record(&b, &mut s, n(12), &t12, Some((n(10), &t10)));
    record(&b, &mut s, n(13), &t13, Some((n(12), &t12)));
    record(&b, &mut s, n(14), &t12, Some((n(12), &t12)));
    let (blob, r10, r12, r13, r14) = (n(1), n(10), n(12), n(13), n(14));
    let g = b.finish();
    assert!(g.complete().is_ok());
    let roots: NumberSet<u32> = [r10, r12, r13, r14].into_iter().collect();
    let located = locate(&g, &[blob], &roots, 2, &Default::default());
    assert!(!located.cycle);
    let sorted = |t: u32| {
        let mut v: Vec<String> = located.at(t).map(|(_, p)| p.to_string()).collect();
        v.sort();
        v
    };
    assert_eq!(sorted(r10), ["sub/y", "x"]);
    assert_eq!(sorted(r12), ["sub/y"]);
    assert_eq!(sorted(r13), ["sub/y", "x"]);
    assert_eq!(sorted(r14), ["sub/y"]);
}

#[test]
fn a_tree_named_by_a_blob_entry_makes_the_graph_give_up() {
    // libFuzzer's find (2026-12-07, `tree_graph`): tree 4 names object 0 in a blob entry
    // (`100644 n148`), and object 0 is also a tree holding tree 10 at `n0`. The upward walk
    // went through the blob entry (`n148/n0`), which no downward walk does; ids that lie
    // about their type now make the graph incomplete (provenance then reads the trees).
    super::fuzz(&[
        0x94, 0x94, 0x94, 0x00, 0xFF, 0x00, 0x00, 0x00, 0x2A, 0x2A, 0x03,
    ]);
}

#[test]
fn fuzz_entry_agrees_with_the_downward_walk_on_random_histories() {
    // What the fuzz target runs, on a deterministic stream of inputs (cargo-fuzz is
    // not needed for this much): trees as deltas of trees, raw and malformed bytes.
    let mut x: u64 = 0x6772_6170_6866_757a;
    // KEYTRACE_FUZZ_ITERS runs longer (when libFuzzer is not at hand).
    let iters: usize = std::env::var("KEYTRACE_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    for _ in 0..iters {
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
fn records_decode_to_what_was_encoded_across_chunks() {
    // Random records (sizes from empty to larger than a chunk, numbers near every
    // varint length boundary), appended to an arena, read back through the object
    // locations and by scanning the chunks as `adders` does.
    let mut x: u64 = 0x7265_636f_7264_7321;
    let mut next = move || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        x >> 33
    };
    let objects = 3000u32;
    let mut arena = Arena {
        chunks: Vec::new(),
        slots: Vec::new(),
        next_slot: 0,
        room: 0,
        at: vec![NONE; objects as usize],
        added: 0,
        dropped: 0,
    };
    let number = |r: u64| -> u32 {
        match r % 4 {
            0 => (r >> 2) as u32 % 128,
            1 => (r >> 2) as u32 % (1 << 14) + 120,
            2 => u32::MAX - (r >> 2) as u32 % 300,
            _ => (r >> 2) as u32,
        }
    };
    let mut want: HashMap<u32, (EntryList, EntryList)> = HashMap::new();
    let mut buf = Vec::new();
    for tree in 0..objects {
        if next() % 5 == 0 {
            continue;
        }
        let len = |r: u64| match r % 50 {
            0 => 40_000 + (r >> 8) as usize % 200_000,
            1..=10 => 0,
            _ => (r >> 8) as usize % 40,
        };
        let (dropped_len, added_len) = (len(next()), len(next()));
        let mut list = |n: usize| {
            let mut v: Vec<(u32, u32)> = (0..n).map(|_| (number(next()), number(next()))).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let dropped = list(dropped_len);
        let added = list(added_len);
        buf.clear();
        encode_record(&mut buf, tree, &dropped, &added);
        arena.push(tree, &buf).unwrap();
        want.insert(tree, (dropped, added));
    }
    assert!(arena.chunks.len() > 2, "records spread over several chunks");
    let mut graph = Builder::new(Vec::new(), gix::hash::Kind::Sha1).finish();
    graph.chunks = arena.chunks;
    graph.slots = arena.slots;
    graph.at = arena.at;
    for tree in 0..objects {
        match (graph.record(tree), want.get(&tree)) {
            (Some((bytes, pos)), Some((dropped, added))) => {
                let (t, d, a, _) = decode_record(bytes, pos);
                assert_eq!((t, &d, &a), (tree, dropped, added), "tree {tree}");
                // `drops` reads the list from its start: a sample of each list keeps
                // the test linear in the records' size.
                for &(child, name) in dropped.iter().step_by(dropped.len() / 32 + 1) {
                    assert!(graph.drops(tree, child, name));
                }
            }
            (None, None) => {}
            (got, _) => panic!("tree {tree}: record {:?}", got.map(|g| g.1)),
        }
    }
    let mut scanned = 0;
    for bytes in &graph.chunks {
        let mut pos = 0;
        while pos < bytes.len() {
            let (t, d, a, end) = decode_record(bytes, pos);
            let h = record_header(bytes, pos);
            let after = skip_varints(bytes, h.body, 2 * h.dropped as usize);
            let skipped: Vec<_> = Entries::new(bytes, after, h.added).collect();
            assert_eq!(skipped, a);
            assert_eq!(want.get(&t), Some(&(d, a)));
            pos = end;
            scanned += 1;
        }
    }
    assert_eq!(scanned, want.len());
    // The scan for adders, on one thread and on three.
    let mut wanted = vec![0u64; (objects as usize).div_ceil(64)];
    for n in (0..objects).step_by(3) {
        wanted[n as usize / 64] |= 1 << (n % 64);
    }
    let mut expected: Vec<(u32, u32, u32)> = want
        .iter()
        .flat_map(|(&t, (_, a))| a.iter().map(move |&(c, n)| (c, t, n)))
        .filter(|&(c, _, _)| c < objects && c % 3 == 0)
        .collect();
    expected.sort_unstable();
    assert!(!expected.is_empty());
    assert_eq!(graph.adders(&wanted, 1), expected);
    assert_eq!(graph.adders(&wanted, 3), expected);
}

#[test]
fn a_cycle_in_the_tree_graph_is_cut() {
    // Tree 10 holds itself (possible only when object ids lie).
    let b = Builder::new(vec![id(1), id(10)], gix::hash::Kind::Sha1);
    let mut s = TreeScratch::default();
    let t = tree(&[("40000", "loop", 10), ("100644", "k", 1)]);
    let ten = b.objects.get(&id(10)).expect("numbered");
    let one = b.objects.get(&id(1)).expect("numbered");
    record(&b, &mut s, ten, &t, None);
    let g = b.finish();
    let roots: NumberSet<u32> = [ten].into_iter().collect();
    let located = locate(&g, &[one], &roots, 1, &Default::default());
    assert!(located.cycle);
    assert!(located.at(ten).any(|(_, p)| p == "k"));
    assert!(located.at(ten).any(|(_, p)| p == "loop/k"));
}
