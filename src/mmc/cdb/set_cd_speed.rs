//! SET CD SPEED (BBh), mmc.md §2.9. Speeds in kB/s (k = 1000), 0xFFFF = maximum; the drive rounds down.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

cdb_view!(
    /// View of a SetCdSpeed CDB.
    opcode = OpCode::SET_CD_SPEED,
    len = 12
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// Rotation control (0 CLV, 1 pure CAV).
    pub fn rotation_control(&self) -> u8 {
        self.b(1) & 0x03
    }

    /// Read speed kB/s.
    pub fn read_speed(&self) -> u16 {
        field::be16(self.f(2..4))
    }

    /// Write speed kB/s.
    pub fn write_speed(&self) -> u16 {
        field::be16(self.f(4..6))
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: Rotation control (0 CLV, 1 pure CAV).
    pub fn set_rotation_control(&mut self, v: u8) {
        let b = self.bm(1);
        *b = (*b & !0x03) | (v & 0x03);
    }

    /// Sets: Read speed kB/s.
    pub fn set_read_speed(&mut self, v: u16) {
        field::set_be16(self.fm(2..4), v);
    }

    /// Sets: Write speed kB/s.
    pub fn set_write_speed(&mut self, v: u16) {
        field::set_be16(self.fm(4..6), v);
    }
}

/// SET CD SPEED, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct SetCdSpeed {
    /// Rotation control (0 CLV, 1 pure CAV).
    pub rotation_control: u8,
    /// Read speed kB/s.
    pub read_speed: u16,
    /// Write speed kB/s.
    pub write_speed: u16,
}

impl SetCdSpeed {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<SetCdSpeed> {
        cdb.check_len()?;
        Ok(SetCdSpeed {
            rotation_control: cdb.rotation_control(),
            read_speed: cdb.read_speed(),
            write_speed: cdb.write_speed(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_rotation_control(self.rotation_control);
        cdb.set_read_speed(self.read_speed);
        cdb.set_write_speed(self.write_speed);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<SetCdSpeed> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for SetCdSpeed {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::SET_CD_SPEED.name().unwrap_or("?"))?;
        write!(f, " rot={}", self.rotation_control)?;
        write!(f, " read={}", self.read_speed)?;
        write!(f, " write={}", self.write_speed)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 12] = [
        0xbb, 0x00, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            SetCdSpeed::parse(&cdb).unwrap(),
            SetCdSpeed {
                rotation_control: 0,
                read_speed: 0xffff,
                write_speed: 0xffff
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            SetCdSpeed {
                rotation_control: 0,
                read_speed: 0xffff,
                write_speed: 0xffff
            }
            .to_bytes(),
            BYTES_0
        );
    }

    const BYTES_1: [u8; 12] = [
        0xbb, 0x00, 0x1b, 0x90, 0x1b, 0xa8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn test_deconstruct_1() {
        let cdb = Cdb::new_checked(&BYTES_1[..]).unwrap();
        assert_eq!(
            SetCdSpeed::parse(&cdb).unwrap(),
            SetCdSpeed {
                rotation_control: 0,
                read_speed: 7056,
                write_speed: 7080
            }
        );
    }

    #[test]
    fn test_construct_1() {
        assert_eq!(
            SetCdSpeed {
                rotation_control: 0,
                read_speed: 7056,
                write_speed: 7080
            }
            .to_bytes(),
            BYTES_1
        );
    }

    const BYTES_2: [u8; 12] = [
        0xbb, 0x00, 0x1e, 0x78, 0x1b, 0x90, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn test_deconstruct_2() {
        let cdb = Cdb::new_checked(&BYTES_2[..]).unwrap();
        assert_eq!(
            SetCdSpeed::parse(&cdb).unwrap(),
            SetCdSpeed {
                rotation_control: 0,
                read_speed: 7800,
                write_speed: 7056
            }
        );
    }

    #[test]
    fn test_construct_2() {
        assert_eq!(
            SetCdSpeed {
                rotation_control: 0,
                read_speed: 7800,
                write_speed: 7056
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
            SetCdSpeed::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((rotation_control, read_speed, write_speed,) in (0u8..=0x03, any::<u16>(), any::<u16>(),)) {
            let repr = SetCdSpeed { rotation_control, read_speed, write_speed };
            prop_assert_eq!(SetCdSpeed::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = SetCdSpeed::from_bytes(&bytes);
            let _ = SetCdSpeed::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
