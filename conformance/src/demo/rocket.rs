//! The demo app on Rocket, with `cors_rocket::CorsFairing` attached.

use std::net::SocketAddr;

use cors_core::Cors;
use rocket::fairing::AdHoc;
use rocket::http::{ContentType, Header, Status};
use rocket::request::{FromRequest, Outcome};
use rocket::serde::json::{Json, Value};
use rocket::{Request, catch, catchers, delete, get, head, patch, post, put, routes};

use super::{ME, NOT_LOGGED_IN, Ready, SESSION_COOKIE, Stop};

#[derive(rocket::Responder)]
#[response(content_type = "json")]
struct Items(&'static str, Header<'static>);

#[get("/api/items")]
fn items() -> Items {
    Items("[]", Header::new("x-request-id", "42"))
}

/// The app's own HEAD route (Rocket would otherwise answer HEAD with the GET route).
#[head("/api/items")]
fn items_head() -> Items {
    Items("", Header::new("x-request-id", "42"))
}

#[post("/api/items")]
fn create() -> (Status, (ContentType, &'static str)) {
    (Status::Created, (ContentType::JSON, "{}"))
}

#[put("/api/items/1")]
fn replace() -> (ContentType, &'static str) {
    (ContentType::JSON, "{}")
}

#[patch("/api/items/1")]
fn update() -> (ContentType, &'static str) {
    (ContentType::JSON, "{}")
}

#[delete("/api/items/1")]
fn remove() -> Status {
    Status::NoContent
}

#[post("/api/echo", data = "<value>")]
fn echo(value: Json<Value>) -> Json<Value> {
    value
}

#[derive(rocket::Responder)]
struct Varied(&'static str, Header<'static>);

#[get("/api/vary")]
fn vary() -> Varied {
    Varied("varied", Header::new("vary", "Accept-Encoding"))
}

/// CORS headers of the app's own, named in capitals: Rocket keeps names as written.
#[derive(rocket::Responder)]
struct OwnCors(
    &'static str,
    Header<'static>,
    Header<'static>,
    Header<'static>,
);

#[get("/api/own-cors")]
fn own_cors() -> OwnCors {
    OwnCors(
        "own",
        Header::new("Access-Control-Allow-Origin", "*"),
        Header::new("Access-Control-Allow-Credentials", "true"),
        Header::new("Access-Control-Max-Age", "5"),
    )
}

#[get("/api/error")]
fn error() -> Status {
    Status::InternalServerError
}

#[derive(rocket::Responder)]
#[response(content_type = "json")]
struct LoggedIn(&'static str, Header<'static>);

#[post("/api/login")]
fn login() -> LoggedIn {
    LoggedIn("{}", Header::new("set-cookie", SESSION_COOKIE))
}

/// The demo session, from the `sessionid` cookie.
struct Session;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Session {
    type Error = ();
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        if super::has_session(req.headers().get("cookie").map(str::as_bytes)) {
            Outcome::Success(Session)
        } else {
            Outcome::Error((Status::Unauthorized, ()))
        }
    }
}

#[get("/api/me")]
fn me(_session: Session) -> (ContentType, &'static str) {
    (ContentType::JSON, ME)
}

#[catch(401)]
fn unauthorized() -> (ContentType, &'static str) {
    (ContentType::JSON, NOT_LOGGED_IN)
}

pub(super) fn run(cors: Cors, addr: SocketAddr, ready: Ready, stop: Stop) {
    let runtime = match super::runtime() {
        Ok(runtime) => runtime,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    runtime.block_on(async move {
        let config = rocket::Config {
            address: addr.ip(),
            port: addr.port(),
            workers: 2,
            log_level: rocket::config::LogLevel::Off,
            cli_colors: false,
            // Signals are the process's: Rocket would otherwise catch Ctrl-C and SIGTERM to
            // stop only its own server, leaving `cors-demo`'s front end running.
            shutdown: rocket::config::Shutdown {
                ctrlc: false,
                #[cfg(unix)]
                signals: std::collections::HashSet::new(),
                grace: 0,
                mercy: 0,
                ..rocket::config::Shutdown::default()
            },
            ..rocket::Config::default()
        };
        let liftoff = ready.clone();
        let rocket = rocket::custom(config)
            .mount(
                "/",
                routes![
                    items, items_head, create, replace, update, remove, echo, vary, own_cors,
                    error, login, me
                ],
            )
            .register("/", catchers![unauthorized])
            .attach(cors_rocket::CorsFairing::new(cors))
            .attach(AdHoc::on_liftoff("report the port", move |rocket| {
                Box::pin(async move {
                    let bound = SocketAddr::new(rocket.config().address, rocket.config().port);
                    let _ = liftoff.send(Ok(bound));
                })
            }));
        let rocket = match rocket.ignite().await {
            Ok(rocket) => rocket,
            Err(e) => {
                let _ = ready.send(Err(std::io::Error::other(e.to_string())));
                return;
            }
        };
        let shutdown = rocket.shutdown();
        tokio::spawn(async move {
            let _ = stop.await;
            shutdown.notify();
        });
        if let Err(e) = rocket.launch().await {
            let _ = ready.send(Err(std::io::Error::other(e.to_string())));
        }
    });
}
