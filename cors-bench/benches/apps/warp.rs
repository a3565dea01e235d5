//! warp: the filter driven with `warp::test::request().reply`; the peer is `warp::cors`.
//! Both layers are added with `Filter::with`.
//!
//! Two more measurements belong to warp only:
//! - the floor: the cheapest wrapper public filters allow (what any crate outside warp
//!   pays before doing CORS work): read `Origin`, `Access-Control-Request-Method` and
//!   `-Headers`, answer a preflight, add two static headers to everything else;
//! - the tower route: `warp::service(routes)` behind `cors_axum::CorsLayer`, against
//!   `warp::service(routes)` alone, both driven with `tower::ServiceExt::oneshot`.

use std::future::ready;

use bytes::Bytes;
use http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, CONTENT_TYPE, VARY};
use http::{HeaderValue, Method, Request, StatusCode};
use http_body_util::Empty;
use tower_layer::Layer;
use warp::reply::Response;
use warp::{Filter, Rejection, Reply};

use super::{Kind, ORIGIN, Reply as Seen, Target, Variant};

fn routes()
-> impl Filter<Extract = (impl Reply,), Error = Rejection> + Clone + Send + Sync + 'static {
    let items = warp::path!("api" / "items")
        .and(warp::get())
        .map(|| warp::reply::with_header("[]", CONTENT_TYPE, "application/json"));
    let replace = warp::path!("api" / "items" / "1")
        .and(warp::put())
        .map(|| warp::reply::with_header("{}", CONTENT_TYPE, "application/json"));
    items.or(replace)
}

/// The policy in `warp::cors`'s terms.
pub fn warp_cors() -> warp::cors::Builder {
    warp::cors()
        .allow_origin(ORIGIN)
        .allow_methods(["GET", "POST", "PUT", "DELETE"])
        .allow_headers(["content-type", "authorization"])
        .expose_headers(["x-request-id"])
        .allow_credentials(true)
        .max_age(600)
}

/// The preflight the floor answers, carried out of the chain as a rejection.
#[derive(Debug)]
struct Preflight;

impl warp::reject::Reject for Preflight {}

/// The floor: a wrapper that does no CORS work, built the cheapest way public filters allow.
fn floor<F, R>(routes: F) -> impl Filter<Extract = (Response,), Error = Rejection> + Clone
where
    F: Filter<Extract = (R,), Error = Rejection> + Clone + Send + Sync + 'static,
    R: Reply + 'static,
{
    warp::method()
        .and(warp::header::optional::<String>("origin"))
        .and(warp::header::optional::<String>(
            "access-control-request-method",
        ))
        .and(warp::header::optional::<String>(
            "access-control-request-headers",
        ))
        .and_then(
            |method: Method, origin: Option<String>, acrm: Option<String>, acrh: Option<String>| {
                std::hint::black_box((&origin, &acrh));
                ready(if method == Method::OPTIONS && acrm.is_some() {
                    Err(warp::reject::custom(Preflight))
                } else {
                    Ok(origin)
                })
            },
        )
        .and(routes)
        .map(|origin: Option<String>, reply: R| {
            std::hint::black_box(origin);
            let mut response = reply.into_response();
            let headers = response.headers_mut();
            headers.insert(
                ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static(ORIGIN),
            );
            headers.append(VARY, HeaderValue::from_static("origin"));
            response
        })
        .or_else(|rejection: Rejection| {
            ready(match rejection.find::<Preflight>() {
                Some(Preflight) => {
                    let mut response = Response::default();
                    *response.status_mut() = StatusCode::NO_CONTENT;
                    let headers = response.headers_mut();
                    headers.insert(
                        ACCESS_CONTROL_ALLOW_ORIGIN,
                        HeaderValue::from_static(ORIGIN),
                    );
                    headers.append(VARY, HeaderValue::from_static("origin"));
                    Ok((response,))
                }
                None => Err(rejection),
            })
        })
}

/// The test request of `kind`.
fn test_request(kind: Kind) -> warp::test::RequestBuilder {
    let mut request = warp::test::request()
        .method(kind.method())
        .path(kind.path());
    for (name, value) in kind.headers() {
        request = request.header(*name, *value);
    }
    request
}

/// The `http` request of `kind`, for the tower route.
fn request(kind: Kind) -> Request<Empty<Bytes>> {
    let mut request = Request::builder().method(kind.method()).uri(kind.path());
    for (name, value) in kind.headers() {
        request = request.header(*name, *value);
    }
    request.body(Empty::new()).expect("a valid request")
}

macro_rules! filter_target {
    ($filter:expr) => {{
        let filter = $filter;
        let runtime = super::runtime();
        Box::new(move |kind| {
            runtime.block_on(async {
                let response = test_request(kind).reply(&filter).await;
                let seen = Seen::of(response.status(), response.headers());
                std::hint::black_box(response.into_body());
                seen
            })
        }) as Target
    }};
}

/// The app of `variant`, on its own single-threaded runtime.
pub fn target(variant: Variant) -> Target {
    match variant {
        Variant::None => filter_target!(routes()),
        Variant::Ours => filter_target!(routes().with(cors_warp::cors!(super::policy()))),
        Variant::Peer => filter_target!(routes().with(warp_cors())),
    }
}

/// The measurements only warp has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extra {
    /// The do-nothing wrapper from public filters.
    Floor,
    /// `warp::service(routes)` alone, through tower.
    Service,
    /// `warp::service(routes)` behind `cors_axum::CorsLayer`.
    ServiceOurs,
}

impl Extra {
    /// All three, in table order.
    pub const ALL: [Extra; 3] = [Extra::Floor, Extra::Service, Extra::ServiceOurs];

    /// The benchmark id.
    pub fn id(self) -> &'static str {
        match self {
            Extra::Floor => "floor",
            Extra::Service => "service",
            Extra::ServiceOurs => "service_ours",
        }
    }
}

/// The target of a warp-only measurement.
pub fn extra(extra: Extra) -> Target {
    match extra {
        Extra::Floor => filter_target!(floor(routes())),
        Extra::Service => super::tower_target(request, warp::service(routes())),
        Extra::ServiceOurs => super::tower_target(
            request,
            cors_axum::CorsLayer::new(super::policy()).layer(warp::service(routes())),
        ),
    }
}
