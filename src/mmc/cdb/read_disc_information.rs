//! READ DISC INFORMATION (51h), mmc.md §2.4. Busy (2/04/07) while a DAO session is being finished.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

cdb_view!(
    /// View of a ReadDiscInformation CDB.
    opcode = OpCode::READ_DISC_INFORMATION,
    len = 10
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// Data type (000b = standard disc information).
    pub fn data_type(&self) -> u8 {
        self.b(1) & 0x07
    }

    /// Allocation length (bytes the host accepts).
    pub fn allocation_length(&self) -> u16 {
        field::be16(self.f(7..9))
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: Data type (000b = standard disc information).
    pub fn set_data_type(&mut self, v: u8) {
        let b = self.bm(1);
        *b = (*b & !0x07) | (v & 0x07);
    }

    /// Sets: Allocation length (bytes the host accepts).
    pub fn set_allocation_length(&mut self, v: u16) {
        field::set_be16(self.fm(7..9), v);
    }
}

/// READ DISC INFORMATION, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct ReadDiscInformation {
    /// Data type (000b = standard disc information).
    pub data_type: u8,
    /// Allocation length (bytes the host accepts).
    pub allocation_length: u16,
}

impl ReadDiscInformation {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<ReadDiscInformation> {
        cdb.check_len()?;
        Ok(ReadDiscInformation {
            data_type: cdb.data_type(),
            allocation_length: cdb.allocation_length(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_data_type(self.data_type);
        cdb.set_allocation_length(self.allocation_length);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<ReadDiscInformation> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for ReadDiscInformation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::READ_DISC_INFORMATION.name().unwrap_or("?"))?;
        write!(f, " type={}", self.data_type)?;
        write!(f, " alloc={}", self.allocation_length)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 10] = [0x51, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x22, 0x00];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            ReadDiscInformation::parse(&cdb).unwrap(),
            ReadDiscInformation {
                data_type: 0,
                allocation_length: 34
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            ReadDiscInformation {
                data_type: 0,
                allocation_length: 34
            }
            .to_bytes(),
            BYTES_0
        );
    }

    const BYTES_1: [u8; 10] = [0x51, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00];

    #[test]
    fn test_deconstruct_1() {
        let cdb = Cdb::new_checked(&BYTES_1[..]).unwrap();
        assert_eq!(
            ReadDiscInformation::parse(&cdb).unwrap(),
            ReadDiscInformation {
                data_type: 0,
                allocation_length: 4
            }
        );
    }

    #[test]
    fn test_construct_1() {
        assert_eq!(
            ReadDiscInformation {
                data_type: 0,
                allocation_length: 4
            }
            .to_bytes(),
            BYTES_1
        );
    }

    #[test]
    fn test_short_or_wrong_opcode_is_refused() {
        assert!(Cdb::new_checked(&BYTES_0[..CDB_LEN - 1]).is_err());
        let mut other = BYTES_0;
        other[0] ^= 0xff;
        assert!(matches!(
            ReadDiscInformation::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((data_type, allocation_length,) in (0u8..=0x07, any::<u16>(),)) {
            let repr = ReadDiscInformation { data_type, allocation_length };
            prop_assert_eq!(ReadDiscInformation::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = ReadDiscInformation::from_bytes(&bytes);
            let _ = ReadDiscInformation::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
