//! The shipped matrix passes against the decision engine (the same run as
//! `cargo run -p conformance --release`).
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use conformance::demo::Adapter;
use conformance::{case, matrix};

#[test]
fn the_matrix_passes_against_the_core() {
    let groups = case::shipped().unwrap();
    let outcomes = matrix::run_core(&groups).unwrap();
    assert!(
        matrix::all_passed(&outcomes),
        "{}",
        matrix::table(&outcomes)
    );
    let cases: usize = outcomes.iter().map(|o| o.passed).sum();
    assert!(cases >= 60, "only {cases} cases ran");
}

#[test]
fn every_case_is_judged_on_something() {
    for group in case::shipped().unwrap() {
        for c in &group.cases {
            assert!(
                c.status.is_some()
                    || !c.present.is_empty()
                    || !c.absent.is_empty()
                    || c.browser.is_some(),
                "{} / {} checks nothing",
                group.group,
                c.name
            );
        }
    }
}

#[test]
fn a_wrong_expectation_fails() {
    // The judge is not vacuous: the same response against a contradicting case fails.
    let mut groups = case::shipped().unwrap();
    let group = &mut groups[0];
    let case = &mut group.cases[0];
    case.present.insert(
        "access-control-allow-origin".into(),
        "https://wrong.example".into(),
    );
    let outcomes = matrix::run_core(&groups[..1]).unwrap();
    assert!(!matrix::all_passed(&outcomes));
}

/// The whole matrix over HTTP against one adapter's demo server.
fn passes_over_http(adapter: Adapter) {
    let groups = case::shipped().unwrap();
    let outcomes = matrix::run_adapter(adapter, &groups).unwrap();
    assert!(
        matrix::all_passed(&outcomes),
        "{}",
        matrix::table(&outcomes)
    );
    let total: usize = groups.iter().map(|g| g.cases.len()).sum();
    let passed: usize = outcomes.iter().map(|o| o.passed).sum();
    assert_eq!(passed, total);
}

#[test]
fn the_matrix_passes_over_http_against_axum() {
    passes_over_http(Adapter::Axum);
}

#[test]
fn the_matrix_passes_over_http_against_actix() {
    passes_over_http(Adapter::Actix);
}

#[test]
fn the_matrix_passes_over_http_against_rocket() {
    passes_over_http(Adapter::Rocket);
}

#[test]
fn the_matrix_passes_over_http_against_warp() {
    passes_over_http(Adapter::Warp);
}
