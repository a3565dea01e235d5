//! One test per decision rule of the design: classification, origins, preflights, actual
//! requests, Vary, private network access, urls_regex, debug mode.
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

mod common;

use common::*;
use cors_core::vary::{VaryUpdate, merge};
use cors_core::{CorsConfig, OriginPredicate};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const APP: &str = "https://app.example.com";

fn policy() -> cors_core::Cors {
    build(CorsConfig::new().allowed_origins([APP]))
}

// ---- classification ----

#[test]
fn no_origin_is_not_cors_and_gets_vary_origin_only() {
    let o = run(
        &policy(),
        Req {
            method: "GET",
            ..Req::default()
        },
    );
    assert_eq!(o.action, "forward");
    assert!(o.headers.is_empty());
    assert_eq!(o.vary.as_deref(), Some("Origin"));
    assert_eq!(o.rejection, None);
}

#[test]
fn no_origin_on_an_allow_all_policy_still_varies_on_origin() {
    // A cache must not serve this no-ACAO answer to a cross-origin request later.
    let o = run(
        &build(CorsConfig::new().allow_all_origins(true)),
        Req {
            method: "GET",
            ..Req::default()
        },
    );
    assert_eq!(o.vary.as_deref(), Some("Origin"));
    assert!(o.headers.is_empty());
}

#[test]
fn preflight_is_options_with_origin_and_request_method() {
    let o = run(&policy(), preflight(APP, "PUT", None));
    assert_eq!(o.action, "respond");
    assert_eq!(o.status, Some(200));
}

#[test]
fn options_without_request_method_is_an_actual_request_for_the_app() {
    let req = Req {
        method: "OPTIONS",
        origin: Some(APP.as_bytes()),
        ..Req::default()
    };
    let o = run(&policy(), req);
    assert_eq!(o.action, "forward");
    assert_eq!(o.headers, pairs(&[("access-control-allow-origin", APP)]));
}

#[test]
fn lowercase_options_is_not_a_preflight() {
    let mut req = preflight(APP, "PUT", None);
    req.method = "options";
    assert_eq!(run(&policy(), req).action, "forward");
}

// ---- actual requests ----

#[test]
fn allowed_actual_request_echoes_origin_with_vary() {
    let o = run(&policy(), get(APP));
    assert_eq!(o.action, "forward");
    assert_eq!(o.headers, pairs(&[("access-control-allow-origin", APP)]));
    assert_eq!(o.vary.as_deref(), Some("Origin"));
}

#[test]
fn credentials_add_allow_credentials_on_actual_and_preflight() {
    let cors = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .allow_credentials(true),
    );
    let o = run(&cors, get(APP));
    assert_eq!(o.header("access-control-allow-credentials"), Some("true"));
    let o = run(&cors, preflight(APP, "PUT", None));
    assert_eq!(o.header("access-control-allow-credentials"), Some("true"));
}

#[test]
fn no_credentials_no_allow_credentials_header() {
    let o = run(&policy(), get(APP));
    assert_eq!(o.header("access-control-allow-credentials"), None);
    let o = run(&policy(), preflight(APP, "PUT", None));
    assert_eq!(o.header("access-control-allow-credentials"), None);
}

#[test]
fn expose_headers_on_actual_requests_only_in_configured_order() {
    let cors = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .expose_headers(["X-Request-Id", "content-length"]),
    );
    let o = run(&cors, get(APP));
    assert_eq!(
        o.header("access-control-expose-headers"),
        Some("x-request-id, content-length")
    );
    let o = run(&cors, preflight(APP, "GET", None));
    assert_eq!(o.header("access-control-expose-headers"), None);
}

#[test]
fn disallowed_actual_request_runs_the_app_without_cors_headers() {
    let o = run(&policy(), get("https://evil.com"));
    assert_eq!(o.action, "forward");
    assert!(o.headers.is_empty());
    assert_eq!(o.vary.as_deref(), Some("Origin"));
    assert_eq!(
        o.rejection.as_deref(),
        Some(
            "the origin is not allowed by allowed_origins, allowed_origin_regexes or the origin predicate"
        )
    );
}

#[test]
fn csrf_protection_refuses_an_unsafe_request_from_another_site_only() {
    let cors = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .csrf_protection(true),
    );
    let req =
        |method: &'static str, origin: Option<&'static str>, site: Option<&'static [u8]>| Req {
            method,
            origin: origin.map(str::as_bytes),
            host: Some(b"api.example.com"),
            site,
            ..Req::default()
        };
    let evil = Some("https://evil.com");
    // An unsafe method from a disallowed origin on another site: 403, no CORS header, the
    // app never runs.
    for method in ["POST", "PUT", "PATCH", "DELETE", "post", "PROPFIND"] {
        for site in [Some(&b"cross-site"[..]), Some(b"same-site"), None] {
            let o = run(&cors, req(method, evil, site));
            assert_eq!(o.action, "respond", "{method} {site:?}");
            assert_eq!(o.status, Some(403));
            assert!(o.headers.is_empty());
            assert_eq!(o.vary.as_deref(), Some("Origin"));
            assert_eq!(
                o.rejection.as_deref(),
                Some(
                    "csrf_protection: a request with an unsafe method from another site, whose origin is not allowed by allowed_origins, allowed_origin_regexes or the origin predicate"
                )
            );
        }
    }
    // A safe method runs the app; the browser keeps the answer from the page.
    for method in ["GET", "HEAD", "OPTIONS"] {
        let o = run(&cors, req(method, evil, Some(b"cross-site")));
        assert_eq!(o.action, "forward", "{method}");
        assert!(o.headers.is_empty());
    }
    // An allowed origin is not refused.
    let o = run(&cors, req("POST", Some(APP), Some(b"cross-site")));
    assert_eq!((o.action, o.allow_origin()), ("forward", Some(APP)));
    // Neither `Origin` nor `Sec-Fetch-Site`: not a browser's request (curl, a server).
    assert_eq!(run(&cors, req("POST", None, None)).action, "forward");
    // A browser's cross-site request that lost its `Origin`: refused.
    assert_eq!(
        run(&cors, req("POST", None, Some(b"cross-site"))).status,
        Some(403)
    );
    assert_eq!(
        run(&cors, req("POST", None, Some(b"none"))).action,
        "forward"
    );
    // `null` (a sandboxed page, a privacy-sensitive redirect) is an origin like any other.
    assert_eq!(
        run(&cors, req("POST", Some("null"), Some(b"cross-site"))).status,
        Some(403)
    );
    // Without the opt-in nothing is refused.
    let off = build(CorsConfig::new().allowed_origins([APP]));
    assert_eq!(
        run(&off, req("POST", evil, Some(b"cross-site"))).action,
        "forward"
    );
}

// ---- origins ----

#[test]
fn allow_all_without_credentials_answers_star() {
    let cors = build(CorsConfig::new().allow_all_origins(true));
    let o = run(&cors, get("https://anything.example"));
    assert_eq!(o.headers, pairs(&[("access-control-allow-origin", "*")]));
    let o = run(
        &cors,
        preflight("https://anything.example", "PUT", Some("content-type")),
    );
    assert_eq!(o.allow_origin(), Some("*"));
    assert_eq!(o.header("access-control-allow-credentials"), None);
}

#[test]
fn allow_all_with_credentials_reflects_only_with_the_opt_in_and_never_null() {
    let cors = build(
        CorsConfig::new()
            .allow_all_origins(true)
            .allow_credentials(true)
            .allow_credentials_with_any_origin(true),
    );
    let o = run(&cors, get("https://anything.example"));
    assert_eq!(
        o.headers,
        pairs(&[
            ("access-control-allow-origin", "https://anything.example"),
            ("access-control-allow-credentials", "true"),
        ])
    );
    let o = run(&cors, get("null"));
    assert!(o.headers.is_empty());
}

#[test]
fn null_is_allowed_only_when_listed() {
    assert!(run(&policy(), get("null")).headers.is_empty());
    let cors = build(CorsConfig::new().allowed_origins(["null"]));
    assert_eq!(run(&cors, get("null")).allow_origin(), Some("null"));
    // a regex or predicate that would match anything never admits null
    let cors = build(
        CorsConfig::new()
            .allowed_origin_regexes([".*"])
            .allow_origin_fn(OriginPredicate::new(|_: &str| true)),
    );
    assert!(run(&cors, get("null")).headers.is_empty());
    assert_eq!(
        run(&cors, get("https://x.test")).allow_origin(),
        Some("https://x.test")
    );
}

#[test]
fn configured_origins_are_normalised_request_origins_are_not() {
    let cors = build(CorsConfig::new().allowed_origins(["HTTPS://App.Example.com:443"]));
    assert_eq!(run(&cors, get(APP)).allow_origin(), Some(APP));
    assert!(
        run(&cors, get("https://App.example.com"))
            .headers
            .is_empty()
    );
    assert!(
        run(&cors, get("https://app.example.com:443"))
            .headers
            .is_empty()
    );
}

#[test]
fn subdomain_patterns_match_one_or_more_labels_never_the_bare_domain() {
    let cors = build(CorsConfig::new().allowed_origins(["https://*.example.com"]));
    assert_eq!(
        run(&cors, get("https://a.example.com")).allow_origin(),
        Some("https://a.example.com")
    );
    assert_eq!(
        run(&cors, get("https://a.b.example.com")).allow_origin(),
        Some("https://a.b.example.com")
    );
    assert!(run(&cors, get("https://example.com")).headers.is_empty());
    assert!(
        run(&cors, get("https://a.example.com.evil.com"))
            .headers
            .is_empty()
    );
    assert!(run(&cors, get("http://a.example.com")).headers.is_empty());
}

#[test]
fn predicate_is_asked_last_and_only_with_well_formed_origins() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let cors = build(CorsConfig::new().allowed_origins([APP]).allow_origin_fn(
        OriginPredicate::new(move |o: &str| {
            seen.fetch_add(1, Ordering::SeqCst);
            o == "https://tenant.example.net"
        }),
    ));
    assert_eq!(run(&cors, get(APP)).allow_origin(), Some(APP));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        0,
        "exact hit must not ask the predicate"
    );
    assert_eq!(
        run(&cors, get("https://tenant.example.net")).allow_origin(),
        Some("https://tenant.example.net")
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    for bad in ["null", "HTTPS://X.COM", "https://x.com/", ""] {
        assert!(run(&cors, get(bad)).headers.is_empty());
    }
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "malformed origins and null never reach the predicate"
    );
}

#[test]
fn replacing_origins_at_run_time_reaches_every_clone() {
    let cors = policy();
    let adapter_copy = cors.clone();
    assert!(
        run(&adapter_copy, get("https://new.example.com"))
            .headers
            .is_empty()
    );
    cors.replace_allowed_origins(["https://new.example.com"], [r"https://[a-z]+\.new\.test"])
        .unwrap();
    assert_eq!(
        run(&adapter_copy, get("https://new.example.com")).allow_origin(),
        Some("https://new.example.com")
    );
    assert_eq!(
        run(&adapter_copy, get("https://a.new.test")).allow_origin(),
        Some("https://a.new.test")
    );
    assert!(run(&adapter_copy, get(APP)).headers.is_empty());
    let err = cors
        .replace_allowed_origins(["new.example.com"], Vec::<String>::new())
        .unwrap_err()
        .first()
        .clone();
    assert_eq!(err.field(), "allowed_origins");
    // a failed replacement changes nothing
    assert_eq!(
        run(&adapter_copy, get("https://new.example.com")).allow_origin(),
        Some("https://new.example.com")
    );
}

// ---- preflights ----

#[test]
fn allowed_preflight_answers_every_header_and_vary() {
    let cors = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .allow_credentials(true)
            .max_age(600),
    );
    let o = run(
        &cors,
        preflight(APP, "PUT", Some("content-type,authorization")),
    );
    assert_eq!(o.status, Some(200));
    assert_eq!(
        o.headers,
        pairs(&[
            ("access-control-allow-origin", APP),
            ("access-control-allow-credentials", "true"),
            ("access-control-allow-methods", DEFAULT_METHODS),
            ("access-control-allow-headers", DEFAULT_HEADERS),
            ("access-control-max-age", "600"),
        ])
    );
    assert_eq!(o.vary.as_deref(), Some(PREFLIGHT_VARY));
    assert_eq!(o.rejection, None);
    assert_eq!(o.body, None);
}

#[test]
fn max_age_none_sends_no_header() {
    let cors = build(CorsConfig::new().allowed_origins([APP]).max_age(None));
    assert_eq!(
        run(&cors, preflight(APP, "PUT", None)).header("access-control-max-age"),
        None
    );
    assert_eq!(
        run(&policy(), preflight(APP, "PUT", None)).header("access-control-max-age"),
        Some("86400")
    );
}

#[test]
fn preflight_status_is_configurable() {
    let cors = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .preflight_status(204),
    );
    assert_eq!(run(&cors, preflight(APP, "PUT", None)).status, Some(204));
}

#[test]
fn rejected_preflight_has_no_cors_headers_and_a_reason() {
    let o = run(&policy(), preflight("https://evil.com", "PUT", None));
    assert_eq!(o.action, "respond");
    assert_eq!(o.status, Some(403));
    assert!(o.headers.is_empty());
    assert_eq!(o.vary.as_deref(), Some(PREFLIGHT_VARY));
    assert!(o.rejection.is_some());
    assert_eq!(o.body, None, "the reason is in the body only in debug mode");
}

#[test]
fn debug_mode_puts_the_reason_in_the_body() {
    let cors = build(CorsConfig::new().allowed_origins([APP]).debug(true));
    let o = run(&cors, preflight(APP, "PUT", Some("x-api-key")));
    assert_eq!(o.status, Some(403));
    assert_eq!(
        o.body.as_deref(),
        Some("CORS preflight rejected: request header `x-api-key` is not in allowed_headers\n")
    );
}

#[test]
fn debug_mode_puts_no_header_on_a_rejected_preflight() {
    let cors = build(CorsConfig::new().allowed_origins([APP]).debug(true));
    let o = run(&cors, preflight("https://evil.com", "PUT", None));
    assert_eq!(o.debug_header, None, "a preflight says why in its body");
    assert_eq!(
        o.body.as_deref(),
        Some(
            "CORS preflight rejected: the origin is not allowed by allowed_origins, allowed_origin_regexes or the origin predicate\n"
        )
    );
}

#[test]
fn debug_mode_names_why_an_actual_request_was_refused_in_a_header() {
    const NOT_ALLOWED: &str = "the origin is not allowed by allowed_origins, allowed_origin_regexes or the origin predicate";
    let cors = build(CorsConfig::new().allowed_origins([APP]).debug(true));
    let o = run(&cors, get("https://evil.com"));
    assert_eq!(o.action, "forward");
    assert!(o.headers.is_empty());
    assert_eq!(o.debug_header.as_deref(), Some(NOT_ALLOWED));
    assert_eq!(o.rejection.as_deref(), Some(NOT_ALLOWED));

    let o = run(&cors, get("https://App.example.com"));
    assert_eq!(
        o.debug_header.as_deref(),
        Some(
            "the Origin header is not a serialised origin (lower-case scheme://host[:port] or null)"
        )
    );
    let view = cors_core::RequestView {
        method: "GET",
        path: "/",
        origin: cors_core::HeaderField::Repeated,
        ..cors_core::RequestView::default()
    };
    let cors_core::Decision::Forward(forward) = cors.classify(&view) else {
        panic!("a repeated Origin is forwarded without CORS headers")
    };
    assert_eq!(
        forward
            .headers(&cors, b"")
            .get("X-CORS-Rejected")
            .map(|v| v.as_str()),
        Some("the request has more than one `origin` header")
    );

    // allowed, and not CORS at all: no header
    assert_eq!(run(&cors, get(APP)).debug_header, None);
    let no_origin = Req {
        method: "GET",
        ..Req::default()
    };
    assert_eq!(run(&cors, no_origin).debug_header, None);
    // debug off: no header
    assert_eq!(run(&policy(), get("https://evil.com")).debug_header, None);
}

#[test]
fn urls_regex_matches_the_path_with_unreserved_characters_decoded() {
    // actix-web and Rocket route `/%61pi/items` to `/api/items`: so does the policy.
    let cors = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .urls_regex("/api/.*"),
    );
    for path in ["/api/items", "/%61pi/items", "/%61%70%69/items"] {
        let o = run(
            &cors,
            Req {
                method: "GET",
                path,
                origin: Some(APP.as_bytes()),
                ..Req::default()
            },
        );
        assert_eq!(o.action, "forward", "{path}");
        assert_eq!(
            o.headers,
            [("access-control-allow-origin".to_owned(), APP.to_owned())],
            "{path}"
        );
    }
    // `%2F` is not a `/` to a router, and a regex sees it as written.
    let o = run(
        &cors,
        Req {
            method: "GET",
            path: "/api%2Fitems",
            origin: Some(APP.as_bytes()),
            ..Req::default()
        },
    );
    assert_eq!(o.action, "skip");
}

#[test]
fn csrf_protection_covers_the_paths_urls_regex_leaves_out() {
    // A form post to a route outside `urls_regex` changes state as well as one inside.
    let cors = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .urls_regex("/api/.*")
            .csrf_protection(true),
    );
    let req =
        |method: &'static str, origin: Option<&'static str>, site: Option<&'static [u8]>| Req {
            method,
            path: "/account/transfer",
            origin: origin.map(str::as_bytes),
            host: Some(b"api.example.com"),
            site,
            ..Req::default()
        };
    let o = run(
        &cors,
        req("POST", Some("https://evil.com"), Some(b"cross-site")),
    );
    assert_eq!((o.action, o.status), ("respond", Some(403)));
    assert!(o.headers.is_empty());
    let o = run(&cors, req("POST", None, Some(b"same-site")));
    assert_eq!((o.action, o.status), ("respond", Some(403)));
    let o = run(&cors, req("POST", Some("https://evil.com"), None));
    assert_eq!(
        (o.action, o.status),
        ("respond", Some(403)),
        "Origin is not the Host"
    );
    // Out of scope and not refused: skipped, as without the opt-in.
    for o in [
        run(
            &cors,
            req("GET", Some("https://evil.com"), Some(b"cross-site")),
        ),
        run(&cors, req("POST", Some(APP), Some(b"cross-site"))),
        run(
            &cors,
            req("POST", Some("https://evil.com"), Some(b"same-origin")),
        ),
        run(&cors, req("POST", Some("https://api.example.com"), None)),
        run(&cors, req("POST", None, None)),
    ] {
        assert_eq!(o.action, "skip");
    }
    let off = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .urls_regex("/api/.*"),
    );
    assert_eq!(
        run(
            &off,
            req("POST", Some("https://evil.com"), Some(b"cross-site"))
        )
        .action,
        "skip"
    );
}

#[test]
fn csrf_protection_takes_an_unknown_fetch_site_as_another_site() {
    let cors = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .csrf_protection(true),
    );
    for site in [&b"cross-origin"[..], b"", b"Same-Origin"] {
        let o = run(
            &cors,
            Req {
                method: "POST",
                site: Some(site),
                ..Req::default()
            },
        );
        assert_eq!(o.status, Some(403), "{}", site.escape_ascii());
    }
}

#[test]
fn csrf_protection_that_cannot_refuse_anything_is_warned_about() {
    let all = CorsConfig::new()
        .allow_all_origins(true)
        .csrf_protection(true)
        .build()
        .unwrap();
    assert!(
        all.warnings().iter().any(|w| w.field() == "csrf_protection"
            && w.to_string()
                .contains("has no effect: allow_all_origins allows every origin")),
        "{:?}",
        all.warnings()
    );
    let null = CorsConfig::new()
        .allowed_origins([APP, "null"])
        .csrf_protection(true)
        .build()
        .unwrap();
    assert!(
        null.warnings()
            .iter()
            .any(|w| w.field() == "csrf_protection"
                && w.to_string()
                    .contains("a sandboxed iframe on any site sends `Origin: null`")),
        "{:?}",
        null.warnings()
    );
    let fine = CorsConfig::new()
        .allowed_origins([APP])
        .csrf_protection(true)
        .build()
        .unwrap();
    assert!(fine.warnings().is_empty(), "{:?}", fine.warnings());
}

#[test]
fn debug_mode_with_csrf_protection_says_why_in_body_and_header() {
    let cors = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .csrf_protection(true)
            .debug(true),
    );
    let o = run(
        &cors,
        Req {
            method: "POST",
            ..get("https://evil.com")
        },
    );
    assert_eq!(o.status, Some(403));
    assert_eq!(
        o.body.as_deref(),
        Some(
            "CORS request rejected: csrf_protection: a request with an unsafe method from another site, whose origin is not allowed by allowed_origins, allowed_origin_regexes or the origin predicate\n"
        )
    );
    assert_eq!(
        o.debug_header.as_deref(),
        Some(
            "csrf_protection: a request with an unsafe method from another site, whose origin is not allowed by allowed_origins, allowed_origin_regexes or the origin predicate"
        )
    );
}

#[test]
fn methods_compare_case_sensitively() {
    let o = run(&policy(), preflight(APP, "patch", None));
    assert_eq!(o.status, Some(403));
    assert_eq!(
        o.rejection.as_deref(),
        Some("method `patch` is not in allowed_methods (methods are case-sensitive)")
    );
    assert_eq!(
        run(&policy(), preflight(APP, "PATCH", None)).status,
        Some(200)
    );
}

#[test]
fn method_outside_the_list_is_rejected() {
    let cors = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .allowed_methods(["GET", "POST"]),
    );
    assert_eq!(run(&cors, preflight(APP, "DELETE", None)).status, Some(403));
    let o = run(&cors, preflight(APP, "POST", None));
    assert_eq!(o.header("access-control-allow-methods"), Some("GET, POST"));
}

#[test]
fn malformed_or_empty_request_method_is_rejected() {
    for m in ["", "PUT POST", "PU\u{e9}T"] {
        let o = run(&policy(), preflight(APP, m, None));
        assert_eq!(o.status, Some(403), "{m:?}");
        assert_eq!(
            o.rejection.as_deref(),
            Some("Access-Control-Request-Method is not a method name")
        );
    }
}

#[test]
fn header_names_compare_case_insensitively_tolerating_spaces_and_empty_elements() {
    let cors = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .allowed_headers(["Content-Type", "X-Api-Key"]),
    );
    for list in [
        "content-type",
        "CONTENT-TYPE, x-api-key",
        " x-api-key ,, content-type ,",
        "",
    ] {
        let o = run(&cors, preflight(APP, "PUT", Some(list)));
        assert_eq!(o.status, Some(200), "{list:?}");
        assert_eq!(
            o.header("access-control-allow-headers"),
            Some("content-type, x-api-key")
        );
    }
}

#[test]
fn a_header_outside_the_list_rejects_and_is_named() {
    let o = run(
        &policy(),
        preflight(APP, "PUT", Some("content-type, x-api-key")),
    );
    assert_eq!(o.status, Some(403));
    assert_eq!(
        o.rejection.as_deref(),
        Some("request header `x-api-key` is not in allowed_headers")
    );
}

#[test]
fn malformed_header_list_is_rejected() {
    let o = run(&policy(), preflight(APP, "PUT", Some("content-type, x y")));
    assert_eq!(o.status, Some(403));
    assert_eq!(
        o.rejection.as_deref(),
        Some("Access-Control-Request-Headers element `x y` is not a header name")
    );
}

#[test]
fn star_methods_and_headers_without_credentials_answer_star() {
    let cors = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .allowed_methods(["*"])
            .allowed_headers(["*"]),
    );
    let o = run(&cors, preflight(APP, "PURGE", Some("x-a, x-b")));
    assert_eq!(o.header("access-control-allow-methods"), Some("*"));
    assert_eq!(o.header("access-control-allow-headers"), Some("*"));
}

#[test]
fn star_headers_never_cover_authorization_so_it_is_mirrored() {
    let cors = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .allowed_headers(["*"]),
    );
    let o = run(&cors, preflight(APP, "GET", Some("authorization,x-a")));
    assert_eq!(
        o.header("access-control-allow-headers"),
        Some("authorization,x-a")
    );
}

#[test]
fn star_with_credentials_mirrors_methods_and_headers() {
    let cors = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .allow_credentials(true)
            .allowed_methods(["*"])
            .allowed_headers(["*"]),
    );
    let o = run(&cors, preflight(APP, "PURGE", Some("x-a,x-b")));
    assert_eq!(o.header("access-control-allow-methods"), Some("PURGE"));
    assert_eq!(o.header("access-control-allow-headers"), Some("x-a,x-b"));
    // nothing requested: nothing to name
    let o = run(&cors, preflight(APP, "PURGE", None));
    assert_eq!(o.header("access-control-allow-headers"), None);
}

#[test]
fn repeated_preflight_headers_are_rejected() {
    let mut view = preflight(APP, "PUT", None).view();
    view.request_method = cors_core::HeaderField::Repeated;
    let cors = policy();
    let cors_core::Decision::Respond(r) = cors.classify(&view) else {
        panic!()
    };
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.rejection(),
        Some(cors_core::Reason::RepeatedHeader(
            "access-control-request-method"
        ))
    );

    let mut view = preflight(APP, "PUT", None).view();
    view.request_headers = cors_core::HeaderField::Repeated;
    let cors_core::Decision::Respond(r) = cors.classify(&view) else {
        panic!()
    };
    assert_eq!(
        r.rejection(),
        Some(cors_core::Reason::RepeatedHeader(
            "access-control-request-headers"
        ))
    );
}

// ---- private network access ----

#[test]
fn private_network_answered_when_enabled_and_asked_exactly() {
    let cors = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .allow_private_network(true),
    );
    let mut req = preflight(APP, "GET", None);
    req.pna = Some(b"true");
    let o = run(&cors, req);
    assert_eq!(
        o.header("access-control-allow-private-network"),
        Some("true")
    );
    assert_eq!(
        o.vary.as_deref(),
        Some(
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network"
        )
    );
    for not_exactly_true in [&b"TRUE"[..], b"1", b"", b"true "] {
        req.pna = Some(not_exactly_true);
        let o = run(&cors, req);
        assert_eq!(o.status, Some(200));
        assert_eq!(o.header("access-control-allow-private-network"), None);
    }
}

#[test]
fn private_network_refused_when_disabled_or_origin_not_allowed() {
    let mut req = preflight(APP, "GET", None);
    req.pna = Some(b"true");
    let o = run(&policy(), req);
    assert_eq!(o.status, Some(403));
    assert_eq!(
        o.rejection.as_deref(),
        Some("the preflight asks for private network access and allow_private_network is off")
    );
    let cors = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .allow_private_network(true),
    );
    let mut req = preflight("https://evil.com", "GET", None);
    req.pna = Some(b"true");
    let o = run(&cors, req);
    assert_eq!(o.status, Some(403));
    assert!(o.headers.is_empty());
}

// ---- urls_regex ----

#[test]
fn urls_regex_must_match_the_whole_path() {
    let cors = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .urls_regex(r"/api/.*"),
    );
    let mut req = get(APP);
    req.path = "/api/items";
    assert_eq!(run(&cors, req).action, "forward");
    for path in ["/x/api/items", "/apix", "/", "/api"] {
        req.path = path;
        assert_eq!(run(&cors, req).action, "skip", "{path}");
    }
    let mut pre = preflight(APP, "PUT", None);
    pre.path = "/static/app.js";
    assert_eq!(
        run(&cors, pre).action,
        "skip",
        "preflights outside urls_regex reach the app"
    );
}

#[test]
fn django_style_anchors_in_urls_regex_still_work() {
    let cors = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .urls_regex(r"^/api/.*$"),
    );
    let mut req = get(APP);
    req.path = "/api/x";
    assert_eq!(run(&cors, req).action, "forward");
    req.path = "/other";
    assert_eq!(run(&cors, req).action, "skip");
}

// ---- owned headers and Vary ----

#[test]
fn each_owned_header_appears_at_most_once() {
    let cors = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .allow_credentials(true)
            .expose_headers(["x-a"])
            .allow_private_network(true),
    );
    let mut req = preflight(APP, "PUT", Some("content-type"));
    req.pna = Some(b"true");
    for o in [run(&cors, req), run(&cors, get(APP))] {
        let mut names: Vec<&str> = o.headers.iter().map(|(n, _)| n.as_str()).collect();
        let all = names.len();
        names.dedup();
        assert_eq!(names.len(), all);
        for name in &names {
            assert!(cors_core::OWNED_HEADERS.iter().any(|h| h.as_str() == *name));
        }
    }
}

#[test]
fn vary_merge_keeps_the_apps_lines_and_never_doubles_origin() {
    let origin = cors_core::http::HeaderValue::from_static("Origin");
    let VaryUpdate::Replace(once) = merge([&b"Accept-Encoding"[..]], &origin) else {
        panic!()
    };
    assert_eq!(once, "Accept-Encoding, Origin");
    // a second layer (nested) adds nothing
    assert_eq!(merge([once.as_bytes()], &origin), VaryUpdate::Keep);
    assert_eq!(merge([&b"*"[..]], &origin), VaryUpdate::Keep);
    assert_eq!(merge([&b"ORIGIN"[..]], &origin), VaryUpdate::Keep);
}
