//! Non-human identities: the manifest (`.keytrace/identities.toml`) that says who owns
//! each credential, correlation of findings with it, the inventory report, and drafting
//! entries for unowned findings.
//!
//! Dates are plain calendar days ([`Date`]): reviews and rotations are planned in days,
//! and a day is all a manifest author writes. "Today" is injectable
//! (`KEYTRACE_TODAY=YYYY-MM-DD`) so tests and reproducible reports do not depend on the
//! clock.

pub mod correlate;
pub mod init;
pub mod manifest;
pub mod report;

use std::fmt;
use std::path::{Path, PathBuf};

pub use correlate::{apply, rank_cmp, rank_findings};
pub use manifest::{load_manifests, Manifest};

/// The manifest's default location under a repository root.
pub const DEFAULT_MANIFEST: &str = ".keytrace/identities.toml";

/// A calendar day (proleptic Gregorian), ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u8,
    /// Day, 1..=31.
    pub day: u8,
}

impl Date {
    /// A checked date.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days_in)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`, also the date part of an RFC 3339 timestamp.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let b = s.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        if b.len() > 10 && !matches!(b[10], b'T' | b't' | b' ') {
            return None;
        }
        let year = s.get(0..4)?.parse().ok()?;
        let month = s.get(5..7)?.parse().ok()?;
        let day = s.get(8..10)?.parse().ok()?;
        Date::new(year, month, day)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// This date plus `days`.
    pub fn plus_days(self, days: i64) -> Date {
        Date::from_days(self.to_days() + days)
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.to_days() - self.to_days()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Today: `KEYTRACE_TODAY` (`YYYY-MM-DD`) when set, else the system clock in UTC.
pub fn today() -> anyhow::Result<Date> {
    if let Some(v) = std::env::var_os("KEYTRACE_TODAY") {
        let v = v.to_string_lossy();
        return Date::parse(&v).ok_or_else(|| {
            anyhow::anyhow!("KEYTRACE_TODAY={v}: expected a date such as 2026-01-31")
        });
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Ok(Date::from_days((secs / 86_400) as i64))
}

/// The manifest files to use: the explicit ones, else the default file under the scan
/// root or the enclosing repository's root, if one exists.
pub fn manifest_paths(explicit: &[PathBuf], root: Option<&Path>) -> Vec<PathBuf> {
    if !explicit.is_empty() {
        return explicit.to_vec();
    }
    let start = match root {
        Some(r) if r.is_dir() => r.to_owned(),
        Some(r) => r
            .parent()
            .map(Path::to_owned)
            .unwrap_or_else(|| PathBuf::from(".")),
        None => PathBuf::from("."),
    };
    // The scan root as given first (so messages show the path the user typed).
    let direct = start.join(DEFAULT_MANIFEST);
    if direct.is_file() {
        return vec![direct];
    }
    let start = std::fs::canonicalize(&start).unwrap_or(start);
    // Then up to the repository root (the directory holding `.git`), so
    // `keytrace scan src/` in a repository still finds the repository's manifest.
    for dir in start.ancestors() {
        let candidate = dir.join(DEFAULT_MANIFEST);
        if candidate.is_file() {
            return vec![candidate];
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    Vec::new()
}

/// Which `nhi` subcommand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Lint the manifest and report what is due.
    Check,
    /// The inventory report.
    Report,
    /// Draft entries for unowned findings.
    Init,
}

/// Output format of the `nhi` subcommands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NhiFormat {
    /// For a terminal.
    Text,
    /// For a pull request, a wiki or an audit file.
    Markdown,
    /// For tools.
    Json,
}

/// What `keytrace nhi ...` was asked to do (built by `config::build_nhi`).
#[derive(Debug, Clone)]
pub struct NhiOptions {
    /// The subcommand.
    pub action: Action,
    /// Output format.
    pub format: NhiFormat,
    /// The repository or folder scanned.
    pub root: PathBuf,
    /// The manifest files in effect (may be empty).
    pub manifests: Vec<PathBuf>,
    /// Where `init --write` appends.
    pub write_to: PathBuf,
    /// `init --write`.
    pub write: bool,
    /// Scan the history instead of the working tree.
    pub history: bool,
    /// The equivalent `keytrace scan` command line, for the scan behind report and init.
    pub scan_argv: Vec<String>,
}

/// Correlates a scan's findings with the manifest as of today (see [`correlate::apply`]),
/// after dropping the manifest's own public key ids, which a scan of the repository
/// otherwise reports as findings in the manifest file.
pub fn correlate_scan(
    manifest: Option<&Manifest>,
    findings: &mut Vec<crate::finding::Finding>,
) -> anyhow::Result<()> {
    if let Some(m) = manifest {
        let names: Vec<String> = m
            .files
            .iter()
            .filter_map(|f| Path::new(f).file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        findings.retain(|f| {
            let in_manifest = f.path.ends_with(DEFAULT_MANIFEST)
                || names
                    .iter()
                    .any(|n| f.path.rsplit('/').next() == Some(n.as_str()));
            !(in_manifest && manifest::is_public_id_rule(&f.rule_id))
        });
    }
    let today = today()?;
    apply(manifest, findings, today);
    Ok(())
}

/// Runs `keytrace nhi check|report|init`. `build_scan` turns `keytrace scan` arguments
/// into a scan configuration (loading and validating the manifests on the way).
pub fn run_command(
    opts: &NhiOptions,
    build_scan: &dyn Fn(&[String]) -> anyhow::Result<crate::config::ScanConfig>,
) -> anyhow::Result<crate::run::Exit> {
    use std::io::Write as _;

    use crate::run::Exit;
    let today = today()?;
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    if opts.action == Action::Check && opts.manifests.is_empty() {
        anyhow::bail!(
            "no NHI manifest: expected {} under {} (give one with --manifest, or draft one with `keytrace nhi init --write`)",
            DEFAULT_MANIFEST,
            opts.root.display()
        );
    }
    let cfg = match build_scan(&opts.scan_argv) {
        Ok(cfg) => cfg,
        Err(e) => {
            if let Some(errors) = e.downcast_ref::<manifest::ManifestErrors>() {
                report::write_manifest_errors(&mut w, errors, opts.format)?;
                w.flush()?;
                return Ok(Exit::Error);
            }
            return Err(e);
        }
    };
    let code = match opts.action {
        Action::Check => {
            let empty = Manifest::default();
            let m = cfg.manifest.as_ref().unwrap_or(&empty);
            let due = report::due_items(m, today);
            report::write_check(&mut w, m, &due, today, opts.format)?;
            if due.iter().any(|d| d.counts) {
                Exit::Findings
            } else {
                Exit::Clean
            }
        }
        Action::Report => {
            let out = crate::run::collect(&cfg)?;
            let inv = report::inventory(cfg.manifest.as_ref(), &out.findings, today, &opts.root);
            report::write_report(&mut w, &inv, opts.format)?;
            for e in &out.errors {
                eprintln!("keytrace: error: {}", crate::report::sanitize(e));
            }
            if !out.errors.is_empty() {
                Exit::Error
            } else if out.findings.is_empty() {
                Exit::Clean
            } else {
                Exit::Findings
            }
        }
        Action::Init => {
            let out = crate::run::collect(&cfg)?;
            let drafts = init::drafts(cfg.manifest.as_ref(), &out.findings, today, &opts.root);
            let text = init::render(&drafts);
            if opts.write {
                init::append(&opts.write_to, &text, &cfg.engine)?;
                eprintln!(
                    "keytrace: appended {} draft identit{} to {}: fill in owner and purpose, then run `keytrace nhi check`",
                    drafts.len(),
                    if drafts.len() == 1 { "y" } else { "ies" },
                    crate::report::sanitize(&opts.write_to.display().to_string())
                );
            } else {
                write!(w, "{text}")?;
                if drafts.is_empty() {
                    eprintln!("keytrace: no unowned findings: nothing to draft");
                }
            }
            for e in &out.errors {
                eprintln!("keytrace: error: {}", crate::report::sanitize(e));
            }
            if out.errors.is_empty() {
                Exit::Clean
            } else {
                Exit::Error
            }
        }
    };
    w.flush()?;
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_order() {
        for s in [
            "1970-01-01",
            "2000-02-29",
            "2026-10-01",
            "2024-12-31",
            "1969-12-31",
        ] {
            let d = Date::parse(s).unwrap();
            assert_eq!(d.to_string(), s);
            assert_eq!(Date::from_days(d.to_days()), d);
        }
        assert_eq!(Date::parse("1970-01-01").unwrap().to_days(), 0);
        assert_eq!(
            Date::parse("2026-01-31").unwrap().plus_days(1).to_string(),
            "2026-02-01"
        );
        assert!(Date::parse("2026-02-29").is_none());
        assert!(Date::parse("2026-13-01").is_none());
        assert!(Date::parse("26-1-1").is_none());
        assert_eq!(
            Date::parse("2026-03-04T10:00:00+02:00")
                .unwrap()
                .to_string(),
            "2026-03-04"
        );
        assert!(Date::parse("2026-01-01").unwrap() < Date::parse("2026-01-02").unwrap());
    }
}
