//! EDC: the CRC-32/CD-ROM-EDC error detection code (spec/cd-format.md §3.7).
//!
//! Polynomial `0x8001801B` processed reflected (`0xD8018001`), init 0,
//! xorout 0; the value is stored least-significant byte first. The
//! implementation is table-driven, slice-by-16.

/// The reflected generator polynomial.
pub const POLY_REFLECTED: u32 = 0xD801_8001;

const fn make_tables() -> [[u32; 256]; 16] {
    let mut t = [[0u32; 256]; 16];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ POLY_REFLECTED
            } else {
                c >> 1
            };
            k += 1;
        }
        t[0][i] = c;
        i += 1;
    }
    let mut s = 1;
    while s < 16 {
        let mut i = 0;
        while i < 256 {
            let prev = t[s - 1][i];
            t[s][i] = (prev >> 8) ^ t[0][(prev & 0xFF) as usize];
            i += 1;
        }
        s += 1;
    }
    t
}

static TABLES: [[u32; 256]; 16] = make_tables();

/// The byte-wise EDC table `T[i]` (spec §3.7).
pub fn table() -> &'static [u32; 256] {
    &TABLES[0]
}

/// Continues an EDC computation: `crc` is the value over the bytes before
/// `data` (0 to start).
pub fn edc_update(mut crc: u32, data: &[u8]) -> u32 {
    let t = &TABLES;
    let mut chunks = data.chunks_exact(16);
    for c in &mut chunks {
        let a = u32::from_le_bytes([c[0], c[1], c[2], c[3]]) ^ crc;
        let b = u32::from_le_bytes([c[4], c[5], c[6], c[7]]);
        let d = u32::from_le_bytes([c[8], c[9], c[10], c[11]]);
        let e = u32::from_le_bytes([c[12], c[13], c[14], c[15]]);
        crc = t[15][(a & 0xFF) as usize]
            ^ t[14][((a >> 8) & 0xFF) as usize]
            ^ t[13][((a >> 16) & 0xFF) as usize]
            ^ t[12][(a >> 24) as usize]
            ^ t[11][(b & 0xFF) as usize]
            ^ t[10][((b >> 8) & 0xFF) as usize]
            ^ t[9][((b >> 16) & 0xFF) as usize]
            ^ t[8][(b >> 24) as usize]
            ^ t[7][(d & 0xFF) as usize]
            ^ t[6][((d >> 8) & 0xFF) as usize]
            ^ t[5][((d >> 16) & 0xFF) as usize]
            ^ t[4][(d >> 24) as usize]
            ^ t[3][(e & 0xFF) as usize]
            ^ t[2][((e >> 8) & 0xFF) as usize]
            ^ t[1][((e >> 16) & 0xFF) as usize]
            ^ t[0][(e >> 24) as usize];
    }
    for &b in chunks.remainder() {
        crc = t[0][((crc ^ b as u32) & 0xFF) as usize] ^ (crc >> 8);
    }
    crc
}

/// The EDC (CRC-32/CD-ROM-EDC) of `data`. Store it with `to_le_bytes`.
pub fn edc(data: &[u8]) -> u32 {
    edc_update(0, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bitwise(data: &[u8]) -> u32 {
        let mut c = 0u32;
        for &b in data {
            c ^= b as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    (c >> 1) ^ POLY_REFLECTED
                } else {
                    c >> 1
                };
            }
        }
        c
    }

    #[test]
    fn check_value_123456789() {
        // spec §3.7 / §11.1
        assert_eq!(edc(b"123456789"), 0x6EC2_EDC4);
    }

    #[test]
    fn table_head_matches_spec() {
        assert_eq!(
            &table()[..8],
            &[
                0x0000_0000,
                0x9091_0101,
                0x9121_0201,
                0x01B0_0300,
                0x9241_0401,
                0x02D0_0500,
                0x0360_0600,
                0x93F1_0701
            ]
        );
    }

    #[test]
    fn slice_by_16_equals_bitwise_for_all_lengths() {
        let data: Vec<u8> = (0..300u32).map(|i| (i * 37 + 11) as u8).collect();
        for len in 0..data.len() {
            assert_eq!(edc(&data[..len]), bitwise(&data[..len]), "len {len}");
        }
        let (a, b) = data.split_at(123);
        assert_eq!(edc_update(edc(a), b), edc(&data));
    }
}
