//! BLANK (A1h), mmc.md §2.14. CD-RW only; on CD-R the emulator answers 5/30/05.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

enum_with_unknown! {
    /// BLANK blanking type (byte 1 b2-0).
    pub enum BlankingType(u8) {
        /// 0: blank the whole disc.
        Disc = 0,
        /// 1: minimal blank (PMA, lead-in, first pregap).
        Minimal = 1,
        /// 2: blank a track.
        Track = 2,
        /// 3: unreserve a track.
        UnreserveTrack = 3,
        /// 4: blank a track tail.
        TrackTail = 4,
        /// 5: unclose the last session.
        UncloseSession = 5,
        /// 6: blank the last session.
        Session = 6,
    }
}

cdb_view!(
    /// View of a Blank CDB.
    opcode = OpCode::BLANK,
    len = 12
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// IMMED.
    pub fn immed(&self) -> bool {
        field::bit(self.b(1), 4)
    }

    /// Blanking type.
    pub fn blanking_type(&self) -> BlankingType {
        BlankingType::from(self.b(1) & 0x07)
    }

    /// Start address / track number.
    pub fn start_address(&self) -> u32 {
        field::be32(self.f(2..6))
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: IMMED.
    pub fn set_immed(&mut self, v: bool) {
        field::set_bit(self.bm(1), 4, v);
    }

    /// Sets: Blanking type.
    pub fn set_blanking_type(&mut self, v: BlankingType) {
        let b = self.bm(1);
        *b = (*b & !0x07) | (u8::from(v) & 0x07);
    }

    /// Sets: Start address / track number.
    pub fn set_start_address(&mut self, v: u32) {
        field::set_be32(self.fm(2..6), v);
    }
}

/// BLANK, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Blank {
    /// IMMED.
    pub immed: bool,
    /// Blanking type.
    pub blanking_type: BlankingType,
    /// Start address / track number.
    pub start_address: u32,
}

#[allow(clippy::derivable_impls)]
impl Default for BlankingType {
    fn default() -> Self {
        BlankingType::Disc
    }
}

impl Blank {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<Blank> {
        cdb.check_len()?;
        Ok(Blank {
            immed: cdb.immed(),
            blanking_type: cdb.blanking_type(),
            start_address: cdb.start_address(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_immed(self.immed);
        cdb.set_blanking_type(self.blanking_type);
        cdb.set_start_address(self.start_address);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Blank> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for Blank {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::BLANK.name().unwrap_or("?"))?;
        if self.immed {
            f.write_str(" immed")?;
        }
        write!(f, " type={:?}", self.blanking_type)?;
        write!(f, " start={}", self.start_address)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 12] = [
        0xa1, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            Blank::parse(&cdb).unwrap(),
            Blank {
                immed: true,
                blanking_type: BlankingType::Minimal,
                start_address: 0
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            Blank {
                immed: true,
                blanking_type: BlankingType::Minimal,
                start_address: 0
            }
            .to_bytes(),
            BYTES_0
        );
    }

    #[test]
    fn test_short_or_wrong_opcode_is_refused() {
        assert!(Cdb::new_checked(&BYTES_0[..CDB_LEN - 1]).is_err());
        let mut other = BYTES_0;
        other[0] ^= 0xff;
        assert!(matches!(
            Blank::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((immed, blanking_type, start_address,) in (any::<bool>(), (0u8..=0x07).prop_map(BlankingType::from), any::<u32>(),)) {
            let repr = Blank { immed, blanking_type, start_address };
            prop_assert_eq!(Blank::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = Blank::from_bytes(&bytes);
            let _ = Blank::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
