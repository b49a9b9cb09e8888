//! PREVENT ALLOW MEDIUM REMOVAL (1Eh), mmc.md §2.15.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

cdb_view!(
    /// View of a PreventAllowMediumRemoval CDB.
    opcode = OpCode::PREVENT_ALLOW_MEDIUM_REMOVAL,
    len = 6
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// Prevent: 1 lock, 0 unlock.
    pub fn prevent(&self) -> bool {
        field::bit(self.b(4), 0)
    }

    /// Persistent prevent.
    pub fn persistent(&self) -> bool {
        field::bit(self.b(4), 1)
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: Prevent: 1 lock, 0 unlock.
    pub fn set_prevent(&mut self, v: bool) {
        field::set_bit(self.bm(4), 0, v);
    }

    /// Sets: Persistent prevent.
    pub fn set_persistent(&mut self, v: bool) {
        field::set_bit(self.bm(4), 1, v);
    }
}

/// PREVENT ALLOW MEDIUM REMOVAL, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct PreventAllowMediumRemoval {
    /// Prevent: 1 lock, 0 unlock.
    pub prevent: bool,
    /// Persistent prevent.
    pub persistent: bool,
}

impl PreventAllowMediumRemoval {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<PreventAllowMediumRemoval> {
        cdb.check_len()?;
        Ok(PreventAllowMediumRemoval {
            prevent: cdb.prevent(),
            persistent: cdb.persistent(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_prevent(self.prevent);
        cdb.set_persistent(self.persistent);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<PreventAllowMediumRemoval> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for PreventAllowMediumRemoval {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::PREVENT_ALLOW_MEDIUM_REMOVAL.name().unwrap_or("?"))?;
        if self.prevent {
            f.write_str(" prevent")?;
        }
        if self.persistent {
            f.write_str(" persistent")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 6] = [0x1e, 0x00, 0x00, 0x00, 0x01, 0x00];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            PreventAllowMediumRemoval::parse(&cdb).unwrap(),
            PreventAllowMediumRemoval {
                prevent: true,
                persistent: false
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            PreventAllowMediumRemoval {
                prevent: true,
                persistent: false
            }
            .to_bytes(),
            BYTES_0
        );
    }

    const BYTES_1: [u8; 6] = [0x1e, 0x00, 0x00, 0x00, 0x00, 0x00];

    #[test]
    fn test_deconstruct_1() {
        let cdb = Cdb::new_checked(&BYTES_1[..]).unwrap();
        assert_eq!(
            PreventAllowMediumRemoval::parse(&cdb).unwrap(),
            PreventAllowMediumRemoval {
                prevent: false,
                persistent: false
            }
        );
    }

    #[test]
    fn test_construct_1() {
        assert_eq!(
            PreventAllowMediumRemoval {
                prevent: false,
                persistent: false
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
            PreventAllowMediumRemoval::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((prevent, persistent,) in (any::<bool>(), any::<bool>(),)) {
            let repr = PreventAllowMediumRemoval { prevent, persistent };
            prop_assert_eq!(PreventAllowMediumRemoval::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = PreventAllowMediumRemoval::from_bytes(&bytes);
            let _ = PreventAllowMediumRemoval::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
