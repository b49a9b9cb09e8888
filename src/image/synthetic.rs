//! Generated track sources: deterministic byte patterns and silence of any
//! length, produced on demand (no memory), seekable. Useful to make test
//! discs, benchmarks and conformance scenarios without audio files.

use std::io::{self, Read, Seek, SeekFrom};

/// What a [`Synthetic`] source produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fill {
    /// Byte `i` is `(i * 7 + seed) as u8`.
    Pattern(u8),
    /// All zero.
    Silence,
}

/// A generated, seekable byte source of a fixed length.
#[derive(Debug, Clone)]
pub struct Synthetic {
    len: u64,
    pos: u64,
    fill: Fill,
}

impl Synthetic {
    /// `len` bytes where byte `i` is `(i * 7 + seed) as u8`: every sector
    /// differs from its neighbours, so misplaced sectors are caught.
    pub fn pattern(len: u64, seed: u8) -> Synthetic {
        Synthetic {
            len,
            pos: 0,
            fill: Fill::Pattern(seed),
        }
    }

    /// `sectors` audio sectors (2352 bytes each) of the pattern.
    pub fn audio_pattern(sectors: u64, seed: u8) -> Synthetic {
        Synthetic::pattern(sectors * crate::sector::SECTOR_SIZE as u64, seed)
    }

    /// `sectors` audio sectors of digital silence.
    pub fn silence(sectors: u64) -> Synthetic {
        Synthetic {
            len: sectors * crate::sector::SECTOR_SIZE as u64,
            pos: 0,
            fill: Fill::Silence,
        }
    }

    /// The byte at offset `i` (whatever the current position).
    pub fn byte_at(&self, i: u64) -> u8 {
        match self.fill {
            Fill::Pattern(seed) => (i.wrapping_mul(7) as u8).wrapping_add(seed),
            Fill::Silence => 0,
        }
    }

    /// Length in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// True when the source is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Read for Synthetic {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (self.len.saturating_sub(self.pos) as usize).min(buf.len());
        match self.fill {
            Fill::Silence => buf[..n].fill(0),
            Fill::Pattern(_) => {
                for (k, b) in buf[..n].iter_mut().enumerate() {
                    *b = self.byte_at(self.pos + k as u64);
                }
            }
        }
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Synthetic {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let p = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos =
            p.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        Ok(self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_reads_and_seeks_consistently() {
        let mut s = Synthetic::pattern(10, 3);
        let mut all = Vec::new();
        s.read_to_end(&mut all).unwrap();
        assert_eq!(all, [3, 10, 17, 24, 31, 38, 45, 52, 59, 66]);
        s.seek(SeekFrom::End(-2)).unwrap();
        let mut tail = [0u8; 4];
        assert_eq!(s.read(&mut tail).unwrap(), 2);
        assert_eq!(&tail[..2], &[59, 66]);
        assert!(s.seek(SeekFrom::Current(-100)).is_err());
        let mut z = Synthetic::silence(1);
        assert_eq!(z.len(), 2352);
        let mut buf = vec![1u8; 3000];
        assert_eq!(z.read(&mut buf).unwrap(), 2352);
        assert!(buf[..2352].iter().all(|&b| b == 0));
    }
}
