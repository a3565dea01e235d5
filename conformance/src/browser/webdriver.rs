//! Just enough of the W3C WebDriver protocol to drive Chromium through chromedriver: start
//! a session, open a page, run a script, end the session. Four commands over loopback HTTP
//! with the matrix's own client; a WebDriver crate would bring a TLS stack and an async
//! runtime's worth of compile time for them.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::http_target;

/// A chromedriver process on a free loopback port, killed when dropped.
#[derive(Debug)]
pub struct Driver {
    child: Child,
    addr: SocketAddr,
    chromium: PathBuf,
}

impl Driver {
    /// Starts `chromedriver` and waits until it is ready.
    pub fn start(chromedriver: &Path, chromium: &Path) -> Result<Driver, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", chromedriver.display()))?;
        let driver = Driver {
            child,
            addr: ([127, 0, 0, 1], port).into(),
            chromium: chromium.to_owned(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(status) = driver.command("GET", "/status", None)
                && status["ready"] == Value::Bool(true)
            {
                return Ok(driver);
            }
            if Instant::now() > deadline {
                return Err("chromedriver did not become ready within 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Starts a headless Chromium with a fresh profile, `resolve` mapping host names to
    /// 127.0.0.1 (`--host-resolver-rules`).
    pub fn session(&self, resolve: &[&str]) -> Result<Session<'_>, String> {
        let profile = std::env::temp_dir().join(format!(
            "cors-conformance-chromium-{}-{}",
            std::process::id(),
            PROFILES.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let rules: Vec<String> = resolve
            .iter()
            .map(|h| format!("MAP {h} 127.0.0.1"))
            .collect();
        let args = vec![
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            format!("--user-data-dir={}", profile.display()),
            format!("--host-resolver-rules={}", rules.join(", ")),
        ];
        let caps = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": { "binary": self.chromium, "args": args },
            }}
        });
        let value = self.command("POST", "/session", Some(&caps))?;
        let id = value["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no session id in {value}"))?
            .to_owned();
        Ok(Session {
            driver: self,
            id,
            profile,
        })
    }

    fn command(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let body = body.map(Value::to_string).unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        let reply = http_target::exchange(self.addr, request.as_bytes())?;
        let value: Value = serde_json::from_slice(&reply.body)
            .map_err(|e| format!("chromedriver {method} {path}: {e}"))?;
        let value = value.get("value").cloned().unwrap_or(Value::Null);
        if reply.response.status.is_success() {
            Ok(value)
        } else {
            Err(format!("chromedriver {method} {path}: {value}"))
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

static PROFILES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// One browser with a fresh profile (no cookies, no preflight cache); closed when dropped.
#[derive(Debug)]
pub struct Session<'d> {
    driver: &'d Driver,
    id: String,
    profile: PathBuf,
}

impl Session<'_> {
    /// Opens `url` in the session's window.
    pub fn goto(&self, url: &str) -> Result<(), String> {
        self.driver
            .command(
                "POST",
                &format!("/session/{}/url", self.id),
                Some(&json!({ "url": url })),
            )
            .map(|_| ())
    }

    /// Runs `script` as an async function body in the page; it finishes by calling the
    /// callback passed as its last argument (`arguments[arguments.length - 1]`).
    pub fn execute_async(&self, script: &str, args: &[Value]) -> Result<Value, String> {
        self.driver.command(
            "POST",
            &format!("/session/{}/execute/async", self.id),
            Some(&json!({ "script": script, "args": args })),
        )
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = self
            .driver
            .command("DELETE", &format!("/session/{}", self.id), None);
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
