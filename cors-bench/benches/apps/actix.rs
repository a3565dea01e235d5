//! actix-web: the App driven with `test::init_service` and `Service::call` on an actix
//! `System`; the peer is `actix-cors`. Both layers are added with `App::wrap`.

use actix_http::Request;
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD,
    AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue, ORIGIN as ORIGIN_HEADER, VARY,
};
use actix_web::rt::{System, SystemRunner};
use actix_web::{App, HttpResponse, test, web};

use super::minimal::{self, Origin};
use super::{Kind, ORIGIN, Reply, Target, Variant};

fn items() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body("[]")
}

fn replace() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body("{}")
}

macro_rules! app {
    () => {
        App::new()
            .route("/api/items", web::get().to(|| async { items() }))
            .route("/api/items/1", web::put().to(|| async { replace() }))
    };
}

/// The policy in actix-cors's terms.
pub fn actix_cors() -> actix_cors::Cors {
    actix_cors::Cors::default()
        .allowed_origin(ORIGIN)
        .allowed_methods(["GET", "POST", "PUT", "DELETE"])
        .allowed_headers([CONTENT_TYPE, AUTHORIZATION])
        .expose_headers(["x-request-id"])
        .supports_credentials()
        .max_age(600)
}

/// The request of `kind`.
pub fn request(kind: Kind) -> Request {
    let method = actix_web::http::Method::from_bytes(kind.method().as_bytes()).expect("a method");
    let mut request = test::TestRequest::default().method(method).uri(kind.path());
    for header in kind.headers() {
        request = request.insert_header(*header);
    }
    request.to_request()
}

fn reply(status: StatusCode, headers: &actix_web::http::header::HeaderMap) -> Reply {
    Reply::new(
        status.as_u16(),
        headers
            .get("access-control-allow-origin")
            .map(HeaderValue::as_bytes),
        |name| headers.contains_key(name),
    )
}

async fn send<S, B>(service: &S, kind: Kind) -> Reply
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    match service.call(request(kind)).await {
        Ok(response) => {
            let reply = reply(response.status(), response.headers());
            std::hint::black_box(test::read_body(response).await);
            reply
        }
        // What actix-web's dispatcher does with an error: render it.
        Err(error) => {
            let response = error.as_response_error().error_response();
            reply(response.status(), response.headers())
        }
    }
}

fn boxed<S, B>(system: SystemRunner, service: S) -> Target
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    Box::new(move |kind| system.block_on(send(&service, kind)))
}

/// The app of `variant`, on its own actix `System`.
pub fn target(variant: Variant) -> Target {
    let system = System::new();
    match variant {
        Variant::None => {
            let service = system.block_on(test::init_service(app!()));
            boxed(system, service)
        }
        Variant::Ours => {
            let cors = cors_actix::CorsMiddleware::new(super::policy());
            let service = system.block_on(test::init_service(app!().wrap(cors)));
            boxed(system, service)
        }
        Variant::Peer => {
            let service = system.block_on(test::init_service(app!().wrap(actix_cors())));
            boxed(system, service)
        }
        Variant::Floor => floor(),
        Variant::Minimal => minimal(),
    }
}

/// The floor on actix-web: `App::wrap_fn`, writing a [`Plan`]'s lines (names and values
/// built once), answering a preflight without calling the app.
pub fn floor() -> Target {
    super::per_kind(|plan| {
        let respond = plan
            .respond
            .map(|s| StatusCode::from_u16(s).expect("a status"));
        let echo_origin = plan.echo_origin;
        let lines = actix_lines(plan.lines);
        let system = System::new();
        let app = app!().wrap_fn(move |request, service| {
            let origin = if echo_origin {
                request.headers().get(ORIGIN_HEADER).cloned()
            } else {
                None
            };
            let (answer, call) = match respond {
                Some(status) => (Some((request, status)), None),
                None => (None, Some(service.call(request))),
            };
            async move {
                let mut response = match (answer, call) {
                    (Some((request, status)), _) => {
                        request.into_response(HttpResponse::new(status))
                    }
                    (None, Some(call)) => call.await?,
                    (None, None) => unreachable!("one of the two is set"),
                };
                let headers = response.headers_mut();
                if let Some(origin) = origin {
                    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
                }
                for (name, value) in lines {
                    headers.insert(name.clone(), value.clone());
                }
                Ok(response)
            }
        });
        let service = system.block_on(test::init_service(app));
        boxed(system, service)
    })
}

/// Header lines built once.
fn actix_lines(lines: &[(&'static str, &'static str)]) -> &'static [(HeaderName, HeaderValue)] {
    Vec::leak(
        lines
            .iter()
            .map(|(n, v)| (HeaderName::from_static(n), HeaderValue::from_static(v)))
            .collect(),
    )
}

/// The minimal correct layer on actix-web ([`minimal`]), with `App::wrap_fn` like the
/// floor.
pub fn minimal() -> Target {
    let actual = actix_lines(minimal::actual_lines());
    let preflight = actix_lines(minimal::preflight_lines());
    let system = System::new();
    let app = app!().wrap_fn(move |request, service| {
        let headers = request.headers();
        let origin = match minimal::origin(headers.get_all(ORIGIN_HEADER)) {
            Origin::Absent => None,
            Origin::Refused => Some(None),
            Origin::Allowed(origin) => Some(Some(origin.clone())),
        };
        let mut answer = None;
        if request.method() == actix_web::http::Method::OPTIONS && origin.is_some() {
            let mut method = headers.get_all(ACCESS_CONTROL_REQUEST_METHOD).peekable();
            if method.peek().is_some() {
                answer = Some(match &origin {
                    Some(Some(origin))
                        if minimal::preflight_allowed(
                            method,
                            headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS),
                        ) =>
                    {
                        let mut response = HttpResponse::Ok().finish();
                        let out = response.headers_mut();
                        out.append(ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
                        for (name, value) in preflight {
                            out.append(name.clone(), value.clone());
                        }
                        response
                    }
                    _ => HttpResponse::Forbidden().finish(),
                });
            }
        }
        let (answer, call) = match answer {
            Some(response) => (Some((request, response)), None),
            None => (None, Some(service.call(request))),
        };
        async move {
            let mut response = match (answer, call) {
                (Some((request, response)), _) => return Ok(request.into_response(response)),
                (None, Some(call)) => call.await?,
                (None, None) => unreachable!("one of the two is set"),
            };
            let headers = response.headers_mut();
            for name in minimal::owned(headers.keys()) {
                headers.remove(name);
            }
            if let Some(Some(origin)) = origin {
                headers.append(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
                for (name, value) in actual {
                    headers.append(name.clone(), value.clone());
                }
            }
            if minimal::needs_vary(headers.get_all(VARY)) {
                headers.append(VARY, HeaderValue::from_static("Origin"));
            }
            Ok(response)
        }
    });
    let service = system.block_on(test::init_service(app));
    boxed(system, service)
}
