//! Runs a parsed command line and decides the exit code: 0 nothing found, 1 findings,
//! 2 error (2 wins over 1: findings are still reported when an input could not be read).

pub mod hook;
pub mod nhi;
pub mod repos;

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;

use anyhow::Context as _;

use crate::cli::{Cli, Command, RulesCommand, ScanArgs};
use crate::config::{self, Target};
use crate::lint;
use crate::report;
use crate::rules::{self, RulePack};
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
    /// Stopped by Ctrl-C; what was scanned so far was reported.
    Interrupted = crate::progress::INTERRUPTED_EXIT as isize,
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
        Command::Baseline(args) => baseline_command(&config::baseline_scan_args(&args)),
        Command::Render(args) => render_command(&args, false),
        Command::Merge(args) => render_command(&args, true),
        Command::Rules { command } => rules_command(command),
        Command::Hook { command } => hook_command(command),
        Command::Nhi { command } => {
            let opts = config::nhi::build_nhi(command)?;
            nhi::run(&opts)
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
            // The fingerprint of nothing matches nothing: an empty stdin is a mistake
            // (issue 12, item 12), such as a variable that was not set.
            if secret.is_empty() {
                anyhow::bail!(
                    "no secret on standard input: pipe the secret in, for example \
                     `printf %s \"$SECRET\" | keytrace fingerprint`"
                );
            }
            println!("{}", crate::finding::fingerprint(&secret));
            Ok(Exit::Clean)
        }
    }
}

/// `keytrace hook install|uninstall`: prints what was done (or the husky/lefthook snippet).
fn hook_command(cmd: crate::cli::HookCommand) -> anyhow::Result<Exit> {
    use crate::cli::HookCommand;
    use crate::run::hook::Kind;
    let kind = |pre_push: bool| {
        if pre_push {
            Kind::PrePush
        } else {
            Kind::PreCommit
        }
    };
    let outcome = match cmd {
        HookCommand::Install {
            uninstall: false,
            pre_push,
            path,
        } => crate::run::hook::install_kind(&path, kind(pre_push))?,
        HookCommand::Install {
            uninstall: true,
            pre_push,
            path,
        }
        | HookCommand::Uninstall { pre_push, path } => {
            crate::run::hook::uninstall_kind(&path, kind(pre_push))?
        }
    };
    print!("{outcome}");
    io::stdout().flush()?;
    Ok(Exit::Clean)
}

/// Runs the configured source and correlates its findings with the NHI manifest (owner,
/// flags, rotation guidance). Findings stay in path/line order; [`crate::finding::rank_cmp`]
/// orders them for annotations and summaries.
pub fn collect(cfg: &config::ScanConfig) -> anyhow::Result<crate::engine::ScanOutput> {
    crate::progress::install_interrupt_handler();
    let mut out = crate::progress::with_progress(!cfg.quiet(), || -> anyhow::Result<_> {
        Ok(match cfg.target() {
            Target::Stdin => {
                source::stdin::scan(cfg.engine(), io::stdin(), "-", &cfg.read_limits())
            }
            Target::Worktree(root) => {
                source::worktree::scan(cfg.engine(), root, &cfg.worktree_options(root))
            }
            Target::Files(files) => scan_named_files(cfg, files),
            Target::Staged(repo) => {
                source::git::staged::scan(cfg.engine(), repo, &cfg.git_options())?
            }
            Target::Range { repo, base, head } => {
                source::git::range::scan(cfg.engine(), repo, base, head, &cfg.git_options())?
            }
            Target::History(repo) => match cfg.state_dir() {
                Some(dir) => {
                    source::git::history::state::scan(cfg.engine(), repo, &cfg.git_options(), dir)?
                }
                None => source::git::history::scan(cfg.engine(), repo, &cfg.git_options())?,
            },
            Target::Pushed {
                repo,
                input,
                remote,
            } => source::git::range::scan_pushed(
                cfg.engine(),
                repo,
                input,
                remote.as_deref(),
                &cfg.git_options(),
            )?,
            Target::Unpushed {
                repo,
                tip,
                hidden,
                remote,
            } => source::git::range::scan_unpushed(
                cfg.engine(),
                repo,
                tip,
                hidden,
                remote.as_deref(),
                &cfg.git_options(),
            )?,
        })
    })?;
    crate::nhi::correlate_scan(cfg.manifest(), &mut out.findings)?;
    Ok(out)
}

/// Scans several named files or folders (pre-commit's file names), each as a working-tree
/// scan of its own, and adds up what they found.
fn scan_named_files(
    cfg: &config::ScanConfig,
    files: &[std::path::PathBuf],
) -> crate::engine::ScanOutput {
    let mut total = crate::engine::ScanOutput::default();
    let start = std::time::Instant::now();
    for f in files {
        if crate::progress::interrupted() {
            break;
        }
        let out = source::worktree::scan(cfg.engine(), f, &cfg.worktree_options(f));
        total.add_counts(&out);
        total.findings.extend(out.findings);
        total.errors.extend(out.errors);
        total.notes.extend(out.notes);
    }
    total
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    total.elapsed = start.elapsed();
    total
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

/// Prints what loading the configuration found wrong, before the scan so it is seen first:
/// skipped gitleaks rules (errors: the run exits 2), ignored config keys, expired ignores.
fn print_config_messages(cfg: &config::ScanConfig) {
    let print = |level: &str, msg: &str| {
        for (i, line) in msg.lines().enumerate() {
            if i == 0 {
                eprintln!("keytrace: {level}: {}", crate::escape::sanitize(line));
            } else {
                eprintln!("    {}", crate::escape::sanitize(line));
            }
        }
    };
    for p in cfg.config_problems() {
        print("error", p);
    }
    for w in cfg.config_warnings().iter().chain(&cfg.suppress().warnings) {
        print("warning", w);
    }
}

/// Hides what the ignore file, `.gitleaksignore`, the baseline and commit allowlists
/// accept, counts it in the summary, and (`--report-unused-ignores`) lists the entries that
/// matched nothing. That list does not change the exit code: a partial scan (`--staged`, a
/// sub-folder) naturally leaves entries unused.
fn apply_suppression(cfg: &config::ScanConfig, out: &mut crate::engine::ScanOutput) {
    let outcome = cfg.suppress().apply(&mut out.findings);
    out.suppressed = outcome.counts;
    if cfg.report_unused_ignores() {
        for u in &outcome.unused {
            eprintln!("keytrace: unused ignore: {}", crate::escape::sanitize(u));
        }
        if outcome.unused.is_empty() {
            eprintln!("keytrace: no unused ignore entries");
        }
    }
}

/// `keytrace baseline`: scans like `scan` and writes the findings that remain after inline
/// ignores, the ignore file and `.gitleaksignore` (not filtered by any `--baseline`) as a
/// baseline. Exits 0 when written, 2 when an input could not be read.
fn baseline_command(args: &ScanArgs) -> anyhow::Result<Exit> {
    let cfg = config::build(args)?.without_baseline();
    print_config_messages(&cfg);
    let mut out = collect(&cfg)?;
    if crate::progress::interrupted() {
        // A baseline of part of the tree would look complete later: write none.
        eprintln!("keytrace: interrupted: no baseline written");
        return Ok(Exit::Interrupted);
    }
    apply_suppression(&cfg, &mut out);
    let text = crate::suppress::baseline::render(&out.findings);
    match cfg.output() {
        Some(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("failed to create {}", dir.display()))?;
            }
            write_file(path, |w| w.write_all(text.as_bytes()))?;
        }
        None => {
            let stdout = io::stdout();
            let mut w = stdout.lock();
            w.write_all(text.as_bytes())?;
            w.flush()?;
        }
    }
    for e in &out.errors {
        eprintln!("keytrace: error: {e}");
    }
    if !cfg.quiet() {
        eprintln!(
            "keytrace: baseline of {}{}",
            crate::plural::count(out.findings.len(), "finding", "findings"),
            cfg.output()
                .map(|p| format!(
                    " written to {}",
                    crate::escape::sanitize(&p.display().to_string())
                ))
                .unwrap_or_default()
        );
    }
    Ok(
        if !out.errors.is_empty() || !cfg.config_problems().is_empty() {
            Exit::Error
        } else {
            Exit::Clean
        },
    )
}

/// Writes the report of `out` (to `output`, else stdout) and, with `--sarif-history`, the
/// second SARIF file; `scan`, `render` and `merge` all end here, so rendering a saved
/// report gives the bytes the scan would have written.
fn write_outputs(
    out: &crate::engine::ScanOutput,
    pack: &RulePack,
    opts: &report::RenderOptions,
    output: Option<&std::path::Path>,
    quiet: bool,
) -> anyhow::Result<()> {
    match output {
        Some(path) => write_file(path, |w| report::write(w, out, &out.findings, pack, opts))?,
        None => {
            let stdout = io::stdout();
            let mut w = BufWriter::new(stdout.lock());
            report::write(&mut w, out, &out.findings, pack, opts)?;
            w.flush()?;
        }
    }
    // Code scanning cannot show findings gone from HEAD: they get their own SARIF file.
    let history_only = out
        .findings
        .iter()
        .filter(|f| f.in_head == Some(false))
        .count();
    if let Some(path) = &opts.sarif_history {
        write_file(path, |w| {
            report::sarif::write(
                w,
                out,
                &out.findings,
                pack,
                opts,
                report::sarif::Part::HistoryOnly,
            )
        })?;
    } else if opts.format == report::Format::Sarif && history_only > 0 && !quiet {
        eprintln!(
            "keytrace: note: {history_only} findings exist only in history and are not in the \
             SARIF file; --sarif-history FILE writes them to a second one"
        );
    }
    Ok(())
}

/// `keytrace render REPORT` and `keytrace merge REPORTS...`: reads saved JSON reports
/// (merged when several) and writes them in the chosen format. Exit code as the scan's:
/// 2 when a report records an error, else 1 with findings, else 0.
fn render_command(args: &crate::cli::RenderArgs, merge: bool) -> anyhow::Result<Exit> {
    let cfg = config::build_render(args, merge)?;
    let mut reports = Vec::with_capacity(cfg.reports.len());
    for path in &cfg.reports {
        reports.push(report::json::Report::read(path)?);
    }
    let mut merged = report::merge::merge(reports);
    let pack = merged.pack()?;
    let mut opts = cfg.opts.clone();
    opts.mode = merged.mode;
    opts.repositories = std::mem::take(&mut merged.repositories);
    let out = merged.take_output();
    write_outputs(&out, &pack, &opts, cfg.output.as_deref(), true)?;
    Ok(if !out.errors.is_empty() {
        Exit::Error
    } else if out.findings.is_empty() {
        Exit::Clean
    } else {
        Exit::Findings
    })
}

fn scan(args: &ScanArgs) -> anyhow::Result<Exit> {
    if args.repos.is_some() {
        return repos::scan(args);
    }
    let cfg = config::build(args)?;
    print_config_messages(&cfg);
    let mut out = collect(&cfg)?;
    apply_suppression(&cfg, &mut out);
    if cfg.show_secrets() {
        for f in &mut out.findings {
            f.secret = Some(f.secret_bytes.clone());
        }
    }
    let opts = cfg.render_options();
    write_outputs(&out, cfg.engine().pack(), &opts, cfg.output(), cfg.quiet())?;
    for e in &out.errors {
        eprintln!("keytrace: error: {e}");
    }
    if !cfg.quiet() {
        for n in &out.notes {
            eprintln!("keytrace: note: {}", crate::escape::sanitize(n));
        }
        eprintln!("{}", report::summary_line(&out, out.findings.len()));
    }
    if crate::progress::interrupted() {
        eprintln!("keytrace: interrupted: the scan stopped early; the report covers only what was scanned");
        return Ok(Exit::Interrupted);
    }
    Ok(
        if !out.errors.is_empty() || !cfg.config_problems().is_empty() {
            Exit::Error
        } else if out.findings.is_empty() {
            Exit::Clean
        } else {
            Exit::Findings
        },
    )
}

fn rules_command(cmd: RulesCommand) -> anyhow::Result<Exit> {
    match cmd {
        RulesCommand::List {
            keywords,
            json,
            config,
        } => {
            let gitleaks = match config.as_deref() {
                Some(p) => crate::config::gitleaks::load_if_gitleaks(p)?,
                None => None,
            };
            let pack = match gitleaks {
                // A gitleaks config: list what it imports; skipped rules are named.
                Some(mut g) => {
                    for p in &g.problems {
                        for (i, line) in p.lines().enumerate() {
                            let lead = if i == 0 { "keytrace: error: " } else { "    " };
                            eprintln!("{lead}{}", crate::escape::sanitize(line));
                        }
                    }
                    eprintln!("keytrace: {}", crate::escape::sanitize(&g.summary()));
                    g.take_pack()
                }
                None => {
                    let loaded = config::load_optional(config.as_deref(), None)?;
                    config::build_pack(
                        loaded.as_ref().map(|(f, c, t)| (f.as_str(), c, t.as_str())),
                        &[],
                    )?
                }
            };
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
                writeln!(
                    w,
                    "{} rules, {} providers",
                    pack.rules().len(),
                    pack.provider_count()
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
            let mut problems = lint::check_pack(&pack);
            // The built-in guides are checked against the whole built-in pack only: a rule
            // file or a --rule selection holds some rules, not every guide's.
            if files.is_empty() && only.is_empty() {
                problems.extend(lint::check_guides(&pack));
            }
            for p in &problems {
                println!("{}", crate::escape::sanitize(&p.to_string()));
            }
            eprintln!(
                "keytrace: checked {} rules over {} providers: {} problems",
                pack.rules().len(),
                pack.provider_count(),
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
