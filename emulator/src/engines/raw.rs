//! The RAW engine (mmc.md §3.2, cd-format.md §8): main channel stored
//! verbatim; sub-channel stored as raw 96-byte P–W — DBT 3 verbatim, DBT 2
//! with the packed R–W parity recomputed and interleaved, DBT 1 built from
//! the PQ-16 record (either CRC polarity accepted, the on-disc CRC
//! recomputed, R–W zero). While it stores, the engine decodes Q and keeps
//! [`Finding`]s and the TOC the drive will read back.

use std::collections::BTreeMap;

use rawcd::msf::Lba;
use rawcd::subcode::pack::{raw96, unpq16};
use rawcd::subcode::rw::{encode_pack, Interleaver};
use rawcd::subcode::{QContent, QFrame, TocEntry};

use crate::disc::{DiscToc, DiscTrack, Finding};
use crate::persist::SLOT_LEN;

/// Main channel bytes.
const MAIN: usize = 2352;

/// Converts one host block of data block type `dbt` into a stored slot
/// (2352 main + 96 raw P–W). Returns P and the Q frame as stored.
pub(crate) fn convert_block(
    dbt: u8,
    block: &[u8],
    il: &mut Interleaver,
    out: &mut [u8],
) -> (bool, QFrame) {
    out[..MAIN].copy_from_slice(&block[..MAIN]);
    let sub: &mut [u8; 96] = (&mut out[MAIN..SLOT_LEN])
        .try_into()
        .expect("96-byte slot tail");
    match dbt {
        1 => {
            let mut pq = [0u8; 16];
            pq.copy_from_slice(&block[MAIN..MAIN + 16]);
            let (p, q, _) = unpq16(&pq);
            let q = QFrame::from_data(q.data());
            raw96(p, &q, None, sub);
        }
        2 => {
            let mut packed = [0u8; 96];
            packed.copy_from_slice(&block[MAIN..MAIN + 96]);
            for pack in packed.chunks_exact_mut(24) {
                let pack: &mut [u8; 24] = pack.try_into().expect("24-byte pack");
                encode_pack(pack);
            }
            il.push(&packed, sub);
        }
        _ => sub.copy_from_slice(&block[MAIN..MAIN + 96]),
    }
    rawcd::subcode::pack::unraw96(sub)
}

/// The CRC check of a stored frame, with the PQ-16 polarity caveat: for
/// DBT 1 the host's CRC was checked before recomputation.
pub(crate) fn pq16_crc_ok(block: &[u8]) -> bool {
    let mut pq = [0u8; 16];
    pq.copy_from_slice(&block[MAIN..MAIN + 16]);
    unpq16(&pq).2.is_some()
}

/// Running Q analysis of a RAW stream.
#[derive(Debug, Default)]
pub(crate) struct RawAnalyzer {
    /// Lead-in TOC points: POINT → (CONTROL, entry).
    points: BTreeMap<u8, (u8, TocEntry)>,
    tracks: Vec<DiscTrack>,
    leadout: Option<Lba>,
    mcn: Option<String>,
    cur_index: u8,
}

fn point_of(e: &TocEntry) -> u8 {
    match e {
        TocEntry::Track { number, .. } => *number,
        TocEntry::FirstTrack { .. } => 0xa0,
        TocEntry::LastTrack { .. } => 0xa1,
        TocEntry::LeadOut { .. } => 0xa2,
        TocEntry::Other { point, .. } => *point,
    }
}

impl RawAnalyzer {
    /// Looks at one sector's P and Q; `crc_ok` is the host's CRC verdict.
    pub(crate) fn sector(
        &mut self,
        lba: Lba,
        p: bool,
        q: &QFrame,
        crc_ok: bool,
        findings: &mut Vec<Finding>,
    ) {
        if !crc_ok {
            findings.push(Finding::QCrc { lba });
            return;
        }
        let Ok(content) = q.decode_data() else {
            findings.push(Finding::QUndecodable { lba });
            return;
        };
        match content {
            QContent::LeadIn { control, entry, .. } if lba < -150 => {
                self.points
                    .entry(point_of(&entry))
                    .or_insert((control, entry));
            }
            QContent::LeadIn { .. } => findings.push(Finding::QRegion {
                lba,
                expected: "a program-area position frame".into(),
            }),
            QContent::Position { .. } if lba < -150 => findings.push(Finding::QRegion {
                lba,
                expected: "a lead-in TOC frame".into(),
            }),
            QContent::Position {
                control,
                track,
                index,
                absolute,
                ..
            } => self.position(
                lba,
                p,
                control,
                track,
                index,
                absolute.to_program_lba(),
                findings,
            ),
            QContent::Mcn { digits, .. } => {
                if self.mcn.is_none() {
                    self.mcn = Some(digits.iter().map(|d| char::from(b'0' + d)).collect());
                }
            }
            QContent::Isrc { isrc, .. } => {
                // An ISRC in a pregap (index 0) may still name the previous
                // track's recording (wodim -raw96r does this in its gapless
                // pregaps): only index >= 1 frames name the track's ISRC.
                let in_body = self.cur_index >= 1;
                if let Some(t) = self.tracks.last_mut().filter(|_| in_body) {
                    if t.isrc.is_none() {
                        t.isrc = Some(String::from_utf8_lossy(&isrc).into_owned());
                    }
                }
            }
            QContent::Other { .. } => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn position(
        &mut self,
        lba: Lba,
        p: bool,
        control: u8,
        track: u8,
        index: u8,
        found: Lba,
        findings: &mut Vec<Finding>,
    ) {
        if found != lba {
            findings.push(Finding::QPosition { lba, found });
        }
        if track == rawcd::subcode::LEAD_OUT_TRACK {
            self.leadout.get_or_insert(lba);
            return;
        }
        if self.leadout.is_some() {
            findings.push(Finding::QSequence {
                lba,
                what: format!("track {track} after the lead-out"),
            });
            return;
        }
        let new_track = match self.tracks.last() {
            None => true,
            Some(t) if t.number == track => false,
            Some(t) => {
                if track != t.number.wrapping_add(1) {
                    findings.push(Finding::QSequence {
                        lba,
                        what: format!("track {} follows track {}", track, t.number),
                    });
                }
                true
            }
        };
        if new_track {
            self.tracks.push(DiscTrack {
                number: track,
                control,
                start: lba,
                indexes: vec![(index, lba)],
                isrc: None,
            });
            self.cur_index = index;
            if index > 1 {
                findings.push(Finding::QSequence {
                    lba,
                    what: format!("track {track} starts at index {index}"),
                });
            }
        } else if index != self.cur_index {
            if index != self.cur_index.wrapping_add(1) {
                findings.push(Finding::QSequence {
                    lba,
                    what: format!("index {} follows index {}", index, self.cur_index),
                });
            }
            self.cur_index = index;
            if let Some(t) = self.tracks.last_mut() {
                t.indexes.push((index, lba));
                if index == 1 {
                    t.start = lba;
                    t.control = control;
                }
            }
        }
        if index == 0 && !p {
            findings.push(Finding::PFlag { lba });
        }
    }

    /// The TOC the drive reads back, and findings about lead-in vs program
    /// area. `written_end` bounds a missing lead-out.
    pub(crate) fn finish(&self, written_end: Lba, findings: &mut Vec<Finding>) -> Option<DiscToc> {
        // A raw burn that stopped before the lead-out (cancelled, underrun,
        // host gone) leaves an unfinished disc: no TOC, damaged.
        let Some(leadout) = self.leadout else {
            findings.push(Finding::ShortLeadOut { sectors: 0 });
            return None;
        };
        // A first-session lead-out is 6750 sectors (90 s); a burn that stopped
        // inside it did not finish the disc either.
        let n = (written_end - leadout).max(0) as u32;
        if n < rawcd::msf::LEADOUT_SECTORS as u32 {
            findings.push(Finding::ShortLeadOut { sectors: n });
            return None;
        }
        let mut tracks = self.tracks.clone();
        for t in &mut tracks {
            if let Some(&(_, l)) = t.indexes.iter().find(|(i, _)| *i == 1) {
                t.start = l;
            }
        }
        if tracks.is_empty() && self.points.is_empty() {
            return None;
        }
        let program = DiscToc {
            first_track: tracks.first().map_or(1, |t| t.number),
            last_track: tracks.last().map_or(1, |t| t.number),
            disc_type: 0,
            leadout,
            tracks,
            mcn: self.mcn.clone(),
        };
        if self.points.is_empty() {
            return Some(program);
        }
        Some(self.lead_in_toc(program, findings))
    }

    fn lead_in_toc(&self, program: DiscToc, findings: &mut Vec<Finding>) -> DiscToc {
        let mut mismatch = |what: String| findings.push(Finding::LeadInTocMismatch { what });
        let mut toc = program.clone();
        toc.tracks.clear();
        for (&point, &(control, entry)) in &self.points {
            match entry {
                TocEntry::FirstTrack { track, disc_type } => {
                    toc.first_track = track;
                    toc.disc_type = disc_type;
                    if track != program.first_track {
                        mismatch(format!(
                            "A0 first track {track}, program area starts with track {}",
                            program.first_track
                        ));
                    }
                }
                TocEntry::LastTrack { track } => {
                    toc.last_track = track;
                    if track != program.last_track {
                        mismatch(format!(
                            "A1 last track {track}, program area ends with track {}",
                            program.last_track
                        ));
                    }
                }
                TocEntry::LeadOut { start } => {
                    toc.leadout = start.to_program_lba();
                    if toc.leadout != program.leadout {
                        mismatch(format!(
                            "A2 lead-out {}, program area lead-out at {}",
                            toc.leadout, program.leadout
                        ));
                    }
                }
                TocEntry::Track { number, start } => {
                    let lba = start.to_program_lba();
                    let seen = program.tracks.iter().find(|t| t.number == number);
                    match seen {
                        None => mismatch(format!("track {number} in the lead-in only")),
                        Some(t) if t.start != lba || t.control != control => mismatch(format!(
                            "track {number}: lead-in start {lba} ctl {control:X}, program area {} ctl {:X}",
                            t.start, t.control
                        )),
                        Some(_) => {}
                    }
                    toc.tracks.push(DiscTrack {
                        number,
                        control,
                        start: lba,
                        indexes: seen.map(|t| t.indexes.clone()).unwrap_or_default(),
                        isrc: seen.and_then(|t| t.isrc.clone()),
                    });
                }
                TocEntry::Other { .. } => {
                    let _ = point;
                }
            }
        }
        for t in &program.tracks {
            if !self.points.contains_key(&t.number) {
                mismatch(format!("track {} missing from the lead-in TOC", t.number));
            }
        }
        toc.tracks.sort_by_key(|t| t.number);
        toc
    }
}
