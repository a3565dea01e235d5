//! The defects an outside review found against the Fetch standard, one test each: every one
//! of them failed before its fix.
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

mod common;

use common::*;
use cors_core::{ConfigErrorKind, CorsConfig, HeaderField, RequestView, any_website_origin};

const APP: &str = "https://app.example.com";

/// The error building `regex` with credentials (and no opt-in) gives.
fn refused_with_credentials(regex: &str) -> cors_core::ConfigError {
    CorsConfig::new()
        .allowed_origin_regexes([regex])
        .allow_credentials(true)
        .build()
        .unwrap_err()
        .first()
        .clone()
}

/// Asserts that `regex` with credentials is refused for admitting any website, naming
/// `witness`.
fn refused_naming(regex: &str, witness: &str) {
    let err = refused_with_credentials(regex);
    assert_eq!(
        err.kind(),
        ConfigErrorKind::OriginRegexForAnyDomain,
        "{regex}"
    );
    assert!(err.to_string().contains(&format!("`{witness}`")), "{err}");
}

// ---- 1. a regex cannot escape the full-match anchors ----

#[test]
fn a_regex_with_unbalanced_parentheses_is_refused_not_pasted() {
    let raw = r"https://a\.example\.com)|(https://b\.example\.com";
    for credentials in [false, true] {
        let err = CorsConfig::new()
            .allowed_origin_regexes([raw])
            .allow_credentials(credentials)
            .build()
            .unwrap_err()
            .first()
            .clone();
        assert_eq!(err.kind(), ConfigErrorKind::InvalidRegex);
        assert_eq!(err.field(), "allowed_origin_regexes");
        assert_eq!(err.value(), raw);
    }
    let err = CorsConfig::new()
        .allowed_origins([APP])
        .urls_regex(r"/api/.*)|(/")
        .build()
        .unwrap_err()
        .first()
        .clone();
    assert_eq!(err.kind(), ConfigErrorKind::InvalidRegex);
    assert_eq!(err.field(), "urls_regex");
}

#[test]
fn a_regex_that_parses_alone_keeps_its_anchors_whatever_it_holds() {
    let cors = build(CorsConfig::new().allowed_origin_regexes([
        r"https://a\.example\.com|https://b\.example\.com",
        "(?x) https://c\\.example\\.com   # the admin app",
        r"(?m)^https://d\.example\.com$",
    ]));
    for allowed in [
        "https://a.example.com",
        "https://b.example.com",
        "https://c.example.com",
        "https://d.example.com",
    ] {
        assert!(cors.is_origin_allowed(allowed.as_bytes()), "{allowed}");
    }
    for refused in [
        "https://a.example.com.evil.net",
        "https://evil.net.b.example.com.evil.net",
        "https://c.example.com.evil.net",
        "https://d.example.com.evil.net",
    ] {
        assert!(!cors.is_origin_allowed(refused.as_bytes()), "{refused}");
    }
    let paths = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .urls_regex(r"/api/.*|/auth/.*"),
    );
    let at = |path: &str| run(&paths, Req { path, ..get(APP) }).action;
    assert_eq!(at("/auth/login"), "forward");
    assert_eq!(at("/x/api/"), "skip");
    assert_eq!(at("/auth"), "skip");
}

// ---- 2. "any website" is decided from what the regex can match ----

#[test]
fn regexes_for_any_domain_are_refused_with_credentials() {
    for (raw, witness) in [
        (r"https://.*\.com", "https://evil.com"),
        (r"https://[a-z0-9-]+\.(com|net|org)", "https://evil.com"),
        (
            r"https://app\.example\.org.*",
            "https://app.example.org.evil.com",
        ),
    ] {
        refused_naming(raw, witness);
        // the witness is real: the policy built with the opt-in admits it
        let opted_in = build(
            CorsConfig::new()
                .allowed_origin_regexes([raw])
                .allow_credentials(true)
                .allow_credentials_with_any_origin(true),
        );
        assert!(opted_in.is_origin_allowed(witness.as_bytes()), "{raw}");
        assert!(opted_in.admits_any_website());
        // without credentials: a warning naming it
        let open = build(CorsConfig::new().allowed_origin_regexes([raw]));
        assert!(
            open.warnings()
                .iter()
                .any(|w| w.to_string().contains(witness)),
            "{raw}: {:?}",
            open.warnings()
        );
    }
}

#[test]
fn regexes_an_outside_review_wrote_to_evade_the_analysis_are_caught() {
    for (raw, witness) in [
        (r"https://.*\.de", "https://evil.de"),
        (r"https://.*example\.com", "https://evilexample.com"),
        (
            r"https://myapp-[a-z0-9-]+\.vercel\.app",
            "https://myapp-evil.vercel.app",
        ),
        (
            r"https://[a-z0-9-]+\.up\.railway\.app",
            "https://evil.up.railway.app",
        ),
    ] {
        refused_naming(raw, witness);
    }
    for raw in [
        r"https://[acd]{5}\.com",
        r"https://xn--[a-z0-9-]+\.com",
        r"http://\d+\.\d+\.\d+\.\d+(:\d+)?",
        r"http://\[[0-9a-f:]+\]",
        // text that spells every letter does not hide a class
        r"(?x) https://[a-z]+\.com   # abcdefghijklmnopqrstuvwxyz 0123456789 evil",
    ] {
        let err = refused_with_credentials(raw);
        assert_eq!(
            err.kind(),
            ConfigErrorKind::OriginRegexForAnyDomain,
            "{raw}"
        );
    }
    // a pattern on a hosting platform's suffix is refused too
    let err = CorsConfig::new()
        .allowed_origins(["https://*.up.railway.app"])
        .build()
        .unwrap_err()
        .first()
        .clone();
    assert_eq!(err.kind(), ConfigErrorKind::OriginPattern);
}

#[test]
fn a_regex_for_the_subdomains_of_one_domain_stays_clean() {
    let raw = r"https://([a-z0-9-]+\.)*example\.org";
    let cors = build(
        CorsConfig::new()
            .allowed_origin_regexes([raw])
            .allow_credentials(true),
    );
    assert!(cors.warnings().is_empty(), "{:?}", cors.warnings());
    assert!(!cors.admits_any_website());
    assert_eq!(any_website_origin(raw).unwrap(), None);
}

// ---- 3. CORS-safelisted methods always pass the method check ----

#[test]
fn preflights_for_safelisted_methods_pass_whatever_the_list_says() {
    let narrow = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .allowed_methods(["GET", "PUT"]),
    );
    let o = run(&narrow, preflight(APP, "POST", Some("content-type")));
    assert_eq!(o.status, Some(200), "{:?}", o.rejection);
    // the answer still lists the configured methods
    assert_eq!(o.header("access-control-allow-methods"), Some("GET, PUT"));
    // the default methods have no HEAD: a HEAD with Authorization still passes
    let o = run(
        &build(CorsConfig::new().allowed_origins([APP])),
        preflight(APP, "HEAD", Some("authorization")),
    );
    assert_eq!(o.status, Some(200), "{:?}", o.rejection);
    // only the exact safelisted names: `post` and other methods are still checked
    assert_eq!(run(&narrow, preflight(APP, "post", None)).status, Some(403));
    assert_eq!(
        run(&narrow, preflight(APP, "DELETE", None)).status,
        Some(403)
    );
}

// ---- 4. a same-origin request is never refused ----

#[test]
fn csrf_protection_never_refuses_a_same_origin_request() {
    let cors = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .csrf_protection(true)
            .debug(true),
    );
    let own = "https://api.example.com";
    let post = |site: Option<&'static [u8]>, host: Option<&'static [u8]>, origin: &'static str| {
        run(
            &cors,
            Req {
                method: "POST",
                origin: Some(origin.as_bytes()),
                host,
                site,
                ..Req::default()
            },
        )
    };
    // Sec-Fetch-Site says so
    for site in [&b"same-origin"[..], b"none"] {
        let o = post(Some(site), Some(b"api.example.com"), own);
        assert_eq!(o.action, "forward");
        assert_eq!(o.rejection, None);
        assert_eq!(o.debug_header, None);
        // `Origin: null` under `Referrer-Policy: no-referrer`
        assert_eq!(post(Some(site), None, "null").action, "forward");
    }
    // no Sec-Fetch-Site (an older browser): Origin against Host
    assert_eq!(post(None, Some(b"api.example.com"), own).action, "forward");
    assert_eq!(post(None, Some(b"API.example.com"), own).action, "forward");
    // cross-site or same-site, or a Host that differs: refused
    for site in [&b"cross-site"[..], b"same-site"] {
        let o = post(Some(site), Some(b"api.example.com"), "https://evil.com");
        assert_eq!((o.action, o.status), ("respond", Some(403)));
        // Sec-Fetch-Site wins over a Host that an attacker's Origin happens to equal
        let o = post(Some(site), Some(b"api.example.com"), own);
        assert_eq!((o.action, o.status), ("respond", Some(403)));
    }
    let o = post(None, Some(b"api.example.com:8443"), own);
    assert_eq!((o.action, o.status), ("respond", Some(403)));
    let o = post(None, None, own);
    assert_eq!((o.action, o.status), ("respond", Some(403)));
}

// ---- 5. IPv6 origins are compared in the URL standard's form ----

#[test]
fn ipv4_mapped_ipv6_origins_match_what_browsers_send() {
    for written in [
        "http://[::ffff:127.0.0.1]:8080",
        "http://[::ffff:7f00:1]:8080",
        "http://[0:0:0:0:0:FFFF:7F00:0001]:8080",
    ] {
        let cors = build(CorsConfig::new().allowed_origins([written]));
        assert!(
            cors.is_origin_allowed(b"http://[::ffff:7f00:1]:8080"),
            "{written}"
        );
        assert!(!cors.is_origin_allowed(b"http://[::ffff:127.0.0.1]:8080"));
    }
}

// ---- 6. lower-case standard methods ----

#[test]
fn lower_case_standard_methods_are_an_error_with_the_fix() {
    let err = CorsConfig::new()
        .allowed_origins([APP])
        .allowed_methods(["get", "PUT"])
        .build()
        .unwrap_err()
        .first()
        .clone();
    assert_eq!(err.kind(), ConfigErrorKind::InvalidMethod);
    assert_eq!(err.field(), "allowed_methods");
    assert_eq!(err.value(), "get");
    assert_eq!(err.hint_text(), Some("write `GET`"));
    // `patch` keeps its case (fetch() sends it as written), with a warning
    let cors = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .allowed_methods(["GET", "patch"]),
    );
    assert_eq!(cors.warnings().len(), 1);
    assert!(cors.warnings()[0].to_string().contains("list `PATCH`"));
    assert_eq!(run(&cors, preflight(APP, "patch", None)).status, Some(200));
    assert_eq!(run(&cors, preflight(APP, "PATCH", None)).status, Some(403));
}

// ---- 9. Access-Control-Request-Headers on several lines ----

/// A preflight whose `Access-Control-Request-Headers` comes on two lines.
fn two_lines<'a>(first: &'a [u8], second: &'a [u8], joined: &'a mut Vec<u8>) -> RequestView<'a> {
    let lines: [(&str, &[u8]); 4] = [
        ("origin", APP.as_bytes()),
        ("access-control-request-method", b"PUT"),
        ("access-control-request-headers", first),
        ("access-control-request-headers", second),
    ];
    RequestView::from_headers("OPTIONS", "/api/items", joined, |name| {
        lines
            .into_iter()
            .filter(move |(n, _)| *n == name.as_str())
            .map(|(_, v)| v)
    })
}

#[test]
fn request_headers_on_several_lines_are_one_list() {
    let mut joined = Vec::new();
    let view = two_lines(b"content-type", b"x-csrftoken", &mut joined);
    assert_eq!(
        view.request_headers,
        HeaderField::One(b"content-type, x-csrftoken")
    );
    let cors = build(CorsConfig::new().allowed_origins([APP]));
    let cors_core::Decision::Respond(answer) = cors.classify(&view) else {
        panic!("not answered")
    };
    assert_eq!(answer.status(), 200);
    // a header outside the list on the second line is still refused
    let mut joined = Vec::new();
    let view = two_lines(b"content-type", b"x-token", &mut joined);
    let cors_core::Decision::Respond(answer) = cors.classify(&view) else {
        panic!("not answered")
    };
    assert_eq!(answer.status(), 403);
    // with `*` and credentials the whole list is mirrored, on one line
    let mirror = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .allowed_headers(["*"])
            .allow_credentials(true),
    );
    let cors_core::Decision::Respond(answer) = mirror.classify(&view) else {
        panic!("not answered")
    };
    assert_eq!(
        answer
            .headers()
            .get("access-control-allow-headers")
            .map(|v| v.as_str().to_owned()),
        Some("content-type, x-token".to_owned())
    );
}

// ---- 10. any regex through the environment ----

#[test]
fn the_environment_carries_any_regex() {
    let json = CorsConfig::from_env_vars([(
        "CORS_ALLOWED_ORIGIN_REGEXES",
        r#"["^https://[a-z]{1,20}\\.example\\.com$", "^https://b\\.com$"]"#,
    )])
    .unwrap();
    assert_eq!(
        json.allowed_origin_regexes,
        [r"^https://[a-z]{1,20}\.example\.com$", r"^https://b\.com$"]
    );
    let commas = CorsConfig::from_env_vars([(
        "CORS_ALLOWED_ORIGIN_REGEXES",
        r"^https://[a-z]{1,20}\.example\.com$, ^https://(a|b)\.com$",
    )])
    .unwrap();
    assert_eq!(
        commas.allowed_origin_regexes,
        [
            r"^https://[a-z]{1,20}\.example\.com$",
            r"^https://(a|b)\.com$"
        ]
    );
    let cors = commas.build().unwrap();
    assert!(cors.is_origin_allowed(b"https://app.example.com"));
    // a comma in a character class is part of the regex; brackets in one do not nest
    let class = CorsConfig::from_env_vars([(
        "CORS_ALLOWED_ORIGIN_REGEXES",
        r"https://[(,]?a\.example\.com,https://b\.example\.com",
    )])
    .unwrap();
    assert_eq!(
        class.allowed_origin_regexes,
        [r"https://[(,]?a\.example\.com", r"https://b\.example\.com"]
    );
    let err =
        CorsConfig::from_env_vars([("CORS_ALLOWED_ORIGINS", r#"["https://a.com""#)]).unwrap_err();
    assert_eq!(err.field(), "CORS_ALLOWED_ORIGINS");
    assert_eq!(err.kind(), ConfigErrorKind::Syntax);
}

// ---- 11. Vary names Access-Control-Request-Private-Network whenever the answer depends on it ----

#[test]
fn preflight_vary_names_private_network_even_when_it_is_off() {
    let cors = build(CorsConfig::new().allowed_origins([APP]));
    let plain = run(&cors, preflight(APP, "PUT", None));
    let asking = run(
        &cors,
        Req {
            pna: Some(b"true"),
            ..preflight(APP, "PUT", None)
        },
    );
    // the answers differ on that header alone...
    assert_eq!(plain.status, Some(200));
    assert_eq!(asking.status, Some(403));
    // ...so both name it in Vary
    for o in [plain, asking] {
        assert_eq!(o.vary.as_deref(), Some(PREFLIGHT_VARY));
        assert!(PREFLIGHT_VARY.ends_with("Access-Control-Request-Private-Network"));
    }
}

// ---- the design's plain-http rule, for regexes too ----

#[test]
fn a_regex_for_plain_http_origins_with_credentials_warns() {
    let cors = build(
        CorsConfig::new()
            .allowed_origin_regexes([r"http://[a-z]+\.example\.com"])
            .allow_credentials(true),
    );
    let warnings: Vec<String> = cors.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            r"allowed_origin_regexes: `http://[a-z]+\.example\.com` matches plain http origins (such as `http://a.example.com`) with credentials: anyone on the network path can run script as that origin and read the responses"
        ]
    );
    // the local machine is where plain http is normal
    let local = build(
        CorsConfig::new()
            .allowed_origin_regexes([r"http://localhost:\d+", r"http://127\.0\.0\.1:\d+"])
            .allow_credentials(true),
    );
    assert!(local.warnings().is_empty(), "{:?}", local.warnings());
}
