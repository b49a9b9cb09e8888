//! `rawcd validate IMAGE`: check a raw image sector by sector.
//!
//! The input is chosen by extension: `.ccd` a CloneCD set (`.img` + `.sub`
//! beside it), `.cue` / `.toc` a cue sheet or cdrdao `.toc` file with its bin
//! files (and `--sub FILE`, raw P–W), anything else an IMAPI DAO-96 image.
//!
//! Exit codes: 0 clean, 1 defects found, 2 the input cannot be read (missing
//! file, truncated, wrong size, unparseable description line).

use std::path::PathBuf;

use clap::Args;

use rawcd::image::ImageType;
use rawcd::validate::{self, repair, Media, Options};
use rawcd::{Lba, Msf};

use super::{CliError, EXIT_DEFECTS, EXIT_OK};

/// Arguments of `rawcd validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The image to check: an IMAPI DAO-96 image (raw/cooked 2448 or PQ 2368 bytes per sector), a CloneCD .ccd, or a .cue / cdrdao .toc with its bin files.
    image: PathBuf,
    /// Sub-channel file of a .cue/.toc image: 96 bytes of raw P–W per sector from the first sector of the first file.
    #[arg(long, value_name = "FILE")]
    sub: Option<PathBuf>,
    /// Sub-channel format; detected from size and content when omitted.
    #[arg(long = "type", value_name = "raw|cooked|pq")]
    image_type: Option<ImageType>,
    /// Address of the first image sector (default 95:00:00).
    #[arg(long, value_name = "MSF")]
    start: Option<Msf>,
    /// Media the disc must fit: cdr74, cdr80, cdr90 or cdr99.
    #[arg(long, value_name = "KIND")]
    media: Option<Media>,
    /// Last possible start of the lead-out (LBA); overrides --media.
    #[arg(long, value_name = "LBA", allow_negative_numbers = true)]
    leadout_limit: Option<Lba>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// List at most N defects (all are still counted by kind).
    #[arg(long, value_name = "N")]
    max_defects: Option<usize>,
    /// Write a repaired copy to OUT (Q CRC/position and EDC/ECC regenerated where only those were wrong).
    #[arg(long, requires = "output")]
    repair: bool,
    /// Output of --repair.
    #[arg(short, long, value_name = "OUT", requires = "repair")]
    output: Option<PathBuf>,
}

/// What kind of input the image argument names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Input {
    Imapi,
    CloneCd,
    Described,
}

fn input_kind(path: &std::path::Path) -> Input {
    match path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .as_deref()
    {
        Some("ccd") => Input::CloneCd,
        Some("cue" | "toc") => Input::Described,
        _ => Input::Imapi,
    }
}

/// Runs `rawcd validate`.
pub fn run(args: ValidateArgs) -> Result<i32, CliError> {
    let kind = input_kind(&args.image);
    if kind != Input::Imapi {
        for (given, flag) in [
            (args.image_type.is_some(), "--type"),
            (args.start.is_some(), "--start"),
            (args.repair, "--repair"),
        ] {
            if given {
                return Err(CliError::input(format!(
                    "{flag} applies to IMAPI DAO-96 images only, not to {}",
                    args.image.display()
                )));
            }
        }
    }
    if args.sub.is_some() && kind != Input::Described {
        return Err(CliError::input(
            "--sub applies to .cue and .toc images only (CloneCD reads the .sub beside its .ccd)",
        ));
    }
    let mut opts = Options {
        image_type: args.image_type,
        start: args.start,
        media: args.media,
        leadout_limit: args.leadout_limit,
        max_defects: args.max_defects,
        toc: None,
    };
    if args.repair {
        // repair needs every defect listed
        opts.max_defects = None;
    }
    let mut report = match kind {
        Input::Imapi => validate::validate_file(&args.image, &opts),
        Input::CloneCd => validate::validate_ccd(&args.image, &opts),
        Input::Described => validate::validate_description(&args.image, args.sub.as_deref(), &opts),
    }
    .map_err(CliError::input)?;
    let repaired = match (&args.output, args.repair) {
        (Some(out), true) => {
            Some(repair::repair_file(&args.image, out, &report, &opts).map_err(CliError::input)?)
        }
        _ => None,
    };
    if let Some(n) = args.max_defects {
        report.truncated |= report.defects.len() > n;
        report.defects.truncate(n);
    }
    let mut text = String::new();
    if args.json {
        let mut v = serde_json::to_value(&report).expect("report serializes");
        if let Some(r) = &repaired {
            v["repair"] = serde_json::to_value(r).expect("repair serializes");
        }
        text = serde_json::to_string_pretty(&v).expect("JSON");
        text.push('\n');
    } else {
        text.push_str(&report.summary(args.max_defects.unwrap_or(20)));
        if let Some(r) = &repaired {
            text.push_str(&r.to_string());
        }
    }
    // a closed pipe (`| head`) is not an error of the validation
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
    Ok(if report.is_clean() {
        EXIT_OK
    } else {
        EXIT_DEFECTS
    })
}
