//! `rawcd emulator serve|run`: the virtual recorder served to unmodified
//! burning programs through the LD_PRELOAD shim (real-clients.md §5).
//!
//! `run` starts a server on a temporary socket in a thread, runs the program
//! with `LD_PRELOAD` naming the shim (written from the bytes embedded in
//! `rawcd-shim`) and exits with the program's exit status.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use rawcd_emulator::server::{Server, ServerConfig};
use rawcd_emulator::wire;
use rawcd_emulator::Emulator;

use super::{CliError, EXIT_OK};

/// Arguments of `rawcd emulator`.
#[derive(Debug, Args)]
pub struct EmulatorArgs {
    #[command(subcommand)]
    action: EmulatorAction,
}

/// The drive both subcommands emulate.
#[derive(Debug, Args)]
struct DriveArgs {
    /// Drive profile: a built-in name (default, sao-only, no-buf, mmc2-old) or a JSON file.
    #[arg(long, default_value = "default")]
    profile: String,
    /// Medium: a built-in name (cdr74, cdr80, cdr90, cdr99, cdrw, cdrw-written, cdrom, none) or a `.rcd` disc.
    #[arg(long, default_value = "cdr80")]
    media: String,
    /// Write the burned disc to this `.rcd` file.
    #[arg(long)]
    disc_out: Option<PathBuf>,
    /// Write the command transcript to this file.
    #[arg(long)]
    trace: Option<PathBuf>,
    /// N of /dev/sgN, /dev/srN, /dev/scdN (SCSI address N:0:0:0).
    #[arg(long, default_value_t = wire::DEFAULT_DEVNUM)]
    devnum: u32,
}

#[derive(Debug, Subcommand)]
enum EmulatorAction {
    /// Serve the emulator on a Unix socket until killed; prints the environment a program needs.
    Serve {
        /// The socket to listen on.
        #[arg(long)]
        socket: PathBuf,
        /// Where to write the fake sysfs/procfs tree and the shim library (default: a temporary directory).
        #[arg(long)]
        sysroot: Option<PathBuf>,
        #[command(flatten)]
        drive: DriveArgs,
    },
    /// Run PROGRAM against a fresh emulated drive; exits with its status.
    Run {
        #[command(flatten)]
        drive: DriveArgs,
        /// The program and its arguments (after `--`).
        #[arg(last = true, required = true)]
        program: Vec<OsString>,
    },
}

fn build_emulator(d: &DriveArgs) -> Result<Emulator, CliError> {
    let emu = Emulator::builtin(&d.profile, &d.media).map_err(CliError::input)?;
    Ok(match &d.disc_out {
        Some(p) => emu.with_disc_out(p),
        None => emu,
    })
}

/// The environment a program needs to see the drive.
pub fn shim_env(
    shim: &Path,
    socket: &Path,
    sysroot: &Path,
    devnum: u32,
) -> Vec<(String, OsString)> {
    let mut preload = OsString::from(shim);
    if let Some(old) = std::env::var_os("LD_PRELOAD").filter(|v| !v.is_empty()) {
        preload.push(":");
        preload.push(old);
    }
    vec![
        ("LD_PRELOAD".into(), preload),
        (wire::ENV_SOCKET.into(), socket.into()),
        (wire::ENV_SYSROOT.into(), sysroot.into()),
        (wire::ENV_DEVNUM.into(), devnum.to_string().into()),
    ]
}

/// Runs `rawcd emulator …`.
pub fn run(args: EmulatorArgs) -> Result<i32, CliError> {
    match args.action {
        EmulatorAction::Serve {
            socket,
            sysroot,
            drive,
        } => serve(socket, sysroot, drive),
        EmulatorAction::Run { drive, program } => run_program(drive, program),
    }
}

fn serve(socket: PathBuf, sysroot: Option<PathBuf>, drive: DriveArgs) -> Result<i32, CliError> {
    let emu = build_emulator(&drive)?;
    let tmp;
    let root = match sysroot {
        Some(r) => r,
        None => {
            tmp = tempfile::tempdir().map_err(CliError::device)?;
            tmp.path().to_path_buf()
        }
    };
    std::fs::create_dir_all(&root).map_err(CliError::device)?;
    let shim = rawcd_shim::install(&root).map_err(CliError::device)?;
    let config = ServerConfig {
        socket: socket.clone(),
        sysroot: Some(root.clone()),
        trace: drive.trace.clone(),
        devnum: drive.devnum,
    };
    let server = Server::bind(emu, config).map_err(CliError::device)?;
    println!(
        "rawcd emulator: /dev/sg{n} /dev/sr{n} /dev/scd{n} ({n}:0:0:0) on {}",
        socket.display(),
        n = drive.devnum
    );
    println!("run programs with:");
    for (k, v) in shim_env(&shim, &socket, &root, drive.devnum) {
        println!("  {k}={}", v.to_string_lossy());
    }
    server.serve().map_err(CliError::device)?;
    Ok(EXIT_OK)
}

fn run_program(drive: DriveArgs, program: Vec<OsString>) -> Result<i32, CliError> {
    let emu = build_emulator(&drive)?;
    let dir = tempfile::tempdir().map_err(CliError::device)?;
    let socket = dir.path().join("drive.sock");
    let root = dir.path().join("root");
    let shim = rawcd_shim::install(dir.path()).map_err(CliError::device)?;
    let config = ServerConfig {
        socket: socket.clone(),
        sysroot: Some(root.clone()),
        trace: drive.trace.clone(),
        devnum: drive.devnum,
    };
    let server = Server::bind(emu, config).map_err(CliError::device)?;
    let handle = server.handle();
    let thread = std::thread::spawn(move || server.serve());
    let (prog, args) = program.split_first().expect("clap requires a program");
    let status = std::process::Command::new(prog)
        .args(args)
        .envs(shim_env(&shim, &socket, &root, drive.devnum))
        .status();
    let emu = handle.shutdown();
    let _ = thread.join();
    drop(emu);
    let status = status
        .map_err(|e| CliError::input(format!("cannot run {}: {e}", prog.to_string_lossy())))?;
    Ok(exit_code(status))
}

fn exit_code(status: std::process::ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    status
        .code()
        .unwrap_or_else(|| 128 + status.signal().unwrap_or(0))
}
