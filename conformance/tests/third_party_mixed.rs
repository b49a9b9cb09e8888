//! Mixed mode (a mode 1 data track, then audio) burned by the third-party
//! programs through the shim — cdrdao RAW (`generic-mmc-raw`) and SAO
//! (`generic-mmc`) from a .toc, wodim `-raw96r`, `-raw16` and `-sao` from
//! `-data` + `-audio` — and read back: track starts (READ TOC), the data
//! track's user bytes through READ(10), the audio through READ CD, and the Q
//! of every program-area sector through READ CD sub-channel 001b. The RAW
//! burns are also compared sector by sector with rawcd's image of the same
//! layout (see `third_party_rawcmp.rs` for the kinds); the counts per kind
//! are snapshotted.
//!
//! The layouts differ per program as the programs place the gaps:
//! - cdrdao: `ZERO 00:02:00` at the end of the data track (a post-gap of
//!   mode 1 zero sectors, still track 1 index 1) and `PREGAP 00:02:00`
//!   before the audio: track 2 at 700, lead-out 1300.
//! - wodim: no post-gap; cdrecord gives an audio track after a data track a
//!   255-sector pregap (150 otherwise), silence coded as track 2 index 0:
//!   track 2 at 655, lead-out 1255.
//!
//! Byte order: both read the raw audio file as big-endian samples (cdrdao's
//! `FILE`, wodim's `-audio x.bin`), so the disc holds it byte-swapped.
//!
//! Beyond the kinds of the audio comparison, the data track brings out:
//! - LeadInDataHeaderAddress (cdrdao): lead-in mode 1 headers numbered from
//!   00:00:00 at its first lead-in sector; rawcd (and cdrecord) write the
//!   sector's own lead-in MSF (§3.1: "validators should only warn").
//! - StaleScrambledBuffer (wodim, a cdrecord defect): generated mode 1
//!   sectors of the lead-in, the track 1 pregap and the lead-out whose
//!   descrambled user data is the scrambler key — `write_leadin`,
//!   `write_leadout` and the pad writer run `encsectors` (header, EDC/ECC,
//!   scramble) again over the previous chunk's already scrambled buffer, so
//!   every other chunk carries the key, with EDC/ECC valid over it.
//! - LeadOutMainOfFirstTrack / LeadOutControlOfFirstTrack (wodim, a
//!   cdrecord defect): the lead-out is encoded with `trackp[0]`, the lead-in
//!   pseudo-track copied from track 1, so after a final audio track it is
//!   mode 1 data with CONTROL 4; §4.4/§7.2 want the last track's (rawcd's).
//! - CatalogControlZero (wodim): MCN frames with CONTROL 0 in the data
//!   track (`fillmcn` writes the ADR only; §4.6 "accept either").
//! - rawcd's own data sectors (header = own MSF, zero user data, EDC/ECC,
//!   scrambled) match cdrdao's and wodim's byte for byte everywhere else.

mod third_party_common;

use rawcd_emulator::Emulator;
use third_party_common::compare::compare;
use third_party_common::{
    assert_audio, assert_q, have, rawcd_image, read10, read_toc, source, swab, Drive, QLayout,
};

const MCN: &str = "0123456789012";
const ISRC: &str = "GBAYE6900002";

/// The cdrdao layout; rawcd reads the same file (its .toc reader also takes
/// raw `FILE` audio as big-endian).
const TOC: &str = "CD_ROM\nCATALOG \"0123456789012\"\n\n\
TRACK MODE1\nDATAFILE \"data.iso\"\nZERO 00:02:00\n\n\
TRACK AUDIO\nISRC \"GBAYE6900002\"\nPREGAP 00:02:00\nFILE \"audio-b.bin\" 0\n";

/// rawcd's JSON for what wodim burns (copy bit clear, as wodim's default).
const WODIM_JSON: &str = r#"{"mcn": "0123456789012", "tracks": [
  {"type": "mode1", "file": "data.iso", "copy": "prohibited"},
  {"type": "audio", "file": "audio-b.bin", "pregap": 255, "isrc": "GBAYE6900002", "copy": "prohibited"}
]}"#;

/// Checks the read-back of a mixed-mode disc whose data track (400 sectors
/// of data.iso, then `postgap` zero sectors) starts at 0, and whose audio
/// track has its index 0 from `pregap` and index 1 at `track2`.
fn check_mixed(d: &Drive, emu: &mut Emulator, postgap: i32, pregap: i32, track2: i32) {
    let leadout = track2 + 600;
    assert_eq!(read_toc(emu), vec![(1, 0), (2, track2), (0xaa, leadout)]);
    let iso = source(d.dir.path(), "data.iso");
    assert!(read10(emu, 0, 400) == iso, "data track user bytes differ");
    if postgap > 0 {
        assert!(
            read10(emu, 400, postgap as u32).iter().all(|&b| b == 0),
            "post-gap user bytes not zero"
        );
    }
    let silence = vec![0u8; (track2 - pregap) as usize * 2352];
    assert_audio(emu, pregap, &silence, "track 2 pregap");
    let b = swab(&source(d.dir.path(), "audio-b.bin"));
    assert_audio(emu, track2, &b, "track 2");
    let q = assert_q(
        emu,
        &QLayout {
            marks: &[(1, 0, -150), (1, 1, 0), (2, 0, pregap), (2, 1, track2)],
            leadout,
            data_tracks: &[1],
            mcn: Some(MCN),
            isrc: &[(2, ISRC)],
        },
    );
    eprintln!("{q}");
    let meta = emu.media().toc().expect("a TOC").clone();
    assert_eq!(meta.mcn.as_deref(), Some(MCN));
    assert_eq!(meta.tracks[1].isrc.as_deref(), Some(ISRC));
}

fn cdrdao(driver: &str) -> Option<String> {
    let mut d = Drive::blank();
    let toc = d.path("mixed.toc");
    std::fs::write(&toc, TOC).unwrap();
    let out = d.run(
        "cdrdao",
        &[
            "write",
            "-n",
            "--device",
            "/dev/sr9",
            "--driver",
            driver,
            "mixed.toc",
        ],
    );
    assert!(out.status.success(), "cdrdao {driver} failed");
    let raw = driver.ends_with("-raw");
    let mut img = raw.then(|| rawcd_image(&toc));
    let (mut emu, _) = d.stop();
    assert!(emu.findings().is_empty(), "{:?}", emu.findings());
    check_mixed(&d, &mut emu, 150, 550, 700);
    img.as_mut().map(|img| {
        let c = compare(&mut emu.take_media(), img);
        eprintln!("{:#?}", c.examples);
        c.assert_explained();
        c.summary()
    })
}

#[test]
fn cdrdao_raw_mixed_mode() {
    if have("cdrdao") {
        let summary = cdrdao("generic-mmc-raw").unwrap();
        insta::assert_snapshot!("cdrdao_raw_mixed_vs_rawcd", summary);
    }
}

#[test]
fn cdrdao_sao_mixed_mode() {
    if have("cdrdao") {
        cdrdao("generic-mmc");
    }
}

fn wodim(mode: &str) -> Option<String> {
    let mut d = Drive::blank();
    let out = d.run(
        "wodim",
        &[
            "dev=/dev/sg9",
            mode,
            &format!("mcn={MCN}"),
            "-data",
            "data.iso",
            "-audio",
            &format!("isrc={ISRC}"),
            "audio-b.bin",
        ],
    );
    assert!(out.status.success(), "wodim {mode} failed");
    let json = d.path("mixed.json");
    std::fs::write(&json, WODIM_JSON).unwrap();
    let mut img = (mode != "-sao").then(|| rawcd_image(&json));
    let (mut emu, _) = d.stop();
    assert!(emu.findings().is_empty(), "{:?}", emu.findings());
    check_mixed(&d, &mut emu, 0, 400, 655);
    img.as_mut().map(|img| {
        let c = compare(&mut emu.take_media(), img);
        eprintln!("{:#?}", c.examples);
        c.assert_explained();
        c.summary()
    })
}

#[test]
fn wodim_raw96r_mixed_mode() {
    if have("wodim") {
        insta::assert_snapshot!("wodim_raw96r_mixed_vs_rawcd", wodim("-raw96r").unwrap());
    }
}

#[test]
fn wodim_raw16_mixed_mode() {
    if have("wodim") {
        insta::assert_snapshot!("wodim_raw16_mixed_vs_rawcd", wodim("-raw16").unwrap());
    }
}

#[test]
fn wodim_sao_mixed_mode() {
    if have("wodim") {
        wodim("-sao");
    }
}
