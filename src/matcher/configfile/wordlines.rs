//! The lines the every-file readers (`commands`, `sql`) read: those holding, in any case,
//! a word one of them starts from. The readers run on every file and every blob of a
//! history, so the search for their words is the cost of the pass on files that hold
//! none: one search over a case-folded copy of the file, a block at a time, instead of
//! one search per word and a case-insensitive automaton (issue 16: the case-insensitive
//! automaton over every blob cost git/git's history 14 s of CPU).
//!
//! Folding is `byte | 0x20`: an ASCII letter's two cases become its lower case, and a
//! lowercase word matches the folded text exactly where the original holds the word in
//! any case. Other bytes fold too (`\r` to `-`, `_` to DEL), so a folded match is a
//! candidate: each reader checks its own words on the line again.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};

/// The folded words, and the flag each sets on a line that holds it.
const WORDS: &[(&[u8], u8)] = &[
    (b"pass", PASS),
    (b"password", PASSWORD),
    (b"identified", IDENTIFIED),
    (b"mysql", COMMAND),
    (b"mariadb", COMMAND),
    (b"curl", COMMAND),
    (b"-securestring", COMMAND),
    (b"basic ", COMMAND),
];
/// The line holds `pass` in some case (and not as the start of `password`).
pub(super) const PASS: u8 = 1;
/// The line holds `password` in some case.
pub(super) const PASSWORD: u8 = 2;
/// The line holds `identified` in some case.
pub(super) const IDENTIFIED: u8 = 4;
/// The line holds another command reader's word (`mysql`, `curl`, `-SecureString`,
/// `Basic `) in some case.
pub(super) const COMMAND: u8 = 8;

/// Bytes folded and searched at a time: small enough to stay in the first-level cache
/// between the two steps, large enough that the per-block search set-up is noise.
const BLOCK: usize = 16 * 1024;
/// Consecutive blocks overlap by this much, so a word across a block edge is whole in
/// the next block.
const OVERLAP: usize = 12;

/// One line of a file holding at least one of the words: `start..end` (without the
/// newline) and the flags of the words found on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct WordLine {
    pub start: usize,
    pub end: usize,
    pub flags: u8,
}

fn searcher() -> Option<&'static AhoCorasick> {
    static AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    AC.get_or_init(|| {
        // Leftmost-longest, so `password` is reported where `pass` starts it; a lowercase
        // automaton of a few words gets the crate's SIMD prefilter, which a
        // case-insensitive one does not.
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(WORDS.iter().map(|w| w.0))
            .ok()
    })
    .as_ref()
}

/// The lines of `data` holding a word, in order, each once, into `out` (cleared first).
pub(super) fn lines(data: &[u8], out: &mut Vec<WordLine>) {
    out.clear();
    let Some(ac) = searcher() else {
        return;
    };
    debug_assert!(WORDS.iter().all(|w| w.0.len() <= OVERLAP + 1));
    let mut folded = [0u8; BLOCK];
    let mut at = 0;
    loop {
        let end = (at + BLOCK).min(data.len());
        let block = &mut folded[..end - at];
        for (f, b) in block.iter_mut().zip(&data[at..end]) {
            *f = b | 0x20;
        }
        for m in ac.find_iter(&*block) {
            let i = at + m.start();
            let flag = WORDS[m.pattern().as_usize()].1;
            match out.last_mut() {
                // Another word of the line already taken (or the same word again, seen in
                // the overlap of two blocks).
                Some(l) if i < l.end => l.flags |= flag,
                _ => {
                    let start = memchr::memrchr(b'\n', &data[..i]).map_or(0, |p| p + 1);
                    let end = memchr::memchr(b'\n', &data[i..]).map_or(data.len(), |p| i + p);
                    out.push(WordLine {
                        start,
                        end,
                        flags: flag,
                    });
                }
            }
        }
        if end == data.len() {
            return;
        }
        at = end - OVERLAP;
    }
}

/// Documents made of the readers' words in several cases, statements, commands, values
/// and separators, some longer than a block, for the readers' tests that compare their
/// search through [`lines`] with a plain search of each word over the whole file.
#[cfg(test)]
pub(super) fn mixed_documents() -> Vec<Vec<u8>> {
    const PARTS: &[&str] = &[
        "pass",
        "PASS",
        "Pass",
        "pAss",
        "password",
        "PassWord",
        "PASSWORD",
        "passwo",
        "IDENTIFIED BY",
        "identified by",
        "IdEnTiFiEd",
        "create user bob",
        "ALTER ROLE app",
        "CREATE LOGIN sa",
        "SET PASSWORD = ",
        "WITH PASSWORD",
        "'Tern-42x'",
        "Hemlock5",
        "--password",
        "--db-pass=",
        "-passin pass:",
        "mysql",
        "MySQL",
        "mariadb",
        "-pQuail-88",
        "sshpass -p",
        "curl -u a:Wp-8812x",
        "CURL",
        "CURLOPT_PASSWORD, \"KiASRCRiGFLP\"",
        "ConvertTo-SecureString \"4yd21JKH~GE8dkd\"",
        "-securestring",
        "Basic bWU6S2l0ZTg4",
        "basic ",
        "BASIC ",
        " ",
        " ",
        "\n",
        "\n",
        "\r\n",
        "\r",
        "=",
        "_",
        "x",
        "`",
        "@",
    ];
    // A fixed linear congruential sequence: the same documents on every run.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % n
    };
    let mut docs = Vec::new();
    for size in [4, 16, 64, 400, 3000, 9000] {
        for _ in 0..40 {
            let mut doc = Vec::new();
            for _ in 0..size {
                doc.extend_from_slice(PARTS[next(PARTS.len())].as_bytes());
            }
            docs.push(doc);
        }
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(data: &[u8]) -> Vec<(usize, usize, u8)> {
        let mut out = Vec::new();
        lines(data, &mut out);
        out.into_iter().map(|l| (l.start, l.end, l.flags)).collect()
    }

    #[test]
    fn lines_with_a_word_in_any_case_each_once() {
        let text = b"int x;\nset PassWord here\nnothing\nIDENTIFIED by pass\nmySQL -p\nlast curl";
        assert_eq!(
            found(text),
            [
                (7, 24, PASSWORD),
                (33, 51, IDENTIFIED | PASS),
                (52, 60, COMMAND),
                (61, 70, COMMAND)
            ]
        );
        assert!(found(b"").is_empty());
        assert!(found(b"no words at all\n\n").is_empty());
        // Folding is a candidate only: `\r` folds to `-`, `_` to DEL.
        assert_eq!(found(b"\rsecurestring"), [(0, 13, COMMAND)]);
    }

    #[test]
    fn a_word_across_a_block_edge_is_found_once() {
        for shift in 0..16 {
            let mut data = vec![b'x'; BLOCK - 8 + shift];
            data.extend_from_slice(b"Identified");
            data.extend_from_slice(b"\nnext line\n");
            let lines = found(&data);
            assert_eq!(lines, [(0, BLOCK + 2 + shift, IDENTIFIED)], "shift {shift}");
        }
        // A line longer than a block, with words in several blocks: one line, all flags.
        let mut data = b"pass ".to_vec();
        data.extend(std::iter::repeat_n(b'y', 3 * BLOCK));
        data.extend_from_slice(b" mysql password");
        assert_eq!(found(&data), [(0, data.len(), PASS | COMMAND | PASSWORD)]);
    }

    #[test]
    fn every_word_of_the_mixed_documents_is_on_a_found_line() {
        let words: Vec<&[u8]> = WORDS.iter().map(|w| w.0).collect();
        let docs = mixed_documents();
        assert!(docs.iter().any(|d| d.len() > 2 * BLOCK));
        for doc in docs {
            let lines = found(&doc);
            let folded: Vec<u8> = doc.iter().map(|b| b | 0x20).collect();
            for w in &words {
                for i in memchr::memmem::find_iter(&folded, w) {
                    assert!(
                        lines.iter().any(|&(s, e, _)| s <= i && i + w.len() <= e),
                        "{} at {i}",
                        String::from_utf8_lossy(w)
                    );
                }
            }
            for (s, e, flags) in lines {
                assert!(!doc[s..e].contains(&b'\n'));
                let line = &folded[s..e];
                let has = |w: &[u8]| memchr::memmem::find(line, w).is_some();
                assert_eq!(flags & PASSWORD != 0, has(b"password"));
                assert_eq!(flags & IDENTIFIED != 0, has(b"identified"));
            }
        }
    }
}
