//! Several policies by path (`paths`): the first entry whose path regex fully matches
//! answers, with its own headers; no entry means untouched; entries that can never match
//! and settings beside `paths` are errors naming both sides.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Req, build, get, preflight, run};
use cors_core::{Cors, CorsConfig, Decision, PathPolicy};

const APP: &str = "https://app.example.com";
const ELSEWHERE: &str = "https://elsewhere.example";
const NOT_ALLOWED: &str =
    "the origin is not allowed by allowed_origins, allowed_origin_regexes or the origin predicate";

/// The README's example: the account API to the front end with cookies and
/// `csrf_protection`, the rest of the API to anyone without, every other path to the
/// front end (with `csrf_protection`, every path is an entry's).
fn account_and_public() -> Cors {
    build(account_and_public_config())
}

fn account_and_public_config() -> CorsConfig {
    CorsConfig::new()
        .path(
            "/api/account/.*",
            CorsConfig::new()
                .allowed_origins([APP])
                .allow_credentials(true)
                .csrf_protection(true),
        )
        .path("/api/.*", CorsConfig::new().allow_all_origins(true))
        .path(
            "/.*",
            CorsConfig::new()
                .allowed_origins([APP])
                .csrf_protection(true),
        )
}

fn at<'a>(req: Req<'a>, path: &'a str) -> Req<'a> {
    Req { path, ..req }
}

#[test]
fn the_first_entry_that_matches_the_whole_path_answers() {
    let cors = account_and_public();
    // the account entry: the front end with credentials, others refused
    let o = run(&cors, at(get(APP), "/api/account/me"));
    assert_eq!(
        o.headers,
        [
            ("access-control-allow-origin".to_owned(), APP.to_owned()),
            (
                "access-control-allow-credentials".to_owned(),
                "true".to_owned()
            ),
        ]
    );
    assert_eq!(o.vary.as_deref(), Some("Origin"));
    let o = run(&cors, at(get(ELSEWHERE), "/api/account/me"));
    assert_eq!(o.action, "forward");
    assert!(o.headers.is_empty());
    assert_eq!(o.rejection.as_deref(), Some(NOT_ALLOWED));
    assert_eq!(o.vary.as_deref(), Some("Origin"));
    // the public entry: anyone, `*`, never credentials, the same `Vary`
    for origin in [APP, ELSEWHERE] {
        let o = run(&cors, at(get(origin), "/api/items"));
        assert_eq!(
            o.headers,
            [("access-control-allow-origin".to_owned(), "*".to_owned())]
        );
        assert_eq!(o.vary.as_deref(), Some("Origin"));
    }
    // `/api/account` itself is not under `/api/account/.*`: the public entry's
    let o = run(&cors, at(get(APP), "/api/account"));
    assert_eq!(o.allow_origin(), Some("*"));
}

#[test]
fn preflights_go_to_the_entry_of_their_path() {
    let cors = account_and_public();
    let o = run(&cors, at(preflight(ELSEWHERE, "PUT", None), "/api/items/1"));
    assert_eq!((o.action, o.status), ("respond", Some(200)));
    assert_eq!(o.allow_origin(), Some("*"));
    let o = run(
        &cors,
        at(preflight(ELSEWHERE, "PUT", None), "/api/account/me"),
    );
    assert_eq!((o.action, o.status), ("respond", Some(403)));
    assert!(o.headers.is_empty());
    let o = run(
        &cors,
        at(
            preflight(APP, "PUT", Some("content-type")),
            "/api/account/me",
        ),
    );
    assert_eq!(o.status, Some(200));
    assert_eq!(o.header("access-control-allow-credentials"), Some("true"));
}

#[test]
fn a_path_no_entry_matches_is_untouched() {
    let cors = build(CorsConfig::new().path("/api/.*", CorsConfig::new().allowed_origins([APP])));
    for req in [
        get(APP),
        preflight(APP, "PUT", None),
        Req {
            method: "POST",
            origin: Some(ELSEWHERE.as_bytes()),
            site: Some(b"cross-site"),
            ..Req::default()
        },
    ] {
        assert_eq!(run(&cors, at(req, "/static/app.js")).action, "skip");
        // a part of a path is not a match
        assert_eq!(run(&cors, at(req, "/v2/api/items")).action, "skip");
    }
    assert!(cors.reads_path());
    // with the last entry for every path, nothing is left
    let o = run(&account_and_public(), at(get(APP), "/static/app.js"));
    assert_eq!(o.allow_origin(), Some(APP));
    assert_eq!(account_and_public().path_entry("/static/app.js"), Some(2));
}

#[test]
fn percent_encoded_letters_do_not_move_a_path_to_another_entry() {
    // actix-web and Rocket route `/api/%61ccount/me` to `/api/account/me`: so must the
    // policy, or the public entry would answer it.
    let cors = account_and_public();
    for path in [
        "/api/%61ccount/me",
        "/api/accoun%74/me",
        "/%61pi/account/me",
    ] {
        let o = run(&cors, at(get(ELSEWHERE), path));
        assert!(o.headers.is_empty(), "{path}: {:?}", o.headers);
        assert_eq!(o.rejection.as_deref(), Some(NOT_ALLOWED), "{path}");
        let o = run(&cors, at(get(APP), path));
        assert_eq!(
            o.header("access-control-allow-credentials"),
            Some("true"),
            "{path}"
        );
    }
}

#[test]
fn csrf_protection_is_the_entry_s_own() {
    let cors = account_and_public();
    let post = |path| Req {
        method: "POST",
        path,
        origin: Some(ELSEWHERE.as_bytes()),
        site: Some(b"cross-site"),
        ..Req::default()
    };
    let o = run(&cors, post("/api/account/transfer"));
    assert_eq!((o.action, o.status), ("respond", Some(403)));
    assert_eq!(
        o.rejection.as_deref(),
        Some(
            "csrf_protection: a request with an unsafe method from another site, whose origin is not allowed by allowed_origins, allowed_origin_regexes or the origin predicate"
        )
    );
    // the public entry has it off: the post runs the app (answered with `*`)
    let o = run(&cors, post("/api/hooks/payment"));
    assert_eq!(o.action, "forward");
    assert!(cors.csrf_protection());
    assert!(
        !build(CorsConfig::new().path("/.*", CorsConfig::new().allowed_origins([APP])))
            .csrf_protection()
    );
}

#[test]
fn classify_lines_answers_as_classify_does() {
    let cors = account_and_public();
    for (method, path, origin) in [
        ("GET", "/api/account/me", APP),
        ("GET", "/api/account/me", ELSEWHERE),
        ("GET", "/api/items", ELSEWHERE),
        ("GET", "/static/app.js", APP),
        ("POST", "/api/account/x", ELSEWHERE),
        ("OPTIONS", "/api/items", ELSEWHERE),
    ] {
        let request = http::Request::builder()
            .method(method)
            .uri(path)
            .header("origin", origin)
            .header("access-control-request-method", "PUT")
            .header("sec-fetch-site", "cross-site")
            .body(())
            .unwrap();
        let mut joined = Vec::new();
        let (lines, _) =
            cors.classify_http(request.method(), path, None, request.headers(), &mut joined);
        let view = cors_core::RequestView {
            method,
            path,
            origin: cors_core::HeaderField::One(origin.as_bytes()),
            request_method: if method == "OPTIONS" {
                cors_core::HeaderField::One(b"PUT")
            } else {
                cors_core::HeaderField::Absent
            },
            sec_fetch_site: cors_core::HeaderField::One(b"cross-site"),
            ..cors_core::RequestView::default()
        };
        let whole = cors.classify(&view);
        assert_eq!(lines, whole, "{method} {path} from {origin}");
        if let Decision::Forward(forward) = lines {
            let a: Vec<_> = forward
                .headers(&cors, origin.as_bytes())
                .iter()
                .map(|(n, v)| (n.to_string(), v.as_str().to_owned()))
                .collect();
            let mut map = http::HeaderMap::new();
            forward.write_to(
                &cors,
                Some(http::HeaderValue::from_static(origin)),
                &mut map,
            );
            let b: Vec<_> = map
                .iter()
                .filter(|(n, _)| *n != "vary")
                .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
                .collect();
            assert_eq!(a, b, "{method} {path} from {origin}");
        }
    }
}

#[test]
fn the_set_holds_every_entry_s_values_and_lists() {
    let cors = build(
        CorsConfig::new()
            .path(
                "/a/.*",
                CorsConfig::new()
                    .allowed_origins([APP])
                    .allowed_methods(["GET", "PURGE"]),
            )
            .path(
                "/b/.*",
                CorsConfig::new().allowed_origins([ELSEWHERE]).max_age(77),
            ),
    );
    let values: Vec<&str> = cors.header_values().map(|v| v.to_str().unwrap()).collect();
    assert!(values.contains(&"GET, PURGE"), "{values:?}");
    assert!(values.contains(&"77"), "{values:?}");
    // allowed by the set: by every entry, never one that some entry refuses
    assert!(!cors.is_origin_allowed(APP.as_bytes()));
    assert!(!cors.is_origin_allowed(ELSEWHERE.as_bytes()));
    let (_, a) = cors.path_policies().next().unwrap();
    assert!(a.is_origin_allowed(APP.as_bytes()));
    assert!(!cors.admits_any_website());
    // the set has no lists of its own; an entry's are replaced on the entry
    let err = cors
        .replace_allowed_origins(["https://x.example"], Vec::<String>::new())
        .unwrap_err();
    assert_eq!(err.first().field(), "allowed_origins");
    assert_eq!(err.first().value(), "https://x.example");
    let (_, b) = cors.path_policies().nth(1).unwrap();
    b.replace_allowed_origins(["https://third.example"], Vec::<String>::new())
        .unwrap();
    let o = run(&cors, at(get("https://third.example"), "/b/x"));
    assert_eq!(o.allow_origin(), Some("https://third.example"));
    assert_eq!(
        cors.config().paths[1].policy.allowed_origins,
        ["https://third.example"]
    );
}

#[test]
fn a_file_lists_the_entries_as_tables() {
    let toml = r#"
        [[paths]]
        path = "/api/account/.*"
        allowed_origins = ["https://app.example.com"]
        allow_credentials = true
        csrf_protection = true

        [[paths]]
        path = "/api/.*"
        allow_all_origins = true

        [[paths]]
        path = "/.*"
        allowed_origins = ["https://app.example.com"]
        csrf_protection = true
    "#;
    let from_toml = CorsConfig::from_toml_str(toml).unwrap();
    let json = r#"{"paths": [
        {"path": "/api/account/.*", "allowed_origins": ["https://app.example.com"], "allow_credentials": true, "csrf_protection": true},
        {"path": "/api/.*", "allow_all_origins": true},
        {"path": "/.*", "allowed_origins": ["https://app.example.com"], "csrf_protection": true}
    ]}"#;
    let from_json = CorsConfig::from_json_str(json).unwrap();
    let paths = r#"[{"path": "/api/account/.*", "allowed_origins": ["https://app.example.com"], "allow_credentials": true, "csrf_protection": true}, {"path": "/api/.*", "allow_all_origins": true}, {"path": "/.*", "allowed_origins": ["https://app.example.com"], "csrf_protection": true}]"#;
    let from_env = CorsConfig::from_env_vars([("CORS_PATHS", paths)]).unwrap();
    let in_code = account_and_public_config();
    assert_eq!(from_toml, in_code);
    assert_eq!(from_json, in_code);
    assert_eq!(from_env, in_code);
    // serde, as an app embedding the policy in its own settings reads it
    let embedded: CorsConfig = serde_json::from_str(json).unwrap();
    assert_eq!(embedded, in_code);
    // what `config()` gives back is written and read again to the same policy
    let cors = in_code.build().unwrap();
    let written = toml::to_string(&cors.config()).unwrap();
    assert_eq!(
        CorsConfig::from_toml_str(&written).unwrap(),
        cors.config(),
        "{written}"
    );
    assert_eq!(cors.config(), in_code);
}

#[test]
fn mistakes_in_an_entry_name_the_entry() {
    let err = |text: &str| CorsConfig::from_toml_str(text).unwrap_err().to_string();
    assert_eq!(
        err("[[paths]]\npath = \"/a/.*\"\nallowed_origin = []"),
        "paths[0].allowed_origin: `allowed_origin` is not a known setting: did you mean `allowed_origins`?"
    );
    assert_eq!(
        err("[[paths]]\nallowed_origins = []"),
        "paths[0]: `{\"allowed_origins\":[]}` has no `path`: add `path = \"/api/.*\"`: the regex the request's path must match in full"
    );
    assert_eq!(
        err("[[paths]]\npath = 3"),
        "paths[0].path: `3` is not a regex as a string"
    );
    assert_eq!(
        err("paths = 3"),
        "paths: `3` is not a list of tables: write each entry as a `[[paths]]` table with `path` and its settings"
    );
    assert_eq!(
        CorsConfig::from_env_vars([("CORS_PATHS", r#"[{"path": "/a", "max_age": "x"}]"#)])
            .unwrap_err()
            .to_string(),
        "CORS_PATHS[0].max_age: `x` is not a number of seconds, or false (null in JSON) for none"
    );
    assert!(
        CorsConfig::from_env_vars([("CORS_PATHS", "/api/.*")])
            .unwrap_err()
            .to_string()
            .starts_with("CORS_PATHS: `/api/.*` is not a JSON array of tables")
    );

    let errors = CorsConfig::new()
        .path("/a/(", CorsConfig::new().allowed_origins([APP]))
        .path(
            "/b/.*",
            CorsConfig::new()
                .allowed_origins(["https://b.example/"])
                .allow_credentials(true),
        )
        .build()
        .unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field()).collect();
    assert_eq!(fields, ["paths[0].path", "paths[1].allowed_origins"]);
}

#[test]
fn an_entry_an_earlier_one_always_matches_first_is_refused() {
    let errors = CorsConfig::new()
        .path("/api/.*", CorsConfig::new().allow_all_origins(true))
        .path("/api/account/.*", CorsConfig::new().allowed_origins([APP]))
        .build()
        .unwrap_err();
    assert_eq!(
        errors.to_string(),
        "paths[1].path: `/api/account/.*` can never match: every path it matches is matched first by \
         paths[0].path (`/api/.*`): the first entry that matches decides: put the narrower entry first"
    );
    // covered by two earlier entries together
    let errors = CorsConfig::new()
        .path("/a", CorsConfig::new().allowed_origins([APP]))
        .path("/b", CorsConfig::new().allowed_origins([APP]))
        .path("/(a|b)", CorsConfig::new().allow_all_origins(true))
        .build()
        .unwrap_err();
    assert_eq!(
        errors.first().to_string(),
        "paths[2].path: `/(a|b)` can never match: every path it matches is matched first by \
         the entries before it together (paths[0].path, paths[1].path): the first entry that matches decides: put the narrower entry first"
    );
    // the same path twice
    assert!(
        CorsConfig::new()
            .path("/x/.*", CorsConfig::new().allowed_origins([APP]))
            .path("/x/.*", CorsConfig::new().allowed_origins([ELSEWHERE]))
            .build()
            .is_err()
    );
    // a regex that matches nothing answers nothing
    let errors = CorsConfig::new()
        .path(r"/a[^\s\S]", CorsConfig::new().allowed_origins([APP]))
        .build()
        .unwrap_err();
    assert_eq!(
        errors.first().to_string(),
        "paths[0].path: `/a[^\\s\\S]` can never match: it matches no path a request can have (one that starts with `/`): write the regex of the paths of the entry's routes"
    );
    // a path always starts with `/`
    let errors = CorsConfig::new()
        .path("api/.*", CorsConfig::new().allowed_origins([APP]))
        .build()
        .unwrap_err();
    assert_eq!(errors.first().field(), "paths[0].path");
    // too large to decide: built, nothing claimed
    build(
        CorsConfig::new()
            .path("/[ab]*a[ab]{20}", CorsConfig::new().allowed_origins([APP]))
            .path("/[ab]*b[ab]{20}", CorsConfig::new().allowed_origins([APP])),
    );
    // overlapping but each with paths of its own: fine
    build(
        CorsConfig::new()
            .path("/api/a.*", CorsConfig::new().allowed_origins([APP]))
            .path("/api/.*b", CorsConfig::new().allowed_origins([ELSEWHERE])),
    );
}

#[test]
fn settings_beside_paths_and_inside_entries_are_refused() {
    let errors = CorsConfig::new()
        .allowed_origins([APP])
        .debug(true)
        .path(
            "/a/.*",
            CorsConfig::new()
                .allowed_origins([APP])
                .urls_regex("/a/b.*"),
        )
        .build()
        .unwrap_err();
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "allowed_origins: `[\"https://app.example.com\"]` is set beside `paths`, where each entry is a whole policy: move `allowed_origins` into each `[[paths]]` entry that needs it",
            "debug: `true` is set beside `paths`, where each entry is a whole policy: move `debug` into each `[[paths]]` entry that needs it",
            "paths[0].urls_regex: `/a/b.*` is set in an entry of `paths`: the entry's `path` says which paths it handles",
        ]
    );
    let nested = CorsConfig::new()
        .path("/a/.*", CorsConfig::new().path("/a/b", CorsConfig::new()))
        .build()
        .unwrap_err();
    assert_eq!(nested.first().field(), "paths[0].paths");
}

#[test]
fn warnings_name_the_entry() {
    let cors = build(
        CorsConfig::new()
            .path("/a/.*", CorsConfig::new().allowed_origins(["null"]))
            .path("/.*", CorsConfig::new().allowed_origins([APP])),
    );
    let fields: Vec<&str> = cors.warnings().iter().map(|w| w.field()).collect();
    assert_eq!(fields, ["paths[0].allowed_origins"]);
}

#[test]
fn a_decoded_newline_is_a_path_like_any_other() {
    // Rocket and actix-web decode `%0A` into the path they route: `.` matches it.
    let cors = account_and_public();
    assert_eq!(cors.path_entry("/api/account/x\n"), Some(0));
    assert_eq!(cors.path_entry("/upload\n"), Some(2));
    let post = Req {
        method: "POST",
        path: "/notes/x\n",
        origin: Some(ELSEWHERE.as_bytes()),
        site: Some(b"cross-site"),
        ..Req::default()
    };
    assert_eq!(run(&cors, post).status, Some(403));
    let scoped = build(
        CorsConfig::new()
            .allowed_origins([APP])
            .urls_regex("/api/.*"),
    );
    assert_eq!(
        run(&scoped, at(get(APP), "/api/x\ny")).allow_origin(),
        Some(APP)
    );
}

#[test]
fn csrf_protection_in_an_entry_takes_every_path_covered() {
    // `urls_regex` with `csrf_protection` guards every path; an entry must not guard less.
    let errors = CorsConfig::new()
        .path(
            "/api/.*",
            CorsConfig::new()
                .allowed_origins([APP])
                .csrf_protection(true),
        )
        .build()
        .unwrap_err();
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "paths: `csrf_protection` is on in an entry while some paths match no entry: form posts \
          there would reach the app unchecked: end the list with an entry for every other path, \
          `path = \"/.*\"`, with csrf_protection and the origins that may post"
        ]
    );
    // A request target that is no path (`OPTIONS *`-style `*`) matches no entry: with
    // csrf_protection in the set, a form post from another site there is refused anyway.
    let cors = account_and_public();
    let post = |site: &'static [u8]| Req {
        method: "POST",
        path: "*",
        origin: Some(ELSEWHERE.as_bytes()),
        site: Some(site),
        ..Req::default()
    };
    assert_eq!(cors.path_entry("*"), None);
    let o = run(&cors, post(b"cross-site"));
    assert_eq!((o.action, o.status), ("respond", Some(403)));
    assert_eq!(run(&cors, post(b"same-origin")).action, "skip");
    let get_there = Req {
        method: "GET",
        ..post(b"cross-site")
    };
    assert_eq!(run(&cors, get_there).action, "skip");
    // covered by the entries together, or by a catch-all after a regex too large to judge
    build(
        CorsConfig::new()
            .path(
                "/api/.*",
                CorsConfig::new()
                    .allowed_origins([APP])
                    .csrf_protection(true),
            )
            .path("/([^a].*)?", CorsConfig::new().allowed_origins([APP]))
            .path("/a.*", CorsConfig::new().allowed_origins([APP])),
    );
    build(
        CorsConfig::new()
            .path(
                "/[ab]*a[ab]{20}",
                CorsConfig::new()
                    .allowed_origins([APP])
                    .csrf_protection(true),
            )
            .path("/[ab]*b[ab]{20}", CorsConfig::new().allowed_origins([APP]))
            .path("/.*", CorsConfig::new().allowed_origins([APP])),
    ); // the catch-all is read from what it matches, not from how it is spelled
    build(
        CorsConfig::new()
            .path(
                "/[ab]*a[ab]{20}",
                CorsConfig::new()
                    .allowed_origins([APP])
                    .csrf_protection(true),
            )
            .path("(/[^/]*)*/?", CorsConfig::new().allowed_origins([APP])),
    );
}

#[test]
fn a_plan_from_another_policy_gets_no_grant() {
    // An entry's own `Forward` given to the set names no entry: only `Vary`.
    let cors = account_and_public();
    let (_, account) = cors.path_policies().next().unwrap();
    let view = at(get(APP), "/api/account/me").view();
    let Decision::Forward(forward) = account.classify(&view) else {
        panic!("not forwarded")
    };
    assert!(forward.echoes_origin());
    let headers = forward.headers(&cors, APP.as_bytes());
    assert_eq!(headers.iter().count(), 0);
    assert_eq!(headers.vary().unwrap(), "Origin");
}

#[test]
fn an_entry_built_alone_answers_as_it_does_in_the_set() {
    // The set adds the choice of policy and nothing else.
    let entries = [
        PathPolicy::new(
            "/a/.*",
            CorsConfig::new()
                .allowed_origins([APP])
                .allow_credentials(true)
                .expose_headers(["x-id"]),
        ),
        PathPolicy::new(
            "/.*",
            CorsConfig::new().allowed_origin_regexes([r"https://[a-z]+\.elsewhere\.example"]),
        ),
    ];
    let mut set = CorsConfig::new();
    set.paths = entries.to_vec();
    let set = build(set);
    for entry in &entries {
        let alone = build(entry.policy.clone());
        let path = if entry.path == "/a/.*" { "/a/x" } else { "/b" };
        for origin in [APP, "https://x.elsewhere.example", ELSEWHERE] {
            for req in [
                get(origin),
                preflight(origin, "PUT", Some("x-id")),
                Req {
                    method: "DELETE",
                    origin: Some(origin.as_bytes()),
                    ..Req::default()
                },
            ] {
                assert_eq!(
                    run(&set, at(req, path)),
                    run(&alone, at(req, path)),
                    "{path} {origin}"
                );
            }
        }
    }
}

#[test]
fn a_urls_regex_for_every_path_reads_no_path() {
    // Decided from what the regex matches, as the coverage of `paths` is.
    for every in ["^.*$", ".*", "/.*", "(/[^/]*)*/?", ""] {
        let cors = build(CorsConfig::new().allowed_origins([APP]).urls_regex(every));
        assert!(!cors.reads_path(), "{every:?}");
    }
    for some in ["/api/.*", "/.+", "(?-s)/.*"] {
        let cors = build(CorsConfig::new().allowed_origins([APP]).urls_regex(some));
        assert!(cors.reads_path(), "{some:?}");
    }
}
