//! The concrete operators of CUE on scalars, with cue's results and error wording.
//!
//! The evaluator calls [`binary`] and [`unary`] once both operands are concrete scalars. Lists
//! and structs (`==` on them, the "superseded by list.Concat" errors) stay with the evaluator;
//! [`invalid_operands`] gives it the shared message text.

pub mod regex;

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use ferrocue_parser::ast::{BinaryOp, UnaryOp};

use crate::num::Number;
use crate::scalar::Scalar;

/// Largest count accepted by string/bytes multiplication (and `strings.Repeat`, `list.Repeat`).
pub const MAX_REPEAT_COUNT: u64 = 1_000_000;

/// Largest string or bytes value (in bytes) that concatenation or repetition may build, and
/// largest list (in elements) `list.Repeat` may build. cue has no such limit; without one,
/// `a: strings.Repeat(b, 1000000)` with a long `b` aborts the process on allocation failure.
/// See spec/robustness.md.
pub const MAX_VALUE_SIZE: usize = 64 << 20;

/// Checks that a value of `len` bytes or elements may be built.
pub fn check_value_size(len: usize) -> Result<(), OpError> {
    if len > MAX_VALUE_SIZE {
        return Err(OpError::new(format!(
            "value too large: {len} bytes or elements exceed the limit of {MAX_VALUE_SIZE}"
        )));
    }
    Ok(())
}

/// A failed operation; `message` is cue's text (without the field path or positions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpError {
    pub message: String,
}

impl OpError {
    fn new(message: impl Into<String>) -> OpError {
        OpError {
            message: message.into(),
        }
    }
}

impl fmt::Display for OpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OpError {}

/// The operator as cue prints it in messages.
pub fn op_symbol(op: BinaryOp) -> &'static str {
    use BinaryOp::*;
    match op {
        Or => "|",
        And => "&",
        LogicalOr => "||",
        LogicalAnd => "&&",
        Equal => "==",
        NotEqual => "!=",
        Less => "<",
        LessEq => "<=",
        Greater => ">",
        GreaterEq => ">=",
        Match => "=~",
        NotMatch => "!~",
        Add => "+",
        Sub => "-",
        Mul => "*",
        Div => "/",
    }
}

/// The unary operator as cue prints it.
pub fn unary_symbol(op: UnaryOp) -> &'static str {
    use UnaryOp::*;
    match op {
        Neg => "-",
        Pos => "+",
        Not => "!",
        Default => "*",
        NotEqual => "!=",
        Less => "<",
        LessEq => "<=",
        Greater => ">",
        GreaterEq => ">=",
        Match => "=~",
        NotMatch => "!~",
        Equal => "==",
    }
}

/// `invalid operands 1 and "a" to '+' (type int and string)`; the texts are the operands as
/// cue prints values in messages.
pub fn invalid_operands(a: &str, b: &str, op: BinaryOp, a_kind: &str, b_kind: &str) -> String {
    format!(
        "invalid operands {a} and {b} to '{}' (type {a_kind} and {b_kind})",
        op_symbol(op)
    )
}

fn invalid(op: BinaryOp, a: &Scalar, b: &Scalar) -> OpError {
    OpError::new(invalid_operands(
        &a.to_message_text(),
        &b.to_message_text(),
        op,
        a.kind_name(),
        b.kind_name(),
    ))
}

/// cue's "cannot use X (type K) as type W in OP" for an operand of the wrong kind.
fn cannot_use(v: &Scalar, want: &str, context: &str) -> OpError {
    OpError::new(format!(
        "cannot use {} (type {}) as type {want} in {context}",
        v.to_message_text(),
        v.kind_name()
    ))
}

/// Applies a binary operator to two concrete scalars.
pub fn binary(op: BinaryOp, a: &Scalar, b: &Scalar) -> Result<Scalar, OpError> {
    use BinaryOp::*;
    use Scalar as S;
    match op {
        Equal | NotEqual => {
            let eq = match (a, b) {
                (S::Num(x), S::Num(y)) => x.num_eq(y),
                _ => a.equals(b),
            };
            Ok(S::Bool(eq == (op == Equal)))
        }
        Less | LessEq | Greater | GreaterEq => {
            let ord = match (a, b) {
                (S::Str(x), S::Str(y)) => x.as_bytes().cmp(y.as_bytes()),
                (S::Bytes(x), S::Bytes(y)) => x.cmp(y),
                (S::Num(x), S::Num(y)) => x.num_cmp(y),
                _ => return Err(invalid(op, a, b)),
            };
            Ok(S::Bool(match op {
                Less => ord == Ordering::Less,
                LessEq => ord != Ordering::Greater,
                Greater => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            }))
        }
        LogicalAnd | LogicalOr => {
            let x = bool_operand(a, op)?;
            let y = bool_operand(b, op)?;
            Ok(S::Bool(if op == LogicalAnd { x && y } else { x || y }))
        }
        Match | NotMatch => {
            let pattern = match b {
                S::Str(s) => s.to_string(),
                S::Bytes(p) => String::from_utf8_lossy(p).into_owned(),
                _ => {
                    return Err(OpError::new(format!(
                        "cannot use {} (type {}) as type (string|bytes)",
                        b.to_message_text(),
                        b.kind_name()
                    )))
                }
            };
            let S::Str(text) = a else {
                return Err(cannot_use(a, "string", op_symbol(op)));
            };
            let re = regex::compile(&pattern)
                .map_err(|e| OpError::new(format!("invalid regexp: {e}")))?;
            Ok(S::Bool(re.is_match(text) == (op == Match)))
        }
        Add => match (a, b) {
            (S::Num(x), S::Num(y)) => num_result(x.add(y)),
            (S::Str(x), S::Str(y)) => {
                check_value_size(x.len().saturating_add(y.len()))?;
                let mut s = String::with_capacity(x.len() + y.len());
                s.push_str(x);
                s.push_str(y);
                Ok(S::Str(Arc::from(s)))
            }
            (S::Bytes(x), S::Bytes(y)) => {
                check_value_size(x.len().saturating_add(y.len()))?;
                Ok(S::Bytes([&x[..], &y[..]].concat().into()))
            }
            _ => Err(invalid(op, a, b)),
        },
        Sub => {
            let (S::Num(x), S::Num(y)) = (a, b) else {
                let bad = if matches!(a, S::Num(_)) { b } else { a };
                return Err(cannot_use(bad, "number", "-"));
            };
            num_result(x.sub(y))
        }
        Mul => match (a, b) {
            (S::Num(x), S::Num(y)) => num_result(x.mul(y)),
            (S::Str(s), S::Num(n)) | (S::Num(n), S::Str(s)) if n.is_int() => {
                let count = repeat_count(n, "string multiplication")?;
                check_value_size(s.len().saturating_mul(count))?;
                Ok(S::Str(Arc::from(s.repeat(count))))
            }
            (S::Bytes(s), S::Num(n)) | (S::Num(n), S::Bytes(s)) if n.is_int() => {
                let count = repeat_count(n, "bytes multiplication")?;
                check_value_size(s.len().saturating_mul(count))?;
                Ok(S::Bytes(s.repeat(count).into()))
            }
            _ => Err(invalid(op, a, b)),
        },
        Div => match (a, b) {
            (S::Num(x), S::Num(y)) => num_result(x.div(y)),
            _ => Err(invalid(op, a, b)),
        },
        Or | And => Err(OpError::new(format!(
            "operator '{}' is not a scalar operation",
            op_symbol(op)
        ))),
    }
}

fn num_result(r: Result<Number, crate::num::NumError>) -> Result<Scalar, OpError> {
    r.map(Scalar::Num).map_err(|e| OpError::new(e.to_string()))
}

fn bool_operand(v: &Scalar, op: BinaryOp) -> Result<bool, OpError> {
    match v {
        Scalar::Bool(b) => Ok(*b),
        _ => Err(cannot_use(v, "bool", op_symbol(op))),
    }
}

/// The repetition count of `"ab" * n`, with cue's limits and messages.
pub fn repeat_count(n: &Number, what: &str) -> Result<usize, OpError> {
    if n.is_negative() {
        return Err(OpError::new("cannot convert negative number to uint64"));
    }
    let Some(count) = n.to_u64() else {
        return Err(OpError::new(format!(
            "cannot convert number {} to uint64",
            n.to_json_text()
        )));
    };
    if count > MAX_REPEAT_COUNT {
        return Err(OpError::new(format!(
            "{what} count {count} exceeds limit of {MAX_REPEAT_COUNT}"
        )));
    }
    usize::try_from(count).map_err(|_| OpError::new("repeat count too large"))
}

/// Applies `-x`, `+x` or `!x` to a concrete scalar. Bound operators (`<x`, `=~x`, `!=x`) and
/// the default marker are not operations on values and are rejected.
pub fn unary(op: UnaryOp, v: &Scalar) -> Result<Scalar, OpError> {
    match (op, v) {
        (UnaryOp::Neg, Scalar::Num(n)) => Ok(Scalar::Num(n.neg())),
        (UnaryOp::Pos, Scalar::Num(n)) => Ok(Scalar::Num(n.clone())),
        (UnaryOp::Not, Scalar::Bool(b)) => Ok(Scalar::Bool(!b)),
        _ => {
            let sym = unary_symbol(op);
            Err(OpError::new(format!(
                "invalid operation {sym}{} ({sym} {})",
                v.to_message_text(),
                v.kind_name()
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BinaryOp::*;

    fn n(s: &str) -> Scalar {
        if s.contains(['.', 'e']) {
            Scalar::Num(Number::from_float_text(s).expect("float"))
        } else {
            Scalar::int(s.parse().expect("int"))
        }
    }

    fn run(op: BinaryOp, a: Scalar, b: Scalar) -> String {
        match binary(op, &a, &b) {
            Ok(Scalar::Num(x)) => x.to_cue_text(),
            Ok(v) => v.to_message_text(),
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn arithmetic() {
        assert_eq!(run(Add, n("-1"), n("2")), "1");
        assert_eq!(
            run(Div, n("2.0"), n("3")),
            "0.6666666666666666666666666666666667"
        );
        assert_eq!(run(Div, n("4"), n("2")), "2.0");
        assert_eq!(
            run(Div, n("1.0"), n("0")),
            "ERR failed arithmetic: division by zero"
        );
        assert_eq!(
            run(Div, n("0"), n("0")),
            "ERR failed arithmetic: division undefined"
        );
        assert_eq!(run(Mul, n("2"), n("3.0")), "6.0");
        assert_eq!(run(Sub, n("1.5"), n("2")), "-0.5");
        assert_eq!(
            run(Add, n("2"), Scalar::str("a")),
            "ERR invalid operands 2 and \"a\" to '+' (type int and string)"
        );
        assert_eq!(
            run(Add, Scalar::str("eee"), Scalar::bytes(b"eee")),
            "ERR invalid operands \"eee\" and 'eee' to '+' (type string and bytes)"
        );
        assert_eq!(
            run(Sub, Scalar::str("a"), n("1")),
            "ERR cannot use \"a\" (type string) as type number in -"
        );
    }

    #[test]
    fn strings_and_bytes() {
        assert_eq!(run(Add, Scalar::str("a"), Scalar::str("b")), "\"ab\"");
        assert_eq!(run(Add, Scalar::bytes(b"a"), Scalar::bytes(b"b")), "'ab'");
        assert_eq!(run(Mul, Scalar::str("ab"), n("3")), "\"ababab\"");
        assert_eq!(run(Mul, n("2"), Scalar::bytes(b"x")), "'xx'");
        assert_eq!(
            run(Mul, Scalar::str("a"), n("200000000")),
            "ERR string multiplication count 200000000 exceeds limit of 1000000"
        );
        assert_eq!(
            run(Mul, Scalar::str("a"), n("-1")),
            "ERR cannot convert negative number to uint64"
        );
        assert_eq!(
            run(Mul, Scalar::str("a"), n("1.0")),
            "ERR invalid operands \"a\" and 1.0 to '*' (type string and float)"
        );
    }

    #[test]
    fn comparisons() {
        assert_eq!(run(Equal, n("2.0"), n("2")), "true");
        assert_eq!(run(NotEqual, n("1"), n("4")), "true");
        assert_eq!(run(Equal, n("1"), Scalar::str("1")), "false");
        assert_eq!(run(NotEqual, Scalar::Null, n("1")), "true");
        assert_eq!(run(Equal, Scalar::Null, Scalar::Null), "true");
        assert_eq!(run(Less, Scalar::str("abc"), Scalar::str("abd")), "true");
        assert_eq!(
            run(GreaterEq, Scalar::bytes(b"b"), Scalar::bytes(b"a")),
            "true"
        );
        assert_eq!(run(Less, n("1"), n("1.5")), "true");
        assert_eq!(
            run(Less, n("1"), Scalar::str("a")),
            "ERR invalid operands 1 and \"a\" to '<' (type int and string)"
        );
        assert_eq!(
            run(Less, Scalar::Bool(true), Scalar::Bool(false)),
            "ERR invalid operands true and false to '<' (type bool and bool)"
        );
    }

    #[test]
    fn logic_and_regex() {
        assert_eq!(
            run(LogicalAnd, Scalar::Bool(true), Scalar::Bool(false)),
            "false"
        );
        assert_eq!(
            run(LogicalOr, Scalar::Bool(true), Scalar::Bool(false)),
            "true"
        );
        assert_eq!(
            run(Match, Scalar::str("foo"), Scalar::str("[a-z]{3}")),
            "true"
        );
        assert_eq!(
            run(NotMatch, Scalar::str("foo"), Scalar::str("[a-z]{4}")),
            "true"
        );
        assert_eq!(
            run(Match, Scalar::str("foo"), n("1")),
            "ERR cannot use 1 (type int) as type (string|bytes)"
        );
        assert_eq!(
            run(Match, Scalar::str("x"), Scalar::str("BAD)")),
            "ERR invalid regexp: error parsing regexp: unexpected ): `BAD)`"
        );
    }

    #[test]
    fn unary_ops() {
        let u = |op, v: Scalar| match unary(op, &v) {
            Ok(x) => x.to_message_text(),
            Err(e) => format!("ERR {e}"),
        };
        assert_eq!(u(UnaryOp::Neg, n("2.5")), "-2.5");
        assert_eq!(u(UnaryOp::Pos, n("3")), "3");
        assert_eq!(u(UnaryOp::Not, Scalar::Bool(true)), "false");
        assert_eq!(
            u(UnaryOp::Pos, Scalar::Bool(true)),
            "ERR invalid operation +true (+ bool)"
        );
        assert_eq!(
            u(UnaryOp::Neg, Scalar::Bool(false)),
            "ERR invalid operation -false (- bool)"
        );
    }
}
