//! Turns what the user typed (`cli`) plus `.keytrace/config.toml` into a validated
//! [`ScanConfig`]: rules loaded and checked, paths resolved, formats chosen.
//!
//! The config file:
//!
//! ```toml
//! [scan]
//! max_file_size = 10485760      # bytes (0: no limit)
//! [allow]
//! paths = ["testdata/**"]       # never scanned (gitignore-style globs)
//! values = ["not-a-secret"]     # secret values never reported
//! [rules]
//! disable = ["generic."]        # rule ids or prefixes
//! [[rule]]                      # extra rules, same format as patterns/*.toml
//! ```

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use serde::Deserialize;

use crate::cli::{ColorArg, FormatArg, ScanArgs};
use crate::matcher::MatchOptions;
use crate::report::Format;
use crate::rules::{self, fmt_line, line_of, line_of_rule, Origin, Rule, RulePack, RuleSpec};
use crate::scan::Engine;

/// Default `--max-file-size`: 50 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 50 << 20;

/// `.keytrace/config.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Scan settings.
    #[serde(default)]
    pub scan: ScanSection,
    /// Global allow list.
    #[serde(default)]
    pub allow: AllowSection,
    /// Rule selection.
    #[serde(default)]
    pub rules: RulesSection,
    /// Extra rules.
    #[serde(default, rename = "rule")]
    pub rule: Vec<RuleSpec>,
}

/// `[scan]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanSection {
    /// Skip files larger than this many bytes (0: no limit).
    pub max_file_size: Option<u64>,
}

/// `[allow]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowSection {
    /// Paths never scanned.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Secret values never reported.
    #[serde(default)]
    pub values: Vec<String>,
}

/// `[rules]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesSection {
    /// Rule ids or prefixes to turn off.
    #[serde(default)]
    pub disable: Vec<String>,
}

/// What to scan.
#[derive(Debug, Clone)]
pub enum Target {
    /// A directory or file.
    Worktree(PathBuf),
    /// Standard input.
    Stdin,
    /// The index against HEAD of the repository at the path.
    Staged(PathBuf),
    /// What a push sends, from git's pre-push input.
    Pushed {
        /// The repository.
        repo: PathBuf,
        /// The lines git gave the pre-push hook.
        input: String,
    },
    /// The commits of BASE..HEAD.
    Range {
        /// The repository.
        repo: PathBuf,
        /// Excluded tip.
        base: String,
        /// Included tip.
        head: String,
    },
    /// Every committed blob.
    History(PathBuf),
}

/// Everything a scan needs, validated.
pub struct ScanConfig {
    /// What to scan.
    pub target: Target,
    /// The engine (rules, automaton, allow lists).
    pub engine: Engine,
    /// Output format and colour.
    pub format: Format,
    /// Colour the text format.
    pub color: bool,
    /// Where the report goes (stdout when None).
    pub output: Option<PathBuf>,
    /// `--sarif-history`: the second SARIF file, for findings only in history.
    pub sarif_history: Option<PathBuf>,
    /// `--category`: the SARIF category.
    pub category: Option<String>,
    /// `--max-annotations`: annotations per level (github format).
    pub max_annotations: usize,
    /// Print secrets in clear.
    pub show_secrets: bool,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Size limit per file (`u64::MAX`: none).
    pub max_file_size: u64,
    /// Files and stdin are read in chunks of this size.
    pub chunk_size: usize,
    /// Scan binaries too.
    pub scan_binaries: bool,
    /// History: every ref.
    pub all_refs: bool,
    /// History: report unreachable blobs too.
    pub include_unreachable: bool,
    /// History: search delta-stored blobs only where they differ from their base.
    pub delta_aware: bool,
    /// No summary line.
    pub quiet: bool,
    /// The NHI manifests, merged (None when there is none: no correlation).
    pub manifest: Option<crate::nhi::Manifest>,
    /// The ignore file, `.gitleaksignore`, the baseline: applied after the scan.
    pub suppress: crate::suppress::Suppressor,
    /// `--report-unused-ignores`.
    pub report_unused_ignores: bool,
    /// Parts of an imported gitleaks config that were skipped (each printed; exit 2).
    pub config_problems: Vec<String>,
    /// Parts of an imported gitleaks config that were ignored or approximated (printed).
    pub config_warnings: Vec<String>,
}

impl ScanConfig {
    /// Options for the git sources.
    pub fn git_options(&self) -> crate::source::git::GitOptions {
        crate::source::git::GitOptions {
            max_file_size: self.max_file_size,
            threads: self.threads,
            scan_binaries: self.scan_binaries,
            include_unreachable: self.include_unreachable,
            delta_aware: self.delta_aware,
            all_refs: self.all_refs,
        }
    }
}

/// Reads and validates a config file; errors name the file, line and field.
pub fn load_config_file(path: &Path) -> anyhow::Result<ConfigFile> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("failed to read config file {file}"))?;
    parse_config(&file, &text)
}

/// Parses config text (see [`load_config_file`]).
pub fn parse_config(file: &str, text: &str) -> anyhow::Result<ConfigFile> {
    toml::from_str::<ConfigFile>(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        anyhow::anyhow!(
            "invalid config file {file}{}: {}",
            fmt_line(line),
            e.message()
        )
    })
}

/// Builds the rule pack: built-ins, minus disabled ones, plus the config's rules (each
/// compiled now so a broken user regex is an error up front, with file, line and rule).
pub fn build_pack(
    config: Option<(&str, &ConfigFile, &str)>,
    only: &[String],
) -> anyhow::Result<RulePack> {
    let mut pack = RulePack::builtin();
    // The config-file pass's rules (issue 13) join the pack, so `rules.disable` and
    // `rules list` see them.
    pack.extend(crate::matcher::configfile::rules());
    if let Some((file, cfg, text)) = config {
        let unused = pack.disable(&cfg.rules.disable);
        if let Some(u) = unused.first() {
            bail!("invalid config file {file}: field `rules.disable`: `{u}` matches no rule");
        }
        let mut extra = Vec::new();
        for spec in &cfg.rule {
            let line = line_of_rule(text, &spec.id);
            let rule = Rule::new(
                spec.clone(),
                Origin {
                    file: file.to_owned(),
                    builtin: false,
                },
            )
            .with_context(|| format!("invalid rule in {file}{}", fmt_line(line)))?;
            if let Err(e) = rule.compiled() {
                bail!(
                    "invalid rule in {file}{}: rule `{}`: {e}",
                    fmt_line(line),
                    spec.id
                );
            }
            extra.push(rule);
        }
        pack.extend(extra);
    }
    select_rules(&mut pack, only)?;
    Ok(pack)
}

/// `--rule`: keeps only the selected rules (ids or prefixes); none selected is an error.
fn select_rules(pack: &mut RulePack, only: &[String]) -> anyhow::Result<()> {
    if !only.is_empty() {
        pack.retain_selected(only);
        if pack.rules().is_empty() {
            bail!(
                "--rule {}: no rule has that id or prefix (see `keytrace rules list`)",
                only.join(", ")
            );
        }
    }
    Ok(())
}

/// Finds the config file: `--config`, else `.keytrace/config.toml` in the scan root.
fn find_config(explicit: Option<&Path>, root: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_owned());
    }
    let dir = match root {
        Some(r) if r.is_dir() => r.to_owned(),
        _ => PathBuf::from("."),
    };
    let candidate = dir.join(".keytrace").join("config.toml");
    candidate.is_file().then_some(candidate)
}

/// Loads the config file at `explicit` or the default location, with its text.
pub fn load_optional(
    explicit: Option<&Path>,
    root: Option<&Path>,
) -> anyhow::Result<Option<(String, ConfigFile, String)>> {
    let Some(path) = find_config(explicit, root) else {
        return Ok(None);
    };
    let file = path.display().to_string();
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("failed to read config file {file}"))?;
    let cfg = parse_config(&file, &text)?;
    Ok(Some((file, cfg, text)))
}

/// Builds the scan configuration from arguments.
pub fn build(args: &ScanArgs) -> anyhow::Result<ScanConfig> {
    use crate::source::chunked::{DEFAULT_CHUNK_SIZE, MIN_CHUNK_SIZE};
    let chunk_size = match args.chunk_size {
        None => DEFAULT_CHUNK_SIZE,
        Some(n) if n < MIN_CHUNK_SIZE => {
            bail!("--chunk-size {n}: a chunk must hold at least {MIN_CHUNK_SIZE} bytes")
        }
        Some(n) => n,
    };
    let range = match (&args.range, &args.since_commit) {
        (Some(r), _) => Some(crate::source::git::range::parse_range(r)?),
        (None, Some(base)) => Some((base.clone(), "HEAD".to_owned())),
        (None, None) => None,
    };
    // pre-commit's pre-push stage runs the `--staged` entry with the pushed refs in the
    // environment: scan exactly what is pushed.
    let pushed = match (
        std::env::var("PRE_COMMIT_FROM_REF"),
        std::env::var("PRE_COMMIT_TO_REF"),
    ) {
        (Ok(from), Ok(to)) if args.staged && !from.is_empty() && !to.is_empty() => Some((from, to)),
        _ => None,
    };
    let target = if args.pre_push {
        let mut input = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut input)
            .context("failed to read the pre-push refs on standard input")?;
        Target::Pushed {
            repo: args.path.clone(),
            input,
        }
    } else if let Some((base, head)) = range.or(pushed) {
        Target::Range {
            repo: args.path.clone(),
            base,
            head,
        }
    } else if args.staged {
        Target::Staged(args.path.clone())
    } else if args.history {
        Target::History(args.path.clone())
    } else if args.path.as_os_str() == "-" {
        Target::Stdin
    } else {
        if std::fs::symlink_metadata(&args.path).is_err() {
            bail!(
                "cannot scan {}: no such file or directory",
                args.path.display()
            );
        }
        Target::Worktree(args.path.clone())
    };
    let root = match &target {
        Target::Worktree(p)
        | Target::Staged(p)
        | Target::History(p)
        | Target::Range { repo: p, .. }
        | Target::Pushed { repo: p, .. } => Some(p.as_path()),
        Target::Stdin => None,
    };
    // `--config` may name a gitleaks config (`[[rules]]`, `[extend]`, `[allowlist]`).
    let mut gitleaks = match args.config.as_deref() {
        Some(p) => crate::gitleaks::load_if_gitleaks(p)?,
        None => None,
    };
    let loaded = match gitleaks {
        Some(_) => None,
        None => load_optional(args.config.as_deref(), root)?,
    };
    let pack = match gitleaks.as_mut() {
        Some(g) => {
            let mut pack = g.take_pack();
            select_rules(&mut pack, &args.rules)?;
            pack
        }
        None => build_pack(
            loaded.as_ref().map(|(f, c, t)| (f.as_str(), c, t.as_str())),
            &args.rules,
        )?,
    };
    let (allow_paths, allow_values, cfg_max) = match &loaded {
        Some((file, cfg, _)) => {
            let globs =
                if cfg.allow.paths.is_empty() {
                    None
                } else {
                    Some(rules::build_globset(&cfg.allow.paths).with_context(|| {
                        format!("invalid config file {file}: field `allow.paths`")
                    })?)
                };
            (
                globs,
                cfg.allow
                    .values
                    .iter()
                    .map(|v| v.as_bytes().to_vec())
                    .collect(),
                cfg.scan.max_file_size,
            )
        }
        None => (None, Vec::new(), None),
    };
    let mut engine = Engine::new(
        pack,
        MatchOptions {
            inline_ignores: !args.no_inline_ignores,
            small_inputs: match &target {
                Target::Staged(_) | Target::Stdin => true,
                Target::Worktree(p) => p.is_file(),
                Target::Range { .. } | Target::Pushed { .. } | Target::History(_) => false,
            },
        },
        allow_paths,
        allow_values,
    )?;
    engine.decode_depth = args.decode_depth;
    let mut suppress = crate::suppress::Suppressor::load(root, args.baseline.as_deref())?;
    let (mut config_problems, mut config_warnings) = (Vec::new(), Vec::new());
    if let Some(g) = gitleaks {
        let filter = g.filter;
        engine.match_filter = (!filter.is_empty()).then_some(filter);
        suppress.post_allowlists = g.post;
        config_problems = g.problems;
        config_warnings = g.warnings;
    }
    let format = match args.format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Github => Format::Github,
        FormatArg::Markdown => Format::Markdown,
    };
    if args.sarif_history.is_some() && format != Format::Sarif {
        bail!("--sarif-history FILE needs --format sarif");
    }
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            args.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let manifest_root = match &target {
        Target::Worktree(p) | Target::Staged(p) | Target::History(p) => Some(p.as_path()),
        Target::Range { repo, .. } | Target::Pushed { repo, .. } => Some(repo.as_path()),
        Target::Stdin => None,
    };
    let manifest = crate::nhi::manifest::load_for_scan(&args.manifests, manifest_root, &engine)?;
    Ok(ScanConfig {
        manifest,
        suppress,
        report_unused_ignores: args.report_unused_ignores,
        config_problems,
        config_warnings,
        target,
        engine,
        format,
        color,
        output: args.output.clone(),
        sarif_history: args.sarif_history.clone(),
        category: args.category.clone(),
        max_annotations: args.max_annotations,
        show_secrets: args.show_secrets,
        threads: args.threads.unwrap_or(0),
        max_file_size: match args
            .max_file_size
            .or(cfg_max)
            .unwrap_or(DEFAULT_MAX_FILE_SIZE)
        {
            0 => u64::MAX,
            n => n,
        },
        chunk_size,
        scan_binaries: args.scan_binaries,
        all_refs: args.all,
        include_unreachable: args.include_unreachable,
        delta_aware: !args.no_delta,
        quiet: args.quiet,
    })
}

/// Builds a scan configuration from a `keytrace scan ...` command line (the scan behind
/// `nhi report` and `nhi init`).
pub fn build_from_argv(argv: &[String]) -> anyhow::Result<ScanConfig> {
    use clap::Parser as _;
    match crate::cli::Cli::try_parse_from(argv).context("internal: scan arguments for nhi")? {
        crate::cli::Cli {
            command: crate::cli::Command::Scan(args),
        } => build(&args),
        _ => bail!("internal: the nhi scan arguments are not a scan"),
    }
}

/// Turns `keytrace nhi ...` into [`crate::nhi::NhiOptions`]: the manifest files, where
/// `init --write` appends, and the scan (as `keytrace scan` arguments, so the scan is
/// configured exactly as `keytrace scan` would be).
pub fn build_nhi(cmd: crate::cli::NhiCommand) -> anyhow::Result<crate::nhi::NhiOptions> {
    use crate::cli::{NhiCommand, NhiFormatArg};
    use crate::nhi::{Action, NhiFormat};
    let (action, args) = match cmd {
        NhiCommand::Check(a) => (Action::Check, a),
        NhiCommand::Report(a) => (Action::Report, a),
        NhiCommand::Init(a) => (Action::Init, a),
    };
    if args.write && action != Action::Init {
        bail!("--write only applies to `keytrace nhi init`");
    }
    let manifests = crate::nhi::manifest_paths(&args.manifests, Some(&args.path));
    let write_to = match args.manifests.last() {
        Some(m) => m.clone(),
        None => manifests.last().cloned().unwrap_or_else(|| {
            let root = if args.path.is_dir() {
                args.path.clone()
            } else {
                PathBuf::from(".")
            };
            root.join(crate::nhi::DEFAULT_MANIFEST)
        }),
    };
    let mut scan_argv: Vec<String> = vec!["keytrace".into(), "scan".into()];
    scan_argv.push(args.path.display().to_string());
    if args.history {
        scan_argv.push("--history".into());
    }
    // Only existing files: `init --write` may be about to create the manifest.
    for m in manifests.iter().filter(|m| m.is_file()) {
        scan_argv.push("--manifest".into());
        scan_argv.push(m.display().to_string());
    }
    if let Some(c) = &args.config {
        scan_argv.push("--config".into());
        scan_argv.push(c.display().to_string());
    }
    Ok(crate::nhi::NhiOptions {
        action,
        format: match args.format {
            NhiFormatArg::Text => NhiFormat::Text,
            NhiFormatArg::Markdown => NhiFormat::Markdown,
            NhiFormatArg::Json => NhiFormat::Json,
        },
        root: args.path.clone(),
        manifests,
        write_to,
        write: args.write,
        history: args.history,
        scan_argv,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_errors_name_line_and_field() {
        let err = parse_config("c.toml", "[scan]\nmax_file_size = \"big\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("c.toml") && err.contains("line 2"), "{err}");
        let err = parse_config("c.toml", "[allow]\npath = []\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("path"), "{err}");
    }

    #[test]
    fn broken_user_regex_names_rule_and_line() {
        let text = "[[rule]]\nid = \"my.rule\"\nname = \"n\"\nprovider = \"me\"\ncredential = \"generic\"\nseverity = \"low\"\nkeywords = [\"abc\"]\npattern = '(abc'\n";
        let cfg = parse_config("c.toml", text).unwrap();
        let err = build_pack(Some(("c.toml", &cfg, text)), &[]).unwrap_err();
        let msg = format!("{err:#}");
        assert!(
            msg.contains("c.toml")
                && msg.contains("line 2")
                && msg.contains("my.rule")
                && msg.contains("pattern"),
            "{msg}"
        );
    }
}
