//! `cors-lint FILE [--json]`: the origins a policy file lets in beyond what it intends.
//! FILE is this workspace's `.toml` or `.json` configuration, or a `.py` file with
//! django-cors-headers settings or FastAPI/Starlette's `CORSMiddleware`, linted under that
//! middleware's own matching.
//!
//! Exit status: 0 clean, 1 findings, 2 bad input (usage, unreadable file, a configuration
//! the workspace refuses).
//!
//! ```text
//! $ cargo run -p cors-lint -- cors-lint/examples/sloppy.toml
//! ```

use std::process::ExitCode;

use cors_core::CorsConfig;
use serde_json::json;

const USAGE: &str = "usage: cors-lint FILE [--json]\n\
    FILE is a .toml or .json configuration of this workspace, or a .py file with\n\
    django-cors-headers settings or FastAPI/Starlette's CORSMiddleware.\n\
    exit status: 0 clean, 1 findings, 2 bad input";

fn main() -> ExitCode {
    let Some((file, json)) = cors_lint::cli::file_and_json(std::env::args().skip(1), USAGE) else {
        return ExitCode::from(2);
    };
    let file = &file;
    let report = if file.ends_with(".py") {
        cors_lint::cli::read_legacy(file)
            .and_then(|old| cors_lint::lint_legacy(&old).map_err(|e| e.to_string()))
    } else {
        CorsConfig::from_file(file)
            .map_err(cors_core::ConfigErrors::from)
            .and_then(|c| cors_lint::lint(&c))
            .map_err(|e| e.to_string())
    };
    let report = match report {
        Ok(report) => report,
        Err(err) => {
            // One line per mistake: every configuration error is reported at once.
            for line in err.lines() {
                eprintln!("cors-lint: {file}: {line}");
            }
            return ExitCode::from(2);
        }
    };
    let text = if json {
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
    cors_lint::cli::print(&text);
    if report.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
