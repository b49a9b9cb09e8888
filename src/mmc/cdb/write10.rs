//! WRITE(10) (2Ah), mmc.md §2.13. The LBA is signed (lead-in negative); transfer length in blocks of the page 05 / cue sheet block size.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

cdb_view!(
    /// View of a Write10 CDB.
    opcode = OpCode::WRITE_10,
    len = 10
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// DPO.
    pub fn dpo(&self) -> bool {
        field::bit(self.b(1), 4)
    }

    /// FUA (0 for CD writing).
    pub fn fua(&self) -> bool {
        field::bit(self.b(1), 3)
    }

    /// Starting LBA (signed).
    pub fn lba(&self) -> i32 {
        field::be_i32(self.f(2..6))
    }

    /// Transfer length in blocks.
    pub fn transfer_length(&self) -> u16 {
        field::be16(self.f(7..9))
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: DPO.
    pub fn set_dpo(&mut self, v: bool) {
        field::set_bit(self.bm(1), 4, v);
    }

    /// Sets: FUA (0 for CD writing).
    pub fn set_fua(&mut self, v: bool) {
        field::set_bit(self.bm(1), 3, v);
    }

    /// Sets: Starting LBA (signed).
    pub fn set_lba(&mut self, v: i32) {
        field::set_be_i32(self.fm(2..6), v);
    }

    /// Sets: Transfer length in blocks.
    pub fn set_transfer_length(&mut self, v: u16) {
        field::set_be16(self.fm(7..9), v);
    }
}

/// WRITE(10), decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Write10 {
    /// DPO.
    pub dpo: bool,
    /// FUA (0 for CD writing).
    pub fua: bool,
    /// Starting LBA (signed).
    pub lba: i32,
    /// Transfer length in blocks.
    pub transfer_length: u16,
}

impl Write10 {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<Write10> {
        cdb.check_len()?;
        Ok(Write10 {
            dpo: cdb.dpo(),
            fua: cdb.fua(),
            lba: cdb.lba(),
            transfer_length: cdb.transfer_length(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_dpo(self.dpo);
        cdb.set_fua(self.fua);
        cdb.set_lba(self.lba);
        cdb.set_transfer_length(self.transfer_length);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Write10> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for Write10 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::WRITE_10.name().unwrap_or("?"))?;
        if self.dpo {
            f.write_str(" dpo")?;
        }
        if self.fua {
            f.write_str(" fua")?;
        }
        write!(f, " lba={}", self.lba)?;
        write!(f, " blocks={}", self.transfer_length)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 10] = [0x2a, 0x00, 0xff, 0xff, 0xd2, 0x8e, 0x00, 0x00, 0x1b, 0x00];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            Write10::parse(&cdb).unwrap(),
            Write10 {
                dpo: false,
                fua: false,
                lba: -11634,
                transfer_length: 27
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            Write10 {
                dpo: false,
                fua: false,
                lba: -11634,
                transfer_length: 27
            }
            .to_bytes(),
            BYTES_0
        );
    }

    const BYTES_1: [u8; 10] = [0x2a, 0x00, 0xff, 0xff, 0xff, 0x6a, 0x00, 0x00, 0x1b, 0x00];

    #[test]
    fn test_deconstruct_1() {
        let cdb = Cdb::new_checked(&BYTES_1[..]).unwrap();
        assert_eq!(
            Write10::parse(&cdb).unwrap(),
            Write10 {
                dpo: false,
                fua: false,
                lba: -150,
                transfer_length: 27
            }
        );
    }

    #[test]
    fn test_construct_1() {
        assert_eq!(
            Write10 {
                dpo: false,
                fua: false,
                lba: -150,
                transfer_length: 27
            }
            .to_bytes(),
            BYTES_1
        );
    }

    const BYTES_2: [u8; 10] = [0x2a, 0x00, 0xff, 0xff, 0xff, 0x6a, 0x00, 0x00, 0x0d, 0x00];

    #[test]
    fn test_deconstruct_2() {
        let cdb = Cdb::new_checked(&BYTES_2[..]).unwrap();
        assert_eq!(
            Write10::parse(&cdb).unwrap(),
            Write10 {
                dpo: false,
                fua: false,
                lba: -150,
                transfer_length: 13
            }
        );
    }

    #[test]
    fn test_construct_2() {
        assert_eq!(
            Write10 {
                dpo: false,
                fua: false,
                lba: -150,
                transfer_length: 13
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
            Write10::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((dpo, fua, lba, transfer_length,) in (any::<bool>(), any::<bool>(), any::<i32>(), any::<u16>(),)) {
            let repr = Write10 { dpo, fua, lba, transfer_length };
            prop_assert_eq!(Write10::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = Write10::from_bytes(&bytes);
            let _ = Write10::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
