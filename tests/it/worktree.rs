//! Working-tree and stdin scans: exit codes, formats, ignores, skips, redaction.

use super::{keytrace, keytrace_stdin, scan_json, secrets, write_files};

#[test]
fn clean_tree_exits_zero_and_secret_exits_one() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[("src/main.rs", "fn main() { println!(\"hi\"); }\n")],
    );
    let run = keytrace(dir.path(), &["scan", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("scanned 1 file"), "{}", run.stderr);

    let pat = secrets::github_pat();
    write_files(
        dir.path(),
        &[("deploy/.env", &format!("GITHUB_TOKEN={pat}\n"))],
    );
    let run = scan_json(dir.path(), &["."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let findings = run.findings();
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!(f["rule_id"], "github.pat.classic");
    assert_eq!(f["path"], "deploy/.env");
    assert_eq!(f["line"], 1);
    assert_eq!(f["column"], 14);
    assert_eq!(f["source"], "worktree");
    assert!(f["fingerprint"].as_str().unwrap().starts_with("kt1:"));
    assert!(f.get("secret").is_none());
}

#[test]
fn secret_never_printed_without_show_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let pat = secrets::github_pat();
    let stripe = secrets::stripe_live();
    write_files(
        dir.path(),
        &[("a.py", &format!("token = '{pat}'\nSTRIPE = \"{stripe}\"\n"))],
    );
    for format in ["text", "json", "jsonl"] {
        let run = keytrace(dir.path(), &["scan", ".", "--format", format]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        for s in [&pat, &stripe] {
            assert!(
                !run.stdout.contains(s.as_str()) && !run.stderr.contains(s.as_str()),
                "{format} leaked a secret"
            );
        }
    }
    let run = scan_json(dir.path(), &[".", "--show-secrets"]);
    assert!(
        run.stdout.contains(&pat),
        "--show-secrets must print the secret"
    );
    let out = dir.path().join("report.json");
    let run = scan_json(dir.path(), &["a.py", "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("github.pat.classic") && !written.contains(&pat));
}

#[test]
fn fingerprint_command_matches_findings() {
    let dir = tempfile::tempdir().unwrap();
    let pat = secrets::github_pat();
    write_files(dir.path(), &[("x.txt", &format!("{pat}\n"))]);
    let run = scan_json(dir.path(), &["."]);
    let fp = run.findings()[0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();
    let run = keytrace_stdin(
        dir.path(),
        &["fingerprint"],
        Some(format!("{pat}\n").as_bytes()),
    );
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout.trim(), fp);
}

#[test]
fn stdin_is_one_stream() {
    let dir = tempfile::tempdir().unwrap();
    let input = format!("line one\nauth: {}\n", secrets::github_pat());
    let run = keytrace_stdin(
        dir.path(),
        &["scan", "-", "--format", "jsonl"],
        Some(input.as_bytes()),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line: serde_json::Value = serde_json::from_str(run.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(line["path"], "-");
    assert_eq!(line["line"], 2);
    assert_eq!(line["source"], "stdin");
}

#[test]
fn gitignore_respected_hidden_scanned_git_dir_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let pat = secrets::github_pat();
    let line = format!("t={pat}\n");
    write_files(
        dir.path(),
        &[
            (".gitignore", "ignored/\n"),
            ("ignored/a.txt", &line),
            (".env", &line),
            (".git/config", &line),
        ],
    );
    let run = scan_json(dir.path(), &["."]);
    let paths: Vec<String> = run
        .findings()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(paths, vec![".env"]);
}

#[test]
fn binary_and_large_files_are_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let pat = secrets::github_pat();
    let mut bin = b"\0\x01\x02binary ".to_vec();
    bin.extend_from_slice(pat.as_bytes());
    std::fs::write(dir.path().join("blob.bin"), &bin).unwrap();
    write_files(
        dir.path(),
        &[("big.txt", &format!("{}{pat}\n", "a\n".repeat(600)))],
    );
    let run = scan_json(dir.path(), &[".", "--max-file-size", "1000"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = &run.json()["summary"];
    assert_eq!(summary["skipped_binary"], 1);
    assert_eq!(summary["skipped_large"], 1);
    assert!(
        run.stderr.contains("1 binary") && run.stderr.contains("1 over the size limit"),
        "{}",
        run.stderr
    );
    let run = scan_json(dir.path(), &[".", "--scan-binaries"]);
    assert_eq!(run.findings().len(), 2);
}

#[test]
fn inline_allow_and_no_inline_ignores() {
    let dir = tempfile::tempdir().unwrap();
    let pat = secrets::github_pat();
    write_files(
        dir.path(),
        &[(
            "a.sh",
            &format!("export T={pat} # keytrace:allow\nexport U={pat} # gitleaks:allow\n"),
        )],
    );
    let run = keytrace(dir.path(), &["scan", "."]);
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("2 allowed inline"), "{}", run.stderr);
    let run = keytrace(dir.path(), &["scan", ".", "--no-inline-ignores"]);
    assert_eq!(run.code, 1);
}

#[test]
fn control_characters_in_paths_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\x1b[31mname\n.txt";
    write_files(
        dir.path(),
        &[(name, &format!("{}\n", secrets::github_pat()))],
    );
    let run = keytrace(dir.path(), &["scan", "."]);
    assert_eq!(run.code, 1);
    assert!(
        !run.stdout.contains('\x1b'),
        "raw escape printed: {:?}",
        run.stdout
    );
    assert!(
        run.stdout.contains("evil\\u{1b}[31mname\\n.txt"),
        "{}",
        run.stdout
    );
}

#[test]
fn unreadable_input_exits_two_and_the_rest_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[("ok/a.txt", &format!("{}\n", secrets::github_pat()))],
    );
    // A symlink loop cannot be read, even by root.
    std::os::unix::fs::symlink("loop", dir.path().join("loop")).unwrap();
    let run = keytrace(dir.path(), &["scan", "loop"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("loop"), "{}", run.stderr);
    // A directory the walker cannot list, next to one it can.
    let run = scan_json(dir.path(), &["."]);
    assert_eq!(
        run.code, 1,
        "symlinks are not followed, the rest is found: {}",
        run.stderr
    );
}

#[test]
fn config_allows_paths_disables_rules_and_adds_rules() {
    let dir = tempfile::tempdir().unwrap();
    let pat = secrets::github_pat();
    write_files(
        dir.path(),
        &[
            ("fixtures/t.txt", &format!("{pat}\n")),
            ("src/a.txt", &format!("{pat}\ninternal_key = ikey-7Hq2Lm9XzR4vT8wK\n")),
            (
                ".keytrace/config.toml",
                "[allow]\npaths = [\"fixtures/\"]\n[rules]\ndisable = [\"github.\"]\n\n[[rule]]\nid = \"acme.internal-key\"\nname = \"Acme internal key\"\nprovider = \"acme\"\ncredential = \"api-token\"\nseverity = \"high\"\nkeywords = [\"ikey-\"]\npattern = '''\\b(ikey-[A-Za-z0-9]{16})\\b'''\n",
            ),
        ],
    );
    let run = scan_json(dir.path(), &["."]);
    let ids: Vec<String> = run
        .findings()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["path"].as_str().unwrap(),
                f["rule_id"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(ids, vec!["src/a.txt acme.internal-key"], "{}", run.stderr);
}

/// Issue 11: `[allow] paths` are gitignore patterns: `*` stays within a directory (so
/// `vendor/*.txt` leaves `vendor/deep/` scanned), `**` crosses, and a name without a slash
/// (`testdata/`) matches at any depth.
#[test]
fn config_allow_paths_star_stays_in_a_directory_double_star_crosses() {
    let dir = tempfile::tempdir().unwrap();
    let line = format!("{}\n", secrets::github_pat());
    write_files(
        dir.path(),
        &[
            ("vendor/a.txt", &line),
            ("vendor/deep/b.txt", &line),
            ("gen/x/y/c.txt", &line),
            ("src/testdata/d.txt", &line),
            ("src/e.txt", &line),
            (
                ".keytrace/config.toml",
                "[allow]\npaths = [\"vendor/*.txt\", \"gen/**/*.txt\", \"testdata/\"]\n",
            ),
        ],
    );
    let run = scan_json(dir.path(), &["."]);
    let paths: Vec<String> = run
        .findings()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(paths, ["src/e.txt", "vendor/deep/b.txt"], "{}", run.stderr);
}

#[test]
fn bad_config_is_an_error_with_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[(
            ".keytrace/config.toml",
            "[scan]\nmax_file_size = 10\nthreads = 4\n",
        )],
    );
    let run = keytrace(dir.path(), &["scan", "."]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("config.toml")
            && run.stderr.contains("line 3")
            && run.stderr.contains("threads"),
        "{}",
        run.stderr
    );
}

#[test]
fn broken_user_rule_file_is_named_by_rules_check() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[("mine.toml", "[[rule]]\nid = \"me.tok\"\nname = \"t\"\nprovider = \"me\"\ncredential = \"api-token\"\nseverity = \"high\"\nkeywords = [\"tk\"]\npattern = '''tk_[a-z'''\nexamples = [\"tk_a\"]\n")],
    );
    let run = keytrace(dir.path(), &["rules", "check", "mine.toml"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("mine.toml: rule `me.tok`: field `pattern`"),
        "{}",
        run.stdout
    );
}
