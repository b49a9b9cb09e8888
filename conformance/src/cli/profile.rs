//! `rawcd profile capture (--device DEV | --emulate PROFILE) -o FILE.json
//! [--name NAME]`: records what a recorder answers (INQUIRY, GET
//! CONFIGURATION, pages 2Ah and 05h, GET PERFORMANCE, the write modes
//! trial MODE SELECT accepts) as an emulator drive profile, so the drive can
//! be replayed with `--emulate FILE.json` ([`rawcd_conformance::capture`]).

use std::path::PathBuf;

use clap::{Args, Subcommand};

use rawcd_conformance::capture::{self, Capture};
use rawcd_emulator::Emulator;

use super::{CliError, EXIT_OK};

/// Arguments of `rawcd profile`.
#[derive(Debug, Args)]
pub struct ProfileArgs {
    #[command(subcommand)]
    command: ProfileCommand,
}

#[derive(Debug, Subcommand)]
enum ProfileCommand {
    /// Capture a recorder's answers as a drive profile (harmless: nothing is written; page 05h is restored).
    Capture(CaptureArgs),
}

/// Arguments of `rawcd profile capture`.
#[derive(Debug, Args)]
struct CaptureArgs {
    /// Recorder device (/dev/sgN, /dev/srN; needs a build with --features sg). A blank CD-R in the tray gives the most complete answers.
    #[arg(long, conflicts_with = "emulate", required_unless_present = "emulate")]
    device: Option<String>,
    /// Capture the virtual recorder with this drive profile (default, sao-only, no-buf, mmc2-old or a .json).
    #[arg(long, value_name = "PROFILE")]
    emulate: Option<String>,
    /// Medium in the virtual recorder.
    #[arg(
        long,
        value_name = "KIND",
        default_value = "cdr80",
        requires = "emulate"
    )]
    media: String,
    /// Where to write the profile JSON (e.g. corpus/drives/NAME.json).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: PathBuf,
    /// Profile name (default: from the INQUIRY vendor and product).
    #[arg(long)]
    name: Option<String>,
    /// Print the whole capture (profile, unobserved fields, notes, raw answers) as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `rawcd profile …`.
pub fn run(args: ProfileArgs) -> Result<i32, CliError> {
    match args.command {
        ProfileCommand::Capture(a) => run_capture(a),
    }
}

fn run_capture(args: CaptureArgs) -> Result<i32, CliError> {
    let captured = if let Some(profile) = &args.emulate {
        let mut emu = Emulator::builtin(profile, &args.media).map_err(|e| {
            CliError::input(format!("--emulate {profile} --media {}: {e}", args.media))
        })?;
        capture::capture(
            &mut emu,
            args.name.as_deref(),
            &format!("virtual recorder, profile {profile}"),
        )
        .map_err(CliError::device)?
    } else {
        capture_device(&args)?
    };
    std::fs::write(&args.output, captured.profile_json())
        .map_err(|e| CliError::input(format!("{}: {e}", args.output.display())))?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&captured).unwrap_or_default()
        );
    } else {
        print!("{}", summary(&captured));
        println!("wrote {}", args.output.display());
    }
    Ok(EXIT_OK)
}

#[cfg(any(all(target_os = "linux", feature = "sg"), windows))]
fn capture_device(args: &CaptureArgs) -> Result<Capture, CliError> {
    let dev = args.device.clone().unwrap_or_default();
    let mut t = rawcd::transport::sys::PlatformTransport::open(dev.as_str())
        .map_err(|e| CliError::device(format!("{dev}: {e}")))?;
    capture::capture(&mut t, args.name.as_deref(), &dev)
        .map_err(|e| CliError::device(format!("{dev}: {e}")))
}

#[cfg(not(any(all(target_os = "linux", feature = "sg"), windows)))]
fn capture_device(args: &CaptureArgs) -> Result<Capture, CliError> {
    Err(CliError::input(format!(
        "--device {}: this rawcd was built without a device backend; rebuild with `--features sg` or use --emulate",
        args.device.as_deref().unwrap_or("")
    )))
}

/// The human summary: identity, commands, write modes, what was filled in.
fn summary(c: &Capture) -> String {
    let p = &c.profile;
    let yes = |b: bool| if b { "yes" } else { "no" };
    let mut s = format!(
        "profile {}: {} {} {}\n",
        p.name, p.inquiry.vendor, p.inquiry.product, p.inquiry.revision
    );
    s += &format!(
        "  GET CONFIGURATION: {}  profiles: {}\n",
        if p.get_configuration {
            "yes"
        } else {
            "no (5/20/00, MMC-2)"
        },
        p.profiles
            .iter()
            .map(|x| format!("{x:04X}h"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    s += &format!(
        "  writes CD-R: {}  CD-RW: {}  test write: {}  RAW test write: {}  BUF: {}  buffer: {} KiB\n",
        yes(p.cd_r_write),
        yes(p.cd_rw_write),
        yes(p.test_write),
        yes(p.raw_test_write),
        yes(p.buf),
        p.buffer_kib
    );
    s += &format!(
        "  write speeds (kB/s, {}): {:?}  max read: {} kB/s\n",
        c.observed.write_speeds_from, p.write_speeds_kbps, p.max_read_speed_kbps
    );
    const NAMES: [&str; 4] = ["packet", "TAO", "SAO", "RAW"];
    for m in &p.write_modes {
        s += &format!(
            "  {:<6} data block types {:?}\n",
            NAMES.get(usize::from(m.write_type)).unwrap_or(&"?"),
            m.data_block_types
        );
    }
    if p.write_modes.is_empty() {
        s += "  no write mode accepted\n";
    }
    s += &format!(
        "  {} trial MODE SELECTs; page 05h restored: {}\n",
        c.observed.trials,
        yes(c.observed.page_05_restored)
    );
    for u in &c.unobserved {
        s += &format!("  not observed: {} = {} ({})\n", u.field, u.filled, u.why);
    }
    for n in &c.notes {
        s += &format!("  note: {n}\n");
    }
    s
}
