//! `allowed_methods`: which methods a preflight may ask for, and the
//! `Access-Control-Allow-Methods` answer.

use http::HeaderValue;

use crate::error::{ConfigError, ConfigErrorKind};
use crate::token::NameList;
use crate::warning::ConfigWarning;

const FIELD: &str = "allowed_methods";

/// The compiled `allowed_methods`.
#[derive(Debug, Clone)]
pub(crate) struct AllowMethods(NameList);

/// The methods `fetch()` upper-cases before sending (Fetch's "normalize a method").
const NORMALISED: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];

/// The CORS-safelisted methods: a preflight asking for one of them always passes the
/// method check (Fetch's "CORS-preflight fetch", step 7), whatever the list says.
const SAFELISTED: [&[u8]; 3] = [b"GET", b"HEAD", b"POST"];

impl AllowMethods {
    pub(crate) fn build(
        items: &[String],
        warnings: &mut Vec<ConfigWarning>,
    ) -> Result<Self, ConfigError> {
        let list = NameList::parse(FIELD, items, ConfigErrorKind::InvalidMethod, false)?;
        for item in items {
            let upper = item.to_ascii_uppercase();
            if upper == *item {
                continue;
            }
            if NORMALISED.contains(&upper.as_str()) {
                return Err(ConfigError::new(
                    ConfigErrorKind::InvalidMethod,
                    FIELD,
                    item.clone(),
                    format!(
                        "is not upper case; browsers send it as `{upper}` (fetch() upper-cases \
                         get, head, post, put, delete and options), and methods compare \
                         case-sensitively, so it would never match"
                    ),
                )
                .hint(format!("write `{upper}`")));
            }
            warnings.push(ConfigWarning::new(
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
        Ok(Self(list))
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

    /// The configured answer: `None` for `*` (the caller decides between `*` and mirroring).
    pub(crate) fn listed(&self) -> Option<Option<&HeaderValue>> {
        self.0.listed()
    }
}
