//! Parameter data and responses: data-in/out payloads of the commands in
//! [`crate::mmc::cdb`]. Each type parses from untrusted bytes without
//! panicking (length checked, response length fields honoured) and emits
//! the exact bytes a drive or host sends.

pub mod atip;
pub mod buffer_capacity;
pub mod cue_sheet;
pub mod disc_information;
pub mod event_status;
pub mod features;
pub mod inquiry;
pub mod mode;
pub mod mode_page_01;
pub mod mode_page_05;
pub mod mode_page_2a;
pub mod performance;
pub mod read_capacity;
pub mod sub_channel;
pub mod toc;
pub mod track_information;

use crate::msf::Msf;

/// Reads a binary (not BCD) M/S/F triple without validating it (drives
/// report FF:FF:FF for "none").
pub(crate) fn msf_at(b: &[u8], at: usize) -> Msf {
    Msf {
        minute: b[at],
        second: b[at + 1],
        frame: b[at + 2],
    }
}

/// Writes a binary M/S/F triple.
pub(crate) fn set_msf_at(b: &mut [u8], at: usize, m: Msf) {
    b[at..at + 3].copy_from_slice(&[m.minute, m.second, m.frame]);
}

/// Parses `0x..` hex in tests.
#[cfg(test)]
pub(crate) fn h(s: &str) -> Vec<u8> {
    crate::transport::unhex(s).expect("test hex")
}
