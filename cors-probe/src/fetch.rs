//! What a browser concludes from a response, by the Fetch standard's CORS rules
//! (fetch.spec.whatwg.org: "CORS check", "CORS-preflight fetch").
//!
//! This judges responses, not policies: given what the browser sent and what came back, is
//! the response readable by the page?

use std::fmt;

use http::{HeaderMap, StatusCode};

/// Why a browser refuses a response: the check of the Fetch standard that failed.
/// Displayed in those terms.
///
/// ```
/// use cors_probe::fetch::{Refusal, cors_check};
///
/// let refusal = cors_check("https://a.com", false, &http::HeaderMap::new()).unwrap_err();
/// assert_eq!(refusal, Refusal::NoAllowOrigin);
/// assert_eq!(refusal.to_string(), "no Access-Control-Allow-Origin header is present");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No `Access-Control-Allow-Origin`.
    NoAllowOrigin,
    /// `Access-Control-Allow-Origin` on more than one line.
    AllowOriginRepeated,
    /// `Access-Control-Allow-Origin: *` on a request with credentials.
    WildcardWithCredentials,
    /// `Access-Control-Allow-Origin` names another origin.
    OtherOrigin {
        /// What the response said.
        answered: String,
        /// The page's origin.
        origin: String,
    },
    /// Credentials without `Access-Control-Allow-Credentials: true`.
    NoAllowCredentials,
    /// A preflight answered with a status outside 200-299.
    PreflightStatus(StatusCode),
    /// The method is not in `Access-Control-Allow-Methods`.
    Method(String),
    /// `Authorization` was asked for and not named (a `*` never covers it).
    Authorization,
    /// A request header is not in `Access-Control-Allow-Headers`.
    Header(String),
    /// Private Network Access asked for and not granted.
    PrivateNetwork,
    /// A list header that is not ASCII or holds an element that is not a token.
    Malformed(String),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NoAllowOrigin => f.write_str("no Access-Control-Allow-Origin header is present"),
            Refusal::AllowOriginRepeated => {
                f.write_str("Access-Control-Allow-Origin has multiple values")
            }
            Refusal::WildcardWithCredentials => f.write_str(
                "Access-Control-Allow-Origin is `*` but the request includes credentials",
            ),
            Refusal::OtherOrigin { answered, origin } => write!(
                f,
                "Access-Control-Allow-Origin `{answered}` is not the request's Origin `{origin}`"
            ),
            Refusal::NoAllowCredentials => f.write_str(
                "the request includes credentials but Access-Control-Allow-Credentials is not `true`",
            ),
            Refusal::PreflightStatus(status) => write!(
                f,
                "the preflight response does not have an ok status ({status})"
            ),
            Refusal::Method(method) => write!(
                f,
                "method `{method}` is not allowed by Access-Control-Allow-Methods"
            ),
            Refusal::Authorization => f.write_str(
                "Access-Control-Allow-Headers does not list `authorization` (a `*` never covers Authorization)",
            ),
            Refusal::Header(header) => write!(
                f,
                "request header `{header}` is not allowed by Access-Control-Allow-Headers"
            ),
            Refusal::PrivateNetwork => {
                f.write_str("Access-Control-Allow-Private-Network is not `true`")
            }
            Refusal::Malformed(problem) => f.write_str(problem),
        }
    }
}

/// The parts of a cross-origin request a browser's verdict depends on.
///
/// ```
/// use cors_probe::fetch::{BrowserRequest, preflight_check};
///
/// let put = BrowserRequest {
///     origin: "https://a.com".into(),
///     method: "PUT".into(),
///     headers: vec![],
///     credentials: false,
///     private_network: false,
/// };
/// let mut answer = http::HeaderMap::new();
/// answer.insert("access-control-allow-origin", "*".parse().unwrap());
/// answer.insert("access-control-allow-methods", "PUT".parse().unwrap());
/// assert!(preflight_check(&put, http::StatusCode::NO_CONTENT, &answer).is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserRequest {
    /// The page's origin, as the browser serialises it.
    pub origin: String,
    /// The request method (for a preflight: the method it asks about).
    pub method: String,
    /// Author request headers that are not CORS-safelisted, lower case.
    pub headers: Vec<String>,
    /// `credentials: 'include'`.
    pub credentials: bool,
    /// Whether the request targets a more private network (Private Network Access).
    pub private_network: bool,
}

/// Fetch's CORS check: may the page read this response?
///
/// ```
/// use cors_probe::fetch::cors_check;
/// use http::HeaderMap;
///
/// let mut h = HeaderMap::new();
/// h.insert("access-control-allow-origin", "*".parse().unwrap());
/// assert!(cors_check("https://a.com", false, &h).is_ok());
/// assert!(cors_check("https://a.com", true, &h).is_err());
/// ```
pub fn cors_check(origin: &str, credentials: bool, headers: &HeaderMap) -> Result<(), Refusal> {
    let mut values = headers.get_all("access-control-allow-origin").iter();
    let Some(allow_origin) = values.next() else {
        return Err(Refusal::NoAllowOrigin);
    };
    if values.next().is_some() {
        return Err(Refusal::AllowOriginRepeated);
    }
    let allow_origin = allow_origin.as_bytes();
    if !credentials && allow_origin == b"*" {
        return Ok(());
    }
    if allow_origin != origin.as_bytes() {
        return Err(if allow_origin == b"*" {
            Refusal::WildcardWithCredentials
        } else {
            Refusal::OtherOrigin {
                answered: allow_origin.escape_ascii().to_string(),
                origin: origin.to_owned(),
            }
        });
    }
    if credentials && !exactly_true(headers, "access-control-allow-credentials") {
        return Err(Refusal::NoAllowCredentials);
    }
    Ok(())
}

/// Whether `name` is one line whose value is `true`: Fetch "gets" a header by joining its
/// lines with `, `, so two lines of `true` read `true, true`, which is not `true`.
fn exactly_true(headers: &HeaderMap, name: &str) -> bool {
    let mut lines = headers.get_all(name).iter();
    matches!((lines.next(), lines.next()), (Some(v), None) if v.as_bytes() == b"true")
}

/// Fetch's checks of a preflight response: the CORS check, an ok status, the method and
/// every requested header covered, and private network access when asked for.
///
/// ```
/// use cors_probe::fetch::{preflight_check, BrowserRequest};
/// use http::{HeaderMap, StatusCode};
///
/// let mut h = HeaderMap::new();
/// h.insert("access-control-allow-origin", "https://a.com".parse().unwrap());
/// h.insert("access-control-allow-methods", "*".parse().unwrap());
/// h.insert("access-control-allow-headers", "*".parse().unwrap());
/// let req = BrowserRequest {
///     origin: "https://a.com".into(),
///     method: "PUT".into(),
///     headers: vec!["authorization".into()],
///     credentials: false,
///     private_network: false,
/// };
/// let err = preflight_check(&req, StatusCode::OK, &h).unwrap_err().to_string();
/// assert_eq!(err, "Access-Control-Allow-Headers does not list `authorization` (a `*` never covers Authorization)");
/// ```
pub fn preflight_check(
    req: &BrowserRequest,
    status: StatusCode,
    headers: &HeaderMap,
) -> Result<(), Refusal> {
    cors_check(&req.origin, req.credentials, headers)?;
    if !status.is_success() {
        return Err(Refusal::PreflightStatus(status));
    }
    let methods = list(headers, "access-control-allow-methods")?;
    let names = list(headers, "access-control-allow-headers")?;
    let safelisted = is_cors_safelisted_method(&req.method);
    let star_counts = !req.credentials;
    let method_allowed = safelisted
        || methods.contains(&req.method)
        || (star_counts && methods.iter().any(|m| m == "*"));
    if !method_allowed {
        return Err(Refusal::Method(req.method.clone()));
    }
    for header in &req.headers {
        let listed = names.iter().any(|n| n.eq_ignore_ascii_case(header));
        if listed {
            continue;
        }
        if header.eq_ignore_ascii_case("authorization") {
            return Err(Refusal::Authorization);
        }
        if !(star_counts && names.iter().any(|n| n == "*")) {
            return Err(Refusal::Header(header.clone()));
        }
    }
    if req.private_network && !exactly_true(headers, "access-control-allow-private-network") {
        return Err(Refusal::PrivateNetwork);
    }
    Ok(())
}

/// Fetch's CORS-safelisted methods: GET, HEAD and POST (case-sensitive, after `fetch()`
/// normalised the method).
pub fn is_cors_safelisted_method(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "POST")
}

/// Whether a browser sends a preflight before a cross-origin request with this (normalised)
/// method and these CORS-unsafe request-header names (see [`unsafe_request_headers`]).
///
/// ```
/// use cors_probe::fetch::needs_preflight;
///
/// assert!(!needs_preflight("POST", &[]));
/// assert!(needs_preflight("PUT", &[]));
/// assert!(needs_preflight("GET", &["x-token".to_owned()]));
/// ```
pub fn needs_preflight(method: &str, unsafe_headers: &[String]) -> bool {
    !is_cors_safelisted_method(method) || !unsafe_headers.is_empty()
}

/// The author request headers a preflight must ask about (Fetch's "CORS-unsafe
/// request-header names"): those that are not CORS-safelisted, and all of them when the
/// safelisted values add up to more than 1,024 bytes; lower case, sorted, without
/// duplicates, as browsers list them in `Access-Control-Request-Headers`.
///
/// ```
/// use cors_probe::fetch::unsafe_request_headers;
///
/// let headers = [("Content-Type", "application/json"), ("Accept", "*/*"), ("X-A", "1"), ("x-a", "2")];
/// assert_eq!(unsafe_request_headers(headers), ["content-type", "x-a"]);
/// assert!(unsafe_request_headers([("content-type", "text/plain; charset=utf-8")]).is_empty());
/// // A quote is a CORS-unsafe request-header byte.
/// assert_eq!(unsafe_request_headers([("content-type", "text/plain; charset=\"utf-8\"")]), ["content-type"]);
/// ```
pub fn unsafe_request_headers<'a>(
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<String> {
    let mut unsafe_names = Vec::new();
    let mut safelisted = Vec::new();
    let mut safelisted_size = 0;
    for (name, value) in headers {
        if safelisted_request_header(name, value) {
            safelisted_size += value.len();
            safelisted.push(name.to_ascii_lowercase());
        } else {
            unsafe_names.push(name.to_ascii_lowercase());
        }
    }
    if safelisted_size > 1024 {
        unsafe_names.extend(safelisted);
    }
    unsafe_names.sort();
    unsafe_names.dedup();
    unsafe_names
}

/// Fetch's "CORS-safelisted request-header": at most 128 bytes, and by name: `accept`
/// without a CORS-unsafe byte; `accept-language` and `content-language` of `0-9A-Za-z
/// *,-.;=` only; `content-type` without an unsafe byte whose MIME type's essence is one
/// of the three a form can send; `range` as one `bytes=start-[end]`.
fn safelisted_request_header(name: &str, value: &str) -> bool {
    let bytes = value.as_bytes();
    if bytes.len() > 128 {
        return false;
    }
    let no_unsafe_byte = || !bytes.iter().any(|&b| is_cors_unsafe_byte(b));
    match name.to_ascii_lowercase().as_str() {
        "accept" => no_unsafe_byte(),
        "accept-language" | "content-language" => bytes
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b" *,-.;=".contains(&b)),
        "content-type" => {
            let essence = value
                .split(';')
                .next()
                .unwrap_or("")
                .trim_matches([' ', '\t', '\n', '\r'])
                .to_ascii_lowercase();
            no_unsafe_byte()
                && matches!(
                    essence.as_str(),
                    "application/x-www-form-urlencoded" | "multipart/form-data" | "text/plain"
                )
        }
        "range" => simple_range(value),
        _ => false,
    }
}

/// Fetch's "CORS-unsafe request-header byte".
fn is_cors_unsafe_byte(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f || b"\"():<>?@[\\]{}".contains(&b)
}

/// `bytes=N-` or `bytes=N-M` with N <= M: the only `Range` a page sends without a
/// preflight (no whitespace, no suffix range, one range).
fn simple_range(value: &str) -> bool {
    let Some(range) = value
        .get(..6)
        .filter(|unit| unit.eq_ignore_ascii_case("bytes="))
        .map(|_| &value[6..])
    else {
        return false;
    };
    let Some((start, end)) = range.split_once('-') else {
        return false;
    };
    let number = |s: &str| -> Option<u64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match (number(start), end) {
        (Some(_), "") => true,
        (Some(start), end) => number(end).is_some_and(|end| start <= end),
        (None, _) => false,
    }
}

/// Fetch's "extract header list values": all lines, split on commas, trimmed; an element
/// that is not a token makes the whole list a failure.
fn list(headers: &HeaderMap, name: &str) -> Result<Vec<String>, Refusal> {
    let mut out = Vec::new();
    for line in headers.get_all(name) {
        let text = line
            .to_str()
            .map_err(|_| Refusal::Malformed(format!("{name} is not ASCII")))?;
        for element in text.split(',').map(str::trim) {
            if element.is_empty() || !element.bytes().all(is_tchar) {
                return Err(Refusal::Malformed(format!(
                    "{name} has an invalid element `{element}`"
                )));
            }
            out.push(element.to_owned());
        }
    }
    Ok(out)
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (n, v) in pairs {
            h.append(
                http::HeaderName::from_bytes(n.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    fn req(method: &str, headers: &[&str], credentials: bool) -> BrowserRequest {
        BrowserRequest {
            origin: "https://a.com".into(),
            method: method.into(),
            headers: headers.iter().map(|s| (*s).to_owned()).collect(),
            credentials,
            private_network: false,
        }
    }

    #[test]
    fn cors_check_rules() {
        let echo = map(&[("access-control-allow-origin", "https://a.com")]);
        assert!(cors_check("https://a.com", false, &echo).is_ok());
        assert!(cors_check("https://b.com", false, &echo).is_err());
        assert!(
            cors_check("https://a.com", true, &echo).is_err(),
            "credentials need ACAC"
        );
        let with_creds = map(&[
            ("access-control-allow-origin", "https://a.com"),
            ("access-control-allow-credentials", "true"),
        ]);
        assert!(cors_check("https://a.com", true, &with_creds).is_ok());
        let twice = map(&[
            ("access-control-allow-origin", "https://a.com"),
            ("access-control-allow-origin", "https://a.com"),
        ]);
        assert!(cors_check("https://a.com", false, &twice).is_err());
        assert!(cors_check("https://a.com", false, &HeaderMap::new()).is_err());
    }

    #[test]
    fn preflight_rules() {
        let ok = map(&[
            ("access-control-allow-origin", "https://a.com"),
            ("access-control-allow-methods", "GET, PUT"),
            ("access-control-allow-headers", "Content-Type"),
        ]);
        assert!(
            preflight_check(&req("PUT", &["content-type"], false), StatusCode::OK, &ok).is_ok()
        );
        assert!(preflight_check(&req("PUT", &[], false), StatusCode::NOT_FOUND, &ok).is_err());
        assert!(preflight_check(&req("put", &[], false), StatusCode::OK, &ok).is_err());
        assert!(preflight_check(&req("DELETE", &[], false), StatusCode::OK, &ok).is_err());
        assert!(
            preflight_check(&req("POST", &[], false), StatusCode::OK, &ok).is_ok(),
            "safelisted"
        );
        assert!(preflight_check(&req("PUT", &["x-a"], false), StatusCode::OK, &ok).is_err());

        let star = map(&[
            ("access-control-allow-origin", "https://a.com"),
            ("access-control-allow-credentials", "true"),
            ("access-control-allow-methods", "*"),
            ("access-control-allow-headers", "*"),
        ]);
        assert!(preflight_check(&req("PUT", &["x-a"], false), StatusCode::OK, &star).is_ok());
        assert!(preflight_check(&req("PUT", &["x-a"], true), StatusCode::OK, &star).is_err());
        assert!(preflight_check(&req("PUT", &[], true), StatusCode::OK, &star).is_err());
        assert!(
            preflight_check(
                &req("GET", &["authorization"], false),
                StatusCode::OK,
                &star
            )
            .is_err()
        );

        let bad_list = map(&[
            ("access-control-allow-origin", "https://a.com"),
            ("access-control-allow-methods", "PUT,,GET"),
        ]);
        assert!(preflight_check(&req("PUT", &[], false), StatusCode::OK, &bad_list).is_err());
    }

    #[test]
    fn credentials_need_exactly_one_true() {
        let twice = map(&[
            ("access-control-allow-origin", "https://a.com"),
            ("access-control-allow-credentials", "true"),
            ("access-control-allow-credentials", "true"),
        ]);
        assert_eq!(
            cors_check("https://a.com", true, &twice),
            Err(Refusal::NoAllowCredentials)
        );
        let upper = map(&[
            ("access-control-allow-origin", "https://a.com"),
            ("access-control-allow-credentials", "True"),
        ]);
        assert!(cors_check("https://a.com", true, &upper).is_err());
    }

    #[test]
    fn cors_safelisted_request_headers() {
        for (name, value, safe) in [
            ("Accept", "application/json, text/plain, */*", true),
            ("accept", "a(b)", false),
            ("accept", "x\u{1}", false),
            ("accept-language", "en-US,en;q=0.9", true),
            ("accept-language", "en_US", false),
            ("content-language", "de-DE", true),
            ("content-type", "text/plain;charset=UTF-8", true),
            ("content-type", "Multipart/Form-Data; boundary=x", true),
            ("content-type", "application/x-www-form-urlencoded", true),
            ("content-type", "text/plain; charset=\"utf-8\"", false),
            ("content-type", "application/json", false),
            ("content-type", "text/html", false),
            ("range", "bytes=0-", true),
            ("range", "Bytes=0-", true),
            ("range", "bytes=10-20", true),
            ("range", "bytes=20-10", false),
            ("range", "bytes=-5", false),
            ("range", "bytes=0-1,3-4", false),
            ("range", "bytes= 0-1", false),
            ("x-requested-with", "XMLHttpRequest", false),
        ] {
            assert_eq!(
                unsafe_request_headers([(name, value)]).is_empty(),
                safe,
                "{name}: {value}"
            );
        }
        let long = "a".repeat(129);
        assert_eq!(
            unsafe_request_headers([("accept", long.as_str())]),
            ["accept"]
        );
        // Safelisted values of more than 1,024 bytes in all make every one of them unsafe.
        let part = "a".repeat(120);
        let many: Vec<(&str, &str)> = (0..9).map(|_| ("accept", part.as_str())).collect();
        assert_eq!(unsafe_request_headers(many), ["accept"]);
        let few: Vec<(&str, &str)> = (0..8).map(|_| ("accept", part.as_str())).collect();
        assert!(unsafe_request_headers(few).is_empty());
    }

    #[test]
    fn private_network_needs_the_answer() {
        let mut r = req("GET", &[], false);
        r.private_network = true;
        let without = map(&[("access-control-allow-origin", "https://a.com")]);
        assert!(preflight_check(&r, StatusCode::OK, &without).is_err());
        let with = map(&[
            ("access-control-allow-origin", "https://a.com"),
            ("access-control-allow-private-network", "true"),
        ]);
        assert!(preflight_check(&r, StatusCode::OK, &with).is_ok());
    }
}
