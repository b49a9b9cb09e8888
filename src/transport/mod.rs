//! The `Transport` trait through which CDBs reach a drive — real or
//! emulated — and middleware that is itself a transport (smoltcp `phy`,
//! STYLE.md §3).
//!
//! Raw bytes cross this boundary: a CDB, a data phase and a timeout go in; a
//! SCSI status, sense data and a residual come out. `Ok` means the device
//! answered (GOOD *or* CHECK CONDITION); `Err` means nothing answered.

use std::time::Duration;

use crate::mmc::{Command, FixedSense, OpCode, Sense, SenseData};

pub mod fault_injector;
pub mod mock;
pub mod replay;
pub mod sys;
pub mod tracer;

pub use fault_injector::{FaultAction, FaultInjector, FaultPlan, FaultRule, Trigger};
pub use mock::ScriptedTransport;
pub use replay::Replay;
pub use tracer::{TraceRecord, Tracer};

/// Direction and buffer of a command's data phase.
#[derive(Debug)]
pub enum DataPhase<'a> {
    /// No data transfer.
    None,
    /// Device → host; the buffer receives up to its length.
    In(&'a mut [u8]),
    /// Host → device.
    Out(&'a [u8]),
}

impl<'a> DataPhase<'a> {
    /// Bytes the host offers (out) or accepts (in).
    pub fn len(&self) -> usize {
        match self {
            DataPhase::None => 0,
            DataPhase::In(b) => b.len(),
            DataPhase::Out(b) => b.len(),
        }
    }

    /// Whether the phase moves no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A shorter-lived copy of this phase, so it can be passed on and reused.
    pub fn reborrow(&mut self) -> DataPhase<'_> {
        match self {
            DataPhase::None => DataPhase::None,
            DataPhase::In(b) => DataPhase::In(b),
            DataPhase::Out(b) => DataPhase::Out(b),
        }
    }

    /// The data-out bytes, if this is an out phase.
    pub fn data_out(&self) -> Option<&[u8]> {
        match self {
            DataPhase::Out(b) => Some(b),
            _ => None,
        }
    }

    /// The data-in buffer, if this is an in phase.
    pub fn data_in(&mut self) -> Option<&mut [u8]> {
        match self {
            DataPhase::In(b) => Some(b),
            _ => None,
        }
    }

    /// Short name: "none", "in" or "out".
    pub fn direction(&self) -> &'static str {
        match self {
            DataPhase::None => "none",
            DataPhase::In(_) => "in",
            DataPhase::Out(_) => "out",
        }
    }
}

/// SCSI status byte (SAM).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Status {
    /// 00h GOOD.
    Good,
    /// 02h CHECK CONDITION: sense data describes the error.
    CheckCondition,
    /// 04h CONDITION MET.
    ConditionMet,
    /// 08h BUSY.
    Busy,
    /// 18h RESERVATION CONFLICT.
    ReservationConflict,
    /// 28h TASK SET FULL.
    TaskSetFull,
    /// 40h TASK ABORTED.
    TaskAborted,
    /// Any other value.
    Other(u8),
}

impl Status {
    /// Decodes a status byte.
    pub fn from_byte(b: u8) -> Status {
        match b {
            0x00 => Status::Good,
            0x02 => Status::CheckCondition,
            0x04 => Status::ConditionMet,
            0x08 => Status::Busy,
            0x18 => Status::ReservationConflict,
            0x28 => Status::TaskSetFull,
            0x40 => Status::TaskAborted,
            other => Status::Other(other),
        }
    }

    /// The status byte.
    pub fn to_byte(self) -> u8 {
        match self {
            Status::Good => 0x00,
            Status::CheckCondition => 0x02,
            Status::ConditionMet => 0x04,
            Status::Busy => 0x08,
            Status::ReservationConflict => 0x18,
            Status::TaskSetFull => 0x28,
            Status::TaskAborted => 0x40,
            Status::Other(b) => b,
        }
    }

    /// Upper-case name for transcripts.
    pub fn name(self) -> &'static str {
        match self {
            Status::Good => "GOOD",
            Status::CheckCondition => "CHECK CONDITION",
            Status::ConditionMet => "CONDITION MET",
            Status::Busy => "BUSY",
            Status::ReservationConflict => "RESERVATION CONFLICT",
            Status::TaskSetFull => "TASK SET FULL",
            Status::TaskAborted => "TASK ABORTED",
            Status::Other(_) => "STATUS",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Other(b) => write!(f, "STATUS 0x{b:02X}"),
            s => f.write_str(s.name()),
        }
    }
}

/// What a device answered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CommandOutcome {
    /// SCSI status.
    pub status: Status,
    /// The sense triple, when status is CHECK CONDITION and sense was returned.
    pub sense: Option<Sense>,
    /// Raw sense bytes as returned (empty when none).
    #[serde(default)]
    pub sense_data: Vec<u8>,
    /// Data-in bytes not transferred (allocation − returned).
    pub residual: usize,
}

impl CommandOutcome {
    /// GOOD with the given residual.
    pub fn good(residual: usize) -> CommandOutcome {
        CommandOutcome {
            status: Status::Good,
            sense: None,
            sense_data: Vec::new(),
            residual,
        }
    }

    /// CHECK CONDITION with an 18-byte fixed-format block for `sense`.
    pub fn check_condition(sense: Sense) -> CommandOutcome {
        CommandOutcome::check_condition_fixed(FixedSense::current(sense))
    }

    /// CHECK CONDITION with a full fixed-format block (progress, field pointer…).
    pub fn check_condition_fixed(fixed: FixedSense) -> CommandOutcome {
        CommandOutcome::with_sense_bytes(Status::CheckCondition, fixed.to_bytes().to_vec(), 0)
    }

    /// An outcome built from a status and the raw sense bytes a device wrote.
    pub fn with_sense_bytes(
        status: Status,
        sense_data: Vec<u8>,
        residual: usize,
    ) -> CommandOutcome {
        CommandOutcome {
            status,
            sense: Sense::from_bytes(&sense_data),
            sense_data,
            residual,
        }
    }

    /// BUSY status, no sense.
    pub fn busy() -> CommandOutcome {
        CommandOutcome {
            status: Status::Busy,
            ..CommandOutcome::good(0)
        }
    }

    /// Whether the status is GOOD.
    pub fn is_good(&self) -> bool {
        self.status == Status::Good
    }

    /// The parsed fixed-format block, when the sense bytes hold one.
    pub fn fixed_sense(&self) -> Option<FixedSense> {
        let v = SenseData::new_checked(&self.sense_data[..]).ok()?;
        FixedSense::parse(&v).ok()
    }

    /// Bytes actually transferred for a data-in buffer of `len` bytes.
    pub fn transferred(&self, len: usize) -> usize {
        len.saturating_sub(self.residual)
    }
}

/// Nothing answered: the command has no SCSI outcome.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum TransportError {
    /// The command timed out (Linux DID_TIME_OUT / DRIVER_TIMEOUT, Windows failure).
    #[error("command timed out")]
    Timeout,
    /// The device disappeared (ENODEV, unplugged, powered off).
    #[error("device gone")]
    DeviceGone,
    /// Another process holds the device (EBUSY on an O_EXCL open).
    #[error("device busy or locked by another application")]
    Locked,
    /// The OS refused the command (EPERM/EACCES, command filter).
    #[error("permission denied: {0}")]
    PermissionDenied(String),
    /// The request cannot be expressed (CDB too long, transfer too big…).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// Adapter or mid-level failure reported by SG_IO.
    #[error(
        "host adapter error: host_status=0x{host_status:02X} driver_status=0x{driver_status:02X}"
    )]
    Host {
        /// SG_IO `host_status` (DID_*).
        host_status: u16,
        /// SG_IO `driver_status` (DRIVER_*).
        driver_status: u16,
    },
    /// A replayed trace does not match what was sent.
    #[error("replay mismatch at #{seq}: expected CDB {expected}, got {actual}")]
    ReplayMismatch {
        /// Sequence number in the trace.
        seq: u64,
        /// CDB recorded in the trace (hex).
        expected: String,
        /// CDB sent now (hex).
        actual: String,
    },
    /// A scripted or replayed transport ran out of exchanges, or was misused.
    #[error("unexpected command: {0}")]
    Unexpected(String),
    /// Any other OS-level I/O failure.
    #[error("I/O error: {0}")]
    Io(String),
}

impl From<std::io::Error> for TransportError {
    fn from(e: std::io::Error) -> Self {
        match e.raw_os_error() {
            Some(19) | Some(6) => TransportError::DeviceGone, // ENODEV, ENXIO
            Some(16) => TransportError::Locked,               // EBUSY
            Some(1) | Some(13) => TransportError::PermissionDenied(e.to_string()),
            Some(110) => TransportError::Timeout, // ETIMEDOUT
            _ => TransportError::Io(e.to_string()),
        }
    }
}

/// Sends CDBs to a drive, real or emulated.
pub trait Transport {
    /// Executes one command.
    ///
    /// `Ok` whenever the device answered, GOOD *or* CHECK CONDITION; `Err`
    /// only when it did not (timeout, ioctl failure, device gone).
    fn execute(
        &mut self,
        cdb: &[u8],
        data: DataPhase<'_>,
        timeout: Duration,
    ) -> Result<CommandOutcome, TransportError>;

    /// Takes the description of a fault injected into the last command, if
    /// any (only [`FaultInjector`] sets one; wrappers forward the call).
    fn take_injected_fault(&mut self) -> Option<String> {
        None
    }
}

impl<T: Transport + ?Sized> Transport for &mut T {
    fn execute(
        &mut self,
        cdb: &[u8],
        data: DataPhase<'_>,
        timeout: Duration,
    ) -> Result<CommandOutcome, TransportError> {
        (**self).execute(cdb, data, timeout)
    }

    fn take_injected_fault(&mut self) -> Option<String> {
        (**self).take_injected_fault()
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn execute(
        &mut self,
        cdb: &[u8],
        data: DataPhase<'_>,
        timeout: Duration,
    ) -> Result<CommandOutcome, TransportError> {
        (**self).execute(cdb, data, timeout)
    }

    fn take_injected_fault(&mut self) -> Option<String> {
        (**self).take_injected_fault()
    }
}

/// Timeout for a command, after libburn/cdrdao practice (mmc.md §5.1):
/// 30 s default, 200 s for WRITE, OPC, IMMED closes and blanks, 3600 s for
/// a non-IMMED SYNCHRONIZE CACHE or CLOSE, 18000 s for a non-IMMED BLANK.
pub fn default_timeout(cmd: &Command) -> Duration {
    let secs = match cmd {
        Command::Write10(_) | Command::Write12(_) | Command::SendOpcInformation(_) => 200,
        Command::SynchronizeCache(c) if !c.immed => 3600,
        Command::CloseTrackSession(c) if !c.immed => 3600,
        Command::Blank(c) if !c.immed => 18000,
        Command::SynchronizeCache(_) | Command::CloseTrackSession(_) | Command::Blank(_) => 200,
        Command::StartStopUnit(_) => 300,
        _ => 30,
    };
    Duration::from_secs(secs)
}

/// Emits `cmd` and executes it with [`default_timeout`].
pub fn execute_command<T: Transport + ?Sized>(
    t: &mut T,
    cmd: &Command,
    data: DataPhase<'_>,
) -> Result<CommandOutcome, TransportError> {
    t.execute(&cmd.to_cdb(), data, default_timeout(cmd))
}

/// Typed convenience on every [`Transport`]: callers pass a [`Command`],
/// never hand-assembled CDB bytes.
pub trait TransportExt: Transport {
    /// Executes a typed command with the default timeout.
    fn command(
        &mut self,
        cmd: &Command,
        data: DataPhase<'_>,
    ) -> Result<CommandOutcome, TransportError> {
        execute_command(self, cmd, data)
    }

    /// Executes a data-in command and returns the bytes actually received
    /// (allocation minus residual) with the outcome.
    fn command_in(
        &mut self,
        cmd: &Command,
        alloc: usize,
    ) -> Result<(CommandOutcome, Vec<u8>), TransportError> {
        let mut buf = vec![0u8; alloc];
        let outcome = execute_command(self, cmd, DataPhase::In(&mut buf))?;
        buf.truncate(outcome.transferred(alloc));
        Ok((outcome, buf))
    }
}

impl<T: Transport + ?Sized> TransportExt for T {}

/// Name of byte 0 of a CDB (`"WRITE(10)"`, or `OpCode(0xNN)`).
pub fn opcode_name(cdb: &[u8]) -> String {
    cdb.first()
        .map(|b| OpCode(*b).to_string())
        .unwrap_or_else(|| "(empty)".into())
}

/// Lower-case hex of `bytes`, space separated (`"2a 00 ff"`).
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Parses hex as written by [`hex`] (spaces optional); `None` on bad input.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = s.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    if digits.len() % 2 != 0 {
        return None;
    }
    digits
        .chunks(2)
        .map(|p| {
            let h = (p[0] as char).to_digit(16)?;
            let l = (p[1] as char).to_digit(16)?;
            Some((h * 16 + l) as u8)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Echo;
    impl Transport for Echo {
        fn execute(
            &mut self,
            cdb: &[u8],
            _: DataPhase<'_>,
            _: Duration,
        ) -> Result<CommandOutcome, TransportError> {
            Ok(CommandOutcome::good(cdb.len()))
        }
    }

    fn run<T: Transport>(mut t: T, cdb: &[u8]) -> usize {
        t.execute(cdb, DataPhase::None, Duration::ZERO)
            .unwrap()
            .residual
    }

    #[test]
    fn test_blanket_impls_forward() {
        let mut e = Echo;
        assert_eq!(run(&mut e, &[0; 6]), 6);
        let b: Box<dyn Transport> = Box::new(Echo);
        assert_eq!(run(b, &[0; 10]), 10);
    }

    #[test]
    fn test_check_condition_carries_fixed_sense() {
        let o = CommandOutcome::check_condition(Sense::NO_MEDIUM);
        assert_eq!(o.status, Status::CheckCondition);
        assert_eq!(o.sense, Some(Sense::NO_MEDIUM));
        assert_eq!(o.sense_data.len(), 18);
        assert_eq!(o.fixed_sense().unwrap().sense, Sense::NO_MEDIUM);
    }

    #[test]
    fn test_hex_round_trip() {
        assert_eq!(hex(&[0x2a, 0, 0xff]), "2a 00 ff");
        assert_eq!(unhex("2a 00 ff").unwrap(), vec![0x2a, 0, 0xff]);
        assert_eq!(unhex("2a0"), None);
    }
}
