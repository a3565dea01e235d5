//! Allocations per request, counted by a global allocator, on each framework: the app
//! without CORS, behind this workspace's adapter and behind the framework's established
//! layer. The adapters may add at most one allocation per request over the app alone on an
//! allowed GET and on a request without `Origin` (over what the framework itself costs any
//! layer that adds the same header lines: see each test).
//!
//! `cargo test -p cors-bench --test alloc -- --nocapture` also prints the whole table
//! (every kind, every variant, the peers included).
#![allow(unsafe_code)] // the counting allocator
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

#[path = "../benches/apps/mod.rs"]
mod apps;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use apps::{Kind, Target, Variant};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The counter is global, so the tests of this binary measure one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

const REQUESTS: usize = 500;

/// Allocations of `REQUESTS` requests of `kind`, after a warm-up (lazily built state of
/// runtimes, routers and caches is not per-request work).
fn count(target: &Target, kind: Kind) -> usize {
    for _ in 0..50 {
        std::hint::black_box(target(kind));
    }
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..REQUESTS {
        std::hint::black_box(target(kind));
    }
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

fn per_request(total: usize) -> f64 {
    total as f64 / REQUESTS as f64
}

/// Allocations of `REQUESTS` requests of every kind, in [`Kind::ALL`] order.
fn counts(target: &Target) -> [usize; 4] {
    Kind::ALL.map(|kind| count(target, kind))
}

/// Measures the three variants of one framework, prints them, and returns
/// `[none, ours, peer]`.
fn measure(name: &str, target: fn(Variant) -> Target) -> [[usize; 4]; 3] {
    Variant::ALL.map(|variant| {
        let t = target(variant);
        apps::check(&format!("{name}/{}", variant.id()), variant, &t);
        let counts = counts(&t);
        print(name, variant.id(), &counts);
        counts
    })
}

fn print(name: &str, label: &str, counts: &[usize; 4]) {
    let cells: Vec<String> = Kind::ALL
        .iter()
        .zip(counts)
        .map(|(kind, n)| format!("{} {:6.2}", kind.id(), per_request(*n)))
        .collect();
    eprintln!(
        "{name:6} {label:13} allocations per request: {}",
        cells.join("  ")
    );
}

/// Asserts that `ours` adds at most `budget` allocations per request over `base` on an
/// allowed GET and on a request without `Origin`.
fn assert_budget(name: &str, ours: &[usize; 4], base: &[usize; 4], budget: usize) {
    for (i, kind) in Kind::ALL.iter().enumerate() {
        if matches!(kind, Kind::AllowedGet | Kind::NoOrigin) {
            assert!(
                ours[i] <= base[i] + budget * REQUESTS,
                "{name}/{}: {:+.2} allocations per request (budget: {budget})",
                kind.id(),
                per_request(ours[i]) - per_request(base[i]),
            );
        }
    }
}

#[test]
fn axum_adds_at_most_one_allocation() {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // Around the Router: what the layer itself costs, against the bare Router.
    let [none, ours, _] = measure("axum", apps::axum::outer);
    assert_budget("axum", &ours, &none, 1);
    // With Router::layer, axum boxes each layered route's service and future (any layer
    // pays that, tower-http's included); shown, not asserted.
    for variant in [Variant::Ours, Variant::Peer] {
        let label = format!("{}+Router::layer", variant.id());
        print("axum", &label, &counts(&apps::axum::target(variant)));
    }
}

#[test]
fn actix_adds_at_most_one_allocation() {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let [none, ours, _] = measure("actix", apps::actix::target);
    assert_budget("actix", &ours, &none, 1);
}

#[test]
fn rocket_adds_at_most_one_allocation_over_its_header_map() {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let [_, ours, _] = measure("rocket", apps::rocket::target);
    // Rocket's header map allocates a Vec per header line added (and grows): the floor is
    // a fairing that adds the same lines as static text. The adapter's own cost is over it.
    let floor = counts(&apps::rocket::floor());
    print("rocket", "floor", &floor);
    assert_budget("rocket", &ours, &floor, 1);
}

#[test]
fn warp_allocations() {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let [_, ours, _] = measure("warp", apps::warp::target);
    let floor = counts(&apps::warp::floor());
    print("warp", "floor", &floor);
    let [service, service_ours] = apps::warp::Extra::ALL.map(|extra| {
        let counts = counts(&apps::warp::extra(extra));
        print("warp", extra.id(), &counts);
        counts
    });
    // The tower route (cors-axum's layer around `warp::service`) reads the request in
    // place: at most one allocation.
    assert_budget("warp service + CorsLayer", &service_ours, &service, 1);
    // The Filter::with wrapper can see every value of a header only through
    // `warp::header::headers_cloned`, which copies the map (two allocations: its index and
    // its entries; with `warp::test` requests, whose values are not yet shared, one more
    // per header value). The floor reads three headers as Strings. Budget: the floor + 2.
    assert_budget("warp with(cors!)", &ours, &floor, 2);
}

#[test]
fn the_counter_counts() {
    // Guards against a counter that never moves, which would make the budget vacuous.
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let v: Vec<u8> = Vec::with_capacity(std::hint::black_box(32));
    drop(std::hint::black_box(v));
    // At least one: the counter is process-wide, and the test harness's own threads may
    // allocate meanwhile (seen once under `cargo test --workspace`).
    assert!(ALLOCATIONS.load(Ordering::Relaxed) - before >= 1);
}
