//! Sector builders (spec/cd-format.md §3.1–3.6, §3.10, §7.2).
//!
//! The `fill_*` / `build_*` functions produce **unscrambled** sectors (the
//! form a cue-sheet `MODE1/2352` bin or a READ CD of a data sector holds);
//! [`encode_sector`], [`encode_zero_sector`] and [`encode_full_sector`]
//! produce the final on-disc bytes a raw DAO writer sends, i.e. data sectors
//! scrambled (§3.10: in raw write mode the host scrambles).

use super::{ecc, edc::edc, scramble::scramble, SectorError, SectorType, SECTOR_SIZE};
use crate::msf::{Lba, Msf, FRAMES_PER_MINUTE, MAX_PROGRAM_LBA, MIN_LBA};

/// The 12-byte sync pattern that starts every data sector.
pub const SYNC: [u8; 12] = [
    0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00,
];

/// Offset of the mode byte.
pub const MODE_OFFSET: usize = 15;
/// Offset of the user data in mode 0/1 and mode 2 formless sectors.
pub const USER_OFFSET: usize = 16;
/// Offset of the first subheader copy in mode 2 XA sectors.
pub const SUBHEADER_OFFSET: usize = 16;
/// Offset of the user data in mode 2 form 1/2 sectors.
pub const XA_USER_OFFSET: usize = 24;
/// Offset of the mode 1 EDC (over bytes 0..2063).
pub const MODE1_EDC_OFFSET: usize = 2064;
/// Offset of the mode 2 form 1 EDC (over bytes 16..2071).
pub const FORM1_EDC_OFFSET: usize = 2072;
/// Offset of the mode 2 form 2 EDC (over bytes 16..2347; zero = no EDC).
pub const FORM2_EDC_OFFSET: usize = 2348;
/// Bytes of user data in a mode 1 or mode 2 form 1 sector.
pub const FORM1_USER_SIZE: usize = 2048;
/// Bytes of user data in a mode 2 form 2 sector.
pub const FORM2_USER_SIZE: usize = 2324;
/// Bytes after the header in mode 0 and mode 2 sectors.
pub const MODE2_BODY_SIZE: usize = 2336;

/// Submode bit 5: the XA form (0 = form 1, 1 = form 2).
pub const SUBMODE_FORM2: u8 = 0x20;
/// Subheader written for mode 2 form 1 sources that supply only 2048 user
/// bytes, and for form 1 gap sectors: file 0, channel 0, submode "data"
/// (bit 3), coding 0.
pub const FORM1_SUBHEADER: [u8; 4] = [0x00, 0x00, 0x08, 0x00];
/// Subheader of mode 2 form 2 gap sectors: submode = form bit only.
pub const FORM2_SUBHEADER: [u8; 4] = [0x00, 0x00, SUBMODE_FORM2, 0x00];

/// Frames in 100 minutes: the period of header addresses.
const ADDRESS_PERIOD: i64 = 100 * FRAMES_PER_MINUTE as i64;

/// True when `lba` has a header address without wrap-around:
/// `MIN_LBA..=MAX_PROGRAM_LBA` (lead-in 90:00:00 up to 99:59:74 read as
/// program area).
pub fn lba_in_header_range(lba: Lba) -> bool {
    (MIN_LBA..=MAX_PROGRAM_LBA).contains(&lba)
}

/// The true MSF of `lba` as written in a data sector header (§3.1, the
/// cdrecord convention: lead-in sectors carry their real ≥ 90-minute
/// address). Addresses repeat every 100 minutes, so every LBA has one; in
/// `MIN_LBA..=MAX_LBA` this is exactly [`Msf::from_lba`], and
/// `MAX_LBA+1..=MAX_PROGRAM_LBA` gives 90:00:00..99:59:74
/// ([`Msf::from_program_lba`]).
pub fn header_msf(lba: Lba) -> Msf {
    let wrapped = (lba as i64 - MIN_LBA as i64).rem_euclid(ADDRESS_PERIOD) + MIN_LBA as i64;
    Msf::from_lba(wrapped as Lba).unwrap_or_default()
}

/// The three BCD header address bytes of `lba` (see [`header_msf`]).
pub fn header_address(lba: Lba) -> [u8; 3] {
    header_msf(lba).to_bcd()
}

/// Writes sync, header address and mode byte (bytes 0..15).
pub fn write_sync_header(out: &mut [u8; SECTOR_SIZE], lba: Lba, mode: u8) {
    out[..12].copy_from_slice(&SYNC);
    out[12..15].copy_from_slice(&header_address(lba));
    out[MODE_OFFSET] = mode;
}

/// Fills `out` with an unscrambled mode 0 sector (user area zero).
pub fn fill_mode0(out: &mut [u8; SECTOR_SIZE], lba: Lba) {
    write_sync_header(out, lba, 0);
    out[USER_OFFSET..].fill(0);
}

/// Fills `out` with an unscrambled mode 1 sector: sync, header, user data,
/// EDC over 0..2063, 8 zero bytes, P and Q.
pub fn fill_mode1(out: &mut [u8; SECTOR_SIZE], lba: Lba, user: &[u8; FORM1_USER_SIZE]) {
    write_sync_header(out, lba, 1);
    out[USER_OFFSET..MODE1_EDC_OFFSET].copy_from_slice(user);
    let e = edc(&out[..MODE1_EDC_OFFSET]);
    out[MODE1_EDC_OFFSET..MODE1_EDC_OFFSET + 4].copy_from_slice(&e.to_le_bytes());
    out[MODE1_EDC_OFFSET + 4..ecc::P_OFFSET].fill(0);
    ecc::encode(out, false);
}

/// Fills `out` with an unscrambled mode 2 formless sector: sync, header and
/// the 2336 bytes as given (no EDC/ECC).
pub fn fill_mode2_form0(out: &mut [u8; SECTOR_SIZE], lba: Lba, body: &[u8; MODE2_BODY_SIZE]) {
    write_sync_header(out, lba, 2);
    out[USER_OFFSET..].copy_from_slice(body);
}

/// Fills `out` with an unscrambled mode 2 form 1 sector: `subheader` twice
/// (submode bit 5 forced clear), user data, EDC over 16..2071, and P/Q
/// computed with the header treated as zero.
pub fn fill_mode2_form1(
    out: &mut [u8; SECTOR_SIZE],
    lba: Lba,
    subheader: [u8; 4],
    user: &[u8; FORM1_USER_SIZE],
) {
    let mut sh = subheader;
    sh[2] &= !SUBMODE_FORM2;
    write_sync_header(out, lba, 2);
    out[16..20].copy_from_slice(&sh);
    out[20..24].copy_from_slice(&sh);
    out[XA_USER_OFFSET..FORM1_EDC_OFFSET].copy_from_slice(user);
    let e = edc(&out[SUBHEADER_OFFSET..FORM1_EDC_OFFSET]);
    out[FORM1_EDC_OFFSET..FORM1_EDC_OFFSET + 4].copy_from_slice(&e.to_le_bytes());
    ecc::encode(out, true);
}

/// Fills `out` with an unscrambled mode 2 form 2 sector from the 2336 bytes
/// after the header (8-byte subheader, 2324 user bytes, 4 EDC bytes).
///
/// Submode bit 5 is forced set in both subheader copies (as cdrdao and
/// cdrecord do); the subheader copies are otherwise kept as given (not made
/// equal). The source's last 4 bytes are ignored: the EDC is always computed
/// over 16..2347 and stored (the spec allows zero = "no EDC", but a computed
/// EDC is never wrong and lets readers verify the sector).
pub fn fill_mode2_form2(out: &mut [u8; SECTOR_SIZE], lba: Lba, body: &[u8; MODE2_BODY_SIZE]) {
    write_sync_header(out, lba, 2);
    out[USER_OFFSET..FORM2_EDC_OFFSET].copy_from_slice(&body[..MODE2_BODY_SIZE - 4]);
    out[18] |= SUBMODE_FORM2;
    out[22] |= SUBMODE_FORM2;
    let e = edc(&out[SUBHEADER_OFFSET..FORM2_EDC_OFFSET]);
    out[FORM2_EDC_OFFSET..].copy_from_slice(&e.to_le_bytes());
}

/// Like [`fill_mode2_form2`] from a subheader (written twice, bit 5 set) and
/// 2324 user bytes.
pub fn fill_mode2_form2_parts(
    out: &mut [u8; SECTOR_SIZE],
    lba: Lba,
    subheader: [u8; 4],
    user: &[u8; FORM2_USER_SIZE],
) {
    let mut body = [0u8; MODE2_BODY_SIZE];
    body[..4].copy_from_slice(&subheader);
    body[4..8].copy_from_slice(&subheader);
    body[8..8 + FORM2_USER_SIZE].copy_from_slice(user);
    fill_mode2_form2(out, lba, &body);
}

/// An unscrambled mode 0 sector.
pub fn build_mode0(lba: Lba) -> [u8; SECTOR_SIZE] {
    let mut s = [0u8; SECTOR_SIZE];
    fill_mode0(&mut s, lba);
    s
}

/// An unscrambled mode 1 sector.
pub fn build_mode1(lba: Lba, user: &[u8; FORM1_USER_SIZE]) -> [u8; SECTOR_SIZE] {
    let mut s = [0u8; SECTOR_SIZE];
    fill_mode1(&mut s, lba, user);
    s
}

/// An unscrambled mode 2 formless sector.
pub fn build_mode2_form0(lba: Lba, body: &[u8; MODE2_BODY_SIZE]) -> [u8; SECTOR_SIZE] {
    let mut s = [0u8; SECTOR_SIZE];
    fill_mode2_form0(&mut s, lba, body);
    s
}

/// An unscrambled mode 2 form 1 sector (see [`fill_mode2_form1`]).
pub fn build_mode2_form1(
    lba: Lba,
    subheader: [u8; 4],
    user: &[u8; FORM1_USER_SIZE],
) -> [u8; SECTOR_SIZE] {
    let mut s = [0u8; SECTOR_SIZE];
    fill_mode2_form1(&mut s, lba, subheader, user);
    s
}

/// An unscrambled mode 2 form 2 sector (see [`fill_mode2_form2`]).
pub fn build_mode2_form2(lba: Lba, body: &[u8; MODE2_BODY_SIZE]) -> [u8; SECTOR_SIZE] {
    let mut s = [0u8; SECTOR_SIZE];
    fill_mode2_form2(&mut s, lba, body);
    s
}

/// An unscrambled mode 2 form 2 sector from subheader and 2324 user bytes.
pub fn build_mode2_form2_parts(
    lba: Lba,
    subheader: [u8; 4],
    user: &[u8; FORM2_USER_SIZE],
) -> [u8; SECTOR_SIZE] {
    let mut s = [0u8; SECTOR_SIZE];
    fill_mode2_form2_parts(&mut s, lba, subheader, user);
    s
}

fn sized<const N: usize>(ty: SectorType, user: &[u8]) -> Result<&[u8; N], SectorError> {
    user.try_into().map_err(|_| SectorError::UserSize {
        ty,
        expected: N,
        actual: user.len(),
    })
}

/// Builds the final on-disc main-channel bytes of one sector of a track of
/// type `ty` at `lba`, as a raw DAO writer must send them: audio copied; data
/// sectors with sync, header (true MSF of lba, BCD), subheader for mode 2
/// forms, EDC/ECC, and SCRAMBLED; *_RAW types copied verbatim (already
/// scrambled). `user` must be exactly `ty.user_size()` bytes.
///
/// Per type: mode 0 user data must be all zero; mode 2 form 0 (formless)
/// takes the 2336 bytes as they are; mode 2 form 1 gets subheader
/// [`FORM1_SUBHEADER`] twice; mode 2 form 2 takes the 2336 bytes after the
/// header, see [`fill_mode2_form2`]. For non-raw data types `lba` must be in
/// `MIN_LBA..=MAX_PROGRAM_LBA`.
pub fn encode_sector(
    ty: SectorType,
    lba: Lba,
    user: &[u8],
    out: &mut [u8; SECTOR_SIZE],
) -> Result<(), SectorError> {
    if user.len() != ty.user_size() {
        return Err(SectorError::UserSize {
            ty,
            expected: ty.user_size(),
            actual: user.len(),
        });
    }
    if ty.is_audio() || ty.is_raw() {
        out.copy_from_slice(sized::<SECTOR_SIZE>(ty, user)?);
        return Ok(());
    }
    if !lba_in_header_range(lba) {
        return Err(SectorError::LbaOutOfRange(lba));
    }
    match ty {
        SectorType::Mode0 => {
            if let Some(offset) = user.iter().position(|&b| b != 0) {
                return Err(SectorError::Mode0NotZero {
                    offset,
                    value: user[offset],
                });
            }
            fill_mode0(out, lba);
        }
        SectorType::Mode1 => fill_mode1(out, lba, sized(ty, user)?),
        SectorType::Mode2Form0 => fill_mode2_form0(out, lba, sized(ty, user)?),
        SectorType::Mode2Form1 => fill_mode2_form1(out, lba, FORM1_SUBHEADER, sized(ty, user)?),
        _ => fill_mode2_form2(out, lba, sized(ty, user)?),
    }
    scramble(out);
    Ok(())
}

/// A gap/pregap/postgap/lead-in/lead-out sector of type `ty` with zero user
/// data (audio: 2352 zeros; data: complete encoded and scrambled sector with
/// zero user data; for *_RAW types use the matching non-raw mode, e.g.
/// Mode2Form1Raw -> mode 2 form 1 subheader 00 00 08 00 ×2; Mode1Raw -> mode
/// 1).
///
/// Mode 2 form 2 gap sectors get subheader [`FORM2_SUBHEADER`] twice and a
/// computed EDC. The header address of an `lba` outside
/// `MIN_LBA..=MAX_PROGRAM_LBA` wraps modulo 100 minutes ([`header_msf`]).
pub fn encode_zero_sector(ty: SectorType, lba: Lba, out: &mut [u8; SECTOR_SIZE]) {
    const ZERO_USER: [u8; FORM2_USER_SIZE] = [0; FORM2_USER_SIZE];
    const ZERO_FORM1: [u8; FORM1_USER_SIZE] = [0; FORM1_USER_SIZE];
    const ZERO_BODY: [u8; MODE2_BODY_SIZE] = [0; MODE2_BODY_SIZE];
    match ty {
        SectorType::Audio => {
            out.fill(0);
            return;
        }
        SectorType::Mode0 => fill_mode0(out, lba),
        SectorType::Mode1 | SectorType::Mode1Raw => fill_mode1(out, lba, &ZERO_FORM1),
        SectorType::Mode2Form0 | SectorType::Mode2Form0Raw => {
            fill_mode2_form0(out, lba, &ZERO_BODY)
        }
        SectorType::Mode2Form1 | SectorType::Mode2Form1Raw => {
            fill_mode2_form1(out, lba, FORM1_SUBHEADER, &ZERO_FORM1)
        }
        SectorType::Mode2Form2 | SectorType::Mode2Form2Raw => {
            fill_mode2_form2_parts(out, lba, FORM2_SUBHEADER, &ZERO_USER)
        }
    }
    scramble(out);
}

/// Like encode_sector for a complete but UNSCRAMBLED 2352-byte sector (e.g. a
/// cue sheet MODE1/2352 bin): copies it and scrambles data sectors (audio
/// unchanged).
///
/// `ty` only decides audio versus data: every data type, the `*_RAW` ones
/// included, is scrambled. The sector's contents are not checked.
pub fn encode_full_sector(ty: SectorType, full: &[u8; SECTOR_SIZE], out: &mut [u8; SECTOR_SIZE]) {
    out.copy_from_slice(full);
    if ty.is_data() {
        scramble(out);
    }
}
