//! Number literals from data files, read the way CUE reads its own number literals.
//!
//! A float in [`Data`] carries the text cue prints for it in JSON, which is apd's
//! "to-scientific-string" form of the decimal (`1e3` prints as `1E+3`, `0.1e-2` as `0.001`,
//! `1.50` stays `1.50`). Integers may use `0x`/`0o`/`0b` prefixes and `_` separators.
//!
//! [`Data`]: crate::data::Data

use crate::data::BigInt;

/// An integer literal: optional sign, then decimal digits or a `0x`/`0o`/`0b` prefixed number,
/// `_` allowed between digits.
pub(crate) fn parse_int(text: &str) -> Option<BigInt> {
    let (negative, body) = split_sign(text);
    let (radix, digits) = match body.get(..2) {
        Some("0x" | "0X") => (16, &body[2..]),
        Some("0o" | "0O") => (8, &body[2..]),
        Some("0b" | "0B") => (2, &body[2..]),
        _ => (10, body),
    };
    // cue's own literals allow `_` anywhere among the digits, even right after the prefix
    // (`0x_0A_74`).
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = BigInt::parse_bytes(digits.as_bytes(), radix)?;
    Some(if negative { -magnitude } else { magnitude })
}

/// The JSON text cue prints for a decimal literal such as `-1_000.50e-3`; `None` if the text
/// is not a decimal literal.
pub(crate) fn float_text(text: &str) -> Option<String> {
    let (negative, body) = split_sign(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => {
            let exp_text = &body[i + 1..];
            let (exp_negative, exp_digits) = split_sign(exp_text);
            let exp_digits = without_separators(exp_digits)?;
            if !exp_digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let magnitude: i64 = exp_digits.parse().ok()?;
            (
                &body[..i],
                if exp_negative { -magnitude } else { magnitude },
            )
        }
        None => (body, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let int_digits = if int_part.is_empty() {
        String::new()
    } else {
        without_separators(int_part)?
    };
    let frac_digits = if frac_part.is_empty() {
        String::new()
    } else {
        without_separators(frac_part)?
    };
    if !int_digits
        .bytes()
        .chain(frac_digits.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let frac_len = i64::try_from(frac_digits.len()).ok()?;
    let coefficient = format!("{int_digits}{frac_digits}");
    let coefficient = coefficient.trim_start_matches('0');
    let coefficient = if coefficient.is_empty() {
        "0"
    } else {
        coefficient
    };
    let exponent = exponent.checked_sub(frac_len)?;
    let text = to_scientific_string(coefficient, exponent);
    // cue drops the sign of a negative zero.
    Some(if negative && coefficient != "0" {
        format!("-{text}")
    } else {
        text
    })
}

/// The General Decimal Arithmetic "to-scientific-string" of `coefficient × 10^exponent`.
fn to_scientific_string(coefficient: &str, exponent: i64) -> String {
    let len = i64::try_from(coefficient.len()).unwrap_or(i64::MAX);
    let adjusted = exponent.saturating_add(len - 1);
    if exponent <= 0 && adjusted >= -6 {
        if exponent == 0 {
            return coefficient.to_owned();
        }
        let point = len + exponent;
        if point > 0 {
            // 0 < point < len, so the split is inside the ASCII digits.
            let at = usize::try_from(point).unwrap_or(0);
            return format!("{}.{}", &coefficient[..at], &coefficient[at..]);
        }
        let zeros = usize::try_from(-point).unwrap_or(0);
        return format!("0.{}{coefficient}", "0".repeat(zeros));
    }
    let (first, rest) = coefficient.split_at(1);
    let sign = if adjusted >= 0 { "+" } else { "-" };
    if rest.is_empty() {
        format!("{first}E{sign}{}", adjusted.unsigned_abs())
    } else {
        format!("{first}.{rest}E{sign}{}", adjusted.unsigned_abs())
    }
}

fn split_sign(text: &str) -> (bool, &str) {
    match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    }
}

/// Digits with single `_` separators between them (CUE's rule), separators removed.
fn without_separators(digits: &str) -> Option<String> {
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let plain: String = digits.chars().filter(|&c| c != '_').collect();
    plain
        .bytes()
        .all(|b| b.is_ascii_alphanumeric())
        .then_some(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints() {
        let cases = [
            ("0", 0),
            ("-17", -17),
            ("+5", 5),
            ("1_000", 1000),
            ("0x1F", 31),
            ("-0x10", -16),
            ("0o17", 15),
            ("0b101", 5),
            ("0x_0A_74_AE", 0x0A74AE),
        ];
        for (text, want) in cases {
            assert_eq!(parse_int(text), Some(BigInt::from(want)), "{text}");
        }
        for text in ["", "-", "0x", "0x_", "1.5", "0b2", "1e3", "0o8", "+-1"] {
            assert_eq!(parse_int(text), None, "{text}");
        }
    }

    #[test]
    fn floats_print_as_apd_does() {
        let cases = [
            ("1.0", "1.0"),
            ("1.50", "1.50"),
            ("1e3", "1E+3"),
            ("2.5E10", "2.5E+10"),
            ("0.1e-2", "0.001"),
            ("1e-7", "1E-7"),
            ("123.456e-10", "1.23456E-8"),
            ("0.000001", "0.000001"),
            ("0.0000001", "1E-7"),
            ("-0.0", "0.0"),
            ("-1.5", "-1.5"),
            (".5", "0.5"),
            ("1.", "1"),
            ("685_230.15", "685230.15"),
            ("1E400", "1E+400"),
            ("12e-1", "1.2"),
        ];
        for (text, want) in cases {
            assert_eq!(float_text(text).as_deref(), Some(want), "{text}");
        }
        for text in ["", ".", "e5", "1e", "1.5.5", "abc", "1_.5"] {
            assert_eq!(float_text(text), None, "{text}");
        }
    }
}
