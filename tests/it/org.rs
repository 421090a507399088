//! Organisation scale: rendering saved reports (`render`), joining reports (`merge`),
//! many repositories in one run (`scan --repos`), shards, and the inventory across
//! repositories (`nhi report --from`).

use std::path::Path;

use super::git::Repo;
use super::{keytrace, secrets, write_files};

/// A repository with an owned secret still in HEAD, an unowned one deleted since (history
/// only), and a manifest that owns the first.
fn history_repo() -> Repo {
    let r = Repo::new();
    r.commit(
        &[
            (
                ".keytrace/identities.toml",
                "version = 1\n[[identity]]\nid = \"deployer\"\nkind = \"ci-identity\"\n\
                 owner = \"group:payments\"\npurpose = \"deploys\"\n\
                 review = { last_reviewed = 2026-10-01 }\n  [[identity.credential]]\n  \
                 match = { paths = [\"deploy/**\"] }\n",
            ),
            (
                "deploy/ci.env",
                &format!("TOKEN={}\n", secrets::github_pat()),
            ),
            (
                "old.env",
                &format!("key = \"{}\"\n", secrets::stripe_live()),
            ),
        ],
        "add",
    );
    std::fs::remove_file(r.dir.join("old.env")).unwrap();
    r.commit(&[], "remove the old key");
    r
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Scanning once to JSON and rendering each format from it gives the bytes a direct scan
/// in that format writes (issue 12, item 18), the history SARIF file included.
#[test]
fn render_from_json_equals_direct_output_byte_for_byte() {
    let r = history_repo();
    let out = tempfile::tempdir().unwrap();
    let o = out.path();
    let json = o.join("report.json");
    let scan = |extra: &[&str]| {
        let mut args = vec!["scan", "--history", "--quiet"];
        args.extend_from_slice(extra);
        let run = keytrace(&r.dir, &args);
        assert_eq!(run.code, 1, "{}", run.stderr);
    };
    scan(&["--format", "json", "-o", json.to_str().unwrap()]);
    for format in ["text", "github", "markdown", "sarif", "json", "jsonl"] {
        let direct = o.join(format!("direct.{format}"));
        let rendered = o.join(format!("rendered.{format}"));
        let hist = o.join("history.sarif");
        let mut extra = vec!["--format", format];
        if format == "sarif" {
            extra.extend(["--sarif-history", hist.to_str().unwrap()]);
            extra.extend(["--category", "org/"]);
        }
        let mut direct_args = extra.clone();
        direct_args.extend(["-o", direct.to_str().unwrap()]);
        scan(&direct_args);
        let direct_hist = (format == "sarif").then(|| read(&hist));
        let mut args = vec!["render", json.to_str().unwrap()];
        args.extend(&extra);
        args.extend(["-o", rendered.to_str().unwrap()]);
        let run = keytrace(&r.dir, &args);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        let (a, b) = (read(&direct), read(&rendered));
        if format == "json" {
            // Only the wall time differs between two scans.
            let strip = |v: &[u8]| {
                let mut v: serde_json::Value = serde_json::from_slice(v).unwrap();
                v["summary"]["elapsed_ms"] = 0.into();
                v
            };
            assert_eq!(strip(&a), strip(&b));
            continue;
        }
        assert!(
            a == b,
            "{format} differs:\n--- direct\n{}\n--- rendered\n{}",
            String::from_utf8_lossy(&a),
            String::from_utf8_lossy(&b)
        );
        if let Some(h) = direct_hist {
            assert!(!h.is_empty());
            assert_eq!(h, read(&hist), "history SARIF differs");
        }
    }
    // Both the owned and the history-only secret are in the JSON.
    let doc: serde_json::Value = serde_json::from_slice(&read(&json)).unwrap();
    assert_eq!(doc["mode"], "history");
    assert_eq!(doc["findings"].as_array().unwrap().len(), 2);
    assert!(doc["rules"].as_array().unwrap().len() == 2);
}

#[test]
fn render_takes_one_report_and_names_a_bad_one() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write_files(d, &[("a.json", "{}"), ("b.json", "not json")]);
    let run = keytrace(d, &["render", "a.json", "b.json"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("keytrace merge"), "{}", run.stderr);
    let run = keytrace(d, &["render", "b.json"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("b.json"), "{}", run.stderr);
}

/// A repository holding `secret` in `path` (with a manifest that owns `deploy/**` when
/// `owned`), committed.
fn repo_with(secret: &str, path: &str, owned: bool) -> Repo {
    let r = Repo::new();
    let mut files = vec![(path.to_owned(), format!("TOKEN={secret}\n"))];
    if owned {
        files.push((
            ".keytrace/identities.toml".to_owned(),
            "version = 1\n[[identity]]\nid = \"deployer\"\nkind = \"ci-identity\"\n\
             owner = \"group:payments\"\npurpose = \"deploys\"\n\
             review = { last_reviewed = 2026-10-01 }\n  [[identity.credential]]\n  \
             match = { paths = [\"deploy/**\"] }\n"
                .to_owned(),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    r.commit(&refs, "add");
    r
}

fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> super::Run {
    let mut cmd = std::process::Command::new(super::bin());
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .env_remove("JOB_COMPLETION_INDEX")
        .stdin(std::process::Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run keytrace");
    super::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Many repositories in one run: a working clone with a display name, a bare mirror, a
/// `file://` URL, and one that does not exist (reported; the others still scanned, exit
/// 2). Each is owned per its own manifest; findings carry their repository in JSON and
/// SARIF, and the SARIF validates.
#[test]
fn repos_list_scans_each_with_its_own_manifest_and_goes_on_after_a_failure() {
    let pat = secrets::github_pat();
    let api = repo_with(&pat, "deploy/ci.env", true);
    let web = repo_with(&pat, "deploy/ci.env", false);
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // The owned repository is listed as a bare mirror: its manifest is read from HEAD.
    let bare = d.join("api.git");
    super::git::git_in(
        d,
        &[
            "clone",
            "-q",
            "--mirror",
            api.dir.to_str().unwrap(),
            bare.to_str().unwrap(),
        ],
    );
    let other = repo_with(&secrets::stripe_live(), "src/app.env", false);
    let list = format!(
        "# three repositories and a missing one\napi.git https://github.com/acme/api\n{} web\n\
         file://{}\n{}/missing https://github.com/acme/missing\n",
        web.dir.display(),
        other.dir.display(),
        d.display()
    );
    write_files(d, &[("repos.txt", &list)]);
    let run = keytrace(
        d,
        &[
            "scan",
            "--history",
            "--repos",
            "repos.txt",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("https://github.com/acme/missing"),
        "{}",
        run.stderr
    );
    let doc = run.json();
    let findings = doc["findings"].as_array().unwrap();
    let by_repo = |name: &str| -> Vec<&serde_json::Value> {
        findings
            .iter()
            .filter(|f| f["repository"] == name)
            .collect()
    };
    let api_f = by_repo("https://github.com/acme/api");
    assert_eq!(api_f.len(), 1, "{findings:#?}");
    assert_eq!(api_f[0]["identity"]["owner"], "group:payments");
    let web_f = by_repo("web");
    assert_eq!(web_f.len(), 1, "{findings:#?}");
    assert!(web_f[0]["identity"].is_null(), "web has no manifest");
    assert_eq!(web_f[0]["fingerprint"], api_f[0]["fingerprint"]);
    assert_eq!(by_repo(&format!("file://{}", other.dir.display())).len(), 1);
    let repos = doc["repositories"].as_array().unwrap();
    assert_eq!(repos.len(), 4);
    assert!(repos.iter().any(|r| r["error"].is_string()));
    assert!(repos.iter().filter(|r| r["revision"].is_string()).count() == 3);

    // SARIF: one provenance entry per repository, results mapped to theirs.
    let sarif = d.join("org.sarif");
    let run = keytrace(
        d,
        &[
            "scan",
            "--history",
            "--repos",
            "repos.txt",
            "--format",
            "sarif",
            "-o",
            sarif.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_slice(&read(&sarif)).unwrap();
    super::sarif::assert_schema_valid(&doc, "repos SARIF");
    let run0 = &doc["runs"][0];
    let prov = run0["versionControlProvenance"].as_array().unwrap();
    assert_eq!(prov.len(), 4);
    assert!(prov
        .iter()
        .any(|p| p["repositoryUri"] == "https://github.com/acme/api"));
    for r in run0["results"].as_array().unwrap() {
        let base = &r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"];
        assert!(
            prov.iter().any(|p| &p["mappedTo"]["uriBaseId"] == base),
            "{r:#}"
        );
        assert!(r["properties"]["repository"].is_string());
    }

    // The inventory across repositories: the shared token is one credential, owned in
    // one repository and unowned in the other.
    let json = d.join("org.json");
    keytrace(
        d,
        &[
            "scan",
            "--history",
            "--repos",
            "repos.txt",
            "--format",
            "json",
            "-o",
            json.to_str().unwrap(),
        ],
    );
    let inv = keytrace(
        d,
        &[
            "nhi",
            "report",
            "--from",
            json.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(
        inv.code, 2,
        "the failed repository is an error: {}",
        inv.stderr
    );
    let inv = inv.json();
    let creds = inv["credentials"].as_array().unwrap();
    assert_eq!(creds.len(), 2, "{inv:#}");
    assert_eq!(creds[0]["repositories"].as_array().unwrap().len(), 2);
    let owners: Vec<&str> = creds[0]["owners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["owner"].as_str().unwrap())
        .collect();
    assert_eq!(owners, vec!["group:payments", "unowned"]);
}

/// The shard contract, run for real: N processes with `JOB_COMPLETION_INDEX` set as a
/// Kubernetes Indexed Job sets it, each writing its report; their merge equals one
/// unsharded run (findings and repositories), and every repository lands in one shard.
#[test]
fn shards_by_job_completion_index_merge_to_the_unsharded_run() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let repos: Vec<Repo> = (0..7u8)
        .map(|i| {
            repo_with(
                &secrets::github_pat_variant(i),
                &format!("deploy/s{i}.env"),
                i % 2 == 0,
            )
        })
        .collect();
    let list: String = repos
        .iter()
        .enumerate()
        .map(|(i, r)| format!("{} https://example.com/acme/r{i}\n", r.dir.display()))
        .collect();
    write_files(d, &[("repos.txt", &list)]);
    let full = d.join("full.json");
    let run = run_env(
        d,
        &[
            "scan",
            "--history",
            "--repos",
            "repos.txt",
            "--format",
            "json",
            "-o",
            full.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    const N: usize = 3;
    let children: Vec<_> = (0..N)
        .map(|i| {
            let out = d.join(format!("shard-{i}.json"));
            std::process::Command::new(super::bin())
                .args([
                    "scan",
                    "--history",
                    "--repos",
                    "repos.txt",
                    "--shard-count",
                    "3",
                ])
                .args(["--quiet", "--format", "json", "-o", out.to_str().unwrap()])
                .current_dir(d)
                .env("JOB_COMPLETION_INDEX", i.to_string())
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("HOME", d)
                .spawn()
                .expect("spawn shard")
        })
        .collect();
    for mut c in children {
        let code = c.wait().unwrap().code();
        assert!(matches!(code, Some(0 | 1)), "shard exit {code:?}");
    }
    let mut counts = Vec::new();
    for i in 0..N {
        let doc: serde_json::Value =
            serde_json::from_slice(&read(&d.join(format!("shard-{i}.json")))).unwrap();
        counts.push(doc["repositories"].as_array().map_or(0, Vec::len));
    }
    assert_eq!(counts.iter().sum::<usize>(), 7, "{counts:?}");
    let merged = d.join("merged.json");
    let shards: Vec<String> = (0..N)
        .map(|i| d.join(format!("shard-{i}.json")).display().to_string())
        .collect();
    let mut args = vec!["merge"];
    args.extend(shards.iter().map(String::as_str));
    args.extend(["--format", "json", "-o", merged.to_str().unwrap()]);
    let run = run_env(d, &args, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let a: serde_json::Value = serde_json::from_slice(&read(&full)).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&read(&merged)).unwrap();
    assert_eq!(a["findings"].as_array().unwrap().len(), 7);
    assert_eq!(a["findings"], b["findings"]);
    assert_eq!(a["repositories"], b["repositories"]);
    assert_eq!(a["rules"], b["rules"]);
    assert_eq!(a["summary"]["scanned"], b["summary"]["scanned"]);

    // --shard wins over the variable; an index without a count is an error.
    let run = run_env(
        d,
        &[
            "scan",
            "--history",
            "--repos",
            "repos.txt",
            "--shard",
            "0/1",
            "--shard-count",
            "3",
            "--list-repos",
        ],
        &[("JOB_COMPLETION_INDEX", "2")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 7);
    let run = run_env(
        d,
        &[
            "scan",
            "--history",
            "--repos",
            "repos.txt",
            "--shard-count",
            "3",
            "--list-repos",
        ],
        &[],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("JOB_COMPLETION_INDEX"),
        "{}",
        run.stderr
    );
}
