//! The keyword automaton's search: every keyword occurrence in a byte range, in the order
//! of aho-corasick's plain overlapping search, found by stepping the DFA over several
//! parts of a large buffer at once.
//!
//! Why: the keyword DFA over ~1,800 keywords is about 5 MB, so nearly every byte's
//! transition is a cache miss, and one search is a chain of dependent loads (each state
//! is needed to find the next), bound by memory latency at about 3 ns/byte. Cutting the
//! buffer into [`STREAMS`] parts and advancing one state per part in the same loop gives
//! the CPU independent loads to overlap.
//!
//! Why the results are the same: a DFA state after reading a text is fixed by the
//! text's last `max_pattern_len` bytes (the longest suffix that begins a keyword is never
//! longer than a keyword). Each part after the first starts reading `max_pattern_len`
//! bytes before its cut and reports only the matches ending after the cut, so at every
//! reported end its state equals the plain search's, and it reports the same matches in
//! the same order; a keyword that spans a cut ends in exactly one part. The parts'
//! matches are then concatenated in buffer order.

use std::ops::Range;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{AhoCorasick, Anchored, Input};

/// How many parts of a buffer are stepped together. Measured on the keyword stage alone
/// (git/git's tree): four overlap enough loads to hide most of the latency; more add
/// registers the loop does not have.
pub(super) const STREAMS: usize = 4;

/// The least bytes a part holds; a range shorter than `STREAMS` times this is searched
/// as one stream, where the set-up and the re-read overlap would cost more than the
/// overlapped loads save.
pub(super) const MIN_STREAM: usize = 512;

/// One keyword occurrence: its bytes and the automaton's pattern index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Hit {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) pattern: usize,
}

/// The keyword automaton: a DFA for scans (searched in streams), or the contiguous NFA
/// small inputs build quicker (searched by aho-corasick itself).
#[derive(Debug)]
pub(super) enum Keywords {
    /// Boxed: the DFA's header is 400 bytes, the NFA's handle 24.
    Dfa(Box<DFA>),
    Nfa(AhoCorasick),
}

/// Per-thread buffers for the matches of the parts after the first, kept between buffers
/// so a scan does not allocate per file.
#[derive(Debug, Default, Clone)]
pub(super) struct StreamScratch {
    later: [Vec<Hit>; STREAMS - 1],
}

impl Keywords {
    /// Calls `f` with every keyword occurrence wholly inside `range` of `data`, in the
    /// order of a plain overlapping search (by end, then the automaton's order).
    pub(super) fn for_each(
        &self,
        data: &[u8],
        range: Range<usize>,
        scratch: &mut StreamScratch,
        mut f: impl FnMut(Hit),
    ) {
        match self {
            Keywords::Dfa(dfa) => {
                if range.len() < STREAMS * MIN_STREAM {
                    one_stream(dfa, data, range.clone(), range.start, &mut f);
                } else {
                    streams(dfa, data, range, scratch, &mut f);
                }
            }
            Keywords::Nfa(ac) => nfa_hits(ac, data, range, &mut f),
        }
    }

    /// Like [`Keywords::for_each`] in one stream, for short ranges searched many times
    /// (context rules' provider words), which need no scratch.
    pub(super) fn for_each_short(&self, data: &[u8], range: Range<usize>, mut f: impl FnMut(Hit)) {
        match self {
            Keywords::Dfa(dfa) => one_stream(dfa, data, range.clone(), range.start, &mut f),
            Keywords::Nfa(ac) => nfa_hits(ac, data, range, &mut f),
        }
    }
}

/// Every keyword occurrence in `range` by aho-corasick's own overlapping search (the
/// contiguous NFA built for small inputs).
fn nfa_hits(ac: &AhoCorasick, data: &[u8], range: Range<usize>, f: &mut impl FnMut(Hit)) {
    for m in ac.find_overlapping_iter(Input::new(data).range(range)) {
        f(Hit {
            start: m.start(),
            end: m.end(),
            pattern: m.pattern().as_usize(),
        });
    }
}

/// The unanchored start state. The keyword DFA is built unanchored, so it has one.
fn start(dfa: &DFA) -> StateID {
    dfa.start_state(Anchored::No)
        .expect("the keyword DFA is built with an unanchored start state")
}

/// Reports the matches of state `sid` reached at `end`, when `end` is past `after`.
#[inline(always)]
fn matches_at(dfa: &DFA, sid: StateID, end: usize, after: usize, f: &mut impl FnMut(Hit)) {
    if dfa.is_match(sid) && end > after {
        for i in 0..dfa.match_len(sid) {
            let p = dfa.match_pattern(sid, i);
            f(Hit {
                start: end - dfa.pattern_len(p),
                end,
                pattern: p.as_usize(),
            });
        }
    }
}

/// Steps the DFA from the start state over `range`, reporting matches ending after
/// `after`; the plain search is `after == range.start`.
fn one_stream(dfa: &DFA, data: &[u8], range: Range<usize>, after: usize, f: &mut impl FnMut(Hit)) {
    let Some(bytes) = data.get(range.clone()) else {
        return;
    };
    let mut sid = start(dfa);
    for (i, &b) in bytes.iter().enumerate() {
        sid = dfa.next_state(Anchored::No, sid, b);
        if dfa.is_special(sid) {
            matches_at(dfa, sid, range.start + i + 1, after, f);
        }
    }
}

/// The streamed search of `range` (at least `STREAMS * MIN_STREAM` bytes long).
fn streams(
    dfa: &DFA,
    data: &[u8],
    range: Range<usize>,
    scratch: &mut StreamScratch,
    f: &mut impl FnMut(Hit),
) {
    let Some(bytes) = data.get(range.clone()) else {
        return;
    };
    let base = range.start;
    let chunk = bytes.len() / STREAMS;
    // Each part re-reads this many bytes before its cut (see the module comment).
    let overlap = dfa.max_pattern_len();
    // Part k reports the matches ending in (cut[k], cut[k + 1]] and reads from from[k].
    let cut = [0, chunk, 2 * chunk, 3 * chunk, bytes.len()];
    let from = [
        0,
        cut[1].saturating_sub(overlap),
        cut[2].saturating_sub(overlap),
        cut[3].saturating_sub(overlap),
    ];
    let (p0, p1, p2, p3) = (
        &bytes[from[0]..cut[1]],
        &bytes[from[1]..cut[2]],
        &bytes[from[2]..cut[3]],
        &bytes[from[3]..cut[4]],
    );
    // The lengths differ by the overlap and the last part's remainder: step all four
    // together over the shortest, then each the rest of its own.
    let n = p0.len().min(p1.len()).min(p2.len()).min(p3.len());
    for v in &mut scratch.later {
        v.clear();
    }
    let [l1, l2, l3] = &mut scratch.later;
    let (mut push1, mut push2, mut push3) = (|h| l1.push(h), |h| l2.push(h), |h| l3.push(h));
    let s = start(dfa);
    let (mut s0, mut s1, mut s2, mut s3) = (s, s, s, s);
    for i in 0..n {
        // Four independent chains: the loads of one do not wait for the others'.
        s0 = dfa.next_state(Anchored::No, s0, p0[i]);
        s1 = dfa.next_state(Anchored::No, s1, p1[i]);
        s2 = dfa.next_state(Anchored::No, s2, p2[i]);
        s3 = dfa.next_state(Anchored::No, s3, p3[i]);
        if dfa.is_special(s0) {
            matches_at(dfa, s0, base + from[0] + i + 1, base + cut[0], f);
        }
        if dfa.is_special(s1) {
            matches_at(dfa, s1, base + from[1] + i + 1, base + cut[1], &mut push1);
        }
        if dfa.is_special(s2) {
            matches_at(dfa, s2, base + from[2] + i + 1, base + cut[2], &mut push2);
        }
        if dfa.is_special(s3) {
            matches_at(dfa, s3, base + from[3] + i + 1, base + cut[3], &mut push3);
        }
    }
    finish(dfa, s0, p0, n, base + from[0], base + cut[0], f);
    finish(dfa, s1, p1, n, base + from[1], base + cut[1], &mut push1);
    finish(dfa, s2, p2, n, base + from[2], base + cut[2], &mut push2);
    finish(dfa, s3, p3, n, base + from[3], base + cut[3], &mut push3);
    for v in &scratch.later {
        for &h in v {
            f(h);
        }
    }
}

/// Steps state `sid` over `part[done..]` (the part begins at `offset` in the buffer),
/// reporting matches ending after `after`.
fn finish(
    dfa: &DFA,
    mut sid: StateID,
    part: &[u8],
    done: usize,
    offset: usize,
    after: usize,
    f: &mut impl FnMut(Hit),
) {
    for (i, &b) in part.iter().enumerate().skip(done) {
        sid = dfa.next_state(Anchored::No, sid, b);
        if dfa.is_special(sid) {
            matches_at(dfa, sid, offset + i + 1, after, f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasickBuilder, AhoCorasickKind, MatchKind};

    /// A tiny deterministic generator (xorshift), so a failure reproduces.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// The two automata over `keywords` as the prefilter builds them (ASCII
    /// case-insensitive, standard semantics, no prefilter).
    fn automata(keywords: &[Vec<u8>]) -> (Keywords, AhoCorasick) {
        let dfa = aho_corasick::dfa::Builder::new()
            .ascii_case_insensitive(true)
            .prefilter(false)
            .match_kind(MatchKind::Standard)
            .build(keywords)
            .expect("small keyword set");
        let plain = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .prefilter(false)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(keywords)
            .expect("small keyword set");
        (Keywords::Dfa(Box::new(dfa)), plain)
    }

    fn plain_hits(ac: &AhoCorasick, data: &[u8], range: Range<usize>) -> Vec<Hit> {
        ac.find_overlapping_iter(Input::new(data).range(range))
            .map(|m| Hit {
                start: m.start(),
                end: m.end(),
                pattern: m.pattern().as_usize(),
            })
            .collect()
    }

    fn streamed_hits(k: &Keywords, data: &[u8], range: Range<usize>) -> Vec<Hit> {
        let mut out = Vec::new();
        let mut scratch = StreamScratch::default();
        k.for_each(data, range, &mut scratch, |h| out.push(h));
        out
    }

    #[test]
    fn streams_equal_the_plain_search_on_random_inputs() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        // A small alphabet so keywords occur often, overlap and span the cuts.
        let alphabet = b"abcABC_=x";
        for round in 0..200 {
            let count = 1 + rng.below(30);
            let mut keywords: Vec<Vec<u8>> = Vec::new();
            for _ in 0..count {
                let len = 1 + rng.below(if round % 3 == 0 { 40 } else { 6 });
                let kw: Vec<u8> = (0..len)
                    .map(|_| alphabet[rng.below(6)].to_ascii_lowercase())
                    .collect();
                if !keywords.contains(&kw) {
                    keywords.push(kw);
                }
            }
            let (k, plain) = automata(&keywords);
            let size = rng.below(12_000);
            let data: Vec<u8> = (0..size)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            let start = if size > 0 { rng.below(size / 4 + 1) } else { 0 };
            let end = size - rng.below(size - start + 1).min(size / 4);
            let want = plain_hits(&plain, &data, start..end);
            let got = streamed_hits(&k, &data, start..end);
            assert_eq!(got, want, "round {round}: {keywords:?} over {start}..{end}");
        }
    }

    #[test]
    fn a_keyword_across_each_cut_is_found_once() {
        let keywords = vec![b"secret_key".to_vec(), b"key".to_vec(), b"token".to_vec()];
        let (k, plain) = automata(&keywords);
        let mut data = vec![b' '; 8 * MIN_STREAM];
        let chunk = data.len() / STREAMS;
        for cut in 1..STREAMS {
            for shift in 1..10 {
                let mut d = data.clone();
                let at = cut * chunk - shift;
                d[at..at + 10].copy_from_slice(b"SECRET_KEY");
                let want = plain_hits(&plain, &d, 0..d.len());
                assert_eq!(want.len(), 2);
                assert_eq!(streamed_hits(&k, &d, 0..d.len()), want);
            }
        }
        data[0..5].copy_from_slice(b"Token");
        let n = data.len();
        data[n - 5..].copy_from_slice(b"tOKEN");
        let got = streamed_hits(&k, &data, 0..n);
        assert_eq!(got, plain_hits(&plain, &data, 0..n));
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn short_ranges_and_out_of_bounds_ranges_do_not_panic() {
        let (k, plain) = automata(&[b"ab".to_vec()]);
        let data = b"xxabyyAB".repeat(600);
        assert_eq!(
            streamed_hits(&k, &data, 3..20),
            plain_hits(&plain, &data, 3..20)
        );
        let mut none = Vec::new();
        k.for_each(
            &data,
            data.len()..data.len() + 5000,
            &mut StreamScratch::default(),
            |h| none.push(h),
        );
        // A reversed range, as a caller's arithmetic could produce.
        k.for_each_short(&data, Range { start: 10, end: 5 }, |h| none.push(h));
        assert!(none.is_empty());
    }
}
