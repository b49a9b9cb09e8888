//! One `match` on [`Command`] sends every CDB to its handler (STYLE.md §5);
//! cross-cutting state (unit attention, busy window, drive-state faults,
//! media presence) is checked here first, in one place.

use rawcd::mmc::{Command, Sense};
use rawcd::transport::DataPhase;

use crate::error::CommandError;
use crate::Emulator;

/// Copies `bytes` into the data-in buffer, at most `alloc` bytes; returns
/// how many were transferred.
pub(crate) fn reply(data: &mut DataPhase<'_>, alloc: usize, bytes: &[u8]) -> usize {
    match data.data_in() {
        Some(buf) => {
            let n = bytes.len().min(alloc).min(buf.len());
            buf[..n].copy_from_slice(&bytes[..n]);
            n
        }
        None => 0,
    }
}

/// The data-out bytes (empty when the host sent none).
pub(crate) fn data_out<'a>(data: &'a DataPhase<'_>) -> &'a [u8] {
    data.data_out().unwrap_or(&[])
}

/// How a command relates to the medium and to long operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Never blocked (INQUIRY, REQUEST SENSE, GET CONFIGURATION, GESN).
    Free,
    /// Drive-level (mode pages, speed, lock): UA applies, no medium needed.
    Drive,
    /// Needs the medium.
    Media,
    /// Polling command that reports the busy window with 2/04/07.
    Info,
    /// TEST UNIT READY.
    Tur,
}

fn class(c: &Command) -> Class {
    match c {
        Command::Inquiry(_)
        | Command::RequestSense(_)
        | Command::GetConfiguration(_)
        | Command::GetEventStatusNotification(_) => Class::Free,
        Command::TestUnitReady => Class::Tur,
        Command::ReadDiscInformation(_)
        | Command::ReadTrackInformation(_)
        | Command::ReadToc(_) => Class::Info,
        Command::ModeSense10(_)
        | Command::ModeSelect10(_)
        | Command::SetCdSpeed(_)
        | Command::GetPerformance(_)
        | Command::ReadBufferCapacity(_)
        | Command::PreventAllowMediumRemoval(_)
        | Command::StartStopUnit(_)
        | Command::RezeroUnit
        | Command::Unknown { .. } => Class::Drive,
        _ => Class::Media,
    }
}

impl Emulator {
    pub(crate) fn dispatch(
        &mut self,
        cdb: &[u8],
        mut data: DataPhase<'_>,
    ) -> Result<usize, CommandError> {
        let cmd = Command::parse(cdb)?;
        if !matches!(cmd, Command::RequestSense(_)) {
            self.pending_sense = None;
        }
        if std::mem::take(&mut self.faults.remove_media) {
            self.take_media();
        }
        let class = class(&cmd);
        if class != Class::Free {
            if let Some(ua) = self.unit_attention.pop_front() {
                return Err(CommandError::UnitAttention(ua));
            }
        }
        self.check_busy(class)?;
        if matches!(class, Class::Media | Class::Info | Class::Tur) {
            self.check_media()?;
        }
        match cmd {
            Command::TestUnitReady => Ok(0),
            Command::RezeroUnit => Ok(0),
            Command::RequestSense(c) => self.request_sense(&c, &mut data),
            Command::Inquiry(c) => self.inquiry(&c, &mut data),
            Command::GetConfiguration(c) => self.get_configuration(&c, &mut data),
            Command::GetEventStatusNotification(c) => self.event_status(&c, &mut data),
            Command::ModeSense10(c) => self.mode_sense(&c, &mut data),
            Command::ModeSelect10(c) => self.mode_select(&c, &data),
            Command::ReadDiscInformation(c) => self.read_disc_information(&c, &mut data),
            Command::ReadTrackInformation(c) => self.read_track_information(&c, &mut data),
            Command::ReadToc(c) => self.read_toc(&c, &mut data),
            Command::ReadCapacity => self.read_capacity(&mut data),
            Command::SetCdSpeed(c) => self.set_cd_speed(&c),
            Command::GetPerformance(c) => self.get_performance(&c, &mut data),
            Command::ReadBufferCapacity(c) => self.read_buffer_capacity(&c, &mut data),
            Command::SendOpcInformation(c) => self.send_opc(&c),
            Command::SendCueSheet(c) => self.send_cue_sheet(&c, &data),
            Command::Write10(c) => self.write(c.lba, u32::from(c.transfer_length), &data),
            Command::Write12(c) => self.write(c.lba, c.transfer_length, &data),
            Command::SynchronizeCache(c) => self.synchronize_cache(&c),
            Command::CloseTrackSession(c) => self.close_track_session(&c),
            Command::Blank(c) => self.blank(&c),
            Command::PreventAllowMediumRemoval(c) => {
                self.locked = c.prevent;
                Ok(0)
            }
            Command::StartStopUnit(c) => self.start_stop(&c),
            Command::Read10(c) => self.read10(&c, &mut data),
            Command::ReadCd(c) => self.read_cd(&c, &mut data),
            Command::ReadCdMsf(c) => self.read_cd_msf(&c, &mut data),
            Command::ReadSubChannel(c) => self.read_sub_channel(&c, &mut data),
            Command::Unknown { opcode } => Err(CommandError::Unsupported(opcode)),
        }
    }

    /// The busy window after SYNCHRONIZE CACHE / CLOSE / BLANK with IMMED:
    /// each poll brings the operation closer to done (virtual time).
    fn check_busy(&mut self, class: Class) -> Result<(), CommandError> {
        let Some(mut b) = self.busy else {
            return Ok(());
        };
        let sense = match class {
            Class::Tur if self.profile.tur_good_while_finishing => None,
            Class::Tur => Some(b.tur),
            Class::Info | Class::Media => Some(b.info),
            Class::Free | Class::Drive => None,
        };
        let Some(sense) = sense else {
            return Ok(());
        };
        let done = b.polls_total - b.polls_left;
        let progress = (u64::from(done) * 65535 / u64::from(b.polls_total.max(1))) as u16;
        b.polls_left = b.polls_left.saturating_sub(1);
        self.busy = (b.polls_left > 0).then_some(b);
        Err(CommandError::Busy { sense, progress })
    }

    fn check_media(&mut self) -> Result<(), CommandError> {
        if let Some(s) = self.faults.media_sense() {
            return Err(CommandError::Sense(s));
        }
        if !self.media.is_present() || self.tray_open {
            return Err(CommandError::NoMedium {
                tray_open: self.tray_open,
            });
        }
        Ok(())
    }

    /// A NOT READY triple for REQUEST SENSE while a long operation runs.
    pub(crate) fn busy_sense(&self) -> Option<(Sense, u16)> {
        self.busy.map(|b| {
            let done = b.polls_total - b.polls_left;
            (
                b.tur,
                (u64::from(done) * 65535 / u64::from(b.polls_total.max(1))) as u16,
            )
        })
    }
}
