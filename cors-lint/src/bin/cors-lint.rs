//! `cors-lint FILE [--json]`: the origins a policy file lets in beyond what it intends.
//!
//! Exit status: 0 clean, 1 findings, 2 bad input (usage, unreadable file, a configuration
//! the workspace refuses).
//!
//! ```text
//! $ cargo run -p cors-lint -- cors-lint/examples/sloppy.toml
//! ```

use std::io::Write;
use std::process::ExitCode;

use cors_core::CorsConfig;
use serde_json::json;

const USAGE: &str = "usage: cors-lint FILE [--json]\n\
    FILE is a .toml or .json configuration of this workspace.\n\
    exit status: 0 clean, 1 findings, 2 bad input";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let files: Vec<&String> = args.iter().filter(|a| *a != "--json").collect();
    let [file] = files.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    if file.starts_with('-') {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let report = match CorsConfig::from_file(file).and_then(|c| cors_lint::lint(&c)) {
        Ok(report) => report,
        Err(err) => {
            eprintln!("cors-lint: {file}: {err}");
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
    // A closed pipe (`cors-lint f | head`) is not an error worth a panic.
    let _ = std::io::stdout().write_all(text.as_bytes());
    if report.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
