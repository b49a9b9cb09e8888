//! REZERO UNIT (01h, obsolete), mmc.md §1. cdrdao sends it to clear a unit attention; answer GOOD or 5/20/00.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

cdb_view!(
    /// View of a RezeroUnit CDB.
    opcode = OpCode::REZERO_UNIT,
    len = 6
);

/// REZERO UNIT, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct RezeroUnit;

impl RezeroUnit {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<RezeroUnit> {
        cdb.check_len()?;
        Ok(RezeroUnit)
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<RezeroUnit> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for RezeroUnit {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::REZERO_UNIT.name().unwrap_or("?"))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BYTES_0: [u8; 6] = [0x01, 0x00, 0x00, 0x00, 0x00, 0x00];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(RezeroUnit::parse(&cdb).unwrap(), RezeroUnit);
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(RezeroUnit.to_bytes(), BYTES_0);
    }

    #[test]
    fn test_short_or_wrong_opcode_is_refused() {
        assert!(Cdb::new_checked(&BYTES_0[..CDB_LEN - 1]).is_err());
        let mut other = BYTES_0;
        other[0] ^= 0xff;
        assert!(matches!(
            RezeroUnit::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }
}
