//! The command line (clap derive): commands and flags, nothing else. Only this module and
//! `config.rs` know clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::github::DEFAULT_MAX_ANNOTATIONS;

/// Find credentials committed to git, tie each to the identity that owns it, and say how
/// to rotate it.
#[derive(Debug, Parser)]
#[command(name = "keytrace", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan a working tree, the index, a commit range, the history, or stdin (`-`).
    Scan(Box<ScanArgs>),
    /// List or lint rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Read a secret on stdin and print its fingerprint.
    Fingerprint,
    /// Scan (same arguments as `scan`) and write the findings as a baseline (JSON: one
    /// fingerprint, rule and path per line; no secrets, no line numbers) to stdout or -o.
    Baseline(BaselineArgs),
    /// Non-human identities: lint the manifest, report the inventory, draft entries.
    Nhi {
        #[command(subcommand)]
        command: NhiCommand,
    },
    /// Render a saved JSON report (`scan --format json`) in any format: scan once, then
    /// write the annotations, the summary and the SARIF file from that one result.
    Render(RenderArgs),
    /// Combine JSON reports (shards, repositories, runs) into one report in any format;
    /// a finding in several reports (same repository, secret, rule and place) is kept once.
    Merge(RenderArgs),
    /// Install or remove the git pre-commit (or pre-push) hook.
    Hook {
        #[command(subcommand)]
        command: HookCommand,
    },
}

#[derive(Debug, Clone, Args)]
pub struct ScanArgs {
    /// Directory or file to scan, or `-` for standard input (with a git mode: the repository).
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// More files or folders to scan, each whole from the working tree. With --staged
    /// (pre-commit's `pass_filenames`): the index when every file named is staged, else
    /// these files (a `pre-commit run --all-files` or `--files`).
    #[arg(value_name = "MORE")]
    pub more_paths: Vec<PathBuf>,

    /// Scan what the next commit adds: the index against HEAD (pre-commit). Under the
    /// pre-commit framework's pre-push stage (PRE_COMMIT_REMOTE_NAME set), the commits
    /// being pushed; with PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF alone, that range.
    #[arg(long, conflicts_with_all = ["range", "since_commit", "history"])]
    pub staged: bool,

    /// Scan what `git push` sends: reads git's pre-push input (`<local ref> <local sha>
    /// <remote ref> <remote sha>` lines) on stdin; a new branch scans the commits no
    /// remote-tracking ref has.
    #[arg(long, conflicts_with_all = ["staged", "range", "since_commit", "history"])]
    pub pre_push: bool,

    /// With --pre-push: the remote pushed to (the hook's first argument). A new branch then
    /// scans the commits that no ref under refs/remotes/REMOTE/ has (default: no remote's).
    #[arg(long, value_name = "REMOTE", requires = "pre_push")]
    pub remote: Option<String>,

    #[command(flatten)]
    pub git: GitArgs,

    /// With --history: locate findings by reading every commit's trees again instead of
    /// from the tree graph recorded during the scan (the default). Same results, slower;
    /// kept for the differential tests that prove the graph exact, so hidden.
    #[arg(long, requires = "history", hide = true)]
    pub provenance_walk: bool,

    /// With --history: keep what was scanned in DIR and, on the next run, scan only what
    /// commits not reachable from the recorded tips added; the report is still the
    /// complete history, as a full scan gives it. With --repos, one folder per repository.
    #[arg(
        long,
        value_name = "DIR",
        requires = "history",
        conflicts_with = "include_unreachable"
    )]
    pub state: Option<PathBuf>,

    /// With --history: scan the repositories listed in FILE, one after another (one a
    /// line: a local path, bare or not, or a file:// URL, then optionally the name reports
    /// use, such as its public URL). keytrace never fetches: clone them first.
    #[arg(long, value_name = "FILE", requires = "history")]
    pub repos: Option<PathBuf>,

    /// With --repos: scan only this share of the list (0-based INDEX of COUNT shards,
    /// by a hash of each repository's name). Wins over JOB_COMPLETION_INDEX.
    #[arg(long, value_name = "INDEX/COUNT", requires = "repos")]
    pub shard: Option<String>,

    /// With --repos: COUNT shards, this run's index read from JOB_COMPLETION_INDEX (as a
    /// Kubernetes Indexed Job sets it). --shard INDEX/COUNT wins when both are given.
    #[arg(long, value_name = "COUNT", requires = "repos")]
    pub shard_count: Option<u64>,

    /// With --repos: print this run's share of the list (`LOCATION NAME`, one a line) and
    /// exit without scanning, for the step that clones or fetches those repositories.
    #[arg(long, requires = "repos")]
    pub list_repos: bool,

    #[command(flatten)]
    pub out: OutputArgs,

    #[command(flatten)]
    pub search: SearchArgs,

    /// NHI manifest (default: .keytrace/identities.toml at the repository root); repeatable,
    /// later files override earlier ones by identity id.
    #[arg(long = "manifest", value_name = "FILE")]
    pub manifests: Vec<PathBuf>,

    /// Report only findings whose secret is not in this baseline (written by
    /// `keytrace baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// List ignore-file and .gitleaksignore entries that matched no finding (on stderr;
    /// the exit code is unchanged).
    #[arg(long)]
    pub report_unused_ignores: bool,

    /// Mask secrets in the output (the default).
    #[arg(long, overrides_with = "show_secrets")]
    pub redact: bool,

    /// Print secrets in clear. Never use in CI logs.
    #[arg(long, overrides_with = "redact")]
    pub show_secrets: bool,

    /// Read files and stdin in chunks of this many bytes (default 64 MiB; at least 516 KiB).
    /// For tests: a small chunk size puts chunk boundaries in small files.
    #[arg(long, value_name = "BYTES", hide = true)]
    pub chunk_size: Option<usize>,
}

/// How a report is written, shared by `scan`, `render` and `merge`: format, file, SARIF
/// category and history file, annotation cap, colour.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// With --format sarif: write findings that exist only in history (no longer in HEAD)
    /// to this second SARIF file; code scanning cannot show them, so the main file leaves
    /// them out.
    #[arg(long, value_name = "FILE")]
    pub sarif_history: Option<PathBuf>,

    /// With --format sarif: the code scanning category (automationDetails.id); default
    /// `keytrace/<mode>/` (worktree, staged, range, history, stdin).
    #[arg(long, value_name = "CATEGORY")]
    pub category: Option<String>,

    /// With --format github: annotate at most N findings per level, most severe first
    /// (GitHub keeps 10 per level per step).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_ANNOTATIONS)]
    pub max_annotations: usize,

    /// Colour: auto (terminal only, honours NO_COLOR), always, never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

impl Default for OutputArgs {
    /// Every flag at its command-line default (text on standard output).
    fn default() -> OutputArgs {
        OutputArgs {
            format: FormatArg::Text,
            output: None,
            sarif_history: None,
            category: None,
            max_annotations: DEFAULT_MAX_ANNOTATIONS,
            color: ColorArg::Auto,
        }
    }
}

/// `keytrace baseline`: the scan flags that decide which findings are written; no output
/// format, SARIF, annotation, manifest or secret flags (a baseline holds fingerprints).
#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// Directory or file to scan (with a git mode: the repository).
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Take the baseline of what the next commit adds: the index against HEAD.
    #[arg(long, conflicts_with_all = ["range", "since_commit", "history"])]
    pub staged: bool,

    #[command(flatten)]
    pub git: GitArgs,

    /// Write the baseline to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub search: SearchArgs,
}

/// Which history a git mode reads, shared by `scan` and `baseline`: a range of commits or
/// every blob ever committed.
#[derive(Debug, Clone, Default, Args)]
pub struct GitArgs {
    /// The lines added by the commits of BASE..HEAD (a pull request, a push).
    #[arg(long, value_name = "BASE..HEAD", conflicts_with_all = ["since_commit", "history"])]
    pub range: Option<String>,

    /// Same as `--range BASE..HEAD`.
    #[arg(long, value_name = "BASE", conflicts_with = "history")]
    pub since_commit: Option<String>,

    /// Every blob ever committed (reachable from HEAD), each once, with provenance.
    #[arg(long)]
    pub history: bool,

    /// With --history: every ref, not only HEAD.
    #[arg(long, requires = "history")]
    pub all: bool,

    /// With --history: scan every blob whole. By default a blob stored as a delta is
    /// searched only where it differs from its base (same findings, less reading).
    #[arg(long, requires = "history")]
    pub no_delta: bool,

    /// With --history: also report blobs that no scanned ref reaches (flagged `unreachable`).
    #[arg(long, requires = "history")]
    pub include_unreachable: bool,
}

/// How content is searched, shared by `scan` and `baseline`: configuration, rules, inline
/// ignores, decoding, size and binary limits, threads, the summary line.
#[derive(Debug, Clone, Args)]
pub struct SearchArgs {
    /// Configuration file (default: .keytrace/config.toml at the repository root, if present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Ignore `keytrace:allow` (and `gitleaks:allow`, `pragma: allowlist secret`) comments.
    #[arg(long)]
    pub no_inline_ignores: bool,

    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,

    /// Look for secrets inside base64 and percent-encoded text, and in Kubernetes Secret
    /// `data:` values, up to N levels of nesting (0 disables decoding).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub decode_depth: u32,

    /// Skip files larger than this many bytes (default 50 MiB; 0: no limit). Files of any
    /// size are read in chunks, in bounded memory.
    #[arg(long, value_name = "BYTES")]
    pub max_file_size: Option<u64>,

    /// Scan files that look binary instead of skipping them.
    #[arg(long)]
    pub scan_binaries: bool,

    /// Only run these rules (ids or prefixes such as `aws.`); repeatable.
    #[arg(long = "rule", value_name = "ID")]
    pub rules: Vec<String>,

    /// Do not print the summary line on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

impl Default for SearchArgs {
    /// Every flag at its command-line default.
    fn default() -> SearchArgs {
        SearchArgs {
            config: None,
            no_inline_ignores: false,
            threads: None,
            decode_depth: 1,
            max_file_size: None,
            scan_binaries: false,
            rules: Vec::new(),
            quiet: false,
        }
    }
}

/// `keytrace render` and `keytrace merge`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// JSON reports written by `keytrace scan --format json` (render: exactly one).
    #[arg(required = true, value_name = "REPORT")]
    pub reports: Vec<PathBuf>,

    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Text,
    Json,
    Jsonl,
    /// SARIF 2.1.0 for GitHub code scanning.
    Sarif,
    /// GitHub Actions annotations (workflow commands).
    Github,
    /// A Markdown summary (for $GITHUB_STEP_SUMMARY).
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

/// `keytrace hook ...`.
#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Install the pre-commit hook (an existing hook is kept and runs first).
    Install {
        /// Remove the hook instead (same as `keytrace hook uninstall`).
        #[arg(long)]
        uninstall: bool,
        /// The pre-push hook instead: scans the commits each `git push` sends.
        #[arg(long)]
        pre_push: bool,
        /// A folder inside the repository (default: the current folder).
        #[arg(long, value_name = "DIR", default_value = ".")]
        path: PathBuf,
    },
    /// Remove the hook that `hook install` added and restore the hook it kept.
    Uninstall {
        /// The pre-push hook that `hook install --pre-push` added.
        #[arg(long)]
        pre_push: bool,
        /// A folder inside the repository (default: the current folder).
        #[arg(long, value_name = "DIR", default_value = ".")]
        path: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the rules in effect.
    List {
        /// Print every distinct keyword, one per line (for benchmarks' floors).
        #[arg(long)]
        keywords: bool,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Configuration file whose rules to include.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Lint rules: the built-in pack, or the rule files given.
    Check {
        /// Rule files to check instead of the built-in pack.
        files: Vec<PathBuf>,
        /// Only check these rules (ids or prefixes).
        #[arg(long = "rule", value_name = "ID")]
        rules: Vec<String>,
    },
}

/// `keytrace nhi ...`.
#[derive(Debug, Subcommand)]
pub enum NhiCommand {
    /// Lint the manifest and report stale reviews, overdue rotations and expired identities
    /// (exit 1 when any is due, 2 when the manifest is malformed).
    Check(NhiCheckArgs),
    /// The NHI inventory: identities, owners, exposures, unowned credentials, figures.
    Report(NhiReportArgs),
    /// Draft manifest entries for unowned findings (printed, or appended with --write).
    Init(NhiInitArgs),
}

/// `keytrace nhi check`: the manifest only, no scan.
#[derive(Debug, Args)]
pub struct NhiCheckArgs {
    /// Repository (or folder) whose manifest to read.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// NHI manifest (default: .keytrace/identities.toml at the repository root); repeatable.
    #[arg(long = "manifest", value_name = "FILE")]
    pub manifests: Vec<PathBuf>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = NhiFormatArg::Text)]
    pub format: NhiFormatArg,

    /// Configuration file (its rules are the ones manifest rule selectors may name).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// `keytrace nhi report`.
#[derive(Debug, Args)]
pub struct NhiReportArgs {
    /// Repository (or folder) to scan and whose manifest to read.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// NHI manifest (default: .keytrace/identities.toml at the repository root); repeatable.
    #[arg(long = "manifest", value_name = "FILE")]
    pub manifests: Vec<PathBuf>,

    /// Scan every blob ever committed (reachable from HEAD) instead of the working tree.
    #[arg(long)]
    pub history: bool,

    /// With --history: every ref, not only HEAD.
    #[arg(long, requires = "history")]
    pub all: bool,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = NhiFormatArg::Text)]
    pub format: NhiFormatArg,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Configuration file (default: .keytrace/config.toml at the repository root, if present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Build the organisation's inventory from these JSON reports (`scan --repos`
    /// shards, `merge` output, single scans) instead of scanning: each credential once,
    /// with its owner per its repository's manifest and every repository it appears in.
    #[arg(long, value_name = "REPORT", num_args = 1..)]
    pub from: Vec<PathBuf>,
}

/// `keytrace nhi init`.
#[derive(Debug, Args)]
pub struct NhiInitArgs {
    /// Repository (or folder) to scan and whose manifest to read.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// NHI manifest (default: .keytrace/identities.toml at the repository root); repeatable.
    #[arg(long = "manifest", value_name = "FILE")]
    pub manifests: Vec<PathBuf>,

    /// Scan every blob ever committed instead of the working tree.
    #[arg(long)]
    pub history: bool,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = NhiFormatArg::Text)]
    pub format: NhiFormatArg,

    /// Configuration file (default: .keytrace/config.toml at the repository root, if present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Append the drafted entries to the manifest (the last --manifest, or the default
    /// file) instead of printing them.
    #[arg(long)]
    pub write: bool,
}

/// Formats of the `nhi` subcommands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NhiFormatArg {
    Text,
    Markdown,
    Json,
}
