//! `json+pb:` / `yaml+pb:` inputs: data read with protobuf's JSON mapping, guided by the
//! schema's field types: strings holding numbers fill `int`/`float` fields and base64 strings
//! fill `bytes` fields.

use ferrocue_eval::instance::{Instance, Syntax, ValueRef};
use ferrocue_export::data::{BigInt, Map};
use ferrocue_export::Data;

/// Converts `d` against the schema value `schema` (a struct of the evaluated CUE files).
pub fn convert(inst: &mut Instance, schema: Option<ValueRef>, d: Data) -> Result<Data, String> {
    let Some(s) = schema else { return Ok(d) };
    match d {
        Data::Map(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let field = inst.field(s, &k);
                let v = convert(inst, field, v).map_err(|e| {
                    if e.starts_with("failed") {
                        format!("{k}: {e}")
                    } else {
                        e
                    }
                })?;
                out.insert(k, v);
            }
            Ok(Data::Map(out))
        }
        Data::String(text) => {
            let kind = match inst.syntax(s) {
                Syntax::Constraint(c) => c,
                _ => return Ok(Data::String(text)),
            };
            let kinds: Vec<&str> = kind.split(['&', '|']).map(str::trim).collect();
            if kinds.contains(&"bytes") {
                return base64(&text).map(Data::Bytes);
            }
            if kinds.contains(&"int") {
                if let Some(i) = BigInt::parse_bytes(text.as_bytes(), 10) {
                    return Ok(Data::Int(i));
                }
            }
            if kinds.iter().any(|k| *k == "float" || *k == "number") && text.parse::<f64>().is_ok()
            {
                return Ok(Data::Float(text));
            }
            Ok(Data::String(text))
        }
        other => Ok(other),
    }
}

/// Standard base64 with padding, failing with Go's message.
fn base64(text: &str) -> Result<Vec<u8>, String> {
    let bad = |i: usize| format!("failed to decode base64: illegal base64 data at input byte {i}");
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    let bytes = text.as_bytes();
    let body = text.trim_end_matches('=');
    for (i, &c) in body.as_bytes().iter().enumerate() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return Err(bad(i)),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    // Illegal characters are reported first (above); then a missing or excess padding.
    if !bytes.len().is_multiple_of(4) || bytes.len() - body.len() > 2 {
        return Err(bad(body.len()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_like_go() {
        assert_eq!(base64("SGVsbG8=").unwrap(), b"Hello");
        assert_eq!(
            base64("SGVsbG8sIOS4lue???VjA==").unwrap_err(),
            "failed to decode base64: illegal base64 data at input byte 15"
        );
    }
}
