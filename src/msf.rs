//! Minute:second:frame addresses, logical block addresses and BCD.
//!
//! The one place that knows the MMC mapping between MSF and LBA
//! (spec/cd-format.md §1.2): with `N = (M·60 + S)·75 + F`,
//! `LBA = N − 150` for `M < 90` and `LBA = N − 450150` for `M ≥ 90` (the
//! lead-in, negative LBAs). Never write a bare `+ 150` outside this module.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A logical block address as MMC uses it: signed, 0 at MSF 00:02:00,
/// negative in the first track's pregap and the lead-in.
pub type Lba = i32;

/// Sectors (frames) per second of audio: 1× CD speed.
pub const FRAMES_PER_SECOND: u32 = 75;
/// Sectors per minute.
pub const FRAMES_PER_MINUTE: u32 = 60 * FRAMES_PER_SECOND;
/// Sectors of the 2-second track-1 pregap (MSF 00:00:00 .. 00:01:74).
pub const PREGAP_SECTORS: i32 = 150;
/// Sectors of a first-session lead-out (90 s).
pub const LEADOUT_SECTORS: i32 = 6750;
/// LBA of MSF 95:00:00, the first sector of an IMAPI2 raw image.
pub const IMAGE_START_LBA: Lba = -22_650;
/// Lowest addressable lead-in LBA (MSF 90:00:00).
pub const MIN_LBA: Lba = -45_150;
/// Highest program-area LBA the MMC rule can express (MSF 89:59:74).
pub const MAX_LBA: Lba = 404_849;
/// Highest LBA a last-possible-start-of-lead-out may take (99:59:74 read with
/// the program-area rule, as on 99-minute media).
pub const MAX_PROGRAM_LBA: Lba = 449_849;

/// Why an MSF or BCD value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MsfError {
    /// A field is out of its range (seconds ≥ 60, frames ≥ 75, minutes > 99).
    #[error("invalid MSF {minute:02}:{second:02}:{frame:02}: {reason}")]
    Field {
        /// The minute field as given.
        minute: u32,
        /// The second field as given.
        second: u32,
        /// The frame field as given.
        frame: u32,
        /// Which field is wrong.
        reason: &'static str,
    },
    /// The LBA has no MSF under the MMC mapping.
    #[error("LBA {0} is outside the addressable range {MIN_LBA}..={MAX_LBA}")]
    LbaOutOfRange(Lba),
    /// A text MSF could not be parsed.
    #[error("invalid MSF '{0}': expected MM:SS:FF")]
    Syntax(String),
    /// A byte is not valid packed BCD.
    #[error("0x{0:02X} is not a valid BCD byte")]
    Bcd(u8),
}

/// An address or a duration in minutes, seconds (0..59) and frames (0..74).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Msf {
    /// Minutes, 0..=99.
    pub minute: u8,
    /// Seconds, 0..=59.
    pub second: u8,
    /// Frames, 0..=74.
    pub frame: u8,
}

impl Msf {
    /// MSF 00:00:00.
    pub const ZERO: Msf = Msf {
        minute: 0,
        second: 0,
        frame: 0,
    };

    /// Builds an MSF, checking each field's range.
    pub fn new(minute: u32, second: u32, frame: u32) -> Result<Msf, MsfError> {
        let err = |reason| MsfError::Field {
            minute,
            second,
            frame,
            reason,
        };
        if minute > 99 {
            return Err(err("minutes must be 0..=99"));
        }
        if second >= 60 {
            return Err(err("seconds must be 0..=59"));
        }
        if frame >= FRAMES_PER_SECOND {
            return Err(err("frames must be 0..=74"));
        }
        Ok(Msf {
            minute: minute as u8,
            second: second as u8,
            frame: frame as u8,
        })
    }

    /// The frame count `N = (M·60 + S)·75 + F`.
    pub fn frames(self) -> u32 {
        self.minute as u32 * FRAMES_PER_MINUTE
            + self.second as u32 * FRAMES_PER_SECOND
            + self.frame as u32
    }

    /// The MSF of a frame count (a duration or an absolute `N`); `None` when
    /// `n` needs more than 99 minutes.
    pub fn from_frames(n: u32) -> Option<Msf> {
        if n >= 100 * FRAMES_PER_MINUTE {
            return None;
        }
        Some(Msf {
            minute: (n / FRAMES_PER_MINUTE) as u8,
            second: (n / FRAMES_PER_SECOND % 60) as u8,
            frame: (n % FRAMES_PER_SECOND) as u8,
        })
    }

    /// The LBA of this absolute address: `N − 150` below minute 90, `N − 450150`
    /// from minute 90 on (the lead-in).
    pub fn to_lba(self) -> Lba {
        let n = self.frames() as i32;
        if self.minute < 90 {
            n - 150
        } else {
            n - 450_150
        }
    }

    /// The MSF of an LBA in `MIN_LBA..=MAX_LBA`.
    pub fn from_lba(lba: Lba) -> Result<Msf, MsfError> {
        if !(MIN_LBA..=MAX_LBA).contains(&lba) {
            return Err(MsfError::LbaOutOfRange(lba));
        }
        let n = if lba >= -150 {
            lba + 150
        } else {
            lba + 450_150
        };
        Ok(Msf::from_frames(n as u32).expect("range checked above"))
    }

    /// The LBA of a program-area address, always `N − 150` even when the
    /// minute is ≥ 90 — the reading of a last possible start of lead-out on
    /// 90- and 99-minute media (spec/cd-format.md §1.2).
    pub fn to_program_lba(self) -> Lba {
        self.frames() as i32 - 150
    }

    /// The MSF of a program-area LBA in `-150..=MAX_PROGRAM_LBA`, never
    /// wrapping into the lead-in range.
    pub fn from_program_lba(lba: Lba) -> Result<Msf, MsfError> {
        if !(-150..=MAX_PROGRAM_LBA).contains(&lba) {
            return Err(MsfError::LbaOutOfRange(lba));
        }
        Ok(Msf::from_frames((lba + 150) as u32).expect("range checked above"))
    }

    /// The three fields as packed BCD bytes (as in sector headers and Q).
    pub fn to_bcd(self) -> [u8; 3] {
        [to_bcd(self.minute), to_bcd(self.second), to_bcd(self.frame)]
    }

    /// Decodes three packed BCD bytes, checking digit and field ranges.
    pub fn from_bcd(bytes: [u8; 3]) -> Result<Msf, MsfError> {
        let m = from_bcd(bytes[0]).ok_or(MsfError::Bcd(bytes[0]))?;
        let s = from_bcd(bytes[1]).ok_or(MsfError::Bcd(bytes[1]))?;
        let f = from_bcd(bytes[2]).ok_or(MsfError::Bcd(bytes[2]))?;
        Msf::new(m as u32, s as u32, f as u32)
    }

    /// The three fields as binary bytes (as in MMC command and response fields).
    pub fn to_binary(self) -> [u8; 3] {
        [self.minute, self.second, self.frame]
    }
}

impl fmt::Display for Msf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}:{:02}", self.minute, self.second, self.frame)
    }
}

impl FromStr for Msf {
    type Err = MsfError;

    /// Parses `M:S:F` (each field decimal, one or more digits).
    fn from_str(s: &str) -> Result<Msf, MsfError> {
        let mut fields = s.trim().split(':');
        let mut next = || -> Result<u32, MsfError> {
            let part = fields.next().ok_or_else(|| MsfError::Syntax(s.into()))?;
            if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(MsfError::Syntax(s.into()));
            }
            part.parse().map_err(|_| MsfError::Syntax(s.into()))
        };
        let (m, sec, f) = (next()?, next()?, next()?);
        if fields.next().is_some() {
            return Err(MsfError::Syntax(s.into()));
        }
        Msf::new(m, sec, f)
    }
}

impl Serialize for Msf {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Msf {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Msf, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Packs `v` (0..=99) as BCD: `(v / 10) << 4 | v % 10`.
///
/// # Panics
/// In debug builds when `v > 99`.
pub fn to_bcd(v: u8) -> u8 {
    debug_assert!(v <= 99, "BCD value {v} out of range");
    (v / 10) << 4 | (v % 10)
}

/// Unpacks a BCD byte; `None` when either nibble is above 9.
pub fn from_bcd(b: u8) -> Option<u8> {
    let (hi, lo) = (b >> 4, b & 0x0f);
    (hi <= 9 && lo <= 9).then_some(hi * 10 + lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msf(m: u8, s: u8, f: u8) -> Msf {
        Msf {
            minute: m,
            second: s,
            frame: f,
        }
    }

    #[test]
    fn spec_landmarks_convert_both_ways() {
        // spec/cd-format.md §11.5
        let vectors = [
            (-22_650, msf(95, 0, 0)),
            (-11_635, msf(97, 26, 65)),
            (-11_634, msf(97, 26, 66)),
            (-11_625, msf(97, 27, 0)),
            (-151, msf(99, 59, 74)),
            (-150, msf(0, 0, 0)),
            (0, msf(0, 2, 0)),
            (13_350, msf(3, 0, 0)),
            (26_850, msf(6, 0, 0)),
            (359_849, msf(79, 59, 74)),
            (404_849, msf(89, 59, 74)),
            (-45_150, msf(90, 0, 0)),
            (336_075, msf(74, 43, 0)),
            (-11_077, msf(97, 34, 23)),
        ];
        for (lba, m) in vectors {
            assert_eq!(Msf::from_lba(lba).unwrap(), m, "LBA {lba}");
            assert_eq!(m.to_lba(), lba, "MSF {m}");
        }
    }

    #[test]
    fn lba_outside_range_is_refused() {
        assert_eq!(
            Msf::from_lba(-45_151),
            Err(MsfError::LbaOutOfRange(-45_151))
        );
        assert_eq!(
            Msf::from_lba(404_850),
            Err(MsfError::LbaOutOfRange(404_850))
        );
    }

    #[test]
    fn program_lba_keeps_minutes_above_90_positive() {
        assert_eq!(msf(99, 59, 74).to_program_lba(), 449_849);
        assert_eq!(Msf::from_program_lba(449_849).unwrap(), msf(99, 59, 74));
        assert_eq!(msf(99, 59, 74).to_lba(), -151);
    }

    #[test]
    fn bcd_packs_decimal_digits() {
        assert_eq!(to_bcd(0), 0x00);
        assert_eq!(to_bcd(59), 0x59);
        assert_eq!(to_bcd(99), 0x99);
        assert_eq!(from_bcd(0x74), Some(74));
        assert_eq!(from_bcd(0x7a), None);
        assert_eq!(from_bcd(0xa0), None);
        assert_eq!(msf(97, 26, 65).to_bcd(), [0x97, 0x26, 0x65]);
        assert_eq!(Msf::from_bcd([0x95, 0x00, 0x00]).unwrap(), msf(95, 0, 0));
        assert_eq!(
            Msf::from_bcd([0x00, 0x60, 0x00]).unwrap_err().to_string(),
            "invalid MSF 00:60:00: seconds must be 0..=59"
        );
    }

    #[test]
    fn text_form_parses_and_rejects_bad_fields() {
        assert_eq!("00:02:00".parse::<Msf>().unwrap(), msf(0, 2, 0));
        assert_eq!("4:5:6".parse::<Msf>().unwrap(), msf(4, 5, 6));
        assert_eq!(msf(4, 5, 6).to_string(), "04:05:06");
        assert!(matches!(
            "00:00:75".parse::<Msf>(),
            Err(MsfError::Field { .. })
        ));
        assert!(matches!(
            "00:60:00".parse::<Msf>(),
            Err(MsfError::Field { .. })
        ));
        assert!(matches!(
            "0a:00:00".parse::<Msf>(),
            Err(MsfError::Syntax(_))
        ));
        assert!(matches!("00:00".parse::<Msf>(), Err(MsfError::Syntax(_))));
        assert!(matches!(
            "00:00:00:00".parse::<Msf>(),
            Err(MsfError::Syntax(_))
        ));
    }
}
