//! CD-Text packs in the lead-in (spec/cd-format.md §6): the 18-byte pack with
//! its CRC, the cut into 24 six-bit symbols, the placement of packs in the
//! lead-in R–W, and the `.cdt` file format (a sequence of packs).

use super::crc;

/// Bytes per pack.
pub const PACK_LEN: usize = 18;
/// Six-bit symbols per pack.
pub const SYMBOLS: usize = 24;

/// An 18-byte CD-Text pack: ID1..ID4, 12 payload bytes, CRC (inverted,
/// big-endian, over bytes 0..15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pack(pub [u8; 18]);

impl Pack {
    /// Builds a pack from its header and payload, computing the CRC.
    pub fn new(header: [u8; 4], payload: [u8; 12]) -> Pack {
        let mut p = [0u8; 18];
        p[..4].copy_from_slice(&header);
        p[4..16].copy_from_slice(&payload);
        let crc = pack_crc(&p);
        p[16..].copy_from_slice(&crc);
        Pack(p)
    }

    /// ID1: pack type 0x80..=0x8F.
    pub fn pack_type(&self) -> u8 {
        self.0[0]
    }

    /// ID2 bit 7: extension flag.
    pub fn extension(&self) -> bool {
        self.0[1] & 0x80 != 0
    }

    /// ID2 bits 6..0: track number (0 = disc), or the part number of 0x8F.
    pub fn track(&self) -> u8 {
        self.0[1] & 0x7F
    }

    /// ID3: sequence number within the block.
    pub fn sequence(&self) -> u8 {
        self.0[2]
    }

    /// ID4 bit 7: double-byte characters.
    pub fn double_byte(&self) -> bool {
        self.0[3] & 0x80 != 0
    }

    /// ID4 bits 6..4: block (language) number 0..=7.
    pub fn block(&self) -> u8 {
        (self.0[3] >> 4) & 0x07
    }

    /// ID4 bits 3..0: character position (15 means ≥ 15).
    pub fn char_position(&self) -> u8 {
        self.0[3] & 0x0F
    }

    /// Bytes 4..15.
    pub fn payload(&self) -> &[u8] {
        &self.0[4..16]
    }

    /// The stored CRC (bytes 16..17, big-endian).
    pub fn stored_crc(&self) -> u16 {
        u16::from_be_bytes([self.0[16], self.0[17]])
    }

    /// The CRC bytes 16..17 should hold.
    pub fn expected_crc(&self) -> u16 {
        u16::from_be_bytes(pack_crc(&self.0))
    }

    /// Whether bytes 16..17 hold the inverted CRC of bytes 0..15.
    pub fn crc_ok(&self) -> bool {
        self.stored_crc() == self.expected_crc()
    }
}

/// The two CRC bytes of a pack as stored (inverted, big-endian) over bytes
/// 0..15 of `pack` (bytes 16..17, if given, are ignored).
pub fn pack_crc(pack: &[u8]) -> [u8; 2] {
    crc::stored(&pack[..pack.len().min(16)])
}

/// Cuts a pack's 144 bits MSB-first into 24 six-bit symbols (3 bytes → 4).
pub fn pack_symbols(pack: &[u8; 18]) -> [u8; 24] {
    let mut out = [0u8; 24];
    for (sym, b) in out.chunks_exact_mut(4).zip(pack.chunks_exact(3)) {
        let v = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for (i, s) in sym.iter_mut().enumerate() {
            *s = ((v >> (18 - 6 * i)) & 0x3F) as u8;
        }
    }
    out
}

/// Inverse of [`pack_symbols`] (bits 7..6 of each symbol ignored).
pub fn unpack_symbols(symbols: &[u8; 24]) -> [u8; 18] {
    let mut out = [0u8; 18];
    for (b, sym) in out.chunks_exact_mut(3).zip(symbols.chunks_exact(4)) {
        let v = sym
            .iter()
            .fold(0u32, |acc, &s| acc << 6 | u32::from(s & 0x3F));
        b.copy_from_slice(&v.to_be_bytes()[1..]);
    }
    out
}

/// How many times the pack list is concatenated so a cycle fills whole
/// sectors (§6.4): ×1 when `n` ≡ 0 mod 4, ×2 when ≡ 2, ×4 when odd.
pub fn repetition(n: usize) -> usize {
    match n % 4 {
        0 => 1,
        2 => 2,
        _ => 4,
    }
}

/// The R–W bits (5..0) of lead-in sector `sector_in_leadin` carrying CD-Text
/// (§6.4): four consecutive packs from the cyclic list (repeated ×2/×4 as
/// [`repetition`]), symbol i in byte i, no interleave, no parity. All zero
/// when `packs` is empty. Bits 7..6 are zero; OR in P/Q with
/// [`super::pack::raw96`].
pub fn leadin_rw(packs: &[[u8; 18]], sector_in_leadin: usize) -> [u8; 96] {
    let mut out = [0u8; 96];
    let n = packs.len();
    if n == 0 {
        return out;
    }
    // Sectors per cycle: n·repetition(n)/4.
    let sectors = match n % 4 {
        0 => n / 4,
        2 => n / 2,
        _ => n,
    };
    let first = (sector_in_leadin % sectors) * 4;
    for (i, chunk) in out.chunks_exact_mut(24).enumerate() {
        let pack = &packs[(first + i) % n];
        chunk.copy_from_slice(&pack_symbols(pack));
    }
    out
}

/// Why a `.cdt` file was refused; pack indexes count from 0.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CdtError {
    /// The file holds no pack.
    #[error("CD-Text file is empty")]
    Empty,
    /// The length is not a whole number of 18-byte packs (plus an optional
    /// trailing NUL and an optional 4-byte header).
    #[error("CD-Text file length {0} is not a multiple of 18 bytes")]
    Length(usize),
    /// A pack has an ID1 outside 0x80..=0x8F.
    #[error("CD-Text pack {index}: pack type 0x{value:02X} is not 0x80..0x8F")]
    PackType {
        /// Pack index in the file.
        index: usize,
        /// The ID1 byte.
        value: u8,
    },
    /// A pack's CRC does not match.
    #[error("CD-Text pack {index}: CRC {stored:04X}, expected {expected:04X}")]
    Crc {
        /// Pack index in the file.
        index: usize,
        /// The stored CRC.
        stored: u16,
        /// The CRC the pack should carry.
        expected: u16,
    },
    /// A sequence number (ID3) does not count up by one, or blocks are out of
    /// order.
    #[error("CD-Text pack {index}: block {block} sequence {found}, expected {expected}")]
    Sequence {
        /// Pack index in the file.
        index: usize,
        /// Block number of the pack.
        block: u8,
        /// The ID3 byte found.
        found: u8,
        /// The value expected.
        expected: usize,
    },
    /// More than 8 blocks' worth of packs or a block over 256 packs.
    #[error("CD-Text pack {index}: block {block} has more than 256 packs")]
    BlockTooLong {
        /// Pack index in the file.
        index: usize,
        /// Block number.
        block: u8,
    },
}

/// Parses a `.cdt` file: 18-byte packs, optionally followed by one NUL byte
/// and optionally preceded by the 4-byte READ TOC format 5 header (big-endian
/// length of the rest, then 2 reserved bytes). Checks every pack's type,
/// CRC, and that sequence numbers count from 0 within each block with blocks
/// in order. Errors name the pack index.
pub fn parse_cdt(bytes: &[u8]) -> Result<Vec<Pack>, CdtError> {
    let mut body = bytes;
    if body.len() % PACK_LEN == 1 && body.last() == Some(&0) {
        body = &body[..body.len() - 1];
    }
    if body.len() % PACK_LEN == 4 && body.len() >= 4 {
        let declared = usize::from(u16::from_be_bytes([body[0], body[1]]));
        if declared == body.len() - 2 || declared == body.len() - 2 + 1 {
            body = &body[4..];
        }
    }
    if body.is_empty() {
        return Err(CdtError::Empty);
    }
    if body.len() % PACK_LEN != 0 {
        return Err(CdtError::Length(bytes.len()));
    }
    let packs: Vec<Pack> = body
        .chunks_exact(PACK_LEN)
        .map(|c| {
            let mut p = [0u8; 18];
            p.copy_from_slice(c);
            Pack(p)
        })
        .collect();
    validate(&packs)?;
    Ok(packs)
}

/// Checks a pack sequence as [`parse_cdt`] does: ID1 in 0x80..=0x8F, the CRC,
/// blocks in non-decreasing order with at most 256 packs each, and ID3
/// counting up by one — restarting at 0 in a new block (as in cdrdao/libburn
/// files) or continuing the previous block's count.
pub fn validate(packs: &[Pack]) -> Result<(), CdtError> {
    let mut block = 0u8;
    let mut in_block = 0usize;
    let mut next_seq = 0u8;
    for (index, pack) in packs.iter().enumerate() {
        if !(0x80..=0x8F).contains(&pack.pack_type()) {
            return Err(CdtError::PackType {
                index,
                value: pack.pack_type(),
            });
        }
        if !pack.crc_ok() {
            return Err(CdtError::Crc {
                index,
                stored: pack.stored_crc(),
                expected: pack.expected_crc(),
            });
        }
        if index == 0 || pack.block() != block {
            if pack.block() < block {
                return Err(CdtError::Sequence {
                    index,
                    block: pack.block(),
                    found: pack.sequence(),
                    expected: usize::from(next_seq),
                });
            }
            block = pack.block();
            in_block = 0;
            if pack.sequence() == 0 {
                next_seq = 0;
            }
        }
        if in_block >= 256 {
            return Err(CdtError::BlockTooLong { index, block });
        }
        if pack.sequence() != next_seq {
            return Err(CdtError::Sequence {
                index,
                block,
                found: pack.sequence(),
                expected: usize::from(next_seq),
            });
        }
        next_seq = next_seq.wrapping_add(1);
        in_block += 1;
    }
    Ok(())
}
