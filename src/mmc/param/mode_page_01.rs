//! Mode page 01h, Read/Write Error Recovery (libburn reads it): byte 2
//! flags (AWRE, ARRE, TB, RC, PER, DTE, DCR), byte 3 read retry count,
//! byte 8 write retry count, bytes 10-11 recovery time limit.

use crate::mmc::field::{self, check_len};
use crate::mmc::Result;

/// Page code.
pub const PAGE_CODE: u8 = 0x01;
/// Page length byte (10 data bytes).
pub const PAGE_LENGTH: u8 = 0x0a;

/// Page 01 decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct ErrorRecovery {
    /// Byte 2 flags.
    pub flags: u8,
    /// Byte 3 read retry count.
    pub read_retry_count: u8,
    /// Byte 8 write retry count.
    pub write_retry_count: u8,
    /// Bytes 10-11 recovery time limit.
    pub recovery_time_limit: u16,
}

impl ErrorRecovery {
    /// Parses the page including its header (needs ≥ 4 bytes).
    pub fn parse(b: &[u8]) -> Result<ErrorRecovery> {
        check_len(b, 4)?;
        let mut f = [0u8; 12];
        let n = b.len().min(12).min(usize::from(b[1]) + 2);
        f[..n].copy_from_slice(&b[..n]);
        Ok(ErrorRecovery {
            flags: f[2],
            read_retry_count: f[3],
            write_retry_count: f[8],
            recovery_time_limit: field::be16(&f[10..12]),
        })
    }

    /// The 12-byte page.
    pub fn to_bytes(&self) -> [u8; 12] {
        let mut b = [0u8; 12];
        b[0] = PAGE_CODE;
        b[1] = PAGE_LENGTH;
        b[2] = self.flags;
        b[3] = self.read_retry_count;
        b[8] = self.write_retry_count;
        field::set_be16(&mut b[10..12], self.recovery_time_limit);
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmc::param::h;

    #[test]
    fn test_literal_page() {
        let b = h("01 0a 80 05 00 00 00 00 03 00 00 00");
        let p = ErrorRecovery::parse(&b).unwrap();
        assert_eq!(
            p,
            ErrorRecovery {
                flags: 0x80,
                read_retry_count: 5,
                write_retry_count: 3,
                recovery_time_limit: 0
            }
        );
        assert_eq!(p.to_bytes().to_vec(), b);
    }
}
