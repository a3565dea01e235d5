//! The `cors-demo-server` binary, as an outside checker starts it.
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

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

#[test]
fn each_adapter_serves_the_demo_app_from_a_json_policy() {
    let path = config(
        "policy.json",
        r#"{"allowed_origins": ["http://localhost:3000"], "allow_credentials": true}"#,
    );
    for adapter in ["axum", "actix", "rocket", "warp"] {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new(BIN)
            .args(["--adapter", adapter, "--config"])
            .arg(&path)
            .args(["--port", &port.to_string()])
            .stdout(Stdio::piped())
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
        let reply = http_target::exchange(
            ([127, 0, 0, 1], port).into(),
            b"GET /api/items HTTP/1.1\r\nhost: x\r\norigin: http://localhost:3000\r\nconnection: close\r\n\r\n",
        );
        child.kill().unwrap();
        child.wait().unwrap();
        let reply = reply.unwrap();
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
    }
}
