//! An arbitrary-precision decimal with the exact arithmetic and rounding of cue's number context.
//!
//! cue stores every number as an `apd.Decimal` (coefficient, exponent, sign) and computes with a
//! context of 34 significant digits, rounding half-up, exponents bounded by ±100000. Results keep
//! the scale the operation produces (`1000.0 * 0.7` is `700.00`), and that scale shows up in
//! exported text, so this type keeps the unnormalised coefficient/exponent pair rather than a
//! canonical value. No decimal crate reproduces apd's scale and rounding rules byte for byte,
//! which is why this is written over `num-bigint`.

use std::cmp::Ordering;
use std::fmt;

use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::{ToPrimitive, Zero};

/// Significant digits kept by arithmetic (cue's `apd.BaseContext.WithPrecision(34)`).
pub const PRECISION: u32 = 34;
/// Largest adjusted exponent apd accepts.
pub const MAX_EXPONENT: i64 = 100_000;
/// Smallest adjusted exponent apd accepts.
pub const MIN_EXPONENT: i64 = -100_000;

/// An arithmetic condition that cue reports as an error, worded like apd's condition names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Condition {
    DivisionByZero,
    DivisionUndefined,
    Overflow,
    Underflow,
    Subnormal,
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Condition::DivisionByZero => "division by zero",
            Condition::DivisionUndefined => "division undefined",
            Condition::Overflow => "overflow",
            Condition::Underflow => "underflow",
            Condition::Subnormal => "subnormal",
        })
    }
}

/// `(-1)^neg × coeff × 10^exp`. Zero may carry a sign (apd keeps `-0` in a few places).
#[derive(Clone, Debug)]
pub struct Decimal {
    neg: bool,
    coeff: Coeff,
    exp: i32,
}

/// The coefficient, kept in a machine word while it fits so that ordinary numbers never allocate.
#[derive(Clone, Debug)]
enum Coeff {
    Small(u64),
    Big(BigUint),
}

impl Coeff {
    fn from_big(b: BigUint) -> Coeff {
        match b.to_u64() {
            Some(v) => Coeff::Small(v),
            None => Coeff::Big(b),
        }
    }
    fn to_big(&self) -> BigUint {
        match self {
            Coeff::Small(v) => BigUint::from(*v),
            Coeff::Big(b) => b.clone(),
        }
    }
    fn is_zero(&self) -> bool {
        match self {
            Coeff::Small(v) => *v == 0,
            Coeff::Big(b) => b.is_zero(),
        }
    }
    fn num_digits(&self) -> i64 {
        match self {
            Coeff::Small(0) => 1,
            Coeff::Small(v) => i64::from(v.ilog10()) + 1,
            Coeff::Big(b) => num_digits(b),
        }
    }
    fn to_decimal_string(&self) -> String {
        match self {
            Coeff::Small(v) => v.to_string(),
            Coeff::Big(b) => b.to_str_radix(10),
        }
    }
}

/// Decimal digits of `b` (1 for zero).
fn num_digits(b: &BigUint) -> i64 {
    if b.is_zero() {
        return 1;
    }
    // bits * log10(2) estimates the digit count to within one; correct it exactly.
    let est = ((b.bits() as f64) * std::f64::consts::LOG10_2) as u32;
    let mut n = est.max(1);
    if *b < pow10(n - 1) {
        n -= 1;
    } else if *b >= pow10(n) {
        n += 1;
    }
    i64::from(n)
}

/// 10^n.
pub(crate) fn pow10(n: u32) -> BigUint {
    BigUint::from(10u32).pow(n)
}

impl Decimal {
    /// Zero with exponent 0.
    pub fn zero() -> Decimal {
        Decimal {
            neg: false,
            coeff: Coeff::Small(0),
            exp: 0,
        }
    }

    pub fn from_i64(v: i64) -> Decimal {
        Decimal {
            neg: v < 0,
            coeff: Coeff::Small(v.unsigned_abs()),
            exp: 0,
        }
    }

    pub fn from_u64(v: u64) -> Decimal {
        Decimal {
            neg: false,
            coeff: Coeff::Small(v),
            exp: 0,
        }
    }

    pub fn from_bigint(v: &BigInt) -> Decimal {
        Decimal {
            neg: v.sign() == Sign::Minus,
            coeff: Coeff::from_big(v.magnitude().clone()),
            exp: 0,
        }
    }

    /// Builds `(-1)^neg × coeff × 10^exp` without rounding.
    pub fn from_parts(neg: bool, coeff: BigUint, exp: i32) -> Decimal {
        Decimal {
            neg,
            coeff: Coeff::from_big(coeff),
            exp,
        }
    }

    pub fn is_zero(&self) -> bool {
        self.coeff.is_zero()
    }

    /// True for values below zero (a negative zero is not negative).
    pub fn is_negative(&self) -> bool {
        self.neg && !self.is_zero()
    }

    /// The sign flag as stored (set for `-0` too).
    pub fn sign_bit(&self) -> bool {
        self.neg
    }

    pub fn exponent(&self) -> i32 {
        self.exp
    }

    pub fn coefficient(&self) -> BigUint {
        self.coeff.to_big()
    }

    /// -1, 0 or 1.
    pub fn signum(&self) -> i32 {
        if self.is_zero() {
            0
        } else if self.neg {
            -1
        } else {
            1
        }
    }

    pub fn num_digits(&self) -> i64 {
        self.coeff.num_digits()
    }

    /// Exponent of the most significant digit (`exp + digits - 1`).
    pub fn adjusted_exponent(&self) -> i64 {
        i64::from(self.exp) + self.num_digits() - 1
    }

    /// apd's `Neg`: flips the sign, but the negation of zero is a positive zero.
    pub fn neg(&self) -> Decimal {
        let mut d = self.clone();
        d.neg = if d.is_zero() { false } else { !d.neg };
        d
    }

    pub fn abs(&self) -> Decimal {
        let mut d = self.clone();
        d.neg = false;
        d
    }

    /// Numeric comparison; all zeros are equal and scale is ignored.
    fn compare(&self, other: &Decimal) -> Ordering {
        let (a, b) = (self.signum(), other.signum());
        if a != b || a == 0 {
            return a.cmp(&b);
        }
        let mag = self.cmp_abs(other);
        if a < 0 {
            mag.reverse()
        } else {
            mag
        }
    }

    fn cmp_abs(&self, other: &Decimal) -> Ordering {
        if let (Coeff::Small(x), Coeff::Small(y)) = (&self.coeff, &other.coeff) {
            if self.exp == other.exp {
                return x.cmp(y);
            }
        }
        let (ax, ay) = (self.adjusted_exponent(), other.adjusted_exponent());
        if ax != ay {
            return ax.cmp(&ay);
        }
        // Same magnitude order: the exponent gap is below the digit count, so upscaling is cheap.
        let (x, y, _) = upscale(self, other);
        x.cmp(&y)
    }

    /// Sum rounded to [`PRECISION`] digits.
    pub fn add(&self, other: &Decimal) -> Result<Decimal, Condition> {
        self.add_sub(other, false)
    }

    /// Difference rounded to [`PRECISION`] digits.
    pub fn sub(&self, other: &Decimal) -> Result<Decimal, Condition> {
        self.add_sub(other, true)
    }

    fn add_sub(&self, other: &Decimal, subtract: bool) -> Result<Decimal, Condition> {
        let xn = self.neg;
        let yn = other.neg != subtract;
        if let (Coeff::Small(a), Coeff::Small(b)) = (&self.coeff, &other.coeff) {
            if self.exp == other.exp {
                let (a, b) = (i128::from(*a), i128::from(*b));
                let s = if xn { -a } else { a } + if yn { -b } else { b };
                let neg = if s == 0 { xn && yn } else { s < 0 };
                if let Some(c) = s.unsigned_abs().to_u64() {
                    return Ok(Decimal {
                        neg,
                        coeff: Coeff::Small(c),
                        exp: self.exp,
                    });
                }
            }
        }
        let (a, b, exp) = upscale(self, other);
        let (neg, coeff) = if xn == yn {
            (xn, a + b)
        } else {
            match a.cmp(&b) {
                Ordering::Less => (!xn, b - a),
                Ordering::Greater => (xn, a - b),
                Ordering::Equal => (false, BigUint::zero()),
            }
        };
        round(neg, coeff, i64::from(exp))
    }

    /// Product rounded to [`PRECISION`] digits.
    pub fn mul(&self, other: &Decimal) -> Result<Decimal, Condition> {
        let neg = self.neg != other.neg;
        let exp = i64::from(self.exp) + i64::from(other.exp);
        if let (Coeff::Small(a), Coeff::Small(b)) = (&self.coeff, &other.coeff) {
            if let (Some(c), Ok(e)) = (a.checked_mul(*b), i32::try_from(exp)) {
                if c < 10u64.pow(19) && (MIN_EXPONENT..=MAX_EXPONENT).contains(&i64::from(e)) {
                    return Ok(Decimal {
                        neg,
                        coeff: Coeff::Small(c),
                        exp: e,
                    });
                }
            }
        }
        if exp > MAX_EXPONENT {
            return Err(Condition::Overflow);
        }
        if exp < MIN_EXPONENT - i64::from(PRECISION) * 2 {
            return Err(Condition::Underflow);
        }
        round(neg, self.coeff.to_big() * other.coeff.to_big(), exp)
    }

    /// apd's `Quo` at [`PRECISION`] digits followed by cue's `reduceKeepingFloats`: trailing
    /// zeros are dropped, but a result that had a fractional part keeps one (`4.0/2` is `2.0`).
    pub fn quo(&self, other: &Decimal) -> Result<Decimal, Condition> {
        if other.is_zero() {
            return Err(if self.is_zero() {
                Condition::DivisionUndefined
            } else {
                Condition::DivisionByZero
            });
        }
        let neg = self.neg != other.neg;
        let shift = i64::from(self.exp) - i64::from(other.exp);
        if self.is_zero() {
            let d = Decimal {
                neg,
                coeff: Coeff::Small(0),
                exp: clamp_exp(shift)?,
            };
            return Ok(reduce_keeping_floats(d));
        }
        let mut dividend = self.coeff.to_big();
        let mut divisor = other.coeff.to_big();
        let nd_diff = num_digits(&dividend) - num_digits(&divisor);
        if nd_diff < 0 {
            dividend *= pow10(u32::try_from(-nd_diff).map_err(|_| Condition::Overflow)?);
        } else if nd_diff > 0 {
            divisor *= pow10(u32::try_from(nd_diff).map_err(|_| Condition::Overflow)?);
        }
        let mut adj_coeffs = -nd_diff;
        if dividend < divisor {
            dividend *= 10u32;
            adj_coeffs += 1;
        }
        let adj_exp10 = i64::from(PRECISION - 1);
        dividend *= pow10(PRECISION - 1);
        let (mut q, rem) = dividend.div_rem(&divisor);
        if !rem.is_zero() {
            // Half-up: add one when the discarded part is at least half the divisor.
            if rem * 2u32 >= divisor {
                q += 1u32;
            }
        }
        let exp = shift - adj_coeffs - adj_exp10;
        let d = Decimal {
            neg,
            coeff: Coeff::from_big(q),
            exp: 0,
        };
        let d = Decimal {
            exp: clamp_exp_checked(exp, d.num_digits())?,
            ..d
        };
        Ok(reduce_keeping_floats(d))
    }

    /// The exact integer value, if this is integral (ignores scale: `2.0` gives 2).
    pub fn to_bigint(&self) -> Option<BigInt> {
        let c = self.coeff.to_big();
        let mag = if self.exp >= 0 {
            c * pow10(u32::try_from(self.exp).ok()?)
        } else {
            let (q, r) = c.div_rem(&pow10(self.exp.unsigned_abs()));
            if !r.is_zero() {
                return None;
            }
            q
        };
        Some(BigInt::from_biguint(
            if self.neg { Sign::Minus } else { Sign::Plus },
            mag,
        ))
    }

    /// The integer part, truncated toward zero.
    pub fn trunc_bigint(&self) -> BigInt {
        let c = self.coeff.to_big();
        let mag = if self.exp >= 0 {
            c * pow10(self.exp.unsigned_abs())
        } else if i64::from(self.exp.unsigned_abs()) > self.num_digits() {
            BigUint::zero()
        } else {
            c / pow10(self.exp.unsigned_abs())
        };
        BigInt::from_biguint(if self.neg { Sign::Minus } else { Sign::Plus }, mag)
    }

    /// True when the value has no fractional part.
    pub fn is_integral(&self) -> bool {
        if self.exp >= 0 || self.is_zero() {
            return true;
        }
        match &self.coeff {
            Coeff::Small(v) => self.exp >= -19 && v % 10u64.pow(self.exp.unsigned_abs()) == 0,
            Coeff::Big(b) => {
                i64::from(self.exp.unsigned_abs()) < num_digits(b)
                    && (b % pow10(self.exp.unsigned_abs())).is_zero()
            }
        }
    }

    /// apd's `RoundToIntegralExact` when it is exact: the integral value quantized to exponent
    /// 0 (`1E+4` becomes `10000`), or `None` when there is a fractional part.
    pub fn to_integral_exact(&self) -> Option<Decimal> {
        // Beyond 34 digits apd's quantize fails; keep the exponent rather than expanding it.
        if self.exp == 0 || (self.exp > 0 && self.adjusted_exponent() >= i64::from(PRECISION)) {
            return Some(self.clone());
        }
        let v = self.to_bigint()?;
        let mut d = Decimal::from_bigint(&v);
        d.neg = self.neg && !d.is_zero();
        Some(d)
    }

    /// Rounds to `prec` significant digits half-up (precision 0 keeps everything).
    pub fn round_to(&self, prec: u32) -> Result<Decimal, Condition> {
        if prec == 0 {
            return Ok(self.clone());
        }
        round_prec(self.neg, self.coeff.to_big(), i64::from(self.exp), prec)
    }

    /// Drops trailing zeros of the coefficient (apd `Reduce`); zero becomes plain `0`.
    pub fn reduce(&self) -> Decimal {
        if self.is_zero() {
            return Decimal::zero();
        }
        let mut d = self.clone();
        match &mut d.coeff {
            Coeff::Small(v) => {
                while *v % 10 == 0 && d.exp < i32::MAX {
                    *v /= 10;
                    d.exp += 1;
                }
            }
            Coeff::Big(b) => {
                let mut b = b.clone();
                let ten = BigUint::from(10u32);
                loop {
                    let (q, r) = b.div_rem(&ten);
                    if !r.is_zero() || d.exp == i32::MAX {
                        break;
                    }
                    b = q;
                    d.exp += 1;
                }
                d.coeff = Coeff::from_big(b);
            }
        }
        d
    }

    /// Closest `f64` (Go's `strconv.ParseFloat` of the text, as apd's `Float64` does), with
    /// apd's wording for values out of range.
    pub fn to_f64(&self) -> f64 {
        self.to_string().parse::<f64>().unwrap_or(f64::NAN)
    }

    /// The shortest decimal that round-trips `f`, like apd's `SetFloat64`
    /// (`strconv.FormatFloat(f, 'E', -1, 64)` parsed back). `None` for NaN and infinities.
    pub fn from_f64(f: f64) -> Option<Decimal> {
        if !f.is_finite() {
            return None;
        }
        // Rust's `{:e}` prints the shortest round-tripping digits, like Go's 'E' with -1.
        let s = format!("{f:e}");
        let mut d = Decimal::parse(&s)?;
        if f == 0.0 && f.is_sign_negative() {
            d.neg = true;
        }
        Some(d)
    }

    /// Parses decimal text the way apd's `SetString` does: optional sign, digits with an optional
    /// `.`, optional exponent. The scale is kept (`1.50` has exponent -2).
    pub fn parse(s: &str) -> Option<Decimal> {
        let b = s.as_bytes();
        let mut i = 0;
        let mut neg = false;
        if let Some(&c) = b.first() {
            if c == b'-' || c == b'+' {
                neg = c == b'-';
                i = 1;
            }
        }
        let mut digits = String::new();
        let mut frac = 0i64;
        let mut seen_dot = false;
        let mut any = false;
        while i < b.len() {
            match b[i] {
                c @ b'0'..=b'9' => {
                    digits.push(char::from(c));
                    any = true;
                    if seen_dot {
                        frac += 1;
                    }
                }
                b'.' if !seen_dot => seen_dot = true,
                _ => break,
            }
            i += 1;
        }
        if !any {
            return None;
        }
        let mut exp = 0i64;
        if i < b.len() {
            if b[i] != b'e' && b[i] != b'E' {
                return None;
            }
            i += 1;
            let rest = &s[i..];
            let (eneg, rest) = match rest.as_bytes().first() {
                Some(b'-') => (true, &rest[1..]),
                Some(b'+') => (false, &rest[1..]),
                _ => (false, rest),
            };
            if rest.is_empty() || !rest.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let trimmed = rest.trim_start_matches('0');
            if trimmed.len() > 12 {
                return None;
            }
            let v: i64 = if trimmed.is_empty() {
                0
            } else {
                trimmed.parse().ok()?
            };
            exp = if eneg { -v } else { v };
        }
        let exp = exp - frac;
        let exp = i32::try_from(exp).ok()?;
        let coeff = if digits.len() <= 19 {
            Coeff::Small(digits.parse().ok()?)
        } else {
            Coeff::from_big(BigUint::parse_bytes(digits.as_bytes(), 10)?)
        };
        let d = Decimal { neg, coeff, exp };
        let adj = d.adjusted_exponent();
        if !(MIN_EXPONENT..=MAX_EXPONENT).contains(&adj) {
            return None;
        }
        Some(d)
    }
}

/// apd's `%G`: plain notation while the exponent is not positive and the adjusted exponent is at
/// least -6, scientific (`1.5E-10`, `5.0E+11`) otherwise.
impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        if self.neg {
            out.push('-');
        }
        let digits = self.coeff.to_decimal_string();
        let mut digit_len = digits.len() as i64;
        let exp = i64::from(self.exp);
        if self.is_zero() && (-2000..0).contains(&exp) {
            digit_len += -exp;
        }
        let adj = exp + digit_len - 1;
        if exp <= 0 && adj >= -6 {
            if exp < 0 {
                let left = -exp - digits.len() as i64;
                if left >= 0 {
                    out.push_str("0.");
                    for _ in 0..left {
                        out.push('0');
                    }
                    out.push_str(&digits);
                } else {
                    let cut = digits.len() - (-exp) as usize;
                    out.push_str(&digits[..cut]);
                    out.push('.');
                    out.push_str(&digits[cut..]);
                }
            } else {
                out.push_str(&digits);
            }
        } else {
            let adj = exp + digits.len() as i64 - 1;
            out.push_str(&digits[..1]);
            if digits.len() > 1 {
                out.push('.');
                out.push_str(&digits[1..]);
            }
            out.push('E');
            out.push(if adj < 0 { '-' } else { '+' });
            out.push_str(&adj.unsigned_abs().to_string());
        }
        f.write_str(&out)
    }
}

/// Both coefficients scaled to the smaller exponent, and that exponent.
fn upscale(a: &Decimal, b: &Decimal) -> (BigUint, BigUint, i32) {
    let (ca, cb) = (a.coeff.to_big(), b.coeff.to_big());
    match a.exp.cmp(&b.exp) {
        Ordering::Equal => (ca, cb, a.exp),
        Ordering::Greater => {
            let s = (i64::from(a.exp) - i64::from(b.exp)) as u32;
            (ca * pow10(s), cb, b.exp)
        }
        Ordering::Less => {
            let s = (i64::from(b.exp) - i64::from(a.exp)) as u32;
            (ca, cb * pow10(s), a.exp)
        }
    }
}

fn round(neg: bool, coeff: BigUint, exp: i64) -> Result<Decimal, Condition> {
    round_prec(neg, coeff, exp, PRECISION)
}

/// apd's `Round` with half-up rounding, then its exponent range checks.
fn round_prec(neg: bool, coeff: BigUint, exp: i64, prec: u32) -> Result<Decimal, Condition> {
    let nd = num_digits(&coeff);
    let diff = nd - i64::from(prec);
    let (coeff, exp) = if diff > 0 && !coeff.is_zero() {
        let diff_u = u32::try_from(diff).map_err(|_| Condition::Overflow)?;
        let p = pow10(diff_u);
        let (mut q, r) = coeff.div_rem(&p);
        let mut e = exp + diff;
        if !r.is_zero() && r * 2u32 >= p {
            q += 1u32;
            if num_digits(&q) > i64::from(prec) {
                q /= 10u32;
                e += 1;
            }
        }
        (q, e)
    } else {
        (coeff, exp)
    };
    let nd = num_digits(&coeff);
    let e = clamp_exp_checked(exp, nd)?;
    Ok(Decimal {
        neg,
        coeff: Coeff::from_big(coeff),
        exp: e,
    })
}

fn clamp_exp(exp: i64) -> Result<i32, Condition> {
    clamp_exp_checked(exp, 1)
}

/// Checks the adjusted exponent against apd's limits (its traps turn these into errors).
fn clamp_exp_checked(exp: i64, nd: i64) -> Result<i32, Condition> {
    let adj = exp + nd - 1;
    if adj > MAX_EXPONENT {
        return Err(Condition::Overflow);
    }
    if adj < MIN_EXPONENT {
        return Err(Condition::Subnormal);
    }
    i32::try_from(exp).map_err(|_| Condition::Overflow)
}

/// cue's `reduceKeepingFloats`: reduce, but `3.000` becomes `3.0`, not `3`.
fn reduce_keeping_floats(d: Decimal) -> Decimal {
    let old = d.exp;
    let mut r = d.reduce();
    if old < 0 && r.exp >= 0 {
        r.exp -= 1;
        r.coeff = match r.coeff {
            Coeff::Small(v) if v <= u64::MAX / 10 => Coeff::Small(v * 10),
            c => Coeff::from_big(c.to_big() * 10u32),
        };
    }
    if r.is_zero() {
        r.neg = false;
    }
    r
}

impl PartialEq for Decimal {
    /// Numeric equality (scale is ignored: `1.0 == 1.00`).
    fn eq(&self, other: &Decimal) -> bool {
        self.compare(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        self.compare(other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).expect("valid decimal literal in test")
    }

    #[test]
    fn parse_keeps_scale_and_prints_like_apd() {
        for (inp, out) in [
            ("1.0", "1.0"),
            ("1e3", "1E+3"),
            ("1.5e-10", "1.5E-10"),
            ("0.000001", "0.000001"),
            ("0.0000001", "1E-7"),
            (".5", "0.5"),
            ("1.50e+3", "1.50E+3"),
            ("100", "100"),
            ("0.0", "0.0"),
            ("1e100", "1E+100"),
            ("-2.50", "-2.50"),
            ("1.", "1"),
            ("0e-3", "0.000"),
        ] {
            assert_eq!(d(inp).to_string(), out, "{inp}");
        }
        assert!(Decimal::parse("1e").is_none());
        assert!(Decimal::parse("abc").is_none());
        assert!(Decimal::parse("1e999999").is_none());
    }

    #[test]
    fn arithmetic_keeps_apd_scale() {
        let r = |a: &str, op: &str, b: &str| {
            let (a, b) = (d(a), d(b));
            let v = match op {
                "+" => a.add(&b),
                "-" => a.sub(&b),
                "*" => a.mul(&b),
                _ => a.quo(&b),
            };
            v.map(|v| v.to_string()).unwrap_or_else(|e| e.to_string())
        };
        assert_eq!(r("123.45", "+", "987.65"), "1111.10");
        assert_eq!(r("123.45", "-", "987.65"), "-864.20");
        assert_eq!(r("123.45", "*", "987.65"), "121925.3925");
        assert_eq!(
            r("123.45", "/", "987.65"),
            "0.1249936718473143320002025008859414"
        );
        assert_eq!(r("1000.0", "*", "0.7"), "700.00");
        assert_eq!(r("20", "/", "4"), "5.0");
        assert_eq!(r("1", "/", "3"), "0.3333333333333333333333333333333333");
        assert_eq!(r("2.0", "/", "3.0"), "0.6666666666666666666666666666666667");
        assert_eq!(r("1000000000000", "/", "2.0"), "5.0E+11");
        assert_eq!(r("1.00", "/", "1.00"), "1.0");
        assert_eq!(r("100", "/", "2"), "50");
        assert_eq!(r("0", "/", "5"), "0");
        assert_eq!(r("0.0", "/", "5"), "0.0");
        assert_eq!(r("1.0", "/", "0"), "division by zero");
        assert_eq!(r("0", "/", "0"), "division undefined");
        assert_eq!(r("1.0", "-", "1.0"), "0.0");
        assert_eq!(r("0.1", "+", "0.2"), "0.3");
        assert_eq!(r("2.0", "*", "3"), "6.0");
        // Rounded to 34 digits, half up.
        assert_eq!(
            r("99999999999999999999999999999999999", "+", "1"),
            "1.000000000000000000000000000000000E+35"
        );
        assert_eq!(
            r("1234567890123456789012345678901234", "*", "10"),
            "1.234567890123456789012345678901234E+34"
        );
        assert_eq!(r("1e99999", "*", "1e99999"), "overflow");
    }

    #[test]
    fn compare_across_scales() {
        assert_eq!(d("1.0").cmp(&d("1")), Ordering::Equal);
        assert_eq!(d("-0.0").cmp(&d("0")), Ordering::Equal);
        assert_eq!(d("1e3").cmp(&d("999.99")), Ordering::Greater);
        assert_eq!(d("-5").cmp(&d("-4.9")), Ordering::Less);
        assert_eq!(
            d("123456789012345678901234567890").cmp(&d("1.2e29")),
            Ordering::Greater
        );
    }

    #[test]
    fn float_conversion_is_shortest() {
        assert_eq!(
            Decimal::from_f64(0.1).map(|d| d.to_string()),
            Some("0.1".into())
        );
        assert_eq!(
            Decimal::from_f64(2.0).map(|d| d.to_string()),
            Some("2".into())
        );
        assert_eq!(
            Decimal::from_f64(1e21).map(|d| d.to_string()),
            Some("1E+21".into())
        );
        assert_eq!(d("2.5").to_f64(), 2.5);
        assert!(d("2.5").to_bigint().is_none());
        assert_eq!(d("2.0").to_bigint(), Some(BigInt::from(2)));
        assert_eq!(d("-2.7").trunc_bigint(), BigInt::from(-2));
    }
}
