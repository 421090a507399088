//! `scan --history --state DIR` (issue 14, item 1): after every step of a history
//! (commits, a branch, a merge, a deletion, a deleted branch, a force-push, a repack, a
//! reverted file), the incremental run's findings equal a full scan's, field by field, for
//! HEAD's history and for `--all`; and the runs were incremental where they could be.

use std::path::Path;

use serde_json::Value;

use super::git::Repo;
use super::{keytrace, secrets, write_files};

/// The findings of `scan --history ARGS --format json`, and its stderr.
fn findings(repo: &Repo, args: &[&str]) -> (Vec<Value>, String) {
    let mut all = vec!["scan", "--history"];
    all.extend_from_slice(args);
    all.extend(["--format", "json"]);
    let run = repo.scan(&all);
    assert!(run.code == 0 || run.code == 1, "{all:?}: {}", run.stderr);
    (run.findings(), run.stderr)
}

/// One step: for HEAD's history and for every ref, the incremental run (state in
/// `states`) equals a full scan. Returns the two incremental runs' stderr.
fn step(repo: &Repo, states: &Path, what: &str) -> [String; 2] {
    let mut notes = [String::new(), String::new()];
    for (i, mode) in [&[][..], &["--all"][..]].into_iter().enumerate() {
        let dir = states.join(format!("mode{i}"));
        let mut args = mode.to_vec();
        let dir_arg = dir.to_str().unwrap();
        args.extend(["--state", dir_arg]);
        let (incremental, stderr) = findings(repo, &args);
        let (full, _) = findings(repo, mode);
        assert_eq!(
            incremental.len(),
            full.len(),
            "{what} {mode:?}: finding count\nincremental: {incremental:#?}\nfull: {full:#?}\n{stderr}"
        );
        for (a, b) in incremental.iter().zip(&full) {
            for (field, value) in b.as_object().unwrap() {
                assert_eq!(
                    &a[field], value,
                    "{what} {mode:?}: field {field} of {}:{}\n{stderr}",
                    b["path"], b["line"]
                );
            }
            assert_eq!(a, b, "{what} {mode:?}: extra fields");
        }
        notes[i] = stderr;
    }
    notes
}

#[test]
fn incremental_history_equals_a_full_scan_at_every_step() {
    let repo = Repo::new();
    let states = tempfile::tempdir().unwrap();
    let st = states.path();
    let pat = secrets::github_pat_variant(0);
    let env_v1 = format!("# app\nTOKEN={pat}\n");
    repo.commit(&[(".env", &env_v1), ("README", "hello\n")], "one");
    let [head, all] = step(&repo, st, "first run");
    assert!(head.contains("does not exist yet: full scan"), "{head}");
    assert!(all.contains("does not exist yet: full scan"), "{all}");

    // The secret moves down a line; a new one in a new file.
    let env_v2 = format!("# app\n# moved\nTOKEN={pat}\n");
    repo.commit(
        &[
            (".env", &env_v2),
            ("b.txt", &format!("stripe {}\n", secrets::stripe_live())),
        ],
        "two",
    );
    let [head, _] = step(&repo, st, "two commits");
    assert!(head.contains("incremental: 1 new commits"), "{head}");

    // A branch from the first commit, with a new secret and the old one at a new path.
    repo.git(&["checkout", "-q", "-b", "feature", "HEAD~1"]);
    repo.commit(
        &[
            (
                "feat.txt",
                &format!("t {}\n", secrets::github_pat_variant(1)),
            ),
            ("copy.env", &env_v1),
        ],
        "feature",
    );
    step(&repo, st, "feature branch");

    // The same secret at the same path on two branches at the same time: which commit is
    // first must not change as commits are added on top (ties are broken by commit id).
    let same = format!("K={}\n", secrets::github_pat_variant(5));
    for side in ["left", "right", "third"] {
        repo.git(&["checkout", "-q", "-b", side, "main"]);
        repo.commit(&[("same.env", &same)], side);
    }
    step(&repo, st, "twin branches");
    for side in ["third", "left", "right"] {
        repo.git(&["checkout", "-q", side]);
        repo.commit(
            &[(&format!("{side}.txt"), "more\n")],
            &format!("more {side}"),
        );
        step(&repo, st, side);
    }
    repo.git(&["checkout", "-q", "main"]);

    // Main deletes the secret: it is no longer in HEAD.
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["rm", "-q", ".env"]);
    repo.git(&["commit", "-q", "-m", "drop .env"]);
    let [head, _] = step(&repo, st, "deletion");
    assert!(head.contains("incremental"), "{head}");
    let (now, _) = findings(&repo, &[]);
    let env = now.iter().find(|f| f["path"] == ".env").unwrap();
    assert_eq!(env["in_head"], false);

    // A merge, then a branch that lives and dies.
    repo.git(&["merge", "-q", "--no-ff", "-m", "merge feature", "feature"]);
    step(&repo, st, "merge");
    repo.git(&["checkout", "-q", "-b", "tmp"]);
    repo.commit(
        &[(
            "tmp.txt",
            &format!("x {}\n", secrets::github_pat_variant(2)),
        )],
        "tmp",
    );
    repo.git(&["checkout", "-q", "main"]);
    step(&repo, st, "tmp branch");
    repo.git(&["branch", "-q", "-D", "tmp"]);
    let [_, all] = step(&repo, st, "deleted branch");
    assert!(all.contains("provenance was recomputed"), "{all}");

    // A force-push: main rewound past the merge and the deletion, then a new commit.
    repo.git(&["reset", "-q", "--hard", "HEAD~2"]);
    repo.commit(
        &[("c.txt", &format!("c {}\n", secrets::github_pat_variant(3)))],
        "rewritten",
    );
    let [head, _] = step(&repo, st, "force-push");
    assert!(head.contains("provenance was recomputed"), "{head}");

    // Packed (blobs stored as deltas, read by the full scan's delta-aware pass), then the
    // first version of .env comes back: a known blob whose counts must grow.
    repo.git(&["gc", "-q", "--aggressive"]);
    repo.commit(&[(".env", &env_v1)], "revert .env");
    let [head, _] = step(&repo, st, "repack and revert");
    assert!(head.contains("0 new blobs scanned"), "{head}");
    repo.git(&[
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "merge feature again",
        "feature",
    ]);
    step(&repo, st, "second merge");
}

#[test]
fn a_damaged_or_changed_state_means_a_full_scan_named() {
    let repo = Repo::new();
    let states = tempfile::tempdir().unwrap();
    let dir = states.path().join("s");
    let dir_arg = dir.to_str().unwrap();
    repo.commit(
        &[(".env", &format!("TOKEN={}\n", secrets::github_pat()))],
        "one",
    );
    let (first, _) = findings(&repo, &["--state", dir_arg]);
    let file = dir.join("history.state");
    assert!(file.is_file());
    std::fs::write(&file, b"keytrace-history-state 1\n{\"key\": 3}\n").unwrap();
    let (again, stderr) = findings(&repo, &["--state", dir_arg]);
    assert_eq!(first, again);
    assert!(
        stderr.contains("warning: state") && stderr.contains("history.state"),
        "{stderr}"
    );
    // Rewritten whole: the next run is incremental again.
    let (_, stderr) = findings(&repo, &["--state", dir_arg]);
    assert!(stderr.contains("incremental: 0 new commits"), "{stderr}");
    // Other options (every ref) do not use a state written for HEAD's history.
    let (_, stderr) = findings(&repo, &["--all", "--state", dir_arg]);
    assert!(stderr.contains("other rules or options"), "{stderr}");
    let run = repo.scan(&[
        "scan",
        "--history",
        "--state",
        dir_arg,
        "--include-unreachable",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn with_repos_each_repository_keeps_its_own_state() {
    let d = tempfile::tempdir().unwrap();
    let a = Repo::new();
    a.commit(&[("a.env", &format!("T={}\n", secrets::github_pat()))], "a");
    let b = Repo::new();
    b.commit(
        &[("b.env", &format!("S={}\n", secrets::stripe_live()))],
        "b",
    );
    let list = format!("{} repo-a\n{} repo-b\n", a.dir.display(), b.dir.display());
    write_files(d.path(), &[("repos.txt", &list)]);
    let run = |_: u8| {
        keytrace(
            d.path(),
            &[
                "scan",
                "--history",
                "--repos",
                "repos.txt",
                "--state",
                "st",
                "--format",
                "json",
            ],
        )
    };
    let first = run(0);
    assert_eq!(first.code, 1, "{}", first.stderr);
    let mut folders: Vec<String> = std::fs::read_dir(d.path().join("st"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert_eq!(folders.len(), 2, "{folders:?}");
    assert!(folders[0].starts_with("repo-a-") && folders[1].starts_with("repo-b-"));
    b.commit(
        &[("c.env", &format!("T={}\n", secrets::github_pat_variant(4)))],
        "c",
    );
    let second = run(1);
    let notes = second.json()["summary"]["notes"].to_string();
    assert_eq!(notes.matches("incremental:").count(), 2, "{notes}");
    assert_eq!(second.findings().len(), first.findings().len() + 1);
}
