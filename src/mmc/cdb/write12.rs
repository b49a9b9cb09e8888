//! WRITE(12) (AAh), mmc.md §2.13. As WRITE(10) with a 32-bit transfer length and the Streaming bit.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

cdb_view!(
    /// View of a Write12 CDB.
    opcode = OpCode::WRITE_12,
    len = 12
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// DPO.
    pub fn dpo(&self) -> bool {
        field::bit(self.b(1), 4)
    }

    /// FUA.
    pub fn fua(&self) -> bool {
        field::bit(self.b(1), 3)
    }

    /// Starting LBA (signed).
    pub fn lba(&self) -> i32 {
        field::be_i32(self.f(2..6))
    }

    /// Transfer length in blocks.
    pub fn transfer_length(&self) -> u32 {
        field::be32(self.f(6..10))
    }

    /// Streaming.
    pub fn streaming(&self) -> bool {
        field::bit(self.b(10), 7)
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: DPO.
    pub fn set_dpo(&mut self, v: bool) {
        field::set_bit(self.bm(1), 4, v);
    }

    /// Sets: FUA.
    pub fn set_fua(&mut self, v: bool) {
        field::set_bit(self.bm(1), 3, v);
    }

    /// Sets: Starting LBA (signed).
    pub fn set_lba(&mut self, v: i32) {
        field::set_be_i32(self.fm(2..6), v);
    }

    /// Sets: Transfer length in blocks.
    pub fn set_transfer_length(&mut self, v: u32) {
        field::set_be32(self.fm(6..10), v);
    }

    /// Sets: Streaming.
    pub fn set_streaming(&mut self, v: bool) {
        field::set_bit(self.bm(10), 7, v);
    }
}

/// WRITE(12), decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Write12 {
    /// DPO.
    pub dpo: bool,
    /// FUA.
    pub fua: bool,
    /// Starting LBA (signed).
    pub lba: i32,
    /// Transfer length in blocks.
    pub transfer_length: u32,
    /// Streaming.
    pub streaming: bool,
}

impl Write12 {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<Write12> {
        cdb.check_len()?;
        Ok(Write12 {
            dpo: cdb.dpo(),
            fua: cdb.fua(),
            lba: cdb.lba(),
            transfer_length: cdb.transfer_length(),
            streaming: cdb.streaming(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_dpo(self.dpo);
        cdb.set_fua(self.fua);
        cdb.set_lba(self.lba);
        cdb.set_transfer_length(self.transfer_length);
        cdb.set_streaming(self.streaming);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Write12> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for Write12 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::WRITE_12.name().unwrap_or("?"))?;
        if self.dpo {
            f.write_str(" dpo")?;
        }
        if self.fua {
            f.write_str(" fua")?;
        }
        write!(f, " lba={}", self.lba)?;
        write!(f, " blocks={}", self.transfer_length)?;
        if self.streaming {
            f.write_str(" streaming")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 12] = [
        0xaa, 0x00, 0xff, 0xff, 0xd2, 0x97, 0x00, 0x00, 0x00, 0x1a, 0x00, 0x00,
    ];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            Write12::parse(&cdb).unwrap(),
            Write12 {
                dpo: false,
                fua: false,
                lba: -11625,
                transfer_length: 26,
                streaming: false
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            Write12 {
                dpo: false,
                fua: false,
                lba: -11625,
                transfer_length: 26,
                streaming: false
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
            Write12::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((dpo, fua, lba, transfer_length, streaming,) in (any::<bool>(), any::<bool>(), any::<i32>(), any::<u32>(), any::<bool>(),)) {
            let repr = Write12 { dpo, fua, lba, transfer_length, streaming };
            prop_assert_eq!(Write12::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = Write12::from_bytes(&bytes);
            let _ = Write12::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
