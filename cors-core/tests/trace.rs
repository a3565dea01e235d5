//! The `tracing` event every rejection emits (target `cors`, level debug), as
//! `tracing_subscriber::fmt` prints it: the line the README shows.
#![cfg(feature = "tracing")]
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use std::io::Write;
use std::sync::{Arc, Mutex};

use cors_core::{Cors, CorsConfig, HeaderField, RequestView};

/// A writer that keeps what the subscriber prints.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What `tracing_subscriber::fmt()` (no time, no colours) prints while `cors` classifies
/// `view`.
fn log_of(cors: &Cors, view: &RequestView<'_>) -> String {
    let out = Captured::default();
    let writer = out.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .without_time()
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        cors.classify(view);
    });
    String::from_utf8(out.0.lock().unwrap().clone()).unwrap()
}

fn policy() -> Cors {
    CorsConfig::new()
        .allowed_origins(["http://localhost:3000"])
        .build()
        .unwrap()
}

#[test]
fn a_refused_actual_request_is_logged_with_its_reason() {
    let view = RequestView {
        method: "GET",
        path: "/api/items",
        origin: HeaderField::One(b"http://localhost:5173"),
        ..RequestView::default()
    };
    assert_eq!(
        log_of(&policy(), &view),
        "DEBUG cors: CORS request rejected: the origin is not allowed by allowed_origins, \
         allowed_origin_regexes or the origin predicate method=GET path=/api/items \
         origin=http://localhost:5173 preflight=false\n"
    );
}

#[test]
fn a_refused_preflight_names_the_header() {
    let view = RequestView {
        method: "OPTIONS",
        path: "/api/items",
        origin: HeaderField::One(b"http://localhost:3000"),
        request_method: HeaderField::One(b"PUT"),
        request_headers: HeaderField::One(b"content-type,x-api-key"),
        ..RequestView::default()
    };
    assert_eq!(
        log_of(&policy(), &view),
        "DEBUG cors: CORS request rejected: request header `x-api-key` is not in allowed_headers \
         method=OPTIONS path=/api/items origin=http://localhost:3000 preflight=true\n"
    );
}

#[test]
fn hostile_origins_are_logged_escaped_and_cut_short() {
    let mut long = b"https://".to_vec();
    long.extend(std::iter::repeat_n(b'a', 70_000));
    let view = RequestView {
        method: "GET",
        path: "/",
        origin: HeaderField::One(&long),
        ..RequestView::default()
    };
    let line = log_of(&policy(), &view);
    assert!(line.len() < 400, "{} bytes logged", line.len());
    assert_eq!(line.lines().count(), 1);

    let view = RequestView {
        origin: HeaderField::One(b"https://a.com\r\nX-Injected: 1\xff"),
        ..view
    };
    let line = log_of(&policy(), &view);
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(!line.contains('\r'));

    let view = RequestView {
        origin: HeaderField::Repeated,
        ..view
    };
    assert!(log_of(&policy(), &view).ends_with(
        "CORS request rejected: the request has more than one `origin` header \
             method=GET path=/ origin=(repeated) preflight=false\n"
    ));
}

#[test]
fn a_path_the_adapter_did_not_read_and_a_long_one() {
    let view = RequestView {
        method: "GET",
        path: "",
        origin: HeaderField::One(b"https://evil.example"),
        ..RequestView::default()
    };
    assert!(
        log_of(&policy(), &view)
            .ends_with(" method=GET path=(not read) origin=https://evil.example preflight=false\n")
    );
    let long = format!("/{}", "a".repeat(70_000));
    let view = RequestView {
        path: &long,
        ..view
    };
    let line = log_of(&policy(), &view);
    assert!(
        line.contains(&format!(" path=/{}... (70001 bytes) ", "a".repeat(63))),
        "{line}"
    );
}

#[test]
fn allowed_requests_log_nothing() {
    let view = RequestView {
        method: "GET",
        path: "/api/items",
        origin: HeaderField::One(b"http://localhost:3000"),
        ..RequestView::default()
    };
    assert_eq!(log_of(&policy(), &view), "");
}

#[test]
fn a_failing_or_slow_origin_check_is_logged_with_its_reason() {
    use cors_core::{AsyncOriginPredicate, Decision};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let view = RequestView {
        method: "GET",
        path: "/api/items",
        origin: HeaderField::One(b"https://acme.tenants.example.net"),
        ..RequestView::default()
    };
    for (check, logged) in [
        (
            AsyncOriginPredicate::new(|_: String| async {
                Err::<bool, _>(std::io::Error::other("the tenant store is down"))
            }),
            " WARN cors: the origin check failed: the origin is refused \
             origin=https://acme.tenants.example.net error=the tenant store is down\n",
        ),
        (
            AsyncOriginPredicate::new(|_: String| async {
                tokio::time::sleep(std::time::Duration::from_secs(10)).await;
                Ok::<_, std::io::Error>(true)
            })
            .timeout(std::time::Duration::from_millis(20)),
            " WARN cors: the origin check did not answer in time: the origin is refused \
             origin=https://acme.tenants.example.net timeout=20ms\n",
        ),
    ] {
        let cors = CorsConfig::new().allow_origin_async(check).build().unwrap();
        let Decision::Check(pending) = cors.classify(&view) else {
            panic!("not asked")
        };
        let out = Captured::default();
        let writer = out.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::WARN)
            .with_ansi(false)
            .without_time()
            .with_writer(move || writer.clone())
            .finish();
        let verdict =
            tracing::subscriber::with_default(subscriber, || runtime.block_on(pending.verdict()));
        assert!(!verdict.is_allowed());
        assert_eq!(
            String::from_utf8(out.0.lock().unwrap().clone()).unwrap(),
            logged
        );
    }
}
