//! rawcd — raw Disc-At-Once (DAO-96) CD images, host side.
//!
//! Everything a host needs to build, read, validate and write raw CD images:
//! the codecs ([`msf`], [`sector`], [`subcode`]), the disc [`layout`] model,
//! the IMAPI2-style image creator ([`image`]), readers of other image formats
//! ([`formats`]), the validator ([`validate`]), the MMC wire format ([`mmc`]),
//! the [`transport`] trait with its middleware and backends, and the DAO
//! [`writer`]. Nothing device-side lives here: the virtual recorder is the
//! `rawcd-emulator` crate.
//!
//! Dependencies inside the crate run one way: codecs and the wire import
//! nothing above them; `image`, `formats` and `validate` build on codecs and
//! layout; `transport` on `mmc`; `writer` on `transport` and `image`.
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod error;
pub mod formats;
pub mod fuzzing;
pub mod image;
pub mod layout;
pub mod mmc;
pub mod msf;
pub mod sector;
pub mod subcode;
pub mod transport;
pub mod validate;
pub mod writer;

pub use error::{Error, Result};
pub use msf::{Lba, Msf};
