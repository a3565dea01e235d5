//! Finds the origins a CORS policy lets in that its author did not mean to: for every
//! configured origin, subdomain pattern and regex, the lookalikes an attacker would try
//! (suffix, prefix, deeper and parent domains, scheme, port, `null`, unescaped-dot
//! lookalikes, userinfo) go through the policy's own decision engine, and each one
//! admitted beyond what the configuration intends is reported with the fix.
//!
//! ```
//! use cors_core::CorsConfig;
//!
//! let config = CorsConfig::new().allowed_origin_regexes(["https://app.example.com"]);
//! let report = cors_lint::lint(&config)?;
//! assert_eq!(report.findings[0].admitted, "https://app.examplexcom");
//! assert_eq!(report.findings[0].fix, r"https://app\.example\.com");
//! # Ok::<(), cors_core::ConfigErrors>(())
//! ```
//!
//! The `cors-lint` binary runs it on a configuration file.

#![forbid(unsafe_code)]

/// The README's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub mod cli;
mod example;
mod family;
mod import;
mod legacy;
mod lint;
mod python;

pub use example::examples;
pub use family::{ATTACKER, Candidate, Trick, browser_can_send, family};
pub use import::{Change, Import, Translation, import};
pub use legacy::{Legacy, Names, OldMatch, STARLETTE_SAFELISTED_HEADERS, Source, Unread};
pub use lint::{Finding, Report, lint, lint_legacy};
pub use python::Value;
