//! `rawcd create IN -o OUT`: build a DAO-96 image from a layout.
//!
//! The image is written to a temporary file beside OUT and renamed into place
//! only when every sector was generated, so a failure never leaves a file
//! that looks complete.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use serde::Serialize;

use rawcd::image::{ImageType, ResultImage};
use rawcd::layout::{Mcn, Toc};
use rawcd::Lba;

use super::{input, CliError, EXIT_OK};

/// Arguments of `rawcd create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Cue sheet, cdrdao .toc or JSON layout.
    input: PathBuf,
    /// The image file to write.
    #[arg(short, long, required_unless_present = "bench")]
    output: Option<PathBuf>,
    /// Sub-channel format: raw (P-W interleaved, 2448), cooked (packed R-W, 2448) or pq (2368).
    #[arg(long = "type", value_name = "raw|cooked|pq")]
    image_type: Option<ImageType>,
    /// Gapless audio (the default, as IMAPI's DisableGaplessAudio = false): states it.
    #[arg(long, conflicts_with = "disable_gapless")]
    gapless: bool,
    /// Insert 150 silent sectors before every track from the second on that has no pregap.
    #[arg(long)]
    disable_gapless: bool,
    /// Media catalogue number (13 digits) to put in the Q channel.
    #[arg(long, value_name = "N")]
    mcn: Option<String>,
    /// Refuse layouts whose lead-out starts after this LBA.
    #[arg(long, value_name = "LBA")]
    leadout_limit: Option<Lba>,
    /// Print a JSON summary instead of text.
    #[arg(long)]
    json: bool,
    /// Generate the image without writing it and print throughput and peak memory.
    #[arg(long)]
    bench: bool,
}

#[derive(Serialize)]
struct Summary<'a> {
    output: Option<String>,
    image_type: ImageType,
    sector_size: usize,
    sectors: u64,
    bytes: u64,
    first_lba: Lba,
    leadout_lba: Lba,
    warnings: &'a [String],
    toc: &'a Toc,
}

/// Runs `rawcd create`.
pub fn run(args: CreateArgs) -> Result<i32, CliError> {
    let mut loaded = input::load(&args.input)?;
    if let Some(mcn) = &args.mcn {
        let m = Mcn::parse_exact(mcn).map_err(|e| CliError::input(format!("--mcn: {e}")))?;
        loaded.layout.mcn = Some(m);
    }
    if let Some(limit) = args.leadout_limit {
        loaded.layout.leadout_limit = limit;
    }
    if args.disable_gapless {
        loaded.layout.disable_gapless_audio();
    }
    let image_type = args.image_type.or(loaded.image_type).unwrap_or_default();
    let plan = loaded.layout.plan()?;
    let toc = plan.toc();
    let mut warnings = loaded.warnings.clone();
    warnings.extend(plan.warnings.iter().cloned());
    let sources = input::open_sources(&loaded.layout)?;
    let mut image = ResultImage::new(plan, image_type, sources);
    let summary = Summary {
        output: args.output.as_ref().map(|p| p.display().to_string()),
        image_type,
        sector_size: image_type.sector_size(),
        sectors: image.sector_count(),
        bytes: image.len(),
        first_lba: image.first_lba(),
        leadout_lba: toc.leadout_lba,
        warnings: &warnings,
        toc: &toc,
    };
    if !args.json {
        for w in &warnings {
            eprintln!("warning: {w}");
        }
    }
    let started = Instant::now();
    if args.bench {
        let bytes = copy_image(&mut image, &mut io::sink())
            .map_err(|e| CliError::input(format!("{}: {e}", args.input.display())))?;
        report_bench(bytes, started.elapsed().as_secs_f64());
        return Ok(EXIT_OK);
    }
    let output = args
        .output
        .as_ref()
        .expect("clap requires -o without --bench");
    write_atomically(&mut image, output)?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&summary).expect("summary serializes")
        );
    } else {
        println!(
            "{}: {} sectors of {} bytes ({} image), {} bytes, tracks {}-{}, lead-out at LBA {}",
            output.display(),
            summary.sectors,
            summary.sector_size,
            image_type,
            summary.bytes,
            toc.first_track,
            toc.last_track,
            toc.leadout_lba
        );
    }
    Ok(EXIT_OK)
}

/// Writes the image to a temporary file beside `output`, then renames it.
fn write_atomically(image: &mut ResultImage, output: &std::path::Path) -> Result<(), CliError> {
    let dir = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| std::path::Path::new("."));
    let tmp = tempfile::Builder::new()
        .prefix(".rawcd-create-")
        .suffix(".partial")
        .tempfile_in(dir)
        .map_err(|e| {
            CliError::input(format!(
                "{}: cannot create a temporary file: {e}",
                dir.display()
            ))
        })?;
    let mut writer = BufWriter::with_capacity(1 << 20, tmp.as_file());
    copy_image(image, &mut writer)
        .map_err(|e| CliError::input(format!("{}: {e}", output.display())))?;
    writer
        .flush()
        .map_err(|e| CliError::input(format!("{}: {e}", output.display())))?;
    drop(writer);
    tmp.persist(output)
        .map_err(|e| CliError::input(format!("{}: {}", output.display(), e.error)))?;
    Ok(())
}

/// Copies the whole image in large sector-aligned chunks.
fn copy_image(image: &mut ResultImage, out: &mut dyn Write) -> io::Result<u64> {
    let chunk = image.image_type().sector_size() * 256;
    let mut buf = vec![0u8; chunk];
    let mut total = 0u64;
    loop {
        let n = image.read(&mut buf)?;
        if n == 0 {
            return Ok(total);
        }
        out.write_all(&buf[..n])?;
        total += n as u64;
    }
}

/// Prints throughput and peak resident memory.
fn report_bench(bytes: u64, seconds: f64) {
    let mb = bytes as f64 / 1e6;
    println!(
        "generated {bytes} bytes in {seconds:.3} s: {:.0} MB/s",
        mb / seconds.max(1e-9)
    );
    if let Some(kib) = peak_rss_kib() {
        println!("peak RSS: {:.1} MiB", kib as f64 / 1024.0);
    }
}

/// Peak resident set size of this process (Linux `VmHWM`).
fn peak_rss_kib() -> Option<u64> {
    let mut s = String::new();
    File::open("/proc/self/status")
        .ok()?
        .read_to_string(&mut s)
        .ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
