//! One API, three policies by path, and tenants' origins from a (simulated) store: the
//! account routes for the front end on http://localhost:3000 with cookies and
//! `csrf_protection`, the public API for anyone, and, on every path, the origins of the
//! tenants the store knows, asked asynchronously and cached.
//!
//! ```text
//! cargo run -p cors-axum --example axum_tenants
//!
//! # the public API: any origin, answered with `*`
//! curl -i http://127.0.0.1:8000/api/items -H 'Origin: https://anyone.example'
//!
//! # the account API: the front end, with credentials
//! curl -i http://127.0.0.1:8000/api/account/me -H 'Origin: http://localhost:3000'
//!
//! # a tenant the store knows (asked once, then cached for a minute)
//! curl -i http://127.0.0.1:8000/api/account/me -H 'Origin: https://acme.tenants.example.net'
//!
//! # a form posted from elsewhere to the account API: 403, the app never runs
//! curl -i -X POST http://127.0.0.1:8000/api/account/transfer \
//!      -H 'Origin: https://evil.example' -H 'Sec-Fetch-Site: cross-site'
//! ```
#![allow(clippy::print_stdout)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use cors_axum::CorsLayer;
use cors_core::{AsyncOriginPredicate, CorsConfig};

/// The tenant store: in a real app, a query to a database or a tenant service.
async fn tenant_exists(origin: &str) -> Result<bool, std::io::Error> {
    tokio::time::sleep(Duration::from_millis(20)).await;
    Ok(origin == "https://acme.tenants.example.net")
}

/// The store's answers, kept a minute, at most `CACHED` of them (any client can send any
/// origin).
type Cache = Arc<Mutex<HashMap<String, (bool, Instant)>>>;
const CACHED: usize = 10_000;
const KEPT: Duration = Duration::from_secs(60);

fn tenants() -> AsyncOriginPredicate {
    let cache: Cache = Arc::default();
    AsyncOriginPredicate::new(move |origin: String| {
        let cache = Arc::clone(&cache);
        async move {
            let known = cache.lock().ok().and_then(|c| c.get(&origin).copied());
            if let Some((allowed, at)) = known
                && at.elapsed() < KEPT
            {
                return Ok(allowed);
            }
            let allowed = tenant_exists(&origin).await?;
            if let Ok(mut cache) = cache.lock() {
                if cache.len() >= CACHED {
                    cache.retain(|_, (_, at)| at.elapsed() < KEPT);
                }
                if cache.len() < CACHED {
                    cache.insert(origin, (allowed, Instant::now()));
                }
            }
            Ok::<_, std::io::Error>(allowed)
        }
    })
    .timeout(Duration::from_millis(300))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tenants = tenants();
    let cors = CorsConfig::new()
        .path(
            "/api/account/.*",
            CorsConfig::new()
                .allowed_origins(["http://localhost:3000"])
                .allow_origin_async(tenants.clone())
                .allow_credentials(true)
                .csrf_protection(true),
        )
        .path("/api/.*", CorsConfig::new().allow_all_origins(true))
        // with csrf_protection in an entry, every path is some entry's
        .path(
            "/.*",
            CorsConfig::new()
                .allowed_origins(["http://localhost:3000"])
                .allow_origin_async(tenants)
                .csrf_protection(true),
        )
        .build()?;
    let app = Router::new()
        .route("/api/items", get(|| async { "[]" }))
        .route("/api/account/me", get(|| async { r#"{"user":"demo"}"# }))
        .route(
            "/api/account/transfer",
            post(|| async { (StatusCode::OK, "transferred") }),
        )
        .layer(CorsLayer::new(cors));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:8000").await?;
    println!("listening on http://127.0.0.1:8000 (policies by path, tenants from the store)");
    axum::serve(listener, app).await?;
    Ok(())
}
