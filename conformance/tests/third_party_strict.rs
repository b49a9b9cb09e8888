//! The emulator's strictness seen through unmodified burners: a non-blank
//! disc, an unsupported write mode and a write beyond the end of the disc
//! are refused by the drive with the right sense, and the program
//! reports failure (refusal tables in real-clients.md §3). Skips when the
//! program is not installed.

mod third_party_common;

use rawcd_emulator::{AtipInfo, DriveProfile, Emulator, Media};
use third_party_common::{cdrdao_raw_disc, have, text, Drive};

fn writes(transcript: &[String]) -> usize {
    transcript.iter().filter(|l| l.starts_with("2a ")).count()
}

#[test]
fn non_blank_disc_is_refused_by_cdrdao_and_cdrskin() {
    if !have("cdrdao") || !have("cdrskin") {
        return;
    }
    let keep = tempfile::tempdir().unwrap();
    let rcd = cdrdao_raw_disc(&keep).1;
    let media = rcd.to_str().unwrap();

    let d = Drive::start(Emulator::builtin("default", media).unwrap());
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
    assert!(!out.status.success());
    assert!(text(&out).contains("not empty"), "cdrdao's refusal");
    let (_, t) = d.finish();
    assert_eq!(writes(&t), 0);

    let d = Drive::start(Emulator::builtin("default", media).unwrap());
    let cue = d.layout("02-indexes.cue");
    let out = d.run(
        "cdrskin",
        &[
            "dev=/dev/sr9",
            "-sao",
            &format!("cuefile={}", cue.display()),
        ],
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("No suitable media"),
        "cdrskin's refusal"
    );
    let (_, t) = d.finish();
    assert_eq!(writes(&t), 0);
}

#[test]
fn raw_mode_on_a_sao_only_drive_is_refused() {
    if !have("cdrdao") {
        return;
    }
    let d = Drive::start(Emulator::builtin("sao-only", "cdr80").unwrap());
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
    assert!(!out.status.success());
    assert!(text(&out).contains("Cannot setup disk-at-once writing"));
    let (_, t) = d.finish();
    // Every RAW trial MODE SELECT (block types 1, 3, 2) is refused with 5/26/00.
    let selects: Vec<&String> = t.iter().filter(|l| l.starts_with("55 ")).collect();
    assert!(!selects.is_empty());
    assert!(
        selects
            .iter()
            .all(|l| l.contains("CHECK CONDITION 5/26/00")),
        "{selects:#?}"
    );
    assert_eq!(writes(&t), 0);
}

#[test]
fn writing_beyond_the_end_of_the_disc_is_refused() {
    if !have("cdrdao") {
        return;
    }
    // A CD-R whose last possible lead-out is LBA 1000; the layout needs 1650.
    let atip = AtipInfo {
        lead_in_start: -11634,
        last_possible_lead_out: 1000,
        cd_rw: false,
        sub_type: 0,
        uru: true,
    };
    let emu = Emulator::new(
        DriveProfile::from_name_or_file("default").unwrap(),
        Media::blank("tiny", atip),
    );
    let d = Drive::start(emu);
    let cue = d.layout("03-isrc-catalog.cue");
    // --overburn: cdrdao's own capacity check is skipped, the drive decides.
    let out = d.run(
        "cdrdao",
        &[
            "write",
            "-n",
            "--overburn",
            "--device",
            "/dev/sr9",
            "--driver",
            "generic-mmc-raw",
            cue.to_str().unwrap(),
        ],
    );
    let (_, t) = d.finish();
    // cdrdao reports the failure but exits 0: the refused WRITE is in the
    // host-written lead-out, whose errors cdrdao 1.2.4 does not propagate to
    // its exit status.
    assert!(text(&out).contains("ERROR: Write data failed"));
    let refused: Vec<&String> = t
        .iter()
        .filter(|l| l.starts_with("2a ") && l.contains("CHECK CONDITION"))
        .collect();
    assert!(!refused.is_empty(), "a WRITE(10) is refused");
    // The emulator lets the program area run past the last possible
    // lead-out start (overburning, as real drives do) and refuses the WRITE
    // that crosses the physical end, last possible lead-out + 6750 sectors:
    // lba 7725 + 27 > 7750.
    assert!(
        refused[0].starts_with("2a 00 00 00 1e 2d ")
            && refused[0].contains("5/21/00 LOGICAL BLOCK ADDRESS OUT OF RANGE"),
        "{}",
        refused[0]
    );
}
