//! Spec test vectors (spec/cd-format.md §11.1), checker tests, the
//! encode → check property and the throughput benchmark.

use proptest::prelude::*;
use sha2::{Digest, Sha256};

use super::build::*;
use super::check::*;
use super::ecc;
use super::edc::edc;
use super::scramble::scramble;
use super::*;

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn hex(s: &str) -> Vec<u8> {
    s.split_whitespace()
        .map(|h| u8::from_str_radix(h, 16).unwrap())
        .collect()
}

const ZERO_USER: [u8; 2048] = [0; 2048];

fn ramp_user() -> [u8; 2048] {
    let mut u = [0u8; 2048];
    for (i, b) in u.iter_mut().enumerate() {
        *b = (i & 0xFF) as u8;
    }
    u
}

#[test]
fn mode1_lba0_zero_data() {
    let s = build_mode1(0, &ZERO_USER);
    assert_eq!(&s[..12], &SYNC);
    assert_eq!(&s[12..16], &[0x00, 0x02, 0x00, 0x01]);
    assert_eq!(edc(&s[..2064]), 0x2B68_13C5);
    assert_eq!(&s[2064..2068], &hex("C5 13 68 2B")[..]);
    assert_eq!(
        sha(&s),
        "b4f18ab66709c9b3fdef2721cc323e031b6728f3ca6c57b7c435c96189222250"
    );
    assert_eq!(
        sha(&s[2076..2352]),
        "619e335e55204ce597079fd54f8df335793665dc098a41cb0c59f36185705394"
    );
    assert_eq!(
        &s[2076..2092],
        &hex("00 F7 00 F5 00 00 00 00 00 00 00 00 00 00 00 00")[..]
    );
    assert_eq!(
        &s[2248..2264],
        &hex("00 41 00 00 00 00 00 00 00 00 00 00 00 00 00 00")[..]
    );
    assert_eq!(
        &s[2336..2352],
        &hex("00 00 00 00 00 00 00 00 00 00 00 90 00 C1 00 12")[..]
    );

    let mut scr = s;
    scramble(&mut scr);
    assert_eq!(
        sha(&scr),
        "b2c91211b98919e43eb75d5d1eba18821c607badf31e60af4d166883a96cd68f"
    );
    assert_eq!(
        &scr[12..32],
        &hex("01 82 00 61 00 28 00 1E 80 08 60 06 A8 02 FE 81 80 60 60 28")[..]
    );

    // The public encoders give the same scrambled bytes.
    let mut out = [0u8; SECTOR_SIZE];
    encode_sector(SectorType::Mode1, 0, &ZERO_USER, &mut out).unwrap();
    assert_eq!(out, scr);
    encode_zero_sector(SectorType::Mode1, 0, &mut out);
    assert_eq!(out, scr);
    encode_zero_sector(SectorType::Mode1Raw, 0, &mut out);
    assert_eq!(out, scr);
    encode_full_sector(SectorType::Mode1, &s, &mut out);
    assert_eq!(out, scr);
}

#[test]
fn mode0_lba0_scrambled_header() {
    let mut out = [0u8; SECTOR_SIZE];
    encode_sector(SectorType::Mode0, 0, &[0u8; 2336], &mut out).unwrap();
    assert_eq!(&out[12..16], &[0x01, 0x82, 0x00, 0x60]);
    let mut z = [0u8; SECTOR_SIZE];
    encode_zero_sector(SectorType::Mode0, 0, &mut z);
    assert_eq!(z, out);
    assert_eq!(build_mode0(0)[15], 0);
}

#[test]
fn mode1_lba0_ramp_data() {
    let s = build_mode1(0, &ramp_user());
    assert_eq!(&s[2064..2068], &hex("27 97 39 E6")[..]);
    assert_eq!(
        sha(&s),
        "f6a94f686e87d4dd2816703689017aa16078564724f033e97eb0faa23cb1adb3"
    );
    assert_eq!(&s[2076..2084], &hex("42 13 C7 94 21 72 D5 86")[..]);
    assert_eq!(&s[2248..2256], &hex("46 E9 44 86 F1 2A E2 0B")[..]);
}

#[test]
fn mode2_form1_lba0_zero_data() {
    let s = build_mode2_form1(0, FORM1_SUBHEADER, &ZERO_USER);
    assert_eq!(&s[12..24], &hex("00 02 00 02 00 00 08 00 00 00 08 00")[..]);
    assert_eq!(&s[2072..2076], &hex("0B 88 81 94")[..]);
    assert_eq!(
        sha(&s),
        "019d8734ffd82181a112f3b3c485312e8cfc1e37c1fc85374606669356ee35b8"
    );
    let mut scr = s;
    scramble(&mut scr);
    let mut out = [0u8; SECTOR_SIZE];
    encode_sector(SectorType::Mode2Form1, 0, &ZERO_USER, &mut out).unwrap();
    assert_eq!(out, scr);
    encode_zero_sector(SectorType::Mode2Form1Raw, 0, &mut out);
    assert_eq!(out, scr);
}

#[test]
fn mode2_form2_lba0_zero_data() {
    let s = build_mode2_form2_parts(0, FORM2_SUBHEADER, &[0u8; 2324]);
    assert_eq!(&s[16..24], &hex("00 00 20 00 00 00 20 00")[..]);
    assert_eq!(&s[2348..2352], &hex("3F 13 B0 BE")[..]);
    assert_eq!(
        sha(&s),
        "7642dcde6dc9ef4bb2f5071ba19207bb8f0d56da1b530dfc5205fcd7499322af"
    );
    // A 2336-byte source with the form bit missing and garbage EDC: bit 5 is
    // forced and the EDC recomputed.
    let mut body = [0u8; 2336];
    body[2332..].copy_from_slice(&[1, 2, 3, 4]);
    let mut scr = s;
    scramble(&mut scr);
    let mut out = [0u8; SECTOR_SIZE];
    encode_sector(SectorType::Mode2Form2, 0, &body, &mut out).unwrap();
    assert_eq!(out, scr);
    encode_zero_sector(SectorType::Mode2Form2, 0, &mut out);
    assert_eq!(out, scr);
}

#[test]
fn mode1_lead_in_and_pregap_vectors() {
    let s = build_mode1(-22_650, &ZERO_USER);
    assert_eq!(&s[12..16], &[0x95, 0x00, 0x00, 0x01]);
    assert_eq!(&s[2064..2068], &hex("AE C1 B0 0F")[..]);
    let mut scr = s;
    scramble(&mut scr);
    assert_eq!(&scr[12..16], &[0x94, 0x80, 0x00, 0x61]);

    let s = build_mode1(-150, &ZERO_USER);
    assert_eq!(&s[12..16], &[0x00, 0x00, 0x00, 0x01]);
    assert_eq!(&s[2064..2068], &hex("0E 11 83 38")[..]);
}

#[test]
fn sector_indexed_edc_vector() {
    let mut s = [0u8; SECTOR_SIZE];
    s[..12].copy_from_slice(&SYNC);
    s[12..16].copy_from_slice(&[0x12, 0x34, 0x56, 0x01]);
    for (j, b) in s.iter_mut().enumerate().take(2064).skip(16) {
        *b = (j & 0xFF) as u8;
    }
    assert_eq!(edc(&s[..2064]).to_le_bytes(), [0xEE, 0x9C, 0x2A, 0x0E]);
    // The user-area-indexed variant (reconciliation note in §11.1).
    for i in 0..2048 {
        s[16 + i] = (i & 0xFF) as u8;
    }
    assert_eq!(edc(&s[..2064]).to_le_bytes(), [0x89, 0xEA, 0x97, 0x43]);
}

#[test]
fn header_addresses_cover_lead_in_and_long_media() {
    assert_eq!(header_address(0), [0x00, 0x02, 0x00]);
    assert_eq!(header_address(-151), [0x99, 0x59, 0x74]);
    assert_eq!(header_address(-45_150), [0x90, 0x00, 0x00]);
    assert_eq!(header_address(404_849), [0x89, 0x59, 0x74]);
    assert_eq!(header_address(404_850), [0x90, 0x00, 0x00]);
    assert_eq!(header_address(449_849), [0x99, 0x59, 0x74]);
    // Out of range wraps instead of panicking.
    assert_eq!(header_address(i32::MIN).len(), 3);
    assert_eq!(header_address(i32::MAX).len(), 3);
}

#[test]
fn encode_sector_errors() {
    let mut out = [0u8; SECTOR_SIZE];
    let e = encode_sector(SectorType::Mode1, 0, &[0u8; 2047], &mut out).unwrap_err();
    assert_eq!(
        e,
        SectorError::UserSize {
            ty: SectorType::Mode1,
            expected: 2048,
            actual: 2047
        }
    );
    assert_eq!(
        e.to_string(),
        "mode1 sector needs 2048 source bytes, got 2047"
    );
    let mut m0 = [0u8; 2336];
    m0[100] = 7;
    let e = encode_sector(SectorType::Mode0, 0, &m0, &mut out).unwrap_err();
    assert_eq!(
        e,
        SectorError::Mode0NotZero {
            offset: 100,
            value: 7
        }
    );
    assert!(e.to_string().contains("mode 0 user data must be zero"));
    assert_eq!(
        encode_sector(SectorType::Mode1, 449_850, &ZERO_USER, &mut out),
        Err(SectorError::LbaOutOfRange(449_850))
    );
    assert_eq!(
        encode_sector(SectorType::Mode1, -45_151, &ZERO_USER, &mut out),
        Err(SectorError::LbaOutOfRange(-45_151))
    );
    for ty in SectorType::ALL {
        assert!(encode_sector(ty, 0, &[], &mut out).is_err(), "{ty}");
    }
}

#[test]
fn audio_and_raw_are_copied_verbatim() {
    let src: Vec<u8> = (0..SECTOR_SIZE).map(|i| (i * 31) as u8).collect();
    let full: [u8; SECTOR_SIZE] = src.clone().try_into().unwrap();
    let mut out = [0u8; SECTOR_SIZE];
    for ty in [
        SectorType::Audio,
        SectorType::Mode1Raw,
        SectorType::Mode2Form0Raw,
        SectorType::Mode2Form1Raw,
        SectorType::Mode2Form2Raw,
    ] {
        encode_sector(ty, 1234, &src, &mut out).unwrap();
        assert_eq!(out[..], src[..], "{ty}");
    }
    encode_full_sector(SectorType::Audio, &full, &mut out);
    assert_eq!(out, full);
    encode_zero_sector(SectorType::Audio, 5, &mut out);
    assert_eq!(out, [0u8; SECTOR_SIZE]);
}

#[test]
fn mode2_formless_copies_body() {
    let body: [u8; 2336] = core::array::from_fn(|i| (i * 3) as u8);
    let s = build_mode2_form0(10, &body);
    assert_eq!(&s[12..16], &[0x00, 0x02, 0x10, 0x02]);
    assert_eq!(&s[16..], &body[..]);
    let mut z = [0u8; SECTOR_SIZE];
    encode_zero_sector(SectorType::Mode2Form0Raw, 10, &mut z);
    scramble(&mut z);
    assert_eq!(z, build_mode2_form0(10, &[0; 2336]));
}

// ---- checkers ----

fn scrambled(mut s: [u8; SECTOR_SIZE]) -> [u8; SECTOR_SIZE] {
    scramble(&mut s);
    s
}

#[test]
fn good_sectors_check_clean() {
    let lba = 1000;
    let m1 = build_mode1(lba, &ramp_user());
    let c = check_sector(&scrambled(m1), lba, true);
    assert_eq!(c.kind, SectorKind::Mode1);
    assert!(c.is_clean(), "{:?}", c.findings);
    assert!(check_sector(&m1, lba, false).is_clean());
    assert!(check_sector_as(&m1, lba, false, SectorType::Mode1).is_clean());

    let f1 = build_mode2_form1(lba, [1, 2, 0x08, 0], &ramp_user());
    let c = check_sector(&f1, lba, false);
    assert_eq!(c.kind, SectorKind::Mode2Form1);
    assert!(c.is_clean(), "{:?}", c.findings);

    let f2 = build_mode2_form2_parts(lba, [1, 2, 0, 0], &[0x5A; 2324]);
    let c = check_sector(&f2, lba, false);
    assert_eq!(c.kind, SectorKind::Mode2Form2);
    assert!(c.is_clean(), "{:?}", c.findings);
    // Form 2 EDC zero = "no EDC": accepted.
    let mut no_edc = f2;
    no_edc[2348..].fill(0);
    assert!(check_sector(&no_edc, lba, false).is_clean());

    let m0 = build_mode0(lba);
    assert_eq!(check_sector(&m0, lba, false).kind, SectorKind::Mode0);
    assert!(check_sector(&m0, lba, false).is_clean());

    let formless = build_mode2_form0(lba, &[0xC3; 2336]);
    let c = check_sector_as(&formless, lba, false, SectorType::Mode2Form0);
    assert_eq!(c.kind, SectorKind::Mode2Formless);
    assert!(c.is_clean());

    let audio = [0x11u8; SECTOR_SIZE];
    assert_eq!(check_sector(&audio, lba, true).kind, SectorKind::Audio);
    assert!(check_sector(&audio, lba, true).is_clean());
    assert!(check_sector_as(&audio, lba, true, SectorType::Audio).is_clean());
    assert!(!looks_like_data(&audio));
    assert!(looks_like_data(&m1));
}

fn flipped(s: &[u8; SECTOR_SIZE], at: usize) -> [u8; SECTOR_SIZE] {
    let mut t = *s;
    t[at] ^= 0x40;
    t
}

#[test]
fn mode1_single_byte_errors_are_named() {
    let lba = 4321;
    let good = build_mode1(lba, &ramp_user());
    let find = |at: usize| check_sector(&scrambled(flipped(&good, at)), lba, true).findings;

    let user = find(500);
    assert!(matches!(user[0], Finding::EdcMismatch { .. }), "{user:?}");
    assert!(user.contains(&Finding::EccPMismatch { bytes: 2 }));
    assert!(user
        .iter()
        .any(|f| matches!(f, Finding::EccQMismatch { .. })));

    let e = find(2065);
    let stored = u32::from_le_bytes(good[2064..2068].try_into().unwrap()) ^ 0x4000;
    assert_eq!(
        e[0],
        Finding::EdcMismatch {
            stored,
            computed: stored ^ 0x4000
        }
    );
    assert!(e[0].to_string().starts_with("EDC mismatch: stored 0x"));

    let p = find(2100);
    assert_eq!(p[0], Finding::EccPMismatch { bytes: 1 });
    assert!(matches!(p[1], Finding::EccQMismatch { .. }));
    assert_eq!(p.len(), 2);

    let q = find(2300);
    assert_eq!(q, vec![Finding::EccQMismatch { bytes: 1 }]);
    assert_eq!(q[0].to_string(), "ECC Q mismatch: 1 of 104 bytes");

    let h = find(13);
    assert!(
        matches!(h[0], Finding::HeaderAddress { lead_in: false, .. }),
        "{h:?}"
    );
    assert_eq!(h[0].severity(), Severity::Error);
    assert!(h[0].to_string().starts_with("header address 00 "));

    let r = find(2070);
    assert!(r.contains(&Finding::Mode1ReservedNotZero { offset: 2070 }));

    let mut bad_mode = good;
    bad_mode[15] = 7;
    let c = check_sector(&bad_mode, lba, false);
    assert_eq!(c.kind, SectorKind::UnknownMode(7));
    assert!(c.findings.contains(&Finding::UnknownMode(7)));
}

#[test]
fn mode2_and_mode0_errors_are_named() {
    let lba = 77;
    let f1 = build_mode2_form1(lba, FORM1_SUBHEADER, &ramp_user());
    // Header change does not affect form 1 EDC/ECC (header zeroed).
    let h = check_sector(&flipped(&f1, 14), lba, false).findings;
    assert_eq!(h.len(), 1);
    assert!(matches!(h[0], Finding::HeaderAddress { .. }));
    let u = check_sector(&flipped(&f1, 1000), lba, false).findings;
    assert!(matches!(u[0], Finding::EdcMismatch { .. }));
    assert!(u.contains(&Finding::EccPMismatch { bytes: 2 }));
    let sh = check_sector(&flipped(&f1, 21), lba, false).findings;
    assert!(matches!(sh[0], Finding::SubheaderCopiesDiffer { .. }));

    let f2 = build_mode2_form2_parts(lba, FORM2_SUBHEADER, &[9; 2324]);
    let e = check_sector(&flipped(&f2, 2000), lba, false).findings;
    assert_eq!(e.len(), 1);
    assert!(matches!(e[0], Finding::EdcMismatch { .. }));

    let m0 = flipped(&build_mode0(lba), 1234);
    assert_eq!(
        check_sector(&m0, lba, false).findings,
        vec![Finding::Mode0NotZero {
            offset: 1234,
            value: 0x40
        }]
    );

    // Type expectations.
    let c = check_sector_as(&f1, lba, false, SectorType::Mode2Form2Raw);
    assert_eq!(
        c.findings,
        vec![Finding::FormMismatch {
            expected: 2,
            found: 1
        }]
    );
    let c = check_sector_as(&f1, lba, false, SectorType::Mode1);
    assert_eq!(
        c.findings,
        vec![Finding::ModeMismatch {
            expected: 1,
            found: 2
        }]
    );
    let c = check_sector_as(&build_mode0(lba), lba, false, SectorType::Mode1);
    assert!(!c.has_errors());
    assert!(!c.is_clean());
    let c = check_sector_as(&[0u8; SECTOR_SIZE], lba, false, SectorType::Mode1);
    assert_eq!(c.findings, vec![Finding::MissingSync]);
    let c = check_sector_as(&f1, lba, false, SectorType::Audio);
    assert_eq!(c.findings, vec![Finding::UnexpectedSync]);
    assert!(!c.has_errors());
}

#[test]
fn lead_in_header_mismatch_is_a_warning() {
    let lba = -11_634;
    let mut s = build_mode1(lba, &ZERO_USER);
    assert_eq!(&s[12..15], &[0x97, 0x26, 0x66]);
    // cdrdao-style restarted address: warning only (ECC is redone so that
    // only the header differs).
    s[12..15].copy_from_slice(&[0x00, 0x00, 0x00]);
    let e = edc(&s[..2064]);
    s[2064..2068].copy_from_slice(&e.to_le_bytes());
    ecc::encode(&mut s, false);
    let c = check_sector(&s, lba, false);
    assert_eq!(c.findings.len(), 1);
    assert!(matches!(
        c.findings[0],
        Finding::HeaderAddress { lead_in: true, .. }
    ));
    assert!(!c.has_errors());
}

// ---- property ----

fn data_types() -> impl Strategy<Value = SectorType> {
    prop::sample::select(vec![
        SectorType::Mode0,
        SectorType::Mode1,
        SectorType::Mode2Form0,
        SectorType::Mode2Form1,
        SectorType::Mode2Form2,
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn encode_then_check_is_clean(
        ty in data_types(),
        lba in -22_650i32..=404_849,
        seed in any::<u64>(),
        sub in any::<[u8; 4]>(),
    ) {
        let mut x = seed | 1;
        let mut user: Vec<u8> = (0..ty.user_size()).map(|_| {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17; x as u8
        }).collect();
        match ty {
            SectorType::Mode0 => user.fill(0),
            SectorType::Mode2Form2 => {
                user[..4].copy_from_slice(&sub);
                user[4..8].copy_from_slice(&sub);
            }
            _ => {}
        }
        let mut out = [0u8; SECTOR_SIZE];
        encode_sector(ty, lba, &user, &mut out).unwrap();
        let c = check_sector_as(&out, lba, true, ty);
        prop_assert!(c.is_clean(), "{:?}", c.findings);
        if ty != SectorType::Mode2Form0 {
            prop_assert!(check_sector(&out, lba, true).is_clean());
        }
        encode_zero_sector(ty, lba, &mut out);
        prop_assert!(check_sector_as(&out, lba, true, ty).is_clean());
        // Raw passthrough of the encoded sector checks the same.
        let raw = SectorType::from_imapi(ty.imapi_value() + 4).filter(|_| ty != SectorType::Mode0);
        if let Some(raw) = raw {
            let mut copy = [0u8; SECTOR_SIZE];
            encode_sector(raw, lba, &out, &mut copy).unwrap();
            prop_assert!(check_sector_as(&copy, lba, true, raw).is_clean());
        }
    }

    #[test]
    fn checker_never_panics(bytes in prop::collection::vec(any::<u8>(), SECTOR_SIZE), lba in any::<i32>(), sync in any::<bool>(), scr in any::<bool>()) {
        let mut s: [u8; SECTOR_SIZE] = bytes.try_into().unwrap();
        if sync {
            s[..12].copy_from_slice(&SYNC);
        }
        for ty in SectorType::ALL {
            let _ = check_sector_as(&s, lba, scr, ty);
        }
        let _ = check_sector(&s, lba, scr);
    }
}

#[test]
#[ignore]
fn bench_mode1_throughput() {
    const N: usize = 20_000;
    let user = ramp_user();
    let mut out = [0u8; SECTOR_SIZE];
    let mut acc = 0u8;
    let start = std::time::Instant::now();
    for i in 0..N {
        encode_sector(SectorType::Mode1, i as i32, &user, &mut out).unwrap();
        acc ^= out[2351];
    }
    let secs = start.elapsed().as_secs_f64();
    let mb = (N * SECTOR_SIZE) as f64 / 1e6;
    println!(
        "mode 1 encode (EDC+ECC+scramble), 1 thread: {N} sectors in {:.3} s = {:.0} MB/s, {:.0} sectors/s (x{acc})",
        secs,
        mb / secs,
        N as f64 / secs
    );
    let start = std::time::Instant::now();
    let mut bad = 0;
    for i in 0..N {
        encode_sector(SectorType::Mode1, i as i32, &user, &mut out).unwrap();
        bad += check_sector(&out, i as i32, true).findings.len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "mode 1 encode + check, 1 thread: {:.0} MB/s ({bad} findings)",
        mb / secs
    );
}

#[test]
#[ignore]
fn bench_sector_parts() {
    // Per-sector time of each stage (release mode, --ignored --nocapture).
    const N: usize = 20_000;
    let mut s = build_mode1(5, &ramp_user());
    let t = std::time::Instant::now();
    let mut a = 0u32;
    for _ in 0..N {
        s[20] = s[20].wrapping_add(1);
        a ^= edc(&s[..2064]);
    }
    println!("edc {:.2} us", t.elapsed().as_secs_f64() * 1e6 / N as f64);
    let t = std::time::Instant::now();
    for _ in 0..N {
        s[20] = s[20].wrapping_add(1);
        ecc::encode_p(&mut s);
    }
    println!("p {:.2} us", t.elapsed().as_secs_f64() * 1e6 / N as f64);
    let t = std::time::Instant::now();
    for _ in 0..N {
        s[20] = s[20].wrapping_add(1);
        ecc::encode_q(&mut s);
    }
    println!("q {:.2} us", t.elapsed().as_secs_f64() * 1e6 / N as f64);
    let t = std::time::Instant::now();
    for _ in 0..N {
        scramble(&mut s);
    }
    println!(
        "scramble {:.2} us (x{a})",
        t.elapsed().as_secs_f64() * 1e6 / N as f64
    );
}
