//! `cors-import FILE [--json]`: the same command as `cors import` (crate `cors-cli`), under
//! its first name. django-cors-headers settings or a FastAPI/Starlette app's
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

const USAGE: &str = "usage: cors-import FILE [--json]\n\
    FILE is a .py file with django-cors-headers settings (CORS_*) or FastAPI/Starlette's\n\
    add_middleware(CORSMiddleware, ...). The TOML configuration goes to standard output,\n\
    with the security diff as comments at its top.\n\
    exit status: 0 imported, 1 imported with settings not read, 2 bad input";

fn main() -> ExitCode {
    let Some((file, json)) = cors_lint::cli::file_and_json(std::env::args().skip(1), USAGE) else {
        return ExitCode::from(2);
    };
    cors_lint::cli::import_file(&file, json).finish("cors-import", &file)
}
