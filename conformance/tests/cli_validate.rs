//! `rawcd validate` from the command line: creator images (IMAPI DAO-96),
//! CloneCD sets and cue/cdrdao descriptions made from them, mutations at
//! known LBAs, exit codes 0/1/2, `--json` shape and `--repair`.

#[path = "../../tests/common/mod.rs"]
mod common;
#[path = "../../tests/validate_util/mod.rs"]
mod validate_util;

use std::path::Path;
use std::process::{Command, Output};

use rawcd::layout::Toc;
use rawcd::msf::Lba;
use serde_json::Value;

/// First LBA of a creator image (MSF 95:00:00).
const START: Lba = -22_650;
/// Bytes per raw DAO-96 sector.
const RAW: usize = 2448;
/// `12-mode1-2352.cue`: mode 1 track 1 (LBA 0..300), audio track 2 after a
/// 225-sector generated pregap, lead-out at 975.
const CUE12: &str = "12-mode1-2352.cue";
const CUE12_LEADOUT: Lba = 975;

fn rawcd(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rawcd"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: stdout {} stderr {}",
            String::from_utf8_lossy(&out.stdout),
            stderr(out)
        )
    })
}

/// `(lba, kind)` of every listed defect.
fn defects(v: &Value) -> Vec<(i64, String)> {
    v["defects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["lba"].as_i64().unwrap(),
                d["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Materialises the corpus layout `name` with its sources and creates
/// `disc.img` of `ty` from it.
fn create(dir: &Path, name: &str, ty: &str) {
    common::materialise(name, dir);
    let out = rawcd(&["create", name, "-o", "disc.img", "--type", ty], dir);
    assert!(out.status.success(), "{}", stderr(&out));
}

fn validate_json(dir: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let mut a = vec!["validate", "--json"];
    a.extend_from_slice(args);
    let out = rawcd(&a, dir);
    (out.status.code(), json(&out))
}

fn offset(lba: Lba) -> usize {
    (lba - START) as usize * RAW
}

fn edit(path: &Path, f: impl FnOnce(&mut Vec<u8>)) {
    let mut bytes = std::fs::read(path).unwrap();
    f(&mut bytes);
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn creator_images_validate_clean_with_the_json_shape() {
    let dir = tempfile::tempdir().unwrap();
    for (ty, format) in [("raw", "imapi"), ("cooked", "imapi"), ("pq", "imapi-pq")] {
        create(dir.path(), CUE12, ty);
        let (code, v) = validate_json(dir.path(), &["disc.img"]);
        assert_eq!(code, Some(0), "{ty}: {v:#}");
        assert!(v["format"].as_str().unwrap().starts_with(format), "{v:#}");
        assert_eq!(v["sectors"], 22_650 + CUE12_LEADOUT as u64 + 6_750);
        assert_eq!(v["defects"], Value::Array(vec![]));
        assert_eq!(v["toc"]["leadout_lba"], CUE12_LEADOUT);
        assert_eq!(v["toc"]["tracks"][0]["control"], 4);
        assert_eq!(v["toc"]["tracks"][1]["start_lba"], 525);
    }
    let out = rawcd(&["validate", "disc.img"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no defects"));
}

#[test]
fn a_corrupted_byte_is_reported_at_its_lba() {
    let dir = tempfile::tempdir().unwrap();
    create(dir.path(), CUE12, "raw");
    let img = dir.path().join("disc.img");
    // a user-data byte of mode 1 sector LBA 100
    edit(&img, |b| b[offset(100) + 1000] ^= 0x20);
    let (code, v) = validate_json(dir.path(), &["disc.img"]);
    assert_eq!(code, Some(1), "{v:#}");
    let d = defects(&v);
    assert!(!d.is_empty());
    assert!(d.iter().all(|(lba, _)| *lba == 100), "{d:?}");
    assert!(d.iter().any(|(_, k)| k == "edc"), "{d:?}");
    assert_eq!(v["defects"][0]["msf"], "00:03:25");
    assert!(v["defects"][0]["detail"].is_string());
    // and a Q bit of audio sector LBA 600 (raw P–W: Q is bit 6)
    edit(&img, |b| {
        b[offset(100) + 1000] ^= 0x20;
        b[offset(600) + 2352 + 30] ^= 0x40;
    });
    let (code, v) = validate_json(dir.path(), &["disc.img"]);
    assert_eq!(code, Some(1));
    assert_eq!(defects(&v), vec![(600, "q_crc".to_string())]);
    // --max-defects lists fewer but counts all
    let (_, v) = validate_json(dir.path(), &["disc.img", "--max-defects", "0"]);
    assert_eq!(v["defects"], Value::Array(vec![]));
    assert_eq!(v["defect_count"], 1);
}

#[test]
fn unreadable_inputs_exit_2_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    create(dir.path(), CUE12, "raw");
    let img = dir.path().join("disc.img");
    edit(&img, |b| b.truncate(b.len() - 1000));
    let out = rawcd(&["validate", "disc.img", "--type", "raw"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("truncated"), "{}", stderr(&out));
    let out = rawcd(&["validate", "disc.img"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("wrong size"), "{}", stderr(&out));
    let out = rawcd(&["validate", "nowhere.img"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nowhere.img"), "{}", stderr(&out));
    // options that do not fit the input
    let out = rawcd(&["validate", "x.ccd", "--sub", "x.sub"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let out = rawcd(&["validate", CUE12, "--repair", "-o", "y"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("IMAPI"), "{}", stderr(&out));
}

#[test]
fn repair_writes_a_copy_that_validates_clean() {
    let dir = tempfile::tempdir().unwrap();
    create(dir.path(), CUE12, "raw");
    let img = dir.path().join("disc.img");
    // damage the ECC P parity of LBA 50 (the EDC proves the data right)
    // and the Q CRC of LBA 700
    edit(&img, |b| {
        b[offset(50) + 2100] ^= 0x01;
        let q = offset(700) + 2352;
        for k in 80..96 {
            b[q + k] ^= 0x40;
        }
    });
    let out = rawcd(
        &["validate", "disc.img", "--repair", "-o", "fixed.img"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("2 changes, 0 defects not repaired"), "{text}");
    assert!(
        text.contains("LBA      50") && text.contains("LBA     700"),
        "{text}"
    );
    let (code, v) = validate_json(dir.path(), &["fixed.img"]);
    assert_eq!(code, Some(0), "{v:#}");
}

/// A CloneCD set `cd.ccd` / `.img` / `.sub` made from `disc.img` (raw).
fn clonecd(dir: &Path) -> Toc {
    let (code, v) = validate_json(dir, &["disc.img"]);
    assert_eq!(code, Some(0));
    let toc: Toc = serde_json::from_value(v["toc"].clone()).unwrap();
    let bytes = std::fs::read(dir.join("disc.img")).unwrap();
    validate_util::write_clonecd(&bytes, START, &toc, dir, "cd");
    toc
}

#[test]
fn clonecd_sets_validate_and_report_a_flipped_q_bit() {
    let dir = tempfile::tempdir().unwrap();
    create(dir.path(), CUE12, "raw");
    let toc = clonecd(dir.path());
    let (code, v) = validate_json(dir.path(), &["cd.ccd"]);
    assert_eq!(code, Some(0), "{v:#}");
    assert!(v["format"].as_str().unwrap().starts_with("clonecd"));
    assert_eq!(v["sectors"], CUE12_LEADOUT);
    assert_eq!(v["toc"]["leadout_lba"], toc.leadout_lba);
    // flip one Q bit of LBA 700 in the .sub
    edit(&dir.path().join("cd.sub"), |b| b[700 * 96 + 50] ^= 0x40);
    let (code, v) = validate_json(dir.path(), &["cd.ccd"]);
    assert_eq!(code, Some(1));
    assert_eq!(defects(&v), vec![(700, "q_crc".to_string())]);
    // a damaged data sector in the .img (its sync)
    edit(&dir.path().join("cd.sub"), |b| b[700 * 96 + 50] ^= 0x40);
    edit(&dir.path().join("cd.img"), |b| b[42 * 2352 + 3] = 0);
    let (code, v) = validate_json(dir.path(), &["cd.ccd"]);
    assert_eq!(code, Some(1));
    assert_eq!(defects(&v), vec![(42, "sync".to_string())]);
    // an unparseable line names the file and line
    edit(&dir.path().join("cd.ccd"), |b| {
        b.extend_from_slice(b"[Entry 9]\r\nPoint=nope\r\n")
    });
    let out = rawcd(&["validate", "cd.ccd"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cd.ccd:"), "{}", stderr(&out));
}

#[test]
fn cue_and_bin_validate_with_and_without_a_sub_channel_file() {
    let dir = tempfile::tempdir().unwrap();
    create(dir.path(), CUE12, "raw");
    let (code, v) = validate_json(dir.path(), &[CUE12]);
    assert_eq!(code, Some(0), "{v:#}");
    assert_eq!(v["format"], "cue+bin (no sub-channel)");
    assert!(v["notes"][0].as_str().unwrap().contains("--sub"), "{v:#}");
    assert_eq!(v["toc"]["leadout_lba"], CUE12_LEADOUT);
    // the sub-channel of the program area, from the creator image
    let bytes = std::fs::read(dir.path().join("disc.img")).unwrap();
    let sub = validate_util::sub_records(&bytes, START, 0, CUE12_LEADOUT);
    std::fs::write(dir.path().join("disc.sub"), &sub).unwrap();
    let (code, v) = validate_json(dir.path(), &[CUE12, "--sub", "disc.sub"]);
    assert_eq!(code, Some(0), "{v:#}");
    assert_eq!(v["format"], "cue+bin (with sub-channel)");
    assert_eq!(v["sectors"], CUE12_LEADOUT);
    assert_eq!(v["toc"]["tracks"][1]["start_lba"], 525);
    // a broken byte in the MODE1/2352 bin
    edit(&dir.path().join("mode1-2352.bin"), |b| {
        b[10 * 2352 + 500] ^= 1
    });
    let (code, v) = validate_json(dir.path(), &[CUE12, "--sub", "disc.sub"]);
    assert_eq!(code, Some(1));
    assert!(defects(&v).iter().all(|(l, _)| *l == 10), "{v:#}");
    // a sub-channel file one record short
    std::fs::write(dir.path().join("disc.sub"), &sub[..sub.len() - 96]).unwrap();
    let out = rawcd(&["validate", CUE12, "--sub", "disc.sub"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("wrong size"), "{}", stderr(&out));
}

#[test]
fn cdrdao_toc_with_user_data_validates_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let name = "06-audio-then-data.toc";
    create(dir.path(), name, "raw");
    let (code, v) = validate_json(dir.path(), &[name]);
    assert_eq!(code, Some(0), "{v:#}");
    assert!(v["format"].as_str().unwrap().starts_with("cdrdao toc+bin"));
    let notes = v["notes"].to_string();
    assert!(notes.contains("2048-byte user data"), "{notes}");
    let leadout = v["toc"]["leadout_lba"].as_i64().unwrap() as Lba;
    let bytes = std::fs::read(dir.path().join("disc.img")).unwrap();
    let sub = validate_util::sub_records(&bytes, START, 0, leadout);
    std::fs::write(dir.path().join("disc.sub"), sub).unwrap();
    let (code, v) = validate_json(dir.path(), &[name, "--sub", "disc.sub"]);
    assert_eq!(code, Some(0), "{v:#}");
    assert_eq!(v["sectors"], leadout);
}
