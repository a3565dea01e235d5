//! Property tests: for arbitrary request input, the answer is only ever an allowed origin or
//! `*` (never `*` with credentials), nothing panics, and regexes never match by prefix or
//! suffix.
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

mod common;

use common::*;
use cors_core::{Cors, CorsConfig};
use proptest::prelude::*;

const LISTED: [&str; 3] = ["https://app.example.com", "http://localhost:3000", "null"];

/// Built once: building analyses each regex's automata, which is for start-up, not for
/// every generated case.
fn policies() -> &'static [Cors] {
    static POLICIES: std::sync::OnceLock<Vec<Cors>> = std::sync::OnceLock::new();
    POLICIES.get_or_init(|| {
        vec![
            build(
                CorsConfig::new()
                    .allowed_origins(
                        LISTED
                            .iter()
                            .copied()
                            .chain(["https://*.tenants.example.com"]),
                    )
                    .allowed_origin_regexes([r"https://[a-z0-9-]+\.preview\.example\.com"])
                    .allow_credentials(true)
                    // `null` with credentials: any website can send it, so it takes the opt-in
                    .allow_credentials_with_any_origin(true),
            ),
            build(
                CorsConfig::new()
                    .allow_all_origins(true)
                    .allowed_headers(["*"])
                    .allowed_methods(["*"]),
            ),
            build(
                CorsConfig::new()
                    .allow_all_origins(true)
                    .allow_credentials(true)
                    .allow_credentials_with_any_origin(true)
                    .allowed_headers(["*"])
                    .allowed_methods(["*"]),
            ),
        ]
    })
}

/// Every policy of [`policies`], and one whose origins were replaced after building, each
/// next to the policy built again from its [`Cors::config`].
fn rebuilt_policies() -> &'static [(Cors, Cors)] {
    static REBUILT: std::sync::OnceLock<Vec<(Cors, Cors)>> = std::sync::OnceLock::new();
    REBUILT.get_or_init(|| {
        let replaced = build(
            CorsConfig::new()
                .allowed_origins(["https://app.example.com"])
                .allow_credentials(true),
        );
        replaced
            .replace_allowed_origins(
                ["http://localhost:3000", "https://*.tenants.example.com"],
                [r"https://[a-z0-9-]+\.preview\.example\.com"],
            )
            .unwrap();
        let every_setting = build(
            CorsConfig::new()
                .allowed_origins(["https://app.example.com", "https://*.tenants.example.com"])
                .allow_credentials(true)
                .allowed_methods(["GET", "PUT", "PATCH"])
                .allowed_headers(["content-type", "x-api-key"])
                .expose_headers(["x-request-id"])
                .max_age(None)
                .allow_private_network(true)
                .urls_regex("/api/.*")
                .csrf_protection(true)
                .preflight_status(204)
                .debug(true),
        );
        let (set, _) = path_set();
        policies()
            .iter()
            .cloned()
            .chain([replaced, every_setting, set.clone()])
            .map(|cors| {
                let rebuilt = cors.config().build().unwrap();
                (cors, rebuilt)
            })
            .collect()
    })
}

/// A policy with `paths` (the account entry first, then the rest of the API, then every
/// other path, as `csrf_protection` in an entry needs), and each entry's policy built
/// alone.
fn path_set() -> &'static (Cors, Vec<Cors>) {
    static SET: std::sync::OnceLock<(Cors, Vec<Cors>)> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let config = CorsConfig::new()
            .path(
                "/api/items/.*",
                CorsConfig::new()
                    .allowed_origins(["https://app.example.com", "https://*.tenants.example.com"])
                    .allow_credentials(true)
                    .csrf_protection(true)
                    .debug(true),
            )
            .path(
                "/api(/.*)?",
                CorsConfig::new()
                    .allow_all_origins(true)
                    .allowed_methods(["GET", "PURGE"])
                    .max_age(60),
            )
            .path(
                "/.*",
                CorsConfig::new()
                    .allowed_origins(["https://app.example.com"])
                    .max_age(7),
            );
        let alone = config
            .paths
            .iter()
            .map(|p| build(p.policy.clone()))
            .collect();
        (build(config), alone)
    })
}

/// The same first two entries without the catch-all (and without `csrf_protection`, which
/// would need it): a path neither matches is left alone.
fn partial_path_set() -> &'static Cors {
    static SET: std::sync::OnceLock<Cors> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let mut config = CorsConfig::new();
        for entry in &path_set().0.config().paths[..2] {
            let mut policy = entry.policy.clone();
            policy.csrf_protection = false;
            config = config.path(entry.path.clone(), policy);
        }
        build(config)
    })
}

/// The test's own reading of a path as routers decode it: `%XX` of a letter, digit or
/// `-._~` is that character; every other byte, and every other escape, stays.
fn decoded(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let escape = rest.get(at + 1..at + 3);
        match escape.and_then(|hex| u8::from_str_radix(hex, 16).ok()) {
            Some(b) if b.is_ascii_alphanumeric() || b"-._~".contains(&b) => {
                out.push(char::from(b));
                rest = &rest[at + 3..];
            }
            _ => {
                out.push('%');
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Paths as a page may write them: segments of the entries' words, some percent-encoded,
/// empty ones, encoded slashes and newlines, a trailing slash.
fn path_strategy() -> impl Strategy<Value = String> {
    let segment = prop::sample::select(vec![
        "api", "items", "1", "%61pi", "%69tems", "it%65ms", "%2F", "%0A", "", "x%3A", "%41PI",
    ]);
    (prop::collection::vec(segment, 0..5), any::<bool>()).prop_map(|(segments, slash)| {
        let mut path = format!("/{}", segments.join("/"));
        if slash && !path.ends_with('/') {
            path.push('/');
        }
        path
    })
}

/// Whether the first policy's rules admit `origin`, written independently of the engine.
fn expected_allowed(origin: &str) -> bool {
    if LISTED.contains(&origin) {
        return true;
    }
    let host_label_run = |s: &str| {
        !s.is_empty()
            && s.split('.').all(|l| {
                !l.is_empty()
                    && l.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                    })
            })
    };
    if let Some(labels) = origin
        .strip_prefix("https://")
        .and_then(|r| r.strip_suffix(".tenants.example.com"))
        && host_label_run(labels)
    {
        return true;
    }
    if let Some(label) = origin
        .strip_prefix("https://")
        .and_then(|r| r.strip_suffix(".preview.example.com"))
    {
        return !label.is_empty()
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    }
    false
}

/// Origins near the interesting ones, plus noise.
fn origin_strategy() -> impl Strategy<Value = Vec<u8>> {
    let near = prop_oneof![
        Just("https://app.example.com".to_string()),
        Just("https://x.tenants.example.com".to_string()),
        Just("https://pr-1.preview.example.com".to_string()),
        Just("null".to_string()),
        Just("http://localhost:3000".to_string()),
    ];
    prop_oneof![
        // a known origin with something before and/or after it
        (
            near.clone(),
            "[a-zA-Z0-9.:/@-]{0,6}",
            "[a-zA-Z0-9.:/@-]{0,6}"
        )
            .prop_map(|(o, pre, post)| format!("{pre}{o}{post}").into_bytes()),
        // a known origin with one byte changed
        (near, any::<prop::sample::Index>(), any::<u8>()).prop_map(|(o, i, b)| {
            let mut v = o.into_bytes();
            let i = i.index(v.len());
            v[i] = b;
            v
        }),
        // origin-shaped strings
        "(https?|HTTPS|ftp)://[a-z0-9.*-]{0,30}(:[0-9]{1,6})?".prop_map(String::into_bytes),
        // anything
        prop::collection::vec(any::<u8>(), 0..80),
    ]
}

/// A generated request: a preflight or a GET, with an origin from [`origin_strategy`],
/// preflight headers that are sometimes valid, and sometimes a same-origin `Host` or
/// `Sec-Fetch-Site`.
#[derive(Debug, Clone)]
struct Generated {
    path: &'static str,
    host: Option<&'static str>,
    site: Option<&'static str>,
    origin: Vec<u8>,
    /// Sent with an `Origin` (a browser's request), or without (`csrf_protection` still
    /// reads `Sec-Fetch-Site`).
    with_origin: bool,
    /// The method of an actual request: safe, unsafe, and a lower-case one.
    method: &'static str,
    preflight: bool,
    acrm: Option<Vec<u8>>,
    acrh: Option<Vec<u8>>,
    pna: Option<Vec<u8>>,
}

impl Generated {
    fn req(&self) -> Req<'_> {
        Req {
            method: if self.preflight {
                "OPTIONS"
            } else {
                self.method
            },
            path: self.path,
            origin: self.with_origin.then_some(&self.origin[..]),
            acrm: self.acrm.as_deref(),
            acrh: self.acrh.as_deref(),
            pna: self.pna.as_deref(),
            host: self.host.map(str::as_bytes),
            site: self.site.map(str::as_bytes),
        }
    }
}

fn request_strategy() -> impl Strategy<Value = Generated> {
    // with letters percent-encoded as a page may write them: routers decode those
    let path = prop::sample::select(vec![
        "/api",
        "/api/items/1",
        "/public",
        "/",
        "/%61pi/items/1",
        "/api/%69tems/1",
        "/api%2Fitems/1",
    ]);
    let host = prop::option::of(prop::sample::select(vec![
        "app.example.com",
        "evil.example",
        "localhost:3000",
    ]));
    let site = prop::option::of(prop::sample::select(vec![
        "same-origin",
        "same-site",
        "cross-site",
        "none",
    ]));
    let method = prop::sample::select(vec!["GET", "HEAD", "POST", "DELETE", "post"]);
    (
        (path, host, site),
        (origin_strategy(), prop::bool::weighted(0.9), method),
        any::<bool>(),
        prop::option::of(prop_oneof![
            Just(b"PUT".to_vec()),
            prop::collection::vec(any::<u8>(), 0..8)
        ]),
        prop::option::of(prop::collection::vec(any::<u8>(), 0..40)),
        prop::option::of(prop_oneof![
            Just(b"true".to_vec()),
            prop::collection::vec(any::<u8>(), 0..5)
        ]),
    )
        .prop_map(
            |((path, host, site), (origin, with_origin, method), preflight, acrm, acrh, pna)| {
                Generated {
                    path,
                    host,
                    site,
                    origin,
                    with_origin,
                    method,
                    preflight,
                    acrm,
                    acrh,
                    pna,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn allow_origin_is_only_ever_an_allowed_origin_or_star(
        g in request_strategy(),
    ) {
        for (i, cors) in policies().iter().enumerate() {
            let req = g.req();
            let (origin, preflight) = (&g.origin, g.preflight);
            let o = run(cors, req);
            let credentials = o.header("access-control-allow-credentials").is_some();
            if let Some(acao) = o.allow_origin() {
                if acao == "*" {
                    prop_assert!(!credentials, "`*` with credentials");
                } else {
                    prop_assert_eq!(acao.as_bytes(), &origin[..], "ACAO is not the request's origin");
                    if i == 0 {
                        prop_assert!(expected_allowed(acao), "policy 0 admitted {:?}", acao);
                    }
                    prop_assert!(acao != "null" || i == 0, "null reflected without being listed");
                }
            } else if i == 0 && !preflight && g.with_origin {
                let text = std::str::from_utf8(origin).unwrap_or("");
                prop_assert!(!expected_allowed(text), "policy 0 refused {:?}", text);
            }
            // every value we would send is a valid header value
            for (_, v) in &o.headers {
                prop_assert!(cors_core::http::HeaderValue::from_str(v).is_ok());
            }
        }
    }

    #[test]
    fn a_policy_rebuilt_from_its_config_answers_every_request_the_same(
        g in request_strategy(),
    ) {
        for (cors, rebuilt) in rebuilt_policies() {
            // the whole answer: status, headers of an answer or of the app's response,
            // Vary, the reason, the debug body and header
            prop_assert_eq!(run(cors, g.req()), run(rebuilt, g.req()));
        }
    }

    #[test]
    fn reading_only_what_the_decision_needs_decides_the_same(
        g in request_strategy(),
        repeat in prop::option::of(0usize..6),
        authority in prop::option::of(prop::sample::select(vec!["app.example.com", "localhost:3000"])),
    ) {
        let req = g.req();
        let mut lines: Vec<(&str, &[u8])> = Vec::new();
        let named = [
            ("origin", req.origin),
            ("access-control-request-method", req.acrm),
            ("access-control-request-headers", req.acrh),
            ("access-control-request-private-network", req.pna),
            ("host", req.host),
            ("sec-fetch-site", req.site),
        ];
        for (name, value) in named {
            if let Some(value) = value {
                lines.push((name, value));
            }
        }
        // a second line of one header: a repeated header, or a list on two lines
        if let Some(i) = repeat
            && !lines.is_empty()
        {
            let line = lines[i % lines.len()];
            lines.push(line);
        }
        let values = |name: &str| {
            let name = name.to_owned();
            lines.iter().filter(move |(n, _)| *n == name).map(|(_, v)| *v)
        };
        // The reference: every header read, as RequestView::from_headers reads them.
        let mut joined = Vec::new();
        let view = cors_core::RequestView::from_headers(req.method, req.path, &mut joined, |name| {
            values(name.as_str())
        })
        .with_authority(authority);
        for (cors, _) in rebuilt_policies() {
            let mut joined = Vec::new();
            let lazily = cors.classify_lines(req.method, req.path, authority, &mut joined, |header| {
                lines
                    .iter()
                    .filter(move |(n, _)| *n == header.name().as_str())
                    .map(|(_, v)| *v)
            });
            prop_assert_eq!(lazily, cors.classify(&view));
        }
    }

    #[test]
    fn a_policy_with_paths_answers_as_the_entry_for_the_path_alone(
        g in request_strategy(),
    ) {
        let (set, alone) = path_set();
        let req = g.req();
        // the oracle's own routing: which entry's regex the decoded path matches
        let decoded = req.path.replace("%61", "a").replace("%69", "i");
        let entry = if decoded.starts_with("/api/items/") {
            Some(0)
        } else if decoded == "/api" || decoded.starts_with("/api/") {
            Some(1)
        } else {
            Some(2)
        };
        prop_assert_eq!(set.path_entry(req.path), entry);
        match entry {
            Some(i) => prop_assert_eq!(run(set, req), run(&alone[i], req)),
            None => prop_assert_eq!(run(set, req).action, "skip"),
        }
    }

    #[test]
    fn the_entry_of_a_generated_path_is_the_one_its_decoded_form_names(
        g in request_strategy(),
        path in path_strategy(),
    ) {
        let (set, alone) = path_set();
        let req = Req { path: &path, ..g.req() };
        let plain = decoded(&path);
        let entry = if plain.starts_with("/api/items/") {
            Some(0)
        } else if plain == "/api" || plain.starts_with("/api/") {
            Some(1)
        } else {
            None
        };
        // with the catch-all, every path is an entry's; without it, the others are left
        prop_assert_eq!(set.path_entry(&path), Some(entry.unwrap_or(2)));
        prop_assert_eq!(partial_path_set().path_entry(&path), entry);
        let i = entry.unwrap_or(2);
        prop_assert_eq!(run(set, req), run(&alone[i], req));
        if entry.is_none() {
            let o = run(partial_path_set(), req);
            prop_assert_eq!(o.action, "skip", "{}", path);
        }
    }

    #[test]
    fn regexes_never_match_a_longer_string_by_prefix_or_suffix(
        label in "[a-z0-9-]{1,10}",
        pre in "[a-z0-9.:/-]{1,8}",
        post in "[a-z0-9.:/-]{1,8}",
    ) {
        static REGEXES: std::sync::OnceLock<Cors> = std::sync::OnceLock::new();
        let cors = REGEXES.get_or_init(|| build(CorsConfig::new().allowed_origin_regexes([
            r"https://[a-z0-9-]+\.example\.com",
            r"(?:https?:\/\/)127.0.0.1:*",
        ])));
        let exact = format!("https://{label}.example.com");
        prop_assert!(cors.is_origin_allowed(exact.as_bytes()));
        let longer_after = format!("{exact}{post}");
        let longer_before = format!("{pre}{exact}");
        prop_assert!(!cors.is_origin_allowed(longer_after.as_bytes()), "{}", longer_after);
        prop_assert!(!cors.is_origin_allowed(longer_before.as_bytes()), "{}", longer_before);
        let dotted = format!("http://127.0.0.1.{label}.com");
        prop_assert!(!cors.is_origin_allowed(dotted.as_bytes()));
    }

    #[test]
    fn arbitrary_configurations_never_panic(
        origins in prop::collection::vec("[ -~]{0,30}", 0..4),
        regexes in prop::collection::vec("[ -~]{0,20}", 0..3),
        methods in prop::collection::vec("[ -~]{0,8}", 0..4),
        credentials in any::<bool>(),
        all in any::<bool>(),
    ) {
        let result = CorsConfig::new()
            .allowed_origins(origins)
            .allowed_origin_regexes(regexes)
            .allowed_methods(methods)
            .allow_credentials(credentials)
            .allow_all_origins(all)
            .build();
        if let Err(errors) = result {
            prop_assert_eq!(errors.to_string().lines().count(), errors.len());
            for e in &errors {
                prop_assert!(!e.field().is_empty());
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }

    #[test]
    fn arbitrary_config_text_never_panics(text in "[ -~\n]{0,200}") {
        let _ = CorsConfig::from_toml_str(&text);
        let _ = CorsConfig::from_json_str(&text);
    }
}
