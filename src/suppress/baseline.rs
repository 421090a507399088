//! The baseline: the fingerprints of findings a team has accepted, so `--baseline FILE`
//! reports only what is new.
//!
//! Entries are matched by fingerprint alone (a hash of the secret): moving a secret to
//! another line or file does not make it new, a different secret on the same line does.
//! `rule_id` and `path` are kept for the humans reviewing the file. No secret and no line
//! numbers are stored. The file is JSON, sorted, one entry per line, so two branches that
//! each add a secret rarely conflict and a conflict is resolved by keeping both lines:
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     {"fingerprint":"kt1:…","rule_id":"github.pat.classic","path":"deploy/.env"}
//!   ]
//! }
//! ```

/// The baseline read when no `--baseline` and no `[scan] baseline` is given, if it exists.
pub const DEFAULT_BASELINE_FILE: &str = ".keytrace/baseline.json";

use std::collections::HashSet;
use std::path::Path;

use anyhow::{bail, Context as _};
use serde::{Deserialize, Serialize};

use crate::finding::Finding;

/// The baseline format version written by this keytrace.
pub const VERSION: u32 = 1;

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The secret's fingerprint (`kt1:…`): what matching uses.
    pub fingerprint: String,
    /// The rule that found it (for humans).
    pub rule_id: String,
    /// Where it was found (for humans).
    pub path: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    version: u32,
    findings: Vec<Entry>,
}

/// A loaded baseline.
#[derive(Debug, Default)]
pub struct Baseline {
    /// The file, for messages.
    pub file: String,
    fingerprints: HashSet<String>,
}

impl Baseline {
    /// Whether the finding's secret is in the baseline.
    pub fn contains(&self, f: &Finding) -> bool {
        self.fingerprints.contains(&f.fingerprint)
    }

    /// Number of distinct fingerprints.
    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    /// Whether the baseline is empty.
    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }
}

/// Reads a baseline file; errors name the file, line and column.
pub fn load(path: &Path) -> anyhow::Result<Baseline> {
    let file = path.display().to_string();
    let text =
        std::fs::read_to_string(path).with_context(|| format!("failed to read baseline {file}"))?;
    parse(&file, &text)
}

/// Parses baseline text (see [`load`]).
pub fn parse(file: &str, text: &str) -> anyhow::Result<Baseline> {
    let doc: Document = serde_json::from_str(text).map_err(|e| {
        anyhow::anyhow!(
            "invalid baseline {file}, line {} column {}: {e}; write one with `keytrace baseline -o {file}`",
            e.line(),
            e.column()
        )
    })?;
    if doc.version != VERSION {
        bail!(
            "invalid baseline {file}: field `version`: {} is not supported (this keytrace writes {VERSION})",
            doc.version
        );
    }
    let mut fingerprints = HashSet::with_capacity(doc.findings.len());
    for (i, e) in doc.findings.into_iter().enumerate() {
        if !super::is_fingerprint(&e.fingerprint) {
            bail!(
                "invalid baseline {file}: findings[{i}]: field `fingerprint`: `{}` is not a keytrace fingerprint (kt1: and 32 hex digits)",
                crate::escape::sanitize(&e.fingerprint)
            );
        }
        fingerprints.insert(e.fingerprint);
    }
    Ok(Baseline {
        file: file.to_owned(),
        fingerprints,
    })
}

/// Renders the baseline for `findings`: deduplicated entries sorted by path, rule and
/// fingerprint, one JSON object per line.
pub fn render(findings: &[Finding]) -> String {
    let mut entries: Vec<Entry> = findings
        .iter()
        .map(|f| Entry {
            fingerprint: f.fingerprint.clone(),
            rule_id: f.rule_id.clone(),
            path: f.path.clone(),
        })
        .collect();
    entries.sort_by(|a, b| {
        (&a.path, &a.rule_id, &a.fingerprint).cmp(&(&b.path, &b.rule_id, &b.fingerprint))
    });
    entries.dedup();
    let mut out = format!("{{\n  \"version\": {VERSION},\n  \"findings\": [");
    for (i, e) in entries.iter().enumerate() {
        out.push_str(if i == 0 { "\n    " } else { ",\n    " });
        out.push_str(&serde_json::to_string(e).expect("strings always serialize"));
    }
    out.push_str(if entries.is_empty() {
        "]\n}\n"
    } else {
        "\n  ]\n}\n"
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_one_entry_per_line() {
        let fp = crate::finding::fingerprint(b"s3cr3t-value");
        let text = format!(
            "{{\n  \"version\": 1,\n  \"findings\": [\n    {{\"fingerprint\":\"{fp}\",\"rule_id\":\"a.b\",\"path\":\"x\"}}\n  ]\n}}\n"
        );
        let b = parse("b.json", &text).unwrap();
        assert_eq!(b.len(), 1);
        assert_eq!(render(&[]), "{\n  \"version\": 1,\n  \"findings\": []\n}\n");
        assert!(parse("b.json", &render(&[])).unwrap().is_empty());
    }

    #[test]
    fn errors_name_file_and_line() {
        let err = parse(
            "b.json",
            "{\n  \"version\": 1,\n  \"findings\": [\n    {\"fingerprint\": 3}\n  ]\n}\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("b.json") && err.contains("line 4"), "{err}");
        let err = parse(
            "b.json",
            "{\"version\":1,\"findings\":[{\"fingerprint\":\"abc\",\"rule_id\":\"r\",\"path\":\"p\"}]}",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("fingerprint") && err.contains("abc"), "{err}");
    }
}
