//! [`RequestView`]: the few parts of a request the policy looks at, borrowed.

/// The values of one request header, as far as the policy cares: absent, one value, or
/// repeated.
///
/// Browsers send each CORS request header at most once, so a repeated `Origin`,
/// `Access-Control-Request-Method`, `-Headers` or `-Private-Network` is treated as
/// malformed: never allowed, never echoed.
///
/// ```
/// use cors_core::HeaderField;
///
/// let one = [&b"https://a.com"[..]];
/// assert_eq!(HeaderField::from_values(one), HeaderField::One(b"https://a.com"));
/// assert_eq!(HeaderField::from_values([&b"a"[..], b"b"]), HeaderField::Repeated);
/// assert_eq!(HeaderField::from_values(std::iter::empty::<&[u8]>()), HeaderField::Absent);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HeaderField<'a> {
    /// The header is not in the request.
    #[default]
    Absent,
    /// The header appears once, with these bytes (not necessarily UTF-8).
    One(&'a [u8]),
    /// The header appears more than once.
    Repeated,
}

impl<'a> HeaderField<'a> {
    /// Builds the field from all the values a request has for one header name.
    ///
    /// With the `http` crate: `HeaderField::from_values(req.headers().get_all(ORIGIN).iter().map(|v| v.as_bytes()))`.
    ///
    /// ```
    /// use cors_core::HeaderField;
    /// use http::{header::ORIGIN, Request};
    ///
    /// let req = Request::get("/").header(ORIGIN, "https://a.com").body(()).unwrap();
    /// let field = HeaderField::from_values(req.headers().get_all(ORIGIN).iter().map(|v| v.as_bytes()));
    /// assert_eq!(field, HeaderField::One(b"https://a.com"));
    /// ```
    pub fn from_values<I>(values: I) -> Self
    where
        I: IntoIterator<Item = &'a [u8]>,
    {
        let mut values = values.into_iter();
        match (values.next(), values.next()) {
            (None, _) => HeaderField::Absent,
            (Some(v), None) => HeaderField::One(v),
            (Some(_), Some(_)) => HeaderField::Repeated,
        }
    }

    /// Whether the header is present at all (once or more).
    ///
    /// ```
    /// # use cors_core::HeaderField;
    /// assert!(HeaderField::Repeated.is_present());
    /// assert!(!HeaderField::Absent.is_present());
    /// ```
    pub fn is_present(&self) -> bool {
        !matches!(self, HeaderField::Absent)
    }
}

/// A borrowed view of the parts of a request that CORS depends on.
///
/// Adapters fill it from their framework's request type; nothing is copied.
///
/// ```
/// use cors_core::{HeaderField, RequestView};
///
/// let view = RequestView {
///     method: "OPTIONS",
///     path: "/api/items",
///     origin: HeaderField::One(b"https://app.example.com"),
///     request_method: HeaderField::One(b"PUT"),
///     request_headers: HeaderField::One(b"content-type"),
///     ..RequestView::default()
/// };
/// assert!(view.is_preflight());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RequestView<'a> {
    /// The request method, as sent (`OPTIONS`).
    pub method: &'a str,
    /// The request path, without the query (`/api/items`).
    pub path: &'a str,
    /// `Origin`
    pub origin: HeaderField<'a>,
    /// `Access-Control-Request-Method`
    pub request_method: HeaderField<'a>,
    /// `Access-Control-Request-Headers`
    pub request_headers: HeaderField<'a>,
    /// `Access-Control-Request-Private-Network`
    pub request_private_network: HeaderField<'a>,
}

impl<'a> RequestView<'a> {
    /// The view of a request whose headers `field` looks up, given each CORS request
    /// header's name (`origin`, `access-control-request-method`, ...). This is all an
    /// adapter writes to read its framework's request.
    ///
    /// Only what the decision can depend on is looked up: the preflight headers
    /// (`Access-Control-Request-*`) only on an `OPTIONS` request with an `Origin`; on any
    /// other request they are left [`Absent`](HeaderField::Absent), which decides the same.
    ///
    /// ```
    /// use cors_core::{HeaderField, RequestView};
    ///
    /// let headers = [("origin", &b"https://app.example.com"[..]), ("access-control-request-method", b"PUT")];
    /// let view = RequestView::from_headers("OPTIONS", "/api/items", |name| {
    ///     HeaderField::from_values(headers.iter().filter(|(n, _)| *n == name.as_str()).map(|(_, v)| *v))
    /// });
    /// assert!(view.is_preflight());
    /// assert_eq!(view.request_headers, HeaderField::Absent);
    /// ```
    pub fn from_headers(
        method: &'a str,
        path: &'a str,
        mut field: impl FnMut(&'static http::HeaderName) -> HeaderField<'a>,
    ) -> Self {
        let origin = field(&ORIGIN);
        if method != "OPTIONS" || !origin.is_present() {
            return RequestView {
                method,
                path,
                origin,
                ..RequestView::default()
            };
        }
        RequestView {
            method,
            path,
            origin,
            request_method: field(&REQUEST_METHOD),
            request_headers: field(&REQUEST_HEADERS),
            request_private_network: field(&ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK),
        }
    }

    /// The view of a request made of `http` crate types (axum, hyper, tonic, warp 0.4).
    ///
    /// ```
    /// use cors_core::{HeaderField, RequestView};
    ///
    /// let req = http::Request::options("/api/items?page=2")
    ///     .header("origin", "https://app.example.com")
    ///     .header("access-control-request-method", "PUT")
    ///     .body(())
    ///     .unwrap();
    /// let view = RequestView::from_http(req.method(), req.uri(), req.headers());
    /// assert_eq!(view.path, "/api/items");
    /// assert_eq!(view.request_method, HeaderField::One(b"PUT"));
    /// assert!(view.is_preflight());
    /// ```
    pub fn from_http(
        method: &'a http::Method,
        uri: &'a http::Uri,
        headers: &'a http::HeaderMap,
    ) -> Self {
        Self::from_parts(method, uri.path(), headers)
    }

    /// The view of a request given its method, its path (without the query) and its
    /// headers, for frameworks that hand these out separately (warp's filters).
    ///
    /// ```
    /// use cors_core::{HeaderField, RequestView};
    ///
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("origin", "https://app.example.com".parse().unwrap());
    /// headers.append("origin", "https://other.example.com".parse().unwrap());
    /// let view = RequestView::from_parts(&http::Method::GET, "/api/items", &headers);
    /// assert_eq!(view.origin, HeaderField::Repeated);
    /// assert!(!view.is_preflight());
    /// ```
    pub fn from_parts(
        method: &'a http::Method,
        path: &'a str,
        headers: &'a http::HeaderMap,
    ) -> Self {
        Self::from_headers(method.as_str(), path, |name| {
            HeaderField::from_values(
                headers
                    .get_all(name)
                    .iter()
                    .map(http::HeaderValue::as_bytes),
            )
        })
    }
}

pub(crate) static ORIGIN: http::HeaderName = http::header::ORIGIN;
pub(crate) static REQUEST_METHOD: http::HeaderName = http::header::ACCESS_CONTROL_REQUEST_METHOD;
pub(crate) static REQUEST_HEADERS: http::HeaderName = http::header::ACCESS_CONTROL_REQUEST_HEADERS;

/// `Access-Control-Request-Private-Network`, which the `http` crate has no constant for.
///
/// ```
/// assert_eq!(cors_core::ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK, "access-control-request-private-network");
/// ```
pub static ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK: http::HeaderName =
    http::HeaderName::from_static("access-control-request-private-network");

impl RequestView<'_> {
    /// Whether this is a CORS preflight: `OPTIONS` with `Origin` and
    /// `Access-Control-Request-Method`. Any other `OPTIONS` request is the app's.
    ///
    /// ```
    /// # use cors_core::{HeaderField, RequestView};
    /// let plain_options = RequestView {
    ///     method: "OPTIONS",
    ///     origin: HeaderField::One(b"https://a.com"),
    ///     ..RequestView::default()
    /// };
    /// assert!(!plain_options.is_preflight());
    /// ```
    pub fn is_preflight(&self) -> bool {
        self.method == "OPTIONS" && self.origin.is_present() && self.request_method.is_present()
    }
}
