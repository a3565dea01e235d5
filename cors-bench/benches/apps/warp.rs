//! warp: the filter driven with `warp::test::request().reply`; the peer is `warp::cors`.
//! Both layers are added with `Filter::with`.
//!
//! One more measurement belongs to warp only, the tower route: `warp::service(routes)` behind `cors_axum::CorsLayer`, against
//!   `warp::service(routes)` alone, both driven with `tower::ServiceExt::oneshot`.

use bytes::Bytes;
use std::convert::Infallible;
use std::future::ready;

use http::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD,
    CONTENT_TYPE, ORIGIN as ORIGIN_HEADER,
};
use http::{HeaderMap, HeaderName, HeaderValue, Request, StatusCode};
use http_body_util::Empty;
use tower_layer::Layer;
use warp::reply::Response;
use warp::{Filter, Rejection, Reply};

use super::minimal::{self, Origin};
use super::{Kind, ORIGIN, Plan, Reply as Seen, Target, Variant};

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
        Variant::Floor => floor(),
        Variant::Minimal => minimal(),
    }
}

/// The measurements only warp has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extra {
    /// `warp::service(routes)` alone, through tower.
    Service,
    /// `warp::service(routes)` behind `cors_axum::CorsLayer`.
    ServiceOurs,
}

impl Extra {
    /// Both, in table order.
    pub const ALL: [Extra; 2] = [Extra::Service, Extra::ServiceOurs];

    /// The benchmark id.
    pub fn id(self) -> &'static str {
        match self {
            Extra::Service => "service",
            Extra::ServiceOurs => "service_ours",
        }
    }
}

/// The target of a warp-only measurement.
pub fn extra(extra: Extra) -> Target {
    match extra {
        Extra::Service => super::tower_target(request, warp::service(routes())),
        Extra::ServiceOurs => super::tower_target(
            request,
            cors_axum::CorsLayer::new(super::policy()).layer(warp::service(routes())),
        ),
    }
}

/// A [`Plan`] with its lines as `http` types, built once.
#[derive(Clone, Copy)]
struct Lines {
    respond: Option<StatusCode>,
    lines: &'static [(HeaderName, HeaderValue)],
}

impl Lines {
    fn new(plan: Plan) -> Self {
        Lines {
            respond: plan
                .respond
                .map(|s| StatusCode::from_u16(s).expect("a status")),
            lines: super::http_lines(plan.lines),
        }
    }

    fn write(self, origin: Option<HeaderValue>, mut response: Response) -> Response {
        let headers = response.headers_mut();
        if let Some(origin) = origin {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
        for (name, value) in self.lines {
            headers.insert(name.clone(), value.clone());
        }
        response
    }
}

/// The floor on warp, with `Filter` combinators as the adapter is: public filters only,
/// writing a [`Plan`]'s lines (the `Origin` read with `warp::header::value`, a
/// reference-count bump), a preflight answered without reaching the routes.
pub fn floor() -> Target {
    super::per_kind(|plan| {
        let lines = Lines::new(plan);
        match (lines.respond, plan.echo_origin) {
            (Some(status), _) => filter_target!(
                warp::header::value("origin")
                    .map(move |origin| {
                        let mut response = Response::default();
                        *response.status_mut() = status;
                        lines.write(Some(origin), response)
                    })
                    .or(routes().map(Reply::into_response))
                    .unify()
            ),
            (None, true) => filter_target!(warp::header::value("origin").and(routes()).map(
                move |origin, reply: _| lines.write(Some(origin), Reply::into_response(reply))
            )),
            (None, false) => filter_target!(
                routes().map(move |reply| lines.write(None, Reply::into_response(reply)))
            ),
        }
    })
}

/// The minimal correct layer on warp ([`minimal`]), with public filters only: every value
/// of `Origin` is visible only in a copy of the header map
/// (`warp::header::headers_cloned`); a preflight is answered by a first branch that
/// steps aside (warp's cost-free "not found") for anything else; the routes' rejections
/// are rendered so that a 404 gets the lines too.
pub fn minimal() -> Target {
    let actual = super::http_lines(minimal::actual_lines());
    let preflight_lines = super::http_lines(minimal::preflight_lines());
    let preflight = warp::options()
        .and(warp::header::headers_cloned())
        .and_then(move |headers: HeaderMap| {
            ready(answer_preflight(&headers, preflight_lines).ok_or_else(warp::reject::not_found))
        });
    let routes = routes()
        .map(|reply| Ok(Reply::into_response(reply)))
        .or_else(|rejection| ready(Ok::<_, Infallible>((Err(rejection),))));
    let actual = warp::header::headers_cloned().and(routes).then(
        move |mut request: HeaderMap, outcome: Result<Response, Rejection>| async move {
            let mut response = match outcome {
                Ok(response) => response,
                Err(rejection) => render(rejection).await,
            };
            let origin = match minimal::origin(request.get_all(ORIGIN_HEADER).iter()) {
                Origin::Allowed(_) => request.remove(ORIGIN_HEADER),
                _ => None,
            };
            minimal::finish_http(origin, actual, response.headers_mut());
            response
        },
    );
    filter_target!(preflight.or(actual).unify())
}

/// The answer to a preflight (`None`: not a preflight).
fn answer_preflight(
    headers: &HeaderMap,
    lines: &'static [(HeaderName, HeaderValue)],
) -> Option<Response> {
    let origin = minimal::origin(headers.get_all(ORIGIN_HEADER).iter());
    let mut method = headers
        .get_all(ACCESS_CONTROL_REQUEST_METHOD)
        .iter()
        .peekable();
    if !origin.is_present() || method.peek().is_none() {
        return None;
    }
    let mut response = Response::default();
    match origin {
        Origin::Allowed(origin)
            if minimal::preflight_allowed(
                method,
                headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS).iter(),
            ) =>
        {
            let out = response.headers_mut();
            out.append(ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
            for (name, value) in lines {
                out.append(name.clone(), value.clone());
            }
        }
        _ => *response.status_mut() = StatusCode::FORBIDDEN,
    }
    Some(response)
}

/// A rejection rendered as warp renders it, through `warp::service` (public API).
async fn render(rejection: Rejection) -> Response {
    use tower::Service;
    let slot = std::sync::Mutex::new(Some(rejection));
    let slot = std::sync::Arc::new(slot);
    let rejecting = warp::any().and_then(move || {
        let rejection = slot.lock().ok().and_then(|mut slot| slot.take());
        ready(Err::<Infallible, _>(
            rejection.unwrap_or_else(warp::reject::not_found),
        ))
    });
    let mut service = warp::service(rejecting);
    match tokio::spawn(async move { service.call(Request::new(String::new())).await }).await {
        Ok(Ok(response)) => response,
        Ok(Err(never)) => match never {},
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
