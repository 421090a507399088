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
            // One line per line of the message, each sanitized: a multi-line message reads
            // as lines, not as literal `\n` (issue 12, item 11).
            let text = format!("{err:#}");
            for (i, line) in text.lines().filter(|l| !l.trim().is_empty()).enumerate() {
                let lead = if i == 0 { "keytrace: error: " } else { "    " };
                eprintln!("{lead}{}", keytrace::escape::sanitize(line.trim_end()));
            }
            keytrace::run::Exit::Error.into()
        }
    }
}
