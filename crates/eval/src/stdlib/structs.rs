//! The `struct` package: field-count validators.

use super::{arg_int, arg_struct, Builtin, BuiltinError, BuiltinResult, Func, Kind, Val, INT};

const fn f(name: &'static str, func: fn(&[Val]) -> BuiltinResult) -> Builtin {
    Builtin {
        pkg: "struct",
        name,
        params: &[Kind::STRUCT, INT],
        result: Kind::BOOL,
        non_concrete: false,
        last_default: None,
        func: Func::Pure(func),
    }
}

/// The struct passed in holds the regular (non-optional, non-definition) fields to count.
pub(super) const BUILTINS: &[Builtin] = &[
    f("MinFields", |a| {
        let (n, min) = (arg_struct(a, 0)?.len() as i64, arg_int(a, 1)?);
        if n >= min {
            return Ok(Val::Bool(true));
        }
        Err(BuiltinError::Validation(format!(
            "len(fields) < MinFields({min}) ({n} < {min})"
        )))
    }),
    f("MaxFields", |a| {
        let (n, max) = (arg_struct(a, 0)?.len() as i64, arg_int(a, 1)?);
        if n <= max {
            return Ok(Val::Bool(true));
        }
        Err(BuiltinError::Validation(format!(
            "len(fields) > MaxFields({max}) ({n} > {max})"
        )))
    }),
];

#[cfg(test)]
mod tests {
    use super::super::{call, lookup};
    use super::*;

    #[test]
    fn counts() {
        let s = Val::Struct(vec![("c".into(), Val::int(1))]);
        let min = lookup("struct", "MinFields").expect("MinFields");
        assert_eq!(
            call(min, &[s.clone(), Val::int(2)]),
            Err(BuiltinError::Validation(
                "len(fields) < MinFields(2) (1 < 2)".into()
            ))
        );
        assert_eq!(call(min, &[s.clone(), Val::int(1)]), Ok(Val::Bool(true)));
        let max = lookup("struct", "MaxFields").expect("MaxFields");
        assert_eq!(
            call(max, &[s, Val::int(0)]),
            Err(BuiltinError::Validation(
                "len(fields) > MaxFields(0) (1 > 0)".into()
            ))
        );
    }
}
