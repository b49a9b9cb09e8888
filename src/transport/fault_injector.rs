//! `FaultInjector`: deterministic, scripted faults on any transport
//! (smoltcp `FaultInjector`). Rules match the nth command, the nth
//! occurrence of an opcode, an opcode + LBA range, or a seeded random draw;
//! actions are CHECK CONDITION with a sense, timeout, device gone (every
//! later command fails) or BUSY. Plans deserialize from JSON:
//!
//! ```json
//! {"seed": 24301, "rules": [
//!   {"when": "lba_range", "opcode": 42, "start": 1234, "end": 1300,
//!    "action": "check_condition", "sense": "WRITE_ERROR"},
//!   {"when": "nth_opcode", "opcode": 53, "n": 1, "action": "timeout"},
//!   {"when": "random", "probability": 0.01, "action": "busy"}]}
//! ```
//!
//! `sense` takes a constant name from [`Sense::NAMED`], `"3/0C/09"`, or
//! `{"key": 3, "asc": 12, "ascq": 9}`.

use std::time::Duration;

use serde::{Deserialize, Deserializer};

use crate::mmc::{Command, OpCode, Sense, SenseKey};

use super::{CommandOutcome, DataPhase, Transport, TransportError};

/// What selects a command for a fault.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "when", rename_all = "snake_case")]
pub enum Trigger {
    /// The nth command overall (1-based).
    Nth {
        /// Command number.
        n: u64,
    },
    /// The nth command with this opcode (1-based).
    NthOpcode {
        /// Opcode.
        opcode: OpCode,
        /// Occurrence.
        n: u64,
    },
    /// A READ/WRITE whose blocks overlap `start..end` (end exclusive),
    /// optionally only for one opcode.
    LbaRange {
        /// Opcode filter.
        #[serde(default)]
        opcode: Option<OpCode>,
        /// First LBA.
        start: i32,
        /// One past the last LBA.
        end: i32,
    },
    /// Each (matching) command with this probability, from the seeded RNG.
    Random {
        /// 0.0..=1.0.
        probability: f64,
        /// Opcode filter.
        #[serde(default)]
        opcode: Option<OpCode>,
    },
}

/// What happens to a selected command.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum FaultAction {
    /// Answer CHECK CONDITION with this sense (the command is not forwarded).
    CheckCondition {
        /// The sense.
        #[serde(deserialize_with = "de_sense")]
        sense: Sense,
    },
    /// `Err(TransportError::Timeout)`.
    Timeout,
    /// `Err(TransportError::DeviceGone)` now and for every later command.
    DeviceGone,
    /// BUSY status.
    Busy,
    /// GOOD status with the whole data-in buffer filled with 0xFF: a drive
    /// answering garbage (the command is not forwarded).
    Garbage,
}

/// A rule: trigger, action, and how often it may fire.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FaultRule {
    /// Selection.
    #[serde(flatten)]
    pub trigger: Trigger,
    /// Effect.
    #[serde(flatten)]
    pub action: FaultAction,
    /// Maximum number of times the rule fires (unlimited when absent).
    #[serde(default)]
    pub max_hits: Option<u32>,
}

/// A serde fault plan: seed + rules.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct FaultPlan {
    /// RNG seed for random rules.
    #[serde(default)]
    pub seed: u32,
    /// Rules, checked in order; the first that fires wins.
    #[serde(default)]
    pub rules: Vec<FaultRule>,
}

fn de_sense<'de, D: Deserializer<'de>>(d: D) -> Result<Sense, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Spec {
        Text(String),
        Triple { key: u8, asc: u8, ascq: u8 },
    }
    match Spec::deserialize(d)? {
        Spec::Triple { key, asc, ascq } => Ok(Sense::new(SenseKey::from(key), asc, ascq)),
        Spec::Text(t) => {
            parse_sense(&t).ok_or_else(|| serde::de::Error::custom(format!("unknown sense '{t}'")))
        }
    }
}

/// Parses a sense given as a [`Sense::NAMED`] constant name or `K/AA/QQ` hex.
pub fn parse_sense(t: &str) -> Option<Sense> {
    if let Some((_, s)) = Sense::NAMED.iter().find(|(n, _)| n.eq_ignore_ascii_case(t)) {
        return Some(*s);
    }
    let mut it = t.split('/').map(|p| u8::from_str_radix(p.trim(), 16).ok());
    let (k, a, q) = (it.next()??, it.next()??, it.next()??);
    it.next()
        .is_none()
        .then(|| Sense::new(SenseKey::from(k), a, q))
}

/// Injects faults into the commands sent through it.
#[derive(Debug)]
pub struct FaultInjector<T: Transport> {
    inner: T,
    rules: Vec<(FaultRule, u32)>,
    rng: u32,
    seq: u64,
    per_opcode: [u64; 256],
    gone: bool,
    last_injected: Option<String>,
}

impl<T: Transport> FaultInjector<T> {
    /// Wraps `inner` with no rules; `seed` drives random rules (0 is mapped to 1).
    pub fn new(inner: T, seed: u32) -> Self {
        FaultInjector {
            inner,
            rules: Vec::new(),
            rng: seed.max(1),
            seq: 0,
            per_opcode: [0; 256],
            gone: false,
            last_injected: None,
        }
    }

    /// Wraps `inner` with a deserialized plan.
    pub fn from_plan(inner: T, plan: FaultPlan) -> Self {
        let mut f = FaultInjector::new(inner, plan.seed);
        for r in plan.rules {
            f.add_rule(r);
        }
        f
    }

    /// Adds a rule.
    pub fn add_rule(&mut self, rule: FaultRule) {
        self.rules.push((rule, 0));
    }

    /// Builder: adds a rule.
    pub fn with_rule(mut self, trigger: Trigger, action: FaultAction) -> Self {
        self.add_rule(FaultRule {
            trigger,
            action,
            max_hits: None,
        });
        self
    }

    /// Builder: CHECK CONDITION `sense` on the nth command with `opcode`.
    pub fn fail_nth(self, opcode: OpCode, n: u64, sense: Sense) -> Self {
        self.with_rule(
            Trigger::NthOpcode { opcode, n },
            FaultAction::CheckCondition { sense },
        )
    }

    /// Builder: CHECK CONDITION `sense` on READ/WRITEs touching `start..end`.
    pub fn fail_lba_range(
        self,
        opcode: Option<OpCode>,
        start: i32,
        end: i32,
        sense: Sense,
    ) -> Self {
        self.with_rule(
            Trigger::LbaRange { opcode, start, end },
            FaultAction::CheckCondition { sense },
        )
    }

    /// The inner transport.
    pub fn get_ref(&self) -> &T {
        &self.inner
    }

    /// The inner transport, mutably.
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.inner
    }

    /// Unwraps.
    pub fn into_inner(self) -> T {
        self.inner
    }

    fn next_rand(&mut self) -> f64 {
        // xorshift32
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.rng = x;
        f64::from(x) / f64::from(u32::MAX)
    }

    fn matches(&mut self, i: usize, cdb: &[u8], op: OpCode) -> bool {
        let (rule, hits) = &self.rules[i];
        if rule.max_hits.is_some_and(|m| *hits >= m) {
            return false;
        }
        match rule.trigger.clone() {
            Trigger::Nth { n } => self.seq == n,
            Trigger::NthOpcode { opcode, n } => {
                opcode == op && self.per_opcode[usize::from(op.0)] == n
            }
            Trigger::LbaRange { opcode, start, end } => {
                opcode.is_none_or(|o| o == op)
                    && Command::parse(cdb)
                        .ok()
                        .and_then(|c| c.lba_range())
                        .is_some_and(|(lba, n)| {
                            let last = i64::from(lba) + i64::from(n.max(1));
                            i64::from(lba) < i64::from(end) && last > i64::from(start)
                        })
            }
            Trigger::Random {
                probability,
                opcode,
            } => opcode.is_none_or(|o| o == op) && self.next_rand() < probability,
        }
    }

    fn fault_for(&mut self, cdb: &[u8]) -> Option<FaultAction> {
        let op = OpCode(cdb.first().copied().unwrap_or(0));
        let i = (0..self.rules.len()).find(|&i| self.matches(i, cdb, op))?;
        self.rules[i].1 += 1;
        Some(self.rules[i].0.action.clone())
    }
}

impl<T: Transport> Transport for FaultInjector<T> {
    fn execute(
        &mut self,
        cdb: &[u8],
        data: DataPhase<'_>,
        timeout: Duration,
    ) -> Result<CommandOutcome, TransportError> {
        self.seq += 1;
        if let Some(&b) = cdb.first() {
            self.per_opcode[usize::from(b)] += 1;
        }
        if self.gone {
            self.last_injected = Some("device gone".into());
            return Err(TransportError::DeviceGone);
        }
        let fault = self.fault_for(cdb);
        self.last_injected = fault.as_ref().map(|f| format!("{f:?}"));
        match fault {
            Some(FaultAction::CheckCondition { sense }) => {
                Ok(CommandOutcome::check_condition(sense))
            }
            Some(FaultAction::Busy) => Ok(CommandOutcome::busy()),
            Some(FaultAction::Garbage) => {
                if let DataPhase::In(buf) = data {
                    buf.fill(0xFF);
                }
                Ok(CommandOutcome::good(0))
            }
            Some(FaultAction::Timeout) => Err(TransportError::Timeout),
            Some(FaultAction::DeviceGone) => {
                self.gone = true;
                Err(TransportError::DeviceGone)
            }
            None => {
                let r = self.inner.execute(cdb, data, timeout);
                if let Some(inner) = self.inner.take_injected_fault() {
                    self.last_injected = Some(inner);
                }
                r
            }
        }
    }

    fn take_injected_fault(&mut self) -> Option<String> {
        self.last_injected.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmc::{TestUnitReady, Write10};
    use crate::transport::Status;

    struct Always;
    impl Transport for Always {
        fn execute(
            &mut self,
            _: &[u8],
            _: DataPhase<'_>,
            _: Duration,
        ) -> Result<CommandOutcome, TransportError> {
            Ok(CommandOutcome::good(0))
        }
    }

    fn w(lba: i32) -> [u8; 10] {
        Write10 {
            lba,
            transfer_length: 27,
            ..Default::default()
        }
        .to_bytes()
    }

    fn run<T: Transport>(t: &mut T, cdb: &[u8]) -> Result<CommandOutcome, TransportError> {
        t.execute(cdb, DataPhase::None, Duration::from_secs(1))
    }

    #[test]
    fn test_nth_write_fails_once() {
        let mut f = FaultInjector::new(Always, 1).fail_nth(OpCode::WRITE_10, 2, Sense::UNDERRUN);
        assert!(run(&mut f, &w(0)).unwrap().is_good());
        assert_eq!(run(&mut f, &w(27)).unwrap().sense, Some(Sense::UNDERRUN));
        assert!(f.take_injected_fault().is_some());
        assert!(run(&mut f, &w(54)).unwrap().is_good());
    }

    #[test]
    fn test_lba_range_overlap() {
        let mut f = FaultInjector::new(Always, 1).fail_lba_range(
            Some(OpCode::WRITE_10),
            1234,
            1235,
            Sense::WRITE_ERROR,
        );
        assert!(run(&mut f, &w(1200)).unwrap().is_good()); // 1200..1227
        assert_eq!(
            run(&mut f, &w(1227)).unwrap().status,
            Status::CheckCondition
        ); // 1227..1254
    }

    #[test]
    fn test_device_gone_is_sticky() {
        let mut f =
            FaultInjector::new(Always, 1).with_rule(Trigger::Nth { n: 1 }, FaultAction::DeviceGone);
        let tur = TestUnitReady.to_bytes();
        assert_eq!(run(&mut f, &tur), Err(TransportError::DeviceGone));
        assert_eq!(run(&mut f, &tur), Err(TransportError::DeviceGone));
    }

    #[test]
    fn test_random_is_deterministic_per_seed() {
        let count = |seed| {
            let mut f = FaultInjector::new(Always, seed).with_rule(
                Trigger::Random {
                    probability: 0.3,
                    opcode: None,
                },
                FaultAction::Busy,
            );
            (0..200)
                .filter(|_| run(&mut f, &[0; 6]).unwrap().status == Status::Busy)
                .count()
        };
        assert_eq!(count(7), count(7));
        assert!((30..90).contains(&count(7)));
    }

    #[test]
    fn test_plan_from_json() {
        let plan: FaultPlan = serde_json::from_str(
            r#"{"seed": 5, "rules": [
                {"when": "lba_range", "opcode": 42, "start": 0, "end": 10, "action": "check_condition", "sense": "WRITE_ERROR"},
                {"when": "nth_opcode", "opcode": 53, "n": 1, "action": "timeout", "max_hits": 1},
                {"when": "nth", "n": 9, "action": "check_condition", "sense": "3/0C/09"},
                {"when": "random", "probability": 0.0, "action": "check_condition", "sense": {"key": 2, "asc": 58, "ascq": 0}}
            ]}"#,
        )
        .unwrap();
        assert_eq!(plan.rules.len(), 4);
        assert_eq!(
            plan.rules[2].action,
            FaultAction::CheckCondition {
                sense: Sense::UNDERRUN
            }
        );
        assert_eq!(
            plan.rules[3].action,
            FaultAction::CheckCondition {
                sense: Sense::NO_MEDIUM
            }
        );
        let mut f = FaultInjector::from_plan(Always, plan);
        assert_eq!(run(&mut f, &w(5)).unwrap().sense, Some(Sense::WRITE_ERROR));
        assert_eq!(
            run(&mut f, &[0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            Err(TransportError::Timeout)
        );
    }
}

#[cfg(test)]
mod garbage_tests {
    use super::*;
    use crate::transport::mock::ScriptedTransport;

    #[test]
    fn garbage_fills_the_data_in_buffer_and_answers_good_without_forwarding() {
        let plan: FaultPlan = serde_json::from_str(
            r#"{"rules": [{"when": "nth_opcode", "opcode": 81, "n": 1, "action": "garbage"}]}"#,
        )
        .unwrap();
        let mut t = FaultInjector::from_plan(ScriptedTransport::new(), plan);
        let mut buf = [0u8; 8];
        let cdb = [0x51, 0, 0, 0, 0, 0, 0, 0, 8, 0];
        let outcome = t
            .execute(&cdb, DataPhase::In(&mut buf), Duration::from_secs(1))
            .unwrap();
        assert!(outcome.is_good());
        assert_eq!(buf, [0xFF; 8]);
    }
}
