//! Findings: what a scan reports. The serialized field names are a public contract
//! (JSON, JSONL, and what SARIF is built from); the secret itself is held separately and
//! serialized only when `--show-secrets` asks for it.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::rules::{CredentialKind, Rule, Severity};

/// Which source produced a finding.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// Files on disk.
    Worktree,
    /// The index, against HEAD.
    Staged,
    /// Commits of a range.
    Range,
    /// Every committed blob.
    History,
    /// Standard input.
    Stdin,
}

/// A commit that carried a finding.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CommitInfo {
    /// Full hex id.
    pub id: String,
    /// Author name.
    pub author: String,
    /// Author email.
    pub email: String,
    /// Author date, RFC 3339.
    pub date: String,
    /// First line of the message.
    pub message_summary: String,
}

/// The identity that owns a credential, from the manifest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct IdentityRef {
    /// Identity id.
    pub id: String,
    /// Owner (CIS 5.5).
    pub owner: String,
    /// Kind of non-human identity.
    pub kind: String,
    /// active | deprecated | retired.
    pub status: String,
}

/// How to rotate the credential.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct Rotation {
    /// One sentence.
    pub summary: String,
    /// Generate, replace, revoke.
    pub steps: Vec<String>,
    /// Official documentation links.
    pub docs: Vec<String>,
    /// The owner's runbook from the manifest.
    pub runbook: Option<String>,
}

/// One reported secret.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Finding {
    pub rule_id: String,
    pub rule_name: String,
    pub provider: String,
    pub credential: CredentialKind,
    pub severity: Severity,
    /// `kt1:` + 32 hex of the secret's salted SHA-256.
    pub fingerprint: String,
    /// Path relative to the scan root (or as given), `/`-separated.
    pub path: String,
    /// 1-based line of the secret's first byte.
    pub line: usize,
    /// 1-based column (Unicode scalar values) of the secret's first byte.
    pub column: usize,
    /// 1-based line of the secret's last byte.
    pub end_line: usize,
    /// 1-based column just past the secret's last character.
    pub end_column: usize,
    /// The secret with its middle masked.
    pub redacted: String,
    /// The secret, only with `--show-secrets`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    pub source: SourceKind,
    /// The commit that added it (git sources).
    pub commit: Option<CommitInfo>,
    /// History: the first commit that carried this (secret, path).
    pub first_commit: Option<CommitInfo>,
    /// History: the last commit that carried it.
    pub last_commit: Option<CommitInfo>,
    /// History: whether HEAD still has it.
    pub in_head: Option<bool>,
    /// History: how many commits carried it.
    pub commits: Option<usize>,
    /// The owning identity, or null when unowned or without a manifest.
    pub identity: Option<IdentityRef>,
    /// `unowned`, `retired-identity`, `rotation-overdue`, ...
    pub flags: Vec<String>,
    /// How to rotate it.
    pub rotation: Option<Rotation>,
    /// The raw secret, for fingerprints and baselines; never serialized.
    #[serde(skip)]
    pub secret_bytes: Vec<u8>,
}

/// The fingerprint of a secret: `kt1:` + the first 32 hex digits of
/// `sha256("keytrace-v1\0" + secret)`.
pub fn fingerprint(secret: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(b"keytrace-v1\0");
    h.update(secret);
    let digest = h.finalize();
    let mut s = String::with_capacity(36);
    s.push_str("kt1:");
    for b in &digest[..16] {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Masks a secret: long ones keep 4 characters at each end, medium ones 2 at the start,
/// short ones nothing. Control characters never survive.
pub fn redact(secret: &[u8]) -> String {
    let s = String::from_utf8_lossy(secret);
    let chars: Vec<char> = s.chars().filter(|c| !c.is_control()).collect();
    let n = chars.len();
    let (head, tail) = if n >= 24 {
        (4, 4)
    } else if n >= 12 {
        (2, 0)
    } else {
        (0, 0)
    };
    let mut out: String = chars[..head].iter().collect();
    out.push_str("****");
    out.extend(&chars[n - tail..]);
    out
}

/// Line and column positions within one buffer; built once per buffer with findings.
pub struct LineIndex<'a> {
    data: &'a [u8],
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes line starts of `data`.
    pub fn new(data: &'a [u8]) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', data).map(|i| i + 1));
        LineIndex { data, starts }
    }

    /// 1-based (line, column in Unicode scalars) of byte offset `at`.
    pub fn position(&self, at: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= at);
        let start = self.starts[line - 1];
        let col = String::from_utf8_lossy(&self.data[start..at])
            .chars()
            .count()
            + 1;
        (line, col)
    }

    /// 1-based line number of byte offset `at`.
    pub fn line(&self, at: usize) -> usize {
        self.starts.partition_point(|&s| s <= at)
    }

    /// The bytes of 1-based line `line`, without its newline.
    pub fn line_text(&self, line: usize) -> &'a [u8] {
        let start = self.starts[line - 1];
        let end = self.starts.get(line).map_or(self.data.len(), |&e| e - 1);
        &self.data[start..end.max(start)]
    }
}

impl Finding {
    /// Builds a finding for a match of `rule` at `secret_start..secret_end` in `data`.
    pub fn new(
        rule: &Rule,
        data: &[u8],
        index: &LineIndex<'_>,
        secret_start: usize,
        secret_end: usize,
        path: String,
        source: SourceKind,
    ) -> Finding {
        let secret = &data[secret_start..secret_end];
        let (line, column) = index.position(secret_start);
        let (end_line, end_column) = index.position(secret_end);
        Finding {
            rule_id: rule.spec.id.clone(),
            rule_name: rule.spec.name.clone(),
            provider: rule.spec.provider.clone(),
            credential: rule.spec.credential,
            severity: rule.spec.severity,
            fingerprint: fingerprint(secret),
            path,
            line,
            column,
            end_line,
            end_column,
            redacted: redact(secret),
            secret: None,
            source,
            commit: None,
            first_commit: None,
            last_commit: None,
            in_head: None,
            commits: None,
            identity: None,
            flags: Vec::new(),
            rotation: None,
            secret_bytes: secret.to_vec(),
        }
    }

    /// Deterministic output order: path, line, column, rule.
    pub fn sort_key(&self) -> (&str, usize, usize, &str) {
        (&self.path, self.line, self.column, &self.rule_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_stable_and_prefixed() {
        let f = fingerprint(b"hunter2");
        assert!(f.starts_with("kt1:"));
        assert_eq!(f.len(), 36);
        assert_eq!(f, fingerprint(b"hunter2"));
        assert_ne!(f, fingerprint(b"hunter3"));
    }

    #[test]
    fn redaction_hides_the_middle() {
        assert_eq!(
            redact(b"ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            "ghp_****6789"
        ); // keytrace:allow
        assert_eq!(redact(b"s3cretpassw0rd"), "s3****");
        assert_eq!(redact(b"short"), "****");
    }

    #[test]
    fn positions() {
        let data = "ab\ncé d\n".as_bytes();
        let idx = LineIndex::new(data);
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(3), (2, 1));
        assert_eq!(idx.position(7), (2, 4)); // after "cé " (é is 2 bytes)
        assert_eq!(idx.line_text(2), "cé d".as_bytes());
    }
}
