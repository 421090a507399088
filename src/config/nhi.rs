//! `keytrace nhi check|report|init` arguments turned into what the command needs: the
//! manifest files in effect, where `init --write` appends, and the scan behind `report`
//! and `init`, configured exactly as `keytrace scan PATH` would be.

use std::path::PathBuf;

use crate::cli::{
    GitArgs, NhiCheckArgs, NhiCommand, NhiFormatArg, NhiInitArgs, NhiReportArgs, OutputArgs,
    ScanArgs, SearchArgs,
};

/// What the three `nhi` subcommands were given, each flag at its default where the
/// subcommand does not offer it (each lists only the flags that apply, issue 12 item 20).
#[derive(Debug)]
pub struct NhiArgs {
    /// Repository (or folder) to scan and whose manifest to read.
    pub path: PathBuf,
    /// `--manifest` files.
    pub manifests: Vec<PathBuf>,
    /// `--history` (report, init).
    pub history: bool,
    /// `--all` (report, with --history).
    pub all: bool,
    /// Output format.
    pub format: NhiFormatArg,
    /// `--config`.
    pub config: Option<PathBuf>,
    /// `--write` (init).
    pub write: bool,
    /// `-o FILE` (report).
    pub output: Option<PathBuf>,
    /// `--from REPORT...` (report).
    pub from: Vec<PathBuf>,
}

impl From<NhiCheckArgs> for NhiArgs {
    fn from(a: NhiCheckArgs) -> NhiArgs {
        NhiArgs {
            path: a.path,
            manifests: a.manifests,
            history: false,
            all: false,
            format: a.format,
            config: a.config,
            write: false,
            output: None,
            from: Vec::new(),
        }
    }
}

impl From<NhiReportArgs> for NhiArgs {
    fn from(a: NhiReportArgs) -> NhiArgs {
        NhiArgs {
            path: a.path,
            manifests: a.manifests,
            history: a.history,
            all: a.all,
            format: a.format,
            config: a.config,
            write: false,
            output: a.output,
            from: a.from,
        }
    }
}

impl From<NhiInitArgs> for NhiArgs {
    fn from(a: NhiInitArgs) -> NhiArgs {
        NhiArgs {
            path: a.path,
            manifests: a.manifests,
            history: a.history,
            all: false,
            format: a.format,
            config: a.config,
            write: a.write,
            output: None,
            from: Vec::new(),
        }
    }
}

use crate::nhi::NhiFormat;

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

/// What `keytrace nhi ...` was asked to do.
#[derive(Debug)]
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
    /// `report -o FILE`: where the report goes (stdout when None).
    pub output: Option<PathBuf>,
    /// `report --from`: JSON reports to build the inventory from, instead of scanning.
    pub from: Vec<PathBuf>,
    /// The scan behind report and init (and the manifest loading of check), as the
    /// arguments of the equivalent `keytrace scan`; [`super::build`] validates them.
    pub scan: ScanArgs,
}

/// Turns `keytrace nhi ...` into [`NhiOptions`].
pub fn build_nhi(cmd: NhiCommand) -> anyhow::Result<NhiOptions> {
    let (action, args): (Action, NhiArgs) = match cmd {
        NhiCommand::Check(a) => (Action::Check, a.into()),
        NhiCommand::Report(a) => (Action::Report, a.into()),
        NhiCommand::Init(a) => (Action::Init, a.into()),
    };

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
    let scan = scan_args(&args, &manifests);
    Ok(NhiOptions {
        action,
        format: match args.format {
            NhiFormatArg::Text => NhiFormat::Text,
            NhiFormatArg::Markdown => NhiFormat::Markdown,
            NhiFormatArg::Json => NhiFormat::Json,
        },
        root: args.path,
        manifests,
        write_to,
        write: args.write,
        output: args.output,
        from: args.from,
        scan,
    })
}

/// The arguments of `keytrace scan PATH [--history] [--manifest M]... [--config C]`, with
/// every other flag at its command-line default (the scan's own flags spelled out field by
/// field, so a new one does not compile until it is decided here; the shared groups take
/// their defaults).
fn scan_args(args: &NhiArgs, manifests: &[PathBuf]) -> ScanArgs {
    ScanArgs {
        path: args.path.clone(),
        more_paths: Vec::new(),
        remote: None,
        staged: false,
        pre_push: false,
        git: GitArgs {
            history: args.history,
            all: args.all,
            ..GitArgs::default()
        },
        provenance_walk: false,
        state: None,
        repos: None,
        shard: None,
        shard_count: None,
        list_repos: false,
        out: OutputArgs::default(),
        search: SearchArgs {
            config: args.config.clone(),
            ..SearchArgs::default()
        },
        // Only existing files: `init --write` may be about to create the manifest.
        manifests: manifests.iter().filter(|m| m.is_file()).cloned().collect(),
        baseline: None,
        report_unused_ignores: false,
        redact: false,
        show_secrets: false,
        chunk_size: None,
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use super::*;
    use crate::cli::{Cli, Command};

    /// The directly built scan arguments equal what clap makes of the same command line,
    /// so `nhi report` scans exactly as `keytrace scan` does.
    #[test]
    fn scan_args_equal_the_parsed_command_line() {
        let tmp = tempfile::tempdir().unwrap();
        let m = tmp.path().join("ids.toml");
        std::fs::write(&m, "version = 1\n").unwrap();
        let root = tmp.path().display().to_string();
        let nhi = NhiArgs {
            path: tmp.path().to_owned(),
            manifests: vec![m.clone()],
            history: true,
            format: NhiFormatArg::Text,
            config: Some(PathBuf::from("c.toml")),
            write: false,
            all: true,
            output: None,
            from: Vec::new(),
        };
        let built = scan_args(&nhi, std::slice::from_ref(&m));
        let argv = [
            "keytrace",
            "scan",
            root.as_str(),
            "--history",
            "--all",
            "--manifest",
            m.to_str().unwrap(),
            "--config",
            "c.toml",
        ];
        let Command::Scan(parsed) = Cli::try_parse_from(argv).unwrap().command else {
            panic!("not a scan");
        };
        assert_eq!(format!("{built:?}"), format!("{parsed:?}"));
    }
}
