//! The shared CORS conformance matrix: cases as data (`conformance/cases/*.toml`), a judge
//! of responses by the Fetch standard's rules, and the targets the matrix runs against.
//!
//! The targets: `core` (the cors-core decision engine, the demo app simulated in process:
//! the reference) and the four adapters, each serving the [demo] app over real HTTP on
//! loopback.
//!
//! This crate is not published: it is the workspace's test harness and the home of its
//! tools. The parts meant for use from other programs, [`probe`] (what `cors-probe` does),
//! [`fetch`] (the browser's verdict) and [`demo`] (the demo servers), have an example on
//! every item; the harness's own modules ([`browser`], [`case`], [`core_target`],
//! [`http_target`], [`judge`], [`load`], [`matrix`]) are documented for its maintainers and
//! exercised by its tests and binaries.

pub mod browser;
pub mod case;
pub mod core_target;
pub mod demo;
pub mod fetch;
pub mod http_target;
pub mod judge;
pub mod load;
pub mod matrix;
pub mod probe;
