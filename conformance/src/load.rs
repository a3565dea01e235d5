//! A bounded load test of a demo server over loopback: many keep-alive connections sending
//! a mix of allowed and disallowed actual requests and preflights, every response's status
//! and CORS headers checked against what the decision engine says (not only the status).
//!
//! `cargo run -p conformance --release --bin cors-load` runs it against each adapter's demo
//! server in a child process and reports requests/s, errors, wrong answers and the server's
//! memory; `tests/load.rs` runs a small one in process.

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cors_core::{Cors, CorsConfig, OWNED_HEADERS};
use http::header::VARY;

use crate::case::Case;
use crate::core_target;
use crate::http_target;
use crate::judge::judge;

/// The origin the load policy allows.
pub const ALLOWED: &str = "https://app.example.com";
/// An origin it does not.
pub const DISALLOWED: &str = "https://evil.example.com";

/// The policy the load test runs under.
///
/// ```
/// assert!(conformance::load::policy().is_origin_allowed(b"https://app.example.com"));
/// ```
pub fn policy() -> Cors {
    CorsConfig::new()
        .allowed_origins([ALLOWED])
        .allowed_methods(["GET", "POST", "PUT", "DELETE"])
        .allowed_headers(["content-type", "authorization"])
        .expose_headers(["x-request-id"])
        .allow_credentials(true)
        .max_age(600)
        .build()
        .expect("the load policy is valid")
}

/// One request of the mix: its bytes, and as a matrix case the answer the decision engine
/// gives (its status, every CORS header it sets, exactly, and the absence of the others).
struct Template {
    bytes: Vec<u8>,
    case: Case,
}

fn template(
    addr: SocketAddr,
    cors: &Cors,
    name: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> Template {
    let mut case = Case {
        name: name.to_owned(),
        method: method.to_owned(),
        path: path.to_owned(),
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        credentials: false,
        status: None,
        present: Default::default(),
        absent: Vec::new(),
        browser: None,
        on: Default::default(),
    };
    let expected = core_target::run(cors, &case);
    case.status = Some(expected.status.as_u16());
    for name in OWNED_HEADERS.iter().chain([&VARY]) {
        let lines: Vec<&[u8]> = expected
            .headers
            .get_all(name)
            .iter()
            .map(|v| v.as_bytes())
            .collect();
        if lines.is_empty() {
            case.absent.push(name.as_str().to_owned());
        } else {
            let joined = String::from_utf8_lossy(&lines.join(&b", "[..])).into_owned();
            case.present.insert(name.as_str().to_owned(), joined);
        }
    }
    Template {
        bytes: http_target::keep_alive_request_bytes(addr, &case),
        case,
    }
}

/// The four requests of the mix, in the order connections cycle through them.
fn mix(addr: SocketAddr, cors: &Cors) -> Vec<Template> {
    let get = |origin| [("origin", origin)];
    let preflight = |origin| {
        [
            ("origin", origin),
            ("access-control-request-method", "PUT"),
            (
                "access-control-request-headers",
                "content-type,authorization",
            ),
        ]
    };
    let (items, item) = ("/api/items", "/api/items/1");
    vec![
        template(addr, cors, "allowed GET", "GET", items, &get(ALLOWED)),
        template(addr, cors, "disallowed GET", "GET", items, &get(DISALLOWED)),
        template(
            addr,
            cors,
            "allowed preflight",
            "OPTIONS",
            item,
            &preflight(ALLOWED),
        ),
        template(
            addr,
            cors,
            "disallowed preflight",
            "OPTIONS",
            item,
            &preflight(DISALLOWED),
        ),
    ]
}

/// How much load.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Requests in all.
    pub requests: usize,
    /// Concurrent keep-alive connections.
    pub connections: usize,
}

/// What a run measured.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Requests answered (right or wrong).
    pub answered: usize,
    /// Requests that got no parseable answer (connection or protocol errors).
    pub errors: usize,
    /// Answers whose status or CORS headers differ from the engine's.
    pub wrong: usize,
    /// The first wrong answer or error, described.
    pub first_problem: Option<String>,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
}

impl Outcome {
    /// Answered requests per second.
    pub fn per_second(&self) -> f64 {
        self.answered as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Sends `options.requests` requests of the mix to `addr` over `options.connections`
/// keep-alive connections (one thread each) and judges every answer.
pub fn run(addr: SocketAddr, cors: &Cors, options: Options) -> Outcome {
    let templates = Arc::new(mix(addr, cors));
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let workers: Vec<_> = (0..options.connections.max(1))
        .map(|_| {
            let templates = Arc::clone(&templates);
            let next = Arc::clone(&next);
            let total = options.requests;
            std::thread::spawn(move || connection(addr, &templates, &next, total))
        })
        .collect();
    let mut outcome = Outcome::default();
    for worker in workers {
        let part = worker.join().unwrap_or_else(|_| Outcome {
            errors: 1,
            first_problem: Some("a load thread panicked".to_owned()),
            ..Outcome::default()
        });
        outcome.answered += part.answered;
        outcome.errors += part.errors;
        outcome.wrong += part.wrong;
        outcome.first_problem = outcome.first_problem.or(part.first_problem);
    }
    outcome.elapsed = start.elapsed();
    outcome
}

/// One connection's share: takes request numbers until `total` are taken, reconnecting
/// after an error.
fn connection(
    addr: SocketAddr,
    templates: &[Template],
    next: &AtomicUsize,
    total: usize,
) -> Outcome {
    let mut outcome = Outcome::default();
    let mut stream: Option<TcpStream> = None;
    loop {
        let n = next.fetch_add(1, Ordering::Relaxed);
        if n >= total {
            return outcome;
        }
        let template = &templates[n % templates.len()];
        let name = &template.case.name;
        let result = match stream.take() {
            Some(s) => Ok(s),
            None => open(addr),
        }
        .and_then(|mut s| exchange(&mut s, &template.bytes).map(|raw| (s, raw)));
        match result {
            Ok((s, raw)) => {
                stream = Some(s);
                outcome.answered += 1;
                let problems = match http_target::parse(&raw) {
                    Ok(reply) => judge(&template.case, &reply.response),
                    Err(e) => vec![e],
                };
                if !problems.is_empty() {
                    outcome.wrong += 1;
                    outcome
                        .first_problem
                        .get_or_insert_with(|| format!("{name}: {}", problems.join("; ")));
                }
            }
            Err(e) => {
                outcome.errors += 1;
                outcome
                    .first_problem
                    .get_or_insert_with(|| format!("{name}: {e}"));
            }
        }
    }
}

fn open(addr: SocketAddr) -> Result<TcpStream, String> {
    let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))
        .map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    Ok(stream)
}

/// Writes one request on a keep-alive connection and reads exactly its response.
fn exchange(stream: &mut TcpStream, request: &[u8]) -> Result<Vec<u8>, String> {
    stream
        .write_all(request)
        .map_err(|e| format!("write: {e}"))?;
    let raw = http_target::read_response(stream)?;
    if http_target::complete(&raw) {
        Ok(raw)
    } else {
        Err("the server closed the connection or sent an incomplete response".to_owned())
    }
}

/// The resident memory of process `pid`, in KiB (Linux `/proc`), if readable.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
