//! `cors probe`: ask a real server (`http://` or `https://`) what a browser would, and say
//! what the browser concludes. The requests and the verdict are `cors_probe`'s; this module
//! reads the command line and prints.

use std::fmt::Write;

use cors_probe::{Client, Error, Exchange, Outcome, Probe, Trust, cors_headers};
use serde_json::json;

/// The request to probe.
#[derive(Debug, Clone, clap::Args)]
pub struct Request {
    /// The URL the page's script fetches: http:// or https://.
    pub url: String,
    /// The origin of the page that makes the request, such as `http://localhost:3000`.
    #[arg(long)]
    pub origin: String,
    /// The request's method, as the script passes it to fetch.
    #[arg(short = 'X', long, default_value = "GET")]
    pub method: String,
    /// A request header the script sets, `Name: value` (repeat for several; a name alone is
    /// sent with the value `1`).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// The script passes `credentials: 'include'`.
    #[arg(long)]
    pub credentials: bool,
    /// Print the exchanges and the verdict as JSON (`"verdict": "error"` with the message
    /// when there is no verdict; the message goes to standard error as well).
    #[arg(long)]
    pub json: bool,
    /// Also trust the certificate authorities in this PEM file (a private CA, a test CA; a
    /// self-signed server certificate is refused, as browsers refuse it); the Mozilla roots
    /// are always trusted.
    #[arg(long, value_name = "FILE")]
    pub cacert: Vec<String>,
    /// Accept any certificate for any name: the server is not authenticated.
    #[arg(long)]
    pub insecure: bool,
}

/// Runs the probe: the text to print (or JSON) and whether a browser allows the request; an
/// error line when there is no verdict (bad input, a certificate not trusted, a server not
/// there).
///
/// ```
/// use clap::Parser;
///
/// let cli = cors_cli::Cli::try_parse_from([
///     "cors", "probe", "ftp://example.com/", "--origin", "https://app.example.com",
/// ])?;
/// let cors_cli::Command::Probe(request) = cli.command else { unreachable!() };
/// let error = cors_cli::probe::run(&request).unwrap_err();
/// assert_eq!(error, "`ftp://example.com/` is not an http:// or https:// URL");
/// # Ok::<(), clap::Error>(())
/// ```
pub fn run(request: &Request) -> Result<(String, bool), String> {
    let mut headers = Vec::with_capacity(request.headers.len());
    for header in &request.headers {
        let (name, value) = header.split_once(':').unwrap_or((header, "1"));
        let name = name.trim_matches([' ', '\t']);
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(format!("--header: `{header}` is not `Name: value`"));
        }
        headers.push((name.to_owned(), value.trim_matches([' ', '\t']).to_owned()));
    }
    let probe = Probe {
        url: request.url.clone(),
        origin: request.origin.clone(),
        method: request.method.clone(),
        headers,
        credentials: request.credentials,
    };
    let mut trust = Trust {
        insecure: request.insecure,
        ..Trust::default()
    };
    for file in &request.cacert {
        let pem = std::fs::read(file).map_err(|e| format!("--cacert {file}: {e}"))?;
        trust = trust
            .with_pem(pem)
            .map_err(|e| format!("--cacert {file}: {e}"))?;
    }
    let outcome = Client::new(&trust)
        .and_then(|client| probe.run_with(&client))
        .map_err(|e| match e {
            Error::Certificate(text) => format!(
                "{text} (to trust a private or test CA: --cacert FILE; to skip the check: \
                 --insecure)"
            ),
            other => other.to_string(),
        })?;
    let allowed = outcome.blocked.is_none();
    let out = if request.json {
        format!("{:#}\n", as_json(&probe, &outcome))
    } else {
        text(&probe, &outcome)
    };
    Ok((out, allowed))
}

fn exchange_json(exchange: &Exchange) -> serde_json::Value {
    json!({
        "sent": exchange.sent,
        "http_version": format!("{:?}", exchange.version),
        "status": exchange.status.as_u16(),
        "cors_headers": cors_headers(&exchange.headers),
        "server_reason": exchange.server_reason,
    })
}

fn as_json(probe: &Probe, outcome: &Outcome) -> serde_json::Value {
    let blocked = outcome.blocked.as_ref();
    let redirects: Vec<serde_json::Value> = outcome
        .redirects
        .iter()
        .map(|r| {
            json!({
                "url": r.url,
                "origin": r.origin,
                "method": r.method,
                "preflight": r.preflight.as_ref().map(exchange_json),
                "request": r.actual.as_ref().map(exchange_json),
            })
        })
        .collect();
    json!({
        "url": probe.url,
        "origin": probe.origin,
        "method": probe.normalised_method(),
        "credentials": probe.credentials,
        "preflight": outcome.preflight.as_ref().map(exchange_json),
        "request": outcome.actual.as_ref().map(exchange_json),
        "redirects": redirects,
        "verdict": if blocked.is_none() { "allowed" } else { "blocked" },
        "stage": blocked.map(|b| b.stage),
        "reason": blocked.map(|b| &b.reason),
        "cause": blocked.and_then(|b| b.cause.as_ref()),
        "server_reason": blocked.and_then(|b| b.server_reason.as_ref()),
        "fix": blocked.map(|b| &b.fix),
        "notes": outcome.notes,
    })
}

/// One request of the chain: its preflight and the request, or what was not sent.
fn exchanges(out: &mut String, preflight: Option<&Exchange>, actual: Option<&Exchange>) {
    if preflight.is_none() && actual.is_none() {
        return;
    }
    for (name, exchange) in [("preflight", preflight), ("request", actual)] {
        let Some(exchange) = exchange else {
            if name == "preflight" {
                out.push_str("\nno preflight: a browser sends this request directly\n");
            } else {
                out.push_str("\nno request: a browser stops at a failed preflight\n");
            }
            continue;
        };
        let _ = writeln!(out, "\n{name}:");
        for line in &exchange.sent {
            let _ = writeln!(out, "  > {line}");
        }
        let _ = writeln!(out, "  < {:?} {}", exchange.version, exchange.status);
        let cors = cors_headers(&exchange.headers);
        if cors.is_empty() {
            out.push_str("  < (no CORS headers)\n");
        }
        for line in cors {
            let _ = writeln!(out, "  < {line}");
        }
    }
}

/// The exchanges, the verdict and the notes, as `cors probe` prints them.
fn text(probe: &Probe, outcome: &Outcome) -> String {
    let mut out = String::new();
    let credentials = if probe.credentials {
        " with credentials"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "{} {} from a page on {}{credentials}",
        probe.normalised_method(),
        probe.url,
        probe.origin
    );
    exchanges(
        &mut out,
        outcome.preflight.as_ref(),
        outcome.actual.as_ref(),
    );
    for redirect in &outcome.redirects {
        let _ = writeln!(
            out,
            "\nredirected: {} {} with Origin: {}",
            redirect.method, redirect.url, redirect.origin
        );
        exchanges(
            &mut out,
            redirect.preflight.as_ref(),
            redirect.actual.as_ref(),
        );
    }
    match &outcome.blocked {
        None => {
            let _ = writeln!(
                out,
                "\nallowed: a browser lets the page on {} read the response",
                probe.origin
            );
        }
        Some(blocked) => {
            let _ = writeln!(
                out,
                "\nblocked by the {}: {}",
                blocked.stage, blocked.reason
            );
            if let Some(said) = &blocked.server_reason {
                let _ = writeln!(out, "the server says: {said}");
            }
            if let Some(cause) = &blocked.cause {
                let _ = writeln!(out, "cause: {cause}");
            }
            let _ = writeln!(out, "fix: {}", blocked.fix);
        }
    }
    for note in &outcome.notes {
        let _ = writeln!(out, "note: {note}");
    }
    out
}
