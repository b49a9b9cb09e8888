//! ECC: the RSPC product code of ECMA-130 Annex A (spec/cd-format.md §3.8).
//!
//! Bytes 12..2351 are 1170 16-bit words: a 26 × 43 word matrix (24 data rows
//! plus the two P parity rows) followed by the Q parity. Every codeword is
//! evaluated twice, once on the even and once on the odd bytes of its words.
//!
//! * P: RS(26,24) over each of the 43 columns (86 byte codewords); the data
//!   of column c are the 24 words at rows 0..23, parity at 2076 and 2162.
//! * Q: RS(45,43) over each of the 26 diagonals (52 byte codewords): element
//!   j of diagonal k is the word at column j, row (j + k) mod 26; parity at
//!   2248 and 2300.
//!
//! For a codeword v_0..v_{n−1} (last two are parity) with data sums
//! `S0 = Σ v_i`, `S1 = Σ α^(n−1−i)·v_i`, the parity is
//! `v_{n−2} = (S0 + S1)/(α + 1)`, `v_{n−1} = S0 + v_{n−2}`.
//!
//! Speed: because P rows are contiguous, all 86 P codewords are evaluated
//! at once with SWAR arithmetic on `u64` lanes (Horner's rule, multiplying
//! eight GF(2^8) symbols by α per step); the Q diagonals are gathered one
//! column at a time into a 52-byte vector and processed the same way.

use super::SECTOR_SIZE;

/// First byte covered by the ECC (the header).
pub const ECC_START: usize = 12;
/// Offset of the P parity (172 bytes).
pub const P_OFFSET: usize = 2076;
/// Bytes of P parity.
pub const P_SIZE: usize = 172;
/// Offset of the Q parity (104 bytes).
pub const Q_OFFSET: usize = 2248;
/// Bytes of Q parity.
pub const Q_SIZE: usize = 104;

/// Bytes in one row of the word matrix (43 words).
const ROW: usize = 86;
/// Bytes of one Q parity vector (26 words).
const QV: usize = 52;

/// Multiplies two elements of GF(2^8) with polynomial 0x11D.
pub const fn gf_mul(mut a: u8, mut b: u8) -> u8 {
    let mut r = 0u8;
    while b != 0 {
        if b & 1 != 0 {
            r ^= a;
        }
        let carry = a & 0x80 != 0;
        a <<= 1;
        if carry {
            a ^= 0x1D;
        }
        b >>= 1;
    }
    r
}

/// 1/(α + 1) = 1/0x03 in GF(2^8).
pub const INV_ALPHA_PLUS_1: u8 = 0xF4;

const fn make_mul_table(c: u8) -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = gf_mul(i as u8, c);
        i += 1;
    }
    t
}

/// Multiplication by 1/(α+1).
static MUL_INV3: [u8; 256] = make_mul_table(INV_ALPHA_PLUS_1);

const LO7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
const HI1: u64 = 0x8080_8080_8080_8080;

/// Multiplies eight packed GF(2^8) symbols by α.
#[inline(always)]
fn mul_alpha(x: u64) -> u64 {
    ((x & LO7) << 1) ^ (((x & HI1) >> 7) * 0x1D)
}

#[inline(always)]
fn load(b: &[u8]) -> u64 {
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}

/// Finishes `N` lane words of parity sums: returns the bytes of the two
/// parity vectors (`v_{n−2}`, `v_{n−1}`) given `S0` and the Horner sum
/// `Σ α^(n−3−i)·v_i`.
#[inline(always)]
fn finish<const N: usize>(s0: &[u64; N], horner: &[u64; N]) -> ([u8; 88], [u8; 88]) {
    let mut p0 = [0u8; 88];
    let mut p1 = [0u8; 88];
    for w in 0..N {
        let s1 = mul_alpha(mul_alpha(horner[w]));
        let t = (s0[w] ^ s1).to_le_bytes();
        let s0b = s0[w].to_le_bytes();
        for b in 0..8 {
            let v = MUL_INV3[t[b] as usize];
            p0[w * 8 + b] = v;
            p1[w * 8 + b] = s0b[b] ^ v;
        }
    }
    (p0, p1)
}

/// Computes the 172 P parity bytes of bytes 12..2075 of `sector`.
pub fn compute_p(sector: &[u8; SECTOR_SIZE]) -> [u8; P_SIZE] {
    // 11 lanes = 88 bytes per row; the last 2 bytes of each load belong to
    // the next row and are ignored.
    let mut s0 = [0u64; 11];
    let mut h = [0u64; 11];
    for r in 0..24 {
        let row = &sector[ECC_START + r * ROW..ECC_START + r * ROW + 88];
        for w in 0..11 {
            let x = load(&row[w * 8..w * 8 + 8]);
            s0[w] ^= x;
            h[w] = mul_alpha(h[w]) ^ x;
        }
    }
    let (p0, p1) = finish(&s0, &h);
    let mut out = [0u8; P_SIZE];
    out[..ROW].copy_from_slice(&p0[..ROW]);
    out[ROW..].copy_from_slice(&p1[..ROW]);
    out
}

/// Number of anti-diagonals `d = j + k` (0..=25+42) visited by the Q loop.
const Q_STEPS: usize = 68;
/// Words in the 26 × 43 matrix Q works on.
const Q_WORDS: usize = 26 * 43;

/// Lane masks of the Q loop: at step `d`, reversed lane word `k' = 25 − k`
/// takes part iff `d − 42 ≤ k ≤ d` (element `j = d − k` exists).
const fn make_q_masks() -> [[u64; 7]; Q_STEPS] {
    let mut m = [[0u64; 7]; Q_STEPS];
    let mut d = 0;
    while d < Q_STEPS {
        let mut k = 0;
        while k < 26 {
            if k <= d && d <= k + 42 {
                let byte = 2 * (25 - k);
                m[d][byte / 8] |= 0xFFFF << (8 * (byte % 8));
            }
            k += 1;
        }
        d += 1;
    }
    m
}

static Q_MASKS: [[u64; 7]; Q_STEPS] = make_q_masks();

/// Multiplication tables by α^(k−23), k = 0..25: the per-diagonal
/// correction of the Q anti-diagonal Horner sum.
const fn make_q_fix() -> [[u8; 256]; 26] {
    let mut t = [[0u8; 256]; 26];
    let mut k = 0;
    while k < 26 {
        // α^(k − 23) = α^(k + 232) since α^255 = 1.
        let mut c = 1u8;
        let mut e = 0;
        while e < k + 232 {
            c = gf_mul(c, 2);
            e += 1;
        }
        t[k] = make_mul_table(c);
        k += 1;
    }
    t
}

static Q_FIX: [[u8; 256]; 26] = make_q_fix();

/// Computes the 104 Q parity bytes of bytes 12..2247 of `sector` (the data
/// and the stored P parity).
///
/// Element j of diagonal k is word `(44·(j+k) − k) mod 1118`, so for a fixed
/// anti-diagonal `d = j + k` the 26 diagonals read 26 *consecutive* words
/// (`44d − 25 ..= 44d`, lane order reversed). The loop runs Horner's rule over
/// d = 0..=67 on those contiguous loads (masking the lanes whose j is outside
/// 0..=42), which yields `Σ α^(67−d)·v`; diagonal k then needs a final factor
/// α^(k−23) to get `S1 = Σ α^(44−j)·v_j`.
pub fn compute_q(sector: &[u8; SECTOR_SIZE]) -> [u8; Q_SIZE] {
    // The matrix bytes extended circularly by 52 bytes (+4 of padding so every
    // 56-byte load is in bounds).
    let mut ext = [0u8; 2 * Q_WORDS + 56];
    ext[..2 * Q_WORDS].copy_from_slice(&sector[ECC_START..Q_OFFSET]);
    ext[2 * Q_WORDS..2 * Q_WORDS + 52].copy_from_slice(&sector[ECC_START..ECC_START + 52]);
    let mut s0 = [0u64; 7];
    let mut h = [0u64; 7];
    for (d, mask) in Q_MASKS.iter().enumerate() {
        let start = 2 * ((44 * d + Q_WORDS - 25) % Q_WORDS);
        let run = &ext[start..start + 56];
        for w in 0..7 {
            let x = load(&run[w * 8..w * 8 + 8]) & mask[w];
            s0[w] ^= x;
            h[w] = mul_alpha(h[w]) ^ x;
        }
    }
    let mut s0b = [0u8; 56];
    let mut hb = [0u8; 56];
    for w in 0..7 {
        s0b[w * 8..w * 8 + 8].copy_from_slice(&s0[w].to_le_bytes());
        hb[w * 8..w * 8 + 8].copy_from_slice(&h[w].to_le_bytes());
    }
    let mut out = [0u8; Q_SIZE];
    for (k, fix) in Q_FIX.iter().enumerate() {
        for half in 0..2 {
            let lane = 2 * (25 - k) + half;
            let a = s0b[lane];
            let v = MUL_INV3[(a ^ fix[hb[lane] as usize]) as usize];
            out[2 * k + half] = v;
            out[QV + 2 * k + half] = a ^ v;
        }
    }
    out
}

/// Writes the P parity (bytes 2076..2247) from bytes 12..2075.
pub fn encode_p(sector: &mut [u8; SECTOR_SIZE]) {
    let p = compute_p(sector);
    sector[P_OFFSET..P_OFFSET + P_SIZE].copy_from_slice(&p);
}

/// Writes the Q parity (bytes 2248..2351) from bytes 12..2247.
pub fn encode_q(sector: &mut [u8; SECTOR_SIZE]) {
    let q = compute_q(sector);
    sector[Q_OFFSET..Q_OFFSET + Q_SIZE].copy_from_slice(&q);
}

/// Writes P then Q. With `zero_header` (mode 2 form 1) the four header bytes
/// 12..15 are treated as zero while computing and left unchanged.
pub fn encode(sector: &mut [u8; SECTOR_SIZE], zero_header: bool) {
    let mut header = [0u8; 4];
    if zero_header {
        header.copy_from_slice(&sector[12..16]);
        sector[12..16].fill(0);
    }
    encode_p(sector);
    encode_q(sector);
    if zero_header {
        sector[12..16].copy_from_slice(&header);
    }
}

/// Result of recomputing a sector's parity: how many stored parity bytes
/// differ from the recomputed ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EccCheck {
    /// Mismatching P bytes (0..=172); P recomputed from bytes 12..2075.
    pub p_errors: usize,
    /// Mismatching Q bytes (0..=104); Q recomputed from the stored bytes
    /// 12..2247, including the stored P.
    pub q_errors: usize,
}

impl EccCheck {
    /// True when both P and Q match.
    pub fn is_ok(&self) -> bool {
        self.p_errors == 0 && self.q_errors == 0
    }
}

/// Recomputes P and Q over the stored bytes (with the header zeroed when
/// `zero_header`) and counts the stored parity bytes that differ.
pub fn check(sector: &[u8; SECTOR_SIZE], zero_header: bool) -> EccCheck {
    let mut work = *sector;
    if zero_header {
        work[12..16].fill(0);
    }
    let p = compute_p(&work);
    let q = compute_q(&work);
    let diff = |a: &[u8], b: &[u8]| a.iter().zip(b).filter(|(x, y)| x != y).count();
    EccCheck {
        p_errors: diff(&p, &sector[P_OFFSET..P_OFFSET + P_SIZE]),
        q_errors: diff(&q, &sector[Q_OFFSET..Q_OFFSET + Q_SIZE]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alpha_pow(e: usize) -> u8 {
        let mut x = 1u8;
        for _ in 0..e {
            x = gf_mul(x, 2);
        }
        x
    }

    /// Straightforward per-codeword encoder written directly from the
    /// symbol formulas of spec §3.8.
    fn reference(sector: &mut [u8; SECTOR_SIZE]) {
        let sym = |n: usize, h: usize| 12 + 2 * n + h;
        let parity = |vals: &[u8]| {
            let n = vals.len() + 2;
            let mut s0 = 0u8;
            let mut s1 = 0u8;
            for (i, &v) in vals.iter().enumerate() {
                s0 ^= v;
                s1 ^= gf_mul(alpha_pow(n - 1 - i), v);
            }
            let a = gf_mul(s0 ^ s1, INV_ALPHA_PLUS_1);
            (a, s0 ^ a)
        };
        for h in 0..2 {
            for c in 0..43 {
                let vals: Vec<u8> = (0..24).map(|r| sector[sym(43 * r + c, h)]).collect();
                let (a, b) = parity(&vals);
                sector[sym(1032 + c, h)] = a;
                sector[sym(1075 + c, h)] = b;
            }
        }
        for h in 0..2 {
            for k in 0..26 {
                let vals: Vec<u8> = (0..43)
                    .map(|j| sector[sym((44 * j + 43 * k) % 1118, h)])
                    .collect();
                let (a, b) = parity(&vals);
                sector[sym(1118 + k, h)] = a;
                sector[sym(1144 + k, h)] = b;
            }
        }
    }

    #[test]
    fn field_constants() {
        let pows: Vec<u8> = (0..16).map(alpha_pow).collect();
        assert_eq!(
            pows,
            [
                0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1D, 0x3A, 0x74, 0xE8, 0xCD, 0x87,
                0x13, 0x26
            ]
        );
        assert_eq!(gf_mul(3, INV_ALPHA_PLUS_1), 1);
        for x in 0..=255u8 {
            let lanes = u64::from_le_bytes([x, x ^ 0x55, x, 0x80, 0xFF, x, 1, x]);
            let got = mul_alpha(lanes).to_le_bytes();
            for (i, b) in lanes.to_le_bytes().iter().enumerate() {
                assert_eq!(got[i], gf_mul(*b, 2));
            }
        }
    }

    #[test]
    fn swar_encoder_equals_reference_on_pseudo_random_sectors() {
        let mut seed = 0x1234_5678_9abc_def0u64;
        for round in 0..20 {
            let mut s = [0u8; SECTOR_SIZE];
            for b in s.iter_mut() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                *b = seed as u8;
            }
            let mut a = s;
            let mut b = s;
            encode(&mut a, false);
            reference(&mut b);
            assert_eq!(a[..], b[..], "round {round}");
            assert!(check(&a, false).is_ok());
        }
    }

    #[test]
    fn zero_header_keeps_header_and_differs_from_plain() {
        let mut s = [0u8; SECTOR_SIZE];
        s[12..16].copy_from_slice(&[0x00, 0x02, 0x00, 0x02]);
        let mut plain = s;
        encode(&mut s, true);
        encode(&mut plain, false);
        assert_eq!(&s[12..16], &[0x00, 0x02, 0x00, 0x02]);
        assert_ne!(s[P_OFFSET..], plain[P_OFFSET..]);
        assert!(check(&s, true).is_ok());
        assert!(!check(&s, false).is_ok());
        // All-zero covered area: parity all zero.
        assert!(s[P_OFFSET..].iter().all(|&b| b == 0));
    }
}
