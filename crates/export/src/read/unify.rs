//! Unification of two concrete values, for repeated keys in data files.
//!
//! cue turns a data file into CUE syntax, so a key given twice in one object becomes two
//! declarations of the same field, which unify: equal scalars agree, objects merge field by
//! field, lists of equal length unify item by item, and anything else is a conflict.

use crate::data::Data;
use std::fmt;

/// Where below the repeated key two values disagree, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Conflict {
    /// Field names and list indexes from the repeated key down to the conflict.
    path: Vec<String>,
    message: String,
}

impl fmt::Display for Conflict {
    /// `.a.0: conflicting values …`, to be written after the repeated key's name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for part in &self.path {
            write!(f, ".{part}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// The unification of two concrete values.
pub(crate) fn unify(a: &Data, b: &Data) -> Result<Data, Conflict> {
    match (a, b) {
        (Data::Map(x), Data::Map(y)) => {
            let mut merged = x.clone();
            for (key, value) in y {
                match merged.get_mut(key) {
                    Some(existing) => {
                        *existing = unify(existing, value).map_err(|c| c.under(key.clone()))?;
                    }
                    None => {
                        merged.insert(key.clone(), value.clone());
                    }
                }
            }
            Ok(Data::Map(merged))
        }
        (Data::List(x), Data::List(y)) => {
            if x.len() != y.len() {
                return Err(Conflict {
                    path: Vec::new(),
                    message: format!("incompatible list lengths ({} and {})", x.len(), y.len()),
                });
            }
            x.iter()
                .zip(y)
                .enumerate()
                .map(|(i, (p, q))| unify(p, q).map_err(|c| c.under(i.to_string())))
                .collect::<Result<Vec<_>, _>>()
                .map(Data::List)
        }
        (Data::Float(x), Data::Float(y)) if same_decimal(x, y) => Ok(a.clone()),
        _ if a == b => Ok(a.clone()),
        _ => {
            let mut message = format!("conflicting values {} and {}", short(a), short(b));
            if a.kind_name() != b.kind_name() {
                message.push_str(&format!(
                    " (mismatched types {} and {})",
                    a.kind_name(),
                    b.kind_name()
                ));
            }
            Err(Conflict {
                path: Vec::new(),
                message,
            })
        }
    }
}

impl Conflict {
    fn under(mut self, part: String) -> Conflict {
        self.path.insert(0, part);
        self
    }
}

/// A value as a conflict message shows it (scalars in CUE syntax, composites elided).
fn short(d: &Data) -> String {
    match d {
        Data::Null => "null".to_owned(),
        Data::Bool(b) => b.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.clone(),
        Data::String(s) => crate::json::quote_json_string(s, false),
        Data::Bytes(b) => format!("'{}'", String::from_utf8_lossy(b).escape_default()),
        Data::List(_) => "[...]".to_owned(),
        Data::Map(_) => "{...}".to_owned(),
    }
}

/// Whether two decimal texts (`-?digits(.digits)?([eE][+-]?digits)?`) denote the same number.
fn same_decimal(x: &str, y: &str) -> bool {
    match (canonical_decimal(x), canonical_decimal(y)) {
        (Some(p), Some(q)) => p == q,
        _ => x == y,
    }
}

/// (negative, significant digits without leading/trailing zeros, exponent of the last digit).
fn canonical_decimal(s: &str) -> Option<(bool, String, i64)> {
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i64>().ok()?),
        None => (s, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if !int_part
        .bytes()
        .chain(frac_part.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let digits = format!("{int_part}{frac_part}");
    let mut exp = exponent.checked_sub(i64::try_from(frac_part.len()).ok()?)?;
    let trimmed_end = digits.trim_end_matches('0');
    exp = exp.checked_add(i64::try_from(digits.len() - trimmed_end.len()).ok()?)?;
    let significant = trimmed_end.trim_start_matches('0');
    if significant.is_empty() {
        // All zeros: sign and exponent do not matter.
        return Some((false, String::new(), 0));
    }
    Some((negative, significant.to_owned(), exp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_scalars_and_merged_maps() {
        assert_eq!(unify(&Data::int(1), &Data::int(1)), Ok(Data::int(1)));
        assert_eq!(
            unify(&Data::float("1.50"), &Data::float("15e-1")),
            Ok(Data::float("1.50"))
        );
        let a = Data::map([("x", Data::int(1))]);
        let b = Data::map([("y", Data::int(2)), ("x", Data::int(1))]);
        assert_eq!(
            unify(&a, &b),
            Ok(Data::map([("x", Data::int(1)), ("y", Data::int(2))]))
        );
    }

    #[test]
    fn conflicts_name_the_path() {
        let a = Data::map([("x", Data::list([Data::int(1)]))]);
        let b = Data::map([("x", Data::list([Data::string("s")]))]);
        let c = unify(&a, &b).err().map(|c| c.to_string());
        assert_eq!(
            c.as_deref(),
            Some(".x.0: conflicting values 1 and \"s\" (mismatched types int and string)")
        );
        let c = unify(&Data::list([]), &Data::list([Data::Null]))
            .err()
            .map(|c| c.to_string());
        assert_eq!(c.as_deref(), Some(": incompatible list lengths (0 and 1)"));
        assert!(unify(&Data::int(1), &Data::float("1.0")).is_err());
    }
}
