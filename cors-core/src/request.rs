//! [`RequestView`]: the few parts of a request the policy looks at, borrowed.

/// The values of one request header, as far as the policy cares: absent, one value, or
/// repeated.
///
/// Browsers send each CORS request header at most once, so a repeated `Origin`,
/// `Access-Control-Request-Method` or `-Private-Network` is treated as malformed: never
/// allowed, never echoed. `Access-Control-Request-Headers` is a list, whose lines are
/// joined instead ([`HeaderField::from_list`]).
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

    /// Builds the field of a comma-separated list header from all its lines: several
    /// lines are one list (RFC 9110 §5.3), joined with `", "` into `joined`, which is
    /// touched only then.
    ///
    /// ```
    /// use cors_core::HeaderField;
    ///
    /// let mut joined = Vec::new();
    /// let field = HeaderField::from_list([&b"a"[..], b"b, c"], &mut joined);
    /// assert_eq!(field, HeaderField::One(b"a, b, c"));
    /// ```
    pub fn from_list<I>(values: I, joined: &'a mut Vec<u8>) -> Self
    where
        I: IntoIterator<Item = &'a [u8]>,
    {
        let mut values = values.into_iter();
        let Some(first) = values.next() else {
            return HeaderField::Absent;
        };
        let Some(second) = values.next() else {
            return HeaderField::One(first);
        };
        joined.clear();
        join_lines([first, second].into_iter().chain(values), joined);
        let joined: &'a Vec<u8> = joined;
        HeaderField::One(joined)
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
    /// `Host` (or the request target's authority): with `Origin`, tells a same-origin
    /// request, which is never refused.
    pub host: HeaderField<'a>,
    /// `Sec-Fetch-Site`: `same-origin` or `none` marks a request a browser made from the
    /// server's own origin (or the user made), which is never refused.
    pub sec_fetch_site: HeaderField<'a>,
}

impl<'a> RequestView<'a> {
    /// The view of a request whose header lines `lines` looks up, given each CORS request
    /// header's name (`origin`, `access-control-request-method`, ...), for
    /// [`Cors::classify`](crate::Cors::classify). Adapters call
    /// [`Cors::classify_lines`](crate::Cors::classify_lines) instead, which reads the same
    /// headers only when the decision depends on them.
    ///
    /// Only what the decision can depend on is looked up: the preflight headers
    /// (`Access-Control-Request-*`) only on an `OPTIONS` request with an `Origin`, `Host`
    /// only on a request with an `Origin`, `Sec-Fetch-Site` always; the others are left
    /// [`Absent`](HeaderField::Absent), which decides the same.
    ///
    /// `Access-Control-Request-Headers` is a list: sent on several lines (an intermediary
    /// may split it; RFC 9110 §5.3 lets a recipient combine them), its lines are joined
    /// with `", "` into `joined`, which is touched only then. Every other header sent more
    /// than once is [`Repeated`](HeaderField::Repeated).
    ///
    /// ```
    /// use cors_core::{HeaderField, RequestView};
    ///
    /// let headers = [
    ///     ("origin", &b"https://app.example.com"[..]),
    ///     ("access-control-request-method", b"PUT"),
    ///     ("access-control-request-headers", b"content-type"),
    ///     ("access-control-request-headers", b"x-token"),
    /// ];
    /// let mut joined = Vec::new();
    /// let view = RequestView::from_headers("OPTIONS", "/api/items", &mut joined, |name| {
    ///     headers.iter().filter(move |(n, _)| *n == name.as_str()).map(|(_, v)| *v)
    /// });
    /// assert!(view.is_preflight());
    /// assert_eq!(view.request_headers, HeaderField::One(b"content-type, x-token"));
    /// ```
    pub fn from_headers<I>(
        method: &'a str,
        path: &'a str,
        joined: &'a mut Vec<u8>,
        mut lines: impl FnMut(&'static http::HeaderName) -> I,
    ) -> Self
    where
        I: IntoIterator<Item = &'a [u8]>,
    {
        let origin = HeaderField::from_values(lines(&ORIGIN));
        if !origin.is_present() {
            // `csrf_protection` refuses a cross-site request that lost its `Origin`.
            return RequestView {
                method,
                path,
                sec_fetch_site: HeaderField::from_values(lines(&SEC_FETCH_SITE)),
                ..RequestView::default()
            };
        }
        let host = HeaderField::from_values(lines(&HOST));
        let sec_fetch_site = HeaderField::from_values(lines(&SEC_FETCH_SITE));
        if method != "OPTIONS" {
            return RequestView {
                method,
                path,
                origin,
                host,
                sec_fetch_site,
                ..RequestView::default()
            };
        }
        RequestView {
            method,
            path,
            origin,
            request_method: HeaderField::from_values(lines(&REQUEST_METHOD)),
            request_headers: HeaderField::from_list(lines(&REQUEST_HEADERS), joined),
            request_private_network: HeaderField::from_values(lines(
                &crate::private_network::ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK,
            )),
            host,
            sec_fetch_site,
        }
    }

    /// The view of a request made of `http` crate types (axum, hyper, tonic, warp 0.4).
    /// The request target's authority (HTTP/2's `:authority`, an absolute-form target)
    /// stands for `Host` when there is one.
    ///
    /// ```
    /// use cors_core::{HeaderField, RequestView};
    ///
    /// let req = http::Request::options("/api/items?page=2")
    ///     .header("origin", "https://app.example.com")
    ///     .header("access-control-request-method", "PUT")
    ///     .body(())
    ///     .unwrap();
    /// let mut joined = Vec::new();
    /// let view = RequestView::from_http(req.method(), req.uri(), req.headers(), &mut joined);
    /// assert_eq!(view.path, "/api/items");
    /// assert_eq!(view.request_method, HeaderField::One(b"PUT"));
    /// assert!(view.is_preflight());
    /// ```
    pub fn from_http(
        method: &'a http::Method,
        uri: &'a http::Uri,
        headers: &'a http::HeaderMap,
        joined: &'a mut Vec<u8>,
    ) -> Self {
        Self::from_parts(method, uri.path(), headers, joined)
            .with_authority(uri.authority().map(http::uri::Authority::as_str))
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
    /// let mut joined = Vec::new();
    /// let view = RequestView::from_parts(&http::Method::GET, "/api/items", &headers, &mut joined);
    /// assert_eq!(view.origin, HeaderField::Repeated);
    /// assert!(!view.is_preflight());
    /// ```
    pub fn from_parts(
        method: &'a http::Method,
        path: &'a str,
        headers: &'a http::HeaderMap,
        joined: &'a mut Vec<u8>,
    ) -> Self {
        Self::from_headers(method.as_str(), path, joined, |name| {
            headers
                .get_all(name)
                .iter()
                .map(http::HeaderValue::as_bytes)
        })
    }

    /// The view with the request target's authority in place of the `Host` header, when
    /// the request has an `Origin` and the framework knows an authority (HTTP/2 requests
    /// carry `:authority` and often no `Host`).
    ///
    /// ```
    /// use cors_core::{HeaderField, RequestView};
    /// let view = RequestView { origin: HeaderField::One(b"https://a.com"), ..RequestView::default() };
    /// assert_eq!(view.with_authority(Some("a.com")).host, HeaderField::One(b"a.com"));
    /// ```
    pub fn with_authority(mut self, authority: Option<&'a str>) -> Self {
        if let (true, Some(authority)) = (self.origin.is_present(), authority) {
            self.host = HeaderField::One(authority.as_bytes());
        }
        self
    }
}

/// Appends the lines of a list header to `into`, separated by `", "`: the one way lines
/// are combined, for the policy's view and for the value an adapter mirrors.
pub(crate) fn join_lines<'b>(lines: impl IntoIterator<Item = &'b [u8]>, into: &mut Vec<u8>) {
    for (at, line) in lines.into_iter().enumerate() {
        if at > 0 {
            into.extend_from_slice(b", ");
        }
        into.extend_from_slice(line);
    }
}

/// A request header the policy reads, for [`Cors::classify_lines`](crate::Cors::classify_lines):
/// an adapter whose framework has its own header names keeps them in a table indexed by
/// `header as usize`.
///
/// ```
/// use cors_core::RequestHeader;
/// assert_eq!(RequestHeader::Origin.name(), "origin");
/// assert_eq!(RequestHeader::ALL[RequestHeader::Host as usize], RequestHeader::Host);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestHeader {
    /// `Origin`
    Origin,
    /// `Access-Control-Request-Method`
    RequestMethod,
    /// `Access-Control-Request-Headers` (a list: lines are joined)
    RequestHeaders,
    /// `Access-Control-Request-Private-Network`
    RequestPrivateNetwork,
    /// `Host`
    Host,
    /// `Sec-Fetch-Site`
    SecFetchSite,
}

impl RequestHeader {
    /// Every one, in the order `header as usize` counts them.
    pub const ALL: [RequestHeader; 6] = [
        RequestHeader::Origin,
        RequestHeader::RequestMethod,
        RequestHeader::RequestHeaders,
        RequestHeader::RequestPrivateNetwork,
        RequestHeader::Host,
        RequestHeader::SecFetchSite,
    ];

    /// The header's name.
    ///
    /// ```
    /// assert_eq!(cors_core::RequestHeader::SecFetchSite.name(), "sec-fetch-site");
    /// ```
    pub fn name(self) -> &'static http::HeaderName {
        match self {
            RequestHeader::Origin => &ORIGIN,
            RequestHeader::RequestMethod => &REQUEST_METHOD,
            RequestHeader::RequestHeaders => &REQUEST_HEADERS,
            RequestHeader::RequestPrivateNetwork => {
                &crate::private_network::ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK
            }
            RequestHeader::Host => &HOST,
            RequestHeader::SecFetchSite => &SEC_FETCH_SITE,
        }
    }
}

pub(crate) static ORIGIN: http::HeaderName = http::header::ORIGIN;
pub(crate) static REQUEST_METHOD: http::HeaderName = http::header::ACCESS_CONTROL_REQUEST_METHOD;
pub(crate) static REQUEST_HEADERS: http::HeaderName = http::header::ACCESS_CONTROL_REQUEST_HEADERS;
pub(crate) static HOST: http::HeaderName = http::header::HOST;

/// `Sec-Fetch-Site`, which the `http` crate has no constant for.
///
/// ```
/// assert_eq!(cors_core::SEC_FETCH_SITE, "sec-fetch-site");
/// ```
pub static SEC_FETCH_SITE: http::HeaderName = http::HeaderName::from_static("sec-fetch-site");

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

    /// Whether a browser made this request from the server's own origin, as Go's
    /// `net/http.CrossOriginProtection` decides it: `Sec-Fetch-Site: same-origin` (or
    /// `none`, a request the user made); without `Sec-Fetch-Site` (older browsers), an
    /// `Origin` whose host and port equal the `Host` header. Browsers send `Origin` on
    /// same-origin requests that are not GET or HEAD, and such a request is never refused.
    ///
    /// A page cannot set any of these headers, so no cross-site page passes. Like Go's
    /// check, the fallback compares host and port, not the scheme (the server behind a
    /// proxy rarely knows it). `host` is the `Host` header, or the request target's
    /// authority where the adapter passes it ([`with_authority`](Self::with_authority):
    /// axum and actix-web do, for HTTP/2; warp and Rocket read `Host`).
    ///
    /// ```
    /// # use cors_core::{HeaderField, RequestView};
    /// let own_page = RequestView {
    ///     method: "POST",
    ///     origin: HeaderField::One(b"https://api.example.com"),
    ///     host: HeaderField::One(b"api.example.com"),
    ///     ..RequestView::default()
    /// };
    /// assert!(own_page.is_same_origin());
    /// let other = RequestView { sec_fetch_site: HeaderField::One(b"cross-site"), ..own_page };
    /// assert!(!other.is_same_origin());
    /// ```
    pub fn is_same_origin(&self) -> bool {
        match self.sec_fetch_site {
            HeaderField::One(site) => site == b"same-origin" || site == b"none",
            HeaderField::Repeated => false,
            HeaderField::Absent => match (self.origin, self.host) {
                (HeaderField::One(origin), HeaderField::One(host)) => {
                    let authority = origin
                        .windows(3)
                        .position(|w| w == b"://")
                        .map(|at| &origin[at + 3..]);
                    authority.is_some_and(|a| !a.is_empty() && a.eq_ignore_ascii_case(host))
                }
                _ => false,
            },
        }
    }

    /// Whether a browser marks the request as coming from another site: a `Sec-Fetch-Site`
    /// other than `same-origin` and `none` (`cross-site`, `same-site`, a value no browser
    /// sends, or the header repeated). What `csrf_protection` refuses a request without
    /// `Origin` for.
    ///
    /// ```
    /// use cors_core::{HeaderField, RequestView};
    ///
    /// let form = RequestView { method: "POST", sec_fetch_site: HeaderField::One(b"cross-site"), ..RequestView::default() };
    /// assert!(form.is_cross_site());
    /// let typed = RequestView { sec_fetch_site: HeaderField::One(b"none"), ..form };
    /// assert!(!typed.is_cross_site());
    /// ```
    pub fn is_cross_site(&self) -> bool {
        match self.sec_fetch_site {
            HeaderField::One(site) => site != b"same-origin" && site != b"none",
            HeaderField::Repeated => true,
            HeaderField::Absent => false,
        }
    }
}
