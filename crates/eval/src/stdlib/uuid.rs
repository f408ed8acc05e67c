//! The `uuid` package (Google's `uuid` parsing rules and texts; name-based UUIDs via SHA-1/MD5).

use digest::Digest;
use num_bigint::{BigInt, Sign};

use super::{
    arg_bigint, arg_bytes, arg_str, Builtin, BuiltinError, BuiltinResult, Kind, Val, BYTES_STR,
    INT, STR,
};

const fn f(
    name: &'static str,
    params: &'static [Kind],
    result: Kind,
    func: fn(&[Val]) -> BuiltinResult,
) -> Builtin {
    Builtin::pure("uuid", name, params, result, func)
}

pub(super) const BUILTINS: &[Builtin] = &[
    f("Valid", &[STR], Kind::BOTTOM, |a| {
        validate(arg_str(a, 0)?).map(|_| Val::Bool(true))
    }),
    f("Parse", &[STR], STR, |a| {
        Ok(Val::str(format(&parse(arg_str(a, 0)?)?)))
    }),
    f("URN", &[STR], STR, |a| {
        Ok(Val::str(format!(
            "urn:uuid:{}",
            format(&parse(arg_str(a, 0)?)?)
        )))
    }),
    f("FromInt", &[INT], STR, |a| {
        let (_, b) = arg_bigint(a, 0)?.to_bytes_be();
        let b: Vec<u8> = if b == [0] { Vec::new() } else { b };
        if b.len() > 16 {
            return Err(BuiltinError::Call(format!(
                "invalid UUID (got {} bytes)",
                b.len()
            )));
        }
        let mut u = [0u8; 16];
        u[16 - b.len()..].copy_from_slice(&b);
        Ok(Val::str(format(&u)))
    }),
    // cue converts the UUID's text bytes (not its value) to an integer.
    f("ToInt", &[STR], INT, |a| {
        let n = BigInt::from_bytes_be(Sign::Plus, arg_str(a, 0)?.as_bytes());
        Ok(Val::Num(crate::num::Number::from_int(n)))
    }),
    f("Variant", &[STR], INT, |a| {
        let u = parse(arg_str(a, 0)?)?;
        Ok(Val::int(match u[8] {
            b if b & 0xc0 == 0x80 => 1,
            b if b & 0xe0 == 0xc0 => 3,
            b if b & 0xe0 == 0xe0 => 4,
            _ => 2,
        }))
    }),
    f("Version", &[STR], INT, |a| {
        Ok(Val::int(i64::from(parse(arg_str(a, 0)?)?[6] >> 4)))
    }),
    f("SHA1", &[STR, BYTES_STR], STR, |a| {
        let space = parse(arg_str(a, 0)?)?;
        Ok(Val::str(format(&name_based::<sha1::Sha1>(
            &space,
            arg_bytes(a, 1)?,
            5,
        ))))
    }),
    f("MD5", &[STR, BYTES_STR], STR, |a| {
        let space = parse(arg_str(a, 0)?)?;
        Ok(Val::str(format(&name_based::<md5::Md5>(
            &space,
            arg_bytes(a, 1)?,
            3,
        ))))
    }),
];

/// Extra declarations of the package, written in CUE.
pub(super) const CUE_SOURCE: &str = r#"{
	ns: {
		DNS:  "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
		URL:  "6ba7b811-9dad-11d1-80b4-00c04fd430c8"
		OID:  "6ba7b812-9dad-11d1-80b4-00c04fd430c8"
		X500: "6ba7b814-9dad-11d1-80b4-00c04fd430c8"
		Nil:  "00000000-0000-0000-0000-000000000000"
	}
	variants: Invalid:   0
	variants: RFC4122:   1
	variants: Reserved:  2
	variants: Microsoft: 3
	variants: Future:    4
}"#;

fn call_err(msg: impl Into<String>) -> BuiltinError {
    BuiltinError::Call(msg.into())
}

fn xtob(hi: u8, lo: u8) -> Option<u8> {
    let h = char::from(hi).to_digit(16)?;
    let l = char::from(lo).to_digit(16)?;
    Some((h * 16 + l) as u8)
}

fn parse_dashed(s: &[u8]) -> Result<[u8; 16], BuiltinError> {
    if s[8] != b'-' || s[13] != b'-' || s[18] != b'-' || s[23] != b'-' {
        return Err(call_err("invalid UUID format"));
    }
    let mut u = [0u8; 16];
    for (i, x) in [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34]
        .iter()
        .enumerate()
    {
        u[i] = xtob(s[*x], s[x + 1]).ok_or_else(|| call_err("invalid UUID format"))?;
    }
    Ok(u)
}

/// google/uuid's `Parse`: plain, `{…}`, `urn:uuid:…` or 32 hex digits.
fn parse(s: &str) -> Result<[u8; 16], BuiltinError> {
    let b = s.as_bytes();
    match b.len() {
        36 => parse_dashed(b),
        45 => {
            if !s.is_char_boundary(9) || !s[..9].eq_ignore_ascii_case("urn:uuid:") {
                let prefix = String::from_utf8_lossy(&b[..9]);
                return Err(call_err(format!(
                    "invalid urn prefix: {}",
                    super::strconv::quote(&prefix, '"', false)
                )));
            }
            parse_dashed(&b[9..])
        }
        38 => parse_dashed(&b[1..37]),
        32 => {
            let mut u = [0u8; 16];
            for (i, x) in u.iter_mut().enumerate() {
                *x = xtob(b[2 * i], b[2 * i + 1]).ok_or_else(|| call_err("invalid UUID format"))?;
            }
            Ok(u)
        }
        n => Err(call_err(format!("invalid UUID length: {n}"))),
    }
}

/// google/uuid's `Validate`: like `Parse`, but braces must match.
fn validate(s: &str) -> Result<(), BuiltinError> {
    let b = s.as_bytes();
    if b.len() == 38 && (b[0] != b'{' || b[37] != b'}') {
        return Err(call_err("invalid bracketed UUID format"));
    }
    parse(s).map(|_| ())
}

fn format(u: &[u8; 16]) -> String {
    let h = super::encoding::hex_encode(u);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

fn name_based<D: Digest>(space: &[u8; 16], data: &[u8], version: u8) -> [u8; 16] {
    let mut h = D::new();
    h.update(space);
    h.update(data);
    let sum = h.finalize();
    let mut u = [0u8; 16];
    u.copy_from_slice(&sum[..16]);
    u[6] = (u[6] & 0x0f) | (version << 4);
    u[8] = (u[8] & 0x3f) | 0x80;
    u
}

#[cfg(test)]
mod tests {
    use super::super::{call, lookup};
    use super::*;

    fn run(name: &str, args: &[Val]) -> String {
        let b = lookup("uuid", name).expect("builtin exists");
        match call(b, args) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    }
    fn s(x: &str) -> Val {
        Val::str(x)
    }

    #[test]
    fn uuids() {
        let dns = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
        assert_eq!(
            run("SHA1", &[s(dns), s("cuelang.org")]),
            "\"052ef62d-7223-58b6-a551-c1deee46d401\""
        );
        let url = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";
        assert_eq!(
            run("MD5", &[s(url), s("https://cuelang.org")]),
            "\"d891d69e-ae5c-39e0-9ead-164abd207f1f\""
        );
        assert_eq!(
            run("Valid", &[s("052ef62d-7223-58b6-a551-c1deee")]),
            "ERR invalid UUID length: 30"
        );
        assert_eq!(
            run("Valid", &[s("052ef62d_7223_58b6_a551_c1deee46d401")]),
            "ERR invalid UUID format"
        );
        assert_eq!(
            run("Parse", &[s("{123e4567-e89b-12d3-a456-426655440000")]),
            "ERR invalid UUID length: 37"
        );
        assert_eq!(
            run("Parse", &[s("123E4567E89B12D3A456426655440000")]),
            "\"123e4567-e89b-12d3-a456-426655440000\""
        );
        assert_eq!(run("URN", &[s(dns)]), format!("\"urn:uuid:{dns}\""));
        assert_eq!(run("Variant", &[s(dns)]), "1");
        assert_eq!(run("Version", &[s(dns)]), "1");
        assert_eq!(
            run("FromInt", &[Val::int(255)]),
            "\"00000000-0000-0000-0000-0000000000ff\""
        );
    }
}
