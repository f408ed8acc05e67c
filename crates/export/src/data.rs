//! The `Data` tree: a finished, fully concrete CUE value, ready to be printed.
//!
//! Everything CUE-specific (defaults, definitions, hidden and optional fields, number
//! formatting) has already been decided by the evaluator when it builds this tree; the
//! printers only lay it out.

pub use indexmap::IndexMap;
pub use num_bigint::BigInt;

/// An ordered map of field name to value, in the order `cue export` prints the fields.
pub type Map = IndexMap<String, Data>;

/// A concrete value as `cue export` sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Data {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer of any size (CUE integers are arbitrary precision).
    Int(BigInt),
    /// A non-integer number, held as the exact text cue prints for it in JSON
    /// (for example `1.0`, `1e+100`, `0.1`). The evaluator produces this text;
    /// the printers copy it verbatim.
    Float(String),
    /// A string (always valid UTF-8 in CUE).
    String(String),
    /// A bytes value; JSON prints it as a standard, padded base64 string.
    Bytes(Vec<u8>),
    /// A list, in order.
    List(Vec<Data>),
    /// A struct's regular fields, in output order.
    Map(Map),
}

impl Data {
    /// An integer from a machine integer.
    pub fn int(value: i64) -> Data {
        Data::Int(BigInt::from(value))
    }

    /// A number from the decimal text cue prints for it (no validation: the evaluator
    /// owns number formatting).
    pub fn float(text: impl Into<String>) -> Data {
        Data::Float(text.into())
    }

    /// A string value.
    pub fn string(value: impl Into<String>) -> Data {
        Data::String(value.into())
    }

    /// A bytes value.
    pub fn bytes(value: impl Into<Vec<u8>>) -> Data {
        Data::Bytes(value.into())
    }

    /// A list from any sequence of values.
    pub fn list(items: impl IntoIterator<Item = Data>) -> Data {
        Data::List(items.into_iter().collect())
    }

    /// A struct from `(name, value)` pairs, keeping their order. A repeated name keeps the
    /// position of its first occurrence and the last value (as `IndexMap::insert` does).
    pub fn map<K: Into<String>>(fields: impl IntoIterator<Item = (K, Data)>) -> Data {
        Data::Map(fields.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// The empty struct `{}`.
    pub fn empty_map() -> Data {
        Data::Map(Map::new())
    }

    /// The name of this value's kind, as CUE spells it in messages
    /// (`null`, `bool`, `int`, `float`, `string`, `bytes`, `list`, `struct`).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Data::Null => "null",
            Data::Bool(_) => "bool",
            Data::Int(_) => "int",
            Data::Float(_) => "float",
            Data::String(_) => "string",
            Data::Bytes(_) => "bytes",
            Data::List(_) => "list",
            Data::Map(_) => "struct",
        }
    }
}

impl From<bool> for Data {
    fn from(value: bool) -> Data {
        Data::Bool(value)
    }
}

impl From<i64> for Data {
    fn from(value: i64) -> Data {
        Data::int(value)
    }
}

impl From<BigInt> for Data {
    fn from(value: BigInt) -> Data {
        Data::Int(value)
    }
}

impl From<&str> for Data {
    fn from(value: &str) -> Data {
        Data::String(value.to_owned())
    }
}

impl From<String> for Data {
    fn from(value: String) -> Data {
        Data::String(value)
    }
}

impl From<Vec<Data>> for Data {
    fn from(value: Vec<Data>) -> Data {
        Data::List(value)
    }
}

impl From<Map> for Data {
    fn from(value: Map) -> Data {
        Data::Map(value)
    }
}

/// Standard base64 (RFC 4648 alphabet, `=` padding), as Go's `encoding/json` writes `[]byte`
/// and as YAML's `!!binary` carries it. Hand-written: it is a dozen lines and keeps this
/// leaf crate free of a dependency for one function.
pub fn base64_std(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b0 = u32::from(chunk[0]);
        let b1 = chunk.get(1).copied().map_or(0, u32::from);
        let b2 = chunk.get(2).copied().map_or(0, u32::from);
        let group = (b0 << 16) | (b1 << 8) | b2;
        // Each index is masked to 6 bits, so it is always within the 64-entry alphabet.
        let sextet = |shift: u32| char::from(ALPHABET[((group >> shift) & 0x3f) as usize]);
        out.push(sextet(18));
        out.push(sextet(12));
        out.push(if chunk.len() > 1 { sextet(6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(0) } else { '=' });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, want) in cases {
            assert_eq!(base64_std(input.as_bytes()), want, "input {input:?}");
        }
        assert_eq!(base64_std(&[0xff, 0xfe, 0xfd, 0x00]), "//79AA==");
    }

    #[test]
    fn map_constructor_keeps_first_position_last_value() {
        let d = Data::map([("b", Data::int(1)), ("a", Data::Null), ("b", Data::int(2))]);
        let Data::Map(m) = d else {
            panic!("expected a map")
        };
        let keys: Vec<&str> = m.keys().map(String::as_str).collect();
        assert_eq!(keys, ["b", "a"]);
        assert_eq!(m["b"], Data::int(2));
    }

    #[test]
    fn kind_names() {
        assert_eq!(Data::empty_map().kind_name(), "struct");
        assert_eq!(Data::list([]).kind_name(), "list");
        assert_eq!(Data::float("1.5").kind_name(), "float");
        assert_eq!(Data::from(true).kind_name(), "bool");
    }
}
