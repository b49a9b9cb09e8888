//! End to end on the virtual recorder: create an image → burn it with
//! `DiscFormat2RawCd` → read the disc back through the same Transport →
//! every sector from LBA −150 to the end of the lead-out equals the image
//! (main channel, P and Q; the whole raw P–W for raw images), and READ TOC
//! equals `expected_toc()`. Also: errors from emulator faults, cancel, and
//! the sustained rate of an in-process burn.

use std::io::{self, Read, Seek, SeekFrom};
use std::time::{Duration, Instant};

use rawcd::error::hresult;
use rawcd::image::{ImageType, RawCdImageCreator, ResultImage};
use rawcd::mmc::param::toc::Toc as MmcToc;
use rawcd::mmc::{Command, ReadCd, ReadToc, TocFormat};
use rawcd::sector::SectorType;
use rawcd::subcode::pack;
use rawcd::transport::{Transport, TransportExt};
use rawcd::writer::{DiscFormat2RawCd, FnClock};
use rawcd::Lba;
use rawcd_emulator::{Emulator, Fault};

/// Deterministic audio generated on demand.
struct Pattern {
    len: u64,
    pos: u64,
    seed: u8,
}

impl Read for Pattern {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (self.len - self.pos).min(buf.len() as u64) as usize;
        for (k, b) in buf[..n].iter_mut().enumerate() {
            *b = ((self.pos + k as u64) * 7 + u64::from(self.seed)) as u8;
        }
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Pattern {
    fn seek(&mut self, p: SeekFrom) -> io::Result<u64> {
        self.pos = match p {
            SeekFrom::Start(x) => x,
            SeekFrom::End(x) => (self.len as i64 + x) as u64,
            SeekFrom::Current(x) => (self.pos as i64 + x) as u64,
        };
        Ok(self.pos)
    }
}

fn creator(ty: ImageType, tracks: &[u32]) -> RawCdImageCreator {
    let mut c = RawCdImageCreator::new();
    c.set_resulting_image_type(ty).unwrap();
    for (i, &n) in tracks.iter().enumerate() {
        c.add_track(
            SectorType::Audio,
            Pattern {
                len: u64::from(n) * 2352,
                pos: 0,
                seed: i as u8,
            },
        )
        .unwrap();
    }
    c
}

fn writer(emu: Emulator) -> DiscFormat2RawCd<Emulator> {
    let mut w = DiscFormat2RawCd::new(emu);
    w.set_client_name("rawcd e2e").unwrap();
    w.set_clock(FnClock::new(
        |e: &mut Emulator| Duration::from_micros(e.clock().now_us()),
        |e: &mut Emulator, d| e.advance_time(d),
    ));
    w
}

fn burn(
    w: &mut DiscFormat2RawCd<Emulator>,
    image: &mut ResultImage,
    ty: ImageType,
) -> rawcd::Result<()> {
    let r = (|| {
        w.prepare_media()?;
        w.set_requested_sector_type(ty)?;
        w.write_media(image)
    })();
    let rel = if w.is_prepared() {
        w.release_media()
    } else {
        Ok(())
    };
    r.and(rel)
}

fn read_back<T: Transport>(t: &mut T, image: &mut ResultImage, leadout: Lba) {
    let ty = image.image_type();
    let mut want = vec![0u8; ty.sector_size()];
    let end = leadout + 6750;
    let mut lba: Lba = -150;
    while lba < end {
        let n = 32.min((end - lba) as u32);
        let cmd = Command::ReadCd(ReadCd {
            expected_sector_type: 0,
            dap: false,
            lba,
            transfer_length: n,
            sync: true,
            header_codes: 3,
            user_data: true,
            edc_ecc: true,
            c2_errors: 0,
            sub_channel: 1,
        });
        let alloc = n as usize * 2448;
        let (o, bytes) = t.command_in(&cmd, alloc).unwrap();
        assert!(
            o.is_good() && bytes.len() == alloc,
            "READ CD at {lba}: {o:?}"
        );
        for (k, got) in bytes.chunks_exact(2448).enumerate() {
            let at = lba + k as Lba;
            image.sector_at(at, &mut want).unwrap();
            assert!(
                got[..2352] == want[..2352],
                "LBA {at}: main channel differs"
            );
            let (gp, gq) = pack::unraw96(got[2352..].try_into().unwrap());
            let (wp, wq) = match ty {
                ImageType::PqOnly => {
                    let (p, q, _) = pack::unpq16(want[2352..].try_into().unwrap());
                    (p, q)
                }
                _ => pack::unraw96(want[2352..].try_into().unwrap()),
            };
            assert_eq!(gq.data(), wq.data(), "LBA {at}: Q");
            assert_eq!(gp, wp, "LBA {at}: P");
            if ty == ImageType::Raw {
                assert!(got[2352..] == want[2352..], "LBA {at}: raw P-W");
            }
        }
        lba += n as Lba;
    }
}

fn read_toc<T: Transport>(t: &mut T) -> MmcToc {
    let cmd = Command::ReadToc(ReadToc {
        msf: false,
        format: TocFormat::Formatted,
        track_or_session: 0,
        allocation_length: 804,
    });
    let (o, bytes) = t.command_in(&cmd, 804).unwrap();
    assert!(o.is_good(), "READ TOC: {o:?}");
    MmcToc::parse(&bytes, false).unwrap()
}

#[test]
fn create_burn_read_back_every_type_profile_and_media() {
    let combos = [
        ("default", "cdr80", ImageType::Raw),
        ("default", "cdr74", ImageType::PqOnly),
        ("default", "cdrw", ImageType::Cooked),
        ("no-buf", "cdr80", ImageType::Raw),
        ("default", "cdr99", ImageType::PqOnly),
    ];
    for (profile, media, ty) in combos {
        let mut c = creator(ty, &[300, 451, 333]);
        let toc = c.expected_toc().unwrap();
        let mut image = c.create_result_image().unwrap();
        let mut w = writer(Emulator::builtin(profile, media).unwrap());
        if let Err(e) = burn(&mut w, &mut image, ty) {
            // A profile may refuse a data block type: that must be 0xC0AA060E.
            assert_eq!(
                e.hresult(),
                hresult::E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED,
                "{profile}/{media}/{ty}: {e}"
            );
            continue;
        }
        let mut emu = w.take_recorder().unwrap();
        assert_eq!(
            read_toc(&mut emu),
            toc.to_read_toc(false),
            "{profile}/{media}/{ty}"
        );
        read_back(&mut emu, &mut image, toc.leadout_lba);
    }
}

#[test]
fn emulator_faults_are_reported_with_their_hresults() {
    let cases = [
        (Fault::NoMedia, hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA),
        (
            Fault::UpsideDown,
            hresult::E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN,
        ),
        (
            Fault::FormatInProgress,
            hresult::E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS,
        ),
        (Fault::Busy, hresult::E_IMAPI_RECORDER_MEDIA_BUSY),
        (
            Fault::WriteProtected,
            hresult::E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED,
        ),
        (
            Fault::IncompatibleMedia,
            hresult::E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE,
        ),
        (
            Fault::SpeedMismatch,
            hresult::E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH,
        ),
        (Fault::LossOfStreaming, hresult::E_IMAPI_LOSS_OF_STREAMING),
        (Fault::WriteError, hresult::E_FAIL),
        (Fault::DeviceGone, hresult::E_DEV_NOT_EXIST),
        (
            Fault::CommandTimeout,
            hresult::E_IMAPI_RECORDER_COMMAND_TIMEOUT,
        ),
        (Fault::PowerLossAt(100), hresult::E_DEV_NOT_EXIST),
    ];
    for (fault, code) in cases {
        let mut c = creator(ImageType::Raw, &[300]);
        let mut image = c.create_result_image().unwrap();
        let mut emu = Emulator::builtin("default", "cdr80").unwrap();
        emu.inject(fault);
        let mut w = writer(emu);
        let e = burn(&mut w, &mut image, ImageType::Raw).unwrap_err();
        assert_eq!(e.hresult(), code, "{fault:?}: {e}");
    }
    // Becoming ready briefly is waited for.
    let mut c = creator(ImageType::Raw, &[300]);
    let mut image = c.create_result_image().unwrap();
    let mut emu = Emulator::builtin("default", "cdr80").unwrap();
    emu.inject(Fault::BecomingReady { polls: 3 });
    burn(&mut writer(emu), &mut image, ImageType::Raw).unwrap();
    // A written disc is not blank.
    let mut image = creator(ImageType::Raw, &[300])
        .create_result_image()
        .unwrap();
    let e = burn(
        &mut writer(Emulator::builtin("default", "cdrw-written").unwrap()),
        &mut image,
        ImageType::Raw,
    )
    .unwrap_err();
    assert_eq!(e.hresult(), hresult::E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK);
}

#[test]
fn cancel_mid_burn_leaves_the_drive_unlocked_and_the_disc_damaged() {
    let mut image = creator(ImageType::Raw, &[3000])
        .create_result_image()
        .unwrap();
    let mut w = writer(Emulator::builtin("default", "cdr80").unwrap());
    w.set_event_interval(Duration::from_millis(200));
    let mut n = 0;
    w.set_event_handler(move |_| {
        n += 1;
        if n == 4 {
            rawcd::writer::Control::Cancel
        } else {
            rawcd::writer::Control::Continue
        }
    });
    let e = burn(&mut w, &mut image, ImageType::Raw).unwrap_err();
    assert_eq!(e.hresult(), hresult::E_IMAPI_REQUEST_CANCELLED);
    let emu = w.take_recorder().unwrap();
    assert!(emu.media().damage().is_some() || !emu.media().is_blank());
}

#[test]
fn sustained_rate_of_an_in_process_burn() {
    // ~20 minutes of audio on the default (52x-capable, BUF) profile with BUF off.
    let mut c = creator(ImageType::Raw, &[90_000]);
    let mut image = c.create_result_image().unwrap();
    let mut w = writer(Emulator::builtin("default", "cdr80").unwrap());
    let started = Instant::now();
    w.prepare_media().unwrap();
    w.set_requested_sector_type(ImageType::Raw).unwrap();
    w.set_buffer_underrun_free_disabled(true).unwrap();
    w.write_media(&mut image).unwrap();
    w.release_media().unwrap();
    let secs = started.elapsed().as_secs_f64();
    let sectors = image.sector_count() as f64;
    let emu = w.take_recorder().unwrap();
    let virt = emu.clock().now_us() as f64 / 1e6;
    println!(
        "sustained: {sectors} sectors ({:.0} MB) in {secs:.2} s wall = {:.1} MB/s = {:.0}x; virtual burn time {virt:.1} s; {} BUF links",
        sectors * 2448.0 / 1e6,
        sectors * 2448.0 / 1e6 / secs,
        sectors / secs / 75.0,
        emu.clock().links()
    );
}
