//! Drive-state faults on demand: every recorder condition of imapi2.md's
//! WriteMedia list, each mapped to the sense of mmc.md §4.3. Faults that
//! work on any drive (nth command, opcode → sense) belong in the host
//! library's `FaultInjector`; these need drive state (media, LBA, power).
//!
//! | fault | effect |
//! |---|---|
//! | `NoMedia` | media commands → 2/3A/00 until cleared |
//! | `BecomingReady { polls }` | the next `polls` media commands → 2/04/01 |
//! | `UpsideDown` | media commands → 3/06/00 (rawcd's documented choice) |
//! | `FormatInProgress` | media commands → 2/04/04 |
//! | `Busy` | media commands → 2/04/07 |
//! | `WriteProtected` | WRITE, SEND CUE SHEET, BLANK, SEND OPC → 7/27/00 |
//! | `IncompatibleMedia` | media commands → 2/30/00 |
//! | `SpeedMismatch` | SEND OPC → 3/73/03 and the first WRITE → 3/0C/00 |
//! | `LossOfStreaming` | the next WRITE → 3/0C/09; the burn is lost |
//! | `WriteError` | the next WRITE → 3/0C/00 |
//! | `PowerLossAt(lba)` | power fails when a WRITE reaches `lba`: sectors before it are stored, the `.rcd` stays uncommitted (opens damaged), every command → `TransportError::DeviceGone` until [`crate::Emulator::power_on`] |
//! | `MediumRemoved` | the disc leaves the drive now: 2/3A/02, GESN MediaRemoval |
//! | `DeviceGone` | every command → `TransportError::DeviceGone` |
//! | `CommandTimeout` | the next command → `TransportError::Timeout` |
//! | `InvalidResponse` | the next successful command returns GOOD with its data-in buffer filled with 0xFF |

use rawcd::mmc::{Sense, SenseKey};
use rawcd::msf::Lba;

/// 2/30/00 INCOMPATIBLE MEDIUM INSTALLED with key NOT READY (mmc.md §4.3).
pub const INCOMPATIBLE_MEDIUM_NOT_READY: Sense = Sense::new(SenseKey::NotReady, 0x30, 0x00);

/// A drive-state fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Fault {
    /// No medium (2/3A/00).
    NoMedia,
    /// Becoming ready for this many media commands (2/04/01).
    BecomingReady {
        /// Commands that see it.
        polls: u32,
    },
    /// Disc upside down (3/06/00).
    UpsideDown,
    /// Format in progress (2/04/04).
    FormatInProgress,
    /// Busy (2/04/07).
    Busy,
    /// Write protected (7/27/00).
    WriteProtected,
    /// Incompatible medium (2/30/00).
    IncompatibleMedia,
    /// Medium speed does not match the drive (3/73/03 on OPC, 3/0C/00 on WRITE).
    SpeedMismatch,
    /// Loss of streaming at the next WRITE (3/0C/09).
    LossOfStreaming,
    /// Write error at the next WRITE (3/0C/00).
    WriteError,
    /// Power fails when writing reaches this LBA.
    PowerLossAt(Lba),
    /// The disc is pulled out now.
    MediumRemoved,
    /// The device vanishes.
    DeviceGone,
    /// The next command times out.
    CommandTimeout,
    /// The next successful command returns garbage data.
    InvalidResponse,
}

/// Active faults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FaultState {
    pub(crate) media: Option<Sense>,
    pub(crate) becoming_ready: u32,
    pub(crate) write_protected: bool,
    pub(crate) speed_mismatch: bool,
    pub(crate) next_write: Option<Sense>,
    pub(crate) power_loss_at: Option<Lba>,
    pub(crate) device_gone: bool,
    pub(crate) timeout_next: bool,
    pub(crate) invalid_response_next: bool,
    pub(crate) remove_media: bool,
}

impl FaultState {
    pub(crate) fn inject(&mut self, f: Fault) {
        match f {
            Fault::NoMedia => self.media = Some(Sense::NO_MEDIUM),
            Fault::BecomingReady { polls } => self.becoming_ready = polls,
            Fault::UpsideDown => self.media = Some(Sense::NO_REFERENCE_POSITION),
            Fault::FormatInProgress => self.media = Some(Sense::FORMAT_IN_PROGRESS),
            Fault::Busy => self.media = Some(Sense::OPERATION_IN_PROGRESS),
            Fault::WriteProtected => self.write_protected = true,
            Fault::IncompatibleMedia => self.media = Some(INCOMPATIBLE_MEDIUM_NOT_READY),
            Fault::SpeedMismatch => {
                self.speed_mismatch = true;
                self.next_write = Some(Sense::WRITE_ERROR);
            }
            Fault::LossOfStreaming => self.next_write = Some(Sense::UNDERRUN),
            Fault::WriteError => self.next_write = Some(Sense::WRITE_ERROR),
            Fault::PowerLossAt(lba) => self.power_loss_at = Some(lba),
            Fault::MediumRemoved => self.remove_media = true,
            Fault::DeviceGone => self.device_gone = true,
            Fault::CommandTimeout => self.timeout_next = true,
            Fault::InvalidResponse => self.invalid_response_next = true,
        }
    }

    /// The sense a media command sees now, if any (consumes one
    /// becoming-ready poll).
    pub(crate) fn media_sense(&mut self) -> Option<Sense> {
        if let Some(s) = self.media {
            return Some(s);
        }
        if self.becoming_ready > 0 {
            self.becoming_ready -= 1;
            return Some(Sense::NOT_READY_BECOMING_READY);
        }
        None
    }
}
