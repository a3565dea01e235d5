//! `cors-demo-server --adapter axum|actix|rocket|warp --config FILE --port N`: the demo app
//! (see `conformance::demo`) on one framework behind its adapter, on 127.0.0.1:N, with the
//! policy loaded from FILE (`.toml` or `.json`, cors-core's config format).
//!
//! With `debug = true` in the policy, every rejection is logged on standard error with its
//! reason (see `conformance::demo::log_rejections`).
//!
//! A policy that fails validation is printed (field, value, hint) and the process exits
//! with status 2 before binding; usage errors exit with status 2 as well.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use conformance::demo::{Adapter, DemoServer};
use cors_core::CorsConfig;

const USAGE: &str =
    "usage: cors-demo-server --adapter axum|actix|rocket|warp --config FILE --port N";

struct Args {
    adapter: Adapter,
    config: String,
    port: u16,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let (mut adapter, mut config, mut port) = (None, None, None);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--adapter" => adapter = Some(value()?.parse::<Adapter>()?),
            "--config" => config = Some(value()?),
            "--port" => {
                let v = value()?;
                port = Some(
                    v.parse::<u16>()
                        .map_err(|_| format!("--port: `{v}` is not a port number"))?,
                );
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Args {
        adapter: adapter.ok_or("--adapter is required")?,
        config: config.ok_or("--config is required")?,
        port: port.ok_or("--port is required")?,
    })
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("cors-demo-server: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let built = CorsConfig::from_file(&args.config)
        .map_err(cors_core::ConfigErrors::from)
        .and_then(|c| c.build());
    let cors = match built {
        Ok(cors) => cors,
        Err(errors) => {
            // Every mistake at once, one per line.
            for e in &errors {
                eprintln!("cors-demo-server: invalid policy in {}: {e}", args.config);
            }
            return ExitCode::from(2);
        }
    };
    for warning in cors.warnings() {
        eprintln!("cors-demo-server: warning: {warning}");
    }
    if cors.config().debug {
        conformance::demo::log_rejections();
    }
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    match DemoServer::start(args.adapter, cors, addr) {
        Ok(server) => {
            println!("{} demo server on http://{}", args.adapter, server.addr());
            server.wait();
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cors-demo-server: cannot serve on {addr}: {e}");
            ExitCode::FAILURE
        }
    }
}
