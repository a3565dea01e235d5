//! CORS for Rocket 0.5, driven by a [`cors_core::Cors`] policy.
//!
//! ```
//! use cors_core::CorsConfig;
//! use cors_rocket::CorsFairing;
//! use rocket::{get, routes};
//!
//! #[get("/api/items")]
//! fn items() -> &'static str { "[]" }
//!
//! let cors = CorsConfig::new()
//!     .allowed_origins(["http://localhost:3000"])
//!     .allow_credentials(true)
//!     .build()?;
//! let rocket = rocket::build()
//!     .mount("/", routes![items])
//!     .attach(CorsFairing::new(cors));
//! # Ok::<(), cors_core::ConfigErrors>(())
//! ```
//!
//! # How it works
//!
//! A Rocket fairing cannot answer a request itself: `on_request` may only change the
//! request, and routing always follows. So [`CorsFairing`] is two things:
//!
//! - at ignite it mounts a catch-all OPTIONS route (`/<_..>`) with a rank far ahead of any
//!   application route (-1000 and below); with `csrf_protection` on, one per unsafe
//!   method Rocket routes (PUT, POST, DELETE, TRACE, PATCH). Its handler asks the policy: a preflight (and, with
//!   `csrf_protection`, a disallowed actual request) is answered there, so no
//!   application route, OPTIONS routes included, ever sees it; every other request is
//!   forwarded on to the application's routes, as if the catch-all were not there. Actual
//!   requests therefore take no detour when the policy does not reject them;
//! - its `on_response` callback runs on every response Rocket sends, route responses,
//!   catchers (404, 500 from a panicking handler, 422/400 from a failed data guard)
//!   included, and writes the CORS headers the policy gives for the request (the decision
//!   of the catch-all route when it saw the request, else the policy's, asked again).
//!   Header text is borrowed where it outlives the response (the request's `Origin`, the
//!   fixed values), so the only per-request allocations are the ones Rocket's header map
//!   makes for every header line added.
//!
//! Rocket drops request header values that are not UTF-8 before fairings or routes see
//! them, so such an `Origin` is treated as absent (not a CORS request). Rocket has no 405:
//! a method without a route is a 404, and that 404 carries the CORS headers.
//!
//! # A common mistake: `urls_regex` without the mount point
//!
//! `urls_regex` is matched against the whole path the browser asks for, the base a route
//! is mounted at included. Written for the route alone, it matches nothing, so no
//! preflight is answered and Rocket's 404 goes back without CORS headers:
//!
//! ```
//! use cors_core::CorsConfig;
//! use cors_rocket::CorsFairing;
//! use rocket::http::{Header, Status};
//! use rocket::local::blocking::Client;
//! use rocket::{get, routes};
//!
//! #[get("/items")]
//! fn items() -> &'static str { "[]" }
//!
//! let preflight = |client: &Client| {
//!     let answer = client
//!         .options("/api/items")
//!         .header(Header::new("origin", "http://localhost:3000"))
//!         .header(Header::new("access-control-request-method", "PUT"))
//!         .dispatch();
//!     (answer.status(), answer.headers().get_one("access-control-allow-origin").map(str::to_owned))
//! };
//! let app = |urls_regex: &str| -> Result<Client, Box<dyn std::error::Error>> {
//!     let cors = CorsConfig::new()
//!         .allowed_origins(["http://localhost:3000"])
//!         .urls_regex(urls_regex)
//!         .build()?;
//!     let rocket = rocket::build().mount("/api", routes![items]).attach(CorsFairing::new(cors));
//!     Ok(Client::untracked(rocket)?)
//! };
//!
//! // Wrong: `/items` is where the route is declared, not the path browsers ask for.
//! assert_eq!(preflight(&app("/items")?), (Status::NotFound, None));
//!
//! // Right: the full path, mount point included.
//! assert_eq!(
//!     preflight(&app("/api/.*")?),
//!     (Status::Ok, Some("http://localhost:3000".to_owned()))
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Several fairings with different policies can be attached (each with its own
//! `urls_regex`, say `/public/.*` and `/private/.*`); each handles the paths its policy
//! matches.

#![forbid(unsafe_code)]

mod fairing;
mod sink;

pub use cors_core;
pub use fairing::CorsFairing;
