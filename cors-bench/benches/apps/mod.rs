//! The app and the policy under measurement, on each framework, three ways: without CORS,
//! behind this workspace's adapter, and behind the framework's established CORS layer.
//!
//! Shared by `benches/adapters.rs` (timing) and `tests/alloc.rs` (allocation counts), so
//! both measure exactly the same thing.
//!
//! The app: `GET /api/items` answers 200 `[]` as JSON, `PUT /api/items/1` answers 200 `{}`.
//! The policy, written once per layer in its own API: origin `https://app.example.com`,
//! methods GET, POST, PUT, DELETE, request headers `content-type` and `authorization`,
//! credentials, exposed `x-request-id`, max age 600 s.

#![allow(dead_code, unreachable_pub)] // each user of this module uses part of it

pub mod actix;
pub mod axum;
pub mod minimal;
pub mod rocket;
pub mod warp;

use cors_bench::KINDS;
use cors_core::Cors;

/// The allowed origin.
pub const ORIGIN: &str = conformance::load::ALLOWED;
/// An origin the policy does not allow.
pub const EVIL: &str = conformance::load::DISALLOWED;
/// What a browser sends as `Access-Control-Request-Headers` for a fetch with
/// `Content-Type: application/json` and `Authorization` (lowercase, sorted, no spaces).
pub const REQUEST_HEADERS: &str = "authorization,content-type";

/// The four request kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `GET /api/items` from the allowed origin.
    AllowedGet,
    /// `OPTIONS /api/items/1` asking for `PUT` with `authorization,content-type`.
    Preflight,
    /// `GET /api/items` from an origin the policy does not allow.
    Disallowed,
    /// `GET /api/items` without `Origin` (same-origin or not from a browser).
    NoOrigin,
}

impl Kind {
    /// All four, in table order.
    pub const ALL: [Kind; 4] = [
        Kind::AllowedGet,
        Kind::Preflight,
        Kind::Disallowed,
        Kind::NoOrigin,
    ];

    /// The benchmark id (also the column key of `bench-report`), from [`KINDS`].
    pub fn id(self) -> &'static str {
        KINDS[self as usize].0
    }

    /// The row label of the tables, from [`KINDS`].
    pub fn label(self) -> &'static str {
        KINDS[self as usize].1
    }

    /// The method of the request.
    pub fn method(self) -> &'static str {
        match self {
            Kind::Preflight => "OPTIONS",
            _ => "GET",
        }
    }

    /// The path of the request.
    pub fn path(self) -> &'static str {
        match self {
            Kind::Preflight => "/api/items/1",
            _ => "/api/items",
        }
    }

    /// The CORS request headers, in order.
    pub fn headers(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Kind::AllowedGet => &[("origin", ORIGIN)],
            Kind::Preflight => &[
                ("origin", ORIGIN),
                ("access-control-request-method", "PUT"),
                ("access-control-request-headers", REQUEST_HEADERS),
            ],
            Kind::Disallowed => &[("origin", EVIL)],
            Kind::NoOrigin => &[],
        }
    }
}

/// The variants measured on every framework.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The app alone.
    None,
    /// Behind this workspace's adapter.
    Ours,
    /// Behind the framework's established CORS layer.
    Peer,
    /// Behind the framework's floor: the cheapest layer its public middleware API allows
    /// that makes no decision and writes exactly the header lines the adapter writes for
    /// the request ([`Plan`]).
    Floor,
    /// Behind the least a correct layer does for this one policy, hand-written on the
    /// framework's public API ([`minimal`]): the floor plus what correctness cannot skip.
    Minimal,
}

impl Variant {
    /// The three compared in time and allocations, in table order.
    pub const ALL: [Variant; 3] = [Variant::None, Variant::Ours, Variant::Peer];

    /// All five, the two floors last.
    pub const WITH_FLOOR: [Variant; 5] = [
        Variant::None,
        Variant::Ours,
        Variant::Peer,
        Variant::Floor,
        Variant::Minimal,
    ];

    /// The benchmark id.
    pub fn id(self) -> &'static str {
        match self {
            Variant::None => "none",
            Variant::Ours => "ours",
            Variant::Peer => "peer",
            Variant::Floor => "floor",
            Variant::Minimal => "minimal",
        }
    }
}

/// What a floor writes for a request of one kind: the header lines the adapter writes for
/// it under the policy, with no decision made (static values, the request's `Origin`
/// echoed). [`check_floor`] checks it against the adapter before anything is measured.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Answer without calling the app (a preflight), with this status.
    pub respond: Option<u16>,
    /// `Access-Control-Allow-Origin` is the request's own `Origin`.
    pub echo_origin: bool,
    /// The other lines, as static text.
    pub lines: &'static [(&'static str, &'static str)],
}

/// `Vary` on a preflight answer, as the adapter writes it.
pub const PREFLIGHT_VARY: &str = "Origin, Access-Control-Request-Method, \
     Access-Control-Request-Headers, Access-Control-Request-Private-Network";

impl Plan {
    /// The lines the adapter writes for `kind` under the benchmarks' policy.
    pub fn of(kind: Kind) -> Plan {
        match kind {
            Kind::AllowedGet => Plan {
                respond: None,
                echo_origin: true,
                lines: &[
                    ("access-control-allow-credentials", "true"),
                    ("access-control-expose-headers", "x-request-id"),
                    ("vary", "Origin"),
                ],
            },
            Kind::Preflight => Plan {
                respond: Some(200),
                echo_origin: true,
                lines: &[
                    ("access-control-allow-credentials", "true"),
                    ("access-control-allow-methods", "GET, POST, PUT, DELETE"),
                    (
                        "access-control-allow-headers",
                        "content-type, authorization",
                    ),
                    ("access-control-max-age", "600"),
                    ("vary", PREFLIGHT_VARY),
                ],
            },
            Kind::Disallowed | Kind::NoOrigin => Plan {
                respond: None,
                echo_origin: false,
                lines: &[("vary", "Origin")],
            },
        }
    }
}

/// A floor's target: one app per request kind, each with that kind's [`Plan`].
pub fn per_kind(app: impl Fn(Plan) -> Target) -> Target {
    let apps = Kind::ALL.map(|kind| app(Plan::of(kind)));
    Box::new(move |kind| apps[kind as usize](kind))
}

/// What one request produced: enough to check that a variant behaves as expected, without
/// allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// Whether `Access-Control-Allow-Origin` is the allowed origin.
    pub allows: bool,
    /// Which of [`LINES`] the response has, one bit each.
    pub lines: u8,
}

/// The header names a CORS layer writes, for [`Reply::lines`].
pub const LINES: [&str; 8] = [
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-max-age",
    "access-control-expose-headers",
    "access-control-allow-private-network",
    "vary",
];

impl Reply {
    /// A reply from a status, the `Access-Control-Allow-Origin` value and a test for each
    /// header name.
    pub fn new(status: u16, allow_origin: Option<&[u8]>, has: impl Fn(&str) -> bool) -> Self {
        let mut lines = 0;
        for (i, name) in LINES.iter().enumerate() {
            if has(name) {
                lines |= 1 << i;
            }
        }
        Reply {
            status,
            allows: allow_origin == Some(ORIGIN.as_bytes()),
            lines,
        }
    }

    /// Reads a reply from an `http` response head.
    pub fn of(status: http::StatusCode, headers: &http::HeaderMap) -> Self {
        Reply::new(
            status.as_u16(),
            headers
                .get(http::header::ACCESS_CONTROL_ALLOW_ORIGIN)
                .map(http::HeaderValue::as_bytes),
            |name| headers.contains_key(name),
        )
    }
}

/// Panics unless a floor ([`Variant::Floor`], [`Variant::Minimal`]) answers every kind
/// with the status and the header names the adapter answers it with, so that no floor is
/// cheaper for writing less.
pub fn check_floor(name: &str, floor: &Target, ours: &Target) {
    for kind in Kind::ALL {
        let (f, o) = (floor(kind), ours(kind));
        assert_eq!(f, o, "{name}/{}: the floor writes other lines", kind.id());
    }
}

/// One app under measurement: sends one request of a kind and reads the whole response.
pub type Target = Box<dyn Fn(Kind) -> Reply>;

/// Builds a framework's app of one variant.
pub type Build = fn(Variant) -> Target;

/// The builder of each framework of [`cors_bench::FRAMEWORKS`], by its group name.
pub fn build(framework: &str) -> Build {
    match framework {
        "axum" => axum::target,
        "actix" => actix::target,
        "rocket" => rocket::target,
        "warp" => warp::target,
        other => unreachable!("no framework `{other}`"),
    }
}

/// The floor ([`Variant::Floor`]) or the minimal correct layer ([`Variant::Minimal`]) of
/// each framework, by its group name.
pub fn floor(framework: &str, variant: Variant) -> Target {
    match (framework, variant) {
        ("axum", Variant::Floor) => axum::floor(),
        ("axum", Variant::Minimal) => axum::minimal(),
        ("actix", Variant::Floor) => actix::floor(),
        ("actix", Variant::Minimal) => actix::minimal(),
        ("rocket", Variant::Floor) => rocket::floor(),
        ("rocket", Variant::Minimal) => rocket::minimal(),
        ("warp", Variant::Floor) => warp::floor(),
        ("warp", Variant::Minimal) => warp::minimal(),
        (framework, variant) => unreachable!("no floor `{framework}/{}`", variant.id()),
    }
}

/// The policy, in this workspace's terms: the load test's (`conformance::load::policy`).
pub fn policy() -> Cors {
    conformance::load::policy()
}

/// Panics unless `target` answers every kind as a CORS layer with the policy must (or, for
/// [`Variant::None`], as the bare app does), so that no benchmark times a broken setup.
pub fn check(name: &str, variant: Variant, target: &Target) {
    for kind in Kind::ALL {
        let reply = target(kind);
        let cors_expected =
            variant != Variant::None && matches!(kind, Kind::AllowedGet | Kind::Preflight);
        assert_eq!(
            reply.allows,
            cors_expected,
            "{name}/{}: Access-Control-Allow-Origin present = {}",
            kind.id(),
            reply.allows
        );
        if matches!(kind, Kind::AllowedGet | Kind::NoOrigin) {
            assert_eq!(reply.status, 200, "{name}/{}", kind.id());
        }
        if variant != Variant::None && kind == Kind::Preflight {
            assert!(
                (200..300).contains(&reply.status),
                "{name}/preflight: {}",
                reply.status
            );
        }
    }
}

/// Header lines as `http` types (axum, warp), built once.
pub fn http_lines(
    lines: &[(&'static str, &'static str)],
) -> &'static [(http::HeaderName, http::HeaderValue)] {
    Vec::leak(
        lines
            .iter()
            .map(|(n, v)| {
                (
                    http::HeaderName::from_static(n),
                    http::HeaderValue::from_static(v),
                )
            })
            .collect(),
    )
}

/// A single-threaded tokio runtime, as the frameworks' own test tools use.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// A tower service (axum's Router, `warp::service`, either behind a layer) as a target,
/// driven with `tower::ServiceExt::oneshot` on its own single-threaded runtime.
pub fn tower_target<S, Q: 'static, B>(request: fn(Kind) -> http::Request<Q>, service: S) -> Target
where
    S: tower::Service<
            http::Request<Q>,
            Response = http::Response<B>,
            Error = std::convert::Infallible,
        > + Clone
        + 'static,
    B: http_body::Body,
    B::Error: std::fmt::Debug,
{
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let runtime = runtime();
    Box::new(move |kind| {
        runtime.block_on(async {
            let Ok(response) = service.clone().oneshot(request(kind)).await;
            let reply = Reply::of(response.status(), response.headers());
            let body = response.into_body().collect().await.expect("a body");
            std::hint::black_box(body);
            reply
        })
    })
}
