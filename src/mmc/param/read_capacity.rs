//! READ CAPACITY data (mmc.md §2.7): last readable LBA and block length.

use crate::mmc::field::{self, check_len};
use crate::mmc::Result;

/// Response length.
pub const LEN: usize = 8;

/// Decoded READ CAPACITY data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct CapacityData {
    /// Bytes 0-3: LBA of the last readable block (signed).
    pub last_lba: i32,
    /// Bytes 4-7: block length (2048).
    pub block_length: u32,
}

impl CapacityData {
    /// Parses 8 bytes.
    pub fn parse(b: &[u8]) -> Result<CapacityData> {
        check_len(b, LEN)?;
        Ok(CapacityData {
            last_lba: field::be_i32(&b[0..4]),
            block_length: field::be32(&b[4..8]),
        })
    }

    /// The 8 bytes.
    pub fn to_bytes(&self) -> [u8; LEN] {
        let mut b = [0u8; LEN];
        field::set_be_i32(&mut b[0..4], self.last_lba);
        field::set_be32(&mut b[4..8], self.block_length);
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_literal() {
        // Lead-out at 825 → last readable block 824, 2048-byte blocks.
        let b = [0, 0, 0x03, 0x38, 0, 0, 0x08, 0];
        let c = CapacityData::parse(&b).unwrap();
        assert_eq!(
            c,
            CapacityData {
                last_lba: 824,
                block_length: 2048
            }
        );
        assert_eq!(c.to_bytes(), b);
    }
}
