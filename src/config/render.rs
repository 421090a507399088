//! `keytrace render` and `keytrace merge` arguments turned into what they need: the
//! reports to read, where the output goes, and the render options (format, colour, SARIF
//! category and history file, annotation cap).

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::bail;

use crate::cli::{ColorArg, FormatArg, OutputArgs};
use crate::report::{Format, RenderOptions};

/// The report format of a `--format` argument.
fn format_arg(arg: FormatArg) -> Format {
    match arg {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Github => Format::Github,
        FormatArg::Markdown => Format::Markdown,
    }
}

/// Whether to colour the text format: `auto` colours a terminal unless NO_COLOR is set.
fn color_of(arg: ColorArg, to_file: bool) -> bool {
    match arg {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            !to_file && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    }
}

/// `keytrace render` and `keytrace merge`, validated: the reports to read, where the
/// output goes and how it is rendered (the scan mode and repositories come from the
/// reports).
#[derive(Debug)]
pub struct RenderConfig {
    /// The JSON reports.
    pub reports: Vec<PathBuf>,
    /// Where the output goes (stdout when None).
    pub output: Option<PathBuf>,
    /// Format, colour, SARIF category and history file, annotation cap.
    pub opts: RenderOptions,
}

/// Builds the render configuration; `merge` allows several reports, `render` one.
pub fn build_render(args: &crate::cli::RenderArgs, merge: bool) -> anyhow::Result<RenderConfig> {
    if !merge && args.reports.len() != 1 {
        bail!(
            "render reads one report ({} given): `keytrace merge` combines several",
            args.reports.len()
        );
    }
    Ok(RenderConfig {
        reports: args.reports.clone(),
        output: args.out.output.clone(),
        opts: render_options(&args.out)?,
    })
}

/// The render options of the output flags `scan`, `render` and `merge` share, with the
/// SARIF-only flags checked against the format: they are errors with another format
/// (issue 12, item 20), since a flag that silently does nothing hides a mistake in a
/// workflow. The scan mode is left at its default; the caller knows it.
pub fn render_options(out: &OutputArgs) -> anyhow::Result<RenderOptions> {
    let format = format_arg(out.format);
    if out.sarif_history.is_some() && format != Format::Sarif {
        bail!("--sarif-history FILE needs --format sarif");
    }
    if out.category.is_some() && format != Format::Sarif {
        bail!("--category needs --format sarif (it names the SARIF file's code scanning category)");
    }
    let mut opts = RenderOptions::new(format);
    opts.color = color_of(out.color, out.output.is_some());
    opts.category = out.category.clone();
    opts.sarif_history = out.sarif_history.clone();
    opts.max_annotations = out.max_annotations;
    Ok(opts)
}
