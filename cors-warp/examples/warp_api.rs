//! An API on http://127.0.0.1:8000 that a front end on http://localhost:3000 may call with
//! cookies.
//!
//! ```text
//! cargo run -p cors-warp --example warp_api
//!
//! # a preflight, answered by the wrapper
//! curl -i -X OPTIONS http://127.0.0.1:8000/api/items \
//!      -H 'Origin: http://localhost:3000' \
//!      -H 'Access-Control-Request-Method: PUT' \
//!      -H 'Access-Control-Request-Headers: content-type'
//!
//! # log in (sets the session cookie), then call the protected endpoint with it
//! curl -i -c /tmp/cookies -X POST http://127.0.0.1:8000/api/login -H 'Origin: http://localhost:3000'
//! curl -i -b /tmp/cookies http://127.0.0.1:8000/api/me -H 'Origin: http://localhost:3000'
//!
//! # a 404 (a warp rejection) still carries the CORS headers, so the page can read it
//! curl -i http://127.0.0.1:8000/api/nothing -H 'Origin: http://localhost:3000'
//!
//! # another origin: the API still answers, without CORS headers, so a browser blocks it
//! curl -i http://127.0.0.1:8000/api/items -H 'Origin: https://evil.example'
//! ```
#![allow(clippy::print_stdout)]

use cors_core::CorsConfig;
use warp::Filter;
use warp::http::StatusCode;

fn logged_in(cookies: Option<String>) -> bool {
    cookies.is_some_and(|c| c.split(';').any(|kv| kv.trim() == "sessionid=demo"))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cors = CorsConfig::new()
        .allowed_origins(["http://localhost:3000"])
        .allow_credentials(true)
        .build()?;
    let items = warp::path!("api" / "items")
        .and(warp::get())
        .map(|| "[]")
        .or(warp::path!("api" / "items")
            .and(warp::post())
            .map(|| warp::reply::with_status("{}", StatusCode::CREATED)));
    let login = warp::path!("api" / "login").and(warp::post()).map(|| {
        warp::reply::with_header(
            "{}",
            "set-cookie",
            "sessionid=demo; HttpOnly; Path=/; SameSite=Lax",
        )
    });
    let me = warp::path!("api" / "me")
        .and(warp::get())
        .and(warp::header::optional::<String>("cookie"))
        .map(|cookies| {
            if logged_in(cookies) {
                warp::reply::with_status(r#"{"user":"demo"}"#, StatusCode::OK)
            } else {
                warp::reply::with_status(r#"{"error":"not logged in"}"#, StatusCode::UNAUTHORIZED)
            }
        });
    let routes = items.or(login).or(me).with(cors_warp::cors!(cors));
    println!("listening on http://127.0.0.1:8000 (CORS: http://localhost:3000, with credentials)");
    warp::serve(routes).run(([127, 0, 0, 1], 8000)).await;
    Ok(())
}
