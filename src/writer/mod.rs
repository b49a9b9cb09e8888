//! The DAO writer: [`DiscFormat2RawCd`] mirrors `IDiscFormat2RawCD` (and the
//! `IDiscFormat2` members it inherits, spec/imapi2.md §7) over any
//! [`Transport`] — a physical drive or the virtual recorder.
//!
//! Workflow (imapi2.md §1.2): [`DiscFormat2RawCd::new`] (or
//! [`set_recorder`](DiscFormat2RawCd::set_recorder)), a client name,
//! optionally [`set_write_speed`](DiscFormat2RawCd::set_write_speed), then
//! [`prepare_media`](DiscFormat2RawCd::prepare_media) (locks the tray, reads
//! the lead-in start and the last possible lead-out start, finds the
//! supported sector types by trial MODE SELECT), choose the
//! [`requested_sector_type`](DiscFormat2RawCd::set_requested_sector_type),
//! [`write_media`](DiscFormat2RawCd::write_media) /
//! [`write_media2`](DiscFormat2RawCd::write_media2) with progress events,
//! and always [`release_media`](DiscFormat2RawCd::release_media).
//!
//! The command sequence is that of a careful raw writer (mmc.md §3.5/§3.6,
//! real-clients.md §3a/3b):
//!
//! | step | commands |
//! |---|---|
//! | prepare | INQUIRY, TEST UNIT READY (waits while becoming ready), GET CONFIGURATION (profile list; feature 2Eh), MODE SENSE(10) 2Ah, READ DISC INFORMATION, READ TOC ATIP, PREVENT MEDIUM REMOVAL, MODE SENSE(10) 05h, MODE SELECT(10) 05h with write type RAW and DBT 1, 2, 3 in turn (the accepted ones are the supported sector types), MODE SELECT(10) of the original page; SET CD SPEED + MODE SENSE 2Ah when a speed was requested |
//! | write | MODE SELECT(10) 05h (RAW, the DBT of the requested sector type, test write when simulating, BUFE unless disabled), SEND OPC INFORMATION (DoOpc; 5/20/00 ignored; skipped when simulating), SET CD SPEED, READ BUFFER CAPACITY, WRITE(10) × n from the media's lead-in start through the lead-out (the stream is positioned at `(lead_in_start − first_lba) × sector size`, by seeking or by reading forward), READ BUFFER CAPACITY once per event tick |
//! | finish | SYNCHRONIZE CACHE (IMMED), TEST UNIT READY until ready (2/04/07, 2/04/08, 2/04/01 are waited for, bounded), READ DISC INFORMATION until not busy |
//! | release | SYNCHRONIZE CACHE (IMMED), TEST UNIT READY until ready, ALLOW MEDIUM REMOVAL |
//!
//! A failure after PREVENT in `prepare_media` unlocks again. A WRITE
//! refused with 2/04/08 (buffer full) is resent after a short wait. Every
//! drive answer is parsed without panicking: short or garbage data becomes
//! `E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE`.
//!
//! Documented choices:
//! - **Lead-out check.** Besides IMAPI's size rule (sectors after LBA 0
//!   minus 6750 must not exceed `LastPossibleStartOfLeadout`), the writer
//!   reads the image's own lead-out start from the POINT A2 frame of its
//!   lead-in Q when the stream can seek (up to 400 sectors are examined);
//!   when the A2 start is later than the last possible start the write
//!   fails with `E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE` before anything is written.
//! - **Non-blank media** are reported by `write_media2` (IMAPI [OBS], U18),
//!   and a second write after one `prepare_media` is refused with
//!   `MEDIA_IS_NOT_BLANK` as soon as a first write passed the state checks.
//! - **Supported sector types** come from trial MODE SELECT (what the drive
//!   accepts), not only from the feature 2Eh bits; feature 2Eh (Raw bit)
//!   decides whether the recorder is supported at all. A drive without GET
//!   CONFIGURATION is judged by page 2Ah and the trial.
//! - `media_heuristically_blank` equals `media_physically_blank`: the IMAPI
//!   heuristics concern overwritable DVD/BD media only.

use std::time::Duration;

use crate::error::{Error, Result};
use crate::image::ImageType;
use crate::mmc::param::atip::Atip;
use crate::mmc::param::disc_information::DiscInformation;
use crate::mmc::param::features::{Profile, CD_MASTERING_RAW};
use crate::mmc::param::mode_page_05::WriteParameters;
use crate::mmc::param::mode_page_2a::Capabilities;
use crate::msf::Lba;
use crate::transport::Transport;

mod burn;
mod clock;
mod drive;
mod events;
mod stream;

#[cfg(test)]
mod tests;

pub use clock::{Clock, FnClock, ManualClock, SystemClock};
pub use events::{CancelHandle, Control, EventHandler, WriteAction, WriteEvent};
pub use stream::{leadout_from_leadin_sector, ForwardOnly, ImageStream};

/// Sectors before LBA 0 in an image that starts at MSF 95:00:00 (22,500
/// lead-in + 150 pregap): what `write_media` passes to `write_media2`.
pub const DEFAULT_STREAM_LEAD_IN_SECTORS: i32 = 22_650;
/// `write_media2` rejects `stream_lead_in_sectors` at or below this (60 s + 150).
pub const MIN_STREAM_LEAD_IN_SECTORS: i32 = 4_650;
/// `write_media2` rejects streams with fewer sectors at/after LBA 0 (6750 + 150).
pub const MIN_POST_GAP_SECTORS: i64 = 6_900;
/// Lead-out length of a first session.
pub const LEADOUT_SECTORS: i64 = 6_750;
/// Default bytes per WRITE (cdrdao's 64 KiB: 26 blocks of 2448, 27 of 2368).
pub const DEFAULT_MAX_TRANSFER: usize = 64 * 1024;
/// `IMAPI_SECTORS_PER_SECOND_AT_1X_CD`.
pub const SECTORS_PER_SECOND_1X: i32 = 75;

/// `IMAPI_MEDIA_PHYSICAL_TYPE` (imapi2.md §4.5), the values a CD drive can report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaPhysicalType {
    /// 0: unknown or no disc.
    Unknown,
    /// 1: CD-ROM (or a CD-R/RW not writable in its current state).
    CdRom,
    /// 2: CD-R.
    CdR,
    /// 3: CD-RW.
    CdRw,
    /// 4: DVD-ROM.
    DvdRom,
    /// Any other profile (DVD/BD), with the MMC profile number.
    Other(u16),
}

impl MediaPhysicalType {
    /// The IMAPI enum value (0 for profiles IMAPI has no CD value for).
    pub fn imapi_value(self) -> u32 {
        match self {
            MediaPhysicalType::Unknown | MediaPhysicalType::Other(_) => 0,
            MediaPhysicalType::CdRom => 1,
            MediaPhysicalType::CdR => 2,
            MediaPhysicalType::CdRw => 3,
            MediaPhysicalType::DvdRom => 4,
        }
    }

    fn from_profile(p: Profile) -> MediaPhysicalType {
        match p {
            Profile::NONE => MediaPhysicalType::Unknown,
            Profile::CD_ROM => MediaPhysicalType::CdRom,
            Profile::CD_R => MediaPhysicalType::CdR,
            Profile::CD_RW => MediaPhysicalType::CdRw,
            Profile::DVD_ROM => MediaPhysicalType::DvdRom,
            Profile(other) => MediaPhysicalType::Other(other),
        }
    }
}

/// Success statuses of `set_write_speed` / `prepare_media` (`S_OK`,
/// `S_IMAPI_SPEEDADJUSTED`, `S_IMAPI_ROTATIONADJUSTED`, `S_IMAPI_BOTHADJUSTED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpeedStatus {
    /// `S_OK`: as requested (or nothing requested).
    #[default]
    Exact,
    /// `S_IMAPI_SPEEDADJUSTED`: the drive chose another speed.
    SpeedAdjusted,
    /// `S_IMAPI_ROTATIONADJUSTED`: the drive chose the other rotation type.
    RotationAdjusted,
    /// `S_IMAPI_BOTHADJUSTED`.
    BothAdjusted,
}

impl SpeedStatus {
    /// The success HRESULT.
    pub fn hresult(self) -> u32 {
        use crate::error::hresult::*;
        match self {
            SpeedStatus::Exact => S_OK,
            SpeedStatus::SpeedAdjusted => S_IMAPI_SPEEDADJUSTED,
            SpeedStatus::RotationAdjusted => S_IMAPI_ROTATIONADJUSTED,
            SpeedStatus::BothAdjusted => S_IMAPI_BOTHADJUSTED,
        }
    }
}

/// One `IWriteSpeedDescriptor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct WriteSpeedDescriptor {
    /// `MediaType`.
    pub media_type: MediaPhysicalType,
    /// `RotationTypeIsPureCAV`.
    pub rotation_type_is_pure_cav: bool,
    /// `WriteSpeed` in sectors per second.
    pub write_speed: i32,
}

/// Waiting limits (bounded retries; the [`Clock`] decides whether waiting
/// takes real time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Pause between readiness polls.
    pub poll_interval: Duration,
    /// Polls before becoming-ready / busy is reported as an error.
    pub ready_polls: u32,
    /// Polls while the drive finishes the session.
    pub finish_polls: u32,
    /// Pause before resending a WRITE refused with 2/04/08 (drive buffer full).
    pub long_write_delay: Duration,
    /// Resends of one WRITE before giving up.
    pub long_write_retries: u32,
    /// Immediate retries after a UNIT ATTENTION.
    pub unit_attention_retries: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            poll_interval: Duration::from_millis(500),
            ready_polls: 60,
            finish_polls: 1200,
            long_write_delay: Duration::from_millis(40),
            long_write_retries: 2000,
            unit_attention_retries: 3,
        }
    }
}

/// The recorder's identity and capabilities, read during `prepare_media`
/// (or by [`DiscFormat2RawCd::probe`]).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct RecorderInfo {
    /// INQUIRY vendor.
    pub vendor: String,
    /// INQUIRY product.
    pub product: String,
    /// INQUIRY revision.
    pub revision: String,
    /// Whether GET CONFIGURATION works.
    pub get_configuration: bool,
    /// Current profile (0 when none or unknown).
    pub current_profile: u16,
    /// Profiles the drive lists.
    pub profiles: Vec<u16>,
    /// Feature 2Eh (CD Mastering) byte 4, when present.
    pub cd_mastering_flags: Option<u8>,
    /// Whether feature 2Eh is current.
    pub cd_mastering_current: bool,
    /// Page 2Ah, when the drive returns it.
    #[serde(skip)]
    pub capabilities: Option<Capabilities>,
    /// Page 2Ah byte 3: CD-R / CD-RW write.
    pub cd_write: bool,
    /// BUF capability (feature 2Eh or page 2Ah).
    pub buf: bool,
    /// Drive buffer size in bytes (page 2Ah), if known.
    pub buffer_size: Option<u64>,
}

impl RecorderInfo {
    /// Raw writing supported by the drive at all (feature 2Eh Raw bit; or
    /// page 2Ah CD write bits when GET CONFIGURATION is missing).
    pub fn raw_capable(&self) -> bool {
        match self.cd_mastering_flags {
            Some(f) => f & CD_MASTERING_RAW != 0,
            None => !self.get_configuration && self.cd_write,
        }
    }
}

/// What `prepare_media` learned about the disc.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct MediaInfo {
    pub(crate) disc: Option<DiscInformation>,
    pub(crate) atip: Option<Atip>,
    /// Lead-in start of the next session (negative on blank media).
    pub(crate) lead_in_start: Option<Lba>,
    pub(crate) last_possible_leadout: Option<Lba>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Idle,
    Prepared { used: bool },
}

/// `IDiscFormat2RawCD`: writes a raw DAO-96 image to a blank CD-R/RW.
pub struct DiscFormat2RawCd<T: Transport> {
    recorder: Option<T>,
    client_name: String,
    state: State,
    info: Option<RecorderInfo>,
    media: MediaInfo,
    supported: Vec<ImageType>,
    original_page05: Option<WriteParameters>,
    requested_sector_type: ImageType,
    buffer_underrun_free_disabled: bool,
    test_write: bool,
    requested_speed: i32,
    requested_cav: bool,
    speed_pending: bool,
    max_transfer: usize,
    clock: Box<dyn Clock<T>>,
    events: Option<EventHandler>,
    event_interval: Duration,
    retry: RetryPolicy,
    cancel: CancelHandle,
}

impl<T: Transport> std::fmt::Debug for DiscFormat2RawCd<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiscFormat2RawCd")
            .field("recorder", &self.recorder.is_some())
            .field("client_name", &self.client_name)
            .field("state", &self.state)
            .field("requested_sector_type", &self.requested_sector_type)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Default for DiscFormat2RawCd<T> {
    fn default() -> Self {
        Self::empty()
    }
}

impl<T: Transport> DiscFormat2RawCd<T> {
    /// A writer bound to `recorder` (no probe yet; `prepare_media` checks support).
    pub fn new(recorder: T) -> Self {
        let mut w = Self::empty();
        w.recorder = Some(recorder);
        w
    }

    /// A writer without a recorder (`put_Recorder` not called yet).
    pub fn empty() -> Self {
        DiscFormat2RawCd {
            recorder: None,
            client_name: String::new(),
            state: State::Idle,
            info: None,
            media: MediaInfo::default(),
            supported: Vec::new(),
            original_page05: None,
            requested_sector_type: ImageType::Cooked,
            buffer_underrun_free_disabled: false,
            test_write: false,
            requested_speed: -1,
            requested_cav: false,
            speed_pending: false,
            max_transfer: DEFAULT_MAX_TRANSFER,
            clock: Box::new(SystemClock::new()),
            events: None,
            event_interval: Duration::from_secs(1),
            retry: RetryPolicy::default(),
            cancel: CancelHandle::default(),
        }
    }

    // ----- configuration (not IMAPI) -----

    /// Replaces the clock (e.g. [`ManualClock`], or an emulator's virtual clock).
    pub fn set_clock(&mut self, clock: impl Clock<T> + 'static) {
        self.clock = Box::new(clock);
    }

    /// Installs the progress handler (`DDiscFormat2RawCDEvents::Update`).
    pub fn set_event_handler(
        &mut self,
        handler: impl FnMut(&WriteEvent) -> Control + Send + 'static,
    ) {
        self.events = Some(Box::new(handler));
    }

    /// Removes the progress handler.
    pub fn clear_event_handler(&mut self) {
        self.events = None;
    }

    /// Time between two `Writing` events (default 1 s).
    pub fn set_event_interval(&mut self, d: Duration) {
        self.event_interval = d;
    }

    /// Waiting limits.
    pub fn set_retry_policy(&mut self, p: RetryPolicy) {
        self.retry = p;
    }

    /// Largest WRITE transfer in bytes (default 64 KiB; at least one sector is sent).
    pub fn set_max_transfer_bytes(&mut self, n: usize) {
        self.max_transfer = n;
    }

    /// Test write (simulation): page 05h Test Write bit, no OPC. Not in
    /// IMAPI; many drives refuse it in raw mode (then `INVALID_MODE_PARAMETERS`).
    pub fn set_test_write(&mut self, on: bool) {
        self.test_write = on;
    }

    /// Whether test write is on.
    pub fn test_write(&self) -> bool {
        self.test_write
    }

    /// A handle that cancels the running write from any thread.
    pub fn cancel_handle(&self) -> CancelHandle {
        self.cancel.clone()
    }

    /// Identity and capabilities read by the last probe.
    pub fn recorder_info(&self) -> Option<&RecorderInfo> {
        self.info.as_ref()
    }

    // ----- Recorder (put/get) -----

    /// `put_Recorder`: binds a drive after checking that it can write raw
    /// (`E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED` otherwise). Returns the
    /// previous recorder.
    pub fn set_recorder(&mut self, recorder: T) -> Result<Option<T>> {
        self.check_not_prepared()?;
        let old = self.recorder.replace(recorder);
        match self.is_recorder_supported() {
            Ok(true) => Ok(old),
            Ok(false) => {
                let msg = self.unsupported_reason();
                self.recorder = old;
                Err(Error::RecorderNotSupported(msg))
            }
            Err(e) => {
                self.recorder = old;
                Err(e)
            }
        }
    }

    /// `get_Recorder`.
    pub fn recorder(&self) -> Option<&T> {
        self.recorder.as_ref()
    }

    /// The recorder, mutably (e.g. to read a disc back through it).
    pub fn recorder_mut(&mut self) -> Option<&mut T> {
        self.recorder.as_mut()
    }

    /// Takes the recorder out (`E_IMAPI_DF2RAW_MEDIA_IS_PREPARED` while prepared).
    pub fn take_recorder(&mut self) -> Result<T> {
        self.check_not_prepared()?;
        self.recorder.take().ok_or(Error::NoRecorderSpecified)
    }

    /// Unwraps into the recorder, unlocking the tray first if still prepared.
    pub fn into_inner(mut self) -> Option<T> {
        self.unlock_on_drop();
        self.recorder.take()
    }

    // ----- ClientName -----

    /// `put_ClientName`: 1–63 characters of `A–Z a–z 0–9 space . , : ; - _`.
    pub fn set_client_name(&mut self, name: &str) -> Result<()> {
        self.check_not_prepared()?;
        validate_client_name(name)?;
        self.client_name = name.to_string();
        Ok(())
    }

    /// `get_ClientName`.
    pub fn client_name(&self) -> &str {
        &self.client_name
    }

    /// `IDiscRecorder2::ExclusiveAccessOwner`: the client name while prepared.
    pub fn exclusive_access_owner(&self) -> Option<&str> {
        matches!(self.state, State::Prepared { .. }).then_some(self.client_name.as_str())
    }

    // ----- state helpers -----

    fn check_not_prepared(&self) -> Result<()> {
        if self.cancel.is_writing() {
            return Err(Error::WriteInProgress);
        }
        match self.state {
            State::Idle => Ok(()),
            State::Prepared { .. } => Err(Error::MediaPrepared),
        }
    }

    fn check_prepared(&self) -> Result<()> {
        match self.state {
            State::Prepared { .. } => Ok(()),
            State::Idle => Err(Error::MediaNotPrepared),
        }
    }

    fn check_recorder(&self) -> Result<()> {
        if self.recorder.is_none() {
            return Err(Error::NoRecorderSpecified);
        }
        Ok(())
    }

    /// Whether `prepare_media` succeeded and `release_media` was not called yet.
    pub fn is_prepared(&self) -> bool {
        matches!(self.state, State::Prepared { .. })
    }

    // ----- prepared-only properties -----

    /// `get_StartOfNextSession`: the lead-in start of the next session
    /// (negative on blank media); `E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED` before `prepare_media`.
    pub fn start_of_next_session(&self) -> Result<Lba> {
        self.check_prepared()?;
        self.media
            .lead_in_start
            .ok_or_else(|| Error::MediaNotBlank("the disc has no next session".into()))
    }

    /// `get_LastPossibleStartOfLeadout`.
    pub fn last_possible_start_of_leadout(&self) -> Result<Lba> {
        self.check_prepared()?;
        self.media
            .last_possible_leadout
            .ok_or_else(|| Error::MediaNotBlank("the disc reports no free space".into()))
    }

    /// `get_SupportedSectorTypes`: found by trial MODE SELECT during `prepare_media`.
    pub fn supported_sector_types(&self) -> Result<Vec<ImageType>> {
        self.check_recorder()?;
        self.check_prepared()?;
        Ok(self.supported.clone())
    }

    /// `get_RequestedSectorType` (default `IS_COOKED`).
    pub fn requested_sector_type(&self) -> Result<ImageType> {
        self.check_prepared()?;
        Ok(self.requested_sector_type)
    }

    /// `put_RequestedSectorType`: `E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED`
    /// when the drive refused that data block type.
    pub fn set_requested_sector_type(&mut self, ty: ImageType) -> Result<()> {
        if self.cancel.is_writing() {
            return Err(Error::WriteInProgress);
        }
        self.check_prepared()?;
        if !self.supported.contains(&ty) {
            return Err(Error::DataBlockTypeNotSupported(ty.imapi_value()));
        }
        self.requested_sector_type = ty;
        Ok(())
    }

    /// `get_BufferUnderrunFreeDisabled` (default false: BUF on when the drive has it).
    pub fn buffer_underrun_free_disabled(&self) -> bool {
        self.buffer_underrun_free_disabled
    }

    /// `put_BufferUnderrunFreeDisabled`.
    pub fn set_buffer_underrun_free_disabled(&mut self, disabled: bool) -> Result<()> {
        if self.cancel.is_writing() {
            return Err(Error::WriteInProgress);
        }
        self.check_prepared()?;
        self.buffer_underrun_free_disabled = disabled;
        Ok(())
    }

    // ----- speeds -----

    /// `get_RequestedWriteSpeed` (sectors/s, −1 = fastest).
    pub fn requested_write_speed(&self) -> i32 {
        self.requested_speed
    }

    /// `get_RequestedRotationTypeIsPureCAV`.
    pub fn requested_rotation_type_is_pure_cav(&self) -> bool {
        self.requested_cav
    }

    /// `SetWriteSpeed(sectorsPerSecond, pureCAV)`: −1 = fastest. Applied now
    /// when prepared, else inside `prepare_media`; the S_* status says
    /// whether the drive adjusted it.
    pub fn set_write_speed(
        &mut self,
        sectors_per_second: i32,
        pure_cav: bool,
    ) -> Result<SpeedStatus> {
        if self.recorder.is_none() {
            return Err(Error::RecorderRequired);
        }
        if sectors_per_second < -1 || sectors_per_second == 0 {
            return Err(Error::InvalidArgument(format!(
                "write speed {sectors_per_second} sectors/s (use -1 for the fastest)"
            )));
        }
        if self.cancel.is_writing() {
            return Err(Error::WriteInProgress);
        }
        self.requested_speed = sectors_per_second;
        self.requested_cav = pure_cav;
        if self.is_prepared() {
            self.speed_pending = false;
            self.apply_speed()
        } else {
            self.speed_pending = true;
            Ok(SpeedStatus::Exact)
        }
    }

    /// Unlocks the tray if a caller forgot `release_media` (best effort).
    fn unlock_on_drop(&mut self) {
        if self.is_prepared() {
            let _ = self.allow_removal();
            self.state = State::Idle;
        }
    }
}

impl<T: Transport> Drop for DiscFormat2RawCd<T> {
    fn drop(&mut self) {
        self.unlock_on_drop();
    }
}

/// Checks a client name against the IOCTL_CDROM_EXCLUSIVE_ACCESS rules
/// (imapi2.md §7.11): 1–63 characters of `A–Z a–z 0–9 space . , : ; - _`.
pub fn validate_client_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " .,:;-_".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Error::ClientNameNotValid(name.to_string()))
    }
}

/// kB/s (k = 1000) for a speed in sectors/s of 2352 bytes, rounded up so the
/// drive's round-down lands on the wanted speed (mmc.md §6.1).
pub fn sectors_per_second_to_kbps(sps: i32) -> u16 {
    if sps < 0 {
        return 0xffff;
    }
    let k = (i64::from(sps) * 2352 + 999) / 1000;
    k.min(0xfffe) as u16
}

/// Sectors/s for a drive-reported kB/s (÷ 2.352, rounded to nearest).
pub fn kbps_to_sectors_per_second(kbps: u32) -> i32 {
    ((u64::from(kbps) * 1000 + 1176) / 2352).min(i32::MAX as u64) as i32
}

/// Whether an error means "the drive is still busy" (2/04/07, 2/04/08,
/// becoming ready, BUSY status).
pub(crate) fn drive_busy(e: &Error) -> bool {
    matches!(
        e.recorder_condition(),
        Some(
            crate::error::RecorderCondition::MediaBusy
                | crate::error::RecorderCondition::MediaBecomingReady
        )
    )
}
