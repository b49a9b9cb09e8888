//! The format-independent core: a state machine fed one sector at a time
//! (LBA, 2352 main-channel bytes, optional sub-channel) that checks by
//! decoding — CRCs, positions, TOC consistency, EDC/ECC — and never by
//! regenerating sectors with the creator.
//!
//! Memory is bounded by the disc structure (tracks, lead-in points, pending
//! pregap sectors), never by the image size.

use std::collections::BTreeMap;

use crate::layout::{Isrc, Mcn, Toc, TocIndex, TocTrack};
use crate::msf::{from_bcd, to_bcd, Lba, Msf, LEADOUT_SECTORS, PREGAP_SECTORS};
use crate::sector::{
    check_sector, check_sector_as, looks_like_data, Finding, SectorKind, SectorType, Severity,
    SECTOR_SIZE,
};
use crate::subcode::pack::unpq16;
use crate::subcode::{QContent, QFrame, LEAD_OUT_TRACK};

use super::report::{msf_text, DefectKind, Report, Sink};
use super::Options;

/// CONTROL bits compared for consistency: everything but the copy bit,
/// which SCMS toggles (spec/cd-format.md §4.3).
const CONTROL_MASK: u8 = 0xD;
/// Sectors of index ≥ 1 below which an audio track is short (4 s).
const MIN_TRACK: Lba = 300;
/// Largest tolerated gap between two MCN frames (one in 100, deferred by one).
const MCN_MAX_GAP: Lba = 101;

/// The sub-channel of one sector, as an image stores it.
#[derive(Debug, Clone, Copy)]
pub enum Subcode<'a> {
    /// No sub-channel (cue/bin without a sub file).
    None,
    /// 16-byte PQ record (IMAPI PQ_ONLY, spec §5.4).
    Pq16(&'a [u8; 16]),
    /// 96 bytes with P and Q in bits 7 and 6 (raw P–W, or packed R–W with
    /// P/Q in bits 7..6).
    Pw96(&'a [u8; 96]),
}

const ONES: u64 = 0x0101_0101_0101_0101;
/// Multiplier gathering the low bit of each byte of a big-endian u64 into
/// the top byte, first byte → most significant bit.
const GATHER: u64 =
    (1 << 7) | (1 << 14) | (1 << 21) | (1 << 28) | (1 << 35) | (1 << 42) | (1 << 49) | (1 << 56);

/// Q frame, number of P bits set (0..=96) and whether any R–W bit is set.
pub(crate) fn split_pw(sub: &[u8; 96]) -> (QFrame, u32, bool) {
    let mut q = [0u8; 12];
    let mut p = 0;
    let mut rw = 0u64;
    for (qb, chunk) in q.iter_mut().zip(sub.chunks_exact(8)) {
        let mut b = [0u8; 8];
        b.copy_from_slice(chunk);
        let x = u64::from_be_bytes(b);
        *qb = (((x >> 6) & ONES).wrapping_mul(GATHER) >> 56) as u8;
        p += ((x >> 7) & ONES).count_ones();
        rw |= x & 0x3F3F_3F3F_3F3F_3F3F;
    }
    (QFrame(q), p, rw != 0)
}

/// Values of one field seen over a run of sectors; the majority is taken
/// as right and every sector of a minority value is a defect (so a damaged
/// first frame does not condemn all the others).
#[derive(Debug, Clone)]
struct Tally<T> {
    variants: Vec<(T, u64, Vec<Lba>)>,
}

/// LBAs remembered per minority value.
const TALLY_LBAS: usize = 4096;

impl<T: PartialEq + Copy> Tally<T> {
    fn new() -> Self {
        Tally {
            variants: Vec::new(),
        }
    }

    fn add(&mut self, value: T, lba: Lba) {
        match self.variants.iter_mut().find(|v| v.0 == value) {
            Some(v) => {
                v.1 += 1;
                if v.2.len() < TALLY_LBAS {
                    v.2.push(lba);
                }
            }
            None => self.variants.push((value, 1, vec![lba])),
        }
    }

    fn majority(&self) -> Option<T> {
        self.variants.iter().max_by_key(|v| v.1).map(|v| v.0)
    }

    /// Reports every minority sector with `describe(value, majority)`,
    /// forgets everything and returns the majority.
    fn resolve(
        &mut self,
        sink: &mut Sink,
        kind: DefectKind,
        describe: impl Fn(T, T) -> String,
    ) -> Option<T> {
        let best = self.majority()?;
        for (value, count, lbas) in std::mem::take(&mut self.variants) {
            if value == best {
                continue;
            }
            let detail = describe(value, best);
            for &l in &lbas {
                sink.defect(l, kind, detail.clone());
            }
            if let Some(&last) = lbas.last() {
                for _ in lbas.len() as u64..count {
                    sink.defect(last, kind, format!("{detail} (repeated)"));
                }
            }
        }
        Some(best)
    }
}

#[derive(Debug, Clone)]
struct SeenTrack {
    number: u8,
    control: Option<u8>,
    first_lba: Lba,
    start: Option<Lba>,
    indexes: Vec<TocIndex>,
    sector_type: Option<SectorType>,
    isrc: Option<[u8; 12]>,
    controls: Tally<u8>,
    isrcs: Tally<[u8; 12]>,
}

#[derive(Debug, Clone)]
struct Variant {
    control: u8,
    p: [u8; 3],
    count: u64,
    lbas: Vec<Lba>,
}

/// The streaming validator. Feed every sector in LBA order with
/// [`Validator::sector`], then call [`Validator::finish`].
#[derive(Debug, Clone)]
pub struct Validator {
    format: String,
    scrambled: bool,
    ext_toc: Option<Toc>,
    leadout_limit: Option<(Lba, String)>,
    sink: Sink,
    first_lba: Option<Lba>,
    last_lba: Lba,
    sectors: u64,
    tracks: Vec<SeenTrack>,
    index: Option<u8>,
    unknown_run: i64,
    pregap: Vec<(Lba, i64)>,
    p_pending: Vec<Lba>,
    /// MCN/ISRC frames with P set since the last position frame: P
    /// violations once the next position frame shows the same track's
    /// index ≥ 1 around them.
    p_between: Vec<Lba>,
    leadout: Option<Lba>,
    leadin: BTreeMap<u8, Vec<Variant>>,
    leadin_seen: bool,
    mcn: Option<[u8; 13]>,
    mcns: Tally<[u8; 13]>,
    leadout_controls: Tally<u8>,
    last_mcn: Option<Lba>,
    rw_nonzero: bool,
    q_seen: bool,
    program_area_only: bool,
    notes: Vec<String>,
}

impl Validator {
    /// A validator for an image in `format` (a name for the report) whose
    /// data sectors are stored scrambled (`scrambled`, as in IMAPI images)
    /// or not (cue/bin, CloneCD).
    pub fn new(format: impl Into<String>, scrambled: bool, opts: &Options) -> Validator {
        let leadout_limit = match (opts.leadout_limit, opts.media) {
            (Some(l), _) => Some((l, format!("--leadout-limit {l}"))),
            (None, Some(m)) => Some((m.leadout_limit(), m.name().to_string())),
            (None, None) => None,
        };
        Validator {
            format: format.into(),
            scrambled,
            ext_toc: opts.toc.clone(),
            leadout_limit,
            sink: Sink::new(opts.max_defects.unwrap_or(usize::MAX)),
            first_lba: None,
            last_lba: 0,
            sectors: 0,
            tracks: Vec::new(),
            index: None,
            unknown_run: 0,
            pregap: Vec::new(),
            p_pending: Vec::new(),
            p_between: Vec::new(),
            leadout: None,
            leadin: BTreeMap::new(),
            leadin_seen: false,
            mcn: None,
            mcns: Tally::new(),
            leadout_controls: Tally::new(),
            last_mcn: None,
            rw_nonzero: false,
            q_seen: false,
            program_area_only: false,
            notes: Vec::new(),
        }
    }

    /// Declares that the image stops where the lead-out begins (CloneCD,
    /// cue/bin): a missing or short lead-out is then not a defect, and the
    /// end of the image is the end of the program area.
    pub fn set_program_area_only(&mut self, yes: bool) {
        self.program_area_only = yes;
    }

    /// Adds a note to the report (what was not or could not be checked).
    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    /// True once an R–W bit was seen set in a 96-byte sub-channel.
    pub fn rw_seen(&self) -> bool {
        self.rw_nonzero
    }

    /// Renames the format reported (e.g. once raw vs cooked is known).
    pub fn set_format(&mut self, format: impl Into<String>) {
        self.format = format.into();
    }

    /// Checks one sector at `lba` (sectors must come in increasing LBA order).
    pub fn sector(&mut self, lba: Lba, main: &[u8; SECTOR_SIZE], sub: Subcode<'_>) {
        self.sub_sector(lba, sub);
        self.main_sector(lba, main);
    }

    /// Checks one sector at `lba` whose main channel is not stored (2048-byte
    /// user data, a pregap the description generates): only its sub-channel
    /// is checked, and it counts as checked.
    pub fn sector_without_main(&mut self, lba: Lba, sub: Subcode<'_>) {
        self.sub_sector(lba, sub);
    }

    fn sub_sector(&mut self, lba: Lba, sub: Subcode<'_>) {
        self.sectors += 1;
        self.first_lba.get_or_insert(lba);
        self.last_lba = lba;
        match sub {
            Subcode::None => {}
            Subcode::Pq16(s) => {
                let (p, q, polarity) = unpq16(s);
                self.q_sector(lba, &q, Some(p), polarity.is_some());
            }
            Subcode::Pw96(s) => {
                let (q, p_bits, rw) = split_pw(s);
                self.rw_nonzero |= rw;
                if p_bits != 0 && p_bits != 96 {
                    self.sink.defect(
                        lba,
                        DefectKind::PChannel,
                        format!("P bits not uniform: {p_bits} of 96 set"),
                    );
                }
                self.q_sector(lba, &q, Some(p_bits > 48), q.crc_ok());
            }
        }
    }

    fn q_sector(&mut self, lba: Lba, q: &QFrame, p: Option<bool>, crc_ok: bool) {
        self.q_seen = true;
        if !crc_ok {
            self.sink.defect(
                lba,
                DefectKind::QCrc,
                format!(
                    "Q CRC mismatch: stored {:04X}, expected {:04X} (Q {})",
                    q.stored_crc(),
                    q.expected_crc(),
                    hex(&q.0)
                ),
            );
            self.unknown_run += 1;
            return;
        }
        let lead_in = lba < -PREGAP_SECTORS;
        if lead_in && p == Some(true) {
            self.sink
                .defect(lba, DefectKind::PChannel, "P flag set in the lead-in");
        }
        let content = match q.decode_data() {
            Ok(c) => c,
            Err(e) => {
                let kind = match q.adr() {
                    2 => DefectKind::Mcn,
                    3 => DefectKind::Isrc,
                    _ => DefectKind::QPosition,
                };
                self.sink
                    .defect(lba, kind, format!("undecodable Q {}: {e}", hex(&q.0)));
                self.unknown_run += 1;
                return;
            }
        };
        match content {
            QContent::LeadIn {
                control, entry: _, ..
            } => {
                if lead_in {
                    self.leadin_frame(lba, control, q.0[2], [q.0[7], q.0[8], q.0[9]]);
                } else {
                    self.sink.defect(
                        lba,
                        DefectKind::QPosition,
                        format!(
                            "lead-in TOC frame (TNO 00, POINT {:02X}) at a program-area address",
                            q.0[2]
                        ),
                    );
                }
                self.unknown_run += 1;
            }
            QContent::Position {
                control,
                track,
                index,
                relative,
                absolute,
            } => {
                if lead_in {
                    self.sink.defect(
                        lba,
                        DefectKind::QPosition,
                        format!("position frame (track {track:02X}) in the lead-in"),
                    );
                    self.unknown_run += 1;
                } else {
                    self.position(lba, control, track, index, relative, absolute, p);
                }
            }
            QContent::Mcn { digits, aframe, .. } => {
                self.p_mode23(lba, p);
                self.mcn_frame(lba, digits, aframe);
                self.unknown_run += 1;
            }
            QContent::Isrc { isrc, aframe, .. } => {
                self.p_mode23(lba, p);
                self.isrc_frame(lba, isrc, aframe);
                self.unknown_run += 1;
            }
            QContent::Other { adr, .. } => {
                if !(lead_in && adr == 5) {
                    self.sink.warning(
                        lba,
                        DefectKind::QPosition,
                        format!("Q frame with ADR {adr}"),
                    );
                }
                self.unknown_run += 1;
            }
        }
    }

    fn leadin_frame(&mut self, lba: Lba, control: u8, point: u8, p: [u8; 3]) {
        self.leadin_seen = true;
        let variants = self.leadin.entry(point).or_default();
        if let Some(v) = variants
            .iter_mut()
            .find(|v| v.control == control && v.p == p)
        {
            v.count += 1;
            if v.lbas.len() < 16 {
                v.lbas.push(lba);
            }
        } else if variants.len() < 8 {
            variants.push(Variant {
                control,
                p,
                count: 1,
                lbas: vec![lba],
            });
        } else {
            self.sink.defect(
                lba,
                DefectKind::TocMismatch,
                format!("POINT {point:02X}: too many different values in the lead-in"),
            );
        }
    }

    /// Remembers a mode 2/3 frame with P set inside index ≥ 1 of a track.
    fn p_mode23(&mut self, lba: Lba, p: Option<bool>) {
        if p == Some(true)
            && lba >= -PREGAP_SECTORS
            && self.leadout.is_none()
            && self.index.is_some_and(|i| i >= 1)
        {
            self.p_between.push(lba);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn position(
        &mut self,
        lba: Lba,
        control: u8,
        track: u8,
        index: u8,
        relative: Msf,
        absolute: Msf,
        p: Option<bool>,
    ) {
        let between = std::mem::take(&mut self.p_between);
        let expected = Msf::from_program_lba(lba);
        if expected != Ok(absolute) {
            self.sink.defect(
                lba,
                DefectKind::QPosition,
                format!("absolute time {absolute}, expected {}", msf_text(lba)),
            );
        }
        let rel = i64::from(relative.frames());
        let lba64 = i64::from(lba);
        if track == LEAD_OUT_TRACK {
            let start = match self.leadout {
                Some(l) => l,
                None => {
                    let start = if rel > 0 && rel <= self.unknown_run {
                        lba - rel as Lba
                    } else {
                        lba
                    };
                    self.begin_leadout(start);
                    start
                }
            };
            if index != 1 {
                self.sink.defect(
                    lba,
                    DefectKind::QPosition,
                    format!("lead-out frame with index {index:02}, expected 01"),
                );
            }
            if rel != lba64 - i64::from(start) {
                self.sink.defect(
                    lba,
                    DefectKind::QPosition,
                    format!(
                        "lead-out relative time {relative}, expected {}",
                        dur(lba64 - i64::from(start))
                    ),
                );
            }
            self.leadout_controls.add(control & CONTROL_MASK, lba);
            self.unknown_run = 0;
            return;
        }
        if let Some(l) = self.leadout {
            self.sink.defect(
                lba,
                DefectKind::QPosition,
                format!("track {track:02} frame after the lead-out started at LBA {l}"),
            );
            self.unknown_run += 1;
            return;
        }
        let new_track = match self.tracks.last() {
            None => true,
            Some(t) if t.number == track => false,
            Some(t) if track == t.number + 1 => true,
            Some(t) => {
                self.sink.defect(
                    lba,
                    DefectKind::QPosition,
                    format!("track {track:02} after track {:02}", t.number),
                );
                self.unknown_run += 1;
                return;
            }
        };
        if new_track {
            if index > 1 {
                self.sink.defect(
                    lba,
                    DefectKind::QPosition,
                    format!("track {track:02} starts with index {index:02}"),
                );
                self.unknown_run += 1;
                return;
            }
            self.end_track();
            self.tracks.push(SeenTrack {
                number: track,
                control: None,
                first_lba: lba,
                start: None,
                indexes: Vec::new(),
                sector_type: None,
                isrc: None,
                controls: Tally::new(),
                isrcs: Tally::new(),
            });
            self.index = None;
        }
        match self.index {
            Some(i) if i == index => {}
            Some(i) if index == i + 1 => self.begin_index(lba, index, rel),
            None => self.begin_index(lba, index, rel),
            Some(i) => {
                self.sink.defect(
                    lba,
                    DefectKind::QPosition,
                    format!("index {index:02} after index {i:02} in track {track:02}"),
                );
                self.unknown_run += 1;
                return;
            }
        }
        let t = self.tracks.last_mut().expect("a track was pushed above");
        if t.control.is_none() {
            t.control = Some(control);
        }
        t.controls.add(control & CONTROL_MASK, lba);
        if index == 0 {
            self.pregap.push((lba, rel));
        } else if let Some(s) = t.start {
            let want = lba64 - i64::from(s);
            if rel != want {
                self.sink.defect(
                    lba,
                    DefectKind::QPosition,
                    format!("relative time {relative}, expected {}", dur(want)),
                );
            }
        }
        let start = t.start;
        if p == Some(true) && index >= 1 && start != Some(lba) {
            self.p_pending.push(lba);
        }
        if index >= 1 && !new_track {
            self.p_pending.extend(between);
        }
        self.unknown_run = 0;
    }

    fn begin_index(&mut self, lba: Lba, index: u8, rel: i64) {
        self.index = Some(index);
        let run = self.unknown_run;
        let Some(t) = self.tracks.last_mut() else {
            return;
        };
        if index == 1 {
            let start = if rel > 0 && rel <= run {
                lba - rel as Lba
            } else {
                lba
            };
            t.start = Some(start);
            t.indexes.push(TocIndex {
                number: 1,
                lba: start,
            });
            self.resolve_pregap(start);
            self.resolve_p(start);
        } else {
            t.indexes.push(TocIndex { number: index, lba });
        }
    }

    fn resolve_pregap(&mut self, start: Lba) {
        for (l, rel) in std::mem::take(&mut self.pregap) {
            let implied = i64::from(l) + rel;
            let s = i64::from(start);
            if implied != s && implied + 1 != s {
                self.sink.defect(
                    l,
                    DefectKind::QPosition,
                    format!(
                        "pregap relative time {}, expected {} (index 1 at LBA {start})",
                        dur(rel),
                        dur(s - i64::from(l))
                    ),
                );
            }
        }
    }

    fn resolve_p(&mut self, boundary: Lba) {
        for l in std::mem::take(&mut self.p_pending) {
            if l < boundary - PREGAP_SECTORS {
                self.sink.defect(
                    l,
                    DefectKind::PChannel,
                    format!(
                        "P flag set in index ≥ 1, {} sectors before the next track start",
                        boundary - l
                    ),
                );
            }
        }
    }

    /// Closes the current track: a track without index 1 is a layout defect.
    fn end_track(&mut self) {
        if let Some(t) = self.tracks.last_mut() {
            {
                let number = t.number;
                if let Some(c) = t
                    .controls
                    .resolve(&mut self.sink, DefectKind::QControl, |v, m| {
                        format!("CONTROL {v:X} in track {number:02}, whose other frames have {m:X}")
                    })
                {
                    t.control = Some(c | t.control.unwrap_or(0) & 0x2);
                }
                t.isrc = t.isrcs.resolve(&mut self.sink, DefectKind::Isrc, |v, m| {
                    format!(
                        "ISRC {} in track {number:02}, whose other ISRC frames have {}",
                        String::from_utf8_lossy(&v),
                        String::from_utf8_lossy(&m)
                    )
                });
            }
        }
        if let Some(t) = self.tracks.last() {
            if t.start.is_none() {
                self.sink.defect(
                    t.first_lba,
                    DefectKind::Layout,
                    format!("track {:02} has no index 01", t.number),
                );
                self.pregap.clear();
            }
        }
    }

    fn begin_leadout(&mut self, start: Lba) {
        self.end_track();
        self.resolve_p(start);
        self.leadout = Some(start);
    }

    fn aframe_ok(&mut self, lba: Lba, aframe: u8, kind: DefectKind) {
        if let Ok(m) = Msf::from_program_lba(lba) {
            if m.frame != aframe {
                self.sink.defect(
                    lba,
                    kind,
                    format!("AFRAME {aframe:02}, expected {:02}", m.frame),
                );
            }
        }
    }

    fn mcn_frame(&mut self, lba: Lba, digits: [u8; 13], aframe: u8) {
        if lba < -PREGAP_SECTORS {
            self.sink
                .defect(lba, DefectKind::Mcn, "MCN frame in the lead-in");
            return;
        }
        self.aframe_ok(lba, aframe, DefectKind::Mcn);
        self.mcns.add(digits, lba);
        if self.leadout.is_none() {
            if let Some(prev) = self.last_mcn {
                if lba - prev > MCN_MAX_GAP {
                    self.sink.warning(
                        lba,
                        DefectKind::Mcn,
                        format!(
                            "no MCN frame for {} sectors (at least 1 in 100 expected)",
                            lba - prev - 1
                        ),
                    );
                }
            }
            self.last_mcn = Some(lba);
        }
    }

    fn isrc_frame(&mut self, lba: Lba, isrc: [u8; 12], aframe: u8) {
        if lba < -PREGAP_SECTORS {
            self.sink
                .defect(lba, DefectKind::Isrc, "ISRC frame in the lead-in");
            return;
        }
        if self.leadout.is_some() {
            self.sink
                .defect(lba, DefectKind::Isrc, "ISRC frame in the lead-out");
            return;
        }
        self.aframe_ok(lba, aframe, DefectKind::Isrc);
        let text = String::from_utf8_lossy(&isrc).into_owned();
        let Some(t) = self.tracks.last_mut() else {
            self.sink.defect(
                lba,
                DefectKind::Isrc,
                format!("ISRC {text} before any track"),
            );
            return;
        };
        if t.control.is_some_and(|c| c & 0x4 != 0) {
            self.sink.defect(
                lba,
                DefectKind::Isrc,
                format!("ISRC {text} in data track {:02}", t.number),
            );
            return;
        }
        t.isrcs.add(isrc, lba);
    }

    /// The external TOC's track holding `lba`, if any.
    fn ext_track(&self, lba: Lba) -> Option<&TocTrack> {
        let toc = self.ext_toc.as_ref()?;
        if lba >= toc.leadout_lba {
            return None;
        }
        toc.tracks.iter().rev().find(|t| {
            t.indexes
                .first()
                .map_or(t.start_lba, |i| i.lba.min(t.start_lba))
                <= lba
        })
    }

    fn main_sector(&mut self, lba: Lba, main: &[u8; SECTOR_SIZE]) {
        let sync = looks_like_data(main);
        let in_program = if self.q_seen {
            lba >= -PREGAP_SECTORS
                && self.leadout.is_none_or(|l| lba < l)
                && !self.tracks.is_empty()
        } else {
            // no sub-channel: the external TOC alone tells tracks apart
            self.ext_toc
                .as_ref()
                .is_some_and(|t| lba >= -PREGAP_SECTORS && lba < t.leadout_lba)
        };
        let ext_type = self.ext_track(lba).map(|t| t.sector_type);
        let mut expected = None;
        if in_program {
            let data = self
                .tracks
                .last()
                .and_then(|t| t.control)
                .map(|c| c & 0x4 != 0)
                .or(ext_type.map(|t| t.is_data()));
            match (data, sync) {
                (Some(false), true) => {
                    self.sink.warning(
                        lba,
                        DefectKind::Sync,
                        "audio sector starts with a data sync pattern",
                    );
                    return;
                }
                (Some(true), false) => {
                    self.sink
                        .defect(lba, DefectKind::Sync, "data sector without sync pattern");
                    return;
                }
                (_, false) => return,
                _ => {}
            }
            expected = ext_type.filter(|t| t.is_data());
        } else if !sync {
            return;
        }
        let check = match expected {
            Some(t) => {
                let mut c = check_sector_as(main, lba, self.scrambled, t);
                // a description's mode 2 form is a default for generated
                // sectors, not a promise about every stored one
                c.findings
                    .retain(|f| !matches!(f, Finding::FormMismatch { .. }));
                c
            }
            None => check_sector(main, lba, self.scrambled),
        };
        if check.has_errors() {
            let other = check_sector(main, lba, !self.scrambled);
            if !other.has_errors() {
                let (is, want) = if self.scrambled {
                    ("not scrambled", "scrambled")
                } else {
                    ("scrambled", "unscrambled")
                };
                self.sink.defect(
                    lba,
                    DefectKind::Header,
                    format!("data sector is {is}; this format stores data sectors {want}"),
                );
                return;
            }
        }
        if in_program {
            if let Some(t) = self.tracks.last_mut() {
                if t.sector_type.is_none() && self.index.is_some_and(|i| i >= 1) {
                    t.sector_type = match check.kind {
                        SectorKind::Mode0 => Some(SectorType::Mode0),
                        SectorKind::Mode1 => Some(SectorType::Mode1),
                        SectorKind::Mode2Formless => Some(SectorType::Mode2Form0),
                        SectorKind::Mode2Form1 => Some(SectorType::Mode2Form1),
                        SectorKind::Mode2Form2 => Some(SectorType::Mode2Form2),
                        _ => None,
                    };
                }
            }
        }
        if check.findings.is_empty() {
            return;
        }
        let mut merged: Vec<(DefectKind, Severity, String)> = Vec::new();
        for f in &check.findings {
            let kind = finding_kind(f);
            let sev = f.severity();
            match merged.iter_mut().find(|m| m.0 == kind && m.1 == sev) {
                Some(m) => {
                    m.2.push_str("; ");
                    m.2.push_str(&f.to_string());
                }
                None => merged.push((kind, sev, f.to_string())),
            }
        }
        for (kind, sev, detail) in merged {
            match sev {
                Severity::Error => self.sink.defect(lba, kind, detail),
                Severity::Warning => self.sink.warning(lba, kind, detail),
            }
        }
    }

    /// Finishes the image: lead-out, capacity, TOC comparisons, layout rules;
    /// returns the report.
    pub fn finish(mut self) -> Report {
        let first_lba = self.first_lba.unwrap_or(0);
        let end = if self.sectors == 0 {
            first_lba
        } else {
            self.last_lba + 1
        };
        if self.leadout.is_none() {
            self.end_track();
            self.resolve_p(end);
        }
        let leadout = self.leadout;
        self.mcn = self.mcns.resolve(&mut self.sink, DefectKind::Mcn, |v, m| {
            format!(
                "MCN {}, other MCN frames have {}",
                digits_text(&v),
                digits_text(&m)
            )
        });
        let lo = self
            .leadout_controls
            .resolve(&mut self.sink, DefectKind::QControl, |v, m| {
                format!("lead-out CONTROL {v:X}, other lead-out frames have {m:X}")
            });
        if let (Some(lo), Some(l), Some(c)) =
            (lo, leadout, self.tracks.last().and_then(|t| t.control))
        {
            if (lo ^ c) & CONTROL_MASK != 0 {
                self.sink.defect(
                    l,
                    DefectKind::QControl,
                    format!("lead-out CONTROL {lo:X}, last track has {c:X}"),
                );
            }
        }
        if self.q_seen && !self.program_area_only {
            match leadout {
                None => self.sink.defect(
                    end,
                    DefectKind::Leadout,
                    format!(
                        "no lead-out: the image ends at LBA {end}{}",
                        self.tracks
                            .last()
                            .map(|t| format!(" in track {:02}", t.number))
                            .unwrap_or_default()
                    ),
                ),
                Some(l) if end - l < LEADOUT_SECTORS => self.sink.defect(
                    l,
                    DefectKind::Leadout,
                    format!(
                        "lead-out has {} sectors, at least {LEADOUT_SECTORS} needed",
                        end - l
                    ),
                ),
                Some(_) => {}
            }
        }
        let program_end = leadout.unwrap_or(end);
        if let Some((limit, what)) = self.leadout_limit.clone() {
            if program_end > limit {
                self.sink.defect(
                    program_end,
                    DefectKind::Capacity,
                    format!(
                        "lead-out starts at LBA {program_end} ({}), after the last possible start LBA {limit} ({}) of {what}",
                        msf_text(program_end),
                        msf_text(limit)
                    ),
                );
            }
        }
        self.compare_leadin(first_lba, program_end);
        let toc = self.seen_toc(program_end);
        if let Some(toc) = &toc {
            self.compare_external(toc);
            self.layout_rules(toc, program_end);
        }
        let mut sink = self.sink;
        sink.defects.sort_by_key(|d| d.lba);
        sink.warnings.sort_by_key(|d| d.lba);
        let truncated = sink.defect_count > sink.defects.len() as u64;
        Report {
            format: self.format,
            sectors: self.sectors,
            first_lba,
            defects: sink.defects,
            defect_count: sink.defect_count,
            counts: sink.counts,
            truncated,
            warnings: sink.warnings,
            warning_count: sink.warning_count,
            toc,
            notes: self.notes,
        }
    }

    fn compare_leadin(&mut self, first_lba: Lba, program_end: Lba) {
        if first_lba >= -PREGAP_SECTORS || self.sectors == 0 || !self.q_seen {
            return;
        }
        if !self.leadin_seen {
            self.sink.defect(
                first_lba,
                DefectKind::TocMismatch,
                "no TOC frames in the lead-in",
            );
            return;
        }
        let leadin = std::mem::take(&mut self.leadin);
        let mut majority: BTreeMap<u8, (u8, [u8; 3], Lba)> = BTreeMap::new();
        for (&point, variants) in &leadin {
            let Some(best) = variants.iter().max_by_key(|v| v.count) else {
                continue;
            };
            for v in variants.iter().filter(|v| !std::ptr::eq(*v, best)) {
                for &l in &v.lbas {
                    self.sink.defect(
                        l,
                        DefectKind::TocMismatch,
                        format!(
                            "POINT {point:02X}: CONTROL {:X} P {} differs from {} other frames with CONTROL {:X} P {}",
                            v.control,
                            hex(&v.p),
                            best.count,
                            best.control,
                            hex(&best.p)
                        ),
                    );
                }
            }
            majority.insert(point, (best.control, best.p, best.lbas[0]));
        }
        let tracks = self.tracks.clone();
        let (Some(first), Some(last)) = (tracks.first(), tracks.last()) else {
            return;
        };
        let mut check = |point: u8, what: &str, ok: &dyn Fn(u8, [u8; 3]) -> bool, seen: String| {
            match majority.get(&point) {
                None => self.sink.defect(
                    first_lba,
                    DefectKind::TocMismatch,
                    format!("lead-in TOC has no POINT {point:02X} ({what} {seen})"),
                ),
                Some(&(c, p, at)) if !ok(c, p) => self.sink.defect(
                    at,
                    DefectKind::TocMismatch,
                    format!(
                        "lead-in POINT {point:02X} (CONTROL {c:X}, P {}) disagrees with the program area: {what} {seen}",
                        hex(&p)
                    ),
                ),
                Some(_) => {}
            }
        };
        let (f, l) = (first.number, last.number);
        check(
            0xA0,
            "first track",
            &|_, p| from_bcd(p[0]) == Some(f),
            format!("{f:02}"),
        );
        check(
            0xA1,
            "last track",
            &|_, p| from_bcd(p[0]) == Some(l),
            format!("{l:02}"),
        );
        check(
            0xA2,
            "lead-out at",
            &|_, p| Msf::from_bcd(p).map(|m| m.to_program_lba()) == Ok(program_end),
            format!("LBA {program_end} ({})", msf_text(program_end)),
        );
        for t in &tracks {
            let Some(start) = t.start else { continue };
            let control = t.control.unwrap_or(0);
            check(
                to_bcd(t.number.min(99)),
                &format!("track {:02} CONTROL {control:X} starts at", t.number),
                &|c, p| {
                    (c ^ control) & CONTROL_MASK == 0
                        && Msf::from_bcd(p).map(|m| m.to_program_lba()) == Ok(start)
                },
                format!("LBA {start} ({})", msf_text(start)),
            );
        }
        for (&point, &(_, p, at)) in &majority {
            if let Some(n @ 1..=99) = from_bcd(point) {
                if !tracks.iter().any(|t| t.number == n) {
                    self.sink.defect(
                        at,
                        DefectKind::TocMismatch,
                        format!(
                            "lead-in TOC lists track {n:02} at {} but the program area has no such track",
                            hex(&p)
                        ),
                    );
                }
            }
        }
    }

    fn seen_toc(&self, program_end: Lba) -> Option<Toc> {
        let first = self.tracks.first()?;
        let last = self.tracks.last()?;
        let starts: Vec<Lba> = self
            .tracks
            .iter()
            .map(|t| t.start.unwrap_or(t.first_lba))
            .collect();
        let tracks = self
            .tracks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let start = starts[i];
                let next = starts.get(i + 1).copied().unwrap_or(program_end);
                let control = t.control.unwrap_or(0);
                TocTrack {
                    number: t.number,
                    control,
                    sector_type: t.sector_type.unwrap_or(if control & 0x4 != 0 {
                        SectorType::Mode1
                    } else {
                        SectorType::Audio
                    }),
                    start_lba: start,
                    sector_count: (next - start).max(0) as u32,
                    isrc: t
                        .isrc
                        .and_then(|i| Isrc::parse(&String::from_utf8_lossy(&i)).ok()),
                    indexes: t.indexes.clone(),
                }
            })
            .collect();
        let disc_type = self
            .leadin
            .get(&0xA0)
            .and_then(|v| v.iter().max_by_key(|v| v.count))
            .map_or(0, |v| v.p[1]);
        Some(Toc {
            first_track: first.number,
            last_track: last.number,
            leadout_lba: program_end,
            mcn: self.mcn.and_then(|d| Mcn::parse(&digits_text(&d)).ok()),
            disc_type,
            tracks,
        })
    }

    fn compare_external(&mut self, seen: &Toc) {
        let Some(ext) = self.ext_toc.clone() else {
            return;
        };
        let at0 = seen.tracks.first().map_or(0, |t| t.start_lba);
        if !self.q_seen {
            return;
        }
        if ext.leadout_lba != seen.leadout_lba {
            self.sink.defect(
                seen.leadout_lba,
                DefectKind::TocMismatch,
                format!(
                    "TOC puts the lead-out at LBA {}, the image at LBA {}",
                    ext.leadout_lba, seen.leadout_lba
                ),
            );
        }
        for et in &ext.tracks {
            match seen.tracks.iter().find(|t| t.number == et.number) {
                None => self.sink.defect(
                    et.start_lba,
                    DefectKind::TocMismatch,
                    format!(
                        "TOC lists track {:02}, the image has no such track",
                        et.number
                    ),
                ),
                Some(st) => {
                    if st.start_lba != et.start_lba {
                        self.sink.defect(
                            st.start_lba,
                            DefectKind::TocMismatch,
                            format!(
                                "TOC starts track {:02} at LBA {}, the image at LBA {}",
                                et.number, et.start_lba, st.start_lba
                            ),
                        );
                    }
                    if et.sector_type.is_data() != (st.control & 0x4 != 0) {
                        self.sink.defect(
                            st.start_lba,
                            DefectKind::TocMismatch,
                            format!(
                                "TOC says track {:02} is {}, its CONTROL is {:X}",
                                et.number, et.sector_type, st.control
                            ),
                        );
                    } else if (et.control ^ st.control) & CONTROL_MASK != 0 {
                        self.sink.defect(
                            st.start_lba,
                            DefectKind::TocMismatch,
                            format!(
                                "TOC gives track {:02} CONTROL {:X}, the Q channel {:X}",
                                et.number, et.control, st.control
                            ),
                        );
                    }
                    if et.isrc.is_some() && et.isrc != st.isrc {
                        self.sink.defect(
                            st.start_lba,
                            DefectKind::Isrc,
                            format!(
                                "TOC gives track {:02} ISRC {}, the Q channel {}",
                                et.number,
                                et.isrc.map(|i| i.to_string()).unwrap_or_default(),
                                st.isrc.map_or("none".into(), |i| i.to_string())
                            ),
                        );
                    }
                }
            }
        }
        for st in &seen.tracks {
            if !ext.tracks.iter().any(|t| t.number == st.number) {
                self.sink.defect(
                    st.start_lba,
                    DefectKind::TocMismatch,
                    format!("track {:02} is not in the TOC", st.number),
                );
            }
        }
        if ext.mcn.is_some() && ext.mcn != seen.mcn {
            self.sink.defect(
                at0,
                DefectKind::Mcn,
                format!(
                    "TOC gives MCN {}, the Q channel {}",
                    ext.mcn.map(|m| m.to_string()).unwrap_or_default(),
                    seen.mcn.map_or("none".into(), |m| m.to_string())
                ),
            );
        }
    }

    fn layout_rules(&mut self, toc: &Toc, program_end: Lba) {
        for (i, t) in toc.tracks.iter().enumerate() {
            let seen = &self.tracks[i];
            let body_end = self.tracks.get(i + 1).map_or(program_end, |n| n.first_lba);
            let body = body_end - t.start_lba;
            if t.sector_type.is_audio() && body < MIN_TRACK {
                self.sink.warning(
                    t.start_lba,
                    DefectKind::Layout,
                    format!(
                        "track {:02} has {body} sectors of index ≥ 1, less than 4 s ({MIN_TRACK})",
                        t.number
                    ),
                );
            }
            let pregap = t.start_lba - seen.first_lba;
            if i == 0 {
                // an image that starts with the track cannot show its pregap
                if pregap < PREGAP_SECTORS && self.first_lba.is_some_and(|f| f < seen.first_lba) {
                    self.sink.warning(
                        seen.first_lba,
                        DefectKind::Layout,
                        format!(
                            "track {:02} pregap has {pregap} sectors, 150 expected",
                            t.number
                        ),
                    );
                }
            } else {
                let prev = &toc.tracks[i - 1];
                let (a, b) = (prev.control & 0x4 != 0, t.control & 0x4 != 0);
                let need = match (a, b) {
                    (false, true) => 225,
                    (true, false) => 150,
                    _ => 0,
                };
                if pregap < need {
                    self.sink.warning(
                        seen.first_lba,
                        DefectKind::Layout,
                        format!(
                            "track {:02} switches between audio and data with a pregap of {pregap} sectors ({need} expected)",
                            t.number
                        ),
                    );
                }
            }
        }
    }
}

fn finding_kind(f: &Finding) -> DefectKind {
    match f {
        Finding::MissingSync | Finding::UnexpectedSync => DefectKind::Sync,
        Finding::EdcMismatch { .. } => DefectKind::Edc,
        Finding::EccPMismatch { .. }
        | Finding::EccQMismatch { .. }
        | Finding::Mode1ReservedNotZero { .. } => DefectKind::Ecc,
        Finding::SubheaderCopiesDiffer { .. } => DefectKind::Subheader,
        _ => DefectKind::Header,
    }
}

fn hex(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn digits_text(d: &[u8; 13]) -> String {
    d.iter().map(|&x| char::from(b'0' + x.min(9))).collect()
}

/// A sector count as MSF text (negative counts shown as `-n`).
fn dur(n: i64) -> String {
    u32::try_from(n)
        .ok()
        .and_then(Msf::from_frames)
        .map_or_else(|| format!("{n} sectors"), |m| m.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::subcode::pack::{raw96, unraw96};

    #[test]
    fn split_pw_matches_unraw96() {
        let mut x = 0x1234_5678_9abc_def1u64;
        for _ in 0..200 {
            let mut sub = [0u8; 96];
            for b in sub.iter_mut() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                *b = x as u8;
            }
            let (p, q) = unraw96(&sub);
            let (q2, pbits, _) = split_pw(&sub);
            assert_eq!(q, q2);
            assert_eq!(p, pbits > 48);
        }
        let q = QFrame::position(0, 1, 1, Msf::ZERO, Msf::ZERO);
        let mut sub = [0u8; 96];
        raw96(true, &q, None, &mut sub);
        let (q2, pbits, rw) = split_pw(&sub);
        assert_eq!((q2, pbits, rw), (q, 96, false));
    }
}
