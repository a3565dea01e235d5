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
//! # A common mistake: the middleware on one resource
//!
//! `Resource::wrap` (or `Scope::wrap` on a scope that does not hold every route) sees only
//! the requests routed there. A preflight to any other path gets actix-web's 404 or 405
//! without CORS headers, and the browser reports a CORS error:
//!
//! ```
//! use actix_web::{App, test, web};
//! use cors_actix::CorsMiddleware;
//!
//! # actix_web::rt::System::new().block_on(async {
//! let cors = cors_core::CorsConfig::new().allowed_origins(["http://localhost:3000"]).build().unwrap();
//! let preflight = || {
//!     test::TestRequest::default()
//!         .method(actix_web::http::Method::OPTIONS)
//!         .uri("/api/items/1")
//!         .insert_header(("origin", "http://localhost:3000"))
//!         .insert_header(("access-control-request-method", "PUT"))
//!         .to_request()
//! };
//!
//! // Wrong: the policy covers /api/items only.
//! let wrong = test::init_service(
//!     App::new()
//!         .service(
//!             web::resource("/api/items")
//!                 .wrap(CorsMiddleware::new(cors.clone()))
//!                 .route(web::get().to(|| async { "[]" })),
//!         )
//!         .route("/api/items/{id}", web::put().to(|| async { "{}" })),
//! )
//! .await;
//! let answer = test::call_service(&wrong, preflight()).await;
//! assert_eq!(answer.status(), 404); // no OPTIONS route for the path
//! assert!(answer.headers().get("access-control-allow-origin").is_none());
//!
//! // Right: `App::wrap`, before routing.
//! let right = test::init_service(
//!     App::new()
//!         .wrap(CorsMiddleware::new(cors))
//!         .route("/api/items", web::get().to(|| async { "[]" }))
//!         .route("/api/items/{id}", web::put().to(|| async { "{}" })),
//! )
//! .await;
//! let answer = test::call_service(&right, preflight()).await;
//! assert_eq!(answer.status(), 200);
//! assert_eq!(answer.headers().get("access-control-allow-origin").unwrap(), "http://localhost:3000");
//! # });
//! ```
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
