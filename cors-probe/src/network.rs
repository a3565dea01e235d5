//! Address spaces, as Chrome's Local Network Access sorts them: a page may not reach a more
//! private address space than its own without the user's permission.

use std::net::IpAddr;

/// Where an address sits, from the most public to the most private.
///
/// ```
/// use cors_probe::AddressSpace;
///
/// assert_eq!(AddressSpace::of_ip("127.0.0.1".parse().unwrap()), AddressSpace::Loopback);
/// assert_eq!(AddressSpace::of_ip("192.168.1.20".parse().unwrap()), AddressSpace::Local);
/// assert_eq!(AddressSpace::of_ip("93.184.215.14".parse().unwrap()), AddressSpace::Public);
/// assert!(AddressSpace::Loopback > AddressSpace::Public);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AddressSpace {
    /// Any other address.
    Public,
    /// A private network: 10/8, 172.16/12, 192.168/16, 169.254/16, 100.64/10, fc00::/7,
    /// fe80::/10.
    Local,
    /// This machine: 127/8, `::1`, and the name `localhost` with its subdomains.
    Loopback,
}

impl AddressSpace {
    /// The space of an IP address (an IPv4-mapped IPv6 address as its IPv4 one).
    pub fn of_ip(ip: IpAddr) -> AddressSpace {
        match ip.to_canonical() {
            IpAddr::V4(v4) => {
                let [a, b, ..] = v4.octets();
                if v4.is_loopback() {
                    AddressSpace::Loopback
                } else if v4.is_private() || v4.is_link_local() || (a == 100 && b & 0xc0 == 64) {
                    AddressSpace::Local
                } else {
                    AddressSpace::Public
                }
            }
            IpAddr::V6(v6) => {
                let first = v6.segments()[0];
                if v6.is_loopback() {
                    AddressSpace::Loopback
                } else if first & 0xfe00 == 0xfc00 || first & 0xffc0 == 0xfe80 {
                    AddressSpace::Local
                } else {
                    AddressSpace::Public
                }
            }
        }
    }

    /// The space of a page's host as the page's origin gives it: an IP literal by its
    /// address, `localhost` and `*.localhost` as loopback, any other name as public (the
    /// address the page was served from is not in its origin; a page on a name that
    /// resolves to a private address is taken as public, which errs toward the note).
    ///
    /// ```
    /// use cors_probe::AddressSpace;
    ///
    /// assert_eq!(AddressSpace::of_host("localhost"), AddressSpace::Loopback);
    /// assert_eq!(AddressSpace::of_host("[::1]"), AddressSpace::Loopback);
    /// assert_eq!(AddressSpace::of_host("10.0.0.8"), AddressSpace::Local);
    /// assert_eq!(AddressSpace::of_host("app.example.com"), AddressSpace::Public);
    /// ```
    pub fn of_host(host: &str) -> AddressSpace {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        if host == "localhost" || host.ends_with(".localhost") {
            return AddressSpace::Loopback;
        }
        let literal = host.strip_prefix('[').and_then(|h| h.strip_suffix(']'));
        match literal.unwrap_or(&host).parse::<IpAddr>() {
            Ok(ip) => AddressSpace::of_ip(ip),
            Err(_) => AddressSpace::Public,
        }
    }

    /// `public`, `private` or `loopback`.
    pub fn name(self) -> &'static str {
        match self {
            AddressSpace::Public => "public",
            AddressSpace::Local => "private",
            AddressSpace::Loopback => "loopback",
        }
    }
}

/// The host of an origin (`https://app.example.com:8443` → `app.example.com`), or `None`
/// for an opaque origin (`null`) or text that is not an origin.
pub(crate) fn origin_host(origin: &str) -> Option<&str> {
    let (_, rest) = origin.split_once("://")?;
    if rest.starts_with('[') {
        let end = rest.find(']')?;
        return Some(&rest[..=end]);
    }
    let host = rest.split([':', '/']).next()?;
    (!host.is_empty()).then_some(host)
}

/// Whether a URL's host is "potentially trustworthy" by its name or address alone: the
/// loopback addresses and `localhost` with its subdomains (a page may fetch these over
/// `http://` from an `https://` page, and an `http://` page on them is a secure context).
pub(crate) fn potentially_trustworthy(url: &reqwest::Url) -> bool {
    url.scheme() == "https"
        || url
            .host_str()
            .is_some_and(|host| AddressSpace::of_host(host) == AddressSpace::Loopback)
}

/// HTML's "same site": the same scheme and the same registrable domain (the host itself
/// for an address, `localhost`, or a name under no public suffix).
pub(crate) fn same_site(page: &reqwest::Url, url: &reqwest::Url) -> bool {
    let site = |url: &reqwest::Url| -> Option<String> {
        let host = url.host_str()?.to_ascii_lowercase();
        let registrable = url
            .domain()
            .and_then(|_| psl::domain_str(&host))
            .map(str::to_owned);
        Some(registrable.unwrap_or(host))
    };
    page.scheme() == url.scheme() && site(page).is_some() && site(page) == site(url)
}

/// The note for a page that reaches a more private address space than its own (Chrome's
/// Local Network Access): a permission prompt from a secure page, a refusal from a page that
/// is not a secure context.
pub(crate) fn local_network_note(origin: &str, target: IpAddr) -> Option<String> {
    let host = origin_host(origin)?;
    let page = AddressSpace::of_host(host);
    let target_space = AddressSpace::of_ip(target);
    if target_space <= page {
        return None;
    }
    let taken = if page == AddressSpace::Public && host.parse::<IpAddr>().is_err() {
        " (taken as public: its address is not in its origin)"
    } else {
        ""
    };
    let secure = origin.starts_with("https://") || page == AddressSpace::Loopback;
    Some(if secure {
        format!(
            "Local Network Access: the URL is on a {} address ({target}), more private than \
             the page on {origin}{taken}: Chrome 142 and later ask the user for permission \
             before the page may reach it, whatever the server answers (no preflight is \
             involved); if the user declines, the fetch fails",
            target_space.name()
        )
    } else {
        format!(
            "Local Network Access: the URL is on a {} address ({target}), more private than \
             the page on {origin}{taken}, which is not a secure context (http://): Chrome 142 \
             and later fail the fetch without asking; serve the page over https://",
            target_space.name()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces() {
        for (ip, space) in [
            ("127.0.0.1", AddressSpace::Loopback),
            ("127.255.0.9", AddressSpace::Loopback),
            ("::1", AddressSpace::Loopback),
            ("::ffff:127.0.0.1", AddressSpace::Loopback),
            ("10.1.2.3", AddressSpace::Local),
            ("172.16.0.1", AddressSpace::Local),
            ("172.32.0.1", AddressSpace::Public),
            ("192.168.0.1", AddressSpace::Local),
            ("169.254.1.1", AddressSpace::Local),
            ("100.64.0.1", AddressSpace::Local),
            ("100.128.0.1", AddressSpace::Public),
            ("fd00::1", AddressSpace::Local),
            ("fe80::1", AddressSpace::Local),
            ("2001:db8::1", AddressSpace::Public),
            ("8.8.8.8", AddressSpace::Public),
        ] {
            assert_eq!(AddressSpace::of_ip(ip.parse().unwrap()), space, "{ip}");
        }
    }

    #[test]
    fn origins() {
        assert_eq!(origin_host("https://a.example:8443"), Some("a.example"));
        assert_eq!(origin_host("http://[::1]:3000"), Some("[::1]"));
        assert_eq!(origin_host("null"), None);
        assert_eq!(origin_host("http://"), None);
        let loopback = "127.0.0.1".parse().unwrap();
        assert!(
            local_network_note("https://app.example.com", loopback)
                .unwrap()
                .contains("(taken as public: its address is not in its origin): Chrome 142 and later ask the user")
        );
        assert!(
            local_network_note("http://app.example.com", loopback)
                .unwrap()
                .contains("which is not a secure context (http://): Chrome 142 and later fail the fetch without asking")
        );
        assert!(local_network_note("http://localhost:3000", loopback).is_none());
        assert!(local_network_note("http://192.168.0.2:3000", loopback).is_some());
        assert!(
            local_network_note("http://192.168.0.2:3000", "192.168.0.9".parse().unwrap()).is_none()
        );
        assert!(local_network_note("null", loopback).is_none());
    }

    #[test]
    fn sites_and_trust() {
        let url = |u: &str| reqwest::Url::parse(u).unwrap();
        assert!(same_site(
            &url("https://app.example.com"),
            &url("https://api.example.com/x")
        ));
        assert!(!same_site(
            &url("http://app.example.com"),
            &url("https://api.example.com/x")
        ));
        assert!(!same_site(
            &url("https://a.github.io"),
            &url("https://b.github.io/")
        ));
        assert!(same_site(
            &url("http://localhost:3000"),
            &url("http://localhost:8000/")
        ));
        assert!(!same_site(
            &url("http://localhost:3000"),
            &url("http://127.0.0.1:8000/")
        ));
        assert!(same_site(
            &url("http://127.0.0.1:3000"),
            &url("http://127.0.0.1:8000/")
        ));
        assert!(potentially_trustworthy(&url("http://127.0.0.2:1/")));
        assert!(potentially_trustworthy(&url("http://api.localhost/")));
        assert!(potentially_trustworthy(&url("http://[::1]:8000/")));
        assert!(!potentially_trustworthy(&url("http://192.168.0.1/")));
        assert!(potentially_trustworthy(&url("https://example.com/")));
    }
}
