//! Sector-by-sector comparison of a disc a third-party program burned in RAW
//! mode with the image `rawcd create` makes for the same layout: every
//! sector the program wrote (lead-in from the media's ATIP lead-in start,
//! pregaps, program area, lead-out) against `ResultImage::sector_at` at the
//! same LBA. Each difference is put in a [`Kind`]; kinds the standard allows
//! (spec/cd-format.md names the choices) are "explained", anything else is
//! collected in [`Comparison::unexplained`] with an example.

use std::collections::{BTreeMap, BTreeSet};

use rawcd::image::ResultImage;
use rawcd::layout::Plan;
use rawcd::msf::{Lba, Msf};
use rawcd::sector::{self, SectorType, SECTOR_SIZE};
use rawcd::subcode::pack::unraw96;
use rawcd::subcode::QContent;
use rawcd::subcode::QFrame;
use rawcd_emulator::media::Media;

/// A kind of difference between the program's sector and rawcd's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Audio main channel equal after swapping the bytes of every 16-bit
    /// sample: the program read the source file as big-endian samples.
    AudioByteOrder,
    /// A data sector equal to rawcd's encoding (sync, header, EDC/ECC,
    /// scrambled) of the same mode for another header address: the program
    /// numbers lead-in headers differently (§3.1).
    LeadInDataHeaderAddress,
    /// Lead-in Q running time counted from 00:00:00 at the first written
    /// lead-in sector instead of the sector's absolute MSF (§4.5).
    LeadInTimeFromZero,
    /// Lead-in Q carries a TOC entry rawcd also cycles, the program's cycle
    /// being a rotation of rawcd's: the same order, started elsewhere. The
    /// burners start it at their first lead-in sector (cdrdao with POINT 01
    /// — "tracks first" —, cdrecord with A0); rawcd starts it with A0 at
    /// MSF 95:00:00 so that it is position-independent (§2.1, §4.5).
    LeadInCyclePhase,
    /// Lead-in Q carries a TOC entry rawcd also cycles, in an order that is
    /// not a rotation of rawcd's (§4.5: "accept any order").
    LeadInTocOrder,
    /// P in the lead-out's first 150 sectors (§4.2: cdrdao 1, rawcd 0).
    LeadOutPFirst2s,
    /// P in the 2 Hz part of the lead-out: another on/off cadence (§4.2:
    /// cdrdao 19/19, cdrecord 75/75, rawcd 19/19/19/18).
    LeadOutPCadence,
    /// P at the first sector of an index 1 (§4.2: cdrdao/rawcd 1, cdrecord 0).
    PFirstSectorOfIndex1,
    /// P in the 150 sectors before the lead-out: cdrdao applies its "P = 1
    /// for 2 s before every track start" rule (§4.2, gapless row) to the
    /// lead-out as well; cdrecord and rawcd keep P = 0 there.
    PBeforeLeadOut,
    /// MCN frames in the lead-out (§4.6: cdrdao keeps the MCN there,
    /// cdrecord and rawcd emit none).
    LeadOutMcn,
    /// Q mode 2/3 (MCN/ISRC) frames at other sectors (§4.6: phases are a
    /// choice; cdrdao LBA ≡ 0/50 mod 90, cdrecord and rawcd ≡ 99/49 mod 100).
    CatalogPhase,
    /// An ISRC frame in an index 0 sector where rawcd writes a position
    /// frame: cdrdao and cdrecord emit the ISRC in pregaps too (cdrecord
    /// the ISRC of the track whose file fills the sector); rawcd emits it in
    /// index ≥ 1 only. §4.6 fixes neither (it only excludes the lead-in).
    IsrcInPregap,
    /// Index 0 relative time one frame lower (§4.4: cdrecord counts
    /// 00:01:74 … 00:00:00 inside a 150-sector pregap).
    PregapRelativeOffByOne,
    /// A lead-out sector in the first track's sector mode where the last
    /// track's is expected (a data sector after a final audio track):
    /// cdrecord's `write_leadout` encodes the lead-out with `trackp[0]`, the
    /// lead-in pseudo-track that copies track 1. A program defect (§7.2 wants
    /// the last track's mode); rawcd follows §7.2.
    LeadOutMainOfFirstTrack,
    /// A generated mode 1 sector (lead-in, pregap, lead-out) whose user data, descrambled, is the
    /// scrambler key itself: cdrecord's `write_leadin`/`write_leadout` and
    /// its pad-data writer for pregaps re-encode (`encsectors`: header, EDC/ECC, then scramble) the buffer
    /// of the previous write, whose user area is still scrambled, so every
    /// other chunk goes out with the key as user data (valid EDC/ECC over
    /// it). A program defect (§7.2: zero user data); nobody reads that data.
    StaleScrambledBuffer,
    /// Lead-out Q CONTROL of the first track instead of the last (same
    /// cdrecord `write_leadout` defect; §4.4 wants the last track's).
    LeadOutControlOfFirstTrack,
    /// An MCN/ISRC frame with CONTROL 0 where rawcd writes the track's
    /// CONTROL (§4.6: cdrecord's `fillmcn`/`fillisrc` write ADR only;
    /// "accept either").
    CatalogControlZero,
    /// R–W bits differ (neither side writes CD-Text here: unexplained).
    RwBits,
    /// Main channel differs otherwise (unexplained).
    MainOther,
    /// P differs otherwise (unexplained).
    POther,
    /// Q of the program's sector does not decode (unexplained).
    QUndecodable,
    /// A lead-in entry rawcd does not have: POINT/CONTROL/PMIN… values
    /// differ (unexplained).
    LeadInEntry,
    /// CONTROL of a program-area/lead-out or catalogue frame (unexplained).
    QControl,
    /// Track, index or absolute time differ (unexplained).
    QPosition,
    /// Relative time differs otherwise (unexplained).
    QRelative,
    /// Q differs otherwise (unexplained).
    QOther,
}

impl Kind {
    /// Whether the standard allows the difference (cd-format.md names it).
    pub fn explained(self) -> bool {
        matches!(
            self,
            Kind::AudioByteOrder
                | Kind::LeadInDataHeaderAddress
                | Kind::LeadInTimeFromZero
                | Kind::LeadInCyclePhase
                | Kind::LeadInTocOrder
                | Kind::LeadOutPFirst2s
                | Kind::LeadOutPCadence
                | Kind::PFirstSectorOfIndex1
                | Kind::PBeforeLeadOut
                | Kind::LeadOutMcn
                | Kind::CatalogPhase
                | Kind::IsrcInPregap
                | Kind::PregapRelativeOffByOne
                | Kind::LeadOutMainOfFirstTrack
                | Kind::StaleScrambledBuffer
                | Kind::CatalogControlZero
                | Kind::LeadOutControlOfFirstTrack
        )
    }
}

/// The outcome of a comparison.
#[derive(Debug, Default)]
pub struct Comparison {
    /// First and one-past-last LBA the program wrote.
    pub written: (Lba, Lba),
    /// Sectors compared.
    pub sectors: u64,
    /// Sectors identical (main, P, Q, R–W).
    pub identical: u64,
    /// Sectors per kind (a sector may count in several kinds).
    pub kinds: BTreeMap<Kind, u64>,
    /// The first example of each unexplained kind.
    pub unexplained: BTreeMap<Kind, String>,
    /// Up to three examples of every kind.
    pub examples: BTreeMap<Kind, Vec<String>>,
    /// The program's lead-in TOC cycle from its first lead-in sector.
    pub lead_in_cycle: Vec<String>,
    /// Lengths of the runs of equal lead-in entries.
    pub lead_in_runs: BTreeSet<usize>,
}

impl Comparison {
    /// The summary snapshotted by the tests: the written extent, counts per
    /// kind, and the lead-in entries.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "written LBA {}..{} ({} sectors), identical {}\n",
            self.written.0, self.written.1, self.sectors, self.identical
        );
        for (k, n) in &self.kinds {
            let tag = if k.explained() { "" } else { "  UNEXPLAINED" };
            s.push_str(&format!("{k:?}: {n}{tag}\n"));
        }
        s.push_str(&format!(
            "lead-in cycle from the first written sector, runs of {:?}:\n",
            self.lead_in_runs
        ));
        for e in &self.lead_in_cycle {
            s.push_str(&format!("  {e}\n"));
        }
        s
    }

    /// Panics with the first example of every unexplained kind.
    pub fn assert_explained(&self) {
        assert!(
            self.unexplained.is_empty(),
            "unexplained differences from rawcd's image:\n{:#?}\n{}",
            self.unexplained,
            self.summary()
        );
    }

    fn add(&mut self, kind: Kind, lba: Lba, what: impl FnOnce() -> String) {
        *self.kinds.entry(kind).or_default() += 1;
        let ex = self.examples.entry(kind).or_default();
        if ex.len() < 3 {
            let text = format!("LBA {lba}: {}", what());
            if !kind.explained() && ex.is_empty() {
                self.unexplained.insert(kind, text.clone());
            }
            ex.push(text);
        }
    }
}

/// Where an LBA lies in rawcd's plan.
#[derive(Debug, Clone, Copy)]
enum Region {
    LeadIn,
    Track { i: usize, index: u8 },
    LeadOut,
}

fn region(plan: &Plan, lba: Lba) -> Region {
    if lba < -150 {
        return Region::LeadIn;
    }
    if lba >= plan.leadout {
        return Region::LeadOut;
    }
    let i = plan
        .tracks
        .partition_point(|t| t.extent_start <= lba)
        .saturating_sub(1);
    Region::Track {
        i,
        index: plan.tracks[i].index_at(lba),
    }
}

fn swab(b: &[u8]) -> Vec<u8> {
    b.chunks_exact(2).flat_map(|c| [c[1], c[0]]).collect()
}

fn decode(q: &QFrame) -> Result<QContent, String> {
    q.decode().map_err(|e| format!("{e} {:02x?}", q.0))
}

/// The lead-in entries of `q` frames in order of appearance, one per run,
/// over one cycle; with the run lengths seen.
fn cycle(frames: impl Iterator<Item = QFrame>) -> (Vec<String>, BTreeSet<usize>) {
    let mut order: Vec<String> = Vec::new();
    let mut runs = BTreeSet::new();
    let mut run = 0;
    let mut last: Option<String> = None;
    for q in frames {
        let e = match q.decode() {
            Ok(QContent::LeadIn { control, entry, .. }) => format!("ctl {control:x} {entry:?}"),
            _ => continue,
        };
        if last.as_ref() == Some(&e) {
            run += 1;
            continue;
        }
        if last.is_some() {
            runs.insert(run);
        }
        last = Some(e.clone());
        run = 1;
        if order.first() == Some(&e) {
            break;
        }
        order.push(e);
    }
    (order, runs)
}

/// Compares every sector `media` holds from its ATIP lead-in start to the
/// end of what was written with `img`'s sector at the same LBA.
pub fn compare(media: &mut Media, img: &mut ResultImage) -> Comparison {
    let plan = img.plan().clone();
    let start = media.atip().expect("a recordable medium").lead_in_start;
    let end = media.written_end();
    let mut c = Comparison {
        written: (start, end),
        ..Comparison::default()
    };
    let size = img.image_type().sector_size();
    let n = 3 * (plan.tracks.len() as Lba + 3) * 2;
    let ours = cycle((img.first_lba()..img.first_lba() + n).map(|lba| {
        let mut buf = vec![0u8; size];
        img.sector_at(lba, &mut buf).unwrap();
        unraw96(buf[SECTOR_SIZE..].try_into().unwrap()).1
    }))
    .0;
    let (theirs, runs) = cycle((start..-150).map(|lba| {
        let mut buf = [0u8; 2448];
        media.read_raw(lba, &mut buf).unwrap();
        unraw96(buf[SECTOR_SIZE..].try_into().unwrap()).1
    }));
    let rotation = theirs.len() == ours.len()
        && (0..ours.len())
            .any(|k| (0..ours.len()).all(|j| theirs[j] == ours[(j + k) % ours.len()]));
    c.lead_in_cycle = theirs;
    c.lead_in_runs = runs;
    let leadin = LeadIn {
        start,
        ours: ours.into_iter().collect(),
        rotation,
    };
    let mut a = [0u8; 2448];
    let mut b = vec![0u8; 2448];
    for lba in start..end {
        let written = media.read_raw(lba, &mut a).unwrap();
        assert!(written, "LBA {lba} inside the written extent is unwritten");
        img.sector_at(lba, &mut b).unwrap();
        c.sectors += 1;
        if a[..] == b[..] {
            c.identical += 1;
        }
        let reg = region(&plan, lba);
        let ty = match reg {
            Region::LeadIn => plan.tracks[0].sector_type,
            Region::LeadOut => plan.tracks.last().unwrap().sector_type,
            Region::Track { i, .. } => plan.tracks[i].sector_type,
        };
        let types = (ty, plan.tracks[0].sector_type);
        main_channel(
            &mut c,
            lba,
            reg,
            types,
            &a[..SECTOR_SIZE],
            &b[..SECTOR_SIZE],
        );
        let sa: &[u8; 96] = a[SECTOR_SIZE..].try_into().unwrap();
        let sb: &[u8; 96] = b[SECTOR_SIZE..].try_into().unwrap();
        if sa.iter().zip(sb).any(|(x, y)| (x ^ y) & 0x3F != 0) {
            c.add(Kind::RwBits, lba, || "R-W bits".into());
        }
        let (pa, qa) = unraw96(sa);
        let (pb, qb) = unraw96(sb);
        if pa != pb {
            p_channel(&mut c, &plan, lba, reg, pa, pb);
        }
        q_channel(&mut c, lba, reg, &leadin, plan.tracks[0].control, &qa, &qb);
    }
    c
}

/// What the Q comparison needs to know about the lead-in.
struct LeadIn {
    start: Lba,
    ours: BTreeSet<String>,
    rotation: bool,
}

fn main_channel(
    c: &mut Comparison,
    lba: Lba,
    reg: Region,
    (ty, first): (SectorType, SectorType),
    a: &[u8],
    b: &[u8],
) {
    if a == b {
        return;
    }
    let mut ty = ty;
    if matches!(reg, Region::LeadOut) && first != ty {
        c.add(Kind::LeadOutMainOfFirstTrack, lba, String::new);
        ty = first;
        let mut re = [0u8; SECTOR_SIZE];
        sector::encode_zero_sector(first, lba, &mut re);
        if re[..] == a[..] {
            return;
        }
    }
    if ty.is_audio() {
        if a == swab(b) {
            c.add(Kind::AudioByteOrder, lba, String::new);
        } else {
            c.add(Kind::MainOther, lba, || "audio samples differ".into());
        }
        return;
    }
    // A data sector: descramble and re-encode with the program's header.
    let mut plain: [u8; SECTOR_SIZE] = a.try_into().unwrap();
    sector::descramble(&mut plain);
    let header = Msf::from_bcd([plain[12], plain[13], plain[14]]).ok();
    let same_but_address = header.is_some_and(|m| {
        let mut re = [0u8; SECTOR_SIZE];
        sector::encode_zero_sector(ty, m.to_lba(), &mut re);
        re[..] == a[..]
    });
    let stale = header.is_some_and(|m| {
        let key = sector::scramble::key();
        let user: &[u8; 2048] = key[4..2052].try_into().unwrap();
        let mut re = [0u8; SECTOR_SIZE];
        sector::build::fill_mode1(&mut re, m.to_lba(), user);
        sector::scramble(&mut re);
        ty == SectorType::Mode1 && m.to_lba() == lba && re[..] == a[..]
    });
    if same_but_address && matches!(reg, Region::LeadIn) {
        c.add(Kind::LeadInDataHeaderAddress, lba, String::new);
    } else if stale && !matches!(reg, Region::Track { index, .. } if index >= 1) {
        c.add(Kind::StaleScrambledBuffer, lba, String::new);
    } else {
        c.add(Kind::MainOther, lba, || {
            // Descrambled, both sides: where they differ first.
            let mut ours: [u8; SECTOR_SIZE] = b.try_into().unwrap();
            sector::descramble(&mut ours);
            let diffs: Vec<usize> = (0..SECTOR_SIZE).filter(|&i| plain[i] != ours[i]).collect();
            let at = diffs.first().copied().unwrap_or(0);
            let to = (at + 8).min(SECTOR_SIZE);
            format!(
                "{ty:?} sector, program header {:02x?} mode {:02x}; {} bytes differ, \
                 first at {at}: program {:02x?} rawcd {:02x?}",
                &plain[12..15],
                plain[15],
                diffs.len(),
                &plain[at..to],
                &ours[at..to]
            )
        });
    }
}

fn p_channel(c: &mut Comparison, plan: &Plan, lba: Lba, reg: Region, pa: bool, pb: bool) {
    let kind = match reg {
        Region::LeadOut if lba - plan.leadout < 150 => Kind::LeadOutPFirst2s,
        Region::LeadOut => Kind::LeadOutPCadence,
        Region::Track { i, index } if index == 1 && lba == plan.tracks[i].start => {
            Kind::PFirstSectorOfIndex1
        }
        Region::Track { .. } if pa && lba >= plan.leadout - 150 => Kind::PBeforeLeadOut,
        _ => Kind::POther,
    };
    c.add(kind, lba, || {
        format!("P program {} rawcd {} in {reg:?}", pa as u8, pb as u8)
    });
}

fn q_channel(
    c: &mut Comparison,
    lba: Lba,
    reg: Region,
    leadin: &LeadIn,
    first_control: u8,
    qa: &QFrame,
    qb: &QFrame,
) {
    let da = match decode(qa) {
        Ok(d) => d,
        Err(e) => {
            c.add(Kind::QUndecodable, lba, || e);
            return;
        }
    };
    if qa == qb {
        return;
    }
    let db = decode(qb).expect("rawcd's Q decodes");
    let show = || format!("program {da} | rawcd {db}");
    match (da, db) {
        (
            QContent::LeadIn {
                control: ca,
                entry: ea,
                time: ta,
            },
            QContent::LeadIn {
                control: cb,
                entry: eb,
                time: tb,
            },
        ) => {
            if ta != tb {
                let from_zero = Msf::from_frames((lba - leadin.start) as u32) == Some(ta);
                let kind = if from_zero {
                    Kind::LeadInTimeFromZero
                } else {
                    Kind::QOther
                };
                c.add(kind, lba, show);
            }
            if (ca, ea) != (cb, eb) {
                let kind = if !leadin.ours.contains(&format!("ctl {ca:x} {ea:?}")) {
                    Kind::LeadInEntry
                } else if leadin.rotation {
                    Kind::LeadInCyclePhase
                } else {
                    Kind::LeadInTocOrder
                };
                c.add(kind, lba, show);
            }
        }
        (
            QContent::Position {
                control: ca,
                track: ta,
                index: ia,
                relative: ra,
                absolute: aa,
            },
            QContent::Position {
                control: cb,
                track: tb,
                index: ib,
                relative: rb,
                absolute: ab,
            },
        ) => {
            if ca != cb {
                let kind = if matches!(reg, Region::LeadOut) && ca == first_control {
                    Kind::LeadOutControlOfFirstTrack
                } else {
                    Kind::QControl
                };
                c.add(kind, lba, show);
            }
            if (ta, ia, aa) != (tb, ib, ab) {
                c.add(Kind::QPosition, lba, show);
            } else if ra != rb {
                let kind = if ia == 0 && ra.frames() + 1 == rb.frames() {
                    Kind::PregapRelativeOffByOne
                } else {
                    Kind::QRelative
                };
                c.add(kind, lba, show);
            }
        }
        (QContent::Mcn { .. }, QContent::Position { .. }) if matches!(reg, Region::LeadOut) => {
            c.add(Kind::LeadOutMcn, lba, show);
        }
        (QContent::Isrc { .. }, QContent::Position { .. })
            if matches!(reg, Region::Track { index: 0, .. }) =>
        {
            c.add(Kind::IsrcInPregap, lba, show);
        }
        (QContent::Mcn { .. } | QContent::Isrc { .. }, QContent::Position { .. })
        | (QContent::Position { .. }, QContent::Mcn { .. } | QContent::Isrc { .. }) => {
            c.add(Kind::CatalogPhase, lba, show);
        }
        (a, b) if std::mem::discriminant(&a) == std::mem::discriminant(&b) => {
            // Both MCN or both ISRC: only CONTROL or AFRAME can differ.
            let kind =
                if control_of(&a) == 0 && a.to_frame().data()[1..] == b.to_frame().data()[1..] {
                    Kind::CatalogControlZero
                } else if control_of(&a) != control_of(&b) {
                    Kind::QControl
                } else {
                    Kind::QOther
                };
            c.add(kind, lba, show);
        }
        _ => c.add(Kind::QOther, lba, show),
    }
}

fn control_of(q: &QContent) -> u8 {
    match *q {
        QContent::Position { control, .. }
        | QContent::LeadIn { control, .. }
        | QContent::Mcn { control, .. }
        | QContent::Isrc { control, .. }
        | QContent::Other { control, .. } => control,
    }
}
