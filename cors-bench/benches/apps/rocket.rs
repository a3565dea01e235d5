//! Rocket: the app driven with `local::asynchronous::Client` (untracked) on a
//! single-threaded runtime; the peer is `rocket_cors`, attached as a fairing like ours.

use rocket::http::{ContentType, Header, Method, Status};
use rocket::local::asynchronous::Client;
use rocket::{Build, Data, Rocket, Route, get, put, routes};

use super::minimal::{self, Origin};
use super::{ORIGIN, Plan, Reply, Target, Variant};

#[get("/api/items")]
fn items() -> (ContentType, &'static str) {
    (ContentType::JSON, "[]")
}

#[put("/api/items/1")]
fn replace() -> (ContentType, &'static str) {
    (ContentType::JSON, "{}")
}

fn app() -> Rocket<Build> {
    let config = rocket::Config {
        log_level: rocket::config::LogLevel::Off,
        cli_colors: false,
        ..rocket::Config::default()
    };
    rocket::custom(config).mount("/", routes![items, replace])
}

/// The policy in rocket_cors's terms.
pub fn rocket_cors() -> rocket_cors::Cors {
    rocket_cors::CorsOptions {
        allowed_origins: rocket_cors::AllowedOrigins::some_exact(&[ORIGIN]),
        allowed_methods: [Method::Get, Method::Post, Method::Put, Method::Delete]
            .into_iter()
            .map(From::from)
            .collect(),
        allowed_headers: rocket_cors::AllowedHeaders::some(&["content-type", "authorization"]),
        allow_credentials: true,
        expose_headers: ["x-request-id".to_owned()].into_iter().collect(),
        max_age: Some(600),
        ..Default::default()
    }
    .to_cors()
    .expect("the rocket_cors policy is valid")
}

/// The app of `variant`, with its local client on its own single-threaded runtime.
pub fn target(variant: Variant) -> Target {
    let rocket = match variant {
        Variant::None => app(),
        Variant::Ours => app().attach(cors_rocket::CorsFairing::new(super::policy())),
        Variant::Peer => app().attach(rocket_cors()),
        Variant::Floor => return floor(),
        Variant::Minimal => return minimal(),
    };
    boxed(rocket)
}

fn boxed(rocket: Rocket<Build>) -> Target {
    let runtime = super::runtime();
    let client = runtime
        .block_on(Client::untracked(rocket))
        .expect("rocket ignites");
    Box::new(move |kind| {
        runtime.block_on(async {
            let method = match kind.method() {
                "OPTIONS" => Method::Options,
                _ => Method::Get,
            };
            let mut request = client.req(method, kind.path());
            for (name, value) in kind.headers() {
                request.add_header(Header::new(*name, *value));
            }
            let response = request.dispatch().await;
            let headers = response.headers();
            let reply = Reply::new(
                response.status().code,
                headers
                    .get_one("access-control-allow-origin")
                    .map(str::as_bytes),
                |name| headers.contains(name),
            );
            std::hint::black_box(response.into_bytes().await);
            reply
        })
    })
}

/// The floor on Rocket, built as the adapter is: an OPTIONS route ranked ahead of every
/// other that answers a preflight, and a response fairing that writes a [`Plan`]'s lines
/// (static text; the request's `Origin` borrowed, not copied).
pub fn floor() -> Target {
    super::per_kind(|plan| {
        let respond = plan
            .respond
            .map(|s| Status::from_code(s).expect("a status"));
        let route = Route::ranked(-1000, Method::Options, "/<_..>", FloorRoute(respond));
        boxed(app().mount("/", vec![route]).attach(FloorFairing(plan)))
    })
}

/// The floor's OPTIONS route: the answer, or on to the app's routes.
#[derive(Clone)]
struct FloorRoute(Option<Status>);

#[rocket::async_trait]
impl rocket::route::Handler for FloorRoute {
    async fn handle<'r>(
        &self,
        _request: &'r rocket::Request<'_>,
        data: Data<'r>,
    ) -> rocket::route::Outcome<'r> {
        match self.0 {
            Some(status) => {
                rocket::route::Outcome::Success(rocket::Response::build().status(status).finalize())
            }
            None => rocket::route::Outcome::Forward((data, Status::NotFound)),
        }
    }
}

/// The floor's fairing: writes the plan's lines on every response.
struct FloorFairing(Plan);

#[rocket::async_trait]
impl rocket::fairing::Fairing for FloorFairing {
    fn info(&self) -> rocket::fairing::Info {
        rocket::fairing::Info {
            name: "floor",
            kind: rocket::fairing::Kind::Response,
        }
    }

    async fn on_response<'r>(&self, req: &'r rocket::Request<'_>, res: &mut rocket::Response<'r>) {
        if self.0.echo_origin
            && let Some(origin) = req.headers().get_one("origin")
        {
            res.set_header(Header::new("access-control-allow-origin", origin));
        }
        for (name, value) in self.0.lines {
            res.set_header(Header::new(*name, *value));
        }
    }
}

/// The minimal correct layer on Rocket ([`minimal`]), built as the floor is: an OPTIONS
/// route ranked ahead of every other that answers a preflight, and a response fairing for
/// everything else.
pub fn minimal() -> Target {
    let mut route = Route::ranked(-1000, Method::Options, "/<_..>", MinimalRoute);
    route.name = Some(MINIMAL_ROUTE.into());
    boxed(app().mount("/", vec![route]).attach(MinimalFairing))
}

/// The name of the minimal layer's OPTIONS route, by which its fairing knows the answers
/// the route gave (Rocket keeps the route that answered on the request).
const MINIMAL_ROUTE: &str = "minimal preflight";

/// The minimal correct layer's OPTIONS route: the answer to a preflight, or on to the
/// app's routes.
#[derive(Clone)]
struct MinimalRoute;

#[rocket::async_trait]
impl rocket::route::Handler for MinimalRoute {
    async fn handle<'r>(
        &self,
        request: &'r rocket::Request<'_>,
        data: Data<'r>,
    ) -> rocket::route::Outcome<'r> {
        // A preflight is an OPTIONS with `Origin` and `Access-Control-Request-Method`.
        let headers = request.headers();
        let origin = minimal::origin(headers.get("origin"));
        let mut method = headers.get("access-control-request-method").peekable();
        if !origin.is_present() || method.peek().is_none() {
            return rocket::route::Outcome::Forward((data, Status::NotFound));
        }
        let mut response = rocket::Response::build();
        match origin {
            Origin::Allowed(origin)
                if minimal::preflight_allowed(
                    method,
                    headers.get("access-control-request-headers"),
                ) =>
            {
                response.raw_header("access-control-allow-origin", origin);
                for (name, value) in minimal::preflight_lines() {
                    response.raw_header(*name, *value);
                }
            }
            _ => {
                response.status(Status::Forbidden);
            }
        }
        rocket::route::Outcome::Success(response.finalize())
    }
}

/// The minimal correct layer's fairing: finishes every response but a preflight's.
struct MinimalFairing;

#[rocket::async_trait]
impl rocket::fairing::Fairing for MinimalFairing {
    fn info(&self) -> rocket::fairing::Info {
        rocket::fairing::Info {
            name: "minimal",
            kind: rocket::fairing::Kind::Response,
        }
    }

    async fn on_response<'r>(&self, req: &'r rocket::Request<'_>, res: &mut rocket::Response<'r>) {
        if req
            .route()
            .is_some_and(|route| route.name.as_deref() == Some(MINIMAL_ROUTE))
        {
            return;
        }
        // Usually none: no allocation then.
        let owned: Vec<String> = res
            .headers()
            .iter()
            .filter(|h| minimal::is_owned(h.name().as_str().as_bytes()))
            .map(|h| h.name().as_str().to_owned())
            .collect();
        for name in owned {
            res.remove_header(&name);
        }
        if let Origin::Allowed(origin) = minimal::origin(req.headers().get("origin")) {
            res.set_raw_header("access-control-allow-origin", origin);
            for (name, value) in minimal::actual_lines() {
                res.set_raw_header(*name, *value);
            }
        }
        if minimal::needs_vary(res.headers().get("vary")) {
            res.adjoin_raw_header("vary", "Origin");
        }
    }
}
