//! CloneCD sets and cue/cdrdao descriptions: clean sets validate clean,
//! mutations are reported at their LBA, malformed sets are errors (never
//! panics).

mod validate_util;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use rawcd::image::ImageType;
use rawcd::msf::Lba;
use rawcd::validate::{
    validate_ccd, validate_description, DefectKind, Options, Report, ValidateError,
};
use validate_util::*;

fn data() -> &'static Img {
    static IMG: OnceLock<Img> = OnceLock::new();
    IMG.get_or_init(|| Img::new(data_disc(ImageType::Raw)))
}

fn audio() -> &'static Img {
    static IMG: OnceLock<Img> = OnceLock::new();
    IMG.get_or_init(|| Img::new(audio_disc(ImageType::Raw, false)))
}

fn set(img: &Img, dir: &Path) -> PathBuf {
    write_clonecd(&img.bytes, img.from, &img.toc, dir, "disc")
}

fn kinds_at(r: &Report) -> Vec<(DefectKind, Lba)> {
    r.defects.iter().map(|d| (d.kind, d.lba)).collect()
}

#[test]
fn clean_clonecd_sets_validate_clean() {
    for img in [data(), audio()] {
        let dir = tempfile::tempdir().unwrap();
        let ccd = set(img, dir.path());
        let r = validate_ccd(&ccd, &Options::default()).unwrap();
        assert!(r.is_clean(), "{}", show(&r));
        assert_eq!(r.sectors, img.leadout as u64);
        assert_eq!(r.first_lba, 0);
        assert!(r.format.starts_with("clonecd"), "{}", r.format);
        let seen = r.toc.unwrap();
        assert_eq!(seen.leadout_lba, img.toc.leadout_lba);
        let starts: Vec<_> = seen.tracks.iter().map(|t| t.start_lba).collect();
        let want: Vec<_> = img.toc.tracks.iter().map(|t| t.start_lba).collect();
        assert_eq!(starts, want);
        assert_eq!(seen.mcn, img.toc.mcn);
    }
}

#[test]
fn ccd_toc_matches_the_plan() {
    let img = data();
    let ccd = rawcd::formats::ccd::parse_ccd(&ccd_text(&img.toc, false), "x.ccd").unwrap();
    let toc = ccd.to_toc().unwrap();
    assert_eq!(toc.leadout_lba, img.toc.leadout_lba);
    assert_eq!((toc.first_track, toc.last_track), (1, 3));
    for (a, b) in toc.tracks.iter().zip(&img.toc.tracks) {
        assert_eq!(
            (a.number, a.control, a.start_lba, a.sector_count),
            (b.number, b.control, b.start_lba, b.sector_count)
        );
        assert_eq!(a.sector_type.is_data(), b.sector_type.is_data());
        assert_eq!(a.indexes, b.indexes);
    }
}

#[test]
fn scrambled_flag_must_match_the_data() {
    let img = data();
    let dir = tempfile::tempdir().unwrap();
    let ccd = set(img, dir.path());
    std::fs::write(&ccd, ccd_text(&img.toc, true)).unwrap();
    let r = validate_ccd(&ccd, &Options::default()).unwrap();
    assert!(r.count(DefectKind::Header) > 0, "{}", show(&r));
    assert!(
        r.defects[0].detail.contains("not scrambled"),
        "{}",
        show(&r)
    );
}

#[test]
fn mislabelled_track_in_the_ccd_is_a_toc_mismatch() {
    let img = data();
    let dir = tempfile::tempdir().unwrap();
    let ccd = set(img, dir.path());
    let mut toc = img.toc.clone();
    toc.tracks[2].start_lba += 3;
    toc.tracks[2].indexes.retain(|i| i.number != 0);
    std::fs::write(&ccd, ccd_text(&toc, false)).unwrap();
    let r = validate_ccd(&ccd, &Options::default()).unwrap();
    assert_eq!(
        kinds_at(&r),
        vec![(DefectKind::TocMismatch, img.toc.tracks[2].start_lba)],
        "{}",
        show(&r)
    );
    // audio labelled as data
    let mut toc = img.toc.clone();
    toc.tracks[2].control |= 0x4;
    toc.tracks[2].sector_type = rawcd::sector::SectorType::Mode1;
    std::fs::write(&ccd, ccd_text(&toc, false)).unwrap();
    let r = validate_ccd(&ccd, &Options::default()).unwrap();
    assert!(
        kinds_at(&r).contains(&(DefectKind::TocMismatch, img.toc.tracks[2].start_lba)),
        "{}",
        show(&r)
    );
}

#[test]
fn short_img_shows_the_lead_out_mismatch() {
    let img = data();
    let dir = tempfile::tempdir().unwrap();
    let ccd = set(img, dir.path());
    let p = dir.path().join("disc.img");
    let bytes = std::fs::read(&p).unwrap();
    std::fs::write(&p, &bytes[..bytes.len() - 2352 * 10]).unwrap();
    let s = dir.path().join("disc.sub");
    let sub = std::fs::read(&s).unwrap();
    std::fs::write(&s, &sub[..sub.len() - 960]).unwrap();
    let r = validate_ccd(&ccd, &Options::default()).unwrap();
    assert_eq!(
        kinds_at(&r),
        vec![(DefectKind::TocMismatch, img.leadout - 10)],
        "{}",
        show(&r)
    );
}

#[test]
fn malformed_sets_are_errors() {
    let img = audio();
    let dir = tempfile::tempdir().unwrap();
    let ccd = set(img, dir.path());
    let p = dir.path().join("disc.img");
    let full = std::fs::read(&p).unwrap();
    // partial sector
    std::fs::write(&p, &full[..full.len() - 7]).unwrap();
    let e = validate_ccd(&ccd, &Options::default()).unwrap_err();
    assert!(matches!(e, ValidateError::Truncated { .. }), "{e}");
    // .sub of the wrong size
    std::fs::write(&p, &full).unwrap();
    let s = dir.path().join("disc.sub");
    let sub = std::fs::read(&s).unwrap();
    std::fs::write(&s, &sub[..sub.len() - 96]).unwrap();
    let e = validate_ccd(&ccd, &Options::default()).unwrap_err();
    assert!(e.to_string().starts_with("wrong size:"), "{e}");
    // missing .sub
    std::fs::remove_file(&s).unwrap();
    let e = validate_ccd(&ccd, &Options::default()).unwrap_err();
    assert!(e.to_string().contains("disc.sub"), "{e}");
    // unparseable line
    std::fs::write(&s, &sub).unwrap();
    std::fs::write(&ccd, "[CloneCD]\nVersion=3\n[Entry 0]\nPoint=zz\n").unwrap();
    let e = validate_ccd(&ccd, &Options::default()).unwrap_err();
    assert!(e.to_string().contains("disc.ccd:4:"), "{e}");
    // no lead-out entry
    std::fs::write(&ccd, "[Entry 0]\nPoint=0x01\nADR=1\nControl=0\n").unwrap();
    let e = validate_ccd(&ccd, &Options::default()).unwrap_err();
    assert!(e.to_string().contains("0xa2"), "{e}");
    // missing .ccd
    let e = validate_ccd(&dir.path().join("none.ccd"), &Options::default()).unwrap_err();
    assert!(matches!(e, ValidateError::Io { .. }), "{e}");
}

#[test]
fn cue_with_raw_sectors_and_sub_channel() {
    let img = audio();
    let dir = tempfile::tempdir().unwrap();
    // one bin of the program area (audio: 2352 bytes as stored) and its sub
    let size = ImageType::Raw.sector_size();
    let mut bin = Vec::new();
    for lba in 0..img.leadout {
        let o = (lba - img.from) as usize * size;
        bin.extend_from_slice(&img.bytes[o..o + 2352]);
    }
    std::fs::write(dir.path().join("disc.bin"), &bin).unwrap();
    let mut cue = String::from("CATALOG 0123456789012\nFILE \"disc.bin\" BINARY\n");
    for t in &img.toc.tracks {
        cue.push_str(&format!("  TRACK {:02} AUDIO\n", t.number));
        if let Some(i) = t.isrc {
            cue.push_str(&format!("    ISRC {i}\n"));
        }
        if t.number == 3 {
            cue.push_str("    FLAGS SCMS\n");
        } else {
            cue.push_str("    FLAGS DCP\n");
        }
        for i in &t.indexes {
            if t.number == 1 && i.number == 0 {
                continue;
            }
            let m = rawcd::Msf::from_frames(i.lba as u32).unwrap();
            cue.push_str(&format!("    INDEX {:02} {m}\n", i.number));
        }
    }
    let cue_path = dir.path().join("disc.cue");
    std::fs::write(&cue_path, &cue).unwrap();
    let sub = dir.path().join("disc.sub");
    std::fs::write(&sub, sub_records(&img.bytes, img.from, 0, img.leadout)).unwrap();
    let r = validate_description(&cue_path, Some(&sub), &Options::default()).unwrap();
    assert!(r.is_clean(), "{cue}\n{}", show(&r));
    assert_eq!(r.sectors, img.leadout as u64);
    // a flipped Q bit is reported at its LBA
    let mut bytes = std::fs::read(&sub).unwrap();
    bytes[777 * 96 + 40] ^= 0x40;
    std::fs::write(&sub, &bytes).unwrap();
    let r = validate_description(&cue_path, Some(&sub), &Options::default()).unwrap();
    assert_eq!(kinds_at(&r), vec![(DefectKind::QCrc, 777)], "{}", show(&r));
    // without the sub-channel: nothing but the main channel, and a note
    let r = validate_description(&cue_path, None, &Options::default()).unwrap();
    assert!(r.is_clean(), "{}", show(&r));
    assert!(
        r.notes.iter().any(|n| n.contains("no sub-channel")),
        "{:?}",
        r.notes
    );
    assert_eq!(r.toc.unwrap().leadout_lba, img.leadout);
    // a sub-channel file too short for the program area
    std::fs::write(&sub, &bytes[..bytes.len() - 96]).unwrap();
    let e = validate_description(&cue_path, Some(&sub), &Options::default()).unwrap_err();
    assert!(e.to_string().starts_with("wrong size:"), "{e}");
}

#[test]
fn cue_data_sectors_are_checked_unscrambled() {
    let img = data();
    let dir = tempfile::tempdir().unwrap();
    // track 1 (mode 1) as MODE1/2352: 300 unscrambled sectors from LBA 0
    let size = ImageType::Raw.sector_size();
    let mut bin = Vec::new();
    for lba in 0..300 {
        let o = (lba - img.from) as usize * size;
        let mut m: [u8; 2352] = img.bytes[o..o + 2352].try_into().unwrap();
        rawcd::sector::descramble(&mut m);
        bin.extend_from_slice(&m);
    }
    let bin_path = dir.path().join("t1.bin");
    std::fs::write(&bin_path, &bin).unwrap();
    let cue = dir.path().join("d.cue");
    std::fs::write(
        &cue,
        "FILE \"t1.bin\" BINARY\n  TRACK 01 MODE1/2352\n    INDEX 01 00:00:00\n",
    )
    .unwrap();
    let r = validate_description(&cue, None, &Options::default()).unwrap();
    assert!(r.is_clean(), "{}", show(&r));
    // break the EDC of LBA 123 (which the ECC covers), wipe the sync of LBA 200
    bin[123 * 2352 + 2064] ^= 1;
    bin[200 * 2352 + 5] = 0;
    std::fs::write(&bin_path, &bin).unwrap();
    let r = validate_description(&cue, None, &Options::default()).unwrap();
    assert_eq!(
        kinds_at(&r),
        vec![
            (DefectKind::Edc, 123),
            (DefectKind::Ecc, 123),
            (DefectKind::Sync, 200)
        ],
        "{}",
        show(&r)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// A flipped Q bit in the .sub is a q_crc defect at exactly that LBA.
    #[test]
    fn flipped_q_bit_in_sub_is_found(lba in 0i32..1200, bit in 0usize..96) {
        let img = data();
        let dir = tempfile::tempdir().unwrap();
        let ccd = set(img, dir.path());
        let lba = lba % img.leadout;
        let s = dir.path().join("disc.sub");
        let mut sub = std::fs::read(&s).unwrap();
        sub[lba as usize * 96 + bit] ^= 0x40;
        std::fs::write(&s, &sub).unwrap();
        let r = validate_ccd(&ccd, &Options::default()).unwrap();
        prop_assert_eq!(kinds_at(&r), vec![(DefectKind::QCrc, lba)], "{}", show(&r));
    }

    /// A broken data byte in the .img is an EDC/ECC defect at that LBA.
    #[test]
    fn broken_data_byte_in_img_is_found(lba in 0i32..300, at in 16usize..2064) {
        let img = data();
        let dir = tempfile::tempdir().unwrap();
        let ccd = set(img, dir.path());
        let p = dir.path().join("disc.img");
        let mut bytes = std::fs::read(&p).unwrap();
        bytes[lba as usize * 2352 + at] ^= 0x10;
        std::fs::write(&p, &bytes).unwrap();
        let r = validate_ccd(&ccd, &Options::default()).unwrap();
        prop_assert!(!r.is_clean());
        prop_assert!(r.defects.iter().all(|d| d.lba == lba), "{}", show(&r));
    }

    /// Random .ccd text with random small .img/.sub files never panics.
    #[test]
    fn random_sets_never_panic(
        text in "(\\[(Entry|TRACK|Disc) [0-9]\\]|(Point|PMin|PSec|PFrame|Control|ADR|Session|MODE|INDEX 1|DataTracksScrambled)=(0x)?[0-9a-f]{1,3})(\r?\n(\\[(Entry|TRACK) [0-9]\\]|(Point|PMin|PSec|PFrame|Control|ADR|Session|MODE|INDEX 0|INDEX 1|ISRC|Catalog)=(0x)?[0-9a-f]{1,3})){0,40}",
        sectors in 0usize..8,
        sub_extra in 0usize..3,
        seed in any::<u8>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let ccd = dir.path().join("r.ccd");
        std::fs::write(&ccd, &text).unwrap();
        let img: Vec<u8> = (0..sectors * 2352).map(|i| (i as u8).wrapping_mul(seed)).collect();
        let sub: Vec<u8> = (0..sectors * 96 + sub_extra).map(|i| (i as u8) ^ seed).collect();
        std::fs::write(dir.path().join("r.img"), img).unwrap();
        std::fs::write(dir.path().join("r.sub"), sub).unwrap();
        let _ = validate_ccd(&ccd, &Options::default());
    }

    /// Cue sheets over random bins with random sub-channel files never panic.
    #[test]
    fn random_cue_sets_never_panic(
        mode in prop_oneof![Just("AUDIO"), Just("MODE1/2352"), Just("MODE1/2048"), Just("MODE2/2352")],
        bin_len in 0usize..6000,
        sub_len in prop::option::of(0usize..700),
        seed in any::<u8>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let bin: Vec<u8> = (0..bin_len).map(|i| (i as u8).wrapping_mul(seed)).collect();
        std::fs::write(dir.path().join("b.bin"), bin).unwrap();
        let cue = dir.path().join("b.cue");
        std::fs::write(
            &cue,
            format!("FILE \"b.bin\" BINARY\n  TRACK 01 {mode}\n    INDEX 01 00:00:00\n"),
        )
        .unwrap();
        let sub = sub_len.map(|n| {
            let p = dir.path().join("b.sub");
            std::fs::write(&p, (0..n).map(|i| (i as u8) ^ seed).collect::<Vec<u8>>()).unwrap();
            p
        });
        let _ = validate_description(&cue, sub.as_deref(), &Options::default());
    }
}
