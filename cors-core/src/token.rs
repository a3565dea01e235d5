//! HTTP tokens (RFC 9110 §5.6.2) and comma-separated token lists, on bytes.

use http::HeaderValue;

use crate::build::Found;
use crate::error::{ConfigError, ConfigErrorKind};

/// A configured list of methods or header names: `["*"]`, or tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NameList {
    /// `["*"]`
    Any,
    /// The names, deduplicated, in the configured order, with their joined header value
    /// (`None` for an empty list).
    Names(Vec<Box<str>>, Option<HeaderValue>),
}

impl NameList {
    /// Validates a configured list; `lowercase` folds names (header names) before joining.
    /// Every invalid item is an error in `found`; the valid ones are kept (and `*` mixed
    /// with names is left out: what an erroneous list keeps allows less, never more).
    pub(crate) fn parse(
        field: &'static str,
        items: &[String],
        kind: ConfigErrorKind,
        lowercase: bool,
        found: &mut Found,
    ) -> Self {
        if items.len() == 1 && items[0] == "*" {
            return NameList::Any;
        }
        if items.iter().any(|i| i == "*") {
            found.error(
                ConfigError::new(kind, field, items.join(", "), "mixes `*` with names")
                    .hint("write `[\"*\"]` alone to allow any, or list the names without `*`"),
            );
        }
        let mut names: Vec<Box<str>> = Vec::with_capacity(items.len());
        for item in items.iter().filter(|i| *i != "*") {
            if !is_token(item.as_bytes()) {
                let what = if lowercase { "header name" } else { "method" };
                let mut err = ConfigError::new(
                    kind,
                    field,
                    item.clone(),
                    format!("is not a valid {what} (an HTTP token: no spaces, commas or quotes)"),
                );
                if item.contains([',', ' ']) {
                    err = err.hint("list each name as its own element");
                }
                found.error(err);
                continue;
            }
            let name = if lowercase {
                item.to_ascii_lowercase()
            } else {
                item.clone()
            };
            if !names.iter().any(|n| **n == *name) {
                names.push(name.into_boxed_str());
            }
        }
        let value = if names.is_empty() {
            None
        } else {
            Some(joined(&names))
        };
        NameList::Names(names, value)
    }

    /// The configured list as a header value, built once: `None` for `*` (the answer then
    /// depends on the request) and for an empty list.
    pub(crate) fn value(&self) -> Option<&HeaderValue> {
        match self {
            NameList::Names(_, listed) => listed.as_ref(),
            NameList::Any => None,
        }
    }
}

/// Joins names with `", "` into a header value (tokens are always valid header values).
pub(crate) fn joined(names: &[Box<str>]) -> HeaderValue {
    HeaderValue::try_from(names.join(", "))
        .expect("tokens joined by \", \" form a valid header value")
}

/// `TCHAR[b]`: whether byte `b` may appear in a method or header name (`tchar`).
static TCHAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(b as u8,
            b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' |
            b'^' | b'_' | b'`' | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z');
        b += 1;
    }
    table
};

/// Whether `s` is a non-empty HTTP token (a valid method or header name).
pub(crate) fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| TCHAR[usize::from(b)])
}

/// `LOWER_TCHAR[b]`: `b` in lower case if it may appear in a token, else 0.
static LOWER_TCHAR: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        if TCHAR[b] {
            table[b] = (b as u8).to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// The longest name [`lower_token`] folds (every header name browsers send is far
/// shorter; longer ones are compared in place instead).
pub(crate) const SHORT: usize = 64;

/// `s` in lower case, folded into `buffer`, if it is a non-empty token of at most
/// [`SHORT`] bytes; else `None`.
pub(crate) fn lower_token<'b>(s: &[u8], buffer: &'b mut [u8; SHORT]) -> Option<&'b [u8]> {
    if s.is_empty() || s.len() > SHORT {
        return None;
    }
    let out = &mut buffer[..s.len()];
    // No early exit: a loop the compiler can keep tight.
    let mut invalid = false;
    for (out, &b) in out.iter_mut().zip(s) {
        *out = LOWER_TCHAR[usize::from(b)];
        invalid |= *out == 0;
    }
    (!invalid).then_some(&*out)
}

/// Removes optional white space (spaces and tabs) at both ends.
pub(crate) fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert!(is_token(b"PATCH"));
        assert!(is_token(b"x-custom_header.v2"));
        assert!(!is_token(b""));
        assert!(!is_token(b"GET POST"));
        assert!(!is_token(b"a,b"));
        assert!(!is_token(b"caf\xc3\xa9"));
        assert!(!is_token(b"x\r\nset-cookie"));
    }

    #[test]
    fn lower_tokens() {
        let mut buffer = [0; SHORT];
        assert_eq!(
            lower_token(b"X-Api-Key", &mut buffer),
            Some(&b"x-api-key"[..])
        );
        assert_eq!(lower_token(b"a b", &mut buffer), None);
        assert_eq!(lower_token(b"", &mut buffer), None);
        assert_eq!(lower_token(b"caf\xc3\xa9", &mut buffer), None);
        assert_eq!(
            lower_token(&[b'A'; SHORT], &mut buffer),
            Some(&[b'a'; SHORT][..])
        );
        assert_eq!(lower_token(&[b'A'; SHORT + 1], &mut buffer), None);
    }

    #[test]
    fn trims_optional_white_space() {
        assert_eq!(trim_ows(b" \tcontent-type \t"), b"content-type");
        assert_eq!(trim_ows(b"  "), b"");
        assert_eq!(trim_ows(b""), b"");
    }
}
