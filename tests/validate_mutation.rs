//! Mutation tests: corrupt a clean image at a chosen LBA and assert that
//! exactly one defect, of the expected kind, is reported at that LBA.

mod validate_util;

use std::sync::OnceLock;

use proptest::prelude::*;
use rawcd::image::ImageType;
use rawcd::msf::{Lba, Msf};
use rawcd::subcode::{QContent, QFrame};
use rawcd::validate::{DefectKind, Options, Report};
use validate_util::*;

fn audio(ty: ImageType) -> &'static Img {
    static IMGS: OnceLock<Vec<Img>> = OnceLock::new();
    let imgs = IMGS.get_or_init(|| {
        [ImageType::Raw, ImageType::Cooked, ImageType::PqOnly]
            .into_iter()
            .map(|t| Img::new(audio_disc(t, false)))
            .collect()
    });
    imgs.iter().find(|i| i.ty == ty).unwrap()
}

fn data(ty: ImageType) -> &'static Img {
    static IMGS: OnceLock<Vec<Img>> = OnceLock::new();
    let imgs = IMGS.get_or_init(|| {
        [ImageType::Raw, ImageType::PqOnly]
            .into_iter()
            .map(|t| Img::new(data_disc(t)))
            .collect()
    });
    imgs.iter().find(|i| i.ty == ty).unwrap()
}

fn copy(img: &Img) -> Img {
    Img {
        ty: img.ty,
        bytes: img.bytes.clone(),
        from: img.from,
        leadout: img.leadout,
        toc: img.toc.clone(),
    }
}

fn assert_only(r: &Report, kind: DefectKind, lba: Lba) {
    assert_eq!(
        r.defects
            .iter()
            .map(|d| (d.kind, d.lba))
            .collect::<Vec<_>>(),
        vec![(kind, lba)],
        "expected exactly {kind} at LBA {lba}\n{}",
        show(r)
    );
}

fn image_type() -> impl Strategy<Value = ImageType> {
    prop_oneof![
        Just(ImageType::Raw),
        Just(ImageType::Cooked),
        Just(ImageType::PqOnly)
    ]
}

fn last_lba(img: &Img) -> Lba {
    img.from + (img.bytes.len() / img.size()) as Lba - 1
}

/// Rebuilds a position frame with `f` applied to its fields; `None` when the
/// sector does not hold a position frame.
fn edit_position(
    img: &mut Img,
    lba: Lba,
    f: impl FnOnce(&mut u8, &mut u8, &mut u8, &mut Msf, &mut Msf),
) -> Option<()> {
    let (p, q) = img.q(lba);
    let QContent::Position {
        mut control,
        mut track,
        mut index,
        mut relative,
        mut absolute,
    } = q.decode().ok()?
    else {
        return None;
    };
    f(
        &mut control,
        &mut track,
        &mut index,
        &mut relative,
        &mut absolute,
    );
    img.set_q(
        lba,
        p,
        &QFrame::position(control, track, index, relative, absolute),
    );
    Some(())
}

fn shift(m: Msf, d: i32) -> Msf {
    Msf::from_frames((m.frames() as i32 + d).max(0) as u32).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn q_bit_flip_is_q_crc(ty in image_type(), pos in 0.0f64..1.0, bit in 0usize..96) {
        let clean = audio(ty);
        let lba = clean.from + (pos * (last_lba(clean) - clean.from) as f64) as Lba;
        let mut img = copy(clean);
        img.flip_q_bit(lba, bit);
        assert_only(&img.validate(&Options::default()), DefectKind::QCrc, lba);
    }

    #[test]
    fn shifted_absolute_time_is_q_position(ty in image_type(), pos in 0.0f64..1.0, d in 1i32..50, neg: bool) {
        let clean = audio(ty);
        let lba = (pos * (last_lba(clean) + 1) as f64) as Lba;
        let mut img = copy(clean);
        let d = if neg && lba > 60 { -d } else { d };
        prop_assume!(edit_position(&mut img, lba, |_, _, _, _, abs| *abs = shift(*abs, d)).is_some());
        assert_only(&img.validate(&Options::default()), DefectKind::QPosition, lba);
    }

    #[test]
    fn shifted_relative_time_is_q_position(ty in image_type(), pos in 0.0f64..1.0, d in 2i32..50) {
        let clean = audio(ty);
        let lba = -150 + (pos * (last_lba(clean) + 151) as f64) as Lba;
        let mut img = copy(clean);
        prop_assume!(edit_position(&mut img, lba, |_, _, _, rel, _| *rel = shift(*rel, d)).is_some());
        assert_only(&img.validate(&Options::default()), DefectKind::QPosition, lba);
    }

    #[test]
    fn changed_control_is_q_control(ty in image_type(), pos in 0.0f64..1.0) {
        let clean = audio(ty);
        let lba = -150 + (pos * (last_lba(clean) + 151) as f64) as Lba;
        let mut img = copy(clean);
        prop_assume!(edit_position(&mut img, lba, |c, _, _, _, _| *c ^= 0x1).is_some());
        assert_only(&img.validate(&Options::default()), DefectKind::QControl, lba);
    }

    #[test]
    fn changed_mcn_digit_is_mcn(ty in image_type(), k in 0usize..8, digit in 0usize..13) {
        let clean = audio(ty);
        let lbas: Vec<Lba> = (-150..clean.leadout)
            .filter(|&l| clean.q(l).1.adr() == 2)
            .collect();
        let lba = lbas[k % lbas.len()];
        let mut img = copy(clean);
        let (p, q) = img.q(lba);
        let Ok(QContent::Mcn { control, mut digits, aframe }) = q.decode() else { panic!() };
        digits[digit] = (digits[digit] + 1) % 10;
        img.set_q(lba, p, &QFrame::mcn(control, &digits, aframe));
        assert_only(&img.validate(&Options::default()), DefectKind::Mcn, lba);
    }

    #[test]
    fn changed_isrc_is_isrc(ty in image_type(), k in 0usize..4, ch in 5usize..12) {
        let clean = audio(ty);
        let lbas: Vec<Lba> = (-150..clean.leadout)
            .filter(|&l| clean.q(l).1.adr() == 3)
            .collect();
        let lba = lbas[k % lbas.len()];
        let mut img = copy(clean);
        let (p, q) = img.q(lba);
        let Ok(QContent::Isrc { control, mut isrc, aframe }) = q.decode() else { panic!() };
        isrc[ch] = b'0' + (isrc[ch] - b'0' + 1) % 10;
        img.set_q(lba, p, &QFrame::isrc(control, &isrc, aframe));
        assert_only(&img.validate(&Options::default()), DefectKind::Isrc, lba);
    }

    #[test]
    fn p_bit_flip_is_p_channel(ty in prop_oneof![Just(ImageType::Raw), Just(ImageType::Cooked)], pos in 0.0f64..1.0, bit in 0usize..96) {
        let clean = audio(ty);
        let lba = clean.from + (pos * (last_lba(clean) - clean.from) as f64) as Lba;
        let mut img = copy(clean);
        img.sub_mut(lba)[bit] ^= 0x80;
        assert_only(&img.validate(&Options::default()), DefectKind::PChannel, lba);
    }

    #[test]
    fn p_set_inside_a_track_is_p_channel(ty in image_type(), k in 1i32..240) {
        let clean = audio(ty);
        // track 1 body is LBA 0..399; track 2's index 1 at 550
        let lba = k;
        let mut img = copy(clean);
        let (_, q) = img.q(lba);
        img.set_q(lba, true, &q);
        assert_only(&img.validate(&Options::default()), DefectKind::PChannel, lba);
    }

    #[test]
    fn mislabelled_toc_point_is_toc_mismatch(ty in image_type(), k in 0usize..40, d in 1i32..100) {
        let clean = audio(ty);
        let lbas: Vec<Lba> = (clean.from..-150)
            .filter(|&l| matches!(clean.q(l).1 .0[2], 0x01..=0x03))
            .collect();
        let lba = lbas[k % lbas.len()];
        let mut img = copy(clean);
        let (p, q) = img.q(lba);
        let mut data = q.data();
        let start = Msf::from_bcd([data[7], data[8], data[9]]).unwrap();
        data[7..10].copy_from_slice(&shift(start, d).to_bcd());
        img.set_q(lba, p, &QFrame::from_data(data));
        assert_only(&img.validate(&Options::default()), DefectKind::TocMismatch, lba);
    }

    #[test]
    fn damaged_sync_is_sync(ty in prop_oneof![Just(ImageType::Raw), Just(ImageType::PqOnly)], lba in -150i32..825, byte in 1usize..11) {
        let mut img = copy(data(ty));
        img.main_mut(lba)[byte] ^= 0x10;
        assert_only(&img.validate(&Options::default()), DefectKind::Sync, lba);
    }

    #[test]
    fn wrong_header_address_is_header(lba in -150i32..825, d in 1u8..9) {
        let mut img = copy(data(ImageType::Raw));
        let form1 = lba >= 300;
        img.edit_data(lba, |s| {
            s[14] = if s[14] & 0x0F < 5 { s[14] + d.min(4) } else { s[14] - d.min(4) };
            if form1 { reencode_form1(s) } else { reencode_mode1(s) }
        });
        assert_only(&img.validate(&Options::default()), DefectKind::Header, lba);
    }

    #[test]
    fn broken_edc_is_edc(lba in -150i32..825, byte in 0usize..4, x in 1u8..=255) {
        let mut img = copy(data(ImageType::Raw));
        let form1 = lba >= 300;
        img.edit_data(lba, |s| {
            let at = if form1 { 2072 } else { 2064 } + byte;
            s[at] ^= x;
            rawcd::sector::ecc::encode(s, form1);
        });
        assert_only(&img.validate(&Options::default()), DefectKind::Edc, lba);
    }

    #[test]
    fn broken_parity_is_ecc(lba in -150i32..825, at in 2076usize..2352, x in 1u8..=255) {
        let mut img = copy(data(ImageType::Raw));
        img.main_mut(lba)[at] ^= x;
        assert_only(&img.validate(&Options::default()), DefectKind::Ecc, lba);
    }

    #[test]
    fn differing_subheader_copy_is_subheader(lba in 300i32..825, byte in 20usize..24, x in 1u8..=255) {
        let mut img = copy(data(ImageType::Raw));
        prop_assume!(!(byte == 22 && x & 0x20 != 0));
        img.edit_data(lba, |s| {
            s[byte] ^= x;
            reencode_form1(s);
        });
        // the form 1 track's extent is LBA 300..824 (pregap from 300)
        assert_only(&img.validate(&Options::default()), DefectKind::Subheader, lba);
    }

    #[test]
    fn short_or_missing_leadout_is_leadout(ty in image_type(), keep in 0usize..6750) {
        let clean = audio(ty);
        let mut img = copy(clean);
        let end = img.offset(img.leadout) + keep * img.size();
        img.bytes.truncate(end);
        assert_only(&img.validate(&Options::default()), DefectKind::Leadout, clean.leadout);
    }

    #[test]
    fn too_long_for_the_media_is_capacity(ty in image_type(), d in 1i32..1000) {
        let img = audio(ty);
        let r = img.validate(&Options { leadout_limit: Some(img.leadout - d), ..Options::default() });
        assert_only(&r, DefectKind::Capacity, img.leadout);
    }
}

#[test]
fn data_disc_layout_is_what_the_tests_assume() {
    let img = data(ImageType::Raw);
    let starts: Vec<Lba> = img.toc.tracks.iter().map(|t| t.start_lba).collect();
    assert_eq!(starts, [0, 525, 975]);
    let img = audio(ImageType::Raw);
    let starts: Vec<Lba> = img.toc.tracks.iter().map(|t| t.start_lba).collect();
    assert_eq!(starts, [0, 550, 1200]);
}
