//! The regexes an outside review found cors-lint silent on: a trailing `.*`, a regex for
//! any domain, unbalanced parentheses. Findings are read from what the regex can match.
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use cors_core::{ConfigErrorKind, CorsConfig};
use cors_lint::{Legacy, Trick, import, lint, lint_legacy};

fn any_website_findings(regex: &str) -> Vec<String> {
    let report = lint(&CorsConfig::new().allowed_origin_regexes([regex])).unwrap();
    report
        .findings
        .iter()
        .filter(|f| f.trick == Trick::AnyWebsite)
        .map(|f| f.admitted.clone())
        .collect()
}

#[test]
fn a_trailing_wildcard_is_found_with_the_origin_it_admits() {
    assert_eq!(
        any_website_findings(r"https://app\.example\.org.*"),
        ["https://app.example.org.evil.com"]
    );
    let report =
        lint(&CorsConfig::new().allowed_origin_regexes([r"https://app\.example\.org.*"])).unwrap();
    let finding = report
        .findings
        .iter()
        .find(|f| f.trick == Trick::AnyWebsite)
        .unwrap();
    assert_eq!(finding.field, "allowed_origin_regexes");
    assert!(finding.fix.contains("list"), "{}", finding.fix);
}

#[test]
fn regexes_for_any_domain_are_found() {
    for regex in [r"https://.*\.com", r"https://[a-z0-9-]+\.(com|net|org)"] {
        let report = lint(&CorsConfig::new().allowed_origin_regexes([regex])).unwrap();
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.admitted == "https://evil.com"),
            "{regex}: {report}"
        );
    }
}

#[test]
fn a_regex_for_the_subdomains_of_ones_own_domain_stays_clean() {
    let report =
        lint(&CorsConfig::new().allowed_origin_regexes([r"https://([a-z0-9-]+\.)*example\.org"]))
            .unwrap();
    assert!(report.findings.is_empty(), "{report}");
}

#[test]
fn a_regex_that_escapes_its_group_is_an_error_not_a_clean_report() {
    let err = lint(
        &CorsConfig::new()
            .allowed_origin_regexes([r"https://a\.example\.com)|(https://b\.example\.com"])
            .allow_credentials(true),
    )
    .unwrap_err();
    assert_eq!(err.len(), 1);
    let err = err.first();
    assert_eq!(err.kind(), ConfigErrorKind::InvalidRegex);
    assert_eq!(err.field(), "allowed_origin_regexes");
}

#[test]
fn django_regexes_with_a_top_level_or_are_fixed_as_one_group() {
    let old = Legacy::from_python(
        r#"CORS_ALLOWED_ORIGIN_REGEXES = [r"https://a\.example\.com|https://b\.example\.com"]"#,
    )
    .unwrap();
    let report = lint_legacy(&old).unwrap();
    assert!(!report.findings.is_empty());
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.fix == r#"r"^(?:https://a\.example\.com|https://b\.example\.com)$""#),
        "{report}"
    );
}

#[test]
fn django_regexes_that_python_refuses_are_left_out() {
    let old = Legacy::from_python(
        r#"CORS_ALLOWED_ORIGIN_REGEXES = [r"https://a\.example\.com)|(https://b\.example\.com"]"#,
    )
    .unwrap();
    let import = import(&old).unwrap();
    assert!(import.config.allowed_origin_regexes.is_empty());
    let t = &import.translations[0];
    assert_eq!(t.new, None);
    assert!(t.note.as_deref().unwrap().starts_with("left out"), "{t:?}");
    assert!(old.admits("https://a.example.com.evil.net").is_none());
}

#[test]
fn a_django_regex_for_any_domain_under_re_match_is_found() {
    // `re.match` reads only the start: `https://` admits every https site.
    let old = Legacy::from_python(r#"CORS_ALLOWED_ORIGIN_REGEXES = [r"https://"]"#).unwrap();
    let report = lint_legacy(&old).unwrap();
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.trick == Trick::AnyWebsite && f.admitted == "https://evil.com"),
        "{report}"
    );
}

#[test]
fn each_entry_of_paths_is_linted_and_named() {
    let config = CorsConfig::new()
        .path(
            "/api/account/.*",
            CorsConfig::new()
                .allowed_origin_regexes([r"https://app\.example\.org.*"])
                .allow_credentials(true),
        )
        .path(
            "/api/.*",
            CorsConfig::new().allowed_origins(["https://app.example.org"]),
        );
    let report = lint(&config).unwrap();
    let found: Vec<(&str, &str)> = report
        .findings
        .iter()
        .filter(|f| f.trick == Trick::AnyWebsite)
        .map(|f| (f.field.as_str(), f.admitted.as_str()))
        .collect();
    assert_eq!(
        found,
        [(
            "paths[0].allowed_origin_regexes",
            "https://app.example.org.evil.com"
        )]
    );
    assert!(
        report.notes.iter().any(|n| n
            .starts_with("paths[0]: the policy does not build as it is: allowed_origin_regexes:")),
        "{:?}",
        report.notes
    );
    // the set's own mistakes stay errors
    let shadowed = CorsConfig::new()
        .path(
            "/.*",
            CorsConfig::new().allowed_origins(["https://a.example.org"]),
        )
        .path(
            "/api/.*",
            CorsConfig::new().allowed_origins(["https://b.example.org"]),
        );
    assert_eq!(
        lint(&shadowed).unwrap_err().first().field(),
        "paths[1].path"
    );
    // an entry's own mistakes are named by the entry
    let unbalanced = CorsConfig::new().path("/.*", CorsConfig::new().allowed_origin_regexes(["("]));
    assert_eq!(
        lint(&unbalanced).unwrap_err().first().field(),
        "paths[0].allowed_origin_regexes"
    );
}
