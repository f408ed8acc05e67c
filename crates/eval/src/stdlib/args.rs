//! Argument extraction for builtins, with cue's conversion error texts (0-based argument
//! indices, as cue's call context reports them).

use crate::num::Number;

use super::{BuiltinError, Kind, Val};

fn invalid(v: &Val, i: usize, typ: &str) -> BuiltinError {
    BuiltinError::Call(format!(
        "cannot use {v} (type {}) as {typ} in argument {i}",
        v.kind()
    ))
}

fn get(args: &[Val], i: usize) -> Result<&Val, BuiltinError> {
    args.get(i)
        .ok_or_else(|| BuiltinError::Call(format!("missing argument {i}")))
}

/// A string argument.
pub fn arg_str(args: &[Val], i: usize) -> Result<&str, BuiltinError> {
    match get(args, i)? {
        Val::Str(s) => Ok(s),
        v => Err(invalid(v, i, "string")),
    }
}

/// A bytes argument; strings are accepted as their UTF-8 bytes.
pub fn arg_bytes(args: &[Val], i: usize) -> Result<&[u8], BuiltinError> {
    match get(args, i)? {
        Val::Str(s) => Ok(s.as_bytes()),
        Val::Bytes(b) => Ok(b),
        v => Err(invalid(v, i, "bytes")),
    }
}

pub fn arg_bool(args: &[Val], i: usize) -> Result<bool, BuiltinError> {
    match get(args, i)? {
        Val::Bool(b) => Ok(*b),
        v => Err(invalid(v, i, "bool")),
    }
}

/// Any number.
pub fn arg_num(args: &[Val], i: usize) -> Result<&Number, BuiltinError> {
    match get(args, i)? {
        Val::Num(n) => Ok(n),
        v => Err(invalid(v, i, "number")),
    }
}

/// An integer that fits Go's `int` (64 bits).
pub fn arg_int(args: &[Val], i: usize) -> Result<i64, BuiltinError> {
    arg_int_bits(args, i, 64, "int64")
}

/// An integer of at most `bits` bits (signed), named `typ` in messages.
pub fn arg_int_bits(args: &[Val], i: usize, bits: u32, typ: &str) -> Result<i64, BuiltinError> {
    let v = get(args, i)?;
    let Val::Num(n) = v else {
        return Err(invalid(v, i, typ));
    };
    let Some(b) = n.to_bigint().filter(|_| n.is_int()) else {
        return Err(invalid(v, i, typ));
    };
    if b.bits() > u64::from(bits) {
        return Err(BuiltinError::Call(format!(
            "int {b} overflows {typ} in argument {i}"
        )));
    }
    n.to_i64()
        .ok_or_else(|| BuiltinError::Call(format!("int {b} overflows {typ} in argument {i}")))
}

/// A non-negative integer of at most `bits` bits.
pub fn arg_uint_bits(args: &[Val], i: usize, bits: u32, typ: &str) -> Result<u64, BuiltinError> {
    let v = get(args, i)?;
    let Val::Num(n) = v else {
        return Err(invalid(v, i, typ));
    };
    let Some(b) = n
        .to_bigint()
        .filter(|b| n.is_int() && b.sign() != num_bigint::Sign::Minus)
    else {
        return Err(invalid(v, i, typ));
    };
    if b.bits() > u64::from(bits) {
        return Err(BuiltinError::Call(format!(
            "int {b} overflows {typ} in argument {i}"
        )));
    }
    n.to_u64()
        .ok_or_else(|| BuiltinError::Call(format!("int {b} overflows {typ} in argument {i}")))
}

/// An arbitrary-size integer.
pub fn arg_bigint(args: &[Val], i: usize) -> Result<num_bigint::BigInt, BuiltinError> {
    let v = get(args, i)?;
    match v {
        Val::Num(n) if n.is_int() => n.to_bigint().ok_or_else(|| invalid(v, i, "int")),
        _ => Err(invalid(v, i, "int")),
    }
}

/// A number converted to float64 like cue's `Float64` argument: out-of-range values are errors.
pub fn arg_f64(args: &[Val], i: usize) -> Result<f64, BuiltinError> {
    let v = get(args, i)?;
    let Val::Num(n) = v else {
        return Err(invalid(v, i, "float64"));
    };
    let f = n.to_f64();
    if f.is_infinite() {
        let dir = if f > 0.0 { "up" } else { "down" };
        return Err(BuiltinError::Call(format!(
            "cannot use {v} (type {}) as float64 in argument {i}: value was rounded {dir}",
            v.kind()
        )));
    }
    Ok(f)
}

pub fn arg_list(args: &[Val], i: usize) -> Result<&[Val], BuiltinError> {
    match get(args, i)? {
        Val::List(l) => Ok(l),
        v => Err(invalid(v, i, "list")),
    }
}

pub fn arg_struct(args: &[Val], i: usize) -> Result<&[(String, Val)], BuiltinError> {
    match get(args, i)? {
        Val::Struct(s) => Ok(s),
        v => Err(invalid(v, i, "struct")),
    }
}

/// A list of strings, with cue's per-element message.
pub fn arg_str_list(args: &[Val], i: usize) -> Result<Vec<&str>, BuiltinError> {
    arg_list(args, i)?
        .iter()
        .enumerate()
        .map(|(j, v)| match v {
            Val::Str(s) => Ok(&**s),
            v => Err(bad_element(j, i, v, "string")),
        })
        .collect()
}

/// A list of numbers, with cue's per-element message.
pub fn arg_num_list(args: &[Val], i: usize) -> Result<Vec<&Number>, BuiltinError> {
    arg_list(args, i)?
        .iter()
        .enumerate()
        .map(|(j, v)| match v {
            Val::Num(n) => Ok(n),
            v => Err(bad_element(j, i, v, "number")),
        })
        .collect()
}

fn bad_element(j: usize, i: usize, v: &Val, want: &str) -> BuiltinError {
    BuiltinError::Call(format!(
        "invalid list element {j} in argument {i} to call: cannot use value {v} ({}) as {want}",
        v.kind()
    ))
}

/// A Go `int`/`float64` result as cue converts it: ints are ints; floats become the shortest
/// decimal; NaN and infinities are errors.
pub fn float_result(f: f64) -> Result<Val, BuiltinError> {
    Number::from_f64(f)
        .map(Val::Num)
        .ok_or_else(|| BuiltinError::Call(format!("invalid float: {}", go_float_name(f))))
}

fn go_float_name(f: f64) -> &'static str {
    if f.is_nan() {
        "NaN"
    } else if f > 0.0 {
        "+Inf"
    } else {
        "-Inf"
    }
}

/// A decimal result as cue converts an `*apd.Decimal`: integral values become ints.
pub fn decimal_result(d: crate::num::Decimal) -> Val {
    match d.to_integral_exact() {
        Some(i) => Val::Num(Number::Int(i)),
        None => Val::Num(Number::Float(d)),
    }
}

/// Shorthand for declaring the kinds of a parameter list.
pub const STR: Kind = Kind::STRING;
pub const INT: Kind = Kind::INT;
pub const NUM: Kind = Kind::NUMBER;
pub const LIST: Kind = Kind::LIST;
pub const BOOL: Kind = Kind::BOOL;
pub const TOP: Kind = Kind::TOP;
pub const BYTES_STR: Kind = Kind::BYTES.or(Kind::STRING);
