//! [`ConfigError`]: what is wrong with a configuration, where, and how to fix it.

use std::fmt;

/// The kind of mistake a [`ConfigError`] reports, for code that wants to match on it.
///
/// ```
/// use cors_core::{ConfigErrorKind, CorsConfig};
///
/// let err = CorsConfig::new().allowed_origins(["https://a.com/"]).build().unwrap_err().first().clone();
/// assert_eq!(err.kind(), ConfigErrorKind::OriginTrailingSlash);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfigErrorKind {
    /// An origin without `scheme://`, such as `example.com` or `localhost:3000`.
    OriginMissingScheme,
    /// An origin ending in `/`.
    OriginTrailingSlash,
    /// An origin with a path (`https://a.com/api`).
    OriginPath,
    /// An origin with a query (`https://a.com?x=1`).
    OriginQuery,
    /// An origin with a fragment (`https://a.com#top`).
    OriginFragment,
    /// An origin with userinfo (`https://user@a.com`).
    OriginUserinfo,
    /// An origin whose host or port is not valid.
    OriginInvalidHost,
    /// A `file:` origin: browsers send `Origin: null` for those pages.
    OriginFileScheme,
    /// `*` inside `allowed_origins`.
    OriginWildcard,
    /// A subdomain pattern that is malformed or sits on a public suffix (`https://*.com`).
    OriginPattern,
    /// A regex that does not compile.
    InvalidRegex,
    /// A regex in `allowed_origin_regexes` that admits websites on domains anyone can
    /// register (decided from what it can match), with
    /// `allow_credentials` and no explicit opt-in.
    OriginRegexForAnyDomain,
    /// `null` in `allowed_origins` with `allow_credentials` and no explicit opt-in: any
    /// page can send `Origin: null` from a sandboxed iframe.
    NullWithCredentials,
    /// `allow_all_origins` with `allow_credentials` and no explicit opt-in.
    AnyOriginWithCredentials,
    /// A method that is not an HTTP token.
    InvalidMethod,
    /// A header name that is not an HTTP token.
    InvalidHeader,
    /// `expose_headers = ["*"]` with credentials: browsers ignore the `*` then.
    ExposeAllWithCredentials,
    /// A key the configuration does not know (a typo like `allowed_origin`).
    UnknownKey,
    /// A value of the wrong type or out of range.
    InvalidValue,
    /// A file or environment that cannot be read or parsed at all.
    Syntax,
}

/// A configuration that cannot be built, with the field, the value and a hint.
///
/// Its `Display` reads as one sentence a user can act on:
///
/// ```
/// use cors_core::CorsConfig;
///
/// let err = CorsConfig::new().allowed_origins(["https://a.com/"]).build().unwrap_err().first().clone();
/// assert_eq!(err.field(), "allowed_origins");
/// assert_eq!(err.value(), "https://a.com/");
/// assert_eq!(
///     err.to_string(),
///     "allowed_origins: `https://a.com/` has a trailing slash; origins have no path: \
///      did you mean `https://a.com`?"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    kind: ConfigErrorKind,
    field: String,
    value: String,
    problem: String,
    hint: Option<String>,
}

impl ConfigError {
    pub(crate) fn new(
        kind: ConfigErrorKind,
        field: impl Into<String>,
        value: impl Into<String>,
        problem: impl Into<String>,
    ) -> Self {
        ConfigError {
            kind,
            field: field.into(),
            value: value.into(),
            problem: problem.into(),
            hint: None,
        }
    }

    pub(crate) fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// What kind of mistake this is.
    ///
    /// ```
    /// # use cors_core::{ConfigErrorKind, CorsConfig};
    /// let err = CorsConfig::new().allowed_origins(["*"]).build().unwrap_err().first().clone();
    /// assert_eq!(err.kind(), ConfigErrorKind::OriginWildcard);
    /// ```
    pub fn kind(&self) -> ConfigErrorKind {
        self.kind
    }

    /// The configuration field at fault, as written in a file (`allowed_origins`).
    ///
    /// ```
    /// # use cors_core::CorsConfig;
    /// let err = CorsConfig::new().allowed_methods(["GET POST"]).build().unwrap_err().first().clone();
    /// assert_eq!(err.field(), "allowed_methods");
    /// ```
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The offending value, as the user wrote it.
    ///
    /// ```
    /// # use cors_core::CorsConfig;
    /// let err = CorsConfig::new().allowed_origins(["example.com"]).build().unwrap_err().first().clone();
    /// assert_eq!(err.value(), "example.com");
    /// ```
    pub fn value(&self) -> &str {
        &self.value
    }

    /// How to fix it, when there is an obvious fix.
    ///
    /// ```
    /// # use cors_core::CorsConfig;
    /// let err = CorsConfig::new().allowed_origins(["example.com"]).build().unwrap_err().first().clone();
    /// assert_eq!(err.hint_text(), Some("did you mean `https://example.com`?"));
    /// ```
    pub fn hint_text(&self) -> Option<&str> {
        self.hint.as_deref()
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: `{}` {}", self.field, self.value, self.problem)?;
        if let Some(hint) = &self.hint {
            write!(f, ": {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

/// Every mistake in a configuration, found at once by
/// [`CorsConfig::build`](crate::CorsConfig::build): never empty.
///
/// It iterates over its [`ConfigError`]s, in the order building found them (that of the
/// fields, mostly). Its `Display` is one
/// error per line, so one error reads exactly as that error does.
///
/// ```
/// use cors_core::{ConfigErrorKind, CorsConfig};
///
/// let errors = CorsConfig::new()
///     .allowed_origins(["https://a.com/", "example.com"])
///     .preflight_status(302)
///     .build()
///     .unwrap_err();
/// assert_eq!(errors.len(), 3);
/// assert_eq!(errors.first().kind(), ConfigErrorKind::OriginTrailingSlash);
/// for error in &errors {
///     eprintln!("error: {error}");
/// }
/// assert_eq!(
///     errors.to_string(),
///     "allowed_origins: `https://a.com/` has a trailing slash; origins have no path: did you mean `https://a.com`?\n\
///      allowed_origins: `example.com` has no scheme: did you mean `https://example.com`?\n\
///      preflight_status: `302` is not a 2xx status; browsers fail preflights answered otherwise: use 200 (the default) or 204"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors {
    /// Never empty.
    errors: Vec<ConfigError>,
}

impl ConfigErrors {
    /// The errors, or `None` when there are none.
    pub(crate) fn from_vec(errors: Vec<ConfigError>) -> Option<Self> {
        (!errors.is_empty()).then_some(ConfigErrors { errors })
    }

    /// One error.
    pub(crate) fn one(error: ConfigError) -> Self {
        ConfigErrors {
            errors: vec![error],
        }
    }

    /// The first error found.
    ///
    /// ```
    /// # use cors_core::CorsConfig;
    /// let errors = CorsConfig::new().allowed_origins(["*"]).build().unwrap_err();
    /// assert_eq!(errors.first().field(), "allowed_origins");
    /// ```
    pub fn first(&self) -> &ConfigError {
        // `errors` is never empty: every constructor puts one in.
        &self.errors[0]
    }

    /// How many errors there are (at least one).
    ///
    /// ```
    /// # use cors_core::CorsConfig;
    /// let errors = CorsConfig::new().allowed_methods(["GET POST", "a b"]).build().unwrap_err();
    /// assert_eq!(errors.len(), 2);
    /// ```
    #[allow(clippy::len_without_is_empty)] // never empty
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// The errors, in the order building found them.
    ///
    /// ```
    /// # use cors_core::CorsConfig;
    /// let errors = CorsConfig::new().allowed_methods(["GET POST", "a b"]).build().unwrap_err();
    /// let values: Vec<&str> = errors.iter().map(|e| e.value()).collect();
    /// assert_eq!(values, ["GET POST", "a b"]);
    /// ```
    pub fn iter(&self) -> std::slice::Iter<'_, ConfigError> {
        self.errors.iter()
    }
}

impl From<ConfigError> for ConfigErrors {
    /// One error: what reading a file that cannot be parsed gives, so that `?` works on
    /// both in a function that loads and builds a configuration.
    ///
    /// ```
    /// use cors_core::{ConfigErrors, CorsConfig};
    /// fn load(text: &str) -> Result<cors_core::Cors, ConfigErrors> {
    ///     Ok(CorsConfig::from_toml_str(text)?.build()?)
    /// }
    /// assert_eq!(load("allowed_origin = []").unwrap_err().first().field(), "allowed_origin");
    /// ```
    fn from(error: ConfigError) -> Self {
        ConfigErrors {
            errors: vec![error],
        }
    }
}

impl<'a> IntoIterator for &'a ConfigErrors {
    type Item = &'a ConfigError;
    type IntoIter = std::slice::Iter<'a, ConfigError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.iter()
    }
}

impl IntoIterator for ConfigErrors {
    type Item = ConfigError;
    type IntoIter = std::vec::IntoIter<ConfigError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter()
    }
}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            error.fmt(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}
