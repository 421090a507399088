//! Small edges of issue 12 a user meets: an empty fingerprint input (item 12), a history
//! scan of a repository without commits (item 14), the count of inline-allowed secrets
//! (item 15), plain error messages (item 11).

use super::git::Repo;
use super::{keytrace, keytrace_stdin, secrets, write_files};

/// Item 12: `keytrace fingerprint </dev/null` printed the fingerprint of the empty string
/// and exited 0; an empty secret is a mistake (an unset variable) and is now an error.
#[test]
fn fingerprint_of_nothing_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    for input in [None, Some(&b""[..]), Some(&b"\n"[..])] {
        let run = keytrace_stdin(dir.path(), &["fingerprint"], input);
        assert_eq!(run.code, 2, "{input:?}: {}", run.stdout);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        assert!(
            run.stderr.contains("no secret on standard input"),
            "{}",
            run.stderr
        );
    }
    let run = keytrace_stdin(dir.path(), &["fingerprint"], Some(b"s3cret\n"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("kt1:"), "{}", run.stdout);
}

/// Item 14: `--history` in a repository with no commits said `scanned 1 file` (a blob
/// `git add` had written); it now says there are no commits.
#[test]
fn history_without_commits_says_so() {
    let repo = Repo::new();
    repo.write(&[("a.env", &format!("T={}\n", secrets::github_pat()))]);
    repo.git(&["add", "a.env"]);
    for args in [
        &["scan", "--history"][..],
        &["scan", "--history", "--all"][..],
    ] {
        let run = repo.scan(args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stderr.contains("no commits"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("scanned 0 files"), "{}", run.stderr);
    }
}

/// Item 15: one `keytrace:allow` line whose secret two rules match was counted as 2
/// allowed in the summary.
#[test]
fn one_allowed_secret_is_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[(
            "a.env",
            &format!("GITHUB_TOKEN={} # keytrace:allow\n", secrets::github_pat()),
        )],
    );
    let run = keytrace(dir.path(), &["scan", "a.env"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("; 1 allowed inline"), "{}", run.stderr);
    // Two allowed secrets on two lines are two.
    write_files(
        dir.path(),
        &[(
            "b.env",
            &format!(
                "GITHUB_TOKEN={} # keytrace:allow\nSTRIPE={} # keytrace:allow\n",
                secrets::github_pat(),
                secrets::stripe_live()
            ),
        )],
    );
    let run = keytrace(dir.path(), &["scan", "b.env"]);
    assert!(run.stderr.contains("; 2 allowed inline"), "{}", run.stderr);
}

/// Asserts an error run: exit 2, one `keytrace: error:` line in plain sentences that names
/// `input` and says what to do (no debug dumps, no literal `\n`).
fn assert_plain_error(run: &super::Run, input: &str, advice: &str) {
    assert_eq!(run.code, 2, "{}", run.stderr);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    let e = errors[0];
    for dump in [
        "Message {",
        "Caused by",
        "\\n",
        "Bytes(",
        "{ name",
        "class:",
    ] {
        assert!(!e.contains(dump), "debug dump `{dump}` in: {e}");
    }
    assert!(e.contains(input), "does not name `{input}`: {e}");
    assert!(
        e.contains(advice),
        "does not say what to do (`{advice}`): {e}"
    );
    // One or two sentences (plus at most one more for the advice).
    let sentences = e.matches(". ").count() + 1;
    assert!(sentences <= 3, "{sentences} sentences: {e}");
}

/// Item 11: gix errors printed as Rust debug dumps with literal `\n`; each is now one or two
/// plain sentences naming the input and what to do.
#[test]
fn git_and_config_errors_are_plain_sentences() {
    let repo = Repo::new();
    repo.commit(&[("a.txt", "one\n")], "only commit");
    let run = repo.scan(&["scan", "--range", "HEAD~1..HEAD"]);
    assert_plain_error(&run, "`HEAD~1`", "--history");
    let run = repo.scan(&["scan", "--since-commit", "main-old"]);
    assert_plain_error(&run, "`main-old`", "fetch");
    let run = repo.scan(&["scan", "--range", "HEAD^{tree}..HEAD"]);
    assert_plain_error(&run, "`HEAD^{tree}`", "Name a commit");

    // keytrace's own config file.
    repo.write(&[(".keytrace/config.toml", "[scan\nmax_file_size = 1\n")]);
    let run = repo.scan(&["scan"]);
    assert_plain_error(&run, ".keytrace/config.toml, line 1", "Fix the file");
    std::fs::remove_dir_all(repo.dir.join(".keytrace")).unwrap();

    // git's config file.
    let config = repo.dir.join(".git/config");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}[core\n")).unwrap();
    for args in [&["scan", "--staged"][..], &["scan", "--history"]] {
        let run = repo.scan(args);
        assert_plain_error(&run, ".git/config", "Fix that line");
    }
    std::fs::write(&config, text).unwrap();

    // Not a repository at all.
    let dir = tempfile::tempdir().unwrap();
    let run = keytrace(dir.path(), &["scan", "--staged"]);
    assert_plain_error(&run, "not inside a git repository", "drop those flags");
}

/// The `--long` flags a subcommand's `--help` lists.
fn help_flags(args: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut all = args.to_vec();
    all.push("--help");
    let run = keytrace(dir.path(), &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
        .split_whitespace()
        .filter(|w| w.starts_with("--"))
        .map(|w| w.trim_end_matches([',', '.']).to_owned())
        .collect()
}

/// Item 20: each subcommand's help lists only the flags that apply; `nhi report` has
/// `--all` and `-o`; `--category` without `--format sarif` is an error like
/// `--sarif-history` (it was silently ignored).
#[test]
fn subcommand_help_lists_only_flags_that_apply() {
    let baseline = help_flags(&["baseline"]);
    for absent in [
        "--format",
        "--sarif-history",
        "--max-annotations",
        "--category",
        "--show-secrets",
        "--baseline",
        "--manifest",
    ] {
        assert!(
            !baseline.iter().any(|f| f == absent),
            "baseline lists {absent}: {baseline:?}"
        );
    }
    for present in ["--history", "--staged", "--range", "--output", "--config"] {
        assert!(
            baseline.iter().any(|f| f == present),
            "baseline lacks {present}"
        );
    }
    let check = help_flags(&["nhi", "check"]);
    for absent in ["--write", "--history", "--all", "--output"] {
        assert!(
            !check.iter().any(|f| f == absent),
            "nhi check lists {absent}: {check:?}"
        );
    }
    let report = help_flags(&["nhi", "report"]);
    for present in ["--all", "--output", "--history"] {
        assert!(
            report.iter().any(|f| f == present),
            "nhi report lacks {present}: {report:?}"
        );
    }
    assert!(!report.iter().any(|f| f == "--write"));
    let init = help_flags(&["nhi", "init"]);
    assert!(init.iter().any(|f| f == "--write") && !init.iter().any(|f| f == "--output"));

    let repo = Repo::new();
    repo.commit(
        &[("a.env", &format!("T={}\n", secrets::github_pat()))],
        "one",
    );
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.commit(
        &[("b.env", &format!("T={}\n", secrets::github_pat_variant(4)))],
        "two",
    );
    repo.git(&["checkout", "-q", "main"]);
    let head_only = repo.scan(&["nhi", "report", "--history", "--format", "json"]);
    let all = repo.scan(&[
        "nhi",
        "report",
        "--history",
        "--all",
        "--format",
        "json",
        "-o",
        "inv.json",
    ]);
    assert!(all.stdout.is_empty(), "-o writes the file: {}", all.stdout);
    let text = std::fs::read_to_string(repo.dir.join("inv.json")).unwrap();
    let from_file: serde_json::Value = serde_json::from_str(&text).unwrap();
    let count = |v: &serde_json::Value| v.to_string().matches("b.env").count();
    assert_eq!(count(&head_only.json()), 0, "HEAD's history has no b.env");
    assert!(
        count(&from_file) > 0,
        "--all reaches the side branch: {text}"
    );

    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("a.txt", "nothing\n")]);
    for flags in [&["--category", "x/"][..], &["--sarif-history", "h.sarif"]] {
        let mut args = vec!["scan", "."];
        args.extend_from_slice(flags);
        let run = keytrace(dir.path(), &args);
        assert_eq!(run.code, 2, "{flags:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("needs --format sarif"),
            "{}",
            run.stderr
        );
    }
}
