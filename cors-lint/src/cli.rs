//! What the `cors-lint` and `cors-import` binaries share: their one file argument and
//! `--json`, reading a Python file, and writing to a pipe that may close.

use std::io::Write;

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
