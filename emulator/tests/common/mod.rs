//! Shared helpers for the emulator integration tests.
#![allow(dead_code)]

use std::io::{self, Read, Seek, SeekFrom};
use std::time::Duration;

use rawcd::image::{ImageType, RawCdImageCreator, ResultImage};
use rawcd::mmc::Sense;
use rawcd::sector::SectorType;
use rawcd::transport::{CommandOutcome, DataPhase, Transport};
use rawcd_emulator::Emulator;

pub const T: Duration = Duration::from_secs(30);

/// Runs a CDB with no data.
pub fn none(e: &mut Emulator, cdb: &[u8]) -> CommandOutcome {
    e.execute(cdb, DataPhase::None, T).expect("answered")
}

/// Runs a data-in CDB; returns outcome and the bytes transferred.
pub fn data_in(e: &mut Emulator, cdb: &[u8], len: usize) -> (CommandOutcome, Vec<u8>) {
    let mut buf = vec![0u8; len];
    let o = e
        .execute(cdb, DataPhase::In(&mut buf), T)
        .expect("answered");
    let n = o.transferred(len);
    buf.truncate(n);
    (o, buf)
}

/// Runs a data-out CDB.
pub fn data_out(e: &mut Emulator, cdb: &[u8], data: &[u8]) -> CommandOutcome {
    e.execute(cdb, DataPhase::Out(data), T).expect("answered")
}

pub fn sense(o: &CommandOutcome) -> Option<Sense> {
    o.sense
}

pub fn hex(s: &str) -> Vec<u8> {
    rawcd::transport::unhex(s).expect("hex")
}

/// MODE SELECT(10) of page 05 with write type, DBT and test write.
pub fn select_page05(e: &mut Emulator, wt: u8, dbt: u8, test: bool) -> CommandOutcome {
    let mut list = vec![0u8; 8];
    let mut p = vec![0u8; 52];
    p[0] = 0x05;
    p[1] = 0x32;
    p[2] = wt | if test { 0x10 } else { 0 };
    p[4] = dbt;
    p[14] = 0;
    p[15] = 150;
    list.extend_from_slice(&p);
    let len = list.len() as u16;
    let cdb = [0x55, 0x10, 0, 0, 0, 0, 0, (len >> 8) as u8, len as u8, 0];
    data_out(e, &cdb, &list)
}

pub fn write10(e: &mut Emulator, lba: i32, blocks: u16, data: &[u8]) -> CommandOutcome {
    let l = lba.to_be_bytes();
    let b = blocks.to_be_bytes();
    let cdb = [0x2a, 0, l[0], l[1], l[2], l[3], 0, b[0], b[1], 0];
    data_out(e, &cdb, data)
}

pub fn read_cd_raw(e: &mut Emulator, lba: i32, blocks: u32) -> (CommandOutcome, Vec<u8>) {
    let l = lba.to_be_bytes();
    let n = blocks.to_be_bytes();
    let cdb = [
        0xbe, 0, l[0], l[1], l[2], l[3], n[1], n[2], n[3], 0xf8, 0x01, 0,
    ];
    data_in(e, &cdb, blocks as usize * 2448)
}

/// A deterministic byte pattern of `sectors` audio sectors.
pub struct Pattern {
    len: u64,
    pos: u64,
    seed: u8,
}

impl Pattern {
    pub fn new(sectors: u64, seed: u8) -> Pattern {
        Pattern {
            len: sectors * 2352,
            pos: 0,
            seed,
        }
    }
}

impl Read for Pattern {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (self.len - self.pos).min(buf.len() as u64) as usize;
        for (i, b) in buf[..n].iter_mut().enumerate() {
            let x = self.pos + i as u64;
            *b = (x.wrapping_mul(31) ^ (x >> 9)) as u8 ^ self.seed;
        }
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Pattern {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.pos = match to {
            SeekFrom::Start(p) => p,
            SeekFrom::End(d) => (self.len as i64 + d) as u64,
            SeekFrom::Current(d) => (self.pos as i64 + d) as u64,
        };
        Ok(self.pos)
    }
}

/// A two-track audio image (and its creator's expected TOC).
pub fn image(ty: ImageType, sectors: [u64; 2]) -> (ResultImage, rawcd::layout::Toc) {
    let mut c = RawCdImageCreator::new();
    c.set_resulting_image_type(ty).unwrap();
    c.add_track(SectorType::Audio, Pattern::new(sectors[0], 1))
        .unwrap();
    c.add_track(SectorType::Audio, Pattern::new(sectors[1], 2))
        .unwrap();
    let toc = c.expected_toc().unwrap();
    (c.create_result_image().unwrap(), toc)
}

/// Burns `img` RAW from the media's lead-in start, `per` blocks per WRITE,
/// then SYNCHRONIZE CACHE. Returns the last outcome that was not GOOD, if any.
pub fn burn(
    e: &mut Emulator,
    img: &mut ResultImage,
    dbt: u8,
    per: usize,
) -> Option<CommandOutcome> {
    let o = select_page05(e, 3, dbt, false);
    if !o.is_good() {
        return Some(o);
    }
    let start = e.media().atip().unwrap().lead_in_start;
    let end = img.first_lba() + img.sector_count() as i32;
    let size = img.image_type().sector_size();
    let mut buf = vec![0u8; per * size];
    let mut lba = start;
    while lba < end {
        let n = ((end - lba) as usize).min(per);
        for i in 0..n {
            img.sector_at(lba + i as i32, &mut buf[i * size..(i + 1) * size])
                .unwrap();
        }
        let o = write10(e, lba, n as u16, &buf[..n * size]);
        if !o.is_good() {
            return Some(o);
        }
        lba += n as i32;
    }
    let o = none(e, &[0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    (!o.is_good()).then_some(o)
}
