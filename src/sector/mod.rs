//! Main-channel sector codecs: sync and header, EDC, ECC P/Q, the scrambler,
//! and builders/checkers for every `IMAPI_CD_SECTOR_TYPE`
//! (spec/cd-format.md §3).

use serde::{Deserialize, Serialize};

use crate::msf::Lba;

pub mod build;
pub mod check;
pub mod ecc;
pub mod edc;
pub mod scramble;

pub use build::{encode_full_sector, encode_sector, encode_zero_sector};
pub use check::{
    check_sector, check_sector_as, looks_like_data, Finding, SectorCheck, SectorKind, Severity,
};
pub use scramble::{descramble, scramble};

/// Why a sector could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SectorError {
    /// The source supplied the wrong number of bytes for the sector type.
    #[error("{ty} sector needs {expected} source bytes, got {actual}")]
    UserSize {
        /// The track's sector type.
        ty: SectorType,
        /// `ty.user_size()`.
        expected: usize,
        /// Bytes supplied.
        actual: usize,
    },
    /// Mode 0 user data must be all zero.
    #[error("mode 0 user data must be zero: byte {offset} of the user area is 0x{value:02X}")]
    Mode0NotZero {
        /// Offset of the first non-zero byte inside the 2336-byte user area.
        offset: usize,
        /// Its value.
        value: u8,
    },
    /// The LBA has no header address (outside `MIN_LBA..=MAX_PROGRAM_LBA`).
    #[error("LBA {0} is outside the range a sector header can address")]
    LbaOutOfRange(Lba),
}

/// Bytes of main-channel data in every sector.
pub const SECTOR_SIZE: usize = 2352;

/// `IMAPI_CD_SECTOR_TYPE`: how a track's sectors are built and how many bytes
/// of each sector its source supplies (spec/imapi2.md §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum SectorType {
    /// `IMAPI_CD_SECTOR_AUDIO` (0): 2352 bytes of 16-bit little-endian stereo PCM.
    Audio,
    /// `IMAPI_CD_SECTOR_MODE_ZERO` (1): mode 0, 2336 zero bytes.
    Mode0,
    /// `IMAPI_CD_SECTOR_MODE1` (2): mode 1, 2048 user bytes, EDC/ECC.
    Mode1,
    /// `IMAPI_CD_SECTOR_MODE2FORM0` (3): mode 2 formless, 2336 user bytes.
    Mode2Form0,
    /// `IMAPI_CD_SECTOR_MODE2FORM1` (4): XA form 1, 2048 user bytes, EDC/ECC.
    Mode2Form1,
    /// `IMAPI_CD_SECTOR_MODE2FORM2` (5): XA form 2, 2336 bytes (subheader,
    /// 2324 user bytes, optional EDC).
    Mode2Form2,
    /// `IMAPI_CD_SECTOR_MODE1RAW` (6): 2352 bytes, already encoded and scrambled.
    Mode1Raw,
    /// `IMAPI_CD_SECTOR_MODE2FORM0RAW` (7): 2352 bytes, already encoded and scrambled.
    Mode2Form0Raw,
    /// `IMAPI_CD_SECTOR_MODE2FORM1RAW` (8): 2352 bytes, already encoded and scrambled.
    Mode2Form1Raw,
    /// `IMAPI_CD_SECTOR_MODE2FORM2RAW` (9): 2352 bytes, already encoded and scrambled.
    Mode2Form2Raw,
}

impl SectorType {
    /// All ten types in IMAPI order.
    pub const ALL: [SectorType; 10] = [
        SectorType::Audio,
        SectorType::Mode0,
        SectorType::Mode1,
        SectorType::Mode2Form0,
        SectorType::Mode2Form1,
        SectorType::Mode2Form2,
        SectorType::Mode1Raw,
        SectorType::Mode2Form0Raw,
        SectorType::Mode2Form1Raw,
        SectorType::Mode2Form2Raw,
    ];

    /// The `IMAPI_CD_SECTOR_TYPE` value.
    pub fn imapi_value(self) -> u32 {
        self as u32
    }

    /// The type of an `IMAPI_CD_SECTOR_TYPE` value.
    pub fn from_imapi(value: u32) -> Option<SectorType> {
        Self::ALL.get(value as usize).copied()
    }

    /// Bytes per sector that a track source of this type supplies.
    pub fn user_size(self) -> usize {
        match self {
            SectorType::Audio => 2352,
            SectorType::Mode0 | SectorType::Mode2Form0 | SectorType::Mode2Form2 => 2336,
            SectorType::Mode1 | SectorType::Mode2Form1 => 2048,
            SectorType::Mode1Raw
            | SectorType::Mode2Form0Raw
            | SectorType::Mode2Form1Raw
            | SectorType::Mode2Form2Raw => 2352,
        }
    }

    /// True for CD-DA audio.
    pub fn is_audio(self) -> bool {
        self == SectorType::Audio
    }

    /// True for every data type (the Q CONTROL data bit is set).
    pub fn is_data(self) -> bool {
        !self.is_audio()
    }

    /// True for the `*_RAW` types, whose source is complete scrambled sectors.
    pub fn is_raw(self) -> bool {
        matches!(
            self,
            SectorType::Mode1Raw
                | SectorType::Mode2Form0Raw
                | SectorType::Mode2Form1Raw
                | SectorType::Mode2Form2Raw
        )
    }

    /// The header mode byte (0, 1 or 2); `None` for audio.
    pub fn mode(self) -> Option<u8> {
        match self {
            SectorType::Audio => None,
            SectorType::Mode0 => Some(0),
            SectorType::Mode1 | SectorType::Mode1Raw => Some(1),
            _ => Some(2),
        }
    }

    /// True for the mode 2 (CD-ROM XA) types, which make the disc type 0x20.
    pub fn is_xa(self) -> bool {
        matches!(
            self,
            SectorType::Mode2Form1
                | SectorType::Mode2Form2
                | SectorType::Mode2Form1Raw
                | SectorType::Mode2Form2Raw
        )
    }

    /// The short name used in JSON and on the command line (`mode2_form1`, …).
    pub fn name(self) -> &'static str {
        match self {
            SectorType::Audio => "audio",
            SectorType::Mode0 => "mode0",
            SectorType::Mode1 => "mode1",
            SectorType::Mode2Form0 => "mode2_form0",
            SectorType::Mode2Form1 => "mode2_form1",
            SectorType::Mode2Form2 => "mode2_form2",
            SectorType::Mode1Raw => "mode1_raw",
            SectorType::Mode2Form0Raw => "mode2_form0_raw",
            SectorType::Mode2Form1Raw => "mode2_form1_raw",
            SectorType::Mode2Form2Raw => "mode2_form2_raw",
        }
    }
}

impl std::fmt::Display for SectorType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imapi_values_and_sizes_follow_the_enum_table() {
        assert_eq!(SectorType::from_imapi(0), Some(SectorType::Audio));
        assert_eq!(SectorType::from_imapi(6), Some(SectorType::Mode1Raw));
        assert_eq!(SectorType::from_imapi(10), None);
        let sizes: Vec<usize> = SectorType::ALL.iter().map(|t| t.user_size()).collect();
        assert_eq!(
            sizes,
            [2352, 2336, 2048, 2336, 2048, 2336, 2352, 2352, 2352, 2352]
        );
        assert_eq!(
            serde_json::to_string(&SectorType::Mode2Form1).unwrap(),
            "\"mode2_form1\""
        );
    }
}

#[cfg(test)]
mod vectors;
