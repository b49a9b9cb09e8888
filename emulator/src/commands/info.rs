//! READ DISC INFORMATION, READ TRACK INFORMATION, READ TOC/PMA/ATIP,
//! READ CAPACITY, READ SUB-CHANNEL (mmc.md §2.4–§2.7, §2.16; real-clients.md
//! §3e). Blank media report the ATIP lead-in start and last possible
//! lead-out and an invisible track whose NWA follows page 05 (TAO 0, SAO
//! −150 after a cue sheet, RAW the lead-in start).

use rawcd::mmc::param::disc_information::{DiscInformation, DiscStatus, SessionState};
use rawcd::mmc::param::read_capacity::CapacityData;
use rawcd::mmc::param::sub_channel::SubChannelData;
use rawcd::mmc::param::toc::{FullToc, FullTocDescriptor, Toc, TocAddress, TocDescriptor};
use rawcd::mmc::param::track_information::TrackInformation;
use rawcd::mmc::{
    AddressType, ReadDiscInformation, ReadSubChannel, ReadToc, ReadTrackInformation,
    SubChannelFormat, TocFormat,
};
use rawcd::msf::{Lba, Msf};
use rawcd::transport::DataPhase;

use rawcd::sector::SectorType;

use crate::dispatch::reply;
use crate::engines::tao::Tao;
use crate::error::CommandError;
use crate::media::MediaKind;
use crate::{DiscState, DiscToc, Emulator};

const NONE_MSF: Msf = Msf {
    minute: 0xff,
    second: 0xff,
    frame: 0xff,
};

fn msf_of(lba: Lba) -> Msf {
    Msf::from_program_lba(lba).unwrap_or(NONE_MSF)
}

impl Emulator {
    /// NWA of the invisible track for the current page 05 (mmc.md §2.5).
    pub(crate) fn next_writable(&self) -> Lba {
        if let Some(s) = &self.session {
            return s.next_lba;
        }
        let lead_in = self.media.atip().map_or(0, |a| a.lead_in_start);
        match u8::from(self.write_params.write_type) {
            3 => lead_in,
            2 if self.cue.is_some() => -150,
            2 => -150,
            _ => 0,
        }
    }

    pub(crate) fn read_disc_information(
        &mut self,
        c: &ReadDiscInformation,
        data: &mut DataPhase<'_>,
    ) -> Result<usize, CommandError> {
        if c.data_type != 0 {
            return Err(CommandError::InvalidField { byte: 1, bit: None });
        }
        let erasable = self.media.kind() == MediaKind::CdRw;
        let uru = self.media.atip().is_none_or(|a| a.uru);
        let (status, state, lead_in, lead_out) = match self.media.state() {
            DiscState::Complete => (
                DiscStatus::Complete,
                SessionState::Complete,
                NONE_MSF,
                NONE_MSF,
            ),
            s => {
                let atip = self.media.atip().copied();
                let li = atip.map_or(NONE_MSF, |a| a.lead_in_msf());
                let lo = atip.map_or(NONE_MSF, |a| a.last_lead_out_msf());
                match s {
                    DiscState::Blank if self.session.is_none() => {
                        (DiscStatus::Empty, SessionState::Empty, li, lo)
                    }
                    DiscState::Damaged => (DiscStatus::Incomplete, SessionState::Damaged, li, lo),
                    _ => (DiscStatus::Incomplete, SessionState::Incomplete, li, lo),
                }
            }
        };
        let tao_next = self
            .session
            .as_ref()
            .and_then(|s| s.tao.as_ref())
            .map(|t| t.next_number());
        let (first, last) = match self.media.toc() {
            Some(t) if self.media.state() == DiscState::Complete => (t.first_track, t.last_track),
            _ => (1, tao_next.unwrap_or(1)),
        };
        let di = DiscInformation {
            data_type: 0,
            erasable,
            last_session_state: state,
            disc_status: status,
            first_track: first,
            sessions: 1,
            first_track_last_session: u16::from(first),
            last_track_last_session: u16::from(last),
            flags: if uru { DiscInformation::URU } else { 0 },
            disc_type: self.media.toc().map_or(0, |t| t.disc_type),
            disc_id: 0,
            lead_in_start: lead_in,
            last_possible_lead_out: lead_out,
            bar_code: [0; 8],
            application_code: 0,
            opc: Vec::new(),
        };
        Ok(reply(
            data,
            usize::from(c.allocation_length),
            &di.to_bytes(),
        ))
    }

    fn recorded_toc(&self) -> Option<&DiscToc> {
        (self.media.state() == DiscState::Complete)
            .then(|| self.media.toc())
            .flatten()
    }

    fn invisible_track(&self) -> TrackInformation {
        let lpl = self.media.atip().map_or(0, |a| a.last_possible_lead_out);
        TrackInformation {
            track_number: 1,
            session_number: 1,
            damage: false,
            copy: false,
            track_mode: 0x7,
            rt: false,
            blank: true,
            packet: false,
            fp: false,
            data_mode: 1,
            lra_v: false,
            nwa_v: true,
            start: 0,
            next_writable: self.next_writable(),
            free_blocks: lpl.max(0) as u32,
            packet_size: 0,
            track_size: lpl.max(0) as u32,
            last_recorded: 0,
        }
    }

    /// READ TRACK INFORMATION during a TAO session: closed tracks, the
    /// incomplete track (NWA valid) and the invisible track after them.
    fn tao_track_information(
        &self,
        tao: &Tao,
        c: &ReadTrackInformation,
    ) -> Result<TrackInformation, CommandError> {
        let lpl = self.media.atip().map_or(0, |a| a.last_possible_lead_out);
        let next = tao.next_number();
        let open_no = tao.open.as_ref().map(|o| o.track.number);
        let number = match c.address_type {
            AddressType::Track if c.address == 0xff => open_no.unwrap_or(next),
            AddressType::Track if (1..=u32::from(next)).contains(&c.address) => c.address as u8,
            AddressType::Lba => {
                let lba = c.address as i32;
                let closed = tao
                    .closed
                    .iter()
                    .find(|t| (t.extent_start..t.end).contains(&lba));
                match (closed, &tao.open) {
                    (Some(t), _) => t.number,
                    (None, Some(o)) if lba >= o.track.extent_start && lba < o.next => {
                        o.track.number
                    }
                    _ => next,
                }
            }
            AddressType::Session if c.address == 1 => 1,
            _ => return Err(CommandError::InvalidField { byte: 5, bit: None }),
        };
        let data_mode = |ty: SectorType| match ty {
            SectorType::Audio => 0x0f,
            SectorType::Mode1 | SectorType::Mode1Raw => 1,
            _ => 2,
        };
        let mut ti = TrackInformation {
            track_number: u16::from(number),
            session_number: 1,
            damage: false,
            copy: false,
            track_mode: 0x7,
            rt: false,
            blank: true,
            packet: false,
            fp: false,
            data_mode: 1,
            lra_v: false,
            nwa_v: true,
            start: tao.nwa(),
            next_writable: tao.nwa(),
            free_blocks: (lpl - tao.nwa()).max(0) as u32,
            packet_size: 0,
            track_size: (lpl - tao.nwa()).max(0) as u32,
            last_recorded: 0,
        };
        if let Some(t) = tao.closed.iter().find(|t| t.number == number) {
            ti.track_mode = t.control;
            ti.blank = false;
            ti.data_mode = data_mode(t.sector_type);
            ti.lra_v = true;
            ti.nwa_v = false;
            ti.start = t.start;
            ti.next_writable = 0;
            ti.free_blocks = 0;
            ti.track_size = (t.end - t.start).max(0) as u32;
            ti.last_recorded = t.end - 1;
        } else if let Some(o) = tao.open.as_ref().filter(|o| o.track.number == number) {
            ti.track_mode = o.track.control;
            ti.blank = false;
            ti.data_mode = data_mode(o.track.sector_type);
            ti.lra_v = o.next > o.track.start;
            ti.start = o.track.start;
            ti.next_writable = o.next;
            ti.free_blocks = (lpl - o.next).max(0) as u32;
            ti.track_size = (lpl - o.track.start).max(0) as u32;
            ti.last_recorded = if ti.lra_v { o.next - 1 } else { 0 };
        }
        Ok(ti)
    }

    pub(crate) fn read_track_information(
        &mut self,
        c: &ReadTrackInformation,
        data: &mut DataPhase<'_>,
    ) -> Result<usize, CommandError> {
        let alloc = usize::from(c.allocation_length);
        if let Some(tao) = self.session.as_ref().and_then(|s| s.tao.as_ref()) {
            let ti = self.tao_track_information(tao, c)?;
            return Ok(reply(data, alloc, &ti.to_bytes()));
        }
        let Some(toc) = self.recorded_toc().cloned() else {
            if self.media.kind() == MediaKind::CdRom || self.media.state() == DiscState::Damaged {
                return Err(CommandError::InvalidField { byte: 2, bit: None });
            }
            let ok = match c.address_type {
                AddressType::Track => matches!(c.address, 1 | 0xff),
                AddressType::Lba => true,
                AddressType::Session => c.address == 1,
                AddressType::Unknown(_) => false,
            };
            if !ok {
                return Err(CommandError::InvalidField { byte: 5, bit: None });
            }
            return Ok(reply(data, alloc, &self.invisible_track().to_bytes()));
        };
        let index = match c.address_type {
            AddressType::Track => toc
                .tracks
                .iter()
                .position(|t| u32::from(t.number) == c.address),
            AddressType::Lba => {
                let lba = c.address as i32;
                toc.track_at(lba)
                    .and_then(|t| toc.tracks.iter().position(|x| x.number == t.number))
            }
            AddressType::Session if c.address == 1 => Some(0),
            _ => None,
        };
        let Some(i) = index else {
            return Err(CommandError::InvalidField { byte: 5, bit: None });
        };
        let t = &toc.tracks[i];
        let end = toc.tracks.get(i + 1).map_or(toc.leadout, |n| {
            n.indexes.first().map_or(n.start, |&(_, l)| l.min(n.start))
        });
        let ti = TrackInformation {
            track_number: u16::from(t.number),
            session_number: 1,
            damage: false,
            copy: false,
            track_mode: t.control & 0x0f,
            rt: false,
            blank: false,
            packet: false,
            fp: false,
            data_mode: if t.control & 4 != 0 { 1 } else { 0x0f },
            lra_v: true,
            nwa_v: false,
            start: t.start,
            next_writable: 0,
            free_blocks: 0,
            packet_size: 0,
            track_size: (end - t.start).max(0) as u32,
            last_recorded: end - 1,
        };
        Ok(reply(data, alloc, &ti.to_bytes()))
    }

    pub(crate) fn read_toc(
        &mut self,
        c: &ReadToc,
        data: &mut DataPhase<'_>,
    ) -> Result<usize, CommandError> {
        let alloc = usize::from(c.allocation_length);
        if c.format == TocFormat::Atip {
            let Some(atip) = self.media.atip() else {
                return Err(CommandError::InvalidField { byte: 2, bit: None });
            };
            return Ok(reply(data, alloc, &atip.to_atip().to_bytes()));
        }
        let Some(toc) = self.recorded_toc() else {
            return Err(CommandError::InvalidField { byte: 2, bit: None });
        };
        let addr = |lba: Lba| {
            if c.msf {
                TocAddress::Msf(msf_of(lba))
            } else {
                TocAddress::Lba(lba)
            }
        };
        let bytes = match c.format {
            TocFormat::Formatted => {
                let from = c.track_or_session;
                if from > toc.last_track && from != 0xaa {
                    return Err(CommandError::InvalidField { byte: 6, bit: None });
                }
                let mut d: Vec<TocDescriptor> = toc
                    .tracks
                    .iter()
                    .filter(|t| from != 0xaa && t.number >= from)
                    .map(|t| TocDescriptor {
                        adr: 1,
                        control: t.control,
                        track: t.number,
                        address: addr(t.start),
                    })
                    .collect();
                d.push(TocDescriptor {
                    adr: 1,
                    control: toc.tracks.last().map_or(0, |t| t.control),
                    track: 0xaa,
                    address: addr(toc.leadout),
                });
                Toc {
                    first: toc.first_track,
                    last: toc.last_track,
                    descriptors: d,
                }
                .to_bytes()
            }
            TocFormat::SessionInfo => {
                let t = &toc.tracks[0];
                Toc {
                    first: 1,
                    last: 1,
                    descriptors: vec![TocDescriptor {
                        adr: 1,
                        control: t.control,
                        track: t.number,
                        address: addr(t.start),
                    }],
                }
                .to_bytes()
            }
            TocFormat::FullToc => full_toc(toc).to_bytes(),
            _ => return Err(CommandError::InvalidField { byte: 2, bit: None }),
        };
        Ok(reply(data, alloc, &bytes))
    }

    pub(crate) fn read_capacity(
        &mut self,
        data: &mut DataPhase<'_>,
    ) -> Result<usize, CommandError> {
        let last = self.recorded_toc().map_or(0, |t| t.leadout - 1);
        let cap = CapacityData {
            last_lba: last,
            block_length: 2048,
        };
        Ok(reply(data, 8, &cap.to_bytes()))
    }

    pub(crate) fn read_sub_channel(
        &mut self,
        c: &ReadSubChannel,
        data: &mut DataPhase<'_>,
    ) -> Result<usize, CommandError> {
        let alloc = usize::from(c.allocation_length);
        let Some(toc) = self.recorded_toc().cloned() else {
            return Err(CommandError::Sense(
                rawcd::mmc::Sense::CANNOT_READ_UNKNOWN_FORMAT,
            ));
        };
        let audio_status = 0x15;
        let d = match c.format {
            SubChannelFormat::Unknown(_) => {
                return Err(CommandError::InvalidField { byte: 3, bit: None })
            }
            f if u8::from(f) == 2 => SubChannelData::Mcn {
                audio_status,
                mcn: toc.mcn.as_ref().and_then(|m| m.as_bytes().try_into().ok()),
            },
            f if u8::from(f) == 3 => {
                let t = toc
                    .tracks
                    .iter()
                    .find(|t| t.number == c.track_number)
                    .ok_or(CommandError::InvalidField { byte: 6, bit: None })?;
                SubChannelData::Isrc {
                    audio_status,
                    adr: 3,
                    control: t.control,
                    track: t.number,
                    isrc: t.isrc.as_ref().and_then(|m| m.as_bytes().try_into().ok()),
                }
            }
            f if u8::from(f) == 1 => {
                let lba = self.last_read_lba;
                let t = toc.track_at(lba).cloned();
                let (track, control, start) =
                    t.map_or((0xaa, 0, toc.leadout), |t| (t.number, t.control, t.start));
                SubChannelData::CurrentPosition {
                    audio_status,
                    adr: 1,
                    control,
                    track,
                    index: if lba < start { 0 } else { 1 },
                    absolute: lba,
                    relative: lba - start,
                }
            }
            _ => return Err(CommandError::InvalidField { byte: 3, bit: None }),
        };
        Ok(reply(data, alloc, &d.to_bytes()))
    }
}

/// Format 2: A0, A1, A2, then the track points (binary MSF).
pub(crate) fn full_toc(toc: &DiscToc) -> FullToc {
    let first_ctl = toc.tracks.first().map_or(0, |t| t.control);
    let last_ctl = toc.tracks.last().map_or(0, |t| t.control);
    let d = |control: u8, point: u8, p: Msf| FullTocDescriptor {
        session: 1,
        adr: 1,
        control,
        tno: 0,
        point,
        time: Msf::ZERO,
        zero: 0,
        p_time: p,
    };
    let mut v = vec![
        d(
            first_ctl,
            0xa0,
            Msf {
                minute: toc.first_track,
                second: toc.disc_type,
                frame: 0,
            },
        ),
        d(
            last_ctl,
            0xa1,
            Msf {
                minute: toc.last_track,
                second: 0,
                frame: 0,
            },
        ),
        d(last_ctl, 0xa2, msf_of(toc.leadout)),
    ];
    v.extend(
        toc.tracks
            .iter()
            .map(|t| d(t.control, t.number, msf_of(t.start))),
    );
    FullToc {
        first_session: 1,
        last_session: 1,
        descriptors: v,
    }
}
