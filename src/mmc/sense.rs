//! Sense data (SPC fixed format, mmc.md §4.1) and the sense triples a CD
//! recorder reports (mmc.md §4.3).
//!
//! [`Sense`] is the `{key, asc, ascq}` triple every layer passes around;
//! [`SenseData`] is the byte view of an 18-byte fixed-format block and
//! [`FixedSense`] its `Repr`. [`Sense::from_bytes`] also accepts the
//! descriptor format (response codes 72h/73h) so a host never misreads a
//! drive that chose it.

use core::fmt;

use crate::mmc::field::{self, Field};
use crate::mmc::{Error, Result};

enum_with_unknown! {
    /// Sense key (byte 2 bits 3..0), mmc.md §4.2.
    pub enum SenseKey(u8) {
        /// 0: no error, or a progress report.
        NoSense = 0x0,
        /// 1: succeeded after recovery.
        RecoveredError = 0x1,
        /// 2: no medium, becoming ready, busy.
        NotReady = 0x2,
        /// 3: unrecoverable medium error (write, OPC, fixation).
        MediumError = 0x3,
        /// 4: hardware failure.
        HardwareError = 0x4,
        /// 5: bad CDB, parameter, address or sequence.
        IllegalRequest = 0x5,
        /// 6: medium changed, reset, parameters changed.
        UnitAttention = 0x6,
        /// 7: write protected.
        DataProtect = 0x7,
        /// 8: blank check.
        BlankCheck = 0x8,
        /// 9: vendor specific.
        VendorSpecific = 0x9,
        /// A: copy aborted.
        CopyAborted = 0xa,
        /// B: aborted command (transport).
        AbortedCommand = 0xb,
        /// D: volume overflow.
        VolumeOverflow = 0xd,
        /// E: miscompare.
        Miscompare = 0xe,
    }
}

impl SenseKey {
    /// Upper-case SPC name of the key.
    pub fn name(self) -> &'static str {
        match self {
            SenseKey::NoSense => "NO SENSE",
            SenseKey::RecoveredError => "RECOVERED ERROR",
            SenseKey::NotReady => "NOT READY",
            SenseKey::MediumError => "MEDIUM ERROR",
            SenseKey::HardwareError => "HARDWARE ERROR",
            SenseKey::IllegalRequest => "ILLEGAL REQUEST",
            SenseKey::UnitAttention => "UNIT ATTENTION",
            SenseKey::DataProtect => "DATA PROTECT",
            SenseKey::BlankCheck => "BLANK CHECK",
            SenseKey::VendorSpecific => "VENDOR SPECIFIC",
            SenseKey::CopyAborted => "COPY ABORTED",
            SenseKey::AbortedCommand => "ABORTED COMMAND",
            SenseKey::VolumeOverflow => "VOLUME OVERFLOW",
            SenseKey::Miscompare => "MISCOMPARE",
            SenseKey::Unknown(_) => "RESERVED",
        }
    }
}

/// A sense triple: key, additional sense code, qualifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Sense {
    /// Sense key.
    pub key: SenseKey,
    /// Additional sense code (ASC).
    pub asc: u8,
    /// Additional sense code qualifier (ASCQ).
    pub ascq: u8,
}

macro_rules! sense_table {
    ($($(#[doc = $doc:literal])* $name:ident = ($key:ident, $asc:literal, $ascq:literal), $text:literal;)*) => {
        impl Sense {
            $(
                $(#[doc = $doc])*
                #[doc(alias = $text)]
                pub const $name: Sense = Sense::new(SenseKey::$key, $asc, $ascq);
            )*

            /// Every named situation (mmc.md §4.3), for tables and fault plans.
            pub const NAMED: &'static [(&'static str, Sense)] = &[$((stringify!($name), Sense::$name)),*];
        }

        /// SPC name of an ASC/ASCQ pair, when this module knows it.
        pub fn asc_name(asc: u8, ascq: u8) -> Option<&'static str> {
            match (asc, ascq) {
                $(($asc, $ascq) => Some($text),)*
                _ => None,
            }
        }
    };
}

sense_table! {
    /// 0/00/00: no additional sense.
    NO_SENSE = (NoSense, 0x00, 0x00), "NO ADDITIONAL SENSE INFORMATION";
    /// 2/04/00: not ready, cause not reportable.
    NOT_READY_CAUSE_NOT_REPORTABLE = (NotReady, 0x04, 0x00), "LOGICAL UNIT NOT READY, CAUSE NOT REPORTABLE";
    /// 2/04/01: becoming ready (after load).
    NOT_READY_BECOMING_READY = (NotReady, 0x04, 0x01), "LOGICAL UNIT IS IN PROCESS OF BECOMING READY";
    /// 2/04/04: format in progress.
    FORMAT_IN_PROGRESS = (NotReady, 0x04, 0x04), "LOGICAL UNIT NOT READY, FORMAT IN PROGRESS";
    /// 2/04/07: operation in progress (blank, close, finishing a write).
    OPERATION_IN_PROGRESS = (NotReady, 0x04, 0x07), "LOGICAL UNIT NOT READY, OPERATION IN PROGRESS";
    /// 2/04/08: long write in progress (buffer full or finishing).
    LONG_WRITE_IN_PROGRESS = (NotReady, 0x04, 0x08), "LOGICAL UNIT NOT READY, LONG WRITE IN PROGRESS";
    /// 2/3A/00: no medium.
    NO_MEDIUM = (NotReady, 0x3a, 0x00), "MEDIUM NOT PRESENT";
    /// 2/3A/01: no medium, tray closed.
    NO_MEDIUM_TRAY_CLOSED = (NotReady, 0x3a, 0x01), "MEDIUM NOT PRESENT - TRAY CLOSED";
    /// 2/3A/02: no medium, tray open.
    NO_MEDIUM_TRAY_OPEN = (NotReady, 0x3a, 0x02), "MEDIUM NOT PRESENT - TRAY OPEN";
    /// 2/2E/00: insufficient time for operation.
    INSUFFICIENT_TIME = (NotReady, 0x2e, 0x00), "INSUFFICIENT TIME FOR OPERATION";
    /// 5/30/00: incompatible medium installed (some drives use key 2).
    INCOMPATIBLE_MEDIUM = (IllegalRequest, 0x30, 0x00), "INCOMPATIBLE MEDIUM INSTALLED";
    /// 5/30/01: cannot read medium, unknown format.
    CANNOT_READ_UNKNOWN_FORMAT = (IllegalRequest, 0x30, 0x01), "CANNOT READ MEDIUM - UNKNOWN FORMAT";
    /// 5/30/02: cannot read medium, incompatible format.
    CANNOT_READ_INCOMPATIBLE_FORMAT = (IllegalRequest, 0x30, 0x02), "CANNOT READ MEDIUM - INCOMPATIBLE FORMAT";
    /// 5/30/04: cannot write medium, unknown format.
    CANNOT_WRITE_UNKNOWN_FORMAT = (IllegalRequest, 0x30, 0x04), "CANNOT WRITE MEDIUM - UNKNOWN FORMAT";
    /// 5/30/05: cannot write medium, incompatible format (BLANK on CD-R, pressed CD).
    CANNOT_WRITE_INCOMPATIBLE_FORMAT = (IllegalRequest, 0x30, 0x05), "CANNOT WRITE MEDIUM - INCOMPATIBLE FORMAT";
    /// 5/30/08: restricted-use disc, host application code mismatch.
    APPLICATION_CODE_MISMATCH = (IllegalRequest, 0x30, 0x08), "CANNOT WRITE - APPLICATION CODE MISMATCH";
    /// 5/30/09: current session not fixated for append.
    SESSION_NOT_FIXATED = (IllegalRequest, 0x30, 0x09), "CURRENT SESSION NOT FIXATED FOR APPEND";
    /// 5/30/10: medium not formatted.
    MEDIUM_NOT_FORMATTED = (IllegalRequest, 0x30, 0x10), "MEDIUM NOT FORMATTED";
    /// 7/27/00: write protected.
    WRITE_PROTECTED = (DataProtect, 0x27, 0x00), "WRITE PROTECTED";
    /// 7/27/01: hardware write protected.
    HARDWARE_WRITE_PROTECTED = (DataProtect, 0x27, 0x01), "HARDWARE WRITE PROTECTED";
    /// 7/27/02: software write protected.
    SOFTWARE_WRITE_PROTECTED = (DataProtect, 0x27, 0x02), "LOGICAL UNIT SOFTWARE WRITE PROTECTED";
    /// 5/1A/00: parameter list length error.
    PARAMETER_LIST_LENGTH_ERROR = (IllegalRequest, 0x1a, 0x00), "PARAMETER LIST LENGTH ERROR";
    /// 5/20/00: invalid command operation code.
    INVALID_OPCODE = (IllegalRequest, 0x20, 0x00), "INVALID COMMAND OPERATION CODE";
    /// 5/21/00: logical block address out of range.
    LBA_OUT_OF_RANGE = (IllegalRequest, 0x21, 0x00), "LOGICAL BLOCK ADDRESS OUT OF RANGE";
    /// 5/21/02: invalid address for write.
    INVALID_ADDRESS_FOR_WRITE = (IllegalRequest, 0x21, 0x02), "INVALID ADDRESS FOR WRITE";
    /// 5/24/00: invalid field in CDB.
    INVALID_FIELD_IN_CDB = (IllegalRequest, 0x24, 0x00), "INVALID FIELD IN CDB";
    /// 5/26/00: invalid field in parameter list.
    INVALID_FIELD_IN_PARAMETER_LIST = (IllegalRequest, 0x26, 0x00), "INVALID FIELD IN PARAMETER LIST";
    /// 5/26/01: parameter not supported.
    PARAMETER_NOT_SUPPORTED = (IllegalRequest, 0x26, 0x01), "PARAMETER NOT SUPPORTED";
    /// 5/26/02: parameter value invalid.
    PARAMETER_VALUE_INVALID = (IllegalRequest, 0x26, 0x02), "PARAMETER VALUE INVALID";
    /// 5/2C/00: command sequence error.
    COMMAND_SEQUENCE_ERROR = (IllegalRequest, 0x2c, 0x00), "COMMAND SEQUENCE ERROR";
    /// 5/39/00: saving parameters not supported.
    SAVING_PARAMETERS_NOT_SUPPORTED = (IllegalRequest, 0x39, 0x00), "SAVING PARAMETERS NOT SUPPORTED";
    /// 5/53/02: medium removal prevented.
    MEDIUM_REMOVAL_PREVENTED = (IllegalRequest, 0x53, 0x02), "MEDIUM REMOVAL PREVENTED";
    /// 2/53/00: media load or eject failed.
    MEDIA_LOAD_OR_EJECT_FAILED = (NotReady, 0x53, 0x00), "MEDIA LOAD OR EJECT FAILED";
    /// 5/63/00: end of user area encountered on this track.
    END_OF_USER_AREA = (IllegalRequest, 0x63, 0x00), "END OF USER AREA ENCOUNTERED ON THIS TRACK";
    /// 5/64/00: illegal mode for this track.
    ILLEGAL_MODE_FOR_TRACK = (IllegalRequest, 0x64, 0x00), "ILLEGAL MODE FOR THIS TRACK";
    /// 5/64/01: invalid packet size.
    INVALID_PACKET_SIZE = (IllegalRequest, 0x64, 0x01), "INVALID PACKET SIZE";
    /// 3/02/00: no seek complete.
    NO_SEEK_COMPLETE = (MediumError, 0x02, 0x00), "NO SEEK COMPLETE";
    /// 3/06/00: no reference position found (rawcd's choice for "upside down").
    NO_REFERENCE_POSITION = (MediumError, 0x06, 0x00), "NO REFERENCE POSITION FOUND";
    /// 3/0C/00: write error.
    WRITE_ERROR = (MediumError, 0x0c, 0x00), "WRITE ERROR";
    /// 3/0C/07: write error, recovery needed.
    WRITE_ERROR_RECOVERY_NEEDED = (MediumError, 0x0c, 0x07), "WRITE ERROR - RECOVERY NEEDED";
    /// 3/0C/08: write error, recovery failed.
    WRITE_ERROR_RECOVERY_FAILED = (MediumError, 0x0c, 0x08), "WRITE ERROR - RECOVERY FAILED";
    /// 3/0C/09: loss of streaming (buffer underrun).
    UNDERRUN = (MediumError, 0x0c, 0x09), "WRITE ERROR - LOSS OF STREAMING";
    /// 3/0C/0A: padding blocks added.
    PADDING_BLOCKS_ADDED = (MediumError, 0x0c, 0x0a), "WRITE ERROR - PADDING BLOCKS ADDED";
    /// 3/51/00: erase failure.
    ERASE_FAILURE = (MediumError, 0x51, 0x00), "ERASE FAILURE";
    /// 3/57/00: unable to recover table of contents.
    UNABLE_TO_RECOVER_TOC = (MediumError, 0x57, 0x00), "UNABLE TO RECOVER TABLE-OF-CONTENTS";
    /// 3/72/00: session fixation error.
    SESSION_FIXATION_ERROR = (MediumError, 0x72, 0x00), "SESSION FIXATION ERROR";
    /// 3/72/01: session fixation error writing lead-in.
    SESSION_FIXATION_ERROR_LEAD_IN = (MediumError, 0x72, 0x01), "SESSION FIXATION ERROR WRITING LEAD-IN";
    /// 3/72/02: session fixation error writing lead-out.
    SESSION_FIXATION_ERROR_LEAD_OUT = (MediumError, 0x72, 0x02), "SESSION FIXATION ERROR WRITING LEAD-OUT";
    /// 3/72/03: session fixation error, incomplete track in session.
    SESSION_FIXATION_ERROR_INCOMPLETE_TRACK = (MediumError, 0x72, 0x03), "SESSION FIXATION ERROR - INCOMPLETE TRACK IN SESSION";
    /// 3/73/00: CD control error.
    CD_CONTROL_ERROR = (MediumError, 0x73, 0x00), "CD CONTROL ERROR";
    /// 3/73/01: power calibration area almost full.
    POWER_CALIBRATION_AREA_ALMOST_FULL = (MediumError, 0x73, 0x01), "POWER CALIBRATION AREA ALMOST FULL";
    /// 3/73/02: power calibration area full.
    POWER_CALIBRATION_AREA_FULL = (MediumError, 0x73, 0x02), "POWER CALIBRATION AREA IS FULL";
    /// 3/73/03: power calibration area error (OPC failure).
    POWER_CALIBRATION_AREA_ERROR = (MediumError, 0x73, 0x03), "POWER CALIBRATION AREA ERROR";
    /// 3/73/04: program memory area update failure.
    PMA_UPDATE_FAILURE = (MediumError, 0x73, 0x04), "PROGRAM MEMORY AREA UPDATE FAILURE";
    /// 3/73/05: program memory area is full.
    PMA_FULL = (MediumError, 0x73, 0x05), "PROGRAM MEMORY AREA IS FULL";
    /// 4/08/00: logical unit communication failure.
    COMMUNICATION_FAILURE = (HardwareError, 0x08, 0x00), "LOGICAL UNIT COMMUNICATION FAILURE";
    /// 4/08/01: logical unit communication time-out.
    COMMUNICATION_TIMEOUT = (HardwareError, 0x08, 0x01), "LOGICAL UNIT COMMUNICATION TIME-OUT";
    /// 4/44/00: internal target failure.
    INTERNAL_TARGET_FAILURE = (HardwareError, 0x44, 0x00), "INTERNAL TARGET FAILURE";
    /// 6/28/00: not ready to ready change, medium may have changed.
    MEDIUM_CHANGED = (UnitAttention, 0x28, 0x00), "NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED";
    /// 6/29/00: power on, reset, or bus device reset occurred.
    POWER_ON_RESET = (UnitAttention, 0x29, 0x00), "POWER ON, RESET, OR BUS DEVICE RESET OCCURRED";
    /// 6/2A/01: mode parameters changed.
    MODE_PARAMETERS_CHANGED = (UnitAttention, 0x2a, 0x01), "MODE PARAMETERS CHANGED";
    /// 6/5A/01: operator medium removal request.
    OPERATOR_REMOVAL_REQUEST = (UnitAttention, 0x5a, 0x01), "OPERATOR MEDIUM REMOVAL REQUEST";
}

impl Sense {
    /// Alias of [`Sense::CANNOT_WRITE_INCOMPATIBLE_FORMAT`]: BLANK refused (e.g. on CD-R).
    pub const CANNOT_BLANK: Sense = Sense::CANNOT_WRITE_INCOMPATIBLE_FORMAT;
    /// Alias of [`Sense::POWER_CALIBRATION_AREA_ERROR`]: OPC failed.
    pub const OPC_FAILED: Sense = Sense::POWER_CALIBRATION_AREA_ERROR;

    /// Builds a triple.
    pub const fn new(key: SenseKey, asc: u8, ascq: u8) -> Sense {
        Sense { key, asc, ascq }
    }

    /// SPC name of the ASC/ASCQ, when known.
    pub fn name(&self) -> Option<&'static str> {
        asc_name(self.asc, self.ascq)
    }

    /// Whether this is NOT READY 04/07 or 04/08, i.e. "still busy".
    pub fn is_busy(&self) -> bool {
        self.key == SenseKey::NotReady && self.asc == 0x04 && matches!(self.ascq, 0x07 | 0x08)
    }

    /// Extracts the triple from fixed (70h/71h) or descriptor (72h/73h)
    /// sense bytes; `None` when the bytes are too short or not sense data.
    pub fn from_bytes(bytes: &[u8]) -> Option<Sense> {
        let code = *bytes.first()? & 0x7f;
        match code {
            0x70 | 0x71 => {
                let key = SenseKey::from(bytes.get(2)? & 0x0f);
                let asc = bytes.get(12).copied().unwrap_or(0);
                let ascq = bytes.get(13).copied().unwrap_or(0);
                Some(Sense::new(key, asc, ascq))
            }
            0x72 | 0x73 => Some(Sense::new(
                SenseKey::from(bytes.get(1)? & 0x0f),
                *bytes.get(2)?,
                *bytes.get(3)?,
            )),
            _ => None,
        }
    }

    /// An 18-byte current-error fixed-format block carrying this triple.
    pub fn to_fixed_bytes(&self) -> [u8; FIXED_LEN] {
        let mut b = [0u8; FIXED_LEN];
        FixedSense::current(*self).emit(&mut SenseData::new_unchecked(&mut b[..]));
        b
    }
}

impl Default for Sense {
    fn default() -> Self {
        Sense::NO_SENSE
    }
}

impl fmt::Display for Sense {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:X}/{:02X}/{:02X}",
            u8::from(self.key),
            self.asc,
            self.ascq
        )?;
        match self.name() {
            Some(n) => write!(f, " {n}"),
            None => write!(f, " {}", self.key.name()),
        }
    }
}

mod fields {
    use super::Field;
    pub const RESPONSE_CODE: usize = 0; // b7 VALID, b6-0 code
    pub const FLAGS_KEY: usize = 2; // b7 FILEMARK, b6 EOM, b5 ILI, b3-0 key
    pub const INFORMATION: Field = 3..7;
    pub const ADDITIONAL_LENGTH: usize = 7;
    pub const COMMAND_SPECIFIC: Field = 8..12;
    pub const ASC: usize = 12;
    pub const ASCQ: usize = 13;
    pub const FRU: usize = 14;
    pub const SENSE_KEY_SPECIFIC: Field = 15..18;
}

/// Length of a fixed-format sense block as rawcd emits it.
pub const FIXED_LEN: usize = fields::SENSE_KEY_SPECIFIC.end;

/// View of fixed-format sense data (mmc.md §4.1).
#[derive(Debug, Clone)]
pub struct SenseData<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> SenseData<T> {
    /// Wraps a buffer without checks; getters may panic if it is short.
    pub fn new_unchecked(buffer: T) -> Self {
        SenseData { buffer }
    }

    /// Wraps a buffer after checking it holds bytes 0..=13 and a fixed-format code.
    pub fn new_checked(buffer: T) -> Result<Self> {
        let s = Self::new_unchecked(buffer);
        s.check_len()?;
        Ok(s)
    }

    /// Checks the length (14 bytes, enough for ASC/ASCQ) and response code.
    pub fn check_len(&self) -> Result<()> {
        let b = self.buffer.as_ref();
        field::check_len(b, fields::ASCQ + 1)?;
        match b[0] & 0x7f {
            0x70 | 0x71 => Ok(()),
            _ => Err(Error::InvalidField {
                byte: 0,
                reason: "not fixed-format sense",
            }),
        }
    }

    /// Returns the underlying buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn byte(&self, i: usize) -> u8 {
        self.buffer.as_ref().get(i).copied().unwrap_or(0)
    }

    /// VALID bit: the INFORMATION field is meaningful.
    pub fn valid(&self) -> bool {
        field::bit(self.byte(fields::RESPONSE_CODE), 7)
    }
    /// Response code: 70h current, 71h deferred.
    pub fn response_code(&self) -> u8 {
        self.byte(fields::RESPONSE_CODE) & 0x7f
    }
    /// ILI bit.
    pub fn ili(&self) -> bool {
        field::bit(self.byte(fields::FLAGS_KEY), 5)
    }
    /// Sense key.
    pub fn key(&self) -> SenseKey {
        SenseKey::from(self.byte(fields::FLAGS_KEY) & 0x0f)
    }
    /// INFORMATION (e.g. the failing LBA).
    pub fn information(&self) -> u32 {
        field::be32(&self.buffer.as_ref()[fields::INFORMATION])
    }
    /// Additional sense length (total − 8).
    pub fn additional_length(&self) -> u8 {
        self.byte(fields::ADDITIONAL_LENGTH)
    }
    /// Command-specific information.
    pub fn command_specific(&self) -> u32 {
        field::be32(&self.buffer.as_ref()[fields::COMMAND_SPECIFIC])
    }
    /// ASC.
    pub fn asc(&self) -> u8 {
        self.byte(fields::ASC)
    }
    /// ASCQ.
    pub fn ascq(&self) -> u8 {
        self.byte(fields::ASCQ)
    }
    /// FRU code (0 when the block is shorter than 15 bytes).
    pub fn fru(&self) -> u8 {
        self.byte(fields::FRU)
    }
    /// Sense-key-specific bytes 15..17 when SKSV is set (and present).
    pub fn sense_key_specific(&self) -> Option<[u8; 3]> {
        let b = self.buffer.as_ref().get(fields::SENSE_KEY_SPECIFIC)?;
        (b[0] & 0x80 != 0).then(|| [b[0], b[1], b[2]])
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> SenseData<T> {
    fn bytes_mut(&mut self) -> &mut [u8] {
        self.buffer.as_mut()
    }
    /// Sets VALID and the response code.
    pub fn set_response_code(&mut self, valid: bool, code: u8) {
        self.bytes_mut()[fields::RESPONSE_CODE] = (code & 0x7f) | if valid { 0x80 } else { 0 };
    }
    /// Sets the sense key (flags cleared).
    pub fn set_key(&mut self, key: SenseKey) {
        self.bytes_mut()[fields::FLAGS_KEY] = u8::from(key) & 0x0f;
    }
    /// Sets INFORMATION.
    pub fn set_information(&mut self, v: u32) {
        field::set_be32(&mut self.bytes_mut()[fields::INFORMATION], v);
    }
    /// Sets the additional sense length.
    pub fn set_additional_length(&mut self, v: u8) {
        self.bytes_mut()[fields::ADDITIONAL_LENGTH] = v;
    }
    /// Sets the command-specific information.
    pub fn set_command_specific(&mut self, v: u32) {
        field::set_be32(&mut self.bytes_mut()[fields::COMMAND_SPECIFIC], v);
    }
    /// Sets ASC and ASCQ.
    pub fn set_asc_ascq(&mut self, asc: u8, ascq: u8) {
        self.bytes_mut()[fields::ASC] = asc;
        self.bytes_mut()[fields::ASCQ] = ascq;
    }
    /// Sets the FRU code.
    pub fn set_fru(&mut self, v: u8) {
        self.bytes_mut()[fields::FRU] = v;
    }
    /// Sets bytes 15..17 (`None` clears them, SKSV = 0).
    pub fn set_sense_key_specific(&mut self, v: Option<[u8; 3]>) {
        let b = &mut self.bytes_mut()[fields::SENSE_KEY_SPECIFIC];
        b.copy_from_slice(
            &v.map(|mut x| {
                x[0] |= 0x80;
                x
            })
            .unwrap_or([0; 3]),
        );
    }
}

/// Decoded fixed-format sense block (the `Repr` of [`SenseData`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct FixedSense {
    /// 0x70 current or 0x71 deferred error.
    pub deferred: bool,
    /// VALID bit.
    pub valid: bool,
    /// The triple.
    pub sense: Sense,
    /// INFORMATION field.
    pub information: u32,
    /// Command-specific information.
    pub command_specific: u32,
    /// FRU code.
    pub fru: u8,
    /// Sense-key-specific bytes (SKSV = 1) — progress or field pointer.
    pub sense_key_specific: Option<[u8; 3]>,
}

impl FixedSense {
    /// A current error with just the triple.
    pub fn current(sense: Sense) -> FixedSense {
        FixedSense {
            sense,
            ..FixedSense::default()
        }
    }

    /// A NOT READY / NO SENSE block with a progress indication (0..=65535).
    pub fn with_progress(sense: Sense, progress: u16) -> FixedSense {
        let p = progress.to_be_bytes();
        FixedSense {
            sense_key_specific: Some([0x80, p[0], p[1]]),
            ..FixedSense::current(sense)
        }
    }

    /// An ILLEGAL REQUEST block with a field pointer (SKSV, C/D, BPV).
    pub fn with_field_pointer(
        sense: Sense,
        in_cdb: bool,
        byte: u16,
        bit: Option<u8>,
    ) -> FixedSense {
        let mut b0 = 0x80 | if in_cdb { 0x40 } else { 0 };
        if let Some(bit) = bit {
            b0 |= 0x08 | (bit & 7);
        }
        let p = byte.to_be_bytes();
        FixedSense {
            sense_key_specific: Some([b0, p[0], p[1]]),
            ..FixedSense::current(sense)
        }
    }

    /// Progress indication (fraction done ×65536) for NOT READY / NO SENSE.
    pub fn progress(&self) -> Option<u16> {
        match (self.sense.key, self.sense_key_specific) {
            (SenseKey::NotReady | SenseKey::NoSense, Some(s)) => {
                Some(u16::from_be_bytes([s[1], s[2]]))
            }
            _ => None,
        }
    }

    /// Field pointer `(in_cdb, byte, bit)` for ILLEGAL REQUEST.
    pub fn field_pointer(&self) -> Option<(bool, u16, Option<u8>)> {
        match (self.sense.key, self.sense_key_specific) {
            (SenseKey::IllegalRequest, Some(s)) => Some((
                s[0] & 0x40 != 0,
                u16::from_be_bytes([s[1], s[2]]),
                (s[0] & 0x08 != 0).then_some(s[0] & 7),
            )),
            _ => None,
        }
    }

    /// Parses a checked view.
    pub fn parse<T: AsRef<[u8]>>(v: &SenseData<T>) -> Result<FixedSense> {
        v.check_len()?;
        Ok(FixedSense {
            deferred: v.response_code() == 0x71,
            valid: v.valid(),
            sense: Sense::new(v.key(), v.asc(), v.ascq()),
            information: v.information(),
            command_specific: v.command_specific(),
            fru: v.fru(),
            sense_key_specific: v.sense_key_specific(),
        })
    }

    /// Emits an 18-byte block; the buffer must hold [`FIXED_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, v: &mut SenseData<T>) {
        v.buffer.as_mut()[..FIXED_LEN].fill(0);
        v.set_response_code(self.valid, if self.deferred { 0x71 } else { 0x70 });
        v.set_key(self.sense.key);
        v.set_information(self.information);
        v.set_additional_length((FIXED_LEN - 8) as u8);
        v.set_command_specific(self.command_specific);
        v.set_asc_ascq(self.sense.asc, self.sense.ascq);
        v.set_fru(self.fru);
        v.set_sense_key_specific(self.sense_key_specific);
    }

    /// The 18 emitted bytes.
    pub fn to_bytes(&self) -> [u8; FIXED_LEN] {
        let mut b = [0u8; FIXED_LEN];
        self.emit(&mut SenseData::new_unchecked(&mut b[..]));
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // CDEmu-style 18-byte block for 5/24/00 (mmc.md §4.1 layout).
    const INVALID_FIELD: [u8; 18] = [
        0x70, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00,
        0x00, 0x00, 0x00,
    ];

    #[test]
    fn test_deconstruct_invalid_field_in_cdb() {
        let v = SenseData::new_checked(&INVALID_FIELD[..]).unwrap();
        assert_eq!(v.key(), SenseKey::IllegalRequest);
        assert_eq!((v.asc(), v.ascq()), (0x24, 0x00));
        assert_eq!(v.additional_length(), 10);
        assert_eq!(
            Sense::from_bytes(&INVALID_FIELD),
            Some(Sense::INVALID_FIELD_IN_CDB)
        );
    }

    #[test]
    fn test_construct_invalid_field_in_cdb() {
        assert_eq!(Sense::INVALID_FIELD_IN_CDB.to_fixed_bytes(), INVALID_FIELD);
    }

    #[test]
    fn test_progress_in_bytes_16_17() {
        let b = FixedSense::with_progress(Sense::OPERATION_IN_PROGRESS, 0x8000).to_bytes();
        assert_eq!(&b[12..18], &[0x04, 0x07, 0x00, 0x80, 0x80, 0x00]);
        let parsed = FixedSense::parse(&SenseData::new_checked(&b[..]).unwrap()).unwrap();
        assert_eq!(parsed.progress(), Some(0x8000));
    }

    #[test]
    fn test_descriptor_format_is_understood() {
        assert_eq!(
            Sense::from_bytes(&[0x72, 0x02, 0x04, 0x08, 0, 0, 0, 0]),
            Some(Sense::LONG_WRITE_IN_PROGRESS)
        );
    }

    #[test]
    fn test_short_sense_is_refused_without_panic() {
        assert!(SenseData::new_checked(&[0x70u8, 0, 5][..]).is_err());
        assert_eq!(Sense::from_bytes(&[0x70]), None);
        assert_eq!(Sense::from_bytes(&[]), None);
    }

    #[test]
    fn test_display_names() {
        assert_eq!(
            Sense::UNDERRUN.to_string(),
            "3/0C/09 WRITE ERROR - LOSS OF STREAMING"
        );
        assert_eq!(Sense::NOT_READY_BECOMING_READY.key, SenseKey::NotReady);
        assert_eq!(
            Sense::new(SenseKey::IllegalRequest, 0xee, 1).to_string(),
            "5/EE/01 ILLEGAL REQUEST"
        );
    }
}
