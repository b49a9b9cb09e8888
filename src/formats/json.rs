//! JSON layouts: a hand-writable description that reaches every property of
//! the IMAPI-style creator.
//!
//! ```json
//! {
//!   "first_track": 1,
//!   "mcn": "0123456789012",
//!   "image_type": "raw",
//!   "disable_gapless": true,
//!   "tracks": [
//!     { "type": "mode1", "file": "data.iso", "postgap": 150 },
//!     { "type": "audio", "file": "song.wav", "pregap": 225, "isrc": "US-K7Y-98-12345",
//!       "copy": "prohibited", "pre_emphasis": false, "indexes": [750, 1500] },
//!     { "type": "audio", "files": [ { "file": "a.raw", "offset": 0, "sectors": 600 },
//!                                  { "silence": 75 },
//!                                  { "file": "big.raw", "encoding": "audio_swapped" } ] },
//!     { "type": "audio", "silence": 300 }
//!   ]
//! }
//! ```
//!
//! * Top level: `first_track` (default 1), `mcn` (1 to 13 digits),
//!   `image_type` (`raw`, `cooked` or `pq`), `disable_gapless`,
//!   `leadout_limit` (LBA), `tracks`.
//! * A track: `type` (`audio`, `mode0`, `mode1`, `mode2_form0`,
//!   `mode2_form1`, `mode2_form2`, `mode1_raw`, `mode2_form0_raw`,
//!   `mode2_form1_raw`, `mode2_form2_raw`; default `audio`); its body is
//!   exactly one of `file` (with optional `offset` in bytes, `sectors`,
//!   `encoding` `user`/`full`/`audio_swapped`), `files` (a list of parts,
//!   each a file part as above or `{"silence": n}`), or `silence` (n sectors
//!   of silence / zero data). Then `pregap` (generated index-0 sectors),
//!   `pregap_file` (a file part placed after them, also index 0), `postgap`
//!   (generated sectors at the end), `indexes` (starts of index 2, 3, … as
//!   sector offsets from index 1), `isrc`, `copy`
//!   (`permitted`/`prohibited`/`scms`), `pre_emphasis`, `four_channel`.
//! * The disc's first 150 sectors (LBA −150..−1) are always generated in front
//!   of the first track, as IMAPI does; its `pregap` adds to them.
//! * Unknown fields are errors naming the field (`deny_unknown_fields`);
//!   file paths are relative to the JSON file; a file part without
//!   `sectors` runs to the end of the file, which must then hold a whole
//!   number of sectors. Files ending in `.wav` in audio tracks are read
//!   through their WAVE `data` chunk.

use std::path::Path;

use serde::Deserialize;

use super::common::{FileResolver, FsResolver, LoadedLayout};
use crate::error::{Error, Result};
use crate::image::ImageType;
use crate::layout::{
    bytes_per_sector, Content, CopySetting, Encoding, Isrc, Layout, Mcn, Segment, SourceInfo,
    Track, TrackFlags, DEFAULT_LEADOUT_LIMIT,
};
use crate::msf::{Lba, PREGAP_SECTORS};
use crate::sector::SectorType;

fn one() -> u8 {
    1
}

fn audio() -> SectorType {
    SectorType::Audio
}

/// The document.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonLayout {
    #[serde(default = "one")]
    first_track: u8,
    #[serde(default)]
    mcn: Option<String>,
    #[serde(default)]
    image_type: Option<ImageType>,
    #[serde(default)]
    disable_gapless: Option<bool>,
    #[serde(default)]
    leadout_limit: Option<Lba>,
    tracks: Vec<JsonTrack>,
}

/// A file part or a run of silence.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonPart {
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    offset: Option<u64>,
    #[serde(default)]
    sectors: Option<u32>,
    #[serde(default)]
    encoding: Option<Encoding>,
    #[serde(default)]
    silence: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonTrack {
    #[serde(rename = "type", default = "audio")]
    sector_type: SectorType,
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    offset: Option<u64>,
    #[serde(default)]
    sectors: Option<u32>,
    #[serde(default)]
    encoding: Option<Encoding>,
    #[serde(default)]
    files: Option<Vec<JsonPart>>,
    #[serde(default)]
    silence: Option<u32>,
    #[serde(default)]
    pregap: Option<u32>,
    #[serde(default)]
    pregap_file: Option<JsonPart>,
    #[serde(default)]
    postgap: Option<u32>,
    #[serde(default)]
    indexes: Vec<u32>,
    #[serde(default)]
    isrc: Option<String>,
    #[serde(default)]
    copy: Option<CopySetting>,
    #[serde(default)]
    pre_emphasis: bool,
    #[serde(default)]
    four_channel: bool,
}

/// Reads a JSON layout file, resolving files relative to its directory.
pub fn load_json(path: &Path) -> Result<LoadedLayout> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let base = path.parent().unwrap_or(Path::new("."));
    parse_json(&text, path, base, &mut FsResolver)
}

/// Parses a JSON layout. `path` names the document in messages; files are
/// resolved relative to `base_dir` with `resolver`.
pub fn parse_json(
    text: &str,
    path: &Path,
    base_dir: &Path,
    resolver: &mut dyn FileResolver,
) -> Result<LoadedLayout> {
    let doc: JsonLayout =
        serde_json::from_str(text).map_err(|e| Error::parse(path, e.line(), e.to_string()))?;
    let err = |msg: String| Error::parse(path, 0, msg);
    let mut warnings = Vec::new();
    let mcn = doc
        .mcn
        .as_deref()
        .map(Mcn::parse)
        .transpose()
        .map_err(|m| err(format!("mcn: {m}")))?;
    let mut sources: Vec<SourceInfo> = Vec::new();
    let mut tracks = Vec::new();
    for (k, jt) in doc.tracks.iter().enumerate() {
        let number = doc.first_track as usize + k;
        let terr = |msg: String| err(format!("track {number}: {msg}"));
        let ty = jt.sector_type;
        let mut part = |p: &JsonPart,
                        warnings: &mut Vec<String>,
                        sources: &mut Vec<SourceInfo>|
         -> Result<Segment> {
            match (&p.file, p.silence) {
                (Some(_), Some(_)) => Err(terr("a part has both \"file\" and \"silence\"".into())),
                (None, Some(n)) => {
                    if p.offset.is_some() || p.sectors.is_some() || p.encoding.is_some() {
                        return Err(terr(
                            "a \"silence\" part takes no offset, sectors or encoding".into(),
                        ));
                    }
                    Ok(Segment {
                        sectors: n,
                        content: Content::Zero,
                    })
                }
                (None, None) => Err(terr("a part needs \"file\" or \"silence\"".into())),
                (Some(name), None) => {
                    let wave = ty.is_audio() && name.to_ascii_lowercase().ends_with(".wav");
                    let r = resolver.resolve(base_dir, name, wave).map_err(&terr)?;
                    if let Some(w) = r.warning {
                        warnings.push(format!("track {number}: {w}"));
                    }
                    let encoding = p.encoding.unwrap_or_default();
                    if encoding == Encoding::AudioSwapped && !ty.is_audio() {
                        return Err(terr(
                            "encoding \"audio_swapped\" is only for audio tracks".into(),
                        ));
                    }
                    let size = bytes_per_sector(ty, encoding) as u64;
                    let offset = p.offset.unwrap_or(0);
                    let avail = r.data_len.checked_sub(offset).ok_or_else(|| {
                        terr(format!(
                            "offset {offset} is beyond the end of '{name}' ({} bytes)",
                            r.data_len
                        ))
                    })?;
                    let sectors = match p.sectors {
                        Some(s) => s,
                        None => {
                            if avail % size != 0 {
                                return Err(terr(format!("'{name}' holds {avail} bytes from offset {offset}, not a whole number of {size}-byte sectors: give \"sectors\"")));
                            }
                            u32::try_from(avail / size)
                                .map_err(|_| terr(format!("'{name}' is too large")))?
                        }
                    };
                    let len = r.data_offset + r.data_len;
                    let source = match sources
                        .iter()
                        .position(|s| s.name == r.name && s.len == len)
                    {
                        Some(i) => i,
                        None => {
                            sources.push(SourceInfo { name: r.name, len });
                            sources.len() - 1
                        }
                    };
                    Ok(Segment {
                        sectors,
                        content: Content::Source {
                            source,
                            offset: r.data_offset + offset,
                            encoding,
                        },
                    })
                }
            }
        };
        let mut segments = Vec::new();
        let mut pregap = jt.pregap.unwrap_or(0);
        if k == 0 {
            pregap += PREGAP_SECTORS as u32;
        }
        if pregap > 0 {
            segments.push(Segment {
                sectors: pregap,
                content: Content::Zero,
            });
        }
        if let Some(p) = &jt.pregap_file {
            let s = part(p, &mut warnings, &mut sources)?;
            pregap += s.sectors;
            segments.push(s);
        }
        let single = jt.offset.is_some() || jt.sectors.is_some() || jt.encoding.is_some();
        let body: Vec<Segment> = match (&jt.file, &jt.files, jt.silence) {
            (Some(f), None, None) => vec![part(
                &JsonPart {
                    file: Some(f.clone()),
                    offset: jt.offset,
                    sectors: jt.sectors,
                    encoding: jt.encoding,
                    silence: None,
                },
                &mut warnings,
                &mut sources,
            )?],
            (None, Some(fs), None) if !single => {
                if fs.is_empty() {
                    return Err(terr("\"files\" is empty".into()));
                }
                fs.iter()
                    .map(|p| part(p, &mut warnings, &mut sources))
                    .collect::<Result<_>>()?
            }
            (None, None, Some(n)) if !single => vec![Segment {
                sectors: n,
                content: Content::Zero,
            }],
            (None, None, None) => {
                return Err(terr(
                    "the track needs \"file\", \"files\" or \"silence\"".into(),
                ))
            }
            _ if single && jt.file.is_none() => {
                return Err(terr(
                    "\"offset\", \"sectors\" and \"encoding\" belong with \"file\"".into(),
                ))
            }
            _ => {
                return Err(terr(
                    "give only one of \"file\", \"files\" and \"silence\"".into(),
                ))
            }
        };
        segments.extend(body);
        if let Some(pg) = jt.postgap.filter(|&p| p > 0) {
            segments.push(Segment {
                sectors: pg,
                content: Content::Zero,
            });
        }
        let isrc = jt
            .isrc
            .as_deref()
            .map(Isrc::parse)
            .transpose()
            .map_err(&terr)?;
        if !ty.is_audio() && (jt.pre_emphasis || jt.four_channel) {
            return Err(terr(
                "pre_emphasis and four_channel are only for audio tracks".into(),
            ));
        }
        tracks.push(Track {
            sector_type: ty,
            flags: TrackFlags {
                copy: jt.copy.unwrap_or_default(),
                pre_emphasis: jt.pre_emphasis,
                four_channel: jt.four_channel,
            },
            isrc,
            pregap,
            indexes: jt.indexes.clone(),
            segments,
        });
    }
    let layout = Layout {
        first_track: doc.first_track,
        mcn,
        tracks,
        sources,
        leadout_limit: doc.leadout_limit.unwrap_or(DEFAULT_LEADOUT_LIMIT),
        disc_type: None,
    };
    let mut out = LoadedLayout::new(layout, warnings);
    out.image_type = doc.image_type;
    out.disable_gapless = doc.disable_gapless;
    if doc.disable_gapless == Some(true) {
        out.layout.disable_gapless_audio();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::common::MemResolver;
    use proptest::prelude::*;

    const S: u64 = 2352;

    fn parse(text: &str, files: &[(&str, u64)]) -> Result<LoadedLayout> {
        parse_json(
            text,
            Path::new("l.json"),
            Path::new("."),
            &mut MemResolver::with(files),
        )
    }

    #[test]
    fn full_example_reaches_every_property() {
        let text = r#"{
          "first_track": 2, "mcn": "0123456789012", "image_type": "pq", "disable_gapless": true,
          "leadout_limit": 400000,
          "tracks": [
            { "type": "mode1", "file": "d.iso", "postgap": 150, "copy": "prohibited" },
            { "file": "a.raw", "offset": 2352, "sectors": 600, "pregap": 225, "isrc": "US-K7Y-98-12345",
              "pre_emphasis": true, "four_channel": true, "indexes": [100, 200] },
            { "files": [ { "file": "a.raw", "sectors": 100 }, { "silence": 75 },
                         { "file": "b.raw", "encoding": "audio_swapped" } ],
              "pregap_file": { "file": "a.raw", "sectors": 75 }, "copy": "scms" },
            { "silence": 300 }
          ]
        }"#;
        let l = parse(
            text,
            &[
                ("d.iso", 300 * 2048),
                ("a.raw", 700 * S),
                ("b.raw", 200 * S),
            ],
        )
        .unwrap();
        assert_eq!(l.image_type, Some(crate::image::ImageType::PqOnly));
        assert_eq!(l.disable_gapless, Some(true));
        assert_eq!(l.layout.leadout_limit, 400_000);
        let t = l.layout.plan().unwrap().toc();
        assert_eq!((t.first_track, t.last_track), (2, 5));
        assert_eq!(t.mcn.unwrap().to_string(), "0123456789012");
        assert_eq!(t.tracks[0].control, 0x4);
        assert_eq!(t.tracks[1].indexes[0].lba, 450);
        assert_eq!(t.tracks[1].start_lba, 675);
        assert_eq!(t.tracks[1].control, 0x2 | 0x1 | 0x8);
        assert_eq!(t.tracks[1].isrc.unwrap().dashed(), "US-K7Y-98-12345");
        assert_eq!(t.tracks[1].indexes[2].lba, 775);
        assert_eq!(t.tracks[2].start_lba, 675 + 600 + 75);
        assert_eq!(t.tracks[2].control, 0);
        // disable_gapless inserts 150 silent sectors before the last track,
        // the only one after the first without a pregap.
        assert_eq!(t.tracks[3].start_lba, 1350 + 375 + 150);
        assert_eq!(t.tracks[3].indexes[0].lba, 1350 + 375);
        assert_eq!(t.leadout_lba, 1875 + 300);
        assert_eq!(l.layout.sources.len(), 3, "a.raw is shared");
        assert_eq!(
            l.layout.tracks[1].segments[1].content,
            Content::Source {
                source: 1,
                offset: 2352,
                encoding: Encoding::User
            }
        );
    }

    #[test]
    fn typos_and_mistakes_are_errors_naming_the_field() {
        let f = &[("a.raw", 300 * S)];
        let cases: &[(&str, &str)] = &[
            (r#"{"tracks": [{"fiel": "a.raw"}]}"#, "unknown field `fiel`"),
            (r#"{"trakcs": []}"#, "unknown field `trakcs`"),
            (
                r#"{"tracks": [{"type": "mode9", "file": "a.raw"}]}"#,
                "unknown variant `mode9`",
            ),
            (
                r#"{"tracks": [{"file": "a.raw", "copy": "maybe"}]}"#,
                "unknown variant `maybe`",
            ),
            (
                r#"{"image_type": "cd", "tracks": []}"#,
                "unknown variant `cd`",
            ),
            (r#"{"tracks": [{}]}"#, "track 1: the track needs"),
            (
                r#"{"tracks": [{"file": "a.raw", "silence": 3}]}"#,
                "track 1: give only one",
            ),
            (
                r#"{"tracks": [{"silence": 300, "offset": 3}]}"#,
                "track 1: \"offset\"",
            ),
            (
                r#"{"tracks": [{"file": "b.raw"}]}"#,
                "track 1: file 'b.raw' does not exist",
            ),
            (
                r#"{"tracks": [{"type": "mode1", "file": "a.raw"}]}"#,
                "not a whole number of 2048-byte sectors",
            ),
            (
                r#"{"tracks": [{"file": "a.raw", "isrc": "nope"}]}"#,
                "track 1: ISRC 'nope'",
            ),
            (r#"{"mcn": "12x", "tracks": []}"#, "mcn: catalog number"),
            (
                r#"{"tracks": [{"type": "mode1", "silence": 300, "pre_emphasis": true}]}"#,
                "only for audio",
            ),
            ("{\n\"tracks\": [\n{\"silence\": -1}]}", "l.json:3:"),
        ];
        for (text, want) in cases {
            let e = parse(text, f).unwrap_err().to_string();
            assert!(e.contains(want), "json {text}\n got  {e}\n want {want}");
        }
    }

    #[test]
    fn loads_from_disk_relative_to_the_json_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/a.raw"), vec![0u8; 300 * 2352]).unwrap();
        let p = dir.path().join("l.json");
        std::fs::write(&p, r#"{"tracks": [{"file": "sub/a.raw"}]}"#).unwrap();
        let l = crate::formats::load(&p).unwrap();
        assert_eq!(l.layout.plan().unwrap().leadout, 300);
    }

    proptest! {
        #[test]
        fn never_panics_on_random_text(s in "\\PC*") {
            let _ = parse(&s, &[]);
        }

        #[test]
        fn never_panics_on_json_like_text(
            tracks in proptest::collection::vec(
                "\\{(\"(file|silence|pregap|postgap|sectors|offset)\": ?(\"a\"|[0-9]{1,7}|-1),? ?){0,4}\\}", 0..5),
            len in 0u64..3_000_000) {
            let text = format!("{{\"tracks\": [{}]}}", tracks.join(","));
            if let Ok(l) = parse(&text, &[("a", len)]) {
                let _ = l.layout.plan();
            }
        }
    }
}
