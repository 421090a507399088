//! Rule files (`patterns/*.toml`, user rule files): parsing must return a rule list or an
//! error naming the file, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = keytrace::rules::parse_rule_file("fuzz.toml", text);
    }
});
