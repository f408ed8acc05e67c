//! `encoding/csv`: Go's `encoding/csv` writer and reader (comma-separated, `"` quoting).

use super::{
    arg_bytes, arg_list, json_marshal, Builtin, BuiltinError, BuiltinResult, Func, Kind, Val,
    BYTES_STR, STR, TOP,
};

pub(super) const BUILTINS: &[Builtin] = &[
    Builtin {
        pkg: "encoding/csv",
        name: "Encode",
        params: &[TOP],
        result: STR,
        non_concrete: false,
        last_default: None,
        func: Func::Pure(encode),
    },
    Builtin {
        pkg: "encoding/csv",
        name: "Decode",
        params: &[BYTES_STR],
        result: Kind::LIST,
        non_concrete: false,
        last_default: None,
        func: Func::Pure(|a| decode(arg_bytes(a, 0)?).map_err(BuiltinError::Call)),
    },
];

fn encode(a: &[Val]) -> BuiltinResult {
    let rows = arg_list(a, 0)?;
    let mut out = String::new();
    for row in rows {
        let Val::List(cols) = row else {
            return Err(BuiltinError::Call(format!(
                "cannot use value {row} (type {}) as list",
                row.kind()
            )));
        };
        for (i, col) in cols.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let field = match col {
                Val::Str(s) => s.to_string(),
                v => json_marshal(v),
            };
            if needs_quotes(&field) {
                out.push('"');
                out.push_str(&field.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(&field);
            }
        }
        out.push('\n');
    }
    Ok(Val::str(out))
}

/// Go's `fieldNeedsQuotes` for a comma separator.
fn needs_quotes(f: &str) -> bool {
    if f.is_empty() {
        return false;
    }
    if f == "\\." {
        return true;
    }
    if f.contains([',', '"', '\r', '\n']) {
        return true;
    }
    f.chars().next().is_some_and(char::is_whitespace)
}

/// Go's `csv.Reader.ReadAll` with default settings.
fn decode(src: &[u8]) -> Result<Val, String> {
    let text = String::from_utf8_lossy(src).replace("\r\n", "\n");
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut records: Vec<Val> = Vec::new();
    let mut expected: Option<usize> = None;
    let mut li = 0;
    while li < lines.len() {
        let start_line = li + 1;
        let line = lines[li];
        li += 1;
        if line == "\n" || line.is_empty() {
            continue;
        }
        let mut fields: Vec<String> = Vec::new();
        let mut cur: &str = line;
        let mut line_no = start_line;
        loop {
            let col_base = line.len() - cur.len();
            if let Some(rest) = cur.strip_prefix('"') {
                // Quoted field, possibly spanning lines.
                let mut field = String::new();
                let mut r = rest;
                let mut col = col_base + 1;
                loop {
                    if let Some(i) = r.find('"') {
                        field.push_str(&r[..i]);
                        let after = &r[i + 1..];
                        col += i + 1;
                        if let Some(a2) = after.strip_prefix('"') {
                            field.push('"');
                            r = a2;
                            col += 1;
                            continue;
                        }
                        if let Some(next) = after.strip_prefix(',') {
                            fields.push(field);
                            cur = next;
                            break;
                        }
                        if after.is_empty() || after == "\n" {
                            fields.push(field);
                            cur = "";
                            break;
                        }
                        return Err(format!(
                            "parse error on line {line_no}, column {}: extraneous or missing \" in quoted-field",
                            col + 1
                        ));
                    }
                    field.push_str(r);
                    if li < lines.len() {
                        r = lines[li];
                        li += 1;
                        line_no += 1;
                        col = 0;
                    } else {
                        let msg = format!(
                            "parse error on line {line_no}, column {}: extraneous or missing \" in quoted-field",
                            col + r.len() + 1
                        );
                        return Err(if line_no != start_line {
                            format!("record on line {start_line}; {msg}")
                        } else {
                            msg
                        });
                    }
                }
                if cur.is_empty() {
                    break;
                }
            } else {
                let end = cur.find(',').unwrap_or(cur.len());
                let field = cur[..end].trim_end_matches('\n');
                if let Some(q) = field.find('"') {
                    return Err(format!(
                        "parse error on line {line_no}, column {}: bare \" in non-quoted-field",
                        col_base + q + 1
                    ));
                }
                fields.push(field.to_string());
                if end == cur.len() {
                    break;
                }
                cur = &cur[end + 1..];
            }
        }
        match expected {
            None => expected = Some(fields.len()),
            Some(n) if n != fields.len() => {
                return Err(format!(
                    "record on line {start_line}: wrong number of fields"
                ));
            }
            _ => {}
        }
        records.push(Val::List(fields.into_iter().map(Val::str).collect()));
    }
    Ok(Val::List(records))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Val {
        Val::str(x)
    }

    #[test]
    fn round_trip_like_go() {
        let rows = Val::List(vec![
            Val::List(vec![Val::int(1), Val::int(2), Val::int(3)]),
            Val::List(vec![s("a,b"), s("say \"hi\""), s(" lead"), s("")]),
        ]);
        assert_eq!(
            encode(&[rows]).map(|v| v.to_string()),
            Ok(r#""1,2,3\n\"a,b\",\"say \"\"hi\"\"\",\" lead\",\n""#.to_string())
        );
        assert_eq!(
            decode(b"1,2,3\n4,5,6").map(|v| v.to_string()),
            Ok(r#"[["1","2","3"],["4","5","6"]]"#.to_string())
        );
        assert_eq!(
            decode(b"\"a,b\",\"x\"\"y\"\n\"multi\nline\",z\n").map(|v| v.to_string()),
            Ok(r#"[["a,b","x\"y"],["multi\nline","z"]]"#.to_string())
        );
        assert_eq!(
            decode(b"a,b\nc\n"),
            Err("record on line 2: wrong number of fields".into())
        );
        assert_eq!(
            decode(b"a\"b,c\n"),
            Err("parse error on line 1, column 2: bare \" in non-quoted-field".into())
        );
    }
}
