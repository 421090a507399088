//! The `keytrace` binary: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = keytrace::cli::Cli::parse();
    match keytrace::run::run(cli) {
        Ok(code) => code.into(),
        Err(err) => {
            if keytrace::run::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!(
                "keytrace: error: {}",
                keytrace::escape::sanitize(&format!("{err:#}"))
            );
            keytrace::run::Exit::Error.into()
        }
    }
}
