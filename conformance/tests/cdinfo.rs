//! Independent cross-check: libcdio's `cd-info` (Debian package
//! libcdio-utils) reads the same cue+bin as `rawcd toc` and must report the
//! same track starts, track types, copy and pre-emphasis flags and lead-out.
//!
//! libcdio's cue reader opens `<cue stem>.bin` whatever the FILE line says,
//! so only single-file sheets are compared, with the bin copied to that name.
//! Skips (saying so) when `cd-info` is not installed; `.ci/run` installs it.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, PartialEq)]
struct Track {
    number: u32,
    lba: i64,
    audio: bool,
    copy: bool,
    pre_emphasis: Option<bool>,
}

/// Tracks and lead-out from `cd-info`'s track list.
fn cd_info(cue: &Path) -> (Vec<Track>, i64) {
    let out = Command::new("cd-info")
        .args([
            "--no-header",
            "--no-device-info",
            "--no-analyze",
            "--no-cddb",
            "--cue-file",
        ])
        .arg(cue)
        .current_dir(cue.parent().unwrap())
        .output()
        .expect("cd-info runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "cd-info failed on {}: {text}",
        cue.display()
    );
    let mut tracks = Vec::new();
    let mut leadout = None;
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 4
            || !f[0].ends_with(':')
            || !f[0][..f[0].len() - 1].chars().all(|c| c.is_ascii_digit())
        {
            continue;
        }
        let number: u32 = f[0].trim_end_matches(':').parse().unwrap();
        let lba: i64 = f[2].parse().unwrap();
        if f[3] == "leadout" {
            leadout = Some(lba);
            continue;
        }
        let audio = f[3] == "audio";
        tracks.push(Track {
            number,
            lba,
            audio,
            copy: f[5] == "yes",
            pre_emphasis: audio.then(|| f[7] == "yes"),
        });
    }
    (tracks, leadout.expect("cd-info prints a lead-out"))
}

/// Tracks and lead-out from `rawcd toc --json`.
fn rawcd_toc(cue: &Path) -> (Vec<Track>, i64) {
    let out = Command::new(env!("CARGO_BIN_EXE_rawcd"))
        .args(["toc", "--json"])
        .arg(cue)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "rawcd toc failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let toc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tracks = toc["tracks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let control = t["control"].as_u64().unwrap();
            let audio = t["sector_type"] == "audio";
            Track {
                number: t["number"].as_u64().unwrap() as u32,
                lba: t["start_lba"].as_i64().unwrap(),
                audio,
                copy: control & 0x2 != 0,
                pre_emphasis: audio.then_some(control & 0x1 != 0),
            }
        })
        .collect();
    (tracks, toc["leadout_lba"].as_i64().unwrap())
}

fn have_cd_info() -> bool {
    Command::new("cd-info").arg("--version").output().is_ok()
}

/// Copies a single-file cue and its bin into `dir` as `<stem>.cue`/`<stem>.bin`.
fn stage(cue: &Path, bin: &Path, dir: &Path) -> PathBuf {
    let stem = cue.file_stem().unwrap().to_str().unwrap();
    let to = dir.join(format!("{stem}.cue"));
    std::fs::copy(cue, &to).unwrap();
    std::fs::copy(bin, dir.join(format!("{stem}.bin"))).unwrap();
    to
}

fn compare(cue: &Path) {
    let (want, want_leadout) = cd_info(cue);
    assert!(
        !want.is_empty(),
        "{}: cd-info listed no tracks",
        cue.display()
    );
    let (got, got_leadout) = rawcd_toc(cue);
    assert_eq!(
        got,
        want,
        "{}: tracks differ between rawcd toc and cd-info",
        cue.display()
    );
    assert_eq!(
        got_leadout,
        want_leadout,
        "{}: lead-out differs",
        cue.display()
    );
}

#[test]
fn corpus_single_file_cues_agree_with_cd_info() {
    if !have_cd_info() {
        eprintln!("skipped: cd-info (Debian package libcdio-utils) is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    common::write_sources(dir.path());
    let mut compared = 0;
    for entry in std::fs::read_dir(common::corpus().join("layouts")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "cue") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let files: Vec<&str> = text
            .lines()
            .filter(|l| l.trim_start().starts_with("FILE"))
            .collect();
        if files.len() != 1 {
            continue;
        }
        let name = files[0].split('"').nth(1).unwrap();
        let stage_dir = dir.path().join(path.file_stem().unwrap());
        std::fs::create_dir(&stage_dir).unwrap();
        let staged = stage(&path, &dir.path().join(name), &stage_dir);
        // rawcd reads the FILE line: keep that file beside the staged cue too.
        std::fs::copy(dir.path().join(name), stage_dir.join(name)).unwrap();
        compare(&staged);
        compared += 1;
    }
    assert!(
        compared >= 2,
        "expected at least two single-file cue layouts, compared {compared}"
    );
}

#[test]
fn peer_cues_agree_with_cd_info() {
    let peer = common::corpus().join("../../shared/peer/libcdio/data");
    if !have_cd_info() || !peer.is_dir() {
        eprintln!("skipped: needs cd-info (libcdio-utils) and ../shared/peer/libcdio");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (cue, bin) in [
        ("cdda.cue", "cdda.bin"),
        ("cdda_4_5.cue", "cdda_4_5.bin"),
        ("isofs-m1.cue", "isofs-m1.bin"),
    ] {
        let staged = stage(&peer.join(cue), &peer.join(bin), dir.path());
        compare(&staged);
    }
}
