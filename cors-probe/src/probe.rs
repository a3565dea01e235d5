//! The probe: what a browser sends for one `fetch()`, sent to a real server, and what the
//! browser concludes from the answers.

use http::{Method, StatusCode};
use reqwest::Url;

use crate::client::{Client, Trust};
use crate::error::Error;
use crate::exchange::Exchange;
use crate::fetch::{
    BrowserRequest, Refusal, cors_check, needs_preflight, preflight_check, unsafe_request_headers,
};
use crate::fix::fix;
use crate::network::{local_network_note, potentially_trustworthy, same_site};

/// The most redirects a browser follows (Fetch's HTTP-redirect fetch).
const MAX_REDIRECTS: usize = 20;

/// Fetch's "bad port" list: ports a browser never connects to over http(s).
const BAD_PORTS: [u16; 83] = [
    0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101,
    102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427,
    465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990,
    993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667,
    6668, 6669, 6679, 6697, 10080,
];

/// Fetch's forbidden request headers: a page's `fetch()` cannot set them.
const FORBIDDEN_HEADERS: [&str; 21] = [
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

/// Headers that describe a request's body: dropped when a redirect turns it into a GET.
const BODY_HEADERS: [&str; 4] = [
    "content-encoding",
    "content-language",
    "content-location",
    "content-type",
];

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
    /// Where the browser stops: `request` (it sends nothing: a bad port, mixed content),
    /// `preflight`, `response`, or `redirect` (it does not follow the server's redirect).
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

/// A redirect a browser followed, and what it sent there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// Where the redirect led.
    pub url: String,
    /// The `Origin` the browser sent there: the page's, or `null` once a redirect crossed
    /// from one origin to another (Fetch's "tainted origin").
    pub origin: String,
    /// The method sent there (a 303, or a 301 or 302 of a POST, turns it into GET).
    pub method: String,
    /// The preflight sent there, when one was due.
    pub preflight: Option<Exchange>,
    /// The request sent there; `None` when its preflight failed.
    pub actual: Option<Exchange>,
}

/// What the probe saw and concluded: see [`Probe::run`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The preflight, when a browser sends one.
    pub preflight: Option<Exchange>,
    /// The request itself; `None` when the preflight failed (browsers stop there) or
    /// nothing was sent.
    pub actual: Option<Exchange>,
    /// The redirects a browser followed from the request, in order.
    pub redirects: Vec<Redirect>,
    /// `None`: a browser lets the page read the (last) response.
    pub blocked: Option<Blocked>,
    /// What else decides what a browser does, beyond the CORS headers: a same-origin URL, a
    /// redirect, Chrome's Local Network Access, a certificate not checked.
    pub notes: Vec<String>,
}

/// One request of the chain: where it goes and what it carries.
#[derive(Debug)]
struct Hop {
    url: Url,
    origin: String,
    method: String,
    headers: Vec<(String, String)>,
    /// A redirect crossed origins: `Origin: null` from here on.
    tainted: bool,
    /// On the page's own origin and not tainted: no CORS at all.
    same_origin: bool,
    /// A request of the chain went to another site: `Sec-Fetch-Site: cross-site` from here on.
    cross_site: bool,
}

/// What one hop gave: its exchanges, the verdict, and where it redirects.
struct HopResult {
    preflight: Option<Exchange>,
    actual: Option<Exchange>,
    blocked: Option<Blocked>,
    location: Option<String>,
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
        let headers = self.author_headers();
        unsafe_request_headers(headers.iter().map(|(n, v)| (n.as_str(), v.as_str())))
    }

    /// The headers as `fetch()` puts them in its request: one line per name, the values of
    /// a name given twice joined with `, ` (as `Headers.append` does), values stripped of
    /// leading and trailing spaces and tabs.
    ///
    /// ```
    /// use cors_probe::Probe;
    ///
    /// let probe = Probe {
    ///     url: "http://127.0.0.1:8000/".into(),
    ///     origin: "http://localhost:3000".into(),
    ///     method: "GET".into(),
    ///     headers: vec![("X-A".into(), " 1".into()), ("x-a".into(), "2".into())],
    ///     credentials: false,
    /// };
    /// assert_eq!(probe.author_headers(), [("X-A".to_owned(), "1, 2".to_owned())]);
    /// ```
    pub fn author_headers(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::with_capacity(self.headers.len());
        for (name, value) in &self.headers {
            let value = value.trim_matches([' ', '\t']);
            match out.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
                Some((_, joined)) => {
                    joined.push_str(", ");
                    joined.push_str(value);
                }
                None => out.push((name.clone(), value.to_owned())),
            }
        }
        out
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
        needs_preflight(&self.normalised_method(), &self.unsafe_headers())
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

    /// What a browser does for this `fetch()`, through `client`: nothing at all for a bad
    /// port or mixed content; no CORS for a URL on the page's own origin; otherwise the
    /// preflight when one is due, then, unless it fails, the request, each judged by the
    /// Fetch standard's checks; then each redirect a browser would follow (up to 20), with
    /// the `Origin`, method and headers a browser sends there. An error for a request
    /// `fetch()` would not make (see [`Probe::check`]), a certificate `client` does not
    /// trust, or a server that cannot be reached.
    ///
    /// Besides the requests a browser sends, a preflight refused without CORS headers is
    /// followed by narrower ones that find the origin, method or header at fault (see
    /// [`Blocked::cause`]).
    pub fn run_with(&self, client: &Client) -> Result<Outcome, Error> {
        let url = self.check()?;
        let page = Url::parse(&self.origin).ok();
        let mut outcome = Outcome::default();
        let mut hop = Hop {
            cross_site: !page.as_ref().is_some_and(|page| same_site(page, &url)),
            same_origin: page.as_ref().is_some_and(|p| p.origin() == url.origin()),
            url,
            origin: self.origin.clone(),
            method: self.normalised_method(),
            headers: self.author_headers(),
            tainted: false,
        };
        let mut insecure_noted = false;
        for redirects in 0..=MAX_REDIRECTS {
            if let Some(blocked) = self.refused_before_sending(page.as_ref(), &hop.url) {
                outcome.blocked = Some(blocked);
                return Ok(outcome);
            }
            if client.insecure && hop.url.scheme() == "https" && !insecure_noted {
                insecure_noted = true;
                outcome.notes.push(
                    "--insecure: the certificate was not checked; a browser that does not trust \
                     it fails the fetch before any CORS check"
                        .to_owned(),
                );
            }
            let result = match self.send_hop(client, &hop, &mut outcome.notes) {
                Ok(result) => result,
                // The first request's failure is the probe's; a later one is the browser's
                // fetch failing on the way.
                Err(error) if redirects == 0 => return Err(error),
                Err(error) => {
                    outcome.blocked = Some(Blocked {
                        stage: "redirect",
                        reason: format!("following the redirect to {}: {error}", hop.url),
                        cause: None,
                        server_reason: None,
                        fix: "redirect to a URL that answers, or do not redirect CORS requests"
                            .to_owned(),
                    });
                    return Ok(outcome);
                }
            };
            match outcome.redirects.last_mut() {
                Some(redirect) => {
                    redirect.preflight = result.preflight;
                    redirect.actual = result.actual;
                }
                None => {
                    outcome.preflight = result.preflight;
                    outcome.actual = result.actual;
                }
            }
            if result.blocked.is_some() {
                outcome.blocked = result.blocked;
                return Ok(outcome);
            }
            let Some(location) = result.location else {
                if hop.same_origin {
                    outcome.notes.push(
                        "same origin: the URL is on the page's own origin, so a browser makes no \
                         CORS check and the page reads the response as it is"
                            .to_owned(),
                    );
                }
                return Ok(outcome);
            };
            if redirects == MAX_REDIRECTS {
                break;
            }
            let status = outcome
                .redirects
                .last()
                .and_then(|r| r.actual.as_ref())
                .or(outcome.actual.as_ref())
                .map_or(StatusCode::FOUND, |actual| actual.status);
            match self.follow(&hop, &location, status, page.as_ref()) {
                Ok(next) => {
                    if next.tainted && !hop.tainted {
                        outcome.notes.push(format!(
                            "the redirect crosses origins (to {}): from there on a browser sends \
                             `Origin: null`, which a server can only answer with `*` (never with \
                             credentials) or by allowing `null`, which any sandboxed page can \
                             send; keep CORS requests on one origin, or point the page at the \
                             final URL",
                            next.url.origin().ascii_serialization()
                        ));
                    }
                    outcome.redirects.push(Redirect {
                        url: next.url.to_string(),
                        origin: next.origin.clone(),
                        method: next.method.clone(),
                        preflight: None,
                        actual: None,
                    });
                    hop = next;
                }
                Err(blocked) => {
                    outcome.blocked = Some(blocked);
                    return Ok(outcome);
                }
            }
        }
        outcome.blocked = Some(Blocked {
            stage: "redirect",
            reason: format!("more than {MAX_REDIRECTS} redirects"),
            cause: None,
            server_reason: None,
            fix: "end the chain of redirects: a browser gives up after 20".to_owned(),
        });
        Ok(outcome)
    }

    /// What a browser refuses before sending anything: a port on Fetch's bad-port list,
    /// and mixed content (a page on `https://` fetching `http://` from a host that is not
    /// potentially trustworthy).
    fn refused_before_sending(&self, page: Option<&Url>, url: &Url) -> Option<Blocked> {
        let port = url.port_or_known_default().unwrap_or_default();
        if BAD_PORTS.contains(&port) {
            return Some(Blocked {
                stage: "request",
                reason: format!(
                    "port {port} is on Fetch's list of bad ports: a browser never connects to it"
                ),
                cause: None,
                server_reason: None,
                fix: "serve the API on another port".to_owned(),
            });
        }
        let secure_page = page.is_some_and(|p| p.scheme() == "https");
        if secure_page && url.scheme() == "http" && !potentially_trustworthy(url) {
            return Some(Blocked {
                stage: "request",
                reason: format!(
                    "mixed content: a page on {} may not fetch the http:// URL {url}",
                    self.origin
                ),
                cause: None,
                server_reason: None,
                fix: "serve the API over https://".to_owned(),
            });
        }
        None
    }

    /// The next hop of a redirect a browser follows (Fetch's "HTTP-redirect fetch"), or
    /// why it does not follow it.
    fn follow(
        &self,
        hop: &Hop,
        location: &str,
        status: StatusCode,
        page: Option<&Url>,
    ) -> Result<Hop, Blocked> {
        let refused = |reason: String| Blocked {
            stage: "redirect",
            reason,
            cause: None,
            server_reason: None,
            fix: "redirect to an http(s) URL without a user name or password, or do not \
                  redirect CORS requests"
                .to_owned(),
        };
        let mut url = hop.url.join(location).map_err(|e| {
            refused(format!(
                "the redirect's Location `{}` is not a URL: {e}",
                crate::exchange::printable(location.as_bytes())
            ))
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(refused(format!(
                "the redirect leads to `{url}`, which is not http(s)"
            )));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refused(format!(
                "the redirect leads to `{url}`, which has a user name or password: a browser \
                 refuses it for a CORS request"
            )));
        }
        url.set_fragment(None);
        let other_origin = url.origin() != hop.url.origin();
        let at_page_origin = page.is_some_and(|p| p.origin() == hop.url.origin());
        let becomes_get = match status.as_u16() {
            301 | 302 => hop.method == "POST",
            303 => hop.method != "GET" && hop.method != "HEAD",
            _ => false,
        };
        let mut headers = hop.headers.clone();
        if becomes_get {
            headers.retain(|(name, _)| !BODY_HEADERS.iter().any(|b| name.eq_ignore_ascii_case(b)));
        }
        if other_origin {
            headers.retain(|(name, _)| !name.eq_ignore_ascii_case("authorization"));
        }
        // Fetch's redirect-tainted origin: a hop to another origin from a URL that is not on
        // the page's own origin; it stays tainted for the rest of the chain.
        let tainted = hop.tainted || (other_origin && !at_page_origin);
        Ok(Hop {
            same_origin: !tainted && page.is_some_and(|p| p.origin() == url.origin()),
            cross_site: hop.cross_site || !page.is_some_and(|page| same_site(page, &url)),
            origin: if tainted {
                "null".to_owned()
            } else {
                self.origin.clone()
            },
            method: if becomes_get {
                "GET".to_owned()
            } else {
                hop.method.clone()
            },
            headers,
            tainted,
            url,
        })
    }

    /// The headers a browser adds to every request of a `fetch()`: `Accept` (unless the
    /// script set one), the Fetch Metadata headers, and a `User-Agent` naming the probe.
    fn browser_headers(author: &[(String, String)], hop: &Hop) -> Vec<(String, String)> {
        let set = |name: &str| author.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
        let mut out = Vec::with_capacity(5);
        if !set("accept") {
            out.push(("accept".to_owned(), "*/*".to_owned()));
        }
        // Fetch Metadata goes only to potentially trustworthy URLs.
        if potentially_trustworthy(&hop.url) {
            let site = if hop.same_origin {
                "same-origin"
            } else if hop.cross_site {
                "cross-site"
            } else {
                "same-site"
            };
            for (name, value) in [
                ("sec-fetch-mode", "cors"),
                ("sec-fetch-site", site),
                ("sec-fetch-dest", "empty"),
            ] {
                out.push((name.to_owned(), value.to_owned()));
            }
        }
        if !set("user-agent") {
            out.push((
                "user-agent".to_owned(),
                concat!("cors-probe/", env!("CARGO_PKG_VERSION")).to_owned(),
            ));
        }
        out
    }

    /// One request of the chain: its preflight when one is due, then the request.
    fn send_hop(
        &self,
        client: &Client,
        hop: &Hop,
        notes: &mut Vec<String>,
    ) -> Result<HopResult, Error> {
        let method = Method::from_bytes(hop.method.as_bytes()).map_err(|e| Error::input(&e))?;
        let unsafe_headers =
            unsafe_request_headers(hop.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        let browser = BrowserRequest {
            origin: hop.origin.clone(),
            method: hop.method.clone(),
            headers: unsafe_headers.clone(),
            credentials: self.credentials,
            private_network: false,
        };
        let mut result = HopResult {
            preflight: None,
            actual: None,
            blocked: None,
            location: None,
        };
        if needs_preflight(&hop.method, &unsafe_headers) && !hop.same_origin {
            let exchange = self.preflight(client, hop, &hop.method, &unsafe_headers)?;
            let verdict = preflight_check(&browser, exchange.status, &exchange.headers);
            note_once(notes, self.local_network(&exchange));
            if exchange.status.is_redirection() {
                notes.push(format!(
                    "the preflight was redirected{}: a browser never follows a preflight's \
                     redirect; the preflight must be answered at the URL itself (the usual \
                     causes: a trailing slash, or http:// redirected to https://)",
                    location_text(&exchange)
                ));
            }
            let said = exchange.server_reason.clone();
            let status = exchange.status;
            result.preflight = Some(exchange);
            if let Err(refusal) = verdict {
                // The narrower preflights are extra requests: their failure leaves the
                // verdict as it is, without a cause.
                let found = match refusal {
                    Refusal::NoAllowOrigin => self.diagnose(client, hop, &browser).unwrap_or(None),
                    _ => None,
                };
                let (at_fault, cause) = match found {
                    Some((at_fault, cause)) => (at_fault, Some(cause)),
                    // Nothing answers the preflight with a 2xx and no CORS header: the CORS
                    // layer is not in front of what answers it.
                    None if refusal == Refusal::NoAllowOrigin && !status.is_success() => {
                        (Refusal::PreflightStatus(status), None)
                    }
                    None => (refusal.clone(), None),
                };
                result.blocked = Some(Blocked {
                    stage: "preflight",
                    fix: self.fix(&at_fault, hop),
                    reason: refusal.to_string(),
                    cause,
                    server_reason: said,
                });
                return Ok(result);
            }
        }
        // A same-origin GET or HEAD carries no `Origin`; every other request does.
        let mut headers = Vec::with_capacity(hop.headers.len() + 6);
        if !(hop.same_origin && matches!(hop.method.as_str(), "GET" | "HEAD")) {
            headers.push(("origin".to_owned(), hop.origin.clone()));
        }
        headers.extend(hop.headers.iter().cloned());
        headers.extend(Self::browser_headers(&hop.headers, hop));
        let exchange = Exchange::send(client, &method, &hop.url, &headers)?;
        if result.preflight.is_none() {
            note_once(notes, self.local_network(&exchange));
        }
        // A same-origin response needs no CORS check.
        let verdict = if hop.same_origin {
            Ok(())
        } else {
            cors_check(&hop.origin, self.credentials, &exchange.headers)
        };
        let redirect = matches!(exchange.status.as_u16(), 301 | 302 | 303 | 307 | 308);
        let mut locations = exchange.headers.get_all(http::header::LOCATION).iter();
        let location = match (locations.next(), locations.next()) {
            (Some(to), None) if redirect => {
                Some(String::from_utf8_lossy(to.as_bytes()).into_owned())
            }
            (Some(_), Some(_)) if redirect && verdict.is_ok() => {
                result.blocked = Some(Blocked {
                    stage: "redirect",
                    reason: "the redirect has more than one Location header: a browser fails \
                             the fetch"
                        .to_owned(),
                    cause: None,
                    server_reason: None,
                    fix: "send one Location header".to_owned(),
                });
                None
            }
            _ => None,
        };
        match verdict {
            Err(refusal) => {
                if location.is_some() {
                    notes.push(format!(
                        "the server redirects{}: a browser checks CORS on the redirect itself, \
                         and this one fails, so the browser does not follow it",
                        location_text(&exchange)
                    ));
                }
                result.blocked = Some(Blocked {
                    stage: "response",
                    fix: self.fix(&refusal, hop),
                    reason: refusal.to_string(),
                    cause: None,
                    server_reason: exchange.server_reason.clone(),
                });
            }
            Ok(()) => result.location = location,
        }
        result.actual = Some(exchange);
        Ok(result)
    }

    fn local_network(&self, exchange: &Exchange) -> Option<String> {
        local_network_note(&self.origin, exchange.remote?.ip())
    }

    /// The fix for a refusal at `hop`: after a redirect across origins the browser sent
    /// `Origin: null`, and the page's origin is no help there.
    fn fix(&self, refusal: &Refusal, hop: &Hop) -> String {
        if !hop.tainted {
            return fix(refusal, self);
        }
        match refusal {
            Refusal::NoAllowOrigin
            | Refusal::OtherOrigin { .. }
            | Refusal::WildcardWithCredentials => {
                format!(
                    "after the redirect across origins the browser sends `Origin: null`, which \
                     only `*` (without credentials) answers safely: point the page at {} \
                     directly, or keep the redirect on one origin",
                    hop.url
                )
            }
            other => fix(other, self),
        }
    }

    /// The URL, if `fetch()` from a page on the origin would send this request: an
    /// `http://` or `https://` URL without a user name or password (its fragment is never
    /// sent), an origin `scheme://host[:port]` or `null`, a method that is a token and not
    /// `CONNECT`, `TRACE` or `TRACK`, and headers whose names are tokens, that a page may set
    /// (not one of Fetch's forbidden request headers: `Cookie`, `Host`, `Origin`, `Sec-*`,
    /// ...), with printable ASCII values.
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
                parsed => {
                    let suggestion = parsed
                        .ok()
                        .map(|o| o.origin())
                        .filter(|o| o.is_tuple())
                        .map(|o| format!(": did you mean `{}`?", o.ascii_serialization()))
                        .unwrap_or_else(|| {
                            ": scheme://host[:port], without a path (e.g. http://localhost:3000), \
                             or null"
                                .to_owned()
                        });
                    return input(format!(
                        "--origin `{}` is not an origin as a browser sends it{suggestion}",
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
            if !value.is_ascii() || http::HeaderValue::from_str(value).is_err() {
                return input(format!(
                    "the value of header `{name}` is not printable ASCII (fetch() sends other \
                     characters as Latin-1 bytes, or refuses them)"
                ));
            }
            let lower = name.to_ascii_lowercase();
            if lower == "cookie" {
                return input(
                    "`Cookie` is a forbidden request header: fetch() drops it; --credentials \
                     sends the browser's own cookies"
                        .to_owned(),
                );
            }
            let method_override = matches!(
                lower.as_str(),
                "x-http-method" | "x-http-method-override" | "x-method-override"
            ) && value.split(',').any(|m| {
                ["CONNECT", "TRACE", "TRACK"].contains(&m.trim().to_ascii_uppercase().as_str())
            });
            if FORBIDDEN_HEADERS.contains(&lower.as_str())
                || lower.starts_with("proxy-")
                || lower.starts_with("sec-")
                || method_override
            {
                return input(format!(
                    "`{name}` is a forbidden request header: fetch() drops it, a page cannot \
                     set it (the browser sets it itself)"
                ));
            }
        }
        Ok(url)
    }

    /// The preflight of `hop`: what a browser sends (with the headers it adds to every
    /// request) for `method` and the `headers` it asks about.
    fn preflight(
        &self,
        client: &Client,
        hop: &Hop,
        method: &str,
        headers: &[String],
    ) -> Result<Exchange, Error> {
        let mut lines = vec![
            ("origin".to_owned(), hop.origin.clone()),
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
        lines.extend(Self::browser_headers(&[], hop));
        Exchange::send(client, &Method::OPTIONS, &hop.url, &lines)
    }

    /// A preflight refused without CORS headers says nothing of why. Narrower preflights
    /// find it: the origin with `GET` alone, then the method alone, then each header alone.
    /// These are extra requests no browser sends; their finding is a cause, not the verdict:
    /// the refusal they point at, and the cause as printed.
    fn diagnose(
        &self,
        client: &Client,
        hop: &Hop,
        browser: &BrowserRequest,
    ) -> Result<Option<(Refusal, String)>, Error> {
        let passes = |method: &str, header: Option<&str>| -> Result<bool, Error> {
            let header: Vec<String> = header.into_iter().map(str::to_owned).collect();
            let exchange = self.preflight(client, hop, method, &header)?;
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

/// Adds `note` unless it is there already (a chain of redirects on one address meets the
/// same Local Network Access note at every hop).
fn note_once(notes: &mut Vec<String>, note: Option<String>) {
    if let Some(note) = note
        && !notes.contains(&note)
    {
        notes.push(note);
    }
}

/// ` to `LOCATION`` for an exchange that has one (control characters shown escaped).
fn location_text(exchange: &Exchange) -> String {
    match exchange.headers.get(http::header::LOCATION) {
        Some(to) => format!(" to `{}`", crate::exchange::printable(to.as_bytes())),
        None => String::new(),
    }
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

    #[test]
    fn redirects_as_fetch_follows_them() {
        let page = Url::parse("http://localhost:3000").unwrap();
        let p = Probe {
            origin: "http://localhost:3000".into(),
            ..probe("POST", &[])
        };
        let hop = |url: &str, method: &str| Hop {
            url: Url::parse(url).unwrap(),
            origin: "http://localhost:3000".into(),
            method: method.into(),
            headers: vec![
                ("Content-Type".into(), "text/plain".into()),
                ("Authorization".into(), "Bearer x".into()),
            ],
            tainted: false,
            same_origin: url.starts_with("http://localhost:3000/"),
            cross_site: false,
        };
        let names = |h: &Hop| -> Vec<String> { h.headers.iter().map(|(n, _)| n.clone()).collect() };

        // 303 of a POST: a GET without the body's headers; to another origin: `null`,
        // without Authorization.
        let api = hop("http://api.example:8000/a", "POST");
        let next = p
            .follow(
                &api,
                "http://other.example/b",
                StatusCode::SEE_OTHER,
                Some(&page),
            )
            .unwrap();
        assert_eq!(
            (next.method.as_str(), next.origin.as_str()),
            ("GET", "null")
        );
        assert!(next.tainted && !next.same_origin);
        assert!(names(&next).is_empty(), "{:?}", names(&next));

        // 307 keeps the method and the body; on the same origin nothing is dropped.
        let next = p
            .follow(
                &api,
                "/b?x=1#f",
                StatusCode::TEMPORARY_REDIRECT,
                Some(&page),
            )
            .unwrap();
        assert_eq!(next.url.as_str(), "http://api.example:8000/b?x=1");
        assert_eq!(
            (next.method.as_str(), next.origin.as_str()),
            ("POST", "http://localhost:3000")
        );
        assert!(!next.tainted);
        assert_eq!(names(&next), ["Content-Type", "Authorization"]);

        // 302 of a POST is a GET; 302 of a PUT is not; 303 of a HEAD stays HEAD.
        let next = p
            .follow(&api, "/b", StatusCode::FOUND, Some(&page))
            .unwrap();
        assert_eq!(next.method, "GET");
        let put = hop("http://api.example:8000/a", "PUT");
        assert_eq!(
            p.follow(&put, "/b", StatusCode::FOUND, Some(&page))
                .unwrap()
                .method,
            "PUT"
        );
        let head = hop("http://api.example:8000/a", "HEAD");
        assert_eq!(
            p.follow(&head, "/b", StatusCode::SEE_OTHER, Some(&page))
                .unwrap()
                .method,
            "HEAD"
        );

        // From the page's own origin to another: not tainted (the page's origin is the
        // URL's), so the page's origin goes on; back on the page's origin after a taint,
        // still `null` and CORS-checked.
        let own = hop("http://localhost:3000/api", "GET");
        let next = p
            .follow(
                &own,
                "http://api.example:8000/a",
                StatusCode::FOUND,
                Some(&page),
            )
            .unwrap();
        assert!(!next.tainted && !next.same_origin);
        assert_eq!(next.origin, "http://localhost:3000");
        let tainted = Hop {
            tainted: true,
            origin: "null".into(),
            ..hop("http://other.example/b", "GET")
        };
        let back = p
            .follow(
                &tainted,
                "http://localhost:3000/c",
                StatusCode::FOUND,
                Some(&page),
            )
            .unwrap();
        assert!(back.tainted && !back.same_origin);
        assert_eq!(back.origin, "null");

        // What a browser refuses to follow.
        for location in [
            "http://user:pw@other.example/",
            "ftp://other.example/",
            "http://[::1",
        ] {
            let refused = p
                .follow(&api, location, StatusCode::FOUND, Some(&page))
                .unwrap_err();
            assert_eq!(refused.stage, "redirect", "{location}");
        }
    }
}
