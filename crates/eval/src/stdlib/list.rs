//! The `list` package. `Sort`, `SortStable`, `IsSorted` and `MatchN` need the evaluator (a
//! comparator struct to unify, or schema matching) and are declared as [`Func::NeedsEval`].

use super::{
    arg_int, arg_list, arg_num, arg_num_list, arg_str_list, decimal_result, Builtin, BuiltinError,
    BuiltinResult, Func, Kind, Val, INT, LIST, NUM, TOP,
};
use crate::num::Decimal;
use crate::ops::MAX_REPEAT_COUNT;

const fn f(
    name: &'static str,
    params: &'static [Kind],
    result: Kind,
    func: fn(&[Val]) -> BuiltinResult,
) -> Builtin {
    Builtin::pure("list", name, params, result, func)
}

const fn needs_eval(
    name: &'static str,
    params: &'static [Kind],
    result: Kind,
    non_concrete: bool,
) -> Builtin {
    Builtin {
        pkg: "list",
        name,
        params,
        result,
        non_concrete,
        last_default: None,
        func: Func::NeedsEval,
    }
}

const B: Kind = Kind::BOOL;

pub(super) const BUILTINS: &[Builtin] = &[
    f("Drop", &[LIST, INT], LIST, |a| {
        let (x, n) = (arg_list(a, 0)?, arg_int(a, 1)?);
        if n < 0 {
            return Err(call_err("negative index"));
        }
        Ok(Val::List(x.get(n as usize..).unwrap_or(&[]).to_vec()))
    }),
    f("FlattenN", &[TOP, INT], LIST, |a| {
        let depth = arg_int(a, 1)?;
        let mut out = Vec::new();
        flatten(&a[0], depth, &mut out)?;
        Ok(Val::List(out))
    }),
    f("Repeat", &[LIST, INT], LIST, |a| {
        let (x, n) = (arg_list(a, 0)?, arg_int(a, 1)?);
        if n < 0 {
            return Err(call_err("negative count"));
        }
        if n as u64 > MAX_REPEAT_COUNT {
            return Err(call_err(&format!(
                "count {n} exceeds limit of {MAX_REPEAT_COUNT}"
            )));
        }
        // Elements become vertices: the repeat count limit alone allows 10^12 of them.
        if x.len().saturating_mul(n as usize) > MAX_REPEAT_COUNT as usize {
            return Err(call_err(&format!(
                "result of {} elements exceeds limit of {MAX_REPEAT_COUNT}",
                x.len().saturating_mul(n as usize)
            )));
        }
        Ok(Val::List(
            x.iter()
                .cloned()
                .cycle()
                .take(x.len() * n as usize)
                .collect(),
        ))
    }),
    f("Concat", &[LIST], LIST, |a| {
        let mut out = Vec::new();
        for v in arg_list(a, 0)? {
            match v {
                Val::List(items) => out.extend(items.iter().cloned()),
                v => {
                    return Err(call_err(&format!(
                        "cannot use value {v} (type {}) as list",
                        v.kind()
                    )))
                }
            }
        }
        Ok(Val::List(out))
    }),
    f("Take", &[LIST, INT], LIST, |a| {
        let (x, n) = (arg_list(a, 0)?, arg_int(a, 1)?);
        if n < 0 {
            return Err(call_err("negative index"));
        }
        Ok(Val::List(x[..(n as usize).min(x.len())].to_vec()))
    }),
    f("Slice", &[LIST, INT, INT], LIST, |a| {
        let (x, i, j) = (arg_list(a, 0)?, arg_int(a, 1)?, arg_int(a, 2)?);
        if i < 0 {
            return Err(call_err("negative index"));
        }
        if i > j {
            return Err(call_err(&format!("invalid index: {i} > {j}")));
        }
        if i as u64 > x.len() as u64 || j as u64 > x.len() as u64 {
            return Err(call_err("slice bounds out of range"));
        }
        Ok(Val::List(x[i as usize..j as usize].to_vec()))
    }),
    f("Reverse", &[LIST], LIST, |a| {
        let mut x = arg_list(a, 0)?.to_vec();
        x.reverse();
        Ok(Val::List(x))
    }),
    f("MinItems", &[LIST, INT], B, |a| {
        let (x, n) = (arg_list(a, 0)?, arg_int(a, 1)?);
        let count = x.len() as i64;
        if count >= n {
            return Ok(Val::Bool(true));
        }
        Err(BuiltinError::Validation(format!(
            "len(list) < MinItems({n}) ({count} < {n})"
        )))
    }),
    f("MaxItems", &[LIST, INT], B, |a| {
        let (x, n) = (arg_list(a, 0)?, arg_int(a, 1)?);
        let count = x.len() as i64;
        if count > n {
            return Err(BuiltinError::Validation(format!(
                "len(list) > MaxItems({n}) ({count} > {n})"
            )));
        }
        Ok(Val::Bool(true))
    }),
    f("UniqueItems", &[LIST], B, |a| {
        let x = arg_list(a, 0)?;
        for (i, v) in x.iter().enumerate() {
            for (j, w) in x.iter().enumerate().skip(i + 1) {
                if v.equals(w) {
                    let msg = match v {
                        Val::List(_) | Val::Struct(_) => {
                            format!("equal values at position {i} and {j}")
                        }
                        v => format!("equal value ({v}) at position {i} and {j}"),
                    };
                    return Err(BuiltinError::Validation(msg));
                }
            }
        }
        Ok(Val::Bool(true))
    }),
    f("Contains", &[LIST, TOP], B, |a| {
        Ok(Val::Bool(arg_list(a, 0)?.iter().any(|v| v.equals(&a[1]))))
    }),
    needs_eval("MatchN", &[LIST, TOP, TOP], B, true),
    f("Avg", &[LIST], NUM, |a| {
        let xs = arg_num_list(a, 0)?;
        if xs.is_empty() {
            return Err(call_err("empty list"));
        }
        let sum = sum(xs.iter().map(|n| n.decimal()))?;
        let avg = sum
            .quo(&Decimal::from_u64(xs.len() as u64))
            .map_err(arith)?;
        Ok(decimal_result(avg))
    }),
    f("Max", &[LIST], NUM, |a| {
        let xs = arg_num_list(a, 0)?;
        let max = xs
            .iter()
            .copied()
            .reduce(|m, x| if m.num_cmp(x).is_lt() { x } else { m });
        max.map(|m| decimal_result(m.decimal().clone()))
            .ok_or_else(|| call_err("empty list"))
    }),
    f("Min", &[LIST], NUM, |a| {
        let xs = arg_num_list(a, 0)?;
        let min = xs
            .iter()
            .copied()
            .reduce(|m, x| if m.num_cmp(x).is_gt() { x } else { m });
        min.map(|m| decimal_result(m.decimal().clone()))
            .ok_or_else(|| call_err("empty list"))
    }),
    f("Product", &[LIST], NUM, |a| {
        let mut p = Decimal::from_i64(1);
        for x in arg_num_list(a, 0)? {
            p = x.decimal().mul(&p).map_err(arith)?;
        }
        Ok(decimal_result(p))
    }),
    f("Range", &[NUM, NUM, NUM], LIST, range),
    f("Sum", &[LIST], NUM, |a| {
        let xs = arg_num_list(a, 0)?;
        Ok(decimal_result(sum(xs.iter().map(|n| n.decimal()))?))
    }),
    needs_eval("Sort", &[LIST, TOP], LIST, false),
    needs_eval("SortStable", &[LIST, TOP], LIST, false),
    f("SortStrings", &[LIST], LIST, |a| {
        let mut xs = arg_str_list(a, 0)?;
        xs.sort_unstable();
        Ok(Val::List(xs.into_iter().map(Val::str).collect()))
    }),
    needs_eval("IsSorted", &[LIST, TOP], B, false),
    f("IsSortedStrings", &[LIST], B, |a| {
        let xs = arg_str_list(a, 0)?;
        Ok(Val::Bool(xs.windows(2).all(|w| w[0] <= w[1])))
    }),
];

/// Extra declarations of the package, written in CUE: the comparators for `list.Sort`.
pub(super) const CUE_SOURCE: &str = r#"{
	Comparer: {
		T:    _
		x:    T
		y:    T
		less: bool
	}
	Ascending: {
		Comparer
		T:    number | string
		x:    T
		y:    T
		less: x < y
	}
	Descending: {
		Comparer
		T:    number | string
		x:    T
		y:    T
		less: x > y
	}
}"#;

fn call_err(msg: &str) -> BuiltinError {
    BuiltinError::Call(msg.to_string())
}

fn arith(c: crate::num::Condition) -> BuiltinError {
    BuiltinError::Call(c.to_string())
}

fn sum<'a>(xs: impl Iterator<Item = &'a Decimal>) -> Result<Decimal, BuiltinError> {
    let mut s = Decimal::zero();
    for x in xs {
        s = x.add(&s).map_err(arith)?;
    }
    Ok(s)
}

fn flatten(v: &Val, depth: i64, out: &mut Vec<Val>) -> Result<(), BuiltinError> {
    let Val::List(items) = v else {
        return Err(call_err(&format!(
            "cannot use value {v} (type {}) as list",
            v.kind()
        )));
    };
    for item in items {
        match item {
            Val::List(_) if depth != 0 => flatten(item, depth - 1, out)?,
            _ => out.push(item.clone()),
        }
    }
    Ok(())
}

fn range(a: &[Val]) -> BuiltinResult {
    let (start, limit, step) = (arg_num(a, 0)?, arg_num(a, 1)?, arg_num(a, 2)?);
    let (start, limit, step) = (start.decimal(), limit.decimal(), step.decimal());
    if step.is_zero() {
        return Err(call_err("step must be non zero"));
    }
    let up = !step.sign_bit();
    if up && start > limit {
        return Err(call_err(
            "end must be greater than start when step is positive",
        ));
    }
    if !up && start < limit {
        return Err(call_err(
            "end must be less than start when step is negative",
        ));
    }
    let mut out = Vec::new();
    let mut num = start.clone();
    while (up && num < *limit) || (!up && num > *limit) {
        if out.len() as u64 >= MAX_REPEAT_COUNT * 10 {
            return Err(call_err("range too large"));
        }
        out.push(decimal_result(num.clone()));
        num = step.add(&num).map_err(arith)?;
    }
    Ok(Val::List(out))
}

#[cfg(test)]
mod tests {
    use super::super::{call, call_direct, lookup};
    use super::*;
    use crate::num::Number;

    fn run(name: &str, args: &[Val]) -> String {
        let b = lookup("list", name).expect("builtin exists");
        match call(b, args) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    }
    fn ints(xs: &[i64]) -> Val {
        Val::List(xs.iter().map(|&x| Val::int(x)).collect())
    }
    fn fl(x: &str) -> Val {
        Val::Num(Number::from_float_text(x).expect("float"))
    }

    #[test]
    fn slicing() {
        assert_eq!(run("Drop", &[ints(&[1, 2, 3]), Val::int(1)]), "[2,3]");
        assert_eq!(run("Drop", &[ints(&[1]), Val::int(5)]), "[]");
        assert_eq!(
            run("Drop", &[ints(&[1]), Val::int(-1)]),
            "ERR negative index"
        );
        assert_eq!(run("Take", &[ints(&[1, 2, 3]), Val::int(2)]), "[1,2]");
        assert_eq!(
            run("Slice", &[ints(&[1, 2, 3]), Val::int(1), Val::int(2)]),
            "[2]"
        );
        assert_eq!(
            run("Slice", &[ints(&[1]), Val::int(3), Val::int(1)]),
            "ERR invalid index: 3 > 1"
        );
        assert_eq!(
            run("Slice", &[ints(&[1]), Val::int(0), Val::int(3)]),
            "ERR slice bounds out of range"
        );
        assert_eq!(run("Reverse", &[ints(&[1, 2, 3])]), "[3,2,1]");
        assert_eq!(run("Repeat", &[ints(&[1, 2]), Val::int(2)]), "[1,2,1,2]");
        assert_eq!(
            run("Repeat", &[ints(&[1]), Val::int(200000000)]),
            "ERR count 200000000 exceeds limit of 1000000"
        );
        assert_eq!(
            run("Concat", &[Val::List(vec![ints(&[1]), ints(&[2, 3])])]),
            "[1,2,3]"
        );
        assert_eq!(
            run("Concat", &[Val::List(vec![Val::int(1)])]),
            "ERR cannot use value 1 (type int) as list"
        );
        let nested = Val::List(vec![Val::int(1), Val::List(vec![Val::int(2), ints(&[3])])]);
        assert_eq!(run("FlattenN", &[nested.clone(), Val::int(-1)]), "[1,2,3]");
        assert_eq!(run("FlattenN", &[nested, Val::int(1)]), "[1,2,[3]]");
        assert_eq!(
            run("FlattenN", &[Val::str("foo"), Val::int(1)]),
            "ERR cannot use value \"foo\" (type string) as list"
        );
    }

    #[test]
    fn arithmetic() {
        // Reference outputs (cue-ref): the running sum keeps apd's scale.
        assert_eq!(
            run("Range", &[Val::int(0), Val::int(1), fl("0.25")]),
            "[0,0.25,0.50,0.75]"
        );
        assert_eq!(run("Sum", &[Val::List(vec![fl("0.1"), fl("0.2")])]), "0.3");
        assert_eq!(run("Sum", &[ints(&[1, 2, 3])]), "6");
        assert_eq!(run("Sum", &[Val::List(vec![fl("1.5"), fl("2.5")])]), "4");
        assert_eq!(run("Sum", &[Val::List(vec![fl("1.5"), fl("2.2")])]), "3.7");
        assert_eq!(run("Avg", &[ints(&[1, 2])]), "1.5");
        assert_eq!(run("Avg", &[ints(&[])]), "ERR empty list");
        assert_eq!(run("Max", &[ints(&[1, 5, 3])]), "5");
        assert_eq!(run("Min", &[ints(&[])]), "ERR empty list");
        assert_eq!(run("Product", &[ints(&[2, 3, 4])]), "24");
        assert_eq!(
            run("Range", &[Val::int(0), Val::int(5), Val::int(2)]),
            "[0,2,4]"
        );
        assert_eq!(
            run("Range", &[fl("0.0"), Val::int(1), fl("0.5")]),
            "[0,0.5]"
        );
        assert_eq!(
            run("Range", &[Val::int(5), Val::int(0), Val::int(-2)]),
            "[5,3,1]"
        );
        assert_eq!(
            run("Range", &[Val::int(0), Val::int(5), Val::int(0)]),
            "ERR step must be non zero"
        );
        assert_eq!(
            run("Range", &[Val::int(5), Val::int(0), Val::int(1)]),
            "ERR end must be greater than start when step is positive"
        );
        assert_eq!(run("Sum", &[Val::List(vec![Val::str("a")])]),
            "ERR invalid list element 0 in argument 0 to call: cannot use value \"a\" (string) as number");
    }

    #[test]
    fn validators() {
        assert_eq!(
            run("MinItems", &[ints(&[1]), Val::int(3)]),
            "ERR len(list) < MinItems(3) (1 < 3)"
        );
        let min = lookup("list", "MinItems").expect("MinItems");
        assert_eq!(
            call_direct(min, &[ints(&[1]), Val::int(3)]),
            Ok(Val::Bool(false))
        );
        assert_eq!(
            run("MaxItems", &[ints(&[1, 2]), Val::int(1)]),
            "ERR len(list) > MaxItems(1) (2 > 1)"
        );
        assert_eq!(
            run("UniqueItems", &[ints(&[1, 2, 1])]),
            "ERR equal value (1) at position 0 and 2"
        );
        assert_eq!(run("UniqueItems", &[ints(&[1, 2])]), "true");
        assert_eq!(run("Contains", &[ints(&[1, 2]), fl("2.0")]), "true");
        assert_eq!(
            run(
                "SortStrings",
                &[Val::List(vec![Val::str("b"), Val::str("a")])]
            ),
            r#"["a","b"]"#
        );
    }
}
