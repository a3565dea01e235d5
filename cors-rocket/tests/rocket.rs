//! The fairing's behaviour inside Rocket, with Rocket's own in-process client
//! (`rocket::local::asynchronous::Client`).
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use cors_core::{Cors, CorsConfig};
use cors_rocket::CorsFairing;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::{Client, LocalResponse};
use rocket::serde::json::Json;
use rocket::{Build, Rocket, State, catch, catchers, get, head, options, post, routes};

const APP: &str = "https://app.example.com";

fn policy() -> Cors {
    CorsConfig::new()
        .allowed_origins([APP])
        .allow_credentials(true)
        .expose_headers(["x-request-id"])
        .build()
        .unwrap()
}

struct Hits(Arc<AtomicUsize>);

impl Hits {
    fn hit(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[derive(rocket::Responder)]
#[response(status = 200, content_type = "json")]
struct Items(&'static str, Header<'static>);

#[get("/api/items")]
fn items(hits: &State<Hits>) -> Items {
    hits.hit();
    Items("[]", Header::new("x-request-id", "42"))
}

/// The app's own HEAD route, which Rocket prefers to retrying HEAD as GET.
#[head("/api/items")]
fn items_head(hits: &State<Hits>) -> Status {
    hits.hit();
    Status::Ok
}

#[derive(serde::Deserialize, serde::Serialize)]
#[serde(crate = "rocket::serde")]
struct Item {
    name: String,
}

#[post("/api/echo", data = "<item>")]
fn echo(item: Json<Item>, hits: &State<Hits>) -> Json<Item> {
    hits.hit();
    item
}

#[get("/api/fail")]
fn fail(hits: &State<Hits>) -> Result<&'static str, Status> {
    hits.hit();
    Err(Status::BadRequest)
}

#[derive(rocket::Responder)]
struct WithHeader(&'static str, Header<'static>);

#[get("/api/vary")]
fn vary(hits: &State<Hits>) -> WithHeader {
    hits.hit();
    WithHeader("varied", Header::new("vary", "Accept-Encoding"))
}

#[get("/api/own-cors")]
fn own_cors(hits: &State<Hits>) -> WithHeader {
    hits.hit();
    WithHeader(
        "app set its own",
        Header::new("access-control-allow-origin", "*"),
    )
}

/// The app's own CORS headers, named as an app may write them: Rocket keeps the case.
#[get("/api/own-cors-capitals")]
fn own_cors_capitals(hits: &State<Hits>) -> WithTwoHeaders {
    hits.hit();
    WithTwoHeaders(
        "app set its own, in capitals",
        Header::new("Access-Control-Allow-Origin", "*"),
        Header::new("Access-Control-Allow-Credentials", "true"),
    )
}

#[derive(rocket::Responder)]
struct WithTwoHeaders(&'static str, Header<'static>, Header<'static>);

#[options("/api/own-options")]
fn own_options(hits: &State<Hits>) -> WithHeader {
    hits.hit();
    WithHeader("app's own OPTIONS", Header::new("x-app-options", "yes"))
}

#[get("/api/panic")]
fn panics(hits: &State<Hits>) -> &'static str {
    hits.hit();
    if std::hint::black_box(true) {
        panic!("handler panicked");
    }
    ""
}

#[catch(404)]
fn not_found() -> &'static str {
    "custom 404 catcher"
}

fn app(hits: Arc<AtomicUsize>, cors: Cors) -> Rocket<Build> {
    rocket::build()
        .manage(Hits(hits))
        .mount(
            "/",
            routes![
                items,
                items_head,
                echo,
                fail,
                vary,
                own_cors,
                own_cors_capitals,
                own_options,
                panics
            ],
        )
        .register("/", catchers![not_found])
        .attach(CorsFairing::new(cors))
}

async fn start(hits: Arc<AtomicUsize>, cors: Cors) -> Client {
    Client::tracked(app(hits, cors)).await.unwrap()
}

fn only(res: &LocalResponse<'_>, name: &str) -> String {
    let all: Vec<&str> = res.headers().get(name).collect();
    assert_eq!(all.len(), 1, "{name}: {all:?}");
    all[0].to_owned()
}

fn absent(res: &LocalResponse<'_>, name: &str) -> bool {
    res.headers().get_one(name).is_none()
}

async fn get_from<'c>(
    client: &'c Client,
    path: &'c str,
    origin: &'static str,
) -> LocalResponse<'c> {
    client
        .get(path)
        .header(Header::new("origin", origin))
        .dispatch()
        .await
}

fn assert_allowed_actual(res: &LocalResponse<'_>) {
    assert_eq!(only(res, "access-control-allow-origin"), APP);
    assert_eq!(only(res, "access-control-allow-credentials"), "true");
    assert_eq!(only(res, "access-control-expose-headers"), "x-request-id");
}

async fn preflight<'c>(
    client: &'c Client,
    path: &'c str,
    origin: &'static str,
    method: &'static str,
) -> LocalResponse<'c> {
    client
        .options(path)
        .header(Header::new("origin", origin))
        .header(Header::new("access-control-request-method", method))
        .header(Header::new(
            "access-control-request-headers",
            "content-type",
        ))
        .dispatch()
        .await
}

#[rocket::async_test]
async fn preflights_are_answered_before_routing_and_never_reach_the_app() {
    let hits = Arc::new(AtomicUsize::new(0));
    let client = start(hits.clone(), policy()).await;
    for path in ["/api/items", "/nowhere", "/api/own-options"] {
        let res = preflight(&client, path, APP, "PUT").await;
        assert_eq!(res.status(), Status::Ok, "{path}");
        assert_eq!(only(&res, "access-control-allow-origin"), APP);
        assert_eq!(
            only(&res, "access-control-allow-methods"),
            "DELETE, GET, OPTIONS, PATCH, POST, PUT"
        );
        assert_eq!(only(&res, "access-control-max-age"), "86400");
        assert_eq!(
            only(&res, "vary"),
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network"
        );
        assert!(absent(&res, "x-app-options"));
        assert!(res.into_string().await.unwrap_or_default().is_empty());
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "a preflight reached the app"
    );
}

#[rocket::async_test]
async fn an_options_request_without_request_method_reaches_the_apps_route() {
    let hits = Arc::new(AtomicUsize::new(0));
    let client = start(hits.clone(), policy()).await;
    let res = client
        .options("/api/own-options")
        .header(Header::new("origin", APP))
        .dispatch()
        .await;
    assert_eq!(res.headers().get_one("x-app-options"), Some("yes"));
    assert_allowed_actual(&res);
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[rocket::async_test]
async fn rejected_preflight_is_403_without_cors_headers_and_debug_explains() {
    let client = start(Arc::default(), policy()).await;
    let res = preflight(&client, "/api/items", "https://evil.example", "PUT").await;
    assert_eq!(res.status(), Status::Forbidden);
    assert!(absent(&res, "access-control-allow-origin"));

    let debug = CorsConfig::new()
        .allowed_origins([APP])
        .debug(true)
        .build()
        .unwrap();
    let client = start(Arc::default(), debug).await;
    let res = client
        .get("/api/items")
        .header(Header::new("origin", "https://evil.example"))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Ok);
    assert!(absent(&res, "access-control-allow-origin"));
    assert_eq!(
        only(&res, "x-cors-rejected"),
        "the origin is not allowed by allowed_origins, allowed_origin_regexes or the origin predicate"
    );

    let res = client
        .options("/api/items")
        .header(Header::new("origin", APP))
        .header(Header::new("access-control-request-method", "PUT"))
        .header(Header::new("access-control-request-headers", "x-api-key"))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Forbidden);
    assert_eq!(
        res.content_type(),
        Some(ContentType::new("text", "plain").with_params(("charset", "utf-8")))
    );
    assert_eq!(
        res.into_string().await.unwrap(),
        "CORS preflight rejected: request header `x-api-key` is not in allowed_headers\n"
    );
}

#[rocket::async_test]
async fn every_kind_of_response_carries_the_cors_headers() {
    let client = start(Arc::default(), policy()).await;
    let origin = || Header::new("origin", APP);
    let cases = vec![
        (
            "handler success",
            client.get("/api/items").header(origin()).dispatch().await,
            Status::Ok,
        ),
        (
            "handler error",
            client.get("/api/fail").header(origin()).dispatch().await,
            Status::BadRequest,
        ),
        (
            "404 catcher",
            client
                .get("/api/nothing-here")
                .header(origin())
                .dispatch()
                .await,
            Status::NotFound,
        ),
        (
            "a method without a route (Rocket has no 405)",
            client
                .delete("/api/items")
                .header(origin())
                .dispatch()
                .await,
            Status::NotFound,
        ),
        (
            "data guard rejection (invalid JSON)",
            client
                .post("/api/echo")
                .header(origin())
                .header(ContentType::JSON)
                .body("{not json")
                .dispatch()
                .await,
            Status::BadRequest,
        ),
        (
            "data guard rejection (wrong shape)",
            client
                .post("/api/echo")
                .header(origin())
                .header(ContentType::JSON)
                .body(r#"{"nom": 1}"#)
                .dispatch()
                .await,
            Status::UnprocessableEntity,
        ),
        (
            "panic turned into a 500",
            client.get("/api/panic").header(origin()).dispatch().await,
            Status::InternalServerError,
        ),
    ];
    for (what, res, status) in cases {
        assert_eq!(res.status(), status, "{what}");
        assert_allowed_actual(&res);
        assert_eq!(only(&res, "vary"), "Origin", "{what}");
    }
}

#[rocket::async_test]
async fn vary_is_merged_and_owned_headers_are_never_duplicated() {
    let client = start(Arc::default(), policy()).await;
    let res = get_from(&client, "/api/vary", APP).await;
    assert_eq!(only(&res, "vary"), "Accept-Encoding, Origin");
    let res = get_from(&client, "/api/own-cors", APP).await;
    assert_eq!(only(&res, "access-control-allow-origin"), APP);
    let res = get_from(&client, "/api/own-cors", "https://evil.example").await;
    assert!(absent(&res, "access-control-allow-origin"));
    // names in any case are the policy's too: a refused origin gets none of the app's
    let res = get_from(&client, "/api/own-cors-capitals", "https://evil.example").await;
    assert!(absent(&res, "access-control-allow-origin"));
    assert!(absent(&res, "access-control-allow-credentials"));
    let res = get_from(&client, "/api/own-cors-capitals", APP).await;
    assert_eq!(only(&res, "access-control-allow-origin"), APP);
}

#[rocket::async_test]
async fn paths_outside_urls_regex_are_untouched_preflights_included() {
    let cors = CorsConfig::new()
        .allowed_origins([APP])
        .urls_regex("/api/.*")
        .build()
        .unwrap();
    let client = start(Arc::default(), cors).await;
    let res = preflight(&client, "/static/app.js", APP, "PUT").await;
    assert_eq!(
        res.status(),
        Status::NotFound,
        "the preflight reached the app (its 404 catcher)"
    );
    assert!(absent(&res, "access-control-allow-origin"));
    assert!(absent(&res, "vary"));
    let res = get_from(&client, "/api/items", APP).await;
    assert_eq!(only(&res, "access-control-allow-origin"), APP);
}

#[get("/items")]
fn part_items() -> &'static str {
    "[]"
}

#[rocket::async_test]
async fn two_policies_on_two_mounts() {
    let public = CorsConfig::new()
        .allow_all_origins(true)
        .urls_regex("/public/.*")
        .build()
        .unwrap();
    let private = CorsConfig::new()
        .allowed_origins([APP])
        .allow_credentials(true)
        .urls_regex("/private/.*")
        .build()
        .unwrap();
    let rocket = rocket::build()
        .mount("/public", routes![part_items])
        .mount("/private", routes![part_items])
        .attach(CorsFairing::new(public))
        .attach(CorsFairing::new(private));
    let client = Client::tracked(rocket).await.unwrap();
    let res = get_from(&client, "/public/items", "https://anyone.example").await;
    assert_eq!(only(&res, "access-control-allow-origin"), "*");
    assert!(absent(&res, "access-control-allow-credentials"));
    let res = get_from(&client, "/private/items", "https://anyone.example").await;
    assert!(absent(&res, "access-control-allow-origin"));
    let res = get_from(&client, "/private/items", APP).await;
    assert_eq!(only(&res, "access-control-allow-origin"), APP);
    assert_eq!(only(&res, "access-control-allow-credentials"), "true");
    let res = preflight(&client, "/public/items", "https://anyone.example", "PUT").await;
    assert_eq!(res.status(), Status::Ok);
    assert_eq!(only(&res, "access-control-allow-origin"), "*");
    let res = preflight(&client, "/private/items", APP, "PUT").await;
    assert_eq!(only(&res, "access-control-allow-origin"), APP);
}

#[get("/stream")]
fn stream(
    rx: &State<std::sync::Mutex<Option<rocket::tokio::sync::mpsc::Receiver<&'static str>>>>,
) -> rocket::response::stream::TextStream![&'static str] {
    let mut rx = rx.lock().unwrap().take().unwrap();
    rocket::response::stream::TextStream! {
        while let Some(chunk) = rx.recv().await {
            yield chunk;
        }
    }
}

#[rocket::async_test]
async fn streaming_bodies_pass_through_chunk_by_chunk() {
    use rocket::tokio::io::AsyncReadExt;
    let (tx, rx) = rocket::tokio::sync::mpsc::channel::<&'static str>(1);
    let rocket = rocket::build()
        .manage(std::sync::Mutex::new(Some(rx)))
        .mount("/", routes![stream])
        .attach(CorsFairing::new(policy()));
    let client = Client::tracked(rocket).await.unwrap();
    let mut res = get_from(&client, "/stream", APP).await;
    assert_eq!(only(&res, "access-control-allow-origin"), APP);
    // The first chunk arrives before the second is produced: nothing is buffered.
    tx.send("first").await.unwrap();
    let mut buf = [0u8; 5];
    res.read_exact(&mut buf).await.unwrap();
    assert_eq!(&buf, b"first");
    tx.send("second").await.unwrap();
    let mut buf = [0u8; 6];
    res.read_exact(&mut buf).await.unwrap();
    assert_eq!(&buf, b"second");
    drop(tx);
    let mut rest = Vec::new();
    res.read_to_end(&mut rest).await.unwrap();
    assert!(rest.is_empty());
}

#[get("/big")]
fn big() -> Vec<u8> {
    vec![b'x'; 8 * 1024 * 1024]
}

#[rocket::async_test]
async fn a_large_body_passes_through_unchanged() {
    let rocket = rocket::build()
        .mount("/", routes![big])
        .attach(CorsFairing::new(policy()));
    let client = Client::tracked(rocket).await.unwrap();
    let res = get_from(&client, "/big", APP).await;
    assert_eq!(only(&res, "access-control-allow-origin"), APP);
    let body = res.into_bytes().await.unwrap();
    assert_eq!(body.len(), 8 * 1024 * 1024);
    assert!(body.iter().all(|&b| b == b'x'));
}

#[rocket::async_test]
async fn disallowed_origins_still_reach_the_app_unless_rejected_early() {
    let hits = Arc::new(AtomicUsize::new(0));
    let client = start(hits.clone(), policy()).await;
    let res = get_from(&client, "/api/items", "https://evil.example").await;
    assert_eq!(res.status(), Status::Ok);
    assert_eq!(only(&res, "x-request-id"), "42");
    assert!(absent(&res, "access-control-allow-origin"));
    assert_eq!(only(&res, "vary"), "Origin");
    assert_eq!(hits.load(Ordering::SeqCst), 1);

    let csrf = CorsConfig::new()
        .allowed_origins([APP])
        .csrf_protection(true)
        .build()
        .unwrap();
    let client = start(hits.clone(), csrf).await;
    // A GET runs the app: the browser keeps the answer from the page.
    let res = get_from(&client, "/api/items", "https://evil.example").await;
    assert_eq!(res.status(), Status::Ok);
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    // A POST from another site does not (the app has a POST route at /api/echo).
    let res = client
        .post("/api/echo")
        .header(Header::new("origin", "https://evil.example"))
        .header(Header::new("sec-fetch-site", "cross-site"))
        .header(rocket::http::ContentType::JSON)
        .body(r#"{"name":"x"}"#)
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Forbidden);
    assert!(absent(&res, "access-control-allow-origin"));
    assert_eq!(only(&res, "vary"), "Origin");
    assert_eq!(
        hits.load(Ordering::SeqCst),
        2,
        "refused by csrf_protection: the app did not run"
    );
}

#[rocket::async_test]
async fn requests_without_origin_only_get_vary() {
    let client = start(Arc::default(), policy()).await;
    let res = client.get("/api/items").dispatch().await;
    assert_eq!(res.status(), Status::Ok);
    assert!(absent(&res, "access-control-allow-origin"));
    assert_eq!(only(&res, "vary"), "Origin");
}

#[rocket::async_test]
async fn csrf_protection_leaves_the_apps_own_head_route_to_the_app() {
    // HEAD is safe: with the fairing's route for every method in place, a HEAD from a
    // disallowed origin still reaches the app's own HEAD route.
    let hits = Arc::new(AtomicUsize::new(0));
    let csrf = CorsConfig::new()
        .allowed_origins([APP])
        .csrf_protection(true)
        .build()
        .unwrap();
    let client = start(hits.clone(), csrf).await;
    let res = client
        .head("/api/items")
        .header(Header::new("origin", "https://evil.example"))
        .header(Header::new("sec-fetch-site", "cross-site"))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Ok);
    assert!(absent(&res, "access-control-allow-origin"));
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    let res = client
        .head("/api/items")
        .header(Header::new("origin", APP))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Ok);
    assert_eq!(only(&res, "access-control-allow-origin"), APP);
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[rocket::async_test]
async fn a_request_the_fairings_route_forwards_to_a_404_keeps_its_cors_headers() {
    // An OPTIONS without Access-Control-Request-Method is not a preflight: the fairing's
    // route sends it on, no route of the app takes it, and the 404 catcher answers. That
    // answer is the app's, so it gets the headers of an allowed actual request.
    let hits = Arc::new(AtomicUsize::new(0));
    let client = start(hits.clone(), policy()).await;
    let res = client
        .options("/api/items")
        .header(Header::new("origin", APP))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::NotFound);
    assert_allowed_actual(&res);
    assert_eq!(only(&res, "vary"), "Origin");
    assert!(absent(&res, "access-control-allow-methods"));

    // With `csrf_protection`, the route sees every request: an allowed one that ends in a
    // 404 keeps its headers too.
    let strict = CorsConfig::new()
        .allowed_origins([APP])
        .allow_credentials(true)
        .expose_headers(["x-request-id"])
        .csrf_protection(true)
        .build()
        .unwrap();
    let client = start(hits, strict).await;
    let res = get_from(&client, "/nowhere", APP).await;
    assert_eq!(res.status(), Status::NotFound);
    assert_eq!(res.into_string().await.unwrap(), "custom 404 catcher");
    let res = get_from(&client, "/nowhere", APP).await;
    assert_allowed_actual(&res);
}
