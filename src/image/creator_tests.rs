//! Tests of the creator and its result image against spec/cd-format.md §11.3
//! and spec/imapi2.md §2.4.

use std::io::{self, Read, Seek, SeekFrom};

use super::Synthetic;

use sha2::{Digest, Sha256};

use super::*;
use crate::error::hresult;
use crate::layout::CopySetting;
use crate::sector::SectorType;
use crate::subcode::pack;

fn hex(s: &str) -> Vec<u8> {
    s.split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).unwrap())
        .collect()
}

/// The two-track disc of spec/cd-format.md §11.3 (copy prohibited, gaps on).
fn spec_disc(ty: ImageType) -> ResultImage {
    let mut c = RawCdImageCreator::new();
    c.set_resulting_image_type(ty).unwrap();
    c.set_disable_gapless_audio(true).unwrap();
    c.add_track(SectorType::Audio, Synthetic::silence(13_200))
        .unwrap();
    c.add_track(SectorType::Audio, Synthetic::silence(13_500))
        .unwrap();
    for i in 1..=2 {
        c.track_info(i)
            .unwrap()
            .set_digital_audio_copy_setting(CopySetting::Prohibited)
            .unwrap();
    }
    c.create_result_image().unwrap()
}

fn record(img: &mut ResultImage, lba: i32) -> Vec<u8> {
    let mut buf = vec![0u8; img.image_type().sector_size()];
    img.sector_at(lba, &mut buf).unwrap();
    buf
}

fn q_of(img: &mut ResultImage, lba: i32) -> Vec<u8> {
    let rec = record(img, lba);
    let sub: &[u8; 96] = rec[2352..].try_into().unwrap();
    pack::unraw96(sub).1 .0.to_vec()
}

#[test]
fn q_frames_match_spec_two_track_disc() {
    let mut img = spec_disc(ImageType::Raw);
    let vectors = [
        (0, "01 01 01 00 00 00 00 00 02 00 5A 28"),
        (-150, "01 01 00 00 02 00 00 00 00 00 F0 D9"),
        (-1, "01 01 00 00 00 01 00 00 01 74 DC EA"),
        (-22_650, "01 00 A0 95 00 00 00 01 00 00 C4 46"),
        (-22_647, "01 00 A1 95 00 03 00 02 00 00 34 17"),
        (-22_644, "01 00 A2 95 00 06 00 06 00 00 03 F5"),
        (-22_641, "01 00 01 95 00 09 00 00 02 00 FC 52"),
        (-22_638, "01 00 02 95 00 12 00 03 00 00 E3 B0"),
        (26_850, "01 AA 01 00 00 00 00 06 00 00 92 1F"),
    ];
    for (lba, want) in vectors {
        assert_eq!(q_of(&mut img, lba), hex(want), "LBA {lba}");
    }
}

#[test]
fn raw_pw_of_lba0_matches_spec_with_p_set_on_first_index1_sector() {
    let mut img = spec_disc(ImageType::Raw);
    let mut want = hex(
        "00 00 00 00 00 00 00 40 00 00 00 00 00 00 00 40 00 00 00 00 00 00 00 40
         00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
         00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 40 00
         00 00 00 00 00 00 00 00 00 40 00 40 40 00 40 00 00 00 40 00 40 00 00 00",
    );
    // The spec block has P = 0; rawcd follows cdrdao (P = 1 in the first
    // sector of index 1), which the spec describes as OR 0x80 into all bytes.
    let rec = record(&mut img, 0);
    let mut rec_p0 = rec.clone();
    rec_p0[2352..].iter_mut().for_each(|b| *b &= 0x7f);
    assert_eq!(
        format!("{:x}", Sha256::digest(&rec_p0)),
        "1893df851d2c3e1d7b83e18d18e6f5cd41a971d2e9fb9125fc5ec34ddf194904"
    );
    want.iter_mut().for_each(|b| *b |= 0x80);
    assert_eq!(&rec[2352..], &want[..]);
}

#[test]
fn raw_pw_of_first_leadin_sector_and_pregap_match_spec() {
    let mut img = spec_disc(ImageType::Raw);
    let leadin = hex(
        "00 00 00 00 00 00 00 40 00 00 00 00 00 00 00 00 40 00 40 00 00 00 00 00
         40 00 00 40 00 40 00 40 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
         00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 40 00 00 00 00 00 00 00 00
         00 00 00 00 00 00 00 00 40 40 00 00 00 40 00 00 00 40 00 00 00 40 40 00",
    );
    assert_eq!(&record(&mut img, -22_650)[2352..], &leadin[..]);
    let pregap = hex(
        "80 80 80 80 80 80 80 C0 80 80 80 80 80 80 80 C0 80 80 80 80 80 80 80 80
         80 80 80 80 80 80 80 80 80 80 80 80 80 80 C0 80 80 80 80 80 80 80 80 80
         80 80 80 80 80 80 80 80 80 80 80 80 80 80 80 80 80 80 80 80 80 80 80 80
         80 80 80 80 80 80 80 80 C0 C0 C0 C0 80 80 80 80 C0 C0 80 C0 C0 80 80 C0",
    );
    assert_eq!(&record(&mut img, -150)[2352..], &pregap[..]);
}

#[test]
fn pq16_record_of_lba0_uses_non_inverted_crc() {
    let mut img = spec_disc(ImageType::PqOnly);
    let rec = record(&mut img, 0);
    assert_eq!(rec.len(), 2368);
    assert_eq!(
        &rec[2352..],
        &hex("01 01 01 00 00 00 00 00 02 00 A5 D7 00 00 00 80")[..]
    );
}

#[test]
fn mcn_and_isrc_frames_follow_the_cadence() {
    let mut c = RawCdImageCreator::new();
    c.set_resulting_image_type(ImageType::Raw).unwrap();
    c.set_media_catalog_number("0123456789012").unwrap();
    c.add_track(SectorType::Audio, Synthetic::silence(13_350))
        .unwrap();
    let mut t = c.track_info(1).unwrap();
    t.set_isrc("US-RC1-76-07839").unwrap();
    t.set_digital_audio_copy_setting(CopySetting::Prohibited)
        .unwrap();
    let mut img = c.create_result_image().unwrap();
    // spec/cd-format.md §11.3
    assert_eq!(
        q_of(&mut img, 99),
        hex("02 01 23 45 67 89 01 20 00 24 54 61")
    );
    assert_eq!(
        q_of(&mut img, 49),
        hex("03 96 38 93 04 76 07 83 90 49 C0 71")
    );
    // no catalogue frames in the lead-in or lead-out
    assert_eq!(q_of(&mut img, -22_651 + 100)[0] & 0x0f, 1);
    assert_eq!(q_of(&mut img, 13_350 + 99)[1], 0xAA);
}

#[test]
fn imapi_worked_example_gapless_and_gapped() {
    // spec/imapi2.md §2.4: tracks of 300 and 450 sectors.
    for (disable, t2, leadout, sectors) in [(false, 300, 750, 30_150u64), (true, 450, 900, 30_300)]
    {
        let mut c = RawCdImageCreator::new();
        c.set_disable_gapless_audio(disable).unwrap();
        assert_eq!(
            c.add_track(SectorType::Audio, Synthetic::audio_pattern(300, 1))
                .unwrap(),
            1
        );
        assert_eq!(
            c.add_track(SectorType::Audio, Synthetic::audio_pattern(450, 2))
                .unwrap(),
            2
        );
        assert_eq!(c.track_info(1).unwrap().starting_lba(), 0);
        assert_eq!(c.track_info(2).unwrap().starting_lba(), t2);
        assert_eq!(c.track_info(2).unwrap().sector_count(), 450);
        assert_eq!(c.start_of_leadout().unwrap(), leadout);
        assert_eq!(c.last_used_user_sector_in_image().unwrap(), leadout - 1);
        let toc = c.expected_toc().unwrap();
        assert_eq!(toc.tracks[1].start_lba, t2);
        let img = c.create_result_image().unwrap();
        assert_eq!(img.sector_count(), sectors);
        assert_eq!(img.len(), sectors * 2448);
    }
}

#[test]
fn gapless_tail_is_next_tracks_pregap_with_the_same_audio() {
    let mut c = RawCdImageCreator::new();
    c.set_resulting_image_type(ImageType::Raw).unwrap();
    c.add_track(SectorType::Audio, Synthetic::audio_pattern(300, 1))
        .unwrap();
    c.add_track(SectorType::Audio, Synthetic::audio_pattern(450, 2))
        .unwrap();
    let mut img = c.create_result_image().unwrap();
    // LBA 150..299: track 1's audio bytes 150..299, flagged track 2 index 0.
    let rec = record(&mut img, 150);
    let src = Synthetic::audio_pattern(300, 1);
    let want: Vec<u8> = (0..2352).map(|i| src.byte_at(150 * 2352 + i)).collect();
    assert_eq!(&rec[..2352], &want[..]);
    let q = q_of(&mut img, 150);
    assert_eq!(&q[..6], &hex("21 02 00 00 02 00")[..]);
    assert_eq!(rec[2352] & 0x80, 0x80, "P set in the pregap");
    // LBA 300 is track 2 index 1 and carries track 2's first audio bytes.
    let rec = record(&mut img, 300);
    let src = Synthetic::audio_pattern(450, 2);
    assert_eq!(
        rec[..16],
        (0..16).map(|i| src.byte_at(i)).collect::<Vec<_>>()[..]
    );
}

#[test]
fn stream_reads_and_seeks_consistently() {
    let mut c = RawCdImageCreator::new();
    c.add_track(SectorType::Audio, Synthetic::audio_pattern(300, 9))
        .unwrap();
    let mut img = c.create_result_image().unwrap();
    let size = 2448u64;
    let target = 22_650 + 17; // LBA 17
    img.seek(SeekFrom::Start(target * size + 100)).unwrap();
    let mut odd = vec![0u8; 5000];
    img.read_exact(&mut odd).unwrap();
    let mut whole = vec![0u8; 3 * size as usize];
    img.seek(SeekFrom::Start(target * size)).unwrap();
    img.read_exact(&mut whole).unwrap();
    assert_eq!(&odd[..], &whole[100..5100]);
    img.seek(SeekFrom::End(-10)).unwrap();
    let mut tail = Vec::new();
    img.read_to_end(&mut tail).unwrap();
    assert_eq!(tail.len(), 10);
    assert!(img.seek(SeekFrom::Current(-1_000_000_000_000)).is_err());
}

#[test]
fn add_track_reports_the_last_failing_check() {
    let mut c = RawCdImageCreator::new();
    c.add_track(SectorType::Audio, Synthetic::audio_pattern(300, 0))
        .unwrap();
    c.create_result_image().unwrap();
    let e = c
        .add_track(SectorType::Mode1, Synthetic::audio_pattern(300, 0))
        .unwrap_err();
    assert_eq!(
        e.hresult(),
        hresult::E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED
    );
    let e = c
        .add_track(SectorType::Audio, Synthetic::audio_pattern(300, 0))
        .unwrap_err();
    assert_eq!(e.hresult(), hresult::E_IMAPI_RAW_IMAGE_IS_READ_ONLY);
    assert_eq!(
        c.create_result_image().unwrap_err().hresult(),
        hresult::E_IMAPI_RAW_IMAGE_IS_READ_ONLY
    );
    assert_eq!(
        c.set_media_catalog_number("").unwrap_err().hresult(),
        hresult::E_IMAPI_RAW_IMAGE_IS_READ_ONLY
    );
}

#[test]
fn creator_argument_errors_have_imapi_codes() {
    let mut c = RawCdImageCreator::new();
    assert_eq!(
        c.start_of_leadout().unwrap_err().hresult(),
        hresult::E_IMAPI_RAW_IMAGE_NO_TRACKS
    );
    assert_eq!(
        c.create_result_image().unwrap_err().hresult(),
        hresult::E_IMAPI_RAW_IMAGE_NO_TRACKS
    );
    let short = c
        .add_track(SectorType::Audio, Synthetic::audio_pattern(299, 0))
        .unwrap_err();
    assert_eq!(short.hresult(), hresult::E_INVALIDARG);
    let odd = Synthetic::pattern(300 * 2352 + 1, 0);
    assert_eq!(
        c.add_track(SectorType::Audio, odd).unwrap_err().hresult(),
        hresult::E_INVALIDARG
    );
    assert_eq!(
        c.set_media_catalog_number("0123456789013")
            .unwrap_err()
            .hresult(),
        hresult::E_INVALIDARG
    );
    c.set_media_catalog_number("123456789012").unwrap();
    assert_eq!(c.media_catalog_number().as_deref(), Some("0123456789012"));
    assert_eq!(
        c.set_starting_track_number(0).unwrap_err().hresult(),
        hresult::E_INVALIDARG
    );
    c.set_starting_track_number(98).unwrap();
    assert_eq!(
        c.add_track(SectorType::Audio, Synthetic::audio_pattern(300, 0))
            .unwrap(),
        1
    );
    assert_eq!(c.track_info(1).unwrap().track_number(), 98);
    assert_eq!(
        c.set_starting_track_number(5).unwrap_err().hresult(),
        hresult::E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED
    );
    c.add_track(SectorType::Audio, Synthetic::audio_pattern(300, 0))
        .unwrap();
    let e = c
        .add_track(SectorType::Audio, Synthetic::audio_pattern(300, 0))
        .unwrap_err();
    assert_eq!(e.hresult(), hresult::E_IMAPI_RAW_IMAGE_TOO_MANY_TRACKS);
    assert_eq!(
        c.add_special_pregap(Synthetic::audio_pattern(150, 0))
            .unwrap_err()
            .hresult(),
        hresult::E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED
    );
    assert_eq!(
        c.track_info(3).err().unwrap().hresult(),
        hresult::E_INVALIDARG
    );
    assert_eq!(
        c.set_start_of_leadout_limit(443_100).unwrap_err().hresult(),
        hresult::E_INVALIDARG
    );
}

#[test]
fn leadout_limit_refuses_a_track_and_rolls_it_back() {
    let mut c = RawCdImageCreator::new();
    c.set_start_of_leadout_limit(500).unwrap();
    c.add_track(SectorType::Audio, Synthetic::audio_pattern(300, 0))
        .unwrap();
    let e = c
        .add_track(SectorType::Audio, Synthetic::audio_pattern(300, 0))
        .unwrap_err();
    assert_eq!(e.hresult(), hresult::E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE);
    assert_eq!(e.to_string(), "insufficient space: the lead-out would start at LBA 600, beyond the limit LBA 500 (adding track 2)");
    assert_eq!(c.number_of_existing_tracks(), 1);
    assert_eq!(c.start_of_leadout().unwrap(), 300);
}

#[test]
fn special_pregap_moves_track_one() {
    let mut c = RawCdImageCreator::new();
    c.set_resulting_image_type(ImageType::Raw).unwrap();
    c.add_special_pregap(Synthetic::audio_pattern(200, 3))
        .unwrap();
    assert_eq!(
        c.add_special_pregap(Synthetic::audio_pattern(200, 3))
            .unwrap_err()
            .hresult(),
        hresult::E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED
    );
    c.add_track(SectorType::Audio, Synthetic::audio_pattern(300, 0))
        .unwrap();
    assert_eq!(c.track_info(1).unwrap().starting_lba(), 200);
    let toc = c.expected_toc().unwrap();
    assert_eq!(toc.tracks[0].start_lba, 200);
    assert_eq!(toc.tracks[0].indexes[0].lba, -150);
    let mut img = c.create_result_image().unwrap();
    // LBA 0 is index 0 of track 1 with the hidden audio; relative time 200 sectors to go.
    assert_eq!(&q_of(&mut img, 0)[..6], &hex("21 01 00 00 02 50")[..]);
    let src = Synthetic::audio_pattern(200, 3);
    assert_eq!(
        record(&mut img, 0)[..8],
        (0..8).map(|i| src.byte_at(i)).collect::<Vec<_>>()[..]
    );
}

#[test]
fn track_indexes_follow_imapi_rules() {
    let mut c = RawCdImageCreator::new();
    c.add_track(SectorType::Audio, Synthetic::audio_pattern(1000, 0))
        .unwrap();
    let mut t = c.track_info(1).unwrap();
    use crate::image::creator::IndexAdded;
    assert_eq!(t.add_track_index(100).unwrap(), IndexAdded::Added);
    assert_eq!(t.add_track_index(100).unwrap(), IndexAdded::AlreadyExists);
    assert_eq!(
        t.add_track_index(105).unwrap_err().hresult(),
        hresult::E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX
    );
    assert_eq!(
        t.add_track_index(995).unwrap_err().hresult(),
        hresult::E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX
    );
    assert_eq!(
        t.add_track_index(-1).unwrap_err().hresult(),
        hresult::E_INVALIDARG
    );
    assert_eq!(
        t.add_track_index(1000).unwrap_err().hresult(),
        hresult::E_INVALIDARG
    );
    assert_eq!(
        t.clear_track_index(0).unwrap_err().hresult(),
        hresult::E_IMAPI_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED
    );
    assert_eq!(
        t.clear_track_index(50).unwrap_err().hresult(),
        hresult::E_IMAPI_RAW_IMAGE_TRACK_INDEX_NOT_FOUND
    );
    t.add_track_index(500).unwrap();
    assert_eq!(t.track_indexes(), vec![0, 100, 500]);
    t.clear_track_index(100).unwrap();
    assert_eq!(t.track_indexes(), vec![0, 500]);
    let mut many = RawCdImageCreator::new();
    many.add_track(SectorType::Audio, Synthetic::audio_pattern(2000, 0))
        .unwrap();
    let mut t = many.track_info(1).unwrap();
    for k in 1..99 {
        t.add_track_index(k * 10).unwrap();
    }
    assert_eq!(
        t.add_track_index(1500).unwrap_err().hresult(),
        hresult::E_IMAPI_RAW_IMAGE_TOO_MANY_TRACK_INDEXES
    );
    let mut img = many.create_result_image().unwrap();
    // index 99 starts at offset 980: Q index byte 0x99
    assert_eq!(q_of_raw(&mut img, 980)[2], 0x99);
}

fn q_of_raw(img: &mut ResultImage, lba: i32) -> Vec<u8> {
    let rec = record(img, lba);
    let sub: &[u8; 96] = rec[2352..].try_into().unwrap();
    pack::unraw96(sub).1 .0.to_vec()
}

#[test]
fn rw_generator_is_ored_in_and_checked() {
    let mut c = RawCdImageCreator::new();
    c.set_resulting_image_type(ImageType::Raw).unwrap();
    c.add_track(SectorType::Audio, Synthetic::audio_pattern(300, 0))
        .unwrap();
    let sectors = 22_650 + 300 + 6_750;
    let rw: Vec<u8> = (0..sectors * 96).map(|i| (i % 61) as u8 & 0x3f).collect();
    c.add_subcode_rw_generator(io::Cursor::new(rw.clone()))
        .unwrap();
    assert_eq!(
        c.set_resulting_image_type(ImageType::PqOnly)
            .unwrap_err()
            .hresult(),
        hresult::E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED
    );
    let mut img = c.create_result_image().unwrap();
    let rec = record(&mut img, 5);
    let k = (5 + 22_650) * 96;
    let got: Vec<u8> = rec[2352..].iter().map(|b| b & 0x3f).collect();
    assert_eq!(&got[..], &rw[k..k + 96]);

    let mut bad = RawCdImageCreator::new();
    bad.add_track(SectorType::Audio, Synthetic::audio_pattern(300, 0))
        .unwrap();
    bad.add_subcode_rw_generator(io::Cursor::new(vec![0u8; 96]))
        .unwrap();
    assert_eq!(
        bad.create_result_image().err().unwrap().hresult(),
        hresult::E_INVALIDARG
    );
}

#[test]
fn expected_table_of_contents_is_read_toc_format0_msf() {
    // spec/imapi2.md §2.4 gapless example: T1 00:02:00, T2 00:06:00, LO 00:12:00.
    let mut c = RawCdImageCreator::new();
    c.add_track(SectorType::Audio, Synthetic::audio_pattern(300, 1))
        .unwrap();
    c.add_track(SectorType::Audio, Synthetic::audio_pattern(450, 2))
        .unwrap();
    let bytes = c.expected_table_of_contents(false).unwrap();
    assert_eq!(
        bytes,
        hex("00 1A 01 02  00 12 01 00 00 00 02 00  00 12 02 00 00 00 06 00  00 12 AA 00 00 00 0C 00")
    );
    let compat = c.expected_table_of_contents(true).unwrap();
    assert_eq!(&compat[..2], &[0x00, 0x1C]);
    assert_eq!(&compat[2..], &bytes[2..]);
}
