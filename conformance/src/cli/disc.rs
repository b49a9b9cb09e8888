//! `rawcd disc FILE toc|info|dump|export`: inspect a burned `.rcd` disc
//! (the virtual recorder's persisted disc, `rawcd_emulator::persist`).

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use rawcd::image::ImageType;
use rawcd::msf::{Lba, Msf, IMAGE_START_LBA};
use rawcd::sector::{encode_zero_sector, SectorType};
use rawcd::subcode::pack::{pq16, raw96, unraw96, PqCrc};
use rawcd::subcode::rw::deinterleave_sector;
use rawcd::subcode::QFrame;
use rawcd_emulator::persist::SLOT_LEN;
use rawcd_emulator::Media;

use super::{CliError, EXIT_OK};

/// Arguments of `rawcd disc`.
#[derive(Debug, Args)]
pub struct DiscArgs {
    /// The `.rcd` disc file.
    file: PathBuf,
    #[command(subcommand)]
    action: DiscAction,
}

#[derive(Debug, Subcommand)]
enum DiscAction {
    /// The TOC read back from the disc.
    Toc {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// State, ATIP and written extent.
    Info {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Hex dump of sectors with decoded Q.
    Dump {
        /// First LBA.
        #[arg(long, allow_hyphen_values = true)]
        lba: Lba,
        /// Number of sectors.
        #[arg(long, default_value_t = 1)]
        count: u32,
    },
    /// The disc as a DAO-96 image from MSF 95:00:00.
    Export {
        /// Output image.
        #[arg(short, long)]
        output: PathBuf,
        /// Sub-channel type: raw, cooked or pq.
        #[arg(long = "type", default_value = "raw")]
        ty: String,
    },
}

fn open(path: &Path) -> Result<Media, CliError> {
    Media::open(path).map_err(|e| CliError::input(format!("{}: {e}", path.display())))
}

/// Runs `rawcd disc`.
pub fn run(args: DiscArgs) -> Result<i32, CliError> {
    let mut media = open(&args.file)?;
    match args.action {
        DiscAction::Toc { json } => {
            let toc = media
                .toc()
                .ok_or_else(|| CliError::input("the disc has no TOC (blank or damaged)"))?
                .to_layout_toc();
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&toc).expect("TOC serializes")
                );
            } else {
                print!("{toc}");
            }
        }
        DiscAction::Info { json } => info(&media, json),
        DiscAction::Dump { lba, count } => dump(&mut media, lba, count)?,
        DiscAction::Export { output, ty } => {
            let ty = match ty.as_str() {
                "raw" => ImageType::Raw,
                "cooked" => ImageType::Cooked,
                "pq" => ImageType::PqOnly,
                other => return Err(CliError::input(format!("unknown image type '{other}'"))),
            };
            export(&mut media, &output, ty)?;
        }
    }
    Ok(EXIT_OK)
}

fn info(media: &Media, json: bool) {
    let v = serde_json::json!({
        "media": media.name(),
        "state": media.state(),
        "damage": media.damage(),
        "atip": media.atip(),
        "written_end": media.written_end(),
        "tracks": media.toc().map(|t| t.tracks.len()),
        "leadout": media.toc().map(|t| t.leadout),
    });
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&v).expect("info serializes")
        );
    } else {
        println!("media    {}", media.name());
        println!("state    {:?}", media.state());
        if let Some(d) = media.damage() {
            println!("damage   {d}");
        }
        if let Some(a) = media.atip() {
            println!(
                "ATIP     lead-in start {} ({}), last possible lead-out {} ({})",
                a.lead_in_msf(),
                a.lead_in_start,
                a.last_lead_out_msf(),
                a.last_possible_lead_out
            );
        }
        if let Some(t) = media.toc() {
            println!(
                "TOC      tracks {}-{}, lead-out {}",
                t.first_track, t.last_track, t.leadout
            );
        }
        println!("written  up to LBA {}", media.written_end());
    }
}

fn dump(media: &mut Media, lba: Lba, count: u32) -> Result<(), CliError> {
    let mut slot = [0u8; SLOT_LEN];
    for l in lba..lba.saturating_add(count as Lba) {
        let written = media
            .read_raw(l, &mut slot)
            .map_err(|e| CliError::input(format!("LBA {l}: {e}")))?;
        let sub: [u8; 96] = slot[2352..].try_into().expect("96");
        let (p, q) = unraw96(&sub);
        println!(
            "LBA {l} ({}){}",
            Msf::from_lba(l).map_or("??".into(), |m| m.to_string()),
            if written { "" } else { "  [not written]" }
        );
        for (i, row) in slot[..2352].chunks(32).take(4).enumerate() {
            println!("  main {:04x}: {}", i * 32, rawcd::transport::hex(row));
        }
        println!("  Q    {}  P={}", rawcd::transport::hex(&q.0), u8::from(p));
        match q.decode() {
            Ok(c) => println!("  Q    {c:?}"),
            Err(e) => println!("  Q    error: {e}"),
        }
    }
    Ok(())
}

/// The stored slot of `lba`, or — before the written lead-in — the sector
/// the creator would have made: zero main channel (encoded for a data
/// first track), lead-in TOC Q copied from the written sector at the same
/// point of the A0/A1/A2/tracks×3 cycle with this sector's own MSF, P = 0.
fn slot_at(
    media: &mut Media,
    lba: Lba,
    period: Lba,
    first_data: bool,
) -> Result<[u8; SLOT_LEN], CliError> {
    let mut slot = [0u8; SLOT_LEN];
    let written = media
        .read_raw(lba, &mut slot)
        .map_err(|e| CliError::input(format!("LBA {lba}: {e}")))?;
    if written || lba >= -150 || period == 0 {
        return Ok(slot);
    }
    let first = media.atip().map_or(lba, |a| a.lead_in_start);
    let k = (first - lba + period - 1) / period;
    let mut model = [0u8; SLOT_LEN];
    media
        .read_raw(lba + k * period, &mut model)
        .map_err(|e| CliError::input(format!("LBA {lba}: {e}")))?;
    let (_, q) = unraw96(model[2352..].try_into().expect("96"));
    let mut d = q.data();
    let t = Msf::from_lba(lba).unwrap_or(Msf::ZERO).to_bcd();
    d[3..6].copy_from_slice(&t);
    let q = QFrame::from_data(d);
    let main: &mut [u8; 2352] = (&mut slot[..2352]).try_into().expect("main");
    let ty = if first_data {
        SectorType::Mode1
    } else {
        SectorType::Audio
    };
    encode_zero_sector(ty, lba, main);
    let sub: &mut [u8; 96] = (&mut slot[2352..]).try_into().expect("sub");
    raw96(false, &q, None, sub);
    Ok(slot)
}

fn export(media: &mut Media, out: &Path, ty: ImageType) -> Result<(), CliError> {
    let toc = media
        .toc()
        .cloned()
        .ok_or_else(|| CliError::input("the disc has no TOC (blank or damaged)"))?;
    let period = 3 * (toc.tracks.len() as Lba + 3);
    let first_data = toc.tracks.first().is_some_and(|t| t.control & 4 != 0);
    let end = media.written_end();
    let f = std::fs::File::create(out)
        .map_err(|e| CliError::input(format!("{}: {e}", out.display())))?;
    let mut w = BufWriter::with_capacity(1 << 20, f);
    let mut window = [
        slot_at(media, IMAGE_START_LBA, period, first_data)?,
        slot_at(media, IMAGE_START_LBA + 1, period, first_data)?,
        slot_at(media, IMAGE_START_LBA + 2, period, first_data)?,
    ];
    let werr = |e: std::io::Error| CliError::input(format!("{}: {e}", out.display()));
    for lba in IMAGE_START_LBA..end {
        let cur = window[0];
        let sub: [u8; 96] = cur[2352..].try_into().expect("96");
        w.write_all(&cur[..2352]).map_err(werr)?;
        match ty {
            ImageType::Raw => w.write_all(&sub).map_err(werr)?,
            ImageType::PqOnly => {
                let (p, q) = unraw96(&sub);
                let mut r = [0u8; 16];
                pq16(p, &q, PqCrc::NonInverted, &mut r);
                w.write_all(&r).map_err(werr)?;
            }
            ImageType::Cooked => {
                let n1: [u8; 96] = window[1][2352..].try_into().expect("96");
                let n2: [u8; 96] = window[2][2352..].try_into().expect("96");
                let mut packed = [0u8; 96];
                deinterleave_sector(&sub, &n1, &n2, &mut packed);
                w.write_all(&packed).map_err(werr)?;
            }
        }
        window[0] = window[1];
        window[1] = window[2];
        window[2] = if lba + 3 < end {
            slot_at(media, lba + 3, period, first_data)?
        } else {
            [0u8; SLOT_LEN]
        };
    }
    w.flush().map_err(werr)?;
    Ok(())
}
