//! The ECMA-130 Annex B scrambler (spec/cd-format.md §3.9).
//!
//! A 15-bit LFSR (x^15 + x + 1, preset to 1 at every sector) produces a fixed
//! 2340-byte key that is XORed onto bytes 12..2351 of every data sector; the
//! sync is never scrambled. Scrambling is its own inverse.

use super::SECTOR_SIZE;

/// Bytes of the scrambler key (sector bytes 12..2351).
pub const KEY_SIZE: usize = 2340;

/// First sector byte the key applies to (the header; the sync is skipped).
pub const SCRAMBLE_START: usize = 12;

const fn make_key() -> [u8; KEY_SIZE] {
    let mut key = [0u8; KEY_SIZE];
    let mut reg: u32 = 1;
    let mut i = 0;
    while i < KEY_SIZE {
        let mut byte = 0u8;
        let mut bit = 0;
        while bit < 8 {
            byte |= ((reg & 1) as u8) << bit;
            let feedback = (reg ^ (reg >> 1)) & 1;
            reg = (reg >> 1) | (feedback << 14);
            bit += 1;
        }
        key[i] = byte;
        i += 1;
    }
    key
}

static KEY: [u8; KEY_SIZE] = make_key();

/// The 2340-byte scrambler key, applied to sector bytes 12..2351.
pub fn key() -> &'static [u8; KEY_SIZE] {
    &KEY
}

/// Scrambles (or descrambles — the operation is self-inverse) a data sector
/// in place: XORs the key onto bytes 12..2351, eight bytes at a time.
pub fn scramble(sector: &mut [u8; SECTOR_SIZE]) {
    let body = &mut sector[SCRAMBLE_START..];
    let mut data = body.chunks_exact_mut(8);
    let mut key = KEY.chunks_exact(8);
    for (d, k) in (&mut data).zip(&mut key) {
        let x = u64::from_le_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
            ^ u64::from_le_bytes([k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7]]);
        d.copy_from_slice(&x.to_le_bytes());
    }
    for (d, k) in data.into_remainder().iter_mut().zip(key.remainder()) {
        *d ^= k;
    }
}

/// Descrambles a data sector in place; identical to [`scramble`].
pub fn descramble(sector: &mut [u8; SECTOR_SIZE]) {
    scramble(sector)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn key_matches_spec_vectors() {
        assert_eq!(
            &key()[..32],
            &[
                0x01, 0x80, 0x00, 0x60, 0x00, 0x28, 0x00, 0x1E, 0x80, 0x08, 0x60, 0x06, 0xA8, 0x02,
                0xFE, 0x81, 0x80, 0x60, 0x60, 0x28, 0x28, 0x1E, 0x9E, 0x88, 0x68, 0x66, 0xAE, 0xAA,
                0xFC, 0x7F, 0x01, 0xE0
            ]
        );
        assert_eq!(
            &key()[KEY_SIZE - 8..],
            &[0xF6, 0xC4, 0x46, 0xD3, 0x72, 0xDD, 0xE5, 0x99]
        );
        assert_eq!(
            hex(&Sha256::digest(key())),
            "12e23b47b7728bbf5fb5c8e36a3aa7040df6e6586f1cc5e35a9eafd83fedd4b6"
        );
    }

    #[test]
    fn scramble_xors_key_after_sync_and_is_self_inverse() {
        let mut s = [0u8; SECTOR_SIZE];
        for (i, b) in s.iter_mut().enumerate() {
            *b = (i * 7) as u8;
        }
        let orig = s;
        scramble(&mut s);
        assert_eq!(&s[..12], &orig[..12]);
        for i in 12..SECTOR_SIZE {
            assert_eq!(s[i], orig[i] ^ key()[i - 12], "byte {i}");
        }
        descramble(&mut s);
        assert_eq!(s, orig);
    }
}
