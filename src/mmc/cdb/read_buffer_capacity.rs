//! READ BUFFER CAPACITY (5Ch), mmc.md §2.10. cdrdao asks for 12 bytes.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

cdb_view!(
    /// View of a ReadBufferCapacity CDB.
    opcode = OpCode::READ_BUFFER_CAPACITY,
    len = 10
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// Block: report in blocks (feature 0107h RBCB).
    pub fn block(&self) -> bool {
        field::bit(self.b(1), 0)
    }

    /// Allocation length (bytes the host accepts).
    pub fn allocation_length(&self) -> u16 {
        field::be16(self.f(7..9))
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: Block: report in blocks (feature 0107h RBCB).
    pub fn set_block(&mut self, v: bool) {
        field::set_bit(self.bm(1), 0, v);
    }

    /// Sets: Allocation length (bytes the host accepts).
    pub fn set_allocation_length(&mut self, v: u16) {
        field::set_be16(self.fm(7..9), v);
    }
}

/// READ BUFFER CAPACITY, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct ReadBufferCapacity {
    /// Block: report in blocks (feature 0107h RBCB).
    pub block: bool,
    /// Allocation length (bytes the host accepts).
    pub allocation_length: u16,
}

impl ReadBufferCapacity {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<ReadBufferCapacity> {
        cdb.check_len()?;
        Ok(ReadBufferCapacity {
            block: cdb.block(),
            allocation_length: cdb.allocation_length(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_block(self.block);
        cdb.set_allocation_length(self.allocation_length);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<ReadBufferCapacity> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for ReadBufferCapacity {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::READ_BUFFER_CAPACITY.name().unwrap_or("?"))?;
        if self.block {
            f.write_str(" block")?;
        }
        write!(f, " alloc={}", self.allocation_length)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 10] = [0x5c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            ReadBufferCapacity::parse(&cdb).unwrap(),
            ReadBufferCapacity {
                block: false,
                allocation_length: 12
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            ReadBufferCapacity {
                block: false,
                allocation_length: 12
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
            ReadBufferCapacity::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((block, allocation_length,) in (any::<bool>(), any::<u16>(),)) {
            let repr = ReadBufferCapacity { block, allocation_length };
            prop_assert_eq!(ReadBufferCapacity::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = ReadBufferCapacity::from_bytes(&bytes);
            let _ = ReadBufferCapacity::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
