//! MODE SELECT(10) (55h), mmc.md §2.8. PF must be 1, SP 0; bad page contents → 5/26/00, truncated list → 5/1A/00.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

cdb_view!(
    /// View of a ModeSelect10 CDB.
    opcode = OpCode::MODE_SELECT_10,
    len = 10
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// PF: page format (must be 1).
    pub fn pf(&self) -> bool {
        field::bit(self.b(1), 4)
    }

    /// SP: save pages (must be 0 on CD drives).
    pub fn sp(&self) -> bool {
        field::bit(self.b(1), 0)
    }

    /// Parameter list length (bytes of data-out).
    pub fn parameter_list_length(&self) -> u16 {
        field::be16(self.f(7..9))
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: PF: page format (must be 1).
    pub fn set_pf(&mut self, v: bool) {
        field::set_bit(self.bm(1), 4, v);
    }

    /// Sets: SP: save pages (must be 0 on CD drives).
    pub fn set_sp(&mut self, v: bool) {
        field::set_bit(self.bm(1), 0, v);
    }

    /// Sets: Parameter list length (bytes of data-out).
    pub fn set_parameter_list_length(&mut self, v: u16) {
        field::set_be16(self.fm(7..9), v);
    }
}

/// MODE SELECT(10), decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct ModeSelect10 {
    /// PF: page format (must be 1).
    pub pf: bool,
    /// SP: save pages (must be 0 on CD drives).
    pub sp: bool,
    /// Parameter list length (bytes of data-out).
    pub parameter_list_length: u16,
}

impl ModeSelect10 {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<ModeSelect10> {
        cdb.check_len()?;
        Ok(ModeSelect10 {
            pf: cdb.pf(),
            sp: cdb.sp(),
            parameter_list_length: cdb.parameter_list_length(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_pf(self.pf);
        cdb.set_sp(self.sp);
        cdb.set_parameter_list_length(self.parameter_list_length);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<ModeSelect10> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for ModeSelect10 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::MODE_SELECT_10.name().unwrap_or("?"))?;
        if self.pf {
            f.write_str(" pf")?;
        }
        if self.sp {
            f.write_str(" sp")?;
        }
        write!(f, " len={}", self.parameter_list_length)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 10] = [0x55, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3c, 0x00];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            ModeSelect10::parse(&cdb).unwrap(),
            ModeSelect10 {
                pf: true,
                sp: false,
                parameter_list_length: 60
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            ModeSelect10 {
                pf: true,
                sp: false,
                parameter_list_length: 60
            }
            .to_bytes(),
            BYTES_0
        );
    }

    const BYTES_1: [u8; 10] = [0x55, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00];

    #[test]
    fn test_deconstruct_1() {
        let cdb = Cdb::new_checked(&BYTES_1[..]).unwrap();
        assert_eq!(
            ModeSelect10::parse(&cdb).unwrap(),
            ModeSelect10 {
                pf: true,
                sp: false,
                parameter_list_length: 16
            }
        );
    }

    #[test]
    fn test_construct_1() {
        assert_eq!(
            ModeSelect10 {
                pf: true,
                sp: false,
                parameter_list_length: 16
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
            ModeSelect10::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((pf, sp, parameter_list_length,) in (any::<bool>(), any::<bool>(), any::<u16>(),)) {
            let repr = ModeSelect10 { pf, sp, parameter_list_length };
            prop_assert_eq!(ModeSelect10::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = ModeSelect10::from_bytes(&bytes);
            let _ = ModeSelect10::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
