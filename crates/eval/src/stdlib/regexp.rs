//! The `regexp` package over Go-compatible regular expressions (see `ops::regex`).

use std::sync::Arc;

use regex::Regex;

use super::{arg_int, arg_str, Builtin, BuiltinError, BuiltinResult, Kind, Val, INT, STR};
use crate::ops::regex::compile;

const fn f(
    name: &'static str,
    params: &'static [Kind],
    result: Kind,
    func: fn(&[Val]) -> BuiltinResult,
) -> Builtin {
    Builtin::pure("regexp", name, params, result, func)
}

const L: Kind = Kind::LIST;

pub(super) const BUILTINS: &[Builtin] = &[
    f("Find", &[STR, STR], STR, |a| {
        let (re, s) = (re(a)?, arg_str(a, 1)?);
        re.find(s)
            .map(|m| Val::str(m.as_str()))
            .ok_or_else(no_match)
    }),
    f("FindAll", &[STR, STR, INT], L, |a| {
        let (re, s, n) = (re(a)?, arg_str(a, 1)?, limit(a)?);
        let all: Vec<Val> = re
            .find_iter(s)
            .take(n)
            .map(|m| Val::str(m.as_str()))
            .collect();
        non_empty(all)
    }),
    f("FindAllNamedSubmatch", &[STR, STR, INT], L, |a| {
        let (re, s, n) = (re(a)?, arg_str(a, 1)?, limit(a)?);
        let all: Vec<Val> = re
            .captures_iter(s)
            .take(n)
            .map(|c| named(&re, &c))
            .collect();
        non_empty(all)
    }),
    f("FindAllSubmatch", &[STR, STR, INT], L, |a| {
        let (re, s, n) = (re(a)?, arg_str(a, 1)?, limit(a)?);
        let all: Vec<Val> = re.captures_iter(s).take(n).map(|c| groups(&c)).collect();
        non_empty(all)
    }),
    f("FindNamedSubmatch", &[STR, STR], Kind::STRUCT, |a| {
        let (re, s) = (re(a)?, arg_str(a, 1)?);
        re.captures(s).map(|c| named(&re, &c)).ok_or_else(no_match)
    }),
    f("FindSubmatch", &[STR, STR], L, |a| {
        let (re, s) = (re(a)?, arg_str(a, 1)?);
        re.captures(s).map(|c| groups(&c)).ok_or_else(no_match)
    }),
    f("ReplaceAll", &[STR, STR, STR], STR, |a| {
        let (re, s, repl) = (re(a)?, arg_str(a, 1)?, arg_str(a, 2)?);
        Ok(Val::str(re.replace_all(s, repl)))
    }),
    f("ReplaceAllLiteral", &[STR, STR, STR], STR, |a| {
        let (re, s, repl) = (re(a)?, arg_str(a, 1)?, arg_str(a, 2)?);
        Ok(Val::str(re.replace_all(s, regex::NoExpand(repl))))
    }),
    f("Valid", &[STR], Kind::BOOL, |a| {
        re(a).map(|_| Val::Bool(true))
    }),
    f("Match", &[STR, STR], Kind::BOOL, |a| {
        Ok(Val::Bool(re(a)?.is_match(arg_str(a, 1)?)))
    }),
    f("QuoteMeta", &[STR], STR, |a| {
        Ok(Val::str(quote_meta(arg_str(a, 0)?)))
    }),
];

fn re(a: &[Val]) -> Result<Arc<Regex>, BuiltinError> {
    compile(arg_str(a, 0)?).map_err(BuiltinError::Call)
}

fn no_match() -> BuiltinError {
    BuiltinError::Call("no match".into())
}

/// Go's `n` argument: negative means all matches.
fn limit(a: &[Val]) -> Result<usize, BuiltinError> {
    let n = arg_int(a, 2)?;
    Ok(if n < 0 { usize::MAX } else { n as usize })
}

fn non_empty(all: Vec<Val>) -> BuiltinResult {
    if all.is_empty() {
        Err(no_match())
    } else {
        Ok(Val::List(all))
    }
}

/// All groups of one match; groups that did not participate are `""` as in Go.
fn groups(c: &regex::Captures<'_>) -> Val {
    Val::List(
        c.iter()
            .map(|m| Val::str(m.map_or("", |m| m.as_str())))
            .collect(),
    )
}

/// Named groups as a struct (a Go map, so the keys come out sorted).
fn named(re: &Regex, c: &regex::Captures<'_>) -> Val {
    let mut fields: Vec<(String, Val)> = re
        .capture_names()
        .flatten()
        .map(|n| {
            (
                n.to_string(),
                Val::str(c.name(n).map_or("", |m| m.as_str())),
            )
        })
        .collect();
    fields.sort_by(|x, y| x.0.cmp(&y.0));
    fields.dedup_by(|x, y| x.0 == y.0);
    Val::Struct(fields)
}

/// Go's `regexp.QuoteMeta`.
fn quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if r"\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{call, lookup};
    use super::*;

    fn run(name: &str, args: &[Val]) -> String {
        let b = lookup("regexp", name).expect("builtin exists");
        match call(b, args) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    }
    fn s(x: &str) -> Val {
        Val::str(x)
    }

    #[test]
    fn matching() {
        // Reference outputs (cue-ref): Go drops an empty match right after a match.
        assert_eq!(
            run("FindAll", &[s("a*"), s("baaab"), Val::int(-1)]),
            r#"["","aaa",""]"#
        );
        assert_eq!(
            run("FindSubmatch", &[s("(a)|(b)"), s("b")]),
            r#"["b","","b"]"#
        );
        assert_eq!(run("Match", &[s("^\\d+$"), s("\u{663}")]), "false");
        assert_eq!(run("Find", &[s(r"f[a-z]+"), s("afoo bar")]), "\"foo\"");
        assert_eq!(run("Find", &[s("x"), s("abc")]), "ERR no match");
        assert_eq!(
            run("FindAll", &[s("a."), s("abacad"), Val::int(-1)]),
            r#"["ab","ac","ad"]"#
        );
        assert_eq!(
            run("FindAll", &[s("a."), s("abacad"), Val::int(2)]),
            r#"["ab","ac"]"#
        );
        assert_eq!(
            run("FindSubmatch", &[s("a(x*)b(y)?"), s("-axxb-")]),
            r#"["axxb","xx",""]"#
        );
        assert_eq!(
            run(
                "FindNamedSubmatch",
                &[s(r"(?P<last>\w+) (?P<first>\w+)"), s("Doe John")]
            ),
            r#"{first:"John",last:"Doe"}"#
        );
        assert_eq!(
            run("FindAllSubmatch", &[s("a(.)"), s("abac"), Val::int(-1)]),
            r#"[["ab","b"],["ac","c"]]"#
        );
        assert_eq!(
            run("ReplaceAll", &[s("a(x*)b"), s("-ab-axxb-"), s("${1}W")]),
            "\"-W-xxW-\""
        );
        assert_eq!(
            run("ReplaceAllLiteral", &[s("a(x*)b"), s("-ab-"), s("$1")]),
            "\"-$1-\""
        );
        assert_eq!(run("Match", &[s("^[a-z]+$"), s("abc")]), "true");
        assert_eq!(
            run("Valid", &[s("invalid)")]),
            "ERR error parsing regexp: unexpected ): `invalid)`"
        );
        assert_eq!(run("QuoteMeta", &[s("1.5+x")]), r#""1\\.5\\+x""#);
    }
}
