//! Two-stage matching: one Aho-Corasick pass over all rule keywords yields (rule, offset)
//! candidates; only those rules run their regex, on a window around each hit; then
//! entropy, placeholder, context and inline-allow checks.
//!
//! [`Prefilter`] is shared (immutable, `Sync`); each thread owns a [`Matcher`] holding its
//! scratch buffers, built in a rayon/walker init closure.

pub mod checksum;
pub mod configfile;
pub mod decode;
pub mod filters;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use memchr::{memchr, memrchr};

use crate::rules::RulePack;

/// How far before a keyword hit the confirm window reaches (within its line).
pub const WINDOW_BEFORE: usize = 512;
/// How far after a keyword hit the confirm window reaches (within its line).
pub const WINDOW_AFTER: usize = 4096;
/// How far after a keyword hit a multi-line rule's window reaches.
pub const WINDOW_AFTER_MULTILINE: usize = 64 * 1024;

/// How many lines above a generic match a provider word may name its provider.
const ATTRIBUTION_LINES: usize = 3;
/// How far back those lines may reach in bytes (long lines are not read whole).
const ATTRIBUTION_BYTES: usize = 1024;

/// Markers that suppress a finding on their line.
const INLINE_ALLOW: &[&[u8]] = &[
    b"keytrace:allow",
    b"gitleaks:allow",
    b"pragma: allowlist secret",
];

/// The keyword automaton over a rule pack.
#[derive(Debug)]
pub struct Prefilter {
    /// The automaton, built once. For a large scan it is built on a thread of its own
    /// while the walk starts (the DFA over the whole pack is most of keytrace's start-up);
    /// the first buffer to need it waits for that build, or does it itself when the thread
    /// has not begun (`OnceLock` runs the build once and blocks the other callers).
    built: std::sync::Arc<std::sync::OnceLock<Result<Built, String>>>,
    /// The distinct lowercased keywords and per keyword its rules, before folding.
    table: std::sync::Arc<KeywordTable>,
    /// Which automaton to build.
    kind: AhoCorasickKind,
    /// The keywords of multi-line rules alone, for history's delta-aware mode, which
    /// searches those over whole blobs (their windows reach far past an edit). Built on
    /// first use.
    multiline: std::sync::OnceLock<Option<KeywordSet>>,
}

/// The automaton and what its patterns mean: folding the keywords (quadratic in their
/// number) is part of the build, so it too runs off the critical path.
#[derive(Debug)]
struct Built {
    ac: AhoCorasick,
    /// For each automaton pattern, the rules that own that keyword.
    pattern_rules: Vec<Vec<u32>>,
    /// For each automaton pattern, the longer keywords folded into it (see [`Folded`]).
    folded: Vec<Vec<Folded>>,
}

/// A keyword left out of the automaton because a shorter keyword occurs inside it: every
/// occurrence of the long one is an occurrence of the short one at `offset`, so the short
/// one's hit checks the bytes around it and opens the long one's windows at the same
/// place the long one's own hit would. With 1,650 keywords a quarter contain another
/// (`stripe` in `stripe_secret`), and leaving them out cuts the automaton's states by 30%:
/// a smaller DFA stays in cache while it reads every byte.
#[derive(Debug)]
struct Folded {
    /// The long keyword, lowercased.
    keyword: Vec<u8>,
    /// Where the short keyword starts inside it.
    offset: usize,
    /// The rules owning the long keyword.
    rules: Vec<u32>,
}

/// The keywords of multi-line rules for a whole-blob pass: aho-corasick cannot use its SIMD
/// (Teddy) prefilter case-insensitively, so each keyword is searched case-sensitively in
/// the forms a match can hold (as written and lower case; upper and capitalized too for a
/// case-insensitive pattern), which is fast. A keyword in another mixing of cases opens no
/// window in this pass; a match elsewhere in such a window has its own keyword.
#[derive(Debug)]
struct KeywordSet {
    searcher: aho_corasick::packed::Searcher,
    /// Per pattern: the rules to open a window for (those of every keyword that is a
    /// prefix of this one, which starts at the same place).
    pattern_rules: Vec<Vec<u32>>,
}

impl Prefilter {
    /// Builds the automaton over every keyword of every rule (deduplicated, lowercased).
    pub fn new(pack: &RulePack) -> anyhow::Result<Prefilter> {
        Prefilter::with_kind(pack, false)
    }

    /// Like [`Prefilter::new`]; with `small_inputs` it builds a contiguous NFA, three times
    /// quicker to build than the DFA (1 ms against 3 ms for the full pack) and fast enough
    /// for the few kilobytes a pre-commit hook or a single file brings.
    pub fn with_kind(pack: &RulePack, small_inputs: bool) -> anyhow::Result<Prefilter> {
        let kind = if small_inputs {
            AhoCorasickKind::ContiguousNFA
        } else {
            AhoCorasickKind::DFA
        };
        let prefilter = Prefilter::unbuilt(pack, kind);
        prefilter.automaton()?;
        Ok(prefilter)
    }

    /// Like [`Prefilter::with_kind`] for a large scan, returning at once: the DFA is built
    /// on a thread of its own, so reading the configuration and starting the walk overlap
    /// it (with 1,100 rules the build is about 20 ms, most of the start-up), and a scan
    /// that finds nothing to read never waits for it. The first buffer scanned waits for
    /// the build, or runs it itself if the thread has not started yet.
    pub fn in_background(pack: &RulePack) -> anyhow::Result<Prefilter> {
        let prefilter = Prefilter::unbuilt(pack, AhoCorasickKind::DFA);
        // The build can fail only when the ids run out (about 2^31 states or patterns); a
        // table this far under that cannot fail, so the scan may rely on it. Over the
        // bound, build here and report the error now.
        let bytes: usize = prefilter.table.0.iter().map(|k| k.len() + 1).sum();
        if bytes > 1 << 20 {
            prefilter.automaton()?;
            return Ok(prefilter);
        }
        let cell = std::sync::Arc::clone(&prefilter.built);
        let table = std::sync::Arc::clone(&prefilter.table);
        let spawned = std::thread::Builder::new()
            .name("keytrace-automaton".to_owned())
            .spawn(move || {
                cell.get_or_init(|| build(&table, AhoCorasickKind::DFA));
            });
        // Without a thread the first buffer builds it: slower to start, same result.
        drop(spawned);
        Ok(prefilter)
    }

    /// The keyword table of `pack`, its automaton not built yet.
    fn unbuilt(pack: &RulePack, kind: AhoCorasickKind) -> Prefilter {
        Prefilter {
            built: std::sync::Arc::new(std::sync::OnceLock::new()),
            table: std::sync::Arc::new(keyword_table(pack, |_| true)),
            kind,
            multiline: std::sync::OnceLock::new(),
        }
    }

    /// The automaton for a scan: built by the constructors' check or within the bound
    /// `in_background` checks, so its build cannot fail here.
    fn searcher(&self) -> &Built {
        self.automaton()
            .expect("checked by Prefilter::with_kind or in_background: the keyword table fits the automaton")
    }

    /// The automaton, building it (or waiting for the thread building it) on first use.
    /// An error is the automaton's own limit (pattern or state ids), reported by
    /// `Engine::new` through [`Prefilter::with_kind`], or at the first buffer for
    /// [`Prefilter::in_background`].
    fn automaton(&self) -> anyhow::Result<&Built> {
        self.built
            .get_or_init(|| build(&self.table, self.kind))
            .as_ref()
            .map_err(|e| anyhow::anyhow!("failed to build the keyword automaton: {e}"))
    }

    /// The searcher over multi-line rules' keywords (None when no rule is multi-line or
    /// the variants do not fit the SIMD searcher; the caller then searches the whole blob
    /// with the main automaton).
    fn multiline_set(&self, pack: &RulePack) -> Option<&KeywordSet> {
        self.multiline
            .get_or_init(|| {
                let (keywords, rules) = keyword_table(pack, |r| r.spec.multiline);
                let mut variants: Vec<Vec<u8>> = Vec::new();
                for rule in pack.rules().iter().filter(|r| r.spec.multiline) {
                    // A case-sensitive pattern matches its keyword as written (lower case
                    // too, for safety); a case-insensitive one in any of four forms.
                    let insensitive = rule.spec.pattern.starts_with("(?i")
                        || rule.spec.pattern.starts_with("(?mi");
                    for kw in &rule.spec.keywords {
                        let lower = kw.to_ascii_lowercase();
                        let mut forms = vec![kw.clone().into_bytes(), lower.clone().into_bytes()];
                        if insensitive {
                            let mut capital = lower.clone().into_bytes();
                            if let Some(c) = capital.first_mut() {
                                c.make_ascii_uppercase();
                            }
                            forms.push(kw.to_ascii_uppercase().into_bytes());
                            forms.push(capital);
                        }
                        for v in forms {
                            if !v.is_empty() && !variants.contains(&v) {
                                variants.push(v);
                            }
                        }
                    }
                }
                if keywords.is_empty() || variants.len() > 64 {
                    return None;
                }
                let pattern_rules = variants
                    .iter()
                    .map(|v| {
                        let v = v.to_ascii_lowercase();
                        let mut out: Vec<u32> = Vec::new();
                        for (k, rs) in keywords.iter().zip(&rules) {
                            if v.starts_with(k) {
                                for &r in rs {
                                    if !out.contains(&r) {
                                        out.push(r);
                                    }
                                }
                            }
                        }
                        out
                    })
                    .collect();
                let mut builder = aho_corasick::packed::Config::new().builder();
                builder.extend(&variants);
                let searcher = builder.build()?;
                Some(KeywordSet {
                    searcher,
                    pattern_rules,
                })
            })
            .as_ref()
    }

    /// Number of distinct keywords in the automaton.
    pub fn keyword_count(&self) -> usize {
        self.automaton().map_or(0, |b| b.pattern_rules.len())
    }
}

/// Distinct lowercased keywords and per keyword the rules owning it.
type KeywordTable = (Vec<Vec<u8>>, Vec<Vec<u32>>);

/// Kept keywords, their rules, and per kept keyword the longer ones folded into it.
type FoldedTable = (Vec<Vec<u8>>, Vec<Vec<u32>>, Vec<Vec<Folded>>);

/// Splits `keywords` into those the automaton searches (no other keyword inside them) and
/// the longer ones folded into one of those, returning the kept keywords, their rules and
/// per kept keyword its folded ones.
fn fold_keywords(keywords: Vec<Vec<u8>>, rules: Vec<Vec<u32>>) -> FoldedTable {
    let contains = |long: &[u8], short: &[u8]| {
        long.len() > short.len() && long.windows(short.len()).any(|w| w == short)
    };
    let minimal: Vec<bool> = keywords
        .iter()
        .map(|k| !keywords.iter().any(|o| contains(k, o)))
        .collect();
    let mut new_index = vec![usize::MAX; keywords.len()];
    let mut kept = Vec::new();
    let mut kept_rules = Vec::new();
    for (i, k) in keywords.iter().enumerate() {
        if minimal[i] {
            new_index[i] = kept.len();
            kept.push(k.clone());
            kept_rules.push(rules[i].clone());
        }
    }
    let mut folded: Vec<Vec<Folded>> = (0..kept.len()).map(|_| Vec::new()).collect();
    for (i, k) in keywords.iter().enumerate() {
        if minimal[i] {
            continue;
        }
        // The longest kept keyword inside it, so its hits are the rarest.
        let host = keywords
            .iter()
            .enumerate()
            .filter(|&(j, o)| minimal[j] && contains(k, o))
            .max_by_key(|&(_, o)| o.len());
        if let Some((j, o)) = host {
            let offset = k
                .windows(o.len())
                .position(|w| w == o.as_slice())
                .unwrap_or(0);
            folded[new_index[j]].push(Folded {
                keyword: k.clone(),
                offset,
                rules: rules[i].clone(),
            });
        }
    }
    (kept, kept_rules, folded)
}

/// Folds `table`'s keywords and builds the automaton of `kind` over those kept.
fn build(table: &KeywordTable, kind: AhoCorasickKind) -> Result<Built, String> {
    let (keywords, pattern_rules, folded) = fold_keywords(table.0.clone(), table.1.clone());
    Ok(Built {
        ac: build_automaton(&keywords, kind)?,
        pattern_rules,
        folded,
    })
}

/// Builds the keyword automaton of `kind` (ASCII case-insensitive, overlapping matches).
fn build_automaton(keywords: &[Vec<u8>], kind: AhoCorasickKind) -> Result<AhoCorasick, String> {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        // With hundreds of keywords and frequent hits the automaton's own prefilter costs
        // more than it skips: measured 33% faster without it on git/git's tree.
        .prefilter(false)
        .match_kind(MatchKind::Standard)
        .kind(Some(kind))
        .build(keywords)
        .map_err(|e| e.to_string())
}

/// The distinct lowercased keywords of the rules `select` accepts, and per keyword the
/// rules owning it.
fn keyword_table(
    pack: &RulePack,
    select: impl Fn(&crate::rules::Rule) -> bool,
) -> (Vec<Vec<u8>>, Vec<Vec<u32>>) {
    let mut keywords: Vec<Vec<u8>> = Vec::new();
    let mut pattern_rules: Vec<Vec<u32>> = Vec::new();
    let mut index = std::collections::HashMap::<Vec<u8>, usize>::new();
    for (ri, rule) in pack.rules().iter().enumerate() {
        if !select(rule) {
            continue;
        }
        for kw in &rule.spec.keywords {
            let kw = kw.to_ascii_lowercase().into_bytes();
            if kw.is_empty() {
                continue;
            }
            let slot = *index.entry(kw.clone()).or_insert_with(|| {
                keywords.push(kw);
                pattern_rules.push(Vec::new());
                pattern_rules.len() - 1
            });
            let ri = ri as u32;
            if !pattern_rules[slot].contains(&ri) {
                pattern_rules[slot].push(ri);
            }
        }
    }
    (keywords, pattern_rules)
}

/// A confirmed secret in one buffer, in byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawMatch {
    /// Index of the rule in the pack.
    pub rule: u32,
    /// The whole regex match.
    pub start: usize,
    /// End of the whole regex match (exclusive).
    pub end: usize,
    /// The secret's span.
    pub secret_start: usize,
    /// End of the secret (exclusive).
    pub secret_end: usize,
}

/// A match that passed every check of its own line, with the verdict of the checks that
/// look at other lines (a rule's `context`, the generic detector's ciphertext context).
/// History's delta-aware mode hands a blob's candidates to the blobs stored as deltas of
/// it, which re-decide only the context part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The match.
    pub m: RawMatch,
    /// Whether the context checks passed.
    pub context_ok: bool,
}

/// Options that change what a match is.
#[derive(Debug, Clone, Copy)]
pub struct MatchOptions {
    /// Honour `keytrace:allow` and friends.
    pub inline_ignores: bool,
    /// The scan reads little (a hook, stdin, one file): favour start-up over throughput.
    pub small_inputs: bool,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            inline_ignores: true,
            small_inputs: false,
        }
    }
}

/// Counts of what the matcher dropped, for the summary.
#[derive(Debug, Default, Clone, Copy)]
pub struct MatchStats {
    /// Suppressed by an inline allow comment.
    pub inline_suppressed: u64,
}

/// Per-thread matcher: the shared automaton plus this thread's scratch.
#[derive(Clone)]
pub struct Matcher<'p> {
    pack: &'p RulePack,
    prefilter: &'p Prefilter,
    options: MatchOptions,
    /// (rule, window start, window end), reused across buffers.
    windows: Vec<(u32, usize, usize)>,
    /// Per rule: end of the last window, so hits inside it cost nothing more.
    last_end: Vec<usize>,
    /// Per rule: index in `windows` of its current window.
    current: Vec<usize>,
    /// Rules touched by this buffer, to reset `last_end` cheaply.
    touched: Vec<u32>,
    /// Confirmed matches of the current buffer before the context checks decide.
    candidates: Vec<Candidate>,
    /// Secret spans of the current buffer hidden by an inline allow comment: a secret two
    /// rules match is one allowed secret, counted once (issue 12, item 15).
    allowed_spans: Vec<(usize, usize)>,
    /// Statistics since creation.
    pub stats: MatchStats,
}

impl<'p> Matcher<'p> {
    /// A matcher over `pack` using `prefilter` (built from the same pack).
    pub fn new(pack: &'p RulePack, prefilter: &'p Prefilter, options: MatchOptions) -> Matcher<'p> {
        Matcher {
            pack,
            prefilter,
            options,
            windows: Vec::new(),
            last_end: vec![usize::MAX; pack.rules().len()],
            current: vec![0; pack.rules().len()],
            touched: Vec::new(),
            candidates: Vec::new(),
            allowed_spans: Vec::new(),
            stats: MatchStats::default(),
        }
    }

    /// The rule pack.
    pub fn pack(&self) -> &'p RulePack {
        self.pack
    }

    /// Finds every secret in `data`, appending to `out` (sorted by offset, overlaps
    /// resolved). `path` is used for rules' allow-path lists.
    pub fn scan(&mut self, data: &[u8], path: &str, out: &mut Vec<RawMatch>) {
        self.scan_whole(data, path, out, None);
    }

    /// Like [`Matcher::scan`], and also records in `record` every single-line candidate,
    /// for the blobs stored as deltas of this one.
    pub fn scan_recording(
        &mut self,
        data: &[u8],
        path: &str,
        out: &mut Vec<RawMatch>,
        record: &mut Vec<Candidate>,
    ) {
        self.scan_whole(data, path, out, Some(record));
    }

    fn scan_whole(
        &mut self,
        data: &[u8],
        path: &str,
        out: &mut Vec<RawMatch>,
        record: Option<&mut Vec<Candidate>>,
    ) {
        self.reset_windows();
        let b = self.prefilter.searcher();
        self.collect_windows(
            data,
            &b.ac,
            &b.pattern_rules,
            &b.folded,
            0..data.len(),
            Scope::All,
        );
        self.confirm_windows(data, path);
        self.finish(data, path, out, record);
    }

    /// Finds every secret in `data`, a blob stored as a delta of a scanned base, reading
    /// only what the delta changed. `dirty` are the byte ranges (whole lines, sorted,
    /// disjoint) that are not a line-for-line copy of the base; `inherited` are the base's
    /// single-line candidates that lie in the copied lines, moved to their place in
    /// `data`. Single-line rules are searched in `dirty` only, multi-line rules (whose
    /// windows reach far past an edit) over the whole blob, and the inherited candidates'
    /// context is decided again on `data`. The result equals [`Matcher::scan_recording`]
    /// on `data`: every check of a single-line rule but the context reads only the
    /// match's line, and a copied line is the same line in the base. Staged and range
    /// scans call it too, with the added lines as `dirty`, nothing inherited and no
    /// `record`: every match touching an added line, as a whole scan filtered to added
    /// lines finds.
    pub fn scan_delta(
        &mut self,
        data: &[u8],
        path: &str,
        dirty: &[(usize, usize)],
        inherited: &[Candidate],
        out: &mut Vec<RawMatch>,
        record: Option<&mut Vec<Candidate>>,
    ) {
        self.reset_windows();
        let pf = self.prefilter;
        let b = pf.searcher();
        for &(s, e) in dirty {
            self.collect_windows(
                data,
                &b.ac,
                &b.pattern_rules,
                &b.folded,
                s..e,
                Scope::SingleLine,
            );
        }
        match pf.multiline_set(self.pack) {
            Some(set) => {
                // Every start position (a later keyword may begin inside an earlier one).
                let mut at = 0;
                while let Some(m) = set
                    .searcher
                    .find_in(data, aho_corasick::Span::from(at..data.len()))
                {
                    self.hit(
                        data,
                        m.start(),
                        m.end(),
                        &set.pattern_rules[m.pattern().as_usize()],
                        Scope::MultiLine,
                    );
                    at = m.start() + 1;
                }
            }
            None => self.collect_windows(
                data,
                &b.ac,
                &b.pattern_rules,
                &b.folded,
                0..data.len(),
                Scope::MultiLine,
            ),
        }
        self.confirm_windows(data, path);
        for c in inherited {
            let rule = self.pack.get(c.m.rule as usize);
            let context_ok = match rule.compiled() {
                Ok(compiled) => context_ok(rule, compiled, data, c.m.start, c.m.end),
                Err(_) => false,
            };
            self.candidates.push(Candidate {
                m: c.m.clone(),
                context_ok,
            });
        }
        self.finish(data, path, out, record);
    }

    fn reset_windows(&mut self) {
        for &r in &self.touched {
            self.last_end[r as usize] = usize::MAX;
        }
        self.touched.clear();
        self.windows.clear();
        self.candidates.clear();
        self.allowed_spans.clear();
    }

    /// Counts a secret span of the current buffer hidden by an inline allow comment, once
    /// however many rules (or the config-file pass) saw it (issue 12, item 15).
    pub fn count_inline_allowed(&mut self, span: (usize, usize)) {
        let counted = self
            .allowed_spans
            .iter()
            .any(|&(s, e)| s < span.1 && span.0 < e);
        if !counted {
            self.allowed_spans.push(span);
            self.stats.inline_suppressed += 1;
        }
    }

    /// Confirms the collected windows into `self.candidates`.
    fn confirm_windows(&mut self, data: &[u8], path: &str) {
        if self.windows.is_empty() {
            return;
        }
        self.windows.sort_unstable();
        let windows = std::mem::take(&mut self.windows);
        let mut i = 0;
        while i < windows.len() {
            let (rule, mut ws, mut we) = windows[i];
            i += 1;
            // Coalesce overlapping windows of the same rule so each byte is searched once.
            while i < windows.len() && windows[i].0 == rule && windows[i].1 <= we {
                we = we.max(windows[i].2);
                i += 1;
            }
            ws = ws.min(we);
            self.confirm(rule, data, ws, we, path);
        }
        self.windows = windows;
        self.windows.clear();
    }

    /// Moves the accepted candidates to `out`, overlaps resolved; with `record`, the
    /// single-line candidates go there too, else they stay in `self.candidates`.
    fn finish(
        &mut self,
        data: &[u8],
        path: &str,
        out: &mut Vec<RawMatch>,
        record: Option<&mut Vec<Candidate>>,
    ) {
        let first = out.len();
        out.extend(
            self.candidates
                .iter()
                .filter(|c| c.context_ok)
                .map(|c| c.m.clone()),
        );
        // After the candidates are recorded as they were found: the provider named above
        // is decided again in every blob that inherits the candidate, from its own lines.
        for m in &mut out[first..] {
            if let Some(r) = self.provider_above(data, path, m) {
                m.rule = r;
            }
        }
        if let Some(record) = record {
            record.extend(
                self.candidates
                    .drain(..)
                    .filter(|c| !self.pack.get(c.m.rule as usize).spec.multiline),
            );
        }
        if out.len() == first {
            return;
        }
        resolve_overlaps(self.pack, &mut out[first..]);
        let mut keep = first;
        for j in first..out.len() {
            if out[j].rule != u32::MAX {
                out.swap(keep, j);
                keep += 1;
            }
        }
        out.truncate(keep);
    }

    /// The context rule a generic match belongs to: a secret-named assignment
    /// (`Using Key=...`, `api_key: ...` in a YAML block) whose provider is named only on a
    /// line above it (a comment or log line naming the API, the block's section header)
    /// or earlier on its own line. The provider word must be within [`ATTRIBUTION_LINES`]
    /// lines above, and the value must pass that rule's own checks (its value class whole,
    /// its entropy floor, not counting or repeating), so a provider whose keys look
    /// different does not claim it. The nearest provider word wins.
    fn provider_above(&self, data: &[u8], path: &str, m: &RawMatch) -> Option<u32> {
        if !self.pack.get(m.rule as usize).generic {
            return None;
        }
        let secret = &data[m.secret_start..m.secret_end];
        // Back to the newline before the match's line, then before each line above.
        let mut from = m.start;
        for _ in 0..=ATTRIBUTION_LINES {
            let floor = from.saturating_sub(ATTRIBUTION_BYTES);
            match memrchr(b'\n', &data[floor..from]) {
                Some(i) => from = floor + i,
                None => {
                    from = floor;
                    break;
                }
            }
        }
        let pf = self.prefilter;
        let accepts = |r: u32| {
            let rule = self.pack.get(r as usize);
            let Some(class) = &rule.spec.value else {
                return false;
            };
            crate::rules::context::class_accepts(class, secret)
                && rule
                    .spec
                    .min_entropy
                    .is_none_or(|min| filters::shannon_entropy(secret) >= min)
                && !filters::is_sequential(secret)
                && !filters::is_periodic(secret)
                && !rule.path_allowed(path)
                && !rule.value_allowed(secret)
        };
        let mut best: Option<(usize, u32)> = None;
        let mut consider = |end: usize, rules: &[u32]| {
            for &r in rules {
                if best.is_none_or(|(e, _)| end > e) && accepts(r) {
                    best = Some((end, r));
                }
            }
        };
        let input = aho_corasick::Input::new(data).range(from..m.secret_start);
        let b = pf.searcher();
        for hit in b.ac.find_overlapping_iter(input) {
            let p = hit.pattern().as_usize();
            consider(hit.end(), &b.pattern_rules[p]);
            for f in b.folded.get(p).map_or(&[][..], |f| f.as_slice()) {
                let Some(start) = hit.start().checked_sub(f.offset) else {
                    continue;
                };
                let end = start + f.keyword.len();
                if start >= from
                    && end <= m.secret_start
                    && data[start..end].eq_ignore_ascii_case(&f.keyword)
                {
                    consider(end, &f.rules);
                }
            }
        }
        best.map(|(_, r)| r)
    }

    /// Adds a confirm window for every keyword hit of `ac` inside `range` (windows
    /// themselves read the whole of `data`).
    fn collect_windows(
        &mut self,
        data: &[u8],
        ac: &AhoCorasick,
        pattern_rules: &[Vec<u32>],
        folded: &[Vec<Folded>],
        range: std::ops::Range<usize>,
        scope: Scope,
    ) {
        let input = aho_corasick::Input::new(data).range(range.clone());
        for m in ac.find_overlapping_iter(input) {
            let p = m.pattern().as_usize();
            self.hit(data, m.start(), m.end(), &pattern_rules[p], scope);
            for f in folded.get(p).map_or(&[][..], |f| f.as_slice()) {
                // The long keyword around this hit, entirely inside the searched range
                // (as the automaton would have required).
                let Some(start) = m.start().checked_sub(f.offset) else {
                    continue;
                };
                let end = start + f.keyword.len();
                if start < range.start || end > range.end {
                    continue;
                }
                if data[start..end].eq_ignore_ascii_case(&f.keyword) {
                    self.hit(data, start, end, &f.rules, scope);
                }
            }
        }
    }

    /// Opens or widens the confirm window of each of `rules` for a keyword at `start..end`.
    fn hit(&mut self, data: &[u8], start: usize, end: usize, rules: &[u32], scope: Scope) {
        for &r in rules {
            let spec = &self.pack.get(r as usize).spec;
            match scope {
                Scope::SingleLine if spec.multiline => continue,
                Scope::MultiLine if !spec.multiline => continue,
                _ => {}
            }
            let reach = match (spec.multiline, spec.max_lines) {
                (false, _) => Reach::Line,
                (true, Some(n)) => Reach::Lines(n as usize),
                (true, None) => Reach::Far,
            };
            let last = self.last_end[r as usize];
            if last != usize::MAX && end <= last {
                // Inside this rule's current window: a match starting here may still
                // run past the window's end, so the window reaches as far as this
                // hit's own would.
                let we = extended_end(data, end, reach, last);
                if we > last {
                    self.last_end[r as usize] = we;
                    self.windows[self.current[r as usize]].2 = we;
                }
                continue;
            }
            let (ws, we) = window(data, start, end, reach, last);
            if last == usize::MAX {
                self.touched.push(r);
            }
            self.last_end[r as usize] = we;
            self.current[r as usize] = self.windows.len();
            self.windows.push((r, ws, we));
        }
    }

    fn confirm(&mut self, rule_idx: u32, data: &[u8], ws: usize, we: usize, path: &str) {
        let pack = self.pack;
        let rule = pack.get(rule_idx as usize);
        if rule.path_allowed(path) {
            return;
        }
        let Ok(compiled) = rule.compiled() else {
            return; // reported by config validation and `rules check`
        };
        let hay = &data[..we];
        let mut pos = ws;
        while pos <= we {
            // Most windows hold no match: a plain search first, and capture groups (which
            // allocate) only for a real match, re-run from its start.
            let Some(found) = compiled.pattern.find_at(hay, pos) else {
                break;
            };
            let Some(caps) = compiled.pattern.captures_at(hay, found.start()) else {
                break;
            };
            let whole = caps.get(0).expect("group 0 always participates");
            pos = if whole.end() > whole.start() {
                whole.end()
            } else {
                whole.end() + 1
            };
            let Some(secret) = caps.get(compiled.secret_group) else {
                continue;
            };
            let s = secret.as_bytes();
            if s.is_empty() {
                continue;
            }
            if let Some(min) = rule.spec.min_entropy {
                if filters::shannon_entropy(s) < min {
                    continue;
                }
            }
            // A private key is judged by its body: a placeholder word in a header or
            // comment line inside the block (`Comment: "example key"`) says nothing
            // about the key material that follows.
            let judged = if rule.spec.credential == crate::rules::CredentialKind::PrivateKey {
                filters::key_body(s)
            } else {
                std::borrow::Cow::Borrowed(s)
            };
            if filters::is_placeholder(&judged) {
                continue;
            }
            // A context rule's value has no structure of its own to check: one that counts
            // or repeats (`0123456789abcdef0123...`) is a placeholder, not a key.
            if rule.spec.value.is_some() && (filters::is_sequential(s) || filters::is_periodic(s)) {
                continue;
            }
            // A rule with a checksum runs it; any other rule (a `.npmrc` or `.pypirc` value,
            // a generic assignment) leaves alone a look-alike that fails the check.
            if rule.spec.validate.map_or_else(
                || checksum::failed_lookalike(s),
                |v| !checksum::validate(v, s),
            ) {
                continue;
            }
            if rule.generic {
                let name = compiled
                    .name_group
                    .and_then(|g| caps.get(g))
                    .map_or(&b""[..], |m| m.as_bytes());
                if filters::generic_rejects_named(name, s) {
                    continue;
                }
            }
            if rule.value_allowed(s) {
                continue;
            }
            let context_ok = context_ok(rule, compiled, data, whole.start(), whole.end());
            if self.options.inline_ignores && has_inline_allow(data, whole.start(), whole.end()) {
                if context_ok {
                    self.count_inline_allowed((secret.start(), secret.end()));
                }
                continue;
            }
            self.candidates.push(Candidate {
                m: RawMatch {
                    rule: rule_idx,
                    start: whole.start(),
                    end: whole.end(),
                    secret_start: secret.start(),
                    secret_end: secret.end(),
                },
                context_ok,
            });
        }
    }
}

/// How far after its keyword a rule's match can reach.
#[derive(Debug, Clone, Copy)]
enum Reach {
    /// The keyword's line (clipped to [`WINDOW_AFTER`]).
    Line,
    /// The keyword's line and this many more.
    Lines(usize),
    /// [`WINDOW_AFTER_MULTILINE`] bytes.
    Far,
}

/// Which rules a keyword pass opens windows for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    All,
    SingleLine,
    MultiLine,
}

/// The checks of a match at `start..end` that read lines other than its own: the rule's
/// `context` regex within its `context_lines`, and for the generic detector a ciphertext
/// context above (an `encrypted:` or SOPS block).
fn context_ok(
    rule: &crate::rules::Rule,
    compiled: &crate::rules::Compiled,
    data: &[u8],
    start: usize,
    end: usize,
) -> bool {
    if rule.generic && filters::generic_context_rejects(data, start) {
        return false;
    }
    if let Some(ctx) = &compiled.context {
        let lines = rule.spec.context_lines.unwrap_or(5) as usize;
        let (cs, ce) = lines_around(data, start, end, lines);
        if !ctx.is_match(&data[cs..ce]) {
            return false;
        }
    }
    true
}

/// The confirm window around a keyword hit at `start..end`: its line, clipped. `last` is
/// the end of this rule's previous window; scanning for line boundaries never re-reads
/// bytes before it, which keeps a line with a million hits linear.
fn window(data: &[u8], start: usize, end: usize, reach: Reach, last: usize) -> (usize, usize) {
    let floor = if last == usize::MAX {
        0
    } else {
        last.min(start)
    };
    let back_limit = start.saturating_sub(WINDOW_BEFORE).max(floor);
    let ws = match memrchr(b'\n', &data[back_limit..start]) {
        Some(i) => back_limit + i + 1,
        None => back_limit,
    };
    let we = match reach {
        Reach::Far => (end + WINDOW_AFTER_MULTILINE).min(data.len()),
        Reach::Line => {
            let limit = (end + WINDOW_AFTER).min(data.len());
            match memchr(b'\n', &data[end..limit]) {
                Some(i) => end + i,
                None => limit,
            }
        }
        Reach::Lines(n) => {
            let limit = (end + WINDOW_AFTER_MULTILINE).min(data.len());
            let mut we = end;
            for _ in 0..=n {
                match memchr(b'\n', &data[we..limit]) {
                    Some(i) => we += i + 1,
                    None => {
                        we = limit;
                        break;
                    }
                }
            }
            we
        }
    };
    (ws, we)
}

/// Where the window of a hit ending at `end` would end, given that the rule's current
/// window already reaches `last` (>= `end`). Never re-reads bytes before `last` for a
/// single-line rule, so a line with a million hits stays linear.
fn extended_end(data: &[u8], end: usize, reach: Reach, last: usize) -> usize {
    match reach {
        Reach::Far => (end + WINDOW_AFTER_MULTILINE).min(data.len()),
        Reach::Line => {
            if last >= data.len() || data[last] == b'\n' {
                return last; // the window already ends with the line
            }
            let limit = (end + WINDOW_AFTER).min(data.len());
            if limit <= last {
                return last;
            }
            match memchr(b'\n', &data[last..limit]) {
                Some(i) => last + i,
                None => limit,
            }
        }
        Reach::Lines(_) => window(data, end, end, reach, last).1,
    }
}

/// The span of `n` lines above and below `start..end`.
fn lines_around(data: &[u8], start: usize, end: usize, n: usize) -> (usize, usize) {
    let mut s = start;
    for _ in 0..=n {
        match memrchr(b'\n', &data[..s]) {
            Some(i) => s = i,
            None => {
                s = 0;
                break;
            }
        }
    }
    let mut e = end;
    for _ in 0..=n {
        match memchr(b'\n', &data[e..]) {
            Some(i) => e = e + i + 1,
            None => {
                e = data.len();
                break;
            }
        }
    }
    (s, e.min(data.len()))
}

/// Whether the lines holding `start..end` carry an inline allow marker.
pub(crate) fn has_inline_allow(data: &[u8], start: usize, end: usize) -> bool {
    let ls = memrchr(b'\n', &data[..start]).map_or(0, |i| i + 1);
    let le = memchr(b'\n', &data[end..]).map_or(data.len(), |i| end + i);
    let line = &data[ls..le];
    INLINE_ALLOW
        .iter()
        .any(|m| memchr::memmem::find(line, m).is_some())
}

/// Among matches whose secrets overlap, keeps one: a provider rule over a generic one,
/// then the longer secret, then the earlier rule. Dropped entries get `rule = u32::MAX`.
fn resolve_overlaps(pack: &RulePack, matches: &mut [RawMatch]) {
    matches.sort_unstable_by_key(|m| (m.secret_start, m.secret_end, m.rule));
    let mut i = 0;
    while i < matches.len() {
        let mut best = i;
        let mut group_end = matches[i].secret_end;
        let mut j = i + 1;
        while j < matches.len() && matches[j].secret_start < group_end {
            group_end = group_end.max(matches[j].secret_end);
            if better(pack, &matches[j], &matches[best]) {
                best = j;
            }
            j += 1;
        }
        for (k, m) in matches.iter_mut().enumerate().take(j).skip(i) {
            if k != best {
                m.rule = u32::MAX;
            }
        }
        i = j;
    }
}

fn better(pack: &RulePack, a: &RawMatch, b: &RawMatch) -> bool {
    let ga = pack.get(a.rule as usize).generic;
    let gb = pack.get(b.rule as usize).generic;
    if ga != gb {
        return !ga;
    }
    let la = a.secret_end - a.secret_start;
    let lb = b.secret_end - b.secret_start;
    la > lb || (la == lb && a.rule < b.rule)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{CredentialKind, Origin, Rule, RuleSpec, Severity};

    fn rule(id: &str, kw: &str, pattern: &str) -> Rule {
        let spec = RuleSpec {
            keywords: vec![kw.into()],
            pattern: pattern.into(),
            ..RuleSpec::new(id, id, "t", CredentialKind::ApiToken, Severity::High)
        };
        Rule::new(
            spec,
            Origin {
                file: "t".into(),
                builtin: false,
            },
        )
        .unwrap()
    }

    fn scan(pack: &RulePack, data: &str) -> Vec<RawMatch> {
        let pf = Prefilter::new(pack).unwrap();
        let mut m = Matcher::new(pack, &pf, MatchOptions::default());
        let mut out = vec![];
        m.scan(data.as_bytes(), "f", &mut out);
        out
    }

    #[test]
    fn builtin_multiline_keywords_fit_the_simd_searcher() {
        // Else history's delta-aware mode falls back to the slow whole-blob automaton.
        let pack = RulePack::builtin();
        let pf = Prefilter::new(&pack).unwrap();
        let set = pf.multiline_set(&pack).expect("multi-line keywords fit");
        assert!(set.pattern_rules.len() <= 64);
        let pem = b"x\n-----BEGIN RSA PRIVATE KEY-----\n";
        let m = set.searcher.find(pem).unwrap();
        assert_eq!(m.start(), 7);
    }

    fn rule_ids(pack: &RulePack, text: &str) -> Vec<String> {
        let pf = Prefilter::new(pack).unwrap();
        let mut m = Matcher::new(pack, &pf, MatchOptions::default());
        let mut out = vec![];
        m.scan(text.as_bytes(), "f.yaml", &mut out);
        out.iter()
            .map(|r| pack.get(r.rule as usize).spec.id.clone())
            .collect()
    }

    #[test]
    fn generic_match_goes_to_the_provider_named_above_only_when_its_value_fits() {
        let pack = RulePack::builtin();
        let hex = concat!("5e803f04eae7efe1", "064a0561d8654d93");
        // Named two lines above: the provider's.
        let near = format!("adzuna:\n  region: gb\n  api_token: \"{hex}\"\n");
        assert_eq!(rule_ids(&pack, &near), ["adzuna.app-key"]);
        // Five lines above: too far to say whose it is.
        let far = format!("adzuna:\n a: 1\n b: 2\n c: 3\n d: 4\n  api_token: \"{hex}\"\n");
        assert_eq!(rule_ids(&pack, &far), ["generic.secret"]);
        // A value the provider's keys cannot be (40 alphanumerics, not 32 hex).
        let other = "adzuna:\n  api_token: \"Qm7vR2xK9pL4nT8wZ3cF6hJ1sD5gB0aY7eU2iO4r\"\n";
        assert_eq!(rule_ids(&pack, other), ["generic.secret"]);
    }

    #[test]
    fn folded_keywords_open_their_rules_windows() {
        // `tok_` lies inside `xtok_`: the longer keyword is not in the automaton, and its
        // rule still runs where it occurs, and only there.
        let pack = RulePack::from_rules(vec![
            rule("t.a", "tok_", r"\b(tok_[a-z0-9]{8})\b"),
            rule("t.b", "xtok_", r"\b(xtok_[A-Z]{8})\b"),
        ]);
        let pf = Prefilter::new(&pack).unwrap();
        assert_eq!(pf.keyword_count(), 1);
        let out = scan(&pack, "a = xtok_HJRKWPMZ\nb = tok_a1b2c3d4\n");
        let ids: Vec<u32> = out.iter().map(|m| m.rule).collect();
        assert_eq!(ids, [1, 0]);
    }

    #[test]
    fn finds_only_after_keyword() {
        let pack = RulePack::from_rules(vec![rule("t.a", "tok_", r"\b(tok_[a-z0-9]{8})\b")]);
        let out = scan(&pack, "x\nfoo TOK_ nothing\nkey = tok_a1b2c3d4\n");
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].secret_start, 25);
    }

    #[test]
    fn inline_allow_suppresses() {
        let pack = RulePack::from_rules(vec![rule("t.a", "tok_", r"\b(tok_[a-z0-9]{8})\b")]);
        assert!(scan(&pack, "k = tok_a1b2c3d4 # keytrace:allow\n").is_empty());
        assert!(scan(&pack, "k = tok_a1b2c3d4 # pragma: allowlist secret\n").is_empty());
        assert_eq!(scan(&pack, "k = tok_a1b2c3d4\n# keytrace:allow\n").len(), 1);
    }

    #[test]
    fn specific_rule_wins_overlap_with_generic() {
        let pack = RulePack::from_rules(vec![
            rule("generic.x", "token", r#"token\s*=\s*"([^"]+)""#),
            rule("t.a", "tok_", r"\b(tok_[a-z0-9]{8})\b"),
        ]);
        let out = scan(&pack, "token = \"tok_a1b2c3d4\"\n");
        assert_eq!(out.len(), 1);
        assert_eq!(pack.get(out[0].rule as usize).spec.id, "t.a");
    }

    #[test]
    fn many_hits_on_one_line_find_each_match() {
        let pack = RulePack::from_rules(vec![rule("t.a", "tok_", r"\b(tok_[a-z0-9]{8})\b")]);
        let line: String = (0..1000)
            .map(|i| format!("tok_{:08} ", 10_000_000 + i))
            .collect();
        assert_eq!(scan(&pack, &line).len(), 1000);
    }
}
