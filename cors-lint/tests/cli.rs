//! The `cors-lint` binary on the example files: exit status, report and `--json`.
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cors-lint"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

#[test]
fn a_sloppy_policy_has_findings_with_fixes() {
    let out = run(&["examples/sloppy.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    for line in [
        r"allowed_origin_regexes: `https://.*example\.com`",
        "  admits https://evilexample.com: a prefix glued to your host (https://example.com)",
        "  admits https://appxexample.com: a lookalike where a `.` is another character (https://app.example.com)",
        r"  fix: `https://([a-z0-9-]+\.)*example\.com`",
        "allowed_origin_regexes: `https://admin.example.net`",
        r"  fix: `https://admin\.example\.net`",
        "  admits https://adminaexample.net: a website on a domain anyone can register",
        r"note: the policy does not build as it is: allowed_origin_regexes: `https://.*example\.com` admits websites on domains anyone can register (it matches `https://evilexample.com`), so with allow_credentials any of them could read your users' data with their cookies: tie it to your domain, such as `https://([a-z0-9-]+\.)*example\.com`; if you really accept any website, also set allow_credentials_with_any_origin = true",
        r"note: allowed_origin_regexes: `(?:https?:\/\/)127.0.0.1:*` has an unescaped `.` between domain labels; it matches any character, so another registrable domain can match: write `\.`",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in:\n{text}"
        );
    }
    assert!(
        !text.contains("admits https://evilapp.example.com"),
        "{text}"
    );
    // `http://127x0.0.1` matches the sloppy regex, but no browser sends it: a host ending
    // in a number must be an IPv4 address. Only the configuration note remains.
    assert!(!text.contains("127x0"), "{text}");
    assert!(
        text.starts_with("examples/sloppy.toml: 6 findings in 2 entries ("),
        "{text}"
    );
}

#[test]
fn a_clean_policy_has_none() {
    let out = run(&["examples/clean.toml"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.starts_with("examples/clean.toml: 0 findings in 0 entries ("),
        "{text}"
    );
}

#[test]
fn json_output() {
    let out = run(&["--json", "examples/sloppy.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = value["findings"].as_array().unwrap();
    let suffix = findings
        .iter()
        .find(|f| f["admitted"] == "https://adminxexample.net")
        .unwrap();
    assert_eq!(suffix["entry"], "https://admin.example.net");
    assert_eq!(suffix["trick"], "dot-lookalike");
    assert_eq!(suffix["fix"], r"https://admin\.example\.net");
    assert!(value["tried"].as_u64().unwrap() > 30);
}

#[test]
fn bad_input_exits_2() {
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .starts_with("usage: cors-lint FILE")
    );
    let out = run(&["no-such-file.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let dir = std::env::temp_dir().join(format!("cors-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let refused = dir.join("refused.toml");
    std::fs::write(&refused, "allowed_origins = ['https://a.com/']\n").unwrap();
    let out = run(&[refused.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("allowed_origins: `https://a.com/` has a trailing slash"),
        "{err}"
    );
    // A policy refused for admitting any website with credentials is linted all the same:
    // the report shows the origins it would let in, and says it does not build.
    let any = dir.join("any.toml");
    std::fs::write(
        &any,
        "allowed_origin_regexes = ['.*']\nallow_credentials = true\n",
    )
    .unwrap();
    let out = run(&[any.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("note: the policy does not build as it is: allowed_origin_regexes: `.*` admits websites on domains anyone can register"),
        "{text}"
    );
    assert!(text.contains("  admits https://evil.com: "), "{text}");
}

#[test]
fn every_mistake_of_a_policy_is_a_line_of_its_own() {
    let dir = std::env::temp_dir().join(format!("cors-lint-all-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("three.toml");
    std::fs::write(
        &policy,
        "allowed_origins = ['https://a.com/', 'example.com']\nallowed_methods = ['GET POST']\n",
    )
    .unwrap();
    let out = run(&[policy.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    let prefix = format!("cors-lint: {}: ", policy.display());
    let lines: Vec<&str> = err
        .lines()
        .map(|l| l.strip_prefix(&prefix).unwrap_or(l))
        .collect();
    assert_eq!(
        lines,
        [
            "allowed_origins: `https://a.com/` has a trailing slash; origins have no path: did you mean `https://a.com`?",
            "allowed_origins: `example.com` has no scheme: did you mean `https://example.com`?",
            "allowed_methods: `GET POST` is not a valid method (an HTTP token: no spaces, commas or quotes): list each name as its own element",
        ]
    );
}
