//! Scenario files (`corpus/scenarios/*.json`): what to burn, on which drive
//! profile and media, with which writer settings and faults, and what must
//! come out — the disc as read back, or a named IMAPI error.
//!
//! Known deviations of particular drive profiles are data here
//! (`known_failures`), visible in review, not code.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use rawcd::image::ImageType;
use rawcd::transport::fault_injector::FaultRule;
use rawcd::Lba;

/// One scenario.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Name (defaults to the file stem).
    #[serde(default)]
    pub name: String,
    /// What the scenario proves, in a sentence.
    pub summary: String,
    /// Drive profile: a built-in name or a profile JSON path.
    #[serde(default = "default_profile")]
    pub profile: String,
    /// Media: a built-in name (`cdr74`, `cdr80`, …, `none`).
    #[serde(default = "default_media")]
    pub media: String,
    /// The disc to burn.
    pub disc: DiscSpec,
    /// Image type the creator produces.
    #[serde(default = "default_image_type")]
    pub image_type: ImageType,
    /// Writer settings.
    #[serde(default)]
    pub writer: WriterSettings,
    /// Faults injected at the transport (any drive, physical included), as
    /// `FaultInjector` rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transport_faults: Vec<FaultRule>,
    /// Drive-state faults of the emulator.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drive_faults: Vec<DriveFault>,
    /// Cancel the write once this LBA has been written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_at_lba: Option<Lba>,
    /// The expected outcome.
    pub expect: Expect,
    /// Whether the scenario writes to the disc (only non-destructive ones run
    /// on a physical drive without `--allow-burn`).
    #[serde(default = "yes")]
    pub destructive: bool,
    /// Profiles on which the scenario is known to fail, with the reason.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub known_failures: BTreeMap<String, String>,
}

fn default_profile() -> String {
    "default".into()
}

fn default_media() -> String {
    "cdr80".into()
}

fn default_image_type() -> ImageType {
    ImageType::Raw
}

fn yes() -> bool {
    true
}

/// The disc a scenario burns.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum DiscSpec {
    /// A layout file in `corpus/layouts/` (sources generated from `files.json`).
    Layout(String),
    /// IMAPI-style audio tracks made with the creator from generated streams.
    Audio(AudioDisc),
}

/// Audio tracks through `RawCdImageCreator`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AudioDisc {
    /// Sectors of each track's stream.
    pub tracks: Vec<u32>,
    /// `DisableGaplessAudio`.
    #[serde(default)]
    pub disable_gapless: bool,
    /// Media catalogue number.
    #[serde(default)]
    pub mcn: Option<String>,
    /// ISRC per track (`null` for none).
    #[serde(default)]
    pub isrc: Vec<Option<String>>,
    /// Extra index offsets per track.
    #[serde(default)]
    pub indexes: Vec<Vec<i32>>,
    /// `StartingTrackNumber`.
    #[serde(default)]
    pub starting_track: Option<u32>,
    /// Sectors of a special (hidden) pregap.
    #[serde(default)]
    pub special_pregap: Option<u32>,
}

/// Writer settings of a scenario.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WriterSettings {
    /// `RequestedSectorType` (default: the image type).
    #[serde(default)]
    pub sector_type: Option<ImageType>,
    /// Write speed in sectors per second (`SetWriteSpeed`).
    #[serde(default)]
    pub speed: Option<u32>,
    /// `BufferUnderrunFreeDisabled`.
    #[serde(default)]
    pub buf_disabled: bool,
    /// Test write (simulate).
    #[serde(default)]
    pub simulate: bool,
    /// `WriteMedia2` lead-in sectors: the stream then starts at LBA −N
    /// (default 22650, `WriteMedia`).
    #[serde(default)]
    pub lead_in_sectors: Option<u32>,
    /// Client name (default "rawcd-conformance"; empty tests the error).
    #[serde(default)]
    pub client_name: Option<String>,
    /// Bytes cut off the end of the image stream.
    #[serde(default)]
    pub truncate_bytes: Option<u64>,
}

/// An emulator drive-state fault and when it strikes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DriveFault {
    /// Fault name: `no_media`, `becoming_ready`, `upside_down`,
    /// `format_in_progress`, `busy`, `write_protected`, `incompatible_media`,
    /// `speed_mismatch`, `loss_of_streaming`, `write_error`, `power_loss`,
    /// `medium_removed`, `device_gone`, `command_timeout`, `invalid_response`,
    /// or `host_stall` (the host stops feeding the drive for `millis` of
    /// virtual time at `lba`).
    pub fault: String,
    /// LBA for `power_loss`; the LBA at which a write-time fault is armed.
    #[serde(default)]
    pub lba: Option<Lba>,
    /// Polls for `becoming_ready`.
    #[serde(default)]
    pub polls: Option<u32>,
    /// Virtual milliseconds of a `host_stall`.
    #[serde(default)]
    pub millis: Option<u64>,
}

/// What must come out.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case", tag = "outcome")]
pub enum Expect {
    /// The burn succeeds; the disc read back must match.
    Success {
        /// Compare READ TOC with the creator's expected TOC.
        #[serde(default = "yes")]
        toc: bool,
        /// Compare every sector from LBA −150 to the end of the lead-out.
        #[serde(default = "yes")]
        sectors: bool,
        /// A test write: the disc must still be blank afterwards.
        #[serde(default)]
        blank_after: bool,
    },
    /// The write fails with this IMAPI error.
    Error {
        /// The HRESULT, e.g. `0xC0AA0606`.
        hresult: String,
        /// Its IMAPI name, for readers.
        name: String,
        /// The disc must open as damaged afterwards.
        #[serde(default)]
        damaged: bool,
    },
}

impl Expect {
    /// The expected HRESULT, if the scenario expects an error.
    pub fn hresult(&self) -> Option<u32> {
        match self {
            Expect::Error { hresult, .. } => u32::from_str_radix(
                hresult.trim_start_matches("0x").trim_start_matches("0X"),
                16,
            )
            .ok(),
            Expect::Success { .. } => None,
        }
    }
}

impl Scenario {
    /// Reads a scenario file; the name defaults to the file stem.
    pub fn load(path: &Path) -> Result<Scenario, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut s: Scenario = serde_json::from_str(&text)
            .map_err(|e| format!("{}:{}: {e}", path.display(), e.line()))?;
        if s.name.is_empty() {
            s.name = path
                .file_stem()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
        }
        if let Expect::Error { hresult, .. } = &s.expect {
            if s.expect.hresult().is_none() {
                return Err(format!(
                    "{}: expect.hresult '{hresult}' is not a hex HRESULT",
                    path.display()
                ));
            }
        }
        Ok(s)
    }

    /// Every scenario in a folder, sorted by file name.
    pub fn load_dir(dir: &Path) -> Result<Vec<Scenario>, String> {
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        paths.sort();
        paths.iter().map(|p| Scenario::load(p)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenarios_dir() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus/scenarios")
    }

    #[test]
    fn every_corpus_scenario_loads() {
        let all = Scenario::load_dir(&scenarios_dir()).unwrap();
        assert!(all.len() >= 40, "only {} scenarios", all.len());
        let mut names: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
        names.dedup();
        assert_eq!(names.len(), all.len());
    }

    #[test]
    fn unknown_fields_and_bad_hresults_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.json");
        std::fs::write(&p, r#"{"summary": "s", "disc": {"layout": "a"}, "expect": {"outcome": "success"}, "colour": 1}"#).unwrap();
        assert!(Scenario::load(&p).unwrap_err().contains("colour"));
        std::fs::write(&p, r#"{"summary": "s", "disc": {"layout": "a"}, "expect": {"outcome": "error", "hresult": "zz", "name": "n"}}"#).unwrap();
        assert!(Scenario::load(&p)
            .unwrap_err()
            .contains("not a hex HRESULT"));
    }
}
