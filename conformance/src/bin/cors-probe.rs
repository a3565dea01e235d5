//! `cors-probe URL --origin O [--method M] [--header H]... [--credentials] [--json]`: what a
//! browser on page origin O concludes when its script fetches URL.
//!
//! Sends the preflight when a browser would, then the request, and prints both answers'
//! CORS headers and the verdict: allowed, or blocked with the reason (in the Fetch
//! standard's terms) and the fix.
//!
//! Exit status: 0 a browser allows it, 1 a browser blocks it, 2 usage or network error.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use conformance::probe::{Exchange, Outcome, Probe, cors_headers};
use serde_json::json;

const USAGE: &str = "usage: cors-probe URL --origin ORIGIN [--method METHOD] [--header 'NAME: VALUE']... [--credentials] [--json]\n\
    Asks the server at URL (http://) what a browser would for fetch(URL) from a page on ORIGIN.\n\
    exit status: 0 allowed, 1 blocked, 2 usage or network error";

fn parse(mut args: impl Iterator<Item = String>) -> Result<(Probe, bool), String> {
    let (mut url, mut origin, mut method) = (None, None, "GET".to_owned());
    let (mut headers, mut credentials, mut json) = (Vec::new(), false, false);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--origin" => origin = Some(value()?),
            "--method" | "-X" => method = value()?,
            "--header" | "-H" => {
                let header = value()?;
                let (name, value) = header.split_once(':').unwrap_or((&header, "1"));
                let name = name.trim();
                if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
                    return Err(format!("--header: `{header}` is not `Name: value`"));
                }
                headers.push((name.to_owned(), value.trim().to_owned()));
            }
            "--credentials" => credentials = true,
            "--json" => json = true,
            "-h" | "--help" => return Err(String::new()),
            other if other.starts_with('-') => return Err(format!("unknown argument `{other}`")),
            other if url.is_none() => url = Some(other.to_owned()),
            other => return Err(format!("one URL only, `{other}` is a second")),
        }
    }
    if method.is_empty()
        || !method
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    {
        return Err(format!("--method: `{method}` is not a method"));
    }
    let probe = Probe {
        url: url.ok_or("URL is required")?,
        origin: origin
            .ok_or("--origin is required (the page's origin, e.g. http://localhost:3000)")?,
        method,
        headers,
        credentials,
    };
    Ok((probe, json))
}

fn exchange_json(exchange: &Exchange) -> serde_json::Value {
    json!({
        "sent": exchange.sent,
        "status": exchange.response.status.as_u16(),
        "cors_headers": cors_headers(&exchange.response.headers),
    })
}

fn text(probe: &Probe, outcome: &Outcome) -> String {
    let mut out = String::new();
    let credentials = if probe.credentials {
        " with credentials"
    } else {
        ""
    };
    out.push_str(&format!(
        "{} {} from a page on {}{credentials}\n",
        probe.normalised_method(),
        probe.url,
        probe.origin
    ));
    for (name, exchange) in [
        ("preflight", &outcome.preflight),
        ("request", &outcome.actual),
    ] {
        let Some(exchange) = exchange else {
            if name == "preflight" {
                out.push_str("\nno preflight: a browser sends this request directly\n");
            } else {
                out.push_str("\nno request: a browser stops at a failed preflight\n");
            }
            continue;
        };
        out.push_str(&format!("\n{name}:\n"));
        for line in &exchange.sent {
            out.push_str(&format!("  > {line}\n"));
        }
        out.push_str(&format!("  < {}\n", exchange.response.status));
        let cors = cors_headers(&exchange.response.headers);
        if cors.is_empty() {
            out.push_str("  < (no CORS headers)\n");
        }
        for line in cors {
            out.push_str(&format!("  < {line}\n"));
        }
    }
    match &outcome.blocked {
        None => out.push_str(&format!(
            "\nallowed: a browser lets the page on {} read the response\n",
            probe.origin
        )),
        Some(blocked) => {
            out.push_str(&format!(
                "\nblocked by the {}: {}\n",
                blocked.stage, blocked.reason
            ));
            if let Some(said) = &blocked.server_reason {
                out.push_str(&format!("the server says: {said}\n"));
            }
            if let Some(cause) = &blocked.cause {
                out.push_str(&format!("cause: {cause}\n"));
            }
            out.push_str(&format!("fix: {}\n", blocked.fix));
        }
    }
    out
}

fn main() -> ExitCode {
    let (probe, json) = match parse(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("cors-probe: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let outcome = match probe.run() {
        Ok(outcome) => outcome,
        Err(e) => {
            eprintln!("cors-probe: {e}");
            return ExitCode::from(2);
        }
    };
    if json {
        let value = json!({
            "url": probe.url,
            "origin": probe.origin,
            "method": probe.normalised_method(),
            "credentials": probe.credentials,
            "preflight": outcome.preflight.as_ref().map(exchange_json),
            "request": outcome.actual.as_ref().map(exchange_json),
            "verdict": if outcome.blocked.is_none() { "allowed" } else { "blocked" },
            "stage": outcome.blocked.as_ref().map(|b| b.stage),
            "reason": outcome.blocked.as_ref().map(|b| &b.reason),
            "cause": outcome.blocked.as_ref().and_then(|b| b.cause.as_ref()),
            "server_reason": outcome.blocked.as_ref().and_then(|b| b.server_reason.as_ref()),
            "fix": outcome.blocked.as_ref().map(|b| &b.fix),
        });
        println!("{value:#}");
    } else {
        print!("{}", text(&probe, &outcome));
    }
    if outcome.blocked.is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
