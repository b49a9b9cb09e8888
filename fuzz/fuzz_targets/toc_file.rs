//! cdrdao .toc text: parsing and conversion to a layout never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    rawcd::fuzzing::toc_file(data);
});
