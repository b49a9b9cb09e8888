//! READ TOC/PMA/ATIP responses, formats 0 (TOC), 1 (session info) and 2
//! (full TOC) — mmc.md §2.6. ADR is the *high* nibble, CONTROL the low one
//! here (unlike the Q sub-channel). ATIP (format 4) is in [`super::atip`].

use crate::mmc::field::{self, check_len};
use crate::mmc::Result;
use crate::msf::Msf;

/// 4-byte header: data length, then first/last track or session.
pub const HEADER_LEN: usize = 4;

/// A format 0/1 descriptor (8 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TocDescriptor {
    /// ADR (byte 1 b7-4).
    pub adr: u8,
    /// CONTROL (byte 1 b3-0).
    pub control: u8,
    /// Track number (0xAA = lead-out).
    pub track: u8,
    /// Start address: LBA, or 0/M/S/F packed when the CDB asked for MSF.
    pub address: TocAddress,
}

/// A TOC address in the form the CDB's MSF bit chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TocAddress {
    /// MSF = 0: a signed LBA.
    Lba(i32),
    /// MSF = 1: binary M/S/F in bytes 5-7.
    Msf(Msf),
}

impl TocDescriptor {
    /// Size in bytes.
    pub const LEN: usize = 8;

    fn parse(b: &[u8], msf: bool) -> TocDescriptor {
        TocDescriptor {
            adr: b[1] >> 4,
            control: b[1] & 0x0f,
            track: b[2],
            address: if msf {
                TocAddress::Msf(super::msf_at(b, 5))
            } else {
                TocAddress::Lba(field::be_i32(&b[4..8]))
            },
        }
    }

    fn emit(&self, b: &mut [u8]) {
        b[..8].fill(0);
        b[1] = (self.adr << 4) | (self.control & 0x0f);
        b[2] = self.track;
        match self.address {
            TocAddress::Lba(l) => field::set_be_i32(&mut b[4..8], l),
            TocAddress::Msf(m) => super::set_msf_at(b, 5, m),
        }
    }
}

/// Format 0 or 1 response: header + 8-byte descriptors.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Toc {
    /// Header byte 2: first track (fmt 0) / first complete session (fmt 1).
    pub first: u8,
    /// Header byte 3: last track / last complete session.
    pub last: u8,
    /// The descriptors (lead-out 0xAA last in format 0).
    pub descriptors: Vec<TocDescriptor>,
}

impl Toc {
    /// Parses; `msf` must match the CDB's MSF bit. Descriptors beyond the
    /// response length or the buffer are dropped, never read.
    pub fn parse(b: &[u8], msf: bool) -> Result<Toc> {
        check_len(b, HEADER_LEN)?;
        let end = (usize::from(field::be16(&b[0..2])) + 2).min(b.len());
        let descriptors = b[HEADER_LEN..end.max(HEADER_LEN)]
            .chunks_exact(TocDescriptor::LEN)
            .map(|c| TocDescriptor::parse(c, msf))
            .collect();
        Ok(Toc {
            first: b[2],
            last: b[3],
            descriptors,
        })
    }

    /// The response bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = vec![0u8; HEADER_LEN + TocDescriptor::LEN * self.descriptors.len()];
        let len = (b.len() - 2) as u16;
        field::set_be16(&mut b[0..2], len);
        b[2] = self.first;
        b[3] = self.last;
        for (i, d) in self.descriptors.iter().enumerate() {
            d.emit(&mut b[HEADER_LEN + 8 * i..]);
        }
        b
    }
}

/// A format 2 (full TOC) descriptor: 11 bytes of raw Q.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FullTocDescriptor {
    /// Session number.
    pub session: u8,
    /// ADR (byte 1 b7-4).
    pub adr: u8,
    /// CONTROL (byte 1 b3-0).
    pub control: u8,
    /// TNO (0 in the lead-in).
    pub tno: u8,
    /// POINT (01-63 track, A0/A1/A2, B0, C0…).
    pub point: u8,
    /// Running time M/S/F (bytes 4-6), binary.
    pub time: Msf,
    /// Zero byte (byte 7).
    pub zero: u8,
    /// P-MIN/P-SEC/P-FRAME (bytes 8-10), binary.
    pub p_time: Msf,
}

impl FullTocDescriptor {
    /// Size in bytes.
    pub const LEN: usize = 11;

    fn parse(b: &[u8]) -> FullTocDescriptor {
        FullTocDescriptor {
            session: b[0],
            adr: b[1] >> 4,
            control: b[1] & 0x0f,
            tno: b[2],
            point: b[3],
            time: super::msf_at(b, 4),
            zero: b[7],
            p_time: super::msf_at(b, 8),
        }
    }

    fn to_bytes(self) -> [u8; 11] {
        let t = self.time;
        let p = self.p_time;
        [
            self.session,
            (self.adr << 4) | (self.control & 0x0f),
            self.tno,
            self.point,
            t.minute,
            t.second,
            t.frame,
            self.zero,
            p.minute,
            p.second,
            p.frame,
        ]
    }
}

/// Format 2 response.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FullToc {
    /// First complete session.
    pub first_session: u8,
    /// Last complete session.
    pub last_session: u8,
    /// Descriptors.
    pub descriptors: Vec<FullTocDescriptor>,
}

impl FullToc {
    /// Parses; trailing partial descriptors are dropped.
    pub fn parse(b: &[u8]) -> Result<FullToc> {
        check_len(b, HEADER_LEN)?;
        let end = (usize::from(field::be16(&b[0..2])) + 2).min(b.len());
        Ok(FullToc {
            first_session: b[2],
            last_session: b[3],
            descriptors: b[HEADER_LEN..end.max(HEADER_LEN)]
                .chunks_exact(FullTocDescriptor::LEN)
                .map(FullTocDescriptor::parse)
                .collect(),
        })
    }

    /// The response bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = vec![0u8; HEADER_LEN];
        b[2] = self.first_session;
        b[3] = self.last_session;
        for d in &self.descriptors {
            b.extend_from_slice(&d.to_bytes());
        }
        let len = (b.len() - 2) as u16;
        field::set_be16(&mut b[0..2], len);
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmc::param::h;
    use proptest::prelude::*;

    fn m(minute: u8, second: u8, frame: u8) -> Msf {
        Msf {
            minute,
            second,
            frame,
        }
    }

    // Two audio tracks (the wodim cue sheet: T1 at 0, T2 at 00:07:00 = LBA 375,
    // lead-out at 00:13:00 = LBA 825), format 0, LBA form.
    const TOC0: &str = "00 1a 01 02 00 10 01 00 00 00 00 00 00 10 02 00 00 00 01 77
        00 10 aa 00 00 00 03 39";

    fn toc0() -> Toc {
        let d = |track, lba| TocDescriptor {
            adr: 1,
            control: 0,
            track,
            address: TocAddress::Lba(lba),
        };
        Toc {
            first: 1,
            last: 2,
            descriptors: vec![d(1, 0), d(2, 375), d(0xaa, 825)],
        }
    }

    #[test]
    fn test_deconstruct_toc_format_0() {
        assert_eq!(Toc::parse(&h(TOC0), false).unwrap(), toc0());
    }

    #[test]
    fn test_construct_toc_format_0() {
        assert_eq!(toc0().to_bytes(), h(TOC0));
    }

    #[test]
    fn test_msf_form_and_session_info() {
        // Format 1, MSF: first track of last session at 00:02:00.
        let b = h("00 0a 01 01 00 14 01 00 00 00 02 00");
        let t = Toc::parse(&b, true).unwrap();
        assert_eq!(t.descriptors[0].control, 4);
        assert_eq!(t.descriptors[0].address, TocAddress::Msf(m(0, 2, 0)));
        assert_eq!(t.to_bytes(), b);
    }

    // Full TOC: A0 (first track 1, disc type 0), A1 (last track 2),
    // A2 (lead-out 00:13:00), track 1 at 00:02:00.
    const FULL: &str = "00 2e 01 01
        01 10 00 a0 00 00 00 00 01 00 00
        01 10 00 a1 00 00 00 00 02 00 00
        01 10 00 a2 00 00 00 00 00 0d 00
        01 10 00 01 00 00 00 00 00 02 00";

    #[test]
    fn test_full_toc_literal() {
        let t = FullToc::parse(&h(FULL)).unwrap();
        assert_eq!(t.descriptors.len(), 4);
        assert_eq!(t.descriptors[2].point, 0xa2);
        assert_eq!(t.descriptors[2].p_time, m(0, 13, 0));
        assert_eq!(t.descriptors[0].adr, 1);
        assert_eq!(t.to_bytes(), h(FULL));
    }

    proptest! {
        #[test]
        fn parse_never_panics(b in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = Toc::parse(&b, false);
            let _ = Toc::parse(&b, true);
            let _ = FullToc::parse(&b);
        }
    }
}
