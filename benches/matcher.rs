//! Matcher throughput with the full built-in pack, on generated source-like text with a
//! known number of planted secrets (asserted, so a speed-up that changes results fails),
//! and optionally on a real directory (`KEYTRACE_BENCH_DIR=/path`, e.g. a git/git checkout).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use keytrace::engine::Engine;
use keytrace::matcher::MatchOptions;
use keytrace::rules::RulePack;

/// A tiny deterministic generator (xorshift), so the corpus is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
    fn token(&mut self, n: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..n)
            .map(|_| ALPHABET[(self.next() % 62) as usize] as char)
            .collect()
    }
}

/// About `size` bytes of code-like text with `secrets` planted GitHub tokens.
fn corpus(size: usize, secrets: usize) -> Vec<u8> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let words = [
        "fn",
        "let",
        "return",
        "if",
        "else",
        "for",
        "while",
        "struct",
        "impl",
        "self",
        "token",
        "tokens",
        "key",
        "value",
        "password_hash",
        "config",
        "request",
        "response",
        "buffer",
        "index",
        "len",
        "error",
        "Result",
        "Option",
        "match",
        "secret_name",
        "api",
        "client",
        "auth",
        "session",
        "user",
        "path",
        "file",
        "data",
        "parse",
        "string",
        "bytes",
    ];
    let mut out = String::with_capacity(size + 1024);
    let every = size / secrets.max(1);
    let mut next_secret = every / 2;
    let mut planted = 0;
    while out.len() < size {
        let indent = (rng.next() % 4) as usize * 4;
        out.push_str(&" ".repeat(indent));
        let n = 3 + rng.next() % 9;
        for i in 0..n {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(rng.pick(&words));
            if rng.next() % 7 == 0 {
                out.push_str(&format!("({})", rng.pick(&words)));
            }
        }
        if planted < secrets && out.len() >= next_secret {
            // A valid checksum: the GitHub rules reject look-alikes.
            let body = rng.token(30);
            let check = keytrace::matcher::checksum::github_checksum(body.as_bytes());
            out.push_str(&format!(
                " // ghp_{body}{}",
                String::from_utf8_lossy(&check)
            ));
            planted += 1;
            next_secret += every;
        }
        out.push_str(";\n");
    }
    assert_eq!(planted, secrets, "corpus too small for the planted secrets");
    out.into_bytes()
}

fn engine() -> Engine {
    Engine::new(
        RulePack::builtin(),
        MatchOptions::default(),
        None,
        Vec::new(),
    )
    .expect("the built-in pack builds")
}

/// The engine with decoding off (`--decode-depth 0`), to measure what decoding costs in
/// the same run, under the same load.
fn engine_without_decoding() -> Engine {
    engine().with_decode_depth(0)
}

fn bench_generated(c: &mut Criterion) {
    let engine = engine();
    let data = corpus(16 << 20, 64);
    let mut worker = engine.worker();
    worker.scan(
        &data,
        "gen.rs",
        keytrace::finding::SourceKind::Worktree,
        None,
    );
    let out = std::mem::take(&mut worker.out);
    assert_eq!(
        out.len(),
        64,
        "planted secrets found: {:?}",
        out.iter().map(|f| &f.rule_id).collect::<Vec<_>>()
    );
    let mut group = c.benchmark_group("matcher");
    group.throughput(Throughput::Bytes(data.len() as u64));
    group.sample_size(20);
    group.bench_function("generated-16MiB-full-pack", |b| {
        b.iter(|| {
            worker.out.clear();
            worker.scan(
                black_box(&data),
                "gen.rs",
                keytrace::finding::SourceKind::Worktree,
                None,
            );
            assert_eq!(worker.out.len(), 64);
        })
    });
    let plain = engine_without_decoding();
    let mut plain_worker = plain.worker();
    group.bench_function("generated-16MiB-full-pack-decode-off", |b| {
        b.iter(|| {
            plain_worker.out.clear();
            plain_worker.scan(
                black_box(&data),
                "gen.rs",
                keytrace::finding::SourceKind::Worktree,
                None,
            );
            assert_eq!(plain_worker.out.len(), 64);
        })
    });
    group.finish();
}

fn bench_directory(c: &mut Criterion) {
    let Some(dir) = std::env::var_os("KEYTRACE_BENCH_DIR") else {
        return;
    };
    let engine = engine();
    let mut files = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(&dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() && e.file_name() != ".git" => stack.push(p),
                Ok(t) if t.is_file() => {
                    if let Ok(b) = std::fs::read(&p) {
                        if !keytrace::engine::looks_binary(&b) {
                            files.push(b);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let total: usize = files.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group("matcher");
    group.throughput(Throughput::Bytes(total as u64));
    group.sample_size(10);
    for (name, engine) in [
        ("directory-one-core", engine),
        ("directory-one-core-decode-off", engine_without_decoding()),
    ] {
        let mut worker = engine.worker();
        group.bench_function(name, |b| {
            b.iter(|| {
                worker.out.clear();
                for f in &files {
                    worker.scan(
                        black_box(f),
                        "f",
                        keytrace::finding::SourceKind::Worktree,
                        None,
                    );
                }
            })
        });
        eprintln!("{name}: {} findings", worker.out.len());
    }
    group.finish();
}

fn bench_startup(c: &mut Criterion) {
    c.bench_function("startup/builtin-pack-and-automaton", |b| {
        b.iter(|| black_box(engine()))
    });
}

criterion_group!(benches, bench_generated, bench_directory, bench_startup);
criterion_main!(benches);
