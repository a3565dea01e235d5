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
        &["--adapter", "axum", "--config", "x.toml"],
        &["--adapter", "axum", "--config", "x.toml", "--port", "http"],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8(out.stderr).unwrap().contains("usage:"));
    }
}

/// Starts the binary on a free port and waits for its first line.
fn start(adapter: &str, policy: &std::path::Path) -> (Child, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(BIN)
        .args(["--adapter", adapter, "--config"])
        .arg(policy)
        .args(["--port", &port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(
        line.trim(),
        format!("{adapter} demo server on http://127.0.0.1:{port}")
    );
    (child, port)
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
