//! WRITE(10)/(12), SEND CUE SHEET, SYNCHRONIZE CACHE, CLOSE TRACK/SESSION,
//! BLANK — the strict state machine of mmc.md §2.12–§2.14 and
//! real-clients.md §5.4: NWA rules, contiguous writes, block size from page
//! 05 (RAW, TAO per track) or the cue sheet (SAO), no writes to closed
//! media, BLANK only on CD-RW, the cue sheet only in SAO, CLOSE TRACK/SESSION
//! only in TAO (SYNCHRONIZE CACHE only flushes there), nothing past the last
//! possible lead-out (+ the lead-out in RAW).

use rawcd::mmc::{Blank, CloseTrackSession, SendCueSheet, Sense, SynchronizeCache};
use rawcd::msf::{Lba, LEADOUT_SECTORS};
use rawcd::transport::DataPhase;

use crate::disc::{DiscMeta, DiscToc, DiscTrack};
use crate::dispatch::data_out;
use crate::engines::sao::CuePlan;
use crate::engines::{raw, tao, Session};
use crate::error::CommandError;
use crate::media::{MediaKind, Sectors};
use crate::persist::{SectorStore, SLOT_LEN};
use crate::{Busy, DiscState, Emulator};

fn io_error(_: std::io::Error) -> CommandError {
    CommandError::Sense(Sense::WRITE_ERROR)
}

impl Emulator {
    fn check_recordable(&self) -> Result<(), CommandError> {
        if self.faults.write_protected {
            return Err(CommandError::Sense(Sense::WRITE_PROTECTED));
        }
        if !matches!(self.media.kind(), MediaKind::CdR | MediaKind::CdRw) {
            return Err(CommandError::CannotWriteMedium);
        }
        if self.media.kind() == MediaKind::CdRw && !self.profile.cd_rw_write
            || self.media.kind() == MediaKind::CdR && !self.profile.cd_r_write
        {
            return Err(CommandError::CannotWriteMedium);
        }
        Ok(())
    }

    fn start_session(&mut self, lba: Lba) -> Result<(), CommandError> {
        let wt = u8::from(self.write_params.write_type);
        let dbt = u8::from(self.write_params.data_block_type);
        let atip = *self.media.atip().ok_or(CommandError::CannotWriteMedium)?;
        let (first, end) = match wt {
            3 => (
                atip.lead_in_start,
                atip.last_possible_lead_out + LEADOUT_SECTORS,
            ),
            2 => {
                let cue = self.cue.as_ref().ok_or(CommandError::CommandSequence(
                    "WRITE in SAO before SEND CUE SHEET",
                ))?;
                (-150, cue.leadout)
            }
            1 => (0, atip.last_possible_lead_out - tao::RUN_OUT),
            _ => {
                return Err(CommandError::CommandSequence(
                    "packet writing is not modelled (RAW, SAO and TAO are)",
                ))
            }
        };
        if lba != first {
            return Err(CommandError::InvalidWriteAddress {
                lba,
                expected: Some(first),
            });
        }
        let test = self.write_params.test_write;
        if !test {
            let store = SectorStore::create(self.disc_out.as_deref(), atip.lead_in_start)
                .map_err(io_error)?;
            self.media.sectors = Sectors::Store(store);
            self.media.state = DiscState::Writing;
            self.media.written_end = first;
        }
        self.findings.clear();
        self.findings_dropped = 0;
        self.clock
            .start_writing(self.write_params.bufe && self.profile.buf);
        self.session = Some(Session::new(wt, dbt, first, end, test));
        Ok(())
    }

    pub(crate) fn write(
        &mut self,
        lba: Lba,
        blocks: u32,
        data: &DataPhase<'_>,
    ) -> Result<usize, CommandError> {
        self.check_recordable()?;
        if matches!(self.media.state(), DiscState::Complete | DiscState::Damaged) {
            return Err(CommandError::InvalidWriteAddress {
                lba,
                expected: None,
            });
        }
        if blocks == 0 {
            return Ok(0);
        }
        if self.session.is_none() {
            self.start_session(lba)?;
        }
        if self.clock.take_underrun() {
            self.break_session();
            return Err(CommandError::Underrun);
        }
        let Some(s) = self.session.as_ref() else {
            return Ok(0);
        };
        if s.broken {
            return Err(CommandError::InvalidWriteAddress {
                lba,
                expected: None,
            });
        }
        if lba != s.next_lba {
            return Err(CommandError::InvalidWriteAddress {
                lba,
                expected: Some(s.next_lba),
            });
        }
        if s.tao.as_ref().is_some_and(|t| t.open.is_none()) {
            self.open_tao_track(lba)?;
        }
        if !self.clock.is_writing() {
            self.clock
                .start_writing(self.write_params.bufe && self.profile.buf);
        }
        let Some(s) = self.session.as_ref() else {
            return Ok(0);
        };
        let end = i64::from(lba) + i64::from(blocks);
        if end > i64::from(s.end_limit) {
            return Err(CommandError::LbaOutOfRange {
                lba,
                limit: s.end_limit,
            });
        }
        let sizes = self.block_sizes(lba, blocks)?;
        let total: usize = sizes.iter().sum();
        let bytes = data_out(data);
        if bytes.len() < total {
            return Err(CommandError::InvalidField { byte: 7, bit: None });
        }
        if let Some(sense) = self.faults.next_write.take() {
            if sense == Sense::UNDERRUN {
                self.break_session();
            }
            return Err(CommandError::Sense(sense));
        }
        let mut n = blocks as Lba;
        let power_loss = self
            .faults
            .power_loss_at
            .filter(|&p| p >= lba && p < lba + n);
        if let Some(p) = power_loss {
            n = p - lba;
        }
        self.record(lba, &sizes[..n as usize], &bytes[..total])?;
        self.clock.host_write(total as u64);
        if power_loss.is_some() {
            if let Sectors::Store(st) = &mut self.media.sectors {
                let _ = st.flush();
            }
            self.powered = false;
        }
        Ok(0)
    }

    /// Opens the next TAO track at `lba` (the NWA) with the page 05 in
    /// force; the drive writes its pregap.
    fn open_tao_track(&mut self, lba: Lba) -> Result<(), CommandError> {
        let limit = self.media.atip().map_or(0, |a| a.last_possible_lead_out);
        let Some(s) = self.session.as_mut() else {
            return Ok(());
        };
        let Some(t) = s.tao.as_mut() else {
            return Ok(());
        };
        let pregap = t
            .open_track(&self.write_params, limit)
            .map_err(|e| match e {
                CommandError::IllegalModeForTrack(_) => CommandError::IllegalModeForTrack(lba),
                e => e,
            })?;
        s.dbt = u8::from(self.write_params.data_block_type);
        if s.test {
            return Ok(());
        }
        if let Sectors::Store(st) = &mut self.media.sectors {
            let mut l = pregap.start;
            while l < pregap.end {
                let n = ((pregap.end - l) as usize).min(64);
                let slots = st.reserve(l, n).map_err(io_error)?;
                for (i, slot) in slots.chunks_exact_mut(SLOT_LEN).enumerate() {
                    t.generated(l + i as Lba, slot);
                }
                l += n as Lba;
            }
        }
        Ok(())
    }

    fn block_sizes(&self, lba: Lba, blocks: u32) -> Result<Vec<usize>, CommandError> {
        let s = self
            .session
            .as_ref()
            .ok_or(CommandError::CommandSequence("no session"))?;
        if s.write_type == 1 {
            let size = tao::block_size(s.dbt).ok_or(CommandError::CommandSequence(
                "data block type has no block size",
            ))?;
            return Ok(vec![size; blocks as usize]);
        }
        if s.write_type == 3 {
            let size = match s.dbt {
                1 => 2368,
                _ => 2448,
            };
            return Ok(vec![size; blocks as usize]);
        }
        let cue = self
            .cue
            .as_ref()
            .ok_or(CommandError::CommandSequence("no cue sheet"))?;
        (0..blocks as Lba)
            .map(|i| {
                cue.block_size(lba + i).ok_or(CommandError::LbaOutOfRange {
                    lba: lba + i,
                    limit: cue.leadout,
                })
            })
            .collect()
    }

    /// Converts, analyses and stores `sizes.len()` blocks from `lba`.
    fn record(&mut self, lba: Lba, sizes: &[usize], bytes: &[u8]) -> Result<(), CommandError> {
        let Some(mut s) = self.session.take() else {
            return Ok(());
        };
        let n = sizes.len();
        let mut found = Vec::new();
        let mut scratch = std::mem::take(&mut s.scratch);
        let mut result = Ok(());
        let slots: &mut [u8] = match &mut self.media.sectors {
            Sectors::Store(st) if !s.test => match st.reserve(lba, n) {
                Ok(slots) => slots,
                Err(e) => {
                    result = Err(io_error(e));
                    &mut []
                }
            },
            _ => {
                scratch.resize(n * SLOT_LEN, 0);
                &mut scratch[..]
            }
        };
        if slots.len() == n * SLOT_LEN {
            let mut at = 0;
            for (i, &size) in sizes.iter().enumerate() {
                let block = &bytes[at..at + size];
                let out = &mut slots[i * SLOT_LEN..(i + 1) * SLOT_LEN];
                let l = lba + i as Lba;
                if s.write_type == 3 {
                    let (p, q) = raw::convert_block(s.dbt, block, &mut s.interleaver, out);
                    let crc_ok = if s.dbt == 1 {
                        raw::pq16_crc_ok(block)
                    } else {
                        q.crc_ok()
                    };
                    s.analyzer.sector(l, p, &q, crc_ok, &mut found);
                } else if let Some(t) = &s.tao {
                    t.sector(l, block, &mut s.interleaver, out);
                } else if let Some(cue) = &self.cue {
                    cue.sector(l, block, &mut s.interleaver, out);
                }
                at += size;
            }
        }
        s.scratch = scratch;
        s.next_lba = lba + n as Lba;
        if let Some(o) = s.tao.as_mut().and_then(|t| t.open.as_mut()) {
            o.next = s.next_lba;
        }
        if !s.test {
            self.media.written_end = s.next_lba;
        }
        self.session = Some(s);
        for f in found {
            self.add_finding(f);
        }
        result
    }

    fn break_session(&mut self) {
        if let Some(s) = self.session.as_mut() {
            s.broken = true;
        }
    }

    pub(crate) fn send_cue_sheet(
        &mut self,
        c: &SendCueSheet,
        data: &DataPhase<'_>,
    ) -> Result<usize, CommandError> {
        self.check_recordable()?;
        if self.media.state() != DiscState::Blank {
            return Err(CommandError::CommandSequence(
                "SEND CUE SHEET on a recorded disc",
            ));
        }
        if u8::from(self.write_params.write_type) != 2 {
            return Err(CommandError::CommandSequence("SEND CUE SHEET outside SAO"));
        }
        if self.session.is_some() {
            return Err(CommandError::CommandSequence(
                "SEND CUE SHEET during a burn",
            ));
        }
        let size = c.cue_sheet_size as usize;
        if size == 0 || size > self.profile.max_cue_sheet_length as usize {
            return Err(CommandError::InvalidField { byte: 6, bit: None });
        }
        let bytes = data_out(data);
        if bytes.len() < size {
            return Err(CommandError::ParameterListLength);
        }
        let plan = CuePlan::parse(&bytes[..size])?;
        let lpl = self.media.atip().map_or(0, |a| a.last_possible_lead_out);
        if plan.leadout > lpl {
            return Err(CommandError::InvalidParameter {
                byte: (size - 3) as u16,
                reason: "lead-out beyond the last possible lead-out (overburn refused)",
            });
        }
        self.cue = Some(plan);
        Ok(0)
    }

    pub(crate) fn synchronize_cache(
        &mut self,
        c: &SynchronizeCache,
    ) -> Result<usize, CommandError> {
        if self.session.as_ref().is_some_and(|s| s.write_type == 1) {
            // TAO: flush only; the track and session stay open until CLOSE.
            self.clock.stop_writing();
            if let Sectors::Store(st) = &mut self.media.sectors {
                st.flush().map_err(io_error)?;
            }
            self.start_busy(c.immed, Sense::LONG_WRITE_IN_PROGRESS);
            return Ok(0);
        }
        let Some(s) = self.session.take() else {
            return Ok(0);
        };
        self.clock.stop_writing();
        let result = if s.test {
            self.media.state = DiscState::Blank;
            Ok(())
        } else {
            self.finish_session(s)
        };
        self.cue = None;
        self.start_busy(c.immed, Sense::LONG_WRITE_IN_PROGRESS);
        result.map(|()| 0)
    }

    /// The busy window after an IMMED command (mmc.md §6.4).
    fn start_busy(&mut self, immed: bool, tur: Sense) {
        if immed {
            let polls = self.profile.finish_polls.max(1);
            self.busy = Some(Busy {
                polls_left: polls,
                polls_total: polls,
                tur,
                info: Sense::OPERATION_IN_PROGRESS,
            });
        }
    }

    fn finish_session(&mut self, mut s: Session) -> Result<(), CommandError> {
        let mut found = Vec::new();
        let mut error = None;
        let toc = if s.broken {
            None
        } else if s.write_type == 3 {
            s.analyzer.finish(s.next_lba, &mut found)
        } else if s.write_type == 1 {
            match s.tao.as_ref().and_then(tao::Tao::final_plan) {
                Some(plan) => {
                    self.generate_tao_areas(plan.clone(), &mut s)?;
                    Some(plan_toc(&plan))
                }
                None => None,
            }
        } else if let Some(cue) = self.cue.take() {
            if s.next_lba != cue.leadout {
                error = Some(Sense::SESSION_FIXATION_ERROR_INCOMPLETE_TRACK);
                None
            } else {
                self.generate_sao_areas(&cue, &mut s)?;
                Some(plan_toc(cue.plan()))
            }
        } else {
            None
        };
        for f in found {
            self.add_finding(f);
        }
        self.media.state = if toc.is_some() {
            DiscState::Complete
        } else {
            DiscState::Damaged
        };
        self.media.toc = toc;
        self.commit(&s).map_err(io_error)?;
        match error {
            Some(e) => Err(CommandError::Sense(e)),
            None => Ok(()),
        }
    }

    fn generate_sao_areas(&mut self, cue: &CuePlan, s: &mut Session) -> Result<(), CommandError> {
        let Sectors::Store(st) = &mut self.media.sectors else {
            return Ok(());
        };
        let lead_in = st.first_lba();
        let mut buf = vec![0u8; SLOT_LEN * 64];
        let mut gen = |from: Lba, to: Lba, st: &mut SectorStore| -> std::io::Result<()> {
            let mut l = from;
            while l < to {
                let n = ((to - l) as usize).min(64);
                for i in 0..n {
                    cue.generated(l + i as Lba, &mut buf[i * SLOT_LEN..(i + 1) * SLOT_LEN]);
                }
                st.write(l, &buf[..n * SLOT_LEN])?;
                l += n as Lba;
            }
            Ok(())
        };
        gen(lead_in, -150, st).map_err(io_error)?;
        gen(cue.leadout, cue.leadout + LEADOUT_SECTORS, st).map_err(io_error)?;
        s.next_lba = cue.leadout + LEADOUT_SECTORS;
        self.media.written_end = s.next_lba;
        Ok(())
    }

    /// TAO CLOSE SESSION: the lead-in (TOC in Q) and the lead-out.
    fn generate_tao_areas(
        &mut self,
        plan: rawcd::layout::Plan,
        s: &mut Session,
    ) -> Result<(), CommandError> {
        let Sectors::Store(st) = &mut self.media.sectors else {
            return Ok(());
        };
        let lead_in = st.first_lba();
        let leadout = plan.leadout;
        let first = plan.tracks.first().map(|t| t.sector_type);
        let last = plan.tracks.last().map(|t| t.sector_type);
        let gen = rawcd::image::subchannel::SubchannelGenerator::new(plan);
        let fill = |from: Lba, to: Lba, ty, st: &mut SectorStore| -> std::io::Result<()> {
            let mut l = from;
            while l < to {
                let n = ((to - l) as usize).min(64);
                let slots = st.reserve(l, n)?;
                for (i, slot) in slots.chunks_exact_mut(SLOT_LEN).enumerate() {
                    tao::generated(&gen, ty, l + i as Lba, slot);
                }
                l += n as Lba;
            }
            Ok(())
        };
        let audio = rawcd::sector::SectorType::Audio;
        fill(lead_in, -150, first.unwrap_or(audio), st).map_err(io_error)?;
        fill(
            leadout,
            leadout + LEADOUT_SECTORS,
            last.unwrap_or(audio),
            st,
        )
        .map_err(io_error)?;
        s.next_lba = leadout + LEADOUT_SECTORS;
        self.media.written_end = s.next_lba;
        Ok(())
    }

    /// TAO CLOSE TRACK: the drive writes the run-out; the next track's NWA
    /// follows (mmc.md §2.5).
    fn close_tao_track(&mut self, track_number: u16) -> Result<(), CommandError> {
        let Some(s) = self.session.as_mut() else {
            return Err(CommandError::CommandSequence("no incomplete track"));
        };
        let Some(t) = s.tao.as_mut() else {
            return Err(CommandError::CommandSequence("no incomplete track"));
        };
        let Some(open) = t.open.as_ref() else {
            return Err(CommandError::CommandSequence("no incomplete track"));
        };
        if !matches!(track_number, 0xff) && track_number != u16::from(open.track.number) {
            return Err(CommandError::InvalidField { byte: 5, bit: None });
        }
        let run_out = t.close_track().unwrap_or(0..0);
        if !s.test {
            if let Sectors::Store(st) = &mut self.media.sectors {
                let n = (run_out.end - run_out.start) as usize;
                let slots = st.reserve(run_out.start, n).map_err(io_error)?;
                for (i, slot) in slots.chunks_exact_mut(SLOT_LEN).enumerate() {
                    t.generated(run_out.start + i as Lba, slot);
                }
            }
            self.media.written_end = run_out.end;
        }
        t.track_closed();
        s.next_lba = t.nwa();
        self.clock.stop_writing();
        Ok(())
    }

    /// Writes the `.rcd` metadata and commits the file.
    fn commit(&mut self, s: &Session) -> std::io::Result<()> {
        let Some(atip) = self.media.atip().copied() else {
            return Ok(());
        };
        let meta = DiscMeta {
            media: self.media.name().to_string(),
            atip,
            state: self.media.state(),
            written: Vec::new(),
            write_type: s.write_type,
            data_block_type: s.dbt,
            toc: self.media.toc().cloned(),
            findings: self.findings.clone(),
            findings_dropped: self.findings_dropped,
        };
        if let Sectors::Store(st) = &mut self.media.sectors {
            let meta = DiscMeta {
                written: st.written().iter().map(|r| [r.start, r.end]).collect(),
                ..meta
            };
            st.commit(&meta)?;
        }
        Ok(())
    }

    pub(crate) fn close_track_session(
        &mut self,
        c: &CloseTrackSession,
    ) -> Result<usize, CommandError> {
        if !matches!(c.close_function, 1 | 2) {
            return Err(CommandError::InvalidField { byte: 2, bit: None });
        }
        let Some(s) = self.session.as_ref() else {
            return Err(CommandError::CommandSequence(
                "CLOSE TRACK/SESSION without an incomplete track or session",
            ));
        };
        if s.write_type != 1 {
            return Err(CommandError::CommandSequence(
                "CLOSE TRACK/SESSION in SAO/RAW: the session is closed by SYNCHRONIZE CACHE",
            ));
        }
        let broken = s.broken;
        let open = s.tao.as_ref().is_some_and(|t| t.open.is_some());
        let has_tracks = s.tao.as_ref().is_some_and(|t| !t.closed.is_empty());
        if c.close_function == 1 {
            if broken {
                return Err(CommandError::CommandSequence(
                    "CLOSE TRACK after loss of streaming",
                ));
            }
            self.close_tao_track(c.track_number)?;
            self.start_busy(c.immed, Sense::LONG_WRITE_IN_PROGRESS);
            return Ok(0);
        }
        if !broken && open {
            self.close_tao_track(0xff)?;
        } else if !broken && !has_tracks {
            return Err(CommandError::CommandSequence(
                "CLOSE SESSION with no track written",
            ));
        }
        let Some(s) = self.session.take() else {
            return Ok(0);
        };
        self.clock.stop_writing();
        let result = if s.test {
            self.media.state = DiscState::Blank;
            Ok(())
        } else {
            self.finish_session(s)
        };
        self.start_busy(c.immed, Sense::LONG_WRITE_IN_PROGRESS);
        result.map(|()| 0)
    }

    pub(crate) fn blank(&mut self, c: &Blank) -> Result<usize, CommandError> {
        if self.faults.write_protected {
            return Err(CommandError::Sense(Sense::WRITE_PROTECTED));
        }
        if self.media.kind() != MediaKind::CdRw || !self.profile.cd_rw_write {
            return Err(CommandError::CannotWriteMedium);
        }
        if self.session.is_some() {
            return Err(CommandError::CommandSequence("BLANK during a burn"));
        }
        if !matches!(u8::from(c.blanking_type), 0 | 1) {
            return Err(CommandError::InvalidField { byte: 1, bit: None });
        }
        self.media.state = DiscState::Blank;
        self.media.toc = None;
        self.media.sectors = Sectors::None;
        self.media.damage = None;
        if let Some(a) = self.media.atip() {
            self.media.written_end = a.lead_in_start;
        }
        if c.immed {
            let polls = self.profile.finish_polls.max(1);
            self.busy = Some(Busy {
                polls_left: polls,
                polls_total: polls,
                tur: Sense::OPERATION_IN_PROGRESS,
                info: Sense::OPERATION_IN_PROGRESS,
            });
        }
        Ok(0)
    }
}

/// The TOC an SAO or TAO burn reads back (from the drive's plan).
fn plan_toc(plan: &rawcd::layout::Plan) -> DiscToc {
    DiscToc {
        first_track: plan.first_track,
        last_track: plan.tracks.last().map_or(1, |t| t.number),
        disc_type: plan.disc_type,
        leadout: plan.leadout,
        tracks: plan
            .tracks
            .iter()
            .map(|t| {
                let mut indexes = Vec::new();
                if t.extent_start < t.start {
                    indexes.push((0, t.extent_start));
                }
                indexes.extend(t.indexes.iter().enumerate().map(|(i, &l)| (i as u8 + 1, l)));
                DiscTrack {
                    number: t.number,
                    control: t.control,
                    start: t.start,
                    indexes,
                    isrc: t.isrc.as_ref().map(|i| i.to_string()),
                }
            })
            .collect(),
        mcn: plan.mcn.as_ref().map(|m| m.to_string()),
    }
}
