//! Small edges of issue 12 a user meets: an empty fingerprint input (item 12), a history
//! scan of a repository without commits (item 14), the count of inline-allowed secrets
//! (item 15).

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
