//! Fuzzing oracles shared by the `fuzz/` targets and by
//! `tests/fuzz_regressions.rs`: each takes arbitrary bytes, must never panic,
//! and checks the invariants its parser promises (parse → emit → parse is
//! stable for the binary wire formats).

use std::path::Path;

use crate::formats::{FileResolver, ResolvedFile};

/// A resolver that pretends every named file exists with a fixed size, so
/// layout conversion runs without touching the file system.
struct AnyFile;

impl FileResolver for AnyFile {
    fn resolve(&mut self, _base: &Path, name: &str, _wave: bool) -> Result<ResolvedFile, String> {
        Ok(ResolvedFile {
            name: name.to_string(),
            data_offset: 0,
            data_len: 2352 * 1000,
            warning: None,
        })
    }
}

/// Cue sheet text: parse, convert to a layout, plan it.
pub fn cue_text(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(sheet) = crate::formats::cue::parse_cue(&text, "fuzz.cue") {
        if let Ok(loaded) = sheet.to_layout(Path::new("."), &mut AnyFile) {
            let _ = loaded.layout.plan();
        }
    }
}

/// cdrdao `.toc` text: parse, convert to a layout, plan it.
pub fn toc_file(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(toc) = crate::formats::toc::parse_toc(&text, "fuzz.toc") {
        if let Ok(loaded) = toc.to_layout(Path::new("."), &mut AnyFile) {
            let _ = loaded.layout.plan();
        }
    }
}

/// CloneCD `.ccd` text.
pub fn ccd(data: &[u8]) {
    let _ = crate::formats::ccd::parse_ccd(&String::from_utf8_lossy(data), "fuzz.ccd");
}

/// A CDB: `Command::parse`, then parse → emit → parse must be stable.
///
/// # Panics
/// When the round trip is not stable (a bug the fuzzer reports).
pub fn cdb_parse(data: &[u8]) {
    if let Ok(cmd) = crate::mmc::Command::parse(data) {
        let again = crate::mmc::Command::parse(&cmd.to_cdb()).expect("emitted CDB parses");
        assert_eq!(again, cmd, "CDB parse -> emit -> parse is not stable");
        let _ = cmd.to_string();
    }
}

/// Sense data bytes.
pub fn sense_parse(data: &[u8]) {
    if let Some(sense) = crate::mmc::sense::Sense::from_bytes(data) {
        let _ = sense.to_string();
    }
}

/// SEND CUE SHEET parameter data: parse → emit → parse must be stable.
///
/// # Panics
/// When the round trip is not stable.
pub fn cue_sheet_parse(data: &[u8]) {
    use crate::mmc::param::cue_sheet::{emit_cue_sheet, parse_cue_sheet};
    if let Ok(entries) = parse_cue_sheet(data) {
        let again = parse_cue_sheet(&emit_cue_sheet(&entries)).expect("emitted cue sheet parses");
        assert_eq!(
            again, entries,
            "cue sheet parse -> emit -> parse is not stable"
        );
    }
}

/// The oracle of a fuzz target by name.
pub fn target(name: &str) -> Option<fn(&[u8])> {
    Some(match name {
        "cue_text" => cue_text,
        "toc_file" => toc_file,
        "ccd" => ccd,
        "cdb_parse" => cdb_parse,
        "sense_parse" => sense_parse,
        "cue_sheet_parse" => cue_sheet_parse,
        _ => return None,
    })
}
