//! Platform backends (the crosvm `sys/` split): the only place that may use
//! `unsafe`. Linux: [`SgTransport`] over SG_IO (feature `sg`). Windows:
//! `SptiTransport` over `IOCTL_SCSI_PASS_THROUGH_DIRECT`.

/// A recorder found by [`discover`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeviceInfo {
    /// Path to open (`/dev/sg1`, `/dev/sr0`, `\\.\E:`).
    pub path: String,
    /// INQUIRY vendor.
    pub vendor: String,
    /// INQUIRY product.
    pub product: String,
    /// INQUIRY revision.
    pub revision: String,
}

#[cfg(all(target_os = "linux", feature = "sg"))]
mod linux;
#[cfg(windows)]
mod windows;

#[cfg(all(target_os = "linux", feature = "sg"))]
pub use linux::{discover, SgTransport, SgTransport as PlatformTransport};
#[cfg(windows)]
pub use windows::{discover, SptiTransport, SptiTransport as PlatformTransport};

/// No platform backend in this build: no devices.
#[cfg(not(any(all(target_os = "linux", feature = "sg"), windows)))]
pub fn discover() -> Vec<DeviceInfo> {
    Vec::new()
}
