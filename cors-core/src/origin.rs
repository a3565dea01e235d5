//! Origins: validating and normalising configured ones, and checking the shape of the ones
//! requests carry.
//!
//! A configured origin is parsed once, at build time, into `scheme://host[:port]` (lower
//! case, default port dropped). A request's `Origin` is never normalised: browsers send it
//! serialised, so anything that is not already in serialised form is not allowed.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::error::{ConfigError, ConfigErrorKind};
use crate::warning::ConfigWarning;

/// Requests whose `Origin` is longer than this are not allowed, and no matcher sees them.
///
/// A serialised origin is a scheme, a host of at most 253 characters and a port, so real
/// ones stay far below this.
///
/// ```
/// let cors = cors_core::CorsConfig::new().allow_all_origins(true).build()?;
/// let long = format!("https://{}.com", "a".repeat(cors_core::MAX_ORIGIN_LEN));
/// assert!(!cors.is_origin_allowed(long.as_bytes()));
/// assert!(cors.is_origin_allowed(b"https://a.com"));
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
pub const MAX_ORIGIN_LEN: usize = 1024;

const FIELD: &str = "allowed_origins";

/// One validated entry of `allowed_origins`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OriginEntry {
    /// An exact, normalised origin, or `null`.
    Exact(String),
    /// A subdomain pattern `scheme://*.base[:port]`.
    Pattern(SubdomainPattern),
}

/// `scheme://*.example.com[:port]`: any origin with one or more labels in front of the base
/// domain, never the base domain itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SubdomainPattern {
    /// `https://`
    prefix: String,
    /// `.example.com` or `.example.com:8443`
    suffix: String,
}

impl SubdomainPattern {
    /// The pattern with `label` in place of its `*`: `https://x.example.com` for `x` (an
    /// origin it matches, to judge it by), or the pattern itself for `*`.
    pub(crate) fn with_label(&self, label: &str) -> String {
        format!("{}{label}{}", self.prefix, self.suffix)
    }

    /// Whether a request origin (already known to be in serialised form) matches.
    pub(crate) fn matches(&self, origin: &str) -> bool {
        let Some(rest) = origin.strip_prefix(self.prefix.as_str()) else {
            return false;
        };
        let Some(labels) = rest.strip_suffix(self.suffix.as_str()) else {
            return false;
        };
        !labels.is_empty() && labels.split('.').all(is_label)
    }
}

/// An `allowed_origins` entry in the form the policy compares it in: an origin as browsers
/// send it (lower case, no default port), a subdomain pattern likewise (`https://*.a.com`),
/// or `null`. Errors are those [`CorsConfig::build`](crate::CorsConfig::build) gives.
///
/// ```
/// use cors_core::serialised_origin;
///
/// assert_eq!(serialised_origin("HTTPS://App.Example.com:443")?, "https://app.example.com");
/// assert_eq!(serialised_origin("http://*.Example.com:8080")?, "http://*.example.com:8080");
/// assert!(serialised_origin("https://a.com/").is_err());
/// # Ok::<(), cors_core::ConfigError>(())
/// ```
pub fn serialised_origin(entry: &str) -> Result<String, ConfigError> {
    Ok(match parse_entry(entry, &mut Vec::new())? {
        OriginEntry::Exact(origin) => origin,
        OriginEntry::Pattern(p) => p.with_label("*"),
    })
}

/// Parses one `allowed_origins` entry, pushing warnings for what it normalised.
pub(crate) fn parse_entry(
    raw: &str,
    warnings: &mut Vec<ConfigWarning>,
) -> Result<OriginEntry, ConfigError> {
    if let Some(entry) = special_entry(raw, warnings)? {
        return Ok(entry);
    }
    let (scheme, rest) = split_scheme(raw)?;
    let authority = authority_alone(raw, scheme, rest)?;
    let scheme_lower = scheme.to_ascii_lowercase();
    let (host, port) = host_and_port(raw, scheme, &scheme_lower, authority, warnings)?;
    entry_for(raw, &scheme_lower, &host, port)
}

fn error(raw: &str, kind: ConfigErrorKind, problem: &str) -> ConfigError {
    ConfigError::new(kind, FIELD, raw, problem)
}

/// `null`, and what is not an origin whatever follows: `*`, `NULL`, white space, over-long.
fn special_entry(
    raw: &str,
    warnings: &mut Vec<ConfigWarning>,
) -> Result<Option<OriginEntry>, ConfigError> {
    let err = |kind, problem: &str| error(raw, kind, problem);
    if raw == "*" {
        return Err(
            err(ConfigErrorKind::OriginWildcard, "is not an origin").hint(
                "to allow every origin set `allow_all_origins = true` (answered with `*`); \
             to allow subdomains list a pattern such as `https://*.example.com`",
            ),
        );
    }
    if raw == "null" {
        warnings.push(ConfigWarning::new(
            FIELD,
            raw,
            "allows the opaque origin that sandboxed iframes, `file:` pages and some \
             redirects send; any site can create one",
        ));
        return Ok(Some(OriginEntry::Exact(raw.to_owned())));
    }
    if raw.eq_ignore_ascii_case("null") {
        return Err(err(ConfigErrorKind::OriginInvalidHost, "is not an origin")
            .hint("browsers send the opaque origin as `null`, in lower case"));
    }
    if raw.trim() != raw || raw.is_empty() {
        return Err(
            err(ConfigErrorKind::OriginInvalidHost, "is not an origin").hint(format!(
                "remove the surrounding white space: `{}`",
                raw.trim()
            )),
        );
    }
    if raw.len() > MAX_ORIGIN_LEN {
        return Err(err(
            ConfigErrorKind::OriginInvalidHost,
            "is longer than any origin a browser sends",
        ));
    }
    Ok(None)
}

/// `scheme` and what follows `://`; a missing or `file:` scheme is an error with the fix.
fn split_scheme(raw: &str) -> Result<(&str, &str), ConfigError> {
    let err = |kind, problem: &str| error(raw, kind, problem);
    let Some((scheme, rest)) = raw.split_once("://") else {
        if raw.to_ascii_lowercase().starts_with("file:") {
            return Err(file_scheme(raw));
        }
        let default_scheme = if is_local_host(raw.split(':').next().unwrap_or(raw)) {
            "http"
        } else {
            "https"
        };
        return Err(err(ConfigErrorKind::OriginMissingScheme, "has no scheme")
            .hint(format!("did you mean `{default_scheme}://{raw}`?")));
    };
    if !is_scheme(scheme) {
        return Err(
            err(ConfigErrorKind::OriginMissingScheme, "has no valid scheme")
                .hint("an origin starts with a scheme such as `https://`"),
        );
    }
    if scheme.eq_ignore_ascii_case("file") {
        return Err(file_scheme(raw));
    }

    Ok((scheme, rest))
}

/// The authority, when nothing follows it: a path, query, fragment or userinfo is an error
/// that says which, with the origin it meant.
fn authority_alone<'r>(raw: &str, scheme: &str, rest: &'r str) -> Result<&'r str, ConfigError> {
    let err = |kind, problem: &str| error(raw, kind, problem);
    // Everything after the authority is a mistake; say which one.
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let base = format!("{scheme}://{authority}");
    match tail.as_bytes().first() {
        None => {}
        Some(b'/') if tail == "/" => {
            return Err(err(
                ConfigErrorKind::OriginTrailingSlash,
                "has a trailing slash; origins have no path",
            )
            .hint(format!("did you mean `{base}`?")));
        }
        Some(b'/') => {
            return Err(err(
                ConfigErrorKind::OriginPath,
                "has a path; an origin is only scheme, host and port",
            )
            .hint(format!("did you mean `{base}`?")));
        }
        Some(b'?') => {
            return Err(err(
                ConfigErrorKind::OriginQuery,
                "has a query; an origin is only scheme, host and port",
            )
            .hint(format!("did you mean `{base}`?")));
        }
        Some(_) => {
            return Err(err(
                ConfigErrorKind::OriginFragment,
                "has a fragment; an origin is only scheme, host and port",
            )
            .hint(format!("did you mean `{base}`?")));
        }
    }
    if let Some(at) = authority.rfind('@') {
        return Err(err(
            ConfigErrorKind::OriginUserinfo,
            "has userinfo (`user@`); browsers never send it in an origin",
        )
        .hint(format!(
            "did you mean `{scheme}://{}`?",
            &authority[at + 1..]
        )));
    }

    Ok(authority)
}

/// The lower-case host and the port, without the scheme's default port; a warning for each
/// of the two that was normalised.
fn host_and_port(
    raw: &str,
    scheme: &str,
    scheme_lower: &str,
    authority: &str,
    warnings: &mut Vec<ConfigWarning>,
) -> Result<(String, Option<u16>), ConfigError> {
    let err = |kind, problem: &str| error(raw, kind, problem);
    let (host, port) = split_host_port(authority)
        .ok_or_else(|| err(ConfigErrorKind::OriginInvalidHost, "has an invalid port"))?;
    let port = match port {
        None => None,
        Some(p) if default_port(scheme_lower) == Some(p) => {
            warnings.push(ConfigWarning::new(
                FIELD,
                raw,
                format!(
                    "spells out the default port; browsers omit it, so it is used as `{}`",
                    normalised(scheme_lower, &host.to_ascii_lowercase(), None)
                ),
            ));
            None
        }
        Some(p) => Some(p),
    };
    if host.bytes().any(|b| b.is_ascii_uppercase()) || scheme != scheme_lower {
        warnings.push(ConfigWarning::new(
            FIELD,
            raw,
            format!(
                "has upper-case letters; browsers send origins in lower case, so it is used as `{}`",
                normalised(scheme_lower, &host.to_ascii_lowercase(), port)
            ),
        ));
    }
    let host = host.to_ascii_lowercase();

    Ok((host, port))
}

/// A subdomain pattern (`*.` and a base domain that is not a public suffix) or an exact
/// origin with its host normalised.
fn entry_for(
    raw: &str,
    scheme_lower: &str,
    host: &str,
    port: Option<u16>,
) -> Result<OriginEntry, ConfigError> {
    if let Some(base_domain) = host.strip_prefix("*.") {
        check_pattern_base(raw, base_domain)?;
        return Ok(OriginEntry::Pattern(SubdomainPattern {
            prefix: format!("{scheme_lower}://"),
            suffix: match port {
                Some(p) => format!(".{base_domain}:{p}"),
                None => format!(".{base_domain}"),
            },
        }));
    }
    if host.contains('*') {
        return Err(error(
            raw,
            ConfigErrorKind::OriginPattern,
            "has a `*` where a subdomain pattern cannot have one",
        )
        .hint("a subdomain pattern is `*.` followed by a domain, as in `https://*.example.com`"));
    }
    let host = normalise_host(raw, host)?;
    Ok(OriginEntry::Exact(normalised(scheme_lower, &host, port)))
}

fn file_scheme(raw: &str) -> ConfigError {
    ConfigError::new(
        ConfigErrorKind::OriginFileScheme,
        FIELD,
        raw,
        "is a `file:` URL; pages opened from files send `Origin: null`",
    )
    .hint("serve the page over http(s) (for example `http://localhost:3000`); list `null` only if you accept any sandboxed page")
}

fn normalised(scheme: &str, host: &str, port: Option<u16>) -> String {
    match port {
        Some(p) => format!("{scheme}://{host}:{p}"),
        None => format!("{scheme}://{host}"),
    }
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        _ => None,
    }
}

/// Whether a host is the local machine (where plain http is normal).
pub(crate) fn is_local_host(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`
fn is_scheme(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// Splits `host[:port]` (with `[v6]` hosts); `None` for a bad port.
fn split_host_port(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if authority.starts_with('[') {
        match authority.find(']') {
            Some(end) => {
                let (host, rest) = authority.split_at(end + 1);
                match rest {
                    "" => (host, None),
                    _ => (host, Some(rest.strip_prefix(':')?)),
                }
            }
            None => (authority, None),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        None => None,
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
            Some(p.parse::<u16>().ok()?)
        }
        Some(_) => return None,
    };
    Some((host, port))
}

/// Validates a lower-cased host and puts it in the form browsers serialise.
fn normalise_host(raw: &str, host: &str) -> Result<String, ConfigError> {
    let bad = |problem: &str| {
        ConfigError::new(
            ConfigErrorKind::OriginInvalidHost,
            FIELD,
            raw,
            problem.to_owned(),
        )
    };
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        let ip: Ipv6Addr = inner
            .parse()
            .map_err(|_| bad("has an invalid IPv6 address"))?;
        return Ok(format!("[{}]", url_ipv6(ip)));
    }
    if host.is_empty() {
        return Err(bad("has no host"));
    }
    if !host.is_ascii() {
        return Err(bad("has a non-ASCII host; browsers send the punycode form")
            .hint("write the `xn--` form of the domain, as the browser's address bar shows it"));
    }
    if host.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let ip: Ipv4Addr = host
            .parse()
            .map_err(|_| bad("has an invalid IPv4 address"))?;
        return Ok(ip.to_string());
    }
    if host.len() > 253 || !host.split('.').all(is_label) {
        return Err(bad("has an invalid host name"));
    }
    if ends_in_a_number(host) {
        return Err(bad(
            "has a host that ends in a number but is not an IPv4 address; browsers refuse it",
        ));
    }
    Ok(host.to_owned())
}

/// An IPv6 address serialised as the URL standard does (and so as browsers send it): eight
/// lower-case hexadecimal pieces, the first longest run of two or more zero pieces
/// compressed to `::`, never the dotted IPv4 notation Rust's `Display` uses for
/// IPv4-mapped addresses (`::ffff:7f00:1`, not `::ffff:127.0.0.1`).
fn url_ipv6(ip: Ipv6Addr) -> String {
    let pieces = ip.segments();
    // the first longest run of zero pieces, if longer than one
    let (mut best, mut best_len, mut at) = (None, 1, 0);
    while at < 8 {
        let len = pieces[at..].iter().take_while(|&&p| p == 0).count();
        if len > best_len {
            (best, best_len) = (Some(at), len);
        }
        at += len.max(1);
    }
    let hex = |ps: &[u16]| {
        ps.iter()
            .map(|p| format!("{p:x}"))
            .collect::<Vec<_>>()
            .join(":")
    };
    match best {
        Some(start) => format!(
            "{}::{}",
            hex(&pieces[..start]),
            hex(&pieces[start + best_len..])
        ),
        None => hex(&pieces),
    }
}

/// The URL standard's "ends in a number" check: a host whose last label is decimal digits
/// or `0x` and hexadecimal digits is parsed as an IPv4 address, so a name such as
/// `127x0.0.1` or `a.1` is no host a browser sends. (All-digit hosts are handled before.)
fn ends_in_a_number(host: &str) -> bool {
    let last = host.rsplit('.').next().unwrap_or(host);
    last.bytes().all(|b| b.is_ascii_digit())
        || last
            .strip_prefix("0x")
            .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A DNS label as browsers let it through: 1 to 63 of `a-z 0-9 - _`.
fn is_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn check_pattern_base(raw: &str, base: &str) -> Result<(), ConfigError> {
    let bad =
        |problem: String| ConfigError::new(ConfigErrorKind::OriginPattern, FIELD, raw, problem);
    if base.is_empty() || base.contains('*') || !base.split('.').all(is_label) {
        return Err(bad("is not a valid subdomain pattern".into()).hint(
            "a subdomain pattern is `*.` followed by a domain, as in `https://*.example.com`",
        ));
    }
    if crate::any_website::is_public_suffix(base) {
        return Err(bad(format!(
            "matches every site registered under the public suffix `{base}`"
        ))
        .hint(
            "name your own domain, as in `https://*.example.com`, or list the sites one by one",
        ));
    }
    Ok(())
}

/// Character classes of a serialised origin, one bit each, indexed by byte.
const SCHEME: u8 = 1;
const HOST: u8 = 2;
const IPV6: u8 = 4;
static CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let lower = c.is_ascii_lowercase();
        let digit = c.is_ascii_digit();
        if lower || digit || c == b'+' || c == b'-' || c == b'.' {
            table[b] |= SCHEME;
        }
        if lower || digit || c == b'.' || c == b'-' || c == b'_' {
            table[b] |= HOST;
        }
        if digit || matches!(c, b'a'..=b'f' | b':' | b'.') {
            table[b] |= IPV6;
        }
        b += 1;
    }
    table
};

/// Whether a request's `Origin` value is an origin in serialised form:
/// `null`, or `scheme "://" host [ ":" port ]`, all lower case, within [`MAX_ORIGIN_LEN`].
///
/// Anything else (upper case, a path, white space, userinfo, control bytes, non-ASCII) is
/// not something a browser sends, so it is never allowed and never reaches a regex.
pub(crate) fn is_serialised(origin: &[u8]) -> bool {
    if origin.len() > MAX_ORIGIN_LEN {
        return false;
    }
    if origin == b"null" {
        return true;
    }
    // The end of the run of `class` bytes from `from`.
    let run = |from: usize, class: u8| {
        let mut end = from;
        while let Some(&b) = origin.get(end)
            && CLASS[usize::from(b)] & class != 0
        {
            end += 1;
        }
        end
    };
    // scheme: a lower-case letter, then scheme characters, then "://"
    if !origin.first().is_some_and(u8::is_ascii_lowercase) {
        return false;
    }
    let scheme_end = run(1, SCHEME);
    if !origin[scheme_end..].starts_with(b"://") {
        return false;
    }
    let host_start = scheme_end + 3;
    // host: a name or address, or a bracketed IPv6 address
    let host_end = if origin.get(host_start) == Some(&b'[') {
        let end = run(host_start + 1, IPV6);
        if end == host_start + 1 || origin.get(end) != Some(&b']') {
            return false;
        }
        end + 1
    } else {
        run(host_start, HOST)
    };
    if host_end == host_start {
        return false;
    }
    // optional port: ":" and 1 to 5 digits
    match &origin[host_end..] {
        [] => true,
        [b':', port @ ..] => (1..=5).contains(&port.len()) && port.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(raw: &str) -> String {
        match parse_entry(raw, &mut Vec::new()) {
            Ok(OriginEntry::Exact(s)) => s,
            other => panic!("{raw}: {other:?}"),
        }
    }

    fn kind(raw: &str) -> ConfigErrorKind {
        parse_entry(raw, &mut Vec::new()).unwrap_err().kind()
    }

    #[test]
    fn normalises_case_and_default_ports() {
        assert_eq!(exact("https://a.com"), "https://a.com");
        assert_eq!(exact("HTTPS://App.Example.COM"), "https://app.example.com");
        assert_eq!(exact("https://a.com:443"), "https://a.com");
        assert_eq!(exact("http://a.com:80"), "http://a.com");
        assert_eq!(exact("http://a.com:443"), "http://a.com:443");
        assert_eq!(exact("http://localhost:03000"), "http://localhost:3000");
        assert_eq!(exact("http://[0:0:0:0:0:0:0:1]:8080"), "http://[::1]:8080");
        assert_eq!(exact("http://[::ffff:127.0.0.1]"), "http://[::ffff:7f00:1]");
        assert_eq!(
            exact("http://[::FFFF:7F00:1]:8080"),
            "http://[::ffff:7f00:1]:8080"
        );
        assert_eq!(exact("http://[::127.0.0.1]"), "http://[::7f00:1]");
        assert_eq!(exact("http://[1:0:0:2:0:0:0:3]"), "http://[1:0:0:2::3]");
        assert_eq!(exact("http://[1:0:0:2:0:0:3:4]"), "http://[1::2:0:0:3:4]");
        assert_eq!(
            exact("http://[1:0:2:3:4:5:6:7]"),
            "http://[1:0:2:3:4:5:6:7]"
        );
        assert_eq!(exact("http://[::]"), "http://[::]");
        assert_eq!(exact("http://127.0.0.1:8000"), "http://127.0.0.1:8000");
        assert_eq!(exact("null"), "null");
    }

    #[test]
    fn rejects_non_origins() {
        assert_eq!(kind("https://a.com/"), ConfigErrorKind::OriginTrailingSlash);
        assert_eq!(kind("https://a.com/api"), ConfigErrorKind::OriginPath);
        assert_eq!(kind("https://a.com?x=1"), ConfigErrorKind::OriginQuery);
        assert_eq!(kind("https://a.com#x"), ConfigErrorKind::OriginFragment);
        assert_eq!(kind("https://u:p@a.com"), ConfigErrorKind::OriginUserinfo);
        assert_eq!(kind("example.com"), ConfigErrorKind::OriginMissingScheme);
        assert_eq!(kind("localhost:3000"), ConfigErrorKind::OriginMissingScheme);
        assert_eq!(kind("//a.com"), ConfigErrorKind::OriginMissingScheme);
        assert_eq!(
            kind("file:///home/me/index.html"),
            ConfigErrorKind::OriginFileScheme
        );
        assert_eq!(kind("*"), ConfigErrorKind::OriginWildcard);
        assert_eq!(kind("NULL"), ConfigErrorKind::OriginInvalidHost);
        assert_eq!(kind(" https://a.com"), ConfigErrorKind::OriginInvalidHost);
        assert_eq!(
            kind("https://a.com:99999"),
            ConfigErrorKind::OriginInvalidHost
        );
        assert_eq!(kind("https://a.com:"), ConfigErrorKind::OriginInvalidHost);
        assert_eq!(kind("https://"), ConfigErrorKind::OriginInvalidHost);
        assert_eq!(kind("https://a..com"), ConfigErrorKind::OriginInvalidHost);
        assert_eq!(
            kind("https://bücher.de"),
            ConfigErrorKind::OriginInvalidHost
        );
        assert_eq!(
            kind("https://300.1.1.1"),
            ConfigErrorKind::OriginInvalidHost
        );
        assert_eq!(kind("https://a*.com"), ConfigErrorKind::OriginPattern);
        assert_eq!(kind("https://*.com"), ConfigErrorKind::OriginPattern);
        assert_eq!(kind("https://*.github.io"), ConfigErrorKind::OriginPattern);
        assert_eq!(kind("https://*.co.uk"), ConfigErrorKind::OriginPattern);
        assert_eq!(
            kind("https://*.*.example.com"),
            ConfigErrorKind::OriginPattern
        );
    }

    #[test]
    fn missing_scheme_hint_prefers_http_for_localhost() {
        let err = parse_entry("localhost:3000", &mut Vec::new()).unwrap_err();
        assert_eq!(
            err.hint_text(),
            Some("did you mean `http://localhost:3000`?")
        );
    }

    #[test]
    fn subdomain_pattern_needs_at_least_one_label() {
        let OriginEntry::Pattern(p) =
            parse_entry("https://*.example.com", &mut Vec::new()).unwrap()
        else {
            panic!("not a pattern")
        };
        assert!(p.matches("https://app.example.com"));
        assert!(p.matches("https://a.b.example.com"));
        assert!(!p.matches("https://example.com"));
        assert!(!p.matches("https://.example.com"));
        assert!(!p.matches("https://a..example.com"));
        assert!(!p.matches("https://evilexample.com"));
        assert!(!p.matches("http://app.example.com"));
        assert!(!p.matches("https://app.example.com:8443"));
        assert!(!p.matches("https://app.example.com.evil.com"));
    }

    #[test]
    fn pattern_with_port() {
        let OriginEntry::Pattern(p) =
            parse_entry("https://*.example.com:8443", &mut Vec::new()).unwrap()
        else {
            panic!("not a pattern")
        };
        assert!(p.matches("https://app.example.com:8443"));
        assert!(!p.matches("https://app.example.com"));
    }

    #[test]
    fn serialised_origins() {
        for ok in [
            &b"https://a.com"[..],
            b"http://localhost:3000",
            b"null",
            b"http://[::1]:8080",
            b"chrome-extension://abcdef",
        ] {
            assert!(is_serialised(ok), "{}", ok.escape_ascii());
        }
        for bad in [
            &b""[..],
            b"https://",
            b"HTTPS://a.com",
            b"https://A.com",
            b"https://a.com/",
            b"https://a.com:",
            b"https://a.com:123456",
            b"https://u@a.com",
            b"https://a.com ",
            b"https://a.com\r\nx: y",
            b"https://\xc3\xa9.com",
            b"https://[]",
            b"https://[]:80",
            b"Null",
            b"a.com",
        ] {
            assert!(!is_serialised(bad), "{}", bad.escape_ascii());
        }
        let long = format!("https://{}.com", "a".repeat(MAX_ORIGIN_LEN));
        assert!(!is_serialised(long.as_bytes()));
    }
}
