//! Suite results and their three renderings: a readable table, JSON, and
//! JUnit XML that CI systems display.

use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

/// How a scenario ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The outcome matched the expectation.
    Pass,
    /// It did not.
    Fail,
    /// Not run on this target (e.g. destructive on a physical drive).
    Skip,
    /// Failed, as the scenario's `known_failures` says it does on this profile.
    KnownFailure,
}

/// The result of one scenario.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioResult {
    /// Scenario name.
    pub name: String,
    /// What it proves.
    pub summary: String,
    /// Verdict.
    pub verdict: Verdict,
    /// Why it failed or was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Wall time in milliseconds.
    pub millis: u128,
    /// The HRESULT the writer returned, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hresult: Option<String>,
    /// The condensed CDB transcript.
    #[serde(skip)]
    pub transcript: String,
}

impl ScenarioResult {
    /// The result's duration.
    pub fn duration(&self) -> Duration {
        Duration::from_millis(self.millis as u64)
    }
}

/// All results of a run.
#[derive(Debug, Clone, Serialize)]
pub struct SuiteReport {
    /// Where the suite ran (`emulated default/cdr80`, `/dev/sg1`, …).
    pub target: String,
    /// Scenario results in order.
    pub results: Vec<ScenarioResult>,
}

impl SuiteReport {
    /// Number of results with this verdict.
    pub fn count(&self, v: Verdict) -> usize {
        self.results.iter().filter(|r| r.verdict == v).count()
    }

    /// True when no scenario failed.
    pub fn passed(&self) -> bool {
        self.count(Verdict::Fail) == 0
    }

    /// The readable table.
    pub fn table(&self) -> String {
        let width = self
            .results
            .iter()
            .map(|r| r.name.len())
            .max()
            .unwrap_or(8)
            .max(8);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<width$}  {:<6}  {:>8}  detail",
            "scenario", "result", "time"
        );
        for r in &self.results {
            let verdict = match r.verdict {
                Verdict::Pass => "pass",
                Verdict::Fail => "FAIL",
                Verdict::Skip => "skip",
                Verdict::KnownFailure => "known",
            };
            let detail = r.reason.as_deref().unwrap_or(&r.summary);
            let _ = writeln!(
                out,
                "{:<width$}  {:<6}  {:>6}ms  {}",
                r.name, verdict, r.millis, detail
            );
        }
        let _ = writeln!(
            out,
            "\n{} passed, {} failed, {} skipped, {} known failures ({})",
            self.count(Verdict::Pass),
            self.count(Verdict::Fail),
            self.count(Verdict::Skip),
            self.count(Verdict::KnownFailure),
            self.target
        );
        out
    }

    /// JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("report serializes")
    }

    /// JUnit XML (one test suite, one test case per scenario).
    pub fn to_junit(&self) -> String {
        use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
        let mut suite = TestSuite::new("rawcd-conformance");
        for r in &self.results {
            let status = match r.verdict {
                Verdict::Pass => TestCaseStatus::success(),
                Verdict::Fail => {
                    let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    s.set_message(r.reason.clone().unwrap_or_default());
                    s
                }
                Verdict::Skip | Verdict::KnownFailure => {
                    let mut s = TestCaseStatus::skipped();
                    s.set_message(r.reason.clone().unwrap_or_default());
                    s
                }
            };
            let mut case = TestCase::new(r.name.clone(), status);
            case.set_classname(self.target.clone());
            case.set_time(r.duration());
            if !r.transcript.is_empty() {
                case.set_system_out(r.transcript.clone());
            }
            suite.add_test_case(case);
        }
        let mut report = Report::new("rawcd");
        report.add_test_suite(suite);
        report.to_string().expect("JUnit XML serializes")
    }
}
