//! Talking to the drive: command execution with bounded retries, the
//! capability probe, `prepare_media`, `release_media`, media and speed
//! queries. Every response is parsed with the `mmc::param` parsers, which
//! never panic; unusable data becomes `INVALID_RESPONSE_FROM_DEVICE`.

use crate::error::{Error, RecorderCondition, Result};
use crate::image::ImageType;
use crate::mmc::param::atip::Atip;
use crate::mmc::param::disc_information::{DiscInformation, DiscStatus};
use crate::mmc::param::features::{
    Configuration, FeatureCode, FeatureData, Profile, CD_MASTERING_BUF,
};
use crate::mmc::param::inquiry::InquiryData;
use crate::mmc::param::mode::{ModePage, ModeParameterList};
use crate::mmc::param::mode_page_05::{self, DataBlockType, WriteParameters, WriteType};
use crate::mmc::param::mode_page_2a::{self, Capabilities};
use crate::mmc::param::performance::parse_write_speeds;
use crate::mmc::{
    Command, GetConfiguration, GetPerformance, Inquiry, ModeSelect10, ModeSense10, PageControl,
    PreventAllowMediumRemoval, ReadDiscInformation, ReadToc, RequestType, SenseKey, SetCdSpeed,
    SynchronizeCache, TocFormat,
};
use crate::transport::{default_timeout, DataPhase, Status, Transport};

use super::{
    kbps_to_sectors_per_second, sectors_per_second_to_kbps, DiscFormat2RawCd, MediaInfo,
    MediaPhysicalType, RecorderInfo, SpeedStatus, State, WriteSpeedDescriptor,
};

/// What a waiting loop does with a failed command.
enum Wait {
    /// Retry after a pause.
    Retry,
    /// Give up with this error.
    Fail(Error),
}

fn is_wait_condition(e: &Error) -> bool {
    matches!(
        e.recorder_condition(),
        Some(RecorderCondition::MediaBecomingReady | RecorderCondition::MediaBusy)
    )
}

impl<T: Transport> DiscFormat2RawCd<T> {
    /// Executes `cmd`; `Ok(bytes transferred)` on GOOD. UNIT ATTENTION is
    /// retried at once (bounded); everything else is classified.
    pub(crate) fn exec(&mut self, cmd: &Command, mut data: DataPhase<'_>) -> Result<usize> {
        let cdb = cmd.to_cdb();
        let timeout = default_timeout(cmd);
        let retries = self.retry.unit_attention_retries;
        let t = self.recorder.as_mut().ok_or(Error::NoRecorderSpecified)?;
        let mut attempt = 0;
        loop {
            let len = data.len();
            let outcome = t
                .execute(&cdb, data.reborrow(), timeout)
                .map_err(|e| Error::from_transport(&cdb, &e))?;
            if outcome.is_good() {
                return Ok(outcome.transferred(len));
            }
            let ua = outcome.status == Status::CheckCondition
                && outcome.sense.map(|s| s.key) == Some(SenseKey::UnitAttention);
            if ua && attempt < retries {
                attempt += 1;
                continue;
            }
            return Err(Error::from_sense(&cdb, &outcome));
        }
    }

    /// Executes a data-in command and returns the bytes received.
    pub(crate) fn exec_in(&mut self, cmd: &Command, alloc: usize) -> Result<Vec<u8>> {
        let mut buf = vec![0u8; alloc];
        let n = self.exec(cmd, DataPhase::In(&mut buf))?;
        buf.truncate(n.min(alloc));
        Ok(buf)
    }

    /// Like [`exec_in`](Self::exec_in), retrying while the drive is becoming
    /// ready or busy, at most `polls` times.
    pub(crate) fn exec_in_waiting(
        &mut self,
        cmd: &Command,
        alloc: usize,
        polls: u32,
    ) -> Result<Vec<u8>> {
        let mut n = 0;
        loop {
            match self.exec_in(cmd, alloc) {
                Ok(v) => return Ok(v),
                Err(e) => match self.wait_or_fail(e, &mut n, polls) {
                    Wait::Retry => continue,
                    Wait::Fail(e) => return Err(e),
                },
            }
        }
    }

    fn wait_or_fail(&mut self, e: Error, n: &mut u32, polls: u32) -> Wait {
        if !is_wait_condition(&e) || *n >= polls {
            return Wait::Fail(e);
        }
        *n += 1;
        self.sleep(self.retry.poll_interval);
        Wait::Retry
    }

    /// Sleeps through the clock (virtual on the emulator).
    pub(crate) fn sleep(&mut self, d: std::time::Duration) {
        if let Some(t) = self.recorder.as_mut() {
            self.clock.sleep(t, d);
        }
    }

    /// The clock's time.
    pub(crate) fn now(&mut self) -> std::time::Duration {
        match self.recorder.as_mut() {
            Some(t) => self.clock.now(t),
            None => std::time::Duration::ZERO,
        }
    }

    /// TEST UNIT READY until GOOD, waiting through becoming-ready and busy
    /// (bounded by `polls`).
    pub(crate) fn wait_until_ready(&mut self, polls: u32) -> Result<()> {
        let mut n = 0;
        loop {
            match self.exec(&Command::TestUnitReady, DataPhase::None) {
                Ok(_) => return Ok(()),
                Err(e) => match self.wait_or_fail(e, &mut n, polls) {
                    Wait::Retry => continue,
                    Wait::Fail(e) => return Err(e),
                },
            }
        }
    }

    // ----- probe -----

    /// Reads the recorder's identity and capabilities: INQUIRY, GET
    /// CONFIGURATION (profile list, feature 2Eh), MODE SENSE(10) page 2Ah.
    pub fn probe(&mut self) -> Result<RecorderInfo> {
        if self.recorder.is_none() {
            return Err(Error::NoRecorderSpecified);
        }
        let inq = self.exec_in(
            &Command::Inquiry(Inquiry {
                allocation_length: 36,
                ..Default::default()
            }),
            36,
        )?;
        let inq = InquiryData::parse(&inq)
            .map_err(|e| Error::invalid_response(format!("INQUIRY: {e}")))?;
        let mut info = RecorderInfo {
            vendor: inq.vendor_str(),
            product: inq.product_str(),
            revision: inq.revision_str(),
            ..Default::default()
        };
        match self.get_configuration(FeatureCode::PROFILE_LIST, 256) {
            Ok(cfg) => {
                info.get_configuration = true;
                info.current_profile = cfg.current_profile.0;
                if let Some(FeatureData::ProfileList(list)) =
                    cfg.feature(FeatureCode::PROFILE_LIST).map(|f| &f.data)
                {
                    info.profiles = list.iter().map(|p| p.profile.0).collect();
                }
                let cfg = self.get_configuration(FeatureCode::CD_MASTERING, 16)?;
                if let Some(f) = cfg.feature(FeatureCode::CD_MASTERING) {
                    info.cd_mastering_current = f.current;
                    if let FeatureData::CdMastering { flags, .. } = f.data {
                        info.cd_mastering_flags = Some(flags);
                    } else {
                        info.cd_mastering_flags = Some(0);
                    }
                }
            }
            Err(e)
                if e.recorder_condition()
                    == Some(RecorderCondition::GetConfigurationNotSupported) => {}
            Err(e) => return Err(e),
        }
        match self.mode_sense(mode_page_2a::PAGE_CODE, 256) {
            Ok(Some(page)) => {
                if let Ok(caps) = Capabilities::parse(&page.to_bytes()) {
                    info.cd_write = caps.cd_r_write() || caps.cd_rw_write();
                    info.buf |= caps.buf();
                    info.buffer_size =
                        (caps.buffer_size_kib > 0).then(|| u64::from(caps.buffer_size_kib) * 1024);
                    info.capabilities = Some(caps);
                }
            }
            Ok(None) => {}
            Err(e) if e.recorder_condition() == Some(RecorderCondition::NoSuchModePage) => {}
            Err(e) => return Err(e),
        }
        info.buf |= info.cd_mastering_flags.unwrap_or(0) & CD_MASTERING_BUF != 0;
        self.info = Some(info.clone());
        Ok(info)
    }

    fn get_configuration(&mut self, feature: FeatureCode, alloc: u16) -> Result<Configuration> {
        let data = self.exec_in(
            &Command::GetConfiguration(GetConfiguration {
                rt: RequestType::One,
                starting_feature: feature.0,
                allocation_length: alloc,
            }),
            usize::from(alloc),
        )?;
        Configuration::parse(&data)
            .map_err(|e| Error::invalid_response(format!("GET CONFIGURATION: {e}")))
    }

    /// MODE SENSE(10) current values of one page; `None` when the response
    /// lacks the page.
    fn mode_sense(&mut self, page: u8, alloc: u16) -> Result<Option<ModePage>> {
        let data = self.exec_in(
            &Command::ModeSense10(ModeSense10 {
                dbd: false,
                page_control: PageControl::Current,
                page_code: page,
                subpage_code: 0,
                allocation_length: alloc,
            }),
            usize::from(alloc),
        )?;
        let list = ModeParameterList::parse(&data).map_err(|e| {
            Error::invalid_response(format!("MODE SENSE(10) page {page:02X}h: {e}"))
        })?;
        Ok(list.page(page).cloned())
    }

    /// MODE SELECT(10) of page 05h (PS cleared, no block descriptor).
    pub(crate) fn mode_select_05(&mut self, wp: &WriteParameters) -> Result<()> {
        let mut wp = wp.clone();
        wp.ps = false;
        let bytes = wp.to_bytes();
        let list = ModeParameterList {
            pages: vec![ModePage {
                ps: false,
                code: mode_page_05::PAGE_CODE,
                data: bytes[2..].to_vec(),
            }],
            ..Default::default()
        };
        let data = list.to_bytes(true);
        self.exec(
            &Command::ModeSelect10(ModeSelect10 {
                pf: true,
                sp: false,
                parameter_list_length: data.len() as u16,
            }),
            DataPhase::Out(&data),
        )?;
        Ok(())
    }

    /// Page 05h configured for raw writing with `ty`'s data block type.
    pub(crate) fn raw_page(&self, ty: ImageType, test_write: bool, bufe: bool) -> WriteParameters {
        let mut wp = self.original_page05.clone().unwrap_or_default();
        wp.ps = false;
        wp.write_type = WriteType::Raw;
        wp.data_block_type = DataBlockType::from(ty.imapi_value() as u8);
        wp.test_write = test_write;
        wp.bufe = bufe;
        wp.ls_v = false;
        wp.multi_session = 0;
        wp.fp = false;
        wp.copy = false;
        wp.track_mode = 0;
        wp.session_format = 0;
        wp
    }

    fn read_disc_information(&mut self, polls: u32) -> Result<DiscInformation> {
        let data = self.exec_in_waiting(
            &Command::ReadDiscInformation(ReadDiscInformation {
                data_type: 0,
                allocation_length: 34,
            }),
            34,
            polls,
        )?;
        let info = DiscInformation::parse(&data)
            .map_err(|e| Error::invalid_response(format!("READ DISC INFORMATION: {e}")))?;
        // We asked for data type 000b (standard disc information); any other
        // type in the answer is garbage, not a disc state to act on.
        if info.data_type != 0 {
            return Err(Error::invalid_response(format!(
                "READ DISC INFORMATION answered data type {}, not the standard disc information (0) that was asked for",
                info.data_type
            )));
        }
        Ok(info)
    }

    fn read_atip(&mut self) -> Option<Atip> {
        let data = self
            .exec_in(
                &Command::ReadToc(ReadToc {
                    msf: true,
                    format: TocFormat::Atip,
                    track_or_session: 0,
                    allocation_length: 28,
                }),
                28,
            )
            .ok()?;
        Atip::parse(&data).ok()
    }

    /// Reads disc information and ATIP into a [`MediaInfo`].
    fn read_media(&mut self) -> Result<MediaInfo> {
        let polls = self.retry.ready_polls;
        let disc = self.read_disc_information(polls)?;
        let atip = self.read_atip();
        let blank = disc.disc_status == DiscStatus::Empty;
        let valid_lead_in = |l: Lba| (crate::msf::MIN_LBA..-150).contains(&l);
        let lead_in_start = blank
            .then(|| {
                disc.lead_in_start_lba()
                    .filter(|l| valid_lead_in(*l))
                    .or_else(|| {
                        atip.map(|a| a.lead_in_start.to_lba())
                            .filter(|l| valid_lead_in(*l))
                    })
            })
            .flatten();
        let valid_leadout = |l: Lba| (1..=crate::msf::MAX_PROGRAM_LBA).contains(&l);
        let last_possible_leadout = disc
            .last_possible_lead_out_lba()
            .filter(|l| valid_leadout(*l))
            .or_else(|| {
                blank
                    .then(|| atip.map(|a| a.last_possible_lead_out.to_program_lba()))
                    .flatten()
                    .filter(|l| valid_leadout(*l))
            });
        Ok(MediaInfo {
            disc: Some(disc),
            atip,
            lead_in_start,
            last_possible_leadout,
        })
    }

    // ----- IDiscFormat2 -----

    /// `IsRecorderSupported`: can this drive write raw DAO at all (feature
    /// 2Eh Raw bit; without GET CONFIGURATION, page 2Ah CD write bits).
    /// `Ok(false)` is IMAPI's "success-by-error" `MEDIA_IS_NOT_SUPPORTED`.
    pub fn is_recorder_supported(&mut self) -> Result<bool> {
        let info = self.probe()?;
        Ok(info.raw_capable())
    }

    pub(crate) fn unsupported_reason(&self) -> String {
        match &self.info {
            Some(i) if i.get_configuration && i.cd_mastering_flags.is_none() => {
                "no CD Mastering feature (2Eh)".into()
            }
            Some(i) if i.get_configuration => "feature 2Eh without the Raw bit".into(),
            Some(_) => "no GET CONFIGURATION and no CD write capability in page 2Ah".into(),
            None => "not probed".into(),
        }
    }

    /// `IsCurrentMediaSupported`: drive and disc suitable (CD-R/RW profile,
    /// feature 2Eh current with Raw). No disc → `E_IMAPI_RECORDER_MEDIA_NO_MEDIA`
    /// (the Windows 7 behaviour).
    pub fn is_current_media_supported(&mut self) -> Result<bool> {
        let info = self.probe()?;
        self.wait_until_ready(self.retry.ready_polls)?;
        if !info.raw_capable() {
            return Ok(false);
        }
        if !info.get_configuration {
            return Ok(true);
        }
        let cd_recordable = matches!(
            Profile(info.current_profile),
            Profile::CD_R | Profile::CD_RW
        );
        Ok(cd_recordable && info.cd_mastering_current)
    }

    /// `MediaPhysicallyBlank`: READ DISC INFORMATION disc status is blank.
    pub fn media_physically_blank(&mut self) -> Result<bool> {
        self.check_recorder()?;
        let d = self.read_disc_information(self.retry.ready_polls)?;
        Ok(d.disc_status == DiscStatus::Empty)
    }

    /// `MediaHeuristicallyBlank`: for CD-R/RW the same as physically blank.
    pub fn media_heuristically_blank(&mut self) -> Result<bool> {
        self.media_physically_blank()
    }

    /// `get_CurrentPhysicalMediaType`: from the current profile, or from the
    /// ATIP disc-type bit when the drive has no GET CONFIGURATION.
    pub fn current_physical_media_type(&mut self) -> Result<MediaPhysicalType> {
        self.check_recorder()?;
        match self.get_configuration(FeatureCode::PROFILE_LIST, 8) {
            Ok(cfg) => Ok(MediaPhysicalType::from_profile(cfg.current_profile)),
            Err(e)
                if e.recorder_condition()
                    == Some(RecorderCondition::GetConfigurationNotSupported) =>
            {
                Ok(match self.read_atip() {
                    Some(a) if a.cd_rw => MediaPhysicalType::CdRw,
                    Some(_) => MediaPhysicalType::CdR,
                    None => MediaPhysicalType::Unknown,
                })
            }
            Err(e) => Err(e),
        }
    }

    /// `get_SupportedWriteSpeedDescriptors`: GET PERFORMANCE type 03h,
    /// falling back to the page 2Ah descriptors.
    pub fn supported_write_speed_descriptors(&mut self) -> Result<Vec<WriteSpeedDescriptor>> {
        self.check_recorder()?;
        let media_type = self
            .current_physical_media_type()
            .unwrap_or(MediaPhysicalType::Unknown);
        const N: u16 = 32;
        let alloc = 8 + 16 * usize::from(N);
        let perf = self.exec_in(
            &Command::GetPerformance(GetPerformance {
                data_type: 0,
                starting_lba: 0,
                max_descriptors: N,
                performance_type: 3,
            }),
            alloc,
        );
        let mut out: Vec<WriteSpeedDescriptor> =
            match perf.ok().and_then(|d| parse_write_speeds(&d).ok()) {
                Some(list) if !list.is_empty() => list
                    .iter()
                    .filter(|d| d.write_speed > 0)
                    .map(|d| WriteSpeedDescriptor {
                        media_type,
                        rotation_type_is_pure_cav: d.wrc == 1,
                        write_speed: kbps_to_sectors_per_second(d.write_speed),
                    })
                    .collect(),
                _ => {
                    let caps = self.capabilities()?;
                    caps.map(|c| {
                        c.write_speeds
                            .iter()
                            .filter(|d| d.speed > 0)
                            .map(|d| WriteSpeedDescriptor {
                                media_type,
                                rotation_type_is_pure_cav: d.rotation_control == 1,
                                write_speed: kbps_to_sectors_per_second(u32::from(d.speed)),
                            })
                            .collect()
                    })
                    .unwrap_or_default()
                }
            };
        out.sort_by_key(|d| std::cmp::Reverse(d.write_speed));
        out.dedup();
        Ok(out)
    }

    /// `get_SupportedWriteSpeeds` (sectors/s, fastest first).
    pub fn supported_write_speeds(&mut self) -> Result<Vec<i32>> {
        let mut v: Vec<i32> = self
            .supported_write_speed_descriptors()?
            .iter()
            .map(|d| d.write_speed)
            .collect();
        v.dedup();
        Ok(v)
    }

    fn capabilities(&mut self) -> Result<Option<Capabilities>> {
        match self.mode_sense(mode_page_2a::PAGE_CODE, 256) {
            Ok(p) => Ok(p.and_then(|p| Capabilities::parse(&p.to_bytes()).ok())),
            Err(e) if e.recorder_condition() == Some(RecorderCondition::NoSuchModePage) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `get_CurrentWriteSpeed` (sectors/s) from page 2Ah bytes 28-29 (or 20-21).
    pub fn current_write_speed(&mut self) -> Result<i32> {
        self.check_recorder()?;
        let caps = self.capabilities()?.ok_or_else(|| {
            Error::invalid_response("MODE SENSE(10) page 2Ah: no capabilities page")
        })?;
        let k = if caps.current_write_speed_selected > 0 {
            caps.current_write_speed_selected
        } else {
            caps.current_write_speed
        };
        Ok(kbps_to_sectors_per_second(u32::from(k)))
    }

    /// `get_CurrentRotationTypeIsPureCAV` (page 2Ah byte 27).
    pub fn current_rotation_type_is_pure_cav(&mut self) -> Result<bool> {
        self.check_recorder()?;
        Ok(self
            .capabilities()?
            .is_some_and(|c| c.rotation_control == 1))
    }

    /// SET CD SPEED for the requested speed, then reads back page 2Ah.
    pub(crate) fn apply_speed(&mut self) -> Result<SpeedStatus> {
        self.send_set_cd_speed()?;
        if self.requested_speed < 0 {
            return Ok(SpeedStatus::Exact);
        }
        let Some(caps) = self.capabilities()? else {
            return Ok(SpeedStatus::Exact);
        };
        let k = if caps.current_write_speed_selected > 0 {
            caps.current_write_speed_selected
        } else {
            caps.current_write_speed
        };
        let got = kbps_to_sectors_per_second(u32::from(k));
        let speed_adj = k > 0 && (got - self.requested_speed).abs() > SECTORS_TOLERANCE;
        let rot_adj = (caps.rotation_control == 1) != self.requested_cav;
        Ok(match (speed_adj, rot_adj) {
            (false, false) => SpeedStatus::Exact,
            (true, false) => SpeedStatus::SpeedAdjusted,
            (false, true) => SpeedStatus::RotationAdjusted,
            (true, true) => SpeedStatus::BothAdjusted,
        })
    }

    pub(crate) fn send_set_cd_speed(&mut self) -> Result<()> {
        let cmd = Command::SetCdSpeed(SetCdSpeed {
            rotation_control: u8::from(self.requested_cav),
            read_speed: 0xffff,
            write_speed: sectors_per_second_to_kbps(self.requested_speed),
        });
        self.exec(&cmd, DataPhase::None).map(|_| ())
    }

    // ----- PrepareMedia / ReleaseMedia -----

    /// `PrepareMedia`: checks the drive and disc, locks the tray (PREVENT
    /// MEDIUM REMOVAL — the in-process form of the exclusive lock; the
    /// transport's O_EXCL open is the other half), caches the lead-in start
    /// and the last possible lead-out start, finds the supported sector types
    /// by trial MODE SELECT and applies a pending write speed (its S_* status
    /// is returned). Any failure after the lock unlocks again.
    pub fn prepare_media(&mut self) -> Result<SpeedStatus> {
        if self.recorder.is_none() {
            return Err(Error::NoRecorderSpecified);
        }
        self.check_not_prepared()?;
        super::validate_client_name(&self.client_name)?;
        let info = self.probe()?;
        self.wait_until_ready(self.retry.ready_polls)?;
        if !info.raw_capable() {
            return Err(Error::RecorderNotSupported(self.unsupported_reason()));
        }
        if info.get_configuration {
            let profile = Profile(info.current_profile);
            if !matches!(profile, Profile::CD_R | Profile::CD_RW) {
                return Err(Error::MediaNotSupported(format!(
                    "current profile {:04X}h is not CD-R or CD-RW",
                    profile.0
                )));
            }
            if !info.cd_mastering_current {
                return Err(Error::MediaNotSupported(
                    "CD Mastering (2Eh) is not current for this disc".into(),
                ));
            }
        }
        self.media = self.read_media()?;
        self.exec(
            &Command::PreventAllowMediumRemoval(PreventAllowMediumRemoval {
                prevent: true,
                persistent: false,
            }),
            DataPhase::None,
        )?;
        match self.prepare_locked() {
            Ok(status) => {
                self.state = State::Prepared { used: false };
                Ok(status)
            }
            Err(e) => {
                let _ = self.allow_removal();
                self.media = MediaInfo::default();
                Err(e)
            }
        }
    }

    fn prepare_locked(&mut self) -> Result<SpeedStatus> {
        let page = self
            .mode_sense(mode_page_05::PAGE_CODE, 0x60)?
            .ok_or_else(|| Error::Recorder {
                condition: RecorderCondition::NoSuchModePage,
                command: "MODE SENSE(10) page 05h".into(),
                sense: None,
                lba: None,
            })?;
        let original = WriteParameters::parse(&page.to_bytes())
            .map_err(|e| Error::invalid_response(format!("page 05h: {e}")))?;
        self.original_page05 = Some(original.clone());
        self.supported.clear();
        for ty in [ImageType::PqOnly, ImageType::Cooked, ImageType::Raw] {
            let wp = self.raw_page(ty, false, false);
            match self.mode_select_05(&wp) {
                Ok(()) => self.supported.push(ty),
                Err(e)
                    if e.recorder_condition() == Some(RecorderCondition::InvalidModeParameters) => {
                }
                Err(e) => return Err(e),
            }
        }
        let mut restore = original;
        restore.ps = false;
        // Some drives ship page defaults they refuse themselves (cdrecord
        // resets them); a refused restore is not an error.
        match self.mode_select_05(&restore) {
            Ok(()) => {}
            Err(e) if e.recorder_condition() == Some(RecorderCondition::InvalidModeParameters) => {}
            Err(e) => return Err(e),
        }
        if self.supported.is_empty() {
            return Err(Error::RecorderNotSupported(
                "the drive accepts no raw data block type (1, 2, 3) in page 05h".into(),
            ));
        }
        if self.speed_pending {
            self.speed_pending = false;
            return self.apply_speed();
        }
        Ok(SpeedStatus::Exact)
    }

    pub(crate) fn allow_removal(&mut self) -> Result<()> {
        self.exec(
            &Command::PreventAllowMediumRemoval(PreventAllowMediumRemoval {
                prevent: false,
                persistent: false,
            }),
            DataPhase::None,
        )
        .map(|_| ())
    }

    /// `ReleaseMedia`: SYNCHRONIZE CACHE (IMMED), waits until the drive is
    /// ready (bounded), ALLOW MEDIUM REMOVAL. The writer is idle afterwards
    /// whatever happens; the unlock's error, if any, is returned.
    pub fn release_media(&mut self) -> Result<()> {
        if self.cancel.is_writing() {
            return Err(Error::WriteInProgress);
        }
        self.check_prepared()?;
        self.state = State::Idle;
        self.media = MediaInfo::default();
        let _ = self.exec(
            &Command::SynchronizeCache(SynchronizeCache {
                immed: true,
                ..Default::default()
            }),
            DataPhase::None,
        );
        let _ = self.wait_until_ready(self.retry.finish_polls);
        self.allow_removal()
    }
}

use crate::msf::Lba;

/// Speed read-back tolerance in sectors/s (drives round to kB/s).
const SECTORS_TOLERANCE: i32 = 2;
