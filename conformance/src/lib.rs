//! rawcd-conformance: the scenario suite that proves a burn path on the
//! built-in virtual recorder and runs unchanged against a physical burner,
//! its runner and its reports (table, JSON, JUnit XML).
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod report;
pub mod scenario;

pub use report::{ScenarioResult, SuiteReport, Verdict};
pub use scenario::Scenario;

pub mod armed;
pub mod capture;
pub mod runner;
pub mod source;

pub use runner::{Runner, Target};
