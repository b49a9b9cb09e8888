//! `WriteMedia` / `WriteMedia2`: the check order of imapi2.md §7.7, the
//! stream positioning, the WRITE loop with progress events and
//! cancellation, and the finishing (SYNCHRONIZE CACHE + polling).

use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::error::{Error, RecorderCondition, Result};
use crate::mmc::param::buffer_capacity::BufferCapacity;
use crate::mmc::{Command, ReadBufferCapacity, SendOpcInformation, SynchronizeCache, Write10};
use crate::msf::Lba;
use crate::transport::{DataPhase, Transport};

use super::events::{Control, WriteAction, WriteEvent};
use super::stream::{leadout_from_leadin_sector, ImageStream};
use super::{
    DiscFormat2RawCd, State, DEFAULT_STREAM_LEAD_IN_SECTORS, LEADOUT_SECTORS, MIN_POST_GAP_SECTORS,
    MIN_STREAM_LEAD_IN_SECTORS,
};

/// Lead-in sectors examined for the POINT A2 frame.
const A2_SCAN_SECTORS: usize = 400;

/// Progress of one write, for the events.
struct Progress {
    start_lba: Lba,
    sector_count: u32,
    last_read: Lba,
    last_written: Lba,
    used_system: u64,
    total_system: u64,
    started: Duration,
    writing_started: Option<Duration>,
    next_event: Duration,
    device_buffer: Option<BufferCapacity>,
    device_buffer_supported: bool,
}

impl<T: Transport> DiscFormat2RawCd<T> {
    /// `WriteMedia`: writes an image whose first sector is MSF 95:00:00,
    /// i.e. `write_media2(stream, 22650)`.
    pub fn write_media(&mut self, stream: &mut dyn ImageStream) -> Result<()> {
        self.write_media2(stream, DEFAULT_STREAM_LEAD_IN_SECTORS)
    }

    /// `WriteMedia2`: writes an image holding `stream_lead_in_sectors`
    /// sectors before LBA 0 (its first sector is LBA −`stream_lead_in_sectors`).
    ///
    /// Checks, in IMAPI's order: lead-in count ≤ 4650 → `STREAM_NOT_SUPPORTED`;
    /// no recorder → `E_IMAPI_RECORDER_REQUIRED`; not prepared; write in
    /// progress; already written since `prepare_media` → `MEDIA_IS_NOT_BLANK`;
    /// disc not blank → `MEDIA_IS_NOT_BLANK`; the stream starts after the
    /// disc's lead-in start → `STREAM_LEADIN_TOO_SHORT`; size not a multiple
    /// of the sector size, empty, or fewer than 6900 sectors from LBA 0 →
    /// `STREAM_NOT_SUPPORTED`; lead-out beyond `LastPossibleStartOfLeadout`
    /// (by size, then by the image's A2 point) → `NOT_ENOUGH_SPACE`.
    pub fn write_media2(
        &mut self,
        stream: &mut dyn ImageStream,
        stream_lead_in_sectors: i32,
    ) -> Result<()> {
        if stream_lead_in_sectors <= MIN_STREAM_LEAD_IN_SECTORS {
            return Err(Error::StreamNotSupported(format!(
                "{stream_lead_in_sectors} sectors before LBA 0 (more than {MIN_STREAM_LEAD_IN_SECTORS} needed)"
            )));
        }
        if self.recorder.is_none() {
            return Err(Error::RecorderRequired);
        }
        let State::Prepared { used } = self.state else {
            return Err(Error::MediaNotPrepared);
        };
        if self.cancel.is_writing() {
            return Err(Error::WriteInProgress);
        }
        if used {
            return Err(Error::MediaNotBlank(
                "a write was already attempted since prepare_media (one write per preparation)"
                    .into(),
            ));
        }
        self.state = State::Prepared { used: true };
        let lead_in_start = match self.media.lead_in_start {
            Some(l) if l < 0 => l,
            _ => {
                return Err(Error::MediaNotBlank(
                    "the disc reports no blank session to write".into(),
                ))
            }
        };
        let stream_start = -stream_lead_in_sectors;
        if i64::from(lead_in_start) + i64::from(stream_lead_in_sectors) < 0 {
            return Err(Error::StreamLeadInTooShort {
                stream_start,
                lead_in_start,
            });
        }
        let ty = self.requested_sector_type;
        let ss = ty.sector_size() as u64;
        let len = stream
            .stream_len()
            .map_err(|e| Error::StreamNotSupported(format!("cannot size the stream: {e}")))?;
        if len == 0 || len % ss != 0 || len / ss > 0x7fff_ffff {
            return Err(Error::StreamNotSupported(format!(
                "{len} bytes is not a whole number of {ss}-byte sectors ({} image)",
                ty
            )));
        }
        let sectors = (len / ss) as i64;
        let post = sectors - i64::from(stream_lead_in_sectors);
        if post < MIN_POST_GAP_SECTORS {
            return Err(Error::StreamNotSupported(format!(
                "{post} sectors at or after LBA 0 (at least {MIN_POST_GAP_SECTORS} needed)"
            )));
        }
        let limit = self
            .media
            .last_possible_leadout
            .ok_or_else(|| Error::MediaNotBlank("the disc reports no free space".into()))?;
        let leadout_by_size = post - LEADOUT_SECTORS;
        if leadout_by_size > i64::from(limit) {
            return Err(Error::NotEnoughSpace {
                leadout: leadout_by_size as Lba,
                limit,
            });
        }
        let skip = i64::from(stream_lead_in_sectors) + i64::from(lead_in_start);
        let count = sectors - skip;
        let seekable = position(stream, skip as u64 * ss, None)?;
        if seekable {
            if let Some(leadout) = scan_a2(stream, ty, skip as u64 * ss, count)? {
                if leadout > limit {
                    return Err(Error::NotEnoughSpace { leadout, limit });
                }
            }
        }
        self.cancel.shared.cancel.store(false, Ordering::SeqCst);
        self.cancel.shared.writing.store(true, Ordering::SeqCst);
        let r = self.run_write(
            stream,
            lead_in_start,
            count as u32,
            seekable,
            skip as u64 * ss,
        );
        self.cancel.shared.writing.store(false, Ordering::SeqCst);
        self.cancel.shared.cancel.store(false, Ordering::SeqCst);
        r
    }

    fn run_write(
        &mut self,
        stream: &mut dyn ImageStream,
        start: Lba,
        count: u32,
        seekable: bool,
        skip_bytes: u64,
    ) -> Result<()> {
        let ty = self.requested_sector_type;
        let ss = ty.sector_size();
        let bpw = (self.max_transfer / ss).clamp(1, 0xffff);
        let now = self.now();
        let mut p = Progress {
            start_lba: start,
            sector_count: count,
            last_read: start - 1,
            last_written: start - 1,
            used_system: 0,
            total_system: (bpw * ss) as u64,
            started: now,
            writing_started: None,
            next_event: now,
            device_buffer: None,
            device_buffer_supported: true,
        };
        self.emit(&mut p, WriteAction::Preparing, now);
        if self.cancel.cancelled() {
            return Err(Error::RequestCancelled { at: None });
        }
        let bufe = !self.buffer_underrun_free_disabled && self.info.as_ref().is_some_and(|i| i.buf);
        let wp = self.raw_page(ty, self.test_write, bufe);
        if let Err(e) = self.mode_select_05(&wp) {
            return Err(match e.recorder_condition() {
                Some(RecorderCondition::InvalidModeParameters) if !self.test_write => {
                    Error::DataBlockTypeNotSupported(ty.imapi_value())
                }
                _ => e,
            });
        }
        if !self.test_write {
            let opc = Command::SendOpcInformation(SendOpcInformation {
                do_opc: true,
                parameter_list_length: 0,
            });
            match self.exec(&opc, DataPhase::None) {
                Ok(_) => {}
                // 5/20/00: OPC not supported — harmless (cdrdao, cdrecord).
                Err(e) if is_invalid_opcode(&e) => {}
                Err(e) => return Err(e),
            }
        }
        self.send_set_cd_speed()?;
        self.poll_buffer(&mut p);
        if !seekable {
            // Forward-only stream: read and discard up to the first sector.
            position(stream, skip_bytes, Some(&mut vec![0u8; bpw * ss]))?;
        }
        let result = self.write_loop(stream, &mut p, bpw, ss);
        match result {
            Ok(()) => self.finish(&mut p),
            Err(e) => {
                // cdrdao abortDao: flush what the drive holds; a write error
                // takes precedence over a sync error.
                let _ = self.exec(
                    &Command::SynchronizeCache(SynchronizeCache {
                        immed: true,
                        ..Default::default()
                    }),
                    DataPhase::None,
                );
                Err(e)
            }
        }
    }

    fn write_loop(
        &mut self,
        stream: &mut dyn ImageStream,
        p: &mut Progress,
        bpw: usize,
        ss: usize,
    ) -> Result<()> {
        let mut buf = vec![0u8; bpw * ss];
        let end = i64::from(p.start_lba) + i64::from(p.sector_count);
        let mut lba = i64::from(p.start_lba);
        let now = self.now();
        p.writing_started = Some(now);
        self.emit(p, WriteAction::Writing, now);
        while lba < end {
            if self.cancel.cancelled() {
                return Err(Error::RequestCancelled {
                    at: Some(lba as Lba),
                });
            }
            let n = (end - lba).min(bpw as i64) as usize;
            let chunk = &mut buf[..n * ss];
            stream
                .read_exact(chunk)
                .map_err(|source| Error::StreamRead {
                    lba: lba as Lba,
                    source,
                })?;
            p.last_read = (lba + n as i64 - 1) as Lba;
            p.used_system = chunk.len() as u64;
            self.write10(lba as Lba, n as u16, chunk)?;
            p.used_system = 0;
            lba += n as i64;
            p.last_written = (lba - 1) as Lba;
            let now = self.now();
            if now >= p.next_event {
                self.poll_buffer(p);
                self.emit(p, WriteAction::Writing, now);
            }
        }
        Ok(())
    }

    /// One WRITE(10), resent after a pause while the drive says 2/04/08
    /// (buffer full) or BUSY.
    fn write10(&mut self, lba: Lba, blocks: u16, data: &[u8]) -> Result<()> {
        let cmd = Command::Write10(Write10 {
            dpo: false,
            fua: false,
            lba,
            transfer_length: blocks,
        });
        let mut tries = 0;
        loop {
            match self.exec(&cmd, DataPhase::Out(data)) {
                Ok(_) => return Ok(()),
                Err(e)
                    if e.recorder_condition() == Some(RecorderCondition::MediaBusy)
                        && tries < self.retry.long_write_retries =>
                {
                    tries += 1;
                    self.sleep(self.retry.long_write_delay);
                }
                Err(Error::NotEnoughSpace { .. }) => {
                    return Err(Error::NotEnoughSpace {
                        leadout: lba,
                        limit: self.media.last_possible_leadout.unwrap_or(0),
                    })
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// SYNCHRONIZE CACHE (IMMED), then TEST UNIT READY and READ DISC
    /// INFORMATION until the drive is no longer busy (bounded).
    fn finish(&mut self, p: &mut Progress) -> Result<()> {
        let now = self.now();
        self.emit(p, WriteAction::Finishing, now);
        let sync = self.exec(
            &Command::SynchronizeCache(SynchronizeCache {
                immed: true,
                ..Default::default()
            }),
            DataPhase::None,
        );
        if let Err(e) = sync {
            if !super::drive_busy(&e) {
                return Err(e);
            }
        }
        let polls = self.retry.finish_polls;
        let mut n = 0;
        loop {
            match self.exec(&Command::TestUnitReady, DataPhase::None) {
                Ok(_) => break,
                Err(e) if super::drive_busy(&e) && n < polls => {
                    n += 1;
                    self.sleep(self.retry.poll_interval);
                    let now = self.now();
                    if now >= p.next_event {
                        self.emit(p, WriteAction::Finishing, now);
                    }
                }
                Err(e) => return Err(e),
            }
        }
        let info = Command::ReadDiscInformation(crate::mmc::ReadDiscInformation {
            data_type: 0,
            allocation_length: 34,
        });
        self.exec_in_waiting(&info, 34, polls.saturating_sub(n))?;
        let now = self.now();
        self.emit(p, WriteAction::Finishing, now);
        Ok(())
    }

    /// READ BUFFER CAPACITY, until the drive refuses it once.
    fn poll_buffer(&mut self, p: &mut Progress) {
        if !p.device_buffer_supported {
            return;
        }
        let cmd = Command::ReadBufferCapacity(ReadBufferCapacity {
            block: false,
            allocation_length: 12,
        });
        match self.exec_in(&cmd, 12) {
            Ok(d) => p.device_buffer = BufferCapacity::parse(&d).ok(),
            Err(_) => {
                p.device_buffer_supported = false;
                p.device_buffer = None;
            }
        }
    }

    /// Builds and delivers one event; a `Control::Cancel` from the handler
    /// cancels like [`super::CancelHandle::cancel_write`].
    fn emit(&mut self, p: &mut Progress, action: WriteAction, now: Duration) {
        p.next_event = now + self.event_interval;
        let Some(handler) = self.events.as_mut() else {
            return;
        };
        let elapsed = now.saturating_sub(p.started).as_secs_f64();
        let done = (i64::from(p.last_written) - i64::from(p.start_lba) + 1).max(0) as f64;
        let remaining = match (action, p.writing_started) {
            (WriteAction::Writing, Some(ws)) if done > 0.0 => {
                let rate = done / now.saturating_sub(ws).as_secs_f64().max(1e-6);
                (f64::from(p.sector_count) - done).max(0.0) / rate
            }
            _ => 0.0,
        };
        let (total_d, free_d) = match p.device_buffer {
            Some(b) if !b.block && b.length > 0 => (
                Some(u64::from(b.length)),
                Some(u64::from(b.available.min(b.length))),
            ),
            _ => (None, None),
        };
        let ev = WriteEvent {
            current_action: action,
            elapsed_time: elapsed,
            remaining_time: remaining,
            start_lba: p.start_lba,
            sector_count: p.sector_count,
            last_read_lba: p.last_read,
            last_written_lba: p.last_written,
            total_system_buffer: p.total_system,
            used_system_buffer: p.used_system,
            free_system_buffer: p.total_system - p.used_system,
            total_device_buffer: total_d,
            used_device_buffer: total_d.zip(free_d).map(|(t, f)| t - f),
            free_device_buffer: free_d,
        };
        if handler(&ev) == Control::Cancel && self.cancel.is_writing() {
            self.cancel.shared.cancel.store(true, Ordering::SeqCst);
        }
    }
}

fn is_invalid_opcode(e: &Error) -> bool {
    matches!(e, Error::Recorder { sense: Some(s), .. } if s.asc == 0x20)
}

/// Positions `stream` at byte `pos`: seeks when it can (`Ok(true)`); with a
/// `discard` buffer, reads forward instead (`Ok(false)`); without one,
/// reports that it cannot seek (`Ok(false)`).
fn position(stream: &mut dyn ImageStream, pos: u64, discard: Option<&mut Vec<u8>>) -> Result<bool> {
    match stream.seek_to(pos) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::Unsupported => {
            if let Some(buf) = discard {
                let mut left = pos;
                while left > 0 {
                    let n = left.min(buf.len() as u64) as usize;
                    stream
                        .read_exact(&mut buf[..n])
                        .map_err(|source| Error::StreamRead { lba: 0, source })?;
                    left -= n as u64;
                }
            }
            Ok(false)
        }
        Err(e) => Err(Error::StreamNotSupported(format!("seek failed: {e}"))),
    }
}

/// Looks for the POINT A2 frame in the first lead-in sectors from `pos`,
/// then seeks back.
fn scan_a2(
    stream: &mut dyn ImageStream,
    ty: crate::image::ImageType,
    pos: u64,
    count: i64,
) -> Result<Option<Lba>> {
    let ss = ty.sector_size();
    let mut sector = vec![0u8; ss];
    let mut found = None;
    for _ in 0..(A2_SCAN_SECTORS as i64).min(count) {
        if stream.read_exact(&mut sector).is_err() {
            break;
        }
        if let Some(l) = leadout_from_leadin_sector(&sector, ty) {
            found = Some(l);
            break;
        }
    }
    stream
        .seek_to(pos)
        .map_err(|e| Error::StreamNotSupported(format!("seek failed: {e}")))?;
    Ok(found)
}
