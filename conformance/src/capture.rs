//! Drive profile capture: asks a recorder — physical, or the built-in
//! virtual one — what it is and what it accepts, and writes the answers as
//! the emulator's [`DriveProfile`], so a lab's drive can be replayed in CI
//! with `--emulate corpus/drives/NAME.json`.
//!
//! What is asked, in order (every command is harmless: nothing is written
//! to the disc, and page 05h is put back as it was found):
//!
//! 1. TEST UNIT READY: a pending 6/29/xx (power on / reset) sets
//!    `power_on_unit_attention`; further UNIT ATTENTIONs are drained.
//! 2. INQUIRY (36 bytes): vendor, product, revision.
//! 3. GET CONFIGURATION (RT=10b) of features 0000h, 002Dh and 002Eh: the
//!    profile list, the TAO and CD Mastering bits, the maximum cue sheet
//!    length. 5/20/00 means the command does not exist (an MMC-2 drive):
//!    `get_configuration: false`.
//! 4. MODE SENSE(10) page 2Ah: CD-R / CD-RW write bits, test write, BUF,
//!    buffer size, maximum read speed, the write speed descriptors.
//! 5. GET PERFORMANCE type 03h: write speeds in kB/s (page 2Ah descriptors,
//!    then its maximum write speed, when it gives none).
//! 6. MODE SENSE(10) page 05h (saved), then one trial MODE SELECT(10) per
//!    write type (packet, TAO, SAO, RAW) × defined data block type (0–3,
//!    8–13): GOOD means accepted, ILLEGAL REQUEST refused — the way real
//!    clients discover capabilities. One more trial of RAW with the Test
//!    Write bit gives `raw_test_write`. Finally the saved page is selected
//!    again.
//!
//! Fields that cannot be observed without burning are filled with
//! documented values and listed in [`Capture::unobserved`]:
//! `tur_good_while_finishing` (false) and `finish_polls` (3) only show while
//! a session is being closed; without GET CONFIGURATION, `profiles` is
//! derived from the page 2Ah write bits and `max_cue_sheet_length` is
//! [`FALLBACK_MAX_CUE_SHEET`]. `name` comes from `--name` (or the INQUIRY
//! product) and `description` names the drive and the capture.

use std::time::Duration;

use serde::Serialize;

use rawcd::mmc::param::features::{Configuration, FeatureCode, FeatureData};
use rawcd::mmc::param::inquiry::InquiryData;
use rawcd::mmc::param::mode::{ModePage, ModeParameterList};
use rawcd::mmc::param::mode_page_05::{self, DataBlockType, WriteParameters, WriteType};
use rawcd::mmc::param::mode_page_2a::{self, Capabilities};
use rawcd::mmc::param::performance::parse_write_speeds;
use rawcd::mmc::{
    Command, GetConfiguration, GetPerformance, Inquiry, ModeSelect10, ModeSense10, PageControl,
    RequestType, Sense, SenseKey,
};
use rawcd::transport::{default_timeout, CommandOutcome, DataPhase, Status, Transport};
use rawcd_emulator::drive::{InquiryStrings, WriteMode};
use rawcd_emulator::DriveProfile;

/// Write types tried: packet, TAO, SAO, RAW.
pub const WRITE_TYPES: [u8; 4] = [0, 1, 2, 3];
/// Data block types tried: the defined ones (0–3 raw, 8–13 data).
pub const DATA_BLOCK_TYPES: [u8; 10] = [0, 1, 2, 3, 8, 9, 10, 11, 12, 13];
/// `max_cue_sheet_length` when the drive reports no CD Mastering feature
/// (room for 99 tracks with a few indexes each).
pub const FALLBACK_MAX_CUE_SHEET: u32 = 4096;
/// `finish_polls` written to every captured profile (the emulator default).
pub const DEFAULT_FINISH_POLLS: u32 = 3;
/// Times a command is resent after UNIT ATTENTION.
const UNIT_ATTENTION_RETRIES: u32 = 4;

/// A profile field the capture could not observe, and what it wrote instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unobserved {
    /// The `DriveProfile` field.
    pub field: &'static str,
    /// The value written, as JSON.
    pub filled: String,
    /// Why it cannot be observed.
    pub why: &'static str,
}

/// Raw answers kept beside the profile (what the emulator derives instead).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Observed {
    /// INQUIRY peripheral device type (5 for CD/DVD).
    pub device_type: u8,
    /// INQUIRY version byte.
    pub version: u8,
    /// GET CONFIGURATION current profile.
    pub current_profile: Option<u16>,
    /// Feature 002Dh byte 4 and data block type mask, when reported.
    pub cd_tao: Option<(u8, u16)>,
    /// Feature 002Eh byte 4, when reported.
    pub cd_mastering_flags: Option<u8>,
    /// Whether page 2Ah answered.
    pub page_2a: bool,
    /// Where the write speeds came from.
    pub write_speeds_from: String,
    /// Whether page 05h could be read (and trial MODE SELECT run).
    pub page_05: bool,
    /// Trial MODE SELECTs sent.
    pub trials: u32,
    /// Whether the saved page 05h was selected again without complaint.
    pub page_05_restored: bool,
}

/// The result of a capture.
#[derive(Debug, Clone, Serialize)]
pub struct Capture {
    /// The profile, ready to be written as JSON.
    pub profile: DriveProfile,
    /// Fields filled without being observed.
    pub unobserved: Vec<Unobserved>,
    /// Answers the emulator derives differently, and other remarks.
    pub notes: Vec<String>,
    /// Raw answers.
    pub observed: Observed,
}

impl Capture {
    /// Whether `field` was filled without being observed.
    pub fn is_unobserved(&self, field: &str) -> bool {
        self.unobserved.iter().any(|u| u.field == field)
    }

    /// The profile as pretty JSON with a trailing newline.
    pub fn profile_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.profile).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// Why a capture stopped.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// Nothing answered.
    #[error("{command}: {source}")]
    Transport {
        /// The command.
        command: String,
        /// The transport error.
        source: rawcd::transport::TransportError,
    },
    /// The drive refused a command the capture cannot do without.
    #[error("{command}: {answer}{hint}")]
    Refused {
        /// The command.
        command: String,
        /// Status and sense.
        answer: String,
        /// What to do about it (may be empty).
        hint: String,
    },
    /// The drive answered something unusable.
    #[error("{command}: invalid response: {reason}")]
    Invalid {
        /// The command.
        command: String,
        /// What is wrong.
        reason: String,
    },
}

/// What a command got back.
enum Answer {
    /// GOOD, with the data-in bytes received.
    Good(Vec<u8>),
    /// Anything else: CHECK CONDITION (sense, if any) or another status.
    Failed(CommandOutcome),
}

fn describe(o: &CommandOutcome) -> String {
    match (o.status, o.sense) {
        (Status::CheckCondition, Some(s)) => format!("CHECK CONDITION {s}"),
        (status, _) => status.to_string(),
    }
}

fn illegal_request(o: &CommandOutcome) -> bool {
    o.status == Status::CheckCondition && o.sense.is_some_and(|s| s.key == SenseKey::IllegalRequest)
}

fn invalid_opcode(o: &CommandOutcome) -> bool {
    illegal_request(o) && o.sense.is_some_and(|s| s.asc == 0x20)
}

fn not_ready_hint(o: &CommandOutcome) -> String {
    if o.sense.is_some_and(|s| s.key == SenseKey::NotReady) {
        " — insert a disc (a blank CD-R gives the most complete answers) and try again".into()
    } else {
        String::new()
    }
}

struct Session<'a, T: Transport + ?Sized> {
    t: &'a mut T,
}

impl<T: Transport + ?Sized> Session<'_, T> {
    /// Sends `cmd`, resending after UNIT ATTENTION (bounded).
    fn ask(&mut self, cmd: &Command, mut data: DataPhase<'_>) -> Result<Answer, CaptureError> {
        let cdb = cmd.to_cdb();
        let timeout = default_timeout(cmd).min(Duration::from_secs(60));
        let mut attempt = 0;
        loop {
            let len = data.len();
            let outcome = self
                .t
                .execute(&cdb, data.reborrow(), timeout)
                .map_err(|source| CaptureError::Transport {
                    command: cmd.to_string(),
                    source,
                })?;
            if outcome.is_good() {
                let n = match &data {
                    DataPhase::In(_) => outcome.transferred(len),
                    _ => 0,
                };
                let bytes = match data.data_in() {
                    Some(b) => b[..n.min(b.len())].to_vec(),
                    None => Vec::new(),
                };
                return Ok(Answer::Good(bytes));
            }
            let ua = outcome.status == Status::CheckCondition
                && outcome.sense.map(|s| s.key) == Some(SenseKey::UnitAttention);
            if ua && attempt < UNIT_ATTENTION_RETRIES {
                attempt += 1;
                continue;
            }
            return Ok(Answer::Failed(outcome));
        }
    }

    fn ask_in(&mut self, cmd: &Command, alloc: usize) -> Result<Answer, CaptureError> {
        let mut buf = vec![0u8; alloc];
        self.ask(cmd, DataPhase::In(&mut buf))
    }

    /// TEST UNIT READY without UNIT ATTENTION retries: whether a power-on
    /// reset was pending; then drains other UNIT ATTENTIONs.
    fn power_on_pending(&mut self) -> Result<bool, CaptureError> {
        let mut power_on = false;
        for _ in 0..=UNIT_ATTENTION_RETRIES {
            let outcome = self
                .t
                .execute(
                    &Command::TestUnitReady.to_cdb(),
                    DataPhase::None,
                    default_timeout(&Command::TestUnitReady),
                )
                .map_err(|source| CaptureError::Transport {
                    command: "TEST UNIT READY".into(),
                    source,
                })?;
            match outcome.sense {
                Some(s)
                    if outcome.status == Status::CheckCondition
                        && s.key == SenseKey::UnitAttention =>
                {
                    power_on |= s.asc == Sense::POWER_ON_RESET.asc;
                }
                _ => break,
            }
        }
        Ok(power_on)
    }

    fn get_configuration(
        &mut self,
        feature: FeatureCode,
        alloc: u16,
    ) -> Result<Option<Configuration>, CaptureError> {
        let cmd = Command::GetConfiguration(GetConfiguration {
            rt: RequestType::One,
            starting_feature: feature.0,
            allocation_length: alloc,
        });
        match self.ask_in(&cmd, usize::from(alloc))? {
            Answer::Good(b) => {
                Configuration::parse(&b)
                    .map(Some)
                    .map_err(|e| CaptureError::Invalid {
                        command: cmd.to_string(),
                        reason: e.to_string(),
                    })
            }
            Answer::Failed(o) if invalid_opcode(&o) => Ok(None),
            Answer::Failed(o) => Err(CaptureError::Refused {
                command: cmd.to_string(),
                answer: describe(&o),
                hint: not_ready_hint(&o),
            }),
        }
    }

    /// Current values of one page; `None` when the drive has no such page.
    fn mode_sense(&mut self, page: u8, alloc: u16) -> Result<Option<ModePage>, CaptureError> {
        let cmd = Command::ModeSense10(ModeSense10 {
            dbd: false,
            page_control: PageControl::Current,
            page_code: page,
            subpage_code: 0,
            allocation_length: alloc,
        });
        match self.ask_in(&cmd, usize::from(alloc))? {
            Answer::Good(b) => {
                let list = ModeParameterList::parse(&b).map_err(|e| CaptureError::Invalid {
                    command: cmd.to_string(),
                    reason: e.to_string(),
                })?;
                Ok(list.page(page).cloned())
            }
            Answer::Failed(o) if illegal_request(&o) => Ok(None),
            Answer::Failed(o) => Err(CaptureError::Refused {
                command: cmd.to_string(),
                answer: describe(&o),
                hint: not_ready_hint(&o),
            }),
        }
    }

    /// MODE SELECT(10) of page 05h (PS cleared, no block descriptor):
    /// `Ok(true)` accepted, `Ok(false)` refused with ILLEGAL REQUEST.
    fn select_05(&mut self, wp: &WriteParameters) -> Result<bool, CaptureError> {
        let mut wp = wp.clone();
        wp.ps = false;
        let bytes = wp.to_bytes();
        let list = ModeParameterList {
            pages: vec![ModePage {
                ps: false,
                code: mode_page_05::PAGE_CODE,
                data: bytes.get(2..).unwrap_or_default().to_vec(),
            }],
            ..Default::default()
        };
        let data = list.to_bytes(true);
        let cmd = Command::ModeSelect10(ModeSelect10 {
            pf: true,
            sp: false,
            parameter_list_length: u16::try_from(data.len()).unwrap_or(u16::MAX),
        });
        match self.ask(&cmd, DataPhase::Out(&data))? {
            Answer::Good(_) => Ok(true),
            Answer::Failed(o) if illegal_request(&o) => Ok(false),
            Answer::Failed(o) => Err(CaptureError::Refused {
                command: format!(
                    "{cmd} (page 05h write type {}, data block type {})",
                    u8::from(wp.write_type),
                    u8::from(wp.data_block_type)
                ),
                answer: describe(&o),
                hint: not_ready_hint(&o),
            }),
        }
    }

    /// Write speeds (kB/s) from GET PERFORMANCE type 03h; empty when the
    /// drive gives none.
    fn performance_write_speeds(&mut self) -> Result<Vec<u32>, CaptureError> {
        const N: u16 = 64;
        let cmd = Command::GetPerformance(GetPerformance {
            data_type: 0,
            starting_lba: 0,
            max_descriptors: N,
            performance_type: 3,
        });
        match self.ask_in(&cmd, 8 + 16 * usize::from(N))? {
            Answer::Good(b) => Ok(parse_write_speeds(&b)
                .map(|v| v.iter().map(|d| d.write_speed).collect())
                .unwrap_or_default()),
            Answer::Failed(_) => Ok(Vec::new()),
        }
    }
}

/// Page 05h for one trial: `base` (the drive's current page) with the write
/// type, data block type and the fields a careful client sets with them
/// (the writer's raw page for RAW; track mode and session format matching
/// the block type otherwise).
pub fn trial_page(base: &WriteParameters, wt: u8, dbt: u8, test_write: bool) -> WriteParameters {
    let mut wp = base.clone();
    wp.ps = false;
    wp.write_type = WriteType::from(wt);
    wp.data_block_type = DataBlockType::from(dbt);
    wp.test_write = test_write;
    wp.bufe = false;
    wp.ls_v = false;
    wp.multi_session = 0;
    wp.copy = false;
    wp.fp = wt == 0;
    if wt == 0 {
        wp.packet_size = 32;
    }
    let data = dbt >= 8;
    wp.track_mode = if data && wt != 3 { 4 } else { 0 };
    wp.session_format = if (10..=13).contains(&dbt) && wt != 3 {
        0x20
    } else {
        0
    };
    wp
}

/// A profile name from INQUIRY strings: lower case, runs of anything but
/// letters and digits become one `-`.
pub fn slug(vendor: &str, product: &str) -> String {
    let mut s = String::new();
    for c in format!("{vendor} {product}").chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-').to_string();
    if s.is_empty() {
        "captured".into()
    } else {
        s
    }
}

/// Captures the drive behind `t`. `name` names the profile (default: a slug
/// of the INQUIRY vendor and product); `origin` says where it came from in
/// the description (e.g. `/dev/sg1`).
pub fn capture<T: Transport + ?Sized>(
    t: &mut T,
    name: Option<&str>,
    origin: &str,
) -> Result<Capture, CaptureError> {
    let mut s = Session { t };
    let mut notes = Vec::new();
    let mut unobserved = Vec::new();
    let mut observed = Observed::default();

    let power_on_unit_attention = s.power_on_pending()?;

    // INQUIRY
    let inq_cmd = Command::Inquiry(Inquiry {
        allocation_length: 36,
        ..Default::default()
    });
    let inq = match s.ask_in(&inq_cmd, 36)? {
        Answer::Good(b) => InquiryData::parse(&b).map_err(|e| CaptureError::Invalid {
            command: inq_cmd.to_string(),
            reason: e.to_string(),
        })?,
        Answer::Failed(o) => {
            return Err(CaptureError::Refused {
                command: inq_cmd.to_string(),
                answer: describe(&o),
                hint: String::new(),
            })
        }
    };
    observed.device_type = inq.device_type;
    observed.version = inq.version;
    if inq.device_type != rawcd::mmc::param::inquiry::DEVICE_TYPE_CD_DVD {
        notes.push(format!(
            "INQUIRY peripheral device type is {}, not 5 (CD/DVD)",
            inq.device_type
        ));
    }
    let inquiry = InquiryStrings {
        vendor: inq.vendor_str(),
        product: inq.product_str(),
        revision: inq.revision_str(),
    };

    // GET CONFIGURATION
    let mut profiles = Vec::new();
    let mut max_cue_sheet_length = None;
    let get_configuration = match s.get_configuration(FeatureCode::PROFILE_LIST, 256)? {
        None => false,
        Some(cfg) => {
            observed.current_profile = Some(cfg.current_profile.0);
            if let Some(FeatureData::ProfileList(list)) =
                cfg.feature(FeatureCode::PROFILE_LIST).map(|f| &f.data)
            {
                profiles = list.iter().map(|p| p.profile.0).collect();
            }
            if let Some(cfg) = s.get_configuration(FeatureCode::CD_TRACK_AT_ONCE, 16)? {
                if let Some(f) = cfg.feature(FeatureCode::CD_TRACK_AT_ONCE) {
                    observed.cd_tao = Some(match f.data {
                        FeatureData::CdTrackAtOnce {
                            flags,
                            data_block_types,
                        } => (flags, data_block_types),
                        _ => (0, 0),
                    });
                }
            }
            if let Some(cfg) = s.get_configuration(FeatureCode::CD_MASTERING, 16)? {
                if let Some(f) = cfg.feature(FeatureCode::CD_MASTERING) {
                    if let FeatureData::CdMastering {
                        flags,
                        max_cue_sheet_length: m,
                    } = f.data
                    {
                        observed.cd_mastering_flags = Some(flags);
                        max_cue_sheet_length = Some(m);
                    } else {
                        observed.cd_mastering_flags = Some(0);
                    }
                }
            }
            true
        }
    };

    // Page 2A
    let caps = s
        .mode_sense(mode_page_2a::PAGE_CODE, 256)?
        .and_then(|p| Capabilities::parse(&p.to_bytes()).ok());
    observed.page_2a = caps.is_some();
    let mastering = observed.cd_mastering_flags.unwrap_or(0);
    use rawcd::mmc::param::features::{CD_MASTERING_BUF, CD_MASTERING_TEST_WRITE};
    let (cd_r_write, cd_rw_write, test_write_2a, buf, buffer_kib, max_read) = match &caps {
        Some(c) => (
            c.cd_r_write(),
            c.cd_rw_write(),
            c.test_write(),
            c.buf() || mastering & CD_MASTERING_BUF != 0,
            c.buffer_size_kib,
            c.max_read_speed,
        ),
        None => {
            notes.push("no page 2Ah: CD-R/RW write bits, buffer size and read speed are guessed from GET CONFIGURATION".into());
            let cd_r = profiles.contains(&0x09);
            let cd_rw = profiles.contains(&0x0a);
            (
                cd_r,
                cd_rw,
                mastering & CD_MASTERING_TEST_WRITE != 0,
                mastering & CD_MASTERING_BUF != 0,
                0,
                0,
            )
        }
    };
    if !get_configuration {
        let mut p = Vec::new();
        if cd_rw_write {
            p.push(0x0a);
        }
        if cd_r_write {
            p.push(0x09);
        }
        p.push(0x08);
        unobserved.push(Unobserved {
            field: "profiles",
            filled: format!("{p:?}"),
            why: "no GET CONFIGURATION: derived from the page 2Ah CD-R/CD-RW write bits",
        });
        profiles = p;
    }
    let max_cue_sheet_length = match max_cue_sheet_length {
        Some(m) => m,
        None => {
            unobserved.push(Unobserved {
                field: "max_cue_sheet_length",
                filled: FALLBACK_MAX_CUE_SHEET.to_string(),
                why: "no CD Mastering feature (002Eh) reported",
            });
            FALLBACK_MAX_CUE_SHEET
        }
    };

    // Write speeds
    let mut speeds: Vec<u32> = if get_configuration {
        s.performance_write_speeds()?
    } else {
        Vec::new()
    };
    observed.write_speeds_from = "GET PERFORMANCE (type 03h)".into();
    if speeds.iter().all(|&k| k == 0) {
        speeds = caps
            .as_ref()
            .map(|c| c.write_speeds.iter().map(|d| u32::from(d.speed)).collect())
            .unwrap_or_default();
        observed.write_speeds_from = "page 2Ah write speed descriptors".into();
    }
    if speeds.iter().all(|&k| k == 0) {
        speeds = caps
            .as_ref()
            .map(|c| vec![u32::from(c.max_write_speed)])
            .unwrap_or_default();
        observed.write_speeds_from = "page 2Ah maximum write speed".into();
    }
    let mut write_speeds_kbps: Vec<u16> = speeds
        .iter()
        .filter(|&&k| k > 0)
        .map(|&k| u16::try_from(k).unwrap_or(u16::MAX))
        .collect();
    write_speeds_kbps.sort_unstable_by(|a, b| b.cmp(a));
    write_speeds_kbps.dedup();
    if write_speeds_kbps.is_empty() && (cd_r_write || cd_rw_write) {
        observed.write_speeds_from = "none reported".into();
        notes.push("the drive reports no write speed; the emulator will use 1x".into());
    }

    // Page 05 and trial MODE SELECT
    let mut write_modes = Vec::new();
    let mut raw_test_write = false;
    let mut test_write = test_write_2a;
    let page05 = s.mode_sense(mode_page_05::PAGE_CODE, 0x60)?;
    match page05.map(|p| WriteParameters::parse(&p.to_bytes())) {
        None => notes.push("no page 05h (write parameters): no write modes".into()),
        Some(Err(e)) => notes.push(format!("page 05h unreadable ({e}): no write modes")),
        Some(Ok(original)) => {
            observed.page_05 = true;
            let trials = run_trials(&mut s, &original, &mut observed);
            let mut restore = original.clone();
            restore.ps = false;
            let restored = s.select_05(&restore);
            let (modes, raw_tw, tw) = trials?;
            observed.page_05_restored = restored?;
            if !observed.page_05_restored {
                notes.push(
                    "the drive refused its own page 05h back (some drives ship defaults they refuse); it keeps the last accepted trial page"
                        .into(),
                );
            }
            write_modes = modes;
            raw_test_write = raw_tw;
            if caps.is_none() {
                test_write |= tw;
            } else if tw != test_write_2a {
                notes.push(format!(
                    "page 2Ah says test write {}, but a trial MODE SELECT of SAO with Test Write was {}",
                    if test_write_2a { "supported" } else { "unsupported" },
                    if tw { "accepted" } else { "refused" }
                ));
            }
        }
    }

    unobserved.push(Unobserved {
        field: "tur_good_while_finishing",
        filled: "false".into(),
        why: "shows only while the drive closes a session after a burn",
    });
    unobserved.push(Unobserved {
        field: "finish_polls",
        filled: DEFAULT_FINISH_POLLS.to_string(),
        why: "the length of the busy window after SYNCHRONIZE CACHE shows only after a burn",
    });

    let name = name
        .map(str::to_string)
        .unwrap_or_else(|| slug(&inquiry.vendor, &inquiry.product));
    let description = format!(
        "Captured from {} {} {} ({origin}) by rawcd profile capture; not observed: {}",
        inquiry.vendor,
        inquiry.product,
        inquiry.revision,
        unobserved
            .iter()
            .map(|u| format!("{} = {}", u.field, u.filled))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let profile = DriveProfile {
        name,
        description,
        inquiry,
        get_configuration,
        profiles,
        cd_r_write,
        cd_rw_write,
        write_modes,
        test_write,
        raw_test_write,
        buf,
        buffer_kib,
        write_speeds_kbps,
        max_read_speed_kbps: max_read,
        max_cue_sheet_length,
        tur_good_while_finishing: false,
        finish_polls: DEFAULT_FINISH_POLLS,
        power_on_unit_attention,
    };
    compare_derived(&profile, &observed, &mut notes);
    Ok(Capture {
        profile,
        unobserved,
        notes,
        observed,
    })
}

/// Trial MODE SELECTs: the accepted (write type, data block types), whether
/// RAW accepts Test Write, and whether SAO (or TAO) does.
fn run_trials<T: Transport + ?Sized>(
    s: &mut Session<'_, T>,
    original: &WriteParameters,
    observed: &mut Observed,
) -> Result<(Vec<WriteMode>, bool, bool), CaptureError> {
    let mut modes = Vec::new();
    for wt in WRITE_TYPES {
        let mut accepted = Vec::new();
        for dbt in DATA_BLOCK_TYPES {
            observed.trials += 1;
            if s.select_05(&trial_page(original, wt, dbt, false))? {
                accepted.push(dbt);
            }
        }
        if !accepted.is_empty() {
            modes.push(WriteMode {
                write_type: wt,
                data_block_types: accepted,
            });
        }
    }
    let first = |wt: u8| {
        modes
            .iter()
            .find(|m| m.write_type == wt)
            .and_then(|m| m.data_block_types.first().copied())
    };
    let mut raw_test_write = false;
    if let Some(dbt) = first(3) {
        observed.trials += 1;
        raw_test_write = s.select_05(&trial_page(original, 3, dbt, true))?;
    }
    let mut test_write = false;
    if let Some((wt, dbt)) = first(2).map(|d| (2, d)).or(first(1).map(|d| (1, d))) {
        observed.trials += 1;
        test_write = s.select_05(&trial_page(original, wt, dbt, true))?;
    }
    Ok((modes, raw_test_write, test_write))
}

/// Notes where the emulator's derived feature bits (from the accepted
/// modes) would differ from what the drive reported.
fn compare_derived(p: &DriveProfile, o: &Observed, notes: &mut Vec<String>) {
    const MASTERING_MASK: u8 = 0x6f; // all but RAW MS (not modelled) and reserved b7
    if let Some(got) = o.cd_mastering_flags {
        let derived = p.cd_mastering_flags();
        if (got ^ derived) & MASTERING_MASK != 0 {
            notes.push(format!(
                "feature 002Eh: the drive reports flags {got:02X}h, the replayed profile derives {derived:02X}h from the accepted write modes"
            ));
        }
    } else if p.get_configuration && (p.supports_write_type(2) || p.supports_write_type(3)) {
        notes.push("the drive reports no feature 002Eh, but MODE SELECT accepts SAO or RAW: the replayed profile reports 002Eh".into());
    }
    if let Some((flags, mask)) = o.cd_tao {
        let (df, dm) = p.cd_tao();
        if (flags ^ df) & 0x5f != 0 || mask != dm {
            notes.push(format!(
                "feature 002Dh: the drive reports flags {flags:02X}h and block types {mask:04X}h, the replayed profile derives {df:02X}h and {dm:04X}h"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_of_inquiry_strings() {
        assert_eq!(
            slug("HL-DT-ST", "DVDRAM GH24NSD1"),
            "hl-dt-st-dvdram-gh24nsd1"
        );
        assert_eq!(slug("  ", "  "), "captured");
        assert_eq!(
            slug("PLEXTOR", "CD-R   PX-W4824A"),
            "plextor-cd-r-px-w4824a"
        );
    }

    #[test]
    fn trial_page_sets_write_type_block_type_and_matching_modes() {
        let base = WriteParameters::default();
        let p = trial_page(&base, 2, 10, false);
        assert_eq!(u8::from(p.write_type), 2);
        assert_eq!(u8::from(p.data_block_type), 10);
        assert_eq!((p.track_mode, p.session_format), (4, 0x20));
        let raw = trial_page(&base, 3, 3, true);
        assert!(raw.test_write && !raw.bufe);
        assert_eq!((raw.track_mode, raw.session_format), (0, 0));
        assert!(trial_page(&base, 0, 8, false).fp);
    }
}
