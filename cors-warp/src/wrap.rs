//! [`wrap`]: the policy around a warp filter.

use std::future::{Future, ready};
use std::pin::Pin;

use cors_core::{Cors, Decision, Forward, Mirror, Pending, RequestHeader, Verdict};
use futures_util::future::Either;
use http::{HeaderMap, HeaderValue, Method};
use warp::path::FullPath;
use warp::reply::Response;
use warp::{Filter, Rejection, Reply};

use crate::answer::Answer;
use crate::render::render;
use crate::routes::{Outcome, Routes};

/// Puts `routes` behind the policy: preflights (and, with `csrf_protection`,
/// disallowed requests) are answered before `routes` runs; every other response, the
/// rendering of a rejection included, gets the policy's CORS headers.
///
/// This is what [`cors!`](crate::cors!) calls; use it directly when a function reads
/// better than `.with(...)`.
///
/// ```
/// use cors_core::CorsConfig;
/// use warp::Filter;
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), cors_core::ConfigErrors> {
/// let cors = CorsConfig::new().allowed_origins(["http://localhost:3000"]).build()?;
/// let items = warp::path!("api" / "items").and(warp::get()).map(|| "[]");
/// let app = cors_warp::wrap(cors, items);
///
/// let res = warp::test::request()
///     .path("/api/items")
///     .header("origin", "http://localhost:3000")
///     .reply(&app)
///     .await;
/// assert_eq!(res.headers()["access-control-allow-origin"], "http://localhost:3000");
///
/// // a 404 rendered from warp's rejection carries the headers too
/// let res = warp::test::request()
///     .path("/nope")
///     .header("origin", "http://localhost:3000")
///     .reply(&app)
///     .await;
/// assert_eq!(res.status(), 404);
/// assert_eq!(res.headers()["access-control-allow-origin"], "http://localhost:3000");
/// # Ok(()) }
/// ```
pub fn wrap<F, R>(
    cors: Cors,
    routes: F,
) -> impl Filter<Extract = (Response,), Error = Rejection> + Clone + Send + Sync + 'static
where
    F: Filter<Extract = (R,)> + Clone + Send + Sync + 'static,
    F::Error: Routes,
    R: Reply + 'static,
{
    // The path is read only when the policy looks at it (`urls_regex`); otherwise the
    // first branch steps aside with warp's cost-free "not found" rejection.
    let reads_path = cors.reads_path();
    let path = warp::any()
        .and_then(move || ready(reads_path.then_some(()).ok_or_else(warp::reject::not_found)))
        .untuple_one()
        .and(warp::path::full())
        .map(Some)
        .or(warp::any().map(|| None))
        .unify();
    let decide = {
        let cors = cors.clone();
        warp::method()
            .and(path)
            .and(warp::header::headers_cloned())
            .and_then(
                move |method: Method, path: Option<FullPath>, headers: HeaderMap| {
                    let full = path.as_ref().map_or("", routed);
                    match decide(&cors, None, &method, full, headers) {
                        Step::Done(go) => Either::Left(ready(go)),
                        // Only the policy's asynchronous origin check can tell: boxed, so
                        // that the requests that never come here carry no larger future.
                        Step::Check(waiting) => {
                            Either::Right(wait(cors.clone(), method, path, *waiting))
                        }
                    }
                },
            )
    };
    decide
        .and(F::Error::outcome(routes))
        .and_then(move |go: Go, outcome: Outcome| match (outcome, go) {
            // The routes' own response: finished here, without a future of its own.
            (Ok(mut response), go) => {
                go.write_to(&cors, response.headers_mut());
                Either::Left(ready(Ok(response)))
            }
            (Err(rejection), Go::Skip) => Either::Left(ready(Err(rejection))),
            // A rejection: rendered as warp renders it, then finished.
            (Err(rejection), go @ Go::Apply { .. }) => {
                let cors = cors.clone();
                Either::Right(async move {
                    let mut response = render(rejection).await;
                    go.write_to(&cors, response.headers_mut());
                    Ok(response)
                })
            }
        })
        .or_else(|rejection: Rejection| ready(Answer::take(rejection).map(|response| (response,))))
}

/// The path as warp routes it: its filters take `/api/me/` for `/api/me` (one trailing
/// slash is ignored), so `urls_regex` and `paths` see the route's path.
fn routed(path: &FullPath) -> &str {
    let full = path.as_str();
    full.strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(full)
}

/// What happens to the app's response.
enum Go {
    /// The path is outside the policy's `urls_regex`: leave the response alone.
    Skip,
    /// Write the policy's headers, with the request's `Origin` value kept if they echo it.
    Apply {
        forward: Forward,
        origin: Option<HeaderValue>,
    },
}

impl Go {
    fn write_to(self, cors: &Cors, headers: &mut HeaderMap) {
        if let Go::Apply { forward, origin } = self {
            forward.write_to(cors, origin, headers);
        }
    }
}

/// A request that waits for the policy's asynchronous origin check, then is classified
/// again with its verdict. Out of line and boxed, so that the requests that never wait
/// carry and move nothing more.
#[cold]
#[inline(never)]
fn wait(
    cors: Cors,
    method: Method,
    path: Option<FullPath>,
    (pending, headers): (Pending, HeaderMap),
) -> Pin<Box<dyn Future<Output = Result<Go, Rejection>> + Send>> {
    Box::pin(async move {
        let verdict = Some(pending.verdict().await);
        let full = path.as_ref().map_or("", routed);
        match decide(&cors, verdict, &method, full, headers) {
            Step::Done(go) => go,
            // never asked twice
            Step::Check(..) => Ok(Go::Skip),
        }
    })
}

/// What classifying a request came to.
enum Step {
    /// Go on to the routes, or stop with the policy's own answer (carried out of the
    /// filter chain as a rejection that only [`wrap`] ever sees).
    Done(Result<Go, Rejection>),
    /// Ask the policy's asynchronous origin check, then classify again with its verdict
    /// (boxed: the requests that never wait move a smaller value).
    Check(Box<(Pending, HeaderMap)>),
}

/// Classifies the request, with the verdict of the asynchronous origin check once asked.
fn decide(
    cors: &Cors,
    verdict: Option<Verdict>,
    method: &Method,
    path: &str,
    mut headers: HeaderMap,
) -> Step {
    let mut joined = Vec::new();
    let lines = |header: RequestHeader| {
        headers
            .get_all(header.name())
            .iter()
            .map(HeaderValue::as_bytes)
    };
    let decision = match verdict {
        None => cors.classify_lines(method.as_str(), path, None, &mut joined, lines),
        Some(verdict) => {
            cors.classify_lines_checked(verdict, method.as_str(), path, None, &mut joined, lines)
        }
    };
    Step::Done(match decision {
        Decision::Skip => Ok(Go::Skip),
        Decision::Forward(forward) => Ok(Go::Apply {
            forward,
            // The map is this request's own copy: the value is moved out, not cloned.
            origin: if forward.echoes_origin() {
                headers.remove(Mirror::Origin.request_header())
            } else {
                None
            },
        }),
        Decision::Respond(answer) => Err(Answer::rejection(&answer, &headers)),
        Decision::Check(pending) => return Step::Check(Box::new((pending, headers))),
    })
}
