//! One-line readable renderings of Q frames, used in insta snapshots and
//! validator reports.

use std::fmt;

use super::{QContent, QFrame, TocEntry, LEAD_OUT_TRACK};

impl fmt::Display for QContent {
    /// One line, e.g. `ctl=0 adr=1 T01 I01 rel 00:00:00 abs 00:02:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            QContent::Position {
                control,
                track,
                index,
                relative,
                absolute,
            } => {
                if track == LEAD_OUT_TRACK {
                    write!(f, "ctl={control:X} adr=1 TAA")?;
                } else {
                    write!(f, "ctl={control:X} adr=1 T{track:02}")?;
                }
                write!(f, " I{index:02} rel {relative} abs {absolute}")
            }
            QContent::LeadIn {
                control,
                entry,
                time,
            } => {
                write!(f, "ctl={control:X} adr=1 lead-in {time} ")?;
                match entry {
                    TocEntry::Track { number, start } => write!(f, "P{number:02} start {start}"),
                    TocEntry::FirstTrack { track, disc_type } => {
                        write!(f, "PA0 first T{track:02} type {disc_type:02X}")
                    }
                    TocEntry::LastTrack { track } => write!(f, "PA1 last T{track:02}"),
                    TocEntry::LeadOut { start } => write!(f, "PA2 lead-out {start}"),
                    TocEntry::Other { point, p } => {
                        write!(f, "P{point:02X} {:02X} {:02X} {:02X}", p[0], p[1], p[2])
                    }
                }
            }
            QContent::Mcn {
                control,
                digits,
                aframe,
            } => {
                write!(f, "ctl={control:X} adr=2 MCN ")?;
                for d in digits {
                    write!(f, "{d}")?;
                }
                write!(f, " aframe {aframe:02}")
            }
            QContent::Isrc {
                control,
                isrc,
                aframe,
            } => {
                write!(f, "ctl={control:X} adr=3 ISRC ")?;
                for c in isrc {
                    write!(f, "{}", char::from(c))?;
                }
                write!(f, " aframe {aframe:02}")
            }
            QContent::Other { control, adr, data } => {
                write!(f, "ctl={control:X} adr={adr:X} data")?;
                for b in data {
                    write!(f, " {b:02X}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for QFrame {
    /// The decoded content (or the raw bytes and the decode error) followed
    /// by `crc ok` or `crc BAD stored XXXX want YYYY`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.decode_data() {
            Ok(content) => write!(f, "{content}")?,
            Err(e) => {
                write!(f, "ctl={:X} adr={:X} raw", self.control(), self.adr())?;
                for b in &self.0[1..10] {
                    write!(f, " {b:02X}")?;
                }
                write!(f, " ({e})")?;
            }
        }
        if self.crc_ok() {
            write!(f, " crc ok")
        } else {
            write!(
                f,
                " crc BAD stored {:04X} want {:04X}",
                self.stored_crc(),
                self.expected_crc()
            )
        }
    }
}
