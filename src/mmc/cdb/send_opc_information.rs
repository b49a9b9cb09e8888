//! SEND OPC INFORMATION (54h), mmc.md §2.11. DoOpc = 1 runs power calibration; 5/20/00 means "not supported".
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

cdb_view!(
    /// View of a SendOpcInformation CDB.
    opcode = OpCode::SEND_OPC_INFORMATION,
    len = 10
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// DoOpc: perform OPC now.
    pub fn do_opc(&self) -> bool {
        field::bit(self.b(1), 0)
    }

    /// Parameter list length (0 with DoOpc).
    pub fn parameter_list_length(&self) -> u16 {
        field::be16(self.f(7..9))
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: DoOpc: perform OPC now.
    pub fn set_do_opc(&mut self, v: bool) {
        field::set_bit(self.bm(1), 0, v);
    }

    /// Sets: Parameter list length (0 with DoOpc).
    pub fn set_parameter_list_length(&mut self, v: u16) {
        field::set_be16(self.fm(7..9), v);
    }
}

/// SEND OPC INFORMATION, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct SendOpcInformation {
    /// DoOpc: perform OPC now.
    pub do_opc: bool,
    /// Parameter list length (0 with DoOpc).
    pub parameter_list_length: u16,
}

impl SendOpcInformation {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<SendOpcInformation> {
        cdb.check_len()?;
        Ok(SendOpcInformation {
            do_opc: cdb.do_opc(),
            parameter_list_length: cdb.parameter_list_length(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_do_opc(self.do_opc);
        cdb.set_parameter_list_length(self.parameter_list_length);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<SendOpcInformation> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for SendOpcInformation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::SEND_OPC_INFORMATION.name().unwrap_or("?"))?;
        if self.do_opc {
            f.write_str(" do_opc")?;
        }
        write!(f, " len={}", self.parameter_list_length)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 10] = [0x54, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            SendOpcInformation::parse(&cdb).unwrap(),
            SendOpcInformation {
                do_opc: true,
                parameter_list_length: 0
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            SendOpcInformation {
                do_opc: true,
                parameter_list_length: 0
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
            SendOpcInformation::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((do_opc, parameter_list_length,) in (any::<bool>(), any::<u16>(),)) {
            let repr = SendOpcInformation { do_opc, parameter_list_length };
            prop_assert_eq!(SendOpcInformation::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = SendOpcInformation::from_bytes(&bytes);
            let _ = SendOpcInformation::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
