//! READ CD (BEh), mmc.md §2.16. Byte 9 = F8h returns the full 2352-byte sector; byte 10 selects sub-channel.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

cdb_view!(
    /// View of a ReadCd CDB.
    opcode = OpCode::READ_CD,
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

    /// Starting LBA (signed).
    pub fn lba(&self) -> i32 {
        field::be_i32(self.f(2..6))
    }

    /// Transfer length in blocks.
    pub fn transfer_length(&self) -> u32 {
        field::be24(self.f(6..9))
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

    /// Sets: Starting LBA (signed).
    pub fn set_lba(&mut self, v: i32) {
        field::set_be_i32(self.fm(2..6), v);
    }

    /// Sets: Transfer length in blocks.
    pub fn set_transfer_length(&mut self, v: u32) {
        field::set_be24(self.fm(6..9), v);
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

/// READ CD, decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct ReadCd {
    /// Expected sector type (byte 1 b4-2).
    pub expected_sector_type: u8,
    /// DAP.
    pub dap: bool,
    /// Starting LBA (signed).
    pub lba: i32,
    /// Transfer length in blocks.
    pub transfer_length: u32,
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

impl ReadCd {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<ReadCd> {
        cdb.check_len()?;
        Ok(ReadCd {
            expected_sector_type: cdb.expected_sector_type(),
            dap: cdb.dap(),
            lba: cdb.lba(),
            transfer_length: cdb.transfer_length(),
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
        cdb.set_lba(self.lba);
        cdb.set_transfer_length(self.transfer_length);
        cdb.set_sync(self.sync);
        cdb.set_header_codes(self.header_codes);
        cdb.set_user_data(self.user_data);
        cdb.set_edc_ecc(self.edc_ecc);
        cdb.set_c2_errors(self.c2_errors);
        cdb.set_sub_channel(self.sub_channel);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<ReadCd> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for ReadCd {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::READ_CD.name().unwrap_or("?"))?;
        write!(f, " type={}", self.expected_sector_type)?;
        if self.dap {
            f.write_str(" dap")?;
        }
        write!(f, " lba={}", self.lba)?;
        write!(f, " blocks={}", self.transfer_length)?;
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
    use proptest::prelude::*;

    const BYTES_0: [u8; 12] = [
        0xbe, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xf8, 0x01, 0x00,
    ];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            ReadCd::parse(&cdb).unwrap(),
            ReadCd {
                expected_sector_type: 0,
                dap: false,
                lba: 0,
                transfer_length: 1,
                sync: true,
                header_codes: 3,
                user_data: true,
                edc_ecc: true,
                c2_errors: 0,
                sub_channel: 1
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            ReadCd {
                expected_sector_type: 0,
                dap: false,
                lba: 0,
                transfer_length: 1,
                sync: true,
                header_codes: 3,
                user_data: true,
                edc_ecc: true,
                c2_errors: 0,
                sub_channel: 1
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
            ReadCd::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((expected_sector_type, dap, lba, transfer_length, sync, header_codes, user_data, edc_ecc, c2_errors, sub_channel,) in (0u8..=0x07, any::<bool>(), any::<i32>(), 0u32..=0xff_ffff, any::<bool>(), 0u8..=0x03, any::<bool>(), any::<bool>(), 0u8..=0x03, 0u8..=0x07,)) {
            let repr = ReadCd { expected_sector_type, dap, lba, transfer_length, sync, header_codes, user_data, edc_ecc, c2_errors, sub_channel };
            prop_assert_eq!(ReadCd::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = ReadCd::from_bytes(&bytes);
            let _ = ReadCd::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
