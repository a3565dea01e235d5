//! The browser check: pages on several origins run `fetch()` against the demo server of an
//! adapter in a real headless Chromium, and what Chromium allowed is compared with what the
//! Fetch standard's rules, applied to the policy, say it must allow ([`expected`]).
//!
//! Origins (all on loopback through `--host-resolver-rules`):
//! - `http://app.example.com:P`: the page the policy allows (with credentials);
//! - `http://evil.test:P`: a page the policy does not allow;
//! - `http://api.example.com:Q`: the demo server. The allowed page and the API are
//!   cross-origin but same-site, like a front end on `localhost:3000` and a Django API on
//!   `localhost:8000`, so the `SameSite=Lax` session cookie travels with
//!   `credentials: 'include'`.

use std::path::PathBuf;

use cors_core::Cors;
use http::StatusCode;
use serde_json::{Value, json};

use crate::case::Case;
use crate::core_target;
use crate::demo::{Adapter, DemoServer};
use cors_probe::fetch::{self, BrowserRequest, unsafe_request_headers};

pub mod webdriver;

/// The allowed page's host.
pub const APP_HOST: &str = "app.example.com";
/// The disallowed page's host.
pub const EVIL_HOST: &str = "evil.test";
/// The API's host.
pub const API_HOST: &str = "api.example.com";

/// One `fetch()` a page makes.
#[derive(Debug, Clone)]
pub struct Fetch {
    /// What it checks.
    pub name: &'static str,
    /// `init.method`.
    pub method: &'static str,
    /// The API path.
    pub path: &'static str,
    /// `init.headers`.
    pub headers: &'static [(&'static str, &'static str)],
    /// `init.body`.
    pub body: Option<&'static str>,
    /// `credentials: 'include'` (else the default, `'same-origin'`).
    pub credentials: bool,
    /// A response header the page reads (`response.headers.get(...)`).
    pub read: Option<&'static str>,
}

const JSON: &[(&str, &str)] = &[("content-type", "application/json")];

impl Fetch {
    const fn new(name: &'static str, method: &'static str, path: &'static str) -> Fetch {
        Fetch {
            name,
            method,
            path,
            headers: &[],
            body: None,
            credentials: false,
            read: None,
        }
    }

    const fn headers(mut self, headers: &'static [(&'static str, &'static str)]) -> Fetch {
        self.headers = headers;
        self
    }

    const fn json(mut self, body: &'static str) -> Fetch {
        self.headers = JSON;
        self.body = Some(body);
        self
    }

    const fn credentials(mut self) -> Fetch {
        self.credentials = true;
        self
    }

    const fn read(mut self, header: &'static str) -> Fetch {
        self.read = Some(header);
        self
    }
}

/// What each page does, in order (the login comes before the calls that need it).
pub const FETCHES: &[Fetch] = &[
    Fetch::new("simple GET, reading an exposed header", "GET", "/api/items").read("x-request-id"),
    Fetch::new(
        "simple GET, reading an unexposed header",
        "GET",
        "/api/vary",
    )
    .read("vary"),
    Fetch::new("preflighted PUT with JSON", "PUT", "/api/items/1")
        .json("{}")
        .read("content-type"),
    Fetch::new("preflighted PATCH with JSON", "PATCH", "/api/items/1").json("{}"),
    Fetch::new("preflighted DELETE", "DELETE", "/api/items/1"),
    Fetch::new("POST of JSON to the echo endpoint", "POST", "/api/echo").json(r#"{"a":1}"#),
    // The first preflight for /api/items (Chromium caches preflights per URL): HEAD is
    // not in the policy's allowed_methods, and Fetch's method check passes it anyway.
    Fetch::new(
        "preflighted HEAD with Authorization (HEAD is not listed)",
        "HEAD",
        "/api/items",
    )
    .headers(&[("authorization", "Bearer token")])
    .read("x-request-id"),
    Fetch::new("GET with Authorization", "GET", "/api/items")
        .headers(&[("authorization", "Bearer token")]),
    Fetch::new(
        "GET with a header the policy does not allow",
        "GET",
        "/api/items",
    )
    .headers(&[("x-api-key", "k")]),
    Fetch::new(
        "/api/me with credentials, before logging in",
        "GET",
        "/api/me",
    )
    .credentials(),
    Fetch::new(
        "log in with credentials (sets the session cookie)",
        "POST",
        "/api/login",
    )
    .credentials(),
    Fetch::new(
        "/api/me with credentials, after logging in",
        "GET",
        "/api/me",
    )
    .credentials(),
    Fetch::new(
        "/api/me without credentials (no cookie sent)",
        "GET",
        "/api/me",
    ),
    Fetch::new("a 500 read cross-origin", "GET", "/api/error"),
    Fetch::new("a 404 read cross-origin", "GET", "/nothing-here"),
];

/// What the page sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The response is readable: its status, and the read header's value (`None`: absent
    /// or not exposed to the page).
    Allowed {
        /// The status the page reads.
        status: u16,
        /// The value `headers.get(read)` returns.
        header: Option<String>,
    },
    /// `fetch()` rejects with a TypeError; the reason is the Fetch rule that failed.
    Blocked(String),
}

/// The page's origin's state the expectation depends on.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageState {
    /// The page and the API are same-site, so `SameSite=Lax` cookies travel.
    pub same_site: bool,
    /// A login from this page succeeded earlier, so the browser holds the cookie.
    pub logged_in: bool,
}

/// Response headers a page can always read (Fetch's CORS-safelisted response-header names).
const SAFELISTED_RESPONSE: &[&str] = &[
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
];

/// What a browser must do with `fetch` from `origin`, by the Fetch standard's rules applied
/// to the policy's answers (the cors-core engine with the demo app simulated): whether a
/// preflight is needed, the preflight's checks, the CORS check of the response, and which
/// response headers the page may read.
///
/// ```
/// use conformance::browser::{expected, Outcome, PageState, FETCHES};
///
/// let cors = cors_core::CorsConfig::new().allowed_origins(["https://a.com"]).build().unwrap();
/// let simple = &FETCHES[0];
/// assert_eq!(
///     expected(&cors, "https://a.com", simple, PageState::default()),
///     Outcome::Allowed { status: 200, header: None }, // x-request-id is not exposed
/// );
/// assert!(matches!(expected(&cors, "https://b.com", simple, PageState::default()), Outcome::Blocked(_)));
/// ```
pub fn expected(cors: &Cors, origin: &str, fetch: &Fetch, page: PageState) -> Outcome {
    let author = unsafe_request_headers(fetch.headers.iter().copied());
    if fetch::needs_preflight(fetch.method, &author) {
        let mut headers = vec![
            ("origin".to_owned(), origin.to_owned()),
            (
                "access-control-request-method".to_owned(),
                fetch.method.to_owned(),
            ),
        ];
        if !author.is_empty() {
            headers.push((
                "access-control-request-headers".to_owned(),
                author.join(","),
            ));
        }
        let preflight = core_target::run(cors, &case("OPTIONS", fetch.path, headers, false));
        let request = BrowserRequest {
            origin: origin.to_owned(),
            method: fetch.method.to_owned(),
            headers: author,
            credentials: fetch.credentials,
            private_network: false,
        };
        if let Err(why) = fetch::preflight_check(&request, preflight.status, &preflight.headers) {
            return Outcome::Blocked(format!("preflight: {why}"));
        }
    }
    let mut headers = vec![("origin".to_owned(), origin.to_owned())];
    headers.extend(
        fetch
            .headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
    );
    if fetch.credentials && page.same_site && page.logged_in {
        headers.push(("cookie".to_owned(), "sessionid=demo".to_owned()));
    }
    let response = core_target::run(
        cors,
        &case(fetch.method, fetch.path, headers, fetch.credentials),
    );
    if let Err(why) = fetch::cors_check(origin, fetch.credentials, &response.headers) {
        return Outcome::Blocked(why.to_string());
    }
    let header = fetch.read.and_then(|name| {
        let exposed = response
            .headers
            .get_all("access-control-expose-headers")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|list| list.split(','))
            .map(str::trim)
            .any(|n| n.eq_ignore_ascii_case(name) || (n == "*" && !fetch.credentials));
        (SAFELISTED_RESPONSE.contains(&name) || exposed)
            .then(|| response.headers.get(name)?.to_str().ok().map(str::to_owned))
            .flatten()
    });
    Outcome::Allowed {
        status: response.status.as_u16(),
        header,
    }
}

fn case(method: &str, path: &str, headers: Vec<(String, String)>, credentials: bool) -> Case {
    Case {
        name: String::new(),
        method: method.to_owned(),
        path: path.to_owned(),
        headers,
        credentials,
        status: None,
        present: Default::default(),
        absent: Vec::new(),
        browser: None,
        on: Default::default(),
    }
}

/// The policy the browser check serves: the browser demo's
/// ([`front_end_policy`](crate::demo::front_end_policy)) for the allowed page's origin,
/// whose port is known only once its server runs.
pub fn policy(page_port: u16) -> Result<Cors, String> {
    crate::demo::front_end_policy(&format!("http://{APP_HOST}:{page_port}"))
        .map_err(|e| e.to_string())
}

/// Where Chromium and chromedriver are: `$CHROMIUM` and `$CHROMEDRIVER`, else Debian's
/// `/usr/bin/chromium` and `/usr/bin/chromedriver`. `None` if either is missing.
pub fn tools() -> Option<(PathBuf, PathBuf)> {
    let find = |var: &str, default: &str| {
        let path = std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from);
        path.is_file().then_some(path)
    };
    Some((
        find("CHROMIUM", "/usr/bin/chromium")?,
        find("CHROMEDRIVER", "/usr/bin/chromedriver")?,
    ))
}

/// [`tools`] for a test: `None` (after saying the test was skipped) when Chromium is
/// missing, and a panic instead when `CI=true`, where `.ci/run` installs it.
pub fn tools_or_skip(test: &str) -> Option<(PathBuf, PathBuf)> {
    let found = tools();
    if found.is_none() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI=true but Chromium or chromedriver is missing (apt-get install -y chromium chromium-driver)"
        );
        eprintln!("{test} skipped: /usr/bin/chromium or /usr/bin/chromedriver not found");
    }
    found
}

/// One fetch's result against one adapter.
#[derive(Debug, Clone)]
pub struct Check {
    /// The page's origin.
    pub origin: String,
    /// The fetch.
    pub fetch: &'static str,
    /// What the Fetch rules say.
    pub expected: Outcome,
    /// What Chromium did.
    pub got: Outcome,
}

impl Check {
    /// Whether Chromium did what the rules say (for a blocked fetch: that it was blocked;
    /// the browser does not tell a page why).
    pub fn agrees(&self) -> bool {
        match (&self.expected, &self.got) {
            (Outcome::Blocked(_), Outcome::Blocked(_)) => true,
            (a, b) => a == b,
        }
    }
}

const FETCH_SCRIPT: &str = r#"
const [url, init, read, done] = arguments;
fetch(url, init).then(
  (r) => r.text().then(() => done({ allowed: true, status: r.status, header: read ? r.headers.get(read) : null })),
  (e) => done({ allowed: false, error: String(e) }),
);
"#;

/// Runs every fetch from the allowed and the disallowed page against `adapter`'s demo
/// server, in a fresh browser profile.
pub fn run(driver: &webdriver::Driver, adapter: Adapter) -> Result<Vec<Check>, String> {
    let pages = DemoServer::pages(([127, 0, 0, 1], 0).into()).map_err(|e| e.to_string())?;
    let page_port = pages.addr().port();
    let cors = policy(page_port)?;
    let api = DemoServer::start(adapter, cors.clone(), ([127, 0, 0, 1], 0).into())
        .map_err(|e| format!("cannot start the {adapter} demo server: {e}"))?;
    let api_base = format!("http://{API_HOST}:{}", api.addr().port());
    let session = driver.session(&[APP_HOST, EVIL_HOST, API_HOST])?;
    let mut checks = Vec::new();
    for host in [APP_HOST, EVIL_HOST] {
        let origin = format!("http://{host}:{page_port}");
        session.goto(&format!("{origin}/page"))?;
        let mut page = PageState {
            same_site: host.ends_with(".example.com"),
            logged_in: false,
        };
        for fetch in FETCHES {
            let expected = expected(&cors, &origin, fetch, page);
            let mut init = json!({
                "method": fetch.method,
                "headers": fetch.headers.iter().map(|(n, v)| (n.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
                "credentials": if fetch.credentials { "include" } else { "same-origin" },
                "cache": "no-store",
            });
            if let Some(body) = fetch.body {
                init["body"] = json!(body);
            }
            let result = session.execute_async(
                FETCH_SCRIPT,
                &[
                    json!(format!("{api_base}{}", fetch.path)),
                    init,
                    json!(fetch.read),
                ],
            )?;
            let got = if result["allowed"] == Value::Bool(true) {
                Outcome::Allowed {
                    status: result["status"]
                        .as_u64()
                        .and_then(|s| u16::try_from(s).ok())
                        .unwrap_or(0),
                    header: result["header"].as_str().map(str::to_owned),
                }
            } else {
                Outcome::Blocked(result["error"].as_str().unwrap_or("").to_owned())
            };
            if fetch.path == "/api/login"
                && matches!(got, Outcome::Allowed { status, .. } if StatusCode::from_u16(status).is_ok_and(|s| s.is_success()))
            {
                page.logged_in = true;
            }
            checks.push(Check {
                origin: origin.clone(),
                fetch: fetch.name,
                expected,
                got,
            });
        }
    }
    Ok(checks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cors_core::CorsConfig;

    const APP: &str = "http://app.example.com:3000";

    fn by_name(name: &str) -> &'static Fetch {
        FETCHES.iter().find(|f| f.name.starts_with(name)).unwrap()
    }

    fn blocked(outcome: &Outcome) -> &str {
        match outcome {
            Outcome::Blocked(why) => why,
            Outcome::Allowed { .. } => panic!("allowed: {outcome:?}"),
        }
    }

    #[test]
    fn the_browser_policy_allows_its_page_and_exposes_only_what_it_lists() {
        let cors = policy(3000).unwrap();
        let page = PageState {
            same_site: true,
            logged_in: false,
        };
        let get = |name| expected(&cors, APP, by_name(name), page);
        assert_eq!(
            get("simple GET, reading an exposed"),
            Outcome::Allowed {
                status: 200,
                header: Some("42".into())
            }
        );
        assert_eq!(
            get("simple GET, reading an unexposed"),
            Outcome::Allowed {
                status: 200,
                header: None
            }
        );
        assert_eq!(
            get("preflighted PUT"),
            Outcome::Allowed {
                status: 200,
                header: Some("application/json".into())
            }
        );
        assert_eq!(
            get("preflighted DELETE"),
            Outcome::Allowed {
                status: 204,
                header: None
            }
        );
        assert_eq!(
            get("GET with Authorization"),
            Outcome::Allowed {
                status: 200,
                header: None
            }
        );
        // HEAD is not in the policy's allowed_methods; Fetch passes it all the same, and
        // the app's own HEAD route answers, its exposed header readable.
        assert_eq!(
            get("preflighted HEAD with Authorization"),
            Outcome::Allowed {
                status: 200,
                header: Some("42".into())
            }
        );
        // A refused preflight is a 403 without CORS headers: the CORS check fails first.
        assert_eq!(
            blocked(&get("GET with a header the policy")),
            "preflight: no Access-Control-Allow-Origin header is present"
        );
        assert_eq!(
            get("a 500"),
            Outcome::Allowed {
                status: 500,
                header: None
            }
        );
        assert_eq!(
            get("a 404"),
            Outcome::Allowed {
                status: 404,
                header: None
            }
        );
    }

    #[test]
    fn the_session_cookie_counts_only_with_credentials_on_the_same_site_after_login() {
        let cors = policy(3000).unwrap();
        let after = by_name("/api/me with credentials, after");
        let without = by_name("/api/me without credentials");
        let state = |same_site, logged_in| PageState {
            same_site,
            logged_in,
        };
        let status = |o: Outcome| match o {
            Outcome::Allowed { status, .. } => status,
            Outcome::Blocked(why) => panic!("{why}"),
        };
        assert_eq!(status(expected(&cors, APP, after, state(true, true))), 200);
        assert_eq!(status(expected(&cors, APP, after, state(true, false))), 401);
        assert_eq!(status(expected(&cors, APP, after, state(false, true))), 401);
        assert_eq!(
            status(expected(&cors, APP, without, state(true, true))),
            401
        );
    }

    #[test]
    fn other_origins_and_risky_policies_are_blocked_for_the_right_reason() {
        let cors = policy(3000).unwrap();
        let page = PageState::default();
        let evil = "http://evil.test:3000";
        assert_eq!(
            blocked(&expected(
                &cors,
                evil,
                by_name("simple GET, reading an exposed"),
                page
            )),
            "no Access-Control-Allow-Origin header is present"
        );
        assert!(
            blocked(&expected(&cors, evil, by_name("preflighted PUT"), page))
                .starts_with("preflight: ")
        );

        // A `*` answer does not cover a credentialed request; `allowed_headers = ["*"]`
        // names Authorization when asked for it, since a `*` alone would not cover it.
        let any = CorsConfig::new()
            .allow_all_origins(true)
            .allowed_headers(["*"])
            .build()
            .unwrap();
        assert_eq!(
            blocked(&expected(
                &any,
                evil,
                by_name("/api/me with credentials, before"),
                page
            )),
            "Access-Control-Allow-Origin is `*` but the request includes credentials"
        );
        assert_eq!(
            expected(&any, evil, by_name("GET with Authorization"), page),
            Outcome::Allowed {
                status: 200,
                header: None
            }
        );
        assert_eq!(
            expected(&any, evil, by_name("GET with a header the policy"), page),
            Outcome::Allowed {
                status: 200,
                header: None
            }
        );
    }

    #[test]
    fn a_blocked_fetch_agrees_whatever_the_reason_but_statuses_and_headers_must_match() {
        let check = |expected, got| Check {
            origin: APP.into(),
            fetch: "f",
            expected,
            got,
        };
        assert!(
            check(
                Outcome::Blocked("a".into()),
                Outcome::Blocked("TypeError".into())
            )
            .agrees()
        );
        let ok = |status, header: Option<&str>| Outcome::Allowed {
            status,
            header: header.map(Into::into),
        };
        assert!(!check(ok(200, None), Outcome::Blocked("TypeError".into())).agrees());
        assert!(!check(ok(200, None), ok(200, Some("42"))).agrees());
        assert!(!check(ok(200, None), ok(401, None)).agrees());
        assert!(check(ok(204, None), ok(204, None)).agrees());
    }
}
