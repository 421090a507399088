//! The matcher over the built-in rule pack on arbitrary bytes (invalid UTF-8, NULs, huge
//! lines): no panic, and every finding's span lies inside the input.
#![no_main]

use std::sync::OnceLock;

use keytrace::finding::SourceKind;
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
    let engine = engine();
    let mut worker = engine.worker();
    worker.scan(data, "fuzz/input.env", SourceKind::Worktree, None);
    let findings = worker.out;
    for f in &findings {
        assert!(f.line >= 1, "line numbers are 1-based");
        assert!(
            f.secret_bytes.expose().len() <= data.len(),
            "a secret lies inside the input"
        );
    }
});
