//! The configuration fuzz target: any text as a TOML file, a JSON file or `CORS_*`
//! environment variables.
//!
//! The input's first byte picks the format (modulo 3: TOML, JSON, environment lines
//! `NAME=value`); the rest is the text (invalid UTF-8 is replaced, as reading a file as
//! text would refuse it before the parser).

use cors_core::http::HeaderMap;
use cors_core::{ConfigError, Cors, CorsConfig, HeaderField, RequestView, serialised_origin};

use crate::check::{self, Expect, looks_like_origin};

/// The formats, by the input's first byte modulo 3.
pub const FORMATS: [&str; 3] = ["toml", "json", "env"];

/// Origins every loaded policy is probed with, besides its own entries.
const PROBES: &[&str] = &[
    "https://app.example.com",
    "http://localhost:3000",
    "null",
    "https://evil.example",
    "https://app.example.com.evil.example",
    "http://app.example.com",
    "HTTPS://APP.EXAMPLE.COM",
    "https://app.example.com:443",
    "https://a.example.com.evil.net",
    "https://b.example.com",
    "https://evil.com",
    "https://app.example.org.evil.com",
];

/// The target: loads the text, and for any configuration that loads, checks that it
/// serialises back to itself in TOML and JSON, builds or fails with a complete
/// [`ConfigError`], and answers probe requests within [`check::decision`]'s invariants.
///
/// ```
/// let mut input = vec![0]; // TOML
/// input.extend_from_slice(br#"allowed_origins = ["https://app.example.com"]
/// allow_credentials = true"#);
/// cors_fuzz::config::run(&input);
/// ```
pub fn run(data: &[u8]) {
    let Some((&format, text)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(text);
    let loaded = match format % 3 {
        0 => CorsConfig::from_toml_str(&text),
        1 => CorsConfig::from_json_str(&text),
        _ => CorsConfig::from_env_vars(
            text.lines()
                .filter_map(|line| line.split_once('='))
                .map(|(k, v)| (k.to_owned(), v.to_owned())),
        ),
    };
    let config = match loaded {
        Ok(config) => config,
        Err(err) => return error_is_complete(&err),
    };
    round_trips(&config);
    match config.build() {
        Ok(cors) => probe(&config, &cors),
        Err(errors) => errors.iter().for_each(error_is_complete),
    }
}

/// A configuration written out as TOML or JSON reads back as the same configuration.
fn round_trips(config: &CorsConfig) {
    let toml = toml::to_string(config).expect("a loaded configuration serialises to TOML");
    assert_eq!(
        CorsConfig::from_toml_str(&toml).as_ref(),
        Ok(config),
        "TOML round trip of {toml}"
    );
    let json = serde_json::to_string(config).expect("a loaded configuration serialises to JSON");
    assert_eq!(
        CorsConfig::from_json_str(&json).as_ref(),
        Ok(config),
        "JSON round trip of {json}"
    );
}

/// An error names its field and value and reads as one message.
fn error_is_complete(err: &ConfigError) {
    let message = err.to_string();
    assert!(
        !err.field().is_empty(),
        "an error without a field: {message}"
    );
    assert!(
        message.starts_with(err.field()),
        "the message does not start with the field: {message}"
    );
}

/// Runs an actual request and a preflight from each probe origin and each listed origin.
fn probe(config: &CorsConfig, cors: &Cors) {
    for warning in cors.warnings() {
        assert!(!warning.to_string().is_empty());
    }
    let admits = |origin: &[u8]| admits(config, origin);
    let expect = Expect {
        admits: &admits,
        star: config.allow_all_origins && !config.allow_credentials,
        credentials: config.allow_credentials,
        private_network: config.allow_private_network,
        csrf: config.csrf_protection,
        debug: config.debug,
        preflight_status: config.preflight_status,
    };
    // Besides the fixed probes and the listed entries: the origin on an attacker's domain
    // each regex admits, found from the regex itself (a probe, never the oracle).
    let witnesses: Vec<String> = config
        .allowed_origin_regexes
        .iter()
        .filter_map(|r| cors_core::any_website_origin(r).ok().flatten())
        .collect();
    let probes: Vec<&str> = PROBES
        .iter()
        .copied()
        .chain(config.allowed_origins.iter().map(String::as_str))
        .chain(witnesses.iter().map(String::as_str))
        .collect();
    // Without allow-all the engine admits exactly what the oracle does, both ways.
    if !config.allow_all_origins {
        for origin in &probes {
            assert_eq!(
                cors.is_origin_allowed(origin.as_bytes()),
                admits(origin.as_bytes()),
                "the policy and the oracle disagree on {origin:?}"
            );
        }
    }
    let app = HeaderMap::new();
    for origin in probes {
        let origin = HeaderField::One(origin.as_bytes());
        for path in ["/", "/api/items"] {
            let actual = RequestView {
                method: "GET",
                path,
                origin,
                ..RequestView::default()
            };
            check::decision(&expect, cors, &actual, &app);
            let preflight = RequestView {
                method: "OPTIONS",
                path,
                origin,
                request_method: HeaderField::One(b"PUT"),
                request_headers: HeaderField::One(b"x-custom, authorization, content-type"),
                request_private_network: HeaderField::One(b"true"),
                ..RequestView::default()
            };
            check::decision(&expect, cors, &preflight, &app);
        }
    }
}

/// Whether a policy built from `config` may echo `origin`, written from the settings
/// alone: only with the credentials opt-in for allow-all; `null` only when listed; a
/// listed origin in its browser form ([`serialised_origin`]); subdomain patterns and
/// regexes exactly, by [`oracle::matched`](crate::oracle::matched).
fn admits(config: &CorsConfig, origin: &[u8]) -> bool {
    if config.allow_all_origins {
        return config.allow_credentials
            && config.allow_credentials_with_any_origin
            && origin != b"null"
            && looks_like_origin(origin);
    }
    if origin == b"null" {
        return config.allowed_origins.iter().any(|o| o == "null");
    }
    let listed = config
        .allowed_origins
        .iter()
        .filter(|o| !o.contains("://*."))
        .any(|o| serialised_origin(o).is_ok_and(|o| o.as_bytes() == origin));
    let patterns: Vec<String> = config
        .allowed_origins
        .iter()
        .filter(|o| o.contains("://*."))
        .cloned()
        .collect();
    listed
        || std::str::from_utf8(origin).is_ok_and(|origin| {
            crate::oracle::matched(&patterns, &config.allowed_origin_regexes, origin)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The oracle compares listed origins in the form browsers send them.
    #[test]
    fn browser_form_lowers_and_drops_default_ports() {
        let browser_form = |o: &str| serialised_origin(o).unwrap().into_bytes();
        assert_eq!(browser_form("HTTPS://A.com:443"), b"https://a.com");
        assert_eq!(browser_form("http://a.com:80"), b"http://a.com");
        assert_eq!(browser_form("http://a.com:443"), b"http://a.com:443");
    }

    #[test]
    fn the_oracle_follows_the_settings() {
        let listed = CorsConfig::new().allowed_origins(["https://A.com:443"]);
        assert!(admits(&listed, b"https://a.com"));
        assert!(!admits(&listed, b"https://b.com"));
        assert!(!admits(&listed, b"null"));
        let any = CorsConfig::new().allow_all_origins(true);
        assert!(!admits(&any, b"https://b.com"));
    }

    #[test]
    fn each_format_is_read() {
        for (format, text) in [
            (0u8, &br#"allowed_origins = ["https://a.com"]"#[..]),
            (1, br#"{"allowed_origins": ["https://a.com"]}"#),
            (2, b"CORS_ALLOWED_ORIGINS=https://a.com"),
        ] {
            let mut input = vec![format];
            input.extend_from_slice(text);
            run(&input);
        }
    }
}
