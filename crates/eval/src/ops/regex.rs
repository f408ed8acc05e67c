//! Go-RE2-compatible regular expressions: compiled once, cached, and with Go's error texts.
//!
//! cue matches with Go's `regexp`, whose Perl classes (`\d \s \w \b`) are ASCII-only; Rust's
//! `regex` makes them Unicode-aware, so patterns are rewritten to the ASCII forms first. Syntax
//! errors are reworded to Go's `error parsing regexp: <code>: `<expr>`` messages.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use regex::Regex;
use regex_syntax::ast::ErrorKind;

/// Most patterns in a configuration repeat; a small bounded cache avoids recompiling them.
const CACHE_LIMIT: usize = 512;

type Cache = Mutex<HashMap<String, Result<Arc<Regex>, String>>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Compiles `pattern` with Go semantics. The error is Go's text, e.g.
/// ``error parsing regexp: missing closing ): `(a` ``.
pub fn compile(pattern: &str) -> Result<Arc<Regex>, String> {
    if let Ok(map) = cache().lock() {
        if let Some(r) = map.get(pattern) {
            return r.clone();
        }
    }
    let result = compile_uncached(pattern);
    if let Ok(mut map) = cache().lock() {
        if map.len() >= CACHE_LIMIT {
            map.clear();
        }
        map.insert(pattern.to_string(), result.clone());
    }
    result
}

fn compile_uncached(pattern: &str) -> Result<Arc<Regex>, String> {
    if let Err(e) = regex_syntax::ast::parse::Parser::new().parse(pattern) {
        return Err(go_error(pattern, &e));
    }
    if let Some(msg) = go_only_errors(pattern) {
        return Err(msg);
    }
    Regex::new(&to_rust_syntax(pattern))
        .map(Arc::new)
        .map_err(|e| {
            format!(
                "error parsing regexp: {}",
                e.to_string().lines().last().unwrap_or("")
            )
        })
}

fn go_error(pattern: &str, e: &regex_syntax::ast::Error) -> String {
    let span = e.span();
    let mut frag = pattern
        .get(span.start.offset..span.end.offset)
        .unwrap_or(pattern);
    if frag.is_empty() {
        // Some errors point at a position; Go quotes the operator found there.
        let rest = pattern.get(span.start.offset..).unwrap_or("");
        frag = rest
            .get(..rest.chars().next().map_or(0, char::len_utf8))
            .unwrap_or("");
    }
    let (code, expr) = match e.kind() {
        ErrorKind::GroupUnopened => ("unexpected )", pattern),
        ErrorKind::GroupUnclosed => ("missing closing )", pattern),
        ErrorKind::ClassUnclosed => (
            "missing closing ]",
            pattern.get(span.start.offset..).unwrap_or(pattern),
        ),
        ErrorKind::RepetitionMissing => ("missing argument to repetition operator", frag),
        ErrorKind::EscapeUnrecognized | ErrorKind::EscapeUnexpectedEof => {
            ("invalid escape sequence", frag)
        }
        ErrorKind::ClassRangeInvalid => ("invalid character class range", frag),
        ErrorKind::RepetitionCountInvalid | ErrorKind::RepetitionCountUnclosed => {
            ("invalid repeat count", frag)
        }
        ErrorKind::GroupNameDuplicate { .. } => ("duplicate capture group name", frag),
        ErrorKind::GroupNameInvalid | ErrorKind::GroupNameEmpty => ("invalid named capture", frag),
        _ => ("invalid or unsupported Perl syntax", frag),
    };
    format!("error parsing regexp: {code}: `{expr}`")
}

/// Errors Go reports that Rust's parser accepts: nested repetition (`a**`) and counts over 1000.
fn go_only_errors(pattern: &str) -> Option<String> {
    let b = pattern.as_bytes();
    let mut i = 0;
    let mut in_class = false;
    let mut prev_rep: Option<usize> = None;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\\' => {
                i += 2;
                prev_rep = None;
                continue;
            }
            b'[' if !in_class => in_class = true,
            b']' if in_class => in_class = false,
            b'*' | b'+' | b'?' | b'{' if !in_class => {
                let start = i;
                let mut end = i + 1;
                if c == b'{' {
                    let Some(close) = pattern[i..].find('}') else {
                        prev_rep = None;
                        i += 1;
                        continue;
                    };
                    let body = &pattern[i + 1..i + close];
                    let valid = !body.is_empty()
                        && body.split(',').count() <= 2
                        && body.split(',').next().is_some_and(|n| !n.is_empty())
                        && body.chars().all(|ch| ch.is_ascii_digit() || ch == ',');
                    if !valid {
                        prev_rep = None;
                        i += 1;
                        continue;
                    }
                    if body
                        .split(',')
                        .any(|n| n.parse::<u32>().is_ok_and(|v| v > 1000))
                    {
                        return Some(format!(
                            "error parsing regexp: invalid repeat count: `{}`",
                            &pattern[i..=i + close]
                        ));
                    }
                    end = i + close + 1;
                }
                // A lazy `?` directly after a repetition is part of it, not a new one.
                if c == b'?' && prev_rep.is_some_and(|p| p == start) {
                    prev_rep = None;
                    i = end;
                    continue;
                }
                if let Some(p) = prev_rep {
                    if p == start {
                        return Some(format!(
                            "error parsing regexp: invalid nested repetition operator: `{}`",
                            &pattern[rep_start(b, start)..end]
                        ));
                    }
                }
                prev_rep = Some(end);
                i = end;
                continue;
            }
            _ => {}
        }
        prev_rep = None;
        i += 1;
    }
    None
}

/// Start of the repetition operator that ends right before `at`.
fn rep_start(b: &[u8], at: usize) -> usize {
    let mut s = at.saturating_sub(1);
    if b.get(s) == Some(&b'}') {
        while s > 0 && b[s] != b'{' {
            s -= 1;
        }
    }
    s
}

/// Rewrites Go's ASCII-only Perl classes and word boundaries into explicit ASCII forms.
fn to_rust_syntax(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    let mut class_depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let inside = class_depth > 0;
                let rep = match (n, inside) {
                    ('d', false) => "[0-9]",
                    ('D', false) => "[^0-9]",
                    ('s', false) => "[\\t\\n\\f\\r ]",
                    ('S', false) => "[^\\t\\n\\f\\r ]",
                    ('w', false) => "[0-9A-Za-z_]",
                    ('W', false) => "[^0-9A-Za-z_]",
                    ('b', false) => "(?-u:\\b)",
                    ('B', false) => "(?-u:\\B)",
                    ('d', true) => "0-9",
                    ('D', true) => "[^0-9]",
                    ('s', true) => "\\t\\n\\f\\r ",
                    ('S', true) => "[^\\t\\n\\f\\r ]",
                    ('w', true) => "0-9A-Za-z_",
                    ('W', true) => "[^0-9A-Za-z_]",
                    _ => {
                        out.push('\\');
                        out.push(n);
                        continue;
                    }
                };
                out.push_str(rep);
            }
            '[' => {
                if class_depth > 0 && chars.peek() == Some(&':') {
                    // POSIX class `[:alpha:]` inside a class: copy through.
                    out.push('[');
                    for p in chars.by_ref() {
                        out.push(p);
                        if p == ']' {
                            break;
                        }
                    }
                    continue;
                }
                class_depth += 1;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                // A `]` right after `[` or `[^` is a literal in both syntaxes.
                if chars.peek() == Some(&']') {
                    out.push_str("\\]");
                    chars.next();
                }
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(']');
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_match(p: &str, s: &str) -> bool {
        compile(p).map(|r| r.is_match(s)).unwrap_or(false)
    }

    #[test]
    fn ascii_perl_classes_like_go() {
        assert!(is_match(r"^\d+$", "123"));
        assert!(!is_match(r"^\d+$", "١٢٣"));
        assert!(!is_match(r"^\w+$", "héllo"));
        assert!(is_match(r"^[\w.-]+$", "a.b-c_d"));
        assert!(is_match(r"^[^\d]+$", "abc"));
        assert!(is_match(r"\bfoo\b", "a foo b"));
        assert!(is_match(r"^[]a]+$", "]a"));
        assert!(is_match("^[[:alpha:]]+$", "abc"));
        assert!(is_match("(?i)ABC", "xabcx"));
    }

    #[test]
    fn errors_worded_like_go() {
        let e = |p: &str| compile(p).err().unwrap_or_default();
        assert_eq!(
            e("invalid)"),
            "error parsing regexp: unexpected ): `invalid)`"
        );
        assert_eq!(e("BAD)"), "error parsing regexp: unexpected ): `BAD)`");
        assert_eq!(e("(abc"), "error parsing regexp: missing closing ): `(abc`");
        assert_eq!(e("x[a"), "error parsing regexp: missing closing ]: `[a`");
        assert_eq!(
            e("*a"),
            "error parsing regexp: missing argument to repetition operator: `*`"
        );
        assert_eq!(
            e(r"\q"),
            "error parsing regexp: invalid escape sequence: `\\q`"
        );
        assert_eq!(
            e("[z-a]"),
            "error parsing regexp: invalid character class range: `z-a`"
        );
        assert_eq!(
            e("a**"),
            "error parsing regexp: invalid nested repetition operator: `**`"
        );
        assert_eq!(
            e("a{1001}"),
            "error parsing regexp: invalid repeat count: `{1001}`"
        );
        assert!(compile("a+?b*?").is_ok());
    }
}
