//! What the `cors-lint` and `cors-import` binaries share: their one file argument and
//! `--json`, and writing to a pipe that may close.

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

/// Writes `text` to standard output; a closed pipe (`cors-lint f | head`) is not an error.
///
/// ```
/// cors_lint::cli::print("0 findings\n");
/// ```
pub fn print(text: &str) {
    let _ = std::io::stdout().write_all(text.as_bytes());
}
