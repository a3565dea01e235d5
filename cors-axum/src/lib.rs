//! CORS for axum, and for any tower or hyper service, driven by a [`cors_core::Cors`]
//! policy.
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

mod body;
mod future;
mod service;

pub use body::CorsBody;
pub use cors_core;
pub use future::ResponseFuture;
pub use service::{CorsLayer, CorsService};
