//! The labelled corpus: `corpus/positive/*.txt` has one secret per non-empty line,
//! `corpus/positive/multiline/*` one secret per file, `corpus/negative/` none at all.
//! Also runs `rules check` over the built-in pack.

use std::collections::BTreeMap;

use super::{keytrace, root};

#[test]
fn rules_check_passes_on_builtin_pack() {
    let run = keytrace(&root(), &["rules", "check"]);
    assert_eq!(
        run.code, 0,
        "rules check failed:\n{}{}",
        run.stdout, run.stderr
    );
}

#[test]
fn every_positive_line_is_exactly_one_finding() {
    let dir = root().join("corpus/positive");
    let run = keytrace(
        &root(),
        &["scan", dir.to_str().unwrap(), "--format", "json", "-q"],
    );
    assert!(run.code == 1 || run.code == 0, "{}", run.stderr);
    let mut per_line: BTreeMap<(String, u64), usize> = BTreeMap::new();
    for f in run.findings() {
        let path = f["path"].as_str().unwrap().to_owned();
        *per_line
            .entry((path, f["line"].as_u64().unwrap()))
            .or_default() += 1;
    }
    let mut problems = Vec::new();
    let mut lines = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            lines += 1;
            let n = per_line
                .get(&(name.clone(), i as u64 + 1))
                .copied()
                .unwrap_or(0);
            if n != 1 {
                problems.push(format!("{name}:{}: {n} findings", i + 1));
            }
        }
    }
    let multi = dir.join("multiline");
    let mut files = 0;
    if multi.is_dir() {
        for entry in std::fs::read_dir(&multi).unwrap() {
            let path = entry.unwrap().path();
            files += 1;
            let rel = format!("multiline/{}", path.file_name().unwrap().to_string_lossy());
            let n = run
                .findings()
                .iter()
                .filter(|f| f["path"] == rel.as_str())
                .count();
            if n != 1 {
                problems.push(format!("{rel}: {n} findings"));
            }
        }
    }
    assert!(lines > 0, "the positive corpus is empty");
    assert!(
        problems.is_empty(),
        "{} of {} positive cases wrong:\n{}",
        problems.len(),
        lines + files,
        problems.join("\n")
    );
}

#[test]
fn negative_corpus_has_no_findings() {
    let dir = root().join("corpus/negative");
    let run = keytrace(
        &root(),
        &["scan", dir.to_str().unwrap(), "--format", "json", "-q"],
    );
    let found: Vec<String> = run
        .findings()
        .iter()
        .map(|f| {
            format!(
                "{}:{} {} {}",
                f["path"].as_str().unwrap(),
                f["line"],
                f["rule_id"].as_str().unwrap(),
                f["redacted"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        found.is_empty(),
        "{} false positives:\n{}",
        found.len(),
        found.join("\n")
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}
