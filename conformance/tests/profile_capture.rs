//! Drive profile capture on the virtual recorder: capturing each built-in
//! profile gives back the original in every observable field; a burn and a
//! conformance subset on the captured profile behave as on the original;
//! `rawcd profile capture` works end to end; and a trace recorded on the
//! emulator replays through `rawcd::transport::Replay` with the identical
//! command sequence and outcome.
//!
//! Fields a capture cannot observe (no burn happens), and how they are
//! filled (see `rawcd_conformance::capture`):
//! - `name`, `description`: from `--name` / the INQUIRY strings;
//! - `tur_good_while_finishing`: `false`; `finish_polls`: 3 (they show only
//!   while a session closes);
//! - without GET CONFIGURATION (MMC-2): `profiles` derived from the page 2Ah
//!   write bits, `max_cue_sheet_length` = 4096.

use std::collections::BTreeSet;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::Duration;

use rawcd::image::{ImageType, RawCdImageCreator, ResultImage};
use rawcd::mmc::{Command, ModeSense10, PageControl};
use rawcd::sector::SectorType;
use rawcd::transport::{
    CommandOutcome, DataPhase, Replay, TraceRecord, Tracer, Transport, TransportError, TransportExt,
};
use rawcd::writer::{DiscFormat2RawCd, FnClock};
use rawcd_conformance::capture::{self, Capture};
use rawcd_conformance::{Runner, Scenario, Target, Verdict};
use rawcd_emulator::{DriveProfile, Emulator, Media, BUILTIN_PROFILES};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus")
}

fn capture_of(profile: DriveProfile, media: &str) -> Capture {
    let mut emu = Emulator::new(profile, Media::builtin(media).unwrap());
    capture::capture(&mut emu, None, "test").unwrap()
}

/// The captured profile with every unobserved field (and the name and
/// description) taken from the original.
fn with_unobserved_from(c: &Capture, original: &DriveProfile) -> DriveProfile {
    let mut p = c.profile.clone();
    p.name = original.name.clone();
    p.description = original.description.clone();
    for u in &c.unobserved {
        match u.field {
            "tur_good_while_finishing" => {
                p.tur_good_while_finishing = original.tur_good_while_finishing
            }
            "finish_polls" => p.finish_polls = original.finish_polls,
            "profiles" => p.profiles = original.profiles.clone(),
            "max_cue_sheet_length" => p.max_cue_sheet_length = original.max_cue_sheet_length,
            other => panic!("unexpected unobserved field {other}"),
        }
    }
    p
}

#[test]
fn capturing_each_builtin_profile_gives_back_the_original() {
    for name in BUILTIN_PROFILES {
        let original = DriveProfile::builtin(name).unwrap();
        for media in ["cdr80", "cdrw", "none"] {
            let c = capture_of(original.clone(), media);
            assert_eq!(
                with_unobserved_from(&c, &original),
                original,
                "{name} with {media}"
            );
            let fields: BTreeSet<&str> = c.unobserved.iter().map(|u| u.field).collect();
            let mut want: BTreeSet<&str> = ["tur_good_while_finishing", "finish_polls"].into();
            if !original.get_configuration {
                want.extend(["profiles", "max_cue_sheet_length"]);
            }
            assert_eq!(fields, want, "{name}: unobserved fields");
            // Derived, not copied: the MMC-2 profile list comes out right too.
            assert_eq!(c.profile.profiles, original.profiles, "{name}");
            assert!(c.notes.is_empty(), "{name}: {:?}", c.notes);
            assert!(c.observed.page_05_restored, "{name}");
            assert!(c.profile.description.contains("not observed"));
        }
    }
}

#[test]
fn power_on_unit_attention_is_observed() {
    let mut p = DriveProfile::builtin("no-buf").unwrap();
    p.power_on_unit_attention = true;
    let c = capture_of(p.clone(), "cdr80");
    assert!(c.profile.power_on_unit_attention);
    assert_eq!(with_unobserved_from(&c, &p), p);
}

fn page_05(t: &mut impl Transport) -> Vec<u8> {
    let cmd = Command::ModeSense10(ModeSense10 {
        dbd: false,
        page_control: PageControl::Current,
        page_code: 0x05,
        subpage_code: 0,
        allocation_length: 0x60,
    });
    let (o, b) = t.command_in(&cmd, 0x60).unwrap();
    assert!(o.is_good());
    b
}

#[test]
fn capture_leaves_page_05_as_it_found_it() {
    for name in BUILTIN_PROFILES {
        let mut emu = Emulator::builtin(name, "cdr80").unwrap();
        let before = page_05(&mut emu);
        let c = capture::capture(&mut emu, Some("x"), "test").unwrap();
        assert!(c.observed.trials >= 41, "{name}: {}", c.observed.trials);
        assert_eq!(page_05(&mut emu), before, "{name}");
        assert_eq!(c.profile.name, "x");
    }
}

/// A transport that answers every command with CHECK CONDITION or garbage:
/// the capture fails with an error, never a panic.
struct Hostile(u64);

impl Transport for Hostile {
    fn execute(
        &mut self,
        _cdb: &[u8],
        mut data: DataPhase<'_>,
        _t: Duration,
    ) -> Result<CommandOutcome, TransportError> {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let r = self.0 >> 33;
        if let Some(b) = data.data_in() {
            for (i, x) in b.iter_mut().enumerate() {
                *x = (r as usize).wrapping_mul(i + 7) as u8 ^ (r >> 8) as u8;
            }
        }
        Ok(match r % 5 {
            0 => CommandOutcome::check_condition(rawcd::mmc::Sense::INVALID_FIELD_IN_CDB),
            1 => CommandOutcome::busy(),
            _ => CommandOutcome::good((r % 64) as usize),
        })
    }
}

#[test]
fn capture_never_panics_on_hostile_answers() {
    for seed in 0..300 {
        let _ = capture::capture(&mut Hostile(seed), None, "hostile");
    }
}

// ----- burn and conformance on captured profiles -----

const SUBSET: &[&str] = &[
    "raw-audio-single",
    "pq-audio-single",
    "simulate",
    "buf-disabled",
    "speed-4x",
    "not-blank",
    "data-block-type-not-supported",
];

#[test]
fn conformance_subset_on_captured_profiles_matches_the_originals() {
    let dir = tempfile::tempdir().unwrap();
    let scenarios: Vec<Scenario> = Scenario::load_dir(&corpus().join("scenarios"))
        .unwrap()
        .into_iter()
        .filter(|s| SUBSET.contains(&s.name.as_str()))
        .collect();
    assert_eq!(scenarios.len(), SUBSET.len());
    for name in BUILTIN_PROFILES {
        let original = DriveProfile::builtin(name).unwrap();
        let c = capture_of(original.clone(), "cdr80");
        let orig_path = dir.path().join(format!("orig-{name}.json"));
        let cap_path = dir.path().join(format!("cap-{name}.json"));
        std::fs::write(&orig_path, serde_json::to_string(&original).unwrap()).unwrap();
        std::fs::write(&cap_path, c.profile_json()).unwrap();
        let run = |p: &Path| {
            Runner::new(
                &corpus(),
                Target::Emulated {
                    profile: Some(p.to_string_lossy().into_owned()),
                },
            )
            .unwrap()
            .run_all(&scenarios)
        };
        let (want, got) = (run(&orig_path), run(&cap_path));
        let all_observed = original.tur_good_while_finishing == c.profile.tur_good_while_finishing
            && original.finish_polls == c.profile.finish_polls
            && original.max_cue_sheet_length == c.profile.max_cue_sheet_length;
        for (w, g) in want.results.iter().zip(&got.results) {
            assert_eq!(
                (w.verdict, &w.hresult),
                (g.verdict, &g.hresult),
                "{name}: {} ({:?} / {:?})",
                w.name,
                w.reason,
                g.reason
            );
            if all_observed {
                assert_eq!(w.transcript, g.transcript, "{name}: {}", w.name);
            }
        }
        let raw = got.results.iter().find(|r| r.name == "raw-audio-single");
        if original.accepts(3, 3) {
            assert_eq!(raw.map(|r| r.verdict), Some(Verdict::Pass), "{name}");
        }
    }
}

fn rawcd(args: &[&str]) -> std::process::Output {
    Process::new(env!("CARGO_BIN_EXE_rawcd"))
        .args(args)
        .output()
        .unwrap()
}

/// A one-track audio layout (300 sectors) with its source in `dir`.
fn small_layout(dir: &Path) -> PathBuf {
    let audio: Vec<u8> = (0..300 * 2352u32).map(|i| (i * 7 + 1) as u8).collect();
    std::fs::write(dir.join("a.bin"), audio).unwrap();
    let layout = dir.join("small.json");
    std::fs::write(
        &layout,
        r#"{ "tracks": [ { "type": "audio", "file": "a.bin" } ] }"#,
    )
    .unwrap();
    layout
}

#[test]
fn cli_capture_then_burn_and_conformance_on_the_file() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["default", "mmc2-old"] {
        let out = dir.path().join(format!("{name}-captured.json"));
        let o = rawcd(&[
            "profile",
            "capture",
            "--emulate",
            name,
            "-o",
            out.to_str().unwrap(),
            "--name",
            &format!("{name}-captured"),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains("trial MODE SELECTs"), "{text}");
        assert!(text.contains("not observed: finish_polls"), "{text}");
        let p = DriveProfile::from_file(&out).unwrap();
        assert_eq!(p.name, format!("{name}-captured"));

        let layout = small_layout(dir.path());
        let o = rawcd(&[
            "burn",
            layout.to_str().unwrap(),
            "--emulate",
            out.to_str().unwrap(),
            "--type",
            "raw",
            "--json",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

        let o = rawcd(&[
            "conformance",
            "--emulate",
            out.to_str().unwrap(),
            "--filter",
            "raw-audio-single",
        ]);
        assert!(
            o.status.success(),
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // --json prints the whole capture.
    let out = dir.path().join("j.json");
    let o = rawcd(&[
        "profile",
        "capture",
        "--emulate",
        "sao-only",
        "-o",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["profile"]["raw_test_write"], false);
    assert_eq!(v["observed"]["page_05_restored"], true);
    assert_eq!(v["profile"]["name"], "rawcd-virtual-sao-only");
    // Neither --device nor --emulate: usage error.
    let o = rawcd(&["profile", "capture", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}

// ----- traces -----

/// Deterministic audio.
struct Pattern {
    len: u64,
    pos: u64,
}

impl Read for Pattern {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (self.len - self.pos).min(buf.len() as u64) as usize;
        for (k, b) in buf[..n].iter_mut().enumerate() {
            *b = ((self.pos + k as u64) * 7 + 1) as u8;
        }
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Pattern {
    fn seek(&mut self, p: SeekFrom) -> io::Result<u64> {
        self.pos = match p {
            SeekFrom::Start(x) => x,
            SeekFrom::End(x) => (self.len as i64 + x) as u64,
            SeekFrom::Current(x) => (self.pos as i64 + x) as u64,
        };
        Ok(self.pos)
    }
}

fn image() -> ResultImage {
    let mut c = RawCdImageCreator::new();
    c.set_resulting_image_type(ImageType::Raw).unwrap();
    c.add_track(
        SectorType::Audio,
        Pattern {
            len: 600 * 2352,
            pos: 0,
        },
    )
    .unwrap();
    c.create_result_image().unwrap()
}

/// Burns `img` as `rawcd burn` does: prepare, sector type, WriteMedia2
/// from the image's first LBA, release.
fn burn_with<T: Transport + Send + 'static>(
    w: &mut DiscFormat2RawCd<T>,
    mut img: ResultImage,
) -> Result<(), u32> {
    let ty = img.image_type();
    let lead_in = -img.first_lba();
    let r = (|| {
        w.set_client_name("rawcd")?;
        w.set_test_write(false);
        w.prepare_media()?;
        w.set_requested_sector_type(ty)?;
        w.write_media2(&mut img, lead_in)
    })();
    let rel = if w.is_prepared() {
        w.release_media()
    } else {
        Ok(())
    };
    r.and(rel).map_err(|e| e.hresult())
}

/// The image `rawcd burn LAYOUT` streams.
fn layout_image(layout: &Path) -> ResultImage {
    let loaded = rawcd::formats::load(layout).unwrap();
    let ty = loaded.image_type.unwrap_or_default();
    let plan = loaded.layout.plan().unwrap();
    let sources = loaded
        .layout
        .sources
        .iter()
        .map(|s| {
            let f = std::fs::File::open(&s.name).unwrap();
            let stream: rawcd::image::SourceStream = Box::new(io::BufReader::new(f));
            (s.name.clone(), stream)
        })
        .collect();
    ResultImage::new(plan, ty, sources)
}

/// `Replay` with a clock the trace drives: the writer's only time-dependent
/// command is READ BUFFER CAPACITY (sent when an event is due), so time
/// jumps a day whenever that is the next recorded command and stands still
/// otherwise. Traces carry no timestamps; this reproduces the recorded
/// decisions whatever clock the recording used.
struct TimedReplay {
    replay: Replay,
    opcodes: Vec<u8>,
    next: usize,
    now: Duration,
}

impl TimedReplay {
    fn new(jsonl: &str) -> TimedReplay {
        let opcodes = jsonl
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let r: TraceRecord = serde_json::from_str(l).unwrap();
                rawcd::transport::unhex(&r.cdb).unwrap()[0]
            })
            .collect();
        TimedReplay {
            replay: Replay::from_jsonl(jsonl).unwrap(),
            opcodes,
            next: 0,
            now: Duration::ZERO,
        }
    }

    fn now(&mut self) -> Duration {
        if self.opcodes.get(self.next) == Some(&0x5c) {
            self.now += Duration::from_secs(86_400);
        }
        self.now
    }
}

impl Transport for TimedReplay {
    fn execute(
        &mut self,
        cdb: &[u8],
        data: DataPhase<'_>,
        timeout: Duration,
    ) -> Result<CommandOutcome, TransportError> {
        self.next += 1;
        self.replay.execute(cdb, data, timeout)
    }
}

fn replay_and_compare(jsonl: &str, img: ResultImage, recorded: Result<(), u32>) {
    let records = jsonl.lines().filter(|l| !l.trim().is_empty()).count();
    let tracer = Tracer::new(TimedReplay::new(jsonl), Vec::new());
    let mut w = DiscFormat2RawCd::empty();
    w.set_clock(FnClock::new(
        |t: &mut Tracer<TimedReplay, Vec<u8>>| t.get_mut().now(),
        |t: &mut Tracer<TimedReplay, Vec<u8>>, d| t.get_mut().now += d,
    ));
    let replayed = w
        .set_recorder(tracer)
        .map_err(|e| e.hresult())
        .and_then(|_| burn_with(&mut w, img));
    let t = w.take_recorder().unwrap();
    assert_eq!(replayed, recorded);
    assert_eq!(t.get_ref().replay.remaining(), 0);
    assert_eq!(t.transcript_lines().len(), records);
    // The replayed exchanges equal the recorded ones.
    let (_, sink) = t.into_inner();
    let again = String::from_utf8(sink).unwrap();
    let strip = |s: &str| -> Vec<String> {
        s.lines()
            .map(|l| {
                let r: TraceRecord = serde_json::from_str(l).unwrap();
                format!("{} {:?} {:?}", r.cdb, r.outcome, r.error)
            })
            .collect()
    };
    assert_eq!(strip(&again), strip(jsonl));
}

#[test]
fn trace_recorded_on_the_emulator_replays_with_identical_outcome() {
    for (profile, media) in [
        ("default", "cdr80"),
        ("no-buf", "cdr74"),
        ("default", "cdrom"),
    ] {
        let emu = Emulator::builtin(profile, media).unwrap();
        let tracer = Tracer::new(emu, Vec::new()).with_record_data(true);
        // As `rawcd burn` does: an empty writer, then put_Recorder.
        let mut w = DiscFormat2RawCd::empty();
        // The clock `rawcd burn --emulate` uses: the emulator's virtual time.
        w.set_clock(FnClock::new(
            |t: &mut Tracer<Emulator, Vec<u8>>| Duration::from_micros(t.get_ref().clock().now_us()),
            |t: &mut Tracer<Emulator, Vec<u8>>, d| t.get_mut().advance_time(d),
        ));
        let recorded = w
            .set_recorder(tracer)
            .map_err(|e| e.hresult())
            .and_then(|_| burn_with(&mut w, image()));
        if media == "cdrom" {
            assert!(recorded.is_err());
        } else {
            assert_eq!(recorded, Ok(()), "{profile}");
        }
        let (_, sink) = w.take_recorder().unwrap().into_inner();
        replay_and_compare(&String::from_utf8(sink).unwrap(), image(), recorded);
    }
}

/// The same through the command line: `rawcd burn --trace FILE` on the
/// emulator, then the burn replayed from FILE.
#[test]
fn cli_burn_trace_replays_with_identical_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let layout = small_layout(dir.path());
    let trace = dir.path().join("burn.jsonl");
    let o = rawcd(&[
        "burn",
        layout.to_str().unwrap(),
        "--emulate",
        "default",
        "--json",
        "--trace",
        trace.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let jsonl = std::fs::read_to_string(&trace).unwrap();
    replay_and_compare(&jsonl, layout_image(&layout), Ok(()));
}
