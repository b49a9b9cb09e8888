//! The round-trip proof: a creator image burned RAW from the media's
//! lead-in start reads back (READ CD, raw P–W) equal to the image for every
//! sector from LBA −150 to the end of the lead-out, and READ TOC formats 0
//! and 2 decode to the creator's expected TOC; no findings.

mod common;

use common::*;
use rawcd::image::{ImageType, ResultImage};
use rawcd::mmc::param::toc::{FullToc, Toc, TocAddress};
use rawcd::mmc::Sense;
use rawcd::subcode::pack::{raw96, unpq16};
use rawcd::subcode::QFrame;
use rawcd_emulator::{DiscState, Emulator, Fault, Media};

/// The 2448 bytes the drive should return for an image sector.
fn expected(img: &mut ResultImage, lba: i32) -> Vec<u8> {
    let size = img.image_type().sector_size();
    let mut s = vec![0u8; size];
    img.sector_at(lba, &mut s).unwrap();
    if size == 2368 {
        let (p, q, _) = unpq16(s[2352..].try_into().unwrap());
        let q = QFrame::from_data(q.data());
        let mut sub = [0u8; 96];
        raw96(p, &q, None, &mut sub);
        s.truncate(2352);
        s.extend_from_slice(&sub);
    }
    s
}

fn check_read_back(e: &mut Emulator, img: &mut ResultImage) {
    let end = img.first_lba() + img.sector_count() as i32;
    let mut lba = -150;
    while lba < end {
        let n = ((end - lba) as u32).min(50);
        let (o, b) = read_cd_raw(e, lba, n);
        assert!(o.is_good(), "READ CD at {lba}: {o:?}");
        for i in 0..n as i32 {
            let got = &b[i as usize * 2448..(i as usize + 1) * 2448];
            assert!(
                got == expected(img, lba + i).as_slice(),
                "sector {} differs",
                lba + i
            );
        }
        lba += n as i32;
    }
    let (o, _) = read_cd_raw(e, end, 1);
    assert_eq!(o.sense, Some(Sense::LBA_OUT_OF_RANGE));
}

fn check_toc(e: &mut Emulator, toc: &rawcd::layout::Toc) {
    let (o, b) = data_in(e, &hex("43 00 00 00 00 00 00 03 24 00"), 804);
    assert!(o.is_good());
    let t = Toc::parse(&b, false).unwrap();
    assert_eq!((t.first, t.last), (toc.first_track, toc.last_track));
    let want: Vec<(u8, u8, TocAddress)> = toc
        .tracks
        .iter()
        .map(|x| (x.number, x.control, TocAddress::Lba(x.start_lba)))
        .chain([(
            0xaa,
            toc.tracks.last().unwrap().control,
            TocAddress::Lba(toc.leadout_lba),
        )])
        .collect();
    let got: Vec<(u8, u8, TocAddress)> = t
        .descriptors
        .iter()
        .map(|d| (d.track, d.control, d.address))
        .collect();
    assert_eq!(got, want);
    let (o, b) = data_in(e, &hex("43 02 02 00 00 00 00 03 24 00"), 804);
    assert!(o.is_good());
    let f = FullToc::parse(&b).unwrap();
    let points: Vec<(u8, i32)> = f
        .descriptors
        .iter()
        .filter(|d| d.point <= 99)
        .map(|d| (d.point, d.p_time.to_program_lba()))
        .collect();
    let want: Vec<(u8, i32)> = toc.tracks.iter().map(|t| (t.number, t.start_lba)).collect();
    assert_eq!(points, want);
    let a2 = f.descriptors.iter().find(|d| d.point == 0xa2).unwrap();
    assert_eq!(a2.p_time.to_program_lba(), toc.leadout_lba);
    let a0 = f.descriptors.iter().find(|d| d.point == 0xa0).unwrap();
    assert_eq!(
        (a0.p_time.minute, a0.p_time.second),
        (toc.first_track, toc.disc_type)
    );
}

fn round_trip(ty: ImageType, dbt: u8, per: usize) {
    let (mut img, toc) = image(ty, [1200, 900]);
    let mut e = Emulator::builtin("default", "cdr80").unwrap();
    assert_eq!(burn(&mut e, &mut img, dbt, per), None);
    assert_eq!(e.findings(), &[]);
    assert_eq!(e.media().state(), DiscState::Complete);
    check_toc(&mut e, &toc);
    check_read_back(&mut e, &mut img);
}

#[test]
fn raw_image_dbt3_round_trips() {
    round_trip(ImageType::Raw, 3, 26);
}

#[test]
fn pq_image_dbt1_round_trips() {
    round_trip(ImageType::PqOnly, 1, 27);
}

#[test]
fn cooked_image_dbt2_round_trips_with_zero_rw() {
    round_trip(ImageType::Cooked, 2, 26);
}

#[test]
fn disc_info_of_burned_disc_is_complete_with_ff_msf() {
    let (mut img, _) = image(ImageType::Raw, [600, 600]);
    let mut e = Emulator::builtin("default", "cdr80").unwrap();
    assert_eq!(burn(&mut e, &mut img, 3, 26), None);
    let (_, b) = data_in(&mut e, &hex("51 00 00 00 00 00 00 00 22 00"), 34);
    assert_eq!(b[2], 0x0e);
    assert_eq!(b[16..24], hex("00 ff ff ff 00 ff ff ff")[..]);
    let (_, b) = data_in(&mut e, &hex("25 00 00 00 00 00 00 00 00 00"), 8);
    assert_eq!(b, hex("00 00 04 af 00 00 08 00")); // last LBA 1199 (leadout 1200 + 150 - 150 - 1)
}

#[test]
fn write_after_completion_is_refused() {
    let (mut img, _) = image(ImageType::Raw, [600, 600]);
    let mut e = Emulator::builtin("default", "cdr80").unwrap();
    assert_eq!(burn(&mut e, &mut img, 3, 26), None);
    let o = write10(&mut e, -11634, 1, &[0u8; 2448]);
    assert_eq!(o.sense, Some(Sense::INVALID_ADDRESS_FOR_WRITE));
    assert!(select_page05(&mut e, 2, 0, false).is_good());
    let cue = hex("01 00 00 01 00 00 00 00 01 01 00 00 00 00 00 00 01 01 01 00 00 00 02 00 01 aa 01 01 00 00 06 00");
    let o = data_out(&mut e, &hex("5d 00 00 00 00 00 00 00 20 00"), &cue);
    assert_eq!(o.sense, Some(Sense::COMMAND_SEQUENCE_ERROR));
}

#[test]
fn non_contiguous_write_is_05_21_02() {
    let mut e = Emulator::builtin("default", "cdr80").unwrap();
    assert!(select_page05(&mut e, 3, 3, false).is_good());
    assert!(write10(&mut e, -11634, 2, &[0u8; 2 * 2448]).is_good());
    let o = write10(&mut e, -11631, 1, &[0u8; 2448]);
    assert_eq!(o.sense, Some(Sense::INVALID_ADDRESS_FOR_WRITE));
}

#[test]
fn test_write_records_nothing() {
    let (mut img, _) = image(ImageType::Raw, [600, 600]);
    let mut e = Emulator::builtin("default", "cdr80").unwrap();
    assert!(select_page05(&mut e, 3, 3, true).is_good());
    let size = 2448;
    let mut buf = vec![0u8; 26 * size];
    let mut lba = -11634;
    let end = img.first_lba() + img.sector_count() as i32;
    while lba < end {
        let n = ((end - lba) as usize).min(26);
        for i in 0..n {
            img.sector_at(lba + i as i32, &mut buf[i * size..(i + 1) * size])
                .unwrap();
        }
        assert!(write10(&mut e, lba, n as u16, &buf[..n * size]).is_good());
        lba += n as i32;
    }
    assert!(none(&mut e, &hex("35 00 00 00 00 00 00 00 00 00")).is_good());
    assert_eq!(e.media().state(), DiscState::Blank);
    let (_, b) = data_in(&mut e, &hex("51 00 00 00 00 00 00 00 22 00"), 34);
    assert_eq!(b[2], 0x00);
}

#[test]
fn corrupt_q_is_a_finding_not_an_error() {
    let (mut img, _) = image(ImageType::Raw, [600, 600]);
    let mut e = Emulator::builtin("default", "cdr80").unwrap();
    assert!(select_page05(&mut e, 3, 3, false).is_good());
    let mut lba = -11634;
    let end = img.first_lba() + img.sector_count() as i32;
    let mut buf = vec![0u8; 2448];
    while lba < end {
        img.sector_at(lba, &mut buf).unwrap();
        if lba == 100 {
            buf[2352 + 40] ^= 0x40; // flip one Q bit
        }
        assert!(write10(&mut e, lba, 1, &buf).is_good());
        lba += 1;
    }
    assert!(none(&mut e, &hex("35 00 00 00 00 00 00 00 00 00")).is_good());
    assert_eq!(e.findings(), &[rawcd_emulator::Finding::QCrc { lba: 100 }]);
}

#[test]
fn immed_sync_cache_gives_a_busy_window_then_good() {
    let (mut img, _) = image(ImageType::Raw, [600, 600]);
    let mut e = Emulator::builtin("default", "cdr80").unwrap();
    assert!(select_page05(&mut e, 3, 3, false).is_good());
    let end = img.first_lba() + img.sector_count() as i32;
    let mut buf = vec![0u8; 2448 * 26];
    let mut lba = -11634;
    while lba < end {
        let n = ((end - lba) as usize).min(26);
        for i in 0..n {
            img.sector_at(lba + i as i32, &mut buf[i * 2448..(i + 1) * 2448])
                .unwrap();
        }
        assert!(write10(&mut e, lba, n as u16, &buf[..n * 2448]).is_good());
        lba += n as i32;
    }
    assert!(none(&mut e, &hex("35 02 00 00 00 00 00 00 00 00")).is_good());
    assert_eq!(
        none(&mut e, &[0; 6]).sense,
        Some(Sense::LONG_WRITE_IN_PROGRESS)
    );
    let (o, _) = data_in(&mut e, &hex("51 00 00 00 00 00 00 00 04 00"), 4);
    assert_eq!(o.sense, Some(Sense::OPERATION_IN_PROGRESS));
    assert_eq!(
        none(&mut e, &[0; 6]).sense,
        Some(Sense::LONG_WRITE_IN_PROGRESS)
    );
    assert!(none(&mut e, &[0; 6]).is_good());
}

#[test]
fn burned_disc_persists_and_reopens_as_media() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("disc.rcd");
    let (mut img, toc) = image(ImageType::Raw, [700, 500]);
    let mut e = Emulator::builtin("default", "cdr80")
        .unwrap()
        .with_disc_out(&path);
    assert_eq!(burn(&mut e, &mut img, 3, 26), None);
    drop(e);
    let media = Media::open(&path).unwrap();
    assert_eq!(media.state(), DiscState::Complete);
    let mut e = Emulator::new(
        rawcd_emulator::DriveProfile::builtin("default").unwrap(),
        media,
    );
    check_toc(&mut e, &toc);
    check_read_back(&mut e, &mut img);
}

#[test]
fn power_loss_mid_burn_leaves_a_damaged_disc() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lost.rcd");
    let (mut img, _) = image(ImageType::Raw, [700, 500]);
    let mut e = Emulator::builtin("default", "cdr80")
        .unwrap()
        .with_disc_out(&path);
    e.inject(Fault::PowerLossAt(300));
    let mut buf = vec![0u8; 2448 * 26];
    let mut lba = -11634;
    let end = img.first_lba() + img.sector_count() as i32;
    assert!(select_page05(&mut e, 3, 3, false).is_good());
    let mut lost = false;
    while lba < end {
        let n = ((end - lba) as usize).min(26);
        for i in 0..n {
            img.sector_at(lba + i as i32, &mut buf[i * 2448..(i + 1) * 2448])
                .unwrap();
        }
        let r = rawcd::transport::Transport::execute(
            &mut e,
            &{
                let l = lba.to_be_bytes();
                [0x2a, 0, l[0], l[1], l[2], l[3], 0, 0, n as u8, 0]
            },
            rawcd::transport::DataPhase::Out(&buf[..n * 2448]),
            T,
        );
        if r.is_err() {
            lost = true;
            break;
        }
        lba += n as i32;
    }
    assert!(lost);
    drop(e);
    let m = Media::open(&path).unwrap();
    assert_eq!(m.state(), DiscState::Damaged);
    assert!(m.damage().unwrap().contains("never completed"));
}

#[test]
fn sao_burn_generates_lead_in_and_lead_out() {
    // mmc.md §2.12 cue sheet: 2 audio tracks, lead-out at 04:04:00 (LBA 18150).
    let mut e = Emulator::builtin("default", "cdr80").unwrap();
    assert!(select_page05(&mut e, 2, 0, false).is_good());
    let cue = hex(
        "01 00 00 01 00 00 00 00  01 01 00 00 00 00 00 00  01 01 01 00 00 00 02 00
                   01 02 00 00 00 02 02 00  01 02 01 00 00 02 04 00  01 AA 01 01 00 04 04 00",
    );
    assert!(data_out(&mut e, &hex("5d 00 00 00 00 00 00 00 30 00"), &cue).is_good());
    let block = vec![0x11u8; 2352 * 27];
    let mut lba = -150;
    while lba < 18150 {
        let n = (18150 - lba).min(27) as usize;
        let o = write10(&mut e, lba, n as u16, &block[..n * 2352]);
        assert!(o.is_good(), "{lba}: {o:?}");
        lba += n as i32;
    }
    assert!(none(&mut e, &hex("35 00 00 00 00 00 00 00 00 00")).is_good());
    let (o, b) = data_in(&mut e, &hex("43 00 00 00 00 00 00 00 64 00"), 100);
    assert!(o.is_good());
    let t = Toc::parse(&b, false).unwrap();
    assert_eq!(t.descriptors[1].address, TocAddress::Lba(9150));
    assert_eq!(t.descriptors[2].address, TocAddress::Lba(18150));
    // The drive wrote the lead-out: TNO AA at 18150 + 100.
    let (_, s) = read_cd_raw(&mut e, 18250, 1);
    let (_, q) = rawcd::subcode::pack::unraw96(s[2352..].try_into().unwrap());
    assert!(q.crc_ok());
    assert_eq!(q.0[1], 0xaa);
}
