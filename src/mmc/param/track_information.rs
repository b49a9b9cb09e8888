//! READ TRACK INFORMATION data (mmc.md §2.5). MMC-3 drives return 36 bytes
//! (length field 34); parsing honours the length field and any truncation.

use crate::mmc::field::{self, check_len};
use crate::mmc::Result;

/// Length this crate emits (MMC-3 block).
pub const LEN: usize = 36;

/// Decoded track information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct TrackInformation {
    /// Track number (bytes 32/2).
    pub track_number: u16,
    /// Session number (bytes 33/3).
    pub session_number: u16,
    /// Byte 5 b5 Damage.
    pub damage: bool,
    /// Byte 5 b4 Copy.
    pub copy: bool,
    /// Byte 5 b3-0 track mode (CONTROL nibble).
    pub track_mode: u8,
    /// Byte 6 b7 RT (reserved track).
    pub rt: bool,
    /// Byte 6 b6 Blank.
    pub blank: bool,
    /// Byte 6 b5 Packet/Inc.
    pub packet: bool,
    /// Byte 6 b4 FP.
    pub fp: bool,
    /// Byte 6 b3-0 data mode (1, 2, 0xF unknown).
    pub data_mode: u8,
    /// Byte 7 b1 LRA_V.
    pub lra_v: bool,
    /// Byte 7 b0 NWA_V.
    pub nwa_v: bool,
    /// Bytes 8-11 track start address.
    pub start: i32,
    /// Bytes 12-15 next writable address (signed).
    pub next_writable: i32,
    /// Bytes 16-19 free blocks.
    pub free_blocks: u32,
    /// Bytes 20-23 fixed packet size / blocking factor.
    pub packet_size: u32,
    /// Bytes 24-27 track size.
    pub track_size: u32,
    /// Bytes 28-31 last recorded address.
    pub last_recorded: i32,
}

impl TrackInformation {
    /// The NWA when cdrdao would accept it (Blank, NWA_V, not RT/packet/FP).
    pub fn usable_nwa(&self) -> Option<i32> {
        (self.blank && self.nwa_v && !self.rt && !self.packet && !self.fp)
            .then_some(self.next_writable)
    }

    /// Parses at least 8 bytes; missing fields read as zero.
    pub fn parse(b: &[u8]) -> Result<TrackInformation> {
        check_len(b, 8)?;
        let avail = (usize::from(field::be16(&b[0..2])) + 2).min(b.len());
        let mut f = [0u8; LEN];
        let n = avail.min(LEN);
        f[..n].copy_from_slice(&b[..n]);
        Ok(TrackInformation {
            track_number: u16::from_be_bytes([f[32], f[2]]),
            session_number: u16::from_be_bytes([f[33], f[3]]),
            damage: field::bit(f[5], 5),
            copy: field::bit(f[5], 4),
            track_mode: f[5] & 0x0f,
            rt: field::bit(f[6], 7),
            blank: field::bit(f[6], 6),
            packet: field::bit(f[6], 5),
            fp: field::bit(f[6], 4),
            data_mode: f[6] & 0x0f,
            lra_v: field::bit(f[7], 1),
            nwa_v: field::bit(f[7], 0),
            start: field::be_i32(&f[8..12]),
            next_writable: field::be_i32(&f[12..16]),
            free_blocks: field::be32(&f[16..20]),
            packet_size: field::be32(&f[20..24]),
            track_size: field::be32(&f[24..28]),
            last_recorded: field::be_i32(&f[28..32]),
        })
    }

    /// The 36-byte response.
    pub fn to_bytes(&self) -> [u8; LEN] {
        let mut b = [0u8; LEN];
        field::set_be16(&mut b[0..2], (LEN - 2) as u16);
        let [t_hi, t_lo] = self.track_number.to_be_bytes();
        let [s_hi, s_lo] = self.session_number.to_be_bytes();
        (b[2], b[3], b[32], b[33]) = (t_lo, s_lo, t_hi, s_hi);
        b[5] = (u8::from(self.damage) << 5) | (u8::from(self.copy) << 4) | (self.track_mode & 0x0f);
        b[6] = (u8::from(self.rt) << 7)
            | (u8::from(self.blank) << 6)
            | (u8::from(self.packet) << 5)
            | (u8::from(self.fp) << 4)
            | (self.data_mode & 0x0f);
        b[7] = (u8::from(self.lra_v) << 1) | u8::from(self.nwa_v);
        field::set_be_i32(&mut b[8..12], self.start);
        field::set_be_i32(&mut b[12..16], self.next_writable);
        field::set_be32(&mut b[16..20], self.free_blocks);
        field::set_be32(&mut b[20..24], self.packet_size);
        field::set_be32(&mut b[24..28], self.track_size);
        field::set_be_i32(&mut b[28..32], self.last_recorded);
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmc::param::h;
    use proptest::prelude::*;

    // Invisible track of a blank CD-R with write type RAW (mmc.md §2.5 defaults):
    // track 1, session 1, mode 7, Blank, data mode 1, NWA_V, NWA = -11634,
    // free blocks 359849.
    const RAW_INVISIBLE: &str = "00 22 01 01 00 07 41 01 00 00 00 00 ff ff d2 8e
        00 05 7d a9 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00";

    fn raw_invisible() -> TrackInformation {
        TrackInformation {
            track_number: 1,
            session_number: 1,
            track_mode: 7,
            blank: true,
            data_mode: 1,
            nwa_v: true,
            next_writable: -11634,
            free_blocks: 359849,
            ..Default::default()
        }
    }

    #[test]
    fn test_deconstruct_raw_invisible_track() {
        let t = TrackInformation::parse(&h(RAW_INVISIBLE)).unwrap();
        assert_eq!(t, raw_invisible());
        assert_eq!(t.usable_nwa(), Some(-11634));
    }

    #[test]
    fn test_construct_raw_invisible_track() {
        assert_eq!(raw_invisible().to_bytes().to_vec(), h(RAW_INVISIBLE));
    }

    #[test]
    fn test_libburn_twenty_byte_read() {
        let t = TrackInformation::parse(&h(RAW_INVISIBLE)[..20]).unwrap();
        assert_eq!(t.next_writable, -11634);
        assert_eq!(t.track_size, 0);
    }

    proptest! {
        #[test]
        fn round_trip(t in any::<(u8, u8, u8, u8, bool, bool, i32, i32, u32)>()) {
            let repr = TrackInformation {
                track_number: t.0.into(), session_number: t.1.into(), track_mode: t.2 & 15,
                data_mode: t.3 & 15, blank: t.4, nwa_v: t.5, start: t.6, next_writable: t.7,
                free_blocks: t.8, ..Default::default()
            };
            prop_assert_eq!(TrackInformation::parse(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(b in proptest::collection::vec(any::<u8>(), 0..48)) {
            let _ = TrackInformation::parse(&b);
        }
    }
}
