//! [`CorsConfig::build`]: every field checked, every mistake reported at once, compiled into
//! a [`Cors`].

use http::StatusCode;

use crate::allow_headers::AllowHeaders;
use crate::allow_methods::AllowMethods;
use crate::allow_origin::{AllowOrigin, AnyOrigin, OriginList, Origins};
use crate::config::CorsConfig;
use crate::credentials::{self, Credentials};
use crate::error::{ConfigError, ConfigErrorKind, ConfigErrors};
use crate::expose_headers::ExposeHeaders;
use crate::max_age::MaxAge;
use crate::origin_lists::OriginLists;
use crate::path_set::{self, Scope};
use crate::policy::{Cors, Inner};
use crate::private_network::PrivateNetwork;
use crate::warning::ConfigWarning;

/// What checking a configuration found: every error and every warning, in the order
/// they were found.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub(crate) errors: Vec<ConfigError>,
    pub(crate) warnings: Vec<ConfigWarning>,
}

impl Found {
    pub(crate) fn error(&mut self, error: ConfigError) {
        self.errors.push(error);
    }

    pub(crate) fn warn(&mut self, warning: ConfigWarning) {
        self.warnings.push(warning);
    }

    /// The value, or `None` with the error kept.
    pub(crate) fn take<T>(&mut self, result: Result<T, ConfigError>) -> Option<T> {
        result.map_err(|e| self.error(e)).ok()
    }

    /// The warnings, or every error found.
    pub(crate) fn finish(self) -> Result<Vec<ConfigWarning>, ConfigErrors> {
        match ConfigErrors::from_vec(self.errors) {
            Some(errors) => Err(errors),
            None => Ok(self.warnings),
        }
    }
}

impl CorsConfig {
    /// Validates the configuration and compiles it into a [`Cors`] policy.
    ///
    /// Never panics. Every mistake is reported, not only the first ([`ConfigErrors`]); each
    /// names the field and the value and suggests the fix. Legal but risky settings are
    /// kept as [`Cors::warnings`].
    ///
    /// ```
    /// use cors_core::CorsConfig;
    ///
    /// let errors = CorsConfig::new()
    ///     .allowed_origins(["https://a.com/", "example.com"])
    ///     .allowed_methods(["GET POST"])
    ///     .build()
    ///     .unwrap_err();
    /// let fields: Vec<&str> = errors.iter().map(|e| e.field()).collect();
    /// assert_eq!(fields, ["allowed_origins", "allowed_origins", "allowed_methods"]);
    /// ```
    pub fn build(&self) -> Result<Cors, ConfigErrors> {
        let cors = self.compile()?;
        #[cfg(feature = "tracing")]
        for w in cors.warnings() {
            tracing::warn!(target: "cors", field = w.field(), value = w.value(), "{w}");
        }
        Ok(cors)
    }

    /// [`build`](Self::build) without logging the warnings: what each entry of `paths` is
    /// built with, its warnings then logged once under the entry's name.
    pub(crate) fn compile(&self) -> Result<Cors, ConfigErrors> {
        let mut found = Found::default();
        let credentials = Credentials::of(self);
        credentials::check_any_origin(self, &mut found);
        let any = AnyOrigin::of(self);
        let list = OriginList::build(
            &self.allowed_origins,
            &self.allowed_origin_regexes,
            credentials,
            &mut found,
        );
        credentials::check_opt_in_used(self, list.admits_any_website(), &mut found);
        let private_network = self.check_private_network(any, &mut found);
        let scope = if self.paths.is_empty() {
            self.check_origin_lists(any, &list, &mut found);
            self.check_urls_regex(&mut found)
        } else {
            path_set::build(self, &mut found).map_or(Scope::All, Scope::Paths)
        };
        let max_age = MaxAge::build(self.max_age, &mut found);
        let preflight_status = self.check_preflight_status(&mut found);
        self.check_debug(&mut found);
        let methods = AllowMethods::build(&self.allowed_methods, &mut found);
        let headers = AllowHeaders::build(&self.allowed_headers, &mut found);
        let expose = ExposeHeaders::build(&self.expose_headers, &mut found);
        credentials::check_expose(self, &mut found);
        let warnings = found.finish()?;

        let mut config = self.clone();
        let origins = Origins {
            compiled: list,
            origins: std::mem::take(&mut config.allowed_origins),
            regexes: std::mem::take(&mut config.allowed_origin_regexes),
        };
        let inner = Inner {
            scope,
            origins: AllowOrigin {
                any,
                lists: OriginLists::new(origins),
                predicate: self.allow_origin_fn.clone(),
                asynchronous: self.allow_origin_async.clone(),
            },
            credentials: self.allow_credentials,
            methods,
            headers,
            expose,
            max_age,
            private_network,
            preflight_status,
            // with `paths`, on when an entry has it: the paths no entry matches are then
            // guarded as those `urls_regex` leaves out
            csrf: self.csrf_protection || self.paths.iter().any(|p| p.policy.csrf_protection),
            debug: self.debug,
            warnings,
            config,
        };
        Ok(Cors::new(inner))
    }

    /// `allowed_origins` next to `allow_all_origins` and the predicate: settings with no
    /// effect, and a policy that allows nothing.
    fn check_origin_lists(&self, any: AnyOrigin, list: &OriginList, found: &mut Found) {
        if any != AnyOrigin::No && !list.is_empty() {
            found.warn(ConfigWarning::new(
                "allowed_origins",
                self.allowed_origins.join(", "),
                "has no effect: allow_all_origins allows every origin",
            ));
        }
        if any == AnyOrigin::No
            && list.is_empty()
            && self.allow_origin_fn.is_none()
            && self.allow_origin_async.is_none()
        {
            found.warn(ConfigWarning::new(
                "allowed_origins",
                "[]",
                "is empty: no cross-origin request is allowed; list the origins of your front ends",
            ));
        }
        if self.csrf_protection && any != AnyOrigin::No {
            found.warn(ConfigWarning::new(
                "csrf_protection",
                "true",
                "has no effect: allow_all_origins allows every origin, so no request is refused; \
                 list the origins of your front ends",
            ));
        }
        if self.csrf_protection
            && self
                .allowed_origins
                .iter()
                .any(|o| o.trim().eq_ignore_ascii_case("null"))
        {
            found.warn(ConfigWarning::new(
                "csrf_protection",
                "true",
                "lets any page post: `null` is in allowed_origins, and a sandboxed iframe on any \
                 site sends `Origin: null`",
            ));
        }
    }

    /// `urls_regex`: anchored at both ends; every path (nothing to read per request) when
    /// it matches every path, read from what it matches (`^.*$`, `/.*`, empty).
    fn check_urls_regex(&self, found: &mut Found) -> Scope {
        if self.urls_regex.is_empty() {
            return Scope::All;
        }
        let hir = found.take(crate::user_regex::parse_path_match(
            "urls_regex",
            &self.urls_regex,
        ));
        match hir {
            Some(hir) if path_set::matches_every_path(&hir) => Scope::All,
            Some(hir) => found
                .take(crate::user_regex::compile(
                    "urls_regex",
                    std::slice::from_ref(&self.urls_regex),
                    &[hir],
                ))
                .map_or(Scope::All, Scope::Urls),
            None => Scope::All,
        }
    }

    /// `preflight_status`: a 2xx status, since browsers fail preflights answered otherwise.
    fn check_preflight_status(&self, found: &mut Found) -> StatusCode {
        let status = StatusCode::from_u16(self.preflight_status)
            .ok()
            .filter(StatusCode::is_success);
        found
            .take(status.ok_or_else(|| {
                ConfigError::new(
                    ConfigErrorKind::InvalidValue,
                    "preflight_status",
                    self.preflight_status.to_string(),
                    "is not a 2xx status; browsers fail preflights answered otherwise",
                )
                .hint("use 200 (the default) or 204")
            }))
            .unwrap_or(StatusCode::OK)
    }

    /// `allow_private_network`: a warning when every website may use it.
    fn check_private_network(&self, any: AnyOrigin, found: &mut Found) -> PrivateNetwork {
        if self.allow_private_network && any != AnyOrigin::No {
            found.warn(ConfigWarning::new(
                "allow_private_network",
                "true",
                "with allow_all_origins lets every website on the internet send requests to \
                 this server on your private network; list the origins of your front ends",
            ));
        }
        PrivateNetwork {
            allowed: self.allow_private_network,
        }
    }

    /// `debug`: a warning, since it tells any caller why its request was refused.
    fn check_debug(&self, found: &mut Found) {
        if self.debug {
            found.warn(ConfigWarning::new(
                "debug",
                "true",
                "tells any caller why its request was rejected; turn it off in production",
            ));
        }
    }
}
