//! The benchmarks' policy decided by hand, for [`Variant::Minimal`](super::Variant::Minimal):
//! the work any layer must do to answer browsers correctly under it, written for this one
//! policy on each framework's public API, with nothing configurable.
//!
//! What correct takes, beyond the floor's static lines:
//!
//! - every value of `Origin` is read (two values are refused, not echoed);
//! - a preflight is an `OPTIONS` with `Origin` and `Access-Control-Request-Method`; its
//!   method (one value) and every name of every `Access-Control-Request-Headers` line are
//!   checked, and it is answered without the app, whether or not a route exists;
//! - any `Access-Control-*` line the app set is removed (the layer owns them), found by
//!   walking the response's header names;
//! - `Origin` is merged into the response's `Vary` (left alone when a line already names
//!   it or is `*`), never overwriting the app's.
//!
//! What it leaves out, each making it cheaper than a complete layer, never costlier (so the
//! adapter is judged against a reference that errs low): `Sec-Fetch-Site` and `Host` (they
//! only tell a same-origin request, which the adapter neither refuses nor logs as refused);
//! `Access-Control-Request-Private-Network` (the policy does not grant it: the adapter
//! refuses such a preflight with 403, this layer answers 200 without the grant, and the
//! browser fails the preflight either way); any log of a refusal; `Vary` on a refused
//! preflight's answer; and on actix-web, the lines on an error an inner middleware returns
//! instead of a response (the adapter wraps it). To each of the four benchmarked request
//! kinds it gives the status and the header names the adapter gives (`check_floor`).

use super::{Kind, ORIGIN, Plan};

/// The methods a preflight may ask for: the policy's and the CORS-safelisted ones.
const METHODS: [&[u8]; 5] = [b"GET", b"HEAD", b"POST", b"PUT", b"DELETE"];
/// The request headers the policy allows, lower case.
const HEADERS: [&[u8]; 2] = [b"content-type", b"authorization"];

/// What the request's `Origin` lines say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin<T> {
    /// No `Origin`: not a CORS request.
    Absent,
    /// An origin the policy does not allow, or more than one line.
    Refused,
    /// The allowed origin, as the request wrote it.
    Allowed(T),
}

impl<T> Origin<T> {
    /// Whether the request has an `Origin` at all.
    pub fn is_present(&self) -> bool {
        !matches!(self, Origin::Absent)
    }
}

/// Reads every `Origin` line.
pub fn origin<T: AsRef<[u8]>>(mut lines: impl Iterator<Item = T>) -> Origin<T> {
    match (lines.next(), lines.next()) {
        (None, _) => Origin::Absent,
        (Some(one), None) if one.as_ref() == ORIGIN.as_bytes() => Origin::Allowed(one),
        _ => Origin::Refused,
    }
}

/// Whether a preflight may go ahead: exactly one method line, a method the policy allows
/// (case-sensitive), and every requested header name allowed (case-insensitive; spaces
/// and empty elements tolerated).
pub fn preflight_allowed<M, H>(
    mut method: impl Iterator<Item = M>,
    headers: impl Iterator<Item = H>,
) -> bool
where
    M: AsRef<[u8]>,
    H: AsRef<[u8]>,
{
    let method_ok = match (method.next(), method.next()) {
        (Some(m), None) => METHODS.contains(&m.as_ref()),
        _ => false,
    };
    method_ok
        && headers.into_iter().all(|line| {
            tokens(line.as_ref()).all(|name| HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name)))
        })
}

/// Whether a response whose `Vary` lines are `lines` still needs `Origin` added.
pub fn needs_vary<T: AsRef<[u8]>>(mut lines: impl Iterator<Item = T>) -> bool {
    !lines.any(|line| tokens(line.as_ref()).any(|t| t == b"*" || t.eq_ignore_ascii_case(b"origin")))
}

/// The `Access-Control-*` lines' names among `names`, to remove (usually none: no
/// allocation then).
pub fn owned<'a, N: AsRef<str> + Clone + 'a>(names: impl Iterator<Item = &'a N>) -> Vec<N> {
    names
        .filter(|name| is_owned(name.as_ref().as_bytes()))
        .cloned()
        .collect()
}

/// An app's response on an `http` map (axum, warp) finished: its `Access-Control-*` lines
/// dropped, the policy's `lines` written for an allowed `origin`, `Origin` merged into
/// `Vary`.
pub fn finish_http(
    origin: Option<http::HeaderValue>,
    lines: &[(http::HeaderName, http::HeaderValue)],
    headers: &mut http::HeaderMap,
) {
    for name in owned(headers.keys()) {
        headers.remove(name);
    }
    if let Some(origin) = origin {
        headers.append(http::header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        for (name, value) in lines {
            headers.append(name.clone(), value.clone());
        }
    }
    if needs_vary(headers.get_all(http::header::VARY).iter()) {
        headers.append(http::header::VARY, http::HeaderValue::from_static("Origin"));
    }
}

/// Whether a response header name is one the layer owns (`Access-Control-*`).
pub fn is_owned(name: &[u8]) -> bool {
    const PREFIX: &[u8] = b"access-control-";
    name.len() > PREFIX.len() && name[..PREFIX.len()].eq_ignore_ascii_case(PREFIX)
}

/// The non-empty elements of a comma-separated list, trimmed of spaces and tabs.
fn tokens(list: &[u8]) -> impl Iterator<Item = &[u8]> {
    list.split(|b| *b == b',')
        .map(|t| t.trim_ascii())
        .filter(|t| !t.is_empty())
}

/// The static lines of an allowed actual response (besides the echoed origin and `Vary`).
pub fn actual_lines() -> &'static [(&'static str, &'static str)] {
    without_vary(Plan::of(Kind::AllowedGet).lines)
}

/// The static lines of an allowed preflight's answer (besides the echoed origin), `Vary`
/// included: the answer is the layer's own, there is nothing to merge with.
pub fn preflight_lines() -> &'static [(&'static str, &'static str)] {
    Plan::of(Kind::Preflight).lines
}

fn without_vary(
    lines: &'static [(&'static str, &'static str)],
) -> &'static [(&'static str, &'static str)] {
    match lines.iter().position(|(name, _)| *name == "vary") {
        Some(at) if at + 1 == lines.len() => &lines[..at],
        _ => unreachable!("the plan's `Vary` comes last"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn decides_as_the_policy_does() {
        use super::{ORIGIN, Origin, is_owned, needs_vary, origin, preflight_allowed};
        assert_eq!(origin([ORIGIN].into_iter()), Origin::Allowed(ORIGIN));
        assert_eq!(origin([ORIGIN, ORIGIN].into_iter()), Origin::Refused);
        assert_eq!(origin(std::iter::empty::<&str>()), Origin::Absent);
        let none = std::iter::empty::<&str>;
        assert!(preflight_allowed(
            ["PUT"].into_iter(),
            [" Authorization,,content-type"].into_iter()
        ));
        assert!(!preflight_allowed(["put"].into_iter(), none()));
        assert!(!preflight_allowed(["PUT", "PUT"].into_iter(), none()));
        assert!(!preflight_allowed(
            ["PUT"].into_iter(),
            ["x-other"].into_iter()
        ));
        assert!(needs_vary(["Accept-Encoding"].into_iter()));
        assert!(!needs_vary(["accept-encoding, ORIGIN"].into_iter()));
        assert!(!needs_vary(["*"].into_iter()));
        assert!(is_owned(b"Access-Control-Allow-Origin"));
        assert!(!is_owned(b"vary"));
    }
}
