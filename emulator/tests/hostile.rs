//! Hostile input: random CDBs with random parameter data, and random
//! command sequences, never panic and always give a well-formed outcome.

mod common;

use common::*;
use proptest::prelude::*;
use rawcd::transport::{DataPhase, Status, Transport};
use rawcd_emulator::Emulator;

fn well_formed(o: &rawcd::transport::CommandOutcome, offered: usize) -> bool {
    match o.status {
        Status::Good => o.sense.is_none() && o.residual <= offered,
        Status::CheckCondition => o.sense_data.len() == 18 && o.sense.is_some(),
        _ => false,
    }
}

const OPS: [u8; 30] = [
    0x00, 0x01, 0x03, 0x12, 0x1b, 0x1e, 0x25, 0x28, 0x2a, 0x35, 0x42, 0x43, 0x46, 0x4a, 0x51, 0x52,
    0x54, 0x55, 0x5a, 0x5b, 0x5c, 0x5d, 0xa1, 0xaa, 0xac, 0xb9, 0xbb, 0xbe, 0x3c, 0xff,
];

fn cdb_strategy() -> impl Strategy<Value = (Vec<u8>, Vec<u8>, bool)> {
    (
        prop::sample::select(OPS.to_vec()),
        prop::collection::vec(any::<u8>(), 0..16),
        prop::collection::vec(any::<u8>(), 0..300),
        any::<bool>(),
    )
        .prop_map(|(op, mut rest, data, dir_in)| {
            rest.insert(0, op);
            (rest, data, dir_in)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_cdbs_never_panic(cmds in prop::collection::vec(cdb_strategy(), 1..30),
                               media in prop::sample::select(vec!["cdr80", "cdrw", "cdrw-written", "none"])) {
        let mut e = Emulator::builtin("default", media).unwrap();
        for (cdb, data, dir_in) in cmds {
            let mut buf = vec![0u8; 256];
            let offered = if dir_in { buf.len() } else { 0 };
            let phase = if dir_in { DataPhase::In(&mut buf) } else { DataPhase::Out(&data) };
            let o = e.execute(&cdb, phase, T).unwrap();
            prop_assert!(well_formed(&o, offered), "{:02x?} -> {:?}", cdb, o);
        }
    }

    #[test]
    fn random_write_sequences_keep_invariants(steps in prop::collection::vec((0u8..6, -11700i32..2000, 0u16..40), 1..40)) {
        let mut e = Emulator::builtin("default", "cdr80").unwrap();
        for (kind, lba, n) in steps {
            let o = match kind {
                0 => select_page05(&mut e, 3, (lba.rem_euclid(4)) as u8, false),
                1 => write10(&mut e, lba, n, &vec![0u8; n as usize * 2448]),
                2 => write10(&mut e, -11634, n, &vec![0u8; n as usize * 2368]),
                3 => none(&mut e, &hex("35 02 00 00 00 00 00 00 00 00")),
                4 => read_cd_raw(&mut e, lba, u32::from(n)).0,
                _ => data_in(&mut e, &hex("52 01 00 00 00 ff 00 00 24 00"), 36).0,
            };
            prop_assert!(well_formed(&o, 36usize.max(n as usize * 2448)), "{:?}", o);
        }
    }

    #[test]
    fn random_tao_sequences_keep_invariants(steps in prop::collection::vec((0u8..8, 0u8..16, -200i32..1200, 0u16..30), 1..40),
                                            test in any::<bool>()) {
        let mut e = Emulator::builtin("default", "cdr80").unwrap();
        for (kind, x, lba, n) in steps {
            let size = [2352usize, 2368, 2448, 2448, 0, 0, 0, 0, 2048, 2336, 2048, 2056, 2324, 2332, 0, 0][usize::from(x)];
            let o = match kind {
                0 => {
                    let mut list = vec![0u8; 60];
                    list[8..14].copy_from_slice(&[0x05, 0x32, 0x01 | if test { 0x10 } else { 0 }, x & 0x0f, x, 0]);
                    data_out(&mut e, &hex("55 10 00 00 00 00 00 00 3c 00"), &list)
                }
                1 | 2 => write10(&mut e, lba, n, &vec![x; n as usize * size.max(1)]),
                3 => none(&mut e, &[0x5b, 0, 1, 0, 0, x, 0, 0, 0, 0]),
                4 => none(&mut e, &[0x5b, x & 1, 2, 0, 0, 0, 0, 0, 0, 0]),
                5 => none(&mut e, &hex("35 02 00 00 00 00 00 00 00 00")),
                6 => read_cd_raw(&mut e, lba, u32::from(n)).0,
                _ => data_in(&mut e, &[0x52, x & 3, 0, 0, 0, lba as u8, 0, 0, 0x24, 0], 36).0,
            };
            prop_assert!(well_formed(&o, 36usize.max(n as usize * 2448)), "{:?}", o);
        }
    }
}
