//! The disc's recorded state: what the drive knows after a burn (state,
//! written extents, the TOC it reads back) and what the RAW engine noticed
//! about the host's data ([`Finding`]). Serialised into the `.rcd`
//! metadata ([`crate::persist`]).

use serde::{Deserialize, Serialize};

use rawcd::layout;
use rawcd::msf::Lba;

use crate::media::AtipInfo;

/// Recording state of the medium.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscState {
    /// Nothing recorded.
    Blank,
    /// A burn is running (or was interrupted).
    Writing,
    /// Finalized: TOC readable, no further writes.
    Complete,
    /// An interrupted burn or a file that never committed.
    Damaged,
}

/// One track as the drive reads it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscTrack {
    /// Track number.
    pub number: u8,
    /// Q CONTROL nibble.
    pub control: u8,
    /// LBA of index 1.
    pub start: Lba,
    /// Index starts seen in the program area `(index, lba)` (index 0 = pregap).
    #[serde(default)]
    pub indexes: Vec<(u8, Lba)>,
    /// ISRC seen in the Q channel.
    #[serde(default)]
    pub isrc: Option<String>,
}

/// The TOC of a recorded session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscToc {
    /// First track number.
    pub first_track: u8,
    /// Last track number.
    pub last_track: u8,
    /// Disc type (POINT A0 PSEC): 0x00, 0x10, 0x20.
    pub disc_type: u8,
    /// Lead-out start.
    pub leadout: Lba,
    /// Tracks in order.
    pub tracks: Vec<DiscTrack>,
    /// MCN seen in the Q channel.
    #[serde(default)]
    pub mcn: Option<String>,
}

impl DiscToc {
    /// The track containing `lba` (index 0 counts to the track it precedes
    /// only for the first track).
    pub fn track_at(&self, lba: Lba) -> Option<&DiscTrack> {
        if lba >= self.leadout {
            return None;
        }
        self.tracks
            .iter()
            .rev()
            .find(|t| t.start <= lba)
            .or_else(|| self.tracks.first())
    }

    /// Converts to the host library's [`layout::Toc`] (sector types are
    /// guessed from CONTROL: audio or mode 1).
    pub fn to_layout_toc(&self) -> layout::Toc {
        let tracks = self
            .tracks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let end = self.tracks.get(i + 1).map_or(self.leadout, |n| n.start);
                let mut indexes: Vec<layout::TocIndex> = t
                    .indexes
                    .iter()
                    .map(|&(number, lba)| layout::TocIndex { number, lba })
                    .collect();
                if indexes.is_empty() {
                    indexes.push(layout::TocIndex {
                        number: 1,
                        lba: t.start,
                    });
                }
                layout::TocTrack {
                    number: t.number,
                    control: t.control,
                    sector_type: if t.control & 4 != 0 {
                        rawcd::sector::SectorType::Mode1
                    } else {
                        rawcd::sector::SectorType::Audio
                    },
                    start_lba: t.start,
                    sector_count: (end - t.start).max(0) as u32,
                    isrc: t.isrc.as_deref().and_then(|s| layout::Isrc::parse(s).ok()),
                    indexes,
                }
            })
            .collect();
        layout::Toc {
            first_track: self.first_track,
            last_track: self.last_track,
            leadout_lba: self.leadout,
            mcn: self.mcn.as_deref().and_then(|s| layout::Mcn::parse(s).ok()),
            disc_type: self.disc_type,
            tracks,
        }
    }
}

/// Something wrong in the host's RAW data that a real drive would burn
/// anyway (real-clients.md §5.4 item 7). Not a SCSI error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// The Q CRC matches neither polarity (RAW P–W: the on-disc one).
    QCrc {
        /// Sector.
        lba: Lba,
    },
    /// The Q frame does not decode (bad BCD, bad ADR).
    QUndecodable {
        /// Sector.
        lba: Lba,
    },
    /// An ADR 1 program-area frame whose absolute time is not the sector's.
    QPosition {
        /// Sector.
        lba: Lba,
        /// LBA the absolute time names.
        found: Lba,
    },
    /// A lead-in sector whose Q is not a lead-in TOC frame, or the reverse.
    QRegion {
        /// Sector.
        lba: Lba,
        /// What was expected.
        expected: String,
    },
    /// Track or index went backwards or skipped.
    QSequence {
        /// Sector.
        lba: Lba,
        /// Description.
        what: String,
    },
    /// P flag clear in a pregap (index 0) sector.
    PFlag {
        /// Sector.
        lba: Lba,
    },
    /// The lead-in TOC disagrees with the program area.
    LeadInTocMismatch {
        /// Description.
        what: String,
    },
    /// The lead-out written by the host is shorter than 6750 sectors.
    ShortLeadOut {
        /// Sectors written after the lead-out start.
        sectors: u32,
    },
}

/// The `.rcd` metadata: everything about the disc except the sector data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscMeta {
    /// Media name (`cdr80`, …).
    pub media: String,
    /// ATIP of the blank medium.
    pub atip: AtipInfo,
    /// Recording state.
    pub state: DiscState,
    /// Written extents `[start, end)`.
    pub written: Vec<[Lba; 2]>,
    /// Write type used (2 SAO, 3 RAW, 1 TAO).
    pub write_type: u8,
    /// Data block type used.
    pub data_block_type: u8,
    /// The TOC read back.
    pub toc: Option<DiscToc>,
    /// Findings (capped at [`MAX_FINDINGS`]).
    pub findings: Vec<Finding>,
    /// Findings beyond the cap.
    #[serde(default)]
    pub findings_dropped: u64,
}

/// How many findings are kept (memory stays flat on a bad 80-min stream).
pub const MAX_FINDINGS: usize = 1000;
