//! actix-web's header map as a [`cors_core::HeaderSink`].

use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use cors_core::http::HeaderName as CoreName;
use cors_core::{HeaderSink, Value};

/// actix-web (`http` 0.2) headers, written by name and bytes.
pub(crate) struct ActixHeaders<'m>(pub(crate) &'m mut HeaderMap);

impl HeaderSink for ActixHeaders<'_> {
    fn remove(&mut self, name: &'static CoreName) {
        self.0.remove(name.as_str());
    }

    fn set(&mut self, name: &'static CoreName, value: Value<'_>) {
        // Every value the policy produces is a valid header value; one that were not
        // would be left out rather than sent broken.
        if let Ok(value) = HeaderValue::from_bytes(value.as_bytes()) {
            self.0.insert(HeaderName::from_static(name.as_str()), value);
        }
    }

    fn lines(&self, name: &'static CoreName) -> impl Iterator<Item = &[u8]> {
        self.0.get_all(name.as_str()).map(HeaderValue::as_bytes)
    }
}
