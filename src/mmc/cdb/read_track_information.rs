//! READ TRACK INFORMATION (52h), mmc.md §2.5. Track 0xFF = the invisible track; its NWA depends on the page 05 write type.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

enum_with_unknown! {
    /// READ TRACK INFORMATION address/number type (byte 1 b1-0).
    pub enum AddressType(u8) {
        /// Bytes 2-5 are an LBA.
        Lba = 0,
        /// Bytes 2-5 are a track number (0xFF = invisible track).
        Track = 1,
        /// Bytes 2-5 are a session number.
        Session = 2,
    }
}

cdb_view!(
    /// View of a ReadTrackInformation CDB.
    opcode = OpCode::READ_TRACK_INFORMATION,
    len = 10
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// Open (MMC-5).
    pub fn open(&self) -> bool {
        field::bit(self.b(1), 2)
    }

    /// Address/number type.
    pub fn address_type(&self) -> AddressType {
        AddressType::from(self.b(1) & 0x03)
    }

    /// LBA (as u32, see `lba()`), track or session number.
    pub fn address(&self) -> u32 {
        field::be32(self.f(2..6))
    }

    /// Allocation length (bytes the host accepts).
    pub fn allocation_length(&self) -> u16 {
        field::be16(self.f(7..9))
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: Open (MMC-5).
    pub fn set_open(&mut self, v: bool) {
        field::set_bit(self.bm(1), 2, v);
    }

    /// Sets: Address/number type.
    pub fn set_address_type(&mut self, v: AddressType) {
        let b = self.bm(1);
        *b = (*b & !0x03) | (u8::from(v) & 0x03);
    }

    /// Sets: LBA (as u32, see `lba()`), track or session number.
    pub fn set_address(&mut self, v: u32) {
        field::set_be32(self.fm(2..6), v);
    }

    /// Sets: Allocation length (bytes the host accepts).
    pub fn set_allocation_length(&mut self, v: u16) {
        field::set_be16(self.fm(7..9), v);
    }
}

/// READ TRACK INFORMATION, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct ReadTrackInformation {
    /// Open (MMC-5).
    pub open: bool,
    /// Address/number type.
    pub address_type: AddressType,
    /// LBA (as u32, see `lba()`), track or session number.
    pub address: u32,
    /// Allocation length (bytes the host accepts).
    pub allocation_length: u16,
}

#[allow(clippy::derivable_impls)]
impl Default for AddressType {
    fn default() -> Self {
        AddressType::Lba
    }
}

impl ReadTrackInformation {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<ReadTrackInformation> {
        cdb.check_len()?;
        Ok(ReadTrackInformation {
            open: cdb.open(),
            address_type: cdb.address_type(),
            address: cdb.address(),
            allocation_length: cdb.allocation_length(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_open(self.open);
        cdb.set_address_type(self.address_type);
        cdb.set_address(self.address);
        cdb.set_allocation_length(self.allocation_length);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<ReadTrackInformation> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for ReadTrackInformation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::READ_TRACK_INFORMATION.name().unwrap_or("?"))?;
        if self.open {
            f.write_str(" open")?;
        }
        write!(f, " type={:?}", self.address_type)?;
        write!(f, " addr={}", self.address)?;
        write!(f, " alloc={}", self.allocation_length)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 10] = [0x52, 0x01, 0x00, 0x00, 0x00, 0xff, 0x00, 0x00, 0x1c, 0x00];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            ReadTrackInformation::parse(&cdb).unwrap(),
            ReadTrackInformation {
                open: false,
                address_type: AddressType::Track,
                address: 0xff,
                allocation_length: 28
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            ReadTrackInformation {
                open: false,
                address_type: AddressType::Track,
                address: 0xff,
                allocation_length: 28
            }
            .to_bytes(),
            BYTES_0
        );
    }

    const BYTES_1: [u8; 10] = [0x52, 0x01, 0x00, 0x00, 0x00, 0xff, 0x00, 0x00, 0x14, 0x00];

    #[test]
    fn test_deconstruct_1() {
        let cdb = Cdb::new_checked(&BYTES_1[..]).unwrap();
        assert_eq!(
            ReadTrackInformation::parse(&cdb).unwrap(),
            ReadTrackInformation {
                open: false,
                address_type: AddressType::Track,
                address: 0xff,
                allocation_length: 20
            }
        );
    }

    #[test]
    fn test_construct_1() {
        assert_eq!(
            ReadTrackInformation {
                open: false,
                address_type: AddressType::Track,
                address: 0xff,
                allocation_length: 20
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
            ReadTrackInformation::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((open, address_type, address, allocation_length,) in (any::<bool>(), (0u8..=0x03).prop_map(AddressType::from), any::<u32>(), any::<u16>(),)) {
            let repr = ReadTrackInformation { open, address_type, address, allocation_length };
            prop_assert_eq!(ReadTrackInformation::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = ReadTrackInformation::from_bytes(&bytes);
            let _ = ReadTrackInformation::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
