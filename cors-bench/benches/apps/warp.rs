//! warp: the filter driven with `warp::test::request().reply`; the peer is `warp::cors`.
//! Both layers are added with `Filter::with`.
//!
//! One more measurement belongs to warp only, the tower route: `warp::service(routes)` behind `cors_axum::CorsLayer`, against
//!   `warp::service(routes)` alone, both driven with `tower::ServiceExt::oneshot`.

use bytes::Bytes;
use http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, CONTENT_TYPE};
use http::{HeaderName, HeaderValue, Request, StatusCode};
use http_body_util::Empty;
use tower_layer::Layer;
use warp::reply::Response;
use warp::{Filter, Rejection, Reply};

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
            lines: Vec::leak(
                plan.lines
                    .iter()
                    .map(|(n, v)| (HeaderName::from_static(n), HeaderValue::from_static(v)))
                    .collect(),
            ),
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
