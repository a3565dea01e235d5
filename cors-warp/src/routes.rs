//! [`Routes`]: the error types a wrapped filter may have.

use std::convert::Infallible;
use std::future::ready;

use warp::reply::Response;
use warp::{Filter, Rejection, Reply};

/// The error type of a filter that [`wrap`](crate::wrap) accepts: [`Rejection`] (plain
/// routes) or [`Infallible`] (routes that already end in `.recover(...)`).
///
/// Sealed: there is nothing to implement.
///
/// ```
/// use warp::Filter;
///
/// let cors = cors_core::CorsConfig::new().allowed_origins(["https://a.com"]).build()?;
/// let items = warp::path!("api" / "items").map(|| "[]");
/// // Error = Rejection
/// let plain = items.with(cors_warp::cors!(cors.clone()));
/// // Error = Infallible: the app renders its own rejections
/// let recovered = items
///     .recover(|_| async { Ok::<_, std::convert::Infallible>(warp::reply::with_status("gone", warp::http::StatusCode::GONE)) })
///     .with(cors_warp::cors!(cors));
/// # let _ = (plain, recovered);
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
pub trait Routes: sealed::Sealed + Sized + Send + 'static {
    /// The routes' outcome as a value: a response, or the rejection (not yet rendered).
    #[doc(hidden)]
    fn outcome<F, R>(
        routes: F,
    ) -> impl Filter<Extract = (Outcome,), Error = Infallible> + Clone + Send + Sync + 'static
    where
        F: Filter<Extract = (R,), Error = Self> + Clone + Send + Sync + 'static,
        R: Reply + 'static;
}

/// What the routes produced.
pub(crate) type Outcome = Result<Response, Rejection>;

impl Routes for Rejection {
    fn outcome<F, R>(
        routes: F,
    ) -> impl Filter<Extract = (Outcome,), Error = Infallible> + Clone + Send + Sync + 'static
    where
        F: Filter<Extract = (R,), Error = Self> + Clone + Send + Sync + 'static,
        R: Reply + 'static,
    {
        routes
            .map(|reply: R| Ok(reply.into_response()))
            .or_else(|rejection| ready(Ok::<_, Infallible>((Err(rejection),))))
    }
}

impl Routes for Infallible {
    fn outcome<F, R>(
        routes: F,
    ) -> impl Filter<Extract = (Outcome,), Error = Infallible> + Clone + Send + Sync + 'static
    where
        F: Filter<Extract = (R,), Error = Self> + Clone + Send + Sync + 'static,
        R: Reply + 'static,
    {
        routes.map(|reply: R| Ok(reply.into_response()))
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for warp::Rejection {}
    impl Sealed for std::convert::Infallible {}
}
