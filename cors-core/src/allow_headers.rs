//! `allowed_headers`: which request headers a preflight may ask for, and the
//! `Access-Control-Allow-Headers` answer.

use http::HeaderValue;
use rustc_hash::FxHashMap;

use crate::build::Found;
use crate::error::ConfigErrorKind;
use crate::headers::{Mirror, STAR, Value};
use crate::reason::Reason;
use crate::request::HeaderField;
use crate::token::{self, NameList};

/// The compiled `allowed_headers`; names are stored in lower case.
#[derive(Debug, Clone)]
pub(crate) struct AllowHeaders {
    names: NameList,
    /// Every list a browser can send that the names allow, as browsers write it: the
    /// names asked for, in lower case, sorted, joined by `,` (Fetch's
    /// [CORS-unsafe request-header names](https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names)).
    /// One lookup answers those; any other spelling is parsed. Built for up to
    /// [`SUBSETS_UP_TO`] names. The value: whether the list names `authorization`.
    sent: FxHashMap<Box<[u8]>, bool>,
}

/// The most names whose lists (2^n - 1 of them) are built ahead.
const SUBSETS_UP_TO: usize = 8;

/// Every non-empty subset of `names`, each sorted and joined by `,`.
fn lists_browsers_send(names: &NameList) -> FxHashMap<Box<[u8]>, bool> {
    let NameList::Names(names, _) = names else {
        return FxHashMap::default();
    };
    if names.len() > SUBSETS_UP_TO {
        return FxHashMap::default();
    }
    let mut sorted: Vec<&str> = names.iter().map(|n| &**n).collect();
    sorted.sort_unstable();
    (1..1u32 << sorted.len())
        .map(|subset| {
            let picked: Vec<&str> = (0..sorted.len())
                .filter(|i| subset & (1 << i) != 0)
                .map(|i| sorted[i])
                .collect();
            let authorization = picked.contains(&"authorization");
            (
                picked.join(",").into_bytes().into_boxed_slice(),
                authorization,
            )
        })
        .collect()
}

/// What checking a request's `Access-Control-Request-Headers` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RequestedHeaders<'a> {
    /// Every element is allowed. `authorization`: `Authorization` was among them;
    /// `empty`: the list named no header at all.
    Allowed { authorization: bool, empty: bool },
    /// This element is not allowed.
    NotAllowed(&'a [u8]),
    /// This element is not a header name.
    Malformed(&'a [u8]),
}

impl AllowHeaders {
    pub(crate) fn build(items: &[String], found: &mut Found) -> Self {
        let names = NameList::parse(
            "allowed_headers",
            items,
            ConfigErrorKind::InvalidHeader,
            true,
            found,
        );
        let sent = lists_browsers_send(&names);
        AllowHeaders { names, sent }
    }

    /// The `Access-Control-Allow-Headers` answer to a preflight's
    /// `Access-Control-Request-Headers` (its lines already joined into one list), or why it
    /// is refused.
    ///
    /// Every element must be a header name ([`Reason::MalformedRequestHeaders`]) in the list
    /// ([`Reason::HeaderNotAllowed`]); an empty list asks for nothing. The answer is the
    /// configured list, built once. For `["*"]` it is `*`, except in two cases where
    /// browsers do not read `*` as "any"
    /// ([CORS-preflight fetch](https://fetch.spec.whatwg.org/#cors-preflight-fetch)): with
    /// credentials, and for `Authorization`, which `*` never covers. Then the requested list
    /// is sent back (nothing, with credentials and nothing requested).
    #[inline]
    pub(crate) fn answer<'a>(
        &'a self,
        requested: HeaderField<'a>,
        credentials: bool,
    ) -> Result<Option<Value<'a>>, Reason<'a>> {
        let asked = match requested {
            HeaderField::Absent => None,
            HeaderField::One(list) => match self.check(list) {
                RequestedHeaders::Allowed { empty: true, .. } => None,
                RequestedHeaders::Allowed { authorization, .. } => Some((list, authorization)),
                RequestedHeaders::NotAllowed(h) => return Err(Reason::HeaderNotAllowed(h)),
                RequestedHeaders::Malformed(h) => return Err(Reason::MalformedRequestHeaders(h)),
            },
            HeaderField::Repeated => {
                return Err(Reason::RepeatedHeader("access-control-request-headers"));
            }
        };
        Ok(match (&self.names, asked) {
            (NameList::Names(_, listed), _) => listed.as_ref().map(Value::Policy),
            (NameList::Any, Some((list, authorization))) if credentials || authorization => {
                Some(Value::Mirror(Mirror::RequestHeaders, list))
            }
            (NameList::Any, _) if credentials => None,
            (NameList::Any, _) => Some(Value::Policy(&STAR)),
        })
    }

    /// Checks every element of the request list, ASCII-case-insensitively, without
    /// allocating. Elements are separated by commas; spaces and tabs around them are
    /// dropped and empty elements skipped (`"a, ,b"` is `a`, `b`).
    pub(crate) fn check<'a>(&self, requested: &'a [u8]) -> RequestedHeaders<'a> {
        if let Some(&authorization) = self.sent.get(requested) {
            return RequestedHeaders::Allowed {
                authorization,
                empty: false,
            };
        }
        let mut authorization = false;
        let mut empty = true;
        let mut buffer = [0u8; token::SHORT];
        for element in requested.split(|&b| b == b',') {
            let name = token::trim_ows(element);
            if name.is_empty() {
                continue;
            }
            let listed = match (token::lower_token(name, &mut buffer), &self.names) {
                // The element in lower case, checked to be a token on the way: names are
                // stored in lower case, so each comparison is a plain one.
                (Some(lower), names) => {
                    authorization |= lower == b"authorization";
                    match names {
                        NameList::Any => true,
                        NameList::Names(names, _) => names.iter().any(|n| n.as_bytes() == lower),
                    }
                }
                // Longer than any name a browser sends: checked and compared in place.
                (None, _) if name.len() <= token::SHORT || !token::is_token(name) => {
                    return RequestedHeaders::Malformed(name);
                }
                (None, NameList::Any) => true,
                (None, NameList::Names(names, _)) => names
                    .iter()
                    .any(|n| n.as_bytes().eq_ignore_ascii_case(name)),
            };
            empty = false;
            if !listed {
                return RequestedHeaders::NotAllowed(name);
            }
        }
        RequestedHeaders::Allowed {
            authorization,
            empty,
        }
    }

    /// The configured list's value, for [`Cors::header_values`](crate::Cors::header_values).
    pub(crate) fn value(&self) -> Option<&HeaderValue> {
        self.names.value()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(items: &[&str]) -> AllowHeaders {
        let items: Vec<String> = items.iter().map(|s| s.to_string()).collect();
        AllowHeaders::build(&items, &mut Found::default())
    }

    #[test]
    fn case_insensitive_and_tolerant() {
        let h = headers(&["Content-Type", "X-Api-Key"]);
        assert_eq!(
            h.check(b"content-type, x-api-key"),
            RequestedHeaders::Allowed {
                authorization: false,
                empty: false
            }
        );
        assert_eq!(
            h.check(b"CONTENT-TYPE,,  X-API-KEY ,"),
            RequestedHeaders::Allowed {
                authorization: false,
                empty: false
            }
        );
        assert_eq!(
            h.check(b" , ,"),
            RequestedHeaders::Allowed {
                authorization: false,
                empty: true
            }
        );
        assert_eq!(
            h.check(b"content-type, b c, d"),
            RequestedHeaders::Malformed(b"b c")
        );
        assert_eq!(
            h.check(b"content-type,x-other"),
            RequestedHeaders::NotAllowed(b"x-other")
        );
        assert_eq!(
            h.check(b"content-type,x y"),
            RequestedHeaders::Malformed(b"x y")
        );
        assert_eq!(
            h.value(),
            Some(&HeaderValue::from_static("content-type, x-api-key"))
        );
    }

    #[test]
    fn the_lists_browsers_send_are_answered_by_one_lookup() {
        let h = headers(&["X-Api-Key", "content-type", "authorization"]);
        assert_eq!(h.sent.len(), 7);
        for (list, authorization) in [
            (&b"authorization,content-type,x-api-key"[..], true),
            (b"content-type", false),
            (b"authorization,x-api-key", true),
        ] {
            assert_eq!(h.sent.get(list), Some(&authorization));
            assert_eq!(
                h.check(list),
                RequestedHeaders::Allowed {
                    authorization,
                    empty: false
                }
            );
        }
        // another spelling is parsed, and answers the same
        assert_eq!(
            h.check(b"X-Api-Key, Authorization"),
            RequestedHeaders::Allowed {
                authorization: true,
                empty: false
            }
        );
        assert!(!h.sent.contains_key(&b"content-type,authorization"[..]));
        assert_eq!(
            h.check(b"content-type,x-other"),
            RequestedHeaders::NotAllowed(b"x-other")
        );
        assert!(headers(&["*"]).sent.is_empty());
        let nine: Vec<String> = (0..9).map(|i| format!("x-{i}")).collect();
        let nine: Vec<&str> = nine.iter().map(String::as_str).collect();
        assert!(headers(&nine).sent.is_empty());
    }

    /// The plain reading of a request list, element by element: what `check` must answer,
    /// fast path or not.
    fn reference<'a>(names: &[&str], any: bool, requested: &'a [u8]) -> RequestedHeaders<'a> {
        let mut authorization = false;
        let mut empty = true;
        for element in requested.split(|&b| b == b',') {
            let name = token::trim_ows(element);
            if name.is_empty() {
                continue;
            }
            if !token::is_token(name) {
                return RequestedHeaders::Malformed(name);
            }
            empty = false;
            authorization |= name.eq_ignore_ascii_case(b"authorization");
            if !any
                && !names
                    .iter()
                    .any(|n| n.as_bytes().eq_ignore_ascii_case(name))
            {
                return RequestedHeaders::NotAllowed(name);
            }
        }
        RequestedHeaders::Allowed {
            authorization,
            empty,
        }
    }

    #[test]
    fn every_spelling_answers_as_the_plain_reading() {
        let long = "x-".to_owned() + &"a".repeat(68);
        let names = ["content-type", "x-api-key", "authorization", long.as_str()];
        let nine: Vec<String> = (0..9).map(|i| format!("x-{i}")).collect();
        let nine: Vec<&str> = nine.iter().map(String::as_str).collect();
        let long_upper = long.to_ascii_uppercase();
        let sixty_four = "b".repeat(64);
        let sixty_five = "b".repeat(65);
        let requests: Vec<Vec<u8>> = [
            "content-type,x-api-key",
            "content-type ,x-api-key",
            "x-api-key,content-type",
            "content-type,,x-api-key",
            "content-type,x-api-key,",
            "Content-Type,X-Api-Key",
            "\tcontent-type",
            "content-type, x-api-key",
            "AUTHORIZATION",
            "authorization,content-type,x-api-key",
            "",
            " , ",
            "content-type,x-other",
            "content type",
            long.as_str(),
            long_upper.as_str(),
            sixty_four.as_str(),
            sixty_five.as_str(),
            "x-0,x-8",
            "x-9",
        ]
        .iter()
        .map(|r| r.as_bytes().to_vec())
        .chain([
            format!("{sixty_five} x").into_bytes(),
            b"content-type,x-\xff".to_vec(),
            b"content-type,\0".to_vec(),
        ])
        .collect();
        for (configured, any) in [(&names[..], false), (&nine[..], false), (&["*"][..], true)] {
            let h = headers(configured);
            for requested in &requests {
                assert_eq!(
                    h.check(requested),
                    reference(configured, any, requested),
                    "{configured:?} {:?}",
                    String::from_utf8_lossy(requested)
                );
            }
        }
    }

    #[test]
    fn any_notes_authorization() {
        let h = headers(&["*"]);
        assert_eq!(
            h.check(b"x-a,Authorization"),
            RequestedHeaders::Allowed {
                authorization: true,
                empty: false
            }
        );
        assert_eq!(h.value(), None);
    }
}
