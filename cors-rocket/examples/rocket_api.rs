//! An API on http://127.0.0.1:8000 that a front end on http://localhost:3000 may call with
//! cookies.
//!
//! ```text
//! cargo run -p cors-rocket --example rocket_api
//!
//! # a preflight, answered by the fairing's route
//! curl -i -X OPTIONS http://127.0.0.1:8000/api/items \
//!      -H 'Origin: http://localhost:3000' \
//!      -H 'Access-Control-Request-Method: PUT' \
//!      -H 'Access-Control-Request-Headers: content-type'
//!
//! # log in (sets the session cookie), then call the protected endpoint with it
//! curl -i -c /tmp/cookies -X POST http://127.0.0.1:8000/api/login -H 'Origin: http://localhost:3000'
//! curl -i -b /tmp/cookies http://127.0.0.1:8000/api/me -H 'Origin: http://localhost:3000'
//!
//! # another origin: the API still answers, without CORS headers, so a browser blocks it
//! curl -i http://127.0.0.1:8000/api/items -H 'Origin: https://evil.example'
//! ```

use cors_core::CorsConfig;
use cors_rocket::CorsFairing;
use rocket::http::{Header, Status};
use rocket::request::{FromRequest, Outcome};
use rocket::{Request, get, post, routes};

#[get("/api/items")]
fn items() -> &'static str {
    "[]"
}

#[derive(rocket::Responder)]
struct LoggedIn(&'static str, Header<'static>);

#[post("/api/login")]
fn login() -> LoggedIn {
    LoggedIn(
        "",
        Header::new(
            "set-cookie",
            "sessionid=demo; HttpOnly; Path=/; SameSite=Lax",
        ),
    )
}

/// The demo session, from the `sessionid` cookie.
struct Session;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Session {
    type Error = ();
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let logged_in = req
            .headers()
            .get("cookie")
            .any(|c| c.split(';').any(|kv| kv.trim() == "sessionid=demo"));
        if logged_in {
            Outcome::Success(Session)
        } else {
            Outcome::Error((Status::Unauthorized, ()))
        }
    }
}

#[get("/api/me")]
fn me(_session: Session) -> &'static str {
    r#"{"user":"demo"}"#
}

#[rocket::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cors = CorsConfig::new()
        .allowed_origins(["http://localhost:3000"])
        .allow_credentials(true)
        .build()?;
    let config = rocket::Config {
        address: std::net::Ipv4Addr::LOCALHOST.into(),
        port: 8000,
        ..rocket::Config::default()
    };
    rocket::custom(config)
        .mount("/", routes![items, login, me])
        .attach(CorsFairing::new(cors))
        .launch()
        .await?;
    Ok(())
}
