//! The demo app, identical on the four frameworks, each behind its adapter: what the
//! matrix, the browser tests and `cors-demo-server` talk to.
//!
//! | request | response |
//! |---|---|
//! | `GET /api/items` | 200 `[]`, `content-type: application/json`, `x-request-id: 42` |
//! | `HEAD /api/items` | 200, `x-request-id: 42`, from an explicit HEAD route on every framework |
//! | `POST /api/items` | 201 `{}` |
//! | `POST /api/echo` | the JSON body echoed with 200, through the framework's JSON extractor; anything else gets the framework's own rejection |
//! | `PUT`, `PATCH /api/items/1` | 200 `{}` |
//! | `DELETE /api/items/1` | 204 |
//! | `GET /api/vary` | 200, `Vary: Accept-Encoding` set by the handler |
//! | `GET /api/own-cors` | 200, with CORS headers of the app's own, in capitals where the framework keeps them: `Access-Control-Allow-Origin: *`, `Access-Control-Allow-Credentials: true`, `Access-Control-Max-Age: 5` (the policy's replace them) |
//! | `GET /api/error` | 500 |
//! | `POST /api/login` | 200, `Set-Cookie: sessionid=demo; HttpOnly; Path=/; SameSite=Lax` |
//! | `GET /api/me` | 200 `{"user":"demo"}` with that cookie, 401 without |
//! | anything else | 404 |
//!
//! The app has no OPTIONS handlers: preflights are the adapter's.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::mpsc;
use std::thread::JoinHandle;

use cors_core::Cors;

mod actix;
mod axum;
pub mod https;
mod rocket;
mod warp;

/// A loopback port that was free a moment ago (bound, then released): for a server that
/// must be told its port before it starts, and for a URL nothing listens on.
///
/// ```
/// let port = conformance::demo::free_port()?;
/// assert_ne!(port, 0);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn free_port() -> io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// The policy of the front-end demo: the page's origin with credentials, the headers the
/// page shows exposed (`x-request-id` and the two CORS headers it can then read),
/// `csrf_protection` on (a form on another site cannot post with the session cookie), and
/// `debug` on, so that the browser's network panel shows why a request was refused.
///
/// ```
/// let cors = conformance::demo::front_end_policy("http://localhost:3000").unwrap();
/// assert!(cors.is_origin_allowed(b"http://localhost:3000"));
/// assert!(!cors.is_origin_allowed(b"http://localhost:3001"));
/// ```
pub fn front_end_policy(page_origin: &str) -> Result<Cors, cors_core::ConfigErrors> {
    cors_core::CorsConfig::new()
        .allowed_origins([page_origin])
        .allow_credentials(true)
        .expose_headers([
            "x-request-id",
            "access-control-allow-origin",
            "access-control-allow-credentials",
        ])
        .csrf_protection(true)
        .debug(true)
        .build()
}

/// Prints every rejection the policy reports (its `tracing` events, target `cors`, level
/// debug) on standard error, as `tracing_subscriber::fmt` formats them:
///
/// ```text
/// 2026-11-23T09:14:02.123456Z DEBUG cors: CORS request rejected: request header `x-token` is not in allowed_headers method=OPTIONS path=/api/items origin=http://localhost:3000 preflight=true
/// ```
///
/// Call it once, after building the policy (its warnings are printed by the binaries
/// themselves). A second call changes nothing.
///
/// ```
/// conformance::demo::log_rejections();
/// conformance::demo::log_rejections(); // the first subscriber stays
/// ```
pub fn log_rejections() {
    use tracing_subscriber::layer::SubscriberExt;
    let subscriber = tracing_subscriber::fmt()
        .with_writer(io::stderr)
        .with_max_level(tracing::Level::DEBUG)
        .finish()
        .with(
            tracing_subscriber::filter::Targets::new().with_target("cors", tracing::Level::DEBUG),
        );
    // Already set (a second call, or the embedding program's own): keep that one.
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// The demo front end's page (see [`DemoServer::front_end`]).
const FRONT_END: &str = include_str!("front_end.html");

/// The `Set-Cookie` value `POST /api/login` sends.
///
/// ```
/// assert!(conformance::demo::SESSION_COOKIE.starts_with("sessionid=demo;"));
/// ```
pub const SESSION_COOKIE: &str = "sessionid=demo; HttpOnly; Path=/; SameSite=Lax";
/// The body of `GET /api/me` for a logged-in user.
///
/// ```
/// let me: serde_json::Value = serde_json::from_str(conformance::demo::ME).unwrap();
/// assert_eq!(me["user"], "demo");
/// ```
pub const ME: &str = r#"{"user":"demo"}"#;
/// The body of `GET /api/me` without the session.
///
/// ```
/// assert!(conformance::demo::NOT_LOGGED_IN.contains("not logged in"));
/// ```
pub const NOT_LOGGED_IN: &str = r#"{"error":"not logged in"}"#;

/// Whether one of the request's `Cookie` header values carries the demo session.
pub(crate) fn has_session<'a>(cookie_headers: impl IntoIterator<Item = &'a [u8]>) -> bool {
    cookie_headers.into_iter().any(|line| {
        line.split(|&b| b == b';')
            .any(|pair| pair.trim_ascii() == b"sessionid=demo")
    })
}

/// A framework with its adapter.
///
/// ```
/// use conformance::demo::Adapter;
///
/// assert_eq!("rocket".parse::<Adapter>(), Ok(Adapter::Rocket));
/// assert_eq!(Adapter::Rocket.to_string(), "rocket");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adapter {
    /// axum 0.8 behind `cors_axum::CorsLayer`
    Axum,
    /// actix-web 4 behind `cors_actix::CorsMiddleware`
    Actix,
    /// Rocket 0.5 with `cors_rocket::CorsFairing`
    Rocket,
    /// warp 0.4 with `cors_warp::cors!`
    Warp,
}

impl Adapter {
    /// The four, in the table's order.
    ///
    /// ```
    /// let names: Vec<&str> = conformance::demo::Adapter::ALL.iter().map(|a| a.name()).collect();
    /// assert_eq!(names, ["axum", "actix", "rocket", "warp"]);
    /// ```
    pub const ALL: [Adapter; 4] = [
        Adapter::Axum,
        Adapter::Actix,
        Adapter::Rocket,
        Adapter::Warp,
    ];

    /// Its name on the command line and in the table.
    ///
    /// ```
    /// assert_eq!(conformance::demo::Adapter::Actix.name(), "actix");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Adapter::Axum => "axum",
            Adapter::Actix => "actix",
            Adapter::Rocket => "rocket",
            Adapter::Warp => "warp",
        }
    }
}

impl fmt::Display for Adapter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Adapter {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Adapter::ALL
            .into_iter()
            .find(|a| a.name() == s)
            .ok_or_else(|| format!("unknown adapter `{s}`: expected axum, actix, rocket or warp"))
    }
}

/// Tells the starting thread where the server listens, or why it could not bind.
type Ready = mpsc::Sender<io::Result<SocketAddr>>;
/// Fires when the server must stop.
type Stop = tokio::sync::oneshot::Receiver<()>;

/// A demo server running on a thread of its own, with its own runtime. Dropping it stops
/// the server (open connections are cut) and joins the thread.
///
/// ```no_run
/// use conformance::demo::{Adapter, DemoServer};
///
/// let cors = cors_core::CorsConfig::new().allowed_origins(["http://localhost:3000"]).build().unwrap();
/// let server = DemoServer::start(Adapter::Warp, cors, ([127, 0, 0, 1], 0).into()).unwrap();
/// println!("http://{}/api/items", server.addr());
/// ```
#[derive(Debug)]
pub struct DemoServer {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl DemoServer {
    /// Starts the demo app on `adapter` at `addr` (port 0: any free port) and waits until
    /// it accepts connections. Dropping the server stops it.
    ///
    /// ```
    /// use conformance::demo::{Adapter, DemoServer};
    ///
    /// let cors = cors_core::CorsConfig::new().allowed_origins(["http://localhost:3000"]).build().unwrap();
    /// let server = DemoServer::start(Adapter::Axum, cors, ([127, 0, 0, 1], 0).into()).unwrap();
    /// let reply = conformance::http_target::exchange(
    ///     server.addr(),
    ///     b"GET /api/items HTTP/1.1\r\nhost: x\r\norigin: http://localhost:3000\r\nconnection: close\r\n\r\n",
    /// )
    /// .unwrap();
    /// assert_eq!(reply.response.headers["access-control-allow-origin"], "http://localhost:3000");
    /// ```
    pub fn start(adapter: Adapter, cors: Cors, addr: SocketAddr) -> io::Result<DemoServer> {
        let run = match adapter {
            Adapter::Axum => axum::run,
            Adapter::Actix => actix::run,
            Adapter::Rocket => rocket::run,
            Adapter::Warp => warp::run,
        };
        Self::spawn(adapter.name(), move |ready, stop| {
            run(cors, addr, ready, stop)
        })
    }

    /// Serves a blank HTML page on every path, without CORS: the pages the browser tests
    /// open on the origins they fetch from.
    ///
    /// ```
    /// let pages = conformance::demo::DemoServer::pages(([127, 0, 0, 1], 0).into()).unwrap();
    /// let reply = conformance::http_target::exchange(
    ///     pages.addr(),
    ///     b"GET /any HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    /// )
    /// .unwrap();
    /// assert_eq!(reply.response.status, 200);
    /// ```
    pub fn pages(addr: SocketAddr) -> io::Result<DemoServer> {
        Self::html(
            "pages",
            addr,
            "<!doctype html><meta charset=utf-8><title>cors conformance</title>".to_owned(),
        )
    }

    /// Serves the demo front end on every path: a page whose buttons log in, call a
    /// protected endpoint and make allowed and refused requests to the API at `api` (an
    /// origin such as `http://localhost:8000`) with `credentials: 'include'`, and show each
    /// outcome and the response headers the page may read. `runAll()` runs them all and
    /// returns the results.
    ///
    /// ```
    /// use conformance::demo::DemoServer;
    ///
    /// let page = DemoServer::front_end(([127, 0, 0, 1], 0).into(), "http://localhost:8000").unwrap();
    /// println!("http://localhost:{}", page.addr().port());
    /// ```
    pub fn front_end(addr: SocketAddr, api: &str) -> io::Result<DemoServer> {
        Self::html("front-end", addr, FRONT_END.replace("__API__", api))
    }

    fn html(name: &str, addr: SocketAddr, page: String) -> io::Result<DemoServer> {
        Self::spawn(name, move |ready, stop| {
            run_on_tokio(addr, ready, stop, |listener| async move {
                let page = ::axum::Router::new()
                    .fallback(move || async move { ::axum::response::Html(page) });
                let _ = ::axum::serve(listener, page).await;
            });
        })
    }

    fn spawn(name: &str, run: impl FnOnce(Ready, Stop) + Send + 'static) -> io::Result<DemoServer> {
        let (ready, bound) = mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let thread = std::thread::Builder::new()
            .name(format!("demo-{name}"))
            .spawn(move || run(ready, stopped))?;
        let addr = match bound.recv() {
            Ok(result) => result?,
            Err(_) => {
                let _ = thread.join();
                return Err(io::Error::other(format!(
                    "the {name} server stopped before it listened"
                )));
            }
        };
        Ok(DemoServer {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Where it listens.
    ///
    /// ```
    /// let pages = conformance::demo::DemoServer::pages(([127, 0, 0, 1], 0).into()).unwrap();
    /// assert_ne!(pages.addr().port(), 0); // the port it was given
    /// ```
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until the process ends.
    ///
    /// ```no_run
    /// let pages = conformance::demo::DemoServer::pages(([127, 0, 0, 1], 8000).into()).unwrap();
    /// pages.wait(); // never returns while the server runs
    /// ```
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Runs `serve` on a listener bound to `addr`, on a runtime of its own, until `stop`.
fn run_on_tokio<F, Fut>(addr: SocketAddr, ready: Ready, stop: Stop, serve: F)
where
    F: FnOnce(tokio::net::TcpListener) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let runtime = match runtime() {
        Ok(runtime) => runtime,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(listener) => listener,
            Err(e) => {
                let _ = ready.send(Err(e));
                return;
            }
        };
        let _ = ready.send(listener.local_addr());
        tokio::select! {
            () = serve(listener) => {}
            _ = stop => {}
        }
    });
}

/// A multi-threaded tokio runtime for one server (2 workers: this machine's cores).
fn runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_is_found_in_any_cookie_line() {
        assert!(has_session([&b"a=1; sessionid=demo"[..]]));
        assert!(has_session([&b"a=1"[..], b"sessionid=demo"]));
        assert!(!has_session([&b"sessionid=demo2"[..]]));
        assert!(!has_session(std::iter::empty()));
    }

    #[test]
    fn adapters_parse_from_their_names() {
        for a in Adapter::ALL {
            assert_eq!(a.name().parse::<Adapter>(), Ok(a));
        }
        assert!(
            "tide"
                .parse::<Adapter>()
                .unwrap_err()
                .contains("expected axum")
        );
    }
}
