//! Whether an origin regex admits "any website": an origin whose registrable domain an
//! attacker chooses.
//!
//! Decided from what the regex can match, never from a few sample origins. The regex is
//! compiled to a DFA, and so is the *attacker shape*: every origin
//! `http[s]://[labels.]<fresh>.<public suffix>[:port]` or `http[s]://[labels.]<fresh>[:port]`,
//! where `<fresh>` is a label the regex cannot know (see [`fresh_labels`]). Walking both
//! automata in step finds the shortest origin both accept, if there is one: that origin is
//! the witness a user is shown, and an attacker can serve a page from it.
//!
//! So `https://.*\.com`, `https://[a-z0-9-]+\.(com|net)`, `https://app\.example\.org.*`
//! and `https://example\.[a-z]+` admit any website, and `https://([a-z0-9-]+\.)*example\.org`
//! does not.

use std::collections::HashMap;

use regex_automata::dfa::{Automaton, StartKind, dense};
use regex_automata::nfa::thompson;
use regex_automata::util::primitives::StateID;
use regex_automata::{Anchored, Input, MatchKind};
use regex_syntax::hir::Hir;

use crate::error::ConfigError;
use crate::origin::PUBLIC_SUFFIXES;
use crate::user_regex;

/// A dense DFA that owns its tables.
type Dfa = dense::DFA<Vec<u32>>;

/// What an origin regex can match, as far as "any website" goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Only origins on domains the regex names.
    Bounded,
    /// This origin, on a domain an attacker can register, matches.
    AnyWebsite(String),
    /// The regex is too large to decide; taken as admitting any website where that matters.
    Undecided(String),
}

/// The most automaton states the analysis explores before it gives up.
const STATE_LIMIT: usize = 1 << 20;
/// The most memory one analysis DFA may take.
const DFA_LIMIT: usize = 8 << 20;

/// The bytes an origin in serialised form is made of, in the order the witness prefers.
const ORIGIN_BYTES: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789.-_:/[]+";

/// Top-level domains under which anyone can register a name, besides [`PUBLIC_SUFFIXES`].
const OPEN_TLDS: &[&str] = &["com", "net", "org", "io", "dev", "app", "co", "xyz", "me"];

/// Labels tried as the attacker's registrable label, when the regex does not contain them.
const FIXED_LABELS: &[&str] = &["evil", "corsfresh", "qzx", "zq", "q", "xq-7", "7373"];

/// An origin an attacker can serve a page from that the regex matches in full, if there is
/// one, for an origin regex as written in `allowed_origin_regexes`.
///
/// This is how [`CorsConfig::build`](crate::CorsConfig::build) decides that a regex admits
/// any website (refused with credentials unless `allow_credentials_with_any_origin`), and
/// how linting tools find the origin to show. It reads what the regex can match, not a few
/// sample hosts: a regex that can match a fresh label right under a public suffix
/// (`https://.*\.com`), or a host ending in an arbitrary label (`https://example\.[a-z]+`),
/// admits any website.
///
/// A regex that does not parse is an error, and so is one too large to analyse.
///
/// ```
/// use cors_core::any_website_origin;
///
/// assert_eq!(
///     any_website_origin(r"https://app\.example\.org.*")?.as_deref(),
///     Some("https://app.example.org.evil.com")
/// );
/// assert!(any_website_origin(r"https://[a-z0-9-]+\.(com|net|org)")?.is_some());
/// assert_eq!(any_website_origin(r"https://([a-z0-9-]+\.)*example\.org")?, None);
/// assert!(any_website_origin(r"https://a\.com)|(https://b\.com").is_err());
/// # Ok::<(), cors_core::ConfigError>(())
/// ```
pub fn any_website_origin(regex: &str) -> Result<Option<String>, ConfigError> {
    let hir = user_regex::parse_full_match("allowed_origin_regexes", regex)?;
    match reach(regex, &hir) {
        Reach::Bounded => Ok(None),
        Reach::AnyWebsite(origin) => Ok(Some(origin)),
        Reach::Undecided(why) => Err(too_complex(regex, &why)),
    }
}

/// The error for a regex whose reach cannot be decided.
pub(crate) fn too_complex(raw: &str, why: &str) -> ConfigError {
    ConfigError::new(
        crate::ConfigErrorKind::InvalidRegex,
        "allowed_origin_regexes",
        raw,
        format!("is too complex to tell which websites it admits ({why})"),
    )
    .hint("write a shorter regex tied to your domain, or list the origins")
}

/// Decides the reach of one origin regex; `hir` is `raw` parsed and anchored.
pub(crate) fn reach(raw: &str, hir: &Hir) -> Reach {
    let user = match user_dfa(hir) {
        Ok(dfa) => dfa,
        Err(why) => return Reach::Undecided(why),
    };
    let lower = raw.to_ascii_lowercase();
    // A readable witness first (`evil.com`), then every fresh label.
    let mut shapes = Vec::new();
    if !lower.contains("evil") {
        shapes.push(shape(&["evil".to_owned()], &[], &["com"]));
    }
    let (registrable, tld) = fresh_labels(&lower);
    let suffixes: Vec<&str> = OPEN_TLDS.iter().chain(PUBLIC_SUFFIXES).copied().collect();
    shapes.push(shape(&registrable, &tld, &suffixes));
    for pattern in shapes {
        let attacker = match dense::Builder::new()
            .configure(dfa_config())
            .build(&pattern)
        {
            Ok(dfa) => dfa,
            Err(e) => return Reach::Undecided(e.to_string()),
        };
        match shortest_common(&user, &attacker) {
            Ok(Some(origin)) => return Reach::AnyWebsite(origin),
            Ok(None) => {}
            Err(why) => return Reach::Undecided(why),
        }
    }
    Reach::Bounded
}

/// Labels the regex cannot know, as regex alternatives: for the registrable label and for
/// the last label of a host.
///
/// A label is fresh when nothing in the regex's text spells it: the fixed labels the text
/// does not contain, and any run of the letters and digits that appear nowhere in the text.
/// A regex can only accept such a label through a class or a wildcard (`[a-z]+`, `\w+`,
/// `.*`), which an attacker's domain fits as well. The last label of a host must hold a
/// letter (an all-digit one makes the host an IPv4 address).
fn fresh_labels(lower: &str) -> (Vec<String>, Vec<String>) {
    let unused = |range: std::ops::RangeInclusive<u8>| -> String {
        range
            .map(char::from)
            .filter(|c| !lower.contains(*c))
            .collect()
    };
    let letters = unused(b'a'..=b'z');
    let digits = unused(b'0'..=b'9');
    let fixed: Vec<&str> = FIXED_LABELS
        .iter()
        .copied()
        .filter(|l| !lower.contains(l))
        .collect();
    let mut registrable: Vec<String> = fixed.iter().map(|l| l.replace('-', "\\-")).collect();
    let mut tld: Vec<String> = fixed
        .iter()
        .filter(|l| l.bytes().any(|b| b.is_ascii_alphabetic()))
        .map(|l| l.replace('-', "\\-"))
        .collect();
    let any = format!("{letters}{digits}");
    if !any.is_empty() {
        registrable.push(format!("[{any}]+"));
    }
    if !letters.is_empty() {
        tld.push(format!("[{digits}]*[{letters}][{any}]*").replace("[]*", ""));
    }
    (registrable, tld)
}

/// The attacker shape as a regex: a fresh registrable label under an open suffix, or a
/// host ending in a fresh label (either list may be empty).
fn shape(registrable: &[String], tld: &[String], suffixes: &[&str]) -> String {
    let suffixes: Vec<String> = suffixes.iter().map(|s| s.replace('.', "\\.")).collect();
    let mut hosts = Vec::new();
    if !registrable.is_empty() {
        hosts.push(format!(
            r"(?:{})\.(?:{})",
            registrable.join("|"),
            suffixes.join("|")
        ));
    }
    if !tld.is_empty() {
        hosts.push(format!("(?:{})", tld.join("|")));
    }
    format!(
        r"\Ahttps?://(?:[a-z0-9_-]+\.)*(?:{})(?::[0-9]{{1,5}})?\z",
        hosts.join("|")
    )
}

fn dfa_config() -> dense::Config {
    dense::Config::new()
        .match_kind(MatchKind::All)
        .start_kind(StartKind::Anchored)
        .unicode_word_boundary(true)
        .dfa_size_limit(Some(DFA_LIMIT))
        .determinize_size_limit(Some(DFA_LIMIT))
}

fn user_dfa(hir: &Hir) -> Result<Dfa, String> {
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .nfa_size_limit(Some(DFA_LIMIT))
                .which_captures(thompson::WhichCaptures::None),
        )
        .build_from_hir(hir)
        .map_err(|e| e.to_string())?;
    dense::Builder::new()
        .configure(dfa_config())
        .build_from_nfa(&nfa)
        .map_err(|e| e.to_string())
}

/// The shortest input both DFAs accept (bytes of [`ORIGIN_BYTES`] only), breadth first
/// over the product automaton.
fn shortest_common(a: &Dfa, b: &Dfa) -> Result<Option<String>, String> {
    let input = Input::new("").anchored(Anchored::Yes);
    let start = |dfa: &Dfa| dfa.start_state_forward(&input).map_err(|e| e.to_string());
    let first = (start(a)?, start(b)?);
    // Each node: its states, and the node and byte it was reached from.
    let mut nodes: Vec<((StateID, StateID), usize, u8)> = vec![(first, usize::MAX, 0)];
    let mut seen: HashMap<(StateID, StateID), ()> = HashMap::from([(first, ())]);
    let mut next = 0;
    while next < nodes.len() {
        let ((sa, sb), _, _) = nodes[next];
        if a.is_match_state(a.next_eoi_state(sa)) && b.is_match_state(b.next_eoi_state(sb)) {
            return Ok(Some(path_to(&nodes, next)));
        }
        for &byte in ORIGIN_BYTES {
            let pair = (a.next_state(sa, byte), b.next_state(sb, byte));
            let dead = |dfa: &Dfa, s| dfa.is_dead_state(s) || dfa.is_quit_state(s);
            if dead(a, pair.0) || dead(b, pair.1) || seen.contains_key(&pair) {
                continue;
            }
            if nodes.len() >= STATE_LIMIT {
                return Err(format!("more than {STATE_LIMIT} states"));
            }
            seen.insert(pair, ());
            nodes.push((pair, next, byte));
        }
        next += 1;
    }
    Ok(None)
}

fn path_to(nodes: &[((StateID, StateID), usize, u8)], mut at: usize) -> String {
    let mut bytes = Vec::new();
    while nodes[at].1 != usize::MAX {
        bytes.push(nodes[at].2);
        at = nodes[at].1;
    }
    bytes.reverse();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn witness(raw: &str) -> Option<String> {
        any_website_origin(raw).unwrap()
    }

    #[test]
    fn regexes_for_any_domain() {
        assert_eq!(
            witness(r"https://.*\.com").as_deref(),
            Some("https://evil.com")
        );
        assert_eq!(
            witness(r"https://[a-z0-9-]+\.(com|net|org)").as_deref(),
            Some("https://evil.com")
        );
        assert_eq!(
            witness(r"https://app\.example\.org.*").as_deref(),
            Some("https://app.example.org.evil.com")
        );
        assert_eq!(witness(r"https://.*").as_deref(), Some("https://evil.com"));
        assert!(witness(r"https?://example\.[a-z]+").is_some());
        assert!(witness(r"https://[a-z]{3}\.com").is_some());
        assert!(witness(r"https://\d+\.com").is_some());
        assert!(witness(r"https://[a-z]+\.github\.io").is_some());
        assert!(witness(r"https://[^.]+\.co\.uk").is_some());
        assert!(witness(r"(?:https?:\/\/)127.0.0.1:*").is_none());
        // the evil label is in the text: another fresh label is found
        assert!(witness(r"https://(evil|[a-z]+)\.com").is_some());
    }

    #[test]
    fn regexes_for_one_domain() {
        for raw in [
            r"https://([a-z0-9-]+\.)*example\.org",
            r"https://[a-z]+\.example\.com(:[0-9]+)?",
            r"https://(app|admin)\.example\.com",
            r"http://localhost:[0-9]+",
            r"http://127\.0\.0\.1:\d+",
            r"http://192\.168\.1\.\d+",
            r"https://(foo|bar)\.com",
            r"https://.*\.example\.com",
        ] {
            assert_eq!(witness(raw), None, "{raw}");
        }
    }

    #[test]
    fn the_witness_matches_the_regex() {
        for raw in [r"https://app\.example\.org.*", r"https?://example\.[a-z]+"] {
            let origin = witness(raw).unwrap();
            let full = regex_automata::meta::Regex::new(&format!(r"\A(?:{raw})\z")).unwrap();
            assert!(full.is_match(&origin), "{raw}: {origin}");
        }
    }
}
