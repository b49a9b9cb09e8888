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
