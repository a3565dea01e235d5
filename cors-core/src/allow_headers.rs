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
    /// Every element is allowed. `authorization`: `Authorization` was among them;
    /// `empty`: the list named no header at all.
    Allowed { authorization: bool, empty: bool },
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
    /// allocating. Elements are separated by commas; spaces and tabs around them are
    /// dropped and empty elements skipped (`"a, ,b"` is `a`, `b`).
    pub(crate) fn check<'a>(&self, requested: &'a [u8]) -> RequestedHeaders<'a> {
        let mut authorization = false;
        let mut empty = true;
        for element in requested.split(|&b| b == b',') {
            let name = token::trim_ows(element);
            if name.is_empty() {
                continue;
            }
            if !token::is_token(name) {
                return RequestedHeaders::Malformed(name);
            }
            empty = false;
            authorization |= name.eq_ignore_ascii_case(b"authorization");
            if let NameList::Names(names, _) = &self.0
                && !names
                    .iter()
                    .any(|n| n.as_bytes().eq_ignore_ascii_case(name))
            {
                return RequestedHeaders::NotAllowed(name);
            }
        }
        RequestedHeaders::Allowed {
            authorization,
            empty,
        }
    }

    /// The configured answer: `None` for `*` (the caller decides between `*` and mirroring).
    pub(crate) fn listed(&self) -> Option<Option<&HeaderValue>> {
        self.0.listed()
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
                authorization: false,
                empty: false
            }
        );
        assert_eq!(
            h.check(b"CONTENT-TYPE,,  X-API-KEY ,"),
            RequestedHeaders::Allowed {
                authorization: false,
                empty: false
            }
        );
        assert_eq!(
            h.check(b" , ,"),
            RequestedHeaders::Allowed {
                authorization: false,
                empty: true
            }
        );
        assert_eq!(
            h.check(b"content-type, b c, d"),
            RequestedHeaders::Malformed(b"b c")
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
                authorization: true,
                empty: false
            }
        );
        assert_eq!(h.listed(), None);
    }
}
