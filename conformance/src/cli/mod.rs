//! Command-line parsing and dispatch. Exit codes (DESIGN.md): 0 success,
//! 1 defects or failed scenarios, 2 bad input or usage, 3 device or transport
//! failure.

use std::fmt;

use clap::{Parser, Subcommand};

mod burn;
mod conformance;
mod create;
mod devices;
mod disc;
mod emulator;
mod input;
mod profile;
mod toc;
mod validate;

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: defects found or scenarios failed.
pub const EXIT_DEFECTS: i32 = 1;
/// Exit code: bad input or usage.
pub const EXIT_BAD_INPUT: i32 = 2;
/// Exit code: device or transport failure.
pub const EXIT_DEVICE: i32 = 3;

/// A failure with the exit code it maps to.
#[derive(Debug)]
pub struct CliError {
    code: i32,
    message: String,
}

impl CliError {
    /// Bad input or usage (exit 2).
    pub fn input(message: impl fmt::Display) -> CliError {
        CliError {
            code: EXIT_BAD_INPUT,
            message: message.to_string(),
        }
    }

    /// A device or transport failure (exit 3).
    #[allow(dead_code)]
    pub fn device(message: impl fmt::Display) -> CliError {
        CliError {
            code: EXIT_DEVICE,
            message: message.to_string(),
        }
    }

    /// The process exit code.
    pub fn exit_code(&self) -> i32 {
        self.code
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<rawcd::Error> for CliError {
    fn from(e: rawcd::Error) -> CliError {
        CliError::input(e)
    }
}

/// rawcd — raw Disc-At-Once CD images, the virtual recorder and its
/// conformance suite.
#[derive(Debug, Parser)]
#[command(
    name = "rawcd",
    version,
    about = "Raw Disc-At-Once CD images: create, validate and burn them, on real recorders or the built-in virtual one",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build a DAO-96 image starting at MSF 95:00:00 from a cue sheet, a cdrdao .toc or a JSON layout.
    Create(create::CreateArgs),
    /// Print the table of contents a layout will produce.
    Toc(toc::TocArgs),
    /// Inspect a burned .rcd disc: toc, info, dump, export.
    Disc(disc::DiscArgs),
    /// The virtual recorder for unmodified burning programs: serve it, or run a program against it.
    Emulator(emulator::EmulatorArgs),
    /// Check a raw image sector by sector: exit 0 clean, 1 defects, 2 unreadable.
    Validate(validate::ValidateArgs),
    /// Write an image Disc-At-Once to a recorder (or the virtual one).
    Burn(burn::BurnArgs),
    /// List recorders (and the built-in emulated profiles).
    Devices(devices::DevicesArgs),
    /// Run the conformance scenario suite (on the virtual recorder unless --device is given).
    Conformance(conformance::ConformanceArgs),
    /// Drive profiles: capture a recorder's answers as an emulator profile.
    Profile(profile::ProfileArgs),
}

/// Runs a parsed command line; returns the exit code.
pub fn run(cli: Cli) -> Result<i32, CliError> {
    match cli.command {
        Command::Create(args) => create::run(args),
        Command::Toc(args) => toc::run(args),
        Command::Disc(args) => disc::run(args),
        Command::Emulator(args) => emulator::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Burn(args) => burn::run(args),
        Command::Devices(args) => devices::run(args),
        Command::Conformance(args) => conformance::run(args),
        Command::Profile(args) => profile::run(args),
    }
}
