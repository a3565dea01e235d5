//! actix-web's header map as a [`cors_core::HeaderSink`].

use actix_web::http::header::{self as ax, HeaderMap, HeaderName, HeaderValue};
use cors_core::http::HeaderName as CoreName;
use cors_core::http::header as core;
use cors_core::{Cors, HeaderSink, Mirror, Value};

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

impl HeaderSink for ActixHeaders<'_> {
    fn names(&self) -> impl Iterator<Item = impl AsRef<str>> {
        self.map.keys().map(HeaderName::as_str)
    }

    fn remove(&mut self, name: &'static CoreName) {
        self.map.remove(actix_name(name));
    }

    fn set(&mut self, name: &'static CoreName, value: Value<'_>) {
        let value = match value {
            Value::Policy(_) => self.values.get(value.as_bytes()),
            Value::Mirror(Mirror::Origin, _) if self.origin.is_some() => self.origin.take(),
            // Without the request's own value (or for another mirrored header), the bytes;
            // empty ones only ever stand for a value the adapter holds.
            Value::Mirror(_, []) => None,
            Value::Mirror(_, bytes) => HeaderValue::from_bytes(bytes).ok(),
        };
        // Every value the policy produces is a valid header value; one that were not
        // would be left out rather than sent broken.
        if let Some(value) = value {
            self.map.insert(actix_name(name), value);
        }
    }

    fn lines(&self, name: &'static CoreName) -> impl Iterator<Item = &[u8]> {
        self.map
            .get_all(actix_name(name))
            .map(HeaderValue::as_bytes)
    }
}

/// The names cors-core reads and writes, paired with the same name in actix-web's type,
/// both built at compile time.
static NAMES: [(CoreName, HeaderName); 16] = [
    (core::ORIGIN, ax::ORIGIN),
    (core::HOST, ax::HOST),
    (
        CoreName::from_static("sec-fetch-site"),
        HeaderName::from_static("sec-fetch-site"),
    ),
    (
        core::ACCESS_CONTROL_REQUEST_METHOD,
        ax::ACCESS_CONTROL_REQUEST_METHOD,
    ),
    (
        core::ACCESS_CONTROL_REQUEST_HEADERS,
        ax::ACCESS_CONTROL_REQUEST_HEADERS,
    ),
    (
        CoreName::from_static("access-control-request-private-network"),
        HeaderName::from_static("access-control-request-private-network"),
    ),
    (
        core::ACCESS_CONTROL_ALLOW_ORIGIN,
        ax::ACCESS_CONTROL_ALLOW_ORIGIN,
    ),
    (
        core::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        ax::ACCESS_CONTROL_ALLOW_CREDENTIALS,
    ),
    (
        core::ACCESS_CONTROL_ALLOW_METHODS,
        ax::ACCESS_CONTROL_ALLOW_METHODS,
    ),
    (
        core::ACCESS_CONTROL_ALLOW_HEADERS,
        ax::ACCESS_CONTROL_ALLOW_HEADERS,
    ),
    (core::ACCESS_CONTROL_MAX_AGE, ax::ACCESS_CONTROL_MAX_AGE),
    (
        core::ACCESS_CONTROL_EXPOSE_HEADERS,
        ax::ACCESS_CONTROL_EXPOSE_HEADERS,
    ),
    (
        CoreName::from_static("access-control-allow-private-network"),
        HeaderName::from_static("access-control-allow-private-network"),
    ),
    (core::VARY, ax::VARY),
    (core::CONTENT_TYPE, ax::CONTENT_TYPE),
    (
        cors_core::X_CORS_REJECTED,
        HeaderName::from_static("x-cors-rejected"),
    ),
];

/// The same name in actix-web's type: from the table (a copy), or for a name cors-core
/// might add later, parsed (its names are lower-case `'static` strings).
pub(crate) fn actix_name(name: &'static CoreName) -> HeaderName {
    NAMES.iter().find(|(core, _)| core == name).map_or_else(
        || HeaderName::from_static(name.as_str()),
        |(_, actix)| actix.clone(),
    )
}

/// The policy's header values ([`Cors::header_values`]) in actix-web's type, converted
/// once per worker and cloned from here (a reference-count bump). Looked up by content; a
/// value not among them (a `Vary` merged with the app's own) is converted on the spot.
#[derive(Debug, Default)]
pub(crate) struct Values(Vec<HeaderValue>);

impl Values {
    pub(crate) fn of(cors: &Cors) -> Self {
        Values(
            cors.header_values()
                .filter_map(|v| HeaderValue::from_bytes(v.as_bytes()).ok())
                .collect(),
        )
    }

    fn get(&self, bytes: &[u8]) -> Option<HeaderValue> {
        match self.0.iter().find(|v| v.as_bytes() == bytes) {
            Some(value) => Some(value.clone()),
            None => HeaderValue::from_bytes(bytes).ok(),
        }
    }
}
