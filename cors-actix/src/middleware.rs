//! [`CorsMiddleware`] and [`CorsService`]: classify with cors-core, answer or forward.

use std::future::{Ready, ready};
use std::rc::Rc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderMap, HeaderValue};
use actix_web::{Error, HttpResponse};
use cors_core::{Cors, Decision, Forward, Verdict};

use crate::future::{Apply, CorsFuture, Resume};
use crate::sink::{ActixHeaders, Values, request_name};

/// An actix-web middleware applying a [`Cors`] policy, for `App::wrap` and `Scope::wrap`.
///
/// ```
/// use actix_web::{App, web};
/// use cors_actix::CorsMiddleware;
/// use cors_core::CorsConfig;
///
/// let cors = CorsConfig::new().allowed_origins(["http://localhost:3000"]).build()?;
/// let app = App::new()
///     .wrap(CorsMiddleware::new(cors))
///     .route("/api/items", web::get().to(|| async { "[]" }));
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
#[derive(Debug, Clone)]
pub struct CorsMiddleware {
    cors: Cors,
}

impl CorsMiddleware {
    /// Wraps a built policy. Cloning it (actix does, per worker) clones the policy's `Arc`.
    ///
    /// ```
    /// let cors = cors_core::CorsConfig::new().allow_all_origins(true).build()?;
    /// let middleware = cors_actix::CorsMiddleware::new(cors);
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn new(cors: Cors) -> Self {
        CorsMiddleware { cors }
    }
}

impl<S, B> Transform<S, ServiceRequest> for CorsMiddleware
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = CorsService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(CorsService {
            service: Rc::new(service),
            cors: self.cors.clone(),
            values: Rc::new(Values::of(&self.cors)),
        }))
    }
}

/// The service [`CorsMiddleware`] makes: answers preflights itself and adds the CORS
/// headers to every response of the wrapped service, errors included.
///
/// ```
/// use actix_web::{App, test, web};
///
/// # actix_web::rt::System::new().block_on(async {
/// let cors = cors_core::CorsConfig::new().allowed_origins(["https://a.com"]).build()?;
/// // `init_service` starts the app: a `CorsService` around its routes
/// let app = test::init_service(
///     App::new()
///         .route("/", web::get().to(|| async { "[]" }))
///         .wrap(cors_actix::CorsMiddleware::new(cors)),
/// )
/// .await;
/// let req = test::TestRequest::get().insert_header(("origin", "https://a.com")).to_request();
/// let res = test::call_service(&app, req).await;
/// assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "https://a.com");
/// # Ok::<(), cors_core::ConfigErrors>(())
/// # }).unwrap();
/// ```
#[derive(Debug)]
pub struct CorsService<S> {
    service: Rc<S>,
    cors: Cors,
    values: Rc<Values>,
}

impl<S, B> Service<ServiceRequest> for CorsService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = CorsFuture<S::Future, B, Waiting<S>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let headers = req.headers();
        let mut joined = Vec::new();
        // The path as actix-web routes it: decoded but for `%`, `/` and `+`.
        let path = req.match_info().as_str();
        let decision = self.cors.classify_lines(
            req.method().as_str(),
            path,
            req.uri().authority().map(|a| a.as_str()),
            &mut joined,
            |header| {
                headers
                    .get_all(request_name(header))
                    .map(HeaderValue::as_bytes)
            },
        );
        match decision {
            Decision::Skip => CorsFuture::inner(self.service.call(req), None),
            Decision::Respond(answer) => {
                let response = respond(&answer, headers, &self.values);
                CorsFuture::answer(req.into_response(response).map_into_right_body())
            }
            Decision::Forward(forward) => {
                let apply = apply(&self.cors, forward, headers, &self.values);
                CorsFuture::inner(self.service.call(req), Some(apply))
            }
            Decision::Check(pending) => CorsFuture::check(
                pending.verdict(),
                Waiting {
                    service: Rc::clone(&self.service),
                    cors: self.cors.clone(),
                    values: Rc::clone(&self.values),
                    req,
                },
            ),
        }
    }
}

/// The middleware's own answer: a preflight's, or a refusal's.
#[inline]
fn respond(answer: &cors_core::Response<'_>, headers: &HeaderMap, values: &Values) -> HttpResponse {
    let status = StatusCode::from_u16(answer.status().as_u16()).unwrap_or(StatusCode::FORBIDDEN);
    let mut response = match answer.body() {
        Some(text) => HttpResponse::with_body(status, text).map_into_boxed_body(),
        None => HttpResponse::new(status),
    };
    let origin = headers
        .get(request_name(cors_core::RequestHeader::Origin))
        .cloned();
    answer.headers().write_into(&mut ActixHeaders {
        map: response.headers_mut(),
        values,
        origin,
    });
    response
}

/// What to add to the wrapped service's response.
#[inline]
fn apply(cors: &Cors, forward: Forward, headers: &HeaderMap, values: &Rc<Values>) -> Apply {
    Apply {
        cors: cors.clone(),
        forward,
        origin: if forward.echoes_origin() {
            headers
                .get(request_name(cors_core::RequestHeader::Origin))
                .cloned()
        } else {
            None
        },
        values: Rc::clone(values),
    }
}

/// A request waiting for the policy's
/// [`AsyncOriginPredicate`](cors_core::AsyncOriginPredicate), with the service that will
/// take it (part of [`CorsFuture`]'s type; nothing to do with it).
pub struct Waiting<S> {
    service: Rc<S>,
    cors: Cors,
    values: Rc<Values>,
    req: ServiceRequest,
}

impl<S> std::fmt::Debug for Waiting<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Waiting")
            .field("req", &self.req)
            .finish_non_exhaustive()
    }
}

impl<S, B> Resume<S::Future, B> for Waiting<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    fn resume(self, verdict: Verdict) -> CorsFuture<S::Future, B, Self> {
        let Waiting {
            service,
            cors,
            values,
            req,
        } = self;
        let headers = req.headers();
        let mut joined = Vec::new();
        let decision = cors.classify_lines_checked(
            verdict,
            req.method().as_str(),
            req.match_info().as_str(),
            req.uri().authority().map(|a| a.as_str()),
            &mut joined,
            |header| {
                headers
                    .get_all(request_name(header))
                    .map(HeaderValue::as_bytes)
            },
        );
        match decision {
            Decision::Respond(answer) => {
                let response = respond(&answer, headers, &values);
                CorsFuture::answer(req.into_response(response).map_into_right_body())
            }
            Decision::Forward(forward) => {
                let apply = apply(&cors, forward, headers, &values);
                CorsFuture::inner(service.call(req), Some(apply))
            }
            // `classify_lines_checked` never asks again
            Decision::Skip | Decision::Check(_) => CorsFuture::inner(service.call(req), None),
        }
    }
}
