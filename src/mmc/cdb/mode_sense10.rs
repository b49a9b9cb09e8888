//! MODE SENSE(10) (5Ah), mmc.md §2.8. Unsupported page → 5/24/00; PC = saved → 5/39/00.
//!
//! Emitted by the writer, parsed by the emulator through [`crate::mmc::Command::parse`].

use crate::mmc::field;
#[allow(unused_imports)]
use crate::mmc::{Error, OpCode, Result};

enum_with_unknown! {
    /// MODE SENSE page control (byte 2 b7-6).
    pub enum PageControl(u8) {
        /// 00b current values.
        Current = 0,
        /// 01b changeable mask.
        Changeable = 1,
        /// 10b default values.
        Default = 2,
        /// 11b saved values (CD drives refuse: 5/39/00).
        Saved = 3,
    }
}

cdb_view!(
    /// View of a ModeSense10 CDB.
    opcode = OpCode::MODE_SENSE_10,
    len = 10
);

impl<T: AsRef<[u8]>> Cdb<T> {
    /// DBD: disable block descriptors.
    pub fn dbd(&self) -> bool {
        field::bit(self.b(1), 3)
    }

    /// PC: which values to return.
    pub fn page_control(&self) -> PageControl {
        PageControl::from((self.b(2) & 0xc0) >> 6)
    }

    /// Page code (3Fh = all pages).
    pub fn page_code(&self) -> u8 {
        self.b(2) & 0x3f
    }

    /// Subpage code.
    pub fn subpage_code(&self) -> u8 {
        self.b(3)
    }

    /// Allocation length (bytes the host accepts).
    pub fn allocation_length(&self) -> u16 {
        field::be16(self.f(7..9))
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
    /// Sets: DBD: disable block descriptors.
    pub fn set_dbd(&mut self, v: bool) {
        field::set_bit(self.bm(1), 3, v);
    }

    /// Sets: PC: which values to return.
    pub fn set_page_control(&mut self, v: PageControl) {
        let b = self.bm(2);
        *b = (*b & !0xc0) | ((u8::from(v) << 6) & 0xc0);
    }

    /// Sets: Page code (3Fh = all pages).
    pub fn set_page_code(&mut self, v: u8) {
        let b = self.bm(2);
        *b = (*b & !0x3f) | (v & 0x3f);
    }

    /// Sets: Subpage code.
    pub fn set_subpage_code(&mut self, v: u8) {
        *self.bm(3) = v;
    }

    /// Sets: Allocation length (bytes the host accepts).
    pub fn set_allocation_length(&mut self, v: u16) {
        field::set_be16(self.fm(7..9), v);
    }
}

/// MODE SENSE(10), decoded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct ModeSense10 {
    /// DBD: disable block descriptors.
    pub dbd: bool,
    /// PC: which values to return.
    pub page_control: PageControl,
    /// Page code (3Fh = all pages).
    pub page_code: u8,
    /// Subpage code.
    pub subpage_code: u8,
    /// Allocation length (bytes the host accepts).
    pub allocation_length: u16,
}

#[allow(clippy::derivable_impls)]
impl Default for PageControl {
    fn default() -> Self {
        PageControl::Current
    }
}

impl ModeSense10 {
    /// Parses a CDB view; never panics (the length and opcode are checked).
    pub fn parse<T: AsRef<[u8]>>(cdb: &Cdb<T>) -> Result<ModeSense10> {
        cdb.check_len()?;
        Ok(ModeSense10 {
            dbd: cdb.dbd(),
            page_control: cdb.page_control(),
            page_code: cdb.page_code(),
            subpage_code: cdb.subpage_code(),
            allocation_length: cdb.allocation_length(),
        })
    }

    /// Emits into a view whose buffer holds at least [`CDB_LEN`] bytes.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, cdb: &mut Cdb<T>) {
        cdb.clear();
        cdb.set_dbd(self.dbd);
        cdb.set_page_control(self.page_control);
        cdb.set_page_code(self.page_code);
        cdb.set_subpage_code(self.subpage_code);
        cdb.set_allocation_length(self.allocation_length);
    }

    /// Parses the first [`CDB_LEN`] bytes of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<ModeSense10> {
        Self::parse(&Cdb::new_checked(bytes)?)
    }

    /// The emitted CDB.
    pub fn to_bytes(&self) -> [u8; CDB_LEN] {
        let mut b = [0u8; CDB_LEN];
        self.emit(&mut Cdb::new_unchecked(&mut b[..]));
        b
    }
}

impl core::fmt::Display for ModeSense10 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(OpCode::MODE_SENSE_10.name().unwrap_or("?"))?;
        if self.dbd {
            f.write_str(" dbd")?;
        }
        write!(f, " pc={:?}", self.page_control)?;
        write!(f, " page=0x{:02x}", self.page_code)?;
        write!(f, " subpage={}", self.subpage_code)?;
        write!(f, " alloc={}", self.allocation_length)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BYTES_0: [u8; 10] = [0x5a, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x8c, 0x00];

    #[test]
    fn test_deconstruct_0() {
        let cdb = Cdb::new_checked(&BYTES_0[..]).unwrap();
        assert_eq!(
            ModeSense10::parse(&cdb).unwrap(),
            ModeSense10 {
                dbd: false,
                page_control: PageControl::Current,
                page_code: 0x2a,
                subpage_code: 0,
                allocation_length: 140
            }
        );
    }

    #[test]
    fn test_construct_0() {
        assert_eq!(
            ModeSense10 {
                dbd: false,
                page_control: PageControl::Current,
                page_code: 0x2a,
                subpage_code: 0,
                allocation_length: 140
            }
            .to_bytes(),
            BYTES_0
        );
    }

    const BYTES_1: [u8; 10] = [0x5a, 0x00, 0xbf, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00];

    #[test]
    fn test_deconstruct_1() {
        let cdb = Cdb::new_checked(&BYTES_1[..]).unwrap();
        assert_eq!(
            ModeSense10::parse(&cdb).unwrap(),
            ModeSense10 {
                dbd: false,
                page_control: PageControl::Default,
                page_code: 0x3f,
                subpage_code: 0,
                allocation_length: 16
            }
        );
    }

    #[test]
    fn test_construct_1() {
        assert_eq!(
            ModeSense10 {
                dbd: false,
                page_control: PageControl::Default,
                page_code: 0x3f,
                subpage_code: 0,
                allocation_length: 16
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
            ModeSense10::from_bytes(&other),
            Err(Error::WrongOpCode { .. })
        ));
    }

    proptest! {
        #[test]
        fn parse_emit_round_trip((dbd, page_control, page_code, subpage_code, allocation_length,) in (any::<bool>(), (0u8..=0x03).prop_map(PageControl::from), 0u8..=0x3f, 0u8..=0xff, any::<u16>(),)) {
            let repr = ModeSense10 { dbd, page_control, page_code, subpage_code, allocation_length };
            prop_assert_eq!(ModeSense10::from_bytes(&repr.to_bytes()).unwrap(), repr);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = ModeSense10::from_bytes(&bytes);
            let _ = ModeSense10::parse(&Cdb::new_unchecked(&bytes[..]));
        }
    }
}
