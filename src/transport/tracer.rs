//! `Tracer`: records every exchange as one JSON line (smoltcp `Tracer` /
//! `PcapWriter`) and keeps a condensed human transcript such as
//! `0005 WRITE(10) lba=-150 blocks=27  GOOD`.

use std::io::Write;
use std::time::Duration;

use crate::mmc::Command;

use super::{hex, opcode_name, CommandOutcome, DataPhase, Transport, TransportError};

/// Bytes of data-out kept in the short hex prefix.
pub const DATA_OUT_PREFIX: usize = 16;

/// One recorded exchange (a JSON line).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TraceRecord {
    /// Sequence number, from 1.
    pub seq: u64,
    /// Opcode name.
    pub opcode: String,
    /// Decoded command summary (or the parse error).
    pub command: String,
    /// CDB hex.
    pub cdb: String,
    /// "none", "in" or "out".
    pub direction: String,
    /// Data-out length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_out_len: Option<usize>,
    /// First bytes of data-out (hex).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_out_prefix: Option<String>,
    /// Full data-out (hex) when recording data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_out: Option<String>,
    /// Data-in allocation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_in_len: Option<usize>,
    /// Data-in bytes actually returned (hex), when recording data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_in: Option<String>,
    /// The outcome, when the device answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<CommandOutcome>,
    /// Decoded sense, e.g. "5/24/00 INVALID FIELD IN CDB".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sense: Option<String>,
    /// The transport error, when nothing answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<TransportError>,
    /// Injected-fault marker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub injected: Option<String>,
}

impl TraceRecord {
    /// The condensed transcript line.
    pub fn transcript_line(&self) -> String {
        let result = match (&self.outcome, &self.error) {
            (_, Some(e)) => format!("ERROR {e}"),
            (Some(o), None) => match &self.sense {
                Some(s) => format!("{} {s}", o.status),
                None => o.status.to_string(),
            },
            (None, None) => "?".into(),
        };
        let injected = if self.injected.is_some() {
            " [injected]"
        } else {
            ""
        };
        format!("{:04} {:<40} {result}{injected}", self.seq, self.command)
    }
}

/// Records every exchange of the inner transport to `sink` as JSON lines.
#[derive(Debug)]
pub struct Tracer<T: Transport, W: Write> {
    inner: T,
    sink: W,
    seq: u64,
    record_data: bool,
    transcript: Vec<String>,
    sink_error: Option<String>,
    pending_injected: Option<String>,
}

impl<T: Transport, W: Write> Tracer<T, W> {
    /// Wraps `inner`, writing JSON lines to `sink`.
    pub fn new(inner: T, sink: W) -> Self {
        Tracer {
            inner,
            sink,
            seq: 0,
            record_data: false,
            transcript: Vec::new(),
            sink_error: None,
            pending_injected: None,
        }
    }

    /// Record full data-in/data-out bytes (hex), needed by [`super::Replay`].
    pub fn set_record_data(&mut self, on: bool) {
        self.record_data = on;
    }

    /// Builder form of [`Tracer::set_record_data`].
    pub fn with_record_data(mut self, on: bool) -> Self {
        self.record_data = on;
        self
    }

    /// The transcript lines so far.
    pub fn transcript_lines(&self) -> &[String] {
        &self.transcript
    }

    /// The transcript as one string, one line per command.
    pub fn transcript(&self) -> String {
        let mut s = self.transcript.join("\n");
        s.push('\n');
        s
    }

    /// The first error writing to the sink, if any (tracing never fails a command).
    pub fn sink_error(&self) -> Option<&str> {
        self.sink_error.as_deref()
    }

    /// The inner transport.
    pub fn get_ref(&self) -> &T {
        &self.inner
    }

    /// The inner transport, mutably.
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.inner
    }

    /// The sink.
    pub fn sink(&self) -> &W {
        &self.sink
    }

    /// Unwraps into the inner transport and the sink.
    pub fn into_inner(self) -> (T, W) {
        (self.inner, self.sink)
    }

    fn record(&mut self, rec: &TraceRecord) {
        self.transcript.push(rec.transcript_line());
        let line = serde_json::to_string(rec).unwrap_or_default();
        if let Err(e) = writeln!(self.sink, "{line}") {
            self.sink_error.get_or_insert(e.to_string());
        }
    }
}

impl<T: Transport, W: Write> Transport for Tracer<T, W> {
    fn execute(
        &mut self,
        cdb: &[u8],
        mut data: DataPhase<'_>,
        timeout: Duration,
    ) -> Result<CommandOutcome, TransportError> {
        self.seq += 1;
        let command = match Command::parse(cdb) {
            Ok(c) => c.to_string(),
            Err(e) => format!("{} ({e})", opcode_name(cdb)),
        };
        let (data_out_len, data_out_prefix, data_out) = match data.data_out() {
            Some(d) => (
                Some(d.len()),
                Some(hex(&d[..d.len().min(DATA_OUT_PREFIX)])),
                self.record_data.then(|| hex(d)),
            ),
            None => (None, None, None),
        };
        let data_in_len = data.data_in().map(|b| b.len());
        let result = self.inner.execute(cdb, data.reborrow(), timeout);
        let injected = self.inner.take_injected_fault();
        let data_in = match (&result, data.data_in(), self.record_data) {
            (Ok(o), Some(buf), true) => Some(hex(&buf[..o.transferred(buf.len())])),
            _ => None,
        };
        let rec = TraceRecord {
            seq: self.seq,
            opcode: opcode_name(cdb),
            command,
            cdb: hex(cdb),
            direction: data.direction().into(),
            data_out_len,
            data_out_prefix,
            data_out,
            data_in_len,
            data_in,
            sense: result
                .as_ref()
                .ok()
                .and_then(|o| o.sense)
                .map(|s| s.to_string()),
            outcome: result.as_ref().ok().cloned(),
            error: result.as_ref().err().cloned(),
            injected: injected.clone(),
        };
        self.record(&rec);
        if let Some(i) = injected {
            // Keep the marker visible to an outer tracer too.
            self.pending_injected = Some(i);
        }
        result
    }

    fn take_injected_fault(&mut self) -> Option<String> {
        self.pending_injected.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmc::{Sense, Write10};
    use crate::transport::{CommandOutcome, ScriptedTransport};

    #[test]
    fn test_transcript_and_json_line() {
        let w = Write10 {
            lba: -150,
            transfer_length: 27,
            ..Default::default()
        }
        .to_bytes();
        let mut mock = ScriptedTransport::new();
        mock.expect(w.to_vec(), CommandOutcome::good(0), vec![]);
        mock.expect(
            w.to_vec(),
            CommandOutcome::check_condition(Sense::WRITE_ERROR),
            vec![],
        );
        let mut t = Tracer::new(mock, Vec::new());
        let data = vec![0u8; 27 * 2352];
        t.execute(&w, DataPhase::Out(&data), Duration::from_secs(1))
            .unwrap();
        t.execute(&w, DataPhase::Out(&data), Duration::from_secs(1))
            .unwrap();
        assert_eq!(
            t.transcript_lines()[0],
            "0001 WRITE(10) lba=-150 blocks=27             GOOD"
        );
        assert!(t.transcript_lines()[1].ends_with("CHECK CONDITION 3/0C/00 WRITE ERROR"));
        let (_, sink) = t.into_inner();
        let text = String::from_utf8(sink).unwrap();
        let first: TraceRecord = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!(first.cdb, "2a 00 ff ff ff 6a 00 00 1b 00");
        assert_eq!(first.data_out_len, Some(63504));
        assert_eq!(first.opcode, "WRITE(10)");
    }
}
