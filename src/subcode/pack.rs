//! Sub-channel byte formats (spec/cd-format.md §5): raw interleaved P–W
//! (96 bytes, §5.1), channel-separated P–W (§5.2) and PQ-16 (§5.4). The
//! packed ("cooked") R–W format is in [`super::rw`].

use super::crc;
use super::q::QFrame;

/// `Q_SPREAD[b]`, big-endian: the 8 raw bytes carrying Q byte `b`, bit 7 of
/// `b` → bit 6 of the first byte, …, bit 0 → bit 6 of the eighth.
const Q_SPREAD: [u64; 256] = build_spread();

const fn build_spread() -> [u64; 256] {
    let mut t = [0u64; 256];
    let mut b = 0;
    while b < 256 {
        let mut v = 0u64;
        let mut k = 0;
        while k < 8 {
            let bit = ((b >> (7 - k)) & 1) as u64;
            v |= (bit << 6) << (8 * (7 - k));
            k += 1;
        }
        t[b] = v;
        b += 1;
    }
    t
}

const P_ALL: u64 = 0x8080_8080_8080_8080;
const RW_ALL: u64 = 0x3F3F_3F3F_3F3F_3F3F;

/// Builds one sector's raw interleaved P–W subcode (§5.1): the P flag in bit 7
/// of all 96 bytes, Q bit i in bit 6 of byte i (MSB of Q byte 0 first), and
/// bits 5..0 of `rw` ORed in. Table driven, no allocation.
///
/// For the RAW record type pass interleaved R–W (or CD-Text symbols in the
/// lead-in, which are not interleaved); for the COOKED record type pass the
/// packed R–W — the project default keeps P/Q in bits 7..6 there too (§5.3).
pub fn raw96(p: bool, q: &QFrame, rw: Option<&[u8; 96]>, out: &mut [u8; 96]) {
    let p_mask = if p { P_ALL } else { 0 };
    match rw {
        None => {
            for (chunk, &qb) in out.chunks_exact_mut(8).zip(q.0.iter()) {
                chunk.copy_from_slice(&(Q_SPREAD[usize::from(qb)] | p_mask).to_be_bytes());
            }
        }
        Some(rw) => {
            for ((chunk, rw), &qb) in out
                .chunks_exact_mut(8)
                .zip(rw.chunks_exact(8))
                .zip(q.0.iter())
            {
                let mut r = [0u8; 8];
                r.copy_from_slice(rw);
                let rw_bits = u64::from_be_bytes(r) & RW_ALL;
                chunk
                    .copy_from_slice(&(Q_SPREAD[usize::from(qb)] | p_mask | rw_bits).to_be_bytes());
            }
        }
    }
}

/// Reads P and Q back from raw P–W (§5.1): P is the majority of the 96 P bits
/// (true when at least 49 are set), Q is gathered from bit 6 verbatim (its CRC
/// is not checked here).
pub fn unraw96(sub: &[u8; 96]) -> (bool, QFrame) {
    let mut q = [0u8; 12];
    for (qb, chunk) in q.iter_mut().zip(sub.chunks_exact(8)) {
        *qb = chunk.iter().fold(0u8, |acc, &b| acc << 1 | (b >> 6) & 1);
    }
    let p_count = sub.iter().filter(|&&b| b & 0x80 != 0).count();
    (p_count > 48, QFrame(q))
}

/// The R–W bits (5..0) of raw P–W, with P and Q cleared.
pub fn rw_of(sub: &[u8; 96]) -> [u8; 96] {
    sub.map(|b| b & 0x3F)
}

/// Raw interleaved P–W → channel-separated (§5.2): channel c (P = 0, Q = 1,
/// R = 2, …, W = 7) in bytes 12c..12c+11, each MSB-first.
pub fn to_channels(raw: &[u8; 96], out: &mut [u8; 96]) {
    *out = [0u8; 96];
    for (i, &b) in raw.iter().enumerate() {
        let (k, bit) = (i / 8, 7 - i % 8);
        for c in 0..8 {
            out[12 * c + k] |= ((b >> (7 - c)) & 1) << bit;
        }
    }
}

/// Channel-separated P–W → raw interleaved (§5.2); inverse of [`to_channels`].
pub fn from_channels(channels: &[u8; 96], out: &mut [u8; 96]) {
    for (i, o) in out.iter_mut().enumerate() {
        let (k, bit) = (i / 8, 7 - i % 8);
        *o = (0..8).fold(0u8, |acc, c| {
            acc | ((channels[12 * c + k] >> bit) & 1) << (7 - c)
        });
    }
}

/// CRC polarity of a PQ-16 record (§5.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PqCrc {
    /// The raw CRC (cdrdao, libburn; project default for generation).
    NonInverted,
    /// The on-disc, inverted CRC (cdrecord).
    Inverted,
}

/// Builds a 16-byte PQ record (§5.4): Q bytes 0..9, the CRC in the chosen
/// polarity, three zero bytes, P in bit 7 of byte 15. `NonInverted` writes
/// the complement of `q`'s stored CRC bytes, so a deliberately bad CRC stays
/// bad.
pub fn pq16(p: bool, q: &QFrame, crc: PqCrc, out: &mut [u8; 16]) {
    *out = [0u8; 16];
    out[..12].copy_from_slice(&q.0);
    if crc == PqCrc::NonInverted {
        out[10] = !out[10];
        out[11] = !out[11];
    }
    out[15] = if p { 0x80 } else { 0 };
}

/// Reads a PQ-16 record: P (bit 7 of byte 15), the Q frame in its on-disc
/// (inverted-CRC) form, and which CRC polarity matched (`None` when neither
/// did; the Q bytes are then returned verbatim).
pub fn unpq16(sub: &[u8; 16]) -> (bool, QFrame, Option<PqCrc>) {
    let mut q = [0u8; 12];
    q.copy_from_slice(&sub[..12]);
    let raw = crc::crc16(&q[..10]);
    let stored = u16::from_be_bytes([q[10], q[11]]);
    let polarity = if stored == !raw {
        Some(PqCrc::Inverted)
    } else if stored == raw {
        q[10..].copy_from_slice(&(!raw).to_be_bytes());
        Some(PqCrc::NonInverted)
    } else {
        None
    };
    (sub[15] & 0x80 != 0, QFrame(q), polarity)
}
