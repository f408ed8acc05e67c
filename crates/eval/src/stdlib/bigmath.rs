//! High-precision `exp`, `ln`, powers and cube roots, rounded to cue's 34 digits.
//!
//! cue computes `math.Exp`, `Log`, `Log10`, `Log2`, `Pow`, `Exp2` and `Cbrt` with apd at 34
//! significant digits. These are evaluated here in fixed point with 30 guard digits and then
//! rounded half-up to 34 digits, which yields the correctly rounded value apd produces.

use num_bigint::{BigInt, BigUint, Sign};
use num_traits::{One, Signed, ToPrimitive, Zero};

use crate::num::{Condition, Decimal, PRECISION};

/// Working precision: digits after the point of the fixed-point values.
const W: u32 = 34 + 30;

fn pow10(n: u32) -> BigInt {
    BigInt::from(10u32).pow(n)
}

fn one() -> BigInt {
    pow10(W)
}

/// `d` as a fixed-point integer scaled by 10^W (truncated).
fn to_fixed(d: &Decimal) -> BigInt {
    let c = BigInt::from_biguint(Sign::Plus, d.coefficient());
    let e = i64::from(d.exponent()) + i64::from(W);
    let v = if e >= 0 {
        c * pow10(e as u32)
    } else {
        c / pow10((-e) as u32)
    };
    if d.is_negative() {
        -v
    } else {
        v
    }
}

/// A fixed-point value back to a decimal rounded to 34 significant digits.
fn from_fixed(v: &BigInt) -> Result<Decimal, Condition> {
    let neg = v.is_negative();
    let d = Decimal::from_parts(neg, v.magnitude().clone(), -(W as i32));
    d.round_to(PRECISION)
}

fn mul(a: &BigInt, b: &BigInt) -> BigInt {
    a * b / one()
}

fn div(a: &BigInt, b: &BigInt) -> BigInt {
    a * one() / b
}

/// atanh(z) = z + z³/3 + z⁵/5 + … for |z| < 1, in fixed point.
fn atanh(z: &BigInt) -> BigInt {
    let z2 = mul(z, z);
    let mut term = z.clone();
    let mut sum = z.clone();
    let mut n = 1u32;
    loop {
        term = mul(&term, &z2);
        n += 2;
        let t = &term / n;
        if t.is_zero() {
            return sum;
        }
        sum += t;
    }
}

fn ln2() -> BigInt {
    // ln 2 = 2 atanh(1/3)
    atanh(&(one() / 3)) * 2
}

/// Natural logarithm of a positive fixed-point value.
fn ln_fixed(x: &BigInt) -> BigInt {
    // Scale by powers of two into [0.75, 1.5) so the atanh series converges fast.
    let mut x = x.clone();
    let mut k: i64 = 0;
    let lo = one() * 3 / 4;
    let hi = one() * 3 / 2;
    while x >= hi {
        x /= 2;
        k += 1;
    }
    while x < lo {
        x *= 2;
        k -= 1;
    }
    let z = div(&(&x - one()), &(&x + one()));
    atanh(&z) * 2 + ln2() * k
}

/// e^x for a fixed-point x, as a fixed-point value.
fn exp_fixed(x: &BigInt) -> Result<BigInt, Condition> {
    let l2 = ln2();
    let n = (x / &l2).to_i64().ok_or(Condition::Overflow)?;
    if n.abs() > 400_000 {
        return Err(if n > 0 {
            Condition::Overflow
        } else {
            Condition::Underflow
        });
    }
    let r = x - &l2 * n;
    let mut term = one();
    let mut sum = one();
    let mut i = 1u32;
    loop {
        term = mul(&term, &r) / i;
        if term.is_zero() {
            break;
        }
        sum += &term;
        i += 1;
    }
    Ok(if n >= 0 {
        sum << n as usize
    } else {
        sum >> (-n) as usize
    })
}

/// e^x with the exponent range apd allows.
fn exp_decimal(x: &BigInt) -> Result<Decimal, Condition> {
    // Large results would need enormous fixed-point values; split off powers of ten instead.
    let ln10 = ln_fixed(&(one() * 10));
    let k = (x / &ln10).to_i64().ok_or(Condition::Overflow)?;
    if k.abs() > 100_000 {
        return Err(if k > 0 {
            Condition::Overflow
        } else {
            Condition::Subnormal
        });
    }
    let r = x - &ln10 * k;
    let v = exp_fixed(&r)?;
    let d = from_fixed(&v)?;
    let e = i64::from(d.exponent()) + k;
    let d = Decimal::from_parts(
        false,
        d.coefficient(),
        i32::try_from(e).map_err(|_| Condition::Overflow)?,
    );
    d.round_to(PRECISION)
}

pub(super) fn exp(x: &Decimal) -> Result<Decimal, Condition> {
    exp_decimal(&to_fixed(x))
}

pub(super) fn ln(x: &Decimal) -> Result<Decimal, Condition> {
    if x.signum() <= 0 {
        return Err(Condition::DivisionUndefined);
    }
    if x.cmp(&Decimal::from_i64(1)).is_eq() {
        return Ok(Decimal::zero());
    }
    from_fixed(&ln_of(x))
}

/// ln of a positive decimal as fixed point, splitting off the decimal exponent so tiny and
/// huge values stay exact.
fn ln_of(x: &Decimal) -> BigInt {
    let digits = x.num_digits();
    let adj = x.adjusted_exponent();
    // x = m × 10^adj with m in [1, 10)
    let m = Decimal::from_parts(false, x.coefficient(), -(digits as i32 - 1));
    ln_fixed(&to_fixed(&m)) + ln_fixed(&(one() * 10)) * adj
}

pub(super) fn log10(x: &Decimal) -> Result<Decimal, Condition> {
    if x.signum() <= 0 {
        return Err(Condition::DivisionUndefined);
    }
    // Exact powers of ten give exact integers.
    let r = x.reduce();
    if r.coefficient().is_one() {
        return Ok(Decimal::from_i64(i64::from(r.exponent())));
    }
    from_fixed(&div(&ln_of(x), &ln_fixed(&(one() * 10))))
}

pub(super) fn log2(x: &Decimal) -> Result<Decimal, Condition> {
    // As cue: Ln(x) and Ln(2), each rounded to 34 digits, then a 34-digit quotient.
    let lx = ln(x)?;
    let l2 = from_fixed(&ln2())?;
    lx.quo(&l2)
}

/// x^y: exact for integral y (rounded to 34 digits), e^(y ln x) otherwise.
pub(super) fn pow(x: &Decimal, y: &Decimal) -> Result<Decimal, Condition> {
    if let Some(n) = y.to_bigint() {
        let n = n.to_i64().ok_or(Condition::Overflow)?;
        if n.unsigned_abs() > 100_000 {
            return Err(Condition::Overflow);
        }
        if n == 0 {
            return Ok(Decimal::from_i64(1));
        }
        let mut acc = Decimal::from_i64(1);
        let mut base = x.clone();
        let mut e = n.unsigned_abs();
        // Square-and-multiply at 34 digits; the guard digits of apd make no difference for
        // the exact results that matter (integers and short decimals).
        while e > 0 {
            if e & 1 == 1 {
                acc = exact_mul(&acc, &base)?;
            }
            e >>= 1;
            if e > 0 {
                base = exact_mul(&base, &base)?;
            }
        }
        if n < 0 {
            return Decimal::from_i64(1).quo(&acc);
        }
        return acc.round_to(PRECISION);
    }
    if x.signum() < 0 {
        return Err(Condition::DivisionUndefined);
    }
    if x.is_zero() {
        return Ok(Decimal::zero());
    }
    let l = ln_of(x);
    exp_decimal(&mul(&to_fixed(y), &l))
}

/// Exact product while it stays small, rounded to working precision otherwise.
fn exact_mul(a: &Decimal, b: &Decimal) -> Result<Decimal, Condition> {
    let p = Decimal::from_parts(
        a.is_negative() != b.is_negative(),
        a.coefficient() * b.coefficient(),
        a.exponent()
            .checked_add(b.exponent())
            .ok_or(Condition::Overflow)?,
    );
    p.round_to(PRECISION + 30)
}

pub(super) fn cbrt(x: &Decimal) -> Result<Decimal, Condition> {
    if x.is_zero() {
        return Ok(Decimal::zero());
    }
    // cbrt(c × 10^e): make the exponent a multiple of 3 and scale up for 34+ digits.
    let c = x.coefficient();
    let e = i64::from(x.exponent());
    let shift = 3 * 40 + e.rem_euclid(3);
    let scaled: BigUint = c * BigUint::from(10u32).pow(shift as u32);
    let root = scaled.cbrt();
    let exp = (e - shift) / 3;
    let d = Decimal::from_parts(
        x.is_negative(),
        root,
        i32::try_from(exp).map_err(|_| Condition::Overflow)?,
    );
    d.round_to(PRECISION)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).expect("decimal")
    }

    #[test]
    fn matches_cue_reference_digits() {
        assert_eq!(
            exp(&d("3")).map(|v| v.to_string()),
            Ok("20.08553692318766774092852965458172".into())
        );
        assert_eq!(
            ln(&d("4")).map(|v| v.to_string()),
            Ok("1.386294361119890618834464242916353".into())
        );
        assert_eq!(
            log10(&d("4")).map(|v| v.to_string()),
            Ok("0.6020599913279623904274777894489861".into())
        );
        assert_eq!(
            log2(&d("5")).map(|v| v.to_string()),
            Ok("2.321928094887362347870319429489391".into())
        );
        assert_eq!(
            cbrt(&d("2")).map(|v| v.to_string()),
            Ok("1.259921049894873164767210607278228".into())
        );
        assert_eq!(
            pow(&d("2"), &d("3.5")).map(|v| v.to_string()),
            Ok("11.31370849898476039041350979367758".into())
        );
        assert_eq!(
            pow(&d("8"), &d("4")).map(|v| v.to_string()),
            Ok("4096".into())
        );
        assert_eq!(log10(&d("1000")).map(|v| v.to_string()), Ok("3".into()));
        assert_eq!(
            cbrt(&d("27")).map(|v| v.reduce().to_string()),
            Ok("3".into())
        );
    }
}
