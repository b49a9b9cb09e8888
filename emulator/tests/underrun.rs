//! The virtual clock end to end: READ BUFFER CAPACITY moves with WRITEs and
//! virtual time; a host that stalls longer than the drive buffer lasts at
//! the selected speed underruns (3/0C/09, then 5/21/02, a damaged disc) with
//! BUFE off, and with BUFE on the drive pauses, counts a
//! buffer-underrun-free link, resumes, and the disc comes out intact.

mod common;

use std::time::Duration;

use common::*;
use rawcd::image::{ImageType, ResultImage};
use rawcd::mmc::param::buffer_capacity::BufferCapacity;
use rawcd::mmc::Sense;
use rawcd::transport::CommandOutcome;
use rawcd_emulator::{DiscState, Emulator};

/// READ BUFFER CAPACITY as cdrdao/wodim send it (real-clients.md D1–D3).
const RBC: &str = "5c 00 00 00 00 00 00 00 0c 00";
/// SET CD SPEED read max, write 4x (4 × 177 = 708 kB/s; the drive picks 706).
const SPEED_4X: &str = "bb 00 ff ff 02 c4 00 00 00 00 00 00";
/// 2 MiB at 706 kB/s: the default drive's buffer lasts 2.97 s at 4x.
const BUFFER: u64 = 2048 * 1024;

fn free(e: &mut Emulator) -> (u32, u32) {
    let (o, b) = data_in(e, &hex(RBC), 12);
    assert!(o.is_good(), "{o:?}");
    let c = BufferCapacity::parse(&b).unwrap();
    (c.length, c.available)
}

/// MODE SELECT page 05: RAW, DBT 3, BUFE as given.
fn select_raw(e: &mut Emulator, bufe: bool) -> CommandOutcome {
    let mut list = vec![0u8; 60];
    list[8..13].copy_from_slice(&[0x05, 0x32, 0x03 | if bufe { 0x40 } else { 0 }, 0, 3]);
    data_out(e, &hex("55 10 00 00 00 00 00 00 3c 00"), &list)
}

/// A writer of the image's sectors from the lead-in start, 26 per WRITE.
struct Burner {
    img: ResultImage,
    lba: i32,
    end: i32,
}

impl Burner {
    fn new(e: &Emulator) -> Burner {
        let (img, _) = image(ImageType::Raw, [1500, 1000]);
        let end = img.first_lba() + img.sector_count() as i32;
        Burner {
            img,
            lba: e.media().atip().unwrap().lead_in_start,
            end,
        }
    }

    /// Writes up to `writes` WRITE(10)s; returns the first outcome that is
    /// not GOOD.
    fn write(&mut self, e: &mut Emulator, writes: usize) -> Option<CommandOutcome> {
        let mut buf = vec![0u8; 26 * 2448];
        for _ in 0..writes {
            if self.lba >= self.end {
                return None;
            }
            let n = ((self.end - self.lba) as usize).min(26);
            for i in 0..n {
                self.img
                    .sector_at(self.lba + i as i32, &mut buf[i * 2448..(i + 1) * 2448])
                    .unwrap();
            }
            let o = write10(e, self.lba, n as u16, &buf[..n * 2448]);
            if !o.is_good() {
                return Some(o);
            }
            self.lba += n as i32;
        }
        None
    }
}

fn at_4x(bufe: bool) -> Emulator {
    let mut e = Emulator::builtin("default", "cdr80").unwrap();
    assert!(none(&mut e, &hex(SPEED_4X)).is_good());
    assert!(select_raw(&mut e, bufe).is_good());
    e
}

#[test]
fn read_buffer_capacity_moves_with_writes_and_virtual_time() {
    let mut e = at_4x(false);
    assert_eq!(free(&mut e), (BUFFER as u32, BUFFER as u32));
    let mut b = Burner::new(&e);
    assert_eq!(b.write(&mut e, 10), None);
    let after_writes = free(&mut e).1;
    assert_eq!(u64::from(after_writes), BUFFER - 10 * 26 * 2448);
    // 100 ms at 706 kB/s drains 70600 bytes.
    e.advance_time(Duration::from_millis(100));
    assert_eq!(free(&mut e).1, after_writes + 70_600);
    // A host faster than the drive fills the buffer; the drive holds the
    // WRITE and virtual time passes instead of failing it.
    let t0 = e.clock().now_us();
    assert_eq!(b.write(&mut e, 60), None);
    assert!(free(&mut e).1 < 26 * 2448);
    assert!(e.clock().now_us() > t0);
}

#[test]
fn stalled_host_without_bufe_gets_loss_of_streaming_and_a_damaged_disc() {
    let mut e = at_4x(false);
    let mut b = Burner::new(&e);
    // Fill the buffer (it holds 2.97 s at 4x).
    assert_eq!(b.write(&mut e, 40), None);
    assert!(free(&mut e).1 < 26 * 2448);
    // A 2.5 s stall is within what the buffer holds.
    e.advance_time(Duration::from_millis(2500));
    assert_eq!(b.write(&mut e, 40), None);
    // A 3.5 s stall is not: the next WRITE gets 3/0C/09.
    e.advance_time(Duration::from_millis(3500));
    let o = b.write(&mut e, 1).expect("underrun");
    assert_eq!(o.sense, Some(Sense::UNDERRUN));
    assert_eq!(
        (o.sense_data[2] & 0x0f, o.sense_data[12], o.sense_data[13]),
        (3, 0x0c, 0x09)
    );
    // The drive has stopped: the expected address moved on (5/21/02).
    let o = b.write(&mut e, 1).expect("refused");
    assert_eq!(o.sense, Some(Sense::INVALID_ADDRESS_FOR_WRITE));
    assert_eq!(e.buffer_underrun_free_links(), 0);
    none(&mut e, &hex("35 00 00 00 00 00 00 00 00 00"));
    assert_eq!(e.media().state(), DiscState::Damaged);
}

#[test]
fn stalled_host_with_bufe_pauses_links_resumes_and_the_disc_is_good() {
    let mut e = at_4x(true);
    let mut b = Burner::new(&e);
    assert_eq!(b.write(&mut e, 40), None);
    // Stall 5 s: the buffer runs dry; the drive pauses instead of failing.
    e.advance_time(Duration::from_secs(5));
    assert!(e.clock().is_paused());
    assert_eq!(e.buffer_underrun_free_links(), 1);
    assert_eq!(free(&mut e).1 as u64, BUFFER);
    // Paused: the host refills, nothing drains while time passes.
    assert_eq!(b.write(&mut e, 5), None);
    let refilled = free(&mut e).1;
    assert_eq!(u64::from(refilled), BUFFER - 5 * 26 * 2448);
    e.advance_time(Duration::from_secs(1));
    assert_eq!(free(&mut e).1, refilled);
    assert_eq!(e.buffer_underrun_free_links(), 1);
    // Half full: the drive resumes writing and drains again.
    assert_eq!(b.write(&mut e, 15), None);
    assert!(!e.clock().is_paused());
    let resumed = free(&mut e).1;
    e.advance_time(Duration::from_millis(100));
    assert_eq!(free(&mut e).1, resumed + 70_600);
    // A second stall links again; the burn then completes cleanly.
    e.advance_time(Duration::from_secs(10));
    assert_eq!(e.buffer_underrun_free_links(), 2);
    assert_eq!(b.write(&mut e, usize::MAX), None);
    assert!(none(&mut e, &hex("35 00 00 00 00 00 00 00 00 00")).is_good());
    assert_eq!(e.media().state(), DiscState::Complete);
    assert_eq!(e.findings(), &[]);
}

#[test]
fn no_buf_drive_refuses_bufe_and_underruns() {
    let mut e = Emulator::builtin("no-buf", "cdr80").unwrap();
    assert_eq!(
        select_raw(&mut e, true).sense,
        Some(Sense::INVALID_FIELD_IN_PARAMETER_LIST)
    );
    assert!(select_raw(&mut e, false).is_good());
    let mut b = Burner::new(&e);
    assert_eq!(b.write(&mut e, 5), None);
    e.advance_time(Duration::from_secs(60));
    assert_eq!(
        b.write(&mut e, 1).map(|o| o.sense),
        Some(Some(Sense::UNDERRUN))
    );
}
