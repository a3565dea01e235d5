//! The middleware's behaviour inside actix-web, with actix-web's own in-process machinery
//! (`test::init_service` + `call_service`).
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use actix_web::body::{BodySize, MessageBody};
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::web::{self, Bytes};
use actix_web::{App, HttpResponse, error, test};
use cors_actix::CorsMiddleware;
use cors_core::{Cors, CorsConfig};

const APP: &str = "https://app.example.com";

fn policy() -> Cors {
    CorsConfig::new()
        .allowed_origins([APP])
        .allow_credentials(true)
        .expose_headers(["x-request-id"])
        .build()
        .unwrap()
}

#[derive(serde::Deserialize, serde::Serialize)]
struct Item {
    name: String,
}

/// The demo routes; every handler counts its calls.
fn routes(cfg: &mut web::ServiceConfig, hits: Arc<AtomicUsize>) {
    let h = hits.clone();
    let h2 = hits.clone();
    let h3 = hits.clone();
    let h4 = hits.clone();
    let h5 = hits.clone();
    let h6 = hits.clone();
    cfg.app_data(web::Data::new(hits))
        .service(web::resource("/api/only-get").route(web::get().to(|| async { "get only" })))
        .route(
            "/api/items",
            web::get().to(move || {
                h.fetch_add(1, Ordering::SeqCst);
                async {
                    HttpResponse::Ok()
                        .insert_header(("x-request-id", "42"))
                        .body("[]")
                }
            }),
        )
        .route(
            "/api/echo",
            web::post().to(move |item: web::Json<Item>| {
                h2.fetch_add(1, Ordering::SeqCst);
                async move { HttpResponse::Ok().json(item.into_inner()) }
            }),
        )
        .route(
            "/api/fail",
            web::get().to(move || {
                h3.fetch_add(1, Ordering::SeqCst);
                async { Err::<HttpResponse, _>(error::ErrorBadRequest("bad input")) }
            }),
        )
        .route(
            "/api/vary",
            web::get().to(move || {
                h4.fetch_add(1, Ordering::SeqCst);
                async {
                    HttpResponse::Ok()
                        .insert_header(("vary", "Accept-Encoding"))
                        .body("varied")
                }
            }),
        )
        .route(
            "/api/own-cors",
            web::get().to(move || {
                h5.fetch_add(1, Ordering::SeqCst);
                async {
                    HttpResponse::Ok()
                        .insert_header(("access-control-allow-origin", "*"))
                        .finish()
                }
            }),
        )
        .route(
            "/api/own-options",
            web::route()
                .method(actix_web::http::Method::OPTIONS)
                .to(move || {
                    h6.fetch_add(1, Ordering::SeqCst);
                    async {
                        HttpResponse::Ok()
                            .insert_header(("x-app-options", "yes"))
                            .finish()
                    }
                }),
        );
}

macro_rules! app {
    ($hits:expr, $cors:expr) => {{
        let hits: Arc<AtomicUsize> = $hits;
        test::init_service(
            App::new()
                .configure(move |cfg| routes(cfg, hits.clone()))
                .wrap(CorsMiddleware::new($cors)),
        )
        .await
    }};
}

fn only(headers: &HeaderMap, name: &str) -> String {
    let all: Vec<_> = headers.get_all(name).collect();
    assert_eq!(all.len(), 1, "{name}: {all:?}");
    all[0].to_str().unwrap().to_owned()
}

fn preflight(path: &str, origin: &str, method: &str) -> test::TestRequest {
    test::TestRequest::with_uri(path)
        .method(actix_web::http::Method::OPTIONS)
        .insert_header(("origin", origin))
        .insert_header(("access-control-request-method", method))
        .insert_header(("access-control-request-headers", "content-type"))
}

fn get_from(path: &str, origin: &str) -> test::TestRequest {
    test::TestRequest::get()
        .uri(path)
        .insert_header(("origin", origin))
}

fn assert_allowed_actual<B>(res: &ServiceResponse<B>) {
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
    assert_eq!(
        only(res.headers(), "access-control-allow-credentials"),
        "true"
    );
    assert_eq!(
        only(res.headers(), "access-control-expose-headers"),
        "x-request-id"
    );
}

#[actix_web::test]
async fn preflights_are_answered_before_routing_and_never_reach_the_app() {
    let hits = Arc::new(AtomicUsize::new(0));
    let app = app!(hits.clone(), policy());
    for path in ["/api/items", "/nowhere", "/api/own-options"] {
        let res = test::call_service(&app, preflight(path, APP, "PUT").to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
        assert_eq!(
            only(res.headers(), "access-control-allow-methods"),
            "DELETE, GET, OPTIONS, PATCH, POST, PUT"
        );
        assert_eq!(only(res.headers(), "access-control-max-age"), "86400");
        assert_eq!(
            only(res.headers(), "vary"),
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network"
        );
        assert!(res.headers().get("x-app-options").is_none());
        assert!(test::read_body(res).await.is_empty());
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "a preflight reached the app"
    );
}

#[actix_web::test]
async fn an_options_request_without_request_method_reaches_the_apps_route() {
    let hits = Arc::new(AtomicUsize::new(0));
    let app = app!(hits.clone(), policy());
    let req = test::TestRequest::with_uri("/api/own-options")
        .method(actix_web::http::Method::OPTIONS)
        .insert_header(("origin", APP))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.headers().get("x-app-options").unwrap(), "yes");
    assert_allowed_actual(&res);
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[actix_web::test]
async fn rejected_preflight_is_403_without_cors_headers_and_debug_explains() {
    let app = app!(Arc::default(), policy());
    let res = test::call_service(
        &app,
        preflight("/api/items", "https://evil.example", "PUT").to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.headers().get("access-control-allow-origin").is_none());

    let debug = CorsConfig::new()
        .allowed_origins([APP])
        .debug(true)
        .build()
        .unwrap();
    let app = app!(Arc::default(), debug);
    let res = test::call_service(
        &app,
        get_from("/api/items", "https://evil.example").to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("access-control-allow-origin").is_none());
    assert_eq!(
        only(res.headers(), "x-cors-rejected"),
        "the origin is not allowed by allowed_origins, allowed_origin_regexes or the origin predicate"
    );

    let req = test::TestRequest::with_uri("/api/items")
        .method(actix_web::http::Method::OPTIONS)
        .insert_header(("origin", APP))
        .insert_header(("access-control-request-method", "PUT"))
        .insert_header(("access-control-request-headers", "x-api-key"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        only(res.headers(), "content-type"),
        "text/plain; charset=utf-8"
    );
    assert_eq!(
        test::read_body(res).await,
        "CORS preflight rejected: request header `x-api-key` is not in allowed_headers\n"
    );
}

#[actix_web::test]
async fn every_kind_of_response_carries_the_cors_headers() {
    let app = app!(Arc::default(), policy());
    let cases = vec![
        (
            "handler success",
            get_from("/api/items", APP),
            StatusCode::OK,
        ),
        (
            "handler error",
            get_from("/api/fail", APP),
            StatusCode::BAD_REQUEST,
        ),
        (
            "404 from routing",
            get_from("/api/nothing-here", APP),
            StatusCode::NOT_FOUND,
        ),
        (
            "405 from a resource",
            test::TestRequest::delete()
                .uri("/api/only-get")
                .insert_header(("origin", APP)),
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            "extractor rejection (invalid JSON)",
            test::TestRequest::post()
                .uri("/api/echo")
                .insert_header(("origin", APP))
                .insert_header(("content-type", "application/json"))
                .set_payload("{not json"),
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (what, req, status) in cases {
        let res = test::call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), status, "{what}");
        assert_allowed_actual(&res);
        assert_eq!(only(res.headers(), "vary"), "Origin", "{what}");
    }
}

#[actix_web::test]
async fn errors_from_inner_middleware_become_responses_with_the_headers() {
    let app = test::init_service(
        App::new()
            .route("/api/items", web::get().to(|| async { "[]" }))
            .wrap_fn(|_req, _srv| async {
                Err::<ServiceResponse, _>(error::ErrorUnauthorized("no token"))
            })
            .wrap(CorsMiddleware::new(policy())),
    )
    .await;
    // What actix-web's HTTP layer sends for this error: its response.
    let err = app
        .call(get_from("/api/items", APP).to_request())
        .await
        .unwrap_err();
    let res = err.error_response();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
    assert_eq!(
        only(res.headers(), "access-control-allow-credentials"),
        "true"
    );
    assert_eq!(only(res.headers(), "vary"), "Origin");
    assert_eq!(err.to_string(), "no token");
}

#[actix_web::test]
async fn vary_is_merged_and_owned_headers_are_never_duplicated() {
    let app = app!(Arc::default(), policy());
    let res = test::call_service(&app, get_from("/api/vary", APP).to_request()).await;
    assert_eq!(only(res.headers(), "vary"), "Accept-Encoding, Origin");
    let res = test::call_service(&app, get_from("/api/own-cors", APP).to_request()).await;
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
    let res = test::call_service(
        &app,
        get_from("/api/own-cors", "https://evil.example").to_request(),
    )
    .await;
    assert!(res.headers().get("access-control-allow-origin").is_none());
}

#[actix_web::test]
async fn paths_outside_urls_regex_are_untouched_preflights_included() {
    let hits = Arc::new(AtomicUsize::new(0));
    let cors = CorsConfig::new()
        .allowed_origins([APP])
        .urls_regex("/api/.*")
        .build()
        .unwrap();
    let app = app!(hits.clone(), cors);
    let res = test::call_service(&app, preflight("/static/app.js", APP, "PUT").to_request()).await;
    assert_eq!(
        res.status(),
        StatusCode::NOT_FOUND,
        "the preflight reached the app's default service"
    );
    assert!(res.headers().get("access-control-allow-origin").is_none());
    assert!(res.headers().get("vary").is_none());
    let res = test::call_service(&app, get_from("/api/items", APP).to_request()).await;
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
}

#[actix_web::test]
async fn two_policies_on_two_scopes() {
    let public = CorsConfig::new().allow_all_origins(true).build().unwrap();
    let app = test::init_service(
        App::new()
            .service(
                web::scope("/public")
                    .wrap(CorsMiddleware::new(public))
                    .route("/items", web::get().to(|| async { "[]" })),
            )
            .service(
                web::scope("/private")
                    .wrap(CorsMiddleware::new(policy()))
                    .route("/items", web::get().to(|| async { "[]" })),
            ),
    )
    .await;
    let res = test::call_service(
        &app,
        get_from("/public/items", "https://anyone.example").to_request(),
    )
    .await;
    assert_eq!(only(res.headers(), "access-control-allow-origin"), "*");
    assert!(
        res.headers()
            .get("access-control-allow-credentials")
            .is_none()
    );
    let res = test::call_service(
        &app,
        get_from("/private/items", "https://anyone.example").to_request(),
    )
    .await;
    assert!(res.headers().get("access-control-allow-origin").is_none());
    let res = test::call_service(&app, get_from("/private/items", APP).to_request()).await;
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
    let res = test::call_service(
        &app,
        preflight("/public/items", "https://anyone.example", "PUT").to_request(),
    )
    .await;
    assert_eq!(only(res.headers(), "access-control-allow-origin"), "*");
}

/// A body whose chunks come from a channel, one at a time.
struct ChannelBody(tokio::sync::mpsc::Receiver<&'static str>);

impl MessageBody for ChannelBody {
    type Error = std::convert::Infallible;

    fn size(&self) -> BodySize {
        BodySize::Stream
    }

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        self.0
            .poll_recv(cx)
            .map(|chunk| chunk.map(|s| Ok(Bytes::from_static(s.as_bytes()))))
    }
}

#[actix_web::test]
async fn streaming_bodies_pass_through_chunk_by_chunk() {
    let (tx, rx) = tokio::sync::mpsc::channel::<&'static str>(1);
    let rx = Arc::new(std::sync::Mutex::new(Some(rx)));
    let app = test::init_service(
        App::new()
            .route(
                "/stream",
                web::get().to(move || {
                    let rx = rx.lock().unwrap().take().unwrap();
                    async move { HttpResponse::Ok().body(ChannelBody(rx)) }
                }),
            )
            .wrap(CorsMiddleware::new(policy())),
    )
    .await;
    let res = test::call_service(&app, get_from("/stream", APP).to_request()).await;
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
    let mut body = Box::pin(res.into_body());
    // The first chunk arrives before the second is produced: nothing is buffered.
    tx.send("first").await.unwrap();
    let chunk = std::future::poll_fn(|cx| body.as_mut().poll_next(cx))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(chunk, "first");
    tx.send("second").await.unwrap();
    let chunk = std::future::poll_fn(|cx| body.as_mut().poll_next(cx))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(chunk, "second");
    drop(tx);
    assert!(
        std::future::poll_fn(|cx| body.as_mut().poll_next(cx))
            .await
            .is_none()
    );
}

#[actix_web::test]
async fn a_large_body_passes_through_unchanged() {
    let app = test::init_service(
        App::new()
            .route(
                "/big",
                web::get().to(|| async { vec![b'x'; 8 * 1024 * 1024] }),
            )
            .wrap(CorsMiddleware::new(policy())),
    )
    .await;
    let res = test::call_service(&app, get_from("/big", APP).to_request()).await;
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
    let body = test::read_body(res).await;
    assert_eq!(body.len(), 8 * 1024 * 1024);
    assert!(body.iter().all(|&b| b == b'x'));
}

#[actix_web::test]
async fn disallowed_origins_still_reach_the_app_unless_rejected_early() {
    let hits = Arc::new(AtomicUsize::new(0));
    let app = app!(hits.clone(), policy());
    let res = test::call_service(
        &app,
        get_from("/api/items", "https://evil.example").to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(only(res.headers(), "x-request-id"), "42");
    assert!(res.headers().get("access-control-allow-origin").is_none());
    assert_eq!(only(res.headers(), "vary"), "Origin");
    assert_eq!(hits.load(Ordering::SeqCst), 1);

    let csrf = CorsConfig::new()
        .allowed_origins([APP])
        .csrf_protection(true)
        .build()
        .unwrap();
    let app = app!(hits.clone(), csrf);
    // A GET runs the app: the browser keeps the answer from the page.
    let res = test::call_service(
        &app,
        get_from("/api/items", "https://evil.example").to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    // A POST from another site does not.
    let res = test::call_service(
        &app,
        get_from("/api/items", "https://evil.example")
            .method(actix_web::http::Method::POST)
            .insert_header(("sec-fetch-site", "cross-site"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.headers().get("x-request-id").is_none());
    assert!(res.headers().get("access-control-allow-origin").is_none());
    assert_eq!(
        hits.load(Ordering::SeqCst),
        2,
        "refused by csrf_protection: the app did not run"
    );
}

#[actix_web::test]
async fn requests_without_origin_only_get_vary() {
    let app = app!(Arc::default(), policy());
    let res = test::call_service(
        &app,
        test::TestRequest::get().uri("/api/items").to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("access-control-allow-origin").is_none());
    assert_eq!(only(res.headers(), "vary"), "Origin");
}
