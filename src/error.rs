//! One error type for the host library; every variant maps to the IMAPI
//! HRESULT a Windows caller would see (spec/imapi2.md §3), so behaviour can be
//! compared with IMAPI2 one to one.

use std::path::PathBuf;

use crate::msf::Lba;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// IMAPI / COM HRESULT values (spec/imapi2.md §3, header values).
#[allow(missing_docs)]
pub mod hresult {
    pub const S_OK: u32 = 0x0000_0000;
    pub const S_FALSE: u32 = 0x0000_0001;
    pub const E_POINTER: u32 = 0x8000_4003;
    pub const E_FAIL: u32 = 0x8000_4005;
    pub const E_UNEXPECTED: u32 = 0x8000_FFFF;
    pub const E_INVALIDARG: u32 = 0x8007_0057;
    pub const E_OUTOFMEMORY: u32 = 0x8007_000E;
    pub const E_ACCESSDENIED: u32 = 0x8007_0005;
    pub const E_INVALID_HANDLE: u32 = 0x8007_0006;
    pub const E_DEV_NOT_EXIST: u32 = 0x8007_0037;

    pub const E_IMAPI_REQUEST_CANCELLED: u32 = 0xC0AA_0002;
    pub const E_IMAPI_RECORDER_REQUIRED: u32 = 0xC0AA_0003;
    pub const S_IMAPI_SPEEDADJUSTED: u32 = 0x00AA_0004;
    pub const S_IMAPI_ROTATIONADJUSTED: u32 = 0x00AA_0005;
    pub const S_IMAPI_BOTHADJUSTED: u32 = 0x00AA_0006;
    pub const S_IMAPI_COMMAND_HAS_SENSE_DATA: u32 = 0x00AA_0200;

    pub const E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE: u32 = 0xC0AA_0201;
    pub const E_IMAPI_RECORDER_MEDIA_NO_MEDIA: u32 = 0xC0AA_0202;
    pub const E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE: u32 = 0xC0AA_0203;
    pub const E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN: u32 = 0xC0AA_0204;
    pub const E_IMAPI_RECORDER_MEDIA_BECOMING_READY: u32 = 0xC0AA_0205;
    pub const E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS: u32 = 0xC0AA_0206;
    pub const E_IMAPI_RECORDER_MEDIA_BUSY: u32 = 0xC0AA_0207;
    pub const E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS: u32 = 0xC0AA_0208;
    pub const E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED: u32 = 0xC0AA_0209;
    pub const E_IMAPI_RECORDER_NO_SUCH_FEATURE: u32 = 0xC0AA_020A;
    pub const E_IMAPI_RECORDER_FEATURE_IS_NOT_CURRENT: u32 = 0xC0AA_020B;
    pub const E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED: u32 = 0xC0AA_020C;
    pub const E_IMAPI_RECORDER_COMMAND_TIMEOUT: u32 = 0xC0AA_020D;
    pub const E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT: u32 = 0xC0AA_020E;
    pub const E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH: u32 = 0xC0AA_020F;
    pub const E_IMAPI_RECORDER_LOCKED: u32 = 0xC0AA_0210;
    pub const E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID: u32 = 0xC0AA_0211;
    pub const E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED: u32 = 0xC0AA_0212;
    pub const E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE: u32 = 0xC0AA_02FF;

    pub const E_IMAPI_LOSS_OF_STREAMING: u32 = 0xC0AA_0300;
    pub const E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE: u32 = 0xC0AA_0301;
    pub const S_IMAPI_WRITE_NOT_IN_PROGRESS: u32 = 0x00AA_0302;

    pub const E_IMAPI_DF2RAW_WRITE_IN_PROGRESS: u32 = 0xC0AA_0600;
    pub const E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS: u32 = 0xC0AA_0601;
    pub const E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED: u32 = 0xC0AA_0602;
    pub const E_IMAPI_DF2RAW_MEDIA_IS_PREPARED: u32 = 0xC0AA_0603;
    pub const E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID: u32 = 0xC0AA_0604;
    pub const E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK: u32 = 0xC0AA_0606;
    pub const E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED: u32 = 0xC0AA_0607;
    pub const E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE: u32 = 0xC0AA_0609;
    pub const E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED: u32 = 0xC0AA_060A;
    pub const E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED: u32 = 0xC0AA_060D;
    pub const E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED: u32 = 0xC0AA_060E;
    pub const E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT: u32 = 0xC0AA_060F;
    pub const E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED: u32 = 0xC0AA_0610;

    pub const E_IMAPI_RAW_IMAGE_IS_READ_ONLY: u32 = 0x80AA_0A00;
    pub const E_IMAPI_RAW_IMAGE_TOO_MANY_TRACKS: u32 = 0x80AA_0A01;
    pub const E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED: u32 = 0x80AA_0A02;
    pub const E_IMAPI_RAW_IMAGE_NO_TRACKS: u32 = 0x80AA_0A03;
    pub const E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED: u32 = 0x80AA_0A04;
    pub const E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE: u32 = 0x80AA_0A05;
    pub const E_IMAPI_RAW_IMAGE_TOO_MANY_TRACK_INDEXES: u32 = 0x80AA_0A06;
    pub const E_IMAPI_RAW_IMAGE_TRACK_INDEX_NOT_FOUND: u32 = 0x80AA_0A07;
    pub const S_IMAPI_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS: u32 = 0x00AA_0A08;
    pub const E_IMAPI_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED: u32 = 0x80AA_0A09;
    pub const E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX: u32 = 0x80AA_0A0A;
}

/// Every failure the host library reports. Each variant carries the context a
/// user needs (file and line, track, LBA) and maps to an IMAPI HRESULT.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `E_IMAPI_RAW_IMAGE_IS_READ_ONLY`: the result image was already created.
    #[error("the image creator is read-only: the result image was already created")]
    ImageReadOnly,
    /// `E_IMAPI_RAW_IMAGE_TOO_MANY_TRACKS`: a track number would exceed 99.
    #[error("too many tracks: track number {number} would exceed 99")]
    TooManyTracks {
        /// The track number the new track would get.
        number: u32,
    },
    /// `E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED`.
    #[error("sector type not supported: {0}")]
    SectorTypeNotSupported(String),
    /// `E_IMAPI_RAW_IMAGE_NO_TRACKS`: the operation needs at least one track.
    #[error("the layout has no tracks")]
    NoTracks,
    /// `E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED`.
    #[error("{0} is only allowed before any track is added")]
    TracksAlreadyAdded(&'static str),
    /// `E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE`: the lead-out would start past the limit.
    #[error("insufficient space: the lead-out would start at LBA {leadout}, beyond the limit LBA {limit}{}", track.map(|t| format!(" (adding track {t})")).unwrap_or_default())]
    InsufficientSpace {
        /// The lead-out start the layout would have.
        leadout: Lba,
        /// The start-of-lead-out limit.
        limit: Lba,
        /// The track being added, if any.
        track: Option<u32>,
    },
    /// `E_IMAPI_RAW_IMAGE_TOO_MANY_TRACK_INDEXES`.
    #[error("track {track}: more than 99 indexes")]
    TooManyTrackIndexes {
        /// Track number.
        track: u32,
    },
    /// `E_IMAPI_RAW_IMAGE_TRACK_INDEX_NOT_FOUND`.
    #[error("track {track}: no index at offset {offset}")]
    TrackIndexNotFound {
        /// Track number.
        track: u32,
        /// Offset from the track start, in sectors.
        offset: i32,
    },
    /// `E_IMAPI_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED`.
    #[error("track {track}: index 1 at offset 0 cannot be cleared")]
    TrackIndexOffsetZero {
        /// Track number.
        track: u32,
    },
    /// `E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX`.
    #[error("track {track}: index at offset {offset} is closer than 10 sectors to another index or the track end")]
    TrackIndexTooClose {
        /// Track number.
        track: u32,
        /// Offset from the track start, in sectors.
        offset: i32,
    },
    /// `E_INVALIDARG`: an argument is out of range or malformed.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// `E_INVALIDARG`: a layout rule is broken at a track or LBA.
    #[error("layout: {0}")]
    Layout(String),
    /// `E_INVALIDARG`: a text input (cue sheet, .toc, .ccd, JSON) is malformed.
    #[error("{}:{line}: {message}", file.display())]
    Parse {
        /// The file being parsed.
        file: PathBuf,
        /// 1-based line number (0 when not line-based).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// `E_FAIL`: reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// `E_FAIL`: a track source stream failed while the image was read.
    #[error("track {track} source: {source}")]
    Source {
        /// Track number whose source failed.
        track: u32,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Any other IMAPI condition, with its HRESULT and a description.
    #[error("{message} (HRESULT 0x{code:08X})")]
    Imapi {
        /// The IMAPI HRESULT.
        code: u32,
        /// What happened, with context.
        message: String,
    },
}

impl Error {
    /// The IMAPI HRESULT a Windows caller would get for this error.
    pub fn hresult(&self) -> u32 {
        use hresult::*;
        match self {
            Error::ImageReadOnly => E_IMAPI_RAW_IMAGE_IS_READ_ONLY,
            Error::TooManyTracks { .. } => E_IMAPI_RAW_IMAGE_TOO_MANY_TRACKS,
            Error::SectorTypeNotSupported(_) => E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED,
            Error::NoTracks => E_IMAPI_RAW_IMAGE_NO_TRACKS,
            Error::TracksAlreadyAdded(_) => E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED,
            Error::InsufficientSpace { .. } => E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE,
            Error::TooManyTrackIndexes { .. } => E_IMAPI_RAW_IMAGE_TOO_MANY_TRACK_INDEXES,
            Error::TrackIndexNotFound { .. } => E_IMAPI_RAW_IMAGE_TRACK_INDEX_NOT_FOUND,
            Error::TrackIndexOffsetZero { .. } => {
                E_IMAPI_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED
            }
            Error::TrackIndexTooClose { .. } => {
                E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX
            }
            Error::InvalidArgument(_) | Error::Layout(_) | Error::Parse { .. } => E_INVALIDARG,
            Error::Io { .. } | Error::Source { .. } => E_FAIL,
            Error::Imapi { code, .. } => *code,
        }
    }

    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// A parse error at `file:line`.
    pub fn parse(file: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Error {
        Error::Parse {
            file: file.into(),
            line,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hresults_match_the_header_values() {
        assert_eq!(Error::ImageReadOnly.hresult(), 0x80AA0A00);
        assert_eq!(Error::NoTracks.hresult(), 0x80AA0A03);
        assert_eq!(
            Error::InsufficientSpace {
                leadout: 1,
                limit: 0,
                track: None
            }
            .hresult(),
            0x80AA0A05
        );
        assert_eq!(Error::InvalidArgument("x".into()).hresult(), 0x80070057);
    }

    #[test]
    fn parse_error_names_file_and_line() {
        let e = Error::parse("disc.cue", 7, "frame field 75 is out of range");
        assert_eq!(e.to_string(), "disc.cue:7: frame field 75 is out of range");
    }
}
