//! `cors-probe` against the demo app on every adapter, and against a server that is not
//! ours: allowed and blocked requests, the reason, the cause, the fix and the exit status.
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::process::{Command, Output};

use conformance::demo::{Adapter, DemoServer};
use cors_core::CorsConfig;

const BIN: &str = env!("CARGO_BIN_EXE_cors-probe");
const FRONT: &str = "http://localhost:3000";

fn probe(args: &[&str]) -> (Option<i32>, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(BIN).args(args).output().unwrap();
    let mut text = String::from_utf8(stdout).unwrap();
    text.push_str(&String::from_utf8(stderr).unwrap());
    (status.code(), text)
}

fn has_line(text: &str, line: &str) {
    assert!(
        text.lines().any(|l| l == line),
        "missing {line:?} in:\n{text}"
    );
}

/// The demo app on each adapter in turn, behind `config` (which allows the front end), on
/// an ephemeral port; the server stops when `check` returns.
fn on_every_adapter(config: CorsConfig, check: impl Fn(Adapter, &str)) {
    let cors = config.allowed_origins([FRONT]).build().unwrap();
    for adapter in Adapter::ALL {
        let server =
            DemoServer::start(adapter, cors.clone(), SocketAddr::from(([127, 0, 0, 1], 0)))
                .unwrap();
        check(adapter, &format!("http://{}", server.addr()));
    }
}

#[test]
fn the_demo_app_on_every_adapter() {
    on_every_adapter(
        CorsConfig::new().allow_credentials(true),
        |adapter, base| {
            let items = format!("{base}/api/items");

            let (code, text) = probe(&[&items, "--origin", FRONT]);
            assert_eq!(code, Some(0), "{adapter:?}: {text}");
            has_line(&text, "no preflight: a browser sends this request directly");
            has_line(
                &text,
                "  < access-control-allow-origin: http://localhost:3000",
            );
            has_line(
                &text,
                "allowed: a browser lets the page on http://localhost:3000 read the response",
            );

            let (code, text) = probe(&[&items, "--origin", "http://evil.example"]);
            assert_eq!(code, Some(1), "{adapter:?}: {text}");
            has_line(
                &text,
                "blocked by the response: no Access-Control-Allow-Origin header is present",
            );
            assert!(
                text.contains("fix: the server does not allow `http://evil.example`"),
                "{text}"
            );

            let one = format!("{base}/api/items/1");
            let (code, text) = probe(&[
                &one,
                "--origin",
                FRONT,
                "-X",
                "PUT",
                "-H",
                "content-type: application/json",
                "--credentials",
            ]);
            assert_eq!(code, Some(0), "{adapter:?}: {text}");
            has_line(&text, "  > access-control-request-method: PUT");
            has_line(&text, "  > access-control-request-headers: content-type");
            has_line(&text, "  < access-control-allow-credentials: true");

            let (code, text) = probe(&[&items, "--origin", FRONT, "-H", "X-Token: 1"]);
            assert_eq!(code, Some(1), "{adapter:?}: {text}");
            has_line(
                &text,
                "blocked by the preflight: no Access-Control-Allow-Origin header is present",
            );
            has_line(
                &text,
                "cause: request header `x-token` is not allowed: the server answers a preflight from this origin without it, not with it",
            );
            assert!(
                text.contains("fix: add `x-token` to the allowed headers (`allowed_headers` here"),
                "{text}"
            );
            has_line(&text, "no request: a browser stops at a failed preflight");
            assert!(
                !text.contains("the server says"),
                "not in debug mode: {text}"
            );

            let (code, text) = probe(&[&one, "--origin", FRONT, "-X", "PURGE", "--json"]);
            assert_eq!(code, Some(1), "{adapter:?}: {text}");
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(value["verdict"], "blocked");
            assert_eq!(value["stage"], "preflight");
            assert_eq!(value["preflight"]["status"], 403);
            assert!(value["request"].is_null());
            assert!(
                value["cause"]
                    .as_str()
                    .unwrap()
                    .starts_with("method `PURGE` is not allowed")
            );
            assert!(
                value["fix"]
                    .as_str()
                    .unwrap()
                    .starts_with("add `PURGE` to the allowed methods")
            );
            assert!(value["server_reason"].is_null());
        },
    );
}

#[test]
fn a_server_in_debug_mode_says_why_and_the_probe_shows_it() {
    on_every_adapter(CorsConfig::new().debug(true), |adapter, base| {
        let items = format!("{base}/api/items");

        let (code, text) = probe(&[&items, "--origin", "http://evil.example"]);
        assert_eq!(code, Some(1), "{adapter:?}: {text}");
        has_line(
            &text,
            "the server says: the origin is not allowed by allowed_origins, allowed_origin_regexes or the origin predicate",
        );

        let (code, text) = probe(&[&items, "--origin", FRONT, "-H", "X-Token: 1", "--json"]);
        assert_eq!(code, Some(1), "{adapter:?}: {text}");
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["stage"], "preflight");
        assert_eq!(
            value["server_reason"],
            "request header `x-token` is not in allowed_headers"
        );
        // The probe's own finding agrees.
        assert!(
            value["cause"]
                .as_str()
                .unwrap()
                .starts_with("request header `x-token` is not allowed")
        );
    });
}

/// A server that answers every request with `*` for everything, as many do.
fn star_server(connections: usize) -> (SocketAddr, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let thread = std::thread::spawn(move || {
        for stream in listener.incoming().take(connections) {
            let mut stream = stream.unwrap();
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = stream.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buf[..n]);
            }
            stream
                .write_all(
                    b"HTTP/1.1 200 OK\r\naccess-control-allow-origin: *\r\n\
                      access-control-allow-methods: *\r\naccess-control-allow-headers: *\r\n\
                      content-length: 0\r\nconnection: close\r\n\r\n",
                )
                .unwrap();
        }
    });
    (addr, thread)
}

#[test]
fn a_server_that_answers_star() {
    let (addr, server) = star_server(4);
    let url = format!("http://{addr}/data");
    let (code, text) = probe(&[&url, "--origin", FRONT, "-H", "Authorization: Bearer x"]);
    assert_eq!(code, Some(1), "{text}");
    has_line(
        &text,
        "blocked by the preflight: Access-Control-Allow-Headers does not list `authorization` (a `*` never covers Authorization)",
    );
    assert!(
        text.contains("fix: list `authorization` in the allowed headers by name"),
        "{text}"
    );

    let (code, text) = probe(&[&url, "--origin", FRONT, "--credentials"]);
    assert_eq!(code, Some(1), "{text}");
    has_line(
        &text,
        "blocked by the response: Access-Control-Allow-Origin is `*` but the request includes credentials",
    );

    let (code, text) = probe(&[&url, "--origin", FRONT, "-X", "DELETE"]);
    assert_eq!(code, Some(0), "{text}");
    server.join().unwrap();
}

#[test]
fn usage_and_network_errors_exit_2() {
    for args in [
        &["http://127.0.0.1:1/"][..],
        &["--origin", FRONT],
        &["https://example.com/", "--origin", FRONT],
        &["http://127.0.0.1:1/", "--origin", FRONT, "--header", ": x"],
        &[
            "http://127.0.0.1:1/",
            "--origin",
            FRONT,
            "--method",
            "GET POST",
        ],
    ] {
        let (code, text) = probe(args);
        assert_eq!(code, Some(2), "{args:?}: {text}");
    }
    // Nothing listens on a port just released.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (code, text) = probe(&[&format!("http://127.0.0.1:{port}/"), "--origin", FRONT]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("connect"), "{text}");
}
