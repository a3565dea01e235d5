//! `expose_headers`: the `Access-Control-Expose-Headers` answer on actual requests.

use http::HeaderValue;

use crate::build::Found;
use crate::error::ConfigErrorKind;
use crate::headers::Value;
use crate::token::NameList;

/// The compiled `expose_headers`: the header value (`None` when empty).
///
/// `["*"]` exposes every header, but browsers ignore the `*` on credentialed requests, so
/// with credentials it is refused ([`credentials`](crate::credentials)).
#[derive(Debug, Clone)]
pub(crate) struct ExposeHeaders(Option<HeaderValue>);

impl ExposeHeaders {
    pub(crate) fn build(items: &[String], found: &mut Found) -> Self {
        match NameList::parse(
            "expose_headers",
            items,
            ConfigErrorKind::InvalidHeader,
            true,
            found,
        ) {
            NameList::Any => ExposeHeaders(Some(HeaderValue::from_static("*"))),
            NameList::Names(_, value) => ExposeHeaders(value),
        }
    }

    /// The value to send on an allowed actual request, built once.
    #[inline]
    pub(crate) fn answer(&self) -> Option<Value<'_>> {
        self.0.as_ref().map(Value::Policy)
    }

    /// The value, for [`Cors::header_values`](crate::Cors::header_values).
    pub(crate) fn value(&self) -> Option<&HeaderValue> {
        self.0.as_ref()
    }
}
