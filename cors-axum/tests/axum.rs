//! The adapter's behaviour inside axum, with axum's own in-process machinery
//! (`tower::ServiceExt::oneshot` on the Router).
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::Json;
use axum::http::{HeaderMap, HeaderValue, Request, Response, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, options, post};
use cors_axum::CorsLayer;
use cors_core::{Cors, CorsConfig};
use http_body_util::BodyExt;
use tower::ServiceExt;

const APP: &str = "https://app.example.com";

fn policy() -> Cors {
    CorsConfig::new()
        .allowed_origins([APP])
        .allow_credentials(true)
        .expose_headers(["x-request-id"])
        .build()
        .unwrap()
}

/// The demo app: counts every request that reaches a handler or the fallback.
fn app(hits: Arc<AtomicUsize>) -> Router {
    let count = move |hits: Arc<AtomicUsize>| {
        move || {
            hits.fetch_add(1, Ordering::SeqCst);
        }
    };
    let c = count(hits.clone());
    let items = get(move || {
        c();
        async {
            (
                [("content-type", "application/json"), ("x-request-id", "42")],
                "[]",
            )
        }
    });
    let c = count(hits.clone());
    let items = items.post(move || {
        c();
        async { (StatusCode::CREATED, "{}") }
    });
    let c = count(hits.clone());
    let echo = post(move |Json(v): Json<serde_json_value::Value>| {
        c();
        async move { Json(v) }
    });
    let c = count(hits.clone());
    let failing = get(move || {
        c();
        async { Err::<&str, _>((StatusCode::BAD_REQUEST, "bad input")) }
    });
    let c = count(hits.clone());
    let vary = get(move || {
        c();
        async { ([("vary", "Accept-Encoding")], "varied") }
    });
    let c = count(hits.clone());
    let own_cors = get(move || {
        c();
        async { ([("access-control-allow-origin", "*")], "app set its own") }
    });
    let c = count(hits.clone());
    let own_options = options(move || {
        c();
        async { ([("x-app-options", "yes")], "app's own OPTIONS") }
    });
    let c = count(hits.clone());
    let fallback_hits = hits.clone();
    Router::new()
        .route("/api/items", items)
        .route("/api/echo", echo)
        .route("/api/fail", failing)
        .route("/api/vary", vary)
        .route("/api/own-cors", own_cors)
        .route("/api/own-options", own_options)
        .route(
            "/api/panic",
            get(move || {
                c();
                async {
                    if std::hint::black_box(true) {
                        panic!("handler panicked");
                    }
                    ""
                }
            }),
        )
        .fallback(move || {
            fallback_hits.fetch_add(1, Ordering::SeqCst);
            async { StatusCode::NOT_FOUND }
        })
}

/// A tiny JSON value type so the test needs no serde_json dependency of its own.
mod serde_json_value {
    #[derive(serde::Deserialize, serde::Serialize)]
    #[serde(untagged)]
    pub(crate) enum Value {
        Map(std::collections::BTreeMap<String, Value>),
        List(Vec<Value>),
        Text(String),
        Number(f64),
        Flag(bool),
    }
}

fn service(hits: Arc<AtomicUsize>, cors: Cors) -> Router {
    app(hits)
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(CorsLayer::new(cors))
}

async fn send(router: Router, req: Request<Body>) -> Response<Body> {
    router.oneshot(req).await.unwrap()
}

fn preflight(path: &str, origin: &str, method: &str) -> Request<Body> {
    Request::options(path)
        .header("origin", origin)
        .header("access-control-request-method", method)
        .header("access-control-request-headers", "content-type")
        .body(Body::empty())
        .unwrap()
}

fn get_from(path: &str, origin: &str) -> Request<Body> {
    Request::get(path)
        .header("origin", origin)
        .body(Body::empty())
        .unwrap()
}

fn only(headers: &HeaderMap, name: &str) -> String {
    let all: Vec<&HeaderValue> = headers.get_all(name).iter().collect();
    assert_eq!(all.len(), 1, "{name}: {all:?}");
    all[0].to_str().unwrap().to_owned()
}

fn assert_allowed_actual(res: &Response<Body>) {
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

#[tokio::test]
async fn preflights_are_answered_before_routing_and_never_reach_the_app() {
    let hits = Arc::new(AtomicUsize::new(0));
    for path in ["/api/items", "/nowhere", "/api/own-options"] {
        let res = send(service(hits.clone(), policy()), preflight(path, APP, "PUT")).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
        assert_eq!(
            only(res.headers(), "access-control-allow-methods"),
            "DELETE, GET, OPTIONS, PATCH, POST, PUT"
        );
        assert_eq!(
            only(res.headers(), "access-control-allow-headers"),
            "accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with"
        );
        assert_eq!(only(res.headers(), "access-control-max-age"), "86400");
        assert_eq!(
            only(res.headers(), "vary"),
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network"
        );
        assert!(res.headers().get("x-app-options").is_none());
        assert!(
            res.into_body()
                .collect()
                .await
                .unwrap()
                .to_bytes()
                .is_empty()
        );
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "a preflight reached the app"
    );
}

#[tokio::test]
async fn an_options_request_without_request_method_reaches_the_apps_handler() {
    let hits = Arc::new(AtomicUsize::new(0));
    let req = Request::options("/api/own-options")
        .header("origin", APP)
        .body(Body::empty())
        .unwrap();
    let res = send(service(hits.clone(), policy()), req).await;
    assert_eq!(res.headers()["x-app-options"], "yes");
    assert_allowed_actual(&res);
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn rejected_preflight_is_403_without_cors_headers() {
    let hits = Arc::new(AtomicUsize::new(0));
    let res = send(
        service(hits.clone(), policy()),
        preflight("/api/items", "https://evil.example", "PUT"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.headers().get("access-control-allow-origin").is_none());
    assert!(res.headers().get("access-control-allow-methods").is_none());
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn debug_mode_explains_a_rejected_preflight_in_the_body() {
    let cors = CorsConfig::new()
        .allowed_origins([APP])
        .debug(true)
        .build()
        .unwrap();
    let req = Request::options("/api/items")
        .header("origin", APP)
        .header("access-control-request-method", "PUT")
        .header("access-control-request-headers", "x-api-key")
        .body(Body::empty())
        .unwrap();
    let res = send(service(Arc::default(), cors.clone()), req).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(res.headers()["content-type"], "text/plain; charset=utf-8");
    let body = res.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(
        body,
        "CORS preflight rejected: request header `x-api-key` is not in allowed_headers\n"
    );

    // An actual request from a disallowed origin reaches the app; the header says why.
    let res = send(
        service(Arc::default(), cors),
        get_from("/api/items", "https://evil.example"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("access-control-allow-origin").is_none());
    assert_eq!(
        only(res.headers(), "x-cors-rejected"),
        "the origin is not allowed by allowed_origins, allowed_origin_regexes or the origin predicate"
    );
}

#[tokio::test]
async fn every_kind_of_response_carries_the_cors_headers() {
    let cases: Vec<(&str, Request<Body>, StatusCode)> = vec![
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
            "405 from routing",
            Request::delete("/api/items")
                .header("origin", APP)
                .body(Body::empty())
                .unwrap(),
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            "extractor rejection (invalid JSON)",
            Request::post("/api/echo")
                .header("origin", APP)
                .header("content-type", "application/json")
                .body(Body::from("{not json"))
                .unwrap(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "extractor rejection (wrong content type)",
            Request::post("/api/echo")
                .header("origin", APP)
                .body(Body::from("{}"))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "panic turned into a 500",
            get_from("/api/panic", APP),
            StatusCode::INTERNAL_SERVER_ERROR,
        ),
    ];
    for (what, req, status) in cases {
        let res = send(service(Arc::default(), policy()), req).await;
        assert_eq!(res.status(), status, "{what}");
        assert_allowed_actual(&res);
        assert_eq!(only(res.headers(), "vary"), "Origin", "{what}");
    }
}

#[tokio::test]
async fn vary_is_merged_and_owned_headers_are_never_duplicated() {
    let res = send(
        service(Arc::default(), policy()),
        get_from("/api/vary", APP),
    )
    .await;
    assert_eq!(only(res.headers(), "vary"), "Accept-Encoding, Origin");
    let res = send(
        service(Arc::default(), policy()),
        get_from("/api/own-cors", APP),
    )
    .await;
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
    // for a disallowed origin the app's own `*` does not leak through either
    let res = send(
        service(Arc::default(), policy()),
        get_from("/api/own-cors", "https://evil.example"),
    )
    .await;
    assert!(res.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn nested_layers_add_origin_to_vary_once() {
    let router = app(Arc::default())
        .layer(CorsLayer::new(policy()))
        .layer(CorsLayer::new(policy()));
    let res = router.oneshot(get_from("/api/vary", APP)).await.unwrap();
    assert_eq!(only(res.headers(), "vary"), "Accept-Encoding, Origin");
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
}

#[tokio::test]
async fn paths_outside_urls_regex_are_untouched_preflights_included() {
    let hits = Arc::new(AtomicUsize::new(0));
    let cors = CorsConfig::new()
        .allowed_origins([APP])
        .urls_regex("/api/.*")
        .build()
        .unwrap();
    let res = send(
        service(hits.clone(), cors.clone()),
        preflight("/static/app.js", APP, "PUT"),
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::NOT_FOUND,
        "the preflight reached the app's fallback"
    );
    assert!(res.headers().get("access-control-allow-origin").is_none());
    assert!(res.headers().get("vary").is_none());
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    let res = send(service(hits.clone(), cors), get_from("/api/items", APP)).await;
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
}

#[tokio::test]
async fn two_policies_on_two_parts_of_one_app() {
    let public = CorsConfig::new().allow_all_origins(true).build().unwrap();
    let private = policy();
    let router = Router::new()
        .nest(
            "/public",
            Router::new()
                .route("/items", get(|| async { "[]" }))
                .layer(CorsLayer::new(public)),
        )
        .nest(
            "/private",
            Router::new()
                .route("/items", get(|| async { "[]" }))
                .layer(CorsLayer::new(private)),
        );
    let res = router
        .clone()
        .oneshot(get_from("/public/items", "https://anyone.example"))
        .await
        .unwrap();
    assert_eq!(only(res.headers(), "access-control-allow-origin"), "*");
    assert!(
        res.headers()
            .get("access-control-allow-credentials")
            .is_none()
    );
    let res = router
        .clone()
        .oneshot(get_from("/private/items", "https://anyone.example"))
        .await
        .unwrap();
    assert!(res.headers().get("access-control-allow-origin").is_none());
    let res = router
        .clone()
        .oneshot(get_from("/private/items", APP))
        .await
        .unwrap();
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
    assert_eq!(
        only(res.headers(), "access-control-allow-credentials"),
        "true"
    );
    let res = router
        .oneshot(preflight("/public/items", "https://anyone.example", "PUT"))
        .await
        .unwrap();
    assert_eq!(only(res.headers(), "access-control-allow-origin"), "*");
}

#[tokio::test]
async fn streaming_bodies_pass_through_frame_by_frame() {
    let (tx, rx) = tokio::sync::mpsc::channel::<&'static str>(1);
    let rx = Arc::new(std::sync::Mutex::new(Some(rx)));
    let router = Router::new()
        .route(
            "/stream",
            get(move || {
                let rx = rx.lock().unwrap().take().unwrap();
                async move { Body::new(ChannelBody(rx)).into_response() }
            }),
        )
        .layer(CorsLayer::new(policy()));
    let res = router.oneshot(get_from("/stream", APP)).await.unwrap();
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
    let mut body = res.into_body();
    // The first chunk arrives before the second is even produced: nothing is buffered.
    tx.send("first").await.unwrap();
    let frame = body.frame().await.unwrap().unwrap();
    assert_eq!(frame.into_data().unwrap(), "first");
    tx.send("second").await.unwrap();
    let frame = body.frame().await.unwrap().unwrap();
    assert_eq!(frame.into_data().unwrap(), "second");
    drop(tx);
    assert!(body.frame().await.is_none());
}

/// A body whose frames come from a channel, one at a time.
struct ChannelBody(tokio::sync::mpsc::Receiver<&'static str>);

impl http_body::Body for ChannelBody {
    type Data = axum::body::Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        self.0.poll_recv(cx).map(|chunk| {
            chunk.map(|s| {
                Ok(http_body::Frame::data(axum::body::Bytes::from_static(
                    s.as_bytes(),
                )))
            })
        })
    }
}

#[tokio::test]
async fn a_large_body_passes_through_unchanged() {
    let big = vec![b'x'; 8 * 1024 * 1024];
    let expected = big.clone();
    let router = Router::new()
        .route("/big", get(move || async move { big.clone() }))
        .layer(CorsLayer::new(policy()));
    let res = router.oneshot(get_from("/big", APP)).await.unwrap();
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
    let body = res.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(body.len(), expected.len());
    assert!(body == expected);
}

#[tokio::test]
async fn disallowed_origins_still_reach_the_app_unless_rejected_early() {
    let hits = Arc::new(AtomicUsize::new(0));
    let res = send(
        service(hits.clone(), policy()),
        get_from("/api/items", "https://evil.example"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["x-request-id"], "42");
    assert!(res.headers().get("access-control-allow-origin").is_none());
    assert_eq!(only(res.headers(), "vary"), "Origin");
    assert_eq!(hits.load(Ordering::SeqCst), 1);

    let csrf = CorsConfig::new()
        .allowed_origins([APP])
        .csrf_protection(true)
        .build()
        .unwrap();
    // A GET runs the app: the browser keeps the answer from the page.
    let res = send(
        service(hits.clone(), csrf.clone()),
        get_from("/api/items", "https://evil.example"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    // A POST from another site does not.
    let post = Request::post("/api/items")
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .body(Body::empty())
        .unwrap();
    let res = send(service(hits.clone(), csrf), post).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.headers().get("x-request-id").is_none());
    assert!(res.headers().get("access-control-allow-origin").is_none());
    assert_eq!(
        hits.load(Ordering::SeqCst),
        2,
        "refused by csrf_protection: the app did not run"
    );
}

#[tokio::test]
async fn requests_without_origin_only_get_vary() {
    let req = Request::get("/api/items").body(Body::empty()).unwrap();
    let res = send(service(Arc::default(), policy()), req).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("access-control-allow-origin").is_none());
    assert_eq!(only(res.headers(), "vary"), "Origin");
}

#[tokio::test]
async fn default_404_of_a_router_without_fallback_carries_the_headers() {
    let router = Router::new()
        .route("/api/items", get(|| async { "[]" }))
        .layer(CorsLayer::new(policy()));
    let res = router
        .clone()
        .oneshot(get_from("/nothing", APP))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
    let res = router
        .oneshot(preflight("/nothing", APP, "PUT"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
}

#[tokio::test]
async fn wrapping_the_whole_router_answers_before_any_routing() {
    // Routes added after `Router::layer` are not wrapped by it (axum's rule); wrapping the
    // router as a service covers everything, and axum never sees the preflight.
    let router = Router::new()
        .route("/api/items", get(|| async { "[]" }))
        .layer(tower::layer::util::Identity::new())
        .route("/api/late", get(|| async { "added after .layer" }));
    let service =
        Router::new().fallback_service(tower::Layer::layer(&CorsLayer::new(policy()), router));
    let res = service
        .clone()
        .oneshot(preflight("/api/late", APP, "PUT"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
    assert!(
        res.headers().get("allow").is_none(),
        "axum's method router never ran"
    );
    let res = service.oneshot(get_from("/api/late", APP)).await.unwrap();
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
}

#[tokio::test]
async fn urls_regex_sees_the_full_path_inside_nest() {
    let cors = CorsConfig::new()
        .allowed_origins([APP])
        .urls_regex("/api/.*")
        .build()
        .unwrap();
    let router: Router = Router::new().nest(
        "/api",
        Router::new()
            .route("/items", get(|| async { "[]" }))
            .layer(CorsLayer::new(cors)),
    );
    let res = send(router.clone(), get_from("/api/items", APP)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
    let res = send(router, preflight("/api/items", APP, "PUT")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
}

#[tokio::test]
async fn the_answer_keeps_the_inner_services_body_type() {
    // A plain tower service with `String` bodies: the layer's own answers are `String`s too,
    // empty for a preflight, the reason in debug mode.
    let cors = CorsConfig::new()
        .allowed_origins([APP])
        .debug(true)
        .build()
        .unwrap();
    let inner = tower::service_fn(|_req: Request<()>| async {
        Ok::<_, Infallible>(Response::new(String::from("from the app")))
    });
    let layered = tower::Layer::layer(&CorsLayer::new(cors), inner);
    let preflight = |requested: &'static str| {
        Request::options("/api/items")
            .header("origin", APP)
            .header("access-control-request-method", "PUT")
            .header("access-control-request-headers", requested)
            .body(())
            .unwrap()
    };

    let res: Response<String> = layered
        .clone()
        .oneshot(preflight("x-api-key"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        res.body(),
        "CORS preflight rejected: request header `x-api-key` is not in allowed_headers\n"
    );

    let allowed = CorsConfig::new()
        .allowed_origins([APP])
        .allowed_headers(["x-api-key"]);
    let inner = tower::service_fn(|_req: Request<()>| async {
        Ok::<_, Infallible>(Response::new(String::from("from the app")))
    });
    let layered = tower::Layer::layer(&CorsLayer::new(allowed.build().unwrap()), inner);
    let res: Response<String> = layered
        .clone()
        .oneshot(preflight("x-api-key"))
        .await
        .unwrap();
    assert!(res.status().is_success());
    assert_eq!(res.headers()["access-control-allow-origin"], APP);
    assert_eq!(res.body(), "");

    let req = Request::get("/api/items")
        .header("origin", APP)
        .body(())
        .unwrap();
    let res: Response<String> = layered.oneshot(req).await.unwrap();
    assert_eq!(res.headers()["access-control-allow-origin"], APP);
    assert_eq!(res.body(), "from the app");
}
