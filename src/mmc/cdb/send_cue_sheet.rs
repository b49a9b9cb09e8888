//! SEND CUE SHEET (5Dh), mmc.md §2.12. SAO only (write type 2), else 5/2C/00.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

cdb_view!(
    /// View of a SendCueSheet CDB.
    opcode = OpCode::SEND_CUE_SHEET,
    len = 10
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// Cue sheet size in bytes (multiple of 8).
    pub fn cue_sheet_size(&self) -> u32 {
        field::be24(self.f(6..9))
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: Cue sheet size in bytes (multiple of 8).
    pub fn set_cue_sheet_size(&mut self, v: u32) {
        field::set_be24(self.fm(6..9), v);
    }
}

/// SEND CUE SHEET, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct SendCueSheet {
    /// Cue sheet size in bytes (multiple of 8).
    pub cue_sheet_size: u32,
}

impl SendCueSheet {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<SendCueSheet> {
        cdb.check_len()?;
        Ok(SendCueSheet {
            cue_sheet_size: cdb.cue_sheet_size(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_cue_sheet_size(self.cue_sheet_size);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<SendCueSheet> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for SendCueSheet {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::SEND_CUE_SHEET.name().unwrap_or("?"))?;
        write!(f, " size={}", self.cue_sheet_size)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 10] = [0x5d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x30, 0x00];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            SendCueSheet::parse(&cdb).unwrap(),
            SendCueSheet { cue_sheet_size: 48 }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(SendCueSheet { cue_sheet_size: 48 }.to_bytes(), BYTES_0);
    }

    const BYTES_1: [u8; 10] = [0x5d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x28, 0x00];

    #[test]
    fn test_deconstruct_1() {
        let cdb = Cdb::new_checked(&BYTES_1[..]).unwrap();
        assert_eq!(
            SendCueSheet::parse(&cdb).unwrap(),
            SendCueSheet { cue_sheet_size: 40 }
        );
    }

    #[test]
    fn test_construct_1() {
        assert_eq!(SendCueSheet { cue_sheet_size: 40 }.to_bytes(), BYTES_1);
    }

    #[test]
    fn test_short_or_wrong_opcode_is_refused() {
        assert!(Cdb::new_checked(&BYTES_0[..CDB_LEN - 1]).is_err());
        let mut other = BYTES_0;
        other[0] ^= 0xff;
        assert!(matches!(
            SendCueSheet::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((cue_sheet_size,) in (0u32..=0xff_ffff,)) {
            let repr = SendCueSheet { cue_sheet_size };
            prop_assert_eq!(SendCueSheet::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = SendCueSheet::from_bytes(&bytes);
            let _ = SendCueSheet::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
