//! axum: the Router driven with `tower::ServiceExt::oneshot`; the peer is tower-http's
//! `CorsLayer`. Both layers are added with `Router::layer`.

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::routing::{get, put};
use http::header::{AUTHORIZATION, CONTENT_TYPE};
use http::{HeaderName, HeaderValue, Method, Request};
use tower_layer::Layer;

use super::{Kind, ORIGIN, Target, Variant};

fn app() -> Router {
    Router::new()
        .route(
            "/api/items",
            get(|| async { ([(CONTENT_TYPE, "application/json")], "[]") }),
        )
        .route(
            "/api/items/1",
            put(|| async { ([(CONTENT_TYPE, "application/json")], "{}") }),
        )
}

/// The policy in tower-http's terms.
pub fn tower_http() -> tower_http::cors::CorsLayer {
    tower_http::cors::CorsLayer::new()
        .allow_origin([HeaderValue::from_static(ORIGIN)])
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([CONTENT_TYPE, AUTHORIZATION])
        .expose_headers([HeaderName::from_static("x-request-id")])
        .allow_credentials(true)
        .max_age(Duration::from_secs(600))
}

/// The request of `kind`.
pub fn request(kind: Kind) -> Request<Body> {
    let mut request = Request::builder().method(kind.method()).uri(kind.path());
    for (name, value) in kind.headers() {
        request = request.header(*name, *value);
    }
    request.body(Body::empty()).expect("a valid request")
}

/// The app of `variant`, with the layer added by `Router::layer` (as both crates' docs
/// show), on its own single-threaded runtime.
pub fn target(variant: Variant) -> Target {
    match variant {
        Variant::None => super::tower_target(request, app()),
        Variant::Ours => super::tower_target(
            request,
            app().layer(cors_axum::CorsLayer::new(super::policy())),
        ),
        Variant::Peer => super::tower_target(request, app().layer(tower_http())),
    }
}

/// The app of `variant`, with the layer wrapped around the whole Router as a tower
/// service (axum's routing adds nothing of its own to the layer's cost this way).
pub fn outer(variant: Variant) -> Target {
    match variant {
        Variant::None => super::tower_target(request, app()),
        Variant::Ours => super::tower_target(
            request,
            cors_axum::CorsLayer::new(super::policy()).layer(app()),
        ),
        Variant::Peer => super::tower_target(request, tower_http().layer(app())),
    }
}
