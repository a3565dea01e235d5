//! actix-web: the App driven with `test::init_service` and `Service::call` on an actix
//! `System`; the peer is `actix-cors`. Both layers are added with `App::wrap`.

use actix_http::Request;
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::{AUTHORIZATION, CONTENT_TYPE};
use actix_web::rt::{System, SystemRunner};
use actix_web::{App, HttpResponse, test, web};

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

fn allows(headers: &actix_web::http::header::HeaderMap) -> bool {
    headers
        .get("access-control-allow-origin")
        .is_some_and(|v| v.as_bytes() == ORIGIN.as_bytes())
}

async fn send<S, B>(service: &S, kind: Kind) -> Reply
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    match service.call(request(kind)).await {
        Ok(response) => {
            let reply = Reply {
                status: response.status().as_u16(),
                allows: allows(response.headers()),
            };
            std::hint::black_box(test::read_body(response).await);
            reply
        }
        // What actix-web's dispatcher does with an error: render it.
        Err(error) => {
            let response = error.as_response_error().error_response();
            Reply {
                status: response.status().as_u16(),
                allows: allows(response.headers()),
            }
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
    }
}
