//! MODE SENSE(10) / MODE SELECT(10): pages 01, 05 and 2A (mmc.md §2.8).
//! Page 05 trial semantics: an unsupported write type × data block type
//! pair, or test write in RAW on a drive that refuses it, is 5/26/00 —
//! the way real clients discover capabilities.

use rawcd::mmc::param::mode::{ModePage, ModeParameterList};
use rawcd::mmc::param::mode_page_01::ErrorRecovery;
use rawcd::mmc::param::mode_page_05::{self, WriteParameters, WriteType};
use rawcd::mmc::param::mode_page_2a::{Capabilities, WriteSpeedEntry};
use rawcd::mmc::{ModeSelect10, ModeSense10, PageControl};
use rawcd::transport::DataPhase;

use crate::dispatch::{data_out, reply};
use crate::error::CommandError;
use crate::Emulator;

impl Emulator {
    /// Page 2A as this drive reports it.
    pub(crate) fn capabilities(&self) -> Capabilities {
        let p = &self.profile;
        let mut caps = [0u8; 6];
        caps[0] = 0x07;
        caps[1] =
            u8::from(p.cd_r_write) | u8::from(p.cd_rw_write) << 1 | u8::from(p.test_write) << 2;
        caps[2] = 0x71 | if p.buf { 0x80 } else { 0 };
        caps[3] = 0x01 | 0x02 | 0x04 | 0x08 | 0x20 | 0x40;
        caps[4] = (1 << 5) | 0x08 | 0x01 | if self.locked { 0x02 } else { 0 };
        caps[5] = 0x00;
        Capabilities {
            caps,
            max_read_speed: p.max_read_speed_kbps,
            volume_levels: 256,
            buffer_size_kib: p.buffer_kib,
            current_read_speed: self.read_speed,
            max_write_speed: p.max_write_speed(),
            current_write_speed: self.write_speed,
            rotation_control: 0,
            current_write_speed_selected: self.write_speed,
            write_speeds: p
                .write_speeds_kbps
                .iter()
                .map(|&speed| WriteSpeedEntry {
                    rotation_control: 0,
                    speed,
                })
                .collect(),
        }
    }

    fn page_bytes(&self, code: u8, pc: PageControl) -> Option<Vec<u8>> {
        let mut b = match code {
            0x01 => ErrorRecovery {
                flags: 0,
                read_retry_count: 16,
                write_retry_count: 1,
                recovery_time_limit: 0,
            }
            .to_bytes()
            .to_vec(),
            0x05 => match pc {
                PageControl::Default => WriteParameters::default().to_bytes(),
                _ => self.write_params.to_bytes(),
            },
            0x2a => self.capabilities().to_bytes(),
            _ => return None,
        };
        if pc == PageControl::Changeable {
            let keep = b.len();
            b = vec![0u8; keep];
            b[0] = code;
            b[1] = (keep - 2) as u8;
            if code == 0x05 {
                b[2..].fill(0xff);
            }
            if code == 0x01 {
                b[2..].fill(0xff);
            }
        }
        b[0] |= 0x80;
        Some(b)
    }

    pub(crate) fn mode_sense(
        &mut self,
        c: &ModeSense10,
        data: &mut DataPhase<'_>,
    ) -> Result<usize, CommandError> {
        let pc = c.page_control;
        if pc == PageControl::Saved {
            return Err(CommandError::SavingNotSupported);
        }
        if c.subpage_code != 0 {
            return Err(CommandError::InvalidField { byte: 3, bit: None });
        }
        let codes: Vec<u8> = if c.page_code == 0x3f {
            vec![0x01, 0x05, 0x2a]
        } else {
            vec![c.page_code]
        };
        let mut out = vec![0u8; 8];
        for code in codes {
            match self.page_bytes(code, pc) {
                Some(b) => out.extend_from_slice(&b),
                None => return Err(CommandError::InvalidField { byte: 2, bit: None }),
            }
        }
        let len = (out.len() - 2) as u16;
        out[0..2].copy_from_slice(&len.to_be_bytes());
        Ok(reply(data, usize::from(c.allocation_length), &out))
    }

    pub(crate) fn mode_select(
        &mut self,
        c: &ModeSelect10,
        data: &DataPhase<'_>,
    ) -> Result<usize, CommandError> {
        if c.sp {
            return Err(CommandError::SavingNotSupported);
        }
        let len = usize::from(c.parameter_list_length);
        if len == 0 {
            return Ok(0);
        }
        let bytes = data_out(data);
        if bytes.len() < len {
            return Err(CommandError::ParameterListLength);
        }
        let list = ModeParameterList::parse(&bytes[..len]).map_err(|e| match e {
            rawcd::mmc::Error::InvalidField { byte, reason } => CommandError::InvalidParameter {
                byte: byte as u16,
                reason,
            },
            _ => CommandError::ParameterListLength,
        })?;
        if u16::from_be_bytes([bytes[0], bytes[1]]) != 0 {
            return Err(CommandError::InvalidParameter {
                byte: 0,
                reason: "mode data length must be 0",
            });
        }
        let pages_at = 8 + 8 * list.block_descriptors.len();
        let mut new_wp = None;
        let mut at = pages_at;
        for page in &list.pages {
            self.check_page(page, at, &mut new_wp)?;
            at += 2 + page.data.len();
        }
        if let Some(bd) = list.block_descriptors.last() {
            if !matches!(bd.block_length, 0 | 2048 | 2352 | 2336 | 2340) {
                return Err(CommandError::InvalidParameter {
                    byte: 13,
                    reason: "block length",
                });
            }
            if bd.block_length != 0 {
                self.block_length = bd.block_length;
            }
        }
        if let Some(wp) = new_wp {
            self.write_params = wp;
        }
        Ok(0)
    }

    fn check_page(
        &self,
        page: &ModePage,
        at: usize,
        new_wp: &mut Option<WriteParameters>,
    ) -> Result<(), CommandError> {
        let bad = |off: usize, reason| CommandError::InvalidParameter {
            byte: (at + off).min(u16::MAX as usize) as u16,
            reason,
        };
        // PS is reserved in MODE SELECT; real drives ignore it, and wodim
        // sends page 05 back exactly as MODE SENSE returned it (PS = 1).
        match page.code {
            0x01 => Ok(()),
            mode_page_05::PAGE_CODE => {
                let wp = WriteParameters::parse(&page.to_bytes())
                    .map_err(|_| bad(1, "page 05 too short"))?;
                let wt = u8::from(wp.write_type);
                let dbt = u8::from(wp.data_block_type);
                if !self.profile.supports_write_type(wt) {
                    return Err(bad(2, "write type not supported"));
                }
                if !self.profile.accepts(wt, dbt) {
                    return Err(bad(4, "data block type not supported with this write type"));
                }
                if wp.test_write {
                    let ok = if wp.write_type == WriteType::Raw {
                        self.profile.raw_test_write
                    } else {
                        self.profile.test_write
                    };
                    if !ok {
                        return Err(bad(2, "test write not supported"));
                    }
                }
                if wp.bufe && !self.profile.buf {
                    return Err(bad(2, "BUFE without BUF"));
                }
                if wp.multi_session == 2 {
                    return Err(bad(3, "multi-session 10b is reserved"));
                }
                let between_tao_tracks = self.session.as_ref().is_some_and(|s| {
                    s.write_type == 1 && wt == 1 && s.tao.as_ref().is_some_and(|t| t.open.is_none())
                });
                if self.session.is_some()
                    && !between_tao_tracks
                    && self.write_params_wt_dbt() != (wt, dbt)
                {
                    return Err(CommandError::CommandSequence(
                        "write parameters changed during a burn",
                    ));
                }
                *new_wp = Some(wp);
                Ok(())
            }
            _ => Err(bad(0, "page not changeable")),
        }
    }

    fn write_params_wt_dbt(&self) -> (u8, u8) {
        (
            u8::from(self.write_params.write_type),
            u8::from(self.write_params.data_block_type),
        )
    }
}
