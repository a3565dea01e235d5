//! The matrix run in-process against the cors-core decision engine, with the demo app's
//! responses simulated: the reference every adapter must agree with.

use cors_core::{Cors, Decision, HeaderField, RequestView};
use http::{HeaderMap, HeaderValue, StatusCode};

use crate::case::Case;
use crate::judge::Response;

/// The demo app's answer to a request that reaches it (no OPTIONS handlers of its own);
/// `session`: the request carries the session cookie of `POST /api/login`.
pub fn demo_app(method: &str, path: &str, session: bool) -> Response {
    let mut headers = HeaderMap::new();
    let json = |headers: &mut HeaderMap| {
        headers.insert("content-type", HeaderValue::from_static("application/json"));
    };
    let status = match (method, path) {
        ("GET", "/api/items") => {
            json(&mut headers);
            headers.insert("x-request-id", HeaderValue::from_static("42"));
            StatusCode::OK
        }
        ("HEAD", "/api/items") => {
            headers.insert("x-request-id", HeaderValue::from_static("42"));
            StatusCode::OK
        }
        ("POST", "/api/items") => {
            json(&mut headers);
            StatusCode::CREATED
        }
        ("POST", "/api/echo") | ("PUT" | "PATCH", "/api/items/1") => {
            json(&mut headers);
            StatusCode::OK
        }
        ("DELETE", "/api/items/1") => StatusCode::NO_CONTENT,
        ("GET", "/api/vary") => {
            headers.insert("vary", HeaderValue::from_static("Accept-Encoding"));
            StatusCode::OK
        }
        ("GET", "/api/own-cors") => {
            for (name, value) in [
                ("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Allow-Credentials", "true"),
                ("Access-Control-Max-Age", "5"),
            ] {
                headers.insert(name, HeaderValue::from_static(value));
            }
            StatusCode::OK
        }
        ("GET", "/api/error") => StatusCode::INTERNAL_SERVER_ERROR,
        ("POST", "/api/login") => {
            json(&mut headers);
            headers.insert(
                "set-cookie",
                HeaderValue::from_static(crate::demo::SESSION_COOKIE),
            );
            StatusCode::OK
        }
        ("GET", "/api/me") => {
            json(&mut headers);
            if session {
                StatusCode::OK
            } else {
                StatusCode::UNAUTHORIZED
            }
        }
        // Any other method or path, like the demo app on every framework.
        _ => StatusCode::NOT_FOUND,
    };
    Response { status, headers }
}

/// Runs one case through the engine and the simulated app.
pub fn run(cors: &Cors, case: &Case) -> Response {
    let headers = case.header_bytes();
    let mut joined = Vec::new();
    let view = RequestView::from_headers(&case.method, &case.path, &mut joined, |name| {
        headers
            .iter()
            .filter(move |(n, _)| n == name.as_str())
            .map(|(_, v)| v.as_slice())
    });
    let session = crate::demo::has_session(
        headers
            .iter()
            .filter(|(n, _)| n == "cookie")
            .map(|(_, v)| v.as_slice()),
    );
    let mirrored = |_, bytes: &[u8]| HeaderValue::from_bytes(bytes).ok();
    let decision = match cors.classify(&view) {
        // The group's tenant store answers, as an adapter awaits it.
        Decision::Check(pending) => match tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
        {
            Ok(runtime) => cors.classify_checked(runtime.block_on(pending.verdict()), &view),
            Err(_) => Decision::Check(pending),
        },
        decision => decision,
    };
    match decision {
        // no runtime to ask it on
        Decision::Check(_) => Response {
            status: http::StatusCode::INTERNAL_SERVER_ERROR,
            headers: HeaderMap::new(),
        },
        Decision::Skip => demo_app(&case.method, &case.path, session),
        Decision::Respond(answer) => {
            let mut headers = HeaderMap::new();
            answer.headers().write_to(&mut headers, mirrored);
            Response {
                status: answer.status(),
                headers,
            }
        }
        Decision::Forward(forward) => {
            let mut response = demo_app(&case.method, &case.path, session);
            let origin = match view.origin {
                HeaderField::One(o) => o,
                _ => b"",
            };
            forward
                .headers(cors, origin)
                .write_to(&mut response.headers, mirrored);
            response
        }
    }
}
