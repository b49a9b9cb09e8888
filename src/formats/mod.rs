//! Readers of other disc descriptions and images: cue sheets ([`cue`]),
//! cdrdao `.toc` files ([`toc`]), JSON layouts ([`json`]) and CloneCD `.ccd`
//! control files ([`ccd`]). The first three become a
//! [`Layout`](crate::layout::Layout) through [`load`].

use std::path::Path;

use crate::error::{Error, Result};

pub mod ccd;
mod common;
pub mod cue;
pub mod json;
pub mod toc;

#[cfg(test)]
mod peer_tests;

pub use common::{parse_msf_frames, FileResolver, FsResolver, LoadedLayout, ResolvedFile, WavData};

/// Reads a disc description, choosing the reader by extension (`.cue`,
/// `.toc`, `.json`, case-insensitive), and returns the layout with the
/// reader's warnings. Call [`Layout::plan`](crate::layout::Layout::plan) on
/// the result to place it and get the rule warnings.
pub fn load(path: &Path) -> Result<LoadedLayout> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "cue" => cue::CueSheet::load(path),
        "toc" => toc::TocFile::load(path),
        "json" => json::load_json(path),
        "ccd" => Err(Error::InvalidArgument(format!(
            "{}: CloneCD control files describe a finished image, not a layout: use the image validator",
            path.display()
        ))),
        _ => Err(Error::InvalidArgument(format!(
            "{}: unknown disc description type '{ext}' (expected .cue, .toc or .json)",
            path.display()
        ))),
    }
}
