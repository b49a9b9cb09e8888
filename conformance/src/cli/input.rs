//! Loading a layout from the command line's input file and opening its
//! sources.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use rawcd::image::{ImageType, SourceStream};
use rawcd::layout::Layout;

use super::CliError;

/// A layout loaded from a cue sheet, `.toc` or JSON file.
pub struct Input {
    /// The layout.
    pub layout: Layout,
    /// Image type the file asks for, if any.
    pub image_type: Option<ImageType>,
    /// Warnings raised while loading.
    pub warnings: Vec<String>,
}

/// Loads `path` (`.cue`, `.toc` or `.json`).
pub fn load(path: &Path) -> Result<Input, CliError> {
    let loaded = rawcd::formats::load(path)?;
    Ok(Input {
        layout: loaded.layout,
        image_type: loaded.image_type,
        warnings: loaded.warnings,
    })
}

/// Opens every source of `layout` as a file.
pub fn open_sources(layout: &Layout) -> Result<Vec<(String, SourceStream)>, CliError> {
    layout
        .sources
        .iter()
        .map(|s| {
            let f = File::open(&s.name).map_err(|e| CliError::input(format!("{}: {e}", s.name)))?;
            let stream: SourceStream = Box::new(BufReader::with_capacity(1 << 16, f));
            Ok((s.name.clone(), stream))
        })
        .collect()
}
