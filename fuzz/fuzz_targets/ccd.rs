//! CloneCD .ccd text: parsing never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    rawcd::fuzzing::ccd(data);
});
