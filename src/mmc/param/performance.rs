//! GET PERFORMANCE responses (mmc.md §2.9): 8-byte header, then 16-byte
//! descriptors — type 03h write speed, type 00h performance.

use crate::mmc::field::{self, check_len};
use crate::mmc::Result;

/// Header length.
pub const HEADER_LEN: usize = 8;
/// Descriptor length (both types).
pub const DESCRIPTOR_LEN: usize = 16;

/// Type 03h write speed descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct WriteSpeedDescriptor {
    /// Byte 0 b4-3 WRC (0 CLV, 1 CAV).
    pub wrc: u8,
    /// Byte 0 b2 RDD.
    pub rdd: bool,
    /// Byte 0 b1 Exact.
    pub exact: bool,
    /// Byte 0 b0 MRW.
    pub mrw: bool,
    /// Bytes 4-7 end LBA (capacity).
    pub end_lba: u32,
    /// Bytes 8-11 read speed kB/s.
    pub read_speed: u32,
    /// Bytes 12-15 write speed kB/s.
    pub write_speed: u32,
}

impl WriteSpeedDescriptor {
    fn parse(d: &[u8]) -> Self {
        WriteSpeedDescriptor {
            wrc: (d[0] >> 3) & 3,
            rdd: field::bit(d[0], 2),
            exact: field::bit(d[0], 1),
            mrw: field::bit(d[0], 0),
            end_lba: field::be32(&d[4..8]),
            read_speed: field::be32(&d[8..12]),
            write_speed: field::be32(&d[12..16]),
        }
    }

    fn to_bytes(self) -> [u8; DESCRIPTOR_LEN] {
        let mut b = [0u8; DESCRIPTOR_LEN];
        b[0] = ((self.wrc & 3) << 3)
            | (u8::from(self.rdd) << 2)
            | (u8::from(self.exact) << 1)
            | u8::from(self.mrw);
        field::set_be32(&mut b[4..8], self.end_lba);
        field::set_be32(&mut b[8..12], self.read_speed);
        field::set_be32(&mut b[12..16], self.write_speed);
        b
    }
}

/// Type 00h nominal performance descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct PerformanceDescriptor {
    /// Start LBA.
    pub start_lba: u32,
    /// Start performance kB/s.
    pub start_performance: u32,
    /// End LBA.
    pub end_lba: u32,
    /// End performance kB/s.
    pub end_performance: u32,
}

fn descriptors(b: &[u8]) -> Result<(u8, &[u8])> {
    check_len(b, HEADER_LEN)?;
    let end = (field::be32(&b[0..4]) as usize)
        .saturating_add(4)
        .min(b.len());
    Ok((b[4], &b[HEADER_LEN..end.max(HEADER_LEN)]))
}

fn with_header(flags: u8, body: Vec<u8>) -> Vec<u8> {
    let mut b = vec![0u8; HEADER_LEN];
    field::set_be32(&mut b[0..4], (body.len() + 4) as u32);
    b[4] = flags;
    b.extend(body);
    b
}

/// Parses a type 03h response; partial descriptors are dropped.
pub fn parse_write_speeds(b: &[u8]) -> Result<Vec<WriteSpeedDescriptor>> {
    let (_, d) = descriptors(b)?;
    Ok(d.chunks_exact(DESCRIPTOR_LEN)
        .map(WriteSpeedDescriptor::parse)
        .collect())
}

/// Emits a type 03h response.
pub fn emit_write_speeds(d: &[WriteSpeedDescriptor]) -> Vec<u8> {
    with_header(0, d.iter().flat_map(|x| x.to_bytes()).collect())
}

/// Parses a type 00h response: (header byte 4 flags, descriptors).
pub fn parse_performance(b: &[u8]) -> Result<(u8, Vec<PerformanceDescriptor>)> {
    let (flags, d) = descriptors(b)?;
    let v = d
        .chunks_exact(DESCRIPTOR_LEN)
        .map(|c| PerformanceDescriptor {
            start_lba: field::be32(&c[0..4]),
            start_performance: field::be32(&c[4..8]),
            end_lba: field::be32(&c[8..12]),
            end_performance: field::be32(&c[12..16]),
        })
        .collect();
    Ok((flags, v))
}

/// Emits a type 00h response.
pub fn emit_performance(flags: u8, d: &[PerformanceDescriptor]) -> Vec<u8> {
    let body = d
        .iter()
        .flat_map(|p| {
            let mut b = [0u8; 16];
            field::set_be32(&mut b[0..4], p.start_lba);
            field::set_be32(&mut b[4..8], p.start_performance);
            field::set_be32(&mut b[8..12], p.end_lba);
            field::set_be32(&mut b[12..16], p.end_performance);
            b
        })
        .collect();
    with_header(flags, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmc::param::h;

    // One CLV write speed: capacity 359849 (0x57DA9), read 7056, write 7056.
    const ONE: &str = "00 00 00 14 00 00 00 00 00 00 00 00 00 05 7d a9 00 00 1b 90 00 00 1b 90";

    #[test]
    fn test_write_speed_literal() {
        let d = parse_write_speeds(&h(ONE)).unwrap();
        let want = WriteSpeedDescriptor {
            end_lba: 359849,
            read_speed: 7056,
            write_speed: 7056,
            ..Default::default()
        };
        assert_eq!(d, vec![want]);
        assert_eq!(emit_write_speeds(&d), h(ONE));
    }

    #[test]
    fn test_libburn_eight_byte_probe() {
        // cdrskin first asks for 8 bytes: header only.
        assert_eq!(parse_write_speeds(&h(ONE)[..8]).unwrap(), vec![]);
        assert!(parse_write_speeds(&[0, 0, 0]).is_err());
    }

    #[test]
    fn test_performance_round_trip() {
        let p = vec![PerformanceDescriptor {
            start_lba: 0,
            start_performance: 2822,
            end_lba: 359849,
            end_performance: 7056,
        }];
        let b = emit_performance(0, &p);
        assert_eq!(b.len(), 24);
        assert_eq!(parse_performance(&b).unwrap(), (0, p));
    }
}
