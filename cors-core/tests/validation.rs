//! Every configuration mistake is a `ConfigError` naming the field and the value with a
//! hint; every legal but risky setting is a warning.
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use cors_core::{ConfigError, ConfigErrorKind, CorsConfig};

fn origin_error(origin: &str) -> ConfigError {
    CorsConfig::new()
        .allowed_origins([origin])
        .build()
        .unwrap_err()
        .first()
        .clone()
}

fn assert_error(err: &ConfigError, kind: ConfigErrorKind, field: &str, value: &str, message: &str) {
    assert_eq!(err.kind(), kind, "{err}");
    assert_eq!(err.field(), field);
    assert_eq!(err.value(), value);
    assert_eq!(err.to_string(), message);
}

#[test]
fn origin_with_trailing_slash() {
    assert_error(
        &origin_error("https://a.com/"),
        ConfigErrorKind::OriginTrailingSlash,
        "allowed_origins",
        "https://a.com/",
        "allowed_origins: `https://a.com/` has a trailing slash; origins have no path: did you mean `https://a.com`?",
    );
}

#[test]
fn origin_with_path() {
    assert_error(
        &origin_error("https://a.com/api/v1"),
        ConfigErrorKind::OriginPath,
        "allowed_origins",
        "https://a.com/api/v1",
        "allowed_origins: `https://a.com/api/v1` has a path; an origin is only scheme, host and port: did you mean `https://a.com`?",
    );
}

#[test]
fn origin_with_query() {
    assert_error(
        &origin_error("https://a.com?next=/"),
        ConfigErrorKind::OriginQuery,
        "allowed_origins",
        "https://a.com?next=/",
        "allowed_origins: `https://a.com?next=/` has a query; an origin is only scheme, host and port: did you mean `https://a.com`?",
    );
}

#[test]
fn origin_with_fragment() {
    let err = origin_error("https://a.com#x");
    assert_eq!(err.kind(), ConfigErrorKind::OriginFragment);
    assert_eq!(err.hint_text(), Some("did you mean `https://a.com`?"));
}

#[test]
fn origin_with_userinfo() {
    assert_error(
        &origin_error("https://admin:secret@a.com"),
        ConfigErrorKind::OriginUserinfo,
        "allowed_origins",
        "https://admin:secret@a.com",
        "allowed_origins: `https://admin:secret@a.com` has userinfo (`user@`); browsers never send it in an origin: did you mean `https://a.com`?",
    );
}

#[test]
fn host_that_ends_in_a_number_but_is_no_ipv4_address() {
    for origin in ["http://127x0.0.1", "https://a.1", "https://app.0x1f"] {
        assert_error(
            &origin_error(origin),
            ConfigErrorKind::OriginInvalidHost,
            "allowed_origins",
            origin,
            &format!(
                "allowed_origins: `{origin}` has a host that ends in a number but is not an IPv4 address; browsers refuse it"
            ),
        );
    }
    for origin in [
        "http://127.0.0.1",
        "https://1a.example.com",
        "https://app.0xg",
    ] {
        assert!(
            cors_core::CorsConfig::new()
                .allowed_origins([origin])
                .build()
                .is_ok(),
            "{origin}"
        );
    }
}

#[test]
fn origin_without_scheme() {
    assert_error(
        &origin_error("example.com"),
        ConfigErrorKind::OriginMissingScheme,
        "allowed_origins",
        "example.com",
        "allowed_origins: `example.com` has no scheme: did you mean `https://example.com`?",
    );
    assert_eq!(
        origin_error("localhost:3000").hint_text(),
        Some("did you mean `http://localhost:3000`?")
    );
}

#[test]
fn star_inside_allowed_origins_points_to_allow_all_origins() {
    let err = origin_error("*");
    assert_eq!(err.kind(), ConfigErrorKind::OriginWildcard);
    assert_eq!(err.value(), "*");
    assert!(
        err.hint_text()
            .unwrap()
            .contains("allow_all_origins = true"),
        "{err}"
    );
}

#[test]
fn file_origin_is_refused() {
    let err = origin_error("file://");
    assert_eq!(err.kind(), ConfigErrorKind::OriginFileScheme);
    assert!(err.to_string().contains("send `Origin: null`"), "{err}");
}

#[test]
fn subdomain_pattern_on_a_public_suffix_is_refused() {
    for p in ["https://*.com", "https://*.github.io", "https://*.co.uk"] {
        let err = origin_error(p);
        assert_eq!(err.kind(), ConfigErrorKind::OriginPattern, "{p}");
        assert!(err.to_string().contains("public suffix"), "{err}");
    }
}

#[test]
fn regex_that_does_not_compile() {
    let err = CorsConfig::new()
        .allowed_origin_regexes([r"https://(a|b\.com"])
        .build()
        .unwrap_err()
        .first()
        .clone();
    assert_eq!(err.kind(), ConfigErrorKind::InvalidRegex);
    assert_eq!(err.field(), "allowed_origin_regexes");
    assert_eq!(err.value(), r"https://(a|b\.com");
    assert!(err.hint_text().unwrap().contains("unclosed group"), "{err}");

    let err = CorsConfig::new()
        .urls_regex("/api/(")
        .build()
        .unwrap_err()
        .first()
        .clone();
    assert_eq!(err.kind(), ConfigErrorKind::InvalidRegex);
    assert_eq!(err.field(), "urls_regex");
}

#[test]
fn allow_all_with_credentials_needs_the_opt_in() {
    let err = CorsConfig::new()
        .allow_all_origins(true)
        .allow_credentials(true)
        .build()
        .unwrap_err()
        .first()
        .clone();
    assert_eq!(err.kind(), ConfigErrorKind::AnyOriginWithCredentials);
    assert_eq!(err.field(), "allow_all_origins");
    assert!(
        err.hint_text()
            .unwrap()
            .contains("allow_credentials_with_any_origin = true"),
        "{err}"
    );
    let cors = CorsConfig::new()
        .allow_all_origins(true)
        .allow_credentials(true)
        .allow_credentials_with_any_origin(true)
        .build()
        .unwrap();
    assert!(
        cors.warnings()
            .iter()
            .any(|w| w.field() == "allow_credentials_with_any_origin")
    );
}

#[test]
fn null_with_credentials_needs_the_opt_in() {
    let err = CorsConfig::new()
        .allowed_origins(["https://a.com", "null"])
        .allow_credentials(true)
        .build()
        .unwrap_err()
        .first()
        .clone();
    assert_error(
        &err,
        ConfigErrorKind::NullWithCredentials,
        "allowed_origins",
        "null",
        "allowed_origins: `null` together with allow_credentials would let every website read \
         your users' data with their cookies: any page can send `Origin: null` from a sandboxed \
         iframe: remove `null` and serve the page that needs the API from a listed origin; if \
         you really accept any website, also set allow_credentials_with_any_origin = true",
    );
    let opted_in = CorsConfig::new()
        .allowed_origins(["https://a.com", "null"])
        .allow_credentials(true)
        .allow_credentials_with_any_origin(true)
        .build()
        .unwrap();
    assert!(opted_in.is_origin_allowed(b"null"));
    assert!(
        opted_in
            .warnings()
            .iter()
            .all(|w| w.field() != "allow_credentials_with_any_origin"),
        "the opt-in is used, so no `no effect` warning: {:?}",
        opted_in.warnings()
    );
    // Without credentials `null` is only a warning.
    assert!(CorsConfig::new().allowed_origins(["null"]).build().is_ok());
}

#[test]
fn regex_for_any_domain_with_credentials_needs_the_opt_in() {
    for regex in [
        ".*",
        "https://.*",
        r"https?://[^/]+",
        r"https://[a-z.-]+(:\d+)?",
    ] {
        let err = CorsConfig::new()
            .allowed_origin_regexes([regex])
            .allow_credentials(true)
            .build()
            .unwrap_err()
            .first()
            .clone();
        assert_eq!(
            err.kind(),
            ConfigErrorKind::OriginRegexForAnyDomain,
            "{regex}"
        );
        assert_eq!(err.field(), "allowed_origin_regexes");
        assert_eq!(err.value(), regex);
    }
    let err = CorsConfig::new()
        .allowed_origin_regexes(["https://.*"])
        .allow_credentials(true)
        .build()
        .unwrap_err()
        .first()
        .clone();
    assert_eq!(
        err.to_string(),
        "allowed_origin_regexes: `https://.*` admits websites on domains anyone can register \
         (it matches `https://evil.com`), so with allow_credentials any of them could read \
         your users' data with their cookies: tie it to your domain, such as \
         `https://([a-z0-9-]+\\.)*example\\.com`; if you really accept any website, also set \
         allow_credentials_with_any_origin = true"
    );
    // Regexes tied to a domain are fine with credentials.
    for regex in [
        r"https://([a-z0-9-]+\.)*example\.com",
        r"https?://localhost:\d+",
        r"http://127\.0\.0\.1:[0-9]+",
    ] {
        let cors = CorsConfig::new()
            .allowed_origin_regexes([regex])
            .allow_credentials(true)
            .build()
            .unwrap();
        assert!(cors.warnings().is_empty(), "{regex}: {:?}", cors.warnings());
    }
    // With the opt-in, or without credentials: a warning.
    let opted_in = CorsConfig::new()
        .allowed_origin_regexes(["https://.*"])
        .allow_credentials(true)
        .allow_credentials_with_any_origin(true)
        .build()
        .unwrap();
    assert!(opted_in.is_origin_allowed(b"https://anything.example"));
    assert_eq!(
        warnings(CorsConfig::new().allowed_origin_regexes(["https://.*"])),
        [
            "allowed_origin_regexes: `https://.*` admits websites on domains anyone can register (it matches `https://evil.com`): they can all read these responses; if that is meant, allow_all_origins says so"
        ]
    );
}

#[test]
fn replacing_origins_keeps_the_credentials_rules() {
    let cors = CorsConfig::new()
        .allowed_origins(["https://a.com"])
        .allow_credentials(true)
        .build()
        .unwrap();
    let err = cors
        .replace_allowed_origins(["null"], Vec::<String>::new())
        .unwrap_err()
        .first()
        .clone();
    assert_eq!(err.kind(), ConfigErrorKind::NullWithCredentials);
    let err = cors
        .replace_allowed_origins(Vec::<String>::new(), [".*"])
        .unwrap_err()
        .first()
        .clone();
    assert_eq!(err.kind(), ConfigErrorKind::OriginRegexForAnyDomain);
    assert!(
        cors.is_origin_allowed(b"https://a.com"),
        "nothing changed on error"
    );
}

#[test]
fn method_that_is_not_a_token() {
    assert_error(
        &CorsConfig::new()
            .allowed_methods(["GET", "GET, POST"])
            .build()
            .unwrap_err()
            .first()
            .clone(),
        ConfigErrorKind::InvalidMethod,
        "allowed_methods",
        "GET, POST",
        "allowed_methods: `GET, POST` is not a valid method (an HTTP token: no spaces, commas or quotes): list each name as its own element",
    );
}

#[test]
fn header_that_is_not_a_token() {
    let err = CorsConfig::new()
        .allowed_headers(["x-api-key:"])
        .build()
        .unwrap_err()
        .first()
        .clone();
    assert_eq!(err.kind(), ConfigErrorKind::InvalidHeader);
    assert_eq!(err.field(), "allowed_headers");
    assert_eq!(err.value(), "x-api-key:");
    let err = CorsConfig::new()
        .expose_headers(["x a"])
        .build()
        .unwrap_err()
        .first()
        .clone();
    assert_eq!(err.field(), "expose_headers");
}

#[test]
fn star_mixed_with_names_is_refused() {
    let err = CorsConfig::new()
        .allowed_headers(["*", "authorization"])
        .build()
        .unwrap_err()
        .first()
        .clone();
    assert_eq!(err.kind(), ConfigErrorKind::InvalidHeader);
    assert_eq!(err.value(), "*, authorization");
}

#[test]
fn expose_all_with_credentials() {
    let err = CorsConfig::new()
        .allowed_origins(["https://a.com"])
        .allow_credentials(true)
        .expose_headers(["*"])
        .build()
        .unwrap_err()
        .first()
        .clone();
    assert_eq!(err.kind(), ConfigErrorKind::ExposeAllWithCredentials);
    assert_eq!(err.field(), "expose_headers");
    assert_eq!(err.value(), "*");
    assert!(
        CorsConfig::new()
            .allowed_origins(["https://a.com"])
            .expose_headers(["*"])
            .build()
            .is_ok()
    );
}

#[test]
fn preflight_status_must_be_2xx() {
    let err = CorsConfig::new()
        .preflight_status(404)
        .build()
        .unwrap_err()
        .first()
        .clone();
    assert_eq!(err.kind(), ConfigErrorKind::InvalidValue);
    assert_eq!(err.field(), "preflight_status");
    assert_eq!(err.value(), "404");
}

#[test]
fn unknown_key_in_toml() {
    assert_error(
        &CorsConfig::from_toml_str("allowed_origin = [\"https://a.com\"]").unwrap_err(),
        ConfigErrorKind::UnknownKey,
        "allowed_origin",
        "allowed_origin",
        "allowed_origin: `allowed_origin` is not a known setting: did you mean `allowed_origins`?",
    );
}

#[test]
fn unknown_key_in_json() {
    let err = CorsConfig::from_json_str(r#"{"allow_credential": true}"#).unwrap_err();
    assert_eq!(err.kind(), ConfigErrorKind::UnknownKey);
    assert_eq!(err.hint_text(), Some("did you mean `allow_credentials`?"));
}

#[test]
fn an_empty_key_is_named() {
    let err = CorsConfig::from_json_str(r#"{"": []}"#).unwrap_err();
    assert_eq!(err.kind(), ConfigErrorKind::UnknownKey);
    assert_eq!(err.field(), r#""""#);
    assert!(
        err.to_string()
            .starts_with(r#""": `""` is not a known setting"#),
        "{err}"
    );
}

#[test]
fn unknown_key_directly_through_serde() {
    let err = serde_json::from_str::<CorsConfig>(r#"{"allowed_origin": []}"#).unwrap_err();
    assert!(
        err.to_string().contains("unknown field `allowed_origin`"),
        "{err}"
    );
}

#[test]
fn unknown_cors_environment_variable() {
    assert_error(
        &CorsConfig::from_env_vars([("CORS_ALLOWED_ORIGIN", "https://a.com")]).unwrap_err(),
        ConfigErrorKind::UnknownKey,
        "CORS_ALLOWED_ORIGIN",
        "CORS_ALLOWED_ORIGIN",
        "CORS_ALLOWED_ORIGIN: `CORS_ALLOWED_ORIGIN` is not a known setting: did you mean `CORS_ALLOWED_ORIGINS`?",
    );
}

#[test]
fn wrong_value_types_name_the_field() {
    assert_error(
        &CorsConfig::from_toml_str("allow_credentials = \"yes\"").unwrap_err(),
        ConfigErrorKind::InvalidValue,
        "allow_credentials",
        "yes",
        "allow_credentials: `yes` is not true or false",
    );
    let err = CorsConfig::from_json_str(r#"{"allowed_origins": "https://a.com"}"#).unwrap_err();
    assert_eq!(err.field(), "allowed_origins");
    assert_eq!(
        err.to_string(),
        "allowed_origins: `https://a.com` is not a list of origins"
    );
    let err = CorsConfig::from_json_str(r#"{"max_age": -1}"#).unwrap_err();
    assert_eq!(err.field(), "max_age");
    let err = CorsConfig::from_env_vars([("CORS_ALLOW_CREDENTIALS", "maybe")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "CORS_ALLOW_CREDENTIALS: `maybe` is not true or false"
    );
}

#[test]
fn the_same_field_twice_under_two_names() {
    let err = CorsConfig::from_toml_str("allowed_origins = []\norigin_whitelist = []").unwrap_err();
    assert_eq!(err.kind(), ConfigErrorKind::InvalidValue);
    assert_eq!(err.field(), "allowed_origins");
}

#[test]
fn syntax_errors() {
    assert_eq!(
        CorsConfig::from_toml_str("allowed_origins = [")
            .unwrap_err()
            .kind(),
        ConfigErrorKind::Syntax
    );
    assert_eq!(
        CorsConfig::from_json_str("{").unwrap_err().kind(),
        ConfigErrorKind::Syntax
    );
    assert_eq!(
        CorsConfig::from_json_str("[]").unwrap_err().kind(),
        ConfigErrorKind::Syntax
    );
    assert_eq!(
        CorsConfig::from_file("/nonexistent/cors.toml")
            .unwrap_err()
            .kind(),
        ConfigErrorKind::Syntax
    );
}

// ---- warnings ----

fn warnings(config: CorsConfig) -> Vec<String> {
    config
        .build()
        .unwrap()
        .warnings()
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn clean_policy_has_no_warnings() {
    assert!(
        warnings(
            CorsConfig::new()
                .allowed_origins(["https://a.com", "http://localhost:3000"])
                .allow_credentials(true)
        )
        .is_empty()
    );
}

#[test]
fn risky_settings_warn() {
    assert_eq!(
        warnings(CorsConfig::new().allowed_origins(["null"])),
        [
            "allowed_origins: `null` allows the opaque origin that sandboxed iframes, `file:` pages and some redirects send; any site can create one"
        ]
    );
    assert_eq!(
        warnings(
            CorsConfig::new()
                .allowed_origins(["https://a.com"])
                .max_age(100_000)
        ),
        [
            "max_age: `100000` is more than any browser caches a preflight (Chromium 7200, Firefox 86400)"
        ]
    );
    assert_eq!(
        warnings(
            CorsConfig::new()
                .allowed_origins(["http://a.com"])
                .allow_credentials(true)
        ),
        [
            "allowed_origins: `http://a.com` is plain http with credentials: anyone on the network path can run script as this origin and read the responses"
        ]
    );
    assert_eq!(
        warnings(CorsConfig::new().allowed_origin_regexes([r"https://app.example\.com"])),
        [
            r"allowed_origin_regexes: `https://app.example\.com` admits websites on domains anyone can register (it matches `https://appaexample.com`): they can all read these responses; if that is meant, allow_all_origins says so",
            r"allowed_origin_regexes: `https://app.example\.com` has an unescaped `.` between domain labels; it matches any character, so another registrable domain can match: write `\.`"
        ]
    );
    assert_eq!(
        warnings(CorsConfig::new()),
        [
            "allowed_origins: `[]` is empty: no cross-origin request is allowed; list the origins of your front ends"
        ]
    );
    assert_eq!(
        warnings(
            CorsConfig::new()
                .allowed_origins(["https://a.com"])
                .debug(true)
        )
        .len(),
        1
    );
    assert_eq!(
        warnings(
            CorsConfig::new()
                .allowed_origins(["http://*.example.com"])
                .allow_credentials(true)
        ),
        [
            "allowed_origins: `http://*.example.com` is plain http with credentials: anyone on the network path can run script as this origin and read the responses"
        ]
    );
    assert_eq!(
        warnings(
            CorsConfig::new()
                .allow_all_origins(true)
                .allow_private_network(true)
        ),
        [
            "allow_private_network: `true` with allow_all_origins lets every website on the internet send requests to this server on your private network; list the origins of your front ends"
        ]
    );
}

#[test]
fn origins_beside_allow_all_warn() {
    assert_eq!(
        warnings(
            CorsConfig::new()
                .allow_all_origins(true)
                .allowed_origins(["https://a.com", "https://b.com"])
        ),
        [
            "allowed_origins: `https://a.com, https://b.com` has no effect: allow_all_origins allows every origin"
        ]
    );
}

#[test]
fn an_opt_in_that_changes_nothing_warns() {
    assert_eq!(
        warnings(
            CorsConfig::new()
                .allow_all_origins(true)
                .allow_credentials_with_any_origin(true)
        ),
        ["allow_credentials_with_any_origin: `true` has no effect without allow_credentials"]
    );
    assert_eq!(
        warnings(
            CorsConfig::new()
                .allowed_origins(["https://a.com"])
                .allow_credentials(true)
                .allow_credentials_with_any_origin(true)
        ),
        [
            "allow_credentials_with_any_origin: `true` has no effect: allow_all_origins is off and no listed origin or regex admits any website"
        ]
    );
}

#[test]
fn every_mistake_is_reported_at_once() {
    let errors = CorsConfig::new()
        .allowed_origins(["https://a.com/", "https://ok.example.com", "example.com"])
        .allowed_origin_regexes([r"https://(a\.com"])
        .allowed_methods(["GET POST", "get"])
        .allowed_headers(["x y"])
        .expose_headers(["*"])
        .allow_credentials(true)
        .preflight_status(302)
        .urls_regex("/api/(")
        .build()
        .unwrap_err();
    let found: Vec<(&str, &str, ConfigErrorKind)> = errors
        .iter()
        .map(|e| (e.field(), e.value(), e.kind()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "allowed_origins",
                "https://a.com/",
                ConfigErrorKind::OriginTrailingSlash
            ),
            (
                "allowed_origins",
                "example.com",
                ConfigErrorKind::OriginMissingScheme
            ),
            (
                "allowed_origin_regexes",
                r"https://(a\.com",
                ConfigErrorKind::InvalidRegex
            ),
            ("urls_regex", "/api/(", ConfigErrorKind::InvalidRegex),
            ("preflight_status", "302", ConfigErrorKind::InvalidValue),
            (
                "allowed_methods",
                "GET POST",
                ConfigErrorKind::InvalidMethod
            ),
            ("allowed_methods", "get", ConfigErrorKind::InvalidMethod),
            ("allowed_headers", "x y", ConfigErrorKind::InvalidHeader),
            (
                "expose_headers",
                "*",
                ConfigErrorKind::ExposeAllWithCredentials
            ),
        ]
    );
    // One line per error, each as the error alone displays.
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.to_string(), lines.join("\n"));
}

#[test]
fn replacing_origins_reports_every_mistake_and_changes_nothing() {
    let cors = CorsConfig::new()
        .allowed_origins(["https://a.com"])
        .allow_credentials(true)
        .build()
        .unwrap();
    let errors = cors
        .replace_allowed_origins(["null", "https://b.com/"], [r"https://.*"])
        .unwrap_err();
    let kinds: Vec<ConfigErrorKind> = errors.iter().map(|e| e.kind()).collect();
    assert_eq!(
        kinds,
        [
            ConfigErrorKind::NullWithCredentials,
            ConfigErrorKind::OriginTrailingSlash,
            ConfigErrorKind::OriginRegexForAnyDomain,
        ]
    );
    assert!(cors.is_origin_allowed(b"https://a.com"));
    assert_eq!(cors.config().allowed_origins, ["https://a.com"]);
}

#[test]
fn a_star_mixed_with_names_does_not_hide_the_other_mistakes() {
    let errors = CorsConfig::new()
        .allowed_methods(["*", "GET POST"])
        .build()
        .unwrap_err();
    let values: Vec<&str> = errors.iter().map(|e| e.value()).collect();
    assert_eq!(values, ["*, GET POST", "GET POST"]);
}
