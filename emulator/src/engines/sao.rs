//! The SAO engine (write type 2, mmc.md §2.12/§3.2): SEND CUE SHEET gives
//! the layout; the host sends main data per the cue's data forms from
//! −150; the drive encodes data sectors (EDC/ECC, scrambling), generates P
//! and Q (positions, MCN, ISRC) and, when the session is closed, the
//! lead-in TOC and the lead-out — with the same sub-channel rules as the
//! image creator (`rawcd::image::subchannel`).

use rawcd::image::subchannel::SubchannelGenerator;
use rawcd::layout::{CopySetting, Isrc, Mcn, PlacedTrack, Plan, TrackFlags};
use rawcd::mmc::param::cue_sheet::{parse_cue_sheet, CueEntry};
use rawcd::msf::Lba;
use rawcd::sector::build::{
    fill_mode1, fill_mode2_form0, fill_mode2_form1, fill_mode2_form2, FORM1_USER_SIZE,
    MODE2_BODY_SIZE,
};
use rawcd::sector::{encode_zero_sector, scramble, SectorType, SECTOR_SIZE};
use rawcd::subcode::pack::raw96;
use rawcd::subcode::rw::{encode_pack, Interleaver};

use crate::error::CommandError;

/// One ADR 1 cue point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CuePoint {
    tno: u8,
    index: u8,
    form: u8,
    lba: Lba,
}

/// A parsed, validated cue sheet.
#[derive(Debug, Clone)]
pub(crate) struct CuePlan {
    points: Vec<CuePoint>,
    gen: SubchannelGenerator,
    /// Lead-out start.
    pub(crate) leadout: Lba,
    first_type: SectorType,
    last_type: SectorType,
}

fn bad(byte: usize, reason: &'static str) -> CommandError {
    CommandError::InvalidParameter {
        byte: byte.min(u16::MAX as usize) as u16,
        reason,
    }
}

fn sector_type(form: u8) -> SectorType {
    match form & 0x30 {
        0x10 => SectorType::Mode1,
        0x20 => SectorType::Mode2Form1,
        0x30 => SectorType::Mode2Form0,
        _ => SectorType::Audio,
    }
}

impl CuePlan {
    /// Parses and checks a cue sheet (5/26/00 with the byte offset on
    /// malformed entries).
    pub(crate) fn parse(bytes: &[u8]) -> Result<CuePlan, CommandError> {
        let entries = parse_cue_sheet(bytes).map_err(|e| match e {
            rawcd::mmc::Error::InvalidField { byte, reason } => bad(byte, reason),
            _ => bad(0, "cue sheet"),
        })?;
        let mut points = Vec::new();
        let mut mcn: Option<Mcn> = None;
        let mut mcn_half: Option<[u8; 7]> = None;
        let mut isrcs: Vec<(u8, Isrc)> = Vec::new();
        let mut isrc_half: Option<(u8, [u8; 7])> = None;
        let mut ctls = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            match *e {
                CueEntry::Point {
                    ctl,
                    tno,
                    index,
                    data_form,
                    msf,
                    ..
                } => {
                    if CueEntry::block_size(data_form).is_none() {
                        return Err(bad(i * 8 + 3, "unknown data form"));
                    }
                    let lba = msf.to_program_lba();
                    if let Some(prev) = points.last() {
                        let prev: &CuePoint = prev;
                        if tno != 0 && prev.tno != 0 && lba < prev.lba {
                            return Err(bad(i * 8 + 5, "cue times go backwards"));
                        }
                    }
                    points.push(CuePoint {
                        tno,
                        index,
                        form: data_form,
                        lba,
                    });
                    ctls.push(ctl);
                }
                CueEntry::Code { ctl_adr, payload } => match ctl_adr & 0x0f {
                    2 => match mcn_half.take() {
                        None => mcn_half = Some(payload),
                        Some(first) => {
                            let digits: String = first
                                .iter()
                                .chain(payload[..6].iter())
                                .map(|&b| char::from(b))
                                .collect();
                            mcn = Some(
                                Mcn::parse_exact(&digits).map_err(|_| bad(i * 8 + 1, "bad MCN"))?,
                            );
                        }
                    },
                    3 => match isrc_half.take() {
                        None => isrc_half = Some((payload[0], payload)),
                        Some((tno, first)) => {
                            let s: String = first[1..]
                                .iter()
                                .chain(payload[1..].iter())
                                .map(|&b| char::from(b))
                                .collect();
                            isrcs.push((
                                tno,
                                Isrc::parse(&s).map_err(|_| bad(i * 8 + 2, "bad ISRC"))?,
                            ));
                        }
                    },
                    _ => return Err(bad(i * 8, "unknown ADR")),
                },
            }
        }
        Self::build(points, ctls, mcn, isrcs)
    }

    fn build(
        points: Vec<CuePoint>,
        ctls: Vec<u8>,
        mcn: Option<Mcn>,
        isrcs: Vec<(u8, Isrc)>,
    ) -> Result<CuePlan, CommandError> {
        if points.first().map(|p| p.tno) != Some(0) {
            return Err(bad(1, "cue sheet must start with the lead-in entry"));
        }
        let Some(lo) = points.iter().position(|p| p.tno == 0xaa) else {
            return Err(bad(bytes_len(&points), "cue sheet has no lead-out entry"));
        };
        if lo + 1 != points.len() {
            return Err(bad(lo * 8 + 1, "entries after the lead-out"));
        }
        let leadout = points[lo].lba;
        let mut tracks: Vec<PlacedTrack> = Vec::new();
        for (i, p) in points.iter().enumerate().take(lo).skip(1) {
            if !(1..=99).contains(&p.tno) {
                return Err(bad(i * 8 + 1, "track number"));
            }
            let ctl = ctls[i];
            match tracks.last_mut() {
                Some(t) if t.number == p.tno => {
                    if p.index >= 1 {
                        if t.indexes.is_empty() {
                            t.start = p.lba;
                        }
                        t.indexes.push(p.lba);
                    }
                }
                last => {
                    if let Some(t) = last {
                        if p.tno != t.number + 1 {
                            return Err(bad(i * 8 + 1, "track numbers must ascend by one"));
                        }
                    }
                    let (start, indexes) = if p.index >= 1 {
                        (p.lba, vec![p.lba])
                    } else {
                        (p.lba, Vec::new())
                    };
                    tracks.push(PlacedTrack {
                        number: p.tno,
                        sector_type: sector_type(p.form),
                        flags: TrackFlags {
                            copy: if ctl & 2 != 0 {
                                CopySetting::Permitted
                            } else {
                                CopySetting::Prohibited
                            },
                            pre_emphasis: ctl & 1 != 0,
                            four_channel: ctl & 8 != 0,
                        },
                        control: ctl & 0x0f,
                        isrc: isrcs.iter().find(|(n, _)| *n == p.tno).map(|(_, s)| *s),
                        extent_start: p.lba,
                        start,
                        end: leadout,
                        indexes,
                        segments: Vec::new(),
                    });
                }
            }
        }
        if tracks.is_empty() {
            return Err(bad(8, "cue sheet has no tracks"));
        }
        for i in 0..tracks.len() {
            if tracks[i].indexes.is_empty() {
                return Err(bad(8, "track without index 1"));
            }
            if let Some(next) = tracks.get(i + 1).map(|n| n.extent_start) {
                tracks[i].end = next;
            }
        }
        if tracks[0].extent_start != -150 {
            return Err(bad(13, "track 1 must start at 00:00:00"));
        }
        let first_type = tracks[0].sector_type;
        let last_type = tracks[tracks.len() - 1].sector_type;
        let disc_type = if tracks
            .iter()
            .any(|t| t.sector_type == SectorType::Mode2Form1)
        {
            0x20
        } else {
            0
        };
        let plan = Plan {
            first_track: tracks[0].number,
            mcn,
            tracks,
            leadout,
            disc_type,
            warnings: Vec::new(),
        };
        Ok(CuePlan {
            points,
            gen: SubchannelGenerator::new(plan),
            leadout,
            first_type,
            last_type,
        })
    }

    /// The plan (for the TOC read back).
    pub(crate) fn plan(&self) -> &Plan {
        self.gen.plan()
    }

    /// Data form in force at `lba` (program area).
    fn form_at(&self, lba: Lba) -> Option<u8> {
        if lba < -150 || lba >= self.leadout {
            return None;
        }
        self.points
            .iter()
            .rev()
            .find(|p| p.tno != 0 && p.tno != 0xaa && p.lba <= lba)
            .map(|p| p.form)
    }

    /// Host bytes per block at `lba`.
    pub(crate) fn block_size(&self, lba: Lba) -> Option<usize> {
        self.form_at(lba).and_then(CueEntry::block_size)
    }

    /// Builds the stored sector at `lba` from the host's block.
    pub(crate) fn sector(&self, lba: Lba, host: &[u8], il: &mut Interleaver, out: &mut [u8]) {
        let form = self.form_at(lba).unwrap_or(0x01);
        let main_len = CueEntry::block_size(form & 0x3f).unwrap_or(0);
        let main: &mut [u8; SECTOR_SIZE] = (&mut out[..SECTOR_SIZE]).try_into().expect("slot");
        build_main(form & 0x3f, lba, &host[..main_len.min(host.len())], main);
        let (p, q) = self.gen.sector(lba);
        let sub: &mut [u8; 96] = (&mut out[SECTOR_SIZE..SECTOR_SIZE + 96])
            .try_into()
            .expect("slot");
        let rest = host.get(main_len..main_len + 96);
        match (form >> 6, rest) {
            (1, Some(rw)) => {
                let rw: &[u8; 96] = rw.try_into().expect("96 bytes");
                raw96(p, &q, Some(rw), sub);
            }
            (3, Some(rw)) => {
                let mut packed = [0u8; 96];
                packed.copy_from_slice(rw);
                for pack in packed.chunks_exact_mut(24) {
                    encode_pack(pack.try_into().expect("24-byte pack"));
                }
                let mut raw = [0u8; 96];
                il.push(&packed, &mut raw);
                raw96(p, &q, Some(&raw), sub);
            }
            _ => raw96(p, &q, None, sub),
        }
    }

    /// A drive-generated sector (lead-in, lead-out).
    pub(crate) fn generated(&self, lba: Lba, out: &mut [u8]) {
        let ty = if lba < 0 {
            self.first_type
        } else {
            self.last_type
        };
        let main: &mut [u8; SECTOR_SIZE] = (&mut out[..SECTOR_SIZE]).try_into().expect("slot");
        encode_zero_sector(ty, lba, main);
        let (p, q) = self.gen.sector(lba);
        let sub: &mut [u8; 96] = (&mut out[SECTOR_SIZE..SECTOR_SIZE + 96])
            .try_into()
            .expect("slot");
        raw96(p, &q, None, sub);
    }
}

fn bytes_len(points: &[CuePoint]) -> usize {
    points.len() * 8
}

/// Main channel for a data form (mmc.md §2.12 table).
fn build_main(form: u8, lba: Lba, host: &[u8], out: &mut [u8; SECTOR_SIZE]) {
    let zero_user = [0u8; FORM1_USER_SIZE];
    match form {
        0x00 if host.len() == SECTOR_SIZE => out.copy_from_slice(host),
        0x10 if host.len() == FORM1_USER_SIZE => {
            fill_mode1(out, lba, host.try_into().expect("2048"));
            scramble(out);
        }
        0x11 if host.len() == SECTOR_SIZE => {
            fill_mode1(out, lba, host[16..2064].try_into().expect("2048"));
            scramble(out);
        }
        0x12..=0x14 => {
            fill_mode1(out, lba, &zero_user);
            scramble(out);
        }
        0x20 | 0x21 => {
            let body: &[u8] = if form == 0x21 && host.len() == SECTOR_SIZE {
                &host[16..]
            } else {
                host
            };
            if body.len() != MODE2_BODY_SIZE {
                out.fill(0);
                return;
            }
            let body: &[u8; MODE2_BODY_SIZE] = body.try_into().expect("2336");
            if body[2] & 0x20 != 0 {
                fill_mode2_form2(out, lba, body);
            } else {
                let mut sh = [0u8; 4];
                sh.copy_from_slice(&body[..4]);
                fill_mode2_form1(out, lba, sh, body[8..2056].try_into().expect("2048"));
            }
            scramble(out);
        }
        0x22..=0x24 => encode_zero_sector(SectorType::Mode2Form1, lba, out),
        0x30 | 0x31 => {
            let body: &[u8] = if form == 0x31 && host.len() == SECTOR_SIZE {
                &host[16..]
            } else {
                host
            };
            match <&[u8; MODE2_BODY_SIZE]>::try_from(body) {
                Ok(b) => {
                    fill_mode2_form0(out, lba, b);
                    scramble(out);
                }
                Err(_) => out.fill(0),
            }
        }
        0x32..=0x34 => encode_zero_sector(SectorType::Mode2Form0, lba, out),
        _ => out.fill(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        rawcd::transport::unhex(s).unwrap()
    }

    // mmc.md §2.12 minimal audio cue sheet.
    const CUE: &str = "01 00 00 01 00 00 00 00  01 01 00 00 00 00 00 00  01 01 01 00 00 00 02 00
                       01 02 00 00 00 02 02 00  01 02 01 00 00 02 04 00  01 AA 01 01 00 04 04 00";

    #[test]
    fn test_minimal_cue_sheet_plans_two_tracks() {
        let c = CuePlan::parse(&h(CUE)).unwrap();
        assert_eq!(c.leadout, 18150);
        assert_eq!(c.plan().tracks.len(), 2);
        assert_eq!(c.plan().tracks[1].start, 9150);
        assert_eq!(c.block_size(-150), Some(2352));
        assert_eq!(c.block_size(18150), None);
    }

    #[test]
    fn test_cue_sheet_without_lead_out_is_refused() {
        let cue = &h(CUE)[..40];
        assert!(matches!(
            CuePlan::parse(cue),
            Err(CommandError::InvalidParameter { .. })
        ));
    }
}
