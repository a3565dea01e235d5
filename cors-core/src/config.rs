//! [`CorsConfig`]: the one configuration type, as a builder, through serde and from the
//! environment.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::allow_origin::OriginPredicate;
use crate::origin_check::AsyncOriginPredicate;

/// A CORS policy as the user writes it. [`build`](CorsConfig::build) validates it into a
/// [`Cors`](crate::Cors).
///
/// Field names follow django-cors-headers' settings, lower-cased without the `CORS_`
/// prefix; its older names (`origin_whitelist`, `origin_regex_whitelist`,
/// `origin_allow_all`, `preflight_max_age`, `allow_methods`, `allow_headers`) are accepted
/// as aliases. Defaults follow django-cors-headers, except where safety says otherwise.
///
/// | field | meaning | default |
/// |---|---|---|
/// | `allowed_origins` | exact origins; `https://*.example.com` is a subdomain pattern; `null` only if listed | `[]` |
/// | `allowed_origin_regexes` | regexes that must match the whole origin | `[]` |
/// | `allow_all_origins` | any origin, answered with `*` | `false` |
/// | `allow_credentials_with_any_origin` | opt-in to reflect any origin with credentials | `false` |
/// | `allowed_methods` | methods (case-sensitive) or `["*"]` | `DELETE, GET, OPTIONS, PATCH, POST, PUT` |
/// | `allowed_headers` | header names (case-insensitive) or `["*"]` | `accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with` |
/// | `expose_headers` | response headers scripts may read, or `["*"]` | `[]` |
/// | `allow_credentials` | send `Access-Control-Allow-Credentials: true` | `false` |
/// | `max_age` | seconds for `Access-Control-Max-Age`; `null` (JSON) or `false` (TOML) sends none | `86400` |
/// | `allow_private_network` | answer `Access-Control-Request-Private-Network: true` | `false` |
/// | `urls_regex` | only paths that fully match are handled at all | `^.*$` |
/// | `csrf_protection` | refuse with 403 an unsafe-method request from another site whose origin is not allowed, without running the app | `false` |
/// | `preflight_status` | status of an allowed preflight (2xx) | `200` |
/// | `debug` | say why a request was refused: a rejected preflight's body, the `X-CORS-Rejected` header of an actual request | `false` |
/// | `allow_origin_fn` (code only) | a check for origins kept elsewhere, asked after the lists miss | none |
/// | `allow_origin_async` (code only) | the same, awaited by the adapter (a database, a tenant service) | none |
/// | `paths` | several policies by path: the first entry whose `path` regex fully matches decides; alone at the top | `[]` |
///
/// As a builder:
///
/// ```
/// use cors_core::CorsConfig;
///
/// let cors = CorsConfig::new()
///     .allowed_origins(["https://app.example.com", "https://*.preview.example.com"])
///     .allow_credentials(true)
///     .max_age(600)
///     .build()?;
/// assert!(cors.is_origin_allowed(b"https://pr-42.preview.example.com"));
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
///
/// From TOML (or JSON with [`from_json_str`](CorsConfig::from_json_str)):
///
/// ```
/// use cors_core::CorsConfig;
///
/// let cors = CorsConfig::from_toml_str(r#"
///     allowed_origins = ["http://localhost:3000"]
///     allow_credentials = true
/// "#)?.build()?;
/// assert!(cors.is_origin_allowed(b"http://localhost:3000"));
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct CorsConfig {
    /// Exact origins (`https://app.example.com`), subdomain patterns
    /// (`https://*.example.com`: one or more labels in front, never the bare domain) and
    /// `null`, which is allowed only when listed.
    #[serde(alias = "origin_whitelist")]
    pub allowed_origins: Vec<String>,
    /// Regexes an origin must match in full (they are anchored at both ends for you).
    #[serde(alias = "origin_regex_whitelist")]
    pub allowed_origin_regexes: Vec<String>,
    /// Allow every origin, answered with `Access-Control-Allow-Origin: *`.
    #[serde(alias = "origin_allow_all")]
    pub allow_all_origins: bool,
    /// Accept that any website reads responses with credentials. With `allow_credentials`,
    /// three settings let every site read your users' data with their cookies, and each is a
    /// [`ConfigError`](crate::ConfigError) without this opt-in: `allow_all_origins` (then
    /// any origin is reflected back), `null` in `allowed_origins` (any page can send it from
    /// a sandboxed iframe) and a regex that matches origins on any domain.
    pub allow_credentials_with_any_origin: bool,
    /// Methods a preflight may ask for, compared case-sensitively, or `["*"]`.
    #[serde(alias = "allow_methods")]
    pub allowed_methods: Vec<String>,
    /// Request headers a preflight may ask for, compared case-insensitively, or `["*"]`
    /// (which never covers `Authorization` in browsers, so it is then named explicitly).
    #[serde(alias = "allow_headers")]
    pub allowed_headers: Vec<String>,
    /// Response headers scripts may read (`Access-Control-Expose-Headers`), or `["*"]`
    /// (refused with credentials, where browsers ignore it).
    pub expose_headers: Vec<String>,
    /// Send `Access-Control-Allow-Credentials: true`, so cookies and `Authorization` work.
    pub allow_credentials: bool,
    /// Seconds a browser may cache a preflight answer; `None` sends no
    /// `Access-Control-Max-Age` (browsers then cache for 5 s). Chromium caps it at 7200,
    /// Firefox at 86400.
    #[serde(
        alias = "preflight_max_age",
        deserialize_with = "max_age_de",
        serialize_with = "max_age_ser"
    )]
    pub max_age: Option<u64>,
    /// Answer `Access-Control-Request-Private-Network: true` (Private Network Access).
    pub allow_private_network: bool,
    /// Only requests whose path fully matches this regex are handled; others pass through
    /// untouched, preflights included (but for `csrf_protection`, which guards every path).
    /// The path is the one the framework routes; `.` matches any character, a newline
    /// (`%0A`, decoded by some routers) included.
    pub urls_regex: String,
    /// Cross-site request forgery protection from the same policy: refuse with 403, without
    /// running the app, a request with an unsafe method (anything but GET, HEAD and OPTIONS)
    /// that a browser marks as coming from another site (`Sec-Fetch-Site: cross-site` or
    /// `same-site`; without that header, an `Origin` that is not the request's own host)
    /// when the policy does not allow its origin. Never a same-origin request, never a
    /// request without `Origin` and `Sec-Fetch-Site` (not a browser's). Off by default. See
    /// the crate docs, "Cross-site request forgery", for what it protects against.
    pub csrf_protection: bool,
    /// The status of an allowed preflight answer (200 to 299).
    pub preflight_status: u16,
    /// Say why a request was refused: in a rejected preflight's body (`text/plain`), and
    /// in the [`X_CORS_REJECTED`](crate::X_CORS_REJECTED) header of the response to an
    /// actual request from a disallowed origin. For development: it tells any caller what
    /// the policy allows. The `tracing` event (target `cors`, level debug) is emitted
    /// either way.
    pub debug: bool,
    /// Several policies by path, in order: a request is handled by the first entry whose
    /// `path` regex matches its path in full, and passed on untouched when none does (with
    /// `csrf_protection` in an entry, building makes every path some entry's). Each entry
    /// is a whole policy, validated as one; the other settings stay at their defaults
    /// beside it. See [`PathPolicy`] and [`path`](Self::path).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<PathPolicy>,
    /// A check for origins that cannot be listed (asked last). Not read from files.
    #[serde(skip)]
    pub allow_origin_fn: Option<OriginPredicate>,
    /// An asynchronous check for origins kept elsewhere (a database, a tenant service),
    /// asked after everything else misses; the adapter awaits it. Not read from files.
    #[serde(skip)]
    pub allow_origin_async: Option<AsyncOriginPredicate>,
}

/// One entry of [`CorsConfig::paths`]: the paths it handles and the policy it answers them
/// with.
///
/// In a file, an entry is a table with `path` beside the policy's own settings:
///
/// ```
/// use cors_core::CorsConfig;
///
/// let cors = CorsConfig::from_toml_str(r#"
///     [[paths]]
///     path = "/api/account/.*"
///     allowed_origins = ["https://app.example.com"]
///     allow_credentials = true
///
///     [[paths]]
///     path = "/api/.*"
///     allow_all_origins = true
/// "#)?.build()?;
/// let (path, account) = cors.path_policies().next().unwrap();
/// assert_eq!(path, "/api/account/.*");
/// assert!(!account.is_origin_allowed(b"https://elsewhere.example"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PathPolicy {
    /// A regex the request's path must match in full (anchored at both ends for you), as
    /// `urls_regex` is: `.` matches any character, a newline included. The path is the one
    /// the framework routes, with percent-encoded letters, digits and `-._~` decoded
    /// (`/%61pi` is `/api`).
    pub path: String,
    /// The policy for those paths. Its own `paths` stay empty and its `urls_regex` at the
    /// default.
    pub policy: CorsConfig,
}

impl PathPolicy {
    /// An entry: `policy` for the paths `path` matches in full.
    ///
    /// ```
    /// use cors_core::{CorsConfig, PathPolicy};
    /// let entry = PathPolicy::new("/public/.*", CorsConfig::new().allow_all_origins(true));
    /// assert_eq!(entry.path, "/public/.*");
    /// ```
    pub fn new(path: impl Into<String>, policy: CorsConfig) -> Self {
        PathPolicy {
            path: path.into(),
            policy,
        }
    }
}

impl Serialize for PathPolicy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Flat<'a> {
            path: &'a str,
            #[serde(flatten)]
            policy: &'a CorsConfig,
        }
        Flat {
            path: &self.path,
            policy: &self.policy,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for PathPolicy {
    /// Read as the loader reads a `[[paths]]` table, with the same errors.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        crate::load::path_policy(value).map_err(serde::de::Error::custom)
    }
}

impl Default for CorsConfig {
    fn default() -> Self {
        CorsConfig {
            allowed_origins: Vec::new(),
            allowed_origin_regexes: Vec::new(),
            allow_all_origins: false,
            allow_credentials_with_any_origin: false,
            allowed_methods: strings(&["DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT"]),
            allowed_headers: strings(&[
                "accept",
                "authorization",
                "content-type",
                "user-agent",
                "x-csrftoken",
                "x-requested-with",
            ]),
            expose_headers: Vec::new(),
            allow_credentials: false,
            max_age: Some(86400),
            allow_private_network: false,
            urls_regex: "^.*$".to_owned(),
            csrf_protection: false,
            preflight_status: 200,
            debug: false,
            paths: Vec::new(),
            allow_origin_fn: None,
            allow_origin_async: None,
        }
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn list<I>(items: I) -> Vec<String>
where
    I: IntoIterator,
    I::Item: Into<String>,
{
    items.into_iter().map(Into::into).collect()
}

/// `max_age`: a number, or `null` / `false` for "send none".
pub(crate) fn max_age_de<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum MaxAge {
        Seconds(u64),
        Off(bool),
        Null(()),
    }
    match MaxAge::deserialize(d)? {
        MaxAge::Seconds(s) => Ok(Some(s)),
        MaxAge::Off(false) | MaxAge::Null(()) => Ok(None),
        MaxAge::Off(true) => Err(serde::de::Error::custom(
            "max_age is a number of seconds, or false for none",
        )),
    }
}

fn max_age_ser<S: Serializer>(v: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(secs) => s.serialize_u64(*secs),
        None => s.serialize_bool(false),
    }
}

impl CorsConfig {
    /// The defaults: no origin allowed yet, django-cors-headers' methods and headers,
    /// `max_age` 86400.
    ///
    /// ```
    /// let config = cors_core::CorsConfig::new();
    /// assert!(config.allowed_origins.is_empty());
    /// assert_eq!(config.max_age, Some(86400));
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `allowed_origins`.
    ///
    /// ```
    /// let config = cors_core::CorsConfig::new().allowed_origins(["https://a.com", "null"]);
    /// assert_eq!(config.allowed_origins, ["https://a.com", "null"]);
    /// ```
    pub fn allowed_origins<I>(mut self, origins: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.allowed_origins = list(origins);
        self
    }

    /// Sets `allowed_origin_regexes`.
    ///
    /// ```
    /// let config = cors_core::CorsConfig::new().allowed_origin_regexes([r"https://[a-z0-9-]+\.example\.com"]);
    /// assert_eq!(config.allowed_origin_regexes.len(), 1);
    /// ```
    pub fn allowed_origin_regexes<I>(mut self, regexes: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.allowed_origin_regexes = list(regexes);
        self
    }

    /// Sets `allow_all_origins`.
    ///
    /// ```
    /// let config = cors_core::CorsConfig::new().allow_all_origins(true);
    /// assert!(config.allow_all_origins);
    /// ```
    pub fn allow_all_origins(mut self, on: bool) -> Self {
        self.allow_all_origins = on;
        self
    }

    /// Sets `allow_credentials_with_any_origin`.
    ///
    /// ```
    /// let config = cors_core::CorsConfig::new()
    ///     .allow_all_origins(true)
    ///     .allow_credentials(true)
    ///     .allow_credentials_with_any_origin(true);
    /// assert!(config.build().is_ok());
    /// ```
    pub fn allow_credentials_with_any_origin(mut self, on: bool) -> Self {
        self.allow_credentials_with_any_origin = on;
        self
    }

    /// Sets `allowed_methods`.
    ///
    /// ```
    /// let config = cors_core::CorsConfig::new().allowed_methods(["GET", "POST"]);
    /// assert_eq!(config.allowed_methods, ["GET", "POST"]);
    /// ```
    pub fn allowed_methods<I>(mut self, methods: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.allowed_methods = list(methods);
        self
    }

    /// Sets `allowed_headers`.
    ///
    /// ```
    /// let config = cors_core::CorsConfig::new().allowed_headers(["content-type", "x-api-key"]);
    /// assert_eq!(config.allowed_headers.len(), 2);
    /// ```
    pub fn allowed_headers<I>(mut self, headers: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.allowed_headers = list(headers);
        self
    }

    /// Sets `expose_headers`.
    ///
    /// ```
    /// let config = cors_core::CorsConfig::new().expose_headers(["x-request-id"]);
    /// assert_eq!(config.expose_headers, ["x-request-id"]);
    /// ```
    pub fn expose_headers<I>(mut self, headers: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.expose_headers = list(headers);
        self
    }

    /// Sets `allow_credentials`.
    ///
    /// ```
    /// let config = cors_core::CorsConfig::new().allow_credentials(true);
    /// assert!(config.allow_credentials);
    /// ```
    pub fn allow_credentials(mut self, on: bool) -> Self {
        self.allow_credentials = on;
        self
    }

    /// Sets `max_age`: seconds, or `None` for no `Access-Control-Max-Age` header.
    ///
    /// ```
    /// let config = cors_core::CorsConfig::new().max_age(600);
    /// assert_eq!(config.max_age, Some(600));
    /// let config = config.max_age(None);
    /// assert_eq!(config.max_age, None);
    /// ```
    pub fn max_age(mut self, seconds: impl Into<Option<u64>>) -> Self {
        self.max_age = seconds.into();
        self
    }

    /// Sets `allow_private_network`.
    ///
    /// ```
    /// let config = cors_core::CorsConfig::new().allow_private_network(true);
    /// assert!(config.allow_private_network);
    /// ```
    pub fn allow_private_network(mut self, on: bool) -> Self {
        self.allow_private_network = on;
        self
    }

    /// Sets `urls_regex`.
    ///
    /// ```
    /// let config = cors_core::CorsConfig::new().urls_regex(r"/api/.*");
    /// assert_eq!(config.urls_regex, "/api/.*");
    /// ```
    pub fn urls_regex(mut self, regex: impl Into<String>) -> Self {
        self.urls_regex = regex.into();
        self
    }

    /// Sets `csrf_protection`.
    ///
    /// ```
    /// let config = cors_core::CorsConfig::new().csrf_protection(true);
    /// assert!(config.csrf_protection);
    /// ```
    pub fn csrf_protection(mut self, on: bool) -> Self {
        self.csrf_protection = on;
        self
    }

    /// Sets `preflight_status`.
    ///
    /// ```
    /// let config = cors_core::CorsConfig::new().preflight_status(204);
    /// assert_eq!(config.preflight_status, 204);
    /// ```
    pub fn preflight_status(mut self, status: u16) -> Self {
        self.preflight_status = status;
        self
    }

    /// Sets `debug`.
    ///
    /// ```
    /// let config = cors_core::CorsConfig::new().debug(true);
    /// assert!(config.debug);
    /// ```
    pub fn debug(mut self, on: bool) -> Self {
        self.debug = on;
        self
    }

    /// Adds an entry to [`paths`](Self::paths): `policy` answers the requests whose path
    /// `path` matches in full, unless an earlier entry matches first. The first full match
    /// wins; a path no entry matches is passed on untouched, preflights included.
    ///
    /// ```
    /// use cors_core::{CorsConfig, Decision, HeaderField, RequestView};
    ///
    /// let cors = CorsConfig::new()
    ///     .path(
    ///         "/api/account/.*",
    ///         CorsConfig::new().allowed_origins(["https://app.example.com"]).allow_credentials(true),
    ///     )
    ///     .path("/api/.*", CorsConfig::new().allow_all_origins(true))
    ///     .build()?;
    /// let from = |path| RequestView {
    ///     method: "GET",
    ///     path,
    ///     origin: HeaderField::One(b"https://elsewhere.example"),
    ///     ..RequestView::default()
    /// };
    /// let Decision::Forward(public) = cors.classify(&from("/api/items")) else { unreachable!() };
    /// assert!(public.rejection().is_none()); // answered with `*`
    /// let Decision::Forward(account) = cors.classify(&from("/api/account/me")) else { unreachable!() };
    /// assert!(account.rejection().is_some());
    /// assert_eq!(cors.classify(&from("/static/app.js")), Decision::Skip);
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn path(mut self, path: impl Into<String>, policy: CorsConfig) -> Self {
        self.paths.push(PathPolicy::new(path, policy));
        self
    }

    /// Sets the asynchronous origin check, asked after the listed origins, patterns,
    /// regexes and the predicate miss; the adapter awaits it before answering. See
    /// [`AsyncOriginPredicate`].
    ///
    /// ```
    /// use cors_core::{AsyncOriginPredicate, CorsConfig};
    ///
    /// let cors = CorsConfig::new()
    ///     .allowed_origins(["https://app.example.com"])
    ///     .allow_origin_async(AsyncOriginPredicate::new(|origin: String| async move {
    ///         Ok::<_, std::io::Error>(origin.ends_with(".tenants.example.net"))
    ///     }))
    ///     .build()?;
    /// // listed origins are answered at once, without the check
    /// assert!(cors.is_origin_allowed(b"https://app.example.com"));
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn allow_origin_async(mut self, check: AsyncOriginPredicate) -> Self {
        self.allow_origin_async = Some(check);
        self
    }

    /// Sets the origin predicate, asked after the listed origins, patterns and regexes miss.
    ///
    /// ```
    /// use cors_core::{CorsConfig, OriginPredicate};
    ///
    /// let cors = CorsConfig::new()
    ///     .allow_origin_fn(OriginPredicate::new(|o: &str| o == "https://tenant.example.net"))
    ///     .build()?;
    /// assert!(cors.is_origin_allowed(b"https://tenant.example.net"));
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn allow_origin_fn(mut self, predicate: OriginPredicate) -> Self {
        self.allow_origin_fn = Some(predicate);
        self
    }
}
