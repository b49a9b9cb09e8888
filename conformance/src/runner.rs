//! Runs scenarios on a target: the built-in virtual recorder (default) or a
//! physical drive. The verdict comes from the end state — the disc as read
//! back through the same transport (READ TOC, READ CD of every sector), or
//! the IMAPI error the writer returned — never from log text.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rawcd::image::{ImageType, ResultImage};
use rawcd::layout::Toc;
use rawcd::mmc::param::toc::Toc as MmcToc;
use rawcd::mmc::Command;
use rawcd::mmc::{ReadCd, ReadToc, TocFormat};
use rawcd::msf::LEADOUT_SECTORS;
use rawcd::subcode::pack;
use rawcd::transport::{FaultInjector, Tracer, Transport, TransportExt};
use rawcd::writer::{DiscFormat2RawCd, ManualClock};
use rawcd::Lba;
use rawcd_emulator::{DiscState, DriveProfile, Emulator, Fault, Media};

use crate::armed::Armed;
use crate::report::{ScenarioResult, SuiteReport, Verdict};
use crate::scenario::{DriveFault, Expect, Scenario};
use crate::source::{self, WorkDir};

/// Client name the runner gives the writer.
pub const CLIENT_NAME: &str = "rawcd-conformance";
/// Sectors per READ CD during read-back.
const READ_CHUNK: u32 = 26;

/// Where the suite runs.
#[derive(Debug, Clone)]
pub enum Target {
    /// The virtual recorder; `profile` overrides every scenario's profile.
    Emulated {
        /// Profile override (built-in name or JSON file).
        profile: Option<String>,
    },
    /// A physical drive.
    Device {
        /// Device path, e.g. `/dev/sg1`.
        path: String,
        /// Run destructive scenarios (one blank disc each).
        allow_burn: bool,
    },
}

impl Target {
    /// A short description for reports.
    pub fn describe(&self) -> String {
        match self {
            Target::Emulated { profile: None } => "virtual recorder".into(),
            Target::Emulated { profile: Some(p) } => format!("virtual recorder, profile {p}"),
            Target::Device { path, .. } => format!("device {path}"),
        }
    }
}

/// Runs scenarios against one target.
pub struct Runner {
    work: WorkDir,
    target: Target,
}

/// What a burn attempt produced.
struct Attempt {
    error: Option<rawcd::Error>,
    transcript: String,
    readback: Result<(), String>,
    damaged: bool,
    blank: bool,
}

impl Runner {
    /// Prepares the work directory (layouts and generated sources) from `corpus`.
    pub fn new(corpus: &Path, target: Target) -> Result<Runner, String> {
        Ok(Runner {
            work: WorkDir::prepare(corpus)?,
            target,
        })
    }

    /// The corpus folder of this repository.
    pub fn default_corpus() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus")
    }

    /// Runs every scenario in order.
    pub fn run_all(&self, scenarios: &[Scenario]) -> SuiteReport {
        SuiteReport {
            target: self.target.describe(),
            results: scenarios.iter().map(|s| self.run(s)).collect(),
        }
    }

    /// Runs one scenario.
    pub fn run(&self, s: &Scenario) -> ScenarioResult {
        let started = Instant::now();
        let mut result = ScenarioResult {
            name: s.name.clone(),
            summary: s.summary.clone(),
            verdict: Verdict::Pass,
            reason: None,
            millis: 0,
            hresult: None,
            transcript: String::new(),
        };
        if let Some(reason) = self.skip_reason(s) {
            result.verdict = Verdict::Skip;
            result.reason = Some(reason);
            return result;
        }
        match self.attempt(s) {
            Ok(a) => {
                result.hresult = a.error.as_ref().map(|e| format!("0x{:08X}", e.hresult()));
                result.transcript = a.transcript.clone();
                if let Err(reason) = judge(s, &a) {
                    result.verdict = Verdict::Fail;
                    result.reason = Some(reason);
                }
            }
            Err(reason) => {
                result.verdict = Verdict::Fail;
                result.reason = Some(reason);
            }
        }
        if result.verdict == Verdict::Fail {
            if let Some(known) = s.known_failures.get(&self.profile_of(s)) {
                result.verdict = Verdict::KnownFailure;
                result.reason = Some(format!(
                    "known failure: {known} ({})",
                    result.reason.unwrap_or_default()
                ));
            }
        }
        result.millis = started.elapsed().as_millis();
        result
    }

    fn profile_of(&self, s: &Scenario) -> String {
        match &self.target {
            Target::Emulated { profile: Some(p) } => p.clone(),
            _ => s.profile.clone(),
        }
    }

    fn skip_reason(&self, s: &Scenario) -> Option<String> {
        match &self.target {
            Target::Emulated { .. } => None,
            Target::Device { allow_burn, .. } => {
                if !s.drive_faults.is_empty() || s.media != "cdr80" && s.media != "cdr74" {
                    Some("needs the virtual recorder (drive faults or special media)".into())
                } else if s.profile != "default" {
                    Some(format!(
                        "expects the emulated drive profile '{}', not this drive",
                        s.profile
                    ))
                } else if s.destructive && !allow_burn {
                    Some("destructive: run with --allow-burn and blank media".into())
                } else if s.destructive {
                    device_prompt_unavailable()
                } else {
                    None
                }
            }
        }
    }

    fn attempt(&self, s: &Scenario) -> Result<Attempt, String> {
        match &self.target {
            Target::Emulated { profile } => {
                let profile = profile.clone().unwrap_or_else(|| s.profile.clone());
                self.attempt_emulated(s, &profile)
            }
            Target::Device { path, .. } => attempt_device(self, s, path),
        }
    }

    fn attempt_emulated(&self, s: &Scenario, profile: &str) -> Result<Attempt, String> {
        let profile = load_profile(profile)?;
        let media = Media::builtin(&s.media).map_err(|e| e.to_string())?;
        let mut armed = Armed::new(Emulator::new(profile, media));
        for f in &s.drive_faults {
            if f.fault == "host_stall" {
                let lba = f.lba.ok_or("host_stall needs an lba")?;
                armed.stall_at(lba, Duration::from_millis(f.millis.unwrap_or(10_000)));
                continue;
            }
            match (drive_fault(f)?, f.lba) {
                (fault @ Fault::PowerLossAt(_), _) | (fault, None) => {
                    armed.emulator_mut().inject(fault)
                }
                (fault, Some(lba)) => armed.arm(lba, fault),
            }
        }
        let writer = DiscFormat2RawCd::empty();
        if let Some(lba) = s.cancel_at_lba {
            armed.cancel_at(lba, writer.cancel_handle());
        }
        let (tracer, error, readback) = burn_scenario(s, &self.work, writer, armed, read_back)?;
        let Some(tracer) = tracer else {
            return Ok(Attempt {
                error,
                transcript: String::new(),
                readback,
                damaged: false,
                blank: true,
            });
        };
        let transcript = tracer.transcript();
        let (injector, _) = tracer.into_inner();
        let emulator = injector.into_inner().into_inner();
        let media = emulator.media();
        Ok(Attempt {
            error,
            transcript,
            readback,
            damaged: media.damage().is_some()
                || matches!(media.state(), DiscState::Damaged | DiscState::Writing),
            blank: media.is_blank(),
        })
    }
}

/// The transport stack a scenario burns through: its fault rules, traced.
type Traced<T> = Tracer<FaultInjector<T>, std::io::Sink>;

/// Wraps `inner` with the scenario's transport faults and a tracer, builds
/// the image, burns it and, when the scenario expects a clean success, reads
/// the disc back with `read`. Returns the stack (`None` when `put_Recorder`
/// refused it), the writer's error and the read-back verdict.
#[allow(clippy::type_complexity)]
fn burn_scenario<T: Transport + Send + 'static>(
    s: &Scenario,
    work: &WorkDir,
    writer: DiscFormat2RawCd<Traced<T>>,
    inner: T,
    read: impl FnOnce(&mut Traced<T>, ResultImage, &Toc, bool, bool) -> Result<(), String>,
) -> Result<(Option<Traced<T>>, Option<rawcd::Error>, Result<(), String>), String> {
    let mut injector = FaultInjector::new(inner, 0x5eed);
    for rule in &s.transport_faults {
        injector.add_rule(rule.clone());
    }
    let tracer = Tracer::new(injector, std::io::sink());
    let built = source::build(&s.disc, s.image_type, work)?;
    let (tracer, error, image) = burn(s, writer, tracer, built.image)?;
    let Some(mut tracer) = tracer else {
        return Ok((None, error, Ok(())));
    };
    let readback = match (&error, &s.expect) {
        (
            None,
            Expect::Success {
                toc,
                sectors,
                blank_after: false,
            },
        ) => read(&mut tracer, image, &built.toc, *toc, *sectors),
        _ => Ok(()),
    };
    Ok((Some(tracer), error, readback))
}

fn load_profile(name: &str) -> Result<DriveProfile, String> {
    if name.ends_with(".json") {
        let text = std::fs::read_to_string(name).map_err(|e| format!("{name}: {e}"))?;
        DriveProfile::from_json(&text, name).map_err(|e| e.to_string())
    } else {
        DriveProfile::builtin(name).map_err(|e| e.to_string())
    }
}

fn drive_fault(f: &DriveFault) -> Result<Fault, String> {
    Ok(match f.fault.as_str() {
        "no_media" => Fault::NoMedia,
        "becoming_ready" => Fault::BecomingReady {
            polls: f.polls.unwrap_or(3),
        },
        "upside_down" => Fault::UpsideDown,
        "format_in_progress" => Fault::FormatInProgress,
        "busy" => Fault::Busy,
        "write_protected" => Fault::WriteProtected,
        "incompatible_media" => Fault::IncompatibleMedia,
        "speed_mismatch" => Fault::SpeedMismatch,
        "loss_of_streaming" => Fault::LossOfStreaming,
        "write_error" => Fault::WriteError,
        "power_loss" => Fault::PowerLossAt(f.lba.ok_or("power_loss needs an lba")?),
        "medium_removed" => Fault::MediumRemoved,
        "device_gone" => Fault::DeviceGone,
        "command_timeout" => Fault::CommandTimeout,
        "invalid_response" => Fault::InvalidResponse,
        other => return Err(format!("unknown drive fault '{other}'")),
    })
}

/// Prepares the writer, writes the image, releases the drive. Returns the
/// transport (`None` when `put_Recorder` already refused it), the writer's
/// error if any, and the image for read-back.
#[allow(clippy::type_complexity)]
fn burn<T: Transport + Send + 'static>(
    s: &Scenario,
    mut writer: DiscFormat2RawCd<T>,
    transport: T,
    mut image: ResultImage,
) -> Result<(Option<T>, Option<rawcd::Error>, ResultImage), String> {
    if let Err(e) = writer.set_recorder(transport) {
        return Ok((None, Some(e), image));
    }
    writer.set_clock(ManualClock::new(Duration::from_millis(100)));
    let ty = s.writer.sector_type.unwrap_or(s.image_type);
    let mut result = (|| -> rawcd::Result<()> {
        writer.set_client_name(s.writer.client_name.as_deref().unwrap_or(CLIENT_NAME))?;
        if let Some(speed) = s.writer.speed {
            writer.set_write_speed(speed as i32, false)?;
        }
        writer.set_test_write(s.writer.simulate);
        writer.prepare_media()?;
        writer.set_requested_sector_type(ty)?;
        if s.writer.buf_disabled {
            writer.set_buffer_underrun_free_disabled(true)?;
        }
        let lead_in = s.writer.lead_in_sectors.unwrap_or(22_650);
        let size = image.image_type().sector_size() as u64;
        let skip = (22_650 - lead_in as i64).max(0) as u64 * size;
        let len = image.len() - skip - s.writer.truncate_bytes.unwrap_or(0).min(image.len() - skip);
        let mut window = Window::new(&mut image, skip, len);
        writer.write_media2(&mut window, lead_in as i32)
    })();
    let released = writer.release_media();
    if result.is_ok() {
        if let Err(e) = released {
            result = Err(e);
        }
    }
    let transport = writer.take_recorder().map_err(|e| e.to_string())?;
    Ok((Some(transport), result.err(), image))
}

/// A byte window `[skip, skip + len)` of a seekable stream.
struct Window<'a, S> {
    inner: &'a mut S,
    skip: u64,
    len: u64,
    pos: u64,
}

impl<'a, S: std::io::Read + std::io::Seek> Window<'a, S> {
    fn new(inner: &'a mut S, skip: u64, len: u64) -> Self {
        Window {
            inner,
            skip,
            len,
            pos: 0,
        }
    }
}

impl<S: std::io::Read + std::io::Seek> std::io::Read for Window<'_, S> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (self.len.saturating_sub(self.pos) as usize).min(buf.len());
        if n == 0 {
            return Ok(0);
        }
        self.inner
            .seek(std::io::SeekFrom::Start(self.skip + self.pos))?;
        let got = self.inner.read(&mut buf[..n])?;
        self.pos += got as u64;
        Ok(got)
    }
}

impl<S: std::io::Read + std::io::Seek> std::io::Seek for Window<'_, S> {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        let p = match to {
            std::io::SeekFrom::Start(p) => Some(p),
            std::io::SeekFrom::End(d) => self.len.checked_add_signed(d),
            std::io::SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = p.ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "seek before start")
        })?;
        Ok(self.pos)
    }
}

/// Reads the disc back: READ TOC format 0 against the expected TOC, and READ
/// CD (raw P–W) of every sector from LBA −150 to the end of the lead-out
/// against the image.
fn read_back<T: Transport>(
    t: &mut T,
    mut image: ResultImage,
    toc: &Toc,
    check_toc: bool,
    check_sectors: bool,
) -> Result<(), String> {
    if check_toc {
        let cmd = Command::ReadToc(ReadToc {
            msf: false,
            format: TocFormat::Formatted,
            track_or_session: 0,
            allocation_length: 804,
        });
        let (outcome, bytes) = t
            .command_in(&cmd, 804)
            .map_err(|e| format!("READ TOC: {e}"))?;
        if !outcome.is_good() {
            return Err(format!("READ TOC failed: {}", describe(&outcome)));
        }
        let got = MmcToc::parse(&bytes, false).map_err(|e| format!("READ TOC: {e}"))?;
        let want = toc.to_read_toc(false);
        if got != want {
            return Err(format!(
                "READ TOC differs from expected_toc(): got {got:?}, want {want:?}"
            ));
        }
    }
    if !check_sectors {
        return Ok(());
    }
    let ty = image.image_type();
    let end = toc.leadout_lba + LEADOUT_SECTORS;
    let mut lba: Lba = -150;
    let mut want = vec![0u8; ty.sector_size()];
    while lba < end {
        let n = READ_CHUNK.min((end - lba) as u32);
        let cmd = Command::ReadCd(ReadCd {
            expected_sector_type: 0,
            dap: false,
            lba,
            transfer_length: n,
            sync: true,
            header_codes: 3,
            user_data: true,
            edc_ecc: true,
            c2_errors: 0,
            sub_channel: 1,
        });
        let alloc = n as usize * 2448;
        let (outcome, bytes) = t
            .command_in(&cmd, alloc)
            .map_err(|e| format!("READ CD at LBA {lba}: {e}"))?;
        if !outcome.is_good() || bytes.len() != alloc {
            return Err(format!(
                "READ CD at LBA {lba}: {} ({} bytes)",
                describe(&outcome),
                bytes.len()
            ));
        }
        for (k, got) in bytes.chunks_exact(2448).enumerate() {
            let at = lba + k as Lba;
            image
                .sector_at(at, &mut want)
                .map_err(|e| format!("image at LBA {at}: {e}"))?;
            compare_sector(ty, at, got, &want)?;
        }
        lba += n as Lba;
    }
    Ok(())
}

/// Compares a read-back sector (2352 + raw 96) with the image's record. A
/// drive returns data sectors descrambled, so the image's data sectors are
/// descrambled for the comparison.
fn compare_sector(ty: ImageType, lba: Lba, got: &[u8], want: &[u8]) -> Result<(), String> {
    let mut main: [u8; 2352] = want[..2352].try_into().expect("2352 bytes");
    if rawcd::sector::looks_like_data(&main) {
        rawcd::sector::descramble(&mut main);
    }
    if got[..2352] != main[..] {
        let i = got.iter().zip(&main).position(|(a, b)| a != b).unwrap_or(0);
        return Err(format!(
            "LBA {lba}: main channel differs from the image at byte {i}"
        ));
    }
    let got_sub: &[u8; 96] = got[2352..].try_into().expect("96 bytes");
    let (gp, gq) = pack::unraw96(got_sub);
    let (wp, wq) = match ty {
        ImageType::PqOnly => {
            let (p, q, _) = pack::unpq16(want[2352..].try_into().expect("16 bytes"));
            (p, q)
        }
        _ => pack::unraw96(want[2352..].try_into().expect("96 bytes")),
    };
    if gq.0 != wq.0 {
        return Err(format!("LBA {lba}: Q read back {gq}, image has {wq}"));
    }
    if gp != wp {
        return Err(format!("LBA {lba}: P read back {gp}, image has {wp}"));
    }
    if ty == ImageType::Raw && got[2352..] != want[2352..] {
        return Err(format!("LBA {lba}: raw P-W differs from the image"));
    }
    Ok(())
}

fn describe(o: &rawcd::transport::CommandOutcome) -> String {
    match &o.sense {
        Some(s) => format!("CHECK CONDITION {s}"),
        None => format!("{:?}", o.status),
    }
}

/// Compares what happened with what the scenario expects.
fn judge(s: &Scenario, a: &Attempt) -> Result<(), String> {
    match (&s.expect, &a.error) {
        (Expect::Success { blank_after, .. }, None) => {
            a.readback.clone()?;
            if *blank_after && !a.blank {
                return Err("test write: the disc is not blank afterwards".into());
            }
            Ok(())
        }
        (Expect::Success { .. }, Some(e)) => {
            Err(format!("expected success, got {e} (0x{:08X})", e.hresult()))
        }
        (Expect::Error { name, .. }, None) => {
            Err(format!("expected {name}, but the write succeeded"))
        }
        (expect @ Expect::Error { name, damaged, .. }, Some(e)) => {
            let want = expect.hresult().unwrap_or_default();
            if e.hresult() != want {
                return Err(format!(
                    "expected {name} (0x{want:08X}), got 0x{:08X}: {e}",
                    e.hresult()
                ));
            }
            if *damaged && !a.damaged {
                return Err("the disc should be marked damaged".into());
            }
            Ok(())
        }
    }
}

/// A burn on a physical drive: asks for a blank disc first when the
/// scenario writes; wraps the device in [`device::Paced`] (the runner's
/// writer uses a manual clock, so real time passes here while the drive says
/// it is becoming ready or busy), [`device::CancelAt`] for `cancel_at_lba`
/// and the scenario's `FaultInjector` rules; judges from READ TOC, the
/// program area read back and READ DISC INFORMATION afterwards; ejects the
/// disc after a scenario that wrote.
#[cfg(feature = "sg")]
fn attempt_device(runner: &Runner, s: &Scenario, path: &str) -> Result<Attempt, String> {
    if s.destructive {
        device::ask_for_blank_disc(s, path)?;
    }
    let transport =
        rawcd::transport::sys::PlatformTransport::open(path).map_err(|e| format!("{path}: {e}"))?;
    let writer = DiscFormat2RawCd::empty();
    let mut paced = device::CancelAt::new(device::Paced::new(transport));
    if let Some(lba) = s.cancel_at_lba {
        paced.cancel_at(lba, writer.cancel_handle());
    }
    let (tracer, error, readback) =
        burn_scenario(s, &runner.work, writer, paced, device::read_back)?;
    let Some(mut tracer) = tracer else {
        return Ok(Attempt {
            error,
            transcript: String::new(),
            readback,
            damaged: false,
            blank: false,
        });
    };
    let blank = device::disc_is_blank(&mut tracer);
    if s.destructive {
        device::eject(&mut tracer);
    }
    Ok(Attempt {
        damaged: error.is_some() && blank == Some(false),
        blank: blank.unwrap_or(false),
        error,
        transcript: tracer.transcript(),
        readback,
    })
}

/// The physical-drive helpers of [`attempt_device`].
#[cfg(feature = "sg")]
mod device {
    use std::io::{BufRead, IsTerminal, Write};
    use std::time::Duration;

    use rawcd::image::{ImageType, ResultImage};
    use rawcd::layout::Toc;
    use rawcd::mmc::param::disc_information::{DiscInformation, DiscStatus};
    use rawcd::mmc::{
        Command, PreventAllowMediumRemoval, ReadCd, ReadDiscInformation, SenseKey, StartStopUnit,
    };
    use rawcd::subcode::pack;
    use rawcd::transport::{
        CommandOutcome, DataPhase, Status, Transport, TransportError, TransportExt,
    };
    use rawcd::writer::CancelHandle;
    use rawcd::Lba;

    use crate::scenario::Scenario;

    /// Why a destructive scenario cannot run, if stdin cannot answer the
    /// prompt for a blank disc.
    pub(super) fn no_prompt_reason() -> Option<String> {
        (!std::io::stdin().is_terminal()).then(|| {
            "destructive: stdin is not a terminal, so no blank disc can be asked for (run interactively)"
                .into()
        })
    }

    /// Asks on stderr for a blank disc and waits for Enter on stdin.
    pub(super) fn ask_for_blank_disc(s: &Scenario, path: &str) -> Result<(), String> {
        if let Some(reason) = no_prompt_reason() {
            return Err(reason);
        }
        let mut err = std::io::stderr();
        let _ = write!(
            err,
            "\n[{}] {}\n  This scenario writes to the disc: insert a BLANK CD-R (or blank CD-RW) into {path} and press Enter (Ctrl-C stops the suite) ",
            s.name, s.summary
        );
        let _ = err.flush();
        let mut line = String::new();
        match std::io::stdin().lock().read_line(&mut line) {
            Ok(0) => {
                Err("no answer on stdin (end of input) to the request for a blank disc".into())
            }
            Ok(_) => Ok(()),
            Err(e) => Err(format!("reading stdin: {e}")),
        }
    }

    /// Lets real time pass where the drive asks the host to wait: after
    /// BUSY status or NOT READY 2/04/xx (becoming ready, long write in
    /// progress…), 40 ms for a WRITE, 500 ms otherwise — the writer's own
    /// poll and resend intervals, which its manual clock does not sleep.
    pub(super) struct Paced<T> {
        inner: T,
    }

    impl<T> Paced<T> {
        pub(super) fn new(inner: T) -> Self {
            Paced { inner }
        }
    }

    impl<T: Transport> Transport for Paced<T> {
        fn execute(
            &mut self,
            cdb: &[u8],
            data: DataPhase<'_>,
            timeout: Duration,
        ) -> Result<CommandOutcome, TransportError> {
            let o = self.inner.execute(cdb, data, timeout)?;
            let wait = o.status == Status::Busy
                || (o.status == Status::CheckCondition
                    && o.sense
                        .is_some_and(|s| s.key == SenseKey::NotReady && s.asc == 0x04));
            if wait {
                let write = matches!(cdb.first(), Some(0x2a | 0xaa));
                std::thread::sleep(Duration::from_millis(if write { 40 } else { 500 }));
            }
            Ok(o)
        }

        fn take_injected_fault(&mut self) -> Option<String> {
            self.inner.take_injected_fault()
        }
    }

    /// Cancels the write through the writer's handle once a WRITE reaches
    /// an LBA (the scenario's `cancel_at_lba`, on any transport).
    pub(super) struct CancelAt<T> {
        inner: T,
        cancel: Option<(Lba, CancelHandle)>,
    }

    impl<T> CancelAt<T> {
        pub(super) fn new(inner: T) -> Self {
            CancelAt {
                inner,
                cancel: None,
            }
        }

        pub(super) fn cancel_at(&mut self, lba: Lba, handle: CancelHandle) {
            self.cancel = Some((lba, handle));
        }
    }

    impl<T: Transport> Transport for CancelAt<T> {
        fn execute(
            &mut self,
            cdb: &[u8],
            data: DataPhase<'_>,
            timeout: Duration,
        ) -> Result<CommandOutcome, TransportError> {
            if let Ok(cmd @ (Command::Write10(_) | Command::Write12(_))) = Command::parse(cdb) {
                if let Some((start, blocks)) = cmd.lba_range() {
                    let end = i64::from(start) + i64::from(blocks);
                    if self
                        .cancel
                        .as_ref()
                        .is_some_and(|(lba, _)| i64::from(*lba) < end)
                    {
                        if let Some((_, handle)) = self.cancel.take() {
                            let _ = handle.cancel_write();
                        }
                    }
                }
            }
            self.inner.execute(cdb, data, timeout)
        }

        fn take_injected_fault(&mut self) -> Option<String> {
            self.inner.take_injected_fault()
        }
    }

    /// READ DISC INFORMATION: whether the disc is blank (`None` when the
    /// drive does not say).
    pub(super) fn disc_is_blank<T: Transport>(t: &mut T) -> Option<bool> {
        let cmd = Command::ReadDiscInformation(ReadDiscInformation {
            data_type: 0,
            allocation_length: 34,
        });
        let (o, b) = t.command_in(&cmd, 34).ok()?;
        if !o.is_good() {
            return None;
        }
        DiscInformation::parse(&b)
            .ok()
            .map(|d| d.disc_status == DiscStatus::Empty)
    }

    /// Unlocks and opens the tray (errors ignored) so the next disc can go in.
    pub(super) fn eject<T: Transport>(t: &mut T) {
        let _ = t.command(
            &Command::PreventAllowMediumRemoval(PreventAllowMediumRemoval {
                prevent: false,
                persistent: false,
            }),
            DataPhase::None,
        );
        let _ = t.command(
            &Command::StartStopUnit(StartStopUnit {
                immed: true,
                power_condition: 0,
                load_eject: true,
                start: false,
            }),
            DataPhase::None,
        );
    }

    /// The read-back a physical drive can do: READ TOC against the expected
    /// TOC, then READ CD of the program area (LBA 0 to the lead-out; drives
    /// refuse the pregap before LBA 0 and the lead-out) comparing the Q
    /// sub-channel of every sector, P, and the main channel of data sectors.
    /// Audio main channel is not compared: drives read audio with a
    /// model-specific sample offset.
    pub(super) fn read_back<T: Transport>(
        t: &mut T,
        mut image: ResultImage,
        toc: &Toc,
        check_toc: bool,
        check_sectors: bool,
    ) -> Result<(), String> {
        if check_sectors {
            let ty = image.image_type();
            let mut want = vec![0u8; ty.sector_size()];
            let mut lba: Lba = 0;
            while lba < toc.leadout_lba {
                let n = super::READ_CHUNK.min((toc.leadout_lba - lba) as u32);
                let cmd = Command::ReadCd(ReadCd {
                    expected_sector_type: 0,
                    dap: false,
                    lba,
                    transfer_length: n,
                    sync: true,
                    header_codes: 3,
                    user_data: true,
                    edc_ecc: true,
                    c2_errors: 0,
                    sub_channel: 1,
                });
                let alloc = n as usize * 2448;
                let (outcome, bytes) = t
                    .command_in(&cmd, alloc)
                    .map_err(|e| format!("READ CD at LBA {lba}: {e}"))?;
                if !outcome.is_good() || bytes.len() != alloc {
                    return Err(format!(
                        "READ CD at LBA {lba}: {} ({} bytes)",
                        super::describe(&outcome),
                        bytes.len()
                    ));
                }
                for (k, got) in bytes.chunks_exact(2448).enumerate() {
                    let at = lba + k as Lba;
                    image
                        .sector_at(at, &mut want)
                        .map_err(|e| format!("image at LBA {at}: {e}"))?;
                    compare(ty, at, got, &want)?;
                }
                lba += n as Lba;
            }
        }
        super::read_back(t, image, toc, check_toc, false)
    }

    fn compare(ty: ImageType, lba: Lba, got: &[u8], want: &[u8]) -> Result<(), String> {
        let (Some(got_main), Some(got_sub), Some(want_main)) =
            (got.get(..2352), got.get(2352..2448), want.get(..2352))
        else {
            return Err(format!("LBA {lba}: short sector"));
        };
        let mut main = [0u8; 2352];
        main.copy_from_slice(want_main);
        if rawcd::sector::looks_like_data(&main) {
            rawcd::sector::descramble(&mut main);
            if got_main != main {
                return Err(format!("LBA {lba}: data sector differs from the image"));
            }
        }
        let got_sub: &[u8; 96] = got_sub
            .try_into()
            .map_err(|_| format!("LBA {lba}: short sub-channel"))?;
        let (gp, gq) = pack::unraw96(got_sub);
        let (wp, wq) = match ty {
            ImageType::PqOnly => {
                let pq: &[u8; 16] = want
                    .get(2352..2368)
                    .and_then(|b| b.try_into().ok())
                    .ok_or_else(|| format!("LBA {lba}: short image sector"))?;
                let (p, q, _) = pack::unpq16(pq);
                (p, q)
            }
            _ => {
                let raw: &[u8; 96] = want
                    .get(2352..2448)
                    .and_then(|b| b.try_into().ok())
                    .ok_or_else(|| format!("LBA {lba}: short image sector"))?;
                pack::unraw96(raw)
            }
        };
        if gq.0 != wq.0 {
            return Err(format!("LBA {lba}: Q read back {gq}, image has {wq}"));
        }
        if gp != wp {
            return Err(format!("LBA {lba}: P read back {gp}, image has {wp}"));
        }
        Ok(())
    }

    /// The device path's wrappers and read-back, exercised on the emulator.
    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::source::{self, WorkDir};
        use rawcd_emulator::Emulator;

        fn scenario(name: &str) -> Scenario {
            let dir = crate::Runner::default_corpus().join("scenarios");
            Scenario::load(&dir.join(format!("{name}.json"))).unwrap()
        }

        #[test]
        fn device_read_back_and_cancel_on_the_emulator() {
            let work = WorkDir::prepare(&crate::Runner::default_corpus()).unwrap();
            for (name, cancel) in [("raw-audio-single", false), ("cancel", true)] {
                let s = scenario(name);
                let writer = rawcd::writer::DiscFormat2RawCd::empty();
                let mut t =
                    CancelAt::new(Paced::new(Emulator::builtin("default", "cdr80").unwrap()));
                if let Some(lba) = s.cancel_at_lba {
                    t.cancel_at(lba, writer.cancel_handle());
                }
                let built = source::build(&s.disc, s.image_type, &work).unwrap();
                let (t, error, image) = super::super::burn(&s, writer, t, built.image).unwrap();
                let mut t = t.unwrap();
                assert_eq!(disc_is_blank(&mut t), Some(false), "{name}");
                if cancel {
                    assert_eq!(
                        error.map(|e| e.hresult()),
                        Some(rawcd::error::hresult::E_IMAPI_REQUEST_CANCELLED)
                    );
                } else {
                    assert!(error.is_none(), "{error:?}");
                    read_back(&mut t, image, &built.toc, true, true).unwrap();
                }
                eject(&mut t);
            }
        }
    }
}

#[cfg(feature = "sg")]
fn device_prompt_unavailable() -> Option<String> {
    device::no_prompt_reason()
}

#[cfg(not(feature = "sg"))]
fn device_prompt_unavailable() -> Option<String> {
    None
}

#[cfg(not(feature = "sg"))]
fn attempt_device(_runner: &Runner, _s: &Scenario, path: &str) -> Result<Attempt, String> {
    Err(format!(
        "{path}: this rawcd was built without a device backend; rebuild with `--features sg`"
    ))
}
