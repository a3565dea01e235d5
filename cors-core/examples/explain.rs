//! Loads a policy and prints what it answers to one request: the headers a preflight and
//! the actual request would get, or why they are refused.
//!
//! ```text
//! cargo run -p cors-engine --example explain -- --origin http://localhost:3000 --method PUT --header content-type
//! CORS_ALLOWED_ORIGINS=http://localhost:3000 cargo run -p cors-engine --example explain -- --origin http://localhost:3000
//! cargo run -p cors-engine --example explain -- --config cors.toml --origin https://evil.example --path /api/me
//! ```
//!
//! Without `--config` the policy comes from the `CORS_*` environment variables, and, when
//! none is set, from a demo policy allowing `http://localhost:3000` with credentials.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use cors_core::{Cors, CorsConfig, Decision, HeaderField, Headers, RequestView};

struct Args {
    config: Option<String>,
    origin: String,
    method: String,
    headers: Vec<String>,
    path: String,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        config: None,
        origin: "http://localhost:3000".into(),
        method: "GET".into(),
        headers: Vec::new(),
        path: "/api/items".into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--config" => args.config = Some(value()?),
            "--origin" => args.origin = value()?,
            "--method" => args.method = value()?,
            "--header" => args.headers.push(value()?),
            "--path" => args.path = value()?,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(args)
}

fn load(args: &Args) -> Result<Cors, cors_core::ConfigErrors> {
    let config = match &args.config {
        Some(path) => CorsConfig::from_file(path)?,
        None if std::env::vars().any(|(k, _)| k.starts_with("CORS_")) => CorsConfig::from_env()?,
        None => CorsConfig::new()
            .allowed_origins(["http://localhost:3000"])
            .allow_credentials(true),
    };
    config.build()
}

fn print_headers(headers: &Headers<'_>) {
    for (name, value) in headers.iter() {
        println!("  {name}: {}", value.as_str());
    }
    if let Some(vary) = headers.vary() {
        println!("  vary: {}", vary.to_str().unwrap_or_default());
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let cors = match load(&args) {
        Ok(cors) => cors,
        Err(errors) => {
            for e in &errors {
                eprintln!("configuration error: {e}");
            }
            return ExitCode::from(2);
        }
    };
    for warning in cors.warnings() {
        println!("warning: {warning}");
    }
    // A browser sends a preflight first unless the request is simple; show both.
    let requested = args.headers.join(",");
    let preflight = RequestView {
        method: "OPTIONS",
        path: &args.path,
        origin: HeaderField::One(args.origin.as_bytes()),
        request_method: HeaderField::One(args.method.as_bytes()),
        request_headers: if requested.is_empty() {
            HeaderField::Absent
        } else {
            HeaderField::One(requested.as_bytes())
        },
        ..RequestView::default()
    };
    let actual = RequestView {
        method: &args.method,
        path: &args.path,
        origin: HeaderField::One(args.origin.as_bytes()),
        ..RequestView::default()
    };
    let mut allowed = true;
    for (label, view) in [("preflight", preflight), ("actual request", actual)] {
        println!(
            "{label}: {} {} from {}",
            view.method, view.path, args.origin
        );
        match cors.classify(&view) {
            Decision::Skip => println!("  not handled: the path does not match urls_regex"),
            Decision::Respond(answer) => {
                println!("  answered by the middleware with {}", answer.status());
                print_headers(answer.headers());
                if let Some(reason) = answer.rejection() {
                    println!("  refused: {reason}");
                    allowed = false;
                }
            }
            Decision::Forward(forward) => {
                println!("  passed to the app; its response gets:");
                print_headers(&forward.headers(&cors, args.origin.as_bytes()));
                if let Some(reason) = forward.rejection() {
                    println!("  no CORS headers: {reason}");
                    allowed = false;
                }
            }
        }
    }
    if allowed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
