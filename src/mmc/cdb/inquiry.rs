//! INQUIRY (12h), mmc.md §2.1. cdrdao asks for 0x2C bytes, wodim and libburn for 36.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

cdb_view!(
    /// View of a Inquiry CDB.
    opcode = OpCode::INQUIRY,
    len = 6
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// EVPD: return a vital product data page.
    pub fn evpd(&self) -> bool {
        field::bit(self.b(1), 0)
    }

    /// VPD page code.
    pub fn page_code(&self) -> u8 {
        self.b(2)
    }

    /// Allocation length (bytes 3-4).
    pub fn allocation_length(&self) -> u16 {
        field::be16(self.f(3..5))
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: EVPD: return a vital product data page.
    pub fn set_evpd(&mut self, v: bool) {
        field::set_bit(self.bm(1), 0, v);
    }

    /// Sets: VPD page code.
    pub fn set_page_code(&mut self, v: u8) {
        *self.bm(2) = v;
    }

    /// Sets: Allocation length (bytes 3-4).
    pub fn set_allocation_length(&mut self, v: u16) {
        field::set_be16(self.fm(3..5), v);
    }
}

/// INQUIRY, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Inquiry {
    /// EVPD: return a vital product data page.
    pub evpd: bool,
    /// VPD page code.
    pub page_code: u8,
    /// Allocation length (bytes 3-4).
    pub allocation_length: u16,
}

impl Inquiry {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<Inquiry> {
        cdb.check_len()?;
        Ok(Inquiry {
            evpd: cdb.evpd(),
            page_code: cdb.page_code(),
            allocation_length: cdb.allocation_length(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_evpd(self.evpd);
        cdb.set_page_code(self.page_code);
        cdb.set_allocation_length(self.allocation_length);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Inquiry> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for Inquiry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::INQUIRY.name().unwrap_or("?"))?;
        if self.evpd {
            f.write_str(" evpd")?;
        }
        write!(f, " page=0x{:02x}", self.page_code)?;
        write!(f, " alloc={}", self.allocation_length)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 6] = [0x12, 0x00, 0x00, 0x00, 0x2c, 0x00];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            Inquiry::parse(&cdb).unwrap(),
            Inquiry {
                evpd: false,
                page_code: 0,
                allocation_length: 44
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            Inquiry {
                evpd: false,
                page_code: 0,
                allocation_length: 44
            }
            .to_bytes(),
            BYTES_0
        );
    }

    const BYTES_1: [u8; 6] = [0x12, 0x00, 0x00, 0x00, 0x24, 0x00];

    #[test]
    fn test_deconstruct_1() {
        let cdb = Cdb::new_checked(&BYTES_1[..]).unwrap();
        assert_eq!(
            Inquiry::parse(&cdb).unwrap(),
            Inquiry {
                evpd: false,
                page_code: 0,
                allocation_length: 36
            }
        );
    }

    #[test]
    fn test_construct_1() {
        assert_eq!(
            Inquiry {
                evpd: false,
                page_code: 0,
                allocation_length: 36
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
            Inquiry::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((evpd, page_code, allocation_length,) in (any::<bool>(), 0u8..=0xff, any::<u16>(),)) {
            let repr = Inquiry { evpd, page_code, allocation_length };
            prop_assert_eq!(Inquiry::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = Inquiry::from_bytes(&bytes);
            let _ = Inquiry::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
