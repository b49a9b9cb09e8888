//! GET EVENT STATUS NOTIFICATION response with a media event (mmc.md §2.3).

use crate::mmc::field::{self, check_len};
use crate::mmc::Result;

enum_with_unknown! {
    /// Media event code (byte 4 b3-0).
    pub enum MediaEvent(u8) {
        /// 0: no change.
        NoChange = 0,
        /// 1: eject request (button).
        EjectRequest = 1,
        /// 2: new media.
        NewMedia = 2,
        /// 3: media removal.
        MediaRemoval = 3,
        /// 4: media changed.
        MediaChanged = 4,
        /// 5: background format completed.
        BgFormatCompleted = 5,
        /// 6: background format restarted.
        BgFormatRestarted = 6,
    }
}

/// Media class value (byte 2 b2-0 = 4).
pub const CLASS_MEDIA: u8 = 4;

/// Event status header + optional media descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MediaEventStatus {
    /// Byte 2 b7 NEA (no event available).
    pub nea: bool,
    /// Byte 2 b2-0 notification class returned.
    pub class: u8,
    /// Byte 3 supported classes bitmap.
    pub supported_classes: u8,
    /// Byte 4 media event (when a descriptor follows).
    pub event: Option<MediaEvent>,
    /// Byte 5 b1 media present.
    pub media_present: bool,
    /// Byte 5 b0 door/tray open.
    pub tray_open: bool,
}

impl MediaEventStatus {
    /// Parses ≥ 4 bytes; the descriptor only when length and buffer allow.
    pub fn parse(b: &[u8]) -> Result<MediaEventStatus> {
        check_len(b, 4)?;
        let len = usize::from(field::be16(&b[0..2]));
        let desc = (len >= 6 && b.len() >= 8).then(|| &b[4..8]);
        Ok(MediaEventStatus {
            nea: field::bit(b[2], 7),
            class: b[2] & 7,
            supported_classes: b[3],
            event: desc.map(|d| MediaEvent::from(d[0] & 0x0f)),
            media_present: desc.is_some_and(|d| field::bit(d[1], 1)),
            tray_open: desc.is_some_and(|d| field::bit(d[1], 0)),
        })
    }

    /// The response: 4 bytes, or 8 with a media descriptor.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = vec![
            0u8,
            2,
            (u8::from(self.nea) << 7) | (self.class & 7),
            self.supported_classes,
        ];
        if let Some(e) = self.event {
            b[1] = 6;
            b.extend([
                u8::from(e) & 0x0f,
                (u8::from(self.media_present) << 1) | u8::from(self.tray_open),
                0,
                0,
            ]);
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmc::param::h;

    #[test]
    fn test_new_media_literal() {
        let b = h("00 06 04 10 02 02 00 00");
        let s = MediaEventStatus::parse(&b).unwrap();
        assert_eq!(s.event, Some(MediaEvent::NewMedia));
        assert!(s.media_present && !s.tray_open);
        assert_eq!(s.class, CLASS_MEDIA);
        assert_eq!(s.to_bytes(), b);
    }

    #[test]
    fn test_no_event_available() {
        let b = h("00 02 80 10");
        let s = MediaEventStatus::parse(&b).unwrap();
        assert!(s.nea);
        assert_eq!(s.event, None);
        assert_eq!(s.to_bytes(), b);
    }
}
