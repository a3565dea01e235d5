//! CORS for rocket, driven by a [`cors_core::Cors`] policy.
//!
//! The adapter itself is not written yet; this crate reserves its place in the workspace.

pub use cors_core;
