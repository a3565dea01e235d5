//! `cors-lint FILE [--json]`: the same command as `cors lint` (crate `cors-cli`), under its
//! first name. The origins a policy file lets in beyond what it intends. FILE is this
//! workspace's `.toml` or `.json` configuration, or a `.py` file with django-cors-headers
//! settings or FastAPI/Starlette's `CORSMiddleware`, linted under that middleware's own
//! matching.
//!
//! Exit status: 0 clean, 1 findings, 2 bad input (usage, unreadable file, a configuration
//! the workspace refuses).
//!
//! ```text
//! $ cargo run -p cors-lint -- cors-lint/examples/sloppy.toml
//! ```

use std::process::ExitCode;

const USAGE: &str = "usage: cors-lint FILE [--json]\n\
    FILE is a .toml or .json configuration of this workspace, or a .py file with\n\
    django-cors-headers settings or FastAPI/Starlette's CORSMiddleware.\n\
    exit status: 0 clean, 1 findings, 2 bad input";

fn main() -> ExitCode {
    let Some((file, json)) = cors_lint::cli::file_and_json(std::env::args().skip(1), USAGE) else {
        return ExitCode::from(2);
    };
    cors_lint::cli::lint_file(&file, json).finish("cors-lint", &file)
}
