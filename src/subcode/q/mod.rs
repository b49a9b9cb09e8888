//! The 12-byte Q-channel frame (spec/cd-format.md §4.3–§4.7): building the
//! ADR 1 position / lead-in TOC frames and the ADR 2 (MCN) and ADR 3 (ISRC)
//! frames, checking the CRC, and a typed decode for validators and snapshots.

use crate::msf::{from_bcd, Msf};

use super::crc;

mod display;

/// CONTROL nibble values (the high nibble of Q byte 0, spec §4.3), to be
/// passed as the `control` argument of the [`QFrame`] builders.
pub mod control {
    /// Two-channel audio without pre-emphasis, copy prohibited.
    pub const AUDIO: u8 = 0x0;
    /// Audio with 50/15 µs pre-emphasis.
    pub const PRE_EMPHASIS: u8 = 0x1;
    /// Data track recorded incrementally (packet writing).
    pub const INCREMENTAL: u8 = 0x1;
    /// Digital copy permitted.
    pub const COPY_PERMITTED: u8 = 0x2;
    /// Data track.
    pub const DATA: u8 = 0x4;
    /// Four-channel audio.
    pub const FOUR_CHANNEL: u8 = 0x8;

    /// Whether the copy-permitted bit is set at `lba` under SCMS, following
    /// cdrecord `fillsubch` (spec §4.3, 1 source): clear when `lba mod 8` is
    /// 0..=3, set when 4..=7 (mod taken non-negative for lead-in LBAs).
    pub fn scms_copy_permitted(lba: crate::msf::Lba) -> bool {
        lba.rem_euclid(8) >= 4
    }
}

/// The track number byte of a lead-out frame (stored verbatim, not BCD).
pub const LEAD_OUT_TRACK: u8 = 0xAA;
/// Lead-in POINT: first track number and disc type.
pub const POINT_A0: u8 = 0xA0;
/// Lead-in POINT: last track number.
pub const POINT_A1: u8 = 0xA1;
/// Lead-in POINT: start of the lead-out.
pub const POINT_A2: u8 = 0xA2;

/// Why a Q frame could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QError {
    /// Bytes 10..11 do not hold the inverted CRC of bytes 0..9.
    #[error("Q CRC mismatch: stored {stored:04X}, expected {expected:04X}")]
    Crc {
        /// The value in bytes 10..11.
        stored: u16,
        /// The inverted CRC of bytes 0..9.
        expected: u16,
    },
    /// A byte that must be packed BCD is not.
    #[error("Q byte {index} = 0x{value:02X} is not valid BCD")]
    Bcd {
        /// Byte offset in the frame (0..=9).
        index: usize,
        /// The byte found.
        value: u8,
    },
    /// A BCD byte is valid but out of its field's range (seconds ≥ 60,
    /// frames ≥ 75, track 0 in the program area, …).
    #[error("Q byte {index} = 0x{value:02X} is out of range for its field")]
    Range {
        /// Byte offset in the frame (0..=9).
        index: usize,
        /// The byte found.
        value: u8,
    },
    /// An MCN digit or ISRC character has no valid encoding.
    #[error("Q byte {index}: invalid {what} code 0x{value:02X}")]
    Code {
        /// Byte offset in the frame (1..=8) where the code starts.
        index: usize,
        /// The code found (a 4-bit digit or 6-bit character code).
        value: u8,
        /// "MCN digit", "ISRC character" or "ISRC digit".
        what: &'static str,
    },
}

/// One Q-channel frame in its on-disc form: bytes 0..9 data, bytes 10..11 the
/// inverted CRC, big-endian.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct QFrame(pub [u8; 12]);

/// What a Q frame says, decoded (see [`QFrame::decode`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QContent {
    /// ADR 1 in the program area or lead-out (§4.4).
    Position {
        /// CONTROL nibble.
        control: u8,
        /// Track number, binary 1..=99, or [`LEAD_OUT_TRACK`] (0xAA).
        track: u8,
        /// Index, binary 0..=99.
        index: u8,
        /// Relative time (counts down in index 0).
        relative: Msf,
        /// Absolute time (`LBA + 150`).
        absolute: Msf,
    },
    /// ADR 1 in the lead-in: one TOC entry (§4.5).
    LeadIn {
        /// CONTROL nibble.
        control: u8,
        /// The decoded POINT and PMIN/PSEC/PFRAME.
        entry: TocEntry,
        /// Running time of the lead-in (MIN/SEC/FRAME).
        time: Msf,
    },
    /// ADR 2: media catalogue number (§4.6).
    Mcn {
        /// CONTROL nibble.
        control: u8,
        /// The 13 digits, each 0..=9.
        digits: [u8; 13],
        /// Frame part of the absolute time, binary 0..=74.
        aframe: u8,
    },
    /// ADR 3: ISRC (§4.6).
    Isrc {
        /// CONTROL nibble.
        control: u8,
        /// The 12 characters as upper-case ASCII.
        isrc: [u8; 12],
        /// Frame part of the absolute time, binary 0..=74.
        aframe: u8,
    },
    /// Any other ADR (e.g. 5, multisession pointers): bytes 1..9 undecoded.
    Other {
        /// CONTROL nibble.
        control: u8,
        /// ADR nibble.
        adr: u8,
        /// Bytes 1..=9.
        data: [u8; 9],
    },
}

/// A lead-in TOC entry: POINT with its PMIN/PSEC/PFRAME (§4.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TocEntry {
    /// POINT 01..99: start of that track's index 1.
    Track {
        /// Track number, binary 1..=99.
        number: u8,
        /// Start address.
        start: Msf,
    },
    /// POINT A0: first track number and disc type (0x00, 0x10, 0x20).
    FirstTrack {
        /// First track number, binary.
        track: u8,
        /// PSEC byte: disc type.
        disc_type: u8,
    },
    /// POINT A1: last track number.
    LastTrack {
        /// Last track number, binary.
        track: u8,
    },
    /// POINT A2: lead-out start.
    LeadOut {
        /// Lead-out start address.
        start: Msf,
    },
    /// Any other POINT (B0, C0, …), PMIN/PSEC/PFRAME verbatim.
    Other {
        /// The POINT byte.
        point: u8,
        /// PMIN, PSEC, PFRAME bytes.
        p: [u8; 3],
    },
}

impl QContent {
    /// Encodes this content into a frame with a valid CRC. Decoding the result
    /// gives `self` back; fields the decode ignores (the ZERO byte, unused
    /// PSEC/PFRAME of A0/A1, MCN/ISRC padding bits) are written as zero.
    pub fn to_frame(&self) -> QFrame {
        match *self {
            QContent::Position {
                control,
                track,
                index,
                relative,
                absolute,
            } => QFrame::position(control, track, index, relative, absolute),
            QContent::LeadIn {
                control,
                entry,
                time,
            } => {
                let (point, p) = match entry {
                    TocEntry::Track { number, start } => (bcd(number), bcd_msf(start)),
                    TocEntry::FirstTrack { track, disc_type } => {
                        (POINT_A0, [bcd(track), disc_type, 0])
                    }
                    TocEntry::LastTrack { track } => (POINT_A1, [bcd(track), 0, 0]),
                    TocEntry::LeadOut { start } => (POINT_A2, bcd_msf(start)),
                    TocEntry::Other { point, p } => (point, p),
                };
                QFrame::lead_in(control, point, time, p)
            }
            QContent::Mcn {
                control,
                digits,
                aframe,
            } => QFrame::mcn(control, &digits, aframe),
            QContent::Isrc {
                control,
                isrc,
                aframe,
            } => QFrame::isrc(control, &isrc, aframe),
            QContent::Other { control, adr, data } => {
                let mut d = [0u8; 10];
                d[0] = QFrame::byte0(control, adr & 0x0F);
                d[1..].copy_from_slice(&data);
                QFrame::from_data(d)
            }
        }
    }
}

/// BCD of a binary value; values above 99 are stored verbatim (never panics).
fn bcd(v: u8) -> u8 {
    if v <= 99 {
        (v / 10) << 4 | (v % 10)
    } else {
        v
    }
}

fn bcd_msf(m: Msf) -> [u8; 3] {
    [bcd(m.minute), bcd(m.second), bcd(m.frame)]
}

/// ISRC character → 6-bit code ('0'–'9' → 0x00–0x09, 'A'–'Z' → 0x11–0x2A).
fn isrc_code(c: u8) -> Option<u8> {
    match c.to_ascii_uppercase() {
        c @ (b'0'..=b'9' | b'A'..=b'Z') => Some(c - 0x30),
        _ => None,
    }
}

/// Writes `value`'s low `width` bits at bit position `*pos` (MSB first) of `buf`.
fn put_bits(buf: &mut [u8], pos: &mut usize, width: usize, value: u8) {
    for b in (0..width).rev() {
        if (value >> b) & 1 != 0 {
            if let Some(byte) = buf.get_mut(*pos / 8) {
                *byte |= 0x80 >> (*pos % 8);
            }
        }
        *pos += 1;
    }
}

/// Reads `width` bits at bit position `*pos` (MSB first) of `buf`.
fn get_bits(buf: &[u8], pos: &mut usize, width: usize) -> u8 {
    let mut v = 0u8;
    for _ in 0..width {
        let bit = buf.get(*pos / 8).map_or(0, |b| (b >> (7 - *pos % 8)) & 1);
        v = v << 1 | bit;
        *pos += 1;
    }
    v
}

impl QFrame {
    /// Builds a frame from its 10 data bytes, appending the inverted CRC
    /// (the on-disc form).
    pub fn from_data(data: [u8; 10]) -> QFrame {
        let mut q = [0u8; 12];
        q[..10].copy_from_slice(&data);
        q[10..].copy_from_slice(&crc::stored(&data));
        QFrame(q)
    }

    /// Bytes 0..9.
    pub fn data(&self) -> [u8; 10] {
        let mut d = [0u8; 10];
        d.copy_from_slice(&self.0[..10]);
        d
    }

    /// The CRC as stored in bytes 10..11 (inverted on disc).
    pub fn stored_crc(&self) -> u16 {
        u16::from_be_bytes([self.0[10], self.0[11]])
    }

    /// The value bytes 10..11 should hold: `!crc16(bytes 0..9)`.
    pub fn expected_crc(&self) -> u16 {
        !crc::crc16(&self.0[..10])
    }

    /// Whether bytes 10..11 hold the inverted CRC of bytes 0..9.
    pub fn crc_ok(&self) -> bool {
        self.stored_crc() == self.expected_crc()
    }

    /// CONTROL: the high nibble of byte 0.
    pub fn control(&self) -> u8 {
        self.0[0] >> 4
    }

    /// ADR: the low nibble of byte 0.
    pub fn adr(&self) -> u8 {
        self.0[0] & 0x0F
    }

    fn byte0(control: u8, adr: u8) -> u8 {
        (control & 0x0F) << 4 | adr
    }

    /// ADR 1 program-area / lead-out frame (§4.4). `control` is the CONTROL
    /// nibble (only its low 4 bits are used); `track` binary 1..=99, or 0xAA
    /// for lead-out (stored verbatim); `index` binary 0..=99. Values above 99
    /// are stored verbatim (and then fail to decode unless valid BCD).
    pub fn position(control: u8, track: u8, index: u8, relative: Msf, absolute: Msf) -> QFrame {
        let [rm, rs, rf] = bcd_msf(relative);
        let [am, as_, af] = bcd_msf(absolute);
        QFrame::from_data([
            Self::byte0(control, 1),
            bcd(track),
            bcd(index),
            rm,
            rs,
            rf,
            0,
            am,
            as_,
            af,
        ])
    }

    /// ADR 1 lead-in TOC frame (§4.5): `point` is the on-disc POINT byte (BCD
    /// track or 0xA0/0xA1/0xA2), `time` the lead-in running time, `p` the
    /// PMIN/PSEC/PFRAME bytes as they go on disc.
    pub fn lead_in(control: u8, point: u8, time: Msf, p: [u8; 3]) -> QFrame {
        let [m, s, f] = bcd_msf(time);
        QFrame::from_data([
            Self::byte0(control, 1),
            0,
            point,
            m,
            s,
            f,
            0,
            p[0],
            p[1],
            p[2],
        ])
    }

    /// ADR 2 media catalogue number frame (§4.6). `digits` 0..=9 each (only
    /// the low nibble is used); `aframe` binary 0..=74.
    pub fn mcn(control: u8, digits: &[u8; 13], aframe: u8) -> QFrame {
        let mut d = [0u8; 10];
        d[0] = Self::byte0(control, 2);
        let mut pos = 8;
        for &digit in digits {
            put_bits(&mut d, &mut pos, 4, digit & 0x0F);
        }
        d[9] = bcd(aframe);
        QFrame::from_data(d)
    }

    /// Like [`QFrame::mcn`], refusing digits above 9 or an AFRAME above 74.
    pub fn try_mcn(control: u8, digits: &[u8; 13], aframe: u8) -> Result<QFrame, QError> {
        if let Some(i) = digits.iter().position(|&d| d > 9) {
            return Err(QError::Code {
                index: 1 + i / 2,
                value: digits[i],
                what: "MCN digit",
            });
        }
        if aframe > 74 {
            return Err(QError::Range {
                index: 9,
                value: aframe,
            });
        }
        Ok(QFrame::mcn(control, digits, aframe))
    }

    /// ADR 3 ISRC frame (§4.6) from 12 ASCII characters, e.g.
    /// `b"USRC17607839"`: 5 × 6-bit characters, 2 zero bits, 7 BCD digits,
    /// 4 zero bits, AFRAME (binary 0..=74) in BCD. Lower case is taken as upper
    /// case; an invalid character is encoded as 0 (see [`QFrame::try_isrc`]).
    pub fn isrc(control: u8, isrc: &[u8; 12], aframe: u8) -> QFrame {
        let mut d = [0u8; 10];
        d[0] = Self::byte0(control, 3);
        let mut pos = 8;
        for &c in &isrc[..5] {
            put_bits(&mut d, &mut pos, 6, isrc_code(c).unwrap_or(0));
        }
        pos += 2;
        for &c in &isrc[5..] {
            put_bits(&mut d, &mut pos, 4, c.wrapping_sub(b'0') & 0x0F);
        }
        d[9] = bcd(aframe);
        QFrame::from_data(d)
    }

    /// Like [`QFrame::isrc`], refusing invalid characters (first five must be
    /// `0-9A-Z`, last seven `0-9`) or an AFRAME above 74.
    pub fn try_isrc(control: u8, isrc: &[u8; 12], aframe: u8) -> Result<QFrame, QError> {
        for (i, &c) in isrc.iter().enumerate() {
            let ok = if i < 5 {
                isrc_code(c).is_some()
            } else {
                c.is_ascii_digit()
            };
            if !ok {
                return Err(QError::Code {
                    index: 1 + if i < 5 {
                        i * 6 / 8
                    } else {
                        (32 + (i - 5) * 4) / 8
                    },
                    value: c,
                    what: if i < 5 {
                        "ISRC character"
                    } else {
                        "ISRC digit"
                    },
                });
            }
        }
        if aframe > 74 {
            return Err(QError::Range {
                index: 9,
                value: aframe,
            });
        }
        Ok(QFrame::isrc(control, isrc, aframe))
    }

    /// Checks the CRC, then decodes bytes 0..9 ([`QFrame::decode_data`]).
    pub fn decode(&self) -> Result<QContent, QError> {
        if !self.crc_ok() {
            return Err(QError::Crc {
                stored: self.stored_crc(),
                expected: self.expected_crc(),
            });
        }
        self.decode_data()
    }

    /// Decodes bytes 0..9 without looking at the CRC (for dumps with known
    /// CRC errors). Fails on bad BCD, out-of-range fields or invalid codes.
    pub fn decode_data(&self) -> Result<QContent, QError> {
        let q = &self.0;
        let control = self.control();
        match self.adr() {
            1 if q[1] == 0 => Ok(QContent::LeadIn {
                control,
                entry: self.toc_entry()?,
                time: msf_at(q, 3)?,
            }),
            1 => {
                let track = if q[1] == LEAD_OUT_TRACK {
                    LEAD_OUT_TRACK
                } else {
                    bcd_at(q, 1)?
                };
                Ok(QContent::Position {
                    control,
                    track,
                    index: bcd_at(q, 2)?,
                    relative: msf_at(q, 3)?,
                    absolute: msf_at(q, 7)?,
                })
            }
            2 => {
                let mut digits = [0u8; 13];
                let mut pos = 8;
                for (i, d) in digits.iter_mut().enumerate() {
                    *d = get_bits(q, &mut pos, 4);
                    if *d > 9 {
                        return Err(QError::Code {
                            index: 1 + i / 2,
                            value: *d,
                            what: "MCN digit",
                        });
                    }
                }
                Ok(QContent::Mcn {
                    control,
                    digits,
                    aframe: aframe_at(q)?,
                })
            }
            3 => {
                let mut isrc = [0u8; 12];
                let mut pos = 8;
                for (i, c) in isrc.iter_mut().enumerate() {
                    if i == 5 {
                        pos += 2;
                    }
                    let start = pos / 8;
                    let (code, valid) = if i < 5 {
                        let code = get_bits(q, &mut pos, 6);
                        (code, matches!(code, 0x00..=0x09 | 0x11..=0x2A))
                    } else {
                        let code = get_bits(q, &mut pos, 4);
                        (code, code <= 9)
                    };
                    if !valid {
                        return Err(QError::Code {
                            index: start,
                            value: code,
                            what: if i < 5 {
                                "ISRC character"
                            } else {
                                "ISRC digit"
                            },
                        });
                    }
                    *c = code + b'0';
                }
                Ok(QContent::Isrc {
                    control,
                    isrc,
                    aframe: aframe_at(q)?,
                })
            }
            adr => {
                let mut data = [0u8; 9];
                data.copy_from_slice(&q[1..10]);
                Ok(QContent::Other { control, adr, data })
            }
        }
    }

    fn toc_entry(&self) -> Result<TocEntry, QError> {
        let q = &self.0;
        let p = [q[7], q[8], q[9]];
        Ok(match q[2] {
            POINT_A0 => TocEntry::FirstTrack {
                track: track_at(q, 7)?,
                disc_type: q[8],
            },
            POINT_A1 => TocEntry::LastTrack {
                track: track_at(q, 7)?,
            },
            POINT_A2 => TocEntry::LeadOut {
                start: msf_at(q, 7)?,
            },
            point => match from_bcd(point) {
                Some(number @ 1..=99) => TocEntry::Track {
                    number,
                    start: msf_at(q, 7)?,
                },
                _ => TocEntry::Other { point, p },
            },
        })
    }
}

fn bcd_at(q: &[u8; 12], index: usize) -> Result<u8, QError> {
    from_bcd(q[index]).ok_or(QError::Bcd {
        index,
        value: q[index],
    })
}

fn track_at(q: &[u8; 12], index: usize) -> Result<u8, QError> {
    match bcd_at(q, index)? {
        0 => Err(QError::Range {
            index,
            value: q[index],
        }),
        t => Ok(t),
    }
}

fn aframe_at(q: &[u8; 12]) -> Result<u8, QError> {
    match bcd_at(q, 9)? {
        f @ 0..=74 => Ok(f),
        _ => Err(QError::Range {
            index: 9,
            value: q[9],
        }),
    }
}

/// An MSF from 3 BCD bytes at `index`, checking seconds < 60 and frames < 75.
fn msf_at(q: &[u8; 12], index: usize) -> Result<Msf, QError> {
    let minute = bcd_at(q, index)?;
    let second = bcd_at(q, index + 1)?;
    let frame = bcd_at(q, index + 2)?;
    if second >= 60 {
        return Err(QError::Range {
            index: index + 1,
            value: q[index + 1],
        });
    }
    if frame >= 75 {
        return Err(QError::Range {
            index: index + 2,
            value: q[index + 2],
        });
    }
    Ok(Msf {
        minute,
        second,
        frame,
    })
}
