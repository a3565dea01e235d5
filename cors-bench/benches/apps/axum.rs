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
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD,
    AUTHORIZATION, CONTENT_TYPE, ORIGIN as ORIGIN_HEADER,
};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use tower_layer::Layer;

use super::minimal::{self, Origin};
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
        Variant::Minimal => minimal(),
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
        Variant::Minimal => super::tower_target(request, MinimalLayer::new().layer(app())),
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
        FloorLayer {
            respond: plan
                .respond
                .map(|s| StatusCode::from_u16(s).expect("a status")),
            echo_origin: plan.echo_origin,
            lines: super::http_lines(plan.lines),
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
    type Future = LayerFuture<S::Future, B, FloorLayer>;

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
            return LayerFuture::Ready {
                response: Some(response),
            };
        }
        LayerFuture::Inner {
            future: self.inner.call(request),
            origin,
            layer: self.plan,
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of a benchmark layer (the floor, the minimal correct layer): an answer
    /// of its own, or the app's response finished by the layer.
    #[project = LayerProjection]
    pub enum LayerFuture<F, B, L> {
        Ready { response: Option<Response<B>> },
        Inner { #[pin] future: F, origin: Option<HeaderValue>, layer: L },
    }
}

/// What a benchmark layer writes on the app's response, given the request's `Origin`
/// value when it echoes it.
pub trait Finish: Copy {
    /// Writes the layer's lines.
    fn finish(self, origin: Option<HeaderValue>, headers: &mut HeaderMap);
}

impl Finish for FloorLayer {
    fn finish(self, origin: Option<HeaderValue>, headers: &mut HeaderMap) {
        self.write(origin, headers);
    }
}

impl<F, B, E, L> Future for LayerFuture<F, B, L>
where
    F: Future<Output = Result<Response<B>, E>>,
    L: Finish,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            LayerProjection::Ready { response } => {
                Poll::Ready(Ok(response.take().expect("polled after completion")))
            }
            LayerProjection::Inner {
                future,
                origin,
                layer,
            } => {
                let mut response = ready!(future.poll(cx))?;
                layer.finish(origin.take(), response.headers_mut());
                Poll::Ready(Ok(response))
            }
        }
    }
}

/// The minimal correct layer on axum ([`minimal`]), with `Router::layer` like the adapter.
pub fn minimal() -> Target {
    super::tower_target(request, app().layer(MinimalLayer::new()))
}

/// The minimal correct layer's lines, built once.
#[derive(Clone, Copy)]
pub struct MinimalLayer {
    actual: &'static [(HeaderName, HeaderValue)],
    preflight: &'static [(HeaderName, HeaderValue)],
}

impl MinimalLayer {
    fn new() -> Self {
        MinimalLayer {
            actual: super::http_lines(minimal::actual_lines()),
            preflight: super::http_lines(minimal::preflight_lines()),
        }
    }
}

impl<S> Layer<S> for MinimalLayer {
    type Service = MinimalService<S>;

    fn layer(&self, inner: S) -> MinimalService<S> {
        MinimalService {
            inner,
            layer: *self,
        }
    }
}

/// The minimal correct layer's service.
#[derive(Clone)]
pub struct MinimalService<S> {
    inner: S,
    layer: MinimalLayer,
}

impl<S, Q, B> tower::Service<Request<Q>> for MinimalService<S>
where
    S: tower::Service<Request<Q>, Response = Response<B>>,
    B: Default,
{
    type Response = Response<B>;
    type Error = S::Error;
    type Future = LayerFuture<S::Future, B, MinimalLayer>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Q>) -> Self::Future {
        let headers = request.headers();
        let origin = minimal::origin(headers.get_all(ORIGIN_HEADER).iter());
        if request.method() == Method::OPTIONS && origin.is_present() {
            let mut method = headers
                .get_all(ACCESS_CONTROL_REQUEST_METHOD)
                .iter()
                .peekable();
            if method.peek().is_some() {
                let mut response = Response::new(B::default());
                let allowed = match origin {
                    Origin::Allowed(origin)
                        if minimal::preflight_allowed(
                            method,
                            headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS).iter(),
                        ) =>
                    {
                        Some(origin.clone())
                    }
                    _ => None,
                };
                match allowed {
                    Some(origin) => {
                        let out = response.headers_mut();
                        out.append(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
                        for (name, value) in self.layer.preflight {
                            out.append(name.clone(), value.clone());
                        }
                    }
                    None => *response.status_mut() = StatusCode::FORBIDDEN,
                }
                return LayerFuture::Ready {
                    response: Some(response),
                };
            }
        }
        let origin = match origin {
            Origin::Allowed(origin) => Some(origin.clone()),
            _ => None,
        };
        LayerFuture::Inner {
            future: self.inner.call(request),
            origin,
            layer: self.layer,
        }
    }
}

impl Finish for MinimalLayer {
    fn finish(self, origin: Option<HeaderValue>, headers: &mut HeaderMap) {
        minimal::finish_http(origin, self.actual, headers);
    }
}
