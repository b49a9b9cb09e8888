//! READ CAPACITY (25h), mmc.md §2.7. No parameters; 8-byte response.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

cdb_view!(
    /// View of a ReadCapacity CDB.
    opcode = OpCode::READ_CAPACITY,
    len = 10
);

/// READ CAPACITY, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct ReadCapacity;

impl ReadCapacity {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<ReadCapacity> {
        cdb.check_len()?;
        Ok(ReadCapacity)
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<ReadCapacity> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for ReadCapacity {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::READ_CAPACITY.name().unwrap_or("?"))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BYTES_0: [u8; 10] = [0x25, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(ReadCapacity::parse(&cdb).unwrap(), ReadCapacity);
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(ReadCapacity.to_bytes(), BYTES_0);
    }

    #[test]
    fn test_short_or_wrong_opcode_is_refused() {
        assert!(Cdb::new_checked(&BYTES_0[..CDB_LEN - 1]).is_err());
        let mut other = BYTES_0;
        other[0] ^= 0xff;
        assert!(matches!(
            ReadCapacity::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }
}
