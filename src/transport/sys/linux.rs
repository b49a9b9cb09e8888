//! Linux SG_IO backend over the `sg` crate (mmc.md §5.1–5.2). Opens the
//! node with `O_RDWR|O_NONBLOCK|O_EXCL` (held for the lifetime of the
//! transport) and issues commands through `sg::Device::perform`.
//!
//! `/dev/sgN` refuses a second open while an `O_EXCL` one exists, so for sg
//! nodes the exclusive handle is taken on the paired `/dev/srM` (found in
//! sysfs, as libburn does); for `/dev/srN` the block device itself is opened
//! `O_EXCL` (blocks mounts and other exclusive openers) and the command
//! handle is a second, plain open.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::Duration;

use crate::mmc::param::inquiry::{InquiryData, DEVICE_TYPE_CD_DVD};
use crate::mmc::{Command, Inquiry};
use crate::transport::{
    CommandOutcome, DataPhase, Status, Transport, TransportError, TransportExt,
};

use super::DeviceInfo;

const O_EXCL: i32 = 0o200;
const O_NONBLOCK: i32 = 0o4000;
/// Sense bytes requested from the kernel.
const SENSE_LEN: usize = 64;
/// DID_TIME_OUT.
const DID_TIME_OUT: u16 = 0x03;
/// DID_NO_CONNECT.
const DID_NO_CONNECT: u16 = 0x01;
/// DRIVER_TIMEOUT (low 3 bits).
const DRIVER_TIMEOUT: u16 = 0x06;

/// A CD recorder reached through SG_IO.
pub struct SgTransport {
    device: sg::Device,
    _lock: File,
    path: String,
}

impl std::fmt::Debug for SgTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SgTransport")
            .field("path", &self.path)
            .finish()
    }
}

impl SgTransport {
    /// Opens `path` (`/dev/sgN` or `/dev/srN`) for exclusive use.
    /// `TransportError::Locked` when another process holds it.
    pub fn open(path: impl AsRef<Path>) -> Result<SgTransport, TransportError> {
        let path = path.as_ref();
        let is_sg = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("sg"));
        let excl = |p: &Path| {
            OpenOptions::new()
                .read(true)
                .write(true)
                .custom_flags(O_NONBLOCK | O_EXCL)
                .open(p)
        };
        let lock = match is_sg.then(|| sibling_sr(path)).flatten() {
            Some(sr) => excl(&sr)?,
            None if is_sg => OpenOptions::new()
                .read(true)
                .custom_flags(O_NONBLOCK)
                .open(path)?,
            None => excl(path)?,
        };
        let device = sg::Device::open(path)?;
        Ok(SgTransport {
            device,
            _lock: lock,
            path: path.display().to_string(),
        })
    }

    /// Opens without any exclusivity (discovery, read-only probing).
    pub fn open_shared(path: impl AsRef<Path>) -> Result<SgTransport, TransportError> {
        let path = path.as_ref();
        let lock = OpenOptions::new()
            .read(true)
            .custom_flags(O_NONBLOCK)
            .open(path)?;
        Ok(SgTransport {
            device: sg::Device::open(path)?,
            _lock: lock,
            path: path.display().to_string(),
        })
    }

    /// The device path.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl Transport for SgTransport {
    fn execute(
        &mut self,
        cdb: &[u8],
        data: DataPhase<'_>,
        timeout: Duration,
    ) -> Result<CommandOutcome, TransportError> {
        if cdb.is_empty() || cdb.len() > 16 {
            return Err(TransportError::InvalidRequest(format!(
                "CDB length {}",
                cdb.len()
            )));
        }
        let sense = [0u8; SENSE_LEN];
        let mut task = sg::Task::new();
        task.set_cdb(cdb)
            .set_timeout(timeout)
            .set_sense_buffer(&sense);
        let requested = data.len();
        match data {
            DataPhase::None => {}
            DataPhase::In(buf) => {
                task.set_data_mut(buf, sg::Direction::FromDevice);
            }
            DataPhase::Out(buf) => {
                task.set_data(buf, sg::Direction::ToDevice);
            }
        }
        // `task` holds raw pointers to `cdb`, `sense` and the data buffer, all
        // of which outlive this call; `perform` is one blocking SG_IO ioctl.
        self.device.perform(&task)?;
        let host = task.host_status();
        let driver = task.driver_status();
        if host == DID_TIME_OUT || driver & 0x07 == DRIVER_TIMEOUT {
            return Err(TransportError::Timeout);
        }
        if host == DID_NO_CONNECT {
            return Err(TransportError::DeviceGone);
        }
        if host != 0 || driver & 0x07 != 0 {
            return Err(TransportError::Host {
                host_status: host,
                driver_status: driver,
            });
        }
        // SAFETY-relevant note: the kernel wrote the sense bytes through the
        // pointer `set_sense_buffer` stored; read them back through the task
        // (sb_len_wr bytes), not through the `sense` binding.
        let sense_bytes = task.sense_buffer().to_vec();
        let residual = usize::try_from(task.residual_data())
            .unwrap_or(0)
            .min(requested);
        Ok(CommandOutcome::with_sense_bytes(
            Status::from_byte(task.status()),
            sense_bytes,
            residual,
        ))
    }
}

/// The `/dev/srM` node paired with `/dev/sgN` (sysfs), if any.
fn sibling_sr(sg: &Path) -> Option<std::path::PathBuf> {
    let name = sg.file_name()?.to_string_lossy().into_owned();
    let dir = format!("/sys/class/scsi_generic/{name}/device/block");
    let entry = std::fs::read_dir(dir).ok()?.filter_map(|e| e.ok()).next()?;
    Some(Path::new("/dev").join(entry.file_name()))
}

/// Scans `/dev/sg*` and `/dev/sr*` for CD/DVD units (INQUIRY device type 5).
pub fn discover() -> Vec<DeviceInfo> {
    let Ok(dir) = std::fs::read_dir("/dev") else {
        return Vec::new();
    };
    let mut paths: Vec<_> = dir
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                (n.starts_with("sg") || n.starts_with("sr"))
                    && n[2..].chars().all(|c| c.is_ascii_digit())
            })
        })
        .collect();
    paths.sort();
    paths.into_iter().filter_map(|p| probe(&p)).collect()
}

fn probe(path: &Path) -> Option<DeviceInfo> {
    let mut t = SgTransport::open_shared(path).ok()?;
    let cmd = Command::Inquiry(Inquiry {
        allocation_length: 36,
        ..Default::default()
    });
    let (outcome, data) = t.command_in(&cmd, 36).ok()?;
    let inq = InquiryData::parse(&data)
        .ok()
        .filter(|_| outcome.is_good())?;
    (inq.device_type == DEVICE_TYPE_CD_DVD).then(|| DeviceInfo {
        path: path.display().to_string(),
        vendor: inq.vendor_str(),
        product: inq.product_str(),
        revision: inq.revision_str(),
    })
}
