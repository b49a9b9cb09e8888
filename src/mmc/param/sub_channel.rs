//! READ SUB-CHANNEL data (mmc.md §2.16): 4-byte header (audio status,
//! length) then format 01h current position, 02h MCN or 03h ISRC. ADR is the
//! high nibble here. Trailer bytes are unconfirmed; 24 bytes are emitted.

use crate::mmc::field::{self, check_len};
use crate::mmc::{Error, Result};

/// Response length this crate emits (cdrdao asks for 24).
pub const LEN: usize = 24;

/// Decoded sub-channel data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SubChannelData {
    /// 01h: current position (addresses as LBA; MSF form packs 0/M/S/F).
    CurrentPosition {
        /// Header byte 1 audio status.
        audio_status: u8,
        /// ADR (byte 5 b7-4).
        adr: u8,
        /// CONTROL (byte 5 b3-0).
        control: u8,
        /// Track.
        track: u8,
        /// Index.
        index: u8,
        /// Absolute address (bytes 8-11).
        absolute: i32,
        /// Track-relative address (bytes 12-15).
        relative: i32,
    },
    /// 02h: media catalogue number (13 ASCII digits) when MCVal.
    Mcn {
        /// Header byte 1 audio status.
        audio_status: u8,
        /// The digits, `None` when MCVal = 0.
        mcn: Option<[u8; 13]>,
    },
    /// 03h: ISRC (12 characters) when TCVal.
    Isrc {
        /// Header byte 1 audio status.
        audio_status: u8,
        /// ADR (byte 5 b7-4).
        adr: u8,
        /// CONTROL (byte 5 b3-0).
        control: u8,
        /// Track.
        track: u8,
        /// The characters, `None` when TCVal = 0.
        isrc: Option<[u8; 12]>,
    },
}

impl SubChannelData {
    /// Parses a 24-byte (or longer) response.
    pub fn parse(b: &[u8]) -> Result<SubChannelData> {
        check_len(b, LEN)?;
        let audio_status = b[1];
        match b[4] {
            1 => Ok(SubChannelData::CurrentPosition {
                audio_status,
                adr: b[5] >> 4,
                control: b[5] & 0x0f,
                track: b[6],
                index: b[7],
                absolute: field::be_i32(&b[8..12]),
                relative: field::be_i32(&b[12..16]),
            }),
            2 => Ok(SubChannelData::Mcn {
                audio_status,
                mcn: field::bit(b[8], 7).then(|| {
                    let mut m = [0u8; 13];
                    m.copy_from_slice(&b[9..22]);
                    m
                }),
            }),
            3 => Ok(SubChannelData::Isrc {
                audio_status,
                adr: b[5] >> 4,
                control: b[5] & 0x0f,
                track: b[6],
                isrc: field::bit(b[8], 7).then(|| {
                    let mut m = [0u8; 12];
                    m.copy_from_slice(&b[9..21]);
                    m
                }),
            }),
            _ => Err(Error::InvalidField {
                byte: 4,
                reason: "sub-channel data format",
            }),
        }
    }

    /// The 24-byte response (data length 20).
    pub fn to_bytes(&self) -> [u8; LEN] {
        let mut b = [0u8; LEN];
        b[3] = (LEN - 4) as u8;
        match *self {
            SubChannelData::CurrentPosition {
                audio_status,
                adr,
                control,
                track,
                index,
                absolute,
                relative,
            } => {
                b[1] = audio_status;
                b[4] = 1;
                b[5] = (adr << 4) | (control & 0x0f);
                b[6] = track;
                b[7] = index;
                field::set_be_i32(&mut b[8..12], absolute);
                field::set_be_i32(&mut b[12..16], relative);
            }
            SubChannelData::Mcn { audio_status, mcn } => {
                b[1] = audio_status;
                b[4] = 2;
                if let Some(m) = mcn {
                    b[8] = 0x80;
                    b[9..22].copy_from_slice(&m);
                }
            }
            SubChannelData::Isrc {
                audio_status,
                adr,
                control,
                track,
                isrc,
            } => {
                b[1] = audio_status;
                b[4] = 3;
                b[5] = (adr << 4) | (control & 0x0f);
                b[6] = track;
                if let Some(m) = isrc {
                    b[8] = 0x80;
                    b[9..21].copy_from_slice(&m);
                }
            }
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_mcn_literal() {
        let mut b = [0u8; 24];
        b[1] = 0x15; // no current audio status
        b[3] = 20;
        b[4] = 2;
        b[8] = 0x80;
        b[9..22].copy_from_slice(b"0123456789012");
        let d = SubChannelData::parse(&b).unwrap();
        assert_eq!(
            d,
            SubChannelData::Mcn {
                audio_status: 0x15,
                mcn: Some(*b"0123456789012")
            }
        );
        assert_eq!(d.to_bytes(), b);
    }

    #[test]
    fn test_isrc_and_position_round_trip() {
        let i = SubChannelData::Isrc {
            audio_status: 0,
            adr: 3,
            control: 0,
            track: 2,
            isrc: Some(*b"USABC9900001"),
        };
        assert_eq!(SubChannelData::parse(&i.to_bytes()).unwrap(), i);
        let p = SubChannelData::CurrentPosition {
            audio_status: 0x13,
            adr: 1,
            control: 4,
            track: 1,
            index: 1,
            absolute: -150,
            relative: 0,
        };
        assert_eq!(
            &p.to_bytes()[4..12],
            &[1, 0x14, 1, 1, 0xff, 0xff, 0xff, 0x6a]
        );
        assert_eq!(SubChannelData::parse(&p.to_bytes()).unwrap(), p);
        assert!(SubChannelData::parse(&[0; 10]).is_err());
    }
}
