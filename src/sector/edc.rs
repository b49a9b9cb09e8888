//! EDC: the CRC-32/CD-ROM-EDC error detection code (spec/cd-format.md §3.7).
//!
//! Polynomial `0x8001801B` processed reflected (`0xD8018001`), init 0,
//! xorout 0; the value is stored least-significant byte first. The
//! implementation is table-driven, slice-by-8.

/// The reflected generator polynomial.
pub const POLY_REFLECTED: u32 = 0xD801_8001;

const fn make_tables() -> [[u32; 256]; 8] {
    let mut t = [[0u32; 256]; 8];
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
    while s < 8 {
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

static TABLES: [[u32; 256]; 8] = make_tables();

/// The byte-wise EDC table `T[i]` (spec §3.7).
pub fn table() -> &'static [u32; 256] {
    &TABLES[0]
}

/// Continues an EDC computation: `crc` is the value over the bytes before
/// `data` (0 to start).
pub fn edc_update(mut crc: u32, data: &[u8]) -> u32 {
    let t = &TABLES;
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let lo = u32::from_le_bytes([c[0], c[1], c[2], c[3]]) ^ crc;
        let hi = u32::from_le_bytes([c[4], c[5], c[6], c[7]]);
        crc = t[7][(lo & 0xFF) as usize]
            ^ t[6][((lo >> 8) & 0xFF) as usize]
            ^ t[5][((lo >> 16) & 0xFF) as usize]
            ^ t[4][(lo >> 24) as usize]
            ^ t[3][(hi & 0xFF) as usize]
            ^ t[2][((hi >> 8) & 0xFF) as usize]
            ^ t[1][((hi >> 16) & 0xFF) as usize]
            ^ t[0][(hi >> 24) as usize];
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
    fn slice_by_8_equals_bitwise_for_all_lengths() {
        let data: Vec<u8> = (0..300u32).map(|i| (i * 37 + 11) as u8).collect();
        for len in 0..data.len() {
            assert_eq!(edc(&data[..len]), bitwise(&data[..len]), "len {len}");
        }
        let (a, b) = data.split_at(123);
        assert_eq!(edc_update(edc(a), b), edc(&data));
    }
}
