//! `Replay`: answers from a [`super::Tracer`] JSON-lines recording made with
//! `record_data` on. Each command must match the recorded CDB in order;
//! otherwise the error names the sequence number and both CDBs.

use std::io::BufRead;
use std::time::Duration;

use super::{hex, unhex, CommandOutcome, DataPhase, TraceRecord, Transport, TransportError};

/// A transport that replays a recorded trace.
#[derive(Debug, Clone)]
pub struct Replay {
    records: Vec<TraceRecord>,
    next: usize,
}

impl Replay {
    /// Builds from parsed records.
    pub fn new(records: Vec<TraceRecord>) -> Replay {
        Replay { records, next: 0 }
    }

    /// Reads JSON lines (blank lines ignored).
    pub fn from_reader<R: BufRead>(r: R) -> Result<Replay, TransportError> {
        let mut records = Vec::new();
        for (i, line) in r.lines().enumerate() {
            let line = line.map_err(|e| TransportError::Io(e.to_string()))?;
            if line.trim().is_empty() {
                continue;
            }
            let rec = serde_json::from_str(&line)
                .map_err(|e| TransportError::Io(format!("trace line {}: {e}", i + 1)))?;
            records.push(rec);
        }
        Ok(Replay::new(records))
    }

    /// Reads JSON lines from a string.
    pub fn from_jsonl(s: &str) -> Result<Replay, TransportError> {
        Replay::from_reader(s.as_bytes())
    }

    /// Records not yet replayed.
    pub fn remaining(&self) -> usize {
        self.records.len() - self.next
    }
}

impl Transport for Replay {
    fn execute(
        &mut self,
        cdb: &[u8],
        mut data: DataPhase<'_>,
        _timeout: Duration,
    ) -> Result<CommandOutcome, TransportError> {
        let Some(rec) = self.records.get(self.next) else {
            return Err(TransportError::Unexpected(format!(
                "trace exhausted; got CDB {}",
                hex(cdb)
            )));
        };
        if unhex(&rec.cdb).as_deref() != Some(cdb) {
            return Err(TransportError::ReplayMismatch {
                seq: rec.seq,
                expected: rec.cdb.clone(),
                actual: hex(cdb),
            });
        }
        self.next += 1;
        if let Some(e) = &rec.error {
            return Err(e.clone());
        }
        let outcome = rec.outcome.clone().ok_or_else(|| {
            TransportError::Unexpected(format!("trace #{} has no outcome", rec.seq))
        })?;
        if let (Some(buf), Some(h)) = (data.data_in(), rec.data_in.as_deref()) {
            let bytes = unhex(h).ok_or_else(|| {
                TransportError::Io(format!("trace #{}: bad data_in hex", rec.seq))
            })?;
            let n = bytes.len().min(buf.len());
            buf[..n].copy_from_slice(&bytes[..n]);
        }
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmc::{Command, Inquiry, Sense};
    use crate::transport::{ScriptedTransport, Tracer, TransportExt};

    #[test]
    fn test_record_then_replay() {
        let inq = Command::Inquiry(Inquiry {
            allocation_length: 36,
            ..Default::default()
        });
        let mut mock = ScriptedTransport::new();
        mock.expect_command(&inq, CommandOutcome::good(0), b"0123456789".to_vec());
        mock.expect(
            vec![0; 6],
            CommandOutcome::check_condition(Sense::NO_MEDIUM),
            vec![],
        );
        let mut tracer = Tracer::new(mock, Vec::new()).with_record_data(true);
        let (o1, d1) = tracer.command_in(&inq, 36).unwrap();
        tracer
            .execute(&[0; 6], DataPhase::None, Duration::ZERO)
            .unwrap();
        let (_, sink) = tracer.into_inner();

        let mut replay = Replay::from_jsonl(std::str::from_utf8(&sink).unwrap()).unwrap();
        let (o2, d2) = replay.command_in(&inq, 36).unwrap();
        assert_eq!((o1, d1), (o2, d2));
        let o = replay
            .execute(&[0; 6], DataPhase::None, Duration::ZERO)
            .unwrap();
        assert_eq!(o.sense, Some(Sense::NO_MEDIUM));
        assert_eq!(replay.remaining(), 0);
    }

    #[test]
    fn test_mismatch_names_seq_and_both_cdbs() {
        let mut mock = ScriptedTransport::new();
        mock.expect(vec![0; 6], CommandOutcome::good(0), vec![]);
        let mut tracer = Tracer::new(mock, Vec::new());
        tracer
            .execute(&[0; 6], DataPhase::None, Duration::ZERO)
            .unwrap();
        let (_, sink) = tracer.into_inner();
        let mut replay = Replay::from_jsonl(std::str::from_utf8(&sink).unwrap()).unwrap();
        let err = replay
            .execute(&[1, 0, 0, 0, 0, 0], DataPhase::None, Duration::ZERO)
            .unwrap_err();
        assert_eq!(
            err,
            TransportError::ReplayMismatch {
                seq: 1,
                expected: "00 00 00 00 00 00".into(),
                actual: "01 00 00 00 00 00".into()
            }
        );
    }
}
