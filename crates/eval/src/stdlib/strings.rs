//! The `strings` package: Go's `strings` functions over UTF-8 text, with cue's additions
//! (`MinRunes`, `ByteAt`, `SliceRunes`, `ToCamel`, ...).

use super::{
    arg_bytes, arg_int, arg_str, arg_str_list, Builtin, BuiltinError, BuiltinResult, Kind, Val,
    BYTES_STR, INT, LIST, STR,
};
use crate::ops::MAX_REPEAT_COUNT;

const fn f(
    name: &'static str,
    params: &'static [Kind],
    result: Kind,
    func: fn(&[Val]) -> BuiltinResult,
) -> Builtin {
    Builtin::pure("strings", name, params, result, func)
}

const S: Kind = Kind::STRING;
const B: Kind = Kind::BOOL;
const I: Kind = Kind::INT;
const L: Kind = Kind::LIST;

pub(super) const BUILTINS: &[Builtin] = &[
    f("ByteAt", &[BYTES_STR, INT], I, byte_at),
    f("ByteSlice", &[BYTES_STR, INT, INT], BYTES_STR, byte_slice),
    f("Runes", &[STR], L, |a| {
        Ok(Val::List(
            arg_str(a, 0)?
                .chars()
                .map(|c| Val::int(i64::from(u32::from(c))))
                .collect(),
        ))
    }),
    f("Repeat", &[STR, INT], S, repeat),
    f("MinRunes", &[STR, INT], B, |a| {
        Ok(Val::Bool(rune_count(arg_str(a, 0)?) >= arg_int(a, 1)?))
    }),
    f("MaxRunes", &[STR, INT], B, |a| {
        Ok(Val::Bool(rune_count(arg_str(a, 0)?) <= arg_int(a, 1)?))
    }),
    f("ToTitle", &[STR], S, |a| {
        Ok(Val::str(map_word_starts(arg_str(a, 0)?, simple_upper)))
    }),
    f("ToCamel", &[STR], S, |a| {
        Ok(Val::str(map_word_starts(arg_str(a, 0)?, simple_lower)))
    }),
    f("SliceRunes", &[STR, INT, INT], S, slice_runes),
    f("Compare", &[STR, STR], I, |a| {
        Ok(Val::int(match arg_str(a, 0)?.cmp(arg_str(a, 1)?) {
            std::cmp::Ordering::Less => -1,
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Greater => 1,
        }))
    }),
    f("Count", &[STR, STR], I, |a| {
        Ok(Val::int(
            arg_str(a, 0)?.matches(arg_str(a, 1)?).count() as i64
        ))
    }),
    f("Contains", &[STR, STR], B, |a| {
        Ok(Val::Bool(arg_str(a, 0)?.contains(arg_str(a, 1)?)))
    }),
    f("ContainsAny", &[STR, STR], B, |a| {
        let chars = arg_str(a, 1)?;
        Ok(Val::Bool(arg_str(a, 0)?.chars().any(|c| chars.contains(c))))
    }),
    f("LastIndex", &[STR, STR], I, |a| {
        Ok(index_val(arg_str(a, 0)?.rfind(arg_str(a, 1)?)))
    }),
    f("IndexAny", &[STR, STR], I, |a| {
        let chars = arg_str(a, 1)?;
        Ok(index_val(arg_str(a, 0)?.find(|c| chars.contains(c))))
    }),
    f("LastIndexAny", &[STR, STR], I, |a| {
        let chars = arg_str(a, 1)?;
        Ok(index_val(arg_str(a, 0)?.rfind(|c| chars.contains(c))))
    }),
    f("SplitN", &[STR, STR, INT], L, |a| {
        Ok(str_list(split_generic(
            arg_str(a, 0)?,
            arg_str(a, 1)?,
            false,
            arg_int(a, 2)?,
        )))
    }),
    f("SplitAfterN", &[STR, STR, INT], L, |a| {
        Ok(str_list(split_generic(
            arg_str(a, 0)?,
            arg_str(a, 1)?,
            true,
            arg_int(a, 2)?,
        )))
    }),
    f("Split", &[STR, STR], L, |a| {
        Ok(str_list(split_generic(
            arg_str(a, 0)?,
            arg_str(a, 1)?,
            false,
            -1,
        )))
    }),
    f("SplitAfter", &[STR, STR], L, |a| {
        Ok(str_list(split_generic(
            arg_str(a, 0)?,
            arg_str(a, 1)?,
            true,
            -1,
        )))
    }),
    f("Fields", &[STR], L, |a| {
        Ok(str_list(
            arg_str(a, 0)?
                .split(char::is_whitespace)
                .filter(|s| !s.is_empty())
                .collect(),
        ))
    }),
    f("Join", &[LIST, STR], S, |a| {
        Ok(Val::str(arg_str_list(a, 0)?.join(arg_str(a, 1)?)))
    }),
    f("HasPrefix", &[STR, STR], B, |a| {
        Ok(Val::Bool(arg_str(a, 0)?.starts_with(arg_str(a, 1)?)))
    }),
    f("HasSuffix", &[STR, STR], B, |a| {
        Ok(Val::Bool(arg_str(a, 0)?.ends_with(arg_str(a, 1)?)))
    }),
    f("ToUpper", &[STR], S, |a| {
        Ok(Val::str(
            arg_str(a, 0)?.chars().map(simple_upper).collect::<String>(),
        ))
    }),
    f("ToLower", &[STR], S, |a| {
        Ok(Val::str(
            arg_str(a, 0)?.chars().map(simple_lower).collect::<String>(),
        ))
    }),
    f("Trim", &[STR, STR], S, |a| {
        let cut = arg_str(a, 1)?;
        Ok(Val::str(arg_str(a, 0)?.trim_matches(|c| cut.contains(c))))
    }),
    f("TrimLeft", &[STR, STR], S, |a| {
        let cut = arg_str(a, 1)?;
        Ok(Val::str(
            arg_str(a, 0)?.trim_start_matches(|c| cut.contains(c)),
        ))
    }),
    f("TrimRight", &[STR, STR], S, |a| {
        let cut = arg_str(a, 1)?;
        Ok(Val::str(
            arg_str(a, 0)?.trim_end_matches(|c| cut.contains(c)),
        ))
    }),
    f("TrimSpace", &[STR], S, |a| {
        Ok(Val::str(arg_str(a, 0)?.trim()))
    }),
    f("TrimPrefix", &[STR, STR], S, |a| {
        let s = arg_str(a, 0)?;
        Ok(Val::str(s.strip_prefix(arg_str(a, 1)?).unwrap_or(s)))
    }),
    f("TrimSuffix", &[STR, STR], S, |a| {
        let s = arg_str(a, 0)?;
        Ok(Val::str(s.strip_suffix(arg_str(a, 1)?).unwrap_or(s)))
    }),
    f("Replace", &[STR, STR, STR, INT], S, |a| {
        let (s, old, new, n) = (
            arg_str(a, 0)?,
            arg_str(a, 1)?,
            arg_str(a, 2)?,
            arg_int(a, 3)?,
        );
        Ok(Val::str(if n < 0 {
            s.replace(old, new)
        } else {
            s.replacen(old, new, usize::try_from(n).unwrap_or(usize::MAX))
        }))
    }),
    f("Index", &[STR, STR], I, |a| {
        Ok(index_val(arg_str(a, 0)?.find(arg_str(a, 1)?)))
    }),
];

fn rune_count(s: &str) -> i64 {
    s.chars().count() as i64
}

fn index_val(i: Option<usize>) -> Val {
    Val::int(i.map_or(-1, |i| i as i64))
}

fn str_list(parts: Vec<&str>) -> Val {
    Val::List(parts.into_iter().map(Val::str).collect())
}

/// Go's `unicode.ToUpper` for one rune: only one-to-one mappings apply (`ß` stays `ß`).
pub(super) fn simple_upper(c: char) -> char {
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

pub(super) fn simple_lower(c: char) -> char {
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Applies `f` to every rune that follows a space (or starts the string), as cue's
/// `ToTitle`/`ToCamel` do.
fn map_word_starts(s: &str, f: fn(char) -> char) -> String {
    let mut prev = ' ';
    s.chars()
        .map(|c| {
            let out = if prev.is_whitespace() { f(c) } else { c };
            prev = c;
            out
        })
        .collect()
}

fn byte_at(a: &[Val]) -> BuiltinResult {
    let (b, i) = (arg_bytes(a, 0)?, arg_int(a, 1)?);
    usize::try_from(i)
        .ok()
        .and_then(|i| b.get(i))
        .map(|x| Val::int(i64::from(*x)))
        .ok_or_else(|| BuiltinError::Call("index out of range".into()))
}

fn byte_slice(a: &[Val]) -> BuiltinResult {
    let (b, start, end) = (arg_bytes(a, 0)?, arg_int(a, 1)?, arg_int(a, 2)?);
    if start < 0 || start > end || end as u64 > b.len() as u64 {
        return Err(BuiltinError::Call("index out of range".into()));
    }
    Ok(Val::bytes(&b[start as usize..end as usize]))
}

fn slice_runes(a: &[Val]) -> BuiltinResult {
    let (s, start, end) = (arg_str(a, 0)?, arg_int(a, 1)?, arg_int(a, 2)?);
    let runes: Vec<char> = s.chars().collect();
    if start < 0 || start > end || end as u64 > runes.len() as u64 {
        return Err(BuiltinError::Call("index out of range".into()));
    }
    Ok(Val::str(
        runes[start as usize..end as usize]
            .iter()
            .collect::<String>(),
    ))
}

fn repeat(a: &[Val]) -> BuiltinResult {
    let (s, count) = (arg_str(a, 0)?, arg_int(a, 1)?);
    if count < 0 {
        return Err(BuiltinError::Call("negative count".into()));
    }
    if count as u64 > MAX_REPEAT_COUNT {
        return Err(BuiltinError::Call(format!(
            "count {count} exceeds limit of {MAX_REPEAT_COUNT}"
        )));
    }
    crate::ops::check_value_size(s.len().saturating_mul(count as usize))
        .map_err(|e| BuiltinError::Call(e.message))?;
    Ok(Val::str(s.repeat(count as usize)))
}

/// Go's `genSplit`: `n < 0` means all parts, `n == 0` none, otherwise at most `n` with the
/// remainder last; an empty separator splits into runes.
pub(super) fn split_generic<'a>(s: &'a str, sep: &str, after: bool, n: i64) -> Vec<&'a str> {
    if n == 0 {
        return Vec::new();
    }
    let limit = if n < 0 { usize::MAX } else { n as usize };
    let mut out = Vec::new();
    if sep.is_empty() {
        let mut rest = s;
        while !rest.is_empty() {
            if out.len() + 1 == limit {
                out.push(rest);
                return out;
            }
            let w = rest.chars().next().map_or(1, char::len_utf8);
            out.push(&rest[..w]);
            rest = &rest[w..];
        }
        return out;
    }
    let mut start = 0;
    while out.len() + 1 < limit {
        let Some(i) = s[start..].find(sep) else { break };
        let end = start + i;
        out.push(if after {
            &s[start..end + sep.len()]
        } else {
            &s[start..end]
        });
        start = end + sep.len();
    }
    out.push(&s[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::super::{call, lookup};
    use super::*;

    fn run(name: &str, args: &[Val]) -> String {
        let b = lookup("strings", name).expect("builtin exists");
        match call(b, args) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    }
    fn s(x: &str) -> Val {
        Val::str(x)
    }

    #[test]
    fn basics() {
        // Reference outputs (cue-ref).
        assert_eq!(
            run("Replace", &[s("aaa"), s(""), s("-"), Val::int(2)]),
            "\"-a-aa\""
        );
        assert_eq!(run("LastIndexAny", &[s("go gopher"), s("ordent")]), "8");
        assert_eq!(run("IndexAny", &[s("chicken"), s("kmr")]), "4");
        assert_eq!(run("TrimLeft", &[s("xxhixx"), s("x")]), "\"hixx\"");
        assert_eq!(run("Count", &[s("cheese"), s("e")]), "3");
        assert_eq!(run("Contains", &[s("seafood"), s("foo")]), "true");
        assert_eq!(
            run("Join", &[Val::List(vec![s("a"), s("b")]), s("-")]),
            "\"a-b\""
        );
        assert_eq!(
            run("Join", &[Val::List(vec![Val::int(1)]), s("-")]),
            "ERR invalid list element 0 in argument 0 to call: cannot use value 1 (int) as string"
        );
        assert_eq!(run("Split", &[s("a,b,c"), s(",")]), r#"["a","b","c"]"#);
        assert_eq!(run("Split", &[s("abc"), s("")]), r#"["a","b","c"]"#);
        assert_eq!(
            run("SplitN", &[s("a,b,c"), s(","), Val::int(2)]),
            r#"["a","b,c"]"#
        );
        assert_eq!(run("SplitN", &[s("a,b,c"), s(","), Val::int(0)]), "[]");
        assert_eq!(
            run("SplitAfter", &[s("a,b,c"), s(",")]),
            r#"["a,","b,","c"]"#
        );
        assert_eq!(
            run("Fields", &[s("  foo bar  baz   ")]),
            r#"["foo","bar","baz"]"#
        );
        assert_eq!(
            run("Fields", &[s(" a\u{a0}b\u{2003}c ")]),
            r#"["a","b","c"]"#
        );
        assert_eq!(
            run(
                "Replace",
                &[s("oink oink oink"), s("k"), s("ky"), Val::int(2)]
            ),
            "\"oinky oinky oink\""
        );
        assert_eq!(
            run("Replace", &[s("abc"), s(""), s("-"), Val::int(-1)]),
            "\"-a-b-c-\""
        );
        assert_eq!(run("Index", &[s("chicken"), s("dmr")]), "-1");
        assert_eq!(run("LastIndex", &[s("go gopher"), s("go")]), "3");
        assert_eq!(run("IndexAny", &[s("golang"), s("y")]), "-1");
        assert_eq!(run("Count", &[s("five"), s("")]), "5");
        assert_eq!(
            run("Trim", &[s("¡¡¡Hello, Gophers!!!"), s("!¡")]),
            "\"Hello, Gophers\""
        );
        assert_eq!(run("TrimSpace", &[s(" \t\n Hello \n\t\r\n")]), "\"Hello\"");
        assert_eq!(run("ToUpper", &[s("Gopher ß")]), "\"GOPHER ß\"");
        assert_eq!(run("ToTitle", &[s("hello world")]), "\"Hello World\"");
        assert_eq!(
            run("ToCamel", &[s("AlphaBeta Gamma")]),
            "\"alphaBeta gamma\""
        );
        assert_eq!(run("Compare", &[s("a"), s("b")]), "-1");
    }

    #[test]
    fn cue_additions() {
        assert_eq!(run("ByteAt", &[Val::bytes(b"a"), Val::int(0)]), "97");
        assert_eq!(
            run("ByteAt", &[s("a"), Val::int(3)]),
            "ERR index out of range"
        );
        assert_eq!(
            run("ByteSlice", &[s("Hello"), Val::int(2), Val::int(5)]),
            "'llo'"
        );
        assert_eq!(run("Runes", &[s("Hello")]), "[72,101,108,108,111]");
        assert_eq!(run("MinRunes", &[s("hello"), Val::int(10)]), "false");
        assert_eq!(run("MaxRunes", &[s("hé"), Val::int(2)]), "true");
        assert_eq!(
            run("SliceRunes", &[s("Hello"), Val::int(1), Val::int(3)]),
            "\"el\""
        );
        assert_eq!(
            run("SliceRunes", &[s("Hello"), Val::int(3), Val::int(1)]),
            "ERR index out of range"
        );
        assert_eq!(run("Repeat", &[s("ab"), Val::int(3)]), "\"ababab\"");
        assert_eq!(
            run("Repeat", &[s("ab"), Val::int(200000000)]),
            "ERR count 200000000 exceeds limit of 1000000"
        );
        assert_eq!(
            run("Repeat", &[s("ab"), Val::int(-1)]),
            "ERR negative count"
        );
    }
}
