//! IMAPI-style DAO-96 images: 2352 + 96 (raw or cooked) or 2352 + 16 (PQ)
//! bytes per sector from MSF 95:00:00 (or `--start`), read in bounded chunks.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use crate::image::ImageType;
use crate::msf::{Lba, IMAGE_START_LBA};
use crate::sector::SECTOR_SIZE;
use crate::subcode::pack::unpq16;

use super::core::{split_pw, Subcode, Validator};
use super::{Options, Report, ValidateError};

/// Sectors read per chunk (≈ 2.4 MB).
const CHUNK_SECTORS: usize = 1024;
/// Sectors sampled for type detection.
const SAMPLE_SECTORS: usize = 32;

/// An IMAPI image's shape: type, first LBA and sector count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImapiImage {
    /// Sub-channel type.
    pub image_type: ImageType,
    /// True when the type was detected, not given.
    pub detected: bool,
    /// LBA of the first sector.
    pub first_lba: Lba,
    /// Number of sectors.
    pub sectors: u64,
}

fn pw_score(head: &[u8], size: usize) -> usize {
    head.chunks_exact(size)
        .filter(|rec| {
            let sub: &[u8; 96] = rec[SECTOR_SIZE..].try_into().expect("96-byte sub");
            split_pw(sub).0.crc_ok()
        })
        .count()
}

fn pq_score(head: &[u8], size: usize) -> usize {
    head.chunks_exact(size)
        .filter(|rec| {
            let sub: &[u8; 16] = rec[SECTOR_SIZE..].try_into().expect("16-byte sub");
            unpq16(sub).2.is_some()
        })
        .count()
}

/// Detects the image type from its length and its first sectors (`head`,
/// any number of bytes): the length must be a whole number of 2448- or
/// 2368-byte sectors; when it is both, the layout whose Q CRCs check wins.
/// 96-byte sub-channel is reported as [`ImageType::Raw`] (raw and cooked
/// differ only in R–W interleaving, not in P/Q).
pub fn detect_image_type(head: &[u8], len: u64) -> Result<ImageType, ValidateError> {
    let (pw, pq) = (
        ImageType::Raw.sector_size(),
        ImageType::PqOnly.sector_size(),
    );
    if len < pq as u64 {
        return Err(ValidateError::Empty { len });
    }
    let fits_pw = len % pw as u64 == 0;
    let fits_pq = len % pq as u64 == 0;
    match (fits_pw, fits_pq) {
        (true, false) => Ok(ImageType::Raw),
        (false, true) => Ok(ImageType::PqOnly),
        (false, false) => Err(ValidateError::WrongSize { len }),
        (true, true) => {
            if pq_score(head, pq) > pw_score(head, pw) {
                Ok(ImageType::PqOnly)
            } else {
                Ok(ImageType::Raw)
            }
        }
    }
}

pub(super) fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

impl ImapiImage {
    /// Works out the shape of an image of `len` bytes whose first bytes are
    /// `head`, with the options' type and start.
    pub fn probe(head: &[u8], len: u64, opts: &Options) -> Result<ImapiImage, ValidateError> {
        let (image_type, detected) = match opts.image_type {
            Some(t) => (t, false),
            None => (detect_image_type(head, len)?, true),
        };
        let size = image_type.sector_size() as u64;
        if len < size {
            return Err(ValidateError::Empty { len });
        }
        if len % size != 0 {
            return Err(ValidateError::Truncated {
                len,
                sector_size: size as usize,
                sectors: len / size,
                extra: len % size,
            });
        }
        let first_lba = opts.start.map_or(IMAGE_START_LBA, |m| m.to_lba());
        let sectors = len / size;
        if i64::from(first_lba) + sectors as i64 > i64::from(i32::MAX) {
            return Err(ValidateError::Start(format!(
                "{sectors} sectors from LBA {first_lba} overflow the address range"
            )));
        }
        Ok(ImapiImage {
            image_type,
            detected,
            first_lba,
            sectors,
        })
    }

    /// The format name for the report.
    pub fn format_name(&self, rw_seen: bool) -> String {
        match (self.image_type, self.detected, rw_seen) {
            (ImageType::PqOnly, ..) => "imapi-pq (2368)".into(),
            (ImageType::Raw, true, false) => "imapi-raw/cooked (2448, R-W empty)".into(),
            (ImageType::Raw, ..) => "imapi-raw (2448)".into(),
            (ImageType::Cooked, ..) => "imapi-cooked (2448)".into(),
        }
    }
}

/// Validates an IMAPI image read from `reader` (positioned at its start,
/// `len` bytes long), in chunks of [`CHUNK_SECTORS`] sectors.
pub fn validate_reader<R: Read + Seek>(
    mut reader: R,
    len: u64,
    opts: &Options,
) -> Result<Report, ValidateError> {
    let io_err = |source| ValidateError::Io {
        path: "<image>".into(),
        source,
    };
    let mut head = vec![0u8; (SAMPLE_SECTORS * ImageType::Raw.sector_size()).min(len as usize)];
    let n = read_full(&mut reader, &mut head).map_err(io_err)?;
    head.truncate(n);
    let shape = ImapiImage::probe(&head, len, opts)?;
    reader.seek(SeekFrom::Start(0)).map_err(io_err)?;
    run(reader, shape, opts).map_err(|e| match e {
        Run::Io(e) => io_err(e),
        Run::Short(at) => ValidateError::ShortRead { at, len },
    })
}

enum Run {
    Io(io::Error),
    Short(u64),
}

fn run<R: Read>(mut reader: R, shape: ImapiImage, opts: &Options) -> Result<Report, Run> {
    let size = shape.image_type.sector_size();
    let mut v = Validator::new(shape.format_name(false), true, opts);
    let mut buf = vec![0u8; CHUNK_SECTORS * size];
    let mut done: u64 = 0;
    let mut lba = shape.first_lba;
    while done < shape.sectors {
        let want = ((shape.sectors - done) as usize).min(CHUNK_SECTORS);
        let bytes = &mut buf[..want * size];
        let got = read_full(&mut reader, bytes).map_err(Run::Io)?;
        if got < bytes.len() {
            return Err(Run::Short(done * size as u64 + got as u64));
        }
        for rec in bytes.chunks_exact(size) {
            let (main, sub) = rec.split_at(SECTOR_SIZE);
            let main: &[u8; SECTOR_SIZE] = main.try_into().expect("2352-byte main");
            let sub = match shape.image_type {
                ImageType::PqOnly => Subcode::Pq16(sub.try_into().expect("16-byte PQ")),
                _ => Subcode::Pw96(sub.try_into().expect("96-byte P-W")),
            };
            v.sector(lba, main, sub);
            lba += 1;
        }
        done += want as u64;
    }
    let name = shape.format_name(v.rw_seen());
    v.set_format(name);
    Ok(v.finish())
}

/// Validates the IMAPI image at `path`.
pub fn validate_file(path: &Path, opts: &Options) -> Result<Report, ValidateError> {
    let io_err = |source| ValidateError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io_err)?;
    let len = file.metadata().map_err(io_err)?.len();
    validate_reader(file, len, opts).map_err(|e| match e {
        ValidateError::Io { source, .. } => io_err(source),
        e => e,
    })
}
