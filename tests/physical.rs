//! Tests against a physical recorder. They are `#[ignore]`d and run only
//! when `RAWCD_DEVICE` names a drive (otherwise each prints why it skipped);
//! all are non-destructive — INQUIRY and capabilities, the sector types the
//! writer finds by trial MODE SELECT, and a test-write (simulation, laser
//! off) burn of a small layout. The last two need a blank CD-R in the tray.
//!
//! ```text
//! RAWCD_DEVICE=/dev/sg1 cargo test -p rawcd --features sg --test physical -- --ignored --nocapture
//! RAWCD_DEVICE=/dev/sg1 cargo test -p rawcd-conformance --features sg -- --ignored
//! ```
#![cfg(all(target_os = "linux", feature = "sg"))]

use std::io::Cursor;

use rawcd::error::RecorderCondition;
use rawcd::image::{ImageType, RawCdImageCreator};
use rawcd::sector::SectorType;
use rawcd::transport::sys::{discover, PlatformTransport};
use rawcd::writer::DiscFormat2RawCd;

/// The device named by `RAWCD_DEVICE`, or `None` (with a message).
fn device() -> Option<String> {
    match std::env::var("RAWCD_DEVICE") {
        Ok(d) if !d.trim().is_empty() => Some(d),
        _ => {
            eprintln!(
                "skipped: set RAWCD_DEVICE=/dev/sgN (or /dev/srN) to run this test against a physical recorder; found: {:?}",
                discover()
            );
            None
        }
    }
}

fn writer(dev: &str) -> DiscFormat2RawCd<PlatformTransport> {
    let t = PlatformTransport::open(dev).unwrap_or_else(|e| panic!("{dev}: {e}"));
    let mut w = DiscFormat2RawCd::new(t);
    w.set_client_name("rawcd physical test").unwrap();
    w
}

/// Whether a blank disc is in the drive (prints why not).
fn blank_disc(w: &mut DiscFormat2RawCd<PlatformTransport>, dev: &str) -> bool {
    match w.media_physically_blank() {
        Ok(true) => true,
        Ok(false) => {
            eprintln!("skipped: the disc in {dev} is not blank; insert a blank CD-R");
            false
        }
        Err(e) => {
            eprintln!("skipped: {dev}: no usable disc ({e}); insert a blank CD-R");
            false
        }
    }
}

#[test]
#[ignore = "needs a physical recorder: RAWCD_DEVICE=/dev/sgN"]
fn inquiry_and_capabilities() {
    let Some(dev) = device() else { return };
    let mut w = writer(&dev);
    let info = w.probe().unwrap();
    eprintln!("{dev}: {info:#?}");
    assert!(
        !info.vendor.is_empty() || !info.product.is_empty(),
        "{dev}: empty INQUIRY strings"
    );
    let raw = w.is_recorder_supported().unwrap();
    let speeds = w.supported_write_speeds();
    eprintln!(
        "{dev}: raw DAO capable: {raw}; media: {:?}; write speeds (sectors/s): {speeds:?}",
        w.current_physical_media_type()
    );
    assert!(
        info.capabilities.is_some() || info.get_configuration,
        "{dev}: neither page 2Ah nor GET CONFIGURATION answered"
    );
}

#[test]
#[ignore = "needs a physical recorder with a blank disc: RAWCD_DEVICE=/dev/sgN"]
fn supported_sector_types_by_trial_mode_select() {
    let Some(dev) = device() else { return };
    let mut w = writer(&dev);
    if !blank_disc(&mut w, &dev) {
        return;
    }
    match w.prepare_media() {
        Ok(_) => {}
        Err(e @ (rawcd::Error::RecorderNotSupported(_) | rawcd::Error::MediaNotSupported(_))) => {
            eprintln!("skipped: {dev} cannot write raw DAO: {e}");
            return;
        }
        Err(e) => panic!("{dev}: prepare_media: {e}"),
    }
    let types = w.supported_sector_types();
    w.release_media().unwrap();
    let types = types.unwrap();
    eprintln!("{dev}: supported sector types {types:?}");
    assert!(!types.is_empty());
}

#[test]
#[ignore = "needs a physical recorder with a blank disc: RAWCD_DEVICE=/dev/sgN"]
fn test_write_burn_of_a_small_layout() {
    let Some(dev) = device() else { return };
    let mut w = writer(&dev);
    if !blank_disc(&mut w, &dev) {
        return;
    }
    w.set_test_write(true);
    if let Err(e) = w.prepare_media() {
        eprintln!("skipped: {dev}: prepare_media: {e}");
        return;
    }
    let supported = w.supported_sector_types().unwrap_or_default();
    let Some(&ty) = [ImageType::PqOnly, ImageType::Raw, ImageType::Cooked]
        .iter()
        .find(|t| supported.contains(t))
    else {
        w.release_media().unwrap();
        eprintln!("skipped: {dev} accepts no raw sector type");
        return;
    };
    // One 300-sector (4 s) audio track.
    let audio: Vec<u8> = (0..300 * 2352u32).map(|i| (i * 7 + 1) as u8).collect();
    let mut c = RawCdImageCreator::new();
    c.set_resulting_image_type(ty).unwrap();
    c.add_track(SectorType::Audio, Cursor::new(audio)).unwrap();
    let mut image = c.create_result_image().unwrap();
    let r = w
        .set_requested_sector_type(ty)
        .and_then(|_| w.write_media(&mut image));
    let released = w.release_media();
    match r {
        Ok(()) => {}
        Err(e) if e.recorder_condition() == Some(RecorderCondition::InvalidModeParameters) => {
            eprintln!("skipped: {dev} refuses Test Write in RAW mode ({e})");
            return;
        }
        Err(e) => panic!("{dev}: test-write burn ({ty}): {e}"),
    }
    released.unwrap();
    assert!(
        w.media_physically_blank().unwrap(),
        "{dev}: the disc is not blank after a test write"
    );
}
