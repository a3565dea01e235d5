//! Reads the results of `cargo bench -p cors-engine` and `cargo bench -p cors-bench` (the
//! `estimates.json` files criterion writes under `target/criterion`) and renders the
//! tables of BENCHMARKS.md: per framework, the overhead of this workspace's adapter and of
//! the framework's established CORS layer over the same app without CORS.
//!
//! The benchmarks themselves are in `benches/`; `tests/alloc.rs` counts allocations.
//!
//! ```
//! use cors_bench::{Overhead, markdown_row};
//! let o = Overhead { none: 1000.0, ours: 1040.0, peer: Some(1900.0) };
//! assert_eq!(o.ours_overhead(), 40.0);
//! assert_eq!(o.ratio(), Some(40.0 / 900.0));
//! assert_eq!(markdown_row("allowed GET", &o), "| allowed GET | 1000 | 1040 | +40 | 1900 | +900 | 0.04 |");
//! ```

use std::fs;
use std::path::{Path, PathBuf};

/// The request kinds, as (benchmark id, table label).
pub const KINDS: [(&str, &str); 4] = [
    ("allowed_get", "allowed GET"),
    ("preflight", "preflight PUT"),
    ("disallowed", "disallowed origin"),
    ("no_origin", "no Origin"),
];

/// The frameworks, as (criterion group, this workspace's crate, the established layer).
pub const FRAMEWORKS: [(&str, &str, &str); 4] = [
    ("axum", "cors-axum", "tower-http CorsLayer"),
    ("actix", "cors-actix", "actix-cors"),
    ("rocket", "cors-rocket", "rocket_cors"),
    ("warp", "cors-warp", "warp::cors"),
];

/// Where criterion keeps its results: `$CARGO_TARGET_DIR/criterion`, else the
/// workspace's `target/criterion`.
pub fn criterion_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("criterion")
}

/// The median time, in nanoseconds, of benchmark `group/function/parameter`, if it ran.
pub fn median_ns(dir: &Path, group: &str, function: &str, parameter: &str) -> Option<f64> {
    let file = dir
        .join(group)
        .join(function)
        .join(parameter)
        .join("new/estimates.json");
    let json: serde_json::Value = serde_json::from_str(&fs::read_to_string(file).ok()?).ok()?;
    json["median"]["point_estimate"].as_f64()
}

/// One request kind on one framework: the medians, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overhead {
    /// The app without CORS.
    pub none: f64,
    /// Behind this workspace's adapter.
    pub ours: f64,
    /// Behind the established layer, when measured.
    pub peer: Option<f64>,
}

impl Overhead {
    /// What the adapter adds over no CORS.
    pub fn ours_overhead(&self) -> f64 {
        self.ours - self.none
    }

    /// What the established layer adds over no CORS.
    pub fn peer_overhead(&self) -> Option<f64> {
        self.peer.map(|p| p - self.none)
    }

    /// The adapter's overhead divided by the established layer's (below 1: cheaper).
    /// `None` when the peer was not measured or adds nothing measurable.
    pub fn ratio(&self) -> Option<f64> {
        self.peer_overhead()
            .filter(|p| *p > 0.0)
            .map(|p| self.ours_overhead() / p)
    }
}

/// A Markdown table row: label, no CORS, ours, its overhead, peer, its overhead, ratio
/// (times in ns, rounded).
pub fn markdown_row(label: &str, o: &Overhead) -> String {
    let peer = o.peer.map_or("-".to_owned(), |p| format!("{p:.0}"));
    let peer_overhead = o
        .peer_overhead()
        .map_or("-".to_owned(), |p| format!("{p:+.0}"));
    let ratio = o.ratio().map_or("-".to_owned(), |r| format!("{r:.2}"));
    format!(
        "| {label} | {:.0} | {:.0} | {:+.0} | {peer} | {peer_overhead} | {ratio} |",
        o.none,
        o.ours,
        o.ours_overhead()
    )
}
