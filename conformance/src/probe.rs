//! `cors-probe`: ask a server what a browser would, and say what the browser concludes.
//!
//! The probe sends what a browser sends for a `fetch()` from a page on `origin`: the
//! preflight when the Fetch standard calls for one (a method other than GET, HEAD and POST,
//! or a request header that is not CORS-safelisted), then, unless the preflight fails, the
//! request itself. Each response is judged by [`crate::fetch`], and a blocked request gets
//! the reason and the fix. A server of this workspace in debug mode also says why itself
//! (`X-CORS-Rejected`, or a refused preflight's body); the probe shows that too.
//!
//! Plain `http://` only: the probe writes HTTP/1.1 itself and has no TLS. Probe the server
//! behind its TLS terminator, or the same app locally.

use std::net::{SocketAddr, ToSocketAddrs};

use http::HeaderMap;

use crate::fetch::{BrowserRequest, Refusal, cors_check, preflight_check, unsafe_request_headers};
use crate::http_target::exchange;
use crate::judge::Response;

/// What to ask: the request a page would make.
///
/// ```
/// use conformance::probe::Probe;
///
/// // fetch(url, {method: 'PUT', credentials: 'include'}) from a page on localhost:3000
/// let probe = Probe {
///     url: "http://127.0.0.1:8000/api/items/1".into(),
///     origin: "http://localhost:3000".into(),
///     method: "put".into(),
///     headers: vec![],
///     credentials: true,
/// };
/// assert_eq!(probe.normalised_method(), "PUT");
/// assert!(probe.needs_preflight());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// `http://host[:port]/path?query`.
    pub url: String,
    /// The page's origin: `http://localhost:3000`.
    pub origin: String,
    /// The method, as `fetch()` is given it.
    pub method: String,
    /// Request headers as `fetch()` is given them: name and value.
    pub headers: Vec<(String, String)>,
    /// `credentials: 'include'`.
    pub credentials: bool,
}

/// One exchange the probe made.
///
/// ```no_run
/// # let probe = conformance::probe::Probe { url: "http://127.0.0.1:8000/".into(), origin: "http://localhost:3000".into(), method: "GET".into(), headers: vec![], credentials: false };
/// let outcome = probe.run().unwrap();
/// for exchange in outcome.preflight.iter().chain(&outcome.actual) {
///     println!("{} -> {}", exchange.sent[0], exchange.response.status);
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// The request line and headers sent.
    pub sent: Vec<String>,
    /// What came back.
    pub response: Response,
    /// Why the server refused, in its own words, when it says so: the `X-CORS-Rejected`
    /// header, or a body `CORS preflight rejected: ...` / `CORS request rejected: ...`
    /// (cors-core's debug mode), cut to 300 bytes.
    pub server_reason: Option<String>,
}

/// Where the browser stops, and why.
///
/// ```no_run
/// # let probe = conformance::probe::Probe { url: "http://127.0.0.1:8000/".into(), origin: "http://localhost:3000".into(), method: "GET".into(), headers: vec![], credentials: false };
/// if let Some(blocked) = probe.run().unwrap().blocked {
///     println!("blocked by the {}: {}\nfix: {}", blocked.stage, blocked.reason, blocked.fix);
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    /// `preflight` or `response`.
    pub stage: &'static str,
    /// The failed check, in the Fetch standard's terms.
    pub reason: String,
    /// When the server refused the preflight outright (no CORS headers at all), what
    /// narrower preflights found at fault: the origin, the method or one header.
    pub cause: Option<String>,
    /// Why the server refused, in its own words, when it says so (see
    /// [`Exchange::server_reason`]).
    pub server_reason: Option<String>,
    /// What to change on the server.
    pub fix: String,
}

/// What the probe saw and concluded: see [`Probe::run`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The preflight, when a browser sends one.
    pub preflight: Option<Exchange>,
    /// The request itself; `None` when the preflight failed (browsers stop there).
    pub actual: Option<Exchange>,
    /// `None`: a browser lets the page read the response.
    pub blocked: Option<Blocked>,
}

impl Probe {
    /// The method as a browser sends it: `delete`, `get`, `head`, `options`, `post` and
    /// `put` are upper-cased (Fetch's "normalize a method"), others are kept.
    pub fn normalised_method(&self) -> String {
        cors_core::normalise_method(&self.method).to_owned()
    }

    /// The headers the preflight must ask about: the non-CORS-safelisted ones, lower
    /// case, sorted, without duplicates (as browsers list them).
    ///
    /// ```
    /// use conformance::probe::Probe;
    ///
    /// let probe = Probe {
    ///     url: "http://127.0.0.1:8000/api".into(),
    ///     origin: "http://localhost:3000".into(),
    ///     method: "GET".into(),
    ///     headers: vec![
    ///         ("Content-Type".into(), "application/json".into()),
    ///         ("Accept".into(), "*/*".into()),
    ///         ("Authorization".into(), "Bearer x".into()),
    ///     ],
    ///     credentials: false,
    /// };
    /// assert_eq!(probe.unsafe_headers(), ["authorization", "content-type"]);
    /// assert!(probe.needs_preflight());
    /// ```
    pub fn unsafe_headers(&self) -> Vec<String> {
        unsafe_request_headers(self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())))
    }

    /// Whether a browser sends a preflight first.
    ///
    /// ```
    /// use conformance::probe::Probe;
    ///
    /// let mut probe = Probe {
    ///     url: "http://127.0.0.1:8000/".into(),
    ///     origin: "http://localhost:3000".into(),
    ///     method: "POST".into(),
    ///     headers: vec![("Content-Type".into(), "text/plain".into())],
    ///     credentials: false,
    /// };
    /// assert!(!probe.needs_preflight()); // a "simple" request
    /// probe.headers[0].1 = "application/json".into();
    /// assert!(probe.needs_preflight());
    /// ```
    pub fn needs_preflight(&self) -> bool {
        !matches!(self.normalised_method().as_str(), "GET" | "HEAD" | "POST")
            || !self.unsafe_headers().is_empty()
    }

    /// Sends the preflight (when needed) and the request, and judges both. An error for a
    /// URL that is not plain `http://` or a server that cannot be reached.
    ///
    /// ```
    /// use conformance::demo::{Adapter, DemoServer};
    /// use conformance::probe::Probe;
    ///
    /// let cors = cors_core::CorsConfig::new().allowed_origins(["http://localhost:3000"]).build().unwrap();
    /// let server = DemoServer::start(Adapter::Warp, cors, ([127, 0, 0, 1], 0).into()).unwrap();
    /// let probe = Probe {
    ///     url: format!("http://{}/api/items", server.addr()),
    ///     origin: "http://localhost:3000".into(),
    ///     method: "DELETE".into(),
    ///     headers: vec![],
    ///     credentials: false,
    /// };
    /// let outcome = probe.run().unwrap();
    /// assert!(outcome.preflight.is_some());
    /// assert!(outcome.blocked.is_none()); // a browser lets the page read the answer
    /// ```
    pub fn run(&self) -> Result<Outcome, String> {
        let target = Target::parse(&self.url)?;
        let method = self.normalised_method();
        let unsafe_headers = self.unsafe_headers();
        let browser = BrowserRequest {
            origin: self.origin.clone(),
            method: method.clone(),
            headers: unsafe_headers.clone(),
            credentials: self.credentials,
            private_network: false,
        };
        let mut outcome = Outcome {
            preflight: None,
            actual: None,
            blocked: None,
        };
        if self.needs_preflight() {
            let mut lines = vec![
                format!("OPTIONS {} HTTP/1.1", target.path),
                format!("origin: {}", self.origin),
                format!("access-control-request-method: {method}"),
            ];
            if !unsafe_headers.is_empty() {
                lines.push(format!(
                    "access-control-request-headers: {}",
                    unsafe_headers.join(",")
                ));
            }
            let exchange = target.send(lines)?;
            let verdict = preflight_check(
                &browser,
                exchange.response.status,
                &exchange.response.headers,
            );
            let said = exchange.server_reason.clone();
            outcome.preflight = Some(exchange);
            if let Err(refusal) = verdict {
                let found = match refusal {
                    Refusal::NoAllowOrigin => self.diagnose(&target, &browser)?,
                    _ => None,
                };
                let (at_fault, cause) = match &found {
                    Some((at_fault, cause)) => (at_fault, Some(cause.clone())),
                    None => (&refusal, None),
                };
                outcome.blocked = Some(Blocked {
                    stage: "preflight",
                    fix: fix(at_fault, self),
                    reason: refusal.to_string(),
                    cause,
                    server_reason: said,
                });
                return Ok(outcome);
            }
        }
        let mut lines = vec![
            format!("{method} {} HTTP/1.1", target.path),
            format!("origin: {}", self.origin),
        ];
        lines.extend(self.headers.iter().map(|(n, v)| format!("{n}: {v}")));
        if matches!(method.as_str(), "POST" | "PUT" | "PATCH") {
            lines.push("content-length: 0".to_owned());
        }
        let exchange = target.send(lines)?;
        if let Err(refusal) = cors_check(&self.origin, self.credentials, &exchange.response.headers)
        {
            outcome.blocked = Some(Blocked {
                stage: "response",
                fix: fix(&refusal, self),
                reason: refusal.to_string(),
                cause: None,
                server_reason: exchange.server_reason.clone(),
            });
        }
        outcome.actual = Some(exchange);
        Ok(outcome)
    }
}

impl Probe {
    /// A preflight refused without CORS headers says nothing of why. Narrower preflights
    /// find it: the origin with `GET` alone, then the method alone, then each header alone.
    /// These are extra requests no browser sends; their finding is a cause, not the verdict:
    /// the refusal they point at, and the cause as printed.
    fn diagnose(
        &self,
        target: &Target,
        browser: &BrowserRequest,
    ) -> Result<Option<(Refusal, String)>, String> {
        let passes = |method: &str, header: Option<&str>| -> Result<bool, String> {
            let mut lines = vec![
                format!("OPTIONS {} HTTP/1.1", target.path),
                format!("origin: {}", self.origin),
                format!("access-control-request-method: {method}"),
            ];
            lines.extend(header.map(|h| format!("access-control-request-headers: {h}")));
            let exchange = target.send(lines)?;
            let one = BrowserRequest {
                method: method.to_owned(),
                headers: header.into_iter().map(str::to_owned).collect(),
                ..browser.clone()
            };
            Ok(preflight_check(&one, exchange.response.status, &exchange.response.headers).is_ok())
        };
        if !passes("GET", None)? {
            return Ok(None);
        }
        if !passes(&browser.method, None)? {
            return Ok(Some((
                Refusal::Method(browser.method.clone()),
                format!(
                    "method `{}` is not allowed: the server answers a preflight from this origin for GET, not for {}",
                    browser.method, browser.method
                ),
            )));
        }
        for header in &browser.headers {
            if !passes(&browser.method, Some(header))? {
                return Ok(Some((
                    Refusal::Header(header.clone()),
                    format!(
                        "request header `{header}` is not allowed: the server answers a preflight from this origin without it, not with it"
                    ),
                )));
            }
        }
        Ok(None)
    }
}

/// What to change on the server for a failed check.
///
/// ```
/// use conformance::fetch::Refusal;
/// use conformance::probe::{fix, Probe};
///
/// let probe = Probe {
///     url: "http://127.0.0.1:8000/".into(),
///     origin: "http://localhost:3000".into(),
///     method: "GET".into(),
///     headers: vec![],
///     credentials: true,
/// };
/// let fix = fix(&Refusal::WildcardWithCredentials, &probe);
/// assert!(fix.starts_with("with credentials the server must answer the origin itself"));
/// ```
pub fn fix(refusal: &Refusal, probe: &Probe) -> String {
    let origin = &probe.origin;
    let settings = |here: &str, django: &str, fastapi: &str| {
        format!("(`{here}` here, `{django}` in django-cors-headers, `{fastapi}` in FastAPI)")
    };
    match refusal {
        Refusal::NoAllowOrigin => format!(
            "the server does not allow `{origin}`: add it to the allowed origins {}; if it is \
             there, compare scheme, host and port: they must match exactly",
            settings("allowed_origins", "CORS_ALLOWED_ORIGINS", "allow_origins")
        ),
        Refusal::AllowOriginRepeated => {
            "two layers add CORS headers (a proxy and the app, or two middlewares): keep one"
                .to_owned()
        }
        Refusal::WildcardWithCredentials => format!(
            "with credentials the server must answer the origin itself, never `*`: list \
             `{origin}` in the allowed origins {}, or send the request without credentials",
            settings("allowed_origins", "CORS_ALLOWED_ORIGINS", "allow_origins")
        ),
        Refusal::OtherOrigin { .. } => {
            format!("the server answers for another origin: it must answer `{origin}` exactly")
        }
        Refusal::NoAllowCredentials => format!(
            "allow credentials on the server {}, or drop `credentials: 'include'`",
            settings(
                "allow_credentials = true",
                "CORS_ALLOW_CREDENTIALS = True",
                "allow_credentials=True"
            )
        ),
        Refusal::PreflightStatus(_) => {
            "answer the preflight (an OPTIONS request) with a 2xx status: something before the \
             CORS layer (routing, authentication, a proxy) answers it; put the CORS layer first"
                .to_owned()
        }
        Refusal::Method(method) => format!(
            "add `{method}` to the allowed methods {} (methods are case-sensitive)",
            settings("allowed_methods", "CORS_ALLOW_METHODS", "allow_methods")
        ),
        Refusal::Authorization => format!(
            "list `authorization` in the allowed headers by name {}: a `*` never covers it",
            settings("allowed_headers", "CORS_ALLOW_HEADERS", "allow_headers")
        ),
        Refusal::Header(header) => format!(
            "add `{header}` to the allowed headers {}",
            settings("allowed_headers", "CORS_ALLOW_HEADERS", "allow_headers")
        ),
        Refusal::PrivateNetwork => "allow private network access on the server \
             (`allow_private_network = true`); only Chromium before version 142 sends this \
             preflight: Chrome 142 and later ask the user instead (Local Network Access), \
             with no server header involved"
            .to_owned(),
        Refusal::Malformed(_) => {
            "the server's CORS headers are malformed: each is one line of comma-separated tokens"
                .to_owned()
        }
    }
}

/// Where to send: the address, the `Host` value and the request target.
#[derive(Debug)]
struct Target {
    addr: SocketAddr,
    host: String,
    path: String,
}

impl Target {
    fn parse(url: &str) -> Result<Target, String> {
        let rest = if let Some(rest) = url.strip_prefix("http://") {
            rest
        } else if url.starts_with("https://") {
            return Err(
                "https:// is not supported: cors-probe speaks plain HTTP/1.1; probe the \
                 server behind its TLS terminator, or the same app locally (http://127.0.0.1:8000/...)"
                    .to_owned(),
            );
        } else {
            return Err(format!("`{url}` is not an http:// URL"));
        };
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (host, path) = rest.split_at(end);
        if host.is_empty() || host.contains('@') {
            return Err(format!("`{url}` has no host"));
        }
        let with_port = if host
            .rsplit_once(':')
            .is_some_and(|(_, p)| p.bytes().all(|b| b.is_ascii_digit()))
            && !host.ends_with(']')
        {
            host.to_owned()
        } else {
            format!("{host}:80")
        };
        let addr = with_port
            .to_socket_addrs()
            .map_err(|e| format!("{host}: {e}"))?
            .next()
            .ok_or_else(|| format!("{host}: no address"))?;
        let path = match path {
            "" => "/".to_owned(),
            p if p.starts_with('?') => format!("/{p}"),
            p => p.to_owned(),
        };
        Ok(Target {
            addr,
            host: host.to_owned(),
            path,
        })
    }

    fn send(&self, mut lines: Vec<String>) -> Result<Exchange, String> {
        lines.insert(1, format!("host: {}", self.host));
        let mut bytes = lines.join("\r\n");
        bytes.push_str("\r\nconnection: close\r\n\r\n");
        let reply =
            exchange(self.addr, bytes.as_bytes()).map_err(|e| format!("{}: {e}", self.addr))?;
        Ok(Exchange {
            sent: lines,
            server_reason: server_reason(&reply.response.headers, &reply.body),
            response: reply.response,
        })
    }
}

/// What a server in cors-core's debug mode says about a refusal: its `X-CORS-Rejected`
/// header, or the first line of a body that starts `CORS preflight rejected: ` or
/// `CORS request rejected: `; at most 300 bytes, control characters dropped.
///
/// ```
/// use conformance::probe::server_reason;
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
/// assert_eq!(conformance::probe::cors_headers(&headers), ["access-control-allow-origin: *"]);
/// ```
pub fn cors_headers(headers: &HeaderMap) -> Vec<String> {
    headers
        .iter()
        .filter(|(name, _)| name.as_str().starts_with("access-control-") || name.as_str() == "vary")
        .map(|(name, value)| format!("{name}: {}", String::from_utf8_lossy(value.as_bytes())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(method: &str, headers: &[(&str, &str)]) -> Probe {
        Probe {
            url: "http://127.0.0.1:1/".into(),
            origin: "http://localhost:3000".into(),
            method: method.into(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            credentials: false,
        }
    }

    #[test]
    fn when_a_browser_preflights() {
        assert!(!probe("get", &[]).needs_preflight());
        assert!(!probe("POST", &[("content-type", "text/plain;charset=utf-8")]).needs_preflight());
        assert!(probe("POST", &[("content-type", "application/json")]).needs_preflight());
        assert!(probe("PUT", &[]).needs_preflight());
        assert!(probe("GET", &[("X-Token", "1"), ("x-token", "2")]).needs_preflight());
        assert_eq!(
            probe("GET", &[("X-Token", "1"), ("x-token", "2")]).unsafe_headers(),
            ["x-token"]
        );
        assert_eq!(probe("patch", &[]).normalised_method(), "patch");
        assert_eq!(probe("delete", &[]).normalised_method(), "DELETE");
    }

    #[test]
    fn urls() {
        let t = Target::parse("http://127.0.0.1:8000/api/items?x=1").unwrap();
        assert_eq!(t.addr, "127.0.0.1:8000".parse().unwrap());
        assert_eq!(
            (t.host.as_str(), t.path.as_str()),
            ("127.0.0.1:8000", "/api/items?x=1")
        );
        let t = Target::parse("http://127.0.0.1").unwrap();
        assert_eq!((t.addr.port(), t.path.as_str()), (80, "/"));
        assert!(
            Target::parse("https://example.com/")
                .unwrap_err()
                .starts_with("https:// is not supported")
        );
        assert!(Target::parse("ftp://x").is_err());
        assert!(Target::parse("http:///x").is_err());
        assert!(Target::parse("http://user@host/").is_err());
    }

    #[test]
    fn every_reason_has_its_fix() {
        let p = probe("PUT", &[]);
        for (refusal, reason, fix_start) in [
            (
                Refusal::NoAllowOrigin,
                "no Access-Control-Allow-Origin header is present",
                "the server does not allow `http://localhost:3000`",
            ),
            (
                Refusal::AllowOriginRepeated,
                "Access-Control-Allow-Origin has multiple values",
                "two layers add CORS headers",
            ),
            (
                Refusal::WildcardWithCredentials,
                "Access-Control-Allow-Origin is `*` but the request includes credentials",
                "with credentials the server must answer",
            ),
            (
                Refusal::OtherOrigin {
                    answered: "https://a.com".into(),
                    origin: "http://localhost:3000".into(),
                },
                "Access-Control-Allow-Origin `https://a.com` is not the page's origin `http://localhost:3000`",
                "the server answers for another origin",
            ),
            (
                Refusal::NoAllowCredentials,
                "the request includes credentials but Access-Control-Allow-Credentials is not `true`",
                "allow credentials on the server",
            ),
            (
                Refusal::PreflightStatus(http::StatusCode::NOT_FOUND),
                "the preflight response does not have an ok status (404 Not Found)",
                "answer the preflight",
            ),
            (
                Refusal::Method("PUT".into()),
                "method `PUT` is not allowed by Access-Control-Allow-Methods",
                "add `PUT` to the allowed methods",
            ),
            (
                Refusal::Authorization,
                "Access-Control-Allow-Headers does not list `authorization` (a `*` never covers Authorization)",
                "list `authorization` in the allowed headers",
            ),
            (
                Refusal::Header("x-token".into()),
                "request header `x-token` is not allowed by Access-Control-Allow-Headers",
                "add `x-token` to the allowed headers",
            ),
            (
                Refusal::PrivateNetwork,
                "Access-Control-Allow-Private-Network is not `true`",
                "allow private network access",
            ),
            (
                Refusal::Malformed(
                    "access-control-allow-methods has an invalid element `a b`".into(),
                ),
                "access-control-allow-methods has an invalid element `a b`",
                "the server's CORS headers are malformed",
            ),
        ] {
            assert_eq!(refusal.to_string(), reason);
            assert!(
                fix(&refusal, &p).starts_with(fix_start),
                "{reason}: {}",
                fix(&refusal, &p)
            );
        }
    }
}
