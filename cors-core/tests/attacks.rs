//! The attack shapes on origin matching, each a named test. Every one must end with no
//! `Access-Control-Allow-Origin` for the attacker, on actual requests and on preflights.
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

mod common;

use common::*;
use cors_core::{CorsConfig, Decision, HeaderField, Reason, RequestView};

const APP: &str = "https://app.example.com";

fn policy() -> cors_core::Cors {
    build(
        CorsConfig::new()
            .allowed_origins([APP, "https://*.tenants.example.com"])
            .allowed_origin_regexes([r"https://[a-z0-9-]+\.preview\.example\.com"])
            .allow_credentials(true),
    )
}

/// Asserts `origin` gets no CORS headers, neither on a GET nor on a preflight.
fn refused(origin: &[u8]) {
    let cors = policy();
    let mut get = Req {
        method: "GET",
        origin: Some(origin),
        ..Req::default()
    };
    let o = run(&cors, get);
    assert!(o.headers.is_empty(), "{}: {o:?}", origin.escape_ascii());
    assert_eq!(o.vary.as_deref(), Some("Origin"));
    get.method = "OPTIONS";
    get.acrm = Some(b"PUT");
    let o = run(&cors, get);
    assert_eq!(o.status, Some(403), "{}", origin.escape_ascii());
    assert!(o.headers.is_empty());
}

#[test]
fn the_listed_origins_are_allowed() {
    let cors = policy();
    for ok in [
        APP,
        "https://acme.tenants.example.com",
        "https://pr-1.preview.example.com",
    ] {
        assert_eq!(run(&cors, get(ok)).allow_origin(), Some(ok));
    }
}

#[test]
fn suffix_attack() {
    refused(b"https://app.example.com.evil.com");
    refused(b"https://acme.tenants.example.com.evil.com");
    refused(b"https://pr-1.preview.example.com.evil.com");
}

#[test]
fn prefix_attack() {
    refused(b"https://evilapp.example.com");
    refused(b"https://eviltenants.example.com");
    refused(b"https://evil.com/https://app.example.com");
}

#[test]
fn scheme_downgrade() {
    refused(b"http://app.example.com");
    refused(b"http://acme.tenants.example.com");
    refused(b"http://pr-1.preview.example.com");
}

#[test]
fn another_port() {
    refused(b"https://app.example.com:8443");
    refused(b"https://acme.tenants.example.com:444");
}

#[test]
fn trailing_slash() {
    refused(b"https://app.example.com/");
}

#[test]
fn upper_case_scheme_or_host() {
    refused(b"HTTPS://app.example.com");
    refused(b"https://APP.example.com");
    refused(b"https://App.Example.Com");
}

#[test]
fn null_origin() {
    refused(b"null");
}

#[test]
fn empty_origin() {
    refused(b"");
}

#[test]
fn eight_kilobyte_origin() {
    let long = format!("https://{}.tenants.example.com", "a".repeat(8 * 1024));
    refused(long.as_bytes());
    let cors = policy();
    let view = Req {
        method: "GET",
        origin: Some(long.as_bytes()),
        ..Req::default()
    }
    .view();
    let Decision::Forward(f) = cors.classify(&view) else {
        panic!()
    };
    assert_eq!(f.rejection(), Some(Reason::MalformedOrigin));
}

#[test]
fn invalid_utf8() {
    refused(b"https://app.example.com\xff");
    refused(b"https://\xc3\x28.example.com");
    refused(&[0x80, 0x81, 0xfe]);
}

#[test]
fn control_bytes_and_header_injection() {
    refused(b"https://app.example.com\r\nSet-Cookie: x=1");
    refused(b"https://app.example.com\0");
    refused(b"https://app.example.com ");
}

#[test]
fn userinfo_trick() {
    refused(b"https://app.example.com@evil.com");
    refused(b"https://evil.com@app.example.com");
}

#[test]
fn two_origin_headers() {
    let cors = policy();
    for (method, acrm) in [
        ("GET", HeaderField::Absent),
        ("OPTIONS", HeaderField::One(b"PUT")),
    ] {
        let view = RequestView {
            method,
            path: "/",
            origin: HeaderField::Repeated,
            request_method: acrm,
            ..RequestView::default()
        };
        let reason = match cors.classify(&view) {
            Decision::Forward(f) => {
                assert!(f.headers(&cors, b"").iter().next().is_none());
                f.rejection()
            }
            Decision::Respond(r) => {
                assert_eq!(r.status(), 403);
                assert!(r.headers().iter().next().is_none());
                r.rejection()
            }
            Decision::Skip | Decision::Check(_) => panic!("skipped"),
        };
        assert_eq!(reason, Some(Reason::RepeatedOrigin));
    }
}

#[test]
fn unanchored_django_regex_does_not_admit_a_suffix() {
    // django-cors-headers uses re.match: anchored at the start only, so this common setting
    // also admits http://127.0.0.1.evil.com there. Here regexes match the whole origin.
    let cors = build(CorsConfig::new().allowed_origin_regexes([r"(?:https?:\/\/)127.0.0.1:*"]));
    for attack in [
        "http://127.0.0.1.evil.com",
        "https://127.0.0.1.evil.com:8000",
        "http://127.0.0.1:8000",
    ] {
        assert!(run(&cors, get(attack)).headers.is_empty(), "{attack}");
    }
    // The intended form, written as a full match:
    let cors = build(CorsConfig::new().allowed_origin_regexes([r"https?://127\.0\.0\.1(:\d+)?"]));
    assert_eq!(
        run(&cors, get("http://127.0.0.1:8000")).allow_origin(),
        Some("http://127.0.0.1:8000")
    );
    assert!(
        run(&cors, get("http://127.0.0.1.evil.com"))
            .headers
            .is_empty()
    );
}

#[test]
fn subdomain_pattern_never_matches_the_bare_domain_or_a_lookalike() {
    refused(b"https://tenants.example.com");
    refused(b"https://.tenants.example.com");
    refused(b"https://a..tenants.example.com");
    refused(b"https://acmetenants.example.com");
}

#[test]
fn hostile_regex_shaped_origin_is_just_a_string() {
    // Regex syntax in the request is data: it neither matches broadly nor costs time.
    refused(b"https://.*");
    refused(b"https://(a+)+$");
    refused(format!("https://{}!", "a".repeat(1000)).as_bytes());
}
