//! CORS settings as django-cors-headers and Starlette/FastAPI users have them, read from
//! their Python files, and those middlewares' own origin matching, emulated.

use std::fmt;

use cors_core::CorsConfig;
use regex_automata::meta::Regex;
use regex_syntax::hir::{Hir, Look};

use crate::python::{self, Read, Value};

/// Which middleware the settings are for.
///
/// ```
/// use cors_lint::{Legacy, Source};
///
/// let fastapi = "app.add_middleware(CORSMiddleware, allow_origins=['https://a.com'])";
/// assert_eq!(Legacy::from_python(fastapi)?.source, Source::Starlette);
/// assert_eq!(Source::Django.to_string(), "django-cors-headers");
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// django-cors-headers: `CORS_*` settings.
    Django,
    /// Starlette's (and FastAPI's) `CORSMiddleware` keyword arguments.
    Starlette,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::Django => "django-cors-headers",
            Source::Starlette => "Starlette CORSMiddleware",
        })
    }
}

/// A setting that was present but not read, and why: its value is not a literal, its type
/// is wrong, or it is assigned inside a block.
///
/// ```
/// let legacy = cors_lint::Legacy::from_python("CORS_ALLOWED_ORIGINS = env.list('ORIGINS')")?;
/// assert_eq!(legacy.unread[0].name, "CORS_ALLOWED_ORIGINS");
/// assert_eq!(legacy.unread[0].line, 1);
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unread {
    /// The setting or keyword argument.
    pub name: String,
    /// 1-based line in the file.
    pub line: usize,
    /// Why it was not read.
    pub why: String,
}

/// The CORS settings of a Django settings file or a FastAPI/Starlette app, in the old
/// middleware's terms, with its defaults filled in.
///
/// ```
/// use cors_lint::{Legacy, Source};
///
/// let old = Legacy::from_python(r#"
/// CORS_ORIGIN_WHITELIST = ("https://example.com", "http://localhost:8080")
/// CORS_ALLOW_CREDENTIALS = True
/// "#)?;
/// assert_eq!(old.source, Source::Django);
/// assert_eq!(old.origins, ["https://example.com", "http://localhost:8080"]);
/// assert_eq!(old.names.origins, "CORS_ORIGIN_WHITELIST");
/// assert!(old.credentials);
/// assert_eq!(old.max_age, Some(86400));
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Legacy {
    /// Which middleware.
    pub source: Source,
    /// `CORS_ALLOWED_ORIGINS` / `allow_origins` (without a `*` entry).
    pub origins: Vec<String>,
    /// `CORS_ALLOWED_ORIGIN_REGEXES` / `allow_origin_regex`.
    pub origin_regexes: Vec<String>,
    /// `CORS_ALLOW_ALL_ORIGINS` / `"*"` in `allow_origins`.
    pub allow_all: bool,
    /// `CORS_ALLOW_CREDENTIALS` / `allow_credentials`.
    pub credentials: bool,
    /// Allowed methods; `["*"]` for any.
    pub methods: Vec<String>,
    /// Allowed request headers; `["*"]` for any.
    pub headers: Vec<String>,
    /// Exposed response headers.
    pub expose: Vec<String>,
    /// `Access-Control-Max-Age`; `None` when none is sent.
    pub max_age: Option<u64>,
    /// Private Network Access.
    pub private_network: bool,
    /// `CORS_URLS_REGEX` when set (django only; matched with `re.match`).
    pub urls_regex: Option<String>,
    /// The names the file used, for messages.
    pub names: Names,
    /// Settings present but not read.
    pub unread: Vec<Unread>,
}

/// The names of the origin settings as the file spells them (django's old or new names,
/// Starlette's keyword arguments).
///
/// ```
/// let legacy = cors_lint::Legacy::from_python("CORS_ORIGIN_WHITELIST = ['https://a.com']")?;
/// assert_eq!(legacy.names.origins, "CORS_ORIGIN_WHITELIST");
/// assert_eq!(legacy.names.regexes, "CORS_ALLOWED_ORIGIN_REGEXES");
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// `CORS_ALLOWED_ORIGINS`, `CORS_ORIGIN_WHITELIST` or `allow_origins`.
    pub origins: &'static str,
    /// `CORS_ALLOWED_ORIGIN_REGEXES`, `CORS_ORIGIN_REGEX_WHITELIST` or `allow_origin_regex`.
    pub regexes: &'static str,
    /// `CORS_ALLOW_ALL_ORIGINS`, `CORS_ORIGIN_ALLOW_ALL` or `allow_origins`.
    pub allow_all: &'static str,
    /// `CORS_ALLOW_CREDENTIALS` or `allow_credentials`.
    pub credentials: &'static str,
}

/// The request headers Starlette always allows, whatever `allow_headers` says.
///
/// ```
/// assert!(cors_lint::STARLETTE_SAFELISTED_HEADERS.contains(&"content-language"));
/// ```
pub const STARLETTE_SAFELISTED_HEADERS: [&str; 4] = [
    "accept",
    "accept-language",
    "content-language",
    "content-type",
];

/// django-cors-headers' `default_headers` and `default_methods` (4.x): this workspace's own
/// defaults, which follow them.
fn known(name: &str) -> Option<Value> {
    let list = |items: Vec<String>| Value::List(items.into_iter().map(Value::Str).collect());
    match name {
        "default_headers" => Some(list(CorsConfig::new().allowed_headers)),
        "default_methods" => Some(list(CorsConfig::new().allowed_methods)),
        _ => None,
    }
}

/// django's settings: (new name, old name).
const DJANGO_SETTINGS: [(&str, Option<&str>); 10] = [
    ("CORS_ALLOWED_ORIGINS", Some("CORS_ORIGIN_WHITELIST")),
    (
        "CORS_ALLOWED_ORIGIN_REGEXES",
        Some("CORS_ORIGIN_REGEX_WHITELIST"),
    ),
    ("CORS_ALLOW_ALL_ORIGINS", Some("CORS_ORIGIN_ALLOW_ALL")),
    ("CORS_URLS_REGEX", None),
    ("CORS_ALLOW_METHODS", None),
    ("CORS_ALLOW_HEADERS", None),
    ("CORS_EXPOSE_HEADERS", None),
    ("CORS_PREFLIGHT_MAX_AGE", None),
    ("CORS_ALLOW_CREDENTIALS", None),
    ("CORS_ALLOW_PRIVATE_NETWORK", None),
];

const STARLETTE_KEYWORDS: [&str; 8] = [
    "allow_origins",
    "allow_origin_regex",
    "allow_methods",
    "allow_headers",
    "allow_credentials",
    "expose_headers",
    "max_age",
    "allow_private_network",
];

impl Legacy {
    /// Reads a Django settings excerpt (`CORS_*` assignments) or a FastAPI/Starlette module
    /// (`add_middleware(CORSMiddleware, ...)`, `Middleware(CORSMiddleware, ...)`). Values
    /// must be literals, or names assigned literals in the same file; anything else is
    /// listed in [`unread`](Legacy::unread), never guessed. An error when the file holds
    /// neither, or cannot be tokenised.
    ///
    /// ```
    /// use cors_lint::Legacy;
    ///
    /// let legacy = Legacy::from_python(
    ///     "ORIGINS = ['https://a.com']\nCORS_ALLOWED_ORIGINS = ORIGINS + ['https://b.com']\nCORS_ALLOW_CREDENTIALS = True",
    /// )?;
    /// assert_eq!(legacy.origins, ["https://a.com", "https://b.com"]);
    /// assert!(legacy.credentials);
    /// assert!(Legacy::from_python("DEBUG = True").is_err()); // no CORS settings at all
    /// # Ok::<(), String>(())
    /// ```
    pub fn from_python(source: &str) -> Result<Legacy, String> {
        let module = python::parse(source, known)?;
        if let Some((line, kwargs)) = module.middleware_calls.first() {
            let mut legacy = Legacy::starlette(kwargs);
            if module.middleware_calls.len() > 1 {
                legacy.unread.push(Unread {
                    name: "CORSMiddleware".to_owned(),
                    line: module.middleware_calls[1].0,
                    why: format!("a second CORSMiddleware; only the one on line {line} is read"),
                });
            }
            return Ok(legacy);
        }
        let mentions_cors =
            module.assignments.keys().any(|k| k.starts_with("CORS_")) || !module.nested.is_empty();
        if !mentions_cors {
            return Err(
                "no CORS settings found: expected `CORS_*` assignments (django-cors-headers) \
                 or `add_middleware(CORSMiddleware, ...)` (FastAPI, Starlette)"
                    .to_owned(),
            );
        }
        Ok(Legacy::django(&module))
    }

    fn django(module: &python::Module) -> Legacy {
        let mut unread: Vec<Unread> = Vec::new();
        // The new name wins over the old one, as in django-cors-headers' `conf`.
        let mut get = |name: &'static str| -> (&'static str, Option<Value>) {
            let (new, old) = DJANGO_SETTINGS
                .iter()
                .find(|(new, _)| *new == name)
                .copied()
                .unwrap_or((name, None));
            let used = if module.assignments.contains_key(new) {
                new
            } else {
                old.filter(|old| module.assignments.contains_key(*old))
                    .unwrap_or(new)
            };
            (
                used,
                module
                    .assignments
                    .get(used)
                    .and_then(|read| value(read, used, &mut unread)),
            )
        };
        let (origins_name, origins) = get("CORS_ALLOWED_ORIGINS");
        let (regexes_name, regexes) = get("CORS_ALLOWED_ORIGIN_REGEXES");
        let (all_name, all) = get("CORS_ALLOW_ALL_ORIGINS");
        let (_, urls) = get("CORS_URLS_REGEX");
        let (_, methods) = get("CORS_ALLOW_METHODS");
        let (_, headers) = get("CORS_ALLOW_HEADERS");
        let (_, expose) = get("CORS_EXPOSE_HEADERS");
        let (_, max_age) = get("CORS_PREFLIGHT_MAX_AGE");
        let (_, credentials) = get("CORS_ALLOW_CREDENTIALS");
        let (_, private) = get("CORS_ALLOW_PRIVATE_NETWORK");

        let line = |name: &str| module.assignments.get(name).map_or(0, |r| r.line);
        let mut typed = Typed {
            line: &line,
            unread: &mut unread,
        };
        let legacy = Legacy {
            source: Source::Django,
            origins: typed.strings(origins_name, origins).unwrap_or_default(),
            origin_regexes: typed.strings(regexes_name, regexes).unwrap_or_default(),
            allow_all: typed.boolean(all_name, all).unwrap_or(false),
            credentials: typed
                .boolean("CORS_ALLOW_CREDENTIALS", credentials)
                .unwrap_or(false),
            methods: typed
                .strings("CORS_ALLOW_METHODS", methods)
                .unwrap_or_else(|| CorsConfig::new().allowed_methods),
            headers: typed
                .strings("CORS_ALLOW_HEADERS", headers)
                .unwrap_or_else(|| CorsConfig::new().allowed_headers),
            expose: typed
                .strings("CORS_EXPOSE_HEADERS", expose)
                .unwrap_or_default(),
            // django sends none for 0 or None.
            max_age: match max_age {
                None => Some(86400),
                Some(Value::None) => None,
                v => typed
                    .seconds("CORS_PREFLIGHT_MAX_AGE", v)
                    .filter(|s| *s > 0),
            },
            private_network: typed
                .boolean("CORS_ALLOW_PRIVATE_NETWORK", private)
                .unwrap_or(false),
            urls_regex: typed.string("CORS_URLS_REGEX", urls),
            names: Names {
                origins: origins_name,
                regexes: regexes_name,
                allow_all: all_name,
                credentials: "CORS_ALLOW_CREDENTIALS",
            },
            unread: Vec::new(),
        };
        for (name, line) in &module.nested {
            unread.push(Unread {
                name: name.clone(),
                line: *line,
                why: "assigned inside a block (`if`, `try`, a function); which assignment \
                      runs is only known when the program runs"
                    .to_owned(),
            });
        }
        for (name, read) in &module.assignments {
            let listed = DJANGO_SETTINGS
                .iter()
                .any(|(new, old)| new == name || *old == Some(name.as_str()));
            if name.starts_with("CORS_") && !listed {
                unread.push(Unread {
                    name: name.clone(),
                    line: read.line,
                    why: "not a django-cors-headers setting this tool knows; not imported"
                        .to_owned(),
                });
            }
        }
        unread.sort_by_key(|u| u.line);
        Legacy { unread, ..legacy }
    }

    fn starlette(kwargs: &[(String, Read)]) -> Legacy {
        let mut unread = Vec::new();
        let mut get = |name: &str| {
            kwargs
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .and_then(|(n, read)| value(read, n, &mut unread))
        };
        let origins = get("allow_origins");
        let regex = get("allow_origin_regex");
        let methods = get("allow_methods");
        let headers = get("allow_headers");
        let credentials = get("allow_credentials");
        let expose = get("expose_headers");
        let max_age = get("max_age");
        let private = get("allow_private_network");
        for (name, read) in kwargs {
            if !STARLETTE_KEYWORDS.contains(&name.as_str()) {
                unread.push(Unread {
                    name: name.clone(),
                    line: read.line,
                    why: "not a CORSMiddleware argument this tool knows; not imported".to_owned(),
                });
            }
        }
        let line = |name: &str| {
            kwargs
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .map_or(0, |(_, r)| r.line)
        };
        let mut typed = Typed {
            line: &line,
            unread: &mut unread,
        };
        let mut origins = typed.strings("allow_origins", origins).unwrap_or_default();
        let allow_all = origins.iter().any(|o| o == "*");
        origins.retain(|o| o != "*");
        let star = |list: Vec<String>| {
            if list.iter().any(|m| m == "*") {
                vec!["*".to_owned()]
            } else {
                list
            }
        };
        let methods = star(
            typed
                .strings("allow_methods", methods)
                .unwrap_or_else(|| vec!["GET".to_owned()]),
        );
        let mut headers = star(typed.strings("allow_headers", headers).unwrap_or_default());
        if headers != ["*"] {
            headers = headers.iter().map(|h| h.to_ascii_lowercase()).collect();
            for safe in STARLETTE_SAFELISTED_HEADERS {
                if !headers.iter().any(|h| h == safe) {
                    headers.push(safe.to_owned());
                }
            }
            headers.sort();
        }
        let legacy = Legacy {
            source: Source::Starlette,
            origins,
            origin_regexes: typed
                .string("allow_origin_regex", regex)
                .into_iter()
                .collect(),
            allow_all,
            credentials: typed
                .boolean("allow_credentials", credentials)
                .unwrap_or(false),
            methods,
            headers,
            expose: typed.strings("expose_headers", expose).unwrap_or_default(),
            max_age: match max_age {
                None => Some(600),
                v => typed.seconds("max_age", v),
            },
            private_network: typed
                .boolean("allow_private_network", private)
                .unwrap_or(false),
            urls_regex: None,
            names: Names {
                origins: "allow_origins",
                regexes: "allow_origin_regex",
                allow_all: "allow_origins",
                credentials: "allow_credentials",
            },
            unread: Vec::new(),
        };
        Legacy { unread, ..legacy }
    }

    /// Whether, and how, the old middleware lets `origin` read its responses.
    ///
    /// ```
    /// use cors_lint::{Legacy, OldMatch};
    ///
    /// let old = Legacy::from_python(r#"CORS_ALLOWED_ORIGIN_REGEXES = [r"(?:https?:\/\/)127.0.0.1:*"]"#)?;
    /// let found = old.admits("http://127.0.0.1.evil.net").unwrap();
    /// assert!(matches!(found, OldMatch::Regex { ref tail, .. } if tail == ".evil.net"));
    /// assert!(old.admits("http://localhost").is_none());
    /// # Ok::<(), String>(())
    /// ```
    pub fn admits(&self, origin: &str) -> Option<OldMatch> {
        self.matcher().admits(origin)
    }

    /// The old matching with its regexes compiled and its listed origins split once, for
    /// asking about many origins.
    pub(crate) fn matcher(&self) -> OldMatcher<'_> {
        OldMatcher {
            legacy: self,
            split: self.origins.iter().map(|o| url_split(o)).collect(),
            regexes: self
                .origin_regexes
                .iter()
                .filter_map(|raw| Some((raw, python_regex(raw, self.source).ok()?)))
                .collect(),
        }
    }
}

/// [`Legacy::admits`], prepared once (see [`Legacy::matcher`]).
pub(crate) struct OldMatcher<'a> {
    legacy: &'a Legacy,
    /// Each listed origin as `urlsplit` reads it: scheme and netloc.
    split: Vec<(String, &'a str)>,
    /// The regexes Rust can run, as the old middleware applied them.
    regexes: Vec<(&'a String, Regex)>,
}

impl OldMatcher<'_> {
    pub(crate) fn admits(&self, origin: &str) -> Option<OldMatch> {
        let legacy = self.legacy;
        if legacy.allow_all {
            return Some(OldMatch::AllowAll);
        }
        match legacy.source {
            Source::Django => {
                if origin == "null" && legacy.origins.iter().any(|o| o == "null") {
                    return Some(OldMatch::Listed(origin.to_owned()));
                }
                let split = url_split(origin);
                if let Some(at) = self.split.iter().position(|s| *s == split) {
                    let entry = &legacy.origins[at];
                    return Some(if entry == origin {
                        OldMatch::Listed(entry.clone())
                    } else {
                        OldMatch::SchemeAndHost(entry.clone())
                    });
                }
            }
            Source::Starlette => {
                if let Some(entry) = legacy.origins.iter().find(|o| *o == origin) {
                    return Some(OldMatch::Listed(entry.clone()));
                }
            }
        }
        self.regexes.iter().find_map(|(raw, regex)| {
            let found = regex.find(origin)?;
            Some(OldMatch::Regex {
                entry: (*raw).clone(),
                tail: origin[found.end()..].to_owned(),
            })
        })
    }
}

/// How the old middleware let an origin in.
///
/// ```
/// use cors_lint::{Legacy, OldMatch};
///
/// let legacy = Legacy::from_python(r#"CORS_ALLOWED_ORIGIN_REGEXES = [r"https://a\.com"]"#)?;
/// assert_eq!(
///     legacy.admits("https://a.com.evil.net"),
///     Some(OldMatch::Regex { entry: r"https://a\.com".into(), tail: ".evil.net".into() })
/// );
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OldMatch {
    /// Every origin is allowed.
    AllowAll,
    /// Listed exactly as it was sent.
    Listed(String),
    /// A listed entry with the same scheme and host as Python's `urlsplit` reads them,
    /// though written differently (django): a trailing slash or path, or no scheme at all,
    /// which reads as the same empty scheme and host as `null`.
    SchemeAndHost(String),
    /// A regex matched; `tail` is what followed the part it matched (django's `re.match`
    /// only anchors at the start).
    Regex {
        /// The regex as written.
        entry: String,
        /// The unmatched rest of the origin; empty for a whole match.
        tail: String,
    },
}

/// A Python regex for origins as the old middleware applies it: django's `re.match`
/// (anchored at the start only), Starlette's `fullmatch`. Python's `\Z` is Rust's `\z`.
/// The regex is parsed alone, as Python compiles it, and anchored around its syntax
/// tree, so unbalanced parentheses are an error here as they are in Python, never an
/// escape from the anchors. An error too for what Rust's regex lacks (lookaround,
/// backreferences).
pub(crate) fn python_regex(raw: &str, source: Source) -> Result<Regex, String> {
    let cannot = |detail: String| {
        let last = detail.lines().last().unwrap_or("").trim().to_owned();
        format!("is Python regex syntax this tool cannot run ({last})")
    };
    let hir = regex_syntax::Parser::new()
        .parse(&rust_syntax(raw))
        .map_err(|e| cannot(e.to_string()))?;
    let anchored = match source {
        Source::Django => Hir::concat(vec![Hir::look(Look::Start), hir]),
        Source::Starlette => Hir::concat(vec![Hir::look(Look::Start), hir, Hir::look(Look::End)]),
    };
    Regex::builder()
        .build_from_hir(&anchored)
        .map_err(|e| cannot(e.to_string()))
}

/// Python's `\Z` (end of text) as Rust spells it.
pub(crate) fn rust_syntax(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('Z') => out.push_str(r"\z"),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Python's `urllib.parse.urlsplit(url)`, only its scheme and netloc.
fn url_split(url: &str) -> (String, &str) {
    let mut rest = url;
    let mut scheme = String::new();
    if let Some(colon) = url.find(':') {
        let candidate = &url[..colon];
        if candidate.starts_with(|c: char| c.is_ascii_alphabetic())
            && candidate
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        {
            scheme = candidate.to_ascii_lowercase();
            rest = &url[colon + 1..];
        }
    }
    let netloc = match rest.strip_prefix("//") {
        Some(after) => &after[..after.find(['/', '?', '#']).unwrap_or(after.len())],
        None => "",
    };
    (scheme, netloc)
}

/// A read value, or `None` with the reason recorded.
fn value(read: &Read, name: &str, unread: &mut Vec<Unread>) -> Option<Value> {
    match &read.value {
        Ok(v) => Some(v.clone()),
        Err(why) => {
            unread.push(Unread {
                name: name.to_owned(),
                line: read.line,
                why: why.clone(),
            });
            None
        }
    }
}

/// Checks the type of each setting, recording the ones of the wrong type.
struct Typed<'a> {
    line: &'a dyn Fn(&str) -> usize,
    unread: &'a mut Vec<Unread>,
}

impl Typed<'_> {
    fn wrong(&mut self, name: &str, why: String) {
        let line = (self.line)(name);
        self.unread.push(Unread {
            name: name.to_owned(),
            line,
            why,
        });
    }

    fn strings(&mut self, name: &str, v: Option<Value>) -> Option<Vec<String>> {
        match v? {
            Value::List(items) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Value::Str(s) => out.push(s),
                        other => {
                            self.wrong(name, format!("has {other} where a string belongs"));
                            return None;
                        }
                    }
                }
                Some(out)
            }
            Value::Str(s) => {
                self.wrong(
                    name,
                    format!(
                        "is one string, not a list (\"{s}\" would be read character by \
                         character); write [\"{s}\"]"
                    ),
                );
                None
            }
            other => {
                self.wrong(name, format!("is {other}, not a list of strings"));
                None
            }
        }
    }

    fn string(&mut self, name: &str, v: Option<Value>) -> Option<String> {
        match v? {
            Value::Str(s) => Some(s),
            Value::None => None,
            other => {
                self.wrong(name, format!("is {other}, not a string"));
                None
            }
        }
    }

    fn boolean(&mut self, name: &str, v: Option<Value>) -> Option<bool> {
        match v? {
            Value::Bool(b) => Some(b),
            other => {
                self.wrong(name, format!("is {other}, not True or False"));
                None
            }
        }
    }

    fn seconds(&mut self, name: &str, v: Option<Value>) -> Option<u64> {
        match v? {
            Value::Int(n) => u64::try_from(n).ok().or_else(|| {
                self.wrong(name, format!("is {n}, not a number of seconds"));
                None
            }),
            Value::None => None,
            other => {
                self.wrong(name, format!("is {other}, not a number of seconds"));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_split_reads_like_python() {
        assert_eq!(
            url_split("https://example.com"),
            ("https".to_owned(), "example.com")
        );
        assert_eq!(
            url_split("https://example.com/app/"),
            ("https".to_owned(), "example.com")
        );
        assert_eq!(url_split("example.com"), (String::new(), ""));
        assert_eq!(url_split("null"), (String::new(), ""));
        assert_eq!(url_split("127.0.0.1:8000"), (String::new(), ""));
        assert_eq!(url_split("localhost:3000"), ("localhost".to_owned(), ""));
        assert_eq!(url_split("HTTPS://A.com"), ("https".to_owned(), "A.com"));
    }

    #[test]
    fn django_matching() {
        let old = Legacy::from_python(
            r#"
CORS_ALLOWED_ORIGINS = ["https://example.com/", "example.org"]
CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://\w+\.example\.net$"]
"#,
        )
        .unwrap();
        assert_eq!(
            old.admits("https://example.com"),
            Some(OldMatch::SchemeAndHost("https://example.com/".to_owned()))
        );
        // A scheme-less entry reads as the same empty scheme and host as `null`.
        assert_eq!(
            old.admits("null"),
            Some(OldMatch::SchemeAndHost("example.org".to_owned()))
        );
        assert_eq!(old.admits("https://example.org"), None);
        assert!(old.admits("https://a.example.net").is_some());
        assert_eq!(old.admits("https://a.example.net.evil.net"), None);
    }

    #[test]
    fn starlette_matching() {
        let old = Legacy::from_python(
            r#"
app.add_middleware(CORSMiddleware, allow_origins=["https://example.com/"], allow_origin_regex=r"https://.*\.example\.org")
"#,
        )
        .unwrap();
        assert_eq!(old.source, Source::Starlette);
        // Compared as a string: browsers never send the slash.
        assert_eq!(old.admits("https://example.com"), None);
        assert!(old.admits("https://a.example.org").is_some());
        assert_eq!(old.admits("https://a.example.org.evil.net"), None);
        assert_eq!(old.methods, ["GET"]);
        assert_eq!(old.headers, STARLETTE_SAFELISTED_HEADERS);
        assert_eq!(old.max_age, Some(600));
    }

    #[test]
    fn what_is_not_read_is_reported() {
        let old = Legacy::from_python(
            r#"
CORS_ALLOWED_ORIGINS = env.list("ORIGINS")
CORS_ALLOW_CREDENTIALS = "yes"
CORS_ALLOWED_ORIGIN_REGEXES = r"^https://a\.com$"
CORS_REPLACE_HTTPS_REFERER = True
if DEBUG:
    CORS_ALLOW_ALL_ORIGINS = True
"#,
        )
        .unwrap();
        let names: Vec<(&str, usize)> = old
            .unread
            .iter()
            .map(|u| (u.name.as_str(), u.line))
            .collect();
        assert_eq!(
            names,
            [
                ("CORS_ALLOWED_ORIGINS", 2),
                ("CORS_ALLOW_CREDENTIALS", 3),
                ("CORS_ALLOWED_ORIGIN_REGEXES", 4),
                ("CORS_REPLACE_HTTPS_REFERER", 5),
                ("CORS_ALLOW_ALL_ORIGINS", 7),
            ]
        );
        assert!(old.origins.is_empty());
        assert!(!old.credentials);
        assert!(Legacy::from_python("DEBUG = True\n").is_err());
    }
}
