//! Reading a [`CorsConfig`] from TOML, JSON and environment variables.
//!
//! All three go through one table of fields and one setter, so every source reports the
//! same errors: an unknown key names the closest known one, a bad value names its field.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::config::{CorsConfig, PathPolicy};
use crate::error::{ConfigError, ConfigErrorKind};

/// How a field's value is written in an environment variable.
#[derive(Clone, Copy)]
enum Kind {
    List,
    Bool,
    MaxAge,
    Text,
    Status,
    /// `paths`: a JSON array of tables in an environment variable.
    Paths,
}

/// Every field: its name, its older django-cors-headers names, its kind.
const FIELDS: &[(&str, &[&str], Kind)] = &[
    ("allowed_origins", &["origin_whitelist"], Kind::List),
    (
        "allowed_origin_regexes",
        &["origin_regex_whitelist"],
        Kind::List,
    ),
    ("allow_all_origins", &["origin_allow_all"], Kind::Bool),
    ("allow_credentials_with_any_origin", &[], Kind::Bool),
    ("allowed_methods", &["allow_methods"], Kind::List),
    ("allowed_headers", &["allow_headers"], Kind::List),
    ("expose_headers", &[], Kind::List),
    ("allow_credentials", &[], Kind::Bool),
    ("max_age", &["preflight_max_age"], Kind::MaxAge),
    ("allow_private_network", &[], Kind::Bool),
    ("urls_regex", &[], Kind::Text),
    ("csrf_protection", &[], Kind::Bool),
    ("preflight_status", &[], Kind::Status),
    ("debug", &[], Kind::Bool),
    ("paths", &[], Kind::Paths),
];

fn field(key: &str) -> Option<(&'static str, Kind)> {
    FIELDS
        .iter()
        .find(|(name, aliases, _)| *name == key || aliases.contains(&key))
        .map(|(name, _, kind)| (*name, *kind))
}

/// A list from one environment variable: a JSON array when the value starts with `[`
/// (`["^https://a\\.com$", "^https://[a-z]{1,20}\\.b\\.com$"]`), else the elements
/// between commas, trimmed, empty ones skipped. A comma inside `{}`, `()` or a character
/// class `[...]`, or after a `\`, does not separate, so a regex such as `https://[a-z]{1,20}\.example\.com` survives
/// the comma-separated form too.
fn env_list(name: &str, raw: &str) -> Result<Value, ConfigError> {
    if raw.trim_start().starts_with('[') {
        let items: Vec<String> = serde_json::from_str(raw).map_err(|e| {
            ConfigError::new(
                ConfigErrorKind::Syntax,
                name.to_owned(),
                raw,
                "starts with `[` but is not a JSON array of strings",
            )
            .hint(format!(
                "{e}; write `[\"first\", \"second\"]`, or the elements separated by commas"
            ))
        })?;
        return Ok(Value::Array(items.into_iter().map(Value::String).collect()));
    }
    let mut items = Vec::new();
    let (mut depth, mut escaped, mut class, mut start) = (0usize, false, false, 0);
    for (i, c) in raw.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            // inside a character class only `]` counts (`[(,]` holds a comma, not a split)
            ']' if class => class = false,
            _ if class => {}
            '[' => class = true,
            '{' | '(' => depth += 1,
            '}' | ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.push(&raw[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&raw[start..]);
    Ok(Value::Array(
        items
            .into_iter()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Value::String(s.to_owned()))
            .collect(),
    ))
}

impl CorsConfig {
    /// Reads a configuration from TOML text. Unknown keys are errors.
    ///
    /// ```
    /// let err = cors_core::CorsConfig::from_toml_str(r#"allowed_origin = ["https://a.com"]"#).unwrap_err();
    /// assert_eq!(err.to_string(), "allowed_origin: `allowed_origin` is not a known setting: did you mean `allowed_origins`?");
    /// ```
    pub fn from_toml_str(text: &str) -> Result<Self, ConfigError> {
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            ConfigError::new(
                ConfigErrorKind::Syntax,
                "(file)",
                first_line(text),
                "is not valid TOML",
            )
            .hint(e.message().to_owned())
        })?;
        let value = serde_json::to_value(table).map_err(|e| {
            ConfigError::new(ConfigErrorKind::Syntax, "(file)", "", "cannot be read")
                .hint(e.to_string())
        })?;
        Self::from_value(value, Naming::File)
    }

    /// Reads a configuration from JSON text. Unknown keys are errors; `"max_age": null`
    /// sends no `Access-Control-Max-Age`.
    ///
    /// ```
    /// let config = cors_core::CorsConfig::from_json_str(r#"{"allowed_origins": ["https://a.com"], "max_age": null}"#)?;
    /// assert_eq!(config.max_age, None);
    /// # Ok::<(), cors_core::ConfigError>(())
    /// ```
    pub fn from_json_str(text: &str) -> Result<Self, ConfigError> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            ConfigError::new(
                ConfigErrorKind::Syntax,
                "(file)",
                first_line(text),
                "is not valid JSON",
            )
            .hint(e.to_string())
        })?;
        Self::from_value(value, Naming::File)
    }

    /// Reads a `.toml` or `.json` file.
    ///
    /// ```no_run
    /// let cors = cors_core::CorsConfig::from_file("cors.toml")?.build()?;
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            ConfigError::new(
                ConfigErrorKind::Syntax,
                "(file)",
                shown.clone(),
                "cannot be read",
            )
            .hint(e.to_string())
        })?;
        match path.extension().and_then(|e| e.to_str()) {
            Some("toml") => Self::from_toml_str(&text),
            Some("json") => Self::from_json_str(&text),
            _ => Err(ConfigError::new(
                ConfigErrorKind::Syntax,
                "(file)",
                shown,
                "has neither a `.toml` nor a `.json` extension",
            )),
        }
    }

    /// Reads the `CORS_*` environment variables over the defaults.
    ///
    /// Lists are comma-separated (`CORS_ALLOWED_ORIGINS=https://a.com,https://b.com`),
    /// booleans are `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`), and
    /// `CORS_MAX_AGE=none` sends no max-age. A `CORS_` variable that names no setting is an
    /// error, so a typo never silently means "allow nothing".
    ///
    /// ```no_run
    /// // CORS_ALLOWED_ORIGINS=https://a.com CORS_ALLOW_CREDENTIALS=true ./server
    /// let cors = cors_core::CorsConfig::from_env()?.build()?;
    /// # Ok::<(), cors_core::ConfigErrors>(())
    /// ```
    pub fn from_env() -> Result<Self, ConfigError> {
        let vars = std::env::vars_os().filter_map(|(k, v)| {
            let k = k.into_string().ok()?;
            k.starts_with("CORS_")
                .then(|| (k, v.to_string_lossy().into_owned()))
        });
        Self::from_env_vars(vars)
    }

    /// Reads `CORS_*` variables from the given pairs (others are ignored). This is what
    /// [`from_env`](Self::from_env) does with the process environment.
    ///
    /// ```
    /// let config = cors_core::CorsConfig::from_env_vars([
    ///     ("CORS_ALLOWED_ORIGINS", "https://a.com, https://b.com"),
    ///     ("CORS_ALLOW_CREDENTIALS", "true"),
    ///     ("CORS_PREFLIGHT_MAX_AGE", "600"),
    ///     ("PATH", "/usr/bin"),
    /// ])?;
    /// assert_eq!(config.allowed_origins, ["https://a.com", "https://b.com"]);
    /// assert!(config.allow_credentials);
    /// assert_eq!(config.max_age, Some(600));
    /// # Ok::<(), cors_core::ConfigError>(())
    /// ```
    pub fn from_env_vars<I, K, V>(vars: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut map = Map::new();
        for (name, raw) in vars {
            let (name, raw) = (name.as_ref(), raw.as_ref());
            let Some(key) = name.strip_prefix("CORS_") else {
                continue;
            };
            let key = key.to_ascii_lowercase();
            let kind = field(&key).map(|(_, kind)| kind);
            let value = match kind {
                None => Value::String(raw.to_owned()), // reported as unknown below
                Some(Kind::List) => env_list(name, raw)?,
                Some(Kind::Bool) => match raw.trim().to_ascii_lowercase().as_str() {
                    "true" | "1" | "yes" | "on" => Value::Bool(true),
                    "false" | "0" | "no" | "off" | "" => Value::Bool(false),
                    _ => Value::String(raw.to_owned()),
                },
                Some(Kind::MaxAge) => match raw.trim().to_ascii_lowercase().as_str() {
                    "" | "none" | "false" | "null" => Value::Null,
                    n => n
                        .parse::<u64>()
                        .map_or_else(|_| Value::String(raw.to_owned()), Value::from),
                },
                Some(Kind::Status) => raw
                    .trim()
                    .parse::<u64>()
                    .map_or_else(|_| Value::String(raw.to_owned()), Value::from),
                Some(Kind::Text) => Value::String(raw.to_owned()),
                Some(Kind::Paths) => serde_json::from_str(raw).map_err(|e| {
                    ConfigError::new(
                        ConfigErrorKind::Syntax,
                        name.to_owned(),
                        first_line(raw),
                        "is not a JSON array of tables",
                    )
                    .hint(format!(
                        "{e}; write `[{{\"path\": \"/api/.*\", \"allowed_origins\": [\"https://a.com\"]}}]`"
                    ))
                })?,
            };
            map.insert(key, value);
        }
        Self::from_value(Value::Object(map), Naming::Env)
    }

    /// Applies a parsed document (an object of settings) over the defaults.
    fn from_value(value: Value, naming: Naming) -> Result<Self, ConfigError> {
        let Value::Object(map) = value else {
            return Err(ConfigError::new(
                ConfigErrorKind::Syntax,
                "(file)",
                value.to_string(),
                "is not a table of settings",
            ));
        };
        let mut config = CorsConfig::default();
        let mut seen: Vec<&str> = Vec::new();
        for (key, value) in map {
            let Some((name, _)) = field(&key) else {
                // An empty key (`"" = 1`) is shown quoted, so the error still names it.
                let shown = match naming.show(&key) {
                    shown if shown.is_empty() => "\"\"".to_owned(),
                    shown => shown,
                };
                let mut err = ConfigError::new(
                    ConfigErrorKind::UnknownKey,
                    shown.clone(),
                    shown,
                    "is not a known setting",
                );
                err = match closest(&key) {
                    // Not a spelling: the setting it was is gone, and its successor differs.
                    _ if key == "reject_disallowed_requests" => err.hint(format!(
                        "it became `{}`, which refuses only requests with an unsafe method \
                         (not GET, HEAD or OPTIONS) from another site; a GET from a disallowed \
                         origin runs the app and the browser keeps the answer from the page",
                        naming.show("csrf_protection")
                    )),
                    Some(known) => err.hint(format!("did you mean `{}`?", naming.show(known))),
                    None => err.hint(format!(
                        "the settings are {}",
                        FIELDS
                            .iter()
                            .map(|f| naming.show(f.0))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                };
                return Err(err);
            };
            if seen.contains(&name) {
                return Err(ConfigError::new(
                    ConfigErrorKind::InvalidValue,
                    naming.show(name),
                    naming.show(&key),
                    "sets a field that is already set under another name",
                )
                .hint("keep one of the two names"));
            }
            seen.push(name);
            if name == "paths" {
                config.paths = path_policies(value, naming)?;
                continue;
            }
            config
                .set(name, value)
                .map_err(|e| e.with_field(naming.show(name)))?;
        }
        Ok(config)
    }

    fn set(&mut self, name: &'static str, value: Value) -> Result<(), ConfigError> {
        match name {
            "allowed_origins" => self.allowed_origins = parse(name, value, "a list of origins")?,
            "allowed_origin_regexes" => {
                self.allowed_origin_regexes = parse(name, value, "a list of regexes")?
            }
            "allow_all_origins" => self.allow_all_origins = parse(name, value, "true or false")?,
            "allow_credentials_with_any_origin" => {
                self.allow_credentials_with_any_origin = parse(name, value, "true or false")?
            }
            "allowed_methods" => self.allowed_methods = parse(name, value, "a list of methods")?,
            "allowed_headers" => {
                self.allowed_headers = parse(name, value, "a list of header names")?
            }
            "expose_headers" => self.expose_headers = parse(name, value, "a list of header names")?,
            "allow_credentials" => self.allow_credentials = parse(name, value, "true or false")?,
            "max_age" => {
                self.max_age = parse_with(
                    name,
                    value,
                    "a number of seconds, or false (null in JSON) for none",
                    crate::config::max_age_de,
                )?
            }
            "allow_private_network" => {
                self.allow_private_network = parse(name, value, "true or false")?
            }
            "urls_regex" => self.urls_regex = parse(name, value, "a regex as a string")?,
            "csrf_protection" => self.csrf_protection = parse(name, value, "true or false")?,
            "preflight_status" => {
                self.preflight_status = parse(name, value, "a status from 200 to 299")?
            }
            "debug" => self.debug = parse(name, value, "true or false")?,
            // read by `path_policies`, which names each entry's fields
            "paths" => self.paths = path_policies(value, Naming::File)?,
            _ => unreachable!("every entry of FIELDS has a setter"),
        }
        Ok(())
    }
}

/// `paths`: an array of tables, each with `path` and the entry's own settings. Errors name
/// the entry (`paths[1].allowed_origins`).
fn path_policies(value: Value, naming: Naming) -> Result<Vec<PathPolicy>, ConfigError> {
    let Value::Array(entries) = value else {
        return Err(ConfigError::new(
            ConfigErrorKind::InvalidValue,
            naming.show("paths"),
            value.to_string(),
            "is not a list of tables",
        )
        .hint("write each entry as a `[[paths]]` table with `path` and its settings"));
    };
    entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            path_policy(entry).map_err(|e| {
                let field = format!("{}[{i}]", naming.show("paths"));
                match e.field() {
                    "" => e.with_field(field),
                    inner => {
                        let inner = format!("{field}.{inner}");
                        e.with_field(inner)
                    }
                }
            })
        })
        .collect()
}

/// One entry of `paths`: `path`, then the policy's settings as a file names them. An
/// error's field is relative to the entry (empty for the entry itself).
pub(crate) fn path_policy(value: Value) -> Result<PathPolicy, ConfigError> {
    let Value::Object(mut map) = value else {
        return Err(ConfigError::new(
            ConfigErrorKind::InvalidValue,
            "",
            value.to_string(),
            "is not a table",
        )
        .hint("an entry is a table with `path` and the settings for those paths"));
    };
    let path = match map.remove("path") {
        Some(Value::String(path)) => path,
        Some(other) => {
            return Err(ConfigError::new(
                ConfigErrorKind::InvalidValue,
                "path",
                other.to_string(),
                "is not a regex as a string",
            ));
        }
        None => {
            return Err(ConfigError::new(
                ConfigErrorKind::InvalidValue,
                "",
                Value::Object(map).to_string(),
                "has no `path`",
            )
            .hint("add `path = \"/api/.*\"`: the regex the request's path must match in full"));
        }
    };
    let policy = CorsConfig::from_value(Value::Object(map), Naming::File)?;
    Ok(PathPolicy { path, policy })
}

fn parse<T: DeserializeOwned>(name: &str, value: Value, expected: &str) -> Result<T, ConfigError> {
    parse_with(name, value, expected, T::deserialize)
}

/// Reads one field's value with `de` (the same deserializer serde uses for the field).
fn parse_with<T>(
    name: &str,
    value: Value,
    expected: &str,
    de: impl FnOnce(Value) -> Result<T, serde_json::Error>,
) -> Result<T, ConfigError> {
    let shown = match &value {
        Value::String(s) => s.clone(),
        v => v.to_string(),
    };
    de(value).map_err(|_| {
        ConfigError::new(
            ConfigErrorKind::InvalidValue,
            name,
            shown,
            format!("is not {expected}"),
        )
    })
}

/// Whether errors name file keys (`allowed_origins`) or variables (`CORS_ALLOWED_ORIGINS`).
#[derive(Clone, Copy)]
enum Naming {
    File,
    Env,
}

impl Naming {
    fn show(self, key: &str) -> String {
        match self {
            Naming::File => key.to_owned(),
            Naming::Env => format!("CORS_{}", key.to_ascii_uppercase()),
        }
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").chars().take(80).collect()
}

/// The known field (or alias) closest to a mistyped key, if any is close.
fn closest(key: &str) -> Option<&'static str> {
    let key = key.to_ascii_lowercase();
    FIELDS
        .iter()
        .flat_map(|(name, aliases, _)| {
            std::iter::once((*name, *name)).chain(aliases.iter().map(move |a| (*a, *name)))
        })
        .map(|(spelling, name)| (distance(&key, spelling), name))
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, name)| name)
}

/// Levenshtein distance, for suggestions.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(closest("allowed_origin"), Some("allowed_origins"));
        assert_eq!(closest("ALLOW_CREDENTIAL"), Some("allow_credentials"));
        assert_eq!(closest("origin_whitelst"), Some("allowed_origins"));
        assert_eq!(closest("completely_different"), None);
    }

    #[test]
    fn every_field_has_a_setter() {
        for (name, _, _) in FIELDS {
            let mut config = CorsConfig::default();
            // A wrong-typed value reaches the setter and fails there, not in `unreachable!`.
            let err = config.set(name, Value::Object(Map::new())).unwrap_err();
            assert_eq!(err.field(), *name);
        }
    }
}
