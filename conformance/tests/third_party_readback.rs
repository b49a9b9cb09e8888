//! `cdrdao read-toc`, `cdrskin -toc` and `xorriso -toc` read a disc burned
//! by cdrdao back through the shim and agree with the emulator's TOC
//! (tracks at 0 and 1050, lead-out 1650, MCN and ISRCs). Skips when a
//! program is not installed.

mod third_party_common;

use rawcd_emulator::Emulator;
use third_party_common::{cdrdao_raw_disc, have, read_toc, text, Drive};

fn burned(keep: &tempfile::TempDir) -> String {
    let (mut emu, rcd) = cdrdao_raw_disc(keep);
    assert_eq!(read_toc(&mut emu), vec![(1, 0), (2, 1050), (0xaa, 1650)]);
    rcd.to_str().unwrap().to_string()
}

#[test]
fn readers_agree_with_the_emulator_toc() {
    if !have("cdrdao") {
        return;
    }
    let keep = tempfile::tempdir().unwrap();
    let media = burned(&keep);

    let d = Drive::start(Emulator::builtin("default", &media).unwrap());
    let out = d.run("cdrdao", &["read-toc", "--device", "/dev/sr9", "back.toc"]);
    assert!(out.status.success());
    let toc = std::fs::read_to_string(d.path("back.toc")).unwrap();
    assert!(toc.contains("CATALOG \"0123456789012\""), "{toc}");
    assert!(toc.contains("ISRC \"USRC17607839\""), "{toc}");
    assert!(toc.contains("ISRC \"GBAYE6900002\""), "{toc}");
    // Track 1 is 900 sectors; track 2 has the 2 s pregap and 600 sectors.
    assert!(toc.contains("FILE \"data.wav\" 0 00:12:00"), "{toc}");
    assert!(
        toc.contains("FILE \"data.wav\" 00:12:00 00:10:00\nSTART 00:02:00"),
        "{toc}"
    );
    drop(d.finish());

    if have("cdrskin") {
        let d = Drive::start(Emulator::builtin("default", &media).unwrap());
        let out = d.run("cdrskin", &["dev=/dev/sr9", "-toc"]);
        assert!(out.status.success());
        let t = text(&out);
        assert!(t.contains("track:   1 lba:         0"), "{t}");
        assert!(t.contains("track:   2 lba:      1050"), "{t}");
        assert!(t.contains("track:lout lba:      1650"), "{t}");
        drop(d.finish());
    }

    if have("xorriso") {
        let d = Drive::start(Emulator::builtin("default", &media).unwrap());
        let out = d.run("xorriso", &["-outdev", "/dev/sr9", "-toc"]);
        assert!(out.status.success());
        let t = text(&out);
        assert!(t.contains("is written , is closed"), "{t}");
        assert!(t.contains("Media blocks : 1650 readable"), "{t}");
        assert!(
            t.contains("Other track  :   2 ,      1050 ,       600s"),
            "{t}"
        );
        drop(d.finish());
    }
}

#[test]
fn scanners_find_the_drive() {
    let d = Drive::blank();
    if have("sg_inq") {
        let t = text(&d.run("sg_inq", &["/dev/sg9"]));
        assert!(t.contains("Vendor identification: RAWCD"), "{t}");
    }
    if have("cdrdao") {
        // Through the fake /sys/bus/scsi/devices tree (glob + fopen + stat).
        let t = text(&d.run("cdrdao", &["scanbus"]));
        assert!(t.contains("/dev/sr9 : RAWCD"), "{t}");
    }
    if have("wodim") {
        // Kernel ≥ 2.6 style scan of /dev/scd0..255, each O_EXCL.
        let t = text(&d.run("wodim", &["-scanbus"]));
        assert!(t.contains("'RAWCD   '"), "{t}");
    }
    if have("cdrskin") {
        // stat() of /dev/sr0..31 must succeed for the fake node.
        let t = text(&d.run("cdrskin", &["--devices"]));
        assert!(t.contains("dev='/dev/sr9'"), "{t}");
    }
    let (_, t) = d.finish();
    assert!(t.iter().all(|l| !l.contains("EBUSY")), "{t:#?}");
}
