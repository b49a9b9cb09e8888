//! The result image: a `Read + Seek` stream of DAO-96 sectors generated on
//! the fly from a layout plan and its sources.
//!
//! Sector `k` of the stream is LBA `first_lba + k`; each is 2352 main-channel
//! bytes followed by 16 (PQ) or 96 (cooked/raw) sub-channel bytes. Memory use
//! is one read-ahead buffer per stream, whatever the disc size, and a seek is
//! a position change: nothing is generated until it is read.

use std::io::{self, Read, Seek, SeekFrom};

use crate::image::subchannel::{Region, SubchannelGenerator};
use crate::image::{ImageType, ReadSeek};
use crate::layout::{bytes_per_sector, Content, Encoding, Plan};
use crate::msf::{Lba, IMAGE_START_LBA, LEADOUT_SECTORS};
use crate::sector::{self, SectorType, SECTOR_SIZE};
use crate::subcode::pack::{self, PqCrc};

/// Bytes read from a source at once (bounded read-ahead).
const READAHEAD: usize = 1 << 20;

/// A source of track data for a result image.
pub type SourceStream = Box<dyn ReadSeek>;

/// One bounded read-ahead window, shared by all sources (only one is read
/// at a time), so memory stays flat however many tracks the disc has.
struct ReadAhead {
    source: usize,
    start: u64,
    data: Vec<u8>,
}

impl ReadAhead {
    /// The `len` bytes at `pos` of `source`, reading ahead up to `limit` (an
    /// absolute source position the current segment does not pass).
    fn bytes<'a>(
        &'a mut self,
        sources: &mut [(String, SourceStream)],
        source: usize,
        pos: u64,
        len: usize,
        limit: u64,
    ) -> io::Result<&'a [u8]> {
        let end = self.start + self.data.len() as u64;
        if source != self.source || pos < self.start || pos + len as u64 > end {
            let (name, stream) = &mut sources[source];
            let want = (limit.saturating_sub(pos) as usize).clamp(len, READAHEAD.max(len));
            self.data.resize(want, 0);
            self.source = usize::MAX;
            stream.seek(SeekFrom::Start(pos))?;
            let mut filled = 0;
            while filled < want {
                match stream.read(&mut self.data[filled..]) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            self.data.truncate(filled);
            if filled < len {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "'{name}' ends at byte {}, before byte {}",
                        pos + filled as u64,
                        pos + len as u64
                    ),
                ));
            }
            self.source = source;
            self.start = pos;
        }
        let at = (pos - self.start) as usize;
        Ok(&self.data[at..at + len])
    }
}

/// A DAO-96 image generated sector by sector (`Read + Seek`).
pub struct ResultImage {
    gen: SubchannelGenerator,
    image_type: ImageType,
    sources: Vec<(String, SourceStream)>,
    readahead: ReadAhead,
    rw: Option<SourceStream>,
    cdtext: Option<Vec<[u8; 18]>>,
    first_lba: Lba,
    sectors: u64,
    pos: u64,
    cached: Option<u64>,
    cache: Vec<u8>,
}

impl ResultImage {
    /// An image of `plan` with one stream per `plan`'s layout source (in
    /// order, each with a display name), starting at MSF 95:00:00.
    pub fn new(
        plan: Plan,
        image_type: ImageType,
        sources: Vec<(String, SourceStream)>,
    ) -> ResultImage {
        let sectors = (plan.leadout + LEADOUT_SECTORS - IMAGE_START_LBA) as u64;
        ResultImage {
            gen: SubchannelGenerator::new(plan),
            image_type,
            sources,
            readahead: ReadAhead {
                source: usize::MAX,
                start: 0,
                data: Vec::new(),
            },
            rw: None,
            cdtext: None,
            first_lba: IMAGE_START_LBA,
            sectors,
            pos: 0,
            cached: None,
            cache: vec![0; image_type.sector_size()],
        }
    }

    /// Supplies R–W sub-channel for every image sector (96 bytes each, P/Q
    /// bits zero), as `AddSubcodeRWGenerator` does. Ignored for PQ images.
    pub fn with_rw_generator(mut self, rw: SourceStream) -> ResultImage {
        self.rw = Some(rw);
        self
    }

    /// Puts CD-Text packs (18 bytes each) into the lead-in R–W.
    pub fn with_cdtext(mut self, packs: Vec<[u8; 18]>) -> ResultImage {
        self.cdtext = (!packs.is_empty()).then_some(packs);
        self
    }

    /// The plan the image follows.
    pub fn plan(&self) -> &Plan {
        self.gen.plan()
    }

    /// The image type.
    pub fn image_type(&self) -> ImageType {
        self.image_type
    }

    /// LBA of the first image sector (−22650, MSF 95:00:00).
    pub fn first_lba(&self) -> Lba {
        self.first_lba
    }

    /// Number of sectors in the image.
    pub fn sector_count(&self) -> u64 {
        self.sectors
    }

    /// Length of the image in bytes.
    pub fn len(&self) -> u64 {
        self.sectors * self.image_type.sector_size() as u64
    }

    /// True when the image holds no sectors (never for a valid plan).
    pub fn is_empty(&self) -> bool {
        self.sectors == 0
    }

    /// Generates the image sector at `lba` into `out` (`sector_size()` bytes).
    pub fn sector_at(&mut self, lba: Lba, out: &mut [u8]) -> io::Result<()> {
        let size = self.image_type.sector_size();
        if out.len() != size {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("sector buffer of {} bytes, expected {size}", out.len()),
            ));
        }
        let (main, sub) = out.split_at_mut(SECTOR_SIZE);
        let main: &mut [u8; SECTOR_SIZE] = main.try_into().expect("split at SECTOR_SIZE");
        self.main_channel(lba, main)?;
        self.sub_channel(lba, sub)
    }

    fn main_channel(&mut self, lba: Lba, out: &mut [u8; SECTOR_SIZE]) -> io::Result<()> {
        let plan = self.gen.plan();
        let track = match self.gen.region(lba) {
            Region::LeadIn => {
                let ty = plan
                    .tracks
                    .first()
                    .map_or(SectorType::Audio, |t| t.sector_type);
                sector::encode_zero_sector(ty, lba, out);
                return Ok(());
            }
            Region::LeadOut => {
                let ty = plan
                    .tracks
                    .last()
                    .map_or(SectorType::Audio, |t| t.sector_type);
                sector::encode_zero_sector(ty, lba, out);
                return Ok(());
            }
            Region::Track(i) => &plan.tracks[i],
        };
        let ty = track.sector_type;
        let number = track.number;
        let Some((seg, k)) = track.segment_at(lba) else {
            sector::encode_zero_sector(ty, lba, out);
            return Ok(());
        };
        let Content::Source {
            source,
            offset,
            encoding,
        } = seg.content
        else {
            sector::encode_zero_sector(ty, lba, out);
            return Ok(());
        };
        let size = bytes_per_sector(ty, encoding);
        let pos = offset + k as u64 * size as u64;
        let limit = offset + seg.sectors as u64 * size as u64;
        if source >= self.sources.len() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("track {number}: source #{source} was not supplied"),
            ));
        }
        let bytes = self
            .readahead
            .bytes(&mut self.sources, source, pos, size, limit)
            .map_err(|e| io::Error::new(e.kind(), format!("track {number}, LBA {lba}: {e}")))?;
        match encoding {
            Encoding::User => sector::encode_sector(ty, lba, bytes, out).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("track {number}, LBA {lba}: {e}"),
                )
            })?,
            Encoding::Full => {
                let full: &[u8; SECTOR_SIZE] =
                    bytes.try_into().expect("Full sectors are 2352 bytes");
                sector::encode_full_sector(ty, full, out);
            }
            Encoding::AudioSwapped => {
                for (o, pair) in out.chunks_exact_mut(2).zip(bytes.chunks_exact(2)) {
                    o[0] = pair[1];
                    o[1] = pair[0];
                }
            }
        }
        Ok(())
    }

    fn sub_channel(&mut self, lba: Lba, out: &mut [u8]) -> io::Result<()> {
        let (p, q) = self.gen.sector(lba);
        match self.image_type {
            ImageType::PqOnly => {
                let out: &mut [u8; 16] = out.try_into().expect("16-byte PQ");
                pack::pq16(p, &q, PqCrc::NonInverted, out);
            }
            ImageType::Cooked | ImageType::Raw => {
                let out: &mut [u8; 96] = out.try_into().expect("96-byte P-W");
                let rw = self.rw_bytes(lba)?;
                pack::raw96(p, &q, rw.as_ref(), out);
            }
        }
        Ok(())
    }

    /// The R–W bytes of `lba`: from the generator, or CD-Text in the lead-in.
    fn rw_bytes(&mut self, lba: Lba) -> io::Result<Option<[u8; 96]>> {
        if let Some(rw) = self.rw.as_mut() {
            let k = (lba - self.first_lba) as u64;
            let mut buf = [0u8; 96];
            rw.seek(SeekFrom::Start(k * 96))?;
            rw.read_exact(&mut buf)
                .map_err(|e| io::Error::new(e.kind(), format!("R-W generator, LBA {lba}: {e}")))?;
            if let Some(i) = buf.iter().position(|b| b & 0xC0 != 0) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("R-W generator, LBA {lba}, byte {i}: the P and Q bits (7 and 6) must be zero"),
                ));
            }
            return Ok(Some(buf));
        }
        if let (Some(packs), true) = (self.cdtext.as_ref(), lba < -150) {
            let k = (lba - self.first_lba) as usize;
            return Ok(Some(crate::subcode::cdtext::leadin_rw(packs, k)));
        }
        Ok(None)
    }

    fn fill_cache(&mut self, sector: u64) -> io::Result<()> {
        if self.cached != Some(sector) {
            let mut buf = std::mem::take(&mut self.cache);
            let r = self.sector_at(self.first_lba + sector as Lba, &mut buf);
            self.cache = buf;
            self.cached = r.is_ok().then_some(sector);
            r?;
        }
        Ok(())
    }
}

impl std::fmt::Debug for ResultImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResultImage")
            .field("image_type", &self.image_type)
            .field("first_lba", &self.first_lba)
            .field("sectors", &self.sectors)
            .field("pos", &self.pos)
            .finish_non_exhaustive()
    }
}

impl Read for ResultImage {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let size = self.image_type.sector_size() as u64;
        let total = self.len();
        let mut done = 0;
        while done < buf.len() && self.pos < total {
            let sector = self.pos / size;
            let within = (self.pos % size) as usize;
            let rest = &mut buf[done..];
            if within == 0 && rest.len() >= size as usize {
                let lba = self.first_lba + sector as Lba;
                self.sector_at(lba, &mut rest[..size as usize])?;
                done += size as usize;
                self.pos += size;
                continue;
            }
            self.fill_cache(sector)?;
            let n = (size as usize - within).min(rest.len());
            rest[..n].copy_from_slice(&self.cache[within..within + n]);
            done += n;
            self.pos += n as u64;
        }
        Ok(done)
    }
}

impl Seek for ResultImage {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.len().checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = target.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the image",
            )
        })?;
        Ok(self.pos)
    }
}
