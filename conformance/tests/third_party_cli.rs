//! `rawcd emulator run -- PROGRAM…`: the shim is found from a clean build,
//! the drive answers, and the program's exit status is passed through.

mod third_party_common;

use std::process::Command;

use third_party_common::have;

fn rawcd() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rawcd"))
}

#[test]
fn run_passes_the_exit_status_through() {
    let st = rawcd()
        .args(["emulator", "run", "--", "sh", "-c", "exit 7"])
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(7));
}

#[test]
fn run_serves_sg_inq_and_writes_the_trace() {
    if !have("sg_inq") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.txt");
    let out = rawcd()
        .args(["emulator", "run", "--trace"])
        .arg(&trace)
        .args(["--", "sg_inq", "/dev/sg9"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("RAWCD"));
    let t = std::fs::read_to_string(&trace).unwrap();
    assert!(t.starts_with("OPEN sg"), "{t}");
    assert!(t.contains("12 00 00 00 24 00 INQUIRY"), "{t}");
}
