//! Which origins are allowed: exact origins, subdomain patterns, full-match regexes and a
//! user predicate, compiled once.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use regex_automata::meta;
use rustc_hash::FxHashSet;

use crate::any_website::{self, Reach};
use crate::config::CorsConfig;
use crate::error::{ConfigError, ConfigErrorKind};
use crate::origin::{self, OriginEntry, SubdomainPattern};
use crate::user_regex;
use crate::warning::ConfigWarning;

/// A user check for origins the configuration cannot list, such as origins kept in a database.
///
/// It is asked last, after the exact origins, subdomain patterns and regexes missed, and only
/// with origins in serialised form (`scheme://host[:port]`); it never sees `null`, malformed
/// or over-long values. It runs on every such request, so keep it fast (an in-memory lookup);
/// to reload the list from a database periodically, see
/// [`Cors::replace_allowed_origins`](crate::Cors::replace_allowed_origins).
///
/// ```
/// use cors_core::{CorsConfig, OriginPredicate};
///
/// let tenants = ["https://acme.example.net", "https://globex.example.net"];
/// let predicate = OriginPredicate::new(move |origin: &str| tenants.contains(&origin));
/// let cors = CorsConfig::new().allow_origin_fn(predicate).build()?;
/// assert!(cors.is_origin_allowed(b"https://acme.example.net"));
/// assert!(!cors.is_origin_allowed(b"https://initech.example.net"));
/// # Ok::<(), cors_core::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct OriginPredicate(Arc<dyn Fn(&str) -> bool + Send + Sync>);

impl OriginPredicate {
    /// Wraps a function from a serialised origin to "allowed?".
    ///
    /// ```
    /// # use cors_core::OriginPredicate;
    /// let p = OriginPredicate::new(|origin: &str| origin.ends_with(".internal.test"));
    /// assert!(p.allows("https://a.internal.test"));
    /// ```
    pub fn new(f: impl Fn(&str) -> bool + Send + Sync + 'static) -> Self {
        OriginPredicate(Arc::new(f))
    }

    /// Asks the predicate about one origin.
    ///
    /// ```
    /// # use cors_core::OriginPredicate;
    /// let p = OriginPredicate::new(|_: &str| false);
    /// assert!(!p.allows("https://a.com"));
    /// ```
    pub fn allows(&self, origin: &str) -> bool {
        (self.0)(origin)
    }
}

/// Two predicates are equal when they are the same function object (clones of one
/// `OriginPredicate`), since functions cannot be compared.
impl PartialEq for OriginPredicate {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for OriginPredicate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OriginPredicate(..)")
    }
}

/// How the policy sends credentials, as far as the origin lists are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Credentials {
    /// `allow_credentials` is off.
    Off,
    /// `allow_credentials` is on: nothing any website can produce may be allowed.
    On,
    /// `allow_credentials` with `allow_credentials_with_any_origin`: the user accepts that
    /// any website reads responses with cookies (allow-all, `null`, a regex for any domain).
    OnForAnyOrigin,
}

impl Credentials {
    pub(crate) fn of(config: &CorsConfig) -> Self {
        match (
            config.allow_credentials,
            config.allow_credentials_with_any_origin,
        ) {
            (false, _) => Credentials::Off,
            (true, false) => Credentials::On,
            (true, true) => Credentials::OnForAnyOrigin,
        }
    }
}

const FIELD: &str = "allowed_origin_regexes";

/// The replaceable part of the origin policy: listed origins, patterns and regexes.
#[derive(Debug)]
pub(crate) struct OriginList {
    exact: FxHashSet<Box<[u8]>>,
    patterns: Vec<SubdomainPattern>,
    regexes: Option<meta::Regex>,
    /// Whether the lists let any website in (`null` listed, or a regex for any domain).
    any_website: bool,
}

impl OriginList {
    /// Validates and compiles the two configuration lists.
    pub(crate) fn build(
        origins: &[String],
        regexes: &[String],
        credentials: Credentials,
        warnings: &mut Vec<ConfigWarning>,
    ) -> Result<Self, ConfigError> {
        let mut exact = FxHashSet::default();
        let mut patterns = Vec::new();
        let mut any_website = false;
        for raw in origins {
            let entry = origin::parse_entry(raw, warnings)?;
            let origin = match &entry {
                OriginEntry::Exact(o) => Cow::Borrowed(o.as_str()),
                OriginEntry::Pattern(p) => Cow::Owned(p.with_label("x")),
            };
            if origin == "null" {
                any_website = true;
                if credentials == Credentials::On {
                    return Err(null_with_credentials());
                }
            } else if credentials != Credentials::Off
                && origin.starts_with("http://")
                && !origin::is_local_host(host_of(&origin))
            {
                warnings.push(ConfigWarning::new(
                    "allowed_origins",
                    raw.clone(),
                    "is plain http with credentials: anyone on the network path can \
                     run script as this origin and read the responses",
                ));
            }
            match entry {
                OriginEntry::Exact(o) => {
                    exact.insert(o.into_bytes().into_boxed_slice());
                }
                OriginEntry::Pattern(p) => patterns.push(p),
            }
        }
        let regexes = if regexes.is_empty() {
            None
        } else {
            let mut anchored = Vec::with_capacity(regexes.len());
            for raw in regexes {
                let hir = user_regex::parse_full_match(FIELD, raw)?;
                match any_website::reach(raw, &hir) {
                    Reach::Bounded => {}
                    Reach::AnyWebsite(witness) => {
                        any_website = true;
                        if credentials == Credentials::On {
                            return Err(regex_for_any_domain(raw, &witness));
                        }
                        warnings.push(ConfigWarning::new(
                            FIELD,
                            raw.clone(),
                            format!(
                                "admits websites on domains anyone can register (it matches \
                                 `{witness}`): they can all read these responses; if that is \
                                 meant, allow_all_origins says so"
                            ),
                        ));
                    }
                    Reach::Undecided(why) => {
                        any_website = true;
                        if credentials == Credentials::On {
                            return Err(any_website::too_complex(raw, &why));
                        }
                        warnings.push(ConfigWarning::new(
                            FIELD,
                            raw.clone(),
                            format!(
                                "is too complex to tell which websites it admits ({why}); \
                                 it is treated as admitting any website"
                            ),
                        ));
                    }
                }
                if let Some(warning) = unescaped_dot(raw) {
                    warnings.push(warning);
                }
                if credentials != Credentials::Off
                    && let Some(origin) = any_website::plain_http_origin(&hir)
                {
                    warnings.push(ConfigWarning::new(
                        FIELD,
                        raw.clone(),
                        format!(
                            "matches plain http origins (such as `{origin}`) with credentials: \
                             anyone on the network path can run script as that origin and \
                             read the responses"
                        ),
                    ));
                }
                anchored.push(hir);
            }
            Some(user_regex::compile(FIELD, regexes, &anchored)?)
        };
        Ok(OriginList {
            exact,
            patterns,
            regexes,
            any_website,
        })
    }

    /// Whether the lists let any website in: `null` is listed, or a regex matches any
    /// domain.
    pub(crate) fn admits_any_website(&self) -> bool {
        self.any_website
    }

    /// Whether `origin` is one of the listed origins (compared byte for byte; listed
    /// origins are in serialised form, so a hit needs no further check).
    pub(crate) fn lists(&self, origin: &[u8]) -> bool {
        self.exact.contains(origin)
    }

    /// Whether a serialised origin other than `null` matches a subdomain pattern or a
    /// regex. `null` is allowed only by listing it, never by a pattern or regex.
    pub(crate) fn matches(&self, origin: &str) -> bool {
        origin != "null"
            && (self.patterns.iter().any(|p| p.matches(origin))
                || self
                    .regexes
                    .as_ref()
                    .is_some_and(|set| set.is_match(origin)))
    }

    /// Whether nothing is listed at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.patterns.is_empty() && self.regexes.is_none()
    }
}

fn host_of(origin: &str) -> &str {
    let rest = origin.split_once("://").map_or(origin, |(_, r)| r);
    match rest.find(']') {
        Some(end) if rest.starts_with('[') => &rest[..=end],
        _ => rest.split(':').next().unwrap_or(rest),
    }
}

fn null_with_credentials() -> ConfigError {
    ConfigError::new(
        ConfigErrorKind::NullWithCredentials,
        "allowed_origins",
        "null",
        "together with allow_credentials would let every website read your users' data \
         with their cookies: any page can send `Origin: null` from a sandboxed iframe",
    )
    .hint(
        "remove `null` and serve the page that needs the API from a listed origin; if you \
         really accept any website, also set allow_credentials_with_any_origin = true",
    )
}

fn regex_for_any_domain(raw: &str, witness: &str) -> ConfigError {
    ConfigError::new(
        ConfigErrorKind::OriginRegexForAnyDomain,
        FIELD,
        raw,
        format!(
            "admits websites on domains anyone can register (it matches `{witness}`), so with \
             allow_credentials any of them could read your users' data with their cookies"
        ),
    )
    .hint(
        "tie it to your domain, such as `https://([a-z0-9-]+\\.)*example\\.com`; if you \
         really accept any website, also set allow_credentials_with_any_origin = true",
    )
}

/// Warns for a `.` that is not escaped between two domain labels
/// ([`escape_label_dots`](crate::escape_label_dots)), as in `https://app.example.com`,
/// where it also matches `https://appxexample.com`.
fn unescaped_dot(raw: &str) -> Option<ConfigWarning> {
    crate::escape_label_dots(raw)?;
    Some(ConfigWarning::new(
        "allowed_origin_regexes",
        raw,
        "has an unescaped `.` between domain labels; it matches any character, \
         so another registrable domain can match: write `\\.`",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    impl OriginList {
        fn allows(&self, origin: &str) -> bool {
            self.lists(origin.as_bytes()) || self.matches(origin)
        }
    }

    fn list(origins: &[&str], regexes: &[&str]) -> OriginList {
        let o: Vec<String> = origins.iter().map(|s| s.to_string()).collect();
        let r: Vec<String> = regexes.iter().map(|s| s.to_string()).collect();
        OriginList::build(&o, &r, Credentials::Off, &mut Vec::new()).unwrap()
    }

    #[test]
    fn predicates_equal_only_their_clones() {
        let p = OriginPredicate::new(|_: &str| true);
        let q = OriginPredicate::new(|_: &str| true);
        assert_eq!(p, p.clone());
        assert_ne!(p, q);
    }

    #[test]
    fn regexes_match_the_whole_origin() {
        let l = list(&[], &[r"https://[a-z]+\.example\.com"]);
        assert!(l.allows("https://app.example.com"));
        assert!(!l.allows("https://app.example.com.evil.com"));
        assert!(!l.allows("xhttps://app.example.com"));
    }

    #[test]
    fn user_anchors_and_alternations_stay_anchored() {
        let l = list(&[], &[r"^https://a\.com$|https://b\.com"]);
        assert!(l.allows("https://a.com"));
        assert!(l.allows("https://b.com"));
        assert!(!l.allows("https://b.com.evil.net"));
        assert!(!l.allows("https://evil.net/https://b.com"));
    }

    #[test]
    fn django_style_unanchored_regex_is_contained() {
        let l = list(&[], &[r"(?:https?:\/\/)127.0.0.1:*"]);
        assert!(!l.allows("http://127.0.0.1.evil.com"));
        assert!(!l.allows("http://127.0.0.1:8000"));
        assert!(l.allows("http://127.0.0.1:"));
    }

    #[test]
    fn null_needs_listing_even_when_a_regex_matches_it() {
        assert!(!list(&[], &[".*"]).allows("null"));
        assert!(list(&["null"], &[]).allows("null"));
    }

    #[test]
    fn warns_on_unescaped_dots() {
        assert!(unescaped_dot(r"https://app.example.com").is_some());
        assert!(unescaped_dot(r"https://app\.example\.com").is_none());
        assert!(unescaped_dot(r"https://[a-z.]+\.example\.com").is_none());
        assert!(unescaped_dot(r"https://.*\.example\.com").is_none());
    }

    #[test]
    fn host_of_origin() {
        assert_eq!(host_of("http://a.com:80"), "a.com");
        assert_eq!(host_of("http://a.com"), "a.com");
        assert_eq!(host_of("http://[::1]:80"), "[::1]");
        assert_eq!(host_of("http://[::1]"), "[::1]");
    }
}
