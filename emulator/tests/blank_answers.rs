//! Blank-disc answers and strictness, compared with literal bytes from
//! mmc.md and the real-client traces (real-clients.md §3e, Appendix D).

mod common;

use common::*;
use rawcd::mmc::Sense;
use rawcd_emulator::{Emulator, Fault};

fn drive() -> Emulator {
    Emulator::builtin("default", "cdr80").unwrap()
}

#[test]
fn read_disc_information_of_blank_80_min_cdr_matches_trace() {
    let mut e = drive();
    let (o, b) = data_in(&mut e, &hex("51 00 00 00 00 00 00 00 22 00"), 34);
    assert!(o.is_good());
    assert_eq!(
        b,
        hex("00 20 00 01 01 01 01 20 00 00 00 00 00 00 00 00
             00 61 1a 42 00 4f 3b 4a 00 00 00 00 00 00 00 00 00 00")
    );
}

#[test]
fn atip_of_blank_80_min_cdr_carries_97_26_66_and_79_59_74() {
    let mut e = drive();
    let (o, b) = data_in(&mut e, &hex("43 00 04 00 00 00 00 00 1c 00"), 28);
    assert!(o.is_good());
    assert_eq!(
        b,
        hex("00 1a 00 00 d2 40 80 00 61 1a 42 00 4f 3b 4a 00
             00 00 00 00 00 00 00 00 00 00 00 00")
    );
}

#[test]
fn invisible_track_nwa_is_lead_in_start_in_raw_mode() {
    let mut e = drive();
    assert!(select_page05(&mut e, 3, 3, false).is_good());
    let (o, b) = data_in(&mut e, &hex("52 01 00 00 00 ff 00 00 24 00"), 36);
    assert!(o.is_good());
    assert_eq!(
        b,
        hex("00 22 01 01 00 07 41 01 00 00 00 00 ff ff d2 8e
             00 05 7d a9 00 00 00 00 00 05 7d a9 00 00 00 00 00 00 00 00")
    );
}

#[test]
fn invisible_track_nwa_is_0_in_tao_and_minus_150_after_cue_sheet() {
    let mut e = drive();
    let (_, b) = data_in(&mut e, &hex("52 01 00 00 00 ff 00 00 1c 00"), 28);
    assert_eq!(b[12..16], [0, 0, 0, 0]);
    assert!(select_page05(&mut e, 2, 0, false).is_good());
    let cue = hex("01 00 00 01 00 00 00 00 01 01 00 00 00 00 00 00 01 01 01 00 00 00 02 00 01 aa 01 01 00 00 06 00");
    let o = data_out(&mut e, &hex("5d 00 00 00 00 00 00 00 20 00"), &cue);
    assert!(o.is_good(), "{o:?}");
    let (_, b) = data_in(&mut e, &hex("52 01 00 00 00 ff 00 00 1c 00"), 28);
    assert_eq!(b[12..16], [0xff, 0xff, 0xff, 0x6a]);
}

#[test]
fn read_toc_format_1_on_blank_disc_is_05_24_00() {
    let mut e = drive();
    let (o, _) = data_in(&mut e, &hex("43 00 01 00 00 00 00 00 0c 00"), 12);
    assert_eq!(o.sense, Some(Sense::INVALID_FIELD_IN_CDB));
}

#[test]
fn mode_sense_2a_is_64_bytes_with_six_write_speeds() {
    let mut e = drive();
    let (o, b) = data_in(&mut e, &hex("5a 00 2a 00 00 00 00 00 8c 00"), 140);
    assert!(o.is_good());
    assert_eq!(b.len(), 64);
    assert_eq!(b[0..2], [0x00, 0x3e]);
    assert_eq!(b[8], 0xaa);
    assert_eq!(b[11] & 0x07, 0x07); // CD-R, CD-RW, test write
    assert_eq!(b[12] & 0x80, 0x80); // BUF
    assert_eq!(b[8 + 30..8 + 32], [0, 6]);
    assert_eq!(b[8 + 34..8 + 36], [0x1b, 0x90]); // 7056 kB/s
}

#[test]
fn mode_sense_page_05_is_60_bytes_as_cdrdao_reads_it() {
    let mut e = drive();
    let (o, b) = data_in(&mut e, &hex("5a 00 05 00 00 00 00 00 a4 00"), 164);
    assert!(o.is_good());
    assert_eq!(b.len(), 60);
    assert_eq!(b[8..10], [0x85, 0x32]);
}

#[test]
fn cdrdao_mode_select_raw_dbt1_is_accepted() {
    let mut e = drive();
    assert!(select_page05(&mut e, 3, 1, false).is_good());
}

#[test]
fn unsupported_data_block_type_in_mode_select_is_05_26_00() {
    let mut e = Emulator::builtin("no-buf", "cdr80").unwrap();
    let o = select_page05(&mut e, 3, 2, false);
    assert_eq!(o.sense, Some(Sense::INVALID_FIELD_IN_PARAMETER_LIST));
    let mut e = Emulator::builtin("sao-only", "cdr80").unwrap();
    let o = select_page05(&mut e, 3, 3, false);
    assert_eq!(o.sense, Some(Sense::INVALID_FIELD_IN_PARAMETER_LIST));
}

#[test]
fn raw_test_write_is_refused_by_no_buf_profile_and_accepted_by_default() {
    let mut e = Emulator::builtin("no-buf", "cdr80").unwrap();
    assert_eq!(
        select_page05(&mut e, 3, 3, true).sense,
        Some(Sense::INVALID_FIELD_IN_PARAMETER_LIST)
    );
    assert!(select_page05(&mut drive(), 3, 3, true).is_good());
}

#[test]
fn wodim_block_descriptor_mode_select_is_accepted() {
    let mut e = drive();
    let o = data_out(
        &mut e,
        &hex("55 10 00 00 00 00 00 00 10 00"),
        &hex("00000000000000080000000000000800"),
    );
    assert!(o.is_good());
}

#[test]
fn unknown_opcode_is_05_20_00() {
    let mut e = drive();
    let (o, _) = data_in(&mut e, &hex("3c 00 00 00 00 00 00 00 04 00"), 4);
    assert_eq!(o.sense, Some(Sense::INVALID_OPCODE));
}

#[test]
fn mmc2_drive_has_no_get_configuration() {
    let mut e = Emulator::builtin("mmc2-old", "cdr80").unwrap();
    let (o, _) = data_in(&mut e, &hex("46 00 00 00 00 00 00 00 08 00"), 8);
    assert_eq!(o.sense, Some(Sense::INVALID_OPCODE));
}

#[test]
fn get_configuration_header_reports_cd_r_current() {
    let mut e = drive();
    let (o, b) = data_in(&mut e, &hex("46 00 00 00 00 00 00 00 78 00"), 120);
    assert!(o.is_good());
    assert_eq!(b[6..8], [0x00, 0x09]);
    // Profile list first: 000A, 0009 (current), 0008.
    assert_eq!(b[8..12], [0x00, 0x00, 0x03, 0x0c]);
    assert_eq!(b[12..24], hex("00 0a 00 00 00 09 01 00 00 08 00 00")[..]);
}

#[test]
fn get_configuration_cd_mastering_feature_bits() {
    let mut e = drive();
    let (o, b) = data_in(&mut e, &hex("46 02 00 2e 00 00 00 00 10 00"), 16);
    assert!(o.is_good());
    assert_eq!(b, hex("00 00 00 0c 00 00 00 09 00 2e 05 04 6f 00 10 00"));
}

#[test]
fn cue_sheet_in_raw_mode_is_05_2c_00() {
    let mut e = drive();
    assert!(select_page05(&mut e, 3, 3, false).is_good());
    let cue = hex("01 00 00 01 00 00 00 00 01 01 00 00 00 00 00 00 01 01 01 00 00 00 02 00 01 aa 01 01 00 00 06 00");
    let o = data_out(&mut e, &hex("5d 00 00 00 00 00 00 00 20 00"), &cue);
    assert_eq!(o.sense, Some(Sense::COMMAND_SEQUENCE_ERROR));
}

#[test]
fn blank_on_cd_r_is_05_30_05() {
    let mut e = drive();
    let o = none(&mut e, &hex("a1 11 00 00 00 00 00 00 00 00 00 00"));
    assert_eq!(o.sense, Some(Sense::CANNOT_WRITE_INCOMPATIBLE_FORMAT));
}

#[test]
fn blank_on_written_cd_rw_makes_it_blank() {
    let mut e = Emulator::builtin("default", "cdrw-written").unwrap();
    let (_, b) = data_in(&mut e, &hex("51 00 00 00 00 00 00 00 22 00"), 34);
    assert_eq!(b[2], 0x1e); // erasable, complete/complete
    let o = none(&mut e, &hex("a1 01 00 00 00 00 00 00 00 00 00 00"));
    assert!(o.is_good());
    let (_, b) = data_in(&mut e, &hex("51 00 00 00 00 00 00 00 22 00"), 34);
    assert_eq!(b[2], 0x10);
}

#[test]
fn write_at_wrong_lba_is_05_21_02() {
    let mut e = drive();
    assert!(select_page05(&mut e, 3, 3, false).is_good());
    let o = write10(&mut e, -150, 1, &[0u8; 2448]);
    assert_eq!(o.sense, Some(Sense::INVALID_ADDRESS_FOR_WRITE));
    assert_eq!(o.sense_data[3..7], [0xff, 0xff, 0xff, 0x6a]);
}

#[test]
fn write_in_sao_without_cue_sheet_is_05_2c_00() {
    let mut e = drive();
    assert!(select_page05(&mut e, 2, 0, false).is_good());
    let o = write10(&mut e, -150, 1, &[0u8; 2352]);
    assert_eq!(o.sense, Some(Sense::COMMAND_SEQUENCE_ERROR));
}

#[test]
fn no_media_tur_is_02_3a_00() {
    let mut e = Emulator::builtin("default", "none").unwrap();
    assert_eq!(none(&mut e, &[0; 6]).sense, Some(Sense::NO_MEDIUM));
}

#[test]
fn eject_while_locked_is_05_53_02() {
    let mut e = drive();
    assert!(none(&mut e, &hex("1e 00 00 00 01 00")).is_good());
    let o = none(&mut e, &hex("1b 00 00 00 02 00"));
    assert_eq!(o.sense, Some(Sense::MEDIUM_REMOVAL_PREVENTED));
}

#[test]
fn injected_faults_map_to_spec_sense() {
    let cases = [
        (Fault::UpsideDown, Sense::NO_REFERENCE_POSITION),
        (Fault::FormatInProgress, Sense::FORMAT_IN_PROGRESS),
        (Fault::Busy, Sense::OPERATION_IN_PROGRESS),
        (Fault::NoMedia, Sense::NO_MEDIUM),
        (
            Fault::BecomingReady { polls: 1 },
            Sense::NOT_READY_BECOMING_READY,
        ),
    ];
    for (f, s) in cases {
        let mut e = drive();
        e.inject(f);
        assert_eq!(none(&mut e, &[0; 6]).sense, Some(s), "{f:?}");
    }
    let mut e = drive();
    e.inject(Fault::DeviceGone);
    assert!(rawcd::transport::Transport::execute(
        &mut e,
        &[0; 6],
        rawcd::transport::DataPhase::None,
        T
    )
    .is_err());
}

#[test]
fn request_sense_returns_the_last_error_then_no_sense() {
    let mut e = drive();
    let _ = data_in(&mut e, &hex("43 00 01 00 00 00 00 00 0c 00"), 12);
    let (o, b) = data_in(&mut e, &hex("03 00 00 00 12 00"), 18);
    assert!(o.is_good());
    assert_eq!((b[2] & 0x0f, b[12], b[13]), (5, 0x24, 0));
    let (_, b) = data_in(&mut e, &hex("03 00 00 00 12 00"), 18);
    assert_eq!((b[2] & 0x0f, b[12], b[13]), (0, 0, 0));
}

#[test]
fn set_cd_speed_rounds_down_and_page_2a_reports_it() {
    let mut e = drive();
    assert!(none(&mut e, &hex("bb 00 ff ff 0b 10 00 00 00 00 00 00")).is_good());
    let (_, b) = data_in(&mut e, &hex("5a 00 2a 00 00 00 00 00 40 00"), 64);
    assert_eq!(b[8 + 28..8 + 30], 2823u16.to_be_bytes());
}

#[test]
fn get_performance_type_3_lists_write_speeds() {
    let mut e = drive();
    let (o, b) = data_in(
        &mut e,
        &hex("ac 00 00 00 00 00 00 00 00 06 03 00"),
        8 + 6 * 16,
    );
    assert!(o.is_good());
    assert_eq!(b[0..4], [0, 0, 0, 100]);
    assert_eq!(b[8 + 4..8 + 8], 359849u32.to_be_bytes());
    assert_eq!(b[8 + 12..8 + 16], 7056u32.to_be_bytes());
}
