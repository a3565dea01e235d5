//! Running every configured entry's bypass family through the policy's own engine.

use std::fmt;

use cors_core::{ConfigErrors, Cors, CorsConfig, escape_label_dots, serialised_origin};

use crate::example::examples;
use crate::family::{Trick, tries};
use crate::import::{import, python_literal};
use crate::legacy::Legacy;

/// An origin the policy admits that the user did not mean to allow.
///
/// ```
/// use cors_lint::Trick;
///
/// let config = cors_core::CorsConfig::new().allowed_origin_regexes([r"https://.*example\.com"]);
/// let report = cors_lint::lint(&config)?;
/// let finding = report.findings.iter().find(|f| f.trick == Trick::Prefix).unwrap();
/// assert_eq!(finding.field, "allowed_origin_regexes");
/// assert_eq!(finding.entry, r"https://.*example\.com");
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The setting at fault: `allowed_origin_regexes` (`paths[1].allowed_origin_regexes`
    /// in an entry of `paths`).
    pub field: String,
    /// The entry of that setting that admits the origin, as written.
    pub entry: String,
    /// The origin it admits.
    pub admitted: String,
    /// How the admitted origin imitates an intended one.
    pub trick: Trick,
    /// The intended origin it imitates.
    pub imitates: String,
    /// What to write instead.
    pub fix: String,
}

/// What [`lint`] found.
///
/// ```
/// let config = cors_core::CorsConfig::new().allowed_origins(["https://app.example.com"]);
/// let report = cors_lint::lint(&config)?;
/// assert!(report.findings.is_empty()); // exact origins admit nothing else
/// assert!(report.tried > 10);
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Every admitted origin that nothing in the configuration intends, by entry.
    pub findings: Vec<Finding>,
    /// The policy's own warnings, for context.
    pub notes: Vec<String>,
    /// How many distinct origins were tried.
    pub tried: usize,
}

/// Tries the bypass family of every configured origin, subdomain pattern and regex on the
/// policy built from `config`, and reports each admitted origin that the configuration
/// does not intend.
///
/// What is intended: the listed origins, what the subdomain patterns match (whole labels
/// under their domain), and what each regex matches once it is made safe: its unescaped
/// `.` between labels escaped, a `.*` glued to a label turned into whole labels
/// (`https://.*example\.com` into `https://([a-z0-9-]+\.)*example\.com`); a regex that
/// matches any domain ([`Cors::admits_any_website`]) intends nothing. Exact origins and patterns cannot be
/// bypassed in this workspace (full, label-wise comparison), so findings come from regexes.
///
/// ```
/// use cors_core::CorsConfig;
///
/// let config = CorsConfig::new()
///     .allowed_origins(["https://app.example.com"])
///     .allowed_origin_regexes(["https://.*example.com"]);
/// let report = cors_lint::lint(&config)?;
/// let admitted: Vec<&str> = report.findings.iter().map(|f| f.admitted.as_str()).collect();
/// assert!(admitted.contains(&"https://evilexample.com"));
/// assert!(admitted.contains(&"https://appxexample.com"));
/// // A subdomain is what the regex means, so it is no finding:
/// assert!(!admitted.contains(&"https://evilapp.example.com"));
/// assert_eq!(report.findings[0].fix, r"https://([a-z0-9-]+\.)*example\.com");
///
/// let clean = CorsConfig::new()
///     .allowed_origins(["https://app.example.com", "https://*.example.org"])
///     .allowed_origin_regexes([r"https://[a-z0-9-]+\.preview\.example\.com"]);
/// assert!(cors_lint::lint(&clean)?.findings.is_empty());
/// # Ok::<(), cors_core::ConfigErrors>(())
/// ```
///
/// With `paths`, each entry's policy is linted on its own, and its findings name the
/// entry (`paths[0].allowed_origin_regexes`).
pub fn lint(config: &CorsConfig) -> Result<Report, ConfigErrors> {
    if !config.paths.is_empty() {
        return lint_paths(config);
    }
    // A policy refused for admitting any website with credentials is linted as if the
    // user had opted in, so that the report shows the origins it would let in.
    let (cors, refused) = match config.build() {
        Ok(cors) => (cors, None),
        Err(errors) => {
            let mut opted_in = config.clone();
            opted_in.allow_credentials_with_any_origin = true;
            match opted_in.build() {
                // every error was a regex that admits any website (or one too complex
                // to tell) with credentials: the opt-in is what the user must decide on
                Ok(cors) if errors.iter().all(|e| e.field() == "allowed_origin_regexes") => {
                    (cors, Some(errors))
                }
                _ => return Err(errors),
            }
        }
    };
    let mut report = Report {
        notes: refused
            .iter()
            .flatten()
            .map(|err| format!("the policy does not build as it is: {err}"))
            .chain(cors.warnings().iter().map(ToString::to_string))
            .collect(),
        ..Report::default()
    };
    if config.allow_all_origins {
        return Ok(report);
    }
    let regexes: Vec<Regex> = config
        .allowed_origin_regexes
        .iter()
        .map(|raw| Regex::new(raw.as_str()))
        .collect::<Result<_, _>>()?;
    let mut intended = config.clone();
    intended.allowed_origin_regexes = regexes.iter().filter_map(|r| r.safe.clone()).collect();
    let intended = intended.build()?;

    let mut bases: Vec<String> = Vec::new();
    for entry in &config.allowed_origins {
        let origin = serialised_origin(entry)?;
        if origin != "null" {
            bases.push(origin);
        }
    }
    for regex in &regexes {
        bases.extend(regex.examples.iter().cloned());
    }
    let mut candidates = tries(&bases);
    for origin in regexes.iter().filter_map(|r| r.any_website.clone()) {
        candidates
            .entry(origin)
            .or_insert((Trick::AnyWebsite, String::new()));
    }
    report.tried = candidates.len();
    for (origin, (trick, imitates)) in candidates {
        if !cors.is_origin_allowed(origin.as_bytes())
            || intended.is_origin_allowed(origin.as_bytes())
        {
            continue;
        }
        for regex in regexes
            .iter()
            .filter(|r| r.alone.is_origin_allowed(origin.as_bytes()))
        {
            report.findings.push(Finding {
                field: "allowed_origin_regexes".to_owned(),
                entry: regex.raw.clone(),
                admitted: origin.clone(),
                trick,
                imitates: imitates.clone(),
                fix: regex
                    .safe
                    .clone()
                    .unwrap_or_else(|| LIST_ORIGINS.to_owned()),
            });
        }
    }
    report
        .findings
        .sort_by(|a, b| (&a.entry, a.trick, &a.admitted).cmp(&(&b.entry, b.trick, &b.admitted)));
    Ok(report)
}

/// [`lint`] of a policy with `paths`: the set's own errors (an entry that can never
/// match, settings beside `paths`) are errors here too; each entry is linted alone.
fn lint_paths(config: &CorsConfig) -> Result<Report, ConfigErrors> {
    let mut report = Report::default();
    // The set's errors name their entry (`paths[1].allowed_origin_regexes`): they are the
    // ones reported, before any entry's own.
    let refused = match config.build() {
        Ok(cors) => {
            report
                .notes
                .extend(cors.warnings().iter().map(ToString::to_string));
            None
        }
        // as for one policy: a regex that admits any website with credentials is what
        // the report is for; anything else is an error
        Err(errors)
            if errors
                .iter()
                .all(|e| e.field().ends_with("].allowed_origin_regexes")) =>
        {
            Some(errors)
        }
        Err(errors) => return Err(errors),
    };
    for (i, entry) in config.paths.iter().enumerate() {
        let at = format!("paths[{i}]");
        let one = match (lint(&entry.policy), &refused) {
            (Ok(one), _) => one,
            (Err(_), Some(errors)) => return Err(errors.clone()),
            (Err(errors), None) => return Err(errors),
        };
        report.tried += one.tried;
        if refused.is_some() {
            // the entry's notes say why it does not build as it is
            report
                .notes
                .extend(one.notes.into_iter().map(|note| format!("{at}: {note}")));
        }
        report
            .findings
            .extend(one.findings.into_iter().map(|finding| Finding {
                field: format!("{at}.{}", finding.field),
                ..finding
            }));
    }
    Ok(report)
}

/// Lints old django-cors-headers or Starlette settings under that middleware's own
/// matching (django's `re.match`, anchored at the start only, and its scheme-and-host
/// comparison; Starlette's `fullmatch`; allow-all with credentials reflecting every
/// origin): every origin of the bypass family that the old setup lets in and that its
/// entries do not mean, as [`import`](crate::import) translates them. Each finding's
/// `fix` is what to write in the old settings.
///
/// ```
/// use cors_lint::{Legacy, lint_legacy};
///
/// let old = Legacy::from_python(r#"
/// CORS_ALLOWED_ORIGIN_REGEXES = [r"(?:https?:\/\/)127.0.0.1:*", r"(?:https?:\/\/)localhost:*"]
/// "#)?;
/// let report = lint_legacy(&old).map_err(|e| e.to_string())?;
/// let admitted: Vec<&str> = report.findings.iter().map(|f| f.admitted.as_str()).collect();
/// assert!(admitted.contains(&"http://127.0.0.1.evil.net"));
/// assert!(admitted.contains(&"http://localhost.evil.net"));
/// assert_eq!(report.findings[0].fix, r#"r"^(?:https?:\/\/)127\.0\.0\.1(:[0-9]+)?$""#);
///
/// let clean = Legacy::from_python(r#"CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://\w+\.example\.com$"]"#)?;
/// assert!(lint_legacy(&clean).map_err(|e| e.to_string())?.findings.is_empty());
/// # Ok::<(), String>(())
/// ```
pub fn lint_legacy(legacy: &Legacy) -> Result<Report, ConfigErrors> {
    let import = import(legacy)?;
    let mut report = Report {
        tried: import.tried,
        notes: import
            .unread
            .iter()
            .map(|u| format!("line {}: {} was not read: {}", u.line, u.name, u.why))
            .collect(),
        ..Report::default()
    };
    for change in import
        .changes
        .iter()
        .filter(|c| c.old_allowed && !c.new_allowed)
    {
        let Some((setting, entry)) = &change.old_entry else {
            continue;
        };
        let fix = import
            .translation(change)
            .map_or_else(String::new, |t| t.fix.clone());
        let (trick, imitates) = change
            .trick
            .clone()
            .unwrap_or((Trick::Unrelated, String::new()));
        report.findings.push(Finding {
            field: (*setting).to_owned(),
            entry: entry.clone(),
            admitted: change.origin.clone(),
            trick,
            imitates,
            fix,
        });
    }
    for t in &import.translations {
        let reported = report.findings.iter().any(|f| f.entry == t.old);
        if let (None, Some(note), false) = (&t.new, &t.note, reported) {
            report
                .notes
                .push(format!("{} {}: {note}", t.setting, python_literal(&t.old)));
        }
    }
    report
        .findings
        .sort_by(|a, b| (&a.entry, a.trick, &a.admitted).cmp(&(&b.entry, b.trick, &b.admitted)));
    Ok(report)
}

/// One configured regex: alone as a policy, its safe form, and the origins it matches.
struct Regex {
    raw: String,
    alone: Cors,
    /// `None` when even its safe form admits any website: then only listing is a fix.
    safe: Option<String>,
    examples: Vec<String>,
    /// An origin on a domain anyone can register that it admits, if any.
    any_website: Option<String>,
}

impl Regex {
    fn new(raw: &str) -> Result<Self, ConfigErrors> {
        let alone = CorsConfig::new().allowed_origin_regexes([raw]).build()?;
        let any_website = crate::example::any_website(raw, false);
        // A safe form that still admits any website is no fix: then only listing is.
        let safe = Some(safe_form(raw)).filter(|s| crate::example::any_website(s, false).is_none());
        let mut examples: Vec<String> = examples(raw)
            .unwrap_or_default()
            .into_iter()
            .filter(|e| alone.is_origin_allowed(e.as_bytes()))
            .collect();
        // Imitate what the regex means: keep the examples its safe form also matches
        // (`https://example.com` for `https://.*example\.com`, not `https://aexample.com`).
        if let Some(safe) = &safe {
            let safe = CorsConfig::new().allowed_origin_regexes([safe]).build()?;
            if examples
                .iter()
                .any(|e| safe.is_origin_allowed(e.as_bytes()))
            {
                examples.retain(|e| safe.is_origin_allowed(e.as_bytes()));
            }
        }
        Ok(Regex {
            raw: raw.to_owned(),
            alone,
            safe,
            examples,
            any_website,
        })
    }
}

/// `raw` with its label dots escaped and a `.*` or `.+` glued to a label after `//` turned
/// into whole labels.
pub(crate) fn safe_form(raw: &str) -> String {
    let mut out = escape_label_dots(raw).unwrap_or_else(|| raw.to_owned());
    for slashes in ["//", r"\/\/"] {
        for (glued, labels) in [(".*", r"([a-z0-9-]+\.)*"), (".+", r"([a-z0-9-]+\.)+")] {
            let pattern = format!("{slashes}{glued}");
            let mut from = 0;
            while let Some(at) = out[from..].find(&pattern).map(|i| from + i) {
                let next = at + pattern.len();
                if out[next..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
                    out.replace_range(at + slashes.len()..next, labels);
                }
                from = at + slashes.len();
            }
        }
    }
    out
}

impl fmt::Display for Report {
    /// The report as a person reads it: one block per entry, each admitted origin with
    /// how it was made, then the fix.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut entries: Vec<&Finding> = Vec::new();
        for finding in &self.findings {
            if entries
                .last()
                .is_none_or(|last| last.entry != finding.entry)
            {
                entries.push(finding);
            }
        }
        writeln!(
            f,
            "{} finding{} in {} entr{} ({} origins tried)",
            self.findings.len(),
            if self.findings.len() == 1 { "" } else { "s" },
            entries.len(),
            if entries.len() == 1 { "y" } else { "ies" },
            self.tried
        )?;
        for head in entries {
            writeln!(f, "\n{}: `{}`", head.field, head.entry)?;
            for finding in self.findings.iter().filter(|x| x.entry == head.entry) {
                write!(f, "  admits {}: {}", finding.admitted, finding.trick)?;
                if finding.imitates.is_empty() {
                    writeln!(f)?;
                } else {
                    writeln!(f, " ({})", finding.imitates)?;
                }
            }
            writeln!(f, "  fix: {}", fix_text(&head.fix))?;
        }
        for note in &self.notes {
            writeln!(f, "\nnote: {note}")?;
        }
        Ok(())
    }
}

/// The fix for a regex that matches any domain: it has no safe form.
const LIST_ORIGINS: &str =
    "list the origins in allowed_origins, or a subdomain pattern such as `https://*.example.com`";

/// A fix as printed: a bare regex in backticks; advice and Python literals as they are.
fn fix_text(fix: &str) -> String {
    if fix.contains(' ') || fix.starts_with("r\"") || fix.starts_with('"') {
        fix.to_owned()
    } else {
        format!("`{fix}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_forms() {
        assert_eq!(
            safe_form("https://app.example.com"),
            r"https://app\.example\.com"
        );
        assert_eq!(
            safe_form(r"https://.*example\.com"),
            r"https://([a-z0-9-]+\.)*example\.com"
        );
        assert_eq!(
            safe_form(r"https?:\/\/.+example\.com"),
            r"https?:\/\/([a-z0-9-]+\.)+example\.com"
        );
        assert_eq!(
            safe_form(r"https://.*\.example\.com"),
            r"https://.*\.example\.com"
        );
    }
}
