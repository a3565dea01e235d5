//! Judging a response against a case.

use http::{HeaderMap, StatusCode};

use crate::case::{Browser, Case};
use cors_probe::fetch::{self, BrowserRequest};

/// A response as the matrix sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status.
    pub status: StatusCode,
    /// Every header line.
    pub headers: HeaderMap,
}

/// Checks a response against a case; the list of what is wrong (empty when it passes).
pub fn judge(case: &Case, response: &Response) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(status) = case.status
        && response.status.as_u16() != status
    {
        problems.push(format!(
            "status {} instead of {status}",
            response.status.as_u16()
        ));
    }
    for (name, expected) in &case.present {
        let lines: Vec<&[u8]> = response
            .headers
            .get_all(name.as_str())
            .iter()
            .map(|v| v.as_bytes())
            .collect();
        let got = lines.join(&b", "[..]);
        if lines.is_empty() {
            problems.push(format!("`{name}` missing (expected `{expected}`)"));
        } else if name != "vary" && lines.len() > 1 {
            problems.push(format!("`{name}` sent {} times", lines.len()));
        } else if got != expected.as_bytes() {
            problems.push(format!(
                "`{name}: {}` instead of `{expected}`",
                got.escape_ascii()
            ));
        }
    }
    for name in &case.absent {
        if let Some(v) = response.headers.get(name.as_str()) {
            problems.push(format!(
                "`{name}: {}` must be absent",
                v.as_bytes().escape_ascii()
            ));
        }
    }
    if let Some(expected) = case.browser {
        let got = match browser_verdict(case, response) {
            Ok(()) => Browser::Allowed,
            Err(_) => Browser::Blocked,
        };
        if got != expected {
            let why = browser_verdict(case, response).err().unwrap_or_default();
            problems.push(format!(
                "a browser would conclude {got:?}, expected {expected:?} {why}"
            ));
        }
    }
    problems
}

/// What a browser concludes from this response to this case's request.
pub fn browser_verdict(case: &Case, response: &Response) -> Result<(), String> {
    let headers = case.header_bytes();
    let first = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
    };
    let origin = first("origin").ok_or("the request has no Origin")?;
    match first("access-control-request-method") {
        Some(method) if case.method == "OPTIONS" => {
            let req = BrowserRequest {
                origin,
                method,
                // a list on several lines is one list
                headers: headers
                    .iter()
                    .filter(|(n, _)| n == "access-control-request-headers")
                    .flat_map(|(_, v)| {
                        String::from_utf8_lossy(v)
                            .split(',')
                            .map(|h| h.trim().to_ascii_lowercase())
                            .collect::<Vec<_>>()
                    })
                    .filter(|h| !h.is_empty())
                    .collect(),
                credentials: case.credentials,
                private_network: first("access-control-request-private-network").as_deref()
                    == Some("true"),
            };
            fetch::preflight_check(&req, response.status, &response.headers)
                .map_err(|r| r.to_string())
        }
        _ => fetch::cors_check(&origin, case.credentials, &response.headers)
            .map_err(|r| r.to_string()),
    }
}
