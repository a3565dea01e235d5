//! `cargo bench -p cors-bench`: each framework's app without CORS, behind this
//! workspace's adapter and behind the framework's established CORS layer, in process with
//! the framework's own test machinery, for four request kinds. `bench-report` turns the
//! results into the overhead tables of BENCHMARKS.md.

#![allow(missing_docs)] // criterion_group! generates an undocumented function

#[path = "apps/mod.rs"]
mod apps;

use std::hint::black_box;
use std::time::Duration;

use apps::{Kind, Target, Variant};
use cors_bench::FRAMEWORKS;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

/// Benchmarks every kind on `target`, as `group/label/kind`.
fn kinds(c: &mut Criterion, group: &str, label: &str, target: &Target) {
    let mut g = c.benchmark_group(group);
    for kind in Kind::ALL {
        g.bench_with_input(BenchmarkId::new(label, kind.id()), &kind, |b, &kind| {
            b.iter(|| target(black_box(kind)))
        });
    }
    g.finish();
}

/// The three variants of each framework, each checked before it is timed; then axum's
/// layers around the whole Router, and warp's floor and tower route.
fn frameworks(c: &mut Criterion) {
    for (name, _, _) in FRAMEWORKS {
        for variant in Variant::ALL {
            let t = apps::build(name)(variant);
            apps::check(&format!("{name}/{}", variant.id()), variant, &t);
            kinds(c, name, variant.id(), &t);
        }
    }
    for variant in [Variant::Ours, Variant::Peer] {
        let t = apps::axum::outer(variant);
        apps::check(&format!("axum/{}_outer", variant.id()), variant, &t);
        kinds(c, "axum", &format!("{}_outer", variant.id()), &t);
    }
    for extra in apps::warp::Extra::ALL {
        let t = apps::warp::extra(extra);
        if extra == apps::warp::Extra::ServiceOurs {
            apps::check("warp/service_ours", Variant::Ours, &t);
        }
        kinds(c, "warp", extra.id(), &t);
    }
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = config();
    targets = frameworks
}
criterion_main!(benches);
