//! The conformance suite on the built-in virtual recorder: every scenario in
//! `corpus/scenarios/` must pass, a representative set has its CDB transcript
//! snapshotted, a deliberately broken expectation fails with a clear reason,
//! and the JUnit output parses as JUnit XML.

use std::path::Path;

use rawcd_conformance::{Runner, Scenario, Target, Verdict};

fn corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus")
}

fn runner() -> Runner {
    Runner::new(&corpus(), Target::Emulated { profile: None }).unwrap()
}

#[test]
fn every_scenario_passes_on_the_virtual_recorder() {
    let scenarios = Scenario::load_dir(&corpus().join("scenarios")).unwrap();
    assert!(scenarios.len() >= 40);
    let report = runner().run_all(&scenarios);
    println!("{}", report.table());
    let failures: Vec<String> = report
        .results
        .iter()
        .filter(|r| r.verdict == Verdict::Fail)
        .map(|r| format!("{}: {}", r.name, r.reason.as_deref().unwrap_or("")))
        .collect();
    assert!(
        failures.is_empty(),
        "failed scenarios:\n{}",
        failures.join("\n")
    );
}

/// Scenarios whose full CDB transcripts are reviewed as snapshots.
const TRANSCRIPTS: &[&str] = &[
    "raw-audio-single",
    "pq-audio-single",
    "not-blank",
    "cancel",
    "leadin-too-short",
];

#[test]
fn transcripts_of_representative_scenarios() {
    insta::glob!("../../corpus", "scenarios/*.json", |path| {
        let scenario = Scenario::load(path).unwrap();
        if !TRANSCRIPTS.contains(&scenario.name.as_str()) {
            return;
        }
        let result = runner().run(&scenario);
        let transcript = condense(&result.transcript);
        insta::with_settings!({ description => scenario.summary.as_str(), omit_expression => true }, {
            insta::assert_snapshot!(format!(
                "verdict: {:?}\nhresult: {}\n\n{}",
                result.verdict,
                result.hresult.as_deref().unwrap_or("S_OK"),
                transcript
            ));
        });
    });
}

/// Folds runs of WRITE and READ CD commands (and the READ BUFFER CAPACITY
/// progress polls between WRITEs) so the snapshot stays readable.
fn condense(transcript: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut run: Option<(String, usize, String, String)> = None;
    for line in transcript.lines() {
        let body = line
            .split_once(' ')
            .map_or(line, |(_, rest)| rest)
            .trim()
            .to_string();
        let name = body.split(" lba=").next().unwrap_or(&body).to_string();
        let status_good = body.ends_with("GOOD");
        if status_good && name.starts_with("READ BUFFER CAPACITY") && run.is_some() {
            continue; // progress polls inside a write run
        }
        if status_good && (name.starts_with("WRITE(") || name.starts_with("READ CD")) {
            match &mut run {
                Some((n, count, _, last)) if *n == name => {
                    *count += 1;
                    *last = body;
                }
                _ => {
                    flush(&mut out, run.take());
                    run = Some((name, 1, body.clone(), body));
                }
            }
            continue;
        }
        flush(&mut out, run.take());
        out.push(body);
    }
    flush(&mut out, run.take());
    out.join("\n")
}

fn flush(out: &mut Vec<String>, run: Option<(String, usize, String, String)>) {
    if let Some((_, count, first, last)) = run {
        out.push(first);
        if count > 1 {
            out.push(format!("... {} more, last: {last}", count - 1));
        }
    }
}

#[test]
fn a_wrong_expectation_fails_with_a_clear_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.json");
    std::fs::write(
        &path,
        r#"{"summary": "Expects an error from a burn that succeeds.",
            "disc": {"layout": "01-single-audio.json"},
            "expect": {"outcome": "error", "hresult": "0xC0AA0606", "name": "E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK"}}"#,
    )
    .unwrap();
    let scenario = Scenario::load(&path).unwrap();
    let result = runner().run(&scenario);
    assert_eq!(result.verdict, Verdict::Fail);
    assert_eq!(
        result.reason.as_deref(),
        Some("expected E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK, but the write succeeded")
    );

    std::fs::write(
        &path,
        r#"{"summary": "Expects success on a pressed CD-ROM.", "media": "cdrom",
            "disc": {"layout": "01-single-audio.json"}, "expect": {"outcome": "success"}}"#,
    )
    .unwrap();
    let result = runner().run(&Scenario::load(&path).unwrap());
    assert_eq!(result.verdict, Verdict::Fail);
    assert!(result.reason.unwrap().starts_with("expected success, got"));
}

#[test]
fn junit_output_parses_as_junit_xml() {
    let scenarios: Vec<Scenario> = Scenario::load_dir(&corpus().join("scenarios"))
        .unwrap()
        .into_iter()
        .filter(|s| ["raw-audio-single", "not-blank"].contains(&s.name.as_str()))
        .collect();
    let report = runner().run_all(&scenarios);
    let xml = report.to_junit();
    let parsed = quick_junit::Report::deserialize_from_str(&xml).expect("valid JUnit XML");
    assert_eq!(parsed.test_suites.len(), 1);
    assert_eq!(parsed.test_suites[0].test_cases.len(), 2);
}
