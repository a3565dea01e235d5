//! `max_age`: the `Access-Control-Max-Age` answer to an allowed preflight.

use http::HeaderValue;

use crate::build::Found;
use crate::headers::Value;
use crate::warning::ConfigWarning;

/// The compiled `max_age`: the header value, or none to send.
#[derive(Debug, Clone)]
pub(crate) struct MaxAge(Option<HeaderValue>);

impl MaxAge {
    /// Warns past 86400 s, which no browser caches a preflight for.
    pub(crate) fn build(seconds: Option<u64>, found: &mut Found) -> Self {
        if let Some(secs) = seconds.filter(|&s| s > 86400) {
            found.warn(ConfigWarning::new(
                "max_age",
                secs.to_string(),
                "is more than any browser caches a preflight (Chromium 7200, Firefox 86400)",
            ));
        }
        MaxAge(seconds.map(HeaderValue::from))
    }

    /// The value to send on an allowed preflight, built once.
    #[inline]
    pub(crate) fn answer(&self) -> Option<Value<'_>> {
        self.0.as_ref().map(Value::Policy)
    }

    /// The value, for [`Cors::header_values`](crate::Cors::header_values).
    pub(crate) fn value(&self) -> Option<&HeaderValue> {
        self.0.as_ref()
    }
}
