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
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};
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

/// The process-wide counters (history's provenance steps its phase through them).
pub fn counters() -> &'static Counters {
    &SCANNED
}

/// What a scan has read so far, for the progress bar.
#[derive(Debug, Default)]
pub struct Counters {
    /// Files or blobs handed to the matcher.
    pub items: AtomicU64,
    /// Their bytes.
    pub bytes: AtomicU64,
    /// The [`Phase`] of a history scan (0: reading files).
    phase: AtomicU8,
    /// Steps done in the phase, and how many there are (0: unknown).
    steps: AtomicU64,
    total: AtomicU64,
}

/// What a long scan is doing, for the bar: a history scan spends its first part reading
/// packs and matching blobs, and its last locating the commits of what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Files or blobs are read and matched (the bar counts them).
    Matching = 0,
    /// History: the packs' object tables are read before the traversal.
    ReadingPacks = 1,
    /// History: the commit graph is read.
    ReadingCommits = 2,
    /// History: the commits and paths of the blobs with findings are located.
    LocatingCommits = 3,
}

impl Counters {
    /// Zero counters.
    pub const fn new() -> Counters {
        Counters {
            items: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            phase: AtomicU8::new(0),
            steps: AtomicU64::new(0),
            total: AtomicU64::new(0),
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

    /// Enters a phase of `total` steps (0 when unknown).
    pub fn phase(&self, phase: Phase, total: u64) {
        self.steps.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
        self.phase.store(phase as u8, Ordering::Relaxed);
    }

    /// One more step of the current phase done.
    pub fn step(&self) {
        self.steps.fetch_add(1, Ordering::Relaxed);
    }

    fn phase_snapshot(&self) -> (u8, u64, u64) {
        (
            self.phase.load(Ordering::Relaxed),
            self.steps.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
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
        let (phase, steps, total) = SCANNED.phase_snapshot();
        let text = match phase {
            1 => "reading packs: listing objects".to_owned(),
            2 => format!("reading commits: {}", group(steps)),
            3 => located(steps, total, items),
            _ => message(items, bytes, start.elapsed()),
        };
        bar.set_message(text);
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

/// The bar while history locates its findings: `locating commits: 45% (262,213 blobs
/// scanned)`.
fn located(steps: u64, total: u64, items: u64) -> String {
    let pct = (steps.min(total) * 100).checked_div(total).unwrap_or(0);
    let mut s = format!("locating commits: {pct}% ({} blobs scanned)", group(items));
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
    fn phases_name_what_history_does() {
        let c = Counters::default();
        c.phase(Phase::LocatingCommits, 20);
        c.step();
        assert_eq!(c.phase_snapshot(), (3, 1, 20));
        assert_eq!(
            located(1, 20, 262_213),
            "locating commits: 5% (262,213 blobs scanned)"
        );
        c.phase(Phase::Matching, 0);
        assert_eq!(c.phase_snapshot(), (0, 0, 0));
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
