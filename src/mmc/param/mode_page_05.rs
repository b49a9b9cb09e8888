//! Mode page 05h, Write Parameters (mmc.md §2.8): write type, test write,
//! BUFE, track mode, data block type, session format, MCN/ISRC. Page length
//! 0x32 (52 bytes, MMC-2/3) or 0x36 (with 4 vendor bytes).

use crate::mmc::field::{self, check_len};
use crate::mmc::Result;

/// Page code.
pub const PAGE_CODE: u8 = 0x05;
/// Page length byte this crate emits by default (52-byte page).
pub const PAGE_LENGTH: u8 = 0x32;

enum_with_unknown! {
    /// Write Type (byte 2 b3-0).
    pub enum WriteType(u8) {
        /// 0: packet/incremental.
        Packet = 0,
        /// 1: track-at-once.
        TrackAtOnce = 1,
        /// 2: session-at-once (SEND CUE SHEET).
        SessionAtOnce = 2,
        /// 3: raw.
        Raw = 3,
        /// 4: layer jump (DVD-R DL).
        LayerJump = 4,
    }
}

enum_with_unknown! {
    /// Data Block Type (byte 4 b3-0).
    pub enum DataBlockType(u8) {
        /// 0: 2352 raw.
        Raw = 0,
        /// 1: 2368 raw + PQ-16.
        RawPq16 = 1,
        /// 2: 2448 raw + packed P-W.
        RawPwPacked = 2,
        /// 3: 2448 raw + raw P-W.
        RawPwRaw = 3,
        /// 8: 2048 Mode 1.
        Mode1 = 8,
        /// 9: 2336 Mode 2.
        Mode2 = 9,
        /// 10: 2048 Mode 2 form 1.
        Mode2Form1 = 10,
        /// 11: 2056 Mode 2 form 1 with sub-header.
        Mode2Form1Subheader = 11,
        /// 12: 2324 Mode 2 form 2.
        Mode2Form2 = 12,
        /// 13: 2332 Mode 2 mixed with sub-header.
        Mode2MixedSubheader = 13,
    }
}

impl DataBlockType {
    /// Bytes per block WRITE transfers, `None` for reserved/vendor types.
    pub fn block_size(self) -> Option<usize> {
        Some(match self {
            DataBlockType::Raw => 2352,
            DataBlockType::RawPq16 => 2368,
            DataBlockType::RawPwPacked | DataBlockType::RawPwRaw => 2448,
            DataBlockType::Mode1 | DataBlockType::Mode2Form1 => 2048,
            DataBlockType::Mode2 => 2336,
            DataBlockType::Mode2Form1Subheader => 2056,
            DataBlockType::Mode2Form2 => 2324,
            DataBlockType::Mode2MixedSubheader => 2332,
            DataBlockType::Unknown(_) => return None,
        })
    }
}

/// Page 05 decoded. Parse takes the page *including* its 2-byte header.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WriteParameters {
    /// Byte 0 b7 PS (clear it before MODE SELECT).
    pub ps: bool,
    /// Byte 1 page length (0x32 or 0x36).
    pub page_length: u8,
    /// Byte 2 b6 BUFE.
    pub bufe: bool,
    /// Byte 2 b5 LS_V.
    pub ls_v: bool,
    /// Byte 2 b4 Test Write.
    pub test_write: bool,
    /// Byte 2 b3-0.
    pub write_type: WriteType,
    /// Byte 3 b7-6 multi-session.
    pub multi_session: u8,
    /// Byte 3 b5 FP.
    pub fp: bool,
    /// Byte 3 b4 Copy.
    pub copy: bool,
    /// Byte 3 b3-0 track mode (Q CONTROL).
    pub track_mode: u8,
    /// Byte 4 b3-0.
    pub data_block_type: DataBlockType,
    /// Byte 5 link size.
    pub link_size: u8,
    /// Byte 7 b5-0 host application code.
    pub host_application_code: u8,
    /// Byte 8 session format (0x00, 0x10 CD-I, 0x20 XA).
    pub session_format: u8,
    /// Bytes 10-13 packet size.
    pub packet_size: u32,
    /// Bytes 14-15 audio pause length (blocks).
    pub audio_pause_length: u16,
    /// Bytes 16-31 MCN block (byte 16 b7 MCVAL).
    pub mcn: [u8; 16],
    /// Bytes 32-47 ISRC block (byte 32 b7 TCVAL).
    pub isrc: [u8; 16],
    /// Bytes 48-51 sub-header.
    pub subheader: [u8; 4],
    /// Bytes 52.. vendor specific (page length 0x36).
    pub vendor: Vec<u8>,
}

impl Default for WriteParameters {
    fn default() -> Self {
        WriteParameters {
            ps: false,
            page_length: PAGE_LENGTH,
            bufe: false,
            ls_v: false,
            test_write: false,
            write_type: WriteType::TrackAtOnce,
            multi_session: 0,
            fp: false,
            copy: false,
            track_mode: 4,
            data_block_type: DataBlockType::Mode1,
            link_size: 0,
            host_application_code: 0,
            session_format: 0,
            packet_size: 0,
            audio_pause_length: 150,
            mcn: [0; 16],
            isrc: [0; 16],
            subheader: [0; 4],
            vendor: Vec::new(),
        }
    }
}

impl WriteParameters {
    /// Parses page bytes starting at the page code. Needs the 2-byte header
    /// and at least 16 bytes; later fields read as zero if the page is short.
    pub fn parse(b: &[u8]) -> Result<WriteParameters> {
        check_len(b, 16)?;
        let page_length = b[1];
        let end = (usize::from(page_length) + 2).min(b.len());
        let mut f = [0u8; 52];
        let n = end.min(52);
        f[..n].copy_from_slice(&b[..n]);
        let arr16 = |at: usize| {
            let mut a = [0u8; 16];
            a.copy_from_slice(&f[at..at + 16]);
            a
        };
        Ok(WriteParameters {
            ps: field::bit(f[0], 7),
            page_length,
            bufe: field::bit(f[2], 6),
            ls_v: field::bit(f[2], 5),
            test_write: field::bit(f[2], 4),
            write_type: WriteType::from(f[2] & 0x0f),
            multi_session: f[3] >> 6,
            fp: field::bit(f[3], 5),
            copy: field::bit(f[3], 4),
            track_mode: f[3] & 0x0f,
            data_block_type: DataBlockType::from(f[4] & 0x0f),
            link_size: f[5],
            host_application_code: f[7] & 0x3f,
            session_format: f[8],
            packet_size: field::be32(&f[10..14]),
            audio_pause_length: field::be16(&f[14..16]),
            mcn: arr16(16),
            isrc: arr16(32),
            subheader: [f[48], f[49], f[50], f[51]],
            vendor: b.get(52..end).unwrap_or(&[]).to_vec(),
        })
    }

    /// The page bytes (header included): `page_length + 2` bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = vec![0u8; (usize::from(self.page_length) + 2).max(52)];
        b[0] = (u8::from(self.ps) << 7) | PAGE_CODE;
        b[1] = self.page_length;
        b[2] = (u8::from(self.bufe) << 6)
            | (u8::from(self.ls_v) << 5)
            | (u8::from(self.test_write) << 4)
            | (u8::from(self.write_type) & 0x0f);
        b[3] = (self.multi_session << 6)
            | (u8::from(self.fp) << 5)
            | (u8::from(self.copy) << 4)
            | (self.track_mode & 0x0f);
        b[4] = u8::from(self.data_block_type) & 0x0f;
        b[5] = self.link_size;
        b[7] = self.host_application_code & 0x3f;
        b[8] = self.session_format;
        field::set_be32(&mut b[10..14], self.packet_size);
        field::set_be16(&mut b[14..16], self.audio_pause_length);
        b[16..32].copy_from_slice(&self.mcn);
        b[32..48].copy_from_slice(&self.isrc);
        b[48..52].copy_from_slice(&self.subheader);
        let vend = self.vendor.len().min(b.len() - 52);
        b[52..52 + vend].copy_from_slice(&self.vendor[..vend]);
        b.truncate(usize::from(self.page_length) + 2);
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmc::param::h;
    use crate::mmc::param::mode::ModeParameterList;

    // real-clients.md D1: cdrdao's MODE SELECT(10) (cdb 55 10 .. 3c 00), 60 bytes:
    // write_type=3 (RAW), DBT 1, track mode 0, BUFE 0, pause 150.
    const CDRDAO_SELECT: &str = "00 00 00 00 00 00 00 00
        05 32 03 00 01 00 00 00 00 00 00 00 00 00 00 96
        00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        00 00 00 00";

    fn cdrdao_raw16() -> WriteParameters {
        WriteParameters {
            write_type: WriteType::Raw,
            track_mode: 0,
            data_block_type: DataBlockType::RawPq16,
            ..Default::default()
        }
    }

    #[test]
    fn test_deconstruct_cdrdao_raw16_select() {
        let bytes = h(CDRDAO_SELECT);
        assert_eq!(bytes.len(), 60);
        let list = ModeParameterList::parse(&bytes).unwrap();
        let page = list.page(PAGE_CODE).unwrap();
        let wp = WriteParameters::parse(&page.to_bytes()).unwrap();
        assert_eq!(wp, cdrdao_raw16());
        assert_eq!(wp.data_block_type.block_size(), Some(2368));
    }

    #[test]
    fn test_construct_cdrdao_raw16_select() {
        let mut b = vec![0u8; 8];
        b.extend(cdrdao_raw16().to_bytes());
        assert_eq!(b, h(CDRDAO_SELECT));
    }

    #[test]
    fn test_wodim_tao_trial_and_raw96r() {
        // D3 trial: write_type=1 track_mode=4 DBT 8; wodim -raw96r: WT 3, DBT 3.
        let tao = WriteParameters::default().to_bytes();
        assert_eq!(&tao[..5], &[0x05, 0x32, 0x01, 0x04, 0x08]);
        let raw96r = WriteParameters {
            bufe: true,
            write_type: WriteType::Raw,
            track_mode: 0,
            data_block_type: DataBlockType::RawPwRaw,
            ..Default::default()
        };
        assert_eq!(&raw96r.to_bytes()[..5], &[0x05, 0x32, 0x43, 0x00, 0x03]);
    }

    #[test]
    fn test_vendor_bytes_with_length_0x36() {
        let mut p = cdrdao_raw16();
        p.page_length = 0x36;
        p.vendor = vec![1, 2, 3, 4];
        let b = p.to_bytes();
        assert_eq!(b.len(), 56);
        assert_eq!(WriteParameters::parse(&b).unwrap(), p);
    }

    #[test]
    fn test_short_page_is_error_not_panic() {
        assert!(WriteParameters::parse(&[0x05, 0x32, 3]).is_err());
    }
}
