//! GET CONFIGURATION (46h), mmc.md §2.2. MMC-1 drives reject it with 5/20/00.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

enum_with_unknown! {
    /// GET CONFIGURATION RT field (byte 1 b1-0).
    pub enum RequestType(u8) {
        /// 00b: all features.
        All = 0,
        /// 01b: only current features.
        Current = 1,
        /// 10b: just the feature named by the starting feature number.
        One = 2,
    }
}

cdb_view!(
    /// View of a GetConfiguration CDB.
    opcode = OpCode::GET_CONFIGURATION,
    len = 10
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// RT: which features to return.
    pub fn rt(&self) -> RequestType {
        RequestType::from(self.b(1) & 0x03)
    }

    /// Starting feature number.
    pub fn starting_feature(&self) -> u16 {
        field::be16(self.f(2..4))
    }

    /// Allocation length (bytes the host accepts).
    pub fn allocation_length(&self) -> u16 {
        field::be16(self.f(7..9))
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: RT: which features to return.
    pub fn set_rt(&mut self, v: RequestType) {
        let b = self.bm(1);
        *b = (*b & !0x03) | (u8::from(v) & 0x03);
    }

    /// Sets: Starting feature number.
    pub fn set_starting_feature(&mut self, v: u16) {
        field::set_be16(self.fm(2..4), v);
    }

    /// Sets: Allocation length (bytes the host accepts).
    pub fn set_allocation_length(&mut self, v: u16) {
        field::set_be16(self.fm(7..9), v);
    }
}

/// GET CONFIGURATION, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct GetConfiguration {
    /// RT: which features to return.
    pub rt: RequestType,
    /// Starting feature number.
    pub starting_feature: u16,
    /// Allocation length (bytes the host accepts).
    pub allocation_length: u16,
}

#[allow(clippy::derivable_impls)]
impl Default for RequestType {
    fn default() -> Self {
        RequestType::All
    }
}

impl GetConfiguration {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<GetConfiguration> {
        cdb.check_len()?;
        Ok(GetConfiguration {
            rt: cdb.rt(),
            starting_feature: cdb.starting_feature(),
            allocation_length: cdb.allocation_length(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_rt(self.rt);
        cdb.set_starting_feature(self.starting_feature);
        cdb.set_allocation_length(self.allocation_length);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<GetConfiguration> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for GetConfiguration {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::GET_CONFIGURATION.name().unwrap_or("?"))?;
        write!(f, " rt={:?}", self.rt)?;
        write!(f, " start=0x{:02x}", self.starting_feature)?;
        write!(f, " alloc={}", self.allocation_length)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 10] = [0x46, 0x02, 0x00, 0x37, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            GetConfiguration::parse(&cdb).unwrap(),
            GetConfiguration {
                rt: RequestType::One,
                starting_feature: 0x0037,
                allocation_length: 16
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            GetConfiguration {
                rt: RequestType::One,
                starting_feature: 0x0037,
                allocation_length: 16
            }
            .to_bytes(),
            BYTES_0
        );
    }

    const BYTES_1: [u8; 10] = [0x46, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x78, 0x00];

    #[test]
    fn test_deconstruct_1() {
        let cdb = Cdb::new_checked(&BYTES_1[..]).unwrap();
        assert_eq!(
            GetConfiguration::parse(&cdb).unwrap(),
            GetConfiguration {
                rt: RequestType::All,
                starting_feature: 0,
                allocation_length: 120
            }
        );
    }

    #[test]
    fn test_construct_1() {
        assert_eq!(
            GetConfiguration {
                rt: RequestType::All,
                starting_feature: 0,
                allocation_length: 120
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
            GetConfiguration::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((rt, starting_feature, allocation_length,) in ((0u8..=0x03).prop_map(RequestType::from), any::<u16>(), any::<u16>(),)) {
            let repr = GetConfiguration { rt, starting_feature, allocation_length };
            prop_assert_eq!(GetConfiguration::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = GetConfiguration::from_bytes(&bytes);
            let _ = GetConfiguration::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
