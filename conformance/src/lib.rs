//! The shared CORS conformance matrix: cases as data (`conformance/cases/*.toml`), a judge
//! of responses by the Fetch standard's rules, and the targets the matrix runs against.
//!
//! The targets: `core` (the cors-core decision engine, the demo app simulated in process:
//! the reference) and the four adapters, each serving the [demo] app over real HTTP on
//! loopback.
//!
//! This crate is not published: it is the workspace's test harness and the home of its
//! tools. The browser's verdict, by which every response is judged, is the published crate
//! `cors-probe` (`cors_probe::fetch`). The part meant for use from other programs, [`demo`]
//! (the demo servers), has an example on every item; the harness's own modules
//! ([`browser`], [`case`], [`core_target`], [`http_target`], [`judge`], [`load`],
//! [`matrix`]) are documented for its maintainers and exercised by its tests and binaries.

pub mod browser;
pub mod case;
pub mod core_target;
pub mod demo;
pub mod http_target;
pub mod judge;
pub mod load;
pub mod matrix;
