//! Django and FastAPI settings from real projects: the lint under the old middleware's
//! matching, and the import's configuration and security diff.
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use std::process::{Command, Output};

use cors_core::CorsConfig;
use cors_lint::{Legacy, Trick, import, lint_legacy};

fn run(bin: &str, args: &[&str]) -> Output {
    let exe = match bin {
        "cors-lint" => env!("CARGO_BIN_EXE_cors-lint"),
        _ => env!("CARGO_BIN_EXE_cors-import"),
    };
    Command::new(exe)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn has_line(text: &str, line: &str) {
    assert!(
        text.lines().any(|l| l == line),
        "missing {line:?} in:\n{text}"
    );
}

/// The configuration cors-import wrote: it must read and build.
fn imported(file: &str) -> (String, CorsConfig, Output) {
    let out = run("cors-import", &[file]);
    let toml = stdout(&out);
    let config = CorsConfig::from_toml_str(&toml).unwrap_or_else(|e| panic!("{e}\n{toml}"));
    config.build().unwrap();
    (toml, config, out)
}

#[test]
fn local_regexes_admit_suffixes_under_re_match() {
    let out = run("cors-lint", &["examples/legacy/django_local_regexes.py"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    for line in [
        r"CORS_ALLOWED_ORIGIN_REGEXES: `(?:https?:\/\/)127.0.0.1:*`",
        "  admits http://127.0.0.1.evil.net: a suffix: the attacker's domain after yours (http://127.0.0.1)",
        "  admits http://127.0.0.1evil.net: a suffix: the attacker's domain after yours (http://127.0.0.1)",
        r#"  fix: r"^(?:https?:\/\/)127\.0\.0\.1(:[0-9]+)?$""#,
        r"CORS_ALLOWED_ORIGIN_REGEXES: `(?:https?:\/\/)localhost:*`",
        "  admits http://localhost.evil.net: a suffix: the attacker's domain after yours (http://localhost)",
        "  admits http://localhost-evil.net: a suffix: the attacker's domain after yours (http://localhost)",
        r#"  fix: r"^(?:https?:\/\/)localhost(:[0-9]+)?$""#,
    ] {
        has_line(&text, line);
    }
    // Every finding is a suffix, or a site on a domain anyone can register read from the
    // regex itself: ports, the other scheme and the regex's own matches are what it means.
    let old = Legacy::from_python(
        &std::fs::read_to_string("examples/legacy/django_local_regexes.py").unwrap(),
    )
    .unwrap();
    let report = lint_legacy(&old).unwrap();
    assert!(!report.findings.is_empty());
    assert!(
        report
            .findings
            .iter()
            .all(|f| matches!(f.trick, Trick::Suffix | Trick::AnyWebsite)),
        "{report}"
    );
    for meant in [
        "http://127.0.0.1:8000",
        "https://localhost:3000",
        "http://localhost",
    ] {
        assert!(old.admits(meant).is_some());
        assert!(!report.findings.iter().any(|f| f.admitted == meant));
    }

    let (toml, config, out) = imported("examples/legacy/django_local_regexes.py");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        config.allowed_origin_regexes,
        [
            r"(?:https?:\/\/)127\.0\.0\.1(:[0-9]+)?",
            r"(?:https?:\/\/)localhost(:[0-9]+)?"
        ]
    );
    assert!(config.allow_credentials);
    let cors = config.build().unwrap();
    assert!(cors.is_origin_allowed(b"http://127.0.0.1:8000"));
    assert!(cors.is_origin_allowed(b"http://localhost:3000"));
    assert!(!cors.is_origin_allowed(b"http://127.0.0.1.evil.net"));
    has_line(&toml, "# Allowed before, refused now: 16");
    // One block per cause: the origins each regex let in by its start alone.
    has_line(
        &toml,
        "#   8 origins: a suffix: the attacker's domain after yours; a website on a domain anyone",
    );
    has_line(&toml, "#     can register");
    has_line(
        &toml,
        r"#     old: `(?:https?:\/\/)127.0.0.1:*` in CORS_ALLOWED_ORIGIN_REGEXES matched only",
    );
    has_line(
        &toml,
        "#       their start; re.match never looked at the rest",
    );
    has_line(
        &toml,
        "#     http://127.0.0.1-evil.net, http://127.0.0.1.evil.net, http://127.0.0.1evil.net,",
    );
    has_line(&toml, "#       https://127.0.0.1-evil.net:8888 and 4 more");
    has_line(&toml, "# Refused before, allowed now: none.");
}

#[test]
fn allow_all_with_credentials_is_not_carried_over() {
    let out = run("cors-lint", &["examples/legacy/django_allow_all.py"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    has_line(&text, "CORS_ORIGIN_ALLOW_ALL: `True`");
    has_line(&text, "  admits https://evil.net: an unrelated website");
    has_line(&text, "  admits null: the `null` origin");

    let (toml, config, _) = imported("examples/legacy/django_allow_all.py");
    assert!(!config.allow_all_origins);
    assert!(config.allowed_origins.is_empty());
    assert!(config.allow_credentials);
    has_line(&toml, "allow_all_origins = false");
    has_line(
        &toml,
        "# CORS_ORIGIN_ALLOW_ALL = True: left out: with CORS_ALLOW_CREDENTIALS it reflected every",
    );
    has_line(
        &toml,
        "#   2 origins: an unrelated website; the `null` origin",
    );
    has_line(&toml, "#     https://evil.net, null");
    has_line(
        &toml,
        "#     old: CORS_ORIGIN_ALLOW_ALL with CORS_ALLOW_CREDENTIALS reflected it, cookies",
    );
    has_line(
        &toml,
        "    # 'https://app.example.com',  # your front ends, one per line",
    );
    // Allow-all without credentials is safe, and carried over as it was.
    let old = Legacy::from_python("CORS_ALLOW_ALL_ORIGINS = True\n").unwrap();
    let import = import(&old).unwrap();
    assert!(import.config.allow_all_origins);
    assert!(import.changes.is_empty());
    assert!(lint_legacy(&old).unwrap().findings.is_empty());
}

#[test]
fn whitelist_tuple_and_default_headers() {
    let out = run("cors-lint", &["examples/legacy/django_whitelist.py"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let (toml, config, out) = imported("examples/legacy/django_whitelist.py");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        config.allowed_origins,
        ["https://example.com", "http://localhost:8080"]
    );
    assert_eq!(
        config.allowed_headers,
        [
            "accept",
            "authorization",
            "content-type",
            "user-agent",
            "x-csrftoken",
            "x-requested-with",
            "my-custom-header"
        ]
    );
    assert_eq!(config.expose_headers, ["X-Request-Id"]);
    assert_eq!(config.max_age, Some(3600));
    assert_eq!(config.urls_regex, "(?:^/api/).*");
    let cors = config.build().unwrap();
    assert!(cors.is_origin_allowed(b"http://localhost:8080"));
    has_line(&toml, "# Allowed before, refused now: none.");
    has_line(&toml, "# Refused before, allowed now: none.");
}

#[test]
fn fastapi_star_with_credentials() {
    let out = run("cors-lint", &["examples/legacy/fastapi_star.py"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    has_line(&text, r#"allow_origins: `"*"`"#);
    has_line(&text, "  admits https://evil.net: an unrelated website");
    has_line(
        &text,
        "  fix: list your front ends' origins in allow_origins instead of allowing all",
    );
    let (toml, config, _) = imported("examples/legacy/fastapi_star.py");
    assert!(!config.allow_all_origins);
    assert!(config.allow_credentials);
    assert_eq!(config.allowed_methods, ["*"]);
    assert_eq!(config.allowed_headers, ["*"]);
    assert_eq!(config.max_age, Some(600));
    has_line(
        &toml,
        "#     old: allow_origins with allow_credentials reflected it, cookies included",
    );
}

#[test]
fn a_clean_policy_has_no_findings() {
    let out = run("cors-lint", &["examples/legacy/django_clean.py"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).starts_with("examples/legacy/django_clean.py: 0 findings in 0 entries ("));
    let (toml, _, _) = imported("examples/legacy/django_clean.py");
    has_line(&toml, "# Allowed before, refused now: none.");
    has_line(&toml, "# Refused before, allowed now: none.");
}

#[test]
fn a_scheme_less_origin_lets_in_null() {
    let old =
        Legacy::from_python(r#"CORS_ALLOWED_ORIGINS = ["example.com", "https://example.org"]"#)
            .unwrap();
    let report = lint_legacy(&old).unwrap();
    assert_eq!(report.findings.len(), 1, "{report}");
    let finding = &report.findings[0];
    assert_eq!(
        (finding.admitted.as_str(), finding.trick),
        ("null", Trick::Null)
    );
    assert_eq!(finding.entry, "example.com");
    assert_eq!(
        finding.fix,
        "write the scheme: did you mean `https://example.com`?"
    );
    let import = import(&old).unwrap();
    assert_eq!(import.config.allowed_origins, ["https://example.org"]);
    assert!(
        import
            .toml
            .contains("the same as `null`'s: it let in `null`, never the site")
    );
}

#[test]
fn starlette_compared_strings_as_written() {
    let old = Legacy::from_python(
        r#"app.add_middleware(CORSMiddleware, allow_origins=["https://example.com/"], allow_origin_regex=r"https://.*\.example\.org")"#,
    )
    .unwrap();
    let import = import(&old).unwrap();
    let change = import.changes.iter().find(|c| c.new_allowed).unwrap();
    assert_eq!(change.origin, "https://example.com");
    assert!(!change.old_allowed);
    assert_eq!(
        change.old_why,
        "refused: `https://example.com/` in allow_origins was compared as written, and browsers send `https://example.com`"
    );
    // fullmatch: no suffix gets in, so the lint is clean.
    assert!(lint_legacy(&old).unwrap().findings.is_empty());
}

#[test]
fn what_cannot_be_read_is_listed_not_guessed() {
    let dir = std::env::temp_dir().join(format!("cors-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("settings.py");
    std::fs::write(
        &file,
        "CORS_ALLOWED_ORIGINS = env.list('ORIGINS')\nCORS_ALLOW_CREDENTIALS = True\n\
         CORS_ALLOWED_ORIGIN_REGEXES = [r'^https://(?!evil)\\w+\\.example\\.com$']\n",
    )
    .unwrap();
    let out = run("cors-import", &[file.to_str().unwrap()]);
    let empty = dir.join("empty.py");
    std::fs::write(&empty, "DEBUG = True\n").unwrap();
    let none = run("cors-import", &[empty.to_str().unwrap()]);
    let json = run("cors-import", &["--json", file.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();

    assert_eq!(out.status.code(), Some(1));
    let toml = stdout(&out);
    has_line(&toml, "# Not read; set these by hand:");
    has_line(
        &toml,
        "# line 1: CORS_ALLOWED_ORIGINS: `env.list('ORIGINS')` is not a literal this tool reads",
    );
    assert!(
        toml.contains("left out: is Python regex syntax this tool"),
        "{toml}"
    );
    CorsConfig::from_toml_str(&toml).unwrap().build().unwrap();

    assert_eq!(none.status.code(), Some(2));
    assert!(
        String::from_utf8(none.stderr)
            .unwrap()
            .contains("no CORS settings found")
    );

    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["unread"][0]["name"], "CORS_ALLOWED_ORIGINS");
    assert_eq!(value["unread"][0]["line"], 1);
    assert!(
        value["config"]
            .as_str()
            .unwrap()
            .contains("allow_credentials = true")
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = run("cors-import", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .starts_with("usage: cors-import FILE")
    );
    assert_eq!(run("cors-import", &["missing.py"]).status.code(), Some(2));
    assert_eq!(run("cors-lint", &["missing.py"]).status.code(), Some(2));
    // Not UTF-8, and a string that never ends: a defined error, no panic.
    let dir = std::env::temp_dir().join(format!("cors-import-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let binary = dir.join("binary.py");
    std::fs::write(&binary, b"CORS_ALLOWED_ORIGINS = ['\xff\xfe']\n\xff").unwrap();
    let open = dir.join("open.py");
    std::fs::write(&open, "CORS_ALLOWED_ORIGINS = ['https://a.com\n").unwrap();
    let outs = [
        run("cors-import", &[binary.to_str().unwrap()]),
        run("cors-lint", &[binary.to_str().unwrap()]),
        run("cors-import", &[open.to_str().unwrap()]),
    ];
    std::fs::remove_dir_all(&dir).unwrap();
    for out in &outs {
        assert_eq!(out.status.code(), Some(2));
    }
    assert!(String::from_utf8_lossy(&outs[0].stderr).contains("valid UTF-8"));
    assert!(
        String::from_utf8_lossy(&outs[2].stderr).contains("line 1: a string that does not end")
    );
}

#[test]
fn the_diff_of_a_tutorials_settings_fits_a_screen_and_json_keeps_every_origin() {
    // A Django tutorial's settings block: four origins, allow-all, the two local-port
    // regexes, credentials. Listed origin by origin, its diff ran to 280 lines.
    let dir = std::env::temp_dir().join(format!("cors-lint-tutorial-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("settings.py");
    std::fs::write(
        &file,
        r#"CORS_ALLOWED_ORIGINS = [
    "https://example.com",
    "https://sub.example.com",
    "http://localhost:8080",
    "http://127.0.0.1:9000",
]
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOWED_ORIGIN_REGEXES = [
    r"(?:https?:\/\/)127.0.0.1:*",
    r"(?:https?:\/\/)localhost:*",
]
CORS_ALLOW_CREDENTIALS = True
"#,
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let (toml, _, _) = imported(file);
    let diff: Vec<&str> = toml.lines().take_while(|l| !l.is_empty()).collect();
    assert!(
        diff.len() <= 30,
        "{} lines:\n{}",
        diff.len(),
        diff.join("\n")
    );
    has_line(&toml, "# Allowed before, refused now: 54");
    assert!(toml.contains(" and 50 more"), "{toml}");

    let out = run("cors-import", &[file, "--json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["changes"].as_array().unwrap().len(), 54);
}
