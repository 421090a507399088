//! Runs a parsed command line and decides the exit code: 0 nothing found, 1 findings,
//! 2 error (2 wins over 1: findings are still reported when an input could not be read).

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;

use anyhow::Context as _;

use crate::cli::{Cli, Command, RulesCommand, ScanArgs};
use crate::config::{self, Target};
use crate::report::{self, RenderOptions};
use crate::rules::{self, check, RulePack};
use crate::source;

/// The process outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Nothing found.
    Clean = 0,
    /// Findings reported.
    Findings = 1,
    /// An error: bad arguments or config, or an input that could not be read.
    Error = 2,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// Whether an error is a closed stdout (`keytrace scan | head`), which exits 0.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Runs one command.
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    match cli.command {
        Command::Scan(args) => scan(&args),
        Command::Rules { command } => rules_command(command),
        Command::Hook { command } => hook_command(command),
        Command::Nhi { command } => {
            let opts = config::build_nhi(command)?;
            crate::nhi::run_command(&opts, &config::build_from_argv)
        }
        Command::Fingerprint => {
            let mut secret = Vec::new();
            io::stdin()
                .read_to_end(&mut secret)
                .context("failed to read standard input")?;
            // A trailing newline from `echo` is not part of the secret.
            while secret.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
                secret.pop();
            }
            println!("{}", crate::finding::fingerprint(&secret));
            Ok(Exit::Clean)
        }
    }
}

/// Runs the configured source and correlates its findings with the NHI manifest (owner,
/// flags, rotation guidance). Findings stay in path/line order; [`crate::nhi::rank_cmp`]
/// orders them for annotations and summaries.
pub fn collect(cfg: &config::ScanConfig) -> anyhow::Result<crate::scan::ScanOutput> {
    let mut out = match &cfg.target {
        Target::Stdin => {
            source::stdin::scan(&cfg.engine, io::stdin().lock(), "-", cfg.max_file_size)
        }
        Target::Worktree(root) => {
            let opts = source::worktree::WorktreeOptions {
                max_file_size: cfg.max_file_size,
                threads: cfg.threads,
                scan_binaries: cfg.scan_binaries,
            };
            source::worktree::scan(&cfg.engine, root, &opts)
        }
        Target::Staged(repo) => source::git::staged::scan(&cfg.engine, repo, &cfg.git_options())?,
        Target::Range { repo, base, head } => {
            source::git::range::scan(&cfg.engine, repo, base, head, &cfg.git_options())?
        }
        Target::History(repo) => source::git::history::scan(&cfg.engine, repo, &cfg.git_options())?,
    };
    crate::nhi::correlate_scan(cfg.manifest.as_ref(), &mut out.findings)?;
    Ok(out)
}

/// `keytrace hook install|uninstall`: prints what was done (or the husky/lefthook snippet).
fn hook_command(cmd: crate::cli::HookCommand) -> anyhow::Result<Exit> {
    use crate::cli::HookCommand;
    let outcome = match cmd {
        HookCommand::Install {
            uninstall: false,
            path,
        } => crate::hook::install(&path)?,
        HookCommand::Install {
            uninstall: true,
            path,
        }
        | HookCommand::Uninstall { path } => crate::hook::uninstall(&path)?,
    };
    print!("{outcome}");
    io::stdout().flush()?;
    Ok(Exit::Clean)
}

/// The source kind a scan target produces (names the SARIF category even with no findings).
fn source_kind(target: &Target) -> crate::finding::SourceKind {
    use crate::finding::SourceKind;
    match target {
        Target::Worktree(_) => SourceKind::Worktree,
        Target::Stdin => SourceKind::Stdin,
        Target::Staged(_) => SourceKind::Staged,
        Target::Range { .. } => SourceKind::Range,
        Target::History(_) => SourceKind::History,
    }
}

/// Creates `path` and writes it through a buffer; errors name the file.
fn write_file(
    path: &std::path::Path,
    body: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> anyhow::Result<()> {
    let file =
        File::create(path).with_context(|| format!("failed to create {}", path.display()))?;
    let mut w = BufWriter::new(file);
    body(&mut w)
        .and_then(|()| w.flush())
        .with_context(|| format!("failed to write {}", path.display()))
}

fn scan(args: &ScanArgs) -> anyhow::Result<Exit> {
    let cfg = config::build(args)?;
    let mut out = collect(&cfg)?;
    if cfg.show_secrets {
        for f in &mut out.findings {
            f.secret = Some(String::from_utf8_lossy(&f.secret_bytes).into_owned());
        }
    }
    let mut opts = RenderOptions::new(cfg.format);
    opts.color = cfg.color;
    opts.mode = source_kind(&cfg.target);
    opts.category = cfg.category.clone();
    opts.sarif_history = cfg.sarif_history.clone();
    opts.max_annotations = cfg.max_annotations;
    let pack = &cfg.engine.pack;
    match &cfg.output {
        Some(path) => write_file(path, |w| report::write(w, &out, &out.findings, pack, &opts))?,
        None => {
            let stdout = io::stdout();
            let mut w = BufWriter::new(stdout.lock());
            report::write(&mut w, &out, &out.findings, pack, &opts)?;
            w.flush()?;
        }
    }
    // Code scanning cannot show findings gone from HEAD: they get their own SARIF file.
    let history_only = out
        .findings
        .iter()
        .filter(|f| f.in_head == Some(false))
        .count();
    if let Some(path) = &cfg.sarif_history {
        write_file(path, |w| {
            report::sarif::write(
                w,
                &out,
                &out.findings,
                pack,
                &opts,
                report::sarif::Part::HistoryOnly,
            )
        })?;
    } else if cfg.format == report::Format::Sarif && history_only > 0 && !cfg.quiet {
        eprintln!(
            "keytrace: note: {history_only} findings exist only in history and are not in the \
             SARIF file; --sarif-history FILE writes them to a second one"
        );
    }
    for e in &out.errors {
        eprintln!("keytrace: error: {e}");
    }
    if !cfg.quiet {
        for n in &out.notes {
            eprintln!("keytrace: note: {}", report::sanitize(n));
        }
        eprintln!("{}", report::summary_line(&out, out.findings.len()));
    }
    Ok(if !out.errors.is_empty() {
        Exit::Error
    } else if out.findings.is_empty() {
        Exit::Clean
    } else {
        Exit::Findings
    })
}

fn rules_command(cmd: RulesCommand) -> anyhow::Result<Exit> {
    match cmd {
        RulesCommand::List {
            keywords,
            json,
            config,
        } => {
            let loaded = config::load_optional(config.as_deref(), None)?;
            let pack = config::build_pack(
                loaded.as_ref().map(|(f, c, t)| (f.as_str(), c, t.as_str())),
                &[],
            )?;
            let stdout = io::stdout();
            let mut w = BufWriter::new(stdout.lock());
            if keywords {
                let mut all: Vec<String> = pack
                    .rules()
                    .iter()
                    .flat_map(|r| r.spec.keywords.iter().map(|k| k.to_ascii_lowercase()))
                    .collect();
                all.sort();
                all.dedup();
                for k in all {
                    writeln!(w, "{k}")?;
                }
            } else if json {
                let specs: Vec<_> = pack.rules().iter().map(|r| &r.spec).collect();
                serde_json::to_writer_pretty(&mut w, &specs)?;
                writeln!(w)?;
            } else {
                for r in pack.rules() {
                    writeln!(
                        w,
                        "{:<40} {:<9} {:<16} {}",
                        r.spec.id,
                        r.spec.severity.as_str(),
                        r.spec.provider,
                        r.spec.name
                    )?;
                }
                let mut providers: Vec<&str> = pack
                    .rules()
                    .iter()
                    .map(|r| r.spec.provider.as_str())
                    .collect();
                providers.sort_unstable();
                providers.dedup();
                writeln!(
                    w,
                    "{} rules, {} providers",
                    pack.rules().len(),
                    providers.len()
                )?;
            }
            w.flush()?;
            Ok(Exit::Clean)
        }
        RulesCommand::Check { files, rules: only } => {
            let mut pack = if files.is_empty() {
                RulePack::builtin()
            } else {
                let mut all = Vec::new();
                for f in &files {
                    all.extend(rules::load_rule_file(f)?);
                }
                RulePack::from_rules(all)
            };
            if !only.is_empty() {
                pack.retain_selected(&only);
            }
            let problems = check::check_pack(&pack);
            for p in &problems {
                println!("{}", report::sanitize(&p.to_string()));
            }
            let mut providers: Vec<&str> = pack
                .rules()
                .iter()
                .map(|r| r.spec.provider.as_str())
                .collect();
            providers.sort_unstable();
            providers.dedup();
            eprintln!(
                "keytrace: checked {} rules over {} providers: {} problems",
                pack.rules().len(),
                providers.len(),
                problems.len()
            );
            Ok(if problems.is_empty() {
                Exit::Clean
            } else {
                Exit::Findings
            })
        }
    }
}
