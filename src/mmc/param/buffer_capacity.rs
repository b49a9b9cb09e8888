//! READ BUFFER CAPACITY data (mmc.md §2.10): 12 bytes, total and free bytes
//! (or free blocks when the CDB's Block bit is set).

use crate::mmc::field::{self, check_len};
use crate::mmc::Result;

/// Response length.
pub const LEN: usize = 12;

/// Decoded buffer capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct BufferCapacity {
    /// Byte 3 b0: values are in blocks.
    pub block: bool,
    /// Bytes 4-7: buffer length in bytes (0 in block mode).
    pub length: u32,
    /// Bytes 8-11: blank (free) bytes, or available blocks.
    pub available: u32,
}

impl BufferCapacity {
    /// Parses 12 bytes.
    pub fn parse(b: &[u8]) -> Result<BufferCapacity> {
        check_len(b, LEN)?;
        Ok(BufferCapacity {
            block: field::bit(b[3], 0),
            length: field::be32(&b[4..8]),
            available: field::be32(&b[8..12]),
        })
    }

    /// Fill ratio 0.0..=1.0 (byte mode), `None` if the length is 0.
    pub fn fill(&self) -> Option<f64> {
        (!self.block && self.length > 0)
            .then(|| 1.0 - f64::from(self.available.min(self.length)) / f64::from(self.length))
    }

    /// The 12 bytes (data length 10).
    pub fn to_bytes(&self) -> [u8; LEN] {
        let mut b = [0u8; LEN];
        b[1] = 10;
        b[3] = u8::from(self.block);
        field::set_be32(&mut b[4..8], self.length);
        field::set_be32(&mut b[8..12], self.available);
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmc::param::h;

    #[test]
    fn test_literal_two_mib_half_full() {
        let b = h("00 0a 00 00 00 20 00 00 00 10 00 00");
        let c = BufferCapacity::parse(&b).unwrap();
        assert_eq!(
            c,
            BufferCapacity {
                block: false,
                length: 2 << 20,
                available: 1 << 20
            }
        );
        assert_eq!(c.fill(), Some(0.5));
        assert_eq!(c.to_bytes().to_vec(), b);
    }
}
