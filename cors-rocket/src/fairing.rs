//! [`CorsFairing`] and the catch-all route it mounts.

use std::io::Cursor;
use std::sync::atomic::{AtomicIsize, Ordering};

use cors_core::{Cors, Decision, Forward};
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
            None => match decide(&self.cors, req, &mut Buffers::default()).await {
                Decision::Forward(forward) => Some(forward),
                Decision::Respond(_) | Decision::Skip | Decision::Check(_) => None,
            },
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

/// What a decision may borrow: a list header joined from several lines and the path as
/// Rocket routes it, for the first classification and the one after the asynchronous
/// origin check (empty, allocating nothing, unless used).
#[derive(Default)]
struct Buffers {
    first: (Vec<u8>, String),
    checked: (Vec<u8>, String),
}

/// The decision for a request, the policy's asynchronous origin check awaited when only
/// it can tell.
async fn decide<'a>(
    cors: &'a Cors,
    req: &'a Request<'_>,
    buffers: &'a mut Buffers,
) -> Decision<'a> {
    let Buffers { first, checked } = buffers;
    match classify(cors, req, None, &mut first.0, &mut first.1) {
        Decision::Check(pending) => {
            let verdict = pending.verdict().await;
            classify(cors, req, Some(verdict), &mut checked.0, &mut checked.1)
        }
        decision => decision,
    }
}

#[rocket::async_trait]
impl Handler for CorsFairing {
    async fn handle<'r>(&self, req: &'r Request<'_>, data: Data<'r>) -> Outcome<'r> {
        let mut buffers = Buffers::default();
        let decision = decide(&self.cors, req, &mut buffers).await;
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
}
