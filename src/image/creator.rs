//! `IRawCDImageCreator` and `IRawCDImageTrackInfo`, one to one
//! (spec/imapi2.md §5, §6), mapped onto the general layout model.
//!
//! IMAPI's rules as implemented here:
//! - audio tracks only (`AddTrack` with any other type fails with
//!   `E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED`); streams hold a whole
//!   number of 2352-byte sectors, at least 300 (special pregap: 150);
//! - gapless by default (`DisableGaplessAudio` = false): no silence is
//!   inserted and the last 150 sectors of each track but the last become the
//!   next track's index 0; with gapless disabled, 150 silent sectors are
//!   inserted before every track from the second on (spec/imapi2.md §5.10);
//! - the track-1 pregap is 150 silent sectors, followed by the special
//!   pregap's audio when one was added;
//! - where several checks fail, the last one in IMAPI's order is reported;
//! - after [`RawCdImageCreator::create_result_image`] every setter fails with
//!   `E_IMAPI_RAW_IMAGE_IS_READ_ONLY`.

use std::io::SeekFrom;

use crate::error::{Error, Result};
use crate::image::{ImageType, ReadSeek, ResultImage, SourceStream};
use crate::layout::{
    Content, CopySetting, Encoding, Isrc, Layout, Mcn, Segment, SourceInfo, Toc, Track, TrackFlags,
    DEFAULT_LEADOUT_LIMIT, MIN_INDEX_SPACING,
};
use crate::msf::{Lba, PREGAP_SECTORS};
use crate::sector::{SectorType, SECTOR_SIZE};

/// Minimum sectors of an `AddTrack` stream (4 s).
pub const MIN_TRACK_STREAM_SECTORS: u32 = 300;
/// Minimum sectors of an `AddSpecialPregap` stream (2 s).
pub const MIN_SPECIAL_PREGAP_SECTORS: u32 = 150;
/// Maximum number of indexes of a track (index 01 included).
pub const MAX_INDEXES: usize = 99;

/// A caller's stream with its length in sectors.
struct Stream {
    data: SourceStream,
    sectors: u32,
}

/// One added track and its `IRawCDImageTrackInfo` properties.
struct CreatorTrack {
    stream: Stream,
    isrc: Option<Isrc>,
    copy: CopySetting,
    pre_emphasis: bool,
    /// Index offsets from the track start, ascending, first = 0.
    indexes: Vec<u32>,
}

/// What `AddTrackIndex` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexAdded {
    /// The index was added (`S_OK`).
    Added,
    /// The offset was already an index (`S_IMAPI_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS`).
    AlreadyExists,
}

/// `IRawCDImageCreator`: assembles a raw DAO-96 audio image.
pub struct RawCdImageCreator {
    image_type: ImageType,
    disable_gapless: bool,
    starting_track_number: u32,
    leadout_limit: Lba,
    mcn: Option<Mcn>,
    special_pregap: Option<Stream>,
    tracks: Vec<CreatorTrack>,
    rw: Option<SourceStream>,
    read_only: bool,
}

impl Default for RawCdImageCreator {
    fn default() -> Self {
        RawCdImageCreator::new()
    }
}

impl RawCdImageCreator {
    /// A creator with IMAPI's defaults: cooked R–W, gapless, tracks from 1,
    /// lead-out limit 443,099, no MCN.
    pub fn new() -> RawCdImageCreator {
        RawCdImageCreator {
            image_type: ImageType::Cooked,
            disable_gapless: false,
            starting_track_number: 1,
            leadout_limit: DEFAULT_LEADOUT_LIMIT,
            mcn: None,
            special_pregap: None,
            tracks: Vec::new(),
            rw: None,
            read_only: false,
        }
    }

    /// `AddTrack`: appends an audio track; returns its 1-based index in add
    /// order (not its track number).
    pub fn add_track(&mut self, ty: SectorType, data: impl ReadSeek + 'static) -> Result<u32> {
        let number = self.tracks.len() as u32 + self.starting_track_number;
        let mut failure = None;
        if self.read_only {
            failure = Some(Error::ImageReadOnly);
        }
        if number > 99 {
            failure = Some(Error::TooManyTracks { number });
        }
        if ty != SectorType::Audio {
            failure = Some(Error::SectorTypeNotSupported(format!(
                "AddTrack accepts only audio sectors, not {ty}"
            )));
        }
        if let Some(e) = failure {
            return Err(e);
        }
        let stream = measure(Box::new(data), "track stream", MIN_TRACK_STREAM_SECTORS)?;
        self.tracks.push(CreatorTrack {
            stream,
            isrc: None,
            copy: CopySetting::Permitted,
            pre_emphasis: false,
            indexes: vec![0],
        });
        if let Err(e) = self.check_space(Some(number)) {
            self.tracks.pop();
            return Err(e);
        }
        Ok(self.tracks.len() as u32)
    }

    /// `AddSpecialPregap`: audio for the track-1 pregap (a "hidden track"),
    /// placed after the 150 silent sectors; only before any track is added.
    pub fn add_special_pregap(&mut self, data: impl ReadSeek + 'static) -> Result<()> {
        let mut failure = None;
        if self.read_only {
            failure = Some(Error::ImageReadOnly);
        }
        if !self.tracks.is_empty() {
            failure = Some(Error::TracksAlreadyAdded("AddSpecialPregap"));
        }
        if self.special_pregap.is_some() {
            failure = Some(Error::TracksAlreadyAdded(
                "AddSpecialPregap (a special pregap is already set)",
            ));
        }
        if let Some(e) = failure {
            return Err(e);
        }
        let stream = measure(
            Box::new(data),
            "special pregap stream",
            MIN_SPECIAL_PREGAP_SECTORS,
        )?;
        self.special_pregap = Some(stream);
        Ok(())
    }

    /// `AddSubcodeRWGenerator`: R–W sub-channel for every image sector, 96
    /// bytes each with bits 7 and 6 zero, used as given (no conversion between
    /// packed and raw). Its length is checked when the image is created.
    pub fn add_subcode_rw_generator(&mut self, data: impl ReadSeek + 'static) -> Result<()> {
        if self.read_only {
            return Err(Error::ImageReadOnly);
        }
        if self.image_type == ImageType::PqOnly {
            return Err(Error::SectorTypeNotSupported(
                "an R-W generator cannot be used with a PQ-only image".into(),
            ));
        }
        self.rw = Some(Box::new(data));
        Ok(())
    }

    /// `ResultingImageType` (get).
    pub fn resulting_image_type(&self) -> ImageType {
        self.image_type
    }

    /// `ResultingImageType` (put).
    pub fn set_resulting_image_type(&mut self, ty: ImageType) -> Result<()> {
        self.writable()?;
        if ty == ImageType::PqOnly && self.rw.is_some() {
            return Err(Error::SectorTypeNotSupported(
                "PQ-only images cannot carry the R-W generator already added".into(),
            ));
        }
        self.image_type = ty;
        Ok(())
    }

    /// `MediaCatalogNumber` (get): the 13 digits, or `None`.
    pub fn media_catalog_number(&self) -> Option<String> {
        self.mcn.map(|m| m.to_string())
    }

    /// `MediaCatalogNumber` (put): up to 13 digits (leading zeros may be
    /// omitted) with a valid EAN-13 check digit; an empty string clears it.
    pub fn set_media_catalog_number(&mut self, mcn: &str) -> Result<()> {
        self.writable()?;
        if mcn.trim().is_empty() {
            self.mcn = None;
            return Ok(());
        }
        let m = Mcn::parse(mcn).map_err(Error::InvalidArgument)?;
        if !m.check_digit_ok() {
            return Err(Error::InvalidArgument(format!(
                "media catalog number {m}: the last digit is not the EAN-13 check digit"
            )));
        }
        self.mcn = Some(m);
        Ok(())
    }

    /// `StartingTrackNumber` (get).
    pub fn starting_track_number(&self) -> u32 {
        self.starting_track_number
    }

    /// `StartingTrackNumber` (put): 1..=99, before any track is added.
    pub fn set_starting_track_number(&mut self, n: u32) -> Result<()> {
        self.writable()?;
        if !self.tracks.is_empty() {
            return Err(Error::TracksAlreadyAdded("StartingTrackNumber"));
        }
        if !(1..=99).contains(&n) {
            return Err(Error::InvalidArgument(format!(
                "starting track number {n} is outside 1..=99"
            )));
        }
        self.starting_track_number = n;
        Ok(())
    }

    /// `StartOfLeadout`: the LBA where the lead-out begins.
    pub fn start_of_leadout(&self) -> Result<Lba> {
        Ok(self.layout()?.plan()?.leadout)
    }

    /// `StartOfLeadoutLimit` (get).
    pub fn start_of_leadout_limit(&self) -> Lba {
        self.leadout_limit
    }

    /// `StartOfLeadoutLimit` (put): 0..=443,099; the layout is checked
    /// against it at the next `AddTrack` and at `CreateResultImage`.
    pub fn set_start_of_leadout_limit(&mut self, limit: Lba) -> Result<()> {
        self.writable()?;
        if !(0..=DEFAULT_LEADOUT_LIMIT).contains(&limit) {
            return Err(Error::InvalidArgument(format!(
                "start-of-lead-out limit {limit} is outside 0..={DEFAULT_LEADOUT_LIMIT}"
            )));
        }
        self.leadout_limit = limit;
        Ok(())
    }

    /// `DisableGaplessAudio` (get).
    pub fn disable_gapless_audio(&self) -> bool {
        self.disable_gapless
    }

    /// `DisableGaplessAudio` (put): true inserts 150 silent sectors before
    /// every track from the second on.
    pub fn set_disable_gapless_audio(&mut self, disable: bool) -> Result<()> {
        self.writable()?;
        self.disable_gapless = disable;
        Ok(())
    }

    /// `NumberOfExistingTracks`.
    pub fn number_of_existing_tracks(&self) -> u32 {
        self.tracks.len() as u32
    }

    /// `LastUsedUserSectorInImage`: the LBA of the last track sector.
    pub fn last_used_user_sector_in_image(&self) -> Result<Lba> {
        Ok(self.start_of_leadout()? - 1)
    }

    /// `TrackInfo(index)`: the live view of the track with this 1-based index.
    pub fn track_info(&mut self, index: u32) -> Result<TrackInfo<'_>> {
        if index == 0 || index as usize > self.tracks.len() {
            return Err(Error::InvalidArgument(format!(
                "track index {index} is outside 1..={}",
                self.tracks.len()
            )));
        }
        Ok(TrackInfo {
            creator: self,
            index: index as usize - 1,
        })
    }

    /// `ExpectedTableOfContents`, as the typed table (the MMC bytes come from
    /// the READ TOC encoder of the wire module).
    pub fn expected_toc(&self) -> Result<Toc> {
        Ok(self.layout()?.plan()?.toc())
    }

    /// `ExpectedTableOfContents`: the READ TOC format 0 bytes (MSF
    /// addresses) the finished disc should report. With `windows_compat` the
    /// length field holds `8n + 12` as the observed IMAPI build does, instead
    /// of MMC's `8n + 10` (spec/imapi2.md §5.14, U11).
    pub fn expected_table_of_contents(&self, windows_compat: bool) -> Result<Vec<u8>> {
        let mut bytes = self.expected_toc()?.to_read_toc(true).to_bytes();
        if windows_compat {
            let len = u16::from_be_bytes([bytes[0], bytes[1]]) + 2;
            bytes[..2].copy_from_slice(&len.to_be_bytes());
        }
        Ok(bytes)
    }

    /// The general layout this creator's settings describe (sources in order:
    /// the special pregap if any, then one per track).
    pub fn layout(&self) -> Result<Layout> {
        if self.tracks.is_empty() {
            return Err(Error::NoTracks);
        }
        let mut sources = Vec::new();
        let pregap_source = self.special_pregap.as_ref().map(|s| {
            sources.push(SourceInfo {
                name: "special pregap".into(),
                len: s.sectors as u64 * SECTOR_SIZE as u64,
            });
            (sources.len() - 1, s.sectors)
        });
        let first_source = sources.len();
        for (i, t) in self.tracks.iter().enumerate() {
            sources.push(SourceInfo {
                name: format!("track {} stream", self.starting_track_number as usize + i),
                len: t.stream.sectors as u64 * SECTOR_SIZE as u64,
            });
        }
        let gapless = !self.disable_gapless;
        let n = self.tracks.len();
        let mut tracks = Vec::with_capacity(n);
        for (i, t) in self.tracks.iter().enumerate() {
            let source = first_source + i;
            let mut segments = Vec::new();
            let mut pregap;
            if i == 0 {
                segments.push(zero(PREGAP_SECTORS as u32));
                pregap = PREGAP_SECTORS as u32;
                if let Some((src, sectors)) = pregap_source {
                    segments.push(from(src, 0, sectors));
                    pregap += sectors;
                }
            } else if gapless {
                let prev = &self.tracks[i - 1];
                let tail = PREGAP_SECTORS as u32;
                segments.push(from(source - 1, (prev.stream.sectors - tail) as u64, tail));
                pregap = tail;
            } else {
                segments.push(zero(PREGAP_SECTORS as u32));
                pregap = PREGAP_SECTORS as u32;
            }
            let body = if gapless && i + 1 < n {
                t.stream.sectors - PREGAP_SECTORS as u32
            } else {
                t.stream.sectors
            };
            segments.push(from(source, 0, body));
            tracks.push(Track {
                sector_type: SectorType::Audio,
                flags: TrackFlags {
                    copy: t.copy,
                    pre_emphasis: t.pre_emphasis,
                    four_channel: false,
                },
                isrc: t.isrc,
                pregap,
                indexes: t.indexes[1..]
                    .iter()
                    .copied()
                    .filter(|&o| o < body)
                    .collect(),
                segments,
            });
        }
        Ok(Layout {
            first_track: self.starting_track_number as u8,
            mcn: self.mcn,
            tracks,
            sources,
            leadout_limit: self.leadout_limit,
            disc_type: None,
        })
    }

    /// `CreateResultImage`: the whole image from MSF 95:00:00, generated as it
    /// is read. The creator becomes read-only; a second call fails.
    pub fn create_result_image(&mut self) -> Result<ResultImage> {
        if self.read_only {
            return Err(Error::ImageReadOnly);
        }
        let plan = self.layout()?.plan()?;
        let image_sectors =
            ResultImage::new(plan.clone(), self.image_type, Vec::new()).sector_count();
        if let Some(rw) = self.rw.as_mut() {
            let len = rw
                .seek(SeekFrom::End(0))
                .map_err(|e| Error::io("R-W generator", e))?;
            if len != image_sectors * 96 {
                return Err(Error::InvalidArgument(format!(
                    "the R-W generator holds {len} bytes; the image has {image_sectors} sectors, so it must hold {} (96 per sector)",
                    image_sectors * 96
                )));
            }
        }
        self.read_only = true;
        let mut sources: Vec<(String, SourceStream)> = Vec::new();
        if let Some(p) = self.special_pregap.take() {
            sources.push(("special pregap".into(), p.data));
        }
        for (i, t) in std::mem::take(&mut self.tracks).into_iter().enumerate() {
            let name = format!("track {} stream", self.starting_track_number as usize + i);
            sources.push((name, t.stream.data));
        }
        let mut image = ResultImage::new(plan, self.image_type, sources);
        if self.image_type != ImageType::PqOnly {
            if let Some(rw) = self.rw.take() {
                image = image.with_rw_generator(rw);
            }
        }
        Ok(image)
    }

    fn writable(&self) -> Result<()> {
        if self.read_only {
            Err(Error::ImageReadOnly)
        } else {
            Ok(())
        }
    }

    fn check_space(&self, track: Option<u32>) -> Result<()> {
        match self.layout()?.plan() {
            Err(Error::InsufficientSpace { leadout, limit, .. }) => Err(Error::InsufficientSpace {
                leadout,
                limit,
                track,
            }),
            Err(e) => Err(e),
            Ok(_) => Ok(()),
        }
    }
}

fn zero(sectors: u32) -> Segment {
    Segment {
        sectors,
        content: Content::Zero,
    }
}

fn from(source: usize, first_sector: u64, sectors: u32) -> Segment {
    Segment {
        sectors,
        content: Content::Source {
            source,
            offset: first_sector * SECTOR_SIZE as u64,
            encoding: Encoding::User,
        },
    }
}

/// Measures a stream: a whole number of 2352-byte sectors, at least `min`.
fn measure(mut data: SourceStream, what: &str, min: u32) -> Result<Stream> {
    let len = data
        .seek(SeekFrom::End(0))
        .map_err(|e| Error::io(what, e))?;
    data.seek(SeekFrom::Start(0))
        .map_err(|e| Error::io(what, e))?;
    if len % SECTOR_SIZE as u64 != 0 {
        return Err(Error::InvalidArgument(format!(
            "the {what} holds {len} bytes, not a whole number of 2352-byte sectors"
        )));
    }
    let sectors = len / SECTOR_SIZE as u64;
    if sectors < min as u64 {
        return Err(Error::InvalidArgument(format!(
            "the {what} holds {sectors} sectors; at least {min} are required"
        )));
    }
    let sectors = u32::try_from(sectors)
        .map_err(|_| Error::InvalidArgument(format!("the {what} is too large ({len} bytes)")))?;
    Ok(Stream { data, sectors })
}

/// `IRawCDImageTrackInfo`: a live view of one track of a creator.
pub struct TrackInfo<'a> {
    creator: &'a mut RawCdImageCreator,
    index: usize,
}

impl TrackInfo<'_> {
    fn track(&self) -> &CreatorTrack {
        &self.creator.tracks[self.index]
    }

    fn track_mut(&mut self) -> Result<&mut CreatorTrack> {
        self.creator.writable()?;
        Ok(&mut self.creator.tracks[self.index])
    }

    /// `StartingLba`: LBA of the track's first user sector (index 01).
    pub fn starting_lba(&self) -> Lba {
        let c = &*self.creator;
        let pregap = c.special_pregap.as_ref().map_or(0, |s| s.sectors) as Lba;
        let gap = if c.disable_gapless { PREGAP_SECTORS } else { 0 };
        let before: Lba = c.tracks[..self.index]
            .iter()
            .map(|t| t.stream.sectors as Lba + gap)
            .sum();
        pregap + before
    }

    /// `SectorCount`: user sectors in the track's stream.
    pub fn sector_count(&self) -> u32 {
        self.track().stream.sectors
    }

    /// `TrackNumber`: index + StartingTrackNumber − 1.
    pub fn track_number(&self) -> u32 {
        self.index as u32 + self.creator.starting_track_number
    }

    /// `SectorType`: always audio for this creator.
    pub fn sector_type(&self) -> SectorType {
        SectorType::Audio
    }

    /// `ISRC` (get), in the DIN-31-621 form `CC-XXX-YY-NNNNN`.
    pub fn isrc(&self) -> Option<String> {
        self.track().isrc.map(|i| i.dashed())
    }

    /// `ISRC` (put): 12 characters, dashes optional; an empty string clears it.
    pub fn set_isrc(&mut self, isrc: &str) -> Result<()> {
        let value = if isrc.trim().is_empty() {
            None
        } else {
            Some(Isrc::parse(isrc).map_err(Error::InvalidArgument)?)
        };
        self.track_mut()?.isrc = value;
        Ok(())
    }

    /// `DigitalAudioCopySetting` (get).
    pub fn digital_audio_copy_setting(&self) -> CopySetting {
        self.track().copy
    }

    /// `DigitalAudioCopySetting` (put).
    pub fn set_digital_audio_copy_setting(&mut self, copy: CopySetting) -> Result<()> {
        self.track_mut()?.copy = copy;
        Ok(())
    }

    /// `AudioHasPreemphasis` (get).
    pub fn audio_has_preemphasis(&self) -> bool {
        self.track().pre_emphasis
    }

    /// `AudioHasPreemphasis` (put).
    pub fn set_audio_has_preemphasis(&mut self, pre: bool) -> Result<()> {
        self.track_mut()?.pre_emphasis = pre;
        Ok(())
    }

    /// `TrackIndexes`: index offsets from the track start, ascending, first 0.
    pub fn track_indexes(&self) -> Vec<i32> {
        self.track().indexes.iter().map(|&o| o as i32).collect()
    }

    /// `AddTrackIndex(lbaOffset)`.
    pub fn add_track_index(&mut self, offset: i32) -> Result<IndexAdded> {
        let number = self.track_number();
        let count = self.sector_count();
        let t = self.track_mut()?;
        if offset < 0 || offset as u32 >= count {
            return Err(Error::InvalidArgument(format!(
                "track {number}: index offset {offset} is outside 0..{count}"
            )));
        }
        let off = offset as u32;
        let pos = match t.indexes.binary_search(&off) {
            Ok(_) => return Ok(IndexAdded::AlreadyExists),
            Err(pos) => pos,
        };
        if t.indexes.len() >= MAX_INDEXES {
            return Err(Error::TooManyTrackIndexes { track: number });
        }
        let prev = t.indexes[pos - 1];
        let next = t.indexes.get(pos).copied().unwrap_or(count);
        if off - prev < MIN_INDEX_SPACING || next - off < MIN_INDEX_SPACING {
            return Err(Error::TrackIndexTooClose {
                track: number,
                offset,
            });
        }
        t.indexes.insert(pos, off);
        Ok(IndexAdded::Added)
    }

    /// `ClearTrackIndex(lbaOffset)`.
    pub fn clear_track_index(&mut self, offset: i32) -> Result<()> {
        let number = self.track_number();
        let t = self.track_mut()?;
        if offset == 0 {
            return Err(Error::TrackIndexOffsetZero { track: number });
        }
        let pos = u32::try_from(offset)
            .ok()
            .and_then(|o| t.indexes.binary_search(&o).ok())
            .ok_or(Error::TrackIndexNotFound {
                track: number,
                offset,
            })?;
        t.indexes.remove(pos);
        Ok(())
    }
}
