//! SEND CUE SHEET parameter data: parsing never panics and parse -> emit -> parse is stable.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    rawcd::fuzzing::cue_sheet_parse(data);
});
