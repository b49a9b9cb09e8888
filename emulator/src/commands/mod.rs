//! Command handlers, one module per command family (STYLE.md §1). Each is
//! an `impl Emulator` block returning `Result<usize, CommandError>`: the
//! number of data-in bytes transferred, or the error that
//! [`crate::error`] turns into sense.

mod identify;
mod info;
mod mode;
mod read;
mod speed;
mod write;
