//! Chromium driven through chromedriver with `fantoccini` (the W3C WebDriver protocol):
//! start a session, open a page, run a script, end the session. The harness is synchronous,
//! so the driver owns a current-thread tokio runtime and each command blocks on it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A chromedriver process on a free loopback port, killed when dropped.
#[derive(Debug)]
pub struct Driver {
    child: Child,
    url: String,
    chromium: PathBuf,
    runtime: tokio::runtime::Runtime,
}

impl Driver {
    /// Starts `chromedriver` and waits until it accepts connections.
    pub fn start(chromedriver: &Path, chromium: &Path) -> Result<Driver, String> {
        let port = crate::demo::free_port().map_err(|e| e.to_string())?;
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", chromedriver.display()))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            chromium: chromium.to_owned(),
            runtime,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("chromedriver did not listen within 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(driver)
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
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": self.chromium, "args": args },
        });
        let Value::Object(caps) = caps else {
            unreachable!("a JSON object literal")
        };
        let client = self
            .runtime
            .block_on(
                fantoccini::ClientBuilder::new(
                    hyper_util::client::legacy::connect::HttpConnector::new(),
                )
                .capabilities(caps)
                .connect(&self.url),
            )
            .map_err(|e| format!("chromedriver: no session: {e}"))?;
        Ok(Session {
            driver: self,
            client,
            profile,
        })
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
    client: fantoccini::Client,
    profile: PathBuf,
}

impl Session<'_> {
    /// Opens `url` in the session's window.
    pub fn goto(&self, url: &str) -> Result<(), String> {
        self.driver
            .runtime
            .block_on(self.client.goto(url))
            .map_err(|e| format!("chromedriver: open {url}: {e}"))
    }

    /// Runs `script` as an async function body in the page; it finishes by calling the
    /// callback passed as its last argument (`arguments[arguments.length - 1]`).
    pub fn execute_async(&self, script: &str, args: &[Value]) -> Result<Value, String> {
        self.driver
            .runtime
            .block_on(self.client.execute_async(script, args.to_vec()))
            .map_err(|e| format!("chromedriver: run a script: {e}"))
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = self.driver.runtime.block_on(self.client.clone().close());
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
