//! The request matrix as data: files under `conformance/cases/`, one group each, with a
//! fixture policy and the cases run against it.
//!
//! ```toml
//! group = "exact origins"
//!
//! [policy]                      # a cors-core configuration, as in a config file
//! allowed_origins = ["https://app.example.com"]
//!
//! [[case]]
//! name = "allowed GET gets its origin back"
//! method = "GET"
//! path = "/api/items"
//! headers = [["origin", "https://app.example.com"]]
//! status = 200                   # optional
//! present = { access-control-allow-origin = "https://app.example.com", vary = "Origin" }
//! absent = ["access-control-allow-credentials"]
//! browser = "allowed"            # what a browser concludes: allowed | blocked
//! ```
//!
//! Header values may hold `\xNN` escapes for arbitrary bytes and `{text*N}` for `text`
//! repeated N times (a 64 KB origin, a list of 10,000 headers).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

/// One file: a group of cases sharing a fixture policy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// The group's name, as it appears in the table.
    pub group: String,
    /// What the group covers.
    #[serde(default)]
    pub description: String,
    /// The fixture policy, in the configuration format of cors-core.
    pub policy: toml::Table,
    /// The tenant store the policy's asynchronous origin check asks, when it has one
    /// (`allow_origin_async` is set in code only, so the group describes what it answers).
    #[serde(default)]
    pub origin_check: Option<OriginCheck>,
    /// The cases.
    #[serde(rename = "case")]
    pub cases: Vec<Case>,
}

/// What a group's asynchronous origin check answers: allowed, not allowed (any other
/// origin), an error, or nothing before the time-out.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OriginCheck {
    /// Origins the check allows.
    #[serde(default)]
    pub allow: Vec<String>,
    /// Origins for which the check fails (the tenant store is down).
    #[serde(default)]
    pub fail: Vec<String>,
    /// Origins for which the check answers only after 10 s.
    #[serde(default)]
    pub slow: Vec<String>,
    /// The check's time-out, in milliseconds.
    pub timeout_ms: u64,
}

impl OriginCheck {
    /// The check as a policy takes it.
    pub fn predicate(&self) -> cors_core::AsyncOriginPredicate {
        let spec = std::sync::Arc::new(self.clone());
        cors_core::AsyncOriginPredicate::new(move |origin: String| {
            let spec = std::sync::Arc::clone(&spec);
            async move {
                if spec.fail.contains(&origin) {
                    return Err(std::io::Error::other("the tenant store is down"));
                }
                if spec.slow.contains(&origin) {
                    tokio::time::sleep(std::time::Duration::from_secs(10)).await;
                }
                Ok(spec.allow.contains(&origin))
            }
        })
        .timeout(std::time::Duration::from_millis(self.timeout_ms))
    }
}

/// What a browser concludes from the response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Browser {
    /// The page may read the response (or, for a preflight, send the actual request).
    Allowed,
    /// The browser blocks it.
    Blocked,
}

/// One request and what its response must and must not contain.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// What the case checks, in words.
    pub name: String,
    /// Request method.
    pub method: String,
    /// Request path.
    pub path: String,
    /// Request headers in order; a name may repeat.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// The page uses `credentials: 'include'` (for the browser verdict).
    #[serde(default)]
    pub credentials: bool,
    /// The exact status, when it matters.
    pub status: Option<u16>,
    /// Headers that must be present, each exactly once with exactly this value (`vary`:
    /// all lines joined with `, `).
    #[serde(default)]
    pub present: BTreeMap<String, String>,
    /// Headers that must be absent.
    #[serde(default)]
    pub absent: Vec<String>,
    /// What a browser concludes; omitted for requests without `Origin`.
    pub browser: Option<Browser>,
    /// Where one framework cannot give the common answer, what it gives instead and why,
    /// keyed by target name (`[case.on.rocket]`).
    #[serde(default)]
    pub on: BTreeMap<String, Difference>,
}

/// A target's documented departure from a case's expectations: the fields it sets replace
/// the case's.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Difference {
    /// Why this target answers differently (shown in the report).
    pub because: String,
    /// The status instead.
    pub status: Option<u16>,
    /// The present headers instead.
    pub present: Option<BTreeMap<String, String>>,
    /// The absent headers instead.
    pub absent: Option<Vec<String>>,
    /// The browser verdict instead.
    pub browser: Option<Browser>,
}

impl Case {
    /// The case as `target` must pass it: with its documented difference applied, if any.
    pub fn for_target(&self, target: &str) -> std::borrow::Cow<'_, Case> {
        let Some(d) = self.on.get(target) else {
            return std::borrow::Cow::Borrowed(self);
        };
        let mut case = self.clone();
        case.status = d.status.or(case.status);
        if let Some(present) = &d.present {
            case.present = present.clone();
        }
        if let Some(absent) = &d.absent {
            case.absent = absent.clone();
        }
        case.browser = d.browser.or(case.browser);
        std::borrow::Cow::Owned(case)
    }

    /// The request headers with escapes and repetitions expanded into bytes.
    pub fn header_bytes(&self) -> Vec<(String, Vec<u8>)> {
        self.headers
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), expand(v)))
            .collect()
    }
}

/// Expands `\xNN` escapes and `{text*N}` repetitions.
///
/// ```
/// assert_eq!(conformance::case::expand(r"a\xffb"), b"a\xffb");
/// assert_eq!(conformance::case::expand("x{ab*3}y"), b"xabababy");
/// ```
pub fn expand(value: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let escape = (bytes[i] == b'\\' && bytes.get(i + 1) == Some(&b'x'))
            .then(|| value.get(i + 2..i + 4))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        if let Some(b) = escape {
            out.push(b);
            i += 4;
            continue;
        }
        let repeat = (bytes[i] == b'{')
            .then(|| value[i..].find('}'))
            .flatten()
            .and_then(|end| {
                let (text, n) = value[i + 1..i + end].rsplit_once('*')?;
                Some((end, text, n.parse::<usize>().ok()?))
            });
        if let Some((end, text, n)) = repeat {
            let once = expand(text);
            for _ in 0..n {
                out.extend_from_slice(&once);
            }
            i += end + 1;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// Loads every `*.toml` group under `dir`, sorted by file name.
pub fn load_dir(dir: &Path) -> Result<Vec<Group>, String> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            toml::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))
        })
        .collect()
}

/// The cases shipped with this crate.
pub fn shipped() -> Result<Vec<Group>, String> {
    load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"))
}
