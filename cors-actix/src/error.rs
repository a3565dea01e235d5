//! [`CorsError`]: an error from inside the middleware that keeps its own response and
//! gains the CORS headers.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::HeaderValue;
use actix_web::{HttpResponse, ResponseError};
use cors_core::{Cors, Forward};

use crate::sink::{ActixHeaders, Values};

/// An error returned by the service inside [`CorsMiddleware`](crate::CorsMiddleware)
/// (an extractor, a guard, another middleware), passed on as an error so outer middleware
/// still sees it, whose response carries the CORS headers the request was due.
///
/// ```
/// use actix_web::dev::{Service, ServiceResponse};
/// use actix_web::{App, error, test, web};
/// use cors_actix::{CorsError, CorsMiddleware};
///
/// # actix_web::rt::System::new().block_on(async {
/// let cors = cors_core::CorsConfig::new().allowed_origins(["https://a.com"]).build().unwrap();
/// let app = test::init_service(
///     App::new()
///         .route("/", web::get().to(|| async { "ok" }))
///         .wrap_fn(|_, _| async { Err::<ServiceResponse, _>(error::ErrorUnauthorized("no token")) })
///         .wrap(CorsMiddleware::new(cors)),
/// )
/// .await;
/// let req = test::TestRequest::get().uri("/").insert_header(("origin", "https://a.com")).to_request();
/// let err = app.call(req).await.unwrap_err();
///
/// let response = err.error_response(); // what actix-web sends
/// assert_eq!(response.status(), 401);
/// assert_eq!(response.headers().get("access-control-allow-origin").unwrap(), "https://a.com");
/// assert_eq!(err.as_error::<CorsError>().unwrap().inner().to_string(), "no token");
/// # });
/// ```
pub struct CorsError {
    pub(crate) error: actix_web::Error,
    pub(crate) cors: Cors,
    pub(crate) forward: Forward,
    pub(crate) origin: Option<HeaderValue>,
}

impl CorsError {
    /// The error from inside (the example on [`CorsError`] shows it in a middleware).
    ///
    /// ```
    /// use actix_web::ResponseError;
    ///
    /// fn status_of(error: &cors_actix::CorsError) -> actix_web::http::StatusCode {
    ///     // the same status as the error inside: only the headers are added
    ///     error.inner().as_response_error().status_code()
    /// }
    /// ```
    pub fn inner(&self) -> &actix_web::Error {
        &self.error
    }
}

impl fmt::Debug for CorsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.error, f)
    }
}

impl fmt::Display for CorsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl ResponseError for CorsError {
    fn status_code(&self) -> StatusCode {
        self.error.as_response_error().status_code()
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = self.error.error_response();
        let origin = self.origin.as_ref().map_or(&b""[..], HeaderValue::as_bytes);
        self.forward
            .headers(&self.cors, origin)
            .write_into(&mut ActixHeaders {
                map: response.headers_mut(),
                values: &Values::default(),
                origin: self.origin.clone(),
            });
        response
    }
}
