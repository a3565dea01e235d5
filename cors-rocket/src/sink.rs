//! Rocket's request and response headers, as cors-core reads and writes them.

use std::borrow::Cow;

use cors_core::{Cors, Decision, HeaderSink, Mirror, ResponseHeader, Value, Verdict};
use rocket::http::Header;
use rocket::{Request, Response};

/// The decision for a Rocket request, reading only the headers it depends on, with the
/// verdict of the policy's asynchronous origin check once it was asked. Rocket's header
/// values are always UTF-8 (it drops others). `joined` holds a list header sent on several
/// lines, `routed` the path as Rocket routes it when the policy reads the path.
pub(crate) fn classify<'a>(
    cors: &'a Cors,
    req: &'a Request<'_>,
    verdict: Option<Verdict>,
    joined: &'a mut Vec<u8>,
    routed: &'a mut String,
) -> Decision<'a> {
    let headers = req.headers();
    let path = if cors.reads_path() {
        routed_path(req, routed);
        routed.as_str()
    } else {
        req.uri().path().as_str()
    };
    let method = req.method().as_str();
    let lines =
        |header: cors_core::RequestHeader| headers.get(header.name().as_str()).map(str::as_bytes);
    match verdict {
        None => cors.classify_lines(method, path, None, joined, lines),
        Some(verdict) => cors.classify_lines_checked(verdict, method, path, None, joined, lines),
    }
}

/// The path as Rocket routes it: its non-empty segments, percent-decoded, joined by `/`
/// (`/api//login/` is routed as `/api/login`), with a `/` or `%` inside a segment written
/// back as `%2F` or `%25`, so that `urls_regex` and `paths` see the route's path.
fn routed_path(req: &Request<'_>, routed: &mut String) {
    routed.clear();
    for segment in req.uri().path().segments() {
        routed.push('/');
        for c in segment.chars() {
            match c {
                '/' => routed.push_str("%2F"),
                '%' => routed.push_str("%25"),
                c => routed.push(c),
            }
        }
    }
    if routed.is_empty() {
        routed.push('/');
    }
}

/// A Rocket response's headers.
pub(crate) struct RocketHeaders<'a, 'r> {
    pub(crate) response: &'a mut Response<'r>,
    /// The request's `Origin`, borrowed for the response's lifetime, for an echoed origin.
    pub(crate) origin: Option<&'r str>,
}

impl HeaderSink for RocketHeaders<'_, '_> {
    fn names(&self) -> impl Iterator<Item = impl AsRef<str>> {
        self.response.headers().iter().map(|h| h.name.into_cow())
    }

    fn remove(&mut self, header: ResponseHeader) {
        self.response.remove_header(header.name().as_str());
    }

    fn set(&mut self, header: ResponseHeader, value: Value<'_>) {
        // Borrowed where the text outlives the response (the request's Origin, the fixed
        // values of cors-core); copied otherwise.
        let text = match (value, self.origin) {
            (Value::Mirror(Mirror::Origin, _), Some(origin)) => Cow::Borrowed(origin),
            _ => match value.as_static_str() {
                Some(fixed) => Cow::Borrowed(fixed),
                None => Cow::Owned(value.as_str().to_owned()),
            },
        };
        self.response
            .set_header(Header::new(header.name().as_str(), text));
    }

    fn lines(&self, header: ResponseHeader) -> impl Iterator<Item = &[u8]> {
        self.response
            .headers()
            .get(header.name().as_str())
            .map(str::as_bytes)
    }
}
