//! [`CorsLayer`] and [`CorsService`]: classify with cors-core, answer or forward.

use std::task::{Context, Poll};

use cors_core::{Cors, Decision, Mirror, Pending, Verdict};
use http::{HeaderMap, HeaderValue, Request, Response};
use tower_layer::Layer;
use tower_service::Service;

use crate::future::{Apply, ResponseFuture, Resume};

/// A [`tower::Layer`](tower_layer::Layer) applying a [`Cors`] policy to a service.
///
/// ```
/// use axum::{Router, routing::get};
/// use cors_axum::CorsLayer;
/// use cors_core::CorsConfig;
///
/// let cors = CorsConfig::new().allowed_origins(["http://localhost:3000"]).build()?;
/// let app: Router = Router::new()
///     .route("/api/items", get(|| async { "[]" }))
///     .layer(CorsLayer::new(cors));
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
#[derive(Debug, Clone)]
pub struct CorsLayer {
    cors: Cors,
}

impl CorsLayer {
    /// Wraps a built policy. Cloning the layer or its services clones the policy's `Arc`.
    ///
    /// ```
    /// let cors = cors_core::CorsConfig::new().allow_all_origins(true).build()?;
    /// let layer = cors_axum::CorsLayer::new(cors);
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn new(cors: Cors) -> Self {
        CorsLayer { cors }
    }
}

impl<S> Layer<S> for CorsLayer {
    type Service = CorsService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        CorsService {
            inner,
            cors: self.cors.clone(),
        }
    }
}

/// The service [`CorsLayer`] makes: answers preflights itself and adds the CORS headers to
/// every response of the inner service.
///
/// It works for any `tower::Service<http::Request<_>>`, not only axum routers, that is
/// `Clone` (a request waiting for the policy's asynchronous origin check takes the service
/// made ready with it) and whose response body can be empty (`Default`, a preflight's
/// answer) and made from a `String` (the reason shown in debug mode): axum's `Body`,
/// `String`, `http_body_util::Full`, warp's body. The response keeps the inner service's
/// body type, so axum does not box it again:
///
/// ```
/// use cors_axum::CorsLayer;
/// use cors_core::CorsConfig;
/// use tower::{ServiceBuilder, ServiceExt, service_fn};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let cors = CorsConfig::new().allowed_origins(["https://app.example.com"]).build()?;
/// let svc = ServiceBuilder::new().layer(CorsLayer::new(cors)).service(service_fn(|_req| async {
///     Ok::<_, std::convert::Infallible>(http::Response::new(String::from("hello")))
/// }));
/// let req = http::Request::get("/").header("origin", "https://app.example.com").body(())?;
/// let res = svc.oneshot(req).await?;
/// assert_eq!(res.headers()["access-control-allow-origin"], "https://app.example.com");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct CorsService<S> {
    inner: S,
    cors: Cors,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for CorsService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>> + Clone,
    ResBody: Default + From<String>,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future, ResBody, Waiting<S, ReqBody>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<ReqBody>) -> Self::Future {
        let mut joined = Vec::new();
        let headers = req.headers();
        let (decision, origin) = self.cors.classify_http(
            req.method(),
            original_path(&req),
            req.uri().authority().map(|a| a.as_str()),
            headers,
            &mut joined,
        );
        let apply = match decision {
            Decision::Skip => None,
            Decision::Respond(answer) => {
                return ResponseFuture::answer(respond(&answer, origin, headers));
            }
            Decision::Forward(forward) => Some(Apply {
                cors: self.cors.clone(),
                forward,
                origin: origin.filter(|_| forward.echoes_origin()).cloned(),
            }),
            Decision::Check(pending) => return wait(&mut self.inner, &self.cors, pending, req),
        };
        ResponseFuture::inner(self.inner.call(req), apply)
    }
}

/// A request that waits for the policy's asynchronous origin check: the service made
/// ready (`inner`) goes with it, the layer keeps a clone. Out of line, so that the requests
/// that never wait move nothing more.
#[cold]
#[inline(never)]
fn wait<S, ReqBody, ResBody>(
    inner: &mut S,
    cors: &Cors,
    pending: Pending,
    req: Request<ReqBody>,
) -> ResponseFuture<S::Future, ResBody, Waiting<S, ReqBody>>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>> + Clone,
{
    let clone = inner.clone();
    let ready = std::mem::replace(inner, clone);
    let waiting = Waiting {
        cors: cors.clone(),
        inner: ready,
        req,
    };
    ResponseFuture::check(pending.verdict(), waiting)
}

/// The layer's own answer: a preflight's, or a refusal's.
// Inlined: built where the answer is returned, not moved there.
#[inline(always)]
fn respond<B: Default + From<String>>(
    answer: &cors_core::Response<'_>,
    origin: Option<&HeaderValue>,
    headers: &HeaderMap,
) -> Response<B> {
    let body = answer.body().map_or_else(B::default, B::from);
    let mut response = Response::new(body);
    *response.status_mut() = answer.status();
    answer
        .headers()
        .write_to(response.headers_mut(), |which: Mirror, _| match which {
            Mirror::Origin => origin.cloned(),
            Mirror::RequestMethod | Mirror::RequestHeaders => which.clone_from(headers),
        });
    response
}

/// A request waiting for the policy's
/// [`AsyncOriginPredicate`](cors_core::AsyncOriginPredicate), with the service that will
/// take it (part of [`ResponseFuture`]'s type; nothing to do with it).
#[derive(Debug)]
pub struct Waiting<S, ReqBody> {
    cors: Cors,
    inner: S,
    req: Request<ReqBody>,
}

impl<S, ReqBody, ResBody> Resume<S::Future, ResBody> for Waiting<S, ReqBody>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: Default + From<String>,
{
    fn resume(self, verdict: Verdict) -> ResponseFuture<S::Future, ResBody, Self> {
        let Waiting {
            cors,
            mut inner,
            req,
        } = self;
        let mut joined = Vec::new();
        let headers = req.headers();
        let (decision, origin) = cors.classify_http_checked(
            verdict,
            req.method(),
            original_path(&req),
            req.uri().authority().map(|a| a.as_str()),
            headers,
            &mut joined,
        );
        let apply = match decision {
            Decision::Respond(answer) => {
                return ResponseFuture::answer(respond(&answer, origin, headers));
            }
            Decision::Forward(forward) => Some(Apply {
                origin: origin.filter(|_| forward.echoes_origin()).cloned(),
                cors: cors.clone(),
                forward,
            }),
            // `classify_http_checked` never asks again
            Decision::Skip | Decision::Check(_) => None,
        };
        ResponseFuture::inner(inner.call(req), apply)
    }
}

/// The path before a `Router::nest` stripped its prefix (axum's `OriginalUri`), else the
/// request's own: `urls_regex` is written for the paths the browser asks for.
fn original_path<B>(req: &Request<B>) -> &str {
    #[cfg(feature = "axum")]
    if let Some(axum::extract::OriginalUri(uri)) = req.extensions().get() {
        return uri.path();
    }
    req.uri().path()
}
