//! From django-cors-headers or Starlette settings to this workspace's configuration, with
//! the security diff between the old middleware's matching and the new policy.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use cors_core::{
    ConfigError, ConfigErrors, Cors, CorsConfig, escape_label_dots, serialised_origin,
};

use crate::example::examples;
use crate::family::{Trick, browser_can_send, stand_in, tries};
use crate::legacy::{Legacy, OldMatch, Source, Unread, python_regex, rust_syntax};
use crate::lint::safe_form;

/// What one old origin entry became.
///
/// ```
/// use cors_lint::{Legacy, import};
///
/// let legacy = Legacy::from_python(r#"CORS_ALLOWED_ORIGIN_REGEXES = [r"https://.*\.example\.com"]"#)?;
/// let import = import(&legacy).map_err(|e| e.to_string())?;
/// let t = &import.translations[0];
/// assert_eq!(t.setting, "CORS_ALLOWED_ORIGIN_REGEXES");
/// assert_eq!(t.old, r"https://.*\.example\.com");
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// The old setting: `CORS_ALLOWED_ORIGIN_REGEXES`, `allow_origins`, ...
    pub setting: &'static str,
    /// The entry as the old file wrote it (`True` for allow-all).
    pub old: String,
    /// What the new configuration has instead; `None` when it is left out.
    pub new: Option<String>,
    /// Why it changed; `None` when it is carried over as it was.
    pub note: Option<String>,
    /// What to write in the old settings to stop what the entry let in beyond its intent.
    pub fix: String,
}

/// One origin the two setups answer differently.
///
/// ```
/// use cors_lint::{Legacy, import};
///
/// // re.match anchors only the start: django lets the suffix lookalike in
/// let legacy = Legacy::from_python(r#"CORS_ALLOWED_ORIGIN_REGEXES = [r"https://app\.example\.com"]"#)?;
/// let import = import(&legacy).map_err(|e| e.to_string())?;
/// let change = import
///     .changes
///     .iter()
///     .find(|c| c.origin == "https://app.example.com.evil.net")
///     .unwrap();
/// assert!(change.old_allowed && !change.new_allowed);
/// assert!(import.translation(change).is_some());
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The `Origin` a browser sends.
    pub origin: String,
    /// Whether the old setup let it read responses.
    pub old_allowed: bool,
    /// Whether the new one does.
    pub new_allowed: bool,
    /// How the origin was made, and the origin it imitates (empty for `null` and the
    /// unrelated site); `None` for an origin taken from the configuration itself.
    pub trick: Option<(Trick, String)>,
    /// Why the old setup answered as it did.
    pub old_why: String,
    /// [`old_why`](Self::old_why) without what is particular to this origin: what the diff
    /// groups origins by.
    pub cause: String,
    /// Why the new one answers differently.
    pub new_why: String,
    /// The old entry that decided it (`None` when no entry let it in).
    pub old_entry: Option<(&'static str, String)>,
}

impl Import {
    /// What the old entry behind `change` became; `None` when no entry let it in.
    ///
    /// ```
    /// use cors_lint::{Legacy, import};
    ///
    /// let legacy = Legacy::from_python(r#"CORS_ALLOWED_ORIGINS = ["https://app.example.com"]"#)?;
    /// let import = import(&legacy).map_err(|e| e.to_string())?;
    /// for change in &import.changes {
    ///     if let Some(t) = import.translation(change) {
    ///         println!("{}: {} -> {:?}", change.origin, t.old, t.new);
    ///     }
    /// }
    /// # Ok::<(), String>(())
    /// ```
    pub fn translation(&self, change: &Change) -> Option<&Translation> {
        translation_of(&self.translations, change.old_entry.as_ref()?)
    }
}

/// The result of [`import`].
///
/// ```
/// let legacy = cors_lint::Legacy::from_python(r#"CORS_ALLOWED_ORIGINS = ["https://app.example.com"]"#)?;
/// let import = cors_lint::import(&legacy).map_err(|e| e.to_string())?;
/// assert!(import.toml.contains("allowed_origins = [\n    'https://app.example.com',\n]"));
/// assert!(import.config.build().is_ok());
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone)]
pub struct Import {
    /// The new configuration; it builds.
    pub config: CorsConfig,
    /// The same, as a commented TOML file that [`CorsConfig::from_toml_str`] reads.
    pub toml: String,
    /// What each old origin entry became.
    pub translations: Vec<Translation>,
    /// Every tried origin the two setups answer differently.
    pub changes: Vec<Change>,
    /// How many origins were tried.
    pub tried: usize,
    /// Settings present in the old file but not read.
    pub unread: Vec<Unread>,
}

/// Translates old settings into this workspace's configuration and compares the two over
/// every configured origin, the origins each regex matches, their bypass families
/// ([`family`](crate::family)), `null` and an unrelated site.
///
/// Regexes are carried over with their `.` between labels escaped and a `.*` glued to a
/// label made whole labels (what they meant); django's trailing `:*` or `:.*`, which
/// `re.match` made mean "any port", becomes `(:[0-9]+)?`. Allow-all with credentials,
/// `null` with credentials and a regex for any domain with credentials cannot be carried
/// over safely: they are left out, with a comment in the file, and the diff says what that
/// refuses.
///
/// ```
/// use cors_lint::{import, Legacy};
///
/// let old = Legacy::from_python(r#"
/// CORS_ALLOWED_ORIGIN_REGEXES = [r"(?:https?:\/\/)127.0.0.1:*"]
/// "#)?;
/// let import = import(&old).map_err(|e| e.to_string())?;
/// assert_eq!(import.config.allowed_origin_regexes, [r"(?:https?:\/\/)127\.0\.0\.1(:[0-9]+)?"]);
/// let refused: Vec<&str> = import.changes.iter()
///     .filter(|c| c.old_allowed && !c.new_allowed)
///     .map(|c| c.origin.as_str())
///     .collect();
/// assert!(refused.contains(&"http://127.0.0.1.evil.net"));
/// # Ok::<(), String>(())
/// ```
pub fn import(legacy: &Legacy) -> Result<Import, ConfigErrors> {
    let mut translations = translate_origins(legacy);
    let mut config = CorsConfig::new();
    config.allow_all_origins = legacy.allow_all && !legacy.credentials;
    config.allow_credentials = legacy.credentials;
    config.allowed_methods.clone_from(&legacy.methods);
    config.allowed_headers.clone_from(&legacy.headers);
    config.expose_headers.clone_from(&legacy.expose);
    config.max_age = legacy.max_age;
    config.allow_private_network = legacy.private_network;
    if let Some(urls) = &legacy.urls_regex {
        config.urls_regex = full_match_path(urls);
    }
    // Entries this workspace refuses are left out with the reason. Building reports every
    // refused entry at once; one more build checks what is left.
    let cors = loop {
        config.allowed_origins = new_entries(&translations, legacy.names.origins);
        config.allowed_origin_regexes = new_entries(&translations, legacy.names.regexes);
        let errors = match config.build() {
            Ok(cors) => break cors,
            Err(errors) => errors,
        };
        for err in &errors {
            let field = err.field();
            let Some(entry) = translations.iter_mut().find(|t| {
                t.new.as_deref() == Some(err.value())
                    && ((field == "allowed_origins" && t.setting == legacy.names.origins)
                        || (field == "allowed_origin_regexes" && t.setting == legacy.names.regexes))
            }) else {
                return Err(errors);
            };
            entry.new = None;
            entry.fix = format!("remove it and list the origins in {}", legacy.names.origins);
            entry.note = Some(match err.hint_text() {
                Some(hint) => format!("left out: {}; {hint}", problem(err)),
                None => format!("left out: {}", problem(err)),
            });
        }
    };
    let (changes, tried) = diff(legacy, &config, &cors, &translations)?;
    let mut import = Import {
        config,
        toml: String::new(),
        translations,
        changes,
        tried,
        unread: legacy.unread.clone(),
    };
    import.toml = write_toml(legacy, &import);
    Ok(import)
}

/// The error without its field and value, which the comment already shows.
fn problem(err: &ConfigError) -> String {
    let text = err.to_string();
    let shown = format!("{}: `{}` ", err.field(), err.value());
    let text = text.strip_prefix(&shown).unwrap_or(&text);
    text.split("; hint:")
        .next()
        .unwrap_or(text)
        .trim()
        .to_owned()
}

fn new_entries(translations: &[Translation], setting: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in translations.iter().filter(|t| t.setting == setting) {
        if let Some(new) = t.new.as_ref().filter(|n| !out.contains(n)) {
            out.push(new.clone());
        }
    }
    out
}

fn translate_origins(legacy: &Legacy) -> Vec<Translation> {
    let mut out = Vec::new();
    let names = &legacy.names;
    if legacy.allow_all && legacy.credentials {
        out.push(Translation {
            setting: names.allow_all,
            old: allow_all_entry(legacy.source).to_owned(),
            new: None,
            note: Some(format!(
                "left out: with {} it reflected every origin with credentials, so any \
                 website could read your users' data with their cookies; list your front \
                 ends' origins in allowed_origins",
                names.credentials
            )),
            fix: format!(
                "list your front ends' origins in {} instead of allowing all",
                names.origins
            ),
        });
    }
    for entry in &legacy.origins {
        let translation = |new: Option<String>, note: Option<String>| Translation {
            setting: names.origins,
            old: entry.clone(),
            fix: match &new {
                Some(origin) => format!("write {}", python_literal(origin)),
                None => format!("remove {}", python_literal(entry)),
            },
            new,
            note,
        };
        if entry == "null" && legacy.credentials {
            out.push(translation(
                None,
                Some(
                    "left out: `null` with credentials lets any page in, from a sandboxed \
                     iframe"
                        .to_owned(),
                ),
            ));
            continue;
        }
        match serialised_origin(entry) {
            Ok(origin) if origin == *entry => out.push(translation(Some(origin), None)),
            Ok(origin) => out.push(translation(
                Some(origin.clone()),
                Some(format!("written `{entry}`; browsers send `{origin}`")),
            )),
            Err(err) => {
                let meant = entry
                    .split_once("://")
                    .map(|(scheme, rest)| {
                        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
                        format!("{scheme}://{}", &rest[..end])
                    })
                    .and_then(|o| serialised_origin(&o).ok());
                match (meant, legacy.source) {
                    (Some(origin), Source::Django) => out.push(translation(
                        Some(origin.clone()),
                        Some(format!(
                            "written `{entry}`; django-cors-headers compared only its scheme \
                             and host, which is `{origin}`"
                        )),
                    )),
                    (Some(origin), Source::Starlette) => out.push(translation(
                        Some(origin.clone()),
                        Some(format!(
                            "written `{entry}`; Starlette compared it as written, which no \
                             browser sends, so it matched nothing; imported as `{origin}`"
                        )),
                    )),
                    (None, _) if entry.split_once("://").is_none() => {
                        let hint = err
                            .hint_text()
                            .map(|h| format!("; {h}"))
                            .unwrap_or_default();
                        let why = match legacy.source {
                            Source::Django => {
                                "has no scheme, so Python's urlsplit reads an empty scheme \
                                 and host, the same as `null`'s: it let in `null`, never \
                                 the site"
                            }
                            Source::Starlette => "has no scheme, so it matched nothing",
                        };
                        let mut t = translation(None, Some(format!("left out: {why}{hint}")));
                        if let Some(hint) = err.hint_text() {
                            t.fix = format!("write the scheme: {hint}");
                        }
                        out.push(t);
                    }
                    (None, _) => out.push(translation(
                        None,
                        Some(format!("left out: {}", problem(&err))),
                    )),
                }
            }
        }
    }
    for raw in &legacy.origin_regexes {
        let translation = |new: Option<String>, note: Option<String>| Translation {
            setting: names.regexes,
            old: raw.clone(),
            fix: match (&new, legacy.source) {
                (Some(regex), Source::Django) => python_literal(&anchored(regex)),
                (Some(regex), Source::Starlette) => python_literal(regex),
                (None, _) => format!(
                    "remove it and list the origins in {}, or a regex for your own domain",
                    names.origins
                ),
            },
            new,
            note,
        };
        if let Err(why) = python_regex(raw, legacy.source) {
            out.push(translation(None, Some(format!("left out: {why}"))));
            continue;
        }
        let (new, changes) = translate_regex(raw, legacy.source);
        let note = (!changes.is_empty()).then(|| changes.join("; "));
        out.push(translation(Some(new), note));
    }
    out
}

/// The regex as this workspace's full-match engine should have it, and what changed.
fn translate_regex(raw: &str, source: Source) -> (String, Vec<&'static str>) {
    let mut changes = Vec::new();
    let rust = rust_syntax(raw);
    let mut out = safe_form(&rust);
    let escaped = escape_label_dots(&rust);
    if escaped.is_some() {
        changes.push("its `.` between labels escaped (unescaped, `.` matches any character)");
    }
    if out != escaped.unwrap_or_else(|| rust.clone()) {
        changes
            .push("a `.*` glued to a label made whole labels (glued, it let in `evilexample.com`)");
    }
    if source == Source::Django {
        let (body, end) = match out.strip_suffix('$') {
            Some(body) => (body.to_owned(), "$"),
            None => (out.clone(), ""),
        };
        for any_port in [":*", ":.*", ":?.*"] {
            if let Some(host) = body.strip_suffix(any_port)
                && !host.ends_with('\\')
            {
                out = format!("{host}(:[0-9]+)?{end}");
                changes.push(
                    "the trailing `:*` read as \"any port\", which is what re.match made \
                         it mean",
                );
                break;
            }
        }
    }
    (out, changes)
}

/// `^regex$`, for django's `re.match`: safe there and the same here. A regex with a
/// top-level `|` is grouped first (`^(?:a|b)$`): `^a|b$` would anchor `a` at the start
/// only and `b` at the end only.
fn anchored(regex: &str) -> String {
    let top_level_or = matches!(
        regex_syntax::ast::parse::Parser::new().parse(regex),
        Ok(regex_syntax::ast::Ast::Alternation(_))
    );
    if top_level_or {
        return format!("^(?:{regex})$");
    }
    let start = if regex.starts_with('^') { "" } else { "^" };
    let end = if regex.ends_with('$') && !regex.ends_with(r"\$") {
        ""
    } else {
        "$"
    };
    format!("{start}{regex}{end}")
}

/// A django `CORS_URLS_REGEX` (matched with `re.match`, at the start only) as a full-match
/// regex of the same paths. One that does not parse alone is kept as it is, for the
/// policy to refuse with an error naming `urls_regex` (Python refuses it too): grouping
/// it would let `a)|(b` escape the group.
fn full_match_path(raw: &str) -> String {
    let rust = rust_syntax(raw);
    if regex_syntax::Parser::new().parse(&rust).is_err() {
        return rust;
    }
    if !rust.contains('|') && (rust.ends_with('$') || rust.ends_with(".*")) {
        rust
    } else {
        format!("(?:{rust}).*")
    }
}

/// Every origin worth trying, each with the trick that made it.
fn candidates(
    legacy: &Legacy,
    translations: &[Translation],
) -> BTreeMap<String, Option<(Trick, String)>> {
    let mut bases: Vec<String> = Vec::new();
    for t in translations {
        if t.setting == legacy.names.regexes {
            // What the regex means: the examples of its translation, else of itself.
            let regex = t.new.clone().unwrap_or_else(|| rust_syntax(&t.old));
            bases.extend(examples(&regex).unwrap_or_default());
        } else {
            bases.push(t.old.clone());
            bases.extend(t.new.clone());
        }
    }
    let mut out: BTreeMap<String, Option<(Trick, String)>> = tries(&bases)
        .into_iter()
        .map(|(origin, made)| (origin, Some(made)))
        .collect();
    // For each regex, an origin on a domain an attacker can register that it admits, if
    // any: under django's `re.match` (the start only) for the old one, in full for the
    // translation.
    for t in translations
        .iter()
        .filter(|t| t.setting == legacy.names.regexes)
    {
        let old =
            crate::example::any_website(&rust_syntax(&t.old), legacy.source == Source::Django);
        let new = t
            .new
            .as_deref()
            .and_then(|regex| crate::example::any_website(regex, false));
        for origin in old.into_iter().chain(new) {
            out.entry(origin)
                .or_insert(Some((Trick::AnyWebsite, String::new())));
        }
    }
    // The configured origins themselves are tried as they are.
    for base in &bases {
        let base = stand_in(base);
        if base != "null" && browser_can_send(&base) {
            out.insert(base, None);
        }
    }
    out
}

fn diff(
    legacy: &Legacy,
    config: &CorsConfig,
    cors: &Cors,
    translations: &[Translation],
) -> Result<(Vec<Change>, usize), ConfigErrors> {
    let candidates = candidates(legacy, translations);
    let tried = candidates.len();
    // Each new entry alone, to say which one lets an origin in.
    let mut alone: Vec<(String, Cors)> = Vec::new();
    for origin in &config.allowed_origins {
        let mut one = CorsConfig::new().allowed_origins([origin]);
        one.allow_credentials = config.allow_credentials;
        one.allow_credentials_with_any_origin = true;
        alone.push((origin.clone(), one.build()?));
    }
    for regex in &config.allowed_origin_regexes {
        let mut one = CorsConfig::new().allowed_origin_regexes([regex]);
        one.allow_credentials_with_any_origin = true;
        alone.push((regex.clone(), one.build()?));
    }
    let old_matcher = legacy.matcher();
    let mut changes = Vec::new();
    for (origin, trick) in candidates {
        let old = old_matcher.admits(&origin);
        let new_allowed = cors.is_origin_allowed(origin.as_bytes());
        if old.is_some() == new_allowed {
            continue;
        }
        let new_entry = alone
            .iter()
            .find(|(_, c)| c.is_origin_allowed(origin.as_bytes()))
            .map(|(entry, _)| entry.as_str());
        let old_entry = old.as_ref().map(|m| entry_of(legacy, m));
        let translation = old_entry
            .as_ref()
            .and_then(|entry| translation_of(translations, entry));
        let (old_why, cause) = match &old {
            Some(m) => (old_reason(legacy, m), old_cause(legacy, m)),
            None => old_refusal(legacy, &origin, new_entry, translations),
        };
        let new_why = match (new_allowed, translation) {
            (true, _) => format!("allowed by `{}`", new_entry.unwrap_or("allow_all_origins")),
            (
                false,
                Some(
                    t @ Translation {
                        note: Some(note),
                        new: None,
                        ..
                    },
                ),
            ) => {
                let shown = if matches!(old, Some(OldMatch::AllowAll)) {
                    format!("{} = {}", t.setting, t.old)
                } else {
                    format!("{} {}", t.setting, python_literal(&t.old))
                };
                format!(
                    "refused: {shown} is not carried over: {}",
                    note.strip_prefix("left out: ").unwrap_or(note)
                )
            }
            (false, Some(Translation { new: Some(new), .. })) => {
                let tail = match &old {
                    Some(OldMatch::Regex { tail, .. }) if !tail.is_empty() => {
                        " (a regex here must match the whole origin)"
                    }
                    _ => "",
                };
                format!("refused: `{new}` does not match it{tail}")
            }
            (false, _) => "refused".to_owned(),
        };
        changes.push(Change {
            origin,
            old_allowed: old.is_some(),
            new_allowed,
            trick,
            old_why,
            cause,
            new_why,
            old_entry,
        });
    }
    Ok((changes, tried))
}

/// Allow-all as the old file wrote it: django's `True`, Starlette's `"*"` in
/// `allow_origins`.
fn allow_all_entry(source: Source) -> &'static str {
    match source {
        Source::Django => "True",
        Source::Starlette => "\"*\"",
    }
}

/// What the old entry `entry` of `setting` became.
fn translation_of<'a>(
    translations: &'a [Translation],
    (setting, entry): &(&str, String),
) -> Option<&'a Translation> {
    translations
        .iter()
        .find(|t| t.setting == *setting && t.old == *entry)
}

/// The old setting and entry behind a match.
fn entry_of(legacy: &Legacy, m: &OldMatch) -> (&'static str, String) {
    match m {
        OldMatch::AllowAll => (
            legacy.names.allow_all,
            allow_all_entry(legacy.source).to_owned(),
        ),
        OldMatch::Listed(e) | OldMatch::SchemeAndHost(e) => (legacy.names.origins, e.clone()),
        OldMatch::Regex { entry, .. } => (legacy.names.regexes, entry.clone()),
    }
}

fn old_reason(legacy: &Legacy, m: &OldMatch) -> String {
    let names = &legacy.names;
    match m {
        OldMatch::AllowAll if legacy.credentials => format!(
            "{} with {} reflected it, cookies included",
            names.allow_all, names.credentials
        ),
        OldMatch::AllowAll => format!("{} allowed it", names.allow_all),
        OldMatch::Listed(e) => format!("listed in {} as `{e}`", names.origins),
        OldMatch::SchemeAndHost(e) if !e.contains("://") => format!(
            "`{e}` in {} has no scheme: urlsplit reads the same empty scheme and host as for `null`",
            names.origins
        ),
        OldMatch::SchemeAndHost(e) => {
            format!("`{e}` in {} has the same scheme and host", names.origins)
        }
        OldMatch::Regex { entry, tail } if tail.is_empty() => {
            format!("`{entry}` in {} matched it", names.regexes)
        }
        OldMatch::Regex { entry, tail } => format!(
            "`{entry}` in {} matched its start; re.match never looked at the rest, `{tail}`",
            names.regexes
        ),
    }
}

/// [`old_reason`] without what is particular to the origin (the rest a regex did not look
/// at).
fn old_cause(legacy: &Legacy, m: &OldMatch) -> String {
    match m {
        OldMatch::Regex { entry, tail } if !tail.is_empty() => format!(
            "`{entry}` in {} matched only their start; re.match never looked at the rest",
            legacy.names.regexes
        ),
        _ => old_reason(legacy, m),
    }
}

/// Why the old setup refused an origin the new one allows, and the same without the origin.
fn old_refusal(
    legacy: &Legacy,
    origin: &str,
    new_entry: Option<&str>,
    translations: &[Translation],
) -> (String, String) {
    let Some(t) = translations
        .iter()
        .find(|t| t.new.is_some() && t.new.as_deref() == new_entry)
    else {
        let why = "refused: no entry matched it".to_owned();
        return (why.clone(), why);
    };
    let setting = t.setting;
    let entry = &t.old;
    if t.setting == legacy.names.origins && entry.contains("://*.") {
        let host = entry.split_once("://").map_or(entry.as_str(), |(_, h)| h);
        let why = format!(
            "refused: `{entry}` in {setting} was compared as a host named `{host}`, not as \
             a pattern, so it matched nothing"
        );
        return (why.clone(), why);
    }
    if t.setting == legacy.names.origins {
        return (
            format!(
                "refused: `{entry}` in {setting} was compared as written, and browsers send \
                 `{origin}`"
            ),
            format!(
                "refused: `{entry}` in {setting} was compared as written, not as the origins \
                 browsers send"
            ),
        );
    }
    let why = format!("refused: `{entry}` in {setting} did not match it");
    (why.clone(), why)
}

/// A TOML string: literal (`'...'`) when it can be, so regexes read as written.
fn toml_string(s: &str) -> String {
    if s.contains(['\'', '\n', '\r']) || s.chars().any(char::is_control) {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if c.is_control() => {
                    let _ = write!(out, "\\u{:04X}", u32::from(c));
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    } else {
        format!("'{s}'")
    }
}

fn toml_list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| toml_string(s)).collect();
    format!("[{}]", inner.join(", "))
}

/// A TOML comment of `text`, wrapped at about 88 columns.
fn comment(out: &mut String, indent: &str, text: &str) {
    wrap(out, &format!("{indent}# "), text);
}

/// `text` in lines of about 88 columns, each starting with `prefix`; continuation lines
/// are indented two more.
fn wrap(out: &mut String, prefix: &str, text: &str) {
    let mut line = String::new();
    let mut first = true;
    for word in text.split(' ') {
        let lead = if first { 0 } else { 2 };
        if !line.is_empty() && prefix.len() + lead + line.len() + 1 + word.len() > 88 {
            let _ = writeln!(out, "{prefix}{:lead$}{line}", "");
            line.clear();
            first = false;
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    let lead = if first { 0 } else { 2 };
    let _ = writeln!(out, "{prefix}{:lead$}{}", "", line.trim_end());
}

fn write_toml(legacy: &Legacy, import: &Import) -> String {
    let mut out = String::new();
    let config = &import.config;
    comment(
        &mut out,
        "",
        &format!(
            "Imported by cors import (cors-lint) from {} settings.",
            legacy.source
        ),
    );
    out.push_str("#\n");
    out.push_str(&diff_text(import, "# "));
    if !import.unread.is_empty() {
        out.push_str("#\n# Not read; set these by hand:\n");
        for u in &import.unread {
            comment(
                &mut out,
                "",
                &format!("  line {}: {}: {}", u.line, u.name, u.why),
            );
        }
    }
    out.push('\n');
    for (setting, field) in [
        (legacy.names.allow_all, "allow_all_origins"),
        (legacy.names.origins, "allowed_origins"),
        (legacy.names.regexes, "allowed_origin_regexes"),
    ] {
        let allow_all_entry = |t: &Translation| {
            t.setting == legacy.names.allow_all && t.old == allow_all_entry(legacy.source)
        };
        let entries: Vec<&Translation> = import
            .translations
            .iter()
            .filter(|t| {
                t.setting == setting && (field == "allow_all_origins") == allow_all_entry(t)
            })
            .collect();
        if field == "allow_all_origins" {
            for t in &entries {
                if let Some(note) = &t.note {
                    comment(&mut out, "", &format!("{} = {}: {note}", t.setting, t.old));
                }
            }
            let _ = writeln!(out, "allow_all_origins = {}", config.allow_all_origins);
            continue;
        }
        let dropped_all = legacy.allow_all && legacy.credentials;
        if field == "allowed_origins" && dropped_all && config.allowed_origins.is_empty() {
            let _ = writeln!(out, "{field} = [");
            out.push_str("    # 'https://app.example.com',  # your front ends, one per line\n]\n");
            continue;
        }
        if entries.is_empty() {
            let _ = writeln!(out, "{field} = []");
            continue;
        }
        let _ = writeln!(out, "{field} = [");
        for t in entries {
            if let Some(note) = &t.note {
                let was = if t.new.as_deref() == Some(t.old.as_str()) {
                    String::new()
                } else {
                    format!("{}: ", python_literal(&t.old))
                };
                comment(&mut out, "    ", &format!("{was}{note}"));
            }
            if let Some(new) = &t.new {
                let _ = writeln!(out, "    {},", toml_string(new));
            }
        }
        out.push_str("]\n");
    }
    let _ = writeln!(out, "allow_credentials = {}", config.allow_credentials);
    let _ = writeln!(
        out,
        "allowed_methods = {}",
        toml_list(&config.allowed_methods)
    );
    let _ = writeln!(
        out,
        "allowed_headers = {}",
        toml_list(&config.allowed_headers)
    );
    let _ = writeln!(
        out,
        "expose_headers = {}",
        toml_list(&config.expose_headers)
    );
    match config.max_age {
        Some(seconds) => {
            let _ = writeln!(out, "max_age = {seconds}");
        }
        None => out.push_str("max_age = false  # no Access-Control-Max-Age, as before\n"),
    }
    let _ = writeln!(
        out,
        "allow_private_network = {}",
        config.allow_private_network
    );
    if let Some(urls) = &legacy.urls_regex {
        if config.urls_regex != *urls {
            comment(
                &mut out,
                "",
                &format!(
                    "CORS_URLS_REGEX = {}: re.match matched the start of the path; here the \
                     whole path must match",
                    python_literal(urls)
                ),
            );
        }
        let _ = writeln!(out, "urls_regex = {}", toml_string(&config.urls_regex));
    }
    out
}

/// `r"..."` as a Python user wrote it.
pub(crate) fn python_literal(s: &str) -> String {
    if s.contains('"') {
        format!("{s:?}")
    } else if s.contains('\\') {
        format!("r\"{s}\"")
    } else {
        format!("\"{s}\"")
    }
}

/// The diff as a person reads it, each line starting with `prefix`.
pub(crate) fn diff_text(import: &Import, prefix: &str) -> String {
    let mut out = String::new();
    let refused: Vec<&Change> = import.changes.iter().filter(|c| c.old_allowed).collect();
    let allowed: Vec<&Change> = import.changes.iter().filter(|c| c.new_allowed).collect();
    wrap(
        &mut out,
        prefix,
        &format!(
            "Security diff over {} origins: the configured ones, what each regex matches, \
             their lookalikes, `null` and an unrelated site.",
            import.tried
        ),
    );
    // One block per cause (the same old reason, the same new answer, the same trick), its
    // origins listed compactly: the whole diff fits a screen. `--json` keeps every origin
    // with its own reasons.
    let mut section = |title: &str, changes: &[&Change], tricks: bool| {
        let _ = writeln!(out, "{prefix}");
        if changes.is_empty() {
            let _ = writeln!(out, "{prefix}{title}: none.");
            return;
        }
        let _ = writeln!(out, "{prefix}{title}: {}", changes.len());
        let mut groups: Vec<Group<'_>> = Vec::new();
        for c in changes {
            let group = match groups
                .iter_mut()
                .position(|g| g.cause == c.cause && g.new == c.new_why)
            {
                Some(at) => &mut groups[at],
                None => {
                    groups.push(Group {
                        cause: &c.cause,
                        new: &c.new_why,
                        tricks: Vec::new(),
                        origins: Vec::new(),
                    });
                    groups.last_mut().expect("just pushed")
                }
            };
            group.origins.push(&c.origin);
            if let Some((trick, _)) = c.trick.as_ref().filter(|_| tricks)
                && !group.tricks.contains(trick)
            {
                group.tricks.push(*trick);
            }
        }
        for Group {
            cause,
            new,
            tricks,
            origins,
        } in groups
        {
            let count = match origins.len() {
                1 => "1 origin".to_owned(),
                n => format!("{n} origins"),
            };
            let what: Vec<String> = tricks.iter().map(ToString::to_string).collect();
            let what = if what.is_empty() {
                count
            } else {
                format!("{count}: {}", what.join("; "))
            };
            wrap(&mut out, &format!("{prefix}  "), &what);
            wrap(&mut out, &format!("{prefix}    "), &format!("old: {cause}"));
            wrap(&mut out, &format!("{prefix}    "), &format!("new: {new}"));
            wrap(&mut out, &format!("{prefix}    "), &shown(&origins));
        }
    };
    section("Allowed before, refused now", &refused, true);
    section("Refused before, allowed now", &allowed, false);
    out
}

/// Origins of the diff with the same cause: the same old reason and the same new answer.
struct Group<'a> {
    cause: &'a str,
    new: &'a str,
    /// How the origins were made, each kind once.
    tricks: Vec<Trick>,
    origins: Vec<&'a str>,
}

/// At most [`SHOWN`] origins, then how many more.
fn shown(origins: &[&str]) -> String {
    let head = origins[..origins.len().min(SHOWN)].join(", ");
    match origins.len().saturating_sub(SHOWN) {
        0 => head,
        rest => format!("{head} and {rest} more"),
    }
}

/// The origins a block of the diff lists before it counts the rest.
const SHOWN: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regexes_translate_to_what_they_meant() {
        let t = |raw| translate_regex(raw, Source::Django).0;
        assert_eq!(
            t(r"(?:https?:\/\/)127.0.0.1:*"),
            r"(?:https?:\/\/)127\.0\.0\.1(:[0-9]+)?"
        );
        assert_eq!(
            t(r"(?:https?:\/\/)localhost:*"),
            r"(?:https?:\/\/)localhost(:[0-9]+)?"
        );
        assert_eq!(
            t(r"^https://\w+\.example\.com$"),
            r"^https://\w+\.example\.com$"
        );
        assert_eq!(t(r"^http://localhost:.*$"), r"^http://localhost(:[0-9]+)?$");
        assert_eq!(t(r"^https://a\.com\Z"), r"^https://a\.com\z");
        assert_eq!(
            translate_regex(r"(?:https?:\/\/)127.0.0.1:*", Source::Starlette).0,
            r"(?:https?:\/\/)127\.0\.0\.1:*"
        );
    }

    #[test]
    fn paths_translate_to_full_match() {
        assert_eq!(full_match_path(r"^/api/.*$"), r"^/api/.*$");
        assert_eq!(full_match_path(r"^/api/"), r"(?:^/api/).*");
        assert_eq!(full_match_path(r"^/a/|^/b/"), r"(?:^/a/|^/b/).*");
    }

    #[test]
    fn toml_strings() {
        assert_eq!(toml_string(r"a\.b"), r"'a\.b'");
        assert_eq!(toml_string("it's"), "\"it's\"");
        assert_eq!(toml_string("a\\'\n"), "\"a\\\\'\\u000A\"");
    }
}
