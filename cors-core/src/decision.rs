//! [`Decision`]: what an adapter does with a request: skip it, answer it, or run the app
//! and add headers to its response.

use http::{HeaderValue, StatusCode};

use crate::Cors;
use crate::headers::{Headers, Mirror};
use crate::origin_check::Pending;
use crate::reason::Reason;

/// What to do with a request.
///
/// ```
/// use cors_core::{CorsConfig, Decision, HeaderField, RequestView};
///
/// let cors = CorsConfig::new().allowed_origins(["https://app.example.com"]).build()?;
/// let view = RequestView {
///     method: "GET",
///     path: "/api/items",
///     origin: HeaderField::One(b"https://app.example.com"),
///     ..RequestView::default()
/// };
/// match cors.classify(&view) {
///     Decision::Forward(forward) => {
///         // run the app, then:
///         let headers = forward.headers(&cors, b"https://app.example.com");
///         assert_eq!(headers.get("access-control-allow-origin").unwrap().as_bytes(), b"https://app.example.com");
///     }
///     other => panic!("unexpected {other:?}"),
/// }
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision<'a> {
    /// The path does not match `urls_regex` (or no entry of `paths`): pass the request on
    /// and leave the response exactly as the app makes it.
    Skip,
    /// Answer now, without running the app: a preflight (allowed or rejected) or, when the
    /// policy rejects disallowed requests early, a disallowed actual request.
    Respond(Response<'a>),
    /// Run the app, then apply [`Forward::headers`] to whatever response it produced.
    Forward(Forward),
    /// Only the [`AsyncOriginPredicate`](crate::AsyncOriginPredicate) can allow the
    /// request's origin: await [`Pending::verdict`], then classify the request again with
    /// it (`classify_*_checked`), which decides one of the three others. Never for a
    /// policy without that check.
    Check(Pending),
}

/// An answer the adapter sends itself.
///
/// ```
/// use cors_core::{CorsConfig, Decision, HeaderField, RequestView};
///
/// let cors = CorsConfig::new().allowed_origins(["https://a.com"]).build()?;
/// let view = RequestView {
///     method: "OPTIONS",
///     path: "/",
///     origin: HeaderField::One(b"https://evil.com"),
///     request_method: HeaderField::One(b"GET"),
///     ..RequestView::default()
/// };
/// let Decision::Respond(answer) = cors.classify(&view) else { unreachable!() };
/// assert_eq!(answer.status(), 403);
/// assert_eq!(answer.headers().iter().count(), 0); // no CORS headers on a refusal
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response<'a> {
    pub(crate) outcome: Outcome<'a>,
    pub(crate) headers: Headers<'a>,
    /// Whether the body says why a request was refused.
    pub(crate) debug: bool,
    /// An answer to a preflight, not to an actual request refused early.
    pub(crate) preflight: bool,
}

/// A [`Response`] grants or refuses, never both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome<'a> {
    /// An allowed preflight, answered with `preflight_status`.
    Granted(StatusCode),
    /// Refused with 403 and no CORS headers.
    Refused(Reason<'a>),
}

impl Decision<'_> {
    /// The decision of the entry at `at` of `paths`, said so that [`Forward::headers`],
    /// given the whole policy, answers with that entry's.
    pub(crate) fn of_entry(self, at: usize) -> Self {
        match self {
            Decision::Forward(forward) => Decision::Forward(Forward {
                entry: u32::try_from(at + 1).unwrap_or(0),
                ..forward
            }),
            other => other,
        }
    }
}

impl<'a> Response<'a> {
    /// The status: `preflight_status` for an allowed preflight, 403 for a rejection.
    ///
    /// ```
    /// # use cors_core::{CorsConfig, Decision, HeaderField, RequestView};
    /// let cors = CorsConfig::new().allowed_origins(["https://a.com"]).build()?;
    /// let view = RequestView {
    ///     method: "OPTIONS",
    ///     path: "/",
    ///     origin: HeaderField::One(b"https://a.com"),
    ///     request_method: HeaderField::One(b"PUT"),
    ///     ..RequestView::default()
    /// };
    /// let Decision::Respond(answer) = cors.classify(&view) else { unreachable!() };
    /// assert_eq!(answer.status(), http::StatusCode::OK);
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn status(&self) -> StatusCode {
        match self.outcome {
            Outcome::Granted(status) => status,
            Outcome::Refused(_) => StatusCode::FORBIDDEN,
        }
    }

    /// The headers to send.
    ///
    /// ```
    /// # use cors_core::{CorsConfig, Decision, HeaderField, RequestView};
    /// let cors = CorsConfig::new().allowed_origins(["https://a.com"]).build()?;
    /// let view = RequestView {
    ///     method: "OPTIONS",
    ///     path: "/",
    ///     origin: HeaderField::One(b"https://a.com"),
    ///     request_method: HeaderField::One(b"PUT"),
    ///     ..RequestView::default()
    /// };
    /// let Decision::Respond(answer) = cors.classify(&view) else { unreachable!() };
    /// let methods = answer.headers().get("access-control-allow-methods").unwrap();
    /// assert_eq!(methods.as_bytes(), b"DELETE, GET, OPTIONS, PATCH, POST, PUT");
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn headers(&self) -> &Headers<'a> {
        &self.headers
    }

    /// Why the request was rejected, or `None` for an allowed preflight.
    ///
    /// ```
    /// # use cors_core::{CorsConfig, Decision, HeaderField, Reason, RequestView};
    /// let cors = CorsConfig::new().allowed_origins(["https://a.com"]).build()?;
    /// let view = RequestView {
    ///     method: "OPTIONS",
    ///     path: "/",
    ///     origin: HeaderField::One(b"https://evil.com"),
    ///     request_method: HeaderField::One(b"PUT"),
    ///     ..RequestView::default()
    /// };
    /// let Decision::Respond(answer) = cors.classify(&view) else { unreachable!() };
    /// assert_eq!(answer.rejection(), Some(Reason::OriginNotAllowed));
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn rejection(&self) -> Option<Reason<'a>> {
        match self.outcome {
            Outcome::Granted(_) => None,
            Outcome::Refused(reason) => Some(reason),
        }
    }

    /// The body to send: in debug mode, the rejection reason as one line of text
    /// (`CORS preflight rejected: ...`, or `CORS request rejected: ...` for an actual request
    /// refused by `csrf_protection`); otherwise `None` (an empty body).
    ///
    /// ```
    /// # use cors_core::{CorsConfig, Decision, HeaderField, RequestView};
    /// let cors = CorsConfig::new().allowed_origins(["https://a.com"]).debug(true).build()?;
    /// let view = RequestView {
    ///     method: "OPTIONS",
    ///     path: "/",
    ///     origin: HeaderField::One(b"https://a.com"),
    ///     request_method: HeaderField::One(b"TRACE"),
    ///     ..RequestView::default()
    /// };
    /// let Decision::Respond(answer) = cors.classify(&view) else { unreachable!() };
    /// assert_eq!(
    ///     answer.body().as_deref(),
    ///     Some("CORS preflight rejected: method `TRACE` is not in allowed_methods (methods are case-sensitive)\n")
    /// );
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn body(&self) -> Option<String> {
        match (self.debug, self.outcome) {
            (true, Outcome::Refused(reason)) => {
                let what = if self.preflight {
                    "preflight"
                } else {
                    "request"
                };
                Some(format!("CORS {what} rejected: {reason}\n"))
            }
            _ => None,
        }
    }
}

/// What the response to a forwarded request says about its origin: one of four things, so
/// a grant never carries a rejection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Grant {
    /// Nothing to grant: no `Origin`, or a same-origin request. Only `Vary: Origin`.
    NotAsked,
    /// `Access-Control-Allow-Origin: *`.
    Any,
    /// `Access-Control-Allow-Origin` echoes the request's `Origin` (with credentials, if on).
    Echo,
    /// The origin is not allowed: no CORS headers, the reason kept for debug mode.
    Refused(OriginRefusal),
}

/// Why an origin was refused, in one byte: the [`Reason`]s an origin can have (none borrows
/// request bytes), so that a [`Forward`] stays small where adapters move it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OriginRefusal {
    NotAllowed,
    Malformed,
    Repeated,
    CheckFailed,
    CheckTimedOut,
}

impl OriginRefusal {
    /// The refusal of an origin check's reason (one of the five).
    pub(crate) fn of(reason: Reason<'_>) -> Self {
        match reason {
            Reason::MalformedOrigin => OriginRefusal::Malformed,
            Reason::RepeatedOrigin => OriginRefusal::Repeated,
            Reason::OriginCheckFailed => OriginRefusal::CheckFailed,
            Reason::OriginCheckTimedOut => OriginRefusal::CheckTimedOut,
            Reason::OriginNotAllowed => OriginRefusal::NotAllowed,
            // not an origin's reason: never in a `Forward`
            Reason::RepeatedHeader(_)
            | Reason::MalformedRequestMethod
            | Reason::MethodNotAllowed(_)
            | Reason::MalformedRequestHeaders(_)
            | Reason::HeaderNotAllowed(_)
            | Reason::PrivateNetworkNotAllowed
            | Reason::CrossSiteRequest => {
                debug_assert!(false, "{reason:?} is not a reason an origin is refused for");
                OriginRefusal::NotAllowed
            }
        }
    }

    pub(crate) fn reason(self) -> Reason<'static> {
        match self {
            OriginRefusal::NotAllowed => Reason::OriginNotAllowed,
            OriginRefusal::Malformed => Reason::MalformedOrigin,
            OriginRefusal::Repeated => Reason::RepeatedOrigin,
            OriginRefusal::CheckFailed => Reason::OriginCheckFailed,
            OriginRefusal::CheckTimedOut => Reason::OriginCheckTimedOut,
        }
    }
}

/// The plan for a request that goes on to the app. It borrows nothing, so an adapter can
/// carry it across the app's future together with the request's `Origin` value.
///
/// ```
/// use cors_core::{CorsConfig, Decision, Forward, HeaderField, RequestView};
///
/// let cors = CorsConfig::new().allowed_origins(["https://a.com"]).build()?;
/// let view = RequestView { method: "POST", path: "/", origin: HeaderField::One(b"https://a.com"), ..RequestView::default() };
/// let Decision::Forward(forward) = cors.classify(&view) else { unreachable!() };
/// let kept: Forward = forward; // `Copy` and `'static`: moves into the response future
/// assert!(kept.echoes_origin());
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forward {
    pub(crate) grant: Grant,
    /// With `paths`, which entry decided: its position plus one; 0 for the policy itself.
    pub(crate) entry: u32,
}

impl Forward {
    pub(crate) fn new(grant: Grant) -> Self {
        Forward { grant, entry: 0 }
    }

    /// Whether the headers echo the request's `Origin`, so the adapter must keep its value
    /// until the response comes back.
    ///
    /// ```
    /// # use cors_core::{CorsConfig, Decision, HeaderField, RequestView};
    /// let cors = CorsConfig::new().allow_all_origins(true).build()?;
    /// let view = RequestView { method: "GET", path: "/", origin: HeaderField::One(b"https://a.com"), ..RequestView::default() };
    /// let Decision::Forward(forward) = cors.classify(&view) else { unreachable!() };
    /// assert!(!forward.echoes_origin()); // answered with `*`
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn echoes_origin(&self) -> bool {
        self.grant == Grant::Echo
    }

    /// Why the origin was not allowed, or `None` if it was (or the request had no `Origin`).
    ///
    /// ```
    /// # use cors_core::{CorsConfig, Decision, HeaderField, Reason, RequestView};
    /// let cors = CorsConfig::new().allowed_origins(["https://a.com"]).build()?;
    /// let view = RequestView { method: "GET", path: "/", origin: HeaderField::Repeated, ..RequestView::default() };
    /// let Decision::Forward(forward) = cors.classify(&view) else { unreachable!() };
    /// assert_eq!(forward.rejection(), Some(Reason::RepeatedOrigin));
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn rejection(&self) -> Option<Reason<'static>> {
        match self.grant {
            Grant::Refused(refusal) => Some(refusal.reason()),
            Grant::NotAsked | Grant::Any | Grant::Echo => None,
        }
    }

    /// The headers to set on the app's response. `origin` is the request's `Origin` value
    /// (used only when [`echoes_origin`](Self::echoes_origin); pass `b""` otherwise).
    ///
    /// ```
    /// # use cors_core::{CorsConfig, Decision, HeaderField, RequestView};
    /// let cors = CorsConfig::new()
    ///     .allowed_origins(["https://a.com"])
    ///     .allow_credentials(true)
    ///     .expose_headers(["x-request-id"])
    ///     .build()?;
    /// let view = RequestView { method: "GET", path: "/", origin: HeaderField::One(b"https://a.com"), ..RequestView::default() };
    /// let Decision::Forward(forward) = cors.classify(&view) else { unreachable!() };
    /// let headers = forward.headers(&cors, b"https://a.com");
    /// let pairs: Vec<(String, &str)> = headers.iter().map(|(n, v)| (n.to_string(), v.as_str())).collect();
    /// assert_eq!(pairs, [
    ///     ("access-control-allow-origin".to_string(), "https://a.com"),
    ///     ("access-control-allow-credentials".to_string(), "true"),
    ///     ("access-control-expose-headers".to_string(), "x-request-id"),
    /// ]);
    /// assert_eq!(headers.vary().unwrap(), "Origin");
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn headers<'a>(&self, cors: &'a Cors, origin: &'a [u8]) -> Headers<'a> {
        cors.actual_headers(*self, origin)
    }

    /// Writes [`headers`](Self::headers) onto a response's `http::HeaderMap`, given the
    /// request's `Origin` value as the adapter kept it. The value is moved into the
    /// response when the headers echo it, never copied. What an adapter on the `http`
    /// crate's types calls when the app's response comes back.
    ///
    /// ```
    /// # use cors_core::{CorsConfig, Decision, HeaderField, RequestView};
    /// use http::{HeaderMap, HeaderValue};
    ///
    /// let cors = CorsConfig::new().allowed_origins(["https://a.com"]).build()?;
    /// let view = RequestView { method: "GET", path: "/", origin: HeaderField::One(b"https://a.com"), ..RequestView::default() };
    /// let Decision::Forward(forward) = cors.classify(&view) else { unreachable!() };
    ///
    /// let origin = HeaderValue::from_static("https://a.com");
    /// let mut response = HeaderMap::new();
    /// forward.write_to(&cors, Some(origin), &mut response);
    /// assert_eq!(response["access-control-allow-origin"], "https://a.com");
    /// assert_eq!(response["vary"], "Origin");
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn write_to(&self, cors: &Cors, origin: Option<HeaderValue>, map: &mut http::HeaderMap) {
        let mut origin = origin;
        // The `http` sink reads mirrored values only through the closure, so the bytes
        // given to `headers` are not needed: the closure hands over `origin` itself.
        self.headers(cors, b"")
            .write_to(map, |which, _| match which {
                Mirror::Origin => origin.take(),
                Mirror::RequestMethod | Mirror::RequestHeaders => None,
            });
    }
}
