//! Whether an origin regex admits "any website": an origin whose registrable domain, or
//! whose address, an attacker chooses.
//!
//! Decided from what the regex can match, never from a few sample origins. The regex is
//! compiled to a DFA, forwards and backwards, and the host of a matching origin is read
//! backwards, label by label, from its end (past an optional port and trailing dot):
//!
//! - the **last label**: more than [`TLD_BOUND`] of them that can end a host
//!   (`https://example\.[a-z]+`) let an attacker pick a top-level domain;
//! - each further label, under the labels already read: when those are a **public
//!   suffix** of the [Public Suffix List](https://publicsuffix.org) (`com`, `co.uk`,
//!   `github.io`, `s3.us-east-1.amazonaws.com`, ...), the label there is what anyone
//!   registers. More than [`LABEL_BOUND`] distinct ones (`https://.*\.com`,
//!   `https://.*example\.com`, `https://myapp-[a-z0-9-]+\.vercel\.app`), or a few of which
//!   one is not spelled in the regex (`https://example\d\.com`), admit any website. Under a
//!   suffix that is not public (`example.com`), the labels are the owner's subdomains;
//! - a **public IP address** as the host: IPv4 addresses of two or more public /16
//!   networks (`http://52\.\d+\.\d+\.\d+`), or global IPv6 addresses of two or more /16
//!   prefixes, or of two or more /32 networks under one.
//!
//! A label is counted only when the whole origin can still match around it (an `http` or
//! `https` scheme before, the rest of the host after). When a position is open, a concrete
//! origin is found by walking the regex's DFA in step with the DFA of the attacker's
//! shape: that origin is the witness a user is shown (`https://app.example.org.evil.com`).
//! The regex's text is read only to tell its author's own labels from an attacker's.
//!
//! Special-use top-level domains that resolve on the user's own machine or nowhere
//! (`localhost`, `test`, `invalid`, `example`, `internal`) are no public suffix here; other
//! schemes (`chrome-extension://`) are not judged.

use std::collections::{HashMap, HashSet};

use regex_automata::dfa::{Automaton, dense};
use regex_automata::util::primitives::StateID;
use regex_syntax::hir::Hir;

use crate::dfa::{Dfa, dfa_config, start, user_dfa};
use crate::error::ConfigError;
use crate::user_regex;

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

/// More distinct labels than this right under a public suffix: an attacker registers one.
const LABEL_BOUND: u64 = 32;
/// More distinct last labels than this: an attacker picks the top-level domain.
const TLD_BOUND: u64 = 16;
/// At most this many labels at one position are followed to the positions under them.
const WALK_LIMIT: u64 = 256;
/// The longest DNS label.
const LONGEST_LABEL: usize = 63;
/// How many labels of a host are read from its end: enough for the deepest public
/// suffixes (`s3.dualstack.us-east-1.amazonaws.com`) and the label under them.
const DEEPEST: usize = 7;

/// The most automaton states a walk explores before it gives up.
const STATE_LIMIT: usize = 1 << 18;

/// The bytes an origin in serialised form is made of, in the order the witness prefers.
const ORIGIN_BYTES: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789.-_:/[]+";
/// The bytes of a label anyone can register: letters, digits, hyphens.
const LABEL_BYTES: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-";
/// The bytes of a top-level domain (besides the `xn--` ones).
const TLD_BYTES: &[u8] = b"abcdefghijklmnopqrstuvwxyz";

/// Whether `label` has the shape of a top-level domain: two or more letters, or `xn--`
/// and more (an internationalised one).
fn is_tld_shaped(label: &[u8]) -> bool {
    (label.len() >= 2 && label.iter().all(u8::is_ascii_lowercase))
        || (label.len() > 4 && label.starts_with(b"xn--"))
}

/// The ways a label is read backwards: (its bytes, the bytes read after them, the fewest
/// bytes in all). A last label, a top-level domain, is letters (0) or `xn--` (read last)
/// and more (1); any other label is letters, digits and hyphens (2).
const SHAPES: [(&[u8], &[u8], usize); 3] = [
    (TLD_BYTES, b"", 2),
    (LABEL_BYTES, b"--nx", 5),
    (LABEL_BYTES, b"", 1),
];

/// Labels the witness prefers, when the regex admits them.
const PREFERRED: &[&str] = &["evil", "attacker", "evil-site"];

/// Top-level domains reserved for the local machine or for nothing (RFC 6761, RFC 2606,
/// ICANN's `internal`): no one registers a name under them.
const SPECIAL_USE: &[&str] = &["localhost", "test", "invalid", "example", "internal"];

/// Whether `suffix` (lower case, labels joined by `.`) is a public suffix: one of the Public
/// Suffix List, or an unlisted top-level domain (the list's default rule), but not a
/// special-use one (`tests::public_suffixes`).
pub(crate) fn is_public_suffix(suffix: &str) -> bool {
    if SPECIAL_USE.contains(&suffix) {
        return false;
    }
    let unlisted = UNLISTED.iter().any(|entry| match entry.strip_prefix("*.") {
        Some(under) => suffix
            .split_once('.')
            .is_some_and(|(_, rest)| rest == under),
        None => *entry == suffix,
    });
    unlisted
        || psl::suffix(suffix.as_bytes()).is_some_and(|found| {
            found.as_bytes() == suffix.as_bytes() && (found.is_known() || !suffix.contains('.'))
        })
}

/// Shared hosting where anyone gets a name, that the Public Suffix List (as the `psl`
/// crate has it) does not list: GitHub Codespaces' forwarded ports, localtunnel, dev
/// tunnels, Gitpod workspaces and a few others. `*.` stands for any one label.
const UNLISTED: &[&str] = &[
    "app.github.dev",
    "loca.lt",
    "*.devtunnels.ms",
    "*.gitpod.io",
    "glitch.me",
    "koyeb.app",
    "modal.run",
];

/// An origin an attacker can serve a page from that the regex matches in full, if there is
/// one, for an origin regex as written in `allowed_origin_regexes`.
///
/// This is how [`CorsConfig::build`](crate::CorsConfig::build) decides that a regex admits
/// any website (refused with credentials unless `allow_credentials_with_any_origin`), and
/// how linting tools find the origin to show. It reads what the regex can match, not a few
/// sample hosts: a regex that lets an attacker's label sit right under a public suffix of
/// the Public Suffix List (`https://.*\.com`, `https://.*example\.com`,
/// `https://[a-z]+\.github\.io`), end a host (`https://example\.[a-z]+`), or that matches
/// public IP addresses of more than one network (`http://\d+\.\d+\.\d+\.\d+`), admits any
/// website.
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

/// Decides the reach of one origin regex, `raw` parsed and anchored as `hir`.
pub(crate) fn reach(raw: &str, hir: &Hir) -> Reach {
    match Analysis::new(raw, &ascii_only(hir)).and_then(|mut a| a.run()) {
        Ok(None) => Reach::Bounded,
        Ok(Some(origin)) => Reach::AnyWebsite(origin),
        Err(why) => Reach::Undecided(why),
    }
}

/// The regex restricted to ASCII: every class intersected with it. Only origins in
/// serialised form, which are ASCII, ever reach a regex, so this changes nothing the
/// analysis looks at, and a Unicode `.` or `\w` no longer multiplies the automata.
fn ascii_only(hir: &Hir) -> Hir {
    use regex_syntax::hir::{
        Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, HirKind,
        Repetition,
    };
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => {
            let mut class = class.clone();
            class.intersect(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7f')]));
            Hir::class(Class::Unicode(class))
        }
        HirKind::Class(Class::Bytes(class)) => {
            let mut class = class.clone();
            class.intersect(&ClassBytes::new([ClassBytesRange::new(0, 0x7f)]));
            Hir::class(Class::Bytes(class))
        }
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            sub: Box::new(ascii_only(&rep.sub)),
            ..rep.clone()
        }),
        HirKind::Capture(capture) => Hir::capture(Capture {
            sub: Box::new(ascii_only(&capture.sub)),
            ..capture.clone()
        }),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(ascii_only).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.iter().map(ascii_only).collect()),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Look(_) => hir.clone(),
    }
}

/// A plain `http://` origin on a named host other than the local machine that the regex
/// matches, if there is one (with credentials, anyone on the network path can run script
/// as such an origin). Top-level domains of more than 8 letters, `localhost` among them,
/// are not tried.
pub(crate) fn plain_http_origin(hir: &Hir) -> Option<String> {
    let forward = user_dfa(&ascii_only(hir), false).ok()?;
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

/// The regex's automata, and what is known of its reverse states.
struct Analysis {
    forward: Dfa,
    reverse: Dfa,
    /// The reverse states after which a label can end: `.` and more labels, or `//` and
    /// an `http` or `https` scheme, can still follow.
    ends: HashSet<StateID>,
    /// For each of [`SHAPES`]: the reverse states from which bytes of that shape (none or
    /// more), then its tail, lead into `ends`. A walk over labels goes nowhere else.
    alive: Vec<HashSet<StateID>>,
    /// The regex's text in lower case: labels it spells are its author's.
    text: String,
}

/// An open position: the labels read so far (a public suffix, or none for the last
/// label), and the label an attacker takes there, both read forwards.
struct Open {
    suffix: String,
    label: String,
}

impl Analysis {
    fn new(raw: &str, hir: &Hir) -> Result<Self, String> {
        let reverse = user_dfa(hir, true)?;
        let (ends, states, into) = label_ends(&reverse)?;
        let alive = SHAPES
            .iter()
            .map(|&(bytes, tail, _)| {
                let ends_after = |t: StateID| {
                    let mut s = t;
                    for &byte in tail {
                        s = reverse.next_state(s, byte);
                    }
                    ends.contains(&s)
                };
                let mut alive: HashSet<StateID> =
                    states.iter().copied().filter(|&t| ends_after(t)).collect();
                let mut stack: Vec<StateID> = alive.iter().copied().collect();
                while let Some(t) = stack.pop() {
                    for &(s, byte) in into.get(&t).map_or(&[][..], Vec::as_slice) {
                        if bytes.contains(&byte) && alive.insert(s) {
                            stack.push(s);
                        }
                    }
                }
                alive
            })
            .collect();
        Ok(Analysis {
            forward: user_dfa(hir, false)?,
            reverse,
            ends,
            alive,
            text: raw.to_ascii_lowercase(),
        })
    }

    /// The witness of the first open position found, if any.
    fn run(&mut self) -> Result<Option<String>, String> {
        if let Some(open) = self.open_label()? {
            return self.witness(&open).map(Some);
        }
        self.public_address()
    }

    /// Reads hosts backwards label by label, under every suffix the regex allows, and
    /// returns the first position where an attacker chooses the label.
    fn open_label(&mut self) -> Result<Option<Open>, String> {
        let mut frontier: Vec<(StateID, String)> =
            states_after(&self.reverse, true, r"\A(?:[0-9]{1,5}:)?\.?\z")?
                .into_iter()
                .map(|state| (state, String::new()))
                .collect();
        // An open last label: reported only if no registrable label is open, which makes
        // a better witness (`adminaexample.net` rather than `admin.exampleanet`).
        let mut open_tld = None;
        for _ in 0..DEEPEST {
            let mut next = Vec::new();
            for (state, suffix) in frontier {
                let last = suffix.is_empty();
                let public = last || is_public_suffix(&suffix);
                let bound = if last { TLD_BOUND } else { LABEL_BOUND };
                let count = self.count_labels(state, last, WALK_LIMIT);
                if count > bound && public {
                    let label = self.pick_label(state, last, None);
                    if !last {
                        return Ok(Some(Open { suffix, label }));
                    }
                    open_tld.get_or_insert(Open {
                        suffix: String::new(),
                        label,
                    });
                }
                if count > bound && !public {
                    // The owner's own domain: what lies under it is theirs.
                    continue;
                }
                // Too many to follow all: follow those the regex spells (`net` in
                // `https://admin.example.net`, whose dots match any character).
                let labels = if count > WALK_LIMIT {
                    self.spelled_labels(state, last)
                } else {
                    self.labels(state, last)
                };
                for label in labels {
                    if count <= bound && public && !self.text.contains(&label) {
                        // A label the regex does not spell, under a public suffix.
                        let label = self.pick_label(state, last, Some(&label));
                        return Ok(Some(Open { suffix, label }));
                    }
                    let mut s = state;
                    for byte in label.bytes().rev().chain([b'.']) {
                        s = self.reverse.next_state(s, byte);
                    }
                    if !self.reverse.is_dead_state(s) && next.len() < STATE_LIMIT {
                        let deeper = if last {
                            label
                        } else {
                            format!("{label}.{suffix}")
                        };
                        next.push((s, deeper));
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            frontier = next;
        }
        Ok(open_tld)
    }

    /// The indices in [`SHAPES`] of the ways a label is read at a position.
    fn shapes(last: bool) -> std::ops::Range<usize> {
        if last { 0..2 } else { 2..3 }
    }

    /// How many distinct labels the reverse DFA reads from `state` at a position (the
    /// last one if `last`) and can then end; counting stops past `bound`.
    fn count_labels(&self, state: StateID, last: bool, bound: u64) -> u64 {
        let mut total = 0u64;
        for shape in Self::shapes(last) {
            let (bytes, tail, shortest) = SHAPES[shape];
            let alive = &self.alive[shape];
            let mut layer: HashMap<StateID, u64> = HashMap::from([(state, 1)]);
            for length in 1..=LONGEST_LABEL - tail.len() {
                let mut next: HashMap<StateID, u64> = HashMap::new();
                for (&s, &count) in &layer {
                    for &byte in bytes {
                        let t = self.reverse.next_state(s, byte);
                        if !alive.contains(&t) {
                            continue;
                        }
                        let slot = next.entry(t).or_insert(0);
                        *slot = (*slot + count).min(bound + 1);
                    }
                }
                if length + tail.len() >= shortest {
                    for (&t, &count) in &next {
                        if self.ends_after(t, tail) {
                            total = (total + count).min(bound + 1);
                        }
                    }
                }
                if total > bound || next.is_empty() {
                    return total;
                }
                layer = next;
            }
        }
        total
    }

    /// Every label (forwards) the reverse DFA reads from `state` at a position and can
    /// end; called only where there are few.
    fn labels(&self, state: StateID, last: bool) -> Vec<String> {
        let mut found = Vec::new();
        for shape in Self::shapes(last) {
            let (bytes, tail, shortest) = SHAPES[shape];
            let alive = &self.alive[shape];
            let mut stack: Vec<(StateID, Vec<u8>)> = vec![(state, Vec::new())];
            let mut steps = 0;
            while let Some((s, path)) = stack.pop() {
                steps += 1;
                if steps > STATE_LIMIT || found.len() as u64 > WALK_LIMIT {
                    break;
                }
                if !path.is_empty()
                    && path.len() + tail.len() >= shortest
                    && self.ends_after(s, tail)
                {
                    let label: String = path
                        .iter()
                        .chain(tail)
                        .rev()
                        .map(|&b| char::from(b))
                        .collect();
                    found.push(label);
                }
                if path.len() + tail.len() >= LONGEST_LABEL {
                    continue;
                }
                for &byte in bytes {
                    let t = self.reverse.next_state(s, byte);
                    if alive.contains(&t) {
                        let mut longer = path.clone();
                        longer.push(byte);
                        stack.push((t, longer));
                    }
                }
            }
        }
        // `com` first, for a readable witness; then in order, so the analysis is stable.
        found.sort_by(|a, b| (a != "com", a).cmp(&(b != "com", b)));
        found
    }

    /// `com` and the words of the regex's text that the reverse DFA reads from `state` as
    /// a label and can end (`com` first, for a readable witness).
    fn spelled_labels(&self, state: StateID, last: bool) -> Vec<String> {
        let mut words: Vec<&str> = self
            .text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .filter(|w| !w.is_empty() && (!last || is_tld_shaped(w.as_bytes())))
            .chain(["com"])
            .collect();
        words.sort_unstable_by(|a, b| (*a != "com", a).cmp(&(*b != "com", b)));
        words.dedup();
        words
            .into_iter()
            .filter(|w| {
                let reversed: Vec<u8> = w.bytes().rev().collect();
                self.ends_after(state, &reversed)
            })
            .map(str::to_owned)
            .collect()
    }

    /// A label the reverse DFA reads from `state` and can end, read forwards, that reads
    /// as an attacker's: one of [`PREFERRED`], else `evil` with the fewest bytes the regex
    /// needs around it (`evilexample`, `myapp-evil`), else the shortest label the regex
    /// does not spell, else `fallback` or the shortest.
    fn pick_label(&self, state: StateID, last: bool, fallback: Option<&str>) -> String {
        let forwards = |reversed: &[u8]| reversed.iter().rev().map(|&b| char::from(b)).collect();
        let shaped = |label: &[u8]| !last || is_tld_shaped(label);
        for label in PREFERRED {
            let reversed: Vec<u8> = label.bytes().rev().collect();
            if shaped(label.as_bytes()) && self.ends_after(state, &reversed) {
                return (*label).to_owned();
            }
        }
        let mut after = state;
        for &byte in b"live" {
            after = self.reverse.next_state(after, byte);
        }
        let tries: [(StateID, &[u8]); 2] = [
            // `evil` + more: read backwards, the more comes first
            (state, b"live"),
            // more + `evil`
            (after, b""),
        ];
        for (from, tail) in tries {
            if self.reverse.is_dead_state(from) {
                continue;
            }
            if let Some(more) = self.shortest_path(from, tail, &|_| true) {
                let more: String = forwards(&more);
                let label = if tail.is_empty() {
                    format!("{more}evil")
                } else {
                    format!("evil{more}")
                };
                if shaped(label.as_bytes()) {
                    return label;
                }
            }
        }
        let text = &self.text;
        let unspelled = |path: &[u8]| {
            let label: String = forwards(path);
            shaped(label.as_bytes()) && !text.contains(&label)
        };
        if let Some(path) = self.shortest_path(state, b"", &unspelled) {
            return forwards(&path);
        }
        match fallback {
            Some(label) => label.to_owned(),
            None => self
                .shortest_path(state, b"", &|p| shaped(p))
                .map_or_else(|| "evil".to_owned(), |p| forwards(&p)),
        }
    }

    /// Whether the reverse DFA, from `state`, reads `reversed` and can end a label there.
    fn ends_after(&self, state: StateID, reversed: &[u8]) -> bool {
        let mut s = state;
        for &byte in reversed {
            s = self.reverse.next_state(s, byte);
        }
        !self.reverse.is_dead_state(s) && self.ends.contains(&s)
    }

    /// The shortest label bytes (with `tail`, 1 to 63 in all) the reverse DFA reads from
    /// `state` so that, reading `tail` next, it can end a label, among those `accept`
    /// takes.
    fn shortest_path(
        &self,
        state: StateID,
        tail: &[u8],
        accept: &dyn Fn(&[u8]) -> bool,
    ) -> Option<Vec<u8>> {
        // Breadth first; a state reached again at the same length leads nowhere new.
        let mut seen: HashSet<(StateID, usize)> = HashSet::from([(state, 0)]);
        let mut queue: Vec<(StateID, Vec<u8>)> = vec![(state, Vec::new())];
        let mut at = 0;
        while at < queue.len() && queue.len() < STATE_LIMIT {
            let (s, path) = queue[at].clone();
            at += 1;
            if !(path.is_empty() && tail.is_empty()) && accept(&path) && self.ends_after(s, tail) {
                return Some(path);
            }
            if path.len() + tail.len() >= LONGEST_LABEL {
                continue;
            }
            for &byte in LABEL_BYTES {
                let t = self.reverse.next_state(s, byte);
                if !self.alive[2].contains(&t) || !seen.insert((t, path.len() + 1)) {
                    continue;
                }
                let mut longer = path.clone();
                longer.push(byte);
                queue.push((t, longer));
            }
        }
        None
    }

    /// A whole origin the regex matches with `open`'s label in its place: over https
    /// where the regex allows it, and under `.com` for an open last-but-one label.
    fn witness(&self, open: &Open) -> Result<String, String> {
        let label = regex_syntax::escape(&open.label);
        let mut hosts = Vec::new();
        if open.suffix.is_empty() {
            // an attacker's `.com` domain reads better than a top-level domain of its own
            hosts.push(format!(r"(?:[a-z0-9_-]+\.)*{label}\.com"));
            hosts.push(format!(r"(?:[a-z0-9_-]+\.)*{label}"));
        } else {
            let suffix = regex_syntax::escape(&open.suffix);
            hosts.push(format!(r"(?:[a-z0-9_-]+\.)*{label}\.{suffix}"));
        }
        for scheme in ["https", "https?"] {
            for host in &hosts {
                let pattern = format!(r"\A{scheme}://{host}\.?(?::[0-9]{{1,5}})?\z");
                if let Some(origin) = shortest_common(&self.forward, &shape(&pattern)?)? {
                    return Ok(origin);
                }
            }
        }
        Ok(match open.suffix.as_str() {
            "" => format!("https://{}", open.label),
            suffix => format!("https://{}.{suffix}", open.label),
        })
    }

    /// A witness when the regex matches public IP addresses of more than one network.
    /// Every walk stops where the regex's DFA dies, so a host-name regex costs little.
    fn public_address(&self) -> Result<Option<String>, String> {
        let forward = &self.forward;
        let after_scheme = states_after(forward, false, r"\Ahttps?://\z")?;
        let mut walk = Walk {
            forward,
            v4_rest: shape(r"\A[0-9]{1,3}\.[0-9]{1,3}(?::[0-9]{1,5})?\z")?,
            v6_rest: shape(r"\A(?::[0-9a-f]{0,4}){1,6}\](?::[0-9]{1,5})?\z")?,
            completes: HashMap::new(),
        };
        if let [first, _, ..] = walk.ipv4_networks(&after_scheme).as_slice() {
            let pattern = format!(
                r"\Ahttps?://{}[0-9]{{1,3}}\.[0-9]{{1,3}}(?::[0-9]{{1,5}})?\z",
                regex_syntax::escape(first)
            );
            return shortest_common(forward, &shape(&pattern)?);
        }
        if let [first, _, ..] = walk.ipv6_networks(&after_scheme).as_slice() {
            let pattern = format!(
                r"\Ahttps?://{}(?::[0-9a-f]{{0,4}}){{1,6}}\](?::[0-9]{{1,5}})?\z",
                regex_syntax::escape(first)
            );
            return shortest_common(forward, &shape(&pattern)?);
        }
        Ok(None)
    }
}

/// A walk of the forward DFA over IP address hosts, remembering from which states the rest
/// of an address completes a match.
struct Walk<'d> {
    forward: &'d Dfa,
    /// What follows the first two bytes of an IPv4 address.
    v4_rest: Dfa,
    /// What follows the first group of an IPv6 address.
    v6_rest: Dfa,
    completes: HashMap<(StateID, bool), bool>,
}

impl Walk<'_> {
    /// The state after `text` from `from`, or `None` where the DFA dies.
    fn feed(&self, from: StateID, text: &[u8]) -> Option<StateID> {
        let mut s = from;
        for &byte in text {
            s = self.forward.next_state(s, byte);
            if self.forward.is_dead_state(s) {
                return None;
            }
        }
        Some(s)
    }

    /// Whether the rest of an address (IPv6 if `v6`) completes a match from `s`.
    fn completes_at(&mut self, s: StateID, v6: bool) -> bool {
        let (forward, rest) = (self.forward, if v6 { &self.v6_rest } else { &self.v4_rest });
        *self
            .completes
            .entry((s, v6))
            .or_insert_with(|| ends_with(forward, s, rest))
    }

    /// Up to two public IPv4 /16 networks (`a.b.`) the regex reaches (none if no host
    /// starts with a digit).
    fn ipv4_networks(&mut self, after_scheme: &[StateID]) -> Vec<String> {
        let mut networks: Vec<String> = Vec::new();
        let digit_first = |from: StateID| (b'1'..=b'9').any(|d| self.feed(from, &[d]).is_some());
        let starts: Vec<StateID> = after_scheme
            .iter()
            .copied()
            .filter(|&s| digit_first(s))
            .collect();
        for from in starts {
            for a in 1..=223u8 {
                let Some(after_a) = self.feed(from, format!("{a}.").as_bytes()) else {
                    continue;
                };
                for b in 0..=255u8 {
                    if is_special_ipv4(a, b) {
                        continue;
                    }
                    let network = format!("{a}.{b}.");
                    let reached = self
                        .feed(after_a, format!("{b}.").as_bytes())
                        .is_some_and(|s| self.completes_at(s, false));
                    if reached && !networks.contains(&network) {
                        networks.push(network);
                        if networks.len() >= 2 {
                            return networks;
                        }
                    }
                }
            }
        }
        networks
    }

    /// Up to two IPv6 networks the regex reaches: global unicast prefixes (2000 to 3fff),
    /// else networks under the one prefix it reaches. Hexadecimal digits are fed one at a
    /// time, so dead prefixes end early.
    fn ipv6_networks(&mut self, after_scheme: &[StateID]) -> Vec<String> {
        let prefixes = self.ipv6_prefixes(after_scheme);
        match prefixes.as_slice() {
            [_, _, ..] => prefixes.into_iter().map(|(p, _)| p).collect(),
            [(one, s)] => ["0", "1", "db8", "4f8", "abcd", "ffff", "10", "200"]
                .iter()
                .filter(|second| {
                    self.feed(*s, format!(":{second}").as_bytes())
                        .is_some_and(|t| self.completes_at(t, true))
                })
                .map(|second| format!("{one}:{second}"))
                .take(2)
                .collect(),
            [] => Vec::new(),
        }
    }

    /// Up to two global unicast prefixes (`[2001`) the regex completes an address after,
    /// with the state each leaves the DFA in.
    fn ipv6_prefixes(&mut self, after_scheme: &[StateID]) -> Vec<(String, StateID)> {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut prefixes: Vec<(String, StateID)> = Vec::new();
        for &from in after_scheme {
            let Some(open) = self.feed(from, b"[") else {
                continue;
            };
            let mut stack: Vec<(StateID, String)> = ["2", "3"]
                .iter()
                .filter_map(|d| Some((self.feed(open, d.as_bytes())?, (*d).to_owned())))
                .collect();
            while let Some((s, digits)) = stack.pop() {
                if digits.len() == 4 {
                    let prefix = format!("[{digits}");
                    if self.completes_at(s, true) && !prefixes.iter().any(|(p, _)| *p == prefix) {
                        prefixes.push((prefix, s));
                        if prefixes.len() >= 2 {
                            return prefixes;
                        }
                    }
                    continue;
                }
                for &digit in HEX {
                    if let Some(t) = self.feed(s, &[digit]) {
                        stack.push((t, format!("{digits}{}", char::from(digit))));
                    }
                }
            }
        }
        prefixes
    }
}

/// IPv4 networks (by their first two bytes) that are not public: this network, private,
/// shared, loopback, link-local, and the benchmarking range (RFC 6890).
fn is_special_ipv4(a: u8, b: u8) -> bool {
    matches!(
        (a, b),
        (0 | 10 | 127, _)
            | (100, 64..=127)
            | (169, 254)
            | (172, 16..=31)
            | (192, 168)
            | (198, 18..=19)
    )
}

/// The reverse states after which a label can end: those from which an `http` or `https`
/// scheme follows (`//` then the scheme, read backwards), or `.` and a label that can end.
/// A fixed point over the states reachable from the start, computed once; with those
/// states and the label-byte edges between them.
/// The edges of the reverse DFA over label bytes, by the state they lead into.
type EdgesInto = HashMap<StateID, Vec<(StateID, u8)>>;

fn label_ends(reverse: &Dfa) -> Result<(HashSet<StateID>, Vec<StateID>, EdgesInto), String> {
    // The states reachable from the start, and the label-byte edges between them.
    let first = start(reverse, true)?;
    let mut states = vec![first];
    let mut seen: HashSet<StateID> = HashSet::from([first]);
    let mut into: EdgesInto = HashMap::new();
    let mut at = 0;
    while at < states.len() {
        let s = states[at];
        at += 1;
        for &byte in ORIGIN_BYTES {
            let t = reverse.next_state(s, byte);
            if reverse.is_dead_state(t) || reverse.is_quit_state(t) {
                continue;
            }
            if LABEL_BYTES.contains(&byte) {
                into.entry(t).or_default().push((s, byte));
            }
            if seen.insert(t) {
                if states.len() >= STATE_LIMIT {
                    return Err(format!("more than {STATE_LIMIT} states"));
                }
                states.push(t);
            }
        }
    }
    let reads = |s: StateID, text: &[u8]| {
        let mut s = s;
        for &byte in text {
            s = reverse.next_state(s, byte);
        }
        reverse.is_match_state(reverse.next_eoi_state(s))
    };
    let mut ends: HashSet<StateID> = states
        .iter()
        .copied()
        .filter(|&s| reads(s, b"//:sptth") || reads(s, b"//:ptth"))
        .collect();
    loop {
        // The states from which one or more label bytes lead into `ends`.
        let mut before: HashSet<StateID> = HashSet::new();
        let mut stack: Vec<StateID> = ends.iter().copied().collect();
        while let Some(t) = stack.pop() {
            for &(s, _) in into.get(&t).map_or(&[][..], Vec::as_slice) {
                if before.insert(s) {
                    stack.push(s);
                }
            }
        }
        let grown: Vec<StateID> = states
            .iter()
            .copied()
            .filter(|&s| !ends.contains(&s) && before.contains(&reverse.next_state(s, b'.')))
            .collect();
        if grown.is_empty() {
            return Ok((ends, states, into));
        }
        ends.extend(grown);
    }
}

/// Whether `dfa`, from `state`, can read something `rest` matches in full and match there.
fn ends_with(dfa: &Dfa, state: StateID, rest: &Dfa) -> bool {
    let Ok(first) = start(rest, false) else {
        return false;
    };
    walk_from(dfa, rest, (state, first), |a, b| {
        dfa.is_match_state(dfa.next_eoi_state(a)) && rest.is_match_state(rest.next_eoi_state(b))
    })
    .map_or(true, |found| found.is_some())
}

/// A DFA of one of the analysis's own shapes.
fn shape(pattern: &str) -> Result<Dfa, String> {
    dense::Builder::new()
        .configure(dfa_config())
        .build(pattern)
        .map_err(|e| e.to_string())
}

/// The states of `dfa` (reading backwards if `reverse`) after reading any text that the
/// pattern `before` matches in full.
fn states_after(dfa: &Dfa, reverse: bool, before: &str) -> Result<Vec<StateID>, String> {
    let prefix = shape(before)?;
    let mut found = Vec::new();
    walk_from(
        dfa,
        &prefix,
        (start(dfa, reverse)?, start(&prefix, false)?),
        |state, p| {
            if prefix.is_match_state(prefix.next_eoi_state(p)) && !found.contains(&state) {
                found.push(state);
            }
            false
        },
    )?;
    Ok(found)
}

/// Breadth first over the product of two DFAs from `first`, over [`ORIGIN_BYTES`]: stops
/// at the first pair `visit` accepts and returns the bytes read to it.
fn walk_from(
    a: &Dfa,
    b: &Dfa,
    first: (StateID, StateID),
    mut visit: impl FnMut(StateID, StateID) -> bool,
) -> Result<Option<String>, String> {
    let mut nodes: Vec<((StateID, StateID), usize, u8)> = vec![(first, usize::MAX, 0)];
    let mut seen: HashSet<(StateID, StateID)> = HashSet::from([first]);
    let mut next = 0;
    let dead = |dfa: &Dfa, s| dfa.is_dead_state(s) || dfa.is_quit_state(s);
    while next < nodes.len() {
        let ((sa, sb), _, _) = nodes[next];
        if visit(sa, sb) {
            return Ok(Some(path_to(&nodes, next)));
        }
        for &byte in ORIGIN_BYTES {
            let pair = (a.next_state(sa, byte), b.next_state(sb, byte));
            if dead(a, pair.0) || dead(b, pair.1) || !seen.insert(pair) {
                continue;
            }
            if nodes.len() >= STATE_LIMIT {
                return Err(format!("more than {STATE_LIMIT} states"));
            }
            nodes.push((pair, next, byte));
        }
        next += 1;
    }
    Ok(None)
}

/// The shortest input both forward DFAs accept.
fn shortest_common(a: &Dfa, b: &Dfa) -> Result<Option<String>, String> {
    walk_from(a, b, (start(a, false)?, start(b, false)?), |sa, sb| {
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
    fn public_suffixes() {
        for public in [
            "com",
            "co.uk",
            "github.io",
            "com.sg",
            "vercel.app",
            "xn--p1ai",
            "zz",
        ] {
            assert!(is_public_suffix(public), "{public}");
        }
        for not in ["example.com", "localhost", "test", "app.example.co.uk"] {
            assert!(!is_public_suffix(not), "{not}");
        }
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
            (r"https://.*example\.com\.sg", "https://evilexample.com.sg"),
            (
                r"https://myapp-[a-z0-9-]+\.vercel\.app",
                "https://myapp-evil.vercel.app",
            ),
            (r"https://[a-z]+-[a-z]+\.com", "https://evil-site.com"),
            (r"https://[a-z0-9-]+\.github\.io", "https://evil.github.io"),
            (r"https://[^.]+\.co\.uk", "https://evil.co.uk"),
            (r"https?://example\.[a-z]+", "https://example.evil"),
            (r"https://example\d\.com", "https://example0.com"),
        ] {
            assert_eq!(witness(raw).as_deref(), Some(origin), "{raw}");
        }
        for raw in [
            r"https://[a-z]{3}\.com",
            r"https://\d+\.com",
            r"https://[acd]{5}\.com",
            r"https://xn--[a-z0-9-]+\.com",
            r"https://[a-z0-9-]+\.xn--p1ai",
            r"https://[a-z]+\.up\.railway\.app",
            r"https://.*\.app\.github\.dev",
            r"https://[a-z0-9-]+\.s3\.us-east-1\.amazonaws\.com",
            r"https://.*\.loca\.lt",
            r"http://\d+\.\d+\.\d+\.\d+(:\d+)?",
            r"http://172\.\d{1,3}\.\d{1,3}\.\d{1,3}(:\d+)?",
            r"http://52\.\d+\.\d+\.\d+",
            r"http://\[[0-9a-f:]+\]",
            r"http://\[2a01:[0-9a-f:]+\]",
            r"(?x) https://[a-z]+\.com   # abcdefghijklmnopqrstuvwxyz 0123456789 evil",
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
            r"^https://\w+\.example\.com$",
            r"https://(www\.)?example\.(com|org)",
            r"https://(app|admin)\.example\.(com|net|org|io)",
            r"http://localhost:[0-9]+",
            r"https?://localhost(:\d+)?",
            r"http://[a-z0-9-]+\.localhost(:\d+)?",
            r"http://127\.0\.0\.1:\d+",
            r"http://192\.168\.1\.\d+",
            r"http://10\.\d+\.\d+\.\d+",
            r"http://172\.(1[6-9]|2\d|3[01])\.\d+\.\d+",
            r"http://203\.0\.113\.\d{1,3}",
            r"http://\[2a01:4f8:[0-9a-f:]+\]",
            r"https://(foo|bar)\.com",
            r"https://.*\.example\.com",
            r"https://[a-z]+\.example\.co\.uk",
            r"https://.*\.example\.co\.uk",
            r"https://pr-[0-9]+\.preview\.example\.com",
            r"(?:https?:\/\/)127.0.0.1:*",
        ] {
            assert_eq!(witness(raw), None, "{raw}");
        }
    }
}
