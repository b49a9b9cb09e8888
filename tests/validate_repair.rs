//! `repair_file` regenerates Q and EDC/ECC where only those were wrong and
//! says exactly what it changed; damaged data is left alone.

mod validate_util;

use rawcd::image::ImageType;
use rawcd::msf::Msf;
use rawcd::validate::{repair::repair_file, validate_file, DefectKind, Options};
use validate_util::*;

#[test]
fn repair_fixes_q_and_edc_ecc_only() {
    for ty in [ImageType::Raw, ImageType::PqOnly] {
        let mut img = Img::new(data_disc(ty));
        img.flip_q_bit(100, 17); // q_crc
        img.flip_q_bit(0, 90); // q_crc in the CRC field at the index 1 boundary
        let (p, q) = img.q(700);
        let mut d = q.data();
        d[9] ^= 0x01; // absolute frame off by one → q_position
        img.set_q(700, p, &rawcd::subcode::QFrame::from_data(d));
        img.edit_data(50, |s| {
            s[2064] ^= 0xFF;
            rawcd::sector::ecc::encode(s, false);
        }); // edc only
        img.main_mut(400)[2300] ^= 0x55; // ecc only
        img.main_mut(60)[500] ^= 0x01; // data damaged: edc + ecc, not repairable

        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.img");
        let output = dir.path().join("out.img");
        std::fs::write(&input, &img.bytes).unwrap();
        let opts = Options {
            start: Some(Msf::from_lba(FROM).unwrap()),
            ..Options::default()
        };
        let before = validate_file(&input, &opts).unwrap();
        let kinds: Vec<_> = before.defects.iter().map(|d| (d.lba, d.kind)).collect();
        assert_eq!(
            kinds,
            [
                (0, DefectKind::QCrc),
                (50, DefectKind::Edc),
                (60, DefectKind::Edc),
                (60, DefectKind::Ecc),
                (100, DefectKind::QCrc),
                (400, DefectKind::Ecc),
                (700, DefectKind::QPosition)
            ],
            "{ty}\n{}",
            show(&before)
        );
        let rep = repair_file(&input, &output, &before, &opts).unwrap();
        let changed: Vec<_> = rep.changes.iter().map(|c| (c.lba, c.kind)).collect();
        assert_eq!(
            changed,
            [
                (0, DefectKind::QCrc),
                (50, DefectKind::Edc),
                (100, DefectKind::QCrc),
                (400, DefectKind::Ecc),
                (700, DefectKind::QPosition)
            ],
            "{rep}"
        );
        assert_eq!(rep.not_repaired.len(), 1, "{rep}");
        let after = validate_file(&output, &opts).unwrap();
        let left: Vec<_> = after.defects.iter().map(|d| (d.lba, d.kind)).collect();
        assert_eq!(
            left,
            [(60, DefectKind::Edc), (60, DefectKind::Ecc)],
            "{}",
            show(&after)
        );
        // the input is untouched and no temporary file is left behind
        assert_eq!(std::fs::read(&input).unwrap(), img.bytes);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
