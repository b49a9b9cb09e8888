//! The MMC/SPC wire format: typed CDBs, parameter pages, responses and sense
//! data. The only home of MMC byte layouts; shared by the writer and the
//! emulator (smoltcp `wire` style, STYLE.md §2).
//!
//! Every layout has a view `Foo<T: AsRef<[u8]>>` over a byte buffer with
//! getters (and setters when `T: AsMut<[u8]>`) and a plain `Repr` struct with
//! `parse` / `emit`.
//!
//! **No-panic contract.** `new_unchecked` trusts the caller about the buffer
//! length; getters then index directly and may panic on a short buffer. When
//! parsing untrusted input (a CDB from a host, data from a drive) it is
//! *necessary* to use `new_checked`, which verifies length and opcode, or the
//! `Repr::parse` / [`Command::parse`] entry points, which never panic.
//!
//! Conventions (mmc.md §0): fields are big-endian; LBAs are signed `i32`
//! (two's complement, the lead-in is negative); MSF fields in commands and
//! responses are binary, not BCD.

use core::fmt;

/// Defines a `u8`-backed code set: an enum plus `Unknown(u8)` and both
/// `From` conversions (smoltcp `enum_with_unknown!`).
macro_rules! enum_with_unknown {
    (
        $(#[$enum_attr:meta])*
        pub enum $name:ident($ty:ty) {
            $( $(#[$variant_attr:meta])* $variant:ident = $value:expr ),+ $(,)?
        }
    ) => {
        $(#[$enum_attr])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[derive(serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        #[serde(from = "u8", into = "u8")]
        pub enum $name {
            $( $(#[$variant_attr])* $variant ),*,
            /// A value this code set does not name.
            Unknown($ty),
        }

        impl ::core::convert::From<$ty> for $name {
            fn from(value: $ty) -> Self {
                match value {
                    $( $value => $name::$variant ),*,
                    other => $name::Unknown(other),
                }
            }
        }

        impl ::core::convert::From<$name> for $ty {
            fn from(value: $name) -> Self {
                match value {
                    $( $name::$variant => $value ),*,
                    $name::Unknown(other) => other,
                }
            }
        }
    };
}

/// Defines the shared part of a CDB view: struct, `new_unchecked`,
/// `new_checked`, `check_len`, `into_inner`, `opcode`, `control`.
macro_rules! cdb_view {
    ($(#[$attr:meta])* opcode = $opcode:expr, len = $len:expr) => {
        /// Length of this CDB in bytes.
        pub const CDB_LEN: usize = $len;

        $(#[$attr])*
        #[derive(Debug, Clone)]
        pub struct Cdb<T: AsRef<[u8]>> {
            buffer: T,
        }

        impl<T: AsRef<[u8]>> Cdb<T> {
            /// Wraps a buffer without checks; getters may panic if it is short.
            pub fn new_unchecked(buffer: T) -> Self {
                Cdb { buffer }
            }

            /// Wraps a buffer after checking its length and opcode.
            pub fn new_checked(buffer: T) -> $crate::mmc::Result<Self> {
                let cdb = Self::new_unchecked(buffer);
                cdb.check_len()?;
                Ok(cdb)
            }

            /// Checks that the buffer is long enough and carries this opcode.
            pub fn check_len(&self) -> $crate::mmc::Result<()> {
                let b = self.buffer.as_ref();
                $crate::mmc::field::check_len(b, CDB_LEN)?;
                if b[0] != $opcode.0 {
                    return Err($crate::mmc::Error::WrongOpCode {
                        expected: $opcode,
                        found: $crate::mmc::OpCode(b[0]),
                    });
                }
                Ok(())
            }

            /// Returns the underlying buffer.
            pub fn into_inner(self) -> T {
                self.buffer
            }

            /// Byte 0.
            pub fn opcode(&self) -> $crate::mmc::OpCode {
                $crate::mmc::OpCode(self.buffer.as_ref()[0])
            }

            /// The CONTROL byte (last byte).
            pub fn control(&self) -> u8 {
                self.buffer.as_ref()[CDB_LEN - 1]
            }

            #[allow(dead_code)]
            fn b(&self, i: usize) -> u8 {
                self.buffer.as_ref()[i]
            }

            #[allow(dead_code)]
            fn f(&self, r: $crate::mmc::field::Field) -> &[u8] {
                &self.buffer.as_ref()[r]
            }
        }

        impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
            /// Zeroes the CDB and writes the opcode.
            pub fn clear(&mut self) {
                let b = &mut self.buffer.as_mut()[..CDB_LEN];
                b.fill(0);
                b[0] = $opcode.0;
            }

            /// Sets the CONTROL byte.
            pub fn set_control(&mut self, v: u8) {
                self.buffer.as_mut()[CDB_LEN - 1] = v;
            }

            #[allow(dead_code)]
            fn bm(&mut self, i: usize) -> &mut u8 {
                &mut self.buffer.as_mut()[i]
            }

            #[allow(dead_code)]
            fn fm(&mut self, r: $crate::mmc::field::Field) -> &mut [u8] {
                &mut self.buffer.as_mut()[r]
            }
        }
    };
}

pub mod cdb;
pub mod field;
pub mod opcode;
pub mod param;
pub mod sense;

pub use cdb::blank::BlankingType;
pub use cdb::blank::{Blank, Cdb as BlankCdb};
pub use cdb::close_track_session::{Cdb as CloseTrackSessionCdb, CloseTrackSession};
pub use cdb::get_configuration::RequestType;
pub use cdb::get_configuration::{Cdb as GetConfigurationCdb, GetConfiguration};
pub use cdb::get_event_status_notification::{
    Cdb as GetEventStatusNotificationCdb, GetEventStatusNotification,
};
pub use cdb::get_performance::{Cdb as GetPerformanceCdb, GetPerformance};
pub use cdb::inquiry::{Cdb as InquiryCdb, Inquiry};
pub use cdb::mode_select10::{Cdb as ModeSelect10Cdb, ModeSelect10};
pub use cdb::mode_sense10::PageControl;
pub use cdb::mode_sense10::{Cdb as ModeSense10Cdb, ModeSense10};
pub use cdb::prevent_allow_medium_removal::{
    Cdb as PreventAllowMediumRemovalCdb, PreventAllowMediumRemoval,
};
pub use cdb::read10::{Cdb as Read10Cdb, Read10};
pub use cdb::read_buffer_capacity::{Cdb as ReadBufferCapacityCdb, ReadBufferCapacity};
pub use cdb::read_capacity::{Cdb as ReadCapacityCdb, ReadCapacity};
pub use cdb::read_cd::{Cdb as ReadCdCdb, ReadCd};
pub use cdb::read_cd_msf::{Cdb as ReadCdMsfCdb, ReadCdMsf};
pub use cdb::read_disc_information::{Cdb as ReadDiscInformationCdb, ReadDiscInformation};
pub use cdb::read_sub_channel::SubChannelFormat;
pub use cdb::read_sub_channel::{Cdb as ReadSubChannelCdb, ReadSubChannel};
pub use cdb::read_toc::TocFormat;
pub use cdb::read_toc::{Cdb as ReadTocCdb, ReadToc};
pub use cdb::read_track_information::AddressType;
pub use cdb::read_track_information::{Cdb as ReadTrackInformationCdb, ReadTrackInformation};
pub use cdb::request_sense::{Cdb as RequestSenseCdb, RequestSense};
pub use cdb::rezero_unit::{Cdb as RezeroUnitCdb, RezeroUnit};
pub use cdb::send_cue_sheet::{Cdb as SendCueSheetCdb, SendCueSheet};
pub use cdb::send_opc_information::{Cdb as SendOpcInformationCdb, SendOpcInformation};
pub use cdb::set_cd_speed::{Cdb as SetCdSpeedCdb, SetCdSpeed};
pub use cdb::start_stop_unit::{Cdb as StartStopUnitCdb, StartStopUnit};
pub use cdb::synchronize_cache::{Cdb as SynchronizeCacheCdb, SynchronizeCache};
pub use cdb::test_unit_ready::{Cdb as TestUnitReadyCdb, TestUnitReady};
pub use cdb::write10::{Cdb as Write10Cdb, Write10};
pub use cdb::write12::{Cdb as Write12Cdb, Write12};
pub use opcode::OpCode;
pub use sense::{FixedSense, Sense, SenseData, SenseKey};

/// Why bytes could not be read as an MMC structure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The buffer is shorter than the layout needs.
    #[error("truncated: {len} bytes, need {need}")]
    Truncated {
        /// Bytes required.
        need: usize,
        /// Bytes present.
        len: usize,
    },
    /// A CDB view was given another command's opcode.
    #[error("opcode {found} where {expected} was expected")]
    WrongOpCode {
        /// The view's opcode.
        expected: OpCode,
        /// Byte 0 of the buffer.
        found: OpCode,
    },
    /// A field holds a value the layout forbids (byte offset for SKSV).
    #[error("invalid field at byte {byte}: {reason}")]
    InvalidField {
        /// Byte offset of the bad field.
        byte: usize,
        /// What is wrong.
        reason: &'static str,
    },
}

/// Result of MMC parsing.
pub type Result<T> = core::result::Result<T, Error>;

/// A decoded CDB: one variant per command this crate models.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Command {
    /// TEST UNIT READY.
    TestUnitReady,
    /// REZERO UNIT.
    RezeroUnit,
    /// REQUEST SENSE.
    RequestSense(RequestSense),
    /// INQUIRY.
    Inquiry(Inquiry),
    /// GET CONFIGURATION.
    GetConfiguration(GetConfiguration),
    /// GET EVENT STATUS NOTIFICATION.
    GetEventStatusNotification(GetEventStatusNotification),
    /// MODE SENSE 10.
    ModeSense10(ModeSense10),
    /// MODE SELECT 10.
    ModeSelect10(ModeSelect10),
    /// READ DISC INFORMATION.
    ReadDiscInformation(ReadDiscInformation),
    /// READ TRACK INFORMATION.
    ReadTrackInformation(ReadTrackInformation),
    /// READ TOC.
    ReadToc(ReadToc),
    /// READ CAPACITY.
    ReadCapacity,
    /// SET CD SPEED.
    SetCdSpeed(SetCdSpeed),
    /// GET PERFORMANCE.
    GetPerformance(GetPerformance),
    /// READ BUFFER CAPACITY.
    ReadBufferCapacity(ReadBufferCapacity),
    /// SEND OPC INFORMATION.
    SendOpcInformation(SendOpcInformation),
    /// SEND CUE SHEET.
    SendCueSheet(SendCueSheet),
    /// WRITE 10.
    Write10(Write10),
    /// WRITE 12.
    Write12(Write12),
    /// SYNCHRONIZE CACHE.
    SynchronizeCache(SynchronizeCache),
    /// CLOSE TRACK SESSION.
    CloseTrackSession(CloseTrackSession),
    /// BLANK.
    Blank(Blank),
    /// PREVENT ALLOW MEDIUM REMOVAL.
    PreventAllowMediumRemoval(PreventAllowMediumRemoval),
    /// START STOP UNIT.
    StartStopUnit(StartStopUnit),
    /// READ 10.
    Read10(Read10),
    /// READ CD.
    ReadCd(ReadCd),
    /// READ CD MSF.
    ReadCdMsf(ReadCdMsf),
    /// READ SUB CHANNEL.
    ReadSubChannel(ReadSubChannel),
    /// Any other opcode (the emulator answers 5/20/00).
    Unknown {
        /// Byte 0.
        opcode: OpCode,
    },
}

impl Command {
    /// Decodes a CDB. Never panics: short buffers and bad fields are errors,
    /// and unknown opcodes become [`Command::Unknown`].
    pub fn parse(cdb: &[u8]) -> Result<Command> {
        let Some(&op) = cdb.first() else {
            return Err(Error::Truncated { need: 1, len: 0 });
        };
        Ok(match OpCode(op) {
            OpCode::TEST_UNIT_READY => {
                cdb::test_unit_ready::Cdb::new_checked(cdb)?;
                Command::TestUnitReady
            }
            OpCode::REZERO_UNIT => {
                cdb::rezero_unit::Cdb::new_checked(cdb)?;
                Command::RezeroUnit
            }
            OpCode::REQUEST_SENSE => Command::RequestSense(RequestSense::from_bytes(cdb)?),
            OpCode::INQUIRY => Command::Inquiry(Inquiry::from_bytes(cdb)?),
            OpCode::GET_CONFIGURATION => {
                Command::GetConfiguration(GetConfiguration::from_bytes(cdb)?)
            }
            OpCode::GET_EVENT_STATUS_NOTIFICATION => {
                Command::GetEventStatusNotification(GetEventStatusNotification::from_bytes(cdb)?)
            }
            OpCode::MODE_SENSE_10 => Command::ModeSense10(ModeSense10::from_bytes(cdb)?),
            OpCode::MODE_SELECT_10 => Command::ModeSelect10(ModeSelect10::from_bytes(cdb)?),
            OpCode::READ_DISC_INFORMATION => {
                Command::ReadDiscInformation(ReadDiscInformation::from_bytes(cdb)?)
            }
            OpCode::READ_TRACK_INFORMATION => {
                Command::ReadTrackInformation(ReadTrackInformation::from_bytes(cdb)?)
            }
            OpCode::READ_TOC => Command::ReadToc(ReadToc::from_bytes(cdb)?),
            OpCode::READ_CAPACITY => {
                cdb::read_capacity::Cdb::new_checked(cdb)?;
                Command::ReadCapacity
            }
            OpCode::SET_CD_SPEED => Command::SetCdSpeed(SetCdSpeed::from_bytes(cdb)?),
            OpCode::GET_PERFORMANCE => Command::GetPerformance(GetPerformance::from_bytes(cdb)?),
            OpCode::READ_BUFFER_CAPACITY => {
                Command::ReadBufferCapacity(ReadBufferCapacity::from_bytes(cdb)?)
            }
            OpCode::SEND_OPC_INFORMATION => {
                Command::SendOpcInformation(SendOpcInformation::from_bytes(cdb)?)
            }
            OpCode::SEND_CUE_SHEET => Command::SendCueSheet(SendCueSheet::from_bytes(cdb)?),
            OpCode::WRITE_10 => Command::Write10(Write10::from_bytes(cdb)?),
            OpCode::WRITE_12 => Command::Write12(Write12::from_bytes(cdb)?),
            OpCode::SYNCHRONIZE_CACHE => {
                Command::SynchronizeCache(SynchronizeCache::from_bytes(cdb)?)
            }
            OpCode::CLOSE_TRACK_SESSION => {
                Command::CloseTrackSession(CloseTrackSession::from_bytes(cdb)?)
            }
            OpCode::BLANK => Command::Blank(Blank::from_bytes(cdb)?),
            OpCode::PREVENT_ALLOW_MEDIUM_REMOVAL => {
                Command::PreventAllowMediumRemoval(PreventAllowMediumRemoval::from_bytes(cdb)?)
            }
            OpCode::START_STOP_UNIT => Command::StartStopUnit(StartStopUnit::from_bytes(cdb)?),
            OpCode::READ_10 => Command::Read10(Read10::from_bytes(cdb)?),
            OpCode::READ_CD => Command::ReadCd(ReadCd::from_bytes(cdb)?),
            OpCode::READ_CD_MSF => Command::ReadCdMsf(ReadCdMsf::from_bytes(cdb)?),
            OpCode::READ_SUB_CHANNEL => Command::ReadSubChannel(ReadSubChannel::from_bytes(cdb)?),
            opcode => Command::Unknown { opcode },
        })
    }

    /// The opcode.
    pub fn opcode(&self) -> OpCode {
        match self {
            Command::TestUnitReady => OpCode::TEST_UNIT_READY,
            Command::RezeroUnit => OpCode::REZERO_UNIT,
            Command::RequestSense(_) => OpCode::REQUEST_SENSE,
            Command::Inquiry(_) => OpCode::INQUIRY,
            Command::GetConfiguration(_) => OpCode::GET_CONFIGURATION,
            Command::GetEventStatusNotification(_) => OpCode::GET_EVENT_STATUS_NOTIFICATION,
            Command::ModeSense10(_) => OpCode::MODE_SENSE_10,
            Command::ModeSelect10(_) => OpCode::MODE_SELECT_10,
            Command::ReadDiscInformation(_) => OpCode::READ_DISC_INFORMATION,
            Command::ReadTrackInformation(_) => OpCode::READ_TRACK_INFORMATION,
            Command::ReadToc(_) => OpCode::READ_TOC,
            Command::ReadCapacity => OpCode::READ_CAPACITY,
            Command::SetCdSpeed(_) => OpCode::SET_CD_SPEED,
            Command::GetPerformance(_) => OpCode::GET_PERFORMANCE,
            Command::ReadBufferCapacity(_) => OpCode::READ_BUFFER_CAPACITY,
            Command::SendOpcInformation(_) => OpCode::SEND_OPC_INFORMATION,
            Command::SendCueSheet(_) => OpCode::SEND_CUE_SHEET,
            Command::Write10(_) => OpCode::WRITE_10,
            Command::Write12(_) => OpCode::WRITE_12,
            Command::SynchronizeCache(_) => OpCode::SYNCHRONIZE_CACHE,
            Command::CloseTrackSession(_) => OpCode::CLOSE_TRACK_SESSION,
            Command::Blank(_) => OpCode::BLANK,
            Command::PreventAllowMediumRemoval(_) => OpCode::PREVENT_ALLOW_MEDIUM_REMOVAL,
            Command::StartStopUnit(_) => OpCode::START_STOP_UNIT,
            Command::Read10(_) => OpCode::READ_10,
            Command::ReadCd(_) => OpCode::READ_CD,
            Command::ReadCdMsf(_) => OpCode::READ_CD_MSF,
            Command::ReadSubChannel(_) => OpCode::READ_SUB_CHANNEL,
            Command::Unknown { opcode } => *opcode,
        }
    }

    /// CDB length of this command.
    pub fn cdb_len(&self) -> usize {
        match self {
            Command::TestUnitReady => cdb::test_unit_ready::CDB_LEN,
            Command::RezeroUnit => cdb::rezero_unit::CDB_LEN,
            Command::RequestSense(_) => cdb::request_sense::CDB_LEN,
            Command::Inquiry(_) => cdb::inquiry::CDB_LEN,
            Command::GetConfiguration(_) => cdb::get_configuration::CDB_LEN,
            Command::GetEventStatusNotification(_) => cdb::get_event_status_notification::CDB_LEN,
            Command::ModeSense10(_) => cdb::mode_sense10::CDB_LEN,
            Command::ModeSelect10(_) => cdb::mode_select10::CDB_LEN,
            Command::ReadDiscInformation(_) => cdb::read_disc_information::CDB_LEN,
            Command::ReadTrackInformation(_) => cdb::read_track_information::CDB_LEN,
            Command::ReadToc(_) => cdb::read_toc::CDB_LEN,
            Command::ReadCapacity => cdb::read_capacity::CDB_LEN,
            Command::SetCdSpeed(_) => cdb::set_cd_speed::CDB_LEN,
            Command::GetPerformance(_) => cdb::get_performance::CDB_LEN,
            Command::ReadBufferCapacity(_) => cdb::read_buffer_capacity::CDB_LEN,
            Command::SendOpcInformation(_) => cdb::send_opc_information::CDB_LEN,
            Command::SendCueSheet(_) => cdb::send_cue_sheet::CDB_LEN,
            Command::Write10(_) => cdb::write10::CDB_LEN,
            Command::Write12(_) => cdb::write12::CDB_LEN,
            Command::SynchronizeCache(_) => cdb::synchronize_cache::CDB_LEN,
            Command::CloseTrackSession(_) => cdb::close_track_session::CDB_LEN,
            Command::Blank(_) => cdb::blank::CDB_LEN,
            Command::PreventAllowMediumRemoval(_) => cdb::prevent_allow_medium_removal::CDB_LEN,
            Command::StartStopUnit(_) => cdb::start_stop_unit::CDB_LEN,
            Command::Read10(_) => cdb::read10::CDB_LEN,
            Command::ReadCd(_) => cdb::read_cd::CDB_LEN,
            Command::ReadCdMsf(_) => cdb::read_cd_msf::CDB_LEN,
            Command::ReadSubChannel(_) => cdb::read_sub_channel::CDB_LEN,
            Command::Unknown { opcode } => opcode.cdb_len().unwrap_or(6),
        }
    }

    /// Emits the CDB into `buf`, returning its length; `Err` if `buf` is short.
    /// An unknown command is emitted as its opcode followed by zeros.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let len = self.cdb_len();
        field::check_len(buf, len)?;
        let buf = &mut buf[..len];
        match self {
            Command::TestUnitReady => cdb::test_unit_ready::Cdb::new_unchecked(buf).clear(),
            Command::RezeroUnit => cdb::rezero_unit::Cdb::new_unchecked(buf).clear(),
            Command::RequestSense(c) => c.emit(&mut cdb::request_sense::Cdb::new_unchecked(buf)),
            Command::Inquiry(c) => c.emit(&mut cdb::inquiry::Cdb::new_unchecked(buf)),
            Command::GetConfiguration(c) => {
                c.emit(&mut cdb::get_configuration::Cdb::new_unchecked(buf))
            }
            Command::GetEventStatusNotification(c) => c.emit(
                &mut cdb::get_event_status_notification::Cdb::new_unchecked(buf),
            ),
            Command::ModeSense10(c) => c.emit(&mut cdb::mode_sense10::Cdb::new_unchecked(buf)),
            Command::ModeSelect10(c) => c.emit(&mut cdb::mode_select10::Cdb::new_unchecked(buf)),
            Command::ReadDiscInformation(c) => {
                c.emit(&mut cdb::read_disc_information::Cdb::new_unchecked(buf))
            }
            Command::ReadTrackInformation(c) => {
                c.emit(&mut cdb::read_track_information::Cdb::new_unchecked(buf))
            }
            Command::ReadToc(c) => c.emit(&mut cdb::read_toc::Cdb::new_unchecked(buf)),
            Command::ReadCapacity => cdb::read_capacity::Cdb::new_unchecked(buf).clear(),
            Command::SetCdSpeed(c) => c.emit(&mut cdb::set_cd_speed::Cdb::new_unchecked(buf)),
            Command::GetPerformance(c) => {
                c.emit(&mut cdb::get_performance::Cdb::new_unchecked(buf))
            }
            Command::ReadBufferCapacity(c) => {
                c.emit(&mut cdb::read_buffer_capacity::Cdb::new_unchecked(buf))
            }
            Command::SendOpcInformation(c) => {
                c.emit(&mut cdb::send_opc_information::Cdb::new_unchecked(buf))
            }
            Command::SendCueSheet(c) => c.emit(&mut cdb::send_cue_sheet::Cdb::new_unchecked(buf)),
            Command::Write10(c) => c.emit(&mut cdb::write10::Cdb::new_unchecked(buf)),
            Command::Write12(c) => c.emit(&mut cdb::write12::Cdb::new_unchecked(buf)),
            Command::SynchronizeCache(c) => {
                c.emit(&mut cdb::synchronize_cache::Cdb::new_unchecked(buf))
            }
            Command::CloseTrackSession(c) => {
                c.emit(&mut cdb::close_track_session::Cdb::new_unchecked(buf))
            }
            Command::Blank(c) => c.emit(&mut cdb::blank::Cdb::new_unchecked(buf)),
            Command::PreventAllowMediumRemoval(c) => c.emit(
                &mut cdb::prevent_allow_medium_removal::Cdb::new_unchecked(buf),
            ),
            Command::StartStopUnit(c) => c.emit(&mut cdb::start_stop_unit::Cdb::new_unchecked(buf)),
            Command::Read10(c) => c.emit(&mut cdb::read10::Cdb::new_unchecked(buf)),
            Command::ReadCd(c) => c.emit(&mut cdb::read_cd::Cdb::new_unchecked(buf)),
            Command::ReadCdMsf(c) => c.emit(&mut cdb::read_cd_msf::Cdb::new_unchecked(buf)),
            Command::ReadSubChannel(c) => {
                c.emit(&mut cdb::read_sub_channel::Cdb::new_unchecked(buf))
            }
            Command::Unknown { opcode } => {
                buf.fill(0);
                buf[0] = opcode.0;
            }
        }
        Ok(len)
    }

    /// The emitted CDB in a small inline buffer.
    pub fn to_cdb(&self) -> CdbBuf {
        let mut b = CdbBuf {
            bytes: [0; 16],
            len: 0,
        };
        // cdb_len() is at most 16, so emit cannot fail here.
        b.len = self.emit(&mut b.bytes).unwrap_or(0) as u8;
        b
    }

    /// The signed starting LBA and block count of a WRITE/READ command.
    pub fn lba_range(&self) -> Option<(i32, u32)> {
        match self {
            Command::Write10(c) => Some((c.lba, c.transfer_length.into())),
            Command::Write12(c) => Some((c.lba, c.transfer_length)),
            Command::Read10(c) => Some((c.lba, c.transfer_length.into())),
            Command::ReadCd(c) => Some((c.lba, c.transfer_length)),
            Command::ReadCdMsf(c) => Some((
                c.start.to_lba(),
                c.end.frames().saturating_sub(c.start.frames()),
            )),
            _ => None,
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::TestUnitReady => f.write_str(OpCode::TEST_UNIT_READY.name().unwrap_or("?")),
            Command::RezeroUnit => f.write_str(OpCode::REZERO_UNIT.name().unwrap_or("?")),
            Command::RequestSense(c) => c.fmt(f),
            Command::Inquiry(c) => c.fmt(f),
            Command::GetConfiguration(c) => c.fmt(f),
            Command::GetEventStatusNotification(c) => c.fmt(f),
            Command::ModeSense10(c) => c.fmt(f),
            Command::ModeSelect10(c) => c.fmt(f),
            Command::ReadDiscInformation(c) => c.fmt(f),
            Command::ReadTrackInformation(c) => c.fmt(f),
            Command::ReadToc(c) => c.fmt(f),
            Command::ReadCapacity => f.write_str(OpCode::READ_CAPACITY.name().unwrap_or("?")),
            Command::SetCdSpeed(c) => c.fmt(f),
            Command::GetPerformance(c) => c.fmt(f),
            Command::ReadBufferCapacity(c) => c.fmt(f),
            Command::SendOpcInformation(c) => c.fmt(f),
            Command::SendCueSheet(c) => c.fmt(f),
            Command::Write10(c) => c.fmt(f),
            Command::Write12(c) => c.fmt(f),
            Command::SynchronizeCache(c) => c.fmt(f),
            Command::CloseTrackSession(c) => c.fmt(f),
            Command::Blank(c) => c.fmt(f),
            Command::PreventAllowMediumRemoval(c) => c.fmt(f),
            Command::StartStopUnit(c) => c.fmt(f),
            Command::Read10(c) => c.fmt(f),
            Command::ReadCd(c) => c.fmt(f),
            Command::ReadCdMsf(c) => c.fmt(f),
            Command::ReadSubChannel(c) => c.fmt(f),
            Command::Unknown { opcode } => write!(f, "{opcode}"),
        }
    }
}

/// A CDB of up to 16 bytes, stored inline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CdbBuf {
    bytes: [u8; 16],
    len: u8,
}

impl AsRef<[u8]> for CdbBuf {
    fn as_ref(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

impl core::ops::Deref for CdbBuf {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn test_parse_cdrdao_lead_in_write() {
        let cmd = Command::parse(&[0x2a, 0, 0xff, 0xff, 0xd2, 0x8e, 0, 0, 0x1b, 0]).unwrap();
        assert_eq!(cmd.opcode(), OpCode::WRITE_10);
        assert_eq!(cmd.lba_range(), Some((-11634, 27)));
        assert_eq!(cmd.to_string(), "WRITE(10) lba=-11634 blocks=27");
    }

    #[test]
    fn test_parse_unknown_opcode() {
        let cmd = Command::parse(&[0x3c, 0, 0, 0, 0, 0, 0, 0, 4, 0]).unwrap();
        assert_eq!(
            cmd,
            Command::Unknown {
                opcode: OpCode::READ_BUFFER
            }
        );
        assert_eq!(cmd.to_string(), "READ BUFFER");
    }

    #[test]
    fn test_parse_empty_and_short() {
        assert!(Command::parse(&[]).is_err());
        assert!(Command::parse(&[0x2a, 0, 0]).is_err());
    }

    #[test]
    fn test_emit_matches_libburn_sync_cache_immed() {
        let cmd = Command::SynchronizeCache(SynchronizeCache {
            immed: true,
            ..Default::default()
        });
        assert_eq!(&*cmd.to_cdb(), &[0x35, 0x02, 0, 0, 0, 0, 0, 0, 0, 0]);
    }

    proptest! {
        #[test]
        fn parse_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..20)) {
            if let Ok(cmd) = Command::parse(&bytes) {
                let _ = cmd.to_string();
                let cdb = cmd.to_cdb();
                // parse -> emit -> parse is stable.
                prop_assert_eq!(Command::parse(&cdb).unwrap(), cmd);
            }
        }

        #[test]
        fn parse_with_known_opcode_never_panics(
            op in proptest::sample::select(OpCode::ALL.to_vec()),
            rest in proptest::collection::vec(any::<u8>(), 0..16),
        ) {
            let mut bytes = vec![op.0];
            bytes.extend(rest);
            if let Ok(cmd) = Command::parse(&bytes) {
                prop_assert_eq!(cmd.opcode(), op);
                prop_assert_eq!(Command::parse(&cmd.to_cdb()).unwrap(), cmd);
            }
        }
    }
}
