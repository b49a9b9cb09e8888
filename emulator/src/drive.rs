//! Drive profiles: what a particular recorder model answers (mmc.md §7
//! item 2). Profiles are serde JSON; the built-in ones live in
//! `corpus/drives/*.json` and are compiled in, addressable by short name
//! ([`DriveProfile::builtin`]); any other profile loads from a file
//! ([`DriveProfile::from_file`]).
//!
//! A profile says which (write type, data block type) pairs MODE SELECT
//! accepts — real clients probe capabilities by trial MODE SELECT, so
//! refusing a pair with 5/26/00 is how the drive says "unsupported"
//! (real-clients.md §3e) — and derives the GET CONFIGURATION feature bits
//! (0x2D, 0x2E) and page 2A write bits from the same data, so the two
//! discovery methods agree (mmc.md §2.2).

use std::path::Path;

use serde::{Deserialize, Serialize};

use rawcd::mmc::param::features::{
    CD_MASTERING_BUF, CD_MASTERING_CD_RW, CD_MASTERING_RAW, CD_MASTERING_RW, CD_MASTERING_SAO,
    CD_MASTERING_TEST_WRITE,
};

/// Names of the built-in profiles.
pub const BUILTIN_PROFILES: [&str; 4] = ["default", "sao-only", "no-buf", "mmc2-old"];

const DEFAULT_JSON: &str = include_str!("../../corpus/drives/default.json");
const SAO_ONLY_JSON: &str = include_str!("../../corpus/drives/sao-only.json");
const NO_BUF_JSON: &str = include_str!("../../corpus/drives/no-buf.json");
const MMC2_OLD_JSON: &str = include_str!("../../corpus/drives/mmc2-old.json");

/// INQUIRY strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InquiryStrings {
    /// Vendor (8 chars max).
    pub vendor: String,
    /// Product (16 chars max).
    pub product: String,
    /// Revision (4 chars max).
    pub revision: String,
}

/// One write type and the data block types MODE SELECT accepts with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteMode {
    /// Page 05 write type (0 packet, 1 TAO, 2 SAO, 3 RAW).
    pub write_type: u8,
    /// Accepted data block types.
    pub data_block_types: Vec<u8>,
}

/// A recorder model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DriveProfile {
    /// Short name.
    pub name: String,
    /// One line saying what the profile models.
    #[serde(default)]
    pub description: String,
    /// INQUIRY vendor/product/revision.
    pub inquiry: InquiryStrings,
    /// Whether GET CONFIGURATION (and GET PERFORMANCE) exist; MMC-2 drives
    /// answer 5/20/00.
    pub get_configuration: bool,
    /// Profiles the drive lists (descending), e.g. `[10, 9, 8]`.
    pub profiles: Vec<u16>,
    /// Page 2A byte 3 b0: writes CD-R.
    pub cd_r_write: bool,
    /// Page 2A byte 3 b1: writes CD-RW (and can BLANK).
    pub cd_rw_write: bool,
    /// Accepted write type × data block type pairs.
    pub write_modes: Vec<WriteMode>,
    /// Test write (simulation) in TAO/SAO.
    pub test_write: bool,
    /// Test write accepted in RAW (otherwise 5/26/00).
    pub raw_test_write: bool,
    /// Buffer-underrun-free recording (BUF).
    pub buf: bool,
    /// Drive buffer in KiB (page 2A bytes 12-13).
    pub buffer_kib: u16,
    /// Write speeds in kB/s, fastest first (1x = 176.4 kB/s).
    pub write_speeds_kbps: Vec<u16>,
    /// Maximum read speed in kB/s.
    pub max_read_speed_kbps: u16,
    /// CD Mastering maximum cue sheet length.
    pub max_cue_sheet_length: u32,
    /// TEST UNIT READY answers GOOD while the drive finishes a session
    /// (Pioneer behaviour); default: busy (2/04/08).
    #[serde(default)]
    pub tur_good_while_finishing: bool,
    /// How many polls the busy window after SYNCHRONIZE CACHE / CLOSE with
    /// IMMED lasts (virtual time).
    #[serde(default = "default_finish_polls")]
    pub finish_polls: u32,
    /// Report 6/29/00 (power on) to the first command.
    #[serde(default)]
    pub power_on_unit_attention: bool,
}

fn default_finish_polls() -> u32 {
    3
}

/// Why a profile could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// No built-in profile of this name.
    #[error("unknown drive profile '{0}' (built-in: default, sao-only, no-buf, mmc2-old)")]
    Unknown(String),
    /// The file could not be read.
    #[error("cannot read drive profile {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// The JSON is not a valid profile.
    #[error("invalid drive profile {path}: {source}")]
    Json {
        /// The file (or built-in name).
        path: String,
        /// The error.
        source: serde_json::Error,
    },
}

impl DriveProfile {
    /// A built-in profile by short name.
    pub fn builtin(name: &str) -> Result<DriveProfile, ProfileError> {
        let json = match name {
            "default" => DEFAULT_JSON,
            "sao-only" => SAO_ONLY_JSON,
            "no-buf" => NO_BUF_JSON,
            "mmc2-old" => MMC2_OLD_JSON,
            other => return Err(ProfileError::Unknown(other.to_string())),
        };
        Self::from_json(json, name)
    }

    /// Parses profile JSON (`origin` names it in errors).
    pub fn from_json(json: &str, origin: &str) -> Result<DriveProfile, ProfileError> {
        serde_json::from_str(json).map_err(|source| ProfileError::Json {
            path: origin.to_string(),
            source,
        })
    }

    /// Loads a profile from a JSON file.
    pub fn from_file(path: &Path) -> Result<DriveProfile, ProfileError> {
        let json = std::fs::read_to_string(path).map_err(|source| ProfileError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_json(&json, &path.display().to_string())
    }

    /// A built-in name, or a path to a `.json` file.
    pub fn from_name_or_file(s: &str) -> Result<DriveProfile, ProfileError> {
        if BUILTIN_PROFILES.contains(&s) {
            Self::builtin(s)
        } else if s.ends_with(".json") || Path::new(s).exists() {
            Self::from_file(Path::new(s))
        } else {
            Err(ProfileError::Unknown(s.to_string()))
        }
    }

    /// The accepted data block types for a write type (empty: refused).
    pub fn data_block_types(&self, write_type: u8) -> &[u8] {
        self.write_modes
            .iter()
            .find(|m| m.write_type == write_type)
            .map_or(&[], |m| &m.data_block_types)
    }

    /// Whether MODE SELECT accepts this pair.
    pub fn accepts(&self, write_type: u8, dbt: u8) -> bool {
        self.data_block_types(write_type).contains(&dbt)
    }

    /// Whether any DBT is accepted with this write type.
    pub fn supports_write_type(&self, write_type: u8) -> bool {
        !self.data_block_types(write_type).is_empty()
    }

    /// Whether the drive writes at all.
    pub fn is_writer(&self) -> bool {
        self.cd_r_write || self.cd_rw_write
    }

    /// CD Mastering (0x2E) byte 4, derived from the accepted modes.
    pub fn cd_mastering_flags(&self) -> u8 {
        let raw = self.data_block_types(3);
        let mut f = 0;
        if self.buf {
            f |= CD_MASTERING_BUF;
        }
        if self.supports_write_type(2) {
            f |= CD_MASTERING_SAO;
        }
        if !raw.is_empty() {
            f |= CD_MASTERING_RAW;
        }
        if self.test_write {
            f |= CD_MASTERING_TEST_WRITE;
        }
        if self.cd_rw_write {
            f |= CD_MASTERING_CD_RW;
        }
        if raw.contains(&2) || raw.contains(&3) {
            f |= CD_MASTERING_RW;
        }
        f
    }

    /// CD Track at Once (0x2D) byte 4 and DBT mask.
    pub fn cd_tao(&self) -> (u8, u16) {
        let dbts = self.data_block_types(1);
        let mask = dbts
            .iter()
            .filter(|&&d| d < 16)
            .fold(0u16, |m, &d| m | 1 << d);
        let mut f = 0u8;
        if self.buf {
            f |= 0x40;
        }
        if dbts.contains(&2) || dbts.contains(&3) {
            f |= 0x10 | 0x08 | 0x01;
        }
        if self.test_write {
            f |= 0x04;
        }
        if self.cd_rw_write {
            f |= 0x02;
        }
        (f, mask)
    }

    /// The fastest write speed (kB/s), or 1x when the list is empty.
    pub fn max_write_speed(&self) -> u16 {
        self.write_speeds_kbps.iter().copied().max().unwrap_or(176)
    }

    /// Buffer size in bytes.
    pub fn buffer_bytes(&self) -> u32 {
        u32::from(self.buffer_kib) * 1024
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_all_builtins_parse() {
        for name in BUILTIN_PROFILES {
            let p = DriveProfile::builtin(name).unwrap();
            assert_eq!(p.name, name);
        }
    }

    #[test]
    fn test_default_accepts_raw_1_2_3_and_sao() {
        let p = DriveProfile::builtin("default").unwrap();
        assert!(p.accepts(3, 1) && p.accepts(3, 2) && p.accepts(3, 3));
        assert!(p.supports_write_type(2) && p.supports_write_type(1));
        assert_eq!(p.cd_mastering_flags(), 0x7f & !0x10);
    }

    #[test]
    fn test_sao_only_refuses_raw() {
        let p = DriveProfile::builtin("sao-only").unwrap();
        assert!(!p.supports_write_type(3));
        assert_eq!(p.cd_mastering_flags() & CD_MASTERING_RAW, 0);
    }
}
