//! [`Answer`]: the policy's own response (a preflight, an early rejection), carried out of
//! the filter chain as a warp rejection so the routes never run.

use std::sync::Mutex;

use http::HeaderMap;
use warp::reply::Response;
use warp::{Rejection, Reply};

/// The response [`wrap`](crate::wrap) sends instead of running the routes. Warp's only way
/// to stop a filter chain is a rejection, so the answer travels as one, already a
/// response; the `Mutex` lets the final step take it out again.
#[derive(Debug)]
pub(crate) struct Answer(Mutex<Option<Response>>);

impl warp::reject::Reject for Answer {}

impl Answer {
    /// The rejection carrying the policy's `answer`, its mirrored values cloned from the
    /// request's headers.
    pub(crate) fn rejection(answer: &cors_core::Response<'_>, request: &HeaderMap) -> Rejection {
        // Without a body, warp's empty one: a `String` body, even an empty one, is boxed.
        let mut response = match answer.body() {
            Some(text) => http::Response::new(text).into_response(),
            None => Response::default(),
        };
        *response.status_mut() = answer.status();
        answer
            .headers()
            .write_to(response.headers_mut(), |which, _| which.clone_from(request));
        warp::reject::custom(Answer(Mutex::new(Some(response))))
    }

    /// The policy's answer, if `rejection` carries one; else the rejection, unchanged.
    pub(crate) fn take(rejection: Rejection) -> Result<Response, Rejection> {
        let response = rejection
            .find::<Answer>()
            .and_then(|answer| answer.0.lock().ok()?.take());
        response.ok_or(rejection)
    }
}
