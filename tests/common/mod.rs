//! Shared test helpers: materialise the corpus layouts (and the source files
//! `corpus/layouts/files.json` describes) in a temporary directory.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The repository's `corpus/` folder.
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|p| p.join("corpus/layouts").is_dir())
        .expect("corpus/layouts exists above the crate")
        .join("corpus")
}

#[derive(Deserialize)]
struct FileSpec {
    sectors: u32,
    sector_size: usize,
    seed: u8,
    #[serde(default)]
    mode1_from_lba: Option<i32>,
}

/// Writes every file of `corpus/layouts/files.json` into `dir`.
pub fn write_sources(dir: &Path) {
    let manifest = std::fs::read_to_string(corpus().join("layouts/files.json")).unwrap();
    let specs: BTreeMap<String, serde_json::Value> = serde_json::from_str(&manifest).unwrap();
    for (name, value) in specs {
        if name.starts_with('_') {
            continue;
        }
        let spec: FileSpec = serde_json::from_value(value).unwrap();
        let mut bytes = Vec::with_capacity(spec.sectors as usize * spec.sector_size);
        for s in 0..spec.sectors as usize {
            let start = s * spec.sector_size;
            let sector: Vec<u8> = (start..start + spec.sector_size)
                .map(|i| (i as u64).wrapping_mul(7).wrapping_add(spec.seed as u64) as u8)
                .collect();
            match spec.mode1_from_lba {
                Some(lba) => {
                    let user: [u8; 2048] = sector[..2048].try_into().unwrap();
                    bytes.extend_from_slice(&rawcd::sector::build::build_mode1(
                        lba + s as i32,
                        &user,
                    ));
                }
                None => bytes.extend_from_slice(&sector),
            }
        }
        std::fs::write(dir.join(&name), bytes).unwrap();
    }
}

/// Copies layout `name` from the corpus into `dir` beside freshly written
/// sources; returns its path there.
pub fn materialise(name: &str, dir: &Path) -> PathBuf {
    write_sources(dir);
    let to = dir.join(name);
    std::fs::copy(corpus().join("layouts").join(name), &to).unwrap();
    to
}
