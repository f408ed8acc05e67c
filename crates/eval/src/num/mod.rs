//! CUE numbers: integers and decimal floats with cue's precision, arithmetic and printing.
//!
//! Both kinds hold a [`Decimal`] because cue computes on ints with the same 34-digit context as
//! floats (an int sum beyond 34 digits is rounded and printed in `E` notation). The kind only
//! decides what operations return and how a value is printed in CUE syntax.

mod decimal;

use std::cmp::Ordering;
use std::fmt;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};

pub use decimal::{Condition, Decimal, MAX_EXPONENT, MIN_EXPONENT, PRECISION};

/// A concrete CUE number. `Int` values are always integral (exponent ≥ 0).
#[derive(Clone, Debug)]
pub enum Number {
    Int(Decimal),
    Float(Decimal),
}

/// Why a numeric operation failed; `Display` is cue's message text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NumError {
    /// An arithmetic condition from `+ - * /`: "failed arithmetic: division by zero".
    Arith(Condition),
    /// Integer division by zero in `quo rem div mod`: "division by zero".
    DivisionByZero,
    /// An operand of `quo rem div mod` is not an int (the caller words the full message).
    NotInt,
    /// Text that is not a number.
    InvalidText(String),
}

impl fmt::Display for NumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NumError::Arith(c) => write!(f, "failed arithmetic: {c}"),
            NumError::DivisionByZero => f.write_str("division by zero"),
            NumError::NotInt => f.write_str("operand is not an int"),
            NumError::InvalidText(s) => write!(f, "invalid number {s:?}"),
        }
    }
}

impl std::error::Error for NumError {}

impl Number {
    pub fn from_int(v: BigInt) -> Number {
        Number::Int(Decimal::from_bigint(&v))
    }

    pub fn from_i64(v: i64) -> Number {
        Number::Int(Decimal::from_i64(v))
    }

    pub fn from_u64(v: u64) -> Number {
        Number::Int(Decimal::from_u64(v))
    }

    /// A float from decimal text as the lexer delivers it (`1.50e+3`, `.5`); the scale is kept.
    pub fn from_float_text(s: &str) -> Result<Number, NumError> {
        Decimal::parse(s)
            .map(Number::Float)
            .ok_or_else(|| NumError::InvalidText(s.to_string()))
    }

    /// A float holding the shortest decimal form of `f` (how cue turns Go float64 results into
    /// numbers); `None` for NaN and infinities.
    pub fn from_f64(f: f64) -> Option<Number> {
        Decimal::from_f64(f).map(Number::Float)
    }

    pub fn is_int(&self) -> bool {
        matches!(self, Number::Int(_))
    }

    pub fn decimal(&self) -> &Decimal {
        match self {
            Number::Int(d) | Number::Float(d) => d,
        }
    }

    /// `"int"` or `"float"`, as cue names the kinds in messages.
    pub fn kind_name(&self) -> &'static str {
        if self.is_int() {
            "int"
        } else {
            "float"
        }
    }

    fn with_kind_of(&self, other: &Number, d: Decimal) -> Number {
        if self.is_int() && other.is_int() {
            Number::Int(d)
        } else {
            Number::Float(d)
        }
    }

    pub fn add(&self, other: &Number) -> Result<Number, NumError> {
        let d = self
            .decimal()
            .add(other.decimal())
            .map_err(NumError::Arith)?;
        Ok(self.with_kind_of(other, d))
    }

    pub fn sub(&self, other: &Number) -> Result<Number, NumError> {
        let d = self
            .decimal()
            .sub(other.decimal())
            .map_err(NumError::Arith)?;
        Ok(self.with_kind_of(other, d))
    }

    pub fn mul(&self, other: &Number) -> Result<Number, NumError> {
        let d = self
            .decimal()
            .mul(other.decimal())
            .map_err(NumError::Arith)?;
        Ok(self.with_kind_of(other, d))
    }

    /// `/` always yields a float, even for `4 / 2` (`2.0`).
    pub fn div(&self, other: &Number) -> Result<Number, NumError> {
        self.decimal()
            .quo(other.decimal())
            .map(Number::Float)
            .map_err(NumError::Arith)
    }

    fn int_operands(&self, other: &Number) -> Result<(BigInt, BigInt), NumError> {
        let (Number::Int(a), Number::Int(b)) = (self, other) else {
            return Err(NumError::NotInt);
        };
        let (Some(a), Some(b)) = (a.to_bigint(), b.to_bigint()) else {
            return Err(NumError::NotInt);
        };
        if b.is_zero() {
            return Err(NumError::DivisionByZero);
        }
        Ok((a, b))
    }

    /// cue's `quo`: quotient truncated toward zero.
    pub fn quo(&self, other: &Number) -> Result<Number, NumError> {
        let (a, b) = self.int_operands(other)?;
        Ok(Number::from_int(&a / &b))
    }

    /// cue's `rem`: remainder with the sign of the dividend.
    pub fn rem(&self, other: &Number) -> Result<Number, NumError> {
        let (a, b) = self.int_operands(other)?;
        Ok(Number::from_int(&a % &b))
    }

    /// cue's `div`: Euclidean quotient (the remainder `mod` is never negative).
    pub fn int_div(&self, other: &Number) -> Result<Number, NumError> {
        let (a, b) = self.int_operands(other)?;
        let m = a.mod_floor(&b.abs());
        Ok(Number::from_int((a - m) / b))
    }

    /// cue's `mod`: Euclidean modulus, in `[0, |b|)`.
    pub fn int_mod(&self, other: &Number) -> Result<Number, NumError> {
        let (a, b) = self.int_operands(other)?;
        Ok(Number::from_int(a.mod_floor(&b.abs())))
    }

    /// Unary minus (the negation of zero is a positive zero, as in apd).
    pub fn neg(&self) -> Number {
        match self {
            Number::Int(d) => Number::Int(d.neg()),
            Number::Float(d) => Number::Float(d.neg()),
        }
    }

    /// Numeric order across kinds (`1 == 1.0`).
    pub fn num_cmp(&self, other: &Number) -> Ordering {
        self.decimal().cmp(other.decimal())
    }

    /// Same as [`Number::num_cmp`]. Not `Ord::cmp`: `PartialEq` also compares kinds, so a
    /// total order consistent with it would not be numeric.
    #[allow(clippy::should_implement_trait)]
    pub fn cmp(&self, other: &Number) -> Ordering {
        self.num_cmp(other)
    }

    /// Numeric equality across kinds and scales.
    pub fn num_eq(&self, other: &Number) -> bool {
        self.num_cmp(other) == Ordering::Equal
    }

    pub fn is_zero(&self) -> bool {
        self.decimal().is_zero()
    }

    pub fn is_negative(&self) -> bool {
        self.decimal().is_negative()
    }

    /// Text in `cue export --out json`: apd's `%G` form for both kinds (`1.0`, `1E+3`, `5.0E+11`).
    pub fn to_json_text(&self) -> String {
        self.decimal().to_string()
    }

    /// Text in CUE syntax (`cue eval`, `cue def`, messages): like JSON, but a float whose text has
    /// no `.` or exponent gets a trailing `.` so it stays a float (`50.` for `100 / 2`).
    pub fn to_cue_text(&self) -> String {
        let s = self.decimal().to_string();
        if !self.is_int() && !s.contains(['.', 'e', 'E']) {
            s + "."
        } else {
            s
        }
    }

    /// Text in `cue export --out yaml`: cue builds YAML from the CUE syntax form, so it is
    /// [`Number::to_cue_text`]. (A value taken straight from a literal is printed by cue with the
    /// literal's own spelling, e.g. `1e3` or `0x10`; callers that keep the literal use that.)
    pub fn to_yaml_text(&self) -> String {
        self.to_cue_text()
    }

    /// The value as an i64 when it is integral and fits.
    pub fn to_i64(&self) -> Option<i64> {
        // Anything with more than 19 integer digits cannot fit; skip building it.
        if self.decimal().adjusted_exponent() > 19 {
            return None;
        }
        self.to_bigint().and_then(|b| b.to_i64())
    }

    /// The value as a u64 when it is integral and fits.
    pub fn to_u64(&self) -> Option<u64> {
        if self.decimal().adjusted_exponent() > 20 {
            return None;
        }
        self.to_bigint().and_then(|b| b.to_u64())
    }

    /// The exact integer value when the number is integral (either kind).
    pub fn to_bigint(&self) -> Option<BigInt> {
        self.decimal().to_bigint()
    }

    /// The nearest f64 (Go's `ParseFloat` of the `%G` text).
    pub fn to_f64(&self) -> f64 {
        self.decimal().to_f64()
    }
}

impl PartialEq for Number {
    /// Same kind and same numeric value (what unification of two numbers requires).
    fn eq(&self, other: &Number) -> bool {
        self.is_int() == other.is_int() && self.num_eq(other)
    }
}

impl fmt::Display for Number {
    /// CUE syntax, as [`Number::to_cue_text`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_cue_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i(v: i64) -> Number {
        Number::from_i64(v)
    }
    fn f(s: &str) -> Number {
        Number::from_float_text(s).expect("valid float in test")
    }

    #[test]
    fn kinds_follow_cue() {
        assert!(i(2)
            .add(&i(3))
            .is_ok_and(|n| n.is_int() && n.to_json_text() == "5"));
        assert!(i(2)
            .mul(&f("3.0"))
            .is_ok_and(|n| !n.is_int() && n.to_json_text() == "6.0"));
        let q = i(10).div(&i(2)).expect("10/2");
        assert!(!q.is_int());
        assert_eq!(q.to_json_text(), "5.0");
        assert_eq!(q.to_cue_text(), "5.0");
        let q = i(100).div(&i(2)).expect("100/2");
        assert_eq!(q.to_json_text(), "50");
        assert_eq!(q.to_cue_text(), "50.");
        assert_eq!(q.to_yaml_text(), "50.");
        assert_eq!(f("1e3").to_cue_text(), "1E+3");
        assert_eq!(
            i(2).div(&i(3))
                .and_then(|n| n.mul(&i(6)))
                .map(|n| n.to_json_text()),
            Ok("4.000000000000000000000000000000000".to_string())
        );
    }

    #[test]
    fn errors_use_cue_wording() {
        assert_eq!(
            f("1.0").div(&i(0)).map_err(|e| e.to_string()),
            Err("failed arithmetic: division by zero".to_string())
        );
        assert_eq!(
            i(0).div(&i(0)).map_err(|e| e.to_string()),
            Err("failed arithmetic: division undefined".to_string())
        );
        assert_eq!(
            i(0).int_div(&i(0)).map_err(|e| e.to_string()),
            Err("division by zero".to_string())
        );
        assert_eq!(f("1.0").int_div(&i(2)), Err(NumError::NotInt));
    }

    #[test]
    fn integer_division_builtins() {
        let t = |a: i64, b: i64| {
            let (a, b) = (i(a), i(b));
            [a.quo(&b), a.rem(&b), a.int_div(&b), a.int_mod(&b)]
                .map(|r| r.ok().and_then(|n| n.to_i64()).unwrap_or(i64::MIN))
        };
        assert_eq!(t(7, 2), [3, 1, 3, 1]);
        assert_eq!(t(-7, 2), [-3, -1, -4, 1]);
        assert_eq!(t(7, -2), [-3, 1, -3, 1]);
        assert_eq!(t(-7, -2), [3, -1, 4, 1]);
    }

    #[test]
    fn comparison_and_equality() {
        assert_eq!(i(1).num_cmp(&f("1.0")), Ordering::Equal);
        assert!(i(1) != f("1.0"));
        assert!(f("1.0") == f("1.00"));
        assert_eq!(i(-3).num_cmp(&f("-2.5")), Ordering::Less);
        assert_eq!(i(0).neg().to_json_text(), "0");
        assert_eq!(f("0.0").neg().to_json_text(), "0.0");
        assert_eq!(f("2.5").neg().to_json_text(), "-2.5");
    }
}
