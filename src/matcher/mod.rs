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
mod generic;
mod inline;
mod overlap;
mod prefilter;
mod section;
mod streams;

pub(crate) use inline::has_inline_allow;
use prefilter::Folded;
pub use prefilter::Prefilter;
use section::SectionNames;
use streams::{Keywords, StreamScratch};

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
    /// The keyword search's buffers for the parts of a buffer searched together.
    streams: StreamScratch,
    /// The context rules each provider name claims as a section name, built on the first
    /// generic match that needs it.
    section_names: std::cell::OnceCell<SectionNames>,
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
            streams: StreamScratch::default(),
            section_names: std::cell::OnceCell::new(),
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
        // A match of an `attributed` rule (a weak name such as `key`) that no provider
        // claims says nothing about whose value it is, and is dropped.
        let mut kept = first;
        for j in first..out.len() {
            let attributed = self.pack.get(out[j].rule as usize).spec.attributed;
            match self.provider_above(data, path, &out[j]) {
                Some(r) => out[j].rule = r,
                None if attributed => continue,
                None => {}
            }
            out.swap(kept, j);
            kept += 1;
        }
        out.truncate(kept);
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
        overlap::resolve_overlaps(self.pack, &mut out[first..]);
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
    /// different does not claim it. The nearest provider word wins. A word below the match
    /// does not count: measured on the external benchmark, the next line found no key the
    /// lines above missed and claimed one look-alike.
    fn provider_above(&self, data: &[u8], path: &str, m: &RawMatch) -> Option<u32> {
        let own = self.pack.get(m.rule as usize);
        if !own.generic {
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
        let b = pf.searcher();
        // Every (keyword end, rules) of the provider words wholly inside `range`.
        let words = |range: std::ops::Range<usize>, f: &mut dyn FnMut(usize, &[u32])| {
            b.ac.for_each_short(data, range.clone(), |hit| {
                let p = hit.pattern;
                f(hit.end, &b.pattern_rules[p]);
                for fo in b.folded.get(p).map_or(&[][..], |fo| fo.as_slice()) {
                    let Some(start) = hit.start.checked_sub(fo.offset) else {
                        continue;
                    };
                    let end = start + fo.keyword.len();
                    if start >= range.start
                        && end <= range.end
                        && data[start..end].eq_ignore_ascii_case(&fo.keyword)
                    {
                        f(end, &fo.rules);
                    }
                }
            });
        };
        let mut best: Option<(usize, u32)> = None;
        // The end of the nearest word of any context rule, accepting or not.
        let mut nearest = 0;
        // For a weak name, a word further up than the line just above counts only as the
        // name of a section holding the field (read below); a comment or log line speaks
        // of the line after it only.
        let line_above = memrchr(b'\n', &data[..m.start])
            .and_then(|nl| memrchr(b'\n', &data[..nl]).map(|i| i + 1).or(Some(0)))
            .unwrap_or(0);
        let eligible = |end: usize| !own.spec.attributed || end > line_above;
        words(from..m.secret_start, &mut |end, rules| {
            for &r in rules {
                if self.pack.get(r as usize).spec.value.is_some() {
                    nearest = nearest.max(end);
                }
                if best.is_none_or(|(e, _)| end > e) && eligible(end) && accepts(r) {
                    best = Some((end, r));
                }
            }
        });
        if let Some((end, r)) = best {
            // A weak name belongs to the provider named nearest (its YAML section, the
            // comment just above): when that provider's keys look different, a provider
            // named on a line further up does not take the value instead.
            let other_line_between = memchr(b'\n', &data[end..nearest.max(end)]).is_some();
            if own.spec.attributed && other_line_between {
                return None;
            }
            return Some(r);
        }
        self.provider_of_section(data, m.start, &accepts)
    }

    /// The context rule of the provider a generic match's enclosing section names (see
    /// [`section::claim`]).
    fn provider_of_section(
        &self,
        data: &[u8],
        at: usize,
        accepts: &dyn Fn(u32) -> bool,
    ) -> Option<u32> {
        let names = || {
            self.section_names
                .get_or_init(|| SectionNames::new(self.pack))
        };
        section::claim(data, at, names, accepts)
    }

    /// Adds a confirm window for every keyword hit of `ac` inside `range` (windows
    /// themselves read the whole of `data`).
    fn collect_windows(
        &mut self,
        data: &[u8],
        keywords: &Keywords,
        pattern_rules: &[Vec<u32>],
        folded: &[Vec<Folded>],
        range: std::ops::Range<usize>,
        scope: Scope,
    ) {
        // Taken out for the search, whose callback borrows `self`.
        let mut scratch = std::mem::take(&mut self.streams);
        keywords.for_each(data, range.clone(), &mut scratch, |m| {
            let p = m.pattern;
            self.hit(data, m.start, m.end, &pattern_rules[p], scope);
            for f in folded.get(p).map_or(&[][..], |f| f.as_slice()) {
                // The long keyword around this hit, entirely inside the searched range
                // (as the automaton would have required).
                let Some(start) = m.start.checked_sub(f.offset) else {
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
        });
        self.streams = scratch;
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
            if filters::is_placeholder(&judged) || filters::standin::plain_placeholder(&judged) {
                continue;
            }
            // A documentation URL's password (`user:password%20123@example.com`) is an
            // example; bytes inside a `data:...;base64,` payload are an image, not a token.
            if filters::lookalike::example_or_inline_data(data, secret.start(), secret.end()) {
                continue;
            }
            // A context rule's value has no structure of its own to check: one that counts
            // or repeats (`0123456789abcdef0123...`) is a placeholder, and a provider word
            // inside a longer word or an identifier as the value is code, not a key.
            if rule.spec.value.is_some()
                && filters::identifier::context_rejects(data, whole.start(), &rule.spec, s)
            {
                continue;
            }
            // A value spelled from stand-in words where a token or key is expected
            // (`my_jwt_secret_123456`) is a stand-in; a password may be a person's weak
            // choice, and a connection string is judged by its own rule.
            if !matches!(
                rule.spec.credential,
                crate::rules::CredentialKind::Password
                    | crate::rules::CredentialKind::ConnectionString
            ) && filters::standin::word_token(s)
            {
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
            // The config pass's rules have no provider format either (see `jwt_lookalike`).
            if rule.spec.provider == "config" && filters::jwt_lookalike(s) {
                continue;
            }
            if rule.generic && generic::rejected(rule, compiled, &caps, data, secret.range()) {
                continue;
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
    fn weak_named_key_is_reported_only_when_a_provider_claims_it() {
        let pack = RulePack::builtin();
        let hex = concat!("0c9c8fa805dc58c2", "f148eb61538a435c");
        // The provider named in a comment above, or as the YAML section.
        let comment = format!("# calls the Adzuna jobs API\nkey = {hex}\n");
        assert_eq!(rule_ids(&pack, &comment), ["adzuna.app-key"]);
        let yaml = format!("adzuna:\n  region: gb\n  key: \"{hex}\"\n");
        assert_eq!(rule_ids(&pack, &yaml), ["adzuna.app-key"]);
        // A bearer header under the URL that names the provider.
        let curl = format!(
            "curl https://api.adzuna.com/v1/api/jobs \\\n  -H \"Authorization: Bearer {hex}\"\n"
        );
        assert_eq!(rule_ids(&pack, &curl), ["adzuna.app-key"]);
        // A word on the next line (the call that sends it) does not count.
        let below = format!("key = '{hex}'\nadzuna.search(key)\n");
        assert!(rule_ids(&pack, &below).is_empty());
        // A comment or log line speaks of the line after it only.
        let gap = format!("# calls the Adzuna jobs API\n# (rate limited)\nkey = {hex}\n");
        assert!(rule_ids(&pack, &gap).is_empty());
        let ini = format!("[adzuna]\nregion = gb\ncountry = uk\nkey = {hex}\n");
        assert_eq!(rule_ids(&pack, &ini), ["adzuna.app-key"]);
        // No provider near: a bare `key =` stays unreported.
        assert!(rule_ids(&pack, &format!("key = {hex}\n")).is_empty());
        // A section sibling of the provider's (not its parent) does not count.
        let sibling = format!("adzuna:\n  region: gb\nother:\n  key: {hex}\n");
        assert!(rule_ids(&pack, &sibling).is_empty());
        // The provider's keys are 32 hex: a value of another shape, or one that counts,
        // is not its key.
        let wide = "adzuna:\n  key: Qm7vR2xK9pL4nT8wZ3cF6hJ1sD5gB0aY\n";
        assert!(rule_ids(&pack, wide).is_empty());
        let counting = "adzuna:\n  key: 0123456789abcdef0123456789abcdef\n";
        assert!(rule_ids(&pack, counting).is_empty());
        // The nearest provider's keys look different: one named further up does not
        // take the value instead.
        let nearer = format!("# adzuna\nambee:\n  key: {hex}\n");
        assert!(rule_ids(&pack, &nearer).is_empty());
        // `monkey`-like names and prose do not assign.
        assert!(rule_ids(&pack, &format!("# adzuna\nthe key {hex} is rotated\n")).is_empty());
    }

    #[test]
    fn the_provider_named_nearest_above_decides_by_its_class() {
        let pack = RulePack::builtin();
        let hex64 = concat!(
            "4b4e9d67c5cb916cf5c43c0abf9a43e6",
            "77fda4173dcb4e7e10ba0ad442361eb7"
        );
        // Ambee keys are 64 hex; Adzuna's 32: the class decides between two named words.
        let text = format!("# ambee\nkey = {hex64}\nadzuna.search(key)\n");
        assert_eq!(rule_ids(&pack, &text), ["ambee.api-key"]);
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
    fn rule_that_read_the_provider_word_wins_a_tie_over_a_shape_alone() {
        let pack = RulePack::from_rules(vec![
            rule("a.shape", "sk_", r"\b(sk_[a-f0-9]{8})\b"),
            rule("b.word", "bee", r"bee_token\s*=\s*(sk_[a-f0-9]{8})\b"),
        ]);
        let out = scan(&pack, "bee_token = sk_a1b2c3d4\n");
        assert_eq!(out.len(), 1);
        assert_eq!(pack.get(out[0].rule as usize).spec.id, "b.word");
        let out = scan(&pack, "other = sk_a1b2c3d4\n");
        assert_eq!(pack.get(out[0].rule as usize).spec.id, "a.shape");
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
