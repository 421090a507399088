//! Importing a gitleaks config (`.gitleaks.toml`): rules with RE2 regexes, secretGroup,
//! allowlists. Bad rules become problems; nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = keytrace::config::gitleaks::parse("gitleaks.toml", text);
    }
});
