//! Non-human identities: the manifest (`.keytrace/identities.toml`) that says who owns
//! each credential, correlation of findings with it, the inventory report, and drafting
//! entries for unowned findings.
//!
//! Pure domain logic over findings and a manifest: nothing here scans, parses arguments
//! or prints to a terminal (`run::nhi` does). Dates are [`crate::date::Date`] days.

pub mod correlate;
pub mod init;
pub mod manifest;
pub mod report;

use std::path::{Path, PathBuf};

use crate::finding::Finding;

pub use correlate::apply;
pub use manifest::{load_manifests, Manifest};

use crate::date::today;

/// The manifest's default location under a repository root.
pub const DEFAULT_MANIFEST: &str = ".keytrace/identities.toml";

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

/// Correlates a scan's findings with the manifest as of today (see [`correlate::apply`]),
/// after dropping the manifest's own public key ids, which a scan of the repository
/// otherwise reports as findings in the manifest file.
pub fn correlate_scan(
    manifest: Option<&Manifest>,
    findings: &mut Vec<Finding>,
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
