//! GET PERFORMANCE (ACh), mmc.md §2.9. Type 03h returns write-speed descriptors.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

cdb_view!(
    /// View of a GetPerformance CDB.
    opcode = OpCode::GET_PERFORMANCE,
    len = 12
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// Data type (type 00h: b4-3 tolerance, b2 Write, b1-0 Except).
    pub fn data_type(&self) -> u8 {
        self.b(1) & 0x1f
    }

    /// Starting LBA.
    pub fn starting_lba(&self) -> i32 {
        field::be_i32(self.f(2..6))
    }

    /// Maximum number of descriptors.
    pub fn max_descriptors(&self) -> u16 {
        field::be16(self.f(8..10))
    }

    /// Type: 00h performance, 03h write speed.
    pub fn performance_type(&self) -> u8 {
        self.b(10)
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: Data type (type 00h: b4-3 tolerance, b2 Write, b1-0 Except).
    pub fn set_data_type(&mut self, v: u8) {
        let b = self.bm(1);
        *b = (*b & !0x1f) | (v & 0x1f);
    }

    /// Sets: Starting LBA.
    pub fn set_starting_lba(&mut self, v: i32) {
        field::set_be_i32(self.fm(2..6), v);
    }

    /// Sets: Maximum number of descriptors.
    pub fn set_max_descriptors(&mut self, v: u16) {
        field::set_be16(self.fm(8..10), v);
    }

    /// Sets: Type: 00h performance, 03h write speed.
    pub fn set_performance_type(&mut self, v: u8) {
        *self.bm(10) = v;
    }
}

/// GET PERFORMANCE, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct GetPerformance {
    /// Data type (type 00h: b4-3 tolerance, b2 Write, b1-0 Except).
    pub data_type: u8,
    /// Starting LBA.
    pub starting_lba: i32,
    /// Maximum number of descriptors.
    pub max_descriptors: u16,
    /// Type: 00h performance, 03h write speed.
    pub performance_type: u8,
}

impl GetPerformance {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<GetPerformance> {
        cdb.check_len()?;
        Ok(GetPerformance {
            data_type: cdb.data_type(),
            starting_lba: cdb.starting_lba(),
            max_descriptors: cdb.max_descriptors(),
            performance_type: cdb.performance_type(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_data_type(self.data_type);
        cdb.set_starting_lba(self.starting_lba);
        cdb.set_max_descriptors(self.max_descriptors);
        cdb.set_performance_type(self.performance_type);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<GetPerformance> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for GetPerformance {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::GET_PERFORMANCE.name().unwrap_or("?"))?;
        write!(f, " data_type={}", self.data_type)?;
        write!(f, " lba={}", self.starting_lba)?;
        write!(f, " max={}", self.max_descriptors)?;
        write!(f, " type={}", self.performance_type)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 12] = [
        0xac, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x03, 0x00,
    ];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            GetPerformance::parse(&cdb).unwrap(),
            GetPerformance {
                data_type: 0,
                starting_lba: 0,
                max_descriptors: 6,
                performance_type: 3
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            GetPerformance {
                data_type: 0,
                starting_lba: 0,
                max_descriptors: 6,
                performance_type: 3
            }
            .to_bytes(),
            BYTES_0
        );
    }

    const BYTES_1: [u8; 12] = [
        0xac, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    ];

    #[test]
    fn test_deconstruct_1() {
        let cdb = Cdb::new_checked(&BYTES_1[..]).unwrap();
        assert_eq!(
            GetPerformance::parse(&cdb).unwrap(),
            GetPerformance {
                data_type: 0x10,
                starting_lba: 0,
                max_descriptors: 1,
                performance_type: 0
            }
        );
    }

    #[test]
    fn test_construct_1() {
        assert_eq!(
            GetPerformance {
                data_type: 0x10,
                starting_lba: 0,
                max_descriptors: 1,
                performance_type: 0
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
            GetPerformance::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((data_type, starting_lba, max_descriptors, performance_type,) in (0u8..=0x1f, any::<i32>(), any::<u16>(), 0u8..=0xff,)) {
            let repr = GetPerformance { data_type, starting_lba, max_descriptors, performance_type };
            prop_assert_eq!(GetPerformance::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = GetPerformance::from_bytes(&bytes);
            let _ = GetPerformance::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
