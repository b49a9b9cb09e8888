//! READ(10), READ CD, READ CD MSF (mmc.md §2.16): read-back of the burned
//! disc through the same Transport. Main-channel selections (sync, header,
//! sub-header, user data, EDC/ECC) apply to descrambled data sectors;
//! audio sectors return 2352 bytes whenever anything is selected.
//! Sub-channel 001b raw P–W as stored, 010b formatted Q (16 bytes), 100b
//! de-interleaved R–W (96 bytes).

use rawcd::mmc::{Read10, ReadCd, ReadCdMsf};
use rawcd::msf::Lba;
use rawcd::sector::build::SYNC;
use rawcd::sector::descramble;
use rawcd::subcode::pack::{pq16, unraw96, PqCrc};
use rawcd::subcode::rw::deinterleave_sector;
use rawcd::transport::DataPhase;

use crate::error::CommandError;
use crate::persist::SLOT_LEN;
use crate::{DiscState, Emulator};

/// Main-channel kind of a stored sector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Audio,
    Mode0,
    Mode1,
    Mode2Formless,
    Form1,
    Form2,
}

/// Descrambles a data sector in place and classifies it.
fn classify(main: &mut [u8; 2352]) -> Kind {
    if main[..12] != SYNC {
        return Kind::Audio;
    }
    descramble(main);
    match main[15] {
        0 => Kind::Mode0,
        1 => Kind::Mode1,
        2 if main[18] == main[22] && main[16] == main[20] => {
            if main[18] & 0x20 != 0 {
                Kind::Form2
            } else if main[18] & 0x08 != 0 {
                Kind::Form1
            } else {
                Kind::Mode2Formless
            }
        }
        2 => Kind::Mode2Formless,
        _ => Kind::Audio,
    }
}

/// The READ CD main/sub selections (bytes 9 and 10).
#[derive(Debug, Clone, Copy)]
struct Selection {
    expected: u8,
    sync: bool,
    header_codes: u8,
    user_data: bool,
    edc_ecc: bool,
    c2: u8,
    sub: u8,
}

impl Selection {
    fn c2_len(&self) -> usize {
        match self.c2 {
            1 => 294,
            2 => 296,
            _ => 0,
        }
    }

    fn any_main(&self) -> bool {
        self.sync || self.header_codes != 0 || self.user_data || self.edc_ecc
    }

    /// Main-channel byte ranges for a sector kind.
    fn ranges(&self, kind: Kind) -> Vec<std::ops::Range<usize>> {
        if kind == Kind::Audio {
            return if self.any_main() {
                std::iter::once(0..2352).collect()
            } else {
                Vec::new()
            };
        }
        let (sub, user, edc) = match kind {
            Kind::Mode1 => (16..16, 16..2064, 2064..2352),
            Kind::Form1 => (16..24, 24..2072, 2072..2352),
            Kind::Form2 => (16..24, 24..2348, 2348..2352),
            _ => (16..16, 16..2352, 2352..2352),
        };
        let mut v = Vec::new();
        if self.sync {
            v.push(0..12);
        }
        if self.header_codes & 1 != 0 {
            v.push(12..16);
        }
        if self.header_codes & 2 != 0 {
            v.push(sub);
        }
        if self.user_data {
            v.push(user);
        }
        if self.edc_ecc {
            v.push(edc);
        }
        v
    }

    fn kind_ok(&self, kind: Kind) -> bool {
        match self.expected {
            0 => true,
            1 => kind == Kind::Audio,
            2 => kind == Kind::Mode1,
            3 => kind == Kind::Mode2Formless,
            4 => kind == Kind::Form1,
            5 => kind == Kind::Form2,
            _ => false,
        }
    }
}

impl Emulator {
    fn check_readable(&self, lba: Lba, count: u32) -> Result<(), CommandError> {
        if self.media.state() != DiscState::Complete {
            return Err(CommandError::LbaOutOfRange { lba, limit: -150 });
        }
        let end = self.media.written_end();
        if lba < self.media.first_readable() || i64::from(lba) + i64::from(count) > i64::from(end) {
            return Err(CommandError::LbaOutOfRange { lba, limit: end });
        }
        Ok(())
    }

    fn read_slot(&mut self, lba: Lba, slot: &mut [u8; SLOT_LEN]) -> Result<(), CommandError> {
        self.media
            .read_raw(lba, slot)
            .map_err(|_| CommandError::Sense(rawcd::mmc::Sense::UNABLE_TO_RECOVER_TOC))?;
        Ok(())
    }

    pub(crate) fn read10(
        &mut self,
        c: &Read10,
        data: &mut DataPhase<'_>,
    ) -> Result<usize, CommandError> {
        let n = u32::from(c.transfer_length);
        self.check_readable(c.lba, n)?;
        let leadout = self.media.toc().map_or(0, |t| t.leadout);
        if c.lba < 0 || i64::from(c.lba) + i64::from(n) > i64::from(leadout) {
            return Err(CommandError::LbaOutOfRange {
                lba: c.lba,
                limit: leadout,
            });
        }
        let mut slot = [0u8; SLOT_LEN];
        let mut written = 0;
        for i in 0..n as Lba {
            let lba = c.lba + i;
            self.read_slot(lba, &mut slot)?;
            let main: &mut [u8; 2352] = (&mut slot[..2352]).try_into().expect("slot");
            let range = match classify(main) {
                Kind::Mode1 => 16..2064,
                Kind::Form1 => 24..2072,
                _ => return Err(CommandError::IllegalModeForTrack(lba)),
            };
            let Some(buf) = data.data_in() else {
                continue;
            };
            let at = i as usize * 2048;
            if at >= buf.len() {
                break;
            }
            let k = (buf.len() - at).min(2048);
            buf[at..at + k].copy_from_slice(&main[range][..k]);
            written = at + k;
            self.last_read_lba = lba;
        }
        Ok(written)
    }

    pub(crate) fn read_cd(
        &mut self,
        c: &ReadCd,
        data: &mut DataPhase<'_>,
    ) -> Result<usize, CommandError> {
        let sel = Selection {
            expected: c.expected_sector_type,
            sync: c.sync,
            header_codes: c.header_codes,
            user_data: c.user_data,
            edc_ecc: c.edc_ecc,
            c2: c.c2_errors,
            sub: c.sub_channel,
        };
        self.read_cd_common(c.lba, c.transfer_length, sel, data)
    }

    pub(crate) fn read_cd_msf(
        &mut self,
        c: &ReadCdMsf,
        data: &mut DataPhase<'_>,
    ) -> Result<usize, CommandError> {
        let start = c.start.to_lba();
        let end = c.end.to_lba();
        if end < start {
            return Err(CommandError::InvalidField { byte: 6, bit: None });
        }
        let sel = Selection {
            expected: c.expected_sector_type,
            sync: c.sync,
            header_codes: c.header_codes,
            user_data: c.user_data,
            edc_ecc: c.edc_ecc,
            c2: c.c2_errors,
            sub: c.sub_channel,
        };
        self.read_cd_common(start, (end - start) as u32, sel, data)
    }

    fn read_cd_common(
        &mut self,
        lba: Lba,
        count: u32,
        sel: Selection,
        data: &mut DataPhase<'_>,
    ) -> Result<usize, CommandError> {
        if sel.expected > 5 {
            return Err(CommandError::InvalidField { byte: 1, bit: None });
        }
        if !matches!(sel.sub, 0 | 1 | 2 | 4) {
            return Err(CommandError::InvalidField {
                byte: 10,
                bit: None,
            });
        }
        if sel.c2 == 3 {
            return Err(CommandError::InvalidField { byte: 9, bit: None });
        }
        if count == 0 {
            return Ok(0);
        }
        self.check_readable(lba, count)?;
        let mut slot = [0u8; SLOT_LEN];
        let mut out_at = 0usize;
        let cap = data.data_in().map_or(0, |b| b.len());
        let mut sector = Vec::with_capacity(2352 + 296 + 96);
        for i in 0..count as Lba {
            let l = lba + i;
            self.read_slot(l, &mut slot)?;
            let sub: [u8; 96] = slot[2352..].try_into().expect("96");
            let main: &mut [u8; 2352] = (&mut slot[..2352]).try_into().expect("slot");
            let kind = classify(main);
            if !sel.kind_ok(kind) {
                return Err(CommandError::IllegalModeForTrack(l));
            }
            sector.clear();
            for r in sel.ranges(kind) {
                sector.extend_from_slice(&main[r]);
            }
            sector.resize(sector.len() + sel.c2_len(), 0);
            match sel.sub {
                1 => sector.extend_from_slice(&sub),
                2 => {
                    let (p, q) = unraw96(&sub);
                    let mut f = [0u8; 16];
                    pq16(p, &q, PqCrc::Inverted, &mut f);
                    sector.extend_from_slice(&f);
                }
                4 => {
                    let mut next = [[0u8; 96]; 2];
                    for (k, nx) in next.iter_mut().enumerate() {
                        let nl = l + 1 + k as Lba;
                        if nl < self.media.written_end() {
                            let mut s2 = [0u8; SLOT_LEN];
                            self.read_slot(nl, &mut s2)?;
                            nx.copy_from_slice(&s2[2352..]);
                        }
                    }
                    let mut out = [0u8; 96];
                    deinterleave_sector(&sub, &next[0], &next[1], &mut out);
                    sector.extend(out.iter().map(|b| b & 0x3f));
                }
                _ => {}
            }
            if let Some(buf) = data.data_in() {
                let k = sector.len().min(cap.saturating_sub(out_at));
                buf[out_at..out_at + k].copy_from_slice(&sector[..k]);
                out_at += k;
            }
            self.last_read_lba = l;
            if out_at >= cap {
                break;
            }
        }
        Ok(out_at)
    }
}
