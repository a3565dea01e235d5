//! Allocations per request, counted by a global allocator, on each framework: the app
//! without CORS, behind this workspace's adapter, behind the framework's established layer
//! and behind its two floors (the no-decision floor and the minimal correct layer of
//! `benches/apps/minimal.rs`). On axum and actix-web the adapter allocates nothing over the
//! floor on any request kind; on Rocket and warp each test names what the framework's
//! public API costs over it, as a budget that may only go down.
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

/// Measures the framework's two floors (the no-decision floor and the minimal correct
/// layer), each first checked to answer every kind as the adapter does, prints them, and
/// returns `[floor, minimal]`.
fn floors(name: &str) -> [[usize; 4]; 2] {
    let ours = apps::build(name)(Variant::Ours);
    [Variant::Floor, Variant::Minimal].map(|variant| {
        let floor = apps::floor(name, variant);
        let label = format!("{name}/{}", variant.id());
        apps::check(&label, variant, &floor);
        apps::check_floor(&label, &floor, &ours);
        let counts = counts(&floor);
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

/// Asserts that `ours` adds at most `budget[kind]` allocations per request of each kind
/// over `base`.
fn assert_budget(name: &str, ours: &[usize; 4], base: &[usize; 4], budget: [usize; 4]) {
    for (i, kind) in Kind::ALL.iter().enumerate() {
        assert!(
            ours[i] <= base[i] + budget[i] * REQUESTS,
            "{name}/{}: {:+.2} allocations per request (budget: {})",
            kind.id(),
            per_request(ours[i]) - per_request(base[i]),
            budget[i],
        );
    }
}

/// No allocation over the base, on any kind.
const NONE: [usize; 4] = [0; 4];

#[test]
fn axum_allocates_nothing_over_its_floor() {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // With Router::layer, as both crates document: axum boxes each layered route's
    // service and future, which any layer pays (the floor too).
    let [_, ours, _] = measure("axum", apps::axum::target);
    let [floor, _] = floors("axum");
    assert_budget("axum", &ours, &floor, NONE);
    // Around the Router: the layer against the bare Router. The one allocation of an
    // allowed GET is the echoed `Origin` value's (a `HeaderValue` copied out of the map).
    for variant in [Variant::Ours, Variant::Peer] {
        let label = format!("{}+outer", variant.id());
        let seen = counts(&apps::axum::outer(variant));
        print("axum", &label, &seen);
        if variant == Variant::Ours {
            let none = counts(&apps::axum::outer(Variant::None));
            assert_budget("axum outer", &seen, &none, [1, 0, 0, 0]);
        }
    }
}

#[test]
fn actix_allocates_nothing_over_its_floor() {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let [_, ours, _] = measure("actix", apps::actix::target);
    let [floor, _] = floors("actix");
    assert_budget("actix", &ours, &floor, NONE);
}

#[test]
fn rocket_allocations() {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let [_, ours, _] = measure("rocket", apps::rocket::target);
    // Rocket's header map allocates a Vec per header line added (and grows); the floor is
    // a fairing that adds the same lines as static text. A `Response<'r>` can borrow only
    // text that lives as long as the request: the policy's own values (exposed headers on
    // an allowed GET; methods, headers and max age on a preflight) are copied, one
    // allocation each, and the preflight's route keeps its decision in Rocket's
    // request-local cache (a box per request).
    let [floor, _] = floors("rocket");
    assert_budget("rocket", &ours, &floor, [1, 5, 0, 0]);
}

#[test]
fn warp_allocations() {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let [_, ours, _] = measure("warp", apps::warp::target);
    let [floor, minimal] = floors("warp");
    let [service, service_ours] = apps::warp::Extra::ALL.map(|extra| {
        let counts = counts(&apps::warp::extra(extra));
        print("warp", extra.id(), &counts);
        counts
    });
    // The tower route (cors-axum's layer around `warp::service`) reads the request in
    // place: nothing over the app but the echoed `Origin` value of an allowed GET.
    assert_budget(
        "warp service + CorsLayer",
        &service_ours,
        &service,
        [1, 0, 0, 0],
    );
    // The Filter::with wrapper, like any correct layer made of public filters, sees every
    // value of `Origin` only through `warp::header::headers_cloned`, which copies the map
    // (its index and entries; with `warp::test` requests, whose values are not yet shared,
    // one more per header value): the minimal correct layer is the base. A preflight's
    // answer leaves the filter chain as a custom rejection (warp boxes it twice), which the
    // minimal layer's separate OPTIONS branch does not need.
    assert_budget("warp with(cors!)", &ours, &minimal, [0, 2, 0, 0]);
    // And against the floor, so that a costlier minimal layer cannot raise the budget.
    assert_budget("warp with(cors!)", &ours, &floor, [2, 6, 3, 0]);
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
