//! `cors explain` from a program: what a policy answers to a `PUT` with a JSON body from a
//! page on another origin, printed as the command prints it.
//!
//! ```text
//! cargo run -p cors-cli --example explain
//! ```
#![allow(clippy::print_stdout)]

use cors_cli::explain::{Request, explain};

fn main() -> Result<(), cors_core::ConfigErrors> {
    let cors = cors_core::CorsConfig::new()
        .allowed_origins(["https://app.example.com"])
        .allowed_methods(["GET", "PUT"])
        .build()?;
    let request = Request {
        config: None,
        origin: "https://app.example.com".into(),
        method: "PUT".into(),
        headers: vec!["content-type".into()],
        path: "/api/items/1".into(),
    };
    let (text, allowed) = explain(&cors, &request);
    print!("{text}");
    println!("exit status: {}", u8::from(!allowed));
    Ok(())
}
