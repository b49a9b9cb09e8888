//! Helpers shared by the text-format readers: MSF durations as they appear in
//! cue sheets and `.toc` files, file lookup relative to the description
//! (with the case-insensitive fallback), and WAVE inspection.

use std::fs;
use std::io::{BufReader, Seek};
use std::path::{Path, PathBuf};

use crate::layout::Layout;

/// A disc description turned into the layout model, with the creator-level
/// settings and the warnings the reader collected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedLayout {
    /// The disc layout (call [`Layout::plan`] to place it).
    pub layout: Layout,
    /// Requested image type (JSON only).
    pub image_type: Option<crate::image::ImageType>,
    /// Requested `DisableGaplessAudio` setting (JSON only; already applied
    /// to `layout`).
    pub disable_gapless: Option<bool>,
    /// Things the reader accepted but the user should know about
    /// (case-insensitive file matches, truncated data files, ignored flags).
    pub warnings: Vec<String>,
}

impl LoadedLayout {
    pub(crate) fn new(layout: Layout, warnings: Vec<String>) -> LoadedLayout {
        LoadedLayout {
            layout,
            image_type: None,
            disable_gapless: None,
            warnings,
        }
    }
}

/// Parses `MM:SS:FF` (minutes unbounded up to 9999, seconds < 60, frames < 75)
/// into a frame count, with a message naming the offending field.
pub fn parse_msf_frames(s: &str) -> Result<u32, String> {
    let parts: Vec<&str> = s.split(':').collect();
    let bad = || format!("'{s}' is not a time MM:SS:FF (minutes, seconds, frames)");
    if parts.len() != 3 {
        return Err(bad());
    }
    let mut vals = [0u32; 3];
    for (v, p) in vals.iter_mut().zip(&parts) {
        if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        *v = p.parse().map_err(|_| bad())?;
    }
    let [m, sec, f] = vals;
    if sec >= 60 {
        return Err(format!("seconds field {sec} of '{s}' must be below 60"));
    }
    if f >= 75 {
        return Err(format!("frame field {f} of '{s}' must be below 75"));
    }
    Ok(m * 60 * 75 + sec * 75 + f)
}

/// True when `s` looks like an MSF time (digits and two colons).
pub fn looks_like_msf(s: &str) -> bool {
    s.bytes().filter(|&b| b == b':').count() == 2
        && s.bytes().all(|b| b.is_ascii_digit() || b == b':')
}

/// Finds `name` relative to `base`. When it does not exist but a file in the
/// same directory matches case-insensitively, that file is used and a warning
/// is returned. Errors say what is missing.
pub fn resolve_file(base: &Path, name: &str) -> Result<(PathBuf, Option<String>), String> {
    let name_path = Path::new(name);
    let full = if name_path.is_absolute() {
        name_path.to_path_buf()
    } else {
        base.join(name_path)
    };
    if full.is_file() {
        return Ok((full, None));
    }
    if let (Some(dir), Some(want)) = (full.parent(), full.file_name()) {
        let want = want.to_string_lossy().to_lowercase();
        if let Ok(entries) = fs::read_dir(dir) {
            let mut hits: Vec<PathBuf> = entries
                .filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().to_lowercase() == want)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect();
            hits.sort();
            if let Some(hit) = hits.into_iter().next() {
                let warning = format!(
                    "file '{name}' not found; using '{}', which differs only in case",
                    hit.display()
                );
                return Ok((hit, Some(warning)));
            }
        }
    }
    Err(format!(
        "file '{name}' does not exist (looked for '{}')",
        full.display()
    ))
}

/// Length of a file in bytes.
pub fn file_len(path: &Path) -> Result<u64, String> {
    fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| format!("cannot read '{}': {e}", path.display()))
}

/// Where the PCM samples of a WAVE file are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WavData {
    /// Byte offset of the first sample (start of the `data` chunk payload).
    pub offset: u64,
    /// Bytes of samples.
    pub len: u64,
}

/// Opens a WAVE file and checks it is 44.1 kHz, 16-bit, stereo integer PCM.
pub fn wav_data(path: &Path) -> Result<WavData, String> {
    let file =
        fs::File::open(path).map_err(|e| format!("cannot open '{}': {e}", path.display()))?;
    let reader = hound::WavReader::new(BufReader::new(file))
        .map_err(|e| format!("'{}' is not a readable WAVE file: {e}", path.display()))?;
    let spec = reader.spec();
    if spec.sample_rate != 44_100
        || spec.bits_per_sample != 16
        || spec.channels != 2
        || spec.sample_format != hound::SampleFormat::Int
    {
        return Err(format!(
            "'{}' is {} Hz, {}-bit, {} channel(s) {:?}: CD audio needs 44100 Hz, 16-bit, stereo integer PCM",
            path.display(),
            spec.sample_rate,
            spec.bits_per_sample,
            spec.channels,
            spec.sample_format
        ));
    }
    let len = reader.len() as u64 * 2;
    let mut inner = reader.into_inner();
    let offset = inner
        .stream_position()
        .map_err(|e| format!("cannot read '{}': {e}", path.display()))?;
    Ok(WavData { offset, len })
}

/// A data file named by a disc description, found and measured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedFile {
    /// The path used (after the case-insensitive fallback), for messages and
    /// to open the file later.
    pub name: String,
    /// Byte offset of the first usable byte (the WAVE `data` payload; 0 otherwise).
    pub data_offset: u64,
    /// Usable bytes from `data_offset` on.
    pub data_len: u64,
    /// A warning to pass on to the user (case-insensitive match).
    pub warning: Option<String>,
}

/// Finds and measures the files a disc description names. The file system
/// implementation is [`FsResolver`]; tests can answer from memory.
pub trait FileResolver {
    /// Resolves `name` relative to `base`; `wave` asks for the WAVE data chunk.
    /// Errors are messages the caller prefixes with file and line.
    fn resolve(&mut self, base: &Path, name: &str, wave: bool) -> Result<ResolvedFile, String>;
}

/// Resolves names on the file system: relative to the description's
/// directory, with a case-insensitive fallback that warns.
#[derive(Debug, Clone, Copy, Default)]
pub struct FsResolver;

impl FileResolver for FsResolver {
    fn resolve(&mut self, base: &Path, name: &str, wave: bool) -> Result<ResolvedFile, String> {
        let (path, warning) = resolve_file(base, name)?;
        let (data_offset, data_len) = if wave {
            let w = wav_data(&path)?;
            (w.offset, w.len)
        } else {
            (0, file_len(&path)?)
        };
        Ok(ResolvedFile {
            name: path.display().to_string(),
            data_offset,
            data_len,
            warning,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msf_fields_are_checked_one_by_one() {
        assert_eq!(parse_msf_frames("01:02:03"), Ok(4500 + 150 + 3));
        assert_eq!(parse_msf_frames("180:0:0"), Ok(180 * 4500));
        assert!(parse_msf_frames("00:00:75")
            .unwrap_err()
            .contains("frame field 75"));
        assert!(parse_msf_frames("00:60:00")
            .unwrap_err()
            .contains("seconds field 60"));
        assert!(parse_msf_frames("xx:yy:0")
            .unwrap_err()
            .contains("not a time"));
        assert!(parse_msf_frames("1:2").is_err());
        assert!(parse_msf_frames("99999:0:0").is_err());
    }

    #[test]
    fn case_insensitive_match_warns() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("disc.bin"), [0u8; 4]).unwrap();
        let (p, w) = resolve_file(dir.path(), "DISC.BIN").unwrap();
        assert!(p.ends_with("disc.bin"));
        assert!(w.unwrap().contains("differs only in case"));
        let (_, w) = resolve_file(dir.path(), "disc.bin").unwrap();
        assert!(w.is_none());
        assert!(resolve_file(dir.path(), "other.bin")
            .unwrap_err()
            .contains("'other.bin' does not exist"));
    }

    #[test]
    fn wav_data_chunk_is_found_and_format_checked() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.wav");
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 44_100,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&p, spec).unwrap();
        for _ in 0..588 * 2 {
            w.write_sample(0i16).unwrap();
        }
        w.finalize().unwrap();
        let d = wav_data(&p).unwrap();
        assert_eq!(d.len, 2352);
        assert_eq!(d.offset + d.len, file_len(&p).unwrap());
        let p2 = dir.path().join("mono.wav");
        let mut w = hound::WavWriter::create(
            &p2,
            hound::WavSpec {
                channels: 1,
                ..spec
            },
        )
        .unwrap();
        w.write_sample(0i16).unwrap();
        w.finalize().unwrap();
        assert!(wav_data(&p2).unwrap_err().contains("stereo"));
    }
}

/// A resolver answering from memory (name → byte length), for tests.
#[cfg(test)]
#[derive(Debug, Default)]
pub(crate) struct MemResolver(pub std::collections::HashMap<String, u64>);

#[cfg(test)]
impl MemResolver {
    pub(crate) fn with(files: &[(&str, u64)]) -> MemResolver {
        MemResolver(files.iter().map(|(n, l)| (n.to_string(), *l)).collect())
    }
}

#[cfg(test)]
impl FileResolver for MemResolver {
    fn resolve(&mut self, _base: &Path, name: &str, _wave: bool) -> Result<ResolvedFile, String> {
        let len = *self
            .0
            .get(name)
            .ok_or_else(|| format!("file '{name}' does not exist"))?;
        Ok(ResolvedFile {
            name: name.to_string(),
            data_offset: 0,
            data_len: len,
            warning: None,
        })
    }
}
