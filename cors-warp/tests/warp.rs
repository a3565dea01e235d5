//! The adapter's behaviour inside warp, with warp's own in-process machinery
//! (`warp::test::request()`).
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use cors_core::{Cors, CorsConfig};
use http::{HeaderMap, HeaderValue, Response, StatusCode};
use http_body_util::BodyExt;
use warp::test::RequestBuilder;
use warp::{Filter, Rejection, Reply};

const APP: &str = "https://app.example.com";

fn policy() -> Cors {
    CorsConfig::new()
        .allowed_origins([APP])
        .allow_credentials(true)
        .expose_headers(["x-request-id"])
        .build()
        .unwrap()
}

#[derive(Debug)]
struct Refused;
impl warp::reject::Reject for Refused {}

/// The demo app: counts every request that reaches a handler.
fn app(
    hits: Arc<AtomicUsize>,
) -> impl Filter<Extract = (warp::reply::Response,), Error = Rejection> + Clone + Send + Sync + 'static
{
    let hit = warp::any().map(move || {
        hits.fetch_add(1, Ordering::SeqCst);
    });
    let hit = move || hit.clone().untuple_one();
    let items = warp::path!("api" / "items")
        .and(warp::get())
        .and(hit())
        .map(|| {
            let mut res = Response::new("[]").into_response();
            res.headers_mut()
                .insert("content-type", HeaderValue::from_static("application/json"));
            res.headers_mut()
                .insert("x-request-id", HeaderValue::from_static("42"));
            res
        })
        .or(warp::path!("api" / "items")
            .and(warp::post())
            .and(hit())
            .map(|| warp::reply::with_status("{}", StatusCode::CREATED).into_response()))
        .unify();
    let echo = warp::path!("api" / "echo")
        .and(warp::post())
        .and(hit())
        .and(warp::body::json())
        .map(|v: serde_json::Value| warp::reply::json(&v).into_response());
    let fail = warp::path!("api" / "fail")
        .and(hit())
        .map(|| warp::reply::with_status("bad input", StatusCode::BAD_REQUEST).into_response());
    let refuse = warp::path!("api" / "refuse")
        .and(hit())
        .and_then(|| async { Err::<warp::reply::Response, _>(warp::reject::custom(Refused)) });
    let keyed = warp::path!("api" / "keyed")
        .and(hit())
        .and(warp::header::<String>("x-api-key"))
        .map(|key: String| key.into_response());
    let vary = warp::path!("api" / "vary")
        .and(hit())
        .map(|| warp::reply::with_header("varied", "vary", "Accept-Encoding").into_response());
    let own_cors = warp::path!("api" / "own-cors").and(hit()).map(|| {
        warp::reply::with_header("app set its own", "access-control-allow-origin", "*")
            .into_response()
    });
    let own_options = warp::path!("api" / "own-options")
        .and(warp::options())
        .and(hit())
        .map(|| {
            warp::reply::with_header("app's own OPTIONS", "x-app-options", "yes").into_response()
        });
    items
        .or(echo)
        .unify()
        .or(fail)
        .unify()
        .or(refuse)
        .unify()
        .or(keyed)
        .unify()
        .or(vary)
        .unify()
        .or(own_cors)
        .unify()
        .or(own_options)
        .unify()
}

/// Builds one request (a `RequestBuilder` is used up when sent).
type MakeRequest = fn() -> RequestBuilder;

fn request(method: &str, path: &str, origin: &str) -> RequestBuilder {
    warp::test::request()
        .method(method)
        .path(path)
        .header("origin", origin)
}

fn preflight(path: &str, origin: &str, method: &str) -> RequestBuilder {
    request("OPTIONS", path, origin).header("access-control-request-method", method)
}

fn only(headers: &HeaderMap, name: &str) -> String {
    let all: Vec<&HeaderValue> = headers.get_all(name).iter().collect();
    assert_eq!(all.len(), 1, "{name}: {all:?}");
    all[0].to_str().unwrap().to_owned()
}

fn assert_allowed_actual(res: &Response<Bytes>) {
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
    let routes = app(hits.clone()).with(cors_warp::cors!(policy()));
    // a route (GET/POST only), no route at all, a route with its own OPTIONS filter
    for path in ["/api/items", "/nowhere", "/api/own-options"] {
        let res = preflight(path, APP, "PUT").reply(&routes).await;
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
        assert!(res.body().is_empty());
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "a preflight reached the app"
    );
}

#[tokio::test]
async fn an_options_request_without_request_method_reaches_the_apps_filter() {
    let hits = Arc::new(AtomicUsize::new(0));
    let routes = app(hits.clone()).with(cors_warp::cors!(policy()));
    let res = request("OPTIONS", "/api/own-options", APP)
        .reply(&routes)
        .await;
    assert_eq!(res.headers()["x-app-options"], "yes");
    assert_allowed_actual(&res);
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn rejected_preflight_is_403_without_cors_headers() {
    let hits = Arc::new(AtomicUsize::new(0));
    let routes = app(hits.clone()).with(cors_warp::cors!(policy()));
    let res = preflight("/api/items", "https://evil.example", "PUT")
        .reply(&routes)
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
    let routes = app(Arc::default()).with(cors_warp::cors!(cors));
    let res = preflight("/api/items", APP, "PUT")
        .header("access-control-request-headers", "x-api-key")
        .reply(&routes)
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(res.headers()["content-type"], "text/plain; charset=utf-8");
    assert_eq!(
        res.body(),
        "CORS preflight rejected: request header `x-api-key` is not in allowed_headers\n"
    );

    // An actual request from a disallowed origin reaches the app; the header says why.
    let res = warp::test::request()
        .path("/api/items")
        .header("origin", "https://evil.example")
        .reply(&routes)
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("access-control-allow-origin").is_none());
    assert_eq!(
        only(res.headers(), "x-cors-rejected"),
        "the origin is not allowed by allowed_origins, allowed_origin_regexes or the origin predicate"
    );
}

/// Every kind of response warp makes behind the wrapper: the status and body are warp's
/// own (compared with the same request to the bare routes), plus the CORS headers.
#[tokio::test]
async fn every_kind_of_response_carries_the_cors_headers_and_is_otherwise_warps_own() {
    let cases: Vec<(&str, MakeRequest, StatusCode)> = vec![
        (
            "handler success",
            || request("GET", "/api/items", APP),
            StatusCode::OK,
        ),
        (
            "handler error",
            || request("GET", "/api/fail", APP),
            StatusCode::BAD_REQUEST,
        ),
        (
            "custom rejection from a handler",
            || request("GET", "/api/refuse", APP),
            StatusCode::INTERNAL_SERVER_ERROR,
        ),
        (
            "404 from routing",
            || request("GET", "/api/nothing-here", APP),
            StatusCode::NOT_FOUND,
        ),
        (
            "405 from routing",
            || request("DELETE", "/api/items", APP),
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            "extractor rejection (invalid JSON)",
            || {
                request("POST", "/api/echo", APP)
                    .header("content-type", "application/json")
                    .body("{not json")
            },
            StatusCode::BAD_REQUEST,
        ),
        (
            "extractor rejection (wrong content type)",
            || {
                request("POST", "/api/echo", APP)
                    .header("content-type", "text/plain")
                    .body("{}")
            },
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "missing header",
            || request("GET", "/api/keyed", APP),
            StatusCode::BAD_REQUEST,
        ),
    ];
    let bare = app(Arc::default());
    let wrapped = app(Arc::default()).with(cors_warp::cors!(policy()));
    for (what, req, status) in cases {
        let res = req().reply(&wrapped).await;
        assert_eq!(res.status(), status, "{what}");
        assert_allowed_actual(&res);
        assert_eq!(only(res.headers(), "vary"), "Origin", "{what}");
        let plain = req().reply(&bare).await;
        assert_eq!(plain.status(), res.status(), "{what}");
        assert_eq!(plain.body(), res.body(), "{what}");
        assert_eq!(
            plain.headers().get("content-type"),
            res.headers().get("content-type"),
            "{what}"
        );
    }
}

#[tokio::test]
async fn rejection_texts_are_warps_own() {
    let wrapped = app(Arc::default()).with(cors_warp::cors!(policy()));
    let res = request("GET", "/api/refuse", APP).reply(&wrapped).await;
    assert_eq!(res.body(), "Unhandled rejection: Refused");
    let res = request("GET", "/api/keyed", APP).reply(&wrapped).await;
    assert_eq!(res.body(), "Missing request header \"x-api-key\"");
    let res = request("DELETE", "/api/items", APP).reply(&wrapped).await;
    assert_eq!(res.body(), "HTTP method not allowed");
    let res = request("GET", "/nothing", APP).reply(&wrapped).await;
    assert!(res.body().is_empty());
}

#[tokio::test]
async fn a_recover_inside_the_wrapper_gets_the_headers_too() {
    let routes = app(Arc::default())
        .recover(|_: Rejection| async {
            Ok::<_, Infallible>(warp::reply::with_status(
                "custom page",
                StatusCode::IM_A_TEAPOT,
            ))
        })
        .with(cors_warp::cors!(policy()));
    let res = request("GET", "/nothing", APP).reply(&routes).await;
    assert_eq!(res.status(), StatusCode::IM_A_TEAPOT);
    assert_eq!(res.body(), "custom page");
    assert_allowed_actual(&res);
}

#[tokio::test]
async fn vary_is_merged_and_owned_headers_are_never_duplicated() {
    let routes = app(Arc::default()).with(cors_warp::cors!(policy()));
    let res = request("GET", "/api/vary", APP).reply(&routes).await;
    assert_eq!(only(res.headers(), "vary"), "Accept-Encoding, Origin");
    let res = request("GET", "/api/own-cors", APP).reply(&routes).await;
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
    // for a disallowed origin the app's own `*` does not leak through either
    let res = request("GET", "/api/own-cors", "https://evil.example")
        .reply(&routes)
        .await;
    assert!(res.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn nested_wrappers_add_origin_to_vary_once() {
    let routes = app(Arc::default())
        .with(cors_warp::cors!(policy()))
        .with(cors_warp::cors!(policy()));
    let res = request("GET", "/api/vary", APP).reply(&routes).await;
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
    let statics = warp::path("static")
        .and(warp::options())
        .map(|| "app's own OPTIONS");
    let routes = app(hits.clone()).with(cors_warp::cors!(cors)).or(statics);
    // The preflight reaches the app (the wrapper passes the rejection on, so `.or` runs).
    let res = preflight("/static/app.js", APP, "PUT").reply(&routes).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.body(), "app's own OPTIONS");
    assert!(res.headers().get("access-control-allow-origin").is_none());
    assert!(res.headers().get("vary").is_none());
    let res = request("GET", "/elsewhere", APP).reply(&routes).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.headers().get("vary").is_none());
    assert_eq!(hits.load(Ordering::SeqCst), 0);
    let res = request("GET", "/api/items", APP).reply(&routes).await;
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
}

#[tokio::test]
async fn two_policies_on_two_parts_of_one_app() {
    let public = CorsConfig::new().allow_all_origins(true).build().unwrap();
    let items = || warp::path!("items").and(warp::get()).map(|| "[]");
    let routes = warp::path("public")
        .and(items().with(cors_warp::cors!(public)))
        .or(warp::path("private").and(items().with(cors_warp::cors!(policy()))));
    let res = request("GET", "/public/items", "https://anyone.example")
        .reply(&routes)
        .await;
    assert_eq!(only(res.headers(), "access-control-allow-origin"), "*");
    assert!(
        res.headers()
            .get("access-control-allow-credentials")
            .is_none()
    );
    let res = request("GET", "/private/items", "https://anyone.example")
        .reply(&routes)
        .await;
    assert!(res.headers().get("access-control-allow-origin").is_none());
    let res = request("GET", "/private/items", APP).reply(&routes).await;
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
    assert_eq!(
        only(res.headers(), "access-control-allow-credentials"),
        "true"
    );
    let res = preflight("/public/items", "https://anyone.example", "PUT")
        .reply(&routes)
        .await;
    assert_eq!(only(res.headers(), "access-control-allow-origin"), "*");
}

#[tokio::test]
async fn streaming_bodies_pass_through_frame_by_frame() {
    let (tx, rx) = tokio::sync::mpsc::channel::<&'static str>(1);
    let rx = Arc::new(std::sync::Mutex::new(Some(rx)));
    let stream = warp::path("stream").map(move || {
        let rx = rx.lock().unwrap().take().unwrap();
        let events = futures_util::stream::unfold(rx, |mut rx| async move {
            let text = rx.recv().await?;
            Some((
                Ok::<_, Infallible>(warp::sse::Event::default().data(text)),
                rx,
            ))
        });
        warp::sse::reply(events).into_response()
    });
    let routes = stream.with(cors_warp::cors!(policy()));
    let res = request("GET", "/stream", APP)
        .filter(&routes)
        .await
        .unwrap();
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
    let mut body = res.into_body();
    // The first event arrives before the second is even produced: nothing is buffered.
    tx.send("first").await.unwrap();
    let frame = body.frame().await.unwrap().unwrap();
    assert_eq!(frame.into_data().unwrap(), "data:first\n\n");
    tx.send("second").await.unwrap();
    let frame = body.frame().await.unwrap().unwrap();
    assert_eq!(frame.into_data().unwrap(), "data:second\n\n");
    drop(tx);
    assert!(body.frame().await.is_none());
}

#[tokio::test]
async fn a_large_body_passes_through_unchanged() {
    let big = vec![b'x'; 8 * 1024 * 1024];
    let expected = big.clone();
    let routes = warp::path("big")
        .map(move || big.clone())
        .with(cors_warp::cors!(policy()));
    let res = request("GET", "/big", APP).reply(&routes).await;
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
    assert_eq!(res.body().len(), expected.len());
    assert!(res.body() == &expected[..]);
}

#[tokio::test]
async fn disallowed_origins_still_reach_the_app_unless_rejected_early() {
    let hits = Arc::new(AtomicUsize::new(0));
    let routes = app(hits.clone()).with(cors_warp::cors!(policy()));
    let res = request("GET", "/api/items", "https://evil.example")
        .reply(&routes)
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
    let routes = app(hits.clone()).with(cors_warp::cors!(csrf));
    // A GET runs the app: the browser keeps the answer from the page.
    let res = request("GET", "/api/items", "https://evil.example")
        .reply(&routes)
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    // A POST from another site does not (the app has a POST route there).
    let res = request("POST", "/api/items", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .reply(&routes)
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

#[tokio::test]
async fn requests_without_origin_only_get_vary() {
    let routes = app(Arc::default()).with(cors_warp::cors!(policy()));
    let res = warp::test::request()
        .path("/api/items")
        .reply(&routes)
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("access-control-allow-origin").is_none());
    assert_eq!(only(res.headers(), "vary"), "Origin");
}

#[tokio::test]
async fn the_function_form_is_the_same_wrapper() {
    let routes = cors_warp::wrap(policy(), app(Arc::default()));
    let res = preflight("/nowhere", APP, "PATCH").reply(&routes).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(only(res.headers(), "access-control-allow-origin"), APP);
    let res = request("GET", "/nowhere", APP).reply(&routes).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_allowed_actual(&res);
}
