//! `scan --history --repos FILE`: the repository list, and the share of it a shard takes
//! (`--shard INDEX/COUNT`, or `--shard-count COUNT` with the index from Kubernetes'
//! `JOB_COMPLETION_INDEX`).
//!
//! The list holds one repository a line: a local path (bare or not) or a `file://` URL,
//! then optionally whitespace and a display name (the repository's public URL) that
//! reports use; blank lines and lines starting with `#` are skipped. keytrace only reads
//! local repositories: cloning and fetching are git's job.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use sha2::{Digest, Sha256};

/// One repository of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoEntry {
    /// The name reports use: the display name, else the location as written.
    pub name: String,
    /// The location as written (path or `file://` URL).
    pub location: String,
    /// The local path it names (relative paths are relative to the list's folder).
    pub path: PathBuf,
}

/// Which share of the list this run scans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 0-based index.
    pub index: u64,
    /// Number of shards.
    pub count: u64,
}

impl Shard {
    /// Parses `INDEX/COUNT` (0-based index below COUNT).
    pub fn parse(s: &str) -> anyhow::Result<Shard> {
        let bad = || {
            anyhow::anyhow!(
                "--shard {s}: expected INDEX/COUNT with 0 <= INDEX < COUNT, such as 0/4"
            )
        };
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u64 = i.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// The shard of this run: `--shard INDEX/COUNT` when given (it wins: a command line
    /// says exactly what to do), else `--shard-count COUNT` with the index from
    /// `JOB_COMPLETION_INDEX` (read through `env`), else none (the whole list).
    pub fn resolve(
        explicit: Option<&str>,
        count: Option<u64>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Option<Shard>> {
        if let Some(s) = explicit {
            return Shard::parse(s).map(Some);
        }
        let Some(count) = count else {
            return Ok(None);
        };
        let Some(index) = env("JOB_COMPLETION_INDEX").filter(|v| !v.is_empty()) else {
            bail!(
                "--shard-count {count} takes the shard index from JOB_COMPLETION_INDEX \
                 (set by a Kubernetes Indexed Job), which is not set: give --shard INDEX/{count}"
            );
        };
        Shard::parse(&format!("{index}/{count}"))
            .map(Some)
            .with_context(|| format!("JOB_COMPLETION_INDEX={index} with --shard-count {count}"))
    }

    /// Whether the repository named `name` belongs to this shard: a hash of the name, so
    /// a repository stays in its shard as the list grows (changing COUNT may move any).
    pub fn holds(&self, name: &str) -> bool {
        shard_of(name, self.count) == self.index
    }
}

/// The shard (of `count`) that the repository named `name` falls in.
pub fn shard_of(name: &str, count: u64) -> u64 {
    let digest = Sha256::digest(name.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first) % count.max(1)
}

/// Reads the repository list `file`; errors name the file and line.
pub fn read_list(file: &Path) -> anyhow::Result<Vec<RepoEntry>> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("failed to read the repository list {}", file.display()))?;
    let base = file.parent().unwrap_or(Path::new("."));
    parse_list(&text, base).with_context(|| format!("in the repository list {}", file.display()))
}

/// Parses a repository list; relative paths are taken from `base`.
pub fn parse_list(text: &str, base: &Path) -> anyhow::Result<Vec<RepoEntry>> {
    let mut out: Vec<RepoEntry> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let location = parts.next().unwrap_or_default().to_owned();
        let name = parts.next().map(str::to_owned);
        if parts.next().is_some() {
            bail!(
                "line {}: expected a path or file:// URL and an optional name, got more: {}",
                i + 1,
                crate::escape::sanitize(line)
            );
        }
        let path = local_path(&location).with_context(|| format!("line {}", i + 1))?;
        let path = if path.is_absolute() {
            path
        } else {
            base.join(path)
        };
        let name = name.unwrap_or_else(|| location.clone());
        if out.iter().any(|e| e.name == name) {
            bail!(
                "line {}: repository {} is listed twice (names must be unique: findings \
                 and shards are keyed by them)",
                i + 1,
                crate::escape::sanitize(&name)
            );
        }
        out.push(RepoEntry {
            name,
            location,
            path,
        });
    }
    Ok(out)
}

/// The local path of a list entry: a path as it is, a `file://` URL decoded. Any other
/// URL is refused: keytrace never fetches (clone it first, `git clone --mirror`).
fn local_path(location: &str) -> anyhow::Result<PathBuf> {
    if let Some(rest) = location.strip_prefix("file://") {
        // `file:///abs/path` (empty host) or `file://localhost/abs/path`.
        let rest = rest.strip_prefix("localhost").unwrap_or(rest);
        if !rest.starts_with('/') {
            bail!("{location}: a file:// URL needs an absolute path (file:///path)");
        }
        let decoded = percent_encoding::percent_decode_str(rest)
            .decode_utf8()
            .with_context(|| format!("{location}: the path is not UTF-8 once percent-decoded"))?;
        return Ok(PathBuf::from(decoded.into_owned()));
    }
    if location.contains("://") || location.starts_with("git@") {
        bail!(
            "{location}: keytrace reads local repositories only (it never fetches): clone \
             it first (`git clone --mirror URL DIR`) and list DIR, with the URL as its name"
        );
    }
    Ok(PathBuf::from(location))
}

/// A URI for a repository of the list: its name when that is a URL (the public URL),
/// else a `file://` URL of its absolute path.
pub fn uri_of(entry: &RepoEntry) -> String {
    if entry.name.contains("://") {
        return entry.name.clone();
    }
    let abs = std::path::absolute(&entry.path).unwrap_or_else(|_| entry.path.clone());
    let text = abs.to_string_lossy().replace('\\', "/");
    let encoded = percent_encoding::utf8_percent_encode(&text, URI_PATH).to_string();
    if encoded.starts_with('/') {
        format!("file://{encoded}")
    } else {
        format!("file:///{encoded}")
    }
}

/// Characters kept as they are in a `file://` path: RFC 3986 unreserved and `/`.
const URI_PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// The repositories this run scans.
#[derive(Debug)]
pub struct RepoPlan {
    /// This run's share of the list, in list order.
    pub repos: Vec<RepoEntry>,
    /// How many the list holds.
    pub listed: usize,
    /// The shard, if the list is shared out.
    pub shard: Option<Shard>,
}

/// Reads `--repos` and takes this run's shard of it.
pub fn plan(args: &crate::cli::ScanArgs) -> anyhow::Result<RepoPlan> {
    let Some(file) = &args.repos else {
        bail!("no --repos FILE given");
    };
    if !args.git.history {
        bail!("--repos scans histories: add --history");
    }
    if args.path != Path::new(".") || !args.more_paths.is_empty() {
        bail!("--repos FILE names the repositories: give no PATH as well");
    }
    let shard = Shard::resolve(args.shard.as_deref(), args.shard_count, &|k| {
        std::env::var(k).ok()
    })?;
    let all = read_list(file)?;
    let listed = all.len();
    let repos = all
        .into_iter()
        .filter(|e| shard.is_none_or(|s| s.holds(&e.name)))
        .collect();
    Ok(RepoPlan {
        repos,
        listed,
        shard,
    })
}

/// The scan arguments for one repository of the list: the same options, its path.
pub fn args_for(args: &crate::cli::ScanArgs, entry: &RepoEntry) -> crate::cli::ScanArgs {
    let mut one = args.clone();
    one.path = entry.path.clone();
    one.repos = None;
    one.shard = None;
    one.shard_count = None;
    // The report is written once for the whole run, not per repository.
    one.out.output = None;
    one.out.sarif_history = None;
    // Each repository keeps its own state, so shards never write the same file.
    one.state = args
        .state
        .as_ref()
        .map(|d| d.join(state_folder(&entry.name)));
    one
}

/// The folder of a repository's state under `--state DIR`: its name made safe for a
/// file name, plus a hash of the exact name so two names that read alike stay apart.
pub fn state_folder(name: &str) -> String {
    use sha2::Digest as _;
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    let digest = sha2::Sha256::digest(name.as_bytes());
    let tag: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{tag}", slug.trim_start_matches('.'))
}

/// How the run's one report is rendered.
pub fn render_config(args: &crate::cli::ScanArgs) -> anyhow::Result<super::RenderConfig> {
    let render = crate::cli::RenderArgs {
        reports: Vec::new(),
        out: args.out.clone(),
    };
    let mut cfg = super::build_render(&render, true)?;
    cfg.opts.mode = crate::finding::SourceKind::History;
    Ok(cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_lines_paths_urls_names_and_errors() {
        let list =
            "# org repos\n\n/srv/a.git https://github.com/acme/a\nfile:///srv/b%20c\nrel/d\n";
        let got = parse_list(list, Path::new("/base")).unwrap();
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].name, "https://github.com/acme/a");
        assert_eq!(got[0].path, PathBuf::from("/srv/a.git"));
        assert_eq!(got[1].name, "file:///srv/b%20c");
        assert_eq!(got[1].path, PathBuf::from("/srv/b c"));
        assert_eq!(got[2].path, PathBuf::from("/base/rel/d"));
        let e = parse_list("a\nhttps://github.com/x/y\n", Path::new("/")).unwrap_err();
        assert!(format!("{e:#}").contains("line 2"), "{e:#}");
        let e = parse_list("a x\nb x\n", Path::new("/")).unwrap_err();
        assert!(format!("{e:#}").contains("twice"), "{e:#}");
    }

    #[test]
    fn shards_split_the_list_stably_and_the_flag_wins_over_the_job_index() {
        let names: Vec<String> = (0..200).map(|i| format!("repo-{i}")).collect();
        let mut seen = vec![0; 200];
        for index in 0..4 {
            let s = Shard { index, count: 4 };
            for (i, n) in names.iter().enumerate() {
                if s.holds(n) {
                    seen[i] += 1;
                }
            }
        }
        assert!(
            seen.iter().all(|&c| c == 1),
            "each repository in exactly one shard"
        );
        // Fixed forever (first 8 bytes of SHA-256, big-endian, modulo COUNT; the values
        // were computed with Python's hashlib): a repository must not move between shards
        // across versions, or a Job's retries and its state would disagree.
        assert_eq!(shard_of("repo-0", 4), 1);
        assert_eq!(shard_of("https://github.com/acme/api", 4), 3);
        assert_eq!(shard_of("https://github.com/acme/api", 7), 6);
        let env = |k: &str| (k == "JOB_COMPLETION_INDEX").then(|| "2".to_owned());
        let none = |_: &str| None;
        assert_eq!(
            Shard::resolve(None, Some(3), &env).unwrap(),
            Some(Shard { index: 2, count: 3 })
        );
        assert_eq!(
            Shard::resolve(Some("0/3"), Some(3), &env).unwrap(),
            Some(Shard { index: 0, count: 3 })
        );
        assert_eq!(Shard::resolve(None, None, &env).unwrap(), None);
        assert!(Shard::resolve(None, Some(3), &none).is_err());
        assert!(Shard::resolve(None, Some(2), &env).is_err());
        assert!(Shard::parse("4/4").is_err() && Shard::parse("x").is_err());
    }
}
