//! Property tests of the image creator: for random IMAPI-style layouts, every
//! sector's decoded Q agrees with its position, and the lead-in TOC read back
//! from Q equals `expected_toc()`.

use std::collections::BTreeMap;
use std::io::Read;

use proptest::prelude::*;
use rawcd::image::{ImageType, RawCdImageCreator, Synthetic};
use rawcd::msf::{Msf, IMAGE_START_LBA};
use rawcd::sector::SectorType;
use rawcd::subcode::{pack, QContent, TocEntry};

fn silence(sectors: u32) -> Synthetic {
    Synthetic::silence(sectors as u64)
}

#[derive(Debug, Clone)]
struct Spec {
    start: u32,
    disable_gapless: bool,
    mcn: bool,
    tracks: Vec<(u32, Vec<u32>, bool)>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        1u32..=95,
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(
            (
                300u32..900,
                prop::collection::vec(10u32..880, 0..3),
                any::<bool>(),
            ),
            1..5,
        ),
    )
        .prop_map(|(start, disable_gapless, mcn, tracks)| Spec {
            start,
            disable_gapless,
            mcn,
            tracks,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]

    #[test]
    fn every_sector_q_matches_its_position_and_leadin_matches_toc(s in spec()) {
        let mut c = RawCdImageCreator::new();
        c.set_resulting_image_type(ImageType::Raw).unwrap();
        c.set_disable_gapless_audio(s.disable_gapless).unwrap();
        c.set_starting_track_number(s.start).unwrap();
        if s.mcn {
            c.set_media_catalog_number("0123456789012").unwrap();
        }
        let mut added = 0;
        for (len, idx, isrc) in &s.tracks {
            if c.add_track(SectorType::Audio, silence(*len)).is_err() {
                break; // track number above 99
            }
            added += 1;
            let mut t = c.track_info(added).unwrap();
            for &o in idx {
                let _ = t.add_track_index(o as i32); // too-close offsets are refused
            }
            if *isrc {
                t.set_isrc("USRC17607839").unwrap();
            }
        }
        prop_assume!(added > 0);
        let toc = c.expected_toc().unwrap();
        let plan = c.layout().unwrap().plan().unwrap();
        let mut img = c.create_result_image().unwrap();
        let mut rec = [0u8; 2448];
        let mut lba = IMAGE_START_LBA;
        let mut seen_points = BTreeMap::new();
        let mut catalogue_frames = 0;
        while img.read_exact(&mut rec).is_ok() {
            let sub: &[u8; 96] = rec[2352..].try_into().unwrap();
            let (_, q) = pack::unraw96(sub);
            prop_assert!(q.crc_ok(), "bad CRC at LBA {}", lba);
            match q.decode().unwrap() {
                QContent::LeadIn { entry, time, .. } => {
                    prop_assert!(lba < -150);
                    prop_assert_eq!(time, Msf::from_lba(lba).unwrap());
                    let key = match entry {
                        TocEntry::FirstTrack { .. } => 0xA0,
                        TocEntry::LastTrack { .. } => 0xA1,
                        TocEntry::LeadOut { .. } => 0xA2,
                        TocEntry::Track { number, .. } => number as u32,
                        TocEntry::Other { point, .. } => point as u32 + 0x100,
                    };
                    seen_points.insert(key, entry);
                }
                QContent::Position { track, index, relative, absolute, .. } => {
                    prop_assert_eq!(absolute, Msf::from_program_lba(lba).unwrap(), "LBA {}", lba);
                    if lba >= toc.leadout_lba {
                        prop_assert_eq!((track, index), (0xAA, 1));
                        prop_assert_eq!(relative.frames() as i32, lba - toc.leadout_lba);
                    } else {
                        let t = plan.track_at(lba).unwrap();
                        prop_assert_eq!(track, t.number, "LBA {}", lba);
                        prop_assert_eq!(index, t.index_at(lba), "LBA {}", lba);
                        let rel = if index == 0 { t.start - lba } else { lba - t.start };
                        prop_assert_eq!(relative.frames() as i32, rel, "LBA {}", lba);
                    }
                }
                QContent::Mcn { .. } | QContent::Isrc { .. } => {
                    prop_assert!((-150..toc.leadout_lba).contains(&lba));
                    prop_assert!(matches!(lba.rem_euclid(100), 99 | 0 | 49 | 50), "LBA {}", lba);
                    catalogue_frames += 1;
                }
                other => prop_assert!(false, "unexpected Q {:?} at LBA {}", other, lba),
            }
            lba += 1;
        }
        prop_assert_eq!(lba, toc.leadout_lba + 6750);
        if s.mcn {
            prop_assert!(catalogue_frames >= (toc.leadout_lba + 150) / 100 - 1);
        }
        // The lead-in TOC read back from Q equals expected_toc().
        prop_assert_eq!(seen_points.get(&0xA0), Some(&TocEntry::FirstTrack { track: toc.first_track, disc_type: 0 }));
        prop_assert_eq!(seen_points.get(&0xA1), Some(&TocEntry::LastTrack { track: toc.last_track }));
        prop_assert_eq!(seen_points.get(&0xA2), Some(&TocEntry::LeadOut { start: Msf::from_program_lba(toc.leadout_lba).unwrap() }));
        prop_assert_eq!(seen_points.len(), toc.tracks.len() + 3);
        for t in &toc.tracks {
            prop_assert_eq!(
                seen_points.get(&(t.number as u32)),
                Some(&TocEntry::Track { number: t.number, start: Msf::from_program_lba(t.start_lba).unwrap() })
            );
        }
    }

    #[test]
    fn msf_lba_round_trip_over_the_whole_range(lba in -45_150i32..=404_849) {
        let m = Msf::from_lba(lba).unwrap();
        prop_assert_eq!(m.to_lba(), lba);
        prop_assert_eq!(Msf::from_bcd(m.to_bcd()).unwrap(), m);
        prop_assert_eq!(m.to_string().parse::<Msf>().unwrap(), m);
    }
}
