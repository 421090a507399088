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

use super::git::{git_in, Change, Repo};
use super::{bin, keytrace, scan_json, secrets, write_files, Run};

/// Runs keytrace and fails the test (killing it) if it has not finished in `limit`: a hang
/// is a bug this suite looks for.
fn keytrace_within(dir: &Path, args: &[&str], limit: Duration) -> Run {
    let child = Command::new(bin())
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
    finish_within(child, limit, &format!("keytrace {args:?}"))
}

/// Waits for `child` (stdout and stderr piped) and collects its output; fails the test,
/// killing it, if it has not finished in `limit`.
fn finish_within(mut child: std::process::Child, limit: Duration, what: &str) -> Run {
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
            panic!("{what} hung for more than {limit:?}");
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

/// An RSA private key in PEM armour with a pseudo-random body (built at run time).
fn rsa_key(seed: u64) -> String {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut state = seed;
    let mut body = String::new();
    for _ in 0..25 {
        for _ in 0..64 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            body.push(B64[(state >> 33) as usize % 64] as char);
        }
        body.push('\n');
    }
    let armour = |what: &str| format!("-----{what} {} PRIVATE KEY-----", "RSA");
    format!("{}\n{body}{}\n", armour("BEGIN"), armour("END"))
}

/// Appends filler lines (80 bytes each, the last one shorter) until `data` is `len` long.
fn fill_to(data: &mut Vec<u8>, len: usize) {
    assert!(data.len() <= len, "layout: {} > {len}", data.len());
    while data.len() + 80 <= len {
        data.extend_from_slice(&[b'.'; 79]);
        data.push(b'\n');
    }
    data.resize(len, b'-');
}

/// 1-based (line, column) of byte `at` (ASCII data).
fn line_col(data: &[u8], at: usize) -> (u64, u64) {
    let line = data[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let start = data[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (line as u64, (at - start + 1) as u64)
}

/// (path, line, column, rule) of each finding, sorted.
fn places(run: &Run) -> Vec<(String, u64, u64, String)> {
    let mut v: Vec<_> = run
        .findings()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["rule_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn huge_files_and_stdin_are_scanned_in_overlapping_chunks_each_secret_once() {
    use keytrace::source::chunked::{MARGIN, OVERLAP};
    // 1 MiB chunks (the default is 64 MiB): chunk 1 is [0, C), chunk 2 starts OVERLAP
    // before C, so it ends at 2C - OVERLAP; a match belongs to chunk 1 if its secret starts
    // before C - MARGIN. Every case sits on one of those edges.
    const C: usize = 1 << 20;
    let pats = distinct_pats(4);
    let key = rsa_key(7);
    let mut data = Vec::new();
    let mut expect: Vec<(usize, &str)> = Vec::new();
    let mut put = |data: &mut Vec<u8>, at: usize, prefix: &str, secret: &str, rule| {
        fill_to(data, at - prefix.len());
        data.extend_from_slice(prefix.as_bytes());
        expect.push((data.len(), rule));
        data.extend_from_slice(secret.as_bytes());
        data.push(b'\n');
    };
    let pat = "github.pat.classic";
    // The first chunk's first line.
    put(&mut data, 13, "GITHUB_TOKEN=", &pats[0], pat);
    // Seen whole by chunks 1 and 2 (in their overlap), owned by chunk 1: reported once.
    put(&mut data, C - MARGIN - 20, " x=", &pats[1], pat);
    // Across chunk 1's end: only chunk 2 sees it whole.
    put(&mut data, C - 17, " y=", &pats[2], pat);
    // A multi-line private key across chunk 2's end.
    fill_to(&mut data, 2 * C - OVERLAP - 900);
    expect.push((data.len(), "privatekey.pem.rsa"));
    data.extend_from_slice(key.as_bytes());
    // The last chunk's last bytes, no newline at the end.
    fill_to(&mut data, 4 * C + 12_345);
    data.extend_from_slice(format!("STRIPE_KEY={}", secrets::stripe_live()).as_bytes());
    expect.push((
        data.len() - secrets::stripe_live().len(),
        "stripe.secret-key.live",
    ));

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.log"), &data).unwrap();
    let want = |path: &str| -> Vec<(String, u64, u64, String)> {
        let mut v: Vec<_> = expect
            .iter()
            .map(|&(at, rule)| {
                let (l, c) = line_col(&data, at);
                (path.to_owned(), l, c, rule.to_owned())
            })
            .collect();
        v.sort();
        v
    };
    let chunked = [
        "--format",
        "json",
        "--max-file-size",
        "0",
        "--chunk-size",
        "1048576",
    ];
    let run = keytrace(dir.path(), &[&["scan", "."][..], &chunked].concat());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let got = places(&run);
    assert_eq!(got.len(), expect.len(), "each secret once: {got:?}");
    assert_eq!(got, want("big.log"));
    assert!(
        run.stderr.contains("scanned 1 file"),
        "one file: {}",
        run.stderr
    );
    // The same stream on stdin.
    let run = super::keytrace_stdin(
        dir.path(),
        &[&["scan", "-"][..], &chunked].concat(),
        Some(&data),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(places(&run), want("-"));
    // One chunk (the default size) reports the same.
    let run = scan_json(dir.path(), &[".", "--max-file-size", "0"]);
    assert_eq!(places(&run), want("big.log"));
    // A chunk too small to hold the overlap is refused.
    let run = keytrace(dir.path(), &["scan", ".", "--chunk-size", "4096"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--chunk-size 4096"), "{}", run.stderr);
}

// A keyword hit inside the same rule's current window once opened no window of its own,
// so a match starting inside the window and ending past it was lost (found by the
// chunked-vs-whole differential test in src/source/chunked.rs). The window now reaches as
// far as each hit inside it would.

#[test]
fn matcher_finds_a_key_that_starts_in_the_previous_keys_window() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (rsa_key(1), rsa_key(2));
    // Key b starts 300 bytes before the end of key a's 64 KiB window and ends after it.
    let kw_end = "-----BEGIN RSA PRIVATE KEY".len();
    let mut data = a.into_bytes();
    fill_to(&mut data, kw_end + 65_536 - 300);
    data.push(b'\n');
    data.extend_from_slice(b.as_bytes());
    std::fs::write(dir.path().join("keys.pem"), &data).unwrap();
    let run = scan_json(dir.path(), &["."]);
    assert_eq!(run.findings().len(), 2, "{}", run.stderr);
}

#[test]
fn matcher_finds_a_token_that_crosses_the_previous_hits_window_on_a_long_line() {
    let dir = tempfile::tempdir().unwrap();
    let pats = distinct_pats(2);
    // The second token starts 4,080 bytes into the line, inside the first hit's 4 KiB
    // window, and ends past it.
    let text = format!("{}{}{} tail\n", pats[0], " ".repeat(4080 - 40), pats[1]);
    std::fs::write(dir.path().join("min.js"), text).unwrap();
    let run = scan_json(dir.path(), &["."]);
    assert_eq!(run.findings().len(), 2, "{}", run.stderr);
}

/// Runs keytrace (stdin from `input`, written by a thread, when given) and returns its exit
/// code and peak resident memory in KiB (`VmHWM`, read from /proc until it exits).
fn peak_memory(dir: &Path, args: &[&str], input: Option<std::fs::File>) -> (i32, u64) {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(input.map_or(Stdio::null(), Stdio::from))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn keytrace");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let start = Instant::now();
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            if let Some(kib) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak = peak.max(kib);
            }
        }
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        assert!(start.elapsed() < Duration::from_secs(120), "keytrace hung");
        std::thread::sleep(Duration::from_millis(5));
    };
    assert!(peak > 0, "VmHWM was read");
    (status.code().unwrap_or(-1), peak)
}

#[test]
fn a_file_far_larger_than_a_chunk_is_scanned_in_bounded_memory() {
    // 128 MiB of text with a secret at the end, 4 MiB chunks: reading it whole would need
    // 128 MiB; chunked, the peak stays near the process's own ~20 MiB.
    const LIMIT_KIB: u64 = 64 << 10;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.txt");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let block = "let value = compute(alpha, beta, gamma); // ordinary text\n".repeat(18_000);
    while f.get_ref().metadata().unwrap().len() < 128 << 20 {
        f.write_all(block.as_bytes()).unwrap();
        f.flush().unwrap();
    }
    f.write_all(line(&secrets::github_pat()).as_bytes())
        .unwrap();
    f.flush().unwrap();
    drop(f);
    let args = [
        "scan",
        "big.txt",
        "--max-file-size",
        "0",
        "--chunk-size",
        "4194304",
    ];
    let (code, peak) = peak_memory(dir.path(), &args, None);
    eprintln!("file: peak {} MiB", peak >> 10);
    assert_eq!(code, 1, "the secret at the end is found");
    assert!(peak < LIMIT_KIB, "peak {peak} KiB");
    let mut stdin_args = args;
    stdin_args[1] = "-";
    let input = std::fs::File::open(&path).unwrap();
    let (code, peak) = peak_memory(dir.path(), &stdin_args, Some(input));
    eprintln!("stdin: peak {} MiB", peak >> 10);
    assert_eq!(code, 1, "the secret at the end is found");
    assert!(peak < LIMIT_KIB, "peak {peak} KiB");
}

#[test]
fn binary_files_are_skipped_by_default_and_scanned_with_scan_binaries() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = b"\x7fELF\x02\x01\x01\0\0\0\0".to_vec();
    data.extend_from_slice(line(&secrets::github_pat()).as_bytes());
    data.extend_from_slice(&[0, 1, 2, 3, 255]);
    std::fs::write(dir.path().join("app.bin"), &data).unwrap();
    let run = scan_json(dir.path(), &["."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("skipped 1 binary"), "{}", run.stderr);
    let run = scan_json(dir.path(), &[".", "--scan-binaries"]);
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
    let run = scan_json(dir.path(), &["."]);
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
    let run = scan_json(dir.path(), &["."]);
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

/// The unprivileged user the unreadable-input test runs keytrace as when it runs as root.
const NOBODY: &str = "65534";

/// A command that runs `program` as [`NOBODY`] through util-linux `setpriv`, or None when
/// `setpriv` is not installed.
fn as_nobody(program: &Path) -> Option<Command> {
    let present = Command::new("setpriv")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    present.then(|| {
        let mut cmd = Command::new("setpriv");
        cmd.args([
            &format!("--reuid={NOBODY}"),
            &format!("--regid={NOBODY}"),
            "--clear-groups",
            "--",
        ])
        .arg(program);
        cmd
    })
}

#[test]
fn unreadable_files_and_directories_exit_two_and_the_rest_is_scanned() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let pats = distinct_pats(4);
    write_files(
        dir.path(),
        &[
            ("ok.env", &line(&pats[0])),
            ("open/deeper/b.env", &line(&pats[1])),
            ("locked.env", &line(&pats[2])),
            ("closed/inner.env", &line(&pats[3])),
        ],
    );
    let set = |p: &Path, mode| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    // Root reads whatever the modes say, so as root keytrace runs as an unprivileged user
    // (the tree is readable by it, except what is locked below).
    set(dir.path(), 0o755);
    set(&dir.path().join("locked.env"), 0o000);
    set(&dir.path().join("closed"), 0o000);
    let program = |p: &Path| -> Command {
        if running_as_root() {
            as_nobody(p).unwrap_or_else(|| {
                panic!(
                    "running as root and util-linux `setpriv` is missing: cannot drop privileges"
                )
            })
        } else {
            Command::new(p)
        }
    };
    if running_as_root() && as_nobody(&bin()).is_none() {
        // The only honest skip: without setpriv, root cannot be made to fail a read.
        eprintln!(
            "SKIPPED unreadable_files_and_directories_exit_two_and_the_rest_is_scanned: \
             running as root and `setpriv` (util-linux) is not installed"
        );
        set(&dir.path().join("closed"), 0o755);
        return;
    }
    // Preconditions, checked as the user keytrace runs as: the locked file and folder
    // really are unreadable, the rest is readable, and the binary can be run.
    let probe = |args: &[&str]| {
        program(Path::new(args[0]))
            .args(&args[1..])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run a probe")
            .success()
    };
    assert!(
        !probe(&["cat", "locked.env"]),
        "precondition: locked.env must be unreadable"
    );
    assert!(
        !probe(&["ls", "closed"]),
        "precondition: closed/ must be unlistable"
    );
    assert!(
        probe(&["cat", "ok.env", "open/deeper/b.env"]),
        "precondition: the rest must be readable"
    );
    let mut cmd = program(&bin());
    let out = cmd
        .args(["scan", ".", "--format", "json"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env("HOME", dir.path())
        .stdin(Stdio::null())
        .output()
        .expect("run keytrace");
    set(&dir.path().join("closed"), 0o755);
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_eq!(
        run.code,
        2,
        "an unreadable input makes the exit code 2 (if this says 126 or 127, uid {NOBODY} \
         cannot run {}): {}",
        bin().display(),
        run.stderr
    );
    let errors = run.errors();
    assert_eq!(errors.len(), 2, "one error each: {}", run.stderr);
    // Both named by their path relative to the scanned folder, as findings are.
    for name in ["closed", "locked.env"] {
        let prefix = format!("keytrace: error: {name}: ");
        assert!(
            errors.iter().any(|e| e.starts_with(&prefix)),
            "{prefix}...: {}",
            run.stderr
        );
    }
    assert!(
        !run.stderr.contains(&pats[2]) && !run.stderr.contains(&pats[3]),
        "no content is quoted"
    );
    let paths: Vec<String> = places(&run).into_iter().map(|p| p.0).collect();
    assert_eq!(
        paths,
        ["ok.env", "open/deeper/b.env"],
        "everything readable is still reported"
    );
    assert!(
        run.stderr.contains("scanned 2 files"),
        "the summary counts what was read: {}",
        run.stderr
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
fn range_with_an_unreadable_diff_base_names_it_exits_two_and_scans_every_line() {
    let repo = Repo::new();
    let pats = distinct_pats(4);
    let base = repo.commit(
        &[("app.env", &format!("# config\n{}", line(&pats[0])))],
        "base",
    );
    repo.commit(
        &[
            (
                "app.env",
                &format!("# config\n{}{}", line(&pats[0]), line(&pats[1])),
            ),
            ("other.env", &line(&pats[2])),
        ],
        "modify",
    );
    repo.commit(&[("later.env", &line(&pats[3]))], "later");
    let range = format!("{base}..HEAD");
    let where_found = |run: &Run| -> Vec<(String, u64)> {
        places(run).into_iter().map(|(p, l, _, _)| (p, l)).collect()
    };
    let added = vec![
        ("app.env".to_owned(), 3),
        ("later.env".to_owned(), 1),
        ("other.env".to_owned(), 1),
    ];
    let run = repo.scan_change(Change::Range(&range));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(where_found(&run), added, "intact: only added lines");

    // Delete the old version of app.env (the diff base) from the object store.
    let old = repo
        .git(&["rev-parse", &format!("{base}:app.env")])
        .trim()
        .to_owned();
    std::fs::remove_file(
        repo.dir
            .join(".git/objects")
            .join(&old[..2])
            .join(&old[2..]),
    )
    .expect("the old blob is a loose object");
    let run = repo.scan_change(Change::Range(&range));
    assert_eq!(
        run.code, 2,
        "an unread diff base is an error: {}",
        run.stderr
    );
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].contains("app.env") && errors[0].contains(&old),
        "names the file and the object: {}",
        errors[0]
    );
    assert!(
        errors[0].contains("previous version"),
        "says what it could not read: {}",
        errors[0]
    );
    // Every line of the new version counts as added (nothing is missed), and the walk
    // went on to the other file and the later commit.
    let mut all = added.clone();
    all.push(("app.env".to_owned(), 2));
    all.sort();
    assert_eq!(where_found(&run), all, "{}", run.stderr);
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
fn ctrl_c_while_stdin_waits_on_a_silent_pipe_reports_what_arrived_and_exits_130() {
    // `keytrace scan -` on a pipe that sent one secret and then nothing, never closed.
    let mut child = Command::new(bin())
        .args(["scan", "-", "--format", "json"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn keytrace");
    let mut stdin = child.stdin.take().expect("piped stdin");
    stdin
        .write_all(
            format!(
                "log line\nGITHUB_TOKEN={}\nmore log\n",
                secrets::github_pat()
            )
            .as_bytes(),
        )
        .unwrap();
    stdin.flush().unwrap();
    // Ready once the Ctrl-C handler's thread and the stdin reader's thread are up (the
    // reader starts after the handler is installed): main + those two. A SIGINT before
    // that would kill the process instead of testing the handler.
    let tasks = format!("/proc/{}/task", child.id());
    let start = Instant::now();
    while std::fs::read_dir(&tasks).map_or(0, |d| d.count()) < 3 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "keytrace never started reading stdin"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    // Still waiting on the open pipe.
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "it must wait for more input"
    );
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(killed.success());
    // The pipe stays open until the end of the test.
    let run = finish_within(
        child,
        Duration::from_secs(10),
        "keytrace, after SIGINT with stdin still open,",
    );
    drop(stdin);
    assert_eq!(run.code, 130, "{}", run.stderr);
    assert!(run.stderr.contains("interrupted"), "{}", run.stderr);
    assert!(
        run.stderr.contains("keytrace: scanned 1 file"),
        "the summary counts the stream: {}",
        run.stderr
    );
    let findings = run.findings();
    assert_eq!(
        findings.len(),
        1,
        "what arrived was scanned: {}",
        run.stdout
    );
    assert_eq!(findings[0]["path"], "-");
    assert_eq!(findings[0]["line"], 2);
    assert!(!run.stdout.contains(&secrets::github_pat()));
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

#[test]
fn staged_with_an_unreadable_head_version_names_it_blocks_and_scans_every_line() {
    let repo = Repo::new();
    let pats = distinct_pats(2);
    repo.commit(
        &[("app.env", &format!("# config\n{}", line(&pats[0])))],
        "base",
    );
    let old = repo.git(&["rev-parse", "HEAD:app.env"]).trim().to_owned();
    repo.write(&[(
        "app.env",
        &format!("# config\n{}{}", line(&pats[0]), line(&pats[1])),
    )]);
    repo.git(&["add", "app.env"]);
    let run = repo.scan_change(Change::Staged);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(places(&run).len(), 1, "intact: only the added line");
    std::fs::remove_file(
        repo.dir
            .join(".git/objects")
            .join(&old[..2])
            .join(&old[2..]),
    )
    .expect("HEAD's version is a loose object");
    let run = repo.scan_change(Change::Staged);
    assert_eq!(run.code, 2, "the hook blocks: {}", run.stderr);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].contains("app.env") && errors[0].contains("HEAD's version"),
        "{}",
        errors[0]
    );
    assert_eq!(
        places(&run).len(),
        2,
        "every staged line is checked: {}",
        run.stderr
    );
}
