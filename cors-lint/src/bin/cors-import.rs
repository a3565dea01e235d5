//! `cors-import FILE [--json]`: django-cors-headers settings or a FastAPI/Starlette app's
//! `CORSMiddleware` as this workspace's TOML configuration, with the security diff between
//! the old middleware and the new policy written at its top as comments.
//!
//! ```text
//! $ cargo run -p cors-lint --bin cors-import -- settings.py > cors.toml
//! ```
//!
//! Exit status: 0 imported; 1 imported, but some settings could not be read (they are
//! listed in the file: set them by hand); 2 bad input (usage, unreadable file, no CORS
//! settings in it).

use std::process::ExitCode;

use serde_json::json;

const USAGE: &str = "usage: cors-import FILE [--json]\n\
    FILE is a .py file with django-cors-headers settings (CORS_*) or FastAPI/Starlette's\n\
    add_middleware(CORSMiddleware, ...). The TOML configuration goes to standard output,\n\
    with the security diff as comments at its top.\n\
    exit status: 0 imported, 1 imported with settings not read, 2 bad input";

fn main() -> ExitCode {
    let Some((file, json)) = cors_lint::cli::file_and_json(std::env::args().skip(1), USAGE) else {
        return ExitCode::from(2);
    };
    let file = &file;
    let imported = cors_lint::cli::read_legacy(file)
        .and_then(|old| cors_lint::import(&old).map_err(|e| e.to_string()));
    let imported = match imported {
        Ok(imported) => imported,
        Err(err) => {
            // One line per mistake: every configuration error is reported at once.
            for line in err.lines() {
                eprintln!("cors-import: {file}: {line}");
            }
            return ExitCode::from(2);
        }
    };
    let text = if json {
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
    cors_lint::cli::print(&text);
    if imported.unread.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
