//! Cue sheets (`.cue`): parsed with nom into a [`CueSheet`] (an AST that
//! keeps line numbers), then turned into a [`Layout`] by
//! [`CueSheet::to_layout`].
//!
//! # Syntax
//!
//! Line oriented; keywords are case-insensitive; file names may be quoted or
//! not; CRLF line ends and a UTF-8 byte-order mark are accepted.
//!
//! * `FILE name BINARY | MOTOROLA | WAVE` (`AIFF`, `MP3` are refused as not
//!   supported). Names are relative to the cue sheet's directory.
//! * `TRACK nn AUDIO | MODE1/2048 | MODE1/2352 | MODE2/2336 | MODE2/2352`
//!   (`CDG`, `MODE2/2048`, `MODE2/2324`, `CDI/…` are refused as not supported).
//! * `INDEX nn MM:SS:FF`, `PREGAP MM:SS:FF`, `POSTGAP MM:SS:FF`, `ISRC`,
//!   `CATALOG` (exactly 13 digits), `FLAGS DCP 4CH PRE SCMS`.
//! * `TITLE`, `PERFORMER`, `SONGWRITER`, `CDTEXTFILE` are kept in the AST
//!   (not yet written as CD-Text); `REM` is ignored; other keywords warn.
//!
//! # Mapping onto the layout
//!
//! | cue | sector type | source encoding |
//! |---|---|---|
//! | `AUDIO` in `BINARY` / `WAVE` | `Audio` | `User` (WAVE: from the `data` chunk) |
//! | `AUDIO` in `MOTOROLA` | `Audio` | `AudioSwapped` |
//! | `MODE1/2048` | `Mode1` | `User` |
//! | `MODE1/2352` | `Mode1` | `Full` |
//! | `MODE2/2336` | `Mode2Form0` | `User` (the 2336 bytes after the header are copied as they are, so XA subheaders and Form 1 EDC/ECC in the file survive) |
//! | `MODE2/2352` | `Mode2Form1` | `Full` |
//!
//! A `MODE2/2352` file holds complete sectors whose form (1 or 2) varies
//! sector by sector (spec/cd-format.md §3.6); with `Encoding::Full` every
//! sector is taken as it is, so the form of each sector comes from the file.
//! The sector type `Mode2Form1` only decides how generated sectors (`PREGAP`,
//! `POSTGAP`) are built and makes the disc CD-ROM XA (disc type 0x20), which
//! is what such images (Video CD, CD-i Ready, PlayStation) are.
//!
//! The disc's first 150 sectors (LBA −150..−1) are always added as silence /
//! zero data in front of the first track, so a track 1 `INDEX 01` at file
//! offset 0 lands at LBA 0. Everything in a file before the first track's
//! `INDEX 01` (its `INDEX 00`, or leading data without one) becomes more
//! pregap. A track's last index runs to the next `INDEX` in the same file or
//! to the end of the file; data at the start of a later file before its first
//! `INDEX` belongs to the index before it. `PREGAP` adds generated index-0
//! sectors at the start of the track, `POSTGAP` generated sectors at its end.
//! `FLAGS`: without `DCP` copying is prohibited, `DCP` permits it, `SCMS`
//! selects SCMS; `4CH` and `PRE` set the audio CONTROL bits (ignored with a
//! warning on data tracks).
//!
//! # Deliberate choices
//!
//! * A `FILE` that does not exist is an error naming the cue sheet, the line
//!   and the missing file. libcdio silently falls back to a `.bin` with the
//!   cue's stem; we do not guess which data to burn. A file whose name
//!   differs only in case (cue sheets made on Windows) is used, with a
//!   warning.
//! * A file (or the data of the last index in it) must hold a whole number of
//!   sectors; otherwise the error names the file.

use std::path::{Path, PathBuf};

use nom::branch::alt;
use nom::bytes::complete::{take_till, take_while1};
use nom::character::complete::{char, space0};
use nom::multi::many0;
use nom::sequence::{delimited, preceded};
use nom::{IResult, Parser};

use super::common::{parse_msf_frames, FileResolver, FsResolver, LoadedLayout};
use crate::error::{Error, Result};
use crate::layout::{
    Content, CopySetting, Encoding, Isrc, Layout, Mcn, Segment, SourceInfo, Track, TrackFlags,
};
use crate::msf::PREGAP_SECTORS;
use crate::sector::SectorType;

/// How a `FILE` stores its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueFileKind {
    /// Raw little-endian audio or data sectors.
    Binary,
    /// Raw audio with big-endian samples.
    Motorola,
    /// A RIFF WAVE file (44.1 kHz 16-bit stereo PCM).
    Wave,
}

/// A `FILE` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueFile {
    /// The name as written.
    pub name: String,
    /// Its storage kind.
    pub kind: CueFileKind,
    /// Line of the `FILE` command.
    pub line: usize,
}

/// A `TRACK` data mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueMode {
    /// `AUDIO`.
    Audio,
    /// `MODE1/2048`.
    Mode1Cooked,
    /// `MODE1/2352`.
    Mode1Raw,
    /// `MODE2/2336`.
    Mode2Cooked,
    /// `MODE2/2352`.
    Mode2Raw,
}

impl CueMode {
    /// Sector type in the layout model (see the module docs).
    pub fn sector_type(self) -> SectorType {
        match self {
            CueMode::Audio => SectorType::Audio,
            CueMode::Mode1Cooked | CueMode::Mode1Raw => SectorType::Mode1,
            CueMode::Mode2Cooked => SectorType::Mode2Form0,
            CueMode::Mode2Raw => SectorType::Mode2Form1,
        }
    }

    /// Bytes per sector in the file.
    pub fn sector_size(self) -> u64 {
        match self {
            CueMode::Audio | CueMode::Mode1Raw | CueMode::Mode2Raw => 2352,
            CueMode::Mode1Cooked => 2048,
            CueMode::Mode2Cooked => 2336,
        }
    }
}

/// `FLAGS` of a track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CueFlags {
    /// `DCP`: digital copy permitted.
    pub dcp: bool,
    /// `4CH`: four-channel audio.
    pub four_channel: bool,
    /// `PRE`: pre-emphasis.
    pub pre_emphasis: bool,
    /// `SCMS`: serial copy management.
    pub scms: bool,
}

/// An `INDEX` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CueIndex {
    /// Index number (0..=99).
    pub number: u8,
    /// Position in the file, in sectors.
    pub position: u32,
    /// Which [`CueSheet::files`] entry it points into.
    pub file: usize,
    /// Line of the `INDEX` command.
    pub line: usize,
}

/// A `TRACK` with everything that followed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueTrack {
    /// Track number.
    pub number: u8,
    /// Data mode.
    pub mode: CueMode,
    /// Line of the `TRACK` command.
    pub line: usize,
    /// The `FILE` current at the `TRACK` line.
    pub file: usize,
    /// `FLAGS`.
    pub flags: CueFlags,
    /// `ISRC` and its line.
    pub isrc: Option<(Isrc, usize)>,
    /// `PREGAP` in sectors.
    pub pregap: Option<u32>,
    /// `POSTGAP` in sectors.
    pub postgap: Option<u32>,
    /// `INDEX` lines in order.
    pub indexes: Vec<CueIndex>,
    /// `TITLE`.
    pub title: Option<String>,
    /// `PERFORMER`.
    pub performer: Option<String>,
    /// `SONGWRITER`.
    pub songwriter: Option<String>,
}

/// A parsed cue sheet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CueSheet {
    /// The cue file name used in messages.
    pub path: PathBuf,
    /// `CATALOG`.
    pub catalog: Option<Mcn>,
    /// `CDTEXTFILE`.
    pub cdtextfile: Option<String>,
    /// Disc `TITLE`.
    pub title: Option<String>,
    /// Disc `PERFORMER`.
    pub performer: Option<String>,
    /// Disc `SONGWRITER`.
    pub songwriter: Option<String>,
    /// `FILE` lines in order.
    pub files: Vec<CueFile>,
    /// Tracks in order.
    pub tracks: Vec<CueTrack>,
    /// Unknown commands and other harmless oddities.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Tok {
    text: String,
    quoted: bool,
}

fn quoted(i: &str) -> IResult<&str, Tok> {
    delimited(char('"'), take_till(|c| c == '"'), char('"'))
        .map(|s: &str| Tok {
            text: s.to_string(),
            quoted: true,
        })
        .parse(i)
}

fn bare(i: &str) -> IResult<&str, Tok> {
    take_while1(|c: char| !c.is_whitespace())
        .map(|s: &str| Tok {
            text: s.to_string(),
            quoted: false,
        })
        .parse(i)
}

fn tokens(line: &str) -> std::result::Result<Vec<Tok>, String> {
    let r: IResult<&str, Vec<Tok>> = many0(preceded(space0, alt((quoted, bare)))).parse(line);
    match r {
        Ok((_, toks)) if toks.iter().any(|t| !t.quoted && t.text.starts_with('"')) => {
            Err("unterminated quoted string".to_string())
        }
        Ok((rest, toks)) if rest.trim().is_empty() => Ok(toks),
        Ok((rest, _)) if rest.trim_start().starts_with('"') => {
            Err("unterminated quoted string".to_string())
        }
        _ => Err("cannot split the line into words".to_string()),
    }
}

/// Parses a cue sheet. `path` is only used in messages and as
/// [`CueSheet::path`]. Errors name the file and line.
pub fn parse_cue(text: &str, path: impl AsRef<Path>) -> Result<CueSheet> {
    let path = path.as_ref();
    let err = |line: usize, msg: String| Error::parse(path, line, msg);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut sheet = CueSheet {
        path: path.to_path_buf(),
        ..CueSheet::default()
    };
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        let toks = tokens(raw.trim_end_matches('\r')).map_err(|m| err(line, m))?;
        let Some(first) = toks.first() else { continue };
        let kw = first.text.to_ascii_uppercase();
        let args = &toks[1..];
        let arg = |k: usize, what: &str| -> Result<&str> {
            args.get(k)
                .map(|t| t.text.as_str())
                .ok_or_else(|| err(line, format!("{kw} needs {what}")))
        };
        match kw.as_str() {
            "REM" => {}
            "CATALOG" => {
                let v = arg(0, "a 13-digit catalog number")?;
                let mcn = Mcn::parse_exact(v).map_err(|m| err(line, m))?;
                if sheet.catalog.is_some() {
                    return Err(err(line, "CATALOG given twice".into()));
                }
                sheet.catalog = Some(mcn);
            }
            "CDTEXTFILE" => sheet.cdtextfile = Some(arg(0, "a file name")?.to_string()),
            "TITLE" | "PERFORMER" | "SONGWRITER" => {
                let v = Some(
                    args.iter()
                        .map(|t| t.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                );
                let slot = match (sheet.tracks.last_mut(), kw.as_str()) {
                    (Some(t), "TITLE") => &mut t.title,
                    (Some(t), "PERFORMER") => &mut t.performer,
                    (Some(t), _) => &mut t.songwriter,
                    (None, "TITLE") => &mut sheet.title,
                    (None, "PERFORMER") => &mut sheet.performer,
                    (None, _) => &mut sheet.songwriter,
                };
                *slot = v;
            }
            "FILE" => {
                if args.len() < 2 {
                    return Err(err(
                        line,
                        "FILE needs a file name and a type (BINARY, MOTOROLA or WAVE)".into(),
                    ));
                }
                let (ty, names) = args.split_last().unwrap_or((&args[0], &[]));
                let name = names
                    .iter()
                    .map(|t| t.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                if name.is_empty() {
                    return Err(err(line, "FILE has an empty file name".into()));
                }
                let kind = match ty.text.to_ascii_uppercase().as_str() {
                    "BINARY" => CueFileKind::Binary,
                    "MOTOROLA" => CueFileKind::Motorola,
                    "WAVE" => CueFileKind::Wave,
                    "AIFF" | "MP3" | "FLAC" | "OGG" => {
                        return Err(err(
                            line,
                            format!(
                            "FILE type {} is not supported: convert '{name}' to WAVE or raw BINARY",
                            ty.text
                        ),
                        ))
                    }
                    other => {
                        return Err(err(
                            line,
                            format!(
                                "unknown FILE type '{other}' (expected BINARY, MOTOROLA or WAVE)"
                            ),
                        ))
                    }
                };
                sheet.files.push(CueFile { name, kind, line });
            }
            "TRACK" => {
                let num = arg(0, "a track number and a mode")?;
                let mode = arg(1, "a track mode after the number")?;
                let number: u8 = match num.parse::<u32>() {
                    Ok(v @ 1..=99) if num.len() <= 3 => v as u8,
                    _ => return Err(err(line, format!("track number '{num}' must be 1..99"))),
                };
                if sheet.files.is_empty() {
                    return Err(err(line, "TRACK before any FILE".into()));
                }
                if let Some(prev) = sheet.tracks.last() {
                    check_track_done(prev).map_err(|m| err(prev.line, m))?;
                    if number != prev.number + 1 {
                        return Err(err(
                            line,
                            format!(
                                "track number {number} must follow track {} (expected {})",
                                prev.number,
                                prev.number as u32 + 1
                            ),
                        ));
                    }
                }
                let mode = parse_mode(mode).map_err(|m| err(line, m))?;
                sheet.tracks.push(CueTrack {
                    number,
                    mode,
                    line,
                    file: sheet.files.len() - 1,
                    flags: CueFlags::default(),
                    isrc: None,
                    pregap: None,
                    postgap: None,
                    indexes: Vec::new(),
                    title: None,
                    performer: None,
                    songwriter: None,
                });
            }
            "INDEX" => {
                let num = arg(0, "an index number and a time MM:SS:FF")?;
                let time = arg(1, "a time MM:SS:FF after the index number")?;
                let number: u8 = match num.parse::<u32>() {
                    Ok(v @ 0..=99) if num.len() <= 3 => v as u8,
                    _ => return Err(err(line, format!("index number '{num}' must be 0..99"))),
                };
                let position = parse_msf_frames(time).map_err(|m| err(line, m))?;
                let file = sheet.files.len().checked_sub(1);
                let prev_same_file = sheet
                    .tracks
                    .iter()
                    .flat_map(|t| t.indexes.iter())
                    .next_back()
                    .filter(|i| Some(i.file) == file)
                    .copied();
                let track = sheet
                    .tracks
                    .last_mut()
                    .ok_or_else(|| err(line, "INDEX outside a TRACK".into()))?;
                let file = file.unwrap_or(0);
                let expected = match track.indexes.last() {
                    Some(i) => i.number as u32 + 1,
                    None => {
                        if number > 1 {
                            1
                        } else {
                            number as u32
                        }
                    }
                };
                if number as u32 != expected {
                    return Err(err(line, format!("INDEX {number:02} out of order in track {}: expected INDEX {expected:02}", track.number)));
                }
                if let Some(p) = prev_same_file {
                    if position <= p.position {
                        return Err(err(line, format!("INDEX {number:02} at {time} must lie after the previous index (line {}) in the same file", p.line)));
                    }
                }
                if track.postgap.is_some() {
                    return Err(err(
                        line,
                        "INDEX after POSTGAP: POSTGAP must follow the last INDEX".into(),
                    ));
                }
                track.indexes.push(CueIndex {
                    number,
                    position,
                    file,
                    line,
                });
            }
            "PREGAP" | "POSTGAP" => {
                let t = arg(0, "a time MM:SS:FF")?;
                let frames = parse_msf_frames(t).map_err(|m| err(line, m))?;
                let track = sheet
                    .tracks
                    .last_mut()
                    .ok_or_else(|| err(line, format!("{kw} outside a TRACK")))?;
                if kw == "PREGAP" {
                    if !track.indexes.is_empty() {
                        return Err(err(
                            line,
                            "PREGAP must come before the track's first INDEX".into(),
                        ));
                    }
                    track.pregap = Some(frames);
                } else {
                    if track.indexes.is_empty() {
                        return Err(err(
                            line,
                            "POSTGAP must come after the track's INDEX lines".into(),
                        ));
                    }
                    track.postgap = Some(frames);
                }
            }
            "ISRC" => {
                let v = arg(0, "a 12-character code")?;
                let isrc = Isrc::parse(v).map_err(|m| err(line, m))?;
                let track = sheet
                    .tracks
                    .last_mut()
                    .ok_or_else(|| err(line, "ISRC outside a TRACK".into()))?;
                track.isrc = Some((isrc, line));
            }
            "FLAGS" => {
                let track = sheet
                    .tracks
                    .last_mut()
                    .ok_or_else(|| err(line, "FLAGS outside a TRACK".into()))?;
                let mut f = CueFlags::default();
                for t in args {
                    match t.text.to_ascii_uppercase().as_str() {
                        "DCP" => f.dcp = true,
                        "4CH" => f.four_channel = true,
                        "PRE" => f.pre_emphasis = true,
                        "SCMS" => f.scms = true,
                        "DATA" => {}
                        other => {
                            return Err(err(
                                line,
                                format!("unknown flag '{other}' (expected DCP, 4CH, PRE or SCMS)"),
                            ))
                        }
                    }
                }
                track.flags = f;
            }
            _ => sheet.warnings.push(format!(
                "{}:{line}: unknown command '{}' ignored",
                path.display(),
                first.text
            )),
        }
    }
    match sheet.tracks.last() {
        None => {
            return Err(err(
                text.lines().count().max(1),
                "the cue sheet has no TRACK".into(),
            ))
        }
        Some(t) => check_track_done(t).map_err(|m| err(t.line, m))?,
    }
    Ok(sheet)
}

fn check_track_done(t: &CueTrack) -> std::result::Result<(), String> {
    if !t.indexes.iter().any(|i| i.number == 1) {
        return Err(format!("track {} has no INDEX 01", t.number));
    }
    Ok(())
}

fn parse_mode(s: &str) -> std::result::Result<CueMode, String> {
    Ok(match s.to_ascii_uppercase().as_str() {
        "AUDIO" => CueMode::Audio,
        "MODE1/2048" => CueMode::Mode1Cooked,
        "MODE1/2352" => CueMode::Mode1Raw,
        "MODE2/2336" => CueMode::Mode2Cooked,
        "MODE2/2352" => CueMode::Mode2Raw,
        "CDG" => return Err("track mode CDG (audio with CD+G subcode) is not supported".into()),
        m @ ("MODE2/2048" | "MODE2/2324") => {
            return Err(format!("track mode {m} (form-only XA sectors without subheaders) is not supported: use MODE2/2336 or MODE2/2352"))
        }
        m if m.starts_with("CDI/") => {
            return Err(format!("track mode {m} (CD-i) is not supported"))
        }
        _ => {
            return Err(format!("unknown track mode '{s}' (expected AUDIO, MODE1/2048, MODE1/2352, MODE2/2336 or MODE2/2352)"))
        }
    })
}

/// Where each run of file sectors goes.
struct Builder {
    tracks: Vec<Track>,
    /// Sectors from index 1 so far, per track.
    body: Vec<u32>,
}

impl CueSheet {
    /// Reads a cue sheet file and turns it into a layout, resolving data
    /// files on the file system relative to the cue's directory.
    pub fn load(path: &Path) -> Result<LoadedLayout> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8_lossy(&bytes);
        let sheet = parse_cue(&text, path)?;
        let base = path.parent().unwrap_or(Path::new("."));
        sheet.to_layout(base, &mut FsResolver)
    }

    /// Turns the sheet into a layout: resolves each `FILE` relative to
    /// `base_dir` with `resolver`, computes every segment and the pregaps.
    pub fn to_layout(
        &self,
        base_dir: &Path,
        resolver: &mut dyn FileResolver,
    ) -> Result<LoadedLayout> {
        let err = |line: usize, msg: String| Error::parse(&self.path, line, msg);
        let mut warnings = self.warnings.clone();
        let Some(first) = self.tracks.first() else {
            return Err(err(0, "the cue sheet has no TRACK".into()));
        };
        // Files actually referenced by an index.
        let mut sources = Vec::new();
        let mut source_of = vec![None; self.files.len()];
        let mut data: Vec<(u64, u64)> = vec![(0, 0); self.files.len()];
        for (k, f) in self.files.iter().enumerate() {
            let used = self
                .tracks
                .iter()
                .any(|t| t.indexes.iter().any(|i| i.file == k));
            if !used {
                warnings.push(format!(
                    "{}:{}: FILE '{}' holds no INDEX and is not used",
                    self.path.display(),
                    f.line,
                    f.name
                ));
                continue;
            }
            let r = resolver
                .resolve(base_dir, &f.name, f.kind == CueFileKind::Wave)
                .map_err(|m| err(f.line, m))?;
            if let Some(w) = r.warning {
                warnings.push(format!("{}:{}: {w}", self.path.display(), f.line));
            }
            source_of[k] = Some(sources.len());
            data[k] = (r.data_offset, r.data_len);
            sources.push(SourceInfo {
                name: r.name,
                len: r.data_offset + r.data_len,
            });
        }
        // Per-track sector type and encoding checks.
        for t in &self.tracks {
            for i in &t.indexes {
                let kind = self.files[i.file].kind;
                if t.mode != CueMode::Audio && kind == CueFileKind::Wave {
                    return Err(err(
                        i.line,
                        format!(
                            "track {} is a data track, but its INDEX points into WAVE file '{}'",
                            t.number, self.files[i.file].name
                        ),
                    ));
                }
            }
            if let Some((_, line)) = t.isrc {
                if t.mode != CueMode::Audio {
                    return Err(err(
                        line,
                        format!(
                            "ISRC on data track {}: ISRCs are only allowed on audio tracks",
                            t.number
                        ),
                    ));
                }
            }
            if t.mode != CueMode::Audio && (t.flags.four_channel || t.flags.pre_emphasis) {
                warnings.push(format!(
                    "{}:{}: track {}: 4CH/PRE flags are ignored on data tracks",
                    self.path.display(),
                    t.line,
                    t.number
                ));
            }
        }
        let mut b = Builder {
            tracks: Vec::new(),
            body: Vec::new(),
        };
        // Flattened index events in order.
        let events: Vec<(usize, CueIndex)> = self
            .tracks
            .iter()
            .enumerate()
            .flat_map(|(k, t)| t.indexes.iter().map(move |i| (k, *i)))
            .collect();
        let encoding_of = |t: &CueTrack, file: usize| match (t.mode, self.files[file].kind) {
            (CueMode::Audio, CueFileKind::Motorola) => Encoding::AudioSwapped,
            (CueMode::Audio, _) | (CueMode::Mode1Cooked, _) | (CueMode::Mode2Cooked, _) => {
                Encoding::User
            }
            (CueMode::Mode1Raw, _) | (CueMode::Mode2Raw, _) => Encoding::Full,
        };
        // Owner of the current run: (track, index number).
        let mut owner: (usize, u8) = (0, 0);
        let mut e = 0;
        while e < events.len() {
            let file = events[e].1.file;
            let end_e = events[e..]
                .iter()
                .position(|(_, i)| i.file != file)
                .map_or(events.len(), |p| e + p);
            let (base, len) = data[file];
            let src = source_of[file].unwrap_or(0);
            let fname = &self.files[file].name;
            let mut byte: u64 = 0;
            let mut pos: u32 = 0;
            for k in e..=end_e {
                // Run [pos, next) belongs to `owner`.
                let t = &self.tracks[owner.0];
                let size = t.mode.sector_size();
                let (count, line) = if k < end_e {
                    let i = events[k].1;
                    let c = i.position.checked_sub(pos).ok_or_else(|| {
                        err(
                            i.line,
                            format!(
                                "INDEX {:02} must lie after the previous index in the same file",
                                i.number
                            ),
                        )
                    })?;
                    (c, i.line)
                } else {
                    let last = events[end_e - 1].1;
                    let avail = len.saturating_sub(byte);
                    if byte > len {
                        return Err(err(
                            last.line,
                            format!(
                                "INDEX {:02} lies beyond the end of '{fname}' ({len} bytes)",
                                last.number
                            ),
                        ));
                    }
                    if avail % size != 0 {
                        return Err(err(self.files[file].line, format!("'{fname}': the {avail} bytes from byte offset {byte} on are not a whole number of {size}-byte sectors (track {} {})", t.number, mode_name(t.mode))));
                    }
                    let c = avail / size;
                    if c > u32::MAX as u64 / 2 {
                        return Err(err(last.line, format!("'{fname}' is too large")));
                    }
                    (c as u32, last.line)
                };
                if byte + count as u64 * size > len {
                    return Err(err(
                        line,
                        format!("INDEX lies beyond the end of '{fname}', which holds {len} bytes"),
                    ));
                }
                b.push(
                    owner,
                    count,
                    Content::Source {
                        source: src,
                        offset: base + byte,
                        encoding: encoding_of(t, file),
                    },
                    self,
                );
                byte += count as u64 * size;
                if k < end_e {
                    let (tk, i) = events[k];
                    pos = i.position;
                    b.start(tk, i.number, self);
                    owner = (tk, i.number);
                }
            }
            e = end_e;
        }
        b.finish(self);
        let layout = Layout {
            first_track: first.number,
            mcn: self.catalog,
            tracks: b.tracks,
            sources,
            ..Layout::default()
        };
        Ok(LoadedLayout::new(layout, warnings))
    }
}

fn mode_name(m: CueMode) -> &'static str {
    match m {
        CueMode::Audio => "AUDIO",
        CueMode::Mode1Cooked => "MODE1/2048",
        CueMode::Mode1Raw => "MODE1/2352",
        CueMode::Mode2Cooked => "MODE2/2336",
        CueMode::Mode2Raw => "MODE2/2352",
    }
}

impl Builder {
    /// Makes sure tracks up to `k` exist (with their PREGAP).
    fn ensure(&mut self, k: usize, sheet: &CueSheet) {
        while self.tracks.len() <= k {
            let n = self.tracks.len();
            if n > 0 {
                self.close(n - 1, sheet);
            }
            let t = &sheet.tracks[n];
            let f = t.flags;
            let copy = if f.scms {
                CopySetting::Scms
            } else if f.dcp {
                CopySetting::Permitted
            } else {
                CopySetting::Prohibited
            };
            let audio = t.mode == CueMode::Audio;
            let mut track = Track {
                sector_type: t.mode.sector_type(),
                flags: TrackFlags {
                    copy,
                    pre_emphasis: audio && f.pre_emphasis,
                    four_channel: audio && f.four_channel,
                },
                isrc: t.isrc.map(|(i, _)| i),
                pregap: 0,
                indexes: Vec::new(),
                segments: Vec::new(),
            };
            let gap = t.pregap.unwrap_or(0) + if n == 0 { PREGAP_SECTORS as u32 } else { 0 };
            if gap > 0 {
                track.pregap = gap;
                track.segments.push(Segment {
                    sectors: gap,
                    content: Content::Zero,
                });
            }
            self.tracks.push(track);
            self.body.push(0);
        }
    }

    fn close(&mut self, k: usize, sheet: &CueSheet) {
        if let Some(pg) = sheet.tracks[k].postgap.filter(|&p| p > 0) {
            self.tracks[k].segments.push(Segment {
                sectors: pg,
                content: Content::Zero,
            });
        }
    }

    fn start(&mut self, k: usize, index: u8, sheet: &CueSheet) {
        self.ensure(k, sheet);
        if index >= 2 {
            let off = self.body[k];
            self.tracks[k].indexes.push(off);
        }
    }

    fn push(&mut self, (k, index): (usize, u8), count: u32, content: Content, sheet: &CueSheet) {
        if count == 0 {
            return;
        }
        self.ensure(k, sheet);
        let t = &mut self.tracks[k];
        if index == 0 {
            t.pregap += count;
        } else {
            self.body[k] += count;
        }
        if let (
            Some(last),
            Content::Source {
                source,
                offset,
                encoding,
            },
        ) = (t.segments.last_mut(), &content)
        {
            if let Content::Source {
                source: s2,
                offset: o2,
                encoding: e2,
            } = &last.content
            {
                let size = crate::layout::bytes_per_sector(t.sector_type, *e2) as u64;
                if s2 == source && e2 == encoding && o2 + last.sectors as u64 * size == *offset {
                    last.sectors += count;
                    return;
                }
            }
        }
        t.segments.push(Segment {
            sectors: count,
            content,
        });
    }

    fn finish(&mut self, sheet: &CueSheet) {
        self.ensure(sheet.tracks.len() - 1, sheet);
        self.close(sheet.tracks.len() - 1, sheet);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::common::MemResolver;
    use crate::layout::Toc;
    use proptest::prelude::*;

    const S: u64 = 2352;

    fn layout(text: &str, files: &[(&str, u64)]) -> Result<LoadedLayout> {
        let sheet = parse_cue(text, "t.cue")?;
        sheet.to_layout(Path::new("."), &mut MemResolver::with(files))
    }

    fn toc(text: &str, files: &[(&str, u64)]) -> Toc {
        layout(text, files).unwrap().layout.plan().unwrap().toc()
    }

    fn err(text: &str, files: &[(&str, u64)]) -> String {
        layout(text, files).unwrap_err().to_string()
    }

    #[test]
    fn single_audio_track_starts_at_lba_0() {
        let t = toc(
            "FILE \"a.bin\" BINARY\n TRACK 01 AUDIO\n  INDEX 01 00:00:00\n",
            &[("a.bin", 400 * S)],
        );
        assert_eq!(t.tracks[0].start_lba, 0);
        assert_eq!(t.leadout_lba, 400);
        assert_eq!(t.tracks[0].control, 0x0, "no DCP: copy prohibited");
        assert_eq!(t.tracks[0].indexes[0].lba, -150);
    }

    #[test]
    fn indexes_pregaps_flags_isrc_catalog() {
        let cue = "\u{feff}REM test\r\ncatalog 0123456789012\r\nFILE a.bin BINARY\r\n  TRACK 01 AUDIO\r\n    FLAGS DCP PRE 4CH\r\n    ISRC USK7Y9812345\r\n    INDEX 01 00:00:00\r\n    INDEX 02 00:10:00\r\n  TRACK 02 AUDIO\r\n    INDEX 00 00:20:00\r\n    INDEX 01 00:22:00\r\n  TRACK 03 MODE1/2352\r\n    PREGAP 00:02:00\r\n    INDEX 01 00:30:00\r\n    POSTGAP 00:02:00\r\n";
        let l = layout(cue, &[("a.bin", 2600 * S)]).unwrap();
        let t = l.layout.plan().unwrap().toc();
        assert_eq!(t.mcn.unwrap().to_string(), "0123456789012");
        let t1 = &t.tracks[0];
        assert_eq!(t1.control, 0x2 | 0x1 | 0x8);
        assert_eq!(t1.isrc.unwrap().to_string(), "USK7Y9812345");
        assert_eq!(
            t1.indexes
                .iter()
                .map(|i| (i.number, i.lba))
                .collect::<Vec<_>>(),
            vec![(0, -150), (1, 0), (2, 750)]
        );
        let t2 = &t.tracks[1];
        assert_eq!(t2.indexes[0].lba, 1500);
        assert_eq!(t2.start_lba, 1650);
        assert_eq!(t2.control, 0);
        let t3 = &t.tracks[2];
        assert_eq!(t3.sector_type, SectorType::Mode1);
        assert_eq!(t3.control, 0x4);
        assert_eq!(t3.indexes[0].lba, 2250, "PREGAP adds 150 generated sectors");
        assert_eq!(t3.start_lba, 2400);
        assert_eq!(t.leadout_lba, 2400 + 350 + 150);
        let tr = &l.layout.tracks[2];
        assert_eq!(
            tr.segments[0],
            Segment {
                sectors: 150,
                content: Content::Zero
            }
        );
        assert_eq!(
            tr.segments[1].content,
            Content::Source {
                source: 0,
                offset: 2250 * S,
                encoding: Encoding::Full
            }
        );
        assert_eq!(
            tr.segments[2],
            Segment {
                sectors: 150,
                content: Content::Zero
            }
        );
    }

    #[test]
    fn multi_file_with_index_0_in_previous_file() {
        let cue = "FILE \"a b.wav\" WAVE\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nTRACK 02 AUDIO\nINDEX 00 00:04:00\nFILE \"c.bin\" MOTOROLA\nINDEX 01 00:00:00\n";
        let l = layout(cue, &[("a b.wav", 400 * S), ("c.bin", 500 * S)]).unwrap();
        let t = l.layout.plan().unwrap().toc();
        assert_eq!(t.tracks[1].indexes[0].lba, 300);
        assert_eq!(t.tracks[1].start_lba, 400);
        assert_eq!(t.leadout_lba, 900);
        let t2 = &l.layout.tracks[1];
        assert_eq!(t2.pregap, 100);
        assert_eq!(
            t2.segments[1].content,
            Content::Source {
                source: 1,
                offset: 0,
                encoding: Encoding::AudioSwapped
            }
        );
    }

    #[test]
    fn leading_data_of_a_later_file_belongs_to_the_previous_index() {
        let cue = "FILE a.bin BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nFILE b.bin BINARY\nTRACK 02 AUDIO\nINDEX 01 00:01:00\n";
        let t = toc(cue, &[("a.bin", 300 * S), ("b.bin", 400 * S)]);
        assert_eq!(t.tracks[1].start_lba, 375);
        assert_eq!(t.tracks[0].sector_count, 375);
        assert_eq!(t.leadout_lba, 700);
    }

    #[test]
    fn mode_mapping_and_sizes() {
        let cue = "FILE a.iso BINARY\nTRACK 01 MODE1/2048\nINDEX 01 00:00:00\nFILE b.bin BINARY\nTRACK 02 MODE2/2352\nINDEX 00 00:00:00\nINDEX 01 00:03:00\nFILE c.bin BINARY\nTRACK 03 MODE2/2336\nINDEX 01 00:00:00\n";
        let l = layout(
            cue,
            &[
                ("a.iso", 300 * 2048),
                ("b.bin", 525 * S),
                ("c.bin", 300 * 2336),
            ],
        )
        .unwrap();
        let p = l.layout.plan().unwrap();
        assert_eq!(p.disc_type, 0x20);
        let t = p.toc();
        assert_eq!(t.tracks[0].sector_type, SectorType::Mode1);
        assert_eq!(t.tracks[1].sector_type, SectorType::Mode2Form1);
        assert_eq!(t.tracks[2].sector_type, SectorType::Mode2Form0);
        assert_eq!(t.tracks[1].start_lba, 300 + 225);
        assert_eq!(t.leadout_lba, 300 + 525 + 300);
    }

    #[test]
    fn flags_scms_and_data_warning() {
        let cue = "FILE a.bin BINARY\nTRACK 01 MODE1/2352\nFLAGS DCP 4CH\nINDEX 01 00:00:00\nTRACK 02 AUDIO\nFLAGS SCMS\nINDEX 01 00:05:00\n";
        let l = layout(cue, &[("a.bin", 800 * S)]).unwrap();
        assert_eq!(l.layout.tracks[0].flags.copy, CopySetting::Permitted);
        assert!(!l.layout.tracks[0].flags.four_channel);
        assert_eq!(l.layout.tracks[1].flags.copy, CopySetting::Scms);
        assert!(
            l.warnings
                .iter()
                .any(|w| w.contains("ignored on data tracks")),
            "{:?}",
            l.warnings
        );
    }

    #[test]
    fn errors_name_file_and_line() {
        let f = &[("a.bin", 400 * S)];
        let cases: &[(&str, &str)] = &[
            ("FILE a.bin BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:75\n", "t.cue:3: frame field 75"),
            ("FILE a.bin BINARY\nTRACK 01 AUDIO\nINDEX 01 00:60:00\n", "t.cue:3: seconds field 60"),
            ("FILE a.bin BINARY\nTRACK 01 MODE3\nINDEX 01 00:00:00\n", "t.cue:2: unknown track mode 'MODE3'"),
            ("FILE a.bin BINARY\nTRACK 01 CDG\nINDEX 01 00:00:00\n", "t.cue:2: track mode CDG"),
            ("FILE a.bin BINARY\nTRACK 01 MODE2/2048\n", "t.cue:2: track mode MODE2/2048"),
            ("FILE a.bin BINARY\nTRACK 01 CDI/2352\n", "t.cue:2: track mode CDI/2352"),
            ("FILE a.mp3 MP3\nTRACK 01 AUDIO\n", "t.cue:1: FILE type MP3 is not supported"),
            ("FILE a.aiff AIFF\n", "t.cue:1: FILE type AIFF is not supported"),
            ("CATALOG 12345\n", "t.cue:1: catalog number '12345' has 5 digits"),
            ("FILE a.bin BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nINDEX 03 00:01:00\n", "t.cue:4: INDEX 03 out of order"),
            ("FILE a.bin BINARY\nTRACK 01 AUDIO\nINDEX 01 00:01:00\nTRACK 02 AUDIO\nINDEX 01 00:00:10\n", "t.cue:5: INDEX 01 at 00:00:10 must lie after"),
            ("FILE a.bin BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nTRACK 03 AUDIO\n", "t.cue:4: track number 3 must follow track 1"),
            ("FILE a.bin BINARY\nTRACK 01 AUDIO\nTRACK 02 AUDIO\nINDEX 01 00:00:00\n", "t.cue:2: track 1 has no INDEX 01"),
            ("TRACK 01 AUDIO\n", "t.cue:1: TRACK before any FILE"),
            ("FILE a.bin BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nPREGAP 00:02:00\n", "t.cue:4: PREGAP must come before"),
            ("FILE \"a.bin BINARY\n", "t.cue:1: unterminated quoted string"),
            ("FILE a.bin BINARY\nTRACK 01 MODE1/2048\nISRC USK7Y9812345\nINDEX 01 00:00:00\n", "t.cue:3: ISRC on data track 1"),
            ("FILE b.bin BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n", "t.cue:1: file 'b.bin' does not exist"),
            ("FILE a.bin BINARY\nTRACK 01 AUDIO\nINDEX 01 00:06:00\n", "t.cue:3: INDEX lies beyond the end of 'a.bin'"),
            ("FILE a.bin BINARY\nTRACK 01 MODE1/2048\nINDEX 01 00:00:00\n", "t.cue:1: 'a.bin': the 940800 bytes from byte offset 0 on are not a whole number of 2048-byte sectors"),
            ("", "t.cue:1: the cue sheet has no TRACK"),
        ];
        for (cue, want) in cases {
            let e = err(cue, f);
            assert!(e.starts_with(want), "cue {cue:?}\n got  {e}\n want {want}");
        }
    }

    #[test]
    fn odd_sized_file_is_an_error_naming_it() {
        let e = err(
            "FILE a.bin BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n",
            &[("a.bin", 400 * S + 7)],
        );
        assert!(
            e.contains("'a.bin'") && e.contains("not a whole number"),
            "{e}"
        );
    }

    #[test]
    fn ast_keeps_cd_text_and_lines() {
        let s = parse_cue("TITLE \"Disc\"\nPERFORMER Me\nCDTEXTFILE x.cdt\nFILE a.bin BINARY\nTRACK 01 AUDIO\nTITLE \"Song One\"\nSONGWRITER \"S\"\nINDEX 01 00:00:00\nFOO bar\n", "t.cue").unwrap();
        assert_eq!(s.title.as_deref(), Some("Disc"));
        assert_eq!(s.performer.as_deref(), Some("Me"));
        assert_eq!(s.cdtextfile.as_deref(), Some("x.cdt"));
        assert_eq!(s.tracks[0].title.as_deref(), Some("Song One"));
        assert_eq!(s.tracks[0].songwriter.as_deref(), Some("S"));
        assert_eq!(s.tracks[0].line, 5);
        assert_eq!(s.tracks[0].indexes[0].line, 8);
        assert!(s.warnings[0].contains("t.cue:9: unknown command 'FOO'"));
    }

    #[test]
    fn real_files_wave_and_case_fallback() {
        let dir = tempfile::tempdir().unwrap();
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 44_100,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(dir.path().join("song.wav"), spec).unwrap();
        for _ in 0..588 * 2 * 300 {
            w.write_sample(1i16).unwrap();
        }
        w.finalize().unwrap();
        std::fs::write(dir.path().join("data.bin"), vec![0u8; 300 * 2352]).unwrap();
        let cue = dir.path().join("x.cue");
        std::fs::write(&cue, "FILE \"DATA.BIN\" BINARY\nTRACK 01 MODE1/2352\nINDEX 01 00:00:00\nFILE song.wav WAVE\nTRACK 02 AUDIO\nINDEX 00 00:00:00\nINDEX 01 00:02:00\n").unwrap();
        let l = crate::formats::load(&cue).unwrap();
        assert!(
            l.warnings
                .iter()
                .any(|w| w.contains("x.cue:1:") && w.contains("differs only in case")),
            "{:?}",
            l.warnings
        );
        let p = l.layout.plan().unwrap();
        assert_eq!(p.tracks[1].start, 450);
        assert_eq!(p.leadout, 600);
        match &l.layout.tracks[1].segments[0].content {
            Content::Source { offset, .. } => assert_eq!(*offset, 44),
            c => panic!("{c:?}"),
        }
    }

    proptest! {
        #[test]
        fn never_panics_on_random_text(s in "\\PC*") {
            if let Ok(sheet) = parse_cue(&s, "f.cue") {
                let _ = sheet.to_layout(Path::new("."), &mut MemResolver::default());
            }
        }

        #[test]
        fn never_panics_on_cue_like_text(lines in proptest::collection::vec(
            "(FILE \"a.bin\" (BINARY|MOTOROLA|WAVE)|TRACK [0-9]{1,2} (AUDIO|MODE1/2352|MODE2/2336|MODE1/2048)|INDEX [0-9]{1,2} [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}|PREGAP 0[0-9]:[0-9]{2}:[0-9]{2}|POSTGAP 00:0[0-9]:00|FLAGS (DCP|PRE|4CH|SCMS)|CATALOG [0-9]{13})", 0..14),
            len in 0u64..2_000_000) {
            let text = lines.join("\n");
            if let Ok(sheet) = parse_cue(&text, "f.cue") {
                if let Ok(l) = sheet.to_layout(Path::new("."), &mut MemResolver::with(&[("a.bin", len)])) {
                    let _ = l.layout.plan();
                }
            }
        }

        #[test]
        fn never_panics_on_bytes(b in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse_cue(&String::from_utf8_lossy(&b), "f.cue");
        }
    }
}
