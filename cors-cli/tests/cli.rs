//! The `cors` binary as a user runs it: every subcommand's help, its exit statuses, and one
//! clear error for bad input.
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use std::path::PathBuf;
use std::process::{Command, Output};

/// Runs `cors` with `args` and no `CORS_*` variables in its environment.
fn cors(args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cors"));
    command.args(args);
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(|n| n.starts_with("CORS_")) {
            command.env_remove(name);
        }
    }
    command.env("NO_COLOR", "1");
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// A file of `tests/fixtures` (copies of `cors-lint`'s examples).
fn example(name: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures", name]
        .iter()
        .collect();
    path.to_str().unwrap().to_owned()
}

/// A policy file written for one test.
fn policy_file(test: &str, toml: &str) -> String {
    let dir = std::env::temp_dir().join(format!("cors-cli-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("cors.toml");
    std::fs::write(&file, toml).unwrap();
    file.to_str().unwrap().to_owned()
}

#[test]
fn help_lists_every_subcommand_and_each_has_its_own() {
    let out = cors(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    let subcommands: Vec<String> = <cors_cli::Cli as clap::CommandFactory>::command()
        .get_subcommands()
        .map(|sub| sub.get_name().to_owned())
        .collect();
    assert_eq!(
        subcommands,
        ["lint", "import", "probe", "explain", "completions"]
    );
    for sub in &subcommands {
        assert!(help.contains(&format!("\n  {sub} ")), "{sub} in:\n{help}");
        let out = cors(&[sub, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{sub} --help");
        assert!(
            text(&out.stdout).contains(&format!("Usage: cors {sub} ")),
            "{sub}"
        );
    }
    assert!(help.contains(
        "Exit status: 0 allowed or clean, 1 refused or findings, 2 usage error, bad input or no \
         answer."
    ));
}

#[test]
fn bad_arguments_are_one_clear_error_and_status_2() {
    for (args, says) in [
        (
            &["lint", "--nope", "x.toml"][..],
            "unexpected argument '--nope'",
        ),
        (&["explain", "--config", "x.toml"][..], "--origin <ORIGIN>"),
        (&["frobnicate"][..], "unrecognized subcommand 'frobnicate'"),
        (&["completions", "tcsh"][..], "invalid value 'tcsh'"),
    ] {
        let out = cors(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        let first = stderr.lines().next().unwrap();
        assert!(
            first.starts_with("error: ") && stderr.contains(says),
            "{args:?}: {stderr}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn lint_exits_1_on_findings_0_when_clean_2_on_bad_input() {
    let out = cors(&["lint", &example("sloppy.toml")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("sloppy.toml: "));

    let out = cors(&["lint", &example("clean.toml"), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\"findings\": []"));

    let out = cors(&["lint", "no/such/file.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("cors lint: no/such/file.toml: "),
        "{stderr}"
    );
}

#[test]
fn import_writes_the_configuration_with_its_diff() {
    let out = cors(&["import", &example("django_whitelist.py")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let toml = text(&out.stdout);
    assert!(toml.contains("allowed_origins = "), "{toml}");
    assert!(
        toml.starts_with('#'),
        "the diff comes first, as comments:\n{toml}"
    );

    let out = cors(&["import", &example("django_whitelist.py"), "--json"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("\"config\": "));

    let out = cors(&["import", "no/such/settings.py"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("cors import: no/such/settings.py: "));

    // The same settings linted under django-cors-headers' own matching.
    let out = cors(&["lint", &example("django_whitelist.py")]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("django_whitelist.py: "));
}

#[test]
fn explain_says_what_a_browser_gets_and_exits_by_it() {
    let file = policy_file(
        "explain",
        "allowed_origins = ['https://app.example.com']\nallowed_methods = ['GET', 'PUT']\nallowed_headers = ['content-type']\n",
    );
    let out = cors(&[
        "explain",
        "--config",
        &file,
        "--origin",
        "https://app.example.com",
        "-X",
        "PUT",
        "-H",
        "content-type",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.contains("preflight: OPTIONS / from https://app.example.com\n  answered by the middleware with 200 OK\n  access-control-allow-origin: https://app.example.com\n"), "{said}");
    assert!(
        said.contains("  access-control-allow-methods: GET, PUT\n"),
        "{said}"
    );
    assert!(said.contains("actual request: PUT / from https://app.example.com\n  passed to the app; its response gets:\n  access-control-allow-origin: https://app.example.com\n  vary: Origin\n"), "{said}");

    let out = cors(&[
        "explain",
        "--config",
        &file,
        "--origin",
        "https://evil.example",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("  no CORS headers: "));

    let out = cors(&["explain", "--origin", "https://app.example.com"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "cors explain: no policy: give --config FILE, or set the CORS_* environment variables\n"
    );

    let out = Command::new(env!("CARGO_BIN_EXE_cors"))
        .args(["explain", "--origin", "https://app.example.com"])
        .env("CORS_ALLOWED_ORIGINS", "https://app.example.com")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn explain_follows_the_browser_simple_requests_methods_and_urls_regex() {
    let file = policy_file(
        "browser",
        "allowed_origins = ['https://app.example.com']\nurls_regex = '/api/.*'\n",
    );
    let explain = |extra: &[&str]| {
        let mut args = vec![
            "explain",
            "--config",
            &file,
            "--origin",
            "https://app.example.com",
        ];
        args.extend_from_slice(extra);
        cors(&args)
    };
    // A simple GET goes without a preflight.
    let out = explain(&["--path", "/api/items"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains(
        "preflight: OPTIONS /api/items from https://app.example.com\n  none: a browser sends a simple request without one\n"
    ));
    // fetch upper-cases `put`; curl's `Name: value` counts by its name.
    let out = explain(&[
        "--path",
        "/api/items",
        "-X",
        "put",
        "-H",
        "Content-Type: application/json",
    ]);
    let said = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(said.contains("actual request: PUT /api/items"), "{said}");
    assert!(
        said.contains("  answered by the middleware with 200 OK\n"),
        "{said}"
    );
    // A path outside urls_regex gets no CORS headers: the browser refuses it.
    let out = explain(&["--path", "/elsewhere"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("not handled: the path does not match urls_regex"));
}

#[test]
fn explain_names_the_entry_of_paths_that_answers() {
    let file = policy_file(
        "paths",
        "[[paths]]\npath = '/api/account/.*'\nallowed_origins = ['https://app.example.com']\n\
         allow_credentials = true\n\n[[paths]]\npath = '/api/.*'\nallow_all_origins = true\n",
    );
    let explain = |origin: &str, path: &str| {
        cors(&[
            "explain", "--config", &file, "--origin", origin, "--path", path,
        ])
    };
    let out = explain("https://elsewhere.example", "/api/items");
    let said = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(
        said.contains("  answered by paths[1] (path `/api/.*`)\n"),
        "{said}"
    );
    assert!(
        said.contains("  access-control-allow-origin: *\n"),
        "{said}"
    );
    let out = explain("https://elsewhere.example", "/api/account/me");
    let said = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("  answered by paths[0] (path `/api/account/.*`)\n"),
        "{said}"
    );
    let out = explain("https://app.example.com", "/static/app.js");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("not handled: no entry of paths matches the path"));
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    use std::io::Read;
    use std::process::Stdio;
    let sloppy = example("sloppy.toml");
    for args in [&["completions", "bash"][..], &["lint", &sloppy][..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cors"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 8];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The pipe is closed here, with most of the output unread.
        let out = child.wait_with_output().unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(!text(&out.stderr).contains("panicked"), "{args:?}");
    }
}

#[test]
fn completions_are_generated_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = cors(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = text(&out.stdout);
        assert!(script.contains("explain"), "{shell}: {script}");
    }
}

#[test]
fn an_environment_that_is_not_utf8_is_read_without_a_panic() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let out = Command::new(env!("CARGO_BIN_EXE_cors"))
        .args(["explain", "--origin", "https://app.example.com"])
        .env_remove("CORS_ALLOWED_ORIGINS")
        .env("NOT_UTF8", OsStr::from_bytes(b"\xff\xfe"))
        .env(OsStr::from_bytes(b"NAME_\xff"), "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        "cors explain: no policy: give --config FILE, or set the CORS_* environment variables\n"
    );
}
