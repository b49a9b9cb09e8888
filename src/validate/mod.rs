//! Validation of raw images, sector by sector (spec/cd-format.md §9).
//!
//! The validator checks by *decoding*: Q CRCs, Q positions against each
//! sector's address, CONTROL/MCN/ISRC consistency, the P channel (leniently),
//! the lead-in TOC (and an external TOC) against the program area actually
//! seen, data sectors (sync, header, EDC, ECC, subheaders, scrambling), the
//! lead-out, the media capacity and the layout rules. It never regenerates
//! sectors with the creator.
//!
//! * [`Validator`] — the format-independent streaming core, fed
//!   `(LBA, 2352 main bytes, optional sub-channel)` sectors.
//! * [`validate_file`] / [`validate_reader`] — IMAPI DAO-96 images (raw and
//!   cooked 2448, PQ 2368), type detected from size and content, read in
//!   bounded chunks.
//! * [`validate_ccd`] — CloneCD sets (`.ccd` + `.img` + `.sub`).
//! * [`validate_description`] — cue sheets and cdrdao `.toc` files with their
//!   bin files and an optional raw P–W sub-channel file.
//! * [`Report`] — defects by kind (`q_crc`, `q_position`, …), warnings, the
//!   TOC seen; serde JSON and a human summary.
//! * [`repair`] — a copy with Q CRC/position and EDC/ECC regenerated where
//!   only those were wrong.

use std::path::PathBuf;

use crate::image::ImageType;
use crate::layout::Toc;
use crate::msf::{Lba, Msf};

mod clonecd;
mod core;
mod described;
mod imapi;
mod media;
pub mod repair;
mod report;

pub use self::core::{Subcode, Validator};
pub use clonecd::validate_ccd;
pub use described::validate_description;
pub use imapi::{detect_image_type, validate_file, validate_reader, ImapiImage};
pub use media::{Media, MEDIA_TABLE};
pub use report::{msf_text, Defect, DefectKind, Report};

/// What to validate against.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Image type; detected from size and content when `None`.
    pub image_type: Option<ImageType>,
    /// Address of the first image sector; 95:00:00 when `None`.
    pub start: Option<Msf>,
    /// Media the disc must fit.
    pub media: Option<Media>,
    /// Last possible start of the lead-out (overrides `media`).
    pub leadout_limit: Option<Lba>,
    /// List at most this many defects (all are still counted by kind).
    pub max_defects: Option<usize>,
    /// An external TOC (from a .ccd or .cue) to compare with.
    pub toc: Option<Toc>,
}

/// Why an image could not be validated at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The image holds no sector.
    #[error("empty image: {len} bytes, not even one sector")]
    Empty {
        /// Its length.
        len: u64,
    },
    /// The size fits no image type.
    #[error("wrong size: {len} bytes is a multiple of neither 2448 (raw/cooked) nor 2368 (PQ) bytes per sector")]
    WrongSize {
        /// Its length.
        len: u64,
    },
    /// The size is not a whole number of sectors of the given type.
    #[error("truncated: {len} bytes is {sectors} sectors of {sector_size} bytes plus {extra} bytes of a partial sector")]
    Truncated {
        /// Its length.
        len: u64,
        /// Bytes per sector of the type.
        sector_size: usize,
        /// Whole sectors.
        sectors: u64,
        /// Bytes left over.
        extra: u64,
    },
    /// The input ended before its announced length.
    #[error("truncated: input ended at byte {at} of {len}")]
    ShortRead {
        /// Bytes read.
        at: u64,
        /// Bytes expected.
        len: u64,
    },
    /// An address option is out of range.
    #[error("invalid start address: {0}")]
    Start(String),
    /// A description (.ccd, .cue, .toc) cannot be parsed or used: the
    /// message names the file and line.
    #[error("{0}")]
    Description(String),
    /// Two files of one image disagree in size (.img vs .sub, bin vs sub).
    #[error("wrong size: {0}")]
    SizeMismatch(String),
}
