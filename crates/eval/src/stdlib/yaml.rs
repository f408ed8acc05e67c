//! `encoding/yaml`: marshalling through the exporter's YAML printer and unmarshalling through
//! its YAML reader, so both match `cue export --out yaml` and cue's YAML import. `Validate` and
//! `ValidatePartial` unify with a schema and are declared [`Func::NeedsEval`].

use ferrocue_export::{read_yaml, to_yaml, to_yaml_stream, Data};

use super::{
    arg_bytes, arg_list, Builtin, BuiltinError, BuiltinResult, Func, Kind, Val, BYTES_STR, STR, TOP,
};
use crate::num::Number;

const PKG: &str = "encoding/yaml";

const fn f(
    name: &'static str,
    params: &'static [Kind],
    result: Kind,
    func: fn(&[Val]) -> BuiltinResult,
) -> Builtin {
    Builtin::pure(PKG, name, params, result, func)
}

const fn needs_eval(name: &'static str) -> Builtin {
    Builtin {
        pkg: PKG,
        name,
        params: &[BYTES_STR, TOP],
        result: Kind::BOOL,
        non_concrete: true,
        last_default: None,
        func: Func::NeedsEval,
    }
}

pub(super) const BUILTINS: &[Builtin] = &[
    f("Marshal", &[TOP], STR, |a| {
        Ok(Val::str(to_yaml(&to_data(&a[0]))))
    }),
    f("MarshalStream", &[TOP], STR, |a| {
        let docs: Vec<Data> = arg_list(a, 0)?.iter().map(to_data).collect();
        Ok(Val::str(to_yaml_stream(docs.iter())))
    }),
    f("Unmarshal", &[BYTES_STR], TOP, |a| {
        let src = String::from_utf8_lossy(arg_bytes(a, 0)?).into_owned();
        let docs = read_yaml("", &src).map_err(|e| BuiltinError::Call(e.to_string()))?;
        match docs.len() {
            0 => Ok(Val::Null),
            1 => Ok(from_data(&docs[0])),
            _ => {
                let (line, col) = second_document_position(&src);
                Err(BuiltinError::Call(format!(
                    "{line}:{col}: expected a single YAML document"
                )))
            }
        }
    }),
    f("UnmarshalStream", &[BYTES_STR], TOP, |a| {
        let src = String::from_utf8_lossy(arg_bytes(a, 0)?).into_owned();
        let docs = read_yaml("", &src).map_err(|e| BuiltinError::Call(e.to_string()))?;
        if docs.is_empty() {
            return Ok(Val::List(vec![Val::Null]));
        }
        Ok(Val::List(docs.iter().map(from_data).collect()))
    }),
    needs_eval("Validate"),
    needs_eval("ValidatePartial"),
];

/// Every document of a YAML stream as values (for the evaluator's `yaml.Validate`).
pub fn unmarshal_stream(src: &str) -> Result<Vec<Val>, String> {
    let docs = read_yaml("", src).map_err(|e| e.to_string())?;
    Ok(docs.iter().map(from_data).collect())
}

/// Where the second document's content starts (1-based line and column), for cue's
/// "expected a single YAML document" message.
fn second_document_position(src: &str) -> (usize, usize) {
    let mut seen_content = false;
    let mut after_separator = false;
    for (i, line) in src.lines().enumerate() {
        let t = line.trim_end();
        if t == "---" || t.starts_with("--- ") {
            if seen_content {
                after_separator = true;
            }
            continue;
        }
        if t.is_empty() || t.trim_start().starts_with('#') {
            continue;
        }
        if after_separator {
            return (i + 1, line.len() - line.trim_start().len() + 1);
        }
        seen_content = true;
    }
    (1, 1)
}

/// A concrete value as the exporter's data tree; numbers carry cue's CUE-syntax text, which
/// is what cue's YAML encoder prints.
pub(super) fn to_data(v: &Val) -> Data {
    match v {
        Val::Null => Data::Null,
        Val::Bool(b) => Data::Bool(*b),
        Val::Num(n) => match n {
            Number::Int(d) if d.exponent() == 0 => Data::Int(n.to_bigint().unwrap_or_default()),
            _ => Data::Float(n.to_yaml_text()),
        },
        Val::Str(s) => Data::String(s.to_string()),
        Val::Bytes(b) => Data::Bytes(b.to_vec()),
        Val::List(items) => Data::List(items.iter().map(to_data).collect()),
        Val::Struct(fields) => Data::Map(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), to_data(v)))
                .collect(),
        ),
    }
}

/// The exporter's data tree as a concrete value (floats keep their decimal text; numbers keep
/// their kind: `1` is an int, `1.5` a float).
pub fn from_data(d: &Data) -> Val {
    match d {
        Data::Null => Val::Null,
        Data::Bool(b) => Val::Bool(*b),
        Data::Int(i) => Val::Num(Number::from_int(i.clone())),
        Data::Float(t) => {
            let (neg, body) = match t.strip_prefix('-') {
                Some(b) => (true, b),
                None => (false, t.as_str()),
            };
            match Number::from_float_text(body) {
                Ok(n) => Val::Num(if neg { n.neg() } else { n }),
                // Data floats come from the evaluator or a JSON/YAML reader, which only hand
                // out decimal text; keep anything else visible rather than dropping it.
                Err(_) => Val::str(t),
            }
        }
        Data::String(s) => Val::str(s),
        Data::Bytes(b) => Val::bytes(b),
        Data::List(items) => Val::List(items.iter().map(from_data).collect()),
        Data::Map(m) => Val::Struct(m.iter().map(|(k, v)| (k.clone(), from_data(v))).collect()),
    }
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

    #[test]
    fn marshal_and_unmarshal() {
        let a = Val::Struct(vec![("a".into(), Val::int(1))]);
        let b = Val::Struct(vec![("b".into(), Val::int(2))]);
        assert_eq!(
            run("MarshalStream", &[Val::List(vec![a.clone(), b.clone()])]),
            r#""a: 1\n---\nb: 2\n""#
        );
        assert_eq!(run("Marshal", &[b]), r#""b: 2\n""#);
        assert_eq!(
            run("UnmarshalStream", &[Val::str("a: 1\n---\nb: 2")]),
            "[{a:1},{b:2}]"
        );
        assert_eq!(run("UnmarshalStream", &[Val::str("")]), "[null]");
        assert_eq!(
            run("Unmarshal", &[Val::str("x: [1, 2.50, yes]")]),
            r#"{x:[1,2.50,"yes"]}"#
        );
        assert_eq!(
            run("Unmarshal", &[Val::str("1\n---\n2")]),
            "ERR 3:1: expected a single YAML document"
        );
    }
}
