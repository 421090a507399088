//! Progress and interruption for long scans.
//!
//! One process-wide [`Counters`] is bumped once per scanned buffer through [`record`]
//! (two relaxed atomic adds, nothing else), so every source reports progress without
//! carrying it, and the engine stays the immutable shared part of a scan. [`with_progress`] runs a scan and, if it lasts longer than
//! [`DELAY`] and stderr is a terminal, draws a bar on stderr (files or blobs, bytes, rate;
//! `indicatif`); nothing at all when stderr is not a terminal or `--quiet` is given.
//!
//! Ctrl-C sets one process-wide flag ([`interrupt_flag`]) that the sources poll: the
//! working-tree walk quits, history's pack traversal stops (gix takes the flag as its
//! `should_interrupt`), and [`crate::engine::Worker::scan`] scans nothing more. The run
//! then reports what it found so far and exits 130. A second Ctrl-C exits at once.

use std::io::IsTerminal as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// How long a scan runs before a progress bar appears: short scans (a pre-commit hook)
/// never flash one.
pub const DELAY: Duration = Duration::from_secs(1);

/// How often the bar is redrawn.
const TICK: Duration = Duration::from_millis(100);

/// Exit status of an interrupted run (128 + SIGINT, as shells report it).
pub const INTERRUPTED_EXIT: u8 = 130;

/// Set by Ctrl-C (SIGINT); polled by the sources.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// What this process has scanned so far; [`with_progress`] shows what its scan adds.
static SCANNED: Counters = Counters::new();

/// Records one scanned buffer of `len` bytes (a file, a blob, a stream's first chunk).
pub fn record(len: usize) {
    SCANNED.record(len);
}

/// Records `len` more bytes of the buffer last recorded (a stream read in chunks).
pub fn add_bytes(len: usize) {
    SCANNED.add_bytes(len);
}

/// What a scan has read so far, for the progress bar.
#[derive(Debug, Default)]
pub struct Counters {
    /// Files or blobs handed to the matcher.
    pub items: AtomicU64,
    /// Their bytes.
    pub bytes: AtomicU64,
}

impl Counters {
    /// Zero counters.
    pub const fn new() -> Counters {
        Counters {
            items: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
        }
    }

    /// Records one scanned buffer of `len` bytes.
    pub fn record(&self, len: usize) {
        self.items.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(len as u64, Ordering::Relaxed);
    }

    /// Records `len` more bytes of the buffer last recorded (a stream read in chunks).
    pub fn add_bytes(&self, len: usize) {
        self.bytes.fetch_add(len as u64, Ordering::Relaxed);
    }

    fn snapshot(&self) -> (u64, u64) {
        (
            self.items.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
        )
    }
}

/// The process-wide interrupt flag (for APIs that take `&AtomicBool`, such as gix's pack
/// traversal).
pub fn interrupt_flag() -> &'static AtomicBool {
    &INTERRUPTED
}

/// Whether Ctrl-C was pressed.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// Installs the Ctrl-C handler: the first press sets the flag (the scan winds down and
/// reports what it has), a second one exits 130 at once. Installing twice is harmless.
pub fn install_interrupt_handler() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let installed = ctrlc::set_handler(|| {
            if INTERRUPTED.swap(true, Ordering::SeqCst) {
                std::process::exit(i32::from(INTERRUPTED_EXIT));
            }
        });
        // Without a handler Ctrl-C still ends the process (exit by signal): nothing is
        // lost but the partial report, so a failure here is not worth failing the run.
        if let Err(e) = installed {
            eprintln!("keytrace: warning: cannot handle Ctrl-C: {e}");
        }
    });
}

/// Runs `scan`, showing a progress bar on stderr while it runs if `show` is true, stderr is
/// a terminal and the scan outlasts [`DELAY`]. The bar is cleared before this returns, so
/// the report and summary that follow print on a clean line.
pub fn with_progress<T>(show: bool, scan: impl FnOnce() -> T) -> T {
    if !show || !std::io::stderr().is_terminal() {
        return scan();
    }
    // Earlier scans of this process (`--repos`) are not this one's.
    let base = SCANNED.snapshot();
    let (done, wait) = mpsc::channel::<()>();
    std::thread::scope(|s| {
        s.spawn(move || draw(base, &wait));
        let out = scan();
        // The receiver may be gone only if drawing panicked; the scan result stands.
        let _ = done.send(());
        out
    })
}

/// Draws the bar, counting from `base`, until `wait` receives (or its sender is dropped).
fn draw(base: (u64, u64), wait: &mpsc::Receiver<()>) {
    if !matches!(
        wait.recv_timeout(DELAY),
        Err(mpsc::RecvTimeoutError::Timeout)
    ) {
        return;
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        None,
        indicatif::ProgressDrawTarget::stderr_with_hz(10),
    );
    // The template is a constant; if indicatif ever rejected it, a plain spinner remains.
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
        bar.set_style(style);
    }
    let start = std::time::Instant::now();
    loop {
        let (items, bytes) = SCANNED.snapshot();
        let (items, bytes) = (items.saturating_sub(base.0), bytes.saturating_sub(base.1));
        bar.set_message(message(items, bytes, start.elapsed()));
        bar.tick();
        match wait.recv_timeout(TICK) {
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            _ => break,
        }
    }
    bar.finish_and_clear();
}

/// The bar's text: `12,345 files  1.2 GB  85 MB/s` (the rate since the bar appeared is
/// close enough: the first second is a small share of a long scan).
fn message(items: u64, bytes: u64, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64() + DELAY.as_secs_f64();
    let rate = bytes as f64 / secs;
    let mut s = format!(
        "{} {}  {}  {}/s",
        group(items),
        if items == 1 { "file" } else { "files" },
        human_bytes(bytes as f64),
        human_bytes(rate)
    );
    if interrupted() {
        s.push_str("  (interrupted: finishing)");
    }
    s
}

/// `1234567` -> `1,234,567`.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Decimal units, one decimal: `12.3 MB`.
fn human_bytes(b: f64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut v = b;
    let mut unit = 0;
    while v >= 1000.0 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{v:.0} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_record_items_and_bytes() {
        let c = Counters::default();
        c.record(10);
        c.record(5);
        assert_eq!(c.snapshot(), (2, 15));
    }

    #[test]
    fn message_shows_files_bytes_and_rate() {
        let m = message(1_234_567, 2_500_000_000, Duration::from_secs(4));
        assert_eq!(m, "1,234,567 files  2.5 GB  500.0 MB/s");
        assert_eq!(message(1, 999, Duration::ZERO), "1 file  999 B  999 B/s");
    }

    #[test]
    fn group_and_units() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(human_bytes(1_000_000.0), "1.0 MB");
        assert_eq!(human_bytes(2e13), "20.0 TB");
    }

    #[test]
    fn without_a_terminal_the_scan_just_runs() {
        // Test harness stderr is captured (not a terminal) or `show` is false: no thread.
        assert_eq!(with_progress(false, || 7), 7);
        assert_eq!(with_progress(true, || 8), 8);
    }
}
