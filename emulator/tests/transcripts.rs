//! Insta snapshots of a `Tracer` transcript for a full raw burn (a small
//! creator image, DBT 3 from the lead-in start) and a full SAO burn (the
//! wodim cue sheet of real-clients.md §3c), each followed by the read-back
//! a verifier does. Runs of WRITE lines are condensed to the first and the
//! last WRITE of the run and a count, so the snapshots stay short.

mod common;

use common::{hex, image, Pattern, T};
use rawcd::image::ImageType;
use rawcd::transport::{CommandOutcome, DataPhase, Tracer, Transport};
use rawcd_emulator::{DiscState, Emulator};
use std::io::Read;

fn run(t: &mut impl Transport, cdb: &str) -> CommandOutcome {
    t.execute(&hex(cdb), DataPhase::None, T).unwrap()
}

fn run_in(t: &mut impl Transport, cdb: &str, len: usize) -> (CommandOutcome, Vec<u8>) {
    let mut buf = vec![0u8; len];
    let o = t.execute(&hex(cdb), DataPhase::In(&mut buf), T).unwrap();
    (o, buf)
}

fn run_out(t: &mut impl Transport, cdb: &[u8], data: &[u8]) -> CommandOutcome {
    t.execute(cdb, DataPhase::Out(data), T).unwrap()
}

fn write10(t: &mut impl Transport, lba: i32, blocks: usize, data: &[u8]) -> CommandOutcome {
    let l = lba.to_be_bytes();
    let cdb = [0x2a, 0, l[0], l[1], l[2], l[3], 0, 0, blocks as u8, 0];
    run_out(t, &cdb, data)
}

/// MODE SELECT(10) page 05 as the traces send it (60 bytes).
fn page05(t: &mut impl Transport, wt: u8, dbt: u8) -> CommandOutcome {
    let mut list = vec![0u8; 60];
    list[8..13].copy_from_slice(&[0x05, 0x32, wt, 0, dbt]);
    list[8 + 15] = 150;
    run_out(t, &hex("55 10 00 00 00 00 00 00 3c 00"), &list)
}

/// The probe a burner sends before writing (real-clients.md §3a–3d).
fn probe(t: &mut impl Transport) {
    run_in(t, "12 00 00 00 24 00", 36);
    run_in(t, "46 00 00 00 00 00 00 00 08 00", 8);
    run_in(t, "5a 00 2a 00 00 00 00 00 40 00", 64);
    run_in(t, "51 00 00 00 00 00 00 00 22 00", 34);
    run_in(t, "43 00 04 00 00 00 00 00 1c 00", 28);
    run(t, "1e 00 00 00 01 00");
    run(t, "bb 00 ff ff ff ff 00 00 00 00 00 00");
}

/// SYNCHRONIZE CACHE IMMED, TUR until ready, then the verifier's reads.
fn finish_and_verify(t: &mut impl Transport) {
    run(t, "35 02 00 00 00 00 00 00 00 00");
    for _ in 0..10 {
        if run(t, "00 00 00 00 00 00").is_good() {
            break;
        }
    }
    run_in(t, "51 00 00 00 00 00 00 00 22 00", 34);
    run_in(t, "25 00 00 00 00 00 00 00 00 00", 8);
    run_in(t, "43 00 00 00 00 00 00 03 24 00", 804);
    run_in(t, "43 02 02 00 00 00 00 03 24 00", 804);
    run_in(t, "52 01 00 00 00 01 00 00 24 00", 36);
    run_in(t, "be 00 00 00 00 00 00 00 01 f8 01 00", 2448);
    run(t, "1e 00 00 00 00 00");
}

/// Folds each run of WRITE lines into its first and last line and a count.
fn condense(lines: &[String]) -> String {
    let is_write =
        |l: &str| l.get(5..).is_some_and(|c| c.starts_with("WRITE(")) && l.ends_with("GOOD");
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        while j < lines.len() && is_write(&lines[j]) {
            j += 1;
        }
        if j - i > 2 {
            out.push(lines[i].clone());
            out.push(format!("     … {} WRITE commands …", j - i - 2));
            out.push(lines[j - 1].clone());
            i = j;
        } else {
            out.push(lines[i].clone());
            i += 1;
        }
    }
    out.join("\n")
}

#[test]
fn raw_burn_transcript() {
    let (mut img, _) = image(ImageType::Raw, [300, 300]);
    let e = Emulator::builtin("default", "cdr80").unwrap();
    let mut t = Tracer::new(e, std::io::sink());
    probe(&mut t);
    assert!(page05(&mut t, 3, 3).is_good());
    run(&mut t, "54 01 00 00 00 00 00 00 00 00");
    let (o, ti) = run_in(&mut t, "52 01 00 00 00 ff 00 00 1c 00", 28);
    assert!(o.is_good());
    let mut lba = i32::from_be_bytes(ti[12..16].try_into().unwrap());
    let end = img.first_lba() + img.sector_count() as i32;
    let mut buf = vec![0u8; 26 * 2448];
    while lba < end {
        let n = ((end - lba) as usize).min(26);
        for i in 0..n {
            img.sector_at(lba + i as i32, &mut buf[i * 2448..(i + 1) * 2448])
                .unwrap();
        }
        assert!(write10(&mut t, lba, n, &buf[..n * 2448]).is_good());
        lba += n as i32;
    }
    finish_and_verify(&mut t);
    assert_eq!(t.get_ref().media().state(), DiscState::Complete);
    assert_eq!(t.get_ref().findings(), &[]);
    insta::assert_snapshot!("raw_burn", condense(t.transcript_lines()));
}

#[test]
fn sao_burn_transcript() {
    let e = Emulator::builtin("default", "cdr80").unwrap();
    let mut t = Tracer::new(e, std::io::sink());
    probe(&mut t);
    assert!(page05(&mut t, 2, 0).is_good());
    run(&mut t, "54 01 00 00 00 00 00 00 00 00");
    // wodim -dao cuefile=audio.cue (real-clients.md §3c), 48 bytes.
    let cue = hex(
        "01 00 00 01 00 00 00 00  01 01 00 00 00 00 00 00  01 01 01 00 00 00 02 00
         01 02 00 00 00 00 06 00  01 02 01 00 00 00 07 00  01 aa 01 01 00 00 0d 00",
    );
    assert!(run_out(&mut t, &hex("5d 00 00 00 00 00 00 00 30 00"), &cue).is_good());
    let (o, ti) = run_in(&mut t, "52 01 00 00 00 ff 00 00 1c 00", 28);
    assert!(o.is_good());
    let mut lba = i32::from_be_bytes(ti[12..16].try_into().unwrap());
    assert_eq!(lba, -150);
    let mut audio = Pattern::new(975, 7);
    let mut buf = vec![0u8; 27 * 2352];
    while lba < 825 {
        let n = ((825 - lba) as usize).min(27);
        audio.read_exact(&mut buf[..n * 2352]).unwrap();
        assert!(write10(&mut t, lba, n, &buf[..n * 2352]).is_good());
        lba += n as i32;
    }
    finish_and_verify(&mut t);
    assert_eq!(t.get_ref().media().state(), DiscState::Complete);
    insta::assert_snapshot!("sao_burn", condense(t.transcript_lines()));
}

#[test]
fn condense_keeps_first_last_and_counts() {
    let l = |s: &str| s.to_string();
    let lines = [
        l("0001 INQUIRY                                  GOOD"),
        l("0002 WRITE(10) lba=0 blocks=1                 GOOD"),
        l("0003 WRITE(10) lba=1 blocks=1                 GOOD"),
        l("0004 WRITE(10) lba=2 blocks=1                 GOOD"),
        l("0005 WRITE(10) lba=3 blocks=1                 GOOD"),
        l("0006 WRITE(10) lba=9 blocks=1                 CHECK CONDITION 5/21/02"),
    ];
    let c = condense(&lines);
    assert_eq!(c.lines().count(), 5);
    assert!(c.contains("… 2 WRITE commands …"));
    assert!(c.ends_with("5/21/02"));
}
