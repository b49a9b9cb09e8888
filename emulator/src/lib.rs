//! rawcd-emulator — the virtual MMC recorder (not implemented yet: see the
//! virtual recorder issue).
#![deny(unsafe_code)]
#![warn(missing_docs)]
