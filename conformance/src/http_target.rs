//! The matrix over real HTTP: each case written byte for byte on a fresh loopback
//! connection (so repeated headers, non-UTF-8 values and 64 KB headers arrive exactly as
//! the case says), and the response read back.

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

/// Sends `case` to the server at `addr` and reads its answer.
pub fn send(addr: SocketAddr, case: &Case) -> Result<Response, String> {
    exchange(addr, &request_bytes(addr, case)).map(|reply| reply.response)
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
