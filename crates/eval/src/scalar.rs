//! Concrete scalar values (null, bool, number, string, bytes) and their CUE-syntax text.
//!
//! The text forms are the ones cue uses in messages and in `cue eval` output: strings are
//! double-quoted with cue's escaping, bytes single-quoted with `\x` for non-UTF-8 bytes, numbers
//! in apd's `%G` form (no trailing `.` for floats in messages: cue prints `2.0` and `50`).

use std::fmt;
use std::sync::Arc;

use crate::num::Number;

/// A concrete scalar.
#[derive(Clone, Debug)]
pub enum Scalar {
    Null,
    Bool(bool),
    Num(Number),
    Str(Arc<str>),
    Bytes(Arc<[u8]>),
}

impl Scalar {
    pub fn str(s: &str) -> Scalar {
        Scalar::Str(Arc::from(s))
    }

    pub fn bytes(b: &[u8]) -> Scalar {
        Scalar::Bytes(Arc::from(b))
    }

    pub fn int(v: i64) -> Scalar {
        Scalar::Num(Number::from_i64(v))
    }

    /// cue's kind name: `null bool int float string bytes`.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Scalar::Null => "null",
            Scalar::Bool(_) => "bool",
            Scalar::Num(n) => n.kind_name(),
            Scalar::Str(_) => "string",
            Scalar::Bytes(_) => "bytes",
        }
    }

    /// The value as cue prints it inside messages (`"a"`, `'b'`, `1.0`, `true`, `null`).
    pub fn to_message_text(&self) -> String {
        match self {
            Scalar::Null => "null".to_string(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Num(n) => n.to_json_text(),
            Scalar::Str(s) => quote_string(s),
            Scalar::Bytes(b) => quote_bytes(b),
        }
    }

    /// The text an interpolation `"\(x)"` inserts: strings raw, numbers in `%G`, bytes decoded
    /// as UTF-8 with replacement characters; `None` for null (not interpolable).
    pub fn interpolation_text(&self) -> Option<String> {
        match self {
            Scalar::Null => None,
            Scalar::Bool(b) => Some(b.to_string()),
            Scalar::Num(n) => Some(n.to_json_text()),
            Scalar::Str(s) => Some(s.to_string()),
            Scalar::Bytes(b) => Some(to_valid_utf8(b)),
        }
    }

    /// Structural equality of concrete scalars as `==` sees it (numbers compare numerically
    /// across kinds; different kinds are unequal).
    pub fn equals(&self, other: &Scalar) -> bool {
        match (self, other) {
            (Scalar::Null, Scalar::Null) => true,
            (Scalar::Bool(a), Scalar::Bool(b)) => a == b,
            (Scalar::Num(a), Scalar::Num(b)) => a.num_eq(b),
            (Scalar::Str(a), Scalar::Str(b)) => a == b,
            (Scalar::Bytes(a), Scalar::Bytes(b)) => a == b,
            _ => false,
        }
    }
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_message_text())
    }
}

/// Go's `strings.ToValidUTF8(s, "\uFFFD")`: each run of invalid bytes becomes one U+FFFD.
pub fn to_valid_utf8(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len());
    let mut in_bad_run = false;
    for chunk in b.utf8_chunks() {
        if !chunk.valid().is_empty() {
            out.push_str(chunk.valid());
            in_bad_run = false;
        }
        if !chunk.invalid().is_empty() && !in_bad_run {
            out.push('\u{fffd}');
            in_bad_run = true;
        }
    }
    out
}

/// A CUE double-quoted string literal for `s` (cue's `literal.String.Quote`).
pub fn quote_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_escaped(&mut out, c, '"', false);
    }
    out.push('"');
    out
}

/// A CUE single-quoted bytes literal (cue's `literal.Bytes.Quote`): bytes that are not valid
/// UTF-8 and control characters without a short escape become `\xNN`.
pub fn quote_bytes(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len() + 2);
    out.push('\'');
    for chunk in b.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_escaped(&mut out, c, '\'', true);
        }
        for &x in chunk.invalid() {
            out.push_str(&format!("\\x{x:02x}"));
        }
    }
    out.push('\'');
    out
}

fn push_escaped(out: &mut String, c: char, quote: char, exact: bool) {
    if c == quote || c == '\\' {
        out.push('\\');
        out.push(c);
        return;
    }
    if is_go_print(c) {
        out.push(c);
        return;
    }
    out.push('\\');
    match c {
        '\u{7}' => out.push('a'),
        '\u{8}' => out.push('b'),
        '\u{c}' => out.push('f'),
        '\n' => out.push('n'),
        '\r' => out.push('r'),
        '\t' => out.push('t'),
        '\u{b}' => out.push('v'),
        c if exact && (c as u32) < 0x20 => out.push_str(&format!("x{:02x}", c as u32)),
        c if (c as u32) < 0x10000 => out.push_str(&format!("u{:04x}", c as u32)),
        c => out.push_str(&format!("U{:08x}", c as u32)),
    }
}

/// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
/// Approximated without Unicode tables: control, separator (other than ' '), format,
/// private-use and non-character code points are not printable.
pub fn is_go_print(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        return (0x20..0x7f).contains(&u);
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    !matches!(u,
        0xad | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x180e | 0x200b..=0x200f
        | 0x2028..=0x202e | 0x2060..=0x206f | 0xd800..=0xf8ff | 0xfeff | 0xfff0..=0xfffb
        | 0xfffe | 0xffff | 0x110bd | 0x1bca0..=0x1bca3 | 0x1d173..=0x1d17a | 0xe0001
        | 0xe0020..=0xe007f | 0xf0000..)
        && (u & 0xfffe) != 0xfffe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_matches_cue() {
        assert_eq!(quote_string("a\"b\\c\n\t"), r#""a\"b\\c\n\t""#);
        assert_eq!(quote_string("héllo ✓"), "\"héllo ✓\"");
        assert_eq!(quote_string("\u{1}\u{200b}"), r#""\u0001\u200b""#);
        assert_eq!(quote_bytes(b"a\xed\x95a'"), r"'a\xed\x95a\''");
        assert_eq!(quote_bytes(b"\x01\n"), r"'\x01\n'");
    }

    #[test]
    fn message_text() {
        assert_eq!(
            Scalar::Num(Number::from_float_text("2.0").expect("float")).to_string(),
            "2.0"
        );
        assert_eq!(Scalar::str("eee").to_string(), "\"eee\"");
        assert_eq!(Scalar::bytes(b"eee").to_string(), "'eee'");
        assert_eq!(Scalar::Null.to_string(), "null");
        assert_eq!(
            Scalar::bytes(b"a\xed\x95a").interpolation_text().as_deref(),
            Some("a\u{fffd}a")
        );
        assert_eq!(
            Scalar::bytes(b"a\x80\x95a").interpolation_text().as_deref(),
            Some("a\u{fffd}a")
        );
    }
}
