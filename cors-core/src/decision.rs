//! [`Decision`]: what an adapter does with a request, and the headers it sets.

use std::fmt;

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
};
use http::{HeaderName, HeaderValue, StatusCode};

use crate::Cors;

/// `Access-Control-Allow-Private-Network`, which the `http` crate has no constant for.
///
/// ```
/// assert_eq!(cors_core::ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK, "access-control-allow-private-network");
/// ```
pub const ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-allow-private-network");

/// The response headers the policy owns. On every response it handles, an adapter removes
/// these if the app set them and then sets the policy's own, so none is ever duplicated.
///
/// ```
/// assert_eq!(cors_core::OWNED_HEADERS.len(), 7);
/// ```
pub static OWNED_HEADERS: [HeaderName; 7] = [
    ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_ALLOW_CREDENTIALS,
    ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_HEADERS,
    ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_EXPOSE_HEADERS,
    ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK,
];

/// `X-CORS-Rejected`: in debug mode, why the origin of an actual (non-preflight) request
/// was not allowed. The browser hides the response from the page's script, but its network
/// panel shows this header; a rejected preflight says why in its body instead.
///
/// ```
/// use cors_core::{CorsConfig, Decision, HeaderField, RequestView, X_CORS_REJECTED};
///
/// let cors = CorsConfig::new().allowed_origins(["https://a.com"]).debug(true).build()?;
/// let view = RequestView { method: "GET", path: "/", origin: HeaderField::One(b"https://evil.com"), ..RequestView::default() };
/// let Decision::Forward(forward) = cors.classify(&view) else { unreachable!() };
/// let headers = forward.headers(&cors, b"");
/// assert_eq!(
///     headers.get(X_CORS_REJECTED.as_str()).unwrap().as_str(),
///     "the origin is not allowed by allowed_origins, allowed_origin_regexes or the origin predicate"
/// );
/// # Ok::<(), cors_core::ConfigError>(())
/// ```
pub const X_CORS_REJECTED: HeaderName = HeaderName::from_static("x-cors-rejected");

pub(crate) static STAR: HeaderValue = HeaderValue::from_static("*");
pub(crate) static TRUE: HeaderValue = HeaderValue::from_static("true");
pub(crate) static TEXT_PLAIN: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");

/// The values every policy may write, the same for all: see [`Value::as_static_str`] and
/// [`Cors::header_values`].
pub(crate) static FIXED_VALUES: [&HeaderValue; 5] = [
    &TRUE,
    &STAR,
    &TEXT_PLAIN,
    &crate::vary::ACTUAL,
    &crate::vary::PREFLIGHT,
];

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
/// # Ok::<(), cors_core::ConfigError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision<'a> {
    /// The path does not match `urls_regex`: pass the request on and leave the response
    /// exactly as the app makes it.
    Skip,
    /// Answer now, without running the app: a preflight (allowed or rejected) or, when the
    /// policy rejects disallowed requests early, a disallowed actual request.
    Respond(Response<'a>),
    /// Run the app, then apply [`Forward::headers`] to whatever response it produced.
    Forward(Forward),
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
/// # Ok::<(), cors_core::ConfigError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response<'a> {
    pub(crate) status: StatusCode,
    pub(crate) headers: Headers<'a>,
    pub(crate) rejection: Option<Reason<'a>>,
    pub(crate) debug: bool,
    /// An answer to a preflight, not to an actual request refused early.
    pub(crate) preflight: bool,
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
    /// # Ok::<(), cors_core::ConfigError>(())
    /// ```
    pub fn status(&self) -> StatusCode {
        self.status
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
    /// # Ok::<(), cors_core::ConfigError>(())
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
    /// # Ok::<(), cors_core::ConfigError>(())
    /// ```
    pub fn rejection(&self) -> Option<Reason<'a>> {
        self.rejection
    }

    /// The body to send: in debug mode, the rejection reason as one line of text
    /// (`CORS preflight rejected: ...`, or `CORS request rejected: ...` for an actual request
    /// refused by `reject_disallowed_requests`); otherwise `None` (an empty body).
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
    /// # Ok::<(), cors_core::ConfigError>(())
    /// ```
    pub fn body(&self) -> Option<String> {
        match (self.debug, self.rejection) {
            (true, Some(reason)) => {
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

/// How the `Access-Control-Allow-Origin` of a forwarded request is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AllowOrigin {
    /// Not allowed: no CORS headers.
    No,
    /// `*`
    Any,
    /// The request's own `Origin`.
    Echo,
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
/// # Ok::<(), cors_core::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forward {
    pub(crate) origin: AllowOrigin,
    pub(crate) rejection: Option<Reason<'static>>,
}

impl Forward {
    /// Whether the headers echo the request's `Origin`, so the adapter must keep its value
    /// until the response comes back.
    ///
    /// ```
    /// # use cors_core::{CorsConfig, Decision, HeaderField, RequestView};
    /// let cors = CorsConfig::new().allow_all_origins(true).build()?;
    /// let view = RequestView { method: "GET", path: "/", origin: HeaderField::One(b"https://a.com"), ..RequestView::default() };
    /// let Decision::Forward(forward) = cors.classify(&view) else { unreachable!() };
    /// assert!(!forward.echoes_origin()); // answered with `*`
    /// # Ok::<(), cors_core::ConfigError>(())
    /// ```
    pub fn echoes_origin(&self) -> bool {
        self.origin == AllowOrigin::Echo
    }

    /// Why the origin was not allowed, or `None` if it was (or the request had no `Origin`).
    ///
    /// ```
    /// # use cors_core::{CorsConfig, Decision, HeaderField, Reason, RequestView};
    /// let cors = CorsConfig::new().allowed_origins(["https://a.com"]).build()?;
    /// let view = RequestView { method: "GET", path: "/", origin: HeaderField::Repeated, ..RequestView::default() };
    /// let Decision::Forward(forward) = cors.classify(&view) else { unreachable!() };
    /// assert_eq!(forward.rejection(), Some(Reason::RepeatedOrigin));
    /// # Ok::<(), cors_core::ConfigError>(())
    /// ```
    pub fn rejection(&self) -> Option<Reason<'static>> {
        self.rejection
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
    /// # Ok::<(), cors_core::ConfigError>(())
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
    /// # Ok::<(), cors_core::ConfigError>(())
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

/// Which request header a mirrored value was copied from.
///
/// Adapters whose header values are reference-counted can clone the request's own value
/// instead of copying the bytes.
///
/// ```
/// use cors_core::{CorsConfig, Decision, HeaderField, Mirror, RequestView, Value};
///
/// let cors = CorsConfig::new().allowed_origins(["https://a.com"]).build()?;
/// let view = RequestView { method: "GET", path: "/", origin: HeaderField::One(b"https://a.com"), ..RequestView::default() };
/// let Decision::Forward(forward) = cors.classify(&view) else { unreachable!() };
/// let origin = forward.headers(&cors, b"https://a.com").get("access-control-allow-origin");
/// assert_eq!(origin, Some(Value::Mirror(Mirror::Origin, b"https://a.com")));
/// # Ok::<(), cors_core::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mirror {
    /// `Origin`
    Origin,
    /// `Access-Control-Request-Method`
    RequestMethod,
    /// `Access-Control-Request-Headers`
    RequestHeaders,
}

impl Mirror {
    /// The request header the value is copied from.
    ///
    /// ```
    /// assert_eq!(cors_core::Mirror::Origin.request_header(), "origin");
    /// ```
    pub fn request_header(self) -> &'static HeaderName {
        use crate::request::{ORIGIN, REQUEST_HEADERS, REQUEST_METHOD};
        match self {
            Mirror::Origin => &ORIGIN,
            Mirror::RequestMethod => &REQUEST_METHOD,
            Mirror::RequestHeaders => &REQUEST_HEADERS,
        }
    }

    /// The request's own header value for a mirrored value, cloned (for `http` header
    /// values a reference-count bump): what [`Headers::write_to`] needs from an adapter
    /// whose requests carry an `http::HeaderMap`. A list sent on several lines
    /// (`Access-Control-Request-Headers`) comes back joined with `", "`, as the policy
    /// read it ([`HeaderField::from_list`](crate::HeaderField::from_list)).
    ///
    /// ```
    /// use cors_core::Mirror;
    /// let mut request = http::HeaderMap::new();
    /// request.insert("origin", "https://a.com".parse().unwrap());
    /// assert_eq!(Mirror::Origin.clone_from(&request).unwrap(), "https://a.com");
    /// ```
    pub fn clone_from(self, request: &http::HeaderMap) -> Option<HeaderValue> {
        let all = request.get_all(self.request_header());
        let mut lines = all.iter();
        let first = lines.next()?;
        if lines.next().is_none() {
            return Some(first.clone());
        }
        let mut joined = Vec::new();
        crate::request::join_lines(all.iter().map(HeaderValue::as_bytes), &mut joined);
        HeaderValue::from_bytes(&joined).ok()
    }
}

/// One response header value.
///
/// ```
/// use cors_core::{CorsConfig, Decision, HeaderField, RequestView, Value};
///
/// let cors = CorsConfig::new().allowed_origins(["https://a.com"]).max_age(600).build()?;
/// let view = RequestView {
///     method: "OPTIONS",
///     path: "/",
///     origin: HeaderField::One(b"https://a.com"),
///     request_method: HeaderField::One(b"PUT"),
///     ..RequestView::default()
/// };
/// let Decision::Respond(answer) = cors.classify(&view) else { unreachable!() };
/// // built with the policy, not per request
/// assert!(matches!(answer.headers().get("access-control-max-age"), Some(Value::Policy(v)) if v == "600"));
/// # Ok::<(), cors_core::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    /// A value computed once, when the policy was built.
    Policy(&'a HeaderValue),
    /// A request header's value, sent back as it came (already checked to be safe).
    Mirror(Mirror, &'a [u8]),
}

impl<'a> Value<'a> {
    /// The bytes of the value.
    ///
    /// ```
    /// # use cors_core::{Mirror, Value};
    /// assert_eq!(Value::Mirror(Mirror::Origin, b"https://a.com").as_bytes(), b"https://a.com");
    /// ```
    pub fn as_bytes(&self) -> &'a [u8] {
        match self {
            Value::Policy(v) => v.as_bytes(),
            Value::Mirror(_, v) => v,
        }
    }

    /// The value as text. Every value the policy produces is visible ASCII, so this is
    /// lossless.
    ///
    /// ```
    /// # use cors_core::Value;
    /// let v = http::HeaderValue::from_static("true");
    /// assert_eq!(Value::Policy(&v).as_str(), "true");
    /// ```
    pub fn as_str(&self) -> &'a str {
        // Mirrored values passed `origin::is_serialised` or `token` checks: ASCII only.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    /// The value as `'static` text when it is one of the fixed values cors-core writes
    /// (`true`, `*`, the debug body's content type and the `Vary` lists), so that adapters
    /// whose header maps hold `'static` text (Rocket's) need not copy it; `None` for every
    /// other value.
    ///
    /// ```
    /// use cors_core::{Mirror, Value};
    /// let t = http::HeaderValue::from_static("true");
    /// assert_eq!(Value::Policy(&t).as_static_str(), Some("true"));
    /// assert_eq!(Value::Mirror(Mirror::Origin, b"https://a.com").as_static_str(), None);
    /// ```
    pub fn as_static_str(&self) -> Option<&'static str> {
        let bytes = self.as_bytes();
        FIXED_VALUES
            .iter()
            .find(|fixed| fixed.as_bytes() == bytes)
            .and_then(|fixed| fixed.to_str().ok())
    }
}

/// The CORS headers of one response, in a fixed order. `Vary` is separate because it
/// must be merged with the app's own ([`vary::merge`](crate::vary::merge)).
///
/// ```
/// use cors_core::{CorsConfig, Decision, HeaderField, RequestView};
///
/// let cors = CorsConfig::new().allowed_origins(["https://a.com"]).allow_credentials(true).build()?;
/// let view = RequestView { method: "GET", path: "/", origin: HeaderField::One(b"https://a.com"), ..RequestView::default() };
/// let Decision::Forward(forward) = cors.classify(&view) else { unreachable!() };
/// let headers = forward.headers(&cors, b"https://a.com");
/// let names: Vec<&str> = headers.iter().map(|(name, _)| name.as_str()).collect();
/// assert_eq!(names, ["access-control-allow-origin", "access-control-allow-credentials"]);
/// assert_eq!(headers.vary().unwrap(), "Origin");
/// # Ok::<(), cors_core::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Headers<'a> {
    pub(crate) allow_origin: Option<Value<'a>>,
    pub(crate) allow_credentials: bool,
    pub(crate) allow_methods: Option<Value<'a>>,
    pub(crate) allow_headers: Option<Value<'a>>,
    pub(crate) max_age: Option<&'a HeaderValue>,
    pub(crate) expose_headers: Option<&'a HeaderValue>,
    pub(crate) allow_private_network: bool,
    pub(crate) vary: Option<&'static HeaderValue>,
    /// `Content-Type` of the debug body of an answer the middleware sends itself.
    pub(crate) content_type: Option<&'static HeaderValue>,
    /// [`X_CORS_REJECTED`], in debug mode, on the response to a refused actual request.
    pub(crate) rejected: Option<&'static HeaderValue>,
}

impl<'a> Headers<'a> {
    /// The `Access-Control-*` headers to set, each at most once, in a fixed order.
    ///
    /// ```
    /// # use cors_core::Headers;
    /// assert_eq!(Headers::default().iter().count(), 0);
    /// ```
    pub fn iter(&self) -> HeadersIter<'a> {
        HeadersIter {
            headers: *self,
            next: 0,
        }
    }

    /// One header by (lower-case) name, `vary` included.
    ///
    /// ```
    /// # use cors_core::Headers;
    /// assert!(Headers::default().get("access-control-allow-origin").is_none());
    /// ```
    pub fn get(&self, name: &str) -> Option<Value<'a>> {
        if name.eq_ignore_ascii_case("vary") {
            return self.vary.map(Value::Policy);
        }
        if name.eq_ignore_ascii_case("content-type") {
            return self.content_type.map(Value::Policy);
        }
        if name.eq_ignore_ascii_case(X_CORS_REJECTED.as_str()) {
            return self.rejected.map(Value::Policy);
        }
        self.iter()
            .find(|(n, _)| n.as_str().eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// Writes these headers into a response's headers: every header of [`OWNED_HEADERS`]
    /// the app set is removed, the policy's are set (each once), `Vary` is merged with
    /// the app's own ([`vary::merge`](crate::vary::merge)), an answer with a debug
    /// body gets its `Content-Type`, and in debug mode a refused actual request gets
    /// [`X_CORS_REJECTED`]. Adapters implement
    /// [`HeaderSink`] for their framework's header map; for `http::HeaderMap` use
    /// [`write_to`](Self::write_to).
    ///
    /// ```
    /// use cors_core::{HeaderSink, Headers, Value};
    /// use http::HeaderName;
    ///
    /// /// A plain list of header lines.
    /// struct Lines(Vec<(String, Vec<u8>)>);
    /// impl HeaderSink for Lines {
    ///     fn names(&self) -> impl Iterator<Item = impl AsRef<str>> {
    ///         self.0.iter().map(|(n, _)| n.as_str())
    ///     }
    ///     fn remove(&mut self, name: &'static HeaderName) {
    ///         self.0.retain(|(n, _)| n != name.as_str());
    ///     }
    ///     fn set(&mut self, name: &'static HeaderName, value: Value<'_>) {
    ///         self.remove(name);
    ///         self.0.push((name.to_string(), value.as_bytes().to_vec()));
    ///     }
    ///     fn lines(&self, name: &'static HeaderName) -> impl Iterator<Item = &[u8]> {
    ///         self.0.iter().filter(move |(n, _)| n == name.as_str()).map(|(_, v)| v.as_slice())
    ///     }
    /// }
    ///
    /// let mut response = Lines(vec![("vary".into(), b"Accept-Encoding".to_vec())]);
    /// # let cors = cors_core::CorsConfig::new().allowed_origins(["https://a.com"]).build()?;
    /// # let view = cors_core::RequestView { method: "GET", path: "/", origin: cors_core::HeaderField::One(b"https://a.com"), ..Default::default() };
    /// # let cors_core::Decision::Forward(forward) = cors.classify(&view) else { unreachable!() };
    /// forward.headers(&cors, b"https://a.com").write_into(&mut response);
    /// assert_eq!(response.0, [
    ///     ("access-control-allow-origin".to_string(), b"https://a.com".to_vec()),
    ///     ("vary".to_string(), b"Accept-Encoding, Origin".to_vec()),
    /// ]);
    /// # Ok::<(), cors_core::ConfigError>(())
    /// ```
    pub fn write_into(&self, sink: &mut impl HeaderSink) {
        let owned = |name: &str| {
            OWNED_HEADERS
                .iter()
                .any(|o| o.as_str().eq_ignore_ascii_case(name))
        };
        if sink.names().any(|name| owned(name.as_ref())) {
            for name in &OWNED_HEADERS {
                sink.remove(name);
            }
        }
        for (name, value) in self.iter() {
            sink.set(name, value);
        }
        if let Some(content_type) = self.content_type {
            static CONTENT_TYPE: HeaderName = http::header::CONTENT_TYPE;
            sink.set(&CONTENT_TYPE, Value::Policy(content_type));
        }
        if let Some(reason) = self.rejected {
            static REJECTED: HeaderName = X_CORS_REJECTED;
            sink.set(&REJECTED, Value::Policy(reason));
        }
        if let Some(add) = self.vary {
            static VARY: HeaderName = http::header::VARY;
            match crate::vary::merge(sink.lines(&VARY), add) {
                crate::vary::VaryUpdate::Keep => {}
                crate::vary::VaryUpdate::Insert(v) => sink.set(&VARY, Value::Policy(v)),
                crate::vary::VaryUpdate::Replace(v) => sink.set(&VARY, Value::Policy(&v)),
            }
        }
    }

    /// [`write_into`](Self::write_into) for an `http` header map (axum, hyper, warp 0.4).
    ///
    /// `mirrored` turns a value taken from the request into a header value; adapters whose
    /// request headers are `http::HeaderValue`s clone the request's own with
    /// [`Mirror::clone_from`] (a reference-count bump).
    ///
    /// ```
    /// use cors_core::{CorsConfig, Decision, HeaderField, RequestView};
    /// use http::{HeaderMap, HeaderValue};
    ///
    /// let cors = CorsConfig::new().allowed_origins(["https://a.com"]).build()?;
    /// let view = RequestView { method: "GET", path: "/", origin: HeaderField::One(b"https://a.com"), ..RequestView::default() };
    /// let Decision::Forward(forward) = cors.classify(&view) else { unreachable!() };
    ///
    /// let mut response = HeaderMap::new();
    /// response.insert("vary", HeaderValue::from_static("Accept-Encoding"));
    /// response.insert("access-control-allow-origin", HeaderValue::from_static("*")); // set by the app
    /// forward.headers(&cors, b"https://a.com").write_to(&mut response, |_, bytes| HeaderValue::from_bytes(bytes).ok());
    /// assert_eq!(response["access-control-allow-origin"], "https://a.com");
    /// assert_eq!(response.get_all("access-control-allow-origin").iter().count(), 1);
    /// assert_eq!(response["vary"], "Accept-Encoding, Origin");
    /// # Ok::<(), cors_core::ConfigError>(())
    /// ```
    pub fn write_to(
        &self,
        map: &mut http::HeaderMap,
        mirrored: impl FnMut(Mirror, &[u8]) -> Option<HeaderValue>,
    ) {
        self.write_into(&mut HttpSink { map, mirrored });
    }

    /// The `Vary` value to merge into the response, if any.
    ///
    /// ```
    /// # use cors_core::Headers;
    /// assert!(Headers::default().vary().is_none());
    /// ```
    pub fn vary(&self) -> Option<&'static HeaderValue> {
        self.vary
    }
}

/// A response's header map as [`Headers::write_into`] writes into it: the one thing an
/// adapter implements for its framework. [`Headers::write_into`] has a whole
/// implementation; the `http` crate's `HeaderMap` has one built in:
///
/// ```
/// use cors_core::{CorsConfig, Decision, HeaderField, RequestView};
///
/// let cors = CorsConfig::new().allow_all_origins(true).build()?;
/// let view = RequestView { method: "GET", path: "/", origin: HeaderField::One(b"https://a.com"), ..RequestView::default() };
/// let Decision::Forward(forward) = cors.classify(&view) else { unreachable!() };
/// let mut response = http::HeaderMap::new();
/// forward.headers(&cors, b"").write_to(&mut response, |_, _| None);
/// assert_eq!(response["access-control-allow-origin"], "*");
/// # Ok::<(), cors_core::ConfigError>(())
/// ```
pub trait HeaderSink {
    /// The names of the response's headers, in any case, once or more each. Scanned once
    /// per response: only when one of [`OWNED_HEADERS`] is there are they removed (most
    /// responses have a handful of headers, and none of those).
    fn names(&self) -> impl Iterator<Item = impl AsRef<str>>;
    /// Removes every line of `name`.
    fn remove(&mut self, name: &'static HeaderName);
    /// Sets `name` to `value`, replacing any line it had.
    fn set(&mut self, name: &'static HeaderName, value: Value<'_>);
    /// The lines of `name` (for `Vary`).
    fn lines(&self, name: &'static HeaderName) -> impl Iterator<Item = &[u8]>;
}

/// [`HeaderSink`] for `http::HeaderMap`, with the adapter's way to produce mirrored values.
struct HttpSink<'m, F> {
    map: &'m mut http::HeaderMap,
    mirrored: F,
}

impl<F> HeaderSink for HttpSink<'_, F>
where
    F: FnMut(Mirror, &[u8]) -> Option<HeaderValue>,
{
    fn names(&self) -> impl Iterator<Item = impl AsRef<str>> {
        self.map.keys().map(HeaderName::as_str)
    }

    fn remove(&mut self, name: &'static HeaderName) {
        self.map.remove(name);
    }

    fn set(&mut self, name: &'static HeaderName, value: Value<'_>) {
        let value = match value {
            Value::Policy(v) => Some(v.clone()),
            Value::Mirror(which, bytes) => (self.mirrored)(which, bytes),
        };
        if let Some(value) = value {
            self.map.insert(name, value);
        }
    }

    fn lines(&self, name: &'static HeaderName) -> impl Iterator<Item = &[u8]> {
        self.map.get_all(name).iter().map(HeaderValue::as_bytes)
    }
}

/// The iterator of [`Headers::iter`]: `(name, value)` pairs in a fixed order.
///
/// ```
/// use cors_core::{CorsConfig, Decision, HeaderField, RequestView};
///
/// let cors = CorsConfig::new().allow_all_origins(true).expose_headers(["x-request-id"]).build()?;
/// let view = RequestView { method: "GET", path: "/", origin: HeaderField::One(b"https://a.com"), ..RequestView::default() };
/// let Decision::Forward(forward) = cors.classify(&view) else { unreachable!() };
/// let mut iter = forward.headers(&cors, b"").iter();
/// assert_eq!(iter.next().map(|(n, v)| (n.as_str(), v.as_str())), Some(("access-control-allow-origin", "*")));
/// assert_eq!(iter.next().map(|(n, v)| (n.as_str(), v.as_str())), Some(("access-control-expose-headers", "x-request-id")));
/// assert!(iter.next().is_none());
/// # Ok::<(), cors_core::ConfigError>(())
/// ```
#[derive(Debug, Clone)]
pub struct HeadersIter<'a> {
    headers: Headers<'a>,
    next: u8,
}

impl<'a> Iterator for HeadersIter<'a> {
    type Item = (&'static HeaderName, Value<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let h = &self.headers;
        let flag = |on: bool| on.then_some(Value::Policy(&TRUE));
        while self.next < 7 {
            let i = self.next;
            self.next += 1;
            let (name, value) = match i {
                0 => (&OWNED_HEADERS[0], h.allow_origin),
                1 => (&OWNED_HEADERS[1], flag(h.allow_credentials)),
                2 => (&OWNED_HEADERS[2], h.allow_methods),
                3 => (&OWNED_HEADERS[3], h.allow_headers),
                4 => (&OWNED_HEADERS[4], h.max_age.map(Value::Policy)),
                5 => (&OWNED_HEADERS[5], h.expose_headers.map(Value::Policy)),
                _ => (&OWNED_HEADERS[6], flag(h.allow_private_network)),
            };
            if let Some(value) = value {
                return Some((name, value));
            }
        }
        None
    }
}

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
    /// The origin is well-formed but not allowed by the policy.
    OriginNotAllowed,
    /// The `Origin` value is not a serialised origin: not lower-case
    /// `scheme://host[:port]` or `null`, not valid UTF-8, or over-long.
    MalformedOrigin,
    /// The request has more than one `Origin` header: never allowed, never echoed.
    RepeatedOrigin,
    /// A preflight header (named, lower case: `access-control-request-method`) appears
    /// more than once.
    RepeatedHeader(&'static str),
    /// `Access-Control-Request-Method` is not a method token.
    MalformedRequestMethod,
    /// The requested method is not in `allowed_methods`.
    MethodNotAllowed(&'a [u8]),
    /// An element of `Access-Control-Request-Headers` is not a header name.
    MalformedRequestHeaders(&'a [u8]),
    /// A requested header is not in `allowed_headers`.
    HeaderNotAllowed(&'a [u8]),
    /// The preflight asks for private network access, which the policy does not allow.
    PrivateNetworkNotAllowed,
}

const ORIGIN_NOT_ALLOWED: &str =
    "the origin is not allowed by allowed_origins, allowed_origin_regexes or the origin predicate";
const MALFORMED_ORIGIN: &str =
    "the Origin header is not a serialised origin (lower-case scheme://host[:port] or null)";
const REPEATED_ORIGIN: &str = "the request has more than one `origin` header";

impl Reason<'_> {
    /// The reason as a header value, for the reasons an actual request can have (its
    /// origin's), which contain no request bytes.
    pub(crate) fn header_value(self) -> Option<&'static HeaderValue> {
        static NOT_ALLOWED: HeaderValue = HeaderValue::from_static(ORIGIN_NOT_ALLOWED);
        static MALFORMED: HeaderValue = HeaderValue::from_static(MALFORMED_ORIGIN);
        static REPEATED: HeaderValue = HeaderValue::from_static(REPEATED_ORIGIN);
        match self {
            Reason::OriginNotAllowed => Some(&NOT_ALLOWED),
            Reason::MalformedOrigin => Some(&MALFORMED),
            Reason::RepeatedOrigin => Some(&REPEATED),
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
