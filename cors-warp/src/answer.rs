//! [`Answer`]: the policy's own response (a preflight, an early rejection), carried out of
//! the filter chain as a warp rejection so the routes never run.

use std::sync::Mutex;

use http::{HeaderMap, StatusCode};
use warp::reply::Response;
use warp::{Rejection, Reply};

/// The response [`wrap`](crate::wrap) sends instead of running the routes. Warp's only way
/// to stop a filter chain is a rejection, so the answer travels as one; the `Mutex` lets
/// the final step take it out again without copying the headers.
#[derive(Debug)]
pub(crate) struct Answer(Mutex<Option<Parts>>);

#[derive(Debug)]
struct Parts {
    status: StatusCode,
    headers: HeaderMap,
    body: Option<String>,
}

impl warp::reject::Reject for Answer {}

impl Answer {
    /// The rejection carrying the policy's `answer`, with the request's headers at hand for
    /// the values it mirrors.
    pub(crate) fn rejection(answer: &cors_core::Response<'_>, request: &HeaderMap) -> Rejection {
        let mut headers = HeaderMap::new();
        answer
            .headers()
            .write_to(&mut headers, |which, _| which.clone_from(request));
        warp::reject::custom(Answer(Mutex::new(Some(Parts {
            status: answer.status(),
            headers,
            body: answer.body(),
        }))))
    }

    /// The policy's answer, if `rejection` carries one; else the rejection, unchanged.
    pub(crate) fn take(rejection: Rejection) -> Result<Response, Rejection> {
        let parts = rejection
            .find::<Answer>()
            .and_then(|answer| answer.0.lock().ok()?.take());
        let Some(parts) = parts else {
            return Err(rejection);
        };
        let mut response = http::Response::new(parts.body.unwrap_or_default()).into_response();
        *response.status_mut() = parts.status;
        *response.headers_mut() = parts.headers;
        Ok(response)
    }
}
