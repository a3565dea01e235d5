//! What the command-line tools run: `cors lint` and `cors import` (the `cors-cli` crate),
//! and the `cors-lint` and `cors-import` binaries of this crate, which are the same two
//! commands under their old names: [`lint_file`], [`import_file`], their one file argument
//! and `--json`, reading a Python file, and writing to a pipe that may close.

use std::io::Write;

use cors_core::CorsConfig;
use serde_json::json;

/// What one run of a command produced: its standard output, its error lines (each is
/// printed on a line of its own, after the command's name and the file), and its exit
/// status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The text for standard output.
    pub stdout: String,
    /// One line per error, for standard error.
    pub errors: Vec<String>,
    /// The exit status.
    pub status: u8,
}

impl Run {
    fn failed(error: &str) -> Self {
        Run {
            stdout: String::new(),
            // One line per mistake: every configuration error is reported at once.
            errors: error.lines().map(str::to_owned).collect(),
            status: 2,
        }
    }

    /// Prints the output and the errors (as `command: file: error`), and returns the exit
    /// status.
    ///
    /// ```
    /// let run = cors_lint::cli::lint_file("no/such/file.toml", false);
    /// assert_eq!(run.finish("cors lint", "no/such/file.toml"), std::process::ExitCode::from(2));
    /// ```
    pub fn finish(&self, command: &str, file: &str) -> std::process::ExitCode {
        print(&self.stdout);
        for error in &self.errors {
            eprintln!("{command}: {file}: {error}");
        }
        std::process::ExitCode::from(self.status)
    }
}

/// Lints `file`: this workspace's `.toml` or `.json` configuration, or a `.py` file with
/// django-cors-headers settings or FastAPI/Starlette's `CORSMiddleware`, linted under that
/// middleware's own matching. Exit status 0 clean, 1 findings, 2 bad input.
///
/// ```
/// let run = cors_lint::cli::lint_file("examples/sloppy.toml", false);
/// assert_eq!(run.status, 1);
/// assert!(run.stdout.starts_with("examples/sloppy.toml: "));
/// ```
pub fn lint_file(file: &str, json: bool) -> Run {
    let report = if file.ends_with(".py") {
        read_legacy(file).and_then(|old| crate::lint_legacy(&old).map_err(|e| e.to_string()))
    } else {
        CorsConfig::from_file(file)
            .map_err(cors_core::ConfigErrors::from)
            .and_then(|c| crate::lint(&c))
            .map_err(|e| e.to_string())
    };
    let report = match report {
        Ok(report) => report,
        Err(err) => return Run::failed(&err),
    };
    let stdout = if json {
        let findings: Vec<_> = report
            .findings
            .iter()
            .map(|f| {
                json!({
                    "field": f.field,
                    "entry": f.entry,
                    "admitted": f.admitted,
                    "trick": f.trick.name(),
                    "reason": f.trick.to_string(),
                    "imitates": f.imitates,
                    "fix": f.fix,
                })
            })
            .collect();
        let value = json!({"file": file, "tried": report.tried, "findings": findings, "notes": report.notes});
        format!("{value:#}\n")
    } else {
        format!("{file}: {report}")
    };
    Run {
        stdout,
        errors: Vec::new(),
        status: u8::from(!report.findings.is_empty()),
    }
}

/// Imports `file`, a `.py` file with django-cors-headers settings or FastAPI/Starlette's
/// `CORSMiddleware`, as this workspace's TOML configuration with the security diff at its
/// top as comments. Exit status 0 imported, 1 imported but some settings could not be read
/// (they are listed in the file), 2 bad input.
///
/// ```
/// let run = cors_lint::cli::import_file("no/such/settings.py", false);
/// assert_eq!(run.status, 2);
/// assert_eq!(run.errors.len(), 1);
/// ```
pub fn import_file(file: &str, json: bool) -> Run {
    let imported = read_legacy(file).and_then(|old| crate::import(&old).map_err(|e| e.to_string()));
    let imported = match imported {
        Ok(imported) => imported,
        Err(err) => return Run::failed(&err),
    };
    let stdout = if json {
        let changes: Vec<_> = imported
            .changes
            .iter()
            .map(|c| {
                json!({
                    "origin": c.origin,
                    "old_allowed": c.old_allowed,
                    "new_allowed": c.new_allowed,
                    "trick": c.trick.as_ref().map(|(t, _)| t.name()),
                    "imitates": c.trick.as_ref().map(|(_, base)| base),
                    "old": c.old_why,
                    "new": c.new_why,
                })
            })
            .collect();
        let unread: Vec<_> = imported
            .unread
            .iter()
            .map(|u| json!({"name": u.name, "line": u.line, "why": u.why}))
            .collect();
        let value = json!({
            "file": file,
            "config": imported.toml,
            "tried": imported.tried,
            "changes": changes,
            "unread": unread,
        });
        format!("{value:#}\n")
    } else {
        imported.toml.clone()
    };
    Run {
        stdout,
        errors: Vec::new(),
        status: u8::from(!imported.unread.is_empty()),
    }
}

/// The arguments `FILE [--json]`: the file and whether `--json` was given; `None` (after
/// printing `usage` to standard error) for anything else.
///
/// ```
/// let args = ["settings.py".to_string(), "--json".to_string()];
/// assert_eq!(cors_lint::cli::file_and_json(args, "usage"), Some(("settings.py".to_string(), true)));
/// assert_eq!(cors_lint::cli::file_and_json(["-x".to_string()], "usage"), None);
/// ```
pub fn file_and_json(
    args: impl IntoIterator<Item = String>,
    usage: &str,
) -> Option<(String, bool)> {
    let args: Vec<String> = args.into_iter().collect();
    let json = args.iter().any(|a| a == "--json");
    let files: Vec<&String> = args.iter().filter(|a| *a != "--json").collect();
    match files.as_slice() {
        [file] if !file.starts_with('-') => Some(((*file).clone(), json)),
        _ => {
            eprintln!("{usage}");
            None
        }
    }
}

/// Reads a `.py` file of django-cors-headers settings or a FastAPI/Starlette app
/// ([`Legacy::from_python`](crate::Legacy::from_python)); the error as one line.
///
/// ```
/// let err = cors_lint::cli::read_legacy("no/such/settings.py").unwrap_err();
/// assert!(!err.is_empty());
/// ```
pub fn read_legacy(file: &str) -> Result<crate::Legacy, String> {
    std::fs::read_to_string(file)
        .map_err(|e| e.to_string())
        .and_then(|text| crate::Legacy::from_python(&text))
}

/// Writes `text` to standard output; a closed pipe (`cors-lint f | head`) is not an error.
///
/// ```
/// cors_lint::cli::print("0 findings\n");
/// ```
pub fn print(text: &str) {
    let _ = std::io::stdout().write_all(text.as_bytes());
}
