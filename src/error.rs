//! One error type for the host library; every variant maps to the IMAPI
//! HRESULT a Windows caller would see (spec/imapi2.md §3), so behaviour can be
//! compared with IMAPI2 one to one.

use std::path::PathBuf;

use crate::mmc::{OpCode, Sense, SenseKey};
use crate::msf::Lba;
use crate::transport::{CommandOutcome, Status, TransportError};

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
    /// `E_IMAPI_REQUEST_CANCELLED`: the write was cancelled.
    #[error("the write was cancelled{}", at.map(|l| format!(" before LBA {l}")).unwrap_or_default())]
    RequestCancelled {
        /// The next LBA that would have been written, if writing had started.
        at: Option<Lba>,
    },
    /// `E_IMAPI_RECORDER_REQUIRED`: `write_media2` (or `set_write_speed`) without a recorder.
    #[error("a recorder must be selected first")]
    RecorderRequired,
    /// A recorder condition decoded from sense data or from the transport
    /// (`E_IMAPI_RECORDER_*`, `E_IMAPI_LOSS_OF_STREAMING`, Win32 codes).
    #[error("{command}: {condition}{}{}", sense.map(|s| format!(" (sense {s})")).unwrap_or_default(), lba.map(|l| format!(" at LBA {l}")).unwrap_or_default())]
    Recorder {
        /// What the drive reported.
        condition: RecorderCondition,
        /// The command that failed (its name and summary).
        command: String,
        /// The sense triple, when the drive returned one.
        sense: Option<Sense>,
        /// The LBA involved, for READ/WRITE commands.
        lba: Option<Lba>,
    },
    /// `E_IMAPI_DF2RAW_WRITE_IN_PROGRESS`: a write is running.
    #[error("a write is in progress")]
    WriteInProgress,
    /// `E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS`: cancel without a running write.
    #[error("no write is in progress")]
    WriteNotInProgress,
    /// `E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED`: `prepare_media` has not been called.
    #[error("the media is not prepared (call prepare_media first)")]
    MediaNotPrepared,
    /// `E_IMAPI_DF2RAW_MEDIA_IS_PREPARED`: not allowed while the media is prepared.
    #[error("the media is prepared (call release_media first)")]
    MediaPrepared,
    /// `E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID`.
    #[error("client name {0:?} is not valid (1-63 characters of A-Z a-z 0-9 space . , : ; - _)")]
    ClientNameNotValid(String),
    /// `E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK`: the disc is not blank, or this
    /// preparation was already used by a write.
    #[error("the media is not blank: {0}")]
    MediaNotBlank(String),
    /// `E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED`: only blank CD-R/RW can be written raw.
    #[error("the media is not supported: {0}")]
    MediaNotSupported(String),
    /// `E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE`: the image's lead-out would start after the last possible start.
    #[error("not enough space: the image's lead-out starts at LBA {leadout}, the disc's last possible lead-out start is LBA {limit}")]
    NotEnoughSpace {
        /// The image's lead-out start.
        leadout: Lba,
        /// `LastPossibleStartOfLeadout`.
        limit: Lba,
    },
    /// `E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED`.
    #[error("no recorder specified")]
    NoRecorderSpecified,
    /// `E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED`: stream size or shape invalid.
    #[error("stream not supported: {0}")]
    StreamNotSupported(String),
    /// `E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED`: the drive refuses this sector type.
    #[error("the recorder does not support data block type {0} (IMAPI sector type {0})")]
    DataBlockTypeNotSupported(u32),
    /// `E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT`: the image starts after the disc's lead-in start.
    #[error("the stream's lead-in is too short: it starts at LBA {stream_start}, the disc's lead-in starts at LBA {lead_in_start}")]
    StreamLeadInTooShort {
        /// LBA of the stream's first sector.
        stream_start: Lba,
        /// The media's lead-in start (`StartOfNextSession`).
        lead_in_start: Lba,
    },
    /// `E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED`: the drive cannot write raw DAO.
    #[error("the recorder does not support raw Disc-At-Once writing: {0}")]
    RecorderNotSupported(String),
    /// `E_FAIL`: the image stream failed while being read for the burn.
    #[error("reading the image stream at LBA {lba}: {source}")]
    StreamRead {
        /// LBA of the sector being read.
        lba: Lba,
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
            Error::Io { .. } | Error::Source { .. } | Error::StreamRead { .. } => E_FAIL,
            Error::Imapi { code, .. } => *code,
            // E_IMAPI_REQUEST_CANCELLED
            Error::RequestCancelled { .. } => E_IMAPI_REQUEST_CANCELLED,
            // E_IMAPI_RECORDER_REQUIRED
            Error::RecorderRequired => E_IMAPI_RECORDER_REQUIRED,
            // E_IMAPI_RECORDER_* / E_IMAPI_LOSS_OF_STREAMING / Win32
            Error::Recorder { condition, .. } => condition.hresult(),
            // E_IMAPI_DF2RAW_WRITE_IN_PROGRESS
            Error::WriteInProgress => E_IMAPI_DF2RAW_WRITE_IN_PROGRESS,
            // E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS
            Error::WriteNotInProgress => E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS,
            // E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED
            Error::MediaNotPrepared => E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED,
            // E_IMAPI_DF2RAW_MEDIA_IS_PREPARED
            Error::MediaPrepared => E_IMAPI_DF2RAW_MEDIA_IS_PREPARED,
            // E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID
            Error::ClientNameNotValid(_) => E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID,
            // E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK
            Error::MediaNotBlank(_) => E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK,
            // E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED
            Error::MediaNotSupported(_) => E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED,
            // E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE
            Error::NotEnoughSpace { .. } => E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE,
            // E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED
            Error::NoRecorderSpecified => E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED,
            // E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED
            Error::StreamNotSupported(_) => E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED,
            // E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED
            Error::DataBlockTypeNotSupported(_) => E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED,
            // E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT
            Error::StreamLeadInTooShort { .. } => E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT,
            // E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED
            Error::RecorderNotSupported(_) => E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED,
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

/// A recorder condition (`E_IMAPI_RECORDER_*` and its neighbours), decoded
/// from sense data by [`Error::from_sense`] after mmc.md §4.3, or from a
/// transport failure by [`Error::from_transport`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum RecorderCondition {
    /// 0xC0AA0201: the drive reports the mode page as unsupported (MODE SENSE 5/24/00).
    NoSuchModePage,
    /// 0xC0AA0202: no disc (2/3A/xx).
    MediaNoMedia,
    /// 0xC0AA0203: medium incompatible or unusable (x/30/xx, 3/73/02).
    MediaIncompatible,
    /// 0xC0AA0204: disc upside down (3/06/00, rawcd's documented choice).
    MediaUpsideDown,
    /// 0xC0AA0205: becoming ready (2/04/01, 2/04/00, unit attentions that outlived their retries).
    MediaBecomingReady,
    /// 0xC0AA0206: format in progress (2/04/04).
    MediaFormatInProgress,
    /// 0xC0AA0207: a long operation is running (2/04/07, 2/04/08, BUSY status).
    MediaBusy,
    /// 0xC0AA0208: mode parameters refused (MODE SELECT 5/26/xx, 5/1A/00).
    InvalidModeParameters,
    /// 0xC0AA0209: write protected (7/27/xx).
    MediaWriteProtected,
    /// 0xC0AA020A: the drive lacks a feature (not produced from sense).
    NoSuchFeature,
    /// 0xC0AA020B: the feature is not current for this medium (not produced from sense).
    FeatureIsNotCurrent,
    /// 0xC0AA020C: GET CONFIGURATION refused with 5/20/00.
    GetConfigurationNotSupported,
    /// 0xC0AA020D: the command timed out (transport timeout, 4/08/xx, B/47/xx).
    CommandTimeout,
    /// 0xC0AA020E: DVD structure absent (never on CD; kept for completeness).
    DvdStructureNotPresent,
    /// 0xC0AA020F: the medium's speed does not suit the drive (OPC 3/73/03).
    MediaSpeedMismatch,
    /// 0xC0AA0210: another application holds the drive (EBUSY, RESERVATION CONFLICT).
    Locked,
    /// 0xC0AA0211: the recorder refused the client name (not produced from sense).
    ClientNameIsNotValid,
    /// 0xC0AA0212: medium not formatted (x/30/10).
    MediaNotFormatted,
    /// 0xC0AA02FF: the drive answered with unusable data or status.
    InvalidResponseFromDevice,
    /// 0xC0AA0300: buffer underrun (x/0C/09; 5/21/02 mid-stream).
    LossOfStreaming,
    /// 0xC0AA0301: unexpected response of the write engine (5/2C/00, 5/20/00, 5/24/00…).
    UnexpectedResponseFromDevice,
    /// E_FAIL: write, OPC, fixation or hardware failure (3/0C/xx, 3/72/xx, 3/73/xx, 4/xx/xx).
    WriteFailed,
    /// 0x80070006: the device handle is no longer valid.
    InvalidHandle,
    /// 0x80070037: the device went away.
    DeviceGone,
    /// 0x80070005: the OS refused access to the device.
    AccessDenied,
}

impl RecorderCondition {
    /// The HRESULT IMAPI reports for this condition.
    pub fn hresult(self) -> u32 {
        use hresult::*;
        match self {
            RecorderCondition::NoSuchModePage => E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE,
            RecorderCondition::MediaNoMedia => E_IMAPI_RECORDER_MEDIA_NO_MEDIA,
            RecorderCondition::MediaIncompatible => E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE,
            RecorderCondition::MediaUpsideDown => E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN,
            RecorderCondition::MediaBecomingReady => E_IMAPI_RECORDER_MEDIA_BECOMING_READY,
            RecorderCondition::MediaFormatInProgress => E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS,
            RecorderCondition::MediaBusy => E_IMAPI_RECORDER_MEDIA_BUSY,
            RecorderCondition::InvalidModeParameters => E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS,
            RecorderCondition::MediaWriteProtected => E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED,
            RecorderCondition::NoSuchFeature => E_IMAPI_RECORDER_NO_SUCH_FEATURE,
            RecorderCondition::FeatureIsNotCurrent => E_IMAPI_RECORDER_FEATURE_IS_NOT_CURRENT,
            RecorderCondition::GetConfigurationNotSupported => {
                E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED
            }
            RecorderCondition::CommandTimeout => E_IMAPI_RECORDER_COMMAND_TIMEOUT,
            RecorderCondition::DvdStructureNotPresent => E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT,
            RecorderCondition::MediaSpeedMismatch => E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH,
            RecorderCondition::Locked => E_IMAPI_RECORDER_LOCKED,
            RecorderCondition::ClientNameIsNotValid => E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID,
            RecorderCondition::MediaNotFormatted => E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED,
            RecorderCondition::InvalidResponseFromDevice => {
                E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE
            }
            RecorderCondition::LossOfStreaming => E_IMAPI_LOSS_OF_STREAMING,
            RecorderCondition::UnexpectedResponseFromDevice => {
                E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE
            }
            RecorderCondition::WriteFailed => E_FAIL,
            RecorderCondition::InvalidHandle => E_INVALID_HANDLE,
            RecorderCondition::DeviceGone => E_DEV_NOT_EXIST,
            RecorderCondition::AccessDenied => E_ACCESSDENIED,
        }
    }

    /// Short description.
    pub fn describe(self) -> &'static str {
        match self {
            RecorderCondition::NoSuchModePage => "mode page not supported",
            RecorderCondition::MediaNoMedia => "no disc in the drive",
            RecorderCondition::MediaIncompatible => "medium incompatible or unusable",
            RecorderCondition::MediaUpsideDown => "disc upside down",
            RecorderCondition::MediaBecomingReady => "drive becoming ready",
            RecorderCondition::MediaFormatInProgress => "format in progress",
            RecorderCondition::MediaBusy => "drive busy with a long operation",
            RecorderCondition::InvalidModeParameters => "mode parameters refused",
            RecorderCondition::MediaWriteProtected => "medium write protected",
            RecorderCondition::NoSuchFeature => "feature not supported",
            RecorderCondition::FeatureIsNotCurrent => "feature not current",
            RecorderCondition::GetConfigurationNotSupported => "GET CONFIGURATION not supported",
            RecorderCondition::CommandTimeout => "command timed out",
            RecorderCondition::DvdStructureNotPresent => "DVD structure not present",
            RecorderCondition::MediaSpeedMismatch => "media speed does not suit the drive",
            RecorderCondition::Locked => "recorder locked by another application",
            RecorderCondition::ClientNameIsNotValid => "client name not valid",
            RecorderCondition::MediaNotFormatted => "medium not formatted",
            RecorderCondition::InvalidResponseFromDevice => "invalid response from the drive",
            RecorderCondition::LossOfStreaming => "loss of streaming (buffer underrun)",
            RecorderCondition::UnexpectedResponseFromDevice => "unexpected response from the drive",
            RecorderCondition::WriteFailed => "write failure",
            RecorderCondition::InvalidHandle => "device handle invalid",
            RecorderCondition::DeviceGone => "device removed",
            RecorderCondition::AccessDenied => "access to the device denied",
        }
    }
}

impl std::fmt::Display for RecorderCondition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

/// What a sense triple means for the command `op` that received it — the
/// one classification of mmc.md §4.3 (one arm per table row). `Err` holds a
/// raw-writer error (`MEDIA_IS_NOT_BLANK`, `NOT_ENOUGH_SPACE`) rather than a
/// recorder condition.
pub fn classify_sense(op: OpCode, sense: Sense) -> Result<RecorderCondition, Error> {
    use RecorderCondition::*;
    use SenseKey::*;
    let (key, asc, ascq) = (sense.key, sense.asc, sense.ascq);
    Ok(match (key, asc, ascq) {
        // no medium (2/3A/00, 3A/01 tray closed, 3A/02 tray open)
        (_, 0x3a, _) => MediaNoMedia,
        // becoming ready, or not ready with no reportable cause
        (NotReady, 0x04, 0x00 | 0x01) => MediaBecomingReady,
        // format in progress
        (NotReady, 0x04, 0x04) => MediaFormatInProgress,
        // operation in progress / long write in progress
        (NotReady, 0x04, 0x07 | 0x08) => MediaBusy,
        // other NOT READY causes
        (NotReady, 0x04, _) => MediaBecomingReady,
        // write protected (27/00 any, 27/01 hardware, 27/02 software)
        (_, 0x27, _) => MediaWriteProtected,
        // current session not fixated for append: raw needs a blank disc
        (_, 0x30, 0x09) => {
            return Err(Error::MediaNotBlank(format!("{op}: {sense}")));
        }
        // medium not formatted
        (_, 0x30, 0x10) => MediaNotFormatted,
        // incompatible medium / cannot read or write this format / app code mismatch
        (_, 0x30, _) => MediaIncompatible,
        // upside down: no focus, no reference position (rawcd's code, mmc.md §4.3)
        (MediumError, 0x06, 0x00) => MediaUpsideDown,
        // invalid opcode: GET CONFIGURATION unsupported, otherwise unexpected
        (IllegalRequest, 0x20, _) if op == OpCode::GET_CONFIGURATION => {
            GetConfigurationNotSupported
        }
        (IllegalRequest, 0x20, _) => UnexpectedResponseFromDevice,
        // invalid field in CDB: an unsupported mode page for MODE SENSE
        (IllegalRequest, 0x24, _) if op == OpCode::MODE_SENSE_10 => NoSuchModePage,
        (IllegalRequest, 0x24, _) => UnexpectedResponseFromDevice,
        // parameter list length error / invalid field in parameter list
        (IllegalRequest, 0x1a | 0x26, _) if op == OpCode::MODE_SELECT_10 => InvalidModeParameters,
        (IllegalRequest, 0x1a | 0x26, _) => UnexpectedResponseFromDevice,
        // command sequence error
        (IllegalRequest, 0x2c, _) => UnexpectedResponseFromDevice,
        // LBA out of range / end of user area: the session does not fit
        (IllegalRequest, 0x21, 0x00) | (IllegalRequest, 0x63, _) => {
            return Err(Error::NotEnoughSpace {
                leadout: sense_lba_unknown(),
                limit: sense_lba_unknown(),
            });
        }
        // invalid address for write mid-stream: the drive moved on (underrun)
        (IllegalRequest, 0x21, 0x02) => LossOfStreaming,
        // loss of streaming (3/0C/09, some drives 5/0C/09)
        (MediumError | IllegalRequest, 0x0c, 0x09) => LossOfStreaming,
        // write error family
        (_, 0x0c, _) => WriteFailed,
        // OPC failure: the medium does not calibrate at this speed
        (MediumError, 0x73, 0x03) if op == OpCode::SEND_OPC_INFORMATION => MediaSpeedMismatch,
        // power calibration area full: the disc is unusable
        (MediumError, 0x73, 0x02) => MediaIncompatible,
        // CD control / OPC / PMA errors, session fixation errors, TOC unreadable
        (_, 0x73 | 0x72 | 0x57, _) => WriteFailed,
        // communication failure / time-out (ATAPI) and aborted-command transport errors
        (HardwareError, 0x08, _) | (AbortedCommand, 0x47, _) => CommandTimeout,
        // other hardware errors, medium errors
        (HardwareError | MediumError, _, _) => WriteFailed,
        // unit attentions that outlived the retries: the medium changed under us
        (UnitAttention, _, _) => MediaBecomingReady,
        // medium removal prevented / load failed: not raw-writer conditions
        (_, 0x53, _) => UnexpectedResponseFromDevice,
        // everything else the drive should not have said
        _ => UnexpectedResponseFromDevice,
    })
}

/// Placeholder LBA for a NOT_ENOUGH_SPACE found from sense (the caller fills it in).
fn sense_lba_unknown() -> Lba {
    0
}

impl Error {
    /// Classifies a failed command: CHECK CONDITION via [`classify_sense`],
    /// other statuses as busy / locked / invalid response. `cdb` names the
    /// command in the message and supplies its LBA.
    pub fn from_sense(cdb: &[u8], outcome: &CommandOutcome) -> Error {
        let op = OpCode(cdb.first().copied().unwrap_or(0));
        let parsed = crate::mmc::Command::parse(cdb).ok();
        let lba = parsed.as_ref().and_then(|c| c.lba_range()).map(|r| r.0);
        let command = parsed
            .map(|c| c.to_string())
            .unwrap_or_else(|| op.to_string());
        let condition = match (outcome.status, outcome.sense) {
            (Status::CheckCondition, Some(sense)) => match classify_sense(op, sense) {
                Ok(c) => c,
                Err(e) => return e,
            },
            (Status::Busy | Status::TaskSetFull, _) => RecorderCondition::MediaBusy,
            (Status::ReservationConflict, _) => RecorderCondition::Locked,
            _ => RecorderCondition::InvalidResponseFromDevice,
        };
        Error::Recorder {
            condition,
            command,
            sense: outcome.sense,
            lba,
        }
    }

    /// Classifies a command that got no answer at all.
    pub fn from_transport(cdb: &[u8], err: &TransportError) -> Error {
        let condition = match err {
            TransportError::Timeout => RecorderCondition::CommandTimeout,
            TransportError::DeviceGone => RecorderCondition::DeviceGone,
            TransportError::Locked => RecorderCondition::Locked,
            TransportError::PermissionDenied(_) => RecorderCondition::AccessDenied,
            TransportError::Host { .. } | TransportError::Io(_) => RecorderCondition::WriteFailed,
            TransportError::InvalidRequest(_)
            | TransportError::ReplayMismatch { .. }
            | TransportError::Unexpected(_) => RecorderCondition::InvalidResponseFromDevice,
        };
        let parsed = crate::mmc::Command::parse(cdb).ok();
        Error::Recorder {
            condition,
            command: format!(
                "{} ({err})",
                parsed
                    .as_ref()
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| crate::transport::opcode_name(cdb))
            ),
            sense: None,
            lba: parsed.and_then(|c| c.lba_range()).map(|r| r.0),
        }
    }

    /// An `E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE` for data that could not be used.
    pub fn invalid_response(command: impl Into<String>) -> Error {
        Error::Recorder {
            condition: RecorderCondition::InvalidResponseFromDevice,
            command: command.into(),
            sense: None,
            lba: None,
        }
    }

    /// The recorder condition, when this is a [`Error::Recorder`].
    pub fn recorder_condition(&self) -> Option<RecorderCondition> {
        match self {
            Error::Recorder { condition, .. } => Some(*condition),
            _ => None,
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
