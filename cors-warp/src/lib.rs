//! CORS for warp 0.4, driven by a [`cors_core::Cors`] policy.
//!
//! ```
//! use cors_core::CorsConfig;
//! use warp::Filter;
//!
//! let cors = CorsConfig::new()
//!     .allowed_origins(["http://localhost:3000"])
//!     .allow_credentials(true)
//!     .build()?;
//! let items = warp::path!("api" / "items").and(warp::get()).map(|| "[]");
//! let routes = items.with(cors_warp::cors!(cors));
//! // warp::serve(routes).run(([127, 0, 0, 1], 8000)).await;
//! # let _ = routes;
//! # Ok::<(), cors_core::ConfigErrors>(())
//! ```
//!
//! # How it works
//!
//! The wrapper classifies the request before the routes run:
//!
//! - a preflight (and, with `csrf_protection`, a disallowed actual request) is
//!   answered by the wrapper; the routes never see it, so they need no OPTIONS filters;
//! - every other request goes to the routes, and the policy's headers are written onto
//!   whatever comes back: a reply, or a **rejection** (404, 405, a bad body, a missing
//!   header). Rejections are rendered inside the wrapper, exactly as warp would render
//!   them, so that their responses carry the CORS headers too: a browser can then read
//!   the 404 or 400 instead of reporting a CORS error. (warp's own `warp::cors()` leaves
//!   rejections bare, warp issue 518.)
//!
//! On a path the policy covers, the wrapped filter therefore never rejects: put your own
//! `.recover(...)` **inside** the wrapper, `routes.recover(handle).with(cors!(cors))`. On a
//! path outside the policy's `urls_regex` the wrapper changes nothing, and a rejection
//! passes through as a rejection, so `.or(...)` goes on to the next filter.
//!
//! # A common mistake: `.with` on one branch of `.or`
//!
//! The wrapper renders rejections itself, so that they carry the CORS headers, and so the
//! wrapped filter never rejects on a path the policy covers. (Plain warp filters reject and
//! let `.or` try the next branch.) A branch wrapped before `.or(...)` therefore answers
//! every request itself, 404 included, and the branches after it never run, for any
//! client, not only browsers. Wrap the whole chain:
//!
//! ```
//! use cors_core::CorsConfig;
//! use warp::Filter;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), cors_core::ConfigErrors> {
//! let cors = CorsConfig::new().allowed_origins(["http://localhost:3000"]).build()?;
//! let list = warp::path!("api" / "items").and(warp::get()).map(|| "[]");
//! let update = warp::path!("api" / "items" / u32).and(warp::put()).map(|_id| "{}");
//! let put = || {
//!     warp::test::request()
//!         .method("PUT")
//!         .path("/api/items/1")
//!         .header("origin", "http://localhost:3000")
//! };
//!
//! // Wrong: `list` wrapped alone answers PUT /api/items/1 with its 404.
//! let wrong = list.clone().with(cors_warp::cors!(cors.clone())).or(update.clone());
//! assert_eq!(put().reply(&wrong).await.status(), 404);
//!
//! // Right: one wrapper around every route.
//! let right = list.or(update).with(cors_warp::cors!(cors));
//! let answer = put().reply(&right).await;
//! assert_eq!(answer.status(), 200);
//! assert_eq!(answer.headers()["access-control-allow-origin"], "http://localhost:3000");
//! # Ok(())
//! # }
//! ```
//!
//! Two policies on two parts of an app: scope each wrapped part by its path prefix,
//! `warp::path("public").and(public.with(cors!(open))).or(warp::path("account").and(account.with(cors!(strict))))`,
//! or give each policy a `urls_regex`.
//!
//! Warp does not catch panics (a panicking handler drops the connection), so there is no
//! 500 response to decorate.
//!
//! # Why a macro
//!
//! `Filter::with` accepts only warp's own wrapper types, and the one made from a closure,
//! `warp::wrap_fn`, returns a type warp does not export, so no other crate can write a
//! function that returns it. [`cors!`] therefore expands to
//! `warp::wrap_fn(move |routes| cors_warp::wrap(cors.clone(), routes))`. [`wrap`] is the
//! same thing as a plain function: `cors_warp::wrap(cors, routes)`.
//!
//! # Cost
//!
//! warp lets a crate outside it read the request only through its public filters, and the
//! only one that shows every value of a repeated header is `warp::header::headers_cloned`,
//! a copy of the header map (two allocations). The wrapper uses it, because a repeated
//! `Origin` must be refused, not half-read. The path is read only when the policy has a
//! `urls_regex`. Where the last half-microsecond matters, serve the routes as a tower
//! service behind `cors_axum::CorsLayer`, which reads the request in place:
//! `cors_axum::CorsLayer::new(cors).layer(warp::service(routes))`. BENCHMARKS.md at the
//! workspace root has the figures.

#![forbid(unsafe_code)]

mod answer;
mod render;
mod routes;
mod wrap;

pub use cors_core;
pub use routes::Routes;
pub use wrap::wrap;

#[doc(hidden)]
pub mod __private {
    pub use warp::wrap_fn;
}

/// The policy as a wrapper for `Filter::with`: `routes.with(cors_warp::cors!(cors))`.
///
/// `cors` is a [`cors_core::Cors`]; the macro moves it. See the [crate docs](crate) for what
/// the wrapper does and why this is a macro.
///
/// ```
/// use cors_core::CorsConfig;
/// use warp::Filter;
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), cors_core::ConfigErrors> {
/// let cors = CorsConfig::new()
///     .allowed_origins(["https://app.example.com"])
///     .allowed_methods(["GET", "PUT"])
///     .build()?;
/// let routes = warp::path!("api" / "items" / u32).and(warp::put()).map(|_id| "{}");
/// let app = routes.with(cors_warp::cors!(cors));
///
/// // a preflight for a route that has no OPTIONS filter
/// let res = warp::test::request()
///     .method("OPTIONS")
///     .path("/api/items/1")
///     .header("origin", "https://app.example.com")
///     .header("access-control-request-method", "PUT")
///     .reply(&app)
///     .await;
/// assert_eq!(res.status(), 200);
/// assert_eq!(res.headers()["access-control-allow-methods"], "GET, PUT");
/// # Ok(()) }
/// ```
#[macro_export]
macro_rules! cors {
    ($cors:expr $(,)?) => {{
        let cors: $crate::cors_core::Cors = $cors;
        $crate::__private::wrap_fn(move |routes| {
            $crate::wrap(::core::clone::Clone::clone(&cors), routes)
        })
    }};
}
