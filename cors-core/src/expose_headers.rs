//! `expose_headers`: the `Access-Control-Expose-Headers` answer on actual requests.

use http::HeaderValue;

use crate::error::{ConfigError, ConfigErrorKind};
use crate::token::NameList;

/// Builds the precomputed `Access-Control-Expose-Headers` value (`None` when empty).
///
/// `["*"]` exposes every header, but browsers ignore the `*` on credentialed requests, so
/// with credentials it is refused.
pub(crate) fn build(
    items: &[String],
    credentials: bool,
) -> Result<Option<HeaderValue>, ConfigError> {
    match NameList::parse("expose_headers", items, ConfigErrorKind::InvalidHeader, true)? {
        NameList::Any if credentials => Err(ConfigError::new(
            ConfigErrorKind::ExposeAllWithCredentials,
            "expose_headers",
            "*",
            "has no effect with `allow_credentials`: browsers treat `*` as a header literally named `*` on credentialed requests",
        )
        .hint("list the response headers scripts may read, e.g. `[\"x-request-id\", \"content-length\"]`")),
        NameList::Any => Ok(Some(HeaderValue::from_static("*"))),
        NameList::Names(_, value) => Ok(value),
    }
}
