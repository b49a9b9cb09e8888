//! The burned disc as a `.rcd` file — sector data with sub-channel, disc
//! state, ATIP and TOC — written crash-safely.
//!
//! # Format (version 1)
//!
//! ```text
//! offset 0      header, 4096 bytes (integers little-endian):
//!   0..8        magic "RAWCDRCD"
//!   8..12       version u32 = 1
//!   12..16      state u32: 1 = WRITING (a burn was running), 2 = COMMITTED
//!   16..24      first_lba i64: LBA of sector slot 0 (the media's lead-in start)
//!   24..32      slots u64: sector slots in the data area
//!   32..40      metadata offset u64 (0 while WRITING)
//!   40..48      metadata length u64
//!   48..56      checksum u64: FNV-1a 64 over bytes 0..48 then the metadata
//!   56..4096    zero
//! offset 4096   data area: slot i = LBA first_lba + i, 2448 bytes each:
//!               2352 bytes main channel exactly as on disc (data sectors
//!               scrambled), then 96 bytes raw interleaved P–W (as on disc:
//!               b7 P, b6 Q, b5..0 R–W). Unwritten slots read as zero and are
//!               listed as not written in the metadata.
//! metadata      JSON [`DiscMeta`] right after the data area: media (ATIP),
//!               disc state, written extents, TOC, findings.
//! ```
//!
//! # Crash safety (write-ahead, header committed last)
//!
//! Creating the store writes and syncs a WRITING header before the first
//! sector. Sectors stream to the data area (flat memory: a small write-behind
//! buffer, never the disc in RAM). Committing syncs the data, appends and
//! syncs the metadata, and only then rewrites the header as COMMITTED with a
//! checksum over header and metadata, and syncs again. A file left by a crash
//! or power loss at any point therefore opens as *damaged* (WRITING state,
//! or a checksum that does not match a torn header or metadata) — never as
//! a good disc with wrong contents.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use rawcd::msf::Lba;

use crate::disc::DiscMeta;

/// Header size; the data area starts here.
pub const HEADER_LEN: u64 = 4096;
/// Bytes per stored sector: 2352 main + 96 raw P–W.
pub const SLOT_LEN: usize = 2448;
/// File magic.
pub const MAGIC: &[u8; 8] = b"RAWCDRCD";
/// Format version.
pub const VERSION: u32 = 1;
const STATE_WRITING: u32 = 1;
const STATE_COMMITTED: u32 = 2;
const FLUSH_AT: usize = 8 << 20;

/// What opening a `.rcd` file found.
#[derive(Debug)]
pub enum Opened {
    /// A committed disc.
    Committed(Box<DiscMeta>),
    /// A burn that never committed, or a torn header/metadata.
    Damaged {
        /// Why the file is not a committed disc.
        reason: String,
    },
}

/// A file-backed sector store (`.rcd` data area plus header).
#[derive(Debug)]
pub struct SectorStore {
    file: File,
    path: Option<PathBuf>,
    first_lba: Lba,
    written: Vec<Range<Lba>>,
    pending: Vec<u8>,
    pending_lba: Lba,
}

fn fnv1a(h: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(h, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn header(state: u32, first_lba: Lba, slots: u64, meta_at: u64, meta: &[u8]) -> Vec<u8> {
    let mut h = vec![0u8; HEADER_LEN as usize];
    h[0..8].copy_from_slice(MAGIC);
    h[8..12].copy_from_slice(&VERSION.to_le_bytes());
    h[12..16].copy_from_slice(&state.to_le_bytes());
    h[16..24].copy_from_slice(&i64::from(first_lba).to_le_bytes());
    h[24..32].copy_from_slice(&slots.to_le_bytes());
    h[32..40].copy_from_slice(&meta_at.to_le_bytes());
    h[40..48].copy_from_slice(&(meta.len() as u64).to_le_bytes());
    let sum = fnv1a(fnv1a(FNV_OFFSET, &h[0..48]), meta);
    h[48..56].copy_from_slice(&sum.to_le_bytes());
    h
}

impl SectorStore {
    /// Creates a store: at `path` (a `.rcd` file, truncated) or, with `None`,
    /// in an anonymous temporary file. Writes a WRITING header first.
    pub fn create(path: Option<&Path>, first_lba: Lba) -> io::Result<SectorStore> {
        let file = match path {
            Some(p) => OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(true)
                .open(p)?,
            None => tempfile::tempfile()?,
        };
        let mut s = SectorStore {
            file,
            path: path.map(Path::to_path_buf),
            first_lba,
            written: Vec::new(),
            pending: Vec::new(),
            pending_lba: first_lba,
        };
        s.file
            .write_all(&header(STATE_WRITING, first_lba, 0, 0, &[]))?;
        if s.path.is_some() {
            s.file.sync_all()?;
        }
        Ok(s)
    }

    /// Opens an existing `.rcd` file.
    pub fn open(path: &Path) -> io::Result<(SectorStore, Opened)> {
        let mut file = OpenOptions::new().read(true).open(path)?;
        let mut h = vec![0u8; HEADER_LEN as usize];
        file.read_exact(&mut h).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("{}: not a .rcd disc file ({e})", path.display()),
            )
        })?;
        if &h[0..8] != MAGIC {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: not a .rcd disc file (bad magic)", path.display()),
            ));
        }
        let first_lba = i64::from_le_bytes(h[16..24].try_into().unwrap_or([0; 8]));
        let first_lba = Lba::try_from(first_lba).unwrap_or(0);
        let (written, opened) = Self::read_meta(&mut file, &h)?;
        let store = SectorStore {
            file,
            path: Some(path.to_path_buf()),
            first_lba,
            written,
            pending: Vec::new(),
            pending_lba: first_lba,
        };
        Ok((store, opened))
    }

    fn read_meta(file: &mut File, h: &[u8]) -> io::Result<(Vec<Range<Lba>>, Opened)> {
        let u32_at = |at: usize| u32::from_le_bytes(h[at..at + 4].try_into().unwrap_or([0; 4]));
        let u64_at = |at: usize| u64::from_le_bytes(h[at..at + 8].try_into().unwrap_or([0; 8]));
        let damaged = |reason: String| Ok((Vec::new(), Opened::Damaged { reason }));
        if u32_at(8) != VERSION {
            return damaged(format!("unsupported version {}", u32_at(8)));
        }
        if u32_at(12) != STATE_COMMITTED {
            return damaged("the burn never completed (state WRITING)".into());
        }
        let (at, len) = (u64_at(32), u64_at(40));
        let file_len = file.metadata()?.len();
        if len > 64 << 20 || at.checked_add(len).is_none_or(|e| e > file_len) {
            return damaged("metadata outside the file".into());
        }
        let mut meta = vec![0u8; len as usize];
        file.seek(SeekFrom::Start(at))?;
        file.read_exact(&mut meta)?;
        let sum = fnv1a(fnv1a(FNV_OFFSET, &h[0..48]), &meta);
        if sum != u64_at(48) {
            return damaged("checksum mismatch (torn header or metadata)".into());
        }
        match serde_json::from_slice::<DiscMeta>(&meta) {
            Ok(m) => {
                let written = m.written.iter().map(|r| r[0]..r[1]).collect();
                Ok((written, Opened::Committed(Box::new(m))))
            }
            Err(e) => damaged(format!("metadata: {e}")),
        }
    }

    /// The file path, when not anonymous.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// LBA of slot 0.
    pub fn first_lba(&self) -> Lba {
        self.first_lba
    }

    /// Written extents (half-open LBA ranges).
    pub fn written(&self) -> &[Range<Lba>] {
        &self.written
    }

    /// Whether `lba` holds written data.
    pub fn is_written(&self, lba: Lba) -> bool {
        self.written.iter().any(|r| r.contains(&lba))
    }

    fn offset(&self, lba: Lba) -> io::Result<u64> {
        let slot = i64::from(lba) - i64::from(self.first_lba);
        if slot < 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("LBA {lba} before the store's first LBA {}", self.first_lba),
            ));
        }
        Ok(HEADER_LEN + slot as u64 * SLOT_LEN as u64)
    }

    /// Stores `sectors` (a multiple of 2448 bytes) from `lba` on.
    pub fn write(&mut self, lba: Lba, sectors: &[u8]) -> io::Result<()> {
        let n = sectors.len() / SLOT_LEN;
        let slots = self.reserve(lba, n)?;
        slots.copy_from_slice(&sectors[..n * SLOT_LEN]);
        Ok(())
    }

    /// Reserves `n` slots from `lba` on in the write-behind buffer and
    /// returns them to be filled in place (no intermediate copy); they
    /// count as written.
    pub fn reserve(&mut self, lba: Lba, n: usize) -> io::Result<&mut [u8]> {
        let pending_end = self.pending_lba + (self.pending.len() / SLOT_LEN) as Lba;
        if self.pending.len() >= FLUSH_AT || (!self.pending.is_empty() && lba != pending_end) {
            self.flush()?;
        }
        if self.pending.is_empty() {
            self.pending_lba = lba;
        }
        if n > 0 {
            match self.written.last_mut() {
                Some(r) if r.end == lba => r.end += n as Lba,
                _ => self.written.push(lba..lba + n as Lba),
            }
        }
        let at = self.pending.len();
        self.pending.resize(at + n * SLOT_LEN, 0);
        Ok(&mut self.pending[at..])
    }

    /// Writes the write-behind buffer to the file.
    pub fn flush(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let at = self.offset(self.pending_lba)?;
        self.file.seek(SeekFrom::Start(at))?;
        self.file.write_all(&self.pending)?;
        self.pending_lba += (self.pending.len() / SLOT_LEN) as Lba;
        self.pending.clear();
        Ok(())
    }

    /// Reads one stored sector; `false` (and zeros) when never written.
    pub fn read(&mut self, lba: Lba, out: &mut [u8; SLOT_LEN]) -> io::Result<bool> {
        if !self.is_written(lba) {
            out.fill(0);
            return Ok(false);
        }
        let pend_n = (self.pending.len() / SLOT_LEN) as Lba;
        if (self.pending_lba..self.pending_lba + pend_n).contains(&lba) {
            let at = (lba - self.pending_lba) as usize * SLOT_LEN;
            out.copy_from_slice(&self.pending[at..at + SLOT_LEN]);
            return Ok(true);
        }
        let at = self.offset(lba)?;
        self.file.seek(SeekFrom::Start(at))?;
        self.file.read_exact(out)?;
        Ok(true)
    }

    /// Commits the disc: data synced, metadata appended and synced, then
    /// the COMMITTED header (module docs).
    pub fn commit(&mut self, meta: &DiscMeta) -> io::Result<()> {
        self.flush()?;
        let end = self
            .written
            .iter()
            .map(|r| r.end)
            .max()
            .unwrap_or(self.first_lba);
        let slots = (end - self.first_lba).max(0) as u64;
        let meta_at = HEADER_LEN + slots * SLOT_LEN as u64;
        let json = serde_json::to_vec(meta).map_err(io::Error::other)?;
        let durable = self.path.is_some();
        if durable {
            self.file.sync_data()?;
        }
        self.file.seek(SeekFrom::Start(meta_at))?;
        self.file.write_all(&json)?;
        self.file.set_len(meta_at + json.len() as u64)?;
        if durable {
            self.file.sync_data()?;
        }
        self.file.seek(SeekFrom::Start(0))?;
        self.file.write_all(&header(
            STATE_COMMITTED,
            self.first_lba,
            slots,
            meta_at,
            &json,
        ))?;
        if durable {
            self.file.sync_all()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_uncommitted_store_opens_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.rcd");
        let mut s = SectorStore::create(Some(&p), -100).unwrap();
        s.write(-100, &[7u8; SLOT_LEN * 3]).unwrap();
        s.flush().unwrap();
        drop(s);
        let (_, o) = SectorStore::open(&p).unwrap();
        assert!(matches!(o, Opened::Damaged { .. }));
    }

    #[test]
    fn test_read_back_pending_and_flushed() {
        let mut s = SectorStore::create(None, 0).unwrap();
        let mut data = vec![0u8; SLOT_LEN * 2];
        data[SLOT_LEN] = 9;
        s.write(0, &data).unwrap();
        let mut out = [0u8; SLOT_LEN];
        assert!(s.read(1, &mut out).unwrap());
        assert_eq!(out[0], 9);
        s.flush().unwrap();
        assert!(s.read(1, &mut out).unwrap());
        assert_eq!(out[0], 9);
        assert!(!s.read(2, &mut out).unwrap());
    }

    #[test]
    fn test_bad_magic_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.rcd");
        std::fs::write(&p, vec![0u8; 5000]).unwrap();
        assert!(SectorStore::open(&p).is_err());
    }
}
