//! The bypass family of an origin: the lookalikes an attacker registers or crafts to get
//! past a sloppy matcher.

use std::collections::BTreeMap;
use std::fmt;

/// The domain the generated attacker origins live on.
///
/// ```
/// let family = cors_lint::family("https://app.example.com");
/// assert!(family.iter().any(|c| c.origin == format!("https://app.example.com.{}", cors_lint::ATTACKER)));
/// ```
pub const ATTACKER: &str = "evil.net";

/// How a candidate was derived from the origin it imitates.
///
/// ```
/// use cors_lint::{Trick, family};
///
/// let suffix = family("https://app.example.com")
///     .into_iter()
///     .find(|c| c.trick == Trick::Suffix)
///     .unwrap();
/// assert_eq!(suffix.origin, "https://app.example.com.evil.net");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Trick {
    /// The configured host with the attacker's domain after it: `https://app.example.com.evil.net`.
    Suffix,
    /// Something glued in front of the host: `https://evilapp.example.com`.
    Prefix,
    /// One more label in front: `https://evil.app.example.com`.
    Deeper,
    /// The host without its first label: `https://example.com`.
    Parent,
    /// `https://` turned into `http://`.
    SchemeDowngrade,
    /// `http://` turned into `https://`.
    SchemeUpgrade,
    /// Another port, or none where one was configured.
    OtherPort,
    /// `null`: sandboxed iframes, `file:` pages.
    Null,
    /// A `.` of the host replaced by a letter: `https://appxexample.com`.
    DotLookalike,
    /// The configured host as userinfo in front of the attacker's: `https://app.example.com@evil.net`.
    Userinfo,
    /// The attacker's own site, unrelated to any configured origin: `https://evil.net`.
    Unrelated,
    /// A site on a domain anyone can register that a regex admits, found from what the
    /// regex can match: `https://evil.com` for `https://.*\.com`.
    AnyWebsite,
}

impl Trick {
    /// A short name, as used in `--json` output.
    ///
    /// ```
    /// assert_eq!(cors_lint::Trick::DotLookalike.name(), "dot-lookalike");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Trick::Suffix => "suffix",
            Trick::Prefix => "prefix",
            Trick::Deeper => "deeper",
            Trick::Parent => "parent",
            Trick::SchemeDowngrade => "scheme-downgrade",
            Trick::SchemeUpgrade => "scheme-upgrade",
            Trick::OtherPort => "other-port",
            Trick::Null => "null",
            Trick::DotLookalike => "dot-lookalike",
            Trick::Userinfo => "userinfo",
            Trick::Unrelated => "unrelated",
            Trick::AnyWebsite => "any-website",
        }
    }
}

impl fmt::Display for Trick {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Trick::Suffix => "a suffix: the attacker's domain after yours",
            Trick::Prefix => "a prefix glued to your host",
            Trick::Deeper => "a deeper subdomain",
            Trick::Parent => "the parent domain",
            Trick::SchemeDowngrade => "plain http instead of https",
            Trick::SchemeUpgrade => "https instead of http",
            Trick::OtherPort => "another port",
            Trick::Null => "the `null` origin",
            Trick::DotLookalike => "a lookalike where a `.` is another character",
            Trick::Userinfo => "your host as userinfo before the attacker's",
            Trick::Unrelated => "an unrelated website",
            Trick::AnyWebsite => "a website on a domain anyone can register",
        })
    }
}

/// One origin to try, and how it was made.
///
/// ```
/// use cors_lint::{Trick, family};
///
/// let candidates = family("https://app.example.com");
/// let null = candidates.iter().find(|c| c.origin == "null").unwrap();
/// assert_eq!(null.trick, Trick::Null);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Candidate {
    /// The `Origin` value to try.
    pub origin: String,
    /// How it imitates the origin it came from.
    pub trick: Trick,
}

/// The bypass family of `origin` (`scheme://host[:port]`); empty for anything else.
///
/// ```
/// use cors_lint::{family, Trick};
///
/// let family = family("https://app.example.com");
/// let find = |trick| family.iter().filter(move |c| c.trick == trick).map(|c| c.origin.as_str());
/// assert!(find(Trick::Suffix).any(|o| o == "https://app.example.com.evil.net"));
/// assert!(find(Trick::Prefix).any(|o| o == "https://evilapp.example.com"));
/// assert!(find(Trick::Prefix).any(|o| o == "https://evil-app.example.com"));
/// assert!(find(Trick::Parent).any(|o| o == "https://example.com"));
/// assert!(find(Trick::SchemeDowngrade).any(|o| o == "http://app.example.com"));
/// assert!(find(Trick::DotLookalike).any(|o| o == "https://appxexample.com"));
/// assert!(find(Trick::Userinfo).any(|o| o == "https://app.example.com@evil.net"));
/// ```
pub fn family(origin: &str) -> Vec<Candidate> {
    let Some((scheme, authority)) = origin.split_once("://") else {
        return Vec::new();
    };
    let (host, port) = split_port(authority);
    let port_suffix = port.map(|p| format!(":{p}")).unwrap_or_default();
    let mut out = Vec::new();
    let mut add = |trick, origin: String| out.push(Candidate { origin, trick });
    let at = |host: &str| format!("{scheme}://{host}{port_suffix}");

    add(Trick::Suffix, at(&format!("{host}.{ATTACKER}")));
    add(Trick::Suffix, at(&format!("{host}-{ATTACKER}")));
    add(Trick::Suffix, at(&format!("{host}{ATTACKER}")));
    if port.is_some() {
        add(Trick::Suffix, format!("{scheme}://{host}.{ATTACKER}"));
    }
    add(Trick::Prefix, at(&format!("evil{host}")));
    add(Trick::Prefix, at(&format!("evil-{host}")));
    add(Trick::Deeper, at(&format!("evil.{host}")));
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() > 2 && !is_ip(host) {
        add(Trick::Parent, at(&labels[1..].join(".")));
    }
    match scheme {
        "https" => add(Trick::SchemeDowngrade, format!("http://{authority}")),
        "http" => add(Trick::SchemeUpgrade, format!("https://{authority}")),
        _ => {}
    }
    match port {
        None => {
            add(Trick::OtherPort, format!("{scheme}://{host}:8443"));
            add(Trick::OtherPort, format!("{scheme}://{host}:8080"));
        }
        Some(p) => {
            add(Trick::OtherPort, format!("{scheme}://{host}"));
            let other = p.parse::<u16>().map_or(8443, |p| p.wrapping_add(1).max(1));
            add(Trick::OtherPort, format!("{scheme}://{host}:{other}"));
        }
    }
    add(Trick::Null, "null".to_owned());
    for (i, _) in host.match_indices('.') {
        let mut lookalike = host.to_owned();
        lookalike.replace_range(i..=i, "x");
        add(Trick::DotLookalike, at(&lookalike));
    }
    add(
        Trick::Userinfo,
        format!("{scheme}://{authority}@{ATTACKER}"),
    );
    out
}

/// Every origin worth trying against entries like `bases` (configured origins, origins a
/// regex matches): each base's bypass family, an unrelated site and `null`, each with how it
/// was made and the base it imitates (empty for the last two). Only origins a browser can
/// send are kept: the others are no bypass.
pub(crate) fn tries(bases: &[String]) -> BTreeMap<String, (Trick, String)> {
    let mut out: BTreeMap<String, (Trick, String)> = BTreeMap::new();
    for base in bases {
        let base = stand_in(base);
        for Candidate { origin, trick } in family(&base) {
            out.entry(origin).or_insert((trick, base.clone()));
        }
    }
    out.entry(format!("https://{ATTACKER}"))
        .or_insert((Trick::Unrelated, String::new()));
    out.insert("null".to_owned(), (Trick::Null, String::new()));
    out.retain(|origin, _| browser_can_send(origin));
    out
}

/// An origin for a configured entry: a subdomain pattern `https://*.example.com` stands as
/// `https://app.example.com`; anything else as itself.
pub(crate) fn stand_in(entry: &str) -> String {
    entry.replacen("://*.", "://app.", 1)
}

/// Whether a browser can send `origin` as an `Origin` header: `null`, or an origin
/// already in the serialised form cors-core compares in ([`cors_core::serialised_origin`]:
/// lower case, no userinfo, no default port, a host the URL parser keeps as written).
/// Origins no browser sends are tried but never reported: they are no bypass.
///
/// ```
/// use cors_lint::browser_can_send;
///
/// assert!(browser_can_send("https://app.example.com.evil.net"));
/// assert!(browser_can_send("http://127.0.0.1:8000"));
/// assert!(browser_can_send("null"));
/// assert!(!browser_can_send("http://127x0.0.1")); // ends in a number, not an IPv4 address
/// assert!(!browser_can_send("https://app.example.com@evil.net"));
/// assert!(!browser_can_send("https://example.com:443"));
/// ```
pub fn browser_can_send(origin: &str) -> bool {
    !origin.contains('*') && cors_core::serialised_origin(origin).is_ok_and(|s| s == origin)
}

/// `host[:port]`, with `[v6]` hosts.
fn split_port(authority: &str) -> (&str, Option<&str>) {
    let after_host = authority.rfind(']').map_or(0, |end| end + 1);
    match authority[after_host..].rfind(':') {
        Some(colon) => {
            let colon = after_host + colon;
            (&authority[..colon], Some(&authority[colon + 1..]))
        }
        None => (authority, None),
    }
}

fn is_ip(host: &str) -> bool {
    host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_and_ips() {
        let family = family("http://127.0.0.1:8000");
        let origins: Vec<&str> = family.iter().map(|c| c.origin.as_str()).collect();
        assert!(origins.contains(&"http://127.0.0.1.evil.net"));
        assert!(origins.contains(&"http://127.0.0.1.evil.net:8000"));
        assert!(origins.contains(&"http://127.0.0.1"));
        assert!(origins.contains(&"http://127.0.0.1:8001"));
        assert!(origins.contains(&"https://127.0.0.1:8000"));
        assert!(origins.contains(&"http://127x0.0.1:8000"));
        assert!(!family.iter().any(|c| c.trick == Trick::Parent));
        assert_eq!(split_port("[::1]:3000"), ("[::1]", Some("3000")));
        assert_eq!(split_port("[::1]"), ("[::1]", None));
    }

    #[test]
    fn not_an_origin_has_no_family() {
        assert!(family("example.com").is_empty());
    }
}
