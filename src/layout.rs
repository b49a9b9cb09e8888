//! The general disc layout model: tracks with explicit pregaps, index
//! positions and content segments, per-track sector types and flags, the MCN,
//! and the plan that places everything on the disc (lead-in, track 1 pregap,
//! program area, lead-out) and yields the table of contents.
//!
//! The IMAPI-shaped creator (`crate::image`), cue sheets, cdrdao `.toc` files
//! and JSON layouts all map onto this one model, so the image stream and the
//! table of contents are computed in one place.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::msf::{Lba, Msf, PREGAP_SECTORS};
use crate::sector::SectorType;

/// IMAPI's internal default start-of-lead-out limit (98:29:74; spec/imapi2.md U1).
pub const DEFAULT_LEADOUT_LIMIT: Lba = 443_099;
/// The largest limit IMAPI documents (88:29:74).
pub const DOCUMENTED_MAX_LEADOUT_LIMIT: Lba = 398_099;
/// Minimum sectors between two indexes of a track (IMAPI error text).
pub const MIN_INDEX_SPACING: u32 = 10;
/// Minimum track length the Red Book asks for (4 s); shorter tracks only warn.
pub const MIN_TRACK_SECTORS: u32 = 300;

/// A Media Catalogue Number: 13 decimal digits (UPC/EAN).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mcn([u8; 13]);

impl Mcn {
    /// Parses 1 to 13 decimal digits; shorter values get leading zeros, as
    /// IMAPI allows. The EAN check digit is not enforced here (see
    /// [`Mcn::check_digit_ok`]): cue sheets and `.toc` files carry any 13 digits.
    pub fn parse(s: &str) -> std::result::Result<Mcn, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("catalog number is empty".into());
        }
        if let Some(c) = s.chars().find(|c| !c.is_ascii_digit()) {
            return Err(format!(
                "catalog number '{s}' contains '{c}': only digits are allowed"
            ));
        }
        if s.len() > 13 {
            return Err(format!(
                "catalog number '{s}' has {} digits: at most 13",
                s.len()
            ));
        }
        let mut digits = [0u8; 13];
        let pad = 13 - s.len();
        for (i, b) in s.bytes().enumerate() {
            digits[pad + i] = b - b'0';
        }
        Ok(Mcn(digits))
    }

    /// Parses exactly 13 digits (cue `CATALOG`, cdrdao `CATALOG`).
    pub fn parse_exact(s: &str) -> std::result::Result<Mcn, String> {
        let t = s.trim();
        if t.len() != 13 {
            if t.is_empty() {
                return Err("catalog number is missing".into());
            }
            if t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "catalog number '{t}' has {} digits: exactly 13 are required",
                    t.len()
                ));
            }
        }
        Mcn::parse(t)
    }

    /// The 13 digits, each 0..=9.
    pub fn digits(&self) -> &[u8; 13] {
        &self.0
    }

    /// True when the last digit is the EAN-13 check digit of the first twelve.
    pub fn check_digit_ok(&self) -> bool {
        let d = &self.0;
        let s: u32 = (0..12)
            .map(|i| d[i] as u32 * if i % 2 == 0 { 1 } else { 3 })
            .sum();
        d[12] as u32 == (10 - s % 10) % 10
    }
}

impl fmt::Display for Mcn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.0 {
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl Serialize for Mcn {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Mcn {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Mcn, D::Error> {
        let s = String::deserialize(d)?;
        Mcn::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// An International Standard Recording Code: country (2) + registrant (3)
/// alphanumerics, year (2) + designation (5) digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Isrc([u8; 12]);

impl Isrc {
    /// Parses `CCXXXYYNNNNN` or the DIN-31-621 form `CC-XXX-YY-NNNNN`;
    /// letters are upper-cased.
    pub fn parse(s: &str) -> std::result::Result<Isrc, String> {
        let t = s.trim();
        let plain: String = if t.contains('-') {
            let parts: Vec<&str> = t.split('-').collect();
            let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
            if lens != [2, 3, 2, 5] {
                return Err(format!(
                    "ISRC '{t}': dashes must follow the form CC-XXX-YY-NNNNN"
                ));
            }
            parts.concat()
        } else {
            t.to_string()
        };
        if plain.len() != 12 {
            return Err(format!(
                "ISRC '{t}' must have 12 characters, not {}",
                plain.len()
            ));
        }
        let mut out = [0u8; 12];
        for (i, b) in plain.bytes().enumerate() {
            let b = b.to_ascii_uppercase();
            let ok = if i < 5 {
                b.is_ascii_uppercase() || b.is_ascii_digit()
            } else {
                b.is_ascii_digit()
            };
            if !ok {
                let what = if i < 5 {
                    "a letter or digit"
                } else {
                    "a digit"
                };
                return Err(format!("ISRC '{t}': character {} must be {what}", i + 1));
            }
            out[i] = b;
        }
        Ok(Isrc(out))
    }

    /// The 12 ASCII characters.
    pub fn as_bytes(&self) -> &[u8; 12] {
        &self.0
    }

    /// The DIN-31-621 form IMAPI's getter returns, e.g. `US-K7Y-98-12345`.
    pub fn dashed(&self) -> String {
        let s = self.to_string();
        format!("{}-{}-{}-{}", &s[0..2], &s[2..5], &s[5..7], &s[7..12])
    }
}

impl fmt::Display for Isrc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(std::str::from_utf8(&self.0).unwrap_or("????????????"))
    }
}

impl Serialize for Isrc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Isrc {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Isrc, D::Error> {
        let s = String::deserialize(d)?;
        Isrc::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// `IMAPI_CD_TRACK_DIGITAL_COPY_SETTING`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CopySetting {
    /// Digital copying allowed (value 0; Q CONTROL copy bit set).
    #[default]
    Permitted,
    /// Digital copying prohibited (value 1; copy bit clear).
    Prohibited,
    /// Serial Copy Management System (value 2): the copy bit toggles with an
    /// 8-sector period (spec/cd-format.md §4.3).
    Scms,
}

/// Per-track flags that end up in the Q CONTROL nibble.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TrackFlags {
    /// Digital copy setting.
    pub copy: CopySetting,
    /// Audio recorded with 50/15 µs pre-emphasis (audio tracks only).
    pub pre_emphasis: bool,
    /// Four-channel audio (audio tracks only).
    pub four_channel: bool,
}

/// How a source file stores the sectors of a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// `sector_type.user_size()` bytes per sector (2048 for mode 1, 2352 for audio).
    #[default]
    User,
    /// Complete unscrambled 2352-byte sectors (cue `MODE1/2352`, `MODE2/2352`):
    /// data sectors are scrambled when the image is built.
    Full,
    /// Audio with big-endian samples (cue `MOTOROLA`, cdrdao `SWAP`): byte
    /// pairs are swapped.
    AudioSwapped,
}

/// What fills a run of sectors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Content {
    /// Silence for audio, zero user data (fully encoded) for data tracks.
    Zero,
    /// Sectors read from a source.
    Source {
        /// Index into [`Layout::sources`].
        source: usize,
        /// Byte offset of the first sector in the source.
        offset: u64,
        /// How the source stores each sector.
        #[serde(default)]
        encoding: Encoding,
    },
}

/// A run of consecutive sectors with one kind of content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// Number of sectors.
    pub sectors: u32,
    /// Where they come from.
    #[serde(flatten)]
    pub content: Content,
}

/// One track: its pregap (index 0), its body (index 1 onwards) and how each
/// sector of the whole extent is filled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Track {
    /// How the track's sectors are built.
    pub sector_type: SectorType,
    /// CONTROL flags.
    #[serde(default)]
    pub flags: TrackFlags,
    /// ISRC (audio tracks only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isrc: Option<Isrc>,
    /// Sectors of index 0 at the start of the extent (track 1: at least 150).
    #[serde(default)]
    pub pregap: u32,
    /// Starts of index 2, 3, … as sector offsets from index 1 (ascending, > 0).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<u32>,
    /// The content of the whole extent, pregap included, in order.
    pub segments: Vec<Segment>,
}

impl Track {
    /// Sectors of the whole extent (pregap + body).
    pub fn extent_sectors(&self) -> u64 {
        self.segments.iter().map(|s| s.sectors as u64).sum()
    }

    /// The Q CONTROL nibble of the track (without SCMS toggling: SCMS tracks
    /// report the copy bit clear).
    pub fn control(&self) -> u8 {
        let mut c = 0;
        if self.sector_type.is_data() {
            c |= 0x4;
        } else {
            if self.flags.pre_emphasis {
                c |= 0x1;
            }
            if self.flags.four_channel {
                c |= 0x8;
            }
        }
        if self.flags.copy == CopySetting::Permitted {
            c |= 0x2;
        }
        c
    }
}

/// A source the layout reads sectors from (a file or a caller's stream).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// Path or description, used in messages and to open files.
    pub name: String,
    /// Length in bytes.
    pub len: u64,
}

/// A whole single-session disc.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    /// Number of the first track (1..=99).
    pub first_track: u8,
    /// Media catalogue number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mcn: Option<Mcn>,
    /// The tracks in disc order.
    pub tracks: Vec<Track>,
    /// Sources the segments read from.
    #[serde(default)]
    pub sources: Vec<SourceInfo>,
    /// The lead-out must start at or before this LBA.
    #[serde(default = "default_limit")]
    pub leadout_limit: Lba,
    /// Disc type for POINT A0 (0x00 CD-DA/CD-ROM, 0x10 CD-i, 0x20 CD-ROM
    /// XA) when the source states it; otherwise derived from the tracks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disc_type: Option<u8>,
}

fn default_limit() -> Lba {
    DEFAULT_LEADOUT_LIMIT
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            first_track: 1,
            mcn: None,
            tracks: Vec::new(),
            sources: Vec::new(),
            leadout_limit: DEFAULT_LEADOUT_LIMIT,
            disc_type: None,
        }
    }
}

/// A segment placed on the disc.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedSegment {
    /// LBA of its first sector.
    pub start: Lba,
    /// Number of sectors.
    pub sectors: u32,
    /// Where they come from.
    pub content: Content,
}

/// A track placed on the disc.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedTrack {
    /// Track number (BCD-able 1..=99).
    pub number: u8,
    /// Sector type.
    pub sector_type: SectorType,
    /// Flags.
    pub flags: TrackFlags,
    /// Q CONTROL nibble (SCMS tracks: copy bit clear).
    pub control: u8,
    /// ISRC.
    pub isrc: Option<Isrc>,
    /// First sector of the extent (start of index 0, or of index 1 without pregap).
    pub extent_start: Lba,
    /// Index 1: the track's start in the TOC.
    pub start: Lba,
    /// One past the last sector of the extent.
    pub end: Lba,
    /// Starts of index 1, 2, … (absolute LBAs, ascending).
    pub indexes: Vec<Lba>,
    /// Content runs in order.
    pub segments: Vec<PlacedSegment>,
}

impl PlacedTrack {
    /// The index number at `lba` (0 in the pregap), which must lie in the extent.
    pub fn index_at(&self, lba: Lba) -> u8 {
        if lba < self.start {
            return 0;
        }
        self.indexes.partition_point(|&s| s <= lba) as u8
    }

    /// The segment holding `lba` and the sector's position inside it.
    pub fn segment_at(&self, lba: Lba) -> Option<(&PlacedSegment, u32)> {
        let i = self.segments.partition_point(|s| s.start <= lba);
        let seg = self.segments.get(i.checked_sub(1)?)?;
        let k = (lba - seg.start) as u32;
        (k < seg.sectors).then_some((seg, k))
    }
}

/// A layout placed on the disc: absolute positions of every track, index and
/// segment, the lead-out, and the warnings the rules raised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// First track number.
    pub first_track: u8,
    /// MCN.
    pub mcn: Option<Mcn>,
    /// Tracks in order.
    pub tracks: Vec<PlacedTrack>,
    /// First sector of the lead-out.
    pub leadout: Lba,
    /// Disc type for POINT A0 PSEC: 0x00 CD-DA/CD-ROM, 0x20 CD-ROM XA.
    pub disc_type: u8,
    /// Rule violations that do not stop the image (short tracks, gaps).
    pub warnings: Vec<String>,
}

impl Plan {
    /// The track whose extent holds `lba` (`None` in the lead-in and lead-out).
    pub fn track_at(&self, lba: Lba) -> Option<&PlacedTrack> {
        let i = self.tracks.partition_point(|t| t.extent_start <= lba);
        let t = self.tracks.get(i.checked_sub(1)?)?;
        (lba < t.end).then_some(t)
    }

    /// The table of contents this plan produces.
    pub fn toc(&self) -> Toc {
        let tracks = self
            .tracks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let next = self.tracks.get(i + 1).map_or(self.leadout, |n| n.start);
                let mut indexes = Vec::new();
                if t.extent_start < t.start {
                    indexes.push(TocIndex {
                        number: 0,
                        lba: t.extent_start,
                    });
                }
                indexes.extend(t.indexes.iter().enumerate().map(|(k, &lba)| TocIndex {
                    number: k as u8 + 1,
                    lba,
                }));
                TocTrack {
                    number: t.number,
                    control: t.control,
                    sector_type: t.sector_type,
                    start_lba: t.start,
                    sector_count: (next - t.start) as u32,
                    isrc: t.isrc,
                    indexes,
                }
            })
            .collect();
        Toc {
            first_track: self.first_track,
            last_track: self.tracks.last().map_or(self.first_track, |t| t.number),
            leadout_lba: self.leadout,
            mcn: self.mcn,
            disc_type: self.disc_type,
            tracks,
        }
    }
}

/// The table of contents of a disc, as `rawcd toc --json` prints it. LBAs are
/// MMC LBAs (track 1 normally at 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Toc {
    /// First track number.
    pub first_track: u8,
    /// Last track number.
    pub last_track: u8,
    /// Start of the lead-out.
    pub leadout_lba: Lba,
    /// MCN, if any.
    pub mcn: Option<Mcn>,
    /// Disc type (POINT A0 PSEC): 0x00 CD-DA/CD-ROM, 0x20 CD-ROM XA.
    #[serde(default)]
    pub disc_type: u8,
    /// Tracks in order.
    pub tracks: Vec<TocTrack>,
}

/// One track of a [`Toc`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocTrack {
    /// Track number.
    pub number: u8,
    /// Q CONTROL nibble.
    pub control: u8,
    /// Sector type.
    pub sector_type: SectorType,
    /// LBA of index 1.
    pub start_lba: Lba,
    /// Sectors from index 1 to the next track's index 1 (or the lead-out).
    pub sector_count: u32,
    /// ISRC, if any.
    pub isrc: Option<Isrc>,
    /// Index 0 (when there is a pregap) and indexes 1, 2, ….
    pub indexes: Vec<TocIndex>,
}

/// One index of a [`TocTrack`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocIndex {
    /// Index number (0 = pregap).
    pub number: u8,
    /// LBA where it starts.
    pub lba: Lba,
}

impl Toc {
    /// The READ TOC/PMA/ATIP format 0 response this TOC gives (ADR 1, the
    /// lead-out as track 0xAA), with MSF or LBA addresses as the CDB's MSF
    /// bit asks.
    pub fn to_read_toc(&self, msf: bool) -> crate::mmc::param::toc::Toc {
        use crate::mmc::param::toc::{Toc as MmcToc, TocAddress, TocDescriptor};
        let address = |lba: Lba| {
            if msf {
                TocAddress::Msf(Msf::from_program_lba(lba).unwrap_or(Msf::ZERO))
            } else {
                TocAddress::Lba(lba)
            }
        };
        let last_control = self.tracks.last().map_or(0, |t| t.control);
        let mut descriptors: Vec<TocDescriptor> = self
            .tracks
            .iter()
            .map(|t| TocDescriptor {
                adr: 1,
                control: t.control,
                track: t.number,
                address: address(t.start_lba),
            })
            .collect();
        descriptors.push(TocDescriptor {
            adr: 1,
            control: last_control,
            track: 0xAA,
            address: address(self.leadout_lba),
        });
        MmcToc {
            first: self.first_track,
            last: self.last_track,
            descriptors,
        }
    }
}

impl fmt::Display for Toc {
    /// The human form `rawcd toc` prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let msf = |lba: Lba| {
            Msf::from_program_lba(lba).map_or_else(|_| "??:??:??".into(), |m| m.to_string())
        };
        writeln!(
            f,
            "tracks {}-{}, lead-out at LBA {} ({})",
            self.first_track,
            self.last_track,
            self.leadout_lba,
            msf(self.leadout_lba)
        )?;
        if let Some(mcn) = &self.mcn {
            writeln!(f, "MCN {mcn}")?;
        }
        for t in &self.tracks {
            write!(
                f,
                "track {:2}  {:<15} ctl {:X}  start LBA {:>6} ({})  {:>6} sectors",
                t.number,
                t.sector_type.name(),
                t.control,
                t.start_lba,
                msf(t.start_lba),
                t.sector_count
            )?;
            if let Some(isrc) = &t.isrc {
                write!(f, "  ISRC {isrc}")?;
            }
            writeln!(f)?;
            for i in t.indexes.iter().filter(|i| i.number != 1) {
                writeln!(
                    f,
                    "          index {:02} at LBA {:>6} ({})",
                    i.number,
                    i.lba,
                    msf(i.lba)
                )?;
            }
        }
        Ok(())
    }
}

impl Layout {
    /// IMAPI's `DisableGaplessAudio = true` applied to a general layout:
    /// inserts 150 silent sectors (index 0) before every track from the
    /// second on that has no pregap. Tracks with a pregap keep theirs.
    pub fn disable_gapless_audio(&mut self) {
        for t in self.tracks.iter_mut().skip(1).filter(|t| t.pregap == 0) {
            t.segments.insert(
                0,
                Segment {
                    sectors: PREGAP_SECTORS as u32,
                    content: Content::Zero,
                },
            );
            t.pregap = PREGAP_SECTORS as u32;
        }
    }

    /// Places the layout on the disc, checking every rule. Errors name the
    /// track and LBA; soft rule violations become [`Plan::warnings`].
    pub fn plan(&self) -> Result<Plan> {
        if self.tracks.is_empty() {
            return Err(Error::NoTracks);
        }
        if !(1..=99).contains(&self.first_track) {
            return Err(Error::InvalidArgument(format!(
                "first track number {} is outside 1..=99",
                self.first_track
            )));
        }
        let last = self.first_track as usize + self.tracks.len() - 1;
        if last > 99 {
            return Err(Error::TooManyTracks {
                number: last as u32,
            });
        }
        let mut warnings = Vec::new();
        let mut cursor: i64 = -(PREGAP_SECTORS as i64);
        let mut placed = Vec::with_capacity(self.tracks.len());
        for (i, t) in self.tracks.iter().enumerate() {
            let number = self.first_track + i as u8;
            let p = self.place_track(number, t, cursor, &mut warnings)?;
            cursor = p.end as i64;
            placed.push(p);
        }
        let leadout = cursor as Lba;
        if leadout > self.leadout_limit {
            return Err(Error::InsufficientSpace {
                leadout,
                limit: self.leadout_limit,
                track: None,
            });
        }
        check_gaps(&placed, &mut warnings);
        let derived = if self.tracks.iter().any(|t| t.sector_type.is_xa()) {
            0x20
        } else {
            0x00
        };
        let disc_type = self.disc_type.unwrap_or(derived);
        Ok(Plan {
            first_track: self.first_track,
            mcn: self.mcn,
            tracks: placed,
            leadout,
            disc_type,
            warnings,
        })
    }

    fn place_track(
        &self,
        number: u8,
        t: &Track,
        extent_start: i64,
        warnings: &mut Vec<String>,
    ) -> Result<PlacedTrack> {
        let err = |msg: String| Error::Layout(format!("track {number}: {msg}"));
        if number == self.first_track && t.pregap < PREGAP_SECTORS as u32 {
            return Err(err(format!(
                "the first track needs a pregap of at least 150 sectors, it has {}",
                t.pregap
            )));
        }
        if t.isrc.is_some() && t.sector_type.is_data() {
            return Err(err("an ISRC is only allowed on audio tracks".into()));
        }
        let extent = t.extent_sectors();
        if extent <= t.pregap as u64 {
            return Err(err(format!(
                "the track has {extent} sectors, all of them pregap: index 1 needs at least one"
            )));
        }
        let end = extent_start + extent as i64;
        if end > crate::msf::MAX_PROGRAM_LBA as i64 {
            return Err(err(format!(
                "the track would end at LBA {end}, beyond the addressable disc"
            )));
        }
        let start = extent_start + t.pregap as i64;
        let body = (extent - t.pregap as u64) as u32;
        if body < MIN_TRACK_SECTORS {
            warnings.push(format!(
                "track {number}: {body} sectors from index 1, shorter than the 300-sector (4 s) minimum"
            ));
        }
        let mut indexes = vec![start as Lba];
        let mut prev = 0u32;
        for (k, &off) in t.indexes.iter().enumerate() {
            let index = k + 2;
            if index > 99 {
                return Err(Error::TooManyTrackIndexes {
                    track: number as u32,
                });
            }
            if off <= prev || off >= body {
                return Err(err(format!(
                    "index {index} at offset {off} must lie after index {} (offset {prev}) and before the track end (offset {body})",
                    index - 1
                )));
            }
            if off - prev < MIN_INDEX_SPACING {
                warnings.push(format!(
                    "track {number}: index {} is only {} sectors long",
                    index - 1,
                    off - prev
                ));
            }
            indexes.push(start as Lba + off as Lba);
            prev = off;
        }
        let mut segments = Vec::with_capacity(t.segments.len());
        let mut at = extent_start as Lba;
        for seg in &t.segments {
            if let Content::Source {
                source,
                offset,
                encoding,
            } = &seg.content
            {
                self.check_source(
                    number,
                    t.sector_type,
                    at,
                    seg.sectors,
                    *source,
                    *offset,
                    *encoding,
                )?;
            }
            segments.push(PlacedSegment {
                start: at,
                sectors: seg.sectors,
                content: seg.content.clone(),
            });
            at += seg.sectors as Lba;
        }
        Ok(PlacedTrack {
            number,
            sector_type: t.sector_type,
            flags: t.flags,
            control: t.control(),
            isrc: t.isrc,
            extent_start: extent_start as Lba,
            start: start as Lba,
            end: end as Lba,
            indexes,
            segments: segments.into_iter().filter(|s| s.sectors > 0).collect(),
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn check_source(
        &self,
        number: u8,
        ty: SectorType,
        at: Lba,
        sectors: u32,
        source: usize,
        offset: u64,
        encoding: Encoding,
    ) -> Result<()> {
        let info = self.sources.get(source).ok_or_else(|| {
            Error::Layout(format!(
                "track {number}: segment at LBA {at} names source #{source}, which does not exist"
            ))
        })?;
        let size = bytes_per_sector(ty, encoding) as u64;
        let need = offset + sectors as u64 * size;
        if need > info.len {
            let avail = info.len.saturating_sub(offset) / size;
            return Err(Error::Layout(format!(
                "track {number}: LBA {at}..{}: '{}' holds {avail} sectors of {size} bytes from byte offset {offset}, the layout needs {sectors}",
                at + sectors as Lba - 1,
                info.name
            )));
        }
        Ok(())
    }
}

/// Bytes per sector in a source of type `ty` stored with `encoding`.
pub fn bytes_per_sector(ty: SectorType, encoding: Encoding) -> usize {
    match encoding {
        Encoding::User => ty.user_size(),
        Encoding::Full | Encoding::AudioSwapped => crate::sector::SECTOR_SIZE,
    }
}

/// Gap rules around data tracks (spec/cd-format.md §7.2): warn, don't fail.
fn check_gaps(tracks: &[PlacedTrack], warnings: &mut Vec<String>) {
    for pair in tracks.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let pregap = b.start - b.extent_start;
        let changes = a.sector_type.is_data() != b.sector_type.is_data()
            || (a.sector_type.is_data() && a.sector_type.mode() != b.sector_type.mode());
        if changes && b.sector_type.is_data() && pregap < 150 {
            warnings.push(format!(
                "track {}: a data track after a track of another kind should have a pregap of at least 150 sectors (225 recommended), it has {pregap}",
                b.number
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audio(pregap: u32, sectors: u32, source: usize) -> Track {
        let mut segments = Vec::new();
        if pregap > 0 {
            segments.push(Segment {
                sectors: pregap,
                content: Content::Zero,
            });
        }
        segments.push(Segment {
            sectors,
            content: Content::Source {
                source,
                offset: 0,
                encoding: Encoding::User,
            },
        });
        Track {
            sector_type: SectorType::Audio,
            flags: TrackFlags::default(),
            isrc: None,
            pregap,
            indexes: vec![],
            segments,
        }
    }

    fn two_track_layout() -> Layout {
        Layout {
            tracks: vec![audio(150, 13_350, 0), audio(150, 13_350, 1)],
            sources: vec![
                SourceInfo {
                    name: "a.raw".into(),
                    len: 13_350 * 2352,
                },
                SourceInfo {
                    name: "b.raw".into(),
                    len: 13_350 * 2352,
                },
            ],
            ..Layout::default()
        }
    }

    #[test]
    fn two_tracks_match_spec_example() {
        // spec/cd-format.md §11.3: T1 at 0, T2 pregap at 02:58:00, T2 at 03:00:00, lead-out 06:00:00.
        let mut layout = two_track_layout();
        layout.tracks[0].pregap = 150;
        layout.tracks[0].segments[1].sectors = 13_200;
        layout.sources[0].len = 13_200 * 2352;
        layout.tracks[1].segments[1].sectors = 13_500;
        layout.sources[1].len = 13_500 * 2352;
        let plan = layout.plan().unwrap();
        assert_eq!(plan.tracks[0].start, 0);
        assert_eq!(
            plan.tracks[1].extent_start,
            Msf::new(2, 58, 0).unwrap().to_lba()
        );
        assert_eq!(plan.tracks[1].start, 13_350);
        assert_eq!(plan.leadout, 26_850);
        let toc = plan.toc();
        assert_eq!(toc.tracks[0].sector_count, 13_350);
        assert_eq!(
            toc.tracks[1].indexes[0],
            TocIndex {
                number: 0,
                lba: 13_200
            }
        );
    }

    #[test]
    fn index_at_and_segment_at_find_positions() {
        let mut layout = two_track_layout();
        layout.tracks[0].indexes = vec![100, 200];
        let plan = layout.plan().unwrap();
        let t = &plan.tracks[0];
        assert_eq!(t.index_at(-1), 0);
        assert_eq!(t.index_at(0), 1);
        assert_eq!(t.index_at(99), 1);
        assert_eq!(t.index_at(100), 2);
        assert_eq!(t.index_at(250), 3);
        let (seg, k) = t.segment_at(5).unwrap();
        assert_eq!((seg.start, k), (0, 5));
        assert_eq!(plan.track_at(-150).unwrap().number, 1);
        assert!(plan.track_at(-151).is_none());
        assert!(plan.track_at(plan.leadout).is_none());
    }

    #[test]
    fn short_first_pregap_is_an_error_naming_the_track() {
        let mut layout = two_track_layout();
        layout.tracks[0].pregap = 0;
        layout.tracks[0].segments.remove(0);
        let e = layout.plan().unwrap_err();
        assert_eq!(
            e.to_string(),
            "layout: track 1: the first track needs a pregap of at least 150 sectors, it has 0"
        );
    }

    #[test]
    fn source_too_short_names_track_lba_and_file() {
        let mut layout = two_track_layout();
        layout.sources[1].len = 100 * 2352;
        let e = layout.plan().unwrap_err().to_string();
        assert!(
            e.contains("track 2: LBA 13500..26849: 'b.raw' holds 100 sectors"),
            "{e}"
        );
    }

    #[test]
    fn leadout_beyond_limit_is_insufficient_space() {
        let mut layout = two_track_layout();
        layout.leadout_limit = 20_000;
        let e = layout.plan().unwrap_err();
        assert_eq!(e.hresult(), 0x80AA0A05);
    }

    #[test]
    fn mcn_and_isrc_parse_and_validate() {
        assert_eq!(
            Mcn::parse("123456789012").unwrap().to_string(),
            "0123456789012"
        );
        assert!(Mcn::parse("0123456789012").unwrap().check_digit_ok());
        assert!(!Mcn::parse("0123456789013").unwrap().check_digit_ok());
        assert!(Mcn::parse_exact("123").is_err());
        assert!(Mcn::parse("12a").is_err());
        let isrc = Isrc::parse("us-k7y-98-12345").unwrap();
        assert_eq!(isrc.to_string(), "USK7Y9812345");
        assert_eq!(isrc.dashed(), "US-K7Y-98-12345");
        assert!(Isrc::parse("USK7Y98A2345").is_err());
        assert!(Isrc::parse("US-K7Y9-8-12345").is_err());
    }

    #[test]
    fn control_nibble_follows_flags() {
        let mut t = audio(0, 300, 0);
        assert_eq!(t.control(), 0x2);
        t.flags.copy = CopySetting::Prohibited;
        t.flags.pre_emphasis = true;
        assert_eq!(t.control(), 0x1);
        t.sector_type = SectorType::Mode1;
        assert_eq!(t.control(), 0x4);
    }
}
