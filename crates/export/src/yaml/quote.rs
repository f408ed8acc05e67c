//! Which strings cue forces into double quotes when it prints YAML.
//!
//! Two independent rules both lead to a double-quoted scalar:
//! * cue's own list of YAML 1.1 legacy words and its "looks like a date, time, base-60 number or
//!   hex number" pattern (cue's `internal/encoding/yaml` `shouldQuote`), kept so that YAML 1.1
//!   readers do not misread the value;
//! * go-yaml's resolver: a `!!str` node whose text a YAML reader would resolve to another type
//!   (null, bool, int, float, timestamp) is quoted so that it stays a string.
//!
//! Anything else is left to the emitter, which may still pick single or double quotes when a
//! plain scalar cannot carry the text (see `emitter.rs`).

/// Whether a string (value or map key) is written double-quoted on purpose, before the emitter
/// looks at which characters it contains.
pub(crate) fn forces_double_quotes(s: &str) -> bool {
    is_legacy_word(s)
        || looks_like_date_or_base60(s)
        || is_lower_hex(s)
        || resolves_to_non_string(s)
}

/// cue's fixed list of YAML 1.1 words with a non-string meaning (plus its non-standard `.Nan`).
fn is_legacy_word(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "n"
            | "N"
            | "t"
            | "T"
            | "f"
            | "F"
            | "no"
            | "No"
            | "NO"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
            | ".Nan"
    )
}

/// The characters of cue's date/time pattern `[\-+0-9:\. \t]`.
fn is_date_char(b: u8) -> bool {
    matches!(b, b'-' | b'+' | b'0'..=b'9' | b':' | b'.' | b' ' | b'\t')
}

/// cue's pattern `^[\-+0-9:\. \t]+([-:]|[tT])[\-+0-9:\. \t]+[zZ]?$`: two non-empty runs of
/// date characters around a `-`, `:`, `t` or `T`, with an optional final `z`/`Z`.
fn looks_like_date_or_base60(s: &str) -> bool {
    let bytes = s.as_bytes();
    let body = match bytes.last() {
        Some(b'z' | b'Z') => &bytes[..bytes.len() - 1],
        _ => bytes,
    };
    if body.len() < 3 {
        return false;
    }
    // The separator is at an inner position; everything else must be a date character.
    // A `t`/`T` can only be the separator, so there may be at most one and it must be inner.
    let mut separator_seen = false;
    for (i, &b) in body.iter().enumerate() {
        let inner = i > 0 && i + 1 < body.len();
        if b == b't' || b == b'T' {
            if !inner || separator_seen {
                return false;
            }
            separator_seen = true;
        } else if !is_date_char(b) {
            return false;
        }
    }
    if separator_seen {
        return true;
    }
    // Without a `t`, some inner `-` or `:` serves as the separator.
    body[1..body.len() - 1]
        .iter()
        .any(|&b| b == b'-' || b == b':')
}

/// cue's pattern `^0x[a-fA-F0-9]+$` (lower-case `x` only).
fn is_lower_hex(s: &str) -> bool {
    s.strip_prefix("0x")
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// What go-yaml v3's `resolve("", s)` makes of a plain scalar (timestamps aside).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resolved {
    Null,
    Bool,
    Int,
    Float,
    Str,
}

/// go-yaml v3's `resolve("", s)` gives something other than `!!str`.
///
/// Timestamps are not checked here: every text go-yaml accepts as a timestamp (digits, `-`,
/// `:`, `.`, spaces, `t`/`T`, a final `Z`, or a `±hh:mm` zone) is already matched by
/// [`looks_like_date_or_base60`], and both rules give the same double quotes.
pub(crate) fn resolves_to_non_string(s: &str) -> bool {
    resolve_plain(s) != Resolved::Str
}

/// go-yaml v3's resolution of an untagged plain scalar. A timestamp resolves to `Str` here:
/// cue reads go-yaml's timestamps as strings, and none of them would resolve to a number.
pub(crate) fn resolve_plain(s: &str) -> Resolved {
    let Some(&first) = s.as_bytes().first() else {
        return Resolved::Null;
    };
    match first {
        b'y'
        | b'Y'
        | b'n'
        | b'N'
        | b't'
        | b'T'
        | b'f'
        | b'F'
        | b'o'
        | b'O'
        | b'~'
        | b'.'
        | b'+'
        | b'-'
        | b'0'..=b'9' => {}
        // go-yaml only looks further when the first byte hints at a non-string.
        _ => return Resolved::Str,
    }
    match s {
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => return Resolved::Bool,
        "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        _ if is_resolver_word(s) => return Resolved::Float,
        _ => {}
    }
    match first {
        b'.' if is_go_decimal_float(s) => Resolved::Float,
        b'+' | b'-' | b'0'..=b'9' => {
            // go-yaml drops every `_` before trying numbers.
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if is_go_int(&plain) {
                Resolved::Int
            } else if matches_yaml_float(&plain) && is_finite_float(&plain) {
                Resolved::Float
            } else {
                Resolved::Str
            }
        }
        _ => Resolved::Str,
    }
}

/// go-yaml's fixed words for infinities and NaN.
fn is_resolver_word(s: &str) -> bool {
    matches!(
        s,
        ".nan"
            | ".NaN"
            | ".NAN"
            | ".inf"
            | ".Inf"
            | ".INF"
            | "+.inf"
            | "+.Inf"
            | "+.INF"
            | "-.inf"
            | "-.Inf"
            | "-.INF"
    )
}

/// Go's `strconv.ParseFloat(s, 64)` succeeds on a text starting with `.`: that is a decimal
/// fraction with an optional exponent that does not overflow.
fn is_go_decimal_float(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('.') else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return false;
    }
    let exponent = &rest[digits..];
    (exponent.is_empty() || is_exponent(exponent)) && is_finite_float(s)
}

/// `[eE][-+]?[0-9]+`.
fn is_exponent(s: &str) -> bool {
    let Some(rest) = s.strip_prefix(['e', 'E']) else {
        return false;
    };
    let rest = rest.strip_prefix(['+', '-']).unwrap_or(rest);
    !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())
}

/// go-yaml's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn matches_yaml_float(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let int_digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let mut rest = &s[int_digits..];
    if int_digits == 0 {
        let Some(frac) = rest.strip_prefix('.') else {
            return false;
        };
        let frac_digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if frac_digits == 0 {
            return false;
        }
        rest = &frac[frac_digits..];
    } else if let Some(frac) = rest.strip_prefix('.') {
        let frac_digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        rest = &frac[frac_digits..];
    }
    rest.is_empty() || is_exponent(rest)
}

/// Go's `ParseFloat` fails with a range error exactly when the correctly rounded value
/// overflows to infinity; Rust's parser rounds the same way.
fn is_finite_float(s: &str) -> bool {
    s.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Go's `strconv.ParseInt(s, 0, 64)` or `strconv.ParseUint(s, 0, 64)` succeeds (underscores
/// already removed): an optional sign (signed range only), then a `0b`/`0o`/`0x` prefix, a
/// leading `0` (octal) or decimal digits.
fn is_go_int(s: &str) -> bool {
    let (negative, signed, body) = match s.as_bytes().first() {
        Some(b'-') => (true, true, &s[1..]),
        Some(b'+') => (false, true, &s[1..]),
        _ => (false, false, s),
    };
    let Some(magnitude) = parse_go_uint(body) else {
        return false;
    };
    if !signed {
        return true;
    }
    let limit = if negative {
        1u64 << 63
    } else {
        (1u64 << 63) - 1
    };
    magnitude <= limit
}

/// The magnitude `strconv.ParseUint(s, 0, 64)` reads, if it accepts `s`.
fn parse_go_uint(s: &str) -> Option<u64> {
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return None;
    }
    let (radix, digits) = if bytes[0] == b'0' && bytes.len() >= 3 {
        match bytes[1] {
            b'b' | b'B' => (2, &s[2..]),
            b'o' | b'O' => (8, &s[2..]),
            b'x' | b'X' => (16, &s[2..]),
            _ => (8, &s[1..]),
        }
    } else if bytes[0] == b'0' {
        (8, &s[1..])
    } else {
        (10, s)
    };
    if !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    if digits.is_empty() {
        // Only the bare "0" reaches here with nothing after the octal `0`.
        return Some(0);
    }
    u64::from_str_radix(digits, radix).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_words_and_patterns_are_quoted() {
        for s in [
            "y",
            "yes",
            "on",
            "OFF",
            "true",
            ".Nan",
            "2001-12-14",
            "12:30",
            "1:2",
            "0x1f",
        ] {
            assert!(forces_double_quotes(s), "{s:?} should be quoted");
        }
        for s in ["z", "hello", "yess", "0X", "0x", "12", "a-b", ":-:"] {
            let quoted = forces_double_quotes(s);
            // "12" resolves to an int and ":-:" matches the date pattern.
            assert_eq!(quoted, s == "12" || s == ":-:", "{s:?}");
        }
    }

    #[test]
    fn date_pattern_edges() {
        assert!(looks_like_date_or_base60("2001-12-14t21:59:43.10-05:00"));
        assert!(looks_like_date_or_base60("2006-1-2T15:4:5Z"));
        assert!(looks_like_date_or_base60("1 - 2"));
        assert!(!looks_like_date_or_base60("T12"));
        assert!(!looks_like_date_or_base60("1T2T3"));
        assert!(!looks_like_date_or_base60("123"));
        assert!(!looks_like_date_or_base60("1-2Zz"));
        assert!(looks_like_date_or_base60("1-2z"));
        assert!(!looks_like_date_or_base60("-1"));
    }

    #[test]
    fn go_yaml_resolver() {
        for s in [
            "",
            "~",
            "null",
            "NULL",
            ".inf",
            "-.Inf",
            ".nan",
            "1",
            "-1",
            "+1",
            "0x10",
            "0o17",
            "0b101",
            "012",
            "09",
            "1_000",
            "1.5",
            "1e3",
            "-.5",
            "1.",
            ".5",
            ".5e3",
            "99999999999999999999",
            "18446744073709551615",
        ] {
            assert!(
                resolves_to_non_string(s),
                "{s:?} should resolve to a non-string"
            );
        }
        for s in [
            "yes",
            "abc",
            ".",
            "-",
            "+",
            "1e400",
            ".5e400",
            "0x",
            "1-2",
            "<<",
            "._5",
            "0xg",
            "0x1FFFFFFFFFFFFFFFFF",
            ".inF",
        ] {
            assert!(!resolves_to_non_string(s), "{s:?} should stay a string");
        }
    }

    #[test]
    fn signed_int_range_follows_parse_int() {
        assert!(is_go_int("-9223372036854775808"));
        assert!(!is_go_int("+9223372036854775808"));
        assert!(is_go_int("9223372036854775808"));
        assert!(!is_go_int("18446744073709551616"));
        assert!(is_go_int("0"));
        assert!(is_go_int("00"));
        assert!(!is_go_int("08"));
    }
}
