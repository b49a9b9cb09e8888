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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use proptest::prelude::*;

    use super::*;

    fn h<const N: usize>(s: &str) -> [u8; N] {
        let v: Vec<u8> = s
            .split_whitespace()
            .map(|b| u8::from_str_radix(b, 16).unwrap())
            .collect();
        v.try_into().unwrap()
    }

    #[test]
    fn cdtext_pack_crcs_match_spec() {
        let cases = [
            (
                "8F 00 2A 00 01 01 03 00 06 05 04 05 07 06 01 02",
                [0x48, 0x65],
            ),
            (
                "8F 01 2B 00 00 00 00 00 00 00 06 03 2C 00 00 00",
                [0xC0, 0x20],
            ),
            (
                "8F 02 2C 00 00 00 00 00 09 00 00 00 00 00 00 00",
                [0x11, 0x45],
            ),
            (
                "88 00 23 00 01 0E 00 3F 02 12 00 00 00 00 00 00",
                [0x12, 0x00],
            ),
        ];
        for (bytes, crc) in cases {
            let b: [u8; 16] = h(bytes);
            assert_eq!(pack_crc(&b), crc, "{bytes}");
            let mut header = [0u8; 4];
            header.copy_from_slice(&b[..4]);
            let mut payload = [0u8; 12];
            payload.copy_from_slice(&b[4..]);
            let pack = Pack::new(header, payload);
            assert!(pack.crc_ok());
            assert_eq!(&pack.0[16..], &crc);
        }
    }

    #[test]
    fn cdtext_pack_to_24_symbols_matches_spec() {
        let pack: [u8; 18] = h("8F 00 2A 00 01 01 03 00 06 05 04 05 07 06 01 02 48 65");
        let symbols: [u8; 24] =
            h("23 30 00 2A 00 00 04 01 00 30 00 06 01 10 10 05 01 30 18 01 00 24 21 25");
        assert_eq!(pack_symbols(&pack), symbols);
        assert_eq!(unpack_symbols(&symbols), pack);
    }

    #[test]
    fn pack_fields_read_id_bytes() {
        let p = Pack(h("80 81 05 9C 00 00 00 00 00 00 00 00 00 00 00 00 00 00"));
        assert_eq!(p.pack_type(), 0x80);
        assert!(p.extension());
        assert_eq!(p.track(), 1);
        assert_eq!(p.sequence(), 5);
        assert!(p.double_byte());
        assert_eq!(p.block(), 1);
        assert_eq!(p.char_position(), 12);
        assert_eq!(p.payload(), &[0u8; 12]);
    }

    fn numbered(n: usize) -> Vec<[u8; 18]> {
        (0..n)
            .map(|i| Pack::new([0x80, 0, i as u8, 0], [0; 12]).0)
            .collect()
    }

    fn seqs_of(rw: &[u8; 96]) -> Vec<u8> {
        rw.chunks_exact(24)
            .map(|c| {
                let mut s = [0u8; 24];
                s.copy_from_slice(c);
                unpack_symbols(&s)[2]
            })
            .collect()
    }

    #[test]
    fn leadin_rw_repeats_list_to_fill_sectors() {
        // 8 packs: 2 sectors per cycle.
        let p8 = numbered(8);
        assert_eq!(seqs_of(&leadin_rw(&p8, 0)), [0, 1, 2, 3]);
        assert_eq!(seqs_of(&leadin_rw(&p8, 1)), [4, 5, 6, 7]);
        assert_eq!(seqs_of(&leadin_rw(&p8, 2)), [0, 1, 2, 3]);
        // 6 packs (≡ 2 mod 4): list ×2 = 12 packs = 3 sectors.
        let p6 = numbered(6);
        assert_eq!(seqs_of(&leadin_rw(&p6, 1)), [4, 5, 0, 1]);
        assert_eq!(seqs_of(&leadin_rw(&p6, 2)), [2, 3, 4, 5]);
        assert_eq!(seqs_of(&leadin_rw(&p6, 3)), [0, 1, 2, 3]);
        // 5 packs (odd): list ×4 = 20 packs = 5 sectors.
        let p5 = numbered(5);
        assert_eq!(seqs_of(&leadin_rw(&p5, 1)), [4, 0, 1, 2]);
        assert_eq!(seqs_of(&leadin_rw(&p5, 4)), [1, 2, 3, 4]);
        assert_eq!(seqs_of(&leadin_rw(&p5, 5)), [0, 1, 2, 3]);
        assert_eq!(leadin_rw(&[], 7), [0u8; 96]);
        assert_eq!(repetition(3), 4);
    }

    #[test]
    fn leadin_rw_puts_symbol_i_in_byte_i() {
        let pack: [u8; 18] = h("8F 00 2A 00 01 01 03 00 06 05 04 05 07 06 01 02 48 65");
        let rw = leadin_rw(&[pack; 4], 0);
        let sym = pack_symbols(&pack);
        for k in 0..4 {
            assert_eq!(&rw[24 * k..24 * k + 24], &sym);
        }
    }

    #[test]
    fn parse_cdt_errors_name_the_pack() {
        let mut file: Vec<u8> = numbered(3).concat();
        assert_eq!(parse_cdt(&file).unwrap().len(), 3);
        file.push(0);
        assert_eq!(parse_cdt(&file).unwrap().len(), 3);
        file.pop();
        file[18 + 5] ^= 1;
        assert!(matches!(
            parse_cdt(&file),
            Err(CdtError::Crc { index: 1, .. })
        ));
        file[18 + 5] ^= 1;
        file[36..54].copy_from_slice(&Pack::new([0x80, 0, 7, 0], [0; 12]).0);
        assert!(matches!(
            parse_cdt(&file),
            Err(CdtError::Sequence {
                index: 2,
                found: 7,
                expected: 2,
                ..
            })
        ));
        file[36..54].copy_from_slice(&Pack::new([0x70, 0, 2, 0], [0; 12]).0);
        assert_eq!(
            parse_cdt(&file),
            Err(CdtError::PackType {
                index: 2,
                value: 0x70
            })
        );
        assert_eq!(parse_cdt(&[]), Err(CdtError::Empty));
        assert_eq!(parse_cdt(&[0x80; 20]), Err(CdtError::Length(20)));
    }

    #[test]
    fn parse_cdt_accepts_read_toc_header() {
        let packs = numbered(2).concat();
        let mut file = ((packs.len() + 2) as u16).to_be_bytes().to_vec();
        file.extend_from_slice(&[0, 0]);
        file.extend_from_slice(&packs);
        assert_eq!(parse_cdt(&file).unwrap().len(), 2);
    }

    fn peer_dir() -> Option<PathBuf> {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        [
            root.join("../shared/peer/libcdio"),
            root.join("../../shared/peer/libcdio"),
        ]
        .into_iter()
        .find(|d| d.join("data").is_dir())
    }

    /// The first string of pack type 0x80 (title), block 0, track 0 = disc title.
    fn disc_title(packs: &[Pack]) -> String {
        let text: Vec<u8> = packs
            .iter()
            .filter(|p| p.pack_type() == 0x80 && p.block() == 0)
            .flat_map(|p| p.payload().to_vec())
            .collect();
        let end = text.iter().position(|&b| b == 0).unwrap_or(text.len());
        String::from_utf8_lossy(&text[..end]).into_owned()
    }

    #[test]
    fn libcdio_cdt_files_parse_with_valid_crcs() {
        let Some(dir) = peer_dir() else {
            println!("skipped: shared/peer/libcdio not found beside the checkout");
            return;
        };
        let mut seen = 0;
        for name in ["cdtext", "cdtext-krosis", "cdtext-libburnia"] {
            let path = dir.join("data").join(format!("{name}.cdt"));
            let Ok(bytes) = std::fs::read(&path) else {
                println!("skipped: {} absent", path.display());
                continue;
            };
            let packs = parse_cdt(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(packs.iter().all(Pack::crc_ok), "{name}");
            assert_eq!(packs.len(), bytes.len() / PACK_LEN, "{name}");
            // Cross-check against cd-info's listing: first TITLE line is the disc's.
            if let Ok(right) =
                std::fs::read_to_string(dir.join("expected").join(format!("{name}.right")))
            {
                let title = right
                    .lines()
                    .find_map(|l| l.trim().strip_prefix("TITLE: "))
                    .expect("TITLE line");
                assert_eq!(disc_title(&packs), title, "{name}");
            }
            seen += 1;
        }
        println!("checked {seen} .cdt files");
    }

    proptest! {
        #[test]
        fn cdtext_symbols_roundtrip(pack in proptest::collection::vec(any::<u8>(), 18)) {
            let pack: [u8; 18] = pack.try_into().unwrap();
            let sym = pack_symbols(&pack);
            prop_assert!(sym.iter().all(|&s| s < 64));
            prop_assert_eq!(unpack_symbols(&sym), pack);
        }

        #[test]
        fn parse_cdt_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..100)) {
            let _ = parse_cdt(&bytes);
        }

        #[test]
        fn leadin_rw_never_panics(n in 0usize..20, sector in any::<usize>()) {
            let packs = numbered(n);
            let rw = leadin_rw(&packs, sector);
            prop_assert!(rw.iter().all(|&b| b < 64));
        }
    }
}
