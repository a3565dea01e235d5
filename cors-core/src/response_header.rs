//! [`ResponseHeader`]: the headers the policy writes into a response, by name.

use http::HeaderName;
use http::header::{CONTENT_TYPE, VARY};

use crate::headers::{OWNED_HEADERS, X_CORS_REJECTED};

/// A header the policy writes into a response: one of the seven CORS response headers it
/// owns, `Vary`, or a line of debug mode. What a [`HeaderSink`](crate::HeaderSink) is asked
/// to set, so that an adapter whose framework has its own header names keeps them in a
/// table indexed by `header as usize`, built once.
///
/// ```
/// use cors_core::ResponseHeader;
///
/// assert_eq!(ResponseHeader::Vary.name(), "vary");
/// assert_eq!(ResponseHeader::ALL[ResponseHeader::MaxAge as usize], ResponseHeader::MaxAge);
/// assert_eq!(ResponseHeader::OWNED.len(), cors_core::OWNED_HEADERS.len());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseHeader {
    /// `Access-Control-Allow-Origin`
    AllowOrigin,
    /// `Access-Control-Allow-Credentials`
    AllowCredentials,
    /// `Access-Control-Allow-Methods`
    AllowMethods,
    /// `Access-Control-Allow-Headers`
    AllowHeaders,
    /// `Access-Control-Max-Age`
    MaxAge,
    /// `Access-Control-Expose-Headers`
    ExposeHeaders,
    /// `Access-Control-Allow-Private-Network`
    AllowPrivateNetwork,
    /// `Vary`, merged with the app's own.
    Vary,
    /// `Content-Type` of the debug body of an answer the middleware sends itself.
    ContentType,
    /// [`X-CORS-Rejected`](crate::X_CORS_REJECTED), in debug mode.
    Rejected,
}

/// The names after the seven of [`OWNED_HEADERS`](crate::OWNED_HEADERS).
static OTHER_NAMES: [HeaderName; 3] = [VARY, CONTENT_TYPE, X_CORS_REJECTED];

impl ResponseHeader {
    /// Every one, in the order `header as usize` counts them.
    pub const ALL: [ResponseHeader; 10] = [
        ResponseHeader::AllowOrigin,
        ResponseHeader::AllowCredentials,
        ResponseHeader::AllowMethods,
        ResponseHeader::AllowHeaders,
        ResponseHeader::MaxAge,
        ResponseHeader::ExposeHeaders,
        ResponseHeader::AllowPrivateNetwork,
        ResponseHeader::Vary,
        ResponseHeader::ContentType,
        ResponseHeader::Rejected,
    ];

    /// The CORS response headers the policy owns ([`OWNED_HEADERS`](crate::OWNED_HEADERS)),
    /// in the order they are written.
    pub const OWNED: [ResponseHeader; 7] = {
        let mut owned = [ResponseHeader::AllowOrigin; 7];
        let mut i = 0;
        while i < 7 {
            owned[i] = Self::ALL[i];
            i += 1;
        }
        owned
    };

    /// The header's name.
    ///
    /// ```
    /// assert_eq!(cors_core::ResponseHeader::AllowOrigin.name(), "access-control-allow-origin");
    /// ```
    pub fn name(self) -> &'static HeaderName {
        let i = self as usize;
        match OWNED_HEADERS.get(i) {
            Some(owned) => owned,
            None => &OTHER_NAMES[i - OWNED_HEADERS.len()],
        }
    }

    /// Whether a response header name, in any case, is one of the [`OWNED`](Self::OWNED)
    /// ones. Most names differ within their first bytes, so this costs a comparison or two.
    ///
    /// ```
    /// use cors_core::ResponseHeader;
    /// assert!(ResponseHeader::is_owned("access-control-max-age"));
    /// assert!(ResponseHeader::is_owned("Access-Control-Allow-Origin"));
    /// assert!(!ResponseHeader::is_owned("content-type"));
    /// assert!(!ResponseHeader::is_owned("access-control-request-method"));
    /// ```
    pub fn is_owned(name: &str) -> bool {
        name.get(..15)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("access-control-"))
            && OWNED_HEADERS
                .iter()
                .any(|owned| owned.as_str().eq_ignore_ascii_case(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_order_of_all_and_owned_headers() {
        for (i, header) in ResponseHeader::ALL.iter().enumerate() {
            assert_eq!(*header as usize, i);
        }
        for (header, owned) in ResponseHeader::OWNED.iter().zip(&crate::OWNED_HEADERS) {
            assert_eq!(header.name(), owned);
        }
        assert_eq!(ResponseHeader::Rejected.name(), &X_CORS_REJECTED);
    }
}
