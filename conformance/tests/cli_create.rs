//! `rawcd create` and `rawcd toc` from the command line: outputs, exit codes,
//! and no half-written image left behind on failure.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::process::{Command, Output};

fn rawcd(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rawcd"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn create_writes_an_image_of_the_planned_size_for_each_type() {
    let dir = tempfile::tempdir().unwrap();
    common::materialise("02-indexes.cue", dir.path());
    for (ty, size) in [("raw", 2448u64), ("cooked", 2448), ("pq", 2368)] {
        let out = rawcd(
            &[
                "create",
                "02-indexes.cue",
                "-o",
                "disc.img",
                "--type",
                ty,
                "--json",
            ],
            dir.path(),
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let sectors = 22_650 + 2_100 + 6_750;
        assert_eq!(summary["sectors"], sectors);
        assert_eq!(summary["leadout_lba"], 2100);
        assert_eq!(summary["image_type"], ty);
        let len = std::fs::metadata(dir.path().join("disc.img"))
            .unwrap()
            .len();
        assert_eq!(len, sectors * size);
    }
}

#[test]
fn create_with_mcn_and_leadout_limit_flags() {
    let dir = tempfile::tempdir().unwrap();
    common::materialise("01-single-audio.json", dir.path());
    let out = rawcd(
        &[
            "create",
            "01-single-audio.json",
            "-o",
            "a.img",
            "--mcn",
            "0123456789012",
            "--json",
        ],
        dir.path(),
    );
    assert!(out.status.success());
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["toc"]["mcn"], "0123456789012");
    let out = rawcd(
        &[
            "create",
            "01-single-audio.json",
            "-o",
            "b.img",
            "--leadout-limit",
            "100",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("lead-out would start at LBA 900, beyond the limit LBA 100"),
        "{err}"
    );
    assert!(!dir.path().join("b.img").exists());
}

#[test]
fn malformed_cue_is_refused_with_file_and_line_and_no_output() {
    let dir = tempfile::tempdir().unwrap();
    common::write_sources(dir.path());
    std::fs::write(
        dir.path().join("bad.cue"),
        "FILE \"audio-a.bin\" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:75\n",
    )
    .unwrap();
    let before = files_in(dir.path());
    let out = rawcd(&["create", "bad.cue", "-o", "out.img"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.cue:3:"), "{err}");
    assert_eq!(files_in(dir.path()), before, "nothing may be left behind");
}

#[test]
fn missing_source_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("l.json"),
        r#"{"tracks": [{"type": "audio", "file": "nowhere.raw"}]}"#,
    )
    .unwrap();
    let out = rawcd(&["create", "l.json", "-o", "out.img"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nowhere.raw"));
    assert!(!dir.path().join("out.img").exists());
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = rawcd(&["create", "x.cue"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let out = rawcd(
        &["create", "x.cue", "-o", "y", "--type", "wide"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn toc_prints_text_and_json() {
    let dir = tempfile::tempdir().unwrap();
    common::materialise("08-first-track-5.json", dir.path());
    let out = rawcd(&["toc", "08-first-track-5.json"], dir.path());
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("tracks 5-6, lead-out at LBA 1050"));
    let out = rawcd(&["toc", "--json", "08-first-track-5.json"], dir.path());
    let toc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(toc["first_track"], 5);
    assert_eq!(toc["tracks"][1]["start_lba"], 600);
}

#[test]
fn bench_mode_prints_throughput() {
    let dir = tempfile::tempdir().unwrap();
    common::materialise("01-single-audio.json", dir.path());
    let out = rawcd(&["create", "01-single-audio.json", "--bench"], dir.path());
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("MB/s"), "{text}");
}

#[test]
fn toc_of_an_image_equals_toc_of_its_layout() {
    let dir = tempfile::tempdir().unwrap();
    common::materialise("03-isrc-catalog.cue", dir.path());
    let out = rawcd(
        &[
            "create",
            "03-isrc-catalog.cue",
            "-o",
            "d.img",
            "--type",
            "raw",
        ],
        dir.path(),
    );
    assert!(out.status.success());
    let from_layout = rawcd(&["toc", "--json", "03-isrc-catalog.cue"], dir.path());
    let from_image = rawcd(&["toc", "--json", "d.img"], dir.path());
    assert!(
        from_image.status.success(),
        "{}",
        String::from_utf8_lossy(&from_image.stderr)
    );
    let a: serde_json::Value = serde_json::from_slice(&from_layout.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&from_image.stdout).unwrap();
    for key in ["first_track", "last_track", "leadout_lba", "mcn"] {
        assert_eq!(a[key], b[key], "{key}");
    }
    for (x, y) in a["tracks"]
        .as_array()
        .unwrap()
        .iter()
        .zip(b["tracks"].as_array().unwrap())
    {
        for key in ["number", "control", "start_lba", "isrc"] {
            assert_eq!(x[key], y[key], "track {}: {key}", x["number"]);
        }
    }
}
