//! `keytrace hook install` / `uninstall`: puts the pre-commit hook script
//! (`hooks/pre-commit`, embedded at build time), or with `--pre-push` the pre-push script
//! (`hooks/pre-push`), into a repository's hooks folder, and takes it out again.
//!
//! - The hooks folder comes from `git rev-parse --git-path hooks` run in the target
//!   repository, so `core.hooksPath` and linked worktrees are followed exactly as git
//!   follows them when it runs hooks.
//! - A pre-commit hook that is not keytrace's is **chained**: renamed to
//!   `pre-commit.keytrace-chained`, which the installed script runs first. Renaming rather
//!   than editing the old script keeps it byte for byte (an `exit` in it cannot skip our
//!   scan) and makes uninstall an exact inverse: remove ours, rename the old one back.
//! - The script carries a marker line; installing twice changes nothing, and an older
//!   keytrace script is replaced by the current one.
//! - When husky or lefthook manage the hooks, anything written here would be overwritten
//!   or bypassed, so nothing is written: the outcome carries the snippet to add instead.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context as _};

use crate::escape::sanitize;

/// The hook script installed as `pre-commit`.
pub const SCRIPT: &str = include_str!("../../hooks/pre-commit");

/// The start of the line that marks a hook file as keytrace's (any version of the script).
pub const MARKER: &str = "# keytrace-hook: pre-commit, installed by `keytrace hook install`";

/// The hook keytrace installs.
pub const HOOK_NAME: &str = "pre-commit";

/// File name of the chained (pre-existing) hook, next to ours.
pub const CHAINED_NAME: &str = "pre-commit.keytrace-chained";

/// The entry every snippet and the pre-commit framework run.
pub const ENTRY: &str = "keytrace scan --staged";

/// The hook script installed as `pre-push` (`hook install --pre-push`).
pub const PRE_PUSH_SCRIPT: &str = include_str!("../../hooks/pre-push");

/// The start of the line that marks a pre-push hook file as keytrace's.
pub const PRE_PUSH_MARKER: &str =
    "# keytrace-hook: pre-push, installed by `keytrace hook install --pre-push`";

/// Which git hook: the pre-commit hook (the default) or the pre-push hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    /// Scans what a commit adds (`keytrace scan --staged`).
    #[default]
    PreCommit,
    /// Scans what a push sends (`keytrace scan --pre-push`, git's refs on stdin).
    PrePush,
}

impl Kind {
    /// The hook's file name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::PreCommit => HOOK_NAME,
            Kind::PrePush => "pre-push",
        }
    }
    /// The chained (pre-existing) hook's file name.
    pub fn chained_name(self) -> &'static str {
        match self {
            Kind::PreCommit => CHAINED_NAME,
            Kind::PrePush => "pre-push.keytrace-chained",
        }
    }
    /// The script installed.
    pub fn script(self) -> &'static str {
        match self {
            Kind::PreCommit => SCRIPT,
            Kind::PrePush => PRE_PUSH_SCRIPT,
        }
    }
    /// The marker line's start.
    pub fn marker(self) -> &'static str {
        match self {
            Kind::PreCommit => MARKER,
            Kind::PrePush => PRE_PUSH_MARKER,
        }
    }
    /// The command a hook manager should run for this hook.
    pub fn entry(self) -> &'static str {
        match self {
            Kind::PreCommit => ENTRY,
            // husky and lefthook pass git's arguments and stdin through to the command.
            Kind::PrePush => "keytrace scan --pre-push --remote \"$1\"",
        }
    }
}

/// A hook manager that owns the hooks folder: keytrace prints a snippet instead of writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Manager {
    /// husky (`core.hooksPath` under `.husky`, or a `.husky` folder).
    Husky {
        /// The `.husky` folder.
        dir: PathBuf,
    },
    /// lefthook (a `lefthook.yml` or similar configuration file).
    Lefthook {
        /// The configuration file found.
        config: PathBuf,
    },
}

impl Manager {
    /// What to add to the manager's configuration to run keytrace before each commit.
    pub fn snippet(&self) -> String {
        self.snippet_for(Kind::PreCommit)
    }

    /// What to add to the manager's configuration to run the `kind` hook.
    pub fn snippet_for(&self, kind: Kind) -> String {
        let (entry, hook_name) = (kind.entry(), kind.name());
        match self {
            Manager::Husky { dir } => format!(
                "husky manages the git hooks here; keytrace wrote nothing.\n\
                 Add this line to {}:\n\n    {entry}\n",
                sanitize(&dir.join(hook_name).display().to_string())
            ),
            Manager::Lefthook { config } => {
                let file = sanitize(&config.display().to_string());
                let body = match config.extension().and_then(|e| e.to_str()) {
                    Some("toml") => format!(
                        "[{hook_name}.commands.keytrace]\nrun = {}\n",
                        toml_string(entry)
                    ),
                    Some("json") => format!(
                        "\"{hook_name}\": {{\n  \"commands\": {{\n    \"keytrace\": {{ \"run\": {} }}\n  }}\n}}\n",
                        json_string(entry)
                    ),
                    _ => format!(
                        "{hook_name}:\n  commands:\n    keytrace:\n      run: {}\n",
                        yaml_string(entry)
                    ),
                };
                let body: String = body.lines().map(|l| format!("    {l}\n")).collect();
                format!(
                    "lefthook manages the git hooks here; keytrace wrote nothing.\n\
                     Add this to {file}, then run `lefthook install`:\n\n{body}"
                )
            }
        }
    }
}

/// `s` as a TOML basic string.
fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `s` as a JSON string.
fn json_string(s: &str) -> String {
    toml_string(s)
}

/// `s` as a YAML plain scalar when it can be one, else single-quoted.
fn yaml_string(s: &str) -> String {
    if s.contains('"') || s.contains('$') {
        format!("'{}'", s.replace('\'', "''"))
    } else {
        s.to_owned()
    }
}

/// What `install` or `uninstall` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The hook was written; `chained` is the previous hook, kept and run first.
    Installed {
        hook: PathBuf,
        chained: Option<PathBuf>,
        /// Extra remarks for the user (a chained hook that is not executable, ...).
        notes: Vec<String>,
    },
    /// An older keytrace hook was replaced by the current script.
    Updated { hook: PathBuf },
    /// The current hook was already there: nothing changed.
    AlreadyInstalled { hook: PathBuf },
    /// A hook manager owns the hooks: nothing written, here is what to add.
    Managed(Manager),
    /// The same for `--pre-push`: the snippet runs the pre-push scan.
    ManagedPrePush(Manager),
    /// The hook was removed; `restored` is the chained hook put back in its place.
    Uninstalled {
        hook: PathBuf,
        restored: Option<PathBuf>,
    },
    /// There was no keytrace hook to remove; `foreign` is a hook that is not keytrace's.
    NotInstalled {
        hook: PathBuf,
        foreign: bool,
        manager: Option<Manager>,
    },
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |p: &Path| sanitize(&p.display().to_string());
        match self {
            Outcome::Installed {
                hook,
                chained,
                notes,
            } => {
                writeln!(
                    f,
                    "keytrace: installed the {} hook at {}",
                    hook_label(hook),
                    show(hook)
                )?;
                if let Some(c) = chained {
                    writeln!(
                        f,
                        "keytrace: the existing hook was kept as {} and runs first",
                        show(c)
                    )?;
                }
                for n in notes {
                    writeln!(f, "keytrace: note: {}", sanitize(n))?;
                }
                Ok(())
            }
            Outcome::Updated { hook } => writeln!(
                f,
                "keytrace: updated the {} hook at {}",
                hook_label(hook),
                show(hook)
            ),
            Outcome::AlreadyInstalled { hook } => writeln!(
                f,
                "keytrace: the {} hook is already installed at {}",
                hook_label(hook),
                show(hook)
            ),
            Outcome::Managed(m) => f.write_str(&m.snippet()),
            Outcome::ManagedPrePush(m) => f.write_str(&m.snippet_for(Kind::PrePush)),
            Outcome::Uninstalled { hook, restored } => {
                writeln!(
                    f,
                    "keytrace: removed the {} hook {}",
                    hook_label(hook),
                    show(hook)
                )?;
                if let Some(r) = restored {
                    writeln!(f, "keytrace: restored the previous hook at {}", show(r))?;
                }
                Ok(())
            }
            Outcome::NotInstalled {
                hook,
                foreign,
                manager,
            } => {
                if *foreign {
                    writeln!(
                        f,
                        "keytrace: {} is not keytrace's hook; left it alone",
                        show(hook)
                    )?;
                } else {
                    writeln!(f, "keytrace: no keytrace hook at {}", show(hook))?;
                }
                if let Some(m) = manager {
                    let label = hook_label(hook);
                    let what = match m {
                        Manager::Husky { dir } => show(&dir.join(&label)),
                        Manager::Lefthook { config } => show(config),
                    };
                    let entry = if label == Kind::PrePush.name() {
                        Kind::PrePush.entry()
                    } else {
                        ENTRY
                    };
                    writeln!(
                        f,
                        "keytrace: if you added keytrace to {what}, remove the `{entry}` entry there"
                    )?;
                }
                Ok(())
            }
        }
    }
}

/// The hook's name (`pre-commit`, `pre-push`) from its path, for messages.
fn hook_label(hook: &Path) -> String {
    hook.file_name()
        .map(|n| sanitize(&n.to_string_lossy()))
        .unwrap_or_else(|| HOOK_NAME.to_owned())
}

/// Where the hooks of a repository live.
#[derive(Debug)]
struct Location {
    /// The folder git runs hooks from.
    hooks_dir: PathBuf,
    /// The working tree's top folder (none in a bare repository).
    toplevel: Option<PathBuf>,
    /// `core.hooksPath`, if set.
    hooks_path: Option<String>,
}

impl Location {
    fn hook(&self, kind: Kind) -> PathBuf {
        self.hooks_dir.join(kind.name())
    }
    fn chained(&self, kind: Kind) -> PathBuf {
        self.hooks_dir.join(kind.chained_name())
    }
}

/// Runs git in `repo` and returns its trimmed stdout, or `None` when git exits nonzero.
fn git(repo: &Path, args: &[&str]) -> anyhow::Result<Option<String>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .context("failed to run git (is it installed and on PATH?)")?;
    if !out.status.success() {
        return Ok(None);
    }
    let s = String::from_utf8(out.stdout).context("git printed a path that is not UTF-8")?;
    Ok(Some(s.trim_end_matches(['\n', '\r']).to_owned()))
}

fn locate(repo: &Path) -> anyhow::Result<Location> {
    let Some(hooks) = git(repo, &["rev-parse", "--git-path", "hooks"])? else {
        bail!(
            "{} is not in a git repository (`git rev-parse --git-path hooks` failed); \
             run `git init` first or pass --path",
            repo.display()
        );
    };
    // git prints the path relative to the folder it ran in (`-C repo`) unless absolute.
    // (`Path::join` keeps an absolute path as it is; "." is left out of printed paths.)
    let hooks_dir = if repo == Path::new(".") {
        PathBuf::from(hooks)
    } else {
        repo.join(hooks)
    };
    let toplevel = git(repo, &["rev-parse", "--show-toplevel"])?
        .filter(|s| !s.is_empty())
        .map(PathBuf::from);
    let hooks_path = git(repo, &["config", "--get", "core.hooksPath"])?.filter(|s| !s.is_empty());
    Ok(Location {
        hooks_dir,
        toplevel,
        hooks_path,
    })
}

/// The hook manager that owns this repository's hooks, if any.
fn detect_manager(loc: &Location) -> Option<Manager> {
    let top = loc.toplevel.as_deref();
    // husky 9 sets core.hooksPath to `.husky/_` (older versions to `.husky`).
    let husky_hooks_path = loc
        .hooks_path
        .as_deref()
        .is_some_and(|p| Path::new(p).components().any(|c| c.as_os_str() == ".husky"));
    if let Some(top) = top {
        let dir = top.join(".husky");
        if husky_hooks_path || dir.is_dir() {
            return Some(Manager::Husky { dir });
        }
        const LEFTHOOK: [&str; 8] = [
            "lefthook.yml",
            ".lefthook.yml",
            "lefthook.yaml",
            ".lefthook.yaml",
            "lefthook.toml",
            ".lefthook.toml",
            "lefthook.json",
            ".lefthook.json",
        ];
        for name in LEFTHOOK {
            let config = top.join(name);
            if config.is_file() {
                return Some(Manager::Lefthook { config });
            }
        }
    } else if husky_hooks_path {
        return Some(Manager::Husky {
            dir: PathBuf::from(".husky"),
        });
    }
    None
}

/// What is at a hook path.
enum Existing {
    Missing,
    /// keytrace's script; `current` when it is byte for byte this version.
    Ours {
        current: bool,
    },
    /// Someone else's hook (or something unreadable, such as a dangling symlink).
    Foreign,
}

fn inspect(path: &Path, kind: Kind) -> anyhow::Result<Existing> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Existing::Missing),
        Err(e) => return Err(e).with_context(|| format!("failed to inspect {}", path.display())),
        Ok(_) => {}
    }
    match fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            Ok(if text.lines().any(|l| l.starts_with(kind.marker())) {
                Existing::Ours {
                    current: bytes == kind.script().as_bytes(),
                }
            } else {
                Existing::Foreign
            })
        }
        // A dangling symlink: not ours, and it can be renamed like any other file.
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Existing::Foreign),
        Err(e) => Err(e).with_context(|| format!("failed to read {}", path.display())),
    }
}

fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_path: &Path) -> bool {
    true
}

/// Writes the script to `hook` through a temporary file and a rename, so a commit running
/// at the same moment sees the old hook or the new one, never half of one.
fn write_script(hook: &Path, kind: Kind) -> anyhow::Result<()> {
    let dir = hook.parent().expect("a hook path has a parent folder");
    let tmp = dir.join(format!("{}.keytrace-tmp", kind.name()));
    fs::write(&tmp, kind.script()).with_context(|| format!("failed to write {}", tmp.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(&tmp, fs::Permissions::from_mode(0o755))
            .with_context(|| format!("failed to make {} executable", tmp.display()))?;
    }
    fs::rename(&tmp, hook).with_context(|| format!("failed to write {}", hook.display()))
}

fn rename(from: &Path, to: &Path) -> anyhow::Result<()> {
    fs::rename(from, to)
        .with_context(|| format!("failed to rename {} to {}", from.display(), to.display()))
}

/// Installs the pre-commit hook in the repository containing `repo`.
pub fn install(repo: &Path) -> anyhow::Result<Outcome> {
    install_kind(repo, Kind::PreCommit)
}

/// Installs the `kind` hook in the repository containing `repo`.
pub fn install_kind(repo: &Path, kind: Kind) -> anyhow::Result<Outcome> {
    let loc = locate(repo)?;
    // Nobody commits in a bare repository, so its pre-commit hook never runs; and the
    // hook's `scan --staged` has no index to read there (issue 12, item 13).
    if kind == Kind::PreCommit
        && git(repo, &["rev-parse", "--is-bare-repository"])?.as_deref() == Some("true")
    {
        bail!(
            "{} is a bare repository: commits are not made there, so a pre-commit hook would \
             never run. Install the hook in each clone (`keytrace hook install` in the clone), \
             or use `keytrace hook install --pre-push` to check what this repository pushes.",
            repo.display()
        );
    }
    if let Some(m) = detect_manager(&loc) {
        return Ok(match kind {
            Kind::PreCommit => Outcome::Managed(m),
            Kind::PrePush => Outcome::ManagedPrePush(m),
        });
    }
    let (hook, chained) = (loc.hook(kind), loc.chained(kind));
    match inspect(&hook, kind)? {
        Existing::Ours { current: true } => {
            if !is_executable(&hook) {
                // Same script, but git would skip it: the one repair worth making.
                write_script(&hook, kind)?;
                return Ok(Outcome::Updated { hook });
            }
            Ok(Outcome::AlreadyInstalled { hook })
        }
        Existing::Ours { current: false } => {
            write_script(&hook, kind)?;
            Ok(Outcome::Updated { hook })
        }
        Existing::Foreign => {
            if exists(&chained) {
                bail!(
                    "{} is not keytrace's hook and {} already exists; keytrace will not \
                     overwrite either: merge or move one of them, then run `keytrace hook install` again",
                    hook.display(),
                    chained.display()
                );
            }
            let mut notes = Vec::new();
            if !is_executable(&hook) {
                notes.push(format!(
                    "{} is not executable, so git did not run it and the keytrace hook will not either \
                     (chmod +x it to run it)",
                    chained.display()
                ));
            }
            if let Ok(text) = fs::read_to_string(&hook) {
                if kind == Kind::PreCommit && text.contains("pre-commit.com") {
                    notes.push(format!(
                        "this repository uses the pre-commit framework; you can add keytrace to \
                         .pre-commit-config.yaml instead (hook id `keytrace`, entry `{ENTRY}`)"
                    ));
                }
            }
            rename(&hook, &chained)?;
            if let Err(e) = write_script(&hook, kind) {
                // Put the user's hook back rather than leave the folder without one.
                let _ = fs::rename(&chained, &hook);
                return Err(e);
            }
            Ok(Outcome::Installed {
                hook,
                chained: Some(chained),
                notes,
            })
        }
        Existing::Missing => {
            fs::create_dir_all(&loc.hooks_dir)
                .with_context(|| format!("failed to create {}", loc.hooks_dir.display()))?;
            write_script(&hook, kind)?;
            // A chained hook left from an earlier install (ours was deleted by hand) runs again.
            let chained = exists(&chained).then_some(chained);
            Ok(Outcome::Installed {
                hook,
                chained,
                notes: Vec::new(),
            })
        }
    }
}

/// Removes what [`install`] added and puts the chained hook back.
pub fn uninstall(repo: &Path) -> anyhow::Result<Outcome> {
    uninstall_kind(repo, Kind::PreCommit)
}

/// Removes what [`install_kind`] added for `kind` and puts the chained hook back.
pub fn uninstall_kind(repo: &Path, kind: Kind) -> anyhow::Result<Outcome> {
    let loc = locate(repo)?;
    let (hook, chained) = (loc.hook(kind), loc.chained(kind));
    match inspect(&hook, kind)? {
        Existing::Ours { .. } => {
            fs::remove_file(&hook)
                .with_context(|| format!("failed to remove {}", hook.display()))?;
            let restored = if exists(&chained) {
                rename(&chained, &hook)?;
                Some(hook.clone())
            } else {
                None
            };
            Ok(Outcome::Uninstalled { hook, restored })
        }
        Existing::Missing if exists(&chained) => {
            rename(&chained, &hook)?;
            Ok(Outcome::Uninstalled {
                hook: hook.clone(),
                restored: Some(hook),
            })
        }
        Existing::Foreign if exists(&chained) => bail!(
            "{} is not keytrace's hook, yet {} (a hook keytrace set aside) exists; \
             keytrace will not overwrite either: restore the one you want by hand",
            hook.display(),
            chained.display()
        ),
        found => Ok(Outcome::NotInstalled {
            hook,
            foreign: matches!(found, Existing::Foreign),
            manager: detect_manager(&loc),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("git")
            .args(["init", "-q"])
            .current_dir(dir.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .status()
            .unwrap()
            .success();
        assert!(ok, "git init");
        dir
    }

    fn hooks(dir: &Path) -> PathBuf {
        dir.join(".git/hooks")
    }

    #[test]
    fn script_carries_marker_and_is_posix_sh() {
        assert!(SCRIPT.starts_with("#!/bin/sh\n"));
        assert!(SCRIPT.lines().nth(1).unwrap().starts_with(MARKER));
        assert!(SCRIPT.contains(CHAINED_NAME));
        assert!(SCRIPT.contains(ENTRY.trim_start_matches("keytrace ")));
    }

    #[test]
    fn install_is_idempotent_and_uninstall_removes_it() {
        let dir = repo();
        let hook = hooks(dir.path()).join(HOOK_NAME);
        let out = install(dir.path()).unwrap();
        assert!(
            matches!(out, Outcome::Installed { chained: None, .. }),
            "{out:?}"
        );
        assert_eq!(fs::read_to_string(&hook).unwrap(), SCRIPT);
        assert!(is_executable(&hook));
        let out = install(dir.path()).unwrap();
        assert!(matches!(out, Outcome::AlreadyInstalled { .. }), "{out:?}");
        assert!(!exists(&hooks(dir.path()).join(CHAINED_NAME)));

        let out = uninstall(dir.path()).unwrap();
        assert!(
            matches!(out, Outcome::Uninstalled { restored: None, .. }),
            "{out:?}"
        );
        assert!(!exists(&hook));
        let out = uninstall(dir.path()).unwrap();
        assert!(
            matches!(out, Outcome::NotInstalled { foreign: false, .. }),
            "{out:?}"
        );
    }

    #[test]
    fn existing_hook_is_chained_and_restored_byte_for_byte() {
        let dir = repo();
        let hook = hooks(dir.path()).join(HOOK_NAME);
        let theirs = "#!/bin/sh\necho theirs\n";
        fs::create_dir_all(hook.parent().unwrap()).unwrap();
        fs::write(&hook, theirs).unwrap();
        let out = install(dir.path()).unwrap();
        let chained = hooks(dir.path()).join(CHAINED_NAME);
        assert_eq!(
            out,
            Outcome::Installed {
                hook: hook.clone(),
                chained: Some(chained.clone()),
                // Written without the executable bit: the note says git never ran it.
                notes: if cfg!(unix) {
                    vec![format!(
                        "{} is not executable, so git did not run it and the keytrace hook will not \
                         either (chmod +x it to run it)",
                        chained.display()
                    )]
                } else {
                    Vec::new()
                },
            }
        );
        assert_eq!(fs::read_to_string(&chained).unwrap(), theirs);
        // A second install leaves the chain alone.
        assert!(matches!(
            install(dir.path()).unwrap(),
            Outcome::AlreadyInstalled { .. }
        ));
        assert_eq!(fs::read_to_string(&chained).unwrap(), theirs);

        let out = uninstall(dir.path()).unwrap();
        assert!(
            matches!(
                out,
                Outcome::Uninstalled {
                    restored: Some(_),
                    ..
                }
            ),
            "{out:?}"
        );
        assert_eq!(fs::read_to_string(&hook).unwrap(), theirs);
        assert!(!exists(&chained));
    }

    #[test]
    fn older_script_is_updated() {
        let dir = repo();
        let hook = hooks(dir.path()).join(HOOK_NAME);
        fs::create_dir_all(hook.parent().unwrap()).unwrap();
        fs::write(&hook, format!("#!/bin/sh\n{MARKER}\nexit 0\n")).unwrap();
        assert!(matches!(
            install(dir.path()).unwrap(),
            Outcome::Updated { .. }
        ));
        assert_eq!(fs::read_to_string(&hook).unwrap(), SCRIPT);
        assert!(!exists(&hooks(dir.path()).join(CHAINED_NAME)));
    }

    #[test]
    fn foreign_hook_with_a_leftover_chain_is_an_error_that_touches_nothing() {
        let dir = repo();
        let hook = hooks(dir.path()).join(HOOK_NAME);
        let chained = hooks(dir.path()).join(CHAINED_NAME);
        fs::create_dir_all(hook.parent().unwrap()).unwrap();
        fs::write(&hook, "#!/bin/sh\necho a\n").unwrap();
        fs::write(&chained, "#!/bin/sh\necho b\n").unwrap();
        let err = install(dir.path()).unwrap_err().to_string();
        assert!(err.contains("already exists"), "{err}");
        let err = uninstall(dir.path()).unwrap_err().to_string();
        assert!(err.contains("by hand"), "{err}");
        assert_eq!(fs::read_to_string(&hook).unwrap(), "#!/bin/sh\necho a\n");
        assert_eq!(fs::read_to_string(&chained).unwrap(), "#!/bin/sh\necho b\n");
    }

    #[test]
    fn husky_and_lefthook_get_a_snippet_and_nothing_is_written() {
        let dir = repo();
        fs::create_dir_all(dir.path().join(".husky")).unwrap();
        let out = install(dir.path()).unwrap();
        assert!(
            matches!(out, Outcome::Managed(Manager::Husky { .. })),
            "{out:?}"
        );
        assert!(out.to_string().contains("    keytrace scan --staged\n"));
        assert!(!exists(&hooks(dir.path()).join(HOOK_NAME)));

        let dir = repo();
        fs::write(dir.path().join("lefthook.yml"), "pre-push:\n").unwrap();
        let out = install(dir.path()).unwrap();
        assert!(
            matches!(out, Outcome::Managed(Manager::Lefthook { .. })),
            "{out:?}"
        );
        assert!(out
            .to_string()
            .contains("        keytrace:\n          run: keytrace scan --staged\n"));
        assert!(!exists(&hooks(dir.path()).join(HOOK_NAME)));
    }

    #[test]
    fn husky_hooks_path_is_recognised() {
        let dir = repo();
        let ok = Command::new("git")
            .args(["config", "core.hooksPath", ".husky/_"])
            .current_dir(dir.path())
            .status()
            .unwrap()
            .success();
        assert!(ok);
        let out = install(dir.path()).unwrap();
        assert!(
            matches!(out, Outcome::Managed(Manager::Husky { .. })),
            "{out:?}"
        );
        assert!(!exists(&dir.path().join(".husky/_").join(HOOK_NAME)));
    }

    #[test]
    fn outside_a_repository_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        // GIT_CEILING_DIRECTORIES would be cleaner, but the tests must not set process env;
        // a temp dir is never inside a repository on a sane machine.
        if git(dir.path(), &["rev-parse", "--git-dir"])
            .unwrap()
            .is_some()
        {
            return;
        }
        let err = install(dir.path()).unwrap_err().to_string();
        assert!(err.contains("not in a git repository"), "{err}");
    }
}
