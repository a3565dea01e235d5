//! axum: the Router driven with `tower::ServiceExt::oneshot`; the peer is tower-http's
//! `CorsLayer`. Both layers are added with `Router::layer`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::routing::{get, put};
use http::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, AUTHORIZATION, CONTENT_TYPE, ORIGIN as ORIGIN_HEADER,
};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use tower_layer::Layer;

use super::{Kind, ORIGIN, Plan, Target, Variant};

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
        Variant::Floor => floor(),
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
        Variant::Floor => {
            super::per_kind(|plan| super::tower_target(request, FloorLayer::new(plan).layer(app())))
        }
    }
}

/// The floor on axum, with `Router::layer` like the adapter: a hand-written tower service
/// with a future of its own that writes a [`Plan`]'s lines (names and values built once).
pub fn floor() -> Target {
    super::per_kind(|plan| super::tower_target(request, app().layer(FloorLayer::new(plan))))
}

/// A [`Plan`] with its lines as `http` types, built once.
#[derive(Clone, Copy)]
pub struct FloorLayer {
    respond: Option<StatusCode>,
    echo_origin: bool,
    lines: &'static [(HeaderName, HeaderValue)],
}

impl FloorLayer {
    fn new(plan: Plan) -> Self {
        let lines: Vec<(HeaderName, HeaderValue)> = plan
            .lines
            .iter()
            .map(|(n, v)| (HeaderName::from_static(n), HeaderValue::from_static(v)))
            .collect();
        FloorLayer {
            respond: plan
                .respond
                .map(|s| StatusCode::from_u16(s).expect("a status")),
            echo_origin: plan.echo_origin,
            lines: Vec::leak(lines),
        }
    }

    fn write(&self, origin: Option<HeaderValue>, headers: &mut HeaderMap) {
        if let Some(origin) = origin {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
        for (name, value) in self.lines {
            headers.insert(name.clone(), value.clone());
        }
    }
}

impl<S> Layer<S> for FloorLayer {
    type Service = FloorService<S>;

    fn layer(&self, inner: S) -> FloorService<S> {
        FloorService { inner, plan: *self }
    }
}

/// The floor's service.
#[derive(Clone)]
pub struct FloorService<S> {
    inner: S,
    plan: FloorLayer,
}

impl<S, Q, B> tower::Service<Request<Q>> for FloorService<S>
where
    S: tower::Service<Request<Q>, Response = Response<B>>,
    B: Default,
{
    type Response = Response<B>;
    type Error = S::Error;
    type Future = FloorFuture<S::Future, B>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Q>) -> Self::Future {
        let origin = if self.plan.echo_origin {
            request.headers().get(ORIGIN_HEADER).cloned()
        } else {
            None
        };
        if let Some(status) = self.plan.respond {
            let mut response = Response::new(B::default());
            *response.status_mut() = status;
            self.plan.write(origin, response.headers_mut());
            return FloorFuture::Ready {
                response: Some(response),
            };
        }
        FloorFuture::Inner {
            future: self.inner.call(request),
            origin,
            plan: self.plan,
        }
    }
}

pin_project_lite::pin_project! {
    /// The floor's future: an answer of its own, or the app's with the lines added.
    #[project = FloorProjection]
    pub enum FloorFuture<F, B> {
        Ready { response: Option<Response<B>> },
        Inner { #[pin] future: F, origin: Option<HeaderValue>, plan: FloorLayer },
    }
}

impl<F, B, E> Future for FloorFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            FloorProjection::Ready { response } => {
                Poll::Ready(Ok(response.take().expect("polled after completion")))
            }
            FloorProjection::Inner {
                future,
                origin,
                plan,
            } => {
                let mut response = ready!(future.poll(cx))?;
                plan.write(origin.take(), response.headers_mut());
                Poll::Ready(Ok(response))
            }
        }
    }
}
