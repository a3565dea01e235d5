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

/// The two ways a case reaches a server agree: every case a conforming client can send gets
/// the same status and the same CORS headers through `reqwest` as written byte for byte,
/// and the hostile ones (which only the raw writer sends) are there to be sent that way.
#[test]
fn reqwest_and_the_raw_writer_get_the_same_answers() {
    use conformance::demo::DemoServer;
    use conformance::http_target::{exchange, request_bytes, send, well_formed};

    let groups = case::shipped().unwrap();
    let (mut through_reqwest, mut raw_only) = (0, 0);
    for group in &groups {
        let cors = matrix::policy(group).unwrap();
        let server = DemoServer::start(Adapter::Axum, cors, ([127, 0, 0, 1], 0).into()).unwrap();
        for c in &group.cases {
            if !well_formed(c) {
                raw_only += 1;
                continue;
            }
            through_reqwest += 1;
            let client = send(server.addr(), c).unwrap();
            let raw = exchange(server.addr(), &request_bytes(server.addr(), c))
                .unwrap()
                .response;
            assert_eq!(client.status, raw.status, "{} / {}", group.group, c.name);
            let cors_lines = |headers: &http::HeaderMap| -> Vec<String> {
                headers
                    .iter()
                    .filter(|(n, _)| n.as_str().starts_with("access-control-") || *n == "vary")
                    .map(|(n, v)| format!("{n}: {v:?}"))
                    .collect()
            };
            assert_eq!(
                cors_lines(&client.headers),
                cors_lines(&raw.headers),
                "{} / {}",
                group.group,
                c.name
            );
        }
    }
    eprintln!("{through_reqwest} cases through reqwest, {raw_only} written byte for byte");
    assert!(
        through_reqwest >= 80,
        "{through_reqwest} cases through reqwest"
    );
    assert!(raw_only >= 10, "{raw_only} hostile cases");
}
