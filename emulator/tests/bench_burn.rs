//! Benchmark: a full 80-minute creator image (two audio tracks, real P/Q,
//! lead-in TOC, lead-out) written RAW (DBT 3, 26 blocks per WRITE) through
//! the Transport into the emulator — once into an anonymous store, once
//! with a `.rcd` disc file (`with_disc_out`, durable commit). The burn must
//! come out complete with no findings.
//!
//! The creator's sector generation is timed apart from the WRITEs, so the
//! figure is the emulator's own throughput; the commit (SYNCHRONIZE CACHE:
//! flush, fsyncs, metadata) is reported on its own and included in the
//! "with commit" figure.
//!
//! Run: `cargo test --release -p rawcd-emulator --test bench_burn -- --ignored --nocapture`.

mod common;

use std::time::{Duration, Instant};

use common::*;
use rawcd::image::ImageType;
use rawcd_emulator::{DiscState, Emulator};

struct Figures {
    bytes: u64,
    generate: Duration,
    writes: Duration,
    commit: Duration,
}

fn burn_80_minutes(disc_out: Option<&std::path::Path>) -> Figures {
    // Two tracks filling the disc: lead-out at 359_150, before 359_849.
    let (mut img, _) = image(ImageType::Raw, [300_000, 59_000]);
    let mut e = Emulator::builtin("default", "cdr80").unwrap();
    if let Some(p) = disc_out {
        e = e.with_disc_out(p);
    }
    assert!(select_page05(&mut e, 3, 3, false).is_good());
    let per = 26usize;
    let start = e.media().atip().unwrap().lead_in_start;
    let end = img.first_lba() + img.sector_count() as i32;
    let mut chunk = vec![0u8; per * 2448];
    let mut lba = start;
    let mut f = Figures {
        bytes: 0,
        generate: Duration::ZERO,
        writes: Duration::ZERO,
        commit: Duration::ZERO,
    };
    while lba < end {
        let n = ((end - lba) as usize).min(per);
        let t = Instant::now();
        for i in 0..n {
            img.sector_at(lba + i as i32, &mut chunk[i * 2448..(i + 1) * 2448])
                .unwrap();
        }
        f.generate += t.elapsed();
        let t = Instant::now();
        let o = write10(&mut e, lba, n as u16, &chunk[..n * 2448]);
        f.writes += t.elapsed();
        assert!(o.is_good(), "{lba}: {o:?}");
        f.bytes += (n * 2448) as u64;
        lba += n as i32;
    }
    let t = Instant::now();
    assert!(none(&mut e, &hex("35 00 00 00 00 00 00 00 00 00")).is_good());
    f.commit = t.elapsed();
    assert_eq!(e.media().state(), DiscState::Complete);
    assert_eq!(e.findings(), &[], "a creator image burns without findings");
    f
}

fn report(label: &str, f: &Figures) {
    let mb = f.bytes as f64 / 1e6;
    println!(
        "{label}: {} sectors ({mb:.0} MB); creator {:.2} s; WRITEs {:.2} s = {:.0} MB/s; \
         commit {:.2} s; WRITEs + commit {:.0} MB/s",
        f.bytes / 2448,
        f.generate.as_secs_f64(),
        f.writes.as_secs_f64(),
        mb / f.writes.as_secs_f64(),
        f.commit.as_secs_f64(),
        mb / (f.writes + f.commit).as_secs_f64(),
    );
}

#[test]
#[ignore]
fn burn_full_80_minute_disc() {
    // Two rounds each, alternating, so page-cache warm-up shows as variance
    // rather than favouring one configuration.
    let dir = tempfile::tempdir().unwrap();
    for round in 1..=2 {
        let f = burn_80_minutes(None);
        report(&format!("round {round}, anonymous store"), &f);
        let path = dir.path().join("full.rcd");
        let f = burn_80_minutes(Some(&path));
        let size = std::fs::metadata(&path).unwrap().len();
        report(
            &format!("round {round}, disc-out ({:.0} MB file)", size as f64 / 1e6),
            &f,
        );
        std::fs::remove_file(&path).unwrap();
    }
}
