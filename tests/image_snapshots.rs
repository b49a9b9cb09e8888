//! Snapshots, for every layout in `corpus/layouts/`, of the table of contents
//! (`rawcd toc`, text and JSON) and of the decoded P/Q sub-channel at the
//! edges of every region: lead-in start and end, pregaps, index changes,
//! track starts, the first MCN/ISRC frames and the lead-out.

mod common;

use std::collections::BTreeSet;

use rawcd::image::{ImageType, ResultImage, SourceStream};
use rawcd::msf::{Lba, Msf, IMAGE_START_LBA, LEADOUT_SECTORS};
use rawcd::subcode::pack;

/// The LBAs worth a look in a plan.
fn edges(plan: &rawcd::layout::Plan) -> BTreeSet<Lba> {
    let mut set = BTreeSet::new();
    for lba in [
        IMAGE_START_LBA,
        IMAGE_START_LBA + 1,
        IMAGE_START_LBA + 3,
        -151,
        -150,
        -149,
        -1,
        0,
        1,
        49,
        99,
        100,
    ] {
        set.insert(lba);
    }
    for t in &plan.tracks {
        for lba in [
            t.extent_start - 1,
            t.extent_start,
            t.start - 1,
            t.start,
            t.start + 1,
            t.end - 1,
        ] {
            set.insert(lba);
        }
        for &i in &t.indexes {
            set.insert(i - 1);
            set.insert(i);
        }
    }
    let lo = plan.leadout;
    for lba in [
        lo - 1,
        lo,
        lo + 1,
        lo + 149,
        lo + 150,
        lo + 168,
        lo + 169,
        lo + LEADOUT_SECTORS - 1,
    ] {
        set.insert(lba);
    }
    set.retain(|&l| (IMAGE_START_LBA..lo + LEADOUT_SECTORS).contains(&l));
    set
}

#[test]
fn layouts_toc_and_q_edges() {
    insta::glob!("../corpus", "layouts/[0-9]*", |path| {
        let dir = tempfile::tempdir().unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let copy = common::materialise(name, dir.path());
        let loaded = rawcd::formats::load(&copy).unwrap();
        let plan = loaded.layout.plan().unwrap();
        let toc = plan.toc();
        let mut out = format!("{toc}");
        for w in loaded.warnings.iter().chain(&plan.warnings) {
            out.push_str(&format!(
                "warning: {}\n",
                w.replace(&dir.path().display().to_string(), "$DIR")
            ));
        }
        out.push_str("\n--- rawcd toc --json\n");
        out.push_str(&serde_json::to_string(&toc).unwrap());
        out.push_str("\n\n--- P/Q at region edges (raw P-W image)\n");
        let sources: Vec<(String, SourceStream)> = loaded
            .layout
            .sources
            .iter()
            .map(|s| {
                let f: SourceStream = Box::new(std::fs::File::open(&s.name).unwrap());
                (s.name.clone(), f)
            })
            .collect();
        let mut image = ResultImage::new(plan.clone(), ImageType::Raw, sources);
        let mut rec = vec![0u8; 2448];
        for lba in edges(&plan) {
            image.sector_at(lba, &mut rec).unwrap();
            let sub: &[u8; 96] = rec[2352..].try_into().unwrap();
            let (p, q) = pack::unraw96(sub);
            let msf = if lba < -150 {
                Msf::from_lba(lba)
            } else {
                Msf::from_program_lba(lba)
            }
            .unwrap();
            out.push_str(&format!("{lba:>7} {msf} P={} {q}\n", p as u8));
        }
        insta::assert_snapshot!(out);
    });
}
