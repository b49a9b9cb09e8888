//! `rawcd burn IMAGE (--device DEV | --emulate PROFILE)`: write Disc-At-Once
//! through [`DiscFormat2RawCd`], from a raw image file or straight from a
//! layout (`.cue`, `.toc`, `.json`: the image is generated while it is
//! written, no temporary file). Progress bar or JSON-lines events; Ctrl-C
//! cancels cleanly (the drive is unlocked); exit 0 / 2 bad input / 3 device.

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use rawcd::image::{ImageType, ResultImage};
use rawcd::transport::{Tracer, Transport};
use rawcd::writer::{Control, DiscFormat2RawCd, FnClock, ImageStream, WriteAction, WriteEvent};
use rawcd::Msf;
use rawcd_emulator::Emulator;

use super::{input, CliError, EXIT_OK};

/// Arguments of `rawcd burn`.
#[derive(Debug, Args)]
pub struct BurnArgs {
    /// Raw image (2448 or 2368 bytes per sector, first sector at --start), or a .cue/.toc/.json layout.
    image: PathBuf,
    /// Recorder device (/dev/sgN, /dev/srN; needs a build with --features sg).
    #[arg(long, conflicts_with = "emulate", required_unless_present = "emulate")]
    device: Option<String>,
    /// Burn on the virtual recorder with this drive profile (default, sao-only, no-buf, mmc2-old or a .json).
    #[arg(long, value_name = "PROFILE")]
    emulate: Option<String>,
    /// Medium in the virtual recorder (cdr74, cdr80, cdr90, cdr99, cdrw, ... or a .rcd file).
    #[arg(
        long,
        value_name = "KIND",
        default_value = "cdr80",
        requires = "emulate"
    )]
    media: String,
    /// Write speed as a CD multiple (e.g. 16); the fastest when absent.
    #[arg(long, value_name = "X")]
    speed: Option<u32>,
    /// Test write: the laser stays off (many drives refuse this in raw mode).
    #[arg(long)]
    simulate: bool,
    /// MSF of the image's first sector (raw images; layouts always start at 95:00:00).
    #[arg(long, value_name = "MSF", default_value = "95:00:00")]
    start: Msf,
    /// Sub-channel format of a raw image file or the image generated from a layout.
    #[arg(long = "type", value_name = "raw|cooked|pq")]
    image_type: Option<ImageType>,
    /// Disable buffer-underrun-free recording (BUF).
    #[arg(long)]
    no_buf: bool,
    /// Keep the emulated disc in this .rcd file.
    #[arg(long, value_name = "FILE", requires = "emulate")]
    disc_out: Option<PathBuf>,
    /// Record every CDB as JSON lines to this file, with all data in and out (replayable
    /// through `transport::Replay`; about twice the image size).
    #[arg(long, value_name = "FILE")]
    trace: Option<PathBuf>,
    /// Print progress events as JSON lines instead of a progress bar.
    #[arg(long)]
    json: bool,
}

/// The image to burn: a seekable stream with its type and stream lead-in.
struct Source {
    stream: Box<dyn Stream>,
    image_type: ImageType,
    lead_in_sectors: i32,
}

trait Stream: ImageStream + Send {}
impl<S: ImageStream + Send> Stream for S {}

fn open_source(args: &BurnArgs) -> Result<Source, CliError> {
    let ext = args
        .image
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if matches!(ext.as_str(), "cue" | "toc" | "json") {
        let loaded = input::load(&args.image)?;
        let ty = args.image_type.or(loaded.image_type).unwrap_or_default();
        let plan = loaded.layout.plan()?;
        let sources = input::open_sources(&loaded.layout)?;
        let image = ResultImage::new(plan, ty, sources);
        return Ok(Source {
            lead_in_sectors: -image.first_lba(),
            stream: Box::new(image),
            image_type: ty,
        });
    }
    let f = File::open(&args.image)
        .map_err(|e| CliError::input(format!("{}: {e}", args.image.display())))?;
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let ty = match args.image_type {
        Some(t) => t,
        None if len % 2448 == 0 => ImageType::Cooked,
        None if len % 2368 == 0 => ImageType::PqOnly,
        None => {
            return Err(CliError::input(format!(
                "{}: {len} bytes is neither a multiple of 2448 nor of 2368",
                args.image.display()
            )))
        }
    };
    let first = args.start.to_lba();
    if first >= 0 {
        return Err(CliError::input(format!(
            "--start {}: the image must start before LBA 0",
            args.start
        )));
    }
    Ok(Source {
        stream: Box::new(BufReader::with_capacity(1 << 20, f)),
        image_type: ty,
        lead_in_sectors: -first,
    })
}

/// Runs `rawcd burn`.
pub fn run(args: BurnArgs) -> Result<i32, CliError> {
    let source = open_source(&args)?;
    let sink: Box<dyn Write + Send> = match &args.trace {
        Some(p) => Box::new(std::io::BufWriter::new(
            File::create(p).map_err(|e| CliError::input(format!("{}: {e}", p.display())))?,
        )),
        None => Box::new(std::io::sink()),
    };
    if let Some(profile) = &args.emulate {
        let mut emu = Emulator::builtin(profile, &args.media).map_err(|e| {
            CliError::input(format!("--emulate {profile} --media {}: {e}", args.media))
        })?;
        if let Some(out) = &args.disc_out {
            emu = emu.with_disc_out(out);
        }
        let mut writer = DiscFormat2RawCd::empty();
        writer.set_clock(FnClock::new(
            |t: &mut Tracer<Emulator, Box<dyn Write + Send>>| {
                Duration::from_micros(t.get_ref().clock().now_us())
            },
            |t: &mut Tracer<Emulator, Box<dyn Write + Send>>, d| t.get_mut().advance_time(d),
        ));
        return burn(
            writer,
            Tracer::new(emu, sink).with_record_data(true),
            source,
            &args,
        );
    }
    #[cfg(all(target_os = "linux", feature = "sg"))]
    {
        let dev = args.device.clone().unwrap_or_default();
        let t = rawcd::transport::sys::SgTransport::open(&dev)
            .map_err(|e| CliError::device(format!("{dev}: {e}")))?;
        burn(
            DiscFormat2RawCd::empty(),
            Tracer::new(t, sink).with_record_data(true),
            source,
            &args,
        )
    }
    #[cfg(not(all(target_os = "linux", feature = "sg")))]
    {
        drop(sink);
        Err(CliError::input(format!(
            "--device {}: this rawcd was built without a device backend; rebuild with `--features sg` or use --emulate",
            args.device.as_deref().unwrap_or("")
        )))
    }
}

fn burn<T: Transport + Send + 'static>(
    mut writer: DiscFormat2RawCd<T>,
    transport: T,
    mut source: Source,
    args: &BurnArgs,
) -> Result<i32, CliError> {
    writer
        .set_recorder(transport)
        .map_err(|e| CliError::device(hr(&e)))?;
    let result = burn_prepared(&mut writer, &mut source, args);
    let released = if writer.is_prepared() {
        writer.release_media()
    } else {
        Ok(())
    };
    result?;
    released.map_err(|e| CliError::device(hr(&e)))?;
    Ok(EXIT_OK)
}

fn burn_prepared<T: Transport + Send + 'static>(
    writer: &mut DiscFormat2RawCd<T>,
    source: &mut Source,
    args: &BurnArgs,
) -> Result<(), CliError> {
    let dev = |e: rawcd::Error| CliError::device(hr(&e));
    writer.set_client_name("rawcd").map_err(dev)?;
    writer.set_test_write(args.simulate);
    if let Some(x) = args.speed {
        writer
            .set_write_speed((x * 75) as i32, false)
            .map_err(dev)?;
    }
    writer.prepare_media().map_err(dev)?;
    writer
        .set_requested_sector_type(source.image_type)
        .map_err(dev)?;
    if args.no_buf {
        writer
            .set_buffer_underrun_free_disabled(true)
            .map_err(dev)?;
    }
    let cancel = writer.cancel_handle();
    let _ = ctrlc::set_handler(move || {
        let _ = cancel.cancel_write();
    });
    let sector_size = source.image_type.sector_size() as f64;
    if args.json {
        writer.set_event_handler(|e| {
            println!("{}", serde_json::to_string(e).unwrap_or_default());
            Control::Continue
        });
    } else {
        let bar = ProgressBar::new(1000);
        bar.set_style(
            ProgressStyle::with_template("{prefix:>9} [{bar:30}] {percent:>3}% {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        let started = Instant::now();
        writer.set_event_handler(move |e| {
            update_bar(&bar, e, sector_size, started);
            Control::Continue
        });
    }
    let r = writer.write_media2(&mut *source.stream, source.lead_in_sectors);
    writer.clear_event_handler();
    r.map_err(|e| {
        if e.hresult() == rawcd::error::hresult::E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED
            || e.hresult() == rawcd::error::hresult::E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT
        {
            CliError::input(hr(&e))
        } else {
            dev(e)
        }
    })?;
    if !args.json {
        eprintln!();
        println!(
            "burned {} ({} image){}",
            args.image.display(),
            source.image_type,
            if args.simulate { " — simulation" } else { "" }
        );
    }
    Ok(())
}

fn update_bar(bar: &ProgressBar, e: &WriteEvent, sector_size: f64, started: Instant) {
    bar.set_prefix(e.current_action.name());
    bar.set_position((e.progress() * 1000.0) as u64);
    let mb = e.sectors_written() as f64 * sector_size / 1e6;
    let speed = if e.elapsed_time > 0.0 {
        e.sectors_written() as f64 / e.elapsed_time / 75.0
    } else {
        0.0
    };
    let fill = match (e.used_device_buffer, e.total_device_buffer) {
        (Some(u), Some(t)) if t > 0 => format!(" buf {:>3.0}%", u as f64 * 100.0 / t as f64),
        _ => String::new(),
    };
    bar.set_message(format!(
        "{mb:7.1} MB {speed:5.1}x{fill} ETA {:>4.0}s (wall {:.0}s)",
        e.remaining_time,
        started.elapsed().as_secs_f64()
    ));
    if e.current_action == WriteAction::Finishing && e.progress() >= 1.0 {
        bar.tick();
    }
}

/// An error with its HRESULT, as the CLI prints it.
fn hr(e: &rawcd::Error) -> String {
    format!("{e} [HRESULT 0x{:08X}]", e.hresult())
}
