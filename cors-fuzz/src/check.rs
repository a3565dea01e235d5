//! The invariants every CORS answer keeps, whatever the request: asserted by both targets.

use cors_core::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use cors_core::{Cors, Decision, HeaderField, Headers, OWNED_HEADERS, Reason, RequestView};

/// What a policy may answer, known apart from the decision engine: the oracle the
/// answers are checked against.
///
/// ```
/// use cors_fuzz::check::Expect;
///
/// let admits = |origin: &[u8]| origin == b"https://app.example.com";
/// let expect = Expect { admits: &admits, ..Expect::default() };
/// assert!((expect.admits)(b"https://app.example.com"));
/// ```
pub struct Expect<'a> {
    /// Whether the policy would echo this `Origin` value back.
    pub admits: &'a dyn Fn(&[u8]) -> bool,
    /// Whether the policy may answer `Access-Control-Allow-Origin: *`.
    pub star: bool,
    /// Whether the policy sends `Access-Control-Allow-Credentials: true`.
    pub credentials: bool,
    /// Whether the policy allows Private Network Access.
    pub private_network: bool,
    /// Whether disallowed actual requests are answered by the middleware (403).
    pub csrf: bool,
    /// Whether rejected preflights carry the reason in their body.
    pub debug: bool,
    /// The status of an allowed preflight.
    pub preflight_status: u16,
}

impl Default for Expect<'_> {
    fn default() -> Self {
        Expect {
            admits: &|_| false,
            star: false,
            credentials: false,
            private_network: false,
            csrf: false,
            debug: false,
            preflight_status: 200,
        }
    }
}

/// Classifies `req` with `cors`, checks the decision and its headers against `expect`,
/// then writes them onto a copy of the app's response headers `app` and checks the
/// result. Panics, naming the broken invariant, on any violation.
///
/// ```
/// use cors_core::{CorsConfig, HeaderField, RequestView};
/// use cors_fuzz::check::{Expect, decision};
///
/// let cors = CorsConfig::new().allowed_origins(["https://app.example.com"]).build()?;
/// let admits = |origin: &[u8]| origin == b"https://app.example.com";
/// let expect = Expect { admits: &admits, ..Expect::default() };
/// let req = RequestView { method: "GET", path: "/", origin: HeaderField::One(b"https://app.example.com"), ..RequestView::default() };
/// decision(&expect, &cors, &req, &Default::default());
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
pub fn decision(expect: &Expect<'_>, cors: &Cors, req: &RequestView<'_>, app: &HeaderMap) {
    let origin = match req.origin {
        HeaderField::One(origin) => origin,
        _ => b"",
    };
    let headers = match cors.classify(req) {
        Decision::Skip => return,
        // the fuzzed policies come from files, which cannot hold an asynchronous check
        Decision::Check(_) => panic!("a policy without allow_origin_async asked for it"),
        Decision::Respond(answer) => {
            let rejection = answer.rejection();
            if let Some(reason) = rejection {
                reason_is_one_clean_line(reason);
                assert_eq!(
                    answer.status(),
                    StatusCode::FORBIDDEN,
                    "a rejection is a 403"
                );
                assert_eq!(
                    answer.body().is_some(),
                    expect.debug,
                    "a body only in debug mode"
                );
                assert!(
                    req.is_preflight() || (expect.csrf && unsafe_method(req) && !same_origin(req)),
                    "an actual request is answered by the middleware only with \
                     csrf_protection, for an unsafe method, never from its own origin"
                );
                assert!(
                    answer.headers().iter().next().is_none(),
                    "a rejection carries no Access-Control-* header"
                );
            } else {
                assert!(
                    req.is_preflight(),
                    "only a preflight is answered when allowed"
                );
                assert_eq!(answer.status().as_u16(), expect.preflight_status);
                preflight_covers_request(expect, req, answer.headers());
            }
            *answer.headers()
        }
        Decision::Forward(forward) => {
            if let Some(reason) = forward.rejection() {
                reason_is_one_clean_line(reason);
            }
            if let HeaderField::One(origin) = req.origin {
                assert!(
                    !(expect.csrf
                        && unsafe_method(req)
                        && !expect.star
                        && !(expect.admits)(origin)
                        && !same_origin(req)),
                    "csrf_protection let an unsafe request from another origin reach the app"
                );
            }
            let headers = forward.headers(cors, origin);
            for name in [
                "access-control-allow-methods",
                "access-control-allow-headers",
                "access-control-max-age",
                "access-control-allow-private-network",
            ] {
                assert!(headers.get(name).is_none(), "{name} on an actual request");
            }
            if forward.rejection().is_some() || !req.origin.is_present() {
                assert!(
                    headers.iter().next().is_none(),
                    "CORS headers for a refused origin"
                );
            }
            headers
        }
    };
    allow_origin(expect, req.origin, &headers);
    values_are_valid(&headers);
    if !expect.star {
        let vary = headers
            .vary()
            .expect("Vary on a response that depends on Origin");
        assert!(
            tokens(vary.as_bytes()).any(|t| t.eq_ignore_ascii_case(b"origin")),
            "Vary without Origin: {vary:?}"
        );
    }
    if headers
        .get("access-control-allow-private-network")
        .is_some()
    {
        assert!(expect.private_network, "Private Network Access not enabled");
        assert_eq!(req.request_private_network, HeaderField::One(b"true"));
    }
    written(app, &headers);
}

/// `Access-Control-Allow-Origin` is `*` only where the policy allows it and never with
/// credentials; otherwise it is the request's single `Origin`, and one the policy admits.
/// Not GET, HEAD or OPTIONS (methods are case-sensitive).
fn unsafe_method(req: &RequestView<'_>) -> bool {
    !matches!(req.method, "GET" | "HEAD" | "OPTIONS")
}

/// The oracle's own view of a same-origin request, after Go's `CrossOriginProtection`:
/// `Sec-Fetch-Site: same-origin` or `none`; without that header, an `Origin` whose
/// `host[:port]` is the `Host`.
fn same_origin(req: &RequestView<'_>) -> bool {
    match (req.sec_fetch_site, req.origin, req.host) {
        (HeaderField::One(site), _, _) => site == b"same-origin" || site == b"none",
        (HeaderField::Repeated, _, _) => false,
        (HeaderField::Absent, HeaderField::One(origin), HeaderField::One(host)) => {
            let text = String::from_utf8_lossy(origin);
            text.split_once("://")
                .is_some_and(|(_, authority)| authority.as_bytes().eq_ignore_ascii_case(host))
        }
        _ => false,
    }
}

fn allow_origin(expect: &Expect<'_>, origin: HeaderField<'_>, headers: &Headers<'_>) {
    let credentials = headers.get("access-control-allow-credentials");
    if let Some(value) = credentials {
        assert_eq!(value.as_bytes(), b"true");
        assert!(expect.credentials, "credentials from a policy without them");
    }
    let Some(allow) = headers.get("access-control-allow-origin") else {
        assert!(
            credentials.is_none(),
            "credentials without Access-Control-Allow-Origin"
        );
        return;
    };
    let HeaderField::One(origin) = origin else {
        panic!("Access-Control-Allow-Origin for a request without exactly one Origin");
    };
    if allow.as_bytes() == b"*" {
        assert!(expect.star, "`*` from a policy that never answers `*`");
        assert!(credentials.is_none(), "`*` with credentials");
    } else {
        assert_eq!(
            allow.as_bytes(),
            origin,
            "the allowed origin is not the request's"
        );
        assert!(
            (expect.admits)(origin),
            "echoed an origin the policy does not admit: {:?}",
            String::from_utf8_lossy(origin)
        );
    }
}

/// An allowed preflight names the requested method and every requested header, with a
/// `*` only where browsers honour it (no credentials, and never for `Authorization`).
fn preflight_covers_request(expect: &Expect<'_>, req: &RequestView<'_>, headers: &Headers<'_>) {
    assert!(headers.get("access-control-allow-origin").is_some());
    let HeaderField::One(method) = req.request_method else {
        panic!("allowed a preflight without exactly one Access-Control-Request-Method");
    };
    let methods = headers
        .get("access-control-allow-methods")
        .expect("an allowed preflight names its methods");
    let listed: Vec<&[u8]> = tokens(methods.as_bytes()).collect();
    let star = !expect.credentials && listed.contains(&&b"*"[..]);
    assert!(
        star || listed.contains(&method) || matches!(method, b"GET" | b"HEAD" | b"POST"),
        "the allowed methods {:?} do not cover {:?}",
        methods.as_str(),
        String::from_utf8_lossy(method)
    );
    if let HeaderField::One(requested) = req.request_headers
        && tokens(requested).next().is_some()
    {
        let allowed = headers
            .get("access-control-allow-headers")
            .expect("an allowed preflight names the requested headers");
        let listed: Vec<&[u8]> = tokens(allowed.as_bytes()).collect();
        let star = !expect.credentials && listed.contains(&&b"*"[..]);
        for name in tokens(requested) {
            assert!(
                listed.iter().any(|l| l.eq_ignore_ascii_case(name))
                    || (star && !name.eq_ignore_ascii_case(b"authorization")),
                "the allowed headers {:?} do not cover {:?}",
                allowed.as_str(),
                String::from_utf8_lossy(name)
            );
        }
    }
    if req.request_private_network == HeaderField::One(b"true") {
        assert!(
            headers
                .get("access-control-allow-private-network")
                .is_some()
        );
    }
}

/// Every value is one a header may carry: no CR, LF, NUL or other control byte.
fn values_are_valid(headers: &Headers<'_>) {
    for (name, value) in headers.iter() {
        assert!(
            OWNED_HEADERS.contains(name),
            "{name} is not a CORS response header"
        );
        assert!(
            HeaderValue::from_bytes(value.as_bytes()).is_ok(),
            "{name}: invalid value {:?}",
            value.as_bytes()
        );
        let _ = value.as_str();
    }
}

/// A rejection reason goes into logs and debug bodies: one line, no control bytes, so a
/// request cannot forge log lines.
fn reason_is_one_clean_line(reason: Reason<'_>) {
    let text = reason.to_string();
    assert!(!text.is_empty());
    assert!(
        !text.chars().any(char::is_control),
        "a control character in the reason {text:?}"
    );
}

/// Writes `headers` onto the app's response and checks: each CORS header once, with the
/// policy's value (the app's own removed), and the app's `Vary` kept and merged.
fn written(app: &HeaderMap, headers: &Headers<'_>) {
    let mut map = app.clone();
    headers.write_to(&mut map, |_, bytes| {
        Some(HeaderValue::from_bytes(bytes).expect("a mirrored value is a valid header value"))
    });
    for name in &OWNED_HEADERS {
        let lines: Vec<&[u8]> = map
            .get_all(name)
            .iter()
            .map(HeaderValue::as_bytes)
            .collect();
        match headers.get(name.as_str()) {
            Some(value) => assert_eq!(lines, [value.as_bytes()], "{name} once, the policy's"),
            None => assert!(lines.is_empty(), "{name} left from the app: {lines:?}"),
        }
    }
    let before: Vec<&[u8]> = app
        .get_all(header::VARY)
        .iter()
        .flat_map(|v| tokens(v.as_bytes()))
        .collect();
    let after: Vec<&[u8]> = map
        .get_all(header::VARY)
        .iter()
        .flat_map(|v| tokens(v.as_bytes()))
        .collect();
    let has = |list: &[&[u8]], name: &[u8]| list.iter().any(|t| t.eq_ignore_ascii_case(name));
    for name in &before {
        assert!(has(&after, name), "the app's Vary {name:?} was dropped");
    }
    if let Some(add) = headers.vary()
        && !has(&before, b"*")
    {
        for name in tokens(add.as_bytes()) {
            assert!(
                has(&after, name),
                "Vary lacks {:?}",
                String::from_utf8_lossy(name)
            );
        }
    }
    if headers.get("content-type").is_some() {
        static CONTENT_TYPE: HeaderName = header::CONTENT_TYPE;
        assert_eq!(map.get_all(&CONTENT_TYPE).iter().count(), 1);
    }
}

/// The comma-separated elements of a header value, without surrounding white space.
///
/// ```
/// let items: Vec<&[u8]> = cors_fuzz::check::tokens(b" a ,, b\t").collect();
/// assert_eq!(items, [&b"a"[..], b"b"]);
/// ```
pub fn tokens(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value
        .split(|&b| b == b',')
        .map(|t| t.trim_ascii())
        .filter(|t| !t.is_empty())
}

/// Whether `value` has the shape of a serialised origin other than `null`: lower-case
/// `scheme://host[:port]` with nothing else. Browsers send nothing else, so no policy
/// built from patterns or regexes may echo anything else.
///
/// ```
/// use cors_fuzz::check::looks_like_origin;
/// assert!(looks_like_origin(b"https://app.example.com:8443"));
/// assert!(looks_like_origin(b"http://[::1]:3000"));
/// assert!(looks_like_origin(b"https://_dev.example.com")); // `_` occurs in host names
/// assert!(!looks_like_origin(b"https://app.example.com/"));
/// assert!(!looks_like_origin(b"https://evil.com@app.example.com"));
/// assert!(!looks_like_origin(b"HTTPS://APP.EXAMPLE.COM"));
/// ```
pub fn looks_like_origin(value: &[u8]) -> bool {
    let text = String::from_utf8_lossy(value);
    let Some((scheme, authority)) = text.split_once("://") else {
        return false;
    };
    !scheme.is_empty()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+-.".contains(&b))
        && !authority.is_empty()
        && authority
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.:[]".contains(&b))
}
