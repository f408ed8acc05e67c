//! Protocol-buffer text format (`.textproto`) data files read into [`Data`]: fields,
//! nested messages (`{}` or `<>`), `[a, b]` lists, repeated fields collected into lists,
//! adjacent string literals concatenated, `#` comments.
//!
//! cue reads these against the schema's field types; without a schema, a field given once is
//! a single value and a field repeated is a list.

use ferrocue_export::data::{BigInt, Map};
use ferrocue_export::Data;

/// Reads a whole file as one message, or a one-line error `file:line:col: message`.
pub fn read(name: &str, src: &str) -> Result<Data, String> {
    let mut p = Parser {
        name,
        src: src.as_bytes(),
        at: 0,
        depth: 0,
    };
    let m = p.fields(None)?;
    Ok(Data::Map(m))
}

struct Parser<'a> {
    name: &'a str,
    src: &'a [u8],
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn err(&self, msg: &str) -> String {
        let before = &self.src[..self.at.min(self.src.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let col = before.len()
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1)
            + 1;
        format!("{}:{line}:{col}: textproto: {msg}", self.name)
    }

    fn skip(&mut self) {
        while let Some(&c) = self.src.get(self.at) {
            if c.is_ascii_whitespace() {
                self.at += 1;
            } else if c == b'#' {
                while self.src.get(self.at).is_some_and(|&c| c != b'\n') {
                    self.at += 1;
                }
            } else {
                break;
            }
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip();
        self.src.get(self.at).copied()
    }

    fn word(&mut self) -> String {
        let start = self.at;
        while self
            .src
            .get(self.at)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-' | b'+'))
        {
            self.at += 1;
        }
        String::from_utf8_lossy(&self.src[start..self.at]).into_owned()
    }

    /// Fields until `close` (or the end of the file).
    fn fields(&mut self, close: Option<u8>) -> Result<Map, String> {
        if self.depth > 200 {
            return Err(self.err("messages nested too deeply"));
        }
        let mut m = Map::new();
        loop {
            match self.peek() {
                None if close.is_none() => return Ok(m),
                None => return Err(self.err("unexpected end of file")),
                Some(c) if Some(c) == close => {
                    self.at += 1;
                    return Ok(m);
                }
                Some(b',') | Some(b';') => {
                    self.at += 1;
                    continue;
                }
                Some(b'[') => {
                    // An extension or Any type name.
                    let start = self.at;
                    while self.src.get(self.at).is_some_and(|&c| c != b']') {
                        self.at += 1;
                    }
                    self.at += 1;
                    let name =
                        String::from_utf8_lossy(&self.src[start..self.at.min(self.src.len())])
                            .into_owned();
                    self.value_for(&mut m, name)?;
                }
                Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                    let name = self.word();
                    self.value_for(&mut m, name)?;
                }
                Some(_) => return Err(self.err("expected a field name")),
            }
        }
    }

    fn value_for(&mut self, m: &mut Map, name: String) -> Result<(), String> {
        let colon = self.peek() == Some(b':');
        if colon {
            self.at += 1;
        }
        let v = match self.peek() {
            Some(b'{') | Some(b'<') => self.message()?,
            Some(b'[') if colon => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    match self.peek() {
                        Some(b']') => {
                            self.at += 1;
                            break;
                        }
                        Some(b',') => self.at += 1,
                        None => return Err(self.err("unexpected end of file in list")),
                        Some(b'{') | Some(b'<') => items.push(self.message()?),
                        Some(_) => items.push(self.scalar()?),
                    }
                }
                // A list adds its elements to the repeated field.
                for it in items {
                    add(m, &name, it, true);
                }
                return Ok(());
            }
            Some(_) if colon => self.scalar()?,
            _ => return Err(self.err(&format!("expected a value for field {name}"))),
        };
        add(m, &name, v, false);
        Ok(())
    }

    fn message(&mut self) -> Result<Data, String> {
        let close = if self.src[self.at] == b'{' {
            b'}'
        } else {
            b'>'
        };
        self.at += 1;
        self.depth += 1;
        let m = self.fields(Some(close))?;
        self.depth -= 1;
        Ok(Data::Map(m))
    }

    fn scalar(&mut self) -> Result<Data, String> {
        match self.peek() {
            Some(q @ (b'"' | b'\'')) => {
                let mut s = Vec::new();
                let mut q = q;
                loop {
                    self.string(q, &mut s)?;
                    match self.peek() {
                        Some(n @ (b'"' | b'\'')) => q = n,
                        _ => break,
                    }
                }
                match String::from_utf8(s) {
                    Ok(s) => Ok(Data::String(s)),
                    Err(e) => Ok(Data::Bytes(e.into_bytes())),
                }
            }
            Some(_) => {
                let w = self.word();
                if w.is_empty() {
                    return Err(self.err("expected a value"));
                }
                Ok(match w.as_str() {
                    "true" | "True" | "t" => Data::Bool(true),
                    "false" | "False" | "f" => Data::Bool(false),
                    _ => number(&w).unwrap_or(Data::String(w)),
                })
            }
            None => Err(self.err("unexpected end of file")),
        }
    }

    fn string(&mut self, q: u8, out: &mut Vec<u8>) -> Result<(), String> {
        self.at += 1;
        loop {
            let Some(&c) = self.src.get(self.at) else {
                return Err(self.err("unterminated string"));
            };
            self.at += 1;
            if c == q {
                return Ok(());
            }
            if c == b'\n' {
                return Err(self.err("newline in string"));
            }
            if c != b'\\' {
                out.push(c);
                continue;
            }
            let Some(&e) = self.src.get(self.at) else {
                return Err(self.err("unterminated string"));
            };
            self.at += 1;
            match e {
                b'n' => out.push(b'\n'),
                b't' => out.push(b'\t'),
                b'r' => out.push(b'\r'),
                b'a' => out.push(7),
                b'b' => out.push(8),
                b'f' => out.push(12),
                b'v' => out.push(11),
                b'0'..=b'7' => {
                    let mut v = u32::from(e - b'0');
                    for _ in 0..2 {
                        match self.src.get(self.at) {
                            Some(&d @ b'0'..=b'7') => {
                                v = v * 8 + u32::from(d - b'0');
                                self.at += 1;
                            }
                            _ => break,
                        }
                    }
                    out.push((v & 0xff) as u8);
                }
                b'x' => {
                    let mut v = 0u32;
                    let mut n = 0;
                    while let Some(d) = self
                        .src
                        .get(self.at)
                        .and_then(|&d| (d as char).to_digit(16))
                    {
                        if n == 2 {
                            break;
                        }
                        v = v * 16 + d;
                        n += 1;
                        self.at += 1;
                    }
                    out.push(v as u8);
                }
                other => out.push(other),
            }
        }
    }
}

/// Adds a field; a repeated name turns the value into a list.
fn add(m: &mut Map, name: &str, v: Data, from_list: bool) {
    match m.get_mut(name) {
        // Textproto values are never lists themselves: a list here came from repetition.
        Some(Data::List(l)) => l.push(v),
        Some(old) => {
            let first = std::mem::replace(old, Data::Null);
            *old = Data::List(vec![first, v]);
        }
        None => {
            let v = if from_list { Data::List(vec![v]) } else { v };
            m.insert(name.to_string(), v);
        }
    }
}

fn number(w: &str) -> Option<Data> {
    let t = w.trim_end_matches(['f', 'F']);
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let int = if let Some(h) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        BigInt::parse_bytes(h.as_bytes(), 16)
    } else if digits.len() > 1
        && digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        BigInt::parse_bytes(&digits.as_bytes()[1..], 8)
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && t.len() == w.len()
    {
        BigInt::parse_bytes(digits.as_bytes(), 10)
    } else {
        None
    };
    if let Some(i) = int {
        return Some(Data::Int(if neg { -i } else { i }));
    }
    let f: f64 = t.parse().ok()?;
    if !f.is_finite() {
        return None;
    }
    Some(Data::Float(t.trim_start_matches('+').to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_fields_nested_messages_and_strings() {
        let d = read(
            "x.textproto",
            "a: 4 # four\nb: 1\nb: 2\nm { n: \"x\" 'y' }\nl: [1, 2]\ne: ENUM\nf: -1.5\n",
        )
        .unwrap();
        let want = Data::map([
            ("a", Data::int(4)),
            ("b", Data::list([Data::int(1), Data::int(2)])),
            ("m", Data::map([("n", Data::string("xy"))])),
            ("l", Data::list([Data::int(1), Data::int(2)])),
            ("e", Data::string("ENUM")),
            ("f", Data::float("-1.5")),
        ]);
        assert_eq!(d, want);
        assert!(read("x.textproto", "a: \"x")
            .unwrap_err()
            .starts_with("x.textproto:1:"));
    }
}
