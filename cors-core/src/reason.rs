//! [`Reason`]: why a request was refused, each linked to the part of the Fetch standard
//! it rests on: what a browser checks of the answer, or what a browser sends (a request
//! that is malformed or repeated never comes from one).

use std::fmt;

use http::HeaderValue;

/// Why a request was not allowed.
///
/// Its `Display` says what was wrong and which setting decides it, for logs and for the
/// debug body of a rejected preflight.
///
/// ```
/// use cors_core::Reason;
///
/// assert_eq!(
///     Reason::HeaderNotAllowed(b"x-api-key").to_string(),
///     "request header `x-api-key` is not in allowed_headers"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason<'a> {
    /// The origin is well-formed but not allowed by the policy. A browser's
    /// [CORS check](https://fetch.spec.whatwg.org/#cors-check) fails without an
    /// `Access-Control-Allow-Origin` that matches.
    OriginNotAllowed,
    /// The `Origin` value is not a serialised origin: not lower-case
    /// `scheme://host[:port]` or `null`, not valid UTF-8, or over-long: what browsers send
    /// is always [serialised](https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin).
    MalformedOrigin,
    /// The request has more than one `Origin` header: never allowed, never echoed. A
    /// browser [sends one](https://fetch.spec.whatwg.org/#origin-header).
    RepeatedOrigin,
    /// A preflight header (named, lower case: `access-control-request-method`) appears
    /// more than once, which a browser's
    /// [CORS-preflight request](https://fetch.spec.whatwg.org/#cors-preflight-request) never does.
    RepeatedHeader(&'static str),
    /// `Access-Control-Request-Method` is not a
    /// [method](https://fetch.spec.whatwg.org/#concept-method) token.
    MalformedRequestMethod,
    /// The requested method is not in `allowed_methods` (and not GET, HEAD or POST): the
    /// [CORS-preflight fetch](https://fetch.spec.whatwg.org/#cors-preflight-fetch) fails on it.
    MethodNotAllowed(&'a [u8]),
    /// An element of `Access-Control-Request-Headers` is not a
    /// [header name](https://fetch.spec.whatwg.org/#header-name).
    MalformedRequestHeaders(&'a [u8]),
    /// A requested header is not in `allowed_headers`: the
    /// [CORS-preflight fetch](https://fetch.spec.whatwg.org/#cors-preflight-fetch) fails on it.
    HeaderNotAllowed(&'a [u8]),
    /// The preflight asks for private network access, which the policy does not allow
    /// ([Private Network Access](https://wicg.github.io/private-network-access/#cors-preflight)).
    PrivateNetworkNotAllowed,
    /// `csrf_protection`: a request with an unsafe method (not GET, HEAD or OPTIONS) that
    /// the browser marks as coming from another site
    /// ([`Sec-Fetch-Site`](https://w3c.github.io/webappsec-fetch-metadata/#sec-fetch-site-header),
    /// or an `Origin` that is not the request's host), from an origin the policy does not
    /// allow.
    CrossSiteRequest,
    /// The [`AsyncOriginPredicate`](crate::AsyncOriginPredicate) returned an error or
    /// panicked: the origin is refused (the error is logged).
    OriginCheckFailed,
    /// The [`AsyncOriginPredicate`](crate::AsyncOriginPredicate) did not answer within its
    /// time-out: the origin is refused.
    OriginCheckTimedOut,
}

const ORIGIN_NOT_ALLOWED: &str =
    "the origin is not allowed by allowed_origins, allowed_origin_regexes or the origin predicate";
const MALFORMED_ORIGIN: &str =
    "the Origin header is not a serialised origin (lower-case scheme://host[:port] or null)";
const REPEATED_ORIGIN: &str = "the request has more than one `origin` header";
const ORIGIN_CHECK_FAILED: &str =
    "the origin check (allow_origin_async) failed, so the origin is refused";
const ORIGIN_CHECK_TIMED_OUT: &str =
    "the origin check (allow_origin_async) did not answer in time, so the origin is refused";
const CROSS_SITE_REQUEST: &str = "csrf_protection: a request with an unsafe method from another \
     site, whose origin is not allowed by allowed_origins, allowed_origin_regexes or the origin \
     predicate";

impl Reason<'_> {
    /// The reason as a header value, for the reasons an actual request can have (its
    /// origin's), which contain no request bytes.
    pub(crate) fn header_value(self) -> Option<&'static HeaderValue> {
        static NOT_ALLOWED: HeaderValue = HeaderValue::from_static(ORIGIN_NOT_ALLOWED);
        static MALFORMED: HeaderValue = HeaderValue::from_static(MALFORMED_ORIGIN);
        static REPEATED: HeaderValue = HeaderValue::from_static(REPEATED_ORIGIN);
        static CROSS_SITE: HeaderValue = HeaderValue::from_static(CROSS_SITE_REQUEST);
        static CHECK_FAILED: HeaderValue = HeaderValue::from_static(ORIGIN_CHECK_FAILED);
        static CHECK_TIMED_OUT: HeaderValue = HeaderValue::from_static(ORIGIN_CHECK_TIMED_OUT);
        match self {
            Reason::OriginNotAllowed => Some(&NOT_ALLOWED),
            Reason::MalformedOrigin => Some(&MALFORMED),
            Reason::RepeatedOrigin => Some(&REPEATED),
            Reason::CrossSiteRequest => Some(&CROSS_SITE),
            Reason::OriginCheckFailed => Some(&CHECK_FAILED),
            Reason::OriginCheckTimedOut => Some(&CHECK_TIMED_OUT),
            _ => None,
        }
    }
}

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::OriginNotAllowed => f.write_str(ORIGIN_NOT_ALLOWED),
            Reason::MalformedOrigin => f.write_str(MALFORMED_ORIGIN),
            Reason::RepeatedOrigin => f.write_str(REPEATED_ORIGIN),
            Reason::RepeatedHeader(name) => {
                write!(f, "the request has more than one `{name}` header")
            }
            Reason::MalformedRequestMethod => {
                f.write_str("Access-Control-Request-Method is not a method name")
            }
            Reason::MethodNotAllowed(m) => write!(
                f,
                "method `{}` is not in allowed_methods (methods are case-sensitive)",
                Shown(m)
            ),
            Reason::MalformedRequestHeaders(h) => write!(
                f,
                "Access-Control-Request-Headers element `{}` is not a header name",
                Shown(h)
            ),
            Reason::HeaderNotAllowed(h) => {
                write!(f, "request header `{}` is not in allowed_headers", Shown(h))
            }
            Reason::PrivateNetworkNotAllowed => f.write_str(
                "the preflight asks for private network access and allow_private_network is off",
            ),
            Reason::CrossSiteRequest => f.write_str(CROSS_SITE_REQUEST),
            Reason::OriginCheckFailed => f.write_str(ORIGIN_CHECK_FAILED),
            Reason::OriginCheckTimedOut => f.write_str(ORIGIN_CHECK_TIMED_OUT),
        }
    }
}

/// Request bytes made safe to print: escaped and cut at 64 bytes.
pub(crate) struct Shown<'a>(pub(crate) &'a [u8]);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MAX: usize = 64;
        let cut = self.0.len() > MAX;
        write!(f, "{}", self.0[..self.0.len().min(MAX)].escape_ascii())?;
        if cut {
            write!(f, "... ({} bytes)", self.0.len())?;
        }
        Ok(())
    }
}

/// A request header for logs: escaped, cut short, and `(repeated)` / `(absent)`.
#[cfg(feature = "tracing")]
pub(crate) struct ShownField<'a>(pub(crate) crate::request::HeaderField<'a>);

#[cfg(feature = "tracing")]
impl fmt::Display for ShownField<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            crate::request::HeaderField::One(bytes) => Shown(bytes).fmt(f),
            crate::request::HeaderField::Repeated => f.write_str("(repeated)"),
            crate::request::HeaderField::Absent => f.write_str("(absent)"),
        }
    }
}

/// The request path for logs: escaped, cut short, and `(not read)` when the adapter left it
/// empty because the policy does not look at it ([`Cors::reads_path`]).
#[cfg(feature = "tracing")]
pub(crate) struct ShownPath<'a>(pub(crate) &'a str);

#[cfg(feature = "tracing")]
impl fmt::Display for ShownPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            "" => f.write_str("(not read)"),
            path => Shown(path.as_bytes()).fmt(f),
        }
    }
}
