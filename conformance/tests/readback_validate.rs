//! The emulator's read-back is a valid image: burn a layout on the virtual
//! recorder, export the burned disc as a DAO-96 image, and `rawcd validate`
//! finds no defect — for an audio disc and a mixed-mode disc, in each
//! sub-channel format.

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

fn ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed ({:?}):\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn burned_and_exported_discs_validate_clean() {
    for (layout, ty) in [
        ("03-isrc-catalog.cue", "raw"),
        ("05-mode1-then-audio.json", "raw"),
        ("02-indexes.cue", "pq"),
        ("09-gapless.json", "cooked"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        common::materialise(layout, dir.path());
        let out = rawcd(
            &[
                "burn",
                layout,
                "--emulate",
                "default",
                "--type",
                ty,
                "--disc-out",
                "d.rcd",
                "--json",
            ],
            dir.path(),
        );
        ok(&out, "burn");
        let out = rawcd(
            &["disc", "d.rcd", "export", "-o", "back.img", "--type", ty],
            dir.path(),
        );
        ok(&out, "export");
        let out = rawcd(
            &[
                "validate", "back.img", "--type", ty, "--media", "cdr80", "--json",
            ],
            dir.path(),
        );
        ok(&out, &format!("validate of the {layout} read-back ({ty})"));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            report["defects"].as_array().map(Vec::len),
            Some(0),
            "{layout} ({ty}): {report}"
        );
        let want = common::materialise(layout, dir.path());
        let toc = rawcd(&["toc", "--json", want.to_str().unwrap()], dir.path());
        let want_toc: serde_json::Value = serde_json::from_slice(&toc.stdout).unwrap();
        assert_eq!(
            report["toc"]["leadout_lba"], want_toc["leadout_lba"],
            "{layout}"
        );
        assert_eq!(
            report["toc"]["tracks"].as_array().unwrap().len(),
            want_toc["tracks"].as_array().unwrap().len(),
            "{layout}"
        );
    }
}
