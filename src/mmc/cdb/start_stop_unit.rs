//! START STOP UNIT (1Bh), mmc.md §2.15. LoEj 1/Start 0 eject, LoEj 1/Start 1 load, LoEj 0/Start 1 spin up.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

cdb_view!(
    /// View of a StartStopUnit CDB.
    opcode = OpCode::START_STOP_UNIT,
    len = 6
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// IMMED.
    pub fn immed(&self) -> bool {
        field::bit(self.b(1), 0)
    }

    /// Power condition (byte 4 b7-4).
    pub fn power_condition(&self) -> u8 {
        (self.b(4) & 0xf0) >> 4
    }

    /// LoEj.
    pub fn load_eject(&self) -> bool {
        field::bit(self.b(4), 1)
    }

    /// Start.
    pub fn start(&self) -> bool {
        field::bit(self.b(4), 0)
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: IMMED.
    pub fn set_immed(&mut self, v: bool) {
        field::set_bit(self.bm(1), 0, v);
    }

    /// Sets: Power condition (byte 4 b7-4).
    pub fn set_power_condition(&mut self, v: u8) {
        let b = self.bm(4);
        *b = (*b & !0xf0) | ((v << 4) & 0xf0);
    }

    /// Sets: LoEj.
    pub fn set_load_eject(&mut self, v: bool) {
        field::set_bit(self.bm(4), 1, v);
    }

    /// Sets: Start.
    pub fn set_start(&mut self, v: bool) {
        field::set_bit(self.bm(4), 0, v);
    }
}

/// START STOP UNIT, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct StartStopUnit {
    /// IMMED.
    pub immed: bool,
    /// Power condition (byte 4 b7-4).
    pub power_condition: u8,
    /// LoEj.
    pub load_eject: bool,
    /// Start.
    pub start: bool,
}

impl StartStopUnit {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<StartStopUnit> {
        cdb.check_len()?;
        Ok(StartStopUnit {
            immed: cdb.immed(),
            power_condition: cdb.power_condition(),
            load_eject: cdb.load_eject(),
            start: cdb.start(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_immed(self.immed);
        cdb.set_power_condition(self.power_condition);
        cdb.set_load_eject(self.load_eject);
        cdb.set_start(self.start);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<StartStopUnit> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for StartStopUnit {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::START_STOP_UNIT.name().unwrap_or("?"))?;
        if self.immed {
            f.write_str(" immed")?;
        }
        write!(f, " power={}", self.power_condition)?;
        if self.load_eject {
            f.write_str(" load_eject")?;
        }
        if self.start {
            f.write_str(" start")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 6] = [0x1b, 0x00, 0x00, 0x00, 0x03, 0x00];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            StartStopUnit::parse(&cdb).unwrap(),
            StartStopUnit {
                immed: false,
                power_condition: 0,
                load_eject: true,
                start: true
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            StartStopUnit {
                immed: false,
                power_condition: 0,
                load_eject: true,
                start: true
            }
            .to_bytes(),
            BYTES_0
        );
    }

    const BYTES_1: [u8; 6] = [0x1b, 0x01, 0x00, 0x00, 0x01, 0x00];

    #[test]
    fn test_deconstruct_1() {
        let cdb = Cdb::new_checked(&BYTES_1[..]).unwrap();
        assert_eq!(
            StartStopUnit::parse(&cdb).unwrap(),
            StartStopUnit {
                immed: true,
                power_condition: 0,
                load_eject: false,
                start: true
            }
        );
    }

    #[test]
    fn test_construct_1() {
        assert_eq!(
            StartStopUnit {
                immed: true,
                power_condition: 0,
                load_eject: false,
                start: true
            }
            .to_bytes(),
            BYTES_1
        );
    }

    const BYTES_2: [u8; 6] = [0x1b, 0x00, 0x00, 0x00, 0x02, 0x00];

    #[test]
    fn test_deconstruct_2() {
        let cdb = Cdb::new_checked(&BYTES_2[..]).unwrap();
        assert_eq!(
            StartStopUnit::parse(&cdb).unwrap(),
            StartStopUnit {
                immed: false,
                power_condition: 0,
                load_eject: true,
                start: false
            }
        );
    }

    #[test]
    fn test_construct_2() {
        assert_eq!(
            StartStopUnit {
                immed: false,
                power_condition: 0,
                load_eject: true,
                start: false
            }
            .to_bytes(),
            BYTES_2
        );
    }

    #[test]
    fn test_short_or_wrong_opcode_is_refused() {
        assert!(Cdb::new_checked(&BYTES_0[..CDB_LEN - 1]).is_err());
        let mut other = BYTES_0;
        other[0] ^= 0xff;
        assert!(matches!(
            StartStopUnit::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((immed, power_condition, load_eject, start,) in (any::<bool>(), 0u8..=0x0f, any::<bool>(), any::<bool>(),)) {
            let repr = StartStopUnit { immed, power_condition, load_eject, start };
            prop_assert_eq!(StartStopUnit::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = StartStopUnit::from_bytes(&bytes);
            let _ = StartStopUnit::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
