//! The policy's own response (a preflight, an early rejection), made in place of the
//! routes' ([`respond`]), and carried out of the filter chain as a warp rejection
//! ([`Answer`]) where it is decided after the chain has started.

use std::sync::Mutex;

use http::HeaderMap;
use warp::reply::Response;
use warp::{Rejection, Reply};

/// The policy's `answer` as a warp response, its mirrored values cloned from the request's
/// headers.
pub(crate) fn respond(answer: &cors_core::Response<'_>, request: &HeaderMap) -> Response {
    // Without a body, warp's empty one: a `String` body, even an empty one, is boxed.
    let mut response = match answer.body() {
        Some(text) => http::Response::new(text).into_response(),
        None => Response::default(),
    };
    *response.status_mut() = answer.status();
    answer
        .headers()
        .write_to(response.headers_mut(), |which, _| which.clone_from(request));
    response
}

/// The response [`wrap`](crate::wrap) sends instead of running the routes when the
/// decision comes from the main chain (an actual request refused before the app). Warp's
/// only way to stop a filter chain is a rejection, so the answer travels as one; the
/// `Mutex` lets the final step take it out again.
#[derive(Debug)]
pub(crate) struct Answer(Mutex<Option<Response>>);

impl warp::reject::Reject for Answer {}

impl Answer {
    /// The rejection carrying the policy's `answer`, with the request's headers at hand for
    /// the values it mirrors.
    pub(crate) fn rejection(answer: &cors_core::Response<'_>, request: &HeaderMap) -> Rejection {
        warp::reject::custom(Answer(Mutex::new(Some(respond(answer, request)))))
    }

    /// The policy's answer, if `rejection` carries one; else the rejection, unchanged.
    pub(crate) fn take(rejection: Rejection) -> Result<Response, Rejection> {
        let response = rejection
            .find::<Answer>()
            .and_then(|answer| answer.0.lock().ok()?.take());
        response.ok_or(rejection)
    }
}
