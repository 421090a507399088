//! Where keytrace runs from and how it names what it finds (issue 12): subfolders and
//! subdirectories (item 6), non-UTF-8 file names (item 10), bare repositories (item 13).

use serde_json::Value;

use super::git::Repo;
use super::{keytrace, scan_json, secrets};

/// (path, owner, rule) of each finding, in report order.
fn summary(findings: &[Value]) -> Vec<(String, String, String)> {
    findings
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["identity"]["owner"].as_str().unwrap_or("-").to_owned(),
                f["rule_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// A repository whose `.keytrace/` holds a manifest owning `deploy/*.key`, an ignore file
/// accepting one secret and a config allowing `deploy/vendor/**`.
fn policy_repo() -> (Repo, String) {
    let repo = Repo::new();
    let owned = secrets::github_pat_variant(1);
    let ignored = secrets::github_pat_variant(2);
    let allowed = secrets::github_pat_variant(3);
    let ignored_fp = super::keytrace_stdin(&repo.dir, &["fingerprint"], Some(ignored.as_bytes()))
        .stdout
        .trim()
        .to_owned();
    repo.commit(
        &[
            (
                ".keytrace/identities.toml",
                "version = 1\n[[identity]]\nid = \"deployer\"\nkind = \"ci-identity\"\n\
                 owner = \"group:deploy\"\npurpose = \"deploys\"\n\
                 review = { last_reviewed = 2026-10-15 }\n  [[identity.credential]]\n  \
                 match = { paths = [\"deploy/*.key\"] }\n",
            ),
            (
                ".keytrace/ignore.toml",
                &format!(
                    "[[ignore]]\nfingerprint = \"{ignored_fp}\"\nreason = \"a documented test key\"\n"
                ),
            ),
            (
                ".keytrace/config.toml",
                "[allow]\npaths = [\"deploy/vendor/**\"]\n",
            ),
            ("deploy/app.key", &format!("TOKEN={owned}\n")),
            ("deploy/old.env", &format!("TOKEN={ignored}\n")),
            ("deploy/vendor/lib.env", &format!("TOKEN={allowed}\n")),
            ("tests/readme.md", "tests\n"),
        ],
        "policy",
    );
    (repo, ignored)
}

/// Item 6: scanning a subfolder, or from a subfolder, gives the root's answer: paths from
/// the repository root (SARIF URIs too), the manifest's path selectors, the ignore file
/// and the config's allow list all apply.
#[test]
fn subfolder_scans_read_the_root_policy_and_name_paths_from_the_root() {
    let (repo, _) = policy_repo();
    let want = vec![(
        "deploy/app.key".to_owned(),
        "group:deploy".to_owned(),
        "github.pat.classic".to_owned(),
    )];
    let deploy = repo.dir.join("deploy");
    let tests = repo.dir.join("tests");
    for (dir, path) in [
        (&repo.dir, "."),
        (&repo.dir, "deploy"),
        (&repo.dir, "deploy/app.key"),
        (&deploy, "."),
        (&deploy, "app.key"),
        (&tests, "../deploy"),
    ] {
        let run = scan_json(dir, &[path]);
        assert_eq!(run.code, 1, "{path} from {}: {}", dir.display(), run.stderr);
        assert_eq!(
            summary(&run.findings()),
            want,
            "`scan {path}` from {}",
            dir.display()
        );
        let sarif = keytrace(dir, &["scan", path, "--format", "sarif"]);
        let doc: Value = serde_json::from_str(&sarif.stdout).unwrap();
        let uri = &doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
            ["artifactLocation"]["uri"];
        assert_eq!(uri, "deploy/app.key", "SARIF of `scan {path}`");
    }
}

/// Item 6: `scan --staged` from a subdirectory reads `.keytrace/` at the root, as from the
/// root (it exited 1 where the root exited 0).
#[test]
fn staged_from_a_subdirectory_matches_the_root() {
    let (repo, ignored) = policy_repo();
    repo.write(&[("tests/fixture.env", &format!("KEY={ignored}\n"))]);
    repo.git(&["add", "tests/fixture.env"]);
    let root = repo.scan(&["scan", "--staged"]);
    assert_eq!(root.code, 0, "{}", root.stderr);
    let sub = keytrace(&repo.dir.join("tests"), &["scan", "--staged"]);
    assert_eq!(sub.code, 0, "from tests/: {}", sub.stderr);
    assert!(sub.stderr.contains("1 suppressed"), "{}", sub.stderr);
}

/// Item 13: bare repositories. `scan --staged` is an error (no index: it passed having
/// scanned nothing), `scan bare.git` is an error pointing at --history (it walked git's
/// internal files), `hook install` is an error (the pre-commit hook could never run), and
/// `--history` and `--range` work.
#[test]
fn bare_repositories_error_clearly_or_scan_history() {
    let repo = Repo::new();
    let pat = secrets::github_pat();
    repo.commit(&[("a.txt", "one\n")], "one");
    repo.commit(&[("app.env", &format!("TOKEN={pat}\n"))], "two");
    let parent = repo.dir.parent().unwrap();
    super::git::git_in(
        parent,
        &[
            "clone",
            "-q",
            "--bare",
            repo.dir.to_str().unwrap(),
            "bare.git",
        ],
    );
    let bare = parent.join("bare.git");

    let run = keytrace(&bare, &["scan", "--staged"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("bare repository"), "{}", run.stderr);

    for (dir, path) in [(parent, "bare.git"), (&bare, "."), (&bare, "objects")] {
        let run = keytrace(dir, &["scan", path]);
        assert_eq!(run.code, 2, "scan {path}: {}", run.stderr);
        assert!(
            run.stderr.contains("not a working tree") && run.stderr.contains("--history"),
            "{}",
            run.stderr
        );
    }
    let run = keytrace(&repo.dir, &["scan", ".git"]);
    assert_eq!(run.code, 2, "scan .git: {}", run.stderr);

    let run = keytrace(&bare, &["hook", "install"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("bare repository"), "{}", run.stderr);
    assert!(!bare.join("hooks/pre-commit").exists(), "no hook written");

    let run = scan_json(&bare, &["--history"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let fs = run.findings();
    assert_eq!(fs.len(), 1, "{fs:#?}");
    assert_eq!(fs[0]["path"], "app.env");
    assert_eq!(fs[0]["in_head"], true);
    let run = scan_json(parent, &["bare.git", "--range", "HEAD~1..HEAD"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.findings().len(), 1);
}

/// Item 10: a file name that is not UTF-8 became U+FFFD in JSON and SARIF. JSON keeps
/// `path` readable and adds `raw_path` (the bytes outside UTF-8, and `%`, percent-encoded:
/// lossless), and the SARIF URI percent-encodes the real bytes.
#[cfg(unix)]
#[test]
fn non_utf8_file_names_keep_their_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let repo = Repo::new();
    repo.commit(&[("README", "r\n")], "init");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9 100%.env");
    std::fs::write(
        repo.dir.join(name),
        format!("TOKEN={}\n", secrets::github_pat()),
    )
    .unwrap();
    repo.write(&[(
        "plain 100%.env",
        &format!("T={}\n", secrets::github_pat_variant(5)),
    )]);
    repo.git(&["add", "-A"]);
    let check = |run: &super::Run, what: &str| {
        let fs = run.findings();
        let odd = fs
            .iter()
            .find(|f| f["path"].as_str().unwrap().starts_with("caf"))
            .unwrap_or_else(|| panic!("{what}: {fs:#?}"));
        assert_eq!(odd["path"], "caf\u{fffd} 100%.env", "{what}");
        assert_eq!(odd["raw_path"], "caf%E9 100%25.env", "{what}");
        let plain = fs.iter().find(|f| f["path"] == "plain 100%.env").unwrap();
        assert!(plain.get("raw_path").is_none(), "{what}: only when needed");
    };
    check(&scan_json(&repo.dir, &["--staged"]), "staged");
    repo.git(&[
        "-c",
        "core.quotepath=false",
        "commit",
        "-q",
        "-m",
        "odd names",
    ]);
    check(&scan_json(&repo.dir, &["."]), "worktree");
    check(&scan_json(&repo.dir, &["--history"]), "history");
    repo.commit(&[("z.txt", "z\n")], "more");
    check(&scan_json(&repo.dir, &["--range", "HEAD~2..HEAD"]), "range");
    let sarif = keytrace(&repo.dir, &["scan", ".", "--format", "sarif"]);
    let doc: Value = serde_json::from_str(&sarif.stdout).unwrap();
    let uris: Vec<String> = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert!(uris.contains(&"caf%E9%20100%25.env".to_owned()), "{uris:?}");
    assert!(uris.contains(&"plain%20100%25.env".to_owned()), "{uris:?}");
}
