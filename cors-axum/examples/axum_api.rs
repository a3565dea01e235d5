//! An API on http://127.0.0.1:8000 that a front end on http://localhost:3000 may call with
//! cookies.
//!
//! ```text
//! cargo run -p cors-axum --example axum_api
//!
//! # a preflight, answered by the layer
//! curl -i -X OPTIONS http://127.0.0.1:8000/api/items \
//!      -H 'Origin: http://localhost:3000' \
//!      -H 'Access-Control-Request-Method: PUT' \
//!      -H 'Access-Control-Request-Headers: content-type'
//!
//! # log in (sets the session cookie), then call the protected endpoint with it
//! curl -i -c /tmp/cookies -X POST http://127.0.0.1:8000/api/login -H 'Origin: http://localhost:3000'
//! curl -i -b /tmp/cookies http://127.0.0.1:8000/api/me -H 'Origin: http://localhost:3000'
//!
//! # another origin: the API still answers, without CORS headers, so a browser blocks it
//! curl -i http://127.0.0.1:8000/api/items -H 'Origin: https://evil.example'
//! ```
#![allow(clippy::print_stdout)]

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use cors_axum::CorsLayer;
use cors_core::CorsConfig;

async fn login() -> impl IntoResponse {
    [(
        header::SET_COOKIE,
        "sessionid=demo; HttpOnly; Path=/; SameSite=Lax",
    )]
}

async fn me(headers: HeaderMap) -> impl IntoResponse {
    let logged_in = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| c.split(';').any(|kv| kv.trim() == "sessionid=demo"));
    if logged_in {
        (StatusCode::OK, r#"{"user":"demo"}"#)
    } else {
        (StatusCode::UNAUTHORIZED, r#"{"error":"not logged in"}"#)
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cors = CorsConfig::new()
        .allowed_origins(["http://localhost:3000"])
        .allow_credentials(true)
        .build()?;
    let app = Router::new()
        .route(
            "/api/items",
            get(|| async { "[]" }).post(|| async { (StatusCode::CREATED, "{}") }),
        )
        .route("/api/login", post(login))
        .route("/api/me", get(me))
        .layer(CorsLayer::new(cors));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:8000").await?;
    println!("listening on http://127.0.0.1:8000 (CORS: http://localhost:3000, with credentials)");
    axum::serve(listener, app).await?;
    Ok(())
}
