//! SEND CUE SHEET entries (mmc.md §2.12): 8 bytes each, CTL in the high
//! nibble and ADR in the low nibble of byte 0, absolute time in binary MSF.

use crate::mmc::field::check_len;
use crate::mmc::{Error, Result};
use crate::msf::Msf;

/// Size of one cue sheet entry.
pub const ENTRY_LEN: usize = 8;

/// View of one 8-byte cue sheet entry.
#[derive(Debug, Clone)]
pub struct CueEntryView<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> CueEntryView<T> {
    /// Wraps without checks.
    pub fn new_unchecked(buffer: T) -> Self {
        CueEntryView { buffer }
    }
    /// Wraps after checking for 8 bytes.
    pub fn new_checked(buffer: T) -> Result<Self> {
        check_len(buffer.as_ref(), ENTRY_LEN)?;
        Ok(CueEntryView { buffer })
    }
    /// CTL nibble (byte 0 b7-4).
    pub fn ctl(&self) -> u8 {
        self.buffer.as_ref()[0] >> 4
    }
    /// ADR nibble (byte 0 b3-0): 1 position, 2 MCN, 3 ISRC.
    pub fn adr(&self) -> u8 {
        self.buffer.as_ref()[0] & 0x0f
    }
    /// TNO: 0 lead-in, 1..99, 0xAA lead-out.
    pub fn tno(&self) -> u8 {
        self.buffer.as_ref()[1]
    }
    /// INDEX.
    pub fn index(&self) -> u8 {
        self.buffer.as_ref()[2]
    }
    /// DATA FORM byte (b7-6 sub-channel form, b5-0 main form).
    pub fn data_form(&self) -> u8 {
        self.buffer.as_ref()[3]
    }
    /// SCMS byte (b7 alternate copy bit).
    pub fn scms(&self) -> u8 {
        self.buffer.as_ref()[4]
    }
    /// Absolute time, binary MSF (bytes 5-7), unvalidated.
    pub fn msf(&self) -> Msf {
        super::msf_at(self.buffer.as_ref(), 5)
    }
}

/// One decoded cue sheet entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum CueEntry {
    /// ADR 1: a track/index point.
    Point {
        /// CTL nibble (0x4 data, 0x2 copy, 0x1 pre-emphasis, 0x8 four-channel).
        ctl: u8,
        /// Track number (0 lead-in, 0xAA lead-out).
        tno: u8,
        /// Index number.
        index: u8,
        /// Data form byte.
        data_form: u8,
        /// SCMS byte.
        scms: u8,
        /// Absolute start time.
        msf: Msf,
    },
    /// ADR 2 (MCN, always in pairs), or ADR 3 (ISRC): the 7 payload bytes.
    Code {
        /// Whole byte 0 (CTL | ADR).
        ctl_adr: u8,
        /// Bytes 1-7.
        payload: [u8; 7],
    },
}

impl CueEntry {
    /// A position entry.
    pub fn point(ctl: u8, tno: u8, index: u8, data_form: u8, msf: Msf) -> CueEntry {
        CueEntry::Point {
            ctl,
            tno,
            index,
            data_form,
            scms: 0,
            msf,
        }
    }

    /// Parses one entry. ADR 1 entries with seconds ≥ 60 or frames ≥ 75 are
    /// refused (`InvalidField` byte 6 or 7).
    pub fn parse(b: &[u8]) -> Result<CueEntry> {
        let v = CueEntryView::new_checked(b)?;
        if v.adr() != 1 {
            let mut payload = [0u8; 7];
            payload.copy_from_slice(&b[1..8]);
            return Ok(CueEntry::Code {
                ctl_adr: b[0],
                payload,
            });
        }
        let msf = v.msf();
        if msf.second >= 60 {
            return Err(Error::InvalidField {
                byte: 6,
                reason: "cue seconds >= 60",
            });
        }
        if msf.frame >= 75 {
            return Err(Error::InvalidField {
                byte: 7,
                reason: "cue frames >= 75",
            });
        }
        Ok(CueEntry::Point {
            ctl: v.ctl(),
            tno: v.tno(),
            index: v.index(),
            data_form: v.data_form(),
            scms: v.scms(),
            msf,
        })
    }

    /// The 8 bytes.
    pub fn to_bytes(&self) -> [u8; ENTRY_LEN] {
        match *self {
            CueEntry::Point {
                ctl,
                tno,
                index,
                data_form,
                scms,
                msf,
            } => [
                (ctl << 4) | 1,
                tno,
                index,
                data_form,
                scms,
                msf.minute,
                msf.second,
                msf.frame,
            ],
            CueEntry::Code { ctl_adr, payload } => {
                let mut b = [0u8; 8];
                b[0] = ctl_adr;
                b[1..].copy_from_slice(&payload);
                b
            }
        }
    }

    /// Block size the host sends for a data form (mmc.md §2.12), or `None`
    /// for a reserved form.
    pub fn block_size(data_form: u8) -> Option<usize> {
        let main = match data_form & 0x3f {
            0x00 => 2352,
            0x01 | 0x14 | 0x24 | 0x34 => 0,
            0x10 | 0x12 => 2048,
            0x11 | 0x13 | 0x21 | 0x23 | 0x31 | 0x33 => 2352,
            0x20 | 0x22 | 0x30 | 0x32 => 2336,
            _ => return None,
        };
        match data_form >> 6 {
            0 => Some(main),
            1 | 3 => Some(main + 96),
            _ => None,
        }
    }
}

/// Parses a whole cue sheet. The length must be a multiple of 8
/// (`InvalidField` at the trailing byte otherwise).
pub fn parse_cue_sheet(b: &[u8]) -> Result<Vec<CueEntry>> {
    if b.len() % ENTRY_LEN != 0 {
        return Err(Error::InvalidField {
            byte: b.len() - b.len() % ENTRY_LEN,
            reason: "cue sheet length not a multiple of 8",
        });
    }
    b.chunks_exact(ENTRY_LEN)
        .enumerate()
        .map(|(i, c)| {
            CueEntry::parse(c).map_err(|e| match e {
                Error::InvalidField { byte, reason } => Error::InvalidField {
                    byte: i * ENTRY_LEN + byte,
                    reason,
                },
                e => e,
            })
        })
        .collect()
}

/// Emits a cue sheet.
pub fn emit_cue_sheet(entries: &[CueEntry]) -> Vec<u8> {
    entries.iter().flat_map(|e| e.to_bytes()).collect()
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

    // real-clients.md §3c: wodim -dao, 48 bytes.
    const WODIM: &str = "01 00 00 01 00 00 00 00 01 01 00 00 00 00 00 00 01 01 01 00 00 00 02 00
        01 02 00 00 00 00 06 00 01 02 01 00 00 00 07 00 01 aa 01 01 00 00 0d 00";

    fn wodim_entries() -> Vec<CueEntry> {
        vec![
            CueEntry::point(0, 0, 0, 0x01, m(0, 0, 0)),
            CueEntry::point(0, 1, 0, 0x00, m(0, 0, 0)),
            CueEntry::point(0, 1, 1, 0x00, m(0, 2, 0)),
            CueEntry::point(0, 2, 0, 0x00, m(0, 6, 0)),
            CueEntry::point(0, 2, 1, 0x00, m(0, 7, 0)),
            CueEntry::point(0, 0xaa, 1, 0x01, m(0, 13, 0)),
        ]
    }

    #[test]
    fn test_deconstruct_wodim_cue_sheet() {
        assert_eq!(parse_cue_sheet(&h(WODIM)).unwrap(), wodim_entries());
    }

    #[test]
    fn test_construct_wodim_cue_sheet() {
        assert_eq!(emit_cue_sheet(&wodim_entries()), h(WODIM));
    }

    #[test]
    fn test_mcn_pair_and_data_entry() {
        let b = h("02 31 32 33 34 35 36 37 41 01 01 10 00 00 02 00");
        let e = parse_cue_sheet(&b).unwrap();
        assert_eq!(
            e[0],
            CueEntry::Code {
                ctl_adr: 0x02,
                payload: *b"1234567"
            }
        );
        assert_eq!(e[1], CueEntry::point(4, 1, 1, 0x10, m(0, 2, 0)));
        assert_eq!(CueEntry::block_size(0x10), Some(2048));
        assert_eq!(CueEntry::block_size(0x41), Some(96));
        assert_eq!(CueEntry::block_size(0xc0), Some(2448));
    }

    #[test]
    fn test_bad_length_and_frames_refused() {
        assert!(parse_cue_sheet(&[1, 0, 0]).is_err());
        assert_eq!(
            parse_cue_sheet(&h("01 00 00 01 00 00 00 00 01 01 00 00 00 00 00 4b")),
            Err(Error::InvalidField {
                byte: 15,
                reason: "cue frames >= 75"
            })
        );
    }

    proptest! {
        #[test]
        fn round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(entries) = parse_cue_sheet(&bytes) {
                prop_assert_eq!(emit_cue_sheet(&entries), bytes);
            }
        }
    }
}
