//! `allowed_headers`: which request headers a preflight may ask for, and the
//! `Access-Control-Allow-Headers` answer.

use http::HeaderValue;

use crate::error::{ConfigError, ConfigErrorKind};
use crate::token::{self, NameList};

/// The compiled `allowed_headers`; names are stored in lower case.
#[derive(Debug, Clone)]
pub(crate) struct AllowHeaders(NameList);

/// What checking a request's `Access-Control-Request-Headers` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RequestedHeaders<'a> {
    /// Every element is allowed; `authorization` says whether `Authorization` was among them.
    Allowed { authorization: bool },
    /// This element is not allowed.
    NotAllowed(&'a [u8]),
    /// This element is not a header name.
    Malformed(&'a [u8]),
}

impl AllowHeaders {
    pub(crate) fn build(items: &[String]) -> Result<Self, ConfigError> {
        NameList::parse(
            "allowed_headers",
            items,
            ConfigErrorKind::InvalidHeader,
            true,
        )
        .map(Self)
    }

    /// Checks every element of the request list, ASCII-case-insensitively, without
    /// allocating. Spaces and empty elements are tolerated.
    pub(crate) fn check<'a>(&self, requested: &'a [u8]) -> RequestedHeaders<'a> {
        let mut authorization = false;
        for element in token::list_elements(requested) {
            let name = match element {
                Ok(name) => name,
                Err(bad) => return RequestedHeaders::Malformed(bad),
            };
            authorization |= name.eq_ignore_ascii_case(b"authorization");
            let allowed = match &self.0 {
                NameList::Any => true,
                NameList::Names(names, _) => names
                    .iter()
                    .any(|n| n.as_bytes().eq_ignore_ascii_case(name)),
            };
            if !allowed {
                return RequestedHeaders::NotAllowed(name);
            }
        }
        RequestedHeaders::Allowed { authorization }
    }

    /// The configured answer: `None` for `*` (the caller decides between `*` and mirroring).
    pub(crate) fn listed(&self) -> Option<Option<&HeaderValue>> {
        match &self.0 {
            NameList::Any => None,
            NameList::Names(_, value) => Some(value.as_ref()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(items: &[&str]) -> AllowHeaders {
        AllowHeaders::build(&items.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn case_insensitive_and_tolerant() {
        let h = headers(&["Content-Type", "X-Api-Key"]);
        assert_eq!(
            h.check(b"content-type, x-api-key"),
            RequestedHeaders::Allowed {
                authorization: false
            }
        );
        assert_eq!(
            h.check(b"CONTENT-TYPE,,  X-API-KEY ,"),
            RequestedHeaders::Allowed {
                authorization: false
            }
        );
        assert_eq!(
            h.check(b"content-type,x-other"),
            RequestedHeaders::NotAllowed(b"x-other")
        );
        assert_eq!(
            h.check(b"content-type,x y"),
            RequestedHeaders::Malformed(b"x y")
        );
        assert_eq!(
            h.listed(),
            Some(Some(&HeaderValue::from_static("content-type, x-api-key")))
        );
    }

    #[test]
    fn any_notes_authorization() {
        let h = headers(&["*"]);
        assert_eq!(
            h.check(b"x-a,Authorization"),
            RequestedHeaders::Allowed {
                authorization: true
            }
        );
        assert_eq!(h.listed(), None);
    }
}
