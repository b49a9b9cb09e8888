//! Throughput and peak memory of the image creator: an 80-minute audio image
//! and a 700 MB mode 1 image (EDC/ECC and scrambling), streamed to a sink.
//!
//! `cargo bench --bench create` prints MB/s of image produced and the peak
//! resident set size. Sources serve bytes from a 1 MiB buffer cyclically, so
//! the figures measure rawcd, not the disk.

use std::io::{self, Read, Seek, SeekFrom};
use std::time::Instant;

use rawcd::image::{ImageType, RawCdImageCreator, ResultImage};
use rawcd::layout::{Content, Encoding, Layout, Segment, SourceInfo, Track, TrackFlags};
use rawcd::sector::SectorType;

/// A source of `len` bytes cycling through a fixed pseudo-random buffer.
struct Cyclic {
    buf: std::sync::Arc<Vec<u8>>,
    len: u64,
    pos: u64,
}

impl Cyclic {
    fn new(len: u64) -> Cyclic {
        thread_local! {
            static BUF: std::sync::Arc<Vec<u8>> = {
                let mut x = 0x2545_f491_4f6c_dd1du64;
                std::sync::Arc::new((0..1 << 20)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        x as u8
                    })
                    .collect())
            };
        }
        Cyclic {
            buf: BUF.with(|b| b.clone()),
            len,
            pos: 0,
        }
    }
}

impl Read for Cyclic {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let at = (self.pos % self.buf.len() as u64) as usize;
        let n = out
            .len()
            .min(self.buf.len() - at)
            .min(self.len.saturating_sub(self.pos) as usize);
        out[..n].copy_from_slice(&self.buf[at..at + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Cyclic {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.pos = match to {
            SeekFrom::Start(p) => p,
            SeekFrom::End(d) => self.len.saturating_add_signed(d),
            SeekFrom::Current(d) => self.pos.saturating_add_signed(d),
        };
        Ok(self.pos)
    }
}

fn drain(label: &str, mut image: ResultImage) {
    let mut buf = vec![0u8; image.image_type().sector_size() * 256];
    let started = Instant::now();
    let mut total = 0u64;
    loop {
        let n = image.read(&mut buf).expect("image reads");
        if n == 0 {
            break;
        }
        total += n as u64;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{label}: {total} bytes in {secs:.2} s = {:.0} MB/s ({} sectors)",
        total as f64 / 1e6 / secs,
        image.sector_count()
    );
}

fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = s
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}

fn main() {
    // 80 minutes of audio through the IMAPI facade: 20 tracks of 4 minutes.
    let mut c = RawCdImageCreator::new();
    c.set_resulting_image_type(ImageType::Raw).unwrap();
    for _ in 0..20 {
        c.add_track(SectorType::Audio, Cyclic::new(18_000 * 2352))
            .unwrap();
    }
    drain("80-minute audio, raw P-W", c.create_result_image().unwrap());

    // 700 MB of mode 1 user data through the general layout.
    let sectors: u32 = 700_000_000 / 2048;
    let layout = Layout {
        tracks: vec![Track {
            sector_type: SectorType::Mode1,
            flags: TrackFlags::default(),
            isrc: None,
            pregap: 150,
            indexes: vec![],
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
            name: "mode1".into(),
            len: sectors as u64 * 2048,
        }],
        ..Layout::default()
    };
    let plan = layout.plan().unwrap();
    let source: rawcd::image::SourceStream = Box::new(Cyclic::new(sectors as u64 * 2048));
    drain(
        "700 MB mode 1, raw P-W",
        ResultImage::new(plan, ImageType::Raw, vec![("mode1".into(), source)]),
    );
    if let Some(mib) = peak_rss_mib() {
        println!("peak RSS: {mib:.1} MiB");
    }
}
