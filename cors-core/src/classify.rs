//! [`Cors::classify`]: the decision for one request, each step with the part of the Fetch
//! standard it answers. Each header's answer is in the file named for its setting.

use crate::allow_origin::AllowOrigin;
use crate::decision::{Decision, Forward, Grant, OriginRefusal, Outcome, Response};
use crate::headers::{DebugLines, Headers, TEXT_PLAIN, TRUE, Value};
use crate::origin_check::{Pending, Verdict};
use crate::path_set::Scope;
use crate::policy::Cors;
use crate::reason::Reason;
#[cfg(feature = "tracing")]
use crate::reason::{Shown, ShownField, ShownPath};
use crate::request::{HeaderField, RequestHeader, RequestView};
use crate::response_header::ResponseHeader;
use crate::vary;

/// What checking the `Origin` header gave: the origin to echo, `None` for `*`, or why not.
type OriginCheck<'a> = Result<Option<&'a [u8]>, Reason<'static>>;

impl Cors {
    /// Decides what to do with a request. Allocates nothing, but for the copy of the origin
    /// a [`Decision::Check`] takes to the asynchronous origin check, and the decoded copy
    /// of a path with percent-encoded letters that `urls_regex` or `paths` reads.
    ///
    /// ```
    /// use cors_core::{CorsConfig, Decision, HeaderField, RequestView};
    ///
    /// let cors = CorsConfig::new().allowed_origins(["https://app.example.com"]).build()?;
    /// let preflight = RequestView {
    ///     method: "OPTIONS",
    ///     path: "/api/items/1",
    ///     origin: HeaderField::One(b"https://app.example.com"),
    ///     request_method: HeaderField::One(b"PUT"),
    ///     request_headers: HeaderField::One(b"content-type"),
    ///     ..RequestView::default()
    /// };
    /// let Decision::Respond(answer) = cors.classify(&preflight) else { unreachable!() };
    /// assert_eq!(answer.status(), 200);
    /// assert!(answer.rejection().is_none());
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn classify<'a>(&'a self, req: &RequestView<'a>) -> Decision<'a> {
        self.classify_with(None, req)
    }

    /// [`classify`](Self::classify) again, once the
    /// [`AsyncOriginPredicate`](crate::AsyncOriginPredicate) said its [`Verdict`] on the
    /// request's origin ([`Decision::Check`]). Never returns [`Decision::Check`] A verdict
    /// about another origin refuses this one.
    pub fn classify_checked<'a>(&'a self, verdict: Verdict, req: &RequestView<'a>) -> Decision<'a> {
        self.classify_with(Some(&verdict), req)
    }

    fn classify_with<'a>(&'a self, asked: Option<&Verdict>, req: &RequestView<'a>) -> Decision<'a> {
        let inner = &*self.inner;
        match &inner.scope {
            Scope::All => {}
            Scope::Urls(urls) if Scope::leaves_out(urls, req.path) => {
                return self.outside_urls(req, asked);
            }
            Scope::Urls(_) => {}
            Scope::Paths(set) => {
                // a path no entry matches is left out, as by `urls_regex`
                match set.find(req.path) {
                    Some((at, entry)) => return entry.classify_with(asked, req).of_entry(at),
                    None => return self.outside_urls(req, asked),
                }
            }
        }
        // No `Origin`: not a CORS request (https://fetch.spec.whatwg.org/#cors-request).
        if !req.origin.is_present() {
            return self.without_origin(req);
        }
        let origin = self.check_origin(req.origin, asked);
        if req.is_preflight() {
            if let Some(pending) = self.ask(&origin, req.origin, asked) {
                return Decision::Check(pending);
            }
            self.preflight(req, origin)
        } else {
            if !req.is_same_origin()
                && let Some(pending) = self.ask(&origin, req.origin, asked)
            {
                return Decision::Check(pending);
            }
            self.actual(req, origin)
        }
    }

    /// The origin checked against the lists and the predicate, with the verdict of the
    /// asynchronous check in place of their refusal when it was asked.
    #[inline]
    fn check_origin<'a>(
        &self,
        origin: HeaderField<'a>,
        asked: Option<&Verdict>,
    ) -> OriginCheck<'a> {
        let checked = self.inner.origins.check(origin);
        match (checked, asked, origin) {
            (Err(Reason::OriginNotAllowed), Some(verdict), HeaderField::One(bytes)) => {
                verdict.settle(bytes)
            }
            _ => checked,
        }
    }

    /// The question for the [`AsyncOriginPredicate`](crate::AsyncOriginPredicate), when
    /// there is one, it was not asked yet, and only it can allow this origin: one that
    /// everything else refused as not allowed (never `null`, a malformed or repeated one).
    #[inline]
    fn ask(
        &self,
        checked: &OriginCheck<'_>,
        origin: HeaderField<'_>,
        asked: Option<&Verdict>,
    ) -> Option<Pending> {
        let check = self.inner.origins.asynchronous.as_ref()?;
        match (checked, asked, origin) {
            (Err(Reason::OriginNotAllowed), None, HeaderField::One(bytes)) if bytes != b"null" => {
                Some(Pending::new(
                    String::from_utf8_lossy(bytes).into_owned(),
                    check.clone(),
                ))
            }
            _ => None,
        }
    }

    /// Decides what to do with a request whose headers `lines` reads, reading only what the
    /// decision depends on: `Origin` always; the preflight headers only on `OPTIONS` with an
    /// `Origin`; `Sec-Fetch-Site`, and without it `Host` (or `authority`, the request
    /// target's, when the framework knows one), only when an actual request's origin is
    /// refused, to tell a same-origin request, and, with `csrf_protection`, on a request
    /// with an unsafe method without `Origin`, on a path `urls_regex` leaves out or no entry
    /// of `paths` matches. Answers as [`classify`](Self::classify) does on a
    /// [`RequestView`] with every header read. What adapters call. Allocates nothing but
    /// when `Access-Control-Request-Headers` comes on several lines, which are joined in
    /// `joined`, the copy of the origin a [`Decision::Check`] takes to the asynchronous
    /// origin check, and the decoded copy of a path with percent-encoded letters that
    /// `urls_regex` or `paths` reads.
    ///
    /// ```
    /// use cors_core::{CorsConfig, Decision};
    ///
    /// let cors = CorsConfig::new().allowed_origins(["https://app.example.com"]).build()?;
    /// let request = http::Request::get("/api/items").header("origin", "https://app.example.com").body(())?;
    /// let mut joined = Vec::new();
    /// let decision = cors.classify_lines("GET", "/api/items", None, &mut joined, |header| {
    ///     request.headers().get_all(header.name()).iter().map(|v| v.as_bytes())
    /// });
    /// let Decision::Forward(forward) = decision else { unreachable!() };
    /// assert!(forward.echoes_origin());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn classify_lines<'a, I>(
        &'a self,
        method: &'a str,
        path: &'a str,
        authority: Option<&'a str>,
        joined: &'a mut Vec<u8>,
        lines: impl FnMut(RequestHeader) -> I,
    ) -> Decision<'a>
    where
        I: IntoIterator<Item = &'a [u8]>,
    {
        self.classify_lines_with(None, method, path, authority, joined, lines)
    }

    /// [`classify_lines`](Self::classify_lines) again, once the
    /// [`AsyncOriginPredicate`](crate::AsyncOriginPredicate) said its [`Verdict`] on the
    /// request's origin ([`Decision::Check`]). Never returns [`Decision::Check`] A verdict
    /// about another origin refuses this one.
    pub fn classify_lines_checked<'a, I>(
        &'a self,
        verdict: Verdict,
        method: &'a str,
        path: &'a str,
        authority: Option<&'a str>,
        joined: &'a mut Vec<u8>,
        lines: impl FnMut(RequestHeader) -> I,
    ) -> Decision<'a>
    where
        I: IntoIterator<Item = &'a [u8]>,
    {
        self.classify_lines_with(Some(&verdict), method, path, authority, joined, lines)
    }

    #[inline]
    fn classify_lines_with<'a, I>(
        &'a self,
        asked: Option<&Verdict>,
        method: &'a str,
        path: &'a str,
        authority: Option<&'a str>,
        joined: &'a mut Vec<u8>,
        mut lines: impl FnMut(RequestHeader) -> I,
    ) -> Decision<'a>
    where
        I: IntoIterator<Item = &'a [u8]>,
    {
        let inner = &*self.inner;
        let outside = match &inner.scope {
            Scope::All => false,
            Scope::Urls(urls) => Scope::leaves_out(urls, path),
            // a path no entry matches is left out, as by `urls_regex`
            Scope::Paths(set) => match set.find(path) {
                Some((at, entry)) => {
                    return entry
                        .classify_lines_with(asked, method, path, authority, joined, lines)
                        .of_entry(at);
                }
                None => true,
            },
        };
        if outside {
            if !self.guards(method) {
                return Decision::Skip;
            }
            // `csrf_protection` covers every path: `urls_regex` scopes CORS, and a path a
            // router decodes (`/%61pi`) must not be a way around the check.
            let mut view = RequestView {
                method,
                path,
                origin: HeaderField::from_values(lines(RequestHeader::Origin)),
                ..RequestView::default()
            };
            read_site(&mut view, authority, &mut lines);
            return self.outside_urls(&view, asked);
        }
        let origin = HeaderField::from_values(lines(RequestHeader::Origin));
        if !origin.is_present() {
            let mut view = RequestView {
                method,
                path,
                ..RequestView::default()
            };
            if self.guards(method) {
                read_site(&mut view, authority, &mut lines);
            }
            return self.without_origin(&view);
        }
        let mut view = RequestView {
            method,
            path,
            origin,
            ..RequestView::default()
        };
        if method == "OPTIONS" {
            view.request_method = HeaderField::from_values(lines(RequestHeader::RequestMethod));
        }
        let checked = self.check_origin(origin, asked);
        if view.is_preflight() {
            if let Some(pending) = self.ask(&checked, origin, asked) {
                return Decision::Check(pending);
            }
            view.request_headers =
                HeaderField::from_list(lines(RequestHeader::RequestHeaders), joined);
            view.request_private_network =
                HeaderField::from_values(lines(RequestHeader::RequestPrivateNetwork));
            return self.preflight(&view, checked);
        }
        if checked.is_err() {
            read_site(&mut view, authority, &mut lines);
            if !view.is_same_origin()
                && let Some(pending) = self.ask(&checked, origin, asked)
            {
                return Decision::Check(pending);
            }
        }
        self.actual(&view, checked)
    }

    /// [`classify_lines`](Self::classify_lines) for a request made of `http` crate types
    /// (axum, hyper, warp 0.4), with its `Origin` value when the request has exactly one: what
    /// an adapter clones (a reference-count bump) where the answer echoes it, without
    /// looking it up again.
    ///
    /// ```
    /// use cors_core::{CorsConfig, Decision};
    ///
    /// let cors = CorsConfig::new().allowed_origins(["https://app.example.com"]).build()?;
    /// let request = http::Request::get("/api").header("origin", "https://app.example.com").body(())?;
    /// let mut joined = Vec::new();
    /// let (decision, origin) = cors.classify_http(request.method(), "/api", None, request.headers(), &mut joined);
    /// assert!(matches!(decision, Decision::Forward(f) if f.echoes_origin()));
    /// assert_eq!(origin.unwrap(), "https://app.example.com");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn classify_http<'a>(
        &'a self,
        method: &'a http::Method,
        path: &'a str,
        authority: Option<&'a str>,
        headers: &'a http::HeaderMap,
        joined: &'a mut Vec<u8>,
    ) -> (Decision<'a>, Option<&'a http::HeaderValue>) {
        self.classify_http_with(None, method, path, authority, headers, joined)
    }

    /// [`classify_http`](Self::classify_http) again, once the
    /// [`AsyncOriginPredicate`](crate::AsyncOriginPredicate) said its [`Verdict`] on the
    /// request's origin ([`Decision::Check`]). Never returns [`Decision::Check`]; a verdict
    /// about another origin refuses this one. See [`Pending`] for an example.
    pub fn classify_http_checked<'a>(
        &'a self,
        verdict: Verdict,
        method: &'a http::Method,
        path: &'a str,
        authority: Option<&'a str>,
        headers: &'a http::HeaderMap,
        joined: &'a mut Vec<u8>,
    ) -> (Decision<'a>, Option<&'a http::HeaderValue>) {
        self.classify_http_with(Some(&verdict), method, path, authority, headers, joined)
    }

    #[inline]
    fn classify_http_with<'a>(
        &'a self,
        asked: Option<&Verdict>,
        method: &'a http::Method,
        path: &'a str,
        authority: Option<&'a str>,
        headers: &'a http::HeaderMap,
        joined: &'a mut Vec<u8>,
    ) -> (Decision<'a>, Option<&'a http::HeaderValue>) {
        let mut origin = None;
        let decision =
            self.classify_lines_with(asked, method.as_str(), path, authority, joined, |header| {
                let lines = headers.get_all(header.name());
                if header == RequestHeader::Origin {
                    let mut values = lines.iter();
                    origin = values.next().filter(|_| values.next().is_none());
                }
                lines.into_iter().map(http::HeaderValue::as_bytes)
            });
        (decision, origin)
    }

    /// An actual (non-preflight) request: the app runs, and its response gets the headers
    /// of [`actual_headers`](Self::actual_headers) (the
    /// [CORS check](https://fetch.spec.whatwg.org/#cors-check) reads them). A same-origin
    /// request is never refused. With `csrf_protection`, a refused one with an unsafe
    /// method is answered with 403 instead: the app never runs.
    fn actual<'a>(&'a self, req: &RequestView<'a>, origin: OriginCheck<'a>) -> Decision<'a> {
        let grant = match origin {
            Ok(Some(_)) => Grant::Echo,
            Ok(None) => Grant::Any,
            // A same-origin request needs no CORS: never refused, nothing to say.
            Err(_) if req.is_same_origin() => Grant::NotAsked,
            Err(_) if self.guards(req.method) => return self.cross_site_rejected(req),
            Err(reason) => {
                self.trace_rejection(req, reason);
                Grant::Refused(OriginRefusal::of(reason))
            }
        };
        Decision::Forward(Forward::new(grant))
    }

    /// A request on a path `urls_regex` leaves out, or no entry of `paths` matches: passed
    /// on untouched, unless `csrf_protection` refuses it (it covers every path; with
    /// `paths`, building leaves no path to no entry, so there this is a backstop, and no
    /// origin speaks for the path: the set's own lists are empty).
    fn outside_urls<'a>(&'a self, req: &RequestView<'a>, asked: Option<&Verdict>) -> Decision<'a> {
        if !self.guards(req.method) {
            return Decision::Skip;
        }
        let refused = if req.origin.is_present() {
            let checked = self.check_origin(req.origin, asked);
            if checked.is_err() && !req.is_same_origin() {
                if let Some(pending) = self.ask(&checked, req.origin, asked) {
                    return Decision::Check(pending);
                }
                true
            } else {
                false
            }
        } else {
            req.is_cross_site()
        };
        if refused {
            return self.cross_site_rejected(req);
        }
        Decision::Skip
    }

    /// A request without `Origin`: not a CORS request, passed on untouched, unless
    /// `csrf_protection` is on and a browser marks it, with an unsafe method, as coming from
    /// another site (browsers send `Origin` with every such request, so this is one that
    /// lost it on the way); without `Sec-Fetch-Site` either, it is not a browser's.
    fn without_origin<'a>(&'a self, req: &RequestView<'a>) -> Decision<'a> {
        if self.guards(req.method) && req.is_cross_site() {
            return self.cross_site_rejected(req);
        }
        Decision::Forward(Forward::new(Grant::NotAsked))
    }

    /// Whether `csrf_protection` may refuse a request with this method: it is on and the
    /// method is not safe.
    fn guards(&self, method: &str) -> bool {
        self.inner.csrf && !is_safe_method(method)
    }

    /// The 403 of `csrf_protection`, logged.
    fn cross_site_rejected<'a>(&'a self, req: &RequestView<'a>) -> Decision<'a> {
        self.trace_rejection(req, Reason::CrossSiteRequest);
        self.rejected(Reason::CrossSiteRequest, false)
    }

    /// The headers of an actual (non-preflight) response. See [`Forward::headers`].
    pub(crate) fn actual_headers<'a>(&'a self, forward: Forward, origin: &'a [u8]) -> Headers<'a> {
        let inner = &*self.inner;
        if let Scope::Paths(set) = &inner.scope {
            // The entry that decided answers; a plan that names none (one from another
            // policy) gets nothing but `Vary`.
            return match (forward.entry as usize)
                .checked_sub(1)
                .and_then(|at| set.entry(at))
            {
                Some(entry) => entry.actual_headers(Forward::new(forward.grant), origin),
                None => Headers::new(&vary::ACTUAL),
            };
        }
        let echo = match forward.grant {
            Grant::NotAsked => return Headers::new(&vary::ACTUAL),
            Grant::Refused(refusal) => {
                return Headers::new(&vary::ACTUAL).with_debug(DebugLines {
                    content_type: None,
                    rejected: self.debug_header(refusal.reason()),
                });
            }
            Grant::Any => None,
            Grant::Echo => Some(origin),
        };
        let credentials = inner.credentials && echo.is_some();
        Headers::new(&vary::ACTUAL)
            .with(ResponseHeader::AllowOrigin, Some(AllowOrigin::answer(echo)))
            .with(
                ResponseHeader::AllowCredentials,
                credentials.then_some(Value::Policy(&TRUE)),
            )
            .with(ResponseHeader::ExposeHeaders, inner.expose.answer())
    }

    /// A [CORS-preflight request](https://fetch.spec.whatwg.org/#cors-preflight-request),
    /// answered without running the app: allowed with `preflight_status` and the headers of
    /// [`preflight_headers`](Self::preflight_headers), or refused with 403.
    fn preflight<'a>(&'a self, req: &RequestView<'a>, origin: OriginCheck<'a>) -> Decision<'a> {
        match self.preflight_headers(req, origin) {
            Ok(headers) => Decision::Respond(Response {
                outcome: Outcome::Granted(self.inner.preflight_status),
                headers,
                debug: self.inner.debug,
                preflight: true,
            }),
            Err(reason) => {
                self.trace_rejection(req, reason);
                self.rejected(reason, true)
            }
        }
    }

    /// The answer to an allowed preflight. The checks mirror, in the same order, those a
    /// browser makes of the answer in the
    /// [CORS-preflight fetch](https://fetch.spec.whatwg.org/#cors-preflight-fetch) (the
    /// origin, the method, the headers), then
    /// [Private Network Access](https://wicg.github.io/private-network-access/) (a WICG
    /// draft, not Fetch). The first refusal wins.
    fn preflight_headers<'a>(
        &'a self,
        req: &RequestView<'a>,
        origin: OriginCheck<'a>,
    ) -> Result<Headers<'a>, Reason<'a>> {
        let inner = &*self.inner;
        let echo = origin?;
        // Credentials go only with an echoed origin: `*` never carries them.
        let credentials = inner.credentials && echo.is_some();
        let methods = inner.methods.answer(req.request_method, credentials)?;
        let headers = inner.headers.answer(req.request_headers, credentials)?;
        let private_network = inner.private_network.answer(req.request_private_network)?;
        Ok(Headers::new(&vary::PREFLIGHT)
            .with(ResponseHeader::AllowOrigin, Some(AllowOrigin::answer(echo)))
            .with(
                ResponseHeader::AllowCredentials,
                credentials.then_some(Value::Policy(&TRUE)),
            )
            .with(ResponseHeader::AllowMethods, methods)
            .with(ResponseHeader::AllowHeaders, headers)
            .with(ResponseHeader::MaxAge, inner.max_age.answer())
            .with(ResponseHeader::AllowPrivateNetwork, private_network))
    }

    /// A request the middleware answers itself with 403 and no CORS headers; in debug
    /// mode the body (`text/plain`) says why, and for an actual request
    /// [`X_CORS_REJECTED`](crate::X_CORS_REJECTED) too.
    fn rejected<'a>(&self, reason: Reason<'a>, preflight: bool) -> Decision<'a> {
        let debug = self.inner.debug;
        let vary = if preflight {
            &vary::PREFLIGHT
        } else {
            &vary::ACTUAL
        };
        Decision::Respond(Response {
            outcome: Outcome::Refused(reason),
            headers: Headers::new(vary).with_debug(DebugLines {
                content_type: debug.then_some(&TEXT_PLAIN),
                rejected: if preflight {
                    None
                } else {
                    self.debug_header(reason)
                },
            }),
            debug,
            preflight,
        })
    }

    /// [`X_CORS_REJECTED`](crate::X_CORS_REJECTED)'s value for a refused actual request,
    /// in debug mode.
    fn debug_header(&self, reason: Reason<'_>) -> Option<&'static http::HeaderValue> {
        if self.inner.debug {
            reason.header_value()
        } else {
            None
        }
    }

    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    fn trace_rejection(&self, req: &RequestView<'_>, reason: Reason<'_>) {
        #[cfg(feature = "tracing")]
        tracing::debug!(
            target: "cors",
            method = %Shown(req.method.as_bytes()),
            path = %ShownPath(req.path),
            origin = %ShownField(req.origin),
            preflight = req.is_preflight(),
            "CORS request rejected: {reason}"
        );
    }
}

/// GET, HEAD and OPTIONS: the methods `csrf_protection` never refuses (RFC 9110's safe
/// methods a browser sends cross-site without a preflight, and the preflight's own). Methods
/// are case-sensitive: `get` is not safe.
fn is_safe_method(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS")
}

/// Reads where a request comes from: `Sec-Fetch-Site` first (when a browser sends it, `Host`
/// decides nothing), else, for a request with an `Origin`, the request target's `authority`
/// when the framework knows one, or `Host`.
fn read_site<'a, I>(
    view: &mut RequestView<'a>,
    authority: Option<&'a str>,
    lines: &mut impl FnMut(RequestHeader) -> I,
) where
    I: IntoIterator<Item = &'a [u8]>,
{
    view.sec_fetch_site = HeaderField::from_values(lines(RequestHeader::SecFetchSite));
    if view.origin.is_present() && !view.sec_fetch_site.is_present() {
        view.host = match authority {
            Some(authority) => HeaderField::One(authority.as_bytes()),
            None => HeaderField::from_values(lines(RequestHeader::Host)),
        };
    }
}
