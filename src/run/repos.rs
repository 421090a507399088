//! `scan --history --repos FILE`: many local repositories in one run, one after another,
//! each with all cores (memory is bounded by the largest repository, not the sum). Each
//! repository is configured from its own `.keytrace/` (rules, ignore file, baseline,
//! manifest), so its findings are owned per its own manifest. One repository that cannot
//! be scanned is reported and the rest go on; the run then exits 2.

use std::io::Write as _;

use super::{apply_suppression, collect, print_config_messages, write_outputs, Exit};
use crate::cli::ScanArgs;
use crate::config::{self, repos::RepoEntry};
use crate::engine::ScanOutput;
use crate::escape::sanitize;
use crate::report::json::Repository;

/// Scans the repositories of the list (this run's shard of it) and writes one report.
pub fn scan(args: &ScanArgs) -> anyhow::Result<Exit> {
    let plan = config::repos::plan(args)?;
    if args.list_repos {
        return list(&plan.repos);
    }
    let render = config::repos::render_config(args)?;
    if !args.search.quiet {
        let share = match plan.shard {
            Some(s) => format!(" (shard {}/{} of {})", s.index, s.count, plan.listed),
            None => String::new(),
        };
        eprintln!(
            "keytrace: {} to scan{share}",
            crate::plural::count(plan.repos.len(), "repository", "repositories")
        );
    }
    let start = std::time::Instant::now();
    let mut total = ScanOutput::default();
    let mut repositories = Vec::with_capacity(plan.repos.len());
    let mut pack_rules = Vec::new();
    for entry in &plan.repos {
        if crate::progress::interrupted() {
            break;
        }
        let mut repo = Repository {
            name: entry.name.clone(),
            location: entry.location.clone(),
            uri: config::repos::uri_of(entry),
            revision: crate::source::git::head_commit(&entry.path),
            error: None,
        };
        match scan_one(args, entry) {
            Ok((out, rules)) => {
                if !args.search.quiet {
                    eprintln!(
                        "keytrace: {}: {}",
                        sanitize(&entry.name),
                        crate::report::summary_line(&out, out.findings.len())
                            .trim_start_matches("keytrace: ")
                    );
                }
                absorb(&mut total, out, &entry.name);
                for r in rules {
                    if !pack_rules
                        .iter()
                        .any(|x: &crate::rules::RuleSpec| x.id == r.id)
                    {
                        pack_rules.push(r);
                    }
                }
            }
            Err(e) => {
                let msg = format!("{e:#}");
                eprintln!(
                    "keytrace: error: repository {}: {}",
                    sanitize(&entry.name),
                    sanitize(&msg)
                );
                total.errors.push(crate::engine::ScanError::new(
                    format!("repository {}", entry.name),
                    &msg,
                ));
                repo.error = Some(msg);
            }
        }
        repositories.push(repo);
    }
    total.findings.sort_by(|a, b| {
        (a.repository.as_deref(), a.sort_key()).cmp(&(b.repository.as_deref(), b.sort_key()))
    });
    total.elapsed = start.elapsed();
    // By name, as `merge` lists them, so shards merged equal one unsharded run.
    repositories.sort_by(|a: &Repository, b: &Repository| a.name.cmp(&b.name));
    let pack = describing_pack(pack_rules)?;
    let mut opts = render.opts.clone();
    opts.repositories = repositories;
    write_outputs(
        &total,
        &pack,
        &opts,
        render.output.as_deref(),
        args.search.quiet,
    )?;
    if !args.search.quiet {
        let failed = opts
            .repositories
            .iter()
            .filter(|r| r.error.is_some())
            .count();
        eprintln!(
            "keytrace: {} repositories scanned, {failed} failed; {}",
            opts.repositories.len(),
            crate::report::summary_line(&total, total.findings.len())
                .trim_start_matches("keytrace: ")
        );
    }
    std::io::stderr().flush()?;
    if crate::progress::interrupted() {
        eprintln!("keytrace: interrupted: the report covers only the repositories scanned");
        return Ok(Exit::Interrupted);
    }
    Ok(if !total.errors.is_empty() {
        Exit::Error
    } else if total.findings.is_empty() {
        Exit::Clean
    } else {
        Exit::Findings
    })
}

/// `--list-repos`: this run's share of the list, `LOCATION NAME` a line.
fn list(repos: &[RepoEntry]) -> anyhow::Result<Exit> {
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    for e in repos {
        writeln!(w, "{} {}", sanitize(&e.location), sanitize(&e.name))?;
    }
    w.flush()?;
    Ok(Exit::Clean)
}

/// SARIF describes each rule a finding references: the rules of every repository's pack
/// that found something (a repository's own config can add rules), never run.
fn describing_pack(specs: Vec<crate::rules::RuleSpec>) -> anyhow::Result<crate::rules::RulePack> {
    let mut rules = Vec::with_capacity(specs.len());
    for spec in specs {
        let origin = crate::rules::Origin {
            file: "repositories".to_owned(),
            builtin: false,
        };
        rules.push(crate::rules::Rule::new(spec, origin)?);
    }
    Ok(crate::rules::RulePack::from_rules(rules))
}

/// Scans one repository with its own configuration; returns its output and the specs of
/// the rules its findings reference.
fn scan_one(
    args: &ScanArgs,
    entry: &RepoEntry,
) -> anyhow::Result<(ScanOutput, Vec<crate::rules::RuleSpec>)> {
    let mut one = config::repos::args_for(args, entry);
    // A mirror has no files on disk: its manifest is read from HEAD's tree, so its
    // findings are owned per its own manifest as a working clone's are.
    let _manifest = match (one.manifests.is_empty(), mirror_manifest(entry)?) {
        (true, Some(file)) => {
            one.manifests.push(file.path.clone());
            Some(file)
        }
        _ => None,
    };
    let cfg = config::build(&one)?;
    print_config_messages(&cfg);
    let mut out = collect(&cfg)?;
    apply_suppression(&cfg, &mut out);
    if !cfg.config_problems().is_empty() {
        out.errors.extend(
            cfg.config_problems()
                .iter()
                .map(crate::engine::ScanError::general),
        );
    }
    if cfg.show_secrets() {
        for f in &mut out.findings {
            f.secret = Some(f.secret_bytes.clone());
        }
    }
    let mut rules = Vec::new();
    for f in &out.findings {
        if rules
            .iter()
            .any(|r: &crate::rules::RuleSpec| r.id == f.rule_id)
        {
            continue;
        }
        if let Some(r) = cfg
            .engine()
            .pack()
            .rules()
            .iter()
            .find(|r| r.spec.id == f.rule_id)
        {
            rules.push(r.spec.clone());
        }
    }
    Ok((out, rules))
}

/// Adds one repository's output to the run's: findings tagged with the repository,
/// errors and notes prefixed with its name, counters summed.
fn absorb(total: &mut ScanOutput, out: ScanOutput, name: &str) {
    total.add_counts(&out);
    total.findings.extend(out.findings.into_iter().map(|mut f| {
        f.repository = Some(name.to_owned());
        f
    }));
    total.errors.extend(
        out.errors
            .into_iter()
            .map(|e| crate::engine::ScanError::new(name, e)),
    );
    total
        .notes
        .extend(out.notes.into_iter().map(|n| format!("{name}: {n}")));
}

/// A manifest copied out of a bare repository's HEAD, removed when dropped.
struct TempManifest {
    path: std::path::PathBuf,
}

impl Drop for TempManifest {
    fn drop(&mut self) {
        // Best effort: a leftover file in the temp folder holds no secret (a manifest
        // lists identities and fingerprints, not credentials).
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The `.keytrace/identities.toml` of a bare repository's HEAD, copied to a temporary
/// file named after the repository (errors in it then name the repository).
fn mirror_manifest(entry: &RepoEntry) -> anyhow::Result<Option<TempManifest>> {
    let Some(bytes) = crate::source::git::bare_head_file(&entry.path, crate::nhi::DEFAULT_MANIFEST)
        .unwrap_or(None)
    else {
        return Ok(None);
    };
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let slug: String = entry
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let path = std::env::temp_dir().join(format!(
        "keytrace-{}-{}-{slug}-identities.toml",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    std::fs::write(&path, bytes)
        .map_err(|e| anyhow::anyhow!("failed to write {}: {e}", path.display()))?;
    Ok(Some(TempManifest { path }))
}
