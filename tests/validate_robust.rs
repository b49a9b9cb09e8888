//! Truncated, odd-sized and garbage inputs give errors or defects, never panics.

mod validate_util;

use std::io::Cursor;

use proptest::prelude::*;
use rawcd::image::ImageType;
use rawcd::msf::Msf;
use rawcd::subcode::QFrame;
use rawcd::validate::{
    detect_image_type, validate_file, validate_reader, DefectKind, Options, Subcode, ValidateError,
    Validator,
};
use validate_util::*;

#[test]
fn odd_sizes_are_errors() {
    for len in [0usize, 1, 2351, 2369, 2448 * 3 + 5] {
        let bytes = vec![0u8; len];
        let e = validate_reader(Cursor::new(&bytes), len as u64, &Options::default()).unwrap_err();
        assert!(
            matches!(
                e,
                ValidateError::Empty { .. } | ValidateError::WrongSize { .. }
            ),
            "{len}: {e}"
        );
    }
    let bytes = vec![0u8; 2448 * 2 + 10];
    let e = validate_reader(
        Cursor::new(&bytes),
        bytes.len() as u64,
        &Options {
            image_type: Some(ImageType::Raw),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert!(
        matches!(e, ValidateError::Truncated { extra: 10, .. }),
        "{e}"
    );
    assert!(e.to_string().contains("truncated"));
}

#[test]
fn short_reader_is_an_error() {
    let bytes = vec![0u8; 2448 * 4];
    let e = validate_reader(
        Cursor::new(&bytes[..2448 * 3]),
        bytes.len() as u64,
        &Options::default(),
    )
    .unwrap_err();
    assert!(matches!(e, ValidateError::ShortRead { .. }), "{e}");
}

#[test]
fn missing_file_is_an_error() {
    let e = validate_file("/nonexistent/x.img".as_ref(), &Options::default()).unwrap_err();
    assert!(e.to_string().contains("/nonexistent/x.img"));
}

#[test]
fn detection_uses_size_then_content() {
    let img = Img::new(audio_disc(ImageType::PqOnly, true));
    assert_eq!(
        detect_image_type(&img.bytes[..2368 * 8], 2368 * 153).unwrap(),
        ImageType::PqOnly
    );
    let raw = Img::new(audio_disc(ImageType::Raw, true));
    // 2448·2368·k is a multiple of both
    assert_eq!(
        detect_image_type(&raw.bytes[..2448 * 8], 2448 * 2368).unwrap(),
        ImageType::Raw
    );
    assert_eq!(
        detect_image_type(&img.bytes[..2448 * 8], 2448 * 2368).unwrap(),
        ImageType::PqOnly
    );
    // a truncated real image
    let e = detect_image_type(&raw.bytes[..2448], raw.bytes.len() as u64 - 100).unwrap_err();
    assert!(matches!(e, ValidateError::WrongSize { .. }), "{e}");
}

#[test]
fn a_track_without_index_1_is_a_layout_defect() {
    let mut v = Validator::new("synthetic", false, &Options::default());
    let main = [0u8; 2352];
    let emit = |v: &mut Validator, lba: i32, track: u8, index: u8, rel: u32| {
        let q = QFrame::position(
            0,
            track,
            index,
            Msf::from_frames(rel).unwrap(),
            Msf::from_program_lba(lba).unwrap(),
        );
        let mut pq = [0u8; 16];
        pq[..12].copy_from_slice(&q.0);
        v.sector(lba, &main, Subcode::Pq16(&pq));
    };
    for lba in -150..0 {
        emit(&mut v, lba, 1, 0, (-lba) as u32);
    }
    for lba in 0..400 {
        emit(&mut v, lba, 1, 1, lba as u32);
    }
    for lba in 400..500 {
        emit(&mut v, lba, 2, 0, (600 - lba) as u32);
    }
    for lba in 500..7250 {
        emit(&mut v, lba, 0xAA, 1, (lba - 500) as u32);
    }
    let r = v.finish();
    assert_eq!(r.defect_count, 1, "{}", r.summary(10));
    assert_eq!(r.defects[0].kind, DefectKind::Layout);
    assert_eq!(r.defects[0].lba, 400);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn garbage_never_panics(seed: u64, sectors in 1usize..6, pq: bool) {
        let size = if pq { 2368 } else { 2448 };
        let mut x = seed | 1;
        let bytes: Vec<u8> = (0..sectors * size)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        for start in [None, Some(Msf::ZERO), Some("99:59:74".parse().unwrap())] {
            let opts = Options { start, ..Options::default() };
            let _ = validate_reader(Cursor::new(&bytes), bytes.len() as u64, &opts);
        }
    }

    #[test]
    fn garbage_in_a_real_image_never_panics(at in 0usize..2448 * 900, len in 1usize..5000, seed: u8) {
        let mut img = Img::new(audio_disc(ImageType::Raw, true));
        let end = (at + len).min(img.bytes.len());
        for (i, b) in img.bytes[at..end].iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(31).wrapping_add(seed);
        }
        // audio samples can hold anything: only "no panic" is checked
        let r = img.validate(&Options::default());
        prop_assert!(r.sectors > 0);
    }
}
