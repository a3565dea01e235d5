//! The demo app on axum, behind `cors_axum::CorsLayer` wrapping the whole router.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::Json;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use cors_core::Cors;
use tower_layer::Layer;

use super::{ME, NOT_LOGGED_IN, Ready, SESSION_COOKIE, Stop};

const JSON: (header::HeaderName, &str) = (header::CONTENT_TYPE, "application/json");

async fn not_found() -> StatusCode {
    StatusCode::NOT_FOUND
}

async fn me(headers: HeaderMap) -> Response {
    let cookies = headers.get_all(header::COOKIE).iter().map(|v| v.as_bytes());
    if super::has_session(cookies) {
        ([JSON], ME).into_response()
    } else {
        (StatusCode::UNAUTHORIZED, [JSON], NOT_LOGGED_IN).into_response()
    }
}

fn app(cors: Cors) -> Router {
    let api = Router::new()
        .route(
            "/api/items",
            get(|| async {
                (
                    [
                        JSON,
                        (header::HeaderName::from_static("x-request-id"), "42"),
                    ],
                    "[]",
                )
            })
            .head(|| async { [(header::HeaderName::from_static("x-request-id"), "42")] })
            .post(|| async { (StatusCode::CREATED, [JSON], "{}") })
            .fallback(not_found),
        )
        .route(
            "/api/items/1",
            put(|| async { ([JSON], "{}") })
                .patch(|| async { ([JSON], "{}") })
                .delete(|| async { StatusCode::NO_CONTENT })
                .fallback(not_found),
        )
        .route(
            "/api/echo",
            post(|Json(value): Json<serde_json::Value>| async move { Json(value) })
                .fallback(not_found),
        )
        .route(
            "/api/vary",
            get(|| async { ([(header::VARY, "Accept-Encoding")], "varied") }).fallback(not_found),
        )
        .route(
            "/api/own-cors",
            get(|| async {
                (
                    [
                        (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
                        (header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "true"),
                        (header::ACCESS_CONTROL_MAX_AGE, "5"),
                    ],
                    "own",
                )
            })
            .fallback(not_found),
        )
        .route(
            "/api/error",
            get(|| async { StatusCode::INTERNAL_SERVER_ERROR }).fallback(not_found),
        )
        .route(
            "/api/login",
            post(|| async { ([JSON, (header::SET_COOKIE, SESSION_COOKIE)], "{}") })
                .fallback(not_found),
        )
        .route("/api/me", get(me).fallback(not_found))
        .fallback(not_found);
    // The layer around the whole router: it answers before axum routes anything.
    Router::new().fallback_service(cors_axum::CorsLayer::new(cors).layer(api))
}

pub(super) fn run(cors: Cors, addr: SocketAddr, ready: Ready, stop: Stop) {
    super::run_on_tokio(addr, ready, stop, |listener| async move {
        let _ = axum::serve(listener, app(cors)).await;
    });
}
