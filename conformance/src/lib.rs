//! The shared CORS conformance matrix: cases as data (`conformance/cases/*.toml`), a judge
//! of responses by the Fetch standard's rules, and the targets the matrix runs against.
//!
//! Today the target is the cors-core decision engine with the demo app simulated in
//! process; the adapters join as HTTP targets of the same matrix.

pub mod case;
pub mod core_target;
pub mod fetch;
pub mod judge;
pub mod matrix;
