//! What a browser concludes from a few answers, without a network; then, given
//! `URL ORIGIN`, what it concludes about a real server.
//!
//! ```text
//! cargo run -p cors-probe --example verdict
//! cargo run -p cors-probe --example verdict -- http://127.0.0.1:8000/api/items http://localhost:3000
//! ```
#![allow(clippy::print_stdout)]

use cors_probe::fetch::{BrowserRequest, cors_check, preflight_check};
use cors_probe::{Error, Probe};
use http::{HeaderMap, HeaderValue, StatusCode};

fn answer(lines: &[(&'static str, &'static str)]) -> HeaderMap {
    lines
        .iter()
        .map(|(name, value)| {
            (
                http::HeaderName::from_static(name),
                HeaderValue::from_static(value),
            )
        })
        .collect()
}

fn main() -> Result<(), Error> {
    let page = "https://app.example.com";
    for (what, credentials, headers) in [
        (
            "`*`, no credentials",
            false,
            answer(&[("access-control-allow-origin", "*")]),
        ),
        (
            "`*`, with credentials",
            true,
            answer(&[("access-control-allow-origin", "*")]),
        ),
        (
            "the origin echoed, credentials allowed",
            true,
            answer(&[
                ("access-control-allow-origin", "https://app.example.com"),
                ("access-control-allow-credentials", "true"),
            ]),
        ),
    ] {
        match cors_check(page, credentials, &headers) {
            Ok(()) => println!("{what}: the page reads the response"),
            Err(refusal) => println!("{what}: blocked: {refusal}"),
        }
    }

    let put = BrowserRequest {
        origin: page.into(),
        method: "PUT".into(),
        headers: vec!["authorization".into()],
        credentials: false,
        private_network: false,
    };
    let star = answer(&[
        ("access-control-allow-origin", "*"),
        ("access-control-allow-methods", "*"),
        ("access-control-allow-headers", "*"),
    ]);
    match preflight_check(&put, StatusCode::NO_CONTENT, &star) {
        Ok(()) => println!("a PUT with Authorization after `*` everywhere: sent"),
        Err(refusal) => {
            println!("a PUT with Authorization after `*` everywhere: blocked: {refusal}")
        }
    }

    let mut args = std::env::args().skip(1);
    if let (Some(url), Some(origin)) = (args.next(), args.next()) {
        let probe = Probe {
            url,
            origin,
            method: "GET".into(),
            headers: vec![],
            credentials: false,
        };
        let outcome = probe.run()?;
        match outcome.blocked {
            None => println!("\n{}: allowed", probe.url),
            Some(blocked) => println!(
                "\n{}: blocked by the {}: {}",
                probe.url, blocked.stage, blocked.reason
            ),
        }
        for note in outcome.notes {
            println!("note: {note}");
        }
    }
    Ok(())
}
