//! Unmodified Debian burners (cdrdao, wodim, cdrskin) burn corpus layouts to
//! the emulated 80-minute CD-R through the LD_PRELOAD shim; the disc read
//! back through the emulator's Transport (READ TOC, READ CD) matches the
//! input, and the condensed CDB transcript is snapshotted per program/mode.
//! Each test skips (passes with a note) when its program is not installed.
//!
//! Byte order: cdrdao and wodim read headerless audio files (`.bin` in a
//! .toc, `-audio x.bin`, and cdrdao's cue BINARY) as big-endian samples and
//! write little-endian CD-DA, so the disc holds the file byte-swapped per
//! 16-bit word; cdrskin reads cue BINARY as little-endian (no swap).

mod third_party_common;

use third_party_common::{
    assert_audio, assert_q, condense, have, read_toc, source, swab, text, Drive, QLayout,
};

/// The corpus layout `03-isrc-catalog.cue` (MCN, ISRC, FLAGS DCP, a 2 s
/// PREGAP before track 2) burned by cdrdao with `driver`.
fn cdrdao_isrc_catalog(driver: &str) -> (rawcd_emulator::Emulator, Vec<String>) {
    let d = Drive::blank();
    let cue = d.layout("03-isrc-catalog.cue");
    let out = d.run(
        "cdrdao",
        &[
            "write",
            "-n",
            "--device",
            "/dev/sr9",
            "--driver",
            driver,
            cue.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "cdrdao {driver} failed");
    assert!(text(&out).contains("Writing finished successfully"));
    let a = swab(&source(d.dir.path(), "audio-a.bin"));
    let b = swab(&source(d.dir.path(), "audio-b.bin"));
    let (mut emu, transcript) = d.finish();
    // Track 1 at 0 (900 sectors), track 2 index 1 after a 150-sector pregap.
    assert_eq!(read_toc(&mut emu), vec![(1, 0), (2, 1050), (0xaa, 1650)]);
    assert_audio(&mut emu, 0, &a, "track 1");
    assert_audio(&mut emu, 900, &vec![0u8; 150 * 2352], "track 2 pregap");
    assert_audio(&mut emu, 1050, &b, "track 2");
    check_mcn_isrc(&emu);
    let q = assert_q(
        &mut emu,
        &QLayout {
            marks: &[(1, 0, -150), (1, 1, 0), (2, 0, 900), (2, 1, 1050)],
            leadout: 1650,
            data_tracks: &[],
            mcn: Some(MCN),
            isrc: ISRCS,
        },
    );
    eprintln!("cdrdao {driver}: {q}");
    (emu, transcript)
}

const MCN: &str = "0123456789012";
const ISRCS: &[(u8, &str)] = &[(1, "USRC17607839"), (2, "GBAYE6900002")];

/// MCN 0123456789012, ISRCs USRC17607839 and GBAYE6900002 in the Q channel.
fn check_mcn_isrc(emu: &rawcd_emulator::Emulator) {
    let meta = emu.media().toc().expect("a TOC after the burn").clone();
    assert_eq!(meta.mcn.as_deref(), Some("0123456789012"));
    let isrcs: Vec<Option<String>> = meta.tracks.iter().map(|t| t.isrc.clone()).collect();
    assert_eq!(
        isrcs,
        vec![
            Some("USRC17607839".to_string()),
            Some("GBAYE6900002".to_string())
        ]
    );
}

#[test]
fn cdrdao_generic_mmc_raw_burns_isrc_catalog() {
    if !have("cdrdao") {
        return;
    }
    let (emu, transcript) = cdrdao_isrc_catalog("generic-mmc-raw");
    assert!(
        emu.findings().is_empty(),
        "RAW engine findings on cdrdao's lead-in/sub-channel: {:?}",
        emu.findings()
    );
    insta::assert_snapshot!("cdrdao_generic_mmc_raw", condense(&transcript));
}

#[test]
fn cdrdao_generic_mmc_sao_burns_isrc_catalog() {
    if !have("cdrdao") {
        return;
    }
    let (_emu, transcript) = cdrdao_isrc_catalog("generic-mmc");
    insta::assert_snapshot!("cdrdao_generic_mmc_sao", condense(&transcript));
}

/// `02-indexes.cue`: three tracks in one file, INDEX 00 pregaps, INDEX 02/03.
fn check_indexes_disc(emu: &mut rawcd_emulator::Emulator, disc: &[u8]) {
    assert_eq!(
        read_toc(emu),
        vec![(1, 0), (2, 750), (3, 1425), (0xaa, 2100)]
    );
    // The whole file is the program area from LBA 0 (pregaps included).
    assert_audio(emu, 0, disc, "disc.bin");
    let q = assert_q(
        emu,
        &QLayout {
            marks: &[
                (1, 0, -150),
                (1, 1, 0),
                (1, 2, 300),
                (2, 0, 600),
                (2, 1, 750),
                (2, 2, 900),
                (2, 3, 1050),
                (3, 0, 1350),
                (3, 1, 1425),
            ],
            leadout: 2100,
            data_tracks: &[],
            mcn: None,
            isrc: &[],
        },
    );
    eprintln!("{q}");
}

#[test]
fn cdrskin_sao_burns_indexes_cue() {
    if !have("cdrskin") {
        return;
    }
    let d = Drive::blank();
    let cue = d.layout("02-indexes.cue");
    let out = d.run(
        "cdrskin",
        &[
            "-v",
            "dev=/dev/sr9",
            "-sao",
            &format!("cuefile={}", cue.display()),
        ],
    );
    assert!(out.status.success(), "cdrskin -sao failed");
    let disc = source(d.dir.path(), "disc.bin");
    let (mut emu, transcript) = d.finish();
    check_indexes_disc(&mut emu, &disc);
    insta::assert_snapshot!("cdrskin_sao", condense(&transcript));
}

#[test]
fn cdrskin_tao_burns_two_tracks() {
    if !have("cdrskin") {
        return;
    }
    let d = Drive::blank();
    let out = d.run(
        "cdrskin",
        &[
            "-v",
            "dev=/dev/sr9",
            "-tao",
            "-audio",
            "audio-a.bin",
            "audio-b.bin",
        ],
    );
    assert!(
        out.status.success(),
        "cdrskin -tao failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let a = swab(&source(d.dir.path(), "audio-a.bin"));
    let (mut emu, _t) = d.finish();
    let toc = read_toc(&mut emu);
    assert_eq!(toc[0], (1, 0));
    assert_audio(&mut emu, 0, &a, "track 1");
}

/// wodim with `mode` and two track files with an MCN and ISRCs (wodim's
/// `pregap=` does not apply to `-audio` files, so track 2 follows directly).
fn wodim_two_tracks(mode: &str) -> Vec<String> {
    let d = Drive::blank();
    let out = d.run(
        "wodim",
        &[
            "dev=/dev/sg9",
            mode,
            "mcn=0123456789012",
            "-audio",
            "isrc=USRC17607839",
            "audio-a.bin",
            "isrc=GBAYE6900002",
            "audio-b.bin",
        ],
    );
    assert!(out.status.success(), "wodim {mode} failed");
    let a = swab(&source(d.dir.path(), "audio-a.bin"));
    let b = swab(&source(d.dir.path(), "audio-b.bin"));
    let (mut emu, transcript) = d.finish();
    assert_eq!(read_toc(&mut emu), vec![(1, 0), (2, 900), (0xaa, 1500)]);
    assert_audio(&mut emu, 0, &a, "track 1");
    assert_audio(&mut emu, 900, &b, "track 2");
    check_mcn_isrc(&emu);
    // wodim gives track 2 a 2 s pregap taken from the end of track 1's file.
    let q = assert_q(
        &mut emu,
        &QLayout {
            marks: &[(1, 0, -150), (1, 1, 0), (2, 0, 750), (2, 1, 900)],
            leadout: 1500,
            data_tracks: &[],
            mcn: Some(MCN),
            isrc: ISRCS,
        },
    );
    eprintln!("wodim {mode}: {q}");
    transcript
}

#[test]
fn wodim_raw96r() {
    if have("wodim") {
        insta::assert_snapshot!("wodim_raw96r", condense(&wodim_two_tracks("-raw96r")));
    }
}

#[test]
fn wodim_raw96p() {
    if have("wodim") {
        insta::assert_snapshot!("wodim_raw96p", condense(&wodim_two_tracks("-raw96p")));
    }
}

#[test]
fn wodim_raw16() {
    if have("wodim") {
        insta::assert_snapshot!("wodim_raw16", condense(&wodim_two_tracks("-raw16")));
    }
}

#[test]
fn wodim_sao() {
    if have("wodim") {
        insta::assert_snapshot!("wodim_sao", condense(&wodim_two_tracks("-sao")));
    }
}

#[test]
fn wodim_dao_cuefile() {
    if !have("wodim") {
        return;
    }
    let d = Drive::blank();
    let cue = d.layout("02-indexes.cue");
    let out = d.run(
        "wodim",
        &[
            "dev=/dev/sg9",
            "-dao",
            &format!("cuefile={}", cue.display()),
        ],
    );
    assert!(out.status.success(), "wodim -dao cuefile= failed");
    // wodim reads cue BINARY as big-endian too (swapped on the disc).
    let disc = swab(&source(d.dir.path(), "disc.bin"));
    let (mut emu, transcript) = d.finish();
    check_indexes_disc(&mut emu, &disc);
    insta::assert_snapshot!("wodim_dao_cuefile", condense(&transcript));
}
