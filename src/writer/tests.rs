//! Unit tests of the writer against a small fake drive (answers the
//! commands a raw writer sends, checks WRITE sequencing and block sizes),
//! wrapped in `FaultInjector` for error paths and `Tracer` for the
//! transcript snapshot. The real virtual recorder is tested end to end in
//! `conformance/tests/burn_*.rs`.

use std::io::Cursor;
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::*;
use crate::error::{classify_sense, hresult, Error};
use crate::image::{ImageType, RawCdImageCreator};
use crate::mmc::param::atip::Atip;
use crate::mmc::param::buffer_capacity::BufferCapacity;
use crate::mmc::param::disc_information::{DiscInformation, DiscStatus, SessionState};
use crate::mmc::param::features::{
    Configuration, FeatureCode, FeatureData, FeatureDescriptor, ProfileDescriptor,
    CD_MASTERING_BUF, CD_MASTERING_RAW, CD_MASTERING_RW,
};
use crate::mmc::param::inquiry::InquiryData;
use crate::mmc::param::mode::{ModePage, ModeParameterList};
use crate::mmc::param::mode_page_05::{WriteParameters, WriteType};
use crate::mmc::param::mode_page_2a::Capabilities;
use crate::mmc::{Command, OpCode, Sense};
use crate::msf::Msf;
use crate::sector::SectorType;
use crate::transport::{
    CommandOutcome, DataPhase, FaultInjector, ScriptedTransport, Tracer, Transport, TransportError,
};

const LEAD_IN: Lba = -11_625; // 97:27:00
const LPSOL: Lba = 359_849; // 79:59:74

/// A minimal raw-capable CD-RW recorder with a blank CD-R.
#[derive(Debug)]
struct FakeDrive {
    page05: WriteParameters,
    accepted_dbt: Vec<u8>,
    blank: bool,
    locked: bool,
    next_lba: Option<Lba>,
    written: u64,
    hash: Sha256,
    finishing_polls: u32,
    busy_after_sync: u32,
    first_write: Option<Lba>,
    complete: bool,
}

impl FakeDrive {
    fn new() -> FakeDrive {
        FakeDrive {
            page05: WriteParameters::default(),
            accepted_dbt: vec![1, 2, 3],
            blank: true,
            locked: false,
            next_lba: None,
            written: 0,
            hash: Sha256::new(),
            finishing_polls: 0,
            busy_after_sync: 3,
            first_write: None,
            complete: false,
        }
    }

    fn respond(&mut self, cmd: Command, data: &mut DataPhase<'_>) -> Result<usize, Sense> {
        let put = |data: &mut DataPhase<'_>, bytes: &[u8]| -> usize {
            let buf = data.data_in().expect("data-in");
            let n = bytes.len().min(buf.len());
            buf[..n].copy_from_slice(&bytes[..n]);
            n
        };
        match cmd {
            Command::Inquiry(_) => Ok(put(
                data,
                &InquiryData::cd_drive("RAWCD", "FAKE RW", "1.0").to_bytes(),
            )),
            Command::TestUnitReady => {
                if self.finishing_polls > 0 {
                    self.finishing_polls -= 1;
                    return Err(Sense::LONG_WRITE_IN_PROGRESS);
                }
                Ok(0)
            }
            Command::GetConfiguration(c) => {
                let feature = if c.starting_feature == 0 {
                    FeatureDescriptor {
                        code: FeatureCode::PROFILE_LIST,
                        version: 0,
                        persistent: true,
                        current: true,
                        data: FeatureData::ProfileList(vec![
                            ProfileDescriptor {
                                profile: Profile::CD_RW,
                                current: false,
                            },
                            ProfileDescriptor {
                                profile: Profile::CD_R,
                                current: true,
                            },
                        ]),
                    }
                } else {
                    FeatureDescriptor {
                        code: FeatureCode::CD_MASTERING,
                        version: 0,
                        persistent: false,
                        current: true,
                        data: FeatureData::CdMastering {
                            flags: CD_MASTERING_RAW | CD_MASTERING_RW | CD_MASTERING_BUF,
                            max_cue_sheet_length: 0,
                        },
                    }
                };
                let cfg = Configuration {
                    current_profile: Profile::CD_R,
                    features: vec![feature],
                };
                Ok(put(data, &cfg.to_bytes()))
            }
            Command::ModeSense10(c) => {
                let page = match c.page_code {
                    0x05 => self.page05.to_bytes(),
                    0x2a => {
                        let mut caps =
                            Capabilities::parse(&[0x2a, 0x1e, 0, 0, 0, 0, 0, 0]).unwrap();
                        caps.caps[1] = 0x07; // CD-R, CD-RW write, test write
                        caps.caps[2] = 0x80; // BUF
                        caps.buffer_size_kib = 2048;
                        caps.current_write_speed_selected = 7056;
                        caps.max_write_speed = 7056;
                        caps.to_bytes()
                    }
                    _ => return Err(Sense::INVALID_FIELD_IN_CDB),
                };
                let list = ModeParameterList {
                    pages: vec![ModePage {
                        ps: false,
                        code: page[0] & 0x3f,
                        data: page[2..].to_vec(),
                    }],
                    ..Default::default()
                };
                Ok(put(data, &list.to_bytes(false)))
            }
            Command::ModeSelect10(_) => {
                let list = ModeParameterList::parse(data.data_out().unwrap())
                    .map_err(|_| Sense::PARAMETER_LIST_LENGTH_ERROR)?;
                let page = list.page(5).ok_or(Sense::INVALID_FIELD_IN_PARAMETER_LIST)?;
                let wp = WriteParameters::parse(&page.to_bytes())
                    .map_err(|_| Sense::INVALID_FIELD_IN_PARAMETER_LIST)?;
                if wp.write_type == WriteType::Raw
                    && !self.accepted_dbt.contains(&u8::from(wp.data_block_type))
                {
                    return Err(Sense::INVALID_FIELD_IN_PARAMETER_LIST);
                }
                self.page05 = wp;
                Ok(0)
            }
            Command::ReadDiscInformation(_) => {
                if self.finishing_polls > 0 {
                    return Err(Sense::OPERATION_IN_PROGRESS);
                }
                let mut d = DiscInformation::parse(&[0, 32, 0, 0]).unwrap();
                d.disc_status = if self.blank {
                    DiscStatus::Empty
                } else {
                    DiscStatus::Complete
                };
                d.last_session_state = if self.blank {
                    SessionState::Empty
                } else {
                    SessionState::Complete
                };
                d.lead_in_start = if self.blank {
                    Msf::from_lba(LEAD_IN).unwrap()
                } else {
                    Msf {
                        minute: 0xff,
                        second: 0xff,
                        frame: 0xff,
                    }
                };
                d.last_possible_lead_out = if self.blank {
                    Msf::from_lba(LPSOL).unwrap()
                } else {
                    Msf {
                        minute: 0xff,
                        second: 0xff,
                        frame: 0xff,
                    }
                };
                Ok(put(data, &d.to_bytes()))
            }
            Command::ReadToc(_) => {
                let mut a = Atip::parse(&[0u8; 28]).unwrap();
                a.lead_in_start = Msf::from_lba(LEAD_IN).unwrap();
                a.last_possible_lead_out = Msf::from_lba(LPSOL).unwrap();
                Ok(put(data, &a.to_bytes()))
            }
            Command::PreventAllowMediumRemoval(c) => {
                self.locked = c.prevent;
                Ok(0)
            }
            Command::SendOpcInformation(_) | Command::SetCdSpeed(_) => Ok(0),
            Command::ReadBufferCapacity(_) => Ok(put(
                data,
                &BufferCapacity {
                    block: false,
                    length: 2 << 20,
                    available: 1 << 20,
                }
                .to_bytes(),
            )),
            Command::Write10(c) => {
                if self.page05.write_type != WriteType::Raw {
                    return Err(Sense::COMMAND_SEQUENCE_ERROR);
                }
                let size = self.page05.data_block_type.block_size().unwrap();
                let out = data.data_out().unwrap();
                assert_eq!(
                    out.len(),
                    size * usize::from(c.transfer_length),
                    "block size"
                );
                let want = self.next_lba.unwrap_or(LEAD_IN);
                if c.lba != want {
                    return Err(Sense::INVALID_ADDRESS_FOR_WRITE);
                }
                self.first_write.get_or_insert(c.lba);
                self.hash.update(out);
                self.written += u64::from(c.transfer_length);
                self.next_lba = Some(c.lba + i32::from(c.transfer_length));
                Ok(0)
            }
            Command::SynchronizeCache(_) => {
                if self.next_lba.is_some() && !self.complete {
                    self.complete = true;
                    self.blank = false;
                    self.finishing_polls = self.busy_after_sync;
                }
                Ok(0)
            }
            _ => Err(Sense::INVALID_OPCODE),
        }
    }
}

impl Transport for FakeDrive {
    fn execute(
        &mut self,
        cdb: &[u8],
        mut data: DataPhase<'_>,
        _: Duration,
    ) -> Result<CommandOutcome, TransportError> {
        let len = data.len();
        let Ok(cmd) = Command::parse(cdb) else {
            return Ok(CommandOutcome::check_condition(Sense::INVALID_FIELD_IN_CDB));
        };
        Ok(match self.respond(cmd, &mut data) {
            Ok(n) if data.data_in().is_some() => CommandOutcome::good(len - n),
            Ok(_) => CommandOutcome::good(0),
            Err(s) => CommandOutcome::check_condition(s),
        })
    }
}

/// A one-track audio image (300 sectors of a pattern) of type `ty`.
fn image(ty: ImageType) -> Vec<u8> {
    let mut c = RawCdImageCreator::new();
    c.set_resulting_image_type(ty).unwrap();
    let audio: Vec<u8> = (0..300 * 2352).map(|i| (i * 7 % 251) as u8).collect();
    c.add_track(SectorType::Audio, Cursor::new(audio)).unwrap();
    let mut img = c.create_result_image().unwrap();
    let mut v = Vec::new();
    std::io::Read::read_to_end(&mut img, &mut v).unwrap();
    v
}

fn writer<T: Transport>(t: T) -> DiscFormat2RawCd<T> {
    let mut w = DiscFormat2RawCd::new(t);
    w.set_client_name("rawcd test").unwrap();
    w.set_clock(ManualClock::new(Duration::from_millis(50)));
    w
}

fn expected_hash(img: &[u8], ty: ImageType) -> ([u8; 32], u64) {
    let ss = ty.sector_size();
    let skip = (LEAD_IN + 22_650) as usize * ss;
    let tail = &img[skip..];
    (Sha256::digest(tail).into(), (tail.len() / ss) as u64)
}

#[test]
fn test_full_burn_writes_every_sector_from_the_lead_in_start() {
    for ty in [ImageType::PqOnly, ImageType::Cooked, ImageType::Raw] {
        let img = image(ty);
        let mut w = writer(FakeDrive::new());
        let events = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let ev = events.clone();
        w.set_event_handler(move |e| {
            ev.lock().unwrap().push(e.clone());
            Control::Continue
        });
        assert_eq!(w.prepare_media().unwrap(), SpeedStatus::Exact);
        assert_eq!(w.start_of_next_session().unwrap(), LEAD_IN);
        assert_eq!(w.last_possible_start_of_leadout().unwrap(), LPSOL);
        assert_eq!(
            w.supported_sector_types().unwrap(),
            vec![ImageType::PqOnly, ImageType::Cooked, ImageType::Raw]
        );
        w.set_requested_sector_type(ty).unwrap();
        w.write_media(&mut Cursor::new(&img)).unwrap();
        w.release_media().unwrap();
        let d = w.into_inner().unwrap();
        let (hash, sectors) = expected_hash(&img, ty);
        assert_eq!(d.first_write, Some(LEAD_IN));
        assert_eq!(d.written, sectors);
        assert_eq!(<[u8; 32]>::from(d.hash.finalize()), hash);
        assert!(!d.locked);
        let ev = events.lock().unwrap();
        let actions: Vec<_> = ev.iter().map(|e| e.current_action).collect();
        assert_eq!(actions.first(), Some(&WriteAction::Preparing));
        assert!(actions.contains(&WriteAction::Writing));
        assert_eq!(actions.last(), Some(&WriteAction::Finishing));
        let last = ev.last().unwrap();
        assert_eq!(last.sectors_written(), sectors);
        assert_eq!(last.start_lba, LEAD_IN);
        assert_eq!(last.total_device_buffer, Some(2 << 20));
    }
}

#[test]
fn test_forward_only_stream_reads_and_discards() {
    let img = image(ImageType::Raw);
    let mut w = writer(FakeDrive::new());
    w.prepare_media().unwrap();
    w.set_requested_sector_type(ImageType::Raw).unwrap();
    let len = img.len() as u64;
    w.write_media(&mut ForwardOnly::new(&img[..], len)).unwrap();
    w.release_media().unwrap();
    let d = w.into_inner().unwrap();
    let (hash, _) = expected_hash(&img, ImageType::Raw);
    assert_eq!(<[u8; 32]>::from(d.hash.finalize()), hash);
}

/// Folds runs of WRITE(10) lines so the snapshot stays readable.
fn fold_writes(transcript: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let flush = |run: &mut Vec<&str>, out: &mut Vec<String>| {
        match run.len() {
            0 => {}
            1 | 2 => out.extend(run.iter().map(|s| s.to_string())),
            n => {
                out.push(run[0].to_string());
                out.push(format!("     ... {} more WRITE(10) GOOD ...", n - 2));
                out.push(run[n - 1].to_string());
            }
        }
        run.clear();
    };
    for line in transcript.lines() {
        if line.contains("WRITE(10)") && line.trim_end().ends_with("GOOD") {
            run.push(line);
        } else {
            flush(&mut run, &mut out);
            out.push(line.to_string());
        }
    }
    flush(&mut run, &mut out);
    out.join("\n") + "\n"
}

#[test]
fn test_transcript_of_a_full_small_burn() {
    let img = image(ImageType::Raw);
    let tracer = Tracer::new(FakeDrive::new(), std::io::sink());
    let mut w = writer(tracer);
    w.prepare_media().unwrap();
    w.set_requested_sector_type(ImageType::Raw).unwrap();
    w.write_media(&mut Cursor::new(&img)).unwrap();
    w.release_media().unwrap();
    let t = w.into_inner().unwrap();
    insta::assert_snapshot!(fold_writes(&t.transcript()));
}

#[test]
fn test_scripted_prepare_sequence_starts_with_inquiry_and_unlocks_on_failure() {
    // INQUIRY answers, TEST UNIT READY reports no medium: prepare fails with
    // MEDIA_NO_MEDIA before locking anything.
    let mut s = ScriptedTransport::new();
    s.expect_any(
        CommandOutcome::good(0),
        InquiryData::cd_drive("A", "B", "C").to_bytes().to_vec(),
    );
    s.expect_any(
        CommandOutcome::check_condition(Sense::INVALID_OPCODE),
        vec![],
    ); // GET CONFIGURATION
    s.expect_any(
        CommandOutcome::check_condition(Sense::INVALID_FIELD_IN_CDB),
        vec![],
    ); // MODE SENSE 2A
    s.expect_command(
        &Command::TestUnitReady,
        CommandOutcome::check_condition(Sense::NO_MEDIUM),
        vec![],
    );
    let mut w = writer(s);
    let e = w.prepare_media().unwrap_err();
    assert_eq!(e.hresult(), hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA);
    let s = w.into_inner().unwrap();
    assert!(s.is_done());
    let ops: Vec<u8> = s.sent.iter().map(|(c, _)| c[0]).collect();
    assert_eq!(ops, vec![0x12, 0x46, 0x5a, 0x00]);
}

// ----- write_media2 check order (imapi2.md §7.7) -----

fn prepared(drive: FakeDrive) -> DiscFormat2RawCd<FakeDrive> {
    let mut w = writer(drive);
    w.prepare_media().unwrap();
    w.set_requested_sector_type(ImageType::Raw).unwrap();
    w
}

#[test]
fn test_write_media2_check_order() {
    let img = image(ImageType::Raw);
    // 1. lead-in count <= 4650 wins over everything, even without a recorder.
    let mut none: DiscFormat2RawCd<FakeDrive> = DiscFormat2RawCd::empty();
    assert_eq!(
        none.write_media2(&mut Cursor::new(&img), 4650)
            .unwrap_err()
            .hresult(),
        hresult::E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED
    );
    // 2. no recorder -> RECORDER_REQUIRED (not NO_RECORDER_SPECIFIED).
    assert_eq!(
        none.write_media2(&mut Cursor::new(&img), 22650)
            .unwrap_err()
            .hresult(),
        hresult::E_IMAPI_RECORDER_REQUIRED
    );
    // 3. not prepared.
    let mut w = writer(FakeDrive::new());
    assert_eq!(
        w.write_media(&mut Cursor::new(&img)).unwrap_err().hresult(),
        hresult::E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED
    );
    // 4. disc not blank.
    let mut d = FakeDrive::new();
    d.blank = false;
    let mut w = prepared(d);
    assert_eq!(
        w.write_media(&mut Cursor::new(&img)).unwrap_err().hresult(),
        hresult::E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK
    );
    // 5. one write per preparation, even after an early failure.
    let mut w = prepared(FakeDrive::new());
    assert_eq!(
        w.write_media2(&mut Cursor::new(&img[..2448 * 100]), 22650)
            .unwrap_err()
            .hresult(),
        hresult::E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED
    );
    assert_eq!(
        w.write_media(&mut Cursor::new(&img)).unwrap_err().hresult(),
        hresult::E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK
    );
    // 6. the stream starts after the lead-in start.
    let mut w = prepared(FakeDrive::new());
    let cut = &img[(22650 - 11000) * 2448..];
    assert_eq!(
        w.write_media2(&mut Cursor::new(cut), 11000)
            .unwrap_err()
            .hresult(),
        hresult::E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT
    );
    // 7. size not a multiple of the sector size.
    let mut w = prepared(FakeDrive::new());
    assert_eq!(
        w.write_media(&mut Cursor::new(&img[..img.len() - 1]))
            .unwrap_err()
            .hresult(),
        hresult::E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED
    );
    // 8. fewer than 6900 sectors after LBA 0.
    let mut w = prepared(FakeDrive::new());
    assert_eq!(
        w.write_media(&mut Cursor::new(&img[..(22650 + 6899) * 2448]))
            .unwrap_err()
            .hresult(),
        hresult::E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED
    );
    // 9. wrong sector type for the stream (2368 image written as 2448).
    let pq = image(ImageType::PqOnly);
    let mut w = prepared(FakeDrive::new());
    assert_eq!(
        w.write_media(&mut Cursor::new(&pq)).unwrap_err().hresult(),
        hresult::E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED
    );
}

#[test]
fn test_not_enough_space_by_size_and_by_a2() {
    // By size: a zero stream whose post-gap part exceeds LPSOL + 6750.
    let mut w = prepared(FakeDrive::new());
    let sectors = 22_650 + LPSOL as usize + 6_751;
    let big = std::io::repeat(0).take_len((sectors * 2448) as u64);
    let mut big = big;
    let e = w.write_media(&mut big).unwrap_err();
    assert_eq!(e.hresult(), hresult::E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE);
    // By A2: the image's lead-in announces a lead-out after LPSOL; simulate a
    // short disc by lowering LPSOL below the image's lead-out (750).
    let img = image(ImageType::Raw);
    let mut w = prepared(FakeDrive::new());
    w.media.last_possible_leadout = Some(200);
    let e = w.write_media(&mut Cursor::new(&img)).unwrap_err();
    assert!(
        matches!(
            e,
            Error::NotEnoughSpace {
                leadout: 300,
                limit: 200
            }
        ),
        "{e}"
    );
    assert_eq!(w.into_inner().unwrap().written, 0);
}

/// A seekable zero stream of a given length, without memory.
trait TakeLen {
    fn take_len(self, len: u64) -> ZeroStream;
}
impl TakeLen for std::io::Repeat {
    fn take_len(self, len: u64) -> ZeroStream {
        ZeroStream { len, pos: 0 }
    }
}
struct ZeroStream {
    len: u64,
    pos: u64,
}
impl std::io::Read for ZeroStream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (self.len - self.pos).min(buf.len() as u64) as usize;
        buf[..n].fill(0);
        self.pos += n as u64;
        Ok(n)
    }
}
impl std::io::Seek for ZeroStream {
    fn seek(&mut self, p: std::io::SeekFrom) -> std::io::Result<u64> {
        self.pos = match p {
            std::io::SeekFrom::Start(x) => x,
            std::io::SeekFrom::End(x) => (self.len as i64 + x) as u64,
            std::io::SeekFrom::Current(x) => (self.pos as i64 + x) as u64,
        };
        Ok(self.pos)
    }
}

// ----- state machine -----

#[test]
fn test_state_errors() {
    let mut none: DiscFormat2RawCd<FakeDrive> = DiscFormat2RawCd::empty();
    assert_eq!(
        none.prepare_media().unwrap_err().hresult(),
        hresult::E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED
    );
    assert_eq!(
        none.set_write_speed(300, false).unwrap_err().hresult(),
        hresult::E_IMAPI_RECORDER_REQUIRED
    );
    assert_eq!(
        none.current_physical_media_type().unwrap_err().hresult(),
        hresult::E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED
    );
    let mut w = DiscFormat2RawCd::new(FakeDrive::new());
    assert_eq!(
        w.prepare_media().unwrap_err().hresult(),
        hresult::E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID
    );
    assert_eq!(
        w.set_client_name("bad/name").unwrap_err().hresult(),
        hresult::E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID
    );
    assert_eq!(
        w.set_client_name(&"x".repeat(64)).unwrap_err().hresult(),
        hresult::E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID
    );
    w.set_client_name("ok name_1.2").unwrap();
    assert_eq!(
        w.release_media().unwrap_err().hresult(),
        hresult::E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED
    );
    assert_eq!(
        w.start_of_next_session().unwrap_err().hresult(),
        hresult::E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED
    );
    assert_eq!(
        w.last_possible_start_of_leadout().unwrap_err().hresult(),
        hresult::E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED
    );
    assert_eq!(
        w.requested_sector_type().unwrap_err().hresult(),
        hresult::E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED
    );
    assert_eq!(
        w.set_buffer_underrun_free_disabled(true)
            .unwrap_err()
            .hresult(),
        hresult::E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED
    );
    w.set_clock(ManualClock::default());
    w.prepare_media().unwrap();
    assert_eq!(w.exclusive_access_owner(), Some("ok name_1.2"));
    assert_eq!(
        w.prepare_media().unwrap_err().hresult(),
        hresult::E_IMAPI_DF2RAW_MEDIA_IS_PREPARED
    );
    assert_eq!(
        w.set_client_name("other").unwrap_err().hresult(),
        hresult::E_IMAPI_DF2RAW_MEDIA_IS_PREPARED
    );
    assert_eq!(
        w.cancel_handle().cancel_write().unwrap_err().hresult(),
        hresult::E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS
    );
    w.release_media().unwrap();
    assert!(!w.into_inner().unwrap().locked);
}

#[test]
fn test_unsupported_data_block_type() {
    let mut d = FakeDrive::new();
    d.accepted_dbt = vec![1, 3];
    let mut w = writer(d);
    w.prepare_media().unwrap();
    assert_eq!(
        w.supported_sector_types().unwrap(),
        vec![ImageType::PqOnly, ImageType::Raw]
    );
    assert_eq!(
        w.set_requested_sector_type(ImageType::Cooked)
            .unwrap_err()
            .hresult(),
        hresult::E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED
    );
    // The default (cooked) is refused at write time with the same code.
    let img = image(ImageType::Cooked);
    assert_eq!(
        w.write_media(&mut Cursor::new(&img)).unwrap_err().hresult(),
        hresult::E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED
    );
    // No raw type at all: the recorder is not supported, and nothing stays locked.
    let mut d = FakeDrive::new();
    d.accepted_dbt = vec![];
    let mut w = writer(d);
    assert_eq!(
        w.prepare_media().unwrap_err().hresult(),
        hresult::E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED
    );
    assert!(!w.into_inner().unwrap().locked);
}

#[test]
fn test_queries() {
    let mut w = writer(FakeDrive::new());
    assert!(w.is_recorder_supported().unwrap());
    assert!(w.is_current_media_supported().unwrap());
    assert!(w.media_physically_blank().unwrap());
    assert!(w.media_heuristically_blank().unwrap());
    assert_eq!(
        w.current_physical_media_type().unwrap(),
        MediaPhysicalType::CdR
    );
    assert_eq!(w.current_write_speed().unwrap(), 3000);
    assert!(!w.current_rotation_type_is_pure_cav().unwrap());
    let info = w.recorder_info().unwrap();
    assert_eq!(info.vendor, "RAWCD");
    assert!(info.buf);
    assert_eq!(w.set_write_speed(1200, false).unwrap(), SpeedStatus::Exact);
    // Applied in prepare: the fake keeps 40x, so the speed was adjusted.
    assert_eq!(w.prepare_media().unwrap(), SpeedStatus::SpeedAdjusted);
    assert_eq!(w.set_write_speed(-1, false).unwrap(), SpeedStatus::Exact);
    assert_eq!(
        w.set_write_speed(3000, true).unwrap(),
        SpeedStatus::RotationAdjusted
    );
    assert!(w.set_write_speed(0, false).is_err());
    w.release_media().unwrap();
}

#[test]
fn test_speed_conversions() {
    assert_eq!(sectors_per_second_to_kbps(75), 177);
    assert_eq!(sectors_per_second_to_kbps(3900), 9173);
    assert_eq!(sectors_per_second_to_kbps(-1), 0xffff);
    assert_eq!(kbps_to_sectors_per_second(7056), 3000);
    assert_eq!(kbps_to_sectors_per_second(176), 75);
}

// ----- error paths via FaultInjector -----

fn burn_with_fault(fi: FaultInjector<FakeDrive>) -> (Result<()>, FakeDrive) {
    let img = image(ImageType::Raw);
    let mut w = writer(fi);
    let mut r = w.prepare_media().map(|_| ());
    if r.is_ok() {
        w.set_requested_sector_type(ImageType::Raw).unwrap();
        r = w.write_media(&mut Cursor::new(&img));
        let _ = w.release_media();
    }
    (r, w.into_inner().unwrap().into_inner())
}

#[test]
fn test_write_faults_map_to_hresults_and_unlock() {
    let cases = [
        (Sense::UNDERRUN, hresult::E_IMAPI_LOSS_OF_STREAMING),
        (
            Sense::INVALID_ADDRESS_FOR_WRITE,
            hresult::E_IMAPI_LOSS_OF_STREAMING,
        ),
        (Sense::WRITE_ERROR, hresult::E_FAIL),
        (
            Sense::WRITE_PROTECTED,
            hresult::E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED,
        ),
        (
            Sense::NO_MEDIUM_TRAY_OPEN,
            hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA,
        ),
        (
            Sense::LBA_OUT_OF_RANGE,
            hresult::E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE,
        ),
        (
            Sense::COMMAND_SEQUENCE_ERROR,
            hresult::E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE,
        ),
        (
            Sense::COMMUNICATION_TIMEOUT,
            hresult::E_IMAPI_RECORDER_COMMAND_TIMEOUT,
        ),
    ];
    for (sense, code) in cases {
        let fi = FaultInjector::new(FakeDrive::new(), 1).fail_nth(OpCode::WRITE_10, 40, sense);
        let (r, d) = burn_with_fault(fi);
        assert_eq!(r.unwrap_err().hresult(), code, "{sense}");
        assert!(!d.locked, "{sense}: drive left locked");
    }
}

#[test]
fn test_prepare_faults_map_to_hresults() {
    let cases = [
        (
            OpCode::TEST_UNIT_READY,
            Sense::NO_MEDIUM,
            hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA,
        ),
        (
            OpCode::TEST_UNIT_READY,
            Sense::NO_REFERENCE_POSITION,
            hresult::E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN,
        ),
        (
            OpCode::TEST_UNIT_READY,
            Sense::FORMAT_IN_PROGRESS,
            hresult::E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS,
        ),
        (
            OpCode::TEST_UNIT_READY,
            Sense::INCOMPATIBLE_MEDIUM,
            hresult::E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE,
        ),
        (
            OpCode::MODE_SENSE_10,
            Sense::INVALID_FIELD_IN_CDB,
            hresult::E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE,
        ),
        (
            OpCode::READ_DISC_INFORMATION,
            Sense::MEDIUM_NOT_FORMATTED,
            hresult::E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED,
        ),
        (
            OpCode::PREVENT_ALLOW_MEDIUM_REMOVAL,
            Sense::MEDIUM_REMOVAL_PREVENTED,
            hresult::E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE,
        ),
    ];
    for (op, sense, code) in cases {
        // MODE SENSE: fail the second one (page 05h; page 2Ah is optional).
        let n = if op == OpCode::MODE_SENSE_10 { 2 } else { 1 };
        let fi = FaultInjector::new(FakeDrive::new(), 1).fail_nth(op, n, sense);
        let (r, d) = burn_with_fault(fi);
        assert_eq!(r.unwrap_err().hresult(), code, "{op} {sense}");
        assert!(!d.locked);
    }
    // Becoming ready for a while is waited for; forever is reported.
    let fi = FaultInjector::new(FakeDrive::new(), 1)
        .fail_nth(OpCode::TEST_UNIT_READY, 1, Sense::NOT_READY_BECOMING_READY)
        .fail_nth(OpCode::TEST_UNIT_READY, 2, Sense::NOT_READY_BECOMING_READY);
    assert!(burn_with_fault(fi).0.is_ok());
    let fi = FaultInjector::new(FakeDrive::new(), 1).with_rule(
        crate::transport::Trigger::NthOpcode {
            opcode: OpCode::TEST_UNIT_READY,
            n: 1,
        },
        crate::transport::FaultAction::CheckCondition {
            sense: Sense::NOT_READY_BECOMING_READY,
        },
    );
    let mut fi = fi;
    for n in 2..200 {
        fi = fi.fail_nth(OpCode::TEST_UNIT_READY, n, Sense::NOT_READY_BECOMING_READY);
    }
    assert_eq!(
        burn_with_fault(fi).0.unwrap_err().hresult(),
        hresult::E_IMAPI_RECORDER_MEDIA_BECOMING_READY
    );
    // Transport failures.
    let fi = FaultInjector::new(FakeDrive::new(), 1).with_rule(
        crate::transport::Trigger::NthOpcode {
            opcode: OpCode::WRITE_10,
            n: 5,
        },
        crate::transport::FaultAction::DeviceGone,
    );
    assert_eq!(
        burn_with_fault(fi).0.unwrap_err().hresult(),
        hresult::E_DEV_NOT_EXIST
    );
    let fi = FaultInjector::new(FakeDrive::new(), 1).with_rule(
        crate::transport::Trigger::NthOpcode {
            opcode: OpCode::INQUIRY,
            n: 1,
        },
        crate::transport::FaultAction::Timeout,
    );
    assert_eq!(
        burn_with_fault(fi).0.unwrap_err().hresult(),
        hresult::E_IMAPI_RECORDER_COMMAND_TIMEOUT
    );
    // OPC failure: speed mismatch; OPC unsupported: ignored.
    let fi = FaultInjector::new(FakeDrive::new(), 1).fail_nth(
        OpCode::SEND_OPC_INFORMATION,
        1,
        Sense::OPC_FAILED,
    );
    assert_eq!(
        burn_with_fault(fi).0.unwrap_err().hresult(),
        hresult::E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH
    );
    let fi = FaultInjector::new(FakeDrive::new(), 1).fail_nth(
        OpCode::SEND_OPC_INFORMATION,
        1,
        Sense::INVALID_OPCODE,
    );
    assert!(burn_with_fault(fi).0.is_ok());
    // A full drive buffer (2/04/08 on WRITE) is waited for.
    let mut fi = FaultInjector::new(FakeDrive::new(), 1);
    for n in 10..20 {
        fi = fi.fail_nth(OpCode::WRITE_10, n, Sense::LONG_WRITE_IN_PROGRESS);
    }
    let (r, d) = burn_with_fault(fi);
    r.unwrap();
    assert!(d.complete);
}

#[test]
fn test_classify_every_row_of_the_sense_table() {
    use crate::error::RecorderCondition as C;
    let op = OpCode::WRITE_10;
    let rows: &[(OpCode, Sense, u32)] = &[
        (
            op,
            Sense::NO_MEDIUM,
            hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA,
        ),
        (
            op,
            Sense::NO_MEDIUM_TRAY_CLOSED,
            hresult::E_IMAPI_RECORDER_MEDIA_NO_MEDIA,
        ),
        (
            op,
            Sense::NOT_READY_BECOMING_READY,
            hresult::E_IMAPI_RECORDER_MEDIA_BECOMING_READY,
        ),
        (
            op,
            Sense::NOT_READY_CAUSE_NOT_REPORTABLE,
            hresult::E_IMAPI_RECORDER_MEDIA_BECOMING_READY,
        ),
        (
            op,
            Sense::FORMAT_IN_PROGRESS,
            hresult::E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS,
        ),
        (
            op,
            Sense::OPERATION_IN_PROGRESS,
            hresult::E_IMAPI_RECORDER_MEDIA_BUSY,
        ),
        (
            op,
            Sense::LONG_WRITE_IN_PROGRESS,
            hresult::E_IMAPI_RECORDER_MEDIA_BUSY,
        ),
        (
            op,
            Sense::WRITE_PROTECTED,
            hresult::E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED,
        ),
        (
            op,
            Sense::SOFTWARE_WRITE_PROTECTED,
            hresult::E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED,
        ),
        (
            op,
            Sense::INCOMPATIBLE_MEDIUM,
            hresult::E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE,
        ),
        (
            op,
            Sense::new(crate::mmc::SenseKey::NotReady, 0x30, 0),
            hresult::E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE,
        ),
        (
            op,
            Sense::CANNOT_READ_UNKNOWN_FORMAT,
            hresult::E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE,
        ),
        (
            op,
            Sense::CANNOT_WRITE_INCOMPATIBLE_FORMAT,
            hresult::E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE,
        ),
        (
            op,
            Sense::APPLICATION_CODE_MISMATCH,
            hresult::E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE,
        ),
        (
            op,
            Sense::SESSION_NOT_FIXATED,
            hresult::E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK,
        ),
        (
            op,
            Sense::MEDIUM_NOT_FORMATTED,
            hresult::E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED,
        ),
        (
            op,
            Sense::NO_REFERENCE_POSITION,
            hresult::E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN,
        ),
        (
            OpCode::GET_CONFIGURATION,
            Sense::INVALID_OPCODE,
            hresult::E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED,
        ),
        (
            op,
            Sense::INVALID_OPCODE,
            hresult::E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE,
        ),
        (
            OpCode::MODE_SENSE_10,
            Sense::INVALID_FIELD_IN_CDB,
            hresult::E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE,
        ),
        (
            op,
            Sense::INVALID_FIELD_IN_CDB,
            hresult::E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE,
        ),
        (
            OpCode::MODE_SELECT_10,
            Sense::PARAMETER_LIST_LENGTH_ERROR,
            hresult::E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS,
        ),
        (
            OpCode::MODE_SELECT_10,
            Sense::INVALID_FIELD_IN_PARAMETER_LIST,
            hresult::E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS,
        ),
        (
            OpCode::MODE_SELECT_10,
            Sense::PARAMETER_VALUE_INVALID,
            hresult::E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS,
        ),
        (
            op,
            Sense::COMMAND_SEQUENCE_ERROR,
            hresult::E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE,
        ),
        (
            op,
            Sense::LBA_OUT_OF_RANGE,
            hresult::E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE,
        ),
        (
            op,
            Sense::END_OF_USER_AREA,
            hresult::E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE,
        ),
        (
            op,
            Sense::INVALID_ADDRESS_FOR_WRITE,
            hresult::E_IMAPI_LOSS_OF_STREAMING,
        ),
        (op, Sense::UNDERRUN, hresult::E_IMAPI_LOSS_OF_STREAMING),
        (
            op,
            Sense::new(crate::mmc::SenseKey::IllegalRequest, 0x0c, 0x09),
            hresult::E_IMAPI_LOSS_OF_STREAMING,
        ),
        (op, Sense::WRITE_ERROR, hresult::E_FAIL),
        (op, Sense::WRITE_ERROR_RECOVERY_FAILED, hresult::E_FAIL),
        (
            OpCode::SEND_OPC_INFORMATION,
            Sense::POWER_CALIBRATION_AREA_ERROR,
            hresult::E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH,
        ),
        (
            op,
            Sense::POWER_CALIBRATION_AREA_FULL,
            hresult::E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE,
        ),
        (op, Sense::CD_CONTROL_ERROR, hresult::E_FAIL),
        (op, Sense::PMA_FULL, hresult::E_FAIL),
        (op, Sense::SESSION_FIXATION_ERROR_LEAD_OUT, hresult::E_FAIL),
        (op, Sense::UNABLE_TO_RECOVER_TOC, hresult::E_FAIL),
        (
            op,
            Sense::MEDIUM_REMOVAL_PREVENTED,
            hresult::E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE,
        ),
        (
            op,
            Sense::MEDIUM_CHANGED,
            hresult::E_IMAPI_RECORDER_MEDIA_BECOMING_READY,
        ),
        (
            op,
            Sense::POWER_ON_RESET,
            hresult::E_IMAPI_RECORDER_MEDIA_BECOMING_READY,
        ),
        (
            op,
            Sense::COMMUNICATION_FAILURE,
            hresult::E_IMAPI_RECORDER_COMMAND_TIMEOUT,
        ),
        (
            op,
            Sense::new(crate::mmc::SenseKey::AbortedCommand, 0x47, 0x00),
            hresult::E_IMAPI_RECORDER_COMMAND_TIMEOUT,
        ),
        (op, Sense::INTERNAL_TARGET_FAILURE, hresult::E_FAIL),
        (
            op,
            Sense::SAVING_PARAMETERS_NOT_SUPPORTED,
            hresult::E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE,
        ),
    ];
    for &(op, sense, code) in rows {
        let got = match classify_sense(op, sense) {
            Ok(c) => c.hresult(),
            Err(e) => e.hresult(),
        };
        assert_eq!(got, code, "{op} {sense}");
        let e = Error::from_sense(
            &[op.0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            &CommandOutcome::check_condition(sense),
        );
        assert_eq!(e.hresult(), code, "from_sense {op} {sense}");
    }
    // Non-sense outcomes.
    let busy = Error::from_sense(&[0, 0, 0, 0, 0, 0], &CommandOutcome::busy());
    assert_eq!(busy.recorder_condition(), Some(C::MediaBusy));
    let mut o = CommandOutcome::good(0);
    o.status = crate::transport::Status::CheckCondition;
    assert_eq!(
        Error::from_sense(&[0; 6], &o).hresult(),
        hresult::E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE
    );
    o.status = crate::transport::Status::ReservationConflict;
    assert_eq!(
        Error::from_sense(&[0; 6], &o).hresult(),
        hresult::E_IMAPI_RECORDER_LOCKED
    );
    assert_eq!(
        Error::from_transport(&[0; 6], &TransportError::Locked).hresult(),
        hresult::E_IMAPI_RECORDER_LOCKED
    );
    assert_eq!(
        Error::from_transport(&[0; 6], &TransportError::PermissionDenied("x".into())).hresult(),
        hresult::E_ACCESSDENIED
    );
    assert_eq!(
        Error::from_transport(&[], &TransportError::DeviceGone).hresult(),
        hresult::E_DEV_NOT_EXIST
    );
}

// ----- cancel -----

#[test]
fn test_cancel_from_the_event_handler() {
    let img = image(ImageType::Raw);
    let mut w = prepared(FakeDrive::new());
    w.set_event_interval(Duration::from_millis(100));
    let mut seen = 0;
    w.set_event_handler(move |e| {
        if e.current_action == WriteAction::Writing {
            seen += 1;
        }
        if seen == 3 {
            Control::Cancel
        } else {
            Control::Continue
        }
    });
    let e = w.write_media(&mut Cursor::new(&img)).unwrap_err();
    assert_eq!(e.hresult(), hresult::E_IMAPI_REQUEST_CANCELLED);
    w.release_media().unwrap();
    let d = w.into_inner().unwrap();
    assert!(!d.locked);
    assert!(d.written > 0);
}

/// A drive that sleeps a little per WRITE so another thread can cancel.
struct Slow(FakeDrive);
impl Transport for Slow {
    fn execute(
        &mut self,
        cdb: &[u8],
        data: DataPhase<'_>,
        t: Duration,
    ) -> Result<CommandOutcome, TransportError> {
        if cdb[0] == 0x2a {
            std::thread::sleep(Duration::from_micros(20));
        }
        self.0.execute(cdb, data, t)
    }
}

#[test]
fn test_cancel_from_another_thread_at_random_points() {
    let img = std::sync::Arc::new(image(ImageType::PqOnly));
    let mut seed = 0x2545_f491u32;
    for round in 0..12 {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let delay = Duration::from_micros(u64::from(seed % 30_000));
        let mut w = writer(Slow(FakeDrive::new()));
        w.prepare_media().unwrap();
        w.set_requested_sector_type(ImageType::PqOnly).unwrap();
        let h = w.cancel_handle();
        let canceller = std::thread::spawn(move || {
            std::thread::sleep(delay);
            while h.cancel_write().is_err() {
                if delay.as_micros() % 2 == 0 {
                    return false;
                }
                std::thread::yield_now();
                std::thread::sleep(Duration::from_micros(50));
                if !h.is_writing() {
                    return false;
                }
            }
            true
        });
        let img2 = img.clone();
        let r = w.write_media(&mut Cursor::new(&img2[..]));
        let _ = canceller.join().unwrap();
        match &r {
            Ok(()) => {}
            Err(e) => assert_eq!(
                e.hresult(),
                hresult::E_IMAPI_REQUEST_CANCELLED,
                "round {round}: {e}"
            ),
        }
        w.release_media().unwrap();
        assert!(!w.into_inner().unwrap().0.locked, "round {round}");
    }
}

// ----- garbage answers -----

/// Answers every command GOOD with pseudo-random data of random length.
struct Garbage(u32);
impl Transport for Garbage {
    fn execute(
        &mut self,
        _: &[u8],
        mut data: DataPhase<'_>,
        _: Duration,
    ) -> Result<CommandOutcome, TransportError> {
        let mut next = || {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 17;
            self.0 ^= self.0 << 5;
            self.0
        };
        let r = next();
        if r % 11 == 0 {
            return Ok(CommandOutcome::check_condition(Sense::new(
                crate::mmc::SenseKey::from((r >> 8) as u8 & 0xf),
                (r >> 12) as u8,
                (r >> 20) as u8,
            )));
        }
        let len = data.len();
        let n = if len == 0 {
            0
        } else {
            (next() as usize) % (len + 1)
        };
        if let Some(buf) = data.data_in() {
            for b in buf[..n].iter_mut() {
                *b = next() as u8;
            }
        }
        Ok(CommandOutcome::good(len - n))
    }
}

#[test]
fn test_garbage_answers_never_panic() {
    let img = image(ImageType::Raw);
    for seed in 1..300u32 {
        let mut w = writer(Garbage(seed.wrapping_mul(2_654_435_761) | 1));
        w.set_retry_policy(RetryPolicy {
            ready_polls: 3,
            finish_polls: 3,
            long_write_retries: 3,
            ..Default::default()
        });
        let _ = w.is_recorder_supported();
        let _ = w.supported_write_speeds();
        let _ = w.current_write_speed();
        let _ = w.current_physical_media_type();
        if w.prepare_media().is_ok() {
            let _ = w.set_requested_sector_type(ImageType::Raw);
            let _ = w.write_media(&mut Cursor::new(&img));
            let _ = w.release_media();
        }
    }
}
