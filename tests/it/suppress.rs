//! Suppression and gitleaks compatibility: baselines, `.keytrace/ignore.toml`,
//! `--report-unused-ignores`, gitleaks configs (`[extend] useDefault`, allowlists,
//! `secretGroup`, RE2-only regexes) and `.gitleaksignore`. The gitleaks configs here are
//! written for these tests.

use std::path::Path;

use serde_json::Value;

use super::git::Repo;
use super::{keytrace, keytrace_stdin, scan_json, secrets, write_files};

/// A second GitHub PAT shape, different from [`secrets::github_pat`].
fn other_pat() -> String {
    format!("ghp_{}", "Lw7Kd2Rq9Tz4Xc8Vb1Nm6Hj3Gf5Sa03hhICC")
}

/// A token for the test-only `acme` rules: `acme_` and 24 random-looking characters.
fn acme(tail: &str) -> String {
    format!("acme_{tail}")
}

const ACME1: &str = "q8r2m9v4p7w3b6j1c5s0y8u3";
const ACME2: &str = "z7x4k1n8t2h5f9d3g6l0e2r8";

fn fingerprint(dir: &Path, secret: &str) -> String {
    let run = keytrace_stdin(dir, &["fingerprint"], Some(secret.as_bytes()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout.trim().to_owned()
}

fn rule_ids(findings: &[Value]) -> Vec<String> {
    findings
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn baseline_round_trip_by_content_not_position() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pat = secrets::github_pat();
    write_files(d, &[("deploy/a.env", &format!("GITHUB_TOKEN={pat}\n"))]);
    assert_eq!(keytrace(d, &["scan", "."]).code, 1);

    // To stdout: sorted entries, one per line, no secret, no line numbers.
    let run = keytrace(d, &["baseline", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let fp = fingerprint(d, &pat);
    let entry = format!(
        "    {{\"fingerprint\":\"{fp}\",\"rule_id\":\"github.pat.classic\",\"path\":\"deploy/a.env\"}}\n"
    );
    assert!(run.stdout.contains(&entry), "{}", run.stdout);
    assert!(!run.stdout.contains(&pat) && !run.stdout.contains("\"line\""));
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["version"], 1);

    // To a file (the folder is created); the rescan with it is clean.
    let run = keytrace(d, &["baseline", ".", "-o", ".keytrace/baseline.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("baseline of 1 finding"),
        "{}",
        run.stderr
    );
    let base = [
        "scan",
        ".",
        "--baseline",
        ".keytrace/baseline.json",
        "--format",
        "json",
    ];
    let run = keytrace(d, &base);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.findings().is_empty());
    assert_eq!(run.json()["summary"]["suppressed"], 1);
    assert_eq!(run.json()["summary"]["suppressed_by"]["baseline"], 1);
    assert!(
        run.stderr.contains("1 suppressed (1 baseline)"),
        "{}",
        run.stderr
    );

    // Moved to another line of another file: still not new.
    std::fs::remove_file(d.join("deploy/a.env")).unwrap();
    write_files(
        d,
        &[("ops/b.yaml", &format!("# ci\nenv:\n  token: {pat}\n"))],
    );
    let run = keytrace(d, &base);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // A different secret on the same line is new.
    write_files(
        d,
        &[(
            "ops/b.yaml",
            &format!("# ci\nenv:\n  token: {}\n", other_pat()),
        )],
    );
    let run = keytrace(d, &base);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let f = run.findings();
    assert_eq!(f.len(), 1);
    assert_ne!(f[0]["fingerprint"], fp.as_str());
}

#[test]
fn malformed_baseline_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[(
            "b.json",
            "{\n  \"version\": 1,\n  \"findings\": [\n    {\"fingerprint\": \"x\"\n  ]\n}\n",
        )],
    );
    let run = keytrace(dir.path(), &["scan", ".", "--baseline", "b.json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("b.json") && run.stderr.contains("line 5"),
        "{}",
        run.stderr
    );
}

#[test]
fn ignore_file_reason_expiry_unused_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pat = secrets::github_pat();
    let stripe = secrets::stripe_live();
    write_files(
        d,
        &[
            ("app/a.env", &format!("GITHUB_TOKEN={pat}\n")),
            ("tests/fixtures/b.env", &format!("STRIPE_KEY={stripe}\n")),
        ],
    );
    let fp = fingerprint(d, &pat);
    let ignore = format!(
        "[[ignore]]\nfingerprint = \"{fp}\"\nreason = \"revoked on 2026-01-10, kept for the docs\"\napproved_by = \"@alice\"\nexpires = 2999-12-31\n\n\
         [[ignore]]\nrule = \"stripe.\"\npaths = [\"tests/fixtures/**\"]\nreason = \"test-mode fixtures\"\n\n\
         [[ignore]]\nrule = \"aws.\"\npaths = [\"legacy/**\"]\nreason = \"nothing there any more\"\n"
    );
    write_files(d, &[(".keytrace/ignore.toml", &ignore)]);
    let run = scan_json(d, &[".", "--report-unused-ignores"]);
    // The unused entry is listed but does not change the exit code.
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.findings().is_empty());
    assert_eq!(run.json()["summary"]["suppressed_by"]["ignore_file"], 2);
    assert!(
        run.stderr.contains("unused ignore")
            && run.stderr.contains(": .keytrace/ignore.toml, line 12")
            && !run.stderr.contains("line 1:")
            && !run.stderr.contains("line 7"),
        "{}",
        run.stderr
    );

    // An expired entry stops applying, with a warning.
    let expired = ignore.replace("2999-12-31", "2020-01-01");
    write_files(d, &[(".keytrace/ignore.toml", &expired)]);
    let run = scan_json(d, &["."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(rule_ids(&run.findings()), vec!["github.pat.classic"]);
    assert!(
        run.stderr.contains("warning")
            && run.stderr.contains("expired on 2020-01-01")
            && run.stderr.contains("line 1"),
        "{}",
        run.stderr
    );

    // A malformed entry is an error naming the file, line and field.
    let bad = ignore.replace("reason = \"test-mode fixtures\"\n", "");
    write_files(d, &[(".keytrace/ignore.toml", &bad)]);
    let run = keytrace(d, &["scan", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("ignore.toml")
            && run.stderr.contains("line 7")
            && run.stderr.contains("`reason`"),
        "{}",
        run.stderr
    );
    write_files(
        d,
        &[(
            ".keytrace/ignore.toml",
            "[[ignore]]\nfingerprint = \"kt1:00\"\nreason = \"r\"\nexpire = 2027-01-01\n",
        )],
    );
    let run = keytrace(d, &["scan", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("line 4") && run.stderr.contains("expire"),
        "{}",
        run.stderr
    );
}

/// A gitleaks config with one rule for `acme_` tokens.
fn acme_rule(extra: &str) -> String {
    format!(
        "title = \"test config\"\n\n[[rules]]\nid = \"acme-key\"\ndescription = \"Acme API key\"\nregex = '''\\b(acme_[a-z0-9]{{24}})\\b'''\nkeywords = [\"acme_\"]\ntags = [\"key\", \"acme\"]\n{extra}"
    )
}

#[test]
fn gitleaks_config_extend_use_default() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pat = secrets::github_pat();
    write_files(
        d,
        &[(
            "src/app.txt",
            &format!("acme {}\nghtoken {pat}\n", acme(ACME1)),
        )],
    );
    // Without [extend]: only the config's rules.
    write_files(d, &[(".gitleaks.toml", &acme_rule(""))]);
    let run = scan_json(d, &["src", "--config", ".gitleaks.toml"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(rule_ids(&run.findings()), vec!["acme-key"]);
    assert_eq!(run.findings()[0]["rule_name"], "Acme API key");

    // useDefault: keytrace's built-in pack plus the config's rules.
    let with_default = format!("[extend]\nuseDefault = true\n\n{}", acme_rule(""));
    write_files(d, &[(".gitleaks.toml", &with_default)]);
    let run = scan_json(d, &["src", "--config", ".gitleaks.toml"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let ids = rule_ids(&run.findings());
    assert!(
        ids.contains(&"acme-key".to_owned()) && ids.contains(&"github.pat.classic".to_owned()),
        "{ids:?}"
    );

    // disabledRules takes keytrace ids; a gitleaks default id is a warning.
    let disabled = format!(
        "[extend]\nuseDefault = true\ndisabledRules = [\"github.\", \"generic-api-key\"]\n\n{}",
        acme_rule("")
    );
    write_files(d, &[(".gitleaks.toml", &disabled)]);
    let run = scan_json(d, &["src", "--config", ".gitleaks.toml"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!rule_ids(&run.findings()).contains(&"github.pat.classic".to_owned()));
    assert!(
        run.stderr.contains("warning") && run.stderr.contains("generic-api-key"),
        "{}",
        run.stderr
    );
}

#[test]
fn gitleaks_extend_path_and_disabled_rules() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let child = "[extend]\npath = \"base.toml\"\n\n[[rules]]\nid = \"tkn\"\nregex = '''TKN-[a-z0-9]{24}'''\nkeywords = [\"tkn-\"]\n";
    write_files(
        d,
        &[
            ("a.txt", &format!("key {}\nTKN-{ACME2}\n", acme(ACME1))),
            ("cfg/base.toml", &acme_rule("")),
            ("cfg/child.toml", child),
        ],
    );
    let args = [
        "scan",
        "a.txt",
        "--config",
        "cfg/child.toml",
        "--format",
        "json",
    ];
    let run = keytrace(d, &args);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(rule_ids(&run.findings()), vec!["acme-key", "tkn"]);
    // disabledRules takes the base's rule ids.
    let child = child.replace("\n\n", "\ndisabledRules = [\"acme-key\"]\n\n");
    write_files(d, &[("cfg/child.toml", &child)]);
    let run = keytrace(d, &args);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(rule_ids(&run.findings()), vec!["tkn"]);
}

#[test]
fn gitleaks_allowlists_paths_regexes_stopwords_and_targets() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_files(
        d,
        &[
            ("src/live.txt", &format!("key {}\n", acme(ACME1))),
            ("fixtures/f.txt", &format!("key {}\n", acme(ACME2))),
            ("src/stop.txt", "key acme_q8r2m9v4sample4b6j1c5s0\n"),
            ("src/regex.txt", "key acme_0000m9v4p7w3b6j1c5s0y8u3\n"),
            (
                "src/line.txt",
                &format!("key {} # docs-only\n", acme(ACME2)),
            ),
            (
                "src/both.txt",
                &format!("key {} # docs-only\n", acme(ACME1)),
            ),
        ],
    );
    let config = acme_rule(
        "\n[[rules.allowlists]]\nregexTarget = \"line\"\nregexes = ['''# docs-only$''']\npaths = ['''both''']\ncondition = \"AND\"\n\n\
         [allowlist]\ndescription = \"global\"\npaths = ['''^fixtures/''']\nregexes = ['''^acme_0000''']\nstopwords = [\"SAMPLE\"]\n",
    );
    write_files(d, &[(".gitleaks.toml", &config)]);
    let run = scan_json(d, &[".", "--config", ".gitleaks.toml"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let findings = run.findings();
    let paths: Vec<&str> = findings
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    // fixtures/ (path), stop.txt (stopword), regex.txt (secret regex) and both.txt (line
    // regex AND path) are allowed; line.txt fails the AND's path condition.
    assert_eq!(
        paths,
        vec!["src/line.txt", "src/live.txt"],
        "{}",
        run.stdout
    );
}

#[test]
fn gitleaks_secret_group_and_derived_keywords() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_files(
        d,
        &[("a.txt", &format!("id=acme secret={ACME1}\nTKN-{ACME2}\n"))],
    );
    let config = "[[rules]]\nid = \"acme-pair\"\nregex = '''id=(acme) secret=([a-z0-9]{24})'''\nsecretGroup = 2\nkeywords = [\"secret=\"]\n\n\
                  [[rules]]\nid = \"tkn\"\nregex = '''TKN-[a-z0-9]{24}'''\n";
    write_files(d, &[("gl.toml", config)]);
    let run = scan_json(d, &["a.txt", "--config", "gl.toml"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let f = run.findings();
    assert_eq!(rule_ids(&f), vec!["acme-pair", "tkn"], "{}", run.stdout);
    // Group 2 is the secret: its fingerprint, its column.
    assert_eq!(f[0]["fingerprint"], fingerprint(d, ACME1).as_str());
    assert_eq!(f[0]["column"], 16);
    // No capture group: the whole match; keyword derived from the literal prefix.
    assert_eq!(
        f[1]["fingerprint"],
        fingerprint(d, &format!("TKN-{ACME2}")).as_str()
    );
    assert!(run.stderr.contains("\"tkn-\""), "{}", run.stderr);
}

#[test]
fn gitleaks_re2_only_regex_is_a_clear_error_per_rule() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_files(d, &[("a.txt", &format!("key {}\n", acme(ACME1)))]);
    // `\C` (any byte) is RE2 syntax that Rust's regex rejects.
    let config = format!(
        "{}\n[[rules]]\nid = \"re2-only\"\nregex = '''tok_\\C{{8}}'''\nkeywords = [\"tok_\"]\n\n\
         [[rules]]\nid = \"no-literal\"\nregex = '''[a-f0-9]{{40}}'''\n",
        acme_rule("")
    );
    write_files(d, &[(".gitleaks.toml", &config)]);
    let run = scan_json(d, &["a.txt", "--config", ".gitleaks.toml"]);
    // The good rule still scans; the run ends with 2 so CI notices.
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(rule_ids(&run.findings()), vec!["acme-key"]);
    let err = &run.stderr;
    assert!(
        err.contains(".gitleaks.toml, line 10: rule `re2-only` skipped")
            && err.contains("field `regex`")
            && err.contains("unrecognized escape sequence"),
        "{err}"
    );
    assert!(
        err.contains("rule `no-literal`") && err.contains("keywords"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn gitleaksignore_and_commit_allowlists() {
    let repo = Repo::new();
    let pat = secrets::github_pat();
    let c1 = repo.commit(&[("conf/a.env", &format!("X=1\nTOKEN={pat}\n"))], "add");
    let c2 = repo.commit(&[("conf/b.txt", &format!("key {}\n", acme(ACME1)))], "more");

    // path:rule:line (directory-scan form) on the working tree.
    repo.write(&[(
        ".gitleaksignore",
        "# accepted\nconf/a.env:github.pat.classic:2\n",
    )]);
    let run = repo.scan_json(&[".", "--report-unused-ignores"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["summary"]["suppressed_by"]["gitleaksignore"], 1);
    // A wrong line does not match.
    repo.write(&[(".gitleaksignore", "conf/a.env:github.pat.classic:1\n")]);
    let run = repo.scan(&["scan", ".", "--report-unused-ignores"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(".gitleaksignore, line 1") && run.stderr.contains("matched no finding"),
        "{}",
        run.stderr
    );

    // commit:path:rule:line on a history scan, with an imported rule's gitleaks id.
    repo.write(&[
        (
            ".gitleaks.toml",
            &format!("[extend]\nuseDefault = true\n{}", acme_rule("")),
        ),
        (
            ".gitleaksignore",
            &format!("{c1}:conf/a.env:github.pat.classic:2\n{c2}:conf/b.txt:acme-key:1\n"),
        ),
    ]);
    let run = repo.scan_json(&[".", "--history", "--config", ".gitleaks.toml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["summary"]["suppressed_by"]["gitleaksignore"], 2);
    // Another commit id does not match.
    repo.write(&[(
        ".gitleaksignore",
        &format!("{c2}:conf/a.env:github.pat.classic:2\n"),
    )]);
    let run = repo.scan_json(&[".", "--history"]);
    assert_eq!(run.code, 1, "{}", run.stderr);

    // An allowlist with `commits` (finished after the scan, once the commit is known).
    repo.write(&[
        (".gitleaksignore", ""),
        (
            ".gitleaks.toml",
            &format!("[extend]\nuseDefault = true\n\n[[allowlists]]\ncommits = [\"{c1}\"]\n"),
        ),
    ]);
    let run = repo.scan_json(&[".", "--history", "--config", ".gitleaks.toml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.json()["summary"]["suppressed_by"]["gitleaks_allowlist"],
        1
    );
}

/// Regression: gitleaks' own default config lost `generic-api-key`, `curl-auth-user` and
/// its global allowlist (Go's RE2 takes a `{` that opens no repetition as a literal; Rust's
/// regex rejected it) and the import exited 2. The file is read as an opaque fixture: only
/// its counts are asserted, never its rule bodies.
#[test]
fn gitleaks_default_config_imports_whole() {
    let fixture = super::root().join("tests/fixtures/gitleaks/gitleaks.toml");
    let fixture = fixture.to_str().expect("utf-8 path");
    let text = std::fs::read_to_string(fixture).unwrap();
    let declared = text.lines().filter(|l| l.trim() == "[[rules]]").count();
    let rule_lists = text
        .lines()
        .filter(|l| l.trim() == "[[rules.allowlists]]")
        .count();
    // One rule of the file flags PKCS#12 files by name only: not imported, said once.
    let path_only = 1;
    let dir = tempfile::tempdir().unwrap();
    let list = keytrace(
        dir.path(),
        &["rules", "list", "--json", "--config", fixture],
    );
    assert_eq!(list.code, 0, "{}", list.stderr);
    let rules: Value = serde_json::from_str(&list.stdout).expect("rules list --json");
    let imported = rules
        .as_array()
        .expect("an array of rules")
        .iter()
        .filter(|r| r["provider"] == "custom")
        .count();
    assert_eq!(imported, declared - path_only, "{}", list.stderr);
    assert!(
        list.stderr.contains(&format!(
            "imported {} rules, 1 global and {rule_lists} rule allowlists; 0 skipped",
            declared - path_only
        )),
        "{}",
        list.stderr
    );
    let ids: Vec<&str> = rules
        .as_array()
        .expect("an array of rules")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    for id in ["generic-api-key", "curl-auth-user"] {
        assert!(ids.contains(&id), "{id} missing");
    }

    // A scan with it runs clean: exit 0 on a file with nothing in it, no error lines.
    write_files(dir.path(), &[("notes.txt", "nothing to see here\n")]);
    let scan = keytrace(
        dir.path(),
        &["scan", "notes.txt", "--config", fixture, "--format", "json"],
    );
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    assert!(scan.errors().is_empty(), "{}", scan.stderr);
}
