//! A framework-agnostic CORS policy: one validated configuration and an allocation-free
//! decision engine that the `cors-axum`, `cors-actix`, `cors-rocket` and `cors-warp`
//! adapters plug into their frameworks.
//!
//! ```
//! use cors_core::{CorsConfig, Decision, HeaderField, RequestView};
//!
//! // Build once, at start-up. Mistakes are errors with a hint, never panics.
//! let cors = CorsConfig::new()
//!     .allowed_origins(["http://localhost:3000", "https://app.example.com"])
//!     .allow_credentials(true)
//!     .build()?;
//!
//! // Per request: a borrowed view in, a decision out.
//! let preflight = RequestView {
//!     method: "OPTIONS",
//!     path: "/api/items",
//!     origin: HeaderField::One(b"http://localhost:3000"),
//!     request_method: HeaderField::One(b"PUT"),
//!     request_headers: HeaderField::One(b"content-type"),
//!     ..RequestView::default()
//! };
//! let Decision::Respond(answer) = cors.classify(&preflight) else { unreachable!() };
//! let sent: Vec<(String, String)> = answer
//!     .headers()
//!     .iter()
//!     .map(|(name, value)| (name.to_string(), value.as_str().to_owned()))
//!     .collect();
//! assert_eq!(sent, [
//!     ("access-control-allow-origin".into(), "http://localhost:3000".into()),
//!     ("access-control-allow-credentials".into(), "true".into()),
//!     ("access-control-allow-methods".into(), "DELETE, GET, OPTIONS, PATCH, POST, PUT".into()),
//!     ("access-control-allow-headers".into(),
//!      "accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with".into()),
//!     ("access-control-max-age".into(), "86400".into()),
//! ]);
//! assert_eq!(
//!     answer.headers().vary().unwrap(),
//!     "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network"
//! );
//! # Ok::<(), cors_core::ConfigErrors>(())
//! ```
//!
//! Building reports every mistake at once ([`ConfigErrors`]), each with its field, value
//! and fix:
//!
//! ```
//! let errors = cors_core::CorsConfig::new()
//!     .allowed_origins(["https://app.example.com/", "localhost:3000"])
//!     .build()
//!     .unwrap_err();
//! assert_eq!(errors.to_string(), "\
//! allowed_origins: `https://app.example.com/` has a trailing slash; origins have no path: did you mean `https://app.example.com`?
//! allowed_origins: `localhost:3000` has no scheme: did you mean `http://localhost:3000`?");
//! ```
//!
//! # How a request is classified
//!
//! - a path that does not fully match `urls_regex` (or, with `paths`, no entry's `path`):
//!   [`Decision::Skip`], untouched; with `paths`, the first entry that matches decides the
//!   rest, as a policy of its own;
//! - an origin that only the asynchronous check (`allow_origin_async`) can allow:
//!   [`Decision::Check`]; the adapter awaits the verdict and classifies again with it;
//! - no `Origin`: [`Decision::Forward`], only `Vary: Origin` is added;
//! - `OPTIONS` with `Origin` and `Access-Control-Request-Method`: a preflight, answered by
//!   the adapter itself ([`Decision::Respond`]), allowed or rejected (403, no CORS headers);
//! - anything else with `Origin`: an actual request, [`Decision::Forward`]: the app runs and
//!   its response gets the CORS headers if the origin is allowed.
//!
//! # Where each rule lives
//!
//! A setting that shapes one response header has a file named for it, whose `answer`
//! method gives that header per request. The other settings are checked in `build.rs`
//! (one `check_*` each) and act in `classify.rs`. Paths are under `cors-core/src/`.
//!
//! | setting or rule | checked when built | answered per request |
//! |---|---|---|
//! | `allowed_origins` (exact, `https://*.example.com`, `null`) | `origin.rs` (`parse_entry`), compiled in `allow_origin.rs` (`OriginList::build`) | `allow_origin.rs` (`AllowOrigin::check`, `answer`) |
//! | `allowed_origin_regexes` | `user_regex.rs` (parsed alone, anchored), `any_website.rs` (what it admits), `allow_origin.rs` (unescaped `.` warning) | `allow_origin.rs` |
//! | `allow_all_origins` | `allow_origin.rs` (`AnyOrigin::of`), `build.rs` (`check_origin_lists`) | `allow_origin.rs` |
//! | `allow_origin_fn` | `build.rs` (`check_origin_lists`) | `allow_origin.rs` (`OriginPredicate`, asked last) |
//! | `allow_origin_async` | `build.rs` (`check_origin_lists`) | `classify.rs` (`ask`: [`Decision::Check`]), `origin_check.rs` ([`Pending::verdict`], [`Verdict`]), then the adapter classifies again with the verdict |
//! | `allow_credentials`, `allow_credentials_with_any_origin` | `credentials.rs`: every rule side by side (allow-all, `null`, regexes for any domain, plain http, `expose_headers = ["*"]`) | `classify.rs`, and the `answer` of methods and headers |
//! | `allowed_methods` (GET, HEAD, POST always pass) | `allow_methods.rs` (`build`) | `allow_methods.rs` (`answer`) |
//! | `allowed_headers` (`*` never covers `Authorization`) | `allow_headers.rs` (`build`) | `allow_headers.rs` (`answer`) |
//! | `expose_headers` | `expose_headers.rs`, `credentials.rs` (`*`) | `expose_headers.rs` (`answer`) |
//! | `max_age` | `max_age.rs` | `max_age.rs` (`answer`) |
//! | `allow_private_network` | `build.rs` (`check_private_network`) | `private_network.rs` (`answer`) |
//! | `urls_regex` | `build.rs` (`check_urls_regex`), `user_regex.rs` | `classify.rs` ([`Decision::Skip`]), `path_set.rs` (`routed`: the path as routers decode it) |
//! | `paths` | `path_set.rs` (`build`: each entry, nothing beside, no entry shadowed), `dfa.rs` | `path_set.rs` (`PathSet::find`), `classify.rs` (the entry decides; [`Forward`] keeps which) |
//! | `csrf_protection`, same-origin requests | `build.rs` (`check_origin_lists`: warnings), `path_set.rs` (`check_reachable`: with `paths`, every path some entry's) | `classify.rs` (`actual`, `without_origin`, `outside_urls`), `request.rs` (`is_same_origin`, `is_cross_site`) |
//! | `preflight_status` | `build.rs` (`check_preflight_status`) | `classify.rs` (`preflight`) |
//! | `debug` | `build.rs` (`check_debug`) | `classify.rs` (`rejected`), `reason.rs` (the texts), `decision.rs` (`Response::body`), `headers.rs` ([`X_CORS_REJECTED`]) |
//! | `Vary` | | `vary.rs` |
//! | the order of a preflight's checks | | `classify.rs` (`preflight_headers`) |
//! | reading a request: repeated headers, lists on several lines | | `request.rs` |
//! | writing into a response: owned headers replaced, `Vary` merged | | `headers.rs` |
//! | every error at once, warnings | `build.rs`, `error.rs`, `warning.rs` | |
//! | reading TOML, JSON, the environment | `load.rs`, `config.rs` | |
//!
//! # Why a request was refused
//!
//! The [`Reason`] is in [`Response::rejection`] and [`Forward::rejection`]. With `debug`
//! on, the response says it too: a refused preflight's body ([`Response::body`]) and the
//! [`X_CORS_REJECTED`] header on the response to an actual request from a refused origin.
//!
//! # Features
//!
//! - `tracing` (default): a `debug` event with target `cors` for every rejection, and a
//!   `warn` event for every [`ConfigWarning`] when a policy is built. A refused preflight,
//!   printed by `tracing_subscriber::fmt()`:
//!
//! ```text
//! 2026-11-23T11:22:17.002396Z DEBUG cors: CORS request rejected: request header `x-token` is not in allowed_headers method=OPTIONS path=/api/items origin=http://localhost:3000 preflight=true
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

/// The README's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod allow_headers;
mod allow_methods;
mod allow_origin;
mod any_website;
mod build;
mod classify;
mod config;
mod credentials;
mod decision;
mod dfa;
mod error;
mod expose_headers;
mod headers;
mod load;
mod max_age;
mod origin;
mod origin_check;
mod origin_lists;
mod path_set;
mod policy;
mod private_network;
mod reason;
mod regex_hint;
mod request;
mod response_header;
mod token;
mod user_regex;
pub mod vary;
mod warning;

pub use allow_methods::normalise_method;
pub use allow_origin::OriginPredicate;
pub use any_website::any_website_origin;
pub use config::{CorsConfig, PathPolicy};
pub use decision::{Decision, Forward, Response};
pub use error::{ConfigError, ConfigErrorKind, ConfigErrors};
pub use headers::{
    HeaderSink, Headers, HeadersIter, Mirror, OWNED_HEADERS, Value, X_CORS_REJECTED,
};
pub use origin::{MAX_ORIGIN_LEN, serialised_origin};
pub use origin_check::{AsyncOriginPredicate, CheckFuture, Pending, Verdict, VerdictFuture};
pub use policy::Cors;
pub use private_network::{
    ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK, ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK,
};
pub use reason::Reason;
pub use regex_hint::escape_label_dots;
pub use request::{HeaderField, RequestHeader, RequestView, SEC_FETCH_SITE};
pub use response_header::ResponseHeader;
pub use warning::ConfigWarning;

pub use http;
