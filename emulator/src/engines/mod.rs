//! Write engines. RAW (write type 3, data block types 1/2/3: the host sends
//! lead-in, pregap, program area and lead-out with sub-channel) lives in
//! [`raw`]; SAO (write type 2 with a cue sheet: the drive generates lead-in,
//! pregap sub-code, EDC/ECC, lead-out) in [`sao`].

use rawcd::msf::Lba;
use rawcd::subcode::rw::Interleaver;

pub(crate) mod raw;
pub(crate) mod sao;
pub(crate) mod tao;

/// A burn in progress.
#[derive(Debug)]
pub(crate) struct Session {
    /// Page 05 write type (1 TAO, 2 SAO, 3 RAW).
    pub(crate) write_type: u8,
    /// Page 05 data block type (RAW).
    pub(crate) dbt: u8,
    /// Next LBA the drive accepts.
    pub(crate) next_lba: Lba,
    /// One past the last LBA that may be written.
    pub(crate) end_limit: Lba,
    /// Test write: nothing is recorded.
    pub(crate) test: bool,
    /// Streaming was lost: every further WRITE is refused.
    pub(crate) broken: bool,
    /// Q analysis of the host's data (RAW).
    pub(crate) analyzer: raw::RawAnalyzer,
    /// Packed → raw R–W (DBT 2 and SAO packed forms).
    pub(crate) interleaver: Interleaver,
    /// Conversion buffer (reused).
    pub(crate) scratch: Vec<u8>,
    /// Track state of a TAO session.
    pub(crate) tao: Option<tao::Tao>,
}

impl Session {
    pub(crate) fn new(write_type: u8, dbt: u8, first: Lba, end_limit: Lba, test: bool) -> Session {
        Session {
            write_type,
            dbt,
            next_lba: first,
            end_limit,
            test,
            broken: false,
            analyzer: raw::RawAnalyzer::default(),
            interleaver: Interleaver::new(),
            scratch: Vec::new(),
            tao: (write_type == 1).then(tao::Tao::default),
        }
    }
}
