//! `encoding/base64` and `encoding/hex`, with Go's encodings and error texts.

use super::{arg_bytes, arg_int, arg_str, Builtin, BuiltinError, Val, BYTES_STR, INT, STR, TOP};

const B64: &str = "encoding/base64";
const HEX_PKG: &str = "encoding/hex";

pub(super) const BASE64: &[Builtin] = &[
    Builtin::pure(B64, "EncodedLen", &[TOP, INT], INT, |a| {
        null_encoding(a)?;
        let n = arg_int(a, 1)?;
        Ok(Val::int((n + 2) / 3 * 4))
    }),
    Builtin::pure(B64, "DecodedLen", &[TOP, INT], INT, |a| {
        null_encoding(a)?;
        let n = arg_int(a, 1)?;
        Ok(Val::int(n / 4 * 3))
    }),
    Builtin::pure(B64, "Encode", &[TOP, BYTES_STR], STR, |a| {
        null_encoding(a)?;
        Ok(Val::str(base64_encode(arg_bytes(a, 1)?)))
    }),
    Builtin::pure(B64, "Decode", &[TOP, STR], BYTES_STR, |a| {
        null_encoding(a)?;
        base64_decode(arg_str(a, 1)?.as_bytes())
            .map(Val::bytes)
            .map_err(BuiltinError::Call)
    }),
];

pub(super) const HEX: &[Builtin] = &[
    Builtin::pure(HEX_PKG, "EncodedLen", &[INT], INT, |a| {
        Ok(Val::int(arg_int(a, 0)?.saturating_mul(2)))
    }),
    Builtin::pure(HEX_PKG, "DecodedLen", &[INT], INT, |a| {
        Ok(Val::int(arg_int(a, 0)? / 2))
    }),
    Builtin::pure(HEX_PKG, "Decode", &[STR], BYTES_STR, |a| {
        hex_decode(arg_str(a, 0)?)
            .map(Val::bytes)
            .map_err(BuiltinError::Call)
    }),
    Builtin::pure(HEX_PKG, "Dump", &[BYTES_STR], STR, |a| {
        Ok(Val::str(hex_dump(arg_bytes(a, 0)?)))
    }),
    Builtin::pure(HEX_PKG, "Encode", &[BYTES_STR], STR, |a| {
        Ok(Val::str(hex_encode(arg_bytes(a, 0)?)))
    }),
];

/// Only the standard encoding exists: the first argument must be `null`.
fn null_encoding(a: &[Val]) -> Result<(), BuiltinError> {
    match &a[0] {
        Val::Null => Ok(()),
        v => Err(BuiltinError::Call(format!(
            "base64: unsupported encoding: cannot use value {v} (type {}) as null",
            v.kind()
        ))),
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub(super) fn base64_encode(src: &[u8]) -> String {
    let mut out = String::with_capacity(src.len().div_ceil(3) * 4);
    for chunk in src.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's `StdEncoding.DecodeString`: padding required, `\r` and `\n` ignored, errors name the
/// offending input byte.
pub(super) fn base64_decode(src: &[u8]) -> Result<Vec<u8>, String> {
    let err = |i: usize| format!("illegal base64 data at input byte {i}");
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut quad = [0u8; 4];
    let mut n = 0;
    let mut i = 0;
    while i < src.len() {
        let c = src[i];
        if c == b'\r' || c == b'\n' {
            i += 1;
            continue;
        }
        if c == b'=' {
            // Padding: valid only as the 3rd/4th symbol of a final quantum.
            if n < 2 {
                return Err(err(i));
            }
            let need = 4 - n;
            let mut j = i;
            let mut seen = 0;
            while j < src.len() && seen < need {
                match src[j] {
                    b'\r' | b'\n' => {}
                    b'=' => seen += 1,
                    // Go reports the byte before the one that should have been `=`.
                    _ => return Err(err(j - 1)),
                }
                j += 1;
            }
            if seen < need {
                return Err(err(src.len()));
            }
            while j < src.len() && (src[j] == b'\r' || src[j] == b'\n') {
                j += 1;
            }
            if j < src.len() {
                return Err(err(j));
            }
            let v = quad_value(&quad, n);
            out.push((v >> 16) as u8);
            if n == 3 {
                out.push((v >> 8) as u8);
            }
            return Ok(out);
        }
        let Some(d) = ALPHABET.iter().position(|&x| x == c) else {
            return Err(err(i));
        };
        quad[n] = d as u8;
        n += 1;
        if n == 4 {
            let v = quad_value(&quad, 4);
            out.extend_from_slice(&[(v >> 16) as u8, (v >> 8) as u8, v as u8]);
            n = 0;
        }
        i += 1;
    }
    if n != 0 {
        // An unpadded final quantum: Go points at its first byte.
        return Err(err(src.len() - n));
    }
    Ok(out)
}

fn quad_value(q: &[u8; 4], n: usize) -> u32 {
    (0..4).fold(0u32, |acc, i| {
        (acc << 6) | if i < n { u32::from(q[i]) } else { 0 }
    })
}

pub(super) fn hex_encode(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Go's `hex.DecodeString` with its error texts.
fn hex_decode(s: &str) -> Result<Vec<u8>, String> {
    let b = s.as_bytes();
    let val = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    let bad = |c: u8| {
        let ch = char::from(c);
        format!(
            "encoding/hex: invalid byte: U+{:04X} {}",
            c,
            go_quote_rune(ch)
        )
    };
    let mut out = Vec::with_capacity(b.len() / 2);
    let mut i = 0;
    while i + 1 < b.len() {
        let hi = val(b[i]).ok_or_else(|| bad(b[i]))?;
        let lo = val(b[i + 1]).ok_or_else(|| bad(b[i + 1]))?;
        out.push(hi << 4 | lo);
        i += 2;
    }
    if b.len() % 2 == 1 {
        if val(b[i]).is_none() {
            return Err(bad(b[i]));
        }
        return Err("encoding/hex: odd length hex string".into());
    }
    Ok(out)
}

fn go_quote_rune(c: char) -> String {
    super::strconv::quote(&c.to_string(), '\'', false)
}

/// Go's `hex.Dump`: `hexdump -C` layout.
fn hex_dump(data: &[u8]) -> String {
    let mut out = String::new();
    for (line, chunk) in data.chunks(16).enumerate() {
        out.push_str(&format!("{:08x}  ", line * 16));
        for i in 0..16 {
            match chunk.get(i) {
                Some(b) => out.push_str(&format!("{b:02x} ")),
                None => out.push_str("   "),
            }
            if i == 7 {
                out.push(' ');
            }
        }
        out.push_str(" |");
        for &b in chunk {
            out.push(if (32..=126).contains(&b) {
                char::from(b)
            } else {
                '.'
            });
        }
        out.push_str("|\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{call, lookup};
    use super::*;

    fn run(pkg: &str, name: &str, args: &[Val]) -> String {
        let b = lookup(pkg, name).expect("builtin exists");
        match call(b, args) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn base64_round_trip() {
        assert_eq!(
            run(B64, "Encode", &[Val::Null, Val::str("foo")]),
            "\"Zm9v\""
        );
        assert_eq!(run(B64, "Encode", &[Val::Null, Val::str("fo")]), "\"Zm8=\"");
        assert_eq!(run(B64, "Decode", &[Val::Null, Val::str("Zm9v")]), "'foo'");
        assert_eq!(run(B64, "Decode", &[Val::Null, Val::str("Zm8=")]), "'fo'");
        assert_eq!(
            run(B64, "Decode", &[Val::Null, Val::str("foo")]),
            "ERR illegal base64 data at input byte 0"
        );
        assert_eq!(
            run(B64, "Decode", &[Val::Null, Val::str("Zm8=x")]),
            "ERR illegal base64 data at input byte 4"
        );
        assert_eq!(
            run(B64, "Decode", &[Val::Null, Val::str("Zm==x")]),
            "ERR illegal base64 data at input byte 4"
        );
        assert_eq!(
            run(B64, "Decode", &[Val::Null, Val::str("Zm=x")]),
            "ERR illegal base64 data at input byte 2"
        );
        assert_eq!(
            run(B64, "Decode", &[Val::Null, Val::str("Z!9v")]),
            "ERR illegal base64 data at input byte 1"
        );
        assert_eq!(
            run(B64, "Decode", &[Val::Struct(vec![]), Val::str("Zm9v")]),
            "ERR base64: unsupported encoding: cannot use value {} (type struct) as null"
        );
        assert_eq!(run(B64, "EncodedLen", &[Val::Null, Val::int(5)]), "8");
        assert_eq!(run(B64, "DecodedLen", &[Val::Null, Val::int(8)]), "6");
    }

    #[test]
    fn hex() {
        assert_eq!(
            run(HEX_PKG, "Encode", &[Val::str("Hello")]),
            "\"48656c6c6f\""
        );
        assert_eq!(run(HEX_PKG, "Decode", &[Val::str("48656c6c6f")]), "'Hello'");
        assert_eq!(
            run(HEX_PKG, "Decode", &[Val::str("4g")]),
            "ERR encoding/hex: invalid byte: U+0067 'g'"
        );
        assert_eq!(
            run(HEX_PKG, "Decode", &[Val::str("486")]),
            "ERR encoding/hex: odd length hex string"
        );
        assert_eq!(
            run(HEX_PKG, "Dump", &[Val::str("hello")]),
            "\"00000000  68 65 6c 6c 6f                                    |hello|\\n\""
        );
    }
}
