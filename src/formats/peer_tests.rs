//! Tests against libcdio's cue / toc suite in `../shared/peer/libcdio/`
//! (GPL: read in place, never copied). Each test prints "skipped: …" and
//! passes when the directory is absent.

use std::path::{Path, PathBuf};

use crate::formats::load;
use crate::layout::{CopySetting, Toc};
use crate::sector::SectorType;

fn peer_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("RAWCD_PEER_DIR").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/peer/libcdio")),
        Some(PathBuf::from("/work/shared/peer/libcdio")),
    ];
    let found = candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("data").is_dir());
    if found.is_none() {
        println!("skipped: libcdio peer suite not found (../shared/peer/libcdio)");
    }
    found
}

fn toc_of(dir: &Path, name: &str) -> (Toc, Vec<String>) {
    let l = load(&dir.join("data").join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let plan = l.layout.plan().unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut w = l.warnings;
    w.extend(plan.warnings.iter().cloned());
    (plan.toc(), w)
}

/// `(track number, LSN, is audio, copy permitted)` rows and the lead-out
/// LSN from a cd-info `.right` file.
fn expected_tracks(path: &Path) -> (Vec<(u8, i32, bool, bool)>, i32) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut tracks = Vec::new();
    let mut leadout = -1;
    for line in text.lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.len() < 4 || !cols[0].ends_with(':') || !cols[1].contains(':') {
            continue;
        }
        let Ok(n) = cols[0].trim_end_matches(':').parse::<u32>() else {
            continue;
        };
        let lsn: i32 = cols[2].parse().unwrap();
        if n == 170 {
            leadout = lsn;
        } else {
            tracks.push((
                n as u8,
                lsn,
                cols[3] == "audio",
                cols.get(5) == Some(&"yes"),
            ));
        }
    }
    (tracks, leadout)
}

fn check_against_right(dir: &Path, input: &str, right: &str) {
    let (toc, _) = toc_of(dir, input);
    let (want, leadout) = expected_tracks(&dir.join("expected").join(right));
    assert!(!want.is_empty(), "{right}: no track rows parsed");
    assert_eq!(toc.leadout_lba, leadout, "{input}: lead-out");
    assert_eq!(toc.tracks.len(), want.len(), "{input}: track count");
    for (t, (n, lsn, audio, copy)) in toc.tracks.iter().zip(want) {
        assert_eq!(t.number, n, "{input}");
        assert_eq!(t.start_lba, lsn, "{input}: track {n} start");
        assert_eq!(
            t.sector_type == SectorType::Audio,
            audio,
            "{input}: track {n} type"
        );
        assert_eq!(t.control & 0x2 != 0, copy, "{input}: track {n} copy");
    }
}

#[test]
fn cdda_cue_matches_cd_info() {
    let Some(dir) = peer_dir() else { return };
    check_against_right(&dir, "cdda.cue", "cdda.right");
    let (toc, warnings) = toc_of(&dir, "cdda.cue");
    assert_eq!(toc.tracks[0].start_lba, 0);
    assert_eq!(toc.leadout_lba, 302);
    assert_eq!(toc.tracks[0].control, 0x2, "FLAGS DCP: copy permitted");
    assert_eq!(toc.mcn.unwrap().to_string(), "0000010271955");
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("cdda.cue:4:") && w.contains("differs only in case")),
        "{warnings:?}"
    );
}

#[test]
fn cdda_4_5_cue_matches_cd_info() {
    let Some(dir) = peer_dir() else { return };
    check_against_right(&dir, "cdda_4_5.cue", "cdda_4_5.right");
    let (toc, warnings) = toc_of(&dir, "cdda_4_5.cue");
    assert_eq!((toc.first_track, toc.last_track), (4, 5));
    assert_eq!(toc.tracks[0].start_lba, 0);
    assert_eq!(toc.tracks[1].start_lba, 150);
    assert_eq!(toc.leadout_lba, 302);
    assert_eq!(
        warnings
            .iter()
            .filter(|w| w.contains("shorter than"))
            .count(),
        2
    );
}

#[test]
fn isofs_m1_cue_matches_cd_info() {
    let Some(dir) = peer_dir() else { return };
    check_against_right(&dir, "isofs-m1.cue", "isofs-m1.right");
    let l = load(&dir.join("data/isofs-m1.cue")).unwrap();
    assert_eq!(l.layout.tracks.len(), 1);
    assert_eq!(l.layout.tracks[0].sector_type, SectorType::Mode1);
    assert_eq!(l.layout.mcn.unwrap().to_string(), "0000012101954");
}

#[test]
fn p1_cue_names_the_missing_file() {
    let Some(dir) = peer_dir() else { return };
    let e = load(&dir.join("data/p1.cue")).unwrap_err().to_string();
    assert!(
        e.contains("p1.cue:4: file 'BOING.BIN' does not exist"),
        "{e}"
    );
}

#[test]
fn bad_inputs_name_file_and_line() {
    let Some(dir) = peer_dir() else { return };
    let cases: &[(&str, usize, &str)] = &[
        ("bad-cat1.cue", 4, "CATALOG needs"),
        ("bad-cat2.cue", 4, "has 9 digits"),
        ("bad-cat3.cue", 4, "contains 'b'"),
        ("bad-mode1.cue", 6, "unknown track mode 'MODE3_FORM1'"),
        ("bad-msf-1.cue", 7, "frame field 100"),
        ("bad-msf-2.cue", 7, "seconds field 90"),
        ("bad-msf-3.cue", 7, "is not a time"),
        ("bad-cat1.toc", 4, "CATALOG needs"),
        ("bad-cat2.toc", 4, "must be a quoted string"),
        ("bad-cat3.toc", 4, "illegal catalog number"),
        ("bad-mode1.toc", 4, "unknown track mode 'MODE1_FORM45'"),
        ("bad-msf-1.toc", 6, "frame field 75"),
        ("bad-msf-2.toc", 6, "seconds field 60"),
        ("bad-msf-3.toc", 6, "is not a time"),
        ("bad-file.toc", 8, "FILE is only allowed in audio tracks"),
    ];
    for (name, line, what) in cases {
        let e = load(&dir.join("data").join(name)).unwrap_err().to_string();
        let want = format!("{name}:{line}: ");
        assert!(
            e.contains(&want) && e.contains(what),
            "{name}: got '{e}', want '{want}…{what}'"
        );
    }
}

#[test]
fn toc_verdicts_match_cdrdao() {
    let Some(dir) = peer_dir() else { return };
    // Refused by cdrdao, with the line of the offending statement.
    let refused: &[(&str, usize, &str)] = &[
        ("t2.toc", 5, "exceeds available data"),
        ("t3.toc", 5, "exceeds available data"),
        ("t4.toc", 7, "exceeds available data"),
        ("t5.toc", 7, "exceeds available data"),
        ("t6.toc", 7, "exceeds available data"),
        ("t7.toc", 6, "exceeds available data"),
        ("t8.toc", 6, "exceeds available data"),
        ("t9.toc", 8, "exceeds available data"),
        ("t10.toc", 7, "exceeds available data"),
        ("data1.toc", 7, "SILENCE is only allowed in audio tracks"),
        ("data2.toc", 7, "FILE is only allowed in audio tracks"),
        ("data5.toc", 8, "FILE is only allowed in audio tracks"),
        ("data6.toc", 8, "FILE is only allowed in audio tracks"),
        ("data7.toc", 8, "FILE is only allowed in audio tracks"),
        ("isofs-m1.toc", 4, "FILE is only allowed in audio tracks"),
        ("vcd_demo.toc", 5, "FILE is only allowed in audio tracks"),
    ];
    for (name, line, what) in refused {
        let e = load(&dir.join("data").join(name)).unwrap_err().to_string();
        let want = format!("{name}:{line}: ");
        assert!(
            e.contains(&want) && e.contains(what),
            "{name}: got '{e}', want '{want}…{what}'"
        );
    }
    // Accepted; cdrdao's short-track errors are warnings here.
    let (toc, w) = toc_of(&dir, "cdda.toc");
    assert_eq!(toc.tracks.len(), 1);
    assert_eq!(toc.tracks[0].control, 0x2, "COPY");
    assert_eq!(toc.tracks[0].start_lba, 0);
    assert_eq!(toc.leadout_lba, 25);
    assert!(w.iter().any(|w| w.contains("shorter than")), "{w:?}");

    let (toc, w) = toc_of(&dir, "t1.toc");
    assert_eq!((toc.tracks[0].control, toc.leadout_lba), (0, 74));
    assert!(w.iter().any(|w| w.contains("shorter than")), "{w:?}");

    let (toc, _) = toc_of(&dir, "cdtext.toc");
    assert_eq!((toc.tracks.len(), toc.leadout_lba), (1, 4500));

    let (toc, w) = toc_of(&dir, "vcd2.toc");
    assert_eq!(toc.tracks.len(), 3);
    assert!(toc
        .tracks
        .iter()
        .all(|t| t.sector_type.is_data() && t.control == 0x6));
    assert_eq!(toc.tracks[1].start_lba, 304);
    assert_eq!(toc.leadout_lba, 304 + 3 + 25);
    assert!(
        w.iter().any(|w| w.contains("not a whole 2336-byte sector")),
        "{w:?}"
    );
    assert_eq!(
        w.iter().filter(|w| w.contains("shorter than")).count(),
        2,
        "{w:?}"
    );
}

#[test]
fn cdtext_toc_keeps_cd_text_items() {
    let Some(dir) = peer_dir() else { return };
    let text = std::fs::read_to_string(dir.join("data/cdtext.toc")).unwrap();
    let toc = crate::formats::toc::parse_toc(&text, "cdtext.toc").unwrap();
    assert!(toc
        .cd_text
        .iter()
        .any(|i| i.key == "TITLE" && i.value == "CD Title"));
    assert!(toc.tracks[0]
        .cd_text
        .iter()
        .any(|i| i.key == "ISRC" && i.value == "US-XX1-98-01234"));
    assert_eq!(
        CopySetting::Prohibited,
        toc.to_layout(&dir.join("data"), &mut crate::formats::FsResolver)
            .unwrap()
            .layout
            .tracks[0]
            .flags
            .copy
    );
}
