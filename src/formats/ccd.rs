//! CloneCD control files (`.ccd`): an INI-like text parsed with nom into a
//! typed [`CloneCd`] with line-numbered errors. The image validator uses it
//! to compare a `.img`/`.sub` pair against its TOC; no layout is built.
//!
//! Sections: `[CloneCD]` (`Version`), `[Disc]` (`TocEntries`, `Sessions`,
//! `DataTracksScrambled`, `CDTextLength`, `Catalog`), `[CDText]` (kept as
//! raw `Entries` lines), `[Session N]` (`PreGapMode`, `PreGapSubC`),
//! `[Entry N]` (`Session`, `Point`, `ADR`, `Control`, `TrackNo`, `AMin`,
//! `ASec`, `AFrame`, `ALBA`, `Zero`, `PMin`, `PSec`, `PFrame`, `PLBA`) and
//! `[TRACK N]` (`MODE`, `INDEX n`, `ISRC`, `FLAGS`). Numbers are decimal or
//! `0x` hexadecimal; keys are case-insensitive; `;` and `#` start comments.
//! Unknown keys and sections are kept out of the struct with a warning.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use nom::bytes::complete::{take_till, take_till1, take_while1};
use nom::character::complete::{char, space0};
use nom::sequence::delimited;
use nom::{IResult, Parser};

use crate::error::{Error, Result};
use crate::layout::{Isrc, Mcn, Toc, TocIndex, TocTrack};
use crate::msf::{Lba, Msf};
use crate::sector::SectorType;

/// `[Disc]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CcdDisc {
    /// `TocEntries`.
    pub toc_entries: u32,
    /// `Sessions`.
    pub sessions: u32,
    /// `DataTracksScrambled`.
    pub data_tracks_scrambled: bool,
    /// `CDTextLength`.
    pub cd_text_length: u32,
    /// `Catalog` (the MCN), as written.
    pub catalog: Option<String>,
}

/// `[Session N]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CcdSession {
    /// N.
    pub number: u32,
    /// `PreGapMode`.
    pub pregap_mode: Option<u32>,
    /// `PreGapSubC`.
    pub pregap_subc: Option<u32>,
}

/// `[Entry N]`: one raw TOC descriptor (a lead-in Q frame).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CcdEntry {
    /// N.
    pub number: u32,
    /// Line of the section header.
    pub line: usize,
    /// `Session`.
    pub session: u32,
    /// `Point` (0x01..0x63 tracks, 0xA0..0xA2, …).
    pub point: u32,
    /// `ADR`.
    pub adr: u32,
    /// `Control`.
    pub control: u32,
    /// `TrackNo`.
    pub track_no: u32,
    /// `AMin`.
    pub amin: u32,
    /// `ASec`.
    pub asec: u32,
    /// `AFrame`.
    pub aframe: u32,
    /// `ALBA`.
    pub alba: i64,
    /// `Zero`.
    pub zero: u32,
    /// `PMin`.
    pub pmin: u32,
    /// `PSec`.
    pub psec: u32,
    /// `PFrame`.
    pub pframe: u32,
    /// `PLBA`.
    pub plba: i64,
}

/// `[TRACK N]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CcdTrack {
    /// N.
    pub number: u32,
    /// `MODE`.
    pub mode: Option<u32>,
    /// `INDEX n=LBA` entries.
    pub indexes: BTreeMap<u32, i64>,
    /// `ISRC`.
    pub isrc: Option<String>,
    /// `FLAGS`.
    pub flags: Option<String>,
}

/// A parsed `.ccd` file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CloneCd {
    /// File name used in messages.
    pub path: PathBuf,
    /// `[CloneCD] Version`.
    pub version: Option<u32>,
    /// `[Disc]`.
    pub disc: CcdDisc,
    /// `[CDText]` key/value lines as written.
    pub cd_text: Vec<(String, String)>,
    /// `[Session N]` sections.
    pub sessions: Vec<CcdSession>,
    /// `[Entry N]` sections in order.
    pub entries: Vec<CcdEntry>,
    /// `[TRACK N]` sections in order.
    pub tracks: Vec<CcdTrack>,
    /// Unknown sections and keys.
    pub warnings: Vec<String>,
}

enum Line<'a> {
    Blank,
    Section(&'a str),
    Pair(&'a str, &'a str),
}

fn section(i: &str) -> IResult<&str, &str> {
    delimited(
        (space0, char('[')),
        take_till1(|c| c == ']'),
        (char(']'), space0),
    )
    .parse(i)
}

fn pair(i: &str) -> IResult<&str, (&str, &str)> {
    let (i, _) = space0(i)?;
    let (i, key) = take_while1(|c: char| c != '=' && c != '[').parse(i)?;
    let (i, _) = char('=')(i)?;
    let (i, value) = take_till(|c| c == '\r' || c == '\n').parse(i)?;
    Ok((i, (key.trim(), value.trim())))
}

fn classify(line: &str) -> Option<Line<'_>> {
    let t = line.trim();
    if t.is_empty() || t.starts_with(';') || t.starts_with('#') {
        return Some(Line::Blank);
    }
    if let Ok((rest, name)) = section(line) {
        if rest.trim().is_empty() {
            return Some(Line::Section(name.trim()));
        }
    }
    pair(line).ok().map(|(_, (k, v))| Line::Pair(k, v))
}

fn number(v: &str) -> std::result::Result<i64, String> {
    let t = v.trim();
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t),
    };
    let r = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(h) => i64::from_str_radix(h, 16),
        None => t.parse::<i64>(),
    };
    match r {
        Ok(n) if n < 1 << 40 => Ok(if neg { -n } else { n }),
        _ => Err(format!("'{v}' is not a number")),
    }
}

enum Sec {
    None,
    CloneCd,
    Disc,
    CdText,
    Session,
    Entry,
    Track,
    Unknown,
}

/// Parses a `.ccd` file; `path` is used in messages.
pub fn parse_ccd(text: &str, path: impl AsRef<Path>) -> Result<CloneCd> {
    let path = path.as_ref();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut ccd = CloneCd {
        path: path.to_path_buf(),
        ..CloneCd::default()
    };
    let mut sec = Sec::None;
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        let err = |m: String| Error::parse(path, line, m);
        let Some(l) = classify(raw) else {
            return Err(err(format!(
                "expected [Section] or Key=Value, found '{}'",
                raw.trim()
            )));
        };
        match l {
            Line::Blank => {}
            Line::Section(name) => {
                let mut words = name.split_whitespace();
                let head = words.next().unwrap_or("").to_ascii_lowercase();
                let num = || -> Result<u32> {
                    let w = name
                        .split_whitespace()
                        .nth(1)
                        .ok_or_else(|| err(format!("section [{name}] needs a number")))?;
                    number(w)
                        .ok()
                        .and_then(|v| u32::try_from(v).ok())
                        .ok_or_else(|| err(format!("section [{name}]: '{w}' is not a number")))
                };
                sec = match head.as_str() {
                    "clonecd" => Sec::CloneCd,
                    "disc" => Sec::Disc,
                    "cdtext" => Sec::CdText,
                    "session" => {
                        ccd.sessions.push(CcdSession {
                            number: num()?,
                            ..CcdSession::default()
                        });
                        Sec::Session
                    }
                    "entry" => {
                        ccd.entries.push(CcdEntry {
                            number: num()?,
                            line,
                            ..CcdEntry::default()
                        });
                        Sec::Entry
                    }
                    "track" => {
                        ccd.tracks.push(CcdTrack {
                            number: num()?,
                            ..CcdTrack::default()
                        });
                        Sec::Track
                    }
                    _ => {
                        ccd.warnings.push(format!(
                            "{}:{line}: unknown section [{name}] ignored",
                            path.display()
                        ));
                        Sec::Unknown
                    }
                };
            }
            Line::Pair(key, value) => {
                let k = key.to_ascii_lowercase();
                let num = || number(value).map_err(|m| err(format!("{key}: {m}")));
                let unum = || -> Result<u32> {
                    let v = num()?;
                    u32::try_from(v).map_err(|_| err(format!("{key}: {v} must not be negative")))
                };
                let mut unknown = false;
                match sec {
                    Sec::None => return Err(err(format!("{key}= outside a section"))),
                    Sec::Unknown => {}
                    Sec::CloneCd => match k.as_str() {
                        "version" => ccd.version = Some(unum()?),
                        _ => unknown = true,
                    },
                    Sec::Disc => match k.as_str() {
                        "tocentries" => ccd.disc.toc_entries = unum()?,
                        "sessions" => ccd.disc.sessions = unum()?,
                        "datatracksscrambled" => ccd.disc.data_tracks_scrambled = unum()? != 0,
                        "cdtextlength" => ccd.disc.cd_text_length = unum()?,
                        "catalog" => ccd.disc.catalog = Some(value.to_string()),
                        _ => unknown = true,
                    },
                    Sec::CdText => ccd.cd_text.push((key.to_string(), value.to_string())),
                    Sec::Session => {
                        let s = ccd
                            .sessions
                            .last_mut()
                            .ok_or_else(|| err("no session".into()))?;
                        match k.as_str() {
                            "pregapmode" => s.pregap_mode = Some(unum()?),
                            "pregapsubc" => s.pregap_subc = Some(unum()?),
                            _ => unknown = true,
                        }
                    }
                    Sec::Entry => {
                        let v = num()?;
                        let u = || {
                            u32::try_from(v)
                                .map_err(|_| err(format!("{key}: {v} must not be negative")))
                        };
                        let e = ccd
                            .entries
                            .last_mut()
                            .ok_or_else(|| err("no entry".into()))?;
                        match k.as_str() {
                            "session" => e.session = u()?,
                            "point" => e.point = u()?,
                            "adr" | "adril" => e.adr = u()?,
                            "control" => e.control = u()?,
                            "trackno" => e.track_no = u()?,
                            "amin" => e.amin = u()?,
                            "asec" => e.asec = u()?,
                            "aframe" => e.aframe = u()?,
                            "alba" => e.alba = v,
                            "zero" => e.zero = u()?,
                            "pmin" => e.pmin = u()?,
                            "psec" => e.psec = u()?,
                            "pframe" => e.pframe = u()?,
                            "plba" => e.plba = v,
                            _ => unknown = true,
                        }
                    }
                    Sec::Track => {
                        let t = ccd
                            .tracks
                            .last_mut()
                            .ok_or_else(|| err("no track".into()))?;
                        if k == "mode" {
                            t.mode = Some(unum()?);
                        } else if k == "isrc" {
                            t.isrc = Some(value.to_string());
                        } else if k == "flags" {
                            t.flags = Some(value.to_string());
                        } else if let Some(i) = k.strip_prefix("index") {
                            let idx = i
                                .trim()
                                .parse::<u32>()
                                .ok()
                                .filter(|&i| i < 100)
                                .ok_or_else(|| {
                                    err(format!("'{key}': index number must be 0..99"))
                                })?;
                            let v = num()?;
                            t.indexes.insert(idx, v);
                        } else {
                            unknown = true;
                        }
                    }
                }
                if unknown {
                    ccd.warnings.push(format!(
                        "{}:{line}: unknown key '{key}' ignored",
                        path.display()
                    ));
                }
            }
        }
    }
    if ccd.disc.toc_entries as usize != ccd.entries.len() && ccd.disc.toc_entries != 0 {
        ccd.warnings.push(format!(
            "{}: [Disc] TocEntries={} but {} [Entry] sections",
            path.display(),
            ccd.disc.toc_entries,
            ccd.entries.len()
        ));
    }
    Ok(ccd)
}

impl CcdEntry {
    /// The P address (`PMin:PSec:PFrame`) as a program-area LBA.
    fn p_lba(&self, path: &Path) -> Result<Lba> {
        Msf::new(self.pmin, self.psec, self.pframe)
            .map(Msf::to_program_lba)
            .map_err(|e| {
                Error::parse(
                    path,
                    self.line,
                    format!("[Entry {}] POINT {:02X}: {e}", self.number, self.point),
                )
            })
    }
}

impl CloneCd {
    /// The table of contents of session 1 as its `[Entry]` sections give it
    /// (ADR 1 descriptors: POINT A0 first track and disc type, A1 last
    /// track, A2 lead-out, 01..99 track starts and CONTROL). POINT and the
    /// P fields are binary, as READ TOC format 2 returns them. `[TRACK n]`
    /// sections add the data mode (`MODE=2` → mode 2, form by subheader),
    /// the indexes and the ISRC; `[Disc] Catalog` the MCN. Errors name the
    /// line of the offending entry.
    pub fn to_toc(&self) -> Result<Toc> {
        let path = self.path.as_path();
        let whole = |m: String| Error::parse(path, 0, m);
        let mut first = None;
        let mut last = None;
        let mut leadout = None;
        let mut disc_type = 0;
        let mut starts: BTreeMap<u8, (Lba, u8, usize)> = BTreeMap::new();
        for e in &self.entries {
            // session 1 (a missing Session= reads as 0), mode-1 descriptors
            if e.session > 1 || e.adr > 1 {
                continue;
            }
            let at = |m: String| Error::parse(path, e.line, m);
            match e.point {
                0xA0 => {
                    first = Some((e.pmin, e.line));
                    disc_type = u8::try_from(e.psec).unwrap_or(0);
                }
                0xA1 => last = Some((e.pmin, e.line)),
                0xA2 => leadout = Some(e.p_lba(path)?),
                p @ 1..=99 => {
                    let lba = e.p_lba(path)?;
                    let control = (e.control & 0xF) as u8;
                    if starts.insert(p as u8, (lba, control, e.line)).is_some() {
                        return Err(at(format!("POINT {p:02X}: track {p} listed twice")));
                    }
                }
                _ => {}
            }
        }
        let leadout = leadout
            .ok_or_else(|| whole("no [Entry] with Point=0xa2 (lead-out) in session 1".into()))?;
        let (&lo, _) = starts.first_key_value().ok_or_else(|| {
            whole("no [Entry] with a track POINT (0x01..0x63) in session 1".into())
        })?;
        let (&hi, _) = starts.last_key_value().expect("not empty");
        if starts.len() != usize::from(hi - lo) + 1 {
            return Err(whole(format!(
                "track entries {lo}..{hi} are not consecutive ({} entries)",
                starts.len()
            )));
        }
        for (what, got, want) in [
            ("A0 (first track)", first, lo),
            ("A1 (last track)", last, hi),
        ] {
            if let Some((n, line)) = got {
                if n != u32::from(want) {
                    return Err(Error::parse(
                        path,
                        line,
                        format!("POINT {what} says {n}, the track entries say {want}"),
                    ));
                }
            }
        }
        let mcn = match &self.disc.catalog {
            Some(c) if !c.trim().is_empty() => {
                Some(Mcn::parse(c).map_err(|m| whole(format!("[Disc] Catalog={c}: {m}")))?)
            }
            _ => None,
        };
        let list: Vec<(u8, (Lba, u8, usize))> = starts.into_iter().collect();
        let mut tracks = Vec::with_capacity(list.len());
        for (i, &(number, (start, control, line))) in list.iter().enumerate() {
            let next = list.get(i + 1).map_or(leadout, |n| n.1 .0);
            if next <= start {
                return Err(Error::parse(
                    path,
                    line,
                    format!(
                        "track {number} starts at LBA {start}, not before {} at LBA {next}",
                        if i + 1 < list.len() {
                            "the next track"
                        } else {
                            "the lead-out"
                        }
                    ),
                ));
            }
            let section = self.tracks.iter().find(|t| t.number == u32::from(number));
            let sector_type = match (control & 0x4 != 0, section.and_then(|t| t.mode)) {
                (false, _) => SectorType::Audio,
                (true, Some(2)) => SectorType::Mode2Form1,
                (true, _) => SectorType::Mode1,
            };
            let mut indexes = Vec::new();
            if let Some(t) = section {
                if let Some(&l) = t.indexes.get(&0) {
                    if let Ok(l) = Lba::try_from(l) {
                        if l < start {
                            indexes.push(TocIndex { number: 0, lba: l });
                        }
                    }
                }
            }
            indexes.push(TocIndex {
                number: 1,
                lba: start,
            });
            if let Some(t) = section {
                for (&n, &l) in t.indexes.range(2..) {
                    if let (Ok(n), Ok(l)) = (u8::try_from(n), Lba::try_from(l)) {
                        if l > start && l < next {
                            indexes.push(TocIndex { number: n, lba: l });
                        }
                    }
                }
            }
            let isrc = match section.and_then(|t| t.isrc.as_deref()) {
                Some(s) if !s.trim().is_empty() => Some(
                    Isrc::parse(s).map_err(|m| whole(format!("[TRACK {number}] ISRC={s}: {m}")))?,
                ),
                _ => None,
            };
            tracks.push(TocTrack {
                number,
                control,
                sector_type,
                start_lba: start,
                sector_count: u32::try_from(next - start).unwrap_or(0),
                isrc,
                indexes,
            });
        }
        Ok(Toc {
            first_track: lo,
            last_track: hi,
            leadout_lba: leadout,
            mcn,
            disc_type,
            tracks,
        })
    }

    /// The `.img` (main channel) and `.sub` (sub-channel) files beside the
    /// control file: same name, other extension; a name that differs only
    /// in case is accepted.
    pub fn image_files(&self) -> Result<(PathBuf, PathBuf)> {
        let dir = self.path.parent().unwrap_or(Path::new(""));
        let stem = self
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let find = |ext: &str| {
            super::common::resolve_file(dir, &format!("{stem}.{ext}")).map_err(|m| {
                Error::InvalidArgument(format!(
                    "{}: incomplete CloneCD image: {m}",
                    self.path.display()
                ))
            })
        };
        Ok((find("img")?.0, find("sub")?.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SAMPLE: &str = "[CloneCD]\r\nVersion=3\r\n[Disc]\r\nTocEntries=4\r\nSessions=1\r\nDataTracksScrambled=0\r\nCDTextLength=0\r\nCatalog=0000010271955\r\n[Session 1]\r\nPreGapMode=0\r\nPreGapSubC=0\r\n[Entry 0]\r\nSession=1\r\nPoint=0xa0\r\nADR=0x01\r\nControl=0x00\r\nTrackNo=0\r\nAMin=0\r\nASec=0\r\nAFrame=0\r\nALBA=-150\r\nZero=0\r\nPMin=1\r\nPSec=0\r\nPFrame=0\r\nPLBA=4350\r\n[Entry 1]\r\nSession=1\r\nPoint=0xa1\r\n[Entry 2]\r\nPoint=0xa2\r\nPMin=0\r\nPSec=6\r\nPFrame=2\r\nPLBA=302\r\n[Entry 3]\r\nPoint=0x01\r\nPLBA=0\r\n[TRACK 1]\r\nMODE=0\r\nINDEX 1=0\r\n";

    #[test]
    fn sample_parses_into_typed_sections() {
        let c = parse_ccd(SAMPLE, "x.ccd").unwrap();
        assert_eq!(c.version, Some(3));
        assert_eq!(c.disc.toc_entries, 4);
        assert_eq!(c.disc.catalog.as_deref(), Some("0000010271955"));
        assert_eq!(c.entries.len(), 4);
        assert_eq!(c.entries[0].point, 0xa0);
        assert_eq!(c.entries[0].alba, -150);
        assert_eq!(c.entries[2].plba, 302);
        assert_eq!(c.tracks[0].mode, Some(0));
        assert_eq!(c.tracks[0].indexes.get(&1), Some(&0));
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse_ccd("[Disc]\nTocEntries=x\n", "a.ccd")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("a.ccd:2: TocEntries:"), "{e}");
        let e = parse_ccd("Version=1\n", "a.ccd").unwrap_err().to_string();
        assert!(e.starts_with("a.ccd:1:"), "{e}");
        let e = parse_ccd("[CloneCD]\njunk\n", "a.ccd")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("a.ccd:2:"), "{e}");
        let e = parse_ccd("[Entry x]\n", "a.ccd").unwrap_err().to_string();
        assert!(e.starts_with("a.ccd:1:"), "{e}");
        let e = parse_ccd("[Entry 0]\nPoint=-1\n", "a.ccd")
            .unwrap_err()
            .to_string();
        assert!(e.contains("negative"), "{e}");
    }

    fn entry(n: u32, point: u32, control: u32, lba: i64) -> String {
        let f = lba + 150;
        format!(
            "[Entry {n}]\nSession=1\nPoint=0x{point:02x}\nADR=0x01\nControl=0x{control:02x}\nPMin={}\nPSec={}\nPFrame={}\nPLBA={lba}\n",
            f / 4500,
            f / 75 % 60,
            f % 75
        )
    }

    #[test]
    fn to_toc_reads_entries_and_track_sections() {
        // 10 tracks: POINT 0x0a is track 10 (binary, as READ TOC format 2)
        let mut text = String::from("[Disc]\nCatalog=0123456789012\n");
        // A0: first track 1 (PMin), disc type 0x20 (PSec)
        text += &entry(0, 0xA0, 4, 4350).replace("PSec=0\n", "PSec=32\n");
        text += "[Entry 1]\nPoint=0xa1\nADR=1\nPMin=10\n";
        text += &entry(2, 0xA2, 0, 5000);
        for t in 1..=10u32 {
            let control = if t == 1 { 4 } else { 2 };
            text += &entry(2 + t, t, control, (t as i64 - 1) * 400);
        }
        text += "[TRACK 1]\nMODE=2\nINDEX 1=0\n[TRACK 2]\nMODE=0\nINDEX 0=250\nINDEX 1=400\nINDEX 2=500\nISRC=USRC17607839\n";
        let toc = parse_ccd(&text, "t.ccd").unwrap().to_toc().unwrap();
        assert_eq!((toc.first_track, toc.last_track), (1, 10));
        assert_eq!(toc.leadout_lba, 5000);
        assert_eq!(toc.disc_type, 0x20);
        assert_eq!(toc.mcn.unwrap().to_string(), "0123456789012");
        assert_eq!(toc.tracks.len(), 10);
        assert_eq!(toc.tracks[0].sector_type, SectorType::Mode2Form1);
        assert_eq!(toc.tracks[1].sector_type, SectorType::Audio);
        assert_eq!(toc.tracks[9].number, 10);
        assert_eq!(toc.tracks[9].start_lba, 3600);
        assert_eq!(toc.tracks[9].sector_count, 1400);
        let idx: Vec<(u8, Lba)> = toc.tracks[1]
            .indexes
            .iter()
            .map(|i| (i.number, i.lba))
            .collect();
        assert_eq!(idx, vec![(0, 250), (1, 400), (2, 500)]);
        assert_eq!(toc.tracks[1].isrc.unwrap().to_string(), "USRC17607839");
    }

    #[test]
    fn to_toc_errors_name_the_entry_line() {
        let two = format!("{}{}", entry(0, 0xA2, 0, 900), entry(1, 1, 0, 0));
        assert!(parse_ccd(&two, "a.ccd").unwrap().to_toc().is_ok());
        let e = parse_ccd(&entry(0, 1, 0, 0), "a.ccd")
            .unwrap()
            .to_toc()
            .unwrap_err();
        assert!(e.to_string().contains("0xa2"), "{e}");
        let bad = two.replace("PSec=2\n", "PSec=61\n");
        let e = parse_ccd(&bad, "a.ccd")
            .unwrap()
            .to_toc()
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("a.ccd:10:"), "{e}");
        let late = format!("{}{}", entry(0, 0xA2, 0, 900), entry(1, 1, 0, 900));
        let e = parse_ccd(&late, "a.ccd")
            .unwrap()
            .to_toc()
            .unwrap_err()
            .to_string();
        assert!(e.contains("not before the lead-out"), "{e}");
        let gap = format!("{two}{}", entry(2, 3, 0, 500));
        let e = parse_ccd(&gap, "a.ccd")
            .unwrap()
            .to_toc()
            .unwrap_err()
            .to_string();
        assert!(e.contains("not consecutive"), "{e}");
    }

    proptest! {
        #[test]
        fn never_panics_on_random_text(s in "\\PC*") {
            let _ = parse_ccd(&s, "f.ccd");
        }

        #[test]
        fn never_panics_on_ini_like_text(s in "(\\[(Entry|TRACK|Disc|Session) ?[0-9x-]{0,4}\\]|[A-Za-z ]{1,8}=[0-9a-fx-]{0,6}|;.*)(\r?\n(\\[(Entry|TRACK) [0-9]\\]|[A-Za-z ]{1,8}=[0-9a-fx-]{0,6})){0,20}") {
            let _ = parse_ccd(&s, "f.ccd");
        }
    }
}
