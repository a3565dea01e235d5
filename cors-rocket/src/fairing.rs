//! [`CorsFairing`] and the catch-all route it mounts.

use std::io::Cursor;
use std::sync::atomic::{AtomicIsize, Ordering};

use cors_core::{Cors, Decision, Forward, Pending};
use rocket::fairing::{self, Fairing, Info, Kind};
use rocket::http::{Method, Status};
use rocket::route::{Handler, Outcome, Route};
use rocket::{Build, Data, Request, Response, Rocket};

use crate::sink::{RocketHeaders, classify};

/// Ranks handed to fairings, each its own, so several can be attached.
static NEXT_RANK: AtomicIsize = AtomicIsize::new(-1000);

/// What a fairing's route decided for a request (by that fairing's rank), so that its
/// `on_response` need not classify the request again.
struct Decided {
    rank: isize,
    /// The plan for the app's response; `None` when the route answered or skipped.
    forward: Option<Forward>,
}

/// What a Rocket user attaches: answers preflights before any application route and puts
/// the CORS headers on every response. See the [crate docs](crate) for how.
///
/// ```
/// use cors_rocket::CorsFairing;
///
/// let cors = cors_core::CorsConfig::new().allowed_origins(["http://localhost:3000"]).build()?;
/// let rocket = rocket::build().attach(CorsFairing::new(cors));
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
#[derive(Debug, Clone)]
pub struct CorsFairing {
    cors: Cors,
    rank: isize,
    /// The methods this fairing's routes see first, fixed by the policy.
    routed: &'static [Method],
}

impl CorsFairing {
    /// Wraps a built policy.
    ///
    /// ```
    /// let cors = cors_core::CorsConfig::new().allow_all_origins(true).build()?;
    /// let fairing = cors_rocket::CorsFairing::new(cors);
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn new(cors: Cors) -> Self {
        CorsFairing {
            routed: routed(&cors),
            cors,
            rank: NEXT_RANK.fetch_sub(1, Ordering::Relaxed),
        }
    }

    /// The catch-all routes that answer what the policy answers itself: OPTIONS for
    /// preflights, and every method Rocket routes when the policy rejects disallowed
    /// requests before the app, HEAD included: Rocket retries HEAD as GET only when no
    /// HEAD route answered, so an app's own `#[head]` route would otherwise never meet the
    /// policy.
    fn routes(&self) -> Vec<Route> {
        self.routed
            .iter()
            .map(|&method| {
                let mut route = Route::ranked(self.rank, method, "/<_..>", self.clone());
                route.name = Some("cors_rocket::CorsFairing".into());
                route
            })
            .collect()
    }
}

/// The methods a fairing's catch-all routes take: OPTIONS for preflights, and the unsafe
/// methods Rocket routes when `csrf_protection` may refuse them (GET and HEAD never are).
fn routed(cors: &Cors) -> &'static [Method] {
    if cors.csrf_protection() {
        &[
            Method::Put,
            Method::Post,
            Method::Delete,
            Method::Options,
            Method::Trace,
            Method::Patch,
        ]
    } else {
        &[Method::Options]
    }
}

#[rocket::async_trait]
impl Fairing for CorsFairing {
    fn info(&self) -> Info {
        Info {
            name: "CORS (cors-rocket)",
            kind: Kind::Ignite | Kind::Response,
        }
    }

    async fn on_ignite(&self, rocket: Rocket<Build>) -> fairing::Result {
        Ok(rocket.mount("/", self.routes()))
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        // Requests this fairing's routes saw carry their decision; for the others (most
        // actual requests) classifying again is cheaper than Rocket's request-local cache.
        let decided = if self.routed.contains(&req.method()) {
            let decided = req.local_cache(|| Decided {
                rank: 0,
                forward: None,
            });
            (decided.rank == self.rank).then_some(decided.forward)
        } else {
            None
        };
        let forward = match decided {
            Some(forward) => forward,
            // This fairing's route did not decide: a method it does not route, or another
            // fairing's route decided first. Ask the policy here; what it would answer
            // itself was not answered by this fairing, so it is left alone.
            None => {
                let pending = {
                    let (mut joined, mut routed) = (Vec::new(), String::new());
                    match classify(&self.cors, req, None, &mut joined, &mut routed) {
                        Decision::Forward(forward) => Ok(Some(forward)),
                        Decision::Check(pending) => Err(pending),
                        Decision::Respond(_) | Decision::Skip => Ok(None),
                    }
                };
                match pending {
                    Ok(forward) => forward,
                    // Boxed: the requests that never wait carry no larger future.
                    Err(pending) => Box::pin(checked_forward(&self.cors, req, pending)).await,
                }
            }
        };
        if let Some(forward) = forward {
            // Looked up again only where the answer echoes it.
            let origin = forward
                .echoes_origin()
                .then(|| req.headers().get_one("origin"))
                .flatten();
            forward
                .headers(&self.cors, origin.unwrap_or_default().as_bytes())
                .write_into(&mut RocketHeaders {
                    response: res,
                    origin,
                });
        }
    }
}

/// The plan for the app's response once the asynchronous origin check said its verdict.
async fn checked_forward(cors: &Cors, req: &Request<'_>, pending: Pending) -> Option<Forward> {
    let verdict = pending.verdict().await;
    let (mut joined, mut routed) = (Vec::new(), String::new());
    match classify(cors, req, Some(verdict), &mut joined, &mut routed) {
        Decision::Forward(forward) => Some(forward),
        Decision::Respond(_) | Decision::Skip | Decision::Check(_) => None,
    }
}

impl CorsFairing {
    /// What the route does with a decision: keeps the plan for `on_response`, answers
    /// what the policy answers itself, passes the rest on to the application's routes.
    fn route<'r>(
        &self,
        req: &'r Request<'_>,
        data: Data<'r>,
        decision: Decision<'_>,
    ) -> Outcome<'r> {
        let forward = match decision {
            Decision::Forward(forward) => Some(forward),
            Decision::Respond(_) | Decision::Skip | Decision::Check(_) => None,
        };
        req.local_cache(|| Decided {
            rank: self.rank,
            forward,
        });
        let Decision::Respond(answer) = decision else {
            return Outcome::forward(data, Status::NotFound);
        };
        let mut response = Response::build()
            .status(Status::new(answer.status().as_u16()))
            .finalize();
        answer.headers().write_into(&mut RocketHeaders {
            response: &mut response,
            origin: req.headers().get_one("origin"),
        });
        if let Some(body) = answer.body() {
            response.set_sized_body(body.len(), Cursor::new(body));
        }
        Outcome::Success(response)
    }

    /// The route, once the asynchronous origin check said its verdict.
    async fn route_checked<'r>(
        &self,
        req: &'r Request<'_>,
        data: Data<'r>,
        pending: Pending,
    ) -> Outcome<'r> {
        let verdict = pending.verdict().await;
        let (mut joined, mut routed) = (Vec::new(), String::new());
        let decision = classify(&self.cors, req, Some(verdict), &mut joined, &mut routed);
        self.route(req, data, decision)
    }
}

#[rocket::async_trait]
impl Handler for CorsFairing {
    async fn handle<'r>(&self, req: &'r Request<'_>, data: Data<'r>) -> Outcome<'r> {
        let pending = {
            let (mut joined, mut routed) = (Vec::new(), String::new());
            match classify(&self.cors, req, None, &mut joined, &mut routed) {
                Decision::Check(pending) => pending,
                decision => return self.route(req, data, decision),
            }
        };
        // Boxed: the requests that never wait carry no larger future.
        Box::pin(self.route_checked(req, data, pending)).await
    }
}
