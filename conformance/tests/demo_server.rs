//! The `cors-demo-server` binary, as an outside checker starts it and a service manager
//! stops it.
#![cfg(unix)]
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use conformance::http_target;

const BIN: &str = env!("CARGO_BIN_EXE_cors-demo-server");

fn config(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cors-demo-server-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn an_invalid_policy_is_reported_and_nothing_is_served() {
    let path = config("bad.toml", "allowed_origins = [\"localhost:3000\"]\n");
    let out = Command::new(BIN)
        .args(["--adapter", "axum", "--config"])
        .arg(&path)
        .args(["--port", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(
            "allowed_origins: `localhost:3000` has no scheme: did you mean `http://localhost:3000`?"
        ),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [
        &["--adapter", "tide", "--config", "x.toml", "--port", "1"][..],
        &["--adapter", "axum", "--port", "1"],
        &["--adapter", "axum", "--config", "x.toml", "--port", "http"],
        &["--config", "x.toml", "--port", "1", "--nope"],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(stderr.contains("--help"), "{args:?}: {stderr}");
    }
}

/// Starts the binary on a free port and waits for its first line.
fn start(adapter: &str, policy: &std::path::Path) -> (Child, u16) {
    let port = conformance::demo::free_port().unwrap();
    let (child, line) = launch(
        adapter,
        policy,
        &["--port".as_ref(), port.to_string().as_ref()],
    );
    assert_eq!(
        line.trim(),
        format!("{adapter} demo server on http://127.0.0.1:{port}")
    );
    (child, port)
}

/// Starts the binary with `--adapter`, `--config` and `more`, and reads its first line.
fn launch(adapter: &str, policy: &std::path::Path, more: &[&std::ffi::OsStr]) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args(["--adapter", adapter, "--config"])
        .arg(policy)
        .args(more)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, line)
}

/// Sends SIGTERM, as `kill` and service managers do, and returns the process's standard
/// error. It must exit: no framework may keep the signal to itself.
fn stop(mut child: Child, adapter: &str) -> String {
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("{adapter}: still running 10 s after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    stderr
}

fn get(port: u16, origin: &str) -> http_target::Reply {
    let request = format!(
        "GET /api/items HTTP/1.1\r\nhost: x\r\norigin: {origin}\r\nconnection: close\r\n\r\n"
    );
    http_target::exchange(([127, 0, 0, 1], port).into(), request.as_bytes()).unwrap()
}

#[test]
fn each_adapter_serves_the_demo_app_from_a_json_policy_and_stops_on_sigterm() {
    let path = config(
        "policy.json",
        r#"{"allowed_origins": ["http://localhost:3000"], "allow_credentials": true}"#,
    );
    for adapter in ["axum", "actix", "rocket", "warp"] {
        let (child, port) = start(adapter, &path);
        let reply = get(port, "http://localhost:3000");
        let stderr = stop(child, adapter);
        assert_eq!(reply.response.status, 200, "{adapter}");
        assert_eq!(reply.body, b"[]", "{adapter}");
        assert_eq!(reply.response.headers["x-request-id"], "42", "{adapter}");
        assert_eq!(
            reply.response.headers["access-control-allow-origin"], "http://localhost:3000",
            "{adapter}"
        );
        assert_eq!(
            reply.response.headers["access-control-allow-credentials"], "true",
            "{adapter}"
        );
        assert_eq!(stderr, "", "{adapter}: nothing logged without debug");
    }
}

#[test]
fn in_debug_mode_each_adapter_logs_why_it_refused() {
    let path = config(
        "debug.toml",
        "allowed_origins = [\"http://localhost:3000\"]\ndebug = true\n",
    );
    for adapter in ["axum", "actix", "rocket", "warp"] {
        let (child, port) = start(adapter, &path);
        let reply = get(port, "http://localhost:5173");
        let stderr = stop(child, adapter);
        assert_eq!(
            reply.response.headers["x-cors-rejected"],
            "the origin is not allowed by allowed_origins, allowed_origin_regexes or the origin predicate",
            "{adapter}"
        );
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(
            lines[0],
            "cors-demo-server: warning: debug: `true` tells any caller why its request was rejected; turn it off in production"
        );
        assert_eq!(lines.len(), 2, "{adapter}: {stderr}");
        // warp's adapter reads the path only for a policy with `urls_regex`.
        let path = if adapter == "warp" {
            "(not read)"
        } else {
            "/api/items"
        };
        assert!(
            lines[1].ends_with(&format!(
                " DEBUG cors: CORS request rejected: the origin is not allowed by allowed_origins, \
                 allowed_origin_regexes or the origin predicate method=GET path={path} \
                 origin=http://localhost:5173 preflight=false"
            )),
            "{adapter}: {stderr}"
        );
    }
}

/// `--tls FILE`: HTTPS with a certificate made at start, its authority written to FILE, and
/// a client that trusts FILE gets the demo app's answers (HTTP/2 on axum, HTTP/1.1 on the
/// others). A client that does not trust it gets no answer at all.
#[test]
fn with_tls_each_adapter_serves_https_and_writes_its_certificate_authority() {
    let policy = config(
        "tls.toml",
        "allowed_origins = [\"http://localhost:3000\"]\n",
    );
    for adapter in ["axum", "actix", "rocket", "warp"] {
        let ca_file = policy.with_file_name(format!("ca-{adapter}.pem"));
        let (child, line) = launch(
            adapter,
            &policy,
            &[
                "--port".as_ref(),
                "0".as_ref(),
                "--tls".as_ref(),
                ca_file.as_ref(),
            ],
        );
        let url = line
            .split_whitespace()
            .find(|word| word.starts_with("https://localhost:"))
            .unwrap_or_else(|| panic!("{adapter}: {line}"))
            .to_owned();
        assert!(
            line.trim()
                .ends_with(&format!("(certificate authority in {})", ca_file.display())),
            "{line}"
        );
        let probe = cors_probe::Probe {
            url: format!("{url}/api/items"),
            origin: "http://localhost:3000".into(),
            method: "GET".into(),
            headers: vec![],
            credentials: false,
        };
        let trust = cors_probe::Trust::default()
            .with_pem(std::fs::read(&ca_file).unwrap())
            .unwrap();
        let outcome = probe
            .run_with(&cors_probe::Client::new(&trust).unwrap())
            .unwrap();
        let answer = outcome.actual.unwrap();
        assert_eq!(answer.status, 200, "{adapter}");
        let version = if adapter == "axum" {
            http::Version::HTTP_2
        } else {
            http::Version::HTTP_11
        };
        assert_eq!(answer.version, version, "{adapter}");
        assert_eq!(
            answer.headers["access-control-allow-origin"],
            "http://localhost:3000"
        );
        assert!(outcome.blocked.is_none(), "{adapter}");
        assert!(
            matches!(probe.run(), Err(cors_probe::Error::Certificate(_))),
            "{adapter}: the Mozilla roots alone do not trust it"
        );
        stop(child, adapter);
    }
}
