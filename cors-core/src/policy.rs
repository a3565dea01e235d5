//! [`Cors`]: the validated policy, and the decision engine.

use std::fmt;
use std::sync::Arc;

use arc_swap::ArcSwap;
use http::{HeaderValue, StatusCode};
use regex_automata::meta;

use crate::allow_headers::{AllowHeaders, RequestedHeaders};
use crate::allow_methods::AllowMethods;
use crate::allow_origin::{Credentials, OriginList, OriginPredicate};
use crate::config::CorsConfig;
#[cfg(feature = "tracing")]
use crate::decision::Shown;
use crate::decision::{
    AllowOrigin, Decision, Forward, Headers, Mirror, Reason, Response, STAR, TEXT_PLAIN, Value,
};
use crate::error::{ConfigError, ConfigErrorKind};
use crate::request::{HeaderField, RequestView};
use crate::warning::ConfigWarning;
use crate::{expose_headers, origin, token, vary};

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
/// # Ok::<(), cors_core::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct Cors {
    inner: Arc<Inner>,
}

/// How `allow_all_origins` answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AnyOrigin {
    /// Off: only listed, matched or predicate-approved origins.
    No,
    /// `Access-Control-Allow-Origin: *`.
    Wildcard,
    /// Reflect any serialised origin but `null` (credentials, explicitly opted in).
    Reflect,
}

struct Inner {
    urls: Option<meta::Regex>,
    origins: ArcSwap<OriginList>,
    any_origin: AnyOrigin,
    predicate: Option<OriginPredicate>,
    credentials: bool,
    methods: AllowMethods,
    headers: AllowHeaders,
    expose: Option<HeaderValue>,
    max_age: Option<HeaderValue>,
    private_network: bool,
    preflight_status: StatusCode,
    reject_disallowed: bool,
    debug: bool,
    warnings: Vec<ConfigWarning>,
    config: CorsConfig,
}

impl CorsConfig {
    /// Validates the configuration and compiles it into a [`Cors`] policy.
    ///
    /// Never panics. Every error names the field and the value and suggests the fix;
    /// legal but risky settings are kept as [`Cors::warnings`].
    ///
    /// ```
    /// use cors_core::CorsConfig;
    ///
    /// let err = CorsConfig::new()
    ///     .allow_all_origins(true)
    ///     .allow_credentials(true)
    ///     .build()
    ///     .unwrap_err();
    /// assert_eq!(err.field(), "allow_all_origins");
    /// ```
    pub fn build(&self) -> Result<Cors, ConfigError> {
        let mut warnings = Vec::new();
        let any_origin = self.any_origin(&mut warnings)?;
        let origins = OriginList::build(
            &self.allowed_origins,
            &self.allowed_origin_regexes,
            Credentials::of(self),
            &mut warnings,
        )?;
        if self.allow_credentials_with_any_origin {
            let unused = if !self.allow_credentials {
                Some("has no effect without allow_credentials")
            } else if any_origin == AnyOrigin::No && !origins.admits_any_website() {
                Some(
                    "has no effect: allow_all_origins is off and no listed origin or regex \
                     admits any website",
                )
            } else {
                None
            };
            if let Some(message) = unused {
                warnings.push(ConfigWarning::new(
                    "allow_credentials_with_any_origin",
                    "true",
                    message,
                ));
            }
        }
        if self.allow_private_network && any_origin != AnyOrigin::No {
            warnings.push(ConfigWarning::new(
                "allow_private_network",
                "true",
                "with allow_all_origins lets every website on the internet send requests to \
                 this server on your private network; list the origins of your front ends",
            ));
        }
        if any_origin != AnyOrigin::No && !origins.is_empty() {
            warnings.push(ConfigWarning::new(
                "allowed_origins",
                self.allowed_origins.join(", "),
                "has no effect: allow_all_origins allows every origin",
            ));
        }
        if any_origin == AnyOrigin::No && origins.is_empty() && self.allow_origin_fn.is_none() {
            warnings.push(ConfigWarning::new(
                "allowed_origins",
                "[]",
                "is empty: no cross-origin request is allowed; list the origins of your front ends",
            ));
        }
        let urls = match self.urls_regex.as_str() {
            "^.*$" | ".*" | "" => None,
            raw => Some(crate::user_regex::full_match("urls_regex", raw)?),
        };
        let max_age = self.max_age.map(|secs| {
            if secs > 86400 {
                warnings.push(ConfigWarning::new(
                    "max_age",
                    secs.to_string(),
                    "is more than any browser caches a preflight (Chromium 7200, Firefox 86400)",
                ));
            }
            HeaderValue::from(secs)
        });
        let preflight_status = StatusCode::from_u16(self.preflight_status)
            .ok()
            .filter(StatusCode::is_success)
            .ok_or_else(|| {
                ConfigError::new(
                    ConfigErrorKind::InvalidValue,
                    "preflight_status",
                    self.preflight_status.to_string(),
                    "is not a 2xx status; browsers fail preflights answered otherwise",
                )
                .hint("use 200 (the default) or 204")
            })?;
        if self.debug {
            warnings.push(ConfigWarning::new(
                "debug",
                "true",
                "tells any caller why its request was rejected; turn it off in production",
            ));
        }
        let inner = Inner {
            urls,
            origins: ArcSwap::from_pointee(origins),
            any_origin,
            predicate: self.allow_origin_fn.clone(),
            credentials: self.allow_credentials,
            methods: AllowMethods::build(&self.allowed_methods, &mut warnings)?,
            headers: AllowHeaders::build(&self.allowed_headers)?,
            expose: expose_headers::build(&self.expose_headers, self.allow_credentials)?,
            max_age,
            private_network: self.allow_private_network,
            preflight_status,
            reject_disallowed: self.reject_disallowed_requests,
            debug: self.debug,
            warnings,
            config: self.clone(),
        };
        #[cfg(feature = "tracing")]
        for w in &inner.warnings {
            tracing::warn!(target: "cors", field = w.field(), value = w.value(), "{w}");
        }
        Ok(Cors {
            inner: Arc::new(inner),
        })
    }

    fn any_origin(&self, warnings: &mut Vec<ConfigWarning>) -> Result<AnyOrigin, ConfigError> {
        match (
            self.allow_all_origins,
            self.allow_credentials,
            self.allow_credentials_with_any_origin,
        ) {
            (false, _, _) => Ok(AnyOrigin::No),
            (true, false, _) => Ok(AnyOrigin::Wildcard),
            (true, true, false) => Err(ConfigError::new(
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
            )),
            (true, true, true) => {
                warnings.push(ConfigWarning::new(
                    "allow_credentials_with_any_origin",
                    "true",
                    "reflects every origin with credentials: any website can read responses \
                     with your users' cookies",
                ));
                Ok(AnyOrigin::Reflect)
            }
        }
    }
}

impl Cors {
    /// Decides what to do with a request. Allocates nothing.
    ///
    /// ```
    /// use cors_core::{CorsConfig, Decision, HeaderField, RequestView};
    ///
    /// let cors = CorsConfig::new().allowed_origins(["https://app.example.com"]).build()?;
    /// let preflight = RequestView {
    ///     method: "OPTIONS",
    ///     path: "/api/items/1",
    ///     origin: HeaderField::One(b"https://app.example.com"),
    ///     request_method: HeaderField::One(b"PUT"),
    ///     request_headers: HeaderField::One(b"content-type"),
    ///     ..RequestView::default()
    /// };
    /// let Decision::Respond(answer) = cors.classify(&preflight) else { unreachable!() };
    /// assert_eq!(answer.status(), 200);
    /// assert!(answer.rejection().is_none());
    /// # Ok::<(), cors_core::ConfigError>(())
    /// ```
    pub fn classify<'a>(&'a self, req: &RequestView<'a>) -> Decision<'a> {
        let inner = &*self.inner;
        if let Some(urls) = &inner.urls
            && !urls.is_match(req.path)
        {
            return Decision::Skip;
        }
        if !req.origin.is_present() {
            return Decision::Forward(Forward {
                origin: AllowOrigin::No,
                rejection: None,
            });
        }
        let origin = self.check_origin(req.origin);
        if req.is_preflight() {
            self.preflight(req, origin)
        } else {
            self.actual(req, origin)
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
    /// # Ok::<(), cors_core::ConfigError>(())
    /// ```
    pub fn header_values(&self) -> impl Iterator<Item = &HeaderValue> {
        let inner = &*self.inner;
        crate::decision::FIXED_VALUES
            .iter()
            .copied()
            .chain(inner.methods.listed().flatten())
            .chain(inner.headers.listed().flatten())
            .chain(inner.expose.as_ref())
            .chain(inner.max_age.as_ref())
    }

    /// Whether [`classify`](Self::classify) looks at the request's path at all: only
    /// when `urls_regex` is set to something narrower than every path. Adapters for which
    /// reading the path costs something may pass an empty path when this is `false`.
    ///
    /// ```
    /// use cors_core::CorsConfig;
    /// assert!(!CorsConfig::new().allow_all_origins(true).build()?.reads_path());
    /// assert!(CorsConfig::new().allow_all_origins(true).urls_regex("/api/.*").build()?.reads_path());
    /// # Ok::<(), cors_core::ConfigError>(())
    /// ```
    pub fn reads_path(&self) -> bool {
        self.inner.urls.is_some()
    }

    /// Whether any website can get an allowed answer: `allow_all_origins`, `null` listed
    /// (any page can send it from a sandboxed iframe), or an origin regex that matches
    /// origins on any domain. With credentials, each of these takes
    /// `allow_credentials_with_any_origin`. Follows
    /// [`replace_allowed_origins`](Self::replace_allowed_origins).
    ///
    /// ```
    /// use cors_core::CorsConfig;
    /// assert!(CorsConfig::new().allowed_origin_regexes(["https://.*"]).build()?.admits_any_website());
    /// assert!(CorsConfig::new().allowed_origins(["null"]).build()?.admits_any_website());
    /// assert!(!CorsConfig::new().allowed_origin_regexes([r"https://.*\.example\.com"]).build()?.admits_any_website());
    /// # Ok::<(), cors_core::ConfigError>(())
    /// ```
    pub fn admits_any_website(&self) -> bool {
        self.inner.any_origin != AnyOrigin::No || self.inner.origins.load().admits_any_website()
    }

    /// Whether an `Origin` value is allowed by this policy (exact, pattern, regex,
    /// predicate or allow-all).
    ///
    /// ```
    /// # use cors_core::CorsConfig;
    /// let cors = CorsConfig::new().allowed_origins(["https://*.example.com"]).build()?;
    /// assert!(cors.is_origin_allowed(b"https://app.example.com"));
    /// assert!(!cors.is_origin_allowed(b"https://example.com"));
    /// assert!(!cors.is_origin_allowed(b"https://app.example.com.evil.com"));
    /// # Ok::<(), cors_core::ConfigError>(())
    /// ```
    pub fn is_origin_allowed(&self, origin: &[u8]) -> bool {
        self.check_origin(HeaderField::One(origin)).is_ok()
    }

    /// Replaces the allowed origins, subdomain patterns and regexes at run time, for every
    /// clone of this policy (and so every adapter using it), without rebuilding the app.
    ///
    /// The new lists are validated like [`CorsConfig::build`] does; on error nothing
    /// changes. Returns the warnings for the new lists. Requests being classified while
    /// it runs see either the old or the new lists, never a mix.
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
    /// # Ok::<(), cors_core::ConfigError>(())
    /// ```
    pub fn replace_allowed_origins<O, R>(
        &self,
        origins: O,
        regexes: R,
    ) -> Result<Vec<ConfigWarning>, ConfigError>
    where
        O: IntoIterator,
        O::Item: Into<String>,
        R: IntoIterator,
        R::Item: Into<String>,
    {
        let origins: Vec<String> = origins.into_iter().map(Into::into).collect();
        let regexes: Vec<String> = regexes.into_iter().map(Into::into).collect();
        let mut warnings = Vec::new();
        let credentials = Credentials::of(&self.inner.config);
        let list = OriginList::build(&origins, &regexes, credentials, &mut warnings)?;
        self.inner.origins.store(Arc::new(list));
        Ok(warnings)
    }

    /// The legal but risky settings found when the policy was built.
    ///
    /// ```
    /// # use cors_core::CorsConfig;
    /// let cors = CorsConfig::new().allowed_origins(["https://a.com"]).build()?;
    /// assert!(cors.warnings().is_empty());
    /// # Ok::<(), cors_core::ConfigError>(())
    /// ```
    pub fn warnings(&self) -> &[ConfigWarning] {
        &self.inner.warnings
    }

    /// The configuration this policy was built from (origins as first configured).
    ///
    /// ```
    /// # use cors_core::CorsConfig;
    /// let cors = CorsConfig::new().max_age(600).build()?;
    /// assert_eq!(cors.config().max_age, Some(600));
    /// # Ok::<(), cors_core::ConfigError>(())
    /// ```
    pub fn config(&self) -> &CorsConfig {
        &self.inner.config
    }

    /// Checks the `Origin` header: the answer for `Access-Control-Allow-Origin`, or why not.
    fn check_origin<'a>(
        &self,
        field: HeaderField<'a>,
    ) -> Result<Option<&'a [u8]>, Reason<'static>> {
        let inner = &*self.inner;
        let bytes = match field {
            HeaderField::Absent => return Err(Reason::MalformedOrigin),
            HeaderField::Repeated => return Err(Reason::RepeatedOrigin),
            HeaderField::One(bytes) => bytes,
        };
        if inner.any_origin == AnyOrigin::Wildcard {
            return if origin::is_serialised(bytes) {
                Ok(None)
            } else {
                Err(Reason::MalformedOrigin)
            };
        }
        let list = inner.origins.load();
        if bytes.len() <= origin::MAX_ORIGIN_LEN && list.lists(bytes) {
            return Ok(Some(bytes));
        }
        // Only serialised origins go further (`is_serialised` admits ASCII alone), so no
        // pattern, regex or predicate ever sees malformed or over-long input.
        if !origin::is_serialised(bytes) {
            return Err(Reason::MalformedOrigin);
        }
        let text = std::str::from_utf8(bytes).map_err(|_| Reason::MalformedOrigin)?;
        let allowed = list.matches(text)
            || (text != "null"
                && (inner.any_origin == AnyOrigin::Reflect
                    || inner.predicate.as_ref().is_some_and(|p| p.allows(text))));
        if allowed {
            Ok(Some(bytes))
        } else {
            Err(Reason::OriginNotAllowed)
        }
    }

    fn actual<'a>(
        &'a self,
        req: &RequestView<'a>,
        origin: Result<Option<&'a [u8]>, Reason<'static>>,
    ) -> Decision<'a> {
        match origin {
            Ok(echo) => Decision::Forward(Forward {
                origin: if echo.is_some() {
                    AllowOrigin::Echo
                } else {
                    AllowOrigin::Any
                },
                rejection: None,
            }),
            // A same-origin request needs no CORS: never refused, nothing to say.
            Err(_) if req.is_same_origin() => Decision::Forward(Forward {
                origin: AllowOrigin::No,
                rejection: None,
            }),
            Err(reason) => {
                self.trace_rejection(req, reason);
                if self.inner.reject_disallowed {
                    self.rejected(reason, false)
                } else {
                    Decision::Forward(Forward {
                        origin: AllowOrigin::No,
                        rejection: Some(reason),
                    })
                }
            }
        }
    }

    /// The headers of an actual (non-preflight) response. See [`Forward::headers`].
    pub(crate) fn actual_headers<'a>(&'a self, forward: Forward, origin: &'a [u8]) -> Headers<'a> {
        let inner = &*self.inner;
        let how = forward.origin;
        let allow_origin = match how {
            AllowOrigin::No => {
                return Headers {
                    vary: Some(&vary::ACTUAL),
                    rejected: self.debug_header(forward.rejection),
                    ..Headers::default()
                };
            }
            AllowOrigin::Any => Value::Policy(&STAR),
            AllowOrigin::Echo => Value::Mirror(Mirror::Origin, origin),
        };
        Headers {
            allow_origin: Some(allow_origin),
            allow_credentials: inner.credentials && how == AllowOrigin::Echo,
            expose_headers: inner.expose.as_ref(),
            vary: Some(&vary::ACTUAL),
            ..Headers::default()
        }
    }

    fn preflight<'a>(
        &'a self,
        req: &RequestView<'a>,
        origin: Result<Option<&'a [u8]>, Reason<'static>>,
    ) -> Decision<'a> {
        match self.preflight_headers(req, origin) {
            Ok(headers) => Decision::Respond(Response {
                status: self.inner.preflight_status,
                headers,
                rejection: None,
                debug: self.inner.debug,
                preflight: true,
            }),
            Err(reason) => {
                self.trace_rejection(req, reason);
                self.rejected(reason, true)
            }
        }
    }

    /// A request the middleware answers itself with 403 and no CORS headers; in debug
    /// mode the body (`text/plain`) says why, and for an actual request
    /// [`X_CORS_REJECTED`](crate::X_CORS_REJECTED) too.
    fn rejected<'a>(&self, reason: Reason<'a>, preflight: bool) -> Decision<'a> {
        Decision::Respond(Response {
            status: StatusCode::FORBIDDEN,
            headers: Headers {
                vary: Some(if preflight {
                    &vary::PREFLIGHT
                } else {
                    &vary::ACTUAL
                }),
                content_type: self.inner.debug.then_some(&TEXT_PLAIN),
                rejected: if preflight {
                    None
                } else {
                    self.debug_header(Some(reason))
                },
                ..Headers::default()
            },
            rejection: Some(reason),
            debug: self.inner.debug,
            preflight,
        })
    }

    /// [`X_CORS_REJECTED`](crate::X_CORS_REJECTED)'s value for a refused actual request,
    /// in debug mode.
    fn debug_header(&self, rejection: Option<Reason<'_>>) -> Option<&'static HeaderValue> {
        rejection
            .filter(|_| self.inner.debug)
            .and_then(Reason::header_value)
    }

    fn preflight_headers<'a>(
        &'a self,
        req: &RequestView<'a>,
        origin: Result<Option<&'a [u8]>, Reason<'static>>,
    ) -> Result<Headers<'a>, Reason<'a>> {
        let inner = &*self.inner;
        let echo = origin?;
        let credentials = inner.credentials && echo.is_some();

        let method = match req.request_method {
            HeaderField::One(m) if token::is_token(m) => m,
            HeaderField::Repeated => {
                return Err(Reason::RepeatedHeader("access-control-request-method"));
            }
            _ => return Err(Reason::MalformedRequestMethod),
        };
        if !inner.methods.allows(method) {
            return Err(Reason::MethodNotAllowed(method));
        }

        let requested = match req.request_headers {
            HeaderField::Absent => None,
            HeaderField::One(list) => match inner.headers.check(list) {
                // An empty or all-blank list asks for nothing.
                RequestedHeaders::Allowed {
                    authorization,
                    empty,
                } => (!empty).then_some((list, authorization)),
                RequestedHeaders::NotAllowed(h) => return Err(Reason::HeaderNotAllowed(h)),
                RequestedHeaders::Malformed(h) => return Err(Reason::MalformedRequestHeaders(h)),
            },
            HeaderField::Repeated => {
                return Err(Reason::RepeatedHeader("access-control-request-headers"));
            }
        };

        let private_network = req.request_private_network == HeaderField::One(b"true");
        if private_network && !inner.private_network {
            return Err(Reason::PrivateNetworkNotAllowed);
        }

        // `*` counts only without credentials, and never covers Authorization: then name
        // what was asked for.
        let allow_methods = match inner.methods.listed() {
            Some(listed) => listed.map(Value::Policy),
            None if credentials => Some(Value::Mirror(Mirror::RequestMethod, method)),
            None => Some(Value::Policy(&STAR)),
        };
        let allow_headers = match (inner.headers.listed(), requested) {
            (Some(listed), _) => listed.map(Value::Policy),
            (None, Some((list, authorization))) if credentials || authorization => {
                Some(Value::Mirror(Mirror::RequestHeaders, list))
            }
            (None, _) if credentials => None,
            (None, _) => Some(Value::Policy(&STAR)),
        };
        Ok(Headers {
            allow_origin: Some(match echo {
                Some(o) => Value::Mirror(Mirror::Origin, o),
                None => Value::Policy(&STAR),
            }),
            allow_credentials: credentials,
            allow_methods,
            allow_headers,
            max_age: inner.max_age.as_ref(),
            expose_headers: None,
            allow_private_network: private_network,
            vary: Some(&vary::PREFLIGHT),
            content_type: None,
            rejected: None,
        })
    }

    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    fn trace_rejection(&self, req: &RequestView<'_>, reason: Reason<'_>) {
        #[cfg(feature = "tracing")]
        tracing::debug!(
            target: "cors",
            method = %Shown(req.method.as_bytes()),
            path = %ShownPath(req.path),
            origin = %ShownField(req.origin),
            preflight = req.is_preflight(),
            "CORS request rejected: {reason}"
        );
    }
}

/// A request header for logs: escaped, cut short, and `(repeated)` / `(absent)`.
#[cfg(feature = "tracing")]
struct ShownField<'a>(HeaderField<'a>);

#[cfg(feature = "tracing")]
impl fmt::Display for ShownField<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            HeaderField::One(bytes) => Shown(bytes).fmt(f),
            HeaderField::Repeated => f.write_str("(repeated)"),
            HeaderField::Absent => f.write_str("(absent)"),
        }
    }
}

/// The request path for logs: escaped, cut short, and `(not read)` when the adapter left it
/// empty because the policy does not look at it ([`Cors::reads_path`]).
#[cfg(feature = "tracing")]
struct ShownPath<'a>(&'a str);

#[cfg(feature = "tracing")]
impl fmt::Display for ShownPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            "" => f.write_str("(not read)"),
            path => Shown(path.as_bytes()).fmt(f),
        }
    }
}

impl fmt::Debug for Cors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.inner.config;
        f.debug_struct("Cors")
            .field("allowed_origins", &c.allowed_origins)
            .field("allowed_origin_regexes", &c.allowed_origin_regexes)
            .field("allow_all_origins", &c.allow_all_origins)
            .field("allow_credentials", &c.allow_credentials)
            .finish_non_exhaustive()
    }
}
