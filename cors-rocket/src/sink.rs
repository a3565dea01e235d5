//! Rocket's request and response headers, as cors-core reads and writes them.

use cors_core::http::HeaderName;
use cors_core::{HeaderField, HeaderSink, RequestView, Value};
use rocket::http::Header;
use rocket::{Request, Response};

/// The view of a Rocket request. Rocket's header values are always UTF-8 (it drops others).
pub(crate) fn view<'a>(req: &'a Request<'_>) -> RequestView<'a> {
    let headers = req.headers();
    RequestView::from_headers(req.method().as_str(), req.uri().path().as_str(), |name| {
        HeaderField::from_values(headers.get(name.as_str()).map(str::as_bytes))
    })
}

/// A Rocket response's headers.
pub(crate) struct RocketHeaders<'a, 'r>(pub(crate) &'a mut Response<'r>);

impl HeaderSink for RocketHeaders<'_, '_> {
    fn remove(&mut self, name: &'static HeaderName) {
        self.0.remove_header(name.as_str());
    }

    fn set(&mut self, name: &'static HeaderName, value: Value<'_>) {
        self.0
            .set_header(Header::new(name.as_str(), value.as_str().to_owned()));
    }

    fn lines(&self, name: &'static HeaderName) -> impl Iterator<Item = &[u8]> {
        self.0.headers().get(name.as_str()).map(str::as_bytes)
    }
}
