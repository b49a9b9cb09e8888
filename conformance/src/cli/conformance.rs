//! `rawcd conformance`: runs the scenario suite on the virtual recorder (by
//! default) or on a physical drive, and prints a table, JSON, or JUnit XML.

use std::path::PathBuf;

use clap::Args;

use rawcd_conformance::{Runner, Scenario, SuiteReport, Target};

use super::{CliError, EXIT_DEFECTS, EXIT_OK};

/// Arguments of `rawcd conformance`.
#[derive(Debug, Args)]
pub struct ConformanceArgs {
    /// Run on this physical drive (e.g. /dev/sg1) instead of the virtual recorder.
    #[arg(long, value_name = "DEV", conflicts_with = "emulate")]
    device: Option<String>,
    /// Run every scenario on this emulated drive profile (built-in name or
    /// JSON file) instead of each scenario's own; may be repeated.
    #[arg(long, value_name = "PROFILE")]
    emulate: Vec<String>,
    /// On a physical drive, also run the scenarios that burn (one blank disc each).
    #[arg(long)]
    allow_burn: bool,
    /// Print the results as JSON.
    #[arg(long)]
    json: bool,
    /// Also write JUnit XML to FILE.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Run only scenarios whose name contains this text.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
    /// The corpus folder (scenarios/, layouts/, drives/).
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
}

/// Runs `rawcd conformance`.
pub fn run(args: ConformanceArgs) -> Result<i32, CliError> {
    let corpus = args.corpus.clone().unwrap_or_else(Runner::default_corpus);
    let mut scenarios = Scenario::load_dir(&corpus.join("scenarios")).map_err(CliError::input)?;
    if let Some(f) = &args.filter {
        scenarios.retain(|s| s.name.contains(f.as_str()));
    }
    let targets: Vec<Target> = match (&args.device, args.emulate.is_empty()) {
        (Some(path), _) => vec![Target::Device {
            path: path.clone(),
            allow_burn: args.allow_burn,
        }],
        (None, true) => vec![Target::Emulated { profile: None }],
        (None, false) => args
            .emulate
            .iter()
            .map(|p| Target::Emulated {
                profile: Some(p.clone()),
            })
            .collect(),
    };
    let mut reports = Vec::new();
    for target in targets {
        let runner = Runner::new(&corpus, target).map_err(CliError::input)?;
        let report = runner.run_all(&scenarios);
        if !args.json {
            print!("{}", report.table());
        }
        reports.push(report);
    }
    if args.json {
        let json: Vec<&SuiteReport> = reports.iter().collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json).expect("reports serialize")
        );
    }
    if let Some(path) = &args.junit {
        let xml = reports
            .iter()
            .map(|r| r.to_junit())
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(path, xml)
            .map_err(|e| CliError::input(format!("{}: {e}", path.display())))?;
    }
    Ok(if reports.iter().all(|r| r.passed()) {
        EXIT_OK
    } else {
        EXIT_DEFECTS
    })
}
