//! Byte-range helpers shared by every view (smoltcp `wire::field`).
//!
//! All multi-byte MMC fields are big-endian (mmc.md §0). These helpers index
//! the slice directly; views call them only after `new_checked` (or a length
//! check) proved the range exists.

/// A byte range inside a CDB or a parameter block.
pub type Field = core::ops::Range<usize>;
/// The bytes from an offset to the end.
pub type Rest = core::ops::RangeFrom<usize>;

/// Reads a big-endian `u16` from the first two bytes.
pub fn be16(b: &[u8]) -> u16 {
    u16::from_be_bytes([b[0], b[1]])
}

/// Reads a big-endian 24-bit value from the first three bytes.
pub fn be24(b: &[u8]) -> u32 {
    u32::from_be_bytes([0, b[0], b[1], b[2]])
}

/// Reads a big-endian `u32` from the first four bytes.
pub fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// Reads a big-endian two's-complement `i32` (an MMC LBA).
pub fn be_i32(b: &[u8]) -> i32 {
    i32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// Writes a big-endian `u16` into the first two bytes.
pub fn set_be16(b: &mut [u8], v: u16) {
    b[..2].copy_from_slice(&v.to_be_bytes());
}

/// Writes the low 24 bits of `v` big-endian into the first three bytes.
pub fn set_be24(b: &mut [u8], v: u32) {
    b[..3].copy_from_slice(&v.to_be_bytes()[1..]);
}

/// Writes a big-endian `u32` into the first four bytes.
pub fn set_be32(b: &mut [u8], v: u32) {
    b[..4].copy_from_slice(&v.to_be_bytes());
}

/// Writes a big-endian two's-complement `i32` into the first four bytes.
pub fn set_be_i32(b: &mut [u8], v: i32) {
    b[..4].copy_from_slice(&v.to_be_bytes());
}

/// Returns bit `bit` of `byte`.
pub fn bit(byte: u8, bit: u8) -> bool {
    byte & (1 << bit) != 0
}

/// Sets or clears bit `bit` in `byte`.
pub fn set_bit(byte: &mut u8, bit: u8, on: bool) {
    if on {
        *byte |= 1 << bit;
    } else {
        *byte &= !(1 << bit);
    }
}

/// Returns `b` when it holds at least `need` bytes, else a truncation error.
pub fn check_len(b: &[u8], need: usize) -> crate::mmc::Result<()> {
    if b.len() < need {
        Err(crate::mmc::Error::Truncated { need, len: b.len() })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_be_i32_reads_negative_lead_in_lba() {
        assert_eq!(be_i32(&[0xff, 0xff, 0xd2, 0x97]), -11625);
    }

    #[test]
    fn test_set_be24_writes_low_three_bytes() {
        let mut b = [0u8; 3];
        set_be24(&mut b, 0x0001_2345);
        assert_eq!(b, [0x01, 0x23, 0x45]);
    }
}
