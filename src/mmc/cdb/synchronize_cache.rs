//! SYNCHRONIZE CACHE (35h), mmc.md §2.14. Ends SAO and raw DAO; with IMMED the host polls until the drive is no longer busy.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

cdb_view!(
    /// View of a SynchronizeCache CDB.
    opcode = OpCode::SYNCHRONIZE_CACHE,
    len = 10
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// IMMED: return at once.
    pub fn immed(&self) -> bool {
        field::bit(self.b(1), 1)
    }

    /// LBA (0 = all).
    pub fn lba(&self) -> i32 {
        field::be_i32(self.f(2..6))
    }

    /// Number of blocks (0 = all).
    pub fn block_count(&self) -> u16 {
        field::be16(self.f(7..9))
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: IMMED: return at once.
    pub fn set_immed(&mut self, v: bool) {
        field::set_bit(self.bm(1), 1, v);
    }

    /// Sets: LBA (0 = all).
    pub fn set_lba(&mut self, v: i32) {
        field::set_be_i32(self.fm(2..6), v);
    }

    /// Sets: Number of blocks (0 = all).
    pub fn set_block_count(&mut self, v: u16) {
        field::set_be16(self.fm(7..9), v);
    }
}

/// SYNCHRONIZE CACHE, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct SynchronizeCache {
    /// IMMED: return at once.
    pub immed: bool,
    /// LBA (0 = all).
    pub lba: i32,
    /// Number of blocks (0 = all).
    pub block_count: u16,
}

impl SynchronizeCache {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<SynchronizeCache> {
        cdb.check_len()?;
        Ok(SynchronizeCache {
            immed: cdb.immed(),
            lba: cdb.lba(),
            block_count: cdb.block_count(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_immed(self.immed);
        cdb.set_lba(self.lba);
        cdb.set_block_count(self.block_count);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<SynchronizeCache> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for SynchronizeCache {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::SYNCHRONIZE_CACHE.name().unwrap_or("?"))?;
        if self.immed {
            f.write_str(" immed")?;
        }
        write!(f, " lba={}", self.lba)?;
        write!(f, " blocks={}", self.block_count)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 10] = [0x35, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            SynchronizeCache::parse(&cdb).unwrap(),
            SynchronizeCache {
                immed: false,
                lba: 0,
                block_count: 0
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            SynchronizeCache {
                immed: false,
                lba: 0,
                block_count: 0
            }
            .to_bytes(),
            BYTES_0
        );
    }

    const BYTES_1: [u8; 10] = [0x35, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];

    #[test]
    fn test_deconstruct_1() {
        let cdb = Cdb::new_checked(&BYTES_1[..]).unwrap();
        assert_eq!(
            SynchronizeCache::parse(&cdb).unwrap(),
            SynchronizeCache {
                immed: true,
                lba: 0,
                block_count: 0
            }
        );
    }

    #[test]
    fn test_construct_1() {
        assert_eq!(
            SynchronizeCache {
                immed: true,
                lba: 0,
                block_count: 0
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
            SynchronizeCache::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((immed, lba, block_count,) in (any::<bool>(), any::<i32>(), any::<u16>(),)) {
            let repr = SynchronizeCache { immed, lba, block_count };
            prop_assert_eq!(SynchronizeCache::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = SynchronizeCache::from_bytes(&bytes);
            let _ = SynchronizeCache::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
