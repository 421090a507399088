//! Scanning a stream of any size in bounded memory: a file or standard input is read in
//! chunks of at most [`ReadLimits::chunk_size`] bytes, each overlapping the next by
//! [`OVERLAP`] bytes, so memory stays at one chunk whatever the stream's size.
//!
//! Every match is owned by exactly one chunk, the one whose *owned span* holds its secret's
//! first byte; the owned spans tile the stream and sit at least [`MARGIN`] bytes inside
//! their chunk on both sides (except at the stream's ends). The matcher never looks
//! further than [`WINDOW_BEFORE`] before a keyword nor [`WINDOW_AFTER_MULTILINE`] after it,
//! so a match whose secret starts in an owned span is seen by its chunk as a whole-stream
//! scan sees it: a secret across a chunk boundary is found once, with the line and column
//! it has in the stream. What a chunk cannot see is a line's far side when the line is
//! longer than the margin: an inline `keytrace:allow` marker or a rule's `context` more
//! than [`MARGIN`] bytes from the match is not considered. (One exception, a matcher
//! bug: a match that starts inside the window of an earlier hit of its rule and ends past
//! that window is lost; which ones depends on where windows start, so a chunked and a
//! whole-stream scan can lose different ones. See the ignored `matcher_misses_*` tests.)
//!
//! The summary's count of matches allowed inline can count one twice when it lies where
//! two chunks overlap: the matcher counts them without saying where they are.
//!
//! A stream that fits one chunk is scanned exactly as [`Engine::scan_blob`] scans a buffer
//! (including GitHub's line hashes, which need the whole file; a chunked stream leaves them
//! to the upload action).

use std::io::{self, Read};

use super::ReadLimits;
use crate::engine::{looks_binary, Engine, Stats, Worker};
use crate::finding::{Finding, LineIndex, SourceKind};
use crate::matcher::{WINDOW_AFTER, WINDOW_AFTER_MULTILINE, WINDOW_BEFORE};

/// How far from a match's secret the matcher can look, either way: the window before a
/// keyword plus the longest window after one (a secret lies anywhere in its keyword's
/// window, so its keyword lies at most this far from it, and so does the window's far end;
/// the factor two leaves room for the keyword itself).
pub const MARGIN: usize = 2 * (WINDOW_BEFORE + max(WINDOW_AFTER, WINDOW_AFTER_MULTILINE));

/// Bytes two consecutive chunks share: a margin on each side of the boundary between
/// their owned spans.
pub const OVERLAP: usize = 2 * MARGIN;

/// The default chunk size: 64 MiB, more than the default `--max-file-size`, so by default
/// every file is one chunk.
pub const DEFAULT_CHUNK_SIZE: usize = 64 << 20;

/// The smallest chunk size accepted: each chunk then advances by at least half its size.
pub const MIN_CHUNK_SIZE: usize = 2 * OVERLAP;

const fn max(a: usize, b: usize) -> usize {
    if a > b {
        a
    } else {
        b
    }
}

/// What became of a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Scanned: this many bytes.
    Scanned(u64),
    /// Longer than `max_file_size`: nothing reported.
    TooLarge,
    /// Looks binary: nothing scanned.
    Binary,
}

impl Outcome {
    /// Counts this outcome of one file or stream in `stats`.
    pub fn count(self, stats: &Stats) {
        match self {
            Outcome::Scanned(bytes) => {
                Stats::bump(&stats.scanned);
                stats
                    .bytes
                    .fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
            }
            Outcome::TooLarge => Stats::bump(&stats.skipped_large),
            Outcome::Binary => Stats::bump(&stats.skipped_binary),
        }
    }
}

/// Reusable scratch for [`scan`]: the chunk buffer and the matcher's raw matches.
#[derive(Default)]
pub struct Scratch {
    /// The current chunk.
    pub buf: Vec<u8>,
}

impl Scratch {
    /// Frees the chunk buffer after a large stream, so an idle worker does not keep a
    /// chunk's worth of memory.
    pub fn shrink(&mut self) {
        const KEEP: usize = 8 << 20;
        if self.buf.capacity() > KEEP {
            self.buf = Vec::new();
        }
    }
}

/// Position of a chunk's first byte in the stream.
#[derive(Debug, Clone, Copy)]
struct Origin {
    /// Byte offset.
    offset: u64,
    /// 1-based line.
    line: usize,
    /// Characters (as [`LineIndex`] counts them) between that line's start and the byte.
    column: usize,
}

/// Scans everything `reader` yields, appending findings for `path` to `out`. `size_hint`
/// (a file's length) sizes the first read. On a read error the findings of the chunks
/// already scanned stay in `out`.
pub fn scan(
    worker: &mut Worker<'_>,
    reader: &mut dyn Read,
    size_hint: Option<u64>,
    path: &str,
    source: SourceKind,
    opts: &ReadLimits,
    scratch: &mut Scratch,
) -> io::Result<Outcome> {
    let Worker {
        engine,
        matcher,
        raw,
        decoded,
        out,
    } = worker;
    let engine: &Engine = engine;
    let chunk = opts.chunk_size.max(MIN_CHUNK_SIZE);
    let first_out = out.len();
    let buf = &mut scratch.buf;
    buf.clear();
    if let Some(len) = size_hint {
        // One byte more than the file, to see its end without a second read.
        buf.reserve((len.saturating_add(1)).min(chunk as u64) as usize);
    }
    let mut origin = Origin {
        offset: 0,
        line: 1,
        column: 0,
    };
    // Matches whose secret starts before this were owned by the previous chunk.
    let mut owned_from: u64 = 0;
    // End of the last reported secret: a match overlapping it is the same secret seen
    // again through the overlap.
    let mut reported_to: u64 = 0;
    let mut decoded_to: u64 = 0;
    let mut total: u64 = 0;
    loop {
        let want = chunk - buf.len();
        let got = Read::take(&mut *reader, want as u64).read_to_end(buf)?;
        total += got as u64;
        if total > opts.max_file_size {
            out.truncate(first_out);
            return Ok(Outcome::TooLarge);
        }
        let end = got < want;
        if origin.offset == 0 {
            if !opts.scan_binaries && looks_binary(buf) {
                return Ok(Outcome::Binary);
            }
            crate::progress::record(got);
        } else {
            crate::progress::add_bytes(got);
        }
        if end && origin.offset == 0 {
            // The whole stream in one buffer.
            engine.matches(matcher, buf, path, None, raw, decoded);
            engine.push_findings(buf, path, source, raw, decoded, out);
            break;
        }
        let owned_to = if end {
            u64::MAX
        } else {
            origin.offset + (buf.len() - MARGIN) as u64
        };
        engine.matches(matcher, buf, path, None, raw, decoded);
        if !raw.is_empty() || !decoded.is_empty() {
            let index = LineIndex::new(buf);
            // Each secret belongs to the chunk whose owned span holds its first byte (a
            // decoded one, its encoded text's); one overlapping the last reported is the
            // same secret seen again through the overlap.
            let owned = |start: usize, end: usize, reported_to: &mut u64| {
                let start = origin.offset + start as u64;
                if start < owned_from || start >= owned_to || start < *reported_to {
                    return false;
                }
                *reported_to = origin.offset + end as u64;
                true
            };
            for m in raw.iter() {
                if owned(m.secret_start, m.secret_end, &mut reported_to) {
                    let mut f = engine.finding(m, buf, &index, path, source);
                    origin.apply(&mut f);
                    out.push(f);
                }
            }
            for d in decoded.iter() {
                if owned(d.start, d.end, &mut decoded_to) {
                    let mut f = engine.decoded_finding(d, buf, &index, path, source);
                    origin.apply(&mut f);
                    out.push(f);
                }
            }
        }
        // Stop between chunks on Ctrl-C (a stream that ended on Ctrl-C has just been
        // scanned to its end).
        if end || crate::progress::interrupted() {
            break;
        }
        // Keep the last OVERLAP bytes, moved back to a character boundary (at most three
        // bytes) so that counting columns chunk by chunk adds up.
        let mut keep_from = buf.len() - OVERLAP;
        for _ in 0..3 {
            if keep_from > 0 && buf[keep_from] & 0xc0 == 0x80 {
                keep_from -= 1;
            }
        }
        origin.advance(&buf[..keep_from]);
        buf.copy_within(keep_from.., 0);
        buf.truncate(buf.len() - keep_from);
        owned_from = owned_to;
    }
    Ok(Outcome::Scanned(total))
}

impl Origin {
    /// Moves past `skipped`, the bytes from this origin to the next.
    fn advance(&mut self, skipped: &[u8]) {
        self.offset += skipped.len() as u64;
        match memchr::memrchr(b'\n', skipped) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', skipped).count();
                self.column = chars(&skipped[last + 1..]);
            }
            None => self.column += chars(skipped),
        }
    }

    /// Turns a finding's positions within the chunk into positions in the stream.
    fn apply(&self, f: &mut Finding) {
        if f.line == 1 {
            f.column += self.column;
        }
        if f.end_line == 1 {
            f.end_column += self.column;
        }
        f.line += self.line - 1;
        f.end_line += self.line - 1;
    }
}

/// Characters in `bytes` as [`LineIndex`] counts them (UTF-8, each invalid sequence one
/// replacement character), without allocating.
fn chars(bytes: &[u8]) -> usize {
    bytes
        .utf8_chunks()
        .map(|c| c.valid().chars().count() + usize::from(!c.invalid().is_empty()))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::MatchOptions;
    use crate::rules::RulePack;

    fn engine() -> Engine {
        Engine::new(RulePack::builtin(), MatchOptions::default(), None, vec![]).unwrap()
    }

    fn pat(i: usize) -> String {
        // Distinct, high-entropy GitHub classic PAT shapes with a valid checksum.
        let body: String = format!("{i:04}Zq8rT2mK9vX4pL7wN3bH6jF1cD5sA0yE")
            .chars()
            .take(30)
            .collect();
        let sum = crate::matcher::checksum::github_checksum(body.as_bytes());
        format!("ghp_{body}{}", String::from_utf8_lossy(&sum))
    }

    /// Scans what `reader` yields with `opts`.
    fn scan_with(
        engine: &Engine,
        reader: &mut dyn Read,
        opts: &ReadLimits,
    ) -> (io::Result<Outcome>, Vec<Finding>) {
        let mut worker = engine.worker();
        let outcome = scan(
            &mut worker,
            reader,
            None,
            "f",
            SourceKind::Stdin,
            opts,
            &mut Scratch::default(),
        );
        (outcome, worker.out)
    }

    /// Scans `data` in chunks of `chunk` bytes, without a size limit.
    fn run(engine: &Engine, data: &[u8], chunk: usize) -> (Outcome, Vec<Finding>) {
        let opts = ReadLimits {
            chunk_size: chunk,
            max_file_size: u64::MAX,
            scan_binaries: false,
        };
        let (outcome, out) = scan_with(engine, &mut &data[..], &opts);
        (outcome.unwrap(), out)
    }

    fn positions(fs: &[Finding]) -> Vec<(usize, usize, usize, usize, String)> {
        fs.iter()
            .map(|f| {
                (
                    f.line,
                    f.column,
                    f.end_line,
                    f.end_column,
                    f.fingerprint.clone(),
                )
            })
            .collect()
    }

    /// Secrets at every offset around chunk boundaries, on short lines, on one long line and
    /// after multi-byte and invalid UTF-8: the chunked scan reports exactly what the
    /// one-buffer scan reports, positions included.
    #[test]
    fn chunked_equals_whole() {
        let engine = engine();
        let mut data = Vec::new();
        let mut i = 0;
        while data.len() < 5 * MIN_CHUNK_SIZE {
            match i % 4 {
                0 => data.extend_from_slice(format!("TOKEN={}\n", pat(i)).as_bytes()),
                1 => data.extend_from_slice("é€ ".repeat(997).as_bytes()),
                2 => data.extend_from_slice(&[0xff, 0xc3, b' ', 0x80, b'x']),
                _ => data.extend_from_slice(format!(" k={} ", pat(i)).as_bytes()),
            }
            data.extend_from_slice(&b"filler ".repeat(i % 13 * 101));
            if i % 7 == 0 {
                data.push(b'\n');
            }
            i += 1;
        }
        let (_, whole) = run(&engine, &data, usize::MAX / 2);
        assert!(whole.len() > 100, "{}", whole.len());
        for chunk in [
            MIN_CHUNK_SIZE,
            MIN_CHUNK_SIZE + 7,
            3 * MIN_CHUNK_SIZE / 2 + 1,
        ] {
            let (outcome, chunked) = run(&engine, &data, chunk);
            assert_eq!(outcome, Outcome::Scanned(data.len() as u64));
            assert_eq!(positions(&chunked), positions(&whole), "chunk {chunk}");
        }
    }

    /// Random sequences of secrets of several rules (generic assignments, AWS pairs that
    /// need their context, private keys, inline allows), multi-byte and invalid UTF-8,
    /// newlines and runs of filler: chunked and one-buffer scans agree on every finding.
    ///
    /// Lines stay under 4 KiB and private keys 70 KiB apart: the matcher skips a keyword
    /// hit inside the same rule's previous window but searches that window only up to its
    /// end, so a match that starts inside it and ends past it is missed, by a one-buffer
    /// scan too; where that happens depends on where windows start, which differs between
    /// the two scans (`matcher_misses_a_key_that_starts_in_the_previous_keys_window` in
    /// the integration tests).
    #[test]
    fn chunked_equals_whole_on_random_mixes() {
        let engine = engine();
        for seed in 1..=3u64 {
            let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
            let mut next = |n: usize| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (state >> 33) as usize % n
            };
            const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            let word = |n: usize, next: &mut dyn FnMut(usize) -> usize| -> String {
                (0..n).map(|_| ALNUM[next(ALNUM.len())] as char).collect()
            };
            let mut data = Vec::new();
            let mut last_key = 0usize;
            while data.len() < 3 * MIN_CHUNK_SIZE {
                let piece = match next(12) {
                    0 => format!("ghp_{}", word(36, &mut next)),
                    1 => format!("password = \"{}\"", word(18, &mut next)),
                    2 => format!(
                        "AWS_ACCESS_KEY_ID=AKIA{}\nAWS_SECRET_ACCESS_KEY={}",
                        word(16, &mut next).to_uppercase(),
                        word(40, &mut next)
                    ),
                    3 if data.len() > last_key + 70_000 => {
                        last_key = data.len();
                        let body: Vec<String> = (0..8).map(|_| word(64, &mut next)).collect();
                        let armour = |w: &str| format!("-----{w} {} PRIVATE KEY-----", "RSA");
                        format!(
                            "{}\n{}\n{}",
                            armour("BEGIN"),
                            body.join("\n"),
                            armour("END")
                        )
                    }
                    4 => " # keytrace:allow".to_owned(),
                    5 => "\n".repeat(1 + next(3)),
                    6 => "é€".repeat(next(40)),
                    7 => "x".repeat(next(3000)),
                    8 => format!("sk_live_{}", word(40, &mut next)),
                    9 => "token: ".to_owned(),
                    10 => " ".to_owned(),
                    _ => String::new(),
                };
                data.extend_from_slice(piece.as_bytes());
                if next(50) == 0 {
                    data.extend_from_slice(&[0xff, 0xe2, 0x82]);
                }
                let line = data.len() - memchr::memrchr(b'\n', &data).map_or(0, |i| i + 1);
                if line > 3000 {
                    data.push(b'\n');
                }
            }
            let (_, whole) = run(&engine, &data, usize::MAX / 2);
            assert!(whole.len() > 200, "seed {seed}: {}", whole.len());
            let (_, chunked) = run(&engine, &data, MIN_CHUNK_SIZE + 1_000 * seed as usize);
            assert_eq!(positions(&chunked), positions(&whole), "seed {seed}");
        }
    }

    /// A secret placed around the first chunk's physical end and around the boundary
    /// between the first two owned spans, byte by byte: found once, where it is.
    #[test]
    fn a_secret_at_each_offset_around_a_boundary_is_found_once() {
        let engine = engine();
        let chunk = MIN_CHUNK_SIZE;
        let secret = pat(7);
        for around in [chunk, chunk - MARGIN, chunk - OVERLAP] {
            for at in around - 24..around + 4 {
                // Lines of 99 bytes + newline, then the secret (no newline before it
                // unless `at` falls on a line start) and a long tail.
                let mut data: Vec<u8> = b"x".repeat(99);
                data.push(b'\n');
                let mut data = data.repeat(at / 100);
                data.extend(std::iter::repeat_n(b'y', at % 100));
                data.extend_from_slice(b" ");
                data.extend_from_slice(secret.as_bytes());
                data.extend_from_slice(&b"\nz".repeat(chunk));
                let (_, found) = run(&engine, &data, chunk);
                assert_eq!(found.len(), 1, "secret at {}", at + 1);
                let f = &found[0];
                assert_eq!((f.line, f.column), (at / 100 + 1, at % 100 + 2), "at {at}");
                assert_eq!(f.end_column, f.column + secret.len());
            }
        }
    }

    #[test]
    fn columns_add_up_across_chunks() {
        let mut o = Origin {
            offset: 0,
            line: 1,
            column: 0,
        };
        o.advance("ab\ncé".as_bytes());
        assert_eq!((o.offset, o.line, o.column), (6, 2, 2));
        o.advance(&[0xff, 0xfe, b'x']);
        assert_eq!((o.line, o.column), (2, 5));
        assert_eq!(
            chars(&[0xe2, 0x82]),
            1,
            "a truncated sequence is one character"
        );
        assert_eq!(chars("€".as_bytes()), 1);
    }

    /// A read error after the first chunk: its findings stay, the error is returned.
    #[test]
    fn a_read_error_keeps_what_was_found() {
        struct FailAfter(std::io::Cursor<Vec<u8>>);
        impl Read for FailAfter {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                match self.0.read(out)? {
                    0 => Err(io::Error::other("device gone")),
                    n => Ok(n),
                }
            }
        }
        let engine = engine();
        let mut data = format!("TOKEN={}\n", pat(3)).into_bytes();
        data.resize(MIN_CHUNK_SIZE + 10, b'\n');
        let opts = ReadLimits {
            chunk_size: MIN_CHUNK_SIZE,
            max_file_size: u64::MAX,
            scan_binaries: false,
        };
        let (outcome, out) = scan_with(&engine, &mut FailAfter(std::io::Cursor::new(data)), &opts);
        let err = outcome.unwrap_err();
        assert_eq!(err.to_string(), "device gone");
        assert_eq!(out.len(), 1, "the first chunk's finding is kept");
        assert_eq!(out[0].line, 1);
    }

    #[test]
    fn over_the_limit_reports_nothing() {
        let engine = engine();
        let data = format!("TOKEN={}\n", pat(1)).repeat(3 * MIN_CHUNK_SIZE / 47);
        let opts = ReadLimits {
            chunk_size: MIN_CHUNK_SIZE,
            max_file_size: 2 * MIN_CHUNK_SIZE as u64,
            scan_binaries: false,
        };
        let (outcome, out) = scan_with(&engine, &mut data.as_bytes(), &opts);
        let outcome = outcome.unwrap();
        assert_eq!(outcome, Outcome::TooLarge);
        assert!(out.is_empty());
    }
}
