//! Mode parameter list for the 10-byte commands (mmc.md §2.8): 8-byte
//! header, block descriptors (wodim sends one), then pages
//! (`PS|code`, length, data). Used by MODE SENSE(10) responses and MODE
//! SELECT(10) parameter data.

use crate::mmc::field::{self, check_len};
use crate::mmc::{Error, Result};

/// Mode parameter header (10) length.
pub const HEADER_LEN: usize = 8;

/// An 8-byte block descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct BlockDescriptor {
    /// Density code (byte 0).
    pub density: u8,
    /// Number of blocks (bytes 1-3).
    pub blocks: u32,
    /// Block length (bytes 5-7).
    pub block_length: u32,
}

/// One raw mode page: code, PS bit and data after the 2-byte page header.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ModePage {
    /// PS: parameters savable (must be 0 in MODE SELECT).
    pub ps: bool,
    /// Page code (b5-0).
    pub code: u8,
    /// Page bytes after the length byte.
    pub data: Vec<u8>,
}

impl ModePage {
    /// The page as sent: header (PS|code, length) + data.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = vec![
            (u8::from(self.ps) << 7) | (self.code & 0x3f),
            self.data.len() as u8,
        ];
        b.extend_from_slice(&self.data);
        b
    }
}

/// A whole mode parameter list.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct ModeParameterList {
    /// Header byte 2: medium type.
    pub medium_type: u8,
    /// Header byte 3: device-specific parameter.
    pub device_specific: u8,
    /// Block descriptors (8 bytes each).
    pub block_descriptors: Vec<BlockDescriptor>,
    /// Pages in order.
    pub pages: Vec<ModePage>,
}

impl ModeParameterList {
    /// Parses a MODE SELECT(10) parameter list or a MODE SENSE(10)
    /// response. The buffer bounds everything (MODE SELECT sends a zero
    /// mode data length); a page running past the end is an error with the
    /// byte offset of its length field (for a 5/26/00 field pointer).
    pub fn parse(b: &[u8]) -> Result<ModeParameterList> {
        check_len(b, HEADER_LEN)?;
        let declared = usize::from(field::be16(&b[0..2]));
        let end = if declared == 0 {
            b.len()
        } else {
            (declared + 2).min(b.len())
        };
        let bd_len = usize::from(field::be16(&b[6..8]));
        let pages_at = HEADER_LEN + bd_len;
        if pages_at > end || bd_len % 8 != 0 {
            return Err(Error::InvalidField {
                byte: 6,
                reason: "block descriptor length",
            });
        }
        let block_descriptors = b[HEADER_LEN..pages_at]
            .chunks_exact(8)
            .map(|d| BlockDescriptor {
                density: d[0],
                blocks: field::be24(&d[1..4]),
                block_length: field::be24(&d[5..8]),
            })
            .collect();
        let mut pages = Vec::new();
        let mut at = pages_at;
        while at + 2 <= end {
            let len = usize::from(b[at + 1]);
            if at + 2 + len > end {
                return Err(Error::InvalidField {
                    byte: at + 1,
                    reason: "page length past end",
                });
            }
            pages.push(ModePage {
                ps: field::bit(b[at], 7),
                code: b[at] & 0x3f,
                data: b[at + 2..at + 2 + len].to_vec(),
            });
            at += 2 + len;
        }
        Ok(ModeParameterList {
            medium_type: b[2],
            device_specific: b[3],
            block_descriptors,
            pages,
        })
    }

    /// The first page with this code.
    pub fn page(&self, code: u8) -> Option<&ModePage> {
        self.pages.iter().find(|p| p.code == code)
    }

    /// Bytes; `for_select` writes mode data length 0 (as MODE SELECT needs).
    pub fn to_bytes(&self, for_select: bool) -> Vec<u8> {
        let mut b = vec![0u8; HEADER_LEN];
        b[2] = self.medium_type;
        b[3] = self.device_specific;
        field::set_be16(&mut b[6..8], (self.block_descriptors.len() * 8) as u16);
        for d in &self.block_descriptors {
            let mut x = [0u8; 8];
            x[0] = d.density;
            field::set_be24(&mut x[1..4], d.blocks);
            field::set_be24(&mut x[5..8], d.block_length);
            b.extend_from_slice(&x);
        }
        for p in &self.pages {
            b.extend_from_slice(&p.to_bytes());
        }
        if !for_select {
            let len = (b.len() - 2) as u16;
            field::set_be16(&mut b[0..2], len);
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmc::param::h;
    use proptest::prelude::*;

    // real-clients.md D2/D3: wodim's final MODE SELECT(10), 16 bytes.
    const WODIM_BLOCK_DESC: &str = "00000000000000080000000000000800";

    #[test]
    fn test_deconstruct_wodim_block_descriptor() {
        let l = ModeParameterList::parse(&h(WODIM_BLOCK_DESC)).unwrap();
        assert_eq!(
            l.block_descriptors,
            vec![BlockDescriptor {
                density: 0,
                blocks: 0,
                block_length: 2048
            }]
        );
        assert!(l.pages.is_empty());
    }

    #[test]
    fn test_construct_wodim_block_descriptor() {
        let l = ModeParameterList {
            block_descriptors: vec![BlockDescriptor {
                block_length: 2048,
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(l.to_bytes(true), h(WODIM_BLOCK_DESC));
    }

    #[test]
    fn test_page_past_end_is_refused() {
        assert_eq!(
            ModeParameterList::parse(&h("00 00 00 00 00 00 00 00 05 32 00")),
            Err(Error::InvalidField {
                byte: 9,
                reason: "page length past end"
            })
        );
    }

    proptest! {
        #[test]
        fn parse_never_panics(b in proptest::collection::vec(any::<u8>(), 0..80)) {
            if let Ok(l) = ModeParameterList::parse(&b) {
                let again = ModeParameterList::parse(&l.to_bytes(true)).unwrap();
                prop_assert_eq!(again, l);
            }
        }
    }
}
