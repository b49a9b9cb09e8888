//! GET EVENT STATUS NOTIFICATION (4Ah), mmc.md §2.3. Hosts poll (Polled = 1); the emulator queues media events.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

cdb_view!(
    /// View of a GetEventStatusNotification CDB.
    opcode = OpCode::GET_EVENT_STATUS_NOTIFICATION,
    len = 10
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// Polled: 1 = polled operation (async is optional).
    pub fn polled(&self) -> bool {
        field::bit(self.b(1), 0)
    }

    /// Notification class request bitmap (b4 = media).
    pub fn class_request(&self) -> u8 {
        self.b(4)
    }

    /// Allocation length (bytes the host accepts).
    pub fn allocation_length(&self) -> u16 {
        field::be16(self.f(7..9))
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: Polled: 1 = polled operation (async is optional).
    pub fn set_polled(&mut self, v: bool) {
        field::set_bit(self.bm(1), 0, v);
    }

    /// Sets: Notification class request bitmap (b4 = media).
    pub fn set_class_request(&mut self, v: u8) {
        *self.bm(4) = v;
    }

    /// Sets: Allocation length (bytes the host accepts).
    pub fn set_allocation_length(&mut self, v: u16) {
        field::set_be16(self.fm(7..9), v);
    }
}

/// GET EVENT STATUS NOTIFICATION, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct GetEventStatusNotification {
    /// Polled: 1 = polled operation (async is optional).
    pub polled: bool,
    /// Notification class request bitmap (b4 = media).
    pub class_request: u8,
    /// Allocation length (bytes the host accepts).
    pub allocation_length: u16,
}

impl GetEventStatusNotification {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<GetEventStatusNotification> {
        cdb.check_len()?;
        Ok(GetEventStatusNotification {
            polled: cdb.polled(),
            class_request: cdb.class_request(),
            allocation_length: cdb.allocation_length(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_polled(self.polled);
        cdb.set_class_request(self.class_request);
        cdb.set_allocation_length(self.allocation_length);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<GetEventStatusNotification> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for GetEventStatusNotification {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::GET_EVENT_STATUS_NOTIFICATION.name().unwrap_or("?"))?;
        if self.polled {
            f.write_str(" polled")?;
        }
        write!(f, " classes=0x{:02x}", self.class_request)?;
        write!(f, " alloc={}", self.allocation_length)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 10] = [0x4a, 0x01, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x08, 0x00];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            GetEventStatusNotification::parse(&cdb).unwrap(),
            GetEventStatusNotification {
                polled: true,
                class_request: 0x10,
                allocation_length: 8
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            GetEventStatusNotification {
                polled: true,
                class_request: 0x10,
                allocation_length: 8
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
            GetEventStatusNotification::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((polled, class_request, allocation_length,) in (any::<bool>(), 0u8..=0xff, any::<u16>(),)) {
            let repr = GetEventStatusNotification { polled, class_request, allocation_length };
            prop_assert_eq!(GetEventStatusNotification::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = GetEventStatusNotification::from_bytes(&bytes);
            let _ = GetEventStatusNotification::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
