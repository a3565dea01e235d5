//! CORS for axum, and for any tower or hyper service, driven by a [`cors_core::Cors`]
//! policy.
//!
//! The layer answers with the inner service's own body type, which must be `Default` (a
//! preflight's empty answer) and `From<String>` (the reason shown in debug mode): axum's
//! `Body`, `String`, `http_body_util::Full` and warp's body are. For a service whose body
//! is not (hyper's `Incoming` in a proxy, a boxed body), map it to axum's first, e.g. with
//! `tower_http::map_response_body::MapResponseBodyLayer::new(axum::body::Body::new)`.
//!
//! ```
//! use axum::{Router, routing::get};
//! use cors_axum::CorsLayer;
//! use cors_core::CorsConfig;
//!
//! let cors = CorsConfig::new()
//!     .allowed_origins(["http://localhost:3000"])
//!     .allow_credentials(true)
//!     .build()?;
//! let app: Router = Router::new()
//!     .route("/api/items", get(|| async { "[]" }))
//!     .layer(CorsLayer::new(cors));
//! # Ok::<(), cors_core::ConfigErrors>(())
//! ```
//!
//! `Router::layer` wraps the router and its fallback, so the layer sees every request
//! before routing:
//!
//! - a preflight is answered by the layer, whether or not a route (or an OPTIONS handler)
//!   exists for its path; the app never sees it;
//! - every response the router produces (handler success and errors, extractor rejections,
//!   404 and 405 from routing, a 500 from a panic caught by `tower_http::catch_panic`
//!   *inside* this layer) gets the CORS headers;
//! - the response body passes through frame by frame, never buffered.
//!
//! # A common mistake: the layer on one route
//!
//! A layer on one route's handlers (`get(h).layer(...)`) sees only the requests routed to
//! that path. A preflight to any other path is answered by axum's routing, a 405 without
//! CORS headers, and the browser reports a CORS error. `Router::route_layer` is worse: it
//! leaves out the method router's fallback, so the preflights of every path get the 405.
//!
//! ```
//! use axum::{Router, body::Body, http::Request, routing::{get, put}};
//! use cors_axum::CorsLayer;
//! use tower::ServiceExt;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let cors = cors_core::CorsConfig::new().allowed_origins(["http://localhost:3000"]).build()?;
//! let preflight = || {
//!     Request::options("/api/items/1")
//!         .header("origin", "http://localhost:3000")
//!         .header("access-control-request-method", "PUT")
//!         .body(Body::empty())
//! };
//!
//! // Wrong: the policy covers GET /api/items only.
//! let wrong: Router = Router::new()
//!     .route("/api/items", get(|| async { "[]" }).layer(CorsLayer::new(cors.clone())))
//!     .route("/api/items/{id}", put(|| async { "{}" }));
//! let answer = wrong.oneshot(preflight()?).await?;
//! assert_eq!(answer.status(), 405);
//! assert!(answer.headers().get("access-control-allow-origin").is_none());
//!
//! // Right: the layer on the whole router, after the last route.
//! let right: Router = Router::new()
//!     .route("/api/items", get(|| async { "[]" }))
//!     .route("/api/items/{id}", put(|| async { "{}" }))
//!     .layer(CorsLayer::new(cors));
//! let answer = right.oneshot(preflight()?).await?;
//! assert_eq!(answer.status(), 200);
//! assert_eq!(answer.headers()["access-control-allow-origin"], "http://localhost:3000");
//! # Ok(())
//! # }
//! ```
//!
//! Inside `Router::nest`, `urls_regex` is matched against the full path the browser asked
//! for: the layer reads axum's `OriginalUri` (feature `axum`, on by default). Without the
//! feature the layer depends on tower alone and sees the path it is given.
//!
//! Put `CorsLayer` outermost (the last `.layer` call), so that every other layer's
//! responses, errors included, pass through it. axum's `Router::layer` wraps the routes and
//! the fallback that exist when it is called (routes added later are not covered), and it
//! does so inside axum's routing: a preflight is still answered by the layer, but axum's
//! method router adds its `Allow` header to the answer. To answer strictly before routing,
//! wrap the whole router and serve it as the fallback of an empty one:
//!
//! ```no_run
//! use axum::{Router, routing::get};
//! use cors_axum::CorsLayer;
//! use tower_layer::Layer;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let cors = cors_core::CorsConfig::new().allowed_origins(["http://localhost:3000"]).build()?;
//! let api = Router::new().route("/api/items", get(|| async { "[]" }));
//! // every request meets the policy before any route does
//! let app = Router::new().fallback_service(CorsLayer::new(cors).layer(api));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8000").await?;
//! axum::serve(listener, app).await?;
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]

mod future;
mod service;

pub use cors_core;
pub use future::ResponseFuture;
pub use service::{CorsLayer, CorsService, Waiting};
