//! actix-web's header map as a [`cors_core::HeaderSink`].

use std::cell::RefCell;

use actix_web::http::header::{self as ax, HeaderMap, HeaderName, HeaderValue};
use cors_core::http::HeaderName as CoreName;
use cors_core::http::header as core;
use cors_core::{HeaderSink, Mirror, Value};

/// actix-web (`http` 0.2) headers, written from the policy's values.
///
/// actix-web has its own `HeaderValue` type, so the policy's precomputed values are
/// converted: once, into [`Values`], and cloned from there (a reference-count bump); the
/// echoed `Origin` is the request's own value, cloned.
pub(crate) struct ActixHeaders<'m> {
    pub(crate) map: &'m mut HeaderMap,
    pub(crate) values: &'m Values,
    /// The request's `Origin`, when the headers echo it (moved into the response).
    pub(crate) origin: Option<HeaderValue>,
}

impl HeaderSink for ActixHeaders<'_> {
    fn remove(&mut self, name: &'static CoreName) {
        self.map.remove(actix_name(name));
    }

    fn remove_all(&mut self, names: &'static [CoreName]) {
        // One pass over the response's few names instead of a lookup per name.
        let owned = |key: &HeaderName| names.iter().any(|name| name.as_str() == key.as_str());
        if self.map.keys().any(owned) {
            for name in names {
                self.remove(name);
            }
        }
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
static NAMES: [(CoreName, HeaderName); 13] = [
    (core::ORIGIN, ax::ORIGIN),
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
];

/// The same name in actix-web's type: from the table (a copy), or for a name cors-core
/// might add later, parsed (its names are lower-case `'static` strings).
pub(crate) fn actix_name(name: &'static CoreName) -> HeaderName {
    NAMES.iter().find(|(core, _)| core == name).map_or_else(
        || HeaderName::from_static(name.as_str()),
        |(_, actix)| actix.clone(),
    )
}

/// The policy's header values in actix-web's type, converted on first use and shared by
/// every request a worker serves. Keyed by content, so a policy whose origins are replaced
/// at run time can never be answered with a stale value; bounded, because a merged `Vary`
/// depends on what the app set.
#[derive(Debug, Default)]
pub(crate) struct Values(RefCell<Vec<HeaderValue>>);

impl Values {
    /// More distinct values than any policy produces (methods, headers, max age, exposed
    /// headers, `true`, `*`, `Origin`, a few merged `Vary` lines).
    const LIMIT: usize = 16;

    fn get(&self, bytes: &[u8]) -> Option<HeaderValue> {
        if let Some(value) = self.0.borrow().iter().find(|v| v.as_bytes() == bytes) {
            return Some(value.clone());
        }
        let value = HeaderValue::from_bytes(bytes).ok()?;
        let mut cache = self.0.borrow_mut();
        if cache.len() < Self::LIMIT {
            cache.push(value.clone());
        }
        Some(value)
    }
}
