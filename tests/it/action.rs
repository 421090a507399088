//! The GitHub Action (`action.yml`) without GitHub: a harness parses the action, checks its
//! inputs and outputs against what the steps use, and runs its shell steps the way the
//! runner does (`bash --noprofile --norc -eo pipefail`, `${{ }}` expressions resolved
//! into each step's `env`, `GITHUB_OUTPUT` / `GITHUB_STEP_SUMMARY` / `GITHUB_EVENT_PATH`
//! files) in temp repositories with synthetic `pull_request` and `push` payloads. `uses:`
//! steps (cache, upload-sarif) are recorded, not run; the built keytrace is on PATH, so the
//! install step is skipped as it is when keytrace is preinstalled.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::json;
use serde_yaml::Value as Yaml;

use super::git::{git_in, Repo};
use super::sarif::{assert_github_rules, assert_schema_valid};
use super::{bin, root, secrets, write_files};

fn action() -> Yaml {
    let text = std::fs::read_to_string(root().join("action.yml")).expect("read action.yml");
    serde_yaml::from_str(&text).expect("action.yml is YAML")
}

fn steps(a: &Yaml) -> Vec<Yaml> {
    a["runs"]["steps"]
        .as_sequence()
        .expect("runs.steps")
        .clone()
}

/// Every `${{ ... }}` expression in a string.
fn expressions(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find("${{") {
        let Some(j) = rest[i..].find("}}") else { break };
        out.push(rest[i + 3..i + j].trim().to_owned());
        rest = &rest[i + j + 2..];
    }
    out
}

/// Names after `prefix` (`inputs.` or `steps.`) in a text.
fn references(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let tail = &rest[i + prefix.len()..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
            .unwrap_or(tail.len());
        out.insert(tail[..end].trim_end_matches('.').to_owned());
        rest = &tail[end..];
    }
    out
}

/// What a run step writes to `$GITHUB_OUTPUT` (`echo "name=...`).
fn written_outputs(script: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in script.match_indices('=') {
        let before = &script[..i];
        let name_start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .map_or(0, |p| p + 1);
        let name = &before[name_start..];
        let quote = before[..name_start].ends_with("echo \"");
        if quote && !name.is_empty() {
            out.insert(name.to_owned());
        }
    }
    out
}

#[test]
fn action_inputs_and_outputs_match_what_the_steps_use() {
    let a = action();
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    for key in [
        "name",
        "description",
        "branding",
        "inputs",
        "outputs",
        "runs",
    ] {
        assert!(!a[key].is_null(), "action.yml lacks {key}");
    }
    assert_eq!(a["runs"]["using"], "composite");
    let declared: BTreeSet<String> = a["inputs"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap().to_owned())
        .collect();
    for want in [
        "mode",
        "base",
        "head",
        "path",
        "args",
        "manifest",
        "sarif-file",
        "upload-sarif",
        "category",
        "fail-on",
        "max-annotations",
    ] {
        assert!(declared.contains(want), "input {want} missing");
    }
    let used = references(&text, "inputs.");
    assert_eq!(used, declared, "inputs used vs declared");

    let mut writes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for s in steps(&a) {
        if let (Some(id), Some(run)) = (s["id"].as_str(), s["run"].as_str()) {
            writes.insert(id.to_owned(), written_outputs(run));
        }
        if s["run"].is_string() {
            assert_eq!(
                s["shell"], "bash",
                "run steps need a shell in a composite action"
            );
            // Inputs and step outputs reach scripts through env only (no injection).
            assert!(
                expressions(s["run"].as_str().unwrap()).is_empty(),
                "{:?}",
                s["id"]
            );
        }
    }
    for r in references(&text, "steps.") {
        let mut parts = r.splitn(3, '.');
        let (id, kind, name) = (parts.next().unwrap(), parts.next(), parts.next());
        assert_eq!(kind, Some("outputs"), "{r}");
        let name = name.unwrap();
        let written = writes
            .get(id)
            .unwrap_or_else(|| panic!("no run step with id {id}"));
        assert!(
            written.contains(name),
            "step {id} never writes {name} (writes {written:?})"
        );
    }
    for want in ["findings", "unowned", "sarif-file", "exit-code"] {
        let v = a["outputs"][want]["value"]
            .as_str()
            .unwrap_or_else(|| panic!("output {want}"));
        assert!(v.contains("steps.scan.outputs."), "{want}: {v}");
    }
    // The install path the issue asks for, with the cache.
    assert!(text.contains("cargo install --locked --path \"$ACTION_PATH\""));
    assert!(text.contains("actions/cache@"));
    assert!(text.contains("github/codeql-action/upload-sarif@"));
}

/// One harness run of the action.
struct Outcome {
    /// Outputs of the action, from its `outputs` section.
    outputs: BTreeMap<String, String>,
    /// Everything the steps printed (annotations included).
    log: String,
    /// The step summary file.
    summary: String,
    /// The step that failed and its exit code, if one did.
    failed: Option<(String, i32)>,
    /// `uses:` steps that would have run.
    used: Vec<String>,
}

struct Ctx<'a> {
    inputs: BTreeMap<String, String>,
    steps: BTreeMap<String, BTreeMap<String, String>>,
    event_name: &'a str,
    event: &'a serde_json::Value,
}

impl Ctx<'_> {
    fn value(&self, expr: &str) -> String {
        let expr = expr.trim();
        if let Some(lit) = expr.strip_prefix('\'').and_then(|e| e.strip_suffix('\'')) {
            return lit.to_owned();
        }
        if let Some(name) = expr.strip_prefix("inputs.") {
            return self.inputs.get(name).cloned().unwrap_or_default();
        }
        if let Some(rest) = expr.strip_prefix("steps.") {
            let mut p = rest.splitn(3, '.');
            let (id, _, name) = (p.next().unwrap(), p.next(), p.next().unwrap_or(""));
            return self
                .steps
                .get(id)
                .and_then(|o| o.get(name))
                .cloned()
                .unwrap_or_default();
        }
        match expr {
            "github.action_path" => root().display().to_string(),
            "github.event_name" => self.event_name.to_owned(),
            "github.repository" => "acme/app".to_owned(),
            _ => {
                if let Some(path) = expr.strip_prefix("github.event.") {
                    let mut v = self.event;
                    for k in path.split('.') {
                        v = &v[k];
                    }
                    return v.as_str().unwrap_or("").to_owned();
                }
                panic!("harness cannot evaluate `{expr}`")
            }
        }
    }

    /// `${{ }}` in a string.
    fn substitute(&self, s: &str) -> String {
        let mut out = s.to_owned();
        for e in expressions(s) {
            out = out.replacen(&format!("${{{{ {e} }}}}"), &self.value(&e), 1);
        }
        out
    }

    /// An `if:` of the forms the action uses: `a == b`, `a != b`, joined by `&&`/`||`,
    /// parentheses.
    fn condition(&self, c: &str) -> bool {
        let c = c.trim();
        if let Some(inner) = c.strip_prefix('(').and_then(|c| c.strip_suffix(')')) {
            if balanced(inner) {
                return self.condition(inner);
            }
        }
        for (op, and) in [("||", false), ("&&", true)] {
            if let Some((a, b)) = split_top(c, op) {
                return if and {
                    self.condition(a) && self.condition(b)
                } else {
                    self.condition(a) || self.condition(b)
                };
            }
        }
        if let Some((a, b)) = c.split_once("!=") {
            return self.value(a) != self.value(b);
        }
        if let Some((a, b)) = c.split_once("==") {
            return self.value(a) == self.value(b);
        }
        panic!("harness cannot evaluate condition `{c}`")
    }
}

fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    for ch in s.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

/// Splits at the first `op` outside parentheses.
fn split_top<'a>(s: &'a str, op: &str) -> Option<(&'a str, &'a str)> {
    let mut depth = 0i32;
    for (i, ch) in s.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 && s[i..].starts_with(op) => {
                return Some((&s[..i], &s[i + op.len()..]));
            }
            _ => {}
        }
    }
    None
}

fn parse_output_file(path: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// Runs the action in `workspace` for an event.
fn run_action(
    workspace: &Path,
    event_name: &str,
    event: &serde_json::Value,
    inputs: &[(&str, &str)],
) -> Outcome {
    let a = action();
    let tmp = tempfile::tempdir().unwrap();
    let event_path = tmp.path().join("event.json");
    std::fs::write(&event_path, event.to_string()).unwrap();
    let summary = tmp.path().join("summary.md");
    std::fs::write(&summary, "").unwrap();
    let runner_temp = tmp.path().join("runner");
    std::fs::create_dir(&runner_temp).unwrap();
    let bin_dir = bin().parent().unwrap().to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );

    let mut ctx = Ctx {
        inputs: BTreeMap::new(),
        steps: BTreeMap::new(),
        event_name,
        event,
    };
    for (k, v) in a["inputs"].as_mapping().unwrap() {
        let default = v["default"].as_str().unwrap_or("").to_owned();
        ctx.inputs.insert(k.as_str().unwrap().to_owned(), default);
    }
    for (k, v) in inputs {
        assert!(ctx.inputs.contains_key(*k), "no input {k}");
        ctx.inputs.insert((*k).to_owned(), (*v).to_owned());
    }

    let mut log = String::new();
    let mut failed = None;
    let mut used = Vec::new();
    for (n, step) in steps(&a).iter().enumerate() {
        let id = step["id"]
            .as_str()
            .map_or(format!("step{n}"), str::to_owned);
        if let Some(c) = step["if"].as_str() {
            if !ctx.condition(c) {
                continue;
            }
        }
        if let Some(uses) = step["uses"].as_str() {
            used.push(uses.to_owned());
            continue;
        }
        let script = step["run"].as_str().expect("a step runs or uses");
        let script_path = tmp.path().join(format!("{id}.sh"));
        std::fs::write(&script_path, script).unwrap();
        let output = tmp.path().join(format!("{id}.out"));
        std::fs::write(&output, "").unwrap();
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script_path)
            .current_dir(workspace)
            .env("PATH", &path)
            .env("HOME", tmp.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("NO_COLOR", "1")
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_PATH", tmp.path().join("path"))
            .env("GITHUB_EVENT_PATH", &event_path)
            .env("GITHUB_EVENT_NAME", event_name)
            .env("GITHUB_WORKSPACE", workspace)
            .env("GITHUB_ACTION_PATH", root())
            .env("RUNNER_TEMP", &runner_temp)
            .env("RUNNER_OS", "Linux");
        if let Some(env) = step["env"].as_mapping() {
            for (k, v) in env {
                cmd.env(
                    k.as_str().unwrap(),
                    ctx.substitute(v.as_str().unwrap_or("")),
                );
            }
        }
        let out = cmd.output().expect("run bash");
        log.push_str(&String::from_utf8_lossy(&out.stdout));
        log.push_str(&String::from_utf8_lossy(&out.stderr));
        ctx.steps.insert(id.clone(), parse_output_file(&output));
        if !out.status.success() {
            failed = Some((id, out.status.code().unwrap_or(-1)));
            break;
        }
    }
    let mut outputs = BTreeMap::new();
    for (k, v) in a["outputs"].as_mapping().unwrap() {
        let value = ctx.substitute(v["value"].as_str().unwrap());
        outputs.insert(k.as_str().unwrap().to_owned(), value);
    }
    Outcome {
        outputs,
        log,
        summary: std::fs::read_to_string(&summary).unwrap(),
        failed,
        used,
    }
}

/// An upstream repository (the "GitHub" side, with main and a feature branch adding a
/// secret in two commits) and the commits involved.
struct Upstream {
    repo: Repo,
    main: String,
    feature: String,
    secret: String,
}

fn upstream() -> Upstream {
    let repo = Repo::new();
    // Serve any commit by id, as GitHub does, so a shallow checkout can fetch its base.
    repo.git(&["config", "uploadpack.allowAnySHA1InWant", "true"]);
    let on_main = secrets::stripe_live();
    repo.commit(&[("README.md", "app\n")], "init");
    let main = repo.commit(
        &[("legacy.py", &format!("KEY = \"{on_main}\"\n"))],
        "legacy key",
    );
    repo.git(&["checkout", "-q", "-b", "feature"]);
    let secret = secrets::github_pat();
    repo.commit(&[("src/app.py", "print('hi')\n")], "code");
    let feature = repo.commit(
        &[("deploy/ci env.sh", &format!("export GH_TOKEN={secret}\n"))],
        "deploy",
    );
    repo.git(&["checkout", "-q", "main"]);
    Upstream {
        repo,
        main,
        feature,
        secret,
    }
}

/// A checkout of the feature branch (full, or shallow with `depth`).
fn checkout(up: &Upstream, depth: Option<u32>) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("file://{}", up.repo.dir.display());
    let mut args = vec!["clone", "-q", "--no-tags", "-b", "feature"];
    let d;
    if let Some(depth) = depth {
        d = depth.to_string();
        args.extend(["--depth", &d]);
    }
    args.extend([url.as_str(), "work"]);
    git_in(tmp.path(), &args);
    let work = tmp.path().join("work");
    (tmp, work)
}

fn pr_event(base: &str, head: &str) -> serde_json::Value {
    json!({
        "pull_request": {
            "base": { "sha": base, "ref": "main" },
            "head": { "sha": head, "ref": "feature", "repo": { "full_name": "acme/app" } }
        },
        "repository": { "default_branch": "main", "full_name": "acme/app" }
    })
}

fn assert_sarif(o: &Outcome, secrets: &[String], category: &str) {
    let path = &o.outputs["sarif-file"];
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: serde_json::Value = serde_json::from_str(&raw).unwrap();
    assert_schema_valid(&doc, "action");
    assert_github_rules(&doc, &raw, secrets, "action");
    assert_eq!(doc["runs"][0]["automationDetails"]["id"], category);
}

#[test]
fn pull_request_annotates_summarizes_writes_sarif_and_fails() {
    let up = upstream();
    let (_t, work) = checkout(&up, None);
    let o = run_action(&work, "pull_request", &pr_event(&up.main, &up.feature), &[]);
    assert_eq!(o.failed, Some(("verdict".to_owned(), 1)), "{}", o.log);
    assert_eq!(o.outputs["findings"], "1", "{}", o.log);
    // No manifest in the repository: nothing is unowned (issue 12, item 9).
    assert_eq!(o.outputs["unowned"], "0");
    assert_eq!(o.outputs["exit-code"], "1");
    assert!(
        o.log.contains("::error file=deploy/ci env.sh,line=1,"),
        "{}",
        o.log
    );
    assert!(
        o.log.contains("1 findings") || o.log.contains("1 finding,"),
        "{}",
        o.log
    );
    assert!(
        o.summary.contains("## keytrace: 1 finding"),
        "{}",
        o.summary
    );
    assert!(!o.summary.contains("legacy.py"), "only what the PR adds");
    assert_sarif(&o, std::slice::from_ref(&up.secret), "keytrace/pr/");
    assert!(!o.log.contains(&up.secret) && !o.summary.contains(&up.secret));
    assert!(o.used.is_empty(), "no upload by default: {:?}", o.used);

    // fail-on never: success, same outputs; upload-sarif true: the upload step runs.
    let o = run_action(
        &work,
        "pull_request",
        &pr_event(&up.main, &up.feature),
        &[
            ("fail-on", "never"),
            ("upload-sarif", "true"),
            ("sarif-file", "out/k.sarif"),
        ],
    );
    assert_eq!(o.failed, None, "{}", o.log);
    assert!(
        o.outputs["sarif-file"].ends_with("out/k.sarif"),
        "{:?}",
        o.outputs
    );
    assert_sarif(&o, std::slice::from_ref(&up.secret), "keytrace/pr/");
    assert!(o
        .used
        .iter()
        .any(|u| u.starts_with("github/codeql-action/upload-sarif")));
}

#[test]
fn push_scans_before_to_after() {
    let up = upstream();
    let (_t, work) = checkout(&up, None);
    let event = json!({
        "before": up.main, "after": up.feature,
        "repository": { "default_branch": "main" }
    });
    let o = run_action(&work, "push", &event, &[]);
    assert_eq!(o.failed, Some(("verdict".to_owned(), 1)), "{}", o.log);
    assert_eq!(o.outputs["findings"], "1");
    assert_sarif(&o, std::slice::from_ref(&up.secret), "keytrace/push/");
}

/// Issue 12, item 9: `fail-on: unowned` and the `unowned` output count only credentials a
/// manifest exists for and does not claim; without a manifest nothing is unowned.
#[test]
fn unowned_output_needs_a_manifest() {
    let up = upstream();
    let (_t, work) = checkout(&up, None);
    let event = json!({
        "before": up.main, "after": up.feature,
        "repository": { "default_branch": "main" }
    });
    let o = run_action(&work, "push", &event, &[("fail-on", "unowned")]);
    assert_eq!(o.failed, None, "no manifest: nothing unowned\n{}", o.log);
    assert_eq!(o.outputs["findings"], "1");
    assert_eq!(o.outputs["unowned"], "0");
    assert!(!o.summary.contains("unowned"), "{}", o.summary);
    // A manifest that claims something else: the finding is unowned and fails the job.
    write_files(
        &work,
        &[(
            ".keytrace/identities.toml",
            "version = 1\n[[identity]]\nid = \"x\"\nkind = \"bot\"\nowner = \"team\"\n\
             purpose = \"p\"\nreview = { last_reviewed = 2026-10-15 }\n  [[identity.credential]]\n  match = { paths = [\"nowhere/**\"] }\n",
        )],
    );
    let o = run_action(&work, "push", &event, &[("fail-on", "unowned")]);
    assert_eq!(o.failed, Some(("verdict".to_owned(), 1)), "{}", o.log);
    assert_eq!(o.outputs["unowned"], "1");
    assert!(o.summary.contains("1 unowned"), "{}", o.summary);
}

#[test]
fn new_branch_scans_the_commits_not_on_the_default_branch() {
    let up = upstream();
    let (_t, work) = checkout(&up, None);
    let event = json!({
        "before": "0000000000000000000000000000000000000000", "after": up.feature,
        "created": true,
        "repository": { "default_branch": "main" }
    });
    let o = run_action(&work, "push", &event, &[("fail-on", "never")]);
    assert_eq!(o.failed, None, "{}", o.log);
    assert_eq!(
        o.outputs["findings"], "1",
        "the legacy key on main is not reported: {}",
        o.log
    );
    assert!(o.log.contains("scanning 2 commits"), "{}", o.log);
}

#[test]
fn empty_range_is_a_notice_and_success() {
    let up = upstream();
    let (_t, work) = checkout(&up, None);
    let o = run_action(
        &work,
        "pull_request",
        &pr_event(&up.feature, &up.feature),
        &[],
    );
    assert_eq!(o.failed, None, "{}", o.log);
    assert!(
        o.log.contains("::notice title=keytrace::nothing to scan"),
        "{}",
        o.log
    );
    assert_eq!(o.outputs["findings"], "0");
    assert_eq!(o.outputs["exit-code"], "0");
    assert!(o.summary.contains("nothing to scan"), "{}", o.summary);
}

#[test]
fn shallow_checkout_fetches_the_base_or_fails_loudly() {
    let up = upstream();
    // fetch-depth 1: neither the base nor the first feature commit is there.
    let (_t, work) = checkout(&up, Some(1));
    let o = run_action(&work, "pull_request", &pr_event(&up.main, &up.feature), &[]);
    assert_eq!(o.failed, Some(("verdict".to_owned(), 1)), "{}", o.log);
    assert_eq!(o.outputs["findings"], "1", "{}", o.log);
    assert!(
        o.log.contains("scanning 2 commits"),
        "both PR commits: {}",
        o.log
    );

    // Nowhere to fetch from: fail saying what to do, never scan nothing silently.
    let (_t2, lonely) = checkout(&up, Some(1));
    git_in(&lonely, &["remote", "remove", "origin"]);
    let o = run_action(
        &lonely,
        "pull_request",
        &pr_event(&up.main, &up.feature),
        &[],
    );
    assert_eq!(
        o.failed.as_ref().map(|f| f.0.as_str()),
        Some("range"),
        "{}",
        o.log
    );
    assert!(o.log.contains("fetch-depth: 0"), "{}", o.log);
}

/// Issue 12, item 3: a pull request that adds `[allow] paths = ["**"]` to
/// `.keytrace/config.toml` (or an ignore entry, a baseline) used to judge itself: scanned
/// 0 files, exit 0, no note. The policy now comes from the base commit, the summary says
/// so, and a pull request that changes `.keytrace/` is named as changing the policy.
#[test]
fn pull_request_is_judged_by_the_base_commits_policy() {
    let up = upstream();
    // The base's own policy is applied: it disables a rule the PR does not touch.
    up.repo.git(&["checkout", "-q", "main"]);
    let main = up.repo.commit(
        &[(
            ".keytrace/config.toml",
            "[rules]\ndisable = [\"stripe.\"]\n",
        )],
        "policy on main",
    );
    up.repo.git(&["checkout", "-q", "feature"]);
    up.repo.git(&["merge", "-q", "--no-edit", "main"]);
    let head = up.repo.commit(
        &[
            (".keytrace/config.toml", "[allow]\npaths = [\"**\"]\n"),
            ("later.py", &format!("K = \"{}\"\n", secrets::stripe_live())),
        ],
        "silence the scanner",
    );
    up.repo.git(&["checkout", "-q", "main"]);
    let (_t, work) = checkout(&up, None);
    git_in(&work, &["checkout", "-q", &head]);

    let o = run_action(&work, "pull_request", &pr_event(&main, &head), &[]);
    assert_eq!(o.failed, Some(("verdict".to_owned(), 1)), "{}", o.log);
    assert_eq!(
        o.outputs["findings"], "1",
        "the PR's own [allow] must not apply; the base's disable does:\n{}",
        o.log
    );
    assert!(
        o.log.contains("::error file=deploy/ci env.sh,line=1,"),
        "{}",
        o.log
    );
    assert!(
        o.summary.contains("read from the base commit"),
        "{}",
        o.summary
    );
    assert!(
        o.summary.contains("changes the scanner's policy")
            && o.summary.contains(".keytrace/config.toml"),
        "{}",
        o.summary
    );
    assert!(
        o.log
            .contains("::warning title=keytrace::this pull request changes"),
        "{}",
        o.log
    );
    assert!(!o.summary.contains(&up.secret) && !o.log.contains(&up.secret));
    // The temporary worktree of the base is gone.
    assert_eq!(git_in(&work, &["worktree", "list"]).lines().count(), 1);

    // A PR that leaves the policy alone gets the note, not the warning.
    let o = run_action(&work, "pull_request", &pr_event(&up.main, &up.feature), &[]);
    assert!(
        o.summary.contains("read from the base commit"),
        "{}",
        o.summary
    );
    assert!(
        !o.summary.contains("changes the scanner's policy"),
        "{}",
        o.summary
    );

    // A push is judged by the pushed commit's own policy (it is on the branch already).
    let event =
        json!({ "before": main, "after": head, "repository": { "default_branch": "main" } });
    let o = run_action(&work, "push", &event, &[("fail-on", "never")]);
    assert_eq!(o.outputs["findings"], "0", "{}", o.log);
    assert!(
        !o.summary.contains("read from the base commit"),
        "{}",
        o.summary
    );
}
