//! An API on http://127.0.0.1:8000 that a front end on http://localhost:3000 may call with
//! cookies.
//!
//! ```text
//! cargo run -p cors-actix --example actix_api
//!
//! # a preflight, answered by the middleware
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

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use cors_actix::CorsMiddleware;
use cors_core::CorsConfig;

async fn login() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((
            "set-cookie",
            "sessionid=demo; HttpOnly; Path=/; SameSite=Lax",
        ))
        .finish()
}

async fn me(req: HttpRequest) -> HttpResponse {
    let logged_in = req
        .headers()
        .get_all("cookie")
        .filter_map(|v| v.to_str().ok())
        .any(|c| c.split(';').any(|kv| kv.trim() == "sessionid=demo"));
    if logged_in {
        HttpResponse::Ok().body(r#"{"user":"demo"}"#)
    } else {
        HttpResponse::Unauthorized().body(r#"{"error":"not logged in"}"#)
    }
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cors = CorsConfig::new()
        .allowed_origins(["http://localhost:3000"])
        .allow_credentials(true)
        .build()?;
    println!("listening on http://127.0.0.1:8000 (CORS: http://localhost:3000, with credentials)");
    HttpServer::new(move || {
        App::new()
            .route("/api/items", web::get().to(|| async { "[]" }))
            .route("/api/login", web::post().to(login))
            .route("/api/me", web::get().to(me))
            .wrap(CorsMiddleware::new(cors.clone()))
    })
    .bind(("127.0.0.1", 8000))?
    .run()
    .await?;
    Ok(())
}
