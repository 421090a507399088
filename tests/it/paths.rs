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
