//! Sense data bytes: parsing never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    rawcd::fuzzing::sense_parse(data);
});
