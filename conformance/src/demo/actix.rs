//! The demo app on actix-web, behind `cors_actix::CorsMiddleware` on the whole app.

use std::net::SocketAddr;

use actix_web::http::StatusCode;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use cors_core::Cors;

use super::{ME, NOT_LOGGED_IN, Ready, SESSION_COOKIE, Stop};

const JSON: (&str, &str) = ("content-type", "application/json");

async fn not_found() -> HttpResponse {
    HttpResponse::NotFound().finish()
}

async fn me(req: HttpRequest) -> HttpResponse {
    let cookies = req.headers().get_all("cookie").map(|v| v.as_bytes());
    if super::has_session(cookies) {
        HttpResponse::Ok().insert_header(JSON).body(ME)
    } else {
        HttpResponse::Unauthorized()
            .insert_header(JSON)
            .body(NOT_LOGGED_IN)
    }
}

async fn echo(value: web::Json<serde_json::Value>) -> web::Json<serde_json::Value> {
    value
}

/// The routes of one path; any other method is a 404, like an unknown path.
fn resource(path: &str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(not_found))
}

fn configure(config: &mut web::ServiceConfig) {
    config
        .service(
            resource("/api/items")
                .route(web::get().to(|| async {
                    HttpResponse::Ok()
                        .insert_header(JSON)
                        .insert_header(("x-request-id", "42"))
                        .body("[]")
                }))
                .route(web::head().to(|| async {
                    HttpResponse::Ok()
                        .insert_header(("x-request-id", "42"))
                        .finish()
                }))
                .route(
                    web::post()
                        .to(|| async { HttpResponse::Created().insert_header(JSON).body("{}") }),
                ),
        )
        .service(
            resource("/api/items/1")
                .route(
                    web::put().to(|| async { HttpResponse::Ok().insert_header(JSON).body("{}") }),
                )
                .route(
                    web::patch().to(|| async { HttpResponse::Ok().insert_header(JSON).body("{}") }),
                )
                .route(web::delete().to(|| async { HttpResponse::NoContent().finish() })),
        )
        .service(resource("/api/echo").route(web::post().to(echo)))
        .service(resource("/api/vary").route(web::get().to(|| async {
            HttpResponse::Ok()
                .insert_header(("vary", "Accept-Encoding"))
                .body("varied")
        })))
        .service(resource("/api/own-cors").route(web::get().to(|| async {
            HttpResponse::Ok()
                .insert_header(("Access-Control-Allow-Origin", "*"))
                .insert_header(("Access-Control-Allow-Credentials", "true"))
                .insert_header(("Access-Control-Max-Age", "5"))
                .body("own")
        })))
        .service(resource("/api/error").route(
            web::get().to(|| async { HttpResponse::new(StatusCode::INTERNAL_SERVER_ERROR) }),
        ))
        .service(resource("/api/login").route(web::post().to(|| async {
            HttpResponse::Ok()
                .insert_header(JSON)
                .insert_header(("set-cookie", SESSION_COOKIE))
                .body("{}")
        })))
        .service(resource("/api/me").route(web::get().to(me)))
        .default_service(web::to(not_found));
}

pub(super) fn run(cors: Cors, addr: SocketAddr, ready: Ready, stop: Stop) {
    actix_web::rt::System::new().block_on(async move {
        let server = HttpServer::new(move || {
            App::new()
                .configure(configure)
                .wrap(cors_actix::CorsMiddleware::new(cors.clone()))
        })
        .workers(2)
        .disable_signals()
        .shutdown_timeout(0)
        .bind(addr);
        let server = match server {
            Ok(server) => server,
            Err(e) => {
                let _ = ready.send(Err(e));
                return;
            }
        };
        let bound = server.addrs().first().copied();
        let server = server.run();
        let handle = server.handle();
        actix_web::rt::spawn(async move {
            let _ = stop.await;
            handle.stop(false).await;
        });
        let _ = ready.send(bound.ok_or_else(|| std::io::Error::other("actix bound no address")));
        let _ = server.await;
    });
}
