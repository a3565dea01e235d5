//! `cors-load [--adapter axum|actix|rocket|warp]... [--requests N] [--connections N]`:
//! a bounded loopback load test of each adapter's demo server (in a child process), with
//! every response's CORS headers checked. Defaults: all four adapters, 200,000 requests,
//! 64 connections. Exit status 0 when every adapter answered every request rightly and its
//! memory stayed flat; 1 otherwise; 2 for usage errors.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{BufRead, BufReader, Read};
use std::net::{Ipv4Addr, SocketAddr};
use std::process::{Child, Command, ExitCode, Stdio};

use clap::Parser;
use conformance::demo::{Adapter, DemoServer};
use conformance::load::{self, Options};

/// A bounded loopback load test of each adapter's demo server.
#[derive(Debug, Parser)]
#[command(
    name = "cors-load",
    version,
    about = "A bounded loopback load test of each adapter's demo server, every answer's CORS \
             headers checked and the server's memory watched",
    after_help = "Exit status: 0 every adapter answered every request rightly and its memory \
                  stayed flat, 1 otherwise, 2 usage error."
)]
struct Args {
    /// An adapter to load: axum, actix, rocket or warp (repeat for several; all four
    /// without).
    #[arg(long = "adapter")]
    adapters: Vec<Adapter>,
    /// Requests per adapter.
    #[arg(long, default_value_t = 200_000)]
    requests: usize,
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Serve the demo app on this adapter for a parent `cors-load` (the child process).
    #[arg(long, hide = true)]
    serve: Option<Adapter>,
}

/// Memory after the second half of the run may exceed memory after the first by this
/// much (allocator slack), and no more: a per-request leak shows as steady growth.
const SLACK_KIB: u64 = 2048;

fn main() -> ExitCode {
    let Args {
        mut adapters,
        requests,
        connections,
        serve: child,
    } = Args::parse();
    if let Some(adapter) = child {
        return serve(adapter);
    }
    let options = Options {
        requests,
        connections,
    };
    if adapters.is_empty() {
        adapters = Adapter::ALL.to_vec();
    }
    println!(
        "cors-load: {} requests per adapter over {} keep-alive connections on 127.0.0.1 \
         (allowed and disallowed GETs and preflights, every answer's CORS headers checked)\n",
        options.requests, options.connections
    );
    println!(
        "{:8} {:>9} {:>10} {:>7} {:>6}  {:>22}",
        "adapter", "requests", "req/s", "errors", "wrong", "server RSS KiB (warm/mid/end)"
    );
    let mut all_good = true;
    for adapter in adapters {
        match measure(adapter, options) {
            Ok(good) => all_good &= good,
            Err(e) => {
                println!("{adapter:8} could not run: {e}");
                all_good = false;
            }
        }
    }
    if all_good {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Runs the load against one adapter's server; whether it passed.
fn measure(adapter: Adapter, options: Options) -> Result<bool, String> {
    let server = Server::start(adapter)?;
    let cors = load::policy();
    let warm = load::run(
        server.addr,
        &cors,
        Options {
            requests: (options.requests / 10).max(1_000),
            ..options
        },
    );
    let rss_warm = server.rss();
    let half = Options {
        requests: options.requests / 2,
        ..options
    };
    let first = load::run(server.addr, &cors, half);
    let rss_mid = server.rss();
    let second = load::run(server.addr, &cors, half);
    let rss_end = server.rss();

    let answered = first.answered + second.answered;
    let errors = warm.errors + first.errors + second.errors;
    let wrong = warm.wrong + first.wrong + second.wrong;
    let seconds = (first.elapsed + second.elapsed).as_secs_f64();
    let flat = match (rss_mid, rss_end) {
        (Some(mid), Some(end)) => end <= mid + SLACK_KIB.max(mid / 50),
        _ => true,
    };
    let kib = |v: Option<u64>| v.map_or("?".to_owned(), |v| v.to_string());
    println!(
        "{:8} {:>9} {:>10.0} {:>7} {:>6}  {:>8}/{}/{}{}",
        adapter.name(),
        answered,
        answered as f64 / seconds.max(1e-9),
        errors,
        wrong,
        kib(rss_warm),
        kib(rss_mid),
        kib(rss_end),
        if flat { "" } else { "  memory grew" }
    );
    if let Some(problem) = warm
        .first_problem
        .or(first.first_problem)
        .or(second.first_problem)
    {
        println!("         first problem: {problem}");
    }
    Ok(errors == 0 && wrong == 0 && flat)
}

/// The demo server of one adapter in a child process (this program with `--serve`), killed
/// when dropped; it also exits by itself when this process goes away (its stdin closes).
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(adapter: Adapter) -> Result<Server, String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut child = Command::new(exe)
            .args(["--serve", adapter.name()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the server: {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        let addr = line
            .trim()
            .rsplit(' ')
            .next()
            .and_then(|a| a.parse().ok())
            .ok_or_else(|| format!("unexpected server output: {line:?}"))?;
        Ok(Server { child, addr })
    }

    fn rss(&self) -> Option<u64> {
        load::rss_kib(self.child.id())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The child: serves the demo app behind `adapter` with the load policy on an ephemeral
/// port, prints `listening on ADDR`, and exits when its stdin closes.
fn serve(adapter: Adapter) -> ExitCode {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let server = match DemoServer::start(adapter, load::policy(), addr) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("cors-load: cannot serve: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("listening on {}", server.addr());
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    drop(server);
    ExitCode::SUCCESS
}
