//! actix-web's header map as a [`cors_core::HeaderSink`].

use actix_web::http::header::{self as ax, HeaderMap, HeaderName, HeaderValue};
use cors_core::http::HeaderValue as CoreValue;
use cors_core::{Cors, HeaderSink, Mirror, RequestHeader, ResponseHeader, Value};
use rustc_hash::FxHashMap;

/// actix-web (`http` 0.2) headers, written from the policy's values.
///
/// actix-web has its own `HeaderValue` type, so the policy's precomputed values come from
/// [`Values`]; the echoed `Origin` is the request's own value, moved in.
pub(crate) struct ActixHeaders<'m> {
    pub(crate) map: &'m mut HeaderMap,
    pub(crate) values: &'m Values,
    /// The request's `Origin`, when the headers echo it (moved into the response).
    pub(crate) origin: Option<HeaderValue>,
}

impl ActixHeaders<'_> {
    /// A value of the policy's as actix-web's. Every value the policy produces is a valid
    /// header value; one that were not would be left out rather than sent broken.
    fn value(&mut self, value: Value<'_>) -> Option<HeaderValue> {
        match value {
            Value::Policy(policy) => self.values.get(policy),
            Value::Mirror(Mirror::Origin, _) if self.origin.is_some() => self.origin.take(),
            // Without the request's own value (or for another mirrored header), the bytes;
            // empty ones only ever stand for a value the adapter holds.
            Value::Mirror(_, []) => None,
            Value::Mirror(_, bytes) => HeaderValue::from_bytes(bytes).ok(),
        }
    }
}

impl HeaderSink for ActixHeaders<'_> {
    fn names(&self) -> impl Iterator<Item = impl AsRef<str>> {
        self.map.keys().map(HeaderName::as_str)
    }

    fn remove(&mut self, header: ResponseHeader) {
        self.map.remove(&RESPONSE_NAMES[header as usize]);
    }

    fn set(&mut self, header: ResponseHeader, value: Value<'_>) {
        if let Some(value) = self.value(value) {
            self.map
                .insert(RESPONSE_NAMES[header as usize].clone(), value);
        }
    }

    fn add(&mut self, header: ResponseHeader, value: Value<'_>) {
        if let Some(value) = self.value(value) {
            self.map
                .append(RESPONSE_NAMES[header as usize].clone(), value);
        }
    }

    fn lines(&self, header: ResponseHeader) -> impl Iterator<Item = &[u8]> {
        self.map
            .get_all(&RESPONSE_NAMES[header as usize])
            .map(HeaderValue::as_bytes)
    }

    /// Appended where the response has no `Vary`, else merged into one line.
    fn merge_vary(&mut self, add: &'static CoreValue) {
        let vary = &RESPONSE_NAMES[ResponseHeader::Vary as usize];
        if !self.map.contains_key(vary) {
            if let Some(value) = self.values.get(add) {
                self.map.append(vary.clone(), value);
            }
            return;
        }
        let lines = self.map.get_all(vary).map(HeaderValue::as_bytes);
        if let cors_core::vary::VaryUpdate::Replace(merged) = cors_core::vary::merge(lines, add) {
            self.set(ResponseHeader::Vary, Value::Policy(&merged));
        }
    }
}

/// actix-web's names of the headers cors-core writes, by [`ResponseHeader`].
static RESPONSE_NAMES: [HeaderName; 10] = [
    ax::ACCESS_CONTROL_ALLOW_ORIGIN,
    ax::ACCESS_CONTROL_ALLOW_CREDENTIALS,
    ax::ACCESS_CONTROL_ALLOW_METHODS,
    ax::ACCESS_CONTROL_ALLOW_HEADERS,
    ax::ACCESS_CONTROL_MAX_AGE,
    ax::ACCESS_CONTROL_EXPOSE_HEADERS,
    HeaderName::from_static("access-control-allow-private-network"),
    ax::VARY,
    ax::CONTENT_TYPE,
    HeaderName::from_static("x-cors-rejected"),
];

/// actix-web's names of the headers cors-core reads, by [`RequestHeader`].
pub(crate) static REQUEST_NAMES: [HeaderName; 6] = [
    ax::ORIGIN,
    ax::ACCESS_CONTROL_REQUEST_METHOD,
    ax::ACCESS_CONTROL_REQUEST_HEADERS,
    HeaderName::from_static("access-control-request-private-network"),
    ax::HOST,
    HeaderName::from_static("sec-fetch-site"),
];

/// actix-web's name of a request header cors-core reads.
pub(crate) fn request_name(header: RequestHeader) -> &'static HeaderName {
    &REQUEST_NAMES[header as usize]
}

/// The policy's header values as actix-web's, converted once, found by the address of the
/// policy's own value (the values live as long as the policy). The fixed ones (`true`, the
/// `Vary` lists) are static text, so cloning them per response touches no reference count.
#[derive(Debug, Default)]
pub(crate) struct Values(FxHashMap<usize, HeaderValue>);

impl Values {
    pub(crate) fn of(cors: &Cors) -> Self {
        Values(
            cors.header_values()
                .filter_map(|v| Some((std::ptr::from_ref(v) as usize, convert(v)?)))
                .collect(),
        )
    }

    fn get(&self, value: &CoreValue) -> Option<HeaderValue> {
        let address = std::ptr::from_ref(value) as usize;
        match self.0.get(&address) {
            Some(value) => Some(value.clone()),
            None => convert(value),
        }
    }
}

/// A policy value as actix-web's: static text where cors-core's is fixed, else a copy.
fn convert(value: &CoreValue) -> Option<HeaderValue> {
    match Value::Policy(value).as_static_str() {
        Some(fixed) => Some(HeaderValue::from_static(fixed)),
        None => HeaderValue::from_bytes(value.as_bytes()).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_follow_cors_core_order() {
        for header in ResponseHeader::ALL {
            assert_eq!(
                RESPONSE_NAMES[header as usize].as_str(),
                header.name().as_str()
            );
        }
        for header in RequestHeader::ALL {
            assert_eq!(request_name(header).as_str(), header.name().as_str());
        }
    }
}
