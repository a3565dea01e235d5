//! Just enough Python to read CORS settings as people write them: literal assignments
//! (strings, raw strings, numbers, booleans, `None`, lists, tuples, sets, `+`, `*unpacking`,
//! `list(...)`) and the keyword arguments of `add_middleware(CORSMiddleware, ...)`.
//! Nothing is executed and nothing is guessed: an expression outside that subset is
//! returned as an error carrying its source text.

use std::collections::BTreeMap;

/// A Python literal value.
///
/// ```
/// use cors_lint::Value;
///
/// let value = Value::List(vec![Value::Str("GET".into()), Value::Int(1), Value::None]);
/// assert_eq!(value.to_string(), r#"["GET", 1, None]"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A `str` (raw or not, escapes already applied).
    Str(String),
    /// An `int`.
    Int(i64),
    /// `True` or `False`.
    Bool(bool),
    /// `None`.
    None,
    /// A list, tuple or set, in source order.
    List(Vec<Value>),
}

impl std::fmt::Display for Value {
    /// As Python writes it: `'a'`, `1`, `True`, `None`, `['a', 'b']`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Str(s) => write!(f, "{s:?}"),
            Value::Int(n) => write!(f, "{n}"),
            Value::Bool(true) => f.write_str("True"),
            Value::Bool(false) => f.write_str("False"),
            Value::None => f.write_str("None"),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
        }
    }
}

/// A name whose value is known without reading the file (`from corsheaders.defaults
/// import default_headers`).
pub(crate) type Known = fn(&str) -> Option<Value>;

/// One statement or call argument that was read: where, and its value or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Read {
    pub line: usize,
    pub text: String,
    pub value: Result<Value, String>,
}

/// What a Python file holds that matters here.
#[derive(Debug, Default)]
pub(crate) struct Module {
    /// Top-level `NAME = literal` (and `NAME += literal` on a list), the last one winning
    /// as in Python.
    pub assignments: BTreeMap<String, Read>,
    /// Assignments to names starting with `CORS_` that are indented (inside `if`, `try`,
    /// a function): which one runs cannot be known without running the file.
    pub nested: Vec<(String, usize)>,
    /// The keyword arguments of each `add_middleware(CORSMiddleware, ...)` or
    /// `Middleware(CORSMiddleware, ...)` call, by line of the call.
    pub middleware_calls: Vec<(usize, Vec<(String, Read)>)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Name(String),
    Str { value: String, literal: bool },
    Num(String),
    Op(&'static str),
    Newline,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    line: usize,
    /// Indentation of the physical line the token is on (statements after `;` share it).
    col: usize,
    start: usize,
    end: usize,
}

const OPS: [&str; 14] = [
    "+=", "**", "==", "(", ")", "[", "]", "{", "}", ",", "=", "+", "*", ":",
];

/// Reads `source`. Errors only when the file cannot be tokenised at all (an unterminated
/// string), with the line.
pub(crate) fn parse(source: &str, known: Known) -> Result<Module, String> {
    let tokens = tokenize(source)?;
    let mut module = Module::default();
    let mut statement_start = 0;
    for (i, token) in tokens.iter().enumerate() {
        if token.tok == Tok::Newline {
            statement(source, &tokens[statement_start..i], known, &mut module);
            statement_start = i + 1;
        }
    }
    statement(source, &tokens[statement_start..], known, &mut module);
    for (i, token) in tokens.iter().enumerate() {
        let is_call =
            matches!(&token.tok, Tok::Name(n) if n == "add_middleware" || n == "Middleware");
        let first_arg = tokens.get(i + 2).map(|t| &t.tok);
        if is_call
            && tokens.get(i + 1).map(|t| &t.tok) == Some(&Tok::Op("("))
            && matches!(first_arg, Some(Tok::Name(n)) if n == "CORSMiddleware")
        {
            let kwargs = keyword_arguments(source, &tokens[i + 3..], known, &module.assignments);
            module.middleware_calls.push((token.line, kwargs));
        }
    }
    Ok(module)
}

fn statement(source: &str, tokens: &[Token], known: Known, module: &mut Module) {
    let [first, second, rest @ ..] = tokens else {
        return;
    };
    let Tok::Name(name) = &first.tok else {
        return;
    };
    let (augmented, rest) = match second.tok {
        Tok::Op("=") => (false, rest),
        Tok::Op("+=") => (true, rest),
        // `NAME: annotation = value`
        Tok::Op(":") => match rest.iter().position(|t| t.tok == Tok::Op("=")) {
            Some(eq) => (false, &rest[eq + 1..]),
            None => return,
        },
        _ => return,
    };
    if first.col > 0 {
        if name.starts_with("CORS_") {
            module.nested.push((name.clone(), first.line));
        }
        return;
    }
    let text = source_text(source, tokens);
    let mut value = Parser::new(source, rest, known, &module.assignments).whole();
    if augmented {
        value = match (module.assignments.get(name).map(|r| &r.value), value) {
            (Some(Ok(Value::List(a))), Ok(Value::List(b))) => {
                Ok(Value::List(a.iter().cloned().chain(b).collect()))
            }
            (_, _) => Err(format!(
                "`{text}` extends a value that is not a literal list"
            )),
        };
    }
    module.assignments.insert(
        name.clone(),
        Read {
            line: first.line,
            text,
            value,
        },
    );
}

/// `, name=value, ...)` after the first argument of a call.
fn keyword_arguments(
    source: &str,
    tokens: &[Token],
    known: Known,
    env: &BTreeMap<String, Read>,
) -> Vec<(String, Read)> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(Token {
        tok: Tok::Op(","), ..
    }) = tokens.get(i)
    {
        let (
            Some(Token {
                tok: Tok::Name(name),
                line,
                ..
            }),
            Some(Token {
                tok: Tok::Op("="), ..
            }),
        ) = (tokens.get(i + 1), tokens.get(i + 2))
        else {
            break;
        };
        let mut parser = Parser::new(source, &tokens[i + 3..], known, env);
        let value = parser.expr();
        // Never past the tokens it was given, which `name =` precede.
        let used = parser.pos;
        let text = source_text(source, &tokens[i + 1..i + 3 + used]);
        out.push((
            name.clone(),
            Read {
                line: *line,
                text,
                value,
            },
        ));
        i += 3 + used;
        // An expression we cannot read: skip to the next top-level comma.
        let mut depth = 0usize;
        while let Some(t) = tokens.get(i) {
            match t.tok {
                Tok::Op("(" | "[" | "{") => depth += 1,
                Tok::Op(")" | "]" | "}") if depth == 0 => return out,
                Tok::Op(")" | "]" | "}") => depth -= 1,
                Tok::Op(",") if depth == 0 => break,
                _ => {}
            }
            i += 1;
        }
    }
    out
}

fn source_text(source: &str, tokens: &[Token]) -> String {
    match (tokens.first(), tokens.last()) {
        (Some(a), Some(b)) => source[a.start..b.end].to_owned(),
        _ => String::new(),
    }
}

struct Parser<'a> {
    source: &'a str,
    tokens: &'a [Token],
    pos: usize,
    known: Known,
    env: &'a BTreeMap<String, Read>,
    depth: usize,
}

/// How deeply lists may nest; settings never come close, hostile input does.
const MAX_DEPTH: usize = 32;

impl<'a> Parser<'a> {
    fn new(
        source: &'a str,
        tokens: &'a [Token],
        known: Known,
        env: &'a BTreeMap<String, Read>,
    ) -> Self {
        Parser {
            source,
            tokens,
            pos: 0,
            known,
            env,
            depth: 0,
        }
    }

    /// The whole right-hand side of an assignment, where `a, b` is a tuple.
    fn whole(&mut self) -> Result<Value, String> {
        let first = self.expr()?;
        let value = if self.peek() == Some(&Tok::Op(",")) {
            let mut items = vec![first];
            while self.eat(&Tok::Op(",")) {
                if self.pos == self.tokens.len() {
                    break;
                }
                items.push(self.expr()?);
            }
            Value::List(items)
        } else {
            first
        };
        if self.pos == self.tokens.len() {
            Ok(value)
        } else {
            Err(self.unsupported(self.pos))
        }
    }

    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        if self.peek() == Some(tok) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// The source from token `from` to the end of the expression or statement.
    fn unsupported(&self, from: usize) -> String {
        let text = source_text(self.source, &self.tokens[from.min(self.tokens.len())..]);
        format!("`{text}` is not a literal this tool reads")
    }

    /// `atom ('+' atom)*`.
    fn expr(&mut self) -> Result<Value, String> {
        let start = self.pos;
        let mut value = self.atom()?;
        while self.eat(&Tok::Op("+")) {
            let right = self.atom()?;
            value = match (value, right) {
                (Value::List(a), Value::List(b)) => Value::List(a.into_iter().chain(b).collect()),
                (Value::Str(a), Value::Str(b)) => Value::Str(a + &b),
                _ => return Err(self.unsupported(start)),
            };
        }
        Ok(value)
    }

    fn atom(&mut self) -> Result<Value, String> {
        let start = self.pos;
        let Some(token) = self.tokens.get(self.pos) else {
            return Err("an expression is missing".to_owned());
        };
        self.pos += 1;
        match &token.tok {
            Tok::Str { value, literal } => {
                if !literal {
                    return Err(format!(
                        "`{}` is an f-string; its value is only known when the program runs",
                        source_text(self.source, &self.tokens[start..self.pos])
                    ));
                }
                let mut value = value.clone();
                // Adjacent literals concatenate: "a" "b".
                while let Some(Tok::Str {
                    value: next,
                    literal: true,
                }) = self.peek()
                {
                    value.push_str(next);
                    self.pos += 1;
                }
                Ok(Value::Str(value))
            }
            Tok::Num(digits) => digits
                .replace('_', "")
                .parse()
                .map(Value::Int)
                .map_err(|_| self.unsupported(start)),
            Tok::Op("[") => Ok(Value::List(self.items("]")?)),
            Tok::Op("{") => Ok(Value::List(self.items("}")?)),
            Tok::Op("(") => {
                let save = self.pos;
                if self.eat(&Tok::Op(")")) {
                    return Ok(Value::List(Vec::new()));
                }
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(format!("lists nested deeper than {MAX_DEPTH}"));
                }
                let first = self.expr();
                self.depth -= 1;
                let first = first?;
                if self.eat(&Tok::Op(")")) {
                    return Ok(first);
                }
                self.pos = save;
                Ok(Value::List(self.items(")")?))
            }
            Tok::Name(name) => match name.as_str() {
                "True" => Ok(Value::Bool(true)),
                "False" => Ok(Value::Bool(false)),
                "None" => Ok(Value::None),
                "list" | "tuple" | "set" | "sorted" if self.eat(&Tok::Op("(")) => {
                    let inner = self.expr()?;
                    if !self.eat(&Tok::Op(")")) || !matches!(inner, Value::List(_)) {
                        return Err(self.unsupported(start));
                    }
                    Ok(inner)
                }
                _ if matches!(self.peek(), Some(Tok::Op("(" | "[")))
                    || self.source[token.end..].starts_with('.') =>
                {
                    Err(self.unsupported(start))
                }
                _ => match self.env.get(name) {
                    Some(read) => read.value.clone().map_err(|_| {
                        format!(
                            "`{name}` (line {}) is not a literal this tool reads",
                            read.line
                        )
                    }),
                    None => (self.known)(name)
                        .ok_or_else(|| format!("`{name}` is not assigned a literal in this file")),
                },
            },
            _ => Err(self.unsupported(start)),
        }
    }

    /// Comma-separated items up to `close`, with `*unpacking` of lists.
    fn items(&mut self, close: &'static str) -> Result<Vec<Value>, String> {
        self.depth += 1;
        let items = self.items_inner(close);
        self.depth -= 1;
        items
    }

    fn items_inner(&mut self, close: &'static str) -> Result<Vec<Value>, String> {
        if self.depth > MAX_DEPTH {
            return Err(format!("lists nested deeper than {MAX_DEPTH}"));
        }
        let mut items = Vec::new();
        loop {
            if self.eat(&Tok::Op(close)) {
                return Ok(items);
            }
            let start = self.pos;
            if self.eat(&Tok::Op("*")) {
                match self.expr()? {
                    Value::List(inner) => items.extend(inner),
                    _ => return Err(self.unsupported(start)),
                }
            } else {
                items.push(self.expr()?);
            }
            if !self.eat(&Tok::Op(",")) {
                if self.eat(&Tok::Op(close)) {
                    return Ok(items);
                }
                return Err(self.unsupported(start));
            }
        }
    }
}

fn tokenize(source: &str) -> Result<Vec<Token>, String> {
    let bytes = source.as_bytes();
    let mut tokens: Vec<Token> = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let mut line_start = 0;
    let mut depth = 0usize;
    let mut indent: Option<usize> = None;
    let push_newline = |tokens: &mut Vec<Token>, line, at| {
        if tokens.last().is_some_and(|t| t.tok != Tok::Newline) {
            tokens.push(Token {
                tok: Tok::Newline,
                line,
                col: 0,
                start: at,
                end: at,
            });
        }
    };
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\n' => {
                if depth == 0 {
                    push_newline(&mut tokens, line, i);
                }
                line += 1;
                i += 1;
                line_start = i;
                indent = None;
            }
            b'\\' if bytes.get(i + 1) == Some(&b'\n') || source[i + 1..].starts_with("\r\n") => {
                line += 1;
                i += if bytes[i + 1] == b'\r' { 3 } else { 2 };
                line_start = i;
            }
            b' ' | b'\t' | b'\r' | b'\x0c' | b'\\' => i += 1,
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b';' => {
                push_newline(&mut tokens, line, i);
                i += 1;
            }
            _ => {
                let start = i;
                let col = *indent.get_or_insert(i - line_start);
                let (tok, end) = if let Some((value, literal, end, lines)) = string_at(source, i)? {
                    line += lines;
                    (Tok::Str { value, literal }, end)
                } else if source[i..]
                    .chars()
                    .next()
                    .is_some_and(|ch| ch.is_alphabetic() || ch == '_')
                {
                    let end = source[i..]
                        .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                        .map_or(source.len(), |n| i + n);
                    (Tok::Name(source[i..end].to_owned()), end)
                } else if c.is_ascii_digit() {
                    let end = source[i..]
                        .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '.'))
                        .map_or(source.len(), |n| i + n);
                    (Tok::Num(source[i..end].to_owned()), end)
                } else {
                    let op = OPS.iter().find(|op| source[i..].starts_with(**op));
                    let op = op.copied().unwrap_or("?");
                    let len = if op == "?" {
                        source[i..].chars().next().map_or(1, char::len_utf8)
                    } else {
                        op.len()
                    };
                    match op {
                        "(" | "[" | "{" => depth += 1,
                        ")" | "]" | "}" => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    (Tok::Op(op), i + len)
                };
                tokens.push(Token {
                    tok,
                    line: line - source[start..end].bytes().filter(|b| *b == b'\n').count(),
                    col,
                    start,
                    end,
                });
                i = end;
            }
        }
    }
    Ok(tokens)
}

/// A string literal starting at `at` (with its prefix): its value, whether it is a plain
/// literal (not an f-string), where it ends, and how many newlines it spans.
fn string_at(source: &str, at: usize) -> Result<Option<(String, bool, usize, usize)>, String> {
    let rest = &source[at..];
    let prefix_len = rest
        .find(|c: char| !matches!(c, 'r' | 'R' | 'b' | 'B' | 'u' | 'U' | 'f' | 'F'))
        .unwrap_or(rest.len());
    if prefix_len > 2 {
        return Ok(None);
    }
    let prefix = rest[..prefix_len].to_ascii_lowercase();
    let body = &rest[prefix_len..];
    let quote = match body.chars().next() {
        Some(q @ ('"' | '\'')) => q,
        _ => return Ok(None),
    };
    let raw = prefix.contains('r');
    let literal = !prefix.contains('f') && !prefix.contains('b');
    let triple: String = std::iter::repeat_n(quote, 3).collect();
    let delimiter = if body.starts_with(&triple) {
        triple
    } else {
        quote.to_string()
    };
    let content_start = prefix_len + delimiter.len();
    let mut chars = rest[content_start..].char_indices();
    while let Some((i, ch)) = chars.next() {
        let here = &rest[content_start + i..];
        if ch == '\\' {
            chars.next();
        } else if ch == '\n' && delimiter.len() == 1 {
            break;
        } else if here.starts_with(&delimiter) {
            let content = &rest[content_start..content_start + i];
            let value = if raw {
                content.to_owned()
            } else {
                unescape(content)
            };
            let end = at + content_start + i + delimiter.len();
            let lines = source[at..end].matches('\n').count();
            return Ok(Some((value, literal, end, lines)));
        }
    }
    let line = source[..at].matches('\n').count() + 1;
    Err(format!("line {line}: a string that does not end"))
}

/// Python's escapes in a non-raw string; an unknown escape keeps its backslash, as Python
/// does.
fn unescape(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    let mut chars = content.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\n') => {}
            Some('\\') => out.push('\\'),
            Some('\'') => out.push('\''),
            Some('"') => out.push('"'),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some(kind @ ('x' | 'u' | 'U')) => {
                let len = match kind {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = (0..len).filter_map(|_| chars.next()).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => {
                        out.push('\\');
                        out.push(kind);
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> Option<Value> {
        None
    }

    fn value(module: &Module, name: &str) -> Result<Value, String> {
        module
            .assignments
            .get(name)
            .unwrap_or_else(|| {
                panic!(
                    "{name} not in {:?}",
                    module.assignments.keys().collect::<Vec<_>>()
                )
            })
            .value
            .clone()
    }

    fn strs(items: &[&str]) -> Value {
        Value::List(items.iter().map(|s| Value::Str((*s).to_owned())).collect())
    }

    #[test]
    fn literals() {
        let m = parse(
            r#"
import os  # not read
A = ("https://example.com", 'http://localhost:8080')
B = [r"(?:https?:\/\/)127.0.0.1:*", "^https://a\\.b$",]
C = True; D = 600
E = "a", "b"
F = [
    "x",  # a comment
    *A,
] + ["y"]
G = (
    "one "
    "two"
)
H = None
I = 1_000
J = f"https://{os.environ['HOST']}"
K = os.environ.get("X")
L = list(A) + ['z']
L += ["w"]
if DEBUG:
    CORS_ALLOW_ALL_ORIGINS = True
"#,
            none,
        )
        .unwrap();
        assert_eq!(
            value(&m, "A"),
            Ok(strs(&["https://example.com", "http://localhost:8080"]))
        );
        assert_eq!(
            value(&m, "B"),
            Ok(strs(&[r"(?:https?:\/\/)127.0.0.1:*", r"^https://a\.b$"]))
        );
        assert_eq!(value(&m, "C"), Ok(Value::Bool(true)));
        assert_eq!(value(&m, "D"), Ok(Value::Int(600)));
        assert_eq!(value(&m, "E"), Ok(strs(&["a", "b"])));
        assert_eq!(
            value(&m, "F"),
            Ok(strs(&[
                "x",
                "https://example.com",
                "http://localhost:8080",
                "y"
            ]))
        );
        assert_eq!(value(&m, "G"), Ok(Value::Str("one two".to_owned())));
        assert_eq!(value(&m, "H"), Ok(Value::None));
        assert_eq!(value(&m, "I"), Ok(Value::Int(1000)));
        assert!(value(&m, "J").unwrap_err().contains("f-string"));
        assert_eq!(
            value(&m, "K").unwrap_err(),
            "`os.environ.get(\"X\")` is not a literal this tool reads"
        );
        assert_eq!(
            value(&m, "L"),
            Ok(strs(&[
                "https://example.com",
                "http://localhost:8080",
                "z",
                "w"
            ]))
        );
        assert_eq!(m.nested, vec![("CORS_ALLOW_ALL_ORIGINS".to_owned(), 22)]);
        assert_eq!(m.assignments["F"].line, 7);
    }

    #[test]
    fn middleware_keywords() {
        let m = parse(
            r#"
origins = ["http://localhost:3000"]
app.add_middleware(
    CORSMiddleware,
    allow_origins=origins,
    allow_credentials=True,
    allow_methods=["*"],
    allow_origin_regex=settings.REGEX,
    max_age=600,
)
"#,
            none,
        )
        .unwrap();
        let (line, kwargs) = &m.middleware_calls[0];
        assert_eq!(*line, 3);
        let names: Vec<&str> = kwargs.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "allow_origins",
                "allow_credentials",
                "allow_methods",
                "allow_origin_regex",
                "max_age"
            ]
        );
        assert_eq!(kwargs[0].1.value, Ok(strs(&["http://localhost:3000"])));
        assert!(kwargs[3].1.value.is_err());
        assert_eq!(kwargs[4].1.value, Ok(Value::Int(600)));
    }

    #[test]
    fn escapes_and_bad_input() {
        assert_eq!(unescape(r"a\.b\\c\x41\n"), "a\\.b\\cA\n");
        assert!(parse("A = 'open\n", none).is_err());
        assert!(parse("A = '''never", none).is_err());
        let m = parse("A = ]\nB = [1, 2\n", none).unwrap();
        assert!(value(&m, "A").is_err());
        assert!(value(&m, "B").is_err());
        // Hostile shapes: deep nesting, a long file of one statement, stray bytes.
        let deep = format!(
            "A = {}{}\nB = 1\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let m = parse(&deep, none).unwrap();
        assert!(value(&m, "A").unwrap_err().contains("nested deeper than"));
        assert_eq!(value(&m, "B"), Ok(Value::Int(1)));
        let deep = format!("A = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000));
        assert!(value(&parse(&deep, none).unwrap(), "A").is_err());
        let long = format!("A = [{}]\n", "'x', ".repeat(20_000));
        assert!(
            matches!(value(&parse(&long, none).unwrap(), "A"), Ok(Value::List(l)) if l.len() == 20_000)
        );
        let m = parse("A = 99999999999999999999999\nB = '\\x'\n", none).unwrap();
        assert!(value(&m, "A").is_err());
        assert_eq!(value(&m, "B"), Ok(Value::Str("\\x".to_owned())));
        // A call cut off after `name=`: the argument is an error, not a panic.
        let m = parse("app.add_middleware(CORSMiddleware, allow_origins=", none).unwrap();
        assert_eq!(m.middleware_calls[0].1[0].1.text, "allow_origins=");
        assert!(m.middleware_calls[0].1[0].1.value.is_err());
        // Invalid UTF-8 cannot reach here (`&str`); odd characters are operators we do not read.
        let m = parse("A = ¤\n", none).unwrap();
        assert!(value(&m, "A").is_err());
    }
}
