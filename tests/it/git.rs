//! Git sources on real repositories built with `git`: staged, range, history, and the
//! hard cases (empty, unborn, bare, worktree, shallow, submodule, LFS, binary, huge,
//! corrupt objects, renames).

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{keytrace, scan_json, secrets, write_files};

/// A scratch repository driven through the real `git` binary.
pub struct Repo {
    _tmp: tempfile::TempDir,
    pub dir: PathBuf,
}

impl Repo {
    pub fn new() -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("repo");
        std::fs::create_dir(&dir).unwrap();
        let repo = Repo { _tmp: tmp, dir };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    pub fn git(&self, args: &[&str]) -> String {
        git_in(&self.dir, args)
    }

    pub fn write(&self, files: &[(&str, &str)]) {
        write_files(&self.dir, files);
    }

    /// Writes files, stages everything and commits; returns the commit id.
    pub fn commit(&self, files: &[(&str, &str)], message: &str) -> String {
        self.write(files);
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"]).trim().to_owned()
    }

    pub fn scan(&self, args: &[&str]) -> super::Run {
        keytrace(&self.dir, args)
    }

    /// `keytrace scan ARGS --format json` in the repository.
    pub fn scan_json(&self, args: &[&str]) -> super::Run {
        super::scan_json(&self.dir, args)
    }

    /// `keytrace scan --format json` over one kind of change: what the index adds
    /// (`--staged`) or what the commits of a range add (`--range BASE..HEAD`). The staged
    /// and range tests share it, so both sources are held to the same assertions.
    pub fn scan_change(&self, change: Change<'_>) -> super::Run {
        match change {
            Change::Staged => self.scan_json(&["--staged"]),
            Change::Range(range) => self.scan_json(&["--range", range]),
        }
    }
}

/// A change a pre-commit hook or a pull request scans.
#[derive(Debug, Clone, Copy)]
pub enum Change<'a> {
    /// The index against HEAD.
    Staged,
    /// `BASE..HEAD`.
    Range(&'a str),
}

pub fn git_in(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Tess Ter",
            "-c",
            "user.email=tess@example.test",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "protocol.file.allow=always",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_DATE", "2026-01-02T03:04:05Z")
        .env("GIT_COMMITTER_DATE", "2026-01-02T03:04:05Z")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// An RSA private key from the corpus.
fn corpus_rsa_key() -> String {
    std::fs::read_dir(super::root().join("corpus/positive/multiline"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("rsa"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .expect("an RSA key in the corpus")
}

fn line_with_secret() -> String {
    format!("GITHUB_TOKEN={}\n", secrets::github_pat())
}

#[test]
fn staged_reports_only_added_lines_read_from_the_index() {
    let repo = Repo::new();
    repo.commit(
        &[("old.env", &line_with_secret()), ("a.txt", "one\n")],
        "base",
    );
    // Editing another line of a file that already holds a secret does not block.
    repo.write(&[("old.env", &format!("# comment\n{}", line_with_secret()))]);
    repo.git(&["add", "old.env"]);
    let run = repo.scan_change(Change::Staged);
    assert_eq!(run.code, 0, "{}", run.stdout);

    // A staged secret is found even after the work tree copy is cleaned.
    repo.write(&[("a.txt", &format!("one\n{}", line_with_secret()))]);
    repo.git(&["add", "a.txt"]);
    repo.write(&[("a.txt", "one\n")]);
    let run = repo.scan_change(Change::Staged);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let f = run.findings();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["path"], "a.txt");
    assert_eq!(f[0]["line"], 2);
    assert_eq!(f[0]["source"], "staged");

    // An unstaged secret is not the next commit's business.
    repo.git(&["reset", "-q"]);
    repo.write(&[("a.txt", &format!("one\n{}", line_with_secret()))]);
    assert_eq!(repo.scan(&["scan", "--staged"]).code, 0);
}

#[test]
fn staged_on_unborn_head_and_empty_repo() {
    let repo = Repo::new();
    let run = repo.scan(&["scan", "--staged"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = repo.scan(&["scan", "--history"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    repo.write(&[("k.env", &line_with_secret())]);
    repo.git(&["add", "k.env"]);
    let run = repo.scan_change(Change::Staged);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.findings()[0]["path"], "k.env");
}

#[test]
fn multi_line_private_key_counts_when_any_line_is_added() {
    let repo = Repo::new();
    let key = corpus_rsa_key();
    let mut lines: Vec<&str> = key.lines().collect();
    let last_body = lines.len() - 2;
    let removed = lines.remove(last_body);
    repo.commit(&[("id_rsa", &(lines.join("\n") + "\n"))], "partial key");
    let _ = repo.scan(&["scan", "--staged"]);
    lines.insert(last_body, removed);
    repo.write(&[("id_rsa", &(lines.join("\n") + "\n"))]);
    repo.git(&["add", "id_rsa"]);
    let run = repo.scan_change(Change::Staged);
    assert_eq!(
        run.code, 1,
        "one added line inside the key block: {}",
        run.stderr
    );
}

#[test]
fn history_reports_once_at_first_commit_with_provenance() {
    let repo = Repo::new();
    repo.commit(&[("README", "hello\n")], "init");
    let first = repo.commit(
        &[
            ("conf/app.env", &line_with_secret()),
            ("copy.env", &line_with_secret()),
        ],
        "add secret",
    );
    for i in 0..100 {
        repo.commit(&[("counter.txt", &format!("{i}\n"))], &format!("bump {i}"));
    }
    std::fs::remove_file(repo.dir.join("conf/app.env")).unwrap();
    repo.commit(&[], "remove secret");
    let run = repo.scan_json(&["--history"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = run.json();
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2, "one per (secret, path)");
    assert_eq!(findings[0]["fingerprint"], findings[1]["fingerprint"]);
    let app = findings
        .iter()
        .find(|f| f["path"] == "conf/app.env")
        .unwrap();
    assert_eq!(app["first_commit"]["id"], first.as_str());
    assert_eq!(app["commit"]["message_summary"], "add secret");
    assert_eq!(app["first_commit"]["author"], "Tess Ter");
    assert_eq!(app["last_commit"]["message_summary"], "bump 99");
    assert_eq!(app["in_head"], false);
    assert_eq!(app["commits"], 101);
    let copy = findings.iter().find(|f| f["path"] == "copy.env").unwrap();
    assert_eq!(copy["in_head"], true);
    assert_eq!(copy["commits"], 102);
    // README, the secret blob (shared by two paths), 100 counters: each blob once.
    assert_eq!(doc["summary"]["scanned"], 102);
}

#[test]
fn history_in_head_finding_is_located_at_its_head_line() {
    // Issue 12, item 5: the secret enters at line 1; later commits push it to line 6. The
    // finding points at line 6 (where code scanning shows it in HEAD); first_commit stays
    // the commit that added it.
    let repo = Repo::new();
    let secret = line_with_secret();
    let first = repo.commit(&[("app.env", &secret)], "add secret");
    repo.commit(
        &[("app.env", &format!("a\nb\n{secret}"))],
        "two lines above",
    );
    repo.commit(
        &[("app.env", &format!("a\nb\nc\nd\ne\n{secret}"))],
        "more above",
    );
    let run = repo.scan_json(&["--history"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let findings = run.findings();
    assert_eq!(findings.len(), 1, "one per (secret, path)");
    let f = &findings[0];
    assert_eq!(f["in_head"], true);
    assert_eq!(f["line"], 6, "located at its line in HEAD");
    assert_eq!(f["first_commit"]["id"], first.as_str());
    assert_eq!(f["commits"], 3);
}

#[test]
fn history_commit_count_counts_commits_not_occurrences() {
    // Issue 12, item 8: the same secret twice in one file carried by 25 commits is
    // carried by 25 commits, not 50.
    let repo = Repo::new();
    let secret = line_with_secret();
    repo.commit(
        &[("twice.env", &format!("{secret}# again\n{secret}"))],
        "add",
    );
    for i in 0..24 {
        repo.commit(&[("counter.txt", &format!("{i}\n"))], &format!("bump {i}"));
    }
    let run = repo.scan_json(&["--history"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let findings = run.findings();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["commits"], 25);
    assert_eq!(findings[0]["line"], 1, "the first occurrence");
}

#[test]
fn history_all_refs_and_unreachable() {
    let repo = Repo::new();
    repo.commit(&[("a.txt", "a\n")], "init");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.commit(&[("f.env", &line_with_secret())], "feature secret");
    repo.git(&["checkout", "-q", "main"]);
    assert_eq!(
        repo.scan(&["scan", "--history"]).code,
        0,
        "HEAD's history has no secret"
    );
    let run = repo.scan_json(&["--history", "--all"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.findings()[0]["path"], "f.env");
    repo.git(&["branch", "-q", "-D", "feature"]);
    assert_eq!(
        repo.scan(&["scan", "--history", "--all"]).code,
        0,
        "unreachable blobs are dropped"
    );
    let run = repo.scan_json(&["--history", "--all", "--include-unreachable"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.findings()[0]["flags"][0], "unreachable");
}

#[test]
fn history_reads_packs_and_loose_objects() {
    let repo = Repo::new();
    repo.commit(&[("packed.env", &line_with_secret())], "packed");
    repo.git(&["gc", "-q"]);
    repo.commit(
        &[("loose.env", &format!("T={}\n", secrets::stripe_live()))],
        "loose",
    );
    let run = repo.scan_json(&["--history"]);
    let mut paths: Vec<String> = run
        .findings()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    paths.sort();
    assert_eq!(paths, vec!["loose.env", "packed.env"]);
    // A bare clone works the same.
    let bare = repo.dir.parent().unwrap().join("bare.git");
    git_in(
        repo.dir.parent().unwrap(),
        &[
            "clone",
            "-q",
            "--bare",
            repo.dir.to_str().unwrap(),
            bare.to_str().unwrap(),
        ],
    );
    let run = scan_json(&bare, &["--history"]);
    assert_eq!(run.findings().len(), 2, "{}", run.stderr);
}

#[test]
fn range_reports_what_the_range_adds() {
    let repo = Repo::new();
    repo.commit(&[("base.env", &line_with_secret())], "base with secret");
    let base = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    repo.commit(&[("docs.md", "hello\n")], "docs");
    let run = repo.scan(&["scan", "--range", &format!("{base}..HEAD")]);
    assert_eq!(
        run.code, 0,
        "the old secret is not in the range: {}",
        run.stdout
    );

    let added = repo.commit(
        &[("new.env", &format!("K={}\n", secrets::stripe_live()))],
        "add key",
    );
    let run = repo.scan_json(&["--range", &format!("{base}..HEAD")]);
    assert_eq!(run.code, 1);
    let f = run.findings();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["source"], "range");
    assert_eq!(f[0]["commit"]["id"], added.as_str());
    assert_eq!(f[0]["commit"]["email"], "tess@example.test");
    assert_eq!(f[0]["commit"]["date"], "2026-01-02T03:04:05+00:00");

    let run = repo.scan_json(&["--since-commit", &base]);
    assert_eq!(run.findings().len(), 1);

    // A PR that removes a secret, or only renames a file holding one, adds nothing.
    let tip = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    std::fs::remove_file(repo.dir.join("new.env")).unwrap();
    repo.git(&["mv", "base.env", "moved.env"]);
    repo.commit(&[], "remove and rename");
    let run = repo.scan(&["scan", "--range", &format!("{tip}..HEAD")]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn empty_range_is_a_note_and_success() {
    let repo = Repo::new();
    repo.commit(&[("a", "a\n")], "one");
    let run = repo.scan(&["scan", "--range", "HEAD..HEAD"]);
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("no commits"), "{}", run.stderr);
}

#[test]
fn shallow_clone_scans_what_is_there_and_missing_base_says_fetch() {
    let repo = Repo::new();
    for i in 0..5 {
        repo.commit(&[("n.txt", &format!("{i}\n"))], &format!("c{i}"));
    }
    repo.commit(&[("s.env", &line_with_secret())], "secret");
    let old = repo.git(&["rev-parse", "HEAD~4"]).trim().to_owned();
    let shallow = repo.dir.parent().unwrap().join("shallow");
    git_in(
        repo.dir.parent().unwrap(),
        &[
            "clone",
            "-q",
            "--depth",
            "2",
            &format!("file://{}", repo.dir.display()),
            shallow.to_str().unwrap(),
        ],
    );
    let run = scan_json(&shallow, &["--history"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("shallow"), "{}", run.stderr);
    let run = keytrace(&shallow, &["scan", "--range", &format!("{old}..HEAD")]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("shallow") && run.stderr.contains("fetch"),
        "{}",
        run.stderr
    );
}

#[test]
fn linked_worktree_staged() {
    let repo = Repo::new();
    repo.commit(&[("a", "a\n")], "one");
    let wt = repo.dir.parent().unwrap().join("wt");
    repo.git(&["worktree", "add", "-q", wt.to_str().unwrap(), "-b", "side"]);
    write_files(&wt, &[("w.env", &line_with_secret())]);
    git_in(&wt, &["add", "w.env"]);
    let run = scan_json(&wt, &["--staged"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.findings()[0]["path"], "w.env");
    assert_eq!(
        repo.scan(&["scan", "--staged"]).code,
        0,
        "the main worktree's index is separate"
    );
}

#[test]
fn submodules_lfs_binary_and_huge_blobs_are_skipped_and_counted() {
    let sub = Repo::new();
    sub.commit(&[("inner.env", &line_with_secret())], "sub");
    let repo = Repo::new();
    repo.commit(&[("a", "a\n")], "one");
    let base = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    repo.git(&[
        "submodule",
        "add",
        "-q",
        sub.dir.to_str().unwrap(),
        "vendor/sub",
    ]);
    let pat = secrets::github_pat();
    repo.write(&[
        ("big.txt", &format!("{}{pat}\n", "x\n".repeat(2000))),
        ("model.bin", "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n"),
    ]);
    std::fs::write(
        repo.dir.join("blob.dat"),
        [b"\0\x01".as_slice(), pat.as_bytes()].concat(),
    )
    .unwrap();
    repo.commit(&[], "assets");
    let run = repo.scan_json(&[
        "--range",
        &format!("{base}..HEAD"),
        "--max-file-size",
        "1000",
    ]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let s = &run.json()["summary"];
    assert_eq!(s["skipped_large"], 1);
    assert_eq!(s["skipped_binary"], 1);
    assert_eq!(s["skipped_other"], 2, "the submodule and the LFS pointer");
    let run = repo.scan_json(&["--history", "--max-file-size", "1000"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn corrupt_object_is_named_and_the_scan_goes_on() {
    let repo = Repo::new();
    repo.commit(&[("good.env", &line_with_secret())], "good");
    repo.commit(&[("bad.txt", "this blob will be corrupted\n")], "bad");
    let id = repo.git(&["rev-parse", "HEAD:bad.txt"]).trim().to_owned();
    let path = repo.dir.join(".git/objects").join(&id[..2]).join(&id[2..]);
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&path, perms).unwrap();
    std::fs::write(&path, b"not zlib at all").unwrap();
    let run = repo.scan_json(&["--history"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains(&id), "names the object: {}", run.stderr);
    assert_eq!(
        run.findings().len(),
        1,
        "the readable secret is still reported"
    );
    let first = repo.git(&["rev-parse", "HEAD~1"]).trim().to_owned();
    let run = repo.scan(&["scan", "--range", &format!("{first}..HEAD")]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("bad.txt"), "{}", run.stderr);
}

#[test]
fn not_a_repository_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = keytrace(dir.path(), &["scan", "--staged"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not inside a git repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn pre_push_scans_what_is_pushed() {
    let upstream = Repo::new();
    upstream.commit(
        &[("old.env", &line_with_secret())],
        "old secret, already upstream",
    );
    let parent = upstream.dir.parent().unwrap();
    let clone = parent.join("clone");
    git_in(
        parent,
        &[
            "clone",
            "-q",
            upstream.dir.to_str().unwrap(),
            clone.to_str().unwrap(),
        ],
    );
    let remote_tip = git_in(&clone, &["rev-parse", "origin/main"])
        .trim()
        .to_owned();
    write_files(
        &clone,
        &[("new.env", &format!("K={}\n", secrets::stripe_live()))],
    );
    git_in(&clone, &["add", "new.env"]);
    git_in(&clone, &["commit", "-q", "-m", "new secret"]);
    let local = git_in(&clone, &["rev-parse", "HEAD"]).trim().to_owned();

    // An existing branch: only the commits after the remote's tip.
    let input = format!("refs/heads/main {local} refs/heads/main {remote_tip}\n");
    let run = super::keytrace_stdin(
        &clone,
        &["scan", "--pre-push", "--format", "json"],
        Some(input.as_bytes()),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let paths: Vec<String> = run
        .findings()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(paths, vec!["new.env"]);

    // A new branch: the commits no remote-tracking ref has.
    let zeros = "0".repeat(40);
    let input = format!("refs/heads/topic {local} refs/heads/topic {zeros}\n");
    let run = super::keytrace_stdin(
        &clone,
        &["scan", "--pre-push", "--format", "json"],
        Some(input.as_bytes()),
    );
    assert_eq!(run.findings().len(), 1, "{}", run.stderr);

    // Deleting a remote branch pushes nothing.
    let input = format!("(delete) {zeros} refs/heads/old {remote_tip}\n");
    let run = super::keytrace_stdin(&clone, &["scan", "--pre-push"], Some(input.as_bytes()));
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A small deterministic generator (64-bit LCG), so the edit sequence is the same on
/// every run and machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn word(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| alphabet[self.below(alphabet.len())] as char)
            .collect()
    }
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// One line (or block) of the evolving files: filler, or a secret of some kind.
fn generated_line(rng: &mut Lcg, key: &str) -> String {
    match rng.below(9) {
        0 => format!("STRIPE_KEY={}{}", "sk_live_", rng.word(ALNUM, 32)),
        1 => format!("  db_password: \"{}\"", rng.word(ALNUM, 20)),
        2 => format!(
            "aws_access_key_id = {}{}\naws_secret_access_key = {}",
            "AKIA",
            rng.word(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
            rng.word(ALNUM, 40)
        ),
        3 => key.trim_end().to_owned(),
        4 => "encrypted:".to_owned(),
        _ => format!(
            "let value_{} = compute({});",
            rng.below(1000),
            rng.below(1000)
        ),
    }
}

/// Two runs of `--history --all`, delta-aware and whole-blob, must report exactly the
/// same findings. The note proves the delta-aware path ran.
fn assert_delta_aware_equals_full(dir: &Path) -> usize {
    let delta = scan_json(dir, &["--history", "--all"]);
    let full = scan_json(dir, &["--history", "--all", "--no-delta"]);
    assert!(
        delta.code <= 1 && full.code <= 1,
        "{}\n{}",
        delta.stderr,
        full.stderr
    );
    let (d, f) = (delta.json(), full.json());
    assert_eq!(
        d["findings"], f["findings"],
        "delta-aware and whole-blob history scans differ"
    );
    let notes = d["summary"]["notes"].to_string();
    assert!(
        notes.contains("delta-aware:"),
        "no blob was searched as a delta, the test proves nothing: {notes}"
    );
    assert!(!f["summary"]["notes"].to_string().contains("delta-aware:"));
    f["findings"].as_array().unwrap().len()
}

/// Provenance from the tree graph (the default) and from reading every commit's trees
/// again (`--provenance-walk`) must give every finding the same fields: path, line, first
/// and last commit, `in_head`, commit count, authors and dates. Returns the findings.
fn assert_graph_equals_walk(dir: &Path) -> usize {
    let graph = scan_json(dir, &["--history", "--all"]);
    let walk = scan_json(dir, &["--history", "--all", "--provenance-walk"]);
    assert!(
        graph.code <= 1 && walk.code <= 1,
        "{}\n{}",
        graph.stderr,
        walk.stderr
    );
    let (g, w) = (graph.json(), walk.json());
    let notes = g["summary"]["notes"].to_string();
    assert!(
        !notes.contains("provenance read every commit's trees again"),
        "the tree graph was not used, the test proves nothing: {notes}"
    );
    let (gf, wf) = (
        g["findings"].as_array().unwrap(),
        w["findings"].as_array().unwrap(),
    );
    assert_eq!(gf.len(), wf.len(), "different numbers of findings");
    for (a, b) in gf.iter().zip(wf) {
        for (field, value) in a.as_object().unwrap() {
            assert_eq!(
                value, &b[field],
                "field {field} differs between the tree graph and the tree walk for {} at {}:{}",
                a["rule_id"], a["path"], a["line"]
            );
        }
        assert_eq!(a, b);
    }
    gf.len()
}

#[test]
fn history_provenance_from_the_tree_graph_equals_the_tree_walk() {
    // Renames, merges, one blob at several paths (and under a symlink, which provenance
    // does not follow), a blob deleted and added back, an executable bit flipped, nested
    // directories that change and come back, a second branch; packed with deep delta
    // chains (so trees are stored as deltas of each other), then loose commits on top.
    let repo = Repo::new();
    let aws = format!("aws_access_key_id = AKIA{}\n", "QX7RT2MZ4KPLW3NB");
    let stripe = format!("STRIPE_KEY=sk_live_{}\n", "4eC39HqLyjWDarjtT1zdp7dc");
    let mut rng = Lcg(0x7472_6565_6772_6170);
    repo.commit(&[("a/b/c/key.env", &aws), ("README", "hello\n")], "one");
    repo.commit(
        &[("copy/key.env", &aws), ("pay.env", &stripe)],
        "same blob twice",
    );
    repo.git(&["mv", "a/b", "a/renamed"]);
    repo.git(&["commit", "-q", "-m", "rename a directory"]);
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.commit(&[("side/pay.env", &stripe)], "side branch");
    repo.git(&["checkout", "-q", "main"]);
    std::fs::remove_file(repo.dir.join("pay.env")).unwrap();
    repo.commit(&[], "delete pay.env");
    repo.git(&["merge", "-q", "--no-ff", "-m", "merge side", "side"]);
    repo.commit(&[("pay.env", &stripe)], "add pay.env back");
    std::os::unix::fs::symlink("pay.env", repo.dir.join("link.env")).unwrap();
    repo.commit(&[], "a symlink");
    repo.git(&["update-index", "--chmod=+x", "pay.env"]);
    repo.git(&["commit", "-q", "-m", "executable"]);
    // A file replaced by a symlink whose target is the file's content: the same blob id in
    // the tree, but no longer a blob entry (the walk does not follow links).
    let target = format!("STRIPE_KEY=sk_live_{}", "9fQ2mZ7xLp4Rt8Wv3Kc6Hy1N");
    repo.commit(&[("same.env", &target)], "a file");
    std::fs::remove_file(repo.dir.join("same.env")).unwrap();
    std::os::unix::fs::symlink(&target, repo.dir.join("same.env")).unwrap();
    repo.commit(&[], "the file becomes a symlink to its own content");
    for round in 0..30 {
        let dir = format!("gen/d{}/e{}", rng.below(4), rng.below(3));
        let file = format!("{dir}/f{}.env", rng.below(5));
        let body = if rng.below(3) == 0 {
            stripe.clone()
        } else {
            format!(
                "{}token = ghp_{}\n",
                "x\n".repeat(rng.below(3)),
                rng.word(ALNUM, 36)
            )
        };
        repo.commit(&[(&file, &body), ("README", &format!("r{round}\n"))], "gen");
        if rng.below(4) == 0 {
            repo.git(&["rm", "-q", "-r", "--cached", "gen"]);
            repo.commit(&[], "drop gen from the index");
            repo.git(&["checkout", "-q", "HEAD~1", "--", "gen"]);
            repo.commit(&[], "gen back");
        }
    }
    repo.git(&[
        "repack",
        "-a",
        "-d",
        "-f",
        "-q",
        "--window=50",
        "--depth=50",
    ]);
    repo.commit(&[("late/key.env", &aws)], "loose on top");
    std::fs::remove_file(repo.dir.join("copy/key.env")).unwrap();
    repo.commit(&[], "gone from HEAD");
    let n = assert_graph_equals_walk(&repo.dir);
    assert!(n > 10, "expected findings at many paths, got {n}");
}

#[test]
fn history_delta_aware_reports_exactly_what_the_full_scan_reports() {
    let repo = Repo::new();
    let key = corpus_rsa_key();
    let mut rng = Lcg(0x6b65_7974_7261_6365);
    let mut files: Vec<Vec<String>> = (0..3)
        .map(|_| (0..60).map(|_| generated_line(&mut rng, &key)).collect())
        .collect();
    for round in 0..40 {
        for lines in files.iter_mut() {
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(lines.len() + 1);
                match rng.below(8) {
                    // New lines, secrets among them.
                    0 | 1 => lines.insert(at, generated_line(&mut rng, &key)),
                    // A line goes.
                    2 if lines.len() > 10 => {
                        lines.remove(at.min(lines.len() - 1));
                    }
                    // A line changes in its middle: a secret's last characters, a key's
                    // body, or filler.
                    3 if !lines.is_empty() => {
                        let i = at.min(lines.len() - 1);
                        let l = &mut lines[i];
                        let mid = l.len() / 2;
                        if l.is_char_boundary(mid) {
                            l.insert_str(mid, &rng.word(ALNUM, 3));
                        }
                    }
                    // An inline allow marker on a line, or a context line above one.
                    4 if !lines.is_empty() => {
                        let i = at.min(lines.len() - 1);
                        lines[i].push_str(" # keytrace:allow");
                    }
                    5 => lines.insert(at, "sops:".to_owned()),
                    // A line loses its start (a copy that begins inside a base line).
                    6 if !lines.is_empty() => {
                        let i = at.min(lines.len() - 1);
                        let cut = rng.below(lines[i].len().min(30) + 1);
                        if lines[i].is_char_boundary(cut) {
                            lines[i].drain(..cut);
                        }
                    }
                    // A block moves.
                    _ if lines.len() > 20 => {
                        let block: Vec<String> =
                            lines.drain(at.min(lines.len() - 5)..).take(5).collect();
                        let to = rng.below(lines.len() + 1);
                        for (k, l) in block.into_iter().enumerate() {
                            lines.insert(to + k, l);
                        }
                    }
                    _ => {}
                }
            }
        }
        let contents: Vec<(String, String)> = files
            .iter()
            .enumerate()
            .map(|(i, l)| (format!("conf/f{i}.yaml"), l.join("\n") + "\n"))
            .collect();
        let refs: Vec<(&str, &str)> = contents
            .iter()
            .map(|(p, c)| (p.as_str(), c.as_str()))
            .collect();
        repo.commit(&refs, &format!("round {round}"));
    }
    // Deep delta chains, as `git gc --aggressive` makes them.
    repo.git(&[
        "repack",
        "-a",
        "-d",
        "-f",
        "-q",
        "--window=50",
        "--depth=50",
    ]);
    let n = assert_delta_aware_equals_full(&repo.dir);
    assert_eq!(assert_graph_equals_walk(&repo.dir), n);
    assert!(
        n > 20,
        "the edits should leave many distinct findings, got {n}"
    );
}

#[test]
fn history_delta_aware_matches_the_full_scan_on_this_repository() {
    // A packed clone of keytrace's own history: real edits by real commits, and a corpus
    // full of planted secrets.
    let root = super::root();
    if !root.join(".git").exists() {
        panic!("the package root is not a git checkout; this test needs its history");
    }
    let tmp = tempfile::tempdir().unwrap();
    let clone = tmp.path().join("keytrace.git");
    git_in(
        tmp.path(),
        &[
            "clone",
            "-q",
            "--bare",
            "--no-local",
            root.to_str().unwrap(),
            clone.to_str().unwrap(),
        ],
    );
    let n = assert_delta_aware_equals_full(&clone);
    assert_eq!(assert_graph_equals_walk(&clone), n);
    assert!(n > 100, "the corpus alone has more findings than {n}");
}

#[test]
fn partial_clone_names_the_blobs_it_could_not_scan() {
    let repo = Repo::new();
    repo.commit(&[("old.env", &line_with_secret())], "secret");
    repo.commit(&[("old.env", "GITHUB_TOKEN=\n")], "removed");
    repo.git(&["config", "uploadpack.allowFilter", "true"]);
    let tmp = repo.dir.parent().unwrap();
    let url = format!("file://{}", repo.dir.display());
    git_in(
        tmp,
        &[
            "clone",
            "-q",
            "--bare",
            "--filter=blob:none",
            &url,
            "partial.git",
        ],
    );
    let run = scan_json(&tmp.join("partial.git"), &["--history"]);
    assert_eq!(
        run.code, 2,
        "unscanned blobs must show in the exit code: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("partial clone") && run.stderr.contains("not scanned"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("old.env in commit"), "{}", run.stderr);
    // No secret in the message, and nothing was fetched behind the user's back.
    assert!(!run.stderr.contains(&secrets::github_pat()));
    let json = run.json();
    assert_eq!(json["summary"]["errors"].as_array().unwrap().len(), 1);
    // The full clone of the same history is complete: exit 1 with the finding.
    let run = scan_json(&repo.dir, &["--history"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}
