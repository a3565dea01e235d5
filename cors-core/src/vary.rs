//! `Vary`: the precomputed values the policy adds, and merging them with the app's own.
//!
//! The app's `Vary` lines always stay. What the policy adds is appended once, compared
//! case-insensitively with what is already there, so nesting two layers does not add
//! `Origin` twice, and an existing `Vary: *` is left alone.

use http::HeaderValue;

use crate::token::trim_ows as trim;

/// `Vary` on every response the policy handles that is not a preflight.
pub(crate) static ACTUAL: HeaderValue = HeaderValue::from_static("Origin");
/// `Vary` on preflight answers. `Access-Control-Request-Private-Network` is always named:
/// the answer depends on it whether private network access is enabled (then it is granted)
/// or not (then a preflight asking for it is refused).
pub(crate) static PREFLIGHT: HeaderValue = HeaderValue::from_static(
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, \
     Access-Control-Request-Private-Network",
);

/// What to do with a response's `Vary` header. See [`merge`].
///
/// ```
/// use cors_core::vary::{merge, VaryUpdate};
///
/// let origin = http::HeaderValue::from_static("Origin");
/// match merge([&b"Accept-Encoding"[..]], &origin) {
///     VaryUpdate::Keep => {}                        // leave the response's Vary alone
///     VaryUpdate::Insert(value) => assert_eq!(value, "Origin"), // set it
///     VaryUpdate::Replace(value) => assert_eq!(value, "Accept-Encoding, Origin"), // replace every line
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VaryUpdate<'a> {
    /// Leave `Vary` as it is: it already names everything (or is `*`).
    Keep,
    /// The response has no `Vary`: insert this value.
    Insert(&'a HeaderValue),
    /// Replace every `Vary` line of the response with this one merged value.
    Replace(HeaderValue),
}

/// Merges the `Vary` value the policy wants (`add`) into the response's existing `Vary`
/// lines.
///
/// Allocates only when the response already has a `Vary` that lacks a name of `add`.
///
/// ```
/// use cors_core::vary::{merge, VaryUpdate};
/// use http::HeaderValue;
///
/// let origin = HeaderValue::from_static("Origin");
/// assert_eq!(merge(std::iter::empty(), &origin), VaryUpdate::Insert(&origin));
/// assert_eq!(
///     merge([&b"Accept-Encoding"[..]], &origin),
///     VaryUpdate::Replace(HeaderValue::from_static("Accept-Encoding, Origin"))
/// );
/// assert_eq!(merge([&b"accept-encoding, origin"[..]], &origin), VaryUpdate::Keep);
/// assert_eq!(merge([&b"*"[..]], &origin), VaryUpdate::Keep);
/// ```
pub fn merge<'a, 'e>(
    existing: impl IntoIterator<Item = &'e [u8]>,
    add: &'a HeaderValue,
) -> VaryUpdate<'a> {
    let lines: Vec<&[u8]> = existing.into_iter().collect();
    if lines.is_empty() {
        return VaryUpdate::Insert(add);
    }
    let has = |name: &[u8]| {
        lines
            .iter()
            .flat_map(|line| line.split(|&b| b == b','))
            .any(|e| trim(e) == b"*" || trim(e).eq_ignore_ascii_case(name))
    };
    if has(b"*") {
        return VaryUpdate::Keep;
    }
    let missing: Vec<&[u8]> = add
        .as_bytes()
        .split(|&b| b == b',')
        .map(trim)
        .filter(|name| !name.is_empty() && !has(name))
        .collect();
    if missing.is_empty() {
        return VaryUpdate::Keep;
    }
    let mut merged: Vec<u8> = Vec::new();
    for part in lines.iter().map(|l| trim(l)).chain(missing) {
        if part.is_empty() {
            continue;
        }
        if !merged.is_empty() {
            merged.extend_from_slice(b", ");
        }
        merged.extend_from_slice(part);
    }
    match HeaderValue::from_bytes(&merged) {
        Ok(value) => VaryUpdate::Replace(value),
        // The parts came from valid header values, so this cannot happen; keeping the
        // app's header is the safe answer if it ever did.
        Err(_) => VaryUpdate::Keep,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_into_several_lines() {
        assert_eq!(
            merge([&b"Accept-Encoding"[..], b"Cookie"], &PREFLIGHT),
            VaryUpdate::Replace(HeaderValue::from_static(
                "Accept-Encoding, Cookie, Origin, Access-Control-Request-Method, \
                 Access-Control-Request-Headers, Access-Control-Request-Private-Network"
            ))
        );
    }

    #[test]
    fn adds_only_what_is_missing() {
        assert_eq!(
            merge([&b"origin"[..]], &PREFLIGHT),
            VaryUpdate::Replace(HeaderValue::from_static(
                "origin, Access-Control-Request-Method, Access-Control-Request-Headers, \
                 Access-Control-Request-Private-Network"
            ))
        );
        assert_eq!(merge([&b"Origin"[..]], &ACTUAL), VaryUpdate::Keep);
        assert_eq!(merge([&b"Cookie, *"[..]], &ACTUAL), VaryUpdate::Keep);
    }

    #[test]
    fn empty_existing_line_is_replaced() {
        assert_eq!(
            merge([&b""[..]], &ACTUAL),
            VaryUpdate::Replace(HeaderValue::from_static("Origin"))
        );
    }
}
