//! cdrdao `.toc` files: the common subset, parsed into a [`TocFile`] (with
//! line numbers) and turned into a [`Layout`] by [`TocFile::to_layout`].
//!
//! # Syntax
//!
//! Free-form tokens with `//` comments. Global: `CD_DA | CD_ROM | CD_ROM_XA |
//! CD_I`, `CATALOG "ddddddddddddd"`, `CD_TEXT { … }`. Per track:
//! `TRACK mode [RW | RW_RAW]` with mode `AUDIO`, `MODE0`, `MODE1`,
//! `MODE1_RAW`, `MODE2`, `MODE2_FORM1`, `MODE2_FORM2`, `MODE2_FORM_MIX`,
//! `MODE2_RAW`; then `[NO] COPY`, `[NO] PRE_EMPHASIS`, `TWO_CHANNEL_AUDIO`,
//! `FOUR_CHANNEL_AUDIO`, `ISRC "…"`, `CD_TEXT { … }`, `PREGAP msf`, and the
//! contents: `SILENCE len`, `ZERO [mode] len`,
//! `FILE | AUDIOFILE "f" [SWAP] [#offset] start [len]`,
//! `DATAFILE "f" [#offset] [len]`, `START [msf]`, `INDEX msf`.
//! Audio lengths and positions are `MM:SS:FF` or a sample count (which must
//! be a multiple of 588, a whole sector); data lengths are `MM:SS:FF` or a
//! byte count (a whole number of sectors). A length of 0 means "to the end
//! of the file", as in cdrdao. `CD_TEXT` blocks are parsed and kept as
//! [`CdTextItem`]s (not yet written to the image).
//!
//! # Verdicts (as cdrdao's)
//!
//! * `FILE`/`AUDIOFILE` and `SILENCE` only in audio tracks (data tracks use
//!   `DATAFILE` and `ZERO`).
//! * A start position or length beyond the file is an error ("start position
//!   … exceeds available data of file …").
//! * A track shorter than 4 seconds is a warning (from
//!   [`Layout::plan`]); cdrdao makes it an error unless `--force`.
//!
//! # Mapping and deliberate choices
//!
//! | mode | sector type | bytes per sector in a file |
//! |---|---|---|
//! | `AUDIO` | `Audio` | 2352 |
//! | `MODE0` | `Mode0` | 2336 |
//! | `MODE1` / `MODE1_RAW` | `Mode1` | 2048 / 2352 (`Encoding::Full`) |
//! | `MODE2` / `MODE2_FORM_MIX` | `Mode2Form0` | 2336 (copied as they are, subheaders included) |
//! | `MODE2_FORM1` | `Mode2Form1` | 2048 |
//! | `MODE2_FORM2` | `Mode2Form2` | only `ZERO`: cdrdao's 2324-byte files have no layout encoding |
//! | `MODE2_RAW` | `Mode2Form1` | 2352 (`Encoding::Full`, as cue `MODE2/2352`) |
//!
//! * Raw audio files named by `FILE`/`AUDIOFILE` hold big-endian samples, as
//!   cdrdao expects (`Encoding::AudioSwapped`); `SWAP` means little-endian.
//!   Files ending in `.wav` are read through their `data` chunk
//!   (little-endian). `DATAFILE` data is taken as it is (little-endian audio).
//! * When the data from the start position to the end of a file is not a
//!   whole number of sectors, the partial sector is left out with a warning
//!   (cdrdao pads it).
//! * The first 150 sectors (LBA −150..−1) are always generated in front of
//!   the first track; `PREGAP`/`START` on track 1 add to them.
//! * Sub-channel modes `RW`/`RW_RAW` and `FIFO` are refused as not supported.

use std::path::{Path, PathBuf};

use super::common::{looks_like_msf, parse_msf_frames, FileResolver, FsResolver, LoadedLayout};
use crate::error::{Error, Result};
use crate::layout::{
    Content, CopySetting, Encoding, Isrc, Layout, Mcn, Segment, SourceInfo, Track, TrackFlags,
};
use crate::msf::PREGAP_SECTORS;
use crate::sector::SectorType;

const SAMPLES_PER_SECTOR: u64 = 588;

/// The disc type line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TocDiscType {
    /// `CD_DA`.
    CdDa,
    /// `CD_ROM`.
    CdRom,
    /// `CD_ROM_XA`.
    CdRomXa,
    /// `CD_I`.
    CdI,
}

/// A track mode of a `.toc` file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TocMode {
    /// `AUDIO`.
    Audio,
    /// `MODE0`.
    Mode0,
    /// `MODE1`.
    Mode1,
    /// `MODE1_RAW`.
    Mode1Raw,
    /// `MODE2`.
    Mode2,
    /// `MODE2_FORM1`.
    Mode2Form1,
    /// `MODE2_FORM2`.
    Mode2Form2,
    /// `MODE2_FORM_MIX`.
    Mode2FormMix,
    /// `MODE2_RAW`.
    Mode2Raw,
}

impl TocMode {
    fn parse(s: &str) -> Option<TocMode> {
        Some(match s {
            "AUDIO" => TocMode::Audio,
            "MODE0" => TocMode::Mode0,
            "MODE1" => TocMode::Mode1,
            "MODE1_RAW" => TocMode::Mode1Raw,
            "MODE2" => TocMode::Mode2,
            "MODE2_FORM1" => TocMode::Mode2Form1,
            "MODE2_FORM2" => TocMode::Mode2Form2,
            "MODE2_FORM_MIX" => TocMode::Mode2FormMix,
            "MODE2_RAW" => TocMode::Mode2Raw,
            _ => return None,
        })
    }

    /// Sector type in the layout model (see the module docs).
    pub fn sector_type(self) -> SectorType {
        match self {
            TocMode::Audio => SectorType::Audio,
            TocMode::Mode0 => SectorType::Mode0,
            TocMode::Mode1 | TocMode::Mode1Raw => SectorType::Mode1,
            TocMode::Mode2 | TocMode::Mode2FormMix => SectorType::Mode2Form0,
            TocMode::Mode2Form1 | TocMode::Mode2Raw => SectorType::Mode2Form1,
            TocMode::Mode2Form2 => SectorType::Mode2Form2,
        }
    }

    /// cdrdao's block size for data of this mode in a file.
    pub fn block_size(self) -> u64 {
        match self {
            TocMode::Audio | TocMode::Mode1Raw | TocMode::Mode2Raw => 2352,
            TocMode::Mode1 | TocMode::Mode2Form1 => 2048,
            TocMode::Mode0 | TocMode::Mode2 | TocMode::Mode2FormMix => 2336,
            TocMode::Mode2Form2 => 2324,
        }
    }

    fn encoding(self) -> Encoding {
        match self {
            TocMode::Mode1Raw | TocMode::Mode2Raw => Encoding::Full,
            _ => Encoding::User,
        }
    }
}

/// One CD-Text item of a `CD_TEXT` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdTextItem {
    /// Language block number.
    pub language: u8,
    /// Item name (`TITLE`, `PERFORMER`, …).
    pub key: String,
    /// The string, or the bytes of a binary item as decimal numbers.
    pub value: String,
}

/// A length or position as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TocLen {
    /// `MM:SS:FF`, in sectors.
    Sectors(u32),
    /// A bare number: samples for audio, bytes for data.
    Units(u64),
}

/// Content of a track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TocItem {
    /// `SILENCE len`.
    Silence {
        /// Length.
        len: TocLen,
        /// Line.
        line: usize,
    },
    /// `ZERO [mode] len`.
    Zero {
        /// Length.
        len: TocLen,
        /// Line.
        line: usize,
    },
    /// `FILE`/`AUDIOFILE "f" [SWAP] [#offset] start [len]`.
    AudioFile {
        /// File name.
        name: String,
        /// `SWAP`: samples are little-endian.
        swap: bool,
        /// `#offset` in bytes.
        offset: u64,
        /// Start position.
        start: TocLen,
        /// Length (none or 0: to the end).
        len: Option<TocLen>,
        /// Line.
        line: usize,
    },
    /// `DATAFILE "f" [#offset] [len]`.
    DataFile {
        /// File name.
        name: String,
        /// `#offset` in bytes.
        offset: u64,
        /// Length (none or 0: to the end).
        len: Option<TocLen>,
        /// Line.
        line: usize,
    },
}

/// A `TRACK` and its statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocTrack {
    /// Line of `TRACK`.
    pub line: usize,
    /// Mode.
    pub mode: TocMode,
    /// `COPY` (default `NO COPY`).
    pub copy: bool,
    /// `PRE_EMPHASIS`.
    pub pre_emphasis: bool,
    /// `FOUR_CHANNEL_AUDIO`.
    pub four_channel: bool,
    /// `ISRC` and its line.
    pub isrc: Option<(Isrc, usize)>,
    /// `CD_TEXT` items.
    pub cd_text: Vec<CdTextItem>,
    /// `PREGAP` in sectors and its line.
    pub pregap: Option<(u32, usize)>,
    /// `START`: `Ok(sectors)` for `START msf`, `Err(items before it)` for a bare `START`, with the line.
    pub start: Option<(std::result::Result<u32, usize>, usize)>,
    /// `INDEX` offsets from the track start (sectors) with lines.
    pub indexes: Vec<(u32, usize)>,
    /// Contents in order.
    pub items: Vec<TocItem>,
}

/// A parsed `.toc` file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TocFile {
    /// File name used in messages.
    pub path: PathBuf,
    /// Disc type line.
    pub disc_type: Option<TocDiscType>,
    /// `CATALOG`.
    pub catalog: Option<Mcn>,
    /// Disc `CD_TEXT` items.
    pub cd_text: Vec<CdTextItem>,
    /// Tracks.
    pub tracks: Vec<TocTrack>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum T {
    Str(String),
    Word(String),
    Hash(String),
    Punct(char),
}

fn tokenize(text: &str, path: &Path) -> Result<Vec<(T, usize)>> {
    let mut out = Vec::new();
    let mut line = 1;
    let mut it = text.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\n' => line += 1,
            c if c.is_whitespace() || c == '\u{feff}' => {}
            '/' if it.peek() == Some(&'/') => {
                for c in it.by_ref() {
                    if c == '\n' {
                        line += 1;
                        break;
                    }
                }
            }
            '"' => {
                let start = line;
                let mut s = String::new();
                loop {
                    match it.next() {
                        None => return Err(Error::parse(path, start, "unterminated string")),
                        Some('"') => break,
                        Some('\n') => {
                            line += 1;
                            s.push('\n');
                        }
                        Some('\\') => match it.next() {
                            Some(d @ '0'..='7') => {
                                let mut v = d as u32 - '0' as u32;
                                for _ in 0..2 {
                                    if let Some(&d @ '0'..='7') = it.peek() {
                                        v = v * 8 + (d as u32 - '0' as u32);
                                        it.next();
                                    }
                                }
                                s.push(char::from_u32(v).unwrap_or('?'));
                            }
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some(o) => {
                                if o == '\n' {
                                    line += 1;
                                }
                                s.push(o)
                            }
                            None => return Err(Error::parse(path, start, "unterminated string")),
                        },
                        Some(o) => s.push(o),
                    }
                }
                out.push((T::Str(s), start));
            }
            '#' => {
                let mut s = String::new();
                while let Some(&d) = it.peek() {
                    if d.is_ascii_alphanumeric() {
                        s.push(d);
                        it.next();
                    } else {
                        break;
                    }
                }
                out.push((T::Hash(s), line));
            }
            c if c.is_alphanumeric() || c == '_' || c == ':' || c == '.' || c == '-' => {
                let mut s = String::from(c);
                while let Some(&d) = it.peek() {
                    if d.is_alphanumeric() || d == '_' || d == ':' || d == '.' || d == '-' {
                        s.push(d);
                        it.next();
                    } else {
                        break;
                    }
                }
                out.push((T::Word(s), line));
            }
            c => out.push((T::Punct(c), line)),
        }
    }
    Ok(out)
}

struct P<'a> {
    toks: Vec<(T, usize)>,
    pos: usize,
    path: &'a Path,
    last_line: usize,
}

impl P<'_> {
    fn peek(&self) -> Option<&T> {
        self.toks.get(self.pos).map(|t| &t.0)
    }
    fn line(&self) -> usize {
        self.toks.get(self.pos).map_or(self.last_line, |t| t.1)
    }
    fn next(&mut self) -> Option<(T, usize)> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }
    fn err(&self, line: usize, msg: impl Into<String>) -> Error {
        Error::parse(self.path, line, msg)
    }
    fn peek_word(&self) -> Option<String> {
        match self.peek() {
            Some(T::Word(w)) => Some(w.clone()),
            _ => None,
        }
    }
    fn string(&mut self, what: &str, line: usize) -> Result<String> {
        match self.peek() {
            Some(T::Str(s)) => {
                let s = s.clone();
                self.pos += 1;
                Ok(s)
            }
            _ => Err(self.err(line, format!("{what} needs a quoted string"))),
        }
    }
    /// An MSF (`Sectors`) or a bare number (`Units`).
    fn len(&mut self, what: &str, line: usize) -> Result<TocLen> {
        match self.peek_word() {
            Some(w) if looks_like_msf(&w) || w.contains(':') => {
                self.pos += 1;
                parse_msf_frames(&w)
                    .map(TocLen::Sectors)
                    .map_err(|m| self.err(line, format!("{what}: {m}")))
            }
            Some(w) if !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()) => {
                self.pos += 1;
                w.parse::<u64>()
                    .ok()
                    .filter(|&v| v < 1 << 40)
                    .map(TocLen::Units)
                    .ok_or_else(|| self.err(line, format!("{what}: number '{w}' is too large")))
            }
            Some(w) if w.contains(':') || w.bytes().any(|b| b.is_ascii_digit()) => {
                self.pos += 1;
                Err(self.err(line, format!("{what}: '{w}' is not a time MM:SS:FF")))
            }
            _ => Err(self.err(line, format!("{what} needs a length MM:SS:FF"))),
        }
    }
    fn opt_len(&mut self, what: &str, line: usize) -> Result<Option<TocLen>> {
        match self.peek_word() {
            Some(w) if w.bytes().next().is_some_and(|b| b.is_ascii_digit()) || w.contains(':') => {
                self.len(what, line).map(Some)
            }
            _ => Ok(None),
        }
    }
    fn msf(&mut self, what: &str, line: usize) -> Result<u32> {
        match self.len(what, line)? {
            TocLen::Sectors(s) => Ok(s),
            TocLen::Units(_) => Err(self.err(line, format!("{what} needs a time MM:SS:FF"))),
        }
    }
    fn hash(&mut self, line: usize) -> Result<Option<u64>> {
        if let Some(T::Hash(h)) = self.peek() {
            let h = h.clone();
            self.pos += 1;
            return h
                .parse::<u64>()
                .ok()
                .filter(|&v| v < 1 << 40)
                .map(Some)
                .ok_or_else(|| self.err(line, format!("'#{h}' is not a byte offset")));
        }
        Ok(None)
    }
    fn expect_punct(&mut self, c: char, what: &str) -> Result<()> {
        let line = self.line();
        match self.next() {
            Some((T::Punct(p), _)) if p == c => Ok(()),
            _ => Err(self.err(line, format!("expected '{c}' {what}"))),
        }
    }

    fn cd_text(&mut self) -> Result<Vec<CdTextItem>> {
        self.expect_punct('{', "after CD_TEXT")?;
        let mut items = Vec::new();
        loop {
            let line = self.line();
            match self.next() {
                Some((T::Punct('}'), _)) => return Ok(items),
                Some((T::Word(w), _)) if w == "LANGUAGE_MAP" => {
                    self.expect_punct('{', "after LANGUAGE_MAP")?;
                    self.skip_block(line)?;
                }
                Some((T::Word(w), _)) if w == "LANGUAGE" => {
                    let n = match self.next() {
                        Some((T::Word(n), _)) => n.parse::<u8>().ok().filter(|&n| n < 8),
                        _ => None,
                    }
                    .ok_or_else(|| self.err(line, "LANGUAGE needs a number 0..7"))?;
                    self.expect_punct('{', "after LANGUAGE n")?;
                    loop {
                        let l = self.line();
                        match self.next() {
                            Some((T::Punct('}'), _)) => break,
                            Some((T::Word(key), _)) => {
                                let value = match self.peek() {
                                    Some(T::Str(_)) => self.string(&key, l)?,
                                    Some(T::Punct('{')) => {
                                        self.pos += 1;
                                        let mut v = Vec::new();
                                        loop {
                                            match self.next() {
                                                Some((T::Punct('}'), _)) => break,
                                                Some((T::Punct(','), _)) => {}
                                                Some((T::Word(n), _)) => v.push(n),
                                                _ => {
                                                    return Err(self.err(
                                                        l,
                                                        format!("{key}: expected numbers and '}}'"),
                                                    ))
                                                }
                                            }
                                        }
                                        v.join(",")
                                    }
                                    _ => {
                                        return Err(self.err(
                                            l,
                                            format!(
                                                "CD-Text item {key} needs a string or {{ bytes }}"
                                            ),
                                        ))
                                    }
                                };
                                items.push(CdTextItem {
                                    language: n,
                                    key,
                                    value,
                                });
                            }
                            _ => return Err(self.err(l, "expected a CD-Text item or '}'")),
                        }
                    }
                }
                None => return Err(self.err(line, "CD_TEXT block is not closed with '}'")),
                Some(_) => {
                    return Err(self.err(line, "expected LANGUAGE, LANGUAGE_MAP or '}' in CD_TEXT"))
                }
            }
        }
    }

    fn skip_block(&mut self, line: usize) -> Result<()> {
        let mut depth = 1;
        while depth > 0 {
            match self.next() {
                Some((T::Punct('{'), _)) => depth += 1,
                Some((T::Punct('}'), _)) => depth -= 1,
                Some(_) => {}
                None => return Err(self.err(line, "block is not closed with '}'")),
            }
        }
        Ok(())
    }
}

/// Parses a `.toc` file. `path` is used in messages.
pub fn parse_toc(text: &str, path: impl AsRef<Path>) -> Result<TocFile> {
    let path = path.as_ref();
    let toks = tokenize(text, path)?;
    let last_line = text.lines().count().max(1);
    let mut p = P {
        toks,
        pos: 0,
        path,
        last_line,
    };
    let mut toc = TocFile {
        path: path.to_path_buf(),
        ..TocFile::default()
    };
    while let Some((tok, line)) = p.next() {
        let w = match tok {
            T::Word(w) => w,
            T::Str(s) => return Err(p.err(line, format!("unexpected string \"{s}\""))),
            T::Hash(h) => return Err(p.err(line, format!("unexpected '#{h}'"))),
            T::Punct(c) => return Err(p.err(line, format!("unexpected '{c}'"))),
        };
        let in_track = !toc.tracks.is_empty();
        match w.as_str() {
            "CD_DA" | "CD_ROM" | "CD_ROM_XA" | "CD_I" if !in_track => {
                toc.disc_type = Some(match w.as_str() {
                    "CD_DA" => TocDiscType::CdDa,
                    "CD_ROM" => TocDiscType::CdRom,
                    "CD_ROM_XA" => TocDiscType::CdRomXa,
                    _ => TocDiscType::CdI,
                });
            }
            "CATALOG" if !in_track => {
                let s = match p.peek() {
                    Some(T::Str(s)) => s.clone(),
                    Some(T::Word(w))
                        if p.line() == line && w.bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        return Err(p.err(
                            line,
                            format!("CATALOG number {w} must be a quoted string of 13 digits"),
                        ))
                    }
                    _ => return Err(p.err(line, "CATALOG needs a 13-digit number in quotes")),
                };
                p.pos += 1;
                toc.catalog = Some(
                    Mcn::parse_exact(&s)
                        .map_err(|m| p.err(line, format!("illegal catalog number: {m}")))?,
                );
            }
            "CD_TEXT" => {
                let items = p.cd_text()?;
                match toc.tracks.last_mut() {
                    Some(t) => t.cd_text.extend(items),
                    None => toc.cd_text.extend(items),
                }
            }
            "TRACK" => {
                let m = p.peek_word().unwrap_or_default();
                let mode = TocMode::parse(&m).ok_or_else(|| {
                    p.err(line, format!("unknown track mode '{m}' (expected AUDIO, MODE0, MODE1, MODE1_RAW, MODE2, MODE2_FORM1, MODE2_FORM2, MODE2_FORM_MIX or MODE2_RAW)"))
                })?;
                p.pos += 1;
                if let Some(sub @ ("RW" | "RW_RAW")) = p.peek_word().as_deref() {
                    return Err(p.err(line, format!("sub-channel mode {sub} is not supported (R-W data is not carried by rawcd layouts)")));
                }
                if toc.tracks.len() >= 99 {
                    return Err(p.err(line, "more than 99 tracks"));
                }
                toc.tracks.push(TocTrack {
                    line,
                    mode,
                    copy: false,
                    pre_emphasis: false,
                    four_channel: false,
                    isrc: None,
                    cd_text: Vec::new(),
                    pregap: None,
                    start: None,
                    indexes: Vec::new(),
                    items: Vec::new(),
                });
            }
            _ if !in_track => {
                return Err(p.err(line, format!("unexpected '{w}' before the first TRACK")));
            }
            _ => track_statement(&mut p, &mut toc, &w, line)?,
        }
    }
    if toc.tracks.is_empty() {
        return Err(p.err(last_line, "the .toc file has no TRACK"));
    }
    Ok(toc)
}

fn track_statement(p: &mut P, toc: &mut TocFile, w: &str, line: usize) -> Result<()> {
    let nitems = toc.tracks.last().map_or(0, |t| t.items.len());
    let mode = toc.tracks.last().map_or(TocMode::Audio, |t| t.mode);
    let audio = mode == TocMode::Audio;
    let mut item = None;
    match w {
        "NO" => {
            let what = p.peek_word().unwrap_or_default();
            p.pos += 1;
            let t = toc
                .tracks
                .last_mut()
                .ok_or_else(|| p.err(line, "NO outside a track"))?;
            match what.as_str() {
                "COPY" => t.copy = false,
                "PRE_EMPHASIS" => t.pre_emphasis = false,
                _ => {
                    return Err(p.err(
                        line,
                        format!("expected COPY or PRE_EMPHASIS after NO, not '{what}'"),
                    ))
                }
            }
        }
        "COPY" | "PRE_EMPHASIS" | "TWO_CHANNEL_AUDIO" | "FOUR_CHANNEL_AUDIO" => {
            let t = toc
                .tracks
                .last_mut()
                .ok_or_else(|| p.err(line, "flag outside a track"))?;
            match w {
                "COPY" => t.copy = true,
                "PRE_EMPHASIS" => t.pre_emphasis = true,
                "TWO_CHANNEL_AUDIO" => t.four_channel = false,
                _ => t.four_channel = true,
            }
        }
        "ISRC" => {
            let s = p.string("ISRC", line)?;
            let isrc = Isrc::parse(&s).map_err(|m| p.err(line, m))?;
            if !audio {
                return Err(p.err(line, "ISRC is only allowed in audio tracks"));
            }
            if let Some(t) = toc.tracks.last_mut() {
                t.isrc = Some((isrc, line));
            }
        }
        "PREGAP" => {
            let s = p.msf("PREGAP", line)?;
            let t = toc
                .tracks
                .last_mut()
                .ok_or_else(|| p.err(line, "PREGAP outside a track"))?;
            if nitems > 0 || t.start.is_some() || t.pregap.is_some() {
                return Err(p.err(line, "PREGAP must come before the track's contents and cannot be combined with START"));
            }
            t.pregap = Some((s, line));
        }
        "START" => {
            let at = match p.opt_len("START", line)? {
                None => Err(nitems),
                Some(TocLen::Sectors(s)) => Ok(s),
                Some(TocLen::Units(_)) => return Err(p.err(line, "START needs a time MM:SS:FF")),
            };
            let t = toc
                .tracks
                .last_mut()
                .ok_or_else(|| p.err(line, "START outside a track"))?;
            if t.start.is_some() || t.pregap.is_some() {
                return Err(p.err(line, "a track can have only one START or PREGAP"));
            }
            t.start = Some((at, line));
        }
        "INDEX" => {
            let s = p.msf("INDEX", line)?;
            let t = toc
                .tracks
                .last_mut()
                .ok_or_else(|| p.err(line, "INDEX outside a track"))?;
            let prev = t.indexes.last().map_or(0, |i| i.0);
            if s <= prev {
                return Err(p.err(
                    line,
                    "INDEX must lie after the track start and the previous INDEX",
                ));
            }
            t.indexes.push((s, line));
        }
        "SILENCE" => {
            let len = p.len("SILENCE", line)?;
            if !audio {
                return Err(p.err(
                    line,
                    "SILENCE is only allowed in audio tracks (data tracks use ZERO)",
                ));
            }
            item = Some(TocItem::Silence { len, line });
        }
        "ZERO" => {
            if let Some(m) = p.peek_word().filter(|m| TocMode::parse(m).is_some()) {
                p.pos += 1;
                if TocMode::parse(&m) != Some(mode) {
                    return Err(p.err(line, format!("ZERO {m} does not match the track mode")));
                }
            }
            if let Some(sub @ ("RW" | "RW_RAW")) = p.peek_word().as_deref() {
                return Err(p.err(line, format!("sub-channel mode {sub} is not supported")));
            }
            let len = p.len("ZERO", line)?;
            item = Some(TocItem::Zero { len, line });
        }
        "FILE" | "AUDIOFILE" => {
            let name = p.string(w, line)?;
            let mut swap = false;
            let mut offset = 0;
            loop {
                if p.peek_word().as_deref() == Some("SWAP") {
                    p.pos += 1;
                    swap = true;
                } else if let Some(o) = p.hash(line)? {
                    offset = o;
                } else {
                    break;
                }
            }
            let start = p.len(&format!("{w} start"), line)?;
            let len = p.opt_len(&format!("{w} length"), line)?;
            if !audio {
                return Err(p.err(
                    line,
                    format!("{w} is only allowed in audio tracks (data tracks take DATAFILE)"),
                ));
            }
            item = Some(TocItem::AudioFile {
                name,
                swap,
                offset,
                start,
                len,
                line,
            });
        }
        "DATAFILE" => {
            let name = p.string(w, line)?;
            let offset = p.hash(line)?.unwrap_or(0);
            let len = p.opt_len("DATAFILE length", line)?;
            item = Some(TocItem::DataFile {
                name,
                offset,
                len,
                line,
            });
        }
        "FIFO" => return Err(p.err(line, "FIFO is not supported")),
        _ => return Err(p.err(line, format!("unknown statement '{w}'"))),
    }
    if let (Some(item), Some(t)) = (item, toc.tracks.last_mut()) {
        t.items.push(item);
    }
    Ok(())
}

impl TocFile {
    /// Reads a `.toc` file and turns it into a layout, resolving files
    /// relative to its directory.
    pub fn load(path: &Path) -> Result<LoadedLayout> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let toc = parse_toc(&String::from_utf8_lossy(&bytes), path)?;
        let base = path.parent().unwrap_or(Path::new("."));
        toc.to_layout(base, &mut FsResolver)
    }

    /// Turns the parsed file into a layout.
    pub fn to_layout(
        &self,
        base_dir: &Path,
        resolver: &mut dyn FileResolver,
    ) -> Result<LoadedLayout> {
        let err = |line: usize, msg: String| Error::parse(&self.path, line, msg);
        let mut warnings = Vec::new();
        let mut sources: Vec<SourceInfo> = Vec::new();
        let mut layout_tracks = Vec::new();
        let has_data = self.tracks.iter().any(|t| t.mode != TocMode::Audio);
        if self.disc_type == Some(TocDiscType::CdDa) && has_data {
            warnings.push(format!(
                "{}: the disc is declared CD_DA but has data tracks",
                self.path.display()
            ));
        }
        for (n, t) in self.tracks.iter().enumerate() {
            let size = t.mode.block_size();
            let sector_count = |len: TocLen, line: usize| -> Result<u32> {
                let (v, unit) = match len {
                    TocLen::Sectors(s) => return Ok(s),
                    TocLen::Units(u) if t.mode == TocMode::Audio => (u, SAMPLES_PER_SECTOR),
                    TocLen::Units(u) => (u, size),
                };
                if v % unit != 0 {
                    return Err(err(
                        line,
                        format!(
                            "length {v} is not a whole number of sectors ({unit} {} each)",
                            if t.mode == TocMode::Audio {
                                "samples"
                            } else {
                                "bytes"
                            }
                        ),
                    ));
                }
                u32::try_from(v / unit).map_err(|_| err(line, format!("length {v} is too large")))
            };
            let mut segments = Vec::new();
            let mut counts = Vec::new(); // sectors after each item
            let mut total: u64 = 0;
            if let Some((g, _)) = t.pregap {
                if g > 0 {
                    segments.push(Segment {
                        sectors: g,
                        content: Content::Zero,
                    });
                    total += g as u64;
                }
            }
            for item in &t.items {
                let (sectors, content) = match item {
                    TocItem::Silence { len, line } | TocItem::Zero { len, line } => {
                        (sector_count(*len, *line)?, Content::Zero)
                    }
                    TocItem::AudioFile {
                        name,
                        swap,
                        offset,
                        start,
                        len,
                        line,
                    } => {
                        let wave = name.to_ascii_lowercase().ends_with(".wav");
                        let r = resolver
                            .resolve(base_dir, name, wave)
                            .map_err(|m| err(*line, m))?;
                        if let Some(w) = &r.warning {
                            warnings.push(format!("{}:{line}: {w}", self.path.display()));
                        }
                        let start_sec = sector_count(*start, *line)? as u64;
                        let first = offset + start_sec * 2352;
                        if first > r.data_len
                            || (first == r.data_len
                                && matches!(
                                    len,
                                    None | Some(TocLen::Sectors(0)) | Some(TocLen::Units(0))
                                ))
                        {
                            return Err(err(*line, format!("start position {} exceeds available data of file '{name}' ({} sectors)", fmt_sectors(start_sec), r.data_len.saturating_sub(*offset) / 2352)));
                        }
                        let avail = r.data_len - first;
                        let sectors = self.file_len(
                            len.map(|l| sector_count(l, *line)).transpose()?,
                            avail,
                            2352,
                            name,
                            *line,
                            &mut warnings,
                        )?;
                        let encoding = if *swap == wave {
                            Encoding::AudioSwapped
                        } else {
                            Encoding::User
                        };
                        let source = push_source(&mut sources, &r);
                        (
                            sectors,
                            Content::Source {
                                source,
                                offset: r.data_offset + first,
                                encoding,
                            },
                        )
                    }
                    TocItem::DataFile {
                        name,
                        offset,
                        len,
                        line,
                    } => {
                        if t.mode == TocMode::Mode2Form2 {
                            return Err(err(*line, "DATAFILE in a MODE2_FORM2 track (2324-byte sectors) is not supported: use MODE2_FORM_MIX (2336) or MODE2_RAW".into()));
                        }
                        let r = resolver
                            .resolve(base_dir, name, false)
                            .map_err(|m| err(*line, m))?;
                        if let Some(w) = &r.warning {
                            warnings.push(format!("{}:{line}: {w}", self.path.display()));
                        }
                        if *offset >= r.data_len {
                            return Err(err(*line, format!("byte offset #{offset} exceeds available data of file '{name}' ({} bytes)", r.data_len)));
                        }
                        let avail = r.data_len - offset;
                        let sectors = self.file_len(
                            len.map(|l| sector_count(l, *line)).transpose()?,
                            avail,
                            size,
                            name,
                            *line,
                            &mut warnings,
                        )?;
                        let source = push_source(&mut sources, &r);
                        (
                            sectors,
                            Content::Source {
                                source,
                                offset: r.data_offset + offset,
                                encoding: t.mode.encoding(),
                            },
                        )
                    }
                };
                total += sectors as u64;
                counts.push(total);
                if sectors > 0 {
                    segments.push(Segment { sectors, content });
                }
            }
            let pregap: u64 = match (t.pregap, t.start) {
                (Some((g, _)), _) => g as u64,
                (None, Some((Ok(s), line))) => {
                    if s as u64 >= total {
                        return Err(err(
                            line,
                            format!(
                                "START {} lies at or beyond the end of the track ({})",
                                fmt_sectors(s as u64),
                                fmt_sectors(total)
                            ),
                        ));
                    }
                    s as u64
                }
                (None, Some((Err(k), _))) => {
                    if k == 0 {
                        0
                    } else {
                        counts[k - 1]
                    }
                }
                (None, None) => 0,
            };
            if total == 0 {
                return Err(err(t.line, "the track has no contents".into()));
            }
            if pregap >= total {
                return Err(err(t.line, "the track has nothing after its pregap".into()));
            }
            let body = total - pregap;
            let mut indexes = Vec::new();
            for &(off, line) in &t.indexes {
                if off as u64 >= body {
                    return Err(err(
                        line,
                        format!(
                            "INDEX {} lies at or beyond the end of the track ({})",
                            fmt_sectors(off as u64),
                            fmt_sectors(body)
                        ),
                    ));
                }
                indexes.push(off);
            }
            let mut pregap = pregap as u32;
            if n == 0 {
                segments.insert(
                    0,
                    Segment {
                        sectors: PREGAP_SECTORS as u32,
                        content: Content::Zero,
                    },
                );
                pregap += PREGAP_SECTORS as u32;
            }
            let audio = t.mode == TocMode::Audio;
            layout_tracks.push(Track {
                sector_type: t.mode.sector_type(),
                flags: TrackFlags {
                    copy: if t.copy {
                        CopySetting::Permitted
                    } else {
                        CopySetting::Prohibited
                    },
                    pre_emphasis: audio && t.pre_emphasis,
                    four_channel: audio && t.four_channel,
                },
                isrc: t.isrc.map(|(i, _)| i),
                pregap,
                indexes,
                segments,
            });
        }
        let layout = Layout {
            first_track: 1,
            mcn: self.catalog,
            tracks: layout_tracks,
            sources,
            disc_type: self.disc_type.map(|d| match d {
                TocDiscType::CdRomXa => 0x20,
                TocDiscType::CdI => 0x10,
                _ => 0x00,
            }),
            ..Layout::default()
        };
        Ok(LoadedLayout::new(layout, warnings))
    }

    fn file_len(
        &self,
        len: Option<u32>,
        avail: u64,
        size: u64,
        name: &str,
        line: usize,
        warnings: &mut Vec<String>,
    ) -> Result<u32> {
        match len {
            Some(l) if l > 0 => {
                if l as u64 * size > avail {
                    return Err(Error::parse(&self.path, line, format!("length {} exceeds available data of file '{name}' ({} sectors of {size} bytes)", fmt_sectors(l as u64), avail / size)));
                }
                Ok(l)
            }
            _ => {
                if avail % size != 0 {
                    warnings.push(format!("{}:{line}: '{name}': the last {} bytes are not a whole {size}-byte sector and are left out", self.path.display(), avail % size));
                }
                let n = avail / size;
                if n == 0 {
                    return Err(Error::parse(&self.path, line, format!("file '{name}' holds less than one {size}-byte sector from the start position")));
                }
                u32::try_from(n).map_err(|_| {
                    Error::parse(&self.path, line, format!("file '{name}' is too large"))
                })
            }
        }
    }
}

fn push_source(sources: &mut Vec<SourceInfo>, r: &super::common::ResolvedFile) -> usize {
    let len = r.data_offset + r.data_len;
    if let Some(k) = sources
        .iter()
        .position(|s| s.name == r.name && s.len == len)
    {
        return k;
    }
    sources.push(SourceInfo {
        name: r.name.clone(),
        len,
    });
    sources.len() - 1
}

fn fmt_sectors(s: u64) -> String {
    format!("{:02}:{:02}:{:02}", s / 4500, s / 75 % 60, s % 75)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::common::MemResolver;
    use crate::layout::Toc;
    use proptest::prelude::*;

    const S: u64 = 2352;

    fn layout(text: &str, files: &[(&str, u64)]) -> Result<LoadedLayout> {
        parse_toc(text, "t.toc")?.to_layout(Path::new("."), &mut MemResolver::with(files))
    }

    fn toc(text: &str, files: &[(&str, u64)]) -> Toc {
        layout(text, files).unwrap().layout.plan().unwrap().toc()
    }

    #[test]
    fn audio_tracks_with_start_index_isrc_catalog() {
        let text = "CD_DA\nCATALOG \"0123456789012\"\n// c\nTRACK AUDIO\nCOPY\nPRE_EMPHASIS\nFOUR_CHANNEL_AUDIO\nISRC \"US-K7Y-98-12345\"\nFILE \"a.raw\" 0 00:10:00\nINDEX 00:05:00\n\nTRACK AUDIO\nSILENCE 00:02:00\nSTART\nAUDIOFILE \"a.raw\" SWAP #0 00:10:00 441000\nTRACK AUDIO\nFILE \"a.raw\" 00:20:00\nSTART 00:01:00\n";
        let l = layout(text, &[("a.raw", 2000 * S)]).unwrap();
        let t = l.layout.plan().unwrap().toc();
        assert_eq!(t.mcn.unwrap().to_string(), "0123456789012");
        assert_eq!(t.tracks[0].control, 0x2 | 0x1 | 0x8);
        assert_eq!(t.tracks[0].isrc.unwrap().to_string(), "USK7Y9812345");
        assert_eq!(t.tracks[0].indexes[2].lba, 375);
        assert_eq!(t.tracks[1].indexes[0].lba, 750);
        assert_eq!(t.tracks[1].start_lba, 900);
        assert_eq!(t.tracks[1].control, 0);
        assert_eq!(t.tracks[2].start_lba, 900 + 750 + 75);
        assert_eq!(t.leadout_lba, 900 + 750 + 500);
        assert_eq!(
            l.layout.tracks[0].segments[1].content,
            Content::Source {
                source: 0,
                offset: 0,
                encoding: Encoding::AudioSwapped
            }
        );
        assert_eq!(
            l.layout.tracks[1].segments[1].content,
            Content::Source {
                source: 0,
                offset: 750 * S,
                encoding: Encoding::User
            }
        );
    }

    #[test]
    fn data_tracks_datafile_zero_pregap() {
        let text = "CD_ROM_XA\nTRACK MODE1\nDATAFILE \"d.iso\"\nZERO 00:02:00\nTRACK MODE2_RAW\nPREGAP 00:03:00\nDATAFILE \"x.bin\" #2352 00:04:00\nTRACK MODE2_FORM_MIX\nZERO MODE2_FORM_MIX 00:04:00\nDATAFILE \"m.bin\" 4672\n";
        let l = layout(
            text,
            &[
                ("d.iso", 300 * 2048),
                ("x.bin", 400 * S),
                ("m.bin", 2336 * 2),
            ],
        )
        .unwrap();
        let p = l.layout.plan().unwrap();
        let t = p.toc();
        assert_eq!(p.disc_type, 0x20);
        assert_eq!(t.tracks[0].sector_type, SectorType::Mode1);
        assert_eq!(t.tracks[1].sector_type, SectorType::Mode2Form1);
        assert_eq!(t.tracks[1].start_lba, 450 + 225);
        assert_eq!(t.tracks[2].sector_type, SectorType::Mode2Form0);
        assert_eq!(t.leadout_lba, 450 + 225 + 300 + 302);
        let seg = &l.layout.tracks[1].segments[1];
        assert_eq!(
            seg.content,
            Content::Source {
                source: 1,
                offset: 2352,
                encoding: Encoding::Full
            }
        );
        assert!(l.warnings.is_empty(), "{:?}", l.warnings);
    }

    #[test]
    fn cd_text_blocks_are_kept() {
        let text = "CD_TEXT { LANGUAGE_MAP { 0 : EN } LANGUAGE 0 { TITLE \"Disc \\\"x\\\"\" SIZE_INFO { 1, 2, 3 } } }\nTRACK AUDIO\nCD_TEXT { LANGUAGE 0 { TITLE \"T\" } }\nSILENCE 1:0:0\n";
        let t = parse_toc(text, "t.toc").unwrap();
        assert_eq!(t.cd_text[0].value, "Disc \"x\"");
        assert_eq!(t.cd_text[1].value, "1,2,3");
        assert_eq!(t.tracks[0].cd_text[0].key, "TITLE");
    }

    #[test]
    fn errors_name_file_and_line() {
        let f = &[("a.raw", 300 * S)];
        let cases: &[(&str, &str)] = &[
            ("TRACK AUDIO\nFILE \"a.raw\" 0:0:75\n", "t.toc:2: FILE start: frame field 75"),
            ("TRACK AUDIO\n\nSILENCE 0:60:0\n", "t.toc:3: SILENCE: seconds field 60"),
            ("TRACK AUDIO\nFILE \"a.raw\" xx:yy:zz\n", "t.toc:2: FILE start: 'xx:yy:zz' is not a time"),
            ("CATALOG\nTRACK AUDIO\n", "t.toc:1: CATALOG needs"),
            ("CATALOG 1234567890123\n", "t.toc:1: CATALOG number 1234567890123 must be a quoted string"),
            ("CATALOG \"12345678901a3\"\n", "t.toc:1: illegal catalog number"),
            ("TRACK MODE3\n", "t.toc:1: unknown track mode 'MODE3'"),
            ("TRACK AUDIO RW_RAW\n", "t.toc:1: sub-channel mode RW_RAW is not supported"),
            ("TRACK MODE1\nFILE \"a.raw\" 0\n", "t.toc:2: FILE is only allowed in audio tracks"),
            ("TRACK MODE1\nSILENCE 0:4:0\n", "t.toc:2: SILENCE is only allowed in audio tracks"),
            ("TRACK AUDIO\nFILE \"a.raw\" 0:5:0\n", "t.toc:2: start position 00:05:00 exceeds available data of file 'a.raw' (300 sectors)"),
            ("TRACK AUDIO\nFILE \"a.raw\" 0:0:0 0:5:0\n", "t.toc:2: length 00:05:00 exceeds available data"),
            ("TRACK AUDIO\nFILE \"b.raw\" 0\n", "t.toc:2: file 'b.raw' does not exist"),
            ("TRACK AUDIO\nSILENCE 100\n", "t.toc:2: length 100 is not a whole number of sectors"),
            ("TRACK AUDIO\nSILENCE 0:5:0\nSTART 0:6:0\n", "t.toc:3: START 00:06:00 lies at or beyond"),
            ("TRACK AUDIO\nSILENCE 0:5:0\nINDEX 0:5:0\n", "t.toc:3: INDEX 00:05:00 lies at or beyond"),
            ("TRACK MODE1\nISRC \"USK7Y9812345\"\n", "t.toc:2: ISRC is only allowed"),
            ("TRACK MODE2_FORM2\nDATAFILE \"a.raw\"\n", "t.toc:2: DATAFILE in a MODE2_FORM2 track"),
            ("TRACK AUDIO\nCD_TEXT {\n LANGUAGE 0 {\n", "t.toc:3:"),
            ("TRACK AUDIO\nTITLE \"x\n", "t.toc:2: unterminated string"),
            ("// nothing\n", "t.toc:1: the .toc file has no TRACK"),
            ("TRACK AUDIO\nBOGUS\n", "t.toc:2: unknown statement 'BOGUS'"),
        ];
        for (text, want) in cases {
            let e = layout(text, f).unwrap_err().to_string();
            assert!(e.starts_with(want), "toc {text:?}\n got  {e}\n want {want}");
        }
    }

    #[test]
    fn partial_last_sector_warns_and_is_left_out() {
        let l = layout(
            "TRACK MODE2_FORM_MIX\nDATAFILE \"a.raw\"\n",
            &[("a.raw", 2336 * 400 + 5)],
        )
        .unwrap();
        assert_eq!(l.layout.tracks[0].extent_sectors(), 550);
        assert!(l.warnings[0].contains("t.toc:2:"), "{:?}", l.warnings);
    }

    #[test]
    fn short_track_is_only_a_plan_warning() {
        let t = toc("TRACK AUDIO\nNO COPY\nSILENCE 0:0:74\n", &[]);
        assert_eq!(t.leadout_lba, 74);
        let p = layout("TRACK AUDIO\nSILENCE 0:0:74\n", &[])
            .unwrap()
            .layout
            .plan()
            .unwrap();
        assert!(p.warnings[0].contains("shorter than"));
    }

    proptest! {
        #[test]
        fn never_panics_on_random_text(s in "\\PC*") {
            if let Ok(t) = parse_toc(&s, "f.toc") {
                let _ = t.to_layout(Path::new("."), &mut MemResolver::default());
            }
        }

        #[test]
        fn never_panics_on_toc_like_text(lines in proptest::collection::vec(
            "(TRACK (AUDIO|MODE1|MODE2_RAW|MODE2_FORM_MIX)|SILENCE [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}|ZERO [0-9]{1,5}|FILE \"a\" #[0-9]{1,4} [0-9:]{1,8}( [0-9:]{1,8})?|DATAFILE \"a\"( [0-9:]{1,8})?|START( [0-9:]{1,8})?|PREGAP 0:[0-9]:0|INDEX [0-9]:[0-9]{1,2}:0|CD_TEXT \\{|\\}|COPY|NO COPY|// x)", 0..14),
            len in 0u64..3_000_000) {
            let text = lines.join("\n");
            if let Ok(t) = parse_toc(&text, "f.toc") {
                if let Ok(l) = t.to_layout(Path::new("."), &mut MemResolver::with(&[("a", len)])) {
                    let _ = l.layout.plan();
                }
            }
        }

        #[test]
        fn never_panics_on_bytes(b in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse_toc(&String::from_utf8_lossy(&b), "f.toc");
        }
    }
}

#[cfg(test)]
mod disc_type_tests {
    use super::*;
    use crate::formats::common::MemResolver;

    #[test]
    fn cd_rom_xa_header_sets_disc_type_even_for_formless_mode2() {
        let text = "CD_ROM_XA\nTRACK MODE2\nZERO 00:10:00\n";
        let toc = parse_toc(text, "x.toc").unwrap();
        let loaded = toc
            .to_layout(Path::new("."), &mut MemResolver::default())
            .unwrap();
        assert_eq!(loaded.layout.plan().unwrap().disc_type, 0x20);
    }
}
