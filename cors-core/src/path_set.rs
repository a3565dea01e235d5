//! Which requests a policy handles ([`Scope`]): every path, the paths `urls_regex` matches,
//! or, with `paths`, an ordered list of (path regex, policy) in which the first full match
//! decides. Building the list checks that every entry can be reached.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};

use regex_automata::dfa::Automaton;
use regex_automata::meta;
use regex_syntax::hir::Hir;

use crate::build::Found;
use crate::config::CorsConfig;
use crate::dfa::{Dfa, start, user_dfa_many};
use crate::error::{ConfigError, ConfigErrorKind};
use crate::policy::Cors;
use crate::user_regex;

/// The requests a policy handles.
pub(crate) enum Scope {
    /// Every path.
    All,
    /// `urls_regex`, anchored at both ends: only the paths it matches.
    Urls(meta::Regex),
    /// `paths`: the first entry whose path regex matches.
    Paths(PathSet),
}

impl Scope {
    /// Whether `urls_regex` leaves `path` out.
    #[inline]
    pub(crate) fn leaves_out(urls: &meta::Regex, path: &str) -> bool {
        !urls.is_match(routed(path).as_ref())
    }
}

/// The entries of `paths`, in order.
pub(crate) struct PathSet {
    pub(crate) entries: Vec<Entry>,
}

/// One entry: the regex a path must match in full, and the policy for those paths.
pub(crate) struct Entry {
    /// As written.
    pub(crate) path: String,
    pub(crate) regex: meta::Regex,
    pub(crate) cors: Cors,
}

impl PathSet {
    /// The first entry whose regex matches `path` in full, with its position.
    pub(crate) fn find(&self, path: &str) -> Option<(usize, &Cors)> {
        let path = routed(path);
        self.entries
            .iter()
            .position(|entry| entry.regex.is_match(path.as_ref()))
            .map(|at| (at, &self.entries[at].cors))
    }

    /// The policy of the entry at `at` (as [`Forward`](crate::Forward) keeps it).
    pub(crate) fn entry(&self, at: usize) -> Option<&Cors> {
        self.entries.get(at).map(|entry| &entry.cors)
    }
}

/// Whether `byte` is one of RFC 3986's unreserved characters: letters, digits, `-._~`.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// The path as a router that decodes it matches it: percent-encoded unreserved characters
/// (`%61` for `a`) decoded, which RFC 3986 says never changes what a URL names. Other
/// escapes (`%2F`, `%20`) are kept. Allocates only when something is decoded.
///
/// Without it, `/api/%61ccount/me` would not match an entry for `/api/account/.*` while
/// actix-web and Rocket route it there, and a later, wider entry would answer it.
pub(crate) fn routed(path: &str) -> Cow<'_, str> {
    let bytes = path.as_bytes();
    let decoded = |at: usize| -> Option<u8> {
        let hex = bytes.get(at + 1..at + 3)?;
        let hex = std::str::from_utf8(hex).ok()?;
        u8::from_str_radix(hex, 16)
            .ok()
            .filter(|&b| is_unreserved(b))
    };
    let Some(first) = (0..bytes.len()).find(|&at| bytes[at] == b'%' && decoded(at).is_some())
    else {
        return Cow::Borrowed(path);
    };
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..first]);
    let mut at = first;
    while at < bytes.len() {
        match decoded(at).filter(|_| bytes[at] == b'%') {
            Some(byte) => {
                out.push(byte);
                at += 3;
            }
            None => {
                out.push(bytes[at]);
                at += 1;
            }
        }
    }
    // Only ASCII bytes replaced ASCII escapes: still UTF-8.
    Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| path.to_owned()))
}

/// The settings that may stand beside `paths`: none, each entry is a whole policy.
fn check_alone(config: &CorsConfig, found: &mut Found) {
    let mut rest = config.clone();
    rest.paths.clear();
    if rest.allow_origin_fn.is_some() {
        found.error(beside("allow_origin_fn", "(a predicate)".to_owned()));
    }
    if rest.allow_origin_async.is_some() {
        found.error(beside("allow_origin_async", "(a check)".to_owned()));
    }
    let (Ok(serde_json::Value::Object(rest)), Ok(serde_json::Value::Object(default))) = (
        serde_json::to_value(&rest),
        serde_json::to_value(CorsConfig::default()),
    ) else {
        return;
    };
    for (field, value) in rest {
        if default.get(&field) != Some(&value) {
            let shown = match value {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            found.error(beside(&field, shown));
        }
    }
}

fn beside(field: &str, value: String) -> ConfigError {
    ConfigError::new(
        ConfigErrorKind::InvalidValue,
        field,
        value,
        "is set beside `paths`, where each entry is a whole policy",
    )
    .hint(format!(
        "move `{field}` into each `[[paths]]` entry that needs it"
    ))
}

/// Builds `config.paths`: each entry validated as a policy of its own (its errors and
/// warnings named `paths[i].field`), each path regex anchored, and no entry that an
/// earlier one (or the earlier ones together) always matches first.
pub(crate) fn build(config: &CorsConfig, found: &mut Found) -> Option<PathSet> {
    check_alone(config, found);
    let mut entries = Vec::new();
    let mut hirs = Vec::new();
    for (i, entry) in config.paths.iter().enumerate() {
        let at = format!("paths[{i}]");
        let policy = &entry.policy;
        if !policy.paths.is_empty() {
            found.error(
                ConfigError::new(
                    ConfigErrorKind::InvalidValue,
                    format!("{at}.paths"),
                    format!("{} entries", policy.paths.len()),
                    "nests policies by path inside an entry",
                )
                .hint("list every entry in the one top-level `paths`"),
            );
            continue;
        }
        if policy.urls_regex != CorsConfig::default().urls_regex {
            found.error(
                ConfigError::new(
                    ConfigErrorKind::InvalidValue,
                    format!("{at}.urls_regex"),
                    policy.urls_regex.clone(),
                    "is set in an entry of `paths`",
                )
                .hint("the entry's `path` says which paths it handles"),
            );
        }
        let hir = found.take(
            user_regex::parse_path_match("paths.path", &entry.path)
                .map_err(|e| e.with_field(format!("{at}.path"))),
        );
        let regex = hir.as_ref().and_then(|hir| {
            found.take(
                user_regex::compile(
                    "paths.path",
                    std::slice::from_ref(&entry.path),
                    std::slice::from_ref(hir),
                )
                .map_err(|e| e.with_field(format!("{at}.path"))),
            )
        });
        let cors = match policy.compile() {
            Ok(cors) => Some(cors),
            Err(errors) => {
                for e in errors.iter() {
                    let field = format!("{at}.{}", e.field());
                    found.error(e.clone().with_field(field));
                }
                None
            }
        };
        if let Some(cors) = &cors {
            for w in cors.warnings() {
                found.warn(w.clone().within(&at));
            }
        }
        if let Some(hir) = &hir {
            hirs.push((i, hir.clone()));
        }
        if let (Some(regex), Some(cors)) = (regex, cors) {
            entries.push(Entry {
                path: entry.path.clone(),
                regex,
                cors,
            });
        }
    }
    check_reachable(config, &hirs, found);
    (entries.len() == config.paths.len()).then_some(PathSet { entries })
}

/// An entry whose every path an earlier entry matches first is a mistake: it never
/// answers anything. So is `csrf_protection` in an entry while some path is left to no
/// entry: requests there would reach the app unchecked, where `urls_regex` and
/// `csrf_protection` guard every path.
fn check_reachable(config: &CorsConfig, hirs: &[(usize, Hir)], found: &mut Found) {
    let paths = &config.paths;
    let mut all: Vec<Hir> = hirs.iter().map(|(_, h)| h.clone()).collect();
    // the last pattern: every path, to find one no entry matches
    all.push(every_path());
    // too large to decide: no entry is claimed unreachable
    let firsts = first_matches(&all);
    let csrf = paths.iter().any(|p| p.policy.csrf_protection);
    // Too large to decide together: an entry that alone matches every path (a catch-all
    // after a regex too large to analyse) still covers what the others leave.
    let covered = match &firsts {
        Some(firsts) => !firsts[hirs.len()].contains(&hirs.len()),
        None => hirs.iter().any(|(_, hir)| matches_every_path(hir)),
    };
    if csrf && !covered && hirs.len() == paths.len() {
        let problem = if firsts.is_some() {
            "is on in an entry while some paths match no entry: form posts there would reach \
             the app unchecked"
        } else {
            "is on in an entry, and the path regexes are too large to tell whether every path \
             is some entry's: form posts on a path left to none would reach the app unchecked"
        };
        found.error(
            ConfigError::new(
                ConfigErrorKind::InvalidValue,
                "paths",
                "csrf_protection",
                problem,
            )
            .hint(
                "end the list with an entry for every other path, `path = \"/.*\"`, with \
                 csrf_protection and the origins that may post",
            ),
        );
    }
    let Some(firsts) = firsts else {
        return;
    };
    for (j, (at, _)) in hirs.iter().enumerate() {
        if firsts[j].contains(&j) {
            continue;
        }
        let earlier: Vec<usize> = firsts[j].iter().map(|&i| hirs[i].0).collect();
        let hint = if earlier.is_empty() {
            "write the regex of the paths of the entry's routes"
        } else {
            "the first entry that matches decides: put the narrower entry first"
        };
        let problem = match earlier.as_slice() {
            [] => "can never match: it matches no path a request can have (one that starts \
                   with `/`)"
                .to_owned(),
            [i] => format!(
                "can never match: every path it matches is matched first by paths[{i}].path (`{}`)",
                paths[*i].path
            ),
            many => format!(
                "can never match: every path it matches is matched first by the entries \
                 before it together ({})",
                many.iter()
                    .map(|i| format!("paths[{i}].path"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        found.error(
            ConfigError::new(
                ConfigErrorKind::InvalidValue,
                format!("paths[{at}].path"),
                paths[*at].path.clone(),
                problem,
            )
            .hint(hint),
        );
    }
}

/// `/.*`, with `.` matching a newline: every path. (A constant that parses; were it not
/// to, nothing would count as covered, the safe side.)
fn every_path() -> Hir {
    user_regex::parse_path_match("paths.path", "/.*").unwrap_or_else(|_| Hir::fail())
}

/// Whether a path regex (anchored) matches every path: read from what it matches, not
/// from how it is spelled (`.*`, `^/.*$`, `(/[^/]*)*/?`). `false` when too large to tell.
pub(crate) fn matches_every_path(hir: &Hir) -> bool {
    first_matches(&[hir.clone(), every_path()]).is_some_and(|firsts| !firsts[1].contains(&1))
}

/// The most DFA states [`first_matches`] explores before it gives up.
const STATE_LIMIT: usize = 1 << 16;

/// For each regex `j` of `hirs`, the regexes that are the first to match some path `j`
/// matches (`j` itself when some path matches `j` and no earlier one); a path is a text
/// that starts with `/`. One walk over the states of the DFA of all of them, which say,
/// at the end of a text, every regex that matches it. `None` when the regexes are too
/// large to decide, or use `\b` next to non-ASCII text.
fn first_matches(hirs: &[Hir]) -> Option<Vec<BTreeSet<usize>>> {
    let dfa: Dfa = user_dfa_many(hirs, false).ok()?;
    let first = dfa.next_state(start(&dfa, false).ok()?, b'/');
    let mut firsts = vec![BTreeSet::new(); hirs.len()];
    if dfa.is_quit_state(first) {
        return None;
    }
    if dfa.is_dead_state(first) {
        return Some(firsts);
    }
    let mut seen = HashSet::from([first]);
    let mut queue = vec![first];
    while let Some(state) = queue.pop() {
        let end = dfa.next_eoi_state(state);
        if dfa.is_match_state(end) {
            let matching: Vec<usize> = (0..dfa.match_len(end))
                .map(|k| dfa.match_pattern(end, k).as_usize())
                .collect();
            if let Some(&lowest) = matching.iter().min() {
                for j in matching {
                    firsts[j].insert(lowest);
                }
            }
        }
        for byte in 0..=u8::MAX {
            let next = dfa.next_state(state, byte);
            if dfa.is_quit_state(next) {
                return None;
            }
            if dfa.is_dead_state(next) || !seen.insert(next) {
                continue;
            }
            if seen.len() > STATE_LIMIT {
                return None;
            }
            queue.push(next);
        }
    }
    Some(firsts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hir(raw: &str) -> Hir {
        user_regex::parse_path_match("paths.path", raw).unwrap()
    }

    /// Whether every text `raw` matches, one of `earlier` matches too.
    fn included_in(raw: &str, earlier: &[&str]) -> Option<bool> {
        let mut all: Vec<Hir> = earlier.iter().map(|r| hir(r)).collect();
        all.push(hir(raw));
        let firsts = first_matches(&all)?;
        Some(!firsts[earlier.len()].contains(&earlier.len()))
    }

    #[test]
    fn inclusion_is_decided_on_what_the_regexes_match() {
        assert_eq!(included_in("/api/account/.*", &["/api/.*"]), Some(true));
        assert_eq!(included_in("/api/.*", &["/api/account/.*"]), Some(false));
        assert_eq!(included_in("/api/(a|b)", &["/api/a", "/api/b"]), Some(true));
        assert_eq!(
            included_in("/api/(a|b|c)", &["/api/a", "/api/b"]),
            Some(false)
        );
        assert_eq!(included_in("/x", &["/x"]), Some(true));
        assert_eq!(included_in("/[a-z]+", &["/[a-y]+"]), Some(false));
        assert_eq!(included_in("/.*", &["/.*"]), Some(true));
        // an anchor inside does not escape the full match
        assert_eq!(included_in("/public/.*", &["/public"]), Some(false));
    }

    #[test]
    fn routed_paths_decode_only_unreserved_characters() {
        assert_eq!(routed("/api/items"), "/api/items");
        assert!(matches!(routed("/api/items"), Cow::Borrowed(_)));
        assert_eq!(routed("/%61pi/%41ccount"), "/api/Account");
        assert_eq!(routed("/a%2Fb%20c%7e"), "/a%2Fb%20c~");
        assert_eq!(routed("/%2e%2E"), "/..");
        assert_eq!(routed("/%6"), "/%6");
        assert_eq!(routed("/%zz%"), "/%zz%");
        assert_eq!(routed("/é%61"), "/éa");
        assert!(matches!(routed("/a%20b"), Cow::Borrowed(_)));
    }
}
