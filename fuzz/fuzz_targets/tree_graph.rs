//! History's tree graph (`source::git::history`): trees recorded as deltas of other trees,
//! malformed tree bytes, entries that name missing objects, cycles (which only lying object
//! ids make possible). The upward walk must agree with a plain downward walk whenever the
//! input is well formed, and never panic or loop when it is not.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    keytrace::source::git::history::fuzz_tree_graph(data);
});
