//! A bounded load test of a demo server over loopback: many keep-alive connections sending
//! a mix of allowed and disallowed actual requests and preflights, every response's status
//! and CORS headers checked against what the decision engine says (not only the status).
//!
//! `cargo run -p conformance --release --bin cors-load` runs it against each adapter's demo
//! server in a child process and reports requests/s, errors, wrong answers and the server's
//! memory; `tests/load.rs` runs a small one in process.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cors_core::{Cors, CorsConfig};
use http::HeaderMap;

use crate::case::Case;
use crate::core_target;
use crate::http_target;
use crate::judge::Response;

/// The origin the load policy allows.
pub const ALLOWED: &str = "https://app.example.com";
/// An origin it does not.
pub const DISALLOWED: &str = "https://evil.example.com";

/// The response headers a CORS layer decides; each is compared in full.
const JUDGED: [&str; 8] = [
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-max-age",
    "access-control-expose-headers",
    "access-control-allow-private-network",
    "vary",
];

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

/// One request of the mix: its bytes and the response the decision engine expects.
struct Template {
    name: &'static str,
    bytes: Vec<u8>,
    expected: Response,
}

fn template(
    cors: &Cors,
    name: &'static str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> Template {
    let case = Case {
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
    let mut bytes = format!("{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\n").into_bytes();
    for (n, v) in headers {
        bytes.extend_from_slice(format!("{n}: {v}\r\n").as_bytes());
    }
    bytes.extend_from_slice(b"\r\n");
    Template {
        name,
        bytes,
        expected: core_target::run(cors, &case),
    }
}

/// The four requests of the mix, in the order connections cycle through them.
fn mix(cors: &Cors) -> Vec<Template> {
    vec![
        template(
            cors,
            "allowed GET",
            "GET",
            "/api/items",
            &[("origin", ALLOWED)],
        ),
        template(
            cors,
            "disallowed GET",
            "GET",
            "/api/items",
            &[("origin", DISALLOWED)],
        ),
        template(
            cors,
            "allowed preflight",
            "OPTIONS",
            "/api/items/1",
            &[
                ("origin", ALLOWED),
                ("access-control-request-method", "PUT"),
                (
                    "access-control-request-headers",
                    "content-type,authorization",
                ),
            ],
        ),
        template(
            cors,
            "disallowed preflight",
            "OPTIONS",
            "/api/items/1",
            &[
                ("origin", DISALLOWED),
                ("access-control-request-method", "DELETE"),
            ],
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
    let templates = Arc::new(mix(cors));
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
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = next.fetch_add(1, Ordering::Relaxed);
        if n >= total {
            return outcome;
        }
        let template = &templates[n % templates.len()];
        let result = match stream.take() {
            Some(s) => Ok(s),
            None => open(addr),
        }
        .and_then(|mut s| exchange(&mut s, &template.bytes, &mut buf).map(|raw| (s, raw)));
        match result {
            Ok((s, raw)) => {
                stream = Some(s);
                outcome.answered += 1;
                match http_target::parse(&raw) {
                    Ok(reply) => {
                        if let Some(problem) = judge(template, &reply.response) {
                            outcome.wrong += 1;
                            outcome.first_problem.get_or_insert(problem);
                        }
                    }
                    Err(e) => {
                        outcome.wrong += 1;
                        outcome
                            .first_problem
                            .get_or_insert(format!("{}: {e}", template.name));
                    }
                }
            }
            Err(e) => {
                outcome.errors += 1;
                outcome
                    .first_problem
                    .get_or_insert(format!("{}: {e}", template.name));
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
fn exchange(stream: &mut TcpStream, request: &[u8], buf: &mut [u8]) -> Result<Vec<u8>, String> {
    stream
        .write_all(request)
        .map_err(|e| format!("write: {e}"))?;
    let mut raw = Vec::with_capacity(512);
    loop {
        let n = stream.read(buf).map_err(|e| format!("read: {e}"))?;
        if n == 0 {
            return Err("the server closed the connection".to_owned());
        }
        raw.extend_from_slice(&buf[..n]);
        if http_target::complete(&raw) {
            return Ok(raw);
        }
        if raw.len() > 1 << 20 {
            return Err("response over 1 MB".to_owned());
        }
    }
}

/// Compares the status and every judged header with the engine's answer.
fn judge(template: &Template, got: &Response) -> Option<String> {
    let want = &template.expected;
    if got.status != want.status {
        return Some(format!(
            "{}: status {} instead of {}",
            template.name, got.status, want.status
        ));
    }
    for name in JUDGED {
        let (g, w) = (joined(&got.headers, name), joined(&want.headers, name));
        if g != w {
            return Some(format!(
                "{}: {name} is {g:?} instead of {w:?}",
                template.name
            ));
        }
    }
    None
}

fn joined(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<String> = headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// The resident memory of process `pid`, in KiB (Linux `/proc`), if readable.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
