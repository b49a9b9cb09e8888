//! The LD_PRELOAD library (`sgemu.c`) that answers `/dev/sgN`, `/dev/srN`
//! and `/dev/scdN` for unmodified burning programs and forwards SG_IO to the
//! rawcd emulator server over a Unix socket (`rawcd_emulator::wire`).
//!
//! The library is compiled by this crate's build script and embedded here;
//! [`install`] writes it to a file that `LD_PRELOAD` can name.
#![deny(unsafe_code)]
#![warn(missing_docs)]

use std::path::{Path, PathBuf};

/// The shared object's bytes (empty on non-Linux targets).
pub const LIBRARY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/libsgemu_preload.so"));

/// File name [`install`] uses.
pub const FILE_NAME: &str = "libsgemu_preload.so";

/// Writes the library into `dir` and returns its path.
pub fn install(dir: &Path) -> std::io::Result<PathBuf> {
    if LIBRARY.is_empty() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "the LD_PRELOAD shim is only built for Linux",
        ));
    }
    let path = dir.join(FILE_NAME);
    std::fs::write(&path, LIBRARY)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(target_os = "linux")]
    fn library_is_an_elf_shared_object() {
        assert_eq!(&super::LIBRARY[..4], b"\x7fELF");
    }
}
