//! [`CorsFuture`]: the inner service's future with the CORS headers applied to its
//! response, or the middleware's own answer. A named future, so a request costs no box.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, ready};

use actix_web::Error;
use actix_web::body::EitherBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::header::HeaderValue;
use cors_core::{Cors, Forward, Verdict, VerdictFuture};
use pin_project_lite::pin_project;

use crate::error::CorsError;
use crate::sink::{ActixHeaders, Values};

/// What to add to the inner service's response.
pub(crate) struct Apply {
    pub(crate) cors: Cors,
    pub(crate) forward: Forward,
    /// The request's `Origin`, kept when the headers echo it.
    pub(crate) origin: Option<HeaderValue>,
    pub(crate) values: Rc<Values>,
}

pin_project! {
    /// The future of a [`CorsService`](crate::CorsService): the preflight answer, or the
    /// wrapped service's response with the CORS headers added.
    ///
    /// ```
    /// use actix_web::dev::Service;
    /// use actix_web::{App, test, web};
    ///
    /// # actix_web::rt::System::new().block_on(async {
    /// let cors = cors_core::CorsConfig::new().allowed_origins(["https://a.com"]).build()?;
    /// let app = test::init_service(
    ///     App::new()
    ///         .route("/", web::get().to(|| async { "[]" }))
    ///         .wrap(cors_actix::CorsMiddleware::new(cors)),
    /// )
    /// .await;
    /// let preflight = test::TestRequest::default()
    ///     .method(actix_web::http::Method::OPTIONS)
    ///     .insert_header(("origin", "https://a.com"))
    ///     .insert_header(("access-control-request-method", "PUT"))
    ///     .to_request();
    /// let future = app.call(preflight); // a CorsFuture
    /// let res = future.await.unwrap();
    /// assert_eq!(res.status(), 200);
    /// let methods = res.headers().get("access-control-allow-methods").unwrap();
    /// assert_eq!(methods, "DELETE, GET, OPTIONS, PATCH, POST, PUT");
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// # }).unwrap();
    /// ```
    pub struct CorsFuture<F, B, R> {
        #[pin]
        kind: Kind<F, B, R>,
    }
}

pin_project! {
    #[project = KindProj]
    enum Kind<F, B, R> {
        Answer {
            response: Option<ServiceResponse<EitherBody<B>>>,
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
/// verdict is in: classified again, answered or passed to the wrapped service.
pub(crate) trait Resume<F, B>: Sized {
    fn resume(self, verdict: Verdict) -> CorsFuture<F, B, Self>;
}

impl<F, B, R> CorsFuture<F, B, R> {
    pub(crate) fn answer(response: ServiceResponse<EitherBody<B>>) -> Self {
        CorsFuture {
            kind: Kind::Answer {
                response: Some(response),
            },
        }
    }

    /// The inner service's response, with `apply`'s headers (`None`: untouched).
    pub(crate) fn inner(future: F, apply: Option<Apply>) -> Self {
        CorsFuture {
            kind: Kind::Inner { future, apply },
        }
    }

    pub(crate) fn check(verdict: VerdictFuture, resume: R) -> Self {
        CorsFuture {
            kind: Kind::Check {
                verdict,
                resume: Some(Box::new(resume)),
            },
        }
    }
}

impl<F, B, R> Future for CorsFuture<F, B, R>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
    R: Resume<F, B>,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        loop {
            match self.as_mut().project().kind.project() {
                KindProj::Answer { response } => {
                    return Poll::Ready(Ok(response
                        .take()
                        .expect("CorsFuture polled after completion")));
                }
                KindProj::Check { verdict, resume } => {
                    let verdict = ready!(verdict.as_mut().poll(cx));
                    let resume = resume.take().expect("CorsFuture polled after completion");
                    let next = resume.resume(verdict);
                    self.as_mut().project().kind.set(next.kind);
                }
                KindProj::Inner { future, apply } => {
                    let result = ready!(future.poll(cx));
                    return Poll::Ready(match (result, apply.take()) {
                        (Ok(response), None) => Ok(response.map_into_left_body()),
                        (Ok(mut response), Some(apply)) => {
                            // The sink moves `origin` in where the headers echo it, so the
                            // bytes given to `headers` are not needed.
                            let Apply {
                                cors,
                                forward,
                                origin,
                                values,
                            } = apply;
                            forward.headers(&cors, b"").write_into(&mut ActixHeaders {
                                map: response.headers_mut(),
                                values: &values,
                                origin,
                            });
                            Ok(response.map_into_left_body())
                        }
                        (Err(error), None) => Err(error),
                        // An error from inside (a guard, another middleware) stays an error
                        // for outer middleware; its response gains the CORS headers.
                        (Err(error), Some(apply)) => Err(CorsError {
                            error,
                            cors: apply.cors,
                            forward: apply.forward,
                            origin: apply.origin,
                        }
                        .into()),
                    });
                }
            }
        }
    }
}
