//! READ DISC INFORMATION standard data (mmc.md §2.4): 34 bytes + OPC entries.
//! Bytes 16-19 and 20-23 carry binary MSF (byte 16/20 = 0); a finalized disc
//! reports FF:FF:FF.

use crate::mmc::field::{self, check_len};
use crate::mmc::Result;
use crate::msf::Msf;

use super::{msf_at, set_msf_at};

/// Length of the standard block without OPC entries.
pub const LEN: usize = 34;

enum_with_unknown! {
    /// Disc status (byte 2 b1-0).
    pub enum DiscStatus(u8) {
        /// 0: empty / blank.
        Empty = 0,
        /// 1: incomplete / appendable.
        Incomplete = 1,
        /// 2: complete / finalized.
        Complete = 2,
        /// 3: other (random-access media).
        Other = 3,
    }
}

enum_with_unknown! {
    /// State of the last session (byte 2 b3-2).
    pub enum SessionState(u8) {
        /// 0: empty.
        Empty = 0,
        /// 1: incomplete.
        Incomplete = 1,
        /// 2: reserved / damaged.
        Damaged = 2,
        /// 3: complete.
        Complete = 3,
    }
}

/// Decoded disc information.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DiscInformation {
    /// Byte 2 b7-5 information data type (0 standard).
    pub data_type: u8,
    /// Byte 2 b4: erasable (CD-RW).
    pub erasable: bool,
    /// Byte 2 b3-2.
    pub last_session_state: SessionState,
    /// Byte 2 b1-0.
    pub disc_status: DiscStatus,
    /// Byte 3: first track on disc.
    pub first_track: u8,
    /// Bytes 9/4: number of sessions.
    pub sessions: u16,
    /// Bytes 10/5: first track in last session.
    pub first_track_last_session: u16,
    /// Bytes 11/6: last track in last session.
    pub last_track_last_session: u16,
    /// Byte 7: DID_V, DBC_V, URU, DAC_V, Dbit, BG format (raw flags).
    pub flags: u8,
    /// Byte 8: disc type (0x00 CD-DA/CD-ROM, 0x10 CD-I, 0x20 XA, 0xFF undefined).
    pub disc_type: u8,
    /// Bytes 12-15: disc identification.
    pub disc_id: u32,
    /// Bytes 17-19: last session lead-in start (binary MSF).
    pub lead_in_start: Msf,
    /// Bytes 21-23: last possible lead-out start (binary MSF).
    pub last_possible_lead_out: Msf,
    /// Bytes 24-31: disc bar code.
    pub bar_code: [u8; 8],
    /// Byte 32: disc application code.
    pub application_code: u8,
    /// OPC entries (8 bytes each: speed kB/s + 6-byte value).
    pub opc: Vec<[u8; 8]>,
}

impl DiscInformation {
    /// URU flag (byte 7 b5).
    pub const URU: u8 = 0x20;

    /// Whether the URU (unrestricted use) bit is set.
    pub fn uru(&self) -> bool {
        self.flags & Self::URU != 0
    }

    /// Lead-in start as an LBA (negative on blank media), `None` for FF:FF:FF.
    pub fn lead_in_start_lba(&self) -> Option<i32> {
        (self.lead_in_start.minute != 0xff).then(|| self.lead_in_start.to_lba())
    }

    /// Last possible lead-out start as an LBA, `None` for FF:FF:FF.
    pub fn last_possible_lead_out_lba(&self) -> Option<i32> {
        (self.last_possible_lead_out.minute != 0xff)
            .then(|| self.last_possible_lead_out.to_program_lba())
    }

    /// Parses a (possibly truncated) response. At least 4 bytes are needed;
    /// missing later fields read as zero, the response's own length field
    /// bounds the OPC entries.
    pub fn parse(b: &[u8]) -> Result<DiscInformation> {
        check_len(b, 4)?;
        let avail = (usize::from(field::be16(&b[0..2])) + 2).min(b.len());
        let mut full = [0u8; LEN];
        let n = avail.min(LEN);
        full[..n].copy_from_slice(&b[..n]);
        let f = &full;
        let opc_count = usize::from(f[33]);
        let opc = b
            .get(LEN..avail)
            .unwrap_or(&[])
            .chunks_exact(8)
            .take(opc_count)
            .map(|c| {
                let mut e = [0u8; 8];
                e.copy_from_slice(c);
                e
            })
            .collect();
        let mut bar_code = [0u8; 8];
        bar_code.copy_from_slice(&f[24..32]);
        Ok(DiscInformation {
            data_type: f[2] >> 5,
            erasable: field::bit(f[2], 4),
            last_session_state: SessionState::from((f[2] >> 2) & 3),
            disc_status: DiscStatus::from(f[2] & 3),
            first_track: f[3],
            sessions: u16::from_be_bytes([f[9], f[4]]),
            first_track_last_session: u16::from_be_bytes([f[10], f[5]]),
            last_track_last_session: u16::from_be_bytes([f[11], f[6]]),
            flags: f[7],
            disc_type: f[8],
            disc_id: field::be32(&f[12..16]),
            lead_in_start: msf_at(f, 17),
            last_possible_lead_out: msf_at(f, 21),
            bar_code,
            application_code: f[32],
            opc,
        })
    }

    /// Bytes of the full response (34 + 8·OPC).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = vec![0u8; LEN + 8 * self.opc.len()];
        let len = (b.len() - 2) as u16;
        field::set_be16(&mut b[0..2], len);
        b[2] = (self.data_type << 5)
            | if self.erasable { 0x10 } else { 0 }
            | ((u8::from(self.last_session_state) & 3) << 2)
            | (u8::from(self.disc_status) & 3);
        b[3] = self.first_track;
        let [s_hi, s_lo] = self.sessions.to_be_bytes();
        let [f_hi, f_lo] = self.first_track_last_session.to_be_bytes();
        let [l_hi, l_lo] = self.last_track_last_session.to_be_bytes();
        (b[4], b[5], b[6]) = (s_lo, f_lo, l_lo);
        (b[9], b[10], b[11]) = (s_hi, f_hi, l_hi);
        b[7] = self.flags;
        b[8] = self.disc_type;
        field::set_be32(&mut b[12..16], self.disc_id);
        set_msf_at(&mut b, 17, self.lead_in_start);
        set_msf_at(&mut b, 21, self.last_possible_lead_out);
        b[24..32].copy_from_slice(&self.bar_code);
        b[32] = self.application_code;
        b[33] = self.opc.len().min(255) as u8;
        for (i, e) in self.opc.iter().enumerate() {
            b[LEN + 8 * i..LEN + 8 * i + 8].copy_from_slice(e);
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmc::param::h;

    // Blank 80-min CD-R as real-clients.md §3e describes it: lead-in 97:26:66,
    // last possible lead-out 79:59:74, URU set, one empty session.
    const BLANK: &str = "00 20 00 01 01 01 01 20 00 00 00 00 00 00 00 00
        00 61 1a 42 00 4f 3b 4a 00 00 00 00 00 00 00 00 00 00";

    fn blank() -> DiscInformation {
        DiscInformation {
            data_type: 0,
            erasable: false,
            last_session_state: SessionState::Empty,
            disc_status: DiscStatus::Empty,
            first_track: 1,
            sessions: 1,
            first_track_last_session: 1,
            last_track_last_session: 1,
            flags: DiscInformation::URU,
            disc_type: 0,
            disc_id: 0,
            lead_in_start: Msf {
                minute: 97,
                second: 26,
                frame: 66,
            },
            last_possible_lead_out: Msf {
                minute: 79,
                second: 59,
                frame: 74,
            },
            bar_code: [0; 8],
            application_code: 0,
            opc: vec![],
        }
    }

    #[test]
    fn test_deconstruct_blank_cd_r() {
        let d = DiscInformation::parse(&h(BLANK)).unwrap();
        assert_eq!(d, blank());
        assert_eq!(d.lead_in_start_lba(), Some(-11634));
        assert_eq!(d.last_possible_lead_out_lba(), Some(359849));
    }

    #[test]
    fn test_construct_blank_cd_r() {
        assert_eq!(blank().to_bytes(), h(BLANK));
    }

    #[test]
    fn test_four_byte_poll_parses() {
        // cdrdao's READ DISC INFORMATION(4) while polling after SYNCHRONIZE CACHE.
        let d = DiscInformation::parse(&h("00 20 0e 01")).unwrap();
        assert_eq!(d.disc_status, DiscStatus::Complete);
        assert_eq!(d.last_session_state, SessionState::Complete);
        assert!(DiscInformation::parse(&[0, 0x20]).is_err());
    }

    #[test]
    fn test_finalized_reports_no_lead_in() {
        let mut d = blank();
        d.lead_in_start = Msf {
            minute: 0xff,
            second: 0xff,
            frame: 0xff,
        };
        let back = DiscInformation::parse(&d.to_bytes()).unwrap();
        assert_eq!(back.lead_in_start_lba(), None);
    }
}

#[cfg(test)]
mod lead_out_tests {
    use super::*;

    #[test]
    fn last_possible_lead_out_of_99_minute_media_stays_positive() {
        // cd-format.md §1.2: 99:59:74 is read with N − 150 → LBA 449849, never the lead-in branch.
        let mut info = DiscInformation::parse(&[0, 32, 0x01, 1, 1, 1, 1, 0x20]).unwrap();
        info.last_possible_lead_out = crate::msf::Msf::new(99, 59, 74).unwrap();
        assert_eq!(info.last_possible_lead_out_lba(), Some(449_849));
    }
}
