//! READ CD MSF (B9h), mmc.md §2.16. As READ CD, with start and end (exclusive) as binary M/S/F.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};
use crate::msf::Msf;

cdb_view!(
    /// View of a ReadCdMsf CDB.
    opcode = OpCode::READ_CD_MSF,
    len = 12
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// Expected sector type (byte 1 b4-2).
    pub fn expected_sector_type(&self) -> u8 {
        (self.b(1) & 0x1c) >> 2
    }

    /// DAP.
    pub fn dap(&self) -> bool {
        field::bit(self.b(1), 1)
    }

    /// Start M/S/F (bytes 3-5). Raw; [`ReadCdMsf::parse`] validates the ranges.
    pub fn start(&self) -> Msf {
        Msf {
            minute: self.b(3),
            second: self.b(4),
            frame: self.b(5),
        }
    }

    /// End M/S/F, exclusive (bytes 6-8). Raw; [`ReadCdMsf::parse`] validates the ranges.
    pub fn end(&self) -> Msf {
        Msf {
            minute: self.b(6),
            second: self.b(7),
            frame: self.b(8),
        }
    }

    /// Byte 9 b7: return the 12-byte sync.
    pub fn sync(&self) -> bool {
        field::bit(self.b(9), 7)
    }

    /// Byte 9 b6-5: header codes (0 none, 1 header, 2 sub-header, 3 both).
    pub fn header_codes(&self) -> u8 {
        (self.b(9) & 0x60) >> 5
    }

    /// Byte 9 b4: return user data.
    pub fn user_data(&self) -> bool {
        field::bit(self.b(9), 4)
    }

    /// Byte 9 b3: return EDC/ECC.
    pub fn edc_ecc(&self) -> bool {
        field::bit(self.b(9), 3)
    }

    /// Byte 9 b2-1: C2 error information (0 none, 1 294 bytes, 2 296 bytes).
    pub fn c2_errors(&self) -> u8 {
        (self.b(9) & 0x06) >> 1
    }

    /// Byte 10 b2-0: sub-channel selection (0 none, 1 raw P-W, 2 Q, 4 R-W).
    pub fn sub_channel(&self) -> u8 {
        self.b(10) & 0x07
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: Expected sector type (byte 1 b4-2).
    pub fn set_expected_sector_type(&mut self, v: u8) {
        let b = self.bm(1);
        *b = (*b & !0x1c) | ((v << 2) & 0x1c);
    }

    /// Sets: DAP.
    pub fn set_dap(&mut self, v: bool) {
        field::set_bit(self.bm(1), 1, v);
    }

    /// Sets: Start M/S/F (bytes 3-5).
    pub fn set_start(&mut self, v: Msf) {
        self.fm(3..6).copy_from_slice(&v.to_binary());
    }

    /// Sets: End M/S/F, exclusive (bytes 6-8).
    pub fn set_end(&mut self, v: Msf) {
        self.fm(6..9).copy_from_slice(&v.to_binary());
    }

    /// Sets: Byte 9 b7: return the 12-byte sync.
    pub fn set_sync(&mut self, v: bool) {
        field::set_bit(self.bm(9), 7, v);
    }

    /// Sets: Byte 9 b6-5: header codes (0 none, 1 header, 2 sub-header, 3 both).
    pub fn set_header_codes(&mut self, v: u8) {
        let b = self.bm(9);
        *b = (*b & !0x60) | ((v << 5) & 0x60);
    }

    /// Sets: Byte 9 b4: return user data.
    pub fn set_user_data(&mut self, v: bool) {
        field::set_bit(self.bm(9), 4, v);
    }

    /// Sets: Byte 9 b3: return EDC/ECC.
    pub fn set_edc_ecc(&mut self, v: bool) {
        field::set_bit(self.bm(9), 3, v);
    }

    /// Sets: Byte 9 b2-1: C2 error information (0 none, 1 294 bytes, 2 296 bytes).
    pub fn set_c2_errors(&mut self, v: u8) {
        let b = self.bm(9);
        *b = (*b & !0x06) | ((v << 1) & 0x06);
    }

    /// Sets: Byte 10 b2-0: sub-channel selection (0 none, 1 raw P-W, 2 Q, 4 R-W).
    pub fn set_sub_channel(&mut self, v: u8) {
        let b = self.bm(10);
        *b = (*b & !0x07) | (v & 0x07);
    }
}

/// READ CD MSF, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub struct ReadCdMsf {
    /// Expected sector type (byte 1 b4-2).
    pub expected_sector_type: u8,
    /// DAP.
    pub dap: bool,
    /// Start M/S/F (bytes 3-5).
    pub start: Msf,
    /// End M/S/F, exclusive (bytes 6-8).
    pub end: Msf,
    /// Byte 9 b7: return the 12-byte sync.
    pub sync: bool,
    /// Byte 9 b6-5: header codes (0 none, 1 header, 2 sub-header, 3 both).
    pub header_codes: u8,
    /// Byte 9 b4: return user data.
    pub user_data: bool,
    /// Byte 9 b3: return EDC/ECC.
    pub edc_ecc: bool,
    /// Byte 9 b2-1: C2 error information (0 none, 1 294 bytes, 2 296 bytes).
    pub c2_errors: u8,
    /// Byte 10 b2-0: sub-channel selection (0 none, 1 raw P-W, 2 Q, 4 R-W).
    pub sub_channel: u8,
}

impl ReadCdMsf {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<ReadCdMsf> {
        cdb.check_len()?;
        let start = cdb.start();
        if Msf::new(start.minute.into(), start.second.into(), start.frame.into()).is_err() {
            return Err(Error::InvalidField {
                byte: 3,
                reason: "invalid MSF",
            });
        }
        let end = cdb.end();
        if Msf::new(end.minute.into(), end.second.into(), end.frame.into()).is_err() {
            return Err(Error::InvalidField {
                byte: 6,
                reason: "invalid MSF",
            });
        }
        Ok(ReadCdMsf {
            expected_sector_type: cdb.expected_sector_type(),
            dap: cdb.dap(),
            start,
            end,
            sync: cdb.sync(),
            header_codes: cdb.header_codes(),
            user_data: cdb.user_data(),
            edc_ecc: cdb.edc_ecc(),
            c2_errors: cdb.c2_errors(),
            sub_channel: cdb.sub_channel(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_expected_sector_type(self.expected_sector_type);
        cdb.set_dap(self.dap);
        cdb.set_start(self.start);
        cdb.set_end(self.end);
        cdb.set_sync(self.sync);
        cdb.set_header_codes(self.header_codes);
        cdb.set_user_data(self.user_data);
        cdb.set_edc_ecc(self.edc_ecc);
        cdb.set_c2_errors(self.c2_errors);
        cdb.set_sub_channel(self.sub_channel);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<ReadCdMsf> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for ReadCdMsf {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::READ_CD_MSF.name().unwrap_or("?"))?;
        write!(f, " type={}", self.expected_sector_type)?;
        if self.dap {
            f.write_str(" dap")?;
        }
        write!(f, " start={}", self.start)?;
        write!(f, " end={}", self.end)?;
        if self.sync {
            f.write_str(" sync")?;
        }
        write!(f, " hdr={}", self.header_codes)?;
        if self.user_data {
            f.write_str(" user_data")?;
        }
        if self.edc_ecc {
            f.write_str(" edc_ecc")?;
        }
        write!(f, " c2={}", self.c2_errors)?;
        write!(f, " sub={}", self.sub_channel)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msf::Msf;
    use proptest::prelude::*;

    const BYTES_0: [u8; 12] = [
        0xb9, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x02, 0x01, 0xf8, 0x00, 0x00,
    ];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            ReadCdMsf::parse(&cdb).unwrap(),
            ReadCdMsf {
                expected_sector_type: 0,
                dap: false,
                start: Msf {
                    minute: 0,
                    second: 2,
                    frame: 0
                },
                end: Msf {
                    minute: 0,
                    second: 2,
                    frame: 1
                },
                sync: true,
                header_codes: 3,
                user_data: true,
                edc_ecc: true,
                c2_errors: 0,
                sub_channel: 0
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            ReadCdMsf {
                expected_sector_type: 0,
                dap: false,
                start: Msf {
                    minute: 0,
                    second: 2,
                    frame: 0
                },
                end: Msf {
                    minute: 0,
                    second: 2,
                    frame: 1
                },
                sync: true,
                header_codes: 3,
                user_data: true,
                edc_ecc: true,
                c2_errors: 0,
                sub_channel: 0
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
            ReadCdMsf::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((expected_sector_type, dap, start, end, sync, header_codes, user_data, edc_ecc, c2_errors, sub_channel,) in (0u8..=0x07, any::<bool>(), (0u8..100, 0u8..60, 0u8..75).prop_map(|(minute, second, frame)| Msf { minute, second, frame }), (0u8..100, 0u8..60, 0u8..75).prop_map(|(minute, second, frame)| Msf { minute, second, frame }), any::<bool>(), 0u8..=0x03, any::<bool>(), any::<bool>(), 0u8..=0x03, 0u8..=0x07,)) {
            let repr = ReadCdMsf { expected_sector_type, dap, start, end, sync, header_codes, user_data, edc_ecc, c2_errors, sub_channel };
            prop_assert_eq!(ReadCdMsf::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = ReadCdMsf::from_bytes(&bytes);
            let _ = ReadCdMsf::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
