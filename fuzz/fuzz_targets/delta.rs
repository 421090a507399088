//! Pack delta instructions (`source::git::delta`): truncated and lying copy and insert
//! opcodes, sizes that disagree with the base or the target. A delta that parses must
//! describe the target exactly (instructions in order, covering it once, copies inside the
//! base), and the dirty-line and inheritance passes must accept it.
#![no_main]

use keytrace::source::git::delta::{self, Op};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let base_len = usize::from(u16::from_le_bytes([data[0], data[1]]));
    let target_len = usize::from(u16::from_le_bytes([data[2], data[3]]));
    let body = &data[4..];
    let mut ops = Vec::new();
    if delta::parse(body, base_len, target_len, &mut ops).is_err() {
        return;
    }
    let mut at = 0;
    for op in &ops {
        match *op {
            Op::Copy { t, b, len } => {
                assert_eq!(t, at, "instructions out of order");
                assert!(b + len <= base_len, "copy outside the base");
                at += len;
            }
            Op::Insert { t, len } => {
                assert_eq!(t, at, "instructions out of order");
                at += len;
            }
        }
    }
    assert_eq!(at, target_len, "the instructions do not build the target");
    // A target with a line break every few bytes, so lines are dirty and clean.
    let target: Vec<u8> = (0..target_len)
        .map(|i| if i % 7 == 6 { b'\n' } else { b'x' })
        .collect();
    let mut dirty = Vec::new();
    delta::dirty_lines(&target, &ops, &mut dirty);
    for &(a, b) in &dirty {
        assert!(a <= b && b <= target_len, "dirty range outside the target");
    }
    let mut inherited = Vec::new();
    delta::inherit(&[], &ops, &dirty, &mut inherited);
});
