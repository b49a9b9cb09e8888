//! `rawcd devices`: the recorders the device backend finds (vendor, model,
//! revision, media, write modes), or — without a backend — a clear note and
//! the built-in emulated profiles.

use clap::Args;
use serde::Serialize;

use rawcd::writer::DiscFormat2RawCd;
use rawcd_emulator::{Emulator, BUILTIN_PROFILES};

use super::{CliError, EXIT_OK};

/// Arguments of `rawcd devices`.
#[derive(Debug, Args)]
pub struct DevicesArgs {
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// One recorder as listed.
#[derive(Debug, Serialize)]
struct Row {
    path: String,
    vendor: String,
    model: String,
    revision: String,
    media: String,
    write_modes: Vec<String>,
    emulated: bool,
}

fn describe<T: rawcd::transport::Transport>(path: String, t: T, emulated: bool) -> Row {
    let mut w = DiscFormat2RawCd::new(t);
    let info = w.probe().ok();
    let media = w
        .current_physical_media_type()
        .map(|m| format!("{m:?}"))
        .unwrap_or_else(|e| format!("? ({e})"));
    let mut modes = Vec::new();
    if let Some(f) = info.as_ref().and_then(|i| i.cd_mastering_flags) {
        use rawcd::mmc::param::features::*;
        if f & CD_MASTERING_SAO != 0 {
            modes.push("SAO".to_string());
        }
        if f & CD_MASTERING_RAW != 0 {
            modes.push("RAW/R16".to_string());
            if f & CD_MASTERING_RW != 0 {
                modes.push("RAW/R96P".to_string());
                modes.push("RAW/R96R".to_string());
            }
        }
        if f & CD_MASTERING_TEST_WRITE != 0 {
            modes.push("TEST-WRITE".to_string());
        }
        if f & CD_MASTERING_BUF != 0 {
            modes.push("BUF".to_string());
        }
    }
    let info = info.unwrap_or_default();
    Row {
        path,
        vendor: info.vendor,
        model: info.product,
        revision: info.revision,
        media,
        write_modes: modes,
        emulated,
    }
}

/// Runs `rawcd devices`.
pub fn run(args: DevicesArgs) -> Result<i32, CliError> {
    let devices = rawcd::transport::sys::discover();
    let backend = cfg!(any(all(target_os = "linux", feature = "sg"), windows));
    let mut rows: Vec<Row> = Vec::new();
    #[cfg(all(target_os = "linux", feature = "sg"))]
    for d in &devices {
        match rawcd::transport::sys::SgTransport::open_shared(&d.path) {
            Ok(t) => rows.push(describe(d.path.clone(), t, false)),
            Err(e) => rows.push(Row {
                path: d.path.clone(),
                vendor: d.vendor.clone(),
                model: d.product.clone(),
                revision: d.revision.clone(),
                media: format!("? ({e})"),
                write_modes: Vec::new(),
                emulated: false,
            }),
        }
    }
    #[cfg(not(all(target_os = "linux", feature = "sg")))]
    let _ = &devices;
    for p in BUILTIN_PROFILES {
        if let Ok(emu) = Emulator::builtin(p, "cdr80") {
            rows.push(describe(format!("--emulate {p}"), emu, true));
        }
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "device_backend": backend,
                "recorders": rows,
            }))
            .unwrap_or_default()
        );
        return Ok(EXIT_OK);
    }
    if !backend {
        println!("no device backend compiled in (rebuild with `--features sg` on Linux); physical recorders are not listed");
    } else if devices.is_empty() {
        println!("no recorders found");
    }
    for r in &rows {
        println!(
            "{:<22} {:<8} {:<16} {:<4}  media {:<8}  {}{}",
            r.path,
            r.vendor,
            r.model,
            r.revision,
            r.media,
            r.write_modes.join(" "),
            if r.emulated {
                "  (emulated, medium cdr80; see --media)"
            } else {
                ""
            }
        );
    }
    Ok(EXIT_OK)
}
