//! Sub-channel codecs: P and Q channels, Q frames (modes 1, 2, 3 and lead-in
//! TOC points), CRC-16, raw/cooked/PQ-16 packing, R–W and CD-Text packs.
//!
//! Layouts follow spec/cd-format.md §4–§6 and are pinned in the unit tests to
//! the byte vectors of §11.2–§11.4. Nothing here panics on any input.
//!
//! * [`crc`] — CRC-16 (0x1021) of Q frames and CD-Text packs.
//! * [`QFrame`] — the 12-byte Q frame: builders, CRC check, typed decode.
//! * [`pack`] — raw 96-byte P–W, channel-separated P–W, PQ-16.
//! * [`p_channel`] — the P flag of the lead-out.
//! * [`rw`] — GF(2^6), CD+G pack parity, R–W interleave.
//! * [`cdtext`] — CD-Text packs, their lead-in placement and `.cdt` files.

pub mod cdtext;
pub mod crc;
pub mod p_channel;
pub mod pack;
mod q;
pub mod rw;

pub use q::{
    control, QContent, QError, QFrame, TocEntry, LEAD_OUT_TRACK, POINT_A0, POINT_A1, POINT_A2,
};

#[cfg(test)]
mod tests;
