//! Rocket's request and response headers, as cors-core reads and writes them.

use std::borrow::Cow;

use cors_core::{Cors, Decision, HeaderSink, Mirror, ResponseHeader, Value};
use rocket::http::Header;
use rocket::{Request, Response};

/// The decision for a Rocket request, reading only the headers it depends on. Rocket's
/// header values are always UTF-8 (it drops others). `joined` holds a list header sent on
/// several lines.
pub(crate) fn classify<'a>(
    cors: &'a Cors,
    req: &'a Request<'_>,
    joined: &'a mut Vec<u8>,
) -> Decision<'a> {
    let headers = req.headers();
    let path = req.uri().path().as_str();
    cors.classify_lines(req.method().as_str(), path, None, joined, |header| {
        headers.get(header.name().as_str()).map(str::as_bytes)
    })
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
