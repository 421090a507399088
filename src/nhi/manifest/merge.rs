//! Reading and merging several manifest files: a later file's identity replaces an
//! earlier one with the same id, and `[defaults]` apply to whatever does not set its own.

use std::path::PathBuf;

use super::lint::parse_manifest;
use super::model::{Defaults, Manifest, ManifestError, ManifestErrors, ManifestFile};
use super::Scanner;

/// Reads, validates and merges manifest files in order: a later file's identity replaces
/// an earlier one with the same id (and takes the later position, so it wins ties);
/// `[defaults]` fields of later files override earlier ones.
pub fn load_manifests(
    paths: &[PathBuf],
    scanner: Option<&dyn Scanner>,
) -> Result<Manifest, ManifestErrors> {
    let mut errors = Vec::new();
    let mut files = Vec::new();
    for path in paths {
        let file = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => match parse_manifest(&file, &text, scanner) {
                Ok(m) => files.push((file, m)),
                Err(e) => errors.extend(e),
            },
            Err(e) => errors.push(ManifestError {
                file: file.clone(),
                line: None,
                field: None,
                message: format!("failed to read manifest: {e}"),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(ManifestErrors(errors));
    }
    Ok(merge(files))
}

/// Merges parsed files (see [`load_manifests`]).
pub fn merge(files: Vec<(String, ManifestFile)>) -> Manifest {
    let mut defaults = Defaults::default();
    for (_, f) in &files {
        if let Some(d) = f.defaults.0 {
            defaults.review_interval_days = d;
        }
        if let Some(d) = f.defaults.1 {
            defaults.rotation_period_days = d;
        }
    }
    let mut out = Manifest::default();
    for (name, f) in files {
        out.files.push(name);
        for mut ident in f.identities {
            if ident.review.interval_days == 0 {
                ident.review.interval_days = defaults.review_interval_days;
            }
            for c in &mut ident.credentials {
                if c.rotation.period_days == 0 {
                    c.rotation.period_days = defaults.rotation_period_days;
                }
            }
            out.identities.retain(|i| i.id != ident.id);
            out.identities.push(ident);
        }
    }
    out
}
