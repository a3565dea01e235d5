//! The decision engine's fuzz target: any request against five fixed policies.
//!
//! The input format, chosen so that kept inputs stay readable and a fuzzer finds the
//! separators at once:
//!
//! ```text
//! byte 0         which policy (modulo the number of policies, see POLICIES)
//! then, separated by 0xFF:
//!   field 1      the method
//!   field 2      the path
//!   fields 3..   request header lines `name:value`; a line starting with `<` is a
//!                header the app's response already has (`<vary:Accept-Encoding`)
//! ```
//!
//! Names repeat freely (a repeated `Origin` is an input like any other); values are any
//! bytes but 0xFF.

use std::sync::OnceLock;

use cors_core::http::{HeaderMap, HeaderName, HeaderValue, Method, Uri};
use cors_core::{Cors, CorsConfig, RequestView};

use crate::check::{self, Expect, looks_like_origin};

const SEPARATOR: u8 = 0xFF;

/// One policy the target runs requests against, with its oracle.
struct Policy {
    name: &'static str,
    cors: Cors,
    admits: fn(&[u8]) -> bool,
    star: bool,
}

/// The policies, by the index in an input's first byte.
///
/// ```text
/// 0 credentials  three listed origins (`null` among them, so with the any-origin opt-in),
///                credentials, named headers,
///                exposed headers, max_age, Private Network Access
/// 1 patterns     `https://*.example.org` and a regex for `*.example.net` with any port,
///                methods and headers `*`
/// 2 any          allow_all_origins, answered with `*`
/// 3 reflect      any origin with credentials (the opt-in), `*` lists, urls_regex
///                `/api/.*`, disallowed requests rejected early, debug bodies
/// 4 strict       one origin, disallowed requests rejected early, preflight status 204
/// ```
pub const POLICIES: [&str; 5] = ["credentials", "patterns", "any", "reflect", "strict"];

fn policies() -> &'static [Policy] {
    static POLICIES: OnceLock<Vec<Policy>> = OnceLock::new();
    POLICIES.get_or_init(|| {
        let build = |config: CorsConfig| config.build().expect("the fuzz policies are valid");
        vec![
            Policy {
                name: "credentials",
                cors: build(
                    CorsConfig::new()
                        .allowed_origins([
                            "https://app.example.com",
                            "http://localhost:3000",
                            "null",
                        ])
                        .allow_credentials(true)
                        .allow_credentials_with_any_origin(true)
                        .allowed_headers(["content-type", "x-api-key"])
                        .expose_headers(["x-request-id"])
                        .max_age(600)
                        .allow_private_network(true),
                ),
                admits: |o| {
                    matches!(
                        o,
                        b"https://app.example.com" | b"http://localhost:3000" | b"null"
                    )
                },
                star: false,
            },
            Policy {
                name: "patterns",
                cors: build(
                    CorsConfig::new()
                        .allowed_origins(["https://*.example.org"])
                        .allowed_origin_regexes([r"https://[a-z0-9-]+\.example\.net(:[0-9]+)?"])
                        .allowed_methods(["*"])
                        .allowed_headers(["*"]),
                ),
                admits: patterns_admit,
                star: false,
            },
            Policy {
                name: "any",
                cors: build(CorsConfig::new().allow_all_origins(true)),
                admits: |_| false,
                star: true,
            },
            Policy {
                name: "reflect",
                cors: build(
                    CorsConfig::new()
                        .allow_all_origins(true)
                        .allow_credentials(true)
                        .allow_credentials_with_any_origin(true)
                        .allowed_methods(["*"])
                        .allowed_headers(["*"])
                        .urls_regex("/api/.*")
                        .csrf_protection(true)
                        .debug(true),
                ),
                admits: |o| o != b"null" && looks_like_origin(o),
                star: false,
            },
            Policy {
                name: "strict",
                cors: build(
                    CorsConfig::new()
                        .allowed_origins(["https://app.example.com"])
                        .csrf_protection(true)
                        .preflight_status(204),
                ),
                admits: |o| o == b"https://app.example.com",
                star: false,
            },
        ]
    })
}

/// `https://*.example.org` or, in full, `https://[a-z0-9-]+\.example\.net(:[0-9]+)?`, by
/// the exact oracle ([`oracle::matched`](crate::oracle::matched)), written without the
/// core's code.
fn patterns_admit(origin: &[u8]) -> bool {
    let patterns = ["https://*.example.org".to_owned()];
    let regexes = [r"https://[a-z0-9-]+\.example\.net(:[0-9]+)?".to_owned()];
    std::str::from_utf8(origin)
        .is_ok_and(|origin| crate::oracle::matched(&patterns, &regexes, origin))
}

/// A decoded input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Index into [`POLICIES`].
    pub policy: usize,
    /// The method, as bytes.
    pub method: Vec<u8>,
    /// The path, as bytes.
    pub path: Vec<u8>,
    /// Request header lines, in order.
    pub request: Vec<(Vec<u8>, Vec<u8>)>,
    /// Header lines the app's response already has.
    pub response: Vec<(Vec<u8>, Vec<u8>)>,
}

/// Decodes fuzz bytes (see the module docs). Every input decodes to something.
///
/// ```
/// use cors_fuzz::decide::decode;
/// let input = decode(b"\x01GET\xff/api\xfforigin:https://a.example.org\xff<vary:Accept");
/// assert_eq!(input.policy, 1);
/// assert_eq!(input.method, b"GET");
/// assert_eq!(input.request, [(b"origin".to_vec(), b"https://a.example.org".to_vec())]);
/// assert_eq!(input.response, [(b"vary".to_vec(), b"Accept".to_vec())]);
/// ```
pub fn decode(data: &[u8]) -> Input {
    let (policy, rest) = data.split_first().map_or((0, &[][..]), |(p, r)| (*p, r));
    let mut fields = rest.split(|&b| b == SEPARATOR);
    let method = fields.next().unwrap_or_default().to_vec();
    let path = fields.next().unwrap_or_default().to_vec();
    let mut input = Input {
        policy: usize::from(policy) % POLICIES.len(),
        method,
        path,
        request: Vec::new(),
        response: Vec::new(),
    };
    for line in fields {
        let (list, line) = match line.strip_prefix(b"<") {
            Some(line) => (&mut input.response, line),
            None => (&mut input.request, line),
        };
        let (name, value) = match line.iter().position(|&b| b == b':') {
            Some(colon) => (&line[..colon], &line[colon + 1..]),
            None => (line, &[][..]),
        };
        list.push((name.to_vec(), value.to_vec()));
    }
    input
}

/// Encodes a request for [`run`]: the inverse of [`decode`], for writing inputs by hand.
/// Header names starting with `<` are the app's response headers.
///
/// ```
/// use cors_fuzz::decide::{decode, encode};
/// let bytes = encode(4, "OPTIONS", "/", &[("origin", b"null"), ("<vary", b"Cookie")]);
/// assert_eq!(decode(&bytes).policy, 4);
/// assert_eq!(decode(&bytes).response, [(b"vary".to_vec(), b"Cookie".to_vec())]);
/// ```
pub fn encode(policy: u8, method: &str, path: &str, headers: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = vec![policy];
    out.extend_from_slice(method.as_bytes());
    out.push(SEPARATOR);
    out.extend_from_slice(path.as_bytes());
    for (name, value) in headers {
        out.push(SEPARATOR);
        out.extend_from_slice(name.as_bytes());
        out.push(b':');
        out.extend_from_slice(value);
    }
    out
}

/// The target: decodes `data`, then checks the decision for the request seen two ways
/// (the raw bytes through [`RequestView::from_headers`], and the `http` crate's types
/// where the bytes are valid for them) with [`check::decision`], and that
/// [`Cors::classify_lines`](cors_core::Cors::classify_lines), which reads only what the
/// decision needs, decides as the fully read view does. Panics on any broken invariant.
///
/// ```
/// use cors_fuzz::decide::{encode, run};
/// // A repeated Origin, one of them allowed: never echoed.
/// run(&encode(0, "GET", "/", &[
///     ("origin", b"https://app.example.com"),
///     ("Origin", b"https://evil.example"),
/// ]));
/// ```
pub fn run(data: &[u8]) {
    let input = decode(data);
    let policy = &policies()[input.policy];
    debug_assert_eq!(policy.name, POLICIES[input.policy]);
    let config = policy.cors.config();
    let expect = Expect {
        admits: &policy.admits,
        star: policy.star,
        credentials: config.allow_credentials,
        private_network: config.allow_private_network,
        csrf: config.csrf_protection,
        debug: config.debug,
        preflight_status: config.preflight_status,
    };
    let app = header_map(&input.response);

    let method = String::from_utf8_lossy(&input.method);
    let path = String::from_utf8_lossy(&input.path);
    let mut joined = Vec::new();
    let raw = RequestView::from_headers(&method, &path, &mut joined, |name| {
        input
            .request
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name.as_str().as_bytes()))
            .map(|(_, v)| v.as_slice())
    });
    check::decision(&expect, &policy.cors, &raw, &app);
    // What the adapters call, reading only what the decision needs, decides the same.
    let mut lazily_joined = Vec::new();
    let lazily = policy
        .cors
        .classify_lines(&method, &path, None, &mut lazily_joined, |header| {
            input
                .request
                .iter()
                .filter(move |(n, _)| n.eq_ignore_ascii_case(header.name().as_str().as_bytes()))
                .map(|(_, v)| v.as_slice())
        });
    assert_eq!(lazily, policy.cors.classify(&raw), "classify_lines differs");

    let (Ok(method), Ok(uri)) = (
        Method::from_bytes(&input.method),
        Uri::try_from(input.path.as_slice()),
    ) else {
        return;
    };
    let headers = header_map(&input.request);
    let mut joined = Vec::new();
    let typed = RequestView::from_http(&method, &uri, &headers, &mut joined);
    check::decision(&expect, &policy.cors, &typed, &app);
}

/// Header lines as an `http` header map, as far as the `http` crate accepts them (the
/// request's, and the app's response's).
fn header_map(lines: &[(Vec<u8>, Vec<u8>)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in lines {
        if let (Ok(name), Ok(value)) =
            (HeaderName::from_bytes(name), HeaderValue::from_bytes(value))
        {
            map.append(name, value);
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_policy_has_its_name() {
        let names: Vec<&str> = policies().iter().map(|p| p.name).collect();
        assert_eq!(names, POLICIES);
    }

    #[test]
    fn the_oracles_admit_what_the_policies_list() {
        let p = policies();
        assert!((p[0].admits)(b"null"));
        assert!(!(p[0].admits)(b"https://app.example.com.evil.net"));
        assert!((p[1].admits)(b"https://a.b.example.org"));
        assert!((p[1].admits)(b"https://_a.example.org"));
        assert!(!(p[1].admits)(b"https://_a.example.net"));
        assert!((p[1].admits)(b"https://a.example.net:8443"));
        assert!(!(p[1].admits)(b"https://a.b.example.net"));
        assert!(!(p[1].admits)(b"https://example.org"));
        assert!(!(p[1].admits)(b"https://a.example.net:"));
        assert!(!(p[3].admits)(b"null"));
    }

    /// An allowed GET against policy 0, judged by `expect`.
    fn judge_allowed_get(expect: &Expect<'_>) {
        let req = RequestView {
            method: "GET",
            path: "/",
            origin: cors_core::HeaderField::One(b"https://app.example.com"),
            ..RequestView::default()
        };
        check::decision(expect, &policies()[0].cors, &req, &HeaderMap::new());
    }

    /// The checks bite: the same request against an oracle that admits nothing fails.
    #[test]
    #[should_panic(expected = "echoed an origin the policy does not admit")]
    fn a_policy_echoing_an_origin_its_oracle_refuses_is_caught() {
        judge_allowed_get(&Expect {
            credentials: true,
            ..Expect::default()
        });
    }

    #[test]
    #[should_panic(expected = "credentials from a policy without them")]
    fn credentials_the_oracle_does_not_expect_are_caught() {
        let admits = policies()[0].admits;
        judge_allowed_get(&Expect {
            admits: &admits,
            ..Expect::default()
        });
    }
}
