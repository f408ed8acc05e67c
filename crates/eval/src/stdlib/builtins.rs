//! The predeclared integer-division functions `quo rem div mod`.

use super::{arg_num, Builtin, BuiltinError, BuiltinResult, Func, Kind, Val, INT};
use crate::num::{NumError, Number};

const fn int_fn(name: &'static str, f: fn(&[Val]) -> BuiltinResult) -> Builtin {
    Builtin {
        pkg: "",
        name,
        params: &[INT, INT],
        result: Kind::INT,
        non_concrete: false,
        last_default: None,
        func: Func::Pure(f),
    }
}

pub(super) const BUILTINS: &[Builtin] = &[
    int_fn("quo", |a| int_op(a, Number::quo)),
    int_fn("rem", |a| int_op(a, Number::rem)),
    int_fn("div", |a| int_op(a, Number::int_div)),
    int_fn("mod", |a| int_op(a, Number::int_mod)),
];

fn int_op(args: &[Val], f: fn(&Number, &Number) -> Result<Number, NumError>) -> BuiltinResult {
    let (x, y) = (arg_num(args, 0)?, arg_num(args, 1)?);
    f(x, y)
        .map(Val::Num)
        .map_err(|e| BuiltinError::Call(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::{call, lookup};
    use super::*;

    #[test]
    fn euclidean_and_truncated() {
        let run = |name: &str, a: i64, b: i64| {
            let f = lookup("", name).expect("builtin");
            match call(f, &[Val::int(a), Val::int(b)]) {
                Ok(v) => v.to_string(),
                Err(e) => format!("ERR {e}"),
            }
        };
        assert_eq!(run("div", -7, 2), "-4");
        assert_eq!(run("mod", -7, 2), "1");
        assert_eq!(run("quo", -7, 2), "-3");
        assert_eq!(run("rem", -7, 2), "-1");
        assert_eq!(run("div", 1, 2), "0");
        assert_eq!(run("div", 0, 0), "ERR division by zero");
    }
}
