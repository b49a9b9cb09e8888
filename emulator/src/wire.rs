//! The socket protocol between the LD_PRELOAD shim (`emulator/shim`) and the
//! emulator server ([`crate::server`]), defined once here.
//!
//! One Unix-socket connection per opened device node. Every message is a
//! fixed-size little-endian header, optionally followed by data bytes:
//!
//! - request (shim → server), [`REQ_LEN`] bytes: `magic u32`, `op u8`
//!   ([`OP_OPEN`], [`OP_COMMAND`], [`OP_CLOSE`]), `kind u8` (node kind for
//!   OPEN: [`KIND_SG`], [`KIND_SR`], [`KIND_SCD`]), `cdb_len u8`, `dir u8`
//!   ([`DIR_NONE`], [`DIR_OUT`], [`DIR_IN`]), `arg u32` (open flags for OPEN,
//!   timeout in ms for COMMAND), `dxfer_len u32` (data-out bytes that follow,
//!   or the data-in allocation), `pid u32`, `cdb [16]`; then `dxfer_len`
//!   data-out bytes when `dir` is [`DIR_OUT`].
//! - reply (server → shim), [`REP_LEN`] bytes: `magic u32`, `errno i32` (≠ 0:
//!   the open or ioctl fails with this errno), `status u8`, `sense_len u8`,
//!   `host_status u16`, `driver_status u16`, `reserved u16`, `resid u32`,
//!   `duration_ms u32`, `data_len u32` (data-in bytes that follow),
//!   `reserved u32`, `sense [32]`; then `data_len` data-in bytes.
//!
//! OPEN and CLOSE are answered with a reply carrying only `errno`. The shim
//! sends CLOSE when the last duplicate of the descriptor is closed by the
//! process that opened it; a dropped connection counts as a close too.
//!
//! This file uses only `core`, so the shim's build script can include it
//! (`#[path]`) and emit `wire.h` from [`C_CONSTANTS`]: the C side never
//! restates a number.

/// "RCDW", first field of every message.
pub const MAGIC: u32 = 0x5744_4352;

/// Request: open a device node (`kind`, flags in `arg`).
pub const OP_OPEN: u8 = 1;
/// Request: execute one CDB.
pub const OP_COMMAND: u8 = 2;
/// Request: the descriptor is closed (releases O_EXCL).
pub const OP_CLOSE: u8 = 3;

/// Node kind: SCSI generic `/dev/sgN`.
pub const KIND_SG: u8 = 0;
/// Node kind: SCSI CD-ROM `/dev/srN`.
pub const KIND_SR: u8 = 1;
/// Node kind: the old alias `/dev/scdN` (same block device as srN).
pub const KIND_SCD: u8 = 2;

/// No data phase.
pub const DIR_NONE: u8 = 0;
/// Host → device.
pub const DIR_OUT: u8 = 1;
/// Device → host.
pub const DIR_IN: u8 = 2;

/// Longest CDB carried.
pub const MAX_CDB: usize = 16;
/// Longest sense carried.
pub const MAX_SENSE: usize = 32;
/// Largest data phase accepted (16 MiB).
pub const MAX_DXFER: u32 = 16 << 20;

/// Request header size.
pub const REQ_LEN: usize = 36;
/// Offset of `magic` in a request.
pub const REQ_MAGIC: usize = 0;
/// Offset of `op`.
pub const REQ_OP: usize = 4;
/// Offset of `kind`.
pub const REQ_KIND: usize = 5;
/// Offset of `cdb_len`.
pub const REQ_CDB_LEN: usize = 6;
/// Offset of `dir`.
pub const REQ_DIR: usize = 7;
/// Offset of `arg` (flags or timeout ms).
pub const REQ_ARG: usize = 8;
/// Offset of `dxfer_len`.
pub const REQ_DXFER_LEN: usize = 12;
/// Offset of `pid`.
pub const REQ_PID: usize = 16;
/// Offset of `cdb`.
pub const REQ_CDB: usize = 20;

/// Reply header size.
pub const REP_LEN: usize = 64;
/// Offset of `magic` in a reply.
pub const REP_MAGIC: usize = 0;
/// Offset of `errno`.
pub const REP_ERRNO: usize = 4;
/// Offset of `status`.
pub const REP_STATUS: usize = 8;
/// Offset of `sense_len`.
pub const REP_SENSE_LEN: usize = 9;
/// Offset of `host_status`.
pub const REP_HOST_STATUS: usize = 10;
/// Offset of `driver_status`.
pub const REP_DRIVER_STATUS: usize = 12;
/// Offset of `resid`.
pub const REP_RESID: usize = 16;
/// Offset of `duration_ms`.
pub const REP_DURATION: usize = 20;
/// Offset of `data_len`.
pub const REP_DATA_LEN: usize = 24;
/// Offset of `sense`.
pub const REP_SENSE: usize = 32;

/// Environment variable naming the server's socket.
pub const ENV_SOCKET: &str = "RAWCD_EMULATOR_SOCKET";
/// Environment variable naming the fake sysfs/procfs root.
pub const ENV_SYSROOT: &str = "RAWCD_EMULATOR_SYSROOT";
/// Environment variable: the device number N of sgN/srN/scdN and the SCSI
/// host H of H:0:0:0 (default 9).
pub const ENV_DEVNUM: &str = "RAWCD_EMULATOR_DEVNUM";
/// Environment variable: `1` makes the shim log its calls to stderr.
pub const ENV_DEBUG: &str = "RAWCD_EMULATOR_DEBUG";
/// Default device number.
pub const DEFAULT_DEVNUM: u32 = 9;

/// Linux DID_NO_CONNECT (device gone).
pub const DID_NO_CONNECT: u16 = 0x01;
/// Linux DID_TIME_OUT.
pub const DID_TIME_OUT: u16 = 0x03;
/// Linux DID_ERROR.
pub const DID_ERROR: u16 = 0x07;
/// Linux DRIVER_SENSE (sense data present).
pub const DRIVER_SENSE: u16 = 0x08;
/// Linux DRIVER_TIMEOUT.
pub const DRIVER_TIMEOUT: u16 = 0x06;

/// Every numeric constant the C shim needs, as `(NAME, value)`; the shim's
/// build script writes them as `#define RCDW_NAME value`.
pub const C_CONSTANTS: &[(&str, u64)] = &[
    ("MAGIC", MAGIC as u64),
    ("OP_OPEN", OP_OPEN as u64),
    ("OP_COMMAND", OP_COMMAND as u64),
    ("OP_CLOSE", OP_CLOSE as u64),
    ("KIND_SG", KIND_SG as u64),
    ("KIND_SR", KIND_SR as u64),
    ("KIND_SCD", KIND_SCD as u64),
    ("DIR_NONE", DIR_NONE as u64),
    ("DIR_OUT", DIR_OUT as u64),
    ("DIR_IN", DIR_IN as u64),
    ("MAX_CDB", MAX_CDB as u64),
    ("MAX_SENSE", MAX_SENSE as u64),
    ("MAX_DXFER", MAX_DXFER as u64),
    ("REQ_LEN", REQ_LEN as u64),
    ("REQ_MAGIC", REQ_MAGIC as u64),
    ("REQ_OP", REQ_OP as u64),
    ("REQ_KIND", REQ_KIND as u64),
    ("REQ_CDB_LEN", REQ_CDB_LEN as u64),
    ("REQ_DIR", REQ_DIR as u64),
    ("REQ_ARG", REQ_ARG as u64),
    ("REQ_DXFER_LEN", REQ_DXFER_LEN as u64),
    ("REQ_PID", REQ_PID as u64),
    ("REQ_CDB", REQ_CDB as u64),
    ("REP_LEN", REP_LEN as u64),
    ("REP_MAGIC", REP_MAGIC as u64),
    ("REP_ERRNO", REP_ERRNO as u64),
    ("REP_STATUS", REP_STATUS as u64),
    ("REP_SENSE_LEN", REP_SENSE_LEN as u64),
    ("REP_HOST_STATUS", REP_HOST_STATUS as u64),
    ("REP_DRIVER_STATUS", REP_DRIVER_STATUS as u64),
    ("REP_RESID", REP_RESID as u64),
    ("REP_DURATION", REP_DURATION as u64),
    ("REP_DATA_LEN", REP_DATA_LEN as u64),
    ("REP_SENSE", REP_SENSE as u64),
    ("DEFAULT_DEVNUM", DEFAULT_DEVNUM as u64),
    ("DRIVER_SENSE", DRIVER_SENSE as u64),
];

/// The C string constants (environment variable names).
pub const C_STRINGS: &[(&str, &str)] = &[
    ("ENV_SOCKET", ENV_SOCKET),
    ("ENV_SYSROOT", ENV_SYSROOT),
    ("ENV_DEVNUM", ENV_DEVNUM),
    ("ENV_DEBUG", ENV_DEBUG),
];

/// A decoded request header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Request {
    /// [`OP_OPEN`], [`OP_COMMAND`] or [`OP_CLOSE`].
    pub op: u8,
    /// Node kind (OPEN).
    pub kind: u8,
    /// Valid CDB bytes.
    pub cdb_len: u8,
    /// Data direction.
    pub dir: u8,
    /// Open flags (OPEN) or timeout in ms (COMMAND).
    pub arg: u32,
    /// Data-out bytes following, or the data-in allocation.
    pub dxfer_len: u32,
    /// The caller's process id (for the trace).
    pub pid: u32,
    /// The CDB (zero padded).
    pub cdb: [u8; MAX_CDB],
}

fn get_u32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn get_u16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

fn put_u16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

impl Request {
    /// Encodes the header.
    pub fn encode(&self) -> [u8; REQ_LEN] {
        let mut b = [0u8; REQ_LEN];
        put_u32(&mut b, REQ_MAGIC, MAGIC);
        b[REQ_OP] = self.op;
        b[REQ_KIND] = self.kind;
        b[REQ_CDB_LEN] = self.cdb_len;
        b[REQ_DIR] = self.dir;
        put_u32(&mut b, REQ_ARG, self.arg);
        put_u32(&mut b, REQ_DXFER_LEN, self.dxfer_len);
        put_u32(&mut b, REQ_PID, self.pid);
        b[REQ_CDB..REQ_CDB + MAX_CDB].copy_from_slice(&self.cdb);
        b
    }

    /// Decodes a header; `None` on a bad magic, CDB length or size.
    pub fn decode(b: &[u8; REQ_LEN]) -> Option<Request> {
        if get_u32(b, REQ_MAGIC) != MAGIC {
            return None;
        }
        let mut cdb = [0u8; MAX_CDB];
        cdb.copy_from_slice(&b[REQ_CDB..REQ_CDB + MAX_CDB]);
        let r = Request {
            op: b[REQ_OP],
            kind: b[REQ_KIND],
            cdb_len: b[REQ_CDB_LEN],
            dir: b[REQ_DIR],
            arg: get_u32(b, REQ_ARG),
            dxfer_len: get_u32(b, REQ_DXFER_LEN),
            pid: get_u32(b, REQ_PID),
            cdb,
        };
        if r.cdb_len as usize > MAX_CDB || r.dxfer_len > MAX_DXFER || r.dir > DIR_IN {
            return None;
        }
        Some(r)
    }

    /// The valid CDB bytes.
    pub fn cdb(&self) -> &[u8] {
        &self.cdb[..self.cdb_len as usize]
    }
}

/// A decoded reply header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reply {
    /// Nonzero: the call fails with this errno.
    pub errno: i32,
    /// SCSI status byte.
    pub status: u8,
    /// Valid sense bytes.
    pub sense_len: u8,
    /// SG_IO host_status (DID_*).
    pub host_status: u16,
    /// SG_IO driver_status (DRIVER_*).
    pub driver_status: u16,
    /// Data-in bytes not transferred.
    pub resid: u32,
    /// Command duration in ms.
    pub duration_ms: u32,
    /// Data-in bytes following the header.
    pub data_len: u32,
    /// Sense bytes (zero padded).
    pub sense: [u8; MAX_SENSE],
}

impl Reply {
    /// A reply carrying only an errno (0 = success).
    pub fn errno(errno: i32) -> Reply {
        Reply {
            errno,
            ..Reply::default()
        }
    }

    /// Encodes the header.
    pub fn encode(&self) -> [u8; REP_LEN] {
        let mut b = [0u8; REP_LEN];
        put_u32(&mut b, REP_MAGIC, MAGIC);
        put_u32(&mut b, REP_ERRNO, self.errno as u32);
        b[REP_STATUS] = self.status;
        b[REP_SENSE_LEN] = self.sense_len;
        put_u16(&mut b, REP_HOST_STATUS, self.host_status);
        put_u16(&mut b, REP_DRIVER_STATUS, self.driver_status);
        put_u32(&mut b, REP_RESID, self.resid);
        put_u32(&mut b, REP_DURATION, self.duration_ms);
        put_u32(&mut b, REP_DATA_LEN, self.data_len);
        b[REP_SENSE..REP_SENSE + MAX_SENSE].copy_from_slice(&self.sense);
        b
    }

    /// Decodes a header; `None` on a bad magic or sizes.
    pub fn decode(b: &[u8; REP_LEN]) -> Option<Reply> {
        if get_u32(b, REP_MAGIC) != MAGIC {
            return None;
        }
        let mut sense = [0u8; MAX_SENSE];
        sense.copy_from_slice(&b[REP_SENSE..REP_SENSE + MAX_SENSE]);
        let r = Reply {
            errno: get_u32(b, REP_ERRNO) as i32,
            status: b[REP_STATUS],
            sense_len: b[REP_SENSE_LEN],
            host_status: get_u16(b, REP_HOST_STATUS),
            driver_status: get_u16(b, REP_DRIVER_STATUS),
            resid: get_u32(b, REP_RESID),
            duration_ms: get_u32(b, REP_DURATION),
            data_len: get_u32(b, REP_DATA_LEN),
            sense,
        };
        if r.sense_len as usize > MAX_SENSE || r.data_len > MAX_DXFER {
            return None;
        }
        Some(r)
    }

    /// The valid sense bytes.
    pub fn sense(&self) -> &[u8] {
        &self.sense[..self.sense_len as usize]
    }
}
