//! The image stream a write reads (`IStream`): its size (`Stat`), and
//! positioning (`Seek`, or read-and-discard when the stream cannot seek),
//! plus reading the image's lead-out start from its lead-in Q (POINT A2).

use std::io::{self, Read, Seek, SeekFrom};

use crate::image::ImageType;
use crate::msf::{Lba, Msf};
use crate::subcode::pack::{unpq16, unraw96};

/// What `write_media` / `write_media2` read: a byte stream of whole sectors
/// with a known size. Every `Read + Seek` is one; wrap a stream that cannot
/// seek in [`ForwardOnly`] with its size.
pub trait ImageStream: Read {
    /// Total size in bytes (`IStream::Stat`).
    fn stream_len(&mut self) -> io::Result<u64>;
    /// Moves to byte `pos` from the start; `ErrorKind::Unsupported` when the
    /// stream cannot seek (the writer then reads forward instead).
    fn seek_to(&mut self, pos: u64) -> io::Result<()>;
}

impl<S: Read + Seek> ImageStream for S {
    fn stream_len(&mut self) -> io::Result<u64> {
        let here = self.stream_position()?;
        let end = self.seek(SeekFrom::End(0))?;
        self.seek(SeekFrom::Start(here))?;
        Ok(end)
    }

    fn seek_to(&mut self, pos: u64) -> io::Result<()> {
        self.seek(SeekFrom::Start(pos)).map(|_| ())
    }
}

/// A stream that cannot seek, with its size stated by the caller (a pipe,
/// a socket). The writer reads and discards up to the first sector it needs.
#[derive(Debug)]
pub struct ForwardOnly<R> {
    inner: R,
    len: u64,
}

impl<R: Read> ForwardOnly<R> {
    /// Wraps `inner`, which holds `len` bytes.
    pub fn new(inner: R, len: u64) -> Self {
        ForwardOnly { inner, len }
    }

    /// Unwraps.
    pub fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: Read> Read for ForwardOnly<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf)
    }
}

impl<R: Read> ImageStream for ForwardOnly<R> {
    fn stream_len(&mut self) -> io::Result<u64> {
        Ok(self.len)
    }

    fn seek_to(&mut self, _: u64) -> io::Result<()> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "stream cannot seek",
        ))
    }
}

/// The image type a sector size implies (2368 → PQ-only; 2448 is ambiguous
/// between cooked and raw, whose P and Q bits sit in the same places).
fn q_of(sector: &[u8], ty: ImageType) -> Option<[u8; 10]> {
    let sub = sector.get(2352..)?;
    match ty {
        ImageType::PqOnly => {
            let s: &[u8; 16] = sub.get(..16)?.try_into().ok()?;
            Some(unpq16(s).1.data())
        }
        ImageType::Cooked | ImageType::Raw => {
            let s: &[u8; 96] = sub.get(..96)?.try_into().ok()?;
            Some(unraw96(s).1.data())
        }
    }
}

/// The lead-out start a lead-in Q frame announces (POINT A2, ADR 1, TNO 0),
/// if `sector` carries one.
pub fn leadout_from_leadin_sector(sector: &[u8], ty: ImageType) -> Option<Lba> {
    let q = q_of(sector, ty)?;
    if q[0] & 0x0f != 1 || q[1] != 0 || q[2] != 0xA2 {
        return None;
    }
    let msf = Msf::from_bcd([q[7], q[8], q[9]]).ok()?;
    Some(msf.to_lba())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::subcode::pack::{pq16, raw96, PqCrc};
    use crate::subcode::QFrame;

    fn a2_frame() -> QFrame {
        // ADR 1, TNO 0, POINT A2, running time 97:00:00, P-MSF 00:12:00.
        QFrame::from_data([0x01, 0x00, 0xA2, 0x97, 0x00, 0x00, 0x00, 0x00, 0x12, 0x00])
    }

    #[test]
    fn finds_a2_in_raw_and_pq_sectors() {
        let mut s = vec![0u8; 2448];
        let mut sub = [0u8; 96];
        raw96(false, &a2_frame(), None, &mut sub);
        s[2352..].copy_from_slice(&sub);
        assert_eq!(leadout_from_leadin_sector(&s, ImageType::Raw), Some(750));
        let mut p = vec![0u8; 2368];
        let mut sub16 = [0u8; 16];
        pq16(false, &a2_frame(), PqCrc::Inverted, &mut sub16);
        p[2352..].copy_from_slice(&sub16);
        assert_eq!(leadout_from_leadin_sector(&p, ImageType::PqOnly), Some(750));
        assert_eq!(
            leadout_from_leadin_sector(&p[..100], ImageType::PqOnly),
            None
        );
    }

    #[test]
    fn forward_only_refuses_seek() {
        let mut f = ForwardOnly::new(&[1u8, 2, 3][..], 3);
        assert_eq!(f.stream_len().unwrap(), 3);
        assert!(f.seek_to(1).is_err());
        let mut c = io::Cursor::new(vec![0u8; 10]);
        assert_eq!(ImageStream::stream_len(&mut c).unwrap(), 10);
    }
}
