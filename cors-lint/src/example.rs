//! Origins a regex matches, to build the bypass family of a regex entry from.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Up to two strings the regex matches in full: one with every repetition taken as few
/// times as it may be, one with every repetition taken at least once. A `.` or class on
/// its own stands for a `.` where it can (the user usually meant a dot), a repeated one
/// for a letter (the user meant "some label"). `None` if the regex does not parse.
///
/// ```
/// use cors_lint::examples;
///
/// assert_eq!(examples(r"(?:https?:\/\/)127.0.0.1:*").unwrap()[0], "http://127.0.0.1");
/// assert!(examples(r"https://.*\.example\.com").unwrap().contains(&"https://a.example.com".to_string()));
/// assert!(examples("https://app.example.com").unwrap().contains(&"https://app.example.com".to_string()));
/// ```
pub fn examples(regex: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::Parser::new().parse(regex).ok()?;
    let mut out = Vec::with_capacity(2);
    for at_least_once in [false, true] {
        let mut s = String::new();
        write(&hir, at_least_once, false, &mut s);
        if !out.contains(&s) {
            out.push(s);
        }
    }
    Some(out)
}

fn write(hir: &Hir, at_least_once: bool, repeated: bool, out: &mut String) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(lit) => out.push_str(&String::from_utf8_lossy(&lit.0)),
        HirKind::Class(class) => out.extend(pick(class, repeated)),
        HirKind::Repetition(rep) => {
            // A run of digits reads as a port: four of them (`8888`), not one.
            let digits = matches!(rep.sub.kind(), HirKind::Class(c) if pick(c, true).is_some_and(|c| c.is_ascii_digit()));
            let times = if at_least_once {
                rep.min.max(if digits { 4 } else { 1 })
            } else {
                rep.min
            };
            let times = rep.max.map_or(times, |max| times.min(max));
            for _ in 0..times {
                write(&rep.sub, at_least_once, true, out);
            }
        }
        HirKind::Capture(cap) => write(&cap.sub, at_least_once, repeated, out),
        HirKind::Concat(parts) => {
            for part in parts {
                write(part, at_least_once, repeated, out);
            }
        }
        HirKind::Alternation(alts) => {
            if let Some(first) = alts.first() {
                write(first, at_least_once, repeated, out);
            }
        }
    }
}

/// A character of the class: `.` if it has one and stands alone, else a lower-case
/// letter, a digit, `-`, or the first it has.
fn pick(class: &Class, repeated: bool) -> Option<char> {
    let has = |c: char| match class {
        Class::Unicode(u) => u.ranges().iter().any(|r| r.start() <= c && c <= r.end()),
        Class::Bytes(b) => {
            u8::try_from(c).is_ok_and(|c| b.ranges().iter().any(|r| r.start() <= c && c <= r.end()))
        }
    };
    let preferred: &[char] = if repeated {
        &['a', '8', '-']
    } else {
        &['.', 'a', '8', '-']
    };
    preferred
        .iter()
        .copied()
        .find(|&c| has(c))
        .or_else(|| match class {
            Class::Unicode(u) => u.ranges().first().map(|r| r.start()),
            Class::Bytes(b) => b.ranges().first().map(|r| char::from(r.start())),
        })
}

/// An origin on a domain an attacker can register that `regex` admits, read from what it
/// can match ([`cors_core::any_website_origin`]); `prefix`: matched at the start only, as
/// django's `re.match` does (the regex is followed by anything, joined as a syntax tree).
pub(crate) fn any_website(regex: &str, prefix: bool) -> Option<String> {
    let hir = regex_syntax::Parser::new().parse(regex).ok()?;
    let hir = if prefix {
        let anything = regex_syntax::Parser::new().parse("(?s:.*)").ok()?;
        regex_syntax::hir::Hir::concat(vec![hir, anything])
    } else {
        hir
    };
    cors_core::any_website_origin(&hir.to_string())
        .ok()
        .flatten()
}
