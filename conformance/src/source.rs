//! The image a scenario burns: a corpus layout (its source files generated
//! in a work directory) or IMAPI-style audio tracks made with the creator
//! from generated streams. Both stream: nothing is held in memory.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use serde::Deserialize;

use rawcd::image::{ImageType, RawCdImageCreator, ResultImage, SourceStream, Synthetic};
use rawcd::layout::Toc;
use rawcd::sector::SectorType;

use crate::scenario::{AudioDisc, DiscSpec};

#[derive(Deserialize)]
struct FileSpec {
    sectors: u32,
    sector_size: usize,
    seed: u8,
    #[serde(default)]
    mode1_from_lba: Option<i32>,
}

/// A directory holding the corpus layouts and their generated sources.
#[derive(Debug)]
pub struct WorkDir {
    dir: tempfile::TempDir,
}

impl WorkDir {
    /// Copies `corpus/layouts/*` into a temporary directory and generates the
    /// source files `layouts/files.json` describes.
    pub fn prepare(corpus: &Path) -> Result<WorkDir, String> {
        let dir = tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))?;
        let layouts = corpus.join("layouts");
        let entries =
            std::fs::read_dir(&layouts).map_err(|e| format!("{}: {e}", layouts.display()))?;
        for e in entries.flatten() {
            if e.path().is_file() {
                std::fs::copy(e.path(), dir.path().join(e.file_name()))
                    .map_err(|err| format!("{}: {err}", e.path().display()))?;
            }
        }
        let manifest = layouts.join("files.json");
        let text = std::fs::read_to_string(&manifest)
            .map_err(|e| format!("{}: {e}", manifest.display()))?;
        let specs: BTreeMap<String, serde_json::Value> =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", manifest.display()))?;
        for (name, value) in specs.into_iter().filter(|(n, _)| !n.starts_with('_')) {
            let spec: FileSpec = serde_json::from_value(value)
                .map_err(|e| format!("{}: {name}: {e}", manifest.display()))?;
            write_source(&dir.path().join(&name), &spec).map_err(|e| format!("{name}: {e}"))?;
        }
        Ok(WorkDir { dir })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

fn write_source(path: &Path, spec: &FileSpec) -> io::Result<()> {
    let mut out = io::BufWriter::new(std::fs::File::create(path)?);
    let mut sector = vec![0u8; spec.sector_size];
    for s in 0..spec.sectors as usize {
        let start = s * spec.sector_size;
        for (k, b) in sector.iter_mut().enumerate() {
            *b = ((start + k) as u64)
                .wrapping_mul(7)
                .wrapping_add(spec.seed as u64) as u8;
        }
        match spec.mode1_from_lba {
            Some(lba) => {
                let user: [u8; 2048] = sector[..2048].try_into().expect("2048 bytes");
                io::Write::write_all(
                    &mut out,
                    &rawcd::sector::build::build_mode1(lba + s as i32, &user),
                )?;
            }
            None => io::Write::write_all(&mut out, &sector)?,
        }
    }
    io::Write::flush(&mut out)
}

/// The image of a scenario with its expected TOC.
pub struct BuiltImage {
    /// The streaming image.
    pub image: ResultImage,
    /// What READ TOC must say after the burn.
    pub toc: Toc,
}

/// Builds the image a disc spec describes.
pub fn build(disc: &DiscSpec, image_type: ImageType, work: &WorkDir) -> Result<BuiltImage, String> {
    match disc {
        DiscSpec::Layout(name) => from_layout(&work.path().join(name), image_type),
        DiscSpec::Audio(a) => from_audio(a, image_type).map_err(|e| e.to_string()),
    }
}

fn from_layout(path: &Path, image_type: ImageType) -> Result<BuiltImage, String> {
    let loaded = rawcd::formats::load(path).map_err(|e| e.to_string())?;
    let plan = loaded.layout.plan().map_err(|e| e.to_string())?;
    let toc = plan.toc();
    let sources = loaded
        .layout
        .sources
        .iter()
        .map(|s| {
            let f = std::fs::File::open(&s.name).map_err(|e| format!("{}: {e}", s.name))?;
            let stream: SourceStream = Box::new(io::BufReader::new(f));
            Ok((s.name.clone(), stream))
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(BuiltImage {
        image: ResultImage::new(plan, image_type, sources),
        toc,
    })
}

fn from_audio(a: &AudioDisc, image_type: ImageType) -> rawcd::Result<BuiltImage> {
    let mut c = RawCdImageCreator::new();
    c.set_resulting_image_type(image_type)?;
    c.set_disable_gapless_audio(a.disable_gapless)?;
    if let Some(n) = a.starting_track {
        c.set_starting_track_number(n)?;
    }
    if let Some(mcn) = &a.mcn {
        c.set_media_catalog_number(mcn)?;
    }
    if let Some(p) = a.special_pregap {
        c.add_special_pregap(Synthetic::audio_pattern(p as u64, 0x55))?;
    }
    for (i, &sectors) in a.tracks.iter().enumerate() {
        let index = c.add_track(
            SectorType::Audio,
            Synthetic::audio_pattern(sectors as u64, i as u8 + 1),
        )?;
        let mut info = c.track_info(index)?;
        if let Some(Some(isrc)) = a.isrc.get(i) {
            info.set_isrc(isrc)?;
        }
        for &off in a.indexes.get(i).map(Vec::as_slice).unwrap_or(&[]) {
            info.add_track_index(off)?;
        }
    }
    let toc = c.expected_toc()?;
    Ok(BuiltImage {
        image: c.create_result_image()?,
        toc,
    })
}
