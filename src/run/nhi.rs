//! `keytrace nhi check|report|init`: loads the manifest and runs the scan through the
//! configuration, then hands findings and manifest to the `nhi` domain logic and prints.

use std::io::Write as _;

use super::{collect, Exit};
use crate::config::nhi::{Action, NhiOptions};
use crate::config::{self, ManifestScanner};
use crate::escape::sanitize;
use crate::nhi::manifest::ManifestErrors;
use crate::nhi::{init, report, Manifest, DEFAULT_MANIFEST};

/// Runs `keytrace nhi check|report|init`.
pub fn run(opts: &NhiOptions) -> anyhow::Result<Exit> {
    let today = crate::date::today()?;
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    if opts.action == Action::Check && opts.manifests.is_empty() {
        anyhow::bail!(
            "no NHI manifest: expected {} under {} (give one with --manifest, or draft one with `keytrace nhi init --write`)",
            DEFAULT_MANIFEST,
            opts.root.display()
        );
    }
    if opts.action == Action::Report && !opts.from.is_empty() {
        let code = org_report(&mut w, opts, today)?;
        w.flush()?;
        return Ok(code);
    }
    let cfg = match config::build(&opts.scan) {
        Ok(cfg) => cfg,
        Err(e) => {
            if let Some(errors) = e.downcast_ref::<ManifestErrors>() {
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
            let m = cfg.manifest().unwrap_or(&empty);
            let due = report::due_items(m, today);
            report::write_check(&mut w, m, &due, today, opts.format)?;
            if due.iter().any(|d| d.counts) {
                Exit::Findings
            } else {
                Exit::Clean
            }
        }
        Action::Report => {
            let out = collect(&cfg)?;
            let mut inv = report::inventory(cfg.manifest(), &out.findings, today, &opts.root);
            // The audit names its evidence: the commit and refs the scan read.
            let (commit, refs) =
                crate::source::git::scanned_refs(&opts.root, opts.scan.git.all).unzip();
            inv.scanned = Some(report::Scanned {
                source: if opts.scan.git.history {
                    "history"
                } else {
                    "worktree"
                }
                .to_owned(),
                path: opts.root.display().to_string(),
                commit,
                refs: refs.unwrap_or_default(),
            });
            match &opts.output {
                Some(path) => {
                    super::write_file(path, |f| report::write_report(f, &inv, opts.format))?
                }
                None => report::write_report(&mut w, &inv, opts.format)?,
            }
            for e in &out.errors {
                eprintln!("keytrace: error: {e}");
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
            let out = collect(&cfg)?;
            let drafts = init::drafts(cfg.manifest(), &out.findings, today, &opts.root);
            let text = init::render(&drafts);
            if opts.write {
                init::append(&opts.write_to, &text, &ManifestScanner(cfg.engine()))?;
                eprintln!(
                    "keytrace: appended {} to {}: fill in owner and purpose, then run `keytrace nhi check`",
                    crate::plural::count(drafts.len(), "draft identity", "draft identities"),
                    sanitize(&opts.write_to.display().to_string())
                );
            } else {
                write!(w, "{text}")?;
                if drafts.is_empty() {
                    eprintln!("keytrace: no unowned findings: nothing to draft");
                }
            }
            for e in &out.errors {
                eprintln!("keytrace: error: {e}");
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

/// `nhi report --from REPORTS...`: the organisation's inventory from saved JSON reports
/// (merged first, so overlapping reports count each finding once); no scan, no manifest:
/// each finding already carries its owner from its own repository's manifest.
fn org_report(
    w: &mut dyn std::io::Write,
    opts: &NhiOptions,
    today: crate::date::Date,
) -> anyhow::Result<Exit> {
    let mut reports = Vec::with_capacity(opts.from.len());
    for path in &opts.from {
        reports.push(crate::report::json::Report::read(path)?);
    }
    let merged = crate::report::merge::merge(reports);
    let repositories: Vec<(String, Option<String>)> = merged
        .repositories
        .iter()
        .map(|r| (r.name.clone(), r.error.clone()))
        .collect();
    let names = opts.from.iter().map(|p| p.display().to_string()).collect();
    let inv = report::org_inventory(&merged.findings, &repositories, names, today);
    report::write_org_report(w, &inv, opts.format)?;
    for e in &merged.summary.errors {
        eprintln!("keytrace: error: {}", sanitize(e));
    }
    Ok(if !merged.summary.errors.is_empty() {
        Exit::Error
    } else if merged.findings.is_empty() {
        Exit::Clean
    } else {
        Exit::Findings
    })
}
