//! CLOSE TRACK/SESSION (5Bh), mmc.md §2.14. TAO/packet only; raw and SAO close with SYNCHRONIZE CACHE.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

cdb_view!(
    /// View of a CloseTrackSession CDB.
    opcode = OpCode::CLOSE_TRACK_SESSION,
    len = 10
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// IMMED.
    pub fn immed(&self) -> bool {
        field::bit(self.b(1), 0)
    }

    /// Close function (1 track, 2 session).
    pub fn close_function(&self) -> u8 {
        self.b(2) & 0x07
    }

    /// Track number (0xFF = incomplete track).
    pub fn track_number(&self) -> u16 {
        field::be16(self.f(4..6))
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: IMMED.
    pub fn set_immed(&mut self, v: bool) {
        field::set_bit(self.bm(1), 0, v);
    }

    /// Sets: Close function (1 track, 2 session).
    pub fn set_close_function(&mut self, v: u8) {
        let b = self.bm(2);
        *b = (*b & !0x07) | (v & 0x07);
    }

    /// Sets: Track number (0xFF = incomplete track).
    pub fn set_track_number(&mut self, v: u16) {
        field::set_be16(self.fm(4..6), v);
    }
}

/// CLOSE TRACK/SESSION, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct CloseTrackSession {
    /// IMMED.
    pub immed: bool,
    /// Close function (1 track, 2 session).
    pub close_function: u8,
    /// Track number (0xFF = incomplete track).
    pub track_number: u16,
}

impl CloseTrackSession {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<CloseTrackSession> {
        cdb.check_len()?;
        Ok(CloseTrackSession {
            immed: cdb.immed(),
            close_function: cdb.close_function(),
            track_number: cdb.track_number(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_immed(self.immed);
        cdb.set_close_function(self.close_function);
        cdb.set_track_number(self.track_number);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<CloseTrackSession> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for CloseTrackSession {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::CLOSE_TRACK_SESSION.name().unwrap_or("?"))?;
        if self.immed {
            f.write_str(" immed")?;
        }
        write!(f, " func={}", self.close_function)?;
        write!(f, " track={}", self.track_number)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 10] = [0x5b, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            CloseTrackSession::parse(&cdb).unwrap(),
            CloseTrackSession {
                immed: true,
                close_function: 2,
                track_number: 0
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            CloseTrackSession {
                immed: true,
                close_function: 2,
                track_number: 0
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
            CloseTrackSession::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((immed, close_function, track_number,) in (any::<bool>(), 0u8..=0x07, any::<u16>(),)) {
            let repr = CloseTrackSession { immed, close_function, track_number };
            prop_assert_eq!(CloseTrackSession::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = CloseTrackSession::from_bytes(&bytes);
            let _ = CloseTrackSession::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
