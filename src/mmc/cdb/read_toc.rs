//! READ TOC/PMA/ATIP (43h), mmc.md §2.6. Formats 0/1/2/4 are modelled; blank media fail formats 0-2 with 5/24/00.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

enum_with_unknown! {
    /// READ TOC/PMA/ATIP format (byte 2 b3-0).
    pub enum TocFormat(u8) {
        /// 0: TOC.
        Formatted = 0,
        /// 1: session information.
        SessionInfo = 1,
        /// 2: full TOC (raw Q).
        FullToc = 2,
        /// 3: PMA.
        Pma = 3,
        /// 4: ATIP.
        Atip = 4,
        /// 5: CD-TEXT.
        CdText = 5,
    }
}

cdb_view!(
    /// View of a ReadToc CDB.
    opcode = OpCode::READ_TOC,
    len = 10
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// MSF/TIME: addresses as 0/M/S/F instead of LBA.
    pub fn msf(&self) -> bool {
        field::bit(self.b(1), 1)
    }

    /// Format.
    pub fn format(&self) -> TocFormat {
        TocFormat::from(self.b(2) & 0x0f)
    }

    /// Track/session number.
    pub fn track_or_session(&self) -> u8 {
        self.b(6)
    }

    /// Allocation length (bytes the host accepts).
    pub fn allocation_length(&self) -> u16 {
        field::be16(self.f(7..9))
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: MSF/TIME: addresses as 0/M/S/F instead of LBA.
    pub fn set_msf(&mut self, v: bool) {
        field::set_bit(self.bm(1), 1, v);
    }

    /// Sets: Format.
    pub fn set_format(&mut self, v: TocFormat) {
        let b = self.bm(2);
        *b = (*b & !0x0f) | (u8::from(v) & 0x0f);
    }

    /// Sets: Track/session number.
    pub fn set_track_or_session(&mut self, v: u8) {
        *self.bm(6) = v;
    }

    /// Sets: Allocation length (bytes the host accepts).
    pub fn set_allocation_length(&mut self, v: u16) {
        field::set_be16(self.fm(7..9), v);
    }
}

/// READ TOC/PMA/ATIP, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct ReadToc {
    /// MSF/TIME: addresses as 0/M/S/F instead of LBA.
    pub msf: bool,
    /// Format.
    pub format: TocFormat,
    /// Track/session number.
    pub track_or_session: u8,
    /// Allocation length (bytes the host accepts).
    pub allocation_length: u16,
}

#[allow(clippy::derivable_impls)]
impl Default for TocFormat {
    fn default() -> Self {
        TocFormat::Formatted
    }
}

impl ReadToc {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<ReadToc> {
        cdb.check_len()?;
        Ok(ReadToc {
            msf: cdb.msf(),
            format: cdb.format(),
            track_or_session: cdb.track_or_session(),
            allocation_length: cdb.allocation_length(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_msf(self.msf);
        cdb.set_format(self.format);
        cdb.set_track_or_session(self.track_or_session);
        cdb.set_allocation_length(self.allocation_length);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<ReadToc> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for ReadToc {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::READ_TOC.name().unwrap_or("?"))?;
        if self.msf {
            f.write_str(" msf")?;
        }
        write!(f, " format={:?}", self.format)?;
        write!(f, " track={}", self.track_or_session)?;
        write!(f, " alloc={}", self.allocation_length)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 10] = [0x43, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1c, 0x00];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            ReadToc::parse(&cdb).unwrap(),
            ReadToc {
                msf: false,
                format: TocFormat::Atip,
                track_or_session: 0,
                allocation_length: 28
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            ReadToc {
                msf: false,
                format: TocFormat::Atip,
                track_or_session: 0,
                allocation_length: 28
            }
            .to_bytes(),
            BYTES_0
        );
    }

    const BYTES_1: [u8; 10] = [0x43, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00];

    #[test]
    fn test_deconstruct_1() {
        let cdb = Cdb::new_checked(&BYTES_1[..]).unwrap();
        assert_eq!(
            ReadToc::parse(&cdb).unwrap(),
            ReadToc {
                msf: true,
                format: TocFormat::FullToc,
                track_or_session: 0,
                allocation_length: 4
            }
        );
    }

    #[test]
    fn test_construct_1() {
        assert_eq!(
            ReadToc {
                msf: true,
                format: TocFormat::FullToc,
                track_or_session: 0,
                allocation_length: 4
            }
            .to_bytes(),
            BYTES_1
        );
    }

    const BYTES_2: [u8; 10] = [0x43, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00];

    #[test]
    fn test_deconstruct_2() {
        let cdb = Cdb::new_checked(&BYTES_2[..]).unwrap();
        assert_eq!(
            ReadToc::parse(&cdb).unwrap(),
            ReadToc {
                msf: false,
                format: TocFormat::SessionInfo,
                track_or_session: 0,
                allocation_length: 12
            }
        );
    }

    #[test]
    fn test_construct_2() {
        assert_eq!(
            ReadToc {
                msf: false,
                format: TocFormat::SessionInfo,
                track_or_session: 0,
                allocation_length: 12
            }
            .to_bytes(),
            BYTES_2
        );
    }

    #[test]
    fn test_short_or_wrong_opcode_is_refused() {
        assert!(Cdb::new_checked(&BYTES_0[..CDB_LEN - 1]).is_err());
        let mut other = BYTES_0;
        other[0] ^= 0xff;
        assert!(matches!(
            ReadToc::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((msf, format, track_or_session, allocation_length,) in (any::<bool>(), (0u8..=0x0f).prop_map(TocFormat::from), 0u8..=0xff, any::<u16>(),)) {
            let repr = ReadToc { msf, format, track_or_session, allocation_length };
            prop_assert_eq!(ReadToc::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = ReadToc::from_bytes(&bytes);
            let _ = ReadToc::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
