//! [`Headers`]: the header lines of one answer, and writing them into a response.

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
};
use http::{HeaderName, HeaderValue};

use crate::private_network::ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK;
use crate::response_header::ResponseHeader;

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
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
pub const X_CORS_REJECTED: HeaderName = HeaderName::from_static("x-cors-rejected");

pub(crate) static STAR: HeaderValue = HeaderValue::from_static("*");
pub(crate) static TRUE: HeaderValue = HeaderValue::from_static("true");
pub(crate) static TEXT_PLAIN: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");

/// The values every policy may write, the same for all: see [`Value::as_static_str`] and
/// [`Cors::header_values`](crate::Cors::header_values).
pub(crate) static FIXED_VALUES: [&HeaderValue; 5] = [
    &TRUE,
    &STAR,
    &TEXT_PLAIN,
    &crate::vary::ACTUAL,
    &crate::vary::PREFLIGHT,
];
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
/// # Ok::<(), cors_core::ConfigErrors>(())
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
/// # Ok::<(), cors_core::ConfigErrors>(())
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
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Headers<'a> {
    allow_origin: Option<Value<'a>>,
    allow_methods: Option<Value<'a>>,
    allow_headers: Option<Value<'a>>,
    max_age: Option<Value<'a>>,
    expose_headers: Option<Value<'a>>,
    allow_credentials: bool,
    allow_private_network: bool,
    /// Which CORS lines are set, one bit per [`ResponseHeader`] (`1 << header as usize`),
    /// so that walking them skips the others.
    present: u8,
    vary: Option<&'static HeaderValue>,
    /// The lines of an answer in debug mode: not CORS headers, never in [`Headers::iter`].
    debug: DebugLines,
}

/// What debug mode adds to a refusal: the body's `Content-Type` on an answer the middleware
/// sends itself, [`X_CORS_REJECTED`] on the response to a refused actual request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct DebugLines {
    pub(crate) content_type: Option<&'static HeaderValue>,
    pub(crate) rejected: Option<&'static HeaderValue>,
}

impl DebugLines {
    fn iter(&self) -> impl Iterator<Item = (ResponseHeader, &'static HeaderValue)> {
        let content_type = self.content_type.map(|v| (ResponseHeader::ContentType, v));
        let rejected = self.rejected.map(|v| (ResponseHeader::Rejected, v));
        content_type.into_iter().chain(rejected)
    }
}

impl<'a> Headers<'a> {
    /// No CORS header yet, and `vary` to merge into the response's `Vary`.
    #[inline]
    pub(crate) fn new(vary: &'static HeaderValue) -> Self {
        Headers {
            vary: Some(vary),
            ..Headers::default()
        }
    }

    /// Sets one CORS header (`None` leaves it out). The two that can only be `true`
    /// (credentials, private network) are set by any value.
    #[inline]
    pub(crate) fn with(mut self, line: ResponseHeader, value: Option<Value<'a>>) -> Self {
        let bit = 1 << line as usize;
        if value.is_some() {
            self.present |= bit;
        } else {
            self.present &= !bit;
        }
        match line {
            ResponseHeader::AllowOrigin => self.allow_origin = value,
            ResponseHeader::AllowCredentials => self.allow_credentials = value.is_some(),
            ResponseHeader::AllowMethods => self.allow_methods = value,
            ResponseHeader::AllowHeaders => self.allow_headers = value,
            ResponseHeader::MaxAge => self.max_age = value,
            ResponseHeader::ExposeHeaders => self.expose_headers = value,
            ResponseHeader::AllowPrivateNetwork => self.allow_private_network = value.is_some(),
            // not CORS lines: see `new` and `with_debug`
            ResponseHeader::Vary | ResponseHeader::ContentType | ResponseHeader::Rejected => {}
        }
        self
    }

    /// The value of one CORS header, if it is set.
    #[inline]
    fn line(&self, line: ResponseHeader) -> Option<Value<'a>> {
        let flag = |on: bool| on.then_some(Value::Policy(&TRUE));
        match line {
            ResponseHeader::AllowOrigin => self.allow_origin,
            ResponseHeader::AllowCredentials => flag(self.allow_credentials),
            ResponseHeader::AllowMethods => self.allow_methods,
            ResponseHeader::AllowHeaders => self.allow_headers,
            ResponseHeader::MaxAge => self.max_age,
            ResponseHeader::ExposeHeaders => self.expose_headers,
            ResponseHeader::AllowPrivateNetwork => flag(self.allow_private_network),
            ResponseHeader::Vary => self.vary.map(Value::Policy),
            ResponseHeader::ContentType => self.debug.content_type.map(Value::Policy),
            ResponseHeader::Rejected => self.debug.rejected.map(Value::Policy),
        }
    }

    /// The CORS lines, by [`ResponseHeader`].
    ///
    /// The same walk as [`HeadersIter::next`], written out here: sharing one function
    /// between the two measured 150 to 250 more instructions per request on actix-web
    /// (`cors-bench/count-instructions actix`), where the writer is inlined into the sink.
    fn lines(&self) -> impl Iterator<Item = (ResponseHeader, Value<'a>)> + '_ {
        let mut present = self.present;
        std::iter::from_fn(move || {
            while present != 0 {
                let line = ResponseHeader::OWNED.get(present.trailing_zeros() as usize)?;
                present &= present - 1;
                if let Some(value) = self.line(*line) {
                    return Some((*line, value));
                }
            }
            None
        })
    }

    /// Adds the debug-mode lines.
    pub(crate) fn with_debug(mut self, debug: DebugLines) -> Self {
        self.debug = debug;
        self
    }

    /// The `Access-Control-*` headers to set, each at most once, in a fixed order.
    ///
    /// ```
    /// # use cors_core::Headers;
    /// assert_eq!(Headers::default().iter().count(), 0);
    /// ```
    #[inline]
    pub fn iter(&self) -> HeadersIter<'a> {
        HeadersIter {
            headers: *self,
            present: self.present,
        }
    }

    /// One header by (lower-case) name, `vary` included.
    ///
    /// ```
    /// # use cors_core::Headers;
    /// assert!(Headers::default().get("access-control-allow-origin").is_none());
    /// ```
    pub fn get(&self, name: &str) -> Option<Value<'a>> {
        ResponseHeader::ALL
            .into_iter()
            .find(|h| h.name().as_str().eq_ignore_ascii_case(name))
            .and_then(|h| self.line(h))
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
    /// use cors_core::{HeaderSink, Headers, ResponseHeader, Value};
    ///
    /// /// A plain list of header lines.
    /// struct Lines(Vec<(String, Vec<u8>)>);
    /// impl HeaderSink for Lines {
    ///     fn names(&self) -> impl Iterator<Item = impl AsRef<str>> {
    ///         self.0.iter().map(|(n, _)| n.as_str())
    ///     }
    ///     fn remove(&mut self, header: ResponseHeader) {
    ///         self.0.retain(|(n, _)| n != header.name().as_str());
    ///     }
    ///     fn set(&mut self, header: ResponseHeader, value: Value<'_>) {
    ///         self.remove(header);
    ///         self.0.push((header.name().to_string(), value.as_bytes().to_vec()));
    ///     }
    ///     fn lines(&self, header: ResponseHeader) -> impl Iterator<Item = &[u8]> {
    ///         self.0.iter().filter(move |(n, _)| n == header.name().as_str()).map(|(_, v)| v.as_slice())
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
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn write_into(&self, sink: &mut impl HeaderSink) {
        // One walk of the names: whether the response has any line at all (a preflight's
        // answer, made by the adapter, has none), and whether the app set an owned one.
        let mut fresh = true;
        let mut owned = false;
        for name in sink.names() {
            fresh = false;
            if ResponseHeader::is_owned(name.as_ref()) {
                owned = true;
                break;
            }
        }
        if owned {
            for header in ResponseHeader::OWNED {
                sink.remove(header);
            }
        }
        // None of the owned headers is on the response now: each is added.
        for (header, value) in self.lines() {
            sink.add(header, value);
        }
        for (header, value) in self.debug.iter() {
            sink.set(header, Value::Policy(value));
        }
        match self.vary {
            // Nothing to merge with: a line of its own, without looking `Vary` up.
            Some(add) if fresh => sink.add(ResponseHeader::Vary, Value::Policy(add)),
            Some(add) => sink.merge_vary(add),
            None => {}
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
    /// # Ok::<(), cors_core::ConfigErrors>(())
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
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
pub trait HeaderSink {
    /// The names of every header the response has, `Vary` included, in any case, once or
    /// more each. Walked once per response, up to the first of [`OWNED_HEADERS`] (only then
    /// are they removed: most responses have a handful of headers and none of those). A
    /// response with no name at all is one the adapter made itself (a preflight's answer):
    /// its `Vary` is added as a line of its own, without [`merge_vary`](Self::merge_vary):
    /// a sink whose names left out every line of a response that has a `Vary` would have
    /// that `Vary` replaced.
    fn names(&self) -> impl Iterator<Item = impl AsRef<str>>;
    /// Removes every line of `header`.
    fn remove(&mut self, header: ResponseHeader);
    /// Sets `header` to `value`, replacing any line it had.
    fn set(&mut self, header: ResponseHeader, value: Value<'_>);
    /// Adds a line of `header`, which the response does not have: [`Headers::write_into`]
    /// adds the owned headers once it has removed any the app set. The provided method
    /// calls [`set`](Self::set); a map that appends more cheaply than it replaces may
    /// append.
    fn add(&mut self, header: ResponseHeader, value: Value<'_>) {
        self.set(header, value);
    }
    /// The lines of `header` (for `Vary`).
    fn lines(&self, header: ResponseHeader) -> impl Iterator<Item = &[u8]>;

    /// Merges `add` into the response's `Vary` ([`vary::merge`](crate::vary::merge)). The
    /// provided method reads the lines and sets the result; a sink whose map can look a
    /// header up once for both may do it in one step.
    fn merge_vary(&mut self, add: &'static HeaderValue) {
        match crate::vary::merge(self.lines(ResponseHeader::Vary), add) {
            crate::vary::VaryUpdate::Keep => {}
            crate::vary::VaryUpdate::Insert(v) => self.set(ResponseHeader::Vary, Value::Policy(v)),
            crate::vary::VaryUpdate::Replace(v) => {
                self.set(ResponseHeader::Vary, Value::Policy(&v));
            }
        }
    }
}

/// [`HeaderSink`] for `http::HeaderMap`, with the adapter's way to produce mirrored values.
struct HttpSink<'m, F> {
    map: &'m mut http::HeaderMap,
    mirrored: F,
}

impl<F> HttpSink<'_, F>
where
    F: FnMut(Mirror, &[u8]) -> Option<HeaderValue>,
{
    fn value(&mut self, value: Value<'_>) -> Option<HeaderValue> {
        match value {
            Value::Policy(v) => Some(v.clone()),
            Value::Mirror(which, bytes) => (self.mirrored)(which, bytes),
        }
    }
}

impl<F> HeaderSink for HttpSink<'_, F>
where
    F: FnMut(Mirror, &[u8]) -> Option<HeaderValue>,
{
    fn names(&self) -> impl Iterator<Item = impl AsRef<str>> {
        self.map.keys().map(HeaderName::as_str)
    }

    fn remove(&mut self, header: ResponseHeader) {
        self.map.remove(header.name());
    }

    fn set(&mut self, header: ResponseHeader, value: Value<'_>) {
        let value = self.value(value);
        if let Some(value) = value {
            self.map.insert(header.name(), value);
        }
    }

    fn add(&mut self, header: ResponseHeader, value: Value<'_>) {
        if let Some(value) = self.value(value) {
            self.map.append(header.name(), value);
        }
    }

    fn lines(&self, header: ResponseHeader) -> impl Iterator<Item = &[u8]> {
        self.map
            .get_all(header.name())
            .iter()
            .map(HeaderValue::as_bytes)
    }

    /// One lookup: inserted where the response has no `Vary`, else merged.
    fn merge_vary(&mut self, add: &'static HeaderValue) {
        match self.map.entry(http::header::VARY) {
            http::header::Entry::Vacant(vacant) => {
                vacant.insert(add.clone());
            }
            http::header::Entry::Occupied(mut occupied) => {
                let lines = occupied.iter().map(HeaderValue::as_bytes);
                if let crate::vary::VaryUpdate::Replace(merged) = crate::vary::merge(lines, add) {
                    occupied.insert(merged);
                }
            }
        }
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
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
#[derive(Debug, Clone)]
pub struct HeadersIter<'a> {
    headers: Headers<'a>,
    /// The lines not yet walked, one bit each, as in [`Headers`].
    present: u8,
}

impl<'a> Iterator for HeadersIter<'a> {
    type Item = (&'static HeaderName, Value<'a>);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        while self.present != 0 {
            let line = *ResponseHeader::OWNED.get(self.present.trailing_zeros() as usize)?;
            self.present &= self.present - 1;
            if let Some(value) = self.headers.line(line) {
                return Some((line.name(), value));
            }
        }
        None
    }
}
