//! Every rule about `allow_credentials`, side by side.
//!
//! With credentials, a response a website may read carries the user's cookies. So:
//!
//! | rule | where |
//! |---|---|
//! | `allow_all_origins` takes `allow_credentials_with_any_origin`, then reflects origins | [`check_any_origin`] |
//! | `null` listed takes the same opt-in (any page sends it from a sandboxed iframe) | [`check_exposure`] |
//! | a regex for any domain takes the same opt-in | [`check_exposure`] |
//! | plain-http origins of non-local hosts are a warning | [`check_exposure`] |
//! | `expose_headers = ["*"]` is refused (browsers read it as a header named `*`) | [`check_expose`] |
//! | the opt-in without anything it opts into is a warning | [`check_opt_in_used`] |
//! | `allow_all_origins` answers `*` only without credentials, else reflects the origin | [`AnyOrigin::of`](crate::allow_origin::AnyOrigin::of) |
//! | `null` is allowed only when listed, never by a pattern, a regex or allow-all | [`AllowOrigin::check`](crate::allow_origin::AllowOrigin::check) |
//! | `allowed_methods = ["*"]` answers with the requested method | [`AllowMethods::answer`](crate::allow_methods::AllowMethods::answer) |
//! | `allowed_headers = ["*"]` answers with the requested headers | [`AllowHeaders::answer`](crate::allow_headers::AllowHeaders::answer) |
//! | `Access-Control-Allow-Credentials: true` only with an echoed origin | `classify.rs` |

use crate::allow_origin::Exposure;
use crate::build::Found;
use crate::config::CorsConfig;
use crate::error::{ConfigError, ConfigErrorKind};
use crate::warning::ConfigWarning;

/// How the policy sends credentials.
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

    pub(crate) fn is_on(self) -> bool {
        self != Credentials::Off
    }
}

const OPT_IN: &str = "allow_credentials_with_any_origin";

/// `allow_all_origins` with credentials: refused without the opt-in, a warning with it.
pub(crate) fn check_any_origin(config: &CorsConfig, found: &mut Found) {
    if !config.allow_all_origins {
        return;
    }
    match Credentials::of(config) {
        Credentials::Off => {}
        Credentials::On => found.error(any_origin_with_credentials()),
        Credentials::OnForAnyOrigin => found.warn(ConfigWarning::new(
            OPT_IN,
            "true",
            "reflects every origin with credentials: any website can read responses \
             with your users' cookies",
        )),
    }
}

/// The opt-in is a warning when there is nothing it opts into; `lists_admit_any_website`
/// is what the origin lists let in.
pub(crate) fn check_opt_in_used(
    config: &CorsConfig,
    lists_admit_any_website: bool,
    found: &mut Found,
) {
    if !config.allow_credentials_with_any_origin {
        return;
    }
    let unused = if !config.allow_credentials {
        Some("has no effect without allow_credentials")
    } else if !config.allow_all_origins && !lists_admit_any_website {
        Some(
            "has no effect: allow_all_origins is off and no listed origin or regex \
             admits any website",
        )
    } else {
        None
    };
    if let Some(message) = unused {
        found.warn(ConfigWarning::new(OPT_IN, "true", message));
    }
}

/// `expose_headers = ["*"]` with credentials, which browsers read as a header named `*`.
pub(crate) fn check_expose(config: &CorsConfig, found: &mut Found) {
    let all = config.expose_headers.len() == 1 && config.expose_headers[0] == "*";
    if all && config.allow_credentials {
        found.error(expose_all_with_credentials());
    }
}

/// What an entry of the origin lists lets in, judged by the credentials setting (asked by
/// building and by [`Cors::replace_allowed_origins`](crate::Cors::replace_allowed_origins)).
pub(crate) fn check_exposure(credentials: Credentials, exposure: &Exposure, found: &mut Found) {
    match (exposure, credentials) {
        (Exposure::Null, Credentials::On) => found.error(null_with_credentials()),
        (Exposure::Null, _) => {}
        (Exposure::AnyDomain { regex, witness }, Credentials::On) => {
            found.error(regex_for_any_domain(regex, witness));
        }
        (Exposure::AnyDomain { regex, witness }, _) => found.warn(ConfigWarning::new(
            REGEXES,
            regex.clone(),
            format!(
                "admits websites on domains anyone can register (it matches \
                 `{witness}`): they can all read these responses; if that is \
                 meant, allow_all_origins says so"
            ),
        )),
        (Exposure::Undecided { regex, why }, Credentials::On) => {
            found.error(crate::any_website::too_complex(regex, why));
        }
        (Exposure::Undecided { regex, why }, _) => found.warn(ConfigWarning::new(
            REGEXES,
            regex.clone(),
            format!(
                "is too complex to tell which websites it admits ({why}); \
                 it is treated as admitting any website"
            ),
        )),
        (Exposure::PlainHttp { .. }, Credentials::Off) => {}
        (
            Exposure::PlainHttp {
                field,
                entry,
                example,
            },
            _,
        ) => {
            let message = match example {
                None => "is plain http with credentials: anyone on the network path can \
                         run script as this origin and read the responses"
                    .to_owned(),
                Some(origin) => format!(
                    "matches plain http origins (such as `{origin}`) with credentials: \
                     anyone on the network path can run script as that origin and \
                     read the responses"
                ),
            };
            found.warn(ConfigWarning::new(field, entry.clone(), message));
        }
    }
}

const REGEXES: &str = "allowed_origin_regexes";

fn any_origin_with_credentials() -> ConfigError {
    ConfigError::new(
        ConfigErrorKind::AnyOriginWithCredentials,
        "allow_all_origins",
        "true",
        "together with allow_credentials would let every website read your users' \
         data with their cookies",
    )
    .hint(
        "list your front ends in allowed_origins (or a pattern like \
         `https://*.example.com`); if you really mean any origin, also set \
         allow_credentials_with_any_origin = true",
    )
}

fn expose_all_with_credentials() -> ConfigError {
    ConfigError::new(
        ConfigErrorKind::ExposeAllWithCredentials,
        "expose_headers",
        "*",
        "has no effect with `allow_credentials`: browsers treat `*` as a header literally \
         named `*` on credentialed requests",
    )
    .hint(
        "list the response headers scripts may read, e.g. `[\"x-request-id\", \
         \"content-length\"]`",
    )
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
        REGEXES,
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
