//! A small load run against each adapter's demo server, in process: every answer, under 16
//! concurrent keep-alive connections, must carry exactly the CORS headers the engine gives.
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use std::net::{Ipv4Addr, SocketAddr};

use conformance::demo::{Adapter, DemoServer};
use conformance::load::{self, Options};

/// Serves the demo app behind `adapter` with `served`, and runs the load judged by the
/// load policy.
fn load(
    adapter: Adapter,
    served: cors_core::Cors,
    requests: usize,
    connections: usize,
) -> load::Outcome {
    let server =
        DemoServer::start(adapter, served, SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).unwrap();
    load::run(
        server.addr(),
        &load::policy(),
        Options {
            requests,
            connections,
        },
    )
}

#[test]
fn every_adapter_answers_every_request_rightly_under_load() {
    for adapter in Adapter::ALL {
        let outcome = load(adapter, load::policy(), 4_000, 16);
        assert_eq!(
            outcome.answered, 4_000,
            "{adapter}: {:?}",
            outcome.first_problem
        );
        assert_eq!(outcome.errors, 0, "{adapter}: {:?}", outcome.first_problem);
        assert_eq!(outcome.wrong, 0, "{adapter}: {:?}", outcome.first_problem);
    }
}

#[test]
fn a_server_with_another_policy_is_caught() {
    // The same load judged against a policy the server does not run: wrong answers.
    let other = cors_core::CorsConfig::new()
        .allowed_origins([load::ALLOWED, load::DISALLOWED])
        .build()
        .unwrap();
    let outcome = load(Adapter::Axum, other, 400, 4);
    assert_eq!(outcome.errors, 0);
    assert_eq!(outcome.wrong, 400, "{:?}", outcome.first_problem);
}
