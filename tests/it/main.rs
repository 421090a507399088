//! The integration test binary: runs the built `keytrace` on temp directories and real
//! git repositories. Helpers live here; tests are grouped by what they exercise.

mod action;
mod adversarial;
mod configfile;
mod corpus;
mod decode;
mod edges;
mod facts;
mod git;
mod hook;
mod layers;
mod nhi;
mod org;
mod paths;
mod precommit;
mod sarif;
mod state;
mod suppress;
mod worktree;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// Path of the binary under test.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_keytrace"))
}

/// The package root (for the corpus).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A finished run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The JSON document printed by `--format json`.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// The `keytrace: error: ...` lines on stderr (inputs that could not be read).
    pub fn errors(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("keytrace: error: "))
            .collect()
    }

    /// The findings of `--format json`.
    pub fn findings(&self) -> Vec<Value> {
        self.json()["findings"]
            .as_array()
            .expect("findings is an array")
            .clone()
    }
}

/// Runs keytrace with `args` in `dir`, isolated from the user's git config.
pub fn keytrace(dir: &Path, args: &[&str]) -> Run {
    keytrace_stdin(dir, args, None)
}

/// Runs `keytrace scan ARGS --format json` in `dir`: the scan most tests read.
pub fn scan_json(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["scan"];
    all.extend_from_slice(args);
    all.extend(["--format", "json"]);
    keytrace(dir, &all)
}

/// Runs keytrace with `input` on stdin.
pub fn keytrace_stdin(dir: &Path, args: &[&str], input: Option<&[u8]>) -> Run {
    use std::io::Write;
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir);
    cmd.stdin(if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn keytrace");
    if let Some(input) = input {
        child
            .stdin
            .take()
            .expect("piped stdin")
            .write_all(input)
            .expect("write stdin");
    }
    Run::from(child.wait_with_output().expect("wait for keytrace"))
}

/// Writes `files` (path, content) under `dir`, creating folders.
pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (path, content) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().expect("a file has a parent")).expect("mkdir");
        std::fs::write(&p, content).expect("write file");
    }
}

/// A copy of the folder `src` outside any git repository. The corpus lives in this
/// repository, whose `.keytrace/config.toml` allows `corpus/` (a scan of a subfolder reads
/// the repository root's policy, issue 12 item 6), so corpus tests scan a copy.
pub fn outside_repository(src: &Path) -> tempfile::TempDir {
    fn copy(src: &Path, dst: &Path) {
        std::fs::create_dir_all(dst).expect("mkdir");
        for entry in std::fs::read_dir(src).expect("read corpus folder") {
            let entry = entry.expect("corpus entry");
            let to = dst.join(entry.file_name());
            if entry.file_type().expect("file type").is_dir() {
                copy(&entry.path(), &to);
            } else {
                std::fs::copy(entry.path(), &to).expect("copy corpus file");
            }
        }
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    copy(src, tmp.path());
    tmp
}

/// Fake credentials used across tests, assembled at run time so this file holds none.
pub mod secrets {
    /// A GitHub classic PAT shape (with a valid checksum: 30 characters + their CRC32).
    pub fn github_pat() -> String {
        format!("ghp_{}", "Zq8rT2mK9vX4pL7wN3bH6jF1cD5sA02Lr0ng")
    }
    /// The `n`-th of a family of GitHub classic PAT shapes, distinct from each other and
    /// from [`github_pat`], each with a valid checksum.
    pub fn github_pat_variant(n: u8) -> String {
        let body = format!("Zq8rT2mK9vX4pL7wN3bH6jF1cD5sA{}", (b'a' + n % 26) as char);
        let check = keytrace::matcher::checksum::github_checksum(body.as_bytes());
        format!("ghp_{body}{}", String::from_utf8_lossy(&check))
    }
    /// A Stripe live secret key shape.
    pub fn stripe_live() -> String {
        format!("sk_live_{}", "51Hq8rT2mK9vX4pL7wN3bH6jF1cD5sA0yE1u9RtY")
    }
}
