//! [`ResponseFuture`]: the inner service's future, with the CORS headers applied to its
//! response, or the layer's own answer.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use cors_core::{Cors, Forward};
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
    pub struct ResponseFuture<F, B> {
        #[pin]
        kind: Kind<F, B>,
    }
}

pin_project! {
    #[project = KindProj]
    enum Kind<F, B> {
        Answer {
            response: Option<Response<B>>,
        },
        Inner {
            #[pin]
            future: F,
            apply: Option<Apply>,
        },
    }
}

impl<F, B> ResponseFuture<F, B> {
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
}

impl<F, B, E> Future for ResponseFuture<F, B>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().kind.project() {
            KindProj::Answer { response } => Poll::Ready(Ok(response
                .take()
                .expect("ResponseFuture polled after completion"))),
            KindProj::Inner { future, apply } => {
                let mut response = ready!(future.poll(cx))?;
                if let Some(apply) = apply.take() {
                    apply
                        .forward
                        .write_to(&apply.cors, apply.origin, response.headers_mut());
                }
                Poll::Ready(Ok(response))
            }
        }
    }
}
