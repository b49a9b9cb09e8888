//! CRC-16 of the Q channel and of CD-Text packs (spec/cd-format.md §4.3,
//! §6.1): polynomial x^16+x^12+x^5+1 (0x1021), MSB first, init 0x0000, not
//! reflected. The raw CRC is [`crc16`]; on disc it is stored inverted and
//! big-endian ([`stored`]), which as a whole is the catalogued CRC-16/GSM.

/// The CRC polynomial (x^16+x^12+x^5+1).
pub const POLY: u16 = 0x1021;

/// Byte-at-a-time table: `TABLE[b]` is the CRC register after shifting `b`
/// through a zero register. Starts `0000 1021 2042 3063`.
pub const TABLE: [u16; 256] = build_table();

const fn build_table() -> [u16; 256] {
    let mut table = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = (i as u16) << 8;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ POLY
            } else {
                crc << 1
            };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
}

/// CRC-16 (poly 0x1021, MSB first, init 0, **not** inverted) of `data`.
///
/// The Q channel and CD-Text packs store `!crc16(..)` big-endian.
pub fn crc16(data: &[u8]) -> u16 {
    data.iter().fold(0u16, |crc, &b| {
        (crc << 8) ^ TABLE[usize::from((crc >> 8) as u8 ^ b)]
    })
}

/// The two CRC bytes as stored on disc after `data`: `!crc16(data)`,
/// high byte first.
pub fn stored(data: &[u8]) -> [u8; 2] {
    (!crc16(data)).to_be_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc16_gsm_check_value_matches_catalogue() {
        // spec §11.2: CRC-16/GSM("123456789") = 0xCE3C (the inverted form).
        assert_eq!(!crc16(b"123456789"), 0xCE3C);
        assert_eq!(stored(b"123456789"), [0xCE, 0x3C]);
        assert_eq!(crc16(b"123456789"), 0x31C3);
    }

    #[test]
    fn crc_table_starts_as_in_spec() {
        assert_eq!(&TABLE[..4], &[0x0000, 0x1021, 0x2042, 0x3063]);
    }

    #[test]
    fn crc16_of_empty_input_is_zero() {
        assert_eq!(crc16(&[]), 0);
        assert_eq!(stored(&[]), [0xFF, 0xFF]);
    }
}
