//! [`ResponseFuture`]: the inner service's future, with the CORS headers applied to its
//! response, or the layer's own answer.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use cors_core::{Cors, Forward, Verdict, VerdictFuture};
use http::{HeaderValue, Response};
use pin_project_lite::pin_project;

/// What to add to the inner service's response.
pub(crate) struct Apply {
    pub(crate) cors: Cors,
    pub(crate) forward: Forward,
    /// The request's `Origin`, kept when the headers echo it.
    pub(crate) origin: Option<HeaderValue>,
}

pin_project! {
    /// The future of a [`CorsService`](crate::CorsService): the preflight answer, or the
    /// inner service's response with the CORS headers added.
    ///
    /// ```
    /// use axum::{Router, body::Body, http::Request, routing::get};
    /// use tower::{Layer, Service, ServiceExt};
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let cors = cors_core::CorsConfig::new().allowed_origins(["https://a.com"]).build()?;
    /// let router: Router = Router::new().route("/", get(|| async { "[]" }));
    /// let mut service = cors_axum::CorsLayer::new(cors).layer(router);
    /// let request = Request::get("/").header("origin", "https://a.com").body(Body::empty()).unwrap();
    /// let ready = ServiceExt::<Request<Body>>::ready(&mut service).await.unwrap();
    /// let future = ready.call(request); // a ResponseFuture
    /// let response = future.await.unwrap();
    /// assert_eq!(response.headers()["access-control-allow-origin"], "https://a.com");
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// # }).unwrap();
    /// ```
    pub struct ResponseFuture<F, B, R> {
        #[pin]
        kind: Kind<F, B, R>,
    }
}

pin_project! {
    #[project = KindProj]
    enum Kind<F, B, R> {
        Answer {
            response: Option<Response<B>>,
        },
        Inner {
            #[pin]
            future: F,
            apply: Option<Apply>,
        },
        // Waiting for the policy's asynchronous origin check, then going on as `resume`
        // decides (boxed: most requests never come here).
        Check {
            verdict: VerdictFuture,
            resume: Option<Box<R>>,
        },
    }
}

/// What a request waiting for the asynchronous origin check goes on with once the
/// verdict is in: classified again, answered or passed to the inner service.
pub(crate) trait Resume<F, B>: Sized {
    fn resume(self, verdict: Verdict) -> ResponseFuture<F, B, Self>;
}

impl<F, B, R> ResponseFuture<F, B, R> {
    pub(crate) fn answer(response: Response<B>) -> Self {
        ResponseFuture {
            kind: Kind::Answer {
                response: Some(response),
            },
        }
    }

    pub(crate) fn inner(future: F, apply: Option<Apply>) -> Self {
        ResponseFuture {
            kind: Kind::Inner { future, apply },
        }
    }

    pub(crate) fn check(verdict: VerdictFuture, resume: R) -> Self {
        ResponseFuture {
            kind: Kind::Check {
                verdict,
                resume: Some(Box::new(resume)),
            },
        }
    }
}

impl<F, B, E, R> Future for ResponseFuture<F, B, R>
where
    F: Future<Output = Result<Response<B>, E>>,
    R: Resume<F, B>,
{
    type Output = Result<Response<B>, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        loop {
            match self.as_mut().project().kind.project() {
                KindProj::Answer { response } => {
                    return Poll::Ready(Ok(response
                        .take()
                        .expect("ResponseFuture polled after completion")));
                }
                KindProj::Inner { future, apply } => {
                    let mut response = ready!(future.poll(cx))?;
                    if let Some(apply) = apply.take() {
                        apply
                            .forward
                            .write_to(&apply.cors, apply.origin, response.headers_mut());
                    }
                    return Poll::Ready(Ok(response));
                }
                KindProj::Check { verdict, resume } => {
                    let verdict = ready!(verdict.as_mut().poll(cx));
                    let resume = resume
                        .take()
                        .expect("ResponseFuture polled after completion");
                    let next = resume.resume(verdict);
                    self.as_mut().project().kind.set(next.kind);
                }
            }
        }
    }
}
