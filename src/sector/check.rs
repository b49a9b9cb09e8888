//! Sector checkers for the validator (spec/cd-format.md §9 item 7).
//!
//! [`check_sector`] detects the sync, descrambles when asked, reads the mode
//! byte and checks the header address against the LBA, mode 1 EDC and P/Q,
//! mode 2 subheader copies and form 1 (EDC + ECC with header zeroed) or form
//! 2 (EDC or zero), and the mode 0 zero user area. [`check_sector_as`] also
//! compares against the track's expected [`SectorType`].

use std::fmt;

use super::build::{
    header_msf, FORM1_EDC_OFFSET, FORM2_EDC_OFFSET, MODE1_EDC_OFFSET, MODE_OFFSET,
    SUBHEADER_OFFSET, SUBMODE_FORM2, SYNC, USER_OFFSET,
};
use super::{ecc, edc::edc, scramble::descramble, SectorType, SECTOR_SIZE};
use crate::msf::{Lba, Msf, PREGAP_SECTORS};

/// True when the sector starts with the 12-byte data sync pattern.
pub fn looks_like_data(sector: &[u8; SECTOR_SIZE]) -> bool {
    sector[..12] == SYNC
}

/// What a sector turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SectorKind {
    /// No sync pattern: audio (or not a data sector).
    Audio,
    /// Mode byte 0.
    Mode0,
    /// Mode byte 1.
    Mode1,
    /// Mode byte 2 checked as formless (no subheader, no EDC/ECC).
    Mode2Formless,
    /// Mode byte 2, submode form bit clear.
    Mode2Form1,
    /// Mode byte 2, submode form bit set.
    Mode2Form2,
    /// A mode byte other than 0, 1 or 2.
    UnknownMode(u8),
}

/// How serious a [`Finding`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Tolerated variation (e.g. a lead-in header address convention).
    Warning,
    /// The sector is wrong.
    Error,
}

/// One problem found in a sector.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Finding {
    /// A data sector was expected but there is no sync pattern.
    MissingSync,
    /// An audio sector carries a data sync pattern (may be accidental).
    UnexpectedSync,
    /// The mode byte is not 0, 1 or 2.
    UnknownMode(u8),
    /// The mode byte differs from the track's sector type.
    ModeMismatch {
        /// Mode of the track's sector type.
        expected: u8,
        /// Mode byte found.
        found: u8,
    },
    /// The mode 2 submode form bit differs from the track's sector type.
    FormMismatch {
        /// Form of the track's sector type (1 or 2).
        expected: u8,
        /// Form found (1 or 2).
        found: u8,
    },
    /// The header address is not the sector's own MSF.
    HeaderAddress {
        /// The three stored BCD bytes.
        stored: [u8; 3],
        /// The address expected from the LBA.
        expected: Msf,
        /// True in the lead-in (LBA < −150), where conventions differ and the
        /// finding is only a warning (spec §3.1).
        lead_in: bool,
    },
    /// The stored EDC differs from the recomputed one.
    EdcMismatch {
        /// Stored value (little-endian field read as `u32`).
        stored: u32,
        /// Recomputed value.
        computed: u32,
    },
    /// Stored P parity bytes differ from the recomputed ones.
    EccPMismatch {
        /// Number of differing P bytes (of 172).
        bytes: usize,
    },
    /// Stored Q parity bytes differ from those recomputed over the stored
    /// data and P.
    EccQMismatch {
        /// Number of differing Q bytes (of 104).
        bytes: usize,
    },
    /// A byte of the mode 1 intermediate field (2068..2075) is not zero.
    Mode1ReservedNotZero {
        /// Sector offset of the first non-zero byte.
        offset: usize,
    },
    /// The two mode 2 subheader copies differ.
    SubheaderCopiesDiffer {
        /// Bytes 16..19.
        first: [u8; 4],
        /// Bytes 20..23.
        second: [u8; 4],
    },
    /// A byte of the mode 0 user area is not zero.
    Mode0NotZero {
        /// Sector offset of the first non-zero byte.
        offset: usize,
        /// Its value.
        value: u8,
    },
}

impl Finding {
    /// The finding's severity: warnings for an audio sector with a sync, a
    /// lead-in header address, and a mode 0 sector in a data track (as
    /// found in gaps, spec §7.2); errors otherwise.
    pub fn severity(&self) -> Severity {
        match self {
            Finding::UnexpectedSync
            | Finding::HeaderAddress { lead_in: true, .. }
            | Finding::ModeMismatch { found: 0, .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

fn hex3(b: &[u8; 3]) -> String {
    format!("{:02X} {:02X} {:02X}", b[0], b[1], b[2])
}

fn hex4(b: &[u8; 4]) -> String {
    format!("{:02X} {:02X} {:02X} {:02X}", b[0], b[1], b[2], b[3])
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::MissingSync => write!(f, "data sector without sync pattern"),
            Finding::UnexpectedSync => write!(f, "audio sector starts with a data sync pattern"),
            Finding::UnknownMode(m) => write!(f, "invalid mode byte 0x{m:02X}"),
            Finding::ModeMismatch { expected, found } => {
                write!(f, "mode {found} sector in a mode {expected} track")
            }
            Finding::FormMismatch { expected, found } => {
                write!(f, "mode 2 form {found} sector in a form {expected} track")
            }
            Finding::HeaderAddress {
                stored,
                expected,
                lead_in,
            } => write!(
                f,
                "header address {} differs from expected {expected} ({}){}",
                hex3(stored),
                hex3(&expected.to_bcd()),
                if *lead_in { " in the lead-in" } else { "" }
            ),
            Finding::EdcMismatch { stored, computed } => write!(
                f,
                "EDC mismatch: stored 0x{stored:08X}, computed 0x{computed:08X}"
            ),
            Finding::EccPMismatch { bytes } => write!(f, "ECC P mismatch: {bytes} of 172 bytes"),
            Finding::EccQMismatch { bytes } => write!(f, "ECC Q mismatch: {bytes} of 104 bytes"),
            Finding::Mode1ReservedNotZero { offset } => {
                write!(f, "mode 1 intermediate byte {offset} is not zero")
            }
            Finding::SubheaderCopiesDiffer { first, second } => write!(
                f,
                "mode 2 subheader copies differ: {} vs {}",
                hex4(first),
                hex4(second)
            ),
            Finding::Mode0NotZero { offset, value } => {
                write!(f, "mode 0 user byte {offset} is 0x{value:02X}, not zero")
            }
        }
    }
}

/// The result of checking one sector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectorCheck {
    /// What the sector was decoded as.
    pub kind: SectorKind,
    /// Problems found, in check order; empty for a good sector.
    pub findings: Vec<Finding>,
}

impl SectorCheck {
    /// True when nothing at all was found.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }

    /// True when a finding of [`Severity::Error`] was found.
    pub fn has_errors(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity() == Severity::Error)
    }
}

fn stored_u32(s: &[u8; SECTOR_SIZE], at: usize) -> u32 {
    u32::from_le_bytes([s[at], s[at + 1], s[at + 2], s[at + 3]])
}

fn check_edc(
    s: &[u8; SECTOR_SIZE],
    from: usize,
    at: usize,
    optional: bool,
    out: &mut Vec<Finding>,
) {
    let stored = stored_u32(s, at);
    if optional && stored == 0 {
        return;
    }
    let computed = edc(&s[from..at]);
    if stored != computed {
        out.push(Finding::EdcMismatch { stored, computed });
    }
}

fn check_ecc(s: &[u8; SECTOR_SIZE], zero_header: bool, out: &mut Vec<Finding>) {
    let r = ecc::check(s, zero_header);
    if r.p_errors != 0 {
        out.push(Finding::EccPMismatch { bytes: r.p_errors });
    }
    if r.q_errors != 0 {
        out.push(Finding::EccQMismatch { bytes: r.q_errors });
    }
}

/// Checks an unscrambled data sector (sync already verified).
fn analyze(s: &[u8; SECTOR_SIZE], lba: Lba, mode2_formless: bool) -> SectorCheck {
    let mut findings = Vec::new();
    let expected = header_msf(lba);
    let stored = [s[12], s[13], s[14]];
    if stored != expected.to_bcd() {
        findings.push(Finding::HeaderAddress {
            stored,
            expected,
            lead_in: lba < -PREGAP_SECTORS,
        });
    }
    let kind = match s[MODE_OFFSET] {
        0 => {
            if let Some(i) = s[USER_OFFSET..].iter().position(|&b| b != 0) {
                findings.push(Finding::Mode0NotZero {
                    offset: USER_OFFSET + i,
                    value: s[USER_OFFSET + i],
                });
            }
            SectorKind::Mode0
        }
        1 => {
            check_edc(s, 0, MODE1_EDC_OFFSET, false, &mut findings);
            if let Some(i) = s[MODE1_EDC_OFFSET + 4..ecc::P_OFFSET]
                .iter()
                .position(|&b| b != 0)
            {
                findings.push(Finding::Mode1ReservedNotZero {
                    offset: MODE1_EDC_OFFSET + 4 + i,
                });
            }
            check_ecc(s, false, &mut findings);
            SectorKind::Mode1
        }
        2 if mode2_formless => SectorKind::Mode2Formless,
        2 => {
            let first = [s[16], s[17], s[18], s[19]];
            let second = [s[20], s[21], s[22], s[23]];
            if first != second {
                findings.push(Finding::SubheaderCopiesDiffer { first, second });
            }
            if first[2] & SUBMODE_FORM2 == 0 {
                check_edc(s, SUBHEADER_OFFSET, FORM1_EDC_OFFSET, false, &mut findings);
                check_ecc(s, true, &mut findings);
                SectorKind::Mode2Form1
            } else {
                check_edc(s, SUBHEADER_OFFSET, FORM2_EDC_OFFSET, true, &mut findings);
                SectorKind::Mode2Form2
            }
        }
        m => {
            findings.push(Finding::UnknownMode(m));
            SectorKind::UnknownMode(m)
        }
    };
    SectorCheck { kind, findings }
}

fn prepare(sector: &[u8; SECTOR_SIZE], scrambled: bool) -> [u8; SECTOR_SIZE] {
    let mut s = *sector;
    if scrambled {
        descramble(&mut s);
    }
    s
}

/// Checks one sector found at `lba`, with no knowledge of its track type.
///
/// A sector without sync is reported as [`SectorKind::Audio`] with no
/// findings. Otherwise it is descrambled first when `scrambled` (on-disc
/// form) and checked; mode 2 sectors are checked as XA form 1/2 (use
/// [`check_sector_as`] for mode 2 formless tracks).
pub fn check_sector(sector: &[u8; SECTOR_SIZE], lba: Lba, scrambled: bool) -> SectorCheck {
    if !looks_like_data(sector) {
        return SectorCheck {
            kind: SectorKind::Audio,
            findings: Vec::new(),
        };
    }
    analyze(&prepare(sector, scrambled), lba, false)
}

/// Checks one sector at `lba` of a track of type `expected`.
///
/// Audio tracks: a sync pattern is reported as [`Finding::UnexpectedSync`]
/// (a warning) and nothing else is checked. Data tracks: a missing sync is
/// [`Finding::MissingSync`]; then as [`check_sector`], with mode 2 treated as
/// formless for `Mode2Form0`/`Mode2Form0Raw`, and the mode byte and XA form
/// compared with the type (a mode 0 sector in a data track is only a
/// warning: gaps may hold mode 0, spec §7.2).
pub fn check_sector_as(
    sector: &[u8; SECTOR_SIZE],
    lba: Lba,
    scrambled: bool,
    expected: SectorType,
) -> SectorCheck {
    let sync = looks_like_data(sector);
    let Some(mode) = expected.mode() else {
        return SectorCheck {
            kind: SectorKind::Audio,
            findings: if sync {
                vec![Finding::UnexpectedSync]
            } else {
                Vec::new()
            },
        };
    };
    if !sync {
        return SectorCheck {
            kind: SectorKind::Audio,
            findings: vec![Finding::MissingSync],
        };
    }
    let formless = matches!(expected, SectorType::Mode2Form0 | SectorType::Mode2Form0Raw);
    let mut check = analyze(&prepare(sector, scrambled), lba, formless);
    let found = match check.kind {
        SectorKind::Mode0 => Some(0),
        SectorKind::Mode1 => Some(1),
        SectorKind::Mode2Formless | SectorKind::Mode2Form1 | SectorKind::Mode2Form2 => Some(2),
        _ => None,
    };
    if let Some(found) = found {
        if found != mode {
            check.findings.push(Finding::ModeMismatch {
                expected: mode,
                found,
            });
        }
    }
    let expected_form = match expected {
        SectorType::Mode2Form1 | SectorType::Mode2Form1Raw => Some(1),
        SectorType::Mode2Form2 | SectorType::Mode2Form2Raw => Some(2),
        _ => None,
    };
    let found_form = match check.kind {
        SectorKind::Mode2Form1 => Some(1),
        SectorKind::Mode2Form2 => Some(2),
        _ => None,
    };
    if let (Some(e), Some(f)) = (expected_form, found_form) {
        if e != f {
            check.findings.push(Finding::FormMismatch {
                expected: e,
                found: f,
            });
        }
    }
    check
}
