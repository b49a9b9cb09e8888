//! Validator throughput: an audio image and a mode 1 image (EDC/ECC check
//! and descrambling of every data sector), both IMAPI raw 2448 from
//! 95:00:00, held in memory so the figures measure rawcd, not the disk.
//!
//! `cargo bench --bench validate` prints MB/s of image validated. The
//! validator itself reads in 1024-sector chunks: its memory is flat.

use std::io::{self, Cursor, Read, Seek, SeekFrom};
use std::time::Instant;

use rawcd::image::{ImageType, ResultImage, SourceStream};
use rawcd::layout::{Content, Encoding, Layout, Segment, SourceInfo, Track, TrackFlags};
use rawcd::sector::SectorType;
use rawcd::validate::{validate_reader, Options};

struct Noise {
    len: u64,
    pos: u64,
}

impl Read for Noise {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = out.len().min(self.len.saturating_sub(self.pos) as usize);
        for (i, b) in out[..n].iter_mut().enumerate() {
            let k = self.pos + i as u64;
            *b = (k.wrapping_mul(0x9E37_79B9) >> 13) as u8;
        }
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Noise {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.pos = match to {
            SeekFrom::Start(p) => p,
            SeekFrom::End(d) => (self.len as i64 + d) as u64,
            SeekFrom::Current(d) => (self.pos as i64 + d) as u64,
        };
        Ok(self.pos)
    }
}

fn image(ty: SectorType, sectors: u32) -> Vec<u8> {
    let size = ty.user_size() as u64;
    let layout = Layout {
        tracks: vec![Track {
            sector_type: ty,
            flags: TrackFlags::default(),
            isrc: None,
            pregap: 150,
            indexes: Vec::new(),
            segments: vec![
                Segment {
                    sectors: 150,
                    content: Content::Zero,
                },
                Segment {
                    sectors,
                    content: Content::Source {
                        source: 0,
                        offset: 0,
                        encoding: Encoding::User,
                    },
                },
            ],
        }],
        sources: vec![SourceInfo {
            name: "noise".into(),
            len: size * sectors as u64,
        }],
        ..Layout::default()
    };
    let src: SourceStream = Box::new(Noise {
        len: size * sectors as u64,
        pos: 0,
    });
    let mut img = ResultImage::new(
        layout.plan().unwrap(),
        ImageType::Raw,
        vec![("noise".into(), src)],
    );
    let mut out = Vec::with_capacity(img.len() as usize);
    img.read_to_end(&mut out).unwrap();
    out
}

fn bench(name: &str, bytes: &[u8]) {
    let mut best = f64::MAX;
    let mut report = None;
    for _ in 0..3 {
        let t = Instant::now();
        let r =
            validate_reader(Cursor::new(bytes), bytes.len() as u64, &Options::default()).unwrap();
        best = best.min(t.elapsed().as_secs_f64());
        report = Some(r);
    }
    let r = report.unwrap();
    assert!(r.is_clean(), "{}", r.summary(10));
    println!(
        "validate {name:<6} {:>8} sectors {:>7.1} MB  {:>7.1} MB/s",
        r.sectors,
        bytes.len() as f64 / 1e6,
        bytes.len() as f64 / 1e6 / best
    );
}

fn main() {
    let sectors = std::env::var("RAWCD_BENCH_SECTORS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60_000);
    bench("audio", &image(SectorType::Audio, sectors));
    bench("mode1", &image(SectorType::Mode1, sectors));
}
