//! Virtual time (mooneye `EmuTime`, smoltcp `Instant`): the emulator never
//! reads the wall clock. The drive drains its buffer at the selected write
//! speed (1x = 75 sectors/s = 176.4 kB/s of main channel; the model drains
//! host bytes at `speed_kbps × 1000` B/s). A WRITE that does not fit into
//! the free buffer is held until enough has drained (time passes, as a real
//! drive holds the command). Time also passes when the host idles
//! ([`crate::Emulator::advance_time`]); if the buffer runs dry while a
//! write is in progress the drive underruns — unless BUFE is on (mmc.md
//! §6.3, checklist item 7): then the drive *pauses* at the last written
//! frame, counts a buffer-underrun-free link ([`Clock::links`]), lets the
//! host refill the buffer without draining it, and resumes once the buffer
//! is half full (or when the host flushes with SYNCHRONIZE CACHE / CLOSE).
//! READ BUFFER CAPACITY reports [`Clock::free`] throughout, so a host sees
//! the buffer drain with time, fill with WRITEs, and stand still while the
//! drive is paused.

/// The virtual clock and the drive buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    now_us: u64,
    buffer_size: u64,
    fill: u64,
    rate_bps: u64,
    writing: bool,
    bufe: bool,
    underrun: bool,
    paused: bool,
    links: u64,
}

impl Clock {
    /// A clock with an empty buffer of `buffer_size` bytes draining at
    /// `speed_kbps`.
    pub fn new(buffer_size: u32, speed_kbps: u16) -> Clock {
        Clock {
            now_us: 0,
            buffer_size: u64::from(buffer_size.max(1)),
            fill: 0,
            rate_bps: u64::from(speed_kbps.max(1)) * 1000,
            writing: false,
            bufe: false,
            underrun: false,
            paused: false,
            links: 0,
        }
    }

    /// Virtual microseconds since power-on.
    pub fn now_us(&self) -> u64 {
        self.now_us
    }

    /// Buffer size in bytes.
    pub fn buffer_size(&self) -> u64 {
        self.buffer_size
    }

    /// Bytes waiting in the buffer.
    pub fn fill(&self) -> u64 {
        self.fill
    }

    /// Free buffer bytes.
    pub fn free(&self) -> u64 {
        self.buffer_size - self.fill
    }

    /// Whether the drive is paused after a buffer underrun with BUFE on,
    /// waiting for the host to refill the buffer.
    pub fn is_paused(&self) -> bool {
        self.paused
    }

    /// Buffer-underrun-free links made so far (BUFE on).
    pub fn links(&self) -> u64 {
        self.links
    }

    /// Whether a burn is streaming (the buffer drains to the disc).
    pub fn is_writing(&self) -> bool {
        self.writing
    }

    /// Sets the drain rate (SET CD SPEED).
    pub fn set_speed(&mut self, kbps: u16) {
        self.rate_bps = u64::from(kbps.max(1)) * 1000;
    }

    /// A burn starts (`bufe`: underrun-free recording enabled).
    pub fn start_writing(&mut self, bufe: bool) {
        self.writing = true;
        self.bufe = bufe;
        self.underrun = false;
        self.paused = false;
    }

    /// The burn ended: the buffer is flushed.
    pub fn stop_writing(&mut self) {
        let rest = self.fill;
        self.drain_time(rest);
        self.writing = false;
        self.paused = false;
        self.fill = 0;
    }

    fn drain_time(&mut self, bytes: u64) {
        self.now_us += bytes.saturating_mul(1_000_000) / self.rate_bps;
    }

    /// Time passes: the buffer drains; running dry mid-burn underruns
    /// (BUFE off) or pauses the drive (BUFE on). A paused drive does not
    /// drain.
    pub fn advance(&mut self, us: u64) {
        self.now_us = self.now_us.saturating_add(us);
        if self.paused {
            return;
        }
        let drained = (u128::from(us) * u128::from(self.rate_bps) / 1_000_000)
            .min(u128::from(u64::MAX)) as u64;
        if self.writing && drained > self.fill {
            if self.bufe {
                self.links += 1;
                self.paused = true;
            } else {
                self.underrun = true;
            }
        }
        self.fill = self.fill.saturating_sub(drained);
    }

    /// The host sends `bytes`: if they do not fit, the drive holds the
    /// command until they do (time passes, no underrun).
    pub fn host_write(&mut self, bytes: u64) {
        let bytes = bytes.min(self.buffer_size);
        if self.paused && self.fill + bytes >= self.buffer_size / 2 {
            self.paused = false;
        }
        if bytes > self.free() {
            let need = bytes - self.free();
            self.drain_time(need);
            self.fill -= need;
        }
        self.fill += bytes;
    }

    /// Takes the underrun flag (set when the buffer ran dry without BUFE).
    pub fn take_underrun(&mut self) -> bool {
        std::mem::take(&mut self.underrun)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_full_buffer_holds_the_host_and_time_passes() {
        let mut c = Clock::new(1000, 1);
        c.start_writing(false);
        c.host_write(1000);
        assert_eq!(c.now_us(), 0);
        c.host_write(500);
        assert_eq!(c.fill(), 1000);
        assert_eq!(c.now_us(), 500_000);
        assert!(!c.take_underrun());
    }

    #[test]
    fn test_idle_host_underruns_without_bufe() {
        let mut c = Clock::new(1000, 1);
        c.start_writing(false);
        c.host_write(1000);
        c.advance(2_000_000);
        assert!(c.take_underrun());
    }

    #[test]
    fn test_idle_host_links_with_bufe() {
        let mut c = Clock::new(1000, 1);
        c.start_writing(true);
        c.host_write(1000);
        c.advance(2_000_000);
        assert!(!c.take_underrun());
        assert_eq!(c.links(), 1);
        assert!(c.is_paused());
        // Paused: time passes, nothing drains, no further link.
        c.host_write(100);
        c.advance(2_000_000);
        assert_eq!((c.fill(), c.links()), (100, 1));
        // Half full: the drive resumes and drains again.
        c.host_write(400);
        assert!(!c.is_paused());
        c.advance(100_000);
        assert_eq!(c.fill(), 400);
    }
}
