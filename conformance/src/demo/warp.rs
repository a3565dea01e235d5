//! The demo app on warp, wrapped with `cors_warp::cors!`.

use std::net::SocketAddr;

use cors_core::Cors;
use warp::http::StatusCode;
use warp::reply::Response as Reply;
use warp::{Filter, Rejection, Reply as _};

use super::{ME, NOT_LOGGED_IN, Ready, SESSION_COOKIE, Stop};

fn json(status: StatusCode, body: &'static str) -> Reply {
    warp::reply::with_status(
        warp::reply::with_header(body, "content-type", "application/json"),
        status,
    )
    .into_response()
}

/// `404` for what no route matched (path or method); every other rejection (a bad JSON
/// body) stays warp's own.
async fn not_found(rejection: Rejection) -> Result<Reply, Rejection> {
    if rejection.is_not_found() || rejection.find::<warp::reject::MethodNotAllowed>().is_some() {
        Ok(StatusCode::NOT_FOUND.into_response())
    } else {
        Err(rejection)
    }
}

fn app(
    cors: Cors,
) -> impl Filter<Extract = (Reply,), Error = Rejection> + Clone + Send + Sync + 'static {
    use warp::path;
    let items = path!("api" / "items")
        .and(warp::get())
        .map(|| {
            let mut res = json(StatusCode::OK, "[]");
            res.headers_mut()
                .insert("x-request-id", warp::http::HeaderValue::from_static("42"));
            res
        })
        .or(path!("api" / "items").and(warp::head()).map(|| {
            let mut res = StatusCode::OK.into_response();
            res.headers_mut()
                .insert("x-request-id", warp::http::HeaderValue::from_static("42"));
            res
        }))
        .unify()
        .or(path!("api" / "items")
            .and(warp::post())
            .map(|| json(StatusCode::CREATED, "{}")))
        .unify();
    let item = path!("api" / "items" / "1")
        .and(warp::put().or(warp::patch()).unify())
        .map(|| json(StatusCode::OK, "{}"))
        .or(path!("api" / "items" / "1")
            .and(warp::delete())
            .map(|| StatusCode::NO_CONTENT.into_response()))
        .unify();
    let echo = path!("api" / "echo")
        .and(warp::post())
        .and(warp::body::json())
        .map(|value: serde_json::Value| warp::reply::json(&value).into_response());
    let vary = path!("api" / "vary")
        .and(warp::get())
        .map(|| warp::reply::with_header("varied", "vary", "Accept-Encoding").into_response());
    let own_cors = path!("api" / "own-cors").and(warp::get()).map(|| {
        let mut res = "own".into_response();
        let headers = res.headers_mut();
        headers.insert(
            "access-control-allow-origin",
            warp::http::HeaderValue::from_static("*"),
        );
        headers.insert(
            "access-control-allow-credentials",
            warp::http::HeaderValue::from_static("true"),
        );
        headers.insert(
            "access-control-max-age",
            warp::http::HeaderValue::from_static("5"),
        );
        res
    });
    let error = path!("api" / "error")
        .and(warp::get())
        .map(|| StatusCode::INTERNAL_SERVER_ERROR.into_response());
    let login = path!("api" / "login").and(warp::post()).map(|| {
        let mut res = json(StatusCode::OK, "{}");
        res.headers_mut().insert(
            "set-cookie",
            warp::http::HeaderValue::from_static(SESSION_COOKIE),
        );
        res
    });
    let me = path!("api" / "me")
        .and(warp::get())
        .and(warp::header::headers_cloned())
        .map(|headers: warp::http::HeaderMap| {
            let cookies = headers.get_all("cookie").iter().map(|v| v.as_bytes());
            if super::has_session(cookies) {
                json(StatusCode::OK, ME)
            } else {
                json(StatusCode::UNAUTHORIZED, NOT_LOGGED_IN)
            }
        });
    let routes = items
        .or(item)
        .unify()
        .or(echo)
        .unify()
        .or(vary)
        .unify()
        .or(own_cors)
        .unify()
        .or(error)
        .unify()
        .or(login)
        .unify()
        .or(me)
        .unify()
        .recover(not_found)
        .unify();
    routes.with(cors_warp::cors!(cors))
}

pub(super) fn run(cors: Cors, addr: SocketAddr, ready: Ready, stop: Stop) {
    super::run_on_tokio(addr, ready, stop, |listener| {
        warp::serve(app(cors)).incoming(listener).run()
    });
}
