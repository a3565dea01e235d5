//! One request the probe sent and the answer it read back.

use std::io::Read;
use std::net::SocketAddr;
use std::time::Instant;

use http::{HeaderMap, StatusCode, Version};

use crate::Client;
use crate::error::Error;

/// The most of a body the probe reads: enough for a refusal's reason (a prefix and 300
/// bytes).
const MAX_BODY: usize = 1024;

/// One exchange the probe made.
///
/// ```no_run
/// # let probe = cors_probe::Probe { url: "https://api.example.com/".into(), origin: "https://app.example.com".into(), method: "GET".into(), headers: vec![], credentials: false };
/// let outcome = probe.run()?;
/// for exchange in outcome.preflight.iter().chain(&outcome.actual) {
///     println!("{} -> {:?} {}", exchange.sent[0], exchange.version, exchange.status);
/// }
/// # Ok::<(), cors_probe::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// The request line (`OPTIONS /api/items?x=1`) and the headers the probe set, as
    /// `name: value` lines (the client adds `host`, and `content-length` for a body).
    pub sent: Vec<String>,
    /// The HTTP version the server answered with: `HTTP/2.0` when it offered HTTP/2 over
    /// TLS, as a browser would use.
    pub version: Version,
    /// The status.
    pub status: StatusCode,
    /// Every header line of the answer.
    pub headers: HeaderMap,
    /// The address the client connected to.
    pub remote: Option<SocketAddr>,
    /// Why the server refused, in its own words, when it says so: the `X-CORS-Rejected`
    /// header, or a body `CORS preflight rejected: ...` / `CORS request rejected: ...`
    /// (cors-core's debug mode), cut to 300 bytes.
    pub server_reason: Option<String>,
}

impl Exchange {
    /// Sends `method url` with `headers` (and an empty body for POST, PUT and PATCH, as
    /// `fetch()` sends one) and reads the answer.
    pub(crate) fn send(
        client: &Client,
        method: &http::Method,
        url: &reqwest::Url,
        headers: &[(String, String)],
    ) -> Result<Exchange, Error> {
        let mut request = client.inner.request(method.clone(), url.clone());
        for (name, value) in headers {
            request = request.header(name.as_str(), value.as_str());
        }
        if matches!(method.as_str(), "POST" | "PUT" | "PATCH") {
            request = request.body(Vec::new());
        }
        let request = request.build().map_err(|e| Error::input(&e))?;
        let mut target = url.path().to_owned();
        if let Some(query) = url.query() {
            target.push('?');
            target.push_str(query);
        }
        let mut sent = vec![format!("{method} {target}")];
        sent.extend(
            request.headers().iter().map(|(name, value)| {
                format!("{name}: {}", String::from_utf8_lossy(value.as_bytes()))
            }),
        );
        let response = client
            .inner
            .execute(request)
            .map_err(|e| Error::network(url, &e))?;
        let (version, status, remote) = (
            response.version(),
            response.status(),
            response.remote_addr(),
        );
        let headers = response.headers().clone();
        // The start of the body, read until MAX_BODY, its end, an error or the deadline: a
        // body cut short is still a body to look for a reason in, and a server that sends
        // a byte at a time is not waited for past the deadline.
        let deadline = Instant::now() + crate::client::TIMEOUT;
        let mut body = Vec::with_capacity(MAX_BODY);
        let mut chunk = [0u8; 256];
        let mut response = response;
        while body.len() < MAX_BODY && Instant::now() < deadline {
            match response.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => body.extend_from_slice(&chunk[..n.min(MAX_BODY - body.len())]),
            }
        }
        Ok(Exchange {
            sent,
            version,
            status,
            server_reason: server_reason(&headers, &body),
            headers,
            remote,
        })
    }
}

/// What a server in cors-core's debug mode says about a refusal: its `X-CORS-Rejected`
/// header, or the first line of a body that starts `CORS preflight rejected: ` or
/// `CORS request rejected: `; at most 300 bytes, control characters dropped.
///
/// ```
/// use cors_probe::server_reason;
///
/// let body = b"CORS preflight rejected: request header `x-token` is not in allowed_headers\n";
/// assert_eq!(
///     server_reason(&http::HeaderMap::new(), body).as_deref(),
///     Some("request header `x-token` is not in allowed_headers")
/// );
/// assert_eq!(server_reason(&http::HeaderMap::new(), b"Forbidden"), None);
/// ```
pub fn server_reason(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    const PREFIXES: [&[u8]; 2] = [b"CORS preflight rejected: ", b"CORS request rejected: "];
    let said = match headers.get(cors_core::X_CORS_REJECTED) {
        Some(value) => value.as_bytes(),
        None => {
            let rest = PREFIXES.iter().find_map(|p| body.strip_prefix(*p))?;
            rest.split(|&b| b == b'\n').next().unwrap_or_default()
        }
    };
    let text: String = String::from_utf8_lossy(&said[..said.len().min(300)])
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    (!text.is_empty()).then_some(text)
}

/// The CORS response headers of a response, in order, as `name: value` lines.
///
/// ```
/// let mut headers = http::HeaderMap::new();
/// headers.insert("content-type", "text/plain".parse().unwrap());
/// headers.insert("access-control-allow-origin", "*".parse().unwrap());
/// assert_eq!(cors_probe::cors_headers(&headers), ["access-control-allow-origin: *"]);
/// ```
pub fn cors_headers(headers: &HeaderMap) -> Vec<String> {
    headers
        .iter()
        .filter(|(name, _)| name.as_str().starts_with("access-control-") || name.as_str() == "vary")
        .map(|(name, value)| format!("{name}: {}", printable(value.as_bytes())))
        .collect()
}

/// A header value as text safe to print on a terminal: invalid UTF-8 replaced, control
/// characters (C0 and C1, which a terminal may obey) escaped.
///
/// ```
/// assert_eq!(cors_probe::printable(b"a\x1b[2Jb\xc2\x9b"), "a\\u{1b}[2Jb\\u{9b}");
/// ```
pub fn printable(value: &[u8]) -> String {
    String::from_utf8_lossy(value)
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}
