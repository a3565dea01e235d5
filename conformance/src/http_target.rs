//! The matrix over real HTTP. A case a conforming client can send goes through `reqwest`,
//! as an application's client would send it; a hostile one (a repeated header, bytes that
//! are not visible ASCII, a header past 8 KB, a path a URL parser would rewrite) is written
//! byte for byte on a fresh loopback connection, so that it arrives exactly as the case
//! says. See [`well_formed`].

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};

use crate::case::Case;
use crate::judge::Response;

/// How long one exchange may take before it counts as no response.
const TIMEOUT: Duration = Duration::from_secs(10);
/// The most a response may be (the demo app's are tiny).
const MAX_RESPONSE: u64 = 1 << 20;

/// A response as read off the wire.
#[derive(Debug, Clone)]
pub struct Reply {
    /// Status and headers, as the judge sees them.
    pub response: Response,
    /// The body, de-chunked.
    pub body: Vec<u8>,
}

/// The longest header value [`well_formed`] lets through: browsers and HTTP clients send
/// larger ones, but no `Origin` or CORS request header of a conforming page is this long.
pub const MAX_WELL_FORMED_VALUE: usize = 8 * 1024;

/// Sends `case` to the server at `addr` and reads its answer: through `reqwest` when the
/// case is [`well_formed`], byte for byte otherwise.
pub fn send(addr: SocketAddr, case: &Case) -> Result<Response, String> {
    if well_formed(case) {
        send_with_client(addr, case)
    } else {
        exchange(addr, &request_bytes(addr, case)).map(|reply| reply.response)
    }
}

/// Whether a conforming HTTP client sends `case` as written (adding only `accept: */*`, as
/// browsers do): the method a token (and not `CONNECT`), the path one a URL parser keeps as
/// it is, every header name a token that appears once and that the client does not manage
/// itself (`host`, `content-length`, `connection`, ...), every value visible ASCII with
/// spaces and tabs inside, at most [`MAX_WELL_FORMED_VALUE`] bytes.
///
/// ```
/// use conformance::case::Case;
/// use conformance::http_target::well_formed;
///
/// let case = |headers: &[(&str, &str)]| -> Case {
///     let headers: Vec<String> = headers.iter().map(|(n, v)| format!("[{n:?}, {v:?}]")).collect();
///     toml::from_str(&format!(
///         "name = 'c'\nmethod = 'GET'\npath = '/api'\nheaders = [{}]",
///         headers.join(", ")
///     ))
///     .unwrap()
/// };
/// assert!(well_formed(&case(&[("origin", "https://a.example")])));
/// assert!(!well_formed(&case(&[("origin", "https://a.example"), ("Origin", "https://b.example")])));
/// assert!(!well_formed(&case(&[("origin", r"https://\xff.example")])));
/// assert!(!well_formed(&case(&[("origin", "https://{a*9000}.example")])));
/// ```
pub fn well_formed(case: &Case) -> bool {
    let method_ok =
        http::Method::from_bytes(case.method.as_bytes()).is_ok() && case.method != "CONNECT";
    let path_ok = reqwest::Url::parse("http://127.0.0.1/")
        .and_then(|base| base.join(&case.path))
        .is_ok_and(|url| {
            let mut target = url.path().to_owned();
            if let Some(query) = url.query() {
                target.push('?');
                target.push_str(query);
            }
            case.path.starts_with('/') && target == case.path
        });
    // Headers the client writes itself, which it would replace or double.
    const CLIENT_MANAGED: [&str; 9] = [
        "host",
        "content-length",
        "transfer-encoding",
        "connection",
        "keep-alive",
        "te",
        "upgrade",
        "expect",
        "proxy-connection",
    ];
    let headers = case.header_bytes();
    let headers_ok = headers.iter().enumerate().all(|(i, (name, value))| {
        HeaderName::from_bytes(name.as_bytes()).is_ok()
            && !CLIENT_MANAGED.contains(&name.as_str())
            && headers[..i].iter().all(|(before, _)| before != name)
            && value.len() <= MAX_WELL_FORMED_VALUE
            && value.trim_ascii() == value.as_slice()
            && value
                .iter()
                .all(|&b| b == b' ' || b == b'\t' || b.is_ascii_graphic())
    });
    method_ok && path_ok && headers_ok
}

/// The client for well-formed cases: no proxy, no redirects followed, no compression, no
/// cookies; `reqwest` adds `accept: */*` as browsers do.
fn client() -> Result<&'static reqwest::blocking::Client, String> {
    static CLIENT: std::sync::OnceLock<reqwest::blocking::Client> = std::sync::OnceLock::new();
    if let Some(client) = CLIENT.get() {
        return Ok(client);
    }
    // The workspace builds reqwest without a built-in crypto provider (see cors-probe):
    // even a plain-HTTP client needs one installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::blocking::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    Ok(CLIENT.get_or_init(|| client))
}

fn send_with_client(addr: SocketAddr, case: &Case) -> Result<Response, String> {
    let method = http::Method::from_bytes(case.method.as_bytes()).map_err(|e| e.to_string())?;
    let mut request = client()?.request(method, format!("http://{addr}{}", case.path));
    for (name, value) in case.header_bytes() {
        request = request.header(name, value);
    }
    if matches!(case.method.as_str(), "POST" | "PUT" | "PATCH") {
        request = request.body(Vec::new());
    }
    let response = request.send().map_err(|e| {
        let mut text = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(cause) = source {
            text = format!("{text}: {cause}");
            source = cause.source();
        }
        text
    })?;
    Ok(Response {
        status: response.status(),
        headers: response.headers().clone(),
    })
}

/// The request `case` describes, as HTTP/1.1 bytes (`Connection: close`, no body).
pub fn request_bytes(addr: SocketAddr, case: &Case) -> Vec<u8> {
    request(addr, case, "close")
}

/// The same request for a connection that stays open for the next one.
pub fn keep_alive_request_bytes(addr: SocketAddr, case: &Case) -> Vec<u8> {
    request(addr, case, "keep-alive")
}

fn request(addr: SocketAddr, case: &Case, connection: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(
        format!("{} {} HTTP/1.1\r\nhost: {addr}\r\n", case.method, case.path).as_bytes(),
    );
    for (name, value) in case.header_bytes() {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(&value);
        out.extend_from_slice(b"\r\n");
    }
    if matches!(case.method.as_str(), "POST" | "PUT" | "PATCH") {
        out.extend_from_slice(b"content-length: 0\r\n");
    }
    out.extend_from_slice(format!("connection: {connection}\r\n\r\n").as_bytes());
    out
}

/// Writes `request` on a new connection and parses the response.
pub fn exchange(addr: SocketAddr, request: &[u8]) -> Result<Reply, String> {
    let mut stream =
        TcpStream::connect_timeout(&addr, TIMEOUT).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(TIMEOUT))
        .map_err(|e| e.to_string())?;
    stream
        .set_write_timeout(Some(TIMEOUT))
        .map_err(|e| e.to_string())?;
    stream
        .write_all(request)
        .map_err(|e| format!("write: {e}"))?;
    parse(&read_response(&mut stream)?)
}

/// Reads one response: until it is complete (by its length or its last chunk), the server
/// closes, or it passes 1 MB. Some peers (chromedriver) keep the connection open
/// regardless, and a keep-alive connection carries the next response after it.
pub fn read_response(stream: &mut impl Read) -> Result<Vec<u8>, String> {
    let mut raw = Vec::with_capacity(512);
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = stream.read(&mut buf).map_err(|e| format!("read: {e}"))?;
        raw.extend_from_slice(&buf[..n]);
        if n == 0 || complete(&raw) || raw.len() as u64 > MAX_RESPONSE {
            return Ok(raw);
        }
    }
}

/// Whether `raw` holds a whole response (by its length, its last chunk, or a status
/// without a body).
pub fn complete(raw: &[u8]) -> bool {
    let Some(end) = find(raw, b"\r\n\r\n") else {
        return false;
    };
    let Ok(Response { status, headers }) = parse_head(&raw[..end]) else {
        return false;
    };
    let body = &raw[end + 4..];
    if status.is_informational() || status == 204 || status == 304 {
        return true;
    }
    if let Some(length) = headers
        .get("content-length")
        .and_then(|v| v.to_str().ok()?.trim().parse::<usize>().ok())
    {
        return body.len() >= length;
    }
    chunked(&headers) && body.ends_with(b"0\r\n\r\n") && dechunk(body).is_ok()
}

/// Parses one HTTP/1.1 response.
///
/// ```
/// let reply = conformance::http_target::parse(
///     b"HTTP/1.1 200 OK\r\nvary: Origin\r\ntransfer-encoding: chunked\r\n\r\n2\r\n[]\r\n0\r\n\r\n",
/// ).unwrap();
/// assert_eq!(reply.response.status, 200);
/// assert_eq!(reply.response.headers["vary"], "Origin");
/// assert_eq!(reply.body, b"[]");
/// ```
pub fn parse(raw: &[u8]) -> Result<Reply, String> {
    let end = find(raw, b"\r\n\r\n").ok_or_else(|| {
        if raw.is_empty() {
            "the server closed the connection without a response".to_owned()
        } else {
            format!("incomplete response: {}", raw.escape_ascii())
        }
    })?;
    let response = parse_head(&raw[..end])?;
    let rest = &raw[end + 4..];
    let body = if chunked(&response.headers) {
        dechunk(rest)?
    } else {
        rest.to_vec()
    };
    Ok(Reply { response, body })
}

/// The status line and headers (without the blank line that ends them).
fn parse_head(head: &[u8]) -> Result<Response, String> {
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(|&b| b == b' ')
        .nth(1)
        .and_then(|code| StatusCode::from_bytes(code).ok())
        .ok_or_else(|| format!("bad status line: {}", status_line.escape_ascii()))?;
    let mut headers = HeaderMap::new();
    for line in lines {
        let colon = line
            .iter()
            .position(|&b| b == b':')
            .ok_or_else(|| format!("bad header line: {}", line.escape_ascii()))?;
        let name = HeaderName::from_bytes(&line[..colon])
            .map_err(|_| format!("bad header name: {}", line.escape_ascii()))?;
        let value = HeaderValue::from_bytes(line[colon + 1..].trim_ascii())
            .map_err(|_| format!("bad header value: {}", line.escape_ascii()))?;
        headers.append(name, value);
    }
    Ok(Response { status, headers })
}

fn chunked(headers: &HeaderMap) -> bool {
    headers
        .get("transfer-encoding")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"chunked"))
}

fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let eol = find(rest, b"\r\n").ok_or("truncated chunk size")?;
        let size = std::str::from_utf8(&rest[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next().unwrap_or("").trim(), 16).ok())
            .ok_or("bad chunk size")?;
        rest = &rest[eol + 2..];
        if size == 0 {
            return Ok(body);
        }
        let chunk = rest.get(..size).ok_or("truncated chunk")?;
        body.extend_from_slice(chunk);
        rest = rest.get(size + 2..).ok_or("truncated chunk")?;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
