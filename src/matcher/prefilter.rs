//! The keyword stage: one Aho-Corasick automaton over every rule's keywords (lowercased,
//! deduplicated, the longer ones folded into the shorter they contain), built off the
//! critical path for large scans, plus the case-sensitive whole-blob searcher of
//! multi-line rules' keywords for history's delta-aware mode.

use aho_corasick::{AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::streams::Keywords;
use crate::rules::RulePack;

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
pub(super) struct Built {
    pub(super) ac: Keywords,
    /// For each automaton pattern, the rules that own that keyword.
    pub(super) pattern_rules: Vec<Vec<u32>>,
    /// For each automaton pattern, the longer keywords folded into it (see [`Folded`]).
    pub(super) folded: Vec<Vec<Folded>>,
}

/// A keyword left out of the automaton because a shorter keyword occurs inside it: every
/// occurrence of the long one is an occurrence of the short one at `offset`, so the short
/// one's hit checks the bytes around it and opens the long one's windows at the same
/// place the long one's own hit would. With 1,650 keywords a quarter contain another
/// (`stripe` in `stripe_secret`), and leaving them out cuts the automaton's states by 30%:
/// a smaller DFA stays in cache while it reads every byte.
#[derive(Debug)]
pub(super) struct Folded {
    /// The long keyword, lowercased.
    pub(super) keyword: Vec<u8>,
    /// Where the short keyword starts inside it.
    pub(super) offset: usize,
    /// The rules owning the long keyword.
    pub(super) rules: Vec<u32>,
}

/// The keywords of multi-line rules for a whole-blob pass: aho-corasick cannot use its SIMD
/// (Teddy) prefilter case-insensitively, so each keyword is searched case-sensitively in
/// the forms a match can hold (as written and lower case; upper and capitalized too for a
/// case-insensitive pattern), which is fast. A keyword in another mixing of cases opens no
/// window in this pass; a match elsewhere in such a window has its own keyword.
#[derive(Debug)]
pub(super) struct KeywordSet {
    pub(super) searcher: aho_corasick::packed::Searcher,
    /// Per pattern: the rules to open a window for (those of every keyword that is a
    /// prefix of this one, which starts at the same place).
    pub(super) pattern_rules: Vec<Vec<u32>>,
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
    pub(super) fn unbuilt(pack: &RulePack, kind: AhoCorasickKind) -> Prefilter {
        Prefilter {
            built: std::sync::Arc::new(std::sync::OnceLock::new()),
            table: std::sync::Arc::new(keyword_table(pack, |_| true)),
            kind,
            multiline: std::sync::OnceLock::new(),
        }
    }

    /// The automaton for a scan: built by the constructors' check or within the bound
    /// `in_background` checks, so its build cannot fail here.
    pub(super) fn searcher(&self) -> &Built {
        self.automaton()
            .expect("checked by Prefilter::with_kind or in_background: the keyword table fits the automaton")
    }

    /// The automaton, building it (or waiting for the thread building it) on first use.
    /// An error is the automaton's own limit (pattern or state ids), reported by
    /// `Engine::new` through [`Prefilter::with_kind`], or at the first buffer for
    /// [`Prefilter::in_background`].
    pub(super) fn automaton(&self) -> anyhow::Result<&Built> {
        self.built
            .get_or_init(|| build(&self.table, self.kind))
            .as_ref()
            .map_err(|e| anyhow::anyhow!("failed to build the keyword automaton: {e}"))
    }

    /// The searcher over multi-line rules' keywords (None when no rule is multi-line or
    /// the variants do not fit the SIMD searcher; the caller then searches the whole blob
    /// with the main automaton).
    pub(super) fn multiline_set(&self, pack: &RulePack) -> Option<&KeywordSet> {
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
    // Which keywords each keyword contains, first occurrence each: one automaton over all
    // of them run over each one, linear in their total length. Comparing every pair was
    // quadratic, and with 2,500 keywords it was a tenth of a working-tree scan, spent
    // before the first file could be searched.
    let inside = contained_keywords(&keywords);
    let minimal: Vec<bool> = inside.iter().map(Vec::is_empty).collect();
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
        // The longest kept keyword inside it, so its hits are the rarest (on a tie, the
        // one listed last).
        let host = inside[i]
            .iter()
            .filter(|&&(j, _)| minimal[j])
            .max_by_key(|&&(j, _)| (keywords[j].len(), j));
        if let Some(&(j, offset)) = host {
            folded[new_index[j]].push(Folded {
                keyword: k.clone(),
                offset,
                rules: rules[i].clone(),
            });
        }
    }
    (kept, kept_rules, folded)
}

/// Per keyword, the other keywords inside it with the offset of their first occurrence,
/// in keyword order. The keywords are distinct, so another keyword found inside one is
/// shorter than it.
fn contained_keywords(keywords: &[Vec<u8>]) -> Vec<Vec<(usize, usize)>> {
    let Ok(ac) = AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .build(keywords)
    else {
        // Over the automaton's limits: fold nothing (every keyword searched as itself).
        return vec![Vec::new(); keywords.len()];
    };
    keywords
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let mut found: Vec<(usize, usize)> = Vec::new();
            for m in ac.find_overlapping_iter(k.as_slice()) {
                let j = m.pattern().as_usize();
                if j != i && !found.iter().any(|&(f, _)| f == j) {
                    found.push((j, m.start()));
                }
            }
            found.sort_unstable();
            found
        })
        .collect()
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
/// The DFA is built as aho-corasick's own type, so the search can step it over several
/// parts of a buffer at once (see `streams`); other kinds are searched by aho-corasick.
fn build_automaton(keywords: &[Vec<u8>], kind: AhoCorasickKind) -> Result<Keywords, String> {
    // With hundreds of keywords and frequent hits the automaton's own prefilter costs
    // more than it skips: measured 33% faster without it on git/git's tree.
    if kind == AhoCorasickKind::DFA {
        return aho_corasick::dfa::Builder::new()
            .ascii_case_insensitive(true)
            .prefilter(false)
            .match_kind(MatchKind::Standard)
            .build(keywords)
            .map(|dfa| Keywords::Dfa(Box::new(dfa)))
            .map_err(|e| e.to_string());
    }
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .prefilter(false)
        .match_kind(MatchKind::Standard)
        .kind(Some(kind))
        .build(keywords)
        .map(Keywords::Nfa)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The folding by definition: every pair compared, the longest kept keyword inside
    /// (the last listed on a tie), its first occurrence.
    fn fold_pairwise(keywords: &[Vec<u8>]) -> Vec<Option<(usize, usize)>> {
        let contains = |long: &[u8], short: &[u8]| {
            long.len() > short.len() && long.windows(short.len()).any(|w| w == short)
        };
        let minimal: Vec<bool> = keywords
            .iter()
            .map(|k| !keywords.iter().any(|o| contains(k, o)))
            .collect();
        keywords
            .iter()
            .enumerate()
            .map(|(i, k)| {
                if minimal[i] {
                    return None;
                }
                let (j, o) = keywords
                    .iter()
                    .enumerate()
                    .filter(|&(j, o)| minimal[j] && contains(k, o))
                    .max_by_key(|&(j, o)| (o.len(), j))?;
                Some((j, k.windows(o.len()).position(|w| w == o.as_slice())?))
            })
            .collect()
    }

    #[test]
    fn folding_matches_the_pairwise_definition_on_the_builtin_pack() {
        let pack = RulePack::builtin();
        let (keywords, rules) = keyword_table(&pack, |_| true);
        let want = fold_pairwise(&keywords);
        let (kept, _, folded) = fold_keywords(keywords.clone(), rules);
        assert!(
            want.iter().any(Option::is_some),
            "the pack has folded keywords"
        );
        let mut got: Vec<Option<(usize, usize)>> = vec![None; keywords.len()];
        for (ki, list) in folded.iter().enumerate() {
            let host = keywords.iter().position(|k| *k == kept[ki]).expect("kept");
            for f in list {
                let i = keywords
                    .iter()
                    .position(|k| *k == f.keyword)
                    .expect("folded");
                got[i] = Some((host, f.offset));
            }
        }
        assert_eq!(got, want);
        assert_eq!(kept.len(), want.iter().filter(|w| w.is_none()).count());
    }

    #[test]
    fn a_keyword_inside_another_twice_folds_at_its_first_occurrence() {
        let keywords = vec![b"ab".to_vec(), b"xabab".to_vec(), b"b".to_vec()];
        assert_eq!(fold_pairwise(&keywords), [Some((2, 1)), Some((2, 2)), None]);
        let (kept, _, folded) = fold_keywords(keywords, vec![vec![0], vec![1], vec![2]]);
        assert_eq!(kept, [b"b".to_vec()]);
        let offsets: Vec<(Vec<u8>, usize)> = folded[0]
            .iter()
            .map(|f| (f.keyword.clone(), f.offset))
            .collect();
        assert_eq!(offsets, [(b"ab".to_vec(), 1), (b"xabab".to_vec(), 2)]);
    }
}
