//! Time for the writer: how long to wait between polls, and what time it
//! is for progress events. Against the emulator a [`Clock`] advances the
//! virtual clock instead of sleeping, so tests never wait in real time.

use std::time::{Duration, Instant};

/// A source of time and a way to wait, given access to the recorder (so a
/// virtual recorder can advance its own clock).
pub trait Clock<T: ?Sized>: Send {
    /// Time since an arbitrary fixed origin.
    fn now(&mut self, recorder: &mut T) -> Duration;
    /// Waits `d` (real or virtual).
    fn sleep(&mut self, recorder: &mut T, d: Duration);
}

/// Wall-clock time and `std::thread::sleep` (for physical drives).
#[derive(Debug, Clone, Copy)]
pub struct SystemClock {
    origin: Instant,
}

impl SystemClock {
    /// A clock whose origin is now.
    pub fn new() -> SystemClock {
        SystemClock {
            origin: Instant::now(),
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        SystemClock::new()
    }
}

impl<T: ?Sized> Clock<T> for SystemClock {
    fn now(&mut self, _: &mut T) -> Duration {
        self.origin.elapsed()
    }

    fn sleep(&mut self, _: &mut T, d: Duration) {
        std::thread::sleep(d);
    }
}

/// A clock that never sleeps: `sleep` adds to its time, and every `now`
/// adds `step` (so events keep flowing in tests of a scripted drive).
#[derive(Debug, Clone, Copy, Default)]
pub struct ManualClock {
    now: Duration,
    step: Duration,
}

impl ManualClock {
    /// Starts at zero; each `now` call advances by `step`.
    pub fn new(step: Duration) -> ManualClock {
        ManualClock {
            now: Duration::ZERO,
            step,
        }
    }
}

impl<T: ?Sized> Clock<T> for ManualClock {
    fn now(&mut self, _: &mut T) -> Duration {
        self.now += self.step;
        self.now
    }

    fn sleep(&mut self, _: &mut T, d: Duration) {
        self.now += d;
    }
}

/// A clock from two closures (e.g. reading and advancing an emulator's
/// virtual clock through the recorder).
pub struct FnClock<N, S> {
    now: N,
    sleep: S,
}

impl<N, S> FnClock<N, S> {
    /// `now(recorder)` tells the time, `sleep(recorder, d)` waits.
    pub fn new(now: N, sleep: S) -> Self {
        FnClock { now, sleep }
    }
}

impl<T: ?Sized, N, S> Clock<T> for FnClock<N, S>
where
    N: FnMut(&mut T) -> Duration + Send,
    S: FnMut(&mut T, Duration) + Send,
{
    fn now(&mut self, recorder: &mut T) -> Duration {
        (self.now)(recorder)
    }

    fn sleep(&mut self, recorder: &mut T, d: Duration) {
        (self.sleep)(recorder, d)
    }
}

impl<N, S> std::fmt::Debug for FnClock<N, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FnClock")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_advances_on_sleep_and_now() {
        let mut c = ManualClock::new(Duration::from_millis(10));
        let mut unit = ();
        assert_eq!(
            Clock::<()>::now(&mut c, &mut unit),
            Duration::from_millis(10)
        );
        Clock::<()>::sleep(&mut c, &mut unit, Duration::from_secs(1));
        assert_eq!(
            Clock::<()>::now(&mut c, &mut unit),
            Duration::from_millis(1020)
        );
    }

    #[test]
    fn fn_clock_uses_the_recorder() {
        let mut c = FnClock::new(
            |t: &mut u64| Duration::from_micros(*t),
            |t: &mut u64, d: Duration| *t += d.as_micros() as u64,
        );
        let mut t = 5u64;
        c.sleep(&mut t, Duration::from_micros(7));
        assert_eq!(c.now(&mut t), Duration::from_micros(12));
    }
}
