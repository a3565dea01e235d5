//! Classifying requests allocates nothing: a counting global allocator (per thread, so
//! other tests cannot disturb it) watches the decision engine on the hot paths.
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test
#![allow(unsafe_code)]

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use common::*;
use cors_core::{Cors, CorsConfig, Decision, OriginPredicate};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

/// Classifies `req` and walks every header the adapter would set, the way an adapter does.
fn classify_and_apply(cors: &Cors, req: Req<'_>) -> usize {
    let view = req.view();
    let mut bytes = 0;
    match cors.classify(&view) {
        Decision::Skip => {}
        Decision::Check(_) => panic!("no policy here has an asynchronous check"),
        Decision::Respond(r) => {
            bytes += r
                .headers()
                .iter()
                .map(|(_, v)| v.as_bytes().len())
                .sum::<usize>();
            bytes += r.headers().vary().map_or(0, |v| v.len());
        }
        Decision::Forward(f) => {
            let h = f.headers(cors, req.origin.unwrap_or_default());
            bytes += h.iter().map(|(_, v)| v.as_bytes().len()).sum::<usize>();
            bytes += h.vary().map_or(0, |v| v.len());
        }
    }
    bytes
}

/// Asserts that classifying `req` (after a warm-up) allocates nothing.
fn assert_no_allocation(name: &str, cors: &Cors, req: Req<'_>) {
    // First use may set up lazily created per-thread state (regex caches, arc-swap's
    // thread slot, tracing callsites); that is not per-request work.
    classify_and_apply(cors, req);
    let before = allocations();
    for _ in 0..100 {
        std::hint::black_box(classify_and_apply(cors, std::hint::black_box(req)));
    }
    let after = allocations();
    assert_eq!(
        after - before,
        0,
        "{name}: {} allocations in 100 requests",
        after - before
    );
}

fn many_origins(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("https://app{i}.example.com"))
        .collect()
}

#[test]
fn classification_allocates_nothing() {
    let exact_1 = build(
        CorsConfig::new()
            .allowed_origins(["https://app0.example.com"])
            .allow_credentials(true),
    );
    let exact_1000 = build(
        CorsConfig::new()
            .allowed_origins(many_origins(1000))
            .allow_credentials(true)
            .expose_headers(["x-request-id"])
            .allow_private_network(true),
    );
    let patterns_and_regexes = build(
        CorsConfig::new()
            .allowed_origins(["https://*.tenants.example.com"])
            .allowed_origin_regexes([r"https://[a-z0-9-]+\.preview\.example\.com"])
            .allow_origin_fn(OriginPredicate::new(|o: &str| {
                o == "https://db.example.net"
            })),
    );
    let star = build(
        CorsConfig::new()
            .allow_all_origins(true)
            .allowed_headers(["*"])
            .allowed_methods(["*"]),
    );
    let mirrored = build(
        CorsConfig::new()
            .allowed_origins(["https://app0.example.com"])
            .allow_credentials(true)
            .allowed_headers(["*"])
            .allowed_methods(["*"]),
    );
    let scoped = build(
        CorsConfig::new()
            .allowed_origins(["https://app0.example.com"])
            .urls_regex("/api/.*"),
    );

    let origin = "https://app0.example.com";
    let mut pna = preflight(
        "https://app999.example.com",
        "PUT",
        Some("content-type, authorization"),
    );
    pna.pna = Some(b"true");

    let cases: Vec<(&str, &Cors, Req<'_>)> = vec![
        ("allowed actual, 1 origin", &exact_1, get(origin)),
        (
            "allowed preflight, 1 origin",
            &exact_1,
            preflight(origin, "PUT", Some("content-type, authorization")),
        ),
        (
            "allowed actual, 1000 origins",
            &exact_1000,
            get("https://app999.example.com"),
        ),
        ("allowed preflight with PNA, 1000 origins", &exact_1000, pna),
        (
            "allowed actual via pattern",
            &patterns_and_regexes,
            get("https://a.tenants.example.com"),
        ),
        (
            "allowed actual via regex",
            &patterns_and_regexes,
            get("https://pr-7.preview.example.com"),
        ),
        (
            "allowed actual via predicate",
            &patterns_and_regexes,
            get("https://db.example.net"),
        ),
        (
            "allowed preflight via regex",
            &patterns_and_regexes,
            preflight("https://pr-7.preview.example.com", "DELETE", None),
        ),
        ("allow-all actual", &star, get("https://anyone.test")),
        (
            "allow-all preflight with authorization",
            &star,
            preflight("https://anyone.test", "PURGE", Some("authorization")),
        ),
        (
            "mirrored preflight with credentials",
            &mirrored,
            preflight(origin, "PURGE", Some("x-a,x-b")),
        ),
        (
            "no origin",
            &exact_1000,
            Req {
                method: "GET",
                ..Req::default()
            },
        ),
        (
            "disallowed actual",
            &exact_1000,
            get("https://evil.example.com"),
        ),
        (
            "disallowed preflight",
            &exact_1000,
            preflight("https://evil.example.com", "PUT", None),
        ),
        (
            "path outside urls_regex",
            &scoped,
            Req {
                method: "GET",
                path: "/static/x.js",
                origin: Some(origin.as_bytes()),
                ..Req::default()
            },
        ),
    ];
    for (name, cors, req) in cases {
        assert_no_allocation(name, cors, req);
    }
}

#[test]
fn the_counter_counts() {
    // Guards against a counter that never moves, which would make the test above vacuous.
    let before = allocations();
    let v: Vec<u8> = Vec::with_capacity(std::hint::black_box(32));
    drop(std::hint::black_box(v));
    assert_eq!(allocations() - before, 1);
}
