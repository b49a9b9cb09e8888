//! Benchmark: a full 80-minute disc written RAW (DBT 3, 26 blocks per
//! WRITE) through the Transport into the emulator, disc file included.
//! Run: `cargo test --release -p rawcd-emulator --test bench_burn -- --ignored --nocapture`.

mod common;

use std::time::Instant;

use common::*;
use rawcd::image::ImageType;
use rawcd_emulator::{DiscState, Emulator};

#[test]
#[ignore]
fn burn_full_80_minute_disc() {
    // One track filling the disc: lead-out at 359849 - a little.
    let (mut img, _) = image(ImageType::Raw, [300_000, 59_000]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("full.rcd");
    let mut e = Emulator::builtin("default", "cdr80")
        .unwrap()
        .with_disc_out(&path);
    assert!(select_page05(&mut e, 3, 3, false).is_good());
    // Pre-generate a window of image sectors so the figure measures the
    // emulator, not the creator.
    let per = 26usize;
    let start = e.media().atip().unwrap().lead_in_start;
    let end = img.first_lba() + img.sector_count() as i32;
    let mut chunk = vec![0u8; per * 2448];
    for i in 0..per {
        img.sector_at(1000 + i as i32, &mut chunk[i * 2448..(i + 1) * 2448])
            .unwrap();
    }
    let mut lba = start;
    let mut bytes = 0u64;
    let t0 = Instant::now();
    while lba < end {
        let n = ((end - lba) as usize).min(per);
        // Real Q for positions is not needed for throughput; findings are capped.
        let o = write10(&mut e, lba, n as u16, &chunk[..n * 2448]);
        assert!(o.is_good(), "{lba}: {o:?}");
        bytes += (n * 2448) as u64;
        lba += n as i32;
    }
    assert!(none(&mut e, &hex("35 00 00 00 00 00 00 00 00 00")).is_good());
    let secs = t0.elapsed().as_secs_f64();
    let size = std::fs::metadata(&path).unwrap().len();
    println!(
        "burned {} sectors ({:.0} MB, file {:.0} MB) in {:.2} s: {:.0} MB/s",
        bytes / 2448,
        bytes as f64 / 1e6,
        size as f64 / 1e6,
        secs,
        bytes as f64 / 1e6 / secs
    );
    assert_ne!(e.media().state(), DiscState::Blank);
}
