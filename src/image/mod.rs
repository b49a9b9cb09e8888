//! The raw image creator (`IRawCDImageCreator` + `IRawCDImageTrackInfo`) and
//! its streaming result image.
//!
//! [`RawCdImageCreator`] mirrors the IMAPI2 object one to one and maps onto
//! the general [`crate::layout::Layout`]; [`ResultImage`] turns any layout
//! plan into a DAO-96 image that starts at MSF 95:00:00, generating every
//! sector on the fly (flat memory, cheap seeks).

use std::fmt;
use std::io::{Read, Seek};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

mod creator;
mod stream;
pub mod subchannel;
pub mod synthetic;

pub use creator::{RawCdImageCreator, TrackInfo};
pub use stream::{ResultImage, SourceStream};
pub use synthetic::Synthetic;

/// A seekable byte source: what track data, pregaps and R–W generators are.
pub trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

/// `IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE`: the sub-channel carried with each
/// 2352-byte sector of an image, and the MMC data block type that writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageType {
    /// `IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY` (1): 16-byte PQ, 2368 bytes per sector.
    #[serde(rename = "pq")]
    PqOnly,
    /// `IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_COOKED` (2): packed R–W, 2448 bytes (IMAPI's default).
    #[default]
    Cooked,
    /// `IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW` (3): raw interleaved P–W, 2448 bytes.
    Raw,
}

impl ImageType {
    /// The IMAPI enum value (also the MMC data block type: 1, 2, 3).
    pub fn imapi_value(self) -> u32 {
        match self {
            ImageType::PqOnly => 1,
            ImageType::Cooked => 2,
            ImageType::Raw => 3,
        }
    }

    /// The type of an IMAPI enum value.
    pub fn from_imapi(v: u32) -> Option<ImageType> {
        match v {
            1 => Some(ImageType::PqOnly),
            2 => Some(ImageType::Cooked),
            3 => Some(ImageType::Raw),
            _ => None,
        }
    }

    /// Sub-channel bytes per sector: 16 or 96.
    pub fn subcode_size(self) -> usize {
        match self {
            ImageType::PqOnly => 16,
            _ => 96,
        }
    }

    /// Bytes per image sector: 2368 or 2448.
    pub fn sector_size(self) -> usize {
        crate::sector::SECTOR_SIZE + self.subcode_size()
    }

    /// Command-line name: `pq`, `cooked` or `raw`.
    pub fn name(self) -> &'static str {
        match self {
            ImageType::PqOnly => "pq",
            ImageType::Cooked => "cooked",
            ImageType::Raw => "raw",
        }
    }
}

impl fmt::Display for ImageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ImageType {
    type Err = String;
    fn from_str(s: &str) -> Result<ImageType, String> {
        match s.to_ascii_lowercase().as_str() {
            "pq" | "pq_only" | "pq-only" | "1" => Ok(ImageType::PqOnly),
            "cooked" | "is_cooked" | "2" => Ok(ImageType::Cooked),
            "raw" | "is_raw" | "3" => Ok(ImageType::Raw),
            _ => Err(format!(
                "unknown image type '{s}': expected raw, cooked or pq"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_types_have_imapi_values_and_sizes() {
        assert_eq!(ImageType::default(), ImageType::Cooked);
        assert_eq!(ImageType::PqOnly.sector_size(), 2368);
        assert_eq!(ImageType::Raw.sector_size(), 2448);
        assert_eq!(ImageType::from_imapi(3), Some(ImageType::Raw));
        assert_eq!("pq".parse::<ImageType>(), Ok(ImageType::PqOnly));
        assert!("x".parse::<ImageType>().is_err());
    }
}

#[cfg(test)]
mod creator_tests;
