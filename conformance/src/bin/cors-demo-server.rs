//! `cors-demo-server --config FILE [--adapter axum|actix|rocket|warp] [--port 8000]`: the
//! demo app (see `conformance::demo`) on one framework behind its adapter, on 127.0.0.1:N,
//! with the policy loaded from FILE (`.toml` or `.json`, cors-core's config format). It
//! stays in this package, beside the four frameworks it compiles, so that installing the
//! `cors` command compiles none of them.
//!
//! With `debug = true` in the policy, every rejection is logged on standard error with its
//! reason (see `conformance::demo::log_rejections`).
//!
//! A policy that fails validation is printed (field, value, hint) and the process exits
//! with status 2 before binding; usage errors exit with status 2 as well.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use clap::Parser;
use conformance::demo::https::HttpsDemo;
use conformance::demo::{Adapter, DemoServer};
use cors_core::CorsConfig;

/// The demo API behind a policy, on one framework.
#[derive(Debug, Parser)]
#[command(
    name = "cors-demo-server",
    version,
    about = "The demo API behind a CORS policy on one framework, on 127.0.0.1",
    after_help = "Exit status: 2 for usage errors and an invalid policy (every error listed), 1 when \
                  the port cannot be bound."
)]
struct Args {
    /// The policy file (.toml or .json, cors-core's configuration format).
    #[arg(long, value_name = "FILE")]
    config: String,
    /// The framework: axum, actix, rocket or warp.
    #[arg(long, default_value = "axum")]
    adapter: Adapter,
    /// The port on 127.0.0.1 (0: any free one, printed on the first line).
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// Serve HTTPS, with a certificate for localhost and 127.0.0.1 made at start, and write
    /// the certificate authority that signed it to FILE (for `cors probe --cacert FILE`).
    #[arg(long, value_name = "FILE")]
    tls: Option<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
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
    if let Some(ca_file) = &args.tls {
        return serve_https(args.adapter, cors, addr, ca_file);
    }
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

fn serve_https(
    adapter: Adapter,
    cors: cors_core::Cors,
    addr: SocketAddr,
    ca_file: &str,
) -> ExitCode {
    let server = match HttpsDemo::start(adapter, cors, addr) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("cors-demo-server: cannot serve on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::write(ca_file, server.ca_pem()) {
        eprintln!("cors-demo-server: --tls {ca_file}: {e}");
        return ExitCode::FAILURE;
    }
    println!(
        "{adapter} demo server on https://localhost:{} (certificate authority in {ca_file})",
        server.addr().port()
    );
    server.wait();
    ExitCode::SUCCESS
}
