//! `rawcd toc IN [--json]`: the table of contents of a layout (what the
//! image will have) or of a raw image (as its lead-in and program-area Q
//! channel say, decoded by the validator).

use std::path::PathBuf;

use clap::Args;

use rawcd::layout::Toc;

use super::{input, CliError, EXIT_OK};

/// Arguments of `rawcd toc`.
#[derive(Debug, Args)]
pub struct TocArgs {
    /// Cue sheet, cdrdao .toc or JSON layout, or a raw DAO-96 image.
    input: PathBuf,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Runs `rawcd toc`.
pub fn run(args: TocArgs) -> Result<i32, CliError> {
    let ext = args
        .input
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let (toc, warnings) = if ["cue", "toc", "json"].contains(&ext.as_str()) {
        let loaded = input::load(&args.input)?;
        let plan = loaded.layout.plan()?;
        let mut warnings = loaded.warnings;
        warnings.extend(plan.warnings.iter().cloned());
        (plan.toc(), warnings)
    } else {
        (image_toc(&args.input)?, Vec::new())
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&toc).expect("TOC serializes")
        );
    } else {
        print!("{toc}");
        for w in &warnings {
            eprintln!("warning: {w}");
        }
    }
    Ok(EXIT_OK)
}

/// The TOC of a raw image, read from its Q channel.
fn image_toc(path: &std::path::Path) -> Result<Toc, CliError> {
    let report = rawcd::validate::validate_file(path, &rawcd::validate::Options::default())
        .map_err(|e| CliError::input(format!("{}: {e}", path.display())))?;
    report.toc.ok_or_else(|| {
        CliError::input(format!(
            "{}: no table of contents could be read from the image's Q channel",
            path.display()
        ))
    })
}
