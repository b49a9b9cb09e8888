//! The TAO engine (write type 1, mmc.md §2.5/§2.13/§2.14): the host writes
//! one track at a time from the invisible track's NWA; the data block type
//! and track mode of page 05 in force at the track's first WRITE decide how
//! the drive builds each sector; CLOSE TRACK ends a track, CLOSE SESSION
//! writes the lead-in and lead-out and makes the TOC visible.
//!
//! Model choices (usual drive behaviour; the spec leaves them open):
//! - track 1 gets the 150-sector pregap at −150..0, written by the drive
//!   when the track opens; its NWA is 0;
//! - CLOSE TRACK writes 2 run-out sectors after the last user sector (they
//!   count to the track, as the well-known "2 unreadable sectors at the end
//!   of a TAO track"); every later track gets a 150-sector pregap (index 0,
//!   P = 1) right after them, so the next NWA is `end + 2 + 150`. The page 05
//!   Audio Pause Length is not honoured;
//! - pregap, run-out, lead-in and lead-out sectors are zero sectors of the
//!   track's (lead-in: first, lead-out: last track's) type with the P/Q the
//!   image creator would give them (`rawcd::image::subchannel`);
//! - MCN (page 05 bytes 16–31, MCVAL) is taken from the first track, ISRC
//!   (bytes 32–47, TCVAL) per track;
//! - a CLOSE SESSION with a track still open closes it first (cdrskin sends
//!   only CLOSE SESSION after SYNCHRONIZE CACHE, real-clients.md §3d);
//! - the session is always finalized (multi-session 11b is not modelled).

use rawcd::image::subchannel::SubchannelGenerator;
use rawcd::layout::{CopySetting, Isrc, Mcn, PlacedTrack, Plan, TrackFlags};
use rawcd::mmc::param::mode_page_05::WriteParameters;
use rawcd::msf::Lba;
use rawcd::sector::build::{
    fill_mode1, fill_mode2_form0, fill_mode2_form1, fill_mode2_form2_parts, FORM1_USER_SIZE,
    FORM2_USER_SIZE, MODE2_BODY_SIZE,
};
use rawcd::sector::{encode_zero_sector, scramble, SectorType, SECTOR_SIZE};
use rawcd::subcode::pack::raw96;
use rawcd::subcode::rw::{encode_pack, Interleaver};

use crate::error::CommandError;

/// Pregap the drive writes before every track (2 s).
pub(crate) const PREGAP: Lba = 150;
/// Run-out sectors after the last user sector of a closed track.
pub(crate) const RUN_OUT: Lba = 2;

/// The track being written.
#[derive(Debug, Clone)]
pub(crate) struct OpenTrack {
    /// The track (its `end` is the last possible lead-out until closed).
    pub(crate) track: PlacedTrack,
    /// Page 05 data block type.
    pub(crate) dbt: u8,
    /// Page 05 sub-header (DBT 10 and 12).
    subheader: [u8; 4],
    /// P/Q for the track's sectors.
    gen: SubchannelGenerator,
    /// Next LBA the host writes.
    pub(crate) next: Lba,
}

/// A TAO session: closed tracks, the open one, the invisible track's NWA.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tao {
    /// Closed tracks (`end` includes the run-out).
    pub(crate) closed: Vec<PlacedTrack>,
    /// The incomplete track.
    pub(crate) open: Option<OpenTrack>,
    mcn: Option<Mcn>,
}

/// The block size the host sends for a TAO data block type.
pub(crate) fn block_size(dbt: u8) -> Option<usize> {
    Some(match dbt {
        0 => 2352,
        1 => 2368,
        2 | 3 => 2448,
        8 | 10 => 2048,
        9 => 2336,
        11 => 2056,
        12 => 2324,
        13 => 2332,
        _ => return None,
    })
}

/// The sector type of a track written with this DBT and track mode, or
/// `None` when the two disagree (audio track mode with a cooked data DBT).
fn track_sector_type(dbt: u8, track_mode: u8) -> Option<SectorType> {
    let data = track_mode & 0x04 != 0;
    match (dbt, data) {
        (0..=3, false) => Some(SectorType::Audio),
        (0..=3, true) | (8, true) => Some(SectorType::Mode1),
        (9, true) => Some(SectorType::Mode2Form0),
        (10 | 11 | 13, true) => Some(SectorType::Mode2Form1),
        (12, true) => Some(SectorType::Mode2Form2),
        _ => None,
    }
}

impl Tao {
    /// NWA of the invisible track (the next track's index 1).
    pub(crate) fn nwa(&self) -> Lba {
        match (&self.open, self.closed.last()) {
            (Some(o), _) => o.next,
            (None, Some(t)) => t.end + PREGAP,
            (None, None) => 0,
        }
    }

    /// Number of the next track to open.
    pub(crate) fn next_number(&self) -> u8 {
        self.closed.len() as u8 + 1 + u8::from(self.open.is_some())
    }

    /// Opens the next track at the NWA with the page 05 in force; returns
    /// the pregap range the drive writes now.
    pub(crate) fn open_track(
        &mut self,
        wp: &WriteParameters,
        limit: Lba,
    ) -> Result<std::ops::Range<Lba>, CommandError> {
        let number = self.next_number();
        if number > 99 {
            return Err(CommandError::CommandSequence("more than 99 tracks"));
        }
        let dbt = u8::from(wp.data_block_type);
        let track_mode = wp.track_mode & 0x0f;
        let sector_type =
            track_sector_type(dbt, track_mode).ok_or(CommandError::IllegalModeForTrack(0))?;
        let start = self.nwa();
        let extent_start = if self.closed.is_empty() {
            -150
        } else {
            start - PREGAP
        };
        if self.mcn.is_none() && self.closed.is_empty() && wp.mcn[0] & 0x80 != 0 {
            let digits: String = wp.mcn[1..14].iter().map(|&b| char::from(b)).collect();
            self.mcn = Mcn::parse_exact(&digits).ok();
        }
        let isrc = if wp.isrc[0] & 0x80 != 0 {
            let s: String = wp.isrc[1..13].iter().map(|&b| char::from(b)).collect();
            Isrc::parse(&s).ok()
        } else {
            None
        };
        let track = PlacedTrack {
            number,
            sector_type,
            flags: TrackFlags {
                copy: if track_mode & 2 != 0 {
                    CopySetting::Permitted
                } else {
                    CopySetting::Prohibited
                },
                pre_emphasis: track_mode & 1 != 0,
                four_channel: track_mode & 8 != 0,
            },
            control: track_mode,
            isrc,
            extent_start,
            start,
            end: limit.max(start + 1),
            indexes: vec![start],
            segments: Vec::new(),
        };
        let mut tracks = self.closed.clone();
        tracks.push(track.clone());
        let gen = SubchannelGenerator::new(self.plan_of(tracks, limit.max(start + 1)));
        self.open = Some(OpenTrack {
            track,
            dbt,
            subheader: wp.subheader,
            gen,
            next: start,
        });
        Ok(extent_start..start)
    }

    fn plan_of(&self, tracks: Vec<PlacedTrack>, leadout: Lba) -> Plan {
        let disc_type = if tracks.iter().any(|t| {
            matches!(
                t.sector_type,
                SectorType::Mode2Form1 | SectorType::Mode2Form2
            )
        }) {
            0x20
        } else {
            0
        };
        Plan {
            first_track: 1,
            mcn: self.mcn,
            tracks,
            leadout,
            disc_type,
            warnings: Vec::new(),
        }
    }

    /// Closes the open track; returns the run-out range the drive writes.
    pub(crate) fn close_track(&mut self) -> Option<std::ops::Range<Lba>> {
        let o = self.open.as_ref()?;
        let from = o.next;
        Some(from..from + RUN_OUT)
    }

    /// Finishes closing after the run-out was generated.
    pub(crate) fn track_closed(&mut self) {
        if let Some(o) = self.open.take() {
            let mut t = o.track;
            t.end = o.next + RUN_OUT;
            self.closed.push(t);
        }
    }

    /// The final plan (lead-out right after the last track), or `None`
    /// without tracks.
    pub(crate) fn final_plan(&self) -> Option<Plan> {
        let leadout = self.closed.last()?.end;
        Some(self.plan_of(self.closed.clone(), leadout))
    }

    /// Builds the stored slot for one host block at `lba` of the open track.
    pub(crate) fn sector(&self, lba: Lba, host: &[u8], il: &mut Interleaver, out: &mut [u8]) {
        let Some(o) = &self.open else {
            out.fill(0);
            return;
        };
        let main: &mut [u8; SECTOR_SIZE] = (&mut out[..SECTOR_SIZE]).try_into().expect("slot");
        build_main(o, lba, host, main);
        let (p, q) = o.gen.sector(lba);
        let sub: &mut [u8; 96] = (&mut out[SECTOR_SIZE..SECTOR_SIZE + 96])
            .try_into()
            .expect("slot");
        match (o.dbt, host.get(SECTOR_SIZE..SECTOR_SIZE + 96)) {
            (2, Some(rw)) => {
                let mut packed = [0u8; 96];
                packed.copy_from_slice(rw);
                for pack in packed.chunks_exact_mut(24) {
                    encode_pack(pack.try_into().expect("24-byte pack"));
                }
                let mut raw = [0u8; 96];
                il.push(&packed, &mut raw);
                raw96(p, &q, Some(&raw), sub);
            }
            (3, Some(rw)) => {
                let rw: &[u8; 96] = rw.try_into().expect("96 bytes");
                raw96(p, &q, Some(rw), sub);
            }
            _ => raw96(p, &q, None, sub),
        }
    }

    /// A drive-generated sector of the open track (pregap, run-out).
    pub(crate) fn generated(&self, lba: Lba, out: &mut [u8]) {
        match &self.open {
            Some(o) => generated(&o.gen, o.track.sector_type, lba, out),
            None => out.fill(0),
        }
    }
}

/// A drive-generated zero sector of type `ty` with the plan's P/Q.
pub(crate) fn generated(gen: &SubchannelGenerator, ty: SectorType, lba: Lba, out: &mut [u8]) {
    let main: &mut [u8; SECTOR_SIZE] = (&mut out[..SECTOR_SIZE]).try_into().expect("slot");
    encode_zero_sector(ty, lba, main);
    let (p, q) = gen.sector(lba);
    let sub: &mut [u8; 96] = (&mut out[SECTOR_SIZE..SECTOR_SIZE + 96])
        .try_into()
        .expect("slot");
    raw96(p, &q, None, sub);
}

/// Main channel of a host block (mmc.md §2.8 data block types): audio
/// verbatim; data sectors get sync, header, sub-header, EDC/ECC and
/// scrambling from the drive.
fn build_main(o: &OpenTrack, lba: Lba, host: &[u8], out: &mut [u8; SECTOR_SIZE]) {
    let len = block_size(o.dbt).unwrap_or(0).min(host.len());
    let host = &host[..len];
    match o.dbt {
        0..=3 if o.track.sector_type.is_audio() => {
            out.copy_from_slice(&host[..SECTOR_SIZE.min(host.len())]);
            return;
        }
        0..=3 => {
            // An unscrambled 2352-byte data sector: the drive re-encodes
            // header and EDC/ECC for the mode its header names.
            let Some(raw) = host.get(..SECTOR_SIZE) else {
                out.fill(0);
                return;
            };
            match raw[15] {
                2 if raw[16..20] == raw[20..24] && raw[18] & 0x28 != 0 => {
                    form_from_subheader(out, lba, &raw[16..])
                }
                2 => fill_mode2_form0(out, lba, raw[16..].try_into().expect("2336")),
                _ => fill_mode1(out, lba, raw[16..2064].try_into().expect("2048")),
            }
        }
        8 => fill_mode1(out, lba, host.try_into().unwrap_or(&[0; FORM1_USER_SIZE])),
        9 => fill_mode2_form0(out, lba, host.try_into().unwrap_or(&[0; MODE2_BODY_SIZE])),
        10 => fill_mode2_form1(
            out,
            lba,
            o.subheader,
            host.try_into().unwrap_or(&[0; FORM1_USER_SIZE]),
        ),
        11 if host.len() == 2056 => {
            let mut sh = [0u8; 4];
            sh.copy_from_slice(&host[..4]);
            fill_mode2_form1(out, lba, sh, host[8..].try_into().expect("2048"));
        }
        12 => fill_mode2_form2_parts(
            out,
            lba,
            o.subheader,
            host.try_into().unwrap_or(&[0; FORM2_USER_SIZE]),
        ),
        13 if host.len() == 2332 => form_from_subheader(out, lba, host),
        _ => encode_zero_sector(o.track.sector_type, lba, out),
    }
    scramble(out);
}

/// Mode 2 form 1 or form 2 (by the sub-header's submode) from a body that
/// starts with the 8-byte sub-header.
fn form_from_subheader(out: &mut [u8; SECTOR_SIZE], lba: Lba, body: &[u8]) {
    let mut sh = [0u8; 4];
    sh.copy_from_slice(&body[..4]);
    if sh[2] & 0x20 != 0 {
        let mut user = [0u8; FORM2_USER_SIZE];
        let n = (body.len() - 8).min(FORM2_USER_SIZE);
        user[..n].copy_from_slice(&body[8..8 + n]);
        fill_mode2_form2_parts(out, lba, sh, &user);
    } else {
        fill_mode2_form1(out, lba, sh, body[8..2056].try_into().expect("2048"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wp(dbt: u8, track_mode: u8) -> WriteParameters {
        WriteParameters {
            write_type: 1.into(),
            data_block_type: dbt.into(),
            track_mode,
            ..WriteParameters::default()
        }
    }

    #[test]
    fn test_track_nwas_follow_run_out_and_pregap() {
        let mut t = Tao::default();
        assert_eq!(t.nwa(), 0);
        assert_eq!(t.open_track(&wp(0, 0), 359_849).unwrap(), -150..0);
        t.open.as_mut().unwrap().next = 1000;
        assert_eq!(t.close_track(), Some(1000..1002));
        t.track_closed();
        assert_eq!(t.nwa(), 1152);
        assert_eq!(t.open_track(&wp(8, 4), 359_849).unwrap(), 1002..1152);
        assert_eq!(t.next_number(), 3);
    }

    #[test]
    fn test_audio_track_mode_with_cooked_dbt_is_refused() {
        let mut t = Tao::default();
        assert!(t.open_track(&wp(8, 0), 359_849).is_err());
        assert!(t.open_track(&wp(8, 4), 359_849).is_ok());
    }
}
