//! `keytrace hook install` / `uninstall` and the installed pre-commit script, driven through
//! real `git commit` in temp repositories. The hook finds keytrace on PATH, so each git
//! command runs with the directory of the binary under test first on PATH (or without any
//! keytrace on PATH, or with a stub keytrace, to test failing closed).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::{bin, keytrace, secrets, write_files, Run};

/// A temp repository with its own HOME, so neither the user's git config nor their hooks
/// leak in.
struct Fixture {
    tmp: tempfile::TempDir,
    dir: PathBuf,
}

/// Which keytrace the hook finds on PATH.
#[derive(Clone, Copy)]
enum OnPath<'a> {
    /// The binary under test.
    Real,
    /// None at all.
    Missing,
    /// A stub script with this body (after `#!/bin/sh`).
    Stub(&'a str),
}

/// PATH entries that hold no `keytrace` executable (a developer may have one installed).
fn path_without_keytrace() -> Vec<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|d| !d.join("keytrace").exists() && !d.join("keytrace.exe").exists())
        .collect()
}

impl Fixture {
    fn new() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("repo");
        std::fs::create_dir(&dir).unwrap();
        let fx = Fixture { tmp, dir };
        fx.ok(&["init", "-q"]);
        fx
    }

    fn home(&self) -> PathBuf {
        self.tmp.path().to_path_buf()
    }

    fn path_env(&self, on_path: OnPath) -> OsString {
        let mut dirs = path_without_keytrace();
        match on_path {
            OnPath::Real => dirs.insert(
                0,
                bin().parent().expect("binary has a folder").to_path_buf(),
            ),
            OnPath::Missing => {}
            OnPath::Stub(body) => {
                let stub = self.tmp.path().join("stub-bin");
                std::fs::create_dir_all(&stub).unwrap();
                let exe = stub.join("keytrace");
                std::fs::write(&exe, format!("#!/bin/sh\n{body}\n")).unwrap();
                make_executable(&exe);
                dirs.insert(0, stub);
            }
        }
        std::env::join_paths(dirs).unwrap()
    }

    /// Runs git in the repository with `on_path` deciding which keytrace the hook sees.
    fn git_with(&self, on_path: OnPath, args: &[&str]) -> Run {
        self.git_in(&self.dir, on_path, args)
    }

    /// Runs git in `dir` (a linked worktree, say) with this fixture's environment.
    fn git_in(&self, dir: &Path, on_path: OnPath, args: &[&str]) -> Run {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("PATH", self.path_env(on_path))
            .env("HOME", self.home())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Tess Ter")
            .env("GIT_AUTHOR_EMAIL", "tess@example.test")
            .env("GIT_COMMITTER_NAME", "Tess Ter")
            .env("GIT_COMMITTER_EMAIL", "tess@example.test")
            .env("NO_COLOR", "1")
            // `cargo test` may itself run inside a git hook: do not inherit its repository.
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_WORK_TREE")
            .env_remove("KEYTRACE_BIN")
            .stdin(Stdio::null())
            .output()
            .expect("run git");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn git(&self, args: &[&str]) -> Run {
        self.git_with(OnPath::Real, args)
    }

    /// Runs git and asserts it succeeded.
    fn ok(&self, args: &[&str]) -> Run {
        let run = self.git(args);
        assert_eq!(run.code, 0, "git {args:?}:\n{}{}", run.stdout, run.stderr);
        run
    }

    fn write(&self, files: &[(&str, &str)]) {
        write_files(&self.dir, files);
    }

    fn commit_with(&self, on_path: OnPath, message: &str) -> Run {
        self.git_with(on_path, &["commit", "-q", "-m", message])
    }

    fn commit(&self, message: &str) -> Run {
        self.commit_with(OnPath::Real, message)
    }

    fn hook_cmd(&self, args: &[&str]) -> Run {
        let mut all = vec!["hook"];
        all.extend_from_slice(args);
        keytrace(&self.dir, &all)
    }

    fn install(&self) -> Run {
        let run = self.hook_cmd(&["install"]);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        run
    }

    fn hooks_dir(&self) -> PathBuf {
        self.dir.join(".git/hooks")
    }

    fn head_count(&self) -> usize {
        let run = self.git(&["rev-list", "--count", "HEAD"]);
        run.stdout.trim().parse().unwrap_or(0)
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) {}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("failed to read {}: {e}", path.display()))
}

/// Every file under `dir` with its content, sorted: a fingerprint of the hooks folder.
fn snapshot(dir: &Path) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap_or_default(),
            )
        })
        .collect();
    all.sort();
    all
}

fn secret_line() -> String {
    format!("GITHUB_TOKEN={}\n", secrets::github_pat())
}

#[test]
fn staged_secret_blocks_the_commit_with_what_to_do() {
    let fx = Fixture::new();
    fx.install();
    fx.write(&[("README.md", "hello\n")]);
    fx.ok(&["add", "README.md"]);
    let run = fx.commit("clean");
    assert_eq!(run.code, 0, "a clean commit passes:\n{}", run.stderr);

    fx.write(&[("deploy/app.env", &format!("# deploy\n{}", secret_line()))]);
    fx.ok(&["add", "deploy/app.env"]);
    let run = fx.commit("add token");
    assert_ne!(run.code, 0, "the commit must be blocked:\n{}", run.stderr);
    assert_eq!(fx.head_count(), 1, "nothing was committed");
    let all = format!("{}{}", run.stdout, run.stderr);
    for want in [
        "deploy/app.env:2:",
        "github.pat.classic",
        "commit blocked",
        "rotate it",
        "keytrace:allow",
    ] {
        assert!(all.contains(want), "missing {want:?} in:\n{all}");
    }
    assert!(
        !all.contains(&secrets::github_pat()),
        "the hook printed the secret"
    );
}

#[test]
fn unstaged_secret_does_not_block() {
    let fx = Fixture::new();
    fx.install();
    fx.write(&[("app.env", "NAME=demo\n"), ("README.md", "hello\n")]);
    fx.ok(&["add", "README.md", "app.env"]);
    assert_eq!(fx.commit("base").code, 0);

    // The secret is only in the work tree; the commit adds an unrelated file.
    fx.write(&[("app.env", &format!("NAME=demo\n{}", secret_line()))]);
    fx.write(&[("notes.txt", "notes\n")]);
    fx.ok(&["add", "notes.txt"]);
    let run = fx.commit("notes");
    assert_eq!(
        run.code, 0,
        "an unstaged secret must not block:\n{}",
        run.stderr
    );
    assert_eq!(fx.head_count(), 2);
}

#[test]
fn clean_commit_passes_on_an_unborn_head() {
    let fx = Fixture::new();
    fx.install();
    fx.write(&[("src/main.rs", "fn main() {}\n")]);
    fx.ok(&["add", "."]);
    let run = fx.commit("first");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(fx.head_count(), 1);
}

#[test]
fn install_twice_changes_nothing() {
    let fx = Fixture::new();
    let first = fx.install();
    assert!(
        first.stdout.contains("installed the pre-commit hook"),
        "{}",
        first.stdout
    );
    let hook = fx.hooks_dir().join("pre-commit");
    assert!(read(&hook).contains("keytrace scan --staged"));
    let before = snapshot(&fx.hooks_dir());

    let second = fx.install();
    assert!(
        second.stdout.contains("already installed"),
        "{}",
        second.stdout
    );
    assert_eq!(snapshot(&fx.hooks_dir()), before);
    assert!(!fx.hooks_dir().join("pre-commit.keytrace-chained").exists());
}

#[test]
fn existing_hook_is_chained_runs_first_and_uninstall_restores_it() {
    let fx = Fixture::new();
    let log = fx.home().join("chained.log");
    let theirs = format!(
        "#!/bin/sh\necho ran >> '{}'\n[ ! -f \"$(git rev-parse --show-toplevel)/FAIL\" ]\n",
        log.display()
    );
    let hook = fx.hooks_dir().join("pre-commit");
    std::fs::create_dir_all(fx.hooks_dir()).unwrap();
    std::fs::write(&hook, &theirs).unwrap();
    make_executable(&hook);

    let run = fx.install();
    assert!(run.stdout.contains("kept as"), "{}", run.stdout);
    let chained = fx.hooks_dir().join("pre-commit.keytrace-chained");
    assert_eq!(read(&chained), theirs);
    assert_ne!(read(&hook), theirs);

    // The chained hook runs, and its failure still blocks the commit.
    fx.write(&[("FAIL", "")]);
    fx.ok(&["add", "FAIL"]);
    let run = fx.commit("blocked by the old hook");
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert_eq!(read(&log).lines().count(), 1);
    fx.ok(&["rm", "-q", "--cached", "FAIL"]);
    std::fs::remove_file(fx.dir.join("FAIL")).unwrap();

    // Passing the old hook, the commit then goes through keytrace (clean).
    fx.write(&[("a.txt", "a\n")]);
    fx.ok(&["add", "a.txt"]);
    let run = fx.commit("clean");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(read(&log).lines().count(), 2);

    // Installing again keeps the chain as it is.
    fx.install();
    assert_eq!(read(&chained), theirs);

    let run = fx.hook_cmd(&["install", "--uninstall"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("restored"), "{}", run.stdout);
    assert_eq!(read(&hook), theirs);
    assert!(!chained.exists());

    // Without keytrace, a staged secret commits; the old hook still runs.
    fx.write(&[("b.env", &secret_line())]);
    fx.ok(&["add", "b.env"]);
    let run = fx.commit_with(OnPath::Missing, "no keytrace hook any more");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(read(&log).lines().count(), 3);

    // `hook uninstall` again: nothing to do, the user's hook is left alone.
    let run = fx.hook_cmd(&["uninstall"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("not keytrace's hook"), "{}", run.stdout);
    assert_eq!(read(&hook), theirs);
}

#[test]
fn core_hooks_path_is_followed() {
    let fx = Fixture::new();
    fx.ok(&["config", "core.hooksPath", "tools/githooks"]);
    std::fs::create_dir_all(fx.dir.join("sub")).unwrap();
    // Installing from a subfolder still resolves the path against the top of the tree.
    let run = fx.hook_cmd(&["install", "--path", "sub"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let hook = fx.dir.join("tools/githooks/pre-commit");
    assert!(read(&hook).contains("keytrace scan --staged"));
    assert!(!fx.hooks_dir().join("pre-commit").exists());

    // git runs it from there: without keytrace on PATH the commit is blocked by it.
    fx.write(&[("a.txt", "a\n")]);
    fx.ok(&["add", "a.txt"]);
    let run = fx.commit_with(OnPath::Missing, "x");
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("not found on PATH"), "{}", run.stderr);

    let run = fx.hook_cmd(&["uninstall"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!hook.exists());
}

#[test]
fn linked_worktree_installs_into_the_shared_hooks() {
    let fx = Fixture::new();
    fx.write(&[("a.txt", "a\n")]);
    fx.ok(&["add", "a.txt"]);
    fx.ok(&["commit", "-q", "--no-verify", "-m", "base"]);
    let wt = fx.home().join("wt");
    fx.ok(&["worktree", "add", "-q", wt.to_str().unwrap()]);
    let run = keytrace(&wt, &["hook", "install"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fx.hooks_dir().join("pre-commit").is_file());

    // A commit in the linked worktree runs it and scans that worktree's index.
    write_files(&wt, &[("s.env", &secret_line())]);
    assert_eq!(fx.git_in(&wt, OnPath::Real, &["add", "s.env"]).code, 0);
    let run = fx.git_in(&wt, OnPath::Real, &["commit", "-q", "-m", "secret"]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("s.env:1:"), "{}", run.stderr);
}

#[test]
fn missing_keytrace_fails_closed() {
    let fx = Fixture::new();
    fx.install();
    fx.write(&[("a.txt", "a\n")]);
    fx.ok(&["add", "a.txt"]);
    let run = fx.commit_with(OnPath::Missing, "x");
    assert_ne!(run.code, 0, "the commit must be blocked");
    assert!(run.stderr.contains("commit blocked"), "{}", run.stderr);
    assert!(run.stderr.contains("not found on PATH"), "{}", run.stderr);
    assert!(
        run.stderr.contains("git commit --no-verify"),
        "{}",
        run.stderr
    );
    assert_eq!(fx.head_count(), 0);

    // The documented, deliberate bypass works.
    let run = fx.git_with(OnPath::Missing, &["commit", "-q", "--no-verify", "-m", "x"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn scan_error_blocks_and_findings_explain_what_to_do() {
    let fx = Fixture::new();
    fx.install();
    fx.write(&[("a.txt", "a\n")]);
    fx.ok(&["add", "a.txt"]);

    let run = fx.commit_with(
        OnPath::Stub("echo 'keytrace: error: index is corrupt' >&2; exit 2"),
        "x",
    );
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("index is corrupt"), "{}", run.stderr);
    assert!(run.stderr.contains("could not scan"), "{}", run.stderr);
    assert!(
        run.stderr.contains("git commit --no-verify"),
        "{}",
        run.stderr
    );

    let run = fx.commit_with(OnPath::Stub("kill -9 $$"), "x");
    assert_ne!(run.code, 0, "a crashed scanner blocks too");
    assert!(run.stderr.contains("could not scan"), "{}", run.stderr);

    let run = fx.commit_with(OnPath::Stub("[ \"$*\" = 'scan --staged' ] && exit 1"), "x");
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("Remove the secret"), "{}", run.stderr);
    assert!(run.stderr.contains("keytrace:allow"), "{}", run.stderr);
    assert_eq!(fx.head_count(), 0);

    let run = fx.commit_with(OnPath::Stub("[ \"$*\" = 'scan --staged' ]"), "x");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(fx.head_count(), 1);
}

#[test]
fn husky_and_lefthook_get_a_snippet_instead() {
    let fx = Fixture::new();
    fx.write(&[("lefthook.yml", "pre-push:\n  commands: {}\n")]);
    let run = fx.install();
    assert!(run.stdout.contains("lefthook"), "{}", run.stdout);
    assert!(
        run.stdout.contains("run: keytrace scan --staged"),
        "{}",
        run.stdout
    );
    assert!(!fx.hooks_dir().join("pre-commit").exists());

    let fx = Fixture::new();
    fx.ok(&["config", "core.hooksPath", ".husky/_"]);
    let run = fx.install();
    assert!(run.stdout.contains("husky"), "{}", run.stdout);
    assert!(
        run.stdout.contains("keytrace scan --staged"),
        "{}",
        run.stdout
    );
    assert!(!fx.dir.join(".husky/_/pre-commit").exists());
}

#[test]
fn outside_a_repository_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let run = Command::new(bin())
        .args(["hook", "install"])
        .current_dir(tmp.path())
        .env("GIT_CEILING_DIRECTORIES", tmp.path().parent().unwrap())
        .env_remove("GIT_DIR")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("not in a git repository"));
}

/// `git commit -a` and `git commit <path>` stage into a temporary index and point the hook
/// at it through GIT_INDEX_FILE: the scan must read that index, or these commits bypass it.
#[test]
fn commit_all_and_commit_paths_are_scanned() {
    let fx = Fixture::new();
    fx.install();
    fx.write(&[("app.env", "NAME=demo\n")]);
    fx.ok(&["add", "app.env"]);
    assert_eq!(fx.commit("base").code, 0);

    fx.write(&[("app.env", &format!("NAME=demo\n{}", secret_line()))]);
    let run = fx.git(&["commit", "-q", "-a", "-m", "commit -a"]);
    assert_ne!(
        run.code, 0,
        "`git commit -a` must be blocked:\n{}",
        run.stderr
    );
    assert!(run.stderr.contains("app.env:2:"), "{}", run.stderr);

    let run = fx.git(&["commit", "-q", "-m", "commit a path", "app.env"]);
    assert_ne!(
        run.code, 0,
        "`git commit <path>` must be blocked:\n{}",
        run.stderr
    );
    assert!(run.stderr.contains("app.env:2:"), "{}", run.stderr);
    assert_eq!(fx.head_count(), 1);
}

/// Issue 12, item 7: `.keytrace/baseline.json` is read without `--baseline`, so the
/// installed hook (a bare `keytrace scan --staged`) lets an accepted secret through and
/// still blocks a new one; a `[scan] baseline` key in the config names another file.
#[test]
fn default_baseline_is_honoured_by_the_hook() {
    let fx = Fixture::new();
    fx.write(&[("old.env", &secret_line())]);
    // The accepted secret, recorded as `keytrace baseline` writes it.
    let run = keytrace(&fx.dir, &["baseline", "-o", ".keytrace/baseline.json", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    fx.install();
    fx.ok(&["add", "old.env", ".keytrace/baseline.json"]);
    let run = fx.commit("accepted secret");
    assert_eq!(run.code, 0, "the baseline accepts it:\n{}", run.stderr);
    let run = keytrace(&fx.dir, &["scan", "."]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("baseline"), "{}", run.stderr);

    // The same secret in another file is still the accepted one; a new one blocks.
    fx.write(&[("copy.env", &secret_line())]);
    fx.ok(&["add", "copy.env"]);
    assert_eq!(fx.commit("copy").code, 0);
    fx.write(&[("new.env", &format!("STRIPE={}\n", secrets::stripe_live()))]);
    fx.ok(&["add", "new.env"]);
    let run = fx.commit("new secret");
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("new.env:1:"), "{}", run.stderr);
    fx.ok(&["rm", "-q", "--cached", "new.env"]);

    // A `[scan] baseline` key moves the file; the default one is then not read.
    std::fs::rename(
        fx.dir.join(".keytrace/baseline.json"),
        fx.dir.join("accepted.json"),
    )
    .unwrap();
    let run = keytrace(&fx.dir, &["scan", "old.env"]);
    assert_eq!(run.code, 1, "no baseline any more:\n{}", run.stderr);
    fx.write(&[(
        ".keytrace/config.toml",
        "[scan]\nbaseline = \"accepted.json\"\n",
    )]);
    let run = keytrace(&fx.dir, &["scan", "."]);
    assert!(
        run.code == 1 && run.stdout.contains("new.env") && !run.stdout.contains("old.env"),
        "{}{}",
        run.stdout,
        run.stderr
    );
    fx.write(&[(
        ".keytrace/config.toml",
        "[scan]\nbaseline = \"missing.json\"\n",
    )]);
    let run = keytrace(&fx.dir, &["scan", "."]);
    assert_eq!(
        run.code, 2,
        "a configured baseline that is missing is an error"
    );
    assert!(run.stderr.contains("missing.json"), "{}", run.stderr);
}

/// Issue 12, item 19: `hook install --pre-push` installs a native pre-push hook that scans
/// what each `git push` sends, from the refs git writes on its standard input; a new
/// branch (remote sha all zeros) scans the commits no ref under refs/remotes/<remote>/ has.
#[test]
fn pre_push_hook_blocks_a_push_that_sends_a_secret() {
    let fx = Fixture::new();
    let remote = fx.home().join("remote.git");
    fx.ok(&["init", "-q", "--bare", remote.to_str().unwrap()]);
    fx.ok(&["remote", "add", "origin", remote.to_str().unwrap()]);
    // A pre-push hook already there is chained: it runs first and sees git's refs too.
    let log = fx.home().join("chained.log");
    let theirs = format!("#!/bin/sh\ncat >> '{}'\n", log.display());
    std::fs::create_dir_all(fx.hooks_dir()).unwrap();
    std::fs::write(fx.hooks_dir().join("pre-push"), &theirs).unwrap();
    make_executable(&fx.hooks_dir().join("pre-push"));

    let run = fx.hook_cmd(&["install", "--pre-push"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("installed the pre-push hook"),
        "{}",
        run.stdout
    );
    let hook = fx.hooks_dir().join("pre-push");
    assert!(read(&hook).contains("keytrace scan --pre-push"));
    assert_eq!(
        read(&fx.hooks_dir().join("pre-push.keytrace-chained")),
        theirs
    );
    assert!(
        !fx.hooks_dir().join("pre-commit").exists(),
        "only the pre-push hook"
    );
    assert!(fx
        .hook_cmd(&["install", "--pre-push"])
        .stdout
        .contains("already installed"));

    // First push of a clean branch to an empty remote: passes.
    fx.write(&[("README.md", "app\n")]);
    fx.ok(&["add", "README.md"]);
    fx.ok(&["commit", "-q", "-m", "init"]);
    let run = fx.git(&["push", "-q", "origin", "HEAD:refs/heads/main"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        read(&log).contains("refs/heads/main"),
        "the chained hook got the refs"
    );

    // A commit with a token: the push is blocked and the remote keeps its tip.
    let clean = fx.git(&["rev-parse", "HEAD"]).stdout.trim().to_owned();
    fx.write(&[("deploy/app.env", &secret_line())]);
    fx.ok(&["add", "deploy/app.env"]);
    fx.ok(&["commit", "-q", "-m", "token"]);
    let run = fx.git(&["push", "-q", "origin", "HEAD:refs/heads/main"]);
    assert_ne!(run.code, 0, "the push must be blocked:\n{}", run.stderr);
    let all = format!("{}{}", run.stdout, run.stderr);
    for want in ["deploy/app.env:1:", "push blocked", "rotate it"] {
        assert!(all.contains(want), "missing {want:?}:\n{all}");
    }
    assert!(!all.contains(&secrets::github_pat()));
    let tip = fx.git(&["--git-dir", remote.to_str().unwrap(), "rev-parse", "main"]);
    assert_eq!(tip.stdout.trim(), clean);

    // The same commits to a new branch: still blocked (the remote lacks them).
    let run = fx.git(&["push", "-q", "origin", "HEAD:refs/heads/topic"]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(
        format!("{}{}", run.stdout, run.stderr).contains("deploy/app.env:1:"),
        "{}",
        run.stderr
    );

    // A new branch off what the remote has, with a clean commit: only that commit is new.
    fx.ok(&["fetch", "-q", "origin"]);
    fx.ok(&["checkout", "-q", "-b", "docs", &clean]);
    fx.write(&[("docs.md", "docs\n")]);
    fx.ok(&["add", "docs.md"]);
    fx.ok(&["commit", "-q", "-m", "docs"]);
    let run = fx.git(&["push", "-q", "origin", "docs"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let run = fx.hook_cmd(&["uninstall", "--pre-push"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("restored"), "{}", run.stdout);
    assert_eq!(read(&hook), theirs);
}
