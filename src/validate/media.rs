//! Media capacities: the last possible start of the lead-out per CD-R kind
//! (spec/cd-format.md §7.4), kept in one table.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::msf::Lba;

/// A CD-R capacity class for `--media`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Media {
    /// 74-minute CD-R (lead-out limit 74:43:00).
    Cdr74,
    /// 80-minute CD-R (79:59:74).
    Cdr80,
    /// 90-minute CD-R (89:59:74).
    Cdr90,
    /// 99-minute CD-R (99:59:74, read as a program-area address).
    Cdr99,
}

/// `(media, name, last possible start of lead-out as an LBA)`. 90- and
/// 99-minute limits are program-area LBAs (`N − 150`, spec §1.2).
pub const MEDIA_TABLE: [(Media, &str, Lba); 4] = [
    (Media::Cdr74, "cdr74", 336_075),
    (Media::Cdr80, "cdr80", 359_849),
    (Media::Cdr90, "cdr90", 404_849),
    (Media::Cdr99, "cdr99", 449_849),
];

impl Media {
    fn row(self) -> &'static (Media, &'static str, Lba) {
        MEDIA_TABLE
            .iter()
            .find(|r| r.0 == self)
            .unwrap_or(&MEDIA_TABLE[0])
    }

    /// Last possible start of the lead-out (LBA).
    pub fn leadout_limit(self) -> Lba {
        self.row().2
    }

    /// Command-line name (`cdr74`, …).
    pub fn name(self) -> &'static str {
        self.row().1
    }
}

impl fmt::Display for Media {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Media {
    type Err = String;
    fn from_str(s: &str) -> Result<Media, String> {
        let s = s.trim().to_ascii_lowercase();
        MEDIA_TABLE
            .iter()
            .find(|r| r.1 == s || r.1[3..] == s)
            .map(|r| r.0)
            .ok_or_else(|| format!("unknown media '{s}': expected cdr74, cdr80, cdr90 or cdr99"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msf::Msf;

    #[test]
    fn limits_match_their_msf() {
        let msf = |s: &str| s.parse::<Msf>().unwrap().to_program_lba();
        assert_eq!(Media::Cdr74.leadout_limit(), msf("74:43:00"));
        assert_eq!(Media::Cdr80.leadout_limit(), msf("79:59:74"));
        assert_eq!(Media::Cdr90.leadout_limit(), msf("89:59:74"));
        assert_eq!(Media::Cdr99.leadout_limit(), msf("99:59:74"));
        assert_eq!("cdr80".parse::<Media>(), Ok(Media::Cdr80));
        assert_eq!("80".parse::<Media>(), Ok(Media::Cdr80));
        assert!("dvd".parse::<Media>().is_err());
    }
}
