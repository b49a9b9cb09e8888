//! READ TOC format 4, ATIP (mmc.md §2.6): 4-byte header + descriptor; 28
//! bytes as cdrdao reads it, 32 with the S4 values of MMC-3+ drives.

use crate::mmc::field::{self, check_len};
use crate::mmc::Result;
use crate::msf::Msf;

use super::{msf_at, set_msf_at};

/// Length of the response this crate emits (header + 24).
pub const LEN: usize = 28;

/// Decoded ATIP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Atip {
    /// Byte 4 b6-4: indicative target writing power.
    pub writing_power: u8,
    /// Byte 4 b2-0: reference speed.
    pub reference_speed: u8,
    /// Byte 5 b6: URU (unrestricted use disc).
    pub uru: bool,
    /// Byte 6 b6: disc type (false CD-R, true CD-RW).
    pub cd_rw: bool,
    /// Byte 6 b5-3: disc sub-type.
    pub sub_type: u8,
    /// Bytes 8-10: start time of lead-in (binary MSF, 97:xx:xx typical).
    pub lead_in_start: Msf,
    /// Bytes 12-14: last possible start time of lead-out.
    pub last_possible_lead_out: Msf,
    /// Bytes 16-18: A1 values, when valid (byte 6 b2).
    pub a1: Option<[u8; 3]>,
    /// Bytes 20-22: A2 values, when valid (byte 6 b1).
    pub a2: Option<[u8; 3]>,
    /// Bytes 24-26: A3 values, when valid (byte 6 b0).
    pub a3: Option<[u8; 3]>,
}

impl Atip {
    /// Parses a response of at least 15 bytes (through the lead-out MSF);
    /// A1-A3 read only when present.
    pub fn parse(b: &[u8]) -> Result<Atip> {
        check_len(b, 15)?;
        let avail = (usize::from(field::be16(&b[0..2])) + 2).min(b.len());
        let three = |at: usize, valid: bool| -> Option<[u8; 3]> {
            if !valid || at + 3 > avail {
                return None;
            }
            Some([b[at], b[at + 1], b[at + 2]])
        };
        Ok(Atip {
            writing_power: (b[4] >> 4) & 7,
            reference_speed: b[4] & 7,
            uru: field::bit(b[5], 6),
            cd_rw: field::bit(b[6], 6),
            sub_type: (b[6] >> 3) & 7,
            lead_in_start: msf_at(b, 8),
            last_possible_lead_out: msf_at(b, 12),
            a1: three(16, field::bit(b[6], 2)),
            a2: three(20, field::bit(b[6], 1)),
            a3: three(24, field::bit(b[6], 0)),
        })
    }

    /// The 28-byte response.
    pub fn to_bytes(&self) -> [u8; LEN] {
        let mut b = [0u8; LEN];
        field::set_be16(&mut b[0..2], (LEN - 2) as u16);
        b[4] = 0x80 | ((self.writing_power & 7) << 4) | (self.reference_speed & 7);
        b[5] = u8::from(self.uru) << 6;
        b[6] = 0x80
            | (u8::from(self.cd_rw) << 6)
            | ((self.sub_type & 7) << 3)
            | (u8::from(self.a1.is_some()) << 2)
            | (u8::from(self.a2.is_some()) << 1)
            | u8::from(self.a3.is_some());
        set_msf_at(&mut b, 8, self.lead_in_start);
        set_msf_at(&mut b, 12, self.last_possible_lead_out);
        for (at, v) in [(16, self.a1), (20, self.a2), (24, self.a3)] {
            if let Some(v) = v {
                b[at..at + 3].copy_from_slice(&v);
            }
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmc::param::h;

    // CD-R, power 5, URU, A1 valid, lead-in 97:34:23 (CDEmu's 0x61:0x22:0x17),
    // last possible lead-out 79:59:74.
    const CDR: &str = "00 1a 00 00 d0 40 84 00 61 22 17 00 4f 3b 4a 00
        16 50 00 00 00 00 00 00 00 00 00 00";

    fn cdr() -> Atip {
        Atip {
            writing_power: 5,
            reference_speed: 0,
            uru: true,
            cd_rw: false,
            sub_type: 0,
            lead_in_start: Msf {
                minute: 97,
                second: 34,
                frame: 23,
            },
            last_possible_lead_out: Msf {
                minute: 79,
                second: 59,
                frame: 74,
            },
            a1: Some([0x16, 0x50, 0x00]),
            a2: None,
            a3: None,
        }
    }

    #[test]
    fn test_deconstruct_atip() {
        let a = Atip::parse(&h(CDR)).unwrap();
        assert_eq!(a, cdr());
        assert_eq!(a.lead_in_start.to_lba(), -11077);
    }

    #[test]
    fn test_construct_atip() {
        assert_eq!(cdr().to_bytes().to_vec(), h(CDR));
    }

    #[test]
    fn test_wodim_four_byte_header_is_truncated() {
        assert!(Atip::parse(&h("00 1a 00 00")).is_err());
    }
}
