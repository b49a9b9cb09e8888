//! Standard INQUIRY data (mmc.md §2.1): device type 5, RMB, vendor /
//! product / revision ASCII fields.

use crate::mmc::field::check_len;
use crate::mmc::Result;

/// Length of standard data this crate emits.
pub const LEN: usize = 36;

/// Standard INQUIRY data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct InquiryData {
    /// Byte 0 b7-5 peripheral qualifier.
    pub qualifier: u8,
    /// Byte 0 b4-0 device type (5 = CD/DVD).
    pub device_type: u8,
    /// Byte 1 b7 RMB (removable).
    pub removable: bool,
    /// Byte 2 version.
    pub version: u8,
    /// Byte 3 b3-0 response data format (2).
    pub response_format: u8,
    /// Bytes 8-15 vendor (space padded).
    pub vendor: [u8; 8],
    /// Bytes 16-31 product.
    pub product: [u8; 16],
    /// Bytes 32-35 revision.
    pub revision: [u8; 4],
}

/// Device type of a CD/DVD unit.
pub const DEVICE_TYPE_CD_DVD: u8 = 0x05;

fn pad<const N: usize>(s: &str) -> [u8; N] {
    let mut a = [b' '; N];
    for (d, c) in a.iter_mut().zip(s.bytes()) {
        *d = c;
    }
    a
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).trim_end().to_string()
}

impl InquiryData {
    /// A CD/DVD unit with these identification strings (truncated/padded).
    pub fn cd_drive(vendor: &str, product: &str, revision: &str) -> InquiryData {
        InquiryData {
            qualifier: 0,
            device_type: DEVICE_TYPE_CD_DVD,
            removable: true,
            version: 0,
            response_format: 2,
            vendor: pad(vendor),
            product: pad(product),
            revision: pad(revision),
        }
    }

    /// Vendor, trimmed.
    pub fn vendor_str(&self) -> String {
        text(&self.vendor)
    }
    /// Product, trimmed.
    pub fn product_str(&self) -> String {
        text(&self.product)
    }
    /// Revision, trimmed.
    pub fn revision_str(&self) -> String {
        text(&self.revision)
    }

    /// Parses at least 5 bytes; missing identification reads as spaces.
    pub fn parse(b: &[u8]) -> Result<InquiryData> {
        check_len(b, 5)?;
        let mut f = [b' '; LEN];
        f[..8].fill(0);
        let n = b.len().min(LEN).min(usize::from(b[4]) + 5);
        f[..n].copy_from_slice(&b[..n]);
        let mut d = InquiryData::cd_drive("", "", "");
        d.qualifier = f[0] >> 5;
        d.device_type = f[0] & 0x1f;
        d.removable = f[1] & 0x80 != 0;
        d.version = f[2];
        d.response_format = f[3] & 0x0f;
        d.vendor.copy_from_slice(&f[8..16]);
        d.product.copy_from_slice(&f[16..32]);
        d.revision.copy_from_slice(&f[32..36]);
        Ok(d)
    }

    /// The 36-byte response (additional length 0x1F).
    pub fn to_bytes(&self) -> [u8; LEN] {
        let mut b = [0u8; LEN];
        b[0] = (self.qualifier << 5) | (self.device_type & 0x1f);
        b[1] = u8::from(self.removable) << 7;
        b[2] = self.version;
        b[3] = self.response_format & 0x0f;
        b[4] = (LEN - 5) as u8;
        b[8..16].copy_from_slice(&self.vendor);
        b[16..32].copy_from_slice(&self.product);
        b[32..36].copy_from_slice(&self.revision);
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_literal_inquiry() {
        let mut lit = vec![0x05, 0x80, 0x00, 0x02, 0x1f, 0, 0, 0];
        lit.extend_from_slice(b"RAWCD   Virtual CD-RW   1.0 ");
        let d = InquiryData::parse(&lit).unwrap();
        assert_eq!(d.device_type, 5);
        assert!(d.removable);
        assert_eq!(d.vendor_str(), "RAWCD");
        assert_eq!(d.product_str(), "Virtual CD-RW");
        assert_eq!(d.revision_str(), "1.0");
        assert_eq!(
            InquiryData::cd_drive("RAWCD", "Virtual CD-RW", "1.0")
                .to_bytes()
                .to_vec(),
            lit
        );
    }

    #[test]
    fn test_short_inquiry() {
        assert!(InquiryData::parse(&[5, 0x80]).is_err());
        let d = InquiryData::parse(&[5, 0x80, 0, 2, 0x1f, 0, 0, 0, b'A']).unwrap();
        assert_eq!(d.vendor_str(), "A");
    }
}
