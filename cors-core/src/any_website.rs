//! Whether an origin regex admits "any website": an origin whose registrable domain, or
//! whose address, an attacker chooses.
//!
//! Decided from what the regex can match, never from a few sample origins or from the
//! regex's text. The regex is compiled to a DFA, forwards and backwards, and these
//! positions of a matching origin are counted:
//!
//! - the host's **last label** (read backwards from the end, past an optional port): a
//!   regex that lets more than [`TLD_BOUND`] of them end a host (`https://example\.[a-z]+`)
//!   lets an attacker pick a top-level domain;
//! - the **label right under a public suffix**: under any last label, and under each
//!   multi-label public suffix ([`PUBLIC_SUFFIXES`]: `co.uk`, `github.io`, `vercel.app`...).
//!   More than [`LABEL_BOUND`] distinct labels there (`https://.*\.com`,
//!   `https://.*example\.com`, `https://myapp-[a-z0-9-]+\.vercel\.app`) means an attacker
//!   registers one;
//! - a **public IP address** as the host: two or more distinct first bytes of a public
//!   IPv4 address, or two or more of the usual IPv6 prefixes the registries hand out
//!   (`http://\d+\.\d+\.\d+\.\d+`).
//!
//! A label is counted only when the whole origin can still match around it (an `http` or
//! `https` scheme before, the suffix after). When a position is open, a concrete origin is
//! found by walking the regex's DFA in step with the DFA of the attacker's shape: that
//! origin is the witness a user is shown (`https://app.example.org.evil.com`).
//!
//! So `https://.*\.com`, `https://[a-z0-9-]+\.(com|net)`, `https://app\.example\.org.*`
//! and `https://example\.[a-z]+` admit any website, and
//! `https://([a-z0-9-]+\.)*example\.org` or `https://(app|admin)\.example\.(com|net)` do
//! not. Other schemes (`chrome-extension://`) are not judged.

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
    /// Only origins on domains and addresses the regex names.
    Bounded,
    /// This origin, on a domain or address an attacker can have, matches.
    AnyWebsite(String),
    /// The regex is too large to decide; taken as admitting any website where that matters.
    Undecided(String),
}

/// More distinct labels than this right under a public suffix: an attacker can register
/// one of them. An alternation of the domains one owns stays below it.
const LABEL_BOUND: u64 = 32;
/// More distinct last labels (with a letter) than this: an attacker picks the top-level
/// domain.
const TLD_BOUND: u64 = 16;
/// The longest DNS label.
const LONGEST_LABEL: usize = 63;

/// The most automaton states a walk explores before it gives up.
const STATE_LIMIT: usize = 1 << 20;
/// The most memory one analysis DFA may take.
const DFA_LIMIT: usize = 8 << 20;

/// The bytes an origin in serialised form is made of, in the order the witness prefers.
const ORIGIN_BYTES: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789.-_:/[]+";
/// The bytes of a label anyone can register (letters, digits, hyphens).
const LABEL_BYTES: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-";
/// The bytes of a top-level domain.
const TLD_BYTES: &[u8] = b"abcdefghijklmnopqrstuvwxyz";

/// Labels the witness prefers, when the regex admits them.
const PREFERRED: &[&str] = &["evil", "attacker", "evil-site"];

/// First bytes of public IPv4 addresses (0, 10, 100, 127, 169, 172 and 192 hold private,
/// shared, loopback or link-local ranges and are left out).
fn public_first_bytes() -> impl Iterator<Item = u8> {
    (1..=223).filter(|b| ![10, 100, 127, 169, 172, 192].contains(b))
}

/// Prefixes of global IPv6 addresses the regional registries hand out.
const IPV6_PREFIXES: &[&str] = &[
    "2001", "2400", "2402", "2600", "2605", "2800", "2a00", "2a01", "2c0f",
];

/// An origin an attacker can serve a page from that the regex matches in full, if there is
/// one, for an origin regex as written in `allowed_origin_regexes`.
///
/// This is how [`CorsConfig::build`](crate::CorsConfig::build) decides that a regex admits
/// any website (refused with credentials unless `allow_credentials_with_any_origin`), and
/// how linting tools find the origin to show. It reads what the regex can match, not a few
/// sample hosts and not its text: a regex that lets more than a handful of labels sit right
/// under a public suffix (`https://.*\.com`, `https://.*example\.com`), end a host
/// (`https://example\.[a-z]+`), or that matches public IP addresses
/// (`http://\d+\.\d+\.\d+\.\d+`), admits any website.
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
/// assert_eq!(
///     any_website_origin(r"https://.*example\.com")?.as_deref(),
///     Some("https://evilexample.com")
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

/// Decides the reach of one origin regex, `raw` parsed and anchored as `hir`. The text is
/// read only to pick a readable witness, never to decide.
pub(crate) fn reach(raw: &str, hir: &Hir) -> Reach {
    match Analysis::new(raw, hir).and_then(|mut a| a.run()) {
        Ok(None) => Reach::Bounded,
        Ok(Some(origin)) => Reach::AnyWebsite(origin),
        Err(why) => Reach::Undecided(why),
    }
}

/// A plain `http://` origin on a named host other than the local machine that the regex
/// matches, if there is one (with credentials, anyone on the network path can run script
/// as such an origin). Top-level domains of more than 8 letters, `localhost` among them,
/// are not tried.
pub(crate) fn plain_http_origin(hir: &Hir) -> Option<String> {
    let forward = user_dfa(hir, false).ok()?;
    // `evil.com` reads best, where the regex allows it.
    [
        r"(?:[a-z0-9_-]+\.)*evil\.com",
        r"(?:[a-z0-9_-]+\.)+[a-z]{2,8}\.?",
    ]
    .iter()
    .find_map(|host| {
        let shape = shape(&format!(r"\Ahttp://{host}(?::[0-9]{{1,5}})?\z")).ok()?;
        shortest_common(&forward, &shape).ok().flatten()
    })
}

/// The regex's automata, and the small automata of the shapes it is compared with.
struct Analysis {
    forward: Dfa,
    reverse: Dfa,
    /// Reversed, what may follow a label read backwards: more labels, then the scheme.
    to_scheme: Dfa,
    /// For each reverse state: whether [`to_scheme`](Self::to_scheme) completes it.
    completes: HashMap<StateID, bool>,
    /// The regex's text in lower case: a witness avoids labels it spells (the author's).
    text: String,
}

/// Which open position was found, with the label (read forwards) an attacker takes there.
enum Open {
    /// The host's last label.
    Tld(String),
    /// The label right under any last label.
    UnderTld(String),
    /// The label right under a multi-label public suffix.
    UnderSuffix(String),
}

impl Analysis {
    fn new(raw: &str, hir: &Hir) -> Result<Self, String> {
        Ok(Analysis {
            text: raw.to_ascii_lowercase(),
            forward: user_dfa(hir, false)?,
            reverse: user_dfa(hir, true)?,
            to_scheme: shape(r"\A(?:\.[a-z0-9_-]+)*//:s?ptth\z")?,
            completes: HashMap::new(),
        })
    }

    /// The witness of the first open position found, if any.
    fn run(&mut self) -> Result<Option<String>, String> {
        // Read backwards: an optional port and a trailing dot, then the labels.
        let end = r"(?:[0-9]{1,5}:)?\.?";
        let suffixes: Vec<String> = PUBLIC_SUFFIXES
            .iter()
            .map(|s| {
                s.bytes()
                    .rev()
                    .map(char::from)
                    .collect::<String>()
                    .replace('.', r"\.")
            })
            .collect();
        // (what is read before the label, how many labels are too many, their bytes, and
        // their shortest length)
        let checks = [
            (
                format!(r"\A{end}[a-z]{{2,63}}\.\z"),
                LABEL_BOUND,
                LABEL_BYTES,
                1,
            ),
            (
                format!(r"\A{end}(?:{})\.\z", suffixes.join("|")),
                LABEL_BOUND,
                LABEL_BYTES,
                1,
            ),
            (format!(r"\A{end}\z"), TLD_BOUND, TLD_BYTES, 2),
        ];
        for (at, (before, bound, bytes, shortest)) in checks.iter().enumerate() {
            let starts = self.states_after(before)?;
            for state in starts {
                if self.count_labels(state, bytes, *shortest, *bound) > *bound {
                    let label = self.pick_label(state, bytes, *shortest);
                    let open = match at {
                        0 => Open::UnderTld(label),
                        1 => Open::UnderSuffix(label),
                        _ => Open::Tld(label),
                    };
                    return self.witness(&open).map(Some);
                }
            }
        }
        self.public_address()
    }

    /// The reverse DFA's states after reading text `before` (a reversed prefix pattern)
    /// matches in full.
    fn states_after(&self, before: &str) -> Result<Vec<StateID>, String> {
        states_after(&self.reverse, true, before)
    }

    /// Whether, from this reverse state, the rest of an origin can follow a label: `.` and
    /// more labels, or `//` and the scheme.
    fn label_ends_at(&mut self, state: StateID) -> bool {
        if let Some(&known) = self.completes.get(&state) {
            return known;
        }
        let to_scheme = &self.to_scheme;
        let start = to_scheme
            .start_state_forward(&Input::new("").anchored(Anchored::Yes))
            .ok();
        let reverse = &self.reverse;
        let done = start.is_some_and(|start| {
            walk_from(reverse, to_scheme, (state, start), |r, t| {
                reverse.is_match_state(reverse.next_eoi_state(r))
                    && to_scheme.is_match_state(to_scheme.next_eoi_state(t))
            })
            .map_or(true, |found| found.is_some())
        });
        self.completes.insert(state, done);
        done
    }

    /// How many distinct labels (`shortest` to 63 of `bytes`) the reverse DFA reads from
    /// `state` and can then end; counting stops past `bound`.
    fn count_labels(&mut self, state: StateID, bytes: &[u8], shortest: usize, bound: u64) -> u64 {
        let mut total = 0u64;
        let mut layer: HashMap<StateID, u64> = HashMap::from([(state, 1)]);
        for length in 1..=LONGEST_LABEL {
            let mut next: HashMap<StateID, u64> = HashMap::new();
            for (&s, &count) in &layer {
                for &byte in bytes {
                    let t = self.reverse.next_state(s, byte);
                    if self.reverse.is_dead_state(t) || self.reverse.is_quit_state(t) {
                        continue;
                    }
                    let slot = next.entry(t).or_insert(0);
                    *slot = (*slot + count).min(bound + 1);
                }
            }
            if length >= shortest {
                for (&t, &count) in &next {
                    if self.label_ends_at(t) {
                        total = (total + count).min(bound + 1);
                    }
                }
            }
            if total > bound || next.is_empty() {
                break;
            }
            layer = next;
        }
        total
    }

    /// A label (`shortest` to 63 of `bytes`) the reverse DFA reads from `state` and can
    /// end, read forwards. It reads best as an attacker's: one of [`PREFERRED`], else `evil`
    /// followed or preceded by the fewest bytes the regex needs (`evilexample`,
    /// `myapp-evil`), else the shortest label.
    fn pick_label(&mut self, state: StateID, bytes: &[u8], shortest: usize) -> String {
        let forwards = |reversed: Vec<u8>| reversed.into_iter().rev().map(char::from).collect();
        for label in PREFERRED {
            let fits = label.bytes().all(|b| bytes.contains(&b));
            let reversed: Vec<u8> = label.bytes().rev().collect();
            if fits && label.len() >= shortest && self.ends_after(state, &reversed) {
                return (*label).to_owned();
            }
        }
        if b"evil".iter().all(|b| bytes.contains(b)) {
            let min = shortest.saturating_sub(4);
            // `evil` + more: read backwards, the more comes first
            if let Some(more) = self.shortest_path(state, b"live", bytes, min, &|_| true) {
                return format!("evil{}", forwards(more) as String);
            }
            // more + `evil`
            let mut after = state;
            for &byte in b"live" {
                after = self.reverse.next_state(after, byte);
            }
            if !self.reverse.is_dead_state(after)
                && let Some(more) = self.shortest_path(after, b"", bytes, min, &|_| true)
            {
                return format!("{}evil", forwards(more) as String);
            }
        }
        // The shortest label the regex does not spell (`appaexample` rather than `example`
        // for `https://app.example\.com`), else the shortest.
        let text = self.text.clone();
        let unspelled = |label: &[u8]| {
            let label: String = label.iter().rev().map(|&b| char::from(b)).collect();
            !text.contains(&label)
        };
        self.shortest_path(state, b"", bytes, shortest.max(1), &unspelled)
            .or_else(|| self.shortest_path(state, b"", bytes, shortest.max(1), &|_| true))
            .map_or_else(|| "evil".to_owned(), forwards)
    }

    /// Whether the reverse DFA, from `state`, reads `reversed` and can end a label there.
    fn ends_after(&mut self, state: StateID, reversed: &[u8]) -> bool {
        let mut s = state;
        for &byte in reversed {
            s = self.reverse.next_state(s, byte);
        }
        !self.reverse.is_dead_state(s) && self.label_ends_at(s)
    }

    /// The shortest bytes of `bytes` (at least `min`, with `tail` at most 63 in all) the
    /// reverse DFA reads from `state` so that, reading `tail` next, it can end a label,
    /// among those `accept` takes.
    fn shortest_path(
        &mut self,
        state: StateID,
        tail: &[u8],
        bytes: &[u8],
        min: usize,
        accept: &dyn Fn(&[u8]) -> bool,
    ) -> Option<Vec<u8>> {
        // A state reached again by a path as long (up to `min`) leads nowhere new.
        let mut seen: HashMap<(StateID, usize), ()> = HashMap::from([((state, 0), ())]);
        let mut queue: Vec<(StateID, Vec<u8>)> = vec![(state, Vec::new())];
        let mut at = 0;
        while at < queue.len() && queue.len() < STATE_LIMIT {
            let (s, path) = queue[at].clone();
            at += 1;
            if path.len() >= min
                && !(path.is_empty() && tail.is_empty())
                && accept(&path)
                && self.ends_after(s, tail)
            {
                return Some(path);
            }
            if path.len() + tail.len() >= LONGEST_LABEL {
                continue;
            }
            for &byte in bytes {
                let t = self.reverse.next_state(s, byte);
                let key = (t, (path.len() + 1).min(min));
                if self.reverse.is_dead_state(t) || seen.contains_key(&key) {
                    continue;
                }
                seen.insert(key, ());
                let mut longer = path.clone();
                longer.push(byte);
                queue.push((t, longer));
            }
        }
        None
    }

    /// A whole origin the regex matches with `open`'s label in its place: over https and
    /// under `.com` where the regex allows it, as those read best.
    fn witness(&self, open: &Open) -> Result<String, String> {
        let label_at = |scheme: &str, label: &str, after: &str| {
            format!(
                r"\A{scheme}://(?:[a-z0-9_-]+\.)*{}{after}\.?(?::[0-9]{{1,5}})?\z",
                regex_syntax::escape(label)
            )
        };
        let multi: Vec<String> = PUBLIC_SUFFIXES
            .iter()
            .map(|s| regex_syntax::escape(s))
            .collect();
        let multi = format!(r"\.(?:{})", multi.join("|"));
        let (label, afters): (&String, Vec<&str>) = match open {
            Open::Tld(label) => (label, vec![""]),
            Open::UnderTld(label) => (label, vec![r"\.com", r"\.[a-z]{2,63}"]),
            Open::UnderSuffix(label) => (label, vec![multi.as_str()]),
        };
        for scheme in ["https", "https?"] {
            for after in &afters {
                let pattern = label_at(scheme, label, after);
                if let Some(origin) = shortest_common(&self.forward, &shape(&pattern)?)? {
                    return Ok(origin);
                }
            }
        }
        Ok(format!("https://{label}.com"))
    }

    /// A witness when the regex matches public IP addresses of more than one network.
    fn public_address(&self) -> Result<Option<String>, String> {
        let after_scheme = self.forward_states_after(r"\Ahttps?://\z")?;
        let v4_rest = shape(r"\A\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(?::[0-9]{1,5})?\z")?;
        let v6_rest = shape(r"\A(?::[0-9a-f]{0,4}){1,7}\](?::[0-9]{1,5})?\z")?;
        let first_bytes: Vec<String> = public_first_bytes().map(|b| b.to_string()).collect();
        let v6: Vec<String> = IPV6_PREFIXES.iter().map(|p| format!("[{p}")).collect();
        for (starts, rest, shape_of) in [
            (
                &first_bytes,
                &v4_rest,
                "{}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}",
            ),
            (&v6, &v6_rest, "\\{}(?::[0-9a-f]{0,4}){1,7}\\]"),
        ] {
            let mut open = Vec::new();
            for start in starts {
                let reached = after_scheme.iter().any(|&s| {
                    let mut state = s;
                    for byte in start.bytes() {
                        state = self.forward.next_state(state, byte);
                    }
                    let rest_start = rest
                        .start_state_forward(&Input::new("").anchored(Anchored::Yes))
                        .ok();
                    !self.forward.is_dead_state(state)
                        && rest_start.is_some_and(|r| {
                            walk_from(&self.forward, rest, (state, r), |a, b| {
                                self.forward.is_match_state(self.forward.next_eoi_state(a))
                                    && rest.is_match_state(rest.next_eoi_state(b))
                            })
                            .map_or(true, |found| found.is_some())
                        })
                });
                if reached {
                    open.push(start);
                    if open.len() >= 2 {
                        break;
                    }
                }
            }
            if let [first, _, ..] = open.as_slice() {
                let host = shape_of.replacen("{}", first, 1);
                let pattern = format!(r"\Ahttps?://{host}(?::[0-9]{{1,5}})?\z");
                return shortest_common(&self.forward, &shape(&pattern)?);
            }
        }
        Ok(None)
    }

    /// The forward DFA's states after reading text that `before` matches in full.
    fn forward_states_after(&self, before: &str) -> Result<Vec<StateID>, String> {
        states_after(&self.forward, false, before)
    }
}

/// The states of `dfa` (reading backwards if `reverse`) after reading any text that the
/// pattern `before` matches in full.
fn states_after(dfa: &Dfa, reverse: bool, before: &str) -> Result<Vec<StateID>, String> {
    let prefix = shape(before)?;
    let mut found = Vec::new();
    walk(dfa, reverse, &prefix, |state, p| {
        if prefix.is_match_state(prefix.next_eoi_state(p)) && !found.contains(&state) {
            found.push(state);
        }
        false
    })?;
    Ok(found)
}

fn dfa_config() -> dense::Config {
    dense::Config::new()
        .match_kind(MatchKind::All)
        .start_kind(StartKind::Anchored)
        .unicode_word_boundary(true)
        .dfa_size_limit(Some(DFA_LIMIT))
        .determinize_size_limit(Some(DFA_LIMIT))
}

/// A DFA of one of the analysis's own shapes.
fn shape(pattern: &str) -> Result<Dfa, String> {
    dense::Builder::new()
        .configure(dfa_config())
        .build(pattern)
        .map_err(|e| e.to_string())
}

/// The user's regex as a DFA, reading forwards or backwards.
fn user_dfa(hir: &Hir, reverse: bool) -> Result<Dfa, String> {
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .nfa_size_limit(Some(DFA_LIMIT))
                .which_captures(thompson::WhichCaptures::None)
                .reverse(reverse),
        )
        .build_from_hir(hir)
        .map_err(|e| e.to_string())?;
    dense::Builder::new()
        .configure(dfa_config())
        .build_from_nfa(&nfa)
        .map_err(|e| e.to_string())
}

fn start(dfa: &Dfa, reverse: bool) -> Result<StateID, String> {
    let input = Input::new("").anchored(Anchored::Yes);
    if reverse {
        dfa.start_state_reverse(&input)
    } else {
        dfa.start_state_forward(&input)
    }
    .map_err(|e| e.to_string())
}

/// Walks two DFAs in step from their start states; `a_reverse`: `a` is the regex's
/// reverse DFA, and `b` is written for reversed text.
fn walk(
    a: &Dfa,
    a_reverse: bool,
    b: &Dfa,
    visit: impl FnMut(StateID, StateID) -> bool,
) -> Result<Option<String>, String> {
    walk_from(a, b, (start(a, a_reverse)?, start(b, false)?), visit)
}

/// Breadth first over the product of two DFAs from `first`, over [`ORIGIN_BYTES`]: stops
/// at the first pair `visit` accepts and returns the bytes read to it (read forwards by
/// both automata).
fn walk_from(
    a: &Dfa,
    b: &Dfa,
    first: (StateID, StateID),
    mut visit: impl FnMut(StateID, StateID) -> bool,
) -> Result<Option<String>, String> {
    let mut nodes: Vec<((StateID, StateID), usize, u8)> = vec![(first, usize::MAX, 0)];
    let mut seen: HashMap<(StateID, StateID), ()> = HashMap::from([(first, ())]);
    let mut next = 0;
    let dead = |dfa: &Dfa, s| dfa.is_dead_state(s) || dfa.is_quit_state(s);
    while next < nodes.len() {
        let ((sa, sb), _, _) = nodes[next];
        if visit(sa, sb) {
            return Ok(Some(path_to(&nodes, next)));
        }
        for &byte in ORIGIN_BYTES {
            let pair = (a.next_state(sa, byte), b.next_state(sb, byte));
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

/// The shortest input both forward DFAs accept.
fn shortest_common(a: &Dfa, b: &Dfa) -> Result<Option<String>, String> {
    walk(a, false, b, |sa, sb| {
        a.is_match_state(a.next_eoi_state(sa)) && b.is_match_state(b.next_eoi_state(sb))
    })
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
        for (raw, origin) in [
            (r"https://.*\.com", "https://evil.com"),
            (r"https://[a-z0-9-]+\.(com|net|org)", "https://evil.com"),
            (
                r"https://app\.example\.org.*",
                "https://app.example.org.evil.com",
            ),
            (r"https://.*", "https://evil.com"),
            (r"https://.*\.de", "https://evil.de"),
            (r"https://.*example\.com", "https://evilexample.com"),
            (
                r"https://myapp-[a-z0-9-]+\.vercel\.app",
                "https://myapp-evil.vercel.app",
            ),
            (r"https://[a-z]+-[a-z]+\.com", "https://evil-site.com"),
            (r"https://[a-z0-9-]+\.github\.io", "https://evil.github.io"),
            (r"https://[^.]+\.co\.uk", "https://evil.co.uk"),
            (r"https?://example\.[a-z]+", "https://example.evil"),
        ] {
            assert_eq!(witness(raw).as_deref(), Some(origin), "{raw}");
        }
        for raw in [
            r"https://[a-z]{3}\.com",
            r"https://\d+\.com",
            r"https://[acd]{5}\.com",
            r"https://xn--[a-z0-9-]+\.com",
            r"https://[a-z]+\.up\.railway\.app",
            r"http://\d+\.\d+\.\d+\.\d+(:\d+)?",
            r"http://\[[0-9a-f:]+\]",
            r"(?x) https://[a-z]+\.com   # evil corsfresh qzx zq xq-7 7373 bdfgijklnquvwy 012456789",
            r"https://(evil|[a-z]+)\.com",
        ] {
            let origin = witness(raw).unwrap_or_else(|| panic!("{raw}: no witness"));
            let full = user_regex::full_match("allowed_origin_regexes", raw).unwrap();
            assert!(full.is_match(&origin), "{raw}: {origin}");
        }
    }

    #[test]
    fn regexes_for_one_domain_or_one_network() {
        for raw in [
            r"https://([a-z0-9-]+\.)*example\.org",
            r"https://[a-z]+\.example\.com(:[0-9]+)?",
            r"https://(app|admin)\.example\.(com|net|org|io)",
            r"http://localhost:[0-9]+",
            r"https?://localhost(:\d+)?",
            r"http://127\.0\.0\.1:\d+",
            r"http://192\.168\.1\.\d+",
            r"http://10\.\d+\.\d+\.\d+",
            r"http://203\.0\.113\.\d{1,3}",
            r"https://(foo|bar)\.com",
            r"https://.*\.example\.com",
            r"https://[a-z]+\.example\.co\.uk",
            r"https://pr-[0-9]+\.preview\.example\.com",
            r"(?:https?:\/\/)127.0.0.1:*",
        ] {
            assert_eq!(witness(raw), None, "{raw}");
        }
    }
}
