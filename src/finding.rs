//! Findings: what a scan reports. The serialized field names are a public contract
//! (JSON, JSONL, and what SARIF is built from); the secret itself is held separately and
//! serialized only when `--show-secrets` asks for it.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use crate::facts::Facts;
pub use crate::rules::rotation::Rotation;
use crate::rules::{CredentialKind, Rule, Severity};
pub use crate::secret::{redact, Secret};

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
    /// Path relative to the scan root (or as given), `/`-separated. A name that is not
    /// UTF-8 shows U+FFFD here; `raw_path` keeps its bytes.
    pub path: String,
    /// Only for a path that is not valid UTF-8 (issue 12, item 10): the path with each
    /// byte outside valid UTF-8, and each `%`, percent-encoded (`caf%E9.env`), so
    /// percent-decoding gives back the exact bytes. See [`raw_path`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_path: Option<String>,
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
    /// The secret, only with `--show-secrets`: the one field that writes it out.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::secret::shown"
    )]
    pub secret: Option<Secret>,
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
    pub flags: Vec<Flag>,
    /// How to rotate it.
    pub rotation: Option<Rotation>,
    /// The encodings the secret was found inside, outermost first (`["base64"]`,
    /// `["percent", "base64"]`); the location is then the encoded text's. Omitted when
    /// the secret was found as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decoded: Vec<String>,
    /// What the credential itself says about its owner and reach (account, principal,
    /// host, user, key fingerprint, kind, expiry...), read offline; never the secret.
    /// Omitted when nothing is known.
    #[serde(default, skip_serializing_if = "Facts::is_empty")]
    pub facts: Facts,
    /// The raw secret, for fingerprints and baselines; never serialized.
    #[serde(skip)]
    pub secret_bytes: Secret,
    /// GitHub's `primaryLocationLineHash` of the finding's line (see [`line_hashes`]),
    /// filled where the scanned bytes are at hand. Serialized (when known) so that SARIF
    /// rendered later from a saved JSON report (`keytrace render`, `keytrace merge`) is
    /// the same as SARIF written by the scan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_hash: Option<String>,
    /// The repository the finding is in, as named in a `--repos` list (its display name,
    /// else its path); omitted for a scan of one repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
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

/// GitHub code scanning's `primaryLocationLineHash` for each 1-based line of `lines`, in
/// that order: computed as `github/codeql-action` (`src/fingerprints.ts`) computes it
/// when a SARIF file arrives without one, so an alert keeps its identity whether or not
/// the upload action sees the file (a history blob, a staged file).
///
/// The algorithm: the text is read as UTF-8 (invalid bytes become U+FFFD) and walked in
/// UTF-16 code units; spaces and tabs are skipped; `\r\n` and `\r` count as `\n`; an
/// end-of-file marker (65535) and then zeros pad the end. A line's hash is a polynomial
/// rolling hash (base 37, wrapping 64-bit) over the 100 units starting at its first
/// non-blank unit, printed in lowercase hex without leading zeros, with `:n` appended,
/// the n-th time that hash value occurs in the file. Lines past the end get `None`.
pub fn line_hashes(data: &[u8], lines: &[usize]) -> Vec<Option<String>> {
    const BLOCK: usize = 100;
    const BASE: u64 = 37;
    const EOF: u16 = 0xFFFF;
    struct Rolling {
        window: [u64; BLOCK],
        line_at: [usize; BLOCK],
        hash: u64,
        first_mod: u64,
        index: usize,
        counts: std::collections::HashMap<u64, u32>,
    }
    impl Rolling {
        /// Emits the hash of the line starting at the current window slot, if any.
        fn emit(
            &mut self,
            wanted: &std::collections::HashMap<usize, Vec<usize>>,
            out: &mut [Option<String>],
        ) {
            let line = self.line_at[self.index];
            if line == 0 {
                return;
            }
            let n = self.counts.entry(self.hash).or_insert(0);
            *n += 1;
            if let Some(slots) = wanted.get(&line) {
                let value = format!("{:x}:{}", self.hash, n);
                for &i in slots {
                    out[i] = Some(value.clone());
                }
            }
            self.line_at[self.index] = 0;
        }
        fn update(&mut self, unit: u64) {
            let begin = self.window[self.index];
            self.window[self.index] = unit;
            self.hash = BASE
                .wrapping_mul(self.hash)
                .wrapping_add(unit)
                .wrapping_sub(self.first_mod.wrapping_mul(begin));
            self.index = (self.index + 1) % BLOCK;
        }
    }

    let mut out = vec![None; lines.len()];
    let mut wanted: std::collections::HashMap<usize, Vec<usize>> = Default::default();
    for (i, &l) in lines.iter().enumerate() {
        wanted.entry(l).or_default().push(i);
    }
    let mut r = Rolling {
        window: [0; BLOCK],
        line_at: [0; BLOCK],
        hash: 0,
        first_mod: BASE.wrapping_pow(BLOCK as u32),
        index: 0,
        counts: Default::default(),
    };
    let mut line = 0;
    let mut line_start = true;
    let mut prev_cr = false;
    let text = String::from_utf8_lossy(data);
    for unit in text.encode_utf16().chain(std::iter::once(EOF)) {
        let mut unit = unit;
        if unit == u16::from(b' ')
            || unit == u16::from(b'\t')
            || (prev_cr && unit == u16::from(b'\n'))
        {
            prev_cr = false;
            continue;
        }
        if unit == u16::from(b'\r') {
            unit = u16::from(b'\n');
            prev_cr = true;
        } else {
            prev_cr = false;
        }
        r.emit(&wanted, &mut out);
        if line_start {
            line_start = false;
            line += 1;
            r.line_at[r.index] = line;
        }
        if unit == u16::from(b'\n') {
            line_start = true;
        }
        r.update(u64::from(unit));
    }
    for _ in 0..BLOCK {
        r.emit(&wanted, &mut out);
        r.update(0);
    }
    out
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
            raw_path: None,
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
            decoded: Vec::new(),
            facts: crate::facts::extract(
                &rule.spec.provider,
                secret,
                data,
                secret_start,
                secret_end,
            ),
            secret_bytes: Secret::new(secret),
            line_hash: None,
            repository: None,
        }
    }

    /// Makes this a finding of `secret` decoded from the encoded text it points at.
    pub fn set_decoded(&mut self, secret: &[u8], chain: &[crate::matcher::decode::Encoding]) {
        self.fingerprint = fingerprint(secret);
        self.redacted = redact(secret);
        self.secret_bytes = Secret::new(secret);
        self.decoded = chain.iter().map(|e| e.as_str().to_owned()).collect();
        // The decoded secret is its own context: the text around the encoded form says
        // nothing about what was inside it.
        self.facts = crate::facts::extract(&self.provider, secret, secret, 0, secret.len());
    }

    /// Names the finding's file by its bytes: `path` is the lossy text, `raw_path` the
    /// lossless form when the bytes are not UTF-8.
    pub fn set_path_bytes(&mut self, bytes: &[u8]) {
        self.path = String::from_utf8_lossy(bytes).into_owned();
        self.raw_path = raw_path(bytes);
    }

    /// The path's exact bytes: `raw_path` decoded, else `path`.
    pub fn path_bytes(&self) -> Vec<u8> {
        match &self.raw_path {
            Some(raw) => percent_decode(raw),
            None => self.path.as_bytes().to_vec(),
        }
    }

    /// Whether a manifest exists and nothing in it claims this secret (issue 12, item 9):
    /// without a manifest no finding is unowned, it simply has no owner on record.
    pub fn is_unowned(&self) -> bool {
        self.flags.contains(&Flag::Unowned)
    }

    /// Deterministic output order: path, line, column, rule, fingerprint.
    pub fn sort_key(&self) -> (&str, usize, usize, &str, &str) {
        // History can hold different secrets at one place (in different commits): the
        // fingerprint keeps the order the same from run to run.
        (
            &self.path,
            self.line,
            self.column,
            &self.rule_id,
            &self.fingerprint,
        )
    }
}

/// Declares [`Flag`]: each line is one variant and its serialized name, so adding a flag
/// is adding a line (the name, `as_str`, `ALL` and serde all come from it).
macro_rules! flags {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal,)*) => {
        /// A flag on a finding, serialized as its kebab-case name (the JSON contract).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Flag {
            $($(#[doc = $doc])* #[serde(rename = $name)] $variant,)*
        }

        impl Flag {
            /// Every flag, in declaration order.
            pub const ALL: &'static [Flag] = &[$(Flag::$variant,)*];

            /// The serialized name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Flag::$variant => $name,)*
                }
            }
        }
    };
}

flags! {
    /// No identity owns the credential.
    Unowned = "unowned",
    /// The owning identity is retired: the credential should be dead (OWASP NHI1).
    RetiredIdentity = "retired-identity",
    /// The credential's rotation is overdue (OWASP NHI7).
    RotationOverdue = "rotation-overdue",
    /// The identity's review is overdue (CIS 5.5).
    ReviewStale = "review-stale",
    /// The identity has no `review.last_reviewed`: never reviewed, due now (CIS 5.5).
    NeverReviewed = "never-reviewed",
    /// The identity or credential has passed its expiry date.
    Expired = "expired",
    /// First committed on or after the last rotation: probably live.
    ExposedAfterRotation = "exposed-after-rotation",
    /// First committed before the last rotation: probably dead.
    PredatesRotation = "predates-rotation",
    /// One secret belongs to several identities (OWASP NHI9).
    Reused = "reused",
    /// History: no commit placed the blob, but some objects could not be read (it may be
    /// reachable through them); reported unplaced.
    Unattributed = "unattributed",
    /// History: no scanned ref reaches the blob (`--include-unreachable`).
    Unreachable = "unreachable",
    /// The credential's own expiry (a JWT's `exp`, a SAS token's `se`) is past: probably
    /// dead, still reported. Distinct from `expired`, the manifest's date.
    CredentialExpired = "credential-expired",
}

// Flags order by name, as the strings they replace did (sets of flags print sorted).
impl Ord for Flag {
    fn cmp(&self, other: &Flag) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Flag {
    fn partial_cmp(&self, other: &Flag) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for Flag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

// Lets tests and callers compare a flag list with names (`flags == ["unowned"]`).
impl PartialEq<&str> for Flag {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Joins flags' names with `", "`, as every report prints them.
pub fn join_flags<'a>(flags: impl IntoIterator<Item = &'a Flag>) -> String {
    flags
        .into_iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The lossless text form of a path that is not valid UTF-8 (None when it is): valid
/// UTF-8 stays as it is except `%`, which becomes `%25`; every other byte becomes `%XX`.
pub fn raw_path(bytes: &[u8]) -> Option<String> {
    if std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '%' {
                out.push_str("%25");
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Some(out)
}

/// Reverses [`raw_path`]: `%XX` becomes the byte XX, everything else its UTF-8 bytes.
pub fn percent_decode(s: &str) -> Vec<u8> {
    percent_encoding::percent_decode_str(s).collect()
}

impl Finding {
    /// Whether the credential's own expiry has passed (flag set by correlation).
    pub fn credential_expired(&self) -> bool {
        self.flags.contains(&Flag::CredentialExpired)
    }

    /// The severity reports rank and grade by: the rule's, one step lower when the
    /// credential has expired by its own date (probably dead, still worth a look).
    pub fn effective_severity(&self) -> Severity {
        if !self.credential_expired() {
            return self.severity;
        }
        match self.severity {
            Severity::Critical => Severity::High,
            Severity::High => Severity::Medium,
            Severity::Medium | Severity::Low => Severity::Low,
        }
    }

    /// Reach within a severity: broad or user-scoped credentials above narrow or bot
    /// ones (from [`Facts::privilege`]); unknown reach sits between.
    pub fn reach(&self) -> i32 {
        self.facts
            .privilege
            .map_or(0, crate::facts::Privilege::rank)
    }
}

/// Ranking for annotations and summaries: effective severity first (critical first; an
/// expired credential one step lower), then unowned before owned, then broad or
/// user-scoped reach before narrow or bot-scoped, then the usual path/line order.
pub fn rank_cmp(a: &Finding, b: &Finding) -> Ordering {
    b.effective_severity()
        .cmp(&a.effective_severity())
        .then_with(|| b.is_unowned().cmp(&a.is_unowned()))
        .then_with(|| b.reach().cmp(&a.reach()))
        .then_with(|| a.sort_key().cmp(&b.sort_key()))
}

/// Sorts findings by [`rank_cmp`].
pub fn rank_findings(findings: &mut [Finding]) {
    findings.sort_by(rank_cmp);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_path_round_trips_any_bytes() {
        assert_eq!(raw_path(b"plain 100%.env"), None);
        assert_eq!(raw_path(b"caf\xe9 100%.env").unwrap(), "caf%E9 100%25.env");
        for bytes in [
            &b"caf\xe9%41/\xff\xfe"[..],
            b"%",
            b"\x80%zz",
            &b"\xc3\xa9\xc3"[..],
        ] {
            let raw = raw_path(bytes).unwrap_or_else(|| String::from_utf8(bytes.to_vec()).unwrap());
            let back = if std::str::from_utf8(bytes).is_ok() {
                raw.into_bytes()
            } else {
                percent_decode(&raw)
            };
            assert_eq!(back, bytes, "{bytes:?}");
        }
    }

    #[test]
    fn fingerprint_is_stable_and_prefixed() {
        let f = fingerprint(b"hunter2");
        assert!(f.starts_with("kt1:"));
        assert_eq!(f.len(), 36);
        assert_eq!(f, fingerprint(b"hunter2"));
        assert_ne!(f, fingerprint(b"hunter3"));
    }

    /// Expected values from `github/codeql-action`'s own tests (`src/fingerprints.test.ts`).
    #[test]
    fn line_hashes_match_the_upload_action() {
        let all = |text: &str, n: usize| line_hashes(text.as_bytes(), &(1..=n).collect::<Vec<_>>());
        let some = |v: &[&str]| v.iter().map(|s| Some(s.to_string())).collect::<Vec<_>>();
        assert_eq!(all("", 1), some(&["c129715d7a2bc9a3:1"]));
        assert_eq!(
            all(" a\nb\n  \t\tc\n d", 4),
            some(&[
                "271789c17abda88f:1",
                "54703d4cd895b18:1",
                "180aee12dab6264:1",
                "a23a3dc5e078b07b:1"
            ])
        );
        let expected = some(&[
            "e9496ae3ebfced30:1",
            "fb7c023a8b9ccb3f:1",
            "ce8ba1a563dcdaca:1",
            "e20e36e16fcb0cc8:1",
            "b3edc88f2938467e:1",
            "c8e28b0b4002a3a0:1",
            "c129715d7a2bc9a3:1",
        ]);
        for text in [
            " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n",
            " hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r",
            " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
        ] {
            assert_eq!(all(text, 7), expected, "{text:?}");
        }
        let lorem = "Lorem ipsum dolor sit amet.\n".repeat(10);
        let got = all(&lorem, 11);
        assert_eq!(got[0].as_deref(), Some("a7f2ff13bc495cf2:1"));
        assert_eq!(got[5].as_deref(), Some("a7f2ff13bc495cf2:6"));
        assert_eq!(got[6].as_deref(), Some("a7f2ff1481e87703:1"));
        assert_eq!(got[9].as_deref(), Some("cc97dc7b1d7d8f7b:1"));
        // Order and duplicates of the requested lines are kept; past the end is None.
        assert_eq!(
            line_hashes(b"a\nb\n", &[2, 1, 2, 9]),
            vec![
                all("a\nb\n", 2)[1].clone(),
                all("a\nb\n", 1)[0].clone(),
                all("a\nb\n", 2)[1].clone(),
                None
            ]
        );
    }

    #[test]
    fn flags_serialize_as_their_names() {
        let mut names = std::collections::BTreeSet::new();
        for &f in Flag::ALL {
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(json, format!("\"{}\"", f.as_str()));
            assert_eq!(serde_json::from_str::<Flag>(&json).unwrap(), f);
            assert!(names.insert(f.as_str()), "duplicate flag name {f}");
        }
        assert_eq!(
            serde_json::to_string(&[Flag::Unowned, Flag::ExposedAfterRotation]).unwrap(),
            r#"["unowned","exposed-after-rotation"]"#
        );
        // Sets of flags sort by name, as the strings did.
        assert!(Flag::Unowned > Flag::Reused && Flag::Expired < Flag::ExposedAfterRotation);
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
