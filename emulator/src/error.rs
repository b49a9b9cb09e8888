//! The one place where emulator failures become sense data (STYLE.md §4,
//! crosvm `as_resp()`): every handler returns `Result<usize, CommandError>`
//! and [`CommandError::fixed_sense`] maps the error to the fixed-format
//! block a real drive returns (mmc.md §4.3).

use rawcd::mmc::{FixedSense, OpCode, Sense};
use rawcd::msf::Lba;

/// Why the emulated drive refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// The opcode is not implemented by this drive profile (5/20/00).
    #[error("unsupported opcode {0}")]
    Unsupported(OpCode),
    /// A CDB field holds a value the drive does not accept (5/24/00).
    #[error("invalid field in CDB byte {byte}")]
    InvalidField {
        /// Byte offset in the CDB (for the SKSV field pointer).
        byte: u16,
        /// Bit, when a single bit is at fault.
        bit: Option<u8>,
    },
    /// A parameter-list field is bad (5/26/00) — e.g. an unsupported
    /// write type × data block type in MODE SELECT, a malformed cue sheet.
    #[error("invalid field in parameter list byte {byte}: {reason}")]
    InvalidParameter {
        /// Byte offset in the parameter list.
        byte: u16,
        /// What is wrong.
        reason: &'static str,
    },
    /// The parameter list is shorter than the CDB says (5/1A/00).
    #[error("parameter list length error")]
    ParameterListLength,
    /// Command out of sequence (5/2C/00): WRITE without a usable write mode,
    /// SEND CUE SHEET outside SAO or on a closed disc, …
    #[error("command sequence error: {0}")]
    CommandSequence(&'static str),
    /// Non-sequential WRITE, or WRITE to a closed disc (5/21/02).
    #[error("invalid address for write: LBA {lba}, expected {expected:?}")]
    InvalidWriteAddress {
        /// LBA the host sent.
        lba: Lba,
        /// The next writable address, if there is one.
        expected: Option<Lba>,
    },
    /// LBA beyond the disc or the readable area (5/21/00).
    #[error("LBA {lba} out of range (limit {limit})")]
    LbaOutOfRange {
        /// LBA the host sent.
        lba: Lba,
        /// The bound that was crossed.
        limit: Lba,
    },
    /// READ(10) of an audio sector, READ CD sector-type mismatch (5/64/00).
    #[error("illegal mode for this track at LBA {0}")]
    IllegalModeForTrack(Lba),
    /// Saving parameters (MODE SENSE PC = 3, MODE SELECT SP = 1) (5/39/00).
    #[error("saving parameters not supported")]
    SavingNotSupported,
    /// The medium cannot be written in this way (5/30/05): BLANK on CD-R,
    /// writing a pressed CD-ROM.
    #[error("cannot write medium: incompatible format")]
    CannotWriteMedium,
    /// Incompatible medium for reading (5/30/02).
    #[error("cannot read medium: incompatible format")]
    CannotReadMedium,
    /// Eject while PREVENT is in force (5/53/02).
    #[error("medium removal prevented")]
    RemovalPrevented,
    /// No disc in the drive (2/3A/00, or 2/3A/02 with the tray open).
    #[error("no medium")]
    NoMedium {
        /// Tray open (after an eject).
        tray_open: bool,
    },
    /// Long operation running (2/04/07 or 2/04/08) with progress.
    #[error("not ready: operation in progress")]
    Busy {
        /// The NOT READY triple.
        sense: Sense,
        /// Fraction done, 0..=65535.
        progress: u16,
    },
    /// A buffer underrun without BUFE (3/0C/09).
    #[error("loss of streaming (buffer underrun)")]
    Underrun,
    /// A pending unit attention (6/xx/xx), reported once.
    #[error("unit attention {0}")]
    UnitAttention(Sense),
    /// A drive-state fault injected through [`crate::faults`], or any other
    /// condition with a fixed triple.
    #[error("sense {0}")]
    Sense(Sense),
}

impl CommandError {
    /// The sense triple.
    pub fn sense(&self) -> Sense {
        match self {
            Self::Unsupported(_) => Sense::INVALID_OPCODE,
            Self::InvalidField { .. } => Sense::INVALID_FIELD_IN_CDB,
            Self::InvalidParameter { .. } => Sense::INVALID_FIELD_IN_PARAMETER_LIST,
            Self::ParameterListLength => Sense::PARAMETER_LIST_LENGTH_ERROR,
            Self::CommandSequence(_) => Sense::COMMAND_SEQUENCE_ERROR,
            Self::InvalidWriteAddress { .. } => Sense::INVALID_ADDRESS_FOR_WRITE,
            Self::LbaOutOfRange { .. } => Sense::LBA_OUT_OF_RANGE,
            Self::IllegalModeForTrack(_) => Sense::ILLEGAL_MODE_FOR_TRACK,
            Self::SavingNotSupported => Sense::SAVING_PARAMETERS_NOT_SUPPORTED,
            Self::CannotWriteMedium => Sense::CANNOT_WRITE_INCOMPATIBLE_FORMAT,
            Self::CannotReadMedium => Sense::CANNOT_READ_INCOMPATIBLE_FORMAT,
            Self::RemovalPrevented => Sense::MEDIUM_REMOVAL_PREVENTED,
            Self::NoMedium { tray_open: false } => Sense::NO_MEDIUM,
            Self::NoMedium { tray_open: true } => Sense::NO_MEDIUM_TRAY_OPEN,
            Self::Busy { sense, .. } => *sense,
            Self::Underrun => Sense::UNDERRUN,
            Self::UnitAttention(s) | Self::Sense(s) => *s,
        }
    }

    /// The full fixed-format block: field pointers for ILLEGAL REQUEST in
    /// the CDB or parameter list, progress for NOT READY, the LBA in
    /// INFORMATION for address errors.
    pub fn fixed_sense(&self) -> FixedSense {
        let sense = self.sense();
        match self {
            Self::InvalidField { byte, bit } => {
                FixedSense::with_field_pointer(sense, true, *byte, *bit)
            }
            Self::InvalidParameter { byte, .. } => {
                FixedSense::with_field_pointer(sense, false, *byte, None)
            }
            Self::Busy { progress, .. } => FixedSense::with_progress(sense, *progress),
            Self::InvalidWriteAddress { lba, .. }
            | Self::LbaOutOfRange { lba, .. }
            | Self::IllegalModeForTrack(lba) => FixedSense {
                valid: true,
                information: *lba as u32,
                ..FixedSense::current(sense)
            },
            _ => FixedSense::current(sense),
        }
    }
}

impl From<rawcd::mmc::Error> for CommandError {
    /// A CDB the wire layer cannot decode: a bad field becomes 5/24/00 with
    /// its byte; a short CDB is a bad CDB too (byte 0).
    fn from(e: rawcd::mmc::Error) -> Self {
        match e {
            rawcd::mmc::Error::InvalidField { byte, .. } => CommandError::InvalidField {
                byte: byte.min(u16::MAX as usize) as u16,
                bit: None,
            },
            _ => CommandError::InvalidField { byte: 0, bit: None },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_invalid_field_carries_cdb_field_pointer() {
        let f = CommandError::InvalidField { byte: 2, bit: None }.fixed_sense();
        assert_eq!(f.to_bytes()[12..18], [0x24, 0x00, 0x00, 0xc0, 0x00, 0x02]);
    }

    #[test]
    fn test_write_address_error_is_05_21_02_with_lba() {
        let f = CommandError::InvalidWriteAddress {
            lba: -150,
            expected: Some(-11634),
        }
        .fixed_sense();
        let b = f.to_bytes();
        assert_eq!(b[0], 0xf0);
        assert_eq!(b[2] & 0x0f, 5);
        assert_eq!(b[3..7], [0xff, 0xff, 0xff, 0x6a]);
        assert_eq!((b[12], b[13]), (0x21, 0x02));
    }
}
