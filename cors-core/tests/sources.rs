//! The one configuration type read from TOML, JSON and the environment gives the same
//! policy; django-cors-headers' names work; defaults are django-cors-headers'.
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use cors_core::CorsConfig;

const TOML: &str = r#"
allowed_origins = ["https://app.example.com", "https://*.example.org"]
allowed_origin_regexes = ['https://[a-z]+\.example\.net']
allowed_methods = ["GET", "POST"]
allowed_headers = ["content-type", "x-api-key"]
expose_headers = ["x-request-id"]
allow_credentials = true
max_age = 600
allow_private_network = true
urls_regex = "/api/.*"
csrf_protection = true
preflight_status = 204
debug = false
"#;

const JSON: &str = r#"{
  "allowed_origins": ["https://app.example.com", "https://*.example.org"],
  "allowed_origin_regexes": ["https://[a-z]+\\.example\\.net"],
  "allowed_methods": ["GET", "POST"],
  "allowed_headers": ["content-type", "x-api-key"],
  "expose_headers": ["x-request-id"],
  "allow_credentials": true,
  "max_age": 600,
  "allow_private_network": true,
  "urls_regex": "/api/.*",
  "csrf_protection": true,
  "preflight_status": 204,
  "debug": false
}"#;

fn expected() -> CorsConfig {
    CorsConfig::new()
        .allowed_origins(["https://app.example.com", "https://*.example.org"])
        .allowed_origin_regexes([r"https://[a-z]+\.example\.net"])
        .allowed_methods(["GET", "POST"])
        .allowed_headers(["content-type", "x-api-key"])
        .expose_headers(["x-request-id"])
        .allow_credentials(true)
        .max_age(600)
        .allow_private_network(true)
        .urls_regex("/api/.*")
        .csrf_protection(true)
        .preflight_status(204)
}

#[test]
fn toml_json_env_and_builder_agree() {
    let from_env = CorsConfig::from_env_vars([
        (
            "CORS_ALLOWED_ORIGINS",
            "https://app.example.com, https://*.example.org",
        ),
        (
            "CORS_ALLOWED_ORIGIN_REGEXES",
            r"https://[a-z]+\.example\.net",
        ),
        ("CORS_ALLOWED_METHODS", "GET,POST"),
        ("CORS_ALLOWED_HEADERS", "content-type,x-api-key"),
        ("CORS_EXPOSE_HEADERS", "x-request-id"),
        ("CORS_ALLOW_CREDENTIALS", "true"),
        ("CORS_MAX_AGE", "600"),
        ("CORS_ALLOW_PRIVATE_NETWORK", "1"),
        ("CORS_URLS_REGEX", "/api/.*"),
        ("CORS_CSRF_PROTECTION", "yes"),
        ("CORS_PREFLIGHT_STATUS", "204"),
        ("CORS_DEBUG", "off"),
        ("HOME", "/root"),
    ])
    .unwrap();
    let expected = expected();
    assert_eq!(CorsConfig::from_toml_str(TOML).unwrap(), expected);
    assert_eq!(CorsConfig::from_json_str(JSON).unwrap(), expected);
    assert_eq!(from_env, expected);
    assert_eq!(serde_json::from_str::<CorsConfig>(JSON).unwrap(), expected);
    assert!(expected.build().is_ok());
}

#[test]
fn defaults_follow_django_cors_headers() {
    let d = CorsConfig::default();
    assert!(d.allowed_origins.is_empty());
    assert!(d.allowed_origin_regexes.is_empty());
    assert!(!d.allow_all_origins);
    assert!(!d.allow_credentials_with_any_origin);
    assert_eq!(
        d.allowed_methods,
        ["DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT"]
    );
    assert_eq!(
        d.allowed_headers,
        [
            "accept",
            "authorization",
            "content-type",
            "user-agent",
            "x-csrftoken",
            "x-requested-with"
        ]
    );
    assert!(d.expose_headers.is_empty());
    assert!(!d.allow_credentials);
    assert_eq!(d.max_age, Some(86400));
    assert!(!d.allow_private_network);
    assert_eq!(d.urls_regex, "^.*$");
    assert!(!d.csrf_protection);
    assert_eq!(d.preflight_status, 200);
    assert!(!d.debug);
    assert_eq!(CorsConfig::from_toml_str("").unwrap(), d);
    assert_eq!(CorsConfig::from_json_str("{}").unwrap(), d);
    assert_eq!(
        CorsConfig::from_env_vars(Vec::<(String, String)>::new()).unwrap(),
        d
    );
}

#[test]
fn django_setting_names_are_accepted() {
    let config = CorsConfig::from_toml_str(
        r#"
        origin_whitelist = ["https://a.com"]
        origin_regex_whitelist = ['https://.*\.b\.com']
        preflight_max_age = 60
        allow_methods = ["GET"]
        allow_headers = ["x-a"]
        "#,
    )
    .unwrap();
    assert_eq!(config.allowed_origins, ["https://a.com"]);
    assert_eq!(config.allowed_origin_regexes, [r"https://.*\.b\.com"]);
    assert_eq!(config.max_age, Some(60));
    assert_eq!(config.allowed_methods, ["GET"]);
    assert_eq!(config.allowed_headers, ["x-a"]);
    let config = CorsConfig::from_env_vars([
        ("CORS_ORIGIN_ALLOW_ALL", "True"),
        ("CORS_ORIGIN_WHITELIST", ""),
    ])
    .unwrap();
    assert!(config.allow_all_origins);
    assert!(config.allowed_origins.is_empty());
}

#[test]
fn max_age_none_in_each_format() {
    assert_eq!(
        CorsConfig::from_json_str(r#"{"max_age": null}"#)
            .unwrap()
            .max_age,
        None
    );
    assert_eq!(
        CorsConfig::from_toml_str("max_age = false")
            .unwrap()
            .max_age,
        None
    );
    assert_eq!(
        CorsConfig::from_env_vars([("CORS_MAX_AGE", "none")])
            .unwrap()
            .max_age,
        None
    );
    assert_eq!(
        serde_json::from_str::<CorsConfig>(r#"{"max_age": null}"#)
            .unwrap()
            .max_age,
        None
    );
    assert!(CorsConfig::from_toml_str("max_age = true").is_err());
}

#[test]
fn config_round_trips_through_toml() {
    let config = expected().max_age(None);
    let text = toml::to_string(&config).unwrap();
    assert!(text.contains("max_age = false"), "{text}");
    assert_eq!(CorsConfig::from_toml_str(&text).unwrap(), config);
}

#[test]
fn config_files_by_extension() {
    let dir = std::env::temp_dir().join(format!("cors-core-sources-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let toml_path = dir.join("cors.toml");
    let json_path = dir.join("cors.json");
    let yaml_path = dir.join("cors.yaml");
    std::fs::write(&toml_path, TOML).unwrap();
    std::fs::write(&json_path, JSON).unwrap();
    std::fs::write(&yaml_path, "allowed_origins: []").unwrap();
    assert_eq!(CorsConfig::from_file(&toml_path).unwrap(), expected());
    assert_eq!(CorsConfig::from_file(&json_path).unwrap(), expected());
    let err = CorsConfig::from_file(&yaml_path).unwrap_err();
    assert!(
        err.to_string().contains("neither a `.toml` nor a `.json`"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_old_name_of_csrf_protection_says_what_it_became() {
    let err = CorsConfig::from_toml_str("reject_disallowed_requests = true").unwrap_err();
    assert_eq!(
        err.to_string(),
        "reject_disallowed_requests: `reject_disallowed_requests` is not a known setting: it became `csrf_protection`, which refuses only requests with an unsafe method (not GET, HEAD or OPTIONS) from another site; a GET from a disallowed origin runs the app and the browser keeps the answer from the page"
    );
    let err = CorsConfig::from_env_vars([("CORS_REJECT_DISALLOWED_REQUESTS", "true")]).unwrap_err();
    assert!(
        err.to_string().contains("it became `CORS_CSRF_PROTECTION`"),
        "{err}"
    );
}
