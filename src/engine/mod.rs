//! Drives sources through per-thread matchers and collects findings. [`Engine`] is the
//! immutable, shared part (rules, keyword automaton, options); each worker thread makes
//! its own [`Matcher`] from it. Only counters and the finding list are shared.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;

pub mod error;
pub mod filter;

pub use error::ScanError;

use crate::finding::{Finding, LineIndex, SourceKind};
use crate::matcher::decode::{self, DecodedMatch};
use crate::matcher::{MatchOptions, Matcher, Prefilter, RawMatch};
use crate::pathmatch::PathMatcher;
use crate::rules::RulePack;

/// The shared scanning engine. Built once by [`Engine::new`] plus the `with_*` methods,
/// then only read: its fields are crate-private so nothing outside patches it mid-scan.
pub struct Engine {
    /// The rules.
    pub(crate) pack: RulePack,
    /// Keyword automaton over `pack`.
    pub(crate) prefilter: Prefilter,
    /// Matching options.
    pub(crate) options: MatchOptions,
    /// Paths never scanned (config `[allow] paths`).
    pub(crate) allow_paths: Option<PathMatcher>,
    /// Secret values never reported (config `[allow] values`).
    pub(crate) allow_values: Vec<Vec<u8>>,
    /// An imported gitleaks config's rule `path` regexes and allowlists, checked here where
    /// the matched bytes and their line are at hand (None without one).
    pub(crate) match_filter: Option<filter::MatchFilter>,
    /// How many levels of encoding (base64, percent) to look inside; 0 disables.
    pub(crate) decode_depth: u32,
    /// The config-file credential pass (issue 13), None when the pack has no `config.*`
    /// rules (all disabled, or an imported gitleaks config).
    config_pass: Option<crate::matcher::configfile::ConfigPass>,
}

/// Lines a change adds, for sources that report only added lines (1-based, sorted,
/// non-overlapping inclusive ranges).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddedLines(pub Vec<(usize, usize)>);

impl AddedLines {
    /// Whether any line of `first..=last` is added.
    pub fn touches(&self, first: usize, last: usize) -> bool {
        let i = self.0.partition_point(|&(_, e)| e < first);
        self.0.get(i).is_some_and(|&(s, _)| s <= last)
    }
}

impl Engine {
    /// Builds the engine (the keyword automaton) over `pack`.
    pub fn new(
        pack: RulePack,
        options: MatchOptions,
        allow_paths: Option<PathMatcher>,
        allow_values: Vec<Vec<u8>>,
    ) -> anyhow::Result<Engine> {
        let prefilter = if options.small_inputs {
            Prefilter::with_kind(&pack, true)?
        } else {
            Prefilter::in_background(&pack)?
        };
        let config_pass = crate::matcher::configfile::ConfigPass::new(&pack);
        Ok(Engine {
            pack,
            prefilter,
            options,
            allow_paths,
            allow_values,
            match_filter: None,
            decode_depth: 1,
            config_pass,
        })
    }

    /// Looks `depth` levels deep inside base64 and percent-encoded text (0 disables).
    pub fn with_decode_depth(mut self, depth: u32) -> Engine {
        self.decode_depth = depth;
        self
    }

    /// Checks an imported gitleaks config's rule paths and allowlists at match time (an
    /// empty filter checks nothing and costs nothing).
    pub fn with_match_filter(mut self, filter: filter::MatchFilter) -> Engine {
        self.match_filter = (!filter.is_empty()).then_some(filter);
        self
    }

    /// The rules.
    pub fn pack(&self) -> &RulePack {
        &self.pack
    }

    /// How many encoding levels are looked inside.
    pub fn decode_depth(&self) -> u32 {
        self.decode_depth
    }

    /// A matcher for one thread.
    pub fn matcher(&self) -> Matcher<'_> {
        Matcher::new(&self.pack, &self.prefilter, self.options)
    }

    /// Whether the configuration excludes `path` from scanning.
    pub fn path_excluded(&self, path: &str) -> bool {
        self.allow_paths.as_ref().is_some_and(|g| g.is_match(path))
    }

    /// A worker for one thread: its own matcher, scratch and findings.
    pub fn worker(&self) -> Worker<'_> {
        Worker {
            engine: self,
            matcher: self.matcher(),
            raw: Vec::new(),
            decoded: Vec::new(),
            out: Vec::new(),
        }
    }

    /// Appends the findings of `raw` and `decoded`, matches in the whole of `data`, with
    /// their line hashes.
    pub fn push_findings(
        &self,
        data: &[u8],
        path: &str,
        source: SourceKind,
        raw: &[RawMatch],
        decoded: &[DecodedMatch],
        out: &mut Vec<Finding>,
    ) {
        if raw.is_empty() && decoded.is_empty() {
            return;
        }
        let index = LineIndex::new(data);
        let first = out.len();
        out.extend(
            raw.iter()
                .map(|m| self.finding(m, data, &index, path, source)),
        );
        out.extend(
            decoded
                .iter()
                .map(|d| self.decoded_finding(d, data, &index, path, source)),
        );
        // GitHub's primaryLocationLineHash needs the line's content, which only this
        // buffer has: one pass, and only for buffers with findings.
        let lines: Vec<usize> = out[first..].iter().map(|f| f.line).collect();
        for (f, h) in out[first..]
            .iter_mut()
            .zip(crate::finding::line_hashes(data, &lines))
        {
            f.line_hash = h;
        }
    }

    /// The confirmed matches in `data` that survive the configuration's allowed values,
    /// an imported gitleaks config's filters and (with `added`) the added-lines filter,
    /// left in `raw` (cleared first), in offset order. Does not look at the interrupt flag
    /// or the progress counters: callers do.
    pub fn matches(
        &self,
        matcher: &mut Matcher<'_>,
        data: &[u8],
        path: &str,
        added: Option<&AddedLines>,
        raw: &mut Vec<RawMatch>,
        decoded: &mut Vec<DecodedMatch>,
    ) {
        raw.clear();
        decoded.clear();
        // Only added lines are reported: search for keywords on them alone (the pre-commit
        // hot path: a two-line change in a 100 KB file compiles and runs the regexes of
        // the rules its two lines name, not of every keyword in the file). Windows still
        // read the whole buffer, and multi-line rules search it all, as in
        // `Matcher::scan_delta`, so the result equals a whole scan filtered to added lines.
        let ranges = added.map(|a| added_byte_ranges(data, a));
        match &ranges {
            Some(ranges) => matcher.scan_delta(data, path, ranges, &[], raw, None),
            None => matcher.scan(data, path, raw),
        }
        if self.decode_depth > 0 {
            match &ranges {
                Some(ranges) if memchr::memmem::find(data, b"kind: Secret").is_none() => {
                    decode::scan_ranges(
                        matcher,
                        data,
                        ranges,
                        path,
                        self.decode_depth,
                        self.options.inline_ignores,
                        decoded,
                    )
                }
                _ => decode::scan(
                    matcher,
                    data,
                    path,
                    self.decode_depth,
                    self.options.inline_ignores,
                    decoded,
                ),
            }
        }
        self.config_matches(matcher, data, path, raw);
        self.settle(data, path, added, raw, decoded);
    }

    // --- config-file pass hook (issue 13): one call per blob, before settling ---

    /// Adds to `raw` (the matcher's matches in `data`) the credentials the config-file
    /// pass reads from `data` at `path` (empty when unknown), so they settle, suppress and
    /// report like any match. A provider rule's match of the same secret wins over the
    /// pass, and the pass wins over the generic detector.
    pub fn config_matches(
        &self,
        matcher: &mut Matcher<'_>,
        data: &[u8],
        path: &str,
        raw: &mut Vec<RawMatch>,
    ) {
        let Some(pass) = &self.config_pass else {
            return;
        };
        let (mut found, mut allowed) = (Vec::new(), Vec::new());
        pass.scan(
            data,
            path,
            self.options.inline_ignores,
            &mut found,
            &mut allowed,
        );
        for span in allowed {
            matcher.count_inline_allowed(span);
        }
        crate::matcher::configfile::merge(&self.pack, raw, found);
    }

    /// Settles what the plain and the decoded scans of `data` both saw (one report per
    /// secret), then applies [`Engine::retain_allowed`] to both.
    pub fn settle(
        &self,
        data: &[u8],
        path: &str,
        added: Option<&AddedLines>,
        raw: &mut Vec<RawMatch>,
        decoded: &mut Vec<DecodedMatch>,
    ) {
        decode::dedupe(&self.pack, data, raw, decoded);
        self.retain_allowed(data, path, added, raw);
        if decoded.is_empty() {
            return;
        }
        let mut index = None;
        decoded.retain(|d| {
            let span = RawMatch {
                rule: d.rule,
                start: d.start,
                end: d.end,
                secret_start: d.start,
                secret_end: d.end,
            };
            self.keeps(data, path, added, &mut index, &span, d.secret.expose())
        });
    }

    /// Drops from `raw` (matches the matcher found in `data`) those the configuration's
    /// allowed values, an imported gitleaks config's filters or (with `added`) the
    /// added-lines filter exclude.
    pub fn retain_allowed(
        &self,
        data: &[u8],
        path: &str,
        added: Option<&AddedLines>,
        raw: &mut Vec<RawMatch>,
    ) {
        if raw.is_empty() {
            return;
        }
        let mut index = None;
        raw.retain(|m| {
            let secret = &data[m.secret_start..m.secret_end];
            self.keeps(data, path, added, &mut index, m, secret)
        });
    }

    /// Whether match `m` of `data` (its secret `secret`) survives the allowed values, an
    /// imported gitleaks config's filters and, with `added`, the added-lines filter.
    /// `index` is built on first need and reused across the buffer's matches.
    fn keeps<'d>(
        &self,
        data: &'d [u8],
        path: &str,
        added: Option<&AddedLines>,
        index: &mut Option<LineIndex<'d>>,
        m: &RawMatch,
        secret: &[u8],
    ) -> bool {
        if self.allow_values.iter().any(|v| v.as_slice() == secret) {
            return false;
        }
        if let Some(filter) = &self.match_filter {
            if filter.drops(&self.pack.get(m.rule as usize).spec.id, path, data, m) {
                return false;
            }
        }
        if let Some(added) = added {
            let index = index.get_or_insert_with(|| LineIndex::new(data));
            let first = index.line(m.start);
            let last = index.line(m.end.saturating_sub(1).max(m.start));
            if !added.touches(first, last) {
                return false;
            }
        }
        true
    }

    /// The finding for a secret found decoded inside the encoded text `d` points at.
    pub fn decoded_finding(
        &self,
        d: &DecodedMatch,
        data: &[u8],
        index: &LineIndex<'_>,
        path: &str,
        source: SourceKind,
    ) -> Finding {
        let rule = self.pack.get(d.rule as usize);
        let mut f = Finding::new(rule, data, index, d.start, d.end, path.to_owned(), source);
        f.set_decoded(d.secret.expose(), &d.chain);
        f
    }

    /// The finding for match `m` of `data` (positions from `index`, built over `data`).
    pub fn finding(
        &self,
        m: &RawMatch,
        data: &[u8],
        index: &LineIndex<'_>,
        path: &str,
        source: SourceKind,
    ) -> Finding {
        Finding::new(
            self.pack.get(m.rule as usize),
            data,
            index,
            m.secret_start,
            m.secret_end,
            path.to_owned(),
            source,
        )
    }
}

/// One thread's scanning state, made per thread (in a walker or rayon init closure): the
/// shared engine, the thread's own matcher and match scratch, and the findings it has
/// produced. Sources hand it buffers; only counters and the final findings are shared.
pub struct Worker<'e> {
    /// The shared engine.
    pub engine: &'e Engine,
    /// This thread's matcher (its counters are added to the scan's [`Stats`]).
    pub matcher: Matcher<'e>,
    /// Confirmed matches of the buffer last searched.
    pub raw: Vec<RawMatch>,
    /// Secrets found inside encoded text of the buffer last searched.
    pub decoded: Vec<DecodedMatch>,
    /// Findings so far.
    pub out: Vec<Finding>,
}

impl Worker<'_> {
    /// Scans one buffer and appends its findings. With `added`, only matches touching an
    /// added line are kept.
    pub fn scan(
        &mut self,
        data: &[u8],
        path: &str,
        source: SourceKind,
        added: Option<&AddedLines>,
    ) {
        self.raw.clear();
        self.decoded.clear();
        // After Ctrl-C, sources that cannot stop at once (a git diff in progress) skip
        // the matching; what was found so far is reported.
        if crate::progress::interrupted() {
            return;
        }
        let engine = self.engine;
        crate::progress::record(data.len());
        engine.matches(
            &mut self.matcher,
            data,
            path,
            added,
            &mut self.raw,
            &mut self.decoded,
        );
        engine.push_findings(data, path, source, &self.raw, &self.decoded, &mut self.out);
    }

    /// Ends the thread's part: adds its inline-suppression count to `stats` and hands over
    /// its findings.
    pub fn finish(mut self, stats: &Stats) -> Vec<Finding> {
        self.add_counts(stats);
        self.out
    }

    /// Adds the matcher's inline-suppression count to `stats` (and resets it, so a worker
    /// that lives across files counts each once).
    pub fn add_counts(&mut self, stats: &Stats) {
        let n = std::mem::take(&mut self.matcher.stats.inline_suppressed);
        if n > 0 {
            stats.inline_suppressed.fetch_add(n, Ordering::Relaxed);
        }
    }
}

/// The byte ranges (whole lines, newline included, sorted, disjoint) of the 1-based line
/// ranges `added` in `data`.
fn added_byte_ranges(data: &[u8], added: &AddedLines) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(added.0.len());
    let mut wanted = added.0.iter().peekable();
    let mut line_start = 0;
    let mut start = None;
    let ends = memchr::memchr_iter(b'\n', data).chain(std::iter::once(data.len()));
    for (line, nl) in (1..).zip(ends) {
        let Some(&&(first, last)) = wanted.peek() else {
            break;
        };
        if line == first {
            start = Some(line_start);
        }
        if line == last {
            let end = (nl + 1).min(data.len());
            out.push((start.take().unwrap_or(line_start), end));
            wanted.next();
        }
        line_start = nl + 1;
    }
    if let Some(s) = start {
        out.push((s, data.len())); // a range running past the last line
    }
    out.retain(|&(s, e)| s < e);
    out
}

/// What a scan read and skipped; shared between threads as atomics. Made when the scan
/// starts, so it also times it.
#[derive(Debug)]
pub struct Stats {
    /// When the scan started.
    started: Instant,
    /// Files or blobs scanned.
    pub scanned: AtomicU64,
    /// Bytes scanned.
    pub bytes: AtomicU64,
    /// Skipped because they look binary.
    pub skipped_binary: AtomicU64,
    /// Skipped because they exceed the size limit.
    pub skipped_large: AtomicU64,
    /// Skipped for another stated reason (submodules, LFS pointers, special files).
    pub skipped_other: AtomicU64,
    /// Suppressed by inline allow comments.
    pub inline_suppressed: AtomicU64,
    /// Inputs that could not be read, each with its reason.
    pub errors: Mutex<Vec<ScanError>>,
}

impl Default for Stats {
    fn default() -> Stats {
        Stats {
            started: Instant::now(),
            scanned: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            skipped_binary: AtomicU64::new(0),
            skipped_large: AtomicU64::new(0),
            skipped_other: AtomicU64::new(0),
            inline_suppressed: AtomicU64::new(0),
            errors: Mutex::new(Vec::new()),
        }
    }
}

impl Stats {
    /// The finished scan: these counters, `findings` (sorted) and the time since the
    /// scan started.
    pub fn finish(self, findings: Vec<Finding>) -> ScanOutput {
        let elapsed = self.started.elapsed();
        ScanOutput::from_stats(self, findings, elapsed)
    }

    /// Adds one to a counter.
    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Records an input that could not be read.
    pub fn error(&self, error: impl Into<ScanError>) {
        self.errors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(error.into());
    }

    /// Takes the recorded errors, sorted as they print.
    pub fn take_errors(&self) -> Vec<ScanError> {
        let mut e = std::mem::take(&mut *self.errors.lock().unwrap_or_else(|p| p.into_inner()));
        e.sort_by_cached_key(ToString::to_string);
        e
    }
}

/// The result of a scan.
#[derive(Debug, Default)]
pub struct ScanOutput {
    /// Findings, sorted by path, line, column, rule.
    pub findings: Vec<Finding>,
    /// Inputs that could not be read.
    pub errors: Vec<ScanError>,
    /// Files or blobs scanned.
    pub scanned: u64,
    /// Bytes scanned.
    pub bytes: u64,
    /// Skipped as binary.
    pub skipped_binary: u64,
    /// Skipped as too large.
    pub skipped_large: u64,
    /// Skipped for other reasons.
    pub skipped_other: u64,
    /// Suppressed inline.
    pub inline_suppressed: u64,
    /// Hidden after the scan by the baseline, the ignore file, `.gitleaksignore`.
    pub suppressed: SuppressCounts,
    /// Wall time.
    pub elapsed: Duration,
    /// Notes for the summary (a shallow clone, an empty range).
    pub notes: Vec<String>,
}

impl ScanOutput {
    /// Collects a finished scan's counters and findings.
    pub fn from_stats(stats: Stats, mut findings: Vec<Finding>, elapsed: Duration) -> ScanOutput {
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let errors = stats.take_errors();
        ScanOutput {
            findings,
            errors,
            scanned: stats.scanned.into_inner(),
            bytes: stats.bytes.into_inner(),
            skipped_binary: stats.skipped_binary.into_inner(),
            skipped_large: stats.skipped_large.into_inner(),
            skipped_other: stats.skipped_other.into_inner(),
            inline_suppressed: stats.inline_suppressed.into_inner(),
            suppressed: Default::default(),
            elapsed,
            notes: Vec::new(),
        }
    }

    /// Adds another scan's counters (scanned, bytes, skipped, suppressed) to these; the
    /// findings, errors and notes are the caller's to move, since each caller labels them.
    pub fn add_counts(&mut self, other: &ScanOutput) {
        self.scanned += other.scanned;
        self.bytes += other.bytes;
        self.skipped_binary += other.skipped_binary;
        self.skipped_large += other.skipped_large;
        self.skipped_other += other.skipped_other;
        self.inline_suppressed += other.inline_suppressed;
        self.suppressed.add(other.suppressed);
    }
}

/// How many findings each suppression source (`suppress`) hid after the scan.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SuppressCounts {
    /// By `--baseline`.
    pub baseline: u64,
    /// By `.keytrace/ignore.toml`.
    pub ignore_file: u64,
    /// By `.gitleaksignore`.
    pub gitleaksignore: u64,
    /// By a gitleaks config allowlist with `commits`.
    pub gitleaks_allowlist: u64,
}

impl SuppressCounts {
    /// Adds another run's counts to these.
    pub fn add(&mut self, other: SuppressCounts) {
        self.baseline += other.baseline;
        self.ignore_file += other.ignore_file;
        self.gitleaksignore += other.gitleaksignore;
        self.gitleaks_allowlist += other.gitleaks_allowlist;
    }

    /// All hidden findings.
    pub fn total(&self) -> u64 {
        self.baseline + self.ignore_file + self.gitleaksignore + self.gitleaks_allowlist
    }

    /// `2 baseline, 1 ignore file` (non-zero sources only).
    pub fn describe(&self) -> String {
        [
            (self.baseline, "baseline"),
            (self.ignore_file, "ignore file"),
            (self.gitleaksignore, ".gitleaksignore"),
            (self.gitleaks_allowlist, "gitleaks allowlist"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// Whether a buffer looks binary: a NUL byte in its first 8 KiB (as git decides).
pub fn looks_binary(data: &[u8]) -> bool {
    memchr::memchr(0, &data[..data.len().min(8192)]).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_lines_to_bytes() {
        let data = b"l1\nl2\nl3\nl4";
        let ranges = |a: Vec<(usize, usize)>| added_byte_ranges(data, &AddedLines(a));
        assert_eq!(ranges(vec![(1, 1)]), vec![(0, 3)]);
        assert_eq!(ranges(vec![(2, 3)]), vec![(3, 9)]);
        assert_eq!(ranges(vec![(1, 1), (4, 4)]), vec![(0, 3), (9, 11)]);
        assert_eq!(ranges(vec![(4, 9)]), vec![(9, 11)]);
        assert_eq!(ranges(vec![(5, 5)]), vec![]);
    }

    #[test]
    fn added_lines_touch() {
        let a = AddedLines(vec![(3, 4), (10, 10)]);
        assert!(a.touches(4, 4));
        assert!(a.touches(1, 3));
        assert!(a.touches(5, 12));
        assert!(!a.touches(5, 9));
        assert!(!a.touches(11, 20));
        assert!(!AddedLines::default().touches(1, 1));
    }
}
