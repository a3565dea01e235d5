//! `cors-demo [--adapter axum|actix|rocket|warp] [--api-port 8000] [--page-port 3000]`: the
//! classic setup in a browser. A front-end page on `http://localhost:3000` calls the demo
//! API on `http://localhost:8000` (behind the chosen adapter) with
//! `credentials: 'include'`: log in, see the session cookie travel, call the protected
//! endpoint, and watch two requests the policy refuses get blocked. Open the printed URL.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use conformance::demo::{Adapter, DemoServer, front_end_policy};

const USAGE: &str =
    "usage: cors-demo [--adapter axum|actix|rocket|warp] [--api-port 8000] [--page-port 3000]";

fn parse(mut args: impl Iterator<Item = String>) -> Result<(Adapter, u16, u16), String> {
    let (mut adapter, mut api, mut page) = (Adapter::Axum, 8000, 3000);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        let mut port = || {
            let v = value()?;
            v.parse::<u16>()
                .map_err(|_| format!("`{v}` is not a port number"))
        };
        match flag.as_str() {
            "--adapter" => adapter = value()?.parse()?,
            "--api-port" => api = port()?,
            "--page-port" => page = port()?,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok((adapter, api, page))
}

fn main() -> ExitCode {
    let (adapter, api_port, page_port) = match parse(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("cors-demo: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
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
