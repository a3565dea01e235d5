//! CORS for actix-web, driven by a [`cors_core::Cors`] policy.
//!
//! ```
//! use actix_web::{App, web};
//! use cors_actix::CorsMiddleware;
//! use cors_core::CorsConfig;
//!
//! let cors = CorsConfig::new()
//!     .allowed_origins(["http://localhost:3000"])
//!     .allow_credentials(true)
//!     .build()?;
//! let app = App::new()
//!     .wrap(CorsMiddleware::new(cors))
//!     .route("/api/items", web::get().to(|| async { "[]" }));
//! # Ok::<(), cors_core::ConfigErrors>(())
//! ```
//!
//! `App::wrap` runs the middleware before routing, so:
//!
//! - a preflight is answered by the middleware, whether or not a resource (or an OPTIONS
//!   route) matches its path; the app never sees it;
//! - every response gets the CORS headers: handler success and errors, extractor
//!   rejections, 404 from the default service, 405 from a resource, and errors returned by
//!   middleware inside this one (still errors for outer middleware, as [`CorsError`],
//!   whose response is the inner error's plus the CORS headers);
//! - the response body streams through untouched.
//!
//! actix-web does not turn a panicking handler into a 500 (the worker's connection is
//! dropped), so there is no response to decorate in that case.
//!
//! Register it with the last `.wrap` call (the outermost), so other middleware's responses
//! pass through it; `Scope::wrap` applies a policy to one part of the app.

#![forbid(unsafe_code)]

mod error;
mod future;
mod middleware;
mod sink;

pub use cors_core;
pub use error::CorsError;
pub use future::CorsFuture;
pub use middleware::{CorsMiddleware, CorsService};
