//! Progress events (`DDiscFormat2RawCDEvents::Update` with
//! `IDiscFormat2RawCDEventArgs`, imapi2.md §8) and cancellation.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::msf::Lba;

/// `IMAPI_FORMAT2_RAW_CD_WRITE_ACTION` (imapi2.md §4.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteAction {
    /// 0: unknown.
    Unknown,
    /// 1: preparing to write the session.
    Preparing,
    /// 2: writing session data.
    Writing,
    /// 3: flushing the drive cache after the data.
    Finishing,
}

impl WriteAction {
    /// The IMAPI enum value.
    pub fn imapi_value(self) -> u32 {
        match self {
            WriteAction::Unknown => 0,
            WriteAction::Preparing => 1,
            WriteAction::Writing => 2,
            WriteAction::Finishing => 3,
        }
    }

    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            WriteAction::Unknown => "unknown",
            WriteAction::Preparing => "preparing",
            WriteAction::Writing => "writing",
            WriteAction::Finishing => "finishing",
        }
    }
}

/// One progress report: the fields of `IDiscFormat2RawCDEventArgs` and
/// `IWriteEngine2EventArgs`, plus the drive buffer (READ BUFFER CAPACITY).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WriteEvent {
    /// `CurrentAction`.
    pub current_action: WriteAction,
    /// `ElapsedTime`: seconds since the write started (virtual time on the emulator).
    pub elapsed_time: f64,
    /// `RemainingTime`: estimated seconds left (0 when unknown).
    pub remaining_time: f64,
    /// `StartLba`: first LBA written (the media's lead-in start, negative).
    pub start_lba: Lba,
    /// `SectorCount`: sectors this write sends.
    pub sector_count: u32,
    /// `LastReadLba`: LBA of the sector most recently read from the stream.
    pub last_read_lba: Lba,
    /// `LastWrittenLba`: LBA of the sector most recently sent to the drive.
    pub last_written_lba: Lba,
    /// `TotalSystemBuffer`: bytes of the writer's buffer.
    pub total_system_buffer: u64,
    /// `UsedSystemBuffer`: bytes read but not yet sent.
    pub used_system_buffer: u64,
    /// `FreeSystemBuffer`.
    pub free_system_buffer: u64,
    /// Drive buffer size (READ BUFFER CAPACITY), when the drive reports it.
    pub total_device_buffer: Option<u64>,
    /// Drive buffer bytes in use.
    pub used_device_buffer: Option<u64>,
    /// Drive buffer bytes free.
    pub free_device_buffer: Option<u64>,
}

impl WriteEvent {
    /// Sectors sent so far.
    pub fn sectors_written(&self) -> u64 {
        (i64::from(self.last_written_lba) - i64::from(self.start_lba) + 1).max(0) as u64
    }

    /// Fraction done, `(LastWrittenLba − StartLba + 1) / SectorCount`.
    pub fn progress(&self) -> f64 {
        if self.sector_count == 0 {
            return 0.0;
        }
        (self.sectors_written() as f64 / f64::from(self.sector_count)).min(1.0)
    }
}

/// What the event handler wants next (`CancelWrite` from inside `Update`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Control {
    /// Go on.
    #[default]
    Continue,
    /// Cancel the write (ends with `E_IMAPI_REQUEST_CANCELLED`).
    Cancel,
}

/// A progress event handler.
pub type EventHandler = Box<dyn FnMut(&WriteEvent) -> Control + Send>;

#[derive(Debug, Default)]
pub(crate) struct Shared {
    pub(crate) cancel: AtomicBool,
    pub(crate) writing: AtomicBool,
}

/// `CancelWrite` from any thread, at any moment: cloneable, `Send + Sync`.
#[derive(Debug, Clone, Default)]
pub struct CancelHandle {
    pub(crate) shared: Arc<Shared>,
}

impl CancelHandle {
    /// Asks the running write to stop. `E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS`
    /// when no write is running. The write then returns
    /// `E_IMAPI_REQUEST_CANCELLED` (unless it was already finishing: the
    /// session is then closed normally).
    pub fn cancel_write(&self) -> Result<()> {
        if !self.shared.writing.load(Ordering::SeqCst) {
            return Err(Error::WriteNotInProgress);
        }
        self.shared.cancel.store(true, Ordering::SeqCst);
        Ok(())
    }

    /// Whether a write is running.
    pub fn is_writing(&self) -> bool {
        self.shared.writing.load(Ordering::SeqCst)
    }

    pub(crate) fn cancelled(&self) -> bool {
        self.shared.cancel.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancel_without_a_write_is_write_not_in_progress() {
        let h = CancelHandle::default();
        assert_eq!(h.cancel_write().unwrap_err().hresult(), 0xC0AA0601);
        h.shared.writing.store(true, Ordering::SeqCst);
        h.clone().cancel_write().unwrap();
        assert!(h.cancelled());
    }

    #[test]
    fn event_progress_and_json() {
        let e = WriteEvent {
            current_action: WriteAction::Writing,
            elapsed_time: 1.0,
            remaining_time: 2.0,
            start_lba: -100,
            sector_count: 200,
            last_read_lba: 0,
            last_written_lba: -1,
            total_system_buffer: 10,
            used_system_buffer: 0,
            free_system_buffer: 10,
            total_device_buffer: None,
            used_device_buffer: None,
            free_device_buffer: None,
        };
        assert_eq!(e.sectors_written(), 100);
        assert!((e.progress() - 0.5).abs() < 1e-9);
        let j = serde_json::to_string(&e).unwrap();
        assert!(j.contains("\"current_action\":\"writing\""));
    }
}
