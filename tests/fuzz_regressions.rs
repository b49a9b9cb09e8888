//! Replays every minimised fuzz input in `corpus/regressions/<target>/`
//! through the target's oracle under stable `cargo test`, and a handful of
//! hand-made hostile inputs, so a fixed crash stays fixed.

mod common;

#[test]
fn regressions_replay_without_panic() {
    let root = common::corpus().join("regressions");
    let mut ran = 0;
    for dir in std::fs::read_dir(&root).into_iter().flatten().flatten() {
        if !dir.path().is_dir() {
            continue;
        }
        let name = dir.file_name().to_string_lossy().into_owned();
        let oracle = rawcd::fuzzing::target(&name)
            .unwrap_or_else(|| panic!("corpus/regressions/{name}: no such fuzz target"));
        for file in std::fs::read_dir(dir.path()).unwrap().flatten() {
            oracle(&std::fs::read(file.path()).unwrap());
            ran += 1;
        }
    }
    eprintln!("replayed {ran} regression inputs");
}

#[test]
fn hostile_inputs_do_not_panic() {
    let inputs: [&[u8]; 8] = [
        b"",
        b"FILE \"x\" BINARY\nTRACK 99 AUDIO\nINDEX 01 99:59:74\n",
        b"TRACK 00 AUDIO\nINDEX 01 00:00:00\n",
        b"FILE \"x\" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n    INDEX 01 00:00:00\n",
        &[0x2A, 0, 0x80, 0, 0, 0, 0, 0xFF, 0xFF, 0],
        &[0x70, 0, 5, 0, 0, 0, 0, 0xFF],
        &[0xFF; 64],
        "CATALOG \u{0}\u{ff}\nTRACK AUDIO\nFILE \"a\" 99:99:99\n".as_bytes(),
    ];
    for name in [
        "cue_text",
        "toc_file",
        "ccd",
        "cdb_parse",
        "sense_parse",
        "cue_sheet_parse",
    ] {
        let oracle = rawcd::fuzzing::target(name).unwrap();
        for input in inputs {
            oracle(input);
        }
    }
}
