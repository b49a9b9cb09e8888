//! The MMC/SPC wire format: typed CDBs, parameter pages, responses and sense
//! data. The only home of MMC byte layouts; shared by the writer and the
//! emulator (smoltcp `wire` style, STYLE.md §2).
//!
//! Every layout has a view `Foo<T: AsRef<[u8]>>` over a byte buffer with
//! getters (and setters when `T: AsMut<[u8]>`) and a plain `Repr` struct with
//! `parse` / `emit`.
//!
//! **No-panic contract.** `new_unchecked` trusts the caller about the buffer
//! length; getters then index directly and may panic on a short buffer. When
//! parsing untrusted input (a CDB from a host, data from a drive) it is
//! *necessary* to use `new_checked`, which verifies length and opcode, or the
//! `Repr::parse` / [`Command::parse`] entry points, which never panic.
//!
//! Conventions (mmc.md §0): fields are big-endian; LBAs are signed `i32`
//! (two's complement, the lead-in is negative); MSF fields in commands and
//! responses are binary, not BCD.

use core::fmt;

/// Defines a `u8`-backed code set: an enum plus `Unknown(u8)` and both
/// `From` conversions (smoltcp `enum_with_unknown!`).
macro_rules! enum_with_unknown {
    (
        $(#[$enum_attr:meta])*
        pub enum $name:ident($ty:ty) {
            $( $(#[$variant_attr:meta])* $variant:ident = $value:expr ),+ $(,)?
        }
    ) => {
        $(#[$enum_attr])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[derive(serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        #[serde(from = "u8", into = "u8")]
        pub enum $name {
            $( $(#[$variant_attr])* $variant ),*,
            /// A value this code set does not name.
            Unknown($ty),
        }

        impl ::core::convert::From<$ty> for $name {
            fn from(value: $ty) -> Self {
                match value {
                    $( $value => $name::$variant ),*,
                    other => $name::Unknown(other),
                }
            }
        }

        impl ::core::convert::From<$name> for $ty {
            fn from(value: $name) -> Self {
                match value {
                    $( $name::$variant => $value ),*,
                    $name::Unknown(other) => other,
                }
            }
        }
    };
}

/// Defines the shared part of a CDB view: struct, `new_unchecked`,
/// `new_checked`, `check_len`, `into_inner`, `opcode`, `control`.
#[allow(unused_macros)]
macro_rules! cdb_view {
    ($(#[$attr:meta])* $opcode:expr, $len:expr) => {
        /// Length of this CDB in bytes.
        pub const CDB_LEN: usize = $len;

        $(#[$attr])*
        #[derive(Debug, Clone)]
        pub struct Cdb<T: AsRef<[u8]>> {
            buffer: T,
        }

        impl<T: AsRef<[u8]>> Cdb<T> {
            /// Wraps a buffer without checks; getters may panic if it is short.
            pub fn new_unchecked(buffer: T) -> Self {
                Cdb { buffer }
            }

            /// Wraps a buffer after checking its length and opcode.
            pub fn new_checked(buffer: T) -> $crate::mmc::Result<Self> {
                let cdb = Self::new_unchecked(buffer);
                cdb.check_len()?;
                Ok(cdb)
            }

            /// Checks that the buffer is long enough and carries this opcode.
            pub fn check_len(&self) -> $crate::mmc::Result<()> {
                let b = self.buffer.as_ref();
                $crate::mmc::field::check_len(b, CDB_LEN)?;
                if b[0] != $opcode.0 {
                    return Err($crate::mmc::Error::WrongOpCode {
                        expected: $opcode,
                        found: $crate::mmc::OpCode(b[0]),
                    });
                }
                Ok(())
            }

            /// Returns the underlying buffer.
            pub fn into_inner(self) -> T {
                self.buffer
            }

            /// Byte 0.
            pub fn opcode(&self) -> $crate::mmc::OpCode {
                $crate::mmc::OpCode(self.buffer.as_ref()[0])
            }

            /// The CONTROL byte (last byte).
            pub fn control(&self) -> u8 {
                self.buffer.as_ref()[CDB_LEN - 1]
            }

            #[allow(dead_code)]
            fn b(&self, i: usize) -> u8 {
                self.buffer.as_ref()[i]
            }

            #[allow(dead_code)]
            fn f(&self, r: $crate::mmc::field::Field) -> &[u8] {
                &self.buffer.as_ref()[r]
            }
        }

        impl<T: AsRef<[u8]> + AsMut<[u8]>> Cdb<T> {
            /// Zeroes the CDB and writes the opcode.
            pub fn clear(&mut self) {
                let b = &mut self.buffer.as_mut()[..CDB_LEN];
                b.fill(0);
                b[0] = $opcode.0;
            }

            /// Sets the CONTROL byte.
            pub fn set_control(&mut self, v: u8) {
                self.buffer.as_mut()[CDB_LEN - 1] = v;
            }

            #[allow(dead_code)]
            fn bm(&mut self, i: usize) -> &mut u8 {
                &mut self.buffer.as_mut()[i]
            }

            #[allow(dead_code)]
            fn fm(&mut self, r: $crate::mmc::field::Field) -> &mut [u8] {
                &mut self.buffer.as_mut()[r]
            }
        }
    };
}

pub mod field;
pub mod opcode;
pub mod sense;

pub use opcode::OpCode;
pub use sense::{FixedSense, Sense, SenseData, SenseKey};

/// Why bytes could not be read as an MMC structure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The buffer is shorter than the layout needs.
    #[error("truncated: {len} bytes, need {need}")]
    Truncated {
        /// Bytes required.
        need: usize,
        /// Bytes present.
        len: usize,
    },
    /// A CDB view was given another command's opcode.
    #[error("opcode {found} where {expected} was expected")]
    WrongOpCode {
        /// The view's opcode.
        expected: OpCode,
        /// Byte 0 of the buffer.
        found: OpCode,
    },
    /// A field holds a value the layout forbids (byte offset for SKSV).
    #[error("invalid field at byte {byte}: {reason}")]
    InvalidField {
        /// Byte offset of the bad field.
        byte: usize,
        /// What is wrong.
        reason: &'static str,
    },
}

/// Result of MMC parsing.
pub type Result<T> = core::result::Result<T, Error>;

/// A decoded CDB (filled in by the per-command modules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// TEST UNIT READY.
    TestUnitReady,
    /// Any opcode this crate does not decode.
    Unknown {
        /// Byte 0.
        opcode: OpCode,
    },
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::TestUnitReady => f.write_str("TEST UNIT READY"),
            Command::Unknown { opcode } => write!(f, "{opcode}"),
        }
    }
}
