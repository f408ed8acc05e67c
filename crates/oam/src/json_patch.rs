//! RFC 6902 JSON Patch on concrete data (`+patchStrategy=jsonPatch`, operations taken from
//! `patch.operations`).

use ferrocue_export::Data;

/// Applies the operations in order; the first failing one stops the patch.
pub fn apply(target: &Data, operations: &Data) -> Result<Data, String> {
    let Data::List(ops) = operations else {
        return Err("jsonPatch: operations must be a list".into());
    };
    let mut doc = target.clone();
    for (i, op) in ops.iter().enumerate() {
        apply_one(&mut doc, op).map_err(|e| format!("jsonPatch operation {i}: {e}"))?;
    }
    Ok(doc)
}

fn str_field<'a>(op: &'a Data, name: &str) -> Result<&'a str, String> {
    match op {
        Data::Map(m) => match m.get(name) {
            Some(Data::String(s)) => Ok(s),
            Some(_) => Err(format!("{name:?} must be a string")),
            None => Err(format!("missing {name:?}")),
        },
        _ => Err("an operation must be an object".into()),
    }
}

fn value_field(op: &Data) -> Result<Data, String> {
    match op {
        Data::Map(m) => m
            .get("value")
            .cloned()
            .ok_or_else(|| "missing \"value\"".into()),
        _ => Err("an operation must be an object".into()),
    }
}

fn apply_one(doc: &mut Data, op: &Data) -> Result<(), String> {
    let kind = str_field(op, "op")?;
    let path = parse_pointer(str_field(op, "path")?)?;
    match kind {
        "add" => add(doc, &path, value_field(op)?),
        "remove" => remove(doc, &path).map(|_| ()),
        "replace" => {
            remove(doc, &path)?;
            add(doc, &path, value_field(op)?)
        }
        "move" => {
            let from = parse_pointer(str_field(op, "from")?)?;
            if path.len() > from.len() && path.starts_with(&from) {
                return Err("cannot move a value into itself".into());
            }
            let v = remove(doc, &from)?;
            add(doc, &path, v)
        }
        "copy" => {
            let from = parse_pointer(str_field(op, "from")?)?;
            let v = get(doc, &from)?.clone();
            add(doc, &path, v)
        }
        "test" => {
            let want = value_field(op)?;
            if get(doc, &path)? == &want {
                Ok(())
            } else {
                Err("test failed".into())
            }
        }
        other => Err(format!("unknown op {other:?}")),
    }
}

fn parse_pointer(p: &str) -> Result<Vec<String>, String> {
    if p.is_empty() {
        return Ok(vec![]);
    }
    let Some(rest) = p.strip_prefix('/') else {
        return Err(format!("invalid pointer {p:?}"));
    };
    Ok(rest
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect())
}

fn index(tok: &str, len: usize, allow_end: bool) -> Result<usize, String> {
    if allow_end && tok == "-" {
        return Ok(len);
    }
    let valid = !tok.is_empty()
        && tok.bytes().all(|b| b.is_ascii_digit())
        && (tok == "0" || !tok.starts_with('0'));
    let i: usize = if valid {
        tok.parse().map_err(|_| format!("bad index {tok:?}"))?
    } else {
        return Err(format!("bad index {tok:?}"));
    };
    if i > len || (!allow_end && i == len) {
        return Err(format!("index {i} out of range"));
    }
    Ok(i)
}

fn get<'a>(doc: &'a Data, path: &[String]) -> Result<&'a Data, String> {
    let mut cur = doc;
    for tok in path {
        cur = match cur {
            Data::Map(m) => m.get(tok).ok_or_else(|| format!("no member {tok:?}"))?,
            Data::List(l) => &l[index(tok, l.len(), false)?],
            _ => return Err(format!("cannot descend into a scalar at {tok:?}")),
        };
    }
    Ok(cur)
}

fn get_mut<'a>(doc: &'a mut Data, path: &[String]) -> Result<&'a mut Data, String> {
    let mut cur = doc;
    for tok in path {
        cur = match cur {
            Data::Map(m) => m.get_mut(tok).ok_or_else(|| format!("no member {tok:?}"))?,
            Data::List(l) => {
                let i = index(tok, l.len(), false)?;
                &mut l[i]
            }
            _ => return Err(format!("cannot descend into a scalar at {tok:?}")),
        };
    }
    Ok(cur)
}

fn add(doc: &mut Data, path: &[String], value: Data) -> Result<(), String> {
    let Some((last, parent)) = path.split_last() else {
        *doc = value;
        return Ok(());
    };
    match get_mut(doc, parent)? {
        Data::Map(m) => {
            m.insert(last.clone(), value);
            Ok(())
        }
        Data::List(l) => {
            let i = index(last, l.len(), true)?;
            l.insert(i, value);
            Ok(())
        }
        _ => Err("cannot add to a scalar".into()),
    }
}

fn remove(doc: &mut Data, path: &[String]) -> Result<Data, String> {
    let Some((last, parent)) = path.split_last() else {
        return Err("cannot remove the whole document".into());
    };
    match get_mut(doc, parent)? {
        Data::Map(m) => m
            .shift_remove(last)
            .ok_or_else(|| format!("no member {last:?}")),
        Data::List(l) => {
            let i = index(last, l.len(), false)?;
            Ok(l.remove(i))
        }
        _ => Err("cannot remove from a scalar".into()),
    }
}
