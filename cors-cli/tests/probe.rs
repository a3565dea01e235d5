//! `cors probe` against the demo app on every adapter, over HTTP and over HTTPS with a
//! certificate made here, and against servers that are not ours: allowed and blocked
//! requests, the reason, the cause, the fix, the notes and the exit status.
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Command, Output};

use conformance::demo::https::HttpsDemo;
use conformance::demo::{Adapter, DemoServer};
use cors_core::{Cors, CorsConfig};

const BIN: &str = env!("CARGO_BIN_EXE_cors");
const FRONT: &str = "http://localhost:3000";

fn probe(args: &[&str]) -> (Option<i32>, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(BIN).arg("probe").args(args).output().unwrap();
    let mut text = String::from_utf8(stdout).unwrap();
    text.push_str(&String::from_utf8(stderr).unwrap());
    (status.code(), text)
}

/// The page on the front end may read an answer that allows it by name.
fn allowed_for_the_front_end(text: &str) {
    has_line(
        text,
        "  < access-control-allow-origin: http://localhost:3000",
    );
    has_line(
        text,
        "allowed: a browser lets the page on http://localhost:3000 read the response",
    );
}

fn has_line(text: &str, line: &str) {
    assert!(
        text.lines().any(|l| l == line),
        "missing {line:?} in:\n{text}"
    );
}

/// The demo app on each adapter in turn, behind `config` (which allows the front end), on
/// an ephemeral port; the server stops when `check` returns.
fn on_every_adapter(config: CorsConfig, check: impl Fn(Adapter, &str)) {
    let cors = config.allowed_origins([FRONT]).build().unwrap();
    for adapter in Adapter::ALL {
        let server =
            DemoServer::start(adapter, cors.clone(), SocketAddr::from(([127, 0, 0, 1], 0)))
                .unwrap();
        check(adapter, &format!("http://{}", server.addr()));
    }
}

#[test]
fn the_demo_app_on_every_adapter() {
    on_every_adapter(
        CorsConfig::new().allow_credentials(true),
        |adapter, base| {
            let items = format!("{base}/api/items");

            let (code, text) = probe(&[&items, "--origin", FRONT]);
            assert_eq!(code, Some(0), "{adapter:?}: {text}");
            has_line(&text, "no preflight: a browser sends this request directly");
            allowed_for_the_front_end(&text);

            let (code, text) = probe(&[&items, "--origin", "http://evil.example"]);
            assert_eq!(code, Some(1), "{adapter:?}: {text}");
            has_line(
                &text,
                "blocked by the response: no Access-Control-Allow-Origin header is present",
            );
            assert!(
                text.contains("fix: the server does not allow `http://evil.example`"),
                "{text}"
            );

            let one = format!("{base}/api/items/1");
            let (code, text) = probe(&[
                &one,
                "--origin",
                FRONT,
                "-X",
                "PUT",
                "-H",
                "content-type: application/json",
                "--credentials",
            ]);
            assert_eq!(code, Some(0), "{adapter:?}: {text}");
            has_line(&text, "  > access-control-request-method: PUT");
            has_line(&text, "  > access-control-request-headers: content-type");
            has_line(&text, "  < access-control-allow-credentials: true");

            let (code, text) = probe(&[&items, "--origin", FRONT, "-H", "X-Token: 1"]);
            assert_eq!(code, Some(1), "{adapter:?}: {text}");
            has_line(
                &text,
                "blocked by the preflight: no Access-Control-Allow-Origin header is present",
            );
            has_line(
                &text,
                "cause: request header `x-token` is not allowed: the server answers a preflight from this origin without it, not with it",
            );
            assert!(
                text.contains("fix: add `x-token` to the allowed headers (`allowed_headers` here"),
                "{text}"
            );
            has_line(&text, "no request: a browser stops at a failed preflight");
            assert!(
                !text.contains("the server says"),
                "not in debug mode: {text}"
            );

            let (code, text) = probe(&[&one, "--origin", FRONT, "-X", "PURGE", "--json"]);
            assert_eq!(code, Some(1), "{adapter:?}: {text}");
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(value["verdict"], "blocked");
            assert_eq!(value["stage"], "preflight");
            assert_eq!(value["preflight"]["status"], 403);
            assert!(value["request"].is_null());
            assert!(
                value["cause"]
                    .as_str()
                    .unwrap()
                    .starts_with("method `PURGE` is not allowed")
            );
            assert!(
                value["fix"]
                    .as_str()
                    .unwrap()
                    .starts_with("add `PURGE` to the allowed methods")
            );
            assert!(value["server_reason"].is_null());
        },
    );
}

#[test]
fn a_server_in_debug_mode_says_why_and_the_probe_shows_it() {
    on_every_adapter(CorsConfig::new().debug(true), |adapter, base| {
        let items = format!("{base}/api/items");

        let (code, text) = probe(&[&items, "--origin", "http://evil.example"]);
        assert_eq!(code, Some(1), "{adapter:?}: {text}");
        has_line(
            &text,
            "the server says: the origin is not allowed by allowed_origins, allowed_origin_regexes or the origin predicate",
        );

        let (code, text) = probe(&[&items, "--origin", FRONT, "-H", "X-Token: 1", "--json"]);
        assert_eq!(code, Some(1), "{adapter:?}: {text}");
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["stage"], "preflight");
        assert_eq!(
            value["server_reason"],
            "request header `x-token` is not in allowed_headers"
        );
        // The probe's own finding agrees.
        assert!(
            value["cause"]
                .as_str()
                .unwrap()
                .starts_with("request header `x-token` is not allowed")
        );
    });
}

/// A server that answers every request with `*` for everything, as many do.
fn star_server(connections: usize) -> (SocketAddr, std::thread::JoinHandle<()>) {
    fixed_server(
        b"HTTP/1.1 200 OK\r\naccess-control-allow-origin: *\r\n\
          access-control-allow-methods: *\r\naccess-control-allow-headers: *\r\n\
          content-length: 0\r\nconnection: close\r\n\r\n",
        connections,
    )
}

/// A server that answers each of `connections` requests with `answer`.
fn fixed_server(
    answer: &'static [u8],
    connections: usize,
) -> (SocketAddr, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    // Accepts for 30 s at most, so that a probe making fewer requests than expected fails
    // the test's own assertions instead of hanging it.
    listener.set_nonblocking(true).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let thread = std::thread::spawn(move || {
        let mut served = 0;
        while served < connections && std::time::Instant::now() < deadline {
            let Ok((mut stream, _)) = listener.accept() else {
                std::thread::sleep(std::time::Duration::from_millis(5));
                continue;
            };
            served += 1;
            stream.set_nonblocking(false).unwrap();
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = stream.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buf[..n]);
            }
            stream.write_all(answer).unwrap();
        }
    });
    (addr, thread)
}

#[test]
fn a_server_that_answers_star() {
    let (addr, server) = star_server(4);
    let url = format!("http://{addr}/data");
    let (code, text) = probe(&[&url, "--origin", FRONT, "-H", "Authorization: Bearer x"]);
    assert_eq!(code, Some(1), "{text}");
    has_line(
        &text,
        "blocked by the preflight: Access-Control-Allow-Headers does not list `authorization` (a `*` never covers Authorization)",
    );
    assert!(
        text.contains("fix: list `authorization` in the allowed headers by name"),
        "{text}"
    );

    let (code, text) = probe(&[&url, "--origin", FRONT, "--credentials"]);
    assert_eq!(code, Some(1), "{text}");
    has_line(
        &text,
        "blocked by the response: Access-Control-Allow-Origin is `*` but the request includes credentials",
    );

    let (code, text) = probe(&[&url, "--origin", FRONT, "-X", "DELETE"]);
    assert_eq!(code, Some(0), "{text}");
    server.join().unwrap();
}

/// A loopback port nothing listens on (one just released).
fn free_port() -> u16 {
    conformance::demo::free_port().unwrap()
}

#[test]
fn usage_and_network_errors_exit_2() {
    let url = format!("http://127.0.0.1:{}/", free_port());
    let url = url.as_str();
    for (args, says) in [
        (
            &[url][..],
            "error: the following required arguments were not provided",
        ),
        (
            &["--origin", FRONT],
            "error: the following required arguments were not provided",
        ),
        (
            &[url, "--origin", FRONT, "--unknown"],
            "error: unexpected argument '--unknown'",
        ),
        (
            &["ftp://example.com/", "--origin", FRONT],
            "cors probe: `ftp://example.com/` is not an http:// or https:// URL",
        ),
        (
            &["127.0.0.1:8000/api", "--origin", FRONT],
            "cors probe: `127.0.0.1:8000/api` is not a URL: relative URL without a base",
        ),
        (
            &[url, "--origin", "localhost:3000"],
            "cors probe: --origin `localhost:3000` is not an origin as a browser sends it",
        ),
        (
            &[url, "--origin", "http://localhost:3000/"],
            "cors probe: --origin `http://localhost:3000/` is not an origin as a browser sends it: did you mean `http://localhost:3000`?",
        ),
        (
            &[url, "--origin", FRONT, "--cacert", "no/such/ca.pem"],
            "cors probe: --cacert no/such/ca.pem: No such file or directory",
        ),
        (
            &[url, "--origin", FRONT, "--header", ": x"],
            "cors probe: --header: `: x` is not `Name: value`",
        ),
        (
            &[url, "--origin", FRONT, "--method", "GET POST"],
            "cors probe: method `GET POST` is not a token",
        ),
        (
            &[url, "--origin", FRONT, "-X", "TRACE"],
            "cors probe: fetch() refuses method `TRACE`",
        ),
        (
            &[url, "--origin", FRONT, "-H", "Cookie: session=1"],
            "cors probe: `Cookie` is a forbidden request header: fetch() drops it; --credentials sends the browser's own cookies",
        ),
        (
            &[
                url,
                "--origin",
                FRONT,
                "-H",
                "Origin: https://other.example",
            ],
            "cors probe: `Origin` is a forbidden request header",
        ),
        (
            &[url, "--origin", FRONT, "-H", "Sec-Fetch-Site: same-origin"],
            "cors probe: `Sec-Fetch-Site` is a forbidden request header",
        ),
        (
            &[url, "--origin", FRONT, "-H", "X-Name: caf\u{e9}"],
            "cors probe: the value of header `X-Name` is not printable ASCII",
        ),
    ] {
        let (code, text) = probe(args);
        assert_eq!(code, Some(2), "{args:?}: {text}");
        assert!(text.starts_with(says), "{args:?}: {text}");
    }
    // With --json, the error is JSON on standard output too.
    let out = Command::new(BIN)
        .args(["probe", "ftp://example.com/", "--origin", FRONT, "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["verdict"], "error");
    assert_eq!(
        value["error"],
        "`ftp://example.com/` is not an http:// or https:// URL"
    );
    // Nothing listens there.
    let (code, text) = probe(&[url, "--origin", FRONT]);
    assert_eq!(code, Some(2), "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.starts_with(&format!(
            "cors probe: {}: cannot connect",
            &url[7..url.len() - 1]
        )),
        "{text}"
    );
}

/// What a browser refuses before it sends anything, and what needs no CORS at all: no
/// server is asked.
#[test]
fn what_a_browser_never_sends_or_never_checks() {
    let (code, text) = probe(&["http://127.0.0.1:6000/api", "--origin", FRONT]);
    assert_eq!(code, Some(1), "{text}");
    has_line(
        &text,
        "blocked by the request: port 6000 is on Fetch's list of bad ports: a browser never connects to it",
    );
    assert!(!text.contains("  > "), "nothing sent: {text}");

    let (code, text) = probe(&[
        "http://192.0.2.10:8000/api",
        "--origin",
        "https://app.example.com",
    ]);
    assert_eq!(code, Some(1), "{text}");
    has_line(
        &text,
        "blocked by the request: mixed content: a page on https://app.example.com may not fetch the http:// URL http://192.0.2.10:8000/api",
    );
    has_line(&text, "fix: serve the API over https://");

    // The page's own origin: sent without a preflight and without a CORS check, even to a
    // server that sends no CORS header at all.
    let (own, server) = fixed_server(
        b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
        1,
    );
    let own = format!("http://{own}");
    let (code, text) = probe(&[&format!("{own}/api"), "--origin", &own, "-X", "PUT"]);
    assert_eq!(code, Some(0), "{text}");
    has_line(&text, "no preflight: a browser sends this request directly");
    has_line(&text, "  > sec-fetch-site: same-origin");
    assert!(
        text.contains("note: same origin: the URL is on the page's own origin, so a browser makes no CORS check"),
        "{text}"
    );
    server.join().unwrap();
}

/// The demo app on `adapter` behind TLS (`HttpsDemo`), and its certificate authority in a
/// file, removed when dropped.
struct Https {
    addr: SocketAddr,
    ca_file: PathBuf,
    _server: HttpsDemo,
}

impl Drop for Https {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.ca_file);
    }
}

fn https(adapter: Adapter, cors: Cors) -> Https {
    static FILES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let server = HttpsDemo::start(adapter, cors, SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
    let ca_file = std::env::temp_dir().join(format!(
        "cors-probe-test-ca-{}-{}.pem",
        std::process::id(),
        FILES.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    std::fs::write(&ca_file, server.ca_pem()).unwrap();
    Https {
        addr: server.addr(),
        ca_file,
        _server: server,
    }
}

#[test]
fn https_with_the_certificate_authority_trusted_speaks_http2_where_offered() {
    let cors = CorsConfig::new()
        .allowed_origins([FRONT])
        .allow_credentials(true)
        .build()
        .unwrap();
    let server = https(Adapter::Axum, cors.clone());
    let ca = server.ca_file.to_str().unwrap();
    for host in ["127.0.0.1", "localhost"] {
        let items = format!("https://{host}:{}/api/items", server.addr.port());
        let (code, text) = probe(&[&items, "--origin", FRONT, "--cacert", ca]);
        assert_eq!(code, Some(0), "{text}");
        has_line(&text, "  < HTTP/2.0 200 OK");
        allowed_for_the_front_end(&text);
    }
    let one = format!("https://127.0.0.1:{}/api/items/1", server.addr.port());
    let (code, text) = probe(&[
        &one,
        "--origin",
        FRONT,
        "-X",
        "PUT",
        "-H",
        "Content-Type: application/json",
        "--credentials",
        "--cacert",
        ca,
        "--json",
    ]);
    assert_eq!(code, Some(0), "{text}");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["preflight"]["http_version"], "HTTP/2.0");
    assert_eq!(value["request"]["http_version"], "HTTP/2.0");
    assert_eq!(value["verdict"], "allowed");

    // The other adapters behind a terminator that offers HTTP/1.1 only.
    for adapter in [Adapter::Actix, Adapter::Rocket, Adapter::Warp] {
        let server = https(adapter, cors.clone());
        let items = format!("https://127.0.0.1:{}/api/items", server.addr.port());
        let ca = server.ca_file.to_str().unwrap();
        let (code, text) = probe(&[&items, "--origin", FRONT, "--cacert", ca]);
        assert_eq!(code, Some(0), "{adapter:?}: {text}");
        has_line(&text, "  < HTTP/1.1 200 OK");
        let (code, text) = probe(&[&items, "--origin", "https://evil.example", "--cacert", ca]);
        assert_eq!(code, Some(1), "{adapter:?}: {text}");
        has_line(
            &text,
            "blocked by the response: no Access-Control-Allow-Origin header is present",
        );
    }
}

#[test]
fn a_certificate_not_trusted_is_one_line_and_exit_2_unless_insecure() {
    let cors = CorsConfig::new().allowed_origins([FRONT]).build().unwrap();
    let server = https(Adapter::Axum, cors);
    let items = format!("https://127.0.0.1:{}/api/items", server.addr.port());
    let (code, text) = probe(&[&items, "--origin", FRONT]);
    assert_eq!(code, Some(2), "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.starts_with(&format!(
            "cors probe: 127.0.0.1:{}: the server's certificate is not trusted",
            server.addr.port()
        )),
        "{text}"
    );
    assert!(
        text.contains(
            "not trusted: invalid peer certificate: UnknownIssuer (to trust a private or test CA"
        ),
        "{text}"
    );
    assert!(text.contains("--cacert FILE"), "{text}");

    // Another authority's certificate does not make this one trusted.
    let other = https(Adapter::Axum, CorsConfig::new().build().unwrap());
    let (code, text) = probe(&[
        &items,
        "--origin",
        FRONT,
        "--cacert",
        other.ca_file.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("certificate is not trusted"), "{text}");

    // A file that is not PEM is bad input.
    let not_pem = server.ca_file.with_extension("txt");
    std::fs::write(&not_pem, "not a certificate\n").unwrap();
    let not_pem = not_pem.to_str().unwrap();
    let (code, text) = probe(&[&items, "--origin", FRONT, "--cacert", not_pem]);
    let _ = std::fs::remove_file(not_pem);
    assert_eq!(code, Some(2), "{text}");
    assert_eq!(
        text,
        format!("cors probe: --cacert {not_pem}: the file holds no PEM certificate\n")
    );

    let (code, text) = probe(&[&items, "--origin", FRONT, "--insecure"]);
    assert_eq!(code, Some(0), "{text}");
    has_line(&text, "  < HTTP/2.0 200 OK");
}

#[test]
fn a_public_page_reaching_loopback_gets_the_local_network_access_note() {
    let cors = CorsConfig::new()
        .allowed_origins(["https://app.example.com"])
        .build()
        .unwrap();
    let server =
        DemoServer::start(Adapter::Axum, cors, SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
    let items = format!("http://{}/api/items", server.addr());
    let (code, text) = probe(&[&items, "--origin", "https://app.example.com"]);
    assert_eq!(code, Some(0), "{text}");
    has_line(
        &text,
        "note: Local Network Access: the URL is on a loopback address (127.0.0.1), more private than the page on https://app.example.com (taken as public: its address is not in its origin): Chrome 142 and later ask the user for permission before the page may reach it, whatever the server answers (no preflight is involved); if the user declines, the fetch fails",
    );
    // A page on this machine reaching this machine: no permission asked.
    let (code, text) = probe(&[&items, "--origin", FRONT]);
    assert_eq!(code, Some(1), "{text}");
    assert!(!text.contains("Local Network Access"), "{text}");
}

/// A response for `fixed_server`, made at run time.
fn answer(text: String) -> &'static [u8] {
    Box::leak(text.into_bytes().into_boxed_slice())
}

#[test]
fn redirects_are_followed_as_a_browser_follows_them() {
    // Across origins: the next request carries `Origin: null`, which `*` allows.
    let (b, to_b) = star_server(1);
    let (a, to_a) = fixed_server(
        answer(format!(
            "HTTP/1.1 307 Temporary Redirect\r\nlocation: http://{b}/b\r\n\
             access-control-allow-origin: *\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        )),
        1,
    );
    let (code, text) = probe(&[&format!("http://{a}/a"), "--origin", FRONT]);
    assert_eq!(code, Some(0), "{text}");
    has_line(&text, "  < HTTP/1.1 307 Temporary Redirect");
    has_line(
        &text,
        &format!("redirected: GET http://{b}/b with Origin: null"),
    );
    has_line(&text, "  > origin: null");
    assert!(
        text.contains("note: the redirect crosses origins"),
        "{text}"
    );
    to_a.join().unwrap();
    to_b.join().unwrap();

    // A 303 turns a POST into a GET, and the second server answers only the page's origin,
    // not `null`.
    let (b, to_b) = fixed_server(
        b"HTTP/1.1 200 OK\r\naccess-control-allow-origin: http://localhost:3000\r\n\
          content-length: 0\r\nconnection: close\r\n\r\n",
        1,
    );
    let (a, to_a) = fixed_server(
        answer(format!(
            "HTTP/1.1 303 See Other\r\nlocation: http://{b}/b\r\n\
             access-control-allow-origin: *\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        )),
        1,
    );
    let (code, text) = probe(&[
        &format!("http://{a}/a"),
        "--origin",
        FRONT,
        "-X",
        "POST",
        "-H",
        "Content-Type: text/plain",
    ]);
    assert_eq!(code, Some(1), "{text}");
    has_line(&text, "  > content-type: text/plain");
    has_line(
        &text,
        &format!("redirected: GET http://{b}/b with Origin: null"),
    );
    assert_eq!(
        text.matches("  > content-type: text/plain").count(),
        1,
        "the GET after a 303 carries no body header: {text}"
    );
    has_line(
        &text,
        "blocked by the response: Access-Control-Allow-Origin `http://localhost:3000` is not the request's Origin `null`",
    );
    assert!(
        text.contains(&format!(
            "fix: after the redirect across origins the browser sends `Origin: null`, which only `*` (without credentials) answers safely: point the page at http://{b}/b directly"
        )),
        "{text}"
    );
    to_a.join().unwrap();
    to_b.join().unwrap();

    // A preflight's redirect fails the preflight; nothing is followed.
    let (a, to_a) = fixed_server(
        b"HTTP/1.1 308 Permanent Redirect\r\nlocation: /a/\r\naccess-control-allow-origin: *\r\n\
          content-length: 0\r\nconnection: close\r\n\r\n",
        1,
    );
    let (code, text) = probe(&[&format!("http://{a}/a"), "--origin", FRONT, "-X", "PUT"]);
    assert_eq!(code, Some(1), "{text}");
    has_line(
        &text,
        "blocked by the preflight: the preflight response does not have an ok status (308 Permanent Redirect)",
    );
    assert!(
        text.contains("note: the preflight was redirected to `/a/`: a browser never follows a preflight's redirect"),
        "{text}"
    );
    to_a.join().unwrap();

    // A redirect without CORS headers is not followed at all.
    let (a, to_a) = fixed_server(
        b"HTTP/1.1 302 Found\r\nlocation: /login\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
        1,
    );
    let (code, text) = probe(&[&format!("http://{a}/a"), "--origin", FRONT]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("note: the server redirects to `/login`: a browser checks CORS on the redirect itself, and this one fails"),
        "{text}"
    );
    assert!(!text.contains("redirected:"), "{text}");
    to_a.join().unwrap();
}

/// A preflight that something before the CORS layer answers with an error status gets the
/// fix for that, not "add the origin".
#[test]
fn a_preflight_answered_404_without_cors_headers_points_at_the_layer_order() {
    // The preflight, then the narrower one with GET alone, which fails as well.
    let (a, to_a) = fixed_server(
        b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
        2,
    );
    let (code, text) = probe(&[&format!("http://{a}/a"), "--origin", FRONT, "-X", "PUT"]);
    assert_eq!(code, Some(1), "{text}");
    has_line(
        &text,
        "blocked by the preflight: no Access-Control-Allow-Origin header is present",
    );
    assert!(
        text.contains("fix: answer the preflight (an OPTIONS request) with a 2xx status"),
        "{text}"
    );
    to_a.join().unwrap();
}
