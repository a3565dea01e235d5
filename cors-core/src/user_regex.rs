//! A user's regex (`allowed_origin_regexes`, `urls_regex`): parsed on its own, anchored at
//! both ends as a syntax tree, compiled once.
//!
//! A regex is never anchored by pasting text around it: `a)|(b` pasted into `\A(?:…)\z`
//! closes the wrapper early and becomes `\A(?:a)|(b)\z`, which matches any input that
//! ends in `b` or starts with `a`. Here the regex is parsed alone first (a regex that does
//! not parse alone is a [`ConfigError`] naming the field, as Python's `re` refuses it too),
//! and the anchors are added around its syntax tree, so nothing in the regex can reach them.

use regex_automata::meta;
use regex_automata::util::syntax;
use regex_syntax::hir::{Hir, Look};

use crate::error::{ConfigError, ConfigErrorKind};

/// How deep a regex may nest groups and repetitions; deeper ones are refused when parsed
/// (the same limit as the `regex` crate).
const NEST_LIMIT: u32 = 250;

/// The most memory one compiled set of regexes may take; a larger one is refused.
const SIZE_LIMIT: usize = 10 << 20;

/// Parses `raw` on its own and returns its syntax tree anchored at both ends: it matches
/// an input only when the whole input matches `raw`.
pub(crate) fn parse_full_match(field: &'static str, raw: &str) -> Result<Hir, ConfigError> {
    parse(field, raw, false)
}

/// [`parse_full_match`] for a path regex (`urls_regex`, `paths`): `.` matches every
/// character, a newline included, since Rocket and actix-web decode `%0A` into the path
/// they route, and `/.*` must cover that path too.
pub(crate) fn parse_path_match(field: &'static str, raw: &str) -> Result<Hir, ConfigError> {
    parse(field, raw, true)
}

fn parse(field: &'static str, raw: &str, dot_all: bool) -> Result<Hir, ConfigError> {
    let config = syntax::Config::new()
        .nest_limit(NEST_LIMIT)
        .dot_matches_new_line(dot_all);
    let hir = syntax::parse_with(raw, &config).map_err(|e| {
        ConfigError::new(
            ConfigErrorKind::InvalidRegex,
            field,
            raw,
            "is not a valid regular expression",
        )
        .hint(one_line(&e.to_string()))
    })?;
    Ok(Hir::concat(vec![
        Hir::look(Look::Start),
        hir,
        Hir::look(Look::End),
    ]))
}

/// Compiles anchored syntax trees into one matcher that says whether any of them matches.
/// `raws` are the regexes as written, for the error message.
pub(crate) fn compile(
    field: &'static str,
    raws: &[String],
    hirs: &[Hir],
) -> Result<meta::Regex, ConfigError> {
    meta::Builder::new()
        .configure(
            meta::Config::new()
                .nfa_size_limit(Some(SIZE_LIMIT))
                .hybrid_cache_capacity(2 << 20)
                .dfa_size_limit(Some(SIZE_LIMIT)),
        )
        .build_many_from_hir(hirs)
        .map_err(|e| {
            ConfigError::new(
                ConfigErrorKind::InvalidRegex,
                field,
                raws.join(", "),
                "is too large to compile",
            )
            .hint(format!(
                "{}; write a shorter regex{}",
                one_line(&e.to_string()),
                if field == "allowed_origin_regexes" {
                    " or list the origins"
                } else {
                    ""
                }
            ))
        })
}

/// Parses and compiles one regex for full matches.
#[cfg(test)]
pub(crate) fn full_match(field: &'static str, raw: &str) -> Result<meta::Regex, ConfigError> {
    let hir = parse_full_match(field, raw)?;
    compile(field, &[raw.to_owned()], &[hir])
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(raw: &str, input: &str) -> bool {
        full_match("allowed_origin_regexes", raw)
            .unwrap()
            .is_match(input)
    }

    #[test]
    fn a_regex_that_does_not_parse_alone_is_refused() {
        for raw in [
            r"https://a\.example\.com)|(https://b\.example\.com",
            r"a)|(b",
            r"(a",
            r"a)",
            r"https://a\.com\",
            r"(?x)a)#",
            "[a-z",
        ] {
            let err = full_match("allowed_origin_regexes", raw).unwrap_err();
            assert_eq!(err.kind(), ConfigErrorKind::InvalidRegex, "{raw}");
            assert_eq!(err.field(), "allowed_origin_regexes");
            assert_eq!(err.value(), raw);
        }
    }

    #[test]
    fn anchors_hold_whatever_the_regex_holds() {
        // alternation at the top level
        assert!(matches(r"https://a\.com|https://b\.com", "https://b.com"));
        assert!(!matches(
            r"https://a\.com|https://b\.com",
            "https://a.com.evil.net"
        ));
        // the user's own anchors, multi-line mode and a trailing newline
        assert!(!matches(r"(?m)^https://a\.com$", "https://a.com\nx"));
        assert!(!matches("https://a\\.com\n", "https://a.com"));
        // verbose mode: a comment cannot swallow the closing anchor
        assert!(matches("(?x) https://a\\.com # the app", "https://a.com"));
        assert!(!matches(
            "(?x) https://a\\.com # the app",
            "https://a.com.evil.net"
        ));
        // an inline flag stays inside the regex
        assert!(matches(r"(?s)https://a\.com.?", "https://a.com"));
        assert!(!matches(r"(?s)https://a\.com.?", "https://a.com.evil"));
    }
}
