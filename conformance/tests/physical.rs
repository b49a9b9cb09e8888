//! The conformance side of a physical recorder. The `#[ignore]`d tests run
//! only when `RAWCD_DEVICE` names a drive (otherwise they print why they
//! skipped) and are non-destructive: a profile capture (INQUIRY, GET
//! CONFIGURATION, pages 2Ah/05h — restored —, GET PERFORMANCE, trial MODE
//! SELECT) that must replay on the emulator as itself, and the suite's
//! non-destructive scenarios on the drive.
//!
//! ```text
//! RAWCD_DEVICE=/dev/sg1 cargo test -p rawcd-conformance --features sg -- --ignored
//! ```
//! (Burning scenarios need `rawcd conformance --device /dev/sg1 --allow-burn`
//! at a terminal: it asks for a blank disc before each.)
#![cfg(all(target_os = "linux", feature = "sg"))]

use std::path::Path;

use rawcd::transport::sys::PlatformTransport;
use rawcd_conformance::capture;
use rawcd_conformance::{Runner, Scenario, Target, Verdict};
use rawcd_emulator::{DriveProfile, Emulator, Media};

fn corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus")
}

/// The device named by `RAWCD_DEVICE`, or `None` (with a message).
fn device() -> Option<String> {
    match std::env::var("RAWCD_DEVICE") {
        Ok(d) if !d.trim().is_empty() => Some(d),
        _ => {
            eprintln!(
                "skipped: set RAWCD_DEVICE=/dev/sgN to run this test against a physical recorder"
            );
            None
        }
    }
}

#[test]
#[ignore = "needs a physical recorder: RAWCD_DEVICE=/dev/sgN"]
fn profile_capture_of_the_device_replays_as_itself() {
    let Some(dev) = device() else { return };
    let mut t = PlatformTransport::open(dev.as_str()).unwrap_or_else(|e| panic!("{dev}: {e}"));
    let c = capture::capture(&mut t, None, &dev).unwrap();
    drop(t);
    eprintln!("{}", serde_json::to_string_pretty(&c).unwrap());
    assert!(
        c.observed.page_05_restored || !c.observed.page_05,
        "{:?}",
        c.notes
    );
    let json = c.profile_json();
    let p = DriveProfile::from_json(&json, &dev).unwrap();
    assert_eq!(p, c.profile);
    // The captured profile on the emulator answers a capture as the drive did.
    let mut emu = Emulator::new(p.clone(), Media::builtin("cdr80").unwrap());
    let again = capture::capture(&mut emu, Some(&p.name), &dev).unwrap();
    let mut replayed = again.profile;
    replayed.description = p.description.clone();
    replayed.power_on_unit_attention = p.power_on_unit_attention;
    assert_eq!(replayed, p);
}

#[test]
#[ignore = "needs a physical recorder: RAWCD_DEVICE=/dev/sgN"]
fn non_destructive_scenarios_pass_on_the_device() {
    let Some(dev) = device() else { return };
    let scenarios = Scenario::load_dir(&corpus().join("scenarios")).unwrap();
    let runner = Runner::new(
        &corpus(),
        Target::Device {
            path: dev.clone(),
            allow_burn: false,
        },
    )
    .unwrap();
    let report = runner.run_all(&scenarios);
    eprintln!("{}", report.table());
    let failed: Vec<_> = report
        .results
        .iter()
        .filter(|r| r.verdict == Verdict::Fail)
        .map(|r| format!("{}: {}", r.name, r.reason.as_deref().unwrap_or("")))
        .collect();
    assert!(failed.is_empty(), "{dev}:\n{}", failed.join("\n"));
}

/// Without a drive: on a device target, scenarios that need the virtual
/// recorder, an emulated profile or a burn are skipped with their reason;
/// the rest fail naming the device that cannot be opened.
#[test]
fn device_target_skips_with_reasons_and_names_the_device() {
    let scenarios = Scenario::load_dir(&corpus().join("scenarios")).unwrap();
    let path = "/dev/rawcd-no-such-device";
    let runner = Runner::new(
        &corpus(),
        Target::Device {
            path: path.into(),
            allow_burn: false,
        },
    )
    .unwrap();
    let report = runner.run_all(&scenarios);
    for (s, r) in scenarios.iter().zip(&report.results) {
        let reason = r.reason.as_deref().unwrap_or("");
        if !s.drive_faults.is_empty() {
            assert_eq!(r.verdict, Verdict::Skip, "{}", s.name);
            assert!(reason.contains("virtual recorder"), "{}: {reason}", s.name);
        } else if s.profile != "default" && s.media == "cdr80" {
            assert_eq!(r.verdict, Verdict::Skip, "{}", s.name);
            assert!(
                reason.contains("emulated drive profile"),
                "{}: {reason}",
                s.name
            );
        } else if s.destructive && matches!(s.media.as_str(), "cdr80" | "cdr74") {
            assert_eq!(r.verdict, Verdict::Skip, "{}", s.name);
            assert!(reason.contains("--allow-burn"), "{}: {reason}", s.name);
        } else if matches!(s.media.as_str(), "cdr80" | "cdr74") {
            assert!(
                matches!(r.verdict, Verdict::Fail | Verdict::KnownFailure),
                "{}: {:?}",
                s.name,
                r.verdict
            );
            assert!(reason.contains(path), "{}: {reason}", s.name);
        }
    }
}
