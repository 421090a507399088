//! The NHI manifest (`.keytrace/identities.toml`), parsed and linted with the built-in
//! rules (the "no secret in the manifest" check runs the matcher on it too).
#![no_main]

use std::sync::OnceLock;

use keytrace::engine::Engine;
use keytrace::matcher::MatchOptions;
use keytrace::rules::RulePack;
use libfuzzer_sys::fuzz_target;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::new(
            RulePack::builtin(),
            MatchOptions::default(),
            None,
            Vec::new(),
        )
        .expect("the built-in pack builds")
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = keytrace::nhi::manifest::parse_manifest("identities.toml", text, None);
        let _ = keytrace::nhi::manifest::parse_manifest(
            "identities.toml",
            text,
            Some(&keytrace::config::ManifestScanner(engine())),
        );
    }
});
