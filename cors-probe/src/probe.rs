//! The probe: what a browser sends for one `fetch()`, sent to a real server, and what the
//! browser concludes from the answers.

use http::Method;
use reqwest::Url;

use crate::client::{Client, Trust};
use crate::error::Error;
use crate::exchange::Exchange;
use crate::fetch::{BrowserRequest, Refusal, cors_check, preflight_check, unsafe_request_headers};
use crate::fix::fix;
use crate::network::local_network_note;

/// What to ask: the request a page would make.
///
/// ```
/// use cors_probe::Probe;
///
/// // fetch(url, {method: 'PUT', credentials: 'include'}) from a page on localhost:3000
/// let probe = Probe {
///     url: "http://127.0.0.1:8000/api/items/1".into(),
///     origin: "http://localhost:3000".into(),
///     method: "put".into(),
///     headers: vec![],
///     credentials: true,
/// };
/// assert_eq!(probe.normalised_method(), "PUT");
/// assert!(probe.needs_preflight());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// `http://host[:port]/path?query`.
    pub url: String,
    /// The page's origin: `http://localhost:3000`.
    pub origin: String,
    /// The method, as `fetch()` is given it.
    pub method: String,
    /// Request headers as `fetch()` is given them: name and value.
    pub headers: Vec<(String, String)>,
    /// `credentials: 'include'`.
    pub credentials: bool,
}

/// Where the browser stops, and why.
///
/// ```no_run
/// # let probe = cors_probe::Probe { url: "https://api.example.com/".into(), origin: "http://localhost:3000".into(), method: "GET".into(), headers: vec![], credentials: false };
/// if let Some(blocked) = probe.run()?.blocked {
///     println!("blocked by the {}: {}\nfix: {}", blocked.stage, blocked.reason, blocked.fix);
/// }
/// # Ok::<(), cors_probe::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    /// `preflight` or `response`.
    pub stage: &'static str,
    /// The failed check, in the Fetch standard's terms.
    pub reason: String,
    /// When the server refused the preflight outright (no CORS headers at all), what
    /// narrower preflights found at fault: the origin, the method or one header.
    pub cause: Option<String>,
    /// Why the server refused, in its own words, when it says so (see
    /// [`Exchange::server_reason`]).
    pub server_reason: Option<String>,
    /// What to change on the server.
    pub fix: String,
}

/// What the probe saw and concluded: see [`Probe::run`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The preflight, when a browser sends one.
    pub preflight: Option<Exchange>,
    /// The request itself; `None` when the preflight failed (browsers stop there).
    pub actual: Option<Exchange>,
    /// `None`: a browser lets the page read the response.
    pub blocked: Option<Blocked>,
    /// What else decides what a browser does, beyond the CORS headers: a redirect, Chrome's
    /// Local Network Access permission.
    pub notes: Vec<String>,
}

impl Probe {
    /// The method as a browser sends it: `delete`, `get`, `head`, `options`, `post` and
    /// `put` are upper-cased (Fetch's "normalize a method"), others are kept.
    pub fn normalised_method(&self) -> String {
        cors_core::normalise_method(&self.method).to_owned()
    }

    /// The headers the preflight must ask about: the non-CORS-safelisted ones, lower
    /// case, sorted, without duplicates (as browsers list them).
    ///
    /// ```
    /// use cors_probe::Probe;
    ///
    /// let probe = Probe {
    ///     url: "http://127.0.0.1:8000/api".into(),
    ///     origin: "http://localhost:3000".into(),
    ///     method: "GET".into(),
    ///     headers: vec![
    ///         ("Content-Type".into(), "application/json".into()),
    ///         ("Accept".into(), "*/*".into()),
    ///         ("Authorization".into(), "Bearer x".into()),
    ///     ],
    ///     credentials: false,
    /// };
    /// assert_eq!(probe.unsafe_headers(), ["authorization", "content-type"]);
    /// assert!(probe.needs_preflight());
    /// ```
    pub fn unsafe_headers(&self) -> Vec<String> {
        unsafe_request_headers(self.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())))
    }

    /// Whether a browser sends a preflight first.
    ///
    /// ```
    /// use cors_probe::Probe;
    ///
    /// let mut probe = Probe {
    ///     url: "http://127.0.0.1:8000/".into(),
    ///     origin: "http://localhost:3000".into(),
    ///     method: "POST".into(),
    ///     headers: vec![("Content-Type".into(), "text/plain".into())],
    ///     credentials: false,
    /// };
    /// assert!(!probe.needs_preflight()); // a "simple" request
    /// probe.headers[0].1 = "application/json".into();
    /// assert!(probe.needs_preflight());
    /// ```
    pub fn needs_preflight(&self) -> bool {
        !matches!(self.normalised_method().as_str(), "GET" | "HEAD" | "POST")
            || !self.unsafe_headers().is_empty()
    }

    /// Sends the preflight (when needed) and the request with a client that trusts the
    /// Mozilla roots, and judges both. See [`Probe::run_with`].
    ///
    /// ```
    /// use cors_probe::Probe;
    ///
    /// let probe = Probe {
    ///     url: "mailto:someone@example.com".into(),
    ///     origin: "https://app.example.com".into(),
    ///     method: "GET".into(),
    ///     headers: vec![],
    ///     credentials: false,
    /// };
    /// assert!(probe.run().is_err()); // not an http(s) URL: nothing is sent
    /// ```
    pub fn run(&self) -> Result<Outcome, Error> {
        self.run_with(&Client::new(&Trust::default())?)
    }

    /// Sends the preflight (when a browser would) and then, unless it fails, the request,
    /// through `client`, and judges both by the Fetch standard's checks. An error for a
    /// request `fetch()` would not make (see [`Probe::check`]), a certificate `client` does
    /// not trust, or a server that cannot be reached.
    ///
    /// Redirects are not followed: a browser never follows one on a preflight (it fails),
    /// and follows one on the request only when that response passes the CORS check; the
    /// outcome's notes say where it leads.
    pub fn run_with(&self, client: &Client) -> Result<Outcome, Error> {
        let url = self.check()?;
        let method = Method::from_bytes(self.normalised_method().as_bytes())
            .map_err(|e| Error::input(&e))?;
        let unsafe_headers = self.unsafe_headers();
        let browser = BrowserRequest {
            origin: self.origin.clone(),
            method: method.to_string(),
            headers: unsafe_headers.clone(),
            credentials: self.credentials,
            private_network: false,
        };
        let mut outcome = Outcome {
            preflight: None,
            actual: None,
            blocked: None,
            notes: Vec::new(),
        };
        if self.needs_preflight() {
            let exchange = self.preflight(client, &url, method.as_str(), &unsafe_headers)?;
            let verdict = preflight_check(&browser, exchange.status, &exchange.headers);
            let said = exchange.server_reason.clone();
            outcome.notes.extend(local_network(&self.origin, &exchange));
            if exchange.status.is_redirection() {
                outcome.notes.push(format!(
                    "the preflight was redirected{}: a browser never follows a preflight's \
                     redirect; the preflight must be answered at the URL itself (the usual \
                     causes: a trailing slash, or http:// redirected to https://)",
                    location(&exchange)
                ));
            }
            outcome.preflight = Some(exchange);
            if let Err(refusal) = verdict {
                let found = match refusal {
                    Refusal::NoAllowOrigin => self.diagnose(client, &url, &browser)?,
                    _ => None,
                };
                let (at_fault, cause) = match &found {
                    Some((at_fault, cause)) => (at_fault, Some(cause.clone())),
                    None => (&refusal, None),
                };
                outcome.blocked = Some(Blocked {
                    stage: "preflight",
                    fix: fix(at_fault, self),
                    reason: refusal.to_string(),
                    cause,
                    server_reason: said,
                });
                return Ok(outcome);
            }
        }
        let mut headers = vec![("origin".to_owned(), self.origin.clone())];
        headers.extend(self.headers.iter().cloned());
        let exchange = Exchange::send(client, &method, &url, &headers)?;
        if outcome.preflight.is_none() {
            outcome.notes.extend(local_network(&self.origin, &exchange));
        }
        let verdict = cors_check(&self.origin, self.credentials, &exchange.headers);
        if exchange.status.is_redirection() {
            outcome
                .notes
                .push(redirect_note(&exchange, verdict.is_ok(), method.as_str()));
        }
        if let Err(refusal) = verdict {
            outcome.blocked = Some(Blocked {
                stage: "response",
                fix: fix(&refusal, self),
                reason: refusal.to_string(),
                cause: None,
                server_reason: exchange.server_reason.clone(),
            });
        }
        outcome.actual = Some(exchange);
        Ok(outcome)
    }

    /// The URL, if `fetch()` from a page on the origin would send this request: an
    /// `http://` or `https://` URL without a user name or password (its fragment is never
    /// sent), an origin `scheme://host[:port]` or `null`, a method that is a token and not
    /// `CONNECT`, `TRACE` or `TRACK`, and headers whose names are tokens and whose values are
    /// valid header values.
    ///
    /// ```
    /// use cors_probe::Probe;
    ///
    /// let mut probe = Probe {
    ///     url: "https://user:pw@api.example.com/".into(),
    ///     origin: "https://app.example.com".into(),
    ///     method: "GET".into(),
    ///     headers: vec![],
    ///     credentials: false,
    /// };
    /// assert!(probe.check().is_err()); // fetch() refuses credentials in the URL
    /// probe.url = "https://api.example.com/items#top".into();
    /// assert_eq!(probe.check().unwrap().as_str(), "https://api.example.com/items");
    /// probe.method = "TRACE".into();
    /// assert!(probe.check().is_err());
    /// ```
    pub fn check(&self) -> Result<Url, Error> {
        let input = |text: String| Err(Error::Input(text));
        let mut url = match Url::parse(&self.url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => url,
            Ok(_) => return input(format!("`{}` is not an http:// or https:// URL", self.url)),
            Err(e) => return input(format!("`{}` is not a URL: {e}", self.url)),
        };
        if url.host_str().is_none_or(str::is_empty) {
            return input(format!("`{}` has no host", self.url));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return input(format!(
                "`{}` has a user name or password: fetch() refuses such a URL",
                self.url
            ));
        }
        url.set_fragment(None);
        if self.origin != "null" {
            match Url::parse(&self.origin) {
                Ok(origin)
                    if origin.origin().is_tuple()
                        && origin.origin().ascii_serialization() == self.origin => {}
                _ => {
                    return input(format!(
                        "--origin `{}` is not an origin: scheme://host[:port], without a path \
                         (e.g. http://localhost:3000), or null",
                        self.origin
                    ));
                }
            }
        }
        let method = self.normalised_method();
        if Method::from_bytes(method.as_bytes()).is_err() {
            return input(format!("method `{}` is not a token", self.method));
        }
        if ["CONNECT", "TRACE", "TRACK"].contains(&method.to_ascii_uppercase().as_str()) {
            return input(format!("fetch() refuses method `{}`", self.method));
        }
        for (name, value) in &self.headers {
            if http::HeaderName::from_bytes(name.as_bytes()).is_err() {
                return input(format!("header name `{name}` is not a token"));
            }
            if http::HeaderValue::from_str(value).is_err() {
                return input(format!(
                    "the value of header `{name}` is not a header value"
                ));
            }
        }
        Ok(url)
    }

    fn preflight(
        &self,
        client: &Client,
        url: &Url,
        method: &str,
        headers: &[String],
    ) -> Result<Exchange, Error> {
        let mut lines = vec![
            ("origin".to_owned(), self.origin.clone()),
            (
                "access-control-request-method".to_owned(),
                method.to_owned(),
            ),
        ];
        if !headers.is_empty() {
            lines.push((
                "access-control-request-headers".to_owned(),
                headers.join(","),
            ));
        }
        Exchange::send(client, &Method::OPTIONS, url, &lines)
    }

    /// A preflight refused without CORS headers says nothing of why. Narrower preflights
    /// find it: the origin with `GET` alone, then the method alone, then each header alone.
    /// These are extra requests no browser sends; their finding is a cause, not the verdict:
    /// the refusal they point at, and the cause as printed.
    fn diagnose(
        &self,
        client: &Client,
        url: &Url,
        browser: &BrowserRequest,
    ) -> Result<Option<(Refusal, String)>, Error> {
        let passes = |method: &str, header: Option<&str>| -> Result<bool, Error> {
            let header: Vec<String> = header.into_iter().map(str::to_owned).collect();
            let exchange = self.preflight(client, url, method, &header)?;
            let one = BrowserRequest {
                method: method.to_owned(),
                headers: header,
                ..browser.clone()
            };
            Ok(preflight_check(&one, exchange.status, &exchange.headers).is_ok())
        };
        if !passes("GET", None)? {
            return Ok(None);
        }
        if !passes(&browser.method, None)? {
            return Ok(Some((
                Refusal::Method(browser.method.clone()),
                format!(
                    "method `{}` is not allowed: the server answers a preflight from this origin for GET, not for {}",
                    browser.method, browser.method
                ),
            )));
        }
        for header in &browser.headers {
            if !passes(&browser.method, Some(header))? {
                return Ok(Some((
                    Refusal::Header(header.clone()),
                    format!(
                        "request header `{header}` is not allowed: the server answers a preflight from this origin without it, not with it"
                    ),
                )));
            }
        }
        Ok(None)
    }
}

fn local_network(origin: &str, exchange: &Exchange) -> Option<String> {
    local_network_note(origin, exchange.remote?.ip())
}

fn location(exchange: &Exchange) -> String {
    match exchange.headers.get(http::header::LOCATION) {
        Some(to) => format!(" to `{}`", String::from_utf8_lossy(to.as_bytes())),
        None => String::new(),
    }
}

/// What a browser does with a redirected request (Fetch's "HTTP-redirect fetch").
fn redirect_note(exchange: &Exchange, passed: bool, method: &str) -> String {
    let to = location(exchange);
    if !passed {
        return format!(
            "the server redirects{to}: a browser checks CORS on the redirect itself, and this \
             one fails, so the browser does not follow it"
        );
    }
    let becomes_get = match exchange.status.as_u16() {
        303 => method != "GET" && method != "HEAD",
        301 | 302 => method == "POST",
        _ => false,
    };
    let mut note = format!(
        "the server redirects{to}: a browser follows it (the redirect passed the CORS check) \
         and checks the next answer the same way; when the new URL is on another origin, the \
         browser sends `Origin: null` there, which that server must allow"
    );
    if becomes_get {
        note.push_str(&format!(
            "; after a {} the browser sends GET, not {method}",
            exchange.status.as_u16()
        ));
    }
    note.push_str("; probe the new URL to see its answer");
    note
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(method: &str, headers: &[(&str, &str)]) -> Probe {
        Probe {
            url: "http://127.0.0.1:1/".into(),
            origin: "http://localhost:3000".into(),
            method: method.into(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            credentials: false,
        }
    }

    #[test]
    fn when_a_browser_preflights() {
        assert!(!probe("get", &[]).needs_preflight());
        assert!(!probe("POST", &[("content-type", "text/plain;charset=utf-8")]).needs_preflight());
        assert!(probe("POST", &[("content-type", "application/json")]).needs_preflight());
        assert!(probe("PUT", &[]).needs_preflight());
        assert!(probe("GET", &[("X-Token", "1"), ("x-token", "2")]).needs_preflight());
        assert_eq!(
            probe("GET", &[("X-Token", "1"), ("x-token", "2")]).unsafe_headers(),
            ["x-token"]
        );
        assert_eq!(probe("patch", &[]).normalised_method(), "patch");
        assert_eq!(probe("delete", &[]).normalised_method(), "DELETE");
    }

    #[test]
    fn what_fetch_refuses_to_send() {
        let with_url = |url: &str| Probe {
            url: url.into(),
            ..probe("GET", &[])
        };
        assert_eq!(
            with_url("http://127.0.0.1:8000/api/items?x=1#f")
                .check()
                .unwrap()
                .as_str(),
            "http://127.0.0.1:8000/api/items?x=1"
        );
        assert_eq!(
            with_url("https://a.example").check().unwrap().as_str(),
            "https://a.example/"
        );
        for (url, starts) in [
            ("ftp://x/", "`ftp://x/` is not an http:// or https:// URL"),
            ("http://", "`http://` is not a URL: empty host"),
            ("127.0.0.1:8000/api", "`127.0.0.1:8000/api` is not a URL"),
            (
                "localhost:8000/api",
                "`localhost:8000/api` is not an http:// or https:// URL",
            ),
            ("api/items", "`api/items` is not a URL"),
            (
                "http://user@host/",
                "`http://user@host/` has a user name or password",
            ),
        ] {
            let error = with_url(url).check().unwrap_err().to_string();
            assert!(error.starts_with(starts), "{url}: {error}");
        }
        for origin in [
            "localhost:3000",
            "http://localhost:3000/",
            "http://a.example/x",
            "*",
            "",
        ] {
            let p = Probe {
                origin: origin.into(),
                ..probe("GET", &[])
            };
            assert!(
                p.check()
                    .unwrap_err()
                    .to_string()
                    .contains("is not an origin"),
                "{origin}"
            );
        }
        assert!(
            Probe {
                origin: "null".into(),
                ..probe("GET", &[])
            }
            .check()
            .is_ok()
        );
        for method in ["CONNECT", "trace", "Track", "GE T", ""] {
            assert!(probe(method, &[]).check().is_err(), "{method}");
        }
        assert!(probe("GET", &[("x y", "1")]).check().is_err());
        assert!(probe("GET", &[("x-a", "1\n2")]).check().is_err());
    }
}
