//! REQUEST SENSE (03h), mmc.md §2.1. Returns (and clears) the pending sense; progress while a long operation runs.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

cdb_view!(
    /// View of a RequestSense CDB.
    opcode = OpCode::REQUEST_SENSE,
    len = 6
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// DESC: descriptor-format sense wanted (MMC drives return fixed).
    pub fn desc(&self) -> bool {
        field::bit(self.b(1), 0)
    }

    /// Allocation length (18 enough for fixed format).
    pub fn allocation_length(&self) -> u8 {
        self.b(4)
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: DESC: descriptor-format sense wanted (MMC drives return fixed).
    pub fn set_desc(&mut self, v: bool) {
        field::set_bit(self.bm(1), 0, v);
    }

    /// Sets: Allocation length (18 enough for fixed format).
    pub fn set_allocation_length(&mut self, v: u8) {
        *self.bm(4) = v;
    }
}

/// REQUEST SENSE, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct RequestSense {
    /// DESC: descriptor-format sense wanted (MMC drives return fixed).
    pub desc: bool,
    /// Allocation length (18 enough for fixed format).
    pub allocation_length: u8,
}

impl RequestSense {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<RequestSense> {
        cdb.check_len()?;
        Ok(RequestSense {
            desc: cdb.desc(),
            allocation_length: cdb.allocation_length(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_desc(self.desc);
        cdb.set_allocation_length(self.allocation_length);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<RequestSense> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for RequestSense {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::REQUEST_SENSE.name().unwrap_or("?"))?;
        if self.desc {
            f.write_str(" desc")?;
        }
        write!(f, " alloc={}", self.allocation_length)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 6] = [0x03, 0x00, 0x00, 0x00, 0x12, 0x00];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            RequestSense::parse(&cdb).unwrap(),
            RequestSense {
                desc: false,
                allocation_length: 18
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            RequestSense {
                desc: false,
                allocation_length: 18
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
            RequestSense::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((desc, allocation_length,) in (any::<bool>(), 0u8..=0xff,)) {
            let repr = RequestSense { desc, allocation_length };
            prop_assert_eq!(RequestSense::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = RequestSense::from_bytes(&bytes);
            let _ = RequestSense::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
