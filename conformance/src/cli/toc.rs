//! `rawcd toc IN [--json]`: the table of contents a layout will produce.

use std::path::PathBuf;

use clap::Args;

use super::{input, CliError, EXIT_OK};

/// Arguments of `rawcd toc`.
#[derive(Debug, Args)]
pub struct TocArgs {
    /// Cue sheet, cdrdao .toc or JSON layout.
    input: PathBuf,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Runs `rawcd toc`.
pub fn run(args: TocArgs) -> Result<i32, CliError> {
    let loaded = input::load(&args.input)?;
    let plan = loaded.layout.plan()?;
    let toc = plan.toc();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&toc).expect("TOC serializes")
        );
    } else {
        print!("{toc}");
        for w in loaded.warnings.iter().chain(&plan.warnings) {
            eprintln!("warning: {w}");
        }
    }
    Ok(EXIT_OK)
}
