//! rawcd-emulator — the virtual MMC recorder: a software CD-R/RW drive that
//! answers the same CDBs a real drive answers, behind
//! [`rawcd::transport::Transport`].
//!
//! ```no_run
//! use rawcd::transport::{DataPhase, Transport};
//! use rawcd_emulator::Emulator;
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mut drive = Emulator::builtin("default", "cdr80")?;
//! let mut buf = [0u8; 34];
//! let cdb = [0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0]; // READ DISC INFORMATION
//! let outcome = drive.execute(&cdb, DataPhase::In(&mut buf), std::time::Duration::from_secs(30))?;
//! assert!(outcome.is_good());
//! # Ok(()) }
//! ```
//!
//! Layout (STYLE.md §1): [`drive`] profiles, [`media`] (ATIP, state),
//! `dispatch` (one `match` on [`rawcd::mmc::Command`]), `commands/*`
//! (handlers per command family), `engines/` (RAW, SAO and TAO write engines),
//! [`clock`] (virtual time), [`faults`] (drive-state faults), [`error`]
//! (`CommandError` → sense, in one place), [`persist`] (`.rcd` files),
//! [`disc`] (recorded state, TOC, findings).
//!
//! The emulator never panics on any CDB or parameter data and never reads
//! the wall clock.
#![deny(unsafe_code)]
#![warn(missing_docs)]

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rawcd::mmc::param::event_status::MediaEvent;
use rawcd::mmc::param::mode_page_05::WriteParameters;
use rawcd::mmc::{FixedSense, Sense};
use rawcd::transport::{CommandOutcome, DataPhase, Transport, TransportError};

pub mod clock;
mod commands;
pub mod disc;
mod dispatch;
pub mod drive;
mod engines;
pub mod error;
pub mod faults;
pub mod media;
pub mod persist;
#[cfg(unix)]
pub mod server;
pub mod wire;

pub use clock::Clock;
pub use disc::{DiscMeta, DiscState, DiscToc, DiscTrack, Finding};
pub use drive::{DriveProfile, ProfileError, BUILTIN_PROFILES};
pub use error::CommandError;
pub use faults::Fault;
pub use media::{AtipInfo, Media, MediaError, MediaKind, BUILTIN_MEDIA};

/// Why an emulator could not be built.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    /// Bad drive profile.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// Bad media.
    #[error(transparent)]
    Media(#[from] MediaError),
}

/// The virtual recorder.
#[derive(Debug)]
pub struct Emulator {
    pub(crate) profile: DriveProfile,
    pub(crate) media: Media,
    /// The medium sits in an open tray (after an eject).
    pub(crate) tray_open: bool,
    pub(crate) locked: bool,
    pub(crate) write_params: WriteParameters,
    pub(crate) block_length: u32,
    pub(crate) write_speed: u16,
    pub(crate) read_speed: u16,
    pub(crate) session: Option<engines::Session>,
    pub(crate) cue: Option<engines::sao::CuePlan>,
    pub(crate) busy: Option<Busy>,
    pub(crate) pending_sense: Option<FixedSense>,
    pub(crate) unit_attention: VecDeque<Sense>,
    pub(crate) events: VecDeque<MediaEvent>,
    pub(crate) clock: Clock,
    pub(crate) faults: faults::FaultState,
    pub(crate) findings: Vec<Finding>,
    pub(crate) findings_dropped: u64,
    pub(crate) disc_out: Option<PathBuf>,
    pub(crate) powered: bool,
    pub(crate) last_read_lba: i32,
    pub(crate) commands: u64,
}

/// A long operation the host polls for (mmc.md §6.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Busy {
    /// Polls left until done.
    pub(crate) polls_left: u32,
    /// Polls in total (for the progress indication).
    pub(crate) polls_total: u32,
    /// Sense for TEST UNIT READY.
    pub(crate) tur: Sense,
    /// Sense for READ DISC / TRACK INFORMATION and the rest.
    pub(crate) info: Sense,
}

impl Emulator {
    /// A drive with this profile and medium in the tray.
    pub fn new(profile: DriveProfile, media: Media) -> Emulator {
        let mut unit_attention = VecDeque::new();
        if profile.power_on_unit_attention {
            unit_attention.push_back(Sense::POWER_ON_RESET);
        }
        let mut events = VecDeque::new();
        if media.is_present() {
            events.push_back(MediaEvent::NewMedia);
        }
        let clock = Clock::new(profile.buffer_bytes(), profile.max_write_speed());
        Emulator {
            write_speed: profile.max_write_speed(),
            read_speed: profile.max_read_speed_kbps,
            profile,
            media,
            tray_open: false,
            locked: false,
            write_params: WriteParameters::default(),
            block_length: 2048,
            session: None,
            cue: None,
            busy: None,
            pending_sense: None,
            unit_attention,
            events,
            clock,
            faults: faults::FaultState::default(),
            findings: Vec::new(),
            findings_dropped: 0,
            disc_out: None,
            powered: true,
            last_read_lba: 0,
            commands: 0,
        }
    }

    /// A built-in profile with a built-in medium (or a `.rcd` file).
    pub fn builtin(profile: &str, media: &str) -> Result<Emulator, EmulatorError> {
        Ok(Emulator::new(
            DriveProfile::from_name_or_file(profile)?,
            Media::from_name_or_file(media)?,
        ))
    }

    /// Writes the burned disc to this `.rcd` file (created at the first
    /// WRITE). Without it, a burn goes to an anonymous temporary file.
    pub fn with_disc_out(mut self, path: impl AsRef<Path>) -> Emulator {
        self.disc_out = Some(path.as_ref().to_path_buf());
        self
    }

    /// The profile.
    pub fn profile(&self) -> &DriveProfile {
        &self.profile
    }

    /// The medium in the drive.
    pub fn media(&self) -> &Media {
        &self.media
    }

    /// Replaces the medium (tray closed; UNIT ATTENTION 6/28/00 and a
    /// NewMedia event follow).
    pub fn insert_media(&mut self, media: Media) {
        self.media = media;
        self.tray_open = false;
        self.session = None;
        self.cue = None;
        self.busy = None;
        self.unit_attention.push_back(Sense::MEDIUM_CHANGED);
        self.events.push_back(MediaEvent::NewMedia);
    }

    /// Takes the medium out (what remains is an empty, open tray).
    pub fn take_media(&mut self) -> Media {
        self.session = None;
        self.cue = None;
        self.busy = None;
        self.tray_open = true;
        self.events.push_back(MediaEvent::MediaRemoval);
        std::mem::replace(&mut self.media, Media::none())
    }

    /// What the RAW engine noticed about the host's data (empty for a
    /// clean burn).
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The virtual clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Buffer-underrun-free links made so far: how often the drive ran dry
    /// with BUFE on, paused and resumed (mmc.md §6.3; Ricoh's page 0x30 and
    /// Plextor's counters are the real-drive analogues).
    pub fn buffer_underrun_free_links(&self) -> u64 {
        self.clock.links()
    }

    /// Lets virtual time pass with the host doing nothing (a stalled
    /// host): the drive drains its buffer; an empty buffer while writing is
    /// an underrun unless BUFE is on.
    pub fn advance_time(&mut self, d: Duration) {
        self.clock
            .advance(d.as_micros().min(u128::from(u64::MAX)) as u64);
    }

    /// Injects a drive-state fault ([`faults`]).
    pub fn inject(&mut self, fault: Fault) {
        self.faults.inject(fault);
    }

    /// Removes all injected faults.
    pub fn clear_faults(&mut self) {
        self.faults = faults::FaultState::default();
    }

    /// Restores power after a power loss or a vanished device: the drive
    /// comes back with 6/29/00 pending, the disc as it was left.
    pub fn power_on(&mut self) {
        self.powered = true;
        self.faults.device_gone = false;
        self.session = None;
        self.busy = None;
        self.unit_attention.push_back(Sense::POWER_ON_RESET);
    }

    /// Whether the drive is powered (false after an injected power loss).
    pub fn is_powered(&self) -> bool {
        self.powered
    }

    pub(crate) fn add_finding(&mut self, f: Finding) {
        if self.findings.len() < disc::MAX_FINDINGS {
            self.findings.push(f);
        } else {
            self.findings_dropped += 1;
        }
    }
}

impl Transport for Emulator {
    fn execute(
        &mut self,
        cdb: &[u8],
        mut data: DataPhase<'_>,
        _timeout: Duration,
    ) -> Result<CommandOutcome, TransportError> {
        if !self.powered || self.faults.device_gone {
            return Err(TransportError::DeviceGone);
        }
        if std::mem::take(&mut self.faults.timeout_next) {
            return Err(TransportError::Timeout);
        }
        self.commands += 1;
        let offered = match &data {
            DataPhase::In(b) => b.len(),
            _ => 0,
        };
        let result = self.dispatch(cdb, data.reborrow());
        if !self.powered {
            return Err(TransportError::DeviceGone);
        }
        match result {
            Ok(n) => {
                if std::mem::take(&mut self.faults.invalid_response_next) {
                    if let DataPhase::In(b) = &mut data {
                        b.fill(0xff);
                    }
                    return Ok(CommandOutcome::good(0));
                }
                Ok(CommandOutcome::good(offered.saturating_sub(n)))
            }
            Err(e) => {
                let fixed = e.fixed_sense();
                self.pending_sense = Some(fixed);
                let mut o = CommandOutcome::check_condition_fixed(fixed);
                o.residual = offered;
                Ok(o)
            }
        }
    }
}
