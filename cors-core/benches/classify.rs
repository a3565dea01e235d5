//! `cargo bench -p cors-engine`: the cost of classifying one request, for the four request
//! kinds, at 1, 10 and 1,000 exact origins, and with subdomain patterns and regexes
//! (consulted only after the exact set misses).

#![allow(missing_docs)] // criterion_group! generates an undocumented function

use cors_core::{Cors, CorsConfig, Decision, HeaderField, RequestView};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn exact(n: usize) -> Cors {
    let origins: Vec<String> = (0..n)
        .map(|i| format!("https://app{i}.example.com"))
        .collect();
    CorsConfig::new()
        .allowed_origins(origins)
        .allow_credentials(true)
        .build()
        .expect("valid policy")
}

/// What a browser sends as `Access-Control-Request-Headers` for a fetch with
/// `Content-Type: application/json` and `Authorization`: Fetch sorts and lower-cases the
/// names and joins them with commas.
const BROWSER_LIST: &[u8] = b"authorization,content-type";

/// The same names as a hand-written client might send them: another order, a space.
const HAND_WRITTEN_LIST: &[u8] = b"Content-Type, authorization";

fn view<'a>(method: &'a str, origin: Option<&'a [u8]>, list: Option<&'a [u8]>) -> RequestView<'a> {
    let preflight = list.is_some();
    RequestView {
        method,
        path: "/api/items/1",
        origin: origin.map_or(HeaderField::Absent, HeaderField::One),
        request_method: if preflight {
            HeaderField::One(b"PUT")
        } else {
            HeaderField::Absent
        },
        request_headers: list.map_or(HeaderField::Absent, HeaderField::One),
        request_private_network: HeaderField::Absent,
        host: HeaderField::Absent,
        sec_fetch_site: HeaderField::Absent,
    }
}

/// Classifies and walks the headers, as an adapter does.
fn apply(cors: &Cors, v: &RequestView<'_>) -> usize {
    match cors.classify(v) {
        Decision::Skip | Decision::Check(_) => 0,
        Decision::Respond(r) => r.headers().iter().count(),
        Decision::Forward(f) => {
            let origin = match v.origin {
                HeaderField::One(o) => o,
                _ => b"",
            };
            f.headers(cors, origin).iter().count()
        }
    }
}

fn kinds(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    label: &str,
    cors: &Cors,
    allowed: &[u8],
    disallowed: &[u8],
) {
    let cases = [
        ("allowed_actual", view("GET", Some(allowed), None)),
        (
            "allowed_preflight",
            view("OPTIONS", Some(allowed), Some(BROWSER_LIST)),
        ),
        (
            "preflight_hand_written",
            view("OPTIONS", Some(allowed), Some(HAND_WRITTEN_LIST)),
        ),
        ("disallowed_origin", view("GET", Some(disallowed), None)),
        ("no_origin", view("GET", None, None)),
    ];
    for (kind, v) in cases {
        group.bench_with_input(BenchmarkId::new(kind, label), &v, |b, v| {
            b.iter(|| apply(cors, black_box(v)))
        });
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("classify");
    for n in [1usize, 10, 1000] {
        let cors = exact(n);
        let allowed = format!("https://app{}.example.com", n - 1);
        kinds(
            &mut group,
            &format!("exact_{n}"),
            &cors,
            allowed.as_bytes(),
            b"https://evil.example.com",
        );
    }
    let patterns = CorsConfig::new()
        .allowed_origins(["https://app.example.com", "https://*.tenants.example.com"])
        .allow_credentials(true)
        .build()
        .expect("valid policy");
    kinds(
        &mut group,
        "pattern",
        &patterns,
        b"https://acme.tenants.example.com",
        b"https://evil.example.com",
    );
    let regexes = CorsConfig::new()
        .allowed_origins(["https://app.example.com", "https://*.tenants.example.com"])
        .allowed_origin_regexes([
            r"https://[a-z0-9-]+\.preview\.example\.com",
            r"https://pr-[0-9]+\.review\.example\.org",
        ])
        .allow_credentials(true)
        .build()
        .expect("valid policy");
    kinds(
        &mut group,
        "regex",
        &regexes,
        b"https://pr-42.preview.example.com",
        b"https://evil.example.com",
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
