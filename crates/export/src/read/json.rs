//! Reading JSON data files into [`Data`], as `cue export x.json` does.
//!
//! cue accepts only strict JSON (RFC 8259; it checks with Go's `json.Valid`) and reports
//! syntax errors with the text of Go's JSON scanner, so this is a small strict parser of our
//! own that produces those messages. Values follow CUE's reading of the text: a number is an
//! int unless it has a fraction or an exponent, integers keep every digit, object fields keep
//! their order, and a repeated key is unified with the earlier value (see `unify`).

use super::error::ReadError;
use super::number::float_text;
use super::unify::unify;
use crate::data::{BigInt, Data, Map};

/// Reads a file holding exactly one JSON value.
pub fn read_json(path_name: &str, src: &str) -> Result<Data, ReadError> {
    let mut parser = Parser::new(path_name, src);
    parser.skip_space();
    if parser.at_end() {
        return Err(parser.eof_error());
    }
    let value = parser.value()?;
    parser.skip_space();
    if let Some(c) = parser.peek() {
        return Err(parser.syntax_error(parser.pos, c, "after top-level value"));
    }
    Ok(value)
}

/// Reads a file holding a stream of JSON values separated by white space (as cue's JSON
/// decoder reads `.json`/`.jsonl` inputs). An empty file is an empty stream.
pub fn read_json_stream(path_name: &str, src: &str) -> Result<Vec<Data>, ReadError> {
    let mut parser = Parser::new(path_name, src);
    let mut values = Vec::new();
    loop {
        parser.skip_space();
        if parser.at_end() {
            return Ok(values);
        }
        values.push(parser.value()?);
    }
}

/// Nesting deeper than this is refused rather than risking the stack of a small (2 MiB)
/// thread in a debug build. Go's decoder allows 10000 levels; no real data file comes near
/// either limit.
const MAX_DEPTH: usize = 1_000;

/// An array or object whose closing bracket has not been read yet.
enum Frame {
    Array(Vec<Data>),
    /// The fields so far and the key (with its offset) whose value is being read.
    Object(Map, (String, usize)),
}

struct Parser<'a> {
    path: &'a str,
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(path: &'a str, src: &'a str) -> Self {
        Parser {
            path,
            src,
            bytes: src.as_bytes(),
            pos: 0,
        }
    }

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn error(&self, offset: usize, message: impl std::fmt::Display) -> ReadError {
        ReadError::at(
            self.path,
            self.src,
            offset,
            format!("invalid JSON for file {:?}: {message}", self.path),
        )
    }

    /// Go reports the end of input at the last byte.
    fn eof_error(&self) -> ReadError {
        self.error(
            self.bytes.len().saturating_sub(1),
            "unexpected end of JSON input",
        )
    }

    fn syntax_error(&self, offset: usize, c: u8, context: &str) -> ReadError {
        self.error(
            offset,
            format!("invalid character {} {context}", quote_char(c)),
        )
    }

    /// The next byte, or the end-of-input error.
    fn next_or_eof(&self) -> Result<u8, ReadError> {
        self.peek().ok_or_else(|| self.eof_error())
    }

    /// One value, nested ones included. Iterative, with an explicit stack of open arrays and
    /// objects, so that deep input cannot exhaust the call stack.
    fn value(&mut self) -> Result<Data, ReadError> {
        let mut stack: Vec<Frame> = Vec::new();
        'value: loop {
            self.skip_space();
            let c = self.next_or_eof()?;
            let mut done = match c {
                b'{' | b'[' => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(self.error(self.pos, "exceeded max depth"));
                    }
                    self.pos += 1;
                    self.skip_space();
                    if c == b'{' && self.peek() == Some(b'}') {
                        self.pos += 1;
                        Data::Map(Map::new())
                    } else if c == b'[' && self.peek() == Some(b']') {
                        self.pos += 1;
                        Data::List(Vec::new())
                    } else if c == b'{' {
                        let key = self.object_key()?;
                        stack.push(Frame::Object(Map::new(), key));
                        continue 'value;
                    } else {
                        stack.push(Frame::Array(Vec::new()));
                        continue 'value;
                    }
                }
                b'"' => Data::String(self.string()?),
                b'-' | b'0'..=b'9' => self.number()?,
                b't' => self.literal("true", Data::Bool(true))?,
                b'f' => self.literal("false", Data::Bool(false))?,
                b'n' => self.literal("null", Data::Null)?,
                _ => return Err(self.syntax_error(self.pos, c, "looking for beginning of value")),
            };
            // Hand the finished value to the innermost open collection, closing every
            // collection that ends right after it.
            loop {
                let Some(frame) = stack.pop() else {
                    return Ok(done);
                };
                self.skip_space();
                match frame {
                    Frame::Array(mut items) => {
                        items.push(done);
                        match self.next_or_eof()? {
                            b',' => {
                                self.pos += 1;
                                stack.push(Frame::Array(items));
                                continue 'value;
                            }
                            b']' => {
                                self.pos += 1;
                                done = Data::List(items);
                            }
                            c => return Err(self.syntax_error(self.pos, c, "after array element")),
                        }
                    }
                    Frame::Object(mut fields, (key, key_offset)) => {
                        self.insert_field(&mut fields, key, key_offset, done)?;
                        match self.next_or_eof()? {
                            b',' => {
                                self.pos += 1;
                                let key = self.object_key()?;
                                stack.push(Frame::Object(fields, key));
                                continue 'value;
                            }
                            b'}' => {
                                self.pos += 1;
                                done = Data::Map(fields);
                            }
                            c => {
                                return Err(self.syntax_error(
                                    self.pos,
                                    c,
                                    "after object key:value pair",
                                ))
                            }
                        }
                    }
                }
            }
        }
    }

    /// A key and its colon; returns the key and where it starts.
    fn object_key(&mut self) -> Result<(String, usize), ReadError> {
        self.skip_space();
        let c = self.next_or_eof()?;
        if c != b'"' {
            return Err(self.syntax_error(
                self.pos,
                c,
                "looking for beginning of object key string",
            ));
        }
        let key_offset = self.pos;
        let key = self.string()?;
        self.skip_space();
        let c = self.next_or_eof()?;
        if c != b':' {
            return Err(self.syntax_error(self.pos, c, "after object key"));
        }
        self.pos += 1;
        Ok((key, key_offset))
    }

    /// Adds a field; a repeated key unifies with the earlier value, as repeated CUE fields do.
    fn insert_field(
        &self,
        fields: &mut Map,
        key: String,
        key_offset: usize,
        value: Data,
    ) -> Result<(), ReadError> {
        match fields.get_mut(&key) {
            Some(previous) => {
                let merged = unify(previous, &value).map_err(|conflict| {
                    ReadError::at(self.path, self.src, key_offset, format!("{key}{conflict}"))
                })?;
                *previous = merged;
            }
            None => {
                fields.insert(key, value);
            }
        }
        Ok(())
    }

    fn literal(&mut self, word: &'static str, value: Data) -> Result<Data, ReadError> {
        for expected in word.bytes() {
            let c = self.next_or_eof()?;
            if c != expected {
                let context = format!("in literal {word} (expecting {})", quote_char(expected));
                return Err(self.syntax_error(self.pos, c, &context));
            }
            self.pos += 1;
        }
        Ok(value)
    }

    /// A JSON number: `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    fn number(&mut self) -> Result<Data, ReadError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.next_or_eof()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => self.digits(),
            c => return Err(self.syntax_error(self.pos, c, "in numeric literal")),
        }
        let mut is_float = false;
        if self.peek() == Some(b'.') {
            is_float = true;
            self.pos += 1;
            match self.next_or_eof()? {
                b'0'..=b'9' => self.digits(),
                c => {
                    return Err(self.syntax_error(
                        self.pos,
                        c,
                        "after decimal point in numeric literal",
                    ))
                }
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            is_float = true;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            match self.next_or_eof()? {
                b'0'..=b'9' => self.digits(),
                c => return Err(self.syntax_error(self.pos, c, "in exponent of numeric literal")),
            }
        }
        let text = &self.src[start..self.pos];
        if is_float {
            // The grammar above is a subset of what `float_text` accepts.
            return float_text(text)
                .map(Data::Float)
                .ok_or_else(|| self.error(start, format!("invalid number {text}")));
        }
        // The grammar above admits only an optional '-' and decimal digits here.
        text.parse::<BigInt>()
            .map(Data::Int)
            .map_err(|_| self.error(start, format!("invalid number {text}")))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    /// A string starting at the opening quote; returns its unescaped text.
    fn string(&mut self) -> Result<String, ReadError> {
        self.pos += 1; // '"'
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(c) = self.peek() {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // The run stops only at ASCII bytes, so both ends are character boundaries.
            let run = &self.src[run_start..self.pos];
            if let Some(at) = run.find('\u{feff}') {
                // cue reads JSON with its CUE scanner, which refuses a byte order mark
                // anywhere but at the start of a file (an escaped `\ufeff` is fine).
                return Err(ReadError::at(
                    self.path,
                    self.src,
                    run_start + at,
                    "illegal byte order mark",
                ));
            }
            out.push_str(run);
            let c = self.next_or_eof()?;
            match c {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    let escape_start = self.pos;
                    self.pos += 1;
                    let e = self.next_or_eof()?;
                    self.pos += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let unit = self.hex4()?;
                            out.push(self.code_point(unit, escape_start)?);
                        }
                        _ => {
                            return Err(self.syntax_error(self.pos - 1, e, "in string escape code"))
                        }
                    }
                }
                _ => return Err(self.syntax_error(self.pos, c, "in string literal")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, ReadError> {
        let mut unit = 0u32;
        for _ in 0..4 {
            let c = self.next_or_eof()?;
            let digit = char::from(c).to_digit(16).ok_or_else(|| {
                self.syntax_error(self.pos, c, "in \\u hexadecimal character escape")
            })?;
            unit = unit * 16 + digit;
            self.pos += 1;
        }
        Ok(unit)
    }

    /// Combines a UTF-16 surrogate pair; CUE rejects a surrogate without its partner.
    fn code_point(&mut self, unit: u32, escape_start: usize) -> Result<char, ReadError> {
        let unmatched = || {
            ReadError::at(
                self.path,
                self.src,
                escape_start,
                "invalid string: unmatched surrogate pair",
            )
        };
        if (0xDC00..0xE000).contains(&unit) {
            return Err(unmatched());
        }
        if !(0xD800..0xDC00).contains(&unit) {
            return char::from_u32(unit).ok_or_else(unmatched);
        }
        if !self.src[self.pos..].starts_with("\\u") {
            return Err(unmatched());
        }
        self.pos += 2;
        let low = self.hex4()?;
        if !(0xDC00..0xE000).contains(&low) {
            return Err(unmatched());
        }
        char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)).ok_or_else(unmatched)
    }
}

/// Go's `encoding/json` `quoteChar`: the byte in single quotes, escaped as `strconv.Quote`
/// would escape the rune with that value.
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".to_owned(),
        b'"' => "'\"'".to_owned(),
        0x07 => "'\\a'".to_owned(),
        0x08 => "'\\b'".to_owned(),
        0x0c => "'\\f'".to_owned(),
        b'\n' => "'\\n'".to_owned(),
        b'\r' => "'\\r'".to_owned(),
        b'\t' => "'\\t'".to_owned(),
        0x0b => "'\\v'".to_owned(),
        b'\\' => "'\\\\'".to_owned(),
        0x20..=0x7e => format!("'{}'", char::from(c)),
        0x00..=0x1f | 0x7f => format!("'\\x{c:02x}'"),
        0x80..=0xa0 | 0xad => format!("'\\u{:04x}'", u32::from(c)),
        _ => format!("'{}'", char::from(c)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(src: &str) -> Data {
        read_json("x.json", src).unwrap_or_else(|e| panic!("{src:?}: {e}"))
    }

    fn err(src: &str) -> String {
        match read_json("x.json", src) {
            Ok(v) => panic!("{src:?} should fail, got {v:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn keeps_order_and_number_kinds() {
        let v = ok(r#"{"b": 1, "a": [1.0, 2e3, -0, 123456789012345678901234567890], "c": null}"#);
        let want = Data::map([
            ("b", Data::int(1)),
            (
                "a",
                Data::list([
                    Data::float("1.0"),
                    Data::float("2E+3"),
                    Data::int(0),
                    Data::Int("123456789012345678901234567890".parse().unwrap_or_default()),
                ]),
            ),
            ("c", Data::Null),
        ]);
        assert_eq!(v, want);
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(
            ok(r#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#),
            Data::string("a\"\\/\u{8}\u{c}\n\r\té😀")
        );
        assert!(err(r#""\ud83d""#).ends_with("unmatched surrogate pair"));
    }

    #[test]
    fn byte_order_marks() {
        assert_eq!(err("\"a\u{feff}\""), "x.json:1:3: illegal byte order mark");
        assert_eq!(ok("\"a\\ufeff\""), Data::string("a\u{feff}"));
        assert_eq!(
            err("\u{feff}{}"),
            "x.json:1:1: invalid JSON for file \"x.json\": invalid character 'ï' looking for beginning of value"
        );
    }

    #[test]
    fn duplicate_keys_unify() {
        assert_eq!(
            ok(r#"{"a": {"x": 1}, "b": 2, "a": {"y": 2}}"#),
            Data::map([
                ("a", Data::map([("x", Data::int(1)), ("y", Data::int(2))])),
                ("b", Data::int(2)),
            ])
        );
        assert_eq!(
            err(r#"{"a": 1, "a": 2}"#),
            "x.json:1:10: a: conflicting values 1 and 2"
        );
    }

    #[test]
    fn go_syntax_messages() {
        let p = "invalid JSON for file \"x.json\": invalid character";
        assert_eq!(
            err("{\"a\" 1}"),
            format!("x.json:1:6: {p} '1' after object key")
        );
        assert_eq!(
            err("[1,]"),
            format!("x.json:1:4: {p} ']' looking for beginning of value")
        );
        assert_eq!(
            err("[1 2]"),
            format!("x.json:1:4: {p} '2' after array element")
        );
        assert_eq!(
            err("{1:2}"),
            format!("x.json:1:2: {p} '1' looking for beginning of object key string")
        );
        assert_eq!(
            err("tru"),
            "x.json:1:3: invalid JSON for file \"x.json\": unexpected end of JSON input"
        );
        assert_eq!(
            err("nul!"),
            format!("x.json:1:4: {p} '!' in literal null (expecting 'l')")
        );
        assert_eq!(
            err("1 2"),
            format!("x.json:1:3: {p} '2' after top-level value")
        );
        assert_eq!(
            err("01"),
            format!("x.json:1:2: {p} '1' after top-level value")
        );
        assert_eq!(
            err("1.e"),
            format!("x.json:1:3: {p} 'e' after decimal point in numeric literal")
        );
        assert_eq!(
            err("\"a\tb\""),
            format!("x.json:1:3: {p} '\\t' in string literal")
        );
        assert_eq!(
            err("\"\\x\""),
            format!("x.json:1:3: {p} 'x' in string escape code")
        );
        assert_eq!(
            err(""),
            "x.json:1:1: invalid JSON for file \"x.json\": unexpected end of JSON input"
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let depth = MAX_DEPTH + 1;
        let src = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(err(&src).ends_with("exceeded max depth"));
        let ok_depth = MAX_DEPTH;
        let src = format!(
            "{}1{}",
            "[{\"a\":".repeat(ok_depth / 2),
            "}]".repeat(ok_depth / 2)
        );
        assert!(read_json("x.json", &src).is_ok());
    }

    #[test]
    fn streams() {
        assert_eq!(
            read_json_stream("s.json", "1 {\"a\": true}\n[]\n").ok(),
            Some(vec![
                Data::int(1),
                Data::map([("a", Data::Bool(true))]),
                Data::list([])
            ])
        );
        assert_eq!(read_json_stream("s.json", " \n").ok(), Some(vec![]));
    }
}
