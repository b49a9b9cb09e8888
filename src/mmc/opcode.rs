//! Operation codes (gimli `dw!` style): an open code space with named
//! constants. Unknown or vendor codes print as `OpCode(0xNN)`.

use core::fmt;

/// A SCSI/MMC operation code (CDB byte 0).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(transparent)]
pub struct OpCode(pub u8);

macro_rules! opcodes {
    ($($(#[doc = $doc:literal])* $name:ident = $val:literal, $text:literal;)*) => {
        impl OpCode {
            $(
                $(#[doc = $doc])*
                pub const $name: OpCode = OpCode($val);
            )*

            /// The spec name (`"WRITE(10)"`), or `None` for an unknown code.
            pub fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($val => Some($text),)*
                    _ => None,
                }
            }

            /// Every opcode this module names, in numeric order.
            pub const ALL: &'static [OpCode] = &[$(OpCode::$name),*];
        }
    };
}

opcodes! {
    /// TEST UNIT READY (00h).
    TEST_UNIT_READY = 0x00, "TEST UNIT READY";
    /// REZERO UNIT (01h, obsolete).
    REZERO_UNIT = 0x01, "REZERO UNIT";
    /// REQUEST SENSE (03h).
    REQUEST_SENSE = 0x03, "REQUEST SENSE";
    /// FORMAT UNIT (04h).
    FORMAT_UNIT = 0x04, "FORMAT UNIT";
    /// INQUIRY (12h).
    INQUIRY = 0x12, "INQUIRY";
    /// MODE SELECT(6) (15h).
    MODE_SELECT_6 = 0x15, "MODE SELECT(6)";
    /// MODE SENSE(6) (1Ah).
    MODE_SENSE_6 = 0x1a, "MODE SENSE(6)";
    /// START STOP UNIT (1Bh).
    START_STOP_UNIT = 0x1b, "START STOP UNIT";
    /// PREVENT ALLOW MEDIUM REMOVAL (1Eh).
    PREVENT_ALLOW_MEDIUM_REMOVAL = 0x1e, "PREVENT ALLOW MEDIUM REMOVAL";
    /// READ CAPACITY (25h).
    READ_CAPACITY = 0x25, "READ CAPACITY";
    /// READ(10) (28h).
    READ_10 = 0x28, "READ(10)";
    /// WRITE(10) (2Ah).
    WRITE_10 = 0x2a, "WRITE(10)";
    /// SYNCHRONIZE CACHE (35h).
    SYNCHRONIZE_CACHE = 0x35, "SYNCHRONIZE CACHE";
    /// READ BUFFER (3Ch).
    READ_BUFFER = 0x3c, "READ BUFFER";
    /// READ SUB-CHANNEL (42h).
    READ_SUB_CHANNEL = 0x42, "READ SUB-CHANNEL";
    /// READ TOC/PMA/ATIP (43h).
    READ_TOC = 0x43, "READ TOC/PMA/ATIP";
    /// GET CONFIGURATION (46h).
    GET_CONFIGURATION = 0x46, "GET CONFIGURATION";
    /// GET EVENT STATUS NOTIFICATION (4Ah).
    GET_EVENT_STATUS_NOTIFICATION = 0x4a, "GET EVENT STATUS NOTIFICATION";
    /// READ DISC INFORMATION (51h).
    READ_DISC_INFORMATION = 0x51, "READ DISC INFORMATION";
    /// READ TRACK INFORMATION (52h).
    READ_TRACK_INFORMATION = 0x52, "READ TRACK INFORMATION";
    /// SEND OPC INFORMATION (54h).
    SEND_OPC_INFORMATION = 0x54, "SEND OPC INFORMATION";
    /// MODE SELECT(10) (55h).
    MODE_SELECT_10 = 0x55, "MODE SELECT(10)";
    /// MODE SENSE(10) (5Ah).
    MODE_SENSE_10 = 0x5a, "MODE SENSE(10)";
    /// CLOSE TRACK/SESSION (5Bh).
    CLOSE_TRACK_SESSION = 0x5b, "CLOSE TRACK/SESSION";
    /// READ BUFFER CAPACITY (5Ch).
    READ_BUFFER_CAPACITY = 0x5c, "READ BUFFER CAPACITY";
    /// SEND CUE SHEET (5Dh).
    SEND_CUE_SHEET = 0x5d, "SEND CUE SHEET";
    /// BLANK (A1h).
    BLANK = 0xa1, "BLANK";
    /// WRITE(12) (AAh).
    WRITE_12 = 0xaa, "WRITE(12)";
    /// GET PERFORMANCE (ACh).
    GET_PERFORMANCE = 0xac, "GET PERFORMANCE";
    /// SET STREAMING (B6h).
    SET_STREAMING = 0xb6, "SET STREAMING";
    /// READ CD MSF (B9h).
    READ_CD_MSF = 0xb9, "READ CD MSF";
    /// SET CD SPEED (BBh).
    SET_CD_SPEED = 0xbb, "SET CD SPEED";
    /// MECHANISM STATUS (BDh).
    MECHANISM_STATUS = 0xbd, "MECHANISM STATUS";
    /// READ CD (BEh).
    READ_CD = 0xbe, "READ CD";
}

impl OpCode {
    /// CDB length implied by the opcode group (mmc.md §0): 6, 10, 12 or 16;
    /// `None` for the reserved/vendor groups.
    pub fn cdb_len(self) -> Option<usize> {
        match self.0 >> 5 {
            0 => Some(6),
            1 | 2 => Some(10),
            4 => Some(16),
            5 => Some(12),
            _ => None,
        }
    }
}

impl From<u8> for OpCode {
    fn from(v: u8) -> Self {
        OpCode(v)
    }
}

impl From<OpCode> for u8 {
    fn from(v: OpCode) -> Self {
        v.0
    }
}

impl fmt::Display for OpCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "OpCode(0x{:02X})", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_display_known_and_unknown() {
        assert_eq!(OpCode::WRITE_10.to_string(), "WRITE(10)");
        assert_eq!(OpCode(0xc7).to_string(), "OpCode(0xC7)");
    }

    #[test]
    fn test_cdb_len_by_group() {
        assert_eq!(OpCode::INQUIRY.cdb_len(), Some(6));
        assert_eq!(OpCode::MODE_SENSE_10.cdb_len(), Some(10));
        assert_eq!(OpCode::READ_CD.cdb_len(), Some(12));
        assert_eq!(OpCode(0xc0).cdb_len(), None);
    }
}
