//! Harness for the third-party burner tests: an emulator server on a
//! temporary socket (in a thread), the LD_PRELOAD shim written next to it,
//! a program run against `/dev/sg9`, `/dev/sr9`, `/dev/scd9`, and read-back
//! of the burned disc through the emulator's `Transport`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::thread::JoinHandle;
use std::time::Duration;

use rawcd::transport::{DataPhase, Transport};
use rawcd_emulator::server::{Server, ServerConfig, ServerHandle};
use rawcd_emulator::{wire, Emulator};

pub mod compare;

#[path = "../../../tests/common/mod.rs"]
pub mod corpus;

/// Whether `program` is on PATH; prints a skip note when it is not.
pub fn have(program: &str) -> bool {
    let found = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
        .unwrap_or(false);
    if !found {
        eprintln!("SKIPPED: {program} is not installed (Debian package; .ci/run installs it)");
    }
    found
}

/// A running emulated drive with a work directory holding the corpus sources.
pub struct Drive {
    pub dir: tempfile::TempDir,
    shim: PathBuf,
    socket: PathBuf,
    root: PathBuf,
    handle: ServerHandle,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

impl Drive {
    /// Serves `emu`; the work directory gets the corpus source files.
    pub fn start(emu: Emulator) -> Drive {
        let dir = tempfile::tempdir().unwrap();
        corpus::write_sources(dir.path());
        let shim = rawcd_shim::install(dir.path()).unwrap();
        let socket = dir.path().join("drive.sock");
        let root = dir.path().join("root");
        let config = ServerConfig {
            socket: socket.clone(),
            sysroot: Some(root.clone()),
            trace: Some(dir.path().join("trace.txt")),
            devnum: wire::DEFAULT_DEVNUM,
        };
        let server = Server::bind(emu, config).unwrap();
        let handle = server.handle();
        let thread = Some(std::thread::spawn(move || server.serve()));
        Drive {
            dir,
            shim,
            socket,
            root,
            handle,
            thread,
        }
    }

    /// A blank 80-minute CD-R in the default recorder.
    pub fn blank() -> Drive {
        Drive::start(Emulator::builtin("default", "cdr80").unwrap())
    }

    /// Path inside the work directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Copies a corpus layout into the work directory.
    pub fn layout(&self, name: &str) -> PathBuf {
        let to = self.path(name);
        std::fs::copy(corpus::corpus().join("layouts").join(name), &to).unwrap();
        to
    }

    /// Runs `program args…` (in the work directory) against the drive.
    pub fn run(&self, program: &str, args: &[&str]) -> Output {
        let mut cmd = Command::new(program);
        cmd.args(args)
            .current_dir(self.dir.path())
            .env("LD_PRELOAD", &self.shim)
            .env(wire::ENV_SOCKET, &self.socket)
            .env(wire::ENV_SYSROOT, &self.root)
            .env(wire::ENV_DEVNUM, wire::DEFAULT_DEVNUM.to_string())
            .stdin(std::process::Stdio::null());
        let out = cmd.output().expect("run the program");
        eprintln!(
            "== {program} {args:?} -> {:?}\n-- stdout:\n{}\n-- stderr:\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            tail(&String::from_utf8_lossy(&out.stderr), 40)
        );
        out
    }

    /// The raw transcript so far.
    pub fn transcript(&self) -> Vec<String> {
        self.handle.transcript()
    }

    /// Stops the server and returns the emulator and the transcript.
    pub fn finish(mut self) -> (Emulator, Vec<String>) {
        self.stop()
    }

    /// Like [`Drive::finish`], keeping the work directory until the `Drive`
    /// is dropped.
    pub fn stop(&mut self) -> (Emulator, Vec<String>) {
        let transcript = self.handle.transcript();
        let emu = self.handle.shutdown().expect("emulator still there");
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        (emu, transcript)
    }
}

fn tail(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    let from = lines.len().saturating_sub(n);
    lines[from..].join("\n")
}

/// Output text (stdout + stderr).
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

const T: Duration = Duration::from_secs(30);

/// (track number, start LBA) of READ TOC format 0, lead-out as 0xAA.
pub fn read_toc(emu: &mut Emulator) -> Vec<(u8, i32)> {
    let mut buf = vec![0u8; 804];
    let cdb = [0x43, 0, 0, 0, 0, 0, 0, 0x03, 0x24, 0];
    let o = emu.execute(&cdb, DataPhase::In(&mut buf), T).unwrap();
    assert!(o.is_good(), "READ TOC: {o:?}");
    let len = usize::from(u16::from_be_bytes([buf[0], buf[1]])) + 2;
    buf[4..len.min(buf.len())]
        .chunks_exact(8)
        .map(|d| (d[2], i32::from_be_bytes([d[4], d[5], d[6], d[7]])))
        .collect()
}

/// User data (2352 bytes each) of `n` sectors from `lba` via READ CD.
pub fn read_cd(emu: &mut Emulator, lba: i32, n: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(n as usize * 2352);
    let mut at = lba;
    let mut left = n;
    while left > 0 {
        let k = left.min(27);
        let mut buf = vec![0u8; k as usize * 2352];
        let l = at.to_be_bytes();
        let cdb = [
            0xbe,
            0,
            l[0],
            l[1],
            l[2],
            l[3],
            (k >> 16) as u8,
            (k >> 8) as u8,
            k as u8,
            0x10,
            0,
            0,
        ];
        let o = emu.execute(&cdb, DataPhase::In(&mut buf), T).unwrap();
        assert!(o.is_good(), "READ CD lba {at} n {k}: {o:?}");
        out.extend_from_slice(&buf);
        at += k as i32;
        left -= k;
    }
    out
}

/// Swaps the bytes of every 16-bit sample (big-endian raw audio files as
/// cdrdao and wodim read them, versus little-endian CD-DA on the disc).
pub fn swab(b: &[u8]) -> Vec<u8> {
    b.chunks(2)
        .flat_map(|c| {
            if c.len() == 2 {
                vec![c[1], c[0]]
            } else {
                c.to_vec()
            }
        })
        .collect()
}

/// Asserts that the disc holds `expected` audio from `lba`.
pub fn assert_audio(emu: &mut Emulator, lba: i32, expected: &[u8], what: &str) {
    assert_eq!(expected.len() % 2352, 0);
    let got = read_cd(emu, lba, (expected.len() / 2352) as u32);
    if got != expected {
        let first = got
            .iter()
            .zip(expected)
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{what}: audio differs from LBA {lba}, first at sector {} byte {}",
            first / 2352,
            first % 2352
        );
    }
}

/// Reads a source file from the work directory.
pub fn source(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap()
}

/// The condensed transcript for snapshots: TEST UNIT READY and READ BUFFER
/// CAPACITY (polled at timing-dependent points) are dropped, runs of
/// WRITE(10) become one line with the LBA range, and identical consecutive
/// lines are folded into `(xN)`.
pub fn condense(lines: &[String]) -> String {
    let mut out: Vec<(String, usize)> = Vec::new();
    let mut writes: Option<(i64, i64, usize, String)> = None;
    let flush = |w: &mut Option<(i64, i64, usize, String)>, out: &mut Vec<(String, usize)>| {
        if let Some((first, end, n, res)) = w.take() {
            out.push((format!("WRITE(10) x{n} lba {first}..{end} -> {res}"), 1));
        }
    };
    for l in lines {
        if l.starts_with("00 ") || l.starts_with("5c ") {
            continue;
        }
        if l.starts_with("2a ") {
            let b: Vec<u8> = l
                .split(' ')
                .take(10)
                .map(|h| u8::from_str_radix(h, 16).unwrap_or(0))
                .collect();
            let lba = i64::from(i32::from_be_bytes([b[2], b[3], b[4], b[5]]));
            let n = i64::from(u16::from_be_bytes([b[7], b[8]]));
            let res = l.rsplit(" -> ").next().unwrap_or("").to_string();
            match &mut writes {
                Some((_, end, count, r)) if *end == lba && *r == res => {
                    *end = lba + n;
                    *count += 1;
                }
                _ => {
                    flush(&mut writes, &mut out);
                    writes = Some((lba, lba + n, 1, res));
                }
            }
            continue;
        }
        flush(&mut writes, &mut out);
        match out.last_mut() {
            Some((prev, n)) if prev == l => *n += 1,
            _ => out.push((l.clone(), 1)),
        }
    }
    flush(&mut writes, &mut out);
    let mut s = String::new();
    for (l, n) in out {
        s.push_str(&l);
        if n > 1 {
            s.push_str(&format!("   (x{n})"));
        }
        s.push('\n');
    }
    s
}

/// Raw P–W sub-channel (96 bytes each) of `n` sectors from `lba` via READ
/// CD with no main channel and sub-channel selection 001b.
pub fn read_sub(emu: &mut Emulator, lba: i32, n: u32) -> Vec<[u8; 96]> {
    let mut out = Vec::with_capacity(n as usize);
    let mut at = lba;
    let mut left = n;
    while left > 0 {
        let k = left.min(100);
        let mut buf = vec![0u8; k as usize * 96];
        let l = at.to_be_bytes();
        let cdb = [
            0xbe,
            0,
            l[0],
            l[1],
            l[2],
            l[3],
            (k >> 16) as u8,
            (k >> 8) as u8,
            k as u8,
            0x00,
            0x01,
            0,
        ];
        let o = emu.execute(&cdb, DataPhase::In(&mut buf), T).unwrap();
        assert!(o.is_good(), "READ CD sub 001b lba {at} n {k}: {o:?}");
        out.extend(
            buf.chunks_exact(96)
                .map(|c| <[u8; 96]>::try_from(c).unwrap()),
        );
        at += k as i32;
        left -= k;
    }
    out
}

/// What the Q channel of a burned disc's program area must say.
pub struct QLayout<'a> {
    /// `(track, index, first LBA)` of every index run from LBA −150, in order.
    pub marks: &'a [(u8, u8, i32)],
    /// Lead-out start.
    pub leadout: i32,
    /// Tracks whose CONTROL has the data bit.
    pub data_tracks: &'a [u8],
    /// The MCN, when one was given.
    pub mcn: Option<&'a str>,
    /// ISRCs per track.
    pub isrc: &'a [(u8, &'a str)],
}

/// Reads the Q channel of every program-area sector (LBA −150 up to the
/// lead-out) through READ CD sub-channel 001b and checks each frame: CRC,
/// ADR 1 frames name the expected track and index with the absolute time
/// of the sector and a relative time counting up from index 1 (or down to
/// it in index 0: to 00:00:01 as cdrdao/libburn, or to 00:00:00 as
/// cdrecord — one convention per disc), CONTROL's data bit as the track's;
/// ADR 2 frames carry the MCN, ADR 3 frames the ISRC of the track (or, in a
/// pregap, of the track before, whose file cdrecord is still reading).
/// Returns a one-line summary.
pub fn assert_q(emu: &mut Emulator, e: &QLayout<'_>) -> String {
    use rawcd::msf::Msf;
    use rawcd::subcode::pack::unraw96;
    use rawcd::subcode::QContent;

    let subs = read_sub(emu, -150, (e.leadout + 150) as u32);
    let index1 = |track: u8| {
        e.marks
            .iter()
            .find(|m| m.0 == track && m.1 == 1)
            .map(|m| m.2)
            .unwrap_or_else(|| panic!("track {track} has no index 1 mark"))
    };
    let isrc_of = |track: u8| e.isrc.iter().find(|i| i.0 == track).map(|i| i.1);
    let (mut pos, mut mcn, mut isrc) = (0u32, 0u32, 0u32);
    let mut pregap_convention: Option<i32> = None;
    for (k, sub) in subs.iter().enumerate() {
        let lba = k as i32 - 150;
        let m = e.marks.partition_point(|m| m.2 <= lba);
        assert!(m > 0, "LBA {lba} before the first mark");
        let (track, index, _) = e.marks[m - 1];
        let (_, q) = unraw96(sub);
        let content = q
            .decode()
            .unwrap_or_else(|err| panic!("LBA {lba}: Q does not decode: {err} {:02x?}", q.0));
        let data_bit = |control: u8| control & 0x4 != 0;
        match content {
            QContent::Position {
                control,
                track: t,
                index: i,
                relative,
                absolute,
            } => {
                pos += 1;
                assert_eq!(
                    (t, i),
                    (track, index),
                    "LBA {lba}: Q track/index {t}/{i}, expected {track}/{index}"
                );
                assert_eq!(
                    absolute.frames() as i32,
                    lba + 150,
                    "LBA {lba}: absolute time {absolute}"
                );
                assert_eq!(
                    data_bit(control),
                    e.data_tracks.contains(&track),
                    "LBA {lba}: CONTROL {control:x} of track {track}"
                );
                let start = index1(track);
                if index == 0 {
                    let off = (start - lba) - relative.frames() as i32;
                    assert!(
                        off == 0 || off == 1,
                        "LBA {lba}: index 0 relative time {relative}, index 1 at {start}"
                    );
                    match pregap_convention {
                        None => pregap_convention = Some(off),
                        Some(c) => assert_eq!(c, off, "LBA {lba}: pregap time convention changes"),
                    }
                } else {
                    assert_eq!(
                        Some(relative),
                        Msf::from_frames((lba - start) as u32),
                        "LBA {lba}: relative time in track {track} index {index}"
                    );
                }
            }
            QContent::Mcn { digits, aframe, .. } => {
                mcn += 1;
                let want = e
                    .mcn
                    .unwrap_or_else(|| panic!("LBA {lba}: MCN frame on a disc without MCN"));
                let got: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
                assert_eq!(got, want, "LBA {lba}: MCN");
                assert_eq!(
                    u32::from(aframe),
                    ((lba + 150) % 75) as u32,
                    "LBA {lba}: AFRAME"
                );
            }
            QContent::Isrc {
                isrc: code, aframe, ..
            } => {
                isrc += 1;
                let got = String::from_utf8_lossy(&code).to_string();
                let mine = isrc_of(track);
                let before = (index == 0 && track > 1)
                    .then(|| isrc_of(track - 1))
                    .flatten();
                assert!(
                    Some(got.as_str()) == mine || Some(got.as_str()) == before,
                    "LBA {lba}: ISRC {got} in track {track} index {index}"
                );
                assert_eq!(
                    u32::from(aframe),
                    ((lba + 150) % 75) as u32,
                    "LBA {lba}: AFRAME"
                );
            }
            other => panic!("LBA {lba}: unexpected Q {other}"),
        }
    }
    let convention = match pregap_convention {
        Some(0) => "index 0 counts down to 00:00:01",
        Some(_) => "index 0 counts down to 00:00:00",
        None => "no index 0",
    };
    format!(
        "Q of LBA -150..{}: {pos} position, {mcn} MCN, {isrc} ISRC frames; {convention}",
        e.leadout
    )
}

/// User data (2048 bytes each) of `n` sectors from `lba` via READ(10).
pub fn read10(emu: &mut Emulator, lba: i32, n: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(n as usize * 2048);
    let mut at = lba;
    let mut left = n;
    while left > 0 {
        let k = left.min(32);
        let mut buf = vec![0u8; k as usize * 2048];
        let l = at.to_be_bytes();
        let cdb = [
            0x28,
            0,
            l[0],
            l[1],
            l[2],
            l[3],
            0,
            (k >> 8) as u8,
            k as u8,
            0,
        ];
        let o = emu.execute(&cdb, DataPhase::In(&mut buf), T).unwrap();
        assert!(o.is_good(), "READ(10) lba {at} n {k}: {o:?}");
        out.extend_from_slice(&buf);
        at += k as i32;
        left -= k;
    }
    out
}

/// A rawcd image (raw P–W) of the layout file `path` (`.cue`, `.toc`,
/// `.json`), its sources opened beside it: what `rawcd create` writes.
pub fn rawcd_image(path: &Path) -> rawcd::image::ResultImage {
    use rawcd::image::{ImageType, ResultImage, SourceStream};
    let loaded = rawcd::formats::load(path).unwrap();
    let plan = loaded.layout.plan().unwrap();
    let sources: Vec<(String, SourceStream)> = loaded
        .layout
        .sources
        .iter()
        .map(|s| {
            let f = std::fs::File::open(&s.name).unwrap();
            let st: SourceStream = Box::new(std::io::BufReader::new(f));
            (s.name.clone(), st)
        })
        .collect();
    ResultImage::new(plan, ImageType::Raw, sources)
}

/// Burns `03-isrc-catalog.cue` with `cdrdao write --driver generic-mmc-raw`
/// on a blank 80-minute CD-R kept in `keep/burned.rcd`; returns the drive's
/// emulator after the burn and the disc file.
#[allow(dead_code)]
pub fn cdrdao_raw_disc(keep: &tempfile::TempDir) -> (Emulator, std::path::PathBuf) {
    let rcd = keep.path().join("burned.rcd");
    let d = Drive::start(
        Emulator::builtin("default", "cdr80")
            .unwrap()
            .with_disc_out(&rcd),
    );
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
    assert!(out.status.success(), "cdrdao write failed: {}", text(&out));
    let (emu, _) = d.finish();
    (emu, rcd)
}
