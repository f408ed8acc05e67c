//! Decoding of number literals: radix prefixes, `_` separators, exponents and SI multipliers.

use num_bigint::BigInt;
use num_traits::{Pow, Zero};

/// A decoded number literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Number {
    Int(BigInt),
    /// Decimal text with `_` removed, otherwise as written.
    Float(String),
}

/// Decodes the text of one number token (as matched by the lexer).
pub fn decode_number(text: &str) -> Result<Number, String> {
    let b = text.as_bytes();
    // Fast path for the common plain integer (no leading zero, fits in u64).
    let plain = b.iter().all(u8::is_ascii_digit) && (b.len() == 1 || b.first() != Some(&b'0'));
    if plain && !b.is_empty() && b.len() <= 19 {
        if let Ok(v) = text.parse::<u64>() {
            return Ok(Number::Int(BigInt::from(v)));
        }
    }
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1], b'x' | b'X' | b'o' | b'O' | b'b' | b'B') {
        let (radix, what) = match b[1] {
            b'x' | b'X' => (16, "hexadecimal"),
            b'o' | b'O' => (8, "octal"),
            _ => (2, "binary"),
        };
        let digits = &text[2..];
        check_underscores(digits, true)?;
        let clean: String = digits.chars().filter(|&c| c != '_').collect();
        if clean.is_empty() {
            return Err(format!("illegal {what} number"));
        }
        return BigInt::parse_bytes(clean.as_bytes(), radix)
            .map(Number::Int)
            .ok_or_else(|| format!("illegal {what} number"));
    }

    let (body, mult) = split_multiplier(text);
    check_underscores(body, false)?;
    let clean: String = body.chars().filter(|&c| c != '_').collect();
    let (mantissa, exponent) = match clean.find(['e', 'E']) {
        Some(i) => (&clean[..i], Some(&clean[i + 1..])),
        None => (clean.as_str(), None),
    };
    if let Some(e) = exponent {
        let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
        if digits.is_empty() {
            return Err("illegal exponent in number".into());
        }
    }
    let (int_part, frac) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], Some(&mantissa[i + 1..])),
        None => (mantissa, None),
    };
    if frac.is_none() && exponent.is_none() && int_part.len() > 1 && int_part.starts_with('0') {
        return Err("illegal integer number: leading zeros are not allowed".into());
    }
    if let Some(mult) = mult {
        let frac = frac.unwrap_or("");
        let digits = format!("{int_part}{frac}");
        let digits = if digits.is_empty() {
            "0".to_string()
        } else {
            digits
        };
        let m = BigInt::parse_bytes(digits.as_bytes(), 10)
            .ok_or_else(|| "illegal number".to_string())?;
        let scaled = m * mult;
        let div: BigInt = Pow::pow(BigInt::from(10u32), frac.len() as u32);
        if !(&scaled % &div).is_zero() {
            return Err("number with a multiplier must be a whole number".into());
        }
        return Ok(Number::Int(scaled / div));
    }
    if frac.is_some() || exponent.is_some() {
        return Ok(Number::Float(clean));
    }
    BigInt::parse_bytes(int_part.as_bytes(), 10)
        .map(Number::Int)
        .ok_or_else(|| "illegal integer number".to_string())
}

/// Splits a trailing SI (`K`=1000) or IEC (`Ki`=1024) multiplier off a decimal literal.
fn split_multiplier(text: &str) -> (&str, Option<BigInt>) {
    let b = text.as_bytes();
    let (binary, letter_at) = match b.last() {
        Some(b'i') if b.len() >= 2 => (true, b.len() - 2),
        Some(_) => (false, b.len() - 1),
        None => return (text, None),
    };
    let power = match b[letter_at] {
        b'K' => 1u32,
        b'M' => 2,
        b'G' => 3,
        b'T' => 4,
        b'P' => 5,
        _ => return (text, None),
    };
    let base = BigInt::from(if binary { 1024u32 } else { 1000u32 });
    (&text[..letter_at], Some(Pow::pow(base, power)))
}

/// `_` may only separate digits: never doubled, never last, never next to `.` or an exponent.
fn check_underscores(s: &str, hex: bool) -> Result<(), String> {
    let digit = |c: u8| {
        if hex {
            c.is_ascii_hexdigit()
        } else {
            c.is_ascii_digit()
        }
    };
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'_' {
            // A leading `_` is only possible after a radix prefix (`0x_1`), which Go allows.
            let prev_ok = if i == 0 { hex } else { digit(b[i - 1]) };
            let next_ok = i + 1 < b.len() && digit(b[i + 1]);
            if !prev_ok || !next_ok {
                return Err("illegal '_' in number".into());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(s: &str) -> BigInt {
        match decode_number(s) {
            Ok(Number::Int(i)) => i,
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn integers_and_multipliers() {
        assert_eq!(int("1_000"), BigInt::from(1000));
        assert_eq!(int("0x1F"), BigInt::from(31));
        assert_eq!(int("0o17"), BigInt::from(15));
        assert_eq!(int("0b101"), BigInt::from(5));
        assert_eq!(int("1.5K"), BigInt::from(1500));
        assert_eq!(int("1Ki"), BigInt::from(1024));
        assert_eq!(int("2Mi"), BigInt::from(2 * 1024 * 1024));
        assert_eq!(int("1.5Gi"), BigInt::from(1610612736u64));
        assert_eq!(int("0"), BigInt::from(0));
        assert_eq!(int("0K"), BigInt::from(0));
        assert_eq!(
            int("123456789012345678901234567890"),
            "123456789012345678901234567890".parse::<BigInt>().unwrap()
        );
    }

    #[test]
    fn floats_keep_text() {
        assert_eq!(
            decode_number("1.50e+3"),
            Ok(Number::Float("1.50e+3".into()))
        );
        assert_eq!(decode_number(".5"), Ok(Number::Float(".5".into())));
        assert_eq!(decode_number("1_0.2_5"), Ok(Number::Float("10.25".into())));
        assert_eq!(decode_number("1e3"), Ok(Number::Float("1e3".into())));
        assert_eq!(decode_number("1."), Ok(Number::Float("1.".into())));
    }

    #[test]
    fn errors() {
        assert!(decode_number("0x").is_err());
        assert!(decode_number("012").is_err());
        assert!(decode_number("1__0").is_err());
        assert!(decode_number("10_").is_err());
        assert!(decode_number("1e").is_err());
        assert!(decode_number("1.0001K").is_err());
    }
}
