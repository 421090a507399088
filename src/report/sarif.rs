//! `sarif`: SARIF 2.1.0 as GitHub code scanning accepts it, one run per file.
//!
//! What GitHub needs beyond the OASIS schema, and what this module guarantees:
//! - `tool.driver.rules` holds each rule that a result references, once, with
//!   `shortDescription`, `fullDescription`, `help.text`/`help.markdown` (what the credential
//!   is, why it matters, how to rotate it), `properties.tags`, `precision` and a numeric
//!   `security-severity` string; every result's `ruleIndex` points at its rule.
//! - Each result has one location: a repository-relative, percent-encoded URI and a region
//!   whose columns are counted in Unicode code points, as the run's `columnKind` declares
//!   (findings count columns in Unicode scalar values).
//! - `partialFingerprints` carries GitHub's `primaryLocationLineHash` when the scan had the
//!   line at hand ([`crate::finding::line_hashes`]; the upload action fills it in otherwise)
//!   and our own secret fingerprint under `keytrace/v1`.
//! - `automationDetails.id` is a stable category per scan mode (`keytrace/range/`, ...) so
//!   uploads of different modes do not close each other's alerts.
//! - No secret byte: not the value, not even its masked form; the fingerprint identifies it.
//! - At most [`MAX_RESULTS`] results and [`MAX_GZIP_BYTES`] gzipped: past that the most
//!   severe findings are kept and a run notification says what was dropped.
//! - Findings that exist only in history (`in_head == false`) go to a second file
//!   ([`Part::HistoryOnly`]), since code scanning can show no line for them.

use std::collections::BTreeMap;
use std::io::{self, Write};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use serde_json::{json, Map, Value};

use super::describe::{
    credential_phrase, headline, is_https_uri, mode_name, provenance, rotation_of,
};
use super::RenderOptions;
use crate::engine::ScanOutput;
use crate::escape::sanitize;
use crate::finding::{join_flags, Finding, Rotation};
use crate::rules::{RulePack, RuleSpec, Severity};

/// GitHub code scanning's limit on results per run.
pub const MAX_RESULTS: usize = 25_000;

/// GitHub code scanning's limit on a gzipped SARIF upload (10 MB).
pub const MAX_GZIP_BYTES: usize = 10_000_000;

/// We measure with zlib-rs while the upload action gzips with Node's zlib: keep a margin for
/// the difference between two deflate implementations at the same level (on a 40 MB report
/// zlib-rs level 6 came out 6% smaller than GNU gzip -6).
const GZIP_BUDGET: usize = MAX_GZIP_BYTES / 100 * 85;

/// The key of our own fingerprint in `partialFingerprints` (versioned, as SARIF asks).
pub const FINGERPRINT_KEY: &str = "keytrace/v1";

/// Where the SARIF 2.1.0 schema is published.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Which findings a SARIF file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Everything code scanning can show: all findings but the history-only ones.
    Current,
    /// Findings that exist only in history (`in_head == false`): `--sarif-history`.
    HistoryOnly,
}

impl Part {
    fn holds(self, f: &Finding) -> bool {
        let history_only = f.in_head == Some(false);
        match self {
            Part::Current => !history_only,
            Part::HistoryOnly => history_only,
        }
    }
}

/// The `automationDetails.id` of a file: `--category` (with the trailing `/` that makes
/// the whole id the category) or `keytrace/<mode>/`; the history-only file adds
/// `history-only/` so its alerts never close the main file's.
pub fn category(opts: &RenderOptions, part: Part) -> String {
    let mut id = match &opts.category {
        Some(c) if !c.trim().is_empty() => c.trim().to_owned(),
        _ => format!("keytrace/{}/", mode_name(opts.mode)),
    };
    if !id.ends_with('/') {
        id.push('/');
    }
    if part == Part::HistoryOnly {
        id.push_str("history-only/");
    }
    id
}

/// Writes the SARIF file for `part` of `findings`.
pub fn write(
    w: &mut dyn Write,
    out: &ScanOutput,
    findings: &[Finding],
    pack: &RulePack,
    opts: &RenderOptions,
    part: Part,
) -> io::Result<()> {
    let bytes = render(out, findings, pack, opts, part)?;
    w.write_all(&bytes)?;
    w.write_all(b"\n")
}

/// The SARIF document for `part` of `findings`, serialized and within GitHub's limits.
pub fn render(
    out: &ScanOutput,
    findings: &[Finding],
    pack: &RulePack,
    opts: &RenderOptions,
    part: Part,
) -> io::Result<Vec<u8>> {
    render_capped(out, findings, pack, opts, part, MAX_RESULTS, GZIP_BUDGET)
}

/// [`render`] with the limits as parameters (tests use small ones).
fn render_capped(
    out: &ScanOutput,
    findings: &[Finding],
    pack: &RulePack,
    opts: &RenderOptions,
    part: Part,
    max_results: usize,
    gzip_budget: usize,
) -> io::Result<Vec<u8>> {
    let selected: Vec<&Finding> = findings.iter().filter(|f| part.holds(f)).collect();
    let history_only = match part {
        Part::Current => findings.iter().filter(|f| f.in_head == Some(false)).count(),
        Part::HistoryOnly => 0,
    };
    // Renders the `keep` most severe; `None` when that is over the gzip budget.
    let attempt = |keep: usize| -> io::Result<Option<Vec<u8>>> {
        let (kept, dropped) = most_severe(&selected, keep);
        let mut notes = Vec::new();
        if !dropped.is_empty() {
            notes.push(dropped_note(selected.len(), kept.len(), &dropped));
        }
        if history_only > 0 {
            notes.push(history_note(history_only, opts));
        }
        let doc = document(out, &kept, pack, opts, part, notes);
        let bytes = serde_json::to_vec_pretty(&doc)?;
        // Uncompressed size bounds the gzipped size: most reports never need the deflate.
        let fits = bytes.len() <= gzip_budget || gzip_len(&bytes) <= gzip_budget;
        Ok((fits || keep == 0).then_some(bytes))
    };
    let keep = selected.len().min(max_results);
    if let Some(bytes) = attempt(keep)? {
        return Ok(bytes);
    }
    // Too big gzipped: binary search for the most results that fit (fixed parts such as
    // rule help do not shrink with the results, so a proportional guess can overshoot),
    // to within 1%.
    let (mut fits, mut fails) = (0, keep);
    let mut best = None;
    while fails - fits > (fails / 100).max(1) {
        let mid = fits + (fails - fits) / 2;
        match attempt(mid)? {
            Some(bytes) => {
                fits = mid;
                best = Some(bytes);
            }
            None => fails = mid,
        }
    }
    match best {
        Some(bytes) => Ok(bytes),
        None => Ok(attempt(fits)?.expect("zero results always render")),
    }
}

/// Keeps the `keep` most severe findings (ties: the output order), in output order;
/// returns them and the count dropped per severity.
fn most_severe<'a>(
    selected: &[&'a Finding],
    keep: usize,
) -> (Vec<&'a Finding>, BTreeMap<Severity, usize>) {
    if keep >= selected.len() {
        return (selected.to_vec(), BTreeMap::new());
    }
    let mut order: Vec<usize> = (0..selected.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(selected[i].severity), i));
    let mut dropped = BTreeMap::new();
    for &i in &order[keep..] {
        *dropped.entry(selected[i].severity).or_insert(0) += 1;
    }
    let mut kept_idx = order[..keep].to_vec();
    kept_idx.sort_unstable();
    (kept_idx.into_iter().map(|i| selected[i]).collect(), dropped)
}

fn dropped_note(total: usize, kept: usize, dropped: &BTreeMap<Severity, usize>) -> Value {
    let counts: Vec<String> = dropped
        .iter()
        .rev()
        .map(|(s, n)| format!("{n} {}", s.as_str()))
        .collect();
    notification(
        "keytrace/results-dropped",
        "warning",
        format!(
            "Kept the {kept} most severe of {total} results: GitHub code scanning accepts at \
             most {MAX_RESULTS} results and 10 MB gzipped per file. Dropped: {}. \
             `--format json` lists every finding.",
            counts.join(", ")
        ),
    )
}

fn history_note(n: usize, opts: &RenderOptions) -> Value {
    let text = match &opts.sarif_history {
        Some(file) => format!(
            "{n} findings exist only in history (no longer in HEAD), where code scanning \
             cannot show them; they are in the second SARIF file {}.",
            sanitize(&file.display().to_string())
        ),
        None => format!(
            "{n} findings exist only in history (no longer in HEAD) and are left out, since \
             code scanning cannot show them; `--sarif-history FILE` writes them to a second \
             SARIF file."
        ),
    };
    notification("keytrace/history-only", "note", text)
}

fn notification(id: &str, level: &str, text: String) -> Value {
    json!({
        "descriptor": { "id": id },
        "level": level,
        "message": { "text": text },
    })
}

/// The gzipped size of `data` (deflate level 6, as `gzip` and Node's zlib default, plus
/// gzip's 18 bytes of header and trailer).
fn gzip_len(data: &[u8]) -> usize {
    use zlib_rs::{Deflate, DeflateFlush, Status};
    let mut z = Deflate::new(6, false, 15);
    let mut buf = vec![0u8; 1 << 16];
    let mut consumed = 0usize;
    loop {
        let before_in = z.total_in();
        let before_out = z.total_out();
        let status = z.compress(&data[consumed..], &mut buf, DeflateFlush::Finish);
        consumed += (z.total_in() - before_in) as usize;
        match status {
            Ok(Status::StreamEnd) => break,
            Ok(_) => {}
            // An error here cannot come from the data; fall back to the uncompressed size,
            // which bounds the compressed one, so the caps stay on the safe side.
            Err(_) => return data.len(),
        }
        if z.total_out() == before_out && z.total_in() == before_in {
            return data.len();
        }
    }
    z.total_out() as usize + 18
}

/// The whole document: one run.
fn document(
    out: &ScanOutput,
    findings: &[&Finding],
    pack: &RulePack,
    opts: &RenderOptions,
    part: Part,
    mut notes: Vec<Value>,
) -> Value {
    // Rules referenced by a result, each once, in id order; results point at them by index.
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for f in findings {
        index.entry(f.rule_id.as_str()).or_insert(0);
    }
    for (i, v) in index.values_mut().enumerate() {
        *v = i;
    }
    let rules: Vec<Value> = index
        .keys()
        .map(|id| {
            let f = findings
                .iter()
                .find(|f| f.rule_id == *id)
                .expect("every indexed rule comes from a finding");
            match pack.rules().iter().find(|r| r.spec.id == *id) {
                Some(r) => rule_descriptor(&r.spec),
                // A rule no longer in the pack (a baseline, a merged report): describe it
                // from what the finding says.
                None => rule_descriptor(&spec_of(f)),
            }
        })
        .collect();
    // Findings of several repositories (`scan --repos`, `merge`): each location is
    // relative to its repository, named by a uriBaseId that versionControlProvenance maps.
    let bases: BTreeMap<&str, String> = opts
        .repositories
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.as_str(), format!("REPO{i}")))
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut v = result(f, index[f.rule_id.as_str()]);
            if let Some(repo) = &f.repository {
                if let Some(base) = bases.get(repo.as_str()) {
                    v["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] =
                        Value::String(base.clone());
                }
                v["properties"]["repository"] = Value::String(repo.clone());
            }
            v
        })
        .collect();

    for e in &out.errors {
        notes.push(notification(
            "keytrace/read-error",
            "error",
            format!("Could not read: {e}"),
        ));
    }
    let mut invocation = json!({ "executionSuccessful": true });
    if !notes.is_empty() {
        invocation["toolExecutionNotifications"] = Value::Array(notes);
    }

    let mut driver = json!({
        "name": "keytrace",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    });
    if let Some(uri) = information_uri() {
        driver["informationUri"] = Value::String(uri.to_owned());
    }
    let mut run = json!({
        "tool": { "driver": driver },
        "automationDetails": { "id": category(opts, part) },
        // Findings count columns in Unicode scalar values; say so rather than pretend
        // they are the default UTF-16 code units.
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [invocation],
    });
    if !opts.repositories.is_empty() {
        let provenance: Vec<Value> = opts
            .repositories
            .iter()
            .filter(|r| !r.uri.is_empty())
            .map(|r| {
                let mut p = json!({
                    "repositoryUri": r.uri,
                    "mappedTo": { "uriBaseId": bases[r.name.as_str()] },
                    "properties": { "name": r.name },
                });
                if let Some(rev) = &r.revision {
                    p["revisionId"] = Value::String(rev.clone());
                }
                p
            })
            .collect();
        run["versionControlProvenance"] = Value::Array(provenance);
    }
    run["properties"] = json!({
        "mode": mode_name(opts.mode),
        "scanned": out.scanned,
        "findings": findings.len(),
    });
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [run],
    })
}

/// The project's home page from Cargo metadata, when it is a usable https URI.
fn information_uri() -> Option<&'static str> {
    [
        option_env!("CARGO_PKG_HOMEPAGE"),
        option_env!("CARGO_PKG_REPOSITORY"),
    ]
    .into_iter()
    .flatten()
    .find(|u| is_https_uri(u))
}

/// A minimal spec for a rule the pack does not have.
fn spec_of(f: &Finding) -> RuleSpec {
    RuleSpec::new(
        f.rule_id.as_str(),
        f.rule_name.as_str(),
        f.provider.as_str(),
        f.credential,
        f.severity,
    )
}

/// SARIF `level` of a severity.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub's `security-severity` (a CVSS-like score as a string): over 9.0 is critical,
/// 7.0 to 8.9 high, 4.0 to 6.9 medium, below that low.
pub fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

/// A result's `security-severity`: the effective severity's score, plus 0.4 for broad
/// reach, 0.2 for user-scoped, minus 0.5 for narrow or bot-scoped, within that
/// severity's band.
pub fn result_security_severity(f: &Finding) -> String {
    let base: f64 = security_severity(f.effective_severity())
        .parse()
        .unwrap_or(5.5);
    let adj = match f.facts.privilege {
        Some(crate::facts::Privilege::Broad) => 0.4,
        Some(crate::facts::Privilege::User) => 0.2,
        Some(_) => -0.5,
        None => 0.0,
    };
    format!("{:.1}", (base + adj).clamp(0.1, 10.0))
}

/// `GitHub personal access token (classic)` -> `GitHubPersonalAccessTokenClassic`: SARIF
/// wants `name` to be a short identifier, the readable name goes in `shortDescription`.
fn pascal_case(name: &str, fallback: &str) -> String {
    let mut out = String::new();
    for word in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() {
        fallback.to_owned()
    } else {
        out
    }
}

/// Rotation guidance for a rule, with the rule's format reference as a fallback link.
fn guidance(spec: &RuleSpec) -> Rotation {
    let mut g = crate::rules::rotation::guidance_for(&spec.id, &spec.provider);
    g.docs.retain(|d| is_https_uri(d));
    g
}

/// A `reportingDescriptor` for one rule.
fn rule_descriptor(spec: &RuleSpec) -> Value {
    let name = sanitize(&spec.name);
    let provider = sanitize(&spec.provider);
    let what = credential_phrase(spec.credential);
    let g = guidance(spec);
    let reference = spec.references.iter().find(|r| is_https_uri(r));

    let full = format!(
        "{name}: {what} for {provider}. Committed to git, it can be used by anyone who can \
         read the repository, a clone, a fork or a CI log, until it is revoked."
    );
    let why = "Why it matters: a credential in git outlives the line that held it. Every \
               clone, fork, CI cache and mirror keeps the history, so deleting the line or \
               rewriting history does not make it safe; only revoking it does.";
    let record = "Then record the rotation on the owning identity in \
                  .keytrace/identities.toml (rotation.last_rotated). If this is not a real \
                  credential, add a `keytrace:allow` comment on the line.";

    let mut text = format!("{name} is {what} for {provider}.\n\n{why}\n\nHow to rotate it:\n");
    let mut md = format!(
        "**{}** is {what} for {}.\n\n{why}\n\n**How to rotate it**\n\n",
        crate::escape::markdown(&spec.name),
        crate::escape::markdown(&spec.provider)
    );
    for (i, step) in g.steps.iter().enumerate() {
        text.push_str(&format!("{}. {}\n", i + 1, sanitize(step)));
        md.push_str(&format!("{}. {}\n", i + 1, crate::escape::markdown(step)));
    }
    let mut links: Vec<(&str, &str)> = g
        .docs
        .iter()
        .map(|d| ("Rotation documentation", d.as_str()))
        .collect();
    if let Some(r) = reference {
        if !g.docs.iter().any(|d| d == r) {
            links.push(("Credential format", r.as_str()));
        }
    }
    if !links.is_empty() {
        text.push('\n');
        md.push('\n');
    }
    for (label, url) in &links {
        text.push_str(&format!("{label}: {url}\n"));
        md.push_str(&format!("- {label}: <{url}>\n"));
    }
    text.push_str(&format!("\n{record}\n"));
    md.push_str(
        "\nThen record the rotation on the owning identity in `.keytrace/identities.toml` \
         (`rotation.last_rotated`). If this is not a real credential, add a \
         `keytrace:allow` comment on the line.\n",
    );

    let mut tags: Vec<String> = vec![
        "security".into(),
        "secret".into(),
        spec.provider.clone(),
        spec.credential.as_str().into(),
        "CWE-798".into(),
        "external/cwe/cwe-798".into(),
    ];
    let mut seen = std::collections::HashSet::new();
    tags.retain(|t| !t.is_empty() && seen.insert(t.clone()));

    let mut d = json!({
        "id": spec.id,
        "name": pascal_case(&spec.name, &spec.id),
        "shortDescription": { "text": name },
        "fullDescription": { "text": full },
        "help": { "text": text, "markdown": md },
        "defaultConfiguration": { "level": level(spec.severity) },
        "properties": {
            "tags": tags,
            // Provider rules match a documented token format; generic assignments are
            // a guess from names and entropy.
            "precision": if spec.id.starts_with("generic.") { "medium" } else { "high" },
            "security-severity": security_severity(spec.severity),
            "provider": spec.provider,
            "credential": spec.credential.as_str(),
        },
    });
    if let Some(uri) = reference.or(g.docs.first()) {
        d["helpUri"] = Value::String(uri.clone());
    }
    d
}

/// Characters left as they are in a URI path: RFC 3986 unreserved, plus `/` between
/// segments. Everything else (space, `%`, `:`, `#`, `?`, non-ASCII bytes) is escaped, so a
/// colon in the first segment cannot read as a scheme.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// The `artifactLocation.uri` of a finding's path: relative paths stay relative to the
/// repository root, percent-encoded; an absolute path becomes a `file://` URI.
pub fn artifact_uri(path: &str) -> String {
    artifact_uri_bytes(path.as_bytes())
}

/// [`artifact_uri`] of a path's exact bytes: a name that is not UTF-8 is percent-encoded
/// byte by byte (issue 12, item 10), not as U+FFFD.
pub fn artifact_uri_bytes(path: &[u8]) -> String {
    let mut p = path;
    while let Some(rest) = p.strip_prefix(b"./") {
        p = rest;
    }
    let encoded = percent_encoding::percent_encode(p, PATH).to_string();
    let is_drive = p.len() >= 3 && p[0].is_ascii_alphabetic() && &p[1..3] == b":/";
    if p.starts_with(b"/") {
        format!("file://{encoded}")
    } else if is_drive {
        format!("file:///{encoded}")
    } else {
        encoded
    }
}

fn message(f: &Finding) -> String {
    let mut parts = vec![headline(f)];
    if !f.decoded.is_empty() {
        parts.push(format!(
            "Found inside encoded text ({}); the location is the encoded text's.",
            // Innermost first: "percent inside base64".
            f.decoded
                .iter()
                .rev()
                .map(|e| sanitize(e))
                .collect::<Vec<_>>()
                .join(" inside ")
        ));
    }
    if !f.flags.is_empty() {
        parts.push(format!("Flags: {}.", sanitize(&join_flags(&f.flags))));
    }
    if let Some(p) = provenance(f) {
        parts.push(p);
    }
    let rotation = rotation_of(f);
    parts.push(sanitize(&rotation.summary));
    if let Some(runbook) = &rotation.runbook {
        parts.push(format!("Owner's runbook: {}.", sanitize(runbook)));
    }
    parts.push(format!("Fingerprint {}.", f.fingerprint));
    parts.join(" ")
}

fn commit_json(c: &crate::finding::CommitInfo) -> Value {
    json!({ "id": c.id, "date": c.date })
}

/// One result.
fn result(f: &Finding, rule_index: usize) -> Value {
    let mut partial = Map::new();
    if let Some(h) = &f.line_hash {
        partial.insert("primaryLocationLineHash".into(), Value::String(h.clone()));
    }
    partial.insert(FINGERPRINT_KEY.into(), Value::String(f.fingerprint.clone()));

    let mut props = json!({
        "severity": f.severity.as_str(),
        "provider": f.provider,
        "credential": f.credential.as_str(),
        "fingerprint": f.fingerprint,
        "source": mode_name(f.source),
        "flags": f.flags,
    });
    // "unowned" only when a manifest exists and claims nothing (no manifest: no owner key).
    match &f.identity {
        Some(i) => props["owner"] = json!(i.owner),
        None if f.is_unowned() => props["owner"] = json!("unowned"),
        None => {}
    }
    if !f.decoded.is_empty() {
        props["decoded"] = json!(f.decoded);
    }
    if !f.facts.is_empty() {
        props["facts"] = json!(f.facts);
    }
    // The result's own score: the rule's, graded by what the credential says about
    // itself (an expired one a level lower, broad or user-scoped reach a little higher,
    // narrow or bot-scoped a little lower), so code scanning sorts like our reports.
    props["security-severity"] = json!(result_security_severity(f));
    if let Some(id) = &f.identity {
        props["identity"] = json!({ "id": id.id, "kind": id.kind, "status": id.status });
    }
    if let Some(c) = &f.commit {
        props["commit"] = commit_json(c);
    }
    if let Some(c) = &f.first_commit {
        props["firstCommit"] = commit_json(c);
    }
    if let Some(c) = &f.last_commit {
        props["lastCommit"] = commit_json(c);
    }
    if let Some(b) = f.in_head {
        props["inHead"] = Value::Bool(b);
    }
    if let Some(n) = f.commits {
        props["commits"] = json!(n);
    }
    let rotation = rotation_of(f);
    props["rotation"] = json!({
        "summary": rotation.summary,
        "docs": rotation.docs,
        "runbook": rotation.runbook,
    });

    json!({
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": level(f.effective_severity()),
        "message": { "text": message(f) },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": artifact_uri_bytes(&f.path_bytes()) },
                "region": {
                    "startLine": f.line.max(1),
                    "startColumn": f.column.max(1),
                    "endLine": f.end_line.max(f.line).max(1),
                    "endColumn": f.end_column.max(1),
                },
            },
        }],
        "partialFingerprints": partial,
        "properties": props,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::SourceKind;

    #[test]
    fn uris_are_relative_and_percent_encoded() {
        assert_eq!(artifact_uri("deploy/.env"), "deploy/.env");
        assert_eq!(artifact_uri("./a/b c.txt"), "a/b%20c.txt");
        assert_eq!(artifact_uri("100%/x"), "100%25/x");
        assert_eq!(artifact_uri("c:stuff/x"), "c%3Astuff/x");
        assert_eq!(artifact_uri("café/ü.env"), "caf%C3%A9/%C3%BC.env");
        assert_eq!(artifact_uri("a#b?c"), "a%23b%3Fc");
        assert_eq!(artifact_uri("/tmp/a b"), "file:///tmp/a%20b");
        assert_eq!(artifact_uri("C:/x/y"), "file:///C%3A/x/y");
    }

    #[test]
    fn helper_mappings() {
        assert_eq!(
            pascal_case("GitHub personal access token (classic)", "x"),
            "GitHubPersonalAccessTokenClassic"
        );
        assert_eq!(pascal_case("(!)", "fallback.id"), "fallback.id");
        assert!(is_https_uri("https://docs.github.com/en/x?y=1#z"));
        assert!(!is_https_uri("http://example.com"));
        assert!(!is_https_uri("https://"));
        assert!(!is_https_uri("https://a b"));
        for s in [
            Severity::Low,
            Severity::Medium,
            Severity::High,
            Severity::Critical,
        ] {
            assert!(security_severity(s).parse::<f64>().is_ok());
        }
    }

    fn finding(sev: Severity, i: usize) -> Finding {
        let rule = crate::rules::RulePack::builtin();
        let r = &rule.rules()[0];
        let data = format!("x = {i:040}\n");
        let idx = crate::finding::LineIndex::new(data.as_bytes());
        let mut f = Finding::new(
            r,
            data.as_bytes(),
            &idx,
            4,
            44,
            format!("f{i}"),
            SourceKind::Worktree,
        );
        f.severity = sev;
        f
    }

    #[test]
    fn caps_keep_the_most_severe_in_output_order() {
        let fs: Vec<Finding> = (0..6)
            .map(|i| {
                finding(
                    [Severity::Low, Severity::Critical, Severity::Medium][i % 3],
                    i,
                )
            })
            .collect();
        let refs: Vec<&Finding> = fs.iter().collect();
        let (kept, dropped) = most_severe(&refs, 3);
        let paths: Vec<&str> = kept.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["f1", "f2", "f4"]);
        assert_eq!(dropped.get(&Severity::Medium), Some(&1));
        assert_eq!(dropped.get(&Severity::Low), Some(&2));
    }

    #[test]
    fn over_the_limits_the_most_severe_stay_and_a_notification_says_so() {
        let fs: Vec<Finding> = (0..40)
            .map(|i| {
                finding(
                    if i % 4 == 0 {
                        Severity::Critical
                    } else {
                        Severity::Low
                    },
                    i,
                )
            })
            .collect();
        let pack = RulePack::builtin();
        let out = ScanOutput::default();
        let opts = RenderOptions::new(super::super::Format::Sarif);
        let doc = |bytes: Vec<u8>| serde_json::from_slice::<Value>(&bytes).unwrap();

        let d =
            doc(render_capped(&out, &fs, &pack, &opts, Part::Current, 15, GZIP_BUDGET).unwrap());
        let results = d["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 15);
        let critical = results.iter().filter(|r| r["level"] == "error").count();
        assert_eq!(critical, 10, "all critical kept");
        let note = &d["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
        assert_eq!(note["descriptor"]["id"], "keytrace/results-dropped");
        let text = note["message"]["text"].as_str().unwrap();
        assert!(
            text.contains("Kept the 15 most severe of 40") && text.contains("25 low"),
            "{text}"
        );

        // A gzip budget a few results wide: fewer results, still the critical ones first.
        let full = render_capped(&out, &fs, &pack, &opts, Part::Current, 100, usize::MAX).unwrap();
        let empty = render_capped(&out, &[], &pack, &opts, Part::Current, 100, usize::MAX).unwrap();
        let budget = (gzip_len(&full) + gzip_len(&empty)) / 2;
        let small = render_capped(&out, &fs, &pack, &opts, Part::Current, 100, budget).unwrap();
        assert!(gzip_len(&small) <= budget);
        let d = doc(small);
        let results = d["runs"][0]["results"].as_array().unwrap();
        assert!(
            !results.is_empty() && results.len() < 40,
            "{}",
            results.len()
        );
        assert!(results
            .iter()
            .take(10.min(results.len()))
            .all(|r| r["level"] == "error"));
    }

    #[test]
    fn gzip_len_is_close_to_real_deflate() {
        let data = "{\"a\": 1}\n".repeat(10_000);
        let n = gzip_len(data.as_bytes());
        assert!(n > 18 && n < data.len() / 20, "{n}");
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let noise: Vec<u8> = (0..50_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 32) as u8
            })
            .collect();
        assert!(gzip_len(&noise) >= noise.len() / 2);
    }

    #[test]
    fn categories() {
        let mut o = RenderOptions::new(super::super::Format::Sarif);
        o.mode = SourceKind::Range;
        assert_eq!(category(&o, Part::Current), "keytrace/range/");
        assert_eq!(
            category(&o, Part::HistoryOnly),
            "keytrace/range/history-only/"
        );
        o.category = Some("keytrace/pr".into());
        assert_eq!(category(&o, Part::Current), "keytrace/pr/");
    }
}
