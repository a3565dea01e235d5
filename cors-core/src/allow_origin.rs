//! `allowed_origins`, `allowed_origin_regexes`, `allow_all_origins` and the origin
//! predicate: which origins are allowed, and the `Access-Control-Allow-Origin` answer.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use regex_automata::meta;
use rustc_hash::FxHashSet;

use crate::any_website::{self, Reach};
use crate::build::Found;
use crate::config::CorsConfig;
use crate::credentials::{self, Credentials};
use crate::headers::{Mirror, STAR, Value};
use crate::origin::{self, OriginEntry, SubdomainPattern};
use crate::origin_check::AsyncOriginPredicate;
use crate::origin_lists::OriginLists;
use crate::reason::Reason;
use crate::request::HeaderField;
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
/// # Ok::<(), cors_core::ConfigErrors>(())
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

/// How `allow_all_origins` answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AnyOrigin {
    /// Off: only listed, matched or predicate-approved origins.
    No,
    /// `Access-Control-Allow-Origin: *`. Only without credentials.
    Wildcard,
    /// Reflect any serialised origin but `null`. Only with credentials and
    /// `allow_credentials_with_any_origin` ([`credentials`](crate::credentials)).
    Reflect,
}

impl AnyOrigin {
    pub(crate) fn of(config: &CorsConfig) -> Self {
        match (
            config.allow_all_origins,
            config.allow_credentials,
            config.allow_credentials_with_any_origin,
        ) {
            (false, _, _) => AnyOrigin::No,
            // Never `*` with credentials.
            (true, false, _) => AnyOrigin::Wildcard,
            (true, true, true) => AnyOrigin::Reflect,
            // Refused (`credentials::check_any_origin`); allows nothing meanwhile.
            (true, true, false) => AnyOrigin::No,
        }
    }
}

/// The compiled origin rules, asked in this order: `allow_all_origins` with `*`, the listed
/// origins, then (for serialised origins only) patterns and regexes, allow-all by
/// reflection, and the predicate.
pub(crate) struct AllowOrigin {
    pub(crate) any: AnyOrigin,
    /// Replaced whole by [`Cors::replace_allowed_origins`](crate::Cors::replace_allowed_origins);
    /// a request sees the old lists or the new, never a mix.
    pub(crate) lists: OriginLists,
    /// Never asked about `null`, malformed or over-long values.
    pub(crate) predicate: Option<OriginPredicate>,
    /// Asked last, by the adapter, about an origin everything else refused: the same
    /// values as `predicate`.
    pub(crate) asynchronous: Option<AsyncOriginPredicate>,
}

/// The origin lists as compiled, and as configured (for [`Cors::config`](crate::Cors::config)).
#[derive(Debug)]
pub(crate) struct Origins {
    pub(crate) compiled: OriginList,
    pub(crate) origins: Vec<String>,
    pub(crate) regexes: Vec<String>,
}

impl AllowOrigin {
    /// Checks the `Origin` header: `Some(origin)` to echo it, `None` to answer `*`, or why
    /// it is refused. A [serialised origin](https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin)
    /// is all a browser sends, so nothing else is ever allowed.
    pub(crate) fn check<'a>(
        &self,
        field: HeaderField<'a>,
    ) -> Result<Option<&'a [u8]>, Reason<'static>> {
        let bytes = match field {
            HeaderField::Absent => return Err(Reason::MalformedOrigin),
            HeaderField::Repeated => return Err(Reason::RepeatedOrigin),
            HeaderField::One(bytes) => bytes,
        };
        if self.any == AnyOrigin::Wildcard {
            return if origin::is_serialised(bytes) {
                Ok(None)
            } else {
                Err(Reason::MalformedOrigin)
            };
        }
        let lists = self.lists.load();
        if bytes.len() <= origin::MAX_ORIGIN_LEN && lists.compiled.lists(bytes) {
            return Ok(Some(bytes));
        }
        // Only serialised origins go further (`is_serialised` admits ASCII alone), so no
        // pattern, regex or predicate ever sees malformed or over-long input.
        if !origin::is_serialised(bytes) {
            return Err(Reason::MalformedOrigin);
        }
        // Nothing but the exact list could allow it: refused, without reading it as text.
        if lists.compiled.is_exact_only()
            && self.any != AnyOrigin::Reflect
            && self.predicate.is_none()
        {
            return Err(Reason::OriginNotAllowed);
        }
        let text = std::str::from_utf8(bytes).map_err(|_| Reason::MalformedOrigin)?;
        let allowed = lists.compiled.matches(text)
            || (text != "null"
                && (self.any == AnyOrigin::Reflect
                    || self.predicate.as_ref().is_some_and(|p| p.allows(text))));
        if allowed {
            Ok(Some(bytes))
        } else {
            Err(Reason::OriginNotAllowed)
        }
    }

    /// The `Access-Control-Allow-Origin` answer for a checked origin: the origin itself, or
    /// `*` (never with credentials: [`AnyOrigin::Wildcard`] exists only without them).
    #[inline]
    pub(crate) fn answer(echo: Option<&[u8]>) -> Value<'_> {
        match echo {
            Some(origin) => Value::Mirror(Mirror::Origin, origin),
            None => Value::Policy(&STAR),
        }
    }

    /// Whether any website can get an allowed answer.
    pub(crate) fn admits_any_website(&self) -> bool {
        self.any != AnyOrigin::No || self.lists.load().compiled.admits_any_website()
    }
}

const FIELD: &str = "allowed_origin_regexes";

/// What the origin lists let in that matters once credentials are on: each is judged by
/// [`credentials`](crate::credentials), an error or a warning depending on the setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Exposure {
    /// `null` is listed: any page can send it from a sandboxed iframe.
    Null,
    /// A regex that matches origins on domains anyone can register, such as `witness`.
    AnyDomain { regex: String, witness: String },
    /// A regex too complex to tell what it admits: treated as admitting any website.
    Undecided { regex: String, why: String },
    /// A plain-http origin of a host that is not local: anyone on the network path can run
    /// script as it. In a regex, only looked for when credentials are on.
    PlainHttp {
        field: &'static str,
        entry: String,
        example: Option<String>,
    },
}

/// The replaceable part of the origin policy: listed origins, patterns and regexes.
#[derive(Debug)]
pub(crate) struct OriginList {
    /// Serialised origins (lower case, no default port) and `null`, compared byte for byte.
    exact: FxHashSet<Box<[u8]>>,
    patterns: Vec<SubdomainPattern>,
    /// Every regex of `allowed_origin_regexes`, each anchored at both ends.
    regexes: Option<meta::Regex>,
    /// Whether the lists let any website in (`null` listed, or a regex for any domain).
    any_website: bool,
}

impl OriginList {
    /// Validates and compiles the two configuration lists. Invalid entries are errors in
    /// `found` and left out; what each entry lets in is judged by
    /// [`credentials::check_exposure`] as it is read.
    pub(crate) fn build(
        origins: &[String],
        regexes: &[String],
        credentials: Credentials,
        found: &mut Found,
    ) -> Self {
        let mut exact = FxHashSet::default();
        let mut patterns = Vec::new();
        let mut any_website = false;
        let mut expose = |exposure: Exposure, found: &mut Found| {
            any_website |= !matches!(exposure, Exposure::PlainHttp { .. });
            credentials::check_exposure(credentials, &exposure, found);
        };
        for raw in origins {
            let parsed = origin::parse_entry(raw, &mut found.warnings);
            let Some(entry) = found.take(parsed) else {
                continue;
            };
            let origin = match &entry {
                OriginEntry::Exact(o) => Cow::Borrowed(o.as_str()),
                OriginEntry::Pattern(p) => Cow::Owned(p.with_label("x")),
            };
            if origin == "null" {
                expose(Exposure::Null, found);
            } else if origin.starts_with("http://") && !origin::is_local_host(host_of(&origin)) {
                let entry = raw.clone();
                let field = "allowed_origins";
                expose(
                    Exposure::PlainHttp {
                        field,
                        entry,
                        example: None,
                    },
                    found,
                );
            }
            match entry {
                OriginEntry::Exact(o) => {
                    exact.insert(o.into_bytes().into_boxed_slice());
                }
                OriginEntry::Pattern(p) => patterns.push(p),
            }
        }
        let mut sources = Vec::with_capacity(regexes.len());
        let mut anchored = Vec::with_capacity(regexes.len());
        for raw in regexes {
            let Some(hir) = found.take(user_regex::parse_full_match(FIELD, raw)) else {
                continue;
            };
            let regex = raw.clone();
            match any_website::reach(raw, &hir) {
                Reach::Bounded => {}
                Reach::AnyWebsite(witness) => expose(Exposure::AnyDomain { regex, witness }, found),
                Reach::Undecided(why) => expose(Exposure::Undecided { regex, why }, found),
            }
            if let Some(warning) = unescaped_dot(raw) {
                found.warn(warning);
            }
            // Read only when it can matter: it walks the regex's automaton.
            if credentials.is_on()
                && let Some(example) = any_website::plain_http_origin(&hir)
            {
                let entry = raw.clone();
                let example = Some(example);
                expose(
                    Exposure::PlainHttp {
                        field: FIELD,
                        entry,
                        example,
                    },
                    found,
                );
            }
            sources.push(raw.clone());
            anchored.push(hir);
        }
        let regexes = if anchored.is_empty() {
            None
        } else {
            found.take(user_regex::compile(FIELD, &sources, &anchored))
        };
        OriginList {
            exact,
            patterns,
            regexes,
            any_website,
        }
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

    /// Whether only exact origins are listed: no pattern, no regex.
    pub(crate) fn is_exact_only(&self) -> bool {
        self.patterns.is_empty() && self.regexes.is_none()
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
        OriginList::build(&o, &r, Credentials::Off, &mut Found::default())
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
