//! Random policies and random browser requests: whenever the policy's own meaning says a
//! browser may go ahead (django-cors-headers' settings, full-match regexes, subdomain
//! patterns, Fetch's CORS-safelisted methods), the Fetch rules applied to the core's
//! answers must accept, and refuse otherwise.
//!
//! The meaning is written from the settings alone ([`cors_fuzz::oracle`] for regexes and
//! patterns); the judge is the conformance crate's model of Fetch ([`conformance::fetch`]).
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use cors_core::http::{HeaderMap, HeaderValue};
use cors_core::{ConfigErrorKind, CorsConfig, Decision, HeaderField, RequestView};
use cors_fuzz::oracle;
use cors_probe::fetch::{BrowserRequest, cors_check, preflight_check};
use proptest::prelude::*;
use proptest::sample::subsequence;

const ORIGINS: &[&str] = &[
    "https://app.example.com",
    "http://localhost:3000",
    "https://*.example.org",
    "http://[::ffff:127.0.0.1]:8080",
    "null",
];
const REGEXES: &[&str] = &[
    r"https://[a-z0-9-]+\.example\.net(:[0-9]+)?",
    r"https://a\.example\.com|https://b\.example\.com",
    r"^https://c\.example\.com$",
];
const METHODS: &[&str] = &[
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "patch", "PURGE", "get", "put",
];

/// The method as `fetch()` sends it: get, head, post, put, delete and options upper-cased
/// (Fetch's "normalize a method"), anything else as written.
fn normalised(method: &str) -> String {
    let upper = method.to_ascii_uppercase();
    match upper.as_str() {
        "DELETE" | "GET" | "HEAD" | "OPTIONS" | "POST" | "PUT" => upper,
        _ => method.to_owned(),
    }
}
const HEADERS: &[&str] = &[
    "content-type",
    "x-token",
    "authorization",
    "X-Requested-With",
];

const REQUEST_ORIGINS: &[&str] = &[
    "https://app.example.com",
    "https://app.example.com.evil.net",
    "http://app.example.com",
    "http://localhost:3000",
    "http://localhost:3001",
    "https://a.example.org",
    "https://a.b.example.org",
    "https://example.org",
    "https://x.example.net",
    "https://x.example.net:8443",
    "https://x.example.net.evil.com",
    "https://a.example.com",
    "https://b.example.com",
    "https://a.example.com.evil.net",
    "https://c.example.com",
    "http://[::ffff:7f00:1]:8080",
    "https://evil.com",
    "null",
];

#[derive(Debug, Clone)]
struct Policy {
    origins: Vec<&'static str>,
    regexes: Vec<&'static str>,
    methods: Option<Vec<&'static str>>,
    headers: Option<Vec<&'static str>>,
    credentials: bool,
}

fn names(pool: &'static [&'static str]) -> impl Strategy<Value = Option<Vec<&'static str>>> {
    prop_oneof![
        Just(None),            // the default
        Just(Some(vec!["*"])), // any
        subsequence(pool, 0..=pool.len()).prop_map(Some),
    ]
}

fn policy() -> impl Strategy<Value = Policy> {
    (
        subsequence(ORIGINS, 0..=ORIGINS.len()),
        subsequence(REGEXES, 0..=REGEXES.len()),
        names(METHODS),
        names(HEADERS),
        any::<bool>(),
    )
        .prop_map(|(origins, regexes, methods, headers, credentials)| Policy {
            origins,
            regexes,
            methods,
            headers,
            credentials,
        })
}

#[derive(Debug, Clone)]
struct Fetch {
    origin: &'static str,
    method: &'static str,
    headers: Vec<&'static str>,
    credentials: bool,
}

fn fetch() -> impl Strategy<Value = Fetch> {
    (
        prop::sample::select(REQUEST_ORIGINS),
        prop::sample::select(METHODS),
        subsequence(HEADERS, 0..=2),
        any::<bool>(),
    )
        .prop_map(|(origin, method, headers, credentials)| Fetch {
            origin,
            method,
            headers,
            credentials,
        })
}

/// The policy's own meaning, from the settings alone.
fn meant(p: &Policy, f: &Fetch) -> bool {
    let listed = p.origins.iter().any(|o| match *o {
        "http://[::ffff:127.0.0.1]:8080" => f.origin == "http://[::ffff:7f00:1]:8080",
        o => !o.contains("://*.") && o == f.origin,
    });
    let patterns: Vec<String> = p
        .origins
        .iter()
        .filter(|o| o.contains("://*."))
        .map(|o| (*o).to_owned())
        .collect();
    let regexes: Vec<String> = p.regexes.iter().map(|r| (*r).to_owned()).collect();
    let origin_ok = listed || oracle::matched(&patterns, &regexes, f.origin);
    // django-cors-headers' defaults
    let methods = p
        .methods
        .clone()
        .unwrap_or_else(|| vec!["DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT"]);
    let headers = p.headers.clone().unwrap_or_else(|| {
        vec![
            "accept",
            "authorization",
            "content-type",
            "user-agent",
            "x-csrftoken",
            "x-requested-with",
        ]
    });
    let method = normalised(f.method);
    let safelisted = matches!(method.as_str(), "GET" | "HEAD" | "POST");
    let preflight = !safelisted || !f.headers.is_empty();
    let method_ok = safelisted || methods.contains(&"*") || methods.contains(&method.as_str());
    let headers_ok = f
        .headers
        .iter()
        .all(|h| headers.contains(&"*") || headers.iter().any(|a| a.eq_ignore_ascii_case(h)));
    origin_ok && (!f.credentials || p.credentials) && (!preflight || (method_ok && headers_ok))
}

/// What a browser concludes from the core's answers: the preflight when Fetch sends one,
/// then the actual response.
fn browser(cors: &cors_core::Cors, f: &Fetch) -> bool {
    let unsafe_headers: Vec<String> = f.headers.iter().map(|h| h.to_ascii_lowercase()).collect();
    let method = normalised(f.method);
    let safelisted = matches!(method.as_str(), "GET" | "HEAD" | "POST");
    let origin = HeaderField::One(f.origin.as_bytes());
    if !safelisted || !unsafe_headers.is_empty() {
        let requested = unsafe_headers.join(",");
        let view = RequestView {
            method: "OPTIONS",
            path: "/api/items",
            origin,
            request_method: HeaderField::One(method.as_bytes()),
            request_headers: if requested.is_empty() {
                HeaderField::Absent
            } else {
                HeaderField::One(requested.as_bytes())
            },
            ..RequestView::default()
        };
        let Decision::Respond(answer) = cors.classify(&view) else {
            panic!("a preflight not answered by the policy");
        };
        let mut map = HeaderMap::new();
        answer
            .headers()
            .write_to(&mut map, |_, bytes| HeaderValue::from_bytes(bytes).ok());
        let req = BrowserRequest {
            origin: f.origin.to_owned(),
            method: method.clone(),
            headers: unsafe_headers,
            credentials: f.credentials,
            private_network: false,
        };
        if preflight_check(&req, answer.status(), &map).is_err() {
            return false;
        }
    }
    let view = RequestView {
        method: &method,
        path: "/api/items",
        origin,
        ..RequestView::default()
    };
    let mut map = HeaderMap::new();
    match cors.classify(&view) {
        Decision::Forward(forward) => forward
            .headers(cors, f.origin.as_bytes())
            .write_to(&mut map, |_, bytes| HeaderValue::from_bytes(bytes).ok()),
        _ => panic!("an actual request not forwarded"),
    }
    cors_check(f.origin, f.credentials, &map).is_ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn the_browser_proceeds_exactly_when_the_policy_means_it(p in policy(), f in fetch()) {
        let mut config = CorsConfig::new()
            .allowed_origins(p.origins.clone())
            .allowed_origin_regexes(p.regexes.clone())
            .allow_credentials(p.credentials);
        if let Some(methods) = &p.methods {
            config = config.allowed_methods(methods.clone());
        }
        if let Some(headers) = &p.headers {
            config = config.allowed_headers(headers.clone());
        }
        let cors = match config.build() {
            Ok(cors) => cors,
            Err(errors) => {
                // the only settings of this pool that are refused
                let null_with_credentials = p.credentials && p.origins.contains(&"null");
                let lower_case = p
                    .methods
                    .as_ref()
                    .is_some_and(|m| m.contains(&"get") || m.contains(&"put"));
                for err in &errors {
                    prop_assert!(
                        (err.kind() == ConfigErrorKind::NullWithCredentials
                            && null_with_credentials)
                            || (err.kind() == ConfigErrorKind::InvalidMethod && lower_case),
                        "{p:?}: {err}"
                    );
                }
                return Ok(());
            }
        };
        prop_assert_eq!(browser(&cors, &f), meant(&p, &f), "{:?} {:?}", p, f);
    }
}
