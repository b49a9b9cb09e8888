//! R–W channels (spec/cd-format.md §5.3): GF(2^6) arithmetic, the CD+G pack
//! parities (Q: RS(4,2) over symbols 0..3, P: RS(24,20) over symbols 0..23),
//! and the interleave between packed ("cooked") and raw R–W.
//!
//! Packed R–W: four packs of 24 six-bit symbols per sector in bits 5..0 of
//! the 96 bytes, pack p symbol j at byte 24p + j. Raw R–W: the same symbols
//! as they sit on disc. Logical pack k, symbol j goes to raw symbol
//! `24·(k + s mod 8) + s` with `s = SWAP[j]` (packs counted continuously across
//! sectors), so one raw sector mixes packs of the current and the two previous
//! packed sectors. Bits 7..6 (P and Q) are never interleaved: they pass
//! through with their byte position.

/// GF(2^6) primitive polynomial x^6 + x + 1.
pub const GF_POLY: u16 = 0x43;

/// `EXP[i] = α^i` for i in 0..126 (doubled so products need no reduction).
pub const EXP: [u8; 126] = build_exp();
/// `LOG[x] = log_α x` for x in 1..64; `LOG[0]` is unused (0).
pub const LOG: [u8; 64] = build_log();

const fn build_exp() -> [u8; 126] {
    let mut t = [0u8; 126];
    let mut x: u16 = 1;
    let mut i = 0;
    while i < 126 {
        t[i] = x as u8;
        x <<= 1;
        if x & 0x40 != 0 {
            x ^= GF_POLY;
        }
        i += 1;
    }
    t
}

const fn build_log() -> [u8; 64] {
    let exp = build_exp();
    let mut t = [0u8; 64];
    let mut i = 0;
    while i < 63 {
        t[exp[i] as usize] = i as u8;
        i += 1;
    }
    t
}

/// Product in GF(2^6); inputs are masked to 6 bits.
pub fn gf_mul(a: u8, b: u8) -> u8 {
    let (a, b) = (a & 0x3F, b & 0x3F);
    if a == 0 || b == 0 {
        0
    } else {
        EXP[usize::from(LOG[usize::from(a)]) + usize::from(LOG[usize::from(b)])]
    }
}

/// Generator of the Q parity, (x−1)(x−α), highest degree first.
pub const GEN_Q: [u8; 3] = [1, 3, 2];
/// Generator of the P parity, (x−1)(x−α)(x−α²)(x−α³), highest degree first.
pub const GEN_P: [u8; 5] = [1, 15, 54, 59, 3];

/// The within-pack permutation (an involution): symbol 1 ↔ 18, 2 ↔ 5, 3 ↔ 23.
pub const SWAP: [usize; 24] = [
    0, 18, 5, 23, 4, 2, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 1, 19, 20, 21, 22, 3,
];

/// De-interleave offsets: packed symbol j of a pack starting at raw symbol
/// 24k is raw symbol `24k + DEINTERLEAVE_OFFSET[j]`.
pub const DEINTERLEAVE_OFFSET: [usize; 24] = build_offsets();

const fn build_offsets() -> [usize; 24] {
    let mut t = [0usize; 24];
    let mut j = 0;
    while j < 24 {
        let s = SWAP[j];
        t[j] = 24 * (s % 8) + s;
        j += 1;
    }
    t
}

/// Remainder of `data(x)·x^r` divided by `gen` (systematic RS parity), r = gen.len() − 1.
fn rs_parity<const R: usize>(data: &[u8], gen: &[u8]) -> [u8; R] {
    let mut reg = [0u8; R];
    for &d in data {
        let fb = (d & 0x3F) ^ reg[0];
        for j in 0..R {
            let next = if j + 1 < R { reg[j + 1] } else { 0 };
            reg[j] = next ^ gf_mul(fb, gen[j + 1]);
        }
    }
    reg
}

/// Whether the codeword (symbol 0 = highest degree) has roots α^0..α^(r−1).
fn rs_check(code: &[u8], r: usize) -> bool {
    (0..r).all(|k| {
        let a = EXP[k];
        code.iter().fold(0u8, |s, &c| gf_mul(s, a) ^ (c & 0x3F)) == 0
    })
}

/// Fills the parity symbols of a CD+G pack: Q parity (symbols 2, 3) over
/// symbols 0..1, then P parity (symbols 20..23) over symbols 0..19. Only bits
/// 5..0 take part; bits 7..6 of every byte are kept.
pub fn encode_pack(pack: &mut [u8; 24]) {
    let q: [u8; 2] = rs_parity(&pack[..2], &GEN_Q);
    pack[2] = pack[2] & 0xC0 | q[0];
    pack[3] = pack[3] & 0xC0 | q[1];
    let p: [u8; 4] = rs_parity(&pack[..20], &GEN_P);
    for (dst, v) in pack[20..].iter_mut().zip(p) {
        *dst = *dst & 0xC0 | v;
    }
}

/// Whether both parities of a pack check (all syndromes zero; bits 7..6
/// ignored).
pub fn check_pack(pack: &[u8; 24]) -> bool {
    rs_check(&pack[..4], 2) && rs_check(pack, 4)
}

/// Interleaves one sector: `cur` is the sector's packed R–W, `prev1` and
/// `prev2` the packed R–W of the one and two sectors before (zeros before the
/// start of a stream). `out` gets the raw R–W symbols in bits 5..0 and
/// `cur`'s bits 7..6 unchanged.
pub fn interleave_sector(prev2: &[u8; 96], prev1: &[u8; 96], cur: &[u8; 96], out: &mut [u8; 96]) {
    let window = [prev2, prev1, cur];
    for m in 0..4 {
        for s in 0..24 {
            // Raw pack 8 + m of the window, position s, holds pack 8 + m − s%8
            // (always ≥ 1) at symbol SWAP[s].
            let k = 8 + m - s % 8;
            let sym = window[k / 4][24 * (k % 4) + SWAP[s]] & 0x3F;
            let i = 24 * m + s;
            out[i] = cur[i] & 0xC0 | sym;
        }
    }
}

/// De-interleaves one sector: `cur` is the sector's raw R–W, `next1` and
/// `next2` the raw R–W of the two following sectors (a pack spans up to three
/// sectors). `out` gets packed R–W in bits 5..0 and `cur`'s bits 7..6.
pub fn deinterleave_sector(cur: &[u8; 96], next1: &[u8; 96], next2: &[u8; 96], out: &mut [u8; 96]) {
    let window = [cur, next1, next2];
    for k in 0..4 {
        for (j, &off) in DEINTERLEAVE_OFFSET.iter().enumerate() {
            let r = 24 * k + off;
            let i = 24 * k + j;
            out[i] = cur[i] & 0xC0 | window[r / 96][r % 96] & 0x3F;
        }
    }
}

/// Streaming packed → raw R–W: remembers the last two packed sectors.
#[derive(Debug, Clone)]
pub struct Interleaver {
    prev: [[u8; 96]; 2],
}

impl Default for Interleaver {
    fn default() -> Self {
        Interleaver::new()
    }
}

impl Interleaver {
    /// A new stream; packs before its start are taken as zero.
    pub fn new() -> Self {
        Interleaver {
            prev: [[0u8; 96]; 2],
        }
    }

    /// Interleaves the next sector's packed R–W into `out` (no delay).
    pub fn push(&mut self, packed: &[u8; 96], out: &mut [u8; 96]) {
        interleave_sector(&self.prev[0], &self.prev[1], packed, out);
        self.prev = [self.prev[1], *packed];
    }
}

/// Streaming raw → packed R–W with a delay of two sectors.
#[derive(Debug, Clone)]
pub struct Deinterleaver {
    pending: [[u8; 96]; 2],
    filled: usize,
}

impl Default for Deinterleaver {
    fn default() -> Self {
        Deinterleaver::new()
    }
}

impl Deinterleaver {
    /// A new stream.
    pub fn new() -> Self {
        Deinterleaver {
            pending: [[0u8; 96]; 2],
            filled: 0,
        }
    }

    /// Feeds the next raw sector; returns `true` when `out` holds the packed
    /// R–W of the sector fed two calls earlier.
    pub fn push(&mut self, raw: &[u8; 96], out: &mut [u8; 96]) -> bool {
        if self.filled < 2 {
            self.pending[self.filled] = *raw;
            self.filled += 1;
            return false;
        }
        deinterleave_sector(&self.pending[0], &self.pending[1], raw, out);
        self.pending = [self.pending[1], *raw];
        true
    }

    /// Emits one pending sector, taking the raw R–W after the stream's end as
    /// zero; returns `false` when nothing is pending.
    pub fn flush(&mut self, out: &mut [u8; 96]) -> bool {
        let zero = [0u8; 96];
        match self.filled {
            0 => false,
            1 => {
                deinterleave_sector(&self.pending[0], &zero, &zero, out);
                self.filled = 0;
                true
            }
            _ => {
                deinterleave_sector(&self.pending[0], &self.pending[1], &zero, out);
                self.pending[0] = self.pending[1];
                self.filled = 1;
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn poly_mul(a: &[u8], b: &[u8]) -> Vec<u8> {
        let mut out = vec![0u8; a.len() + b.len() - 1];
        for (i, &x) in a.iter().enumerate() {
            for (j, &y) in b.iter().enumerate() {
                out[i + j] ^= gf_mul(x, y);
            }
        }
        out
    }

    #[test]
    fn gf64_tables_follow_x6_x_1() {
        assert_eq!(&EXP[..8], &[1, 2, 4, 8, 16, 32, 3, 6]);
        assert_eq!(EXP[63], 1);
        for i in 0..63 {
            assert_eq!(usize::from(LOG[usize::from(EXP[i])]), i);
        }
        assert_eq!(gf_mul(32, 2), 3);
    }

    #[test]
    fn generators_have_roots_alpha0_to_alpha_r_minus_1() {
        let q = poly_mul(&[1, 1], &[1, EXP[1]]);
        assert_eq!(q, GEN_Q);
        let p = poly_mul(&poly_mul(&q, &[1, EXP[2]]), &[1, EXP[3]]);
        assert_eq!(p, GEN_P);
    }

    #[test]
    fn cdg_pack_zero_data_parity_matches_spec() {
        let mut pack = [0u8; 24];
        pack[0] = 0x09;
        pack[1] = 0x01;
        encode_pack(&mut pack);
        let mut want = [0u8; 24];
        want[..4].copy_from_slice(&[0x09, 0x01, 0x3C, 0x34]);
        want[20..].copy_from_slice(&[0x0D, 0x07, 0x2A, 0x20]);
        assert_eq!(pack, want);
        assert!(check_pack(&pack));
    }

    #[test]
    fn cdg_pack_counting_data_parity_matches_spec() {
        let mut pack = [0u8; 24];
        pack[0] = 0x09;
        pack[1] = 0x06;
        for (i, s) in pack[4..20].iter_mut().enumerate() {
            *s = i as u8 + 1;
        }
        encode_pack(&mut pack);
        let want = [
            0x09, 0x06, 0x35, 0x3A, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A,
            0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x08, 0x13, 0x11, 0x1A,
        ];
        assert_eq!(pack, want);
        assert!(check_pack(&pack));
        let mut bad = pack;
        bad[7] ^= 0x01;
        assert!(!check_pack(&bad));
    }

    #[test]
    fn encode_pack_keeps_bits_7_6() {
        let mut pack = [0xC0u8; 24];
        pack[0] = 0xC9;
        pack[1] = 0xC1;
        encode_pack(&mut pack);
        assert!(pack.iter().all(|b| b & 0xC0 == 0xC0));
        assert_eq!(pack[2] & 0x3F, 0x3C);
        assert!(check_pack(&pack));
    }

    #[test]
    fn deinterleave_offsets_match_published_table() {
        assert_eq!(
            DEINTERLEAVE_OFFSET,
            [
                0, 66, 125, 191, 100, 50, 150, 175, 8, 33, 58, 83, 108, 133, 158, 183, 16, 41, 25,
                91, 116, 141, 166, 75
            ]
        );
        for j in 0..24 {
            assert_eq!(SWAP[SWAP[j]], j);
        }
    }

    #[test]
    fn interleave_places_pack_symbols_at_offsets() {
        // Pack 1 of sector 0 holds symbols 1..=24; everything else zero.
        let mut packed = [[0u8; 96]; 3];
        for j in 0..24 {
            packed[0][24 + j] = j as u8 + 1;
        }
        let mut il = Interleaver::new();
        let mut raw = [0u8; 288];
        for (s, sector) in packed.iter().enumerate() {
            let mut out = [0u8; 96];
            il.push(sector, &mut out);
            raw[96 * s..96 * s + 96].copy_from_slice(&out);
        }
        for (j, &off) in DEINTERLEAVE_OFFSET.iter().enumerate() {
            assert_eq!(raw[24 + off], j as u8 + 1, "symbol {j}");
        }
        assert_eq!(raw.iter().filter(|&&b| b != 0).count(), 24);
    }

    #[test]
    fn interleave_passes_p_q_bits_through() {
        let cur = [0xC0u8; 96];
        let mut out = [0u8; 96];
        interleave_sector(&[0x3F; 96], &[0x3F; 96], &cur, &mut out);
        assert!(out.iter().all(|&b| b & 0xC0 == 0xC0));
        let mut back = [0u8; 96];
        deinterleave_sector(&cur, &[0u8; 96], &[0u8; 96], &mut back);
        assert!(back.iter().all(|&b| b == 0xC0));
    }

    proptest! {
        #[test]
        fn interleave_deinterleave_roundtrip(
            sectors in proptest::collection::vec(proptest::collection::vec(0u8..64, 96), 1..6),
        ) {
            let packed: Vec<[u8; 96]> = sectors.iter().map(|s| s.clone().try_into().unwrap()).collect();
            let mut il = Interleaver::new();
            let mut raw = vec![];
            for sector in packed.iter().chain([[0u8; 96], [0u8; 96]].iter()) {
                let mut out = [0u8; 96];
                il.push(sector, &mut out);
                raw.push(out);
            }
            let mut dl = Deinterleaver::new();
            let mut back = vec![];
            let mut out = [0u8; 96];
            for r in &raw {
                if dl.push(r, &mut out) {
                    back.push(out);
                }
            }
            prop_assert_eq!(&back[..], &packed[..]);
            // Flushing yields the two trailing (zero) sectors.
            prop_assert!(dl.flush(&mut out));
            prop_assert_eq!(out, [0u8; 96]);
            prop_assert!(dl.flush(&mut out));
            prop_assert_eq!(out, [0u8; 96]);
            prop_assert!(!dl.flush(&mut out));
        }

        #[test]
        fn encoded_packs_check(pack in proptest::collection::vec(any::<u8>(), 24), flip in 0usize..24, bit in 0u8..6) {
            let mut pack: [u8; 24] = pack.try_into().unwrap();
            encode_pack(&mut pack);
            prop_assert!(check_pack(&pack));
            pack[flip] ^= 1 << bit;
            prop_assert!(!check_pack(&pack));
        }
    }
}
