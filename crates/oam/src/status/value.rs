//! Values as KubeVela's status code sees them: every map and number has been through Go's
//! `encoding/json` (keys sorted, whole floats printed as integers), and then becomes an
//! evaluator value without any CUE text being printed or parsed.

use ferrocue_eval::stdlib::Val;
use ferrocue_export::data::Map;
use ferrocue_export::{base64_std, Data};

/// `d` after a round trip through Go's `encoding/json` with `interface{}` values: map keys in
/// byte order (Go sorts them when marshalling), whole floats below 1e21 as integers, other
/// floats in their shortest form, bytes as base64 strings.
pub fn go_json(d: &Data) -> Data {
    match d {
        Data::Float(text) => match text.parse::<f64>() {
            // Below 1e21 Go prints a whole float64 without an exponent, and the cast is exact.
            Ok(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e21 => {
                Data::Int((f as i128).into())
            }
            Ok(f) if f.is_finite() => Data::Float(format!("{f}")),
            _ => d.clone(),
        },
        Data::Bytes(b) => Data::String(base64_std(b)),
        Data::List(l) => Data::List(l.iter().map(go_json).collect()),
        Data::Map(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let mut out = Map::with_capacity(m.len());
            for k in keys {
                if let Some(v) = m.get(k) {
                    out.insert(k.clone(), go_json(v));
                }
            }
            Data::Map(out)
        }
        other => other.clone(),
    }
}

/// `to_val(&go_json(d))` in one pass, without the intermediate copy.
pub fn go_val(d: &Data) -> Val {
    match d {
        Data::Float(_) | Data::Bytes(_) => to_val(&go_json(d)),
        Data::List(l) => Val::List(l.iter().map(go_val).collect()),
        Data::Map(m) => {
            let mut fields: Vec<(String, Val)> =
                m.iter().map(|(k, v)| (k.clone(), go_val(v))).collect();
            fields.sort_by(|a, b| a.0.cmp(&b.0));
            Val::Struct(fields)
        }
        other => to_val(other),
    }
}

/// Concrete data as an evaluator value (numbers keep their kind: `1` is an int, `1.5` a float).
pub use ferrocue_eval::stdlib::value_from_data as to_val;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_json_sorts_keys_and_turns_whole_floats_into_ints() {
        let d = Data::map([
            ("b", Data::float("1.0")),
            ("a", Data::float("0.50")),
            ("c", Data::bytes(*b"hi")),
        ]);
        let g = go_json(&d);
        let Data::Map(m) = &g else {
            panic!("a map stays a map")
        };
        assert_eq!(m.keys().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(m["a"], Data::float("0.5"));
        assert_eq!(m["b"], Data::int(1));
        assert_eq!(m["c"], Data::string("aGk="));
        assert_eq!(format!("{:?}", go_val(&d)), format!("{:?}", to_val(&g)));
    }
}
