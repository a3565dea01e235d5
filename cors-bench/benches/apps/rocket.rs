//! Rocket: the app driven with `local::asynchronous::Client` (untracked) on a
//! single-threaded runtime; the peer is `rocket_cors`, attached as a fairing like ours.

use rocket::http::{ContentType, Header, Method, Status};
use rocket::local::asynchronous::Client;
use rocket::{Build, Data, Rocket, Route, get, put, routes};

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
