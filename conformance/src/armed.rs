//! A transport wrapper around the emulator that strikes at a given LBA: it
//! injects a drive-state fault, or cancels the write, when a WRITE reaches
//! that address — so scenarios can fail a burn mid-way, deterministically.

use std::time::Duration;

use rawcd::mmc::Command;
use rawcd::transport::{CommandOutcome, DataPhase, Transport, TransportError};
use rawcd::writer::CancelHandle;
use rawcd::Lba;
use rawcd_emulator::{Emulator, Fault};

/// The emulator with faults armed at LBAs.
pub struct Armed {
    emulator: Emulator,
    faults: Vec<(Lba, Fault)>,
    stalls: Vec<(Lba, Duration)>,
    cancel: Option<(Lba, CancelHandle)>,
}

impl Armed {
    /// Wraps an emulator.
    pub fn new(emulator: Emulator) -> Armed {
        Armed {
            emulator,
            faults: Vec::new(),
            stalls: Vec::new(),
            cancel: None,
        }
    }

    /// Injects `fault` into the emulator when a WRITE reaches `lba`.
    pub fn arm(&mut self, lba: Lba, fault: Fault) {
        self.faults.push((lba, fault));
    }

    /// Stalls the host for `d` of the drive's virtual time when a WRITE
    /// reaches `lba` (the drive's buffer drains meanwhile).
    pub fn stall_at(&mut self, lba: Lba, d: Duration) {
        self.stalls.push((lba, d));
    }

    /// Cancels the write through `handle` once a WRITE reaches `lba`.
    pub fn cancel_at(&mut self, lba: Lba, handle: CancelHandle) {
        self.cancel = Some((lba, handle));
    }

    /// The emulator.
    pub fn emulator(&self) -> &Emulator {
        &self.emulator
    }

    /// The emulator, mutably.
    pub fn emulator_mut(&mut self) -> &mut Emulator {
        &mut self.emulator
    }

    /// Unwraps the emulator.
    pub fn into_inner(self) -> Emulator {
        self.emulator
    }
}

impl Transport for Armed {
    fn execute(
        &mut self,
        cdb: &[u8],
        data: DataPhase<'_>,
        timeout: Duration,
    ) -> Result<CommandOutcome, TransportError> {
        if let Ok(cmd @ (Command::Write10(_) | Command::Write12(_))) = Command::parse(cdb) {
            if let Some((start, blocks)) = cmd.lba_range() {
                let end = start + blocks as Lba;
                let (due, later): (Vec<_>, Vec<_>) =
                    self.faults.drain(..).partition(|(lba, _)| *lba < end);
                self.faults = later;
                for (_, fault) in due {
                    self.emulator.inject(fault);
                }
                let (stalls, later): (Vec<_>, Vec<_>) =
                    self.stalls.drain(..).partition(|(lba, _)| *lba < end);
                self.stalls = later;
                for (_, d) in stalls {
                    self.emulator.advance_time(d);
                }
                if self.cancel.as_ref().is_some_and(|(lba, _)| *lba < end) {
                    if let Some((_, handle)) = self.cancel.take() {
                        let _ = handle.cancel_write();
                    }
                }
            }
        }
        self.emulator.execute(cdb, data, timeout)
    }
}
