//! Windows SPTI backend (mmc.md §5.3): `IOCTL_SCSI_PASS_THROUGH_DIRECT` with
//! a `{ SCSI_PASS_THROUGH_DIRECT, Filler, SenseBuf[32] }` wrapper passed as
//! both input and output buffer, as cdrdao's `ScsiIf-nt.cc` does.
#![allow(unsafe_code)]

use std::time::Duration;

use windows_sys::Win32::Foundation::{
    CloseHandle, GetLastError, GENERIC_READ, GENERIC_WRITE, HANDLE, INVALID_HANDLE_VALUE,
};
use windows_sys::Win32::Storage::FileSystem::{
    CreateFileW, FILE_SHARE_READ, FILE_SHARE_WRITE, OPEN_EXISTING,
};
use windows_sys::Win32::Storage::IscsiDisc::{
    IOCTL_SCSI_PASS_THROUGH_DIRECT, SCSI_IOCTL_DATA_IN, SCSI_IOCTL_DATA_OUT,
    SCSI_IOCTL_DATA_UNSPECIFIED, SCSI_PASS_THROUGH_DIRECT,
};
use windows_sys::Win32::System::IO::DeviceIoControl;

use crate::mmc::param::inquiry::{InquiryData, DEVICE_TYPE_CD_DVD};
use crate::mmc::{Command, Inquiry};
use crate::transport::{
    CommandOutcome, DataPhase, Status, Transport, TransportError, TransportExt,
};

use super::DeviceInfo;

const SENSE_LEN: usize = 32;
/// ERROR_SEM_TIMEOUT, what a pass-through timeout usually surfaces as (unconfirmed).
const ERROR_SEM_TIMEOUT: u32 = 121;
/// ERROR_DEVICE_NOT_CONNECTED.
const ERROR_DEVICE_NOT_CONNECTED: u32 = 1167;

#[repr(C)]
struct SptdWithSense {
    sptd: SCSI_PASS_THROUGH_DIRECT,
    filler: u32,
    sense: [u8; SENSE_LEN],
}

/// A CD recorder reached through SCSI pass-through.
#[derive(Debug)]
pub struct SptiTransport {
    handle: HANDLE,
    path: String,
}

impl SptiTransport {
    /// Opens `\\.\E:` or `\\.\CdRom0` read/write.
    pub fn open(path: &str) -> Result<SptiTransport, TransportError> {
        let wide: Vec<u16> = path.encode_utf16().chain(std::iter::once(0)).collect();
        // SAFETY: `wide` is a NUL-terminated UTF-16 string that outlives the
        // call; the other arguments are plain flags or null pointers.
        let handle = unsafe {
            CreateFileW(
                wide.as_ptr(),
                GENERIC_READ | GENERIC_WRITE,
                FILE_SHARE_READ | FILE_SHARE_WRITE,
                std::ptr::null(),
                OPEN_EXISTING,
                0,
                std::ptr::null_mut(),
            )
        };
        if handle == INVALID_HANDLE_VALUE {
            return Err(std::io::Error::last_os_error().into());
        }
        Ok(SptiTransport {
            handle,
            path: path.to_string(),
        })
    }

    /// The device path.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl Drop for SptiTransport {
    fn drop(&mut self) {
        // SAFETY: the handle came from a successful CreateFileW and is closed once.
        unsafe {
            CloseHandle(self.handle);
        }
    }
}

impl Transport for SptiTransport {
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
        let (dir, ptr, len) = match data {
            DataPhase::None => (SCSI_IOCTL_DATA_UNSPECIFIED, std::ptr::null_mut(), 0usize),
            DataPhase::In(b) => (SCSI_IOCTL_DATA_IN, b.as_mut_ptr(), b.len()),
            DataPhase::Out(b) => (SCSI_IOCTL_DATA_OUT, b.as_ptr() as *mut u8, b.len()),
        };
        let len32 = u32::try_from(len)
            .map_err(|_| TransportError::InvalidRequest("transfer too large".into()))?;
        // SAFETY: SCSI_PASS_THROUGH_DIRECT is a plain C struct; all-zero is valid.
        let mut w: SptdWithSense = unsafe { std::mem::zeroed() };
        w.sptd.Length = std::mem::size_of::<SCSI_PASS_THROUGH_DIRECT>() as u16;
        w.sptd.CdbLength = cdb.len() as u8;
        w.sptd.SenseInfoLength = SENSE_LEN as u8;
        w.sptd.DataIn = dir as u8;
        w.sptd.DataTransferLength = len32;
        w.sptd.TimeOutValue = timeout.as_secs().clamp(1, u64::from(u32::MAX)) as u32;
        w.sptd.DataBuffer = ptr.cast();
        w.sptd.SenseInfoOffset = std::mem::offset_of!(SptdWithSense, sense) as u32;
        w.sptd.Cdb[..cdb.len()].copy_from_slice(cdb);
        let size = std::mem::size_of::<SptdWithSense>() as u32;
        let mut returned = 0u32;
        let wp: *mut SptdWithSense = &mut w;
        // SAFETY: `w` is a live, correctly sized in/out buffer; `DataBuffer`
        // points at the caller's buffer of `DataTransferLength` bytes, borrowed
        // for this whole synchronous call (no OVERLAPPED).
        let ok = unsafe {
            DeviceIoControl(
                self.handle,
                IOCTL_SCSI_PASS_THROUGH_DIRECT,
                wp.cast(),
                size,
                wp.cast(),
                size,
                &mut returned,
                std::ptr::null_mut(),
            )
        };
        if ok == 0 {
            // SAFETY: plain thread-local error query.
            let code = unsafe { GetLastError() };
            return Err(match code {
                ERROR_SEM_TIMEOUT => TransportError::Timeout,
                ERROR_DEVICE_NOT_CONNECTED => TransportError::DeviceGone,
                _ => std::io::Error::from_raw_os_error(code as i32).into(),
            });
        }
        let status = Status::from_byte(w.sptd.ScsiStatus);
        let sense = if status == Status::CheckCondition {
            w.sense.to_vec()
        } else {
            Vec::new()
        };
        let residual = len.saturating_sub(w.sptd.DataTransferLength as usize);
        Ok(CommandOutcome::with_sense_bytes(status, sense, residual))
    }
}

/// Probes `\\.\CdRom0` … `\\.\CdRom15` with INQUIRY.
pub fn discover() -> Vec<DeviceInfo> {
    (0..16)
        .filter_map(|i| {
            let path = format!(r"\\.\CdRom{i}");
            let mut t = SptiTransport::open(&path).ok()?;
            let cmd = Command::Inquiry(Inquiry {
                allocation_length: 36,
                ..Default::default()
            });
            let (o, d) = t.command_in(&cmd, 36).ok()?;
            let inq = InquiryData::parse(&d).ok().filter(|_| o.is_good())?;
            (inq.device_type == DEVICE_TYPE_CD_DVD).then(|| DeviceInfo {
                path,
                vendor: inq.vendor_str(),
                product: inq.product_str(),
                revision: inq.revision_str(),
            })
        })
        .collect()
}
