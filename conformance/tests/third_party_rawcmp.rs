//! The lead-in and sub-channel that cdrdao (`--driver generic-mmc-raw`) and
//! wodim (`-raw96r`, `-raw16`) generate in RAW mode, compared with the image
//! `rawcd create` makes for the same layout: every sector the program wrote
//! (from the media's ATIP lead-in start, −11634, through the lead-in, the
//! track 1 pregap, the program area and the whole lead-out) against
//! `ResultImage::sector_at` at the same LBA — main channel, P, decoded Q,
//! R–W. `third_party_common::compare` puts every difference in a kind; the
//! test fails on any kind the standard does not allow, and the counts per
//! kind are snapshotted. Mixed-mode (data + audio) comparisons are in
//! `third_party_mixed.rs`.
//!
//! What the kinds found here are, against spec/cd-format.md — none is a
//! rawcd error:
//!
//! | kind | cdrdao | wodim | rawcd | spec |
//! |---|---|---|---|---|
//! | AudioByteOrder | cue `BINARY` read as big-endian | `-audio x.bin` big-endian | cue `BINARY` little-endian | §2.3 (file convention, not disc) |
//! | LeadInTimeFromZero | lead-in MIN/SEC/FRAME from 00:00:00 | absolute (no difference) | absolute MSF | §4.5 "normative start unconfirmed" |
//! | LeadInCyclePhase | cycle 01, 02, A0, A1, A2 from its first lead-in sector | A0, A1, A2, 01, 02 from its first lead-in sector | A0 … from 95:00:00 (position-independent) | §4.5 "accept any order"; the cycles are rotations of each other |
//! | PFirstSectorOfIndex1 | 1 (same as rawcd) | 0 | 1 | §4.2 |
//! | PBeforeLeadOut | 1 in the last 150 sectors before the lead-out | 0 | 0 | §4.2 gapless row: cdrdao's "2 s before every track start" rule, applied to the lead-out too |
//! | LeadOutPFirst2s | 1 in the first lead-out sector only (P lags) | 0 | 0 | §4.2 |
//! | LeadOutPCadence | 19 on / 19 off | 75 / 75 | 19/19/19/18 | §4.2 "validators must accept all" |
//! | CatalogPhase | MCN LBA ≡ 0, ISRC ≡ 50 (mod 90) | ≡ 99 / 49 (mod 100) as rawcd, but none at −101: C division `secno/100*100+99` truncates toward zero for the pregap | ≡ 99 / 49 (mod 100) | §4.6 phases are a choice |
//! | LeadOutMcn | MCN in the lead-out | none | none | §4.6 |
//! | IsrcInPregap | ISRC in index 0 too | ISRC in index 0 too | index ≥ 1 only | §4.6 is silent on index 0 |
//! | PregapRelativeOffByOne | — | 00:01:74 … 00:00:00 | 00:02:00 … 00:00:01 | §4.4 cdrecord off-by-one |
//!
//! Layouts: cdrdao burns `03-isrc-catalog.cue` and rawcd reads the same
//! cue. wodim burns two `-audio` files with `mcn=` and `isrc=`: cdrecord
//! gives track 2 a 2 s pregap carved out of the end of track 1's file
//! (index 0 over track 1's audio), which is exactly IMAPI's gapless default,
//! so rawcd's side is the `RawCdImageCreator` with two tracks, the MCN, the
//! ISRCs and the copy bit clear (wodim's default).

mod third_party_common;

use rawcd::image::{ImageType, RawCdImageCreator};
use rawcd::layout::CopySetting;
use rawcd::sector::SectorType;
use third_party_common::compare::compare;
use third_party_common::{have, rawcd_image, Drive};

#[test]
fn cdrdao_raw_lead_in_and_subchannel_vs_rawcd() {
    if !have("cdrdao") {
        return;
    }
    let mut d = Drive::blank();
    let cue = d.layout("03-isrc-catalog.cue");
    let out = d.run(
        "cdrdao",
        &[
            "write",
            "-n",
            "--device",
            "/dev/sr9",
            "--driver",
            "generic-mmc-raw",
            cue.to_str().unwrap(),
        ],
    );
    assert!(out.status.success());
    let mut img = rawcd_image(&cue);
    let (mut emu, _) = d.stop();
    let c = compare(&mut emu.take_media(), &mut img);
    c.assert_explained();
    insta::assert_snapshot!("cdrdao_raw_vs_rawcd", c.summary());
}

fn wodim(mode: &str) -> String {
    let mut d = Drive::blank();
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
    let mut cr = RawCdImageCreator::new();
    cr.set_resulting_image_type(ImageType::Raw).unwrap();
    cr.set_media_catalog_number("0123456789012").unwrap();
    for (f, isrc) in [
        ("audio-a.bin", "USRC17607839"),
        ("audio-b.bin", "GBAYE6900002"),
    ] {
        let file = std::fs::File::open(d.path(f)).unwrap();
        let i = cr
            .add_track(SectorType::Audio, std::io::BufReader::new(file))
            .unwrap();
        let mut t = cr.track_info(i).unwrap();
        t.set_isrc(isrc).unwrap();
        t.set_digital_audio_copy_setting(CopySetting::Prohibited)
            .unwrap();
    }
    let mut img = cr.create_result_image().unwrap();
    let (mut emu, _) = d.stop();
    let c = compare(&mut emu.take_media(), &mut img);
    c.assert_explained();
    c.summary()
}

#[test]
fn wodim_raw96r_lead_in_and_subchannel_vs_rawcd() {
    if have("wodim") {
        insta::assert_snapshot!("wodim_raw96r_vs_rawcd", wodim("-raw96r"));
    }
}

#[test]
fn wodim_raw16_lead_in_and_subchannel_vs_rawcd() {
    if have("wodim") {
        insta::assert_snapshot!("wodim_raw16_vs_rawcd", wodim("-raw16"));
    }
}
