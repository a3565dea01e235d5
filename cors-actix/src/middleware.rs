//! [`CorsMiddleware`] and [`CorsService`]: classify with cors-core, answer or forward.

use std::future::{Ready, ready};
use std::rc::Rc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderValue;
use actix_web::{Error, HttpResponse};
use cors_core::{Cors, Decision};

use crate::future::{Apply, CorsFuture};
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
    type Future = CorsFuture<S::Future, B>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let headers = req.headers();
        let mut joined = Vec::new();
        let path = req.path();
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
                let status =
                    StatusCode::from_u16(answer.status().as_u16()).unwrap_or(StatusCode::FORBIDDEN);
                let mut response = match answer.body() {
                    Some(text) => HttpResponse::with_body(status, text).map_into_boxed_body(),
                    None => HttpResponse::new(status),
                };
                let origin = headers
                    .get(request_name(cors_core::RequestHeader::Origin))
                    .cloned();
                answer.headers().write_into(&mut ActixHeaders {
                    map: response.headers_mut(),
                    values: &self.values,
                    origin,
                });
                CorsFuture::answer(req.into_response(response).map_into_right_body())
            }
            Decision::Forward(forward) => {
                let apply = Apply {
                    cors: self.cors.clone(),
                    forward,
                    origin: if forward.echoes_origin() {
                        headers
                            .get(request_name(cors_core::RequestHeader::Origin))
                            .cloned()
                    } else {
                        None
                    },
                    values: Rc::clone(&self.values),
                };
                CorsFuture::inner(self.service.call(req), Some(apply))
            }
        }
    }
}
