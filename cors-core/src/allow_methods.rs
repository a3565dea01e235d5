//! `allowed_methods`: which methods a preflight may ask for, and the
//! `Access-Control-Allow-Methods` answer.

use http::HeaderValue;

use crate::build::Found;
use crate::error::{ConfigError, ConfigErrorKind};
use crate::headers::{Mirror, STAR, Value};
use crate::reason::Reason;
use crate::request::HeaderField;
use crate::token::{self, NameList};
use crate::warning::ConfigWarning;

const FIELD: &str = "allowed_methods";

/// The compiled `allowed_methods`.
#[derive(Debug, Clone)]
pub(crate) struct AllowMethods(NameList);

/// The methods `fetch()` upper-cases before sending (Fetch's "normalize a method").
const NORMALISED: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];

/// A method as a browser sends it: Fetch's [normalize a
/// method](https://fetch.spec.whatwg.org/#concept-method-normalize) upper-cases `DELETE`,
/// `GET`, `HEAD`, `OPTIONS`, `POST` and `PUT` in any case, and leaves every other method as
/// the page wrote it (methods compare case-sensitively).
///
/// ```
/// assert_eq!(cors_core::normalise_method("put"), "PUT");
/// assert_eq!(cors_core::normalise_method("patch"), "patch");
/// assert_eq!(cors_core::normalise_method("PATCH"), "PATCH");
/// ```
pub fn normalise_method(method: &str) -> &str {
    NORMALISED
        .iter()
        .find(|m| m.eq_ignore_ascii_case(method))
        .copied()
        .unwrap_or(method)
}

/// The CORS-safelisted methods: a preflight asking for one of them always passes the
/// method check of the [CORS-preflight fetch](https://fetch.spec.whatwg.org/#cors-preflight-fetch),
/// whatever the list says.
const SAFELISTED: [&[u8]; 3] = [b"GET", b"HEAD", b"POST"];

impl AllowMethods {
    /// Validates the list: every item a token; the standard methods that `fetch()`
    /// upper-cases are errors in lower case, other lower-case methods a warning.
    pub(crate) fn build(items: &[String], found: &mut Found) -> Self {
        let list = NameList::parse(FIELD, items, ConfigErrorKind::InvalidMethod, false, found);
        for item in items {
            let upper = item.to_ascii_uppercase();
            if upper == *item || !token::is_token(item.as_bytes()) {
                continue;
            }
            if normalise_method(item) != item {
                found.error(
                    ConfigError::new(
                        ConfigErrorKind::InvalidMethod,
                        FIELD,
                        item.clone(),
                        format!(
                            "is not upper case; browsers send it as `{upper}` (fetch() \
                             upper-cases get, head, post, put, delete and options), and methods \
                             compare case-sensitively, so it would never match"
                        ),
                    )
                    .hint(format!("write `{upper}`")),
                );
                continue;
            }
            found.warn(ConfigWarning::new(
                FIELD,
                item.clone(),
                format!(
                    "is not upper case; browsers send it exactly as the page writes it \
                     (fetch() upper-cases only get, head, post, put, delete and options), \
                     so it matches `{item}` but not `{upper}`: list `{upper}` if your front \
                     end writes that"
                ),
            ));
        }
        Self(list)
    }

    /// The `Access-Control-Allow-Methods` answer to a preflight's
    /// `Access-Control-Request-Method`, or why it is refused.
    ///
    /// The request method must be one token ([`Reason::MalformedRequestMethod`],
    /// [`Reason::RepeatedHeader`]) that the list allows ([`allows`](Self::allows)). The answer
    /// is the configured list, built once; for `["*"]` it is `*`, except with credentials,
    /// where browsers read `*` as a method named `*`
    /// ([CORS-preflight fetch](https://fetch.spec.whatwg.org/#cors-preflight-fetch)): then the
    /// requested method is sent back.
    #[inline]
    pub(crate) fn answer<'a>(
        &'a self,
        requested: HeaderField<'a>,
        credentials: bool,
    ) -> Result<Option<Value<'a>>, Reason<'a>> {
        let method = match requested {
            HeaderField::One(m) if token::is_token(m) => m,
            HeaderField::Repeated => {
                return Err(Reason::RepeatedHeader("access-control-request-method"));
            }
            HeaderField::One(_) | HeaderField::Absent => {
                return Err(Reason::MalformedRequestMethod);
            }
        };
        if !self.allows(method) {
            return Err(Reason::MethodNotAllowed(method));
        }
        Ok(match &self.0 {
            NameList::Names(_, listed) => listed.as_ref().map(Value::Policy),
            NameList::Any if credentials => Some(Value::Mirror(Mirror::RequestMethod, method)),
            NameList::Any => Some(Value::Policy(&STAR)),
        })
    }

    /// Whether a preflight may ask for this method (a token). Methods compare
    /// case-sensitively (`patch` is not `PATCH`); GET, HEAD and POST always pass, as in
    /// Fetch's method check and django-cors-headers.
    pub(crate) fn allows(&self, method: &[u8]) -> bool {
        match &self.0 {
            NameList::Any => true,
            NameList::Names(names, _) => {
                SAFELISTED.contains(&method) || names.iter().any(|n| n.as_bytes() == method)
            }
        }
    }

    /// The configured list's value, for [`Cors::header_values`](crate::Cors::header_values).
    pub(crate) fn value(&self) -> Option<&HeaderValue> {
        self.0.value()
    }
}
