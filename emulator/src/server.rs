//! The emulator served over a Unix socket for the LD_PRELOAD shim
//! (`emulator/shim`, real-clients.md §5): one connection per opened device
//! node, exclusive-open arbitration, a transcript of every command, and the
//! fake sysfs/procfs tree the clients scan.
//!
//! ```no_run
//! use rawcd_emulator::server::{Server, ServerConfig};
//! use rawcd_emulator::Emulator;
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let emu = Emulator::builtin("default", "cdr80")?;
//! let server = Server::bind(emu, ServerConfig::new("/tmp/drive.sock"))?;
//! let handle = server.handle();
//! std::thread::spawn(move || server.serve());
//! // … run a program with LD_PRELOAD and RAWCD_EMULATOR_SOCKET …
//! let emu = handle.shutdown();
//! # let _ = emu; Ok(()) }
//! ```
//!
//! Exclusive opens (§5.4 item 1): the sg node and the block nodes (srN and
//! its alias scdN) are two groups, as in the kernel; an `O_EXCL` open fails
//! with EBUSY while the same group has any other open, and any open fails
//! with EBUSY while the group is held exclusively.

use std::io::{self, BufWriter, Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rawcd::mmc::Command;
use rawcd::transport::{hex, opcode_name, DataPhase, Transport, TransportError};

use crate::wire::{self, Reply, Request};
use crate::Emulator;

/// Linux `O_EXCL`.
const O_EXCL: u32 = 0o200;
/// Linux errno values the server answers with.
const EBUSY: i32 = 16;
const EINVAL: i32 = 22;
const ENODEV: i32 = 19;

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The Unix socket to listen on (replaced if it exists).
    pub socket: PathBuf,
    /// Where to write the fake sysfs/procfs tree (none: no tree).
    pub sysroot: Option<PathBuf>,
    /// A file receiving the transcript, one line per event.
    pub trace: Option<PathBuf>,
    /// N of `/dev/sgN`, `/dev/srN`, `/dev/scdN` and SCSI host N.
    pub devnum: u32,
}

impl ServerConfig {
    /// Listen on `socket`, no sysroot, no trace file, device number 9.
    pub fn new(socket: impl AsRef<Path>) -> ServerConfig {
        ServerConfig {
            socket: socket.as_ref().to_path_buf(),
            sysroot: None,
            trace: None,
            devnum: wire::DEFAULT_DEVNUM,
        }
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Group {
    opens: u32,
    exclusive: bool,
}

#[derive(Debug)]
struct State {
    emu: Option<Emulator>,
    /// [sg, sr/scd].
    groups: [Group; 2],
    transcript: Vec<String>,
    trace: Option<BufWriter<std::fs::File>>,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    stop: AtomicBool,
    socket: PathBuf,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl State {
    fn log(&mut self, line: String) {
        if let Some(t) = &mut self.trace {
            let _ = writeln!(t, "{line}");
        }
        self.transcript.push(line);
    }
}

/// A bound server; [`Server::serve`] runs it.
#[derive(Debug)]
pub struct Server {
    listener: UnixListener,
    shared: Arc<Shared>,
}

/// Controls a running server from another thread.
#[derive(Debug, Clone)]
pub struct ServerHandle {
    shared: Arc<Shared>,
}

fn group_of(kind: u8) -> Option<usize> {
    match kind {
        wire::KIND_SG => Some(0),
        wire::KIND_SR | wire::KIND_SCD => Some(1),
        _ => None,
    }
}

fn kind_name(kind: u8) -> &'static str {
    match kind {
        wire::KIND_SG => "sg",
        wire::KIND_SR => "sr",
        wire::KIND_SCD => "scd",
        _ => "?",
    }
}

impl Server {
    /// Binds the socket and writes the fake tree (when configured).
    pub fn bind(emu: Emulator, config: ServerConfig) -> io::Result<Server> {
        if let Some(root) = &config.sysroot {
            write_sysroot(root, &emu, config.devnum)?;
        }
        let trace = match &config.trace {
            Some(p) => Some(BufWriter::new(std::fs::File::create(p)?)),
            None => None,
        };
        let _ = std::fs::remove_file(&config.socket);
        let listener = UnixListener::bind(&config.socket)?;
        Ok(Server {
            listener,
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    emu: Some(emu),
                    groups: [Group::default(); 2],
                    transcript: Vec::new(),
                    trace,
                }),
                stop: AtomicBool::new(false),
                socket: config.socket,
            }),
        })
    }

    /// A handle to stop the server and get the emulator back.
    pub fn handle(&self) -> ServerHandle {
        ServerHandle {
            shared: self.shared.clone(),
        }
    }

    /// Accepts connections until [`ServerHandle::shutdown`]; each one is
    /// served by its own thread.
    pub fn serve(self) -> io::Result<()> {
        for stream in self.listener.incoming() {
            if self.shared.stop.load(Ordering::SeqCst) {
                break;
            }
            let stream = match stream {
                Ok(s) => s,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let shared = self.shared.clone();
            std::thread::spawn(move || {
                let _ = serve_connection(&shared, stream);
            });
        }
        Ok(())
    }
}

impl ServerHandle {
    /// The transcript so far (one line per open, close and command).
    pub fn transcript(&self) -> Vec<String> {
        self.shared.lock().transcript.clone()
    }

    /// Runs `f` on the emulator (e.g. to inject a fault) while no command
    /// is executing; `None` after shutdown.
    pub fn with_emulator<R>(&self, f: impl FnOnce(&mut Emulator) -> R) -> Option<R> {
        self.shared.lock().emu.as_mut().map(f)
    }

    /// Stops accepting, and takes the emulator out: connections still open
    /// get ENODEV from now on.
    pub fn shutdown(&self) -> Option<Emulator> {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = UnixStream::connect(&self.shared.socket);
        let mut st = self.shared.lock();
        if let Some(t) = &mut st.trace {
            let _ = t.flush();
        }
        let emu = st.emu.take();
        drop(st);
        let _ = std::fs::remove_file(&self.shared.socket);
        emu
    }
}

fn read_request(s: &mut UnixStream) -> io::Result<Option<Request>> {
    let mut hdr = [0u8; wire::REQ_LEN];
    let mut got = 0;
    while got < hdr.len() {
        match s.read(&mut hdr[got..]) {
            Ok(0) if got == 0 => return Ok(None),
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Request::decode(&hdr)
        .map(Some)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "bad request header"))
}

/// One connection = one open file description of one device node.
fn serve_connection(shared: &Shared, mut s: UnixStream) -> io::Result<()> {
    let mut opened: Option<(u8, bool)> = None;
    let result = connection_loop(shared, &mut s, &mut opened);
    if let Some((kind, excl)) = opened {
        release(shared, kind, excl, "dropped");
    }
    result
}

fn release(shared: &Shared, kind: u8, excl: bool, how: &str) {
    let mut st = shared.lock();
    if let Some(g) = group_of(kind) {
        let grp = &mut st.groups[g];
        grp.opens = grp.opens.saturating_sub(1);
        if excl {
            grp.exclusive = false;
        }
    }
    if how == "dropped" {
        st.log(format!("CLOSE {} (connection dropped)", kind_name(kind)));
    } else {
        st.log(format!("CLOSE {}", kind_name(kind)));
    }
}

fn connection_loop(
    shared: &Shared,
    s: &mut UnixStream,
    opened: &mut Option<(u8, bool)>,
) -> io::Result<()> {
    let mut data: Vec<u8> = Vec::new();
    while let Some(req) = read_request(s)? {
        match req.op {
            wire::OP_OPEN => {
                let errno = if opened.is_some() {
                    EINVAL
                } else {
                    open(shared, &req, opened)
                };
                s.write_all(&Reply::errno(errno).encode())?;
            }
            wire::OP_CLOSE => {
                if let Some((kind, excl)) = opened.take() {
                    release(shared, kind, excl, "close");
                }
                s.write_all(&Reply::errno(0).encode())?;
            }
            wire::OP_COMMAND => {
                let len = req.dxfer_len as usize;
                data.clear();
                data.resize(len, 0);
                if req.dir == wire::DIR_OUT {
                    s.read_exact(&mut data)?;
                }
                let (reply, returned) = if opened.is_none() {
                    (Reply::errno(EINVAL), 0)
                } else {
                    command(shared, &req, &mut data)
                };
                s.write_all(&reply.encode())?;
                if returned > 0 {
                    s.write_all(&data[..returned])?;
                }
            }
            _ => return Err(io::Error::new(io::ErrorKind::InvalidData, "bad op")),
        }
    }
    Ok(())
}

fn open(shared: &Shared, req: &Request, opened: &mut Option<(u8, bool)>) -> i32 {
    let mut st = shared.lock();
    let excl = req.arg & O_EXCL != 0;
    let Some(g) = group_of(req.kind) else {
        return EINVAL;
    };
    let grp = st.groups[g];
    let errno = if st.emu.is_none() {
        ENODEV
    } else if grp.exclusive || (excl && grp.opens > 0) {
        EBUSY
    } else {
        let grp = &mut st.groups[g];
        grp.opens += 1;
        grp.exclusive |= excl;
        *opened = Some((req.kind, excl));
        0
    };
    let result = match errno {
        0 => "ok".to_string(),
        EBUSY => "EBUSY".to_string(),
        e => format!("errno {e}"),
    };
    st.log(format!(
        "OPEN {} flags=0x{:x}{} -> {result}",
        kind_name(req.kind),
        req.arg,
        if excl { " (O_EXCL)" } else { "" }
    ));
    errno
}

/// Executes one CDB; returns the reply and the data-in bytes to send.
fn command(shared: &Shared, req: &Request, data: &mut [u8]) -> (Reply, usize) {
    let cdb = req.cdb();
    let timeout = Duration::from_millis(u64::from(req.arg.max(1)));
    let mut st = shared.lock();
    let Some(emu) = st.emu.as_mut() else {
        return (Reply::errno(ENODEV), 0);
    };
    let phase = match req.dir {
        wire::DIR_IN => DataPhase::In(data),
        wire::DIR_OUT => DataPhase::Out(data),
        _ => DataPhase::None,
    };
    let started = Instant::now();
    let result = emu.execute(cdb, phase, timeout);
    let duration_ms = started.elapsed().as_millis().min(u128::from(u32::MAX)) as u32;
    let summary = match Command::parse(cdb) {
        Ok(c) => c.to_string(),
        Err(e) => format!("{} ({e})", opcode_name(cdb)),
    };
    let io = match req.dir {
        wire::DIR_IN => format!(" in={}", req.dxfer_len),
        // Parameter lists (MODE SELECT, SEND CUE SHEET, SEND OPC…) in full.
        wire::DIR_OUT if data.len() <= 256 => format!(" out={}", hex(data)),
        wire::DIR_OUT => format!(" out={}", req.dxfer_len),
        _ => String::new(),
    };
    let mut reply = Reply {
        duration_ms,
        ..Reply::default()
    };
    let mut returned = 0;
    let outcome_text = match result {
        Ok(o) => {
            reply.status = o.status.to_byte();
            let n = o.sense_data.len().min(wire::MAX_SENSE);
            reply.sense[..n].copy_from_slice(&o.sense_data[..n]);
            reply.sense_len = n as u8;
            if n > 0 {
                reply.driver_status = wire::DRIVER_SENSE;
            }
            if req.dir == wire::DIR_IN {
                returned = o.transferred(data.len());
                reply.resid = o.residual.min(data.len()) as u32;
                reply.data_len = returned as u32;
            }
            match &o.sense {
                Some(s) => format!("{} {s}", o.status),
                None => o.status.to_string(),
            }
        }
        Err(e) => {
            let (host, driver) = match e {
                TransportError::Timeout => (wire::DID_TIME_OUT, wire::DRIVER_TIMEOUT),
                TransportError::DeviceGone => (wire::DID_NO_CONNECT, 0),
                _ => (wire::DID_ERROR, 0),
            };
            reply.host_status = host;
            reply.driver_status = driver;
            reply.resid = req.dxfer_len;
            format!("ERROR {e}")
        }
    };
    st.log(format!("{} {summary}{io} -> {outcome_text}", hex(cdb)));
    (reply, returned)
}

fn pad(s: &str, n: usize) -> String {
    let mut s: String = s.chars().take(n).collect();
    while s.len() < n {
        s.push(' ');
    }
    s
}

/// Writes the fake sysfs/procfs tree for device N (real-clients.md §1.1,
/// §5.2): `sys/bus/scsi/devices/N:0:0:0/{type,vendor,model,rev,block/srN,
/// scsi_generic/sgN}`, `sys/class/scsi_generic/sgN`, `sys/block/srN`,
/// `proc/sys/dev/cdrom/info` and `proc/scsi/scsi`.
pub fn write_sysroot(root: &Path, emu: &Emulator, n: u32) -> io::Result<()> {
    use std::fs;
    use std::os::unix::fs::symlink;
    let inq = &emu.profile().inquiry;
    let addr = format!("{n}:0:0:0");
    let dev = root.join("sys/bus/scsi/devices").join(&addr);
    fs::create_dir_all(dev.join(format!("block/sr{n}/queue")))?;
    fs::create_dir_all(dev.join(format!("scsi_generic/sg{n}")))?;
    fs::write(dev.join("type"), "5\n")?;
    fs::write(dev.join("vendor"), format!("{}\n", pad(&inq.vendor, 8)))?;
    fs::write(dev.join("model"), format!("{}\n", pad(&inq.product, 16)))?;
    fs::write(dev.join("rev"), format!("{}\n", pad(&inq.revision, 4)))?;
    fs::write(dev.join(format!("block/sr{n}/dev")), format!("11:{n}\n"))?;
    fs::write(
        dev.join(format!("block/sr{n}/queue/max_sectors_kb")),
        "64\n",
    )?;
    fs::write(
        dev.join(format!("scsi_generic/sg{n}/dev")),
        format!("21:{n}\n"),
    )?;
    let class = root.join("sys/class/scsi_generic");
    fs::create_dir_all(class.join(format!("sg{n}")))?;
    fs::write(class.join(format!("sg{n}/dev")), format!("21:{n}\n"))?;
    let link = class.join(format!("sg{n}/device"));
    if fs::symlink_metadata(&link).is_err() {
        symlink(format!("../../../bus/scsi/devices/{addr}"), &link)?;
    }
    let block = root.join("sys/block");
    fs::create_dir_all(&block)?;
    let blink = block.join(format!("sr{n}"));
    if fs::symlink_metadata(&blink).is_err() {
        symlink(format!("../bus/scsi/devices/{addr}/block/sr{n}"), &blink)?;
    }
    let devlink = dev.join(format!("block/sr{n}/device"));
    if fs::symlink_metadata(&devlink).is_err() {
        symlink("../..", &devlink)?;
    }
    let cdrom = root.join("proc/sys/dev/cdrom");
    fs::create_dir_all(&cdrom)?;
    let p = emu.profile();
    let w_r = u8::from(p.cd_r_write);
    let w_rw = u8::from(p.cd_rw_write);
    fs::write(
        cdrom.join("info"),
        format!(
            "CD-ROM information, Id: cdrom.c 3.20 2003/12/17\n\n\
             drive name:\t\tsr{n}\n\
             drive speed:\t\t{speed}\n\
             drive # of slots:\t1\n\
             Can close tray:\t\t1\nCan open tray:\t\t1\nCan lock tray:\t\t1\n\
             Can change speed:\t1\nCan select disk:\t0\nCan read multisession:\t1\n\
             Can read MCN:\t\t1\nReports media changed:\t1\nCan play audio:\t\t1\n\
             Can write CD-R:\t\t{w_r}\nCan write CD-RW:\t{w_rw}\nCan read DVD:\t\t0\n\
             Can write DVD-R:\t0\nCan write DVD-RAM:\t0\nCan read MRW:\t\t0\n\
             Can write MRW:\t\t0\nCan write RAM:\t\t0\n\n",
            speed = p.max_read_speed_kbps / 176
        ),
    )?;
    let scsi = root.join("proc/scsi");
    fs::create_dir_all(&scsi)?;
    fs::write(
        scsi.join("scsi"),
        format!(
            "Attached devices:\nHost: scsi{n} Channel: 00 Id: 00 Lun: 00\n  \
             Vendor: {} Model: {} Rev: {}\n  \
             Type:   CD-ROM                           ANSI  SCSI revision: 05\n",
            pad(&inq.vendor, 8),
            pad(&inq.product, 16),
            pad(&inq.revision, 4)
        ),
    )?;
    Ok(())
}

/// A small client speaking the wire protocol directly (tests without
/// LD_PRELOAD); it is itself a [`Transport`].
#[derive(Debug)]
pub struct Client {
    stream: UnixStream,
}

impl Client {
    /// Connects and opens node `kind` with open `flags`; `Err` carries the
    /// errno the shim would set (e.g. EBUSY = 16).
    pub fn open(socket: &Path, kind: u8, flags: u32) -> io::Result<Client> {
        let mut stream = UnixStream::connect(socket)?;
        let req = Request {
            op: wire::OP_OPEN,
            kind,
            arg: flags,
            pid: std::process::id(),
            ..Request::default()
        };
        stream.write_all(&req.encode())?;
        let rep = read_reply(&mut stream)?;
        if rep.errno != 0 {
            return Err(io::Error::from_raw_os_error(rep.errno));
        }
        Ok(Client { stream })
    }

    /// Sends CLOSE (releases the open) and drops the connection.
    pub fn close(mut self) -> io::Result<()> {
        let req = Request {
            op: wire::OP_CLOSE,
            pid: std::process::id(),
            ..Request::default()
        };
        self.stream.write_all(&req.encode())?;
        read_reply(&mut self.stream).map(|_| ())
    }

    /// One raw exchange: the reply header and the data-in bytes.
    pub fn exchange(
        &mut self,
        cdb: &[u8],
        dir: u8,
        out: &[u8],
        in_len: u32,
        timeout_ms: u32,
    ) -> io::Result<(Reply, Vec<u8>)> {
        if cdb.len() > wire::MAX_CDB {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "CDB too long"));
        }
        let mut c = [0u8; wire::MAX_CDB];
        c[..cdb.len()].copy_from_slice(cdb);
        let req = Request {
            op: wire::OP_COMMAND,
            kind: 0,
            cdb_len: cdb.len() as u8,
            dir,
            arg: timeout_ms,
            dxfer_len: if dir == wire::DIR_OUT {
                out.len() as u32
            } else if dir == wire::DIR_IN {
                in_len
            } else {
                0
            },
            pid: std::process::id(),
            cdb: c,
        };
        self.stream.write_all(&req.encode())?;
        if dir == wire::DIR_OUT {
            self.stream.write_all(out)?;
        }
        let rep = read_reply(&mut self.stream)?;
        let mut data = vec![0u8; rep.data_len as usize];
        self.stream.read_exact(&mut data)?;
        Ok((rep, data))
    }
}

fn read_reply(s: &mut UnixStream) -> io::Result<Reply> {
    let mut b = [0u8; wire::REP_LEN];
    s.read_exact(&mut b)?;
    Reply::decode(&b).ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "bad reply"))
}

impl Transport for Client {
    fn execute(
        &mut self,
        cdb: &[u8],
        mut data: DataPhase<'_>,
        timeout: Duration,
    ) -> Result<rawcd::transport::CommandOutcome, TransportError> {
        let ms = timeout.as_millis().min(u128::from(u32::MAX)) as u32;
        let (dir, out, in_len): (u8, &[u8], u32) = match &data {
            DataPhase::None => (wire::DIR_NONE, &[], 0),
            DataPhase::Out(b) => (wire::DIR_OUT, b, 0),
            DataPhase::In(b) => (wire::DIR_IN, &[], b.len() as u32),
        };
        let (rep, bytes) = self.exchange(cdb, dir, out, in_len, ms)?;
        if rep.errno == ENODEV {
            return Err(TransportError::DeviceGone);
        }
        if rep.errno != 0 {
            return Err(TransportError::Io(format!("errno {}", rep.errno)));
        }
        match rep.host_status {
            0 => {}
            wire::DID_TIME_OUT => return Err(TransportError::Timeout),
            wire::DID_NO_CONNECT => return Err(TransportError::DeviceGone),
            h => {
                return Err(TransportError::Host {
                    host_status: h,
                    driver_status: rep.driver_status,
                })
            }
        }
        if let Some(buf) = data.data_in() {
            let n = bytes.len().min(buf.len());
            buf[..n].copy_from_slice(&bytes[..n]);
        }
        Ok(rawcd::transport::CommandOutcome::with_sense_bytes(
            rawcd::transport::Status::from_byte(rep.status),
            rep.sense().to_vec(),
            rep.resid as usize,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> (tempfile::TempDir, PathBuf, ServerHandle) {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("s.sock");
        let mut cfg = ServerConfig::new(&socket);
        cfg.sysroot = Some(dir.path().join("root"));
        let server = Server::bind(Emulator::builtin("default", "cdr80").unwrap(), cfg).unwrap();
        let h = server.handle();
        std::thread::spawn(move || server.serve());
        (dir, socket, h)
    }

    #[test]
    fn exclusive_opens_are_arbitrated_per_group() {
        let (_d, sock, h) = start();
        let sg = Client::open(&sock, wire::KIND_SG, 0o2 | O_EXCL).unwrap();
        let busy = Client::open(&sock, wire::KIND_SG, 0o2).unwrap_err();
        assert_eq!(busy.raw_os_error(), Some(EBUSY));
        // The block nodes are another group; sr and scd share it.
        let sr = Client::open(&sock, wire::KIND_SR, 0o2).unwrap();
        let busy = Client::open(&sock, wire::KIND_SCD, 0o2 | O_EXCL).unwrap_err();
        assert_eq!(busy.raw_os_error(), Some(EBUSY));
        sg.close().unwrap();
        Client::open(&sock, wire::KIND_SG, O_EXCL)
            .unwrap()
            .close()
            .unwrap();
        // A dropped connection releases its open too.
        drop(sr);
        let mut ok = false;
        for _ in 0..100 {
            if let Ok(c) = Client::open(&sock, wire::KIND_SR, O_EXCL) {
                c.close().unwrap();
                ok = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(ok, "the dropped sr open was released");
        let t = h.transcript();
        assert!(
            t[0].starts_with("OPEN sg flags=0x82 (O_EXCL) -> ok"),
            "{t:?}"
        );
        assert!(h.shutdown().is_some());
    }

    #[test]
    fn commands_and_sense_cross_the_socket() {
        let (d, sock, h) = start();
        let mut c = Client::open(&sock, wire::KIND_SG, 0o2).unwrap();
        let mut inq = [0u8; 36];
        let o = c
            .execute(
                &[0x12, 0, 0, 0, 36, 0],
                DataPhase::In(&mut inq),
                Duration::from_secs(5),
            )
            .unwrap();
        assert!(o.is_good());
        assert_eq!(inq[0], 5);
        assert_eq!(&inq[8..13], b"RAWCD");
        // READ TOC on a blank disc: CHECK CONDITION with 18 sense bytes.
        let (rep, data) = c
            .exchange(
                &[0x43, 0, 0, 0, 0, 0, 0, 0, 12, 0],
                wire::DIR_IN,
                &[],
                12,
                5000,
            )
            .unwrap();
        assert_eq!(rep.status, 2);
        assert_eq!(rep.driver_status, wire::DRIVER_SENSE);
        assert_eq!(rep.sense_len, 18);
        assert_eq!(rep.resid, 12);
        assert!(data.is_empty());
        // The fake tree the clients scan.
        let root = d.path().join("root");
        let dev = root.join("sys/bus/scsi/devices/9:0:0:0");
        assert_eq!(std::fs::read_to_string(dev.join("type")).unwrap(), "5\n");
        assert_eq!(
            std::fs::read_to_string(dev.join("vendor")).unwrap(),
            "RAWCD   \n"
        );
        assert!(dev.join("block/sr9").is_dir());
        assert!(root.join("proc/sys/dev/cdrom/info").is_file());
        drop(c);
        let _ = h.shutdown();
        // After shutdown nothing answers.
        assert!(Client::open(&sock, wire::KIND_SG, 0).is_err());
    }

    #[test]
    fn wire_headers_round_trip() {
        let r = Request {
            op: wire::OP_COMMAND,
            kind: wire::KIND_SR,
            cdb_len: 10,
            dir: wire::DIR_OUT,
            arg: 30_000,
            dxfer_len: 63936,
            pid: 42,
            cdb: [0x2a; 16],
        };
        assert_eq!(Request::decode(&r.encode()), Some(r));
        let mut p = Reply {
            errno: 0,
            status: 2,
            sense_len: 18,
            host_status: 0,
            driver_status: 8,
            resid: 4,
            duration_ms: 1,
            data_len: 8,
            sense: [0; 32],
        };
        p.sense[0] = 0x70;
        assert_eq!(Reply::decode(&p.encode()), Some(p));
        let mut bad = r.encode();
        bad[0] ^= 1;
        assert_eq!(Request::decode(&bad), None);
    }
}
