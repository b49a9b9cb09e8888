//! What the validator reports: defects by kind, warnings, the TOC seen, and
//! the human summary.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::layout::Toc;
use crate::msf::{Lba, Msf};

/// The kind of a defect (or warning), serialized as a snake_case string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefectKind {
    /// Q CRC mismatch.
    QCrc,
    /// Q position (absolute/relative time, track, index) inconsistent with
    /// the sector's address or its neighbours.
    QPosition,
    /// Q CONTROL differs within a track (or from the lead-in TOC's).
    QControl,
    /// Media catalogue number frame invalid or inconsistent.
    Mcn,
    /// ISRC frame invalid or inconsistent.
    Isrc,
    /// P channel implausible.
    PChannel,
    /// Lead-in (or external) TOC disagrees with the program area.
    TocMismatch,
    /// Data sector without its sync pattern.
    Sync,
    /// Data sector header: address, mode byte, scrambling.
    Header,
    /// EDC mismatch.
    Edc,
    /// ECC P/Q mismatch.
    Ecc,
    /// Mode 2 subheader copies differ.
    Subheader,
    /// Lead-out missing or too short.
    Leadout,
    /// The disc does not fit the media.
    Capacity,
    /// Track/index layout rules.
    Layout,
}

impl DefectKind {
    /// Every kind, in report order.
    pub const ALL: [DefectKind; 15] = [
        DefectKind::QCrc,
        DefectKind::QPosition,
        DefectKind::QControl,
        DefectKind::Mcn,
        DefectKind::Isrc,
        DefectKind::PChannel,
        DefectKind::TocMismatch,
        DefectKind::Sync,
        DefectKind::Header,
        DefectKind::Edc,
        DefectKind::Ecc,
        DefectKind::Subheader,
        DefectKind::Leadout,
        DefectKind::Capacity,
        DefectKind::Layout,
    ];

    /// The snake_case name (`q_crc`, `toc_mismatch`, …).
    pub fn name(self) -> &'static str {
        match self {
            DefectKind::QCrc => "q_crc",
            DefectKind::QPosition => "q_position",
            DefectKind::QControl => "q_control",
            DefectKind::Mcn => "mcn",
            DefectKind::Isrc => "isrc",
            DefectKind::PChannel => "p_channel",
            DefectKind::TocMismatch => "toc_mismatch",
            DefectKind::Sync => "sync",
            DefectKind::Header => "header",
            DefectKind::Edc => "edc",
            DefectKind::Ecc => "ecc",
            DefectKind::Subheader => "subheader",
            DefectKind::Leadout => "leadout",
            DefectKind::Capacity => "capacity",
            DefectKind::Layout => "layout",
        }
    }
}

impl fmt::Display for DefectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The MSF text of an LBA: lead-in addresses (< −150) use the M ≥ 90 rule,
/// everything else the program-area rule; `??:??:??` when out of range.
pub fn msf_text(lba: Lba) -> String {
    let msf = if lba < -150 {
        Msf::from_lba(lba)
    } else {
        Msf::from_program_lba(lba)
    };
    msf.map_or_else(|_| "??:??:??".into(), |m| m.to_string())
}

/// One defect (or warning) at one sector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Defect {
    /// LBA of the sector (by its position in the image).
    pub lba: Lba,
    /// The same address as MSF text.
    pub msf: String,
    /// What is wrong.
    pub kind: DefectKind,
    /// Human detail.
    pub detail: String,
}

impl Defect {
    /// A defect at `lba`.
    pub fn new(lba: Lba, kind: DefectKind, detail: impl Into<String>) -> Defect {
        Defect {
            lba,
            msf: msf_text(lba),
            kind,
            detail: detail.into(),
        }
    }
}

impl fmt::Display for Defect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "LBA {:>7} ({})  {:<12} {}",
            self.lba, self.msf, self.kind, self.detail
        )
    }
}

/// The result of validating one image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The image format, e.g. `imapi-raw` (2448), `imapi-cooked`, `imapi-pq` (2368).
    pub format: String,
    /// Sectors checked.
    pub sectors: u64,
    /// LBA of the first sector of the image.
    pub first_lba: Lba,
    /// Defects, sorted by LBA; at most `max_defects` of them (see
    /// [`Report::defect_count`] and [`Report::counts`] for the totals).
    pub defects: Vec<Defect>,
    /// Total number of defects found.
    pub defect_count: u64,
    /// Defects found, by kind (all of them, listed or not).
    pub counts: BTreeMap<DefectKind, u64>,
    /// True when more defects were found than listed.
    pub truncated: bool,
    /// Tolerated deviations (short tracks, gap rules, unexpected syncs, …), sorted by LBA; capped.
    pub warnings: Vec<Defect>,
    /// Total number of warnings.
    pub warning_count: u64,
    /// The table of contents of the program area as the Q channel shows it
    /// (`None` when no track was seen).
    pub toc: Option<Toc>,
    /// What was not (or could not be) checked, and why: formats without a
    /// stored main channel or sub-channel, sessions skipped, ….
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Report {
    /// True when no defect was found (warnings allowed).
    pub fn is_clean(&self) -> bool {
        self.defect_count == 0
    }

    /// Number of defects of `kind`.
    pub fn count(&self, kind: DefectKind) -> u64 {
        self.counts.get(&kind).copied().unwrap_or(0)
    }

    /// The listed defects at `lba`.
    pub fn defects_at(&self, lba: Lba) -> impl Iterator<Item = &Defect> {
        self.defects.iter().filter(move |d| d.lba == lba)
    }

    /// The human summary: sectors checked, defects by kind, the first
    /// `first` defects and warnings.
    pub fn summary(&self, first: usize) -> String {
        use fmt::Write;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{}: {} sectors checked from LBA {} ({})",
            self.format,
            self.sectors,
            self.first_lba,
            msf_text(self.first_lba)
        );
        if let Some(toc) = &self.toc {
            let _ = write!(s, "{toc}");
        }
        for n in &self.notes {
            let _ = writeln!(s, "note: {n}");
        }
        if self.defect_count == 0 {
            let _ = writeln!(s, "no defects");
        } else {
            let _ = writeln!(s, "{} defects:", self.defect_count);
            for (k, n) in &self.counts {
                let _ = writeln!(s, "  {:<12} {n}", k.name());
            }
            let _ = writeln!(s, "first defects:");
            for d in self.defects.iter().take(first) {
                let _ = writeln!(s, "  {d}");
            }
            if self.defect_count as usize > first.min(self.defects.len()) {
                let _ = writeln!(
                    s,
                    "  … {} more",
                    self.defect_count as usize - first.min(self.defects.len())
                );
            }
        }
        if self.warning_count > 0 {
            let _ = writeln!(s, "{} warnings:", self.warning_count);
            for w in self.warnings.iter().take(first) {
                let _ = writeln!(s, "  {w}");
            }
            if self.warning_count as usize > first.min(self.warnings.len()) {
                let _ = writeln!(
                    s,
                    "  … {} more",
                    self.warning_count as usize - first.min(self.warnings.len())
                );
            }
        }
        s
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary(20))
    }
}

/// Collects defects and warnings with a listing cap.
#[derive(Debug, Clone)]
pub(crate) struct Sink {
    pub max_defects: usize,
    pub max_warnings: usize,
    pub defects: Vec<Defect>,
    pub defect_count: u64,
    pub counts: BTreeMap<DefectKind, u64>,
    pub warnings: Vec<Defect>,
    pub warning_count: u64,
}

impl Sink {
    pub fn new(max_defects: usize) -> Sink {
        Sink {
            max_defects,
            max_warnings: 1000,
            defects: Vec::new(),
            defect_count: 0,
            counts: BTreeMap::new(),
            warnings: Vec::new(),
            warning_count: 0,
        }
    }

    pub fn defect(&mut self, lba: Lba, kind: DefectKind, detail: impl Into<String>) {
        self.defect_count += 1;
        *self.counts.entry(kind).or_insert(0) += 1;
        if self.defects.len() < self.max_defects {
            self.defects.push(Defect::new(lba, kind, detail));
        }
    }

    pub fn warning(&mut self, lba: Lba, kind: DefectKind, detail: impl Into<String>) {
        self.warning_count += 1;
        if self.warnings.len() < self.max_warnings {
            self.warnings.push(Defect::new(lba, kind, detail));
        }
    }
}
