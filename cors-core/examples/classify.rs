//! The decision engine on its own: a policy built in code, two requests classified, the
//! headers each answer gets. (`cors explain`, in the `cors-cli` crate, does this for a
//! policy file and a request given on the command line.)
//!
//! ```text
//! cargo run -p cors-engine --example classify
//! ```
#![allow(clippy::print_stdout)]

use cors_core::{CorsConfig, Decision, HeaderField, RequestView};

fn main() -> Result<(), cors_core::ConfigErrors> {
    let cors = CorsConfig::new()
        .allowed_origins(["http://localhost:3000"])
        .allowed_methods(["GET", "POST", "PUT"])
        .allowed_headers(["content-type"])
        .allow_credentials(true)
        .build()?;

    let preflight = RequestView {
        method: "OPTIONS",
        path: "/api/items/1",
        origin: HeaderField::One(b"http://localhost:3000"),
        request_method: HeaderField::One(b"PUT"),
        request_headers: HeaderField::One(b"content-type"),
        ..RequestView::default()
    };
    let actual = RequestView {
        method: "PUT",
        origin: HeaderField::One(b"https://evil.example"),
        ..preflight
    };
    for view in [preflight, actual] {
        let origin = match view.origin {
            HeaderField::One(origin) => String::from_utf8_lossy(origin).into_owned(),
            _ => String::new(),
        };
        println!("{} {} from {origin}:", view.method, view.path);
        match cors.classify(&view) {
            Decision::Skip => println!("  not handled (urls_regex)"),
            Decision::Check(pending) => {
                println!("  asks allow_origin_async about {}", pending.origin());
            }
            Decision::Respond(answer) => {
                println!("  answered with {}", answer.status());
                for (name, value) in answer.headers().iter() {
                    println!("  {name}: {}", value.as_str());
                }
            }
            Decision::Forward(forward) => {
                println!("  passed to the app");
                for (name, value) in forward.headers(&cors, origin.as_bytes()).iter() {
                    println!("  {name}: {}", value.as_str());
                }
                if let Some(reason) = forward.rejection() {
                    println!("  no CORS headers: {reason}");
                }
            }
        }
    }
    Ok(())
}
