//! Non-human identities end to end: manifests on real folders and git repositories,
//! correlation flags in scan output, `nhi check`, `nhi report`, `nhi init --write`.
//! "Today" is pinned with KEYTRACE_TODAY so the due dates never drift.

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use super::{bin, keytrace_stdin, secrets, write_files, Run};

const TODAY: &str = "2026-11-01";

/// Runs keytrace with today pinned.
fn kt(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .env("KEYTRACE_TODAY", TODAY)
        .stdin(Stdio::null())
        .output()
        .expect("run keytrace");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn fingerprint(secret: &str) -> String {
    let r = keytrace_stdin(Path::new("."), &["fingerprint"], Some(secret.as_bytes()));
    r.stdout.trim().to_owned()
}

/// A git command with author and committer dates set to `date`.
fn git(dir: &Path, date: &str, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Dana Dev",
            "-c",
            "user.email=dana@example.test",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn commit_at(dir: &Path, date: &str, files: &[(&str, &str)], msg: &str) {
    write_files(dir, files);
    git(dir, date, &["add", "-A"]);
    git(dir, date, &["commit", "-q", "-m", msg]);
}

fn identity(id: &str, extra: &str, selector: &str, rotation: &str) -> String {
    format!(
        "\n[[identity]]\nid = \"{id}\"\nkind = \"service-account\"\nowner = \"team-{id}\"\npurpose = \"p\"\n{extra}review = {{ last_reviewed = 2026-10-15 }}\n  [[identity.credential]]\n  match = {{ {selector} }}\n  {rotation}\n"
    )
}

fn manifest(dir: &Path, body: &str) {
    write_files(
        dir,
        &[(".keytrace/identities.toml", &format!("version = 1\n{body}"))],
    );
}

fn by_path<'a>(findings: &'a [Value], path: &str) -> &'a Value {
    findings
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("no finding in {path}: {findings:#?}"))
}

fn flags(f: &Value) -> Vec<String> {
    f["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect()
}

fn line(secret: &str) -> String {
    format!("token = \"{secret}\"\n")
}

/// Distinct GitHub-PAT-shaped values, built at run time.
fn pat(n: u8) -> String {
    secrets::github_pat_variant(n)
}

#[test]
fn owned_unowned_retired_overdue() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write_files(
        d,
        &[
            ("deploy/ci.env", &line(&pat(0))),
            ("legacy/old.env", &line(&pat(1))),
            ("src/app.env", &line(&secrets::stripe_live())),
        ],
    );
    manifest(
        d,
        &[
            identity(
                "deployer",
                "contacts = [\"@acme/oncall\"]\n",
                "rules = [\"github.\"], paths = [\"deploy/**\"]",
                "rotation = { period_days = 30, last_rotated = 2026-09-01, runbook = \"https://wiki.example/rotate\" }",
            ),
            identity("legacy-bot", "status = \"retired\"\n", "paths = [\"legacy/\"]", ""),
        ]
        .concat(),
    );
    let r = kt(d, &["scan", ".", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let fs = r.findings();
    assert_eq!(fs.len(), 3, "{fs:#?}");
    let dep = by_path(&fs, "deploy/ci.env");
    assert_eq!(dep["identity"]["id"], "deployer");
    assert_eq!(dep["identity"]["owner"], "team-deployer");
    assert_eq!(dep["identity"]["kind"], "service-account");
    assert_eq!(dep["identity"]["status"], "active");
    assert_eq!(flags(dep), vec!["rotation-overdue"]);
    let rot = &dep["rotation"];
    assert_eq!(rot["runbook"], "https://wiki.example/rotate");
    assert!(rot["steps"][0].as_str().unwrap().contains("@acme/oncall"));
    assert!(rot["docs"][0]
        .as_str()
        .unwrap()
        .starts_with("https://docs.github.com/"));
    let old = by_path(&fs, "legacy/old.env");
    assert_eq!(old["identity"]["status"], "retired");
    assert_eq!(old["severity"], "critical", "retired escalates");
    assert!(flags(old).contains(&"retired-identity".to_owned()));
    let app = by_path(&fs, "src/app.env");
    assert!(app["identity"].is_null());
    assert_eq!(flags(app), vec!["unowned"]);
    assert!(!app["rotation"]["summary"].as_str().unwrap().is_empty());

    let text = kt(d, &["scan", "."]);
    assert!(
        text.stdout
            .contains("owner: team-deployer (identity deployer, active)"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("owner: unowned"), "{}", text.stdout);
    assert!(text.stdout.contains("rotate: "), "{}", text.stdout);
    assert!(!text.stdout.contains(&pat(0)), "never print the secret");
}

#[test]
fn no_manifest_means_no_flags_but_rotation_guidance() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(tmp.path(), &[("a.env", &line(&pat(0)))]);
    let r = kt(tmp.path(), &["scan", ".", "--format", "json"]);
    let f = &r.findings()[0];
    assert!(f["identity"].is_null());
    assert_eq!(flags(f), Vec::<String>::new());
    assert_eq!(f["rotation"]["steps"].as_array().unwrap().len(), 5);
}

/// Issue 12, item 9: without a manifest nothing is "unowned" in any format (the flag,
/// the annotation, the SARIF message and properties, the Markdown summary); with a
/// manifest that claims nothing, every format says unowned.
#[test]
fn unowned_only_when_a_manifest_exists_and_claims_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write_files(d, &[("a.env", &line(&pat(0)))]);
    let formats = ["json", "github", "sarif", "markdown", "text"];
    for format in formats {
        let r = kt(d, &["scan", ".", "--format", format]);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert!(
            !r.stdout.to_lowercase().contains("unowned"),
            "{format} without a manifest says unowned:\n{}",
            r.stdout
        );
    }
    manifest(d, &identity("other", "", "paths = [\"elsewhere/**\"]", ""));
    for format in formats {
        let r = kt(d, &["scan", ".", "--format", format]);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert!(
            r.stdout.contains("unowned"),
            "{format} with a manifest claiming nothing:\n{}",
            r.stdout
        );
    }
}

#[test]
fn fingerprint_beats_path_and_last_entry_wins() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let special = pat(2);
    write_files(
        d,
        &[("ci/a.env", &line(&special)), ("ci/b.env", &line(&pat(3)))],
    );
    let fp = fingerprint(&special);
    manifest(
        d,
        &[
            identity(
                "by-fingerprint",
                "",
                &format!("fingerprints = [\"{fp}\"]"),
                "",
            ),
            identity(
                "ci-first",
                "",
                "rules = [\"github.\"], paths = [\"ci/**\"]",
                "",
            ),
            identity(
                "ci-last",
                "",
                "rules = [\"github.pat\"], paths = [\"ci/*.env\"]",
                "",
            ),
        ]
        .concat(),
    );
    let fs = kt(d, &["scan", ".", "--format", "json"]).findings();
    assert_eq!(by_path(&fs, "ci/a.env")["identity"]["id"], "by-fingerprint");
    assert_eq!(by_path(&fs, "ci/b.env")["identity"]["id"], "ci-last");
}

#[test]
fn two_manifests_merge_by_id_later_wins() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write_files(
        d,
        &[("svc/a.env", &line(&pat(4))), ("web/b.env", &line(&pat(5)))],
    );
    let org = format!(
        "version = 1\n[defaults]\nreview_interval_days = 10\n{}{}",
        identity("svc", "", "paths = [\"svc/\"]", ""),
        identity("web", "", "paths = [\"web/\"]", "")
    );
    let repo = format!(
        "version = 1\n{}",
        identity("web", "", "paths = [\"web/\"]", "").replace("team-web", "team-frontend")
    );
    write_files(d, &[("org.toml", &org), ("repo.toml", &repo)]);
    let r = kt(
        d,
        &[
            "scan",
            ".",
            "--format",
            "json",
            "--manifest",
            "org.toml",
            "--manifest",
            "repo.toml",
        ],
    );
    let fs = r.findings();
    assert_eq!(
        by_path(&fs, "web/b.env")["identity"]["owner"],
        "team-frontend"
    );
    assert_eq!(by_path(&fs, "svc/a.env")["identity"]["owner"], "team-svc");
    // the org file's defaults still apply: reviewed 2026-10-15 + 10 days < today
    assert!(flags(by_path(&fs, "svc/a.env")).contains(&"review-stale".to_owned()));
}

#[test]
fn exposed_after_rotation_versus_predates_rotation_in_history() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    git(d, "2026-01-01T00:00:00Z", &["init", "-q", "-b", "main"]);
    commit_at(
        d,
        "2026-03-01T12:00:00Z",
        &[("deploy/old.env", &line(&pat(6)))],
        "old key",
    );
    commit_at(
        d,
        "2026-09-15T12:00:00Z",
        &[("deploy/new.env", &line(&pat(7)))],
        "new key",
    );
    std::fs::remove_file(d.join("deploy/old.env")).unwrap();
    commit_at(
        d,
        "2026-09-16T12:00:00Z",
        &[(
            ".keytrace/identities.toml",
            &format!(
                "version = 1\n{}",
                identity(
                    "deployer",
                    "",
                    "paths = [\"deploy/**\"]",
                    "rotation = { period_days = 90, last_rotated = 2026-09-01 }"
                )
            ),
        )],
        "manifest",
    );
    let r = kt(d, &["scan", "--history", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let fs = r.findings();
    let old = by_path(&fs, "deploy/old.env");
    assert_eq!(old["in_head"], false);
    assert_eq!(flags(old), vec!["predates-rotation"]);
    let new = by_path(&fs, "deploy/new.env");
    assert_eq!(flags(new), vec!["exposed-after-rotation"]);

    let rep = kt(d, &["nhi", "report", "--history", "--format", "json"]).json();
    let ident = &rep["identities"][0];
    assert_eq!(ident["exposures"]["count"], 2);
    assert_eq!(ident["exposures"]["in_head"], true);
    assert!(ident["exposures"]["first_seen"]["date"]
        .as_str()
        .unwrap()
        .starts_with("2026-03-01"));
}

#[test]
fn report_suggests_codeowners_then_commit_author() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    git(d, "2026-01-01T00:00:00Z", &["init", "-q", "-b", "main"]);
    commit_at(
        d,
        "2026-02-01T00:00:00Z",
        &[
            (
                ".github/CODEOWNERS",
                "* @acme/everyone\n/infra/ @acme/platform\n/tools/\n",
            ),
            ("infra/prod.env", &line(&pat(8))),
            ("tools/dev.env", &line(&pat(9))),
        ],
        "add",
    );
    manifest(d, &identity("other", "", "paths = [\"nowhere/**\"]", ""));
    let r = kt(d, &["nhi", "report", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let rep = r.json();
    let unowned = rep["unowned"].as_array().unwrap();
    assert_eq!(unowned.len(), 2, "{rep:#}");
    let find = |p: &str| {
        unowned
            .iter()
            .find(|u| u["exposures"]["paths"][0] == p)
            .unwrap()
            .clone()
    };
    assert_eq!(find("infra/prod.env")["suggested_owner"], "@acme/platform");
    assert_eq!(find("infra/prod.env")["suggested_from"], "CODEOWNERS");
    // worktree findings carry no commit; with --history the author is known
    let h = kt(d, &["nhi", "report", "--history", "--format", "json"]).json();
    let t = h["unowned"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["exposures"]["paths"][0] == "tools/dev.env")
        .unwrap()
        .clone();
    assert_eq!(t["suggested_owner"], "Dana Dev <dana@example.test>");
    assert_eq!(t["suggested_from"], "commit author");
    let figures = rep["figures"].as_array().unwrap();
    let fig = |n: &str| figures.iter().find(|f| f["name"] == n).unwrap()["value"].clone();
    assert_eq!(fig("unowned_credentials"), "2");
    assert_eq!(fig("identities"), "1");
    for f in figures {
        assert!(!f["control"].as_str().unwrap().is_empty());
    }
    let md = kt(d, &["nhi", "report", "--format", "markdown"]);
    assert!(
        md.stdout.contains("| credentials no identity owns | 2 |"),
        "{}",
        md.stdout
    );
    assert!(
        md.stdout.contains("@acme/platform (CODEOWNERS)"),
        "{}",
        md.stdout
    );
    assert!(!md.stdout.contains(&pat(8)));
}

#[test]
fn init_write_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write_files(
        d,
        &[
            ("a/one.env", &line(&pat(10))),
            ("b/two.env", &line(&pat(10))),
            ("c/three.env", &line(&secrets::stripe_live())),
        ],
    );
    manifest(
        d,
        &format!(
            "# keep me\n{}",
            identity("kept", "", "paths = [\"zzz/\"]", "")
        ),
    );
    let before = std::fs::read_to_string(d.join(".keytrace/identities.toml")).unwrap();
    let printed = kt(d, &["nhi", "init"]);
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    assert_eq!(
        printed.stdout.matches("[[identity]]").count(),
        2,
        "{}",
        printed.stdout
    );
    assert!(printed.stdout.contains("purpose = \"TODO\""));
    assert!(!printed.stdout.contains(&pat(10)), "no secret in drafts");
    let w = kt(d, &["nhi", "init", "--write"]);
    assert_eq!(w.code, 0, "{}", w.stderr);
    let after = std::fs::read_to_string(d.join(".keytrace/identities.toml")).unwrap();
    assert!(after.starts_with(&before), "existing entries untouched");
    // every finding is owned now
    let fs = kt(d, &["scan", ".", "--format", "json"]).findings();
    assert_eq!(fs.len(), 3);
    for f in &fs {
        assert!(!f["identity"].is_null(), "{f:#}");
    }
    assert_eq!(
        by_path(&fs, "a/one.env")["identity"]["id"],
        by_path(&fs, "b/two.env")["identity"]["id"]
    );
    // TODO purposes fail the check until filled in
    let c = kt(d, &["nhi", "check"]);
    assert_eq!(c.code, 1, "{}", c.stdout);
    assert!(c.stdout.contains("TODO"), "{}", c.stdout);
    // init claims no review (issue 12, item 21): the drafts are never reviewed, and due.
    assert!(!after[before.len()..].contains("\nreview = "), "{after}");
    assert_eq!(
        c.stdout.matches("never reviewed").count(),
        2,
        "{}",
        c.stdout
    );
    std::fs::write(
        d.join(".keytrace/identities.toml"),
        after
            .replace("purpose = \"TODO\"", "purpose = \"Billing\"")
            .replace("owner = \"TODO\"", "owner = \"group:billing\"")
            .replace(
                "# review = { last_reviewed = YYYY-MM-DD, reviewed_by = \"@you\" }  # after a review",
                "review = { last_reviewed = 2026-10-20 }",
            ),
    )
    .unwrap();
    let c = kt(d, &["nhi", "check"]);
    assert_eq!(c.code, 0, "{}{}", c.stdout, c.stderr);
    // a second init has nothing left to draft
    let again = kt(d, &["nhi", "init"]);
    assert_eq!(again.stdout.matches("[[identity]]").count(), 0);
}

#[test]
fn check_reports_due_items_and_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    manifest(
        d,
        &[
            identity(
                "fresh",
                "",
                "rules = [\"aws.\"]",
                "rotation = { last_rotated = 2026-10-01 }",
            ),
            identity(
                "stale",
                "expires = 2026-10-31\n",
                "rules = [\"slack.\"]",
                "rotation = { period_days = 30, last_rotated = 2026-01-01 }",
            )
            .replace("2026-10-15", "2026-01-01"),
        ]
        .concat(),
    );
    let r = kt(d, &["nhi", "check"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("`stale`: review overdue"), "{}", r.stdout);
    assert!(r.stdout.contains("rotation overdue"), "{}", r.stdout);
    assert!(r.stdout.contains("expired on 2026-10-31"), "{}", r.stdout);
    assert!(!r.stdout.contains("`fresh`"), "{}", r.stdout);
    let j = kt(d, &["nhi", "check", "--format", "json"]).json();
    let kinds: Vec<&str> = j["due"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["review-stale", "expired", "rotation-overdue"]);
    let empty = tempfile::tempdir().unwrap();
    let none = kt(empty.path(), &["nhi", "check"]);
    assert_eq!(none.code, 2, "no manifest is an error");
}

#[test]
fn malformed_manifests_name_file_line_and_field() {
    let cases: &[(&str, &str, &str)] = &[
        ("[[identity]]\nid = \"a\"\nkind = \"bot\"\nowner = \"o\"\npurpose = \"p\"\nreview = { last_reviewed = 2026-01-01 }\ncolour = \"red\"\n", "line 7", "colour"),
        ("[[identity]]\nid = \"a\"\nkind = \"bot\"\npurpose = \"p\"\nreview = { last_reviewed = 2026-01-01 }\n", "line 1", "identity.owner"),
        ("[[identity]]\nid = \"a\"\nkind = \"robot\"\nowner = \"o\"\npurpose = \"p\"\nreview = { last_reviewed = 2026-01-01 }\n", "line 3", "identity.kind"),
        ("[[identity]]\nid = \"a\"\nkind = \"bot\"\nowner = \"o\"\npurpose = \"p\"\nreview = { last_reviewed = \"next week\" }\n", "line 6", "identity.review.last_reviewed"),
        ("[[identity]]\nid = \"a\"\nkind = \"bot\"\nowner = \"o\"\npurpose = \"p\"\nreview = { last_reviewed = 2026-01-01 }\n[[identity]]\nid = \"a\"\nkind = \"bot\"\nowner = \"o\"\npurpose = \"p\"\nreview = { last_reviewed = 2026-01-01 }\n", "line 8", "duplicate id `a`"),
        ("[[identity]]\nid = \"a\"\nkind = \"bot\"\nowner = \"o\"\npurpose = \"p\"\nreview = { last_reviewed = 2026-01-01 }\n  [[identity.credential]]\n  match = { paths = [\"x/[\"] }\n", "line 8", "identity.credential.match.paths"),
        ("[[identity]]\nid = \"a\"\nkind = \"bot\"\nowner = \"o\"\npurpose = \"p\"\nreview = { last_reviewed = 2026-01-01 }\n  [[identity.credential]]\n  match = { fingerprints = [\"kt1:nothex\"] }\n", "line 8", "identity.credential.match.fingerprints"),
    ];
    for (text, line, field) in cases {
        let tmp = tempfile::tempdir().unwrap();
        write_files(tmp.path(), &[(".keytrace/identities.toml", text)]);
        let r = kt(tmp.path(), &["nhi", "check"]);
        assert_eq!(r.code, 2, "{text}\n{}{}", r.stdout, r.stderr);
        assert!(
            r.stdout.contains("identities.toml")
                && r.stdout.contains(&format!("{line}:"))
                && r.stdout.contains(field),
            "want {line} and {field}:\n{}",
            r.stdout
        );
        // a scan with a bad manifest is an error too, never a silent skip
        let s = kt(tmp.path(), &["scan", "."]);
        assert_eq!(s.code, 2, "{}", s.stderr);
        assert!(s.stderr.contains(line), "{}", s.stderr);
    }
}

#[test]
fn a_manifest_holding_a_secret_is_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let key_id = format!("AKIA{}", "Q3ZXK7WJ5N2P4R6T");
    manifest(
        d,
        &identity(
            "aws-deployer",
            &format!("principal = \"{}\"\n", pat(11)),
            &format!("key_ids = [\"{key_id}\"]"),
            "",
        ),
    );
    let r = kt(d, &["nhi", "check"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stdout.contains("line 8") && r.stdout.contains("looks like a secret"),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout.contains(&pat(11)),
        "the error must not print the secret"
    );
    // the public key id alone is fine, and a scan does not report the manifest's key id
    manifest(
        d,
        &identity("aws-deployer", "", &format!("key_ids = [\"{key_id}\"]"), ""),
    );
    let r = kt(d, &["nhi", "check"]);
    assert_ne!(r.code, 2, "{}", r.stdout);
    let s = kt(d, &["scan", ".", "--format", "json"]);
    assert_eq!(s.code, 0, "{}", s.stdout);
}

#[test]
fn key_id_ties_the_paired_secret_to_its_identity() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let key_id = format!("AKIA{}", "Q3ZXK7WJ5N2P4R6T");
    let secret = format!("{}{}", "wJalrXUtnFEMI/K7MDENG/", "bPxRfiCYq8rT2mK9vX4p");
    write_files(
        d,
        &[(
            "deploy/creds",
            &format!("[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n"),
        )],
    );
    manifest(
        d,
        &identity("aws-deployer", "", &format!("key_ids = [\"{key_id}\"]"), ""),
    );
    let fs = kt(d, &["scan", ".", "--format", "json"]).findings();
    assert!(!fs.is_empty());
    for f in &fs {
        assert_eq!(f["identity"]["id"], "aws-deployer", "{f:#}");
    }
}

#[test]
fn github_annotations_put_unowned_before_owned_of_the_same_severity() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // `a/` sorts first by path, but it is owned: the unowned `b/` one must come first.
    write_files(
        d,
        &[
            ("a/owned.env", &line(&pat(12))),
            ("b/loose.env", &line(&pat(13))),
        ],
    );
    manifest(d, &identity("owner-a", "", "paths = [\"a/\"]", ""));
    let r = kt(d, &["scan", ".", "--format", "github"]);
    let a = r.stdout.find("a/owned.env").expect("annotation for a/");
    let b = r.stdout.find("b/loose.env").expect("annotation for b/");
    assert!(b < a, "{}", r.stdout);
    let md = kt(d, &["scan", ".", "--format", "markdown"]);
    let a = md.stdout.find("a/owned.env").unwrap();
    let b = md.stdout.find("b/loose.env").unwrap();
    assert!(b < a, "{}", md.stdout);
    // text and json keep the path order
    let fs = kt(d, &["scan", ".", "--format", "json"]).findings();
    assert_eq!(fs[0]["path"], "a/owned.env");
}

/// Issue 12, item 21: `review.last_reviewed` is optional; an identity without it is flagged
/// `never-reviewed` and counts as due in `nhi check` and the report; `nhi report` records
/// the commit and refs it scanned and counts credentials (an AWS key id and its secret are
/// one), not findings.
#[test]
fn never_reviewed_identities_are_due_and_the_report_counts_credentials() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    git(d, "2026-10-01T00:00:00Z", &["init", "-q", "-b", "main"]);
    // An AWS key pair (fake, assembled here), once owned and once unowned.
    let key_id = format!("AKIA{}", "QX7RT2MKXVB4LP3W");
    let secret = format!("{}{}", "wJalrXUtnFEMI/K7MDENG/bPxRfiCY", "Z8q2Lm4Nv7");
    let pair =
        format!("[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n");
    let unowned_id = format!("AKIA{}", "ZT4PWXQM2RX7KB5N");
    let unowned_secret = format!("{}{}", "hT9kLm2Qx7Vb4Nz8Rw3Yp6Jc1", "Fd5Gs0AeUoIuPqW");
    let other = format!(
        "[default]\naws_access_key_id = {unowned_id}\naws_secret_access_key = {unowned_secret}\n"
    );
    commit_at(
        d,
        "2026-10-01T00:00:00Z",
        &[
            (
                ".keytrace/identities.toml",
                "version = 1\n[[identity]]\nid = \"deployer\"\nkind = \"ci-identity\"\n\
                 owner = \"group:ops\"\npurpose = \"deploys\"\n  [[identity.credential]]\n  \
                 match = { paths = [\"deploy/**\"] }\n",
            ),
            ("deploy/aws.ini", &pair),
            ("legacy/aws.ini", &other),
        ],
        "keys",
    );
    let check = kt(d, &["nhi", "check"]);
    assert_eq!(
        check.code, 1,
        "never reviewed is due: {}{}",
        check.stdout, check.stderr
    );
    assert!(check.stdout.contains("never reviewed"), "{}", check.stdout);

    let scan = kt(d, &["scan", ".", "--format", "json"]);
    let fs = scan.findings();
    let owned: Vec<&Value> = fs.iter().filter(|f| !f["identity"].is_null()).collect();
    assert_eq!(owned.len(), 2, "the key id and its secret: {fs:#?}");
    for f in &owned {
        assert!(flags(f).contains(&"never-reviewed".to_owned()), "{f:#}");
    }

    let report = kt(d, &["nhi", "report", "--history", "--format", "json"]);
    assert_eq!(report.code, 1, "{}", report.stderr);
    let inv = report.json();
    let head = String::from_utf8(
        Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(d)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(inv["scanned"]["commit"], head.trim(), "{inv:#}");
    assert_eq!(
        inv["scanned"]["refs"],
        serde_json::json!(["refs/heads/main"])
    );
    assert_eq!(inv["scanned"]["source"], "history");
    let figure = |name: &str| {
        inv["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap()["value"]
            .clone()
    };
    assert_eq!(figure("stale_reviews"), "1", "never reviewed counts as due");
    assert_eq!(figure("exposed_owned_credentials"), "1", "{inv:#}");
    assert_eq!(figure("unowned_credentials"), "1", "{inv:#}");
    let ident = &inv["identities"][0];
    assert!(ident["last_reviewed"].is_null() && ident["never_reviewed"] == true);
    assert_eq!(ident["exposures"]["count"], 2);
    assert_eq!(ident["exposures"]["credentials"], 1);
    let text = kt(d, &["nhi", "report", "--history"]);
    assert!(text.stdout.contains("never reviewed"), "{}", text.stdout);
    assert!(text.stdout.contains("HEAD at "), "{}", text.stdout);
}
