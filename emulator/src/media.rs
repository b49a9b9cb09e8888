//! Media: what is in the tray. Blank CD-R 74/80/90/99, blank or written
//! CD-RW, a pressed CD-ROM, no disc, or a saved `.rcd` disc — each with
//! its ATIP (lead-in start, last possible start of lead-out, disc type;
//! cd-format.md §7.4, mmc.md §2.4/§2.6).
//!
//! | name | lead-in start | last possible lead-out | disc type |
//! |---|---|---|---|
//! | `cdr74` | 97:27:00 (−11625) | 74:43:00 (336075) | CD-R |
//! | `cdr80` | 97:26:66 (−11634) | 79:59:74 (359849) | CD-R (as in the real-client traces) |
//! | `cdr90` | 97:26:66 (−11634) | 89:59:74 (404849) | CD-R |
//! | `cdr99` | 97:26:66 (−11634) | 99:59:74 (449849, kept positive, cd-format.md §1.2) | CD-R |
//! | `cdrw` | 97:15:10 (−12515) | 79:59:74 | CD-RW, blank |
//! | `cdrw-written` | 97:15:10 | 79:59:74 | CD-RW, a finalized one-track audio disc |
//! | `cdrom` | — (no ATIP) | — | pressed CD-ROM, one audio track |
//! | `none` | | | empty tray |

use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use rawcd::image::{ImageType, RawCdImageCreator, ResultImage};
use rawcd::mmc::param::atip::Atip;
use rawcd::msf::{Lba, Msf};
use rawcd::sector::SectorType;

use crate::disc::{DiscMeta, DiscState, DiscToc, DiscTrack};
use crate::persist::{Opened, SectorStore, SLOT_LEN};

/// Names of the built-in media.
pub const BUILTIN_MEDIA: [&str; 8] = [
    "cdr74",
    "cdr80",
    "cdr90",
    "cdr99",
    "cdrw",
    "cdrw-written",
    "cdrom",
    "none",
];

/// Physical kind of medium.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    /// Empty tray.
    None,
    /// Recordable.
    CdR,
    /// Rewritable.
    CdRw,
    /// Pressed.
    CdRom,
}

/// ATIP values of a recordable medium.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AtipInfo {
    /// Start time of lead-in as an LBA (negative).
    pub lead_in_start: Lba,
    /// Last possible start of lead-out as an LBA (kept positive ≥ 90 min).
    pub last_possible_lead_out: Lba,
    /// Disc type bit: CD-RW.
    pub cd_rw: bool,
    /// Disc sub-type (b5-3 of byte 6).
    pub sub_type: u8,
    /// Unrestricted use disc.
    pub uru: bool,
}

impl AtipInfo {
    /// Lead-in start as binary MSF.
    pub fn lead_in_msf(&self) -> Msf {
        Msf::from_lba(self.lead_in_start).unwrap_or(Msf::ZERO)
    }

    /// Last possible lead-out as binary MSF (positive-LBA mapping).
    pub fn last_lead_out_msf(&self) -> Msf {
        Msf::from_program_lba(self.last_possible_lead_out).unwrap_or(Msf::ZERO)
    }

    /// The READ TOC format 4 descriptor.
    pub fn to_atip(&self) -> Atip {
        Atip {
            writing_power: 5,
            reference_speed: if self.cd_rw { 1 } else { 2 },
            uru: self.uru,
            cd_rw: self.cd_rw,
            sub_type: self.sub_type,
            lead_in_start: self.lead_in_msf(),
            last_possible_lead_out: self.last_lead_out_msf(),
            a1: self.cd_rw.then_some([0x14, 0x5a, 0x30]),
            a2: None,
            a3: None,
        }
    }
}

/// Where the sectors of a recorded disc come from.
pub(crate) enum Sectors {
    /// Nothing recorded yet.
    None,
    /// A file-backed store (burned here or opened from a `.rcd`).
    Store(SectorStore),
    /// Generated on the fly (pressed / pre-written media), 2448-byte raw.
    Generated(Box<ResultImage>),
}

impl std::fmt::Debug for Sectors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Sectors::None => f.write_str("None"),
            Sectors::Store(s) => write!(f, "Store({:?})", s.path()),
            Sectors::Generated(_) => f.write_str("Generated"),
        }
    }
}

/// A medium in the tray.
#[derive(Debug)]
pub struct Media {
    pub(crate) name: String,
    pub(crate) kind: MediaKind,
    pub(crate) atip: Option<AtipInfo>,
    pub(crate) state: DiscState,
    pub(crate) toc: Option<DiscToc>,
    pub(crate) sectors: Sectors,
    pub(crate) written_end: Lba,
    pub(crate) damage: Option<String>,
}

/// Why media could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// Not a built-in name.
    #[error("unknown media '{0}' (built-in: cdr74, cdr80, cdr90, cdr99, cdrw, cdrw-written, cdrom, none; or a FILE.rcd)")]
    Unknown(String),
    /// A `.rcd` could not be opened.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// Generating a pre-recorded disc failed.
    #[error("generating media: {0}")]
    Generate(String),
}

fn lba(m: u32, s: u32, f: u32) -> Lba {
    Msf::new(m, s, f).map_or(0, Msf::to_lba)
}

fn program_lba(m: u32, s: u32, f: u32) -> Lba {
    Msf::new(m, s, f).map_or(0, Msf::to_program_lba)
}

/// Zero bytes of a fixed length (a track source).
struct Zero {
    len: u64,
    pos: u64,
}

impl Read for Zero {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (self.len.saturating_sub(self.pos)).min(buf.len() as u64) as usize;
        buf[..n].fill(0);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Zero {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.pos = match to {
            SeekFrom::Start(p) => p,
            SeekFrom::End(d) => (self.len as i64 + d).max(0) as u64,
            SeekFrom::Current(d) => (self.pos as i64 + d).max(0) as u64,
        };
        Ok(self.pos)
    }
}

impl Media {
    /// A blank recordable medium with these ATIP values.
    pub fn blank(name: &str, atip: AtipInfo) -> Media {
        Media {
            name: name.to_string(),
            kind: if atip.cd_rw {
                MediaKind::CdRw
            } else {
                MediaKind::CdR
            },
            atip: Some(atip),
            state: DiscState::Blank,
            toc: None,
            sectors: Sectors::None,
            written_end: atip.lead_in_start,
            damage: None,
        }
    }

    /// An empty tray.
    pub fn none() -> Media {
        Media {
            name: "none".into(),
            kind: MediaKind::None,
            atip: None,
            state: DiscState::Blank,
            toc: None,
            sectors: Sectors::None,
            written_end: 0,
            damage: None,
        }
    }

    /// A built-in medium by name (table in the module docs).
    pub fn builtin(name: &str) -> Result<Media, MediaError> {
        let cdr = |li: Lba, lo: Lba| AtipInfo {
            lead_in_start: li,
            last_possible_lead_out: lo,
            cd_rw: false,
            sub_type: 0,
            uru: true,
        };
        let rw = AtipInfo {
            lead_in_start: lba(97, 15, 10),
            last_possible_lead_out: program_lba(79, 59, 74),
            cd_rw: true,
            sub_type: 1,
            uru: true,
        };
        Ok(match name {
            "cdr74" => Media::blank(name, cdr(lba(97, 27, 0), program_lba(74, 43, 0))),
            "cdr80" => Media::blank(name, cdr(lba(97, 26, 66), program_lba(79, 59, 74))),
            "cdr90" => Media::blank(name, cdr(lba(97, 26, 66), program_lba(89, 59, 74))),
            "cdr99" => Media::blank(name, cdr(lba(97, 26, 66), program_lba(99, 59, 74))),
            "cdrw" => Media::blank(name, rw),
            "cdrw-written" => Media::prerecorded(name, Some(rw), MediaKind::CdRw)?,
            "cdrom" => Media::prerecorded(name, None, MediaKind::CdRom)?,
            "none" => Media::none(),
            other => return Err(MediaError::Unknown(other.to_string())),
        })
    }

    /// A built-in name or a saved `.rcd` disc.
    pub fn from_name_or_file(s: &str) -> Result<Media, MediaError> {
        if BUILTIN_MEDIA.contains(&s) {
            Media::builtin(s)
        } else if s.ends_with(".rcd") || Path::new(s).exists() {
            Media::open(Path::new(s))
        } else {
            Err(MediaError::Unknown(s.to_string()))
        }
    }

    /// A finalized one-track audio disc (2 minutes), generated by the
    /// creator — what `cdrw-written` and `cdrom` hold.
    fn prerecorded(
        name: &str,
        atip: Option<AtipInfo>,
        kind: MediaKind,
    ) -> Result<Media, MediaError> {
        let sectors = 9000u64;
        let mut c = RawCdImageCreator::new();
        let g = |e: rawcd::Error| MediaError::Generate(e.to_string());
        c.set_resulting_image_type(ImageType::Raw).map_err(g)?;
        c.add_track(
            SectorType::Audio,
            Zero {
                len: sectors * 2352,
                pos: 0,
            },
        )
        .map_err(g)?;
        let t = c.expected_toc().map_err(g)?;
        let img = c.create_result_image().map_err(g)?;
        let toc = DiscToc {
            first_track: t.first_track,
            last_track: t.last_track,
            disc_type: t.disc_type,
            leadout: t.leadout_lba,
            tracks: t
                .tracks
                .iter()
                .map(|tr| DiscTrack {
                    number: tr.number,
                    control: tr.control,
                    start: tr.start_lba,
                    indexes: tr.indexes.iter().map(|i| (i.number, i.lba)).collect(),
                    isrc: None,
                })
                .collect(),
            mcn: None,
        };
        Ok(Media {
            name: name.into(),
            kind,
            atip,
            state: DiscState::Complete,
            written_end: toc.leadout + rawcd::msf::LEADOUT_SECTORS,
            toc: Some(toc),
            sectors: Sectors::Generated(Box::new(img)),
            damage: None,
        })
    }

    /// Opens a saved `.rcd` disc as media (a damaged file becomes a
    /// damaged disc).
    pub fn open(path: &Path) -> Result<Media, MediaError> {
        let (store, opened) = SectorStore::open(path)?;
        Ok(match opened {
            Opened::Committed(meta) => Media::from_meta(*meta, store),
            Opened::Damaged { reason } => {
                let first = store.first_lba();
                let mut m = Media::blank(
                    "damaged",
                    AtipInfo {
                        lead_in_start: first,
                        last_possible_lead_out: program_lba(79, 59, 74),
                        cd_rw: false,
                        sub_type: 0,
                        uru: true,
                    },
                );
                m.state = DiscState::Damaged;
                m.damage = Some(reason);
                m.sectors = Sectors::Store(store);
                m
            }
        })
    }

    fn from_meta(meta: DiscMeta, store: SectorStore) -> Media {
        let written_end = meta.written.iter().map(|r| r[1]).max().unwrap_or(0);
        Media {
            name: meta.media.clone(),
            kind: if meta.atip.cd_rw {
                MediaKind::CdRw
            } else {
                MediaKind::CdR
            },
            atip: Some(meta.atip),
            state: meta.state,
            toc: meta.toc,
            sectors: Sectors::Store(store),
            written_end,
            damage: None,
        }
    }

    /// Media name (`cdr80`, …).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Kind of medium.
    pub fn kind(&self) -> MediaKind {
        self.kind
    }

    /// ATIP, for recordable media.
    pub fn atip(&self) -> Option<&AtipInfo> {
        self.atip.as_ref()
    }

    /// Recording state.
    pub fn state(&self) -> DiscState {
        self.state
    }

    /// The TOC of a recorded disc.
    pub fn toc(&self) -> Option<&DiscToc> {
        self.toc.as_ref()
    }

    /// Why the disc is damaged, when it is.
    pub fn damage(&self) -> Option<&str> {
        self.damage.as_deref()
    }

    /// The `.rcd` file behind this disc, if any.
    pub fn path(&self) -> Option<PathBuf> {
        match &self.sectors {
            Sectors::Store(s) => s.path().map(Path::to_path_buf),
            _ => None,
        }
    }

    /// Whether the medium is present.
    pub fn is_present(&self) -> bool {
        self.kind != MediaKind::None
    }

    /// Whether this is a blank recordable medium.
    pub fn is_blank(&self) -> bool {
        self.atip.is_some() && self.state == DiscState::Blank && self.kind != MediaKind::CdRom
    }

    /// First LBA a READ may address.
    pub fn first_readable(&self) -> Lba {
        -150
    }

    /// One past the last recorded sector.
    pub fn written_end(&self) -> Lba {
        self.written_end
    }

    /// Reads the stored 2352 + 96 raw P–W of `lba`; `false` if unrecorded.
    pub fn read_raw(&mut self, lba: Lba, out: &mut [u8; SLOT_LEN]) -> io::Result<bool> {
        match &mut self.sectors {
            Sectors::None => {
                out.fill(0);
                Ok(false)
            }
            Sectors::Store(s) => s.read(lba, out),
            Sectors::Generated(img) => {
                let first = img.first_lba();
                let end = first + img.sector_count() as Lba;
                if lba < first || lba >= end {
                    out.fill(0);
                    return Ok(false);
                }
                img.sector_at(lba, out)?;
                Ok(true)
            }
        }
    }
}
