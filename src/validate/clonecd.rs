//! CloneCD sets: a `.ccd` control file (its `[Entry]` sections are the
//! lead-in TOC), a `.img` of 2352-byte sectors and a `.sub` of 96-byte raw
//! interleaved P–W records, one per `.img` sector.
//!
//! Both data files start at LBA 0 (MSF 00:02:00): the track 1 pregap and
//! the lead-in/lead-out are not stored, so sector `n` of the files is LBA
//! `n` and the files end where the lead-out begins (the DiscImageChef/Aaru
//! CloneCD reader places track data at `start LBA × 2352` and sub-channel at
//! `start LBA × 96` the same way). Data sectors are stored unscrambled unless
//! `[Disc] DataTracksScrambled=1`. Only session 1 is checked.

use std::fs::File;
use std::path::Path;

use crate::formats::ccd::parse_ccd;
use crate::msf::{Lba, MAX_PROGRAM_LBA};
use crate::sector::SECTOR_SIZE;

use super::core::{Subcode, Validator};
use super::imapi::read_full;
use super::{Options, Report, ValidateError};

/// Sectors read per chunk (≈ 2.4 MB of `.img` and `.sub`).
const CHUNK_SECTORS: usize = 1024;
/// Bytes per `.sub` record.
const SUB_SIZE: usize = 96;

pub(super) fn io_err(path: &Path) -> impl Fn(std::io::Error) -> ValidateError + '_ {
    move |source| ValidateError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The file ended before its length said (it shrank while being read).
pub(super) fn short(path: &Path, at: u64, len: u64) -> ValidateError {
    ValidateError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            format!("truncated: input ended at byte {at} of {len}"),
        ),
    }
}

pub(super) fn open(path: &Path) -> Result<(File, u64), ValidateError> {
    let f = File::open(path).map_err(io_err(path))?;
    let len = f.metadata().map_err(io_err(path))?.len();
    Ok((f, len))
}

/// Validates the CloneCD set whose control file is `path` (the `.img` and
/// `.sub` beside it): Q against each sector's position and the `.ccd` TOC,
/// the main channel of data tracks as their CONTROL says. `opts.toc` is
/// replaced by the `.ccd`'s; `image_type` and `start` do not apply.
pub fn validate_ccd(path: &Path, opts: &Options) -> Result<Report, ValidateError> {
    let bytes = std::fs::read(path).map_err(io_err(path))?;
    let text = String::from_utf8_lossy(&bytes);
    let desc = |e: crate::Error| ValidateError::Description(e.to_string());
    let ccd = parse_ccd(&text, path).map_err(desc)?;
    let toc = ccd.to_toc().map_err(desc)?;
    let (img, sub) = ccd.image_files().map_err(desc)?;
    let (mut img_f, img_len) = open(&img)?;
    let (mut sub_f, sub_len) = open(&sub)?;
    let size = SECTOR_SIZE as u64;
    if img_len == 0 {
        return Err(ValidateError::Empty { len: 0 });
    }
    if img_len % size != 0 {
        return Err(ValidateError::Truncated {
            len: img_len,
            sector_size: SECTOR_SIZE,
            sectors: img_len / size,
            extra: img_len % size,
        });
    }
    let mut sectors = img_len / size;
    if sub_len != sectors * SUB_SIZE as u64 {
        return Err(ValidateError::SizeMismatch(format!(
            "{} has {sub_len} bytes; the {sectors} sectors of {} need {} (96 per sector)",
            sub.display(),
            img.display(),
            sectors * SUB_SIZE as u64
        )));
    }
    if sectors > MAX_PROGRAM_LBA as u64 + 1 {
        return Err(ValidateError::SizeMismatch(format!(
            "{} holds {sectors} sectors, more than a CD can address",
            img.display()
        )));
    }
    let mut opts = opts.clone();
    opts.toc = Some(toc.clone());
    let mut v = Validator::new(
        "clonecd (.img 2352 + .sub 96)",
        ccd.disc.data_tracks_scrambled,
        &opts,
    );
    v.set_program_area_only(true);
    v.note(format!(
        "CloneCD files start at LBA 0: the track {:02} pregap, lead-in and lead-out are not stored",
        toc.first_track
    ));
    if ccd.disc.sessions > 1 {
        let end = toc.leadout_lba.max(0) as u64;
        v.note(format!(
            "{} sessions: only session 1 (LBA 0 to its lead-out at LBA {}) is checked",
            ccd.disc.sessions, toc.leadout_lba
        ));
        sectors = sectors.min(end);
    }
    let mut main_buf = vec![0u8; CHUNK_SECTORS * SECTOR_SIZE];
    let mut sub_buf = vec![0u8; CHUNK_SECTORS * SUB_SIZE];
    let mut done: u64 = 0;
    while done < sectors {
        let want = ((sectors - done) as usize).min(CHUNK_SECTORS);
        let m = &mut main_buf[..want * SECTOR_SIZE];
        let got = read_full(&mut img_f, m).map_err(io_err(&img))?;
        if got < m.len() {
            return Err(short(&img, done * size + got as u64, img_len));
        }
        let s = &mut sub_buf[..want * SUB_SIZE];
        let got = read_full(&mut sub_f, s).map_err(io_err(&sub))?;
        if got < s.len() {
            return Err(short(&sub, done * SUB_SIZE as u64 + got as u64, sub_len));
        }
        for (k, (main, sub)) in m
            .chunks_exact(SECTOR_SIZE)
            .zip(s.chunks_exact(SUB_SIZE))
            .enumerate()
        {
            let (Ok(main), Ok(sub)) = (main.try_into(), sub.try_into()) else {
                continue;
            };
            v.sector((done + k as u64) as Lba, main, Subcode::Pw96(sub));
        }
        done += want as u64;
    }
    Ok(v.finish())
}
