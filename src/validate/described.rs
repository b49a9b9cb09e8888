//! Images described by a cue sheet or a cdrdao `.toc` file: the bin files
//! the description names, walked sector by sector over the program area,
//! with an optional sub-channel file.
//!
//! * 2352-byte sectors (audio, `MODE1/2352`, `MODE2/2352`, `MODE1_RAW`, …)
//!   are checked as stored: data sectors unscrambled, with sync, header,
//!   EDC/ECC and subheaders; audio for stray sync patterns.
//! * Sectors stored as user data only (2048, 2336 bytes) and sectors the
//!   description generates (`PREGAP`, `ZERO`) have no main channel to check
//!   beyond the file sizes, which planning the layout verifies.
//! * The sub-channel file holds 96 bytes of raw interleaved P–W per sector,
//!   starting at the first sector of the first file and running to the
//!   lead-out (records beyond it are checked as lead-out). Without it, Q and
//!   P are not checked and the description's TOC is reported.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::path::Path;

use crate::formats;
use crate::layout::{bytes_per_sector, Content, Encoding};
use crate::msf::{Lba, MAX_LBA};
use crate::sector::SECTOR_SIZE;

use super::clonecd::{io_err, open, short};
use super::core::{Subcode, Validator};
use super::imapi::read_full;
use super::{Options, Report, ValidateError};

/// Sectors read per chunk.
const CHUNK_SECTORS: usize = 1024;
/// Bytes per sub-channel record.
const SUB_SIZE: usize = 96;

/// The sub-channel file, read record by record in chunks.
struct SubFile<'a> {
    path: &'a Path,
    file: File,
    len: u64,
    buf: Vec<u8>,
    /// Records in `buf`, and the next one to hand out.
    filled: usize,
    next: usize,
    read: u64,
}

impl<'a> SubFile<'a> {
    fn next(&mut self) -> Result<&[u8; SUB_SIZE], ValidateError> {
        if self.next == self.filled {
            let left = (self.len - self.read) / SUB_SIZE as u64;
            let want = (left as usize).min(CHUNK_SECTORS);
            let b = &mut self.buf[..want * SUB_SIZE];
            let got = read_full(&mut self.file, b).map_err(io_err(self.path))?;
            if got < b.len() || want == 0 {
                return Err(short(self.path, self.read + got as u64, self.len));
            }
            self.read += got as u64;
            self.filled = want;
            self.next = 0;
        }
        let at = self.next * SUB_SIZE;
        self.next += 1;
        self.buf[at..at + SUB_SIZE]
            .try_into()
            .map_err(|_| short(self.path, self.read, self.len))
    }
}

/// Validates the image a cue sheet or cdrdao `.toc` file at `path`
/// describes, with the raw P–W sub-channel file `sub` when given. The
/// description's TOC replaces `opts.toc`; `image_type` and `start` do not
/// apply.
pub fn validate_description(
    path: &Path,
    sub: Option<&Path>,
    opts: &Options,
) -> Result<Report, ValidateError> {
    let desc = |e: crate::Error| ValidateError::Description(e.to_string());
    let loaded = formats::load(path).map_err(desc)?;
    let layout = &loaded.layout;
    let plan = layout.plan().map_err(desc)?;
    let toc = plan.toc();
    let kind = match path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .as_deref()
    {
        Some("toc") => "cdrdao toc+bin",
        Some("cue") => "cue+bin",
        _ => "layout+bin",
    };
    let first = plan
        .tracks
        .iter()
        .flat_map(|t| &t.segments)
        .find(|s| matches!(s.content, Content::Source { .. }))
        .map_or_else(
            || plan.tracks.first().map_or(0, |t| t.extent_start),
            |s| s.start,
        );
    let leadout = plan.leadout;
    let program = (leadout - first).max(0) as u64;
    let mut sub = match sub {
        None => None,
        Some(p) => {
            let (file, len) = open(p)?;
            if len % SUB_SIZE as u64 != 0 {
                return Err(ValidateError::Truncated {
                    len,
                    sector_size: SUB_SIZE,
                    sectors: len / SUB_SIZE as u64,
                    extra: len % SUB_SIZE as u64,
                });
            }
            if len / (SUB_SIZE as u64) < program {
                return Err(ValidateError::SizeMismatch(format!(
                    "{} holds {} sub-channel records; the program area from LBA {first} to the lead-out at LBA {leadout} needs {program}",
                    p.display(),
                    len / SUB_SIZE as u64
                )));
            }
            Some(SubFile {
                path: p,
                file,
                len,
                buf: vec![0u8; CHUNK_SECTORS * SUB_SIZE],
                filled: 0,
                next: 0,
                read: 0,
            })
        }
    };
    let mut opts = opts.clone();
    opts.toc = Some(toc.clone());
    let format = format!(
        "{kind} ({})",
        if sub.is_some() {
            "with sub-channel"
        } else {
            "no sub-channel"
        }
    );
    let mut v = Validator::new(format, false, &opts);
    v.set_program_area_only(true);
    for w in &loaded.warnings {
        v.note(w.clone());
    }
    if sub.is_none() {
        v.note("no sub-channel file (--sub): Q and P were not checked; the TOC shown is the description's");
    }
    let mut files: BTreeMap<usize, File> = BTreeMap::new();
    let mut buf = vec![0u8; CHUNK_SECTORS * SECTOR_SIZE];
    let mut noted_user = false;
    for t in &plan.tracks {
        for seg in &t.segments {
            let end = seg.start + seg.sectors as Lba;
            let from = seg.start.max(first);
            if from >= end {
                continue;
            }
            let skip = (from - seg.start) as u64;
            let count = (end - from) as u64;
            let stored = match seg.content {
                Content::Source {
                    source,
                    offset,
                    encoding,
                } => {
                    let size = bytes_per_sector(t.sector_type, encoding);
                    if size == SECTOR_SIZE {
                        Some((source, offset + skip * size as u64, encoding))
                    } else {
                        if !noted_user {
                            noted_user = true;
                            v.note(format!(
                                "track {:02} ({}) stores {size}-byte user data: sync, header and EDC/ECC are made when the image is built, so only the file size was checked",
                                t.number, t.sector_type
                            ));
                        }
                        None
                    }
                }
                Content::Zero => None,
            };
            let Some((source, offset, encoding)) = stored else {
                for k in 0..count {
                    let lba = from + k as Lba;
                    match sub.as_mut() {
                        Some(s) => v.sector_without_main(lba, Subcode::Pw96(s.next()?)),
                        None => v.sector_without_main(lba, Subcode::None),
                    }
                }
                continue;
            };
            let name = layout
                .sources
                .get(source)
                .map(|s| s.name.clone())
                .unwrap_or_default();
            let name = Path::new(&name);
            let f = match files.entry(source) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => e.insert(open(name)?.0),
            };
            f.seek(SeekFrom::Start(offset)).map_err(io_err(name))?;
            let mut done = 0u64;
            while done < count {
                let want = ((count - done) as usize).min(CHUNK_SECTORS);
                let b = &mut buf[..want * SECTOR_SIZE];
                let got = read_full(f, b).map_err(io_err(name))?;
                if got < b.len() {
                    return Err(short(
                        name,
                        offset + done * SECTOR_SIZE as u64 + got as u64,
                        offset + count * SECTOR_SIZE as u64,
                    ));
                }
                for (k, main) in b.chunks_exact_mut(SECTOR_SIZE).enumerate() {
                    if encoding == Encoding::AudioSwapped {
                        for pair in main.chunks_exact_mut(2) {
                            pair.swap(0, 1);
                        }
                    }
                    let Ok(main) = <&[u8; SECTOR_SIZE]>::try_from(&*main) else {
                        continue;
                    };
                    let lba = from + (done + k as u64) as Lba;
                    match sub.as_mut() {
                        Some(s) => v.sector(lba, main, Subcode::Pw96(s.next()?)),
                        None => v.sector(lba, main, Subcode::None),
                    }
                }
                done += want as u64;
            }
        }
    }
    if let Some(s) = sub.as_mut() {
        // records past the program area: the lead-out
        let extra = (s.len / SUB_SIZE as u64).saturating_sub(program);
        for lba in (leadout..=MAX_LBA).take(extra as usize) {
            v.sector_without_main(lba, Subcode::Pw96(s.next()?));
        }
    }
    let no_sub = sub.is_none();
    let mut report = v.finish();
    if no_sub && report.toc.is_none() {
        report.toc = Some(toc);
    }
    Ok(report)
}
