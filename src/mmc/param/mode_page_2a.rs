//! Mode page 2Ah, CD/DVD Capabilities and Mechanical Status (mmc.md §2.8),
//! read-only. Capability bytes 2-7 are kept raw with named accessors; the
//! length varies by MMC generation, so parse by the page length.

use crate::mmc::field::{self, check_len};
use crate::mmc::Result;

/// Page code.
pub const PAGE_CODE: u8 = 0x2a;

/// A write speed descriptor (bytes 32+, 4 bytes each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct WriteSpeedEntry {
    /// Rotation control (0 CLV, 1 CAV).
    pub rotation_control: u8,
    /// Write speed kB/s.
    pub speed: u16,
}

/// Page 2A decoded.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Capabilities {
    /// Bytes 2-7: read, write, feature, audio, mechanism, misc bit fields.
    pub caps: [u8; 6],
    /// Bytes 8-9 max read speed kB/s (obsolete).
    pub max_read_speed: u16,
    /// Bytes 10-11 number of volume levels.
    pub volume_levels: u16,
    /// Bytes 12-13 buffer size (KiB).
    pub buffer_size_kib: u16,
    /// Bytes 14-15 current read speed kB/s (obsolete).
    pub current_read_speed: u16,
    /// Bytes 18-19 max write speed kB/s (obsolete).
    pub max_write_speed: u16,
    /// Bytes 20-21 current write speed kB/s (obsolete).
    pub current_write_speed: u16,
    /// Byte 27 b1-0 rotation control selected.
    pub rotation_control: u8,
    /// Bytes 28-29 current write speed selected kB/s (MMC-3+).
    pub current_write_speed_selected: u16,
    /// Write speed descriptors (bytes 30-31 count, 32+).
    pub write_speeds: Vec<WriteSpeedEntry>,
}

impl Capabilities {
    /// Byte 2 b0: CD-R read.
    pub fn cd_r_read(&self) -> bool {
        field::bit(self.caps[0], 0)
    }
    /// Byte 3 b0: CD-R write.
    pub fn cd_r_write(&self) -> bool {
        field::bit(self.caps[1], 0)
    }
    /// Byte 3 b1: CD-RW write.
    pub fn cd_rw_write(&self) -> bool {
        field::bit(self.caps[1], 1)
    }
    /// Byte 3 b2: test write.
    pub fn test_write(&self) -> bool {
        field::bit(self.caps[1], 2)
    }
    /// Byte 4 b7: BUF (underrun-free recording).
    pub fn buf(&self) -> bool {
        field::bit(self.caps[2], 7)
    }
    /// Byte 5 b2: R-W supported.
    pub fn rw_supported(&self) -> bool {
        field::bit(self.caps[3], 2)
    }
    /// Byte 6 b7-5: loading mechanism.
    pub fn loading_mechanism(&self) -> u8 {
        self.caps[4] >> 5
    }

    /// Parses page bytes starting at the page code (needs ≥ 4); fields past
    /// the page length read as zero.
    pub fn parse(b: &[u8]) -> Result<Capabilities> {
        check_len(b, 4)?;
        let end = (usize::from(b[1]) + 2).min(b.len());
        let mut f = [0u8; 32];
        let n = end.min(32);
        f[..n].copy_from_slice(&b[..n]);
        let count = usize::from(field::be16(&f[30..32]));
        let write_speeds = b
            .get(32..end)
            .unwrap_or(&[])
            .chunks_exact(4)
            .take(count)
            .map(|d| WriteSpeedEntry {
                rotation_control: d[1] & 0x07,
                speed: field::be16(&d[2..4]),
            })
            .collect();
        let mut caps = [0u8; 6];
        caps.copy_from_slice(&f[2..8]);
        Ok(Capabilities {
            caps,
            max_read_speed: field::be16(&f[8..10]),
            volume_levels: field::be16(&f[10..12]),
            buffer_size_kib: field::be16(&f[12..14]),
            current_read_speed: field::be16(&f[14..16]),
            max_write_speed: field::be16(&f[18..20]),
            current_write_speed: field::be16(&f[20..22]),
            rotation_control: f[27] & 3,
            current_write_speed_selected: field::be16(&f[28..30]),
            write_speeds,
        })
    }

    /// The MMC-3 page: 32 bytes + 4 per descriptor (length 0x1E + 4n).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = vec![0u8; 32 + 4 * self.write_speeds.len()];
        b[0] = PAGE_CODE;
        b[1] = (b.len() - 2) as u8;
        b[2..8].copy_from_slice(&self.caps);
        field::set_be16(&mut b[8..10], self.max_read_speed);
        field::set_be16(&mut b[10..12], self.volume_levels);
        field::set_be16(&mut b[12..14], self.buffer_size_kib);
        field::set_be16(&mut b[14..16], self.current_read_speed);
        field::set_be16(&mut b[18..20], self.max_write_speed);
        field::set_be16(&mut b[20..22], self.current_write_speed);
        b[27] = self.rotation_control & 3;
        field::set_be16(&mut b[28..30], self.current_write_speed_selected);
        field::set_be16(&mut b[30..32], self.write_speeds.len() as u16);
        for (i, w) in self.write_speeds.iter().enumerate() {
            b[33 + 4 * i] = w.rotation_control & 7;
            field::set_be16(&mut b[34 + 4 * i..36 + 4 * i], w.speed);
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmc::param::h;

    // CD-R/RW reader+writer with test write, BUF, tray, 2 MiB buffer,
    // 40x max write (7056 kB/s), two descriptors 7056 and 5645.
    const PAGE: &str = "2a 26 03 07 80 00 29 00 1e 78 01 00 08 00 1e 78
        00 00 1b 90 1b 90 00 00 00 00 00 00 1b 90 00 02
        00 00 1b 90 00 00 16 0d";

    #[test]
    fn test_deconstruct_capabilities() {
        let c = Capabilities::parse(&h(PAGE)).unwrap();
        assert!(c.cd_r_write() && c.cd_rw_write() && c.test_write() && c.buf());
        assert_eq!(c.loading_mechanism(), 1);
        assert_eq!(c.buffer_size_kib, 2048);
        assert_eq!(c.max_write_speed, 7056);
        assert_eq!(
            c.write_speeds[1],
            WriteSpeedEntry {
                rotation_control: 0,
                speed: 5645
            }
        );
        assert_eq!(c.to_bytes(), h(PAGE));
    }

    #[test]
    fn test_mmc1_short_page() {
        // wodim reads 2 bytes first; then a 0x14-length MMC-1 page.
        let mut b = vec![0x2a, 0x14];
        b.extend([0u8; 20]);
        b[3] = 0x01;
        let c = Capabilities::parse(&b).unwrap();
        assert!(c.cd_r_write());
        assert!(c.write_speeds.is_empty());
        assert!(Capabilities::parse(&[0x2a, 0x14]).is_err());
    }
}
