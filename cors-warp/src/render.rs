//! [`render`]: a rejection turned into the response warp itself would send.

use std::convert::Infallible;
use std::future::ready;
use std::sync::{Arc, Mutex};

use http::StatusCode;
use tower_service::Service;
use warp::reply::Response;
use warp::{Filter, Rejection, Reply};

/// Renders `rejection` exactly as `warp::serve` would (status, text, content type; the
/// preference between combined rejections; `Unhandled rejection: ...` for custom ones).
///
/// Warp keeps its renderer private (`IsReject::into_response`); the public way to reach it
/// is [`warp::service`], which must not run inside another filter's request. So the
/// rejection is handed to a filter that rejects with it, served by `warp::service` on a
/// task of its own. This costs a task spawn, only on responses made from rejections
/// (unmatched paths and methods, failed extractors); routes that answer pay nothing.
pub(crate) async fn render(rejection: Rejection) -> Response {
    let slot = Arc::new(Mutex::new(Some(rejection)));
    let rejecting = warp::any().and_then(move || {
        let rejection = slot.lock().ok().and_then(|mut slot| slot.take());
        ready(Err::<Infallible, _>(
            rejection.unwrap_or_else(warp::reject::not_found),
        ))
    });
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let rendered = runtime.spawn(async move {
        let mut service = warp::service(rejecting);
        service.call(http::Request::new(String::new())).await
    });
    match rendered.await {
        Ok(Ok(response)) => response,
        Ok(Err(never)) => match never {},
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
