//! The bodies of the workspace's fuzz targets, with the invariants they assert, shared by
//! `cargo fuzz` (the targets in `fuzz/fuzz_targets/`) and by `cargo test` (which replays
//! every input kept in `fuzz/corpus/` and `regressions/`).
//!
//! Each target takes raw bytes and panics when an invariant is broken:
//!
//! - [`decide::run`]: a request (method, path, repeated or malformed headers, any bytes)
//!   against five fixed policies, through both the raw [`RequestView`](cors_core::RequestView)
//!   and the `http` crate's types, then written onto a response the app already filled;
//! - [`config::run`]: configuration text (TOML, JSON or `CORS_*` environment lines)
//!   loaded, built, serialised back and used on probe requests.
//!
//! The invariants, in [`check`]: no panic; `Access-Control-Allow-Origin` is only ever `*`
//! or the request's own `Origin` when the policy admits it, never `*` with credentials;
//! every header value written is a valid header value; `Vary: Origin` is on every
//! response whose CORS headers depend on the origin; an allowed preflight covers exactly
//! what was asked.
//!
//! ```
//! // What `cargo test` does with each kept input, here with a request typed by hand:
//! let input = cors_fuzz::decide::encode(0, "OPTIONS", "/api", &[
//!     ("origin", b"https://app.example.com"),
//!     ("access-control-request-method", b"PUT"),
//! ]);
//! cors_fuzz::decide::run(&input);
//! ```

#![forbid(unsafe_code)]

/// The README's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub mod check;
pub mod config;
pub mod decide;
pub mod oracle;
