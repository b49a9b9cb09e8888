//! Repair: a copy of an IMAPI image with Q CRC/position and EDC/ECC
//! regenerated where only those were wrong, and the exact list of changes.
//!
//! * Q (`q_crc`, `q_position`): the frame is rebuilt from its two
//!   neighbours when both decode and agree (same CONTROL/ADR, track, index
//!   or POINT; times one sector apart on either side). Otherwise it is left
//!   alone and reported as not repaired.
//! * Data (`edc`, `ecc`): a sector whose only data defect is `edc` (ECC
//!   consistent with the data: the EDC field was computed wrong) or only
//!   `ecc` (EDC proves the data right: the parity is damaged) gets its EDC
//!   and ECC regenerated. Both at once means damaged data: not repaired.
//!
//! The copy is written to a temporary file beside the output and renamed
//! into place once complete.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use serde::Serialize;

use crate::image::ImageType;
use crate::msf::{Lba, Msf};
use crate::sector::{check_sector, descramble, ecc, edc::edc, scramble, SECTOR_SIZE};
use crate::subcode::pack::{pq16, raw96, unpq16, PqCrc};
use crate::subcode::QFrame;

use super::core::split_pw;
use super::imapi::ImapiImage;
use super::report::{msf_text, DefectKind, Report};
use super::{Options, ValidateError};

/// One change made to the copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// LBA of the sector changed.
    pub lba: Lba,
    /// Its MSF text.
    pub msf: String,
    /// The defect kind repaired.
    pub kind: DefectKind,
    /// What was changed, old → new.
    pub what: String,
}

/// What [`repair_file`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepairReport {
    /// The file written.
    pub output: String,
    /// Every change, by LBA.
    pub changes: Vec<Change>,
    /// Defects left as they were (not repairable), with the reason.
    pub not_repaired: Vec<Change>,
}

impl fmt::Display for RepairReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "repaired copy {}: {} changes, {} defects not repaired",
            self.output,
            self.changes.len(),
            self.not_repaired.len()
        )?;
        for c in &self.changes {
            writeln!(
                f,
                "  changed LBA {:>7} ({})  {:<10} {}",
                c.lba, c.msf, c.kind, c.what
            )?;
        }
        for c in &self.not_repaired {
            writeln!(
                f,
                "  kept    LBA {:>7} ({})  {:<10} {}",
                c.lba, c.msf, c.kind, c.what
            )?;
        }
        Ok(())
    }
}

fn io_err(path: &Path) -> impl Fn(io::Error) -> ValidateError + '_ {
    move |source| ValidateError::Io {
        path: path.to_path_buf(),
        source,
    }
}

struct Image {
    file: File,
    shape: ImapiImage,
}

impl Image {
    fn record(&mut self, lba: Lba) -> io::Result<Option<Vec<u8>>> {
        let k = i64::from(lba) - i64::from(self.shape.first_lba);
        if k < 0 || k as u64 >= self.shape.sectors {
            return Ok(None);
        }
        let size = self.shape.image_type.sector_size();
        let mut buf = vec![0u8; size];
        self.file.seek(SeekFrom::Start(k as u64 * size as u64))?;
        self.file.read_exact(&mut buf)?;
        Ok(Some(buf))
    }

    /// P, Q and the PQ CRC polarity of a record; `None` when the CRC is bad.
    fn q_of(&self, rec: &[u8]) -> Option<(bool, QFrame, PqCrc)> {
        match self.shape.image_type {
            ImageType::PqOnly => {
                let sub: &[u8; 16] = rec[SECTOR_SIZE..].try_into().ok()?;
                let (p, q, pol) = unpq16(sub);
                pol.map(|pol| (p, q, pol))
            }
            _ => {
                let sub: &[u8; 96] = rec[SECTOR_SIZE..].try_into().ok()?;
                let (q, pbits, _) = split_pw(sub);
                q.crc_ok().then_some((pbits > 48, q, PqCrc::Inverted))
            }
        }
    }
}

/// The MSF field between `a` and `b` (3 BCD bytes each), which must lie one
/// sector on either side of it (or both equal it).
fn middle(a: [u8; 3], b: [u8; 3]) -> Option<[u8; 3]> {
    if a == b {
        return Some(a);
    }
    let (x, y) = (
        Msf::from_bcd(a).ok()?.frames(),
        Msf::from_bcd(b).ok()?.frames(),
    );
    let mid = if y == x + 2 {
        x + 1
    } else if x == y + 2 {
        x - 1
    } else {
        return None;
    };
    Some(Msf::from_frames(mid)?.to_bcd())
}

/// The Q frame between two neighbours, when they determine it.
fn interpolate(prev: &QFrame, next: &QFrame) -> Option<QFrame> {
    let (a, b) = (prev.0, next.0);
    if a[0] != b[0] || a[1] != b[1] || a[2] != b[2] || a[6] != b[6] || a[0] & 0x0F != 1 {
        return None;
    }
    let t = middle([a[3], a[4], a[5]], [b[3], b[4], b[5]])?;
    let p = middle([a[7], a[8], a[9]], [b[7], b[8], b[9]])?;
    Some(QFrame::from_data([
        a[0], a[1], a[2], t[0], t[1], t[2], a[6], p[0], p[1], p[2],
    ]))
}

/// True when `own` continues `other` by one sector (same CONTROL/ADR,
/// track, index or POINT; both times exactly one sector apart).
fn adjacent(own: &QFrame, other: &QFrame) -> bool {
    let (a, b) = (own.0, other.0);
    let one = |x: [u8; 3], y: [u8; 3]| match (Msf::from_bcd(x), Msf::from_bcd(y)) {
        (Ok(x), Ok(y)) => x.frames().abs_diff(y.frames()) == 1 || (x == y && a[1] == 0),
        _ => false,
    };
    a[..3] == b[..3]
        && a[6] == b[6]
        && one([a[3], a[4], a[5]], [b[3], b[4], b[5]])
        && (one([a[7], a[8], a[9]], [b[7], b[8], b[9]]) || (a[1] == 0 && a[7..10] == b[7..10]))
}

fn hex(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Regenerates EDC and ECC of an unscrambled data sector; a description.
fn regenerate(s: &mut [u8; SECTOR_SIZE]) -> Option<&'static str> {
    match s[15] {
        1 => {
            let e = edc(&s[..2064]);
            s[2064..2068].copy_from_slice(&e.to_le_bytes());
            ecc::encode(s, false);
            Some("mode 1 EDC and ECC regenerated")
        }
        2 if s[18] & 0x20 == 0 => {
            let e = edc(&s[16..2072]);
            s[2072..2076].copy_from_slice(&e.to_le_bytes());
            ecc::encode(s, true);
            Some("mode 2 form 1 EDC and ECC regenerated")
        }
        2 => {
            let e = edc(&s[16..2348]);
            s[2348..2352].copy_from_slice(&e.to_le_bytes());
            Some("mode 2 form 2 EDC regenerated")
        }
        _ => None,
    }
}

/// Writes a repaired copy of the IMAPI image `input` to `output`, using the
/// defects of `report` (which must list them all: validate without
/// `max_defects`). Returns exactly what was changed and what was not.
pub fn repair_file(
    input: &Path,
    output: &Path,
    report: &Report,
    opts: &Options,
) -> Result<RepairReport, ValidateError> {
    let mut file = File::open(input).map_err(io_err(input))?;
    let len = file.metadata().map_err(io_err(input))?.len();
    let mut head = vec![0u8; (32 * 2448).min(len as usize)];
    file.read_exact(&mut head).map_err(io_err(input))?;
    let shape = ImapiImage::probe(&head, len, opts)?;
    let mut img = Image { file, shape };

    let mut by_lba: BTreeMap<Lba, Vec<DefectKind>> = BTreeMap::new();
    for d in &report.defects {
        by_lba.entry(d.lba).or_default().push(d.kind);
    }
    let mut changes = Vec::new();
    let mut kept = Vec::new();
    let mut patches: Vec<(Lba, Vec<u8>)> = Vec::new();
    let note = |lba: Lba, kind: DefectKind, what: String| Change {
        lba,
        msf: msf_text(lba),
        kind,
        what,
    };
    let q_kinds = [DefectKind::QCrc, DefectKind::QPosition];
    let data_kinds = [DefectKind::Edc, DefectKind::Ecc];
    for (&lba, kinds) in &by_lba {
        let Some(mut rec) = img.record(lba).map_err(io_err(input))? else {
            continue;
        };
        let mut changed = false;
        let q_kind = kinds.iter().copied().find(|k| q_kinds.contains(k));
        if let Some(kind) = q_kind {
            let prev = img.record(lba - 1).map_err(io_err(input))?;
            let next = img.record(lba + 1).map_err(io_err(input))?;
            let pq = |r: &Option<Vec<u8>>| r.as_ref().and_then(|r| img.q_of(r));
            let own = {
                let sub = &rec[SECTOR_SIZE..];
                let mut d = [0u8; 10];
                match shape.image_type {
                    ImageType::PqOnly => d.copy_from_slice(&sub[..10]),
                    _ => d.copy_from_slice(
                        &split_pw(sub.try_into().expect("96-byte sub")).0 .0[..10],
                    ),
                }
                QFrame::from_data(d)
            };
            let (pa, pb) = (pq(&prev), pq(&next));
            let guess = match (&pa, &pb) {
                (Some((_, a, _)), Some((_, b, _))) => interpolate(a, b),
                _ => None,
            }
            .or_else(|| {
                let fits = |n: &Option<(bool, QFrame, PqCrc)>| {
                    n.as_ref().is_some_and(|(_, q, _)| adjacent(&own, q))
                };
                (kind == DefectKind::QCrc && (fits(&pa) || fits(&pb))).then_some(own)
            });
            let pol = pa
                .as_ref()
                .or(pb.as_ref())
                .map_or(PqCrc::NonInverted, |n| n.2);
            match (
                guess.is_some() || pa.is_some() && pb.is_some(),
                pa.is_some() || pb.is_some(),
            ) {
                (true, _) => match guess {
                    Some(q) => {
                        let old = &rec[SECTOR_SIZE..];
                        let old_q = match shape.image_type {
                            ImageType::PqOnly => old[..12].to_vec(),
                            _ => {
                                let s: &[u8; 96] = old.try_into().expect("96");
                                split_pw(s).0 .0.to_vec()
                            }
                        };
                        match shape.image_type {
                            ImageType::PqOnly => {
                                let p = rec[SECTOR_SIZE + 15] & 0x80 != 0;
                                let mut out = [0u8; 16];
                                pq16(p, &q, pol, &mut out);
                                rec[SECTOR_SIZE..].copy_from_slice(&out);
                            }
                            _ => {
                                let sub: [u8; 96] =
                                    rec[SECTOR_SIZE..].try_into().expect("96-byte sub");
                                let (_, pbits, _) = split_pw(&sub);
                                let rw = sub.map(|b| b & 0x3F);
                                let mut out = [0u8; 96];
                                raw96(pbits > 48, &q, Some(&rw), &mut out);
                                rec[SECTOR_SIZE..].copy_from_slice(&out);
                            }
                        }
                        changed = true;
                        changes.push(note(
                            lba,
                            kind,
                            format!("Q {} → {}", hex(&old_q), hex(&q.0)),
                        ));
                    }
                    None => kept.push(note(
                        lba,
                        kind,
                        "neighbouring Q frames do not determine this one".into(),
                    )),
                },
                _ => kept.push(note(
                    lba,
                    kind,
                    "neighbouring Q frames are unreadable".into(),
                )),
            }
        }
        let data: Vec<DefectKind> = kinds
            .iter()
            .copied()
            .filter(|k| data_kinds.contains(k))
            .collect();
        let others = kinds
            .iter()
            .any(|k| !q_kinds.contains(k) && !data_kinds.contains(k));
        if !data.is_empty() {
            let both = data.contains(&DefectKind::Edc) && data.contains(&DefectKind::Ecc);
            if both || others {
                kept.push(note(
                    lba,
                    data[0],
                    if both {
                        "EDC and ECC both wrong: the data itself is damaged".into()
                    } else {
                        "other defects in the same sector".into()
                    },
                ));
            } else {
                let main: &mut [u8; SECTOR_SIZE] =
                    (&mut rec[..SECTOR_SIZE]).try_into().expect("main");
                let mut s = *main;
                descramble(&mut s);
                match regenerate(&mut s) {
                    Some(what) => {
                        let mut check = s;
                        scramble(&mut check);
                        if check_sector(&check, lba, true).has_errors() {
                            kept.push(note(lba, data[0], "regenerated sector still fails".into()));
                        } else {
                            *main = check;
                            changed = true;
                            changes.push(note(lba, data[0], what.into()));
                        }
                    }
                    None => kept.push(note(lba, data[0], "unknown sector mode".into())),
                }
            }
        }
        if changed {
            patches.push((lba, rec));
        }
    }

    // copy, patch, rename
    let dir = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "image".into());
    let tmp = dir.join(format!(".{name}.rawcd-{}.tmp", std::process::id()));
    let result = (|| -> io::Result<()> {
        let mut out = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        img.file.seek(SeekFrom::Start(0))?;
        {
            let mut w = BufWriter::with_capacity(1 << 20, &mut out);
            io::copy(&mut img.file, &mut w)?;
            w.flush()?;
        }
        let size = shape.image_type.sector_size() as u64;
        for (lba, rec) in &patches {
            let k = (i64::from(*lba) - i64::from(shape.first_lba)) as u64;
            out.seek(SeekFrom::Start(k * size))?;
            out.write_all(rec)?;
        }
        out.sync_all()?;
        fs::rename(&tmp, output)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(io_err(output)(e));
    }
    Ok(RepairReport {
        output: output.display().to_string(),
        changes,
        not_repaired: kept,
    })
}
