//! Hostile origin regexes, generated: unbalanced parentheses, top-level alternation,
//! anchors, `\z`, inline flags, comments and newlines. Whatever the regex, the policy
//! either refuses it with the right error or admits exactly what the regex, compiled alone
//! and matched against the whole origin, admits; with credentials it never admits a site
//! on a domain an attacker registers.
#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use cors_core::{ConfigErrorKind, CorsConfig};
use cors_fuzz::oracle::{is_browser_origin, matched};
use proptest::prelude::*;

/// Origins on domains an attacker registers; no generated regex spells `zqxjv`.
const ATTACKER: &[&str] = &[
    "https://zqxjv.com",
    "http://zqxjv.net",
    "https://a.example.com.zqxjv.net",
    "https://app.example.com.zqxjv.com",
    "https://b.example.com.zqxjv.org",
    "https://zqxjv.github.io",
];

/// Origins worth asking about any regex the generator writes.
const PROBES: &[&str] = &[
    "https://app.example.com",
    "https://a.example.com",
    "https://b.example.com",
    "https://b.com",
    "https://a.example.com.evil.net",
    "https://evilb.com",
    "https://appxexample.com",
    "http://app.example.com",
    "https://app.example.com:8443",
    "https://x.a",
    "null",
];

fn hostile_regex() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(r"https://app\.example\.com".to_owned()),
        Just("https://app.example.com".to_owned()),
        Just(r"https://[a-z]+\.example\.com".to_owned()),
        Just(r"https://.*\.example\.com".to_owned()),
        Just(r"https://a\.example\.com".to_owned()),
        Just(r"b\.com".to_owned()),
        Just(".*".to_owned()),
        Just(".+".to_owned()),
        Just(")|(".to_owned()),
        Just(")|(?:".to_owned()),
        Just("|".to_owned()),
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just("(?:".to_owned()),
        Just("^".to_owned()),
        Just("$".to_owned()),
        Just(r"\A".to_owned()),
        Just(r"\z".to_owned()),
        Just("(?m)".to_owned()),
        Just("(?s)".to_owned()),
        Just("(?x)".to_owned()),
        Just("(?-u)".to_owned()),
        Just("#".to_owned()),
        Just(" ".to_owned()),
        Just("\n".to_owned()),
        Just(r"\n".to_owned()),
        Just("\\".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just(r"\b".to_owned()),
        Just("{2,}".to_owned()),
        Just("?".to_owned()),
        "[a-y0-9.:/-]{1,6}",
    ];
    prop::collection::vec(piece, 1..7).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn a_hostile_regex_is_refused_or_admits_exactly_what_it_matches(
        raw in hostile_regex(),
        credentials in any::<bool>(),
    ) {
        let built = CorsConfig::new()
            .allowed_origin_regexes([raw.as_str()])
            .allow_credentials(credentials)
            .build();
        let compiles_alone = regex::Regex::new(&raw).is_ok();
        let cors = match built {
            Ok(cors) => cors,
            Err(errors) => {
                for err in &errors {
                    prop_assert_eq!(err.field(), "allowed_origin_regexes");
                    prop_assert_eq!(err.value(), raw.as_str());
                    if compiles_alone {
                        prop_assert!(
                            matches!(err.kind(), ConfigErrorKind::OriginRegexForAnyDomain | ConfigErrorKind::InvalidRegex),
                            "{raw:?}: {err}"
                        );
                        if err.kind() == ConfigErrorKind::OriginRegexForAnyDomain {
                            prop_assert!(credentials);
                        }
                    } else {
                        prop_assert_eq!(err.kind(), ConfigErrorKind::InvalidRegex, "{}", err);
                    }
                }
                return Ok(());
            }
        };
        prop_assert!(compiles_alone, "{raw:?} built but does not compile alone");
        let witness = cors_core::any_website_origin(&raw).ok().flatten();
        let regexes = [raw.clone()];
        for origin in PROBES.iter().chain(ATTACKER).copied().chain(witness.as_deref()) {
            prop_assert_eq!(
                cors.is_origin_allowed(origin.as_bytes()),
                matched(&[], &regexes, origin),
                "{:?} on {:?}", raw, origin
            );
        }
        if credentials {
            for origin in ATTACKER {
                prop_assert!(
                    !cors.is_origin_allowed(origin.as_bytes()),
                    "{raw:?} with credentials admits {origin}"
                );
            }
            prop_assert!(witness.is_none(), "{raw:?} admits {witness:?}");
        } else if let Some(origin) = &witness {
            // the witness is real: an origin a browser sends, which the regex admits
            prop_assert!(is_browser_origin(origin));
            prop_assert!(matched(&[], &regexes, origin), "{raw:?}: {origin}");
            prop_assert!(cors.admits_any_website());
        }
    }
}

#[test]
fn the_review_s_escape_is_refused() {
    let raw = r"https://a\.example\.com)|(https://b\.example\.com";
    let err = CorsConfig::new()
        .allowed_origin_regexes([raw])
        .allow_credentials(true)
        .build()
        .unwrap_err()
        .first()
        .clone();
    assert_eq!(err.kind(), ConfigErrorKind::InvalidRegex);
    assert!(!matched(
        &[],
        &[raw.to_owned()],
        "https://a.example.com.evil.net"
    ));
}
