//! `encoding/json`: Go-compatible JSON text handling and the conversion between JSON and
//! concrete values. `Validate` unifies with a schema and is declared [`Func::NeedsEval`].

use super::{
    arg_bytes, arg_list, arg_str, Builtin, BuiltinError, BuiltinResult, Func, Kind, Val, BYTES_STR,
    STR, TOP,
};
use crate::num::Number;

const PKG: &str = "encoding/json";

const fn f(
    name: &'static str,
    params: &'static [Kind],
    result: Kind,
    func: fn(&[Val]) -> BuiltinResult,
) -> Builtin {
    Builtin::pure(PKG, name, params, result, func)
}

pub(super) const BUILTINS: &[Builtin] = &[
    f("Valid", &[BYTES_STR], Kind::BOOL, |a| {
        Ok(Val::Bool(check(arg_bytes(a, 0)?).is_ok()))
    }),
    f("Compact", &[BYTES_STR], STR, |a| {
        let src = arg_bytes(a, 0)?;
        check(src).map_err(BuiltinError::Call)?;
        Ok(Val::str(compact(src)))
    }),
    f("Indent", &[BYTES_STR, STR, STR], STR, |a| {
        let src = arg_bytes(a, 0)?;
        check(src).map_err(BuiltinError::Call)?;
        Ok(Val::str(indent(src, arg_str(a, 1)?, arg_str(a, 2)?)))
    }),
    f("HTMLEscape", &[BYTES_STR], STR, |a| {
        Ok(Val::str(html_escape(arg_bytes(a, 0)?)))
    }),
    f("Marshal", &[TOP], STR, |a| Ok(Val::str(marshal(&a[0])))),
    f("MarshalStream", &[TOP], STR, |a| {
        let mut out = String::new();
        for v in arg_list(a, 0)? {
            out.push_str(&marshal(v));
            out.push('\n');
        }
        Ok(Val::str(out))
    }),
    f("UnmarshalStream", &[BYTES_STR], TOP, |a| {
        let src = arg_bytes(a, 0)?;
        let mut p = Parser {
            s: src,
            i: 0,
            depth: 0,
        };
        let mut out = Vec::new();
        loop {
            p.ws();
            if p.i >= src.len() {
                break;
            }
            out.push(p.value().map_err(BuiltinError::Call)?);
        }
        Ok(Val::List(out))
    }),
    f("Unmarshal", &[BYTES_STR], TOP, |a| {
        let src = arg_bytes(a, 0)?;
        if check(src).is_err() {
            return Err(BuiltinError::Call("json: invalid JSON".into()));
        }
        unmarshal(src).map_err(BuiltinError::Call)
    }),
    Builtin {
        pkg: PKG,
        name: "Validate",
        params: &[BYTES_STR, TOP],
        result: Kind::BOOL,
        non_concrete: true,
        last_default: None,
        func: Func::NeedsEval,
    },
];

/// Compact JSON for a concrete value, as cue's `json.Marshal` writes it (no HTML escaping,
/// bytes as base64, numbers in apd's `%G` form).
pub fn marshal(v: &Val) -> String {
    let mut out = String::new();
    write_value(&mut out, v);
    out
}

fn write_value(out: &mut String, v: &Val) {
    match v {
        Val::Null => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Num(n) => out.push_str(&n.to_json_text()),
        Val::Str(s) => write_string(out, s),
        Val::Bytes(b) => write_string(out, &super::encoding::base64_encode(b)),
        Val::List(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, x);
            }
            out.push(']');
        }
        Val::Struct(fields) => {
            out.push('{');
            for (i, (k, x)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_value(out, x);
            }
            out.push('}');
        }
    }
}

/// A JSON string literal with Go's escaping (HTML characters left alone; U+2028/U+2029 and
/// control characters escaped).
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Go's `json.HTMLEscape`: `<`, `>`, `&`, U+2028 and U+2029 inside strings become `\uXXXX`.
fn html_escape(src: &[u8]) -> String {
    let text = String::from_utf8_lossy(src);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// Go's `%q`-style quoting of one offending character in syntax errors.
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".into(),
        b'"' => "'\"'".into(),
        c => {
            let q = super::strconv::quote(&char::from(c).to_string(), '"', false);
            format!("'{}'", &q[1..q.len() - 1])
        }
    }
}

/// Checks that `src` is exactly one JSON value (with surrounding whitespace), returning Go's
/// `SyntaxError` text otherwise.
pub fn check(src: &[u8]) -> Result<(), String> {
    let mut p = Parser {
        s: src,
        i: 0,
        depth: 0,
    };
    p.ws();
    p.value()?;
    p.ws();
    if let Some(&c) = src.get(p.i) {
        return Err(format!(
            "invalid character {} after top-level value",
            quote_char(c)
        ));
    }
    Ok(())
}

/// Parses one JSON document into a value (keys in order; numbers keep their CUE kind).
pub fn unmarshal(src: &[u8]) -> Result<Val, String> {
    let mut p = Parser {
        s: src,
        i: 0,
        depth: 0,
    };
    p.ws();
    let v = p.value()?;
    p.ws();
    if let Some(&c) = src.get(p.i) {
        return Err(format!(
            "invalid character {} after top-level value",
            quote_char(c)
        ));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    depth: usize,
}

/// Nesting limit (Go allows 10000; recursion here must stay within a thread stack) so deep input cannot exhaust the stack.
const MAX_DEPTH: usize = 1000;

const EOF_MSG: &str = "unexpected end of JSON input";

impl Parser<'_> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn peek(&self) -> Result<u8, String> {
        self.s
            .get(self.i)
            .copied()
            .ok_or_else(|| EOF_MSG.to_string())
    }

    fn value(&mut self) -> Result<Val, String> {
        match self.peek()? {
            b'{' | b'[' => {
                if self.depth >= MAX_DEPTH {
                    return Err("exceeded max depth".into());
                }
                self.depth += 1;
                let r = if self.peek()? == b'{' {
                    self.object()
                } else {
                    self.array()
                };
                self.depth -= 1;
                r
            }
            b'"' => self.string().map(Val::str),
            b't' => self.literal("true", Val::Bool(true)),
            b'f' => self.literal("false", Val::Bool(false)),
            b'n' => self.literal("null", Val::Null),
            b'-' | b'0'..=b'9' => self.number(),
            c => Err(format!(
                "invalid character {} looking for beginning of value",
                quote_char(c)
            )),
        }
    }

    fn literal(&mut self, word: &str, v: Val) -> Result<Val, String> {
        for expect in word.bytes() {
            let c = self.peek()?;
            if c != expect {
                return Err(format!(
                    "invalid character {} in literal {word} (expecting {})",
                    quote_char(c),
                    quote_char(expect)
                ));
            }
            self.i += 1;
        }
        Ok(v)
    }

    fn number(&mut self) -> Result<Val, String> {
        let start = self.i;
        if self.s[self.i] == b'-' {
            self.i += 1;
        }
        let digits = |p: &mut Parser<'_>| {
            let st = p.i;
            while let Some(b'0'..=b'9') = p.s.get(p.i) {
                p.i += 1;
            }
            p.i - st
        };
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => {
                digits(self);
            }
            c => {
                return Err(format!(
                    "invalid character {} in numeric literal",
                    quote_char(c)
                ))
            }
        }
        let mut float = false;
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            float = true;
            if digits(self) == 0 {
                let c = self.peek()?;
                return Err(format!(
                    "invalid character {} after decimal point in numeric literal",
                    quote_char(c)
                ));
            }
        }
        if let Some(b'e' | b'E') = self.s.get(self.i) {
            self.i += 1;
            float = true;
            if let Some(b'+' | b'-') = self.s.get(self.i) {
                self.i += 1;
            }
            if digits(self) == 0 {
                let c = self.peek()?;
                return Err(format!(
                    "invalid character {} in exponent of numeric literal",
                    quote_char(c)
                ));
            }
        }
        let text = std::str::from_utf8(&self.s[start..self.i]).map_err(|e| e.to_string())?;
        let (neg, body) = match text.strip_prefix('-') {
            Some(b) => (true, b),
            None => (false, text),
        };
        let n = if float {
            Number::from_float_text(body).map_err(|e| e.to_string())?
        } else {
            Number::from_int(body.parse().map_err(|_| format!("invalid number {text}"))?)
        };
        Ok(Val::Num(if neg { n.neg() } else { n }))
    }

    fn string(&mut self) -> Result<String, String> {
        self.i += 1; // opening quote
        let mut out: Vec<u8> = Vec::new();
        loop {
            let c = self.peek()?;
            match c {
                b'"' => {
                    self.i += 1;
                    return Ok(super::super::scalar::to_valid_utf8(&out));
                }
                b'\\' => {
                    self.i += 1;
                    let e = self.peek()?;
                    self.i += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let mut cp = self.hex4()?;
                            if (0xd800..0xdc00).contains(&cp)
                                && self.s.get(self.i) == Some(&b'\\')
                                && self.s.get(self.i + 1) == Some(&b'u')
                            {
                                let save = self.i;
                                self.i += 2;
                                let lo = self.hex4()?;
                                if (0xdc00..0xe000).contains(&lo) {
                                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                                } else {
                                    self.i = save;
                                }
                            }
                            char::from_u32(cp).unwrap_or('\u{fffd}')
                        }
                        c => {
                            return Err(format!(
                                "invalid character {} in string escape code",
                                quote_char(c)
                            ))
                        }
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                c if c < 0x20 => {
                    return Err(format!(
                        "invalid character {} in string literal",
                        quote_char(c)
                    ))
                }
                c => {
                    out.push(c);
                    self.i += 1;
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut v = 0u32;
        for _ in 0..4 {
            let c = self.peek()?;
            let d = char::from(c).to_digit(16).ok_or_else(|| {
                format!(
                    "invalid character {} in \\u hexadecimal character escape",
                    quote_char(c)
                )
            })?;
            v = v * 16 + d;
            self.i += 1;
        }
        Ok(v)
    }

    fn array(&mut self) -> Result<Val, String> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.peek()? == b']' {
            self.i += 1;
            return Ok(Val::List(items));
        }
        loop {
            self.ws();
            items.push(self.value()?);
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Ok(Val::List(items));
                }
                c => {
                    return Err(format!(
                        "invalid character {} after array element",
                        quote_char(c)
                    ))
                }
            }
        }
    }

    fn object(&mut self) -> Result<Val, String> {
        self.i += 1;
        let mut fields: Vec<(String, Val)> = Vec::new();
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
            return Ok(Val::Struct(fields));
        }
        loop {
            self.ws();
            let c = self.peek()?;
            if c != b'"' {
                return Err(format!(
                    "invalid character {} looking for beginning of object key string",
                    quote_char(c)
                ));
            }
            let key = self.string()?;
            self.ws();
            let c = self.peek()?;
            if c != b':' {
                return Err(format!(
                    "invalid character {} after object key",
                    quote_char(c)
                ));
            }
            self.i += 1;
            self.ws();
            let v = self.value()?;
            match fields.iter().position(|(k, _)| *k == key) {
                Some(p) if !fields[p].1.equals(&v) => {
                    return Err(format!("conflicting values {} and {}", fields[p].1, v))
                }
                Some(_) => {}
                None => fields.push((key, v)),
            }
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Ok(Val::Struct(fields));
                }
                c => {
                    return Err(format!(
                        "invalid character {} after object key:value pair",
                        quote_char(c)
                    ))
                }
            }
        }
    }
}

/// Go's `json.Compact` of valid input: whitespace outside strings removed.
fn compact(src: &[u8]) -> String {
    let mut out = Vec::with_capacity(src.len());
    let mut in_str = false;
    let mut esc = false;
    for &c in src {
        if in_str {
            out.push(c);
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
            }
            continue;
        }
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => {}
            b'"' => {
                in_str = true;
                out.push(c);
            }
            c => out.push(c),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Go's `json.Indent` of valid input.
fn indent(src: &[u8], prefix: &str, ind: &str) -> String {
    let c = compact(src);
    let b = c.as_bytes();
    let mut out = String::with_capacity(b.len() * 2);
    let mut depth = 0usize;
    let mut in_str = false;
    let mut esc = false;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(prefix);
        for _ in 0..depth {
            out.push_str(ind);
        }
    };
    let text = c.as_str();
    let mut i = 0;
    while i < b.len() {
        let ch = text[i..].chars().next().unwrap_or('\u{fffd}');
        let w = ch.len_utf8();
        if in_str {
            out.push(ch);
            if esc {
                esc = false;
            } else if ch == '\\' {
                esc = true;
            } else if ch == '"' {
                in_str = false;
            }
            i += w;
            continue;
        }
        match ch {
            '"' => {
                in_str = true;
                out.push(ch);
            }
            '{' | '[' => {
                out.push(ch);
                let close = if ch == '{' { b'}' } else { b']' };
                if b.get(i + 1) == Some(&close) {
                    out.push(char::from(close));
                    i += 2;
                    continue;
                }
                depth += 1;
                newline(&mut out, depth);
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(ch);
            }
            ',' => {
                out.push(ch);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c => out.push(c),
        }
        i += w;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{call, lookup};
    use super::*;

    fn run(name: &str, args: &[Val]) -> String {
        let b = lookup(PKG, name).expect("builtin exists");
        match call(b, args) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    }
    fn s(x: &str) -> Val {
        Val::str(x)
    }

    #[test]
    fn marshal_like_cue() {
        let v = Val::Struct(vec![("a".into(), s("\\ \" & < >"))]);
        assert_eq!(marshal(&v), r#"{"a":"\\ \" & < >"}"#);
        assert_eq!(
            run("HTMLEscape", &[s(&marshal(&v))]),
            r#""{\"a\":\"\\\\ \\\" \\u0026 \\u003c \\u003e\"}""#
        );
        let v = Val::List(vec![
            Val::Num(Number::from_float_text("1.50").expect("f")),
            Val::bytes(b"hi"),
            Val::Null,
            s("\u{1}\u{2028}"),
        ]);
        assert_eq!(marshal(&v), r#"[1.50,"aGk=",null,"\u0001\u2028"]"#);
        let stream = Val::List(vec![
            Val::Struct(vec![("a".into(), Val::int(1))]),
            Val::Struct(vec![("b".into(), Val::int(2))]),
        ]);
        assert_eq!(
            run("MarshalStream", &[stream]),
            r#""{\"a\":1}\n{\"b\":2}\n""#
        );
    }

    #[test]
    fn text_functions() {
        assert_eq!(run("Valid", &[s("1")]), "true");
        assert_eq!(run("Valid", &[s("{")]), "false");
        assert_eq!(run("Compact", &[s("[1, 2]")]), "\"[1,2]\"");
        assert_eq!(
            run("Indent", &[s(r#"{"a": 1, "b": [2, {}]}"#), s(""), s("  ")]),
            "\"{\\n  \\\"a\\\": 1,\\n  \\\"b\\\": [\\n    2,\\n    {}\\n  ]\\n}\""
        );
        assert_eq!(
            run("Compact", &[s("[1,]")]),
            "ERR invalid character ']' looking for beginning of value"
        );
        assert_eq!(
            run("Compact", &[s("{\"a\" 1}")]),
            "ERR invalid character '1' after object key"
        );
        assert_eq!(
            run("Compact", &[s("[1")]),
            "ERR unexpected end of JSON input"
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(5000) + &"]".repeat(5000);
        assert_eq!(
            check(deep.as_bytes()),
            Err("exceeded max depth".to_string())
        );
        let ok = "[".repeat(900) + &"]".repeat(900);
        assert!(check(ok.as_bytes()).is_ok());
    }

    #[test]
    fn unmarshal_keeps_order_and_kinds() {
        assert_eq!(
            run(
                "Unmarshal",
                &[s(r#"{"b": 1, "a": [1.0, -2, "x", true, null]}"#)]
            ),
            r#"{b:1,a:[1.0,-2,"x",true,null]}"#
        );
        assert_eq!(
            run("Unmarshal", &[s(r#"{"a": 1}{"b": 2}"#)]),
            "ERR json: invalid JSON"
        );
        assert_eq!(
            run("UnmarshalStream", &[s(r#"{"a": 1}{"b": 2}"#)]),
            "[{a:1},{b:2}]"
        );
        assert_eq!(run("UnmarshalStream", &[s("1 2")]), "[1,2]");
        assert_eq!(run("UnmarshalStream", &[s("")]), "[]");
        assert_eq!(run("Unmarshal", &[s("1e3")]), "1E+3");
    }
}
