//! `ScriptedTransport`: expected CDB → canned outcome and data-in, for unit
//! tests of callers (vm-virtio `mock.rs`). Public so other crates' tests can
//! use it.

use std::collections::VecDeque;
use std::time::Duration;

use crate::mmc::Command;

use super::{hex, CommandOutcome, DataPhase, Transport, TransportError};

/// One scripted exchange.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// Expected CDB (`None` accepts any).
    pub cdb: Option<Vec<u8>>,
    /// The answer.
    pub result: Result<CommandOutcome, TransportError>,
    /// Data-in bytes to return (copied up to the buffer size).
    pub data_in: Vec<u8>,
}

/// Answers a fixed script of exchanges in order.
#[derive(Debug, Default)]
pub struct ScriptedTransport {
    script: VecDeque<Exchange>,
    /// Every CDB received, with its data-out bytes.
    pub sent: Vec<(Vec<u8>, Vec<u8>)>,
}

impl ScriptedTransport {
    /// An empty script.
    pub fn new() -> Self {
        Self::default()
    }

    /// Expects `cdb`; answers `outcome` and `data_in`. For a GOOD outcome with
    /// residual 0, the residual is computed from the data-in length.
    pub fn expect(
        &mut self,
        cdb: impl Into<Vec<u8>>,
        outcome: CommandOutcome,
        data_in: Vec<u8>,
    ) -> &mut Self {
        self.script.push_back(Exchange {
            cdb: Some(cdb.into()),
            result: Ok(outcome),
            data_in,
        });
        self
    }

    /// Expects the emitted form of `cmd`.
    pub fn expect_command(
        &mut self,
        cmd: &Command,
        outcome: CommandOutcome,
        data_in: Vec<u8>,
    ) -> &mut Self {
        self.expect(cmd.to_cdb().to_vec(), outcome, data_in)
    }

    /// Expects `cdb` and fails it with a transport error.
    pub fn expect_error(&mut self, cdb: impl Into<Vec<u8>>, err: TransportError) -> &mut Self {
        self.script.push_back(Exchange {
            cdb: Some(cdb.into()),
            result: Err(err),
            data_in: Vec::new(),
        });
        self
    }

    /// Accepts any CDB next.
    pub fn expect_any(&mut self, outcome: CommandOutcome, data_in: Vec<u8>) -> &mut Self {
        self.script.push_back(Exchange {
            cdb: None,
            result: Ok(outcome),
            data_in,
        });
        self
    }

    /// Exchanges not yet consumed.
    pub fn remaining(&self) -> usize {
        self.script.len()
    }

    /// Whether the whole script was consumed.
    pub fn is_done(&self) -> bool {
        self.script.is_empty()
    }
}

impl Transport for ScriptedTransport {
    fn execute(
        &mut self,
        cdb: &[u8],
        mut data: DataPhase<'_>,
        _timeout: Duration,
    ) -> Result<CommandOutcome, TransportError> {
        let Some(ex) = self.script.pop_front() else {
            return Err(TransportError::Unexpected(format!(
                "script exhausted; got CDB {}",
                hex(cdb)
            )));
        };
        if let Some(want) = &ex.cdb {
            if want.as_slice() != cdb {
                return Err(TransportError::Unexpected(format!(
                    "expected CDB {}, got {}",
                    hex(want),
                    hex(cdb)
                )));
            }
        }
        self.sent.push((
            cdb.to_vec(),
            data.data_out().map(<[u8]>::to_vec).unwrap_or_default(),
        ));
        let mut outcome = ex.result?;
        if let Some(buf) = data.data_in() {
            let n = ex.data_in.len().min(buf.len());
            buf[..n].copy_from_slice(&ex.data_in[..n]);
            if outcome.is_good() && outcome.residual == 0 {
                outcome.residual = buf.len() - n;
            }
        }
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmc::Sense;

    #[test]
    fn test_script_order_and_residual() {
        let mut m = ScriptedTransport::new();
        m.expect(
            vec![0x12, 0, 0, 0, 36, 0],
            CommandOutcome::good(0),
            vec![5, 0x80],
        );
        let mut buf = [0u8; 36];
        let o = m
            .execute(
                &[0x12, 0, 0, 0, 36, 0],
                DataPhase::In(&mut buf),
                Duration::ZERO,
            )
            .unwrap();
        assert_eq!(o.residual, 34);
        assert_eq!(&buf[..2], &[5, 0x80]);
        assert!(m.is_done());
        assert!(m.execute(&[0; 6], DataPhase::None, Duration::ZERO).is_err());
    }

    #[test]
    fn test_wrong_cdb_is_an_error() {
        let mut m = ScriptedTransport::new();
        m.expect(
            vec![0; 6],
            CommandOutcome::check_condition(Sense::NO_MEDIUM),
            vec![],
        );
        assert!(matches!(
            m.execute(&[1, 0, 0, 0, 0, 0], DataPhase::None, Duration::ZERO),
            Err(TransportError::Unexpected(_))
        ));
    }
}
