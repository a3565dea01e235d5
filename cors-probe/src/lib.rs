//! What a browser concludes about a cross-origin `fetch()`, by the Fetch standard's CORS
//! checks, and a probe that asks a real server.
//!
//! - [`fetch`]: the browser's side of CORS as functions of what was sent and what came
//!   back: the CORS check, the preflight check, which request headers need a preflight.
//! - [`Probe`]: sends what a browser sends for one `fetch()` from a page on an origin (the
//!   preflight when one is due, then the request) to an `http://` or `https://` URL, and
//!   says what the browser concludes: allowed, or blocked with the failed check, its cause
//!   and the fix. HTTP/2 where the server offers it, rustls with the Mozilla roots compiled
//!   in ([`Trust`] adds a private CA).
//!
//! The `cors probe` command (crate `cors-cli`) prints this; this crate is for programs and
//! tests that want the verdict itself.
//!
//! ```no_run
//! use cors_probe::Probe;
//!
//! let probe = Probe {
//!     url: "https://api.example.com/items".into(),
//!     origin: "https://app.example.com".into(),
//!     method: "PUT".into(),
//!     headers: vec![("Content-Type".into(), "application/json".into())],
//!     credentials: true,
//! };
//! let outcome = probe.run()?;
//! match outcome.blocked {
//!     None => println!("allowed"),
//!     Some(blocked) => println!("blocked by the {}: {}\nfix: {}", blocked.stage, blocked.reason, blocked.fix),
//! }
//! # Ok::<(), cors_probe::Error>(())
//! ```

mod client;
mod error;
mod exchange;
pub mod fetch;
mod fix;
mod network;
mod probe;

pub use client::{Client, TIMEOUT, Trust};
pub use error::Error;
pub use exchange::{Exchange, cors_headers, printable, server_reason};
pub use fix::fix;
pub use network::AddressSpace;
pub use probe::{Blocked, Outcome, Probe, Redirect};

/// The README's example, compiled with the doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
