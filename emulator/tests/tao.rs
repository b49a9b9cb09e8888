//! Track-at-once (write type 1) with CLOSE TRACK/SESSION: NWA 0 and then
//! the next track after each CLOSE TRACK (run-out 2 + pregap 150), the
//! drive-built sectors per data block type, READ TRACK INFORMATION for
//! closed/incomplete/invisible tracks, CLOSE SESSION making the TOC visible,
//! test write recording nothing. CDBs are literal where the traces in
//! real-clients.md have them.

mod common;

use common::*;
use rawcd::mmc::param::toc::{FullToc, Toc, TocAddress};
use rawcd::mmc::param::track_information::TrackInformation;
use rawcd::mmc::Sense;
use rawcd::subcode::pack::unraw96;
use rawcd::subcode::QContent;
use rawcd_emulator::{DiscState, Emulator};

/// real-clients.md D-traces: READ TRACK INFORMATION of the invisible track.
const RTI_FF: &str = "52 01 00 00 00 ff 00 00 1c 00";
/// READ DISC INFORMATION (34 bytes).
const RDI: &str = "51 00 00 00 00 00 00 00 22 00";
/// TEST UNIT READY.
const TUR: &str = "00 00 00 00 00 00";
/// cdrskin TAO: SYNCHRONIZE CACHE IMMED, CLOSE SESSION IMMED (§3d).
const SYNC_IMMED: &str = "35 02 00 00 00 00 00 00 00 00";
const CLOSE_SESSION_IMMED: &str = "5b 01 02 00 00 00 00 00 00 00";

/// MODE SELECT(10) of page 05 for TAO, as the traces send it
/// (`55 10 … 3c 00`, 60 bytes: write type 1, track mode, DBT, pause 150).
fn select_tao(
    e: &mut Emulator,
    dbt: u8,
    track_mode: u8,
    test: bool,
) -> rawcd::transport::CommandOutcome {
    let mut list = vec![0u8; 60];
    list[8..14].copy_from_slice(&[
        0x05,
        0x32,
        0x01 | if test { 0x10 } else { 0 },
        track_mode,
        dbt,
        0,
    ]);
    list[8 + 15] = 150;
    data_out(e, &hex("55 10 00 00 00 00 00 00 3c 00"), &list)
}

fn close_track(e: &mut Emulator, track: u8) -> rawcd::transport::CommandOutcome {
    none(e, &[0x5b, 0, 1, 0, 0, track, 0, 0, 0, 0])
}

fn track_info(e: &mut Emulator, cdb: &[u8]) -> TrackInformation {
    let (o, b) = data_in(e, cdb, usize::from(cdb[8]));
    assert!(o.is_good(), "{o:?}");
    TrackInformation::parse(&b).unwrap()
}

fn rti_track(n: u8) -> Vec<u8> {
    vec![0x52, 1, 0, 0, 0, n, 0, 0, 0x24, 0]
}

fn audio(sectors: usize, seed: u8) -> Vec<u8> {
    (0..sectors * 2352)
        .map(|i| (i as u32).wrapping_mul(7) as u8 ^ seed)
        .collect()
}

fn write_all(e: &mut Emulator, mut lba: i32, data: &[u8], size: usize, per: usize) -> i32 {
    for chunk in data.chunks(per * size) {
        let n = chunk.len() / size;
        let o = write10(e, lba, n as u16, chunk);
        assert!(o.is_good(), "WRITE {lba}: {o:?}");
        lba += n as i32;
    }
    lba
}

/// Polls TEST UNIT READY through the busy window (02/04/08).
fn wait_ready(e: &mut Emulator) -> usize {
    let mut busy = 0;
    loop {
        let o = none(e, &hex(TUR));
        if o.is_good() {
            return busy;
        }
        assert_eq!(o.sense, Some(Sense::LONG_WRITE_IN_PROGRESS));
        busy += 1;
        assert!(busy < 100);
    }
}

#[test]
fn invisible_track_nwa_is_0_in_tao_then_follows_each_closed_track() {
    let mut e = Emulator::builtin("default", "cdr80").unwrap();
    assert!(select_tao(&mut e, 0, 0, false).is_good());
    let ti = track_info(&mut e, &hex(RTI_FF));
    assert_eq!(
        (ti.track_number, ti.next_writable, ti.blank, ti.nwa_v),
        (1, 0, true, true)
    );
    // WRITE(10) anywhere but the NWA: 5/21/02.
    assert_eq!(
        write10(&mut e, -150, 1, &[0; 2352]).sense,
        Some(Sense::INVALID_ADDRESS_FOR_WRITE)
    );
    assert!(write10(&mut e, 0, 10, &audio(10, 1)).is_good());
    // The incomplete track: NWA valid, not blank.
    let ti = track_info(&mut e, &rti_track(0xff));
    assert_eq!((ti.track_number, ti.start, ti.next_writable), (1, 0, 10));
    assert!(!ti.blank && ti.nwa_v && ti.lra_v);
    assert_eq!(ti.last_recorded, 9);
    // Disc: incomplete, the invisible track counts.
    let (_, di) = data_in(&mut e, &hex(RDI), 34);
    assert_eq!(di[2] & 0x0f, 0x05); // session incomplete, disc incomplete
    assert_eq!(di[6], 2);
    assert!(close_track(&mut e, 1).is_good());
    // Closed track 1: run-out counted; invisible track 2 after pregap.
    let t1 = track_info(&mut e, &rti_track(1));
    assert_eq!(
        (t1.start, t1.track_size, t1.blank, t1.nwa_v),
        (0, 12, false, false)
    );
    let ti = track_info(&mut e, &hex(RTI_FF));
    assert_eq!((ti.track_number, ti.next_writable), (2, 12 + 150));
    // A second CLOSE TRACK has no incomplete track.
    assert_eq!(
        close_track(&mut e, 0xff).sense,
        Some(Sense::COMMAND_SEQUENCE_ERROR)
    );
    // The old NWA is gone.
    assert_eq!(
        write10(&mut e, 10, 1, &audio(1, 0)).sense,
        Some(Sense::INVALID_ADDRESS_FOR_WRITE)
    );
    // Page 05 may change between tracks: a mode 1 data track.
    assert!(select_tao(&mut e, 8, 4, false).is_good());
    assert!(write10(&mut e, 162, 2, &[0x55; 4096]).is_good());
    // …but not while a track is open.
    assert_eq!(
        select_tao(&mut e, 0, 0, false).sense,
        Some(Sense::COMMAND_SEQUENCE_ERROR)
    );
    let t2 = track_info(&mut e, &rti_track(2));
    assert_eq!((t2.track_mode, t2.data_mode, t2.next_writable), (4, 1, 164));
}

#[test]
fn close_and_write_refusals() {
    let mut e = Emulator::builtin("default", "cdr80").unwrap();
    // Nothing written: CLOSE TRACK and CLOSE SESSION are out of sequence.
    assert_eq!(
        close_track(&mut e, 1).sense,
        Some(Sense::COMMAND_SEQUENCE_ERROR)
    );
    assert_eq!(
        none(&mut e, &hex(CLOSE_SESSION_IMMED)).sense,
        Some(Sense::COMMAND_SEQUENCE_ERROR)
    );
    // Audio track mode with a cooked data block type: 5/64/00.
    assert!(select_tao(&mut e, 8, 0, false).is_good());
    assert_eq!(
        write10(&mut e, 0, 1, &[0; 2048]).sense,
        Some(Sense::ILLEGAL_MODE_FOR_TRACK)
    );
    // Short data-out.
    assert!(select_tao(&mut e, 8, 4, false).is_good());
    assert_eq!(
        write10(&mut e, 0, 2, &[0; 2048]).sense,
        Some(Sense::INVALID_FIELD_IN_CDB)
    );
    // Wrong track number in CLOSE TRACK.
    assert!(write10(&mut e, 0, 1, &[0; 2048]).is_good());
    assert_eq!(
        close_track(&mut e, 5).sense,
        Some(Sense::INVALID_FIELD_IN_CDB)
    );
    // Packet writing stays unmodelled.
    let mut e = Emulator::builtin("default", "cdr80").unwrap();
    assert!(select_page05(&mut e, 0, 8, false).is_good());
    assert_eq!(
        write10(&mut e, 0, 1, &[0; 2048]).sense,
        Some(Sense::COMMAND_SEQUENCE_ERROR)
    );
}

#[test]
fn cdrskin_style_tao_data_burn_closes_with_sync_and_close_session_immed() {
    let mut e = Emulator::builtin("default", "cdr80").unwrap();
    assert!(select_tao(&mut e, 8, 4, false).is_good());
    assert_eq!(track_info(&mut e, &hex(RTI_FF)).next_writable, 0);
    let data: Vec<u8> = (0..64 * 2048).map(|i| (i / 2048) as u8).collect();
    assert_eq!(write_all(&mut e, 0, &data, 2048, 16), 64);
    assert!(none(&mut e, &hex(SYNC_IMMED)).is_good());
    wait_ready(&mut e);
    // SYNCHRONIZE CACHE in TAO does not end the session.
    assert_eq!(e.media().state(), DiscState::Writing);
    assert!(none(&mut e, &hex(CLOSE_SESSION_IMMED)).is_good());
    assert!(wait_ready(&mut e) > 0);
    assert_eq!(e.media().state(), DiscState::Complete);
    // READ CAPACITY: the run-out counts (the known TAO "+2").
    let (_, cap) = data_in(&mut e, &hex("25 00 00 00 00 00 00 00 00 00"), 8);
    assert_eq!(i32::from_be_bytes(cap[..4].try_into().unwrap()), 65);
    // READ(10) returns the user data.
    let (o, b) = data_in(&mut e, &hex("28 00 00 00 00 05 00 00 02 00"), 4096);
    assert!(o.is_good());
    assert_eq!(b, data[5 * 2048..7 * 2048]);
}

#[test]
fn full_tao_burn_of_two_audio_tracks_and_a_data_track_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tao.rcd");
    let mut e = Emulator::builtin("default", "cdr80")
        .unwrap()
        .with_disc_out(&path);
    let a1 = audio(300, 1);
    let a2 = audio(200, 2);
    let d3: Vec<u8> = (0..100 * 2048).map(|i| (i % 251) as u8).collect();

    assert!(select_tao(&mut e, 0, 0, false).is_good());
    let end = write_all(&mut e, 0, &a1, 2352, 27);
    assert!(close_track(&mut e, 1).is_good());
    let nwa = track_info(&mut e, &hex(RTI_FF)).next_writable;
    assert_eq!(nwa, end + 2 + 150);
    let end = write_all(&mut e, nwa, &a2, 2352, 13);
    assert!(close_track(&mut e, 2).is_good());
    assert!(select_tao(&mut e, 8, 4, false).is_good());
    let nwa3 = track_info(&mut e, &hex(RTI_FF)).next_writable;
    assert_eq!(nwa3, end + 152);
    write_all(&mut e, nwa3, &d3, 2048, 32);
    assert!(none(&mut e, &hex(SYNC_IMMED)).is_good());
    wait_ready(&mut e);
    assert!(none(&mut e, &hex(CLOSE_SESSION_IMMED)).is_good());
    wait_ready(&mut e);
    assert_eq!(e.media().state(), DiscState::Complete);
    assert_eq!(e.findings(), &[]);

    // READ TOC format 0: 0, 452, 804, lead-out 906.
    let (o, b) = data_in(&mut e, &hex("43 00 00 00 00 00 00 03 24 00"), 804);
    assert!(o.is_good());
    let t = Toc::parse(&b, false).unwrap();
    let got: Vec<(u8, u8, TocAddress)> = t
        .descriptors
        .iter()
        .map(|d| (d.track, d.control, d.address))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, 0, TocAddress::Lba(0)),
            (2, 0, TocAddress::Lba(452)),
            (3, 4, TocAddress::Lba(804)),
            (0xaa, 4, TocAddress::Lba(906)),
        ]
    );
    // Full TOC: A0 first track 1, A2 = lead-out.
    let (o, b) = data_in(&mut e, &hex("43 02 02 00 00 00 00 03 24 00"), 804);
    assert!(o.is_good());
    let f = FullToc::parse(&b).unwrap();
    let point_a2 = f.descriptors.iter().find(|d| d.point == 0xa2).unwrap();
    assert_eq!(point_a2.p_time.to_program_lba(), 906);

    // READ CD (raw + raw P–W): the audio comes back verbatim with Q positions.
    let (o, b) = read_cd_raw(&mut e, 0, 300);
    assert!(o.is_good());
    for i in 0..300 {
        assert_eq!(
            &b[i * 2448..i * 2448 + 2352],
            &a1[i * 2352..(i + 1) * 2352],
            "sector {i}"
        );
    }
    let (o, b) = read_cd_raw(&mut e, 452, 200);
    assert!(o.is_good());
    for i in 0..200 {
        assert_eq!(&b[i * 2448..i * 2448 + 2352], &a2[i * 2352..(i + 1) * 2352]);
    }
    let q_at = |e: &mut Emulator, lba: i32| {
        let (o, b) = read_cd_raw(e, lba, 1);
        assert!(o.is_good(), "{lba}: {o:?}");
        let (p, q) = unraw96(b[2352..2448].try_into().unwrap());
        assert!(q.crc_ok(), "Q CRC at {lba}");
        (p, q.decode_data().unwrap())
    };
    // Drive-made pregaps: track 1 at −150, track 2 at 302 (index 0, P set).
    for (lba, track, index, p) in [
        (-150, 1, 0, true),
        (0, 1, 1, true),
        (10, 1, 1, false),
        (301, 1, 1, false),
        (302, 2, 0, true),
        (451, 2, 0, true),
        (452, 2, 1, true),
        (700, 3, 0, true),
        (850, 3, 1, false),
    ] {
        match q_at(&mut e, lba) {
            (
                got_p,
                QContent::Position {
                    track: t, index: i, ..
                },
            ) => {
                assert_eq!((t, i, got_p), (track, index, p), "Q at {lba}");
            }
            (_, other) => panic!("{lba}: {other:?}"),
        }
    }
    // The lead-out: TNO AA.
    assert!(matches!(
        q_at(&mut e, 906).1,
        QContent::Position { track: 0xaa, .. }
    ));
    // The data track: sync/header/EDC built by the drive, user data intact.
    let (o, b) = data_in(&mut e, &hex("28 00 00 00 03 24 00 00 64 00"), 100 * 2048);
    assert!(o.is_good(), "{o:?}");
    assert_eq!(b, d3);
    let (o, b) = data_in(&mut e, &hex("be 08 00 00 03 24 00 00 01 f8 00 00"), 2352);
    assert!(o.is_good(), "{o:?}");
    let sector: [u8; 2352] = b.as_slice().try_into().unwrap();
    assert_eq!(sector[15], 1);
    assert!(rawcd::sector::check::check_sector(&sector, 804, false).is_clean());

    // READ TRACK INFORMATION of the closed tracks after CLOSE SESSION.
    let t2 = track_info(&mut e, &rti_track(2));
    assert_eq!((t2.start, t2.track_mode, t2.blank), (452, 0, false));

    // The lead-in (drive-written at CLOSE SESSION) carries the TOC.
    let lead_in = e.media().atip().unwrap().lead_in_start;
    let mut m = e.take_media();
    let mut slot = [0u8; 2448];
    for lba in [lead_in, -151] {
        assert!(m.read_raw(lba, &mut slot).unwrap());
        let (_, q) = unraw96(slot[2352..].try_into().unwrap());
        assert!(matches!(q.decode_data().unwrap(), QContent::LeadIn { .. }));
    }
    drop(m);

    // The .rcd reopens as the same complete disc.
    drop(e);
    let mut e = Emulator::builtin("default", path.to_str().unwrap()).unwrap();
    let (o, b) = read_cd_raw(&mut e, 452, 1);
    assert!(o.is_good(), "{o:?}");
    assert_eq!(&b[..2352], &a2[..2352]);
}

#[test]
fn tao_test_write_records_nothing() {
    let mut e = Emulator::builtin("default", "cdr80").unwrap();
    assert!(select_tao(&mut e, 0, 0, true).is_good());
    write_all(&mut e, 0, &audio(100, 3), 2352, 27);
    assert!(close_track(&mut e, 1).is_good());
    assert_eq!(track_info(&mut e, &hex(RTI_FF)).next_writable, 252);
    assert!(write10(&mut e, 252, 10, &audio(10, 4)).is_good());
    assert!(none(&mut e, &hex(CLOSE_SESSION_IMMED)).is_good());
    wait_ready(&mut e);
    assert_eq!(e.media().state(), DiscState::Blank);
    let (_, di) = data_in(&mut e, &hex(RDI), 34);
    assert_eq!(di[2] & 0x0f, 0);
    // READ TOC on a blank disc still fails.
    let (o, _) = data_in(&mut e, &hex("43 00 00 00 00 00 00 00 0c 00"), 12);
    assert_eq!(o.sense, Some(Sense::INVALID_FIELD_IN_CDB));
}
