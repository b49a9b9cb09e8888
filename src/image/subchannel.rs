//! The P and Q channels of every sector of a planned disc: lead-in TOC
//! frames, pregap/program/lead-out positions, MCN and ISRC frames, SCMS.
//!
//! Choices where the standards leave room (spec/README.md defaults):
//! - lead-in: POINTs A0, A1, A2, then the tracks, each in 3 consecutive
//!   sectors, cycling from MSF 95:00:00; the running time is the sector's own
//!   lead-in MSF (position-independent); P = 0;
//! - index 0: relative time counts down to index 1 (00:00:01 in the last
//!   pregap sector); P = 1; index ≥ 1: relative time counts up from index 1;
//! - P = 1 also in the first sector of every index 1 and in the 150 sectors
//!   before a track's index 1 (gapless pregaps included);
//! - lead-out: TNO AA, INDEX 01, P = 0 for 150 sectors then 2 Hz;
//! - MCN at LBA ≡ 99 and ISRC at LBA ≡ 49 (mod 100), moved one sector later
//!   when that sector starts a track or index; none in the lead-in or lead-out;
//!   ISRC only in index ≥ 1 of audio tracks;
//! - SCMS tracks: the copy bit is clear for LBA mod 8 in 0..3, set in 4..7.

use crate::layout::{CopySetting, PlacedTrack, Plan};
use crate::msf::{to_bcd, Lba, Msf};
use crate::subcode::{p_channel, QFrame};

/// One lead-in TOC entry: CONTROL, POINT and PMIN/PSEC/PFRAME as on disc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TocPoint {
    control: u8,
    point: u8,
    p: [u8; 3],
}

/// Computes the P flag and Q frame of any LBA of a plan.
#[derive(Debug, Clone)]
pub struct SubchannelGenerator {
    plan: Plan,
    points: Vec<TocPoint>,
}

/// What [`SubchannelGenerator::region`] finds at an LBA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// Before LBA −150.
    LeadIn,
    /// In the extent of the track with this index into `Plan::tracks`.
    Track(usize),
    /// At or after the lead-out start.
    LeadOut,
}

impl SubchannelGenerator {
    /// Prepares the lead-in TOC of `plan`.
    pub fn new(plan: Plan) -> SubchannelGenerator {
        let first = plan.tracks.first();
        let last = plan.tracks.last();
        let mut points = Vec::with_capacity(plan.tracks.len() + 3);
        if let (Some(first), Some(last)) = (first, last) {
            points.push(TocPoint {
                control: first.control,
                point: 0xA0,
                p: [to_bcd(first.number), plan.disc_type, 0],
            });
            points.push(TocPoint {
                control: last.control,
                point: 0xA1,
                p: [to_bcd(last.number), 0, 0],
            });
            points.push(TocPoint {
                control: last.control,
                point: 0xA2,
                p: program_msf(plan.leadout).to_bcd(),
            });
            points.extend(plan.tracks.iter().map(|t| TocPoint {
                control: t.control,
                point: to_bcd(t.number),
                p: program_msf(t.start).to_bcd(),
            }));
        }
        SubchannelGenerator { plan, points }
    }

    /// The plan this generator serves.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Where `lba` lies.
    pub fn region(&self, lba: Lba) -> Region {
        if lba < -150 {
            return Region::LeadIn;
        }
        if lba >= self.plan.leadout {
            return Region::LeadOut;
        }
        let i = self.plan.tracks.partition_point(|t| t.extent_start <= lba);
        Region::Track(i.saturating_sub(1))
    }

    /// The P flag and Q frame of the sector at `lba`.
    pub fn sector(&self, lba: Lba) -> (bool, QFrame) {
        match self.region(lba) {
            Region::LeadIn => (false, self.lead_in(lba)),
            Region::LeadOut => self.lead_out(lba),
            Region::Track(i) => self.program(i, lba),
        }
    }

    fn lead_in(&self, lba: Lba) -> QFrame {
        let time = Msf::from_lba(lba).unwrap_or(Msf::ZERO);
        if self.points.is_empty() {
            return QFrame::lead_in(0, 0xA0, time, [0, 0, 0]);
        }
        let step = (lba - crate::msf::IMAGE_START_LBA).rem_euclid(3 * self.points.len() as i32);
        let pt = self.points[(step / 3) as usize];
        QFrame::lead_in(pt.control, pt.point, time, pt.p)
    }

    fn lead_out(&self, lba: Lba) -> (bool, QFrame) {
        let control = self.plan.tracks.last().map_or(0, |t| t.control);
        let r = (lba - self.plan.leadout) as u32;
        let q = QFrame::position(
            control,
            0xAA,
            1,
            Msf::from_frames(r).unwrap_or(Msf::ZERO),
            program_msf(lba),
        );
        (p_channel::leadout(r), q)
    }

    fn program(&self, i: usize, lba: Lba) -> (bool, QFrame) {
        let t = &self.plan.tracks[i];
        let index = t.index_at(lba);
        let control = control_at(t, lba);
        let p = index == 0
            || lba == t.start
            || self
                .plan
                .tracks
                .get(i + 1)
                .is_some_and(|n| lba >= n.start - 150);
        if let Some(q) = self.catalog_frame(t, control, lba) {
            return (p, q);
        }
        let rel = if index == 0 {
            t.start - lba
        } else {
            lba - t.start
        };
        let q = QFrame::position(
            control,
            t.number,
            index,
            Msf::from_frames(rel as u32).unwrap_or(Msf::ZERO),
            program_msf(lba),
        );
        (p, q)
    }

    /// An MCN or ISRC frame when the cadence puts one at `lba`.
    fn catalog_frame(&self, t: &PlacedTrack, control: u8, lba: Lba) -> Option<QFrame> {
        let aframe = program_msf(lba).frame;
        if let Some(mcn) = &self.plan.mcn {
            if due(t, lba, 99) {
                return Some(QFrame::mcn(control, mcn.digits(), aframe));
            }
        }
        if let Some(isrc) = &t.isrc {
            if lba > t.start && t.sector_type.is_audio() && due(t, lba, 49) {
                return Some(QFrame::isrc(control, isrc.as_bytes(), aframe));
            }
        }
        None
    }
}

/// True when a catalogue frame of phase `phase` (mod 100) belongs at `lba`:
/// on the phase itself, or one sector later when the phase sector starts a
/// track or index.
fn due(t: &PlacedTrack, lba: Lba, phase: i32) -> bool {
    let m = lba.rem_euclid(100);
    if m == phase {
        !starts_region(t, lba)
    } else if m == (phase + 1) % 100 {
        starts_region(t, lba - 1) && !starts_region(t, lba)
    } else {
        false
    }
}

/// True when `lba` is the first sector of a track extent or of an index.
fn starts_region(t: &PlacedTrack, lba: Lba) -> bool {
    lba == t.extent_start || t.indexes.binary_search(&lba).is_ok()
}

/// The CONTROL nibble at `lba`, with the SCMS copy-bit toggle.
fn control_at(t: &PlacedTrack, lba: Lba) -> u8 {
    if t.flags.copy == CopySetting::Scms && lba.rem_euclid(8) >= 4 {
        t.control | 0x2
    } else {
        t.control
    }
}

/// The absolute MSF of a program-area or lead-out LBA.
fn program_msf(lba: Lba) -> Msf {
    Msf::from_program_lba(lba).unwrap_or(Msf::ZERO)
}
