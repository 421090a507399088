//! Standard input as one stream, reported under the path `-` (or a name given with
//! `--stdin-name`).
//!
//! The stream is read in chunks ([`super::chunked`]), so its size costs no memory beyond
//! one chunk. A reader thread moves the bytes through a small bounded channel: a read
//! blocked on a pipe that never sends (`tail -f log | keytrace scan -`) cannot be
//! interrupted, but waiting on the channel can, so Ctrl-C ends the stream where it is,
//! what arrived is scanned and reported, and the run exits 130.

use std::io::{self, Read};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError};
use std::time::Duration;

use super::chunked;
use super::ReadLimits;
use crate::engine::{Engine, ScanError, ScanOutput, Stats};
use crate::finding::SourceKind;

/// How much one read from the input asks for.
const BLOCK: usize = 64 << 10;
/// Blocks in flight between the reader thread and the scan (bounded memory).
const IN_FLIGHT: usize = 16;
/// How often a wait for input looks at the interrupt flag.
const POLL: Duration = Duration::from_millis(50);

/// Reads all of `input` and scans it. `opts.max_file_size` bounds the stream (a longer one is
/// skipped and counted); binary content is scanned, since the user chose to pipe it.
pub fn scan(
    engine: &Engine,
    input: impl Read + Send + 'static,
    name: &str,
    opts: &ReadLimits,
) -> ScanOutput {
    let stats = Stats::default();
    let opts = ReadLimits {
        scan_binaries: true,
        ..*opts
    };
    let mut reader = match Interruptible::spawn(input) {
        Ok(r) => r,
        Err(e) => {
            stats.error(ScanError::new(
                "standard input",
                format!("cannot start the reader thread: {e}"),
            ));
            return stats.finish(Vec::new());
        }
    };
    let mut worker = engine.worker();
    let scanned = chunked::scan(
        &mut worker,
        &mut reader,
        None,
        name,
        SourceKind::Stdin,
        &opts,
        &mut chunked::Scratch::default(),
    );
    match scanned {
        Ok(outcome) => outcome.count(&stats),
        // Findings from before the error are kept.
        Err(e) => stats.error(ScanError::new("standard input", e)),
    }
    let findings = worker.finish(&stats);
    stats.finish(findings)
}

/// A reader over blocks that a thread reads from the real input; it ends (reads 0) at the
/// input's end or as soon as Ctrl-C is pressed, even while the input sends nothing.
struct Interruptible {
    blocks: Receiver<io::Result<Vec<u8>>>,
    block: Vec<u8>,
    pos: usize,
    done: bool,
}

impl Interruptible {
    /// Starts the reader thread. It ends at the input's end, on a read error, or when this
    /// side is dropped and it next has something to send; a thread still blocked in a read
    /// when the run is over ends with the process.
    fn spawn(mut input: impl Read + Send + 'static) -> io::Result<Interruptible> {
        let (tx, rx) = sync_channel(IN_FLIGHT);
        std::thread::Builder::new()
            .name("stdin".into())
            .spawn(move || loop {
                let mut block = vec![0; BLOCK];
                match input.read(&mut block) {
                    Ok(0) => break,
                    Ok(n) => {
                        block.truncate(n);
                        if tx.send(Ok(block)).is_err() {
                            break;
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        // The receiver may be gone already; then nobody needs the error.
                        let _ = tx.send(Err(e));
                        break;
                    }
                }
            })?;
        Ok(Interruptible {
            blocks: rx,
            block: Vec::new(),
            pos: 0,
            done: false,
        })
    }
}

impl Read for Interruptible {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.block.len() {
            if self.done || crate::progress::interrupted() {
                self.done = true;
                return Ok(0);
            }
            match self.blocks.recv_timeout(POLL) {
                Ok(Ok(block)) => {
                    self.block = block;
                    self.pos = 0;
                }
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => self.done = true,
            }
        }
        if crate::progress::interrupted() {
            self.done = true;
            return Ok(0);
        }
        let n = out.len().min(self.block.len() - self.pos);
        out[..n].copy_from_slice(&self.block[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_thread_reader_yields_the_whole_input() {
        let data: Vec<u8> = (0..1_000_003u32).map(|i| (i % 251) as u8).collect();
        let mut r = Interruptible::spawn(io::Cursor::new(data.clone())).unwrap();
        let mut got = Vec::new();
        r.read_to_end(&mut got).unwrap();
        assert_eq!(got, data);
    }

    #[test]
    fn a_read_error_is_passed_on() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("device gone"))
            }
        }
        let mut r = Interruptible::spawn(Failing).unwrap();
        let err = r.read_to_end(&mut Vec::new()).unwrap_err();
        assert_eq!(err.to_string(), "device gone");
    }
}
