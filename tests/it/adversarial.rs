//! Hostile inputs (issue 7): huge and binary files, hostile file names, special files,
//! many and deep files, pathological lines, broken git object databases, huge manifests
//! and finding counts, Ctrl-C, and a check that no command or format leaks a secret.
//!
//! Everything is generated in temp dirs. Sizes are scaled for a debug build on two cores
//! where the point is linear behaviour rather than the size itself (each test says so).
//! Already covered in `git.rs` and not repeated here: shallow clones
//! (`shallow_clone_scans_what_is_there_and_missing_base_says_fetch`), submodules, LFS
//! pointers, binary and huge blobs (`submodules_lfs_binary_and_huge_blobs_are_skipped_and_counted`),
//! a corrupt loose object (`corrupt_object_is_named_and_the_scan_goes_on`).

use std::io::Write as _;
use std::os::unix::ffi::OsStrExt as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::git::{git_in, Repo};
use super::{bin, keytrace, secrets, write_files, Run};

/// Runs keytrace and fails the test (killing it) if it has not finished in `limit`: a hang
/// is a bug this suite looks for.
fn keytrace_within(dir: &Path, args: &[&str], limit: Duration) -> Run {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn keytrace");
    // Drain the pipes on threads so a large report cannot block the child.
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut v).ok();
        v
    });
    let err_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut v).ok();
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            panic!("keytrace {args:?} hung for more than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out_t.join().expect("stdout thread")).into_owned(),
        stderr: String::from_utf8_lossy(&err_t.join().expect("stderr thread")).into_owned(),
    }
}

/// `n` distinct, high-entropy GitHub classic PAT shapes (deterministic).
fn distinct_pats(n: usize) -> Vec<String> {
    const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..n)
        .map(|_| {
            let body: String = (0..30)
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    ALPHA[(state >> 33) as usize % ALPHA.len()] as char
                })
                .collect();
            let check = keytrace::matcher::checksum::github_checksum(body.as_bytes());
            format!("ghp_{body}{}", String::from_utf8_lossy(&check))
        })
        .collect()
}

fn line(secret: &str) -> String {
    format!("GITHUB_TOKEN={secret}\n")
}

/// Whether this process runs as root (file modes do not stop root from reading).
fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt as _;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

#[test]
fn oversized_one_line_files_are_skipped_and_counted_or_scanned_when_allowed() {
    let dir = tempfile::tempdir().unwrap();
    // 200 MB, one line, sparse (the size check comes before any read, so it costs nothing).
    let huge = std::fs::File::create(dir.path().join("huge.bin")).unwrap();
    huge.set_len(200_000_000).unwrap();
    write_files(dir.path(), &[("small.env", &line(&secrets::github_pat()))]);
    let run = keytrace_within(
        dir.path(),
        &["scan", ".", "--format", "json"],
        Duration::from_secs(30),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.findings().len(), 1, "the small file is still scanned");
    assert!(
        run.stderr.contains("1 over the size limit"),
        "skipped and counted: {}",
        run.stderr
    );

    // 60 MB on one line with the secret at its very end, scanned with a larger limit.
    let dir = tempfile::tempdir().unwrap();
    let mut f =
        std::io::BufWriter::new(std::fs::File::create(dir.path().join("one.line")).unwrap());
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..60 {
        f.write_all(&chunk).unwrap();
    }
    write!(f, " GITHUB_TOKEN={}", secrets::github_pat()).unwrap();
    f.flush().unwrap();
    drop(f);
    let run = keytrace_within(
        dir.path(),
        &["scan", ".", "--format", "json"],
        Duration::from_secs(60),
    );
    assert_eq!(run.code, 0, "over the default 50 MiB limit: {}", run.stderr);
    assert!(
        run.stderr.contains("1 over the size limit"),
        "{}",
        run.stderr
    );
    let run = keytrace_within(
        dir.path(),
        &[
            "scan",
            ".",
            "--format",
            "json",
            "--max-file-size",
            "100000000",
        ],
        Duration::from_secs(60),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let findings = run.findings();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["line"], 1);
    assert_eq!(findings[0]["path"], "one.line");
}

#[test]
fn binary_files_are_skipped_by_default_and_scanned_with_scan_binaries() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = b"\x7fELF\x02\x01\x01\0\0\0\0".to_vec();
    data.extend_from_slice(line(&secrets::github_pat()).as_bytes());
    data.extend_from_slice(&[0, 1, 2, 3, 255]);
    std::fs::write(dir.path().join("app.bin"), &data).unwrap();
    let run = keytrace(dir.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("skipped 1 binary"), "{}", run.stderr);
    let run = keytrace(
        dir.path(),
        &["scan", ".", "--format", "json", "--scan-binaries"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.findings().len(), 1);
}

#[test]
fn invalid_utf8_content_and_file_names() {
    let dir = tempfile::tempdir().unwrap();
    // Invalid UTF-8 around the secret, no NUL (so not binary).
    let mut data = vec![0xff, 0xfe, 0xc3, b'\n'];
    data.extend_from_slice(format!("TOKEN={} \u{fffd}", secrets::github_pat()).as_bytes());
    data.extend_from_slice(&[0xc0, 0xaf, b'\n']);
    std::fs::write(dir.path().join("latin1.env"), &data).unwrap();
    // A file name that is not UTF-8.
    let name = std::ffi::OsStr::from_bytes(b"bad\xffname.env");
    std::fs::write(dir.path().join(name), line(&secrets::stripe_live())).unwrap();
    let run = keytrace(dir.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let findings = run.findings();
    let mut paths: Vec<&str> = findings
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    paths.sort();
    assert_eq!(paths, vec!["bad\u{fffd}name.env", "latin1.env"]);
    let latin = findings.iter().find(|f| f["path"] == "latin1.env").unwrap();
    assert_eq!(latin["line"], 2);
    for format in ["text", "jsonl", "sarif", "github", "markdown"] {
        let run = keytrace(dir.path(), &["scan", ".", "--format", format]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
    }
}

#[test]
fn hostile_file_names_are_escaped_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "new\nline.env",
        "tab\there.env",
        "ansi\x1b[2J\x1b]0;pwned\x07.env",
        "cr\rreturn.env",
    ];
    for n in names {
        write_files(dir.path(), &[(n, &line(&secrets::github_pat()))]);
    }
    let run = keytrace(dir.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut paths: Vec<String> = run
        .findings()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    paths.sort();
    let mut want: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(paths, want, "JSON carries the exact name, escaped as JSON");
    for format in ["text", "jsonl", "sarif", "github", "markdown"] {
        let run = keytrace(dir.path(), &["scan", ".", "--format", format]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        for out in [&run.stdout, &run.stderr] {
            assert!(
                !out.contains('\x1b') && !out.contains('\x07') && !out.contains('\r'),
                "{format}: a raw control character was printed: {out:?}"
            );
        }
        match format {
            "jsonl" => {
                assert_eq!(
                    run.stdout.lines().count(),
                    names.len(),
                    "{format}: one line each"
                );
                for l in run.stdout.lines() {
                    serde_json::from_str::<Value>(l).expect("each line is JSON");
                }
            }
            "sarif" => {
                serde_json::from_str::<Value>(&run.stdout).expect("SARIF is JSON");
            }
            "text" => assert!(run.stdout.contains("new\\nline.env"), "{}", run.stdout),
            _ => {}
        }
    }
}

#[test]
fn symlink_loops_and_device_links_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("real/a.env", &line(&secrets::github_pat()))]);
    let d = dir.path();
    std::os::unix::fs::symlink("loop_b", d.join("loop_a")).unwrap();
    std::os::unix::fs::symlink("loop_a", d.join("loop_b")).unwrap();
    std::os::unix::fs::symlink(".", d.join("real/self")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", d.join("zero.env")).unwrap();
    std::os::unix::fs::symlink("/dev/urandom", d.join("random.env")).unwrap();
    let run = keytrace_within(
        d,
        &["scan", ".", "--format", "json"],
        Duration::from_secs(30),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.findings().len(), 1);
    assert!(
        !run.stderr.contains("error"),
        "links are skipped, not errors: {}",
        run.stderr
    );
}

#[test]
fn fifos_and_sockets_are_skipped_counted_and_never_block() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("a.env", &line(&secrets::github_pat()))]);
    let fifo = dir.path().join("pipe.env");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("run mkfifo");
    assert!(made.success());
    let _socket = std::os::unix::net::UnixListener::bind(dir.path().join("sock.env")).unwrap();
    let run = keytrace_within(
        dir.path(),
        &["scan", ".", "--format", "json"],
        Duration::from_secs(30),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.findings().len(), 1);
    assert!(run.stderr.contains("skipped 2 other"), "{}", run.stderr);
}

#[test]
fn unreadable_files_and_directories_exit_two_and_the_rest_is_scanned() {
    if running_as_root() {
        // Root reads mode-000 files; the symlink-loop case in worktree.rs
        // (`unreadable_input_exits_two_and_the_rest_is_scanned`) covers a read error there.
        eprintln!("skipped: running as root, file modes do not block reads");
        return;
    }
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("ok.env", &line(&secrets::github_pat())),
            ("locked.env", &line(&secrets::stripe_live())),
            ("closed/inner.env", &line(&secrets::stripe_live())),
        ],
    );
    let set = |p: &str, mode| {
        std::fs::set_permissions(dir.path().join(p), std::fs::Permissions::from_mode(mode)).unwrap()
    };
    set("locked.env", 0o000);
    set("closed", 0o000);
    let run = keytrace(dir.path(), &["scan", ".", "--format", "json"]);
    set("closed", 0o755);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("locked.env"), "{}", run.stderr);
    assert!(run.stderr.contains("closed"), "{}", run.stderr);
    assert_eq!(
        run.findings().len(),
        1,
        "the readable file is still reported"
    );
}

#[test]
fn many_small_files_and_deep_directories() {
    // 20,000 files rather than 100,000: this runs in a debug build on two cores; the walk
    // is per file, so five times as many is five times the time.
    const FILES: usize = 20_000;
    let dir = tempfile::tempdir().unwrap();
    let pats = distinct_pats(10);
    for i in 0..FILES {
        let sub = dir.path().join(format!("d{:03}", i % 200));
        if i < 200 {
            std::fs::create_dir(&sub).unwrap();
        }
        let body = if i % 2000 == 0 {
            line(&pats[i / 2000])
        } else {
            format!("value_{i} = 1\n")
        };
        std::fs::write(sub.join(format!("f{i}.txt")), body).unwrap();
    }
    // 50 levels deep, a secret at the bottom.
    let mut deep = dir.path().to_path_buf();
    for i in 0..50 {
        deep.push(format!("level{i:02}"));
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("bottom.env"), line(&secrets::stripe_live())).unwrap();
    let run = keytrace_within(
        dir.path(),
        &["scan", ".", "--format", "json"],
        Duration::from_secs(120),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("scanned {} files", FILES + 1)),
        "{}",
        run.stderr
    );
    let findings = run.findings();
    assert_eq!(findings.len(), 11, "no finding lost");
    assert!(findings
        .iter()
        .any(|f| f["path"].as_str().unwrap().ends_with("level49/bottom.env")));
}

#[test]
fn a_line_of_candidate_keywords_costs_linear_time() {
    // Many keyword hits on one line, none a real secret: every hit is a candidate whose
    // regex runs in a window. 100k vs 1M hits must cost about 10x, not 100x.
    let dir = tempfile::tempdir().unwrap();
    let unit = "ghp_ AKIA password= sk_live_ xoxb- ";
    let make = |n: usize, name: &str| {
        let mut s = String::with_capacity(unit.len() * n / 5 + 16);
        for _ in 0..n / 5 {
            s.push_str(unit);
        }
        s.push('\n');
        std::fs::write(dir.path().join(name), s).unwrap();
    };
    make(100_000, "small.txt");
    make(1_000_000, "large.txt");
    let time = |name: &str| {
        let start = Instant::now();
        let run = keytrace_within(
            dir.path(),
            &["scan", name, "--max-file-size", "100000000"],
            Duration::from_secs(120),
        );
        assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
        start.elapsed()
    };
    // Warm the page cache and the binary.
    time("small.txt");
    let small = time("small.txt");
    let large = time("large.txt");
    let ratio = large.as_secs_f64() / small.as_secs_f64();
    eprintln!("100k keywords: {small:?}, 1M keywords: {large:?}, ratio {ratio:.1}");
    assert!(ratio < 20.0, "superlinear: {small:?} vs {large:?}");
}

/// Commits files and packs them, then commits `loose` as loose objects.
fn packed_then_loose(repo: &Repo, packed: &[(&str, &str)], loose: &[(&str, &str)]) {
    repo.commit(packed, "packed");
    repo.git(&["gc", "-q"]);
    repo.commit(loose, "loose");
}

#[test]
fn truncated_pack_is_named_exit_two_and_loose_objects_still_scanned() {
    let repo = Repo::new();
    let pats = distinct_pats(2);
    let filler: String = (0..2000).map(|i| format!("filler line {i}\n")).collect();
    packed_then_loose(
        &repo,
        &[("packed.env", &line(&pats[0])), ("filler.txt", &filler)],
        &[("loose.env", &line(&pats[1]))],
    );
    let pack_dir = repo.dir.join(".git/objects/pack");
    let pack = std::fs::read_dir(&pack_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pack"))
        .expect("gc wrote a pack");
    let len = std::fs::metadata(&pack).unwrap().len();
    let f = std::fs::OpenOptions::new().write(true).open(&pack).unwrap();
    f.set_len(len / 2).unwrap();
    drop(f);
    let run = keytrace_within(
        &repo.dir,
        &["scan", "--history", "--format", "json"],
        Duration::from_secs(60),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let pack_name = pack.file_stem().unwrap().to_string_lossy().into_owned();
    assert!(
        run.stderr.contains(&pack_name),
        "the pack is named: {}",
        run.stderr
    );
    let json: Value = serde_json::from_str(&run.stdout).expect("the report is still JSON");
    let secrets_found: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(
        secrets_found.contains(&"loose.env"),
        "the loose object is still scanned: {secrets_found:?}\n{}",
        run.stderr
    );
}

#[test]
fn missing_object_is_reported_not_fatal() {
    let repo = Repo::new();
    let pats = distinct_pats(2);
    repo.commit(&[("keep.env", &line(&pats[0]))], "keep");
    repo.commit(&[("gone.txt", "this blob will vanish\n")], "gone");
    let id = repo.git(&["rev-parse", "HEAD:gone.txt"]).trim().to_owned();
    std::fs::remove_file(repo.dir.join(".git/objects").join(&id[..2]).join(&id[2..])).unwrap();
    // History: the blob pass reads what exists; the missing blob holds nothing to find.
    let run = keytrace_within(
        &repo.dir,
        &["scan", "--history", "--format", "json"],
        Duration::from_secs(60),
    );
    assert!(run.code == 1 || run.code == 2, "{}", run.stderr);
    assert_eq!(run.findings().len(), 1, "{}", run.stderr);
    // Range: the commit that adds the missing blob cannot be read: exit 2, named.
    let first = repo.git(&["rev-parse", "HEAD~1"]).trim().to_owned();
    let run = keytrace_within(
        &repo.dir,
        &["scan", "--range", &format!("{first}..HEAD")],
        Duration::from_secs(60),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("gone.txt") || run.stderr.contains(&id),
        "{}",
        run.stderr
    );
}

#[test]
fn manifest_with_ten_thousand_identities() {
    let dir = tempfile::tempdir().unwrap();
    let mut m = String::from("version = 1\n");
    for i in 0..10_000 {
        m.push_str(&format!(
            "\n[[identity]]\nid = \"svc-{i}\"\nkind = \"service-account\"\nowner = \"team-{}\"\npurpose = \"p\"\nreview = {{ last_reviewed = 2026-10-15 }}\n  [[identity.credential]]\n  match = {{ paths = [\"svc{i}/**\"] }}\n",
            i % 50
        ));
    }
    write_files(
        dir.path(),
        &[
            (".keytrace/identities.toml", &m),
            ("svc9999/a.env", &line(&secrets::github_pat())),
            ("other/b.env", &line(&secrets::stripe_live())),
        ],
    );
    let run = keytrace_within(
        dir.path(),
        &["scan", ".", "--format", "json"],
        Duration::from_secs(60),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let findings = run.findings();
    assert_eq!(findings.len(), 2);
    let owned = findings
        .iter()
        .find(|f| f["path"] == "svc9999/a.env")
        .unwrap();
    assert_eq!(owned["identity"]["id"], "svc-9999");
    let run = keytrace_within(
        dir.path(),
        &["nhi", "report", ".", "--format", "json"],
        Duration::from_secs(60),
    );
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    serde_json::from_str::<Value>(&run.stdout).expect("the report is JSON");
}

#[test]
fn thirty_thousand_findings_keep_every_format_valid_and_sarif_capped() {
    // 30,000 findings (over SARIF's 25,000-result cap) in 30 files.
    const N: usize = 30_000;
    let dir = tempfile::tempdir().unwrap();
    let pats = distinct_pats(N);
    for (f, chunk) in pats.chunks(1000).enumerate() {
        let body: String = chunk.iter().map(|p| line(p)).collect();
        std::fs::write(dir.path().join(format!("f{f:02}.env")), body).unwrap();
    }
    let limit = Duration::from_secs(120);
    let run = keytrace_within(dir.path(), &["scan", ".", "--format", "json"], limit);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.findings().len(), N, "no finding lost");
    let run = keytrace_within(dir.path(), &["scan", ".", "--format", "jsonl"], limit);
    assert_eq!(run.stdout.lines().count(), N);
    assert!(run
        .stdout
        .lines()
        .all(|l| serde_json::from_str::<Value>(l).is_ok()));
    let run = keytrace_within(dir.path(), &["scan", ".", "--format", "sarif"], limit);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let sarif: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    let results = sarif["runs"][0]["results"].as_array().unwrap().len();
    assert!(results <= 25_000, "SARIF is capped: {results}");
    assert!(results > 0);
    for format in ["text", "github", "markdown"] {
        let run = keytrace_within(dir.path(), &["scan", ".", "--format", format], limit);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
    }
}

#[test]
fn ctrl_c_stops_the_scan_reports_what_it_has_and_exits_130() {
    // A tree that takes several seconds to scan in a debug build; SIGINT after a second.
    let dir = tempfile::tempdir().unwrap();
    let filler: String = (0..4000)
        .map(|i| format!("let value_{i} = compute(password_hash, token_len);\n"))
        .collect();
    for d in 0..40 {
        let sub = dir.path().join(format!("d{d:02}"));
        std::fs::create_dir(&sub).unwrap();
        for f in 0..100 {
            std::fs::write(sub.join(format!("f{f}.rs")), &filler).unwrap();
        }
    }
    let child = Command::new(bin())
        .args(["scan", ".", "--format", "json", "--threads", "1"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn keytrace");
    std::thread::sleep(Duration::from_millis(1000));
    let start = Instant::now();
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(killed.success());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(0) {
        // The machine was fast enough to finish before the signal: nothing to test.
        eprintln!("skipped: the scan finished before SIGINT: {stderr}");
        return;
    }
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "stopped promptly"
    );
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(
        stderr.contains("keytrace: scanned"),
        "the summary is printed: {stderr}"
    );
    serde_json::from_slice::<Value>(&out.stdout).expect("the partial report is valid JSON");
}

#[test]
fn staged_mode_fails_closed_on_internal_errors() {
    // A staged blob that is missing from the object database.
    let repo = Repo::new();
    repo.commit(&[("a.txt", "a\n")], "one");
    repo.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        "100644,0123456789abcdef0123456789abcdef01234567,new.env",
    ]);
    let run = repo.scan(&["scan", "--staged"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("new.env"),
        "names the file: {}",
        run.stderr
    );
    // A corrupt index.
    let repo = Repo::new();
    repo.commit(&[("a.txt", "a\n")], "one");
    std::fs::write(repo.dir.join(".git/index"), b"DIRC garbage").unwrap();
    let run = repo.scan(&["scan", "--staged"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("index"),
        "says what failed: {}",
        run.stderr
    );
}

/// Every command and format on a repository of known secrets: none is printed or written
/// unless `--show-secrets`.
#[test]
fn secrets_never_leak_in_any_command_or_format() {
    let repo = Repo::new();
    let pats = distinct_pats(3);
    let aws_id = format!("AKIA{}", "Q7RZ3MXK5WBN2TJH");
    let aws_secret = format!("{}{}", "wJalrXUtnFEMI/K7MDENG/", "bPxRfiCYq8Zr4Tn2LmW9");
    let known: Vec<String> = vec![
        pats[0].clone(),
        pats[1].clone(),
        pats[2].clone(),
        secrets::stripe_live(),
        aws_secret.clone(),
    ];
    // History only (deleted later), in HEAD, and staged.
    repo.commit(&[("old.env", &line(&pats[0]))], "old");
    std::fs::remove_file(repo.dir.join("old.env")).unwrap();
    let base = repo.commit(
        &[
            ("app/.env", &line(&pats[1])),
            (
                "deploy/aws.env",
                &format!("AWS_ACCESS_KEY_ID={aws_id}\nAWS_SECRET_ACCESS_KEY={aws_secret}\n"),
            ),
        ],
        "app",
    );
    repo.commit(
        &[(
            "pay.env",
            &format!("STRIPE_KEY={}\n", secrets::stripe_live()),
        )],
        "pay",
    );
    repo.write(&[("staged.env", &line(&pats[2]))]);
    repo.git(&["add", "staged.env"]);
    let out_dir = tempfile::tempdir().unwrap();
    let o = |name: &str| out_dir.path().join(name).to_string_lossy().into_owned();

    let range = format!("{base}..HEAD");
    let mut runs: Vec<Vec<String>> = Vec::new();
    for mode in [
        vec!["."],
        vec!["--staged"],
        vec!["--range", range.as_str()],
        vec!["--history", "--all"],
    ] {
        for format in ["text", "json", "jsonl", "sarif", "github", "markdown"] {
            let mut a: Vec<String> = vec!["scan".into()];
            a.extend(mode.iter().map(|s| s.to_string()));
            a.extend(["--format".into(), format.into()]);
            runs.push(a.clone());
            a.extend(["-o".into(), o(&format!("{}-{format}.out", runs.len()))]);
            if format == "sarif" {
                a.extend([
                    "--sarif-history".into(),
                    o(&format!("{}-hist.sarif", runs.len())),
                ]);
            }
            runs.push(a);
        }
    }
    runs.push(vec!["baseline".into(), ".".into()]);
    runs.push(vec![
        "baseline".into(),
        "--history".into(),
        "-o".into(),
        o("baseline.json"),
    ]);
    for sub in ["check", "report", "init"] {
        for format in ["text", "markdown", "json"] {
            runs.push(vec![
                "nhi".into(),
                sub.into(),
                ".".into(),
                "--format".into(),
                format.into(),
            ]);
        }
    }
    runs.push(vec![
        "nhi".into(),
        "report".into(),
        ".".into(),
        "--history".into(),
    ]);
    runs.push(vec!["rules".into(), "list".into()]);

    let leaks = |text: &str| -> Vec<String> {
        known
            .iter()
            .filter(|s| text.contains(s.as_str()))
            .cloned()
            .collect()
    };
    for args in &runs {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = keytrace_within(&repo.dir, &a, Duration::from_secs(60));
        assert!(
            (0..=2).contains(&run.code),
            "{a:?} exited {}: {}",
            run.code,
            run.stderr
        );
        assert_eq!(
            leaks(&run.stdout),
            Vec::<String>::new(),
            "{a:?} stdout leaks"
        );
        assert_eq!(
            leaks(&run.stderr),
            Vec::<String>::new(),
            "{a:?} stderr leaks"
        );
    }
    let mut written = 0;
    for entry in std::fs::read_dir(out_dir.path()).unwrap() {
        let p = entry.unwrap().path();
        let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
        assert_eq!(leaks(&text), Vec::<String>::new(), "{} leaks", p.display());
        written += 1;
    }
    assert!(written >= 20, "the written files were checked: {written}");
    // Nothing was written into the repository either (nhi init without --write).
    let status = git_in(&repo.dir, &["status", "--porcelain"]);
    assert!(!status.contains(".keytrace"), "{status}");

    // The check can see a leak: --show-secrets prints them.
    for format in ["text", "json"] {
        let run = repo.scan(&[
            "scan",
            "--history",
            "--all",
            "--format",
            format,
            "--show-secrets",
        ]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stdout.contains(&secrets::stripe_live()) && run.stdout.contains(&pats[0]),
            "{format} --show-secrets prints the secrets"
        );
    }
}
