//! SET CD SPEED, GET PERFORMANCE, READ BUFFER CAPACITY, SEND OPC
//! INFORMATION (mmc.md §2.9–§2.11, §6).

use rawcd::mmc::param::buffer_capacity::BufferCapacity;
use rawcd::mmc::param::performance::{
    emit_performance, emit_write_speeds, PerformanceDescriptor, WriteSpeedDescriptor,
};
use rawcd::mmc::{GetPerformance, OpCode, ReadBufferCapacity, SendOpcInformation, SetCdSpeed};
use rawcd::transport::DataPhase;

use crate::dispatch::reply;
use crate::error::CommandError;
use crate::{DiscState, Emulator};

impl Emulator {
    pub(crate) fn set_cd_speed(&mut self, c: &SetCdSpeed) -> Result<usize, CommandError> {
        if c.rotation_control > 1 {
            return Err(CommandError::InvalidField { byte: 1, bit: None });
        }
        let speeds = &self.profile.write_speeds_kbps;
        let slowest = speeds.iter().copied().min().unwrap_or(176);
        let write = if c.write_speed == 0xffff {
            self.profile.max_write_speed()
        } else if c.write_speed < slowest {
            return Err(CommandError::InvalidField { byte: 4, bit: None });
        } else {
            speeds
                .iter()
                .copied()
                .filter(|&s| s <= c.write_speed)
                .max()
                .unwrap_or(slowest)
        };
        self.write_speed = write;
        self.read_speed = c.read_speed.min(self.profile.max_read_speed_kbps);
        self.clock.set_speed(write);
        Ok(0)
    }

    pub(crate) fn get_performance(
        &mut self,
        c: &GetPerformance,
        data: &mut DataPhase<'_>,
    ) -> Result<usize, CommandError> {
        if !self.profile.get_configuration {
            return Err(CommandError::Unsupported(OpCode::GET_PERFORMANCE));
        }
        let end = self
            .media
            .atip()
            .map_or(0, |a| a.last_possible_lead_out.max(0) as u32);
        let max = usize::from(c.max_descriptors);
        let bytes = match c.performance_type {
            0x03 => emit_write_speeds(
                &self
                    .profile
                    .write_speeds_kbps
                    .iter()
                    .take(max)
                    .map(|&w| WriteSpeedDescriptor {
                        wrc: 0,
                        rdd: false,
                        exact: false,
                        mrw: false,
                        end_lba: end,
                        read_speed: u32::from(self.profile.max_read_speed_kbps),
                        write_speed: u32::from(w),
                    })
                    .collect::<Vec<_>>(),
            ),
            0x00 => {
                let write = c.data_type & 0x04 != 0;
                let perf = if write {
                    u32::from(self.write_speed)
                } else {
                    u32::from(self.profile.max_read_speed_kbps)
                };
                let d = [PerformanceDescriptor {
                    start_lba: 0,
                    start_performance: perf,
                    end_lba: end,
                    end_performance: perf,
                }];
                emit_performance(u8::from(write) << 1, &d[..max.min(1)])
            }
            _ => {
                return Err(CommandError::InvalidField {
                    byte: 10,
                    bit: None,
                })
            }
        };
        Ok(reply(data, bytes.len(), &bytes))
    }

    pub(crate) fn read_buffer_capacity(
        &mut self,
        c: &ReadBufferCapacity,
        data: &mut DataPhase<'_>,
    ) -> Result<usize, CommandError> {
        let (length, available) = if c.block {
            (0, (self.clock.free() / 2048) as u32)
        } else {
            (self.clock.buffer_size() as u32, self.clock.free() as u32)
        };
        let b = BufferCapacity {
            block: c.block,
            length,
            available,
        };
        Ok(reply(data, usize::from(c.allocation_length), &b.to_bytes()))
    }

    pub(crate) fn send_opc(&mut self, c: &SendOpcInformation) -> Result<usize, CommandError> {
        if self.faults.write_protected {
            return Err(CommandError::Sense(rawcd::mmc::Sense::WRITE_PROTECTED));
        }
        if !self.media_writable() {
            return Err(CommandError::CannotWriteMedium);
        }
        if c.do_opc && std::mem::take(&mut self.faults.speed_mismatch) {
            return Err(CommandError::Sense(rawcd::mmc::Sense::OPC_FAILED));
        }
        Ok(0)
    }

    /// Whether the medium in the tray can be recorded by this drive now.
    pub(crate) fn media_writable(&self) -> bool {
        use crate::MediaKind;
        let state_ok = matches!(self.media.state(), DiscState::Blank | DiscState::Writing);
        match self.media.kind() {
            MediaKind::CdR => self.profile.cd_r_write && state_ok,
            MediaKind::CdRw => self.profile.cd_rw_write && state_ok,
            _ => false,
        }
    }
}
