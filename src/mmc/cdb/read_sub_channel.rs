//! READ SUB-CHANNEL (42h), mmc.md §2.16. Formats 01h position, 02h MCN, 03h ISRC.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

enum_with_unknown! {
    /// READ SUB-CHANNEL data format (byte 3).
    pub enum SubChannelFormat(u8) {
        /// 01h: current position.
        CurrentPosition = 1,
        /// 02h: media catalogue number (MCN).
        MediaCatalogNumber = 2,
        /// 03h: track ISRC.
        Isrc = 3,
    }
}

cdb_view!(
    /// View of a ReadSubChannel CDB.
    opcode = OpCode::READ_SUB_CHANNEL,
    len = 10
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// MSF addresses.
    pub fn msf(&self) -> bool {
        field::bit(self.b(1), 1)
    }

    /// SubQ: return sub-channel data.
    pub fn subq(&self) -> bool {
        field::bit(self.b(2), 6)
    }

    /// Data format.
    pub fn format(&self) -> SubChannelFormat {
        SubChannelFormat::from(self.b(3))
    }

    /// Track number (ISRC).
    pub fn track_number(&self) -> u8 {
        self.b(6)
    }

    /// Allocation length (bytes the host accepts).
    pub fn allocation_length(&self) -> u16 {
        field::be16(self.f(7..9))
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: MSF addresses.
    pub fn set_msf(&mut self, v: bool) {
        field::set_bit(self.bm(1), 1, v);
    }

    /// Sets: SubQ: return sub-channel data.
    pub fn set_subq(&mut self, v: bool) {
        field::set_bit(self.bm(2), 6, v);
    }

    /// Sets: Data format.
    pub fn set_format(&mut self, v: SubChannelFormat) {
        *self.bm(3) = u8::from(v);
    }

    /// Sets: Track number (ISRC).
    pub fn set_track_number(&mut self, v: u8) {
        *self.bm(6) = v;
    }

    /// Sets: Allocation length (bytes the host accepts).
    pub fn set_allocation_length(&mut self, v: u16) {
        field::set_be16(self.fm(7..9), v);
    }
}

/// READ SUB-CHANNEL, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct ReadSubChannel {
    /// MSF addresses.
    pub msf: bool,
    /// SubQ: return sub-channel data.
    pub subq: bool,
    /// Data format.
    pub format: SubChannelFormat,
    /// Track number (ISRC).
    pub track_number: u8,
    /// Allocation length (bytes the host accepts).
    pub allocation_length: u16,
}

#[allow(clippy::derivable_impls)]
impl Default for SubChannelFormat {
    fn default() -> Self {
        SubChannelFormat::CurrentPosition
    }
}

impl ReadSubChannel {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<ReadSubChannel> {
        cdb.check_len()?;
        Ok(ReadSubChannel {
            msf: cdb.msf(),
            subq: cdb.subq(),
            format: cdb.format(),
            track_number: cdb.track_number(),
            allocation_length: cdb.allocation_length(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_msf(self.msf);
        cdb.set_subq(self.subq);
        cdb.set_format(self.format);
        cdb.set_track_number(self.track_number);
        cdb.set_allocation_length(self.allocation_length);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<ReadSubChannel> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for ReadSubChannel {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::READ_SUB_CHANNEL.name().unwrap_or("?"))?;
        if self.msf {
            f.write_str(" msf")?;
        }
        if self.subq {
            f.write_str(" subq")?;
        }
        write!(f, " format={:?}", self.format)?;
        write!(f, " track={}", self.track_number)?;
        write!(f, " alloc={}", self.allocation_length)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 10] = [0x42, 0x00, 0x40, 0x02, 0x00, 0x00, 0x00, 0x00, 0x18, 0x00];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            ReadSubChannel::parse(&cdb).unwrap(),
            ReadSubChannel {
                msf: false,
                subq: true,
                format: SubChannelFormat::MediaCatalogNumber,
                track_number: 0,
                allocation_length: 24
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            ReadSubChannel {
                msf: false,
                subq: true,
                format: SubChannelFormat::MediaCatalogNumber,
                track_number: 0,
                allocation_length: 24
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
            ReadSubChannel::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((msf, subq, format, track_number, allocation_length,) in (any::<bool>(), any::<bool>(), (0u8..=0xff).prop_map(SubChannelFormat::from), 0u8..=0xff, any::<u16>(),)) {
            let repr = ReadSubChannel { msf, subq, format, track_number, allocation_length };
            prop_assert_eq!(ReadSubChannel::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = ReadSubChannel::from_bytes(&bytes);
            let _ = ReadSubChannel::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
