//! Clean creator images validate with zero defects; the TOC seen matches the
//! plan's.

mod validate_util;

use rawcd::image::ImageType;
use rawcd::validate::{Media, Options};
use validate_util::*;

const TYPES: [ImageType; 3] = [ImageType::Raw, ImageType::Cooked, ImageType::PqOnly];

#[test]
fn audio_images_are_clean_gapless_and_gapped() {
    for ty in TYPES {
        for gapless in [true, false] {
            let img = audio_disc(ty, gapless);
            let toc = img.plan().toc();
            let img = Img::new(img);
            let r = img.validate(&Options::default());
            assert!(r.is_clean(), "{ty} gapless={gapless}\n{}", show(&r));
            let seen = r.toc.clone().unwrap();
            assert_eq!(seen.leadout_lba, toc.leadout_lba);
            assert_eq!(seen.mcn, toc.mcn);
            for (a, b) in seen.tracks.iter().zip(&toc.tracks) {
                assert_eq!(a.number, b.number);
                assert_eq!(a.start_lba, b.start_lba);
                assert_eq!(a.control & 0xD, b.control & 0xD);
                assert_eq!(a.isrc, b.isrc);
                assert_eq!(a.indexes, b.indexes, "{ty} gapless={gapless}");
            }
            // gapless tracks keep fewer than 300 index-1 sectors: warnings only
            if gapless {
                assert!(r.warnings.iter().any(|w| w.kind.name() == "layout"));
            }
        }
    }
}

#[test]
fn data_images_are_clean() {
    for ty in TYPES {
        let img = data_disc(ty);
        let toc = img.plan().toc();
        let img = Img::new(img);
        let r = img.validate(&Options {
            media: Some(Media::Cdr74),
            ..Options::default()
        });
        assert!(r.is_clean(), "{ty}\n{}", show(&r));
        let seen = r.toc.unwrap();
        let starts: Vec<_> = seen.tracks.iter().map(|t| t.start_lba).collect();
        let want: Vec<_> = toc.tracks.iter().map(|t| t.start_lba).collect();
        assert_eq!(starts, want);
        assert_eq!(seen.tracks[1].sector_type.name(), "mode2_form1");
    }
}

#[test]
fn external_toc_is_compared() {
    let img = data_disc(ImageType::Raw);
    let mut toc = img.plan().toc();
    let img = Img::new(img);
    let r = img.validate(&Options {
        toc: Some(toc.clone()),
        ..Options::default()
    });
    assert!(r.is_clean(), "{}", show(&r));
    toc.tracks[1].start_lba += 5;
    let r = img.validate(&Options {
        toc: Some(toc),
        ..Options::default()
    });
    assert_eq!(r.defect_count, 1, "{}", show(&r));
    assert_eq!(r.defects[0].kind.name(), "toc_mismatch");
}

#[test]
fn json_has_the_issue_shape() {
    let img = Img::new(audio_disc(ImageType::PqOnly, true));
    let r = img.validate(&Options::default());
    let v: serde_json::Value = serde_json::to_value(&r).unwrap();
    for k in ["format", "sectors", "defects", "toc", "warnings", "counts"] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    assert_eq!(v["format"], "imapi-pq (2368)");
}
