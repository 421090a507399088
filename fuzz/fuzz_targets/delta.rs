//! Pack delta instructions (`source::git::delta`): truncated and lying copy and insert
//! opcodes, sizes that disagree with the base or the target. A delta that parses must
//! describe the target exactly (instructions in order, covering it once, copies inside the
//! base), and the dirty-line and inheritance passes must accept it.
#![no_main]

use keytrace::source::git::delta;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let base_len = usize::from(u16::from_le_bytes([data[0], data[1]]));
    let target_len = usize::from(u16::from_le_bytes([data[2], data[3]]));
    if let Err(broken) = delta::check_invariants(&data[4..], base_len, target_len) {
        panic!("{broken}");
    }
});
