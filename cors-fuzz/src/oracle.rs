//! Which origins a policy's settings admit, written apart from the engine: the exact
//! oracle for origin regexes and subdomain patterns.
//!
//! - A regex is compiled **alone**, with the `regex` crate, as written. One that does not
//!   compile alone admits nothing, and the policy must not build.
//! - A regex admits an origin when the whole origin is in its language: a lazy DFA with
//!   every match kind runs over the whole origin from its first byte, and the state after
//!   the end of input decides. No wrapping in text, no leftmost-first search that could
//!   stop at a shorter match (`a\.com|a\.com\.evil\.net` does admit `a.com.evil.net`).
//! - A subdomain pattern `scheme://*.base[:port]` admits one or more labels in front of
//!   the base, compared label by label.
//! - Only origins in serialised form are admitted, and `null` never by a regex or pattern.

use regex_automata::hybrid::dfa::DFA;
use regex_automata::{Anchored, Input, MatchKind};

/// The longest `Origin` a policy looks at (`cors_core::MAX_ORIGIN_LEN`, restated).
const LONGEST: usize = 1024;

/// Whether `origin` is an origin in the form browsers serialise it, other than `null`:
/// `scheme://host[:port]`, lower case, a scheme starting with a letter, a host of
/// `a-z 0-9 . - _` or a bracketed IPv6 address of `0-9 a-f : .`, a port of 1 to 5 digits,
/// at most 1,024 bytes.
///
/// ```
/// use cors_fuzz::oracle::is_browser_origin;
/// assert!(is_browser_origin("https://app.example.com:8443"));
/// assert!(is_browser_origin("http://[::ffff:7f00:1]"));
/// assert!(!is_browser_origin("https://a.com:"));
/// assert!(!is_browser_origin("https://a:b:c"));
/// assert!(!is_browser_origin("null"));
/// ```
pub fn is_browser_origin(origin: &str) -> bool {
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_lowercase())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+-.".contains(&b));
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let Some((inside, after)) = v6.split_once(']') else {
            return false;
        };
        if inside.is_empty()
            || !inside
                .bytes()
                .all(|b| b.is_ascii_digit() || b"abcdef:.".contains(&b))
        {
            return false;
        }
        (Some(inside), after)
    } else {
        let end = authority.find(':').unwrap_or(authority.len());
        let (host, after) = authority.split_at(end);
        let host_ok = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        (host_ok.then_some(host), after)
    };
    let port_ok = match port.strip_prefix(':') {
        None => port.is_empty(),
        Some(digits) => {
            (1..=5).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
        }
    };
    origin.len() <= LONGEST && scheme_ok && host.is_some() && port_ok
}

/// Whether the regex `raw`, compiled alone, matches all of `origin`; `None` when `raw`
/// does not compile alone (then the policy must refuse it) or the automaton gives up.
///
/// ```
/// use cors_fuzz::oracle::regex_accepts_whole;
///
/// assert_eq!(regex_accepts_whole(r"https://a\.com", "https://a.com"), Some(true));
/// assert_eq!(regex_accepts_whole(r"https://a\.com", "https://a.com.evil.net"), Some(false));
/// assert_eq!(regex_accepts_whole(r"a|a\.evil", "a.evil"), Some(true));
/// assert_eq!(regex_accepts_whole(r"https://a\.com)|(b", "https://a.com"), None);
/// ```
pub fn regex_accepts_whole(raw: &str, origin: &str) -> Option<bool> {
    regex::Regex::new(raw).ok()?;
    let dfa = DFA::builder()
        .configure(
            DFA::config()
                .match_kind(MatchKind::All)
                .unicode_word_boundary(true),
        )
        .build(raw)
        .ok()?;
    let mut cache = dfa.create_cache();
    let input = Input::new(origin).anchored(Anchored::Yes);
    let mut state = dfa.start_state_forward(&mut cache, &input).ok()?;
    for &byte in origin.as_bytes() {
        state = dfa.next_state(&mut cache, state, byte).ok()?;
        if state.is_dead() {
            return Some(false);
        }
        if state.is_quit() {
            return None;
        }
    }
    Some(dfa.next_eoi_state(&mut cache, state).ok()?.is_match())
}

/// Whether a subdomain pattern entry (`https://*.example.com`, `http://*.Example.com:8080`)
/// admits `origin`: the same scheme, one or more labels of `a-z 0-9 - _` (1 to 63 each)
/// in front of the base, and the same port. The entry's case and default port are read
/// as browsers serialise them.
///
/// ```
/// use cors_fuzz::oracle::pattern_admits;
///
/// assert!(pattern_admits("https://*.example.com", "https://a.b.example.com"));
/// assert!(!pattern_admits("https://*.example.com", "https://example.com"));
/// assert!(!pattern_admits("https://*.example.com", "https://aexample.com"));
/// assert!(!pattern_admits("https://*.example.com", "https://a.example.com:8443"));
/// assert!(pattern_admits("HTTPS://*.Example.com:443", "https://a.example.com"));
/// ```
pub fn pattern_admits(entry: &str, origin: &str) -> bool {
    let Some((scheme, rest)) = entry.split_once("://*.") else {
        return false;
    };
    let scheme = scheme.to_ascii_lowercase();
    let rest = rest.to_ascii_lowercase();
    let default = match scheme.as_str() {
        "http" | "ws" => Some("80"),
        "https" | "wss" => Some("443"),
        _ => None,
    };
    let (base, port) = match rest.rsplit_once(':') {
        Some((base, port)) if Some(port) == default => (base, None),
        Some((base, port)) => (base, Some(port)),
        None => (rest.as_str(), None),
    };
    let Some(authority) = origin
        .strip_prefix(scheme.as_str())
        .and_then(|o| o.strip_prefix("://"))
    else {
        return false;
    };
    let host = match port {
        Some(port) => match authority.rsplit_once(':') {
            Some((host, p)) if p == port => host,
            _ => return false,
        },
        None if authority.contains(':') => return false,
        None => authority,
    };
    let Some(labels) = host.strip_suffix(base).and_then(|h| h.strip_suffix('.')) else {
        return false;
    };
    !labels.is_empty()
        && labels.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        })
}

/// Whether origin regexes and subdomain patterns admit `origin` (listed origins,
/// allow-all and predicates are the caller's): serialised, not `null`, and matched in
/// full by a regex or label by label by a pattern.
///
/// ```
/// use cors_fuzz::oracle::matched;
///
/// let patterns = ["https://*.example.org".to_owned()];
/// let regexes = [r"https://[a-z]+\.example\.net".to_owned()];
/// assert!(matched(&patterns, &regexes, "https://a.example.org"));
/// assert!(matched(&patterns, &regexes, "https://a.example.net"));
/// assert!(!matched(&patterns, &regexes, "https://a.example.net.evil.com"));
/// assert!(!matched(&patterns, &regexes, "null"));
/// ```
pub fn matched(patterns: &[String], regexes: &[String], origin: &str) -> bool {
    is_browser_origin(origin)
        && (patterns.iter().any(|p| pattern_admits(p, origin))
            || regexes
                .iter()
                .any(|r| regex_accepts_whole(r, origin) == Some(true)))
}
