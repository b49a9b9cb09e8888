//! `rawcd disc`: a creator image burned RAW on the emulator into a `.rcd`,
//! then exported, equals the creator's image byte for byte from 95:00:00 —
//! including the lead-in sectors before the media's lead-in start, which
//! the export fills as the creator does.

use std::io::{Read, Seek, SeekFrom};
use std::process::Command;
use std::time::Duration;

use rawcd::image::{ImageType, RawCdImageCreator, ResultImage};
use rawcd::sector::SectorType;
use rawcd::transport::{DataPhase, Transport};
use rawcd_emulator::Emulator;

const T: Duration = Duration::from_secs(30);

struct Pattern(u64, u64);
impl Read for Pattern {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (self.0 - self.1).min(buf.len() as u64) as usize;
        for (i, b) in buf[..n].iter_mut().enumerate() {
            *b = ((self.1 + i as u64) * 7 % 251) as u8;
        }
        self.1 += n as u64;
        Ok(n)
    }
}
impl Seek for Pattern {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        self.1 = match to {
            SeekFrom::Start(p) => p,
            SeekFrom::End(d) => (self.0 as i64 + d) as u64,
            SeekFrom::Current(d) => (self.1 as i64 + d) as u64,
        };
        Ok(self.1)
    }
}

fn image(ty: ImageType) -> ResultImage {
    let mut c = RawCdImageCreator::new();
    c.set_resulting_image_type(ty).unwrap();
    c.add_track(SectorType::Audio, Pattern(800 * 2352, 0))
        .unwrap();
    c.add_track(SectorType::Audio, Pattern(400 * 2352, 0))
        .unwrap();
    c.create_result_image().unwrap()
}

fn burn(path: &std::path::Path) {
    let mut img = image(ImageType::Raw);
    let mut e = Emulator::builtin("default", "cdr80")
        .unwrap()
        .with_disc_out(path);
    let mut page = vec![0u8; 60];
    page[8] = 5;
    page[9] = 0x32;
    page[10] = 3;
    page[12] = 3;
    let o = e
        .execute(
            &[0x55, 0x10, 0, 0, 0, 0, 0, 0, 60, 0],
            DataPhase::Out(&page),
            T,
        )
        .unwrap();
    assert!(o.is_good());
    let end = img.first_lba() + img.sector_count() as i32;
    let mut buf = vec![0u8; 26 * 2448];
    let mut lba = -11634;
    while lba < end {
        let n = ((end - lba) as usize).min(26);
        for i in 0..n {
            img.sector_at(lba + i as i32, &mut buf[i * 2448..(i + 1) * 2448])
                .unwrap();
        }
        let l = lba.to_be_bytes();
        let cdb = [0x2a, 0, l[0], l[1], l[2], l[3], 0, 0, n as u8, 0];
        assert!(e
            .execute(&cdb, DataPhase::Out(&buf[..n * 2448]), T)
            .unwrap()
            .is_good());
        lba += n as i32;
    }
    let o = e
        .execute(&[0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0], DataPhase::None, T)
        .unwrap();
    assert!(o.is_good());
    assert!(e.findings().is_empty());
}

fn rawcd(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rawcd"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn disc_export_equals_the_creator_image_for_every_type() {
    let dir = tempfile::tempdir().unwrap();
    let disc = dir.path().join("d.rcd");
    burn(&disc);
    for ty in [ImageType::Raw, ImageType::PqOnly, ImageType::Cooked] {
        let out = dir.path().join(format!("out.{}", ty.name()));
        let o = rawcd(&[
            "disc",
            disc.to_str().unwrap(),
            "export",
            "-o",
            out.to_str().unwrap(),
            "--type",
            ty.name(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let got = std::fs::read(&out).unwrap();
        let mut img = image(ty);
        let size = ty.sector_size();
        assert_eq!(got.len() as u64, img.len());
        let mut want = vec![0u8; size];
        for (i, s) in got.chunks(size).enumerate() {
            let lba = img.first_lba() + i as i32;
            img.sector_at(lba, &mut want).unwrap();
            assert!(s == want.as_slice(), "{}: sector {lba} differs", ty.name());
        }
    }
}

#[test]
fn disc_toc_and_info_print() {
    let dir = tempfile::tempdir().unwrap();
    let disc = dir.path().join("d.rcd");
    burn(&disc);
    let o = rawcd(&["disc", disc.to_str().unwrap(), "toc"]);
    assert!(o.status.success());
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("tracks 1-2, lead-out at LBA 1200"), "{s}");
    let o = rawcd(&["disc", disc.to_str().unwrap(), "info", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["state"], "complete");
    assert_eq!(v["atip"]["lead_in_start"], -11634);
    let o = rawcd(&[
        "disc",
        disc.to_str().unwrap(),
        "dump",
        "--lba",
        "-150",
        "--count",
        "2",
    ]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("LBA -150 (00:00:00)"));
}
