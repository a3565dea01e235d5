//! Rocket: the app driven with `local::asynchronous::Client` (untracked) on a
//! single-threaded runtime; the peer is `rocket_cors`, attached as a fairing like ours.

use rocket::http::{ContentType, Header, Method};
use rocket::local::asynchronous::Client;
use rocket::{Build, Rocket, get, put, routes};

use super::{ORIGIN, Reply, Target, Variant};

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
            let reply = Reply {
                status: response.status().code,
                allows: response.headers().get_one("access-control-allow-origin") == Some(ORIGIN),
            };
            std::hint::black_box(response.into_bytes().await);
            reply
        })
    })
}

/// The floor on Rocket: a fairing that only adds the header lines the policy adds to an
/// actual request (as `'static` text), and nothing else. Rocket's header map keeps every
/// header name's values in a `Vec` of their own, so each new line costs an allocation
/// whatever the fairing does; this measures that part.
pub struct Floor;

#[rocket::async_trait]
impl rocket::fairing::Fairing for Floor {
    fn info(&self) -> rocket::fairing::Info {
        rocket::fairing::Info {
            name: "floor",
            kind: rocket::fairing::Kind::Response,
        }
    }

    async fn on_response<'r>(&self, req: &'r rocket::Request<'_>, res: &mut rocket::Response<'r>) {
        if req.headers().contains("origin") {
            res.set_header(Header::new("access-control-allow-origin", ORIGIN));
            res.set_header(Header::new("access-control-allow-credentials", "true"));
            res.set_header(Header::new("access-control-expose-headers", "x-request-id"));
        }
        res.set_header(Header::new("vary", "Origin"));
    }
}

/// The app behind [`Floor`].
pub fn floor() -> Target {
    boxed(app().attach(Floor))
}
