//! `cors-demo [--adapter axum|actix|rocket|warp] [--api-port 8000] [--page-port 3000]`: the
//! classic setup in a browser. A front-end page on `http://localhost:3000` calls the demo
//! API on `http://localhost:8000` (behind the chosen adapter) with
//! `credentials: 'include'`: log in, see the session cookie travel, call the protected
//! endpoint, and watch two requests the policy refuses get blocked. Open the printed URL.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use clap::Parser;
use conformance::demo::{Adapter, DemoServer, front_end_policy};

/// The classic setup in a browser.
#[derive(Debug, Parser)]
#[command(
    name = "cors-demo",
    version,
    about = "A front-end page on localhost calling the demo API on another port with credentials: \
             open the printed URL"
)]
struct Args {
    /// The framework the API runs on: axum, actix, rocket or warp.
    #[arg(long, default_value = "axum")]
    adapter: Adapter,
    /// The API's port on localhost.
    #[arg(long, default_value_t = 8000)]
    api_port: u16,
    /// The page's port on localhost.
    #[arg(long, default_value_t = 3000)]
    page_port: u16,
}

fn main() -> ExitCode {
    let Args {
        adapter,
        api_port,
        page_port,
    } = Args::parse();
    let page_origin = format!("http://localhost:{page_port}");
    let api_origin = format!("http://localhost:{api_port}");
    let cors = match front_end_policy(&page_origin) {
        Ok(cors) => cors,
        Err(e) => {
            eprintln!("cors-demo: {e}");
            return ExitCode::from(2);
        }
    };
    conformance::demo::log_rejections();
    let at = |port| SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let api = match DemoServer::start(adapter, cors, at(api_port)) {
        Ok(api) => api,
        Err(e) => {
            eprintln!("cors-demo: cannot serve the API on {}: {e}", at(api_port));
            return ExitCode::FAILURE;
        }
    };
    let page = match DemoServer::front_end(at(page_port), &api_origin) {
        Ok(page) => page,
        Err(e) => {
            eprintln!("cors-demo: cannot serve the page on {}: {e}", at(page_port));
            return ExitCode::FAILURE;
        }
    };
    println!("{adapter} API on {api_origin} allows {page_origin} with credentials");
    println!("open {page_origin} in a browser; Ctrl-C to stop");
    println!("each request the policy refuses is logged here, with the reason");
    page.wait();
    drop(api);
    ExitCode::SUCCESS
}
