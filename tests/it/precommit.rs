//! The hooks this repository offers the pre-commit framework (`.pre-commit-hooks.yaml`),
//! run the way pre-commit runs them: the hook's `entry` (read from the file) in the
//! repository root, with the environment pre-commit exports for the stage
//! (`PRE_COMMIT_REMOTE_NAME`, `PRE_COMMIT_LOCAL_BRANCH`, ... under pre-push) and, for hooks
//! with `pass_filenames: true`, the file names appended. pre-commit itself is not needed.

use std::path::Path;
use std::process::{Command, Stdio};

use super::git::{git_in, Repo};
use super::{bin, root, secrets, Run};

/// The hooks of `.pre-commit-hooks.yaml`, by id.
fn hook(id: &str) -> serde_yaml::Value {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml"))
        .expect("read .pre-commit-hooks.yaml");
    let hooks: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
    hooks
        .as_sequence()
        .expect("a list of hooks")
        .iter()
        .find(|h| h["id"] == id)
        .unwrap_or_else(|| panic!("no hook {id} in .pre-commit-hooks.yaml"))
        .clone()
}

/// Runs hook `id` as pre-commit would: its entry (with `keytrace` being the binary under
/// test), then `files` when the hook takes file names, with `env` set.
fn run_hook(dir: &Path, id: &str, env: &[(&str, &str)], files: &[&str]) -> Run {
    let h = hook(id);
    let entry = h["entry"].as_str().expect("entry");
    let mut words = entry.split_whitespace();
    assert_eq!(words.next(), Some("keytrace"), "{entry}");
    let mut cmd = Command::new(bin());
    cmd.args(words);
    if h["pass_filenames"].as_bool().unwrap_or(true) {
        cmd.args(files);
    }
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .env("PRE_COMMIT", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE");
    for var in [
        "PRE_COMMIT_FROM_REF",
        "PRE_COMMIT_TO_REF",
        "PRE_COMMIT_REMOTE_NAME",
        "PRE_COMMIT_REMOTE_URL",
        "PRE_COMMIT_LOCAL_BRANCH",
        "PRE_COMMIT_REMOTE_BRANCH",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .expect("run the hook entry");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// What pre-commit exports under pre-push for `git push <remote> <branch>` when it
/// computes no range (the pushed branch's first commit is a root commit, or the remote
/// has nothing yet): the four remote variables, no from-ref, no to-ref.
fn first_push_env<'a>(remote: &'a str, url: &'a str, branch: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("PRE_COMMIT_REMOTE_NAME", remote),
        ("PRE_COMMIT_REMOTE_URL", url),
        ("PRE_COMMIT_LOCAL_BRANCH", branch),
        ("PRE_COMMIT_REMOTE_BRANCH", branch),
    ]
}

fn token_line() -> String {
    format!("GITHUB_TOKEN={}\n", secrets::github_pat())
}

/// A local repository and an empty bare remote named `origin`.
fn with_empty_remote() -> (Repo, std::path::PathBuf) {
    let repo = Repo::new();
    let remote = repo.dir.parent().unwrap().join("remote.git");
    git_in(
        repo.dir.parent().unwrap(),
        &["init", "-q", "--bare", remote.to_str().unwrap()],
    );
    repo.git(&["remote", "add", "origin", remote.to_str().unwrap()]);
    (repo, remote)
}

/// Issue 12, item 1: a first push (pre-commit sets no PRE_COMMIT_FROM_REF/TO_REF) of a
/// commit carrying a token used to fall back to the index, find nothing staged, and pass.
#[test]
fn pre_commit_pre_push_first_push_scans_the_pushed_commits() {
    let (repo, remote) = with_empty_remote();
    repo.commit(&[("README.md", "app\n")], "init");
    repo.commit(&[("deploy/app.env", &token_line())], "deploy settings");
    let url = remote.display().to_string();
    let env = first_push_env("origin", &url, "refs/heads/main");
    for id in ["keytrace", "keytrace-system"] {
        let run = run_hook(&repo.dir, id, &env, &[]);
        assert_eq!(
            run.code, 1,
            "{id}: the pushed token must block the push:\n{}",
            run.stderr
        );
        assert!(run.stdout.contains("deploy/app.env:1:"), "{}", run.stdout);
        assert!(!run.stdout.contains(&secrets::github_pat()));
    }

    // Staged content is never what a push sends: a token only in the index does not block a
    // push of clean commits, and a clean push passes.
    let (repo, remote) = with_empty_remote();
    repo.commit(&[("README.md", "app\n")], "init");
    repo.write(&[("local.env", &token_line())]);
    repo.git(&["add", "local.env"]);
    let url = remote.display().to_string();
    let run = run_hook(
        &repo.dir,
        "keytrace",
        &first_push_env("origin", &url, "refs/heads/main"),
        &[],
    );
    assert_eq!(
        run.code, 0,
        "only staged, not pushed:\n{}{}",
        run.stdout, run.stderr
    );
}

/// The pushed commits are those no ref under refs/remotes/<remote>/ has: a new branch off
/// an already pushed main reports only its own commits, with or without pre-commit's range.
#[test]
fn pre_commit_pre_push_new_branch_scans_only_commits_the_remote_lacks() {
    let (repo, remote) = with_empty_remote();
    let url = remote.display().to_string();
    repo.commit(
        &[(
            "legacy.py",
            &format!("KEY = \"{}\"\n", secrets::stripe_live()),
        )],
        "legacy key, already pushed",
    );
    repo.git(&["push", "-q", "origin", "main"]);
    let pushed_main = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.commit(&[("deploy/app.env", &token_line())], "token");
    let tip = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();

    let mut env = first_push_env("origin", &url, "refs/heads/topic");
    let run = run_hook(
        &repo.dir,
        "keytrace",
        &[
            &env[..],
            &[("PRE_COMMIT_REMOTE_BRANCH", "refs/heads/topic")],
        ]
        .concat(),
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("deploy/app.env:1:"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("legacy.py"),
        "already on the remote:\n{}",
        run.stdout
    );

    // With the range pre-commit computes for such a push (first new commit's parent..tip).
    env.push(("PRE_COMMIT_FROM_REF", &pushed_main));
    env.push(("PRE_COMMIT_TO_REF", &tip));
    let run = run_hook(&repo.dir, "keytrace", &env, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stdout.contains("legacy.py"), "{}", run.stdout);

    // Another remote's tracking refs say nothing about what `backup` has: all of topic's
    // history is new there.
    let backup = repo.dir.parent().unwrap().join("backup.git");
    git_in(
        repo.dir.parent().unwrap(),
        &["init", "-q", "--bare", backup.to_str().unwrap()],
    );
    repo.git(&["remote", "add", "backup", backup.to_str().unwrap()]);
    let burl = backup.display().to_string();
    let run = run_hook(
        &repo.dir,
        "keytrace",
        &first_push_env("backup", &burl, "refs/heads/topic"),
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("legacy.py"), "{}", run.stdout);
    assert!(run.stdout.contains("deploy/app.env"), "{}", run.stdout);
}

/// Issue 12, item 2: `pre-commit run --all-files` (pre-commit.ci, most CI setups) or
/// `--files` passed with a token in a tracked file: the hooks scanned only the index diff,
/// which is empty there. Now a run over files scans them; a commit still reads the index.
#[test]
fn pre_commit_run_all_files_scans_the_files() {
    let repo = Repo::new();
    repo.commit(
        &[("README.md", "app\n"), ("deploy/app.env", &token_line())],
        "token in a tracked file",
    );
    let tracked: Vec<String> = repo.git(&["ls-files"]).lines().map(str::to_owned).collect();
    let all: Vec<&str> = tracked.iter().map(String::as_str).collect();
    for id in [
        "keytrace",
        "keytrace-system",
        "keytrace-files",
        "keytrace-files-system",
    ] {
        // `--all-files`: every tracked file is named, none is staged.
        let run = run_hook(&repo.dir, id, &[], &all);
        assert_eq!(
            run.code, 1,
            "{id} --all-files:\n{}{}",
            run.stdout, run.stderr
        );
        assert!(
            run.stdout.contains("deploy/app.env:1:"),
            "{id}: {}",
            run.stdout
        );
        assert!(!run.stdout.contains(&secrets::github_pat()));
        // `--files deploy/app.env`.
        let run = run_hook(&repo.dir, id, &[], &["deploy/app.env"]);
        assert_eq!(run.code, 1, "{id} --files:\n{}{}", run.stdout, run.stderr);
        // `--files README.md`: scanned, and clean.
        let run = run_hook(&repo.dir, id, &[], &["README.md"]);
        assert_eq!(run.code, 0, "{id}:\n{}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains("1 file"), "{id}: {}", run.stderr);
    }
    let manual = |id: &str| hook(id)["stages"].as_sequence().unwrap().clone();
    assert_eq!(
        manual("keytrace-files"),
        vec![serde_yaml::Value::from("manual")]
    );

    // A commit: pre-commit names the staged files. The token already in HEAD does not
    // block a commit that stages other files, and what is staged is read from the index,
    // not the working tree.
    repo.write(&[("README.md", "app, documented\n")]);
    repo.git(&["add", "README.md"]);
    let run = run_hook(&repo.dir, "keytrace", &[], &["README.md"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    repo.write(&[("new.env", &format!("K={}\n", secrets::stripe_live()))]);
    repo.git(&["add", "new.env"]);
    repo.write(&[("new.env", "K=\n")]);
    let run = run_hook(&repo.dir, "keytrace", &[], &["README.md", "new.env"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("new.env:1:"), "{}", run.stdout);
    assert!(!run.stdout.contains("deploy/app.env"), "{}", run.stdout);
}
