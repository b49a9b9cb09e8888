//! Shared helpers of the validator tests: clean images from the creator (or
//! a layout), materialized from a chosen LBA, and byte-level mutations.
#![allow(dead_code)]

use std::io::{Cursor, Read, Seek, SeekFrom};

use rawcd::image::{ImageType, RawCdImageCreator, ResultImage, SourceStream, Synthetic};
use rawcd::layout::{
    Content, CopySetting, Encoding, Layout, Segment, SourceInfo, Track, TrackFlags,
};
use rawcd::msf::{Lba, Msf};
use rawcd::sector::{descramble, ecc, edc, scramble, SectorType, SECTOR_SIZE};
use rawcd::subcode::pack::{pq16, raw96, unpq16, PqCrc};
use rawcd::subcode::QFrame;
use rawcd::validate::{validate_reader, Options, Report};

/// First LBA the test images are materialized from: the last 150 lead-in
/// sectors (10 TOC cycles) are enough and keep images small.
pub const FROM: Lba = -300;

/// An audio disc from the creator: 3 tracks (400, 500, 350 sectors),
/// MCN, ISRC on track 2, an index 2 in track 2, SCMS on track 3.
pub fn audio_disc(ty: ImageType, gapless: bool) -> ResultImage {
    let mut c = RawCdImageCreator::new();
    c.set_resulting_image_type(ty).unwrap();
    c.set_disable_gapless_audio(!gapless).unwrap();
    c.set_media_catalog_number("0123456789012").unwrap();
    for (i, n) in [400u64, 500, 350].into_iter().enumerate() {
        c.add_track(SectorType::Audio, Synthetic::pattern(n * 2352, i as u8))
            .unwrap();
    }
    c.track_info(2).unwrap().set_isrc("USRC17607839").unwrap();
    c.track_info(2).unwrap().add_track_index(200).unwrap();
    c.track_info(3)
        .unwrap()
        .set_digital_audio_copy_setting(CopySetting::Scms)
        .unwrap();
    c.create_result_image().unwrap()
}

fn source(i: usize, sectors: u32) -> Vec<Segment> {
    vec![Segment {
        sectors,
        content: Content::Source {
            source: i,
            offset: 0,
            encoding: Encoding::User,
        },
    }]
}

/// A mixed disc from a layout: mode 1 (300), mode 2 form 1 (300, 225
/// pregap), audio (300, 150 pregap).
pub fn data_disc(ty: ImageType) -> ResultImage {
    let mk = |sector_type: SectorType, pregap: u32, src: usize, n: u32| {
        let mut segments = Vec::new();
        if pregap > 0 {
            segments.push(Segment {
                sectors: pregap,
                content: Content::Zero,
            });
        }
        segments.extend(source(src, n));
        Track {
            sector_type,
            flags: TrackFlags::default(),
            isrc: None,
            pregap,
            indexes: Vec::new(),
            segments,
        }
    };
    let tracks = vec![
        mk(SectorType::Mode1, 150, 0, 300),
        mk(SectorType::Mode2Form1, 225, 1, 300),
        mk(SectorType::Audio, 150, 2, 300),
    ];
    let sizes = [2048u64, 2048, 2352];
    let layout = Layout {
        tracks,
        sources: sizes
            .iter()
            .enumerate()
            .map(|(i, s)| SourceInfo {
                name: format!("src{i}"),
                len: s * 300,
            })
            .collect(),
        ..Layout::default()
    };
    let plan = layout.plan().unwrap();
    let sources: Vec<(String, SourceStream)> = sizes
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            let st: SourceStream = Box::new(Synthetic::pattern(300 * s, 40 + i as u8));
            (format!("src{i}"), st)
        })
        .collect();
    ResultImage::new(plan, ty, sources)
}

/// The image bytes from LBA `from` to the end.
pub fn materialize(mut img: ResultImage, from: Lba) -> Vec<u8> {
    let size = img.image_type().sector_size() as u64;
    let skip = (from - img.first_lba()) as u64 * size;
    img.seek(SeekFrom::Start(skip)).unwrap();
    let mut out = Vec::with_capacity((img.len() - skip) as usize);
    img.read_to_end(&mut out).unwrap();
    out
}

/// A clean image of `ty`, cached per test binary.
pub struct Img {
    pub ty: ImageType,
    pub bytes: Vec<u8>,
    pub from: Lba,
    pub leadout: Lba,
    pub toc: rawcd::layout::Toc,
}

impl Img {
    pub fn new(img: ResultImage) -> Img {
        let ty = img.image_type();
        let leadout = img.plan().leadout;
        let toc = img.plan().toc();
        Img {
            toc,
            ty,
            bytes: materialize(img, FROM),
            from: FROM,
            leadout,
        }
    }

    pub fn size(&self) -> usize {
        self.ty.sector_size()
    }

    pub fn offset(&self, lba: Lba) -> usize {
        (lba - self.from) as usize * self.size()
    }

    pub fn main_mut(&mut self, lba: Lba) -> &mut [u8; SECTOR_SIZE] {
        let o = self.offset(lba);
        (&mut self.bytes[o..o + SECTOR_SIZE]).try_into().unwrap()
    }

    pub fn sub_mut(&mut self, lba: Lba) -> &mut [u8] {
        let o = self.offset(lba) + SECTOR_SIZE;
        let n = self.ty.subcode_size();
        &mut self.bytes[o..o + n]
    }

    /// P flag and Q frame of a sector (Q with the on-disc CRC).
    pub fn q(&self, lba: Lba) -> (bool, QFrame) {
        let o = self.offset(lba) + SECTOR_SIZE;
        match self.ty {
            ImageType::PqOnly => {
                let s: &[u8; 16] = self.bytes[o..o + 16].try_into().unwrap();
                let (p, q, _) = unpq16(s);
                (p, q)
            }
            _ => {
                let s: &[u8; 96] = self.bytes[o..o + 96].try_into().unwrap();
                rawcd::subcode::pack::unraw96(s)
            }
        }
    }

    /// Replaces P and Q of a sector (R–W kept).
    pub fn set_q(&mut self, lba: Lba, p: bool, q: &QFrame) {
        match self.ty {
            ImageType::PqOnly => {
                let mut out = [0u8; 16];
                pq16(p, q, PqCrc::NonInverted, &mut out);
                self.sub_mut(lba).copy_from_slice(&out);
            }
            _ => {
                let sub: [u8; 96] = (&*self.sub_mut(lba)).try_into().unwrap();
                let rw = sub.map(|b| b & 0x3F);
                let mut out = [0u8; 96];
                raw96(p, q, Some(&rw), &mut out);
                self.sub_mut(lba).copy_from_slice(&out);
            }
        }
    }

    /// Flips Q bit `bit` (0..96) of a sector in its stored form.
    pub fn flip_q_bit(&mut self, lba: Lba, bit: usize) {
        match self.ty {
            ImageType::PqOnly => self.sub_mut(lba)[bit / 8] ^= 0x80 >> (bit % 8),
            _ => self.sub_mut(lba)[bit] ^= 0x40,
        }
    }

    /// Applies `f` to the descrambled main channel of a data sector and
    /// rescrambles it.
    pub fn edit_data(&mut self, lba: Lba, f: impl FnOnce(&mut [u8; SECTOR_SIZE])) {
        let m = self.main_mut(lba);
        descramble(m);
        f(m);
        scramble(m);
    }

    pub fn validate(&self, opts: &Options) -> Report {
        let mut o = opts.clone();
        o.start = Some(Msf::from_lba(self.from).unwrap());
        o.image_type.get_or_insert(self.ty);
        validate_reader(Cursor::new(&self.bytes), self.bytes.len() as u64, &o).unwrap()
    }
}

/// Recomputes mode 1 EDC and ECC of an unscrambled sector.
pub fn reencode_mode1(s: &mut [u8; SECTOR_SIZE]) {
    let e = edc::edc(&s[..2064]);
    s[2064..2068].copy_from_slice(&e.to_le_bytes());
    ecc::encode(s, false);
}

/// Recomputes mode 2 form 1 EDC and ECC of an unscrambled sector.
pub fn reencode_form1(s: &mut [u8; SECTOR_SIZE]) {
    let e = edc::edc(&s[16..2072]);
    s[2072..2076].copy_from_slice(&e.to_le_bytes());
    ecc::encode(s, true);
}

/// Formats the defects for assertion messages.
pub fn show(r: &Report) -> String {
    r.summary(30)
}

/// The sync pattern that starts every data sector (never scrambled).
const SYNC: [u8; 12] = [0, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0];

/// `.ccd` text for `toc` (session 1, ADR 1 entries A0, A1, A2 and one per
/// track, `[TRACK n]` with MODE and indexes), as CloneCD writes it.
pub fn ccd_text(toc: &rawcd::layout::Toc, scrambled: bool) -> String {
    use std::fmt::Write;
    let leadout_control = toc.tracks.last().map_or(0, |t| t.control);
    let first_control = toc.tracks.first().map_or(0, |t| t.control);
    let mut entries: Vec<(u32, u8, Lba, [u32; 3])> = vec![
        (
            0xA0,
            first_control,
            0,
            [toc.first_track as u32, toc.disc_type as u32, 0],
        ),
        (0xA1, leadout_control, 0, [toc.last_track as u32, 0, 0]),
    ];
    let msf = |l: Lba| {
        let m = Msf::from_program_lba(l).unwrap();
        [m.minute as u32, m.second as u32, m.frame as u32]
    };
    entries.push((0xA2, leadout_control, toc.leadout_lba, msf(toc.leadout_lba)));
    for t in &toc.tracks {
        entries.push((t.number as u32, t.control, t.start_lba, msf(t.start_lba)));
    }
    let mut s = String::new();
    let _ = write!(
        s,
        "[CloneCD]\r\nVersion=3\r\n[Disc]\r\nTocEntries={}\r\nSessions=1\r\nDataTracksScrambled={}\r\nCDTextLength=0\r\n",
        entries.len(),
        u8::from(scrambled)
    );
    if let Some(m) = toc.mcn {
        let _ = write!(s, "Catalog={m}\r\n");
    }
    s.push_str("[Session 1]\r\nPreGapMode=1\r\nPreGapSubC=0\r\n");
    for (i, (point, control, _, p)) in entries.iter().enumerate() {
        let plba = (p[0] * 60 + p[1]) * 75 + p[2];
        let _ = write!(
            s,
            "[Entry {i}]\r\nSession=1\r\nPoint=0x{point:02x}\r\nADR=0x01\r\nControl=0x{control:02x}\r\nTrackNo=0\r\nAMin=0\r\nASec=0\r\nAFrame=0\r\nALBA=-150\r\nZero=0\r\nPMin={}\r\nPSec={}\r\nPFrame={}\r\nPLBA={}\r\n",
            p[0],
            p[1],
            p[2],
            plba as i64 - 150
        );
    }
    for t in &toc.tracks {
        let mode: u8 = t.sector_type.mode().unwrap_or_default();
        let _ = write!(s, "[TRACK {}]\r\nMODE={mode}\r\n", t.number);
        if let Some(i) = t.isrc {
            let _ = write!(s, "ISRC={i}\r\n");
        }
        for i in &t.indexes {
            let _ = write!(s, "INDEX {}={}\r\n", i.number, i.lba);
        }
    }
    s
}

/// Writes a CloneCD set `stem.ccd` / `.img` / `.sub` into `dir` from a raw
/// (2448, raw P–W) image whose first sector is LBA `from`: the program area
/// LBA 0 up to the lead-out, data sectors descrambled; returns the `.ccd`.
pub fn write_clonecd(
    bytes: &[u8],
    from: Lba,
    toc: &rawcd::layout::Toc,
    dir: &std::path::Path,
    stem: &str,
) -> std::path::PathBuf {
    let size = ImageType::Raw.sector_size();
    let mut img = Vec::new();
    let mut sub = Vec::new();
    for lba in 0..toc.leadout_lba {
        let o = (lba - from) as usize * size;
        let mut main: [u8; SECTOR_SIZE] = bytes[o..o + SECTOR_SIZE].try_into().unwrap();
        if main[..12] == SYNC {
            descramble(&mut main);
        }
        img.extend_from_slice(&main);
        sub.extend_from_slice(&bytes[o + SECTOR_SIZE..o + size]);
    }
    std::fs::write(dir.join(format!("{stem}.img")), img).unwrap();
    std::fs::write(dir.join(format!("{stem}.sub")), sub).unwrap();
    let ccd = dir.join(format!("{stem}.ccd"));
    std::fs::write(&ccd, ccd_text(toc, false)).unwrap();
    ccd
}

/// The raw P–W records of a raw image (first sector LBA `from`) for LBAs
/// `first..end`, as a sub-channel file holds them.
pub fn sub_records(bytes: &[u8], from: Lba, first: Lba, end: Lba) -> Vec<u8> {
    let size = ImageType::Raw.sector_size();
    let mut sub = Vec::new();
    for lba in first..end {
        let o = (lba - from) as usize * size;
        sub.extend_from_slice(&bytes[o + SECTOR_SIZE..o + size]);
    }
    sub
}
