//! Turns what the user typed (`cli`) plus `.keytrace/config.toml` into a validated
//! [`ScanConfig`]: rules loaded and checked, paths resolved, formats chosen.
//!
//! The config file:
//!
//! ```toml
//! [scan]
//! max_file_size = 10485760      # bytes (0: no limit)
//! baseline = ".keytrace/baseline.json"   # the default, when it exists
//! [allow]
//! paths = ["testdata/**"]       # never scanned (gitignore patterns: `*` stays in a directory, `**` crosses)
//! values = ["not-a-secret"]     # secret values never reported
//! [rules]
//! disable = ["generic."]        # rule ids or prefixes
//! [[rule]]                      # extra rules, same format as patterns/*.toml
//! ```

pub mod gitleaks;
pub mod nhi;
pub mod render;
pub mod repos;

pub use render::{build_render, RenderConfig};

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use serde::Deserialize;

use crate::cli::{BaselineArgs, OutputArgs, ScanArgs};
use crate::engine::Engine;
use crate::matcher::MatchOptions;
use crate::report::{Format, RenderOptions};
use crate::rules::{fmt_line, line_of, line_of_rule, Origin, Rule, RulePack, RuleSpec};
use crate::source::ReadLimits;

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
    /// The baseline file, relative to the repository root (default
    /// `.keytrace/baseline.json` when it exists); `--baseline` overrides it.
    pub baseline: Option<PathBuf>,
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
        /// The remote pushed to (the hook's first argument), when given.
        remote: Option<String>,
    },
    /// What pre-commit's pre-push stage pushes: the commits reachable from `tip` and from
    /// none of `hidden` nor of the remote-tracking refs of `remote` (every remote's: None).
    Unpushed {
        /// The repository.
        repo: PathBuf,
        /// The pushed tip.
        tip: String,
        /// Commits the remote has (pre-commit's from-ref).
        hidden: Vec<String>,
        /// The remote pushed to.
        remote: Option<String>,
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
    /// Several files or folders, each scanned whole from the working tree.
    Files(Vec<PathBuf>),
}

impl Target {
    /// The repository or folder the target is in (None for standard input).
    pub fn root(&self) -> Option<&Path> {
        match self {
            Target::Worktree(p)
            | Target::Staged(p)
            | Target::History(p)
            | Target::Range { repo: p, .. }
            | Target::Pushed { repo: p, .. }
            | Target::Unpushed { repo: p, .. } => Some(p.as_path()),
            // Named files (pre-commit runs hooks in the repository root): `.keytrace/` is here.
            Target::Files(_) => Some(Path::new(".")),
            Target::Stdin => None,
        }
    }

    /// The source kind the target produces (names the SARIF category even with no
    /// findings).
    pub fn source_kind(&self) -> crate::finding::SourceKind {
        use crate::finding::SourceKind;
        match self {
            Target::Worktree(_) | Target::Files(_) => SourceKind::Worktree,
            Target::Stdin => SourceKind::Stdin,
            Target::Staged(_) => SourceKind::Staged,
            Target::Range { .. } | Target::Pushed { .. } | Target::Unpushed { .. } => {
                SourceKind::Range
            }
            Target::History(_) => SourceKind::History,
        }
    }
}

/// Everything a scan needs, validated.
pub struct ScanConfig {
    /// What to scan.
    target: Target,
    /// The engine (rules, automaton, allow lists).
    engine: Engine,
    /// Where the report goes (stdout when None).
    output: Option<PathBuf>,
    /// Format, colour, SARIF category and history file, annotation cap (the mode is set
    /// from the target when rendering).
    render: RenderOptions,
    /// Print secrets in clear.
    show_secrets: bool,
    /// Worker threads, resolved once here (`--threads`, else one per core; at least 1).
    threads: usize,
    /// Size limit, chunk size and binaries, the same for every source.
    limits: ReadLimits,
    /// The repository root, absolute (None outside a repository): working-tree paths are
    /// reported relative to it whatever folder is scanned (issue 12, item 6).
    repo_root: Option<PathBuf>,
    /// History: every ref.
    all_refs: bool,
    /// History: report unreachable blobs too.
    include_unreachable: bool,
    /// History: the folder of the incremental state (`--state`).
    state: Option<PathBuf>,
    /// History: search delta-stored blobs only where they differ from their base.
    delta_aware: bool,
    /// History: provenance from the tree graph (unless `--provenance-walk`).
    provenance_graph: bool,
    /// No summary line.
    quiet: bool,
    /// The NHI manifests, merged (None when there is none: no correlation).
    manifest: Option<crate::nhi::Manifest>,
    /// The ignore file, `.gitleaksignore`, the baseline: applied after the scan.
    suppress: crate::suppress::Suppressor,
    /// `--report-unused-ignores`.
    report_unused_ignores: bool,
    /// Parts of an imported gitleaks config that were skipped (each printed; exit 2).
    config_problems: Vec<String>,
    /// Parts of an imported gitleaks config that were ignored or approximated (printed).
    config_warnings: Vec<String>,
}

impl ScanConfig {
    /// What to scan.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The engine (rules, automaton, allow lists).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The output format.
    pub fn format(&self) -> Format {
        self.render.format
    }

    /// Where the report goes (stdout when None).
    pub fn output(&self) -> Option<&Path> {
        self.output.as_deref()
    }

    /// `--sarif-history`: the second SARIF file, for findings only in history.
    pub fn sarif_history(&self) -> Option<&Path> {
        self.render.sarif_history.as_deref()
    }

    /// Print secrets in clear.
    pub fn show_secrets(&self) -> bool {
        self.show_secrets
    }

    /// No summary line.
    pub fn quiet(&self) -> bool {
        self.quiet
    }

    /// The NHI manifests, merged (None when there is none: no correlation).
    pub fn manifest(&self) -> Option<&crate::nhi::Manifest> {
        self.manifest.as_ref()
    }

    /// The ignore file, `.gitleaksignore`, the baseline: applied after the scan.
    pub fn suppress(&self) -> &crate::suppress::Suppressor {
        &self.suppress
    }

    /// Drops the baseline from what is suppressed (`keytrace baseline` writes a new one
    /// from everything found).
    pub fn without_baseline(mut self) -> ScanConfig {
        self.suppress.baseline = None;
        self
    }

    /// `--report-unused-ignores`.
    pub fn report_unused_ignores(&self) -> bool {
        self.report_unused_ignores
    }

    /// Parts of an imported gitleaks config that were skipped (each printed; exit 2).
    pub fn config_problems(&self) -> &[String] {
        &self.config_problems
    }

    /// Parts of an imported gitleaks config that were ignored or approximated (printed).
    pub fn config_warnings(&self) -> &[String] {
        &self.config_warnings
    }

    /// How every source reads its inputs.
    pub fn read_limits(&self) -> ReadLimits {
        self.limits
    }

    /// Options for a working-tree scan of `path`: its findings are named relative to the
    /// repository root, so `scan deploy` reports `deploy/app.env` as `scan .` does.
    pub fn worktree_options(&self, path: &Path) -> crate::source::worktree::WorktreeOptions {
        crate::source::worktree::WorktreeOptions {
            limits: self.limits,
            threads: self.threads,
            base: self
                .repo_root
                .as_deref()
                .and_then(|root| relative_to_root(root, path)),
        }
    }

    /// How the report is rendered: format, colour, SARIF category and history file,
    /// annotation cap, and the scan mode (which names the SARIF category even without
    /// findings).
    pub fn render_options(&self) -> RenderOptions {
        let mut opts = self.render.clone();
        opts.mode = self.target.source_kind();
        opts
    }

    /// Options for the git sources.
    /// The folder of the incremental history state (`--state`), if any.
    pub fn state_dir(&self) -> Option<&Path> {
        self.state.as_deref()
    }

    pub fn git_options(&self) -> crate::source::git::GitOptions {
        crate::source::git::GitOptions {
            limits: self.limits,
            threads: self.threads,
            include_unreachable: self.include_unreachable,
            delta_aware: self.delta_aware,
            provenance_graph: self.provenance_graph,
            all_refs: self.all_refs,
        }
    }
}

/// The root of the git repository holding `path` (a folder or file, relative to the
/// current folder or absolute), found like git finds it: the nearest folder, `path`'s own
/// or an ancestor, holding `.git` (a folder, or a file in a worktree). Absolute.
pub fn find_repo_root(path: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(path).ok()?;
    let start = if abs.is_dir() {
        abs.as_path()
    } else {
        abs.parent()?
    };
    start
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_owned)
}

/// The git directory (a bare repository, or a `.git` folder) that `path` is or is inside,
/// if any: a folder holding `HEAD`, `objects/` and `refs/`.
fn inside_git_dir(path: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(path).ok()?;
    abs.ancestors()
        .find(|d| d.join("HEAD").is_file() && d.join("objects").is_dir() && d.join("refs").is_dir())
        .map(|d| {
            // Shown as the user typed it when that is the git directory itself.
            if d == abs {
                path.to_owned()
            } else {
                d.to_owned()
            }
        })
}

/// `path` relative to the repository `root`, `/`-separated, or None when it is the root
/// itself or outside it.
fn relative_to_root(root: &Path, path: &Path) -> Option<String> {
    let abs = std::fs::canonicalize(path).ok()?;
    let rel = abs.strip_prefix(root).ok()?;
    if rel.as_os_str().is_empty() {
        return None;
    }
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// Where `.keytrace/` is read for `target`: the root of the repository it is in, shown
/// relative to the current folder when that is inside it (`..` from a subfolder, so
/// messages name `../.keytrace/ignore.toml`), else the target's own folder outside any
/// repository (issue 12, item 6).
fn keytrace_root(target: &Target) -> Option<PathBuf> {
    let given = target.root()?;
    let Some(repo) = find_repo_root(given) else {
        return Some(given.to_owned());
    };
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|c| std::fs::canonicalize(c).ok());
    if let Some(depth) = cwd
        .as_deref()
        .and_then(|c| c.strip_prefix(&repo).ok())
        .map(|rel| rel.components().count())
    {
        if depth == 0 {
            return Some(PathBuf::from("."));
        }
        return Some(std::iter::repeat_n("..", depth).collect());
    }
    Some(repo)
}

/// Loads the manifests for a scan: `explicit` files, else the default one under `root`
/// (none is fine: no correlation then). The engine checks that a manifest holds no secret
/// and that its rule selectors name rules in effect.
pub fn load_manifest(
    explicit: &[PathBuf],
    root: Option<&Path>,
    engine: &Engine,
) -> anyhow::Result<Option<crate::nhi::Manifest>> {
    let paths = crate::nhi::manifest_paths(explicit, root);
    if paths.is_empty() {
        return Ok(None);
    }
    let scanner = ManifestScanner(engine);
    Ok(Some(crate::nhi::load_manifests(&paths, Some(&scanner))?))
}

/// The scan engine as the manifest linter's [`crate::nhi::manifest::Scanner`]: `nhi`
/// never depends on the engine, it is handed this.
pub struct ManifestScanner<'a>(pub &'a Engine);

impl crate::nhi::manifest::Scanner for ManifestScanner<'_> {
    fn pack(&self) -> &RulePack {
        self.0.pack()
    }

    fn findings(&self, data: &[u8], path: &str) -> Vec<crate::finding::Finding> {
        let mut worker = self.0.worker();
        worker.scan(data, path, crate::finding::SourceKind::Worktree, None);
        worker.out
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
        // toml's message spans lines ("invalid table header\nexpected ..."): one sentence.
        let message: Vec<&str> = e.message().lines().map(str::trim).collect();
        anyhow::anyhow!(
            "invalid config file {file}{}: {}. Fix the file and run keytrace again.",
            fmt_line(line),
            message.join("; ")
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

/// What to scan, from the mode flags (and, under pre-commit's pre-push stage, the pushed
/// refs in the environment).
fn target(args: &ScanArgs) -> anyhow::Result<Target> {
    let range = match (&args.git.range, &args.git.since_commit) {
        (Some(r), _) => Some(crate::source::git::range::parse_range(r)?),
        (None, Some(base)) => Some((base.clone(), "HEAD".to_owned())),
        (None, None) => None,
    };
    let pre_commit_push = if args.staged && range.is_none() {
        // With file names (pre-commit's pass_filenames) the repository is the current
        // folder: pre-commit runs hooks in the repository root.
        let repo = if args.more_paths.is_empty() && !args.path.is_file() {
            args.path.as_path()
        } else {
            Path::new(".")
        };
        pre_commit_push_target(repo, &|name| std::env::var(name).ok())
    } else {
        None
    };
    Ok(if args.pre_push {
        let mut input = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut input)
            .context("failed to read the pre-push refs on standard input")?;
        Target::Pushed {
            repo: args.path.clone(),
            input,
            remote: args.remote.clone(),
        }
    } else if let Some(t) = pre_commit_push {
        t
    } else if let Some(t) = named_files_target(args)? {
        t
    } else if let Some((base, head)) = range {
        Target::Range {
            repo: args.path.clone(),
            base,
            head,
        }
    } else if args.staged {
        Target::Staged(args.path.clone())
    } else if args.git.history {
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
        if let Some(git_dir) = inside_git_dir(&args.path) {
            // Git's own files (objects, refs, logs) are not a working tree: walking them
            // reports compressed noise and misses the committed content (issue 12, item 13).
            bail!(
                "{} is inside the git directory {} (a bare repository or `.git`), not a \
                 working tree. Scan its commits with `keytrace scan --history {}` (or \
                 --range), or scan a checkout.",
                args.path.display(),
                git_dir.display(),
                git_dir.display()
            );
        }
        Target::Worktree(args.path.clone())
    })
}

/// What the config file allows: `[allow]` paths (compiled) and values.
type Allowed = (Option<crate::pathmatch::PathMatcher>, Vec<Vec<u8>>);

/// The config file's `[allow]` paths and values, and its `[scan]` size limit.
fn allow_section(
    loaded: Option<&(String, ConfigFile, String)>,
) -> anyhow::Result<(Allowed, Option<u64>)> {
    Ok(match loaded {
        Some((file, cfg, _)) => {
            let globs = if cfg.allow.paths.is_empty() {
                None
            } else {
                Some(
                    crate::pathmatch::PathMatcher::new(&cfg.allow.paths).map_err(|e| {
                        anyhow::anyhow!("invalid config file {file}: field `allow.paths`: {e}")
                    })?,
                )
            };
            let values = cfg.allow.values.iter().map(|v| v.as_bytes().to_vec());
            ((globs, values.collect()), cfg.scan.max_file_size)
        }
        None => ((None, Vec::new()), None),
    })
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
    let target = target(args)?;
    let keytrace_root = keytrace_root(&target);
    let root = keytrace_root.as_deref();
    let repo_root = target.root().and_then(find_repo_root);
    // `--config` may name a gitleaks config (`[[rules]]`, `[extend]`, `[allowlist]`).
    let mut gitleaks = match args.search.config.as_deref() {
        Some(p) => crate::config::gitleaks::load_if_gitleaks(p)?,
        None => None,
    };
    let loaded = match gitleaks {
        Some(_) => None,
        None => load_optional(args.search.config.as_deref(), root)?,
    };
    let pack = match gitleaks.as_mut() {
        Some(g) => {
            let mut pack = g.take_pack();
            select_rules(&mut pack, &args.search.rules)?;
            pack
        }
        None => build_pack(
            loaded.as_ref().map(|(f, c, t)| (f.as_str(), c, t.as_str())),
            &args.search.rules,
        )?,
    };
    let ((allow_paths, allow_values), cfg_max) = allow_section(loaded.as_ref())?;
    let engine = Engine::new(
        pack,
        MatchOptions {
            inline_ignores: !args.search.no_inline_ignores,
            small_inputs: match &target {
                Target::Staged(_) | Target::Stdin => true,
                Target::Files(files) => files.len() <= 16,
                Target::Worktree(p) => p.is_file(),
                Target::Range { .. }
                | Target::Pushed { .. }
                | Target::Unpushed { .. }
                | Target::History(_) => false,
            },
        },
        allow_paths,
        allow_values,
    )?;
    let mut engine = engine.with_decode_depth(args.search.decode_depth);
    let baseline = baseline_file(args.baseline.as_deref(), loaded.as_ref(), root);
    let mut suppress = crate::suppress::Suppressor::load(root, baseline.as_deref())?;
    let (mut config_problems, mut config_warnings) = (Vec::new(), Vec::new());
    if let Some(g) = gitleaks {
        engine = engine.with_match_filter(g.filter);
        suppress.post_allowlists = g.post;
        config_problems = g.problems;
        config_warnings = g.warnings;
    }
    let render = crate::config::render::render_options(&args.out)?;
    let manifest = load_manifest(&args.manifests, root, &engine)?;
    Ok(ScanConfig {
        manifest,
        suppress,
        report_unused_ignores: args.report_unused_ignores,
        config_problems,
        config_warnings,
        target,
        engine,
        output: args.out.output.clone(),
        render,
        show_secrets: args.show_secrets,
        threads: match args.search.threads {
            Some(n) if n > 0 => n,
            _ => std::thread::available_parallelism().map_or(1, |n| n.get()),
        },
        limits: ReadLimits {
            max_file_size: match args
                .search
                .max_file_size
                .or(cfg_max)
                .unwrap_or(DEFAULT_MAX_FILE_SIZE)
            {
                0 => u64::MAX,
                n => n,
            },
            chunk_size,
            scan_binaries: args.search.scan_binaries,
        },
        repo_root,
        all_refs: args.git.all,
        include_unreachable: args.git.include_unreachable,
        state: args.state.clone(),
        delta_aware: !args.git.no_delta,
        provenance_graph: !args.provenance_walk,
        quiet: args.search.quiet,
    })
}

/// A scan of several named files (issue 12, item 2): `keytrace scan A B ...`, and
/// `--staged` given file names, as pre-commit's `pass_filenames` gives them. For `--staged`
/// the names decide: when every file named is staged (a commit), the index is scanned as
/// usual; when one is not, this is a run over files (`pre-commit run --all-files` or
/// `--files`, in CI or by hand) and the files are scanned whole from the working tree, so
/// such a run never passes having scanned nothing. `None`: one path, scanned as before.
fn named_files_target(args: &ScanArgs) -> anyhow::Result<Option<Target>> {
    let staged_files = args.staged && (!args.more_paths.is_empty() || args.path.is_file());
    if args.more_paths.is_empty() && !staged_files {
        return Ok(None);
    }
    if args.pre_push
        || args.git.history
        || args.git.range.is_some()
        || args.git.since_commit.is_some()
    {
        bail!("several paths can be scanned only from the working tree or with --staged");
    }
    let files: Vec<PathBuf> = std::iter::once(&args.path)
        .chain(&args.more_paths)
        .cloned()
        .collect();
    if files.iter().any(|f| f.as_os_str() == "-") {
        bail!("`-` (standard input) cannot be scanned together with other paths");
    }
    if staged_files {
        let staged = crate::source::git::staged::staged_paths(Path::new("."))?;
        let is_staged = |f: &PathBuf| {
            let name = f.to_string_lossy().replace('\\', "/");
            let name = name.strip_prefix("./").unwrap_or(&name);
            staged.iter().any(|s| s == name)
        };
        if files.iter().all(is_staged) {
            return Ok(Some(Target::Staged(PathBuf::from("."))));
        }
    }
    for f in &files {
        if std::fs::symlink_metadata(f).is_err() {
            bail!("cannot scan {}: no such file or directory", f.display());
        }
    }
    Ok(Some(Target::Files(files)))
}

/// The baseline to apply: `--baseline`, else the config's `[scan] baseline` (relative to
/// the scan root, where `.keytrace/` is), else none here: [`crate::suppress::Suppressor`]
/// then reads `.keytrace/baseline.json` when it exists.
fn baseline_file(
    explicit: Option<&Path>,
    loaded: Option<&(String, ConfigFile, String)>,
    root: Option<&Path>,
) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_owned());
    }
    let configured = loaded.and_then(|(_, cfg, _)| cfg.scan.baseline.as_deref())?;
    let dir = crate::suppress::root_dir(root);
    Some(if configured.is_absolute() || dir == Path::new(".") {
        configured.to_owned()
    } else {
        dir.join(configured)
    })
}

/// What `scan --staged` scans when the pre-commit framework runs it from a push (issue 12,
/// item 1), from the variables pre-commit exports (`env` reads one; `None`: unset).
///
/// Staged content is never what a push sends, so under the pre-push stage the target is
/// the commits being pushed, whether or not pre-commit computed a range:
/// - `PRE_COMMIT_REMOTE_NAME` (with `PRE_COMMIT_LOCAL_BRANCH`, `PRE_COMMIT_REMOTE_BRANCH`,
///   `PRE_COMMIT_REMOTE_URL`) is set only by a `git push` through pre-commit's pre-push
///   hook. The commits reachable from `PRE_COMMIT_TO_REF` (the pushed sha), else
///   `PRE_COMMIT_LOCAL_BRANCH`, else HEAD, and from neither `PRE_COMMIT_FROM_REF` nor any
///   ref under `refs/remotes/$PRE_COMMIT_REMOTE_NAME/` are scanned. On a first push
///   (a new branch, an empty remote) pre-commit sets no from-ref: the remote-tracking
///   refs alone mark what the remote has.
/// - `PRE_COMMIT_FROM_REF` and `PRE_COMMIT_TO_REF` without a remote (`pre-commit run
///   --from-ref A --to-ref B`, common in CI): the range A..B.
/// - Neither: the commit stage, `None` (the index is scanned).
pub fn pre_commit_push_target(repo: &Path, env: &dyn Fn(&str) -> Option<String>) -> Option<Target> {
    let var = |name: &str| env(name).filter(|v| !v.is_empty());
    let (from, to) = (var("PRE_COMMIT_FROM_REF"), var("PRE_COMMIT_TO_REF"));
    let remote = var("PRE_COMMIT_REMOTE_NAME");
    let local_branch = var("PRE_COMMIT_LOCAL_BRANCH");
    if remote.is_some() || local_branch.is_some() {
        return Some(Target::Unpushed {
            repo: repo.to_owned(),
            tip: to.or(local_branch).unwrap_or_else(|| "HEAD".to_owned()),
            hidden: from.into_iter().collect(),
            remote,
        });
    }
    match (from, to) {
        (Some(base), Some(head)) => Some(Target::Range {
            repo: repo.to_owned(),
            base,
            head,
        }),
        _ => None,
    }
}

/// The arguments of the `keytrace scan` that `keytrace baseline` runs: the git and search
/// groups it shares with `scan`, its output file, and every flag it does not offer at its
/// command-line default (spelled out field by field, so a new scan flag does not compile
/// until it is decided here).
pub fn baseline_scan_args(a: &BaselineArgs) -> ScanArgs {
    ScanArgs {
        path: a.path.clone(),
        repos: None,
        shard: None,
        shard_count: None,
        list_repos: false,
        more_paths: Vec::new(),
        remote: None,
        staged: a.staged,
        pre_push: false,
        git: a.git.clone(),
        provenance_walk: false,
        state: None,
        out: OutputArgs {
            output: a.output.clone(),
            ..OutputArgs::default()
        },
        search: a.search.clone(),
        manifests: Vec::new(),
        baseline: None,
        report_unused_ignores: false,
        redact: false,
        show_secrets: false,
        chunk_size: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn pre_commit_push_stage_is_told_by_its_environment() {
        let repo = Path::new(".");
        // The commit stage: nothing exported.
        assert!(pre_commit_push_target(repo, &env_of(&[])).is_none());
        // A first push: remote variables, no range.
        let t = pre_commit_push_target(
            repo,
            &env_of(&[
                ("PRE_COMMIT_REMOTE_NAME", "origin"),
                ("PRE_COMMIT_REMOTE_URL", "git@example.test:a/b"),
                ("PRE_COMMIT_LOCAL_BRANCH", "refs/heads/main"),
                ("PRE_COMMIT_REMOTE_BRANCH", "refs/heads/main"),
            ]),
        );
        assert!(
            matches!(&t, Some(Target::Unpushed { tip, hidden, remote, .. })
                if tip == "refs/heads/main" && hidden.is_empty() && remote.as_deref() == Some("origin")),
            "{t:?}"
        );
        // A push with pre-commit's range: the pushed sha, hiding the from-ref too.
        let t = pre_commit_push_target(
            repo,
            &env_of(&[
                ("PRE_COMMIT_REMOTE_NAME", "origin"),
                ("PRE_COMMIT_LOCAL_BRANCH", "refs/heads/topic"),
                ("PRE_COMMIT_FROM_REF", "aaaa"),
                ("PRE_COMMIT_TO_REF", "bbbb"),
            ]),
        );
        assert!(
            matches!(&t, Some(Target::Unpushed { tip, hidden, .. }) if tip == "bbbb" && hidden == &["aaaa"]),
            "{t:?}"
        );
        // `pre-commit run --from-ref A --to-ref B`: that range.
        let t = pre_commit_push_target(
            repo,
            &env_of(&[("PRE_COMMIT_FROM_REF", "a"), ("PRE_COMMIT_TO_REF", "b")]),
        );
        assert!(
            matches!(&t, Some(Target::Range { base, head, .. }) if base == "a" && head == "b"),
            "{t:?}"
        );
    }

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
