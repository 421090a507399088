//! The config-file credential pass end to end: the labelled config files of
//! `corpus/positive/config/` (their credential lines listed in its `EXPECTED`), and each
//! source (worktree, staged, range, history, stdin) with the suppressions a finding of
//! any rule goes through.

use std::collections::{BTreeMap, BTreeSet};

use super::git::Repo;
use super::{keytrace, keytrace_stdin, root, write_files};

/// Every listed line of every file below `corpus/positive/config/` has exactly one
/// finding, and no other line has any.
#[test]
fn config_corpus_lines_are_found_exactly() {
    let dir = root().join("corpus/positive/config");
    let expected_text = std::fs::read_to_string(dir.join("EXPECTED")).unwrap();
    let mut expected: BTreeMap<String, BTreeSet<u64>> = BTreeMap::new();
    for l in expected_text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (path, lines) = l.split_once(": ").unwrap();
        expected.insert(
            path.to_owned(),
            lines.split(' ').map(|n| n.parse().unwrap()).collect(),
        );
    }
    let copy = super::outside_repository(&dir);
    let run = keytrace(copy.path(), &["scan", ".", "--format", "json", "-q"]);
    assert!(run.code == 1, "{}", run.stderr);
    let mut got: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for f in run.findings() {
        got.entry(f["path"].as_str().unwrap().to_owned())
            .or_default()
            .push(f["line"].as_u64().unwrap());
    }
    let mut problems = Vec::new();
    let mut files = 0;
    for entry in walk(&dir) {
        let rel = entry
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "EXPECTED" {
            continue;
        }
        files += 1;
        let want = expected.get(&rel).cloned().unwrap_or_default();
        if want.is_empty() {
            problems.push(format!("{rel}: not listed in EXPECTED"));
        }
        let lines = got.get(&rel).cloned().unwrap_or_default();
        let set: BTreeSet<u64> = lines.iter().copied().collect();
        if set != want || set.len() != lines.len() {
            problems.push(format!("{rel}: expected lines {want:?}, found {lines:?}"));
        }
    }
    let total: usize = expected.values().map(BTreeSet::len).sum();
    eprintln!("config corpus: {files} files, {total} credential lines");
    assert!(files >= 50 && total >= 80, "{files} files, {total} lines");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn config_findings_carry_rule_ids_and_rotation() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(tmp.path(), &[(".pgpass", "db.lan:5444:app:app:Tulip77\n")]);
    let run = keytrace(tmp.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let f = &run.findings()[0];
    assert_eq!(f["rule_id"], "config.pgpass.password");
    assert_eq!(f["credential"], "password");
    assert_eq!(f["line"], 1);
    assert_eq!(f["column"], 21);
    assert!(!f["rotation"]["steps"].as_array().unwrap().is_empty());
    assert!(!run.stdout.contains("Tulip77"), "the secret is redacted");
}

#[test]
fn the_same_text_under_another_name_is_not_a_config_file() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(
        tmp.path(),
        &[("notes.md", "machine a.lan login bob password Sunny1\n")],
    );
    let run = keytrace(tmp.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn inline_allow_baseline_and_disable_apply_to_config_findings() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(
        tmp.path(),
        &[(
            ".env",
            "DB_PASSWORD=rowanrow\nSMTP_PASSWORD=Hazel77 # keytrace:allow\n",
        )],
    );
    let run = keytrace(tmp.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(run.findings().len(), 1, "{}", run.stdout);
    let run = keytrace(
        tmp.path(),
        &["baseline", ".", "-o", ".keytrace/baseline.json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = keytrace(
        tmp.path(),
        &[
            "scan",
            ".",
            "--format",
            "json",
            "--baseline",
            ".keytrace/baseline.json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    write_files(
        tmp.path(),
        &[(
            ".keytrace/config.toml",
            "[rules]\ndisable = [\"config.env.\"]\n",
        )],
    );
    let run = keytrace(tmp.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn staged_and_range_report_only_added_config_lines() {
    let repo = Repo::new();
    repo.commit(&[(".env", "DB_PASSWORD=rowanrow\n")], "old");
    let base = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    repo.write(&[(".env", "DB_PASSWORD=rowanrow\nMAIL_PASSWORD=birchbir\n")]);
    repo.git(&["add", ".env"]);
    let run = repo.scan(&["scan", "--staged", "--format", "json"]);
    let lines: Vec<u64> = run
        .findings()
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![2], "{}", run.stdout);
    repo.git(&["commit", "-q", "-m", "add mail"]);
    let run = repo.scan(&[
        "scan",
        "--range",
        &format!("{base}..HEAD"),
        "--format",
        "json",
    ]);
    let f = run.findings();
    assert_eq!(f.len(), 1, "{}", run.stdout);
    assert_eq!(f[0]["rule_id"], "config.env.password");
    assert_eq!(f[0]["line"], 2);
}

#[test]
fn history_and_stdin_recognise_config_files_by_content() {
    let repo = Repo::new();
    let xml = "<?xml version=\"1.0\"?>\n<tomcat-users>\n  <user username=\"admin\" password=\"Tamarack1\" roles=\"manager-gui\"/>\n</tomcat-users>\n";
    repo.commit(&[("conf/users.xml", xml)], "users");
    let run = repo.scan(&["scan", "--history", "--format", "json"]);
    let f = run.findings();
    assert_eq!(f.len(), 1, "{}", run.stdout);
    assert_eq!(f[0]["rule_id"], "config.tomcat.password");
    assert_eq!(f[0]["path"], "conf/users.xml");
    assert_eq!(f[0]["line"], 3);
    let run = keytrace_stdin(
        &repo.dir,
        &["scan", "-", "--format", "json"],
        Some(b"CREATE USER 'app'@'%' IDENTIFIED BY 'Laurel12';\n"), // keytrace:allow
    );
    let f = run.findings();
    assert_eq!(f.len(), 1, "{}", run.stdout);
    assert_eq!(f[0]["rule_id"], "config.sql.password");
}
