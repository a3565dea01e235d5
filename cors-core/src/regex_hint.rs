//! Spotting the commonest origin-regex mistake, for warnings and for linting tools.

/// The regex with each unescaped `.` between two domain labels escaped, or `None` when it
/// has none.
///
/// In `https://app.example.com` each `.` matches any character, so the regex also matches
/// `https://appxexample.com`, a domain anyone can register. A `.` is taken to sit between
/// labels when a literal letter or digit comes right before it and a letter or digit right
/// after (so `.*` and `.+` and dots inside `[...]` are left alone).
///
/// ```
/// use cors_core::escape_label_dots;
///
/// assert_eq!(
///     escape_label_dots("https://app.example.com").as_deref(),
///     Some(r"https://app\.example\.com")
/// );
/// assert_eq!(
///     escape_label_dots(r"(?:https?:\/\/)127.0.0.1:*").as_deref(),
///     Some(r"(?:https?:\/\/)127\.0\.0\.1:*")
/// );
/// assert_eq!(escape_label_dots(r"https://.*\.example\.com"), None);
/// assert_eq!(escape_label_dots(r"https://[a-z.]+\.example\.com"), None);
/// assert_eq!(escape_label_dots(r"https://v\d.example\.com").as_deref(), None);
/// ```
pub fn escape_label_dots(regex: &str) -> Option<String> {
    let chars: Vec<char> = regex.chars().collect();
    let mut out = String::with_capacity(regex.len() + 4);
    let mut in_class = false;
    let mut after_literal_alnum = false;
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            out.extend(chars.get(i..i + 2).unwrap_or(&chars[i..]));
            after_literal_alnum = false;
            i += 2;
            continue;
        }
        let label_dot = c == '.'
            && !in_class
            && after_literal_alnum
            && chars.get(i + 1).is_some_and(char::is_ascii_alphanumeric);
        if label_dot {
            out.push_str("\\.");
            changed = true;
        } else {
            out.push(c);
        }
        match c {
            '[' => in_class = true,
            ']' => in_class = false,
            _ => {}
        }
        after_literal_alnum = !in_class && c.is_ascii_alphanumeric();
        i += 1;
    }
    changed.then_some(out)
}
