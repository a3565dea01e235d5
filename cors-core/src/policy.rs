//! [`Cors`]: the validated policy, what it holds, and what it tells about itself. Deciding
//! a request is in `classify.rs`, building one in `build.rs`.

use std::fmt;
use std::sync::Arc;

use http::{HeaderValue, StatusCode};

use crate::allow_headers::AllowHeaders;
use crate::allow_methods::AllowMethods;
use crate::allow_origin::{AllowOrigin, OriginList, Origins};
use crate::build::Found;
use crate::config::CorsConfig;
use crate::credentials::Credentials;
use crate::error::{ConfigError, ConfigErrorKind, ConfigErrors};
use crate::expose_headers::ExposeHeaders;
use crate::max_age::MaxAge;
use crate::path_set::Scope;
use crate::private_network::PrivateNetwork;
use crate::request::HeaderField;
use crate::warning::ConfigWarning;

/// The validated, immutable CORS policy every adapter takes.
///
/// Everything that does not depend on the request is computed when it is built. Cloning it
/// is a reference-count bump, so adapters clone it freely.
///
/// ```
/// use cors_core::{Cors, CorsConfig};
///
/// let cors: Cors = CorsConfig::new().allowed_origins(["https://app.example.com"]).build()?;
/// let for_another_service = cors.clone(); // cheap
/// assert!(for_another_service.is_origin_allowed(b"https://app.example.com"));
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
#[derive(Clone)]
pub struct Cors {
    pub(crate) inner: Arc<Inner>,
}

/// The compiled policy. Each field holds one setting in the form requests are checked
/// against, with what building guarantees about it.
pub(crate) struct Inner {
    /// The paths handled: all (then adapters need not read the path, [`Cors::reads_path`]),
    /// those `urls_regex` matches, or, with `paths`, each entry's policy for its own.
    pub(crate) scope: Scope,
    /// Which origins are allowed. Answers `*` only without credentials; the lists can be
    /// replaced at run time, and every replacement passes the same checks as building.
    pub(crate) origins: AllowOrigin,
    /// `allow_credentials`. `Access-Control-Allow-Credentials` goes only with an echoed
    /// origin, never with `*`.
    pub(crate) credentials: bool,
    /// Tokens, case-sensitive; GET, HEAD and POST always pass.
    pub(crate) methods: AllowMethods,
    /// Lower-case tokens.
    pub(crate) headers: AllowHeaders,
    /// Never `*` with credentials.
    pub(crate) expose: ExposeHeaders,
    /// The `Access-Control-Max-Age` value, built once; none to send when `None`.
    pub(crate) max_age: MaxAge,
    /// Granted only to a preflight that asks with exactly `true`.
    pub(crate) private_network: PrivateNetwork,
    /// Always 2xx.
    pub(crate) preflight_status: StatusCode,
    /// `csrf_protection`: refuses with 403 an unsafe-method request from another site whose
    /// origin is not allowed; never a same-origin one.
    pub(crate) csrf: bool,
    /// Says why in a refusal's body and `X-CORS-Rejected`; the reason is logged either way.
    pub(crate) debug: bool,
    /// Found when built, in the order found; never changes after.
    pub(crate) warnings: Vec<ConfigWarning>,
    /// The configuration as built, but for `allowed_origins` and `allowed_origin_regexes`
    /// (left empty here), which live with their compiled form in `origins`.
    pub(crate) config: CorsConfig,
}

impl Cors {
    pub(crate) fn new(inner: Inner) -> Self {
        Cors {
            inner: Arc::new(inner),
        }
    }

    /// Every header value this policy can write that is neither copied from the request
    /// (an echoed origin, mirrored method or headers) nor merged with the app's own `Vary`:
    /// the fixed ones (`true`, `*`, the `Vary` lists, the debug body's content type) and
    /// the ones built from the settings. Adapters whose framework has its own header value
    /// type convert these once instead of on every response.
    ///
    /// ```
    /// use cors_core::CorsConfig;
    /// let cors = CorsConfig::new()
    ///     .allowed_origins(["https://a.com"])
    ///     .allowed_methods(["GET", "PUT"])
    ///     .max_age(600)
    ///     .build()?;
    /// let values: Vec<&str> = cors.header_values().map(|v| v.to_str().unwrap()).collect();
    /// assert!(values.contains(&"GET, PUT"));
    /// assert!(values.contains(&"600"));
    /// assert!(values.contains(&"Origin"));
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn header_values(&self) -> impl Iterator<Item = &HeaderValue> {
        self.own_header_values()
            .chain(self.entries().flat_map(Cors::own_header_values))
    }

    /// [`header_values`](Self::header_values) but for those of the entries of `paths`.
    fn own_header_values(&self) -> impl Iterator<Item = &HeaderValue> {
        let inner = &*self.inner;
        crate::headers::FIXED_VALUES
            .iter()
            .copied()
            .chain(inner.methods.value())
            .chain(inner.headers.value())
            .chain(inner.expose.value())
            .chain(inner.max_age.value())
    }

    /// The policies of the entries of `paths`, in order; none without `paths`.
    fn entries(&self) -> impl Iterator<Item = &Cors> {
        self.path_policies().map(|(_, cors)| cors)
    }

    /// The entries of `paths`: each path regex as written, with the policy that answers
    /// the paths it matches. Empty for a policy without `paths`. Each entry's origin lists
    /// can be replaced on its own ([`replace_allowed_origins`](Self::replace_allowed_origins)).
    ///
    /// ```
    /// use cors_core::CorsConfig;
    ///
    /// let cors = CorsConfig::new()
    ///     .path("/api/account/.*", CorsConfig::new().allowed_origins(["https://app.example.com"]))
    ///     .path("/api/.*", CorsConfig::new().allow_all_origins(true))
    ///     .build()?;
    /// let paths: Vec<&str> = cors.path_policies().map(|(path, _)| path).collect();
    /// assert_eq!(paths, ["/api/account/.*", "/api/.*"]);
    /// let (_, account) = cors.path_policies().next().unwrap();
    /// account.replace_allowed_origins(["https://new.example.com"], Vec::<String>::new())?;
    /// assert_eq!(cors.config().paths[0].policy.allowed_origins, ["https://new.example.com"]);
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn path_policies(&self) -> impl Iterator<Item = (&str, &Cors)> {
        let entries = match &self.inner.scope {
            Scope::Paths(set) => set.entries.as_slice(),
            Scope::All | Scope::Urls(_) => &[],
        };
        entries
            .iter()
            .map(|entry| (entry.path.as_str(), &entry.cors))
    }

    /// Which entry of `paths` answers a request on `path` (its position), or `None` when
    /// no entry matches it, or the policy has no `paths`. What `cors explain` shows.
    ///
    /// ```
    /// use cors_core::CorsConfig;
    ///
    /// let cors = CorsConfig::new()
    ///     .path("/api/account/.*", CorsConfig::new().allowed_origins(["https://app.example.com"]))
    ///     .path("/api/.*", CorsConfig::new().allow_all_origins(true))
    ///     .build()?;
    /// assert_eq!(cors.path_entry("/api/account/me"), Some(0));
    /// assert_eq!(cors.path_entry("/api/%61ccount/me"), Some(0)); // as a router decodes it
    /// assert_eq!(cors.path_entry("/api/items"), Some(1));
    /// assert_eq!(cors.path_entry("/static/app.js"), None);
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn path_entry(&self, path: &str) -> Option<usize> {
        match &self.inner.scope {
            Scope::Paths(set) => set.find(path).map(|(at, _)| at),
            Scope::All | Scope::Urls(_) => None,
        }
    }

    /// Whether `csrf_protection` is on, in this policy or in any entry of `paths`: whether
    /// a request with an unsafe method may be refused before the app runs. Adapters that
    /// route such methods themselves (Rocket) ask it.
    ///
    /// ```
    /// use cors_core::CorsConfig;
    /// assert!(!CorsConfig::new().allowed_origins(["https://a.com"]).build()?.csrf_protection());
    /// let cors = CorsConfig::new()
    ///     .path("/.*", CorsConfig::new().allowed_origins(["https://a.com"]).csrf_protection(true))
    ///     .build()?;
    /// assert!(cors.csrf_protection());
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn csrf_protection(&self) -> bool {
        self.inner.csrf
    }

    /// Whether [`classify`](Self::classify) looks at the request's path at all: only
    /// when `urls_regex` is set to something narrower than every path. Adapters for which
    /// reading the path costs something may pass an empty path when this is `false`.
    ///
    /// ```
    /// use cors_core::CorsConfig;
    /// assert!(!CorsConfig::new().allow_all_origins(true).build()?.reads_path());
    /// assert!(CorsConfig::new().allow_all_origins(true).urls_regex("/api/.*").build()?.reads_path());
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn reads_path(&self) -> bool {
        !matches!(self.inner.scope, Scope::All)
    }

    /// Whether any website can get an allowed answer: `allow_all_origins`, `null` listed
    /// (any page can send it from a sandboxed iframe), or an origin regex that matches
    /// origins on any domain. With credentials, each of these takes
    /// `allow_credentials_with_any_origin`. Follows
    /// [`replace_allowed_origins`](Self::replace_allowed_origins). With `paths`: whether
    /// any entry's policy does.
    ///
    /// ```
    /// use cors_core::CorsConfig;
    /// assert!(CorsConfig::new().allowed_origin_regexes(["https://.*"]).build()?.admits_any_website());
    /// assert!(CorsConfig::new().allowed_origins(["null"]).build()?.admits_any_website());
    /// assert!(!CorsConfig::new().allowed_origin_regexes([r"https://.*\.example\.com"]).build()?.admits_any_website());
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn admits_any_website(&self) -> bool {
        self.inner.origins.admits_any_website() || self.entries().any(Cors::admits_any_website)
    }

    /// Whether an `Origin` value is allowed by this policy (exact, pattern, regex,
    /// predicate or allow-all; the asynchronous check is not asked). With `paths`: by every
    /// entry's policy, so that no origin an entry refuses is said to be allowed (ask an
    /// entry's own through [`path_policies`](Self::path_policies)).
    ///
    /// ```
    /// # use cors_core::CorsConfig;
    /// let cors = CorsConfig::new().allowed_origins(["https://*.example.com"]).build()?;
    /// assert!(cors.is_origin_allowed(b"https://app.example.com"));
    /// assert!(!cors.is_origin_allowed(b"https://example.com"));
    /// assert!(!cors.is_origin_allowed(b"https://app.example.com.evil.com"));
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn is_origin_allowed(&self, origin: &[u8]) -> bool {
        match &self.inner.scope {
            Scope::Paths(_) => self.entries().all(|entry| entry.is_origin_allowed(origin)),
            Scope::All | Scope::Urls(_) => {
                self.inner.origins.check(HeaderField::One(origin)).is_ok()
            }
        }
    }

    /// Replaces the allowed origins, subdomain patterns and regexes at run time, for every
    /// clone of this policy (and so every adapter using it), without rebuilding the app.
    ///
    /// The new lists are validated like [`CorsConfig::build`] does; on error nothing
    /// changes. Returns the warnings for the new lists. Requests being classified while
    /// it runs see either the old or the new lists, never a mix. A policy with `paths` has
    /// no lists of its own (an error says so): replace those of an entry, from
    /// [`path_policies`](Self::path_policies).
    ///
    /// ```
    /// use cors_core::CorsConfig;
    ///
    /// let cors = CorsConfig::new().allowed_origins(["https://old.example.com"]).build()?;
    /// let in_adapter = cors.clone();
    /// cors.replace_allowed_origins(["https://new.example.com"], Vec::<String>::new())?;
    /// assert!(in_adapter.is_origin_allowed(b"https://new.example.com"));
    /// assert!(!in_adapter.is_origin_allowed(b"https://old.example.com"));
    /// assert!(cors.replace_allowed_origins(["https://bad.example.com/"], Vec::<String>::new()).is_err());
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn replace_allowed_origins<O, R>(
        &self,
        origins: O,
        regexes: R,
    ) -> Result<Vec<ConfigWarning>, ConfigErrors>
    where
        O: IntoIterator,
        O::Item: Into<String>,
        R: IntoIterator,
        R::Item: Into<String>,
    {
        let origins: Vec<String> = origins.into_iter().map(Into::into).collect();
        if let Scope::Paths(_) = self.inner.scope {
            return Err(ConfigErrors::one(
                ConfigError::new(
                    ConfigErrorKind::InvalidValue,
                    "allowed_origins",
                    origins.join(", "),
                    "cannot replace the lists of a policy with `paths`, which has none of its own",
                )
                .hint("replace an entry's lists: `cors.path_policies()` gives each entry's policy"),
            ));
        }
        let regexes: Vec<String> = regexes.into_iter().map(Into::into).collect();
        let mut found = Found::default();
        let credentials = Credentials::of(&self.inner.config);
        let compiled = OriginList::build(&origins, &regexes, credentials, &mut found);
        let warnings = found.finish()?;
        self.inner.origins.lists.store(Origins {
            compiled,
            origins,
            regexes,
        });
        Ok(warnings)
    }

    /// The legal but risky settings found when the policy was built.
    ///
    /// ```
    /// # use cors_core::CorsConfig;
    /// let cors = CorsConfig::new().allowed_origins(["https://a.com"]).build()?;
    /// assert!(cors.warnings().is_empty());
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn warnings(&self) -> &[ConfigWarning] {
        &self.inner.warnings
    }

    /// The configuration this policy answers by now: as built, with the origin lists of the
    /// last [`replace_allowed_origins`](Self::replace_allowed_origins). Building it again
    /// gives a policy that answers every request the same.
    ///
    /// ```
    /// # use cors_core::CorsConfig;
    /// let cors = CorsConfig::new().allowed_origins(["https://old.example.com"]).max_age(600).build()?;
    /// cors.replace_allowed_origins(["https://new.example.com"], Vec::<String>::new())?;
    /// let config = cors.config();
    /// assert_eq!(config.max_age, Some(600));
    /// assert_eq!(config.allowed_origins, ["https://new.example.com"]);
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn config(&self) -> CorsConfig {
        let lists = self.inner.origins.lists.load();
        let mut config = self.inner.config.clone();
        config.allowed_origins.clone_from(&lists.origins);
        config.allowed_origin_regexes.clone_from(&lists.regexes);
        for (entry, cors) in config.paths.iter_mut().zip(self.entries()) {
            entry.policy = cors.config();
        }
        config
    }
}

impl fmt::Debug for Cors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.inner.config;
        let lists = self.inner.origins.lists.load();
        f.debug_struct("Cors")
            .field("allowed_origins", &lists.origins)
            .field("allowed_origin_regexes", &lists.regexes)
            .field("allow_all_origins", &c.allow_all_origins)
            .field("allow_credentials", &c.allow_credentials)
            .field("paths", &self.path_policies().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}
