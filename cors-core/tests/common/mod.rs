//! Helpers shared by the integration tests: build request views and render decisions as
//! plain strings, so tests assert exact header values.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use cors_core::{Cors, CorsConfig, Decision, HeaderField, RequestView};

/// A request as a test writes it.
#[derive(Clone, Copy, Default)]
pub struct Req<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub origin: Option<&'a [u8]>,
    pub acrm: Option<&'a [u8]>,
    pub acrh: Option<&'a [u8]>,
    pub pna: Option<&'a [u8]>,
    pub host: Option<&'a [u8]>,
    pub site: Option<&'a [u8]>,
}

fn field(v: Option<&[u8]>) -> HeaderField<'_> {
    v.map_or(HeaderField::Absent, HeaderField::One)
}

impl<'a> Req<'a> {
    pub fn view(&self) -> RequestView<'a> {
        RequestView {
            method: self.method,
            path: if self.path.is_empty() {
                "/api/items"
            } else {
                self.path
            },
            origin: field(self.origin),
            request_method: field(self.acrm),
            request_headers: field(self.acrh),
            request_private_network: field(self.pna),
            host: field(self.host),
            sec_fetch_site: field(self.site),
        }
    }
}

/// A GET with this Origin.
pub fn get(origin: &str) -> Req<'_> {
    Req {
        method: "GET",
        origin: Some(origin.as_bytes()),
        ..Req::default()
    }
}

/// A preflight from this origin for this method, optionally with requested headers.
pub fn preflight<'a>(origin: &'a str, method: &'a str, headers: Option<&'a str>) -> Req<'a> {
    Req {
        method: "OPTIONS",
        origin: Some(origin.as_bytes()),
        acrm: Some(method.as_bytes()),
        acrh: headers.map(str::as_bytes),
        ..Req::default()
    }
}

/// What a decision comes to, as strings.
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    /// "skip", "respond" or "forward"
    pub action: &'static str,
    /// status for "respond"
    pub status: Option<u16>,
    /// the Access-Control-* headers, in order
    pub headers: Vec<(String, String)>,
    pub vary: Option<String>,
    pub rejection: Option<String>,
    pub body: Option<String>,
    /// `X-CORS-Rejected` (debug mode)
    pub debug_header: Option<String>,
}

impl Outcome {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn allow_origin(&self) -> Option<&str> {
        self.header("access-control-allow-origin")
    }
}

fn debug_header(h: &cors_core::Headers<'_>) -> Option<String> {
    h.get(cors_core::X_CORS_REJECTED.as_str())
        .map(|v| v.as_str().to_owned())
}

pub fn run(cors: &Cors, req: Req<'_>) -> Outcome {
    outcome(cors, cors.classify(&req.view()), req)
}

/// What `decision` (of `req`) comes to; `check` when the asynchronous origin check is to
/// be asked (tests/origin_check.rs).
pub fn outcome(cors: &Cors, decision: Decision<'_>, req: Req<'_>) -> Outcome {
    let pairs = |h: &cors_core::Headers<'_>| -> Vec<(String, String)> {
        h.iter()
            .map(|(n, v)| (n.to_string(), v.as_str().to_owned()))
            .collect()
    };
    let nothing = |action| Outcome {
        action,
        status: None,
        headers: vec![],
        vary: None,
        rejection: None,
        body: None,
        debug_header: None,
    };
    match decision {
        Decision::Skip => nothing("skip"),
        Decision::Check(_) => nothing("check"),
        Decision::Respond(r) => Outcome {
            action: "respond",
            status: Some(r.status().as_u16()),
            headers: pairs(r.headers()),
            vary: r.headers().vary().map(|v| v.to_str().unwrap().to_owned()),
            rejection: r.rejection().map(|r| r.to_string()),
            body: r.body(),
            debug_header: debug_header(r.headers()),
        },
        Decision::Forward(f) => {
            let origin = req.origin.unwrap_or_default();
            let h = f.headers(cors, origin);
            Outcome {
                action: "forward",
                status: None,
                headers: pairs(&h),
                vary: h.vary().map(|v| v.to_str().unwrap().to_owned()),
                rejection: f.rejection().map(|r| r.to_string()),
                body: None,
                debug_header: debug_header(&h),
            }
        }
    }
}

pub fn build(config: CorsConfig) -> Cors {
    config.build().unwrap()
}

pub fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

pub const PREFLIGHT_VARY: &str = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network";
pub const DEFAULT_METHODS: &str = "DELETE, GET, OPTIONS, PATCH, POST, PUT";
pub const DEFAULT_HEADERS: &str =
    "accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with";
