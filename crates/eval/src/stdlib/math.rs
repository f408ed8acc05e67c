//! The `math` and `math/bits` packages. Decimal functions follow apd at 34 digits (see
//! `bigmath`); the float64 ones use the platform's IEEE functions (`libm` where std lacks them).

use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use super::{
    arg_bigint, arg_f64, arg_int, arg_int_bits, arg_num, arg_uint_bits, bigmath, decimal_result,
    float_result, Builtin, BuiltinError, BuiltinResult, Func, Kind, Val, INT, NUM,
};
use crate::num::{Condition, Decimal, Number};

const fn f(
    name: &'static str,
    params: &'static [Kind],
    result: Kind,
    func: fn(&[Val]) -> BuiltinResult,
) -> Builtin {
    Builtin::pure("math", name, params, result, func)
}

const fn c(name: &'static str, text: &'static str) -> Builtin {
    Builtin {
        pkg: "math",
        name,
        params: &[],
        result: Kind::NUMBER,
        non_concrete: false,
        last_default: None,
        func: Func::Const(text),
    }
}

const fn f1(name: &'static str, func: fn(&[Val]) -> BuiltinResult) -> Builtin {
    f(name, &[NUM], NUM, func)
}

const fn f2(name: &'static str, func: fn(&[Val]) -> BuiltinResult) -> Builtin {
    f(name, &[NUM, NUM], NUM, func)
}

const I: Kind = Kind::INT;

pub(super) const BUILTINS: &[Builtin] = &[
    c("MaxExp", "2147483647"),
    c("MinExp", "-2147483648"),
    c("MaxPrec", "4294967295"),
    c("ToNearestEven", "0"),
    c("ToNearestAway", "1"),
    c("ToZero", "2"),
    c("AwayFromZero", "3"),
    c("ToNegativeInf", "4"),
    c("ToPositiveInf", "5"),
    c("Below", "-1"),
    c("Exact", "0"),
    c("Above", "1"),
    f("Jacobi", &[INT, INT], I, jacobi),
    c("MaxBase", "62"),
    f("Floor", &[NUM], I, |a| round_int(a, Rounding::Floor)),
    f("Ceil", &[NUM], I, |a| round_int(a, Rounding::Ceil)),
    f("Trunc", &[NUM], I, |a| round_int(a, Rounding::Trunc)),
    f("Round", &[NUM], I, |a| round_int(a, Rounding::HalfUp)),
    f("RoundToEven", &[NUM], I, |a| {
        round_int(a, Rounding::HalfEven)
    }),
    f("MultipleOf", &[NUM, NUM], Kind::BOOL, |a| {
        let (x, y) = (arg_num(a, 0)?, arg_num(a, 1)?);
        let q = x.decimal().quo(y.decimal()).map_err(cond)?;
        Ok(Val::Bool(q.is_integral()))
    }),
    f1("Abs", |a| {
        Ok(decimal_result(
            arg_num(a, 0)?.decimal().abs().round_to(34).map_err(cond)?,
        ))
    }),
    f1("Acosh", |a| float1(a, f64::acosh)),
    f1("Asin", |a| float1(a, f64::asin)),
    f1("Acos", |a| float1(a, f64::acos)),
    f1("Asinh", |a| float1(a, f64::asinh)),
    f1("Atan", |a| float1(a, f64::atan)),
    f2("Atan2", |a| {
        float_result(arg_f64(a, 0)?.atan2(arg_f64(a, 1)?))
    }),
    f1("Atanh", |a| float1(a, f64::atanh)),
    f1("Cbrt", |a| dec1(a, bigmath::cbrt)),
    c(
        "E",
        "2.71828182845904523536028747135266249775724709369995957496696763",
    ),
    c(
        "Pi",
        "3.14159265358979323846264338327950288419716939937510582097494459",
    ),
    c(
        "Phi",
        "1.61803398874989484820458683436563811772030917980576286213544861",
    ),
    c(
        "Sqrt2",
        "1.41421356237309504880168872420969807856967187537694807317667974",
    ),
    c(
        "SqrtE",
        "1.64872127070012814684865078781416357165377610071014801157507931",
    ),
    c(
        "SqrtPi",
        "1.77245385090551602729816748334114518279754945612238712821380779",
    ),
    c(
        "SqrtPhi",
        "1.27201964951406896425242246173749149171560804184009624861664038",
    ),
    c(
        "Ln2",
        "0.693147180559945309417232121458176568075500134360255254120680009",
    ),
    c(
        "Log2E",
        "1.442695040888963407359924681001892137426645954152985934135449408",
    ),
    c(
        "Ln10",
        "2.3025850929940456840179914546843642076011014886287729760333278",
    ),
    c(
        "Log10E",
        "0.43429448190325182765112891891660508229439700580366656611445378",
    ),
    f2("Copysign", |a| {
        let (x, y) = (arg_num(a, 0)?.decimal(), arg_num(a, 1)?.decimal());
        let mag = x.abs();
        Ok(decimal_result(if y.sign_bit() {
            force_neg(&mag)
        } else {
            mag
        }))
    }),
    f2("Dim", |a| {
        let (x, y) = (arg_num(a, 0)?.decimal(), arg_num(a, 1)?.decimal());
        let d = x.sub(y).map_err(cond)?;
        Ok(decimal_result(if d.sign_bit() {
            Decimal::zero()
        } else {
            d
        }))
    }),
    f1("Erf", |a| float1(a, libm::erf)),
    f1("Erfc", |a| float1(a, libm::erfc)),
    f1("Erfinv", |a| float1(a, erfinv)),
    f1("Erfcinv", |a| float1(a, |x| erfinv(1.0 - x))),
    f1("Exp", |a| dec1(a, bigmath::exp)),
    f1("Exp2", |a| {
        let x = arg_num(a, 0)?.decimal();
        Ok(decimal_result(
            bigmath::pow(&Decimal::from_i64(2), x).map_err(cond)?,
        ))
    }),
    f1("Expm1", |a| float1(a, f64::exp_m1)),
    f1("Gamma", |a| float1(a, libm::tgamma)),
    f2("Hypot", |a| {
        float_result(arg_f64(a, 0)?.hypot(arg_f64(a, 1)?))
    }),
    f1("J0", |a| float1(a, libm::j0)),
    f1("Y0", |a| float1(a, libm::y0)),
    f1("J1", |a| float1(a, libm::j1)),
    f1("Y1", |a| float1(a, libm::y1)),
    f("Jn", &[INT, NUM], NUM, |a| {
        let n = arg_int_bits(a, 0, 32, "int32")? as i32;
        float_result(libm::jn(n, arg_f64(a, 1)?))
    }),
    f("Yn", &[INT, NUM], NUM, |a| {
        let n = arg_int_bits(a, 0, 32, "int32")? as i32;
        float_result(libm::yn(n, arg_f64(a, 1)?))
    }),
    f("Ldexp", &[NUM, INT], NUM, |a| {
        let e = arg_int(a, 1)?.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
        float_result(libm::scalbn(arg_f64(a, 0)?, e))
    }),
    f1("Log", |a| dec1(a, bigmath::ln)),
    f1("Log10", |a| dec1(a, bigmath::log10)),
    f1("Log2", |a| dec1(a, bigmath::log2)),
    f1("Log1p", |a| float1(a, f64::ln_1p)),
    f1("Logb", |a| float1(a, logb)),
    f("Ilogb", &[NUM], I, |a| {
        let x = arg_f64(a, 0)?;
        Ok(Val::int(if x == 0.0 {
            i64::from(i32::MIN)
        } else if x.is_nan() || x.is_infinite() {
            i64::from(i32::MAX)
        } else {
            i64::from(libm::ilogb(x))
        }))
    }),
    f2("Mod", |a| {
        float_result(libm::fmod(arg_f64(a, 0)?, arg_f64(a, 1)?))
    }),
    f2("Pow", |a| {
        let (x, y) = (arg_num(a, 0)?.decimal(), arg_num(a, 1)?.decimal());
        Ok(decimal_result(bigmath::pow(x, y).map_err(cond)?))
    }),
    f("Pow10", &[INT], NUM, |a| {
        let n = arg_int_bits(a, 0, 32, "int32")?;
        if n.abs() > crate::num::MAX_EXPONENT {
            return Err(cond(if n > 0 {
                Condition::Overflow
            } else {
                Condition::Subnormal
            }));
        }
        Ok(decimal_result(Decimal::from_parts(
            false,
            1u32.into(),
            n as i32,
        )))
    }),
    f2("Remainder", |a| {
        float_result(libm::remainder(arg_f64(a, 0)?, arg_f64(a, 1)?))
    }),
    f("Signbit", &[NUM], Kind::BOOL, |a| {
        Ok(Val::Bool(arg_num(a, 0)?.decimal().sign_bit()))
    }),
    f1("Cos", |a| float1(a, f64::cos)),
    f1("Sin", |a| float1(a, f64::sin)),
    f1("Sinh", |a| float1(a, f64::sinh)),
    f1("Cosh", |a| float1(a, f64::cosh)),
    f1("Sqrt", |a| float1(a, f64::sqrt)),
    f1("Tan", |a| float1(a, f64::tan)),
    f1("Tanh", |a| float1(a, f64::tanh)),
];

const fn b(
    name: &'static str,
    params: &'static [Kind],
    func: fn(&[Val]) -> BuiltinResult,
) -> Builtin {
    Builtin {
        pkg: "math/bits",
        name,
        params,
        result: Kind::INT,
        non_concrete: false,
        last_default: None,
        func: Func::Pure(func),
    }
}

pub(super) const BITS: &[Builtin] = &[
    b("Lsh", &[INT, INT], |a| {
        let (x, n) = (arg_bigint(a, 0)?, arg_uint_bits(a, 1, 64, "uint64")?);
        if n > 1 << 24 {
            return Err(BuiltinError::Call("shift count too large".into()));
        }
        Ok(int(x << n as usize))
    }),
    b("Rsh", &[INT, INT], |a| {
        let (x, n) = (arg_bigint(a, 0)?, arg_uint_bits(a, 1, 64, "uint64")?);
        let n = usize::try_from(n).unwrap_or(usize::MAX).min(1 << 40);
        Ok(int(if n as u64 > x.bits() + 1 {
            if x.is_negative() {
                BigInt::from(-1)
            } else {
                BigInt::zero()
            }
        } else {
            x >> n
        }))
    }),
    b("At", &[INT, INT], |a| {
        let (x, i) = (arg_bigint(a, 0)?, arg_uint_bits(a, 1, 64, "uint64")?);
        if i > i32::MAX as u64 {
            return Err(BuiltinError::Call("bit index too large".into()));
        }
        Ok(Val::int(i64::from(x.bit(i))))
    }),
    b("Set", &[INT, INT, INT], |a| {
        let (mut x, i, bit) = (
            arg_bigint(a, 0)?,
            arg_int(a, 1)?,
            arg_uint_bits(a, 2, 64, "uint64")?,
        );
        if !(0..=1 << 24).contains(&i) {
            return Err(BuiltinError::Call("bit index out of range".into()));
        }
        if bit > 1 {
            return Err(BuiltinError::Call("set bit is not 0 or 1".into()));
        }
        x.set_bit(i as u64, bit == 1);
        Ok(int(x))
    }),
    b("And", &[INT, INT], |a| {
        Ok(int(arg_bigint(a, 0)? & arg_bigint(a, 1)?))
    }),
    b("Or", &[INT, INT], |a| {
        Ok(int(arg_bigint(a, 0)? | arg_bigint(a, 1)?))
    }),
    b("Xor", &[INT, INT], |a| {
        Ok(int(arg_bigint(a, 0)? ^ arg_bigint(a, 1)?))
    }),
    b("Clear", &[INT, INT], |a| {
        Ok(int(arg_bigint(a, 0)? & !arg_bigint(a, 1)?))
    }),
    b("OnesCount", &[INT], |a| {
        Ok(Val::int(arg_bigint(a, 0)?.magnitude().count_ones() as i64))
    }),
    b("Len", &[INT], |a| {
        Ok(Val::int(arg_bigint(a, 0)?.bits() as i64))
    }),
];

fn int(v: BigInt) -> Val {
    Val::Num(Number::from_int(v))
}

fn cond(c: Condition) -> BuiltinError {
    BuiltinError::Call(c.to_string())
}

fn float1(a: &[Val], f: impl Fn(f64) -> f64) -> BuiltinResult {
    float_result(f(arg_f64(a, 0)?))
}

fn dec1(a: &[Val], f: fn(&Decimal) -> Result<Decimal, Condition>) -> BuiltinResult {
    Ok(decimal_result(f(arg_num(a, 0)?.decimal()).map_err(cond)?))
}

fn force_neg(d: &Decimal) -> Decimal {
    Decimal::from_parts(true, d.coefficient(), d.exponent())
}

enum Rounding {
    Floor,
    Ceil,
    Trunc,
    HalfUp,
    HalfEven,
}

fn round_int(a: &[Val], mode: Rounding) -> BuiltinResult {
    let d = arg_num(a, 0)?.decimal();
    let t = d.trunc_bigint();
    if d.is_integral() {
        return Ok(int(t));
    }
    // |fraction| compared with one half: twice the fraction's scaled value against 10^k.
    let k = d.exponent().unsigned_abs();
    let scale = BigInt::from(10u32).pow(k);
    let signed = BigInt::from_biguint(
        if d.is_negative() {
            Sign::Minus
        } else {
            Sign::Plus
        },
        d.coefficient(),
    );
    let frac = (signed - &t * &scale).abs();
    let half = (frac * 2u32).cmp(&scale);
    let away = if d.is_negative() { &t - 1 } else { &t + 1 };
    let r = match mode {
        Rounding::Trunc => t,
        Rounding::Floor => {
            if d.is_negative() {
                away
            } else {
                t
            }
        }
        Rounding::Ceil => {
            if d.is_negative() {
                t
            } else {
                away
            }
        }
        Rounding::HalfUp => {
            if half.is_lt() {
                t
            } else {
                away
            }
        }
        Rounding::HalfEven => match half {
            std::cmp::Ordering::Less => t,
            std::cmp::Ordering::Greater => away,
            std::cmp::Ordering::Equal => {
                if t.is_even() {
                    t
                } else {
                    away
                }
            }
        },
    };
    Ok(int(r))
}

fn jacobi(a: &[Val]) -> BuiltinResult {
    let (x, y) = (arg_bigint(a, 0)?, arg_bigint(a, 1)?);
    if y.is_even() {
        return Err(BuiltinError::Call(format!(
            "big: invalid 2nd argument to Int.Jacobi: need odd integer but got {y}"
        )));
    }
    // Standard binary algorithm (as Go's big.Jacobi), with the sign rule for negative y.
    let mut a = x;
    let mut b = y;
    let mut j = 1i64;
    if b.is_negative() {
        if a.is_negative() {
            j = -1;
        }
        b = -b;
    }
    loop {
        if b.is_one() {
            return Ok(Val::int(j));
        }
        if a.is_zero() {
            return Ok(Val::int(0));
        }
        a = a.mod_floor(&b);
        if a.is_zero() {
            return Ok(Val::int(0));
        }
        let s = a.trailing_zeros().unwrap_or(0);
        if s & 1 != 0 {
            let bmod8 = (&b % 8u32).to_u32().unwrap_or(0);
            if bmod8 == 3 || bmod8 == 5 {
                j = -j;
            }
        }
        let c = &a >> s as usize;
        if (&b % 4u32).to_u32() == Some(3) && (&c % 4u32).to_u32() == Some(3) {
            j = -j;
        }
        a = b;
        b = c;
    }
}

/// Go's `math.Logb`: the binary exponent of x.
fn logb(x: f64) -> f64 {
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return f64::INFINITY;
    }
    if x.is_nan() {
        return x;
    }
    f64::from(libm::ilogb(x))
}

/// Inverse error function by Newton's method on `erf` (Go uses a rational approximation;
/// both are accurate to about one ulp).
fn erfinv(x: f64) -> f64 {
    if x.is_nan() || !(-1.0..=1.0).contains(&x) {
        return f64::NAN;
    }
    if x == 1.0 {
        return f64::INFINITY;
    }
    if x == -1.0 {
        return f64::NEG_INFINITY;
    }
    // Initial guess from Giles' approximation, then refine.
    let w = -((1.0 - x) * (1.0 + x)).ln();
    let mut y = if w < 5.0 {
        let w = w - 2.5;
        let mut p = 2.810_226_36e-08;
        for c in [
            3.432_739_39e-07,
            -3.523_387_7e-06,
            -4.391_506_54e-06,
            0.000_218_580_87,
            -0.001_253_725_03,
            -0.004_177_681_64,
            0.246_640_727,
            1.501_409_41,
        ] {
            p = c + p * w;
        }
        p * x
    } else {
        let w = w.sqrt() - 3.0;
        let mut p = -0.000_200_214_257;
        for c in [
            0.000_100_950_558,
            0.001_349_343_22,
            -0.003_673_428_44,
            0.005_739_507_73,
            -0.007_622_461_3,
            0.009_438_870_47,
            1.001_674_06,
            2.832_976_82,
        ] {
            p = c + p * w;
        }
        p * x
    };
    for _ in 0..4 {
        let err = libm::erf(y) - x;
        let d = 2.0 / std::f64::consts::PI.sqrt() * (-y * y).exp();
        if d == 0.0 {
            break;
        }
        y -= err / d;
    }
    y
}

#[cfg(test)]
mod tests {
    use super::super::{call, lookup};
    use super::*;

    fn run(pkg: &str, name: &str, args: &[Val]) -> String {
        let b = lookup(pkg, name).expect("builtin exists");
        match call(b, args) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    }
    fn fl(x: &str) -> Val {
        Val::Num(Number::from_float_text(x).expect("float"))
    }

    #[test]
    fn reference_values() {
        let m = |n: &str, a: &[Val]| run("math", n, a);
        assert_eq!(
            m(
                "Floor",
                &[lookup("math", "Pi")
                    .and_then(|b| b.const_value())
                    .expect("pi")]
            ),
            "3"
        );
        assert_eq!(m("Jacobi", &[Val::int(1000), Val::int(201)]), "1");
        assert_eq!(
            m("Jacobi", &[Val::int(1000), Val::int(2000)]),
            "ERR big: invalid 2nd argument to Int.Jacobi: need odd integer but got 2000"
        );
        assert_eq!(
            m("Asin", &[fl("2.0e400")]),
            "ERR cannot use 2.0E+400 (type float) as float64 in argument 0: value was rounded up"
        );
        assert_eq!(m("Pow", &[Val::int(8), Val::int(4)]), "4096");
        assert_eq!(m("Pow10", &[Val::int(4)]), "10000");
        assert_eq!(m("Signbit", &[Val::int(-4)]), "true");
        assert_eq!(m("Abs", &[fl("2.5")]), "2.5");
        assert_eq!(m("Abs", &[fl("-2.2")]), "2.2");
        assert_eq!(
            m("Cbrt", &[Val::int(2)]),
            "1.259921049894873164767210607278228"
        );
        assert_eq!(m("Copysign", &[Val::int(5), fl("-2.2")]), "-5");
        assert_eq!(
            m("Exp", &[Val::int(3)]),
            "20.08553692318766774092852965458172"
        );
        assert_eq!(
            m("Exp2", &[fl("3.5")]),
            "11.31370849898476039041350979367758"
        );
        assert_eq!(
            m("Log", &[Val::int(4)]),
            "1.386294361119890618834464242916353"
        );
        assert_eq!(
            m("Log10", &[Val::int(4)]),
            "0.6020599913279623904274777894489861"
        );
        assert_eq!(
            m("Log2", &[Val::int(5)]),
            "2.321928094887362347870319429489391"
        );
        assert_eq!(m("Dim", &[Val::int(3), fl("2.5")]), "0.5");
        assert_eq!(m("Dim", &[Val::int(5), fl("7.2")]), "0");
        assert_eq!(m("Sqrt", &[Val::int(2)]), "1.4142135623730951");
        assert_eq!(m("Round", &[fl("2.5")]), "3");
        assert_eq!(m("Round", &[fl("-2.5")]), "-3");
        assert_eq!(m("RoundToEven", &[fl("2.5")]), "2");
        assert_eq!(m("Ceil", &[fl("-2.5")]), "-2");
        assert_eq!(m("Floor", &[fl("-2.5")]), "-3");
        assert_eq!(m("Trunc", &[fl("-2.7")]), "-2");
        assert_eq!(m("MultipleOf", &[Val::int(1), Val::int(3)]), "false");
        assert_eq!(m("MultipleOf", &[Val::int(9), Val::int(3)]), "true");
        assert_eq!(
            m("MultipleOf", &[Val::int(9), Val::int(0)]),
            "ERR division by zero"
        );
        assert!(m("Erfinv", &[fl("0.5")]).starts_with("0.476936276204469"));
    }

    #[test]
    fn bits() {
        let b = |n: &str, a: &[Val]| run("math/bits", n, a);
        assert_eq!(
            b("Lsh", &[Val::int(1), Val::int(70)]),
            "1180591620717411303424"
        );
        assert_eq!(b("Rsh", &[Val::int(-5), Val::int(1)]), "-3");
        assert_eq!(b("And", &[Val::int(12), Val::int(10)]), "8");
        assert_eq!(b("Or", &[Val::int(12), Val::int(10)]), "14");
        assert_eq!(b("Xor", &[Val::int(12), Val::int(10)]), "6");
        assert_eq!(b("Clear", &[Val::int(12), Val::int(10)]), "4");
        assert_eq!(b("At", &[Val::int(5), Val::int(2)]), "1");
        assert_eq!(b("Set", &[Val::int(5), Val::int(1), Val::int(1)]), "7");
        assert_eq!(b("OnesCount", &[Val::int(255)]), "8");
        assert_eq!(b("Len", &[Val::int(255)]), "8");
    }
}
