//! Suppression files: `.keytrace/ignore.toml`, `.gitleaksignore` and a baseline. The first
//! byte picks the parser so one corpus covers all three.
#![no_main]

use keytrace::date::Date;
use keytrace::suppress::{baseline, gitleaksignore, ignore};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    match which % 3 {
        0 => {
            let today = Date::new(2026, 6, 1).expect("a valid date");
            let _ = ignore::parse("ignore.toml", text, today);
        }
        1 => {
            let _ = gitleaksignore::parse(".gitleaksignore", text);
        }
        _ => {
            let _ = baseline::parse("baseline.json", text);
        }
    }
});
