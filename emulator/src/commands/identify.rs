//! REQUEST SENSE, INQUIRY, GET CONFIGURATION, GET EVENT STATUS
//! NOTIFICATION, START STOP UNIT (mmc.md §2.1–§2.3, §2.15).

use rawcd::mmc::param::event_status::{MediaEvent, MediaEventStatus, CLASS_MEDIA};
use rawcd::mmc::param::features::{
    Configuration, FeatureCode, FeatureData, FeatureDescriptor, Profile, ProfileDescriptor,
};
use rawcd::mmc::param::inquiry::InquiryData;
use rawcd::mmc::{
    FixedSense, GetConfiguration, GetEventStatusNotification, Inquiry, OpCode, RequestSense,
    RequestType, Sense, StartStopUnit,
};
use rawcd::transport::DataPhase;

use crate::dispatch::reply;
use crate::error::CommandError;
use crate::media::MediaKind;
use crate::{DiscState, Emulator};

impl Emulator {
    pub(crate) fn request_sense(
        &mut self,
        c: &RequestSense,
        data: &mut DataPhase<'_>,
    ) -> Result<usize, CommandError> {
        if c.desc {
            return Err(CommandError::InvalidField {
                byte: 1,
                bit: Some(0),
            });
        }
        let fixed = match (self.pending_sense.take(), self.busy_sense()) {
            (Some(f), _) => f,
            (None, Some((s, p))) => FixedSense::with_progress(s, p),
            (None, None) => FixedSense::current(Sense::NO_SENSE),
        };
        Ok(reply(
            data,
            usize::from(c.allocation_length),
            &fixed.to_bytes(),
        ))
    }

    pub(crate) fn inquiry(
        &mut self,
        c: &Inquiry,
        data: &mut DataPhase<'_>,
    ) -> Result<usize, CommandError> {
        if c.evpd {
            return Err(CommandError::InvalidField {
                byte: 1,
                bit: Some(0),
            });
        }
        if c.page_code != 0 {
            return Err(CommandError::InvalidField { byte: 2, bit: None });
        }
        let i = &self.profile.inquiry;
        let mut d = InquiryData::cd_drive(&i.vendor, &i.product, &i.revision);
        d.version = if self.profile.get_configuration { 5 } else { 0 };
        Ok(reply(data, usize::from(c.allocation_length), &d.to_bytes()))
    }

    /// The current profile: CD-R, CD-RW, CD-ROM, or none.
    pub(crate) fn current_profile(&self) -> Profile {
        if self.tray_open {
            return Profile::NONE;
        }
        match self.media.kind() {
            MediaKind::None => Profile::NONE,
            MediaKind::CdR => Profile::CD_R,
            MediaKind::CdRw => Profile::CD_RW,
            MediaKind::CdRom => Profile::CD_ROM,
        }
    }

    fn writable_now(&self) -> bool {
        let blank = matches!(self.media.state(), DiscState::Blank | DiscState::Writing);
        match self.current_profile() {
            Profile::CD_R => self.profile.cd_r_write && blank,
            Profile::CD_RW => self.profile.cd_rw_write,
            _ => false,
        }
    }

    /// Every feature descriptor this drive reports, current bits set for
    /// the medium in the tray.
    pub(crate) fn features(&self) -> Vec<FeatureDescriptor> {
        let present = self.current_profile() != Profile::NONE;
        let writable = self.writable_now();
        let f = |code: u16, version: u8, current: bool, data: FeatureData| FeatureDescriptor {
            code: FeatureCode(code),
            version,
            persistent: matches!(code, 0x0000 | 0x0001 | 0x0002 | 0x0003 | 0x0100 | 0x0107),
            current,
            data,
        };
        let cur = self.current_profile();
        let mut v = vec![
            f(
                0x0000,
                0,
                true,
                FeatureData::ProfileList(
                    self.profile
                        .profiles
                        .iter()
                        .map(|&p| ProfileDescriptor {
                            profile: Profile(p),
                            current: Profile(p) == cur,
                        })
                        .collect(),
                ),
            ),
            f(
                0x0001,
                1,
                true,
                FeatureData::Core {
                    physical_interface: 2,
                    flags: Some(0),
                },
            ),
            f(0x0002, 1, true, FeatureData::Raw(vec![0, 0, 0, 0])),
            f(
                0x0003,
                0,
                true,
                FeatureData::RemovableMedium {
                    loading_mechanism: 1,
                    eject: true,
                    prevent_jumper: false,
                    lock: true,
                },
            ),
            f(0x001d, 0, present, FeatureData::Raw(Vec::new())),
            f(
                0x001e,
                2,
                present,
                FeatureData::CdRead {
                    dap: false,
                    c2_flags: false,
                    cd_text: false,
                },
            ),
        ];
        if self.profile.supports_write_type(1) {
            let (flags, data_block_types) = self.profile.cd_tao();
            v.push(f(
                0x002d,
                2,
                writable,
                FeatureData::CdTrackAtOnce {
                    flags,
                    data_block_types,
                },
            ));
        }
        if self.profile.supports_write_type(2) || self.profile.supports_write_type(3) {
            v.push(f(
                0x002e,
                1,
                writable,
                FeatureData::CdMastering {
                    flags: self.profile.cd_mastering_flags(),
                    max_cue_sheet_length: self.profile.max_cue_sheet_length,
                },
            ));
        }
        if self.profile.cd_rw_write {
            v.push(f(
                0x0037,
                0,
                cur == Profile::CD_RW,
                FeatureData::Raw(vec![0, 0x02, 0, 0]),
            ));
        }
        v.push(f(0x0100, 0, true, FeatureData::Raw(Vec::new())));
        v.push(f(
            0x0107,
            3,
            true,
            FeatureData::RealTimeStreaming { flags: 0x1e },
        ));
        v
    }

    pub(crate) fn get_configuration(
        &mut self,
        c: &GetConfiguration,
        data: &mut DataPhase<'_>,
    ) -> Result<usize, CommandError> {
        if !self.profile.get_configuration {
            return Err(CommandError::Unsupported(OpCode::GET_CONFIGURATION));
        }
        let features = self.features().into_iter().filter(|d| match c.rt {
            RequestType::All => d.code.0 >= c.starting_feature,
            RequestType::Current => d.code.0 >= c.starting_feature && d.current,
            RequestType::One => d.code.0 == c.starting_feature,
            RequestType::Unknown(_) => false,
        });
        if let RequestType::Unknown(_) = c.rt {
            return Err(CommandError::InvalidField { byte: 1, bit: None });
        }
        let conf = Configuration {
            current_profile: self.current_profile(),
            features: features.collect(),
        };
        Ok(reply(
            data,
            usize::from(c.allocation_length),
            &conf.to_bytes(),
        ))
    }

    pub(crate) fn event_status(
        &mut self,
        c: &GetEventStatusNotification,
        data: &mut DataPhase<'_>,
    ) -> Result<usize, CommandError> {
        if !c.polled {
            return Err(CommandError::InvalidField {
                byte: 1,
                bit: Some(0),
            });
        }
        let supported = 1 << CLASS_MEDIA;
        let status = if c.class_request & supported != 0 {
            MediaEventStatus {
                nea: false,
                class: CLASS_MEDIA,
                supported_classes: supported,
                event: Some(self.events.pop_front().unwrap_or(MediaEvent::NoChange)),
                media_present: self.media.is_present() && !self.tray_open,
                tray_open: self.tray_open,
            }
        } else {
            MediaEventStatus {
                nea: true,
                class: 0,
                supported_classes: supported,
                event: None,
                media_present: false,
                tray_open: false,
            }
        };
        Ok(reply(
            data,
            usize::from(c.allocation_length),
            &status.to_bytes(),
        ))
    }

    pub(crate) fn start_stop(&mut self, c: &StartStopUnit) -> Result<usize, CommandError> {
        if c.power_condition != 0 {
            return Ok(0);
        }
        match (c.load_eject, c.start) {
            (true, false) => {
                if self.locked {
                    return Err(CommandError::RemovalPrevented);
                }
                if self.session.is_some() || self.busy.is_some() {
                    return Err(CommandError::CommandSequence("eject during a burn"));
                }
                if !self.tray_open {
                    self.tray_open = true;
                    self.cue = None;
                    self.events.push_back(MediaEvent::MediaRemoval);
                }
                Ok(0)
            }
            (true, true) => {
                if self.tray_open {
                    self.tray_open = false;
                    if self.media.is_present() {
                        self.events.push_back(MediaEvent::NewMedia);
                        self.unit_attention.push_back(Sense::MEDIUM_CHANGED);
                    }
                }
                Ok(0)
            }
            (false, true) => {
                if self.tray_open || !self.media.is_present() {
                    return Err(CommandError::NoMedium {
                        tray_open: self.tray_open,
                    });
                }
                Ok(0)
            }
            (false, false) => Ok(0),
        }
    }
}
